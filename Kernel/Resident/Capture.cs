// Takes a resident snapshot of a process stopped at its snapshot point. Pages are split
// into clean (identical to the backing file: referenced by file+offset) and dirty (stored
// as LZ4 images). Dirty pages are scanned for pointers into the initial stack (recorded as
// relocations; unexplainable ones refuse the snapshot) and for the stack canary and pointer
// guard (recorded and zeroed in the image). Nothing of the old stack itself is stored.
using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using Jitexec.Kernel.Files;
using Jitexec.Kernel.Memory;
using Jitexec.Kernel.Process;
using Jitexec.Loader;
using Jitexec.Snapshot;
using Jitexec.Translator.Core;
using Jitexec.Translator.Host;

namespace Jitexec.Kernel.Resident;

/// <summary>The process state cannot be snapshotted safely (the run simply continues cold).</summary>
public sealed class SnapshotRefusedException(string reason) : Exception(reason);

public static unsafe class Capture
{
    private const ulong Page = Layout.Page;

    /// <param name="inherited">The fd table entries the process started with (inherited from the parent: fine).</param>
    public static SnapshotImage Take(LinuxProcess p, ResidentStackLayout stack, string pointKind, string buildId, FdTable.Entry?[] inherited)
    {
        var cpu = p.Cpu;
        for (int i = 0; i < FdTable.MaxFds; i++)
            if (p.Fds.Get(i) is { } e && !ReferenceEquals(e, inherited[i])) throw new SnapshotRefusedException($"file descriptor {i} is open at the snapshot point");
        if (cpu.R[Reg.Rsp] != stack.Rsp) throw new SnapshotRefusedException($"%rsp is {cpu.R[Reg.Rsp]:x} at the snapshot point, not argc at {stack.Rsp:x}");

        var s = new SnapshotImage
        {
            BuildId = buildId, CpuProfile = Translator.Core.CpuProfile.Name, ProgramPath = p.ExePath,
            CreatedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Point = pointKind,
        };
        ulong AuxVal(ulong key) => Auxv.Value(stack.Aux, key);
        s.Identity = new IdentityInfo((uint)AuxVal(Auxv.AT_UID), (uint)AuxVal(Auxv.AT_EUID), (uint)AuxVal(Auxv.AT_GID), (uint)AuxVal(Auxv.AT_EGID),
            AuxVal(Auxv.AT_SECURE) != 0, p.Limits.Get(3 /* RLIMIT_STACK */).Soft);
        s.Environment = ResidentKey.RelevantEnvironment(p.Envp);

        ulong canary = 0, guard = 0;
        if (cpu.FsBase != 0 && p.Space.Find(cpu.FsBase) is { } tv && (tv.Prot & Prot.Read) != 0 && cpu.FsBase + 0x38 <= tv.End)
        {
            canary = p.Mem.Read64(cpu.FsBase + 0x28);
            guard = p.Mem.Read64(cpu.FsBase + 0x30);
        }

        var files = new List<string>();
        var fileData = new Dictionary<string, byte[]>();
        var pages = new MemoryStream();
        var scan = new Scanner(stack, s, p.Envp, canary, guard);
        bool sawStack = false;
        foreach (var v in p.Space.Vmas.ToList())
        {
            if (v.Shared) throw new SnapshotRefusedException($"shared mapping at {v.Start:x} ({v.Name})");
            if (v.Name == "[stack]")
            {
                if (sawStack || v.Start > stack.Rsp || v.End <= stack.End) throw new SnapshotRefusedException("the stack mapping was split or moved");
                sawStack = true;
                s.Kernel.StackStart = v.Start; s.Kernel.StackEnd = v.End; s.Kernel.StackProt = v.Prot;
                s.Regions.Add(new Region(v.Start, v.End, v.Prot, RegionKind.Stack, v.Name, -1, 0, 0, 0, []));
                continue;
            }
            byte[]? data = null;
            int fileIndex = -1;
            if (v.IsFile)
            {
                if (!HostFiles.TryStatPath(v.Name, out var st) || st.Dev != v.Device || st.Ino != v.Inode)
                    throw new SnapshotRefusedException($"mapped file {v.Name} was replaced or removed");
                fileIndex = files.IndexOf(v.Name);
                if (fileIndex < 0) { fileIndex = files.Count; files.Add(v.Name); }
                if (!fileData.TryGetValue(v.Name, out data)) fileData[v.Name] = data = File.ReadAllBytes(v.Name);
            }
            var extents = new List<Extent>();
            using (p.Space.Readable(v))
            {
                ulong runStart = 0;
                int run = 0;
                for (ulong a = v.Start; a <= v.End; a += Page)
                {
                    bool dirty = a < v.End && IsDirty(p, v, a, data);
                    if (dirty) { if (run++ == 0) runStart = a; continue; }
                    if (run > 0) extents.Add(Store(p, runStart, run, pages, scan));
                    run = 0;
                }
            }
            s.Regions.Add(new Region(v.Start, v.End, v.Prot, v.IsFile ? RegionKind.File : RegionKind.Anonymous, v.Name, fileIndex,
                v.IsFile ? v.Offset : 0, v.Device, v.Inode, extents));
        }
        if (!sawStack) throw new SnapshotRefusedException("no stack mapping");

        foreach (var f in files) s.Manifest.Add(HostFiles.Manifest(f));
        for (int i = 0; i < s.Regions.Count; i++)
            if (s.Regions[i].Kind == RegionKind.File)
            {
                var m = s.Manifest[s.Regions[i].FileIndex];
                if (!m.Exists || m.Device != s.Regions[i].Device || m.Inode != s.Regions[i].Inode)
                    throw new SnapshotRefusedException($"mapped file {m.Path} changed during registration");
            }
        foreach (var extra in ResidentKey.ExtraManifestFiles)
            if (!files.Contains(extra)) s.Manifest.Add(HostFiles.Manifest(extra));
        s.Pages = pages.ToArray();

        CaptureCpu(cpu, s.Cpu, canary, guard);
        var k = s.Kernel;
        k.BrkStart = p.Space.BrkStart; k.Brk = p.Space.Brk; k.ClearChildTid = p.ClearChildTid; k.Rsp = stack.Rsp;
        // Plain loops and arrays, no LINQ or List over value types (see KernelState).
        k.Aux = new (ulong, ulong)[stack.Aux.Length];
        for (int i = 0; i < k.Aux.Length; i++)
        {
            var (key, value) = stack.Aux[i];
            k.Aux[i] = (key, key is Auxv.AT_RANDOM or Auxv.AT_PLATFORM or Auxv.AT_EXECFN ? 0UL : value);
        }
        k.SignalMask = p.Signals.Mask;
        k.SignalActions = NonDefaultActions(p.Signals.Actions);
        return s;
    }

    private static SignalAction[] NonDefaultActions(ulong[,] act)
    {
        static bool Set(ulong[,] act, int sig) => act[sig, 0] != 0 || act[sig, 1] != 0 || act[sig, 2] != 0 || act[sig, 3] != 0;
        int n = 0;
        for (int sig = 1; sig <= Signals.SignalState.Count; sig++) if (Set(act, sig)) n++;
        var actions = new SignalAction[n];
        n = 0;
        for (int sig = 1; sig <= Signals.SignalState.Count; sig++)
            if (Set(act, sig)) actions[n++] = new SignalAction(sig, act[sig, 0], act[sig, 1], act[sig, 2], act[sig, 3]);
        return actions;
    }

    private static bool IsDirty(LinuxProcess p, Vma v, ulong a, byte[]? file)
    {
        var page = p.Mem.Span(a, (int)Page);
        if (file == null) return page.IndexOfAnyExcept((byte)0) >= 0;
        ulong off = v.Offset + (a - v.Start);
        if (off >= (ulong)file.Length) return false; // wholly beyond EOF: not accessible, mapped the same way on restore
        int avail = (int)Math.Min(Page, (ulong)file.Length - off);
        if (!page[..avail].SequenceEqual(file.AsSpan((int)off, avail))) return true;
        return page[avail..].IndexOfAnyExcept((byte)0) >= 0;
    }

    private static Extent Store(LinuxProcess p, ulong start, int count, MemoryStream pages, Scanner scan)
    {
        var copy = p.Mem.Span(start, count * (int)Page).ToArray();
        scan.Scan(start, copy);
        var image = PageCodec.Compress(copy);
        long at = pages.Position;
        pages.Write(image);
        return new Extent(start, (uint)count, (ulong)at, (uint)image.Length, SnapshotFile.Hash(image));
    }

    /// <summary>The CPU state; a register holding <paramref name="canary"/> or <paramref name="guard"/> is stored as 0 (pass 0, 0 to keep all).</summary>
    internal static void CaptureCpu(Cpu c, CpuState s, ulong canary, ulong guard)
    {
        for (int i = 0; i < 16; i++)
        {
            ulong v = c.R[i];
            // Scratch registers at the snapshot point: never let a secret reach the file.
            s.Gpr[i] = v != 0 && (v == canary || v == guard) ? 0 : v;
        }
        s.Rip = c.Rip; s.Rflags = Flags.Get(c); s.FsBase = c.FsBase; s.GsBase = c.GsBase;
        for (int i = 0; i < 16; i++) { s.Xmm[2 * i] = c.Xmm[i].GetElement(0); s.Xmm[2 * i + 1] = c.Xmm[i].GetElement(1); }
        s.Mxcsr = c.Mxcsr;
        for (int i = 0; i < 8; i++) { s.StMantissa[i] = c.St[i].Mantissa; s.StSignExp[i] = c.St[i].SignExp; }
        s.FpuControl = c.FpuControl; s.FpuStatus = c.FpuStatus; s.FpuTop = c.FpuTop; s.FpuTagValid = c.FpuTagValid;
    }

    /// <summary>Finds stack pointers and secret words in dirty page copies.</summary>
    private sealed class Scanner(ResidentStackLayout l, SnapshotImage s, IReadOnlyList<byte[]> envp, ulong canary, ulong guard)
    {
        private readonly ulong _low = ResidentStack.StackStart, _high = Layout.StackTop;

        public void Scan(ulong start, byte[] copy)
        {
            for (int o = 0; o + 8 <= copy.Length; o += 8)
            {
                ulong w = BinaryPrimitives.ReadUInt64LittleEndian(copy.AsSpan(o));
                ulong at = start + (ulong)o;
                if (w != 0 && (w == canary || w == guard))
                {
                    s.Secrets.Add(new SecretWord(at, w == canary ? SecretKind.StackCanary : SecretKind.PointerGuard));
                    BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(o), 0);
                    continue;
                }
                if (w < _low || w >= _high || w < l.Rsp) continue; // below %rsp: same addresses after restore
                s.Relocations.Add(Classify(at, w));
            }
        }

        private PointerReloc Classify(ulong at, ulong w)
        {
            PointerReloc R(StackPart part, ulong baseAddr, int index = -1, string name = "") => new(at, part, index, w - baseAddr, name);
            if (w < l.ArgvVec) return R(StackPart.Argc, l.Rsp);
            if (w < l.EnvpVec) return R(StackPart.ArgvVector, l.ArgvVec);
            if (w < l.AuxVec) return R(StackPart.EnvpVector, l.EnvpVec);
            if (w < l.VecEnd) return R(StackPart.AuxVector, l.AuxVec);
            if (w >= l.Random && w < l.Random + 16) return R(StackPart.Random, l.Random);
            if (w >= l.Platform && w < l.Platform + 7) return R(StackPart.Platform, l.Platform);
            for (int i = 0; i < l.Args.Length; i++)
                if (w >= l.Args[i].Addr && w < l.Args[i].Addr + l.Args[i].Len) return R(StackPart.ArgString, l.Args[i].Addr, i);
            for (int i = 0; i < l.Envs.Length; i++)
                if (w >= l.Envs[i].Addr && w < l.Envs[i].Addr + l.Envs[i].Len)
                {
                    string name = ResidentKey.EnvName(envp[i]);
                    if (!ResidentKey.IsRelevant(name))
                        throw new SnapshotRefusedException($"word at {at:x} points into environment variable {name}, which is not part of the snapshot key");
                    return R(StackPart.EnvString, l.Envs[i].Addr, -1, name);
                }
            if (w >= l.ExecFn && w < l.ExecFn + l.ExecFnLen) return R(StackPart.ExecFn, l.ExecFn);
            throw new SnapshotRefusedException($"word at {at:x} points into the initial stack at {w:x}, which no part of it explains");
        }
    }
}
