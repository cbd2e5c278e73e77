// Restore time of a perl snapshot in a fresh process, per engine build: the `-v` line
// "restored snapshot in X ms (read ..., decode ...)" of `perl -e 1` runs against a private
// snapshot directory registered first. The time runs from opening the snapshot to the guest's
// first instruction (Kernel/Resident/RestoreTimings.cs), so it includes what the build pays on
// first use in a new process (for ReadyToRun: type loads, fix-ups, run-time JIT); the
// steady-state cost of the same work is BenchmarkDotNet's SnapshotBenchmarks.
using System.Globalization;
using System.Text.RegularExpressions;

namespace Jitexec.PerfSuite;

/// <param name="Phases">median ms per phase, in the order -v prints them</param>
public sealed record RestoreTime(string Config, int Runs, double MedianMs, double MinMs, double MaxMs, Dictionary<string, double> Phases);

public static partial class RestoreTimes
{
    public const string Name = "restore: perl -e 1";

    /// <param name="residentConfigs">configurations whose prefix ends in --resident</param>
    public static List<RestoreTime> Measure(List<Config> residentConfigs, string tmp, int runs)
    {
        var results = new List<RestoreTime>();
        foreach (var c in residentConfigs)
        {
            string dir = Path.Combine(tmp, "restore-" + Regex.Replace(c.Name, "[^a-z0-9]+", "-"));
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
            Directory.CreateDirectory(dir);
            string[] Args() => [.. c.Prefix[1..], "-v", "--resident-dir", dir, "/usr/bin/perl", "-e", "1"];
            var reg = Runner.Capture(c.Prefix[0], Args());
            if (!reg.Stderr.Contains("jitexec: resident: registered "))
            {
                Console.Error.WriteLine($"perf: {Name} / {c.Name}: no snapshot registered: {reg.Stderr.Trim()}");
                continue;
            }
            var totals = new List<double>();
            var phases = new Dictionary<string, List<double>>();
            for (int i = 0; i < runs; i++)
            {
                var m = Line().Match(Runner.Capture(c.Prefix[0], Args()).Stderr);
                if (!m.Success) continue;
                totals.Add(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
                foreach (Match p in Phase().Matches(m.Groups[2].Value))
                {
                    if (!phases.TryGetValue(p.Groups[1].Value, out var l)) phases[p.Groups[1].Value] = l = [];
                    l.Add(double.Parse(p.Groups[2].Value, CultureInfo.InvariantCulture));
                }
            }
            if (totals.Count == 0) { Console.Error.WriteLine($"perf: {Name} / {c.Name}: no run restored"); continue; }
            var t = new RestoreTime(c.Name, totals.Count, RunResult.Median(totals), totals.Min(), totals.Max(),
                phases.ToDictionary(kv => kv.Key, kv => Math.Round(RunResult.Median(kv.Value), 3)));
            Console.Error.WriteLine($"perf: {Name} / {c.Name}: median {t.MedianMs:0.00} ms, min {t.MinMs:0.00}, max {t.MaxMs:0.00} ({t.Runs} fresh processes)");
            results.Add(t);
        }
        return results;
    }

    [GeneratedRegex(@"jitexec: resident: restored snapshot in ([\d.]+) ms \(([^)]*)\)")] private static partial Regex Line();
    [GeneratedRegex(@"([a-z]+) ([\d.]+)")] private static partial Regex Phase();
}
