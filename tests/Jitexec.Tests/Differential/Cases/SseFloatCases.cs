// Differential cases for Semantics/Sse/SseFloat.cs: add sub mul div sqrt min max in the
// ss/sd/ps/pd forms (register and memory sources), cmpss/cmpsd/cmpps/cmppd with all eight
// predicates, (u)comiss/(u)comisd, and the bitwise and/andn/or/xor ps/pd; every case runs
// under random MXCSR (rounding modes, FTZ, DAZ, sticky flags), which is compared exactly.
using Iced.Intel;
using Jitexec.Translator.Exec;
using Xunit;
using static Iced.Intel.AssemblerRegisters;
using static Jitexec.Tests.Differential.Cases.FpForms;
using static Jitexec.Tests.Differential.Cases.Forms;

namespace Jitexec.Tests.Differential.Cases;

public class SseFloatCases
{
    public static readonly CaseSet Cases = Build();

    private static CaseSet Build()
    {
        var set = new CaseSet();
        foreach (var op in new[] { "Add", "Sub", "Mul", "Div", "Min", "Max" })
        {
            set.Add(XX(CodeOf($"{op}sd_xmm_xmmm64"), 8));
            set.Add(XM(CodeOf($"{op}sd_xmm_xmmm64"), 8, 8, 0x13));
            set.Add(XX(CodeOf($"{op}ss_xmm_xmmm32"), 4));
            set.Add(XM(CodeOf($"{op}ss_xmm_xmmm32"), 4, 4, 0x7E));
            set.Add(XX(CodeOf($"{op}pd_xmm_xmmm128"), 8));
            set.Add(XM(CodeOf($"{op}pd_xmm_xmmm128"), 8, 16));
            set.Add(XX(CodeOf($"{op}ps_xmm_xmmm128"), 4));
            set.Add(XM(CodeOf($"{op}ps_xmm_xmmm128"), 4, 16));
        }
        set.Add(XX(Code.Sqrtsd_xmm_xmmm64, 8));
        set.Add(XM(Code.Sqrtsd_xmm_xmmm64, 8, 8));
        set.Add(XX(Code.Sqrtss_xmm_xmmm32, 4));
        set.Add(XM(Code.Sqrtss_xmm_xmmm32, 4, 4));
        set.Add(XX(Code.Sqrtpd_xmm_xmmm128, 8));
        set.Add(XM(Code.Sqrtpd_xmm_xmmm128, 8, 16));
        set.Add(XX(Code.Sqrtps_xmm_xmmm128, 4));
        set.Add(XM(Code.Sqrtps_xmm_xmmm128, 4, 16));
        for (int pred = 0; pred < 8; pred++)
        {
            set.Add(XXI(Code.Cmpsd_xmm_xmmm64_imm8, 8, pred));
            set.Add(XXI(Code.Cmpss_xmm_xmmm32_imm8, 4, pred));
            set.Add(XXI(Code.Cmppd_xmm_xmmm128_imm8, 8, pred));
            set.Add(XXI(Code.Cmpps_xmm_xmmm128_imm8, 4, pred));
        }
        set.Add(XMI(Code.Cmpsd_xmm_xmmm64_imm8, 8, 8, 6, 0x13));   // cmpnlesd, as in the census
        set.Add(XMI(Code.Cmpss_xmm_xmmm32_imm8, 4, 4, 1));
        set.Add(XMI(Code.Cmppd_xmm_xmmm128_imm8, 8, 16, 4));
        set.Add(XMI(Code.Cmpps_xmm_xmmm128_imm8, 4, 16, 3));
        set.Add(XXI(Code.Cmpsd_xmm_xmmm64_imm8, 8, 0xF9));       // legacy SSE ignores imm8[7:3]
        foreach (var op in new[] { "Comisd_xmm_xmmm64", "Ucomisd_xmm_xmmm64" })
        {
            set.Add(XX(CodeOf(op), 8));
            set.Add(XM(CodeOf(op), 8, 8, 0x7C));
        }
        foreach (var op in new[] { "Comiss_xmm_xmmm32", "Ucomiss_xmm_xmmm32" })
        {
            set.Add(XX(CodeOf(op), 4));
            set.Add(XM(CodeOf(op), 4, 4, 0x7E));
        }
        foreach (var op in new[] { "Andps", "Andpd", "Andnps", "Andnpd", "Orps", "Orpd", "Xorps", "Xorpd" })
        {
            int w = op.EndsWith("pd") ? 8 : 4;
            set.Add(XX(CodeOf($"{op}_xmm_xmmm128"), w));
            set.Add(XM(CodeOf($"{op}_xmm_xmmm128"), w, 16, 0x70));
        }
        set.Add(XX(Code.Xorps_xmm_xmmm128, 4, X2, X2));            // zeroing idiom
        // A short dependent chain, as compiled code has it.
        set.Add(new DiffCase(a => { a.mulsd(xmm0, xmm1); a.addsd(xmm0, xmm2); a.sqrtsd(xmm3, xmm0); a.maxsd(xmm3, xmm1); a.ucomisd(xmm3, xmm2); })
            .InF64(xmm0, xmm1, xmm2).WithRandomMxcsr().Named("mulsd/addsd/sqrtsd/maxsd/ucomisd chain"));
        return set;
    }

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);

    public static TheoryData<Tier> TierData() => new(Tiers.All);

    [Theory, MemberData(nameof(TierData))]
    public void MisalignedPackedOperandFaults(Tier tier)
    {
        DiffRunner.AssertFaults(tier, a => a.addpd(xmm0, __xmmword_ptr[r15 + 8]), _ => { }, GuestFault.SIGSEGV);
        DiffRunner.AssertFaults(tier, a => a.andps(xmm0, __xmmword_ptr[r15 + 4]), _ => { }, GuestFault.SIGSEGV);
    }

    [Theory, MemberData(nameof(TierData))]
    public void UnmaskedExceptionFaults(Tier tier)
    {
        // divide by zero with ZM clear: SIGFPE, destination unchanged
        DiffRunner.AssertFaults(tier, a => a.divsd(xmm0, xmm1), s =>
        {
            s.Mxcsr = 0x1F80 & ~0x200u;
            s.Xmm[0] = 0x3FF0000000000000; s.Xmm[2] = 0;
        });
    }
}
