// /proc/self (and /proc/<our pid>, /proc/thread-self, /dev/fd) must describe the guest,
// not the .NET host. Paths that name the executable are redirected to the guest
// executable; fd/N and fdinfo/N are redirected to the host fd behind guest fd N (ENOENT
// when the guest has no fd N); the fd/ directory lists guest fds only (FdDir.cs); maps,
// auxv, cmdline and environ are generated from the guest's state when opened (served
// from a memfd, so read/lseek/fstat behave like a regular file).
using System.Text;
using Jitexec.Kernel.Host;
using Jitexec.Kernel.Process;

namespace Jitexec.Kernel.Files;

public static class ProcSelf
{
    /// <summary>If <paramref name="path"/> names something under /proc/self that must be redirected, the replacement path; else null.</summary>
    public static byte[]? Redirect(LinuxProcess p, byte[] path)
    {
        string? rest = SelfRelative(path);
        if (rest == "exe") return Encoding.UTF8.GetBytes(p.ExePath);
        if (FdPath(rest) is var (dir, fd, tail))
        {
            int host = p.Fds.HostFd(fd);
            // A missing guest fd must not reach a runtime fd with the same number: "-1" never exists.
            return Encoding.UTF8.GetBytes($"/proc/self/{dir}/{(host < 0 ? -1 : host)}{tail}");
        }
        return null;
    }

    /// <summary>"fd/N[/...]" or "fdinfo/N[/...]" split into (directory, N, rest); null for anything else.</summary>
    private static (string Dir, int Fd, string Tail)? FdPath(string? rest)
    {
        if (rest == null) return null;
        string dir = rest.StartsWith("fd/", StringComparison.Ordinal) ? "fd" : rest.StartsWith("fdinfo/", StringComparison.Ordinal) ? "fdinfo" : "";
        if (dir.Length == 0) return null;
        string after = rest[(dir.Length + 1)..];
        int slash = after.IndexOf('/');
        string num = slash < 0 ? after : after[..slash];
        if (num.Length == 0 || num.Length > 9 || !num.All(char.IsAsciiDigit)) return null;
        return (dir, int.Parse(num), slash < 0 ? "" : after[slash..]);
    }

    /// <summary>True when <paramref name="path"/> names the guest's fd directory (/proc/self/fd, /dev/fd).</summary>
    public static bool IsFdDir(byte[] path) => SelfRelative(path)?.TrimEnd('/') == "fd";

    /// <summary>The part after "/proc/self/" or "/proc/PID/" (our pid), or null.</summary>
    public static string? SelfRelative(byte[] path)
    {
        string s = Encoding.UTF8.GetString(path);
        if (s.StartsWith("/proc/self/", StringComparison.Ordinal)) return s["/proc/self/".Length..];
        if (s.StartsWith("/proc/thread-self/", StringComparison.Ordinal)) return s["/proc/thread-self/".Length..];
        if (s == "/dev/fd" || s.StartsWith("/dev/fd/", StringComparison.Ordinal)) return "fd" + s["/dev/fd".Length..];
        string pidPrefix = $"/proc/{Environment.ProcessId}/";
        if (s.StartsWith(pidPrefix, StringComparison.Ordinal)) return s[pidPrefix.Length..];
        return null;
    }

    /// <summary>readlink of /proc/self/exe and friends; null when not a redirected link.</summary>
    public static string? ReadLink(LinuxProcess p, byte[] path)
    {
        string? rest = SelfRelative(path);
        if (rest == "exe") return p.ExePath;
        if (FdPath(rest) is ("fd", var fd, "") )
        {
            var e = p.Fds.Get(fd) ?? throw new Syscalls.SyscallError(Syscalls.Errno.ENOENT);
            if (e.Path != null) return e.Path;
            try { return new FileInfo($"/proc/self/fd/{e.HostFd}").LinkTarget ?? throw new Syscalls.SyscallError(Syscalls.Errno.ENOENT); }
            catch (IOException) { throw new Syscalls.SyscallError(Syscalls.Errno.ENOENT); }
        }
        return null;
    }

    /// <summary>Contents of a generated /proc/self file, or null when <paramref name="path"/> is not one.</summary>
    public static byte[]? Generate(LinuxProcess p, byte[] path) => SelfRelative(path) switch
    {
        "maps" => Encoding.UTF8.GetBytes(Maps(p)),
        "auxv" => Auxv(p),
        "cmdline" => NulJoined(p.Argv),
        "environ" => NulJoined(p.Envp),
        _ => null,
    };

    /// <summary>A host fd (close-on-exec) reading <paramref name="content"/> from the start.</summary>
    public static unsafe long OpenGenerated(byte[] content)
    {
        var name = "jitexec-proc\0"u8.ToArray();
        long fd;
        fixed (byte* n = name) fd = Raw.Call(319 /* memfd_create */, (long)n, 1 /* MFD_CLOEXEC */);
        if (fd < 0) return fd;
        fixed (byte* c = content)
        {
            long done = 0;
            while (done < content.Length)
            {
                long w = Raw.Call(HostNr.Write, fd, (long)(c + done), content.Length - done);
                if (w <= 0) { Raw.Call(HostNr.Close, fd); return w < 0 ? w : -5; }
                done += w;
            }
        }
        Raw.Call(HostNr.Lseek, fd, 0, 0);
        return fd;
    }

    private static string Maps(LinuxProcess p)
    {
        var sb = new StringBuilder();
        foreach (var v in p.Space.Vmas)
        {
            int start = sb.Length;
            sb.Append($"{v.Start:x8}-{v.End:x8} ");
            sb.Append((v.Prot & Loader.Prot.Read) != 0 ? 'r' : '-');
            sb.Append((v.Prot & Loader.Prot.Write) != 0 ? 'w' : '-');
            sb.Append((v.Prot & Loader.Prot.Exec) != 0 ? 'x' : '-');
            sb.Append(v.Shared ? 's' : 'p');
            sb.Append($" {v.Offset:x8} {v.Device >> 8 & 0xfff:x2}:{(v.Device & 0xff) | (v.Device >> 12 & 0xfff00):x2} {v.Inode} ");
            string name = v.Name == "[bss]" ? "" : v.Name;
            if (name.Length > 0)
            {
                sb.Append(' ', Math.Max(0, 72 - (sb.Length - start)));
                sb.Append(' ').Append(name);
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static byte[] Auxv(LinuxProcess p)
    {
        var entries = p.Stack?.AuxEntries ?? new (ulong, ulong)[0]; // not []: Array.Empty of a tuple is JIT-compiled
        var b = new byte[(entries.Length + 1) * 16];
        for (int i = 0; i < entries.Length; i++)
        {
            BitConverter.TryWriteBytes(b.AsSpan(i * 16), entries[i].Key);
            BitConverter.TryWriteBytes(b.AsSpan(i * 16 + 8), entries[i].Value);
        }
        return b;
    }

    private static byte[] NulJoined(IReadOnlyList<byte[]> items)
    {
        var ms = new MemoryStream();
        foreach (var i in items) { ms.Write(i); ms.WriteByte(0); }
        return ms.ToArray();
    }
}
