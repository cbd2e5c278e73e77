// Runs a test sequence in the emulator at a given tier. One GuestMemory for the whole test
// process, with the sandbox addresses made RW so guest addresses equal the host addresses
// used by the native run. Returns the final state, or the GuestFault the guest raised.
// Not thread-safe: callers serialise through DiffRunner's lock.
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Host;
using Jitexec.Translator.Memory;
using System.Runtime.Intrinsics;

namespace Jitexec.Tests.Differential;

public sealed unsafe class GuestRunner
{
    private sealed class SandboxSystem(ulong start, ulong end) : IGuestSystem
    {
        public GuestFault? Fault;
        public void Syscall(Cpu cpu)
        {
            Fault = new GuestFault(GuestFault.SIGILL, cpu.Rip, "syscall in a differential test");
            cpu.Halted = true;
        }
        public ulong ExecutableLimit(ulong addr) => addr >= start && addr < end ? end : 0;
        void IGuestSystem.Fault(Cpu cpu, GuestFault fault)
        {
            Fault = fault;
            cpu.Halted = true;
        }
    }

    public static readonly GuestMemory Memory = CreateMemory();

    private static GuestMemory CreateMemory()
    {
        var m = new GuestMemory();
        if (Libc.mprotect((nint)m.Ptr(Sandbox.Base), (nuint)Sandbox.RegionSize, Libc.PROT_READ | Libc.PROT_WRITE) != 0)
            throw new InvalidOperationException("differential harness: mprotect of guest sandbox failed");
        return m;
    }

    private readonly SandboxSystem _sys;
    private readonly Engine _engine;
    private readonly ulong _start, _end;

    /// <summary>Prepare a runner for the test bytes of <paramref name="asm"/>; a run ends when rip reaches their end.</summary>
    public GuestRunner(Tier tier, Assembled asm)
    {
        Tier = tier;
        _start = asm.Address;
        asm.Bytes.AsSpan(0, asm.TestLength).CopyTo(Memory.Span(_start, asm.TestLength));
        _end = _start + (ulong)asm.TestLength;
        _sys = new SandboxSystem(_start, _end);
        _engine = new Engine(Memory, _sys);
    }

    public Tier Tier { get; }

    public (MachineState state, GuestFault? fault) Run(MachineState input)
    {
        input.WriteMemory(Memory.Ptr(Sandbox.Base));
        var cpu = new Cpu(Memory, _sys) { Rip = _start };
        for (int i = 0; i < 16; i++) cpu.R[i] = input.Gpr[i];
        Flags.Set(cpu, input.Rflags);
        cpu.Mxcsr = input.Mxcsr;
        for (int i = 0; i < 16; i++) cpu.Xmm[i] = Vector128.Create(input.Xmm[2 * i], input.Xmm[2 * i + 1]);
        cpu.FpuControl = input.Fcw;
        cpu.FpuTop = input.FpuTop;
        cpu.FpuStatus = (ushort)(input.Fsw & ~0x3800);
        cpu.FpuTagValid = input.Ftw;
        for (int i = 0; i < 8; i++)
            cpu.St[(input.FpuTop + i) & 7] = new X87Reg { Mantissa = input.StMant[i], SignExp = input.StExp[i] };
        _sys.Fault = null;
        Watchdog.Arm(_engine, cpu);
        try { Execute(cpu); }
        finally { Watchdog.Disarm(); }
        var o = new MachineState();
        for (int i = 0; i < 16; i++) o.Gpr[i] = cpu.R[i];
        o.Rflags = Flags.Get(cpu);
        o.Mxcsr = cpu.Mxcsr;
        for (int i = 0; i < 16; i++) { o.Xmm[2 * i] = cpu.Xmm[i].GetElement(0); o.Xmm[2 * i + 1] = cpu.Xmm[i].GetElement(1); }
        o.Fcw = cpu.FpuControl;
        o.Fsw = (ushort)((cpu.FpuStatus & ~0x3800) | ((cpu.FpuTop & 7) << 11));
        o.Ftw = cpu.FpuTagValid;
        for (int i = 0; i < 8; i++)
        {
            var r = cpu.St[(cpu.FpuTop + i) & 7];
            o.StMant[i] = r.Mantissa;
            o.StExp[i] = r.SignExp;
        }
        o.ReadMemory(Memory.Ptr(Sandbox.Base));
        var fault = _sys.Fault;
        if (fault == null && cpu.Rip != _end)
            fault = new GuestFault(GuestFault.SIGILL, cpu.Rip, Watchdog.Fired
                ? $"guest still running after {Watchdog.LimitMs} ms (endless loop?) at {Sandbox.Describe(cpu.Rip)}"
                : $"guest stopped at {Sandbox.Describe(cpu.Rip)} instead of {Sandbox.Describe(_end)}");
        return (o, fault);
    }

    private void Execute(Cpu cpu)
    {
        switch (Tier)
        {
            case Tier.Interpreter: _engine.Run(cpu, stopAt: _end); break;
            case Tier.Jit:
                if (_engine.Jit == null && !_engine.ConfigureJit(Jitexec.Translator.Jit.JitOptions.AlwaysCompile))
                    throw new NotSupportedException("the JIT tier needs dynamic code");
                _engine.Run(cpu, stopAt: _end);
                break;
            default: throw new NotSupportedException($"tier {Tier}");
        }
    }
}
