// Syscall group: opening, closing, reading and writing files.
using Jitexec.Kernel.Process;
using static Jitexec.Kernel.Syscalls.Forward;
using N = Jitexec.Kernel.Host.HostNr;

namespace Jitexec.Kernel.Syscalls;

internal static class FileSyscalls
{
    private const int O_CLOEXEC = 0x80000;

    public static IEnumerable<SyscallRow> Rows =>
    [
        new(0, "read", (LinuxProcess p, SyscallArgs a) => Call(N.Read, Fd(p, a.A0), p.Host(a.A1, a.A2), (long)a.A2), Arg.Fd, Arg.OutBuf, Arg.UInt),
        new(1, "write", (LinuxProcess p, SyscallArgs a) => Call(N.Write, Fd(p, a.A0), p.Host(a.A1, a.A2), (long)a.A2), Arg.Fd, Arg.InBuf, Arg.UInt),
        new(17, "pread64", (LinuxProcess p, SyscallArgs a) => Call(N.Pread64, Fd(p, a.A0), p.Host(a.A1, a.A2), (long)a.A2, (long)a.A3), Arg.Fd, Arg.OutBuf, Arg.UInt, Arg.Int),
        new(18, "pwrite64", (LinuxProcess p, SyscallArgs a) => Call(N.Pwrite64, Fd(p, a.A0), p.Host(a.A1, a.A2), (long)a.A2, (long)a.A3), Arg.Fd, Arg.InBuf, Arg.UInt, Arg.Int),
        new(19, "readv", (LinuxProcess p, SyscallArgs a) => Vector(p, N.Readv, a), Arg.Fd, Arg.Ptr, Arg.Int),
        new(20, "writev", (LinuxProcess p, SyscallArgs a) => Vector(p, N.Writev, a), Arg.Fd, Arg.Ptr, Arg.Int),
        new(2, "open", (LinuxProcess p, SyscallArgs a) => Open(p, unchecked((ulong)AT_FDCWD), a.A0, (long)a.A1, (long)a.A2), Arg.Path, Arg.OpenFlags, Arg.OpenMode),
        new(257, "openat", (LinuxProcess p, SyscallArgs a) => Open(p, a.A0, a.A1, (long)a.A2, (long)a.A3), Arg.DirFd, Arg.Path, Arg.OpenFlags, Arg.OpenMode),
        new(85, "creat", (LinuxProcess p, SyscallArgs a) => Open(p, unchecked((ulong)AT_FDCWD), a.A0, 0x241 /* O_CREAT|O_WRONLY|O_TRUNC */, (long)a.A1), Arg.Path, Arg.Mode),
        new(3, "close", (LinuxProcess p, SyscallArgs a) => p.Fds.Close((int)a.A0), Arg.Fd),
        new(8, "lseek", (LinuxProcess p, SyscallArgs a) => p.Fds.Get((int)a.A0) is { FdDir: true } e
            ? Files.FdDir.Seek(e, (long)a.A1, (int)a.A2) : Call(N.Lseek, Fd(p, a.A0), (long)a.A1, (long)a.A2), Arg.Fd, Arg.Int, Arg.Whence),
        new(40, "sendfile", (LinuxProcess p, SyscallArgs a) => Call(N.Sendfile, Fd(p, a.A0), Fd(p, a.A1), p.HostOrNull(a.A2, 8), (long)a.A3), Arg.Fd, Arg.Fd, Arg.Ptr, Arg.UInt),
        new(326, "copy_file_range", (LinuxProcess p, SyscallArgs a) => Call(N.CopyFileRange, Fd(p, a.A0), p.HostOrNull(a.A1, 8), Fd(p, a.A2), p.HostOrNull(a.A3, 8), (long)a.A4, (long)a.A5), Arg.Fd, Arg.Ptr, Arg.Fd, Arg.Ptr, Arg.UInt, Arg.Hex),
        new(221, "fadvise64", (LinuxProcess p, SyscallArgs a) => Call(N.Fadvise64, Fd(p, a.A0), (long)a.A1, (long)a.A2, (long)a.A3), Arg.Fd, Arg.Int, Arg.Int, Arg.Fadvice),
        new(74, "fsync", (LinuxProcess p, SyscallArgs a) => Call(N.Fsync, Fd(p, a.A0)), Arg.Fd),
        new(75, "fdatasync", (LinuxProcess p, SyscallArgs a) => Call(N.Fdatasync, Fd(p, a.A0)), Arg.Fd),
        new(77, "ftruncate", (LinuxProcess p, SyscallArgs a) => Call(N.Ftruncate, Fd(p, a.A0), (long)a.A1), Arg.Fd, Arg.Int),
        new(76, "truncate", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A0, path => Call(N.Truncate, path, (long)a.A1)), Arg.Path, Arg.Int),
        new(73, "flock", (LinuxProcess p, SyscallArgs a) => Call(N.Flock, Fd(p, a.A0), (long)a.A1), Arg.Fd, Arg.Int),
        new(217, "getdents64", (LinuxProcess p, SyscallArgs a) => p.Fds.Get((int)a.A0) is { FdDir: true } e
            ? Files.FdDir.Getdents(p, e, a.A1, a.A2) : Call(N.Getdents64, Fd(p, a.A0), p.Host(a.A1, a.A2), (long)a.A2), Arg.Fd, Arg.Dirents, Arg.UInt),
    ];

    private static long Open(LinuxProcess p, ulong dirFd, ulong path, long flags, long mode)
    {
        byte[] raw = p.ReadCString(path);
        bool cloExec = (flags & O_CLOEXEC) != 0;
        if (Files.ProcSelf.Generate(p, raw) is { } content)
        {
            long fd = Files.ProcSelf.OpenGenerated(content);
            if (fd < 0) return fd;
            int g = p.Fds.Install((int)fd, cloExec);
            if (g >= 0) p.Fds.Get(g)!.Path = $"/proc/{Environment.ProcessId}/{Files.ProcSelf.SelfRelative(raw)}";
            return g;
        }
        long host = WithPathAt(p, dirFd, path, (d, hp) => Call(N.Openat, d, hp, flags | O_CLOEXEC, mode));
        if (host < 0) return host;
        int guest = p.Fds.Install((int)host, cloExec);
        if (guest >= 0 && Files.ProcSelf.IsFdDir(raw)) p.Fds.Get(guest)!.FdDir = true;
        return guest;
    }

    /// <summary>readv/writev: translate each iovec's base to a host pointer.</summary>
    private static unsafe long Vector(LinuxProcess p, int nr, SyscallArgs a)
    {
        long fd = Fd(p, a.A0);
        int count = (int)a.A2;
        if (count < 0 || count > 1024) return -Errno.EINVAL;
        var guest = (ulong*)p.Host(a.A1, (ulong)count * 16);
        var host = stackalloc ulong[count * 2 + 1];
        for (int i = 0; i < count; i++)
        {
            ulong b = guest[2 * i], len = guest[2 * i + 1];
            host[2 * i] = len == 0 ? 0 : (ulong)p.Host(b, len);
            host[2 * i + 1] = len;
        }
        return Call(nr, fd, (long)host, count);
    }
}
