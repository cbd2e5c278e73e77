// The exact bytes of our arguments and initial environment. .NET decodes them as UTF-8,
// which would corrupt non-UTF-8 arguments; the guest must receive the original bytes, so
// they are read from /proc/self/cmdline and /proc/self/environ.
namespace Jitexec.Cli;

public static class RawArguments
{
    /// <summary>The last <paramref name="count"/> NUL-separated entries of /proc/self/cmdline (our Main args).</summary>
    public static List<byte[]> TrailingArgs(int count, string[] fallback)
    {
        var all = Split("/proc/self/cmdline");
        if (all == null || all.Count < count) return fallback.Skip(fallback.Length - count).Select(System.Text.Encoding.UTF8.GetBytes).ToList();
        return all.Skip(all.Count - count).ToList();
    }

    public static List<byte[]> Environment()
    {
        return Split("/proc/self/environ") ?? System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Select(k => System.Text.Encoding.UTF8.GetBytes($"{k}={System.Environment.GetEnvironmentVariable(k)}")).ToList();
    }

    private static List<byte[]>? Split(string path)
    {
        byte[] data;
        try { data = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        var list = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] != 0) continue;
            list.Add(data[start..i]);
            start = i + 1;
        }
        if (start < data.Length) list.Add(data[start..]);
        return list;
    }
}
