// Guest CPU state: general registers, rip, lazily evaluated arithmetic flags, segment
// bases, SSE and x87 state. One instance per guest thread. Both execution tiers read and
// write this object directly; nothing else holds architectural state.
// Invariants: a 32-bit register write zero-extends (handled by Operands.SetReg); the
// arithmetic flags are only valid through Flags.Get/Flags.Set (see LazyFlags.cs).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Jitexec.Translator.Core;

/// <summary>
/// XMM0-15 stored as 32 qwords in an array and viewed as Vector128 through the indexer.
/// Cpu holds only arrays and primitives: a class whose layout involves inline-array or
/// Vector128 fields was either left out of ReadyToRun precompilation (so every method
/// touching Cpu started in unoptimised tier-0 code) or, once precompiled, disagreed with
/// the runtime's layout and corrupted the heap.
/// </summary>
public readonly struct XmmFile()
{
    private readonly ulong[] _lanes = new ulong[32];

    /// <summary>The lane array itself (XMMi = lanes 2i, 2i+1), for the JIT tier's inline forms.</summary>
    internal ulong[] Lanes => _lanes;

    public ref Vector128<ulong> this[int i]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Unsafe.As<ulong, Vector128<ulong>>(ref _lanes[2 * i]);
    }
}

/// <summary>An x87 register in its 80-bit extended form: 64-bit significand, sign+15-bit exponent.</summary>
public struct X87Reg
{
    public ulong Mantissa;
    public ushort SignExp;
}

/// <summary>Register numbers, matching the x86-64 encoding order.</summary>
public static class Reg
{
    public const int Rax = 0, Rcx = 1, Rdx = 2, Rbx = 3, Rsp = 4, Rbp = 5, Rsi = 6, Rdi = 7;
    public const int R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;
    /// <summary>Register ids 16..19 name AH, CH, DH, BH (bits 8..15 of rax, rcx, rdx, rbx).</summary>
    public const int HighByteBase = 16;
    public const byte None = 0xFF;
}

public enum FlagKind : byte
{
    /// <summary>All arithmetic flags are materialised in <see cref="Cpu.FlagsStatic"/>.</summary>
    None,
    Add, Adc, Sub, Sbb, Logic, Inc, Dec, Neg,
}

public sealed class Cpu
{
    public readonly ulong[] R = new ulong[16];
    public ulong Rip;

    // Lazy flags: the last flag-setting operation's inputs and result. See LazyFlags.cs.
    public ulong LazyRes, LazySrc1, LazySrc2;
    public FlagKind LazyKind;
    public byte LazySize;           // operand size in bytes: 1, 2, 4 or 8
    public byte LazyCarryIn;        // carry-in for Adc/Sbb
    /// <summary>RFLAGS bits not described by the lazy state (always includes DF, bit 1, IF, and CF for Inc/Dec).</summary>
    public ulong FlagsStatic = 0x202;

    public ulong FsBase, GsBase;

    public readonly XmmFile Xmm = new();
    public uint Mxcsr = 0x1F80;

    // x87: physical registers, top-of-stack, control/status/tag words.
    public readonly X87Reg[] St = new X87Reg[8];
    public ushort FpuControl = 0x037F;
    public ushort FpuStatus;        // TOP is kept separately in FpuTop
    public int FpuTop;
    public byte FpuTagValid;        // bit i set = physical register i is non-empty (abridged tag)

    /// <summary>Guest instructions retired (counted per block).</summary>
    public ulong InstructionsRetired;

    /// <summary>Set by the system layer to stop the run loop (exit, fatal signal).</summary>
    public bool Halted;

    public readonly Memory.GuestMemory Mem;
    public Exec.IGuestSystem Sys;

    public Cpu(Memory.GuestMemory mem, Exec.IGuestSystem sys)
    {
        Mem = mem;
        Sys = sys;
    }
}
