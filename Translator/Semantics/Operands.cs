// Operand access shared by every instruction family: effective addresses, register reads
// and writes with x86-64 partial-register rules, and generic operand read/write by kind.
// Rules: a 32-bit GPR write zero-extends to 64 bits; 8- and 16-bit writes merge.
using System.Runtime.CompilerServices;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;

namespace Jitexec.Translator.Semantics;

public static class Operands
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Ea(Cpu c, ref Op op)
    {
        ulong a = op.Disp;
        if (op.Base != Reg.None) a += c.R[op.Base];
        if (op.Index != Reg.None) a += c.R[op.Index] << op.Scale;
        if (op.Addr32) a = (uint)a;
        if (op.Seg != Op.SegNone) a += op.Seg == Op.SegFs ? c.FsBase : c.GsBase;
        return a;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong GetReg(Cpu c, int id, int size)
    {
        if (id >= Reg.HighByteBase) return (c.R[id - Reg.HighByteBase] >> 8) & 0xFF;
        ulong v = c.R[id];
        return size switch { 8 => v, 4 => (uint)v, 2 => (ushort)v, _ => (byte)v };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetReg(Cpu c, int id, int size, ulong v)
    {
        if (id >= Reg.HighByteBase)
        {
            ref ulong h = ref c.R[id - Reg.HighByteBase];
            h = (h & ~0xFF00UL) | ((v & 0xFF) << 8);
            return;
        }
        ref ulong r = ref c.R[id];
        switch (size)
        {
            case 8: r = v; break;
            case 4: r = (uint)v; break;
            case 2: r = (r & ~0xFFFFUL) | (ushort)v; break;
            default: r = (r & ~0xFFUL) | (byte)v; break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(Cpu c, ref Op op, ArgKind kind, int reg, int size) => kind switch
    {
        ArgKind.Reg => GetReg(c, reg, size),
        ArgKind.Mem => c.Mem.ReadSized(Ea(c, ref op), size),
        _ => op.Imm & Flags.SizeMask(size),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read0(Cpu c, ref Op op) => Read(c, ref op, op.K0, op.R0, op.S0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read1(Cpu c, ref Op op) => Read(c, ref op, op.K1, op.R1, op.S1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read2(Cpu c, ref Op op) => Read(c, ref op, op.K2, op.R2, op.S2);

    /// <summary>Write operand 0 (register or memory) with operand-0 size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write0(Cpu c, ref Op op, ulong v)
    {
        if (op.K0 == ArgKind.Reg) SetReg(c, op.R0, op.S0, v);
        else c.Mem.WriteSized(Ea(c, ref op), op.S0, v);
    }

    /// <summary>Write operand 1 (register or memory) with operand-1 size (xchg, xadd, cmpxchg).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write1(Cpu c, ref Op op, ulong v)
    {
        if (op.K1 == ArgKind.Reg) SetReg(c, op.R1, op.S1, v);
        else c.Mem.WriteSized(Ea(c, ref op), op.S1, v);
    }

    /// <summary>Sign-extend the low <paramref name="size"/> bytes of v to 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SignExtend(ulong v, int size) => size switch
    {
        1 => (ulong)(long)(sbyte)v,
        2 => (ulong)(long)(short)v,
        4 => (ulong)(long)(int)v,
        _ => v,
    };

    // Stack helpers (64-bit mode: push/pop are 8 bytes unless a 0x66 prefix makes them 2).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Push64(Cpu c, ulong v)
    {
        ulong sp = c.R[Reg.Rsp] - 8;
        c.Mem.Write64(sp, v);
        c.R[Reg.Rsp] = sp;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Pop64(Cpu c)
    {
        ulong sp = c.R[Reg.Rsp];
        ulong v = c.Mem.Read64(sp);
        c.R[Reg.Rsp] = sp + 8;
        return v;
    }
}
