// Syscall group: descriptor manipulation (dup, fcntl, ioctl, pipes), readiness (poll,
// select) and the AF_UNIX socket calls glibc makes (nscd probes).
using Jitexec.Kernel.Process;
using static Jitexec.Kernel.Syscalls.Forward;
using N = Jitexec.Kernel.Host.HostNr;

namespace Jitexec.Kernel.Syscalls;

internal static class FdSyscalls
{
    private const int O_CLOEXEC = 0x80000;
    private const int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_DUPFD_CLOEXEC = 1030;

    public static IEnumerable<SyscallRow> Rows =>
    [
        new(32, "dup", (LinuxProcess p, SyscallArgs a) => Dup(p, (int)a.A0, 0, false), Arg.Fd),
        new(33, "dup2", (LinuxProcess p, SyscallArgs a) => Dup2(p, (int)a.A0, (int)a.A1, 0, allowSame: true), Arg.Fd, Arg.Fd),
        new(292, "dup3", (LinuxProcess p, SyscallArgs a) => Dup2(p, (int)a.A0, (int)a.A1, (int)a.A2, allowSame: false), Arg.Fd, Arg.Fd, Arg.Hex),
        new(72, "fcntl", (LinuxProcess p, SyscallArgs a) => Fcntl(p, a), Arg.Fd, Arg.FcntlCmd, Arg.FcntlArg),
        new(16, "ioctl", (LinuxProcess p, SyscallArgs a) => Ioctl(p, a), Arg.Fd, Arg.IoctlReq, Arg.Hex),
        new(22, "pipe", (LinuxProcess p, SyscallArgs a) => Pipe(p, a.A0, 0), Arg.Ptr),
        new(293, "pipe2", (LinuxProcess p, SyscallArgs a) => Pipe(p, a.A0, (int)a.A1), Arg.Ptr, Arg.OpenFlags),
        new(7, "poll", (LinuxProcess p, SyscallArgs a) => Poll(p, a.A0, (int)a.A1, timeout => Call(N.Poll, timeout, (long)a.A1, (long)a.A2)), Arg.Ptr, Arg.UInt, Arg.Int),
        new(271, "ppoll", (LinuxProcess p, SyscallArgs a) => Poll(p, a.A0, (int)a.A1, fds => Call(N.Ppoll, fds, (long)a.A1, p.HostOrNull(a.A2, 16), p.HostOrNull(a.A3, 8), (long)a.A4)), Arg.Ptr, Arg.UInt, Arg.Ptr, Arg.Ptr, Arg.UInt),
        new(23, "select", (LinuxProcess p, SyscallArgs a) => Select(p, a, (n, r, w, e) => Call(N.Select, n, r, w, e, p.HostOrNull(a.A4, 16))), Arg.Int, Arg.Ptr, Arg.Ptr, Arg.Ptr, Arg.Ptr),
        new(270, "pselect6", (LinuxProcess p, SyscallArgs a) => Select(p, a, (n, r, w, e) => Call(N.Pselect6, n, r, w, e, p.HostOrNull(a.A4, 16), Pselect6Mask(p, a.A5))), Arg.Int, Arg.Ptr, Arg.Ptr, Arg.Ptr, Arg.Ptr, Arg.Ptr),
        new(41, "socket", (LinuxProcess p, SyscallArgs a) => Socket(p, a), Arg.SockFamily, Arg.SockType, Arg.Int),
        new(42, "connect", (LinuxProcess p, SyscallArgs a) => Call(N.Connect, Fd(p, a.A0), p.Host(a.A1, a.A2), (long)a.A2), Arg.Fd, Arg.SockAddr, Arg.UInt),
        new(52, "getpeername", (LinuxProcess p, SyscallArgs a) => SockName(p, 52, a), Arg.Fd, Arg.Ptr, Arg.Ptr),
        new(51, "getsockname", (LinuxProcess p, SyscallArgs a) => SockName(p, 51, a), Arg.Fd, Arg.Ptr, Arg.Ptr),
    ];

    private static long Dup(LinuxProcess p, int fd, int min, bool cloExec)
    {
        long h = Call(N.Fcntl, Fd(p, (ulong)fd), F_DUPFD_CLOEXEC, 3);
        if (h < 0) return h;
        return p.Fds.Install((int)h, cloExec, min);
    }

    private static long Dup2(LinuxProcess p, int oldFd, int newFd, int flags, bool allowSame)
    {
        long h = Fd(p, (ulong)oldFd);
        if ((uint)newFd >= Files.FdTable.MaxFds) return -Errno.EBADF;
        if (oldFd == newFd) return allowSame ? newFd : -Errno.EINVAL;
        if ((flags & ~O_CLOEXEC) != 0) return -Errno.EINVAL;
        long dup = Call(N.Fcntl, h, F_DUPFD_CLOEXEC, 3);
        if (dup < 0) return dup;
        if (p.Fds.Get(newFd) != null) p.Fds.Close(newFd);
        return p.Fds.InstallAt(newFd, (int)dup, (flags & O_CLOEXEC) != 0);
    }

    private static long Fcntl(LinuxProcess p, SyscallArgs a)
    {
        int fd = (int)a.A0, cmd = (int)a.A1;
        var e = p.Fds.Get(fd);
        if (e == null) return -Errno.EBADF;
        switch (cmd)
        {
            case F_DUPFD: return Dup(p, fd, (int)a.A2, false);
            case F_DUPFD_CLOEXEC: return Dup(p, fd, (int)a.A2, true);
            case F_GETFD: return e.CloExec ? 1 : 0;
            case F_SETFD: e.CloExec = (a.A2 & 1) != 0; return 0;
            case 5: case 6: case 7: case 36: case 37: case 38: // F_GETLK/SETLK/SETLKW and OFD locks: struct flock pointer
                return Call(N.Fcntl, e.HostFd, cmd, p.Host(a.A2, 32));
            default: // F_GETFL, F_SETFL, F_GETPIPE_SZ, F_SETPIPE_SZ, seals, F_GETOWN...: integer arguments
                return Call(N.Fcntl, e.HostFd, cmd, (long)a.A2);
        }
    }

    /// <summary>ioctl requests whose argument is a pointer to a fixed-size struct: that size, else 0.
    /// (A switch, not a Dictionary&lt;uint, ulong&gt;, which has no ReadyToRun code: every run doing
    /// an ioctl would compile its methods at start-up.)</summary>
    private static ulong PointerIoctlSize(uint req) => req switch
    {
        0x5401 or 0x5402 or 0x5403 or 0x5404 => 60, // TCGETS, TCSETS, TCSETSW, TCSETSF (struct termios)
        0x5413 or 0x5414 => 8,                      // TIOCGWINSZ, TIOCSWINSZ
        0x540F or 0x5410 => 4,                      // TIOCGPGRP, TIOCSPGRP
        0x541B or 0x5421 => 4,                      // FIONREAD, FIONBIO
        0x5429 => 4,                                // TIOCGSID
        _ => 0,
    };

    private static long Ioctl(LinuxProcess p, SyscallArgs a)
    {
        long fd = Fd(p, a.A0);
        uint req = (uint)a.A1;
        if (PointerIoctlSize(req) is ulong size and > 0) return Call(N.Ioctl, fd, req, p.Host(a.A2, size));
        return req switch
        {
            0x5450 or 0x5451 => Call(N.Ioctl, fd, req),                // FIONCLEX, FIOCLEX (no argument)
            0x540B => Call(N.Ioctl, fd, req, (long)a.A2),              // TCFLSH
            _ => -Errno.ENOTTY,
        };
    }

    private static unsafe long Pipe(LinuxProcess p, ulong fds, int flags)
    {
        long hostPtr = p.Host(fds, 8);
        var pair = stackalloc int[2];
        long r = Call(N.Pipe2, (long)pair, flags | O_CLOEXEC);
        if (r < 0) return r;
        bool ce = (flags & O_CLOEXEC) != 0;
        int g0 = p.Fds.Install(pair[0], ce);
        int g1 = p.Fds.Install(pair[1], ce);
        ((int*)hostPtr)[0] = g0;
        ((int*)hostPtr)[1] = g1;
        return 0;
    }

    /// <summary>poll/ppoll: copy the pollfd array with fds translated, call, copy revents back.</summary>
    private static unsafe long Poll(LinuxProcess p, ulong fdsPtr, int n, Func<long, long> call)
    {
        if (n < 0 || n > 4096) return -Errno.EINVAL;
        var guest = (long*)(n == 0 ? 0 : p.Host(fdsPtr, (ulong)n * 8));
        var host = new long[Math.Max(n, 1)];
        for (int i = 0; i < n; i++)
        {
            int gfd = (int)guest[i];
            int hfd = gfd < 0 ? gfd : p.Fds.HostFd(gfd);
            if (gfd >= 0 && hfd < 0) hfd = int.MaxValue; // yields POLLNVAL like a closed fd
            host[i] = ((long)(ushort)(guest[i] >> 32) << 32) | (uint)hfd; // fd, events; revents = 0
        }
        long r;
        fixed (long* h = host) r = call((long)h);
        for (int i = 0; i < n; i++)
            ((short*)&guest[i])[3] = (short)(host[i] >> 48);
        return r;
    }

    /// <summary>getsockname/getpeername: the buffer's size is the value behind the length pointer.</summary>
    private static unsafe long SockName(LinuxProcess p, int nr, SyscallArgs a)
    {
        long fd = Fd(p, a.A0);
        var len = (uint*)p.Host(a.A2, 4);
        return Call(nr, fd, p.Host(a.A1, Math.Max(*len, 1u)), (long)len);
    }

    private static long Socket(LinuxProcess p, SyscallArgs a)
    {
        long h = Call(N.Socket, (long)a.A0, (long)a.A1 | O_CLOEXEC, (long)a.A2);
        if (h < 0) return h;
        return p.Fds.Install((int)h, ((long)a.A1 & O_CLOEXEC) != 0);
    }

    /// <summary>select/pselect6: rewrite the three guest fd_sets in host fd numbers, call, map the results back.</summary>
    private static unsafe long Select(LinuxProcess p, SyscallArgs a, Func<long, long, long, long, long> call)
    {
        int nfds = (int)a.A0;
        if (nfds < 0 || nfds > Files.FdTable.MaxFds) return -Errno.EINVAL;
        ulong bytes = (ulong)((nfds + 63) / 64 * 8);
        ulong[] guestSets = [a.A1, a.A2, a.A3];
        var hostSets = new ulong[3][];
        int hostMax = 0;
        for (int s = 0; s < 3; s++)
        {
            if (guestSets[s] == 0) continue;
            var g = (ulong*)p.Host(guestSets[s], bytes);
            hostSets[s] = new ulong[Files.FdTable.MaxFds / 64 * 4];
            for (int fd = 0; fd < nfds; fd++)
            {
                if ((g[fd / 64] >> (fd % 64) & 1) == 0) continue;
                int h = p.Fds.HostFd(fd);
                if (h < 0) return -Errno.EBADF;
                if (h / 64 >= hostSets[s].Length) return -Errno.EINVAL;
                hostSets[s][h / 64] |= 1UL << (h % 64);
                hostMax = Math.Max(hostMax, h + 1);
            }
        }
        long r;
        fixed (ulong* r0 = hostSets[0], r1 = hostSets[1], r2 = hostSets[2])
            r = call(hostMax, (long)r0, (long)r1, (long)r2);
        if (r < 0) return r;
        for (int s = 0; s < 3; s++)
        {
            if (guestSets[s] == 0) continue;
            var g = (ulong*)p.Host(guestSets[s], bytes);
            for (int fd = 0; fd < nfds; fd++)
            {
                if ((g[fd / 64] >> (fd % 64) & 1) == 0) continue;
                int h = p.Fds.HostFd(fd);
                if ((hostSets[s][h / 64] >> (h % 64) & 1) == 0) g[fd / 64] &= ~(1UL << (fd % 64));
            }
        }
        return r;
    }

    /// <summary>pselect6's sixth argument: {const sigset_t *ss; size_t ss_len}, translated to a host copy.</summary>
    private static unsafe long Pselect6Mask(LinuxProcess p, ulong ptr)
    {
        if (ptr == 0) return 0;
        var g = (ulong*)p.Host(ptr, 16);
        _maskArg[0] = g[0] == 0 ? 0 : (ulong)p.Host(g[0], 8);
        _maskArg[1] = g[1];
        fixed (ulong* m = _maskArg) return (long)m; // the array is allocated pinned, so the address stays valid
    }

    [ThreadStatic] private static ulong[]? _maskArgStorage;
    private static ulong[] _maskArg => _maskArgStorage ??= GC.AllocateArray<ulong>(2, pinned: true);
}
