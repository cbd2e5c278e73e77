// Value-level conversions of the x87 80-bit extended format (X87Reg: 64-bit significand
// with explicit integer bit, sign + 15-bit exponent) to and from binary32/binary64/integers,
// and exact comparison. Widening conversions are exact; narrowing ones round per the
// control word's RC field with tininess detected after rounding, and report the x87
// exception bits (FSW layout: IE=1 DE=2 ZE=4 OE=8 UE=0x10 PE=0x20) plus whether the
// magnitude was rounded up (the C1 condition bit).
using System.Numerics;
using Jitexec.Translator.Core;

namespace Jitexec.Translator.Semantics.X87;

public static class F80
{
    public const ushort IE = 1, DE = 2, ZE = 4, OE = 8, UE = 0x10, PE = 0x20, SF = 0x40;
    public const ulong IntBit = 1UL << 63, QuietBit = 1UL << 62;

    public static X87Reg Make(bool neg, int biasedExp, ulong mant) =>
        new() { Mantissa = mant, SignExp = (ushort)((neg ? 0x8000 : 0) | biasedExp) };

    /// <summary>The "real indefinite" QNaN the x87 produces for invalid operations.</summary>
    public static readonly X87Reg Indefinite = Make(true, 0x7FFF, 0xC000000000000000);
    public static readonly X87Reg One = Make(false, 0x3FFF, IntBit);
    public static readonly X87Reg Zero = default;

    public static int Exp(in X87Reg r) => r.SignExp & 0x7FFF;
    public static bool Neg(in X87Reg r) => (r.SignExp & 0x8000) != 0;
    public static bool IsNaN(in X87Reg r) => Exp(r) == 0x7FFF && (r.Mantissa & ~IntBit) != 0;
    public static bool IsSNaN(in X87Reg r) => IsNaN(r) && (r.Mantissa & QuietBit) == 0;
    /// <summary>Pseudo-NaN/infinity and unnormals (integer bit clear with a nonzero exponent): invalid operands.</summary>
    public static bool IsUnsupported(in X87Reg r) => Exp(r) != 0 && (r.Mantissa & IntBit) == 0;

    // ---- widening: exact ----
    public static X87Reg FromDouble(ulong b, ref ushort fl)
    {
        bool neg = (b >> 63) != 0;
        int e = (int)(b >> 52) & 0x7FF;
        ulong f = b & 0x000FFFFFFFFFFFFF;
        if (e == 0x7FF)
        {
            if (f == 0) return Make(neg, 0x7FFF, IntBit);
            if ((f & (1UL << 51)) == 0) fl |= IE; // SNaN: quieted
            return Make(neg, 0x7FFF, IntBit | QuietBit | f << 11);
        }
        if (e == 0)
        {
            if (f == 0) return Make(neg, 0, 0);
            fl |= DE;
            int lz = BitOperations.LeadingZeroCount(f);          // f < 2^52: lz >= 12
            return Make(neg, 16383 - 1022 - (lz - 11), f << lz);
        }
        return Make(neg, e - 1023 + 16383, IntBit | f << 11);
    }

    public static X87Reg FromFloat(uint b, ref ushort fl)
    {
        bool neg = (b >> 31) != 0;
        int e = (int)(b >> 23) & 0xFF;
        ulong f = b & 0x7FFFFFu;
        if (e == 0xFF)
        {
            if (f == 0) return Make(neg, 0x7FFF, IntBit);
            if ((f & (1u << 22)) == 0) fl |= IE;
            return Make(neg, 0x7FFF, IntBit | QuietBit | f << 40);
        }
        if (e == 0)
        {
            if (f == 0) return Make(neg, 0, 0);
            fl |= DE;
            int lz = BitOperations.LeadingZeroCount(f);          // lz >= 41
            return Make(neg, 16383 - 126 - (lz - 40), f << lz);
        }
        return Make(neg, e - 127 + 16383, IntBit | f << 40);
    }

    public static X87Reg FromInt(long v)
    {
        if (v == 0) return Zero;
        bool neg = v < 0;
        ulong m = neg ? (ulong)(-v) : (ulong)v; // -long.MinValue wraps to 2^63, as wanted
        int lz = BitOperations.LeadingZeroCount(m);
        return Make(neg, 16383 + 63 - lz, m << lz);
    }

    /// <summary>Normalized view: value = m * 2^(e - 63) with bit 63 of m set, or m == 0 for zero.</summary>
    private static void Normalize(in X87Reg r, out int e, out ulong m)
    {
        m = r.Mantissa;
        e = Math.Max(Exp(r), 1) - 16383;  // denormals and pseudo-denormals use the minimum exponent
        if (m == 0) return;
        int lz = BitOperations.LeadingZeroCount(m);
        m <<= lz;
        e -= lz;
    }

    // ---- narrowing ----
    /// <summary>fst m64: round to binary64 per rc. Returns the bits; sets flags and roundedUp (C1).</summary>
    public static ulong ToDouble(in X87Reg r, int rc, ref ushort fl, out bool roundedUp) =>
        ToIeee(r, rc, 53, -1022, 1023, 11, ref fl, out roundedUp);

    public static uint ToFloat(in X87Reg r, int rc, ref ushort fl, out bool roundedUp) =>
        (uint)ToIeee(r, rc, 24, -126, 127, 8, ref fl, out roundedUp);

    private static ulong ToIeee(in X87Reg r, int rc, int p, int emin, int emax, int expBits, ref ushort fl, out bool roundedUp)
    {
        roundedUp = false;
        int width = p + expBits;               // 64 or 32
        ulong signBit = Neg(r) ? 1UL << (width - 1) : 0;
        ulong expAll = ((1UL << expBits) - 1) << (p - 1);
        if (IsUnsupported(r)) { fl |= IE; return signBit | expAll | 1UL << (p - 2) | (1UL << (width - 1)); }
        if (Exp(r) == 0x7FFF)
        {
            ulong frac = r.Mantissa & ~IntBit;
            if (frac == 0) return signBit | expAll;
            if ((frac & QuietBit) == 0) fl |= IE;
            return signBit | expAll | 1UL << (p - 2) | frac >> (64 - p) & ((1UL << (p - 1)) - 1);
        }
        Normalize(r, out int e, out ulong m);
        if (m == 0) return signBit;
        bool neg = signBit != 0;
        // Unbounded-exponent rounding decides tininess and overflow.
        ulong q = RoundShift(m, 64 - p, rc, neg, out bool inexactU, out bool upU);
        int eu = e;
        if (q >> p != 0) { q >>= 1; eu++; }
        if (eu > emax)
        {
            fl |= OE | PE;
            bool toInf = rc == 0 || rc == 1 && neg || rc == 2 && !neg;
            roundedUp = toInf;
            return toInf ? signBit | expAll : signBit | (expAll - (1UL << (p - 1))) | ((1UL << (p - 1)) - 1);
        }
        if (eu >= emin)
        {
            if (inexactU) fl |= PE;
            roundedUp = upU;
            return signBit | (ulong)(eu - emin + 1) << (p - 1) | q & ((1UL << (p - 1)) - 1);
        }
        // Tiny: round into the denormal range.
        int shift = 64 - p + (emin - e);
        ulong qd = RoundShift(m, shift, rc, neg, out bool inexactD, out bool upD);
        if (inexactD) fl |= PE | UE;
        roundedUp = upD;
        return signBit | qd; // a carry into bit p-1 yields the smallest normal, as the encoding wants
    }

    /// <summary>m >> shift (shift >= 1, may exceed 64) rounded per rc; inexact and "magnitude rounded up" reported.</summary>
    private static ulong RoundShift(ulong m, int shift, int rc, bool neg, out bool inexact, out bool up)
    {
        if (shift > 100) shift = 100; // everything is sticky below this point
        UInt128 w = m;
        ulong q = (ulong)(w >> shift);
        UInt128 rem = w & ((UInt128.One << shift) - 1), half = UInt128.One << (shift - 1);
        inexact = rem != 0;
        up = inexact && rc switch
        {
            0 => rem > half || rem == half && (q & 1) != 0,
            1 => neg,
            2 => !neg,
            _ => false,
        };
        return up ? q + 1 : q;
    }

    /// <summary>fist/fistp (rc) and fisttp (rc = 3, truncate): size 2, 4 or 8. Invalid -> integer indefinite.</summary>
    public static ulong ToInt(in X87Reg r, int size, int rc, ref ushort fl, out bool roundedUp)
    {
        roundedUp = false;
        ulong indefinite = 1UL << (size * 8 - 1);
        if (IsUnsupported(r) || Exp(r) == 0x7FFF) { fl |= IE; return indefinite; }
        Normalize(r, out int e, out ulong m);
        if (m == 0) return 0;
        bool neg = Neg(r);
        if (e > 63) { fl |= IE; return indefinite; }
        bool inexact = false, up = false;
        ulong mag = e == 63 ? m : RoundShift(m, 63 - e, rc, neg, out inexact, out up);
        ulong limit = neg ? indefinite : indefinite - 1;
        if (mag > limit) { fl |= IE; return indefinite; }
        if (inexact) fl |= PE;
        roundedUp = up;
        ulong v = neg ? 0 - mag : mag;
        return size == 8 ? v : v & ((1UL << (size * 8)) - 1);
    }

    /// <summary>Exact comparison: -1 less, 0 equal, 1 greater, 2 unordered (NaN or unsupported).</summary>
    public static int Compare(in X87Reg a, in X87Reg b)
    {
        if (IsNaN(a) || IsNaN(b) || IsUnsupported(a) || IsUnsupported(b)) return 2;
        Normalize(a, out int ea, out ulong ma);
        Normalize(b, out int eb, out ulong mb);
        bool na = Neg(a) && ma != 0, nb = Neg(b) && mb != 0;
        if (ma == 0 && mb == 0) return 0;
        if (na != nb) return na ? -1 : 1;
        int mag;
        if (ma == 0) mag = -1;
        else if (mb == 0) mag = 1;
        else if (Exp(a) == 0x7FFF || Exp(b) == 0x7FFF) mag = (Exp(a) == 0x7FFF ? 1 : 0) - (Exp(b) == 0x7FFF ? 1 : 0);
        else mag = ea != eb ? (ea < eb ? -1 : 1) : ma.CompareTo(mb);
        return na ? -mag : mag;
    }
}
