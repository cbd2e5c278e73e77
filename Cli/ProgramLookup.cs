// Finds PROGRAM like execvp: a name with '/' is used as is; otherwise each $PATH entry is
// tried in order. Errors carry the shell's exit status (127 not found, 126 not executable).
using Jitexec.Kernel.Process;

namespace Jitexec.Cli;

public static class ProgramLookup
{
    public static string Resolve(string program)
    {
        if (program.Length == 0) throw new LaunchException(": No such file or directory", 127);
        if (program.Contains('/')) return program;
        string path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        string? firstDenied = null;
        foreach (var dir in path.Split(':'))
        {
            string candidate = Path.Combine(dir.Length == 0 ? "." : dir, program);
            if (!File.Exists(candidate)) continue;
            try
            {
                Launcher.CheckExecutable(candidate);
                return candidate;
            }
            catch (LaunchException) { firstDenied ??= candidate; }
        }
        if (firstDenied != null) return firstDenied; // reported as "Permission denied" by the launcher
        throw new LaunchException($"{program}: command not found", 127);
    }
}
