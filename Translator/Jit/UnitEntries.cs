// Which members of a unit the run loop may enter it at. Every entry is a case of the unit's
// entry switch and a jump into the middle of its loops, which makes the method's control
// flow irreducible: RyuJIT then finds no loops, weighs every block alike, and spends time on
// the extra blocks. So a unit is enterable only at its head and at members that control
// can reach from outside the unit: a predecessor (Block.Preds: static edges, observed
// indirect ones, Block.Anywhere after a syscall) that is not a member, or a member that
// another unit (which does not contain the block) runs now: that unit exits to the block
// (search compiles memchr's loop inside several overlapping units). perl's 83-block loop
// keeps a handful of entries instead of 83: its compile takes ~25% less time.
// A prediction can miss (code first run after the unit was compiled branches into it): the
// run loop then interprets that member, counting as for any block, until control reaches an
// entry; a member missed often enough becomes hot and heads a unit of its own (Engine.Run).
using Jitexec.Translator.Exec;

namespace Jitexec.Translator.Jit;

internal static class UnitEntries
{
    /// <summary>Per member: may the unit be entered there? The head (member 0) always may.
    /// <paramref name="replaced"/>: the unit the new one replaces (it will not run again).</summary>
    public static bool[] Predict(Block[] members, JitUnit? replaced = null)
    {
        var entry = new bool[members.Length];
        entry[0] = true;
        for (int k = 1; k < members.Length; k++)
        {
            var preds = members[k].Preds;
            if (preds == null) continue;
            foreach (var p in preds)
            {
                if (p == Block.Anywhere || (p.Valid && (Array.IndexOf(members, p) < 0 || RunElsewhere(p, members[k], replaced))))
                {
                    entry[k] = true;
                    break;
                }
            }
        }
        return entry;
    }

    /// <summary>Does another live unit run <paramref name="p"/>, and leave for <paramref name="b"/> after it?</summary>
    private static bool RunElsewhere(Block p, Block b, JitUnit? replaced)
    {
        var u = p.Unit;
        return u != null && u != replaced && !u.Dead && Array.IndexOf(u.Members, b) < 0;
    }
}
