// Arithmetic flags (CF PF AF ZF SF OF) are computed on demand from the last flag-setting
// operation (kind, size, operands, result) instead of after every instruction: most
// results are overwritten before anything reads them. This file is the single definition
// of how each kind yields each flag; both tiers use it.
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Jitexec.Translator.Core;

public static class Flags
{
    public const ulong CF = 1, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7, TF = 1 << 8,
        IF = 1 << 9, DF = 1 << 10, OF = 1 << 11, NT = 1 << 14, AC = 1 << 18, ID = 1 << 21;
    public const ulong Arith = CF | PF | AF | ZF | SF | OF;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SizeMask(int size) => size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SignBit(int size) => 1UL << (size * 8 - 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetLazy(Cpu c, FlagKind kind, int size, ulong src1, ulong src2, ulong res)
    {
        c.LazyKind = kind; c.LazySize = (byte)size;
        c.LazySrc1 = src1; c.LazySrc2 = src2; c.LazyRes = res;
    }

    /// <summary>Record a logic op (and/or/xor/test): CF=OF=0, AF cleared (undefined on hardware).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetLogic(Cpu c, int size, ulong res)
    {
        c.LazyKind = FlagKind.Logic; c.LazySize = (byte)size; c.LazyRes = res;
    }

    /// <summary>inc/dec keep CF: materialise it before switching to the lazy inc/dec state.</summary>
    public static void SetIncDec(Cpu c, bool inc, int size, ulong src, ulong res)
    {
        ulong cf = Cf(c) ? CF : 0;
        c.FlagsStatic = (c.FlagsStatic & ~Arith) | cf;
        SetLazy(c, inc ? FlagKind.Inc : FlagKind.Dec, size, src, 1, res);
    }

    public static void SetCarryOp(Cpu c, FlagKind kind, int size, ulong src1, ulong src2, ulong res, bool carryIn)
    {
        SetLazy(c, kind, size, src1, src2, res);
        c.LazyCarryIn = carryIn ? (byte)1 : (byte)0;
    }

    /// <summary>Replace the arithmetic flags with explicit values (flags computed eagerly).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetArith(Cpu c, ulong flags)
    {
        c.FlagsStatic = (c.FlagsStatic & ~Arith) | (flags & Arith);
        c.LazyKind = FlagKind.None;
    }

    public static bool Cf(Cpu c)
    {
        ulong m = SizeMask(c.LazySize);
        switch (c.LazyKind)
        {
            case FlagKind.None: case FlagKind.Inc: case FlagKind.Dec:
                return (c.FlagsStatic & CF) != 0;
            case FlagKind.Add: return (c.LazyRes & m) < (c.LazySrc1 & m);
            case FlagKind.Adc:
                return c.LazyCarryIn != 0 ? (c.LazyRes & m) <= (c.LazySrc1 & m) : (c.LazyRes & m) < (c.LazySrc1 & m);
            case FlagKind.Sub: return (c.LazySrc1 & m) < (c.LazySrc2 & m);
            case FlagKind.Sbb:
                return c.LazyCarryIn != 0 ? (c.LazySrc1 & m) <= (c.LazySrc2 & m) : (c.LazySrc1 & m) < (c.LazySrc2 & m);
            case FlagKind.Logic: return false;
            case FlagKind.Neg: return (c.LazySrc2 & m) != 0;
            default: return false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Zf(Cpu c) => c.LazyKind == FlagKind.None
        ? (c.FlagsStatic & ZF) != 0
        : (c.LazyRes & SizeMask(c.LazySize)) == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Sf(Cpu c) => c.LazyKind == FlagKind.None
        ? (c.FlagsStatic & SF) != 0
        : (c.LazyRes & SignBit(c.LazySize)) != 0;

    public static bool Of(Cpu c)
    {
        ulong s = SignBit(c.LazySize);
        ulong a = c.LazySrc1, b = c.LazySrc2, r = c.LazyRes;
        switch (c.LazyKind)
        {
            case FlagKind.None: return (c.FlagsStatic & OF) != 0;
            case FlagKind.Add: case FlagKind.Adc: case FlagKind.Inc:
                return ((a ^ r) & (b ^ r) & s) != 0;
            case FlagKind.Sub: case FlagKind.Sbb: case FlagKind.Dec: case FlagKind.Neg:
                return ((a ^ b) & (a ^ r) & s) != 0;
            default: return false;
        }
    }

    public static bool Pf(Cpu c) => c.LazyKind == FlagKind.None
        ? (c.FlagsStatic & PF) != 0
        : (BitOperations.PopCount((uint)(c.LazyRes & 0xFF)) & 1) == 0;

    public static bool Af(Cpu c) => c.LazyKind switch
    {
        FlagKind.None => (c.FlagsStatic & AF) != 0,
        FlagKind.Logic => false,
        _ => ((c.LazySrc1 ^ c.LazySrc2 ^ c.LazyRes) & 0x10) != 0,
    };

    /// <summary>The full RFLAGS value.</summary>
    public static ulong Get(Cpu c)
    {
        if (c.LazyKind == FlagKind.None) return c.FlagsStatic | 2;
        ulong f = c.FlagsStatic & ~Arith;
        if (Cf(c)) f |= CF;
        if (Pf(c)) f |= PF;
        if (Af(c)) f |= AF;
        if (Zf(c)) f |= ZF;
        if (Sf(c)) f |= SF;
        if (Of(c)) f |= OF;
        return f | 2;
    }

    /// <summary>Set RFLAGS from a full value (popf, sahf, restore). Only user-modifiable bits are kept.</summary>
    public static void Set(Cpu c, ulong value)
    {
        const ulong writable = Arith | TF | DF | NT | AC | ID | IF;
        c.FlagsStatic = (value & writable) | 2;
        c.LazyKind = FlagKind.None;
    }

    /// <summary>Evaluate condition code <paramref name="cc"/> (the low nibble of Jcc/SETcc/CMOVcc opcodes).
    /// Inlinable: after a cmp/sub (the usual case) the condition is one compare of the recorded
    /// operands, in the interpreter and in compiled code alike; everything else is CondGeneral.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Cond(Cpu c, int cc)
    {
        if (c.LazyKind == FlagKind.Sub && CondSubDefined(cc)) return CondSub(cc, c.LazySize, c.LazySrc1, c.LazySrc2);
        return CondGeneral(c, cc);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool CondGeneral(Cpu c, int cc)
    {
        if (c.LazyKind == FlagKind.None) return CondStatic(cc, c.FlagsStatic);
        if (c.LazyKind == FlagKind.Logic) return CondResult(cc, c.LazySize, c.LazyRes);
        bool r = (cc >> 1) switch
        {
            0 => Of(c),
            1 => Cf(c),
            2 => Zf(c),
            3 => Cf(c) || Zf(c),
            4 => Sf(c),
            5 => Pf(c),
            6 => Sf(c) != Of(c),
            _ => Zf(c) || (Sf(c) != Of(c)),
        };
        return (cc & 1) != 0 ? !r : r;
    }

    /// <summary>Condition <paramref name="cc"/> from materialised flags (an RFLAGS value, e.g. FlagsStatic
    /// or the result of (u)comis). With constant cc this folds to a bit test or two.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CondStatic(int cc, ulong f)
    {
        bool sf = (f & SF) != 0, of = (f & OF) != 0, zf = (f & ZF) != 0;
        bool r = (cc >> 1) switch
        {
            0 => of,
            1 => (f & CF) != 0,
            2 => zf,
            3 => (f & (CF | ZF)) != 0,
            4 => sf,
            5 => (f & PF) != 0,
            6 => sf != of,
            _ => zf || sf != of,
        };
        return (cc & 1) != 0 ? !r : r;
    }

    /// <summary>True for the conditions <see cref="CondSub"/> evaluates (all but o/no/s/ns/p/np).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CondSubDefined(int cc) => cc is >= 2 and <= 7 or >= 0xC;

    /// <summary>Condition <paramref name="cc"/> after `sub`/`cmp` of <paramref name="size"/>-byte a - b
    /// (for <see cref="CondSubDefined"/> conditions). With constant cc and size this folds to one
    /// compare of the operands narrowed to the operand size (`cmp dl, 0x6f` for a byte compare).
    /// Written without locals: in a large compiled unit every inlinee local counts toward
    /// RyuJIT's tracked-locals limit, past which locals live on the stack.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CondSub(int cc, int size, ulong src1, ulong src2) => size switch
    {
        1 => cc switch
        {
            2 => (byte)src1 < (byte)src2, 3 => (byte)src1 >= (byte)src2, 4 => (byte)src1 == (byte)src2,
            5 => (byte)src1 != (byte)src2, 6 => (byte)src1 <= (byte)src2, 7 => (byte)src1 > (byte)src2,
            0xC => (sbyte)src1 < (sbyte)src2, 0xD => (sbyte)src1 >= (sbyte)src2,
            0xE => (sbyte)src1 <= (sbyte)src2, _ => (sbyte)src1 > (sbyte)src2,
        },
        2 => cc switch
        {
            2 => (ushort)src1 < (ushort)src2, 3 => (ushort)src1 >= (ushort)src2, 4 => (ushort)src1 == (ushort)src2,
            5 => (ushort)src1 != (ushort)src2, 6 => (ushort)src1 <= (ushort)src2, 7 => (ushort)src1 > (ushort)src2,
            0xC => (short)src1 < (short)src2, 0xD => (short)src1 >= (short)src2,
            0xE => (short)src1 <= (short)src2, _ => (short)src1 > (short)src2,
        },
        4 => cc switch
        {
            2 => (uint)src1 < (uint)src2, 3 => (uint)src1 >= (uint)src2, 4 => (uint)src1 == (uint)src2,
            5 => (uint)src1 != (uint)src2, 6 => (uint)src1 <= (uint)src2, 7 => (uint)src1 > (uint)src2,
            0xC => (int)src1 < (int)src2, 0xD => (int)src1 >= (int)src2,
            0xE => (int)src1 <= (int)src2, _ => (int)src1 > (int)src2,
        },
        _ => cc switch
        {
            2 => src1 < src2, 3 => src1 >= src2, 4 => src1 == src2,
            5 => src1 != src2, 6 => src1 <= src2, 7 => src1 > src2,
            0xC => (long)src1 < (long)src2, 0xD => (long)src1 >= (long)src2,
            0xE => (long)src1 <= (long)src2, _ => (long)src1 > (long)src2,
        },
    };

    /// <summary>True for the conditions <see cref="CondResult"/> evaluates from a result alone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CondResultDefined(FlagKind kind, int cc) => kind == FlagKind.Logic || cc is 4 or 5 or 8 or 9 or 0xA or 0xB;

    /// <summary>Condition <paramref name="cc"/> from the result of a lazily recorded operation:
    /// ZF, SF and PF come from the result for every kind; a logic op also has CF = OF = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CondResult(int cc, int size, ulong res) => cc switch
    {
        // ZF is v == 0, SF is v < 0 for the result as a signed size-byte value: 64- and 32-bit
        // results as they are, narrower ones shifted to the top (no locals, see CondSub), so with
        // constant cc and size each condition folds to one test.
        0 or 2 => false,                                                            // o, b (logic)
        1 or 3 => true,                                                             // no, ae (logic)
        4 or 6 => size == 8 ? res == 0 : size == 4 ? (uint)res == 0 : res << (64 - size * 8) == 0,             // e, be (logic)
        5 or 7 => size == 8 ? res != 0 : size == 4 ? (uint)res != 0 : res << (64 - size * 8) != 0,             // ne, a (logic)
        8 or 0xC => size == 8 ? (long)res < 0 : size == 4 ? (int)res < 0 : (long)(res << (64 - size * 8)) < 0,   // s, l (logic)
        9 or 0xD => size == 8 ? (long)res >= 0 : size == 4 ? (int)res >= 0 : (long)(res << (64 - size * 8)) >= 0, // ns, ge (logic)
        0xA => (BitOperations.PopCount((uint)(res & 0xFF)) & 1) == 0,               // p
        0xB => (BitOperations.PopCount((uint)(res & 0xFF)) & 1) != 0,               // np
        0xE => size == 8 ? (long)res <= 0 : size == 4 ? (int)res <= 0 : (long)(res << (64 - size * 8)) <= 0,     // le (logic)
        _ => size == 8 ? (long)res > 0 : size == 4 ? (int)res > 0 : (long)(res << (64 - size * 8)) > 0,          // g (logic)
    };
}
