// A translated basic block: a run of pre-decoded ops ending at a control transfer, a
// syscall, a page boundary or the size cap. Executing it runs each op's handler in order;
// rip is preset to the fall-through address so only control transfers write it.
// Tiering: ExecCount counts interpreted executions; once the JIT tier has compiled a unit
// containing this block, Unit/UnitEntry say where to enter it (cleared on invalidation).
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Jit;

namespace Jitexec.Translator.Exec;

public sealed unsafe class Block
{
    public readonly ulong Start;
    public readonly ulong End;          // address after the last instruction
    public readonly Op[] Ops;
    public bool Valid = true;
    /// <summary>The block's code is on a guest-writable page (write-protected by the CodeWriteGuard).</summary>
    public bool OnWritablePage;
    public ulong ExecCount;

    // Direct chaining: the last successor taken by fall-through (rip == End) and by any
    // other exit (branch taken, call, return...), to skip the cache lookup.
    public Block? Next;
    public Block? NextTaken;

    /// <summary>Distinct addresses reached by this block's non-fall-through exit (up to 16),
    /// recorded when the chaining link misses: the indirect targets a unit may branch to.</summary>
    public ulong[]? Targets;
    public int TargetCount;

    /// <summary>Record a target of the non-fall-through exit. Returns false when it was known already;
    /// true when it is new, with <paramref name="recorded"/> false when the list was full.</summary>
    public bool NoteTarget(ulong rip, out bool recorded)
    {
        var t = Targets ??= new ulong[16];
        recorded = false;
        for (int i = 0; i < TargetCount; i++) if (t[i] == rip) return false;
        if (TargetCount < t.Length) { t[TargetCount++] = rip; recorded = true; }
        return true;
    }

    /// <summary>The block ends in a syscall: what follows is reached from the run loop, never by a branch.</summary>
    public bool EndsInSyscall => Ops.Length > 0 && Ops[^1].Insn.Mnemonic == Mnemonic.Syscall;

    /// <summary>Where control goes next, as far as the block itself knows: the fall-through and
    /// direct branch/call targets, plus the recorded targets of an indirect exit (ret, call/jmp
    /// through a register). Nothing after a syscall (the run loop takes over there).</summary>
    public void Successors(List<ulong> into)
    {
        into.Clear();
        if (Ops.Length == 0 || EndsInSyscall) return;
        ref Op last = ref Ops[^1];
        switch (last.Insn.FlowControl)
        {
            case FlowControl.Next:
                into.Add(End);
                return;
            case FlowControl.UnconditionalBranch or FlowControl.Call when last.K0 == ArgKind.Imm:
                into.Add(last.Imm);
                return;
            case FlowControl.ConditionalBranch when last.K0 == ArgKind.Imm:
                into.Add(last.Imm);
                into.Add(End);
                return;
            case FlowControl.IndirectBranch or FlowControl.IndirectCall or FlowControl.Return:
                for (int i = 0; i < TargetCount; i++) into.Add(Targets![i]);
                return;
        }
    }

    /// <summary>Where control reaches this block from (BlockCache.NoteEdge): blocks that branch, fall or
    /// return here, and Anywhere when it may also come from somewhere no block names (after a
    /// syscall, from an indirect branch with more targets than it records). A compiled unit
    /// needs an entry only at members with a predecessor outside it.</summary>
    public List<Block>? Preds;

    /// <summary>The predecessor that stands for "anywhere" (never a unit member).</summary>
    public static readonly Block Anywhere = new(ulong.MaxValue, ulong.MaxValue, new Op[0]) { Valid = false }; // not []: Array.Empty<Op> is JIT-compiled

    /// <summary>Compiled code containing this block (null: interpret), entered with UnitEntry;
    /// -1: the unit has no entry here (UnitEntries.cs), so the block is interpreted when reached
    /// from outside the unit, until it reaches an entry.</summary>
    public JitUnit? Unit;
    public int UnitEntry;
    /// <summary>JIT bookkeeping: 0 = not requested, 1 = queued for compilation, 2 = do not compile.</summary>
    public byte JitState;
    /// <summary>A host-flags unit containing this block left through side exits too often (guest MXCSR
    /// control not the default, NaN results): compile it with per-op MXCSR flags (JitTier.NoteSideExit).</summary>
    public bool NoHostFp;
    /// <summary>The hot-code profile names a unit entered here (its threshold is mostly skipped; see JitTier.Translated).</summary>
    public bool Profiled;
    /// <summary>Every live unit whose code includes this block (all are killed when it is invalidated).</summary>
    public List<JitUnit>? Containing;

    /// <summary>Drop all compiled code that includes this block.</summary>
    public void KillUnits()
    {
        var list = Containing;
        Containing = null;
        Unit = null;
        if (list == null) return;
        foreach (var u in list.ToArray()) u.Kill();
    }

    public Block(ulong start, ulong end, Op[] ops)
    {
        Start = start;
        End = end;
        Ops = ops;
    }

    public void Interpret(Cpu c)
    {
        c.Rip = End;
        var ops = Ops;
        for (int i = 0; i < ops.Length; i++)
            ops[i].Exec(c, ref ops[i]);
        c.InstructionsRetired += (ulong)ops.Length;
    }
}
