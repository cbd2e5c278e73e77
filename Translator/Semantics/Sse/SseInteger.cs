// Family: SSE2 packed integer logic, add/sub (wrapping and saturating), compares, min/max,
// averages. Multiplies live in SsePackedMul.cs and shifts in SsePackedShifts.cs; this file
// registers the handlers of all three. Registered by Iced Code: only the legacy XMM forms
// (the MMX forms sharing these mnemonics raise SIGILL). A 128-bit memory source must be
// 16-byte aligned (XmmOperands.Src).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Sse.XmmOperands;

namespace Jitexec.Translator.Semantics.Sse;

internal static unsafe class SseInteger
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Code.Pxor_xmm_xmmm128, &Pxor);
        r.Add(Code.Por_xmm_xmmm128, &Por);
        r.Add(Code.Pand_xmm_xmmm128, &Pand);
        r.Add(Code.Pandn_xmm_xmmm128, &Pandn);

        r.Add(Code.Paddb_xmm_xmmm128, &Paddb);
        r.Add(Code.Paddw_xmm_xmmm128, &Paddw);
        r.Add(Code.Paddd_xmm_xmmm128, &Paddd);
        r.Add(Code.Paddq_xmm_xmmm128, &Paddq);
        r.Add(Code.Psubb_xmm_xmmm128, &Psubb);
        r.Add(Code.Psubw_xmm_xmmm128, &Psubw);
        r.Add(Code.Psubd_xmm_xmmm128, &Psubd);
        r.Add(Code.Psubq_xmm_xmmm128, &Psubq);
        r.Add(Code.Paddsb_xmm_xmmm128, &Paddsb);
        r.Add(Code.Paddsw_xmm_xmmm128, &Paddsw);
        r.Add(Code.Paddusb_xmm_xmmm128, &Paddusb);
        r.Add(Code.Paddusw_xmm_xmmm128, &Paddusw);
        r.Add(Code.Psubsb_xmm_xmmm128, &Psubsb);
        r.Add(Code.Psubsw_xmm_xmmm128, &Psubsw);
        r.Add(Code.Psubusb_xmm_xmmm128, &Psubusb);
        r.Add(Code.Psubusw_xmm_xmmm128, &Psubusw);

        r.Add(Code.Pcmpeqb_xmm_xmmm128, &Pcmpeqb);
        r.Add(Code.Pcmpeqw_xmm_xmmm128, &Pcmpeqw);
        r.Add(Code.Pcmpeqd_xmm_xmmm128, &Pcmpeqd);
        r.Add(Code.Pcmpgtb_xmm_xmmm128, &Pcmpgtb);
        r.Add(Code.Pcmpgtw_xmm_xmmm128, &Pcmpgtw);
        r.Add(Code.Pcmpgtd_xmm_xmmm128, &Pcmpgtd);

        r.Add(Code.Pminub_xmm_xmmm128, &Pminub);
        r.Add(Code.Pmaxub_xmm_xmmm128, &Pmaxub);
        r.Add(Code.Pminsw_xmm_xmmm128, &Pminsw);
        r.Add(Code.Pmaxsw_xmm_xmmm128, &Pmaxsw);
        r.Add(Code.Pavgb_xmm_xmmm128, &Pavgb);
        r.Add(Code.Pavgw_xmm_xmmm128, &Pavgw);

        SsePackedMul.Register(r);
        SsePackedShifts.Register(r);
    }

    // ---- Value-level semantics (shared with the JIT tier) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PxorValue(Vector128<ulong> d, Vector128<ulong> s) => d ^ s;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PorValue(Vector128<ulong> d, Vector128<ulong> s) => d | s;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PandValue(Vector128<ulong> d, Vector128<ulong> s) => d & s;
    /// <summary>pandn: (NOT dst) AND src.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PandnValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.AndNot(s, d);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PaddbValue(Vector128<ulong> d, Vector128<ulong> s) => (d.AsByte() + s.AsByte()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PaddwValue(Vector128<ulong> d, Vector128<ulong> s) => (d.AsUInt16() + s.AsUInt16()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PadddValue(Vector128<ulong> d, Vector128<ulong> s) => (d.AsUInt32() + s.AsUInt32()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PaddqValue(Vector128<ulong> d, Vector128<ulong> s) => d + s;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PsubbValue(Vector128<ulong> d, Vector128<ulong> s) => (d.AsByte() - s.AsByte()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PsubwValue(Vector128<ulong> d, Vector128<ulong> s) => (d.AsUInt16() - s.AsUInt16()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PsubdValue(Vector128<ulong> d, Vector128<ulong> s) => (d.AsUInt32() - s.AsUInt32()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PsubqValue(Vector128<ulong> d, Vector128<ulong> s) => d - s;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PaddsbValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.AddSaturate(d.AsSByte(), s.AsSByte()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PaddswValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.AddSaturate(d.AsInt16(), s.AsInt16()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PaddusbValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.AddSaturate(d.AsByte(), s.AsByte()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PadduswValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.AddSaturate(d.AsUInt16(), s.AsUInt16()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PsubsbValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.SubtractSaturate(d.AsSByte(), s.AsSByte()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PsubswValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.SubtractSaturate(d.AsInt16(), s.AsInt16()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PsubusbValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.SubtractSaturate(d.AsByte(), s.AsByte()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PsubuswValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.SubtractSaturate(d.AsUInt16(), s.AsUInt16()).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PcmpeqbValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.Equals(d.AsByte(), s.AsByte()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PcmpeqwValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.Equals(d.AsUInt16(), s.AsUInt16()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PcmpeqdValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.Equals(d.AsUInt32(), s.AsUInt32()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PcmpgtbValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.GreaterThan(d.AsSByte(), s.AsSByte()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PcmpgtwValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.GreaterThan(d.AsInt16(), s.AsInt16()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PcmpgtdValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.GreaterThan(d.AsInt32(), s.AsInt32()).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PminubValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.Min(d.AsByte(), s.AsByte()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PmaxubValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.Max(d.AsByte(), s.AsByte()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PminswValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.Min(d.AsInt16(), s.AsInt16()).AsUInt64();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> PmaxswValue(Vector128<ulong> d, Vector128<ulong> s) => Vector128.Max(d.AsInt16(), s.AsInt16()).AsUInt64();

    /// <summary>pavgb: (a + b + 1) >> 1 per unsigned byte, computed without overflow as (a | b) - ((a ^ b) >> 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PavgbValue(Vector128<ulong> d, Vector128<ulong> s)
    {
        var a = d.AsByte();
        var b = s.AsByte();
        return ((a | b) - Vector128.ShiftRightLogical(a ^ b, 1)).AsUInt64();
    }

    /// <summary>pavgw: (a + b + 1) >> 1 per unsigned word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PavgwValue(Vector128<ulong> d, Vector128<ulong> s)
    {
        var a = d.AsUInt16();
        var b = s.AsUInt16();
        return ((a | b) - Vector128.ShiftRightLogical(a ^ b, 1)).AsUInt64();
    }

    // ---- Handlers: dst = f(dst, xmm/m128) ----

    private static void Pxor(Cpu c, ref Op op) => c.Xmm[op.R0] = PxorValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Por(Cpu c, ref Op op) => c.Xmm[op.R0] = PorValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pand(Cpu c, ref Op op) => c.Xmm[op.R0] = PandValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pandn(Cpu c, ref Op op) => c.Xmm[op.R0] = PandnValue(c.Xmm[op.R0], Src(c, ref op));

    private static void Paddb(Cpu c, ref Op op) => c.Xmm[op.R0] = PaddbValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Paddw(Cpu c, ref Op op) => c.Xmm[op.R0] = PaddwValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Paddd(Cpu c, ref Op op) => c.Xmm[op.R0] = PadddValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Paddq(Cpu c, ref Op op) => c.Xmm[op.R0] = PaddqValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Psubb(Cpu c, ref Op op) => c.Xmm[op.R0] = PsubbValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Psubw(Cpu c, ref Op op) => c.Xmm[op.R0] = PsubwValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Psubd(Cpu c, ref Op op) => c.Xmm[op.R0] = PsubdValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Psubq(Cpu c, ref Op op) => c.Xmm[op.R0] = PsubqValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Paddsb(Cpu c, ref Op op) => c.Xmm[op.R0] = PaddsbValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Paddsw(Cpu c, ref Op op) => c.Xmm[op.R0] = PaddswValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Paddusb(Cpu c, ref Op op) => c.Xmm[op.R0] = PaddusbValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Paddusw(Cpu c, ref Op op) => c.Xmm[op.R0] = PadduswValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Psubsb(Cpu c, ref Op op) => c.Xmm[op.R0] = PsubsbValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Psubsw(Cpu c, ref Op op) => c.Xmm[op.R0] = PsubswValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Psubusb(Cpu c, ref Op op) => c.Xmm[op.R0] = PsubusbValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Psubusw(Cpu c, ref Op op) => c.Xmm[op.R0] = PsubuswValue(c.Xmm[op.R0], Src(c, ref op));

    private static void Pcmpeqb(Cpu c, ref Op op) => c.Xmm[op.R0] = PcmpeqbValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pcmpeqw(Cpu c, ref Op op) => c.Xmm[op.R0] = PcmpeqwValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pcmpeqd(Cpu c, ref Op op) => c.Xmm[op.R0] = PcmpeqdValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pcmpgtb(Cpu c, ref Op op) => c.Xmm[op.R0] = PcmpgtbValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pcmpgtw(Cpu c, ref Op op) => c.Xmm[op.R0] = PcmpgtwValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pcmpgtd(Cpu c, ref Op op) => c.Xmm[op.R0] = PcmpgtdValue(c.Xmm[op.R0], Src(c, ref op));

    private static void Pminub(Cpu c, ref Op op) => c.Xmm[op.R0] = PminubValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pmaxub(Cpu c, ref Op op) => c.Xmm[op.R0] = PmaxubValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pminsw(Cpu c, ref Op op) => c.Xmm[op.R0] = PminswValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pmaxsw(Cpu c, ref Op op) => c.Xmm[op.R0] = PmaxswValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pavgb(Cpu c, ref Op op) => c.Xmm[op.R0] = PavgbValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pavgw(Cpu c, ref Op op) => c.Xmm[op.R0] = PavgwValue(c.Xmm[op.R0], Src(c, ref op));
}
