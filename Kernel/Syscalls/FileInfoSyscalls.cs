// Syscall group: path-based operations and file metadata (stat family, access,
// readlink, directories, renames, links, permissions, xattrs).
using System.Text;
using Jitexec.Kernel.Files;
using Jitexec.Kernel.Process;
using static Jitexec.Kernel.Syscalls.Forward;
using N = Jitexec.Kernel.Host.HostNr;

namespace Jitexec.Kernel.Syscalls;

internal static class FileInfoSyscalls
{
    private const int StatSize = 144, StatxSize = 256, StatfsSize = 120;

    public static IEnumerable<SyscallRow> Rows =>
    [
        new(4, "stat", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A0, hp => Call(N.Newfstatat, AT_FDCWD, hp, p.Host(a.A1, StatSize), 0)), Arg.Path, Arg.StatOut),
        new(6, "lstat", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A0, hp => Call(N.Newfstatat, AT_FDCWD, hp, p.Host(a.A1, StatSize), 0x100)), Arg.Path, Arg.StatOut),
        new(5, "fstat", (LinuxProcess p, SyscallArgs a) => Call(N.Fstat, Fd(p, a.A0), p.Host(a.A1, StatSize)), Arg.Fd, Arg.StatOut),
        new(262, "newfstatat", (LinuxProcess p, SyscallArgs a) => FstatAt(p, a), Arg.DirFd, Arg.Path, Arg.StatOut, Arg.AtFlags),
        new(332, "statx", (LinuxProcess p, SyscallArgs a) => WithPathAt(p, a.A0, a.A1, (d, hp) => Call(N.Statx, d, hp, (long)a.A2, (long)a.A3, p.Host(a.A4, StatxSize))), Arg.DirFd, Arg.Path, Arg.Hex, Arg.Hex, Arg.Ptr),
        new(21, "access", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A0, hp => Call(N.Faccessat, AT_FDCWD, hp, (long)a.A1)), Arg.Path, Arg.AccessMode),
        new(269, "faccessat", (LinuxProcess p, SyscallArgs a) => WithPathAt(p, a.A0, a.A1, (d, hp) => Call(N.Faccessat, d, hp, (long)a.A2)), Arg.DirFd, Arg.Path, Arg.AccessMode),
        new(439, "faccessat2", (LinuxProcess p, SyscallArgs a) => WithPathAt(p, a.A0, a.A1, (d, hp) => Call(N.Faccessat2, d, hp, (long)a.A2, (long)a.A3)), Arg.DirFd, Arg.Path, Arg.AccessMode, Arg.AtFlags),
        new(89, "readlink", (LinuxProcess p, SyscallArgs a) => ReadLink(p, unchecked((ulong)AT_FDCWD), a.A0, a.A1, a.A2), Arg.Path, Arg.OutBuf, Arg.UInt),
        new(267, "readlinkat", (LinuxProcess p, SyscallArgs a) => ReadLink(p, a.A0, a.A1, a.A2, a.A3), Arg.DirFd, Arg.Path, Arg.OutBuf, Arg.UInt),
        new(79, "getcwd", (LinuxProcess p, SyscallArgs a) => Call(N.Getcwd, p.Host(a.A0, a.A1), (long)a.A1), Arg.OutBuf, Arg.UInt),
        new(80, "chdir", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A0, hp => Call(N.Chdir, hp)), Arg.Path),
        new(81, "fchdir", (LinuxProcess p, SyscallArgs a) => Call(N.Fchdir, Fd(p, a.A0)), Arg.Fd),
        new(83, "mkdir", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A0, hp => Call(N.Mkdirat, AT_FDCWD, hp, (long)a.A1)), Arg.Path, Arg.Mode),
        new(258, "mkdirat", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A1, hp => Call(N.Mkdirat, DirFd(p, a.A0), hp, (long)a.A2)), Arg.DirFd, Arg.Path, Arg.Mode),
        new(84, "rmdir", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A0, hp => Call(N.Unlinkat, AT_FDCWD, hp, 0x200)), Arg.Path),
        new(87, "unlink", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A0, hp => Call(N.Unlinkat, AT_FDCWD, hp, 0)), Arg.Path),
        new(263, "unlinkat", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A1, hp => Call(N.Unlinkat, DirFd(p, a.A0), hp, (long)a.A2)), Arg.DirFd, Arg.Path, Arg.AtFlags),
        new(82, "rename", (LinuxProcess p, SyscallArgs a) => TwoPaths(p, a.A0, a.A1, (x, y) => Call(N.Renameat2, AT_FDCWD, x, AT_FDCWD, y, 0)), Arg.Path, Arg.Path),
        new(264, "renameat", (LinuxProcess p, SyscallArgs a) => TwoPaths(p, a.A1, a.A3, (x, y) => Call(N.Renameat2, DirFd(p, a.A0), x, DirFd(p, a.A2), y, 0)), Arg.DirFd, Arg.Path, Arg.DirFd, Arg.Path),
        new(316, "renameat2", (LinuxProcess p, SyscallArgs a) => TwoPaths(p, a.A1, a.A3, (x, y) => Call(N.Renameat2, DirFd(p, a.A0), x, DirFd(p, a.A2), y, (long)a.A4)), Arg.DirFd, Arg.Path, Arg.DirFd, Arg.Path, Arg.Hex),
        new(86, "link", (LinuxProcess p, SyscallArgs a) => TwoPaths(p, a.A0, a.A1, (x, y) => Call(N.Linkat, AT_FDCWD, x, AT_FDCWD, y, 0)), Arg.Path, Arg.Path),
        new(265, "linkat", (LinuxProcess p, SyscallArgs a) => TwoPaths(p, a.A1, a.A3, (x, y) => Call(N.Linkat, DirFd(p, a.A0), x, DirFd(p, a.A2), y, (long)a.A4)), Arg.DirFd, Arg.Path, Arg.DirFd, Arg.Path, Arg.Hex),
        new(88, "symlink", (LinuxProcess p, SyscallArgs a) => TwoPaths(p, a.A0, a.A1, (x, y) => Call(N.Symlinkat, x, AT_FDCWD, y)), Arg.Path, Arg.Path),
        new(266, "symlinkat", (LinuxProcess p, SyscallArgs a) => TwoPaths(p, a.A0, a.A2, (x, y) => Call(N.Symlinkat, x, DirFd(p, a.A1), y)), Arg.Path, Arg.DirFd, Arg.Path),
        new(90, "chmod", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A0, hp => Call(N.Fchmodat, AT_FDCWD, hp, (long)a.A1)), Arg.Path, Arg.Mode),
        new(91, "fchmod", (LinuxProcess p, SyscallArgs a) => Call(N.Fchmod, Fd(p, a.A0), (long)a.A1), Arg.Fd, Arg.Mode),
        new(268, "fchmodat", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A1, hp => Call(N.Fchmodat, DirFd(p, a.A0), hp, (long)a.A2)), Arg.DirFd, Arg.Path, Arg.Mode),
        new(92, "chown", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A0, hp => Call(N.Fchownat, AT_FDCWD, hp, (long)a.A1, (long)a.A2, 0)), Arg.Path, Arg.Int, Arg.Int),
        new(93, "fchown", (LinuxProcess p, SyscallArgs a) => Call(N.Fchown, Fd(p, a.A0), (long)a.A1, (long)a.A2), Arg.Fd, Arg.Int, Arg.Int),
        new(260, "fchownat", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A1, hp => Call(N.Fchownat, DirFd(p, a.A0), hp, (long)a.A2, (long)a.A3, (long)a.A4)), Arg.DirFd, Arg.Path, Arg.Int, Arg.Int, Arg.Hex),
        new(280, "utimensat", (LinuxProcess p, SyscallArgs a) => a.A1 == 0
            ? Call(N.Utimensat, Fd(p, a.A0), 0, p.HostOrNull(a.A2, 32), (long)a.A3)
            : WithPath(p, a.A1, hp => Call(N.Utimensat, DirFd(p, a.A0), hp, p.HostOrNull(a.A2, 32), (long)a.A3)), Arg.DirFd, Arg.Path, Arg.Ptr, Arg.Hex),
        new(95, "umask", (LinuxProcess p, SyscallArgs a) => Call(N.Umask, (long)a.A0), Arg.Mode),
        new(137, "statfs", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A0, hp => Call(N.Statfs, hp, p.Host(a.A1, StatfsSize))), Arg.Path, Arg.Ptr),
        new(138, "fstatfs", (LinuxProcess p, SyscallArgs a) => Call(N.Fstatfs, Fd(p, a.A0), p.Host(a.A1, StatfsSize)), Arg.Fd, Arg.Ptr),
        new(191, "getxattr", (LinuxProcess p, SyscallArgs a) => Xattr(p, N.Getxattr, a), Arg.Path, Arg.Path, Arg.Ptr, Arg.UInt),
        new(192, "lgetxattr", (LinuxProcess p, SyscallArgs a) => Xattr(p, N.Lgetxattr, a), Arg.Path, Arg.Path, Arg.Ptr, Arg.UInt),
        new(193, "fgetxattr", (LinuxProcess p, SyscallArgs a) => FdXattr(p, a), Arg.Fd, Arg.Path, Arg.Ptr, Arg.UInt),
        new(194, "listxattr", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A0, hp => Call(N.Listxattr, hp, p.HostOrNull(a.A1, a.A2), (long)a.A2)), Arg.Path, Arg.Ptr, Arg.UInt),
        new(195, "llistxattr", (LinuxProcess p, SyscallArgs a) => WithPath(p, a.A0, hp => Call(N.Llistxattr, hp, p.HostOrNull(a.A1, a.A2), (long)a.A2)), Arg.Path, Arg.Ptr, Arg.UInt),
        new(196, "flistxattr", (LinuxProcess p, SyscallArgs a) => Call(N.Flistxattr, Fd(p, a.A0), p.HostOrNull(a.A1, a.A2), (long)a.A2), Arg.Fd, Arg.Ptr, Arg.UInt),
    ];

    private static long FstatAt(LinuxProcess p, SyscallArgs a)
    {
        long buf = p.Host(a.A2, StatSize);
        long flags = (long)a.A3;
        return WithPathAt(p, a.A0, a.A1, (dir, hp) => Call(N.Newfstatat, dir, hp, buf, flags));
    }

    private static long ReadLink(LinuxProcess p, ulong dirFd, ulong path, ulong buf, ulong size)
    {
        if ((long)size <= 0) return -Errno.EINVAL;
        byte[] raw = p.ReadCString(path);
        if (raw.Length > 0 && raw[0] != '/' && (int)dirFd != AT_FDCWD && p.Fds.Get((int)dirFd) is { FdDir: true })
            raw = [.. "/proc/self/fd/"u8, .. raw];
        if (ProcSelf.ReadLink(p, raw) is { } target)
        {
            byte[] t = Encoding.UTF8.GetBytes(target);
            int n = (int)Math.Min((ulong)t.Length, size);
            p.WriteBytes(buf, t.AsSpan(0, n));
            return n;
        }
        return WithPathAt(p, dirFd, path, (d, hp) => Call(N.Readlinkat, d, hp, p.Host(buf, size), (long)size));
    }

    private static long TwoPaths(LinuxProcess p, ulong a, ulong b, Func<long, long, long> call) =>
        WithPath(p, a, x => WithPath(p, b, y => call(x, y)));

    private static long Xattr(LinuxProcess p, int nr, SyscallArgs a)
    {
        ulong name = a.A1, value = a.A2, size = a.A3;
        return TwoPaths(p, a.A0, name, (x, y) => Call(nr, x, y, p.HostOrNull(value, size), (long)size));
    }

    /// <summary>fgetxattr: one fd and an attribute name.</summary>
    private static long FdXattr(LinuxProcess p, SyscallArgs a)
    {
        long fd = Fd(p, a.A0);
        ulong value = a.A2, size = a.A3;
        return WithPath(p, a.A1, y => Call(N.Fgetxattr, fd, y, p.HostOrNull(value, size), (long)size));
    }
}
