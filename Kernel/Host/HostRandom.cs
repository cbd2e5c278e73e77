// Random bytes straight from getrandom(2). RandomNumberGenerator would load
// System.Security.Cryptography and OpenSSL (several ms of start-up per run) for 16 bytes.
namespace Jitexec.Kernel.Host;

public static unsafe class HostRandom
{
    public static void Fill(Span<byte> dest)
    {
        fixed (byte* p = dest)
        {
            int done = 0;
            while (done < dest.Length)
            {
                long n = Raw.Call(HostNr.Getrandom, (long)(p + done), dest.Length - done, 0);
                if (n == -4 /* EINTR */) continue;
                if (n <= 0) throw new IOException($"getrandom failed: errno {-n}");
                done += (int)n;
            }
        }
    }
}
