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

    /// <summary>Does the profile already describe <paramref name="unit"/> (a unit a run compiled)? Yes
    /// when a recorded unit has the same entry with the same entry code, or holds the unit's entry
    /// block (same code) and is at least as large: then the run compiled the same loop entered at
    /// another block (which block reaches the threshold first depends on where the JIT warm-up
    /// ends), or a part of a recorded unit; recording it would add a unit the next run never
    /// compiles (its entry is a member of the recorded one), and cost every such run a profile update.</summary>
    public bool Knows(HotBlock[] unit) => Cover(unit) != null;

    /// <summary>The recorded unit that describes <paramref name="unit"/> (see Knows), or null.</summary>
    private HotUnit? Cover(HotBlock[] unit)
    {
        if (unit.Length == 0) return null;
        HotBlock e = unit[0];
        HotUnit? best = null;
        foreach (var u in Units)
        {
            if (u.Entry == e.Address) return u.Blocks[0].CodeHash == e.CodeHash && u.Blocks[0].Length == e.Length ? u : null;
            if (best == null && u.Blocks.Length >= unit.Length && Holds(u.Blocks, e)) best = u;
        }
        return best;
    }

    private static bool Holds(HotBlock[] blocks, HotBlock b)
    {
        foreach (var x in blocks)
            if (x.Address == b.Address) return x.CodeHash == b.CodeHash && x.Length == b.Length;
        return false;
    }

    /// <summary>This profile updated with the units a run compiled: a unit with the same entry and
    /// entry code is replaced by the run's (fresher targets) with Runs+1; one that a recorded unit
    /// describes otherwise (Knows: the same loop entered elsewhere) counts as a run of that unit;
    /// new ones are added, and recorded units they supersede (whose entry block is a member of a
    /// new unit at least as large) are dropped. The result is cut to the bounds keeping the
    /// most-run, then most recent, units. <paramref name="added"/> counts units the profile did not know.</summary>
    public HotProfile Merge(IReadOnlyList<HotBlock[]> compiled, out int added)
    {
        // Plain loops and lists over this assembly's types: a run merges once, at its end, and
        // generic instantiations over primitive keys (Dictionary<ulong, int>, LINQ over tuples)
        // have no ReadyToRun code, so they were JIT-compiled then (~30 ms for one update).
        uint gen = Generation + 1;
        var next = new HotProfile { Generation = gen };
        foreach (var u in Units)
            if (IndexOf(next.Units, u.Entry) < 0) next.Units.Add(u);
        added = 0;
        var fresh = new List<HotBlock[]>();
        for (int i = 0; i < compiled.Count; i++)
        {
            var blocks = compiled[i];
            if (blocks.Length == 0 || blocks.Length > MaxBlocksPerUnit || SeenBefore(compiled, i)) continue;
            var clean = Array.ConvertAll(blocks, b => b.Targets.Length <= MaxTargets ? b : b with { Targets = b.Targets[..MaxTargets] });
            int at = IndexOf(next.Units, blocks[0].Address);
            if (at >= 0)
            {
                var old = next.Units[at];
                bool same = old.Blocks[0].CodeHash == blocks[0].CodeHash && old.Blocks[0].Length == blocks[0].Length;
                if (!same) { added++; fresh.Add(clean); }
                next.Units[at] = new HotUnit(clean, same ? old.Runs + 1 : 1, gen);
            }
            else if (Cover(blocks) is { } cover)
            {
                int c = IndexOf(next.Units, cover.Entry);
                if (next.Units[c].LastSeen != gen) next.Units[c] = next.Units[c] with { Runs = next.Units[c].Runs + 1, LastSeen = gen };
            }
            else
            {
                added++;
                fresh.Add(clean);
                next.Units.Add(new HotUnit(clean, 1, gen));
            }
        }
        // Superseded: a unit whose entry block a new unit (at least as large) holds as a member.
        if (fresh.Count > 0)
            next.Units.RemoveAll(u => u.LastSeen != gen && fresh.Exists(f => f.Length >= u.Blocks.Length && f[0].Address != u.Entry && Holds(f, u.Blocks[0])));
        // Bound: most runs first, then most recently seen; stable otherwise.
        var order = new List<Ranked>(next.Units.Count);
        for (int i = 0; i < next.Units.Count; i++) order.Add(new Ranked(next.Units[i], i));
        order.Sort(static (a, b) => a.Unit.Runs != b.Unit.Runs ? b.Unit.Runs.CompareTo(a.Unit.Runs)
            : a.Unit.LastSeen != b.Unit.LastSeen ? b.Unit.LastSeen.CompareTo(a.Unit.LastSeen) : a.Index.CompareTo(b.Index));
        var kept = new List<HotUnit>();
        int blocksKept = 0;
        foreach (var r in order)
        {
            if (kept.Count == MaxUnits) break;
            if (blocksKept + r.Unit.Blocks.Length > MaxBlocks) continue;
            blocksKept += r.Unit.Blocks.Length;
            kept.Add(r.Unit);
        }
        next.Units = kept;
        return next;
    }

    private sealed record Ranked(HotUnit Unit, int Index);

    private static int IndexOf(List<HotUnit> units, ulong entry)
    {
        for (int i = 0; i < units.Count; i++)
            if (units[i].Entry == entry) return i;
        return -1;
    }

    private static bool SeenBefore(IReadOnlyList<HotBlock[]> compiled, int i)
    {
        for (int j = 0; j < i; j++)
            if (compiled[j].Length > 0 && compiled[j][0].Address == compiled[i][0].Address) return true;
        return false;
    }
}
