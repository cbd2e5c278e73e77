// Start-up overlap for --resident: a rehearsal of the restore's code paths, run by the
// warm-up thread (Cli/StartupWarmup.cs) while the main thread parses arguments and sets up
// the guest memory. Each .NET method, type and static the restore uses costs a one-time
// first-use price (ReadyToRun fix-ups, type loads, static constructors) several times its
// real work; paying it here keeps it off the main thread's restore. The rehearsal reads,
// verifies and validates the program's snapshot and runs the pure steps of a restore
// (relocation targets, region bookkeeping in a scratch AddressSpace, page checksums and LZ4
// into a scratch buffer, CPU state into a scratch Cpu, a backing file opened and checked)
// on throw-away objects. Invariant: it has
// no effect the run can observe: it maps nothing, writes no guest memory or file, and its
// results are discarded; the main thread repeats every check itself before guest code runs.
// If the main thread starts its restore (StopRehearsal) before the rehearsal has got to the
// snapshot, the rehearsal is behind and is skipped: it would only contend with the main
// thread for the same first uses (the warm-up thread goes on to the decoder tables).
using System.Text;
using Jitexec.Kernel.Process;
using Jitexec.Snapshot;
using Jitexec.Translator.Core;

namespace Jitexec.Kernel.Resident;

public static partial class Restore
{
    private static volatile bool _stopRehearsal;

    /// <summary>The real restore begins: a rehearsal that has not yet read the snapshot is skipped.</summary>
    public static void StopRehearsal() => _stopRehearsal = true;

    /// <summary>Exercise the restore of <paramref name="exe"/>'s snapshot in <paramref name="store"/> without using it.</summary>
    /// <param name="envp">The environment, read when it is needed (validation comes after reading).</param>
    public static void Rehearse(ResidentStore store, string exe, Func<IReadOnlyList<byte[]>> envp)
    {
        // In the main thread's order, so that the rehearsal stays ahead of it.
        byte[][] argv = [Encoding.UTF8.GetBytes(exe)];
        if (_stopRehearsal) return;
        var (resolved, _) = Launcher.ResolveScripts(exe, argv, 0);
        string full = Path.GetFullPath(resolved);
        var t = new RestoreTimings();
        var img = _stopRehearsal ? null : store.Load(full, out _, t);
        if (img == null) return;
        var env = envp();
        _ = Validator.Check(img, full, env);
        t.Mark(RestoreTimings.Phase.Validate);
        _ = new Files.FdTable();
        _ = new Resources();
        _ = new Signals.SignalState();

        var k = img.Kernel;
        _ = ResidentStack.Needed(argv, env, argv[0], k.Aux.Length);
        var l = new ResidentStackLayout
        {
            Rsp = 0x1000, ArgvVec = 0x1008, EnvpVec = 0x1018, AuxVec = 0x1100, VecEnd = 0x1200, Random = 0x1200, Platform = 0x1210,
            ExecFn = 0x1300, ExecFnLen = 8, End = 0x2000,
            Args = new (ulong, ulong)[argv.Length], Envs = new (ulong, ulong)[env.Count],
        };
        foreach (var r in img.Relocations)
            try { _ = Target(r, l, argv, env); }
            catch (RestoreRefusedException) { }
        var scratch = new Memory.AddressSpace(null!); // bookkeeping only: Insert/Find never touch memory
        foreach (var r in img.Regions)
            scratch.Insert(new Memory.Vma(r.Start, r.End, r.Prot, false, r.Name, r.FileOffset, r.Device, r.Inode));
        foreach (var w in img.Secrets) _ = scratch.Find(w.Address);
        foreach (var r in img.Regions)
            if (r.Kind == RegionKind.File && r.FileIndex < img.Manifest.Count)
            {
                try { BackingFile.Open(img.Manifest[r.FileIndex]).Dispose(); }
                catch (RestoreRefusedException) { }
                break;
            }
        foreach (var r in img.Regions)
            if (r.Extents.Count > 0)
            {
                var x = r.Extents[0];
                var image = img.Pages.Span.Slice((int)x.BlobOffset, (int)x.BlobLength);
                _ = SnapshotFile.Hash(image) == x.Hash && PageCodec.TryDecompress(image, new byte[x.Pages * 4096]);
                break;
            }
        Span<byte> random = stackalloc byte[16];
        Host.HostRandom.Fill(random);
        _ = BitConverter.ToUInt64(random[..8]) ^ BitConverter.ToUInt64(random[8..]);
        LoadCpu(new Cpu(null!, null!), img.Cpu);
        _ = ResidentStack.ToStackLayout(l);
        try { _ = img.ReadProfile(); }
        catch (SnapshotFormatException) { }
        t.Mark(RestoreTimings.Phase.Fixup);
    }
}
