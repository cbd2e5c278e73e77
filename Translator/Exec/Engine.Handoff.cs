// The run loop's side of a hand-off between engine builds (docs/engines.md): a build without
// a JIT tier stops where the tier would compile its first block, and reports the blocks'
// execution counts; the build that takes the process over seeds its blocks with them, so its
// JIT tier compiles the same hot code as soon as it would have had it counted itself.
using Jitexec.Translator.Jit;

namespace Jitexec.Translator.Exec;

public sealed unsafe partial class Engine
{
    /// <summary>Set when the run loop stopped for a hand-off (ConfigureHandoff); cleared by the next Run.</summary>
    public bool HandoffRequested { get; private set; }

    /// <summary>For a runtime without a JIT tier (NativeAOT): where the JIT tier would queue its first
    /// block (same threshold and warm-up as <paramref name="options"/>), Run returns before that block
    /// (cpu.Rip at its start, not halted) with HandoffRequested set, so the caller can hand the process
    /// to a build that has the tier. Once: if the caller runs on instead, the run stays interpreted.</summary>
    public void ConfigureHandoff(JitOptions options)
    {
        if (options.Mode != JitMode.Off && _jit == null) SetHotTrigger(options);
    }

    private Dictionary<ulong, ulong>? _seededCounts;
    private bool _translateSeeded;

    /// <summary>Interpreted execution counts of the blocks run so far (a hand-off carries them over).</summary>
    public List<(ulong Start, ulong Count)> ExecCounts()
    {
        var list = new List<(ulong, ulong)>();
        foreach (var b in Cache.Blocks)
            if (b.ExecCount > 0) list.Add((b.Start, b.ExecCount));
        return list;
    }

    /// <summary>Counts another engine reached for these blocks (ExecCounts): each block starts from
    /// its count when first translated here, and the busy ones (PretranslatedCount) are translated
    /// when Run starts, so the JIT tier forms the same loops as if it had counted them itself (the
    /// region builder only takes blocks it finds translated).</summary>
    public void SeedExecCounts(IEnumerable<(ulong Start, ulong Count)> counts)
    {
        _seededCounts = new Dictionary<ulong, ulong>();
        foreach (var (start, n) in counts) _seededCounts[start] = n;
        _translateSeeded = true;
    }

    /// <summary>Seeded blocks that ran at least this often are translated up front.</summary>
    public const ulong PretranslatedCount = 64;

    private void TranslateSeeded(IGuestSystem sys)
    {
        var busy = new List<ulong>();
        foreach (var (start, n) in _seededCounts!) if (n >= PretranslatedCount) busy.Add(start);
        foreach (ulong start in busy)
        {
            if (sys.ExecutableLimit(start) <= start) continue; // unmapped since: translated when reached, if ever
            try { Lookup(start); }
            catch (GuestFault) { } // the same: a fault belongs to the run, when it gets there
        }
    }
}
