// Differential cases for Semantics/Integer/Shifts.cs: shl sal shr sar rol ror rcl rcr in
// their by-1, by-imm8 and by-CL forms (register, high-byte register and memory operands)
// at 8/16/32/64 bits, and shld/shrd (imm8 and CL, register and memory) at 16/32/64 bits.
// Counts cover 0 (flags untouched, 32-bit still zero-extends), 1 (OF defined), the operand
// width and its neighbours, the 5/6-bit mask and the rcl/rcr modulo-9/17 wrap.
using Iced.Intel;
using Xunit;
using static Jitexec.Tests.Differential.Cases.Forms;

namespace Jitexec.Tests.Differential.Cases;

public class ShiftCases
{
    private static readonly string[] Rotates = ["Rol", "Ror", "Rcl", "Rcr"];
    private static readonly string[] Shifts = ["Shl", "Sal", "Shr", "Sar"];
    private static readonly int[] Sizes = [1, 2, 4, 8];

    /// <summary>Counts worth testing, fed into CL or used as imm8.</summary>
    public static readonly int[] Counts = [0, 1, 2, 7, 8, 9, 15, 16, 17, 18, 31, 32, 33, 63, 64, 65, 127, 255];

    public static readonly CaseSet Cases = Build();

    /// <summary>Set CL to one of <see cref="Counts"/> (keeps the rest of rcx random).</summary>
    public static DiffCase CountInCl(DiffCase c) =>
        c.With((s, r) => s.Gpr[1] = (s.Gpr[1] & ~0xFFUL) | (uint)Counts[r.Next(Counts.Length)]);

    private static CaseSet Build()
    {
        var set = new CaseSet();
        foreach (var m in Shifts.Concat(Rotates))
        {
            foreach (int size in Sizes)
            {
                int bits = size * 8;
                Code by1 = CodeOf($"{m}_rm{bits}_1"), byImm = CodeOf($"{m}_rm{bits}_imm8"), byCl = CodeOf($"{m}_rm{bits}_CL");
                Register d = Gpr(size, 0), d2 = Gpr(size, 11);
                set.Add(RI(by1, d, 1));
                set.Add(M1(by1, Disp(size, 1), size));
                foreach (int n in Counts) set.Add(RI(byImm, d2, n));
                set.Add(MI(byImm, Disp(size, 2), 5, size));
                set.Add(MI(byImm, Disp(size, 0), bits - 1, size));
                set.Add(RR(byCl, d, Register.CL));                       // edge values in the destination and CL
                set.Add(CountInCl(Insn(Instruction.Create(byCl, d2, Register.CL)).In(d2)).Iter(400));
                set.Add(CountInCl(Insn(Instruction.Create(byCl, Mem(Disp(size, 1)), Register.CL)).InMem(Disp(size, 1), size)));
                // A shift of rcx by cl (source and destination overlap).
                set.Add(CountInCl(Insn(Instruction.Create(byCl, Gpr(size, 1), Register.CL)).In(Gpr(size, 1))));
            }
            set.Add(RI(CodeOf($"{m}_rm8_1"), Register.AH, 1));
            set.Add(RR(CodeOf($"{m}_rm8_CL"), Register.BH, Register.CL));
            set.Add(CountInCl(Insn(Instruction.Create(CodeOf($"{m}_rm8_CL"), Register.CH, Register.CL)).In(Register.CH)));
            set.Add(RI(CodeOf($"{m}_rm8_imm8"), Register.DH, 3));
        }
        foreach (var m in new[] { "Shld", "Shrd" })
            foreach (int size in new[] { 2, 4, 8 })
            {
                int bits = size * 8;
                Code imm = CodeOf($"{m}_rm{bits}_r{bits}_imm8"), cl = CodeOf($"{m}_rm{bits}_r{bits}_CL");
                Register d = Gpr(size, 0), s = Gpr(size, 2);
                foreach (int n in Counts)
                    set.Add(Insn(Instruction.Create(imm, d, s, n)).In(d, s));
                set.Add(CountInCl(Insn(Instruction.Create(cl, d, s, Register.CL)).In(d, s)).Iter(500));
                set.Add(Insn(Instruction.Create(cl, Gpr(size, 9), Gpr(size, 13), Register.CL)).In(Register.CL, Gpr(size, 9)).In(Gpr(size, 13)));
                set.Add(Insn(Instruction.Create(imm, Mem(Disp(size, 2)), s, 7)).InMem(Disp(size, 2), size).In(s));
                set.Add(CountInCl(Insn(Instruction.Create(cl, Mem(Disp(size, 0)), s, Register.CL)).InMem(Disp(size, 0), size).In(s)));
                // Destination and source the same register: a rotate.
                set.Add(CountInCl(Insn(Instruction.Create(cl, Gpr(size, 6), Gpr(size, 6), Register.CL)).In(Gpr(size, 6))));
            }
        // Flag chains: a count-0 shift must leave the previous op's (lazy) flags intact;
        // rcl/rcr consume the carry of the previous op.
        set.Add(new DiffCase(a => { a.add(AssemblerRegisters.rax, AssemblerRegisters.rbx); a.shl(AssemblerRegisters.rdx, AssemblerRegisters.cl); })
            .In(Register.RAX, Register.RBX).With(s => s.Gpr[1] &= ~0x3FUL));
        set.Add(new DiffCase(a => { a.sub(AssemblerRegisters.eax, AssemblerRegisters.ebx); a.rol(AssemblerRegisters.edx, AssemblerRegisters.cl); })
            .In(Register.EAX, Register.EBX).With((s, r) => s.Gpr[1] = (uint)Counts[r.Next(Counts.Length)]));
        set.Add(new DiffCase(a => { a.cmp(AssemblerRegisters.rax, AssemblerRegisters.rbx); a.rcl(AssemblerRegisters.rdx, 1); a.rcr(AssemblerRegisters.si, 3); })
            .In(Register.RAX, Register.RBX));
        set.Add(new DiffCase(a => { a.sub(AssemblerRegisters.al, AssemblerRegisters.bl); a.rcr(AssemblerRegisters.cl, 9); })
            .In(Register.AL, Register.BL));
        return set;
    }

    private static DiffCase M1(Code c, int disp, int size) => Insn(Instruction.Create(c, Mem(disp), 1)).InMem(disp, size);

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);
}
