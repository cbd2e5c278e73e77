// Stops a guest run that does not finish (an emulation bug turning a short loop into an
// endless one) with Engine.RequestStop from a background thread after a time limit, which
// ends compiled loops too, so the test fails with a message instead of hanging.
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;

namespace Jitexec.Tests.Differential;

public static class Watchdog
{
    public const int LimitMs = 5000;
    private static (Engine Engine, Cpu Cpu)? _run;
    private static long _deadline;
    private static volatile bool _fired;

    static Watchdog()
    {
        var t = new Thread(Loop) { IsBackground = true, Name = "differential watchdog" };
        t.Start();
    }

    /// <summary>Watch <paramref name="cpu"/> until <see cref="Disarm"/>; returns nothing, check <see cref="Fired"/> afterwards.</summary>
    public static void Arm(Engine engine, Cpu cpu)
    {
        _fired = false;
        Volatile.Write(ref _deadline, Environment.TickCount64 + LimitMs);
        lock (Gate) _run = (engine, cpu);
    }

    public static void Disarm() { lock (Gate) _run = null; }

    private static readonly object Gate = new();

    public static bool Fired => _fired;

    private static void Loop()
    {
        while (true)
        {
            Thread.Sleep(200);
            lock (Gate)
            {
                if (_run is not { } r || Environment.TickCount64 <= Volatile.Read(ref _deadline)) continue;
                _fired = true;
                r.Engine.RequestStop(r.Cpu);
            }
        }
    }
}
