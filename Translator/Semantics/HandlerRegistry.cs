// Maps decoded instructions to handlers. A handler is registered for an Iced Code (one
// encoding form) or for a whole Mnemonic; the Code entry wins. Families register
// themselves from Families.RegisterAll: one file per instruction family.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;

namespace Jitexec.Translator.Semantics;

public sealed unsafe class HandlerRegistry
{
    private readonly nint[] _byCode = new nint[Enum.GetValues<Code>().Length];
    private readonly nint[] _byMnemonic = new nint[Enum.GetValues<Mnemonic>().Length];

    public static readonly HandlerRegistry Default = Build();

    private static HandlerRegistry Build()
    {
        var r = new HandlerRegistry();
        Families.RegisterAll(r);
        return r;
    }

    public void Add(Mnemonic m, delegate*<Cpu, ref Op, void> handler) => _byMnemonic[(int)m] = (nint)handler;

    public void Add(Code code, delegate*<Cpu, ref Op, void> handler) => _byCode[(int)code] = (nint)handler;

    public void Add(delegate*<Cpu, ref Op, void> handler, params Mnemonic[] ms)
    {
        foreach (var m in ms) Add(m, handler);
    }

    /// <summary>The handler for an instruction, or null when the instruction is not implemented.</summary>
    public delegate*<Cpu, ref Op, void> Lookup(in Instruction insn)
    {
        nint h = _byCode[(int)insn.Code];
        if (h == 0) h = _byMnemonic[(int)insn.Mnemonic];
        return (delegate*<Cpu, ref Op, void>)h;
    }

    public bool Implements(Mnemonic m) => _byMnemonic[(int)m] != 0;
}
