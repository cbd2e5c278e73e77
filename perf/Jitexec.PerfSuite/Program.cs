// jitexec end-to-end perf suite (run through perf/run.sh). Compiles the guest programs,
// runs every scenario natively, under jitexec (and its variants when the build has them)
// and under qemu-x86_64, interleaved over several repetitions; writes perf/results/
// (results.md, results.json, chart.png) and compares the ratios with perf/baseline.json.
using System.Diagnostics;
using Jitexec.PerfSuite;

Options o;
try { o = Options.Parse(args); }
catch (ArgumentException e) { Console.Error.WriteLine($"perf: {e.Message}\n{Options.Usage}"); return 2; }

var clock = Stopwatch.StartNew();
string bin = Path.Combine(o.OutDir, "bin"), tmp = Path.Combine(o.OutDir, "tmp");
Directory.CreateDirectory(bin);
Directory.CreateDirectory(tmp);
string runone = Path.Combine(bin, "runone");
Compile(Path.Combine(o.Root, "perf/Jitexec.PerfSuite/runone.c"), runone, isStatic: false);
foreach (var (name, src) in Catalog.Programs) Compile(Path.Combine(o.Root, src), Path.Combine(bin, name), isStatic: true);

var configs = Catalog.Configs(o);
var scenarios = Catalog.Scenarios(o, bin);
var runner = new Runner(runone, tmp, o.TimeoutSeconds);
var result = new RunResult
{
    Mode = o.Quick ? "quick" : "full", Metric = o.Metric, Reps = o.Reps, Machine = MachineInfo(), LoadBefore = Load(),
    Configs = configs.Select(c => c.Name).ToList(),
    Unavailable = configs.Where(c => !c.Available).ToDictionary(c => c.Name, c => c.Unavailable!),
};
var active = configs.Where(c => c.Available).ToList();
Console.Error.WriteLine($"perf: {result.Mode} mode, {o.Reps} repetitions, {scenarios.Count} scenarios × {active.Count} configurations ({string.Join(", ", active.Select(c => c.Name))})");
foreach (var (c, why) in result.Unavailable) Console.Error.WriteLine($"perf: {c}: n/a ({why})");

// Warm-up round (untimed): fills the page cache, and checks every configuration gives
// native's exit status and stdout; a configuration that does not is marked FAIL.
var rows = scenarios.Select(s => (S: s, R: new ScenarioResult(s))).ToList();
foreach (var (s, r) in rows)
{
    Console.Error.Write($"perf: warm-up  {s.Name,-28}");
    Sample? native = null;
    foreach (var c in active)
    {
        if (!c.Runs(s)) { r.Cells[c.Name] = new Cell { Status = "n/a", Reason = $"{c.Name} runs the {string.Join(" and ", c.Groups!)} scenarios only" }; continue; }
        var x = runner.Measure(s, c);
        native ??= x;
        var cell = r.Cells[c.Name] = new Cell();
        if (x.Status != native.Status || x.StdoutHash != native.StdoutHash)
        {
            cell.Status = "fail";
            cell.Reason = $"exit {x.Status} (native {native.Status}){(x.StdoutHash != native.StdoutHash ? ", stdout differs" : "")}: {x.StderrTail.Replace('\n', ' ')}";
            Console.Error.Write($" {c.Name}:FAIL");
        }
        else Console.Error.Write($" {c.Name}:ok");
    }
    Console.Error.WriteLine();
    foreach (var c in configs.Where(c => !c.Available)) r.Cells[c.Name] = new Cell { Status = "n/a", Reason = c.Unavailable };
}

for (int rep = 0; rep < o.Reps; rep++)
{
    for (int i = 0; i < rows.Count; i++)
    {
        var (s, r) = rows[i];
        var order = active.Where(c => r.Cells[c.Name].Status == "ok").ToList();
        int shift = (rep + i) % Math.Max(order.Count, 1);
        order = order.Skip(shift).Concat(order.Take(shift)).ToList();   // rotate: no configuration always runs first
        var line = new List<string>();
        foreach (var c in order)
        {
            var x = runner.Measure(s, c);
            r.Cells[c.Name].Samples.Add(x);
            line.Add($"{c.Name} {x.Metric(o.Metric) * 1000:0.#} ms");
        }
        // A configuration that failed in this repetition is not comparable pair by pair: drop it.
        foreach (var c in order)
        {
            var cell = r.Cells[c.Name];
            var nat = r.Cells["native"].Samples;
            if (cell.Samples[^1].Status != nat[^1].Status) { cell.Status = "fail"; cell.Reason = $"exit {cell.Samples[^1].Status} in repetition {rep + 1}: {cell.Samples[^1].StderrTail}"; }
        }
        Console.Error.WriteLine($"perf: [{rep + 1}/{o.Reps}] {clock.Elapsed.TotalSeconds,4:0}s {s.Name,-28} {string.Join(" · ", line)}");
    }
}

result.Scenarios = rows.Select(x => x.R).ToList();
if (o.Only == null || System.Text.RegularExpressions.Regex.IsMatch(RestoreTimes.Name, o.Only))
    result.Restore = RestoreTimes.Measure(active.Where(c => c.Name.EndsWith(" --resident", StringComparison.Ordinal)).ToList(), tmp, o.Reps * 4);
result.LoadAfter = Load();
result.Seconds = clock.Elapsed.TotalSeconds;
result.Summarize();
string comparison = Baseline.Compare(o, result);
var md = Report.Markdown(result, comparison);
File.WriteAllText(Path.Combine(o.OutDir, "results.md"), md);
File.WriteAllText(Path.Combine(o.OutDir, "results.json"), Report.Json(result));
try { Chart.Save(result, Path.Combine(o.OutDir, "chart.png")); }
catch (Exception e) { Console.Error.WriteLine($"perf: chart not written: {e.Message}"); }
Console.Out.Write(md);
Console.Error.WriteLine($"perf: wrote {Path.Combine(o.OutDir, "results.md")}, results.json and chart.png in {result.Seconds:0} s");
if (o.WriteBaseline)
{
    Baseline.Write(o, result);
    Console.Error.WriteLine($"perf: baseline for {result.Mode} mode written to {Baseline.PathIn(o)}");
    return 0;
}
if (result.Regressions.Count > 0)
{
    Console.Error.WriteLine($"perf: {result.Regressions.Count} regression(s) beyond {o.Tolerance:P0}:");
    foreach (var x in result.Regressions) Console.Error.WriteLine($"perf:   {x}");
    return 1;
}
return 0;

static void Compile(string src, string exe, bool isStatic)
{
    if (File.Exists(exe) && File.GetLastWriteTimeUtc(exe) > File.GetLastWriteTimeUtc(src)) return;
    var args = new List<string> { "-O2", "-o", exe, src };
    if (isStatic) args.Insert(0, "-static");
    var r = Runner.Capture("gcc", args);
    if (r.Status != 0) throw new InvalidOperationException($"gcc {src} failed:\n{r.Stderr}");
}

static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

static string MachineInfo()
{
    string model = File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "?" : "?";
    return $"{model}, {Environment.ProcessorCount} cores";
}
