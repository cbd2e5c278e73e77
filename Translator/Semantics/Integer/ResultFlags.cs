// Eager flag helpers shared by the shift, multiply and bit-operation families, which set
// flags with Flags.SetArith instead of a lazy kind. Values passed in are already truncated
// to the operand size; results are RFLAGS bit patterns (only arithmetic bits).
using System.Numerics;
using System.Runtime.CompilerServices;
using Jitexec.Translator.Core;

namespace Jitexec.Translator.Semantics.Integer;

internal static class ResultFlags
{
    /// <summary>PF for the low byte of <paramref name="r"/> (set when its bit count is even).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Parity(ulong r) => (ulong)(~BitOperations.PopCount((uint)(byte)r) & 1) << 2;

    /// <summary>SF, ZF and PF of a result already truncated to <paramref name="size"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Szp(int size, ulong r)
    {
        ulong f = Parity(r) | ((r >> (size * 8 - 1)) & 1) << 7;
        return r == 0 ? f | Flags.ZF : f;
    }

    /// <summary>Replace only CF and OF, keeping the other arithmetic flags (rotates).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetCfOf(Cpu c, ulong cf, ulong of)
    {
        ulong f = c.LazyKind == FlagKind.None ? c.FlagsStatic : Flags.Get(c);
        Flags.SetArith(c, (f & ~(Flags.CF | Flags.OF)) | (cf & 1) | (of & 1) << 11);
    }

    /// <summary>Replace only CF, keeping the other arithmetic flags (bt, bts, btr, btc).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetCf(Cpu c, ulong cf)
    {
        ulong f = c.LazyKind == FlagKind.None ? c.FlagsStatic : Flags.Get(c);
        Flags.SetArith(c, (f & ~Flags.CF) | (cf & 1));
    }
}
