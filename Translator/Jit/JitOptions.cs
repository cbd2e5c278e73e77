// How the JIT tier is used: never (interpreter only), for blocks past an execution-count
// threshold (compiled on a background thread), or for every block before it first runs
// (synchronously; used by the tests so every case exercises compiled code).
namespace Jitexec.Translator.Jit;

public enum JitMode { Off, Threshold, Always }

public sealed class JitOptions
{
    /// <summary>Interpreted executions of a block before it is queued for compilation. Measured
    /// (min CPU of 5, 2 busy cores): python3 -c pass 0.92 s at 2000 (compiling start-up code
    /// that never pays back), 0.70 s at 5000, 0.73 s at 10000, 0.74 s with --no-jit; the perl
    /// loop 0.62 / 0.65 / 0.66 s; at 30000+ long loop bodies stay interpreted too long (perl 1.0-1.4 s).</summary>
    public const int DefaultThreshold = 5000;

    /// <summary>Guest instructions to run before anything is compiled (Threshold mode): programs
    /// shorter than this (perl -e 1 runs 1.3M) pay nothing for the JIT, not even background CPU.</summary>
    public const ulong DefaultWarmup = 2_000_000;

    /// <summary>Executions of an entry block named by the hot-code profile before its recorded unit
    /// is queued: far below the threshold, so a restored long run compiles its hot code at once
    /// instead of re-learning it. The warm-up still applies — a profile recorded by a long run
    /// must not make a short run of the same program (perl -e 1) pay for compilation.</summary>
    public const int DefaultProfileTrigger = 250;

    public JitMode Mode = JitMode.Threshold;
    public int ProfileTrigger = DefaultProfileTrigger;
    public ulong WarmupInstructions = DefaultWarmup;
    public int Threshold = DefaultThreshold;
    /// <summary>Compile loops of several blocks as one unit (off: one block per unit).</summary>
    public bool Regions = true;
    /// <summary>Compile on a background thread (Threshold mode); false compiles on the run loop's thread.</summary>
    public bool Background = true;
    /// <summary>Throw when a unit fails to compile instead of interpreting it (tests).</summary>
    public bool ThrowOnCompileError;
    /// <summary>Inline forms for the instructions that have one (off: every op calls its interpreter handler).</summary>
    public bool InlineForms = true;
    /// <summary>Host-flags mode for units whose SSE arithmetic is plain (UnitCompiler.HostFp.cs).</summary>
    public bool HostFpFlags = true;
    /// <summary>Log each installed unit (entry, blocks, ops, compile time) here.</summary>
    public TextWriter? Trace;

    public static JitOptions Interpreter => new() { Mode = JitMode.Off };
    public static JitOptions AlwaysCompile => new() { Mode = JitMode.Always, Threshold = 0, Background = false, ThrowOnCompileError = true };
}
