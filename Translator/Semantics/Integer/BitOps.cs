// Family: bt bts btr btc bsf bsr bswap, and the tzcnt encoding run as bsf (see Register).
// popcnt/lzcnt are outside our CPUID profile and stay unregistered.
// Invariants, matching Intel hardware (measured):
//  - bt*: only CF changes (the selected bit before the operation); other flags are kept;
//  - bit offset: an immediate, or a register with a register destination, is taken modulo
//    the operand width; a register offset with a memory destination is a signed
//    operand-size integer that selects the operand-size word at ea + (offset >> log2(width))
//    * size, so it can reach below or far beyond the addressed operand;
//  - bsf/bsr: nonzero source: CF=OF=SF=ZF=AF=0 and PF from the index; zero source: the
//    destination is left entirely unchanged (a 32-bit destination is not zero-extended),
//    flags = ZF|PF;
//  - bswap r16 zeroes the low 16 bits.
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Operands;

namespace Jitexec.Translator.Semantics.Integer;

internal static unsafe class BitOps
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Mnemonic.Bt, &Bt);
        r.Add(Mnemonic.Bts, &Bts);
        r.Add(Mnemonic.Btr, &Btr);
        r.Add(Mnemonic.Btc, &Btc);
        r.Add(Mnemonic.Bsf, &Bsf);
        // The virtual CPU has neither BMI1 nor LZCNT, so their encodings execute as they do on such
        // hardware: tzcnt (F3 0F BC) as bsf, which glibc's SSE2 string functions rely on, and
        // lzcnt (F3 0F BD) as bsr. Programs must check CPUID before using either.
        r.Add(Mnemonic.Tzcnt, &Bsf);
        r.Add(Mnemonic.Lzcnt, &Bsr);
        r.Add(Mnemonic.Bsr, &Bsr);
        r.Add(Mnemonic.Bswap, &Bswap);
    }

    // ---- value-level semantics (bit is already reduced modulo the operand width) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BtValue(Cpu c, ulong value, int bit) => ResultFlags.SetCf(c, value >> bit);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong BtsValue(Cpu c, ulong value, int bit)
    {
        ResultFlags.SetCf(c, value >> bit);
        return value | 1UL << bit;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong BtrValue(Cpu c, ulong value, int bit)
    {
        ResultFlags.SetCf(c, value >> bit);
        return value & ~(1UL << bit);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong BtcValue(Cpu c, ulong value, int bit)
    {
        ResultFlags.SetCf(c, value >> bit);
        return value ^ 1UL << bit;
    }

    /// <summary>bsf: false (destination unchanged, ZF=1) when <paramref name="src"/> is zero.</summary>
    public static bool BsfValue(Cpu c, int size, ulong src, out ulong index)
    {
        bool found = BsfIndex(size, src, out index);
        ScanFlags(c, found, index);
        return found;
    }

    /// <summary>bsf's result without its flags (compiled code whose flags are dead): false when
    /// the low <paramref name="size"/> bytes of <paramref name="src"/> are zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool BsfIndex(int size, ulong src, out ulong index)
    {
        src &= Flags.SizeMask(size);
        index = (ulong)BitOperations.TrailingZeroCount(src);
        return src != 0;
    }

    /// <summary>bsr: false (destination unchanged, ZF=1) when <paramref name="src"/> is zero.</summary>
    public static bool BsrValue(Cpu c, int size, ulong src, out ulong index)
    {
        bool found = BsrIndex(size, src, out index);
        ScanFlags(c, found, index);
        return found;
    }

    /// <summary>bsr's result without its flags (see BsfIndex).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool BsrIndex(int size, ulong src, out ulong index)
    {
        src &= Flags.SizeMask(size);
        index = (ulong)(63 - BitOperations.LeadingZeroCount(src));
        return src != 0;
    }

    /// <summary>Flags of bsf/bsr: ZF|PF for a zero source, else all clear but PF of the index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScanFlags(Cpu c, bool found, ulong index) =>
        Flags.SetArith(c, found ? ResultFlags.Parity(index) : Flags.ZF | Flags.PF);

    public static ulong BswapValue(int size, ulong v) => size switch
    {
        8 => BinaryPrimitives.ReverseEndianness(v),
        4 => BinaryPrimitives.ReverseEndianness((uint)v),
        _ => 0,
    };

    // ---- handlers ----

    /// <summary>
    /// Resolve the bit-string operand: for a memory destination with a register offset, move
    /// <paramref name="addr"/> to the operand-size word holding the bit. Returns the bit index in that word.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Locate(Cpu c, ref Op op, out ulong addr)
    {
        int size = op.S0;
        addr = 0;
        if (op.K1 == ArgKind.Imm) { if (op.K0 == ArgKind.Mem) addr = Ea(c, ref op); return (int)op.Imm & (size * 8 - 1); }
        ulong off = GetReg(c, op.R1, size);
        if (op.K0 == ArgKind.Mem)
        {
            int log = BitOperations.Log2((uint)size * 8);
            addr = Ea(c, ref op) + (ulong)(((long)SignExtend(off, size) >> log) * size);
        }
        return (int)off & (size * 8 - 1);
    }

    private static void Bt(Cpu c, ref Op op)
    {
        int bit = Locate(c, ref op, out ulong addr);
        ulong v = op.K0 == ArgKind.Reg ? GetReg(c, op.R0, op.S0) : c.Mem.ReadSized(addr, op.S0);
        BtValue(c, v, bit);
    }

    private static void Bts(Cpu c, ref Op op)
    {
        int bit = Locate(c, ref op, out ulong addr);
        if (op.K0 == ArgKind.Reg) SetReg(c, op.R0, op.S0, BtsValue(c, GetReg(c, op.R0, op.S0), bit));
        else c.Mem.WriteSized(addr, op.S0, BtsValue(c, c.Mem.ReadSized(addr, op.S0), bit));
    }

    private static void Btr(Cpu c, ref Op op)
    {
        int bit = Locate(c, ref op, out ulong addr);
        if (op.K0 == ArgKind.Reg) SetReg(c, op.R0, op.S0, BtrValue(c, GetReg(c, op.R0, op.S0), bit));
        else c.Mem.WriteSized(addr, op.S0, BtrValue(c, c.Mem.ReadSized(addr, op.S0), bit));
    }

    private static void Btc(Cpu c, ref Op op)
    {
        int bit = Locate(c, ref op, out ulong addr);
        if (op.K0 == ArgKind.Reg) SetReg(c, op.R0, op.S0, BtcValue(c, GetReg(c, op.R0, op.S0), bit));
        else c.Mem.WriteSized(addr, op.S0, BtcValue(c, c.Mem.ReadSized(addr, op.S0), bit));
    }

    private static void Bsf(Cpu c, ref Op op)
    {
        if (BsfValue(c, op.S0, Read1(c, ref op), out ulong index)) SetReg(c, op.R0, op.S0, index);
    }

    private static void Bsr(Cpu c, ref Op op)
    {
        if (BsrValue(c, op.S0, Read1(c, ref op), out ulong index)) SetReg(c, op.R0, op.S0, index);
    }

    private static void Bswap(Cpu c, ref Op op) => SetReg(c, op.R0, op.S0, BswapValue(op.S0, GetReg(c, op.R0, op.S0)));
}
