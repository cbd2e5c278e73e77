// Maps decoded instructions to handlers. A handler is registered for an Iced Code (one
// encoding form) or for a whole Mnemonic; the Code entry wins. Families register
// themselves from Families.RegisterAll: one file per instruction family.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;

namespace Jitexec.Translator.Semantics;

public sealed unsafe class HandlerRegistry
{
    // Grown on demand (Enum.GetValues over Iced's 4900-member Code costs ~4 ms at start-up).
    private nint[] _byCode = new nint[4096];
    private nint[] _byMnemonic = new nint[2048];

    public static readonly HandlerRegistry Default = Build();

    private static HandlerRegistry Build()
    {
        var r = new HandlerRegistry();
        Families.RegisterAll(r);
        return r;
    }

    public void Add(Mnemonic m, delegate*<Cpu, ref Op, void> handler) => Slot(ref _byMnemonic, (int)m) = (nint)handler;

    public void Add(Code code, delegate*<Cpu, ref Op, void> handler) => Slot(ref _byCode, (int)code) = (nint)handler;

    private static ref nint Slot(ref nint[] table, int i)
    {
        if (i >= table.Length)
        {
            var bigger = new nint[Math.Max(table.Length * 2, i + 1)];
            table.AsSpan().CopyTo(bigger);
            table = bigger;
        }
        return ref table[i];
    }

    public void Add(delegate*<Cpu, ref Op, void> handler, params Mnemonic[] ms)
    {
        foreach (var m in ms) Add(m, handler);
    }

    /// <summary>The handler for an instruction, or null when the instruction is not implemented.</summary>
    public delegate*<Cpu, ref Op, void> Lookup(in Instruction insn)
    {
        int c = (int)insn.Code, m = (int)insn.Mnemonic;
        nint h = (uint)c < (uint)_byCode.Length ? _byCode[c] : 0;
        if (h == 0 && (uint)m < (uint)_byMnemonic.Length) h = _byMnemonic[m];
        return (delegate*<Cpu, ref Op, void>)h;
    }

    public bool Implements(Mnemonic m) => (uint)m < (uint)_byMnemonic.Length && _byMnemonic[(int)m] != 0;
}
