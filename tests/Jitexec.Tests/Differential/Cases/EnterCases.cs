// Differential cases for the forms Semantics/Data/Stack.cs gained besides push/pop/leave:
// enter with nesting levels 0-4 and 31 (64-bit and 16-bit operand size), enter + leave
// pairs, and push fs/gs (selectors read 0). rbp starts inside the compared stack window
// (aligned or not) so the frame-pointer copies of nested enter come from compared bytes.
// pop fs/gs is not run natively: loading a null selector clears the fs base on Intel.
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Differential.Cases;

public class EnterCases
{
    public static readonly CaseSet Cases = Build();

    private static void RbpInWindow(MachineState s, Random r) =>
        s.Gpr[5] = Sandbox.StackTop - 96 + (ulong)r.Next(0, 200) / (r.Next(2) == 0 ? 8u : 1u) * (r.Next(2) == 0 ? 8u : 1u);

    private static CaseSet Build()
    {
        var set = new CaseSet();
        foreach (int level in new[] { 0, 1, 2, 3, 4, 31 })
            foreach (int alloc in new[] { 0, 0x18, 0x1001 })
            {
                set.Add(new DiffCase(a => a.AddInstruction(Instruction.Create(Code.Enterq_imm16_imm8, alloc, level))).With(RbpInWindow));
                if (alloc == 0x18)
                    set.Add(new DiffCase(a => a.AddInstruction(Instruction.Create(Code.Enterw_imm16_imm8, alloc, level))).With(RbpInWindow));
            }
        set.Add(new DiffCase(a => { a.enter(0x20, 0); a.mov(__qword_ptr[rbp - 8], rdi); a.leave(); }).In(Register.RDI).With(RbpInWindow));
        set.Add(new DiffCase(a => { a.enter(8, 2); a.push(rbx); a.leave(); }).With(RbpInWindow));
        set.Add(new DiffCase(a => { a.push(fs); a.pop(rax); }));
        set.Add(new DiffCase(a => { a.push(gs); a.pop(rcx); }));
        set.Add(new DiffCase(a => { a.push(fs); a.push(gs); }));
        set.Add(new DiffCase(a => { a.db(0x66, 0x0F, 0xA0); a.pop(dx); }).Named("pushw fs; pop dx"));
        set.Add(new DiffCase(a => { a.db(0x66, 0x0F, 0xA8); a.db(0x66, 0x0F, 0xA0); }).Named("pushw gs; pushw fs"));
        return set;
    }

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);
}
