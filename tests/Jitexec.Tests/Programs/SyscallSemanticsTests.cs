// Syscall semantics a dynamic guest sees (tests/guest/syscalls.c): results and errnos of
// unknown syscalls, mremap/madvise/msync/mprotect edge cases, sysinfo, affinity,
// xattrs, AF_UNIX connect, ioctls on pipes, fcntl, poll, dup, /proc/self/fd - natively
// and under jitexec, byte for byte.
using Xunit;

namespace Jitexec.Tests.Programs;

public class SyscallSemanticsTests
{
    [Theory]
    [InlineData(LinkVariant.Pie)]
    [InlineData(LinkVariant.Static)]
    public void MatchesNative(LinkVariant variant)
    {
        string exe = GuestBuild.Get("syscalls", variant);
        Differ.AssertSame(ProcessRun.Run(exe, []), ProcessRun.Jitexec([exe]));
    }

    [Fact]
    public void UnknownSyscallsAreEnosysAndTraced()
    {
        string exe = GuestBuild.Get("syscalls", LinkVariant.Static);
        var r = ProcessRun.Jitexec(["--strace", exe]);
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"(?m)^syscall_400\(0x1, 0x2, 0x3, 0x[0-9a-f]+, 0x[0-9a-f]+, 0x[0-9a-f]+\) += -1 ENOSYS \(Function not implemented\)$", r.StderrText);
        var warn = ProcessRun.Jitexec(["--warn-unimplemented", exe]);
        Assert.Contains("jitexec: unimplemented syscall 400 (syscall_400), returning -ENOSYS", warn.StderrText);
    }
}
