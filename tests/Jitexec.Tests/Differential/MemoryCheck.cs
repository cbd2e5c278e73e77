// Checks sandbox memory beyond the per-input buffer and stack window: both data pages and
// the stack above the window. They start identical (same random fill natively and in the
// guest) at the start of each case; after every run any difference outside the buffer and
// the stack window (those are compared through MachineState) is reported, then the guest
// copy is resynchronised from the native one so one bug does not cascade.
namespace Jitexec.Tests.Differential;

public static unsafe class MemoryCheck
{
    private static Span<byte> Native(ulong off, ulong len) => new((byte*)(Sandbox.Base + off), (int)len);
    private static Span<byte> Guest(ulong off, ulong len) => GuestRunner.Memory.Span(Sandbox.Base + off, (int)len);

    public static void Reset(Random rng)
    {
        foreach (var (s, e) in Sandbox.CheckedRanges)
        {
            rng.NextBytes(Native(s, e - s));
            Native(s, e - s).CopyTo(Guest(s, e - s));
        }
    }

    public static void Compare(List<string> diffs)
    {
        foreach (var (s, e) in Sandbox.CheckedRanges)
        {
            var n = Native(s, e - s);
            var g = Guest(s, e - s);
            if (n.SequenceEqual(g)) continue;
            for (int i = 0; i < n.Length; i++)
            {
                if (n[i] == g[i]) continue;
                int j = i;
                while (j < n.Length && j < i + 32 && n[j] != g[j]) j++;
                ulong addr = Sandbox.Base + s + (ulong)i;
                if (!InCompared(addr))
                    diffs.Add($"memory[{Sandbox.Describe(addr)}..+{j - i}) native={Convert.ToHexString(n[i..j])} guest={Convert.ToHexString(g[i..j])}");
                i = j;
            }
            n.CopyTo(g);
        }
    }

    private static bool InCompared(ulong a) =>
        (a >= Sandbox.Buffer && a < Sandbox.Buffer + Sandbox.BufferSize) ||
        (a >= Sandbox.StackWindow && a < Sandbox.StackWindow + 2 * Sandbox.StackWindowHalf);
}
