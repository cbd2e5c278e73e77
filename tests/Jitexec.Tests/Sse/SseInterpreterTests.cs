// End-to-end checks of the SSE move/shuffle/integer handlers through the interpreter:
// operand decoding (xmm, GPR, m16/m32/m64/m128), upper-bit zeroing/merging of scalar
// moves, the 16-byte alignment fault of legacy SSE m128 operands, and SIGILL for the MMX
// forms left out of our profile. Expected values come from the host CPU via
// System.Runtime.Intrinsics.X86 running the same instruction on the same inputs.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Memory;
using Xunit;
using static Iced.Intel.AssemblerRegisters;
using V = System.Runtime.Intrinsics.Vector128<ulong>;

namespace Jitexec.Tests;

public unsafe class SseInterpreterTests
{
    private const ulong Code = 0x10000, Data = 0x30000;

    private static readonly V A = Vector128.Create(0x8877665544332211UL, 0xFFEEDDCCBBAA9980UL);
    private static readonly V B = Vector128.Create(0x0123456789ABCDEFUL, 0xFEDCBA9876543210UL);
    private static readonly byte[] DataBytes = Enumerable.Range(0, 64).Select(i => (byte)(i * 37 + 0x91)).ToArray();

    /// <summary>Assemble, load data at <see cref="Data"/>, set xmm0=A, xmm1=B, rax=Data, run to the syscall.</summary>
    private static (Cpu cpu, GuestMemory mem) Run(Action<Assembler> body, Action<Cpu>? setup = null)
    {
        var mem = new GuestMemory();
        FlatGuest.Map(mem, Code, 0x30000);
        FlatGuest.Load(mem, Code, a => { body(a); a.syscall(); });
        DataBytes.CopyTo(mem.Span(Data, DataBytes.Length));
        var sys = new FlatSystem(Code, Code + 0x1000);
        var cpu = new Cpu(mem, sys) { Rip = Code };
        cpu.R[Reg.Rsp] = 0x28000;
        cpu.R[Reg.Rax] = Data;
        cpu.Xmm[0] = A;
        cpu.Xmm[1] = B;
        setup?.Invoke(cpu);
        new Engine(mem, sys).Run(cpu);
        return (cpu, mem);
    }

    private static T Host<T>(int offset) where T : unmanaged
    {
        fixed (byte* p = DataBytes) return *(T*)(p + offset);
    }

    [Fact]
    public void GprAndScalarMovesZeroOrMergeLikeHardware()
    {
        fixed (byte* p = DataBytes)
        {
            var (c, _) = Run(a =>
            {
                a.movd(xmm2, ebx);            // xmm2 = zext(ebx)
                a.movq(xmm3, rbx);            // xmm3 = zext(rbx)
                a.movd(r8d, xmm0);            // r8 = zext32 (rcx and r11 are clobbered by syscall)
                a.movq(rdx, xmm1);
                a.movq(xmm4, __qword_ptr[rax + 8]);
                a.movd(xmm5, __dword_ptr[rax + 4]);
                a.movss(xmm6, __dword_ptr[rax + 12]);
                a.movsd(xmm7, __qword_ptr[rax + 16]);
                a.movss(xmm8, xmm1);          // merge low dword into A
                a.movsd(xmm9, xmm1);          // merge low qword into A
                a.movq(xmm10, xmm1);          // F3 0F 7E: zero upper
                a.movlps(xmm11, __qword_ptr[rax + 24]);
                a.movhps(xmm12, __qword_ptr[rax + 24]);
                a.movlpd(xmm13, __qword_ptr[rax + 32]);
                a.movhpd(xmm14, __qword_ptr[rax + 32]);
            }, c =>
            {
                c.R[Reg.Rbx] = 0xDEADBEEF_CAFEF00D;
                c.R[Reg.R8] = ulong.MaxValue;
                for (int i = 2; i < 16; i++) c.Xmm[i] = A;
            });
            Assert.Equal(Sse2.ConvertScalarToVector128UInt32(0xCAFEF00D).AsUInt64(), c.Xmm[2]);
            Assert.Equal(Sse2.X64.ConvertScalarToVector128UInt64(0xDEADBEEF_CAFEF00D), c.Xmm[3]);
            Assert.Equal((ulong)Sse2.ConvertToUInt32(A.AsUInt32()), c.R[Reg.R8]);
            Assert.Equal(Sse2.X64.ConvertToUInt64(B), c.R[Reg.Rdx]);
            Assert.Equal(Sse2.LoadScalarVector128((ulong*)(p + 8)), c.Xmm[4]);
            Assert.Equal(Sse2.LoadScalarVector128((uint*)(p + 4)).AsUInt64(), c.Xmm[5]);
            Assert.Equal(Sse.LoadScalarVector128((float*)(p + 12)).AsUInt64(), c.Xmm[6]);
            Assert.Equal(Sse2.LoadScalarVector128((double*)(p + 16)).AsUInt64(), c.Xmm[7]);
            Assert.Equal(Sse.MoveScalar(A.AsSingle(), B.AsSingle()).AsUInt64(), c.Xmm[8]);
            Assert.Equal(Sse2.MoveScalar(A.AsDouble(), B.AsDouble()).AsUInt64(), c.Xmm[9]);
            Assert.Equal(Sse2.MoveScalar(B), c.Xmm[10]);
            Assert.Equal(Sse.LoadLow(A.AsSingle(), (float*)(p + 24)).AsUInt64(), c.Xmm[11]);
            Assert.Equal(Sse.LoadHigh(A.AsSingle(), (float*)(p + 24)).AsUInt64(), c.Xmm[12]);
            Assert.Equal(Sse2.LoadLow(A.AsDouble(), (double*)(p + 32)).AsUInt64(), c.Xmm[13]);
            Assert.Equal(Sse2.LoadHigh(A.AsDouble(), (double*)(p + 32)).AsUInt64(), c.Xmm[14]);
        }
    }

    [Fact]
    public void StoresWriteOnlyTheirWidth()
    {
        var (_, m) = Run(a =>
        {
            a.movd(__dword_ptr[rax], xmm1);
            a.movq(__qword_ptr[rax + 8], xmm0);
            a.movss(__dword_ptr[rax + 16], xmm0);
            a.movsd(__qword_ptr[rax + 20], xmm1);
            a.movlps(__qword_ptr[rax + 28], xmm1);
            a.movhps(__qword_ptr[rax + 36], xmm1);
            a.movhpd(__qword_ptr[rax + 44], xmm0);
            a.movdqu(__xmmword_ptr[rax + 49], xmm0);
        });
        var want = (byte[])DataBytes.Clone();
        fixed (byte* p = want)
        {
            Sse2.StoreScalar((uint*)p, B.AsUInt32());
            Sse2.StoreScalar((ulong*)(p + 8), A);
            Sse.StoreScalar((float*)(p + 16), A.AsSingle());
            Sse2.StoreScalar((double*)(p + 20), B.AsDouble());
            Sse.StoreLow((float*)(p + 28), B.AsSingle());
            Sse.StoreHigh((float*)(p + 36), B.AsSingle());
            Sse2.StoreHigh((double*)(p + 44), A.AsDouble());
            Sse2.Store(p + 49, A.AsByte());
        }
        Assert.Equal(want, m.Span(Data, 64).ToArray());
    }

    [Fact]
    public void WordInsertExtractAndMasks()
    {
        var (c, _) = Run(a =>
        {
            a.movdqa(xmm2, xmm0);
            a.pinsrw(xmm2, __word_ptr[rax + 6], 5);
            a.movdqa(xmm3, xmm0);
            a.pinsrw(xmm3, ebx, 10);              // imm8 uses its low 3 bits
            a.pextrw(r9, xmm1, 7);
            a.pmovmskb(edx, xmm0);
            a.movmskps(rsi, xmm1);
            a.movmskpd(edi, xmm0);
        }, c => { c.R[Reg.Rbx] = 0x12345678; c.R[Reg.R9] = c.R[Reg.Rdx] = c.R[Reg.Rsi] = c.R[Reg.Rdi] = ulong.MaxValue; });
        Assert.Equal(Sse2.Insert(A.AsUInt16(), Host<ushort>(6), 5).AsUInt64(), c.Xmm[2]);
        Assert.Equal(Sse2.Insert(A.AsUInt16(), (ushort)0x5678, 10).AsUInt64(), c.Xmm[3]);
        Assert.Equal((ulong)Sse2.Extract(B.AsUInt16(), 7), c.R[Reg.R9]);
        Assert.Equal((ulong)(uint)Sse2.MoveMask(A.AsByte()), c.R[Reg.Rdx]);
        Assert.Equal((ulong)(uint)Sse.MoveMask(B.AsSingle()), c.R[Reg.Rsi]);
        Assert.Equal((ulong)(uint)Sse2.MoveMask(A.AsDouble()), c.R[Reg.Rdi]);
    }

    [Fact]
    public void MaskmovdquStoresSelectedBytes()
    {
        var (_, m) = Run(a => { a.lea(rdi, __[rax + 3]); a.maskmovdqu(xmm0, xmm1); });
        var want = (byte[])DataBytes.Clone();
        fixed (byte* p = want) Sse2.MaskMove(A.AsByte(), B.AsByte(), p + 3);
        Assert.Equal(want, m.Span(Data, 64).ToArray());
    }

    [Fact]
    public void AlignedMemoryOperandsWork()
    {
        fixed (byte* p = DataBytes)
        {
            var (c, m) = Run(a =>
            {
                a.movdqa(xmm2, __xmmword_ptr[rax + 16]);
                a.paddb(xmm0, __xmmword_ptr[rax]);
                a.pshufd(xmm3, __xmmword_ptr[rax + 32], 0x1B);
                a.psllq(xmm1, __xmmword_ptr[rax + 48]);
                a.movaps(__xmmword_ptr[rax + 48], xmm2);
            });
            var m16 = Sse2.LoadVector128((ulong*)(p + 16));
            Assert.Equal(m16, c.Xmm[2]);
            Assert.Equal(Sse2.Add(A.AsByte(), Sse2.LoadVector128(p)).AsUInt64(), c.Xmm[0]);
            Assert.Equal(Sse2.Shuffle(Sse2.LoadVector128((uint*)(p + 32)), 0x1B).AsUInt64(), c.Xmm[3]);
            Assert.Equal(Sse2.ShiftLeftLogical(B, Sse2.LoadVector128((ulong*)(p + 48))), c.Xmm[1]);
            Assert.Equal(m16, m.Read128(Data + 48));
        }
    }

    public static TheoryData<string> MisalignedForms => new(MisalignedTable.Keys);

    private static readonly Dictionary<string, Action<Assembler>> MisalignedTable = new()
    {
        ["movdqa load"] = a => a.movdqa(xmm2, __xmmword_ptr[rax + 8]),
        ["movaps load"] = a => a.movaps(xmm2, __xmmword_ptr[rax + 1]),
        ["movapd store"] = a => a.movapd(__xmmword_ptr[rax + 4], xmm2),
        ["movntdq"] = a => a.movntdq(__xmmword_ptr[rax + 4], xmm2),
        ["pxor"] = a => a.pxor(xmm2, __xmmword_ptr[rax + 2]),
        ["pcmpeqb"] = a => a.pcmpeqb(xmm2, __xmmword_ptr[rax + 2]),
        ["punpcklbw"] = a => a.punpcklbw(xmm2, __xmmword_ptr[rax + 8]),
        ["pshufd"] = a => a.pshufd(xmm2, __xmmword_ptr[rax + 8], 0),
        ["psrlw count"] = a => a.psrlw(xmm2, __xmmword_ptr[rax + 8]),
        ["pmaddwd"] = a => a.pmaddwd(xmm2, __xmmword_ptr[rax + 8]),
        ["packuswb"] = a => a.packuswb(xmm2, __xmmword_ptr[rax + 8]),
    };

    [Theory]
    [MemberData(nameof(MisalignedForms))]
    public void MisalignedM128FaultsWithSigsegv(string form)
    {
        var f = Assert.Throws<GuestFault>(() => Run(a => { a.nop(); MisalignedTable[form](a); }));
        Assert.Equal(GuestFault.SIGSEGV, f.Signal);
        Assert.Equal(Code + 1, f.Rip);
    }

    [Fact]
    public void UnalignedMovesAcceptAnyAddress()
    {
        fixed (byte* p = DataBytes)
        {
            var (c, _) = Run(a => { a.movdqu(xmm2, __xmmword_ptr[rax + 3]); a.movups(xmm3, __xmmword_ptr[rax + 5]); a.movupd(xmm4, __xmmword_ptr[rax + 7]); });
            Assert.Equal(Sse2.LoadVector128((ulong*)(p + 3)), c.Xmm[2]);
            Assert.Equal(Sse2.LoadVector128((ulong*)(p + 5)), c.Xmm[3]);
            Assert.Equal(Sse2.LoadVector128((ulong*)(p + 7)), c.Xmm[4]);
        }
    }

    [Fact]
    public void MmxFormsRaiseSigill()
    {
        var f = Assert.Throws<GuestFault>(() => Run(a => a.paddb(mm0, mm1)));
        Assert.Equal(GuestFault.SIGILL, f.Signal);
        f = Assert.Throws<GuestFault>(() => Run(a => a.movd(mm0, eax)));
        Assert.Equal(GuestFault.SIGILL, f.Signal);
    }
}
