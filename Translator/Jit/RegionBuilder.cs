// Chooses the blocks of a compiled unit: the hot block plus every block on a loop through
// it (reachable from it along static branch edges and able to reach it back), so the loop
// runs inside one method where RyuJIT keeps guest registers in host registers. Calls are
// not followed (a unit is intraprocedural), nor is anything after a syscall (the syscall
// may unmap or rewrite code, so the unit must return to the run loop after it).
using Iced.Intel;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Exec;

namespace Jitexec.Translator.Jit;

internal static class RegionBuilder
{
    public const int MaxBlocks = 24;
    public const int MaxOps = 400;

    /// <summary>Static successors of a block that a unit may jump to internally (0, 1 or 2 addresses).</summary>
    public static int Successors(Block b, out ulong s0, out ulong s1)
    {
        s0 = s1 = 0;
        if (b.Ops.Length == 0) return 0;
        ref Op last = ref b.Ops[^1];
        if (last.Insn.Mnemonic == Mnemonic.Syscall) return 0;
        switch (last.Insn.FlowControl)
        {
            case FlowControl.Next:
                s0 = b.End;
                return 1;
            case FlowControl.UnconditionalBranch when last.K0 == ArgKind.Imm:
                s0 = last.Imm;
                return 1;
            case FlowControl.ConditionalBranch when last.K0 == ArgKind.Imm:
                s0 = last.Imm;
                s1 = b.End;
                return 2;
            default:
                return 0;
        }
    }

    /// <summary>The members of the unit entered at <paramref name="head"/> (head first).
    /// <paramref name="find"/> returns the block at an address if it may join a unit.</summary>
    public static Block[] Form(Block head, Func<ulong, Block?> find, bool regions)
    {
        if (!regions) return [head];
        var seen = new List<Block> { head };
        var index = new Dictionary<ulong, int> { [head.Start] = 0 };
        var succ = new List<(int, int)>();
        int ops = head.Ops.Length;
        for (int i = 0; i < seen.Count; i++)
        {
            int n = Successors(seen[i], out ulong a0, out ulong a1);
            int t0 = n > 0 ? Visit(a0) : -1;
            int t1 = n > 1 ? Visit(a1) : -1;
            succ.Add((t0, t1));
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
                var (t0, t1) = succ[i];
                if ((t0 >= 0 && onLoop[t0]) || (t1 >= 0 && onLoop[t1])) { onLoop[i] = changed = true; }
            }
        }
        var members = new List<Block>();
        for (int i = 0; i < seen.Count; i++) if (onLoop[i]) members.Add(seen[i]);
        return members.ToArray();

        int Visit(ulong addr)
        {
            if (index.TryGetValue(addr, out int k)) return k;
            if (seen.Count >= MaxBlocks) return -1;
            var b = find(addr);
            if (b == null || !b.Valid || b.JitState == 2 || ops + b.Ops.Length > MaxOps) return -1;
            ops += b.Ops.Length;
            index[addr] = seen.Count;
            seen.Add(b);
            return seen.Count - 1;
        }
    }
}
