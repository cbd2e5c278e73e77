// Whole-program differential tests: each guest C program runs natively and under jitexec;
// stdout, stderr and exit status must be identical byte for byte.
using Xunit;

namespace Jitexec.Tests.Programs;

public class StaticProgramTests
{
    public static readonly LinkVariant[] StaticVariants = [LinkVariant.Static, LinkVariant.StaticPie];

    public static IEnumerable<object[]> Cases()
    {
        var programs = new (string Name, string[] Args)[]
        {
            ("hello", []),
            ("hello", ["one", "two words", "", "three"]),
            ("strings", []),
            ("jumps", []),
            ("compute", ["1"]),
            ("fpenv", []),
            ("smc", []),
            ("crash", ["segv"]),
            ("crash", ["segv-below"]),
            ("crash", ["abort"]),
            ("crash", ["raise"]),
            ("crash", ["fpe"]),
            ("crash", ["exit"]),
        };
        foreach (var tier in ExecTiers)
            foreach (var v in StaticVariants)
                foreach (var (name, args) in programs)
                    yield return [name, v, tier, args];
    }

    /// <summary>Every program runs interpreted only and with every block compiled first.</summary>
    public static readonly string[] ExecTiers = ["--no-jit", "--jit-always"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesNative(string program, LinkVariant variant, string tier, string[] args)
    {
        string exe = GuestBuild.Get(program, variant);
        var native = ProcessRun.Run(exe, args);
        var emulated = ProcessRun.Jitexec([tier, exe, .. args]);
        Differ.AssertSame(native, emulated);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void FileOperationsMatchNative(LinkVariant variant, string tier)
    {
        string exe = GuestBuild.Get("files", variant);
        string d1 = Directory.CreateTempSubdirectory("jx-native-").FullName;
        string d2 = Directory.CreateTempSubdirectory("jx-guest-").FullName;
        try
        {
            var native = ProcessRun.Run(exe, [d1]);
            var emulated = ProcessRun.Jitexec([tier, exe, d2]);
            Differ.AssertSame(native, emulated);
        }
        finally
        {
            Directory.Delete(d1, true);
            Directory.Delete(d2, true);
        }
    }

    /// <summary>Self-modifying code with the JIT compiling on its background thread (low threshold,
    /// so rewritten code has usually been compiled and swapped in before it is rewritten).</summary>
    [Theory]
    [MemberData(nameof(Variants))]
    public void SelfModifyingCodeWithBackgroundJit(LinkVariant variant, string tier)
    {
        if (tier != ExecTiers[0]) return; // one run per variant is enough
        string exe = GuestBuild.Get("smc", variant);
        var native = ProcessRun.Run(exe, []);
        var emulated = ProcessRun.Jitexec(["--jit-threshold", "20", exe], env: new Dictionary<string, string> { ["JITEXEC_JIT_WARMUP"] = "0" });
        Differ.AssertSame(native, emulated);
    }

    public static IEnumerable<object[]> Variants() =>
        from v in StaticVariants from t in ExecTiers select new object[] { v, t };
}
