// Execution tiers a differential case runs in. Adding a tier: one enum member here, one
// entry in Tiers.All, and one switch arm in GuestRunner.Execute.
using Xunit;

namespace Jitexec.Tests.Differential;

public enum Tier
{
    Interpreter,
}

public static class Tiers
{
    public static readonly Tier[] All = [Tier.Interpreter];

    /// <summary>Theory data over every tier, for one-off cases: [Theory, MemberData(nameof(Tiers.Data), MemberType = typeof(Tiers))].</summary>
    public static TheoryData<Tier> Data => new(All);
}
