// Hot-code profile hand-off: the units a run compiled (Export), and, in a later run, the
// matching of those records against translated blocks (Matches, Match) so the JIT tier can
// compile a profiled unit soon after its entry block starts running (JitOptions.ProfileTrigger
// executions, once the warm-up is over), skipping most of the threshold. The profile is only a
// hint: blocks are always translated from current memory; a record is used only if its block translates (is mapped executable) to
// exactly the recorded code length and code hash, and is not on a guest-writable page.
using Jitexec.Translator.Exec;
using Jitexec.Translator.Memory;

namespace Jitexec.Translator.Jit;

/// <summary>One block of a profiled unit: start, code length, hash of its code bytes (CodeHash),
/// and the targets its indirect exit reached (so the unit branches to them internally again).</summary>
public sealed record ProfileBlock(ulong Address, uint Length, ulong CodeHash, ulong[] Targets);

internal static unsafe class JitProfile
{
    /// <summary>FNV-1a (64-bit) of a block's code bytes: cheap, and a collision only costs a useless compilation.</summary>
    public static ulong CodeHash(GuestMemory mem, Block b)
    {
        ulong h = 0xcbf29ce484222325;
        byte* p = mem.Ptr(b.Start);
        for (ulong i = 0, n = b.End - b.Start; i < n; i++) h = (h ^ p[i]) * 0x100000001b3;
        return h;
    }

    public static ProfileBlock Describe(GuestMemory mem, Block b)
    {
        var targets = new ulong[b.TargetCount];
        for (int i = 0; i < targets.Length; i++) targets[i] = b.Targets![i];
        return new ProfileBlock(b.Start, (uint)(b.End - b.Start), CodeHash(mem, b), targets);
    }

    public static bool Matches(GuestMemory mem, Block b, ProfileBlock p) => b.End - b.Start == p.Length && CodeHash(mem, b) == p.CodeHash;

    private static bool Usable(GuestMemory mem, Block? b, ProfileBlock p) => b != null && b.Valid && !b.OnWritablePage && b.JitState != 2 && Matches(mem, b, p);

    /// <summary>The members for a profiled unit entered at <paramref name="head"/>, or null if the head
    /// no longer matches. Members that no longer match are left
    /// out; recorded indirect targets are given to members that have seen none yet.</summary>
    public static Block[]? Match(GuestMemory mem, Block head, ProfileBlock[] unit, Func<ulong, Block> lookup)
    {
        if (!Usable(mem, head, unit[0])) return null;
        var members = new List<Block>(unit.Length) { head };
        for (int i = 0; i < unit.Length; i++)
        {
            var p = unit[i];
            var b = i == 0 ? head : lookup(p.Address);
            if (i > 0 && (!Usable(mem, b, p) || members.Contains(b))) continue;
            if (i > 0) members.Add(b);
            if (b.TargetCount == 0 && p.Targets.Length > 0)
            {
                foreach (var t in p.Targets) b.NoteTarget(t, out _);
            }
        }
        return members.ToArray();
    }
}
