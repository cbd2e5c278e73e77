// Execution tiers a differential case runs in. Adding a tier: one enum member here, one
// entry in Tiers.All, and one switch arm in GuestRunner.Execute.
using Xunit;

namespace Jitexec.Tests.Differential;

public enum Tier
{
    Interpreter,
    /// <summary>Every block compiled by the IL JIT before it first runs (--jit-always).</summary>
    Jit,
}

public static class Tiers
{
    public static readonly Tier[] All = [Tier.Interpreter, Tier.Jit];

    /// <summary>Theory data over every tier, for one-off cases: [Theory, MemberData(nameof(Tiers.Data), MemberType = typeof(Tiers))].</summary>
    public static TheoryData<Tier> Data => new(All);
}
