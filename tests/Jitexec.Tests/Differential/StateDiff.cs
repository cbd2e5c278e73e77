// Compares a native result with a guest result and renders the differences readably:
// one line per differing register (name, native value, guest value), flags masked by the
// bits the sequence leaves undefined, and byte ranges of the buffer/stack window.
namespace Jitexec.Tests.Differential;

public static class StateDiff
{
    /// <summary>Flag bits compared: CF PF AF ZF SF OF DF.</summary>
    public const ulong ComparedFlags = RandomState.ArithFlags | 0x400;

    public static List<string> Compare(MachineState native, MachineState guest, ulong flagsMask, ushort fswMask = 0xFFFF)
    {
        var d = new List<string>();
        for (int i = 0; i < 16; i++)
            if (native.Gpr[i] != guest.Gpr[i])
                d.Add($"{MachineState.GprNames[i],-6} native={native.Gpr[i]:x16} guest={guest.Gpr[i]:x16}");
        ulong nf = native.Rflags & flagsMask, gf = guest.Rflags & flagsMask;
        if (nf != gf)
            d.Add($"rflags native={nf:x} ({MachineState.FlagString(nf)}) guest={gf:x} ({MachineState.FlagString(gf)}) " +
                $"differ: {MachineState.FlagString(nf ^ gf)} [compared: {MachineState.FlagString(flagsMask)}]");
        if (native.Mxcsr != guest.Mxcsr)
            d.Add($"mxcsr  native={native.Mxcsr:x8} guest={guest.Mxcsr:x8}");
        for (int i = 0; i < 16; i++)
            if (native.Xmm[2 * i] != guest.Xmm[2 * i] || native.Xmm[2 * i + 1] != guest.Xmm[2 * i + 1])
                d.Add($"xmm{i,-3} native={native.Xmm[2 * i + 1]:x16}:{native.Xmm[2 * i]:x16} guest={guest.Xmm[2 * i + 1]:x16}:{guest.Xmm[2 * i]:x16}");
        if (native.Fcw != guest.Fcw) d.Add($"fcw    native={native.Fcw:x4} guest={guest.Fcw:x4}");
        if ((native.Fsw & fswMask) != (guest.Fsw & fswMask))
            d.Add($"fsw    native={native.Fsw:x4} guest={guest.Fsw:x4} (top {native.FpuTop}/{guest.FpuTop}; compared bits {fswMask:x4})");
        if (native.Ftw != guest.Ftw) d.Add($"ftw    native={native.Ftw:x2} guest={guest.Ftw:x2} (bit p = physical register p in use)");
        for (int i = 0; i < 8; i++)
            if (native.StValid(i) && (native.StMant[i] != guest.StMant[i] || native.StExp[i] != guest.StExp[i]))
                d.Add($"st{i}    native={native.StExp[i]:x4}:{native.StMant[i]:x16} guest={guest.StExp[i]:x4}:{guest.StMant[i]:x16}");
        Bytes(d, "buffer", "r15", native.Buffer, guest.Buffer);
        Bytes(d, "stack", "rsp0-128", native.Stack, guest.Stack);
        return d;
    }

    private static void Bytes(List<string> d, string what, string baseName, byte[] n, byte[] g)
    {
        for (int i = 0; i < n.Length; i++)
        {
            if (n[i] == g[i]) continue;
            int j = i;
            while (j < n.Length && n[j] != g[j]) j++;
            d.Add($"{what}[{baseName}+{i}..{j}) native={Convert.ToHexString(n, i, j - i)} guest={Convert.ToHexString(g, i, j - i)}");
            i = j;
        }
    }
}
