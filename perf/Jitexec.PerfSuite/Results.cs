// Measurements and their summary: per scenario and configuration the samples of every
// repetition, medians, and ratios to native computed pair by pair (same repetition).
namespace Jitexec.PerfSuite;

public sealed class Cell
{
    public string Status { get; set; } = "ok";          // ok | n/a | fail
    public string? Reason { get; set; }
    public List<Sample> Samples { get; } = [];
    // Filled by Summarize:
    public double? WallMs { get; set; }
    public double? CpuMs { get; set; }
    public double? Ratio { get; set; }                  // by the run's metric, median of per-repetition ratios
    public double? RatioWall { get; set; }
    public double? RatioCpu { get; set; }
    public double? Instructions { get; set; }
    public double? StatsMips { get; set; }              // jitexec --stats: M guest instructions/s over its run time (wall)
    public double? CpuMips { get; set; }                // guest instructions / child CPU time (includes start-up)
}

public sealed class ScenarioResult(Scenario s)
{
    public string Name { get; } = s.Name;
    public string Group { get; } = s.Group;
    public string Command { get; } = s.Command;
    public Dictionary<string, Cell> Cells { get; } = [];
}

public sealed class RunResult
{
    public string Date { get; set; } = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss") + " UTC";
    public string Mode { get; set; } = "";
    public string Metric { get; set; } = "";
    public int Reps { get; set; }
    public string Machine { get; set; } = "";
    public string LoadBefore { get; set; } = "";
    public string LoadAfter { get; set; } = "";
    public double Seconds { get; set; }
    public List<string> Configs { get; set; } = [];
    public Dictionary<string, string> Unavailable { get; set; } = [];
    public List<ScenarioResult> Scenarios { get; set; } = [];
    public double? StartOverheadWallMs { get; set; }
    public double? StartOverheadCpuMs { get; set; }
    /// <summary>Guest instruction throughput on compute (static) per configuration ("jitexec": the JIT
    /// tier, "jitexec --no-jit": the interpreter): M instructions/s of --stats run time (wall) and
    /// per CPU-second with the start-up (static hello) subtracted.</summary>
    public Dictionary<string, Throughput> ComputeThroughput { get; set; } = [];
    /// <summary>Restore time of a perl snapshot per engine build (RestoreTimes).</summary>
    public List<RestoreTime> Restore { get; set; } = [];
    /// <summary>Wall time of "X --resident" over "X" per start-up scenario and engine build X: median of per-repetition ratios.</summary>
    public Dictionary<string, Dictionary<string, double>> ResidentOverCold { get; set; } = [];
    public List<string> Regressions { get; set; } = [];
    public List<string> Improvements { get; set; } = [];

    public static double Median(IEnumerable<double> xs)
    {
        var a = xs.OrderBy(x => x).ToArray();
        if (a.Length == 0) return double.NaN;
        return a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
    }

    public void Summarize()
    {
        foreach (var s in Scenarios)
        {
            s.Cells.TryGetValue("native", out var native);
            foreach (var (name, c) in s.Cells)
            {
                if (c.Status != "ok" || c.Samples.Count == 0) continue;
                c.WallMs = Median(c.Samples.Select(x => x.Wall)) * 1000;
                c.CpuMs = Median(c.Samples.Select(x => x.Cpu)) * 1000;
                if (native is { Status: "ok" } && native.Samples.Count == c.Samples.Count)
                {
                    c.RatioWall = Median(c.Samples.Zip(native.Samples, (x, n) => x.Wall / Math.Max(n.Wall, 1e-6)));
                    c.RatioCpu = Median(c.Samples.Zip(native.Samples, (x, n) => x.Cpu / Math.Max(n.Cpu, 1e-4)));
                    c.Ratio = Metric == "wall" ? c.RatioWall : c.RatioCpu;
                }
                var withInstr = c.Samples.Where(x => x.Instructions != null).ToList();
                if (withInstr.Count > 0)
                {
                    c.Instructions = Median(withInstr.Select(x => x.Instructions!.Value));
                    c.StatsMips = Median(withInstr.Where(x => x.StatsMips != null).Select(x => x.StatsMips!.Value));
                    c.CpuMips = Median(withInstr.Select(x => x.Instructions!.Value / Math.Max(x.Cpu, 1e-6) / 1e6));
                }
            }
        }
        foreach (var s in Scenarios.Where(s => s.Group == "start-up"))
            foreach (var (name, resident) in s.Cells)
                if (name.EndsWith(" --resident", StringComparison.Ordinal) && s.Cells.GetValueOrDefault(name[..^" --resident".Length]) is { Status: "ok" } cold
                    && resident.Status == "ok" && resident.Samples.Count == cold.Samples.Count)
                {
                    if (!ResidentOverCold.TryGetValue(s.Name, out var row)) ResidentOverCold[s.Name] = row = [];
                    row[name[..^" --resident".Length]] = Math.Round(Median(resident.Samples.Zip(cold.Samples, (r, c) => r.Wall / Math.Max(c.Wall, 1e-6))), 3);
                }
        var hello = Scenarios.FirstOrDefault(s => s.Name == "hello (static)");
        if (hello != null && hello.Cells.TryGetValue("native", out var hn) && hello.Cells.TryGetValue("jitexec", out var hj)
            && hn.Status == "ok" && hj.Status == "ok" && hn.Samples.Count == hj.Samples.Count)
        {
            StartOverheadWallMs = Median(hj.Samples.Zip(hn.Samples, (j, n) => j.Wall - n.Wall)) * 1000;
            StartOverheadCpuMs = Median(hj.Samples.Zip(hn.Samples, (j, n) => j.Cpu - n.Cpu)) * 1000;
        }
        var compute = Scenarios.FirstOrDefault(s => s.Name == "compute (static)");
        foreach (var config in new[] { "jitexec", "jitexec --no-jit" })
        {
            if (compute == null || !compute.Cells.TryGetValue(config, out var cj) || cj.Status != "ok" || cj.Instructions == null) continue;
            double startCpu = hello?.Cells.GetValueOrDefault(config) is { Status: "ok", CpuMs: { } h } ? h : 0;
            double net = (cj.CpuMs!.Value - startCpu) / 1000;
            ComputeThroughput[config] = new Throughput(cj.StatsMips, net > 0 ? cj.Instructions.Value / net / 1e6 : null);
        }
    }
}

public sealed record Throughput(double? StatsMips, double? NetCpuMips);
