// Minimal fstat for device/inode identification of mapped files.
namespace Jitexec.Kernel.Host;

public readonly record struct Stat(ulong Dev, ulong Ino, ulong Size, long MtimeSec, long MtimeNsec, uint Mode, uint Uid)
{
    public static unsafe Stat Of(int hostFd)
    {
        var buf = stackalloc byte[144];
        if (Raw.Call(HostNr.Fstat, hostFd, (long)buf) < 0) return default;
        return FromKernel(buf);
    }

    /// <summary>Decode an x86-64 `struct stat` (144 bytes).</summary>
    public static unsafe Stat FromKernel(byte* b) => new(
        *(ulong*)b, *(ulong*)(b + 8), *(ulong*)(b + 48), *(long*)(b + 88), *(long*)(b + 96), *(uint*)(b + 24), *(uint*)(b + 28));
}
