// LZ4 page images: a run of guest pages is compressed as one block and decompressed
// straight into guest memory on restore.
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

    /// <summary>Decompress into <paramref name="dest"/>, which must be filled exactly. K4os' decoder
    /// is bounds-checked: corrupt input yields a negative length, never a write outside <paramref name="dest"/>. (Its first call costs ~1 ms of one-time set-up, which
    /// the start-up warm-up thread pays in parallel: Cli/StartupWarmup.cs.)</summary>
    public static bool TryDecompress(ReadOnlySpan<byte> image, Span<byte> dest) => LZ4Codec.Decode(image, dest) == dest.Length;
}
