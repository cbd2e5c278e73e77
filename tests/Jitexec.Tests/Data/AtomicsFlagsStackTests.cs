// xchg/cmpxchg/xadd/cmpxchg8b, flag ops, pushf/popf, enter, push/pop forms and xlat:
// every expected value was recorded by running the same sequence natively (probe
// programs built with gcc inline asm on the development host).
using Iced.Intel;
using Jitexec.Translator.Core;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Data;

public class AtomicsFlagsStackTests
{
    private static Cpu Run(Action<Assembler> build, Action<Cpu>? init = null)
    {
        lock (GuestRunner.Gate) return GuestRunner.Shared.Run(build, init);
    }

    private static ulong Arith(ulong f) => f & 0x8d5;

    [Fact]
    public void CmpxchgRegisterRules()
    {
        // success, 32-bit: rax untouched (upper half kept), destination zero-extended
        var c = Run(a => a.cmpxchg(edx, ebx), c =>
        { c.R[Reg.Rax] = 0xFFFFFFFF00000005; c.R[Reg.Rdx] = 0xEEEEEEEE00000005; c.R[Reg.Rbx] = 0xDDDDDDDD00000009; });
        Assert.Equal(0xFFFFFFFF00000005UL, c.R[Reg.Rax]);
        Assert.Equal(9UL, c.R[Reg.Rdx]);
        // failure, 32-bit: rax loaded zero-extended, register destination not written
        c = Run(a => a.cmpxchg(edx, ebx), c =>
        { c.R[Reg.Rax] = 0xFFFFFFFF00000004; c.R[Reg.Rdx] = 0xEEEEEEEE00000005; c.R[Reg.Rbx] = 0xDDDDDDDD00000009; });
        Assert.Equal(5UL, c.R[Reg.Rax]);
        Assert.Equal(0xEEEEEEEE00000005UL, c.R[Reg.Rdx]);
        // cmpxchg eax,eax always succeeds and writes eax (zero-extends)
        c = Run(a => a.cmpxchg(eax, eax), c => c.R[Reg.Rax] = 0xFFFFFFFF00000005);
        Assert.Equal(5UL, c.R[Reg.Rax]);
        // 16-bit failure
        c = Run(a => a.cmpxchg(dx, bx), c =>
        { c.R[Reg.Rax] = 0xFFFFFFFFFFFF1234; c.R[Reg.Rdx] = 0xEEEEEEEEEEEE5678; c.R[Reg.Rbx] = 0xDDDDDDDD00000009; });
        Assert.Equal(0xFFFFFFFFFFFF5678UL, c.R[Reg.Rax]);
        Assert.Equal(0xEEEEEEEEEEEE5678UL, c.R[Reg.Rdx]);
        // 8-bit failure flags (0x80 - 0x01): OF AF
        c = Run(a => { a.cmpxchg(dl, bl); a.pushfq(); a.pop(r9); }, c =>
        { c.R[Reg.Rax] = 0x1111111111111180; c.R[Reg.Rdx] = 0x2222222222222201; c.R[Reg.Rbx] = 0x33; });
        Assert.Equal(0x1111111111111101UL, c.R[Reg.Rax]);
        Assert.Equal(0x810UL, Arith(c.R[Reg.R9]));
        // 64-bit success flags: ZF PF
        c = Run(a => { a.cmpxchg(rdx, rbx); a.pushfq(); a.pop(r9); }, c =>
        { c.R[Reg.Rax] = 0x8000000000000000; c.R[Reg.Rdx] = 0x8000000000000000; c.R[Reg.Rbx] = 0x44; });
        Assert.Equal(0x44UL, c.R[Reg.Rdx]);
        Assert.Equal(0x44UL, Arith(c.R[Reg.R9]));
    }

    [Fact]
    public void CmpxchgMemory()
    {
        const ulong m = GuestRunner.Buf + 0x100;
        var c = Run(a => { a.@lock.cmpxchg(__dword_ptr[rdi], ebx); a.mov(r8d, __dword_ptr[rdi]); }, c =>
        { c.Mem.Write32(m, 5); c.R[Reg.Rdi] = m; c.R[Reg.Rax] = 0xFFFFFFFF00000004; c.R[Reg.Rbx] = 0xDDDDDDDD00000009; });
        Assert.Equal(5UL, c.R[Reg.Rax]);
        Assert.Equal(5UL, c.R[Reg.R8]);
        c = Run(a => { a.@lock.cmpxchg(__dword_ptr[rdi], ebx); a.mov(r8d, __dword_ptr[rdi]); }, c =>
        { c.Mem.Write32(m, 5); c.R[Reg.Rdi] = m; c.R[Reg.Rax] = 0xFFFFFFFF00000005; c.R[Reg.Rbx] = 0xDDDDDDDD00000009; });
        Assert.Equal(0xFFFFFFFF00000005UL, c.R[Reg.Rax]);
        Assert.Equal(9UL, c.R[Reg.R8]);
    }

    [Fact]
    public void Cmpxchg8b()
    {
        const ulong m = GuestRunner.Buf + 0x100;
        void Init(Cpu c)
        {
            c.R[Reg.Rdi] = m; c.R[Reg.Rax] = 0xFFFFFFFF22222222; c.R[Reg.Rdx] = 0xEEEEEEEE11111111;
            c.R[Reg.Rbx] = 0x5555555566666666; c.R[Reg.Rcx] = 0x7777777788888888;
        }
        void Body(Assembler a) { a.stc(); a.cmpxchg8b(__qword_ptr[rdi]); a.pushfq(); a.pop(r9); a.mov(r8, __qword_ptr[rdi]); }
        var c = Run(Body, c => { Init(c); c.Mem.Write64(m, 0x1111111122222222); });
        Assert.Equal(0x8888888866666666UL, c.R[Reg.R8]);
        Assert.Equal(0xFFFFFFFF22222222UL, c.R[Reg.Rax]);
        Assert.Equal(0xEEEEEEEE11111111UL, c.R[Reg.Rdx]);
        Assert.Equal(0x41UL, Arith(c.R[Reg.R9]) & 0x41); // ZF set, CF kept (PF/AF/SF/OF kept too)
        c = Run(Body, c => { Init(c); c.Mem.Write64(m, 0x8888888866666666); });
        Assert.Equal(0x8888888866666666UL, c.R[Reg.R8]);
        Assert.Equal(0x66666666UL, c.R[Reg.Rax]);
        Assert.Equal(0x88888888UL, c.R[Reg.Rdx]);
        Assert.Equal(0x01UL, Arith(c.R[Reg.R9]) & 0x41);
    }

    [Fact]
    public void XchgAndXadd()
    {
        var c = Run(a => a.db(0x87, 0xC0), c => c.R[Reg.Rax] = 0xFFFFFFFF00000005); // xchg eax,eax
        Assert.Equal(5UL, c.R[Reg.Rax]);
        c = Run(a => a.xchg(eax, edx), c => { c.R[Reg.Rax] = 0xFFFFFFFF00000004; c.R[Reg.Rdx] = 0x1111111100000003; });
        Assert.Equal(3UL, c.R[Reg.Rax]);
        Assert.Equal(4UL, c.R[Reg.Rdx]);
        c = Run(a => a.xchg(ah, al), c => c.R[Reg.Rax] = 0x1234);
        Assert.Equal(0x3412UL, c.R[Reg.Rax]);
        c = Run(a => a.xadd(edx, edx), c => c.R[Reg.Rdx] = 0x1111111100000003);
        Assert.Equal(6UL, c.R[Reg.Rdx]);
        c = Run(a => a.xadd(edx, eax), c => { c.R[Reg.Rax] = 0xFFFFFFFF00000004; c.R[Reg.Rdx] = 0x1111111100000003; });
        Assert.Equal(3UL, c.R[Reg.Rax]);
        Assert.Equal(7UL, c.R[Reg.Rdx]);
        c = Run(a => { a.xadd(dx, ax); a.pushfq(); a.pop(r9); }, c => { c.R[Reg.Rax] = 0xAAAA7fff; c.R[Reg.Rdx] = 0xBBBB0001; });
        Assert.Equal(0xAAAA0001UL, c.R[Reg.Rax]);
        Assert.Equal(0xBBBB8000UL, c.R[Reg.Rdx]);
        Assert.Equal(0x894UL, Arith(c.R[Reg.R9]));
        const ulong m = GuestRunner.Buf + 0x100;
        c = Run(a => { a.@lock.xadd(__qword_ptr[rdi], rax); a.xchg(__qword_ptr[rdi + 8], rdx); a.mov(r8, __qword_ptr[rdi]); a.mov(r9, __qword_ptr[rdi + 8]); },
            c => { c.R[Reg.Rdi] = m; c.Mem.Write64(m, 40); c.Mem.Write64(m + 8, 77); c.R[Reg.Rax] = 2; c.R[Reg.Rdx] = 5; });
        Assert.Equal(40UL, c.R[Reg.Rax]);
        Assert.Equal(42UL, c.R[Reg.R8]);
        Assert.Equal(77UL, c.R[Reg.Rdx]);
        Assert.Equal(5UL, c.R[Reg.R9]);
    }

    [Fact]
    public void FlagOps()
    {
        var c = Run(a => { a.xor(ecx, ecx); a.cmp(ecx, 1); a.cmc(); a.pushfq(); a.pop(r9); });
        Assert.Equal(0x94UL, Arith(c.R[Reg.R9]));
        c = Run(a => { a.xor(ecx, ecx); a.cmp(ecx, 1); a.clc(); a.pushfq(); a.pop(r9); });
        Assert.Equal(0x94UL, Arith(c.R[Reg.R9]));
        c = Run(a => { a.xor(ecx, ecx); a.stc(); a.pushfq(); a.pop(r9); });
        Assert.Equal(0x45UL, Arith(c.R[Reg.R9]));
        c = Run(a => { a.xor(ecx, ecx); a.cmp(ecx, 1); a.lahf(); }, c => c.R[Reg.Rax] = 0xFFFFFFFFFFFF00FF);
        Assert.Equal(0xFFFFFFFFFFFF97FFUL, c.R[Reg.Rax]);
        c = Run(a => { a.mov(ecx, 0x7f); a.add(ecx, 1); a.sahf(); a.pushfq(); a.pop(r9); }, c => c.R[Reg.Rax] = 0xFF00);
        Assert.Equal(0xD5UL, Arith(c.R[Reg.R9]));
        c = Run(a => { a.mov(ecx, 0x7f); a.add(cl, 1); a.sahf(); a.pushfq(); a.pop(r9); }, c => c.R[Reg.Rax] = 0);
        Assert.Equal(0x800UL, Arith(c.R[Reg.R9]));
        c = Run(a => { a.std(); a.pushfq(); a.pop(r9); a.cld(); a.pushfq(); a.pop(r10); });
        Assert.Equal(0x400UL, c.R[Reg.R9] & 0x400);
        Assert.Equal(0UL, c.R[Reg.R10] & 0x400);
    }

    [Fact]
    public void PushfPopf()
    {
        // popfq at CPL 3: NT AC ID and arithmetic/DF bits change; IF, IOPL, RF, VM, VIF, VIP, reserved do not.
        var c = Run(a => { a.mov(rax, 0x3df02e); a.push(rax); a.popfq(); a.pushfq(); a.pop(r9); a.push(0x202); a.popfq(); });
        Assert.Equal(0x244206UL, c.R[Reg.R9]);
        // popfw merges the low 16 bits only
        c = Run(a => { a.push(0x4cd5); a.db(0x66, 0x9D) /* popfw */; a.pushfq(); a.pop(r9); a.add(rsp, 6); a.cld(); });
        Assert.Equal(0x4ED7UL, c.R[Reg.R9]);
        Assert.Equal(GuestRunner.StackTop, c.R[Reg.Rsp]);
        c = Run(a => { a.xor(ecx, ecx); a.db(0x66, 0x9C) /* pushfw */; a.pop(r9w); });
        Assert.Equal(0x246UL, c.R[Reg.R9] & 0xFFFF);
    }

    [Fact]
    public void EnterWithNestingLevels()
    {
        // Native: rsp/rbp start at st+192 / area+320 (area[i] = 0x1000+i), enter 0x18, level.
        const ulong st = GuestRunner.Buf + 0x400, area = GuestRunner.Buf + 0x800;
        string[][] expected =
        [
            ["area+320"],
            ["st+184", "area+320"],
            ["st+184", "1027", "area+320"],
            ["st+184", "1026", "1027", "area+320"],
            ["st+184", "1025", "1026", "1027", "area+320"],
        ];
        for (int level = 0; level < 5; level++)
        {
            int lv = level;
            var c = Run(a => { a.mov(rsp, st + 192); a.mov(rbp, area + 320); a.enter(0x18, (byte)lv); a.mov(r8, rsp); a.mov(rsp, GuestRunner.StackTop); },
                c => { for (int i = 0; i < 64; i++) c.Mem.Write64(area + (ulong)i * 8, 0x1000 + (ulong)i); });
            Assert.Equal(st + 184, c.R[Reg.Rbp]);
            Assert.Equal(st + 160 - 8 * (ulong)lv, c.R[Reg.R8]);
            var got = new List<string>();
            for (ulong p = st + 184 - 8 * (ulong)(lv == 0 ? 0 : lv); p < st + 192; p += 8)
            {
                ulong v = c.Mem.Read64(p);
                got.Add(v >= area && v < area + 512 ? $"area+{v - area}" : v >= st && v < st + 256 ? $"st+{v - st}" : $"{v:x}");
            }
            Assert.Equal(expected[lv], got.ToArray());
        }
    }

    [Fact]
    public void PushPopForms()
    {
        const ulong m = GuestRunner.Buf + 0x100;
        var c = Run(a =>
        {
            a.push(-5);                     // push imm8, sign-extended
            a.pop(r8);
            a.push(-0x12345678);            // push imm32, sign-extended
            a.pop(r9);
            a.mov(rax, -1); a.push(rax); a.pop(rax);
            a.db(0x0F, 0xA0);               // push fs: selector 0, 8 bytes
            a.pop(r10);
            a.push(__qword_ptr[rdi]);
            a.pop(__qword_ptr[rdi + 8]);
            a.push(rsp);
            a.pop(r13);
            a.db(0x0F, 0xA0);               // push fs; pop fs (discarded)
            a.db(0x0F, 0xA1);
            a.db(0x66, 0x6A, 0xFE);         // pushw imm8 -> 0xfffe, 2 bytes
            a.pop(r12w);
        }, c => { c.R[Reg.Rdi] = m; c.Mem.Write64(m, 0xAABBCCDDEEFF0011); c.R[Reg.R12] = 0x1111111111111111; });
        Assert.Equal(unchecked((ulong)-5L), c.R[Reg.R8]);
        Assert.Equal(unchecked((ulong)-0x12345678L), c.R[Reg.R9]);
        Assert.Equal(0UL, c.R[Reg.R10]);
        Assert.Equal(0xAABBCCDDEEFF0011UL, c.Mem.Read64(m + 8));
        Assert.Equal(GuestRunner.StackTop, c.R[Reg.R13]);
        Assert.Equal(0x111111111111FFFEUL, c.R[Reg.R12]);
        Assert.Equal(GuestRunner.StackTop, c.R[Reg.Rsp]);
    }

    [Fact]
    public void XlatAndSegmentOverride()
    {
        const ulong t = GuestRunner.Buf + 0x200;
        var c = Run(a => a.xlatb(), c =>
        {
            for (int i = 0; i < 256; i++) c.Mem.Write8(t + (ulong)i, (byte)(255 - i));
            c.R[Reg.Rbx] = t; c.R[Reg.Rax] = 0x12345678ABCDEF10;
        });
        Assert.Equal(0x12345678ABCDEFEFUL, c.R[Reg.Rax]);
        // fs: lodsq reads fs_base + rsi (interpreter-side check of the override plumbing)
        c = Run(a => a.db(0x64, 0x48, 0xAD), c =>
        {
            c.FsBase = GuestRunner.Buf; c.R[Reg.Rsi] = 0x300; c.Mem.Write64(GuestRunner.Buf + 0x300, 0x0102030405060708);
        });
        Assert.Equal(0x0102030405060708UL, c.R[Reg.Rax]);
        Assert.Equal(0x308UL, c.R[Reg.Rsi]);
    }
}
