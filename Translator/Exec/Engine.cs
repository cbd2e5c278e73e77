// The run loop: find (or translate) the block at rip, execute it, repeat until the guest
// halts. Successors are chained without the cache lookup: each interpreted block keeps its
// last fall-through and last other successor, each exit of a compiled unit its last target.
// A block is interpreted until the JIT tier (Jit/, optional: absent when dynamic code is
// not supported) compiles a unit containing it; then the unit runs instead.
// Guest faults raised as GuestFault go to the system layer, which delivers or terminates.
using System.Runtime.CompilerServices;
using Jitexec.Translator.Core;
using Jitexec.Translator.Host;
using Jitexec.Translator.Jit;
using Jitexec.Translator.Memory;
using Jitexec.Translator.Semantics;
using Jitexec.Translator.Semantics.Sse;

namespace Jitexec.Translator.Exec;

public sealed unsafe partial class Engine
{
    public readonly BlockCache Cache = new();
    private readonly BlockTranslator _translator;
    private readonly GuestMemory _mem;
    private JitTier? _jit;
    private CodeWriteGuard? _guard;
    private Func<ulong, bool>? _writable;
    // The attention word, polled by the run loop between blocks and by compiled loops at every
    // back-edge: non-zero when guest code pages were written (the code-write guard's fault
    // handler sets it; it is the guard's flag once a guard is enabled) or a stop was requested.
    // Pinned bytes (not GC.AllocateArray<int>): CoreLib's ReadyToRun image has code for the
    // byte instantiation of AllocateUninitializedArray only; the int one was JIT-compiled at start-up.
    private readonly byte[] _ownAttention = GC.AllocateUninitializedArray<byte>(sizeof(int), pinned: true);
    private int* _attention;
    private int _threshold = int.MaxValue;
    private ulong _jitAfter;   // no compilation before this many guest instructions (short runs stay JIT-free)
    public ulong BlocksTranslated { get; private set; }
    /// <summary>Time spent decoding guest code into blocks (Stopwatch ticks).</summary>
    public long TranslationTicks { get; private set; }
    /// <summary>Guest instructions executed by the interpreter (the rest ran as compiled code).</summary>
    public ulong InterpretedInstructions { get; private set; }

    /// <summary>Times compiled code was entered from the run loop (each entry and exit costs a register load/store round).</summary>
    public ulong UnitEntries { get; private set; }
    /// <summary>Times the run loop reached a member of a unit that has no entry there, and interpreted it.</summary>
    public ulong UnitEntriesMissed { get; private set; }

    public Engine(GuestMemory mem, IGuestSystem sys, HandlerRegistry? handlers = null)
    {
        _mem = mem;
        _translator = new BlockTranslator(mem, sys, handlers);
        _attention = (int*)Unsafe.AsPointer(ref _ownAttention[0]);
        *_attention = 0;
    }

    /// <summary>The JIT tier, or null when running interpreter-only.</summary>
    public JitTier? Jit => _jit;

    /// <summary>Enable the JIT tier with the given options. Returns false (interpreter only) when
    /// the options say off or the runtime cannot generate code (NativeAOT).</summary>
    public bool ConfigureJit(JitOptions options)
    {
        _jit?.Dispose();
        _jit = null;
        _threshold = int.MaxValue;
        if (options.Mode == JitMode.Off || !RuntimeFeature.IsDynamicCodeSupported) return false;
        _jit = new JitTier(this, _mem, options) { AttentionFlag = _attention };
        SetHotTrigger(options);
        return true;
    }

    /// <summary>When a block counts as hot: its threshold of executions, after the warm-up (both 0 for Always).</summary>
    private void SetHotTrigger(JitOptions options)
    {
        _threshold = options.Mode == JitMode.Always ? 0 : Math.Max(options.Threshold, 1);
        _jitAfter = options.Mode == JitMode.Always ? 0 : options.WarmupInstructions;
    }

    /// <summary>Detect guest writes to translated code: pages for which <paramref name="writable"/>
    /// says the guest may write are write-protected while they hold translations.</summary>
    public void EnableCodeWriteGuard(CodeWriteGuard guard, Func<ulong, bool> writable)
    {
        _guard = guard;
        _writable = writable;
        *guard.WrittenFlag |= *_attention;
        _attention = guard.WrittenFlag;
        Cache.Guard = guard;
        if (_jit != null) _jit.AttentionFlag = _attention;
    }

    public CodeWriteGuard? Guard => _guard;

    /// <summary>Called once by the next Run, when the block at the guest's rip has been translated
    /// and is about to execute (a resident restore ends there: ResidentSession times it).</summary>
    public Action? BeforeFirstBlock { get; set; }

    public Block Lookup(ulong rip)
    {
        if (Cache.TryGet(rip, out var b)) return b;
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        b = _translator.Translate(rip);
        TranslationTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
        BlocksTranslated++;
        if (b.Valid)
        {
            if (_seededCounts != null && _seededCounts.Remove(b.Start, out ulong seeded)) b.ExecCount = seeded;
            Cache.Add(b);
            if (_guard != null) GuardPages(b);
            _jit?.Translated(b); // hot-code profile: marks an entry of a recorded unit
        }
        return b;
    }

    private void GuardPages(Block b)
    {
        for (ulong p = b.Start & ~(GuestMemory.PageSize - 1); p < b.End; p += GuestMemory.PageSize)
        {
            if (_guard!.IsProtected(p)) { b.OnWritablePage = true; continue; }
            if (!_writable!(p)) continue;
            _guard.Protect(p);
            b.OnWritablePage = true;
        }
    }

    /// <summary>Stop <paramref name="cpu"/> at its next block or compiled loop back-edge (any thread):
    /// Halted alone would not end a compiled loop, which polls only the attention word.</summary>
    public void RequestStop(Cpu cpu)
    {
        cpu.Halted = true;
        Volatile.Write(ref *_attention, 1);
    }

    /// <summary>The attention word was set: drop translations of written code pages (which also
    /// clears it), or just clear it after a stop request.</summary>
    private void Attend()
    {
        if (_guard != null) _guard.Collect(Cache);
        else *_attention = 0;
    }

    /// <summary>Run until cpu.Halted is set (by exit or a fatal fault), or until rip equals <paramref name="stopAt"/>.</summary>
    public void Run(Cpu cpu, ulong stopAt = ulong.MaxValue)
    {
        Block? none = null;
        ref Block? link = ref none;  // where the block reached next is cached
        Block? from = null;          // block whose indirect exit led here (target profiling)
        var jit = _jit;
        HandoffRequested = false;
        if (_translateSeeded) { _translateSeeded = false; TranslateSeeded(cpu.Sys); }
        if (BeforeFirstBlock is { } first)
        {
            BeforeFirstBlock = null;
            if (!cpu.Halted && cpu.Rip != stopAt) Lookup(cpu.Rip); // cached: the loop below finds it
            first();
        }
        while (!cpu.Halted && cpu.Rip != stopAt)
        {
            if (*_attention != 0) Attend();
            if (jit != null && jit.HasWork) jit.Service();
            ulong rip = cpu.Rip;
            Block? b = link;
            if (b == null || b.Start != rip || !b.Valid)
            {
                b = Lookup(rip);
                if (b.Valid) link = b;
                if (from != null && from.NoteTarget(rip, out bool recorded))
                {
                    if (recorded) Cache.NoteEdge(from, rip);
                    else Cache.NoteArrivalFromAnywhere(rip); // a target the region builder cannot see
                }
            }
            try
            {
                JitUnit? u = b.Unit;
                if (u != null && b.UnitEntry < 0)
                {
                    // A member its unit has no entry at (UnitEntries.cs): interpreted until control
                    // reaches an entry. A unit reached this way often is recompiled with its entries
                    // predicted again (the code that branches here has been seen by then).
                    UnitEntriesMissed++;
                    if (++u.EntriesMissed == (ulong)Math.Max(_threshold, 1)) jit!.RequestEntries(u);
                    u = null;
                }
                else if (u == null && b.JitState == 0 && b.ExecCount++ >= (ulong)_threshold && b.Valid && cpu.InstructionsRetired >= _jitAfter)
                {
                    if (jit == null) // ConfigureHandoff: stop before this block, once
                    {
                        _threshold = int.MaxValue;
                        HandoffRequested = true;
                        return;
                    }
                    jit.Request(b);
                    u = b.UnitEntry >= 0 ? b.Unit : null;
                }
                if (u != null)
                {
                    UnitEntries++;
                    int exit;
                    // Host-flags units: the host's MXCSR flags are the unit's; cleared here rather than
                    // in the unit, whose native call there would make RyuJIT spill the XMM locals
                    // (loaded after it, before the GC poll that follows it) for the whole unit.
                    if (u.HostFpFlags) HostMxcsr.ClearFlags();
                    try { exit = u.Code(cpu, b.UnitEntry); }
                    finally { if (u.HostFpFlags) Mx.CollectHost(ref cpu.Mxcsr); }
                    if (exit >= u.SideExitStart) jit!.NoteSideExit(u);
                    link = ref u.Exits[exit];
                    from = u.ExitFrom[exit];
                    continue;
                }
                b.Interpret(cpu);
                InterpretedInstructions += (ulong)b.Ops.Length;
                if (cpu.Rip == b.End) { link = ref b.Next; from = null; }
                else { link = ref b.NextTaken; from = b; }
            }
            catch (GuestFault f)
            {
                cpu.Sys.Fault(cpu, f);
                none = null;
                link = ref none;
                from = null;
            }
        }
    }
}
