// One differential case: an instruction sequence (an Iced Assembler callback) plus how to
// build its inputs. Everything (GPRs but rsp/r15, flags, XMM, buffer, stack) is random;
// slots named with In/InMem/InF64/InF32 also get edge values (the first two as a cross
// product). Where() filters inputs that must not run natively (e.g. divide faults); With()
// adjusts a state after randomisation (e.g. point rbp into the stack).
using Iced.Intel;

namespace Jitexec.Tests.Differential;

public sealed class DiffCase
{
    public DiffCase(Action<Assembler> code, string? name = null)
    {
        Code = code;
        _name = name;
    }

    private string? _name;
    public Action<Assembler> Code { get; }
    /// <summary>Unique name in its CaseSet; defaults to the disassembly of the sequence.</summary>
    public string Name => _name ??= Assembled.Create(this).Disassembly;
    public List<Slot> Slots { get; } = [];
    public Func<MachineState, bool>? Filter { get; private set; }
    public Action<MachineState, Random>? Setup { get; private set; }
    public int Iterations { get; private set; } = 200;
    public bool RandomMxcsr { get; private set; }
    /// <summary>Extra rflags bits not compared (beyond those Iced reports undefined).</summary>
    public ulong IgnoredFlags { get; private set; }

    public DiffCase Named(string name) { _name = name; return this; }

    /// <summary>Offset of the code from Sandbox.Code (default 0).</summary>
    public int CodeShift { get; private set; }
    /// <summary>Place the code so that the page boundary falls <paramref name="bytesBefore"/> bytes into it (tests decoding across pages).</summary>
    public DiffCase StraddleCodePage(int bytesBefore) { CodeShift = 0x1000 - bytesBefore; return this; }

    /// <summary>Registers (GPRs of any width incl. ah..bh, or XMM as integer lanes) that get edge values.</summary>
    public DiffCase In(params Register[] regs) { foreach (var r in regs) Slots.Add(Slot.Gpr(r)); return this; }
    public DiffCase InMem(int offset, int size) { Slots.Add(Slot.Mem(offset, size)); return this; }
    public DiffCase InF64(params Register[] xmms) { foreach (var r in xmms) Slots.Add(Slot.F64(r)); return this; }
    public DiffCase InF32(params Register[] xmms) { foreach (var r in xmms) Slots.Add(Slot.F32(r)); return this; }
    public DiffCase Where(Func<MachineState, bool> filter) { Filter = filter; return this; }
    /// <summary>Adjust each generated state (after edge values, before the filter); several calls compose in order.</summary>
    public DiffCase With(Action<MachineState, Random> setup)
    {
        var prev = Setup;
        Setup = prev == null ? setup : (s, r) => { prev(s, r); setup(s, r); };
        return this;
    }
    public DiffCase With(Action<MachineState> setup) => With((s, _) => setup(s));
    /// <summary>Make GPR <paramref name="r"/> point at buffer byte <paramref name="offset"/> (for non-r15 bases, e.g. with ah..bh).</summary>
    public DiffCase PointAtBuffer(Register r, int offset = 0) =>
        With(s => s.Gpr[r.GetFullRegister().GetNumber()] = Sandbox.Buffer + (ulong)offset);
    public DiffCase Iter(int n) { Iterations = n; return this; }
    public DiffCase WithRandomMxcsr() { RandomMxcsr = true; return this; }
    public DiffCase IgnoreFlags(ulong bits) { IgnoredFlags |= bits; return this; }
    /// <summary>GPRs (any width names the full register) and XMM registers whose results are not compared (architecturally undefined results).</summary>
    public List<Register> IgnoredRegs { get; } = [];
    public DiffCase Ignore(params Register[] regs) { IgnoredRegs.AddRange(regs); return this; }
    /// <summary>x87 status-word bits not compared (beyond the C0-C3 bits Iced reports undefined).</summary>
    public ushort IgnoredFsw { get; private set; }
    public DiffCase IgnoreFsw(ushort bits) { IgnoredFsw |= bits; return this; }
    /// <summary>Number of x87 registers (ST0..) filled with random/edge values; -1 = empty stack, default control word.</summary>
    public int X87Depth { get; private set; } = -1;
    /// <summary>Random x87 stack of <paramref name="depth"/> values (0-8), random TOP, rounding and precision control.</summary>
    public DiffCase WithX87(int depth) { X87Depth = depth; return this; }
    /// <summary>ST(i) registers that get 80-bit edge values (implies a stack at least i+1 deep).</summary>
    public DiffCase InSt(params int[] sts)
    {
        foreach (int i in sts) { Slots.Add(Slot.St(i)); X87Depth = Math.Max(X87Depth, i + 1); }
        return this;
    }

    public static implicit operator DiffCase(Action<Assembler> code) => new(code);
}
