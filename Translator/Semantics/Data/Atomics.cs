// Family: xchg cmpxchg cmpxchg8b xadd (with or without lock; xchg with memory is always
// locked). Register rules measured on hardware: xchg/xadd write both operands (32-bit
// writes zero-extend, so `xchg eax,eax` (87 C0) clears rax[63:32]; the 90 nop is not xchg
// and is handled elsewhere). cmpxchg sets flags like cmp acc,dest; on success it writes
// the destination only (rax untouched, even its upper half); on failure it loads the
// accumulator (32-bit: zero-extended) and leaves a register destination unwritten.
// cmpxchg16b is outside our CPUID profile and stays unregistered (SIGILL).
//
// Memory read-modify-write goes through the *Mem helpers below and nowhere else. The
// interpreter runs one guest thread today, so plain accesses suffice; when guests become
// multi-threaded, change only these helpers: aligned 4/8-byte (and 1/2-byte, .NET 9+)
// operands map to Interlocked.Exchange / CompareExchange / Add on the host pointer, and
// misaligned (split-lock) operands need a global lock around the plain sequence.
using System.Runtime.CompilerServices;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Memory;
using static Jitexec.Translator.Semantics.Operands;

namespace Jitexec.Translator.Semantics.Data;

internal static unsafe class Atomics
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Mnemonic.Xchg, &Xchg);
        r.Add(Code.Cmpxchg_rm8_r8, &Cmpxchg); r.Add(Code.Cmpxchg_rm16_r16, &Cmpxchg);
        r.Add(Code.Cmpxchg_rm32_r32, &Cmpxchg); r.Add(Code.Cmpxchg_rm64_r64, &Cmpxchg);
        r.Add(Code.Cmpxchg8b_m64, &Cmpxchg8b);
        r.Add(Mnemonic.Xadd, &Xadd);
    }

    // ---- memory RMW primitives (the single place to make atomic later) ----

    /// <summary>Store v at addr, return the previous value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ExchangeMem(GuestMemory m, ulong addr, int size, ulong v)
    {
        ulong old = m.ReadSized(addr, size);
        m.WriteSized(addr, size, v);
        return old;
    }

    /// <summary>If the value at addr equals expected, store v. Returns the value read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CompareExchangeMem(GuestMemory m, ulong addr, int size, ulong v, ulong expected)
    {
        ulong old = m.ReadSized(addr, size);
        if (old == expected) m.WriteSized(addr, size, v);
        return old;
    }

    /// <summary>Add v to the value at addr, return the previous value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ExchangeAddMem(GuestMemory m, ulong addr, int size, ulong v)
    {
        ulong old = m.ReadSized(addr, size);
        m.WriteSized(addr, size, old + v);
        return old;
    }

    // ---- value-level semantics ----

    /// <summary>Flags and outcome of cmpxchg: true when dest equals the accumulator.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CmpxchgFlags(Cpu c, int size, ulong acc, ulong dest)
    {
        Flags.SetLazy(c, FlagKind.Sub, size, acc, dest, acc - dest);
        return acc == dest;
    }

    /// <summary>xadd: returns dest + src and records add flags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong XaddValue(Cpu c, int size, ulong dest, ulong src)
    {
        ulong r = dest + src;
        Flags.SetLazy(c, FlagKind.Add, size, dest, src, r);
        return r;
    }

    // ---- handlers ----

    private static void Xchg(Cpu c, ref Op op)
    {
        if (op.K0 == ArgKind.Mem)
        {
            SetReg(c, op.R1, op.S1, ExchangeMem(c.Mem, Ea(c, ref op), op.S0, GetReg(c, op.R1, op.S1)));
            return;
        }
        if (op.K1 == ArgKind.Mem)
        {
            SetReg(c, op.R0, op.S0, ExchangeMem(c.Mem, Ea(c, ref op), op.S1, GetReg(c, op.R0, op.S0)));
            return;
        }
        ulong a = GetReg(c, op.R0, op.S0), b = GetReg(c, op.R1, op.S1);
        SetReg(c, op.R0, op.S0, b);
        SetReg(c, op.R1, op.S1, a);
    }

    private static void Cmpxchg(Cpu c, ref Op op)
    {
        int size = op.S0;
        ulong acc = c.R[Reg.Rax] & Flags.SizeMask(size), src = GetReg(c, op.R1, size);
        if (op.K0 == ArgKind.Mem)
        {
            ulong old = CompareExchangeMem(c.Mem, Ea(c, ref op), size, src, acc);
            if (!CmpxchgFlags(c, size, acc, old)) SetReg(c, Reg.Rax, size, old);
            return;
        }
        ulong dest = GetReg(c, op.R0, size);
        if (CmpxchgFlags(c, size, acc, dest)) SetReg(c, op.R0, size, src);
        else SetReg(c, Reg.Rax, size, dest);
    }

    /// <summary>cmpxchg8b m64: compare edx:eax with m64; equal -> store ecx:ebx, ZF=1; else load
    /// edx:eax (zero-extended), ZF=0. Other flags unchanged.</summary>
    private static void Cmpxchg8b(Cpu c, ref Op op)
    {
        ulong expected = ((ulong)(uint)c.R[Reg.Rdx] << 32) | (uint)c.R[Reg.Rax];
        ulong v = ((ulong)(uint)c.R[Reg.Rcx] << 32) | (uint)c.R[Reg.Rbx];
        ulong old = CompareExchangeMem(c.Mem, Ea(c, ref op), 8, v, expected);
        ulong f = Flags.Get(c);
        if (old == expected) { Flags.SetArith(c, f | Flags.ZF); return; }
        Flags.SetArith(c, f & ~Flags.ZF);
        c.R[Reg.Rax] = (uint)old;
        c.R[Reg.Rdx] = old >> 32;
    }

    private static void Xadd(Cpu c, ref Op op)
    {
        int size = op.S0;
        ulong src = GetReg(c, op.R1, size);
        if (op.K0 == ArgKind.Mem)
        {
            ulong old = ExchangeAddMem(c.Mem, Ea(c, ref op), size, src);
            XaddValue(c, size, old, src);
            SetReg(c, op.R1, size, old);
            return;
        }
        ulong dest = GetReg(c, op.R0, size);
        ulong sum = XaddValue(c, size, dest, src);
        SetReg(c, op.R1, size, dest);
        SetReg(c, op.R0, size, sum);
    }
}
