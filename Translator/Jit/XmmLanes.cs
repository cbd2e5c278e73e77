// Lane plumbing for XMM registers cached in IL locals by compiled units (see
// UnitCompiler.Vector.cs): assemble, split and patch a Vector128<ulong>. Pure bit moves,
// no instruction semantics; small enough for RyuJIT to inline into the unit.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Jitexec.Translator.Jit;

internal static class XmmLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> Make(ulong lo, ulong hi) => Vector128.Create(lo, hi);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lo(Vector128<ulong> v) => v.ToScalar();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hi(Vector128<ulong> v) => v.GetElement(1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Dword(Vector128<ulong> v, int i) => v.AsUInt32().GetElement(i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> WithLo(Vector128<ulong> v, ulong x) => v.WithElement(0, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> WithHi(Vector128<ulong> v, ulong x) => v.WithElement(1, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> WithDword(Vector128<ulong> v, int i, uint x) => v.AsUInt32().WithElement(i, x).AsUInt64();

    /// <summary>q with dword i (0 low, 1 high) replaced by x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong WithDword(ulong q, int i, uint x) =>
        i == 0 ? (q & 0xFFFFFFFF00000000UL) | x : (q & 0xFFFFFFFFUL) | (ulong)x << 32;
}
