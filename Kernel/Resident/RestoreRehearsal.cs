// Start-up overlap for --resident: a rehearsal of the restore's code paths, run by a warm-up
// thread of its own (Cli/StartupWarmup.cs; the decoder tables have another) while the main
// thread parses arguments, sets up the guest memory and starts its own restore. Each .NET method, type and static the restore uses
// costs a one-time first-use price (ReadyToRun fix-ups, type loads, static constructors)
// several times its real work; paying it here keeps it off the main thread's restore.
// The rehearsal needs no snapshot file: it builds a small synthetic snapshot (one file, one
// anonymous and one stack region, a page image, relocations, a secret word, signal actions),
// serialises and parses it, runs the validation steps, and restores it with the real
// Restore.Run into a private scratch guest address space. (An earlier rehearsal read the
// program's own snapshot first; it needed the program path resolved and the file read, so
// it reached the snapshot no earlier than the main thread did and was usually skipped; it
// also ran before the decoder tables on the same thread, delaying them.)
// It runs only when it can help (WorthRehearsing, checked first on the rehearsal thread): a
// snapshot file exists for the program and its point is after the dynamic loader. Without a
// snapshot the run is cold; a static program's snapshot is taken at AT_ENTRY and its restore
// is as short as a cold start, so the main thread reaches each step at once and the rehearsal
// would be pure cost on the same cores. (Checking on the main thread and starting the thread
// afterwards was tried: the rehearsal then started too late to get ahead, and perl -e 1's
// restore was slower than with no rehearsal at all.)
// Invariant: no effect the run can observe: the scratch reservation is unmapped at the end,
// nothing is written to any file, and every result is discarded. Steps the main thread has
// already passed (RestoreTimings.MainPassed) are skipped: they would only contend with it.
using Jitexec.Kernel.Memory;
using Jitexec.Kernel.Process;
using Jitexec.Loader;
using Jitexec.Snapshot;
using Jitexec.Translator.Host;
using Jitexec.Translator.Memory;

namespace Jitexec.Kernel.Resident;

public static unsafe partial class Restore
{
    /// <summary>Exercise every step of a restore on a synthetic snapshot, without using any real one.
    /// True when it got through a whole restore (false: skipped, the main thread was ahead, or refused).</summary>
    public static bool Rehearse()
    {
        // In the main thread's order, so that the rehearsal stays ahead of it.
        _ = ResidentKey.BuildId; // validation: reflection over the assemblies' version ids
        var s = Synthetic(out byte[][] argv, out IReadOnlyList<byte[]> envp); // also the snapshot model's types (verify)
        if (!RestoreTimings.MainPassed(RestoreTimings.Phase.Verify)) _ = SnapshotFile.Read(SnapshotFile.Write(s));
        if (!RestoreTimings.MainPassed(RestoreTimings.Phase.Validate)) _ = Validator.Check(s, s.ProgramPath, envp);
        if (RestoreTimings.MainPassed(RestoreTimings.Phase.Process)) return false;
        bool restored = false;
        var mem = new GuestMemory(); // a private reservation, unmapped below whatever happens
        try
        {
            restored = Run(mem, new ProcessOptions(), s, s.ProgramPath, argv, envp, argv[0]).Stack != null;
        }
        catch (RestoreRefusedException) { } // only a rehearsal (e.g. /proc/self/exe replaced meanwhile)
        finally
        {
            Libc.munmap((nint)mem.ReservationStart, unchecked((nuint)GuestMemory.ReservationSize));
        }
        _ = s.ReadProfile();
        return restored;
    }

    /// <summary>Is a rehearsal worth a thread for this run? True when the snapshot file for
    /// <paramref name="path"/> (after #! resolution) exists and its first bytes name a snapshot point
    /// after the dynamic loader (SnapshotPoint.DlStartUser). Cheap (a few system calls, no verification,
    /// nothing parsed beyond the Meta section) and only a hint: any problem means false, and the
    /// restore checks everything itself.</summary>
    public static bool WorthRehearsing(ResidentStore store, string path)
    {
        try
        {
            var (exe, _) = Launcher.ResolveScripts(path, [], 0);
            int fd = HostFiles.OpenNoFollow(store.PathFor(Path.GetFullPath(exe)));
            if (fd < 0) return false;
            try { return HostFiles.ReadHead(fd, HeadBytes) is { } head && SnapshotFile.PointIs(head, SnapshotPoint.DlStartUser); }
            finally { HostFiles.Close(fd); }
        }
        catch (Exception e) when (e is not OutOfMemoryException) { return false; } // the run reports it itself
    }

    /// <summary>Enough of a snapshot file to hold its header, section table and Meta section (whose
    /// largest part is the program path).</summary>
    private const int HeadBytes = 8192;

    private const ulong RFile = 0x10000, RAnon = 0x20000, RStack = 0x100000, RStackEnd = 0x140000, RRsp = 0x120000;

    /// <summary>A small snapshot that exercises every restore step: its file region maps the
    /// running executable (/proc/self/exe), its page image is one LZ4-compressed page.</summary>
    private static SnapshotImage Synthetic(out byte[][] argv, out IReadOnlyList<byte[]> envp)
    {
        argv = ["/rehearsal"u8.ToArray(), "-e"u8.ToArray()];
        envp = ["PATH=/rehearsal"u8.ToArray()];
        var s = new SnapshotImage
        {
            BuildId = ResidentKey.BuildId, CpuProfile = Translator.Core.CpuProfile.Name, ProgramPath = "/proc/self/exe", Point = SnapshotPoint.AtEntry,
            Identity = Validator.CurrentIdentity(),
        };
        s.Manifest.Add(HostFiles.Manifest(s.ProgramPath));
        // One page, compressed as a registration would (which also warms the LZ4 codec for a
        // registering run).
        var page = new byte[Layout.Page];
        page[0] = 0x90;
        var image = PageCodec.Compress(page);
        s.Pages = image;
        s.Regions.Add(new Region(RFile, RFile + Layout.Page, Prot.Read, RegionKind.File, s.ProgramPath, 0, 0, s.Manifest[0].Device, s.Manifest[0].Inode, new Extent[0]));
        s.Regions.Add(new Region(RAnon, RAnon + Layout.Page, Prot.Read | Prot.Write, RegionKind.Anonymous, "", -1, 0, 0, 0,
            new[] { new Extent(RAnon, 1, 0, (uint)image.Length, SnapshotFile.Hash(image)) }));
        s.Regions.Add(new Region(RStack, RStackEnd, Prot.Read | Prot.Write, RegionKind.Stack, "[stack]", -1, 0, 0, 0, new Extent[0]));
        s.Relocations.Add(new PointerReloc(RAnon, StackPart.ArgvVector, -1, 0, ""));
        s.Relocations.Add(new PointerReloc(RAnon + 8, StackPart.ArgString, 0, 1, ""));
        s.Relocations.Add(new PointerReloc(RAnon + 16, StackPart.EnvString, -1, 0, "PATH"));
        s.Secrets.Add(new SecretWord(RAnon + 24, SecretKind.StackCanary));
        var k = s.Kernel;
        k.Rsp = RRsp; k.StackStart = RStack; k.StackEnd = RStackEnd; k.StackProt = Prot.Read | Prot.Write;
        k.ClearChildTid = RAnon + 32; k.BrkStart = k.Brk = RAnon + Layout.Page;
        k.Aux = [(Auxv.AT_PAGESZ, 4096), (Auxv.AT_RANDOM, 0), (Auxv.AT_PLATFORM, 0), (Auxv.AT_EXECFN, 0)];
        k.SignalActions = [new SignalAction(2, 1, 0, 0, 0)];
        return s;
    }
}
