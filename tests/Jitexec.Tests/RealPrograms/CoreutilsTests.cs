// coreutils under jitexec vs natively: file reading, directory listings with fixed
// formats and mtimes, sorting and text filters, number formatting, digests, encodings,
// fixed-time date and stat formats.
using Xunit;
using static Jitexec.Tests.RealPrograms.RealProgram;

namespace Jitexec.Tests.RealPrograms;

public sealed class CoreutilsTests : IDisposable
{
    private readonly Scratch _s = new();
    private const string Words = "pear 3\napple 10\nfig 2\napple 10\nBanana 7\nfig 2\n\tcherry 1\nkiwi -4\n";

    public CoreutilsTests()
    {
        _s.Write("tree/d/a.txt", "alpha\tbeta\n\x01ctl\x7f and \u00e9\n", 1_000_000_000);
        _s.Write("tree/d/b.txt", Words, 1_100_000_000, "600");
        _s.Write("tree/d/run.sh", "#!/bin/sh\n", 1_200_000_000, "755");
        _s.Write("tree/d/sub/deep.txt", "x\n", 1_300_000_000);
        _s.Dir("tree/d/sub", 1_400_000_000);
        _s.Dir("tree/d", 1_500_000_000);
        _s.Dir("tree", 1_600_000_000);
        _s.WriteBytes("bytes.bin", Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray());
    }

    public void Dispose() => _s.Dispose();

    [Fact]
    public void Cat() => Same("cat", ["-n", "-A", _s.PathOf("tree/d/a.txt"), "-", _s.PathOf("tree/d/b.txt")], stdin: "from stdin\n");

    [Fact]
    public void CatMissingFileFails() => Same("cat", [_s.PathOf("tree/nonexistent"), _s.PathOf("tree/d")], expectExit: 1);

    [Fact]
    public void LsLongWithFixedTimes() => Same("ls", ["-la", "--time-style=+%s", "d", "d/sub"], cwd: _s.PathOf("tree"));

    [Fact]
    public void LsRecursiveAndSorted() => Same("ls", ["-R", "-S", "-r", "-i", "--full-time", "-n", "d"], cwd: _s.PathOf("tree"));

    [Fact]
    public void LsSingleColumnVariants() => Same("ls", ["-1", "-F", "-a", "-t", "--color=always", "d"], cwd: _s.PathOf("tree"));

    [Theory]
    [InlineData("-k2,2n", "-t", " ")]
    [InlineData("-r", "-u")]
    [InlineData("-f", "-s")]
    [InlineData("-g", "-k2")]
    public void Sort(params string[] flags) => Same("sort", flags, stdin: Words);

    [Fact]
    public void UniqCounts() => Same("uniq", ["-c"], stdin: "a\na\nb\nc\nc\nc\na\n");

    [Theory]
    [InlineData("a-z", "A-Z")]
    [InlineData("-d", "aeiou\\n")]
    [InlineData("-s", "[:digit:][:space:]", "#")]
    [InlineData("-c", "[:alnum:]", ".")]
    public void Tr(params string[] args) => Same("tr", args, stdin: Words);

    [Fact]
    public void Cut() => Same("cut", ["-d", " ", "-f2", "--complement", "-s"], stdin: Words);

    [Fact]
    public void Wc() => Same("wc", ["-lwcmL", _s.PathOf("tree/d/a.txt"), _s.PathOf("tree/d/b.txt")]);

    [Theory]
    [InlineData("10")]
    [InlineData("-w", "-s", ",", "95", "3", "120")]
    [InlineData("-f", "%.3f", "0", "0.7", "3")]
    [InlineData("1e3", "2.5e2", "2000")]
    public void Seq(params string[] args) => Same("seq", args);

    [Fact]
    public void Factor() => Same("factor", ["1", "97", "1234567890", "18446744073709551557", "340282366920938463463374607431768211455"]);

    [Theory]
    [InlineData("-A", "x", "-t", "x1z")]
    [InlineData("-t", "d4", "-t", "o2", "-N", "64")]
    [InlineData("-t", "f4", "-t", "f8", "-v")]
    [InlineData("-c", "-j", "10", "-w8")]
    public void Od(params string[] args) => Same("od", [.. args, _s.PathOf("bytes.bin")]);

    [Theory]
    [InlineData("md5sum")]
    [InlineData("sha1sum")]
    [InlineData("sha256sum")]
    [InlineData("sha512sum")]
    [InlineData("b2sum")]
    public void Digests(string tool) => Same(tool, _s.PathOf("bytes.bin"), _s.PathOf("tree/d/b.txt"));

    [Fact]
    public void Base64RoundTrip()
    {
        var enc = Same("base64", ["-w", "60", _s.PathOf("bytes.bin")]);
        Same("base64", ["-d"], stdin: Text(enc));
    }

    [Theory]
    [InlineData("-d", "@0", "-u")]
    [InlineData("-d", "@1234567890", "-u", "+%Y-%m-%d %H:%M:%S %j %a %b %s %N %z")]
    [InlineData("-u", "-d", "2024-02-29 13:14:15", "-R")]
    [InlineData("-d", "@86399", "-u", "--iso-8601=seconds")]
    public void DateWithFixedTime(params string[] args) => Same("date", args, env: new Dictionary<string, string> { ["TZ"] = "UTC" });

    [Fact]
    public void StatWithFormat() =>
        Same("stat", ["-c", "%n|%s|%a|%A|%F|%h|%u|%g|%Y|%X>%W", "d/a.txt", "d/b.txt", "d/sub", "d/run.sh"], cwd: _s.PathOf("tree"));

    [Fact]
    public void StatFileSystemAndTerse() => Same("stat", ["-t", "d/b.txt"], cwd: _s.PathOf("tree"));
}
