// SSE2 packed integer multiplies and sums: pmullw pmulhw pmulhuw pmuludq pmaddwd psadbw
// (legacy XMM forms; registered from SseInteger.Register). Portable Vector128 code only.
// Word products are formed in 32-bit lanes from the even and odd words of each dword,
// so no product overflows; pmaddwd's one overflowing sum (2 * 0x8000 * 0x8000) wraps to
// 0x80000000 exactly as the hardware does.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Sse.XmmOperands;

namespace Jitexec.Translator.Semantics.Sse;

internal static unsafe class SsePackedMul
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Code.Pmullw_xmm_xmmm128, &Pmullw);
        r.Add(Code.Pmulhw_xmm_xmmm128, &Pmulhw);
        r.Add(Code.Pmulhuw_xmm_xmmm128, &Pmulhuw);
        r.Add(Code.Pmuludq_xmm_xmmm128, &Pmuludq);
        r.Add(Code.Pmaddwd_xmm_xmmm128, &Pmaddwd);
        r.Add(Code.Psadbw_xmm_xmmm128, &Psadbw);
    }

    // ---- Value-level semantics (shared with the JIT tier) ----

    /// <summary>pmullw: low 16 bits of each word product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PmullwValue(Vector128<ulong> d, Vector128<ulong> s) => (d.AsUInt16() * s.AsUInt16()).AsUInt64();

    /// <summary>pmulhw: high 16 bits of each signed word product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PmulhwValue(Vector128<ulong> d, Vector128<ulong> s)
    {
        var a = d.AsInt32();
        var b = s.AsInt32();
        var even = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(a, 16), 16) * Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(b, 16), 16);
        var odd = Vector128.ShiftRightArithmetic(a, 16) * Vector128.ShiftRightArithmetic(b, 16);
        return (Vector128.ShiftRightLogical(even.AsUInt32(), 16) | (odd.AsUInt32() & Vector128.Create(0xFFFF0000u))).AsUInt64();
    }

    /// <summary>pmulhuw: high 16 bits of each unsigned word product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PmulhuwValue(Vector128<ulong> d, Vector128<ulong> s)
    {
        var a = d.AsUInt32();
        var b = s.AsUInt32();
        var low = Vector128.Create(0xFFFFu);
        var even = (a & low) * (b & low);
        var odd = Vector128.ShiftRightLogical(a, 16) * Vector128.ShiftRightLogical(b, 16);
        return (Vector128.ShiftRightLogical(even, 16) | (odd & Vector128.Create(0xFFFF0000u))).AsUInt64();
    }

    /// <summary>pmuludq: the unsigned 64-bit products of the low dwords of each qword.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PmuludqValue(Vector128<ulong> d, Vector128<ulong> s)
    {
        var low = Vector128.Create(0xFFFFFFFFUL);
        return (d & low) * (s & low);
    }

    /// <summary>pmaddwd: per dword, even-word product plus odd-word product (signed, wrapping).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PmaddwdValue(Vector128<ulong> d, Vector128<ulong> s)
    {
        var a = d.AsInt32();
        var b = s.AsInt32();
        var even = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(a, 16), 16) * Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(b, 16), 16);
        var odd = Vector128.ShiftRightArithmetic(a, 16) * Vector128.ShiftRightArithmetic(b, 16);
        return (even + odd).AsUInt64();
    }

    /// <summary>psadbw: per qword, the sum of the 8 absolute byte differences in bits 0-15, the rest zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PsadbwValue(Vector128<ulong> d, Vector128<ulong> s)
    {
        var a = d.AsByte();
        var b = s.AsByte();
        var diff = (Vector128.Max(a, b) - Vector128.Min(a, b)).AsUInt64();
        var m = Vector128.Create(0x00FF00FF00FF00FFUL);
        var w = (diff & m) + (Vector128.ShiftRightLogical(diff, 8) & m);   // four word sums, each <= 510
        w += Vector128.ShiftRightLogical(w, 16);
        w += Vector128.ShiftRightLogical(w, 32);
        return w & Vector128.Create(0xFFFFUL);
    }

    // ---- Handlers ----

    private static void Pmullw(Cpu c, ref Op op) => c.Xmm[op.R0] = PmullwValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pmulhw(Cpu c, ref Op op) => c.Xmm[op.R0] = PmulhwValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pmulhuw(Cpu c, ref Op op) => c.Xmm[op.R0] = PmulhuwValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pmuludq(Cpu c, ref Op op) => c.Xmm[op.R0] = PmuludqValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Pmaddwd(Cpu c, ref Op op) => c.Xmm[op.R0] = PmaddwdValue(c.Xmm[op.R0], Src(c, ref op));
    private static void Psadbw(Cpu c, ref Op op) => c.Xmm[op.R0] = PsadbwValue(c.Xmm[op.R0], Src(c, ref op));
}
