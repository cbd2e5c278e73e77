// Runs jitexec with --resident against a private snapshot directory, with full control of
// the environment (so runs can have far smaller or larger environments than the
// registering one), and separates jitexec's own "resident:" messages (and "jit" statistics,
// JITEXEC_JIT_STATS=1) from the guest's stderr.
using System.Diagnostics;
using System.Text;
using Jitexec.Tests.Programs;
using Xunit;

namespace Jitexec.Tests.Resident;

public sealed record ResidentRun(RunResult Guest, string[] Messages)
{
    public bool Restored => Messages.Any(m => m.StartsWith("restored ", StringComparison.Ordinal));
    public bool Registered => Messages.Any(m => m.StartsWith("registered ", StringComparison.Ordinal));
    public string Why => string.Join(" | ", Messages);

    /// <summary>A number from a "jit ..." statistics line (JITEXEC_JIT_STATS=1), e.g. Stat("jit units compiled from profile").</summary>
    public long Stat(string prefix)
    {
        var line = Messages.FirstOrDefault(m => m.StartsWith(prefix + " ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"no '{prefix}' line in: {Why}");
        var digits = new string(line[(prefix.Length + 1)..].TakeWhile(c => char.IsDigit(c) || c == ',').Where(char.IsDigit).ToArray());
        return long.Parse(digits);
    }
}

public sealed class ResidentDir : IDisposable
{
    public readonly string Path = Directory.CreateTempSubdirectory("jx-resident-").FullName;

    public string[] Snapshots => Directory.GetFiles(Path, "*.jxr");
    public string Single => Assert.Single(Snapshots);

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}

public static class ResidentHarness
{
    /// <summary>The minimal environment jitexec itself needs (the .NET host).</summary>
    public static Dictionary<string, string> BaseEnv()
    {
        var env = new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin" };
        foreach (var k in new[] { "DOTNET_ROOT", "HOME" })
            if (Environment.GetEnvironmentVariable(k) is { } v) env[k] = v;
        return env;
    }

    /// <param name="engine">the jitexec executable (default: the build next to the tests; see Aot/EngineBuilds)</param>
    public static RunResult Exec(IEnumerable<string> args, IDictionary<string, string> env, string? stdin = null, string? engine = null)
    {
        var psi = new ProcessStartInfo(engine ?? Repo.Jitexec) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.Environment.Clear();
        foreach (var (k, v) in env) psi.Environment[k] = v;
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = Drain(p.StandardOutput.BaseStream);
        var e = Drain(p.StandardError.BaseStream);
        if (stdin != null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(180_000)) { p.Kill(true); throw new TimeoutException(string.Join(' ', args)); }
        p.WaitForExit();
        return new RunResult(o.Result, e.Result, p.ExitCode);
    }

    private static async Task<byte[]> Drain(Stream s)
    {
        var ms = new MemoryStream();
        await s.CopyToAsync(ms);
        return ms.ToArray();
    }

    /// <summary>A plain (non-resident) jitexec run: the reference.</summary>
    public static RunResult Plain(string[] guest, IDictionary<string, string> env, string? stdin = null) => Exec(guest, env, stdin);

    public static ResidentRun RunResident(ResidentDir dir, string[] guest, IDictionary<string, string> env, string? stdin = null, string? engine = null)
    {
        var r = Exec(["-v", "--resident", "--resident-dir", dir.Path, .. guest], env, stdin, engine);
        var lines = Encoding.UTF8.GetString(r.Stderr).Split('\n');
        const string tag = "jitexec: resident: ", jit = "jitexec: jit ";
        bool Ours(string l) => l.StartsWith(tag, StringComparison.Ordinal) || l.StartsWith(jit, StringComparison.Ordinal);
        var msgs = lines.Where(Ours).Select(l => l.StartsWith(tag, StringComparison.Ordinal) ? l[tag.Length..] : l["jitexec: ".Length..]).ToArray();
        var rest = string.Join('\n', lines.Where(l => !Ours(l)));
        return new ResidentRun(r with { Stderr = Encoding.UTF8.GetBytes(rest) }, msgs);
    }

    public static void AssertSame(RunResult expected, ResidentRun actual)
    {
        var a = actual.Guest;
        Assert.True(expected.ExitCode == a.ExitCode && expected.Stdout.AsSpan().SequenceEqual(a.Stdout) && expected.Stderr.AsSpan().SequenceEqual(a.Stderr),
            $"plain and resident runs differ ({actual.Why})\n=== plain ===\n{expected}\n=== resident ===\n{a}");
    }

    /// <summary>Register (cold run) then check it wrote a snapshot; returns the registering run.</summary>
    public static ResidentRun Register(ResidentDir dir, string[] guest, IDictionary<string, string> env, string? engine = null)
    {
        var r = RunResident(dir, guest, env, engine: engine);
        Assert.True(r.Registered, $"no snapshot registered: {r.Why}\n{r.Guest}");
        return r;
    }
}
