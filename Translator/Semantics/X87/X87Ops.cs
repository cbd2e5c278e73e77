// Family: the x87 subset real glibc programs use: fld/fst/fstp (m32 m64 m80 st), fild,
// fist/fistp/fisttp, fld1/fldz and the constants, fxch, fchs, fabs, fcom/fucom(p)(p),
// fcomi/fucomi(p), ftst, fxam, fnstsw/fnstcw/fldcw, fninit, fnclex, fwait, ffree(p),
// fincstp/fdecstp, fnop. Values move through F80 (exact widening; narrowing per FCW.RC).
// Arithmetic lives in X87ArithOps/F80Arith; transcendental ops stay SIGILL. C1 follows the SDM (rounded-up for stores, 0 otherwise).
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Operands;
using static Jitexec.Translator.Semantics.X87.X87State;

namespace Jitexec.Translator.Semantics.X87;

internal static unsafe class X87Ops
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Mnemonic.Fld, &Fld);
        r.Add(Mnemonic.Fst, &Fst);
        r.Add(&Fstp, Mnemonic.Fstp, Mnemonic.Fstpnce);
        r.Add(Mnemonic.Fild, &Fild);
        r.Add(Mnemonic.Fist, &Fist);
        r.Add(Mnemonic.Fistp, &Fistp);
        r.Add(Mnemonic.Fisttp, &Fisttp);
        r.Add(Mnemonic.Fld1, &Fld1); r.Add(Mnemonic.Fldz, &Fldz);
        r.Add(Mnemonic.Fldpi, &Fldpi); r.Add(Mnemonic.Fldl2e, &Fldl2e); r.Add(Mnemonic.Fldl2t, &Fldl2t);
        r.Add(Mnemonic.Fldlg2, &Fldlg2); r.Add(Mnemonic.Fldln2, &Fldln2);
        r.Add(Mnemonic.Fxch, &Fxch);
        r.Add(Mnemonic.Fchs, &Fchs); r.Add(Mnemonic.Fabs, &Fabs);
        r.Add(Mnemonic.Fcom, &Fcom); r.Add(Mnemonic.Fcomp, &Fcomp); r.Add(Mnemonic.Fcompp, &Fcompp);
        r.Add(Mnemonic.Fucom, &Fucom); r.Add(Mnemonic.Fucomp, &Fucomp); r.Add(Mnemonic.Fucompp, &Fucompp);
        r.Add(Mnemonic.Fcomi, &Fcomi); r.Add(Mnemonic.Fcomip, &Fcomip);
        r.Add(Mnemonic.Fucomi, &Fucomi); r.Add(Mnemonic.Fucomip, &Fucomip);
        r.Add(Mnemonic.Ftst, &Ftst); r.Add(Mnemonic.Fxam, &Fxam);
        r.Add(&Fnstsw, Mnemonic.Fnstsw, Mnemonic.Fstsw);
        r.Add(&Fnstcw, Mnemonic.Fnstcw, Mnemonic.Fstcw);
        r.Add(Mnemonic.Fldcw, &Fldcw);
        r.Add(&Fninit, Mnemonic.Fninit, Mnemonic.Finit);
        r.Add(&Fnclex, Mnemonic.Fnclex, Mnemonic.Fclex);
        r.Add(&Nop, Mnemonic.Wait, Mnemonic.Fnop);
        r.Add(Mnemonic.Ffree, &Ffree); r.Add(Mnemonic.Ffreep, &Ffreep);
        r.Add(Mnemonic.Fincstp, &Fincstp); r.Add(Mnemonic.Fdecstp, &Fdecstp);
    }

    // ---- loads ----
    private static void Fld(Cpu c, ref Op op)
    {
        ushort fl = 0;
        X87Reg v;
        if (op.K0 == ArgKind.St) v = Read(c, op.R0);
        else
        {
            ulong a = Ea(c, ref op);
            v = op.S0 switch
            {
                4 => F80.FromFloat(c.Mem.Read32(a), ref fl),
                8 => F80.FromDouble(c.Mem.Read64(a), ref fl),
                _ => new X87Reg { Mantissa = c.Mem.Read64(a), SignExp = c.Mem.Read16(a + 8) },
            };
        }
        SetC1(c, false);
        Raise(c, fl);
        Push(c, v);
    }

    private static void Fild(Cpu c, ref Op op)
    {
        long v = (long)SignExtend(c.Mem.ReadSized(Ea(c, ref op), op.S0), op.S0);
        SetC1(c, false);
        Push(c, F80.FromInt(v));
    }

    private static void PushConst(Cpu c, int exp, ulong mant, bool nearestRoundedUp)
    {
        int rc = Rc(c);
        if (nearestRoundedUp && (rc == 1 || rc == 3)) mant--;
        else if (!nearestRoundedUp && rc == 2) mant++;
        SetC1(c, false);
        Push(c, F80.Make(false, exp, mant));
    }

    private static void Fld1(Cpu c, ref Op op) { SetC1(c, false); Push(c, F80.One); }
    private static void Fldz(Cpu c, ref Op op) { SetC1(c, false); Push(c, F80.Zero); }
    private static void Fldpi(Cpu c, ref Op op) => PushConst(c, 0x4000, 0xC90FDAA22168C235, true);
    private static void Fldl2e(Cpu c, ref Op op) => PushConst(c, 0x3FFF, 0xB8AA3B295C17F0BC, true);
    private static void Fldl2t(Cpu c, ref Op op) => PushConst(c, 0x4000, 0xD49A784BCD1B8AFE, false);
    private static void Fldlg2(Cpu c, ref Op op) => PushConst(c, 0x3FFD, 0x9A209A84FBCFF799, true);
    private static void Fldln2(Cpu c, ref Op op) => PushConst(c, 0x3FFE, 0xB17217F7D1CF79AC, true);

    // ---- stores ----
    private static void Fst(Cpu c, ref Op op) => Store(c, ref op);
    private static void Fstp(Cpu c, ref Op op) { Store(c, ref op); Pop(c); }

    private static void Store(Cpu c, ref Op op)
    {
        X87Reg v = Read(c, 0);
        if (op.K0 == ArgKind.St) { SetC1(c, false); Write(c, op.R0, v); return; }
        ushort fl = 0;
        bool up = false;
        ulong a = Ea(c, ref op);
        switch (op.S0)
        {
            case 4: c.Mem.Write32(a, F80.ToFloat(v, Rc(c), ref fl, out up)); break;
            case 8: c.Mem.Write64(a, F80.ToDouble(v, Rc(c), ref fl, out up)); break;
            default: c.Mem.Write64(a, v.Mantissa); c.Mem.Write16(a + 8, v.SignExp); break;
        }
        SetC1(c, up);
        Raise(c, fl);
    }

    private static void Fist(Cpu c, ref Op op) => StoreInt(c, ref op, Rc(c));
    private static void Fistp(Cpu c, ref Op op) { StoreInt(c, ref op, Rc(c)); Pop(c); }
    private static void Fisttp(Cpu c, ref Op op) { StoreInt(c, ref op, 3); Pop(c); }

    private static void StoreInt(Cpu c, ref Op op, int rc)
    {
        X87Reg v = Read(c, 0);
        ushort fl = 0;
        ulong r = F80.ToInt(v, op.S0, rc, ref fl, out bool up);
        c.Mem.WriteSized(Ea(c, ref op), op.S0, r);
        SetC1(c, up);
        Raise(c, fl);
    }

    // ---- register ops ----
    private static void Fxch(Cpu c, ref Op op)
    {
        int i = op.K1 == ArgKind.St ? op.R1 : 1;
        X87Reg a = Read(c, 0), b = Read(c, i);
        Write(c, 0, b);
        Write(c, i, a);
        SetC1(c, false);
    }

    // On an empty ST0 the masked response leaves the indefinite, without the sign change.
    private static void Fchs(Cpu c, ref Op op)
    {
        X87Reg v = Read(c, 0);
        if (Valid(c, 0)) v.SignExp ^= 0x8000;
        Write(c, 0, v);
        SetC1(c, false);
    }

    private static void Fabs(Cpu c, ref Op op)
    {
        X87Reg v = Read(c, 0);
        if (Valid(c, 0)) v.SignExp &= 0x7FFF;
        Write(c, 0, v);
        SetC1(c, false);
    }

    // ---- compares ----
    /// <summary>Compare ST0 with the operand; returns -1/0/1/2 (unordered) and raises IE for NaNs per the quiet rule.</summary>
    private static int CompareOperand(Cpu c, ref Op op, bool quiet, int defaultIndex)
    {
        ushort fl = 0;
        X87Reg a = Read(c, 0), b;
        if (op.K0 == ArgKind.Mem)
        {
            ulong ea = Ea(c, ref op);
            b = op.S0 == 4 ? F80.FromFloat(c.Mem.Read32(ea), ref fl) : F80.FromDouble(c.Mem.Read64(ea), ref fl);
        }
        else b = Read(c, op.K1 == ArgKind.St ? op.R1 : op.K0 == ArgKind.St && op.R0 != 0 ? op.R0 : defaultIndex);
        int r = F80.Compare(a, b);
        if (r == 2)
        {
            fl &= unchecked((ushort)~F80.DE); // a NaN operand suppresses the denormal report (measured)
            if (!quiet || F80.IsSNaN(a) || F80.IsSNaN(b) || F80.IsUnsupported(a) || F80.IsUnsupported(b)) fl |= F80.IE;
        }
        else if (F80.Exp(a) == 0 && a.Mantissa != 0 || F80.Exp(b) == 0 && b.Mantissa != 0) fl |= F80.DE;
        Raise(c, fl);
        return r;
    }

    private static void SetCompareCc(Cpu c, int r) => SetCc(c, r is 0 or 2, r == 2, false, r is -1 or 2);

    private static void Fcom(Cpu c, ref Op op) => SetCompareCc(c, CompareOperand(c, ref op, false, 1));
    private static void Fcomp(Cpu c, ref Op op) { SetCompareCc(c, CompareOperand(c, ref op, false, 1)); Pop(c); }
    private static void Fcompp(Cpu c, ref Op op) { SetCompareCc(c, CompareOperand(c, ref op, false, 1)); Pop(c); Pop(c); }
    private static void Fucom(Cpu c, ref Op op) => SetCompareCc(c, CompareOperand(c, ref op, true, 1));
    private static void Fucomp(Cpu c, ref Op op) { SetCompareCc(c, CompareOperand(c, ref op, true, 1)); Pop(c); }
    private static void Fucompp(Cpu c, ref Op op) { SetCompareCc(c, CompareOperand(c, ref op, true, 1)); Pop(c); Pop(c); }

    private static void SetCompareEflags(Cpu c, int r)
    {
        SetC1(c, false);
        Flags.SetArith(c, r switch { -1 => Flags.CF, 0 => Flags.ZF, 1 => 0, _ => Flags.ZF | Flags.PF | Flags.CF });
    }

    private static void Fcomi(Cpu c, ref Op op) => SetCompareEflags(c, CompareOperand(c, ref op, false, 1));
    private static void Fcomip(Cpu c, ref Op op) { SetCompareEflags(c, CompareOperand(c, ref op, false, 1)); Pop(c); }
    private static void Fucomi(Cpu c, ref Op op) => SetCompareEflags(c, CompareOperand(c, ref op, true, 1));
    private static void Fucomip(Cpu c, ref Op op) { SetCompareEflags(c, CompareOperand(c, ref op, true, 1)); Pop(c); }

    private static void Ftst(Cpu c, ref Op op)
    {
        X87Reg a = Read(c, 0);
        int r = F80.Compare(a, F80.Zero);
        ushort fl = 0;
        if (r == 2) fl |= F80.IE;
        else if (F80.Exp(a) == 0 && a.Mantissa != 0) fl |= F80.DE;
        Raise(c, fl);
        SetCompareCc(c, r);
    }

    /// <summary>fxam: C3,C2,C0 = class (unsupported 000, NaN 001, normal 010, inf 011, zero 100, empty 101, denormal 110); C1 = sign.</summary>
    private static void Fxam(Cpu c, ref Op op)
    {
        X87Reg v = c.St[Phys(c, 0)];
        bool sign = F80.Neg(v);
        int e = F80.Exp(v);
        int cls;
        if (!Valid(c, 0)) cls = 0b101;
        else if (F80.IsUnsupported(v)) cls = 0b000;
        else if (e == 0x7FFF) cls = (v.Mantissa & ~F80.IntBit) != 0 ? 0b001 : 0b011;
        else if (e == 0) cls = v.Mantissa == 0 ? 0b100 : 0b110;
        else cls = 0b010;
        SetCc(c, (cls & 4) != 0, (cls & 2) != 0, sign, (cls & 1) != 0);
    }

    // ---- control ----
    private static void Fnstsw(Cpu c, ref Op op)
    {
        ushort sw = StatusWord(c);
        if (op.K0 == ArgKind.Reg) SetReg(c, op.R0, 2, sw);
        else c.Mem.Write16(Ea(c, ref op), sw);
    }

    private static void Fnstcw(Cpu c, ref Op op) => c.Mem.Write16(Ea(c, ref op), c.FpuControl);

    private static void Fldcw(Cpu c, ref Op op)
    {
        c.FpuControl = (ushort)(c.Mem.Read16(Ea(c, ref op)) & 0x1F3F | 0x40); // reserved bits: 6 reads as 1; 7, 13-15 as 0
        // Unmasking a pending exception sets ES/B; masking all clears them.
        ushort s = c.FpuStatus;
        s = (s & ~c.FpuControl & 0x3F) != 0 ? (ushort)(s | ES | Busy) : (ushort)(s & ~(ES | Busy));
        c.FpuStatus = s;
    }

    private static void Fninit(Cpu c, ref Op op) => Init(c);

    private static void Fnclex(Cpu c, ref Op op) => c.FpuStatus &= unchecked((ushort)~(ExceptionBits | ES | Busy));

    private static void Nop(Cpu c, ref Op op) { }

    private static void Ffree(Cpu c, ref Op op) => c.FpuTagValid &= (byte)~(1 << Phys(c, op.R0));

    private static void Ffreep(Cpu c, ref Op op) { Ffree(c, ref op); Pop(c); }

    private static void Fincstp(Cpu c, ref Op op) { c.FpuTop = (c.FpuTop + 1) & 7; SetC1(c, false); }

    private static void Fdecstp(Cpu c, ref Op op) { c.FpuTop = (c.FpuTop - 1) & 7; SetC1(c, false); }
}
