// Differential cases for Semantics/Data/Stack.cs: push/pop of registers, memory,
// immediates (imm8/imm32 sign-extended), 16-bit (0x66) forms, rsp-relative corner cases
// (push rsp, pop rsp, pop [rsp+8]) and leave. Tests run on the sandbox stack; the stack
// window around the initial rsp is compared byte for byte.
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;
using static Jitexec.Tests.Differential.Cases.Forms;

namespace Jitexec.Tests.Differential.Cases;

public class StackCases
{
    public static readonly CaseSet Cases = Build();

    /// <summary>rbp somewhere inside the compared stack window, 8-aligned or not.</summary>
    private static void RbpInWindow(MachineState s, Random r) =>
        s.Gpr[5] = Sandbox.StackTop - 64 + (ulong)r.Next(0, 120) / (r.Next(2) == 0 ? 8u : 1u) * (r.Next(2) == 0 ? 8u : 1u) % 120;

    private static CaseSet Build()
    {
        var set = new CaseSet
        {
            new DiffCase(a => a.push(rax)).In(Register.RAX),
            new DiffCase(a => a.push(r13)).In(Register.R13),
            new DiffCase(a => a.push(rsp)),
            new DiffCase(a => a.pop(rbx)),
            new DiffCase(a => a.pop(r8)),
            new DiffCase(a => a.pop(rsp)),
            new DiffCase(a => { a.push(rax); a.push(rbx); a.pop(rcx); a.pop(rdx); }).In(Register.RAX, Register.RBX),
            new DiffCase(a => a.push(__qword_ptr[r15 + Disp(8, 2)])).InMem(Disp(8, 2), 8),
            new DiffCase(a => a.push(__qword_ptr[rsp])),
            new DiffCase(a => a.push(__qword_ptr[rsp - 8])),
            new DiffCase(a => a.pop(__qword_ptr[r15 + Disp(8, 1)])),
            new DiffCase(a => a.pop(__qword_ptr[rsp])),
            new DiffCase(a => a.pop(__qword_ptr[rsp + 8])),
            new DiffCase(a => a.pop(__qword_ptr[rsp - 8])),
            new DiffCase(a => a.push(ax)).In(Register.RAX),
            new DiffCase(a => a.push(r9w)).In(Register.R9),
            new DiffCase(a => a.pop(cx)),
            new DiffCase(a => a.pop(r10w)),
            new DiffCase(a => a.push(__word_ptr[r15 + Disp(2, 2)])).InMem(Disp(2, 2), 2),
            new DiffCase(a => a.pop(__word_ptr[r15 + Disp(2, 2)])),
            new DiffCase(a => { a.push(ax); a.push(rbx); a.pop(rcx); a.pop(dx); }).In(Register.RAX, Register.RBX),
            new DiffCase(a => a.leave()).With(RbpInWindow),
            new DiffCase(a => { a.push(rbp); a.mov(rbp, rsp); a.sub(rsp, 32); a.mov(__qword_ptr[rbp - 8], rdi); a.leave(); }).In(Register.RBP, Register.RDI),
            new DiffCase(a => { a.push(rbp); a.mov(rbp, rsp); a.push(rbx); a.push(r12); a.leave(); }),
        };
        foreach (int imm in Imms(8))
            set.Add(Insn(Instruction.Create(Code.Pushq_imm8, imm)));
        foreach (int imm in Imms(32))
            set.Add(Insn(Instruction.Create(Code.Pushq_imm32, imm)));
        set.Add(Insn(Instruction.Create(Code.Pushw_imm8, -2)));
        set.Add(Insn(Instruction.Create(Code.Pushq_FS, Register.FS)));
        set.Add(Insn(Instruction.Create(Code.Pushq_GS, Register.GS)));
        set.Add(Insn(Instruction.Create(Code.Push_imm16, 0x8001)));
        return set;
    }

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);
}
