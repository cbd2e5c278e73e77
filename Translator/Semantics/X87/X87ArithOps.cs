// Family (x87 arithmetic): fadd/fsub/fsubr/fmul/fdiv/fdivr with their p and i forms
// (st(0),st(i); st(i),st(0); m32fp; m64fp; m16int; m32int), fsqrt, frndint, fscale, fprem, fprem1. The handlers
// only pick operands and write back; the values come from F80Arith. The destination is
// the first operand (ST0 for memory forms); "r" forms swap the value order. An empty
// operand register is a stack underflow (IE|SF, C1=0, indefinite result). With an
// unmasked IE/ZE/DE the destination is left unchanged (the #MF itself is not delivered).
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Operands;
using static Jitexec.Translator.Semantics.X87.X87State;

namespace Jitexec.Translator.Semantics.X87;

internal static unsafe class X87ArithOps
{
    private const int OpAdd = 0, OpSub = 1, OpSubr = 2, OpMul = 3, OpDiv = 4, OpDivr = 5;

    public static void Register(HandlerRegistry r)
    {
        r.Add(Mnemonic.Fadd, &Fadd); r.Add(Mnemonic.Faddp, &Faddp); r.Add(Mnemonic.Fiadd, &Fiadd);
        r.Add(Mnemonic.Fsub, &Fsub); r.Add(Mnemonic.Fsubp, &Fsubp); r.Add(Mnemonic.Fisub, &Fisub);
        r.Add(Mnemonic.Fsubr, &Fsubr); r.Add(Mnemonic.Fsubrp, &Fsubrp); r.Add(Mnemonic.Fisubr, &Fisubr);
        r.Add(Mnemonic.Fmul, &Fmul); r.Add(Mnemonic.Fmulp, &Fmulp); r.Add(Mnemonic.Fimul, &Fimul);
        r.Add(Mnemonic.Fdiv, &Fdiv); r.Add(Mnemonic.Fdivp, &Fdivp); r.Add(Mnemonic.Fidiv, &Fidiv);
        r.Add(Mnemonic.Fdivr, &Fdivr); r.Add(Mnemonic.Fdivrp, &Fdivrp); r.Add(Mnemonic.Fidivr, &Fidivr);
        r.Add(Mnemonic.Fsqrt, &Fsqrt); r.Add(Mnemonic.Frndint, &Frndint);
        r.Add(Mnemonic.Fscale, &Fscale);
        r.Add(Mnemonic.Fprem, &Fprem); r.Add(Mnemonic.Fprem1, &Fprem1);
    }

    /// <summary>dest OP src for the six binary operations.</summary>
    public static X87Reg Compute(int kind, in X87Reg dest, in X87Reg src, int cw, ref ushort fl, out bool up) => kind switch
    {
        OpAdd => F80Arith.Add(dest, src, false, cw, ref fl, out up),
        OpSub => F80Arith.Add(dest, src, true, cw, ref fl, out up),
        OpSubr => F80Arith.Add(src, dest, true, cw, ref fl, out up),
        OpMul => F80Arith.Mul(dest, src, cw, ref fl, out up),
        OpDiv => F80Arith.Div(dest, src, cw, ref fl, out up),
        _ => F80Arith.Div(src, dest, cw, ref fl, out up),
    };

    /// <summary>m32fp/m64fp widened exactly, SNaNs kept signaling (the op decides IE and propagation).</summary>
    private static X87Reg LoadFp(Cpu c, ref Op op, ref ushort fl)
    {
        ulong a = Ea(c, ref op);
        ushort f = 0;
        X87Reg v;
        bool snan;
        if (op.S0 == 4)
        {
            uint b = c.Mem.Read32(a);
            v = F80.FromFloat(b, ref f);
            snan = (b & 0x7F800000) == 0x7F800000 && (b & 0x7FFFFF) != 0 && (b & 0x400000) == 0;
        }
        else
        {
            ulong b = c.Mem.Read64(a);
            v = F80.FromDouble(b, ref f);
            snan = (b & 0x7FF0000000000000) == 0x7FF0000000000000 && (b & 0xFFFFFFFFFFFFF) != 0 && (b & 0x8000000000000) == 0;
        }
        if (snan) { v.Mantissa &= ~F80.QuietBit; f = 0; }
        fl |= (ushort)(f & F80.DE);
        return v;
    }

    private static void Binary(Cpu c, ref Op op, int kind, bool pop, bool intOperand)
    {
        ushort fl = 0;
        int d;
        bool empty;
        X87Reg b;
        if (op.K0 == ArgKind.Mem)
        {
            d = 0;
            empty = !Valid(c, 0);
            b = intOperand
                ? F80.FromInt((long)SignExtend(c.Mem.ReadSized(Ea(c, ref op), op.S0), op.S0))
                : LoadFp(c, ref op, ref fl);
        }
        else
        {
            d = op.R0;
            int s = op.K1 == ArgKind.St ? op.R1 : 0;
            empty = !Valid(c, d) || !Valid(c, s);
            b = c.St[Phys(c, s)];
        }
        X87Reg r;
        bool up = false;
        if (empty) { fl = F80.IE | F80.SF; r = F80.Indefinite; }
        else r = Compute(kind, c.St[Phys(c, d)], b, c.FpuControl, ref fl, out up);
        Finish(c, d, r, fl, up);
        if (pop) Pop(c);
    }

    private static void Finish(Cpu c, int d, X87Reg r, ushort fl, bool up)
    {
        SetC1(c, up);
        Raise(c, fl);
        if ((fl & ~c.FpuControl & (F80.IE | F80.ZE | F80.DE)) == 0) Write(c, d, r);
    }

    private static void Fadd(Cpu c, ref Op op) => Binary(c, ref op, OpAdd, false, false);
    private static void Faddp(Cpu c, ref Op op) => Binary(c, ref op, OpAdd, true, false);
    private static void Fiadd(Cpu c, ref Op op) => Binary(c, ref op, OpAdd, false, true);
    private static void Fsub(Cpu c, ref Op op) => Binary(c, ref op, OpSub, false, false);
    private static void Fsubp(Cpu c, ref Op op) => Binary(c, ref op, OpSub, true, false);
    private static void Fisub(Cpu c, ref Op op) => Binary(c, ref op, OpSub, false, true);
    private static void Fsubr(Cpu c, ref Op op) => Binary(c, ref op, OpSubr, false, false);
    private static void Fsubrp(Cpu c, ref Op op) => Binary(c, ref op, OpSubr, true, false);
    private static void Fisubr(Cpu c, ref Op op) => Binary(c, ref op, OpSubr, false, true);
    private static void Fmul(Cpu c, ref Op op) => Binary(c, ref op, OpMul, false, false);
    private static void Fmulp(Cpu c, ref Op op) => Binary(c, ref op, OpMul, true, false);
    private static void Fimul(Cpu c, ref Op op) => Binary(c, ref op, OpMul, false, true);
    private static void Fdiv(Cpu c, ref Op op) => Binary(c, ref op, OpDiv, false, false);
    private static void Fdivp(Cpu c, ref Op op) => Binary(c, ref op, OpDiv, true, false);
    private static void Fidiv(Cpu c, ref Op op) => Binary(c, ref op, OpDiv, false, true);
    private static void Fdivr(Cpu c, ref Op op) => Binary(c, ref op, OpDivr, false, false);
    private static void Fdivrp(Cpu c, ref Op op) => Binary(c, ref op, OpDivr, true, false);
    private static void Fidivr(Cpu c, ref Op op) => Binary(c, ref op, OpDivr, false, true);

    private static void Unary(Cpu c, bool sqrt)
    {
        ushort fl = 0;
        bool up = false;
        X87Reg r;
        if (!Valid(c, 0)) { fl = F80.IE | F80.SF; r = F80.Indefinite; }
        else
        {
            X87Reg a = c.St[Phys(c, 0)];
            r = sqrt ? F80Arith.Sqrt(a, c.FpuControl, ref fl, out up) : F80Arith.RoundInt(a, c.FpuControl, ref fl, out up);
        }
        Finish(c, 0, r, fl, up);
    }

    private static void Fscale(Cpu c, ref Op op)
    {
        ushort fl = 0;
        bool up = false;
        X87Reg r;
        if (!Valid(c, 0) || !Valid(c, 1)) { fl = F80.IE | F80.SF; r = F80.Indefinite; }
        else r = F80Arith.Scale(c.St[Phys(c, 0)], c.St[Phys(c, 1)], c.FpuControl, ref fl, out up);
        Finish(c, 0, r, fl, up);
    }

    private static void Rem(Cpu c, bool nearest)
    {
        ushort fl = 0;
        int cc = -1;
        X87Reg r;
        if (!Valid(c, 0) || !Valid(c, 1)) { fl = F80.IE | F80.SF; r = F80.Indefinite; }
        else r = F80Rem.Rem(c.St[Phys(c, 0)], c.St[Phys(c, 1)], nearest, c.FpuControl, ref fl, out cc);
        if (cc < 0) SetCc(c, (c.FpuStatus & C3) != 0, false, false, (c.FpuStatus & C0) != 0);
        else SetCc(c, (cc & F80Rem.CC3) != 0, (cc & F80Rem.CC2) != 0, (cc & F80Rem.CC1) != 0, (cc & F80Rem.CC0) != 0);
        Raise(c, fl);
        if ((fl & ~c.FpuControl & (F80.IE | F80.ZE | F80.DE)) == 0) Write(c, 0, r);
    }

    private static void Fprem(Cpu c, ref Op op) => Rem(c, false);
    private static void Fprem1(Cpu c, ref Op op) => Rem(c, true);

    private static void Fsqrt(Cpu c, ref Op op) => Unary(c, true);
    private static void Frndint(Cpu c, ref Op op) => Unary(c, false);
}
