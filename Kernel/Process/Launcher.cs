// Starts a guest program the way execve does: validate and load the ELF (and its
// interpreter), map the stack, build argv/envp/auxv, set the initial registers.
// Scripts starting with "#!" run their interpreter under jitexec, as the kernel would.
using System.Text;
using Jitexec.Kernel.Host;
using Jitexec.Kernel.Memory;
using Jitexec.Loader;
using Jitexec.Translator.Core;
using Jitexec.Translator.Memory;
using N = Jitexec.Kernel.Host.HostNr;

namespace Jitexec.Kernel.Process;

/// <summary>Why a program could not be started, with the shell's exit status for it.</summary>
public sealed class LaunchException(string message, int exitStatus) : Exception(message)
{
    public int ExitStatus { get; } = exitStatus;
}

public static class Launcher
{
    public const int MaxScriptDepth = 4;

    public static LinuxProcess Start(GuestMemory mem, ProcessOptions options, string path, IReadOnlyList<byte[]> argv, IReadOnlyList<byte[]> envp)
    {
        var (exe, finalArgv) = ResolveScripts(path, argv, 0);
        if (exe == path && ExecFormat.IsShellText(exe)) // ENOEXEC on a text file: bash and execvp run it with /bin/sh
            (exe, finalArgv) = (ExecFormat.Shell, [Encoding.UTF8.GetBytes(ExecFormat.Shell), Encoding.UTF8.GetBytes(path), .. argv.Skip(1)]);
        ElfFile elf = ReadElf(exe, path);
        var p = new LinuxProcess(mem, options) { ExePath = Path.GetFullPath(exe) };
        LoadResult load;
        try
        {
            load = ElfLoader.Load(elf, p.Space);
        }
        catch (InterpreterException e)
        {
            throw new LaunchException($"{path}: cannot execute: required interpreter {e.Interpreter} cannot be loaded: {e.Message}", 127);
        }
        p.Space.InitBrk(load.Main.End);
        int stackProt = Prot.Read | Prot.Write | (elf.ExecutableStack ? Prot.Exec : 0);
        p.Space.MapAnonymous(Layout.StackTop - Layout.StackSize, Layout.StackSize, stackProt, "[stack]");

        var id = new InitialStack.Identity((uint)Raw.Call(N.Getuid), (uint)Raw.Call(N.Geteuid), (uint)Raw.Call(N.Getgid), (uint)Raw.Call(N.Getegid));
        Span<byte> random = stackalloc byte[16];
        Host.HostRandom.Fill(random);
        uint hwcap = CpuProfile.Query(1, 0).Edx;
        var stack = InitialStack.Build(p.Space, Layout.StackTop, load, finalArgv, envp, Encoding.UTF8.GetBytes(path), id, hwcap, random);

        var cpu = p.Cpu;
        cpu.R[Reg.Rsp] = stack.Rsp;
        cpu.Rip = load.StartAddress;
        p.Stack = stack;
        p.Argv = finalArgv;
        p.Envp = envp;
        p.Load = load;
        p.Trace?.Execve(path, argv, envp.Count, stack.Rsp + 8 * (ulong)(finalArgv.Count + 2));
        return p;
    }

    private static ElfFile ReadElf(string exe, string shown)
    {
        try
        {
            return ElfFile.Read(exe);
        }
        catch (ElfFormatException e) when (ExecFormat.FaultsAfterExec(e))
        {
            Termination.DieBySignal(11); // the kernel maps what exists and the program faults on the missing part: SIGSEGV
            throw;
        }
        catch (ElfFormatException)
        {
            throw new LaunchException($"{shown}: cannot execute binary file: Exec format error", 126);
        }
        catch (UnauthorizedAccessException)
        {
            throw new LaunchException($"{shown}: Permission denied", 126);
        }
        catch (IOException e)
        {
            throw new LaunchException($"{shown}: {e.Message}", 126);
        }
    }

    /// <summary>Follow "#!interpreter [arg]" lines like binfmt_script: argv becomes interpreter, [arg], script path, original argv[1..].</summary>
    public static (string Exe, IReadOnlyList<byte[]> Argv) ResolveScripts(string path, IReadOnlyList<byte[]> argv, int depth)
    {
        CheckExecutable(path);
        byte[] head = new byte[256];
        int n = RawFile.ReadHead(path, head);
        if (n < 0) // unreadable: let FileStream report it as before (UnauthorizedAccessException or IOException)
            using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1))
                n = fs.Read(head, 0, head.Length);
        if (n < 2 || head[0] != '#' || head[1] != '!') return (path, argv);
        if (depth >= MaxScriptDepth) throw new LaunchException($"{path}: cannot execute: Too many levels of symbolic links", 126);
        int end = head.AsSpan(0, n).IndexOf((byte)'\n'); // span, not Array.IndexOf<byte> (JIT-compiled: no R2R code)
        var line = Encoding.UTF8.GetString(head, 2, (end < 0 ? n : end) - 2).Trim(' ', '\t', '\r');
        int sp = line.IndexOfAny([' ', '\t']);
        string interp = sp < 0 ? line : line[..sp];
        string? arg = sp < 0 ? null : line[(sp + 1)..].Trim(' ', '\t');
        if (interp.Length == 0) throw new LaunchException($"{path}: cannot execute binary file: Exec format error", 126);
        if (!File.Exists(interp)) throw new LaunchException($"{path}: cannot execute: required file not found", 127); // bash 5.2's wording
        var next = new List<byte[]> { Encoding.UTF8.GetBytes(interp) };
        if (!string.IsNullOrEmpty(arg)) next.Add(Encoding.UTF8.GetBytes(arg));
        next.Add(Encoding.UTF8.GetBytes(path));
        next.AddRange(argv.Skip(1));
        return ResolveScripts(interp, next, depth + 1);
    }

    /// <summary>The checks execve makes before reading the file: exists, not a directory, executable.
    /// Raw system calls rather than File/Directory/FileStream: this runs before every start (and
    /// every restore), and those APIs cost milliseconds of one-time .NET start-up.</summary>
    public static unsafe void CheckExecutable(string path)
    {
        byte[] z = Encoding.UTF8.GetBytes(path + "\0");
        var st = stackalloc byte[144];
        long r;
        fixed (byte* zp = z) r = Raw.Call(N.Newfstatat, -100 /* AT_FDCWD */, (long)zp, (long)st, 0);
        if (r == 0 && (Stat.FromKernel(st).Mode & 0xF000) == 0x4000) throw new LaunchException($"{path}: Is a directory", 126);
        if (r != 0) throw new LaunchException($"{path}: No such file or directory", 127);
        fixed (byte* zp = z) r = Raw.Call(N.Access, (long)zp, 1 /* X_OK */);
        if (r < 0) throw new LaunchException($"{path}: {Syscalls.Errno.Text((int)-r)}", 126);
    }
}
