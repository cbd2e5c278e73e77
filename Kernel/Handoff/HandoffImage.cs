// The whole state of a running guest process, as one jitexec build hands it to another in
// the same host process (Handoff.cs; execve keeps the pid, the host descriptors the guest
// owns, cwd, umask and host timers). Unlike a resident snapshot it is taken at any block
// boundary, keeps everything verbatim (stack, argv, environment, AT_RANDOM, secrets, open
// descriptors) and never touches a disk: it lives in a memfd that only the next build reads,
// once, moments later. So there is no relocation, no validation of a foreign past and no
// compression; the header still names the format and the build that wrote it.
// Layout (little endian, BinaryWriter encoding): magic, version, build id, exe path, argv,
// envp, CPU, kernel state, the resident snapshot's profile, block execution counts,
// descriptors, mappings with their dirty pages (raw bytes).
namespace Jitexec.Kernel.Handoff;

public sealed class HandoffImage
{
    public const string Magic = "jitexec-handoff";
    public const int Version = 1;

    public string BuildId = "";
    public string ExePath = "";
    public List<byte[]> Argv = [], Envp = [];

    public Snapshot.CpuState Cpu = new(); // encoded as a snapshot's Cpu section
    public ulong InstructionsRetired;

    // Kernel
    public ulong BrkStart, Brk, ClearChildTid, RseqArea;
    public uint RseqLength, RseqSignature;
    public ulong SignalMask, AltStackSp, AltStackFlags, AltStackSize;
    public ulong[] SignalActions = new ulong[(Signals.SignalState.Count + 1) * 4];
    public ulong[] Limits = new ulong[Process.Resources.Count * 2];
    public bool NoFileSeeded;
    public ulong StackRsp, StackAreaLow, StackAreaHigh, StackRandom;
    public List<(ulong Key, ulong Value)> Aux = [];

    /// <summary>Interpreted execution counts per block start (Engine.ExecCounts), so the JIT build compiles
    /// the code that made the program hot at once instead of counting again.</summary>
    public List<(ulong Start, ulong Count)> ExecCounts = [];
    /// <summary>A --resident run that restored from or registered a snapshot: the JIT build applies the
    /// snapshot's hot-code profile (as it was when the run started) and merges its units into it at the end.</summary>
    public bool ResidentSnapshot;
    public byte[] ResidentProfile = [];
    public List<Descriptor> Fds = [];
    public List<Mapping> Mappings = [];

    /// <param name="HostCloExec">the host descriptor's FD_CLOEXEC before the hand-off cleared it (to survive execve)</param>
    public sealed record Descriptor(int GuestFd, int HostFd, bool CloExec, bool HostCloExec, string? Path, bool FdDir,
        List<(string Name, byte Type)>? Listing, int ListingPos);

    /// <summary>A guest mapping and its pages that differ from what mapping it afresh gives (file
    /// pages a write copied, anonymous pages ever touched), as runs of whole pages.</summary>
    /// <param name="Shared">a shared file mapping: its contents live in the file, so it has no dirty pages</param>
    public sealed record Mapping(ulong Start, ulong End, int Prot, bool Shared, string Name, ulong Offset, ulong Device, ulong Inode, List<(ulong Address, byte[] Bytes)> Dirty);

    public void Write(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Magic); w.Write(Version); w.Write(BuildId); w.Write(ExePath);
        WriteList(w, Argv); WriteList(w, Envp);
        var cpu = Snapshot.SnapshotFile.EncodeCpu(Cpu);
        w.Write(cpu.Length); w.Write(cpu); w.Write(InstructionsRetired);
        w.Write(BrkStart); w.Write(Brk); w.Write(ClearChildTid); w.Write(RseqArea); w.Write(RseqLength); w.Write(RseqSignature);
        w.Write(SignalMask); w.Write(AltStackSp); w.Write(AltStackFlags); w.Write(AltStackSize);
        foreach (var x in SignalActions) w.Write(x);
        foreach (var x in Limits) w.Write(x);
        w.Write(NoFileSeeded);
        w.Write(StackRsp); w.Write(StackAreaLow); w.Write(StackAreaHigh); w.Write(StackRandom);
        w.Write(Aux.Count);
        foreach (var (k, v) in Aux) { w.Write(k); w.Write(v); }
        w.Write(ResidentSnapshot); w.Write(ResidentProfile.Length); w.Write(ResidentProfile);
        w.Write(ExecCounts.Count);
        foreach (var (a, n) in ExecCounts) { w.Write(a); w.Write(n); }
        w.Write(Fds.Count);
        foreach (var d in Fds)
        {
            w.Write(d.GuestFd); w.Write(d.HostFd); w.Write(d.CloExec); w.Write(d.HostCloExec);
            w.Write(d.Path != null); if (d.Path != null) w.Write(d.Path);
            w.Write(d.FdDir); w.Write(d.ListingPos);
            w.Write(d.Listing?.Count ?? -1);
            foreach (var (n, t) in d.Listing ?? []) { w.Write(n); w.Write(t); }
        }
        w.Write(Mappings.Count);
        foreach (var m in Mappings)
        {
            w.Write(m.Start); w.Write(m.End); w.Write(m.Prot); w.Write(m.Shared); w.Write(m.Name); w.Write(m.Offset); w.Write(m.Device); w.Write(m.Inode);
            w.Write(m.Dirty.Count);
            foreach (var (a, bytes) in m.Dirty) { w.Write(a); w.Write(bytes.Length); w.Write(bytes); }
        }
        w.Write(Magic); // end marker: a short read cannot pass for a whole image
    }

    /// <exception cref="InvalidDataException">not a hand-off image of this format version</exception>
    /// <exception cref="Snapshot.SnapshotFormatException">its CPU part is damaged</exception>
    public static HandoffImage Read(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadString() != Magic) throw new InvalidDataException("not a jitexec hand-off image");
        int version = r.ReadInt32();
        if (version != Version) throw new InvalidDataException($"hand-off image version {version}, this build reads {Version}");
        var h = new HandoffImage { BuildId = r.ReadString(), ExePath = r.ReadString(), Argv = ReadList(r), Envp = ReadList(r) };
        Snapshot.SnapshotFile.DecodeCpu(h.Cpu, r.ReadBytes(Count(r)));
        h.InstructionsRetired = r.ReadUInt64();
        h.BrkStart = r.ReadUInt64(); h.Brk = r.ReadUInt64(); h.ClearChildTid = r.ReadUInt64(); h.RseqArea = r.ReadUInt64();
        h.RseqLength = r.ReadUInt32(); h.RseqSignature = r.ReadUInt32();
        h.SignalMask = r.ReadUInt64(); h.AltStackSp = r.ReadUInt64(); h.AltStackFlags = r.ReadUInt64(); h.AltStackSize = r.ReadUInt64();
        for (int i = 0; i < h.SignalActions.Length; i++) h.SignalActions[i] = r.ReadUInt64();
        for (int i = 0; i < h.Limits.Length; i++) h.Limits[i] = r.ReadUInt64();
        h.NoFileSeeded = r.ReadBoolean();
        h.StackRsp = r.ReadUInt64(); h.StackAreaLow = r.ReadUInt64(); h.StackAreaHigh = r.ReadUInt64(); h.StackRandom = r.ReadUInt64();
        for (int n = Count(r); n > 0; n--) h.Aux.Add((r.ReadUInt64(), r.ReadUInt64()));
        h.ResidentSnapshot = r.ReadBoolean();
        h.ResidentProfile = r.ReadBytes(Count(r));
        for (int n = Count(r); n > 0; n--) h.ExecCounts.Add((r.ReadUInt64(), r.ReadUInt64()));
        for (int n = Count(r); n > 0; n--)
        {
            int guest = r.ReadInt32(), host = r.ReadInt32();
            bool cloExec = r.ReadBoolean(), hostCloExec = r.ReadBoolean();
            string? path = r.ReadBoolean() ? r.ReadString() : null;
            bool fdDir = r.ReadBoolean();
            int pos = r.ReadInt32(), listed = r.ReadInt32();
            List<(string, byte)>? listing = listed < 0 ? null : [];
            for (int i = 0; i < listed; i++) listing!.Add((r.ReadString(), r.ReadByte()));
            h.Fds.Add(new Descriptor(guest, host, cloExec, hostCloExec, path, fdDir, listing, pos));
        }
        for (int n = Count(r); n > 0; n--)
        {
            var m = new Mapping(r.ReadUInt64(), r.ReadUInt64(), r.ReadInt32(), r.ReadBoolean(), r.ReadString(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), []);
            for (int k = Count(r); k > 0; k--) m.Dirty.Add((r.ReadUInt64(), r.ReadBytes(Count(r))));
            h.Mappings.Add(m);
        }
        if (r.ReadString() != Magic) throw new InvalidDataException("hand-off image is truncated");
        return h;
    }

    private static int Count(BinaryReader r)
    {
        int n = r.ReadInt32();
        return n >= 0 ? n : throw new InvalidDataException("hand-off image is corrupt");
    }

    private static void WriteList(BinaryWriter w, List<byte[]> list)
    {
        w.Write(list.Count);
        foreach (var b in list) { w.Write(b.Length); w.Write(b); }
    }

    private static List<byte[]> ReadList(BinaryReader r)
    {
        var list = new List<byte[]>();
        for (int n = Count(r); n > 0; n--) list.Add(r.ReadBytes(Count(r)));
        return list;
    }
}
