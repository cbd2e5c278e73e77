// Stops a guest run that does not finish (an emulation bug turning a short loop into an
// endless one) by setting Cpu.Halted from a background thread after a time limit. The run
// loop checks Halted between blocks, so the test fails with a message instead of hanging.
using Jitexec.Translator.Core;

namespace Jitexec.Tests.Differential;

public static class Watchdog
{
    public const int LimitMs = 5000;
    private static Cpu? _cpu;
    private static long _deadline;
    private static volatile bool _fired;

    static Watchdog()
    {
        var t = new Thread(Loop) { IsBackground = true, Name = "differential watchdog" };
        t.Start();
    }

    /// <summary>Watch <paramref name="cpu"/> until <see cref="Disarm"/>; returns nothing, check <see cref="Fired"/> afterwards.</summary>
    public static void Arm(Cpu cpu)
    {
        _fired = false;
        Volatile.Write(ref _deadline, Environment.TickCount64 + LimitMs);
        Volatile.Write(ref _cpu, cpu);
    }

    public static void Disarm() => Volatile.Write(ref _cpu, null);

    public static bool Fired => _fired;

    private static void Loop()
    {
        while (true)
        {
            Thread.Sleep(200);
            var c = Volatile.Read(ref _cpu);
            if (c != null && Environment.TickCount64 > Volatile.Read(ref _deadline))
            {
                _fired = true;
                c.Halted = true;
            }
        }
    }
}
