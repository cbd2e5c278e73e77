// Chooses the blocks of a compiled unit: the hot block plus every block on a cycle through
// it (reachable from it and able to reach it back), so a loop — including the functions
// it calls and returns from — runs inside one method where RyuJIT keeps guest registers
// in host registers. Blocks that have run at all and lie on a short path off the loop and
// back into it join too (rarely taken branches of the loop body). Edges are Block.Successors:
// the static branch and call targets plus the targets seen at indirect exits (returns, calls
// and jumps through registers). Nothing after a syscall is followed (the syscall may unmap
// or rewrite code: the unit returns to the run loop).
using Jitexec.Translator.Exec;

namespace Jitexec.Translator.Jit;

internal static class RegionBuilder
{
    public const int MaxBlocks = 160;
    public const int MaxOps = 1200;

    /// <summary>Blocks at most this many steps off the loop that lead back into it join as well.</summary>
    public const int RejoinSteps = 3;
    private const int RejoinBudget = 4096;

    /// <summary>The members of the unit entered at <paramref name="head"/> (head first).
    /// <paramref name="find"/> returns the block at an address if it may join a unit.
    /// <paramref name="rejoin"/>, if given, returns a block that has run at all: such blocks
    /// on a short path (RejoinSteps) from the loop back into it join too — a path the loop
    /// takes rarely (memchr's match in its second vector) would otherwise leave the unit to
    /// the interpreter each time, get hot on its own and recompile the whole loop around it.</summary>
    public static Block[] Form(Block head, Func<ulong, Block?> find, bool regions, Func<ulong, Block?>? rejoin = null)
    {
        if (!regions) return [head];
        var seen = new List<Block> { head };
        var succ = new List<List<int>>();
        var addrs = new List<ulong>();
        int ops = head.Ops.Length;
        for (int i = 0; i < seen.Count; i++)
        {
            seen[i].Successors(addrs);
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
        if (rejoin != null) AddRejoiningPaths(members, rejoin, ref ops);
        return members.ToArray();

        static int IndexOf(List<Block> list, ulong addr)
        {
            for (int k = 0; k < list.Count; k++) if (list[k].Start == addr) return k;
            return -1;
        }

        // Depth-limited search from each member's successors outside the loop; a path that
        // reaches a member again adds its blocks. It runs on the run loop's thread, so the
        // number of steps is capped (observed indirect targets make the fan-out up to 16).
        static void AddRejoiningPaths(List<Block> members, Func<ulong, Block?> rejoin, ref int ops)
        {
            var succ = new List<ulong>();
            var path = new Block[RejoinSteps];
            int loopCount = members.Count, budget = RejoinBudget;
            for (int m = 0; m < loopCount; m++)
            {
                members[m].Successors(succ);
                foreach (ulong a in succ) Walk(a, 0, ref ops);
            }

            void Walk(ulong addr, int depth, ref int ops)
            {
                if (--budget < 0) return;
                if (IndexOf(members, addr) >= 0)
                {
                    for (int k = 0; k < depth; k++)
                    {
                        if (IndexOf(members, path[k].Start) >= 0) continue;
                        if (members.Count >= MaxBlocks || ops + path[k].Ops.Length > MaxOps) return;
                        members.Add(path[k]);
                        ops += path[k].Ops.Length;
                    }
                    return;
                }
                if (depth == RejoinSteps) return;
                for (int k = 0; k < depth; k++) if (path[k].Start == addr) return;
                var b = rejoin(addr);
                if (b == null || !b.Valid || b.JitState == 2 || b.OnWritablePage) return;
                path[depth] = b;
                var next = new List<ulong>();
                b.Successors(next);
                foreach (ulong t in next) Walk(t, depth + 1, ref ops);
            }
        }

        int Visit(ulong addr)
        {
            // A linear search (at most MaxBlocks): Dictionary<ulong, int> has no ReadyToRun code and
            // would be compiled at run time, on the run loop's thread, by the first request.
            int known = IndexOf(seen, addr);
            if (known >= 0) return known;
            if (seen.Count >= MaxBlocks) return -1;
            var b = find(addr);
            if (b == null || !b.Valid || b.JitState == 2 || b.OnWritablePage || ops + b.Ops.Length > MaxOps) return -1;
            ops += b.Ops.Length;
            seen.Add(b);
            return seen.Count - 1;
        }
    }
}
