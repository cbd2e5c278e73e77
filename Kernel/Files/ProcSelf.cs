// /proc/self (and /proc/<our pid>) must describe the guest, not the .NET host.
// Paths that name the executable are redirected to the guest executable.
using System.Text;
using Jitexec.Kernel.Process;

namespace Jitexec.Kernel.Files;

public static class ProcSelf
{
    /// <summary>If <paramref name="path"/> names something under /proc/self that must be redirected, the replacement path; else null.</summary>
    public static byte[]? Redirect(LinuxProcess p, byte[] path)
    {
        string? rest = SelfRelative(path);
        if (rest == "exe") return Encoding.UTF8.GetBytes(p.ExePath);
        return null;
    }

    /// <summary>The part after "/proc/self/" or "/proc/PID/" (our pid), or null.</summary>
    public static string? SelfRelative(byte[] path)
    {
        string s = Encoding.UTF8.GetString(path);
        if (s.StartsWith("/proc/self/", StringComparison.Ordinal)) return s["/proc/self/".Length..];
        string pidPrefix = $"/proc/{Environment.ProcessId}/";
        if (s.StartsWith(pidPrefix, StringComparison.Ordinal)) return s[pidPrefix.Length..];
        return null;
    }

    /// <summary>readlink of /proc/self/exe and friends; null when not a redirected link.</summary>
    public static string? ReadLink(LinuxProcess p, byte[] path) => SelfRelative(path) switch
    {
        "exe" => p.ExePath,
        _ => null,
    };
}
