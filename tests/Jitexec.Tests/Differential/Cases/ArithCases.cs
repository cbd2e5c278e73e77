// Differential cases for Semantics/Integer/Arith.cs: add adc sub sbb cmp and or xor test
// (reg/reg, same-reg idioms, reg/mem, mem/reg, reg/imm, reg/imm8 sign-extended,
// accumulator/imm, mem/imm) and inc dec neg not (reg, mem), at 8/16/32/64 bits, with
// high-byte registers ah..bh and REX registers.
using Iced.Intel;
using Xunit;
using static Jitexec.Tests.Differential.Cases.Forms;

namespace Jitexec.Tests.Differential.Cases;

public class ArithCases
{
    private static readonly string[] Binary = ["Add", "Adc", "Sub", "Sbb", "Cmp", "And", "Or", "Xor", "Test"];
    private static readonly string[] Unary = ["Inc", "Dec", "Neg", "Not"];
    private static readonly int[] Sizes = [1, 2, 4, 8];

    public static readonly CaseSet Cases = Build();

    private static CaseSet Build()
    {
        var set = new CaseSet();
        foreach (var m in Binary)
        {
            bool test = m == "Test";
            foreach (int size in Sizes)
            {
                int bits = size * 8;
                Code rmr = CodeOf($"{m}_rm{bits}_r{bits}");
                set.Add(RR(rmr, Gpr(size, 0), Gpr(size, 3)));      // rax, rbx
                set.Add(RR(rmr, Gpr(size, 9), Gpr(size, 14)));     // r9, r14
                set.Add(RR(rmr, Gpr(size, 6), Gpr(size, 6)));      // same register (xor/sub/test idioms)
                if (!test) set.Add(RM(CodeOf($"{m}_r{bits}_rm{bits}"), Gpr(size, 2), Disp(size, 2), size));
                set.Add(MR(rmr, Disp(size, 1), Gpr(size, 1), size));
                int immBits = Math.Min(bits, 32);
                Code rmi = CodeOf($"{m}_rm{bits}_imm{immBits}");
                foreach (int imm in Imms(immBits)) set.Add(RI(rmi, Gpr(size, 11), imm));
                foreach (int imm in Imms(immBits).Take(2)) set.Add(MI(rmi, Disp(size, 0), imm, size));
                if (size > 1 && !test)
                    foreach (int imm in Imms(8)) set.Add(RI(CodeOf($"{m}_rm{bits}_imm8"), Gpr(size, 5), imm));
                string acc = size switch { 1 => "AL", 2 => "AX", 4 => "EAX", _ => "RAX" };
                set.Add(RI(CodeOf($"{m}_{acc}_imm{immBits}"), Gpr(size, 0), Imms(immBits)[2]));
            }
            // High-byte registers.
            Code r8 = CodeOf($"{m}_rm8_r8");
            set.Add(RR(r8, Register.AH, Register.BL));
            set.Add(RR(r8, Register.AL, Register.AH));
            set.Add(RR(r8, Register.BH, Register.CH));
            set.Add(RR(r8, Register.DH, Register.DH));
            set.Add(Insn(Instruction.Create(r8, MemRsi(Disp(1, 2)), Register.CH)).PointAtBuffer(Register.RSI).InMem(Disp(1, 2), 1).In(Register.CH));
            if (!test)
                set.Add(Insn(Instruction.Create(CodeOf($"{m}_r8_rm8"), Register.AH, MemRsi(Disp(1, 1)))).PointAtBuffer(Register.RSI).In(Register.AH).InMem(Disp(1, 1), 1));
            set.Add(RI(CodeOf($"{m}_rm8_imm8"), Register.BH, -0x80));
        }
        foreach (var m in Unary)
            foreach (int size in Sizes)
            {
                Code c = CodeOf($"{m}_rm{size * 8}");
                set.Add(R(c, Gpr(size, 0)));
                set.Add(R(c, Gpr(size, 12)));
                set.Add(M(c, Disp(size, 2), size));
                if (size == 1) set.Add(R(c, Register.AH));
            }
        // Flag chains: adc/sbb consume the carry of the previous op, inc/dec preserve it.
        set.Add(new DiffCase(a => { a.add(AssemblerRegisters.rax, AssemblerRegisters.rbx); a.adc(AssemblerRegisters.rcx, AssemblerRegisters.rdx); })
            .In(Register.RAX, Register.RBX));
        set.Add(new DiffCase(a => { a.sub(AssemblerRegisters.eax, AssemblerRegisters.ebx); a.sbb(AssemblerRegisters.ecx, AssemblerRegisters.edx); })
            .In(Register.EAX, Register.EBX));
        set.Add(new DiffCase(a => { a.cmp(AssemblerRegisters.rax, AssemblerRegisters.rbx); a.inc(AssemblerRegisters.rcx); a.adc(AssemblerRegisters.rdx, 0); })
            .In(Register.RAX, Register.RBX));
        set.Add(new DiffCase(a => { a.neg(AssemblerRegisters.rax); a.dec(AssemblerRegisters.bl); a.sbb(AssemblerRegisters.rdx, AssemblerRegisters.rdx); })
            .In(Register.RAX, Register.BL));
        return set;
    }

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);
}
