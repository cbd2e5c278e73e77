// Locations the whole-program tests need: the repository root, the guest C sources and
// the jitexec executable built alongside the tests.
namespace Jitexec.Tests.Programs;

public static class Repo
{
    public static readonly string Root = FindRoot();

    public static string GuestSources => Path.Combine(Root, "tests", "guest");

    /// <summary>The jitexec apphost copied next to the test assembly by the project reference.</summary>
    public static string Jitexec
    {
        get
        {
            string p = Path.Combine(AppContext.BaseDirectory, "jitexec");
            if (!File.Exists(p)) throw new FileNotFoundException("jitexec apphost not found next to the tests", p);
            return p;
        }
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Jitter.slnx"))) return d.FullName;
        throw new DirectoryNotFoundException("repository root (Jitter.slnx) not found");
    }
}
