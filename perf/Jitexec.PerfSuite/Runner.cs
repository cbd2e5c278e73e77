// Runs one measurement through the runone helper (fork/exec/wait4: wall time and the
// child's own user+sys time, no .NET process-start noise) and parses jitexec --stats.
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Jitexec.PerfSuite;

public sealed record Sample(double Wall, double User, double Sys, int Status, string StdoutHash, string StderrTail, double? Instructions, double? StatsMips)
{
    public double Cpu => User + Sys;
    public double Metric(string m) => m == "wall" ? Wall : Cpu;
}

public sealed partial class Runner(string runone, string tmpDir, int timeoutSeconds)
{
    public Sample Measure(Scenario s, Config c)
    {
        string outFile = Path.Combine(tmpDir, "stdout"), errFile = Path.Combine(tmpDir, "stderr");
        var args = new List<string> { s.Count.ToString(), timeoutSeconds.ToString(), s.Stdin, outFile, errFile, "--" };
        args.AddRange(c.Prefix);
        if (c.IsJitexec && s.Stats) args.Insert(args.Count - c.Prefix.Length + 1, "--stats");
        args.Add(s.Program);
        args.AddRange(s.Args);
        var r = Capture(runone, args);
        var f = r.Stdout.Trim().Split(' ');
        if (r.Status != 0 || f.Length != 4) throw new InvalidOperationException($"runone failed: {r.Stderr.Trim()}");
        double D(string x) => double.Parse(x, CultureInfo.InvariantCulture);
        string err = File.ReadAllText(errFile);
        double? instr = null, mips = null;
        if (s.Count == 1 && InstrRe().Match(err) is { Success: true } m1) instr = D(m1.Groups[1].Value.Replace(",", ""));
        if (s.Count == 1 && MipsRe().Match(err) is { Success: true } m2) mips = D(m2.Groups[1].Value);
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(outFile)))[..16];
        var tail = string.Join('\n', err.Split('\n').Where(l => !l.StartsWith("jitexec: ") || !StatsLine().IsMatch(l)).TakeLast(4)).Trim();
        return new Sample(D(f[0]), D(f[1]), D(f[2]), int.Parse(f[3]), hash, tail, instr, mips);
    }

    [GeneratedRegex(@"jitexec: guest instructions\s+([\d,]+)")] private static partial Regex InstrRe();
    [GeneratedRegex(@"\(([\d.]+) M guest instructions/s\)")] private static partial Regex MipsRe();
    [GeneratedRegex(@"^jitexec: (guest instructions|run time|blocks translated|start-up)")] private static partial Regex StatsLine();

    public sealed record Result(int Status, string Stdout, string Stderr);

    public static Result Capture(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new Result(p.ExitCode, stdout, err.Result);
    }

    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
