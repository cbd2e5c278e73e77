// Differential cases aimed at the JIT tier's inline SSE forms (they run in every tier like all
// cases): XMM registers cached in IL locals across loop iterations (low-lane and whole-vector
// representations, registers used both ways), MXCSR copied per unit and changed by a fall-back
// (ldmxcsr) in the middle of a block, fall-backs reading and writing cached XMM registers
// (pinsrw/pextrw and shifts by a register count are not inline), the fast and general paths of the FP value
// methods in loops under random MXCSR, (u)comisd flags read by later blocks, a memchr-style
// packed loop, and the state at a fault raised by an inline form (unmasked MXCSR exception,
// misaligned m128) after inline code left GPRs, flags and XMM registers only in locals.
using Iced.Intel;
using Jitexec.Translator.Exec;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Differential.Cases;

public class JitSseCases
{
    public static readonly CaseSet Cases = new()
    {
        // Scalar double arithmetic in a loop: loads, all four operations, sqrt, min/max, ucomisd
        // with its flags read inside and after the loop.
        new DiffCase(a =>
        {
            var l = a.CreateLabel(); var skip = a.CreateLabel();
            a.Label(ref l);
            a.movsd(xmm0, __qword_ptr[r15 + 0x40]);
            a.mulsd(xmm0, xmm1);
            a.addsd(xmm2, xmm0);
            a.subsd(xmm1, __qword_ptr[r15 + 0x48]);
            a.divsd(xmm3, xmm1);
            a.sqrtsd(xmm4, xmm2);
            a.maxsd(xmm5, xmm4);
            a.minsd(xmm6, xmm3);
            a.movapd(xmm7, xmm3);
            a.ucomisd(xmm2, xmm3);
            a.ja(skip);
            a.addsd(xmm7, xmm7);
            a.Label(ref skip);
            a.movsd(__qword_ptr[r15 + 0x50], xmm7);
            a.dec(ecx);
            a.jnz(l);
            a.setp(al);
            a.setb(ah);
        }).Named("loop of scalar double ops, ucomisd flags after").InF64(xmm1, xmm2, xmm3)
          .With((s, r) => { s.Gpr[1] = 1 + s.Gpr[1] % 12; FpForms.FillFp(s, r, 0x40, 16, 8); }).WithRandomMxcsr().Iter(300),

        // Every condition read right after (u)comisd/comiss, in the same block (flags known in locals).
        new DiffCase(a =>
        {
            var skip = a.CreateLabel();
            a.ucomisd(xmm0, xmm1);
            EveryCondition(a, 0x40);
            a.cmovp(rax, rbx);
            a.cmova(rcx, rdx);
            a.jbe(skip);
            a.comiss(xmm2, xmm3);
            EveryCondition(a, 0x50);
            a.cmovb(rsi, rdi);
            a.Label(ref skip);
            a.comisd(xmm1, __qword_ptr[r15 + 0x60]);
            a.setnp(al);
            a.setae(bl);
        }).Named("every condition after (u)comis").InF64(xmm0, xmm1).InF32(xmm2, xmm3)
          .With((s, r) => FpForms.FillFp(s, r, 0x60, 8, 8)).Iter(300),

        // The same with single precision and conversions both ways.
        new DiffCase(a =>
        {
            var l = a.CreateLabel();
            a.Label(ref l);
            a.addss(xmm0, xmm1);
            a.mulss(xmm1, __dword_ptr[r15 + 0x40]);
            a.divss(xmm2, xmm0);
            a.sqrtss(xmm3, xmm2);
            a.subss(xmm3, xmm1);
            a.cvtss2sd(xmm4, xmm3);
            a.addsd(xmm4, xmm5);
            a.cvtsd2ss(xmm6, xmm4);
            a.comiss(xmm6, xmm0);
            a.dec(ecx);
            a.jnz(l);
            a.seta(al);
        }).Named("loop of scalar single ops and conversions").InF32(xmm0, xmm1, xmm2)
          .With((s, r) => { s.Gpr[1] = 1 + s.Gpr[1] % 10; FpForms.FillFp(s, r, 0x40, 4, 4); }).WithRandomMxcsr().Iter(300),

        // Integer <-> double conversions in a loop (large values take the general paths).
        new DiffCase(a =>
        {
            var l = a.CreateLabel();
            a.Label(ref l);
            a.cvtsi2sd(xmm0, rax);
            a.cvtsi2sd(xmm1, edx);
            a.cvtsi2ss(xmm2, rbx);
            a.addsd(xmm0, xmm1);
            a.cvttsd2si(rsi, xmm0);
            a.cvtsd2si(edi, xmm1);
            a.cvttss2si(r8, xmm2);
            a.cvtsi2sd(xmm3, __qword_ptr[r15 + 0x40]);
            a.add(rax, rbx);
            a.imul(rdx, rdx, 3);
            a.dec(ecx);
            a.jnz(l);
        }).Named("loop of int/float conversions").In(Register.RAX, Register.RDX, Register.RBX)
          .With(s => s.Gpr[1] = 1 + s.Gpr[1] % 10).WithRandomMxcsr().Iter(300),

        // ldmxcsr (a fall-back) between inline ops of one block: the inline ops after it must see the new MXCSR.
        new DiffCase(a =>
        {
            a.addsd(xmm0, xmm1);
            a.mulsd(xmm2, xmm0);
            a.ldmxcsr(__dword_ptr[r15 + 0x40]);
            a.addsd(xmm0, xmm1);
            a.divsd(xmm3, xmm0);
            a.cvtsd2si(eax, xmm3);
            a.stmxcsr(__dword_ptr[r15 + 0x44]);
            a.subsd(xmm1, xmm3);
        }).Named("ldmxcsr between inline SSE ops").InF64(xmm0, xmm1, xmm2, xmm3)
          .With((s, r) => BitConverter.TryWriteBytes(s.Buffer.AsSpan(0x40),
              0x1F80u | (uint)r.Next(4) << 13 | (r.Next(4) == 0 ? 0x8040u : 0) | (uint)r.Next(64) * (uint)r.Next(2)))
          .WithRandomMxcsr().Iter(300),

        // Fall-backs that read (psllq by register, pextrw) and write (pinsrw) registers cached by inline code.
        new DiffCase(a =>
        {
            var l = a.CreateLabel();
            a.Label(ref l);
            a.addsd(xmm1, xmm2);
            a.psllq(xmm3, xmm1);
            a.mulsd(xmm3, xmm2);
            a.pinsrw(xmm1, edx, 2);
            a.addsd(xmm1, xmm3);
            a.paddd(xmm4, xmm5);
            a.pextrw(eax, xmm4, 3);
            a.pinsrw(xmm5, ebx, 5);
            a.pxor(xmm5, xmm4);
            a.add(ebx, eax);
            a.dec(ecx);
            a.jnz(l);
        }).Named("fall-backs between cached XMM registers").InF64(xmm1, xmm2)
          .With(s => s.Gpr[1] = 1 + s.Gpr[1] % 8).WithRandomMxcsr().Iter(200),

        // A register used as a scalar and as a vector, through every kind of partial move.
        new DiffCase(a =>
        {
            var l = a.CreateLabel();
            a.Label(ref l);
            a.movsd(xmm0, __qword_ptr[r15 + 0x40]);
            a.movhps(xmm0, __qword_ptr[r15 + 0x48]);
            a.addsd(xmm0, xmm1);
            a.movapd(xmm2, xmm0);
            a.unpcklpd(xmm2, xmm2);
            a.mulpd(xmm2, xmm3);
            a.movhlps(xmm4, xmm2);
            a.movlhps(xmm5, xmm0);
            a.movss(xmm6, xmm0);
            a.movsd(xmm7, xmm2);
            a.movq(xmm8, xmm0);
            a.movq(rax, xmm0);
            a.movd(xmm9, eax);
            a.movd(edx, xmm2);
            a.movq(xmm10, rdx);
            a.movlps(__qword_ptr[r15 + 0x50], xmm4);
            a.movhpd(__qword_ptr[r15 + 0x58], xmm5);
            a.movss(__dword_ptr[r15 + 0x60], xmm6);
            a.movq(__qword_ptr[r15 + 0x64], xmm9);
            a.movups(__xmmword_ptr[r15 + 0x6C], xmm2);
            a.andpd(xmm1, xmm3);
            a.orpd(xmm3, xmm0);
            a.xorps(xmm0, xmm0);
            a.dec(ecx);
            a.jnz(l);
        }).Named("registers used as scalar and vector").InF64(xmm1, xmm3)
          .With((s, r) => { s.Gpr[1] = 1 + s.Gpr[1] % 6; FpForms.FillFp(s, r, 0x40, 16, 8); }).WithRandomMxcsr().Iter(200),

        // memchr-style packed loop: broadcast a byte, compare 32 bytes per iteration, mask, bsf.
        new DiffCase(a =>
        {
            var l = a.CreateLabel(); var found = a.CreateLabel(); var end = a.CreateLabel();
            a.movd(xmm1, esi);
            a.punpcklbw(xmm1, xmm1);
            a.punpcklwd(xmm1, xmm1);
            a.pshufd(xmm1, xmm1, 0);
            a.mov(rdi, r15);
            a.Label(ref l);
            a.movdqa(xmm0, __xmmword_ptr[rdi]);
            a.movdqu(xmm2, __xmmword_ptr[rdi + 16]);
            a.pcmpeqb(xmm0, xmm1);
            a.pcmpeqb(xmm2, xmm1);
            a.pmaxub(xmm2, xmm0);
            a.pminub(xmm3, xmm2);
            a.pmovmskb(eax, xmm2);
            a.test(eax, eax);
            a.jnz(found);
            a.add(rdi, 32);
            a.dec(ecx);
            a.jnz(l);
            a.jmp(end);
            a.Label(ref found);
            a.pmovmskb(edx, xmm0);
            a.bsf(eax, eax);
            a.psubb(xmm3, xmm1);
            a.pslldq(xmm3, 3);
            a.psrldq(xmm2, 5);
            a.punpckhbw(xmm3, xmm2);
            a.Label(ref end);
        }).Named("memchr-style packed loop").With((s, r) =>
        {
            s.Gpr[1] = 1 + s.Gpr[1] % 7;
            s.Gpr[6] = s.Buffer[r.Next(s.Buffer.Length)];
        }).Iter(200),

        // Packed conversions in a loop (vectorised int <-> double code).
        new DiffCase(a =>
        {
            var l = a.CreateLabel();
            a.Label(ref l);
            a.cvtdq2pd(xmm0, xmm4);
            a.mulpd(xmm0, xmm1);
            a.cvttpd2dq(xmm2, xmm0);
            a.cvtpd2dq(xmm3, __xmmword_ptr[r15 + 0x40]);
            a.cvtpd2ps(xmm5, xmm0);
            a.cvtps2pd(xmm6, xmm5);
            a.cvtdq2ps(xmm7, xmm2);
            a.cvttps2dq(xmm8, xmm7);
            a.cvtps2dq(xmm9, __xmmword_ptr[r15 + 0x50]);
            a.cvtdq2pd(xmm10, __qword_ptr[r15 + 0x58]);
            a.paddd(xmm4, xmm2);
            a.dec(ecx);
            a.jnz(l);
        }).Named("loop of packed conversions").InF64(xmm1, xmm0)
          .With((s, r) => { s.Gpr[1] = 1 + s.Gpr[1] % 6; FpForms.FillFp(s, r, 0x40, 16, 8); }).WithRandomMxcsr().Iter(200),

        // Packed double arithmetic and compares from aligned memory in a loop.
        new DiffCase(a =>
        {
            var l = a.CreateLabel();
            a.Label(ref l);
            a.movapd(xmm0, __xmmword_ptr[r15 + 0x40]);
            a.addpd(xmm0, xmm1);
            a.mulpd(xmm1, __xmmword_ptr[r15 + 0x50]);
            a.divps(xmm2, xmm0);
            a.cmppd(xmm3, xmm1, 1);
            a.sqrtpd(xmm4, xmm0);
            a.minpd(xmm4, xmm1);
            a.movaps(__xmmword_ptr[r15 + 0x60], xmm4);
            a.dec(ecx);
            a.jnz(l);
        }).Named("loop of packed FP ops").InF64(xmm1, xmm2)
          .With((s, r) => { s.Gpr[1] = 1 + s.Gpr[1] % 6; FpForms.FillFp(s, r, 0x40, 32, 8); }).WithRandomMxcsr().Iter(200),
    };

    /// <summary>Host-flags units (plain scalar arithmetic only): declined ops (another MXCSR control
    /// state, PE still clear, NaN results) leave through side exits right after a cmp whose flags
    /// are still pending and read after the exit, by the interpreter.</summary>
    public static readonly CaseSet HostFlagCases = new()
    {
        new DiffCase(a =>
        {
            var l = a.CreateLabel();
            a.Label(ref l);
            a.cmp(rax, rbx);
            a.divsd(xmm0, xmm1);
            a.mulsd(xmm2, __qword_ptr[r15 + 0x40]);
            a.sets(__byte_ptr[r15 + 0x60]);
            a.setp(__byte_ptr[r15 + 0x61]);
            a.sete(__byte_ptr[r15 + 0x62]);
            a.adc(rsi, 0);
            a.cvtsi2sd(xmm3, rsi);
            a.subss(xmm4, xmm5);
            a.test(edi, edi);
            a.sqrtsd(xmm6, xmm2);
            a.cmovs(rbx, rdi);
            a.addsd(xmm1, xmm3);
            a.dec(ecx);
            a.jnz(l);
        }).Named("host-flags loop: side exits after cmp/test, flags read after").InF64(xmm0, xmm1, xmm2, xmm6).InF32(xmm4, xmm5)
          .With((s, r) => { s.Gpr[1] = 1 + s.Gpr[1] % 9; FpForms.FillFp(s, r, 0x40, 8, 8); }).WithRandomMxcsr().Iter(400),
    };

    public static TheoryData<string, Tier> HostFlagData => HostFlagCases.Data();
    [Theory, MemberData(nameof(HostFlagData))] public void HostFlags(string name, Tier tier) => HostFlagCases.Run(name, tier);

    private static void EveryCondition(Assembler a, int disp)
    {
        a.seto(__byte_ptr[r15 + disp]); a.setno(__byte_ptr[r15 + disp + 1]);
        a.setb(__byte_ptr[r15 + disp + 2]); a.setae(__byte_ptr[r15 + disp + 3]);
        a.sete(__byte_ptr[r15 + disp + 4]); a.setne(__byte_ptr[r15 + disp + 5]);
        a.setbe(__byte_ptr[r15 + disp + 6]); a.seta(__byte_ptr[r15 + disp + 7]);
        a.sets(__byte_ptr[r15 + disp + 8]); a.setns(__byte_ptr[r15 + disp + 9]);
        a.setp(__byte_ptr[r15 + disp + 10]); a.setnp(__byte_ptr[r15 + disp + 11]);
        a.setl(__byte_ptr[r15 + disp + 12]); a.setge(__byte_ptr[r15 + disp + 13]);
        a.setle(__byte_ptr[r15 + disp + 14]); a.setg(__byte_ptr[r15 + disp + 15]);
    }

    public static TheoryData<string, Tier> Data => Cases.Data();
    [Theory, MemberData(nameof(Data))] public void Diff(string name, Tier tier) => Cases.Run(name, tier);

    public static TheoryData<Tier> TierData() => new(Tiers.All);

    /// <summary>An unmasked exception raised by an inline form after inline code changed GPRs
    /// (only in locals), flags (deferred) and cached XMM registers: the state at the fault must be
    /// what the instructions before it left, and the destination unchanged.</summary>
    [Theory, MemberData(nameof(TierData))]
    public void UnmaskedExceptionStateIsExact(Tier tier) =>
        FaultState.Assert(tier,
            a =>
            {
                a.add(rax, rbx);
                a.imul(rcx, rdx, 7);
                a.movsd(xmm1, __qword_ptr[r15 + 0x40]);
                a.mulsd(xmm1, xmm2);
                a.addsd(xmm0, xmm1);
                a.mov(__qword_ptr[r15 + 0x48], rcx);
                a.cmp(rax, rcx);
            },
            a => a.divsd(xmm0, xmm3),
            s =>
            {
                s.Mxcsr = 0x1F80 & ~0x200u; // ZE unmasked
                s.Xmm[6] = 0; s.Xmm[7] = 0;   // xmm3 = 0
                BitConverter.TryWriteBytes(s.Buffer.AsSpan(0x40), 1.5);
                s.Xmm[4] = BitConverter.DoubleToUInt64Bits(2.0);
                s.Xmm[0] = BitConverter.DoubleToUInt64Bits(3.0);
            },
            GuestFault.SIGFPE, raisedMxcsr: 0x4);

    [Theory, MemberData(nameof(TierData))]
    public void MisalignedOperandStateIsExact(Tier tier) =>
        FaultState.Assert(tier,
            a =>
            {
                a.lea(rsi, __[r15 + 0x48]);
                a.sub(rax, rbx);
                a.addsd(xmm2, xmm3);
                a.movdqa(xmm4, xmm2);
                a.test(rax, rdx);
            },
            a => a.pcmpeqb(xmm4, __xmmword_ptr[rsi]),
            _ => { }, GuestFault.SIGSEGV);

    [Theory, MemberData(nameof(TierData))]
    public void MisalignedStoreStateIsExact(Tier tier) =>
        FaultState.Assert(tier,
            a =>
            {
                a.inc(rdx);
                a.mulsd(xmm5, xmm6);
                a.xor(r8d, r9d);
            },
            a => a.movaps(__xmmword_ptr[r15 + 0x44], xmm5),
            _ => { }, GuestFault.SIGSEGV);
}
