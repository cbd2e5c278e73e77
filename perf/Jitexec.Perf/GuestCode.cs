// Shared fixtures for the micro-benchmarks: real code bytes from a system binary, and
// small hand-assembled guest routines placed in a guest address space that the
// interpreter can run without any Linux personality (FlatSystem), as SmokeTests does.
using Iced.Intel;
using Jitexec.Loader;
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Host;
using Jitexec.Translator.Memory;

namespace Jitexec.Perf;

public static class GuestCode
{
    public const ulong CodeBase = 0x10000, StackBase = 0x80000, DataBase = 0x100000;
    public const int CodeSize = 0x70000, StackSize = 0x10000, DataSize = 0x100000;

    /// <summary>The bytes of the first executable PT_LOAD segment of <paramref name="path"/> (e.g. perl's .text), at most <paramref name="max"/> bytes from its middle section of code.</summary>
    public static (byte[] Bytes, ulong VAddr) ExecutableSegment(string path = "/usr/bin/perl", int max = 256 * 1024)
    {
        var elf = ElfFile.Read(path);
        foreach (var ph in elf.ProgramHeaders)
        {
            if (ph.Type != PhType.Load || (ph.Flags & ProgramHeader.PF_X) == 0) continue;
            int len = (int)Math.Min((ulong)max, ph.FileSize);
            var bytes = new byte[len];
            using var fs = File.OpenRead(path);
            fs.Position = (long)ph.Offset;
            fs.ReadExactly(bytes);
            return (bytes, ph.VAddr);
        }
        throw new InvalidOperationException($"{path} has no executable segment");
    }

    /// <summary>Assemble a routine at <paramref name="address"/>.</summary>
    public static byte[] Assemble(Assembler a, ulong address)
    {
        var w = new MemoryStream();
        a.Assemble(new StreamCodeWriter(w), address);
        return w.ToArray();
    }

    /// <summary>A guest memory with code, stack and data regions mapped read/write (the interpreter does not need host execute rights).</summary>
    public static unsafe GuestMemory NewFlatMemory()
    {
        var mem = new GuestMemory();
        Check(Libc.mprotect((nint)mem.Ptr(CodeBase), CodeSize + StackSize, Libc.PROT_READ | Libc.PROT_WRITE));
        Check(Libc.mprotect((nint)mem.Ptr(DataBase), DataSize, Libc.PROT_READ | Libc.PROT_WRITE));
        return mem;
    }

    private static void Check(int r)
    {
        if (r != 0) throw new InvalidOperationException("mprotect failed");
    }
}

/// <summary>The smallest IGuestSystem: code is executable inside [start, end), a syscall stops the run.</summary>
public sealed class FlatSystem(ulong start, ulong end) : IGuestSystem
{
    public void Syscall(Cpu cpu) => cpu.Halted = true;
    public ulong ExecutableLimit(ulong addr) => addr >= start && addr < end ? end : 0;
    public void Fault(Cpu cpu, GuestFault fault) => throw fault;
}
