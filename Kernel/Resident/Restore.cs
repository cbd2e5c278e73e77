// Rebuilds a process from a validated snapshot: file regions are mapped straight from their
// files, dirty pages decompressed over them, a fresh stack is built so argc lands at the
// snapshot's %rsp, recorded stack pointers are relocated into it, the thread id and the
// canary/pointer guard (from new AT_RANDOM bytes) are written, and the CPU state is loaded.
// Every check that can fail runs before guest code does; on failure all mappings made so
// far are removed and the caller runs cold.
using System.Runtime.Intrinsics;
using Jitexec.Kernel.Memory;
using Jitexec.Kernel.Process;
using Jitexec.Loader;
using Jitexec.Snapshot;
using Jitexec.Translator.Core;
using Jitexec.Translator.Host;
using Jitexec.Translator.Memory;

namespace Jitexec.Kernel.Resident;

public sealed class RestoreRefusedException(string reason) : Exception(reason);

public static unsafe partial class Restore
{
    public static LinuxProcess Run(GuestMemory mem, ProcessOptions options, SnapshotImage s, string exePath,
        IReadOnlyList<byte[]> argv, IReadOnlyList<byte[]> envp, byte[] execFn, RestoreTimings? t = null)
    {
        t ??= new RestoreTimings();
        var p = new LinuxProcess(mem, options) { ExePath = exePath };
        t.Mark(RestoreTimings.Phase.Process);
        try
        {
            Apply(p, s, argv, envp, execFn, t);
            return p;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (var v in p.Space.Vmas.ToList()) p.Space.Unmap(v.Start, v.Length);
            throw e as RestoreRefusedException ?? new RestoreRefusedException($"restore failed: {e.Message}");
        }
    }

    private static void Apply(LinuxProcess p, SnapshotImage s, IReadOnlyList<byte[]> argv, IReadOnlyList<byte[]> envp, byte[] execFn, RestoreTimings t)
    {
        var k = s.Kernel;
        if (k.Rsp < k.StackStart || k.Rsp >= k.StackEnd || k.StackEnd > GuestMemory.Size)
            throw new RestoreRefusedException("stack description is inconsistent");
        if (k.Rsp + ResidentStack.Needed(argv, envp, execFn, k.Aux.Length) > k.StackEnd)
            throw new RestoreRefusedException("arguments and environment do not fit above the snapshot's %rsp");

        // 1. Stack: fresh memory, new layout at the same %rsp, new AT_RANDOM.
        Span<byte> random = stackalloc byte[16];
        Host.HostRandom.Fill(random);
        MapAnonymous(p, k.StackStart, k.StackEnd, k.StackProt, "[stack]");
        var l = ResidentStack.Build(p.Space, k.Rsp, k.StackEnd, argv, envp, execFn, k.Aux, random)
            ?? throw new RestoreRefusedException("arguments and environment do not fit above the snapshot's %rsp");

        // 2. Relocation targets, computed before anything else is touched.
        var targets = new ulong[s.Relocations.Count];
        for (int i = 0; i < targets.Length; i++) targets[i] = Target(s.Relocations[i], l, argv, envp);
        t.Mark(RestoreTimings.Phase.Stack);

        // 3. Regions, host-writable for now.
        var fds = new Dictionary<int, BackingFile>();
        try
        {
            foreach (var r in s.Regions)
            {
                if (r.Kind == RegionKind.Stack) continue;
                if (!GuestMemory.InRange(r.Start, r.Length)) throw new RestoreRefusedException($"region {r.Start:x} lies outside the guest");
                if (r.Kind == RegionKind.Anonymous)
                {
                    MapAnonymous(p, r.Start, r.End, r.Prot, r.Name);
                    continue;
                }
                if (!fds.TryGetValue(r.FileIndex, out var lease))
                    fds[r.FileIndex] = lease = BackingFile.Open(s.Manifest[r.FileIndex]);
                long rc = p.Space.MapHostFile(r.Start, r.Length, r.Prot | Prot.Write, false, lease.Fd, r.FileOffset);
                if (rc < 0) throw new RestoreRefusedException($"cannot map {r.Name}: errno {-rc}");
                p.Space.Insert(new Vma(r.Start, r.End, r.Prot, false, r.Name, r.FileOffset, r.Device, r.Inode));
            }
        }
        finally
        {
            foreach (var f in fds.Values) f.Dispose();
        }

        t.Mark(RestoreTimings.Phase.Map);

        // 4. Dirty pages.
        foreach (var r in s.Regions)
            foreach (var x in r.Extents)
            {
                var image = s.Pages.Span.Slice((int)x.BlobOffset, (int)x.BlobLength);
                if (SnapshotFile.Hash(image) != x.Hash) throw new RestoreRefusedException($"page image at {x.Address:x} is corrupt (checksum)");
                if (!PageCodec.TryDecompress(image, p.Mem.Span(x.Address, (int)(x.Pages * Layout.Page))))
                    throw new RestoreRefusedException($"page image at {x.Address:x} does not decompress");
            }

        t.Mark(RestoreTimings.Phase.Decompress);

        // 5. Pointers into the stack, per-run secrets, the thread id.
        for (int i = 0; i < targets.Length; i++) WriteWord(p, s, s.Relocations[i].Address, targets[i]);
        ulong canary = BitConverter.ToUInt64(random[..8]) & ~0xFFUL, guard = BitConverter.ToUInt64(random[8..]);
        foreach (var w in s.Secrets) WriteWord(p, s, w.Address, w.Kind == SecretKind.StackCanary ? canary : guard);
        if (k.ClearChildTid != 0)
        {
            var tv = p.Space.Find(k.ClearChildTid);
            if (tv == null || tv.Name == "[stack]" || k.ClearChildTid + 4 > tv.End) throw new RestoreRefusedException("set_tid_address pointer is not mapped");
            p.Mem.Write32(k.ClearChildTid, (uint)p.ThreadId);
        }

        // 6. Final protections.
        foreach (var r in s.Regions)
            if (r.Kind != RegionKind.Stack && (r.Prot & Prot.Write) == 0)
                Libc.mprotect((nint)p.Mem.Ptr(r.Start), (nuint)r.Length, AddressSpace.HostProt(r.Prot));

        // 7. Kernel and CPU state.
        p.Space.RestoreBrk(k.BrkStart, k.Brk);
        p.ClearChildTid = k.ClearChildTid;
        p.Signals.Mask = k.SignalMask;
        foreach (var a in k.SignalActions)
        {
            if (a.Signal is < 1 or > Signals.SignalState.Count) throw new RestoreRefusedException($"bad signal number {a.Signal}");
            p.Signals.Actions[a.Signal, 0] = a.Handler; p.Signals.Actions[a.Signal, 1] = a.Flags;
            p.Signals.Actions[a.Signal, 2] = a.Restorer; p.Signals.Actions[a.Signal, 3] = a.Mask;
        }
        LoadCpu(p.Cpu, s.Cpu);
        p.Cpu.R[Reg.Rsp] = k.Rsp;
        p.Stack = ResidentStack.ToStackLayout(l);
        p.Argv = argv;
        p.Envp = envp;
        t.Mark(RestoreTimings.Phase.Fixup);
    }

    private static void MapAnonymous(LinuxProcess p, ulong start, ulong end, int prot, string name)
    {
        long rc = p.Space.MapHostAnonymous(start, end - start, prot | Prot.Write, false);
        if (rc < 0) throw new RestoreRefusedException($"cannot map anonymous memory at {start:x}: errno {-rc}");
        p.Space.Insert(new Vma(start, end, prot, false, name, 0, 0, 0));
    }

    private static void WriteWord(LinuxProcess p, SnapshotImage s, ulong addr, ulong value)
    {
        var v = p.Space.Find(addr);
        if (v == null || v.Name == "[stack]" || addr + 8 > v.End || (addr & 7) != 0)
            throw new RestoreRefusedException($"recorded word at {addr:x} is not in restored memory");
        p.Mem.Write64(addr, value);
    }

    private static ulong Target(PointerReloc r, ResidentStackLayout l, IReadOnlyList<byte[]> argv, IReadOnlyList<byte[]> envp)
    {
        ulong off = r.Offset;
        ulong Within(ulong baseAddr, ulong size) =>
            off < size ? baseAddr + off : throw new RestoreRefusedException($"pointer at {r.Address:x} into {r.Part}+{off} has no equivalent in this run");
        switch (r.Part)
        {
            case StackPart.Argc: return Within(l.Rsp, 8);
            case StackPart.ArgvVector: return Within(l.ArgvVec, (ulong)(argv.Count + 1) * 8);
            case StackPart.EnvpVector: return Within(l.EnvpVec, (ulong)(envp.Count + 1) * 8);
            case StackPart.AuxVector: return Within(l.AuxVec, l.VecEnd - l.AuxVec);
            case StackPart.Random: return Within(l.Random, 16);
            case StackPart.Platform: return Within(l.Platform, 7);
            case StackPart.ExecFn: return Within(l.ExecFn, l.ExecFnLen);
            case StackPart.ArgString:
                if (r.Index < 0 || r.Index >= argv.Count) throw new RestoreRefusedException($"pointer at {r.Address:x} refers to argv[{r.Index}], which this run lacks");
                return Within(l.Args[r.Index].Addr, l.Args[r.Index].Len);
            case StackPart.EnvString:
                for (int i = 0; i < envp.Count; i++)
                    if (ResidentKey.EnvName(envp[i]) == r.Name) return Within(l.Envs[i].Addr, l.Envs[i].Len);
                throw new RestoreRefusedException($"pointer at {r.Address:x} refers to environment variable {r.Name}, which this run lacks");
            default: throw new RestoreRefusedException($"unknown relocation kind {r.Part}");
        }
    }

    internal static void LoadCpu(Cpu c, CpuState s)
    {
        for (int i = 0; i < 16; i++) c.R[i] = s.Gpr[i];
        c.Rip = s.Rip;
        Flags.Set(c, s.Rflags);
        c.FsBase = s.FsBase; c.GsBase = s.GsBase;
        for (int i = 0; i < 16; i++) c.Xmm[i] = Vector128.Create(s.Xmm[2 * i], s.Xmm[2 * i + 1]);
        c.Mxcsr = s.Mxcsr;
        for (int i = 0; i < 8; i++) { c.St[i].Mantissa = s.StMantissa[i]; c.St[i].SignExp = s.StSignExp[i]; }
        c.FpuControl = s.FpuControl; c.FpuStatus = s.FpuStatus; c.FpuTop = s.FpuTop & 7; c.FpuTagValid = s.FpuTagValid;
    }

    /// <summary>An open backing file, checked to still be the file the snapshot recorded. Raw
    /// openat/fstat/close: File.OpenHandle costs milliseconds of first-use start-up per run.</summary>
    private sealed class BackingFile : IDisposable
    {
        public int Fd { get; private set; }
        private BackingFile(int fd) => Fd = fd;

        public static BackingFile Open(ManifestEntry m)
        {
            int fd = Host.RawFile.OpenRead(m.Path);
            if (fd < 0) throw new RestoreRefusedException($"cannot open {m.Path}: errno {-fd}");
            var st = Host.Stat.Of(fd);
            if (st.Dev != m.Device || st.Ino != m.Inode || st.Size != m.Size || st.MtimeSec != m.MtimeSec || st.MtimeNsec != m.MtimeNsec)
            {
                HostFiles.Close(fd);
                throw new RestoreRefusedException($"{m.Path} changed while restoring");
            }
            return new BackingFile(fd);
        }

        public void Dispose()
        {
            if (Fd >= 0) HostFiles.Close(Fd);
            Fd = -1;
        }
    }
}
