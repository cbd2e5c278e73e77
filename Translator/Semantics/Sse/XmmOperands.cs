// Operand access for legacy-encoded (non-VEX) SSE instructions: XMM registers, 128-bit
// memory operands and the alignment rule. Invariant: a legacy SSE 128-bit memory operand
// must be 16-byte aligned (else #GP, delivered to Linux guests as SIGSEGV), except for the
// explicitly unaligned moves (movups/movupd/movdqu), which use the *Unaligned readers.
// Scalar (m16/m32/m64) operands never need alignment.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Exec;

namespace Jitexec.Translator.Semantics.Sse;

internal static class XmmOperands
{
    /// <summary>Operand 1 as 128 bits: an XMM register or an aligned m128.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> Src(Cpu c, ref Op op) =>
        op.K1 == ArgKind.Xmm ? c.Xmm[op.R1] : ReadAligned(c, ref op, Operands.Ea(c, ref op));

    /// <summary>Operand 1 as 128 bits: an XMM register or an m128 with no alignment requirement.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> SrcUnaligned(Cpu c, ref Op op) =>
        op.K1 == ArgKind.Xmm ? c.Xmm[op.R1] : c.Mem.Read128(Operands.Ea(c, ref op));

    /// <summary>Operand 1 as its low 64 bits: an XMM register's low qword or an m64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Src64(Cpu c, ref Op op) =>
        op.K1 == ArgKind.Xmm ? c.Xmm[op.R1].GetElement(0) : c.Mem.Read64(Operands.Ea(c, ref op));

    /// <summary>Operand 1 as its low 32 bits: an XMM register's low dword or an m32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Src32(Cpu c, ref Op op) =>
        op.K1 == ArgKind.Xmm ? (uint)c.Xmm[op.R1].GetElement(0) : c.Mem.Read32(Operands.Ea(c, ref op));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> ReadAligned(Cpu c, ref Op op, ulong addr)
    {
        if ((addr & 15) != 0) Misaligned(c, ref op, addr);
        return c.Mem.Read128(addr);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteAligned(Cpu c, ref Op op, ulong addr, Vector128<ulong> v)
    {
        if ((addr & 15) != 0) Misaligned(c, ref op, addr);
        c.Mem.Write128(addr, v);
    }

    /// <summary>Write operand 0 (XMM register or aligned m128).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dst(Cpu c, ref Op op, Vector128<ulong> v)
    {
        if (op.K0 == ArgKind.Xmm) c.Xmm[op.R0] = v;
        else WriteAligned(c, ref op, Operands.Ea(c, ref op), v);
    }

    /// <summary>Write operand 0 (XMM register or m128 with no alignment requirement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DstUnaligned(Cpu c, ref Op op, Vector128<ulong> v)
    {
        if (op.K0 == ArgKind.Xmm) c.Xmm[op.R0] = v;
        else c.Mem.Write128(Operands.Ea(c, ref op), v);
    }

    /// <summary>#GP(0) for a misaligned 16-byte SSE access: Linux delivers SIGSEGV (si_addr 0).</summary>
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void Misaligned(Cpu c, ref Op op, ulong addr)
    {
        c.Rip = op.Ip;
        throw new GuestFault(GuestFault.SIGSEGV, op.Ip,
            $"general protection fault at 0x{op.Ip:x}: misaligned 16-byte SSE access to 0x{addr:x}");
    }
}
