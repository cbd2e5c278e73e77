// The host thread's MXCSR, which .NET has no intrinsic for: two tiny native stubs (stmxcsr /
// ldmxcsr through the red zone) in one executable page, called through unmanaged function
// pointers without a GC transition (they touch no managed state and cannot block or fault).
// Used by the JIT tier's host-flags mode (UnitCompiler.HostFp.cs): compiled code lets the host
// FPU raise the guest's SSE exception flags and collects them from here.
// Invariant: the host's control bits stay .NET's default (0x1F80: round to nearest, every
// exception masked, no DAZ/FTZ); only the six flag bits are ever changed (cleared).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Jitexec.Translator.Host;

public static unsafe class HostMxcsr
{
    /// <summary>Control bits (all but the six exception flags) of the state .NET runs in.</summary>
    public const uint DefaultControl = 0x1F80, ControlMask = 0xFFC0;

    /// <summary>stmxcsr [rsp-4]; mov eax, [rsp-4]; ret</summary>
    internal static ReadOnlySpan<byte> ReadCode => [0x0F, 0xAE, 0x5C, 0x24, 0xFC, 0x8B, 0x44, 0x24, 0xFC, 0xC3];

    /// <summary>mov [rsp-4], edi; ldmxcsr [rsp-4]; ret</summary>
    internal static ReadOnlySpan<byte> WriteCode => [0x89, 0x7C, 0x24, 0xFC, 0x0F, 0xAE, 0x54, 0x24, 0xFC, 0xC3];

    private static readonly delegate* unmanaged[SuppressGCTransition]<uint> s_read;
    private static readonly delegate* unmanaged[SuppressGCTransition]<uint, void> s_write;

    /// <summary>The stubs exist and the host runs in the default control state (else host-flags
    /// mode is never used: an executable page was refused, or something changed the host's MXCSR).</summary>
    public static readonly bool Available;

    static HostMxcsr()
    {
        nint page = Libc.mmap(0, 4096, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        if (page == Libc.MAP_FAILED) return;
        var code = new Span<byte>((void*)page, 4096);
        ReadCode.CopyTo(code);
        WriteCode.CopyTo(code[64..]);
        if (Libc.mprotect(page, 4096, Libc.PROT_READ | Libc.PROT_EXEC) != 0)
        {
            Libc.munmap(page, 4096);
            return;
        }
        s_read = (delegate* unmanaged[SuppressGCTransition]<uint>)page;
        s_write = (delegate* unmanaged[SuppressGCTransition]<uint, void>)(page + 64);
        Available = (s_read() & ControlMask) == DefaultControl;
    }

    // Both accessors (and Mx.CollectHost) are AggressiveOptimization: never tiered, so no call
    // counting or tier-up runs on the guest thread between a unit's FP ops and the collect, where
    // the runtime's own floating-point work would leave a spurious flag; their one compilation is
    // forced on the compiling thread (UnitCompiler.CompileHostFlagPath).

    /// <summary>The host's MXCSR (only meaningful when <see cref="Available"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static uint Read() => s_read();

    /// <summary>Clear the host's exception flags, leaving the default control bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static void ClearFlags() => s_write(DefaultControl);
}
