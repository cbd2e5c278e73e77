// Compiled code counts retired guest instructions exactly as the interpreter does (a block is
// counted when it is entered), although it adds the counts only on loop back-edges, unit
// entries and exits (UnitCompiler.Count.cs). Each program runs interpreted, with every block
// compiled first, and with a low threshold (units entered mid-loop at any member, background
// compilation; only a long enough program surely reaches its compiled code); --stats must
// report the same total every time.
using System.Text.RegularExpressions;
using Jitexec.Tests.Programs;
using Xunit;

namespace Jitexec.Tests.Jit;

public partial class RetiredCountTests
{
    [Theory]
    [InlineData("compute", new[] { "1" }, true)]
    [InlineData("jumps", new string[0], false)]
    [InlineData("strings", new string[0], false)]
    public void EveryTierCountsTheSameInstructions(string program, string[] args, bool longEnoughForThreshold)
    {
        string exe = GuestBuild.Get(program, LinkVariant.Static);
        var env = new Dictionary<string, string> { ["JITEXEC_JIT_WARMUP"] = "0" };
        ulong Count(string[] tier, bool expectCompiled)
        {
            var r = ProcessRun.Jitexec([.. tier, "--stats", "--jit-stats", exe, .. args], env: env);
            var m = Total().Match(r.StderrText);
            Assert.True(m.Success, r.ToString());
            if (expectCompiled)
            {
                var c = Compiled().Match(r.StderrText);
                Assert.True(c.Success && c.Groups[1].Value != "0", $"no compiled code ran:\n{r}");
            }
            return ulong.Parse(m.Groups[1].Value.Replace(",", ""));
        }
        ulong interpreted = Count(["--no-jit"], false);
        Assert.True(interpreted > 0);
        Assert.Equal(interpreted, Count(["--jit-always"], true));
        Assert.Equal(interpreted, Count(["--jit-threshold", "20"], longEnoughForThreshold));
    }

    [GeneratedRegex(@"jitexec: guest instructions +([\d,]+)")]
    private static partial Regex Total();

    [GeneratedRegex(@"compiled code ([\d,]+) \(")]
    private static partial Regex Compiled();
}
