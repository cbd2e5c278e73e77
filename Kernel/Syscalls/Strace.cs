// --strace output in strace's format: `name(args...) = result`, errors as
// `= -1 ENOENT (No such file or directory)`, exits as `+++ exited with N +++`, and the
// initial `execve(...) = 0` line. Argument rendering comes from each syscall row's Arg
// kinds (StraceDecode.cs holds the flag tables and struct printers); output structs
// are shown only when the call succeeded, like strace.
using System.Text;
using Jitexec.Kernel.Process;
using Jitexec.Translator.Memory;

namespace Jitexec.Kernel.Syscalls;

public sealed partial class Strace(LinuxProcess p, TextWriter output)
{
    private const int MaxString = 32, PathMax = 4096;
    private SyscallRow? _pending;
    private SyscallArgs _pendingArgs;

    public void Enter(SyscallRow row, SyscallArgs a)
    {
        _pending = row;
        _pendingArgs = a;
    }

    public void Exit(SyscallRow row, SyscallArgs a, long result) => Line(Call(row.Name, row.Args, a, result), Result(row, a, result));

    public void Unknown(long nr, SyscallArgs a) =>
        Line($"{SyscallNames.Of(nr)}(0x{a.A0:x}, 0x{a.A1:x}, 0x{a.A2:x}, 0x{a.A3:x}, 0x{a.A4:x}, 0x{a.A5:x})", Result(null, a, -Errno.ENOSYS));

    /// <summary>The first line, as strace shows the execve that started the program: path, argv, envp address and count.</summary>
    public void Execve(string path, IReadOnlyList<byte[]> argv, int envCount, ulong envpAddr)
    {
        var sb = new StringBuilder("execve(").Append(Quote(Encoding.UTF8.GetBytes(path), PathMax)).Append(", [");
        for (int i = 0; i < argv.Count; i++) sb.Append(i > 0 ? ", " : "").Append(Quote(argv[i], MaxString));
        sb.Append($"], 0x{envpAddr:x} /* {envCount} vars */)");
        Line(sb.ToString(), "0");
    }

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

    private static string Result(SyscallRow? row, SyscallArgs a, long r)
    {
        if (r < 0 && r >= -4095) return $"-1 {Errno.Name((int)-r)} ({Errno.Text((int)-r)})";
        if (row?.Name is "mmap" or "brk" or "mremap") return $"0x{r:x}";
        if (row?.Name == "fcntl" && (int)a.A1 == 1 /* F_GETFD */) return r == 1 ? "0x1 (flags FD_CLOEXEC)" : r.ToString();
        if (row?.Name == "fcntl" && (int)a.A1 == 3 /* F_GETFL */) return $"0x{r:x} (flags {OpenFlags((ulong)r)})";
        return r.ToString();
    }

    private string Call(string name, Arg[] kinds, SyscallArgs a, long result)
    {
        var sb = new StringBuilder(name).Append('(');
        int shown = VisibleArgs(name, kinds.Length, a);
        bool first = true;
        for (int i = 0; i < shown; i++)
        {
            string? text = Format(kinds[i], a[i], i, a, result);
            if (text == null) continue;
            if (!first) sb.Append(", ");
            sb.Append(text);
            first = false;
        }
        return sb.Append(')').ToString();
    }

    /// <summary>How many arguments strace shows: some calls print fewer depending on an operation argument.</summary>
    private static int VisibleArgs(string name, int declared, SyscallArgs a) => name switch
    {
        "futex" => ((int)a.A1 & 0x7F) switch { 1 => 3, 0 => 4, _ => declared },
        "fcntl" => (int)a.A1 is 1 or 3 or 9 or 11 or 1025 or 1032 or 1034 ? 2 : declared, // F_GETFD/GETFL/GETOWN/GETSIG/GETLEASE/GETPIPE_SZ/GET_SEALS
        _ => declared,
    };

    private string? Format(Arg kind, ulong v, int index, SyscallArgs a, long result)
    {
        ulong next = index + 1 < 6 ? a[index + 1] : 0;
        bool ok = result >= 0 || result < -4095;
        return kind switch
        {
            Arg.Int => ((long)v).ToString(),
            Arg.UInt => v.ToString(),
            Arg.Hex => v == 0 ? "0" : $"0x{v:x}",
            Arg.Ptr => v == 0 ? "NULL" : $"0x{v:x}",
            Arg.Fd => ((int)v).ToString(),
            Arg.DirFd => (int)v == -100 ? "AT_FDCWD" : ((int)v).ToString(),
            Arg.Path or Arg.Str => GuestString(v, PathMax, untilNul: true, limit: PathMax),
            Arg.InBuf => GuestString(v, (long)Math.Min(next, 1 << 20), untilNul: false, limit: MaxString),
            Arg.OutBuf => !ok ? $"0x{v:x}" : GuestString(v, result, untilNul: false, limit: MaxString),
            Arg.OutBufHex => !ok ? $"0x{v:x}" : GuestString(v, result, untilNul: false, limit: MaxString, hex: true),
            Arg.OpenFlags => OpenFlags(v),
            Arg.Mode => Octal(v),
            Arg.OpenMode => (a[index - 1] & 0x410040) != 0 ? Octal(v) : null, // shown with O_CREAT or O_TMPFILE only
            Arg.MmapProt => Bits(v, ProtNames, "PROT_NONE"),
            Arg.MmapFlags => MmapFlags(v),
            Arg.Signal => SignalName((int)v),
            Arg.AccessMode => v == 0 ? "F_OK" : Bits(v, [(4, "R_OK"), (2, "W_OK"), (1, "X_OK")], "F_OK"),
            Arg.AtFlags => Bits(v, AtFlagNames, "0"),
            Arg.Whence => Named(v, WhenceNames),
            Arg.StatOut => !ok || !Readable(v, 144) ? Pointer(v) : StatStruct(v),
            Arg.Resource => Named(v, ResourceNames),
            Arg.RlimitIn => !Readable(v, 16) ? Pointer(v) : Rlimit(v),
            Arg.RlimitOut => !ok || !Readable(v, 16) ? Pointer(v) : Rlimit(v),
            Arg.ArchPrctlCode => Named(v, ArchPrctlNames),
            Arg.GrndFlags => Bits(v, [(1, "GRND_NONBLOCK"), (2, "GRND_RANDOM"), (4, "GRND_INSECURE")], "0"),
            Arg.Fadvice => Named(v, FadviseNames),
            Arg.FutexOp => FutexOp(v),
            Arg.SigHow => Named(v, SigHowNames),
            Arg.SigSetIn => !Readable(v, 8) ? Pointer(v) : SigSet(v),
            Arg.SigSetOut => !ok || !Readable(v, 8) ? Pointer(v) : SigSet(v),
            Arg.SigActionIn => !Readable(v, 32) ? Pointer(v) : SigAction(v),
            Arg.SigActionOut => !ok || !Readable(v, 32) ? Pointer(v) : SigAction(v),
            Arg.IoctlReq => Named(v, IoctlNames, hex: true),
            Arg.FcntlCmd => Named(v, FcntlNames),
            Arg.FcntlArg => (int)a.A1 == 2 /* F_SETFD */ ? (v == 1 ? "FD_CLOEXEC" : v.ToString())
                : (int)a.A1 == 4 /* F_SETFL */ ? OpenFlags(v) : ((long)v).ToString(),
            Arg.ClockId => Named(v, ClockNames),
            Arg.TimespecIn => !Readable(v, 16) ? Pointer(v) : Timespec(v),
            Arg.TimespecOut => !ok || !Readable(v, 16) ? Pointer(v) : Timespec(v),
            Arg.SockFamily => Named(v, FamilyNames),
            Arg.SockType => SockType(v),
            Arg.SockAddr => !Readable(v, Math.Max(next, 2)) ? Pointer(v) : SockAddr(v, next),
            Arg.Dirents => !ok ? Pointer(v) : $"0x{v:x} /* {CountDirents(v, result)} entries */",
            _ => v.ToString(),
        };
    }

    /// <summary>The guest range is mapped readable (so printing it cannot fault).</summary>
    private bool Readable(ulong addr, ulong len) =>
        addr != 0 && GuestMemory.InRange(addr, len) && p.Space.Find(addr) is { } a && (a.Prot & Loader.Prot.Read) != 0
        && p.Space.Find(addr + len - 1) is { } b && (b.Prot & Loader.Prot.Read) != 0;

    private static string Pointer(ulong v) => v == 0 ? "NULL" : $"0x{v:x}";

    /// <summary>C's "%#03o": a leading 0 and at least three digits.</summary>
    private static string Octal(ulong v) => "0" + Convert.ToString((long)v, 8).PadLeft(2, '0');

    private int CountDirents(ulong buf, long size)
    {
        int n = 0;
        for (long off = 0; off + 19 <= size; n++)
        {
            ushort reclen = p.Mem.Read16(buf + (ulong)off + 16);
            if (reclen == 0) break;
            off += reclen;
        }
        return n;
    }

    /// <summary>A guest string or buffer as strace prints it; the address if it cannot be read.</summary>
    private string GuestString(ulong addr, long len, bool untilNul, int limit, bool hex = false)
    {
        if (addr == 0) return "NULL";
        var bytes = new List<byte>();
        bool truncated = false;
        for (long i = 0; i < len; i++)
        {
            ulong at = addr + (ulong)i;
            if (at >= GuestMemory.Size || p.Space.Find(at) is not { } v || (v.Prot & Loader.Prot.Read) == 0) return $"0x{addr:x}";
            byte b = p.Mem.Read8(at);
            if (untilNul && b == 0) break;
            if (bytes.Count == limit) { truncated = true; break; }
            bytes.Add(b);
        }
        return Quote(bytes.ToArray(), limit, hex) + (truncated ? "..." : "");
    }

    /// <summary>
    /// strace's quoting: C escapes, printable ASCII as is, other bytes in octal (three digits when an octal digit
    /// follows, so the escape stays unambiguous); <paramref name="hex"/> forces \xNN for every byte (getrandom).
    /// </summary>
    private static string Quote(byte[] bytes, int limit, bool hex = false)
    {
        int n = Math.Min(bytes.Length, limit);
        var sb = new StringBuilder("\"");
        for (int i = 0; i < n; i++)
        {
            byte b = bytes[i];
            if (hex) { sb.Append($"\\x{b:x2}"); continue; }
            switch (b)
            {
                case (byte)'"': sb.Append("\\\""); continue;
                case (byte)'\\': sb.Append("\\\\"); continue;
                case (byte)'\f': sb.Append("\\f"); continue;
                case (byte)'\n': sb.Append("\\n"); continue;
                case (byte)'\r': sb.Append("\\r"); continue;
                case (byte)'\t': sb.Append("\\t"); continue;
                case (byte)'\v': sb.Append("\\v"); continue;
            }
            if (b >= ' ' && b <= 0x7e) { sb.Append((char)b); continue; }
            sb.Append('\\');
            bool digitFollows = i + 1 < n && bytes[i + 1] >= '0' && bytes[i + 1] <= '7';
            if (digitFollows || b >> 6 != 0) sb.Append((char)('0' + (b >> 6)));
            if (digitFollows || b >> 3 != 0) sb.Append((char)('0' + ((b >> 3) & 7)));
            sb.Append((char)('0' + (b & 7)));
        }
        sb.Append('"');
        if (bytes.Length > limit) sb.Append("...");
        return sb.ToString();
    }
}
