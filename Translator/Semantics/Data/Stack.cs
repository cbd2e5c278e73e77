// Family: push pop leave enter (64-bit and 16-bit operand sizes). push imm is
// sign-extended by the decoder; push/pop of a memory operand address it with rsp before /
// after the adjustment respectively (Intel rule). push fs/gs pushes the selector (always 0
// here, zero-extended to 8 bytes as measured); pop fs/gs discards the value (selector loads
// are not modelled: fs/gs bases come from arch_prctl). pushf/popf live in Platform/FlagOps.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Operands;

namespace Jitexec.Translator.Semantics.Data;

internal static unsafe class Stack
{
    // The 16-bit operand-size forms (0x66 prefix; pushw imm8 and push imm16 too). Registered by
    // Code so that the handler, not each execution, knows the size.
    private static readonly Code[] Push16Forms = [Code.Push_r16, Code.Push_rm16, Code.Push_imm16, Code.Pushw_imm8, Code.Pushw_FS, Code.Pushw_GS];
    private static readonly Code[] Pop16Forms = [Code.Pop_r16, Code.Pop_rm16, Code.Popw_FS, Code.Popw_GS];

    public static void Register(HandlerRegistry r)
    {
        r.Add(Mnemonic.Push, &Push);
        r.Add(Mnemonic.Pop, &Pop);
        foreach (var code in Push16Forms) r.Add(code, &Push16);
        foreach (var code in Pop16Forms) r.Add(code, &Pop16);
        r.Add(Mnemonic.Leave, &Leave);
        r.Add(Code.Enterq_imm16_imm8, &Enter8);
        r.Add(Code.Enterw_imm16_imm8, &Enter2);
    }

    private static void Push(Cpu c, ref Op op)
    {
        ulong v = op.K0 == ArgKind.Seg ? 0 : Read0(c, ref op);
        if (op.K0 == ArgKind.Imm) v = SignExtend(v, op.S0);
        Push64(c, v);
    }

    private static void Push16(Cpu c, ref Op op)
    {
        ulong v = op.K0 == ArgKind.Seg ? 0 : Read0(c, ref op);
        ulong sp = c.R[Reg.Rsp] - 2;
        c.Mem.Write16(sp, (ushort)v);
        c.R[Reg.Rsp] = sp;
    }

    private static void Pop(Cpu c, ref Op op)
    {
        // pop into a memory operand addressed via rsp uses the incremented rsp.
        ulong val = Pop64(c);
        if (op.K0 == ArgKind.Seg) return;
        Write0(c, ref op, val);
    }

    private static void Pop16(Cpu c, ref Op op)
    {
        ulong sp = c.R[Reg.Rsp];
        ushort v = c.Mem.Read16(sp);
        c.R[Reg.Rsp] = sp + 2;
        if (op.K0 == ArgKind.Seg) return;
        Write0(c, ref op, v);
    }

    private static void Leave(Cpu c, ref Op op)
    {
        c.R[Reg.Rsp] = c.R[Reg.Rbp];
        c.R[Reg.Rbp] = Pop64(c);
    }

    private static void Enter8(Cpu c, ref Op op) => EnterValue(c, 8, (int)(ushort)op.Imm, (int)(op.Imm2 & 31));
    private static void Enter2(Cpu c, ref Op op) => EnterValue(c, 2, (int)(ushort)op.Imm, (int)(op.Imm2 & 31));

    /// <summary>enter allocSize, level with operand size <paramref name="size"/> (2 or 8):
    /// push rbp, copy level-1 outer frame pointers, push the new frame pointer, allocate.</summary>
    public static void EnterValue(Cpu c, int size, int allocSize, int level)
    {
        ulong sp = c.R[Reg.Rsp] - (ulong)size;
        c.Mem.WriteSized(sp, size, c.R[Reg.Rbp]);
        ulong frame = sp;
        if (level > 0)
        {
            ulong bp = c.R[Reg.Rbp];
            for (int i = 1; i < level; i++)
            {
                bp -= (ulong)size;
                sp -= (ulong)size;
                c.Mem.WriteSized(sp, size, c.Mem.ReadSized(bp, size));
            }
            sp -= (ulong)size;
            c.Mem.WriteSized(sp, size, frame);
        }
        SetReg(c, Reg.Rbp, size, frame);
        c.R[Reg.Rsp] = sp - (ulong)allocSize;
    }
}
