// Turns one Iced Instruction into an Op: operand kinds, register ids, sizes, immediate,
// memory address parts, condition code, prefixes. The only place that interprets Iced's
// operand model; handlers see only Op fields.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Semantics;

namespace Jitexec.Translator.Decode;

public static unsafe class OpBuilder
{
    public static Op Build(in Instruction insn, HandlerRegistry handlers)
    {
        var op = new Op
        {
            Insn = insn,
            Ip = insn.IP,
            NextIp = insn.NextIP,
            Length = (byte)insn.Length,
            Base = Reg.None,
            Index = Reg.None,
            Lock = insn.HasLockPrefix,
            Rep = insn.HasRepPrefix || insn.HasRepePrefix ? (byte)1 : insn.HasRepnePrefix ? (byte)2 : (byte)0,
        };
        var cc = insn.ConditionCode;
        op.Cc = cc == ConditionCode.None ? (byte)0 : (byte)((int)cc - 1);

        int count = Math.Min(insn.OpCount, 3);
        for (int i = 0; i < count; i++)
        {
            var (kind, reg, size) = Describe(in insn, i, ref op);
            switch (i)
            {
                case 0: op.K0 = kind; op.R0 = reg; op.S0 = size; break;
                case 1: op.K1 = kind; op.R1 = reg; op.S1 = size; break;
                default: op.K2 = kind; op.R2 = reg; op.S2 = size; break;
            }
        }
        op.Exec = handlers.Lookup(in insn);
        return op;
    }

    private static OperandShape Describe(in Instruction insn, int i, ref Op op)
    {
        switch (insn.GetOpKind(i))
        {
            case Iced.Intel.OpKind.Register:
                return DescribeRegister(insn.GetOpRegister(i));
            case Iced.Intel.OpKind.Memory:
                FillMemory(in insn, ref op);
                return new(ArgKind.Mem, 0, (byte)insn.MemorySize.GetSize());
            case Iced.Intel.OpKind.NearBranch16:
            case Iced.Intel.OpKind.NearBranch32:
            case Iced.Intel.OpKind.NearBranch64:
                op.Imm = insn.NearBranchTarget;
                return new(ArgKind.Imm, 0, 8);
            case Iced.Intel.OpKind.Immediate8:
            case Iced.Intel.OpKind.Immediate8to16:
            case Iced.Intel.OpKind.Immediate8to32:
            case Iced.Intel.OpKind.Immediate8to64:
            case Iced.Intel.OpKind.Immediate16:
            case Iced.Intel.OpKind.Immediate32:
            case Iced.Intel.OpKind.Immediate32to64:
            case Iced.Intel.OpKind.Immediate64:
                // enter/extrq carry two immediates: the second goes to Imm2.
                if (i > 0 && insn.GetOpKind(i - 1) is Iced.Intel.OpKind.Immediate8 or Iced.Intel.OpKind.Immediate16)
                    op.Imm2 = insn.GetImmediate(i);
                else
                    op.Imm = insn.GetImmediate(i);
                return new(ArgKind.Imm, 0, (byte)ImmediateSize(insn.GetOpKind(i)));
            case Iced.Intel.OpKind.Immediate8_2nd:
                op.Imm2 = insn.Immediate8_2nd;
                return new(ArgKind.Imm, 0, 1);
            case Iced.Intel.OpKind.MemorySegRSI:
            case Iced.Intel.OpKind.MemorySegESI:
            case Iced.Intel.OpKind.MemoryESRDI:
            case Iced.Intel.OpKind.MemoryESEDI:
            case Iced.Intel.OpKind.MemorySegRDI:
            case Iced.Intel.OpKind.MemorySegEDI:
                // String instruction operands: handlers use rsi/rdi directly. Record the
                // 0x67 address size and the segment override (it applies to the rsi operand only).
                FillStringMemory(in insn, insn.GetOpKind(i), ref op);
                return new(ArgKind.Other, 0, (byte)insn.MemorySize.GetSize());
            default:
                return new(ArgKind.Other, 0, 0);
        }
    }

    private static int ImmediateSize(Iced.Intel.OpKind k) => k switch
    {
        Iced.Intel.OpKind.Immediate8 => 1,
        Iced.Intel.OpKind.Immediate16 or Iced.Intel.OpKind.Immediate8to16 => 2,
        Iced.Intel.OpKind.Immediate32 or Iced.Intel.OpKind.Immediate8to32 => 4,
        _ => 8,
    };

    private static void FillMemory(in Instruction insn, ref Op op)
    {
        var b = insn.MemoryBase;
        if (b == Register.RIP || b == Register.EIP)
        {
            op.Disp = insn.MemoryDisplacement64; // Iced resolves rip-relative to an absolute address
        }
        else
        {
            op.Disp = insn.MemoryDisplacement64;
            if (b != Register.None) op.Base = GprIndex(b);
            var x = insn.MemoryIndex;
            if (x != Register.None)
            {
                op.Index = GprIndex(x);
                op.Scale = (byte)System.Numerics.BitOperations.Log2((uint)insn.MemoryIndexScale);
            }
            op.Addr32 = b.IsGPR32() || x.IsGPR32();
        }
        var seg = insn.SegmentPrefix;
        op.Seg = seg == Register.FS ? Op.SegFs : seg == Register.GS ? Op.SegGs : Op.SegNone;
    }

    private static void FillStringMemory(in Instruction insn, Iced.Intel.OpKind k, ref Op op)
    {
        if (k is Iced.Intel.OpKind.MemorySegESI or Iced.Intel.OpKind.MemoryESEDI or Iced.Intel.OpKind.MemorySegEDI)
            op.Addr32 = true;
        if (k is Iced.Intel.OpKind.MemorySegRSI or Iced.Intel.OpKind.MemorySegESI)
        {
            var seg = insn.SegmentPrefix;
            op.Seg = seg == Register.FS ? Op.SegFs : seg == Register.GS ? Op.SegGs : Op.SegNone;
        }
    }

    public static byte GprIndex(Register r) => r.IsGPR() ? (byte)r.GetFullRegister().GetNumber() : Reg.None;

    private static OperandShape DescribeRegister(Register r)
    {
        if (r.IsGPR8())
        {
            if (r >= Register.AH && r <= Register.BH)
                return new(ArgKind.Reg, (byte)(Reg.HighByteBase + (r - Register.AH)), 1);
            return new(ArgKind.Reg, (byte)r.GetFullRegister().GetNumber(), 1);
        }
        if (r.IsGPR16()) return new(ArgKind.Reg, (byte)(r - Register.AX), 2);
        if (r.IsGPR32()) return new(ArgKind.Reg, (byte)(r - Register.EAX), 4);
        if (r.IsGPR64()) return new(ArgKind.Reg, (byte)(r - Register.RAX), 8);
        if (r.IsXMM()) return new(ArgKind.Xmm, (byte)(r - Register.XMM0), 16);
        if (r >= Register.ST0 && r <= Register.ST7) return new(ArgKind.St, (byte)(r - Register.ST0), 10);
        if (r.IsSegmentRegister()) return new(ArgKind.Seg, (byte)(r - Register.ES), 2);
        return new(ArgKind.Other, 0, 0);
    }
}

/// <summary>One operand as Op stores it: kind, register id and size in bytes. A named struct, not a
/// value tuple: ValueTuple&lt;ArgKind, byte, byte&gt; has no ReadyToRun code and its constructor was
/// JIT-compiled at run time on the first decode.</summary>
internal readonly record struct OperandShape(ArgKind Kind, byte Reg, byte Size);
