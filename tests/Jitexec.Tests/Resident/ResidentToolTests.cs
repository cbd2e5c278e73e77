// `jitexec resident list|show|verify|rm|add|gc`, human and --json forms.
using System.Text.Json;
using Jitexec.Tests.Programs;
using Xunit;
using static Jitexec.Tests.Resident.ResidentHarness;

namespace Jitexec.Tests.Resident;

public class ResidentToolTests
{
    private static RunResult Tool(ResidentDir dir, params string[] args) => Exec(["--resident-dir", dir.Path, "resident", .. args], BaseEnv());

    [Fact]
    public void AddListShowVerifyRmGc()
    {
        using var dir = new ResidentDir();
        string exe = GuestBuild.Get("resident", LinkVariant.Dynamic);
        var add = Tool(dir, "add", exe, "ignored-arg");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("registered", add.StdoutText);
        Assert.DoesNotContain("argc=", add.StdoutText); // main did not run
        var again = Tool(dir, "add", exe);
        Assert.Contains("already registered", again.StdoutText);

        var list = Tool(dir, "list");
        Assert.Contains(exe, list.StdoutText);
        Assert.Contains("yes", list.StdoutText);
        using (var j = JsonDocument.Parse(Tool(dir, "list", "--json").Stdout))
        {
            var snap = Assert.Single(j.RootElement.GetProperty("snapshots").EnumerateArray());
            Assert.Equal(exe, snap.GetProperty("program").GetString());
            Assert.True(snap.GetProperty("valid").GetBoolean());
        }

        var show = Tool(dir, "show", exe);
        Assert.True(show.ExitCode == 0, show.ToString());
        foreach (var s in new[] { "dl_start_user", "libc.so.6", "/etc/ld.so.cache", "RATIO", "rip", "relocated", "hot code" })
            Assert.Contains(s, show.StdoutText);
        using (var j = JsonDocument.Parse(Tool(dir, "show", "--json", exe).Stdout))
        {
            Assert.Equal("dl_start_user", j.RootElement.GetProperty("point").GetString());
            Assert.Contains(j.RootElement.GetProperty("manifest").EnumerateArray(), m => m.GetProperty("path").GetString()!.EndsWith("libc.so.6"));
            Assert.True(j.RootElement.GetProperty("regions").GetArrayLength() > 5);
        }

        Assert.Equal(0, Tool(dir, "verify").ExitCode);
        Assert.Equal(0, Tool(dir, "verify", exe).ExitCode);
        var bytes = File.ReadAllBytes(dir.Single);
        bytes[^100] ^= 1;
        File.WriteAllBytes(dir.Single, bytes);
        var bad = Tool(dir, "verify", "--json");
        Assert.Equal(1, bad.ExitCode);
        using (var j = JsonDocument.Parse(bad.Stdout))
            Assert.False(j.RootElement[0].GetProperty("valid").GetBoolean());

        var gc = Tool(dir, "gc");
        Assert.Contains("1 removed", gc.StdoutText);
        Assert.Empty(dir.Snapshots);

        Assert.Equal(0, Tool(dir, "add", exe).ExitCode);
        Assert.Equal(0, Tool(dir, "rm", exe).ExitCode);
        Assert.Empty(dir.Snapshots);
        Assert.Equal(0, Tool(dir, "add", "/bin/true").ExitCode);
        Assert.Equal(0, Tool(dir, "add", exe).ExitCode);
        Assert.Equal(2, dir.Snapshots.Length);
        Assert.Equal(0, Tool(dir, "rm", "--all").ExitCode);
        Assert.Empty(dir.Snapshots);
        Assert.Equal(2, Tool(dir, "frobnicate").ExitCode);
    }

    [Fact]
    public void StaticProgramSnapshotsAtEntry()
    {
        using var dir = new ResidentDir();
        string exe = GuestBuild.Get("resident", LinkVariant.Static);
        Assert.Equal(0, Tool(dir, "add", exe).ExitCode);
        using var j = JsonDocument.Parse(Tool(dir, "show", "--json", exe).Stdout);
        Assert.Equal("at_entry", j.RootElement.GetProperty("point").GetString());
    }
}
