// Parses `jitexec [options] [--] PROGRAM [ARGS...]`. Options stop at PROGRAM, so the
// guest's own arguments pass through untouched. Environment knobs supply defaults.
namespace Jitexec.Cli;

public sealed class CommandLine
{
    public bool Help, Version, Strace, Verbose, WarnUnimplemented, Stats, JitStats, Resident;
    /// <summary>`jitexec resident ...`: the snapshot inspection sub-command (arguments from GuestArgStart + 1).</summary>
    public bool ResidentTool;
    /// <summary>The JIT tier: Threshold (default), Off (--no-jit) or Always (--jit-always).</summary>
    public Jitexec.Translator.Jit.JitMode JitMode = Jitexec.Translator.Jit.JitMode.Threshold;
    public int JitThreshold = Jitexec.Translator.Jit.JitOptions.DefaultThreshold;
    public ulong JitWarmup = Jitexec.Translator.Jit.JitOptions.DefaultWarmup;
    public int JitProfileTrigger = Jitexec.Translator.Jit.JitOptions.DefaultProfileTrigger;
    public bool JitInlineForms = true, JitHostFpFlags = true;
    public string? StraceFile, ResidentDir;
    public string? Program;
    /// <summary>Index in the raw argument list where the guest's argv begins (PROGRAM itself).</summary>
    public int GuestArgStart = -1;
    public string? Error;
    /// <summary>The option that asked for compiled code (--jit-always, --jit-threshold, JITEXEC_JIT=always), if any:
    /// an error in a build without the JIT tier (EngineBuild.HasJitTier).</summary>
    public string? JitOption;
    /// <summary>`--handoff FD` (internal, put first by Promotion): continue the process the NativeAOT build handed over in memfd FD.</summary>
    public int HandoffFd = -1;

    public const string Usage = """
        usage: jitexec [options] [--] PROGRAM [ARGS...]
               jitexec [--resident-dir DIR] resident list|show|verify|rm|add|gc [--json] [...]

        Runs an x86-64 Linux program under the jitexec binary translator.
        PROGRAM is looked up in $PATH when it contains no '/', like execvp.

        options:
          --strace            trace system calls to stderr, in strace's format
          -o, --strace-output FILE
                              write the --strace trace to FILE (implies --strace)
          --warn-unimplemented
                              report each unimplemented syscall (-ENOSYS) on stderr
          --stats             print execution statistics on stderr at exit
          --no-jit            interpret only (no compiled code)
          --jit-always        compile every block before it first runs (testing)
          --jit-threshold N   compile a block (and the loop around it) on a background
                              thread once it has been interpreted N times (default 5000)
          --jit-stats         print JIT statistics on stderr at exit
          --resident          start from a resident snapshot of PROGRAM when a valid one exists;
                              otherwise run cold and register one (after the dynamic loader
                              has relocated, before any constructor runs)
          --resident-dir DIR  keep resident snapshots in DIR (default: /var/run/resident for
                              root, else $XDG_RUNTIME_DIR/jitexec-resident)
          -v, --verbose       explain faults and fall-backs on stderr
          -h, --help          show this help and exit
          --version           show the version and exit

        environment:
          JITEXEC_STRACE=1|FILE         like --strace (to stderr, or to FILE)
          JITEXEC_WARN_UNIMPLEMENTED=1  like --warn-unimplemented
          JITEXEC_VERBOSE=1             like --verbose
          JITEXEC_STATS=1               like --stats
          JITEXEC_RESIDENT_DIR=DIR      like --resident-dir
          JITEXEC_JIT=0|always          like --no-jit | --jit-always
          JITEXEC_JIT_THRESHOLD=N       like --jit-threshold N
          JITEXEC_JIT_WARMUP=N          compile nothing before N guest instructions (default 2000000)
          JITEXEC_JIT_PROFILE_TRIGGER=N resident runs: compile a unit of the hot-code profile once
                                        its entry ran N times, warm-up or not (default 250)
          JITEXEC_JIT_STATS=1           like --jit-stats
          JITEXEC_JIT_BUILD=PATH        NativeAOT build: the CoreCLR build it hands programs that get hot
                                        to (default: ../jitexec/jitexec beside it; docs/engines.md)
          JITEXEC_JIT_INLINE=0          (debugging) compiled code calls every op's interpreter handler
          JITEXEC_JIT_HOSTFP=0          (debugging) compiled SSE arithmetic derives MXCSR flags per op
                                        instead of collecting them from the host FPU

        snapshot inspection (`jitexec resident --help` for details):
          list | show PROG | verify [PROG] | rm PROG|--all | add PROG [ARGS] | gc

        exit status: the guest's exit status; a guest killed by a signal kills jitexec
        by the same signal; 126 if PROGRAM cannot be executed, 127 if it is not found.
        """;

    public static CommandLine Parse(string[] args)
    {
        var c = new CommandLine();
        var env = Environment.GetEnvironmentVariable("JITEXEC_STRACE");
        if (!string.IsNullOrEmpty(env) && env != "0")
        {
            c.Strace = true;
            if (env != "1") c.StraceFile = env;
        }
        c.WarnUnimplemented = Flag("JITEXEC_WARN_UNIMPLEMENTED");
        c.Verbose = Flag("JITEXEC_VERBOSE");
        c.Stats = Flag("JITEXEC_STATS");
        c.JitStats = Flag("JITEXEC_JIT_STATS");
        var jit = Environment.GetEnvironmentVariable("JITEXEC_JIT");
        if (jit == "0") c.JitMode = Jitexec.Translator.Jit.JitMode.Off;
        else if (jit == "always") { c.JitMode = Jitexec.Translator.Jit.JitMode.Always; c.JitOption = "JITEXEC_JIT=always"; }
        if (int.TryParse(Environment.GetEnvironmentVariable("JITEXEC_JIT_THRESHOLD"), out int th) && th > 0) c.JitThreshold = th;
        if (ulong.TryParse(Environment.GetEnvironmentVariable("JITEXEC_JIT_WARMUP"), out ulong wu)) c.JitWarmup = wu;
        if (int.TryParse(Environment.GetEnvironmentVariable("JITEXEC_JIT_PROFILE_TRIGGER"), out int pt) && pt > 0) c.JitProfileTrigger = pt;
        c.JitInlineForms = Environment.GetEnvironmentVariable("JITEXEC_JIT_INLINE") != "0";
        c.JitHostFpFlags = Environment.GetEnvironmentVariable("JITEXEC_JIT_HOSTFP") != "0";
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a == "--") { Take(c, args, i + 1); return c; }
            if (!a.StartsWith('-') || a == "-")
            {
                Take(c, args, i);
                c.ResidentTool = a == "resident";
                return c;
            }
            switch (a)
            {
                case "-h": case "--help": c.Help = true; return c;
                case "--version": c.Version = true; return c;
                case "--strace": c.Strace = true; break;
                case "-o": case "--strace-output":
                    if (i + 1 >= args.Length) { c.Error = $"option '{a}' needs a FILE argument"; return c; }
                    c.Strace = true; c.StraceFile = args[++i]; break;
                case "--warn-unimplemented": c.WarnUnimplemented = true; break;
                case "-v": case "--verbose": c.Verbose = true; break;
                case "--stats": c.Stats = true; break;
                case "--jit-stats": c.JitStats = true; break;
                case "--no-jit": c.JitMode = Jitexec.Translator.Jit.JitMode.Off; c.JitOption = null; break;
                case "--jit-always": c.JitMode = Jitexec.Translator.Jit.JitMode.Always; c.JitOption = a; break;
                case "--jit-threshold":
                    if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out int n) || n < 1)
                    { c.Error = $"option '{a}' needs a positive number"; return c; }
                    c.JitThreshold = n; c.JitOption = a; i++; break;
                case "--resident": c.Resident = true; break;
                case "--handoff":
                    if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out int hfd) || hfd < 0)
                    { c.Error = $"option '{a}' needs a file descriptor"; return c; }
                    c.HandoffFd = hfd; i++; break;
                case "--resident-dir":
                    if (i + 1 >= args.Length) { c.Error = $"option '{a}' needs a DIR argument"; return c; }
                    c.ResidentDir = args[++i]; break;
                default: c.Error = $"unknown option '{a}'"; return c;
            }
        }
        c.Error = "no PROGRAM given";
        return c;
    }

    private static bool Flag(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v && v != "0";

    private static void Take(CommandLine c, string[] args, int i)
    {
        if (i >= args.Length) { c.Error = "no PROGRAM given"; return; }
        c.Program = args[i];
        c.GuestArgStart = i;
    }
}
