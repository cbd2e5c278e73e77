// The fixed virtual CPU that cpuid reports: x86-64 baseline (FPU CX8 CMOV MMX FXSR SSE
// SSE2, LM), no AVX/XSAVE, so glibc selects its SSE2 code paths. A snapshot records the
// profile name; changing anything here must change Name.
namespace Jitexec.Translator.Core;

public static class CpuProfile
{
    public const string Name = "x86-64-baseline/1";

    public const uint MaxBasicLeaf = 1;
    public const uint MaxExtendedLeaf = 0x80000008;
    // "GenuineIntel" would make glibc read Intel cache leaves we do not model; use a neutral vendor.
    public const string Vendor = "JitexecVCPU!";
    private static uint VendorWord(int i) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(
        System.Text.Encoding.ASCII.GetBytes(Vendor).AsSpan(i * 4, 4));

    public static (uint eax, uint ebx, uint ecx, uint edx) Query(uint leaf, uint subleaf)
    {
        _ = subleaf;
        switch (leaf)
        {
            case 0: return (MaxBasicLeaf, VendorWord(0), VendorWord(2), VendorWord(1)); // vendor order: ebx, edx, ecx
            // family 6 model 0x2a-like signature; EBX: CLFLUSH line size 8 (x8 = 64 bytes), 1 logical CPU.
            case 1: return (0x000206A7, 0x00010800, 0, 0x07808101 | (1u << 4) /* TSC */);
            case 0x80000000: return (MaxExtendedLeaf, 0, 0, 0);
            case 0x80000001: return (0, 0, 1 /* LAHF/SAHF in 64-bit mode */, 1u << 29 /* LM */ | 1u << 11 /* SYSCALL */);
            case 0x80000008: return (0x00003028, 0, 0, 0); // 40-bit physical, 48-bit virtual addresses
            default: return (0, 0, 0, 0);
        }
    }
}
