// Family: clc stc cmc cld std lahf sahf pushf popf (16- and 64-bit forms).
// Invariants: DF lives in Cpu.FlagsStatic and is never touched by the lazy state, so
// cld/std just flip it; CF changes materialise the arithmetic flags first. popf at CPL 3
// (measured): CF PF AF ZF SF OF TF DF NT AC ID are writable; IF, IOPL, RF, VM, VIF, VIP and
// the reserved bits keep their values. TF/AC are stored but not acted on (no single-step
// trap, no alignment checking). pushf pushes RF and VM as 0.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using static Jitexec.Translator.Semantics.Operands;

namespace Jitexec.Translator.Semantics.Platform;

internal static unsafe class FlagOps
{
    /// <summary>RFLAGS bits a CPL-3 popf may change.</summary>
    public const ulong PopfWritable = Flags.Arith | Flags.TF | Flags.DF | Flags.NT | Flags.AC | Flags.ID;

    public static void Register(HandlerRegistry r)
    {
        r.Add(Mnemonic.Clc, &Clc);
        r.Add(Mnemonic.Stc, &Stc);
        r.Add(Mnemonic.Cmc, &Cmc);
        r.Add(Mnemonic.Cld, &Cld);
        r.Add(Mnemonic.Std, &Std);
        r.Add(Mnemonic.Lahf, &Lahf);
        r.Add(Mnemonic.Sahf, &Sahf);
        r.Add(Code.Pushfq, &Pushfq);
        r.Add(Code.Pushfw, &Pushfw);
        r.Add(Code.Popfq, &Popfq);
        r.Add(Code.Popfw, &Popfw);
    }

    private static void Clc(Cpu c, ref Op op) => Flags.SetArith(c, Flags.Get(c) & ~Flags.CF);
    private static void Stc(Cpu c, ref Op op) => Flags.SetArith(c, Flags.Get(c) | Flags.CF);
    private static void Cmc(Cpu c, ref Op op) => Flags.SetArith(c, Flags.Get(c) ^ Flags.CF);
    private static void Cld(Cpu c, ref Op op) => c.FlagsStatic &= ~Flags.DF;
    private static void Std(Cpu c, ref Op op) => c.FlagsStatic |= Flags.DF;

    private static void Lahf(Cpu c, ref Op op) => SetReg(c, Reg.HighByteBase + Reg.Rax, 1, LahfValue(c));
    private static void Sahf(Cpu c, ref Op op) => SahfValue(c, GetReg(c, Reg.HighByteBase + Reg.Rax, 1));

    /// <summary>The byte lahf loads into AH: SF ZF 0 AF 0 PF 1 CF.</summary>
    public static ulong LahfValue(Cpu c) => (Flags.Get(c) & 0xD5) | 2;

    /// <summary>sahf: SF ZF AF PF CF from <paramref name="ah"/>; OF unchanged.</summary>
    public static void SahfValue(Cpu c, ulong ah)
    {
        const ulong m = Flags.SF | Flags.ZF | Flags.AF | Flags.PF | Flags.CF;
        Flags.SetArith(c, (Flags.Get(c) & ~m) | (ah & m));
    }

    /// <summary>The image pushf stores (RF and VM read as 0; we keep neither).</summary>
    public static ulong PushfValue(Cpu c) => Flags.Get(c);

    /// <summary>popf of <paramref name="size"/> bytes (2 or 8): only user-writable bits change.</summary>
    public static void PopfValue(Cpu c, ulong value, int size)
    {
        ulong m = PopfWritable & Flags.SizeMask(size);
        Flags.Set(c, (Flags.Get(c) & ~m) | (value & m));
    }

    private static void Pushfq(Cpu c, ref Op op) => Push64(c, PushfValue(c));

    private static void Pushfw(Cpu c, ref Op op)
    {
        ulong sp = c.R[Reg.Rsp] - 2;
        c.Mem.Write16(sp, (ushort)PushfValue(c));
        c.R[Reg.Rsp] = sp;
    }

    private static void Popfq(Cpu c, ref Op op) => PopfValue(c, Pop64(c), 8);

    private static void Popfw(Cpu c, ref Op op)
    {
        ulong sp = c.R[Reg.Rsp];
        ushort v = c.Mem.Read16(sp);
        c.R[Reg.Rsp] = sp + 2;
        PopfValue(c, v, 2);
    }
}
