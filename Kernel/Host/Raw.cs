// Host system calls made on the guest's behalf. Returns the Linux convention: a
// non-negative result, or -errno. Pointer arguments must already be host pointers.
using System.Runtime.InteropServices;
using Jitexec.Translator.Host;

namespace Jitexec.Kernel.Host;

public static class Raw
{
    public static long Call(long nr, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0, long a6 = 0)
    {
        long r = Libc.syscall((nint)nr, (nint)a1, (nint)a2, (nint)a3, (nint)a4, (nint)a5, (nint)a6);
        return r == -1 ? -Marshal.GetLastPInvokeError() : r;
    }
}

/// <summary>Host syscall numbers used directly (x86-64).</summary>
public static class HostNr
{
    public const int Read = 0, Write = 1, Close = 3, Fstat = 5, Lseek = 8, Mmap = 9, Mprotect = 10, Munmap = 11,
        RtSigaction = 13, RtSigprocmask = 14, Ioctl = 16, Pread64 = 17, Pwrite64 = 18, Readv = 19, Writev = 20,
        Access = 21, Pipe = 22, Select = 23, Mremap = 25, Msync = 26, Madvise = 28, Dup = 32, Dup2 = 33,
        Nanosleep = 35, Getpid = 39, Sendfile = 40, Socket = 41, Connect = 42, Exit = 60, Wait4 = 61, Kill = 62, Uname = 63,
        Fcntl = 72, Flock = 73, Fsync = 74, Fdatasync = 75, Truncate = 76, Ftruncate = 77, Getcwd = 79,
        Chdir = 80, Fchdir = 81, Rename = 82, Mkdir = 83, Rmdir = 84, Link = 86, Unlink = 87, Symlink = 88,
        Readlink = 89, Chmod = 90, Fchmod = 91, Chown = 92, Fchown = 93, Umask = 95, Gettimeofday = 96,
        Getrlimit = 97, Getrusage = 98, Sysinfo = 99, Times = 100, Getuid = 102, Getgid = 104, Geteuid = 107,
        Getegid = 108, Getppid = 110, Getpgrp = 111, Getgroups = 115, Statfs = 137, Fstatfs = 138,
        Gettid = 186, Getxattr = 191, Lgetxattr = 192, Fgetxattr = 193, Listxattr = 194, Llistxattr = 195, Flistxattr = 196,
        Time = 201, Futex = 202, SchedGetaffinity = 204, Getdents64 = 217, Fadvise64 = 221,
        ClockGettime = 228, ClockGetres = 229, ClockNanosleep = 230, ExitGroup = 231, Tgkill = 234,
        Openat = 257, Mkdirat = 258, Fchownat = 260, Newfstatat = 262, Unlinkat = 263, Renameat = 264, Linkat = 265,
        Symlinkat = 266, Readlinkat = 267, Fchmodat = 268, Faccessat = 269, Pselect6 = 270, Ppoll = 271,
        Utimensat = 280, Dup3 = 292, Pipe2 = 293, Prlimit64 = 302, Renameat2 = 316, Getrandom = 318,
        CopyFileRange = 326, Statx = 332, Faccessat2 = 439, Poll = 7;
}
