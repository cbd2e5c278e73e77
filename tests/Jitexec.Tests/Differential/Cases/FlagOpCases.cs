// Differential cases for Semantics/Platform/FlagOps.cs: clc stc cmc cld std lahf sahf and
// pushf/popf (64- and 16-bit). popf inputs are random images with TF and AC cleared (TF
// would single-step-trap the native run, AC would enable alignment checks); NT, ID, IF,
// IOPL, RF, VM, VIF, VIP and reserved bits are random so the writable mask is checked. The
// image popf produced is captured with pushfq; NT and DF are then cleared again so the
// native stub returns to managed code with sane flags.
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Differential.Cases;

public class FlagOpCases
{
    private const ulong Unsafe = 0x100 | 0x40000; // TF, AC

    public static readonly CaseSet Cases = Build();

    private static void ClearNtDf(Assembler a)
    {
        a.pushfq();
        a.and(__qword_ptr[rsp], ~0x4400);
        a.popfq();
    }

    private static void RandomImage(MachineState s, Random r) =>
        s.Gpr[0] = ((ulong)r.NextInt64() & 0xFFFFFFFF & ~Unsafe) | (r.Next(4) == 0 ? 0x4000UL : 0) | (r.Next(4) == 0 ? 0x200000UL : 0);

    private static CaseSet Build() => new()
    {
        new DiffCase(a => a.clc()),
        new DiffCase(a => a.stc()),
        new DiffCase(a => a.cmc()),
        new DiffCase(a => a.cld()),
        new DiffCase(a => { a.std(); a.pushfq(); a.pop(rbx); a.cld(); }),
        new DiffCase(a => { a.stc(); a.cmc(); a.cmc(); }),
        new DiffCase(a => { a.add(rax, rbx); a.cmc(); }).In(Register.RAX, Register.RBX),
        new DiffCase(a => { a.sub(ecx, edx); a.clc(); a.adc(ecx, 0); }).In(Register.ECX, Register.EDX),
        new DiffCase(a => a.lahf()),
        new DiffCase(a => { a.cmp(al, bl); a.lahf(); }).In(Register.AL, Register.BL),
        new DiffCase(a => a.sahf()).In(Register.AH),
        new DiffCase(a => { a.inc(rdx); a.sahf(); a.pushfq(); a.pop(rbx); }).In(Register.AH, Register.RDX),
        new DiffCase(a => { a.pushfq(); a.pop(rbx); }),
        new DiffCase(a => { a.cmp(rcx, rdx); a.pushfq(); }).In(Register.RCX, Register.RDX),
        new DiffCase(a => { a.db(0x66, 0x9C); a.pop(bx); }).Named("pushfw; pop bx"),
        new DiffCase(a => { a.push(rax); a.popfq(); a.pushfq(); a.pop(rbx); ClearNtDf(a); }).Named("push rax; popfq; pushfq; pop rbx")
            .With(RandomImage),
        new DiffCase(a => { a.push(ax); a.db(0x66, 0x9D); a.pushfq(); a.pop(rbx); ClearNtDf(a); }).Named("push ax; popfw; pushfq; pop rbx")
            .With(RandomImage),
        new DiffCase(a => { a.push(rax); a.popfq(); ClearNtDf(a); a.lahf(); }).Named("push rax; popfq; lahf").With(RandomImage),
    };

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);
}
