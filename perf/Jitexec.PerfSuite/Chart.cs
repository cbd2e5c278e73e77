// The PNG chart: slowdown versus native per scenario (log scale), one bar per configuration.
using ScottPlot;

namespace Jitexec.PerfSuite;

public static class Chart
{
    private static readonly Dictionary<string, string> Colors = new()
    {
        ["jitexec"] = "#1f77b4", ["jitexec --resident"] = "#2ca02c", ["jitexec --no-jit"] = "#9467bd", ["qemu"] = "#ff7f0e",
        ["jitexec-aot"] = "#17becf", ["jitexec-aot --resident"] = "#bcbd22",
    };

    public static void Save(RunResult r, string path)
    {
        var cols = r.Configs.Where(c => c != "native" && !r.Unavailable.ContainsKey(c)).ToList();
        var plt = new Plot();
        var bars = new List<Bar>();
        double width = 0.8 / Math.Max(cols.Count, 1);
        var ticks = new List<Tick>();
        double maxLog = 1;
        for (int i = 0; i < r.Scenarios.Count; i++)
        {
            var s = r.Scenarios[i];
            ticks.Add(new Tick(i, s.Name, true));
            for (int k = 0; k < cols.Count; k++)
            {
                double x = i - 0.4 + width * (k + 0.5);
                if (s.Cells.GetValueOrDefault(cols[k]) is not { Status: "ok", Ratio: { } ratio })
                {
                    var t = plt.Add.Text(s.Cells.GetValueOrDefault(cols[k])?.Status == "fail" ? "FAIL" : "n/a", x, 0.05);
                    t.LabelFontSize = 11;
                    t.LabelFontColor = Color.FromHex("#c00000");
                    t.LabelRotation = -90;
                    continue;
                }
                double v = Math.Log10(Math.Max(ratio, 0.1));
                maxLog = Math.Max(maxLog, v);
                bars.Add(new Bar
                {
                    Position = x,
                    Value = v,
                    ValueBase = Math.Log10(0.5),
                    Size = width * 0.92,
                    FillColor = Color.FromHex(Colors.GetValueOrDefault(cols[k], "#7f7f7f")),
                    LineWidth = 0,
                    Label = ratio >= 10 ? $"{ratio:0}" : $"{ratio:0.#}",
                    CenterLabel = false,
                });
            }
        }
        var bp = plt.Add.Bars(bars);
        bp.ValueLabelStyle.FontSize = 11;
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plt.Axes.Bottom.TickLabelStyle.Rotation = -35;
        plt.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plt.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plt.Axes.Bottom.MinimumSize = 150;
        var yt = new ScottPlot.TickGenerators.NumericManual();
        for (int e = 0; e <= Math.Ceiling(maxLog + 0.3); e++)
        {
            yt.AddMajor(e, $"{Math.Pow(10, e):0}×");
            for (int m = 2; m < 10 && e + Math.Log10(m) <= maxLog + 0.5; m++) yt.AddMinor(e + Math.Log10(m));
        }
        plt.Axes.Left.TickGenerator = yt;
        plt.Axes.Left.TickLabelStyle.FontSize = 13;
        plt.Grid.MajorLineColor = Color.FromHex("#d0d0d0");
        plt.Axes.SetLimits(-0.6, r.Scenarios.Count - 0.4, Math.Log10(0.5), maxLog + 0.45);
        plt.Add.HorizontalLine(0, 1.5f, Color.FromHex("#444444"), LinePattern.Dashed);
        foreach (var c in cols)
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = c, FillColor = Color.FromHex(Colors.GetValueOrDefault(c, "#7f7f7f")) });
        plt.Legend.ManualItems.Add(new LegendItem { LabelText = "native = 1×", LineColor = Color.FromHex("#444444"), LinePattern = LinePattern.Dashed, LineWidth = 1.5f });
        plt.Legend.FontSize = 13;
        plt.ShowLegend(Edge.Right);
        plt.Title($"Slowdown vs native ({(r.Metric == "cpu" ? "CPU time" : "wall time")}, median of {r.Reps} interleaved runs, {r.Mode} mode) — lower is better", 15);
        plt.YLabel("× native (log scale)", 14);
        plt.SavePng(path, 1500, 750);
    }
}
