// The in-memory form of a resident snapshot (see docs/snapshot-format.md). Pure data: the
// Kernel captures a process into it and restores a process from it; SnapshotWriter and
// SnapshotReader turn it into bytes and back. Invariant: nothing here holds the registering
// run's argv, environment strings (other than the keyed LD_*/GLIBC_TUNABLES values) or
// AT_RANDOM bytes; page images have the stack canary and pointer guard words zeroed.
namespace Jitexec.Snapshot;

/// <summary>Identity of one file the snapshot depends on. Exists=false records that the file was absent.</summary>
public sealed record ManifestEntry(string Path, bool Exists, ulong Device, ulong Inode, ulong Size, long MtimeSec, long MtimeNsec);

/// <summary>Who ran the registering process: a restore must run as the same identity.</summary>
public sealed record IdentityInfo(uint Uid, uint Euid, uint Gid, uint Egid, bool Secure, ulong StackLimit);

public enum RegionKind : byte { Anonymous = 0, File = 1, Stack = 2 }

/// <summary>A run of consecutive dirty pages stored as one LZ4 image (offsets into the pages section).</summary>
public sealed record Extent(ulong Address, uint Pages, ulong BlobOffset, uint BlobLength, ulong Hash);

/// <summary>One guest mapping. File regions are mapped from Manifest[FileIndex] at FileOffset, then Extents overwrite dirty pages.</summary>
public sealed record Region(ulong Start, ulong End, int Prot, RegionKind Kind, string Name, int FileIndex, ulong FileOffset,
    ulong Device, ulong Inode, IReadOnlyList<Extent> Extents)
{
    public ulong Length => End - Start;
}

/// <summary>Where a relocated pointer pointed in the registering run's initial stack.</summary>
public enum StackPart : byte
{
    Argc = 0, ArgvVector = 1, EnvpVector = 2, AuxVector = 3, Random = 4, Platform = 5,
    ArgString = 6, EnvString = 7, ExecFn = 8,
}

/// <summary>An 8-byte word at Address that pointed into Part (element Index, byte Offset). EnvString uses Name instead of Index.</summary>
public sealed record PointerReloc(ulong Address, StackPart Part, int Index, ulong Offset, string Name);

/// <summary>Secret words re-drawn on every restore (zeroed in the page images).</summary>
public enum SecretKind : byte { StackCanary = 0, PointerGuard = 1 }

public sealed record SecretWord(ulong Address, SecretKind Kind);

public sealed class CpuState
{
    public ulong[] Gpr = new ulong[16];
    public ulong Rip, Rflags, FsBase, GsBase;
    public ulong[] Xmm = new ulong[32]; // lo, hi per register
    public uint Mxcsr;
    public ulong[] StMantissa = new ulong[8];
    public ushort[] StSignExp = new ushort[8];
    public ushort FpuControl, FpuStatus;
    public int FpuTop;
    public byte FpuTagValid;
}

/// <summary>A non-default signal action as rt_sigaction stores it.</summary>
public readonly record struct SignalAction(int Signal, ulong Handler, ulong Flags, ulong Restorer, ulong Mask);

// Arrays of our own structs (or of tuples CoreLib itself instantiates, like (ulong, ulong)), never
// List<T>, LINQ, Array.Empty<T> or a new ValueTuple over value types: CoreLib's generic code
// instantiated over value types it does not use itself cannot be precompiled (ReadyToRun) and
// would be JIT-compiled on every restore.
public sealed class KernelState
{
    public ulong BrkStart, Brk, ClearChildTid;
    /// <summary>%rsp at the snapshot point: argc of the rebuilt stack goes here.</summary>
    public ulong Rsp;
    /// <summary>Stack mapping; only [Rsp, StackEnd) is rebuilt, nothing of the old stack is stored.</summary>
    public ulong StackStart, StackEnd;
    public int StackProt;
    /// <summary>Auxiliary vector in order; AT_RANDOM, AT_EXECFN and AT_PLATFORM values are recomputed (stored as 0).</summary>
    public (ulong Key, ulong Value)[] Aux = new (ulong, ulong)[0]; // not [] : Array.Empty<tuple> is JIT-compiled on every restore
    public ulong SignalMask;
    /// <summary>Non-default signal actions, by increasing signal number.</summary>
    public SignalAction[] SignalActions = new SignalAction[0];
}

public sealed class SnapshotImage
{
    /// <summary>2: hot-code profile in its own section (1 had an always-empty list in Kernel).</summary>
    public const uint CurrentFormatVersion = 2;

    // Not Array.Empty<byte>(): that instantiation is JIT-compiled at run time (no ReadyToRun code).
    private static readonly byte[] NoBytes = new byte[0];

    public uint FormatVersion = CurrentFormatVersion;
    public string BuildId = "";
    public string CpuProfile = "";
    /// <summary>Absolute path of the ELF that was executed (the snapshot's key).</summary>
    public string ProgramPath = "";
    public long CreatedUnixMs;
    public uint PageSize = 4096;
    /// <summary>Snapshot point kind: "dl_start_user" or "at_entry".</summary>
    public string Point = "";
    public IdentityInfo Identity = new(0, 0, 0, 0, false, 0);
    public List<ManifestEntry> Manifest = new();
    /// <summary>The relevant environment (LD_*, GLIBC_TUNABLES), sorted by name.</summary>
    public (string Name, string Value)[] Environment = new (string, string)[0];
    public List<Region> Regions = new();
    public CpuState Cpu = new();
    public KernelState Kernel = new();
    public List<PointerReloc> Relocations = new();
    public List<SecretWord> Secrets = new();
    /// <summary>Concatenated LZ4 page images; Extents point into it (a slice of the file buffer when read: no copy).</summary>
    public ReadOnlyMemory<byte> Pages = NoBytes;
    /// <summary>Where Pages starts inside the file it was read from (for show/verify), else 0.</summary>
    public long PagesFileOffset;
    /// <summary>The Profile section as stored (checksum verified; parsed only when used: ReadProfile).</summary>
    public ReadOnlyMemory<byte> ProfileData = NoBytes;

    /// <summary>The hot-code profile (empty when none). Throws SnapshotFormatException if the section is malformed.</summary>
    public HotProfile ReadProfile() => ProfileData.IsEmpty ? new HotProfile() : HotProfile.Parse(ProfileData.Span);
}
