// Inline SSE floating-point forms: scalar and packed add/sub/mul/div/min/max/sqrt/cmp,
// (u)comis, and the scalar conversions. Each mirrors its handler in SseFloat.cs /
// SseConvert.cs: read MXCSR and the operands, call the same value method (Fp64, Fp32,
// FpCompare, FpConvertOps) with the flag accumulator, commit the raised flags (cold path, may
// fault), then write the destination. Scalar results keep the upper lanes. The hot scalar
// arithmetic and cvtsi2sd split their value method into its fast and general parts
// (EmitFastFp); after (u)comis the flags word stays known to the conditions that follow.
using System.Reflection;
using System.Reflection.Emit;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Semantics;
using Jitexec.Translator.Semantics.Sse;

namespace Jitexec.Translator.Jit;

internal sealed unsafe partial class UnitCompiler
{
    private static readonly MethodInfo MSetArith = M(typeof(Flags), nameof(Flags.SetArith));

    private static readonly MethodInfo MCondStatic = M(typeof(Flags), nameof(Flags.CondStatic));

    /// <summary>When the known flags are those of a (u)comis (FlagKind.None with the RFLAGS bits in
    /// _fres, already recorded on the Cpu by Flags.SetArith), push condition cc as Flags.Cond
    /// would compute it from them and return true.</summary>
    private bool LdCondStatic(int cc)
    {
        if (!_fKnown || _fKind != FlagKind.None) return false;
        _il.Emit(OpCodes.Ldc_I4, cc);
        _il.Emit(OpCodes.Ldloc, _fres);
        EmitCall(MCondStatic);
        return true;
    }

    /// <summary>Packed FP variants (VForm.Arg): binary (mx, a, b, ref fl), with the cmp predicate, or unary (sqrt).</summary>
    private const int PBinary = 0, PPred = 1, PUnary = 2;

    private static void ScalarFpForms(FormTable t)
    {
        MethodInfo F64(string n) => M(typeof(Fp64), n);
        MethodInfo F32(string n) => M(typeof(Fp32), n);
        MethodInfo Cmp(string n) => M(typeof(FpCompare), n);
        // Scalar add/sub/mul/div: Fp64.Arith = TryFast, else General (Fp32 alike), split by EmitFastFp.
        MethodInfo g64 = F64(nameof(Fp64.General)), f64 = F64(nameof(Fp64.TryFast));
        MethodInfo g32 = F32(nameof(Fp32.General)), f32 = F32(nameof(Fp32.TryFast));
        foreach (var (sd, ss, kind) in new[] {
            (Code.Addsd_xmm_xmmm64, Code.Addss_xmm_xmmm32, Fp64.Add), (Code.Subsd_xmm_xmmm64, Code.Subss_xmm_xmmm32, Fp64.Sub),
            (Code.Mulsd_xmm_xmmm64, Code.Mulss_xmm_xmmm32, Fp64.Mul), (Code.Divsd_xmm_xmmm64, Code.Divss_xmm_xmmm32, Fp64.Div) })
        {
            t[sd] = new(VShape.ScalarD, g64, kind, f64);
            t[ss] = new(VShape.ScalarS, g32, kind, f32);
        }
        foreach (var (pd, ps, d, f) in new[] {
            (Code.Addpd_xmm_xmmm128, Code.Addps_xmm_xmmm128, nameof(Fp64.AddV), nameof(Fp32.AddV)),
            (Code.Subpd_xmm_xmmm128, Code.Subps_xmm_xmmm128, nameof(Fp64.SubV), nameof(Fp32.SubV)),
            (Code.Mulpd_xmm_xmmm128, Code.Mulps_xmm_xmmm128, nameof(Fp64.MulV), nameof(Fp32.MulV)),
            (Code.Divpd_xmm_xmmm128, Code.Divps_xmm_xmmm128, nameof(Fp64.DivV), nameof(Fp32.DivV)) })
        {
            t[pd] = new(VShape.PackedD, F64(d), PBinary);
            t[ps] = new(VShape.PackedS, F32(f), PBinary);
        }
        MethodInfo min64 = Cmp(nameof(FpCompare.Min64)), min32 = Cmp(nameof(FpCompare.Min32));
        MethodInfo max64 = Cmp(nameof(FpCompare.Max64)), max32 = Cmp(nameof(FpCompare.Max32));
        t[Code.Minsd_xmm_xmmm64] = new(VShape.ScalarD, min64);
        t[Code.Minss_xmm_xmmm32] = new(VShape.ScalarS, min32);
        t[Code.Minpd_xmm_xmmm128] = new(VShape.PackedD, min64, PBinary);
        t[Code.Minps_xmm_xmmm128] = new(VShape.PackedS, min32, PBinary);
        t[Code.Maxsd_xmm_xmmm64] = new(VShape.ScalarD, max64);
        t[Code.Maxss_xmm_xmmm32] = new(VShape.ScalarS, max32);
        t[Code.Maxpd_xmm_xmmm128] = new(VShape.PackedD, max64, PBinary);
        t[Code.Maxps_xmm_xmmm128] = new(VShape.PackedS, max32, PBinary);
        t[Code.Sqrtsd_xmm_xmmm64] = new(VShape.SqrtD, F64(nameof(Fp64.SqrtV)));
        t[Code.Sqrtss_xmm_xmmm32] = new(VShape.SqrtS, F32(nameof(Fp32.SqrtV)));
        t[Code.Sqrtpd_xmm_xmmm128] = new(VShape.PackedD, F64(nameof(Fp64.SqrtV)), PUnary);
        t[Code.Sqrtps_xmm_xmmm128] = new(VShape.PackedS, F32(nameof(Fp32.SqrtV)), PUnary);
        t[Code.Cmpsd_xmm_xmmm64_imm8] = new(VShape.CmpD, Cmp(nameof(FpCompare.Cmp64)));
        t[Code.Cmpss_xmm_xmmm32_imm8] = new(VShape.CmpS, Cmp(nameof(FpCompare.Cmp32)));
        t[Code.Cmppd_xmm_xmmm128_imm8] = new(VShape.PackedD, Cmp(nameof(FpCompare.Cmp64)), PPred);
        t[Code.Cmpps_xmm_xmmm128_imm8] = new(VShape.PackedS, Cmp(nameof(FpCompare.Cmp32)), PPred);
        t[Code.Comisd_xmm_xmmm64] = new(VShape.ComiD, Cmp(nameof(FpCompare.Comi64)), 1);
        t[Code.Ucomisd_xmm_xmmm64] = new(VShape.ComiD, Cmp(nameof(FpCompare.Comi64)), 0);
        t[Code.Comiss_xmm_xmmm32] = new(VShape.ComiS, Cmp(nameof(FpCompare.Comi32)), 1);
        t[Code.Ucomiss_xmm_xmmm32] = new(VShape.ComiS, Cmp(nameof(FpCompare.Comi32)), 0);

        MethodInfo Cv(string n) => M(typeof(FpConvertOps), n);
        t[Code.Cvtsi2sd_xmm_rm32] = t[Code.Cvtsi2sd_xmm_rm64] =
            new(VShape.IntToD, Cv(nameof(FpConvertOps.IntToF64General)), 0, Cv(nameof(FpConvertOps.TryIntToF64)));
        t[Code.Cvtsi2ss_xmm_rm32] = t[Code.Cvtsi2ss_xmm_rm64] =
            new(VShape.IntToS, Cv(nameof(FpConvertOps.IntToF32General)), 0, Cv(nameof(FpConvertOps.TryIntToF32)));
        t[Code.Cvtsd2si_r32_xmmm64] = t[Code.Cvtsd2si_r64_xmmm64] = new(VShape.DToInt, Cv(nameof(FpConvertOps.F64ToInt)), 0);
        t[Code.Cvttsd2si_r32_xmmm64] = t[Code.Cvttsd2si_r64_xmmm64] = new(VShape.DToInt, Cv(nameof(FpConvertOps.F64ToInt)), 1);
        t[Code.Cvtss2si_r32_xmmm32] = t[Code.Cvtss2si_r64_xmmm32] = new(VShape.SToInt, Cv(nameof(FpConvertOps.F32ToInt)), 0);
        t[Code.Cvttss2si_r32_xmmm32] = t[Code.Cvttss2si_r64_xmmm32] = new(VShape.SToInt, Cv(nameof(FpConvertOps.F32ToInt)), 1);
        t[Code.Cvtsd2ss_xmm_xmmm64] = new(VShape.DToS, Cv(nameof(FpConvertOps.F64ToF32)));
        t[Code.Cvtss2sd_xmm_xmmm32] = new(VShape.SToD, Cv(nameof(FpConvertOps.F32ToF64)));
        // Packed conversions: XMM = value(...) with the SseConvert value methods (Arg: truncate).
        MethodInfo Pc(string n) => M(typeof(SseConvert), n);
        t[Code.Cvtdq2pd_xmm_xmmm64] = new(VShape.Conv64, Pc(nameof(SseConvert.Dq2PdValue)));
        t[Code.Cvtps2pd_xmm_xmmm64] = new(VShape.Conv64, Pc(nameof(SseConvert.Ps2PdValue)));
        t[Code.Cvtdq2ps_xmm_xmmm128] = new(VShape.Conv128, Pc(nameof(SseConvert.Dq2PsValue)));
        t[Code.Cvtpd2ps_xmm_xmmm128] = new(VShape.Conv128, Pc(nameof(SseConvert.Pd2PsValue)));
        t[Code.Cvtps2dq_xmm_xmmm128] = new(VShape.Conv128, Pc(nameof(SseConvert.Ps2DqValue)), 0);
        t[Code.Cvttps2dq_xmm_xmmm128] = new(VShape.Conv128, Pc(nameof(SseConvert.Ps2DqValue)), 1);
        t[Code.Cvtpd2dq_xmm_xmmm128] = new(VShape.Conv128, Pc(nameof(SseConvert.Pd2DqValue)), 0);
        t[Code.Cvttpd2dq_xmm_xmmm128] = new(VShape.Conv128, Pc(nameof(SseConvert.Pd2DqValue)), 1);
    }

    private void EmitScalarFp(int i, VForm f)
    {
        ref Op op = ref _ops[i];
        var il = _il;
        var m = f.Method!;
        switch (f.Shape)
        {
            case VShape.PackedD: EmitPackedFp(i, f, 2); return;
            case VShape.PackedS: EmitPackedFp(i, f, 4); return;
            case VShape.Conv64: case VShape.Conv128: EmitPackedConv(i, f); return;
            case VShape.ComiD: case VShape.ComiS:
            {
                // SseFloat.ComiD/ComiS: f = Comi(mx, lo(dst), src, signalling, ref fl); commit; Flags.SetArith(c, f).
                var r = Temp();
                BeginFp(i);
                if (f.Shape == VShape.ComiD) { LdX64(op.R0); LdSrc64(i); }
                else { LdX32(op.R0); LdSrc32(i); }
                il.Emit(f.Arg != 0 ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
                LdFlRef();
                EmitCall(m);
                il.Emit(OpCodes.Stloc, r);
                CommitFp(i);
                LdCpu();
                il.Emit(OpCodes.Ldloc, r);
                EmitCall(MSetArith);
                // All arithmetic flags are now in the Cpu (nothing to materialise) and, until the
                // block ends or something else sets flags, also in _fres for LdCondStatic.
                il.Emit(OpCodes.Ldloc, r);
                il.Emit(OpCodes.Stloc, _fres);
                KnowFlags(FlagKind.None, 8);
                Free(r);
                return;
            }
        }
        if (_hostFp && IsHostForm(f)) { EmitHostFp(i, f); return; }
        if (f.Fast != null) { EmitFastFp(i, f); return; }
        var res = Temp();
        BeginFp(i);
        switch (f.Shape)
        {
            case VShape.ScalarD: LdX64(op.R0); LdSrc64(i); break;
            case VShape.ScalarS: LdX32(op.R0); LdSrc32(i); break;
            case VShape.SqrtD: case VShape.DToS: LdSrc64(i); break;
            case VShape.SqrtS: case VShape.SToD: LdSrc32(i); break;
            case VShape.CmpD: LdX64(op.R0); LdSrc64(i); il.Emit(OpCodes.Ldc_I4, (int)op.Imm & 7); break;
            case VShape.CmpS: LdX32(op.R0); LdSrc32(i); il.Emit(OpCodes.Ldc_I4, (int)op.Imm & 7); break;
            case VShape.IntToD: case VShape.IntToS:
                // (long)Operands.SignExtend(Read1(c, ref op), op.S1)
                Ld1(ref op);
                il.Emit(OpCodes.Ldc_I4, (int)op.S1);
                EmitCall(MSignExtend);
                break;
            case VShape.DToInt: case VShape.SToInt:
                if (f.Shape == VShape.DToInt) LdSrc64(i); else LdSrc32(i);
                il.Emit(OpCodes.Ldc_I4, (int)op.S0);
                il.Emit(f.Arg != 0 ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
                break;
        }
        LdFlRef();
        EmitCall(m);
        if (m.ReturnType == typeof(uint)) il.Emit(OpCodes.Conv_U8);
        il.Emit(OpCodes.Stloc, res);
        CommitFp(i);
        il.Emit(OpCodes.Ldloc, res);
        switch (f.Shape)
        {
            case VShape.ScalarD: case VShape.SqrtD: case VShape.CmpD: case VShape.IntToD: case VShape.SToD:
                StX64(op.R0, 0); break;
            case VShape.DToInt: case VShape.SToInt:
                StReg(op.R0, op.S0); break;
            default:
                StX32(op.R0, 0); break;
        }
        Free(res);
    }

    /// <summary>A form whose value method is "Fast(...) ? r : General(...)" (Fp64/Fp32.Arith,
    /// FpConvertOps.IntToF64/IntToF32): the fast part inline; when it declines, General and the
    /// commit run on a cold path. The call then sits outside the hot code, so RyuJIT need not spill
    /// the unit's cached registers around it on the hot path.
    /// Shapes: ScalarD/ScalarS Fast(mx, a, b, kind, out r) / General(mx, a, b, kind, ref fl);
    /// IntToD/IntToS Fast(v, out r) / General(mx, v, ref fl).</summary>
    private void EmitFastFp(int i, VForm f)
    {
        ref Op op = ref _ops[i];
        var il = _il;
        var a = Temp();
        var b = Temp();
        var r = Temp();
        bool binary = f.Shape is VShape.ScalarD or VShape.ScalarS;
        bool single = f.Shape is VShape.ScalarS or VShape.IntToS;   // binary32 operands / result
        bool narrow = binary && single;                              // a and b hold binary32 bits
        var rLocal = single ? TempU32() : r;
        if (binary)
        {
            if (single) { LdX32(op.R0); il.Emit(OpCodes.Conv_U8); } else LdX64(op.R0);
            il.Emit(OpCodes.Stloc, a);
            if (single) { LdSrc32(i); il.Emit(OpCodes.Conv_U8); } else LdSrc64(i);
            il.Emit(OpCodes.Stloc, b);
            LdMxcsr(i);
            il.Emit(OpCodes.Ldloc, a); if (single) il.Emit(OpCodes.Conv_U4);
            il.Emit(OpCodes.Ldloc, b); if (single) il.Emit(OpCodes.Conv_U4);
            il.Emit(OpCodes.Ldc_I4, f.Arg);
        }
        else
        {
            // (long)Operands.SignExtend(Read1(c, ref op), op.S1)
            Ld1(ref op);
            il.Emit(OpCodes.Ldc_I4, (int)op.S1);
            EmitCall(MSignExtend);
            il.Emit(OpCodes.Stloc, a);
            il.Emit(OpCodes.Ldloc, a);
        }
        il.Emit(OpCodes.Ldloca, rLocal);
        EmitCall(f.Fast!);
        var slow = il.DefineLabel();
        var back = il.DefineLabel();
        il.Emit(OpCodes.Brfalse, slow);
        il.MarkLabel(back);
        var state = SaveFaultState();
        int at = i;
        var general = f.Method!;
        int kind = f.Arg;
        _cold.Add(() =>
        {
            _il.MarkLabel(slow);
            LdCpu();
            _il.Emit(OpCodes.Ldfld, FMxcsr);
            _il.Emit(OpCodes.Ldloc, a); if (narrow) _il.Emit(OpCodes.Conv_U4);
            if (binary)
            {
                _il.Emit(OpCodes.Ldloc, b); if (narrow) _il.Emit(OpCodes.Conv_U4);
                _il.Emit(OpCodes.Ldc_I4, kind);
            }
            LdFlRef();
            EmitCall(general);
            _il.Emit(OpCodes.Stloc, rLocal);
            _il.Emit(OpCodes.Ldloc, _fl);
            _il.Emit(OpCodes.Brfalse, back);
            EmitCommitCold(at, state, back);
        });
        il.Emit(OpCodes.Ldloc, rLocal);
        if (single) StX32(op.R0, 0); else StX64(op.R0, 0);
        Free(a); Free(b); Free(r);
        if (single) _freeU32.Add(rLocal);
    }

    private readonly List<LocalBuilder> _freeU32 = new();

    private LocalBuilder TempU32()
    {
        if (_freeU32.Count == 0) return _il.DeclareLocal(typeof(uint));
        var l = _freeU32[^1];
        _freeU32.RemoveAt(_freeU32.Count - 1);
        return l;
    }

    /// <summary>SseConvert's packed conversions: XMM = value(src64 | aligned src128 [, mx][, truncate][, ref fl]),
    /// committed before the write when the value method raises flags.</summary>
    private void EmitPackedConv(int i, VForm f)
    {
        ref Op op = ref _ops[i];
        var il = _il;
        var m = f.Method!;
        var ps = m.GetParameters();
        bool flags = ps[^1].ParameterType.IsByRef, truncate = ps.Any(q => q.ParameterType == typeof(bool));
        var p = f.Shape == VShape.Conv128 ? Src128Ptr(i) : null;
        var v = TempV128();
        if (flags) LdMxcsr(i);
        if (f.Shape == VShape.Conv64) LdSrc64(i); else LdSrc128(i, p);
        if (truncate) il.Emit(f.Arg != 0 ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
        if (flags) LdFlRef();
        EmitCall(m);
        il.Emit(OpCodes.Stloc, v);
        if (flags) CommitFp(i);
        il.Emit(OpCodes.Ldloc, v);
        StX128(op.R0);
        _freeV128.Add(v);
    }

    /// <summary>SseFloat.PackedD/PackedS/SqrtPd/CmpPackedD...: every lane through the value method
    /// with one shared flag accumulator, one commit, then the whole destination.</summary>
    private void EmitPackedFp(int i, VForm f, int lanes)
    {
        ref Op op = ref _ops[i];
        var il = _il;
        int w = 16 / lanes;
        var p = Src128Ptr(i);
        var res = new LocalBuilder[lanes];
        for (int j = 0; j < lanes; j++)
        {
            res[j] = Temp();
            LdMxcsr(i);
            if (f.Arg != PUnary) LdLane(op.R0, null, j, w);
            LdLane(op.R1, p, j, w);
            if (f.Arg == PPred) il.Emit(OpCodes.Ldc_I4, (int)op.Imm & 7);
            LdFlRef();
            EmitCall(f.Method!);
            if (w == 4) il.Emit(OpCodes.Conv_U8);
            il.Emit(OpCodes.Stloc, res[j]);
        }
        if (p != null) Free(p);
        CommitFp(i);
        for (int j = 0; j < lanes; j++)
        {
            il.Emit(OpCodes.Ldloc, res[j]);
            if (w == 8) StX64(op.R0, j); else StX32(op.R0, j);
            Free(res[j]);
        }
    }

    /// <summary>Push lane j (w bytes wide) of XMM x, or of the m128 at host pointer p.</summary>
    private void LdLane(int x, LocalBuilder? p, int j, int w)
    {
        var il = _il;
        if (p == null)
        {
            if (w == 8) LdX64(x, j); else LdX32(x, j);
            return;
        }
        il.Emit(OpCodes.Ldloc, p);
        if (j != 0) { il.Emit(OpCodes.Ldc_I4, j * w); il.Emit(OpCodes.Add); }
        il.Emit(w == 8 ? OpCodes.Ldind_I8 : OpCodes.Ldind_U4);
    }
}
