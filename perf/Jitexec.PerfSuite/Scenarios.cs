// What the suite runs: the configurations (native, jitexec and its variants, qemu-x86_64)
// and the scenarios (start-up, throughput, the seed experiment), with quick-mode sizes.
namespace Jitexec.PerfSuite;

/// <param name="Groups">the scenario groups this configuration runs (null: all)</param>
public sealed record Config(string Name, string[] Prefix, bool IsJitexec, string? Unavailable, string[]? Groups = null)
{
    public bool Available => Unavailable == null;
    public bool Runs(Scenario s) => Groups == null || Groups.Contains(s.Group);
}

/// <param name="Stats">pass --stats to jitexec (off for programs that close their stderr at exit, like GNU ls:
/// jitexec's statistics would then go to a closed stream)</param>
public sealed record Scenario(string Name, string Group, string Program, string[] Args, int Count = 1, string Stdin = "/dev/null", bool Stats = true)
{
    public string Command => (Count > 1 ? $"{Count}× " : "") + string.Join(' ', new[] { Program }.Concat(Args).Select(Quote))
        + (Stdin != "/dev/null" || Name.Contains("stdin") || Name.StartsWith("seed") ? " < " + Stdin : "");

    private static string Quote(string s) => s.Any(ch => ch is ' ' or '$' or '"' or '(' or ';') ? "'" + s + "'" : s;
}

public static class Catalog
{
    public static List<Config> Configs(Options o)
    {
        string help = "";
        string? missing = File.Exists(o.Jitexec) ? null : $"{o.Jitexec} not built (perf/run.sh builds it)";
        if (missing == null)
        {
            var r = Runner.Capture(o.Jitexec, ["--help"]);
            help = r.Stdout + r.Stderr;
        }
        string? Feature(string flag) => missing ?? (help.Contains(flag) ? null : $"jitexec has no {flag} yet");
        string? aotMissing = File.Exists(o.JitexecAot) ? null : $"{o.JitexecAot} not built (perf/run.sh builds it)";
        string qemu = Runner.Which("qemu-x86_64") ?? "";
        return
        [
            new("native", [], false, null),
            new("jitexec", [o.Jitexec], true, missing),
            new("jitexec --resident", [o.Jitexec, "--resident"], true, Feature("--resident")),
            new("jitexec --no-jit", [o.Jitexec, "--no-jit"], true, Feature("--no-jit")),
            new("jitexec-aot", [o.JitexecAot], true, aotMissing),
            new("jitexec-aot --resident", [o.JitexecAot, "--resident"], true, aotMissing, ["start-up", "seed"]),
            new("qemu", [qemu], false, o.NoQemu ? "--no-qemu" : qemu == "" ? "qemu-x86_64 not installed" : null),
        ];
    }

    public static List<Scenario> Scenarios(Options o, string bin)
    {
        bool q = o.Quick;
        string perl = "/usr/bin/perl", python = "/usr/bin/python3.11";
        int loop = q ? 100_000 : 3_000_000, seedN = q ? 3 : 20;
        string S(int quick, int full) => (q ? quick : full).ToString();
        var list = new List<Scenario>
        {
            new("true", "start-up", "/bin/true", []),
            new("ls /", "start-up", "/bin/ls", ["/"], Stats: false),
            new("perl -e 1", "start-up", perl, ["-e", "1"]),
            new("perl stdin", "start-up", perl, []),
            new("python3 -c pass", "start-up", python, ["-c", "pass"]),
            new("hello (static)", "start-up", Path.Combine(bin, "hello"), []),
            new("perl loop", "throughput", perl, ["-e", $"my $s=0; for my $i (1..{loop}){{$s+=$i*$i%7}} print \"$s\\n\""]),
            // Full sizes run ~0.2-0.4 s natively, so the ratios measure steady-state throughput
            // rather than jitexec's fixed start-up (~0.1 s of .NET start-up and warm-up).
            new("compute (static)", "throughput", Path.Combine(bin, "compute"), [S(1, 60)]),
            new("hash (static)", "throughput", Path.Combine(bin, "hash"), [S(2, 400)]),
            new("sort (static)", "throughput", Path.Combine(bin, "sort"), [S(1, 60)]),
            new("search (static)", "throughput", Path.Combine(bin, "search"), [S(2, 1000)]),
            new("fpmath (static)", "throughput", Path.Combine(bin, "fpmath"), [S(3, 600)]),
            new($"seed: {seedN}× perl stdin", "seed", perl, [], seedN),
            new($"seed: {seedN}× hello (static)", "seed", Path.Combine(bin, "hello"), [], seedN),
        };
        if (o.Only != null)
            list = list.Where(s => System.Text.RegularExpressions.Regex.IsMatch(s.Name, o.Only)).ToList();
        return list;
    }

    /// <summary>Guest programs compiled with gcc -O2 -static (name, source relative to the repository root).</summary>
    public static readonly (string Name, string Source)[] Programs =
    [
        ("hello", "perf/programs/hello.c"), ("compute", "tests/guest/compute.c"), ("hash", "perf/programs/hash.c"),
        ("sort", "perf/programs/sort.c"), ("search", "perf/programs/search.c"), ("fpmath", "perf/programs/fpmath.c"),
    ];
}
