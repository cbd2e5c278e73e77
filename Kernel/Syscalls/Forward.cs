// Helpers for syscalls that the host kernel can perform directly once guest fds and
// pointers are translated (host and guest are both x86-64 Linux, so structs match).
using Jitexec.Kernel.Files;
using Jitexec.Kernel.Host;
using Jitexec.Kernel.Process;

namespace Jitexec.Kernel.Syscalls;

internal static class Forward
{
    /// <summary>Translate a guest fd (EBADF if not open).</summary>
    public static long Fd(LinuxProcess p, ulong guestFd)
    {
        int h = p.Fds.HostFd((long)guestFd);
        if (h < 0) throw new SyscallError(Errno.EBADF);
        return h;
    }

    public const long AT_FDCWD = -100;

    /// <summary>Translate a dirfd argument: AT_FDCWD passes through.</summary>
    public static long DirFd(LinuxProcess p, ulong guestFd) => (long)guestFd == AT_FDCWD || (int)guestFd == AT_FDCWD ? AT_FDCWD : Fd(p, guestFd);

    /// <summary>Run <paramref name="call"/> with a host pointer to the guest path at <paramref name="ptr"/>, after /proc/self redirection.</summary>
    public static unsafe long WithPath(LinuxProcess p, ulong ptr, Func<long, long> call)
    {
        byte[] raw = p.ReadCString(ptr);
        byte[]? mapped = ProcSelf.Redirect(p, raw);
        if (mapped == null) return call(p.Host(ptr, (ulong)raw.Length + 1));
        var z = new byte[mapped.Length + 1];
        mapped.CopyTo(z, 0);
        fixed (byte* m = z) return call((long)m);
    }

    /// <summary>
    /// Run <paramref name="call"/>(host dirfd, host path) for a guest (dirfd, path) pair. A relative path under the
    /// guest's fd directory (/proc/self/fd opened as a directory) becomes the absolute /proc/self/fd/NAME, so it is
    /// redirected to the guest fd's host fd like the absolute form.
    /// </summary>
    public static unsafe long WithPathAt(LinuxProcess p, ulong guestDirFd, ulong ptr, Func<long, long, long> call)
    {
        byte[] raw = p.ReadCString(ptr);
        if (raw.Length > 0 && raw[0] != '/' && (int)guestDirFd != AT_FDCWD && p.Fds.Get((int)guestDirFd) is { FdDir: true })
        {
            byte[] abs = [.. "/proc/self/fd/"u8, .. raw];
            byte[] mapped = ProcSelf.Redirect(p, abs) ?? abs;
            var z = new byte[mapped.Length + 1];
            mapped.CopyTo(z, 0);
            fixed (byte* m = z) return call(AT_FDCWD, (long)m);
        }
        long dir = DirFd(p, guestDirFd);
        return WithPath(p, ptr, hp => call(dir, hp));
    }

    public static long Call(long nr, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0, long a6 = 0)
        => Raw.Call(nr, a1, a2, a3, a4, a5, a6);
}
