// Block translation cost: decoding real code (perl's executable segment, copied into guest
// memory) into pre-decoded Blocks, per guest instruction (ns; divide by 1000 for µs).
// The IL JIT tier adds its compile-latency benchmark here (same block set), so both tiers'
// cost per guest instruction sit side by side.
using BenchmarkDotNet.Attributes;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Memory;
using Jitexec.Translator.Semantics;

namespace Jitexec.Perf;

[MemoryDiagnoser]
public class TranslationBenchmarks
{
    // Blocks are collected until they hold at least this many instructions (overshoot < 64, i.e. < 0.5%).
    private const int Instructions = 15_000;
    private GuestMemory _mem = null!;
    private BlockTranslator _translator = null!;
    private ulong[] _starts = [];

    /// <summary>Blocks in the set and their mean length, for the report.</summary>
    public static string Describe = "";

    [GlobalSetup]
    public void Setup()
    {
        var (code, _) = GuestCode.ExecutableSegment();
        _mem = GuestCode.NewFlatMemory();
        int len = Math.Min(code.Length, GuestCode.CodeSize - 4096);
        code.AsSpan(0, len).CopyTo(_mem.Span(GuestCode.CodeBase, len));
        var sys = new FlatSystem(GuestCode.CodeBase, GuestCode.CodeBase + (ulong)len);
        _translator = new BlockTranslator(_mem, sys, HandlerRegistry.Default);
        var starts = new List<ulong>();
        ulong at = GuestCode.CodeBase;
        int total = 0;
        while (total < Instructions)
        {
            var b = _translator.Translate(at);
            if (!b.Valid) throw new InvalidOperationException($"ran out of code at {at:x}");
            starts.Add(at);
            total += b.Ops.Length;
            at = b.End;
        }
        _starts = starts.ToArray();
        Describe = $"{_starts.Length} blocks, {total} instructions, {(double)total / _starts.Length:F1} per block";
        Console.WriteLine($"// translation set: {Describe}");
    }

    [Benchmark(OperationsPerInvoke = Instructions, Description = "translate blocks (per guest instruction)")]
    public int TranslateBlocks()
    {
        int n = 0;
        foreach (var s in _starts) n += _translator.Translate(s).Ops.Length;
        return n;
    }
}
