// LZ4 page images: a run of guest pages is compressed (K4os, at registration) as one block
// and decompressed (Lz4BlockDecoder) straight into guest memory on restore.
using K4os.Compression.LZ4;

namespace Jitexec.Snapshot;

public static class PageCodec
{
    public static byte[] Compress(ReadOnlySpan<byte> pages)
    {
        var buf = new byte[LZ4Codec.MaximumOutputSize(pages.Length)];
        int n = LZ4Codec.Encode(pages, buf, LZ4Level.L00_FAST);
        return buf.AsSpan(0, n).ToArray();
    }

    /// <summary>Decompress into <paramref name="dest"/>, which must be filled exactly. Corrupt input
    /// returns false, never a write outside <paramref name="dest"/> (Lz4BlockDecoder: the restore's
    /// own decoder, K4os' costs milliseconds of first-use set-up per process).</summary>
    public static bool TryDecompress(ReadOnlySpan<byte> image, Span<byte> dest) => Lz4BlockDecoder.TryDecode(image, dest);
}
