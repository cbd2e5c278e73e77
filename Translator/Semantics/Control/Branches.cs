// Family: jmp jcc call ret jrcxz/jecxz loop/loope/loopne. Near branches carry their
// absolute target in Op.Imm; indirect forms read operand 0.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Operands;

namespace Jitexec.Translator.Semantics.Control;

internal static unsafe class Branches
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Mnemonic.Jmp, &Jmp);
        r.Add(&Jcc, Mnemonic.Jo, Mnemonic.Jno, Mnemonic.Jb, Mnemonic.Jae, Mnemonic.Je, Mnemonic.Jne, Mnemonic.Jbe,
            Mnemonic.Ja, Mnemonic.Js, Mnemonic.Jns, Mnemonic.Jp, Mnemonic.Jnp, Mnemonic.Jl, Mnemonic.Jge, Mnemonic.Jle, Mnemonic.Jg);
        r.Add(Mnemonic.Call, &Call);
        r.Add(Mnemonic.Ret, &Ret);
        r.Add(Mnemonic.Jrcxz, &Jrcxz);
        r.Add(Mnemonic.Jecxz, &Jrcxz);
        r.Add(Mnemonic.Loop, &Loop);
        r.Add(Mnemonic.Loope, &Loop);
        r.Add(Mnemonic.Loopne, &Loop);
    }

    private static ulong Target(Cpu c, ref Op op) => op.K0 == ArgKind.Imm ? op.Imm : Read0(c, ref op);

    private static void Jmp(Cpu c, ref Op op) => c.Rip = Target(c, ref op);

    private static void Jcc(Cpu c, ref Op op)
    {
        if (Flags.Cond(c, op.Cc)) c.Rip = op.Imm;
    }

    private static void Call(Cpu c, ref Op op)
    {
        ulong target = Target(c, ref op); // read before the push: `call [rsp]` uses the old rsp
        Push64(c, op.NextIp);
        c.Rip = target;
    }

    private static void Ret(Cpu c, ref Op op)
    {
        c.Rip = Pop64(c);
        if (op.K0 == ArgKind.Imm) c.R[Reg.Rsp] += op.Imm & 0xFFFF;
    }

    private static void Jrcxz(Cpu c, ref Op op)
    {
        ulong count = op.Insn.Mnemonic == Mnemonic.Jecxz ? (uint)c.R[Reg.Rcx] : c.R[Reg.Rcx];
        if (count == 0) c.Rip = op.Imm;
    }

    private static void Loop(Cpu c, ref Op op)
    {
        // With a 0x67 prefix the count is ecx (a 32-bit write: zero-extends like any other).
        bool ecx = op.Insn.Code is Code.Loop_rel8_64_ECX or Code.Loope_rel8_64_ECX or Code.Loopne_rel8_64_ECX;
        ulong rcx = c.R[Reg.Rcx] - 1;
        if (ecx) rcx = (uint)rcx;
        c.R[Reg.Rcx] = rcx;
        bool taken = rcx != 0 && op.Insn.Mnemonic switch
        {
            Mnemonic.Loope => Flags.Zf(c),
            Mnemonic.Loopne => !Flags.Zf(c),
            _ => true,
        };
        if (taken) c.Rip = op.Imm;
    }
}
