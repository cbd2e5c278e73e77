// Family: mul imul div idiv.
// Value-level methods hold the semantics for both tiers; handlers only move operands.
// Invariants, matching Intel hardware (measured):
//  - mul/imul: CF=OF=(the product does not fit the destination), SF and PF from the low
//    half (AL for 8-bit), ZF=0, AF=0;
//  - div/idiv leave every flag unchanged; a zero divisor or a quotient that does not fit
//    raises #DE (SIGFPE at the faulting instruction, registers unchanged);
//  - 8-bit forms use AX (mul: AX = AL * r/m8; div: AL = quotient, AH = remainder); wider
//    forms use rDX:rAX; 32-bit results zero-extend RAX/RDX.
using System.Runtime.CompilerServices;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Exec;
using static Jitexec.Translator.Semantics.Operands;

namespace Jitexec.Translator.Semantics.Integer;

internal static unsafe class MulDiv
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Mnemonic.Mul, &Mul1);
        r.Add(Mnemonic.Imul, &Imul1);
        r.Add(Code.Imul_r16_rm16, &Imul2);
        r.Add(Code.Imul_r32_rm32, &Imul2);
        r.Add(Code.Imul_r64_rm64, &Imul2);
        r.Add(Code.Imul_r16_rm16_imm16, &Imul3);
        r.Add(Code.Imul_r32_rm32_imm32, &Imul3);
        r.Add(Code.Imul_r64_rm64_imm32, &Imul3);
        r.Add(Code.Imul_r16_rm16_imm8, &Imul3);
        r.Add(Code.Imul_r32_rm32_imm8, &Imul3);
        r.Add(Code.Imul_r64_rm64_imm8, &Imul3);
        r.Add(Mnemonic.Div, &Div);
        r.Add(Mnemonic.Idiv, &Idiv);
    }

    // ---- value-level semantics ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetMulFlags(Cpu c, int size, ulong lo, bool overflow)
    {
        ulong f = ResultFlags.Parity(lo) | ((lo >> (size * 8 - 1)) & 1) << 7;
        if (overflow) f |= Flags.CF | Flags.OF;
        Flags.SetArith(c, f);
    }

    /// <summary>Unsigned a*b: returns the low half, <paramref name="hi"/> gets the high half (each <paramref name="size"/> bytes).</summary>
    public static ulong MulValue(Cpu c, int size, ulong a, ulong b, out ulong hi)
    {
        ulong lo;
        if (size == 8)
        {
            hi = Math.BigMul(a, b, out lo);
        }
        else
        {
            ulong mask = Flags.SizeMask(size);
            ulong p = (a & mask) * (b & mask);                // fits in 64 bits for size <= 4
            lo = p & mask;
            hi = p >> (size * 8);
        }
        SetMulFlags(c, size, lo, hi != 0);
        return lo;
    }

    /// <summary>Signed a*b: returns the low half, <paramref name="hi"/> gets the high half (each <paramref name="size"/> bytes).</summary>
    public static ulong ImulValue(Cpu c, int size, ulong a, ulong b, out ulong hi)
    {
        ulong lo;
        bool overflow;
        if (size == 8)
        {
            long h = Math.BigMul((long)a, (long)b, out long l);
            lo = (ulong)l;
            hi = (ulong)h;
            overflow = h != l >> 63;
        }
        else
        {
            ulong mask = Flags.SizeMask(size);
            long p = (long)SignExtend(a, size) * (long)SignExtend(b, size);
            lo = (ulong)p & mask;
            hi = (ulong)(p >> (size * 8)) & mask;
            overflow = p != (long)SignExtend(lo, size);
        }
        SetMulFlags(c, size, lo, overflow);
        return lo;
    }

    /// <summary>The value <see cref="ImulTruncValue"/> returns, without the flags (the low
    /// <paramref name="size"/> bytes of the product are the same signed or unsigned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ImulTruncResult(int size, ulong a, ulong b) => (a * b) & Flags.SizeMask(size);

    /// <summary>Truncating signed multiply (2- and 3-operand imul): the low half only.</summary>
    public static ulong ImulTruncValue(Cpu c, int size, ulong a, ulong b)
    {
        if (size == 8)
        {
            long h = Math.BigMul((long)a, (long)b, out long l);
            SetMulFlags(c, 8, (ulong)l, h != l >> 63);
            return (ulong)l;
        }
        long p = (long)SignExtend(a, size) * (long)SignExtend(b, size);
        ulong lo = (ulong)p & Flags.SizeMask(size);
        SetMulFlags(c, size, lo, p != (long)SignExtend(lo, size));
        return lo;
    }

    /// <summary>Unsigned (hi:lo) / divisor, each part <paramref name="size"/> bytes. False on #DE (zero divisor or quotient overflow).
    /// Small enough to inline into compiled code; a 128-bit dividend goes to <see cref="DivWide"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool DivValue(int size, ulong hi, ulong lo, ulong divisor, out ulong quotient, out ulong remainder)
    {
        ulong mask = Flags.SizeMask(size);
        hi &= mask; lo &= mask; divisor &= mask;
        if (divisor == 0 || hi >= divisor) { quotient = remainder = 0; return false; }
        if (size == 8 && hi != 0) return DivWide(hi, lo, divisor, out quotient, out remainder);
        ulong n = size == 8 ? lo : hi << (size * 8) | lo;     // hi < divisor, so the quotient fits
        quotient = n / divisor;
        remainder = n - quotient * divisor;
        return true;
    }

    /// <summary>64-bit div with a non-zero high half (hi &lt; divisor already checked).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool DivWide(ulong hi, ulong lo, ulong divisor, out ulong quotient, out ulong remainder)
    {
        var q = UInt128.DivRem(new UInt128(hi, lo), divisor);
        quotient = (ulong)q.Quotient;
        remainder = (ulong)q.Remainder;
        return true;
    }

    /// <summary>Signed (hi:lo) / divisor, each part <paramref name="size"/> bytes; truncates toward zero. False on #DE.
    /// Inlinable: a 64-bit dividend that does not fit in one register goes to <see cref="IdivWide"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IdivValue(int size, ulong hi, ulong lo, ulong divisor, out ulong quotient, out ulong remainder)
    {
        quotient = remainder = 0;
        long d = (long)SignExtend(divisor, size);
        if (d == 0) return false;
        if (size == 8)
        {
            if ((long)hi != (long)lo >> 63) return IdivWide(hi, lo, d, out quotient, out remainder);
            // The dividend fits in 64 bits: only MinValue / -1 overflows.
            if ((long)lo == long.MinValue && d == -1) return false;
            long q = (long)lo / d;
            quotient = (ulong)q;
            remainder = (ulong)((long)lo - q * d);
            return true;
        }
        ulong mask = Flags.SizeMask(size);
        int bits = size * 8;
        long num = (long)((hi & mask) << bits | (lo & mask)) << (64 - 2 * bits) >> (64 - 2 * bits);
        if (d == -1 && num == long.MinValue) return false;      // 32-bit only; .NET would throw
        long qs = num / d;
        long lim = 1L << (bits - 1);
        if (qs >= lim || qs < -lim) return false;
        quotient = (ulong)qs & mask;
        remainder = (ulong)(num - qs * d) & mask;
        return true;
    }

    /// <summary>64-bit idiv whose 128-bit dividend does not fit in 64 bits.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IdivWide(ulong hi, ulong lo, long d, out ulong quotient, out ulong remainder)
    {
        quotient = remainder = 0;
        var n = new Int128(hi, lo);
        // Int128 division throws for MinValue / -1; negation wraps instead (and then fails the range check).
        var r = d == -1 ? (Quotient: -n, Remainder: Int128.Zero) : Int128.DivRem(n, d);
        if (r.Quotient > long.MaxValue || r.Quotient < long.MinValue) return false;
        quotient = (ulong)(long)r.Quotient;
        remainder = (ulong)(long)r.Remainder;
        return true;
    }

    // ---- handlers ----

    private static void Mul1(Cpu c, ref Op op)
    {
        int size = op.S0;
        ulong lo = MulValue(c, size, c.R[Reg.Rax], Read0(c, ref op), out ulong hi);
        WriteWide(c, size, lo, hi);
    }

    private static void Imul1(Cpu c, ref Op op)
    {
        int size = op.S0;
        ulong lo = ImulValue(c, size, c.R[Reg.Rax], Read0(c, ref op), out ulong hi);
        WriteWide(c, size, lo, hi);
    }

    /// <summary>One-operand multiply result: AX for 8-bit, rDX:rAX otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteWide(Cpu c, int size, ulong lo, ulong hi)
    {
        if (size == 1) { SetReg(c, Reg.Rax, 2, hi << 8 | lo); return; }
        SetReg(c, Reg.Rax, size, lo);
        SetReg(c, Reg.Rdx, size, hi);
    }

    private static void Imul2(Cpu c, ref Op op) =>
        SetReg(c, op.R0, op.S0, ImulTruncValue(c, op.S0, GetReg(c, op.R0, op.S0), Read1(c, ref op)));

    private static void Imul3(Cpu c, ref Op op) =>
        SetReg(c, op.R0, op.S0, ImulTruncValue(c, op.S0, Read1(c, ref op), op.Imm));

    private static void Div(Cpu c, ref Op op)
    {
        int size = op.S0;
        ulong divisor = Read0(c, ref op);
        ulong rax = c.R[Reg.Rax];
        bool ok = size == 1
            ? DivValue(1, rax >> 8, rax, divisor, out ulong q, out ulong r)
            : DivValue(size, c.R[Reg.Rdx], rax, divisor, out q, out r);
        if (!ok) DivideError(c, ref op);
        WriteDivResult(c, size, q, r);
    }

    private static void Idiv(Cpu c, ref Op op)
    {
        int size = op.S0;
        ulong divisor = Read0(c, ref op);
        ulong rax = c.R[Reg.Rax];
        bool ok = size == 1
            ? IdivValue(1, rax >> 8, rax, divisor, out ulong q, out ulong r)
            : IdivValue(size, c.R[Reg.Rdx], rax, divisor, out q, out r);
        if (!ok) DivideError(c, ref op);
        WriteDivResult(c, size, q, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteDivResult(Cpu c, int size, ulong q, ulong r)
    {
        if (size == 1) { SetReg(c, Reg.Rax, 2, (r & 0xFF) << 8 | (q & 0xFF)); return; }
        SetReg(c, Reg.Rax, size, q);
        SetReg(c, Reg.Rdx, size, r);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DivideError(Cpu c, ref Op op)
    {
        c.Rip = op.Ip;
        throw new GuestFault(GuestFault.SIGFPE, op.Ip, $"divide error at {op.Ip:x}");
    }
}
