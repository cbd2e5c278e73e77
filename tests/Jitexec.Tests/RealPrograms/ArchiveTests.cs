// Compressors and tar natively and under jitexec: compressing the same input must give the
// same bytes, and each side must decompress the other's output; tar lists and creates
// archives with fixed metadata.
using System.Text;
using Xunit;
using static Jitexec.Tests.RealPrograms.RealProgram;

namespace Jitexec.Tests.RealPrograms;

public sealed class ArchiveTests : IDisposable
{
    private readonly Scratch _s = new();
    private readonly string _input;

    public ArchiveTests()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 3000; i++) sb.Append($"{i} {i * 2654435761L % 1000003} {(i % 7 == 0 ? "seven" : "other")}\n");
        _input = _s.Write("input.txt", sb.ToString());
    }

    public void Dispose() => _s.Dispose();

    // zstd runs single-threaded without its async I/O thread: guest threads are not supported yet.
    [Theory]
    [InlineData("gzip", 1, "-9n")]
    [InlineData("bzip2", 2, "-9")]
    [InlineData("xz", 1, "-6")]
    [InlineData("zstd", 1, "-q", "-19", "-T1", "--no-asyncio")]
    public void CompressDecompressRoundTrip(string tool, int notCompressedStatus, params string[] level)
    {
        var compressed = Same(tool, [.. level, "-c", _input]);
        string packed = _s.WriteBytes("packed." + tool, compressed.Stdout);
        string[] extra = tool == "zstd" ? ["-q", "--no-asyncio"] : [];
        var restored = Same(tool, [.. extra, "-d", "-c", packed]);
        Assert.Equal(File.ReadAllBytes(_input), restored.Stdout);
        Same(tool, [.. extra, "-t", packed]);
        Same(tool, [.. extra, "-d", "-c", _input], expectExit: notCompressedStatus);
    }

    [Fact]
    public void GzipListAndStdin()
    {
        var gz = Same("gzip", ["-c", "-n", "-1"], stdin: File.ReadAllText(_input));
        string f = _s.WriteBytes("s.gz", gz.Stdout);
        Same("gzip", ["-l", "-v", f]);
    }

    [Fact]
    public void TarCreateAndList()
    {
        _s.Write("tree/a.txt", "hello\n", 1_000_000_000);
        _s.Write("tree/sub/b.bin", new string('x', 5000), 1_100_000_000, "600");
        _s.Dir("tree/sub", 1_200_000_000);
        _s.Dir("tree", 1_300_000_000);
        string[] fixedMeta = ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@1500000000", "--format=gnu"];
        var tar = Same("tar", ["-c", "-f", "-", .. fixedMeta, "-C", _s.Root, "tree"]);
        string archive = _s.WriteBytes("t.tar", tar.Stdout);
        Same("tar", ["-t", "-v", "-f", archive]);
        Same("tar", ["-x", "-O", "-f", archive, "tree/a.txt"]);
        // tar -z runs gzip as a child process: guest fork/exec is not supported yet, so compression is tested on its own.
        Same("tar", ["-t", "-v", "--full-time", "--numeric-owner", "-f", archive]);
    }
}
