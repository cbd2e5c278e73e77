// Linux errno values and their strace-style names and messages.
namespace Jitexec.Kernel.Syscalls;

public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, ENOEXEC = 8, EBADF = 9,
        ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19,
        ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOTTY = 25, EFBIG = 27, ENOSPC = 28,
        ESPIPE = 29, EROFS = 30, EPIPE = 32, EDOM = 33, ERANGE = 34, ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39,
        ELOOP = 40, ENODATA = 61, EOVERFLOW = 75, ENOTSOCK = 88, EAFNOSUPPORT = 97, ECONNREFUSED = 111, ETIMEDOUT = 110;

    private static readonly Dictionary<int, (string Name, string Text)> Table = new()
    {
        [EPERM] = ("EPERM", "Operation not permitted"), [ENOENT] = ("ENOENT", "No such file or directory"),
        [ESRCH] = ("ESRCH", "No such process"), [EINTR] = ("EINTR", "Interrupted system call"),
        [EIO] = ("EIO", "Input/output error"), [ENXIO] = ("ENXIO", "No such device or address"),
        [E2BIG] = ("E2BIG", "Argument list too long"), [ENOEXEC] = ("ENOEXEC", "Exec format error"),
        [EBADF] = ("EBADF", "Bad file descriptor"), [ECHILD] = ("ECHILD", "No child processes"),
        [EAGAIN] = ("EAGAIN", "Resource temporarily unavailable"), [ENOMEM] = ("ENOMEM", "Cannot allocate memory"),
        [EACCES] = ("EACCES", "Permission denied"), [EFAULT] = ("EFAULT", "Bad address"),
        [EBUSY] = ("EBUSY", "Device or resource busy"), [EEXIST] = ("EEXIST", "File exists"),
        [EXDEV] = ("EXDEV", "Invalid cross-device link"), [ENODEV] = ("ENODEV", "No such device"),
        [ENOTDIR] = ("ENOTDIR", "Not a directory"), [EISDIR] = ("EISDIR", "Is a directory"),
        [EINVAL] = ("EINVAL", "Invalid argument"), [ENFILE] = ("ENFILE", "Too many open files in system"),
        [EMFILE] = ("EMFILE", "Too many open files"), [ENOTTY] = ("ENOTTY", "Inappropriate ioctl for device"),
        [EFBIG] = ("EFBIG", "File too large"), [ENOSPC] = ("ENOSPC", "No space left on device"),
        [ESPIPE] = ("ESPIPE", "Illegal seek"), [EROFS] = ("EROFS", "Read-only file system"),
        [EPIPE] = ("EPIPE", "Broken pipe"), [EDOM] = ("EDOM", "Numerical argument out of domain"),
        [ERANGE] = ("ERANGE", "Numerical result out of range"), [ENAMETOOLONG] = ("ENAMETOOLONG", "File name too long"),
        [ENOSYS] = ("ENOSYS", "Function not implemented"), [ENOTEMPTY] = ("ENOTEMPTY", "Directory not empty"),
        [ELOOP] = ("ELOOP", "Too many levels of symbolic links"), [ENODATA] = ("ENODATA", "No data available"),
        [EOVERFLOW] = ("EOVERFLOW", "Value too large for defined data type"), [ENOTSOCK] = ("ENOTSOCK", "Socket operation on non-socket"),
        [EAFNOSUPPORT] = ("EAFNOSUPPORT", "Address family not supported by protocol"),
        [ECONNREFUSED] = ("ECONNREFUSED", "Connection refused"), [ETIMEDOUT] = ("ETIMEDOUT", "Connection timed out"),
    };

    public static string Name(int e) => Table.TryGetValue(e, out var t) ? t.Name : $"E{e}";
    public static string Text(int e) => Table.TryGetValue(e, out var t) ? t.Text : $"Unknown error {e}";
}
