// The fixed virtual CPU that cpuid reports: x86-64 baseline (FPU CX8 CMOV MMX FXSR SSE
// SSE2, LM), no AVX/XSAVE, so glibc selects its SSE2 code paths. A snapshot records the
// profile name; changing anything here must change Name.
// The vendor must be one glibc knows: glibc 2.36 only reads leaf 1 (the feature bits)
// for Intel, AMD and Zhaoxin, so an unknown vendor looks like a CPU without SSE2 and
// ld.so refuses Debian's libc ("CPU ISA level is lower than required").
namespace Jitexec.Translator.Core;

public static class CpuProfile
{
    public const string Name = "x86-64-baseline/2";

    public const uint MaxBasicLeaf = 1;
    public const uint MaxExtendedLeaf = 0x80000008;
    // AMD's cache leaves (0x80000005/6) are simple to model; Intel's (2 and 4) are not.
    public const string Vendor = "AuthenticAMD";
    private static uint VendorWord(int i) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(
        System.Text.Encoding.ASCII.GetBytes(Vendor).AsSpan(i * 4, 4));

    public static CpuidResult Query(uint leaf, uint subleaf)
    {
        _ = subleaf;
        switch (leaf)
        {
            case 0: return new(MaxBasicLeaf, VendorWord(0), VendorWord(2), VendorWord(1)); // vendor order: ebx, edx, ecx
            // Family 17h signature (no glibc model-specific tuning); EBX: CLFLUSH line 8x8 bytes, 1 logical CPU.
            case 1: return new(0x00800F11, 0x00010800, 0, 0x07808101 | (1u << 4) /* TSC */);
            case 0x80000000: return new(MaxExtendedLeaf, 0, 0, 0);
            case 0x80000001: return new(0, 0, 1 /* LAHF/SAHF in 64-bit mode */, 1u << 29 /* LM */ | 1u << 11 /* SYSCALL */);
            // L1d 32 KiB 8-way, L1i 32 KiB 8-way, 64-byte lines.
            case 0x80000005: return new(0, 0, 0x20080140, 0x20080140);
            // L2 512 KiB 8-way, L3 8 MiB 16-way, 64-byte lines.
            case 0x80000006: return new(0, 0, 0x02006140, 0x00408140);
            case 0x80000008: return new(0x00003028, 0, 0, 0); // 40-bit physical, 48-bit virtual addresses; 1 core
            default: return new(0, 0, 0, 0);
        }
    }
}

/// <summary>The four registers cpuid writes (a named struct: a ValueTuple of four uints has no
/// ReadyToRun code, so its constructor was JIT-compiled at run time).</summary>
public readonly record struct CpuidResult(uint Eax, uint Ebx, uint Ecx, uint Edx);
