// Differential cases for Semantics/Sse/SseMoves.cs: the aligned and unaligned 128-bit moves
// (loads, stores, register forms, misaligned and page-straddling unaligned addresses),
// non-temporal stores, movd/movq in every direction and encoding, movss/movsd merge vs
// zeroing, the half-register moves, sign-bit masks, maskmovdqu; misaligned aligned-form
// operands must fault.
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;
using static Jitexec.Tests.Differential.Cases.Forms;
using static Jitexec.Tests.Differential.Cases.SseIntForms;

namespace Jitexec.Tests.Differential.Cases;

public class SseMoveCases
{
    public static readonly CaseSet Cases = Build();

    private static CaseSet Build()
    {
        var set = new CaseSet();
        foreach (var m in new[] { "Movaps", "Movapd", "Movdqa", "Movups", "Movupd", "Movdqu" })
        {
            set.Add(XX(CodeOf($"{m}_xmm_xmmm128")).Iter(20));
            set.Add(XX(CodeOf($"{m}_xmmm128_xmm"), X3, X1).Iter(20));   // 0F 29/11/7F register form
            set.Add(XM(CodeOf($"{m}_xmm_xmmm128")).Iter(20));
            set.Add(MX(CodeOf($"{m}_xmmm128_xmm")).Iter(20));
            if (m.Contains('u'))
            {
                set.Add(XM(CodeOf($"{m}_xmm_xmmm128"), 0x13).Iter(20));
                set.Add(XM(CodeOf($"{m}_xmm_xmmm128"), 120).Iter(20));    // straddles the page boundary at r15+128
                set.Add(MX(CodeOf($"{m}_xmmm128_xmm"), 0x77).Iter(20));
            }
        }
        foreach (var m in new[] { "Movntps_m128_xmm", "Movntpd_m128_xmm", "Movntdq_m128_xmm" })
            set.Add(MX(CodeOf(m), 0x60).Iter(20));
        set.Add(Insn(Instruction.Create(Code.Movnti_m32_r32, Mem(0x13), Register.EBX)).In(Register.EBX));
        set.Add(Insn(Instruction.Create(Code.Movnti_m64_r64, Mem(0x21), Register.R9)).In(Register.R9));

        // movd/movq between GPRs, memory and XMM (both movq encodings).
        set.Add(XR(Code.Movd_xmm_rm32, X1, Register.EAX));
        set.Add(XR(Code.Movq_xmm_rm64, X9, Register.R12));
        set.Add(XM(Code.Movd_xmm_rm32, 0x13, 4));
        set.Add(XM(Code.Movq_xmm_rm64, 0x7C, 8));
        set.Add(RX(Code.Movd_rm32_xmm, Register.ECX, X1));
        set.Add(RX(Code.Movq_rm64_xmm, Register.R10, X14));
        set.Add(MX(Code.Movd_rm32_xmm, 0x7E));
        set.Add(MX(Code.Movq_rm64_xmm, 0x13));
        set.Add(XX(Code.Movq_xmm_xmmm64));
        set.Add(XM(Code.Movq_xmm_xmmm64, 0x7C, 8));
        set.Add(XX(Code.Movq_xmmm64_xmm, X3, X1));
        set.Add(MX(Code.Movq_xmmm64_xmm, 0x45));

        // movss/movsd: register forms merge, loads zero the upper part, stores write one element.
        foreach (var (m, size) in new[] { ("Movss", 4), ("Movsd", 8) })
        {
            int bits = size * 8;
            set.Add(XX(CodeOf($"{m}_xmm_xmmm{bits}")));
            set.Add(XX(CodeOf($"{m}_xmmm{bits}_xmm"), X3, X1));
            set.Add(XM(CodeOf($"{m}_xmm_xmmm{bits}"), 0x7E - size / 2, size));
            set.Add(MX(CodeOf($"{m}_xmmm{bits}_xmm"), 0x13));
        }

        foreach (var m in new[] { "Movlps", "Movhps", "Movlpd", "Movhpd" })
        {
            set.Add(XM(CodeOf($"{m}_xmm_m64"), 0x13, 8));
            set.Add(MX(CodeOf($"{m}_m64_xmm"), 0x7C));
        }
        set.Add(XX(Code.Movhlps_xmm_xmm));
        set.Add(XX(Code.Movlhps_xmm_xmm));
        set.Add(XX(Code.Movhlps_xmm_xmm, X2, X2).Iter(20));

        set.Add(RX(Code.Movmskps_r32_xmm, Register.EDX, X1));
        set.Add(RX(Code.Movmskps_r64_xmm, Register.R11, X5));
        set.Add(RX(Code.Movmskpd_r32_xmm, Register.ESI, X1));
        set.Add(RX(Code.Movmskpd_r64_xmm, Register.RBX, X7));
        set.Add(RX(Code.Pmovmskb_r32_xmm, Register.EAX, X1));
        set.Add(RX(Code.Pmovmskb_r64_xmm, Register.R8, X12));

        set.Add(new DiffCase(a => a.maskmovdqu(xmm1, xmm2)).In(X1, X2).PointAtBuffer(Register.RDI, 0x33)
            .With((s, r) => { Lanes(s, r, 1); Lanes(s, r, 2); }).Named("maskmovdqu [rdi],xmm1,xmm2"));
        set.Add(new DiffCase(a => a.maskmovdqu(xmm1, xmm2)).In(X1, X2).PointAtBuffer(Register.RDI, 120)
            .With((s, r) => { Lanes(s, r, 1); Lanes(s, r, 2); }).Named("maskmovdqu [rdi],xmm1,xmm2 (page straddle)"));

        // A memcpy/strlen-like sequence, as glibc's SSE2 routines use them.
        set.Add(new DiffCase(a =>
        {
            a.movdqu(xmm0, __xmmword_ptr[r15 + 0x13]);
            a.pxor(xmm1, xmm1);
            a.pcmpeqb(xmm1, xmm0);
            a.pmovmskb(eax, xmm1);
            a.movdqa(__xmmword_ptr[r15 + 0x60], xmm0);
            a.movq(rdx, xmm0);
            a.movhps(__qword_ptr[r15 + 0x79], xmm0);
        }).InMem(0x13, 8).With((s, r) => MemLanes(s, r, 0x10, 32)).Named("movdqu/pcmpeqb/pmovmskb/movdqa/movq/movhps sequence"));
        return set;
    }

    private const Register X5 = Register.XMM5, X7 = Register.XMM7, X9 = Register.XMM9, X12 = Register.XMM12, X14 = Register.XMM14;

    /// <summary>xmm, r32/r64.</summary>
    private static DiffCase XR(Code c, Register x, Register g) =>
        Insn(Instruction.Create(c, x, g)).In(g, x).With((s, r) => Lanes(s, r, x - Register.XMM0));

    /// <summary>r32/r64, xmm.</summary>
    private static DiffCase RX(Code c, Register g, Register x) =>
        Insn(Instruction.Create(c, g, x)).In(x, g).With((s, r) => Lanes(s, r, x - Register.XMM0));

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);

    public static TheoryData<Tier> TierData() => new(Tiers.All);

    [Theory, MemberData(nameof(TierData))]
    public void MisalignedAlignedFormsFault(Tier tier)
    {
        foreach (var m in new[] { "Movaps", "Movapd", "Movdqa" })
        {
            AssertMisalignedFaults(tier, Instruction.Create(CodeOf($"{m}_xmm_xmmm128"), X1, Mem(0x48)));
            AssertMisalignedFaults(tier, Instruction.Create(CodeOf($"{m}_xmmm128_xmm"), Mem(0x44), X1));
        }
        foreach (var m in new[] { "Movntps_m128_xmm", "Movntpd_m128_xmm", "Movntdq_m128_xmm" })
            AssertMisalignedFaults(tier, Instruction.Create(CodeOf(m), Mem(0x41), X1));
    }
}
