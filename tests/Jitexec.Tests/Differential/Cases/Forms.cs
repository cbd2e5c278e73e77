// Helpers that build cases from Iced Codes (one encoding form each) so a family's cases can
// be generated as tables: register/register, register/memory, memory/register,
// register/immediate, memory/immediate and unary forms. Memory operands are [r15+disp].
using Iced.Intel;

namespace Jitexec.Tests.Differential.Cases;

public static class Forms
{
    /// <summary>The GPR numbered <paramref name="num"/> (0-15, encoding order) of <paramref name="size"/> bytes.</summary>
    public static Register Gpr(int size, int num) => size switch
    {
        8 => Register.RAX + num,
        4 => Register.EAX + num,
        2 => Register.AX + num,
        _ => num < 4 ? Register.AL + num : num < 8 ? Register.SPL + (num - 4) : Register.R8L + (num - 8),
    };

    public static Code CodeOf(string name) => Enum.Parse<Code>(name);

    public static MemoryOperand Mem(int disp) => new(Register.R15, disp);

    /// <summary>[rsi+disp] with rsi pointed at the buffer: for forms that cannot take a REX prefix (ah..bh).</summary>
    public static MemoryOperand MemRsi(int disp) => new(Register.RSI, disp);

    public static DiffCase Insn(Instruction i) => new(a => a.AddInstruction(i));

    public static DiffCase RR(Code c, Register d, Register s) => Insn(Instruction.Create(c, d, s)).In(d == s ? [d] : [d, s]);
    public static DiffCase RM(Code c, Register d, int disp, int size) => Insn(Instruction.Create(c, d, Mem(disp))).In(d).InMem(disp, size);
    public static DiffCase MR(Code c, int disp, Register s, int size) => Insn(Instruction.Create(c, Mem(disp), s)).InMem(disp, size).In(s);
    public static DiffCase RI(Code c, Register d, int imm) => Insn(Instruction.Create(c, d, imm)).In(d);
    public static DiffCase MI(Code c, int disp, int imm, int size) => Insn(Instruction.Create(c, Mem(disp), imm)).InMem(disp, size);
    public static DiffCase R(Code c, Register d) => Insn(Instruction.Create(c, d)).In(d);
    public static DiffCase M(Code c, int disp, int size) => Insn(Instruction.Create(c, Mem(disp))).InMem(disp, size);

    /// <summary>Immediates worth testing for an immediate of <paramref name="bits"/> bits (sign-extended by the CPU).</summary>
    public static int[] Imms(int bits) => bits switch
    {
        8 => [1, 0x7F, -0x80, -1],
        16 => [1, 0x7FFF, -0x8000, -1],
        _ => [1, 0x7FFF_FFFF, int.MinValue, -1, 0x1234_5678],
    };

    /// <summary>Buffer displacements: aligned, misaligned, and straddling the page boundary at r15+128.</summary>
    public static int Disp(int size, int variant) => variant switch
    {
        0 => 0x40,
        1 => 0x13,
        _ => 128 - size / 2,
    };
}
