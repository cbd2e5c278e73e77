// The guest's mappings (VMAs) and their realisation as host mappings inside the guest
// reservation. Every guest mapping change goes through here, so the VMA list (shown in
// /proc/self/maps, used to find executable code) and the host pages never disagree.
// Host pages never get PROT_EXEC; guest-executable pages are host-readable.
// Unmapped guest ranges are returned to PROT_NONE reservation.
using System.Runtime.InteropServices;
using Jitexec.Kernel.Host;
using Jitexec.Loader;
using Jitexec.Translator.Host;
using Jitexec.Translator.Memory;

namespace Jitexec.Kernel.Memory;

public sealed unsafe class AddressSpace : IGuestMapper
{
    private readonly GuestMemory _mem;
    private readonly List<Vma> _vmas = new(); // sorted by Start, non-overlapping

    /// <summary>Called with (start, length) whenever code in that range may have changed or disappeared.</summary>
    public Action<ulong, ulong>? CodeChanged;

    public ulong BrkStart { get; private set; }
    public ulong Brk { get; private set; }

    public AddressSpace(GuestMemory mem) => _mem = mem;

    public IReadOnlyList<Vma> Vmas => _vmas;

    public static int HostProt(int prot) =>
        ((prot & (Prot.Read | Prot.Exec)) != 0 ? Libc.PROT_READ : 0) | ((prot & Prot.Write) != 0 ? Libc.PROT_WRITE | Libc.PROT_READ : 0);

    /// <summary>Make <paramref name="v"/> host-readable until the scope is disposed if the guest cannot
    /// read it (PROT_NONE), so a capture can copy its pages; any other mapping is left as it is.</summary>
    public ReadableScope Readable(Vma v) => new(HostProt(v.Prot) == 0 ? (nint)_mem.Ptr(v.Start) : 0, (nuint)v.Length);

    public readonly struct ReadableScope : IDisposable
    {
        private readonly nint _at;
        private readonly nuint _length;

        internal ReadableScope(nint at, nuint length)
        {
            (_at, _length) = (at, length);
            if (_at != 0) Libc.mprotect(_at, _length, Libc.PROT_READ);
        }

        public void Dispose()
        {
            if (_at != 0) Libc.mprotect(_at, _length, Libc.PROT_NONE);
        }
    }

    public Vma? Find(ulong addr)
    {
        int lo = 0, hi = _vmas.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            var v = _vmas[mid];
            if (addr < v.Start) hi = mid - 1;
            else if (addr >= v.End) lo = mid + 1;
            else return v;
        }
        return null;
    }

    /// <summary>End of the contiguous executable region containing addr, or 0.</summary>
    public ulong ExecutableEnd(ulong addr)
    {
        var v = Find(addr);
        if (v == null || (v.Prot & Prot.Exec) == 0) return 0;
        ulong end = v.End;
        while (Find(end) is { } next && (next.Prot & Prot.Exec) != 0) end = next.End;
        return end;
    }

    public bool IsFree(ulong start, ulong length)
    {
        ulong end = start + length;
        foreach (var v in _vmas)
            if (v.Start < end && start < v.End) return false;
        return true;
    }

    public ulong FindFree(ulong length) => FindFreeBelow(Layout.MmapTop, length);

    public ulong FindFreeBelow(ulong top, ulong length)
    {
        length = Layout.PageUp(length);
        ulong candidateEnd = top;
        for (int i = _vmas.Count - 1; i >= -1; i--)
        {
            ulong gapLow = i >= 0 ? _vmas[i].End : Layout.MmapMin;
            ulong gapHigh = i + 1 < _vmas.Count ? Math.Min(_vmas[i + 1].Start, candidateEnd) : candidateEnd;
            if (gapHigh > gapLow && gapHigh - gapLow >= length && gapHigh <= top) return gapHigh - length;
            if (i >= 0 && _vmas[i].Start < candidateEnd) candidateEnd = Math.Min(candidateEnd, _vmas[i].Start);
        }
        return 0;
    }

    // --- IGuestMapper (loader) -------------------------------------------------------

    public void MapFile(ulong addr, ulong length, int prot, string path, ulong offset)
    {
        using var h = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        var st = Stat.Of((int)h.DangerousGetHandle());
        long r = MapHostFile(addr, length, prot, false, (int)h.DangerousGetHandle(), offset);
        if (r < 0) throw new IOException($"cannot map {path}: errno {-r}");
        Insert(new Vma(addr, addr + length, prot, false, Path.GetFullPath(path), offset, st.Dev, st.Ino));
    }

    public void MapAnonymous(ulong addr, ulong length, int prot, string name)
    {
        long r = MapHostAnonymous(addr, length, prot, false);
        if (r < 0) throw new IOException($"cannot map anonymous memory: errno {-r}");
        Insert(new Vma(addr, addr + length, prot, false, name, 0, 0, 0));
    }

    public void Protect(ulong addr, ulong length, int prot) => ProtectRange(addr, length, prot);

    public void Poke(ulong addr, ReadOnlySpan<byte> bytes)
    {
        ulong start = Layout.PageDown(addr), end = Layout.PageUp(addr + (ulong)bytes.Length);
        Libc.mprotect((nint)_mem.Ptr(start), (nuint)(end - start), Libc.PROT_READ | Libc.PROT_WRITE);
        bytes.CopyTo(_mem.Span(addr, bytes.Length));
        // Restore each VMA's own protection.
        foreach (var v in _vmas)
            if (v.Start < end && start < v.End)
            {
                ulong s = Math.Max(v.Start, start), e = Math.Min(v.End, end);
                Libc.mprotect((nint)_mem.Ptr(s), (nuint)(e - s), HostProt(v.Prot));
            }
    }

    // --- Syscall-level operations ----------------------------------------------------

    public long MapHostFile(ulong addr, ulong length, int prot, bool shared, int hostFd, ulong offset)
    {
        CodeChanged?.Invoke(addr, length);
        nint p = Libc.mmap((nint)_mem.Ptr(addr), (nuint)length, HostProt(prot),
            (shared ? Libc.MAP_SHARED : Libc.MAP_PRIVATE) | Libc.MAP_FIXED, hostFd, (long)offset);
        return p == Libc.MAP_FAILED ? -Marshal.GetLastPInvokeError() : 0;
    }

    public long MapHostAnonymous(ulong addr, ulong length, int prot, bool shared)
    {
        CodeChanged?.Invoke(addr, length);
        nint p = Libc.mmap((nint)_mem.Ptr(addr), (nuint)length, HostProt(prot),
            (shared ? Libc.MAP_SHARED : Libc.MAP_PRIVATE) | Libc.MAP_FIXED | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0);
        return p == Libc.MAP_FAILED ? -Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>Record a mapping, replacing whatever VMAs overlapped it.</summary>
    public void Insert(Vma v)
    {
        Carve(v.Start, v.End);
        int i = 0;
        while (i < _vmas.Count && _vmas[i].Start < v.Start) i++;
        _vmas.Insert(i, v);
    }

    /// <summary>munmap: drop VMAs in the range and return the pages to the reservation.</summary>
    public void Unmap(ulong addr, ulong length)
    {
        CodeChanged?.Invoke(addr, length);
        Carve(addr, addr + length);
        Libc.mmap((nint)_mem.Ptr(addr), (nuint)length, Libc.PROT_NONE,
            Libc.MAP_PRIVATE | Libc.MAP_FIXED | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0);
    }

    /// <summary>True when VMAs cover [addr, addr+length) without a hole (else msync/madvise/mprotect fail with ENOMEM).</summary>
    public bool IsMapped(ulong addr, ulong length)
    {
        ulong end = addr + length;
        ulong covered = addr;
        foreach (var v in _vmas)
        {
            if (v.End <= covered || v.Start >= end) continue;
            if (v.Start > covered) return false;
            covered = v.End;
        }
        return covered >= end;
    }

    /// <summary>mprotect: returns false (ENOMEM) if part of the range is unmapped.</summary>
    public bool ProtectRange(ulong addr, ulong length, int prot)
    {
        ulong end = addr + length;
        if (!IsMapped(addr, length)) return false;
        CodeChanged?.Invoke(addr, length);
        var affected = _vmas.Where(v => v.Start < end && addr < v.End).ToList();
        foreach (var v in affected)
        {
            ulong s = Math.Max(v.Start, addr), e = Math.Min(v.End, end);
            Insert(v.Slice(s, e) with { Prot = prot });
            // Insert carved [s,e) out of v; re-add the untouched pieces.
            if (v.Start < s) Insert(v.Slice(v.Start, s));
            if (e < v.End) Insert(v.Slice(e, v.End));
        }
        Libc.mprotect((nint)_mem.Ptr(addr), (nuint)length, HostProt(prot));
        return true;
    }

    private void Carve(ulong start, ulong end)
    {
        for (int i = 0; i < _vmas.Count; i++)
        {
            var v = _vmas[i];
            if (v.End <= start || v.Start >= end) continue;
            _vmas.RemoveAt(i);
            int at = i;
            if (v.Start < start) _vmas.Insert(at++, v.Slice(v.Start, start));
            if (end < v.End) _vmas.Insert(at++, v.Slice(end, v.End));
            i = at - 1;
        }
    }

    // --- brk ---------------------------------------------------------------------------

    public void InitBrk(ulong start)
    {
        BrkStart = Brk = Layout.PageUp(start);
    }

    /// <summary>Snapshot restore: reinstate a saved break (its heap VMA is restored with the other regions).</summary>
    public void RestoreBrk(ulong start, ulong brk)
    {
        BrkStart = start;
        Brk = brk;
    }

    /// <summary>brk(2): returns the new break (the old one if the request cannot be met).</summary>
    public ulong SetBrk(ulong want)
    {
        if (want < BrkStart) return Brk;
        ulong oldTop = Layout.PageUp(Brk), newTop = Layout.PageUp(want);
        if (newTop > oldTop)
        {
            if (!IsFree(oldTop, newTop - oldTop) || newTop - BrkStart > (1UL << 34)) return Brk;
            MapHostAnonymous(oldTop, newTop - oldTop, Prot.Read | Prot.Write, false);
            Insert(new Vma(oldTop, newTop, Prot.Read | Prot.Write, false, "[heap]", 0, 0, 0));
            MergeHeap();
        }
        else if (newTop < oldTop)
        {
            Unmap(newTop, oldTop - newTop);
        }
        Brk = want;
        return Brk;
    }

    private void MergeHeap()
    {
        for (int i = 0; i + 1 < _vmas.Count; i++)
        {
            var a = _vmas[i]; var b = _vmas[i + 1];
            if (a.Name == "[heap]" && b.Name == "[heap]" && a.End == b.Start && a.Prot == b.Prot)
            {
                _vmas[i] = a with { End = b.End };
                _vmas.RemoveAt(i + 1);
                i--;
            }
        }
    }
}
