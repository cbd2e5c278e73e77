// Family: SSE/SSE2 shuffles, unpacks, byte shifts, word insert/extract and packs:
// pshufd pshuflw pshufhw shufps shufpd unpck[lh]ps unpck[lh]pd punpck[lh](bw|wd|dq|qdq)
// pslldq psrldq pinsrw pextrw packsswb packssdw packuswb.
// Registered by Iced Code (legacy XMM forms only; MMX forms raise SIGILL). A 128-bit memory
// source must be 16-byte aligned (XmmOperands.Src); pinsrw's m16 needs no alignment.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Sse.XmmOperands;

namespace Jitexec.Translator.Semantics.Sse;

internal static unsafe class SseShuffles
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Code.Pshufd_xmm_xmmm128_imm8, &Pshufd);
        r.Add(Code.Pshuflw_xmm_xmmm128_imm8, &Pshuflw);
        r.Add(Code.Pshufhw_xmm_xmmm128_imm8, &Pshufhw);
        r.Add(Code.Shufps_xmm_xmmm128_imm8, &Shufps);
        r.Add(Code.Shufpd_xmm_xmmm128_imm8, &Shufpd);

        r.Add(Code.Unpcklps_xmm_xmmm128, &Punpckldq);
        r.Add(Code.Unpckhps_xmm_xmmm128, &Punpckhdq);
        r.Add(Code.Unpcklpd_xmm_xmmm128, &Punpcklqdq);
        r.Add(Code.Unpckhpd_xmm_xmmm128, &Punpckhqdq);
        r.Add(Code.Punpcklbw_xmm_xmmm128, &Punpcklbw);
        r.Add(Code.Punpcklwd_xmm_xmmm128, &Punpcklwd);
        r.Add(Code.Punpckldq_xmm_xmmm128, &Punpckldq);
        r.Add(Code.Punpcklqdq_xmm_xmmm128, &Punpcklqdq);
        r.Add(Code.Punpckhbw_xmm_xmmm128, &Punpckhbw);
        r.Add(Code.Punpckhwd_xmm_xmmm128, &Punpckhwd);
        r.Add(Code.Punpckhdq_xmm_xmmm128, &Punpckhdq);
        r.Add(Code.Punpckhqdq_xmm_xmmm128, &Punpckhqdq);

        r.Add(Code.Pslldq_xmm_imm8, &Pslldq);
        r.Add(Code.Psrldq_xmm_imm8, &Psrldq);

        r.Add(Code.Pinsrw_xmm_r32m16_imm8, &Pinsrw);
        r.Add(Code.Pinsrw_xmm_r64m16_imm8, &Pinsrw);
        r.Add(Code.Pextrw_r32_xmm_imm8, &Pextrw);
        r.Add(Code.Pextrw_r64_xmm_imm8, &Pextrw);

        r.Add(Code.Packsswb_xmm_xmmm128, &Packsswb);
        r.Add(Code.Packssdw_xmm_xmmm128, &Packssdw);
        r.Add(Code.Packuswb_xmm_xmmm128, &Packuswb);
    }

    // ---- Value-level semantics (shared with the JIT tier) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PshufdValue(Vector128<ulong> src, byte imm)
    {
        var s = src.AsUInt32();
        return Vector128.Create(s.GetElement(imm & 3), s.GetElement((imm >> 2) & 3),
            s.GetElement((imm >> 4) & 3), s.GetElement(imm >> 6)).AsUInt64();
    }

    /// <summary>Shuffle the four words of a qword by imm (pshuflw/pshufhw lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShuffleWords(ulong q, byte imm) =>
        ((q >> ((imm & 3) * 16)) & 0xFFFF)
        | (((q >> (((imm >> 2) & 3) * 16)) & 0xFFFF) << 16)
        | (((q >> (((imm >> 4) & 3) * 16)) & 0xFFFF) << 32)
        | (((q >> ((imm >> 6) * 16)) & 0xFFFF) << 48);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PshuflwValue(Vector128<ulong> src, byte imm) =>
        src.WithElement(0, ShuffleWords(src.GetElement(0), imm));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PshufhwValue(Vector128<ulong> src, byte imm) =>
        src.WithElement(1, ShuffleWords(src.GetElement(1), imm));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> ShufpsValue(Vector128<ulong> dst, Vector128<ulong> src, byte imm)
    {
        var d = dst.AsUInt32();
        var s = src.AsUInt32();
        return Vector128.Create(d.GetElement(imm & 3), d.GetElement((imm >> 2) & 3),
            s.GetElement((imm >> 4) & 3), s.GetElement(imm >> 6)).AsUInt64();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> ShufpdValue(Vector128<ulong> dst, Vector128<ulong> src, byte imm) =>
        Vector128.Create(dst.GetElement(imm & 1), src.GetElement((imm >> 1) & 1));

    // Interleaves: element i of the result alternates dst/src elements from the low or high half.
    private static readonly Vector128<byte> LowBytes = Vector128.Create((byte)0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    private static readonly Vector128<byte> HighBytes = Vector128.Create((byte)8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    private static readonly Vector128<byte> LowWords = Vector128.Create((byte)0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
    private static readonly Vector128<byte> HighWords = Vector128.Create((byte)8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31);
    private static readonly Vector128<byte> LowDwords = Vector128.Create((byte)0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
    private static readonly Vector128<byte> HighDwords = Vector128.Create((byte)8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);

    /// <summary>Pick bytes by index from the 32-byte concatenation lo:hi (index 16+ selects from hi).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Pick2(Vector128<byte> lo, Vector128<byte> hi, Vector128<byte> idx)
    {
        var fromLo = Vector128.Shuffle(lo, idx);               // indices >= 16 give 0
        var fromHi = Vector128.Shuffle(hi, idx - Vector128.Create((byte)16)); // indices < 16 wrap to >= 240 -> 0
        return fromLo | fromHi;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PunpcklbwValue(Vector128<ulong> d, Vector128<ulong> s) =>
        Pick2(d.AsByte(), s.AsByte(), LowBytes).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PunpckhbwValue(Vector128<ulong> d, Vector128<ulong> s) =>
        Pick2(d.AsByte(), s.AsByte(), HighBytes).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PunpcklwdValue(Vector128<ulong> d, Vector128<ulong> s) =>
        Pick2(d.AsByte(), s.AsByte(), LowWords).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PunpckhwdValue(Vector128<ulong> d, Vector128<ulong> s) =>
        Pick2(d.AsByte(), s.AsByte(), HighWords).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PunpckldqValue(Vector128<ulong> d, Vector128<ulong> s) =>
        Pick2(d.AsByte(), s.AsByte(), LowDwords).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PunpckhdqValue(Vector128<ulong> d, Vector128<ulong> s) =>
        Pick2(d.AsByte(), s.AsByte(), HighDwords).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PunpcklqdqValue(Vector128<ulong> d, Vector128<ulong> s) =>
        Vector128.Create(d.GetElement(0), s.GetElement(0));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PunpckhqdqValue(Vector128<ulong> d, Vector128<ulong> s) =>
        Vector128.Create(d.GetElement(1), s.GetElement(1));

    /// <summary>pslldq: shift the whole register left by imm bytes (imm > 15 clears it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PslldqValue(Vector128<ulong> v, byte imm)
    {
        // Result byte i = v[i - imm]; an index that goes negative wraps to >= 16 and selects 0.
        var idx = Vector128<byte>.Indices - Vector128.Create(imm > 15 ? (byte)16 : imm);
        return Vector128.Shuffle(v.AsByte(), idx).AsUInt64();
    }

    /// <summary>psrldq: shift the whole register right by imm bytes (imm > 15 clears it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PsrldqValue(Vector128<ulong> v, byte imm)
    {
        var idx = Vector128<byte>.Indices + Vector128.Create(imm > 15 ? (byte)16 : imm);
        return Vector128.Shuffle(v.AsByte(), idx).AsUInt64();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PinsrwValue(Vector128<ulong> dst, ushort v, byte imm) =>
        dst.AsUInt16().WithElement(imm & 7, v).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint PextrwValue(Vector128<ulong> src, byte imm) => src.AsUInt16().GetElement(imm & 7);

    /// <summary>packsswb: dst's words then src's words, each saturated to a signed byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PacksswbValue(Vector128<ulong> d, Vector128<ulong> s) =>
        Vector128.NarrowWithSaturation(d.AsInt16(), s.AsInt16()).AsUInt64();

    /// <summary>packssdw: dst's dwords then src's dwords, each saturated to a signed word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PackssdwValue(Vector128<ulong> d, Vector128<ulong> s) =>
        Vector128.NarrowWithSaturation(d.AsInt32(), s.AsInt32()).AsUInt64();

    /// <summary>packuswb: dst's words then src's words, signed words saturated to an unsigned byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PackuswbValue(Vector128<ulong> d, Vector128<ulong> s)
    {
        var zero = Vector128<short>.Zero;
        var max = Vector128.Create((short)255);
        var a = Vector128.Min(Vector128.Max(d.AsInt16(), zero), max).AsUInt16();
        var b = Vector128.Min(Vector128.Max(s.AsInt16(), zero), max).AsUInt16();
        return Vector128.Narrow(a, b).AsUInt64();
    }

    // ---- Handlers ----

    private static void Pshufd(Cpu c, ref Op op) => c.Xmm[op.R0] = PshufdValue(Src(c, ref op), (byte)op.Imm);
    private static void Pshuflw(Cpu c, ref Op op) => c.Xmm[op.R0] = PshuflwValue(Src(c, ref op), (byte)op.Imm);
    private static void Pshufhw(Cpu c, ref Op op) => c.Xmm[op.R0] = PshufhwValue(Src(c, ref op), (byte)op.Imm);
    private static void Shufps(Cpu c, ref Op op) => c.Xmm[op.R0] = ShufpsValue(c.Xmm[op.R0], Src(c, ref op), (byte)op.Imm);
    private static void Shufpd(Cpu c, ref Op op) => c.Xmm[op.R0] = ShufpdValue(c.Xmm[op.R0], Src(c, ref op), (byte)op.Imm);

    private static void Punpcklbw(Cpu c, ref Op op) => c.Xmm[op.R0] = PunpcklbwValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Punpcklwd(Cpu c, ref Op op) => c.Xmm[op.R0] = PunpcklwdValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Punpckldq(Cpu c, ref Op op) => c.Xmm[op.R0] = PunpckldqValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Punpcklqdq(Cpu c, ref Op op) => c.Xmm[op.R0] = PunpcklqdqValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Punpckhbw(Cpu c, ref Op op) => c.Xmm[op.R0] = PunpckhbwValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Punpckhwd(Cpu c, ref Op op) => c.Xmm[op.R0] = PunpckhwdValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Punpckhdq(Cpu c, ref Op op) => c.Xmm[op.R0] = PunpckhdqValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Punpckhqdq(Cpu c, ref Op op) => c.Xmm[op.R0] = PunpckhqdqValue(c.Xmm[op.R0], Src(c, ref op));

    private static void Pslldq(Cpu c, ref Op op) => c.Xmm[op.R0] = PslldqValue(c.Xmm[op.R0], (byte)op.Imm);
    private static void Psrldq(Cpu c, ref Op op) => c.Xmm[op.R0] = PsrldqValue(c.Xmm[op.R0], (byte)op.Imm);

    /// <summary>pinsrw xmm, r32/r64/m16, imm: a register source contributes its low word.</summary>
    private static void Pinsrw(Cpu c, ref Op op)
    {
        ushort v = op.K1 == ArgKind.Mem ? c.Mem.Read16(Operands.Ea(c, ref op)) : (ushort)c.R[op.R1];
        c.Xmm[op.R0] = PinsrwValue(c.Xmm[op.R0], v, (byte)op.Imm);
    }

    private static void Pextrw(Cpu c, ref Op op) => Operands.SetReg(c, op.R0, op.S0, PextrwValue(c.Xmm[op.R1], (byte)op.Imm));

    private static void Packsswb(Cpu c, ref Op op) => c.Xmm[op.R0] = PacksswbValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Packssdw(Cpu c, ref Op op) => c.Xmm[op.R0] = PackssdwValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Packuswb(Cpu c, ref Op op) => c.Xmm[op.R0] = PackuswbValue(c.Xmm[op.R0], Src(c, ref op));
}
