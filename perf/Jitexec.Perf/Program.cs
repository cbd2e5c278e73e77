// Entry point of the micro-benchmarks (see perf/README.md). Benchmarks run in-process by
// default: BenchmarkDotNet's usual per-benchmark rebuild of a generated project takes
// minutes on a shared 2-core machine. Pass --out-of-process to get the isolated default.
//   dotnet run -c Release --project perf/Jitexec.Perf -- --filter '*'
//   dotnet run -c Release --project perf/Jitexec.Perf -- --filter '*Interpreter*' --job short
using BenchmarkDotNet.Running;

var list = args.ToList();
if (!list.Remove("--out-of-process") && !list.Contains("--inProcess")) list.Add("--inProcess");
BenchmarkSwitcher.FromAssembly(typeof(Jitexec.Perf.GuestCode).Assembly).Run(list.ToArray());
