// Differential cases for Semantics/Data/Moves.cs: mov (all sizes and forms, high bytes,
// movabs, segment reads), movzx/movsx/movsxd (register and memory sources), lea (base,
// index, scale, displacement, 32- and 16-bit destinations, 0x67 address size), and the
// accumulator sign-extensions cbw/cwde/cdqe/cwd/cdq/cqo.
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;
using static Jitexec.Tests.Differential.Cases.Forms;

namespace Jitexec.Tests.Differential.Cases;

public class MoveCases
{
    private static readonly int[] Sizes = [1, 2, 4, 8];

    public static readonly CaseSet Cases = Build();

    private static CaseSet Build()
    {
        var set = new CaseSet();
        foreach (int size in Sizes)
        {
            int bits = size * 8;
            set.Add(RR(CodeOf($"Mov_rm{bits}_r{bits}"), Gpr(size, 0), Gpr(size, 3)));
            set.Add(RR(CodeOf($"Mov_r{bits}_rm{bits}"), Gpr(size, 10), Gpr(size, 7)));
            set.Add(RM(CodeOf($"Mov_r{bits}_rm{bits}"), Gpr(size, 2), Disp(size, 2), size));
            set.Add(MR(CodeOf($"Mov_rm{bits}_r{bits}"), Disp(size, 1), Gpr(size, 9), size));
            int immBits = Math.Min(bits, 32);
            foreach (int imm in Imms(immBits).Take(3))
            {
                set.Add(RI(CodeOf($"Mov_rm{bits}_imm{immBits}"), Gpr(size, 12), imm));
                set.Add(MI(CodeOf($"Mov_rm{bits}_imm{immBits}"), Disp(size, 0), imm, size));
            }
            if (size < 8) set.Add(RI(CodeOf($"Mov_r{bits}_imm{bits}"), Gpr(size, 13), Imms(immBits)[2]));
        }
        set.Add(new DiffCase(a => a.mov(rcx, 0x8000_0000_1234_5678UL)).In(Register.RCX));
        set.Add(new DiffCase(a => a.mov(r8d, 0xFFFF_FFFFU)).In(Register.R8));
        set.Add(RR(Code.Mov_rm8_r8, Register.AH, Register.BH));
        set.Add(RR(Code.Mov_rm8_r8, Register.CL, Register.DH));
        set.Add(RR(Code.Mov_r8_rm8, Register.CH, Register.AL));
        set.Add(RI(Code.Mov_r8_imm8, Register.DH, -0x80));
        set.Add(Insn(Instruction.Create(Code.Mov_r8_rm8, Register.BH, MemRsi(Disp(1, 2)))).PointAtBuffer(Register.RSI).In(Register.BH));
        set.Add(Insn(Instruction.Create(Code.Mov_rm8_r8, MemRsi(Disp(1, 1)), Register.AH)).PointAtBuffer(Register.RSI).In(Register.AH));
        // Indexed and absolute-ish addressing: the index is made small so the access stays in the buffer.
        set.Add(new DiffCase(a => a.mov(rax, __qword_ptr[r15 + rcx * 8 + 3])).With(s => s.Gpr[1] &= 0x1F));
        set.Add(new DiffCase(a => a.mov(__dword_ptr[r15 + rdx * 2 - 1], ebx)).In(Register.EBX).With(s => s.Gpr[2] = 1 + (s.Gpr[2] & 0x7F)));
        set.Add(new DiffCase(a => a.mov(__word_ptr[r15 + rdx * 4 + 7], 0x1234)).With(s => s.Gpr[2] &= 0x3F));
        // Far from the buffer (checked by MemoryCheck), rip-relative data, code straddling a page.
        set.Add(new DiffCase(a => { a.mov(__qword_ptr[r15 + 0x1000], rax); a.mov(ebx, __dword_ptr[r15 - 0xF80]); }).In(Register.RAX));
        set.Add(new DiffCase(a =>
        {
            Label d = a.CreateLabel(), d4 = a.CreateLabel(), e = a.CreateLabel();
            a.mov(rax, __qword_ptr[d]); a.add(__dword_ptr[d4], ebx); a.mov(rcx, __qword_ptr[d]); a.jmp(e);
            a.Label(ref d); a.dd(0x44332211);
            a.Label(ref d4); a.dd(0x88776655);
            a.Label(ref e);
        }).Named("mov rax,[rip+D]; add [rip+D+4],ebx; mov rcx,[rip+D]; jmp E; D: dq; E:").In(Register.EBX));
        foreach (int before in new[] { 1, 3, 7 })
            set.Add(new DiffCase(a => { a.mov(rax, 0x1122334455667788UL); a.add(rax, rbx); a.mov(__dword_ptr[r15 + 0x77], 0x12345678); a.xor(ecx, eax); })
                .StraddleCodePage(before).Named($"movabs/add/mov/xor straddling a code page ({before} bytes before)").In(Register.RBX));

        // Segment register reads (cs/ss/ds selectors).
        set.Add(Insn(Instruction.Create(Code.Mov_r32m16_Sreg, Register.EAX, Register.CS)).In(Register.RAX));
        set.Add(Insn(Instruction.Create(Code.Mov_r64m16_Sreg, Register.RBX, Register.SS)).In(Register.RBX));
        set.Add(Insn(Instruction.Create(Code.Mov_rm16_Sreg, Register.CX, Register.DS)).In(Register.RCX));
        set.Add(Insn(Instruction.Create(Code.Mov_r32m16_Sreg, Register.EDX, Register.ES)).In(Register.RDX));
        set.Add(Insn(Instruction.Create(Code.Mov_r64m16_Sreg, Register.RSI, Register.FS)).In(Register.RSI));
        set.Add(Insn(Instruction.Create(Code.Mov_r32m16_Sreg, Register.EDI, Register.GS)).In(Register.RDI));
        set.Add(Insn(Instruction.Create(Code.Mov_rm16_Sreg, Mem(Disp(2, 2)), Register.SS)).InMem(Disp(2, 2), 2));

        // movzx / movsx / movsxd.
        foreach (var m in new[] { "Movzx", "Movsx" })
            foreach (int dst in new[] { 2, 4, 8 })
                foreach (int src in new[] { 1, 2 })
                {
                    if (src >= dst) continue;
                    Code c = CodeOf($"{m}_r{dst * 8}_rm{src * 8}");
                    set.Add(RR(c, Gpr(dst, 0), Gpr(src, 3)));
                    set.Add(RR(c, Gpr(dst, 9), Gpr(src, 9)));
                    set.Add(RM(c, Gpr(dst, 6), Disp(src, 2), src));
                    if (src == 1 && dst < 8) set.Add(RR(c, Gpr(dst, 2), Register.AH));
                }
        set.Add(RR(Code.Movsxd_r64_rm32, Register.RAX, Register.ECX));
        set.Add(RR(Code.Movsxd_r64_rm32, Register.R12, Register.R12D));
        set.Add(RM(Code.Movsxd_r64_rm32, Register.RDX, Disp(4, 2), 4));
        set.Add(RR(Code.Movsxd_r32_rm32, Register.EAX, Register.EDX));
        set.Add(RR(Code.Movsxd_r16_rm16, Register.AX, Register.DX));

        // lea: pure address arithmetic, so random registers are fine.
        set.Add(new DiffCase(a => a.lea(rax, __[rbx + rcx * 4 + 0x7FFFFFF0])).In(Register.RBX, Register.RCX));
        set.Add(new DiffCase(a => a.lea(rax, __[rbx + rcx - 0x80000000])).In(Register.RBX, Register.RCX));
        set.Add(new DiffCase(a => a.lea(r9, __[r13 + r12 * 8])).In(Register.R13, Register.R12));
        set.Add(new DiffCase(a => a.lea(rdx, __[rdx * 2 + 5])).In(Register.RDX));
        set.Add(new DiffCase(a => a.lea(rsi, __[rsp + 8])));
        set.Add(new DiffCase(a => a.lea(rdi, __[rbp - 1])).In(Register.RBP));
        set.Add(new DiffCase(a => a.lea(eax, __[rbx + rcx * 2 + 1])).In(Register.RBX, Register.RCX));
        set.Add(new DiffCase(a => a.lea(eax, __[ebx + ecx * 8 - 3])).In(Register.RBX, Register.RCX));
        set.Add(new DiffCase(a => a.lea(rax, __[ebx + ecx])).In(Register.RBX, Register.RCX));
        set.Add(new DiffCase(a => a.lea(ax, __[rbx + rcx + 0x1234])).In(Register.RBX, Register.RCX));
        set.Add(new DiffCase(a => { var l = a.CreateLabel(); a.lea(rcx, __[l]); a.Label(ref l); a.nop(); }).Named("lea rcx,[rip+0]; nop"));

        // Accumulator sign extensions.
        set.Add(new DiffCase(a => a.cbw()).In(Register.RAX));
        set.Add(new DiffCase(a => a.cwde()).In(Register.RAX));
        set.Add(new DiffCase(a => a.cdqe()).In(Register.RAX));
        set.Add(new DiffCase(a => a.cwd()).In(Register.RAX, Register.RDX));
        set.Add(new DiffCase(a => a.cdq()).In(Register.RAX, Register.RDX));
        set.Add(new DiffCase(a => a.cqo()).In(Register.RAX, Register.RDX));
        return set;
    }

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);
}
