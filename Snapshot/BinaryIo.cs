// Little-endian primitives for the snapshot file. The reader bounds-checks every read and
// throws SnapshotFormatException, so a truncated or corrupt file can never crash a run.
using System.Buffers.Binary;
using System.Text;

namespace Jitexec.Snapshot;

/// <summary>The snapshot file is unusable; Message says why (shown under --verbose).</summary>
public sealed class SnapshotFormatException(string message) : Exception(message);

internal sealed class ByteWriter
{
    private readonly MemoryStream _s = new();
    public long Position => _s.Position;

    public void U8(byte v) => _s.WriteByte(v);
    public void U16(ushort v) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, v); _s.Write(b); }
    public void U32(uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); _s.Write(b); }
    public void U64(ulong v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, v); _s.Write(b); }
    public void I32(int v) => U32((uint)v);
    public void I64(long v) => U64((ulong)v);
    public void Bytes(ReadOnlySpan<byte> b) => _s.Write(b);

    public void Str(string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        U32((uint)b.Length);
        _s.Write(b);
    }

    public byte[] ToArray() => _s.ToArray();
}

internal ref struct ByteReader(ReadOnlySpan<byte> data, string what)
{
    private readonly ReadOnlySpan<byte> _d = data;
    private int _p;

    public readonly bool AtEnd => _p == _d.Length;

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || n > _d.Length - _p) throw new SnapshotFormatException($"{what} section is truncated");
        var s = _d.Slice(_p, n);
        _p += n;
        return s;
    }

    public byte U8() => Take(1)[0];
    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
    public int I32() => (int)U32();
    public long I64() => (long)U64();

    /// <summary>An element count, sanity-limited so corrupt counts cannot make us allocate wildly.</summary>
    public int Count(int max = 1 << 22)
    {
        uint n = U32();
        if (n > max) throw new SnapshotFormatException($"{what} section has an implausible count {n}");
        return (int)n;
    }

    public string Str()
    {
        int n = Count(1 << 20);
        return Text.Decode(Take(n));
    }

    public readonly void End()
    {
        if (!AtEnd) throw new SnapshotFormatException($"{what} section has trailing bytes");
    }
}

internal static class Text
{
    /// <summary>UTF-8 to string. ASCII (nearly every path and name) is widened by hand: the first
    /// Encoding.UTF8.GetString of a process costs ~2 ms of type loading on the restore path.</summary>
    public static string Decode(ReadOnlySpan<byte> b)
    {
        if (b.Length > 256) return Encoding.UTF8.GetString(b);
        Span<char> c = stackalloc char[b.Length];
        for (int i = 0; i < b.Length; i++)
        {
            if (b[i] >= 0x80) return Encoding.UTF8.GetString(b);
            c[i] = (char)b[i];
        }
        return new string(c);
    }
}
