// Drives one case in one tier: assembles it, generates seeded inputs (edge cross product
// of the first two slots, then Iterations random states), runs each natively and in the
// guest, and fails with a readable report (seed, input state, per-register diff, listing).
// All runs are serialised by one lock: the sandbox region and guest memory are shared.
// Set DIFF_SEED=<n> to change the base seed, DIFF_ITER=<n> to override iteration counts.
using Iced.Intel;
using Jitexec.Translator.Exec;
using Xunit;

namespace Jitexec.Tests.Differential;

public static class DiffRunner
{
    /// <summary>Serialises every use of the sandbox and the shared guest memory.</summary>
    public static readonly object Gate = new();
    private const int MaxReported = 3;

    public static readonly ulong BaseSeed =
        ulong.TryParse(Environment.GetEnvironmentVariable("DIFF_SEED"), out var s) ? s : 0x5EED;
    private static readonly int IterOverride =
        int.TryParse(Environment.GetEnvironmentVariable("DIFF_ITER"), out var n) ? n : -1;

    public static int SeedFor(string name)
    {
        ulong h = 0xcbf29ce484222325 ^ BaseSeed;
        foreach (char ch in name) { h ^= ch; h *= 0x100000001b3; }
        return (int)(h ^ (h >> 32));
    }

    /// <summary>Run <paramref name="c"/> natively and in <paramref name="tier"/>; fail on any difference.</summary>
    public static void Run(DiffCase c, Tier tier)
    {
        var asm = Assembled.Create(c);
        foreach (var insn in asm.Instructions)
            if (HostCpu.NativeBlocker(insn) is { } why)
                Assert.Fail($"{c.Name}: cannot run `{insn}` natively: {why}");
        ulong flagsMask = StateDiff.ComparedFlags & ~asm.UndefinedFlags & ~c.IgnoredFlags;
        ushort fswMask = (ushort)~(asm.UndefinedFsw | c.IgnoredFsw);
        int seed = SeedFor(c.Name);
        var failures = new List<string>();
        int runs = 0;
        lock (Gate)
        {
            NativeRunner.LoadCode(asm.Bytes, asm.Address);
            var guest = new GuestRunner(tier, asm);
            MemoryCheck.Reset(new FastRandom(seed ^ 0x3A3A));
            foreach (var input in Inputs(c, seed))
            {
                runs++;
                var native = NativeRunner.Run(input);
                MachineState g;
                GuestFault? fault;
                try
                {
                    (g, fault) = guest.Run(input);
                }
                catch (Exception e) when (e is not GuestFault)
                {
                    failures.Add(Report(c, tier, seed, runs, input, [$"guest threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}"], asm));
                    break;
                }
                foreach (var r in c.IgnoredRegs)
                {
                    if (r.IsXMM()) { int x = r - Register.XMM0; g.Xmm[2 * x] = native.Xmm[2 * x]; g.Xmm[2 * x + 1] = native.Xmm[2 * x + 1]; }
                    else { int n = r.GetFullRegister().GetNumber(); g.Gpr[n] = native.Gpr[n]; }
                }
                var diff = fault != null
                    ? [$"guest raised GuestFault signal {fault.Signal} at {Sandbox.Describe(fault.Rip)}: {fault.Message}"]
                    : StateDiff.Compare(native, g, flagsMask, fswMask);
                MemoryCheck.Compare(diff);
                if (diff.Count > 0)
                {
                    failures.Add(Report(c, tier, seed, runs, input, diff, asm));
                    if (failures.Count >= MaxReported || fault != null) break;
                }
            }
        }
        if (runs == 0) Assert.Fail($"{c.Name}: every generated input was rejected by the filter");
        if (failures.Count > 0)
            Assert.Fail($"{failures.Count} mismatching input(s) (showing up to {MaxReported}) out of {runs} runs\n\n" + string.Join("\n", failures));
    }

    /// <summary>Seeded inputs: edge cross product over the first two slots, then random states with random edges.</summary>
    public static IEnumerable<MachineState> Inputs(DiffCase c, int seed)
    {
        var rng = new FastRandom(seed);
        var slots = c.Slots;
        if (slots.Count > 0)
        {
            int n0 = slots[0].EdgeCount, n1 = slots.Count > 1 ? slots[1].EdgeCount : 1;
            for (int i = 0; i < n0; i++)
                for (int j = 0; j < n1; j++)
                {
                    var s = RandomState.Make(rng, c.RandomMxcsr, c.X87Depth);
                    for (int k = 2; k < slots.Count; k++) slots[k].Apply(s, rng.Next(slots[k].EdgeCount), rng);
                    if (slots.Count > 1) slots[1].Apply(s, j, rng);
                    slots[0].Apply(s, i, rng);
                    c.Setup?.Invoke(s, rng);
                    if (c.Filter == null || c.Filter(s)) yield return s;
                }
        }
        int iterations = IterOverride >= 0 ? IterOverride : c.Iterations;
        for (int it = 0; it < iterations; it++)
        {
            for (int attempt = 0; attempt < 20; attempt++)
            {
                var s = RandomState.Make(rng, c.RandomMxcsr, c.X87Depth);
                foreach (var slot in slots)
                    if (rng.Next(2) == 0) slot.Apply(s, rng.Next(slot.EdgeCount), rng);
                c.Setup?.Invoke(s, rng);
                if (c.Filter == null || c.Filter(s)) { yield return s; break; }
            }
        }
    }

    private static string Report(DiffCase c, Tier tier, int seed, int run, MachineState input, List<string> diff, Assembled asm) =>
        $"=== {c.Name} [{tier}] seed={seed} (DIFF_SEED={BaseSeed}) input #{run}\n" +
        $"code:\n{asm.Listing()}" +
        $"differences:\n  {string.Join("\n  ", diff)}\n" +
        $"input state (r15=buffer, rsp=stack top):\n{input}";

    /// <summary>
    /// Run a sequence that must fault (never natively): the guest must raise GuestFault with
    /// <paramref name="signal"/> at the address of the instruction at <paramref name="faultingIndex"/>.
    /// </summary>
    public static GuestFault AssertFaults(Tier tier, Action<Assembler> code, Action<MachineState> setup,
        int signal = GuestFault.SIGFPE, int faultingIndex = -1)
    {
        var c = new DiffCase(code);
        var asm = Assembled.Create(c);
        var s = RandomState.Make(new FastRandom(SeedFor(asm.Disassembly)), false);
        setup(s);
        GuestFault? fault;
        lock (Gate)
        {
            var guest = new GuestRunner(tier, asm);
            (_, fault) = guest.Run(s);
        }
        Assert.True(fault != null, $"{asm.Disassembly}: expected signal {signal}, guest completed\ninput:\n{s}");
        Assert.True(fault!.Signal == signal, $"{asm.Disassembly}: expected signal {signal}, got {fault.Signal}: {fault.Message}");
        var at = asm.Instructions[faultingIndex < 0 ? asm.Instructions.Count + faultingIndex : faultingIndex].IP;
        Assert.True(fault.Rip == at, $"{asm.Disassembly}: fault rip {fault.Rip:x}, expected {at:x}");
        return fault;
    }
}
