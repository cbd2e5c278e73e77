// The two published engine builds, made once per test run from this checkout exactly as
// ./jitexec and ./jitexec-clr make them (dotnet publish -c Release, with -p:PublishAot=true
// for NativeAOT), into artifacts/test-engines/. The tests otherwise use the Debug apphost next
// to the test assembly; these builds are what users run. A failed publish fails the tests
// that need it (with the build's output), never skips them.
using System.Diagnostics;
using Jitexec.Tests.Programs;

namespace Jitexec.Tests.Engines;

public static class EngineBuilds
{
    // Laid out as in artifacts/: the NativeAOT build finds the build it hands hot programs to
    // (Cli/Promotion.cs) at ../jitexec/jitexec, so that one is always published first.
    private static readonly Lazy<string> AotBuild = new(() => { _ = ReadyToRun; return Publish("jitexec-aot", "-p:PublishAot=true"); });
    private static readonly Lazy<string> ReadyToRunBuild = new(() => Publish("jitexec"));
    private static readonly object PublishLock = new(); // one publish at a time: they share obj/Release

    /// <summary>The NativeAOT build (interpreter; hands hot programs to <see cref="ReadyToRun"/>).</summary>
    public static string Aot => AotBuild.Value;

    /// <summary>The ReadyToRun build (interpreter + IL JIT), as ./jitexec runs it.</summary>
    public static string ReadyToRun => ReadyToRunBuild.Value;

    private static string Publish(string name, params string[] extra)
    {
        lock (PublishLock)
        {
            string outDir = Path.Combine(Repo.Root, "artifacts", "test-engines", name);
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in (string[])["publish", Path.Combine(Repo.Root, "Cli"), "-c", "Release", .. extra, "-o", outDir,
                         "--nologo", "-v", "quiet", "--disable-build-servers"])
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var errors = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(15 * 60_000)) { p.Kill(true); throw new TimeoutException($"publishing the {name} engine build took over 15 minutes"); }
            p.WaitForExit();
            string exe = Path.Combine(outDir, "jitexec");
            if (p.ExitCode != 0 || !File.Exists(exe))
                throw new InvalidOperationException($"publishing the {name} engine build failed (exit {p.ExitCode}):\n{output.Result}\n{errors.Result}");
            return exe;
        }
    }
}
