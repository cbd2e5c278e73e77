// Maps an ELF executable (and its PT_INTERP interpreter) into the guest the way the Linux
// kernel's binfmt_elf does: PT_LOAD segments page-aligned from the file, bss zeroed,
// ET_DYN placed at a fixed bias (no ASLR: deterministic layouts help snapshots).
namespace Jitexec.Loader;

public sealed record LoadedImage(ElfFile Elf, ulong Bias, ulong Entry, ulong PhdrAddr, ulong End);

public sealed record LoadResult(LoadedImage Main, LoadedImage? Interpreter)
{
    /// <summary>Where execution starts: the interpreter's entry if there is one, else the program's.</summary>
    public ulong StartAddress => Interpreter?.Entry ?? Main.Entry;
}

/// <summary>The interpreter named by PT_INTERP cannot be loaded.</summary>
public sealed class InterpreterException(string interp, string reason) : Exception(reason)
{
    public string Interpreter { get; } = interp;
}

public static class ElfLoader
{
    /// <summary>Load address of a position-independent main program.</summary>
    public const ulong PieBase = 0x55_5555_4000;
    private const ulong Page = 4096;

    public static LoadResult Load(ElfFile elf, IGuestMapper mapper, Func<string, string>? resolveInterp = null)
    {
        var main = Map(elf, mapper, elf.Type == ElfType.Dyn ? PieBase : 0);
        LoadedImage? interp = null;
        if (elf.Interpreter is { } ipath)
        {
            string resolved = resolveInterp?.Invoke(ipath) ?? ipath;
            ElfFile ie;
            try { ie = ElfFile.Read(resolved); }
            catch (ElfFormatException e) { throw new InterpreterException(ipath, e.Message); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InterpreterException(ipath, e.Message); }
            if (ie.Interpreter != null) throw new InterpreterException(ipath, "interpreter has its own interpreter");
            ulong bias = 0;
            if (ie.Type == ElfType.Dyn)
            {
                var (lo, hi) = ie.LoadSpan();
                bias = mapper.FindFree(hi - lo) - lo;
            }
            interp = Map(ie, mapper, bias);
        }
        return new LoadResult(main, interp);
    }

    private static LoadedImage Map(ElfFile elf, IGuestMapper mapper, ulong bias)
    {
        if (elf.Type == ElfType.Dyn)
        {
            var (lo, _) = elf.LoadSpan();
            bias -= lo;
        }
        ulong end = 0;
        foreach (var p in elf.ProgramHeaders)
        {
            if (p.Type != PhType.Load || p.MemSize == 0) continue;
            int prot = Prot.FromSegmentFlags(p.Flags);
            ulong vaddr = p.VAddr + bias;
            ulong start = vaddr & ~(Page - 1);
            ulong fileEnd = vaddr + p.FileSize;
            ulong memEnd = vaddr + p.MemSize;
            ulong fileMapEnd = (fileEnd + Page - 1) & ~(Page - 1);
            if (p.FileSize > 0)
                mapper.MapFile(start, fileMapEnd - start, prot, elf.Path, p.Offset & ~(Page - 1));
            // Zero the tail of the last file page when bss begins inside it.
            if (memEnd > fileEnd && p.FileSize > 0 && (fileEnd & (Page - 1)) != 0)
                mapper.Poke(fileEnd, new byte[fileMapEnd - fileEnd]);
            ulong anonStart = p.FileSize > 0 ? fileMapEnd : start;
            ulong anonEnd = (memEnd + Page - 1) & ~(Page - 1);
            if (anonEnd > anonStart) mapper.MapAnonymous(anonStart, anonEnd - anonStart, prot, "[bss]");
            end = Math.Max(end, anonEnd);
        }
        ulong phdr = elf.PhdrVAddr() is { } ph ? ph + bias : 0;
        return new LoadedImage(elf, bias, elf.Entry + bias, phdr, end);
    }
}
