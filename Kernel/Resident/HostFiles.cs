// Small host file helpers for snapshots: stat by path, and reading a file only when it is
// a regular file owned by us and not writable by others (opened with O_NOFOLLOW).
using System.Text;
using Jitexec.Kernel.Host;
using Jitexec.Snapshot;

namespace Jitexec.Kernel.Resident;

public static unsafe class HostFiles
{
    private const int AT_FDCWD = -100, O_RDONLY = 0, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000;
    public const uint S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_ISVTX = 0x200;

    /// <summary>stat(2) (lstat with follow=false); false when it fails. A Try method, not Stat?:
    /// Nullable&lt;Stat&gt;.Value has no ReadyToRun code and was JIT-compiled at run time.</summary>
    public static bool TryStatPath(string path, out Stat st, bool follow = true)
    {
        var z = Encoding.UTF8.GetBytes(path + "\0");
        var buf = stackalloc byte[144];
        long r;
        fixed (byte* zp = z) r = Raw.Call(HostNr.Newfstatat, AT_FDCWD, (long)zp, (long)buf, follow ? 0 : 0x100 /* AT_SYMLINK_NOFOLLOW */);
        st = r < 0 ? default : Stat.FromKernel(buf);
        return r >= 0;
    }

    public static ManifestEntry Manifest(string path) =>
        TryStatPath(path, out var s)
            ? new ManifestEntry(path, true, s.Dev, s.Ino, s.Size, s.MtimeSec, s.MtimeNsec)
            : new ManifestEntry(path, false, 0, 0, 0, 0, 0);

    /// <summary>Why a manifest entry no longer describes the file, or null if it still does.</summary>
    public static string? Mismatch(ManifestEntry m)
    {
        var now = Manifest(m.Path);
        if (now.Exists != m.Exists) return m.Exists ? $"{m.Path} no longer exists" : $"{m.Path} now exists";
        if (!m.Exists) return null;
        if (now.Device != m.Device || now.Inode != m.Inode) return $"{m.Path} was replaced (device/inode changed)";
        if (now.Size != m.Size) return $"{m.Path} changed size ({m.Size} -> {now.Size})";
        if (now.MtimeSec != m.MtimeSec || now.MtimeNsec != m.MtimeNsec) return $"{m.Path} was modified (mtime changed)";
        return null;
    }

    /// <summary>Open for reading without following a final symlink; returns the host fd or -errno.</summary>
    public static int OpenNoFollow(string path)
    {
        var z = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* zp = z) return (int)Raw.Call(HostNr.Openat, AT_FDCWD, (long)zp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    }

    /// <summary>Open a directory (for flock); returns the host fd or -errno.</summary>
    public static int OpenDirectory(string path)
    {
        var z = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* zp = z) return (int)Raw.Call(HostNr.Openat, AT_FDCWD, (long)zp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }

    /// <summary>flock(LOCK_EX | LOCK_NB): 0, or -errno (-EWOULDBLOCK when someone else holds it).</summary>
    public static long TryLockExclusive(int fd) => Raw.Call(HostNr.Flock, fd, 2 | 4);

    public static Stat Fstat(int fd) => Stat.Of(fd);

    /// <summary>Read a whole file through fd (size taken from fstat). Null on a short read.</summary>
    public static byte[]? ReadAll(int fd, ulong size)
    {
        if (size > int.MaxValue) return null;
        var data = new byte[size];
        int done = 0;
        fixed (byte* p = data)
            while (done < data.Length)
            {
                long n = Raw.Call(HostNr.Pread64, fd, (long)(p + done), data.Length - done, done);
                if (n <= 0) return null;
                done += (int)n;
            }
        return data;
    }

    /// <summary>Up to <paramref name="max"/> bytes from the start of the file (one pread; fewer at EOF). Null on an error.</summary>
    public static byte[]? ReadHead(int fd, int max)
    {
        var data = new byte[max];
        long n;
        fixed (byte* p = data) n = Raw.Call(HostNr.Pread64, fd, (long)p, max, 0);
        return n < 0 ? null : n == max ? data : data.AsSpan(0, (int)n).ToArray();
    }

    public static void Close(int fd) => Raw.Call(HostNr.Close, fd);

    public static uint Euid => (uint)Raw.Call(HostNr.Geteuid);
}
