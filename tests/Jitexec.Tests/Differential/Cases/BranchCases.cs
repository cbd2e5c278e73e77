// Differential cases for Semantics/Control/Branches.cs: all 16 jcc conditions after each
// kind of flag producer (cmp/sub/add/adc/sbb/and/test/inc/dec/neg at several sizes, and
// raw random input flags), plus jmp/call/ret direct and indirect, jrcxz/jecxz, loop/loope/loopne.
// Shape: `producer; jcc L; mov ecx, 1; L:` so rcx records whether the branch was taken.
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Differential.Cases;

public class BranchCases
{
    private static readonly (string name, Action<Assembler, Label> jcc)[] Conditions =
    [
        ("jo", (a, l) => a.jo(l)), ("jno", (a, l) => a.jno(l)), ("jb", (a, l) => a.jb(l)), ("jae", (a, l) => a.jae(l)),
        ("je", (a, l) => a.je(l)), ("jne", (a, l) => a.jne(l)), ("jbe", (a, l) => a.jbe(l)), ("ja", (a, l) => a.ja(l)),
        ("js", (a, l) => a.js(l)), ("jns", (a, l) => a.jns(l)), ("jp", (a, l) => a.jp(l)), ("jnp", (a, l) => a.jnp(l)),
        ("jl", (a, l) => a.jl(l)), ("jge", (a, l) => a.jge(l)), ("jle", (a, l) => a.jle(l)), ("jg", (a, l) => a.jg(l)),
    ];

    private static readonly (Action<Assembler> op, Register[] inputs)[] Producers =
    [
        (a => a.cmp(rax, rbx), [Register.RAX, Register.RBX]),
        (a => a.cmp(eax, ebx), [Register.EAX, Register.EBX]),
        (a => a.cmp(ax, bx), [Register.AX, Register.BX]),
        (a => a.cmp(al, bl), [Register.AL, Register.BL]),
        (a => a.cmp(rax, -1), [Register.RAX]),
        (a => a.cmp(__dword_ptr[r15 + 4], edx), [Register.EDX]),
        (a => a.sub(rax, rbx), [Register.RAX, Register.RBX]),
        (a => a.add(rax, rbx), [Register.RAX, Register.RBX]),
        (a => a.add(ebx, eax), [Register.EBX, Register.EAX]),
        (a => a.adc(al, bl), [Register.AL, Register.BL]),
        (a => a.sbb(eax, ebx), [Register.EAX, Register.EBX]),
        (a => a.test(rax, rbx), [Register.RAX, Register.RBX]),
        (a => a.test(al, al), [Register.AL]),
        (a => a.and(eax, ebx), [Register.EAX, Register.EBX]),
        (a => a.xor(rax, rbx), [Register.RAX, Register.RBX]),
        (a => a.inc(rax), [Register.RAX]),
        (a => a.dec(ax), [Register.AX]),
        (a => a.neg(eax), [Register.EAX]),
        (a => a.nop(), []), // conditions on the random input flags
    ];

    public static readonly CaseSet Cases = Build();

    private static CaseSet Build()
    {
        var set = new CaseSet();
        foreach (var (op, inputs) in Producers)
            foreach (var (_, jcc) in Conditions)
                set.Add(new DiffCase(a =>
                {
                    var l = a.CreateLabel();
                    op(a);
                    jcc(a, l);
                    a.mov(ecx, 1);
                    a.Label(ref l);
                }).In(inputs).Iter(100));

        // Taken/not-taken with both paths writing, and a backwards branch.
        set.Add(new DiffCase(a =>
        {
            Label t = a.CreateLabel(), e = a.CreateLabel();
            a.cmp(rdi, rsi); a.jg(t); a.mov(edx, 1); a.jmp(e);
            a.Label(ref t); a.mov(edx, 2);
            a.Label(ref e);
        }).Named("cmp rdi,rsi; jg T; mov edx,1; jmp E; T: mov edx,2; E:").In(Register.RDI, Register.RSI));
        set.Add(new DiffCase(a =>
        {
            Label top = a.CreateLabel();
            a.Label(ref top); a.add(eax, 3); a.dec(ecx); a.jnz(top);
        }).Named("L: add eax,3; dec ecx; jnz L").With(s => s.Gpr[1] = 1 + (s.Gpr[1] & 15)));

        // jrcxz / jecxz.
        set.Add(new DiffCase(a => { var l = a.CreateLabel(); a.jrcxz(l); a.mov(edx, 1); a.Label(ref l); }).Named("jrcxz L; mov edx,1; L:").In(Register.RCX));
        set.Add(new DiffCase(a => { var l = a.CreateLabel(); a.AddInstruction(Instruction.CreateBranch(Code.Jecxz_rel8_64, l.Id)); a.mov(edx, 1); a.Label(ref l); }).Named("jecxz L; mov edx,1; L:").In(Register.RCX));
        // loop / loope / loopne: rcx kept small and non-zero so the loop terminates.
        foreach (var (name, emit) in new (string, Action<Assembler, Label>)[]
                 { ("loop", (a, l) => a.loop(l)), ("loope", (a, l) => a.loope(l)), ("loopne", (a, l) => a.loopne(l)) })
            set.Add(new DiffCase(a =>
            {
                Label top = a.CreateLabel();
                a.Label(ref top); a.add(eax, 1); a.cmp(eax, ebx); emit(a, top);
            }).Named($"L: add eax,1; cmp eax,ebx; {name} L").In(Register.RAX, Register.RBX).With(s =>
            {
                s.Gpr[1] = 1 + (s.Gpr[1] & 7); // small non-zero count: loop decrements all of rcx
                if ((s.Gpr[0] & 1) == 0) s.Gpr[3] = s.Gpr[0] + 1 + (s.Gpr[3] & 3); // sometimes hit equality early
            }));

        // Address-size prefix: loop/jecxz count with ecx only (upper rcx bits random).
        set.Add(new DiffCase(a =>
        {
            Label top = a.CreateLabel();
            a.Label(ref top); a.add(eax, 1); a.AddInstruction(Instruction.CreateBranch(Code.Loop_rel8_64_ECX, top.Id));
        }).Named("L: add eax,1; loopd L (ecx)").In(Register.RAX).With(s => s.Gpr[1] = (s.Gpr[1] & ~0xFFFF_FFFFUL) | (1 + (s.Gpr[1] & 7))));

        // Unconditional and indirect transfers.
        set.Add(new DiffCase(a => { var l = a.CreateLabel(); a.jmp(l); a.mov(ecx, 1); a.Label(ref l); }).Named("jmp L; mov ecx,1; L:"));
        set.Add(new DiffCase(a => { var l = a.CreateLabel(); a.lea(rax, __[l]); a.jmp(rax); a.mov(ecx, 1); a.Label(ref l); })
            .Named("lea rax,[L]; jmp rax; mov ecx,1; L:"));
        set.Add(new DiffCase(a =>
        {
            var l = a.CreateLabel();
            a.lea(rax, __[l]); a.mov(__qword_ptr[r15 + 123], rax); a.jmp(__qword_ptr[r15 + 123]); a.mov(ecx, 1); a.Label(ref l);
        }).Named("lea rax,[L]; mov [r15+123],rax; jmp qword [r15+123]; mov ecx,1; L:"));
        set.Add(new DiffCase(a =>
        {
            Label f = a.CreateLabel(), e = a.CreateLabel();
            a.call(f); a.mov(edx, 1); a.jmp(e);
            a.Label(ref f); a.mov(rax, __qword_ptr[rsp]); a.ret();
            a.Label(ref e);
        }).Named("call F; mov edx,1; jmp E; F: mov rax,[rsp]; ret; E:"));
        set.Add(new DiffCase(a =>
        {
            Label f = a.CreateLabel(), e = a.CreateLabel();
            a.call(f); a.jmp(e);
            a.Label(ref f); a.ret(24);
            a.Label(ref e);
        }).Named("call F; jmp E; F: ret 24; E:"));
        set.Add(new DiffCase(a =>
        {
            Label f = a.CreateLabel(), e = a.CreateLabel();
            a.lea(rbx, __[f]); a.call(rbx); a.jmp(e);
            a.Label(ref f); a.inc(ecx); a.ret();
            a.Label(ref e);
        }).Named("lea rbx,[F]; call rbx; jmp E; F: inc ecx; ret; E:"));
        set.Add(new DiffCase(a =>
        {
            Label f = a.CreateLabel(), e = a.CreateLabel();
            a.lea(rbx, __[f]); a.push(rbx); a.call(__qword_ptr[rsp]); a.pop(rbx); a.jmp(e);
            a.Label(ref f); a.inc(ecx); a.ret();
            a.Label(ref e);
        }).Named("push F; call [rsp]; pop rbx; jmp E; F: inc ecx; ret; E:"));
        return set;
    }

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);
}
