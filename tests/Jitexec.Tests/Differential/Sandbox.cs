// The fixed memory region shared by the native and guest runs. It is mapped in the host at
// a low address H (< 2^40) and the same guest addresses are made RW in the guest memory, so
// every address a test sees (code, data buffer, stack) is identical in both runs and all
// registers, including rsp and r15, compare exactly.
// Layout (offsets from H):
//   0x00000 native stub (RWX) + its scratch slots
//   0x01000..0x03000 test code (two pages: a case may start just before 0x2000 to straddle)
//   0x03000..0x05000 data pages; the 256-byte buffer (r15) straddles the 0x4000 boundary
//   0x05000..0x15000 stack; rsp starts at StackTop (0x14000). The window [StackTop-128,
//                    StackTop+128) is randomised per input; everything from StackTop-128 up
//                    and both data pages are checked after every run (below that, host
//                    signal frames may land natively).
//   0x15000 input/output state blocks and the host FXSAVE area for the native stub
using Jitexec.Translator.Host;

namespace Jitexec.Tests.Differential;

public static class Sandbox
{
    public const ulong RegionSize = 0x16000;
    public const ulong StubOffset = 0x0, CodeOffset = 0x1000, CodeCapacity = 0x2000 - 16;
    public const ulong DataOffset = 0x3000, DataSize = 0x2000;
    public const ulong BufferOffset = 0x4000 - 128;
    /// <summary>Size of the randomized data buffer addressed by r15 (the fixed base register).</summary>
    public const int BufferSize = 256;
    public const ulong StackTopOffset = 0x14000, StackEndOffset = 0x15000;
    /// <summary>Bytes randomised on each side of the initial rsp.</summary>
    public const int StackWindowHalf = 128;
    public const ulong BlockOffset = 0x15000;

    /// <summary>Host (= guest) address of the region.</summary>
    public static readonly ulong Base = Map();

    /// <summary>Default start of test code.</summary>
    public static ulong Code => Base + CodeOffset;
    /// <summary>The page boundary inside the code area (for page-straddling code).</summary>
    public static ulong CodePageBoundary => Base + CodeOffset + 0x1000;
    public static ulong Buffer => Base + BufferOffset;
    public static ulong StackTop => Base + StackTopOffset;
    public static ulong StackWindow => StackTop - StackWindowHalf;

    /// <summary>Ranges (offsets from Base) compared after each run besides registers.</summary>
    public static readonly (ulong start, ulong end)[] CheckedRanges =
        [(DataOffset, DataOffset + DataSize), (StackTopOffset - StackWindowHalf, StackEndOffset)];

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

    /// <summary>Human-readable name of a sandbox address (r15+n, rsp0+n, code+n).</summary>
    public static string Describe(ulong addr)
    {
        long r = (long)(addr - Buffer), s = (long)(addr - StackTop), c = (long)(addr - Code);
        if (Math.Abs(r) < 0x1000) return $"r15{r:+#;-#;+0}";
        if (Math.Abs(s) < 0x10000) return $"rsp0{s:+#;-#;+0}";
        return $"code{c:+#;-#;+0}";
    }
}
