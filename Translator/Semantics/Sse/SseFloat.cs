// Family: SSE/SSE2 scalar and packed floating point: add sub mul div sqrt min max (ss sd ps pd),
// cmpss/cmpsd/cmpps/cmppd (all 8 predicates; Iced shows them as cmpeqsd... but decodes one
// Code per form), comiss/comisd/ucomiss/ucomisd, and the bitwise and/andn/or/xor ps/pd.
// Handlers are thin: read operands, call the value-level ops (Fp64/Fp32/FpCompare), commit
// the MXCSR flags (which may fault), then write the destination. Scalar forms keep the
// destination's upper lanes; packed memory operands must be 16-byte aligned.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Sse.FpOperands;
using static Jitexec.Translator.Semantics.Sse.XmmOperands;

namespace Jitexec.Translator.Semantics.Sse;

internal static unsafe class SseFloat
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Mnemonic.Addsd, &AddSd); r.Add(Mnemonic.Addss, &AddSs); r.Add(Mnemonic.Addpd, &AddPd); r.Add(Mnemonic.Addps, &AddPs);
        r.Add(Mnemonic.Subsd, &SubSd); r.Add(Mnemonic.Subss, &SubSs); r.Add(Mnemonic.Subpd, &SubPd); r.Add(Mnemonic.Subps, &SubPs);
        r.Add(Mnemonic.Mulsd, &MulSd); r.Add(Mnemonic.Mulss, &MulSs); r.Add(Mnemonic.Mulpd, &MulPd); r.Add(Mnemonic.Mulps, &MulPs);
        r.Add(Mnemonic.Divsd, &DivSd); r.Add(Mnemonic.Divss, &DivSs); r.Add(Mnemonic.Divpd, &DivPd); r.Add(Mnemonic.Divps, &DivPs);
        r.Add(Code.Sqrtsd_xmm_xmmm64, &SqrtSd); r.Add(Code.Sqrtss_xmm_xmmm32, &SqrtSs);
        r.Add(Code.Sqrtpd_xmm_xmmm128, &SqrtPd); r.Add(Code.Sqrtps_xmm_xmmm128, &SqrtPs);
        r.Add(Mnemonic.Minsd, &MinSd); r.Add(Mnemonic.Minss, &MinSs); r.Add(Mnemonic.Minpd, &MinPd); r.Add(Mnemonic.Minps, &MinPs);
        r.Add(Mnemonic.Maxsd, &MaxSd); r.Add(Mnemonic.Maxss, &MaxSs); r.Add(Mnemonic.Maxpd, &MaxPd); r.Add(Mnemonic.Maxps, &MaxPs);
        r.Add(Code.Cmpsd_xmm_xmmm64_imm8, &CmpSd); r.Add(Code.Cmpss_xmm_xmmm32_imm8, &CmpSs);
        r.Add(Code.Cmppd_xmm_xmmm128_imm8, &CmpPd); r.Add(Code.Cmpps_xmm_xmmm128_imm8, &CmpPs);
        r.Add(Mnemonic.Comisd, &ComiSd); r.Add(Mnemonic.Ucomisd, &UcomiSd);
        r.Add(Mnemonic.Comiss, &ComiSs); r.Add(Mnemonic.Ucomiss, &UcomiSs);
        r.Add(&And, Mnemonic.Andps, Mnemonic.Andpd);
        r.Add(&AndNot, Mnemonic.Andnps, Mnemonic.Andnpd);
        r.Add(&Or, Mnemonic.Orps, Mnemonic.Orpd);
        r.Add(&Xor, Mnemonic.Xorps, Mnemonic.Xorpd);
    }

    // ---- arithmetic: one generic shape per lane width, kind folded by inlining ----
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScalarD(Cpu c, ref Op op, int kind)
    {
        uint fl = 0;
        ulong r = Fp64.Arith(c.Mxcsr, Lo64(c, op.R0), Src64(c, ref op), kind, ref fl);
        Mx.Commit(c, ref op, fl);
        SetLo64(c, op.R0, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScalarS(Cpu c, ref Op op, int kind)
    {
        uint fl = 0;
        uint r = Fp32.Arith(c.Mxcsr, Lo32(c, op.R0), Src32(c, ref op), kind, ref fl);
        Mx.Commit(c, ref op, fl);
        SetLo32(c, op.R0, r);
    }

    private static void PackedD(Cpu c, ref Op op, int kind)
    {
        uint fl = 0, mx = c.Mxcsr;
        var a = c.Xmm[op.R0];
        var b = XmmOperands.Src(c, ref op);
        ulong r0 = Fp64.Arith(mx, a.GetElement(0), b.GetElement(0), kind, ref fl);
        ulong r1 = Fp64.Arith(mx, a.GetElement(1), b.GetElement(1), kind, ref fl);
        Mx.Commit(c, ref op, fl);
        c.Xmm[op.R0] = Vector128.Create(r0, r1);
    }

    private static void PackedS(Cpu c, ref Op op, int kind)
    {
        uint fl = 0, mx = c.Mxcsr;
        var a = c.Xmm[op.R0].AsUInt32();
        var b = XmmOperands.Src(c, ref op).AsUInt32();
        uint r0 = Fp32.Arith(mx, a.GetElement(0), b.GetElement(0), kind, ref fl);
        uint r1 = Fp32.Arith(mx, a.GetElement(1), b.GetElement(1), kind, ref fl);
        uint r2 = Fp32.Arith(mx, a.GetElement(2), b.GetElement(2), kind, ref fl);
        uint r3 = Fp32.Arith(mx, a.GetElement(3), b.GetElement(3), kind, ref fl);
        Mx.Commit(c, ref op, fl);
        c.Xmm[op.R0] = Vector128.Create(r0, r1, r2, r3).AsUInt64();
    }

    private static void AddSd(Cpu c, ref Op op) => ScalarD(c, ref op, Fp64.Add);
    private static void AddSs(Cpu c, ref Op op) => ScalarS(c, ref op, Fp64.Add);
    private static void AddPd(Cpu c, ref Op op) => PackedD(c, ref op, Fp64.Add);
    private static void AddPs(Cpu c, ref Op op) => PackedS(c, ref op, Fp64.Add);
    private static void SubSd(Cpu c, ref Op op) => ScalarD(c, ref op, Fp64.Sub);
    private static void SubSs(Cpu c, ref Op op) => ScalarS(c, ref op, Fp64.Sub);
    private static void SubPd(Cpu c, ref Op op) => PackedD(c, ref op, Fp64.Sub);
    private static void SubPs(Cpu c, ref Op op) => PackedS(c, ref op, Fp64.Sub);
    private static void MulSd(Cpu c, ref Op op) => ScalarD(c, ref op, Fp64.Mul);
    private static void MulSs(Cpu c, ref Op op) => ScalarS(c, ref op, Fp64.Mul);
    private static void MulPd(Cpu c, ref Op op) => PackedD(c, ref op, Fp64.Mul);
    private static void MulPs(Cpu c, ref Op op) => PackedS(c, ref op, Fp64.Mul);
    private static void DivSd(Cpu c, ref Op op) => ScalarD(c, ref op, Fp64.Div);
    private static void DivSs(Cpu c, ref Op op) => ScalarS(c, ref op, Fp64.Div);
    private static void DivPd(Cpu c, ref Op op) => PackedD(c, ref op, Fp64.Div);
    private static void DivPs(Cpu c, ref Op op) => PackedS(c, ref op, Fp64.Div);

    // sqrt takes its operand from the source; the scalar forms keep the destination's upper lanes.
    private static void SqrtSd(Cpu c, ref Op op)
    {
        uint fl = 0;
        ulong r = Fp64.SqrtV(c.Mxcsr, Src64(c, ref op), ref fl);
        Mx.Commit(c, ref op, fl);
        SetLo64(c, op.R0, r);
    }

    private static void SqrtSs(Cpu c, ref Op op)
    {
        uint fl = 0;
        uint r = Fp32.SqrtV(c.Mxcsr, Src32(c, ref op), ref fl);
        Mx.Commit(c, ref op, fl);
        SetLo32(c, op.R0, r);
    }

    private static void SqrtPd(Cpu c, ref Op op)
    {
        uint fl = 0, mx = c.Mxcsr;
        var b = XmmOperands.Src(c, ref op);
        ulong r0 = Fp64.SqrtV(mx, b.GetElement(0), ref fl), r1 = Fp64.SqrtV(mx, b.GetElement(1), ref fl);
        Mx.Commit(c, ref op, fl);
        c.Xmm[op.R0] = Vector128.Create(r0, r1);
    }

    private static void SqrtPs(Cpu c, ref Op op)
    {
        uint fl = 0, mx = c.Mxcsr;
        var b = XmmOperands.Src(c, ref op).AsUInt32();
        uint r0 = Fp32.SqrtV(mx, b.GetElement(0), ref fl), r1 = Fp32.SqrtV(mx, b.GetElement(1), ref fl);
        uint r2 = Fp32.SqrtV(mx, b.GetElement(2), ref fl), r3 = Fp32.SqrtV(mx, b.GetElement(3), ref fl);
        Mx.Commit(c, ref op, fl);
        c.Xmm[op.R0] = Vector128.Create(r0, r1, r2, r3).AsUInt64();
    }

    // ---- min / max / cmp: kind 0 min, 1 max, 2+ cmp with predicate imm8 ----
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Lane64(uint mx, ulong a, ulong b, int kind, int pred, ref uint fl) => kind switch
    {
        0 => FpCompare.Min64(mx, a, b, ref fl),
        1 => FpCompare.Max64(mx, a, b, ref fl),
        _ => FpCompare.Cmp64(mx, a, b, pred, ref fl),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Lane32(uint mx, uint a, uint b, int kind, int pred, ref uint fl) => kind switch
    {
        0 => FpCompare.Min32(mx, a, b, ref fl),
        1 => FpCompare.Max32(mx, a, b, ref fl),
        _ => FpCompare.Cmp32(mx, a, b, pred, ref fl),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CmpScalarD(Cpu c, ref Op op, int kind)
    {
        uint fl = 0;
        ulong r = Lane64(c.Mxcsr, Lo64(c, op.R0), Src64(c, ref op), kind, (int)op.Imm & 7, ref fl);
        Mx.Commit(c, ref op, fl);
        SetLo64(c, op.R0, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CmpScalarS(Cpu c, ref Op op, int kind)
    {
        uint fl = 0;
        uint r = Lane32(c.Mxcsr, Lo32(c, op.R0), Src32(c, ref op), kind, (int)op.Imm & 7, ref fl);
        Mx.Commit(c, ref op, fl);
        SetLo32(c, op.R0, r);
    }

    private static void CmpPackedD(Cpu c, ref Op op, int kind)
    {
        uint fl = 0, mx = c.Mxcsr;
        int pred = (int)op.Imm & 7;
        var a = c.Xmm[op.R0];
        var b = XmmOperands.Src(c, ref op);
        ulong r0 = Lane64(mx, a.GetElement(0), b.GetElement(0), kind, pred, ref fl);
        ulong r1 = Lane64(mx, a.GetElement(1), b.GetElement(1), kind, pred, ref fl);
        Mx.Commit(c, ref op, fl);
        c.Xmm[op.R0] = Vector128.Create(r0, r1);
    }

    private static void CmpPackedS(Cpu c, ref Op op, int kind)
    {
        uint fl = 0, mx = c.Mxcsr;
        int pred = (int)op.Imm & 7;
        var a = c.Xmm[op.R0].AsUInt32();
        var b = XmmOperands.Src(c, ref op).AsUInt32();
        uint r0 = Lane32(mx, a.GetElement(0), b.GetElement(0), kind, pred, ref fl);
        uint r1 = Lane32(mx, a.GetElement(1), b.GetElement(1), kind, pred, ref fl);
        uint r2 = Lane32(mx, a.GetElement(2), b.GetElement(2), kind, pred, ref fl);
        uint r3 = Lane32(mx, a.GetElement(3), b.GetElement(3), kind, pred, ref fl);
        Mx.Commit(c, ref op, fl);
        c.Xmm[op.R0] = Vector128.Create(r0, r1, r2, r3).AsUInt64();
    }

    private static void MinSd(Cpu c, ref Op op) => CmpScalarD(c, ref op, 0);
    private static void MinSs(Cpu c, ref Op op) => CmpScalarS(c, ref op, 0);
    private static void MinPd(Cpu c, ref Op op) => CmpPackedD(c, ref op, 0);
    private static void MinPs(Cpu c, ref Op op) => CmpPackedS(c, ref op, 0);
    private static void MaxSd(Cpu c, ref Op op) => CmpScalarD(c, ref op, 1);
    private static void MaxSs(Cpu c, ref Op op) => CmpScalarS(c, ref op, 1);
    private static void MaxPd(Cpu c, ref Op op) => CmpPackedD(c, ref op, 1);
    private static void MaxPs(Cpu c, ref Op op) => CmpPackedS(c, ref op, 1);
    private static void CmpSd(Cpu c, ref Op op) => CmpScalarD(c, ref op, 2);
    private static void CmpSs(Cpu c, ref Op op) => CmpScalarS(c, ref op, 2);
    private static void CmpPd(Cpu c, ref Op op) => CmpPackedD(c, ref op, 2);
    private static void CmpPs(Cpu c, ref Op op) => CmpPackedS(c, ref op, 2);

    // ---- comis / ucomis: eager ZF/PF/CF, OF/SF/AF cleared ----
    private static void ComiSd(Cpu c, ref Op op) => ComiD(c, ref op, true);
    private static void UcomiSd(Cpu c, ref Op op) => ComiD(c, ref op, false);
    private static void ComiSs(Cpu c, ref Op op) => ComiS(c, ref op, true);
    private static void UcomiSs(Cpu c, ref Op op) => ComiS(c, ref op, false);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ComiD(Cpu c, ref Op op, bool signalling)
    {
        uint fl = 0;
        ulong f = FpCompare.Comi64(c.Mxcsr, Lo64(c, op.R0), Src64(c, ref op), signalling, ref fl);
        Mx.Commit(c, ref op, fl);
        Flags.SetArith(c, f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ComiS(Cpu c, ref Op op, bool signalling)
    {
        uint fl = 0;
        ulong f = FpCompare.Comi32(c.Mxcsr, Lo32(c, op.R0), Src32(c, ref op), signalling, ref fl);
        Mx.Commit(c, ref op, fl);
        Flags.SetArith(c, f);
    }

    // ---- bitwise: the same 128-bit operations as pand/pandn/por/pxor (value methods in SseInteger) ----
    private static void And(Cpu c, ref Op op) => c.Xmm[op.R0] = SseInteger.PandValue(c.Xmm[op.R0], XmmOperands.Src(c, ref op));
    private static void AndNot(Cpu c, ref Op op) => c.Xmm[op.R0] = SseInteger.PandnValue(c.Xmm[op.R0], XmmOperands.Src(c, ref op));
    private static void Or(Cpu c, ref Op op) => c.Xmm[op.R0] = SseInteger.PorValue(c.Xmm[op.R0], XmmOperands.Src(c, ref op));
    private static void Xor(Cpu c, ref Op op) => c.Xmm[op.R0] = SseInteger.PxorValue(c.Xmm[op.R0], XmmOperands.Src(c, ref op));
}
