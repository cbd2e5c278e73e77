// Chooses the blocks of a compiled unit: the hot block plus every block on a cycle through
// it (reachable from it and able to reach it back), so a loop — including the functions
// it calls and returns from — runs inside one method where RyuJIT keeps guest registers
// in host registers. Edges are the static branch and call targets plus the targets seen
// at indirect exits (returns, calls and jumps through registers). Nothing after a syscall
// is followed (the syscall may unmap or rewrite code: the unit returns to the run loop).
using Iced.Intel;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Exec;

namespace Jitexec.Translator.Jit;

internal static class RegionBuilder
{
    public const int MaxBlocks = 160;
    public const int MaxOps = 1200;

    /// <summary>Successors of a block that a unit may branch to internally: static targets,
    /// plus the observed targets of an indirect exit (ret, call/jmp through a register).</summary>
    public static void Successors(Block b, List<ulong> into)
    {
        into.Clear();
        if (b.Ops.Length == 0) return;
        ref Op last = ref b.Ops[^1];
        if (last.Insn.Mnemonic == Mnemonic.Syscall) return;
        switch (last.Insn.FlowControl)
        {
            case FlowControl.Next:
                into.Add(b.End);
                return;
            case FlowControl.UnconditionalBranch or FlowControl.Call when last.K0 == ArgKind.Imm:
                into.Add(last.Imm);
                return;
            case FlowControl.ConditionalBranch when last.K0 == ArgKind.Imm:
                into.Add(last.Imm);
                into.Add(b.End);
                return;
            case FlowControl.IndirectBranch or FlowControl.IndirectCall or FlowControl.Return:
                for (int i = 0; i < b.TargetCount; i++) into.Add(b.Targets![i]);
                return;
        }
    }

    /// <summary>The members of the unit entered at <paramref name="head"/> (head first).
    /// <paramref name="find"/> returns the block at an address if it may join a unit.</summary>
    public static Block[] Form(Block head, Func<ulong, Block?> find, bool regions)
    {
        if (!regions) return [head];
        var seen = new List<Block> { head };
        var succ = new List<List<int>>();
        var addrs = new List<ulong>();
        int ops = head.Ops.Length;
        for (int i = 0; i < seen.Count; i++)
        {
            Successors(seen[i], addrs);
            var s = new List<int>(addrs.Count);
            foreach (var a in addrs) { int t = Visit(a); if (t >= 0) s.Add(t); }
            succ.Add(s);
        }

        // Keep the blocks that can reach the head again.
        var onLoop = new bool[seen.Count];
        onLoop[0] = true;
        for (bool changed = true; changed;)
        {
            changed = false;
            for (int i = 1; i < seen.Count; i++)
            {
                if (onLoop[i]) continue;
                foreach (int t in succ[i])
                    if (onLoop[t]) { onLoop[i] = changed = true; break; }
            }
        }
        var members = new List<Block>();
        for (int i = 0; i < seen.Count; i++) if (onLoop[i]) members.Add(seen[i]);
        return members.ToArray();

        int Visit(ulong addr)
        {
            // A linear search (at most MaxBlocks): a Dictionary<ulong, int> has no precompiled
            // (ReadyToRun) code and cost seven methods' JIT compilation on the run loop's thread.
            for (int k = 0; k < seen.Count; k++) if (seen[k].Start == addr) return k;
            if (seen.Count >= MaxBlocks) return -1;
            var b = find(addr);
            if (b == null || !b.Valid || b.JitState == 2 || b.OnWritablePage || ops + b.Ops.Length > MaxOps) return -1;
            ops += b.Ops.Length;
            seen.Add(b);
            return seen.Count - 1;
        }
    }
}
