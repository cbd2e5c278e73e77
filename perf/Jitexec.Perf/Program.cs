// Entry point of the micro-benchmarks. Examples:
//   dotnet run -c Release --project perf/Jitexec.Perf -- --filter '*'            (everything)
//   dotnet run -c Release --project perf/Jitexec.Perf -- --filter '*Decode*' --job short
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Jitexec.Perf.GuestCode).Assembly).Run(args);
