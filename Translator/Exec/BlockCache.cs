// Translated blocks by start address, plus a page index so that unmapping, re-protecting
// or writing code pages drops exactly the translations that overlap them, plus the
// predecessor index (Block.Preds) that tells the JIT where a unit must be enterable:
// static edges are noted when a block is added, observed indirect ones by the run loop.
// Edges into an address not translated yet wait in a pending list until it is.
namespace Jitexec.Translator.Exec;

public sealed class BlockCache
{
    private const int PageShift = 12;
    private readonly Dictionary<ulong, Block> _byStart = new();
    private readonly Dictionary<ulong, List<Block>> _byPage = new();
    private readonly Dictionary<ulong, List<Block>> _pendingPreds = new();

    public int Count => _byStart.Count;
    /// <summary>Self-modifying-code guard told about every invalidated range (null: none).</summary>
    public CodeWriteGuard? Guard;
    public ulong Invalidations { get; private set; }

    public bool TryGet(ulong rip, out Block block) => _byStart.TryGetValue(rip, out block!);

    /// <summary>Every cached block (no particular order).</summary>
    public IEnumerable<Block> Blocks => _byStart.Values;

    public void Add(Block b)
    {
        _byStart[b.Start] = b;
        for (ulong p = b.Start >> PageShift; p <= (b.End - 1) >> PageShift; p++)
        {
            if (!_byPage.TryGetValue(p, out var list)) _byPage[p] = list = new List<Block>();
            list.Add(b);
        }
        if (_pendingPreds.Remove(b.Start, out var preds)) b.Preds = preds;
        NoteStaticEdges(b);
    }

    /// <summary>Control went (or may go) from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public void NoteEdge(Block from, ulong to)
    {
        List<Block>? list;
        if (_byStart.TryGetValue(to, out var t)) list = t.Preds ??= new List<Block>(2);
        else if (!_pendingPreds.TryGetValue(to, out list)) _pendingPreds[to] = list = new List<Block>(2);
        if (list.Contains(from)) return;
        // Retranslated code (a guest JIT rewriting it) leaves dropped predecessors behind.
        if (list.Count >= 16) list.RemoveAll(p => !p.Valid && p != Block.Anywhere);
        list.Add(from);
    }

    /// <summary>Control may reach <paramref name="to"/> from places no edge records.</summary>
    public void NoteArrivalFromAnywhere(ulong to) => NoteEdge(Block.Anywhere, to);

    /// <summary>A new block's edges (Block.Successors: it has no recorded indirect targets yet). A
    /// call's return address is reached from the callee's return (an observed edge); a syscall's
    /// fall-through from the run loop after it.</summary>
    private void NoteStaticEdges(Block b)
    {
        if (b.EndsInSyscall) { NoteArrivalFromAnywhere(b.End); return; }
        b.Successors(_successors);
        foreach (ulong a in _successors) NoteEdge(b, a);
    }

    private readonly List<ulong> _successors = new(2);

    /// <summary>Drop every block overlapping [start, start+length).</summary>
    public void Invalidate(ulong start, ulong length)
    {
        if (length == 0) return;
        Guard?.Forget(start, length);
        if (_byStart.Count == 0) return;
        ulong last = (start + length - 1) >> PageShift;
        for (ulong p = start >> PageShift; p <= last; p++)
        {
            if (!_byPage.Remove(p, out var list)) continue;
            foreach (var b in list)
            {
                if (!b.Valid) continue;
                b.Valid = false;
                b.Next = b.NextTaken = null;
                b.KillUnits();
                _byStart.Remove(b.Start);
                // Its predecessors still lead to the address: the retranslation inherits them.
                if (b.Preds != null) _pendingPreds[b.Start] = b.Preds;
                Invalidations++;
            }
        }
    }

    public void Clear()
    {
        foreach (var b in _byStart.Values) { b.Valid = false; b.Next = b.NextTaken = null; b.KillUnits(); }
        _byStart.Clear();
        _byPage.Clear();
        _pendingPreds.Clear();
    }
}
