// Host-flags forms of the plain SSE arithmetic, for the JIT tier's host-flags mode
// (UnitCompiler.HostFp.cs). The host is x86-64 too: in the guest's default MXCSR control
// state (Ready: round to nearest, every exception masked, no DAZ/FTZ — the state .NET runs
// the host in) the host's addsd/subsd/mulsd/divsd/sqrtsd (ss alike) and cvtsi2sd/ss ARE the
// guest instruction: same result, same exception flags. The flags land in the host's MXCSR,
// from which the caller collects them (Mx.CollectHost) instead of deriving them per op as
// Fp64/Fp32.TryFast must. The one result the host may get wrong is a NaN: its payload follows
// operand order, which RyuJIT may swap for a commutative operation; Exact declines NaNs and the
// caller takes Fp64/Fp32.General (which rebuilds the x86 NaN and re-derives the flags).
// Ready also requires PE to be set already (Mx.FastValue, as the per-op fast paths do): runtime
// code that runs on the guest thread inside a unit — a GC poll that waits for a suspension, the
// runtime compiling a method on its first call — can leave a spurious PE in the host's flags
// (seen in the tests). With PE already set that changes nothing (and Mx.CollectHost ignores the
// host flags while PE is clear); no other flag has been seen from the runtime, and programs
// compute inexact results almost at once.
// Float operations are done in binary32 (never via binary64), so the host raises the binary32 flags.
using System.Runtime.CompilerServices;
using Jitexec.Translator.Host;

namespace Jitexec.Translator.Semantics.Sse;

public static class FpHost
{
    /// <summary>MXCSR control (all but the flags) equals the host's, so the host instruction is exact,
    /// and PE is already set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Ready(uint mx) => (mx & Mx.FastMask) == Mx.FastValue;

    /// <summary>addsd/subsd/mulsd/divsd/sqrtsd (kind: Fp64.Add...Sqrt; y unused for Sqrt).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64(double x, double y, int kind) => kind switch
    {
        Fp64.Add => x + y, Fp64.Sub => x - y, Fp64.Mul => x * y, Fp64.Div => x / y, _ => Math.Sqrt(x),
    };

    /// <summary>addss/subss/mulss/divss/sqrtss.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32(float x, float y, int kind) => kind switch
    {
        Fp64.Add => x + y, Fp64.Sub => x - y, Fp64.Mul => x * y, Fp64.Div => x / y, _ => MathF.Sqrt(x),
    };

    /// <summary>The guest may take the host's result as is (anything but a NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Exact(double r) => !double.IsNaN(r);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Exact(float r) => !float.IsNaN(r);

    /// <summary>cvtsi2sd of a sign-extended r32/r64 (never NaN; PE when inexact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double IntToF64(long v) => v;

    /// <summary>cvtsi2ss of a sign-extended r32/r64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float IntToF32(long v) => v;
}
