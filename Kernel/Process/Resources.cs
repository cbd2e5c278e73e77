// The guest's resource limits. Seeded from the host, except RLIMIT_NOFILE's soft limit:
// the .NET runtime raises its own soft limit at start-up, so the value the guest would
// have inherited natively is read from the parent process. That read (/proc/PPID/limits)
// happens on the guest's first look at RLIMIT_NOFILE, not at start-up: most programs never
// ask, and every run (cold or restored) would otherwise pay for it. The parent's pid is
// taken at start-up, so a parent that exits meanwhile cannot make us read another process.
using System.Text;
using Jitexec.Kernel.Host;

namespace Jitexec.Kernel.Process;

public sealed unsafe class Resources
{
    public const int Count = 16, RLIMIT_NOFILE = 7;
    private readonly ulong[,] _limits = new ulong[Count, 2];
    private readonly int _parent;
    private bool _noFileSeeded;

    public Resources()
    {
        var buf = stackalloc ulong[2];
        for (int r = 0; r < Count; r++)
        {
            if (Raw.Call(HostNr.Prlimit64, 0, r, 0, (long)buf) == 0) { _limits[r, 0] = buf[0]; _limits[r, 1] = buf[1]; }
            else { _limits[r, 0] = _limits[r, 1] = ulong.MaxValue; }
        }
        _parent = (int)Raw.Call(HostNr.Getppid);
    }

    public (ulong Soft, ulong Hard) Get(int resource)
    {
        if (resource == RLIMIT_NOFILE) SeedNoFile();
        return (_limits[resource, 0], _limits[resource, 1]);
    }

    public void Set(int resource, ulong soft, ulong hard)
    {
        if (resource == RLIMIT_NOFILE) _noFileSeeded = true;
        _limits[resource, 0] = soft;
        _limits[resource, 1] = hard;
    }

    /// <summary>Copy the limits (soft, hard per resource) into <paramref name="into"/> (2 × Count);
    /// returns whether RLIMIT_NOFILE's soft limit has been settled already.</summary>
    public bool Export(ulong[] into)
    {
        for (int r = 0; r < Count; r++) { into[2 * r] = _limits[r, 0]; into[2 * r + 1] = _limits[r, 1]; }
        return _noFileSeeded;
    }

    /// <summary>The inverse of Export (a hand-off: the parent is the same process's parent).</summary>
    public void Import(ulong[] from, bool noFileSeeded)
    {
        for (int r = 0; r < Count; r++) { _limits[r, 0] = from[2 * r]; _limits[r, 1] = from[2 * r + 1]; }
        _noFileSeeded = noFileSeeded;
    }

    private void SeedNoFile()
    {
        if (_noFileSeeded) return;
        _noFileSeeded = true;
        if (ParentSoftNoFile(_parent) is { } soft) _limits[RLIMIT_NOFILE, 0] = Math.Min(soft, _limits[RLIMIT_NOFILE, 1]);
    }

    /// <summary>The soft "Max open files" of process <paramref name="ppid"/>, or null if unreadable.</summary>
    private static ulong? ParentSoftNoFile(int ppid)
    {
        var data = RawFile.ReadAll(Encoding.ASCII.GetBytes($"/proc/{ppid}/limits"));
        if (data == null) return null;
        var text = data.AsSpan();
        int at = text.IndexOf("Max open files"u8);
        if (at < 0) return null;
        var rest = text[(at + "Max open files".Length)..];
        int i = 0;
        while (i < rest.Length && rest[i] == (byte)' ') i++;
        if (rest[i..].StartsWith("unlimited"u8)) return ulong.MaxValue;
        ulong v = 0;
        int digits = 0;
        for (; i < rest.Length && rest[i] is >= (byte)'0' and <= (byte)'9' && digits < 20; i++, digits++) v = v * 10 + (ulong)(rest[i] - '0');
        return digits == 0 ? null : v;
    }
}
