// One guest mapping: a page-aligned range with guest protection and its backing, as
// /proc/self/maps would show it.
namespace Jitexec.Kernel.Memory;

public sealed record Vma(ulong Start, ulong End, int Prot, bool Shared, string Name, ulong Offset, ulong Device, ulong Inode)
{
    public ulong Length => End - Start;
    public bool IsFile => Inode != 0;

    /// <summary>The part of this mapping inside [start, end), keeping file offsets consistent.</summary>
    public Vma Slice(ulong start, ulong end) =>
        this with { Start = start, End = end, Offset = IsFile ? Offset + (start - Start) : 0 };
}
