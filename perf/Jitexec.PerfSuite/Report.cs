// Markdown and JSON renderings of a run (perf/results/results.md, results.json).
using System.Text;
using System.Text.Json;

namespace Jitexec.PerfSuite;

public static class Report
{
    public static string Markdown(RunResult r, string comparison)
    {
        var b = new StringBuilder();
        var cols = r.Configs.Where(c => c != "native").ToList();
        b.AppendLine($"# jitexec end-to-end performance ({r.Mode} mode)\n");
        b.AppendLine($"{r.Date} · {r.Machine} · load average {r.LoadBefore} → {r.LoadAfter} · {r.Reps} repetitions, interleaved · {r.Seconds:F0} s\n");
        b.AppendLine($"Ratios are slowdowns versus native (× native), the median of per-repetition ratios; metric: **{(r.Metric == "cpu" ? "CPU time (user+sys of the child)" : "wall time")}**. Native column: median {r.Metric} time. Guest instructions and their rate come from `jitexec --stats` (rate here: per CPU-second of the whole process, start-up included).\n");
        b.AppendLine("| scenario | native ms | " + string.Join(" | ", cols) + " | jitexec guest M instr | M instr/s per CPU-s |");
        b.AppendLine("|---|---:|" + string.Concat(cols.Select(_ => "---:|")) + "---:|---:|");
        foreach (var s in r.Scenarios)
        {
            var n = s.Cells.GetValueOrDefault("native");
            string nat = n is { Status: "ok" } ? $"{(r.Metric == "wall" ? n.WallMs : n.CpuMs):0.#}" : n?.Status ?? "";
            var j = s.Cells.GetValueOrDefault("jitexec");
            string mips = (j?.Instructions is { } n1 ? $"{n1 / 1e6:0.#}" : "") + " | " + (j?.CpuMips is { } m ? $"{m:0.#}" : "");
            b.AppendLine($"| {s.Name} | {nat} | " + string.Join(" | ", cols.Select(c => CellText(s.Cells.GetValueOrDefault(c), r.Unavailable.ContainsKey(c)))) + $" | {mips} |");
        }
        b.AppendLine();
        b.AppendLine("Other metric (" + (r.Metric == "cpu" ? "wall time" : "CPU time") + "), same runs:\n");
        b.AppendLine("| scenario | " + string.Join(" | ", cols) + " |");
        b.AppendLine("|---|" + string.Concat(cols.Select(_ => "---:|")));
        foreach (var s in r.Scenarios)
            b.AppendLine($"| {s.Name} | " + string.Join(" | ", cols.Select(c => s.Cells.GetValueOrDefault(c) is { Status: "ok" } x
                ? Times((r.Metric == "cpu" ? x.RatioWall : x.RatioCpu) ?? double.NaN) : "n/a")) + " |");
        b.AppendLine();
        b.AppendLine("## Summary\n");
        if (r.StartOverheadWallMs is { } sw) b.AppendLine($"- Process start overhead (static hello, jitexec − native, median of pairs): **{sw:0.#} ms wall**, {r.StartOverheadCpuMs:0.#} ms CPU.");
        foreach (var (config, tier) in new[] { ("jitexec", "JIT tier"), ("jitexec --no-jit", "interpreter") })
            if (r.ComputeThroughput.GetValueOrDefault(config) is { StatsMips: { } m } t)
                b.AppendLine($"- {char.ToUpper(tier[0])}{tier[1..]} throughput on compute (static, `{config}`): **{m:0.#} M guest instructions/s** (--stats, run time in wall clock); {t.NetCpuMips:0.#} M/s per CPU-second with start-up subtracted.");
        foreach (var (scenario, row) in r.ResidentOverCold)
            b.AppendLine($"- Resident / cold, wall, {scenario}: " + string.Join(", ", row.Select(kv => $"{kv.Key} **{kv.Value:0.00}**")) + ".");
        foreach (var t in r.Restore)
            b.AppendLine($"- Restore time of a perl snapshot, `{t.Config}`, fresh process (`-v`, {t.Runs} runs): **median {t.MedianMs:0.00} ms**, min {t.MinMs:0.00}, max {t.MaxMs:0.00}; by phase (medians): "
                + string.Join(", ", t.Phases.Select(kv => $"{kv.Key} {kv.Value:0.00}")) + ".");
        foreach (var (cfg, why) in r.Unavailable) b.AppendLine($"- {cfg}: n/a ({why}).");
        b.AppendLine($"- Baseline: {comparison}.");
        if (r.Regressions.Count > 0) { b.AppendLine("\n**Regressions:**\n"); foreach (var x in r.Regressions) b.AppendLine($"- {x}"); }
        if (r.Improvements.Count > 0) { b.AppendLine("\nImprovements:\n"); foreach (var x in r.Improvements) b.AppendLine($"- {x}"); }
        var fails = r.Scenarios.SelectMany(s => s.Cells.Where(c => c.Value.Status == "fail").Select(c => $"{s.Name} / {c.Key}: {c.Value.Reason}")).ToList();
        if (fails.Count > 0) { b.AppendLine("\nFailures (not timed):\n"); foreach (var f in fails) b.AppendLine($"- {f}"); }
        b.AppendLine("\nScenarios:\n");
        foreach (var s in r.Scenarios) b.AppendLine($"- {s.Name}: `{s.Command}`");
        return b.ToString();
    }

    private static string CellText(Cell? c, bool unavailable) => c switch
    {
        null => unavailable ? "n/a" : "",
        { Status: "ok", Ratio: { } x } => Times(x),
        { Status: "ok" } => "?",
        { Status: "fail" } => "FAIL",
        _ => "n/a",
    };

    /// <summary>A ratio with about three significant digits: 153×, 25.4×, 3.07×.</summary>
    public static string Times(double x) => (x >= 100 ? $"{x:0}" : x >= 10 ? $"{x:0.0}" : $"{x:0.00}") + "×";

    public static string Json(RunResult r) =>
        JsonSerializer.Serialize(r, new JsonSerializerOptions { WriteIndented = true, IncludeFields = false, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
}
