// Scalar lane access for the SSE floating-point and conversion families. Source operands
// (register or memory, with the m128 alignment rule) come from XmmOperands.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Jitexec.Translator.Core;

namespace Jitexec.Translator.Semantics.Sse;

internal static class FpOperands
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lo64(Cpu c, int x) => c.Xmm[x].GetElement(0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Lo32(Cpu c, int x) => (uint)c.Xmm[x].GetElement(0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetLo64(Cpu c, int x, ulong v) => c.Xmm[x] = c.Xmm[x].WithElement(0, v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetLo32(Cpu c, int x, uint v) => c.Xmm[x] = c.Xmm[x].AsUInt32().WithElement(0, v).AsUInt64();
}
