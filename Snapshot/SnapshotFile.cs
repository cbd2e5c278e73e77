// Serialises a SnapshotImage to the on-disk format and parses it back, verifying the
// header checksum, every section checksum and the table structure. Layout (all little
// endian; details in docs/snapshot-format.md):
//   0  "JXRESNAP"  8  u32 format version  12 u32 section count  16 u64 file length
//   24 u64 header hash (XxHash64 over bytes 0..24 and the section table)
//   32 section table: count x { u32 id, u32 0, u64 offset, u64 length, u64 XxHash64 }
//   then the sections: page images, then the hot-code profile last (rewritten by ReplaceProfile).
using System.IO.Hashing;
using System.Text;

namespace Jitexec.Snapshot;

public static class SnapshotFile
{
    public static ReadOnlySpan<byte> Magic => "JXRESNAP"u8;
    public const int HeaderSize = 32, SectionEntrySize = 32;

    public enum Section : uint { Meta = 1, Manifest = 2, Environment = 3, Regions = 4, Cpu = 5, Kernel = 6, Relocations = 7, Secrets = 8, Pages = 9, Profile = 10 }

    public static ulong Hash(ReadOnlySpan<byte> data) => XxHash64.HashToUInt64(data);

    // --- writing ---------------------------------------------------------------------------

    public static byte[] Write(SnapshotImage s)
    {
        var sections = new List<SectionData>
        {
            new(Section.Meta, Meta(s)), new(Section.Manifest, Manifest(s)), new(Section.Environment, Env(s)),
            new(Section.Regions, Regions(s)), new(Section.Cpu, EncodeCpu(s.Cpu)), new(Section.Kernel, Kernel(s.Kernel)),
            new(Section.Relocations, Relocs(s)), new(Section.Secrets, Secrets(s)), new(Section.Pages, s.Pages.ToArray()),
            new(Section.Profile, s.ProfileData.IsEmpty ? new HotProfile().Serialize() : s.ProfileData.ToArray()),
        };
        return Assemble(s.FormatVersion, sections);
    }

    // A class, not a value tuple: List<value type> cannot be precompiled (ReadyToRun) and was
    // JIT-compiled on every registration (and on the restore rehearsal's serialisation).
    private sealed record SectionData(Section Id, byte[] Data);

    private static byte[] Assemble(uint version, List<SectionData> sections)
    {
        int tableEnd = HeaderSize + sections.Count * SectionEntrySize;
        long total = tableEnd;
        foreach (var x in sections) total += x.Data.Length;
        var file = new byte[total];
        Magic.CopyTo(file);
        BitConverter.TryWriteBytes(file.AsSpan(8), version);
        BitConverter.TryWriteBytes(file.AsSpan(12), (uint)sections.Count);
        BitConverter.TryWriteBytes(file.AsSpan(16), (ulong)total);
        long at = tableEnd;
        for (int i = 0; i < sections.Count; i++)
        {
            var e = file.AsSpan(HeaderSize + i * SectionEntrySize);
            BitConverter.TryWriteBytes(e, (uint)sections[i].Id);
            BitConverter.TryWriteBytes(e[8..], (ulong)at);
            BitConverter.TryWriteBytes(e[16..], (ulong)sections[i].Data.Length);
            BitConverter.TryWriteBytes(e[24..], Hash(sections[i].Data));
            sections[i].Data.CopyTo(file, at);
            at += sections[i].Data.Length;
        }
        BitConverter.TryWriteBytes(file.AsSpan(24), HeaderHash(file, sections.Count));
        return file;
    }

    private static ulong HeaderHash(ReadOnlySpan<byte> file, int count)
    {
        var h = new XxHash64();
        h.Append(file[..24]);
        h.Append(file.Slice(HeaderSize, count * SectionEntrySize));
        return h.GetCurrentHashAsUInt64();
    }

    private static byte[] Meta(SnapshotImage s)
    {
        var w = new ByteWriter();
        w.Str(s.BuildId); w.Str(s.CpuProfile); w.Str(s.ProgramPath); w.I64(s.CreatedUnixMs); w.U32(s.PageSize); w.Str(s.Point);
        var id = s.Identity;
        w.U32(id.Uid); w.U32(id.Euid); w.U32(id.Gid); w.U32(id.Egid); w.U8(id.Secure ? (byte)1 : (byte)0); w.U64(id.StackLimit);
        return w.ToArray();
    }

    private static byte[] Manifest(SnapshotImage s)
    {
        var w = new ByteWriter();
        w.U32((uint)s.Manifest.Count);
        foreach (var m in s.Manifest)
        {
            w.Str(m.Path); w.U8(m.Exists ? (byte)1 : (byte)0); w.U64(m.Device); w.U64(m.Inode); w.U64(m.Size); w.I64(m.MtimeSec); w.I64(m.MtimeNsec);
        }
        return w.ToArray();
    }

    private static byte[] Env(SnapshotImage s)
    {
        var w = new ByteWriter();
        w.U32((uint)s.Environment.Length);
        foreach (var (n, v) in s.Environment) { w.Str(n); w.Str(v); }
        return w.ToArray();
    }

    private static byte[] Regions(SnapshotImage s)
    {
        var w = new ByteWriter();
        w.U32((uint)s.Regions.Count);
        foreach (var r in s.Regions)
        {
            w.U64(r.Start); w.U64(r.End); w.I32(r.Prot); w.U8((byte)r.Kind); w.Str(r.Name); w.I32(r.FileIndex); w.U64(r.FileOffset);
            w.U64(r.Device); w.U64(r.Inode);
            w.U32((uint)r.Extents.Count);
            foreach (var e in r.Extents) { w.U64(e.Address); w.U32(e.Pages); w.U64(e.BlobOffset); w.U32(e.BlobLength); w.U64(e.Hash); }
        }
        return w.ToArray();
    }

    /// <summary>The Cpu section's bytes (also the CPU part of a hand-off image).</summary>
    public static byte[] EncodeCpu(CpuState c)
    {
        var w = new ByteWriter();
        foreach (var g in c.Gpr) w.U64(g);
        w.U64(c.Rip); w.U64(c.Rflags); w.U64(c.FsBase); w.U64(c.GsBase);
        foreach (var x in c.Xmm) w.U64(x);
        w.U32(c.Mxcsr);
        for (int i = 0; i < 8; i++) { w.U64(c.StMantissa[i]); w.U16(c.StSignExp[i]); }
        w.U16(c.FpuControl); w.U16(c.FpuStatus); w.I32(c.FpuTop); w.U8(c.FpuTagValid);
        return w.ToArray();
    }

    private static byte[] Kernel(KernelState k)
    {
        var w = new ByteWriter();
        w.U64(k.BrkStart); w.U64(k.Brk); w.U64(k.ClearChildTid); w.U64(k.Rsp); w.U64(k.StackStart); w.U64(k.StackEnd); w.I32(k.StackProt);
        w.U32((uint)k.Aux.Length);
        foreach (var (key, v) in k.Aux) { w.U64(key); w.U64(v); }
        w.U64(k.SignalMask);
        w.U32((uint)k.SignalActions.Length);
        foreach (var a in k.SignalActions) { w.I32(a.Signal); w.U64(a.Handler); w.U64(a.Flags); w.U64(a.Restorer); w.U64(a.Mask); }
        return w.ToArray();
    }

    private static byte[] Relocs(SnapshotImage s)
    {
        var w = new ByteWriter();
        w.U32((uint)s.Relocations.Count);
        foreach (var r in s.Relocations) { w.U64(r.Address); w.U8((byte)r.Part); w.I32(r.Index); w.U64(r.Offset); w.Str(r.Name); }
        return w.ToArray();
    }

    private static byte[] Secrets(SnapshotImage s)
    {
        var w = new ByteWriter();
        w.U32((uint)s.Secrets.Count);
        foreach (var x in s.Secrets) { w.U64(x.Address); w.U8((byte)x.Kind); }
        return w.ToArray();
    }

    // --- reading ---------------------------------------------------------------------------

    /// <summary>Parse and verify a snapshot file. Throws SnapshotFormatException (with the reason) on any defect.</summary>
    public static SnapshotImage Read(byte[] file)
    {
        if (file.Length < HeaderSize) throw new SnapshotFormatException("file is truncated (shorter than the header)");
        if (!file.AsSpan(0, 8).SequenceEqual(Magic)) throw new SnapshotFormatException("not a jitexec snapshot (bad magic)");
        uint version = BitConverter.ToUInt32(file, 8);
        if (version != SnapshotImage.CurrentFormatVersion)
            throw new SnapshotFormatException($"format version {version}, this jitexec reads version {SnapshotImage.CurrentFormatVersion}");
        uint count = BitConverter.ToUInt32(file, 12);
        if (count is 0 or > 64) throw new SnapshotFormatException($"implausible section count {count}");
        ulong length = BitConverter.ToUInt64(file, 16);
        if (length != (ulong)file.Length) throw new SnapshotFormatException($"file is {file.Length} bytes, header says {length} (truncated or extended)");
        if (HeaderSize + count * SectionEntrySize > file.Length) throw new SnapshotFormatException("section table is truncated");
        if (BitConverter.ToUInt64(file, 24) != HeaderHash(file, (int)count)) throw new SnapshotFormatException("header checksum mismatch");
        // Indexed by section id (arrays, not a Dictionary over a value type: no JIT on the restore path).
        var offsets = new int[16];
        var lengths = new int[16];
        var present = new bool[16];
        for (int i = 0; i < count; i++)
        {
            int e = HeaderSize + i * SectionEntrySize;
            var id = (Section)BitConverter.ToUInt32(file, e);
            ulong off = BitConverter.ToUInt64(file, e + 8), len = BitConverter.ToUInt64(file, e + 16), hash = BitConverter.ToUInt64(file, e + 24);
            if (off > (ulong)file.Length || len > (ulong)file.Length - off) throw new SnapshotFormatException($"section {id} lies outside the file");
            if (Hash(file.AsSpan((int)off, (int)len)) != hash) throw new SnapshotFormatException($"checksum mismatch in section {id}");
            if ((uint)id < 16) { offsets[(int)id] = (int)off; lengths[(int)id] = (int)len; present[(int)id] = true; }
        }
        ReadOnlySpan<byte> Get(Section id) => present[(int)id]
            ? file.AsSpan(offsets[(int)id], lengths[(int)id]) : throw new SnapshotFormatException($"section {id} is missing");
        var s = new SnapshotImage { FormatVersion = version };
        ReadMeta(s, Get(Section.Meta));
        ReadManifest(s, Get(Section.Manifest));
        ReadEnv(s, Get(Section.Environment));
        ReadRegions(s, Get(Section.Regions));
        DecodeCpu(s.Cpu, Get(Section.Cpu));
        ReadKernel(s.Kernel, Get(Section.Kernel));
        ReadRelocs(s, Get(Section.Relocations));
        ReadSecrets(s, Get(Section.Secrets));
        _ = Get(Section.Profile); // required (parsed when used)
        s.Pages = file.AsMemory(offsets[(int)Section.Pages], lengths[(int)Section.Pages]);
        s.PagesFileOffset = offsets[(int)Section.Pages];
        s.ProfileData = file.AsMemory(offsets[(int)Section.Profile], lengths[(int)Section.Profile]);
        foreach (var r in s.Regions)
            foreach (var x in r.Extents)
                if (x.BlobOffset > (ulong)s.Pages.Length || x.BlobLength > (ulong)s.Pages.Length - x.BlobOffset)
                    throw new SnapshotFormatException($"page image at {x.Address:x} lies outside the pages section");
        return s;
    }

    private static void ReadMeta(SnapshotImage s, ReadOnlySpan<byte> d)
    {
        var r = new ByteReader(d, "meta");
        s.BuildId = r.Str(); s.CpuProfile = r.Str(); s.ProgramPath = r.Str(); s.CreatedUnixMs = r.I64(); s.PageSize = r.U32(); s.Point = r.Str();
        s.Identity = new IdentityInfo(r.U32(), r.U32(), r.U32(), r.U32(), r.U8() != 0, r.U64());
        r.End();
    }

    private static void ReadManifest(SnapshotImage s, ReadOnlySpan<byte> d)
    {
        var r = new ByteReader(d, "manifest");
        int n = r.Count(1 << 16);
        for (int i = 0; i < n; i++) s.Manifest.Add(new ManifestEntry(r.Str(), r.U8() != 0, r.U64(), r.U64(), r.U64(), r.I64(), r.I64()));
        r.End();
    }

    private static void ReadEnv(SnapshotImage s, ReadOnlySpan<byte> d)
    {
        var r = new ByteReader(d, "environment");
        int n = r.Count(1 << 16);
        s.Environment = new (string, string)[n];
        for (int i = 0; i < n; i++) s.Environment[i] = (r.Str(), r.Str());
        r.End();
    }

    private static void ReadRegions(SnapshotImage s, ReadOnlySpan<byte> d)
    {
        var r = new ByteReader(d, "regions");
        int n = r.Count(1 << 20);
        for (int i = 0; i < n; i++)
        {
            ulong start = r.U64(), end = r.U64();
            int prot = r.I32();
            var kind = (RegionKind)r.U8();
            string name = r.Str();
            int fi = r.I32();
            ulong fo = r.U64(), dev = r.U64(), ino = r.U64();
            int ne = r.Count();
            var ext = new List<Extent>(ne);
            for (int j = 0; j < ne; j++) ext.Add(new Extent(r.U64(), r.U32(), r.U64(), r.U32(), r.U64()));
            if (end <= start || (start | end) % s.PageSize != 0 || kind > RegionKind.Stack || (kind == RegionKind.File && (fi < 0 || fi >= s.Manifest.Count)))
                throw new SnapshotFormatException($"malformed region {start:x}-{end:x}");
            foreach (var x in ext)
                if (x.Address < start || x.Address % s.PageSize != 0 || x.Pages == 0 || x.Pages > (end - x.Address) / s.PageSize)
                    throw new SnapshotFormatException($"malformed page image at {x.Address:x} in region {start:x}-{end:x}");
            s.Regions.Add(new Region(start, end, prot, kind, name, fi, fo, dev, ino, ext));
        }
        r.End();
    }

    /// <exception cref="SnapshotFormatException">not a whole Cpu section</exception>
    public static void DecodeCpu(CpuState c, ReadOnlySpan<byte> d)
    {
        var r = new ByteReader(d, "cpu");
        for (int i = 0; i < 16; i++) c.Gpr[i] = r.U64();
        c.Rip = r.U64(); c.Rflags = r.U64(); c.FsBase = r.U64(); c.GsBase = r.U64();
        for (int i = 0; i < 32; i++) c.Xmm[i] = r.U64();
        c.Mxcsr = r.U32();
        for (int i = 0; i < 8; i++) { c.StMantissa[i] = r.U64(); c.StSignExp[i] = r.U16(); }
        c.FpuControl = r.U16(); c.FpuStatus = r.U16(); c.FpuTop = r.I32(); c.FpuTagValid = r.U8();
        r.End();
    }

    private static void ReadKernel(KernelState k, ReadOnlySpan<byte> d)
    {
        var r = new ByteReader(d, "kernel");
        k.BrkStart = r.U64(); k.Brk = r.U64(); k.ClearChildTid = r.U64(); k.Rsp = r.U64(); k.StackStart = r.U64(); k.StackEnd = r.U64(); k.StackProt = r.I32();
        int n = r.Count(256);
        k.Aux = new (ulong, ulong)[n];
        for (int i = 0; i < n; i++) k.Aux[i] = (r.U64(), r.U64());
        k.SignalMask = r.U64();
        n = r.Count(65);
        k.SignalActions = new SignalAction[n];
        for (int i = 0; i < n; i++) k.SignalActions[i] = new SignalAction(r.I32(), r.U64(), r.U64(), r.U64(), r.U64());
        r.End();
    }

    private static void ReadRelocs(SnapshotImage s, ReadOnlySpan<byte> d)
    {
        var r = new ByteReader(d, "relocations");
        int n = r.Count();
        for (int i = 0; i < n; i++) s.Relocations.Add(new PointerReloc(r.U64(), (StackPart)r.U8(), r.I32(), r.U64(), r.Str()));
        r.End();
    }

    private static void ReadSecrets(SnapshotImage s, ReadOnlySpan<byte> d)
    {
        var r = new ByteReader(d, "secrets");
        int n = r.Count();
        for (int i = 0; i < n; i++) s.Secrets.Add(new SecretWord(r.U64(), (SecretKind)r.U8()));
        r.End();
    }

    /// <summary>The same snapshot with another Profile section: <paramref name="file"/> is verified
    /// completely (Read) and every other section is copied byte for byte (so their checksums do not change).</summary>
    public static byte[] ReplaceProfile(byte[] file, byte[] profile)
    {
        var img = Read(file);
        uint count = BitConverter.ToUInt32(file, 12);
        var sections = new List<SectionData>();
        for (int i = 0; i < count; i++)
        {
            int e = HeaderSize + i * SectionEntrySize;
            var id = (Section)BitConverter.ToUInt32(file, e);
            if (id == Section.Profile) continue;
            sections.Add(new(id, file.AsSpan((int)BitConverter.ToUInt64(file, e + 8), (int)BitConverter.ToUInt64(file, e + 16)).ToArray()));
        }
        sections.Add(new(Section.Profile, profile));
        return Assemble(img.FormatVersion, sections);
    }

    /// <summary>Section table of a file (for `resident show`): id, offset, length. No verification.</summary>
    public static IReadOnlyList<(string Name, ulong Offset, ulong Length)> Sections(byte[] file)
    {
        var list = new List<(string, ulong, ulong)>();
        if (file.Length < HeaderSize) return list;
        uint count = Math.Min(BitConverter.ToUInt32(file, 12), 64);
        for (int i = 0; i < count && HeaderSize + (i + 1) * SectionEntrySize <= file.Length; i++)
        {
            int e = HeaderSize + i * SectionEntrySize;
            list.Add((((Section)BitConverter.ToUInt32(file, e)).ToString(), BitConverter.ToUInt64(file, e + 8), BitConverter.ToUInt64(file, e + 16)));
        }
        return list;
    }

    /// <summary>Does the file's Meta section name <paramref name="point"/> as its snapshot point? Read without
    /// any verification (false when the file does not have that shape): only a hint, e.g. for deciding
    /// whether a restore is worth warming up before Read has checked the file. Never throws. The Meta
    /// section is parsed by ReadMeta, as in Read (whose string decoding avoids Encoding.UTF8's first-use
    /// cost for ASCII), so its layout is defined once.</summary>
    public static bool PointIs(byte[] file, string point)
    {
        if (file.Length < HeaderSize || !file.AsSpan(0, 8).SequenceEqual(Magic)) return false;
        uint count = Math.Min(BitConverter.ToUInt32(file, 12), 64);
        for (int i = 0; i < count && HeaderSize + (i + 1) * SectionEntrySize <= file.Length; i++)
        {
            int e = HeaderSize + i * SectionEntrySize;
            if (BitConverter.ToUInt32(file, e) != (uint)Section.Meta) continue;
            ulong off = BitConverter.ToUInt64(file, e + 8), len = BitConverter.ToUInt64(file, e + 16);
            if (off > (ulong)file.Length || len > (ulong)file.Length - off) return false;
            var meta = new SnapshotImage();
            try { ReadMeta(meta, file.AsSpan((int)off, (int)len)); }
            catch (SnapshotFormatException) { return false; }
            return meta.Point == point;
        }
        return false;
    }

    internal static string Utf8(ReadOnlySpan<byte> b) => Encoding.UTF8.GetString(b);
}
