// Where things live in the guest address space (all below GuestMemory.Size = 2^40).
namespace Jitexec.Kernel.Memory;

public static class Layout
{
    public const ulong Page = 4096;
    /// <summary>Top of the initial stack (exclusive); a guard page sits above it.</summary>
    public const ulong StackTop = 0xFF_FFFF_E000;
    public const ulong StackSize = 8UL << 20;
    /// <summary>mmap allocations are placed top-down below this address.</summary>
    public const ulong MmapTop = StackTop - StackSize - (256UL << 20);
    /// <summary>Lowest address mmap hands out without MAP_FIXED (like vm.mmap_min_addr).</summary>
    public const ulong MmapMin = 0x10000;

    public static ulong PageUp(ulong v) => (v + Page - 1) & ~(Page - 1);
    public static ulong PageDown(ulong v) => v & ~(Page - 1);
}
