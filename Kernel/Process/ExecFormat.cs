// What a shell does with a file the kernel cannot exec (ENOEXEC): bash and execvp run a
// file that does not look binary (no NUL before the first newline in its first 80 bytes;
// an empty file counts as text) as a /bin/sh script, and report anything else as
// "cannot execute binary file". An ELF whose headers are valid but whose segments reach
// past the end of the file is accepted by the kernel and then dies with SIGSEGV.
namespace Jitexec.Kernel.Process;

public static class ExecFormat
{
    public const string Shell = "/bin/sh";

    /// <summary>True when <paramref name="path"/> would be run by /bin/sh after ENOEXEC (bash's check_binary_file is false).</summary>
    public static bool IsShellText(string path)
    {
        var sample = new byte[80];
        int n;
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            n = fs.Read(sample, 0, sample.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        if (n >= 4 && sample[0] == 0x7f && sample[1] == 'E' && sample[2] == 'L' && sample[3] == 'F') return false;
        for (int i = 0; i < n; i++)
        {
            if (sample[i] == '\n') return true;
            if (sample[i] == 0) return false;
        }
        return true;
    }

    /// <summary>The loader's reason for an ELF the kernel would map anyway (and then fault on).</summary>
    public static bool FaultsAfterExec(Loader.ElfFormatException e) => e.Message == "segment extends past end of file";
}
