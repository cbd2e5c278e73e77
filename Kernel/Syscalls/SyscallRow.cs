// One declarative row per syscall: number, name, handler and argument kinds. The
// dispatcher and the --strace formatter both read these rows.
using Jitexec.Kernel.Process;

namespace Jitexec.Kernel.Syscalls;

/// <summary>How an argument is shown by --strace.</summary>
public enum Arg : byte
{
    Int, UInt, Hex, Ptr, Fd, DirFd, Path, InBuf /* size in the next arg */, OutBuf /* length = result */,
    OpenFlags, Mode, MmapProt, MmapFlags, Signal, Str,
    /// <summary>open/openat mode: shown only when the flags (previous argument) have O_CREAT or O_TMPFILE.</summary>
    OpenMode,
    AccessMode, AtFlags, Whence, Resource, ArchPrctlCode, GrndFlags, Fadvice, FutexOp, SigHow, IoctlReq, FcntlCmd,
    /// <summary>fcntl's third argument, decoded by the command.</summary>
    FcntlArg,
    /// <summary>Output structs (shown after success) and input structs.</summary>
    StatOut, RlimitIn, RlimitOut, SigSetIn, SigSetOut, SigActionIn, SigActionOut,
    /// <summary>getdents64 buffer: shown as the address and the number of records returned.</summary>
    Dirents,
    /// <summary>Like OutBuf, printed in \\x hex (random bytes).</summary>
    OutBufHex,
    ClockId, TimespecIn, TimespecOut, SockFamily, SockType,
    /// <summary>A sockaddr whose length is the next argument.</summary>
    SockAddr,
}

public readonly struct SyscallArgs(ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5)
{
    public readonly ulong A0 = a0, A1 = a1, A2 = a2, A3 = a3, A4 = a4, A5 = a5;
    public ulong this[int i] => i switch { 0 => A0, 1 => A1, 2 => A2, 3 => A3, 4 => A4, _ => A5 };
}

public delegate long SyscallHandler(LinuxProcess p, SyscallArgs a);

public sealed record SyscallRow(int Nr, string Name, SyscallHandler Handler, params Arg[] Args);

/// <summary>Thrown by argument helpers to fail a syscall with -errno.</summary>
public sealed class SyscallError(int errno) : Exception
{
    public int Errno { get; } = errno;
}
