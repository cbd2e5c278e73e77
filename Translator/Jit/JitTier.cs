// Tier policy: a block interpreted past the threshold is queued with the loop region
// around it (RegionBuilder) and compiled on a background thread while the interpreter
// keeps running; finished units are installed by the run loop's thread (Service), which
// first checks that no member was invalidated meanwhile — all invalidation happens on
// that thread, so an installed unit never contains a dropped block. A unit is enterable
// only at members control arrives at from outside it (UnitEntries.cs); one the run loop
// keeps reaching elsewhere is compiled again (RequestEntries). In Always mode every
// block is compiled synchronously before it first runs. A hot-code profile from earlier runs
// (Prewarm) queues a recorded unit as soon as its entry block is translated (JitProfile.cs).
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Memory;

namespace Jitexec.Translator.Jit;

[RequiresDynamicCode("The JIT tier generates code with DynamicMethod.")]
public sealed unsafe class JitTier : IDisposable
{
    private sealed class Job(Block[] members, JitUnit? replaces = null)
    {
        public readonly Block[] Members = members;
        /// <summary>A recompilation for missed entries: the unit it replaces, killed when this one is installed.</summary>
        public readonly JitUnit? Replaces = replaces;
        /// <summary>Recompilations for missed entries this unit is the result of.</summary>
        public int EntryRecompiles => Replaces == null ? 0 : Replaces.EntryRecompiles + 1;
        /// <summary>Per member: may the unit be entered there (UnitEntries.Predict, on the run loop's thread);
        /// null: at every member (after EntryRecompileLimit recompilations).</summary>
        public readonly bool[]? Entries = replaces?.EntryRecompiles >= EntryRecompileLimit ? null : UnitEntries.Predict(members, replaces);
        public JitUnit? Unit;
        public long Ticks;
        public long CpuNs;
        public int InlineOps;
        public System.Text.StringBuilder? Fallbacks;
        public Exception? Error;
        public bool FromProfile;
    }

    private readonly Engine _engine;
    private readonly GuestMemory _mem;
    private readonly JitOptions _options;
    private readonly Queue<Job> _queue = new();
    private readonly Queue<Job> _done = new();
    private readonly object _gate = new();
    private Thread? _thread;
    private bool _stopping;
    private volatile bool _hasWork;
    private Dictionary<ulong, ProfileBlock[]>? _profile;   // entry -> recorded unit, until the entry is translated
    private readonly List<JitUnit> _installed = new();
    private int _pruneAt = 1024;

    // Statistics (read at exit by --jit-stats).
    public int UnitsCompiled { get; private set; }
    public int BlocksCompiled { get; private set; }
    public int CompileFailures { get; private set; }
    public int UnitsDiscarded { get; private set; }
    public long CompileTicks { get; private set; }
    /// <summary>CPU time the compiling thread spent on the units (ns): on a busy machine the wall time
    /// above also counts the time the thread waited for a core.</summary>
    public long CompileCpuNs { get; private set; }
    public long OpsCompiled { get; private set; }
    public long OpsInlined { get; private set; }
    /// <summary>Units compiled because the hot-code profile named them (included in UnitsCompiled).</summary>
    public int UnitsFromProfile { get; private set; }
    /// <summary>Units compiled in host-flags mode, side exits taken, and units killed for taking too many.</summary>
    public int HostFpUnits { get; private set; }
    /// <summary>Units compiled again because the run loop kept reaching members without an entry.</summary>
    public int EntryRecompiles { get; private set; }
    public long SideExits { get; private set; }
    public int HostFpDeclined { get; private set; }

    /// <summary>Side exits a unit may take before it is recompiled without host-flags mode: a few
    /// NaN results are cheap to run interpreted; a guest running with another MXCSR control
    /// state (or computing NaNs in a loop) would otherwise leave the unit at every FP op.</summary>
    public const int SideExitLimit = 64;

    /// <summary>The run loop saw unit u leave through a side exit (main thread).</summary>
    public void NoteSideExit(JitUnit u)
    {
        SideExits++;
        if (++u.SideExitsTaken < SideExitLimit || u.Dead) return;
        foreach (var m in u.Members) m.NoHostFp = true;
        u.Kill();
        HostFpDeclined++;
    }
    public string? LastError { get; private set; }

    public JitTier(Engine engine, GuestMemory mem, JitOptions options)
    {
        _engine = engine;
        _mem = mem;
        _options = options;
    }

    public JitOptions Options => _options;

    /// <summary>True when the run loop should call Service (finished compilations to install).</summary>
    public bool HasWork => _hasWork;

    /// <summary>The engine's attention word, which the units' loop back-edges test (non-zero: guest code was written or a stop was requested).</summary>
    public int* AttentionFlag { get; set; }

    /// <summary>Block b is hot (or, in Always mode, about to run for the first time).</summary>
    public void Request(Block b)
    {
        if (b.Profiled && _profile != null && _profile.Remove(b.Start, out var recorded))
        {
            b.Profiled = false;
            if (JitProfile.Match(_mem, b, recorded, _engine.Lookup) is { } profiled) { Enqueue(b, profiled, fromProfile: true); return; }
        }
        Block[] members;
        if (b.OnWritablePage)
            members = [b]; // code the guest may rewrite: one block per unit (checked between blocks)
        else if (_options.Mode == JitMode.Always)
            members = RegionBuilder.Form(b, a => { var x = _engine.Lookup(a); return x.Valid ? x : null; }, _options.Regions);
        else
        {
            ulong hot = MemberCount(b.ExecCount, _options.Threshold);
            members = RegionBuilder.Form(b, a => _engine.Cache.TryGet(a, out var x) && (x.ExecCount >= hot || x.Unit != null) ? x : null, _options.Regions,
                rejoin: a => _engine.Cache.TryGet(a, out var x) && (x.ExecCount > 0 || x.Unit != null) ? x : null);
        }
        Enqueue(b, members, fromProfile: false);
    }

    /// <summary>Recompilations of one unit for missed entries before it is entered at every member.</summary>
    public const int EntryRecompileLimit = 2;

    /// <summary>The run loop keeps reaching members of <paramref name="u"/> without an entry: compile its
    /// members again with entries predicted from what has run since (at every member after
    /// EntryRecompileLimit tries). The new unit replaces u when installed.</summary>
    public void RequestEntries(JitUnit u)
    {
        if (u.Dead || u.Members[0].Unit != u) return;
        EntryRecompiles++;
        Enqueue(u.Members[0], u.Members, fromProfile: false, new Job(u.Members, u));
    }

    /// <summary>Interpreted executions a block needs to join the region of a head requested after
    /// <paramref name="headCount"/> executions: a quarter of the threshold, or, for a head held back
    /// past the threshold (by the warm-up), that scaled down by how far past it is (not below
    /// threshold/64). A head requested only when the warm-up ends has counted since start-up while
    /// the loop around it may have begun just before: perl's runloop was requested at 12,000
    /// executions when its pp_ functions (called once per loop iteration, the runloop ten times)
    /// had run 1,235 times, so it was compiled as a 5-block unit that left the unit at every pp_
    /// call; the 76-block region followed only 3,800 interpreted iterations (2M instructions) later.</summary>
    internal static ulong MemberCount(ulong headCount, int threshold)
    {
        ulong t = (ulong)Math.Max(threshold, 1);
        ulong hot = Math.Max(t / 4, 1);
        if (headCount <= t) return hot;
        return Math.Max(hot * t / headCount, Math.Max(t / 64, 1));
    }

    private void Enqueue(Block b, Block[] members, bool fromProfile, Job? job = null)
    {
        foreach (var m in members) if (m.Unit == null) m.JitState = 1;
        b.JitState = 1;
        job ??= new Job(members) { FromProfile = fromProfile };
        job.Fallbacks = _options.Trace != null ? new() : null;
        if (!_options.Background || _options.Mode == JitMode.Always)
        {
            Compile(job);
            Install(job);
            return;
        }
        lock (_gate)
        {
            _queue.Enqueue(job);
            if (_thread == null)
            {
                _thread = new Thread(CompileLoop) { IsBackground = true, Name = "jitexec JIT" };
                _thread.Start();
            }
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Hot-code profile of earlier runs (units, entry block first): each is compiled, in the
    /// background, once its entry block has run ProfileTrigger times (after the warm-up, like all compilation).
    /// Threshold mode only; only a hint (see JitProfile).</summary>
    public void Prewarm(IEnumerable<ProfileBlock[]> units)
    {
        if (_options.Mode != JitMode.Threshold) return;
        var d = _profile ?? new Dictionary<ulong, ProfileBlock[]>();
        foreach (var u in units) if (u.Length > 0) d.TryAdd(u[0].Address, u);
        _profile = d.Count > 0 ? d : null;
    }

    /// <summary>Engine: block b was just translated and cached (run loop thread). A profiled entry
    /// whose code still matches is marked so it is queued after ProfileTrigger executions (once the warm-up is over).</summary>
    internal void Translated(Block b)
    {
        if (_profile == null || !_profile.TryGetValue(b.Start, out var recorded) || !JitProfile.Matches(_mem, b, recorded[0])) return;
        b.Profiled = true;
        int threshold = Math.Max(_options.Threshold, 1);
        ulong due = (ulong)(threshold - Math.Clamp(_options.ProfileTrigger, 1, threshold));
        if (b.ExecCount < due) b.ExecCount = due;
    }

    /// <summary>The live compiled units (entry block first), for the next run's profile (run loop thread).
    /// A unit that a later one subsumed (an inner loop, then its outer loop) is left out: its entry
    /// block now enters the later unit, so the next run would compile it for nothing.</summary>
    public List<ProfileBlock[]> Export()
    {
        var list = new List<ProfileBlock[]>();
        foreach (var u in _installed)
            if (!u.Dead && u.Members[0].Unit == u && !u.Members[0].OnWritablePage) list.Add(Array.ConvertAll(u.Members, m => JitProfile.Describe(_mem, m)));
        return list;
    }

    /// <summary>Install finished units (run loop thread).</summary>
    public void Service()
    {
        while (true)
        {
            Job? job;
            lock (_gate)
            {
                if (_done.Count == 0) { _hasWork = false; return; }
                job = _done.Dequeue();
            }
            Install(job);
        }
    }

    private void Compile(Job job)
    {
        long t0 = Stopwatch.GetTimestamp(), c0 = ThreadCpuNs();
        try
        {
            job.Unit = UnitCompiler.Compile(job.Members, _mem, AttentionFlag, _options.InlineForms, _options.HostFpFlags, out job.InlineOps, job.Fallbacks, job.Entries);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            job.Error = e;
        }
        job.Ticks = Stopwatch.GetTimestamp() - t0;
        job.CpuNs = ThreadCpuNs() - c0;
    }

    /// <summary>CPU time of the calling thread (clock_gettime(CLOCK_THREAD_CPUTIME_ID)), in ns; 0 if unavailable.</summary>
    private static long ThreadCpuNs()
    {
        long* ts = stackalloc long[2];
        return Host.Libc.clock_gettime(Host.Libc.CLOCK_THREAD_CPUTIME_ID, ts) == 0 ? ts[0] * 1_000_000_000 + ts[1] : 0;
    }

    private void Install(Job job)
    {
        CompileTicks += job.Ticks;
        CompileCpuNs += job.CpuNs;
        var unit = job.Unit;
        if (unit == null)
        {
            CompileFailures++;
            LastError = job.Error?.ToString();
            if (_options.ThrowOnCompileError)
                throw new InvalidOperationException($"JIT compilation of the unit at 0x{job.Members[0].Start:x} failed", job.Error);
            foreach (var m in job.Members) if (m.JitState == 1) m.JitState = 2;
            return;
        }
        foreach (var m in job.Members)
        {
            if (m.Valid) continue;
            // A member was dropped while compiling: discard; the others may be requested again.
            UnitsDiscarded++;
            foreach (var x in job.Members) if (x.JitState == 1) { x.JitState = 0; x.ExecCount = 0; }
            return;
        }
        if (job.Replaces is { Dead: false } old) old.Kill();
        unit.EntryRecompiles = job.EntryRecompiles;
        unit.Install();
        if (_installed.Count >= _pruneAt) { _installed.RemoveAll(u => u.Dead); _pruneAt = Math.Max(1024, 2 * _installed.Count); }
        _installed.Add(unit);
        if (job.FromProfile) UnitsFromProfile++;
        if (unit.HostFpFlags) HostFpUnits++;
        _options.Trace?.WriteLine($"jit: unit 0x{job.Members[0].Start:x}: {job.Members.Length} blocks, {job.Entries?.Count(e => e) ?? job.Members.Length} entries, {unit.Ops.Length} ops ({job.InlineOps} inline), {unit.Exits.Length} exits, {Stopwatch.GetElapsedTime(0, job.Ticks).TotalMilliseconds:F2} ms (CPU {job.CpuNs / 1e6:F2} ms); handlers:{job.Fallbacks}");
        UnitsCompiled++;
        BlocksCompiled += job.Members.Length;
        OpsCompiled += unit.Ops.Length;
        OpsInlined += job.InlineOps;
    }

    private void CompileLoop()
    {
        while (true)
        {
            Job job;
            lock (_gate)
            {
                while (_queue.Count == 0 && !_stopping) Monitor.Wait(_gate);
                if (_stopping) return;
                job = _queue.Dequeue();
            }
            Compile(job);
            lock (_gate)
            {
                _done.Enqueue(job);
                _hasWork = true;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
    }
}
