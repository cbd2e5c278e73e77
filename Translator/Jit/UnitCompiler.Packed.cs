// Inline SSE moves and packed integer/bitwise/shuffle forms, mirroring SseMoves.cs,
// SseInteger.cs, SsePackedMul.cs, SsePackedShifts.cs, SseShuffles.cs and the bitwise
// and/andn/or/xor ps/pd of SseFloat.cs. Computing forms call the handler's value method
// (PxorValue, PminubValue, PshufdValue, PmovmskbValue...); moves copy lanes, with the
// handlers' rules: a scalar load from memory zeroes the rest of the register, a register
// movss/movsd merges into the low element, movq/movd to XMM zero the upper qword, and
// movaps/movapd/movdqa/movntX need a 16-byte aligned m128 (as every packed m128 source).
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using Iced.Intel;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Semantics.Sse;

namespace Jitexec.Translator.Jit;

internal sealed unsafe partial class UnitCompiler
{
    private const DynamicallyAccessedMemberTypes Methods = DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods;

    private static void PackedForms(FormTable t)
    {
        void Set(VShape s, params Code[] codes) { foreach (var c in codes) t[c] = new(s); }
        Set(VShape.Load128, Code.Movaps_xmm_xmmm128, Code.Movapd_xmm_xmmm128, Code.Movdqa_xmm_xmmm128);
        Set(VShape.Load128U, Code.Movups_xmm_xmmm128, Code.Movupd_xmm_xmmm128, Code.Movdqu_xmm_xmmm128);
        Set(VShape.Store128, Code.Movaps_xmmm128_xmm, Code.Movapd_xmmm128_xmm, Code.Movdqa_xmmm128_xmm,
            Code.Movntps_m128_xmm, Code.Movntpd_m128_xmm, Code.Movntdq_m128_xmm);
        Set(VShape.Store128U, Code.Movups_xmmm128_xmm, Code.Movupd_xmmm128_xmm, Code.Movdqu_xmmm128_xmm);
        Set(VShape.GprToXmm, Code.Movd_xmm_rm32, Code.Movq_xmm_rm64);
        Set(VShape.XmmToGpr, Code.Movd_rm32_xmm, Code.Movq_rm64_xmm);
        Set(VShape.MovqLoad, Code.Movq_xmm_xmmm64);
        Set(VShape.MovqStore, Code.Movq_xmmm64_xmm);
        Set(VShape.MovssLoad, Code.Movss_xmm_xmmm32);
        Set(VShape.MovssStore, Code.Movss_xmmm32_xmm);
        Set(VShape.MovsdLoad, Code.Movsd_xmm_xmmm64);
        Set(VShape.MovsdStore, Code.Movsd_xmmm64_xmm);
        Set(VShape.LowLoad, Code.Movlps_xmm_m64, Code.Movlpd_xmm_m64);
        Set(VShape.HighLoad, Code.Movhps_xmm_m64, Code.Movhpd_xmm_m64);
        Set(VShape.LowStore, Code.Movlps_m64_xmm, Code.Movlpd_m64_xmm);
        Set(VShape.HighStore, Code.Movhps_m64_xmm, Code.Movhpd_m64_xmm);
        Set(VShape.Movhlps, Code.Movhlps_xmm_xmm);
        Set(VShape.Movlhps, Code.Movlhps_xmm_xmm);

        MethodInfo Mv(string n) => M(typeof(SseMoves), n);
        t[Code.Pmovmskb_r32_xmm] = t[Code.Pmovmskb_r64_xmm] = new(VShape.Mask, Mv(nameof(SseMoves.PmovmskbValue)));
        t[Code.Movmskps_r32_xmm] = t[Code.Movmskps_r64_xmm] = new(VShape.Mask, Mv(nameof(SseMoves.MovmskpsValue)));
        t[Code.Movmskpd_r32_xmm] = t[Code.Movmskpd_r64_xmm] = new(VShape.Mask, Mv(nameof(SseMoves.MovmskpdValue)));

        // dst = value(dst, xmm/m128): the integer forms, and the float-typed forms sharing their value
        // methods (as their handlers do).
        void Binary([DynamicallyAccessedMembers(Methods)] Type cls, params (Code code, string value)[] forms)
        {
            foreach (var (code, value) in forms) t[code] = new(VShape.Binary128, M(cls, value));
        }
        Binary(typeof(SseInteger),
            (Code.Pxor_xmm_xmmm128, nameof(SseInteger.PxorValue)), (Code.Por_xmm_xmmm128, nameof(SseInteger.PorValue)),
            (Code.Pand_xmm_xmmm128, nameof(SseInteger.PandValue)), (Code.Pandn_xmm_xmmm128, nameof(SseInteger.PandnValue)),
            (Code.Xorps_xmm_xmmm128, nameof(SseInteger.PxorValue)), (Code.Xorpd_xmm_xmmm128, nameof(SseInteger.PxorValue)),
            (Code.Orps_xmm_xmmm128, nameof(SseInteger.PorValue)), (Code.Orpd_xmm_xmmm128, nameof(SseInteger.PorValue)),
            (Code.Andps_xmm_xmmm128, nameof(SseInteger.PandValue)), (Code.Andpd_xmm_xmmm128, nameof(SseInteger.PandValue)),
            (Code.Andnps_xmm_xmmm128, nameof(SseInteger.PandnValue)), (Code.Andnpd_xmm_xmmm128, nameof(SseInteger.PandnValue)),
            (Code.Paddb_xmm_xmmm128, nameof(SseInteger.PaddbValue)), (Code.Paddw_xmm_xmmm128, nameof(SseInteger.PaddwValue)),
            (Code.Paddd_xmm_xmmm128, nameof(SseInteger.PadddValue)), (Code.Paddq_xmm_xmmm128, nameof(SseInteger.PaddqValue)),
            (Code.Psubb_xmm_xmmm128, nameof(SseInteger.PsubbValue)), (Code.Psubw_xmm_xmmm128, nameof(SseInteger.PsubwValue)),
            (Code.Psubd_xmm_xmmm128, nameof(SseInteger.PsubdValue)), (Code.Psubq_xmm_xmmm128, nameof(SseInteger.PsubqValue)),
            (Code.Paddsb_xmm_xmmm128, nameof(SseInteger.PaddsbValue)), (Code.Paddsw_xmm_xmmm128, nameof(SseInteger.PaddswValue)),
            (Code.Paddusb_xmm_xmmm128, nameof(SseInteger.PaddusbValue)), (Code.Paddusw_xmm_xmmm128, nameof(SseInteger.PadduswValue)),
            (Code.Psubsb_xmm_xmmm128, nameof(SseInteger.PsubsbValue)), (Code.Psubsw_xmm_xmmm128, nameof(SseInteger.PsubswValue)),
            (Code.Psubusb_xmm_xmmm128, nameof(SseInteger.PsubusbValue)), (Code.Psubusw_xmm_xmmm128, nameof(SseInteger.PsubuswValue)),
            (Code.Pcmpeqb_xmm_xmmm128, nameof(SseInteger.PcmpeqbValue)), (Code.Pcmpeqw_xmm_xmmm128, nameof(SseInteger.PcmpeqwValue)),
            (Code.Pcmpeqd_xmm_xmmm128, nameof(SseInteger.PcmpeqdValue)), (Code.Pcmpgtb_xmm_xmmm128, nameof(SseInteger.PcmpgtbValue)),
            (Code.Pcmpgtw_xmm_xmmm128, nameof(SseInteger.PcmpgtwValue)), (Code.Pcmpgtd_xmm_xmmm128, nameof(SseInteger.PcmpgtdValue)),
            (Code.Pminub_xmm_xmmm128, nameof(SseInteger.PminubValue)), (Code.Pmaxub_xmm_xmmm128, nameof(SseInteger.PmaxubValue)),
            (Code.Pminsw_xmm_xmmm128, nameof(SseInteger.PminswValue)), (Code.Pmaxsw_xmm_xmmm128, nameof(SseInteger.PmaxswValue)),
            (Code.Pavgb_xmm_xmmm128, nameof(SseInteger.PavgbValue)), (Code.Pavgw_xmm_xmmm128, nameof(SseInteger.PavgwValue)));
        Binary(typeof(SsePackedMul),
            (Code.Pmullw_xmm_xmmm128, nameof(SsePackedMul.PmullwValue)), (Code.Pmulhw_xmm_xmmm128, nameof(SsePackedMul.PmulhwValue)),
            (Code.Pmulhuw_xmm_xmmm128, nameof(SsePackedMul.PmulhuwValue)), (Code.Pmuludq_xmm_xmmm128, nameof(SsePackedMul.PmuludqValue)),
            (Code.Pmaddwd_xmm_xmmm128, nameof(SsePackedMul.PmaddwdValue)), (Code.Psadbw_xmm_xmmm128, nameof(SsePackedMul.PsadbwValue)));
        Binary(typeof(SseShuffles),
            (Code.Punpcklbw_xmm_xmmm128, nameof(SseShuffles.PunpcklbwValue)), (Code.Punpcklwd_xmm_xmmm128, nameof(SseShuffles.PunpcklwdValue)),
            (Code.Punpckldq_xmm_xmmm128, nameof(SseShuffles.PunpckldqValue)), (Code.Punpcklqdq_xmm_xmmm128, nameof(SseShuffles.PunpcklqdqValue)),
            (Code.Punpckhbw_xmm_xmmm128, nameof(SseShuffles.PunpckhbwValue)), (Code.Punpckhwd_xmm_xmmm128, nameof(SseShuffles.PunpckhwdValue)),
            (Code.Punpckhdq_xmm_xmmm128, nameof(SseShuffles.PunpckhdqValue)), (Code.Punpckhqdq_xmm_xmmm128, nameof(SseShuffles.PunpckhqdqValue)),
            (Code.Unpcklps_xmm_xmmm128, nameof(SseShuffles.PunpckldqValue)), (Code.Unpckhps_xmm_xmmm128, nameof(SseShuffles.PunpckhdqValue)),
            (Code.Unpcklpd_xmm_xmmm128, nameof(SseShuffles.PunpcklqdqValue)), (Code.Unpckhpd_xmm_xmmm128, nameof(SseShuffles.PunpckhqdqValue)),
            (Code.Packsswb_xmm_xmmm128, nameof(SseShuffles.PacksswbValue)), (Code.Packssdw_xmm_xmmm128, nameof(SseShuffles.PackssdwValue)),
            (Code.Packuswb_xmm_xmmm128, nameof(SseShuffles.PackuswbValue)));

        MethodInfo Sh(string n) => M(typeof(SseShuffles), n);
        t[Code.Pshufd_xmm_xmmm128_imm8] = new(VShape.Unary128Imm, Sh(nameof(SseShuffles.PshufdValue)));
        t[Code.Pshuflw_xmm_xmmm128_imm8] = new(VShape.Unary128Imm, Sh(nameof(SseShuffles.PshuflwValue)));
        t[Code.Pshufhw_xmm_xmmm128_imm8] = new(VShape.Unary128Imm, Sh(nameof(SseShuffles.PshufhwValue)));
        t[Code.Shufps_xmm_xmmm128_imm8] = new(VShape.Binary128Imm, Sh(nameof(SseShuffles.ShufpsValue)));
        t[Code.Shufpd_xmm_xmmm128_imm8] = new(VShape.Binary128Imm, Sh(nameof(SseShuffles.ShufpdValue)));
        t[Code.Pslldq_xmm_imm8] = new(VShape.ByteShiftImm, Sh(nameof(SseShuffles.PslldqValue)));
        t[Code.Psrldq_xmm_imm8] = new(VShape.ByteShiftImm, Sh(nameof(SseShuffles.PsrldqValue)));
        foreach (var (code, value) in new[] {
            (Code.Psllw_xmm_imm8, nameof(SsePackedShifts.PsllwValue)), (Code.Pslld_xmm_imm8, nameof(SsePackedShifts.PslldValue)),
            (Code.Psllq_xmm_imm8, nameof(SsePackedShifts.PsllqValue)), (Code.Psrlw_xmm_imm8, nameof(SsePackedShifts.PsrlwValue)),
            (Code.Psrld_xmm_imm8, nameof(SsePackedShifts.PsrldValue)), (Code.Psrlq_xmm_imm8, nameof(SsePackedShifts.PsrlqValue)),
            (Code.Psraw_xmm_imm8, nameof(SsePackedShifts.PsrawValue)), (Code.Psrad_xmm_imm8, nameof(SsePackedShifts.PsradValue)) })
            t[code] = new(VShape.ShiftImm, M(typeof(SsePackedShifts), value));
    }

    private void EmitPacked(int i, VForm f)
    {
        ref Op op = ref _ops[i];
        var il = _il;
        switch (f.Shape)
        {
            case VShape.Load128: case VShape.Load128U:
                if (op.K1 == ArgKind.Xmm) { CopyX128(op.R0, op.R1); return; }
                LdSrc128(i, Src128Ptr(i, aligned: f.Shape == VShape.Load128));
                StX128(op.R0);
                return;
            case VShape.Store128: case VShape.Store128U:
                if (op.K0 == ArgKind.Xmm) { CopyX128(op.R0, op.R1); return; }
                {
                    var p = MemPtr(i, aligned: f.Shape == VShape.Store128);
                    il.Emit(OpCodes.Ldloc, p);
                    LdX128(op.R1);
                    il.Emit(OpCodes.Unaligned, (byte)1);
                    il.Emit(OpCodes.Stobj, V128);
                    Free(p);
                    return;
                }
            case VShape.GprToXmm:
                // Vector128.CreateScalar(Read1(c, ref op))
                Ld1(ref op); StX64(op.R0, 0);
                Const(0); StX64(op.R0, 1);
                return;
            case VShape.XmmToGpr:
                LdX64(op.R1); St0(ref op);
                return;
            case VShape.MovqLoad:
                LdSrc64(i); StX64(op.R0, 0);
                Const(0); StX64(op.R0, 1);
                return;
            case VShape.MovqStore: case VShape.MovsdStore: case VShape.MovssStore:
            {
                bool dword = f.Shape == VShape.MovssStore;
                if (op.K0 == ArgKind.Mem) { LdHostPtr(ref op); LdX64(op.R1); StMem(dword ? 4 : 8); return; }
                if (dword) { LdX32(op.R1); StX32(op.R0, 0); return; } // merge the low dword
                LdX64(op.R1); StX64(op.R0, 0);
                if (f.Shape == VShape.MovqStore) { Const(0); StX64(op.R0, 1); } // movq zeroes the upper qword
                return;
            }
            case VShape.MovssLoad: case VShape.MovsdLoad:
            {
                bool dword = f.Shape == VShape.MovssLoad;
                if (op.K1 == ArgKind.Xmm)
                {
                    // merge the low element
                    if (dword) { LdX32(op.R1); StX32(op.R0, 0); }
                    else { LdX64(op.R1); StX64(op.R0, 0); }
                    return;
                }
                LdHostPtr(ref op); LdMem(dword ? 4 : 8); StX64(op.R0, 0); // zero-extended into the low qword
                Const(0); StX64(op.R0, 1);
                return;
            }
            case VShape.LowLoad: case VShape.HighLoad:
                LdHostPtr(ref op); LdMem(8); StX64(op.R0, f.Shape == VShape.LowLoad ? 0 : 1);
                return;
            case VShape.LowStore: case VShape.HighStore:
                LdHostPtr(ref op); LdX64(op.R1, f.Shape == VShape.LowStore ? 0 : 1); StMem(8);
                return;
            case VShape.Movhlps:
                LdX64(op.R1, 1); StX64(op.R0, 0);
                return;
            case VShape.Movlhps:
                LdX64(op.R1, 0); StX64(op.R0, 1);
                return;
            case VShape.Mask:
                LdX128(op.R1); EmitCall(f.Method!); il.Emit(OpCodes.Conv_U8); StReg(op.R0, op.S0);
                return;
            case VShape.Binary128 when op.K1 == ArgKind.Xmm && op.R0 == op.R1 && f.Method!.Name == nameof(SseInteger.PxorValue):
                // pxor/xorps/xorpd x, x: PxorValue(v, v) is zero for every v (the zeroing idiom).
                Const(0); StX64(op.R0, 0);
                Const(0); StX64(op.R0, 1);
                return;
            case VShape.Binary128: case VShape.Unary128Imm: case VShape.Binary128Imm:
            {
                var p = Src128Ptr(i);
                if (f.Shape != VShape.Unary128Imm) LdX128(op.R0);
                LdSrc128(i, p);
                if (f.Shape != VShape.Binary128) il.Emit(OpCodes.Ldc_I4, (int)(byte)op.Imm);
                EmitCall(f.Method!);
                StX128(op.R0);
                return;
            }
            case VShape.ShiftImm:
                LdX128(op.R0); Const((byte)op.Imm); EmitCall(f.Method!); StX128(op.R0);
                return;
            case VShape.ByteShiftImm:
                LdX128(op.R0); il.Emit(OpCodes.Ldc_I4, (int)(byte)op.Imm); EmitCall(f.Method!); StX128(op.R0);
                return;
        }
        throw new InvalidOperationException($"no inline SSE form for {op.Insn.Code}");
    }
}
