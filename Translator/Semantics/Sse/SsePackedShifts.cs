// SSE2 packed shifts: psllw/d/q psrlw/d/q psraw/d by imm8 and by an xmm/m128 count
// (legacy XMM forms; registered from SseInteger.Register). The count is the imm8 or the
// whole low qword of the source, unsigned: a count above the element width - 1 zeroes the
// elements of a logical shift and fills an arithmetic shift with the sign bit. (Unlike
// C#'s shift operators, nothing is masked.)
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Sse.XmmOperands;

namespace Jitexec.Translator.Semantics.Sse;

internal static unsafe class SsePackedShifts
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Code.Psllw_xmm_imm8, &PsllwImm);
        r.Add(Code.Pslld_xmm_imm8, &PslldImm);
        r.Add(Code.Psllq_xmm_imm8, &PsllqImm);
        r.Add(Code.Psrlw_xmm_imm8, &PsrlwImm);
        r.Add(Code.Psrld_xmm_imm8, &PsrldImm);
        r.Add(Code.Psrlq_xmm_imm8, &PsrlqImm);
        r.Add(Code.Psraw_xmm_imm8, &PsrawImm);
        r.Add(Code.Psrad_xmm_imm8, &PsradImm);
        r.Add(Code.Psllw_xmm_xmmm128, &PsllwXmm);
        r.Add(Code.Pslld_xmm_xmmm128, &PslldXmm);
        r.Add(Code.Psllq_xmm_xmmm128, &PsllqXmm);
        r.Add(Code.Psrlw_xmm_xmmm128, &PsrlwXmm);
        r.Add(Code.Psrld_xmm_xmmm128, &PsrldXmm);
        r.Add(Code.Psrlq_xmm_xmmm128, &PsrlqXmm);
        r.Add(Code.Psraw_xmm_xmmm128, &PsrawXmm);
        r.Add(Code.Psrad_xmm_xmmm128, &PsradXmm);
    }

    // ---- Value-level semantics (shared with the JIT tier) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PsllwValue(Vector128<ulong> v, ulong count) =>
        count > 15 ? Vector128<ulong>.Zero : Vector128.ShiftLeft(v.AsUInt16(), (int)count).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PslldValue(Vector128<ulong> v, ulong count) =>
        count > 31 ? Vector128<ulong>.Zero : Vector128.ShiftLeft(v.AsUInt32(), (int)count).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PsllqValue(Vector128<ulong> v, ulong count) =>
        count > 63 ? Vector128<ulong>.Zero : Vector128.ShiftLeft(v, (int)count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PsrlwValue(Vector128<ulong> v, ulong count) =>
        count > 15 ? Vector128<ulong>.Zero : Vector128.ShiftRightLogical(v.AsUInt16(), (int)count).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PsrldValue(Vector128<ulong> v, ulong count) =>
        count > 31 ? Vector128<ulong>.Zero : Vector128.ShiftRightLogical(v.AsUInt32(), (int)count).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PsrlqValue(Vector128<ulong> v, ulong count) =>
        count > 63 ? Vector128<ulong>.Zero : Vector128.ShiftRightLogical(v, (int)count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PsrawValue(Vector128<ulong> v, ulong count) =>
        Vector128.ShiftRightArithmetic(v.AsInt16(), count > 15 ? 15 : (int)count).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PsradValue(Vector128<ulong> v, ulong count) =>
        Vector128.ShiftRightArithmetic(v.AsInt32(), count > 31 ? 31 : (int)count).AsUInt64();

    // ---- Handlers ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong CountFromXmm(Cpu c, ref Op op) => Src(c, ref op).GetElement(0);

    private static void PsllwImm(Cpu c, ref Op op) => c.Xmm[op.R0] = PsllwValue(c.Xmm[op.R0], (byte)op.Imm);
    private static void PslldImm(Cpu c, ref Op op) => c.Xmm[op.R0] = PslldValue(c.Xmm[op.R0], (byte)op.Imm);
    private static void PsllqImm(Cpu c, ref Op op) => c.Xmm[op.R0] = PsllqValue(c.Xmm[op.R0], (byte)op.Imm);
    private static void PsrlwImm(Cpu c, ref Op op) => c.Xmm[op.R0] = PsrlwValue(c.Xmm[op.R0], (byte)op.Imm);
    private static void PsrldImm(Cpu c, ref Op op) => c.Xmm[op.R0] = PsrldValue(c.Xmm[op.R0], (byte)op.Imm);
    private static void PsrlqImm(Cpu c, ref Op op) => c.Xmm[op.R0] = PsrlqValue(c.Xmm[op.R0], (byte)op.Imm);
    private static void PsrawImm(Cpu c, ref Op op) => c.Xmm[op.R0] = PsrawValue(c.Xmm[op.R0], (byte)op.Imm);
    private static void PsradImm(Cpu c, ref Op op) => c.Xmm[op.R0] = PsradValue(c.Xmm[op.R0], (byte)op.Imm);

    private static void PsllwXmm(Cpu c, ref Op op) => c.Xmm[op.R0] = PsllwValue(c.Xmm[op.R0], CountFromXmm(c, ref op));
    private static void PslldXmm(Cpu c, ref Op op) => c.Xmm[op.R0] = PslldValue(c.Xmm[op.R0], CountFromXmm(c, ref op));
    private static void PsllqXmm(Cpu c, ref Op op) => c.Xmm[op.R0] = PsllqValue(c.Xmm[op.R0], CountFromXmm(c, ref op));
    private static void PsrlwXmm(Cpu c, ref Op op) => c.Xmm[op.R0] = PsrlwValue(c.Xmm[op.R0], CountFromXmm(c, ref op));
    private static void PsrldXmm(Cpu c, ref Op op) => c.Xmm[op.R0] = PsrldValue(c.Xmm[op.R0], CountFromXmm(c, ref op));
    private static void PsrlqXmm(Cpu c, ref Op op) => c.Xmm[op.R0] = PsrlqValue(c.Xmm[op.R0], CountFromXmm(c, ref op));
    private static void PsrawXmm(Cpu c, ref Op op) => c.Xmm[op.R0] = PsrawValue(c.Xmm[op.R0], CountFromXmm(c, ref op));
    private static void PsradXmm(Cpu c, ref Op op) => c.Xmm[op.R0] = PsradValue(c.Xmm[op.R0], CountFromXmm(c, ref op));
}
