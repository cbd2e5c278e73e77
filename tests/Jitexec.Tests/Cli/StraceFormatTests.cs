// --strace renders the common syscalls the way strace does (checked against strace 6.1
// on the same programs): execve line, NULL pointers, flag names, omitted open modes,
// abbreviated struct stat, octal-escaped buffers truncated at 32 bytes, hex random
// bytes, errors with errno name and text, and the exit lines.
using Jitexec.Tests.Programs;
using Xunit;

namespace Jitexec.Tests.Cli;

public sealed class StraceFormatTests : IDisposable
{
    private readonly TempDir _t = new();

    public void Dispose() => _t.Dispose();

    private string Trace(params string[] args) => TraceWithStatus(0, args);

    /// <summary>The trace of a run, written with -o so the program's own stderr does not interleave with it.</summary>
    private string TraceWithStatus(int status, params string[] args)
    {
        string log = System.IO.Path.Combine(_t.Path, $"trace-{Guid.NewGuid():N}.log");
        var r = ProcessRun.Jitexec(["-o", log, .. args]);
        Assert.True(r.ExitCode == status, r.ToString());
        return File.ReadAllText(log);
    }

    [Fact]
    public void DynamicCatLooksLikeStrace()
    {
        string f = _t.File("data.txt", "hello\n"u8.ToArray(), "644");
        string s = Trace("/usr/bin/cat", f);
        string[] expected =
        [
            @"^execve\(""/usr/bin/cat"", \[""/usr/bin/cat"", ""[^""]+""(\.\.\.)?\], 0x[0-9a-f]+ /\* \d+ vars \*/\) = 0$",
            @"^brk\(NULL\) +\= 0x[0-9a-f]+$",
            @"^access\(""/etc/ld.so.preload"", R_OK\) += -1 ENOENT \(No such file or directory\)$",
            @"^openat\(AT_FDCWD, ""/etc/ld.so.cache"", O_RDONLY\|O_CLOEXEC\) = 3$",
            @"^newfstatat\(3, """", \{st_mode=S_IFREG\|0644, st_size=\d+, \.\.\.\}, AT_EMPTY_PATH\) = 0$",
            @"^mmap\(NULL, \d+, PROT_READ, MAP_PRIVATE, 3, 0\) = 0x[0-9a-f]+$",
            @"^read\(3, ""\\177ELF\\2\\1\\1\\3\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0>\\0\\1\\0\\0\\0.*""\.\.\., 832\) = 832$",
            @"^mmap\(0x[0-9a-f]+, \d+, PROT_READ\|PROT_EXEC, MAP_PRIVATE\|MAP_FIXED\|MAP_DENYWRITE, 3, 0x[0-9a-f]+\) = 0x[0-9a-f]+$",
            @"^mmap\(0x[0-9a-f]+, \d+, PROT_READ\|PROT_WRITE, MAP_PRIVATE\|MAP_FIXED\|MAP_ANONYMOUS, -1, 0\) = 0x[0-9a-f]+$",
            @"^close\(3\) += 0$",
            @"^arch_prctl\(ARCH_SET_FS, 0x[0-9a-f]+\) += 0$",
            @"^set_robust_list\(0x[0-9a-f]+, 24\) += 0$",
            @"^rseq\(0x[0-9a-f]+, 0x20, 0, 0x53053053\) = 0$",
            @"^mprotect\(0x[0-9a-f]+, \d+, PROT_READ\) += 0$",
            @"^prlimit64\(0, RLIMIT_STACK, NULL, \{rlim_cur=\S+, rlim_max=\S+\}\) = 0$",
            @"^getrandom\(""(\\x[0-9a-f]{2}){8}"", 8, GRND_NONBLOCK\) = 8$",
            $@"^openat\(AT_FDCWD, ""{f}"", O_RDONLY\) = 3$",
            @"^fadvise64\(3, 0, 0, POSIX_FADV_SEQUENTIAL\) = 0$",
            @"^read\(3, ""hello\\n"", 131072\) += 6$",
            @"^write\(1, ""hello\\n"", 6\) += 6$",
            @"^read\(3, """", 131072\) += 0$",
            @"^exit_group\(0\) += \?$",
            @"^\+\+\+ exited with 0 \+\+\+$",
        ];
        foreach (var line in expected)
            Assert.Matches(new System.Text.RegularExpressions.Regex(line, System.Text.RegularExpressions.RegexOptions.Multiline), s);
        Assert.StartsWith("execve(", s);
        // strace's alignment: results start at column 40 when the call is shorter.
        Assert.Matches(@"(?m)^close\(3\) {32}= 0$", s);
    }

    [Fact]
    public void LongAndBinaryBuffersAndErrors()
    {
        string f = _t.File("long.txt", System.Text.Encoding.ASCII.GetBytes(new string('a', 40) + "\n"), "644");
        string s = TraceWithStatus(1, "/usr/bin/cat", f, "/nonexistent/file");
        Assert.Matches(@"(?m)^write\(1, ""a{32}""\.\.\., 41\) += 41$", s);
        Assert.Matches(@"(?m)^openat\(AT_FDCWD, ""/nonexistent/file"", O_RDONLY\) = -1 ENOENT \(No such file or directory\)$", s);
        Assert.Matches(@"(?m)^write\(2, ""/usr/bin/cat: "", 14\) += 14$", s);
    }

    [Fact]
    public void CreatModeSignalsAndLongPaths()
    {
        string dir = System.IO.Path.Combine(_t.Path, new string('d', 60));
        Directory.CreateDirectory(dir);
        string target = System.IO.Path.Combine(dir, "out.txt");
        string s = Trace("/usr/bin/perl", "-e", $"open(my $f, '>', '{target}') or die; print $f 1; $SIG{{INT}} = 'IGNORE'; close $f");
        Assert.Matches($@"(?m)^openat\(AT_FDCWD, ""{System.Text.RegularExpressions.Regex.Escape(target)}"", O_WRONLY\|O_CREAT\|O_TRUNC\|O_CLOEXEC, 0666\) = 3$", s);
        Assert.Matches(@"(?m)^rt_sigaction\(SIGINT, \{sa_handler=SIG_IGN, sa_mask=\[\], sa_flags=SA_RESTORER, sa_restorer=0x[0-9a-f]+\}, \{sa_handler=SIG_DFL, sa_mask=\[\], sa_flags=0\}, 8\) = 0$", s);
        Assert.Matches(@"(?m)^rt_sigprocmask\(SIG_(BLOCK|SETMASK|UNBLOCK), (NULL|~?\[[A-Z0-9_ ]*\]), (NULL|~?\[[A-Z0-9_ ]*\]|0x[0-9a-f]+), 8\) += 0$", s);
    }

    [Fact]
    public void EnvironmentKnobsAreDocumentedAndWork()
    {
        string help = ProcessRun.Jitexec(["--help"]).StdoutText;
        foreach (var knob in new[] { "JITEXEC_STRACE", "JITEXEC_WARN_UNIMPLEMENTED", "JITEXEC_VERBOSE", "JITEXEC_STATS" })
            Assert.Contains(knob, help);
        var toStderr = ProcessRun.Jitexec(["/usr/bin/true"], env: new Dictionary<string, string> { ["JITEXEC_STRACE"] = "1" });
        Assert.Matches(@"(?m)^exit_group\(0\) += \?$", toStderr.StderrText);
        string log = System.IO.Path.Combine(_t.Path, "trace.log");
        var toFile = ProcessRun.Jitexec(["/usr/bin/true"], env: new Dictionary<string, string> { ["JITEXEC_STRACE"] = log, ["JITEXEC_STATS"] = "1" });
        Assert.Contains("+++ exited with 0 +++", File.ReadAllText(log));
        Assert.Contains("jitexec: guest instructions", toFile.StderrText);
    }
}
