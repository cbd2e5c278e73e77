// Differential cases for Semantics/Integer/Conditional.cs: setcc and cmovcc for all 16
// conditions. Single instructions see random materialised flags; compare/test sequences
// exercise the lazy-flag paths (Flags.Cond's sub fast path, logic results). cmovcc covers
// 16/32/64-bit register and memory sources (a false 32-bit cmov still zero-extends).
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;
using static Jitexec.Tests.Differential.Cases.Forms;

namespace Jitexec.Tests.Differential.Cases;

public class ConditionalCases
{
    public static readonly string[] Conds = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"];
    private static readonly int[] Sizes = [1, 2, 4, 8];
    public static readonly CaseSet Cases = Build();

    private static CaseSet Build()
    {
        var set = new CaseSet();
        foreach (var cc in Conds)
        {
            Code set8 = CodeOf($"Set{cc}_rm8");
            set.Add(Insn(Instruction.Create(set8, Register.AL)).In(Register.AL).Iter(100));
            set.Add(Insn(Instruction.Create(set8, Register.AH)).Iter(50));
            set.Add(Insn(Instruction.Create(set8, Register.R9L)).Iter(50));
            set.Add(Insn(Instruction.Create(set8, Mem(Disp(1, 1)))).Iter(50));
            foreach (int size in Sizes)
            {
                var x = Gpr(size, 0); var y = Gpr(size, 3);
                set.Add(Seq(a => { a.AddInstruction(Instruction.Create(CodeOf($"Cmp_rm{size * 8}_r{size * 8}"), x, y)); a.AddInstruction(Instruction.Create(set8, Register.CL)); }, x, y));
            }
            set.Add(Seq(a => { a.test(rax, rbx); a.AddInstruction(Instruction.Create(set8, Register.DL)); }, Register.RAX, Register.RBX));
            set.Add(Seq(a => { a.add(eax, ebx); a.AddInstruction(Instruction.Create(set8, Register.DL)); }, Register.EAX, Register.EBX));
            set.Add(Seq(a => { a.dec(si); a.AddInstruction(Instruction.Create(set8, Register.DL)); }, Register.SI));

            foreach (int size in new[] { 2, 4, 8 })
            {
                int bits = size * 8;
                Code cm = CodeOf($"Cmov{cc}_r{bits}_rm{bits}");
                set.Add(Insn(Instruction.Create(cm, Gpr(size, 0), Gpr(size, 3))).Iter(100));
                set.Add(Insn(Instruction.Create(cm, Gpr(size, 11), Mem(Disp(size, 2)))).Iter(100));
                set.Add(Seq(a => { a.cmp(rdx, rsi); a.AddInstruction(Instruction.Create(cm, Gpr(size, 0), Gpr(size, 1))); }, Register.RDX, Register.RSI));
            }
        }
        return set;
    }

    private static DiffCase Seq(Action<Assembler> code, params Register[] inputs) => new DiffCase(code).In(inputs).Iter(60);

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);
}
