// The snapshot directory: where it is, whether it is safe to load from, file naming, and
// atomic replacement. Default: /var/run/resident for root, else $XDG_RUNTIME_DIR/
// jitexec-resident, else /tmp/jitexec-resident-UID; --resident-dir or JITEXEC_RESIDENT_DIR
// override. Created mode 0700. A snapshot is loaded only if the directory is owned by us
// (or root) and not group/world-writable unless sticky, and the file is a regular file we
// own that nobody else can write. Writers write a private temp file and rename it over the
// target, so concurrent writers never leave a torn file (the last rename wins whole), and
// they hold an exclusive flock on the directory meanwhile, so a profile update (read, merge,
// write, rename) never overwrites a snapshot another process wrote after it read the file.
using System.Text;
using Jitexec.Snapshot;

namespace Jitexec.Kernel.Resident;

public sealed class ResidentStore(string dir)
{
    public const string Extension = ".jxr";
    public string Dir { get; } = dir;

    public static string DefaultDir()
    {
        uint euid = HostFiles.Euid;
        if (euid == 0 && Usable("/var/run/resident", create: true)) return "/var/run/resident";
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } xdg && HostFiles.TryStatPath(xdg, out var st)
            && (st.Mode & HostFiles.S_IFMT) == HostFiles.S_IFDIR && st.Uid == euid)
            return Path.Combine(xdg, "jitexec-resident");
        return $"/tmp/jitexec-resident-{euid}";
    }

    public static ResidentStore Open(string? explicitDir)
    {
        string? env = Environment.GetEnvironmentVariable("JITEXEC_RESIDENT_DIR");
        return new ResidentStore(Path.GetFullPath(explicitDir ?? (string.IsNullOrEmpty(env) ? DefaultDir() : env)));
    }

    private static bool Usable(string d, bool create)
    {
        try
        {
            if (OperatingSystem.IsWindows()) return false;
            if (create && !Directory.Exists(d)) Directory.CreateDirectory(d, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return UnsafeReason(d) == null && Raw(d);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static unsafe bool Raw(string d)
    {
        var z = Encoding.UTF8.GetBytes(d + "\0");
        fixed (byte* p = z) return Host.Raw.Call(Host.HostNr.Access, (long)p, 7) == 0;
    }

    /// <summary>Why snapshots in <paramref name="d"/> must not be trusted, or null.</summary>
    public static string? UnsafeReason(string d)
    {
        if (!HostFiles.TryStatPath(d, out var st)) return $"{d} does not exist";
        if ((st.Mode & HostFiles.S_IFMT) != HostFiles.S_IFDIR) return $"{d} is not a directory";
        if (st.Uid != HostFiles.Euid && st.Uid != 0) return $"{d} is owned by uid {st.Uid}";
        if ((st.Mode & 0x12 /* 022 */) != 0 && (st.Mode & HostFiles.S_ISVTX) == 0) return $"{d} is group/world-writable without the sticky bit";
        return null;
    }

    public string? EnsureDir()
    {
        try
        {
            if (OperatingSystem.IsWindows()) return "unsupported platform";
            if (!Directory.Exists(Dir)) Directory.CreateDirectory(Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"cannot create {Dir}: {e.Message}"; }
        return UnsafeReason(Dir);
    }

    /// <summary>DIR/NAME-HASH.jxr: NAME is the file name with anything but [A-Za-z0-9._+-] as '_', HASH the
    /// XxHash64 of the full path in 16 hex digits. Built by hand: it runs on every restore, and string
    /// formatting or StringBuilder would cost more first-use time than the whole lookup.</summary>
    public string PathFor(string exeFullPath)
    {
        int slash = exeFullPath.LastIndexOf('/');
        var name = exeFullPath.AsSpan(slash + 1);
        ulong h = SnapshotFile.Hash(Encoding.UTF8.GetBytes(exeFullPath));
        bool sep = Dir.Length > 0 && Dir[^1] != '/';
        var c = new char[Dir.Length + (sep ? 1 : 0) + name.Length + 1 + 16 + Extension.Length];
        Dir.CopyTo(0, c, 0, Dir.Length);
        int at = Dir.Length;
        if (sep) c[at++] = '/';
        foreach (char ch in name) c[at++] = char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-' or '+' ? ch : '_';
        c[at++] = '-';
        for (int i = 15; i >= 0; i--) c[at++] = "0123456789abcdef"[(int)(h >> (4 * i)) & 15];
        Extension.CopyTo(0, c, at, Extension.Length);
        return new string(c);
    }

    public IEnumerable<string> Files() =>
        Directory.Exists(Dir) ? Directory.EnumerateFiles(Dir, "*" + Extension).Order(StringComparer.Ordinal) : [];

    /// <summary>Read a snapshot file's bytes after the ownership checks. Returns null with the reason on refusal.</summary>
    public static byte[]? ReadTrusted(string file, out string? why) => ReadTrusted(file, out why, out _);

    public static byte[]? ReadTrusted(string file, out string? why, out Host.Stat stat)
    {
        stat = default;
        why = UnsafeReason(Path.GetDirectoryName(file)!);
        if (why != null) return null;
        int fd = HostFiles.OpenNoFollow(file);
        if (fd < 0) { why = fd == -2 ? "no snapshot yet" : $"cannot open {file}: errno {-fd}"; return null; }
        try
        {
            var st = stat = HostFiles.Fstat(fd);
            if ((st.Mode & HostFiles.S_IFMT) != HostFiles.S_IFREG) { why = $"{file} is not a regular file"; return null; }
            if (st.Uid != HostFiles.Euid) { why = $"{file} is owned by uid {st.Uid}, not by us"; return null; }
            if ((st.Mode & 0x12) != 0) { why = $"{file} is writable by others"; return null; }
            var data = HostFiles.ReadAll(fd, st.Size);
            if (data == null) why = $"cannot read {file}";
            return data;
        }
        finally { HostFiles.Close(fd); }
    }

    /// <summary>Load and parse the snapshot for a program; null with the reason if absent, untrusted or corrupt.</summary>
    public SnapshotImage? Load(string exeFullPath, out string? why, RestoreTimings? t = null)
    {
        var data = ReadTrusted(PathFor(exeFullPath), out why);
        t?.Mark(RestoreTimings.Phase.Read);
        if (data == null) return null;
        try { return SnapshotFile.Read(data); }
        catch (SnapshotFormatException e) { why = e.Message; return null; }
    }

    /// <summary>Write atomically: private temp file in the same directory, then rename over the target.</summary>
    public string Save(SnapshotImage s)
    {
        if (EnsureDir() is { } bad) throw new IOException(bad);
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        var bytes = SnapshotFile.Write(s);
        string target = PathFor(s.ProgramPath);
        using var held = Lock(); // if another writer keeps it past the timeout, write anyway: a registration wins
        Replace(target, bytes);
        return target;
    }

    /// <summary>Merge the units a run compiled into the hot-code profile of the program's snapshot,
    /// under the directory lock: re-read and verify the current file, merge, and replace the file
    /// (temp + rename) with every other section copied unchanged. Returns what happened (for -v).</summary>
    public string UpdateProfile(string exeFullPath, IReadOnlyList<HotBlock[]> compiled)
    {
        if (UnsafeReason(Dir) is { } bad) return $"profile not updated: {bad}";
        using var held = Lock();
        if (held == null) return "profile not updated: another process holds the snapshot directory lock";
        string target = PathFor(exeFullPath);
        var data = ReadTrusted(target, out string? why, out var st);
        if (data == null) return $"profile not updated: {why}";
        byte[] bytes;
        int added, units, blocks;
        try
        {
            var img = SnapshotFile.Read(data);
            if (img.ProgramPath != exeFullPath || img.BuildId != ResidentKey.BuildId) return "profile not updated: the snapshot was replaced by one for another program or build";
            HotProfile old;
            try { old = img.ReadProfile(); }
            catch (SnapshotFormatException) { old = new HotProfile(); } // checksummed but unparsable: start afresh
            var merged = old.Merge(compiled, out added);
            if (added == 0) return $"profile unchanged ({old.Units.Count} units)";
            (units, blocks) = (merged.Units.Count, merged.BlockCount);
            bytes = SnapshotFile.ReplaceProfile(data, merged.Serialize());
        }
        catch (SnapshotFormatException e) { return $"profile not updated: {e.Message}"; }
        // Writers that did not get the lock in time may still have replaced it: never overwrite theirs.
        if (!HostFiles.TryStatPath(target, out var now, follow: false) || now.Dev != st.Dev || now.Ino != st.Ino || now.Size != st.Size
            || now.MtimeSec != st.MtimeSec || now.MtimeNsec != st.MtimeNsec)
            return "profile not updated: the snapshot changed meanwhile";
        Replace(target, bytes);
        return $"profile updated: {added} new units, {units} units ({blocks} blocks) in {target}";
    }

    /// <summary>Exclusive flock on the directory (released on Dispose), or null after <paramref name="timeoutMs"/>.</summary>
    public IDisposable? Lock(int timeoutMs = 2000)
    {
        int fd = HostFiles.OpenDirectory(Dir);
        if (fd < 0) return null;
        long deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            long r = HostFiles.TryLockExclusive(fd);
            if (r == 0) return new DirLock(fd);
            if (r != -11 /* EWOULDBLOCK */ || Environment.TickCount64 > deadline) break;
            Thread.Sleep(2);
        }
        HostFiles.Close(fd);
        return null;
    }

    private sealed class DirLock(int fd) : IDisposable
    {
        private int _fd = fd;
        public void Dispose() { if (_fd >= 0) HostFiles.Close(_fd); _fd = -1; } // closing the fd releases the flock
    }

    private static void Replace(string target, byte[] bytes)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        string tmp = $"{target}.tmp.{Environment.ProcessId}.{Random.Shared.Next():x8}";
        try
        {
            using (var f = new FileStream(tmp, new FileStreamOptions
                   { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
                f.Write(bytes);
            File.Move(tmp, target, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }
}
