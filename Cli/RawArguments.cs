// The exact bytes of our arguments and initial environment. .NET decodes them as UTF-8,
// which would corrupt non-UTF-8 arguments; the guest must receive the original bytes, so
// they are read from /proc/self/cmdline and /proc/self/environ (with raw system calls:
// File.ReadAllBytes and LINQ cost milliseconds of first-use start-up on every run).
using Jitexec.Kernel.Host;

namespace Jitexec.Cli;

public static unsafe class RawArguments
{
    /// <summary>The last <paramref name="count"/> NUL-separated entries of /proc/self/cmdline (our Main args).</summary>
    public static List<byte[]> TrailingArgs(int count, string[] fallback)
    {
        var all = Split("/proc/self/cmdline"u8);
        if (all == null || all.Count < count) return fallback.Skip(fallback.Length - count).Select(System.Text.Encoding.UTF8.GetBytes).ToList();
        if (all.Count > count) all.RemoveRange(0, all.Count - count);
        return all;
    }

    public static List<byte[]> Environment()
    {
        return Split("/proc/self/environ"u8) ?? System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Select(k => System.Text.Encoding.UTF8.GetBytes($"{k}={System.Environment.GetEnvironmentVariable(k)}")).ToList();
    }

    private static List<byte[]>? Split(ReadOnlySpan<byte> path)
    {
        byte[]? data = RawFile.ReadAll(path);
        if (data == null) return null;
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
