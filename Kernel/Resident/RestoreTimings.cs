// Where the time of a restore goes, for `-v` ("restored snapshot in X ms (read ..., ...)").
// The restore time runs from the start of ResidentRunner.Start (before the snapshot is
// opened) to the moment the guest's first instruction is about to run (Engine.BeforeFirstBlock). Phases: read = #! script resolution, snapshot name, directory and file
// ownership checks, reading the file; verify = header and section checksums, parsing;
// validate = build, CPU, identity, environment and manifest checks; process = the
// LinuxProcess (a cold run creates one too); stack; map; decompress = page checksums and
// LZ4; fixup = relocations, secrets, protections, kernel and CPU state; start = session,
// JIT set-up and hot-profile hand-over; decode = translating the first block (including
// any wait for the decoder and handler tables the warm-up thread builds). Marks are Stopwatch timestamps, no allocation.
using System.Diagnostics;

namespace Jitexec.Kernel.Resident;

public sealed class RestoreTimings
{
    public enum Phase { Read, Verify, Validate, Process, Stack, Map, Decompress, Fixup, Start, Decode, Count }

    private static readonly string[] Names = ["read", "verify", "validate", "process", "stack", "map", "decompress", "fixup", "start", "decode"];
    private readonly long[] _ticks = new long[(int)Phase.Count];
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _last;

    private readonly bool _main;
    private static volatile int _mainReached = -1;

    /// <param name="main">The run's own restore: its progress is published for the rehearsal (MainPassed).</param>
    public RestoreTimings(bool main = false)
    {
        _last = _start;
        _main = main;
    }

    /// <summary>The run is not restoring after all (it runs cold): nothing left to rehearse for it.</summary>
    public static void MainAbandoned() => _mainReached = int.MaxValue;

    /// <summary>Has the run's own restore finished phase <paramref name="p"/> (or been abandoned)?</summary>
    public static bool MainPassed(Phase p) => _mainReached >= (int)p;

    /// <summary>Charge the time since the previous mark to <paramref name="p"/>.</summary>
    public void Mark(Phase p)
    {
        long now = Stopwatch.GetTimestamp();
        _ticks[(int)p] += now - _last;
        _last = now;
        if (_main && (int)p > _mainReached) _mainReached = (int)p;
    }

    public double TotalMs => Stopwatch.GetElapsedTime(_start, _last).TotalMilliseconds;

    public double Ms(Phase p) => _ticks[(int)p] * 1000.0 / Stopwatch.Frequency;

    public override string ToString()
    {
        var parts = new string[(int)Phase.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = $"{Names[i]} {Ms((Phase)i):F2}";
        return $"{TotalMs:F2} ms ({string.Join(", ", parts)})";
    }
}
