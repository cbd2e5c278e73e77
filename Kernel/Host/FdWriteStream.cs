// A write-only Stream over a host descriptor that writes with write(2) at the descriptor's
// own offset. FileStream would treat a regular file as seekable and pwrite at a position it
// caches, so jitexec's messages to a stderr redirected into a file shared with the guest
// (`> log 2>&1`) would overwrite the guest's output instead of following it.
namespace Jitexec.Kernel.Host;

public sealed unsafe class FdWriteStream(int fd) : Stream
{
    private const int EINTR = 4;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
            for (int done = 0; done < data.Length;)
            {
                long n = Raw.Call(HostNr.Write, fd, (long)(p + done), data.Length - done);
                if (n == -EINTR) continue;
                if (n <= 0) return; // a closed or full stderr loses the message, as with any program
                done += (int)n;
            }
    }

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && fd >= 0) Raw.Call(HostNr.Close, fd);
        fd = -1;
        base.Dispose(disposing);
    }
}
