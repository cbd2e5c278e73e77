// Runs a program (natively or under jitexec) and captures stdout, stderr and the exit
// status as bytes, so native and emulated runs can be compared exactly.
using System.Diagnostics;

namespace Jitexec.Tests.Programs;

public sealed record RunResult(byte[] Stdout, byte[] Stderr, int ExitCode)
{
    public string StdoutText => System.Text.Encoding.UTF8.GetString(Stdout);
    public string StderrText => System.Text.Encoding.UTF8.GetString(Stderr);
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StdoutText}\n--- stderr ---\n{StderrText}";
}

public static class ProcessRun
{
    public static RunResult Run(string exe, IEnumerable<string> args, string? stdin = null, IDictionary<string, string>? env = null,
        string? workDir = null, int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        if (workDir != null) psi.WorkingDirectory = workDir;
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env != null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var outTask = Drain(p.StandardOutput.BaseStream);
        var errTask = Drain(p.StandardError.BaseStream);
        try
        {
            if (stdin != null) p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        catch (IOException) { } // the program exited (or closed stdin) without reading all of it: EPIPE, as in a shell pipeline
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(true);
            throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish in {timeoutMs} ms");
        }
        p.WaitForExit();
        return new RunResult(outTask.Result, errTask.Result, p.ExitCode);
    }

    public static RunResult Jitexec(IEnumerable<string> args, string? stdin = null, IDictionary<string, string>? env = null, string? workDir = null)
        => Run(Repo.Jitexec, args, stdin, env, workDir);

    private static async Task<byte[]> Drain(Stream s)
    {
        var ms = new MemoryStream();
        await s.CopyToAsync(ms);
        return ms.ToArray();
    }
}

public static class Differ
{
    /// <summary>Native and emulated runs must agree on stdout, stderr and exit status, byte for byte.</summary>
    public static void AssertSame(RunResult native, RunResult emulated)
    {
        Xunit.Assert.True(native.ExitCode == emulated.ExitCode && native.Stdout.AsSpan().SequenceEqual(emulated.Stdout)
                    && native.Stderr.AsSpan().SequenceEqual(emulated.Stderr),
            $"native and jitexec differ\n=== native ===\n{native}\n=== jitexec ===\n{emulated}");
    }
}
