// Differential cases for Semantics/Integer/BitOps.cs: bt bts btr btc with register and
// imm8 bit offsets on register and memory operands at 16/32/64 bits (a register offset on
// memory is a signed index that reaches words before and after the operand; it is steered
// to stay inside the data buffer), lock-prefixed memory forms, bsf/bsr (zero source keeps
// the destination), and bswap r16/r32/r64.
using Iced.Intel;
using Xunit;
using static Jitexec.Tests.Differential.Cases.Forms;

namespace Jitexec.Tests.Differential.Cases;

public class BitOpCases
{
    private static readonly int[] Sizes = [2, 4, 8];
    public static readonly CaseSet Cases = Build();

    private static CaseSet Build()
    {
        var set = new CaseSet();
        foreach (var m in new[] { "Bt", "Bts", "Btr", "Btc" })
            foreach (int size in Sizes)
            {
                int bits = size * 8;
                Code rr = CodeOf($"{m}_rm{bits}_r{bits}"), ri = CodeOf($"{m}_rm{bits}_imm8");
                set.Add(RR(rr, Gpr(size, 0), Gpr(size, 3)));
                set.Add(RR(rr, Gpr(size, 9), Gpr(size, 9)));
                foreach (int imm in new[] { 0, 5, bits - 1, bits, bits + 3, 255 }) set.Add(RI(ri, Gpr(size, 12), imm));
                foreach (int imm in new[] { 3, bits + 1, 255 }) set.Add(MI(ri, Disp(size, 0), imm, size));
                set.Add(MI(ri, Disp(size, 2), bits / 2 + 1, size));  // straddles the page boundary
                set.Add(MemOffset(Instruction.Create(rr, Mem(Disp(size, 0)), Gpr(size, 2)), size, 2));
                set.Add(MemOffset(Instruction.Create(rr, Mem(Disp(size, 1)), Gpr(size, 10)), size, 10));
                if (m != "Bt")
                {
                    var locked = Instruction.Create(rr, Mem(Disp(size, 0)), Gpr(size, 6));
                    locked.HasLockPrefix = true;
                    set.Add(MemOffset(locked, size, 6));
                    var lockedImm = Instruction.Create(ri, Mem(Disp(size, 0)), bits - 3);
                    lockedImm.HasLockPrefix = true;
                    set.Add(Insn(lockedImm).InMem(Disp(size, 0), size));
                }
            }
        foreach (var m in new[] { "Bsf", "Bsr" })
            foreach (int size in Sizes)
            {
                int bits = size * 8;
                Code c = CodeOf($"{m}_r{bits}_rm{bits}");
                set.Add(RR(c, Gpr(size, 0), Gpr(size, 1)).Iter(300));
                set.Add(RR(c, Gpr(size, 5), Gpr(size, 5)));
                set.Add(RM(c, Gpr(size, 14), Disp(size, 1), size));
                // Mostly-zero sources: the zero case must keep the destination (even its upper half).
                set.Add(RR(c, Gpr(size, 2), Gpr(size, 8)).With((s, r) => { if (r.Next(2) == 0) s.Gpr[8] &= ~Mask(size); }));
            }
        foreach (int size in Sizes)
        {
            Code c = CodeOf($"Bswap_r{size * 8}");
            set.Add(R(c, Gpr(size, 0)));
            set.Add(R(c, Gpr(size, 13)));
        }
        return set;
    }

    private static ulong Mask(int size) => size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;

    /// <summary>
    /// A bit-string op on [r15+disp] with a register offset in GPR <paramref name="reg"/>: the
    /// offset is a random signed bit index kept inside the 256-byte buffer; bits above the
    /// operand size stay random (the CPU must ignore them).
    /// </summary>
    private static DiffCase MemOffset(Instruction i, int size, int reg)
    {
        int disp = (int)i.MemoryDisplacement64;
        int lowest = -disp * 8, highest = (Sandbox.BufferSize - disp - size) * 8;
        return Insn(i).InMem(disp, size).Iter(300).With((s, r) =>
        {
            long off = r.Next(8) == 0 ? r.Next(-8, 8 * size + 8) : r.Next(lowest, highest);
            s.Gpr[reg] = (s.Gpr[reg] & ~Mask(size)) | ((ulong)off & Mask(size));
        });
    }

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);
}
