// The hot-code profile of a snapshot (its own section, Profile): the units the JIT tier
// compiled in earlier runs of the program, so a restored run can compile them as soon as it
// reaches them instead of re-learning that they are hot. Runs update it when they end (see
// Kernel/Resident/ResidentProfile.cs); it is bounded (MaxUnits, MaxBlocks) and merged
// across runs by entry address, keeping the units found compiled in the most runs.
// It is only a hint: the JIT translates from current memory and checks each block's code
// length and hash before using a record, so a stale profile can cost time, never correctness.
namespace Jitexec.Snapshot;

/// <summary>One block of a unit: start, code length, hash of its code bytes (computed by the
/// JIT tier), and the targets its indirect exit was seen to reach.</summary>
public sealed record HotBlock(ulong Address, uint Length, ulong CodeHash, ulong[] Targets);

/// <summary>A compiled unit entered at Blocks[0]. Runs: profile updates that found it compiled;
/// LastSeen: the profile generation that last did.</summary>
public sealed record HotUnit(HotBlock[] Blocks, uint Runs, uint LastSeen)
{
    public ulong Entry => Blocks[0].Address;
}

public sealed class HotProfile
{
    public const int MaxUnits = 1024, MaxBlocks = 32768, MaxBlocksPerUnit = 512, MaxTargets = 16;

    /// <summary>Number of updates so far (each merge increments it).</summary>
    public uint Generation;
    public List<HotUnit> Units = new();

    public int BlockCount
    {
        get { int n = 0; foreach (var u in Units) n += u.Blocks.Length; return n; }
    }

    public byte[] Serialize()
    {
        var w = new ByteWriter();
        w.U32(Generation);
        w.U32((uint)Units.Count);
        foreach (var u in Units)
        {
            w.U32(u.Runs); w.U32(u.LastSeen);
            w.U32((uint)u.Blocks.Length);
            foreach (var b in u.Blocks)
            {
                w.U64(b.Address); w.U32(b.Length); w.U64(b.CodeHash);
                w.U8((byte)b.Targets.Length);
                foreach (var t in b.Targets) w.U64(t);
            }
        }
        return w.ToArray();
    }

    /// <summary>Parse a Profile section (already checksummed). Throws SnapshotFormatException if malformed.</summary>
    public static HotProfile Parse(ReadOnlySpan<byte> data)
    {
        var r = new ByteReader(data, "profile");
        var p = new HotProfile { Generation = r.U32() };
        int n = r.Count(MaxUnits);
        int total = 0;
        for (int i = 0; i < n; i++)
        {
            uint runs = r.U32(), last = r.U32();
            int m = r.Count(MaxBlocksPerUnit);
            if (m == 0 || (total += m) > MaxBlocks) throw new SnapshotFormatException("profile section has an implausible unit");
            var blocks = new HotBlock[m];
            for (int j = 0; j < m; j++)
            {
                ulong a = r.U64();
                uint len = r.U32();
                ulong h = r.U64();
                int k = r.U8();
                if (k > MaxTargets || len == 0) throw new SnapshotFormatException("profile section has a malformed block");
                var targets = new ulong[k];
                for (int t = 0; t < k; t++) targets[t] = r.U64();
                blocks[j] = new HotBlock(a, len, h, targets);
            }
            p.Units.Add(new HotUnit(blocks, runs, last));
        }
        r.End();
        return p;
    }

    /// <summary>This profile updated with the units a run compiled: a unit with the same entry and
    /// entry code is replaced by the run's (fresher targets) with Runs+1, new ones are added, and
    /// the result is cut to the bounds keeping the most-run, then most recent, units.
    /// <paramref name="added"/> counts units whose entry was not in the profile.</summary>
    public HotProfile Merge(IReadOnlyList<HotBlock[]> compiled, out int added)
    {
        uint gen = Generation + 1;
        var next = new HotProfile { Generation = gen };
        var index = new Dictionary<ulong, int>();
        foreach (var u in Units)
        {
            if (index.ContainsKey(u.Entry)) continue;
            index[u.Entry] = next.Units.Count;
            next.Units.Add(u);
        }
        added = 0;
        var seen = new HashSet<ulong>();
        foreach (var blocks in compiled)
        {
            if (blocks.Length == 0 || blocks.Length > MaxBlocksPerUnit || !seen.Add(blocks[0].Address)) continue;
            var clean = Array.ConvertAll(blocks, b => b.Targets.Length <= MaxTargets ? b : b with { Targets = b.Targets[..MaxTargets] });
            if (index.TryGetValue(blocks[0].Address, out int at))
            {
                var old = next.Units[at];
                bool same = old.Blocks[0].CodeHash == blocks[0].CodeHash && old.Blocks[0].Length == blocks[0].Length;
                if (!same) added++;
                next.Units[at] = new HotUnit(clean, same ? old.Runs + 1 : 1, gen);
            }
            else
            {
                added++;
                index[blocks[0].Address] = next.Units.Count;
                next.Units.Add(new HotUnit(clean, 1, gen));
            }
        }
        // Bound: most runs first, then most recently seen; stable otherwise.
        var order = next.Units.Select((u, i) => (u, i)).OrderByDescending(x => x.u.Runs).ThenByDescending(x => x.u.LastSeen).ThenBy(x => x.i);
        var kept = new List<HotUnit>();
        int blocksKept = 0;
        foreach (var (u, _) in order)
        {
            if (kept.Count == MaxUnits) break;
            if (blocksKept + u.Blocks.Length > MaxBlocks) continue;
            blocksKept += u.Blocks.Length;
            kept.Add(u);
        }
        next.Units = kept;
        return next;
    }
}
