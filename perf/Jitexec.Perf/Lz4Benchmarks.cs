// LZ4 compression of 4 KiB guest pages, the unit snapshots store: real pages of the perl
// binary (code and data) and all-zero pages. Reported per page; MB/s = 4096 / ns * 1000.
using BenchmarkDotNet.Attributes;
using K4os.Compression.LZ4;

namespace Jitexec.Perf;

public class Lz4Benchmarks
{
    private const int Pages = 256, PageSize = 4096;
    private byte[] _pages = [], _zero = new byte[Pages * PageSize], _packed = [], _out = [];
    private int[] _packedLen = [];

    [GlobalSetup]
    public void Setup()
    {
        var file = File.ReadAllBytes("/usr/bin/perl");
        _pages = new byte[Pages * PageSize];
        long stride = Math.Max(PageSize, file.Length / PageSize / Pages * PageSize);
        for (int i = 0; i < Pages; i++)
            Array.Copy(file, Math.Min(i * stride, file.Length - PageSize), _pages, i * PageSize, PageSize);
        _out = new byte[LZ4Codec.MaximumOutputSize(PageSize) * Pages];
        _packed = new byte[_out.Length];
        _packedLen = new int[Pages];
        int at = 0;
        for (int i = 0; i < Pages; i++)
        {
            _packedLen[i] = LZ4Codec.Encode(_pages.AsSpan(i * PageSize, PageSize), _packed.AsSpan(at, LZ4Codec.MaximumOutputSize(PageSize)), LZ4Level.L00_FAST);
            at += _packedLen[i];
        }
        Console.WriteLine($"// perl pages compress to {100.0 * at / _pages.Length:F1}% with L00_FAST");
    }

    private int Compress(byte[] src, LZ4Level level)
    {
        int total = 0, max = LZ4Codec.MaximumOutputSize(PageSize);
        for (int i = 0; i < Pages; i++)
            total += LZ4Codec.Encode(src.AsSpan(i * PageSize, PageSize), _out.AsSpan(i * max, max), level);
        return total;
    }

    [Benchmark(OperationsPerInvoke = Pages, Description = "LZ4 fast compress, perl pages (per 4 KiB page)")]
    public int CompressFast() => Compress(_pages, LZ4Level.L00_FAST);

    [Benchmark(OperationsPerInvoke = Pages, Description = "LZ4 HC3 compress, perl pages (per 4 KiB page)")]
    public int CompressHc() => Compress(_pages, LZ4Level.L03_HC);

    [Benchmark(OperationsPerInvoke = Pages, Description = "LZ4 fast compress, zero pages (per 4 KiB page)")]
    public int CompressZero() => Compress(_zero, LZ4Level.L00_FAST);

    [Benchmark(OperationsPerInvoke = Pages, Description = "LZ4 decompress, perl pages (per 4 KiB page)")]
    public int Decompress()
    {
        int at = 0, total = 0;
        for (int i = 0; i < Pages; i++)
        {
            total += LZ4Codec.Decode(_packed.AsSpan(at, _packedLen[i]), _out.AsSpan(i * PageSize, PageSize));
            at += _packedLen[i];
        }
        return total;
    }
}
