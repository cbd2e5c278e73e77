// --stats: what the engine did during the run, printed on stderr at exit.
using Jitexec.Kernel.Process;

namespace Jitexec.Cli;

public static class ExecutionStats
{
    public static void Print(LinuxProcess p, TimeSpan runTime)
    {
        ulong n = p.Cpu.InstructionsRetired;
        double secs = Math.Max(runTime.TotalSeconds, 1e-9);
        var e = Jitexec.Kernel.Host.Diagnostics.Error;
        e.WriteLine($"jitexec: guest instructions   {n:N0}");
        e.WriteLine($"jitexec: run time             {runTime.TotalMilliseconds:F1} ms ({n / secs / 1e6:F1} M guest instructions/s)");
        e.WriteLine($"jitexec: blocks translated    {p.Engine.BlocksTranslated:N0} (cached {p.Engine.Cache.Count:N0}, invalidated {p.Engine.Cache.Invalidations:N0})");
        e.WriteLine($"jitexec: translation time     {System.Diagnostics.Stopwatch.GetElapsedTime(0, p.Engine.TranslationTicks).TotalMilliseconds:F1} ms");
        e.WriteLine($"jitexec: start-up             {(DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalMilliseconds - runTime.TotalMilliseconds:F1} ms before the first guest instruction");
    }

    /// <summary>--jit-stats: what each tier did.</summary>
    public static void PrintJit(LinuxProcess p)
    {
        var e = Jitexec.Kernel.Host.Diagnostics.Error;
        var engine = p.Engine;
        ulong total = p.Cpu.InstructionsRetired, interp = engine.InterpretedInstructions;
        ulong compiled = total > interp ? total - interp : 0;
        e.WriteLine($"jitexec: jit guest instructions interpreted {interp:N0}, compiled code {compiled:N0} ({(total == 0 ? 0 : 100.0 * compiled / total):F1}%), compiled code entered {engine.UnitEntries:N0} times, reached at a member without an entry {engine.UnitEntriesMissed:N0} times");
        e.WriteLine($"jitexec: jit blocks translated {engine.BlocksTranslated:N0}, invalidated {engine.Cache.Invalidations:N0}");
        if (engine.Jit is not { } j) { e.WriteLine("jitexec: jit tier off"); return; }
        e.WriteLine($"jitexec: jit units compiled {j.UnitsCompiled:N0} ({j.BlocksCompiled:N0} blocks, {j.OpsCompiled:N0} ops, {j.OpsInlined:N0} inline), discarded {j.UnitsDiscarded:N0}, failed {j.CompileFailures:N0}, recompiled for missed entries {j.EntryRecompiles:N0}");
        e.WriteLine($"jitexec: jit units compiled from profile {j.UnitsFromProfile:N0}");
        e.WriteLine($"jitexec: jit host-flags units {j.HostFpUnits:N0}, side exits {j.SideExits:N0}, units recompiled with per-op flags {j.HostFpDeclined:N0}");
        e.WriteLine($"jitexec: jit compile time {System.Diagnostics.Stopwatch.GetElapsedTime(0, j.CompileTicks).TotalMilliseconds:F1} ms, CPU {j.CompileCpuNs / 1e6:F1} ms (mode {j.Options.Mode}, threshold {j.Options.Threshold})");
        if (j.LastError != null) e.WriteLine($"jitexec: jit last failure: {j.LastError}");
    }
}
