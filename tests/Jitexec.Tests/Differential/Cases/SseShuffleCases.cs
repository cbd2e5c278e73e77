// Differential cases for Semantics/Sse/SseShuffles.cs: pshufd/pshuflw/pshufhw/shufps/shufpd
// over a spread of imm8 values, the unpacks, pslldq/psrldq including counts past 15,
// pinsrw from r32/r64/m16 and pextrw to r32/r64 (imm8 above 7 uses its low bits), and the
// saturating packs; register and aligned-memory sources; misaligned m128 sources fault.
using Iced.Intel;
using Xunit;
using static Jitexec.Tests.Differential.Cases.Forms;
using static Jitexec.Tests.Differential.Cases.SseIntForms;

namespace Jitexec.Tests.Differential.Cases;

public class SseShuffleCases
{
    private static readonly int[] ShuffleImms = [0x00, 0x1B, 0xE4, 0x4E, 0xB1, 0xFF, 0x39, 0x8D];

    public static readonly CaseSet Cases = Build();

    private static CaseSet Build()
    {
        var set = new CaseSet();
        foreach (var op in new[] { "Pshufd", "Pshuflw", "Pshufhw", "Shufps" })
        {
            var code = CodeOf($"{op}_xmm_xmmm128_imm8");
            foreach (int imm in ShuffleImms) set.Add(XXI(code, imm).Iter(20));
            set.Add(XMI(code, 0x93).Iter(50));
        }
        foreach (int imm in new[] { 0, 1, 2, 3, 0xFE })
            set.Add(XXI(Code.Shufpd_xmm_xmmm128_imm8, imm).Iter(20));
        set.Add(XMI(Code.Shufpd_xmm_xmmm128_imm8, 1).Iter(50));
        set.Add(XXI(Code.Pshufd_xmm_xmmm128_imm8, 0x1B, X2, X2).Iter(20));

        foreach (var op in new[] { "Unpcklps", "Unpckhps", "Unpcklpd", "Unpckhpd",
                     "Punpcklbw", "Punpcklwd", "Punpckldq", "Punpcklqdq", "Punpckhbw", "Punpckhwd", "Punpckhdq", "Punpckhqdq",
                     "Packsswb", "Packssdw", "Packuswb" })
        {
            var code = CodeOf($"{op}_xmm_xmmm128");
            set.Add(XX(code).Iter(100));
            set.Add(XM(code).Iter(50));
            set.Add(XX(code, X2, X2).Iter(20));
        }

        foreach (int imm in new[] { 0, 1, 3, 7, 8, 9, 15, 16, 17, 0x80, 0xFF })
        {
            set.Add(XI(Code.Pslldq_xmm_imm8, imm).Iter(10));
            set.Add(XI(Code.Psrldq_xmm_imm8, imm).Iter(10));
        }

        foreach (int imm in new[] { 0, 3, 7, 9 })
        {
            set.Add(Insn(Instruction.Create(Code.Pinsrw_xmm_r32m16_imm8, X1, Register.EBX, imm)).In(Register.EBX, X1).Iter(20));
            set.Add(Insn(Instruction.Create(Code.Pextrw_r32_xmm_imm8, Register.EDX, X1, imm)).In(X1, Register.EDX).Iter(20));
        }
        set.Add(Insn(Instruction.Create(Code.Pinsrw_xmm_r64m16_imm8, X1, Register.R13, 5)).In(Register.R13, X1).Iter(20));
        set.Add(Insn(Instruction.Create(Code.Pextrw_r64_xmm_imm8, Register.R9, X1, 6)).In(X1, Register.R9).Iter(20));
        set.Add(XMI(Code.Pinsrw_xmm_r32m16_imm8, 2, 0x7F, 2).Iter(20));   // m16 straddling the page boundary: no alignment needed
        set.Add(XMI(Code.Pinsrw_xmm_r32m16_imm8, 6, 0x13, 2).Iter(20));
        return set;
    }

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);

    public static TheoryData<Tier> TierData() => new(Tiers.All);

    [Theory, MemberData(nameof(TierData))]
    public void MisalignedM128Faults(Tier tier)
    {
        foreach (var op in new[] { "Punpcklbw", "Punpcklqdq", "Unpcklps", "Packuswb" })
            AssertMisalignedFaults(tier, Instruction.Create(CodeOf($"{op}_xmm_xmmm128"), X1, Mem(0x48)));
        AssertMisalignedFaults(tier, Instruction.Create(Code.Pshufd_xmm_xmmm128_imm8, X1, Mem(0x44), 0x1B));
        AssertMisalignedFaults(tier, Instruction.Create(Code.Shufps_xmm_xmmm128_imm8, X1, Mem(0x42), 0x1B));
    }
}
