// Command-line options of the suite (perf/run.sh passes its arguments through).
namespace Jitexec.PerfSuite;

public sealed class Options
{
    public bool Quick;
    public int Reps = 0;                 // 0: 3 in quick mode, 5 otherwise
    public double Tolerance = 0.30;      // a ratio this much above the baseline is a regression
    public bool WriteBaseline;
    public string Metric = "cpu";        // "cpu" (user+sys of the child) or "wall"
    public string? Only;                 // regex on scenario names
    public bool NoQemu;
    public string Root = "";
    public string Jitexec = "";
    public string JitexecAot = "";
    public string OutDir = "";
    public int TimeoutSeconds = 300;

    public const string Usage = """
        usage: perf/run.sh [--quick] [--reps N] [--only REGEX] [--metric cpu|wall]
                           [--tolerance 0.30] [--write-baseline] [--no-qemu] [--jitexec PATH] [--jitexec-aot PATH]
          --quick           small inputs and 3 repetitions (< 3 minutes)
          --reps N          repetitions per scenario and configuration (default 5, quick 3)
          --only REGEX      run only the scenarios whose name matches
          --metric M        ratios from CPU time (user+sys, default: stable on a shared machine) or wall time
          --tolerance T     report a regression when a ratio exceeds the baseline by more than T (0.30 = 30%)
          --write-baseline  store this run's ratios as perf/baseline.json (for this mode)
          --no-qemu         skip the qemu-x86_64 column
          --jitexec PATH    the jitexec binary (default: artifacts/jitexec/jitexec)
          --jitexec-aot PATH  the NativeAOT build (default: artifacts/jitexec-aot/jitexec; it hands hot programs to the other)
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--quick": o.Quick = true; break;
                case "--reps": o.Reps = int.Parse(Next()); break;
                case "--tolerance": o.Tolerance = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--write-baseline": o.WriteBaseline = true; break;
                case "--metric": o.Metric = Next() is "wall" ? "wall" : "cpu"; break;
                case "--only": o.Only = Next(); break;
                case "--no-qemu": o.NoQemu = true; break;
                case "--jitexec": o.Jitexec = Path.GetFullPath(Next()); break;
                case "--jitexec-aot": o.JitexecAot = Path.GetFullPath(Next()); break;
                case "--timeout": o.TimeoutSeconds = int.Parse(Next()); break;
                case "-h" or "--help": Console.Write(Usage); Environment.Exit(0); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Reps <= 0) o.Reps = o.Quick ? 3 : 5;
        o.Root = FindRoot();
        if (o.Jitexec == "") o.Jitexec = Path.Combine(o.Root, "artifacts/jitexec/jitexec");
        if (o.JitexecAot == "") o.JitexecAot = Path.Combine(o.Root, "artifacts/jitexec-aot/jitexec");
        o.OutDir = Path.Combine(o.Root, "perf/results");
        return o;
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Jitter.slnx"))) return d.FullName;
        throw new InvalidOperationException("cannot find the repository root (Jitter.slnx)");
    }
}
