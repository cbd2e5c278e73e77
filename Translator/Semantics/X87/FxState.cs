// Family: fxsave/fxrstor (and the REX.W fxsave64/fxrstor64 forms), ldmxcsr/stmxcsr, and the
// x87 environment fnstenv/fstenv/fldenv (glibc's feclearexcept/feholdexcept/fesetenv use them).
// fxsave image (SDM Vol.1 10.5.1): 0 FCW, 2 FSW (with TOP), 4 abridged FTW (one bit per
// physical register), 5 reserved (0), 6 FOP, 8 FIP, 16 FDP (FOP/FIP/FDP are not tracked:
// stored as zero), 24 MXCSR, 28 MXCSR_MASK (0xFFFF, as the host reports), 32 ST0..ST7 in
// stack order (10 bytes, then 6 zero bytes), 160 XMM0..XMM15; bytes 416-511 are untouched.
// The memory operand must be 16-byte aligned; misalignment and reserved MXCSR bits raise
// #GP, which Linux delivers as SIGSEGV.
// x87 environment image (protected mode, 32-bit; SDM Vol.1 Figure 8-9), as the host writes it:
// 0 FCW, 4 FSW, 8 full FTW (two bits per physical register: 00 valid, 01 zero, 10 special,
// 11 empty), each in a dword whose upper half is 0xFFFF; 12 FIP, 16 FCS and FOP, 20 FDP, 24 FDS
// (upper half 0xFFFF). FIP/FOP/FDP are not tracked and FCS/FDS are zero on current CPUs.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Semantics.Sse;
using static Jitexec.Translator.Semantics.Operands;

namespace Jitexec.Translator.Semantics.X87;

internal static unsafe class FxState
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(&Fxsave, Mnemonic.Fxsave, Mnemonic.Fxsave64);
        r.Add(&Fxrstor, Mnemonic.Fxrstor, Mnemonic.Fxrstor64);
        r.Add(Mnemonic.Ldmxcsr, &Ldmxcsr);
        r.Add(Mnemonic.Stmxcsr, &Stmxcsr);
        r.Add(&Fnstenv, Mnemonic.Fnstenv, Mnemonic.Fstenv);
        r.Add(Mnemonic.Fldenv, &Fldenv);
    }

    /// <summary>Write the 512-byte fxsave image at a (bytes 416-511 are left alone).</summary>
    public static void Save(Cpu c, ulong a)
    {
        var m = c.Mem;
        m.Write16(a, c.FpuControl);
        m.Write16(a + 2, X87State.StatusWord(c));
        m.Write8(a + 4, c.FpuTagValid);
        m.Write8(a + 5, 0);
        m.Write16(a + 6, 0);
        m.Write64(a + 8, 0);
        m.Write64(a + 16, 0);
        m.Write32(a + 24, c.Mxcsr);
        m.Write32(a + 28, Mx.WritableMask);
        for (int i = 0; i < 8; i++)
        {
            X87Reg r = c.St[(c.FpuTop + i) & 7];
            ulong s = a + 32 + (ulong)i * 16;
            m.Write64(s, r.Mantissa);
            m.Write16(s + 8, r.SignExp);
            m.Write16(s + 10, 0);
            m.Write32(s + 12, 0);
        }
        for (int i = 0; i < 16; i++) m.Write128(a + 160 + (ulong)i * 16, c.Xmm[i]);
    }

    /// <summary>Load state from an fxsave image; false (nothing changed) when MXCSR has reserved bits set.</summary>
    public static bool Restore(Cpu c, ulong a)
    {
        var m = c.Mem;
        uint mx = m.Read32(a + 24);
        if ((mx & ~Mx.WritableMask) != 0) return false;
        LoadControlStatus(c, m.Read16(a), m.Read16(a + 2));
        c.FpuTagValid = m.Read8(a + 4);
        c.Mxcsr = mx;
        for (int i = 0; i < 8; i++)
        {
            ulong s = a + 32 + (ulong)i * 16;
            c.St[(c.FpuTop + i) & 7] = new X87Reg { Mantissa = m.Read64(s), SignExp = m.Read16(s + 8) };
        }
        for (int i = 0; i < 16; i++) c.Xmm[i] = m.Read128(a + 160 + (ulong)i * 16);
        return true;
    }

    /// <summary>FCW and FSW from a saved image (fxrstor, fldenv). ES and B are not loaded: the CPU
    /// recomputes them from the unmasked pending exceptions.</summary>
    private static void LoadControlStatus(Cpu c, ushort fcw, ushort fsw)
    {
        c.FpuControl = (ushort)(fcw & 0x1F3F | 0x40);
        fsw = (ushort)(fsw & ~(X87State.ES | X87State.Busy));
        if ((fsw & ~c.FpuControl & 0x3F) != 0) fsw |= X87State.ES | X87State.Busy;
        X87State.SetStatusWord(c, fsw);
    }

    /// <summary>The full tag word: empty, or the class of the physical register's contents.</summary>
    public static ushort FullTagWord(Cpu c)
    {
        uint ftw = 0;
        for (int i = 0; i < 8; i++)
        {
            uint tag = 3;
            if ((c.FpuTagValid & (1 << i)) != 0)
            {
                X87Reg r = c.St[i];
                int exp = r.SignExp & 0x7FFF;
                tag = exp == 0 && r.Mantissa == 0 ? 1u : exp == 0 || exp == 0x7FFF || r.Mantissa >> 63 == 0 ? 2u : 0u;
            }
            ftw |= tag << (2 * i);
        }
        return (ushort)ftw;
    }

    /// <summary>fnstenv/fstenv m28: store the environment, then mask every x87 exception.</summary>
    private static void Fnstenv(Cpu c, ref Op op)
    {
        ulong a = Ea(c, ref op);
        var m = c.Mem;
        m.Write32(a, 0xFFFF0000u | c.FpuControl);
        m.Write32(a + 4, 0xFFFF0000u | X87State.StatusWord(c));
        m.Write32(a + 8, 0xFFFF0000u | FullTagWord(c));
        m.Write64(a + 12, 0);
        m.Write32(a + 20, 0);
        m.Write32(a + 24, 0xFFFF0000u);
        c.FpuControl |= 0x3F;
    }

    /// <summary>fldenv m28: FCW, FSW and which registers are empty (the tags of the others follow their contents).</summary>
    private static void Fldenv(Cpu c, ref Op op)
    {
        ulong a = Ea(c, ref op);
        var m = c.Mem;
        ushort fcw = m.Read16(a), fsw = m.Read16(a + 4), ftw = m.Read16(a + 8);
        LoadControlStatus(c, fcw, fsw);
        byte valid = 0;
        for (int i = 0; i < 8; i++) if ((ftw >> (2 * i) & 3) != 3) valid |= (byte)(1 << i);
        c.FpuTagValid = valid;
    }

    private static void Fxsave(Cpu c, ref Op op)
    {
        ulong a = Ea(c, ref op);
        if ((a & 15) != 0) GeneralProtection(c, ref op, "misaligned fxsave");
        Save(c, a);
    }

    private static void Fxrstor(Cpu c, ref Op op)
    {
        ulong a = Ea(c, ref op);
        if ((a & 15) != 0) GeneralProtection(c, ref op, "misaligned fxrstor");
        if (!Restore(c, a)) GeneralProtection(c, ref op, "fxrstor with reserved MXCSR bits");
    }

    private static void Ldmxcsr(Cpu c, ref Op op)
    {
        uint v = c.Mem.Read32(Ea(c, ref op));
        if ((v & ~Mx.WritableMask) != 0) GeneralProtection(c, ref op, "ldmxcsr with reserved bits");
        c.Mxcsr = v;
    }

    private static void Stmxcsr(Cpu c, ref Op op) => c.Mem.Write32(Ea(c, ref op), c.Mxcsr);

    private static void GeneralProtection(Cpu c, ref Op op, string what)
    {
        c.Rip = op.Ip;
        throw new GuestFault(GuestFault.SIGSEGV, op.Ip, $"{what} at 0x{op.Ip:x} (#GP)");
    }
}
