// An input location that receives edge values (cross product of the first two slots of a
// case, random edges for the others): part of a GPR, a buffer location, or an XMM register.
using Iced.Intel;

namespace Jitexec.Tests.Differential;

public enum SlotKind { Gpr, Mem, XmmInt, XmmF64, XmmF32, St }

public readonly record struct Slot(SlotKind Kind, int Index, int Shift, int Size)
{
    /// <summary>A GPR of any width (al..r15, ah..bh): the edge goes in its bits, the rest stays random.</summary>
    public static Slot Gpr(Register r)
    {
        if (r >= Register.AH && r <= Register.BH) return new(SlotKind.Gpr, r - Register.AH, 8, 1);
        if (r.IsXMM()) return new(SlotKind.XmmInt, r - Register.XMM0, 0, 16);
        if (!r.IsGPR()) throw new ArgumentException($"{r} is not a GPR or XMM register");
        return new(SlotKind.Gpr, r.GetFullRegister().GetNumber(), 0, r.GetSize());
    }

    /// <summary>Bytes [offset, offset+size) of the r15 buffer.</summary>
    public static Slot Mem(int offset, int size) => new(SlotKind.Mem, offset, 0, size);
    public static Slot F64(Register xmm) => new(SlotKind.XmmF64, xmm - Register.XMM0, 0, 16);
    public static Slot F32(Register xmm) => new(SlotKind.XmmF32, xmm - Register.XMM0, 0, 16);
    /// <summary>x87 ST(i) (marked valid when an edge is applied).</summary>
    public static Slot St(int i) => new(SlotKind.St, i, 0, 10);

    public int EdgeCount => Kind switch
    {
        SlotKind.XmmF64 => EdgeValues.F64.Length,
        SlotKind.XmmF32 => EdgeValues.F32.Length,
        SlotKind.St => EdgeValues.F80.Length,
        _ => EdgeValues.Int.Length,
    };

    /// <summary>Put edge number <paramref name="edge"/> into the slot; other lanes of an XMM slot get random edges.</summary>
    public void Apply(MachineState s, int edge, Random rng)
    {
        switch (Kind)
        {
            case SlotKind.Gpr:
            {
                ulong mask = Size == 8 ? ulong.MaxValue : ((1UL << (Size * 8)) - 1) << Shift;
                s.Gpr[Index] = (s.Gpr[Index] & ~mask) | ((EdgeValues.Int[edge] << Shift) & mask);
                break;
            }
            case SlotKind.Mem:
            {
                Span<byte> b = stackalloc byte[8];
                BitConverter.TryWriteBytes(b, EdgeValues.Int[edge]);
                b[..Math.Min(Size, 8)].CopyTo(s.Buffer.AsSpan(Index));
                break;
            }
            case SlotKind.XmmInt:
                s.Xmm[2 * Index] = EdgeValues.Int[edge];
                s.Xmm[2 * Index + 1] = EdgeValues.Int[rng.Next(EdgeValues.Int.Length)];
                break;
            case SlotKind.XmmF64:
                s.Xmm[2 * Index] = EdgeValues.F64[edge];
                s.Xmm[2 * Index + 1] = EdgeValues.F64[rng.Next(EdgeValues.F64.Length)];
                break;
            case SlotKind.St:
                (s.StExp[Index], s.StMant[Index]) = EdgeValues.F80[edge];
                s.Ftw |= (byte)(1 << ((s.FpuTop + Index) & 7));
                break;
            case SlotKind.XmmF32:
            {
                var f = EdgeValues.F32;
                s.Xmm[2 * Index] = f[edge] | (ulong)f[rng.Next(f.Length)] << 32;
                s.Xmm[2 * Index + 1] = f[rng.Next(f.Length)] | (ulong)f[rng.Next(f.Length)] << 32;
                break;
            }
        }
    }
}
