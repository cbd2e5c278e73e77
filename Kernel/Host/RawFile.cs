// Reading host files with raw system calls, for paths run on every start (and every restore)
// where the .NET file APIs' one-time first-use cost (milliseconds) shows: open for reading,
// fill a buffer, read a whole file of unknown size (/proc files report size 0).
// Results follow the kernel's convention: a count, or -errno; EINTR is retried.
using System.Text;

namespace Jitexec.Kernel.Host;

public static unsafe class RawFile
{
    private const int AtFdCwd = -100, ORdOnlyCloExec = 0x80000, ORdWrCloExec = 0x80002, EINTR = 4;

    /// <summary>open(path, O_RDONLY|O_CLOEXEC): the host fd, or -errno.</summary>
    public static int OpenRead(string path) => OpenRead(Encoding.UTF8.GetBytes(path));

    /// <summary>openat(path, O_RDWR|O_CLOEXEC): the fd, or -errno.</summary>
    public static int OpenReadWrite(string path)
    {
        var z = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* zp = z) return (int)Raw.Call(HostNr.Openat, AtFdCwd, (long)zp, ORdWrCloExec);
    }

    /// <summary>As <see cref="OpenRead(string)"/> for a path given as bytes (no NUL).</summary>
    public static int OpenRead(ReadOnlySpan<byte> path)
    {
        Span<byte> z = path.Length < 1024 ? stackalloc byte[path.Length + 1] : new byte[path.Length + 1];
        path.CopyTo(z);
        z[^1] = 0;
        fixed (byte* zp = z) return (int)Raw.Call(HostNr.Openat, AtFdCwd, (long)zp, ORdOnlyCloExec);
    }

    /// <summary>Read from fd until <paramref name="buf"/> is full or the file ends: the count, or -errno.</summary>
    public static int Fill(int fd, Span<byte> buf)
    {
        int len = 0;
        fixed (byte* p = buf)
            while (len < buf.Length)
            {
                long n = Raw.Call(HostNr.Read, fd, (long)(p + len), buf.Length - len);
                if (n == -EINTR) continue;
                if (n < 0) return (int)n;
                if (n == 0) break;
                len += (int)n;
            }
        return len;
    }

    /// <summary>The first buf.Length bytes of <paramref name="path"/> (fewer if shorter): the count, or -errno.</summary>
    public static int ReadHead(string path, Span<byte> buf)
    {
        int fd = OpenRead(path);
        if (fd < 0) return fd;
        try { return Fill(fd, buf); }
        finally { Close(fd); }
    }

    /// <summary>A whole file whose size is not known in advance, or null if it cannot be read.</summary>
    public static byte[]? ReadAll(ReadOnlySpan<byte> path)
    {
        int fd = OpenRead(path);
        if (fd < 0) return null;
        try
        {
            var buf = new byte[16384];
            int len = 0;
            while (true)
            {
                int n = Fill(fd, buf.AsSpan(len));
                if (n < 0) return null;
                len += n;
                if (len < buf.Length) return buf.AsSpan(0, len).ToArray();
                Array.Resize(ref buf, buf.Length * 2);
            }
        }
        finally { Close(fd); }
    }

    public static void Close(int fd) => Raw.Call(HostNr.Close, fd);
}
