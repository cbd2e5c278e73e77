// Family: movs stos lods cmps scas (b/w/d/q), plain and with rep/repe/repne.
// Invariants: DF (FlagsStatic bit 10) picks the direction; with a rep prefix the count is
// rcx, and rcx = 0 executes nothing and leaves the flags alone. movs/stos/lods repeat for
// either F2 or F3; cmps/scas stop on the first mismatch (repe) or match (repne) and set
// the flags of the last compare like cmp (lazy Sub). The source operand (rsi) honours an
// fs/gs override; the destination (rdi) never does. With a 0x67 prefix esi/edi/ecx are
// used and written back zero-extended. With ecx = 0 (measured on hardware): rep movs/stos
// still write back their pointer registers (zero-extending them), rep lods/cmps/scas
// only write rcx; rcx always ends zero-extended.
// The element loops here are the reference semantics; StringBulk.cs holds the fast paths
// for rep movs/stos with 64-bit addressing, which must give byte-identical results.
using System.Runtime.CompilerServices;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Operands;

namespace Jitexec.Translator.Semantics.Data;

internal static unsafe class Strings
{
    public static void Register(HandlerRegistry r)
    {
        // Registered by Code: the Mnemonics Movsd/Cmpsd are shared with SSE instructions.
        r.Add(Code.Movsb_m8_m8, &Movs1); r.Add(Code.Movsw_m16_m16, &Movs2);
        r.Add(Code.Movsd_m32_m32, &Movs4); r.Add(Code.Movsq_m64_m64, &Movs8);
        r.Add(Code.Stosb_m8_AL, &Stos1); r.Add(Code.Stosw_m16_AX, &Stos2);
        r.Add(Code.Stosd_m32_EAX, &Stos4); r.Add(Code.Stosq_m64_RAX, &Stos8);
        r.Add(Code.Lodsb_AL_m8, &Lods1); r.Add(Code.Lodsw_AX_m16, &Lods2);
        r.Add(Code.Lodsd_EAX_m32, &Lods4); r.Add(Code.Lodsq_RAX_m64, &Lods8);
        r.Add(Code.Cmpsb_m8_m8, &Cmps1); r.Add(Code.Cmpsw_m16_m16, &Cmps2);
        r.Add(Code.Cmpsd_m32_m32, &Cmps4); r.Add(Code.Cmpsq_m64_m64, &Cmps8);
        r.Add(Code.Scasb_AL_m8, &Scas1); r.Add(Code.Scasw_AX_m16, &Scas2);
        r.Add(Code.Scasd_EAX_m32, &Scas4); r.Add(Code.Scasq_RAX_m64, &Scas8);
        r.Add(Code.Xlat_m8, &Xlat);
    }

    private static void Movs1(Cpu c, ref Op op) => Movs(c, 1, op.Rep, op.Seg, op.Addr32);
    private static void Movs2(Cpu c, ref Op op) => Movs(c, 2, op.Rep, op.Seg, op.Addr32);
    private static void Movs4(Cpu c, ref Op op) => Movs(c, 4, op.Rep, op.Seg, op.Addr32);
    private static void Movs8(Cpu c, ref Op op) => Movs(c, 8, op.Rep, op.Seg, op.Addr32);
    private static void Stos1(Cpu c, ref Op op) => Stos(c, 1, op.Rep, op.Addr32);
    private static void Stos2(Cpu c, ref Op op) => Stos(c, 2, op.Rep, op.Addr32);
    private static void Stos4(Cpu c, ref Op op) => Stos(c, 4, op.Rep, op.Addr32);
    private static void Stos8(Cpu c, ref Op op) => Stos(c, 8, op.Rep, op.Addr32);
    private static void Lods1(Cpu c, ref Op op) => Lods(c, 1, op.Rep, op.Seg, op.Addr32);
    private static void Lods2(Cpu c, ref Op op) => Lods(c, 2, op.Rep, op.Seg, op.Addr32);
    private static void Lods4(Cpu c, ref Op op) => Lods(c, 4, op.Rep, op.Seg, op.Addr32);
    private static void Lods8(Cpu c, ref Op op) => Lods(c, 8, op.Rep, op.Seg, op.Addr32);
    private static void Cmps1(Cpu c, ref Op op) => Cmps(c, 1, op.Rep, op.Seg, op.Addr32);
    private static void Cmps2(Cpu c, ref Op op) => Cmps(c, 2, op.Rep, op.Seg, op.Addr32);
    private static void Cmps4(Cpu c, ref Op op) => Cmps(c, 4, op.Rep, op.Seg, op.Addr32);
    private static void Cmps8(Cpu c, ref Op op) => Cmps(c, 8, op.Rep, op.Seg, op.Addr32);
    private static void Scas1(Cpu c, ref Op op) => Scas(c, 1, op.Rep, op.Addr32);
    private static void Scas2(Cpu c, ref Op op) => Scas(c, 2, op.Rep, op.Addr32);
    private static void Scas4(Cpu c, ref Op op) => Scas(c, 4, op.Rep, op.Addr32);
    private static void Scas8(Cpu c, ref Op op) => Scas(c, 8, op.Rep, op.Addr32);

    private static void Xlat(Cpu c, ref Op op)
    {
        // al = [seg:rbx + zero-extended al]; Iced reports the index as AL, so compute it here.
        ulong a = c.R[Reg.Rbx] + (byte)c.R[Reg.Rax];
        if (op.Addr32) a = (uint)a;
        a += SegBase(c, op.Seg);
        SetReg(c, Reg.Rax, 1, c.Mem.Read8(a));
    }

    // ---- value-level semantics (shared with the JIT tier) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SegBase(Cpu c, byte seg) => seg == Op.SegNone ? 0 : seg == Op.SegFs ? c.FsBase : c.GsBase;

    /// <summary>The per-element pointer step: +size, or -size when DF is set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Step(Cpu c, int size) => (c.FlagsStatic & Flags.DF) != 0 ? (ulong)(long)-size : (ulong)size;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddrMask(bool addr32) => addr32 ? 0xFFFF_FFFFUL : ulong.MaxValue;

    public static void Movs(Cpu c, int size, int rep, byte seg, bool addr32)
    {
        ulong am = AddrMask(addr32), sb = SegBase(c, seg), st = Step(c, size);
        ulong si = c.R[Reg.Rsi] & am, di = c.R[Reg.Rdi] & am;
        if (rep == 0)
        {
            c.Mem.WriteSized(di, size, c.Mem.ReadSized(si + sb, size));
            c.R[Reg.Rsi] = (si + st) & am;
            c.R[Reg.Rdi] = (di + st) & am;
            return;
        }
        ulong n = c.R[Reg.Rcx] & am;
        if (n != 0 && !addr32 && StringBulk.TryCopy(c.Mem, si + sb, di, n, size, st != (ulong)size))
        {
            si += n * st; di += n * st; n = 0;
        }
        for (; n != 0; n--)
        {
            c.Mem.WriteSized(di, size, c.Mem.ReadSized(si + sb, size));
            si = (si + st) & am; di = (di + st) & am;
        }
        c.R[Reg.Rsi] = si; c.R[Reg.Rdi] = di; c.R[Reg.Rcx] = 0;
    }

    public static void Stos(Cpu c, int size, int rep, bool addr32)
    {
        ulong am = AddrMask(addr32), st = Step(c, size), v = c.R[Reg.Rax] & Flags.SizeMask(size);
        ulong di = c.R[Reg.Rdi] & am;
        if (rep == 0)
        {
            c.Mem.WriteSized(di, size, v);
            c.R[Reg.Rdi] = (di + st) & am;
            return;
        }
        ulong n = c.R[Reg.Rcx] & am;
        if (n != 0 && !addr32 && StringBulk.TryFill(c.Mem, di, n, size, v, st != (ulong)size))
        {
            di += n * st; n = 0;
        }
        for (; n != 0; n--)
        {
            c.Mem.WriteSized(di, size, v);
            di = (di + st) & am;
        }
        c.R[Reg.Rdi] = di; c.R[Reg.Rcx] = 0;
    }

    public static void Lods(Cpu c, int size, int rep, byte seg, bool addr32)
    {
        ulong am = AddrMask(addr32), sb = SegBase(c, seg), st = Step(c, size);
        ulong si = c.R[Reg.Rsi] & am;
        if (rep == 0)
        {
            SetReg(c, Reg.Rax, size, c.Mem.ReadSized(si + sb, size));
            c.R[Reg.Rsi] = (si + st) & am;
            return;
        }
        ulong n = c.R[Reg.Rcx] & am;
        c.R[Reg.Rcx] = 0;
        if (n == 0) return;
        for (; n != 0; n--)
        {
            SetReg(c, Reg.Rax, size, c.Mem.ReadSized(si + sb, size));
            si = (si + st) & am;
        }
        c.R[Reg.Rsi] = si;
    }

    /// <summary>cmps: compare [seg:rsi] with [rdi] (flags of [rsi] - [rdi]). rep 1 = repe, 2 = repne.</summary>
    public static void Cmps(Cpu c, int size, int rep, byte seg, bool addr32)
    {
        ulong am = AddrMask(addr32), sb = SegBase(c, seg), st = Step(c, size);
        ulong si = c.R[Reg.Rsi] & am, di = c.R[Reg.Rdi] & am;
        ulong a, b;
        if (rep == 0)
        {
            a = c.Mem.ReadSized(si + sb, size); b = c.Mem.ReadSized(di, size);
            c.R[Reg.Rsi] = (si + st) & am; c.R[Reg.Rdi] = (di + st) & am;
            Flags.SetLazy(c, FlagKind.Sub, size, a, b, a - b);
            return;
        }
        ulong n = c.R[Reg.Rcx] & am;
        if (n == 0) { c.R[Reg.Rcx] = 0; return; }
        bool whileEqual = rep == 1;
        do
        {
            a = c.Mem.ReadSized(si + sb, size); b = c.Mem.ReadSized(di, size);
            si = (si + st) & am; di = (di + st) & am;
            n--;
        } while (n != 0 && (a == b) == whileEqual);
        c.R[Reg.Rsi] = si; c.R[Reg.Rdi] = di; c.R[Reg.Rcx] = n;
        Flags.SetLazy(c, FlagKind.Sub, size, a, b, a - b);
    }

    /// <summary>scas: compare the accumulator with [rdi] (flags of acc - [rdi]). rep 1 = repe, 2 = repne.</summary>
    public static void Scas(Cpu c, int size, int rep, bool addr32)
    {
        ulong am = AddrMask(addr32), st = Step(c, size), a = c.R[Reg.Rax] & Flags.SizeMask(size);
        ulong di = c.R[Reg.Rdi] & am, b;
        if (rep == 0)
        {
            b = c.Mem.ReadSized(di, size);
            c.R[Reg.Rdi] = (di + st) & am;
            Flags.SetLazy(c, FlagKind.Sub, size, a, b, a - b);
            return;
        }
        ulong n = c.R[Reg.Rcx] & am;
        if (n == 0) { c.R[Reg.Rcx] = 0; return; }
        bool whileEqual = rep == 1;
        do
        {
            b = c.Mem.ReadSized(di, size);
            di = (di + st) & am;
            n--;
        } while (n != 0 && (a == b) == whileEqual);
        c.R[Reg.Rdi] = di; c.R[Reg.Rcx] = n;
        Flags.SetLazy(c, FlagKind.Sub, size, a, b, a - b);
    }
}
