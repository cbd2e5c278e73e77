// The initial stack of a resident-capable run. Unlike the normal layout (strings at the
// top, vector below them), argc sits at a FIXED address, Rsp, with the vector and then the
// strings placed upward from it: a restored run can then put its own (larger or smaller)
// argv and environment at exactly the %rsp the snapshot was taken with. ArgReserve bytes
// above Rsp hold any argv+envp Linux would accept (1/4 of an 8 MiB stack rlimit), and the
// stack mapping is extended downward by the same amount so the guest keeps its full stack.
//   Rsp -> argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL pair,
//          16 AT_RANDOM bytes (16-aligned), "x86_64", argv strings, envp strings, execfn
using System.Buffers.Binary;
using Jitexec.Kernel.Memory;
using Jitexec.Loader;

namespace Jitexec.Kernel.Resident;

/// <summary>Addresses of every part of a resident stack, for relocating pointers between two of them.</summary>
public sealed class ResidentStackLayout
{
    public ulong Rsp, ArgvVec, EnvpVec, AuxVec, VecEnd, Random, Platform, ExecFn, ExecFnLen, End;
    // new T[0], not []: Array.Empty<value tuple> is JIT-compiled (no precompiled instantiation) on every restore.
    public (ulong Addr, ulong Len)[] Args = new (ulong, ulong)[0], Envs = new (ulong, ulong)[0];
    public (ulong Key, ulong Value)[] Aux = new (ulong, ulong)[0];
}

public static class ResidentStack
{
    public const ulong ArgReserve = (2UL << 20) + (256UL << 10);
    public static ulong FixedRsp => Layout.StackTop - ArgReserve;
    public static ulong StackStart => Layout.StackTop - Layout.StackSize - ArgReserve;

    /// <summary>Bytes the vector and strings need above rsp.</summary>
    public static ulong Needed(IReadOnlyList<byte[]> argv, IReadOnlyList<byte[]> envp, byte[] execFn, int auxCount)
    {
        ulong n = (ulong)(1 + argv.Count + 1 + envp.Count + 1 + 2 * (auxCount + 1)) * 8 + 32 + 7;
        foreach (var a in argv) n += (ulong)a.Length + 1;
        foreach (var e in envp) n += (ulong)e.Length + 1;
        return n + (ulong)execFn.Length + 1 + 8;
    }

    /// <summary>
    /// Write the stack at <paramref name="rsp"/> (memory must be mapped and writable). auxTemplate gives the aux
    /// entries in order; AT_RANDOM, AT_PLATFORM and AT_EXECFN values are filled in. Returns null if it does not fit below stackEnd.
    /// </summary>
    public static ResidentStackLayout? Build(IGuestMapper mapper, ulong rsp, ulong stackEnd, IReadOnlyList<byte[]> argv, IReadOnlyList<byte[]> envp,
        byte[] execFn, (ulong Key, ulong Value)[] auxTemplate, ReadOnlySpan<byte> random16)
    {
        if (rsp + Needed(argv, envp, execFn, auxTemplate.Length) > stackEnd) return null;
        var l = new ResidentStackLayout { Rsp = rsp };
        l.ArgvVec = rsp + 8;
        l.EnvpVec = l.ArgvVec + (ulong)(argv.Count + 1) * 8;
        l.AuxVec = l.EnvpVec + (ulong)(envp.Count + 1) * 8;
        l.VecEnd = l.AuxVec + (ulong)(auxTemplate.Length + 1) * 16;
        ulong p = (l.VecEnd + 15) & ~15UL;
        var strings = new MemoryStream();
        ulong stringsStart = p;
        ulong Put(ReadOnlySpan<byte> b, bool nul)
        {
            ulong at = stringsStart + (ulong)strings.Length;
            strings.Write(b);
            if (nul) strings.WriteByte(0);
            return at;
        }
        l.Random = Put(random16, false);
        l.Platform = Put("x86_64"u8, true);
        l.Args = new (ulong, ulong)[argv.Count];
        for (int i = 0; i < argv.Count; i++) l.Args[i] = (Put(argv[i], true), (ulong)argv[i].Length + 1);
        l.Envs = new (ulong, ulong)[envp.Count];
        for (int i = 0; i < envp.Count; i++) l.Envs[i] = (Put(envp[i], true), (ulong)envp[i].Length + 1);
        l.ExecFn = Put(execFn, true);
        l.ExecFnLen = (ulong)execFn.Length + 1;
        l.End = stringsStart + (ulong)strings.Length;

        l.Aux = new (ulong, ulong)[auxTemplate.Length];
        for (int i = 0; i < auxTemplate.Length; i++)
            l.Aux[i] = (auxTemplate[i].Key, auxTemplate[i].Key switch { Auxv.AT_RANDOM => l.Random, Auxv.AT_PLATFORM => l.Platform, Auxv.AT_EXECFN => l.ExecFn, _ => auxTemplate[i].Value });
        var vec = new byte[l.VecEnd - rsp];
        int w = 0;
        void Word(ulong v) { BinaryPrimitives.WriteUInt64LittleEndian(vec.AsSpan(w), v); w += 8; }
        Word((ulong)argv.Count);
        foreach (var a in l.Args) Word(a.Addr);
        Word(0);
        foreach (var e in l.Envs) Word(e.Addr);
        Word(0);
        foreach (var (k, v) in l.Aux) { Word(k); Word(v); }
        Word(Auxv.AT_NULL); Word(0);
        mapper.Poke(rsp, vec);
        mapper.Poke(stringsStart, strings.ToArray());
        return l;
    }

    public static StackLayout ToStackLayout(ResidentStackLayout l) => new(l.Rsp, l.Rsp, l.End, l.Random, l.Aux);
}
