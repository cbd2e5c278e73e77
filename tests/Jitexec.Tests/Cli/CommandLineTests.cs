// The jitexec command's contract: option parsing, PATH lookup, exit statuses and the
// shell-like errors for programs that cannot run.
using Jitexec.Tests.Programs;
using Xunit;

namespace Jitexec.Tests.Cli;

public class CommandLineTests
{
    private static RunResult Jx(params string[] args) => ProcessRun.Jitexec(args);

    [Fact]
    public void HelpAndVersion()
    {
        var help = Jx("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("usage: jitexec [options] [--] PROGRAM [ARGS...]", help.StdoutText);
        Assert.Contains("JITEXEC_STRACE", help.StdoutText);
        var version = Jx("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith("jitexec ", version.StdoutText);
    }

    [Fact]
    public void BadUsageExitsWith2()
    {
        var r = Jx("--no-such-option", "/bin/true");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown option '--no-such-option'", r.StderrText);
        Assert.Equal(2, Jx().ExitCode);
        Assert.Equal(2, Jx("--strace").ExitCode);
    }

    [Fact]
    public void OptionsStopAtProgramAndStatusPassesThrough()
    {
        string hello = GuestBuild.Get("hello", LinkVariant.Static);
        var r = Jx(hello, "--version", "--strace", "-x");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("argv[1] = '--version'", r.StdoutText);
        Assert.Contains("argv[2] = '--strace'", r.StdoutText);
        Assert.Equal(7, Jx("--", hello).ExitCode);
    }

    [Fact]
    public void ProgramIsFoundThroughPath()
    {
        string hello = GuestBuild.Get("hello", LinkVariant.Static);
        var env = new Dictionary<string, string> { ["PATH"] = $"/nonexistent:{Path.GetDirectoryName(hello)}" };
        var r = ProcessRun.Jitexec([Path.GetFileName(hello), "a", "b", "c"], env: env);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("with 4 args", r.StdoutText);
    }

    [Fact]
    public void MissingProgramIs127()
    {
        var r = Jx("/nonexistent/program");
        Assert.Equal(127, r.ExitCode);
        Assert.Equal("jitexec: /nonexistent/program: No such file or directory\n", r.StderrText);
        var env = new Dictionary<string, string> { ["PATH"] = "/nonexistent" };
        var q = ProcessRun.Jitexec(["no-such-command-xyz"], env: env);
        Assert.Equal(127, q.ExitCode);
        Assert.Equal("jitexec: no-such-command-xyz: command not found\n", q.StderrText);
    }

    [Fact]
    public void DirectoryIs126()
    {
        var r = Jx("/tmp");
        Assert.Equal(126, r.ExitCode);
        Assert.Equal("jitexec: /tmp: Is a directory\n", r.StderrText);
    }

    [Fact]
    public void NotExecutableIs126()
    {
        using var t = new TempDir();
        string f = t.File("plain", [1, 2, 3], "644");
        var r = Jx(f);
        Assert.Equal(126, r.ExitCode);
        Assert.Equal($"jitexec: {f}: Permission denied\n", r.StderrText);
    }

    public static IEnumerable<object[]> BadElves()
    {
        byte[] good = File.ReadAllBytes(GuestBuild.Get("hello", LinkVariant.Static));
        // Text and empty files run through /bin/sh, and ELFs cut inside their segments die by SIGSEGV, as in bash:
        // see BadInputTests.
        byte[] Patch(int offset, params byte[] bytes) { var b = (byte[])good.Clone(); bytes.CopyTo(b, offset); return b; }
        yield return ["truncated-header", good[..40]];
        yield return ["32-bit", Patch(4, 1)];
        yield return ["big-endian", Patch(5, 2)];
        yield return ["aarch64", Patch(18, 183, 0)];
        yield return ["relocatable", Patch(16, 1, 0)];
    }

    [Theory]
    [MemberData(nameof(BadElves))]
    public void NonExecutableFormatsAreExecFormatErrors(string name, byte[] content)
    {
        using var t = new TempDir();
        string f = t.File(name, content, "755");
        var r = Jx(f);
        Assert.Equal(126, r.ExitCode);
        Assert.Equal($"jitexec: {f}: cannot execute binary file: Exec format error\n", r.StderrText);
    }

    [Fact]
    public void MissingInterpreterIsNamed()
    {
        using var t = new TempDir();
        string src = Path.Combine(Repo.GuestSources, "hello.c");
        string exe = Path.Combine(t.Path, "needs-missing-ld");
        var gcc = ProcessRun.Run("gcc", ["-o", exe, src, "-Wl,--dynamic-linker=/nonexistent/ld-missing.so.2"]);
        Assert.Equal(0, gcc.ExitCode);
        var r = Jx(exe);
        Assert.Equal(127, r.ExitCode);
        Assert.Contains("/nonexistent/ld-missing.so.2", r.StderrText);
        Assert.StartsWith($"jitexec: {exe}: cannot execute", r.StderrText);
    }

    [Fact]
    public void ScriptRunsItsInterpreterUnderJitexec()
    {
        using var t = new TempDir();
        string hello = GuestBuild.Get("hello", LinkVariant.Static);
        string script = t.File("script", System.Text.Encoding.UTF8.GetBytes($"#!{hello} first-arg\nignored\n"), "755");
        var r = Jx(script, "x");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("with 4 args", r.StdoutText);
        Assert.Contains("argv[1] = 'first-arg'", r.StdoutText);
        Assert.Contains($"argv[2] = '{script}'", r.StdoutText);
        Assert.Contains("argv[3] = 'x'", r.StdoutText);
    }

    [Fact]
    public void IllegalInstructionDiesWithSigillAndDiagnostic()
    {
        string trap = GuestBuild.Get("trap", LinkVariant.Static);
        var native = ProcessRun.Run(trap, []);
        var r = Jx(trap);
        Assert.Equal(native.ExitCode, r.ExitCode);
        Assert.Equal(128 + 4, r.ExitCode);
        Assert.Equal("before trap\n", r.StdoutText);
        Assert.Matches(@"^jitexec: illegal instruction at 0x[0-9a-f]+: 0f 0b \(ud2\)\n$", r.StderrText);
    }

    [Fact]
    public void StraceShowsSyscallsInStraceFormat()
    {
        string hello = GuestBuild.Get("hello", LinkVariant.Static);
        var r = Jx("--strace", hello);
        Assert.Equal(7, r.ExitCode);
        Assert.Contains("write(1, \"hello from ", r.StderrText);
        Assert.Matches(@"(?m)^exit_group\(7\) +=( \?)?$", r.StderrText);
        Assert.EndsWith("+++ exited with 7 +++\n", r.StderrText);
        Assert.DoesNotContain("write(1", r.StdoutText);
    }

    [Fact]
    public void DiagnosticsSurviveTheGuestClosingStderr()
    {
        // GNU ls closes stdout and stderr before exiting; --stats and --strace must still work.
        var r = Jx("--stats", "--strace", "/usr/bin/ls", "/");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("close(2)", r.StderrText);
        Assert.Contains("+++ exited with 0 +++", r.StderrText);
        Assert.Contains("jitexec: guest instructions", r.StderrText);
    }

    [Fact]
    public void StraceToFile()
    {
        using var t = new TempDir();
        string log = Path.Combine(t.Path, "trace.txt");
        string hello = GuestBuild.Get("hello", LinkVariant.Static);
        var r = Jx("-o", log, hello);
        Assert.Equal(7, r.ExitCode);
        Assert.Equal("this goes to stderr: 12345\n", r.StderrText);
        Assert.Contains("+++ exited with 7 +++", File.ReadAllText(log));
    }
}

internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("jitexec-test-").FullName;

    public string File(string name, byte[] content, string octalMode)
    {
        string p = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllBytes(p, content);
        System.IO.File.SetUnixFileMode(p, (UnixFileMode)Convert.ToInt32(octalMode, 8));
        return p;
    }

    public void Dispose() => Directory.Delete(Path, true);
}
