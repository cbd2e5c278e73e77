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
    [InlineData(0x7f00_0000_0000UL, 0x100_0001_0000UL, 0x7f12_3456_7008UL, 0x7f12_3456_7000UL)]
    [InlineData(0x1000UL, 0x2000UL, 0xFFFF_FFFF_FFFF_FFF0UL, 0x8000_0000_0000_0000UL)]
    public void TemplateMatchesIcedAssembly(ulong rangeBase, ulong rangeSize, ulong dfl, ulong slot)
    {
        var a = new Assembler(64);
        var chain = a.CreateLabel();
        a.mov(rax, __qword_ptr[rsi + 16]);
        a.mov(rcx, rangeBase);
        a.sub(rax, rcx);
        a.mov(rcx, rangeSize);
        a.cmp(rax, rcx);
        a.jae(chain);
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
        Assert.Equal(w.ToArray(), FaultHandlerCode.Build(rangeBase, rangeSize, dfl, slot));
    }
}
