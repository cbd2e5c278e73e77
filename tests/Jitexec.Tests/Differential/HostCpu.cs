// Guards the native run: a sequence that the host CPU cannot execute (a CPUID feature it
// lacks, a trapping or privileged instruction) would kill the test process, so such cases
// fail with a message instead of running natively.
using System.Runtime.Intrinsics.X86;
using Iced.Intel;

namespace Jitexec.Tests.Differential;

public static class HostCpu
{
    private static readonly bool Movbe = Bit(1, 0, 2, 22), Adx = Bit(7, 0, 1, 19), Rdrand = Bit(1, 0, 2, 30),
        Rdseed = Bit(7, 0, 1, 18), Cx16 = Bit(1, 0, 2, 13), F16c = Bit(1, 0, 2, 29), Sha = Bit(7, 0, 1, 29),
        Gfni = Bit(7, 0, 2, 8), Fsgsbase = Bit(7, 0, 1, 0), Rdpid = Bit(7, 0, 2, 22), Clwb = Bit(7, 0, 1, 24),
        ClflushOpt = Bit(7, 0, 1, 23), Xsave = Bit(1, 0, 2, 26);

    /// <summary>CPUID leaf/subleaf, register (0=eax 1=ebx 2=ecx 3=edx), bit.</summary>
    private static bool Bit(int leaf, int sub, int reg, int bit)
    {
        var (a, b, c, d) = X86Base.CpuId(leaf, sub);
        int v = reg switch { 0 => a, 1 => b, 2 => c, _ => d };
        return (v >> bit & 1) != 0;
    }

    public static bool Supports(CpuidFeature f) => f switch
    {
        CpuidFeature.INTEL8086 or CpuidFeature.INTEL186 or CpuidFeature.INTEL286 or CpuidFeature.INTEL386
            or CpuidFeature.INTEL486 or CpuidFeature.X64 or CpuidFeature.CMOV or CpuidFeature.CX8
            or CpuidFeature.FPU or CpuidFeature.FPU287 or CpuidFeature.FPU387 or CpuidFeature.FXSR
            or CpuidFeature.MMX or CpuidFeature.SSE or CpuidFeature.SSE2 or CpuidFeature.MULTIBYTENOP
            or CpuidFeature.PAUSE or CpuidFeature.CLFSH or CpuidFeature.CPUID or CpuidFeature.TSC
            or CpuidFeature.SYSCALL or CpuidFeature.RDTSCP or CpuidFeature.PREFETCHW => true,
        CpuidFeature.SSE3 => Sse3.IsSupported,
        CpuidFeature.SSSE3 => Ssse3.IsSupported,
        CpuidFeature.SSE4_1 => Sse41.IsSupported,
        CpuidFeature.SSE4_2 => Sse42.IsSupported,
        CpuidFeature.POPCNT => Popcnt.IsSupported,
        CpuidFeature.LZCNT => Lzcnt.IsSupported,
        CpuidFeature.BMI1 => Bmi1.IsSupported,
        CpuidFeature.BMI2 => Bmi2.IsSupported,
        CpuidFeature.AVX => Avx.IsSupported,
        CpuidFeature.AVX2 => Avx2.IsSupported,
        CpuidFeature.FMA => Fma.IsSupported,
        CpuidFeature.AES => System.Runtime.Intrinsics.X86.Aes.IsSupported,
        CpuidFeature.PCLMULQDQ => Pclmulqdq.IsSupported,
        CpuidFeature.AVX512F => Avx512F.IsSupported,
        CpuidFeature.AVX512BW => Avx512BW.IsSupported,
        CpuidFeature.AVX512DQ => Avx512DQ.IsSupported,
        CpuidFeature.AVX512CD => Avx512CD.IsSupported,
        CpuidFeature.AVX512VL => Avx512F.VL.IsSupported,
        CpuidFeature.MOVBE => Movbe,
        CpuidFeature.ADX => Adx,
        CpuidFeature.RDRAND => Rdrand,
        CpuidFeature.RDSEED => Rdseed,
        CpuidFeature.CMPXCHG16B => Cx16,
        CpuidFeature.F16C => F16c,
        CpuidFeature.SHA => Sha,
        CpuidFeature.GFNI => Gfni,
        CpuidFeature.FSGSBASE => Fsgsbase,
        CpuidFeature.RDPID => Rdpid,
        CpuidFeature.CLWB => Clwb,
        CpuidFeature.CLFLUSHOPT => ClflushOpt,
        CpuidFeature.XSAVE => Xsave,
        _ => false,
    };

    /// <summary>Why <paramref name="insn"/> must not run natively, or null when it may.</summary>
    public static string? NativeBlocker(in Instruction insn)
    {
        switch (insn.Mnemonic)
        {
            case Mnemonic.Ud0: case Mnemonic.Ud1: case Mnemonic.Ud2: case Mnemonic.Int3: case Mnemonic.Int:
            case Mnemonic.Int1: case Mnemonic.Into: case Mnemonic.Hlt: case Mnemonic.Syscall: case Mnemonic.Sysenter:
            case Mnemonic.In: case Mnemonic.Out: case Mnemonic.Insb: case Mnemonic.Insw: case Mnemonic.Insd:
            case Mnemonic.Outsb: case Mnemonic.Outsw: case Mnemonic.Outsd: case Mnemonic.Cli: case Mnemonic.Sti:
                return $"{insn.Mnemonic} traps or is privileged (use DiffRunner.AssertFaults)";
        }
        foreach (var f in insn.CpuidFeatures)
            if (!Supports(f)) return $"the host CPU lacks (or the harness does not know) feature {f}";
        return null;
    }
}
