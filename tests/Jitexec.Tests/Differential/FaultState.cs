// The architectural state at a guest fault, checked against the CPU: the guest runs
// prefix + faulting instruction and must raise the expected signal at the faulting
// instruction; the host runs the prefix alone. Registers, flags, XMM, x87 and the compared
// memory must then agree (MXCSR up to the exception flags the fault itself records), i.e. the
// fault left exactly the state the instructions before it produced.
using Iced.Intel;
using Jitexec.Translator.Exec;
using Xunit;

namespace Jitexec.Tests.Differential;

public static class FaultState
{
    public static void Assert(Tier tier, Action<Assembler> prefix, Action<Assembler> faulting, Action<MachineState> setup,
        int signal, uint raisedMxcsr = 0)
    {
        var full = Assembled.Create(new DiffCase(a => { prefix(a); faulting(a); }));
        var pre = Assembled.Create(new DiffCase(prefix));
        var s = RandomState.Make(new FastRandom(DiffRunner.SeedFor(full.Disassembly)), false);
        setup(s);
        MachineState native, guest;
        GuestFault? fault;
        lock (DiffRunner.Gate)
        {
            NativeRunner.LoadCode(pre.Bytes, pre.Address);
            native = NativeRunner.Run(s);
            (guest, fault) = new GuestRunner(tier, full).Run(s);
        }
        Xunit.Assert.True(fault != null, $"{full.Disassembly}: expected signal {signal}, guest completed");
        Xunit.Assert.True(fault!.Signal == signal, $"{full.Disassembly}: expected signal {signal}, got {fault.Signal}: {fault.Message}");
        ulong at = full.Instructions[pre.Instructions.Count].IP;
        Xunit.Assert.True(fault.Rip == at, $"{full.Disassembly}: fault rip {fault.Rip:x}, expected {at:x}");
        native.Mxcsr |= raisedMxcsr;
        var diff = StateDiff.Compare(native, guest, StateDiff.ComparedFlags & ~full.UndefinedFlags);
        Xunit.Assert.True(diff.Count == 0, $"{full.Disassembly}: state at the fault differs from the prefix run natively:\n  " +
            string.Join("\n  ", diff) + $"\ninput:\n{s}");
    }
}
