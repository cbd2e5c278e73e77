// Seeded random machine states: GPRs mix full-random values, edge values (with random
// upper garbage so narrow operations are checked for merging), and small numbers; rflags
// get random arithmetic flags (DF=TF=0); XMM lanes mix random bits and float specials;
// the buffer and stack window are random bytes with some edge qwords. rsp and r15 are fixed.
namespace Jitexec.Tests.Differential;

public static class RandomState
{
    public const ulong ArithFlags = 0x8D5; // CF PF AF ZF SF OF

    /// <param name="x87Depth">-1: empty x87 stack, default control word; n >= 0: random TOP,
    /// rounding/precision control and condition codes, ST(0..n-1) filled (exceptions stay masked).</param>
    public static MachineState Make(Random rng, bool randomMxcsr, int x87Depth = -1)
    {
        var s = new MachineState();
        for (int i = 0; i < 16; i++) s.Gpr[i] = Gpr(rng);
        s.Gpr[MachineState.Rsp] = Sandbox.StackTop;
        s.Gpr[MachineState.R15] = Sandbox.Buffer;
        s.Rflags = 0x202 | ((ulong)rng.NextInt64() & ArithFlags);
        if (randomMxcsr)
            s.Mxcsr = 0x1F80 | (uint)rng.Next(4) << 13 | (rng.Next(4) == 0 ? 0x8000u : 0) | (rng.Next(4) == 0 ? 0x40u : 0)
                | (uint)rng.Next(64) * (rng.Next(2) == 0 ? 1u : 0);
        for (int i = 0; i < 32; i++) s.Xmm[i] = XmmQword(rng);
        if (x87Depth >= 0) X87(rng, s, Math.Min(x87Depth, 8));
        Fill(rng, s.Buffer);
        Fill(rng, s.Stack);
        return s;
    }

    public static ulong Gpr(Random rng)
    {
        ulong r = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
        int sel = rng.Next(8);
        ulong e = EdgeValues.Int[rng.Next(EdgeValues.Int.Length)];
        return sel switch
        {
            0 or 1 or 2 => r,
            3 or 4 => e,
            5 => e & 0xFF | r & ~0xFFUL,                 // edge in the low byte/word, garbage above
            6 => (e & 0xFFFF_FFFF) | (r & ~0xFFFF_FFFFUL),
            _ => (ulong)rng.Next(-70, 70),
        };
    }

    private static ulong XmmQword(Random rng) => rng.Next(4) switch
    {
        0 => (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63),
        1 => EdgeValues.F64[rng.Next(EdgeValues.F64.Length)],
        2 => EdgeValues.F32[rng.Next(EdgeValues.F32.Length)] | (ulong)EdgeValues.F32[rng.Next(EdgeValues.F32.Length)] << 32,
        _ => Gpr(rng),
    };

    private static void X87(Random rng, MachineState s, int depth)
    {
        int pc = rng.Next(3) switch { 0 => 0, 1 => 2, _ => 3 };
        s.Fcw = (ushort)(0x7F | pc << 8 | rng.Next(4) << 10);
        s.Fsw = (ushort)(rng.Next(8) << 11 | (rng.Next(16) is var c ? (c & 7) << 8 | (c >> 3) << 14 : 0));
        s.Ftw = 0;
        for (int i = 0; i < 8; i++)
        {
            (s.StExp[i], s.StMant[i]) = rng.Next(3) switch
            {
                0 => EdgeValues.F80[rng.Next(EdgeValues.F80.Length)],
                1 => EdgeValues.FromDouble(XmmQword(rng)),
                _ => ((ushort)(rng.Next(2) << 15 | (0x3FFF + rng.Next(-80, 80))), (ulong)rng.NextInt64() | 0x8000000000000000),
            };
            if (i < depth) s.Ftw |= (byte)(1 << ((s.FpuTop + i) & 7));
        }
    }

    private static void Fill(Random rng, byte[] b)
    {
        rng.NextBytes(b);
        for (int off = 0; off + 8 <= b.Length; off += 8)
            if (rng.Next(4) == 0)
                BitConverter.TryWriteBytes(b.AsSpan(off), EdgeValues.Int[rng.Next(EdgeValues.Int.Length)]);
    }
}
