// Hand-off from the NativeAOT build to the ReadyToRun build when a program gets hot
// (Cli/Promotion.cs, Kernel/Handoff): the guest must not notice. Programs are handed over
// early (threshold 2, no warm-up: in the C start-up code) and late (a perl loop with the
// default threshold), and the runs compare byte for byte with native ones, including open
// files, a half-read stdin pipe, fatal signals and a --strace file written by both builds.
// -v announces the hand-off; those "jitexec: " lines are the only ones taken out of stderr
// before comparing (native programs never print them).
using System.Text;
using Jitexec.Tests.Programs;
using Xunit;

namespace Jitexec.Tests.Engines;

public class PromotionTests
{
    private const string HandedOver = "jitexec: handing over to the JIT build after ";
    private static readonly Dictionary<string, string> Early = new() { ["JITEXEC_JIT_WARMUP"] = "0" };

    /// <summary>Run under the NativeAOT build with -v, require a hand-off, and return the run with
    /// jitexec's own lines taken out of stderr.</summary>
    private static RunResult HandOff(string[] args, Dictionary<string, string>? env = null, string? stdin = null, string? cwd = null)
    {
        var r = ProcessRun.Run(EngineBuilds.Aot, ["-v", .. args], stdin, env, cwd);
        var lines = r.StderrText.Split('\n');
        Assert.True(lines.Any(l => l.StartsWith(HandedOver, StringComparison.Ordinal)), $"no hand-off happened:\n{r}");
        return WithoutJitexecLines(r);
    }

    private static RunResult WithoutJitexecLines(RunResult r) =>
        r with { Stderr = Encoding.UTF8.GetBytes(string.Join('\n', r.StderrText.Split('\n').Where(l => !l.StartsWith("jitexec: ", StringComparison.Ordinal)))) };

    [Theory]
    [MemberData(nameof(AotEngineTests.Programs), MemberType = typeof(AotEngineTests))]
    public void ProgramsHandedOverEarlyMatchNative(string program, LinkVariant variant, string[] args)
    {
        string exe = GuestBuild.Get(program, variant);
        Differ.AssertSame(ProcessRun.Run(exe, args), HandOff(["--jit-threshold", "2", exe, .. args], Early));
    }

    [Theory]
    [InlineData(LinkVariant.Static)]
    [InlineData(LinkVariant.Pie)]
    public void OpenFilesSurviveTheHandOff(LinkVariant variant)
    {
        string exe = GuestBuild.Get("files", variant);
        string d1 = Directory.CreateTempSubdirectory("jx-native-").FullName, d2 = Directory.CreateTempSubdirectory("jx-handoff-").FullName;
        try
        {
            // Threshold 50: the hand-off comes once files.c is under way, with its descriptors open.
            Differ.AssertSame(ProcessRun.Run(exe, [d1]), HandOff(["--jit-threshold", "50", exe, d2], Early));
        }
        finally
        {
            Directory.Delete(d1, true);
            Directory.Delete(d2, true);
        }
    }

    /// <summary>A shared file mapping is mapped again from its file by the JIT build: writes before and
    /// after the hand-off both reach the file.</summary>
    [Fact]
    public void SharedFileMappingIsMappedAgain()
    {
        string exe = GuestBuild.Get("shared", LinkVariant.Static);
        string d1 = Directory.CreateTempSubdirectory("jx-native-").FullName, d2 = Directory.CreateTempSubdirectory("jx-handoff-").FullName;
        try
        {
            // Threshold 5000: past the C start-up, inside the first busy loop over the mapping.
            Differ.AssertSame(ProcessRun.Run(exe, ["file", d1]), HandOff(["--jit-threshold", "5000", exe, "file", d2], Early));
            Assert.Equal(File.ReadAllBytes(Path.Combine(d1, "shared.bin")), File.ReadAllBytes(Path.Combine(d2, "shared.bin")));
        }
        finally
        {
            Directory.Delete(d1, true);
            Directory.Delete(d2, true);
        }
    }

    /// <summary>Shared anonymous memory cannot cross execve: the hand-off is refused and the run goes on interpreted.</summary>
    [Fact]
    public void SharedAnonymousMemoryKeepsTheRunHere()
    {
        string exe = GuestBuild.Get("shared", LinkVariant.Static);
        var r = ProcessRun.Run(EngineBuilds.Aot, ["-v", "--jit-threshold", "5000", exe, "anon"], env: Early);
        Assert.Contains("jitexec: not handed over to the JIT build (shared anonymous mapping at ", r.StderrText);
        Assert.DoesNotContain(HandedOver, r.StderrText);
        var native = ProcessRun.Run(exe, ["anon"]);
        Assert.True(native.ExitCode == r.ExitCode && native.Stdout.AsSpan().SequenceEqual(r.Stdout), r.ToString());
    }

    [Fact]
    public void LongPerlRunIsHandedOverAndCompiled()
    {
        string[] perl = ["/usr/bin/perl", "-e", "my %h; for my $i (1..200000) { $h{$i % 977} += $i * 3 % 11 } print join(',', map { $h{$_} } sort { $a <=> $b } keys %h), \"\\n\"; print STDERR \"done\\n\"; exit 7"];
        var native = ProcessRun.Run(perl[0], perl[1..]);
        Assert.Equal(7, native.ExitCode);
        var r = ProcessRun.Run(EngineBuilds.Aot, ["-v", "--jit-stats", .. perl]);
        Assert.Contains(HandedOver, r.StderrText);
        var units = System.Text.RegularExpressions.Regex.Match(r.StderrText, @"jit units compiled (\d+)");
        Assert.True(units.Success && int.Parse(units.Groups[1].Value) > 0, $"the JIT build compiled nothing after the hand-off:\n{r.StderrText}");
        Differ.AssertSame(native, WithoutJitexecLines(r));
    }

    [Fact]
    public void HalfReadStdinPipeContinues()
    {
        var input = new StringBuilder();
        for (int i = 0; i < 40_000; i++) input.Append("line ").Append(i).Append(" of the input\n");
        string[] perl = ["/usr/bin/perl", "-ne", "$n++; $s += length; print uc if $. % 5000 == 0; END { print \"$n $s\\n\" }"];
        var native = ProcessRun.Run(perl[0], perl[1..], input.ToString());
        Differ.AssertSame(native, HandOff(["--jit-threshold", "200", .. perl], Early, input.ToString()));
    }

    [Fact]
    public void StraceFileIsContinuedByTheJitBuild()
    {
        string trace = Path.Combine(Path.GetTempPath(), $"jx-handoff-trace-{Environment.ProcessId}.txt");
        try
        {
            string exe = GuestBuild.Get("hello", LinkVariant.Dynamic);
            var r = HandOff(["--jit-threshold", "5", "--strace", "-o", trace, exe], Early);
            Differ.AssertSame(ProcessRun.Run(exe, []), r);
            var lines = File.ReadAllLines(trace);
            Assert.StartsWith("execve(", lines[0]);                  // written by the NativeAOT build
            Assert.Contains(lines, l => l.StartsWith("write(1, "));   // by the JIT build, after the hand-off
            Assert.Equal($"+++ exited with {r.ExitCode} +++", lines[^1]);
        }
        finally { File.Delete(trace); }
    }

    [Fact]
    public void MismatchedJitBuildIsNotHandedOverAndTheRunGoesOn()
    {
        // A "JIT build" whose assemblies are not this build's: no hand-off, the interpreter finishes the run.
        string fake = Directory.CreateTempSubdirectory("jx-fake-jit-").FullName;
        try
        {
            string bin = Path.Combine(fake, "jitexec");
            File.Copy("/bin/true", bin);
            string exe = GuestBuild.Get("compute", LinkVariant.Static);
            var env = new Dictionary<string, string>(Early) { ["JITEXEC_JIT_BUILD"] = bin };
            var r = ProcessRun.Run(EngineBuilds.Aot, ["-v", "--jit-threshold", "2", exe, "1"], env: env);
            Assert.Contains("jitexec: not handed over to the JIT build (cannot read the build id of", r.StderrText);
            var native = ProcessRun.Run(exe, ["1"]);
            Assert.True(native.ExitCode == r.ExitCode && native.Stdout.AsSpan().SequenceEqual(r.Stdout), r.ToString());
        }
        finally { Directory.Delete(fake, true); }
    }

    [Fact]
    public void ResidentRestoreThenHandOff()
    {
        using var dir = new Resident.ResidentDir();
        string[] perl = ["/usr/bin/perl", "-e", "my $s = 0; $s += $_ % 13 for 1..300000; print \"$s @ARGV\\n\"", "x"];
        var env = Resident.ResidentHarness.BaseEnv();
        Resident.ResidentHarness.Register(dir, perl, env, engine: EngineBuilds.Aot);
        var r = Resident.ResidentHarness.RunResident(dir, perl, env, engine: EngineBuilds.Aot);
        Assert.True(r.Restored, r.Why);
        Assert.Contains(HandedOver, r.Guest.StderrText);
        var native = ProcessRun.Run(perl[0], perl[1..]);
        Assert.Equal(native.StdoutText, r.Guest.StdoutText);
        Assert.Equal(native.ExitCode, r.Guest.ExitCode);
        // That run's JIT build merged the units it compiled into the snapshot; the next restored
        // run hands them to the JIT build's tier right after its own hand-off.
        var again = Resident.ResidentHarness.RunResident(dir, perl, env, engine: EngineBuilds.Aot);
        Assert.True(again.Restored, again.Why);
        Assert.Contains(again.Messages, m => m.StartsWith("hot-code profile: ", StringComparison.Ordinal) && m.EndsWith("handed to the JIT", StringComparison.Ordinal));
        Assert.Equal(native.StdoutText, again.Guest.StdoutText);
    }
}
