// Self-modifying code detection. Host pages holding translated guest code that the guest
// may write are made read-only (bit set in Bitmap); the native SIGSEGV handler
// (Kernel/Host/FaultHandlerCode.cs) recognises a write fault on such a page, clears its
// bit, records the page in Table, sets the Written flag, restores PROT_READ|PROT_WRITE
// with a raw mprotect and returns, so the store completes. The run loop checks the flag
// after every block (compiled loops at every back-edge) and drops the translations of
// the recorded pages before any of them runs again.
// Invariant: a bit is set only while this guard has the page write-protected and the
// guest mapping is writable; every range the kernel re-maps or re-protects is Forget()-ed
// first (BlockCache.Invalidate), so the handler never grants write access the guest lacks.
using Jitexec.Translator.Host;
using Jitexec.Translator.Memory;

namespace Jitexec.Translator.Exec;

public sealed unsafe class CodeWriteGuard
{
    /// <summary>Pages recorded per batch; more faults before the run loop looks set Overflow semantics (count > Capacity).</summary>
    public const int Capacity = 64;
    private const int PageShift = 12;

    // Table layout (shared with the fault handler): [0] int written flag, [8] ulong count,
    // [16 + 8*i] guest page index of the i-th recorded fault (i < Capacity).
    public readonly ulong* Table;
    /// <summary>One bit per guest page of the reservation (NORESERVE: only touched words cost memory).</summary>
    public readonly ulong* Bitmap;
    private readonly GuestMemory _mem;
    public ulong PagesProtected { get; private set; }
    public ulong WriteFaults { get; private set; }

    public CodeWriteGuard(GuestMemory mem)
    {
        _mem = mem;
        nint t = Libc.mmap(0, 4096, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        ulong bitmapBytes = (GuestMemory.Size >> PageShift) / 8;
        // One page more than the bitmap needs: the guard area above the guest range has pages too.
        nint b = Libc.mmap(0, (nuint)(bitmapBytes + 4096), Libc.PROT_READ | Libc.PROT_WRITE,
            Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0);
        if (t == Libc.MAP_FAILED || b == Libc.MAP_FAILED) throw new InvalidOperationException("cannot allocate the code write guard");
        Table = (ulong*)t;
        Bitmap = (ulong*)b;
    }

    public GuestMemory Memory => _mem;

    /// <summary>The flag word compiled code and the run loop poll (non-zero: guest code pages were written).</summary>
    public int* WrittenFlag => (int*)Table;

    public bool IsProtected(ulong addr)
    {
        ulong page = (addr & GuestMemory.Mask) >> PageShift;
        return (Bitmap[page >> 6] & (1UL << (int)(page & 63))) != 0;
    }

    /// <summary>Write-protect the host page holding guest address addr (the guest page is writable).</summary>
    public void Protect(ulong addr)
    {
        ulong page = (addr & GuestMemory.Mask) >> PageShift;
        ref ulong word = ref Bitmap[page >> 6];
        ulong bit = 1UL << (int)(page & 63);
        if ((word & bit) != 0) return;
        word |= bit;
        Libc.mprotect((nint)_mem.Ptr(page << PageShift), 4096, Libc.PROT_READ);
        PagesProtected++;
    }

    /// <summary>Stop tracking [start, start+length): the kernel is about to re-map or re-protect it.</summary>
    public void Forget(ulong start, ulong length)
    {
        if (length == 0) return;
        ulong first = (start & GuestMemory.Mask) >> PageShift, last = ((start + length - 1) & GuestMemory.Mask) >> PageShift;
        if (last < first) return;
        for (ulong p = first; p <= last; p++)
        {
            ref ulong word = ref Bitmap[p >> 6];
            if (word == 0) { p |= 63; continue; }
            word &= ~(1UL << (int)(p & 63));
        }
    }

    /// <summary>Drop the translations of every page written since the last call (run loop thread).</summary>
    public void Collect(BlockCache cache)
    {
        ulong count = Table[1];
        *WrittenFlag = 0;
        Table[1] = 0;
        WriteFaults += count;
        if (count > Capacity)
        {
            cache.Clear(); // lost track of which pages: drop everything
            return;
        }
        for (ulong i = 0; i < count; i++)
            cache.Invalidate(Table[2 + i] << PageShift, 1UL << PageShift);
    }
}
