// The start-up rehearsal of a restore (Kernel/Resident/RestoreRehearsal.cs) must really get
// through a whole restore of its synthetic snapshot (otherwise it silently warms nothing),
// and must leave nothing behind: no open file descriptor (counted around a second rehearsal:
// the first one also loads assemblies, which the runtime may keep open). Its thread is
// started only when it can help (Restore.WorthRehearsing): a snapshot exists and is taken
// after the dynamic loader; never for a cold run or a static program's AT_ENTRY snapshot.
using Jitexec.Kernel.Resident;
using Jitexec.Snapshot;
using Jitexec.Tests.Programs;
using Xunit;
using static Jitexec.Tests.Resident.ResidentHarness;

namespace Jitexec.Tests.Resident;

/// <summary>Tests that compare the process's open descriptors before and after: nothing may run
/// beside them (other tests' child processes open pipes meanwhile).</summary>
[CollectionDefinition(nameof(FdCountingCollection), DisableParallelization = true)]
public sealed class FdCountingCollection;

[Collection(nameof(FdCountingCollection))]
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

    [Fact]
    public void RehearsalOnlyForSnapshotsTakenAfterTheDynamicLoader()
    {
        string stat = GuestBuild.Get("resident", LinkVariant.Static), dyn = GuestBuild.Get("resident", LinkVariant.Dynamic);
        using var dir = new ResidentDir();
        var store = new ResidentStore(dir.Path);
        Assert.False(Restore.WorthRehearsing(store, dyn), "no snapshot yet: the run is cold");
        Register(dir, [stat], BaseEnv());
        Register(dir, [dyn], BaseEnv());
        Assert.False(Restore.WorthRehearsing(store, stat), "a static program's snapshot is taken at AT_ENTRY");
        Assert.True(Restore.WorthRehearsing(store, dyn), "a dynamic program's snapshot skips ld.so");
        // A #! script is restored from its interpreter's snapshot.
        Register(dir, ["/usr/bin/perl", "-e", "1"], BaseEnv());
        string script = Path.Combine(dir.Path, "s.pl");
        File.WriteAllText(script, "#!/usr/bin/perl\n1;\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.True(Restore.WorthRehearsing(store, script));
        Assert.False(Restore.WorthRehearsing(store, Path.Combine(dir.Path, "missing")));
    }

    [Fact]
    public void PointIsReadsTheMetaSectionAndNeverThrowsOnGarbage()
    {
        var s = new SnapshotImage { BuildId = "b", CpuProfile = "c", ProgramPath = "/p", Point = SnapshotPoint.DlStartUser };
        var file = SnapshotFile.Write(s);
        Assert.True(SnapshotFile.PointIs(file, SnapshotPoint.DlStartUser));
        Assert.False(SnapshotFile.PointIs(file, SnapshotPoint.AtEntry));
        s.Point = SnapshotPoint.AtEntry;
        Assert.True(SnapshotFile.PointIs(SnapshotFile.Write(s), SnapshotPoint.AtEntry));
        var rng = new Random(3);
        for (int n = 0; n < file.Length; n += 7) Assert.False(SnapshotFile.PointIs(file[..n], SnapshotPoint.AtEntry)); // truncated
        for (int i = 0; i < 2000; i++)
        {
            var bad = (byte[])file.Clone();
            bad[rng.Next(bad.Length)] = (byte)rng.Next(256);
            _ = SnapshotFile.PointIs(bad, SnapshotPoint.DlStartUser);
        }
    }

    private static HashSet<string> Fds() =>
        [.. Directory.GetFiles("/proc/self/fd").Select(f => $"{Path.GetFileName(f)}->{new FileInfo(f).LinkTarget}")];
}
