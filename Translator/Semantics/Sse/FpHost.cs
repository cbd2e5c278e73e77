// Host-flags forms of the plain SSE arithmetic, for the JIT tier's host-flags mode
// (UnitCompiler.HostFp.cs). The host is x86-64 too: in the guest's default MXCSR control
// state (Ready: round to nearest, every exception masked, no DAZ/FTZ — the state .NET runs
// the host in) the host's addsd/subsd/mulsd/divsd/sqrtsd (ss alike) and cvtsi2sd/ss ARE the
// guest instruction: same result, same exception flags. The flags land in the host's MXCSR,
// from which the caller collects them (Mx.CollectHost) instead of deriving them per op as
// Fp64/Fp32.TryFast must. The operations are the SSE scalar intrinsics, not C# arithmetic:
// RyuJIT may swap the operands of a commutative `x + y`, and with two NaN operands x86 returns
// the first one's, so the order matters; a scalar intrinsic (which keeps operand 1's upper
// lanes) is never swapped, so even NaN results are exact and no op needs a check.
// Ready also requires PE to be set already (Mx.FastValue, as the per-op fast paths do): runtime
// code that runs on the guest thread inside a unit — a GC poll that waits for a suspension, the
// runtime compiling a method on its first call — can leave a spurious PE in the host's flags
// (seen in the tests). With PE already set that changes nothing (and Mx.CollectHost ignores the
// host flags while PE is clear); no other flag has been seen from the runtime, and programs
// compute inexact results almost at once.
// Float operations are done in binary32 (never via binary64), so the host raises the binary32 flags.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using X86 = System.Runtime.Intrinsics.X86;
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
    public static double F64(double x, double y, int kind)
    {
        var a = Vector128.CreateScalarUnsafe(x);
        var b = Vector128.CreateScalarUnsafe(y);
        return (kind switch
        {
            Fp64.Add => X86.Sse2.AddScalar(a, b), Fp64.Sub => X86.Sse2.SubtractScalar(a, b),
            Fp64.Mul => X86.Sse2.MultiplyScalar(a, b), Fp64.Div => X86.Sse2.DivideScalar(a, b), _ => X86.Sse2.SqrtScalar(a),
        }).ToScalar();
    }

    /// <summary>addss/subss/mulss/divss/sqrtss.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32(float x, float y, int kind)
    {
        var a = Vector128.CreateScalarUnsafe(x);
        var b = Vector128.CreateScalarUnsafe(y);
        return (kind switch
        {
            Fp64.Add => X86.Sse.AddScalar(a, b), Fp64.Sub => X86.Sse.SubtractScalar(a, b),
            Fp64.Mul => X86.Sse.MultiplyScalar(a, b), Fp64.Div => X86.Sse.DivideScalar(a, b), _ => X86.Sse.SqrtScalar(a),
        }).ToScalar();
    }

    /// <summary>cvtsi2sd of a sign-extended r32/r64 (never NaN; PE when inexact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double IntToF64(long v) => v;

    /// <summary>cvtsi2ss of a sign-extended r32/r64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float IntToF32(long v) => v;
}
