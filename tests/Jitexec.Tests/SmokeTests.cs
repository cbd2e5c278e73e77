// End-to-end check of the interpreter pipeline on a tiny hand-assembled routine.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Memory;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests;

public class SmokeTests
{
    [Fact]
    public unsafe void LoopSumsIntegers()
    {
        using var mem = new GuestMemory();
        const ulong code = 0x10000, stack = 0x20000;
        FlatGuest.Map(mem, code, 0x20000);
        FlatGuest.Load(mem, code, a =>
        {
            var loop = a.CreateLabel();
            a.xor(eax, eax);
            a.mov(ecx, 100);
            a.Label(ref loop);
            a.add(rax, rcx);
            a.dec(ecx);
            a.jne(loop);
            a.syscall();
        });
        var sys = new FlatSystem(code, code + 0x1000);
        var cpu = new Cpu(mem, sys) { Rip = code };
        cpu.R[Reg.Rsp] = stack + 0x1000;
        new Engine(mem, sys).Run(cpu);
        Assert.Equal(5050UL, cpu.R[Reg.Rax]);
        Assert.True(Flags.Zf(cpu));
    }
}
