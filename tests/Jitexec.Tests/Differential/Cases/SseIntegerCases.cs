// Differential cases for Semantics/Sse/SseInteger.cs, SsePackedMul.cs and SsePackedShifts.cs:
// every legacy XMM form of the packed logic, add/sub (wrapping, signed and unsigned
// saturating), compares, min/max, averages, multiplies, pmaddwd, psadbw, and the shifts by
// imm8 and by an xmm/m128 count (counts at and past the element width), register and
// aligned-memory sources; misaligned m128 sources must fault.
using Iced.Intel;
using Xunit;
using static Jitexec.Tests.Differential.Cases.Forms;
using static Jitexec.Tests.Differential.Cases.SseIntForms;

namespace Jitexec.Tests.Differential.Cases;

public class SseIntegerCases
{
    private static readonly string[] BinaryOps =
    [
        "Pxor", "Por", "Pand", "Pandn",
        "Paddb", "Paddw", "Paddd", "Paddq", "Psubb", "Psubw", "Psubd", "Psubq",
        "Paddsb", "Paddsw", "Paddusb", "Paddusw", "Psubsb", "Psubsw", "Psubusb", "Psubusw",
        "Pcmpeqb", "Pcmpeqw", "Pcmpeqd", "Pcmpgtb", "Pcmpgtw", "Pcmpgtd",
        "Pminub", "Pmaxub", "Pminsw", "Pmaxsw", "Pavgb", "Pavgw",
        "Pmullw", "Pmulhw", "Pmulhuw", "Pmuludq", "Pmaddwd", "Psadbw",
    ];

    private static readonly string[] Shifts = ["Psllw", "Pslld", "Psllq", "Psrlw", "Psrld", "Psrlq", "Psraw", "Psrad"];

    public static readonly CaseSet Cases = Build();

    private static CaseSet Build()
    {
        var set = new CaseSet();
        foreach (var op in BinaryOps)
        {
            var code = CodeOf($"{op}_xmm_xmmm128");
            set.Add(XX(code).Iter(150));
            set.Add(XM(code).Iter(100));
        }
        // Same-register idioms: zeroing, all-ones, self-compare.
        foreach (var op in new[] { "Pxor", "Pcmpeqb", "Pcmpeqd", "Psubb", "Pandn", "Pcmpgtw" })
            set.Add(XX(CodeOf($"{op}_xmm_xmmm128"), X2, X2).Iter(20));
        foreach (var op in Shifts)
        {
            foreach (int imm in new[] { 0, 1, 7, 8, 15, 16, 31, 32, 33, 63, 64, 0x80, 0xFF })
                set.Add(XI(CodeOf($"{op}_xmm_imm8"), imm).Iter(30));
            var byXmm = CodeOf($"{op}_xmm_xmmm128");
            set.Add(XX(byXmm).Iter(150));                        // counts: integer edges in the low qword
            set.Add(XX(byXmm).With((s, r) => s.Xmm[4] = (ulong)r.Next(70)).Named($"{op} xmm1,xmm2 (small counts)").Iter(200));
            set.Add(XM(byXmm).With((s, r) => { if (r.Next(2) == 0) BitConverter.TryWriteBytes(s.Buffer.AsSpan(Aligned), (ulong)r.Next(70)); }).Iter(100));
        }
        return set;
    }

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);

    public static TheoryData<Tier> TierData() => new(Tiers.All);

    [Theory, MemberData(nameof(TierData))]
    public void MisalignedM128Faults(Tier tier)
    {
        foreach (var op in new[] { "Pxor", "Paddb", "Pcmpeqb", "Pminub", "Pmaddwd", "Psadbw", "Psllq", "Psraw" })
            AssertMisalignedFaults(tier, Instruction.Create(CodeOf($"{op}_xmm_xmmm128"), X1, Mem(0x48)));
    }
}
