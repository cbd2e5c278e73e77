// The JIT tier's host-flags mode (UnitCompiler.HostFp.cs): the native MXCSR stubs are what Iced
// assembles for their documented instructions and really read and clear the host's flags; the
// premise that the host instruction plus the host's flags equals the exact x86 result and flags
// (Fp64/Fp32.General, FpConvertOps) holds on edge operands, NaN payloads included; units choose the mode only when all
// their FP forms are plain arithmetic; and a real program whose hot loops raise every flag, run
// in every rounding mode and compute NaNs matches native while taking side exits and falling
// back to per-op flags.
using Iced.Intel;
using Jitexec.Tests.Differential;
using Jitexec.Tests.Programs;
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Host;
using Jitexec.Translator.Jit;
using Jitexec.Translator.Memory;
using Jitexec.Translator.Semantics;
using Jitexec.Translator.Semantics.Sse;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Jit;

public unsafe class HostFpModeTests
{
    private static byte[] Assemble(Action<Assembler> body)
    {
        var a = new Assembler(64);
        body(a);
        var w = new MemoryStream();
        a.Assemble(new StreamCodeWriter(w), 0);
        return w.ToArray();
    }

    [Fact]
    public void StubsAreTheDocumentedInstructions()
    {
        Assert.Equal(Assemble(a => { a.stmxcsr(__dword_ptr[rsp - 4]); a.mov(eax, __dword_ptr[rsp - 4]); a.ret(); }), HostMxcsr.ReadCode.ToArray());
        Assert.Equal(Assemble(a => { a.mov(__dword_ptr[rsp - 4], edi); a.ldmxcsr(__dword_ptr[rsp - 4]); a.ret(); }), HostMxcsr.WriteCode.ToArray());
    }

    private static volatile float s_three = 3f;

    [Fact]
    public void StubsReadAndClearTheHostFlags()
    {
        Assert.True(HostMxcsr.Available);
        _ = HostMxcsr.Read(); // compile both first: compiling raises flags on this thread
        HostMxcsr.ClearFlags();
        Assert.Equal(HostMxcsr.DefaultControl, HostMxcsr.Read());
        float third = FpHost.F32(1f, s_three, Fp64.Div);
        Assert.Equal(Mx.PE, HostMxcsr.Read() & Mx.Flags);
        HostMxcsr.ClearFlags();
        Assert.Equal(HostMxcsr.DefaultControl, HostMxcsr.Read());
        Assert.NotEqual(0f, third);
    }

    private const uint Default = 0x1F80;

    /// <summary>The host flags raised by <paramref name="op"/> alone. Runtime code on this thread
    /// (first-call compilation, tier-up call counting, a GC poll) can leave a spurious flag once, so
    /// a result that differs from <paramref name="expected"/> is measured again: a real difference
    /// repeats.</summary>
    private static uint HostFlags<T>(Func<T> op, uint expected, out T r)
    {
        HostMxcsr.ClearFlags();
        r = op();
        uint host = HostMxcsr.Read() & Mx.Flags;
        if (host == expected) return host;
        HostMxcsr.ClearFlags();
        r = op();
        return HostMxcsr.Read() & Mx.Flags;
    }

    [Fact]
    public void HostResultAndFlagsEqualTheGeneralPathOnEdgeValues()
    {
        int nans = 0;
        foreach (int kind in new[] { Fp64.Add, Fp64.Sub, Fp64.Mul, Fp64.Div, Fp64.Sqrt })
            foreach (ulong a in EdgeValues.F64)
                foreach (ulong b in EdgeValues.F64)
                {
                    uint fl = 0;
                    ulong want = Fp64.General(Default, a, kind == Fp64.Sqrt ? 0 : b, kind, ref fl);
                    uint host = HostFlags(() => FpHost.F64(BitConverter.UInt64BitsToDouble(a), BitConverter.UInt64BitsToDouble(b), kind), fl, out double r);
                    if (double.IsNaN(r)) nans++;
                    Assert.True(want == BitConverter.DoubleToUInt64Bits(r), $"kind {kind} {a:x16} {b:x16}: host {BitConverter.DoubleToUInt64Bits(r):x16}, x86 {want:x16}");
                    Assert.True(fl == host, $"kind {kind} {a:x16} {b:x16}: host flags {host:x}, x86 {fl:x}");
                }
        foreach (int kind in new[] { Fp64.Add, Fp64.Sub, Fp64.Mul, Fp64.Div, Fp64.Sqrt })
            foreach (uint a in EdgeValues.F32)
                foreach (uint b in EdgeValues.F32)
                {
                    uint fl = 0;
                    uint want = Fp32.General(Default, a, kind == Fp64.Sqrt ? 0 : b, kind, ref fl);
                    uint host = HostFlags(() => FpHost.F32(BitConverter.UInt32BitsToSingle(a), BitConverter.UInt32BitsToSingle(b), kind), fl, out float r);
                    if (float.IsNaN(r)) nans++;
                    Assert.True(want == BitConverter.SingleToUInt32Bits(r), $"f32 kind {kind} {a:x8} {b:x8}: host {BitConverter.SingleToUInt32Bits(r):x8}, x86 {want:x8}");
                    Assert.True(fl == host, $"f32 kind {kind} {a:x8} {b:x8}: host flags {host:x}, x86 {fl:x}");
                }
        foreach (ulong v in EdgeValues.Int)
        {
            uint fd = 0, ff = 0;
            ulong wd = FpConvertOps.IntToF64General(Default, (long)v, ref fd);
            uint wf = FpConvertOps.IntToF32General(Default, (long)v, ref ff);
            Assert.Equal(fd, HostFlags(() => FpHost.IntToF64((long)v), fd, out double d));
            Assert.Equal(ff, HostFlags(() => FpHost.IntToF32((long)v), ff, out float f));
            Assert.Equal(wd, BitConverter.DoubleToUInt64Bits(d));
            Assert.Equal(wf, BitConverter.SingleToUInt32Bits(f));
        }
        HostMxcsr.ClearFlags();
        Assert.True(nans > 100, $"only {nans} NaN results"); // NaN operand pairs: their order decides the payload
    }

    [Fact]
    public void OtherControlStatesAreNotReady()
    {
        Assert.True(FpHost.Ready(0x1F80 | Mx.PE));
        Assert.True(FpHost.Ready(0x1F80 | Mx.Flags));
        foreach (uint mx in new uint[] { 0x1F80, 0x1F80 | Mx.Flags & ~Mx.PE, 0x1FA0 | Mx.DAZ, 0x1FA0 | Mx.FTZ, 0x3FA0, 0x5FA0, 0x7FA0, 0x1F20, 0x1DA0 })
            Assert.False(FpHost.Ready(mx), $"{mx:x}");
    }

    private static bool HostMode(Action<Assembler> body, bool allowed = true)
    {
        const ulong code = 0x10000;
        var mem = new GuestMemory();
        FlatGuest.Map(mem, code, 0x4000);
        ulong end = FlatGuest.Load(mem, code, a => { body(a); a.ret(); });
        var b = new BlockTranslator(mem, new FlatSystem(code, end), HandlerRegistry.Default).Translate(code);
        return UnitCompiler.Compile([b], mem, null, inlineForms: true, hostFpFlags: allowed, out _).HostFpFlags;
    }

    private static void PlainArithmetic(Assembler a)
    {
        a.movsd(xmm0, __qword_ptr[rax]); a.addsd(xmm0, xmm1); a.mulsd(xmm2, __qword_ptr[rbx]); a.subss(xmm3, xmm4);
        a.divsd(xmm5, xmm0); a.sqrtsd(xmm6, xmm5); a.cvtsi2sd(xmm7, ecx); a.cvtsi2ss(xmm8, rdx); a.movapd(xmm9, xmm7);
        a.pxor(xmm10, xmm10); a.movsd(__qword_ptr[rax + 8], xmm9); a.add(rax, 16);
    }

    [Fact]
    public void UnitsChooseHostModeOnlyForPlainArithmetic()
    {
        Assert.True(HostMode(PlainArithmetic));
        Assert.False(HostMode(PlainArithmetic, allowed: false));
        Assert.False(HostMode(a => { a.add(rax, rbx); a.movsd(xmm0, __qword_ptr[rax]); }));          // no FP arithmetic
        Assert.False(HostMode(a => { PlainArithmetic(a); a.comisd(xmm0, xmm1); }));
        Assert.False(HostMode(a => { PlainArithmetic(a); a.maxsd(xmm0, xmm1); }));
        Assert.False(HostMode(a => { PlainArithmetic(a); a.addpd(xmm0, xmm1); }));
        Assert.False(HostMode(a => { PlainArithmetic(a); a.cvttsd2si(eax, xmm1); }));
        Assert.False(HostMode(a => { PlainArithmetic(a); a.ldmxcsr(__dword_ptr[rsp - 4]); }));         // control may change mid-unit
        Assert.False(HostMode(a => { PlainArithmetic(a); a.fxrstor64(__[rsp - 512]); }));
    }

    /// <summary>tests/guest/fpenv.c in --jit-always: same output as native, and the run really used
    /// host-flags units, left them through side exits (other rounding modes) and
    /// recompiled some with per-op flags.</summary>
    [Fact]
    public void FloatingPointEnvironmentProgramTakesEveryPath()
    {
        string exe = GuestBuild.Get("fpenv", LinkVariant.Static);
        var native = ProcessRun.Run(exe, []);
        var run = ProcessRun.Jitexec(["--jit-always", "--jit-stats", exe]);
        Assert.Equal(native.Stdout, run.Stdout);
        Assert.Equal(native.ExitCode, run.ExitCode);
        string stats = System.Text.Encoding.UTF8.GetString(run.Stderr);
        var m = System.Text.RegularExpressions.Regex.Match(stats, @"jit host-flags units ([\d,]+), side exits ([\d,]+), units recompiled with per-op flags ([\d,]+)");
        Assert.True(m.Success, stats);
        long N(int g) => long.Parse(m.Groups[g].Value.Replace(",", ""));
        Assert.True(N(1) > 0 && N(2) >= JitTier.SideExitLimit && N(3) > 0, stats);
    }
}
