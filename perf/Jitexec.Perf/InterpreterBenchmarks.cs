// Interpreter throughput on representative hot loops (steady state: blocks translated and
// chained once, then re-run). Each benchmark reports time per guest instruction retired;
// 1000 / ns is M guest instructions/s (target: >= 150).
using BenchmarkDotNet.Attributes;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Memory;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Perf;

[MemoryDiagnoser]
public class InterpreterBenchmarks
{
    private const int Iters = 50_000;
    private GuestMemory _mem = null!;
    private Engine _engine = null!;
    private Cpu _cpu = null!;
    private ulong _alu, _mem_, _sse, _call;

    // Instructions retired per loop iteration (checked in Setup).
    private const int AluPerIter = 8, MemPerIter = 8, SsePerIter = 7, CallPerIter = 6;

    [GlobalSetup]
    public void Setup()
    {
        _mem = GuestCode.NewFlatMemory();
        var sys = new FlatSystem(GuestCode.CodeBase, GuestCode.CodeBase + GuestCode.CodeSize);
        _cpu = new Cpu(_mem, sys);
        _engine = new Engine(_mem, sys);
        ulong at = GuestCode.CodeBase;
        _alu = Place(ref at, AluLoop());
        _mem_ = Place(ref at, MemoryLoop());
        _sse = Place(ref at, SseLoop());
        _call = Place(ref at, CallLoop());
        Check(_alu, AluPerIter); Check(_mem_, MemPerIter); Check(_sse, SsePerIter); Check(_call, CallPerIter);
    }

    private ulong Place(ref ulong at, Assembler a)
    {
        ulong start = at;
        var bytes = GuestCode.Assemble(a, start);
        bytes.CopyTo(_mem.Span(start, bytes.Length));
        at = (start + (ulong)bytes.Length + 63) & ~63UL;
        return start;
    }

    private void Check(ulong entry, int perIter)
    {
        ulong before = _cpu.InstructionsRetired;
        Run(entry);
        ulong got = _cpu.InstructionsRetired - before;
        ulong want = (ulong)perIter * Iters + 3; // + setup (2) + final syscall
        if (got < want - 8 || got > want + 8)
            throw new InvalidOperationException($"loop at {entry:x} retired {got} instructions, expected about {want}");
    }

    private ulong Run(ulong entry)
    {
        var c = _cpu;
        c.Halted = false;
        c.Rip = entry;
        c.R[Reg.Rsp] = GuestCode.StackBase + GuestCode.StackSize - 64;
        c.R[Reg.Rdi] = GuestCode.DataBase;
        _engine.Run(c);
        return c.R[Reg.Rax];
    }

    // add/xor/shift/lea/sub/and + dec/jne: the bread and butter of compiled C.
    private static Assembler AluLoop()
    {
        var a = new Assembler(64);
        var loop = a.CreateLabel();
        a.mov(ecx, Iters); a.xor(eax, eax);
        a.Label(ref loop);
        a.add(rax, rcx); a.xor(rdx, rax); a.shl(rdx, 3); a.lea(rsi, __[rax + rdx * 2]);
        a.sub(rsi, rcx); a.and(rdx, rsi); a.dec(ecx); a.jne(loop);
        a.syscall();
        return a;
    }

    // Loads and stores through a base+index address, compare-and-branch on a counter.
    private static Assembler MemoryLoop()
    {
        var a = new Assembler(64);
        var loop = a.CreateLabel();
        a.xor(ecx, ecx); a.xor(eax, eax);
        a.Label(ref loop);
        a.mov(edx, ecx); a.and(edx, 4095);
        a.mov(rsi, __qword_ptr[rdi + rdx * 8]); a.add(rsi, rcx); a.mov(__qword_ptr[rdi + rdx * 8], rsi);
        a.inc(ecx); a.cmp(ecx, Iters);
        a.jb(loop);
        a.syscall();
        return a;
    }

    // Scalar double arithmetic with int<->double conversions (SSE2).
    private static Assembler SseLoop()
    {
        var a = new Assembler(64);
        var loop = a.CreateLabel();
        a.mov(ecx, Iters); a.xorps(xmm0, xmm0);
        a.Label(ref loop);
        a.cvtsi2sd(xmm1, ecx); a.mulsd(xmm1, xmm1); a.addsd(xmm0, xmm1); a.divsd(xmm1, xmm0);
        a.ucomisd(xmm1, xmm0); a.dec(ecx); a.jne(loop);
        a.syscall();
        return a;
    }

    // A call to a tiny leaf function per iteration (call/ret through the guest stack).
    private static Assembler CallLoop()
    {
        var a = new Assembler(64);
        var loop = a.CreateLabel();
        var leaf = a.CreateLabel();
        var done = a.CreateLabel();
        a.mov(ecx, Iters); a.xor(eax, eax);
        a.Label(ref loop);
        a.call(leaf); a.dec(ecx); a.jne(loop);
        a.jmp(done);
        a.Label(ref leaf);
        a.add(rax, rcx); a.xor(rax, 0x55); a.ret();
        a.Label(ref done);
        a.syscall();
        return a;
    }

    [Benchmark(OperationsPerInvoke = Iters * AluPerIter, Description = "interp ALU loop (per guest instruction)")]
    public ulong AluLoopRun() => Run(_alu);

    [Benchmark(OperationsPerInvoke = Iters * MemPerIter, Description = "interp load/store loop (per guest instruction)")]
    public ulong MemoryLoopRun() => Run(_mem_);

    [Benchmark(OperationsPerInvoke = Iters * SsePerIter, Description = "interp SSE2 double loop (per guest instruction)")]
    public ulong SseLoopRun() => Run(_sse);

    [Benchmark(OperationsPerInvoke = Iters * CallPerIter, Description = "interp call/ret loop (per guest instruction)")]
    public ulong CallLoopRun() => Run(_call);
}
