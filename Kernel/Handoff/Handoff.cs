// Moves a running guest process from one jitexec build to another (the NativeAOT build hands
// a program that got hot to the ReadyToRun build, which has the JIT tier: Cli/Promotion.cs).
// Capture runs at a block boundary of a stopped run loop and refuses (HandoffRefusedException:
// the caller keeps interpreting) what it cannot carry: shared anonymous memory, mapped files
// that were replaced. Shared file mappings are mapped again (their contents live in the file). Dirty pages are found with /proc/self/pagemap: a private file page a write copied
// is anonymous there, an anonymous page never touched is absent; everything else is mapped
// afresh from its file. Restore rebuilds the process in a fresh guest address space of the new
// build; by then execve has happened, so its failures are fatal to the run.
using Jitexec.Kernel.Host;
using Jitexec.Kernel.Resident;
using Jitexec.Kernel.Memory;
using Jitexec.Kernel.Process;
using Jitexec.Loader;
using Jitexec.Translator.Core;
using Jitexec.Translator.Host;
using Jitexec.Translator.Memory;

namespace Jitexec.Kernel.Handoff;

public sealed class HandoffRefusedException(string reason) : Exception(reason);

public static unsafe class Handoff
{
    private const ulong Page = Layout.Page;

    public static HandoffImage Capture(LinuxProcess p, string buildId)
    {
        var c = p.Cpu;
        var h = new HandoffImage { BuildId = buildId, ExePath = p.ExePath, Argv = [.. p.Argv], Envp = [.. p.Envp] };
        Resident.Capture.CaptureCpu(c, h.Cpu, 0, 0); // verbatim: the secrets stay this run's
        h.InstructionsRetired = c.InstructionsRetired;

        h.BrkStart = p.Space.BrkStart; h.Brk = p.Space.Brk; h.ClearChildTid = p.ClearChildTid;
        h.RseqArea = p.RseqArea; h.RseqLength = p.RseqLength; h.RseqSignature = p.RseqSignature;
        var sig = p.Signals;
        h.SignalMask = sig.Mask; h.AltStackSp = sig.AltStackSp; h.AltStackFlags = sig.AltStackFlags; h.AltStackSize = sig.AltStackSize;
        for (int s = 0; s <= Signals.SignalState.Count; s++)
            for (int k = 0; k < 4; k++) h.SignalActions[s * 4 + k] = sig.Actions[s, k];
        h.NoFileSeeded = p.Limits.Export(h.Limits);
        if (p.Stack is { } st)
        {
            h.StackRsp = st.Rsp; h.StackAreaLow = st.AreaLow; h.StackAreaHigh = st.AreaHigh; h.StackRandom = st.RandomAddr;
            h.Aux.AddRange(st.AuxEntries);
        }

        h.ExecCounts = p.Engine.ExecCounts();
        foreach (int g in p.Fds.OpenFds())
        {
            var e = p.Fds.Get(g)!;
            long fdFlags = Raw.Call(HostNr.Fcntl, e.HostFd, 1 /* F_GETFD */);
            if (fdFlags < 0) throw new HandoffRefusedException($"guest fd {g} (host fd {e.HostFd}) is not open: errno {-fdFlags}");
            h.Fds.Add(new HandoffImage.Descriptor(g, e.HostFd, e.CloExec, (fdFlags & 1) != 0, e.Path, e.FdDir,
                e.Listing == null ? null : [.. e.Listing], e.ListingPos));
        }

        int pagemap = RawFile.OpenRead("/proc/self/pagemap");
        if (pagemap < 0) throw new HandoffRefusedException($"cannot read /proc/self/pagemap: errno {-pagemap}");
        try
        {
            foreach (var v in p.Space.Vmas)
            {
                if (v.Shared && !v.IsFile) throw new HandoffRefusedException($"shared anonymous mapping at {v.Start:x} ({v.Name})");
                if (v.IsFile && (!HostFiles.TryStatPath(v.Name, out var fst) || fst.Dev != v.Device || fst.Ino != v.Inode))
                    throw new HandoffRefusedException($"mapped file {v.Name} was replaced or removed");
                h.Mappings.Add(new HandoffImage.Mapping(v.Start, v.End, v.Prot, v.Shared, v.Name, v.Offset, v.Device, v.Inode,
                    v.Shared ? [] : DirtyRuns(p, v, pagemap)));
            }
        }
        finally { HostFiles.Close(pagemap); }
        return h;
    }

    /// <summary>Runs of pages of <paramref name="v"/> that mapping it afresh would not reproduce.</summary>
    private static List<(ulong, byte[])> DirtyRuns(LinuxProcess p, Vma v, int pagemap)
    {
        int pages = (int)(v.Length / Page);
        var entries = new ulong[pages];
        long at = (long)((ulong)(nint)p.Mem.Ptr(v.Start) / Page * 8);
        fixed (ulong* e = entries)
        {
            long n = Raw.Call(HostNr.Pread64, pagemap, (long)e, pages * 8L, at);
            if (n != pages * 8L) throw new HandoffRefusedException($"short read of /proc/self/pagemap at {v.Start:x}");
        }
        const ulong Present = 1UL << 63, Swapped = 1UL << 62, FilePage = 1UL << 61;
        bool Dirty(int i) => (entries[i] & (Present | Swapped)) != 0 && (!v.IsFile || (entries[i] & FilePage) == 0);
        var runs = new List<(ulong, byte[])>();
        using var readable = p.Space.Readable(v);
        for (int i = 0; i < pages;)
        {
            if (!Dirty(i)) { i++; continue; }
            int j = i;
            while (j < pages && Dirty(j)) j++;
            ulong start = v.Start + (ulong)i * Page;
            runs.Add((start, p.Mem.Span(start, (j - i) * (int)Page).ToArray()));
            i = j;
        }
        return runs;
    }

    /// <summary>The process of <paramref name="h"/>, rebuilt in <paramref name="mem"/>, ready to run from h.Rip.</summary>
    public static LinuxProcess Restore(GuestMemory mem, ProcessOptions options, HandoffImage h)
    {
        var p = new LinuxProcess(mem, options) { ExePath = h.ExePath, Argv = h.Argv, Envp = h.Envp };
        foreach (var m in h.Mappings)
        {
            if (!GuestMemory.InRange(m.Start, m.End - m.Start)) throw new InvalidDataException($"mapping {m.Start:x} lies outside the guest");
            long rc;
            if (m.Inode != 0)
            {
                bool writable = m.Shared && (m.Prot & Prot.Write) != 0; // a writable shared mapping needs a read-write fd
                int fd = writable ? RawFile.OpenReadWrite(m.Name) : RawFile.OpenRead(m.Name);
                if (fd < 0) throw new InvalidDataException($"cannot open {m.Name}: errno {-fd}");
                try
                {
                    var st = Stat.Of(fd);
                    if (st.Dev != m.Device || st.Ino != m.Inode) throw new InvalidDataException($"{m.Name} was replaced during the hand-off");
                    // A shared mapping gets its final protection at once (writing would reach the file).
                    rc = m.Shared ? p.Space.MapHostFile(m.Start, m.End - m.Start, m.Prot, true, fd, m.Offset)
                        : p.Space.MapHostFile(m.Start, m.End - m.Start, m.Prot | Prot.Write, false, fd, m.Offset);
                }
                finally { HostFiles.Close(fd); }
            }
            else rc = p.Space.MapHostAnonymous(m.Start, m.End - m.Start, m.Prot | Prot.Write, false);
            if (rc < 0) throw new InvalidDataException($"cannot map {m.Name} at {m.Start:x}: errno {-rc}");
            p.Space.Insert(new Vma(m.Start, m.End, m.Prot, m.Shared, m.Name, m.Offset, m.Device, m.Inode));
            foreach (var (a, bytes) in m.Dirty)
            {
                if (a < m.Start || a + (ulong)bytes.Length > m.End) throw new InvalidDataException($"page run at {a:x} lies outside its mapping");
                bytes.CopyTo(p.Mem.Span(a, bytes.Length));
            }
            if ((m.Prot & Prot.Write) == 0 && !m.Shared) Libc.mprotect((nint)p.Mem.Ptr(m.Start), (nuint)(m.End - m.Start), AddressSpace.HostProt(m.Prot));
        }
        p.Space.RestoreBrk(h.BrkStart, h.Brk);

        Resident.Restore.LoadCpu(p.Cpu, h.Cpu);
        p.Cpu.InstructionsRetired = h.InstructionsRetired;

        p.ClearChildTid = h.ClearChildTid;
        p.RseqArea = h.RseqArea; p.RseqLength = h.RseqLength; p.RseqSignature = h.RseqSignature;
        var sig = p.Signals;
        sig.Mask = h.SignalMask; sig.AltStackSp = h.AltStackSp; sig.AltStackFlags = h.AltStackFlags; sig.AltStackSize = h.AltStackSize;
        for (int s = 0; s <= Signals.SignalState.Count; s++)
            for (int k = 0; k < 4; k++) sig.Actions[s, k] = h.SignalActions[s * 4 + k];
        p.Limits.Import(h.Limits, h.NoFileSeeded);
        if (h.Aux.Count > 0) p.Stack = new StackLayout(h.StackRsp, h.StackAreaLow, h.StackAreaHigh, h.StackRandom, [.. h.Aux]);

        // The descriptors crossed execve at the same host numbers: the table is the image's
        // (not what the new table found inherited), with the host close-on-exec state restored.
        p.Engine.SeedExecCounts(h.ExecCounts);
        p.Fds.Clear();
        foreach (var d in h.Fds)
            p.Fds.Put(d.GuestFd, new Files.FdTable.Entry(d.HostFd, d.CloExec) { Path = d.Path, FdDir = d.FdDir, Listing = d.Listing, ListingPos = d.ListingPos });
        KeepOnExec(h, false);
        return p;
    }

    /// <summary>Let the guest's close-on-exec host descriptors survive execve (<paramref name="keep"/>), or
    /// make them close-on-exec again (after the execve, in Restore; or when it failed).</summary>
    public static void KeepOnExec(HandoffImage h, bool keep)
    {
        foreach (var d in h.Fds)
            if (d.HostCloExec) Raw.Call(HostNr.Fcntl, d.HostFd, 2 /* F_SETFD */, keep ? 0 : 1 /* FD_CLOEXEC */);
    }
}
