// A translated basic block: a run of pre-decoded ops ending at a control transfer, a
// syscall, a page boundary or the size cap. Executing it runs each op's handler in order;
// rip is preset to the fall-through address so only control transfers write it.
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;

namespace Jitexec.Translator.Exec;

public sealed unsafe class Block
{
    public readonly ulong Start;
    public readonly ulong End;          // address after the last instruction
    public readonly Op[] Ops;
    public bool Valid = true;
    public ulong ExecCount;

    // Direct chaining: the last successor taken, to skip the cache lookup.
    public Block? Next;

    public Block(ulong start, ulong end, Op[] ops)
    {
        Start = start;
        End = end;
        Ops = ops;
    }

    public void Interpret(Cpu c)
    {
        c.Rip = End;
        var ops = Ops;
        for (int i = 0; i < ops.Length; i++)
            ops[i].Exec(c, ref ops[i]);
        c.InstructionsRetired += (ulong)ops.Length;
    }
}
