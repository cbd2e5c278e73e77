// jitexec's own messages (--strace without -o, -v, --stats) go to its stderr. When stdout and
// stderr are one file (`> log 2>&1`), they must follow the guest's output in that file, as a
// native strace's would, not overwrite it at a position of their own.
using Jitexec.Tests.Programs;
using Xunit;

namespace Jitexec.Tests.Cli;

public sealed class SharedRedirectionTests
{
    [Fact]
    public void TraceAndGuestOutputShareOneFile()
    {
        string log = Path.Combine(Path.GetTempPath(), $"jx-shared-{Environment.ProcessId}-{Guid.NewGuid():N}.log");
        try
        {
            string exe = GuestBuild.Get("hello", LinkVariant.Static);
            var r = ProcessRun.Run("/bin/sh", ["-c", "\"$0\" --strace --stats \"$1\" a b c > \"$2\" 2>&1", Repo.Jitexec, exe, log]);
            Assert.Equal(0, r.ExitCode);
            string text = File.ReadAllText(log);
            var native = ProcessRun.Run(exe, ["a", "b", "c"]).StdoutText;
            Assert.StartsWith("execve(", text);                    // nothing wrote over the first trace line
            Assert.Contains(native, text);                          // the guest's output is whole
            Assert.True(text.IndexOf(native, StringComparison.Ordinal) < text.IndexOf("exit_group(0)", StringComparison.Ordinal), text);
            Assert.Contains("jitexec: guest instructions", text);   // --stats after it all
        }
        finally { File.Delete(log); }
    }
}
