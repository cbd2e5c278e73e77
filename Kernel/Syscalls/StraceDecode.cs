// strace's names for flags, commands and small structs (struct stat, rlimit, sigset,
// sigaction), used by the --strace formatter. Tables list names in strace's order.
using System.Numerics;
using System.Text;

namespace Jitexec.Kernel.Syscalls;

public sealed partial class Strace
{
    private static readonly (ulong, string)[] ProtNames = [(1, "PROT_READ"), (2, "PROT_WRITE"), (4, "PROT_EXEC")];
    private static readonly (ulong, string)[] AtFlagNames =
        [(0x100, "AT_SYMLINK_NOFOLLOW"), (0x200, "AT_REMOVEDIR"), (0x400, "AT_SYMLINK_FOLLOW"), (0x800, "AT_NO_AUTOMOUNT"), (0x1000, "AT_EMPTY_PATH")];
    private static readonly string[] WhenceNames = ["SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE"];
    private static readonly string[] ResourceNames = ["RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
        "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE",
        "RLIMIT_RTPRIO", "RLIMIT_RTTIME"];
    private static readonly string[] FadviseNames = ["POSIX_FADV_NORMAL", "POSIX_FADV_RANDOM", "POSIX_FADV_SEQUENTIAL", "POSIX_FADV_WILLNEED",
        "POSIX_FADV_DONTNEED", "POSIX_FADV_NOREUSE"];
    private static readonly string[] SigHowNames = ["SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"];
    private static readonly string[] FutexNames = ["FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE", "FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP",
        "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI", "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI",
        "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2"];
    private static readonly Dictionary<ulong, string> ArchPrctlNames = new()
    {
        [0x1001] = "ARCH_SET_GS", [0x1002] = "ARCH_SET_FS", [0x1003] = "ARCH_GET_FS", [0x1004] = "ARCH_GET_GS",
        [0x1011] = "ARCH_GET_CPUID", [0x1012] = "ARCH_SET_CPUID", [0x3001] = "ARCH_CET_STATUS",
    };
    private static readonly Dictionary<ulong, string> IoctlNames = new()
    {
        [0x5401] = "TCGETS", [0x5402] = "TCSETS", [0x5403] = "TCSETSW", [0x5404] = "TCSETSF", [0x540B] = "TCFLSH", [0x540F] = "TIOCGPGRP",
        [0x5410] = "TIOCSPGRP", [0x5413] = "TIOCGWINSZ", [0x5414] = "TIOCSWINSZ", [0x541B] = "FIONREAD", [0x5421] = "FIONBIO",
        [0x5429] = "TIOCGSID", [0x5450] = "FIONCLEX", [0x5451] = "FIOCLEX",
    };
    private static readonly Dictionary<ulong, string> FcntlNames = new()
    {
        [0] = "F_DUPFD", [1] = "F_GETFD", [2] = "F_SETFD", [3] = "F_GETFL", [4] = "F_SETFL", [5] = "F_GETLK", [6] = "F_SETLK", [7] = "F_SETLKW",
        [8] = "F_SETOWN", [9] = "F_GETOWN", [10] = "F_SETSIG", [11] = "F_GETSIG", [36] = "F_OFD_GETLK", [37] = "F_OFD_SETLK", [38] = "F_OFD_SETLKW",
        [1024] = "F_SETLEASE", [1025] = "F_GETLEASE", [1030] = "F_DUPFD_CLOEXEC", [1031] = "F_SETPIPE_SZ", [1032] = "F_GETPIPE_SZ",
        [1033] = "F_ADD_SEALS", [1034] = "F_GET_SEALS",
    };
    private static readonly (ulong, string)[] SaFlagNames = [(0x04000000, "SA_RESTORER"), (0x08000000, "SA_ONSTACK"), (0x10000000, "SA_RESTART"),
        (0x40000000, "SA_NODEFER"), (0x80000000, "SA_RESETHAND"), (4, "SA_SIGINFO"), (1, "SA_NOCLDSTOP"), (2, "SA_NOCLDWAIT")];

    private static readonly string[] ClockNames = ["CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID",
        "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME"];
    private static readonly Dictionary<ulong, string> FamilyNames = new() { [1] = "AF_UNIX", [2] = "AF_INET", [10] = "AF_INET6", [16] = "AF_NETLINK" };

    private static string SockType(ulong v)
    {
        string type = (v & 0xF) switch { 1 => "SOCK_STREAM", 2 => "SOCK_DGRAM", 3 => "SOCK_RAW", 5 => "SOCK_SEQPACKET", var t => t.ToString() };
        string rest = Bits(v & ~0xFUL, [(0x80000, "SOCK_CLOEXEC"), (0x800, "SOCK_NONBLOCK")], "");
        return rest.Length == 0 ? type : type + "|" + rest;
    }

    /// <summary>A sockaddr: AF_UNIX paths are decoded, other families show the family only.</summary>
    private string SockAddr(ulong addr, ulong len)
    {
        ushort family = p.Mem.Read16(addr);
        string f = Named(family, FamilyNames);
        if (family != 1 || len <= 2) return $"{{sa_family={f}, ...}}";
        var path = new List<byte>();
        for (ulong i = 2; i < Math.Min(len, 110); i++)
        {
            byte b = p.Mem.Read8(addr + i);
            if (b == 0 && i > 2) break;
            path.Add(b);
        }
        return $"{{sa_family=AF_UNIX, sun_path={Quote(path.ToArray(), PathMax)}}}";
    }

    private string Timespec(ulong addr) => $"{{tv_sec={(long)p.Mem.Read64(addr)}, tv_nsec={(long)p.Mem.Read64(addr + 8)}}}";

    private static string Named(ulong v, string[] names) => v < (ulong)names.Length ? names[v] : ((long)v).ToString();

    private static string Named(ulong v, Dictionary<ulong, string> names, bool hex = false) =>
        names.TryGetValue(v, out var n) ? n : hex ? $"0x{v:x}" : ((long)v).ToString();

    private static string OpenFlags(ulong v)
    {
        string acc = (v & 3) switch { 0 => "O_RDONLY", 1 => "O_WRONLY", 2 => "O_RDWR", _ => "O_ACCMODE" };
        var rest = Bits(v & ~3UL, [(0x40, "O_CREAT"), (0x80, "O_EXCL"), (0x100, "O_NOCTTY"), (0x200, "O_TRUNC"), (0x400, "O_APPEND"),
            (0x800, "O_NONBLOCK"), (0x101000, "O_SYNC"), (0x1000, "O_DSYNC"), (0x2000, "O_ASYNC"), (0x4000, "O_DIRECT"), (0x8000, "O_LARGEFILE"),
            (0x10000, "O_DIRECTORY"), (0x20000, "O_NOFOLLOW"), (0x40000, "O_NOATIME"), (0x80000, "O_CLOEXEC"), (0x200000, "O_PATH"),
            (0x410000, "O_TMPFILE")], "");
        return rest.Length == 0 ? acc : acc + "|" + rest;
    }

    private static string MmapFlags(ulong v)
    {
        string type = (v & 3) switch { 1 => "MAP_SHARED", 2 => "MAP_PRIVATE", 3 => "MAP_SHARED_VALIDATE", _ => "0" };
        var rest = Bits(v & ~3UL, [(0x10, "MAP_FIXED"), (0x20, "MAP_ANONYMOUS"), (0x100, "MAP_GROWSDOWN"), (0x800, "MAP_DENYWRITE"),
            (0x1000, "MAP_EXECUTABLE"), (0x2000, "MAP_LOCKED"), (0x4000, "MAP_NORESERVE"), (0x8000, "MAP_POPULATE"), (0x10000, "MAP_NONBLOCK"),
            (0x20000, "MAP_STACK"), (0x40000, "MAP_HUGETLB"), (0x80000, "MAP_SYNC"), (0x100000, "MAP_FIXED_NOREPLACE")], "");
        return rest.Length == 0 ? type : type + "|" + rest;
    }

    private static string Bits(ulong v, (ulong Bit, string Name)[] names, string zero)
    {
        if (v == 0) return zero;
        var parts = new List<string>();
        foreach (var (bit, name) in names)
            if ((v & bit) == bit) { parts.Add(name); v &= ~bit; }
        if (v != 0) parts.Add($"0x{v:x}");
        return string.Join('|', parts);
    }

    private string FutexOp(ulong v)
    {
        int op = (int)v & 0x7F;
        string name = op < FutexNames.Length ? FutexNames[op] : op.ToString();
        if ((v & 128) != 0) name += "_PRIVATE";
        if ((v & 256) != 0) name += "|FUTEX_CLOCK_REALTIME";
        return name;
    }

    /// <summary>struct stat as strace abbreviates it: type and permissions, size (or device numbers), then "...".</summary>
    private string StatStruct(ulong addr)
    {
        uint mode = p.Mem.Read32(addr + 24);
        ulong rdev = p.Mem.Read64(addr + 40), size = p.Mem.Read64(addr + 48);
        string type = (mode & 0xF000) switch
        {
            0x8000 => "S_IFREG", 0x4000 => "S_IFDIR", 0xA000 => "S_IFLNK", 0x2000 => "S_IFCHR", 0x6000 => "S_IFBLK",
            0x1000 => "S_IFIFO", 0xC000 => "S_IFSOCK", _ => $"0{Convert.ToString(mode & 0xF000, 8)}",
        };
        string perms = Octal(mode & 0xFFF);
        if ((mode & 0xF000) is 0x2000 or 0x6000)
        {
            ulong major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffUL), minor = (rdev & 0xff) | ((rdev >> 12) & ~0xffUL);
            return $"{{st_mode={type}|{perms}, st_rdev=makedev(0x{major:x}, 0x{minor:x}), ...}}";
        }
        return $"{{st_mode={type}|{perms}, st_size={size}, ...}}";
    }

    private string Rlimit(ulong addr) => $"{{rlim_cur={RlimValue(p.Mem.Read64(addr))}, rlim_max={RlimValue(p.Mem.Read64(addr + 8))}}}";

    private static string RlimValue(ulong v) => v == ulong.MaxValue ? "RLIM64_INFINITY" : v > 1024 && v % 1024 == 0 ? $"{v / 1024}*1024" : v.ToString();

    /// <summary>A sigset as strace prints it: [INT TERM], or ~[...] listing the missing signals when most are set.</summary>
    private string SigSet(ulong addr)
    {
        ulong set = p.Mem.Read64(addr);
        bool inverted = BitOperations.PopCount(set) > 32;
        if (inverted) set = ~set;
        var sb = new StringBuilder(inverted ? "~[" : "[");
        bool first = true;
        for (int sig = 1; sig <= 64; sig++)
        {
            if ((set >> (sig - 1) & 1) == 0) continue;
            if (!first) sb.Append(' ');
            string name = SignalName(sig);
            sb.Append(name.StartsWith("SIG", StringComparison.Ordinal) ? name[3..] : name);
            first = false;
        }
        return sb.Append(']').ToString();
    }

    private string SigAction(ulong addr)
    {
        ulong handler = p.Mem.Read64(addr), flags = p.Mem.Read64(addr + 8), restorer = p.Mem.Read64(addr + 16);
        string h = handler switch { 0 => "SIG_DFL", 1 => "SIG_IGN", _ => $"0x{handler:x}" };
        var sb = new StringBuilder($"{{sa_handler={h}, sa_mask={SigSet(addr + 24)}, sa_flags={Bits(flags, SaFlagNames, "0")}");
        if ((flags & 0x04000000) != 0) sb.Append($", sa_restorer=0x{restorer:x}");
        return sb.Append('}').ToString();
    }

    public static string SignalName(int sig) => sig switch
    {
        1 => "SIGHUP", 2 => "SIGINT", 3 => "SIGQUIT", 4 => "SIGILL", 5 => "SIGTRAP", 6 => "SIGABRT", 7 => "SIGBUS",
        8 => "SIGFPE", 9 => "SIGKILL", 10 => "SIGUSR1", 11 => "SIGSEGV", 12 => "SIGUSR2", 13 => "SIGPIPE", 14 => "SIGALRM",
        15 => "SIGTERM", 16 => "SIGSTKFLT", 17 => "SIGCHLD", 18 => "SIGCONT", 19 => "SIGSTOP", 20 => "SIGTSTP", 21 => "SIGTTIN", 22 => "SIGTTOU",
        23 => "SIGURG", 24 => "SIGXCPU", 25 => "SIGXFSZ", 26 => "SIGVTALRM", 27 => "SIGPROF", 28 => "SIGWINCH", 29 => "SIGIO",
        30 => "SIGPWR", 31 => "SIGSYS", 32 => "SIGRTMIN", _ => sig > 32 && sig <= 64 ? $"SIGRT_{sig - 32}" : sig.ToString(),
    };
}
