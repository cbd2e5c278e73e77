// What the loader needs from the address-space owner (Kernel): place file-backed and
// anonymous mappings in the guest and pick free ranges. Protections are PF_* style
// guest protections (read/write/exec); the owner decides how they map to host pages.
namespace Jitexec.Loader;

public interface IGuestMapper
{
    /// <summary>Map [addr, addr+length) privately from <paramref name="path"/> at file <paramref name="offset"/> (page aligned), replacing anything there.</summary>
    void MapFile(ulong addr, ulong length, int prot, string path, ulong offset);

    /// <summary>Map zero-filled private memory at [addr, addr+length), replacing anything there.</summary>
    void MapAnonymous(ulong addr, ulong length, int prot, string name);

    /// <summary>Change protection of an existing range.</summary>
    void Protect(ulong addr, ulong length, int prot);

    /// <summary>A free, page-aligned range of <paramref name="length"/> bytes, top-down from the mmap area.</summary>
    ulong FindFree(ulong length);

    /// <summary>Write bytes into guest memory regardless of protection (loader use only).</summary>
    void Poke(ulong addr, ReadOnlySpan<byte> bytes);
}

/// <summary>Guest protection bits, as in mmap(2).</summary>
public static class Prot
{
    public const int None = 0, Read = 1, Write = 2, Exec = 4;

    public static int FromSegmentFlags(uint pf) =>
        ((pf & ProgramHeader.PF_R) != 0 ? Read : 0) | ((pf & ProgramHeader.PF_W) != 0 ? Write : 0) | ((pf & ProgramHeader.PF_X) != 0 ? Exec : 0);
}
