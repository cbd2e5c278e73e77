// Family: push pop leave (64-bit and 16-bit forms). enter/pushf/popf are TODO for the
// stack family owner.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Operands;

namespace Jitexec.Translator.Semantics.Data;

internal static unsafe class Stack
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Mnemonic.Push, &Push);
        r.Add(Mnemonic.Pop, &Pop);
        r.Add(Mnemonic.Leave, &Leave);
    }

    private static void Push(Cpu c, ref Op op)
    {
        ulong v = Read0(c, ref op);
        if (op.Insn.StackPointerIncrement == -2)
        {
            ulong sp = c.R[Reg.Rsp] - 2;
            c.Mem.Write16(sp, (ushort)v);
            c.R[Reg.Rsp] = sp;
        }
        else
        {
            if (op.K0 == ArgKind.Imm) v = SignExtend(v, op.S0);
            Push64(c, v);
        }
    }

    private static void Pop(Cpu c, ref Op op)
    {
        if (op.Insn.StackPointerIncrement == 2)
        {
            ulong sp = c.R[Reg.Rsp];
            ushort v = c.Mem.Read16(sp);
            c.R[Reg.Rsp] = sp + 2;
            Write0(c, ref op, v);
            return;
        }
        // pop into a memory operand addressed via rsp uses the incremented rsp.
        ulong val = Pop64(c);
        Write0(c, ref op, val);
    }

    private static void Leave(Cpu c, ref Op op)
    {
        c.R[Reg.Rsp] = c.R[Reg.Rbp];
        c.R[Reg.Rbp] = Pop64(c);
    }
}
