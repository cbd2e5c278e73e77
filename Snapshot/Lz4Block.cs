// LZ4 block-format decoder (format: lz4_Block_format.md). Restores decode with this instead
// of K4os: the library's first call costs ~1 ms of assembly loading and static set-up, more
// than decoding a whole perl snapshot. Every read and write is bounds-checked, so a corrupt
// image fails (returns false) and never touches memory outside dest. K4os still compresses.
namespace Jitexec.Snapshot;

public static class Lz4Block
{
    /// <summary>Decode <paramref name="src"/> into <paramref name="dest"/>; true only if it fills dest exactly.</summary>
    public static bool Decode(ReadOnlySpan<byte> src, Span<byte> dest)
    {
        int s = 0, d = 0;
        while (s < src.Length)
        {
            int token = src[s++];
            int lit = token >> 4;
            if (lit == 15 && !Length(src, ref s, ref lit)) return false;
            if (lit > src.Length - s || lit > dest.Length - d) return false;
            src.Slice(s, lit).CopyTo(dest[d..]);
            s += lit;
            d += lit;
            if (s == src.Length) break; // the last sequence has literals only
            if (src.Length - s < 2) return false;
            int offset = src[s] | src[s + 1] << 8;
            s += 2;
            if (offset == 0 || offset > d) return false;
            int len = token & 15;
            if (len == 15 && !Length(src, ref s, ref len)) return false;
            len += 4;
            if (len > dest.Length - d) return false;
            // The match copies from `offset` bytes back; when it overlaps itself it repeats the
            // last `offset` bytes: copy the growing periodic run [from, d) in non-overlapping chunks.
            int from = d - offset, end = d + len;
            while (d < end)
            {
                int n = Math.Min(d - from, end - d);
                dest.Slice(from, n).CopyTo(dest[d..]);
                d += n;
            }
        }
        return d == dest.Length;
    }

    /// <summary>Add the 255-continued length bytes that follow a nibble of 15.</summary>
    private static bool Length(ReadOnlySpan<byte> src, ref int s, ref int n)
    {
        while (true)
        {
            if (s >= src.Length) return false;
            int b = src[s++];
            n += b;
            if (n > int.MaxValue / 2) return false;
            if (b != 255) return true;
        }
    }
}
