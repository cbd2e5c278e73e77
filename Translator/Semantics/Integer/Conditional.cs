// Family: setcc cmovcc (all 16 conditions; op.Cc is the condition nibble, evaluated by Flags.Cond).
// Invariants: setcc writes one byte (0 or 1) and changes no flags. cmovcc always reads its
// source (a memory source can fault even when the condition is false) and, with a 32-bit
// operand size, zero-extends the destination register even when the condition is false.
using System.Runtime.CompilerServices;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Operands;

namespace Jitexec.Translator.Semantics.Integer;

internal static unsafe class Conditional
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(&Setcc, Mnemonic.Seto, Mnemonic.Setno, Mnemonic.Setb, Mnemonic.Setae, Mnemonic.Sete, Mnemonic.Setne,
            Mnemonic.Setbe, Mnemonic.Seta, Mnemonic.Sets, Mnemonic.Setns, Mnemonic.Setp, Mnemonic.Setnp,
            Mnemonic.Setl, Mnemonic.Setge, Mnemonic.Setle, Mnemonic.Setg);
        r.Add(&Cmovcc, Mnemonic.Cmovo, Mnemonic.Cmovno, Mnemonic.Cmovb, Mnemonic.Cmovae, Mnemonic.Cmove, Mnemonic.Cmovne,
            Mnemonic.Cmovbe, Mnemonic.Cmova, Mnemonic.Cmovs, Mnemonic.Cmovns, Mnemonic.Cmovp, Mnemonic.Cmovnp,
            Mnemonic.Cmovl, Mnemonic.Cmovge, Mnemonic.Cmovle, Mnemonic.Cmovg);
    }

    // ---- value-level semantics ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SetccValue(Cpu c, int cc) => Flags.Cond(c, cc) ? 1UL : 0UL;

    /// <summary>cmovcc on full register values: the new destination value for <paramref name="size"/>-byte operands.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CmovValue(Cpu c, int cc, ulong dst, ulong src) => Flags.Cond(c, cc) ? src : dst;

    // ---- handlers ----

    private static void Setcc(Cpu c, ref Op op) => Write0(c, ref op, SetccValue(c, op.Cc));

    private static void Cmovcc(Cpu c, ref Op op)
    {
        ulong src = Read1(c, ref op);
        // SetReg applies the size rule: a 32-bit write zero-extends, 16-bit merges.
        SetReg(c, op.R0, op.S0, CmovValue(c, op.Cc, GetReg(c, op.R0, op.S0), src));
    }
}
