// PROGRAMs that cannot run (or run oddly) must get what bash gives for `bash -c PROGRAM`:
// the same exit status and the same message, with "jitexec: " where bash says
// "bash: line 1: ". Covers directories, empty and text files (run by /bin/sh after
// ENOEXEC), truncated ELFs, shared libraries as PROGRAM, #! scripts whose interpreter
// is a dynamic program, and unreadable or unexecutable files.
using System.Text;
using Jitexec.Tests.Programs;
using Xunit;

namespace Jitexec.Tests.Cli;

public sealed class BadInputTests : IDisposable
{
    private readonly TempDir _t = new();

    public void Dispose() => _t.Dispose();

    /// <summary>Run PROGRAM through bash and through jitexec; statuses, stdout and (prefix-adjusted) stderr must agree.</summary>
    private static void SameAsBash(string program, params string[] args)
    {
        var bash = ProcessRun.Run("/bin/bash", ["-c", "\"$@\"", "bash", program, .. args]);
        var jx = ProcessRun.Jitexec([program, .. args]);
        string expectedErr = bash.StderrText.Replace("bash: line 1: ", "jitexec: ");
        Assert.True(bash.ExitCode == jx.ExitCode && bash.Stdout.AsSpan().SequenceEqual(jx.Stdout) && expectedErr == jx.StderrText,
            $"bash and jitexec differ\n=== bash ===\n{bash}\n=== jitexec ===\n{jx}");
    }

    private static byte[] Hello => File.ReadAllBytes(GuestBuild.Get("hello", LinkVariant.Static));

    [Fact]
    public void Directory() => SameAsBash(_t.Path);

    [Fact]
    public void EmptyFileRunsAsAnEmptyShellScript() => SameAsBash(_t.File("empty", [], "755"), "arg");

    [Fact]
    public void TextFileRunsAsAShellScript() =>
        SameAsBash(_t.File("text", "echo \"text says $0 $1\"\nexit 3\n"u8.ToArray(), "755"), "first");

    [Fact]
    public void BinaryGarbageIsAnExecFormatError() => SameAsBash(_t.File("garbage", [0, 1, 2, 10, 65], "755"));

    [Fact]
    public void TruncatedElfHeaderIsAnExecFormatError() => SameAsBash(_t.File("trunc-header", Hello[..40], "755"));

    [Fact]
    public void ElfCutInsideItsSegmentsDiesBySigsegv() => SameAsBash(_t.File("trunc-segments", Hello[..2000], "755"));

    [Fact]
    public void SharedLibraryWithoutExecuteBitIsPermissionDenied() => SameAsBash("/lib/x86_64-linux-gnu/libm.so.6");

    [Fact]
    public void SharedLibraryWithExecuteBitRunsItsEntryPoint() =>
        SameAsBash(_t.File("libm.so.6", File.ReadAllBytes("/lib/x86_64-linux-gnu/libm.so.6"), "755"));

    [Fact]
    public void LibcAsProgramPrintsItsBanner() => SameAsBash("/lib/x86_64-linux-gnu/libc.so.6");

    [Fact]
    public void DynamicLoaderAsProgramRunsItsArgument() => SameAsBash("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "/bin/echo", "via ld.so");

    [Fact]
    public void ShellScriptRunsItsDynamicInterpreter() =>
        SameAsBash(_t.File("script.sh", Encoding.UTF8.GetBytes("#!/bin/sh\necho \"sh: $0 $# $1\"\nfor w in a b c; do printf '%s.' \"$w\"; done\necho\nexit 5\n"), "755"), "x y");

    [Fact]
    public void PerlScriptWithInterpreterArgument() =>
        SameAsBash(_t.File("script.pl", "#!/usr/bin/perl -w\nprint \"perl: $0 @ARGV\\n\"; exit 4;\n"u8.ToArray(), "755"), "1", "2");

    [Fact]
    public void MissingInterpreterIsABadInterpreter() =>
        SameAsBash(_t.File("bad-interp", "#!/nonexistent/interp\n"u8.ToArray(), "755"));

    [Fact]
    public void UnreadableAndUnexecutableFileIsPermissionDenied() => SameAsBash(_t.File("no-perms", Hello, "000"));

    [Fact]
    public void NotExecutableTextIsPermissionDenied() => SameAsBash(_t.File("plain.txt", "echo no\n"u8.ToArray(), "644"));

    [Fact]
    public void MissingFileIs127() => SameAsBash(System.IO.Path.Combine(_t.Path, "does-not-exist"));
}
