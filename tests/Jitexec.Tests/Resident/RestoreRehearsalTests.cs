// The start-up rehearsal of a restore (Kernel/Resident/RestoreRehearsal.cs) must really get
// through a whole restore of its synthetic snapshot (otherwise it silently warms nothing),
// and must leave nothing behind: no open file descriptor (counted around a second rehearsal:
// the first one also loads assemblies, which the runtime may keep open).
using Jitexec.Kernel.Resident;
using Xunit;

namespace Jitexec.Tests.Resident;

public class RestoreRehearsalTests
{
    [Fact]
    public void RehearsalRestoresItsSyntheticSnapshotAndLeavesNoFd()
    {
        Assert.True(Restore.Rehearse(), "the rehearsal did not get through its restore");
        var before = Fds();
        Assert.True(Restore.Rehearse(), "a second rehearsal did not get through its restore");
        var after = Fds();
        Assert.True(after.SetEquals(before), $"new: {string.Join(", ", after.Except(before))}; closed: {string.Join(", ", before.Except(after))}");
    }

    private static HashSet<string> Fds() =>
        [.. Directory.GetFiles("/proc/self/fd").Select(f => $"{Path.GetFileName(f)}->{new FileInfo(f).LinkTarget}")];
}
