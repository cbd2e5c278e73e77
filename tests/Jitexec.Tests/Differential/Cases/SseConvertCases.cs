// Differential cases for Semantics/Sse/SseConvert.cs and ldmxcsr/stmxcsr: integer<->float
// conversions in every register/memory and 32/64-bit form (edge integers, huge and NaN
// floats for the integer-indefinite results), float<->double, the packed conversions, and
// MXCSR loads (random valid values, then an operation that depends on them).
using Iced.Intel;
using Jitexec.Translator.Exec;
using Xunit;
using static Iced.Intel.AssemblerRegisters;
using static Jitexec.Tests.Differential.Cases.FpForms;
using static Jitexec.Tests.Differential.Cases.Forms;

namespace Jitexec.Tests.Differential.Cases;

public class SseConvertCases
{
    public static readonly CaseSet Cases = Build();

    private static DiffCase IntToFp(Code c, Register d, Register s) =>
        Insn(Instruction.Create(c, d, s)).In(s).InF64(d).WithRandomMxcsr().Iter(300);

    private static DiffCase IntToFpMem(Code c, Register d, int size) =>
        Insn(Instruction.Create(c, d, Mem(0x20))).InMem(0x20, size).WithRandomMxcsr().Iter(300);

    private static DiffCase FpToInt(Code c, Register d, int width) =>
        Insn(Instruction.Create(c, d, X2)).In(d).With((s, r) => Huge(s, r, 2, width))
            .With((s, r) => { if (width == 8) s.Xmm[4] = r.Next(2) == 0 ? s.Xmm[4] : EdgeValues.F64[r.Next(EdgeValues.F64.Length)]; })
            .WithRandomMxcsr().Iter(400);

    private static DiffCase FpToIntMem(Code c, Register d, int width) =>
        Insn(Instruction.Create(c, d, Mem(0x48))).In(d).With((s, r) => FillFp(s, r, 0x48, width, width)).WithRandomMxcsr().Iter(300);

    /// <summary>Values around the integer limits and halfway points, where rounding and range checks bite.</summary>
    private static void Huge(Jitexec.Tests.Differential.MachineState s, Random r, int xmm, int width)
    {
        if (r.Next(2) == 0) return;
        double v = r.Next(6) switch
        {
            0 => Math.ScaleB(1.0, 63) * (1 + (r.Next(5) - 2) * Math.ScaleB(1.0, -52)),
            1 => -Math.ScaleB(1.0, 31) - r.Next(3) * 0.5,
            2 => Math.ScaleB(1.0, 31) - r.Next(3) * 0.5,
            3 => r.Next(-100, 100) + 0.5,
            4 => (r.NextDouble() - 0.5) * Math.ScaleB(1.0, r.Next(70)),
            _ => -Math.ScaleB(1.0, 63) - r.Next(2) * 2048,
        };
        if (width == 8) s.Xmm[2 * xmm] = BitConverter.DoubleToUInt64Bits(v);
        else s.Xmm[2 * xmm] = s.Xmm[2 * xmm] & ~0xFFFF_FFFFUL | BitConverter.SingleToUInt32Bits((float)v);
    }

    private static CaseSet Build()
    {
        var set = new CaseSet();
        set.Add(IntToFp(Code.Cvtsi2sd_xmm_rm32, X1, Register.EAX));
        set.Add(IntToFp(Code.Cvtsi2sd_xmm_rm64, X1, Register.RAX));
        set.Add(IntToFp(Code.Cvtsi2ss_xmm_rm32, X1, Register.R9D));
        set.Add(IntToFp(Code.Cvtsi2ss_xmm_rm64, X1, Register.R9));
        set.Add(IntToFpMem(Code.Cvtsi2sd_xmm_rm32, X1, 4));
        set.Add(IntToFpMem(Code.Cvtsi2sd_xmm_rm64, X1, 8));
        set.Add(IntToFpMem(Code.Cvtsi2ss_xmm_rm32, X1, 4));
        set.Add(IntToFpMem(Code.Cvtsi2ss_xmm_rm64, X1, 8));
        foreach (var (name, width) in new[] { ("Cvtsd2si", 8), ("Cvttsd2si", 8), ("Cvtss2si", 4), ("Cvttss2si", 4) })
        {
            string src = width == 8 ? "xmmm64" : "xmmm32";
            set.Add(FpToInt(CodeOf($"{name}_r32_{src}"), Register.ECX, width).InF64(X2));
            set.Add(FpToInt(CodeOf($"{name}_r64_{src}"), Register.R10, width));
            set.Add(FpToIntMem(CodeOf($"{name}_r32_{src}"), Register.EDX, width));
            set.Add(FpToIntMem(CodeOf($"{name}_r64_{src}"), Register.RDX, width));
        }
        set.Add(XX(Code.Cvtsd2ss_xmm_xmmm64, 8));
        set.Add(XM(Code.Cvtsd2ss_xmm_xmmm64, 8, 8, 0x13));
        set.Add(XX(Code.Cvtss2sd_xmm_xmmm32, 4));
        set.Add(XM(Code.Cvtss2sd_xmm_xmmm32, 4, 4, 0x7E));
        set.Add(XX(Code.Cvtpd2ps_xmm_xmmm128, 8));
        set.Add(XM(Code.Cvtpd2ps_xmm_xmmm128, 8, 16));
        set.Add(XX(Code.Cvtps2pd_xmm_xmmm64, 4));
        set.Add(XM(Code.Cvtps2pd_xmm_xmmm64, 4, 8, 0x7C));
        set.Add(XX(Code.Cvtps2dq_xmm_xmmm128, 4).With((s, r) => Huge(s, r, 2, 4)));
        set.Add(XM(Code.Cvtps2dq_xmm_xmmm128, 4, 16));
        set.Add(XX(Code.Cvttps2dq_xmm_xmmm128, 4).With((s, r) => Huge(s, r, 2, 4)));
        set.Add(XM(Code.Cvttps2dq_xmm_xmmm128, 4, 16));
        set.Add(XX(Code.Cvtpd2dq_xmm_xmmm128, 8).With((s, r) => Huge(s, r, 2, 8)));
        set.Add(XM(Code.Cvtpd2dq_xmm_xmmm128, 8, 16));
        set.Add(XX(Code.Cvttpd2dq_xmm_xmmm128, 8).With((s, r) => Huge(s, r, 2, 8)));
        set.Add(XM(Code.Cvttpd2dq_xmm_xmmm128, 8, 16));
        set.Add(Insn(Instruction.Create(Code.Cvtdq2pd_xmm_xmmm64, X1, X2)).In(X2).Iter(300));
        set.Add(Insn(Instruction.Create(Code.Cvtdq2pd_xmm_xmmm64, X1, Mem(0x24))).InMem(0x24, 8).Iter(300));
        set.Add(Insn(Instruction.Create(Code.Cvtdq2ps_xmm_xmmm128, X1, X2)).In(X2).WithRandomMxcsr().Iter(300));
        set.Add(Insn(Instruction.Create(Code.Cvtdq2ps_xmm_xmmm128, X1, Mem(0x60))).InMem(0x60, 8).WithRandomMxcsr().Iter(300));
        // ldmxcsr with a random valid value, an operation that obeys it, stmxcsr.
        set.Add(new DiffCase(a => { a.ldmxcsr(__dword_ptr[r15 + 0x30]); a.addsd(xmm1, xmm2); a.cvtsd2si(rax, xmm1); a.stmxcsr(__dword_ptr[r15 + 0x34]); })
            .InF64(xmm1, xmm2).With((s, r) => BitConverter.TryWriteBytes(s.Buffer.AsSpan(0x30), (uint)r.Next(0x10000) | 0x1F80))
            .Named("ldmxcsr/addsd/cvtsd2si/stmxcsr"));
        set.Add(new DiffCase(a => a.stmxcsr(__dword_ptr[r15 + 0x7E])).WithRandomMxcsr());
        return set;
    }

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);

    public static TheoryData<Tier> TierData() => new(Tiers.All);

    [Theory, MemberData(nameof(TierData))]
    public void LdmxcsrReservedBitsFault(Tier tier) =>
        DiffRunner.AssertFaults(tier, a => a.ldmxcsr(__dword_ptr[r15 + 0x30]),
            s => BitConverter.TryWriteBytes(s.Buffer.AsSpan(0x30), 0x11F80u), GuestFault.SIGSEGV);
}
