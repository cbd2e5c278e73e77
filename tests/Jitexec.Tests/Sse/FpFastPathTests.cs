// The fast paths of the FP value methods (Fp64/Fp32.TryFast, FpConvertOps.TryIntToF64/F32), which
// the JIT tier runs inline with the general method on a cold path, must be exact shortcuts:
// whenever a fast path accepts, the general method (checked against the CPU by the
// differential suite) gives the same bits and raises no flag that is not already set; and
// outside the fast MXCSR state they never accept. Inputs: IEEE edges (zeros, denormals, min
// normal, max, infinities, NaNs), values near the underflow and overflow thresholds, random
// values and near-equal pairs (cancellation to zero and to tiny results).
using Jitexec.Tests.Differential;
using Jitexec.Translator.Semantics.Sse;
using Xunit;

namespace Jitexec.Tests;

public class FpFastPathTests
{
    private const uint Fast = Mx.FastValue;
    private static readonly uint[] FastStates = [Fast, Fast | 0x1F, Fast | Mx.IE | Mx.DE];
    private static readonly uint[] SlowStates = [0x1F80, Fast | Mx.DAZ, Fast | Mx.FTZ, Fast | 0x2000, Fast | 0x6000, Fast & ~0x200u];
    private static readonly int[] Kinds = [Fp64.Add, Fp64.Sub, Fp64.Mul, Fp64.Div, Fp64.Sqrt];

    private static List<ulong> Values64()
    {
        var v = new List<ulong>(EdgeValues.F64);
        var rng = new Random(1234);
        foreach (double d in new[] { 1e-300, 1e-160, 1.5e-154, 2.2250738585072014e-308 * 3, 1e300, 1.3e154, 8.98846567431158e307 })
        {
            v.Add(BitConverter.DoubleToUInt64Bits(d));
            v.Add(BitConverter.DoubleToUInt64Bits(-d));
        }
        for (int i = 0; i < 60; i++) v.Add((ulong)rng.NextInt64() ^ (rng.Next(2) == 0 ? 1UL << 63 : 0));
        return v;
    }

    private static List<uint> Values32()
    {
        var v = new List<uint>(EdgeValues.F32.Select(x => (uint)x));
        var rng = new Random(4321);
        foreach (float f in new[] { 1e-38f, 1e-20f, 1.1e-19f, 3e-38f, 1e38f, 1.8e19f, 1.7e38f })
        {
            v.Add(BitConverter.SingleToUInt32Bits(f));
            v.Add(BitConverter.SingleToUInt32Bits(-f));
        }
        for (int i = 0; i < 60; i++) v.Add((uint)rng.Next() ^ (rng.Next(2) == 0 ? 0x80000000u : 0));
        return v;
    }

    [Fact]
    public void Fp64FastPathAgreesWithGeneral()
    {
        var vals = Values64();
        foreach (ulong a in vals)
            foreach (ulong b0 in vals)
                foreach (ulong b in new[] { b0, a, a ^ 1, a ^ (1UL << 63), (a ^ (1UL << 63)) + 1 }) // near pairs: cancellation
                    foreach (int kind in Kinds)
                    {
                        foreach (uint mx in FastStates)
                        {
                            if (!Fp64.TryFast(mx, a, b, kind, out ulong r)) continue;
                            uint fl = 0;
                            ulong g = Fp64.General(mx, a, b, kind, ref fl);
                            Assert.True(g == r && (fl & ~mx) == 0, $"kind {kind} mx {mx:x} a {a:x16} b {b:x16}: fast {r:x16}, general {g:x16} flags {fl:x}");
                        }
                        foreach (uint mx in SlowStates)
                            Assert.False(Fp64.TryFast(mx, a, b, kind, out _), $"fast path taken with mx {mx:x}");
                    }
    }

    [Fact]
    public void Fp32FastPathAgreesWithGeneral()
    {
        var vals = Values32();
        foreach (uint a in vals)
            foreach (uint b0 in vals)
                foreach (uint b in new[] { b0, a, a ^ 1, a ^ 0x80000000u, (a ^ 0x80000000u) + 1 })
                    foreach (int kind in Kinds)
                    {
                        foreach (uint mx in FastStates)
                        {
                            if (!Fp32.TryFast(mx, a, b, kind, out uint r)) continue;
                            uint fl = 0;
                            uint g = Fp32.General(mx, a, b, kind, ref fl);
                            Assert.True(g == r && (fl & ~mx) == 0, $"kind {kind} mx {mx:x} a {a:x8} b {b:x8}: fast {r:x8}, general {g:x8} flags {fl:x}");
                        }
                        foreach (uint mx in SlowStates)
                            Assert.False(Fp32.TryFast(mx, a, b, kind, out _), $"fast path taken with mx {mx:x}");
                    }
    }

    [Fact]
    public void IntToFloatFastPathsAgreeWithGeneral()
    {
        var rng = new Random(77);
        var vals = new List<long>();
        foreach (ulong e in EdgeValues.Int) { vals.Add((long)e); vals.Add(-(long)e); }
        for (int s = 50; s < 64; s++) { vals.Add(1L << s); vals.Add((1L << s) - 1); vals.Add((1L << s) + 1); vals.Add(-(1L << s) - 1); }
        for (int i = 0; i < 2000; i++) vals.Add(rng.NextInt64(long.MinValue, long.MaxValue) >> rng.Next(64));
        foreach (long v in vals)
            foreach (uint mx in new[] { 0x1F80u, 0x3F80u, 0x5F80u, 0x7F80u })
            {
                if (FpConvertOps.TryIntToF64(v, out ulong r))
                {
                    uint fl = 0;
                    ulong g = FpConvertOps.IntToF64General(mx, v, ref fl);
                    Assert.True(g == r && fl == 0, $"v {v} mx {mx:x}: fast {r:x16}, general {g:x16} flags {fl:x}");
                }
                if (FpConvertOps.TryIntToF32(v, out uint r32))
                {
                    uint fl = 0;
                    uint g = FpConvertOps.IntToF32General(mx, v, ref fl);
                    Assert.True(g == r32 && fl == 0, $"v {v} mx {mx:x}: fast {r32:x8}, general {g:x8} flags {fl:x}");
                }
            }
    }
}
