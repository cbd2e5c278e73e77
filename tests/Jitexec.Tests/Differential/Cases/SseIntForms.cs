// Case builders for the SSE integer/data-movement families: XMM register/register and
// register/m128 forms whose inputs get per-lane integer edges (0x80/0x7F/0xFF bytes,
// 0x8000/0x7FFF words, dword and qword sign bits) mixed into random lanes, and "near"
// operands (source lanes copied from the destination) so equal compares and saturation
// boundaries are hit. Memory operands are [r15+disp]; disp 0x40 is 16-byte aligned.
using Iced.Intel;

namespace Jitexec.Tests.Differential.Cases;

public static class SseIntForms
{
    public const Register X1 = Register.XMM1, X2 = Register.XMM2, X3 = Register.XMM3;
    public const int Aligned = 0x40;

    private static readonly ulong[] LanePatterns =
    [
        0x8080808080808080, 0x7F7F7F7F7F7F7F7F, 0xFFFFFFFFFFFFFFFF, 0, 0x0101010101010101,
        0x8000800080008000, 0x7FFF7FFF7FFF7FFF, 0x0001000100010001, 0x00FF00FF00FF00FF, 0xFF00FF00FF00FF00,
        0x800000007FFFFFFF, 0xFFFFFFFF00000001, 0x8000000000000000, 0x7FFFFFFFFFFFFFFF, 0xFF80FF7F0080007F,
    ];

    /// <summary>Mix a lane pattern into a random qword, byte by byte.</summary>
    private static ulong Mix(ulong random, Random rng)
    {
        int k = rng.Next(3);
        if (k == 0) return random;
        ulong pat = LanePatterns[rng.Next(LanePatterns.Length)];
        if (k == 1) return pat;
        ulong m = 0;
        int bits = rng.Next(256);
        for (int i = 0; i < 8; i++) if ((bits >> i & 1) != 0) m |= 0xFFUL << (i * 8);
        return (random & ~m) | (pat & m);
    }

    public static void Lanes(MachineState s, Random rng, int xmm)
    {
        s.Xmm[2 * xmm] = Mix(s.Xmm[2 * xmm], rng);
        s.Xmm[2 * xmm + 1] = Mix(s.Xmm[2 * xmm + 1], rng);
    }

    public static void MemLanes(MachineState s, Random rng, int disp, int size)
    {
        for (int o = 0; o + 8 <= size; o += 8)
            BitConverter.TryWriteBytes(s.Buffer.AsSpan(disp + o), Mix(BitConverter.ToUInt64(s.Buffer, disp + o), rng));
    }

    /// <summary>Sometimes copy a random subset of the destination's bytes into the source (equal lanes).</summary>
    public static void Near(MachineState s, Random rng, int dst, int src)
    {
        if (rng.Next(3) != 0) return;
        for (int q = 0; q < 2; q++)
        {
            ulong m = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40);
            s.Xmm[2 * src + q] = (s.Xmm[2 * dst + q] & m) | (s.Xmm[2 * src + q] & ~m);
        }
    }

    private static int X(Register r) => r - Register.XMM0;

    /// <summary>op xmm, xmm.</summary>
    public static DiffCase XX(Code c, Register d = X1, Register s = X2) =>
        Forms.Insn(Instruction.Create(c, d, s)).In(d == s ? [d] : [d, s])
            .With((st, r) => { Lanes(st, r, X(d)); Lanes(st, r, X(s)); Near(st, r, X(d), X(s)); });

    /// <summary>op xmm, m128 (or a narrower memory operand of <paramref name="size"/> bytes).</summary>
    public static DiffCase XM(Code c, int disp = Aligned, int size = 16, Register d = X3) =>
        Forms.Insn(Instruction.Create(c, d, Forms.Mem(disp))).In(d).InMem(disp, Math.Min(size, 8))
            .With((st, r) => { Lanes(st, r, X(d)); MemLanes(st, r, disp, size); });

    /// <summary>op m, xmm (stores).</summary>
    public static DiffCase MX(Code c, int disp = Aligned, Register s = X2) =>
        Forms.Insn(Instruction.Create(c, Forms.Mem(disp), s)).In(s).With((st, r) => Lanes(st, r, X(s)));

    public static DiffCase XXI(Code c, int imm, Register d = X1, Register s = X2) =>
        Forms.Insn(Instruction.Create(c, d, s, imm)).In(d, s)
            .With((st, r) => { Lanes(st, r, X(d)); Lanes(st, r, X(s)); });

    public static DiffCase XMI(Code c, int imm, int disp = Aligned, int size = 16, Register d = X3) =>
        Forms.Insn(Instruction.Create(c, d, Forms.Mem(disp), imm)).In(d).InMem(disp, Math.Min(size, 8))
            .With((st, r) => { Lanes(st, r, X(d)); MemLanes(st, r, disp, size); });

    /// <summary>op xmm, imm8 (shifts by immediate).</summary>
    public static DiffCase XI(Code c, int imm, Register d = X1) =>
        Forms.Insn(Instruction.Create(c, d, imm)).In(d).With((st, r) => Lanes(st, r, X(d)));

    /// <summary>A misaligned 16-byte memory operand must raise SIGSEGV at the instruction.</summary>
    public static void AssertMisalignedFaults(Tier tier, Instruction i) =>
        DiffRunner.AssertFaults(tier, a => a.AddInstruction(i), _ => { }, Jitexec.Translator.Exec.GuestFault.SIGSEGV);
}
