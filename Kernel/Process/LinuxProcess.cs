// The Linux personality for one guest process: address space, fd table, identity and
// the syscall dispatcher. Implements the Translator's IGuestSystem seam.
using System.Text;
using Jitexec.Kernel.Files;
using Jitexec.Kernel.Host;
using Jitexec.Kernel.Memory;
using Jitexec.Kernel.Syscalls;
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Memory;

namespace Jitexec.Kernel.Process;

public sealed class LinuxProcess : IGuestSystem
{
    public readonly GuestMemory Mem;
    public readonly AddressSpace Space;
    public readonly FdTable Fds = new();
    public readonly Engine Engine;
    public Cpu Cpu { get; }
    public readonly ProcessOptions Options;

    /// <summary>Absolute path of the running executable (what /proc/self/exe shows).</summary>
    public string ExePath { get; set; } = "";
    public int ExitStatus { get; private set; }
    /// <summary>The initial stack and load results (for /proc/self/auxv and snapshots).</summary>
    public Loader.StackLayout? Stack { get; set; }
    public Loader.LoadResult? Load { get; set; }
    /// <summary>The guest's argv and environment as given at exec (for /proc/self/cmdline and environ).</summary>
    public IReadOnlyList<byte[]> Argv { get; set; } = [];
    public IReadOnlyList<byte[]> Envp { get; set; } = [];
    /// <summary>The set_tid_address pointer (cleared on thread exit; rewritten on snapshot restore).</summary>
    public ulong ClearChildTid { get; set; }
    /// <summary>The registered rseq area (0: none), its length and abort signature.</summary>
    public ulong RseqArea { get; set; }
    public uint RseqLength { get; set; }
    public uint RseqSignature { get; set; }
    public readonly Signals.SignalState Signals = new();
    public readonly Resources Limits = new();
    /// <summary>The guest is single-threaded and runs on the host main thread, whose tid is the pid.</summary>
    public int ThreadId => Environment.ProcessId;
    public readonly Strace? Trace;

    public LinuxProcess(GuestMemory mem, ProcessOptions options)
    {
        Mem = mem;
        Options = options;
        Space = new AddressSpace(mem);
        Cpu = new Cpu(mem, this);
        Engine = new Engine(mem, this);
        Space.CodeChanged = (start, len) => Engine.Cache.Invalidate(start, len);
        if (options.StraceWriter != null) Trace = new Strace(this, options.StraceWriter);
    }

    public void Run() => Engine.Run(Cpu);

    public void Syscall(Cpu c)
    {
        long nr = (long)c.R[Reg.Rax];
        var args = new SyscallArgs(c.R[Reg.Rdi], c.R[Reg.Rsi], c.R[Reg.Rdx], c.R[Reg.R10], c.R[Reg.R8], c.R[Reg.R9]);
        var row = SyscallTable.Get(nr);
        if (row == null)
        {
            if (Options.WarnUnimplemented) Kernel.Host.Diagnostics.Error.WriteLine($"jitexec: unimplemented syscall {nr} ({SyscallNames.Of(nr)}), returning -ENOSYS");
            Trace?.Unknown(nr, args);
            c.R[Reg.Rax] = unchecked((ulong)-Errno.ENOSYS);
            return;
        }
        Trace?.Enter(row, args);
        long result;
        try { result = row.Handler(this, args); }
        catch (SyscallError e) { result = -e.Errno; }
        if (c.Halted) return;
        c.R[Reg.Rax] = (ulong)result;
        Trace?.Exit(row, args, result);
    }

    public ulong ExecutableLimit(ulong addr) => Space.ExecutableEnd(addr);

    public void Fault(Cpu cpu, GuestFault fault)
    {
        // No guest signal delivery yet: the fault is fatal, as with SIG_DFL.
        if (fault.Signal == GuestFault.SIGILL || Options.Verbose)
            Kernel.Host.Diagnostics.Error.WriteLine($"jitexec: {fault.Message}");
        Trace?.Killed(fault.Signal);
        Termination.DieBySignal(fault.Signal);
    }

    public void ExitGroup(int status)
    {
        ExitStatus = status & 0xFF;
        Cpu.Halted = true;
    }

    // --- guest memory helpers for syscalls --------------------------------------------

    /// <summary>Host address for a guest buffer, or SyscallError(EFAULT) if it leaves the guest range.</summary>
    public unsafe long Host(ulong ptr, ulong length)
    {
        if (!GuestMemory.InRange(ptr, length)) throw new SyscallError(Errno.EFAULT);
        return (long)Mem.Ptr(ptr);
    }

    /// <summary>Host address of a pointer argument that may be NULL.</summary>
    public long HostOrNull(ulong ptr, ulong length) => ptr == 0 ? 0 : Host(ptr, length);

    /// <summary>Read a NUL-terminated guest string (at most 4096 bytes: ENAMETOOLONG beyond).</summary>
    public byte[] ReadCString(ulong ptr, int max = 4096)
    {
        if (ptr == 0 || ptr >= GuestMemory.Size) throw new SyscallError(Errno.EFAULT);
        var bytes = new List<byte>(64);
        ulong readableEnd = 0; // the string is readable below this address (checked once per mapping)
        for (int i = 0; i < max; i++)
        {
            ulong a = ptr + (ulong)i;
            if (a >= readableEnd)
            {
                if (a >= GuestMemory.Size || Space.Find(a) is not { } v || (v.Prot & Loader.Prot.Read) == 0) throw new SyscallError(Errno.EFAULT);
                readableEnd = v.End;
            }
            byte b = Mem.Read8(a);
            if (b == 0) return bytes.ToArray();
            bytes.Add(b);
        }
        throw new SyscallError(Errno.ENAMETOOLONG);
    }

    public string ReadPath(ulong ptr) => Encoding.UTF8.GetString(ReadCString(ptr));

    public unsafe void WriteBytes(ulong ptr, ReadOnlySpan<byte> data)
    {
        long h = Host(ptr, (ulong)data.Length);
        data.CopyTo(new Span<byte>((void*)h, data.Length));
    }
}

public sealed class ProcessOptions
{
    public TextWriter? StraceWriter { get; init; }
    public bool WarnUnimplemented { get; init; }
    public bool Verbose { get; init; }
}
