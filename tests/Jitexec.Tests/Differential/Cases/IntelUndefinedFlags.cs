// Beyond the architectural contract: the shift, multiply and bit-op families also reproduce
// the values Intel CPUs give for flags the manual leaves undefined (OF for multi-bit shifts,
// AF after shifts, SF/ZF/PF/AF after mul, flags after bsf/bsr/bt/div). The regular cases mask
// those flags (as Iced reports them undefined); this re-runs every case of those families
// comparing all arithmetic flags, on Intel hosts only (AMD differs and is not modelled).
using System.Runtime.Intrinsics.X86;
using Xunit;

namespace Jitexec.Tests.Differential.Cases;

public class IntelUndefinedFlags
{
    private static readonly bool IsIntel = IsGenuineIntel();

    private static bool IsGenuineIntel()
    {
        if (!X86Base.IsSupported) return false;
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        return ebx == 0x756E6547 && edx == 0x49656E69 && ecx == 0x6C65746E; // "GenuineIntel"
    }

    public static TheoryData<string, Tier> Data()
    {
        var t = new TheoryData<string, Tier>();
        foreach (var family in new[] { "Shifts", "MulDiv", "BitOps" })
            foreach (var tier in Tiers.All)
                t.Add(family, tier);
        return t;
    }

    [Theory, MemberData(nameof(Data))]
    public void AllFlagsMatch(string family, Tier tier)
    {
        if (!IsIntel) return;
        var set = family switch { "Shifts" => ShiftCases.Cases, "MulDiv" => MulDivCases.Cases, _ => BitOpCases.Cases };
        var failures = new List<string>();
        foreach (var c in set)
        {
            var asm = Assembled.Create(c);
            ulong mask = StateDiff.ComparedFlags & ~c.IgnoredFlags;
            lock (DiffRunner.Gate)
            {
                NativeRunner.LoadCode(asm.Bytes, asm.Address);
                var guest = new GuestRunner(tier, asm);
                foreach (var input in DiffRunner.Inputs(c, DiffRunner.SeedFor(c.Name)).Take(50))
                {
                    var native = NativeRunner.Run(input);
                    var (g, fault) = guest.Run(input);
                    var diff = fault != null ? [$"guest fault {fault.Signal}: {fault.Message}"] : StateDiff.Compare(native, g, mask);
                    if (diff.Count == 0) continue;
                    failures.Add($"{c.Name}: {string.Join("; ", diff)}\ninput:\n{input}");
                    break;
                }
            }
            if (failures.Count >= 5) break;
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
