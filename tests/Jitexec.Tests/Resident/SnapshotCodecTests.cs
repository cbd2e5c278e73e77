// Unit tests of snapshot pieces that need no guest: LZ4 page images (round trip at every
// K4os level, exact-length checking, and never writing outside the buffer on corrupt input),
// and the hot-code profile's serialisation, merging and bounds.
using Jitexec.Snapshot;
using K4os.Compression.LZ4;
using Xunit;

namespace Jitexec.Tests.Resident;

public class SnapshotCodecTests
{
    private static IEnumerable<byte[]> Samples()
    {
        var rng = new Random(5);
        yield return [];
        yield return new byte[4096];
        yield return [.. Enumerable.Range(0, 70_000).Select(i => (byte)(i % 3 == 0 ? 0 : i % 251))];
        var noise = new byte[9000]; rng.NextBytes(noise); yield return noise;
        var mixed = new byte[3 * 4096];
        for (int i = 0; i < mixed.Length; i++) mixed[i] = (byte)(i < 5000 ? rng.Next(4) : i % 7 == 0 ? rng.Next() : 0x41);
        yield return mixed;
        yield return [.. Enumerable.Repeat((byte)'a', 100_000)];
        yield return [.. Enumerable.Range(0, 20_000).Select(i => (byte)"abcab"[i % 5])];
    }

    [Fact]
    public void PageImagesDecodeAtEveryLevelAndOnlyToTheirExactLength()
    {
        foreach (var data in Samples())
            foreach (var level in new[] { LZ4Level.L00_FAST, LZ4Level.L09_HC, LZ4Level.L12_MAX })
            {
                var buf = new byte[LZ4Codec.MaximumOutputSize(data.Length)];
                int n = LZ4Codec.Encode(data, buf, level);
                var back = new byte[data.Length];
                Assert.True(PageCodec.TryDecompress(buf.AsSpan(0, n), back), $"{data.Length} bytes, {level}");
                Assert.Equal(data, back);
                Assert.False(PageCodec.TryDecompress(buf.AsSpan(0, n), new byte[data.Length + 1]));
                if (data.Length > 0) Assert.False(PageCodec.TryDecompress(buf.AsSpan(0, n), new byte[data.Length - 1]));
            }
    }

    [Fact]
    public void CorruptPageImagesNeverWriteOutsideTheirPages()
    {
        var rng = new Random(11);
        foreach (var data in Samples())
        {
            var enc = PageCodec.Compress(data);
            for (int trial = 0; trial < 300; trial++)
            {
                var bad = (byte[])enc.Clone();
                if (bad.Length == 0) break;
                bad[rng.Next(bad.Length)] ^= (byte)(1 << rng.Next(8));
                var cut = bad.AsSpan(0, trial % 5 == 0 ? rng.Next(bad.Length) : bad.Length);
                var dest = new byte[data.Length + 64];
                dest.AsSpan(data.Length).Fill(0xEE); // guard bytes past the target area
                PageCodec.TryDecompress(cut, dest.AsSpan(0, data.Length));
                Assert.All(dest[data.Length..], b => Assert.Equal(0xEE, b));
            }
        }
    }

    private static HotBlock[] Unit(ulong entry, int blocks, ulong hash = 1) =>
        [.. Enumerable.Range(0, blocks).Select(i => new HotBlock(entry + (ulong)i * 16, 16, hash + (ulong)i, i == 0 ? [entry + 64, entry] : []))];

    [Fact]
    public void ProfileRoundTripsAndMergesByEntry()
    {
        var p = new HotProfile().Merge([Unit(0x1000, 3), Unit(0x2000, 1)], out int added);
        Assert.Equal(2, added);
        Assert.Equal(1u, p.Generation);
        var back = HotProfile.Parse(p.Serialize());
        Assert.Equal(2, back.Units.Count);
        Assert.Equal(4, back.BlockCount);
        Assert.Equal(new ulong[] { 0x1040, 0x1000 }, back.Units[0].Blocks[0].Targets);

        // Same entry and code: counted again; changed entry code: replaced, counted as new; new entry: added.
        var q = back.Merge([Unit(0x1000, 3), Unit(0x2000, 2, hash: 99), Unit(0x3000, 1)], out added);
        Assert.Equal(2, added);
        Assert.Equal(2u, q.Generation);
        Assert.Equal(2u, q.Units.Single(u => u.Entry == 0x1000).Runs);
        Assert.Equal(1u, q.Units.Single(u => u.Entry == 0x2000).Runs);
        Assert.Equal(2, q.Units.Single(u => u.Entry == 0x2000).Blocks.Length);
        Assert.Equal(3, q.Units.Count);
        q.Merge([Unit(0x1000, 3)], out added);
        Assert.Equal(0, added);
    }

    [Fact]
    public void TheSameLoopEnteredElsewhereIsKnownAndNotRecordedAgain()
    {
        // Which block of a loop reaches the threshold first depends on where the JIT warm-up ends,
        // so runs compile the same region with different entries; the profile must keep one.
        var loop = Unit(0x1000, 4);
        var p = new HotProfile().Merge([loop], out _);
        HotBlock[] rotated = [loop[2], loop[3], loop[0], loop[1]];
        Assert.True(p.Knows(rotated));
        Assert.True(p.Knows(loop));
        Assert.True(p.Knows([loop[1], loop[2]])); // part of the recorded unit
        Assert.False(Jitexec.Kernel.Resident.ResidentProfile.HasNew(p, [rotated]), "a run that compiled it must not rewrite the snapshot");
        Assert.True(Jitexec.Kernel.Resident.ResidentProfile.HasNew(p, [rotated, Unit(0x3000, 2)]));
        var q = p.Merge([rotated], out int added);
        Assert.Equal(0, added);
        var only = Assert.Single(q.Units);
        Assert.Equal(0x1000ul, only.Entry);
        Assert.Equal(2u, only.Runs);

        // Not known: a larger unit around it, changed code at its entry, an unrelated entry.
        Assert.False(p.Knows([.. rotated, .. Unit(0x2000, 1)]));
        Assert.False(p.Knows([loop[2] with { CodeHash = 77 }, loop[3], loop[0], loop[1]]));
        Assert.False(p.Knows(Unit(0x3000, 2)));
    }

    [Fact]
    public void AUnitHoldingARecordedEntrySupersedesIt()
    {
        var outer = Unit(0x1000, 6);
        var p = new HotProfile().Merge([outer[2..4], Unit(0x5000, 2)], out _); // an inner loop, and something else
        var q = p.Merge([outer], out int added);
        Assert.Equal(1, added);
        Assert.Equal(new ulong[] { 0x1000, 0x5000 }, q.Units.Select(u => u.Entry).Order().ToArray());
        // The inner loop compiled again later is known (a part of the outer unit): no update, no re-add.
        Assert.True(q.Knows(outer[2..4]));
    }

    [Fact]
    public void ProfileIsBoundedKeepingTheMostRunUnits()
    {
        var p = new HotProfile();
        p = p.Merge([Unit(0x10, 1)], out _);
        p = p.Merge([Unit(0x10, 1)], out _); // 0x10 now seen in 2 runs
        var many = Enumerable.Range(1, HotProfile.MaxUnits + 50).Select(i => Unit(0x100000 + (ulong)i * 0x100, 1)).ToList();
        p = p.Merge(many, out _);
        Assert.Equal(HotProfile.MaxUnits, p.Units.Count);
        Assert.Contains(p.Units, u => u.Entry == 0x10 && u.Runs == 3 - 1); // kept: most runs
        var big = Enumerable.Range(1, 200).Select(i => Unit(0x9000000 + (ulong)i * 0x10000, 400)).ToList();
        Assert.True(new HotProfile().Merge(big, out _).BlockCount <= HotProfile.MaxBlocks);
        Assert.Throws<SnapshotFormatException>(() => HotProfile.Parse(p.Serialize().AsSpan(0, 30)));
    }
}
