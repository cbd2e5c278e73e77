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
}
