// Where the time of a restore goes, for `-v` ("restored snapshot in X ms (read ..., verify
// ..., ...)"). Phases are accumulated with Stopwatch timestamps; no allocation per mark.
using System.Diagnostics;

namespace Jitexec.Kernel.Resident;

public sealed class RestoreTimings
{
    public enum Phase { Read, Verify, Validate, Process, Stack, Map, Decompress, Fixup, Count }

    private static readonly string[] Names = ["read", "verify", "validate", "process", "stack", "map", "decompress", "fixup"];
    private readonly long[] _ticks = new long[(int)Phase.Count];
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _last;

    public RestoreTimings() => _last = _start;

    /// <summary>Charge the time since the previous mark to <paramref name="p"/>.</summary>
    public void Mark(Phase p)
    {
        long now = Stopwatch.GetTimestamp();
        _ticks[(int)p] += now - _last;
        _last = now;
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
