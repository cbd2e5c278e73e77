// Where a resident snapshot is taken. For glibc's ld.so the entry is
//   _start: mov %rsp,%rdi ; call _dl_start      and the call returns to _dl_start_user,
// reached once everything is loaded and relocated but before any constructor runs. We
// confirm that shape by decoding the interpreter's entry; any other loader, and static
// programs, snapshot at AT_ENTRY (the program's own entry) instead.
using Iced.Intel;
using Jitexec.Kernel.Process;
using Jitexec.Loader;

namespace Jitexec.Kernel.Resident;

public static class SnapshotPoint
{
    public const string DlStartUser = "dl_start_user", AtEntry = "at_entry";

    /// <summary>The snapshot address and its kind (a named struct: the ValueTuple&lt;ulong, string&gt;
    /// constructor has no ReadyToRun code and was JIT-compiled at run time).</summary>
    public readonly record struct Location(ulong Address, string Kind);

    public static Location Find(LinuxProcess p)
    {
        var load = p.Load ?? throw new InvalidOperationException("process has no load result");
        if (load.Interpreter is not { } interp) return new(load.Main.Entry, AtEntry);
        ulong entry = interp.Entry;
        var v = p.Space.Find(entry);
        if (v == null || (v.Prot & Prot.Read) == 0 || v.End - entry < 16) return new(load.Main.Entry, AtEntry);
        var bytes = p.Mem.Span(entry, 16).ToArray();
        var dec = Decoder.Create(64, new ByteArrayCodeReader(bytes), entry);
        var first = dec.Decode();
        var second = dec.Decode();
        bool movRdiRsp = first.Mnemonic == Mnemonic.Mov && first.Op0Kind == OpKind.Register && first.Op0Register == Register.RDI
            && first.Op1Kind == OpKind.Register && first.Op1Register == Register.RSP;
        bool call = second.Mnemonic == Mnemonic.Call && second.Op0Kind == OpKind.NearBranch64;
        if (movRdiRsp && call && interp.Elf.LoadSpan() is var (lo, hi) && second.NearBranchTarget - interp.Bias >= lo && second.NearBranchTarget - interp.Bias < hi)
            return new(second.NextIP, DlStartUser);
        return new(load.Main.Entry, AtEntry);
    }
}
