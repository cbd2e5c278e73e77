// The guest's resource limits. Seeded from the host, except RLIMIT_NOFILE's soft limit:
// the .NET runtime raises its own soft limit at start-up, so the value the guest would
// have inherited natively is read from the parent process.
using Jitexec.Kernel.Host;

namespace Jitexec.Kernel.Process;

public sealed unsafe class Resources
{
    public const int Count = 16, RLIMIT_NOFILE = 7;
    private readonly ulong[,] _limits = new ulong[Count, 2];

    public Resources()
    {
        var buf = stackalloc ulong[2];
        for (int r = 0; r < Count; r++)
        {
            if (Raw.Call(HostNr.Prlimit64, 0, r, 0, (long)buf) == 0) { _limits[r, 0] = buf[0]; _limits[r, 1] = buf[1]; }
            else { _limits[r, 0] = _limits[r, 1] = ulong.MaxValue; }
        }
        if (ParentSoftNoFile() is { } soft) _limits[RLIMIT_NOFILE, 0] = Math.Min(soft, _limits[RLIMIT_NOFILE, 1]);
    }

    public (ulong Soft, ulong Hard) Get(int resource) => (_limits[resource, 0], _limits[resource, 1]);

    public void Set(int resource, ulong soft, ulong hard)
    {
        _limits[resource, 0] = soft;
        _limits[resource, 1] = hard;
    }

    private static ulong? ParentSoftNoFile()
    {
        try
        {
            int ppid = (int)Raw.Call(HostNr.Getppid);
            foreach (var line in File.ReadLines($"/proc/{ppid}/limits"))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
                var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts[0] == "unlimited" ? ulong.MaxValue : ulong.Parse(parts[0]);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        return null;
    }
}
