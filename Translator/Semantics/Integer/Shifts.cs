// Family: shl/sal shr sar rol ror rcl rcr shld shrd.
// Value-level methods (…Value) hold the semantics for both tiers: they take the operand
// truncated or not, a raw count, set flags eagerly and return the new value (the caller
// writes it back even for count 0, so a 32-bit register destination is zero-extended).
// Invariants, matching Intel hardware (measured):
//  - the count is masked to 5 bits (6 for 64-bit operands); a masked count of 0 leaves all
//    flags untouched; rcl/rcr of 8/16-bit operands rotate by count mod 9/17 and a reduced
//    count of 0 also leaves flags untouched;
//  - shifts set SF/ZF/PF from the result and AF=0; OF (architecturally defined for count 1
//    only) is, for any count: shl/shld/rol/rcl: bit(n-1)^bit(n-2) of the input; shr: input
//    MSB; sar: 0; shrd: input MSB ^ source bit 0; ror: input MSB ^ input bit 0; rcr: input
//    MSB ^ CF-in;
//  - rotates change only CF and OF; rol/ror of a register by an imm8 count keep OF unless
//    the masked count is 1 (with a memory destination or a CL count, OF is computed);
//  - 16-bit shld/shrd with counts 17..31 shift through the 48-bit concatenation dst:src:dst.
using System.Runtime.CompilerServices;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Operands;

namespace Jitexec.Translator.Semantics.Integer;

internal static unsafe class Shifts
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Mnemonic.Shl, &Shl);
        r.Add(Mnemonic.Sal, &Shl);
        r.Add(Mnemonic.Shr, &Shr);
        r.Add(Mnemonic.Sar, &Sar);
        r.Add(Mnemonic.Rol, &Rol);
        r.Add(Mnemonic.Ror, &Ror);
        r.Add(Mnemonic.Rcl, &Rcl);
        r.Add(Mnemonic.Rcr, &Rcr);
        r.Add(Mnemonic.Shld, &Shld);
        r.Add(Mnemonic.Shrd, &Shrd);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MaskCount(int size, int count) => count & (size == 8 ? 63 : 31);

    // ---- value-level semantics ----

    // Results alone (no flags): the …Value methods below use them; the JIT tier calls them
    // directly when the flags a shift would set are overwritten before anything reads them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ShlResult(int size, ulong value, int count)
    {
        int m = MaskCount(size, count);
        return m == 0 ? value : ((value & Flags.SizeMask(size)) << m) & Flags.SizeMask(size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ShrResult(int size, ulong value, int count)
    {
        int m = MaskCount(size, count);
        return m == 0 ? value : (value & Flags.SizeMask(size)) >> m;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SarResult(int size, ulong value, int count)
    {
        int m = MaskCount(size, count);
        return m == 0 ? value : (ulong)((long)SignExtend(value, size) >> m) & Flags.SizeMask(size);
    }

    public static ulong ShlValue(Cpu c, int size, ulong value, int count)
    {
        int m = MaskCount(size, count);
        if (m == 0) return value;
        int bits = size * 8;
        ulong v = value & Flags.SizeMask(size);
        ulong r = ShlResult(size, value, m);                  // m <= 31 below 64-bit: zero once m >= bits
        ulong cf = ((v << (m - 1)) >> (bits - 1)) & 1;        // last bit out; 0 when m > bits
        ulong of = ((v >> (bits - 1)) ^ (v >> (bits - 2))) & 1;
        Flags.SetArith(c, cf | ResultFlags.Szp(size, r) | of << 11);
        return r;
    }

    public static ulong ShrValue(Cpu c, int size, ulong value, int count)
    {
        int m = MaskCount(size, count);
        if (m == 0) return value;
        int bits = size * 8;
        ulong v = value & Flags.SizeMask(size);
        ulong r = ShrResult(size, value, m);
        ulong cf = (v >> (m - 1)) & 1;
        ulong of = (v >> (bits - 1)) & 1;
        Flags.SetArith(c, cf | ResultFlags.Szp(size, r) | of << 11);
        return r;
    }

    public static ulong SarValue(Cpu c, int size, ulong value, int count)
    {
        int m = MaskCount(size, count);
        if (m == 0) return value;
        long sv = (long)SignExtend(value, size);
        ulong r = SarResult(size, value, m);
        ulong cf = (ulong)(sv >> (m - 1)) & 1;
        Flags.SetArith(c, cf | ResultFlags.Szp(size, r));
        return r;
    }

    /// <summary>
    /// rol. <paramref name="immToRegister"/>: the imm8-count form with a register destination,
    /// for which Intel keeps OF unless the masked count is 1 (memory or CL forms compute it).
    /// </summary>
    public static ulong RolValue(Cpu c, int size, ulong value, int count, bool immToRegister = false)
    {
        int m = MaskCount(size, count);
        if (m == 0) return value;
        int bits = size * 8;
        ulong mask = Flags.SizeMask(size);
        ulong v = value & mask;
        int k = m & (bits - 1);
        ulong r = ((v << k) | (v >> (bits - k))) & mask;    // k = 0: v >> bits is v (64) or 0 (smaller)
        if (immToRegister && m != 1) ResultFlags.SetCf(c, r);
        else ResultFlags.SetCfOf(c, r, (v >> (bits - 1)) ^ (v >> (bits - 2)));
        return r;
    }

    /// <summary>ror; <paramref name="immToRegister"/> as for <see cref="RolValue"/>.</summary>
    public static ulong RorValue(Cpu c, int size, ulong value, int count, bool immToRegister = false)
    {
        int m = MaskCount(size, count);
        if (m == 0) return value;
        int bits = size * 8;
        ulong mask = Flags.SizeMask(size);
        ulong v = value & mask;
        int k = m & (bits - 1);
        ulong r = ((v >> k) | (v << (bits - k))) & mask;
        if (immToRegister && m != 1) ResultFlags.SetCf(c, r >> (bits - 1));
        else ResultFlags.SetCfOf(c, r >> (bits - 1), (v >> (bits - 1)) ^ v);
        return r;
    }

    public static ulong RclValue(Cpu c, int size, ulong value, int count)
    {
        int m = MaskCount(size, count);
        if (size < 4) m %= size * 8 + 1;
        if (m == 0) return value;
        int bits = size * 8;
        ulong mask = Flags.SizeMask(size);
        ulong v = value & mask;
        ulong cin = Flags.Cf(c) ? 1UL : 0UL;
        // Rotate the (bits+1)-bit value CF:v left by m (1 <= m <= bits, and m < 64).
        ulong r = ((v << m) | (cin << (m - 1)) | ((v >> 1) >> (bits - m))) & mask;
        ResultFlags.SetCfOf(c, v >> (bits - m), (v >> (bits - 1)) ^ (v >> (bits - 2)));
        return r;
    }

    public static ulong RcrValue(Cpu c, int size, ulong value, int count)
    {
        int m = MaskCount(size, count);
        if (size < 4) m %= size * 8 + 1;
        if (m == 0) return value;
        int bits = size * 8;
        ulong mask = Flags.SizeMask(size);
        ulong v = value & mask;
        ulong cin = Flags.Cf(c) ? 1UL : 0UL;
        ulong r = ((v >> m) | (cin << (bits - m)) | ((v << 1) << (bits - m))) & mask;
        ResultFlags.SetCfOf(c, v >> (m - 1), (v >> (bits - 1)) ^ cin);
        return r;
    }

    /// <summary>shld: shift <paramref name="dst"/> left, filling from the top of <paramref name="src"/>.</summary>
    public static ulong ShldValue(Cpu c, int size, ulong dst, ulong src, int count)
    {
        int m = MaskCount(size, count);
        if (m == 0) return dst;
        int bits = size * 8;
        ulong mask = Flags.SizeMask(size);
        ulong d = dst & mask, s = src & mask;
        ulong r, cf;
        if (size == 2)
        {
            ulong w = d << 32 | s << 16 | d;                 // 48 bits; counts up to 31 stay inside
            r = (w >> (32 - m)) & mask;
            cf = (w >> (48 - m)) & 1;
        }
        else
        {
            r = ((d << m) | (s >> (bits - m))) & mask;       // m < bits here
            cf = (d >> (bits - m)) & 1;
        }
        ulong of = ((d >> (bits - 1)) ^ (d >> (bits - 2))) & 1;
        Flags.SetArith(c, cf | ResultFlags.Szp(size, r) | of << 11);
        return r;
    }

    /// <summary>shrd: shift <paramref name="dst"/> right, filling from the bottom of <paramref name="src"/>.</summary>
    public static ulong ShrdValue(Cpu c, int size, ulong dst, ulong src, int count)
    {
        int m = MaskCount(size, count);
        if (m == 0) return dst;
        int bits = size * 8;
        ulong mask = Flags.SizeMask(size);
        ulong d = dst & mask, s = src & mask;
        ulong r, cf;
        if (size == 2)
        {
            ulong w = d << 32 | s << 16 | d;
            r = (w >> m) & mask;
            cf = (w >> (m - 1)) & 1;
        }
        else
        {
            r = ((d >> m) | (s << (bits - m))) & mask;
            cf = (d >> (m - 1)) & 1;
        }
        ulong of = ((d >> (bits - 1)) ^ s) & 1;
        Flags.SetArith(c, cf | ResultFlags.Szp(size, r) | of << 11);
        return r;
    }

    // ---- handlers ----

    /// <summary>The count operand: imm8 (the "by 1" forms decode as imm8 = 1) or CL.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Count(Cpu c, ArgKind kind, ref Op op) => kind == ArgKind.Imm ? (int)op.Imm : (int)c.R[Reg.Rcx];

    private static void Shl(Cpu c, ref Op op) => Write0(c, ref op, ShlValue(c, op.S0, Read0(c, ref op), Count(c, op.K1, ref op)));
    private static void Shr(Cpu c, ref Op op) => Write0(c, ref op, ShrValue(c, op.S0, Read0(c, ref op), Count(c, op.K1, ref op)));
    private static void Sar(Cpu c, ref Op op) => Write0(c, ref op, SarValue(c, op.S0, Read0(c, ref op), Count(c, op.K1, ref op)));
    private static void Rol(Cpu c, ref Op op) =>
        Write0(c, ref op, RolValue(c, op.S0, Read0(c, ref op), Count(c, op.K1, ref op), op.K1 == ArgKind.Imm && op.K0 == ArgKind.Reg));
    private static void Ror(Cpu c, ref Op op) =>
        Write0(c, ref op, RorValue(c, op.S0, Read0(c, ref op), Count(c, op.K1, ref op), op.K1 == ArgKind.Imm && op.K0 == ArgKind.Reg));
    private static void Rcl(Cpu c, ref Op op) => Write0(c, ref op, RclValue(c, op.S0, Read0(c, ref op), Count(c, op.K1, ref op)));
    private static void Rcr(Cpu c, ref Op op) => Write0(c, ref op, RcrValue(c, op.S0, Read0(c, ref op), Count(c, op.K1, ref op)));

    private static void Shld(Cpu c, ref Op op) =>
        Write0(c, ref op, ShldValue(c, op.S0, Read0(c, ref op), GetReg(c, op.R1, op.S1), Count(c, op.K2, ref op)));

    private static void Shrd(Cpu c, ref Op op) =>
        Write0(c, ref op, ShrdValue(c, op.S0, Read0(c, ref op), GetReg(c, op.R1, op.S1), Count(c, op.K2, ref op)));
}
