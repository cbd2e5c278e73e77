// Retired-instruction counting inside a unit, exact but off the hot path. A block is counted
// whole when it is entered (as the interpreter does). Instead of adding each block's op count
// at its start, every member k gets a potential p(k), and
//   entering the unit at member e adds   w(e) + p(e),
//   an internal edge a -> b adds          w(b) + p(b) - p(a),
//   leaving the unit from member k adds   -p(k),
// where w is a member's op count. Along any path the potentials telescope, so the sum is the
// ops of the blocks entered, whatever p is. p is chosen so that one edge into each member (from
// an earlier member: the edge that discovered it) adds nothing: p(b) = p(a) - w(b). In a simple
// loop only the back-edge adds (the whole iteration's count); exits, which are cold, carry the
// correction. Counts are ulong with wrap-around, so negative increments are fine.
using System.Reflection.Emit;

namespace Jitexec.Translator.Jit;

internal sealed partial class UnitCompiler
{
    private long[] _potential = [];
    private int _current = -1;   // the member being emitted (-1: none entered yet, nothing counted)

    /// <summary>Potentials along a spanning tree of the members' internal edges (_successors), rooted at the head.</summary>
    private void ComputeCountPotentials()
    {
        int n = _members.Length;
        _potential = new long[n];
        var reached = new bool[n];
        var queue = new int[n];
        int head = 0, tail = 0;
        queue[tail++] = 0;
        reached[0] = true;
        while (head < tail)
        {
            int a = queue[head++];
            foreach (int b in _successors[a])
            {
                if (reached[b]) continue;
                reached[b] = true;
                _potential[b] = _potential[a] - _members[b].Ops.Length;
                queue[tail++] = b;
            }
        }
        // A member no edge reaches (entered only from outside) keeps p = 0.
    }

    /// <summary>Prologue tail: switch on the entry (_entryOf) to a stub per entry member that starts the count, then its body.</summary>
    private void EmitEntries()
    {
        var il = _il;
        var stubs = new List<Label>();
        var stubMember = new List<int>();
        for (int k = 0; k < _members.Length; k++)
        {
            if (_entryOf[k] < 0) continue;
            stubs.Add(il.DefineLabel());
            stubMember.Add(k);
        }
        if (stubs.Count > 1)
        {
            il.Emit(OpCodes.Ldarg_2);
            il.Emit(OpCodes.Switch, stubs.ToArray());
        }
        for (int e = 0; e < stubs.Count; e++)
        {
            int k = stubMember[e];
            il.MarkLabel(stubs[e]);
            il.Emit(OpCodes.Ldc_I8, _members[k].Ops.Length + _potential[k]);
            il.Emit(OpCodes.Stloc, _icount);
            il.Emit(OpCodes.Br, _blockLabel[k]);
        }
    }

    /// <summary>An internal edge from member a to member b is about to be taken.</summary>
    private void CountEdge(int a, int b) => AddToCount(EdgeWeight(a, b));

    /// <summary>Undo CountEdge(a, b): the edge was not taken after all.</summary>
    private void UncountEdge(int a, int b) => AddToCount(-EdgeWeight(a, b));

    private long EdgeWeight(int a, int b) => _members[b].Ops.Length + _potential[b] - _potential[a];

    /// <summary>The unit is about to leave from the member being emitted.</summary>
    private void CountExit()
    {
        if (_current >= 0) AddToCount(-_potential[_current]);
    }

    private void AddToCount(long delta)
    {
        if (delta == 0) return;
        _il.Emit(OpCodes.Ldloc, _icount);
        _il.Emit(OpCodes.Ldc_I8, delta);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Stloc, _icount);
    }
}
