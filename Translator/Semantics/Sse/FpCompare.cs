// Value-level SSE min/max, cmpXX predicates and (u)comis flags for binary64 and binary32.
// x86 rules: min/max return the SECOND operand when either is NaN or both are zero (any NaN
// raises IE); cmp predicates 1,2,5,6 (lt, le, nlt, nle) signal IE on any NaN, the others only
// on an SNaN; comis signals on any NaN, ucomis only on an SNaN. DE is reported for a denormal
// operand only when no NaN is involved (measured on hardware). DAZ zeroes denormal inputs.
using System.Runtime.CompilerServices;
using Jitexec.Translator.Core;

namespace Jitexec.Translator.Semantics.Sse;

public static class FpCompare
{
    // ---- binary64 ----
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Min64(uint mx, ulong a, ulong b, ref uint fl)
    {
        if ((mx & Mx.DAZ) != 0) { a = B64.Daz(a); b = B64.Daz(b); }
        if (B64.IsNaN(a) || B64.IsNaN(b)) { fl |= Mx.IE; return b; }
        if (B64.IsDenormal(a) || B64.IsDenormal(b)) fl |= Mx.DE;
        return B64.D(a) < B64.D(b) ? a : b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Max64(uint mx, ulong a, ulong b, ref uint fl)
    {
        if ((mx & Mx.DAZ) != 0) { a = B64.Daz(a); b = B64.Daz(b); }
        if (B64.IsNaN(a) || B64.IsNaN(b)) { fl |= Mx.IE; return b; }
        if (B64.IsDenormal(a) || B64.IsDenormal(b)) fl |= Mx.DE;
        return B64.D(a) > B64.D(b) ? a : b;
    }

    /// <summary>cmpsd/cmppd lane: all ones when predicate imm (0..7) holds, else zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Cmp64(uint mx, ulong a, ulong b, int pred, ref uint fl)
    {
        if ((mx & Mx.DAZ) != 0) { a = B64.Daz(a); b = B64.Daz(b); }
        bool unord = B64.IsNaN(a) || B64.IsNaN(b);
        if (unord)
        {
            if ((pred & 3) is 1 or 2 || B64.IsSNaN(a) || B64.IsSNaN(b)) fl |= Mx.IE;
        }
        else if (B64.IsDenormal(a) || B64.IsDenormal(b)) fl |= Mx.DE;
        double x = B64.D(a), y = B64.D(b);
        return Predicate(pred, unord, x < y, x == y) ? ulong.MaxValue : 0;
    }

    /// <summary>comisd (signalling) / ucomisd: ZF,PF,CF = 111 unordered, 001 less, 100 equal, 000 greater; OF,SF,AF cleared.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Comi64(uint mx, ulong a, ulong b, bool signalling, ref uint fl)
    {
        if ((mx & Mx.DAZ) != 0) { a = B64.Daz(a); b = B64.Daz(b); }
        if (B64.IsNaN(a) || B64.IsNaN(b))
        {
            if (signalling || B64.IsSNaN(a) || B64.IsSNaN(b)) fl |= Mx.IE;
            return Flags.ZF | Flags.PF | Flags.CF;
        }
        if (B64.IsDenormal(a) || B64.IsDenormal(b)) fl |= Mx.DE;
        double x = B64.D(a), y = B64.D(b);
        return x < y ? Flags.CF : x == y ? Flags.ZF : 0;
    }

    // ---- binary32 ----
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Min32(uint mx, uint a, uint b, ref uint fl)
    {
        if ((mx & Mx.DAZ) != 0) { a = B32.Daz(a); b = B32.Daz(b); }
        if (B32.IsNaN(a) || B32.IsNaN(b)) { fl |= Mx.IE; return b; }
        if (B32.IsDenormal(a) || B32.IsDenormal(b)) fl |= Mx.DE;
        return B32.F(a) < B32.F(b) ? a : b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Max32(uint mx, uint a, uint b, ref uint fl)
    {
        if ((mx & Mx.DAZ) != 0) { a = B32.Daz(a); b = B32.Daz(b); }
        if (B32.IsNaN(a) || B32.IsNaN(b)) { fl |= Mx.IE; return b; }
        if (B32.IsDenormal(a) || B32.IsDenormal(b)) fl |= Mx.DE;
        return B32.F(a) > B32.F(b) ? a : b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Cmp32(uint mx, uint a, uint b, int pred, ref uint fl)
    {
        if ((mx & Mx.DAZ) != 0) { a = B32.Daz(a); b = B32.Daz(b); }
        bool unord = B32.IsNaN(a) || B32.IsNaN(b);
        if (unord)
        {
            if ((pred & 3) is 1 or 2 || B32.IsSNaN(a) || B32.IsSNaN(b)) fl |= Mx.IE;
        }
        else if (B32.IsDenormal(a) || B32.IsDenormal(b)) fl |= Mx.DE;
        float x = B32.F(a), y = B32.F(b);
        return Predicate(pred, unord, x < y, x == y) ? uint.MaxValue : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Comi32(uint mx, uint a, uint b, bool signalling, ref uint fl)
    {
        if ((mx & Mx.DAZ) != 0) { a = B32.Daz(a); b = B32.Daz(b); }
        if (B32.IsNaN(a) || B32.IsNaN(b))
        {
            if (signalling || B32.IsSNaN(a) || B32.IsSNaN(b)) fl |= Mx.IE;
            return Flags.ZF | Flags.PF | Flags.CF;
        }
        if (B32.IsDenormal(a) || B32.IsDenormal(b)) fl |= Mx.DE;
        float x = B32.F(a), y = B32.F(b);
        return x < y ? Flags.CF : x == y ? Flags.ZF : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Predicate(int pred, bool unord, bool lt, bool eq) => (pred & 7) switch
    {
        0 => eq,                // eq (false when unordered: eq is false for NaN)
        1 => lt,                // lt
        2 => lt || eq,          // le
        3 => unord,             // unord
        4 => !eq,               // neq (true when unordered)
        5 => !lt,               // nlt
        6 => !(lt || eq),       // nle
        _ => !unord,            // ord
    };
}
