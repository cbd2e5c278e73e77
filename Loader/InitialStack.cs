// Builds the process's initial stack exactly as Linux lays it out for x86-64:
//   rsp -> argc, argv[0..n-1], NULL, envp[...], NULL, auxv pairs, AT_NULL,
//   then padding, AT_RANDOM bytes, platform string, argv/envp strings, execfn (highest).
// rsp is 16-byte aligned at argc. The string area's bounds are recorded so a snapshot can
// find pointers into it later.
using System.Buffers.Binary;
using System.Text;

namespace Jitexec.Loader;

public static class Auxv
{
    public const ulong AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
        AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15,
        AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31,
        AT_MINSIGSTKSZ = 51;

    /// <summary>The value of the first entry with this key, or 0 (a loop, not LINQ: LINQ over a
    /// value tuple has no ReadyToRun code and would be JIT-compiled at run time).</summary>
    public static ulong Value((ulong Key, ulong Value)[] entries, ulong key)
    {
        foreach (var e in entries)
            if (e.Key == key) return e.Value;
        return 0;
    }
}

// AuxEntries is an array, not IReadOnlyList: interface calls on an array of value tuples
// (SZArrayHelper) have no ReadyToRun code either.
public sealed record StackLayout(ulong Rsp, ulong AreaLow, ulong AreaHigh, ulong RandomAddr, (ulong Key, ulong Value)[] AuxEntries);

public static class InitialStack
{
    public sealed record Identity(uint Uid, uint Euid, uint Gid, uint Egid);

    public static StackLayout Build(IGuestMapper mapper, ulong stackTop, LoadResult load, IReadOnlyList<byte[]> argv,
        IReadOnlyList<byte[]> envp, byte[] execFn, Identity id, uint hwcap, ReadOnlySpan<byte> random16)
    {
        ulong top = stackTop;
        // Highest first: execfn, then envp strings, argv strings, platform, random bytes.
        ulong Place(byte[] bytes)
        {
            top -= (ulong)bytes.Length;
            mapper.Poke(top, bytes);
            return top;
        }
        top -= 8; // a zero word at the very top, as Linux leaves
        mapper.Poke(top, new byte[8]);
        ulong execFnAddr = Place(Z(execFn));
        var envAddrs = new ulong[envp.Count];
        for (int i = envp.Count - 1; i >= 0; i--) envAddrs[i] = Place(Z(envp[i]));
        var argAddrs = new ulong[argv.Count];
        for (int i = argv.Count - 1; i >= 0; i--) argAddrs[i] = Place(Z(argv[i]));
        ulong platform = Place(Z("x86_64"));
        top &= ~15UL;
        ulong random = Place(random16.ToArray());
        ulong areaLow = random;

        var main = load.Main;
        // An array, not List<(ulong, ulong)>: that instantiation has no ReadyToRun code and every
        // start would compile its methods.
        (ulong, ulong)[] aux =
        [
            (Auxv.AT_MINSIGSTKSZ, 2048),
            (Auxv.AT_HWCAP, hwcap),
            (Auxv.AT_PAGESZ, 4096),
            (Auxv.AT_CLKTCK, 100),
            (Auxv.AT_PHDR, main.PhdrAddr),
            (Auxv.AT_PHENT, (ulong)ElfFile.PhentSize),
            (Auxv.AT_PHNUM, (ulong)main.Elf.ProgramHeaders.Length),
            (Auxv.AT_BASE, load.Interpreter?.Bias + (load.Interpreter?.Elf.LoadSpan().Low ?? 0) ?? 0),
            (Auxv.AT_FLAGS, 0),
            (Auxv.AT_ENTRY, main.Entry),
            (Auxv.AT_UID, id.Uid), (Auxv.AT_EUID, id.Euid), (Auxv.AT_GID, id.Gid), (Auxv.AT_EGID, id.Egid),
            (Auxv.AT_SECURE, 0),
            (Auxv.AT_RANDOM, random),
            (Auxv.AT_HWCAP2, 0),
            (Auxv.AT_EXECFN, execFnAddr),
            (Auxv.AT_PLATFORM, platform),
        ];
        int words = 1 + argv.Count + 1 + envp.Count + 1 + 2 * (aux.Length + 1);
        ulong rsp = (top - (ulong)words * 8) & ~15UL;
        var vec = new byte[words * 8];
        int w = 0;
        void Put(ulong v) { BinaryPrimitives.WriteUInt64LittleEndian(vec.AsSpan(w * 8), v); w++; }
        Put((ulong)argv.Count);
        foreach (var a in argAddrs) Put(a);
        Put(0);
        foreach (var e in envAddrs) Put(e);
        Put(0);
        foreach (var (k, v) in aux) { Put(k); Put(v); }
        Put(Auxv.AT_NULL); Put(0);
        mapper.Poke(rsp, vec);
        return new StackLayout(rsp, areaLow, stackTop, random, aux);
    }

    /// <summary>NUL-terminated copy.</summary>
    private static byte[] Z(byte[] s)
    {
        var b = new byte[s.Length + 1];
        s.CopyTo(b, 0);
        return b;
    }

    private static byte[] Z(string s) => Z(Encoding.UTF8.GetBytes(s));
}
