// Differential cases for the JIT's inline bit forms (Translator/Jit/UnitCompiler.BitOps.cs):
// bsf/bsr whose flags are read by a following jcc/cmov/setcc (flag-writing value method) or
// overwritten before any read (flag-free BsfIndex/BsrIndex path), zero sources (destination
// kept, a 32-bit destination not zero-extended), a memchr-like scan loop, bt/bts/btr/btc on
// registers and on memory with an immediate offset with the old flags partly kept, and bswap.
// Single-instruction forms are in BitOpCases; these sequences exercise the flag bookkeeping.
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Differential.Cases;

public class JitBitCases
{
    /// <summary>Zero the low <paramref name="bits"/> of GPR <paramref name="reg"/> in half the runs (bsf/bsr of 0).</summary>
    private static void MaybeZero(MachineState s, Random r, int reg, int bits)
    {
        if (r.Next(2) == 0) s.Gpr[reg] &= bits == 64 ? 0 : ~((1UL << bits) - 1);
    }

    public static readonly CaseSet Cases = new()
    {
        // Flags live: jz reads ZF of bsf (taken for a zero source), setp/cmovnz read PF/ZF.
        new DiffCase(a =>
        {
            var zero = a.CreateLabel(); var end = a.CreateLabel();
            a.bsf(eax, ecx);
            a.setp(dl);
            a.cmovnz(rsi, rax);
            a.jz(zero);
            a.add(rax, 100);
            a.jmp(end);
            a.Label(ref zero);
            a.sub(rax, 1);
            a.Label(ref end);
        }).Named("bsf r32; setp; cmovnz; jz").In(Register.RAX, Register.RCX).With((s, r) => MaybeZero(s, r, 1, 32)),

        new DiffCase(a =>
        {
            var zero = a.CreateLabel();
            a.bsr(rbx, __qword_ptr[r15 + 0x10]);
            a.jz(zero);
            a.add(rbx, 1);
            a.Label(ref zero);
            a.bsr(di, si);
            a.setz(cl);
            a.setp(ch);
        }).Named("bsr r64,m64; jz; bsr r16; setz/setp").In(Register.RBX, Register.RSI).InMem(0x10, 8)
          .With((s, r) => MaybeZero(s, r, 6, 16)),

        // Flags dead: add/test overwrite them before any read (flag-free path); a zero source
        // must still leave the destination (and the upper half of a 32-bit one) untouched.
        new DiffCase(a =>
        {
            a.bsf(eax, ecx);
            a.bsr(rdx, rsi);
            a.bsf(r8w, __word_ptr[r15 + 0x7F]);
            a.add(rax, rdx);
            a.bsr(r9d, edi);
            a.test(r9, r9);
        }).Named("bsf/bsr with dead flags").In(Register.RCX, Register.RSI).InMem(0x7F, 2)
          .With((s, r) => { MaybeZero(s, r, 1, 32); MaybeZero(s, r, 6, 64); MaybeZero(s, r, 7, 32); }),

        // The shape of glibc's memchr tail: pcmpeqb/pmovmskb, test/jz loop, then bsf and add.
        new DiffCase(a =>
        {
            var l = a.CreateLabel(); var found = a.CreateLabel(); var end = a.CreateLabel();
            a.movd(xmm1, esi);
            a.punpcklbw(xmm1, xmm1);
            a.punpcklwd(xmm1, xmm1);
            a.pshufd(xmm1, xmm1, 0);
            a.lea(rdi, __[r15 - 0x70]);
            a.mov(ecx, 0x10);
            a.Label(ref l);
            a.movdqu(xmm0, __xmmword_ptr[rdi]);
            a.pcmpeqb(xmm0, xmm1);
            a.pmovmskb(eax, xmm0);
            a.test(eax, eax);
            a.jnz(found);
            a.add(rdi, 0x10);
            a.dec(ecx);
            a.jnz(l);
            a.xor(eax, eax);
            a.jmp(end);
            a.Label(ref found);
            a.bsf(eax, eax);
            a.add(rax, rdi);
            a.Label(ref end);
        }).Named("memchr-like scan loop ending in bsf").With(s => s.Gpr[6] &= 0xFF).Ignore(Register.RDI),

        // bt*: CF from the selected bit, the other flags kept from the add before (read by setcc/adc).
        new DiffCase(a =>
        {
            a.add(rax, rbx);
            a.bt(rax, rcx);
            a.setc(dl);
            a.sets(dh);
            a.bts(ebx, 7);
            a.adc(rsi, 0);
            a.btr(si, cx);
            a.setz(r8b);
            a.btc(rdi, 63);
            a.setc(r9b);
            a.bts(__dword_ptr[r15 + 0x20], 31);
            a.btr(__qword_ptr[r15 + 0x7C], 40);
            a.btc(__word_ptr[r15 + 0x30], 19);
            a.bt(__qword_ptr[r15 + 0x40], 3);
            a.sbb(r10, r10);
        }).Named("bt/bts/btr/btc keep flags; reg and mem imm").In(Register.RAX, Register.RBX).InMem(0x7C, 8),

        // A loop that sets bits (bts) and bswaps: glibc's strnlen tail and memcmp shapes.
        new DiffCase(a =>
        {
            var l = a.CreateLabel();
            a.Label(ref l);
            a.bts(rdx, rcx);
            a.bswap(rdx);
            a.bswap(esi);
            a.bsf(rax, rdx);
            a.dec(ecx);
            a.jnz(l);
        }).Named("loop of bts/bswap/bsf").In(Register.RDX, Register.RSI).With(s => s.Gpr[1] = 1 + s.Gpr[1] % 30),
    };

    public static TheoryData<string, Tier> Data => Cases.Data();
    [Theory, MemberData(nameof(Data))] public void Diff(string name, Tier tier) => Cases.Run(name, tier);
}
