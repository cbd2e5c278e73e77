// The fixed memory region shared by the native and guest runs. It is mapped in the host at
// a low address H (< 2^40) and the same guest addresses are made RW in the guest memory, so
// every address a test sees (code, data buffer, stack) is identical in both runs and all
// registers, including rsp and r15, compare exactly.
// Layout (offsets from H):
//   0x00000 native stub (RWX) + its scratch slots     0x01000 test code (RWX, one page)
//   0x02000..0x04000 data pages; the 256-byte buffer straddles the 0x3000 page boundary
//   0x04000..0x14000 stack; rsp starts at StackTop; the window [StackTop-128, +128) is compared
//   0x14000 input/output state blocks for the native stub (host only)
using Jitexec.Translator.Host;

namespace Jitexec.Tests.Differential;

public static class Sandbox
{
    public const ulong RegionSize = 0x16000;
    public const ulong StubOffset = 0x0, CodeOffset = 0x1000, CodeCapacity = 0x1000 - 16;
    public const ulong BufferOffset = 0x3000 - 128;
    /// <summary>Size of the randomized data buffer addressed by r15 (the fixed base register).</summary>
    public const int BufferSize = 256;
    public const ulong StackTopOffset = 0x13000;
    /// <summary>Bytes compared on each side of the initial rsp.</summary>
    public const int StackWindowHalf = 128;
    public const ulong BlockOffset = 0x14000;

    /// <summary>Host (= guest) address of the region.</summary>
    public static readonly ulong Base = Map();

    public static ulong Code => Base + CodeOffset;
    public static ulong Buffer => Base + BufferOffset;
    public static ulong StackTop => Base + StackTopOffset;
    public static ulong StackWindow => StackTop - StackWindowHalf;

    private static ulong Map()
    {
        const int MAP_FIXED_NOREPLACE = 0x100000;
        for (ulong h = 0x3A_0000_0000; h < 0xF0_0000_0000; h += 0x3_0000_0000)
        {
            nint p = Libc.mmap((nint)h, (nuint)RegionSize, Libc.PROT_READ | Libc.PROT_WRITE | Libc.PROT_EXEC,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
            if (p == (nint)h) return h;
            if (p != Libc.MAP_FAILED) Libc.munmap(p, (nuint)RegionSize);
        }
        throw new InvalidOperationException("differential harness: cannot map the sandbox region below 2^40");
    }
}
