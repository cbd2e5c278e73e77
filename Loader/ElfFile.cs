// ELF64 header and program-header parsing with validation. Rejects anything the Linux
// kernel would refuse to exec on x86-64 (ENOEXEC), with a reason for diagnostics.
using System.Buffers.Binary;

namespace Jitexec.Loader;

public enum ElfType : ushort { Rel = 1, Exec = 2, Dyn = 3, Core = 4 }

public static class PhType
{
    public const uint Load = 1, Dynamic = 2, Interp = 3, Note = 4, Phdr = 6, Tls = 7,
        GnuEhFrame = 0x6474e550, GnuStack = 0x6474e551, GnuRelro = 0x6474e552, GnuProperty = 0x6474e553;
}

public readonly record struct ProgramHeader(uint Type, uint Flags, ulong Offset, ulong VAddr, ulong FileSize, ulong MemSize, ulong Align)
{
    public const uint PF_X = 1, PF_W = 2, PF_R = 4;
}

/// <summary>Why a file cannot be executed; the shell-visible message is the same for all (Exec format error).</summary>
public sealed class ElfFormatException(string reason) : Exception(reason);

public sealed class ElfFile
{
    public const ushort MachineX86_64 = 62;
    public const int PhentSize = 56;

    public string Path { get; }
    public ElfType Type { get; }
    public ulong Entry { get; }
    public ulong PhOff { get; }
    /// <summary>The program header table (an array: List&lt;ProgramHeader&gt; or an interface over it would have
    /// no ReadyToRun code for this value type, and every start would compile their methods).</summary>
    public ProgramHeader[] ProgramHeaders { get; }
    public string? Interpreter { get; }

    private ElfFile(string path, ElfType type, ulong entry, ulong phoff, ProgramHeader[] phdrs, string? interp)
    {
        Path = path; Type = type; Entry = entry; PhOff = phoff; ProgramHeaders = phdrs; Interpreter = interp;
    }

    /// <summary>Parse the ELF file at <paramref name="path"/>. Throws ElfFormatException for non-executable formats and IOException for I/O errors.</summary>
    public static ElfFile Read(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
        return Read(path, fs);
    }

    public static ElfFile Read(string path, Stream fs)
    {
        var h = new byte[64];
        int n = ReadAt(fs, 0, h);
        if (n < 4 || h[0] != 0x7F || h[1] != (byte)'E' || h[2] != (byte)'L' || h[3] != (byte)'F')
            throw new ElfFormatException("not an ELF file");
        if (n < 64) throw new ElfFormatException("truncated ELF header");
        if (h[4] != 2) throw new ElfFormatException("not a 64-bit ELF file");
        if (h[5] != 1) throw new ElfFormatException("not a little-endian ELF file");
        var type = (ElfType)BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(16));
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(18));
        if (machine != MachineX86_64) throw new ElfFormatException($"ELF machine {machine} is not x86-64");
        if (type != ElfType.Exec && type != ElfType.Dyn) throw new ElfFormatException($"ELF type {(ushort)type} is not executable");
        ulong entry = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(24));
        ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(32));
        ushort phentsize = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(54));
        ushort phnum = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(56));
        if (phentsize != PhentSize || phnum == 0 || phnum > 512) throw new ElfFormatException("bad program header table");
        var table = new byte[phnum * PhentSize];
        if (ReadAt(fs, (long)phoff, table) != table.Length) throw new ElfFormatException("truncated program header table");
        var phdrs = new ProgramHeader[phnum];
        string? interp = null;
        for (int i = 0; i < phnum; i++)
        {
            var e = table.AsSpan(i * PhentSize, PhentSize);
            var ph = new ProgramHeader(
                BinaryPrimitives.ReadUInt32LittleEndian(e), BinaryPrimitives.ReadUInt32LittleEndian(e[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(e[8..]), BinaryPrimitives.ReadUInt64LittleEndian(e[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(e[32..]), BinaryPrimitives.ReadUInt64LittleEndian(e[40..]),
                BinaryPrimitives.ReadUInt64LittleEndian(e[48..]));
            if (ph.Type == PhType.Load && (ph.FileSize > ph.MemSize || (ph.VAddr & 0xFFF) != (ph.Offset & 0xFFF)))
                throw new ElfFormatException("malformed PT_LOAD segment");
            if (ph.Type == PhType.Interp)
            {
                if (ph.FileSize is 0 or > 4096) throw new ElfFormatException("bad PT_INTERP");
                var buf = new byte[ph.FileSize];
                if (ReadAt(fs, (long)ph.Offset, buf) != buf.Length) throw new ElfFormatException("truncated PT_INTERP");
                int len = buf.AsSpan().IndexOf((byte)0); // span, not Array.IndexOf<byte> (JIT-compiled: no R2R code)
                interp = System.Text.Encoding.UTF8.GetString(buf, 0, len < 0 ? buf.Length : len);
            }
            phdrs[i] = ph;
        }
        bool loadable = false;
        long fileLength = fs.Length;
        foreach (var p in phdrs)
        {
            if (p.Type != PhType.Load) continue;
            loadable = true;
            if ((long)(p.Offset + p.FileSize) > fileLength) throw new ElfFormatException("segment extends past end of file");
        }
        if (!loadable) throw new ElfFormatException("no loadable segments");
        return new ElfFile(path, type, entry, phoff, phdrs, interp);
    }

    private static int ReadAt(Stream s, long offset, byte[] buf)
    {
        if (offset < 0 || offset >= s.Length) return 0;
        s.Position = offset;
        int total = 0;
        while (total < buf.Length)
        {
            int r = s.Read(buf, total, buf.Length - total);
            if (r <= 0) break;
            total += r;
        }
        return total;
    }

    /// <summary>Lowest and highest (exclusive) virtual addresses of the PT_LOAD segments, page aligned.</summary>
    public (ulong Low, ulong High) LoadSpan()
    {
        ulong lo = ulong.MaxValue, hi = 0;
        foreach (var p in ProgramHeaders)
        {
            if (p.Type != PhType.Load) continue;
            lo = Math.Min(lo, p.VAddr & ~0xFFFUL);
            hi = Math.Max(hi, (p.VAddr + p.MemSize + 0xFFF) & ~0xFFFUL);
        }
        return (lo, hi);
    }

    /// <summary>Virtual address (before bias) where the program headers are mapped, if they are.</summary>
    public ulong? PhdrVAddr()
    {
        foreach (var p in ProgramHeaders)
            if (p.Type == PhType.Phdr) return p.VAddr;
        foreach (var p in ProgramHeaders)
            if (p.Type == PhType.Load && PhOff >= p.Offset && PhOff + (ulong)(ProgramHeaders.Length * PhentSize) <= p.Offset + p.FileSize)
                return p.VAddr + (PhOff - p.Offset);
        return null;
    }

    public bool ExecutableStack
    {
        get
        {
            foreach (var p in ProgramHeaders) if (p.Type == PhType.GnuStack && (p.Flags & ProgramHeader.PF_X) != 0) return true;
            return false;
        }
    }
}
