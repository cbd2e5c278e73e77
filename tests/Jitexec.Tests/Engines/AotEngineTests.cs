// The NativeAOT engine build (what ./jitexec runs) held to the same oracles as the CoreCLR one:
// guest programs in every link variant and real programs byte for byte against native runs,
// resident snapshots restored with output equal to plain runs, bad snapshots ignored, and
// snapshots shared with the ReadyToRun build (the same sources give the same build id).
// Programs run with --no-jit here, so they stay in this build; PromotionTests hand them over.
using System.Text;
using Jitexec.Tests.Programs;
using Jitexec.Tests.Resident;
using Xunit;
using static Jitexec.Tests.Resident.ResidentHarness;

namespace Jitexec.Tests.Engines;

public class AotEngineTests
{
    private static RunResult Aot(params string[] args) => ProcessRun.Run(EngineBuilds.Aot, args);

    [Fact]
    public void VersionNamesTheBuild()
    {
        var r = Aot("--version");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("NativeAOT: interpreter only", r.StdoutText);
        Assert.Contains("ReadyToRun: interpreter + IL JIT", ProcessRun.Run(EngineBuilds.ReadyToRun, ["--version"]).StdoutText);
    }

    /// <summary>Without a JIT build to hand over to, options that ask for compiled code are refused, not ignored.</summary>
    [Theory]
    [InlineData("--jit-always")]
    [InlineData("--jit-threshold", "10")]
    public void OptionsThatNeedCompiledCodeAreRefusedWithoutAJitBuild(params string[] option)
    {
        var noJitBuild = new Dictionary<string, string> { ["JITEXEC_JIT_BUILD"] = "/nonexistent/jitexec" };
        var r = ProcessRun.Run(EngineBuilds.Aot, [.. option, "/bin/true"], env: noJitBuild);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"jitexec: {option[0]} needs the JIT tier", r.StderrText);
        Assert.Empty(r.Stdout);
        var env = ProcessRun.Run(EngineBuilds.Aot, ["/bin/true"], env: new Dictionary<string, string>(noJitBuild) { ["JITEXEC_JIT"] = "always" });
        Assert.Equal(2, env.ExitCode);
        Assert.Contains("JITEXEC_JIT=always needs the JIT tier", env.StderrText);
        Assert.Equal(0, ProcessRun.Run(EngineBuilds.Aot, ["--no-jit", "--jit-stats", "/bin/true"], env: noJitBuild).ExitCode); // asking for less is fine
        Assert.Equal(0, Aot("--jit-always", "/bin/true").ExitCode); // with the JIT build beside it: handed over
    }

    public static IEnumerable<object[]> Programs()
    {
        var programs = new (string Name, string[] Args)[]
        {
            ("hello", ["one", "two words", ""]), ("strings", []), ("jumps", []), ("compute", ["1"]), ("fpenv", []), ("smc", []),
            ("crash", ["segv"]), ("crash", ["abort"]), ("crash", ["raise"]), ("crash", ["fpe"]), ("crash", ["exit"]),
        };
        foreach (var v in Enum.GetValues<LinkVariant>())
            foreach (var (name, args) in programs)
                yield return [name, v, args];
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void ProgramsMatchNative(string program, LinkVariant variant, string[] args)
    {
        string exe = GuestBuild.Get(program, variant);
        Differ.AssertSame(ProcessRun.Run(exe, args), Aot(["--no-jit", exe, .. args]));
    }

    [Theory]
    [InlineData("/usr/bin/perl", "-MData::Dumper", "-e", "$Data::Dumper::Sortkeys=1; my %h=map {$_=>length} qw(a bb ccc); print Dumper(\\%h), join(',', sort map {$_*$_} 1..20), \"\\n\"; exit 3")]
    [InlineData("/usr/bin/python3.11", "-c", "import json, hashlib, zlib; d={'k': list(range(5))}; print(json.dumps(d), hashlib.sha256(b'x').hexdigest(), len(zlib.compress(b'a'*1000)))")]
    [InlineData("/usr/bin/sort", "-r", "/etc/services")]
    [InlineData("/bin/ls", "-la", "/usr/share/perl5")]
    public void RealProgramsMatchNative(params string[] command)
    {
        var env = new Dictionary<string, string> { ["PYTHONHASHSEED"] = "0", ["PYTHONDONTWRITEBYTECODE"] = "1", ["LC_ALL"] = "C" };
        var native = ProcessRun.Run(command[0], command[1..], env: env);
        Differ.AssertSame(native, ProcessRun.Run(EngineBuilds.Aot, ["--no-jit", .. command], env: env));
    }

    [Theory]
    [InlineData(LinkVariant.Dynamic)]
    [InlineData(LinkVariant.Static)]
    public void RestoredRunsEqualPlainRuns(LinkVariant variant)
    {
        string exe = GuestBuild.Get("resident", variant);
        var env = BaseEnv();
        using var dir = new ResidentDir();
        Register(dir, [exe, "register"], env, engine: EngineBuilds.Aot);
        string big = new('x', 40_000);
        var cases = new (string[] Args, Dictionary<string, string> Env)[]
        {
            ([exe], env),
            ([exe, "one", "two words", "", big], new(env) { ["RT_A"] = big, ["RT_B"] = "b" }),
            ([exe, "abort"], env),
            ([exe, "raise"], env),
        };
        foreach (var (args, e) in cases)
        {
            var res = RunResident(dir, args, e, engine: EngineBuilds.Aot);
            Assert.True(res.Restored, $"not restored: {res.Why}");
            AssertSame(Plain(args, e), res);
        }
    }

    [Fact]
    public void PerlRestoresAndReportsItsRestoreTime()
    {
        using var dir = new ResidentDir();
        var env = BaseEnv();
        string[] perl = ["/usr/bin/perl", "-le", "print for reverse @ARGV; print $0; print scalar(keys %ENV)", "a", "b c"];
        Register(dir, perl, env, engine: EngineBuilds.Aot);
        var res = RunResident(dir, perl, env, engine: EngineBuilds.Aot);
        Assert.True(res.Restored, res.Why);
        AssertSame(Plain(perl, env), res);
        // -v reports the phases of the restore (the perf suite's restore-time scenario reads this line).
        Assert.Matches(@"^restored snapshot in [0-9.]+ ms \(read [0-9.]+, .*decode [0-9.]+\) from ", res.Messages.First(m => m.StartsWith("restored ")));
    }

    [Fact]
    public void DamagedSnapshotIsIgnoredAndReplaced()
    {
        string exe = GuestBuild.Get("resident", LinkVariant.Pie);
        var env = BaseEnv();
        using var dir = new ResidentDir();
        Register(dir, [exe], env, engine: EngineBuilds.Aot);
        var bytes = File.ReadAllBytes(dir.Single);
        bytes[bytes.Length - 100] ^= 0x40; // every section is checksummed
        File.WriteAllBytes(dir.Single, bytes);
        var cold = RunResident(dir, [exe, "x"], env, engine: EngineBuilds.Aot);
        Assert.False(cold.Restored, cold.Why);
        Assert.True(cold.Registered, $"the bad snapshot was not replaced: {cold.Why}");
        AssertSame(Plain([exe, "x"], env), cold);
        Assert.True(RunResident(dir, [exe, "y"], env, engine: EngineBuilds.Aot).Restored);
    }

    /// <summary>Both builds come from the same assemblies, so they have one build id and share
    /// snapshots: switching between ./jitexec and ./jitexec-clr must not replace them each time.</summary>
    [Fact]
    public void SnapshotsAreSharedWithTheReadyToRunBuild()
    {
        string exe = GuestBuild.Get("resident", LinkVariant.Dynamic);
        var env = BaseEnv();
        using var dir = new ResidentDir();
        Register(dir, [exe], env, engine: EngineBuilds.ReadyToRun);
        var byAot = RunResident(dir, [exe, "aot"], env, engine: EngineBuilds.Aot);
        Assert.True(byAot.Restored, byAot.Why);
        AssertSame(Plain([exe, "aot"], env), byAot);
        using var dir2 = new ResidentDir();
        Register(dir2, [exe], env, engine: EngineBuilds.Aot);
        var byR2r = RunResident(dir2, [exe, "r2r"], env, engine: EngineBuilds.ReadyToRun);
        Assert.True(byR2r.Restored, byR2r.Why);
        AssertSame(Plain([exe, "r2r"], env), byR2r);
    }

    [Fact]
    public void BadInputGetsTheSameErrorsAsTheDefaultBuild()
    {
        string notElf = Path.Combine(Path.GetTempPath(), $"jx-aot-notelf-{Environment.ProcessId}");
        File.WriteAllText(notElf, "plain text\n");
        File.SetUnixFileMode(notElf, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            foreach (var args in new[] { new[] { notElf }, ["/nonexistent/program"], ["/etc"], ["--bogus-option", "/bin/true"] })
            {
                var aot = Aot(args);
                var r2r = ProcessRun.Run(EngineBuilds.ReadyToRun, args);
                Assert.True(aot.ExitCode == r2r.ExitCode && aot.StderrText == r2r.StderrText && aot.Stdout.Length == 0,
                    $"{string.Join(' ', args)}\n=== NativeAOT ===\n{aot}\n=== ReadyToRun ===\n{r2r}");
                Assert.DoesNotContain("   at ", aot.StderrText); // never a .NET stack trace
            }
        }
        finally { File.Delete(notElf); }
    }
}
