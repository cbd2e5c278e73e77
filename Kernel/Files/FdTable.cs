// The guest's file descriptor table. Guest fds map to host fds the guest owns; the
// runtime's own descriptors are never reachable. Guest fds 0-2 and other inherited fds
// are the same host fds (so redirections behave natively); other guest fds map to host
// fds jitexec opened for the guest, always host-close-on-exec (guest exec is emulated,
// O_CLOEXEC tracked here).
using Jitexec.Kernel.Host;

namespace Jitexec.Kernel.Files;

public sealed class FdTable
{
    public const int MaxFds = 1024;

    public sealed class Entry(int hostFd, bool cloExec)
    {
        public int HostFd = hostFd;
        public bool CloExec = cloExec;
        /// <summary>What readlink(/proc/self/fd/N) shows when the host fd would show something else (generated /proc files).</summary>
        public string? Path;
        /// <summary>The guest opened its own fd directory: getdents64 lists guest fds (see FdDir).</summary>
        public bool FdDir;
        /// <summary>FdDir listing, taken at the first getdents64 after open or rewind, and the read position in it.</summary>
        public List<(string Name, byte Type)>? Listing;
        public int ListingPos;
    }

    private readonly Entry?[] _fds = new Entry?[MaxFds];

    /// <summary>
    /// The guest inherits what the program would have inherited: every host fd without FD_CLOEXEC at start-up, at
    /// the same number (0-2 and e.g. a shell's `3&lt;file`). The .NET runtime opens all of its own descriptors
    /// close-on-exec, so an fd that survived our own exec without FD_CLOEXEC came from the parent.
    /// </summary>
    public unsafe FdTable()
    {
        // One poll() over every candidate finds the open ones (closed fds report POLLNVAL), so
        // only those cost an fcntl: start-up pays 1 + (open fds) syscalls instead of MaxFds.
        var fds = new long[MaxFds]; // struct pollfd { int fd; short events, revents; }
        for (int i = 0; i < MaxFds; i++) fds[i] = (uint)i;
        long n;
        fixed (long* p = fds) n = Raw.Call(HostNr.Poll, (long)p, MaxFds, 0);
        for (int i = 0; i < MaxFds; i++)
        {
            if (n >= 0 && ((fds[i] >> 48) & 0x20 /* POLLNVAL */) != 0) continue;
            long flags = Raw.Call(HostNr.Fcntl, i, 1 /* F_GETFD */);
            if (flags >= 0 && (flags & 1 /* FD_CLOEXEC */) == 0) _fds[i] = new Entry(i, false);
        }
    }

    public Entry? Get(int fd) => (uint)fd < MaxFds ? _fds[fd] : null;

    /// <summary>Open guest fd numbers, ascending.</summary>
    public IEnumerable<int> OpenFds()
    {
        for (int i = 0; i < MaxFds; i++)
            if (_fds[i] != null) yield return i;
    }

    public int HostFd(long guestFd) => (ulong)guestFd < MaxFds && _fds[guestFd] is { } e ? e.HostFd : -1;

    public int LowestFree(int min)
    {
        for (int i = Math.Max(min, 0); i < MaxFds; i++)
            if (_fds[i] == null) return i;
        return -1;
    }

    /// <summary>Install a host fd at the lowest free guest number ≥ min. Returns the guest fd or -EMFILE (host fd closed).</summary>
    public int Install(int hostFd, bool cloExec, int min = 0)
    {
        int g = LowestFree(min);
        if (g < 0) { Raw.Call(HostNr.Close, hostFd); return -24; }
        return InstallAt(g, hostFd, cloExec);
    }

    /// <summary>Place hostFd at guest number g (g must be free). Guest 0-2 are made to be host 0-2.</summary>
    public int InstallAt(int g, int hostFd, bool cloExec)
    {
        if (g <= 2 && hostFd != g)
        {
            long r = Raw.Call(HostNr.Dup2, hostFd, g);
            Raw.Call(HostNr.Close, hostFd);
            if (r < 0) return (int)r;
            hostFd = g;
        }
        else if (g > 2)
        {
            Raw.Call(HostNr.Fcntl, hostFd, 2 /* F_SETFD */, 1 /* FD_CLOEXEC */);
        }
        _fds[g] = new Entry(hostFd, cloExec);
        return g;
    }

    /// <summary>Forget every entry without closing anything (a hand-off replaces the table: Handoff.Restore).</summary>
    public void Clear() => Array.Clear(_fds);

    /// <summary>Set guest fd <paramref name="g"/> to <paramref name="e"/> as it is (no dup, no host flag change).</summary>
    public void Put(int g, Entry e) => _fds[g] = e;

    public long Close(int g)
    {
        var e = Get(g);
        if (e == null) return -9; // EBADF
        _fds[g] = null;
        return Raw.Call(HostNr.Close, e.HostFd);
    }

    /// <summary>Close every close-on-exec descriptor (guest execve).</summary>
    public void CloseOnExec()
    {
        for (int i = 0; i < MaxFds; i++)
            if (_fds[i] is { CloExec: true }) Close(i);
    }
}
