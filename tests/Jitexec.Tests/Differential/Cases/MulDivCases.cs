// Differential cases for Semantics/Integer/MulDiv.cs: one-operand mul/imul (register,
// high-byte register, memory) at 8/16/32/64 bits, two- and three-operand imul (imm8 and
// imm16/32, register and memory sources), and div/idiv at every size. Divide inputs are
// steered so most do not fault (the high half reduced below the divisor, or a sign
// extension for idiv) and filtered with an exact BigInteger model so none faults natively;
// faulting inputs (zero divisor, quotient overflow incl. MIN/-1) are checked separately.
using System.Numerics;
using Iced.Intel;
using Jitexec.Translator.Exec;
using Xunit;
using static Iced.Intel.AssemblerRegisters;
using static Jitexec.Tests.Differential.Cases.Forms;

namespace Jitexec.Tests.Differential.Cases;

public class MulDivCases
{
    private static readonly int[] Sizes = [1, 2, 4, 8];
    public static readonly CaseSet Cases = Build();

    private static CaseSet Build()
    {
        var set = new CaseSet();
        foreach (var m in new[] { "Mul", "Imul" })
            foreach (int size in Sizes)
            {
                Code c = CodeOf($"{m}_rm{size * 8}");
                Register acc = Gpr(size, 0);
                set.Add(Insn(Instruction.Create(c, Gpr(size, 3))).In(acc, Gpr(size, 3)));
                set.Add(Insn(Instruction.Create(c, Gpr(size, 10))).In(Gpr(size, 10), acc));
                set.Add(Insn(Instruction.Create(c, acc)).In(acc));                       // squares
                set.Add(Insn(Instruction.Create(c, Gpr(size, 2))).In(acc, Gpr(size, 2))); // rdx is both source and destination
                set.Add(Insn(Instruction.Create(c, Mem(Disp(size, 2)))).In(acc).InMem(Disp(size, 2), size));
                if (size == 1) set.Add(Insn(Instruction.Create(c, Register.AH)).In(Register.AL, Register.AH));
            }
        foreach (int size in new[] { 2, 4, 8 })
        {
            int bits = size * 8;
            Code rr = CodeOf($"Imul_r{bits}_rm{bits}");
            set.Add(RR(rr, Gpr(size, 1), Gpr(size, 7)));
            set.Add(RR(rr, Gpr(size, 12), Gpr(size, 12)));
            set.Add(RM(rr, Gpr(size, 5), Disp(size, 1), size));
            Code i8 = CodeOf($"Imul_r{bits}_rm{bits}_imm8");
            Code iw = CodeOf($"Imul_r{bits}_rm{bits}_imm{Math.Min(bits, 32)}");
            foreach (int imm in Imms(8)) set.Add(Insn(Instruction.Create(i8, Gpr(size, 0), Gpr(size, 3), imm)).In(Gpr(size, 3)));
            foreach (int imm in Imms(Math.Min(bits, 32))) set.Add(Insn(Instruction.Create(iw, Gpr(size, 8), Gpr(size, 8), imm)).In(Gpr(size, 8)));
            set.Add(Insn(Instruction.Create(i8, Gpr(size, 2), Mem(Disp(size, 0)), -3)).InMem(Disp(size, 0), size));
            set.Add(Insn(Instruction.Create(iw, Gpr(size, 6), Mem(Disp(size, 2)), size == 2 ? 0x1234 : 0x12345)).InMem(Disp(size, 2), size));
        }
        foreach (bool signed in new[] { false, true })
            foreach (int size in Sizes)
            {
                Code c = CodeOf($"{(signed ? "Idiv" : "Div")}_rm{size * 8}");
                Register src = Gpr(size, 3);
                set.Add(DivCase(Insn(Instruction.Create(c, src)).In(src, Gpr(size, 0)), signed, size, s => s.Gpr[3]).Iter(400));
                set.Add(DivCase(Insn(Instruction.Create(c, Gpr(size, 9))).In(Gpr(size, 9)), signed, size, s => s.Gpr[9]));
                set.Add(DivCase(Insn(Instruction.Create(c, Mem(Disp(size, 1)))).InMem(Disp(size, 1), size), signed, size,
                    s => BitConverter.ToUInt64(s.Buffer, Disp(size, 1))));
                if (size == 1) set.Add(DivCase(Insn(Instruction.Create(c, Register.BH)).In(Register.BH), signed, 1, s => s.Gpr[3] >> 8));
            }
        return set;
    }

    private static ulong Mask(int size) => size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;

    private static BigInteger Signed(ulong v, int size)
    {
        v &= Mask(size);
        return (v >> (size * 8 - 1)) != 0 ? (BigInteger)v - (BigInteger.One << (size * 8)) : v;
    }

    /// <summary>Dividend (hi, lo) of a div/idiv of <paramref name="size"/> bytes.</summary>
    private static (ulong hi, ulong lo) Dividend(MachineState s, int size) =>
        size == 1 ? ((s.Gpr[0] >> 8) & 0xFF, s.Gpr[0] & 0xFF) : (s.Gpr[2] & Mask(size), s.Gpr[0] & Mask(size));

    /// <summary>True when the division would raise #DE (exact reference model).</summary>
    public static bool Faults(bool signed, int size, ulong hi, ulong lo, ulong divisor)
    {
        int bits = size * 8;
        if (!signed)
        {
            var n = (BigInteger)(hi & Mask(size)) << bits | (lo & Mask(size));
            var d = (BigInteger)(divisor & Mask(size));
            return d.IsZero || n / d > Mask(size);
        }
        var sn = Signed(hi, size) * (BigInteger.One << bits) + (lo & Mask(size));
        var sd = Signed(divisor, size);
        if (sd.IsZero) return true;
        var q = BigInteger.Divide(sn, sd);                      // truncates toward zero
        return q >= BigInteger.One << (bits - 1) || q < -(BigInteger.One << (bits - 1));
    }

    /// <summary>Steer inputs toward a non-faulting division and filter out the rest.</summary>
    private static DiffCase DivCase(DiffCase c, bool signed, int size, Func<MachineState, ulong> divisor) =>
        c.With((s, r) =>
        {
            ulong d = divisor(s) & Mask(size);
            if (d == 0 || r.Next(8) == 0) return;               // leave some inputs untouched (the filter decides)
            ulong hiMask = Mask(size);
            ulong hi;
            if (!signed) hi = ((size == 1 ? (s.Gpr[0] >> 8) : s.Gpr[2]) & hiMask) % d;
            else
            {
                // Sign-extend the low half into the high half, sometimes nudged by one.
                ulong lo = size == 1 ? s.Gpr[0] & 0xFF : s.Gpr[0] & hiMask;
                hi = (lo >> (size * 8 - 1)) != 0 ? hiMask : 0;
                if (r.Next(4) == 0) hi = (hi + (ulong)r.Next(-1, 2)) & hiMask;
            }
            if (size == 1) s.Gpr[0] = (s.Gpr[0] & ~0xFF00UL) | (hi & 0xFF) << 8;
            else s.Gpr[2] = (s.Gpr[2] & ~hiMask) | hi;
        }).Where(s =>
        {
            var (hi, lo) = Dividend(s, size);
            return !Faults(signed, size, hi, lo, divisor(s));
        });

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);

    public static TheoryData<Tier> TierData() => new(Tiers.All);

    /// <summary>#DE cases: zero divisor and quotient overflow at every size, signed and unsigned.</summary>
    [Theory, MemberData(nameof(TierData))]
    public void DivideErrors(Tier tier)
    {
        // (hi, lo, divisor) triples that fault for both div and idiv unless noted.
        foreach (int size in Sizes)
        {
            ulong m = Mask(size), top = 1UL << (size * 8 - 1);
            var cases = new List<(bool signed, ulong hi, ulong lo, ulong d)>
            {
                (false, 0, 5, 0), (true, 0, 5, 0),             // zero divisor
                (false, 1, 0, 1), (false, m, m, m),            // quotient >= 2^bits
                (false, 7, 0, 7),
                (true, m, top, m),                             // MIN / -1
                (true, 0, top, 1),                             // +2^(bits-1) / 1
                (true, 1, 0, 2), (true, m - 1, 0, m),          // large positive / negative quotients
            };
            foreach (var (signed, hi, lo, d) in cases)
            {
                Assert.True(Faults(signed, size, hi, lo, d), $"model: {signed} {size} {hi:x}:{lo:x}/{d:x}");
                Code c = CodeOf($"{(signed ? "Idiv" : "Div")}_rm{size * 8}");
                var fault = DiffRunner.AssertFaults(tier, a => { a.nop(); a.AddInstruction(Instruction.Create(c, Gpr(size, 3))); }, s =>
                {
                    if (size == 1) s.Gpr[0] = (s.Gpr[0] & ~0xFFFFUL) | (hi & 0xFF) << 8 | (lo & 0xFF);
                    else { s.Gpr[0] = (s.Gpr[0] & ~m) | lo; s.Gpr[2] = (s.Gpr[2] & ~m) | hi; }
                    s.Gpr[3] = (s.Gpr[3] & ~m) | d;
                }, GuestFault.SIGFPE);
                Assert.Equal(Sandbox.Code + 1, fault.Rip);
            }
        }
        // Memory divisor of zero.
        DiffRunner.AssertFaults(tier, a => a.div(__qword_ptr[r15 + 8]), s => Array.Clear(s.Buffer, 8, 8), GuestFault.SIGFPE);
    }
}
