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
        byte[]? data = ReadProcFile(path);
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

    /// <summary>A whole /proc file (its size is not known in advance), or null if it cannot be read.</summary>
    private static byte[]? ReadProcFile(ReadOnlySpan<byte> path)
    {
        Span<byte> z = stackalloc byte[path.Length + 1];
        path.CopyTo(z);
        z[^1] = 0;
        long fd;
        fixed (byte* zp = z) fd = Raw.Call(HostNr.Openat, -100 /* AT_FDCWD */, (long)zp, 0x80000 /* O_RDONLY|O_CLOEXEC */);
        if (fd < 0) return null;
        try
        {
            var buf = new byte[16384];
            int len = 0;
            while (true)
            {
                if (len == buf.Length)
                {
                    var bigger = new byte[buf.Length * 2];
                    Buffer.BlockCopy(buf, 0, bigger, 0, len);
                    buf = bigger;
                }
                long n;
                fixed (byte* p = buf) n = Raw.Call(HostNr.Read, fd, (long)(p + len), buf.Length - len);
                if (n == -4 /* EINTR */) continue;
                if (n < 0) return null;
                if (n == 0) break;
                len += (int)n;
            }
            return buf.AsSpan(0, len).ToArray();
        }
        finally { Raw.Call(HostNr.Close, fd); }
    }
}
