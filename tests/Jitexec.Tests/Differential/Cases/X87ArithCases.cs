// Differential cases for Semantics/X87/X87ArithOps + F80Arith: every operand form of
// fadd/fsub/fsubr/fmul/fdiv/fdivr (+p, +i), fsqrt, frndint, on a random x87 stack (WithX87:
// random PC/RC, edge values in ST0/ST1) perturbed towards the interesting exponents
// (overflow, underflow/denormal, near-equal for cancellation), and memory operands drawn
// from the F32/F64/int edge values or random bits.
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Differential.Cases;

public class X87ArithCases
{
    private const int M = 0x40; // memory operand offset in the buffer

    public static readonly CaseSet Cases = Build();

    private static void Perturb(MachineState s, Random r)
    {
        for (int i = 0; i < 2; i++)
        {
            int sign = s.StExp[i] & 0x8000;
            switch (r.Next(8))
            {
                case 0: s.StExp[i] = (ushort)(sign | 0x7FFE - r.Next(0x40)); s.StMant[i] |= 1UL << 63; break;
                case 1: s.StExp[i] = (ushort)(sign | r.Next(0x44)); if (s.StExp[i] != sign && r.Next(4) != 0) s.StMant[i] |= 1UL << 63; break;
                case 2: s.StExp[i] = (ushort)(sign | 0x2000 + r.Next(0x40)); s.StMant[i] |= 1UL << 63; break;
                case 3: s.StExp[i] = (ushort)(sign | 0x5FC0 + r.Next(0x40)); s.StMant[i] |= 1UL << 63; break;
                case 4 when i == 1:
                    s.StExp[1] = (ushort)((s.StExp[1] & 0x8000) | Math.Clamp((s.StExp[0] & 0x7FFF) + r.Next(-2, 3), 1, 0x7FFE));
                    s.StMant[1] = s.StMant[0] ^ (r.Next(2) == 0 ? (ulong)r.Next(1 << 20) : 1UL << r.Next(64)) | 1UL << 63;
                    break;
                case 5: s.StMant[i] &= ~0UL << r.Next(64); break; // short significands: exact results
            }
        }
        // ST2 = the value fxsave reports for later ops is already random; the memory operand:
        var b = s.Buffer.AsSpan(M);
        switch (r.Next(4))
        {
            case 0: BitConverter.TryWriteBytes(b, EdgeValues.F64[r.Next(EdgeValues.F64.Length)]); break;
            case 1: BitConverter.TryWriteBytes(b, EdgeValues.F32[r.Next(EdgeValues.F32.Length)]); break;
            case 2: BitConverter.TryWriteBytes(b, EdgeValues.Int[r.Next(EdgeValues.Int.Length)]); break;
        }
    }

    private static DiffCase C(string name, Action<Assembler> body, int iter = 400) =>
        new DiffCase(body).Named(name).WithX87(8).InSt(0, 1).With(Perturb).Iter(iter);

    private static DiffCase Rounding(string name, Action<Assembler> body) =>
        new DiffCase(body).Named(name).WithX87(8).With(Perturb).Iter(400);

    private static CaseSet Build()
    {
        var set = new CaseSet();
        var ops = new (string n, Action<Assembler, AssemblerRegisterST, AssemblerRegisterST> rr, Action<Assembler, AssemblerRegisterST> pp,
            Action<Assembler, AssemblerMemoryOperand> mem, Action<Assembler, AssemblerMemoryOperand> imem)[]
        {
            ("fadd", (a, x, y) => a.fadd(x, y), (a, x) => a.faddp(x, st0), (a, m) => a.fadd(m), (a, m) => a.fiadd(m)),
            ("fsub", (a, x, y) => a.fsub(x, y), (a, x) => a.fsubp(x, st0), (a, m) => a.fsub(m), (a, m) => a.fisub(m)),
            ("fsubr", (a, x, y) => a.fsubr(x, y), (a, x) => a.fsubrp(x, st0), (a, m) => a.fsubr(m), (a, m) => a.fisubr(m)),
            ("fmul", (a, x, y) => a.fmul(x, y), (a, x) => a.fmulp(x, st0), (a, m) => a.fmul(m), (a, m) => a.fimul(m)),
            ("fdiv", (a, x, y) => a.fdiv(x, y), (a, x) => a.fdivp(x, st0), (a, m) => a.fdiv(m), (a, m) => a.fidiv(m)),
            ("fdivr", (a, x, y) => a.fdivr(x, y), (a, x) => a.fdivrp(x, st0), (a, m) => a.fdivr(m), (a, m) => a.fidivr(m)),
        };
        foreach (var (n, rr, pp, mem, imem) in ops)
        {
            set.Add(C($"{n} st0,st1", a => rr(a, st0, st1)));
            set.Add(C($"{n} st1,st0", a => rr(a, st1, st0)));
            set.Add(C($"{n}p st1,st0", a => pp(a, st1)));
            set.Add(C($"{n}p st2,st0 (st2 random)", a => pp(a, st2), 150));
            set.Add(C($"{n} st0,st0", a => rr(a, st0, st0), 150));
            set.Add(C($"{n} m32fp", a => mem(a, __dword_ptr[r15 + M])));
            set.Add(C($"{n} m64fp", a => mem(a, __qword_ptr[r15 + M])));
            set.Add(C($"{n} m16int", a => imem(a, __word_ptr[r15 + M])));
            set.Add(C($"{n} m32int", a => imem(a, __dword_ptr[r15 + M])));
            set.Add(C($"{n} empty st", a => { a.ffree(st1); rr(a, st0, st1); }, 30));
        }
        set.Add(C("fsqrt", a => a.fsqrt()));
        set.Add(C("frndint", a => a.frndint()));
        set.Add(C("fscale", a => a.fscale(), 800));
        set.Add(C("fprem + fnstsw", a => { a.fprem(); a.fnstsw(ax); }, 800));
        set.Add(C("fprem1 + fnstsw", a => { a.fprem1(); a.fnstsw(ax); }, 800));
        set.Add(C("fprem/fprem1 loop (close exponents)", a => { a.fprem1(); a.fnstsw(ax); a.mov(ebx, eax); a.fprem(); a.fnstsw(ax); }, 400).With((s, r) =>
        {
            if (r.Next(4) == 0) return;
            s.StExp[1] = (ushort)((s.StExp[1] & 0x8000) | Math.Clamp((s.StExp[0] & 0x7FFF) - r.Next(-2, 140), 1, 0x7FFE));
            s.StMant[1] |= 1UL << 63; s.StExp[0] |= 1; s.StMant[0] |= 1UL << 63;
        }));
        set.Add(C("fscale (small integer st1)", a => a.fscale(), 400).With((s, r) =>
        {
            (s.StExp[1], s.StMant[1]) = ((ushort)(r.Next(2) << 15 | 0x3FFF + r.Next(16)), (ulong)r.NextInt64() | 1UL << 63);
        }));
        set.Add(C("fsqrt; frndint on st1 via fxch", a => { a.fxch(st0, st1); a.fsqrt(); a.fxch(st0, st1); a.frndint(); }));
        // All rounding modes and precisions through fldcw, chained so inexact results feed later ops.
        set.Add(Rounding("chain under fldcw", a =>
        {
            a.fldcw(__word_ptr[r15 + 0x80]);
            a.fmul(st0, st1); a.fadd(st0, st2); a.fdivr(st0, st3); a.fsubp(st4, st0); a.fsqrt(); a.frndint();
        }).With((s, r) => BitConverter.TryWriteBytes(s.Buffer.AsSpan(0x80), (ushort)(0x037F & ~0xF00 | r.Next(4) << 10 | r.Next(4) << 8))));
        return set;
    }

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);
}
