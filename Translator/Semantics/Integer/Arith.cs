// Family: add adc sub sbb cmp and or xor test inc dec neg not.
// Flags are recorded lazily (Core/LazyFlags.cs); each handler computes the result once.
using System.Runtime.CompilerServices;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Operands;

namespace Jitexec.Translator.Semantics.Integer;

internal static unsafe class Arith
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Mnemonic.Add, &Add);
        r.Add(Mnemonic.Adc, &Adc);
        r.Add(Mnemonic.Sub, &Sub);
        r.Add(Mnemonic.Sbb, &Sbb);
        r.Add(Mnemonic.Cmp, &Cmp);
        r.Add(Mnemonic.And, &And);
        r.Add(Mnemonic.Or, &Or);
        r.Add(Mnemonic.Xor, &Xor);
        r.Add(Mnemonic.Test, &Test);
        r.Add(Mnemonic.Inc, &Inc);
        r.Add(Mnemonic.Dec, &Dec);
        r.Add(Mnemonic.Neg, &Neg);
        r.Add(Mnemonic.Not, &Not);
    }

    // Semantics shared by both tiers: value in, value out, flags recorded on the cpu.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddValue(Cpu c, int size, ulong a, ulong b)
    {
        ulong r = a + b;
        Flags.SetLazy(c, FlagKind.Add, size, a, b, r);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SubValue(Cpu c, int size, ulong a, ulong b)
    {
        ulong r = a - b;
        Flags.SetLazy(c, FlagKind.Sub, size, a, b, r);
        return r;
    }

    public static ulong AdcValue(Cpu c, int size, ulong a, ulong b) => AdcCarry(c, size, a, b, Flags.Cf(c));

    /// <summary>adc with the carry-in given (the JIT passes it when it knows CF without the Cpu).</summary>
    public static ulong AdcCarry(Cpu c, int size, ulong a, ulong b, bool cin)
    {
        ulong r = a + b + (cin ? 1UL : 0UL);
        Flags.SetCarryOp(c, FlagKind.Adc, size, a, b, r, cin);
        return r;
    }

    public static ulong SbbValue(Cpu c, int size, ulong a, ulong b) => SbbCarry(c, size, a, b, Flags.Cf(c));

    /// <summary>sbb with the carry-in (borrow) given.</summary>
    public static ulong SbbCarry(Cpu c, int size, ulong a, ulong b, bool cin)
    {
        ulong r = a - b - (cin ? 1UL : 0UL);
        Flags.SetCarryOp(c, FlagKind.Sbb, size, a, b, r, cin);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AndValue(Cpu c, int size, ulong a, ulong b)
    {
        ulong r = a & b;
        Flags.SetLogic(c, size, r);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong OrValue(Cpu c, int size, ulong a, ulong b)
    {
        ulong r = a | b;
        Flags.SetLogic(c, size, r);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong XorValue(Cpu c, int size, ulong a, ulong b)
    {
        ulong r = a ^ b;
        Flags.SetLogic(c, size, r);
        return r;
    }

    /// <summary>Operand 1 read, with an immediate sign-extended to operand 0's size (imm8/imm32 forms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Src(Cpu c, ref Op op) => op.K1 == ArgKind.Imm ? op.Imm : Read1(c, ref op);

    private static void Add(Cpu c, ref Op op) => Write0(c, ref op, AddValue(c, op.S0, Read0(c, ref op), Src(c, ref op)));
    private static void Adc(Cpu c, ref Op op) => Write0(c, ref op, AdcValue(c, op.S0, Read0(c, ref op), Src(c, ref op)));
    private static void Sub(Cpu c, ref Op op) => Write0(c, ref op, SubValue(c, op.S0, Read0(c, ref op), Src(c, ref op)));
    private static void Sbb(Cpu c, ref Op op) => Write0(c, ref op, SbbValue(c, op.S0, Read0(c, ref op), Src(c, ref op)));
    private static void Cmp(Cpu c, ref Op op) => SubValue(c, op.S0, Read0(c, ref op), Src(c, ref op));

    private static void And(Cpu c, ref Op op) => Write0(c, ref op, AndValue(c, op.S0, Read0(c, ref op), Src(c, ref op)));
    private static void Or(Cpu c, ref Op op) => Write0(c, ref op, OrValue(c, op.S0, Read0(c, ref op), Src(c, ref op)));
    private static void Xor(Cpu c, ref Op op) => Write0(c, ref op, XorValue(c, op.S0, Read0(c, ref op), Src(c, ref op)));

    private static void Test(Cpu c, ref Op op) => AndValue(c, op.S0, Read0(c, ref op), Src(c, ref op));

    // inc/dec/neg/not: value in, value out (shared with the JIT tier).
    public static ulong IncValue(Cpu c, int size, ulong a) { ulong r = a + 1; Flags.SetIncDec(c, true, size, a, r); return r; }

    public static ulong DecValue(Cpu c, int size, ulong a) { ulong r = a - 1; Flags.SetIncDec(c, false, size, a, r); return r; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong NegValue(Cpu c, int size, ulong a) { ulong r = 0 - a; Flags.SetLazy(c, FlagKind.Neg, size, 0, a, r); return r; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong NotValue(ulong a) => ~a;

    private static void Inc(Cpu c, ref Op op) => Write0(c, ref op, IncValue(c, op.S0, Read0(c, ref op)));
    private static void Dec(Cpu c, ref Op op) => Write0(c, ref op, DecValue(c, op.S0, Read0(c, ref op)));
    private static void Neg(Cpu c, ref Op op) => Write0(c, ref op, NegValue(c, op.S0, Read0(c, ref op)));
    private static void Not(Cpu c, ref Op op) => Write0(c, ref op, NotValue(Read0(c, ref op)));
}
