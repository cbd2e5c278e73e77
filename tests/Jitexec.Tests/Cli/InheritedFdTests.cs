// The guest inherits the descriptors jitexec was started with, at the same numbers
// (FdTable finds them with one poll() and an fcntl per open fd): a shell's `3<file` and
// `4>file` reach the guest; closed numbers stay closed. Compared with the same command run
// natively by bash.
using Jitexec.Tests.Programs;
using Xunit;

namespace Jitexec.Tests.Cli;

public sealed class InheritedFdTests : IDisposable
{
    private readonly TempDir _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public void RedirectedDescriptorsReachTheGuest()
    {
        string input = _t.File("in", "inherited through fd 3\n"u8.ToArray(), "644");
        // shell builtins only (no fork): read fd 3, write fd 4, find fd 5 closed
        string script = "read line <&3; echo \"$line\"; echo to-four >&4; echo x 2>/dev/null >&5 || echo five-closed";
        RunResult Via(string prefix, string output) => ProcessRun.Run("/bin/bash",
            ["-c", $"exec 3<'{input}' 4>'{output}'; {prefix} /bin/sh -c '{script}'"]);
        var native = Via("", _t.Path + "/native.out");
        var jx = Via(Repo.Jitexec, _t.Path + "/jx.out");
        Assert.True(native.ExitCode == jx.ExitCode && native.StdoutText == jx.StdoutText, $"native:\n{native}\njitexec:\n{jx}");
        Assert.Equal("inherited through fd 3\nfive-closed\n", jx.StdoutText);
        Assert.Equal(File.ReadAllText(_t.Path + "/native.out"), File.ReadAllText(_t.Path + "/jx.out"));
    }
}
