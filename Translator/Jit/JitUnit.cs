// A compiled unit: one DynamicMethod covering a block or a loop region (several blocks
// whose branches target each other). Entered at the members EntryOf names (the head and
// those control can reach from outside, UnitEntries.cs; entry = that index); returns the
// index of the exit it left by, with cpu.Rip set to the guest address to continue at.
// Exits[i] caches the block last reached through exit i (direct chaining and the inline
// cache for indirect exits). This type holds no dynamic code itself, so the interpreter
// engine can reference it without the JIT being present.
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Exec;

namespace Jitexec.Translator.Jit;

/// <summary>The compiled code of a unit (a delegate closed over the unit's ops). A null
/// <paramref name="c"/> is a warm-up call that only forces native compilation.</summary>
public delegate int JitCode(Cpu c, int entry);

public sealed class JitUnit
{
    public readonly JitCode Code;
    /// <summary>The members' ops, concatenated (fall-back ops are called with a ref into this array).</summary>
    public readonly Op[] Ops;
    public readonly Block[] Members;
    public readonly Block?[] Exits;
    /// <summary>Per exit: the member block whose indirect branch left through it (null for static exits).</summary>
    public readonly Block?[] ExitFrom;
    /// <summary>Per member: the entry index to pass to Code, or -1 when the unit has no entry there (UnitEntries.cs).</summary>
    public readonly int[] EntryOf;
    public bool Dead;
    /// <summary>Times the run loop reached a member without an entry (Engine.Run).</summary>
    public ulong EntriesMissed;
    /// <summary>Recompilations of this unit's members for missed entries so far (JitTier.RequestEntries).</summary>
    public int EntryRecompiles;
    /// <summary>The unit leaves SSE exception flags in the host's MXCSR (UnitCompiler.HostFp.cs):
    /// whoever runs it collects them (Mx.CollectHost) when it returns or faults.</summary>
    public bool HostFpFlags { get; init; }
    /// <summary>Exits from this index on are side exits: the unit declined to run at all, with
    /// nothing done (UnitCompiler.EmitHostReadyCheck), and left for the interpreter.</summary>
    public int SideExitStart { get; init; } = int.MaxValue;
    public int SideExitsTaken;

    /// <summary>Make this unit the code run for each member (main thread only).</summary>
    public void Install()
    {
        for (int i = 0; i < Members.Length; i++)
        {
            var m = Members[i];
            (m.Containing ??= new List<JitUnit>(1)).Add(this);
            m.Unit = this;
            m.UnitEntry = EntryOf[i];
            m.JitState = 0;
        }
    }

    public JitUnit(JitCode code, Op[] ops, Block[] members, Block?[] exitFrom, int[] entryOf)
    {
        EntryOf = entryOf;
        Code = code;
        Ops = ops;
        Members = members;
        ExitFrom = exitFrom;
        Exits = new Block?[Math.Max(exitFrom.Length, 1)];
    }

    /// <summary>A member was invalidated: detach the unit from every member so it never runs again.</summary>
    public void Kill()
    {
        if (Dead) return;
        Dead = true;
        foreach (var m in Members)
        {
            m.Containing?.Remove(this);
            if (m.Unit != this) continue;
            m.Unit = null;
            m.JitState = 0;
            m.ExecCount = 0;
        }
        Array.Clear(Exits);
    }
}
