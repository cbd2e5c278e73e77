// Which engine build this is. The same sources publish two ways (README "Engine builds"):
// ReadyToRun on CoreCLR (./jitexec-clr: interpreter + IL JIT tier) and NativeAOT (./jitexec:
// interpreter only, no runtime start-up). Only CoreCLR can compile DynamicMethods, so the JIT
// tier exists exactly when the runtime supports dynamic code; the engine asks the same
// question (Engine.ConfigureJit) and runs interpreted without it, until a program gets hot:
// then the NativeAOT build hands it over to the ReadyToRun build (Promotion.cs).
using System.Runtime.CompilerServices;

namespace Jitexec.Cli;

internal static class EngineBuild
{
    public static bool HasJitTier => RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>NativeAOT: everything compiled ahead of time (the only build without dynamic code).</summary>
    public static bool IsNativeAot => !RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>For --version: "ReadyToRun: interpreter + IL JIT" or "NativeAOT: interpreter only".</summary>
    public static string Description => HasJitTier ? "ReadyToRun: interpreter + IL JIT" : "NativeAOT: interpreter only";

    /// <summary>The build a NativeAOT run hands hot programs to (Promotion.cs): $JITEXEC_JIT_BUILD, else
    /// the ReadyToRun build published beside this one (artifacts/jitexec/ next to artifacts/jitexec-aot/);
    /// null when there is none (or this build has the JIT tier itself).</summary>
    public static string? JitBuild
    {
        get
        {
            if (HasJitTier) return null;
            string? path = Environment.GetEnvironmentVariable("JITEXEC_JIT_BUILD") is { Length: > 0 } env ? env
                : Path.Combine(AppContext.BaseDirectory, "..", "jitexec", "jitexec");
            return File.Exists(path) ? Path.GetFullPath(path) : null;
        }
    }

    /// <summary>Why <paramref name="option"/> cannot be honoured here, or null when it can (by this build's JIT
    /// tier, or by handing over to the JIT build).</summary>
    public static string? Refuse(string? option, string? jitBuild) => option == null || HasJitTier || jitBuild != null ? null
        : $"{option} needs the JIT tier, which this build does not have ({Description}), and there is no JIT build to hand over to " +
          "(artifacts/jitexec/jitexec beside this one, or $JITEXEC_JIT_BUILD)";
}
