// Handler-level sanity checks for the shift, mul/div, bit-op and conditional families:
// one assembled instruction each, run through the interpreter. Expected values were
// produced by running the same instruction natively (Intel host) in a small C program.
// The exhaustive random/edge coverage lives in the differential tests.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Host;
using Jitexec.Translator.Memory;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Integer;

public sealed unsafe class IntegerSanityTests : IDisposable
{
    private const ulong Code = 0x10000, Data = 0x20000, Stack = 0x30000;
    private const ulong Arith = 0x8D5;
    private readonly GuestMemory _mem = new();
    private readonly Cpu _cpu;
    private ulong _faultRip;
    private int _faultSignal;

    private sealed class FlatSystem(IntegerSanityTests t) : IGuestSystem
    {
        public void Syscall(Cpu cpu) => cpu.Halted = true;
        public ulong ExecutableLimit(ulong addr) => addr >= Code && addr < Code + 0x1000 ? Code + 0x1000 : 0;
        public void Fault(Cpu cpu, GuestFault fault) { t._faultSignal = fault.Signal; t._faultRip = cpu.Rip; cpu.Halted = true; }
    }

    public IntegerSanityTests()
    {
        Assert.Equal(0, Libc.mprotect((nint)_mem.Ptr(Code), 0x30000, Libc.PROT_READ | Libc.PROT_WRITE));
        _cpu = new Cpu(_mem, new FlatSystem(this)) { Rip = Code };
        _cpu.R[Reg.Rsp] = Stack + 0x1000;
    }

    public void Dispose() => _mem.Dispose();

    /// <summary>Assemble <paramref name="emit"/> followed by syscall (which clobbers rcx and r11), run it with the given input flags.</summary>
    private void Run(Action<Assembler> emit, ulong flags = 0)
    {
        var a = new Assembler(64);
        emit(a);
        a.syscall();
        var w = new MemoryStream();
        a.Assemble(new StreamCodeWriter(w), Code);
        w.ToArray().CopyTo(_mem.Span(Code, (int)w.Length));
        Flags.Set(_cpu, flags | 0x202);
        _cpu.Rip = Code;
        _cpu.Halted = false;
        new Engine(_mem, _cpu.Sys).Run(_cpu);
    }

    private ulong F => Flags.Get(_cpu) & Arith;
    private ulong R(int i) => _cpu.R[i];
    private ulong M(ulong addr) => _mem.Read64(addr);

    [Fact]
    public void ShlMemoryByOne()
    {
        _mem.Write64(Data, 0x11111111C0000001);
        _cpu.R[Reg.Rbx] = Data;
        Run(a => a.shl(__dword_ptr[rbx], 1));
        Assert.Equal(0x1111111180000002UL, M(Data));
        Assert.Equal(0x081UL, F);
    }

    [Fact]
    public void SarByClMasksCount()
    {
        _cpu.R[Reg.Rax] = 0x8000000000000003; _cpu.R[Reg.Rcx] = 0x41;
        Run(a => a.sar(rax, cl), 0x8D5);
        Assert.Equal(0xC000000000000001UL, R(Reg.Rax));
        Assert.Equal(0x081UL, F);
    }

    [Fact]
    public void RcrWordMemory()
    {
        _mem.Write64(Data + 8, 0xAAAABBBBCCCCDDDD);
        _cpu.R[Reg.Rbx] = Data; _cpu.R[Reg.Rcx] = 17;   // 17 mod 17 = 0: nothing changes
        Run(a => a.rcr(__word_ptr[rbx + 8], cl), 0x8D5);
        Assert.Equal(0xAAAABBBBCCCCDDDDUL, M(Data + 8));
        Assert.Equal(0x8D5UL, F);

        _cpu.R[Reg.Rcx] = 3;
        Run(a => a.rcr(__word_ptr[rbx + 8], cl), 0x001);
        Assert.Equal(0xAAAABBBBCCCC7BBBUL, M(Data + 8));
        Assert.Equal(0x001UL, F);
    }

    [Fact]
    public void ShldShrd()
    {
        _cpu.R[Reg.Rax] = 0x0123456789ABCDEF; _cpu.R[Reg.Rdx] = 0xFEDCBA9876543210; _cpu.R[Reg.Rcx] = 0x21;
        Run(a => a.shld(rax, rdx, cl));
        Assert.Equal(0x13579BDFFDB97530UL, R(Reg.Rax));
        Assert.Equal(0x005UL, F);

        _cpu.R[Reg.Rax] = 0xFFFFFFFF12345678; _cpu.R[Reg.Rdx] = 0xFFFFFFFF9ABCDEF0;
        Run(a => a.shrd(eax, edx, 8));
        Assert.Equal(0x00000000F0123456UL, R(Reg.Rax));
        Assert.Equal(0x084UL, F);
    }

    [Fact]
    public void ImulThreeOperand()
    {
        _mem.Write64(Data + 16, 0x4000000000000001);
        _cpu.R[Reg.Rbx] = Data;
        Run(a => a.imul(rax, __qword_ptr[rbx + 16], -3));
        Assert.Equal(0x3FFFFFFFFFFFFFFDUL, R(Reg.Rax));
        Assert.Equal(0x801UL, F);

        _cpu.R[Reg.Rsi] = ulong.MaxValue; _cpu.R[Reg.Rdx] = 0x10000;
        Run(a => a.imul(esi, edx, 0x12345));
        Assert.Equal(0x23450000UL, R(Reg.Rsi));
        Assert.Equal(0x805UL, F);
    }

    [Fact]
    public void MulByteAndDivQword()
    {
        _cpu.R[Reg.Rax] = 0x12345678ABCDEFF0; _cpu.R[Reg.Rbx] = 0x33;
        Run(a => a.mul(bl));
        Assert.Equal(0x12345678ABCD2FD0UL, R(Reg.Rax));
        Assert.Equal(0x881UL, F);

        _cpu.R[Reg.Rax] = 0x0123456789ABCDEF; _cpu.R[Reg.Rdx] = 0x12; _cpu.R[Reg.Rcx] = 0x123456789;
        Run(a => a.div(rcx));
        Assert.Equal(0x0000000FD3000009UL, R(Reg.Rax));
        Assert.Equal(0x00000000613B2A1EUL, R(Reg.Rdx));
        Assert.Equal(0x000UL, F);
    }

    [Fact]
    public void DivideByZeroFaultsAtInstruction()
    {
        _cpu.R[Reg.Rax] = 1234; _cpu.R[Reg.Rdx] = 0; _cpu.R[Reg.Rcx] = 0;
        Run(a => { a.nop(); a.div(ecx); });
        Assert.Equal(8, _faultSignal);
        Assert.Equal(Code + 1, _faultRip);
        Assert.Equal(1234UL, R(Reg.Rax));
    }

    [Fact]
    public void BitTestMemoryOffsets()
    {
        _mem.Write64(Data, 0); _mem.Write64(Data + 8, 0);
        _cpu.R[Reg.Rbx] = Data; _cpu.R[Reg.Rax] = 0xFFFFFFFF;   // offset -1 from Data+8: bit 31 of the dword at Data+4
        Run(a => a.bts(__dword_ptr[rbx + 8], eax));
        Assert.Equal(0x8000000000000000UL, M(Data));
        Assert.Equal(0UL, M(Data + 8));
        Assert.Equal(0x000UL, F);

        _mem.Write64(Data, 0x20);
        Run(a => a.bt(__qword_ptr[rbx], 69), 0x8D4);             // imm offset is taken mod 64
        Assert.Equal(0x8D5UL, F);
    }

    [Fact]
    public void BsfZeroSourceKeepsDestination()
    {
        _cpu.R[Reg.Rax] = 0xDEADBEEFCAFEBABE; _cpu.R[Reg.Rcx] = 0xFFFFFFFF00000000;
        Run(a => a.bsf(eax, ecx));
        Assert.Equal(0xDEADBEEFCAFEBABEUL, R(Reg.Rax));
        Assert.Equal(0x044UL, F);
    }

    [Fact]
    public void BswapAndConditionals()
    {
        _cpu.R[Reg.Rdx] = 0xFFFFFFFF11223344;
        Run(a => a.bswap(edx));
        Assert.Equal(0x44332211UL, R(Reg.Rdx));

        _cpu.R[Reg.Rax] = 0xDEADBEEFCAFEBABE; _cpu.R[Reg.Rcx] = 0x1111;
        Run(a => a.cmove(eax, ecx));                             // false, still zero-extends
        Assert.Equal(0xCAFEBABEUL, R(Reg.Rax));

        _mem.Write64(Data, ulong.MaxValue); _cpu.R[Reg.Rbx] = Data;
        Run(a => a.setl(__byte_ptr[rbx]), 0x080);                 // SF=1, OF=0
        Assert.Equal(0xFFFFFFFFFFFFFF01UL, M(Data));
    }

    [Fact]
    public void TzcntEncodingRunsAsBsfWithoutBmi()
    {
        // F3 0F BC on a CPU without BMI1 (our CPUID profile) is rep bsf.
        _cpu.R[Reg.Rax] = 0xDEADBEEFCAFEBABE; _cpu.R[Reg.Rdx] = 0;
        Run(a => a.tzcnt(eax, edx));
        Assert.Equal(0xDEADBEEFCAFEBABEUL, R(Reg.Rax));          // zero source: destination kept (tzcnt would give 32)
        Assert.Equal(0x044UL, F);

        _cpu.R[Reg.Rdx] = 0x50;
        Run(a => a.tzcnt(rax, rdx));
        Assert.Equal(4UL, R(Reg.Rax));
        Assert.Equal(0x000UL, F);                                 // bsf flags (tzcnt would set ZF only for index 0)
    }
}
