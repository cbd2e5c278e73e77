// Family: SSE/SSE2 register and memory moves: movaps movapd movdqa (aligned) movups movupd
// movdqu (unaligned) movd movq movss movsd(scalar) movlps movhps movlpd movhpd movhlps
// movlhps movmskps movmskpd pmovmskb movntps movntpd movntdq movnti maskmovdqu.
// Registered by Iced Code: the MMX (mm register) forms sharing these mnemonics stay
// unregistered (MMX is not in our profile) and raise SIGILL, as does movsd the string op
// (handled by the string family under its own Code).
// Loads of a scalar from memory (movd/movq/movss/movsd xmm, m) zero the rest of the register;
// register-to-register movss/movsd merge into the low element only.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Sse.XmmOperands;

namespace Jitexec.Translator.Semantics.Sse;

internal static unsafe class SseMoves
{
    public static void Register(HandlerRegistry r)
    {
        // Full 128-bit moves; the aligned forms fault on a misaligned memory operand.
        r.Add(Code.Movaps_xmm_xmmm128, &MovAlignedLoad);
        r.Add(Code.Movapd_xmm_xmmm128, &MovAlignedLoad);
        r.Add(Code.Movdqa_xmm_xmmm128, &MovAlignedLoad);
        r.Add(Code.Movaps_xmmm128_xmm, &MovAlignedStore);
        r.Add(Code.Movapd_xmmm128_xmm, &MovAlignedStore);
        r.Add(Code.Movdqa_xmmm128_xmm, &MovAlignedStore);
        r.Add(Code.Movntps_m128_xmm, &MovAlignedStore);
        r.Add(Code.Movntpd_m128_xmm, &MovAlignedStore);
        r.Add(Code.Movntdq_m128_xmm, &MovAlignedStore);
        r.Add(Code.Movups_xmm_xmmm128, &MovUnalignedLoad);
        r.Add(Code.Movupd_xmm_xmmm128, &MovUnalignedLoad);
        r.Add(Code.Movdqu_xmm_xmmm128, &MovUnalignedLoad);
        r.Add(Code.Movups_xmmm128_xmm, &MovUnalignedStore);
        r.Add(Code.Movupd_xmmm128_xmm, &MovUnalignedStore);
        r.Add(Code.Movdqu_xmmm128_xmm, &MovUnalignedStore);
        r.Add(Code.Movnti_m32_r32, &Movnti);
        r.Add(Code.Movnti_m64_r64, &Movnti);

        // GPR/memory <-> XMM scalars.
        r.Add(Code.Movd_xmm_rm32, &MovGprToXmm);
        r.Add(Code.Movq_xmm_rm64, &MovGprToXmm);
        r.Add(Code.Movd_rm32_xmm, &MovXmmToGpr);
        r.Add(Code.Movq_rm64_xmm, &MovXmmToGpr);
        r.Add(Code.Movq_xmm_xmmm64, &MovqLoad);
        r.Add(Code.Movq_xmmm64_xmm, &MovqStore);
        r.Add(Code.Movss_xmm_xmmm32, &MovssLoad);
        r.Add(Code.Movss_xmmm32_xmm, &MovssStore);
        r.Add(Code.Movsd_xmm_xmmm64, &MovsdLoad);
        r.Add(Code.Movsd_xmmm64_xmm, &MovsdStore);

        // Half-register moves.
        r.Add(Code.Movlps_xmm_m64, &MovLowLoad);
        r.Add(Code.Movlpd_xmm_m64, &MovLowLoad);
        r.Add(Code.Movhps_xmm_m64, &MovHighLoad);
        r.Add(Code.Movhpd_xmm_m64, &MovHighLoad);
        r.Add(Code.Movlps_m64_xmm, &MovLowStore);
        r.Add(Code.Movlpd_m64_xmm, &MovLowStore);
        r.Add(Code.Movhps_m64_xmm, &MovHighStore);
        r.Add(Code.Movhpd_m64_xmm, &MovHighStore);
        r.Add(Code.Movhlps_xmm_xmm, &Movhlps);
        r.Add(Code.Movlhps_xmm_xmm, &Movlhps);

        // Sign-bit masks.
        r.Add(Code.Movmskps_r32_xmm, &Movmskps);
        r.Add(Code.Movmskps_r64_xmm, &Movmskps);
        r.Add(Code.Movmskpd_r32_xmm, &Movmskpd);
        r.Add(Code.Movmskpd_r64_xmm, &Movmskpd);
        r.Add(Code.Pmovmskb_r32_xmm, &Pmovmskb);
        r.Add(Code.Pmovmskb_r64_xmm, &Pmovmskb);

        r.Add(Code.Maskmovdqu_rDI_xmm_xmm, &Maskmovdqu);
    }

    // ---- Value-level semantics (shared with the JIT tier) ----

    /// <summary>Replace the low 32 bits of <paramref name="dst"/> (movss register form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> MergeLow32Value(Vector128<ulong> dst, uint v) =>
        dst.AsUInt32().WithElement(0, v).AsUInt64();

    /// <summary>Replace the low 64 bits of <paramref name="dst"/> (movsd register form, movlps/movlpd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> MergeLow64Value(Vector128<ulong> dst, ulong v) => dst.WithElement(0, v);

    /// <summary>Replace the high 64 bits of <paramref name="dst"/> (movhps/movhpd, movlhps).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> MergeHigh64Value(Vector128<ulong> dst, ulong v) => dst.WithElement(1, v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MovmskpsValue(Vector128<ulong> v) => v.AsUInt32().ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MovmskpdValue(Vector128<ulong> v) => v.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint PmovmskbValue(Vector128<ulong> v) => v.AsByte().ExtractMostSignificantBits();

    // ---- Handlers ----

    private static void MovAlignedLoad(Cpu c, ref Op op) => c.Xmm[op.R0] = Src(c, ref op);

    private static void MovAlignedStore(Cpu c, ref Op op) => Dst(c, ref op, c.Xmm[op.R1]);

    private static void MovUnalignedLoad(Cpu c, ref Op op) => c.Xmm[op.R0] = SrcUnaligned(c, ref op);

    private static void MovUnalignedStore(Cpu c, ref Op op) => DstUnaligned(c, ref op, c.Xmm[op.R1]);

    private static void Movnti(Cpu c, ref Op op) => Operands.Write0(c, ref op, Operands.Read1(c, ref op));

    /// <summary>movd/movq xmm, r/m32|64: the value zero-extended to 128 bits.</summary>
    private static void MovGprToXmm(Cpu c, ref Op op) =>
        c.Xmm[op.R0] = Vector128.CreateScalar(Operands.Read1(c, ref op));

    /// <summary>movd/movq r/m32|64, xmm: the low dword/qword (a 32-bit GPR write zero-extends).</summary>
    private static void MovXmmToGpr(Cpu c, ref Op op) =>
        Operands.Write0(c, ref op, c.Xmm[op.R1].GetElement(0));

    /// <summary>movq xmm, xmm/m64 (F3 0F 7E): low qword, upper qword zeroed.</summary>
    private static void MovqLoad(Cpu c, ref Op op) => c.Xmm[op.R0] = Vector128.CreateScalar(Src64(c, ref op));

    /// <summary>movq xmm/m64, xmm (66 0F D6): to a register the upper qword is zeroed.</summary>
    private static void MovqStore(Cpu c, ref Op op)
    {
        ulong v = c.Xmm[op.R1].GetElement(0);
        if (op.K0 == ArgKind.Xmm) c.Xmm[op.R0] = Vector128.CreateScalar(v);
        else c.Mem.Write64(Operands.Ea(c, ref op), v);
    }

    private static void MovssLoad(Cpu c, ref Op op)
    {
        if (op.K1 == ArgKind.Xmm) c.Xmm[op.R0] = MergeLow32Value(c.Xmm[op.R0], (uint)c.Xmm[op.R1].GetElement(0));
        else c.Xmm[op.R0] = Vector128.CreateScalar((ulong)c.Mem.Read32(Operands.Ea(c, ref op)));
    }

    private static void MovssStore(Cpu c, ref Op op)
    {
        uint v = (uint)c.Xmm[op.R1].GetElement(0);
        if (op.K0 == ArgKind.Xmm) c.Xmm[op.R0] = MergeLow32Value(c.Xmm[op.R0], v);
        else c.Mem.Write32(Operands.Ea(c, ref op), v);
    }

    private static void MovsdLoad(Cpu c, ref Op op)
    {
        if (op.K1 == ArgKind.Xmm) c.Xmm[op.R0] = MergeLow64Value(c.Xmm[op.R0], c.Xmm[op.R1].GetElement(0));
        else c.Xmm[op.R0] = Vector128.CreateScalar(c.Mem.Read64(Operands.Ea(c, ref op)));
    }

    private static void MovsdStore(Cpu c, ref Op op)
    {
        ulong v = c.Xmm[op.R1].GetElement(0);
        if (op.K0 == ArgKind.Xmm) c.Xmm[op.R0] = MergeLow64Value(c.Xmm[op.R0], v);
        else c.Mem.Write64(Operands.Ea(c, ref op), v);
    }

    private static void MovLowLoad(Cpu c, ref Op op) =>
        c.Xmm[op.R0] = MergeLow64Value(c.Xmm[op.R0], c.Mem.Read64(Operands.Ea(c, ref op)));

    private static void MovHighLoad(Cpu c, ref Op op) =>
        c.Xmm[op.R0] = MergeHigh64Value(c.Xmm[op.R0], c.Mem.Read64(Operands.Ea(c, ref op)));

    private static void MovLowStore(Cpu c, ref Op op) => c.Mem.Write64(Operands.Ea(c, ref op), c.Xmm[op.R1].GetElement(0));

    private static void MovHighStore(Cpu c, ref Op op) => c.Mem.Write64(Operands.Ea(c, ref op), c.Xmm[op.R1].GetElement(1));

    private static void Movhlps(Cpu c, ref Op op) => c.Xmm[op.R0] = MergeLow64Value(c.Xmm[op.R0], c.Xmm[op.R1].GetElement(1));

    private static void Movlhps(Cpu c, ref Op op) => c.Xmm[op.R0] = MergeHigh64Value(c.Xmm[op.R0], c.Xmm[op.R1].GetElement(0));

    private static void Movmskps(Cpu c, ref Op op) => Operands.SetReg(c, op.R0, op.S0, MovmskpsValue(c.Xmm[op.R1]));

    private static void Movmskpd(Cpu c, ref Op op) => Operands.SetReg(c, op.R0, op.S0, MovmskpdValue(c.Xmm[op.R1]));

    private static void Pmovmskb(Cpu c, ref Op op) => Operands.SetReg(c, op.R0, op.S0, PmovmskbValue(c.Xmm[op.R1]));

    /// <summary>maskmovdqu: store the bytes of xmm1 whose xmm2 mask byte has its top bit set to [rdi] (edi with 0x67).</summary>
    private static void Maskmovdqu(Cpu c, ref Op op)
    {
        ulong addr = c.R[Reg.Rdi];
        if (op.Insn.Op0Kind == OpKind.MemorySegEDI) addr = (uint)addr;
        var seg = op.Insn.SegmentPrefix;
        if (seg == Iced.Intel.Register.FS) addr += c.FsBase;
        else if (seg == Iced.Intel.Register.GS) addr += c.GsBase;
        var data = c.Xmm[op.R1].AsByte();
        uint mask = c.Xmm[op.R2].AsByte().ExtractMostSignificantBits();
        for (int i = 0; i < 16; i++)
            if ((mask & (1u << i)) != 0) c.Mem.Write8(addr + (ulong)i, data.GetElement(i));
    }
}
