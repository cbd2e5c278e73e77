// Translated blocks by start address, plus a page index so that unmapping, re-protecting
// or writing code pages drops exactly the translations that overlap them.
namespace Jitexec.Translator.Exec;

public sealed class BlockCache
{
    private const int PageShift = 12;
    private readonly Dictionary<ulong, Block> _byStart = new();
    private readonly Dictionary<ulong, List<Block>> _byPage = new();

    public int Count => _byStart.Count;
    /// <summary>Self-modifying-code guard told about every invalidated range (null: none).</summary>
    public CodeWriteGuard? Guard;
    public ulong Invalidations { get; private set; }

    public bool TryGet(ulong rip, out Block block) => _byStart.TryGetValue(rip, out block!);

    public void Add(Block b)
    {
        _byStart[b.Start] = b;
        for (ulong p = b.Start >> PageShift; p <= (b.End - 1) >> PageShift; p++)
        {
            if (!_byPage.TryGetValue(p, out var list)) _byPage[p] = list = new List<Block>();
            list.Add(b);
        }
    }

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
                Invalidations++;
            }
        }
    }

    public void Clear()
    {
        foreach (var b in _byStart.Values) { b.Valid = false; b.Next = b.NextTaken = null; b.KillUnits(); }
        _byStart.Clear();
        _byPage.Clear();
    }
}
