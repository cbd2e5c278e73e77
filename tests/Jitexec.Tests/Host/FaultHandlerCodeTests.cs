// The hand-kept fault-handler template must be exactly what Iced assembles for the
// documented instruction sequence, for any immediates.
using Iced.Intel;
using Jitexec.Kernel.Host;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Host;

public class FaultHandlerCodeTests
{
    [Theory]
    [InlineData(0x7f00_0000_0000UL, 0x100_0001_0000UL, 0x7f55_0000_0000UL, 0x7f66_0000_0000UL, 0x7f12_3456_7008UL, 0x7f12_3456_7000UL)]
    [InlineData(0x1000UL, 0x2000UL, 0x3000UL, 0x4000UL, 0xFFFF_FFFF_FFFF_FFF0UL, 0x8000_0000_0000_0000UL)]
    public void TemplateMatchesIcedAssembly(ulong rangeBase, ulong rangeSize, ulong bitmap, ulong table, ulong dfl, ulong slot)
    {
        var a = new Assembler(64);
        var chain = a.CreateLabel();
        var fatal = a.CreateLabel();
        var counted = a.CreateLabel();
        a.mov(rax, __qword_ptr[rsi + 16]);
        a.mov(rcx, rangeBase);
        a.sub(rax, rcx);
        a.mov(rcx, rangeSize);
        a.cmp(rax, rcx);
        a.jae(chain);
        a.sub(rax, 0x10000);
        a.jb(fatal);
        a.cmp(edi, 11);
        a.jne(fatal);
        a.shr(rax, 12);
        a.mov(rdx, bitmap);
        a.btr(__qword_ptr[rdx], rax);
        a.jae(fatal);
        a.mov(rdx, table);
        a.mov(__dword_ptr[rdx], 1);
        a.mov(rcx, __qword_ptr[rdx + 8]);
        a.cmp(rcx, FaultHandlerCode.TableCapacity);
        a.jae(counted);
        a.mov(__qword_ptr[rdx + rcx * 8 + 16], rax);
        a.Label(ref counted);
        a.inc(__qword_ptr[rdx + 8]);
        a.shl(rax, 12);
        a.mov(rdi, rangeBase + 0x10000);
        a.add(rdi, rax);
        a.mov(esi, 4096);
        a.mov(edx, 3);
        a.mov(eax, 10);
        a.syscall();
        a.ret();
        a.Label(ref fatal);
        a.mov(eax, 13);
        a.mov(rsi, dfl);
        a.xor(edx, edx);
        a.mov(r10d, 8);
        a.syscall();
        a.ret();
        a.Label(ref chain);
        a.mov(rax, slot);
        a.jmp(__qword_ptr[rax]);
        var w = new MemoryStream();
        a.Assemble(new StreamCodeWriter(w), 0x10000, BlockEncoderOptions.None);
        Assert.Equal(w.ToArray(), FaultHandlerCode.Build(rangeBase, rangeSize, 0x10000, bitmap, table, dfl, slot));
    }
}
