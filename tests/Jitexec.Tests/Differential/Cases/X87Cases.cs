// Differential cases for Semantics/X87 (X87Ops, FxState): the harness compares GPRs, flags,
// XMM, MXCSR and memory, not x87 registers, so every sequence starts with fninit and ends
// with an epilogue that fxsaves below the stack window and copies the first 160 bytes of the
// image (FCW, FSW with TOP, abridged FTW, MXCSR, MXCSR_MASK, ST0-7) into buffer bytes 0..159,
// with FOP/FIP/FDP zeroed (not tracked by the emulator). Inputs therefore live at 0xA0..0xFF.
// The prologue zeroes all eight physical registers: fxsave stores empty ones too, and their
// stale native contents would otherwise depend on whatever ran before.
using Iced.Intel;
using Jitexec.Translator.Exec;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Differential.Cases;

public class X87Cases
{
    private const int In = 0xA0, Out = 0xC0, Cw = 0xF0;

    public static readonly CaseSet Cases = Build();

    /// <summary>fninit; fldcw [random masked control word]; body; epilogue (fxsave image -> buffer).</summary>
    private static DiffCase X(string name, Action<Assembler> body, bool fxsave64 = true) =>
        new DiffCase(a =>
        {
            // Empty registers keep stale contents (fxsave stores them): zero all eight first.
            a.fninit();
            for (int i = 0; i < 8; i++) a.fldz();
            a.fninit();
            a.fldcw(__word_ptr[r15 + Cw]);
            body(a);
            Epilogue(a, fxsave64);
        }).Named(name).With(Inputs).Iter(300);

    private static void Epilogue(Assembler a, bool fxsave64)
    {
        a.lea(rax, __[rsp - 0x400]);
        if (fxsave64) a.fxsave64(__[rax]); else a.fxsave(__[rax]);
        a.mov(__word_ptr[rax + 6], 0);
        a.mov(__qword_ptr[rax + 8], 0);
        a.mov(__qword_ptr[rax + 16], 0);
        for (int i = 0; i < 10; i++)
        {
            a.movdqa(xmm0, __xmmword_ptr[rax + 16 * i]);
            a.movdqu(__xmmword_ptr[r15 + 16 * i], xmm0);
        }
        a.fninit();
    }

    /// <summary>Random masked control word (any RC and PC), 80-bit values at In/In+16/In+32, doubles at Out+0x20.</summary>
    private static void Inputs(MachineState s, Random r)
    {
        ushort cw = (ushort)(0x037F & ~0xF00 | r.Next(4) << 10 | r.Next(4) << 8);
        BitConverter.TryWriteBytes(s.Buffer.AsSpan(Cw), cw);
        for (int i = 0; i < 3; i++) WriteF80(s.Buffer.AsSpan(In + 16 * i), r);
        if (r.Next(2) == 0) BitConverter.TryWriteBytes(s.Buffer.AsSpan(Out + 0x20), EdgeValues.F64[r.Next(EdgeValues.F64.Length)]);
        if (r.Next(2) == 0) BitConverter.TryWriteBytes(s.Buffer.AsSpan(Out + 0x28), EdgeValues.F32[r.Next(EdgeValues.F32.Length)]);
    }

    private static void WriteF80(Span<byte> b, Random r)
    {
        ulong m = (ulong)r.NextInt64() | (r.Next(2) == 0 ? 1UL << 63 : 0);
        int sign = r.Next(2) << 15;
        int e = r.Next(10) switch
        {
            0 => 0x3FFF - 64 + r.Next(128),
            1 => 0x3C00 + r.Next(0x10),          // around the double denormal range
            2 => 0x3F80 + r.Next(0x10),          // around the float denormal range
            3 => 0x43F0 + r.Next(0x20),          // around the double overflow
            4 => 0x407A + r.Next(0x10),          // around the float overflow
            5 => 0x7FFF,                         // inf / NaN / pseudo forms
            6 => 0x3FFF + r.Next(66),            // integer range
            7 => 0,                              // zero / denormal / pseudo-denormal
            _ => r.Next(0x8000),
        };
        if (e == 0x7FFF && r.Next(3) == 0) m = 1UL << 63;
        if (e == 0 && r.Next(2) == 0) m = 0;
        if (r.Next(8) != 0 && e != 0) m |= 1UL << 63;
        if (e > 0x3FFF && e < 0x3FFF + 66 && r.Next(2) == 0) m &= ~0UL << Math.Min(63, r.Next(64));
        BitConverter.TryWriteBytes(b, m);
        BitConverter.TryWriteBytes(b[8..], (ushort)(e | sign));
    }

    private static AssemblerMemoryOperand B(int disp) => __[r15 + disp];

    private static CaseSet Build()
    {
        var set = new CaseSet();
        set.Add(X("fld m80; fstp m64", a => { a.fld(__tword_ptr[r15 + In]); a.fstp(__qword_ptr[r15 + Out]); }));
        set.Add(X("fld m80; fstp m32", a => { a.fld(__tword_ptr[r15 + In]); a.fstp(__dword_ptr[r15 + Out]); }));
        set.Add(X("fld m80; fst m64; fstp m80", a => { a.fld(__tword_ptr[r15 + In]); a.fst(__qword_ptr[r15 + Out]); a.fstp(__tword_ptr[r15 + Out + 8]); }));
        set.Add(X("fld m64; fstp m80", a => { a.fld(__qword_ptr[r15 + Out + 0x20]); a.fstp(__tword_ptr[r15 + Out]); }));
        set.Add(X("fld m32; fstp m80", a => { a.fld(__dword_ptr[r15 + Out + 0x28]); a.fstp(__tword_ptr[r15 + Out]); }));
        set.Add(X("fld m64; fld m32; keep both", a => { a.fld(__qword_ptr[r15 + Out + 0x20]); a.fld(__dword_ptr[r15 + Out + 0x28]); }));
        set.Add(X("fld m80; fistp m16", a => { a.fld(__tword_ptr[r15 + In]); a.fistp(__word_ptr[r15 + Out]); }));
        set.Add(X("fld m80; fistp m32", a => { a.fld(__tword_ptr[r15 + In]); a.fistp(__dword_ptr[r15 + Out]); }));
        set.Add(X("fld m80; fistp m64", a => { a.fld(__tword_ptr[r15 + In]); a.fistp(__qword_ptr[r15 + Out]); }));
        set.Add(X("fld m80; fist m32; fisttp m64", a => { a.fld(__tword_ptr[r15 + In]); a.fist(__dword_ptr[r15 + Out]); a.fisttp(__qword_ptr[r15 + Out + 8]); }));
        set.Add(X("fild m16/m32/m64", a => { a.fild(__word_ptr[r15 + In]); a.fild(__dword_ptr[r15 + In + 16]); a.fild(__qword_ptr[r15 + In + 32]); }));
        set.Add(X("constants", a => { a.fld1(); a.fldz(); a.fldpi(); a.fldl2e(); a.fldl2t(); a.fldlg2(); a.fldln2(); }));
        set.Add(X("fld st(i); fxch; fchs; fabs", a =>
        {
            a.fld(__tword_ptr[r15 + In]); a.fld(__tword_ptr[r15 + In + 16]); a.fld(st1);
            a.fxch(st0, st2); a.fchs(); a.fxch(st0, st1); a.fabs(); a.fst(st2); a.fstp(st1);
        }));
        foreach (var (label, op) in new (string, Action<Assembler>)[]
        {
            ("fucomi", a => a.fucomi(st0, st1)), ("fcomi", a => a.fcomi(st0, st1)),
            ("fucomip", a => a.fucomip(st0, st1)), ("fcomip", a => a.fcomip(st0, st1)),
        })
            set.Add(X($"fld; fld; {label}", a => { a.fld(__tword_ptr[r15 + In]); a.fld(__tword_ptr[r15 + In + 16]); op(a); }).IgnoreFlags(0));
        // fnstenv/fldenv (glibc's feclearexcept): FIP is not tracked, so the stored FIP/FOP dwords are
        // cleared before they are compared; FSW exception bits are changed in the image and reloaded.
        set.Add(X("fnstenv; fldenv (changed FSW); fnstsw; fnstcw", a =>
        {
            a.fld(__tword_ptr[r15 + In]); a.fld(__tword_ptr[r15 + In + 16]);
            a.fdiv(st0, st1);
            a.fnstenv(__[r15 + Out]);
            a.mov(__dword_ptr[r15 + Out + 12], 0);
            a.mov(__dword_ptr[r15 + Out + 16], 0);
            a.fnstcw(__word_ptr[r15 + Out + 0x1C]);
            a.xor(__word_ptr[r15 + Out + 4], 0x21);
            a.fldenv(__[r15 + Out]);
            a.fnstsw(ax);
            a.fnstcw(__word_ptr[r15 + Out + 0x1E]);
            a.fld1();
            a.fnstenv(__[r15 + Out + 0x20]);
            a.mov(__dword_ptr[r15 + Out + 0x20 + 12], 0);
            a.mov(__dword_ptr[r15 + Out + 0x20 + 16], 0);
        }));
        set.Add(X("fucom/fucomp/fucompp + fnstsw", a =>
        {
            a.fld(__tword_ptr[r15 + In]); a.fld(__tword_ptr[r15 + In + 16]); a.fld(__tword_ptr[r15 + In + 32]);
            a.fucom(st0, st1); a.fnstsw(ax); a.mov(ebx, eax);
            a.fucomp(st0, st2); a.fnstsw(ax); a.mov(ecx, eax);
            a.fucompp(); a.fnstsw(ax);
        }));
        set.Add(X("fcom m64/m32, fcomp st, fcompp + fnstsw", a =>
        {
            a.fld(__tword_ptr[r15 + In]); a.fld(__tword_ptr[r15 + In + 16]);
            a.fcom(__qword_ptr[r15 + Out + 0x20]); a.fnstsw(ax); a.mov(ebx, eax);
            a.fcom(__dword_ptr[r15 + Out + 0x28]); a.fnstsw(ax); a.mov(ecx, eax);
            a.fcomp(st0, st1); a.fnstsw(__word_ptr[r15 + Out]);
            a.fld(__tword_ptr[r15 + In + 32]); a.fcompp(); a.fnstsw(ax);
        }));
        set.Add(X("ftst; fxam", a =>
        {
            a.fld(__tword_ptr[r15 + In]); a.ftst(); a.fnstsw(ax); a.mov(ebx, eax);
            a.fxam(); a.fnstsw(ax); a.mov(ecx, eax);
            a.ffree(st0); a.fxam(); a.fnstsw(ax);
        }));
        set.Add(X("stack overflow", a => { for (int i = 0; i < 9; i++) a.fld1(); a.fnstsw(ax); }));
        set.Add(X("stack underflow", a => { a.fstp(__qword_ptr[r15 + Out]); a.fnstsw(ax); a.fist(__dword_ptr[r15 + Out + 8]); a.fchs(); }));
        set.Add(X("fnstcw/fnstsw m16, fnclex, fincstp/fdecstp", a =>
        {
            a.fld(__tword_ptr[r15 + In]); a.fstp(__dword_ptr[r15 + Out]);
            a.fnstcw(__word_ptr[r15 + Out + 4]); a.fnstsw(__word_ptr[r15 + Out + 6]);
            a.fnclex(); a.fnstsw(ax); a.fld1(); a.fincstp(); a.fld1(); a.fdecstp(); a.fnop();
        }));
        set.Add(X("fldcw reserved bits", a => { a.fldcw(__word_ptr[r15 + In]); a.fnstcw(__word_ptr[r15 + Out]); a.fninit(); }));
        set.Add(X("fxsave (no REX.W)", a => { a.fld(__tword_ptr[r15 + In]); a.fld1(); }, fxsave64: false));
        set.Add(X("fxrstor64 of a random image", a =>
        {
            a.lea(rax, __[rsp - 0x400]);
            a.fxsave64(__[rax]);
            for (int i = 0; i < 6; i++) { a.movdqu(xmm0, __xmmword_ptr[r15 + In + 16 * i]); a.movdqa(__xmmword_ptr[rax + 32 + 16 * i], xmm0); }
            a.mov(cx, __word_ptr[r15 + 0x98]); a.mov(__word_ptr[rax + 2], cx);
            a.mov(cl, __byte_ptr[r15 + 0x9A]); a.mov(__byte_ptr[rax + 4], cl);
            a.mov(cx, __word_ptr[r15 + 0x9C]); a.or(cx, 0x3F); a.mov(__word_ptr[rax], cx);
            a.fxrstor64(__[rax]);
        }));
        set.Add(X("fxrstor (no REX.W) round trip", a =>
        {
            a.fld(__tword_ptr[r15 + In]); a.fld(__tword_ptr[r15 + In + 16]);
            a.lea(rax, __[rsp - 0x400]);
            a.fxsave(__[rax]); a.fninit(); a.fxrstor(__[rax]);
        }));
        return set;
    }

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);

    public static TheoryData<Tier> TierData() => new(Tiers.All);

    [Theory, MemberData(nameof(TierData))]
    public void MisalignedFxsaveFaults(Tier tier)
    {
        DiffRunner.AssertFaults(tier, a => { a.lea(rax, __[rsp - 0x408]); a.fxsave64(__[rax]); }, _ => { }, GuestFault.SIGSEGV);
        DiffRunner.AssertFaults(tier, a => { a.lea(rax, __[rsp - 0x408]); a.fxrstor(__[rax]); }, _ => { }, GuestFault.SIGSEGV);
    }
}
