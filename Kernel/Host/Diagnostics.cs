// jitexec's own stderr: a private duplicate of fd 2 taken at start-up, outside the guest's
// fd table. The guest closing or redirecting its fd 2 (GNU ls closes it at exit) can then
// neither silence nor crash --strace, --stats or fault messages, as with strace itself.
// Init only takes the duplicate; the writer over it is made on first use (a FileStream and
// StreamWriter cost milliseconds of first-use start-up that most runs never need). It writes
// with write(2) (FdWriteStream), so messages follow guest output in a shared redirection.
namespace Jitexec.Kernel.Host;

public static class Diagnostics
{
    private const int F_DUPFD_CLOEXEC = 1030;
    private static TextWriter? _error;
    private static long _fd = -1;
    private static bool _dup;

    public static TextWriter Error => _error ??= Open();

    /// <summary>Take the duplicate now, before the guest can touch fd 2.</summary>
    public static void Init() => Dup();

    private static long Dup()
    {
        if (!_dup) { _fd = Raw.Call(HostNr.Fcntl, 2, F_DUPFD_CLOEXEC, 10); _dup = true; }
        return _fd;
    }

    private static TextWriter Open()
    {
        long fd = Dup();
        if (fd < 0) return TextWriter.Null;
        return new StreamWriter(new FdWriteStream((int)fd)) { AutoFlush = true };
    }
}
