// Decoder of the LZ4 block format (what K4os' LZ4Codec.Encode writes), for restoring page
// images. Written here rather than calling K4os' decoder because that one's first call in a
// process costs ~2 ms of one-time set-up (tables copied to native memory, generic helpers
// compiled at run time) on every restore, while this plain method is precompiled (ReadyToRun).
// Format: sequences of [token: literal length (high nibble), match length - 4 (low nibble);
// each nibble 15 continues in following bytes (255 = add and go on)] [literals]
// [2-byte little-endian match offset] ...; the last sequence is literals only.
// Invariant: every read and write is checked against the buffers' lengths before it happens
// (corrupt input returns false, it never reads or writes outside them); success means dest
// was filled exactly.
namespace Jitexec.Snapshot;

public static unsafe class Lz4BlockDecoder
{
    private const int MinMatch = 4;

    /// <summary>Decode <paramref name="src"/> into <paramref name="dest"/>: true iff the input is a well-formed
    /// block that decodes to exactly dest.Length bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> src, Span<byte> dest)
    {
        if (src.Length == 0) return dest.Length == 0;
        fixed (byte* sp = src)
        fixed (byte* dp = dest)
            return Decode(sp, src.Length, dp, dest.Length);
    }

    // Pointers for speed (short copies dominate); every access is checked against sl/dl first.
    // Short literal runs and matches whose offset is at least 8 are copied in whole 8-byte
    // words when the words still end inside both buffers: the bytes written past the run's
    // end are inside dest and are overwritten by what follows.
    private static bool Decode(byte* sp, int sl, byte* dp, int dl)
    {
        int s = 0, d = 0;
        while (true)
        {
            if (s >= sl) return false;
            int token = sp[s++];
            int lit = token >> 4;
            if (lit == 15 && !Extend(sp, sl, ref s, ref lit)) return false;
            if (lit > sl - s || lit > dl - d) return false;
            if (lit <= 16 && sl - s >= 16 && dl - d >= 16)
            {
                *(ulong*)(dp + d) = *(ulong*)(sp + s);
                *(ulong*)(dp + d + 8) = *(ulong*)(sp + s + 8);
            }
            else Buffer.MemoryCopy(sp + s, dp + d, lit, lit);
            s += lit;
            d += lit;
            if (s == sl) return d == dl; // the last sequence: literals only
            if (sl - s < 2) return false;
            int offset = sp[s] | sp[s + 1] << 8;
            s += 2;
            if (offset == 0 || offset > d) return false;
            int len = token & 15;
            if (len == 15 && !Extend(sp, sl, ref s, ref len)) return false;
            len += MinMatch;
            if (len > dl - d) return false;
            byte* o = dp + d;
            byte* m = o - offset;
            if (offset >= 8 && dl - d >= ((len + 7) & ~7))
            {
                // Each word's source ends at or before its destination: already final bytes.
                for (int i = 0; i < len; i += 8) *(ulong*)(o + i) = *(ulong*)(m + i);
            }
            else if (offset >= len) Buffer.MemoryCopy(m, o, len, len);
            else
            {
                // The match repeats the last `offset` bytes: copy from the pattern's start in
                // chunks that never overlap their source, each doubling what is there.
                int done = 0;
                while (done < len)
                {
                    int n = Math.Min(offset + done, len - done);
                    Buffer.MemoryCopy(m, o + done, n, n);
                    done += n;
                }
            }
            d += len;
        }
    }

    /// <summary>Add the continuation bytes of a length whose nibble was 15; false if the input ends or the length overflows.</summary>
    private static bool Extend(byte* sp, int sl, ref int s, ref int n)
    {
        while (true)
        {
            if (s >= sl) return false;
            int b = sp[s++];
            n += b;
            if (n > int.MaxValue / 2) return false;
            if (b != 255) return true;
        }
    }
}
