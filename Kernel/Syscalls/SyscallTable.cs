// All syscall rows, gathered from the per-concern groups into a lookup by number.
namespace Jitexec.Kernel.Syscalls;

public static class SyscallTable
{
    private static readonly SyscallRow?[] ByNumber = Build();

    private static SyscallRow?[] Build()
    {
        var rows = FileSyscalls.Rows.Concat(FileInfoSyscalls.Rows).Concat(FdSyscalls.Rows).Concat(MemorySyscalls.Rows)
            .Concat(ProcessSyscalls.Rows).Concat(TimeSyscalls.Rows).Concat(SignalSyscalls.Rows).Concat(InfoSyscalls.Rows);
        var table = new SyscallRow?[512];
        foreach (var r in rows)
        {
            if (table[r.Nr] != null) throw new InvalidOperationException($"syscall {r.Nr} registered twice");
            table[r.Nr] = r;
        }
        return table;
    }

    public static SyscallRow? Get(long nr) => (ulong)nr < (ulong)ByNumber.Length ? ByNumber[nr] : null;

    public static IEnumerable<SyscallRow> All => ByNumber.Where(r => r != null)!;
}
