// Syscall round trip through the Kernel's dispatcher: getpid called directly on a
// LinuxProcess (table lookup + handler + result), and from guest code in a loop
// (block exit at syscall, dispatch, return into the next block).
using BenchmarkDotNet.Attributes;
using Iced.Intel;
using Jitexec.Kernel.Process;
using Jitexec.Loader;
using Jitexec.Translator.Core;
using Jitexec.Translator.Memory;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Perf;

public class SyscallBenchmarks
{
    private const int Iters = 20_000;
    private LinuxProcess _p = null!;
    private ulong _loop;

    [GlobalSetup]
    public void Setup()
    {
        var mem = new GuestMemory();
        _p = new LinuxProcess(mem, new ProcessOptions());
        _p.Space.MapAnonymous(GuestCode.CodeBase, 0x10000, Prot.Read | Prot.Exec, "[bench code]");
        _p.Space.MapAnonymous(GuestCode.StackBase, GuestCode.StackSize, Prot.Read | Prot.Write, "[stack]");
        var a = new Assembler(64);
        var loop = a.CreateLabel();
        a.mov(ebx, Iters);
        a.Label(ref loop); a.mov(eax, 39); a.syscall(); a.dec(ebx); a.jnz(loop);
        a.mov(eax, 231); a.xor(edi, edi); a.syscall();
        _loop = GuestCode.CodeBase;
        _p.Space.Poke(_loop, GuestCode.Assemble(a, _loop));
    }

    [Benchmark(Description = "getpid via LinuxProcess.Syscall (per call)")]
    public ulong GetpidDirect()
    {
        var c = _p.Cpu;
        c.R[Reg.Rax] = 39;
        _p.Syscall(c);
        return c.R[Reg.Rax];
    }

    [Benchmark(OperationsPerInvoke = Iters, Description = "getpid from guest code (per round trip)")]
    public void GetpidGuestLoop()
    {
        var c = _p.Cpu;
        c.Halted = false;
        c.Rip = _loop;
        c.R[Reg.Rsp] = GuestCode.StackBase + GuestCode.StackSize - 64;
        _p.Run();
    }
}
