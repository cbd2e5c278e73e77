// --strace output in strace's format: `name(args...) = result`, errors as
// `= -1 ENOENT (No such file or directory)`, exits as `+++ exited with N +++`.
// Argument rendering comes from each syscall row's Arg kinds.
using System.Text;
using Jitexec.Kernel.Process;
using Jitexec.Translator.Memory;

namespace Jitexec.Kernel.Syscalls;

public sealed class Strace(LinuxProcess p, TextWriter output)
{
    private const int MaxString = 32;
    private SyscallRow? _pending;
    private SyscallArgs _pendingArgs;

    public void Enter(SyscallRow row, SyscallArgs a)
    {
        _pending = row;
        _pendingArgs = a;
    }

    public void Exit(SyscallRow row, SyscallArgs a, long result) => Line(Call(row.Name, row.Args, a, result), Result(row, result));

    public void Unknown(long nr, SyscallArgs a) =>
        Line($"{SyscallNames.Of(nr)}(0x{a.A0:x}, 0x{a.A1:x}, 0x{a.A2:x}, 0x{a.A3:x}, 0x{a.A4:x}, 0x{a.A5:x})", Result(null, -Errno.ENOSYS));

    public void Exited(int status)
    {
        if (_pending != null) Line(Call(_pending.Name, _pending.Args, _pendingArgs, 0), "?");
        output.WriteLine($"+++ exited with {status} +++");
        output.Flush();
    }

    public void Killed(int signal)
    {
        output.WriteLine($"+++ killed by {SignalName(signal)} +++");
        output.Flush();
    }

    private void Line(string call, string result)
    {
        output.WriteLine(call.Length < 39 ? $"{call,-39} = {result}" : $"{call} = {result}");
        output.Flush();
        _pending = null;
    }

    private static string Result(SyscallRow? row, long r)
    {
        if (r < 0 && r >= -4095) return $"-1 {Errno.Name((int)-r)} ({Errno.Text((int)-r)})";
        if (row?.Name is "mmap" or "brk" or "mremap") return $"0x{r:x}";
        return r.ToString();
    }

    private string Call(string name, Arg[] kinds, SyscallArgs a, long result)
    {
        var sb = new StringBuilder(name).Append('(');
        for (int i = 0; i < kinds.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Format(kinds[i], a[i], i + 1 < kinds.Length ? a[i + 1] : 0, result));
        }
        return sb.Append(')').ToString();
    }

    private string Format(Arg kind, ulong v, ulong next, long result) => kind switch
    {
        Arg.Int => ((long)v).ToString(),
        Arg.UInt => v.ToString(),
        Arg.Hex => $"0x{v:x}",
        Arg.Ptr => v == 0 ? "NULL" : $"0x{v:x}",
        Arg.Fd => ((int)v).ToString(),
        Arg.DirFd => (int)v == -100 ? "AT_FDCWD" : ((int)v).ToString(),
        Arg.Path or Arg.Str => QuotedString(v, 4096, untilNul: true),
        Arg.InBuf => QuotedString(v, (long)Math.Min(next, 1 << 20), untilNul: false),
        Arg.OutBuf => result < 0 ? $"0x{v:x}" : QuotedString(v, result, untilNul: false),
        Arg.OpenFlags => OpenFlags(v),
        Arg.Mode => "0" + Convert.ToString((long)v, 8),
        Arg.MmapProt => Bits(v, [(1, "PROT_READ"), (2, "PROT_WRITE"), (4, "PROT_EXEC")], "PROT_NONE"),
        Arg.MmapFlags => MmapFlags(v),
        Arg.Signal => SignalName((int)v),
        _ => v.ToString(),
    };

    private string QuotedString(ulong addr, long len, bool untilNul)
    {
        if (addr == 0) return "NULL";
        var sb = new StringBuilder("\"");
        int shown = 0;
        for (long i = 0; i < len; i++)
        {
            ulong at = addr + (ulong)i;
            if (at >= GuestMemory.Size || p.Space.Find(at) is not { } v || (v.Prot & Loader.Prot.Read) == 0) return $"0x{addr:x}";
            byte b = p.Mem.Read8(at);
            if (untilNul && b == 0) break;
            if (shown == MaxString) { sb.Append("\"..."); return sb.ToString(); }
            sb.Append(b switch
            {
                (byte)'"' => "\\\"", (byte)'\\' => "\\\\", (byte)'\n' => "\\n", (byte)'\t' => "\\t", (byte)'\r' => "\\r",
                >= 32 and < 127 => ((char)b).ToString(),
                _ => $"\\{Convert.ToString(b, 8)}",
            });
            shown++;
        }
        return sb.Append('"').ToString();
    }

    private static string OpenFlags(ulong v)
    {
        string acc = (v & 3) switch { 0 => "O_RDONLY", 1 => "O_WRONLY", 2 => "O_RDWR", _ => "O_ACCMODE" };
        var rest = Bits(v & ~3UL, [(0x40, "O_CREAT"), (0x80, "O_EXCL"), (0x100, "O_NOCTTY"), (0x200, "O_TRUNC"), (0x400, "O_APPEND"),
            (0x800, "O_NONBLOCK"), (0x1000, "O_DSYNC"), (0x10000, "O_DIRECTORY"), (0x20000, "O_NOFOLLOW"), (0x80000, "O_CLOEXEC"),
            (0x200000, "O_PATH"), (0x8000, "O_LARGEFILE")], "");
        return rest.Length == 0 ? acc : acc + "|" + rest;
    }

    private static string MmapFlags(ulong v)
    {
        string type = (v & 3) switch { 1 => "MAP_SHARED", 2 => "MAP_PRIVATE", 3 => "MAP_SHARED_VALIDATE", _ => "0" };
        var rest = Bits(v & ~3UL, [(0x10, "MAP_FIXED"), (0x20, "MAP_ANONYMOUS"), (0x100, "MAP_GROWSDOWN"), (0x800, "MAP_DENYWRITE"),
            (0x4000, "MAP_NORESERVE"), (0x8000, "MAP_POPULATE"), (0x20000, "MAP_STACK"), (0x100000, "MAP_FIXED_NOREPLACE")], "");
        return rest.Length == 0 ? type : type + "|" + rest;
    }

    private static string Bits(ulong v, (ulong Bit, string Name)[] names, string zero)
    {
        if (v == 0) return zero;
        var parts = new List<string>();
        foreach (var (bit, name) in names)
            if ((v & bit) != 0) { parts.Add(name); v &= ~bit; }
        if (v != 0) parts.Add($"0x{v:x}");
        return string.Join('|', parts);
    }

    public static string SignalName(int sig) => sig switch
    {
        1 => "SIGHUP", 2 => "SIGINT", 3 => "SIGQUIT", 4 => "SIGILL", 5 => "SIGTRAP", 6 => "SIGABRT", 7 => "SIGBUS",
        8 => "SIGFPE", 9 => "SIGKILL", 10 => "SIGUSR1", 11 => "SIGSEGV", 12 => "SIGUSR2", 13 => "SIGPIPE", 14 => "SIGALRM",
        15 => "SIGTERM", 17 => "SIGCHLD", 18 => "SIGCONT", 19 => "SIGSTOP", 20 => "SIGTSTP", 21 => "SIGTTIN", 22 => "SIGTTOU",
        23 => "SIGURG", 24 => "SIGXCPU", 25 => "SIGXFSZ", 26 => "SIGVTALRM", 27 => "SIGPROF", 28 => "SIGWINCH", 29 => "SIGIO",
        30 => "SIGPWR", 31 => "SIGSYS", _ => sig >= 34 && sig <= 64 ? $"SIGRT_{sig - 34}" : sig.ToString(),
    };
}
