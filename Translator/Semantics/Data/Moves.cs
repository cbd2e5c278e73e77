// Family: mov movabs movzx movsx movsxd lea, and the accumulator sign-extensions
// cbw/cwde/cdqe and cwd/cdq/cqo.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Operands;

namespace Jitexec.Translator.Semantics.Data;

internal static unsafe class Moves
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Mnemonic.Mov, &Mov);
        r.Add(Mnemonic.Movzx, &Movzx);
        r.Add(Mnemonic.Movsx, &Movsx);
        r.Add(Mnemonic.Movsxd, &Movsx);
        r.Add(Mnemonic.Lea, &Lea);
        r.Add(Mnemonic.Cbw, &SignExtendAccumulator);
        r.Add(Mnemonic.Cwde, &SignExtendAccumulator);
        r.Add(Mnemonic.Cdqe, &SignExtendAccumulator);
        r.Add(Mnemonic.Cwd, &SignExtendIntoRdx);
        r.Add(Mnemonic.Cdq, &SignExtendIntoRdx);
        r.Add(Mnemonic.Cqo, &SignExtendIntoRdx);
    }

    private static void Mov(Cpu c, ref Op op)
    {
        if (op.K0 == ArgKind.Seg || op.K1 == ArgKind.Seg) { MovSegment(c, ref op); return; }
        Write0(c, ref op, Read1(c, ref op));
    }

    // mov to/from a segment register: 64-bit user code only reads selectors (fs/gs bases are set by arch_prctl).
    private static void MovSegment(Cpu c, ref Op op)
    {
        if (op.K0 == ArgKind.Seg) return; // loading a selector has no effect we model
        Write0(c, ref op, op.R1 == 1 /* CS */ ? 0x33UL : op.R1 == 2 /* SS */ ? 0x2BUL : 0);
    }

    private static void Movzx(Cpu c, ref Op op) => Write0(c, ref op, Read1(c, ref op));

    private static void Movsx(Cpu c, ref Op op) => Write0(c, ref op, SignExtend(Read1(c, ref op), op.S1));

    private static void Lea(Cpu c, ref Op op)
    {
        // lea ignores segment overrides.
        ulong a = op.Disp;
        if (op.Base != Reg.None) a += c.R[op.Base];
        if (op.Index != Reg.None) a += c.R[op.Index] << op.Scale;
        if (op.Addr32) a = (uint)a;
        SetReg(c, op.R0, op.S0, a);
    }

    /// <summary>cbw/cwde/cdqe: sign-extend the lower half of the accumulator into all of it.</summary>
    private static void SignExtendAccumulator(Cpu c, ref Op op)
    {
        int size = op.Insn.Mnemonic switch { Mnemonic.Cbw => 2, Mnemonic.Cwde => 4, _ => 8 };
        SetReg(c, Reg.Rax, size, SignExtend(c.R[Reg.Rax], size / 2));
    }

    /// <summary>cwd/cdq/cqo: fill rdx with the sign of the accumulator.</summary>
    private static void SignExtendIntoRdx(Cpu c, ref Op op)
    {
        int size = op.Insn.Mnemonic switch { Mnemonic.Cwd => 2, Mnemonic.Cdq => 4, _ => 8 };
        ulong sign = (c.R[Reg.Rax] & Flags.SignBit(size)) != 0 ? ulong.MaxValue : 0;
        SetReg(c, Reg.Rdx, size, sign);
    }
}
