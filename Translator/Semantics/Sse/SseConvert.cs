// Family: SSE/SSE2 conversions: cvtsi2sd/cvtsi2ss (32/64-bit sources), cvt(t)sd2si and
// cvt(t)ss2si (32/64-bit destinations), cvtsd2ss/cvtss2sd, and the packed cvtdq2pd cvtdq2ps
// cvt(t)ps2dq cvt(t)pd2dq cvtpd2ps cvtps2pd. Semantics live in FpConvertOps; handlers read,
// convert, commit MXCSR flags (may fault), write. Scalar results keep the upper lanes; the
// pd->dq/ps forms zero the upper 64 bits.
using System.Runtime.Intrinsics;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Operands;
using static Jitexec.Translator.Semantics.Sse.FpOperands;
using static Jitexec.Translator.Semantics.Sse.XmmOperands;

namespace Jitexec.Translator.Semantics.Sse;

internal static unsafe class SseConvert
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Code.Cvtsi2sd_xmm_rm32, &CvtSi2Sd); r.Add(Code.Cvtsi2sd_xmm_rm64, &CvtSi2Sd);
        r.Add(Code.Cvtsi2ss_xmm_rm32, &CvtSi2Ss); r.Add(Code.Cvtsi2ss_xmm_rm64, &CvtSi2Ss);
        r.Add(Code.Cvtsd2si_r32_xmmm64, &CvtSd2Si); r.Add(Code.Cvtsd2si_r64_xmmm64, &CvtSd2Si);
        r.Add(Code.Cvttsd2si_r32_xmmm64, &CvttSd2Si); r.Add(Code.Cvttsd2si_r64_xmmm64, &CvttSd2Si);
        r.Add(Code.Cvtss2si_r32_xmmm32, &CvtSs2Si); r.Add(Code.Cvtss2si_r64_xmmm32, &CvtSs2Si);
        r.Add(Code.Cvttss2si_r32_xmmm32, &CvttSs2Si); r.Add(Code.Cvttss2si_r64_xmmm32, &CvttSs2Si);
        r.Add(Code.Cvtsd2ss_xmm_xmmm64, &CvtSd2Ss); r.Add(Code.Cvtss2sd_xmm_xmmm32, &CvtSs2Sd);
        r.Add(Code.Cvtdq2pd_xmm_xmmm64, &CvtDq2Pd); r.Add(Code.Cvtdq2ps_xmm_xmmm128, &CvtDq2Ps);
        r.Add(Code.Cvtps2dq_xmm_xmmm128, &CvtPs2Dq); r.Add(Code.Cvttps2dq_xmm_xmmm128, &CvttPs2Dq);
        r.Add(Code.Cvtpd2dq_xmm_xmmm128, &CvtPd2Dq); r.Add(Code.Cvttpd2dq_xmm_xmmm128, &CvttPd2Dq);
        r.Add(Code.Cvtpd2ps_xmm_xmmm128, &CvtPd2Ps); r.Add(Code.Cvtps2pd_xmm_xmmm64, &CvtPs2Pd);
    }

    private static void CvtSi2Sd(Cpu c, ref Op op)
    {
        uint fl = 0;
        ulong r = FpConvertOps.IntToF64(c.Mxcsr, (long)SignExtend(Read1(c, ref op), op.S1), ref fl);
        Mx.Commit(c, ref op, fl);
        SetLo64(c, op.R0, r);
    }

    private static void CvtSi2Ss(Cpu c, ref Op op)
    {
        uint fl = 0;
        uint r = FpConvertOps.IntToF32(c.Mxcsr, (long)SignExtend(Read1(c, ref op), op.S1), ref fl);
        Mx.Commit(c, ref op, fl);
        SetLo32(c, op.R0, r);
    }

    private static void CvtSd2Si(Cpu c, ref Op op) => Sd2Si(c, ref op, false);
    private static void CvttSd2Si(Cpu c, ref Op op) => Sd2Si(c, ref op, true);
    private static void CvtSs2Si(Cpu c, ref Op op) => Ss2Si(c, ref op, false);
    private static void CvttSs2Si(Cpu c, ref Op op) => Ss2Si(c, ref op, true);

    private static void Sd2Si(Cpu c, ref Op op, bool truncate)
    {
        uint fl = 0;
        ulong r = FpConvertOps.F64ToInt(c.Mxcsr, Src64(c, ref op), op.S0, truncate, ref fl);
        Mx.Commit(c, ref op, fl);
        SetReg(c, op.R0, op.S0, r);
    }

    private static void Ss2Si(Cpu c, ref Op op, bool truncate)
    {
        uint fl = 0;
        ulong r = FpConvertOps.F32ToInt(c.Mxcsr, Src32(c, ref op), op.S0, truncate, ref fl);
        Mx.Commit(c, ref op, fl);
        SetReg(c, op.R0, op.S0, r);
    }

    private static void CvtSd2Ss(Cpu c, ref Op op)
    {
        uint fl = 0;
        uint r = FpConvertOps.F64ToF32(c.Mxcsr, Src64(c, ref op), ref fl);
        Mx.Commit(c, ref op, fl);
        SetLo32(c, op.R0, r);
    }

    private static void CvtSs2Sd(Cpu c, ref Op op)
    {
        uint fl = 0;
        ulong r = FpConvertOps.F32ToF64(c.Mxcsr, Src32(c, ref op), ref fl);
        Mx.Commit(c, ref op, fl);
        SetLo64(c, op.R0, r);
    }

    // ---- packed conversions: value methods (shared with the JIT tier) + thin handlers ----

    /// <summary>cvtdq2pd: the two low dwords, signed, as doubles (always exact).</summary>
    public static Vector128<ulong> Dq2PdValue(ulong s) => Vector128.Create(B64.U((int)s), B64.U((int)(s >> 32)));

    /// <summary>cvtdq2ps: four signed dwords rounded per MXCSR.</summary>
    public static Vector128<ulong> Dq2PsValue(uint mx, Vector128<ulong> src, ref uint fl)
    {
        var s = src.AsInt32();
        uint r0 = FpConvertOps.IntToF32(mx, s.GetElement(0), ref fl), r1 = FpConvertOps.IntToF32(mx, s.GetElement(1), ref fl);
        uint r2 = FpConvertOps.IntToF32(mx, s.GetElement(2), ref fl), r3 = FpConvertOps.IntToF32(mx, s.GetElement(3), ref fl);
        return Vector128.Create(r0, r1, r2, r3).AsUInt64();
    }

    /// <summary>cvt(t)ps2dq: four floats to signed dwords.</summary>
    public static Vector128<ulong> Ps2DqValue(uint mx, Vector128<ulong> src, bool truncate, ref uint fl)
    {
        var s = src.AsUInt32();
        uint r0 = (uint)FpConvertOps.F32ToInt(mx, s.GetElement(0), 4, truncate, ref fl);
        uint r1 = (uint)FpConvertOps.F32ToInt(mx, s.GetElement(1), 4, truncate, ref fl);
        uint r2 = (uint)FpConvertOps.F32ToInt(mx, s.GetElement(2), 4, truncate, ref fl);
        uint r3 = (uint)FpConvertOps.F32ToInt(mx, s.GetElement(3), 4, truncate, ref fl);
        return Vector128.Create(r0, r1, r2, r3).AsUInt64();
    }

    /// <summary>cvt(t)pd2dq: two doubles to signed dwords in the low qword; the upper qword is zeroed.</summary>
    public static Vector128<ulong> Pd2DqValue(uint mx, Vector128<ulong> s, bool truncate, ref uint fl)
    {
        ulong r0 = FpConvertOps.F64ToInt(mx, s.GetElement(0), 4, truncate, ref fl);
        ulong r1 = FpConvertOps.F64ToInt(mx, s.GetElement(1), 4, truncate, ref fl);
        return Vector128.Create(r0 | r1 << 32, 0UL);
    }

    /// <summary>cvtpd2ps: two doubles to floats in the low qword; the upper qword is zeroed.</summary>
    public static Vector128<ulong> Pd2PsValue(uint mx, Vector128<ulong> s, ref uint fl)
    {
        ulong r0 = FpConvertOps.F64ToF32(mx, s.GetElement(0), ref fl);
        ulong r1 = FpConvertOps.F64ToF32(mx, s.GetElement(1), ref fl);
        return Vector128.Create(r0 | r1 << 32, 0UL);
    }

    /// <summary>cvtps2pd: the two low floats as doubles.</summary>
    public static Vector128<ulong> Ps2PdValue(uint mx, ulong s, ref uint fl)
    {
        ulong r0 = FpConvertOps.F32ToF64(mx, (uint)s, ref fl);
        ulong r1 = FpConvertOps.F32ToF64(mx, (uint)(s >> 32), ref fl);
        return Vector128.Create(r0, r1);
    }

    private static void CvtDq2Pd(Cpu c, ref Op op) => c.Xmm[op.R0] = Dq2PdValue(Src64(c, ref op));

    private static void CvtDq2Ps(Cpu c, ref Op op)
    {
        uint fl = 0;
        var r = Dq2PsValue(c.Mxcsr, XmmOperands.Src(c, ref op), ref fl);
        Mx.Commit(c, ref op, fl);
        c.Xmm[op.R0] = r;
    }

    private static void CvtPs2Dq(Cpu c, ref Op op) => Ps2Dq(c, ref op, false);
    private static void CvttPs2Dq(Cpu c, ref Op op) => Ps2Dq(c, ref op, true);

    private static void Ps2Dq(Cpu c, ref Op op, bool truncate)
    {
        uint fl = 0;
        var r = Ps2DqValue(c.Mxcsr, XmmOperands.Src(c, ref op), truncate, ref fl);
        Mx.Commit(c, ref op, fl);
        c.Xmm[op.R0] = r;
    }

    private static void CvtPd2Dq(Cpu c, ref Op op) => Pd2Dq(c, ref op, false);
    private static void CvttPd2Dq(Cpu c, ref Op op) => Pd2Dq(c, ref op, true);

    private static void Pd2Dq(Cpu c, ref Op op, bool truncate)
    {
        uint fl = 0;
        var r = Pd2DqValue(c.Mxcsr, XmmOperands.Src(c, ref op), truncate, ref fl);
        Mx.Commit(c, ref op, fl);
        c.Xmm[op.R0] = r;
    }

    private static void CvtPd2Ps(Cpu c, ref Op op)
    {
        uint fl = 0;
        var r = Pd2PsValue(c.Mxcsr, XmmOperands.Src(c, ref op), ref fl);
        Mx.Commit(c, ref op, fl);
        c.Xmm[op.R0] = r;
    }

    private static void CvtPs2Pd(Cpu c, ref Op op)
    {
        uint fl = 0;
        var r = Ps2PdValue(c.Mxcsr, Src64(c, ref op), ref fl);
        Mx.Commit(c, ref op, fl);
        c.Xmm[op.R0] = r;
    }
}
