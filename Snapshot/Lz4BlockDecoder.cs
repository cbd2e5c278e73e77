// Decoder of the LZ4 block format (what K4os' LZ4Codec.Encode writes), for restoring page
// images. Written here rather than calling K4os' decoder because that one's first call in a
// process costs ~2 ms of one-time set-up (tables copied to native memory, generic helpers
// compiled at run time) on every restore, while this plain method is precompiled (ReadyToRun).
// Format: sequences of [token: literal length (high nibble), match length - 4 (low nibble);
// each nibble 15 continues in following bytes (255 = add and go on)] [literals]
// [2-byte little-endian match offset] ...; the last sequence is literals only.
// Invariant: every read and write is bounds-checked against the spans (corrupt input returns
// false, it never writes outside dest); success means dest was filled exactly.
namespace Jitexec.Snapshot;

public static class Lz4BlockDecoder
{
    private const int MinMatch = 4;

    /// <summary>Decode <paramref name="src"/> into <paramref name="dest"/>: true iff the input is a well-formed
    /// block that decodes to exactly dest.Length bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> src, Span<byte> dest)
    {
        int s = 0, d = 0;
        if (src.Length == 0) return dest.Length == 0;
        while (true)
        {
            if (s >= src.Length) return false;
            int token = src[s++];
            int lit = token >> 4;
            if (lit == 15 && !Extend(src, ref s, ref lit)) return false;
            if (lit > src.Length - s || lit > dest.Length - d) return false;
            src.Slice(s, lit).CopyTo(dest[d..]);
            s += lit;
            d += lit;
            if (s == src.Length) return d == dest.Length; // the last sequence: literals only
            if (src.Length - s < 2) return false;
            int offset = src[s] | src[s + 1] << 8;
            s += 2;
            if (offset == 0 || offset > d) return false;
            int len = token & 15;
            if (len == 15 && !Extend(src, ref s, ref len)) return false;
            len += MinMatch;
            if (len > dest.Length - d) return false;
            // The match repeats the last `offset` bytes. Copy from the pattern's start in chunks that
            // never overlap their source: each chunk doubles what is there (a multiple of offset).
            int start = d - offset;
            while (len > 0)
            {
                int n = Math.Min(d - start, len);
                dest.Slice(start, n).CopyTo(dest.Slice(d, n));
                d += n;
                len -= n;
            }
        }
    }

    /// <summary>Add the continuation bytes of a length whose nibble was 15; false if the input ends or the length overflows.</summary>
    private static bool Extend(ReadOnlySpan<byte> src, ref int s, ref int n)
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
