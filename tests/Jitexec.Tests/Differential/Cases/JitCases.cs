// Differential cases aimed at the JIT tier's compiled-unit machinery (they run in every
// tier like all cases): loops compiled as one region (back-edges), flags produced in one
// block and read in another or after the loop (deferred flag records, flag liveness),
// call/ret and indirect jumps inside a region (observed-target dispatch), partial
// registers cached in locals across fall-backs, and memory forms read-modify-write.
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Differential.Cases;

public class JitCases
{
    public static readonly CaseSet Cases = new()
    {
        // A counted loop; flags of the last sub are compared at the end.
        new DiffCase(a =>
        {
            var l = a.CreateLabel();
            a.Label(ref l);
            a.add(rax, rbx);
            a.xor(rdx, rax);
            a.sub(ecx, 1);
            a.jnz(l);
        }).Named("loop add/xor/sub-jnz").In(Register.RAX, Register.RBX).With(s => s.Gpr[1] = 1 + s.Gpr[1] % 40),

        // cmp in one block, conditions read in the following blocks and after a join.
        new DiffCase(a =>
        {
            var x = a.CreateLabel(); var y = a.CreateLabel(); var end = a.CreateLabel();
            a.cmp(rax, rbx);
            a.je(x);
            a.ja(y);
            a.mov(ecx, 1);
            a.jmp(end);
            a.Label(ref x);
            a.mov(ecx, 2);
            a.jmp(end);
            a.Label(ref y);
            a.mov(ecx, 3);
            a.Label(ref end);
            a.setl(dl);
            a.cmovg(rsi, rax);
        }).Named("cmp; je; ja across blocks; setl/cmovg after join").In(Register.RAX, Register.RBX),

        // Flags of a loop's last test live after it; adc reads CF of an earlier add.
        new DiffCase(a =>
        {
            var l = a.CreateLabel();
            a.Label(ref l);
            a.add(rax, rsi);
            a.adc(rdx, 0);
            a.test(rax, rbx);
            a.dec(ecx);
            a.jnz(l);
            a.sbb(rdi, rdi);
        }).Named("loop add/adc/test/dec; sbb after").In(Register.RAX, Register.RSI).With(s => s.Gpr[1] = 1 + s.Gpr[1] % 30),

        // call/ret inside a loop (the callee and the return target join the region).
        new DiffCase(a =>
        {
            var l = a.CreateLabel(); var f = a.CreateLabel(); var end = a.CreateLabel();
            a.Label(ref l);
            a.call(f);
            a.dec(ecx);
            a.jnz(l);
            a.jmp(end);
            a.Label(ref f);
            a.imul(rax, rbx, 3);
            a.add(rax, 7);
            a.push(rax);
            a.pop(rdx);
            a.ret();
            a.Label(ref end);
        }).Named("loop calling a function").In(Register.RAX, Register.RBX).With(s => s.Gpr[1] = 1 + s.Gpr[1] % 25),

        // Indirect jump through a register inside a loop (two alternating targets).
        new DiffCase(a =>
        {
            var l = a.CreateLabel(); var t1 = a.CreateLabel(); var t2 = a.CreateLabel(); var next = a.CreateLabel();
            a.Label(ref l);
            a.lea(rsi, __[t1]);
            a.lea(rdi, __[t2]);
            a.test(cl, 1);
            a.cmovnz(rsi, rdi);
            a.jmp(rsi);
            a.Label(ref t1);
            a.add(rax, rbx);
            a.jmp(next);
            a.Label(ref t2);
            a.sub(rax, rbx);
            a.Label(ref next);
            a.dec(ecx);
            a.jnz(l);
        }).Named("loop with jmp reg").In(Register.RAX, Register.RBX).With(s => s.Gpr[1] = 1 + s.Gpr[1] % 25)
          .Ignore(Register.RSI, Register.RDI),

        // Partial registers (high bytes, 16-bit merges, 32-bit zero-extension) around fall-backs.
        new DiffCase(a =>
        {
            a.mov(ah, bl);
            a.add(al, ah);
            a.mov(bx, ax);
            a.xadd(ecx, esi);        // fall-back between cached uses
            a.movzx(edx, ah);
            a.movsx(esi, bh);
            a.sub(bl, ch);
            a.mov(edi, eax);
            a.xchg(ah, dl);          // fall-back writing a high byte
            a.or(rdi, rdx);
            a.setc(ch);
        }).Named("partial registers around fall-backs").In(Register.RAX, Register.RBX),

        // Shifts and imul whose flags are overwritten before any read (result-only path),
        // including a zero count (flags kept) and a memory destination.
        new DiffCase(a =>
        {
            a.shr(rax, 5);
            a.sar(ebx, 3);
            a.shl(dx, 2);
            a.sal(__qword_ptr[r15 + 0x40], 63);
            a.imul(rcx, rax, 7);
            a.imul(esi, ebx);
            a.add(rdi, rsi);
            a.shl(r8, 0);
            a.shr(r9b, 1);
        }).Named("dead-flag shifts and imul").In(Register.RAX, Register.RBX),

        // cmp/test results computed only where read: sign/parity conditions (from the result),
        // then the flag record at a block exit and after a join.
        new DiffCase(a =>
        {
            var x = a.CreateLabel(); var end = a.CreateLabel();
            a.cmp(eax, ebx);
            a.setp(cl);
            a.js(x);
            a.test(si, di);
            a.setnp(ch);
            a.cmovs(rdx, rax);
            a.jmp(end);
            a.Label(ref x);
            a.cmp(al, 0x7F);
            a.Label(ref end);
        }).Named("cmp/test; setp/js/cmovs; flags live at the end").In(Register.RAX, Register.RBX),

        // Shifts by CL whose flags are overwritten before any read (result-only path even though
        // a zero count would keep the old flags), as glibc's memchr does with sar %cl,%eax; test.
        new DiffCase(a =>
        {
            a.add(rax, rbx);
            a.sar(edx, cl);
            a.shl(rsi, cl);
            a.test(edx, edx);
            a.setz(r8b);
            a.sub(rdi, rbx);
            a.shr(di, cl);
            a.sar(__qword_ptr[r15 + 0x40], cl);
            a.xor(r9, r10);
        }).Named("dead-flag shifts by cl").In(Register.RCX, Register.RDX)
          .With((s, r) => { if (r.Next(3) == 0) s.Gpr[1] &= ~0xFFUL; }),

        // Read-modify-write memory forms and stack traffic in a loop.
        new DiffCase(a =>
        {
            var l = a.CreateLabel();
            a.Label(ref l);
            a.add(__qword_ptr[r15 + 0x10], rax);
            a.xor(__dword_ptr[r15 + 0x7E], ebx);
            a.shl(__qword_ptr[r15 + 0x20], 3);
            a.inc(__word_ptr[r15 + 0x30]);
            a.push(__qword_ptr[r15 + 0x10]);
            a.pop(rdx);
            a.sub(ecx, 1);
            a.jnz(l);
        }).Named("loop of memory read-modify-write").In(Register.RAX, Register.RBX).With(s => s.Gpr[1] = 1 + s.Gpr[1] % 20),
    };

    public static TheoryData<string, Tier> Data => Cases.Data();
    [Theory, MemberData(nameof(Data))] public void Diff(string name, Tier tier) => Cases.Run(name, tier);
}
