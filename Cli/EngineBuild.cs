// Which engine build this is. The same sources publish two ways (README "Engine builds"):
// ReadyToRun on CoreCLR (./jitexec: interpreter + IL JIT tier) and NativeAOT (./jitexec-aot:
// interpreter only, no runtime start-up). Only CoreCLR can compile DynamicMethods, so the JIT
// tier exists exactly when the runtime supports dynamic code; the engine asks the same
// question (Engine.ConfigureJit) and runs interpreted without it.
using System.Runtime.CompilerServices;

namespace Jitexec.Cli;

internal static class EngineBuild
{
    public static bool HasJitTier => RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>NativeAOT: everything compiled ahead of time (the only build without dynamic code).</summary>
    public static bool IsNativeAot => !RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>For --version: "ReadyToRun: interpreter + IL JIT" or "NativeAOT: interpreter only".</summary>
    public static string Description => HasJitTier ? "ReadyToRun: interpreter + IL JIT" : "NativeAOT: interpreter only";

    /// <summary>Why <paramref name="option"/> cannot be honoured here, or null when it can.</summary>
    public static string? Refuse(string? option) => option == null || HasJitTier ? null
        : $"{option} needs the JIT tier, which this build does not have ({Description}); use the ReadyToRun build (./jitexec)";
}
