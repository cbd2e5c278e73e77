// The hot-code profile: a registering run of a loop-heavy program records the units the JIT
// compiled; a restored run compiles them from the profile (before the threshold), with the
// output of a native run; --no-jit ignores it; a corrupted profile is caught by its checksum;
// concurrent runs merging into one snapshot leave one valid file.
using System.Text.Json;
using Jitexec.Snapshot;
using Jitexec.Tests.Programs;
using Xunit;
using static Jitexec.Tests.Resident.ResidentHarness;

namespace Jitexec.Tests.Resident;

public class ResidentProfileTests
{
    private static readonly string Exe = GuestBuild.Get("compute", LinkVariant.Dynamic);
    private static readonly string[] Args = [Exe, "1"];

    private static Dictionary<string, string> Env(params (string K, string V)[] extra)
    {
        var e = BaseEnv();
        e["JITEXEC_JIT_STATS"] = "1";
        foreach (var (k, v) in extra) e[k] = v;
        return e;
    }

    private static JsonElement Show(ResidentDir dir)
    {
        var r = Exec(["--resident-dir", dir.Path, "resident", "show", "--json", Exe], BaseEnv());
        Assert.True(r.ExitCode == 0, r.ToString());
        return JsonDocument.Parse(r.Stdout).RootElement.Clone();
    }

    private static void AssertNative(ResidentRun run)
    {
        var native = ProcessRun.Run(Exe, Args[1..]);
        Assert.True(native.ExitCode == run.Guest.ExitCode && native.Stdout.AsSpan().SequenceEqual(run.Guest.Stdout)
            && native.Stderr.AsSpan().SequenceEqual(run.Guest.Stderr), $"differs from native ({run.Why})\n{native}\n---\n{run.Guest}");
    }

    /// <summary>Register with a run long enough for the JIT to compile (past the warm-up).</summary>
    private static ResidentDir Registered()
    {
        var dir = new ResidentDir();
        var reg = Register(dir, Args, Env());
        Assert.True(reg.Stat("jit units compiled") > 0, reg.Why);
        Assert.Contains(reg.Messages, m => m.StartsWith("profile updated", StringComparison.Ordinal));
        AssertNative(reg);
        return dir;
    }

    [Fact]
    public void RestoredRunCompilesTheProfileBeforeTheThreshold()
    {
        using var dir = Registered();
        var profile = Show(dir).GetProperty("profile");
        Assert.True(profile.GetProperty("units").GetInt32() > 0);
        Assert.True(Show(dir).GetProperty("hotBlocks").GetInt32() > 0);

        // A threshold that is never reached: every unit this run compiles comes from the profile.
        var run = RunResident(dir, Args, Env(("JITEXEC_JIT_THRESHOLD", "1000000000")));
        Assert.True(run.Restored, run.Why);
        AssertNative(run);
        long fromProfile = run.Stat("jit units compiled from profile");
        Assert.True(fromProfile > 0, run.Why);
        Assert.Equal(run.Stat("jit units compiled"), fromProfile);

        // With the default threshold as well.
        var again = RunResident(dir, Args, Env());
        Assert.True(again.Restored, again.Why);
        AssertNative(again);
        Assert.True(again.Stat("jit units compiled from profile") > 0, again.Why);
    }

    [Fact]
    public void NoJitIgnoresTheProfile()
    {
        using var dir = Registered();
        var before = File.ReadAllBytes(dir.Single);
        var run = RunResident(dir, Args, Env(("JITEXEC_JIT", "0")));
        Assert.True(run.Restored, run.Why);
        AssertNative(run);
        Assert.Contains(run.Messages, m => m == "jit tier off");
        Assert.DoesNotContain(run.Messages, m => m.Contains("profile"));
        Assert.Equal(before, File.ReadAllBytes(dir.Single));
    }

    [Fact]
    public void CorruptedProfileFallsBackCold()
    {
        using var dir = Registered();
        var bytes = File.ReadAllBytes(dir.Single);
        var (_, off, len) = Assert.Single(SnapshotFile.Sections(bytes), s => s.Name == "Profile");
        Assert.True(len > 8, "the profile section should hold units");
        bytes[(int)(off + len / 2)] ^= 0x10;
        File.WriteAllBytes(dir.Single, bytes);
        var cold = RunResident(dir, Args, Env());
        Assert.False(cold.Restored);
        Assert.Contains("checksum mismatch in section Profile", cold.Why);
        AssertNative(cold);
        Assert.True(cold.Registered, cold.Why);
        var warm = RunResident(dir, Args, Env());
        Assert.True(warm.Restored, warm.Why);
        Assert.True(warm.Stat("jit units compiled from profile") > 0, warm.Why);
    }

    [Fact]
    public async Task ConcurrentProfileUpdatesLeaveOneValidSnapshot()
    {
        using var dir = new ResidentDir();
        // Registered by a short run: the profile starts empty, so every restored run below merges.
        var reg = Register(dir, [Exe, "0"], Env());
        Assert.Equal(0, Show(dir).GetProperty("hotUnits").GetInt32());
        var runs = Enumerable.Range(0, 4).Select(_ => Task.Run(() => RunResident(dir, Args, Env()))).ToArray();
        foreach (var r in await Task.WhenAll(runs))
        {
            Assert.True(r.Restored, r.Why);
            AssertNative(r);
        }
        Assert.Single(dir.Snapshots);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp.*"));
        var img = SnapshotFile.Read(File.ReadAllBytes(dir.Single)); // all checksums hold
        var p = img.ReadProfile();
        Assert.NotEmpty(p.Units);
        Assert.InRange(p.Generation, 1u, 4u);
        var warm = RunResident(dir, Args, Env());
        Assert.True(warm.Restored, warm.Why);
        Assert.True(warm.Stat("jit units compiled from profile") > 0, warm.Why);
        _ = reg;
    }
}
