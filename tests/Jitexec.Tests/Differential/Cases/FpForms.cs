// Case builders for the floating-point families (SSE arithmetic, conversions, x87):
// XMM register/register and register/memory forms with IEEE edge values in registers and
// memory, random MXCSR (rounding modes, FTZ/DAZ, sticky flags), and "near" operands that
// make cancellation, ties and underflow likely.
using Iced.Intel;

namespace Jitexec.Tests.Differential.Cases;

public static class FpForms
{
    public const Register X1 = Register.XMM1, X2 = Register.XMM2, X3 = Register.XMM3;

    /// <summary>Fill <paramref name="size"/> bytes of the buffer at <paramref name="disp"/> with float edges or near values (width 4 or 8).</summary>
    public static void FillFp(Jitexec.Tests.Differential.MachineState s, Random rng, int disp, int size, int width)
    {
        for (int o = 0; o < size; o += width)
        {
            if (rng.Next(3) == 0) continue; // keep the random bytes
            ulong v = width == 8 ? EdgeValues.F64[rng.Next(EdgeValues.F64.Length)] : EdgeValues.F32[rng.Next(EdgeValues.F32.Length)];
            if (width == 8) BitConverter.TryWriteBytes(s.Buffer.AsSpan(disp + o), v);
            else BitConverter.TryWriteBytes(s.Buffer.AsSpan(disp + o), (uint)v);
        }
    }

    /// <summary>Make the source lanes close to the destination lanes (cancellation, ties, equal compares).</summary>
    public static void Near(Jitexec.Tests.Differential.MachineState s, Random rng, int dst, int src, int width)
    {
        if (rng.Next(3) != 0) return;
        for (int q = 0; q < 2; q++)
        {
            ulong d = s.Xmm[2 * dst + q];
            ulong low = (uint)rng.Next(8), sign = rng.Next(2) == 0 ? 1UL << (width * 8 - 1) : 0;
            ulong flip = width == 8 ? low | sign : (low | sign) * 0x1_0000_0001UL;
            s.Xmm[2 * src + q] = d ^ flip;
        }
    }

    public static DiffCase XX(Code c, int width, Register d = X1, Register s = X2) =>
        Forms.Insn(Instruction.Create(c, d, s)).Fp(width, d, s).With((st, r) => Near(st, r, d - Register.XMM0, s - Register.XMM0, width));

    public static DiffCase XM(Code c, int width, int size, int disp = 0x40, Register d = X3) =>
        Forms.Insn(Instruction.Create(c, d, Forms.Mem(disp))).Fp(width, d).With((st, r) => FillFp(st, r, disp, size, width));

    public static DiffCase XXI(Code c, int width, int imm, Register d = X1, Register s = X2) =>
        Forms.Insn(Instruction.Create(c, d, s, imm)).Fp(width, d, s).With((st, r) => Near(st, r, d - Register.XMM0, s - Register.XMM0, width));

    public static DiffCase XMI(Code c, int width, int size, int imm, int disp = 0x40, Register d = X3) =>
        Forms.Insn(Instruction.Create(c, d, Forms.Mem(disp), imm)).Fp(width, d).With((st, r) => FillFp(st, r, disp, size, width));

    private static DiffCase Fp(this DiffCase c, int width, params Register[] xmms) =>
        (width == 8 ? c.InF64(xmms) : c.InF32(xmms)).WithRandomMxcsr().Iter(400);
}
