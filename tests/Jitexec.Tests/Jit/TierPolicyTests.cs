// The JIT tier's region membership bar (JitTier.MemberCount): a quarter of the threshold for a
// head requested at the threshold, scaled down for a head the warm-up held back past it, with a floor.
using Jitexec.Translator.Jit;
using Xunit;

namespace Jitexec.Tests.Jit;

public class TierPolicyTests
{
    [Theory]
    [InlineData(5000UL, 5000, 1250UL)]     // requested at the threshold: threshold / 4
    [InlineData(5001UL, 5000, 1249UL)]
    [InlineData(12500UL, 5000, 500UL)]     // held back 2.5x past it: bar 2.5x lower
    [InlineData(10_000_000UL, 5000, 78UL)] // never below threshold / 64
    [InlineData(3UL, 1, 1UL)]              // tiny thresholds stay at least 1
    public void MemberBarScalesWithHowOverdueTheHeadIs(ulong headCount, int threshold, ulong expected)
        => Assert.Equal(expected, JitTier.MemberCount(headCount, threshold));
}
