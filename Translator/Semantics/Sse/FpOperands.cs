// Operand access for the SSE floating-point and conversion families: XMM lanes and the
// r/m source operand (register or memory). Legacy-SSE packed memory operands (m128) must be
// 16-byte aligned: a misaligned one is #GP, which Linux delivers as SIGSEGV (si_addr 0).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Exec;
using static Jitexec.Translator.Semantics.Operands;

namespace Jitexec.Translator.Semantics.Sse;

internal static class FpOperands
{
    /// <summary>Source operand 1 as 128 bits (aligned m128 or an XMM register).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> Src128(Cpu c, ref Op op)
    {
        if (op.K1 == ArgKind.Xmm) return c.Xmm[op.R1];
        ulong a = Ea(c, ref op);
        if ((a & 15) != 0) Misaligned(c, ref op);
        return c.Mem.Read<Vector128<ulong>>(a);
    }

    /// <summary>Low 64 bits of source operand 1 (m64 or an XMM register).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Src64(Cpu c, ref Op op) =>
        op.K1 == ArgKind.Xmm ? c.Xmm[op.R1].GetElement(0) : c.Mem.Read64(Ea(c, ref op));

    /// <summary>Low 32 bits of source operand 1 (m32 or an XMM register).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Src32(Cpu c, ref Op op) =>
        op.K1 == ArgKind.Xmm ? (uint)c.Xmm[op.R1].GetElement(0) : c.Mem.Read32(Ea(c, ref op));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lo64(Cpu c, int x) => c.Xmm[x].GetElement(0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Lo32(Cpu c, int x) => (uint)c.Xmm[x].GetElement(0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetLo64(Cpu c, int x, ulong v) => c.Xmm[x] = c.Xmm[x].WithElement(0, v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetLo32(Cpu c, int x, uint v) => c.Xmm[x] = c.Xmm[x].AsUInt32().WithElement(0, v).AsUInt64();

    public static void Misaligned(Cpu c, ref Op op)
    {
        c.Rip = op.Ip;
        throw new GuestFault(GuestFault.SIGSEGV, op.Ip, $"misaligned 16-byte SSE memory operand at 0x{op.Ip:x}");
    }
}
