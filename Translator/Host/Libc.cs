// Raw libc entry points the engine needs (memory reservation and protection, signals).
// Source-generated P/Invoke only, so the engine stays NativeAOT-compatible.
using System.Runtime.InteropServices;

namespace Jitexec.Translator.Host;

public static unsafe partial class Libc
{
    public const int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    public const int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
        MAP_NORESERVE = 0x4000;
    public static readonly nint MAP_FAILED = -1;

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int munmap(nint addr, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int mprotect(nint addr, nuint length, int prot);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int madvise(nint addr, nuint length, int advice);

    public const int CLOCK_THREAD_CPUTIME_ID = 3;

    /// <summary>clock_gettime into a struct timespec (two longs: seconds, nanoseconds).</summary>
    [LibraryImport("libc")]
    public static partial int clock_gettime(int clock, long* timespec);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint syscall(nint number, nint a1, nint a2, nint a3, nint a4, nint a5, nint a6);
}
