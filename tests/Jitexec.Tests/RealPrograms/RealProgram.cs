// Runs an installed Debian program natively and under jitexec with the same arguments,
// stdin, working directory and environment, and requires identical stdout, stderr and
// exit status. Tools are found on PATH; a missing tool fails the test (run
// tests/install-test-deps.sh) - the suite never skips.
using System.Text;
using Jitexec.Tests.Programs;
using Xunit;

namespace Jitexec.Tests.RealPrograms;

public static class RealProgram
{
    /// <summary>Absolute path of an installed ELF program, failing the test when it is missing or not an ELF.</summary>
    public static string Tool(string name)
    {
        string? found = null;
        if (name.Contains('/')) found = name;
        else
            foreach (var dir in new[] { "/usr/bin", "/bin", "/usr/local/bin" })
                if (File.Exists(Path.Combine(dir, name))) { found = Path.Combine(dir, name); break; }
        Assert.True(found != null && File.Exists(found), $"{name} is not installed: run tests/install-test-deps.sh");
        string real = Path.GetFullPath(new FileInfo(found!).ResolveLinkTarget(true)?.FullName ?? found!);
        var head = new byte[4];
        using (var f = File.OpenRead(real)) f.ReadExactly(head);
        Assert.True(head is [0x7f, (byte)'E', (byte)'L', (byte)'F'],
            $"{found} ({real}) is not an ELF program (a shell shim?)");
        return found!;
    }

    /// <summary>Run natively and under jitexec; both must agree byte for byte. Returns the native result.</summary>
    public static RunResult Same(string tool, IEnumerable<string> args, string? stdin = null, string? cwd = null,
        IDictionary<string, string>? env = null, int expectExit = 0)
    {
        string exe = Tool(tool);
        var argList = args.ToArray();
        var native = ProcessRun.Run(exe, argList, stdin, env, cwd);
        Assert.True(native.ExitCode == expectExit, $"the native run itself exited {native.ExitCode}, not {expectExit}: {native}");
        var emulated = ProcessRun.Run(Repo.Jitexec, [exe, .. argList], stdin, env, cwd);
        Differ.AssertSame(native, emulated);
        return native;
    }

    public static RunResult Same(string tool, params string[] args) => Same(tool, (IEnumerable<string>)args);

    public static string Text(RunResult r) => Encoding.UTF8.GetString(r.Stdout);
}

/// <summary>A scratch directory with files whose contents and mtimes are fixed, for programs that list or read them.</summary>
public sealed class Scratch : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("jitexec-real-").FullName;

    public string Write(string relative, string content, long mtime = 1_000_000_000, string mode = "644")
        => WriteBytes(relative, Encoding.UTF8.GetBytes(content), mtime, mode);

    public string WriteBytes(string relative, byte[] content, long mtime = 1_000_000_000, string mode = "644")
    {
        string p = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllBytes(p, content);
        File.SetUnixFileMode(p, (UnixFileMode)Convert.ToInt32(mode, 8));
        File.SetLastWriteTimeUtc(p, DateTime.UnixEpoch.AddSeconds(mtime));
        return p;
    }

    /// <summary>Fix a directory's mtime (after its contents are written).</summary>
    public string Dir(string relative, long mtime)
    {
        string p = Path.Combine(Root, relative);
        Directory.CreateDirectory(p);
        Directory.SetLastWriteTimeUtc(p, DateTime.UnixEpoch.AddSeconds(mtime));
        return p;
    }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Dispose() => Directory.Delete(Root, true);
}
