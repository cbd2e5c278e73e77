// Dispatch cost between blocks: a ring of one-instruction blocks where every successor is
// chained (Block.Next hit), versus a loop whose indirect jump alternates between two
// targets so the chain misses and the engine looks the block up in the cache each time.
// Reported per block executed.
using BenchmarkDotNet.Attributes;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Memory;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Perf;

public class DispatchBenchmarks
{
    private const int Iters = 50_000;
    private GuestMemory _mem = null!;
    private Engine _engine = null!;
    private Cpu _cpu = null!;
    private ulong _chained, _indirect;

    [GlobalSetup]
    public void Setup()
    {
        _mem = GuestCode.NewFlatMemory();
        var sys = new FlatSystem(GuestCode.CodeBase, GuestCode.CodeBase + GuestCode.CodeSize);
        _cpu = new Cpu(_mem, sys);
        _engine = new Engine(_mem, sys);
        _chained = GuestCode.CodeBase;
        var a = Chained();
        var bytes = GuestCode.Assemble(a, _chained);
        bytes.CopyTo(_mem.Span(_chained, bytes.Length));
        _indirect = GuestCode.CodeBase + 0x1000;
        bytes = GuestCode.Assemble(Indirect(), _indirect);
        bytes.CopyTo(_mem.Span(_indirect, bytes.Length));
        Run(_chained); Run(_indirect);
    }

    // 4 blocks per iteration: [dec; jz], [jmp], [jmp], [jmp back].
    private static Assembler Chained()
    {
        var a = new Assembler(64);
        Label top = a.CreateLabel(), b1 = a.CreateLabel(), b2 = a.CreateLabel(), b3 = a.CreateLabel(), done = a.CreateLabel();
        a.mov(ecx, Iters);
        a.Label(ref top); a.dec(ecx); a.jz(done);
        a.Label(ref b1); a.jmp(b2);
        a.Label(ref b2); a.jmp(b3);
        a.Label(ref b3); a.jmp(top);
        a.Label(ref done); a.syscall();
        return a;
    }

    // 3 blocks per iteration: [dec; jz], [pick target by parity; jmp rax] (chain miss), [jmp back].
    private static Assembler Indirect()
    {
        var a = new Assembler(64);
        Label top = a.CreateLabel(), pick = a.CreateLabel(), t0 = a.CreateLabel(), t1 = a.CreateLabel(), done = a.CreateLabel();
        a.mov(ecx, Iters);
        a.lea(rsi, __[t0]); a.lea(rdi, __[t1]);
        a.Label(ref top); a.dec(ecx); a.jz(done);
        a.Label(ref pick); a.mov(rax, rsi); a.test(ecx, 1); a.cmovnz(rax, rdi); a.jmp(rax);
        a.Label(ref t0); a.jmp(top);
        a.Label(ref t1); a.jmp(top);
        a.Label(ref done); a.syscall();
        return a;
    }

    private void Run(ulong entry)
    {
        _cpu.Halted = false;
        _cpu.Rip = entry;
        _engine.Run(_cpu);
    }

    [Benchmark(OperationsPerInvoke = Iters * 4, Description = "chained dispatch (per block)")]
    public void ChainedDispatch() => Run(_chained);

    [Benchmark(OperationsPerInvoke = Iters * 3, Description = "indirect jump, chain miss every 3rd block (per block)")]
    public void IndirectDispatch() => Run(_indirect);
}
