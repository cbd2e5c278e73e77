// The committed baseline (perf/baseline.json): ratios to native, not absolute times, per
// mode (quick/full), scenario and configuration. Ratios survive a change of machine far
// better than times do; the tolerance absorbs the noise of a shared machine.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jitexec.PerfSuite;

public static class Baseline
{
    public static string PathIn(Options o) => System.IO.Path.Combine(o.Root, "perf/baseline.json");

    public static void Write(Options o, RunResult r)
    {
        string path = PathIn(o);
        var root = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : new JsonObject();
        root["about"] = "Ratios to native (median of per-repetition ratios) written by perf/run.sh --write-baseline; compared by every run of perf/run.sh.";
        var mode = new JsonObject { ["date"] = r.Date, ["metric"] = r.Metric, ["reps"] = r.Reps, ["machine"] = r.Machine, ["load"] = r.LoadBefore };
        var ratios = new JsonObject();
        foreach (var s in r.Scenarios)
        {
            var row = new JsonObject();
            foreach (var (cfg, c) in s.Cells)
                if (c.Ratio is { } x && cfg != "native") row[cfg] = Math.Round(x, 3);
            if (row.Count > 0) ratios[s.Name] = row;
        }
        mode["ratios"] = ratios;
        root[r.Mode] = mode;
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Fill r.Regressions / r.Improvements by comparing with the baseline of the same mode and metric.</summary>
    public static string Compare(Options o, RunResult r)
    {
        string path = PathIn(o);
        if (!File.Exists(path)) return "no baseline yet (perf/run.sh --write-baseline creates it)";
        var mode = JsonNode.Parse(File.ReadAllText(path))?[r.Mode];
        if (mode == null) return $"the baseline has no {r.Mode} mode entry";
        if ((string?)mode["metric"] != r.Metric) return $"the baseline's {r.Mode} ratios use the {(string?)mode["metric"]} metric, this run {r.Metric}: not compared";
        int compared = 0;
        foreach (var s in r.Scenarios)
            foreach (var (cfg, c) in s.Cells)
            {
                if (c.Ratio is not { } now || mode["ratios"]?[s.Name]?[cfg] is not JsonValue v) continue;
                double was = v.GetValue<double>();
                compared++;
                string line = $"{s.Name} / {cfg}: {Report.Times(was)} → {Report.Times(now)} ({(now / was - 1) * 100:+0;-0}%)";
                if (now > was * (1 + o.Tolerance)) r.Regressions.Add(line);
                else if (now < was / (1 + o.Tolerance)) r.Improvements.Add(line);
            }
        return $"compared {compared} ratios with the baseline of {(string?)mode["date"]} (tolerance {o.Tolerance:P0})";
    }
}
