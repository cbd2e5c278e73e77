// The hot-code profile between a resident snapshot and the JIT tier: a restored run hands
// the snapshot's recorded units to the JIT (compiled when first reached), and every run that
// restored from or registered the snapshot merges the units it compiled back into the file
// when it ends (ResidentStore.UpdateProfile: locked, verified, atomic). Interpreter-only runs
// (--no-jit) neither use nor update it.
using System.Diagnostics.CodeAnalysis;
using Jitexec.Snapshot;
using Jitexec.Translator.Jit;

namespace Jitexec.Kernel.Resident;

public static class ResidentProfile
{
    /// <summary>Give the snapshot's profile to the JIT tier. Returns a line for -v (null: nothing to say).</summary>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only called with a JitTier that exists, i.e. dynamic code is supported.")]
    public static string? Apply(SnapshotImage img, JitTier? jit, out HotProfile? loaded)
    {
        loaded = null;
        if (jit == null || img.ProfileData.IsEmpty) return null;
        HotProfile p;
        try { p = img.ReadProfile(); }
        catch (SnapshotFormatException e) { return $"hot-code profile ignored: {e.Message}"; }
        loaded = p;
        if (p.Units.Count == 0) return null;
        var units = new List<ProfileBlock[]>(p.Units.Count);
        foreach (var u in p.Units) units.Add(Array.ConvertAll(u.Blocks, b => new ProfileBlock(b.Address, b.Length, b.CodeHash, b.Targets)));
        jit.Prewarm(units);
        return $"hot-code profile: {p.Units.Count} units ({p.BlockCount} blocks) handed to the JIT";
    }

    /// <summary>Does <paramref name="compiled"/> hold a unit the profile does not know (HotProfile.Knows:
    /// new entry, entry code changed, and not the same loop as a recorded unit entered elsewhere)?</summary>
    public static bool HasNew(HotProfile? loaded, List<HotBlock[]> compiled)
    {
        if (loaded == null || loaded.Units.Count == 0) return compiled.Count > 0;
        foreach (var c in compiled)
            if (!loaded.Knows(c)) return true;
        return false;
    }

    /// <summary>The units this run compiled, in the snapshot's form.</summary>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only called with a JitTier that exists, i.e. dynamic code is supported.")]
    public static List<HotBlock[]> Compiled(JitTier jit)
    {
        var list = new List<HotBlock[]>();
        foreach (var u in jit.Export()) list.Add(Array.ConvertAll(u, b => new HotBlock(b.Address, b.Length, b.CodeHash, b.Targets)));
        return list;
    }
}
