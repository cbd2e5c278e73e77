// Resident snapshots of perl (`perl -e 1` stopped at ld.so's _dl_start_user), through the
// same APIs `jitexec --resident` uses. Setup registers perl once, in-process, exactly as a
// cold resident run does (ResidentRunner.Start, then RunToSnapshotPoint, which captures and
// saves the snapshot into a private directory). Then:
//   Restore       - ResidentRunner.Start on that snapshot: read the file, verify checksums,
//                   validate (build, identity, environment, manifest stats), rebuild the process
//                   (map files, LZ4 pages, stack, relocations, CPU) - the restore phases of -v
//                   up to "fixup", steady state (warm code), ms per restore.
//   RestoreParsed - Restore.Run alone from the already parsed and validated image.
//   Serialize     - SnapshotFile.Write: the image to bytes (section checksums included).
//   Save          - ResidentStore.Save: serialise, write a temp file, rename over the snapshot.
// Write throughput = snapshot bytes (printed by Setup) / time. Capture (page scan and LZ4
// compression) is part of registration, not of these: it needs the process stopped at its point.
//   dotnet run -c Release --project perf/Jitexec.Perf -- --filter '*Snapshot*' --job short   (~1 minute)
using BenchmarkDotNet.Attributes;
using System.Text;
using Jitexec.Kernel.Process;
using Jitexec.Kernel.Resident;
using Jitexec.Snapshot;
using Jitexec.Translator.Memory;

namespace Jitexec.Perf;

public class SnapshotBenchmarks
{
    private const string Perl = "/usr/bin/perl";
    private string _dir = "";
    private ResidentStore _store = null!;
    private GuestMemory _registerMem = null!, _restoreMem = null!;
    private byte[][] _argv = [], _envp = [];
    private SnapshotImage _image = null!;
    private long _bytes;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("jx-snapbench-").FullName; // mode 0700, owned by us: trusted
        _store = new ResidentStore(_dir);
        _argv = [Encoding.UTF8.GetBytes(Perl), "-e"u8.ToArray(), "1"u8.ToArray()];
        _envp = [Encoding.UTF8.GetBytes("PATH=/usr/bin:/bin")];
        _registerMem = new GuestMemory();
        var cold = ResidentRunner.Start(_registerMem, new ProcessOptions(), _store, Perl, _argv, _envp);
        if (cold.Restored || !cold.RunToSnapshotPoint() || cold.SavedTo == null)
            throw new InvalidOperationException($"perl was not registered: {cold.SaveError ?? cold.ColdReason}");
        _bytes = new FileInfo(cold.SavedTo).Length;
        _image = _store.Load(Path.GetFullPath(Perl), out string? why) ?? throw new InvalidOperationException($"snapshot unreadable: {why}");
        if (Validator.Check(_image, Path.GetFullPath(Perl), _envp) is { } bad) throw new InvalidOperationException($"snapshot invalid: {bad}");
        _restoreMem = new GuestMemory();
        if (!Restore().Restored) throw new InvalidOperationException("the snapshot was not restored");
        Console.WriteLine($"// perl snapshot: {_bytes:N0} bytes, {_image.Regions.Count} regions, {_image.Pages.Length:N0} bytes of LZ4 pages");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _registerMem.Dispose();
        _restoreMem.Dispose();
        Directory.Delete(_dir, true);
    }

    [Benchmark(Description = "restore perl snapshot (read, verify, validate, rebuild)")]
    public ResidentSession Restore() => ResidentRunner.Start(_restoreMem, new ProcessOptions(), _store, Perl, _argv, _envp);

    [Benchmark(Description = "restore perl snapshot from the parsed image (Restore.Run)")]
    public LinuxProcess RestoreParsed() =>
        Jitexec.Kernel.Resident.Restore.Run(_restoreMem, new ProcessOptions(), _image, Perl, _argv, _envp, _argv[0]);

    [Benchmark(Description = "serialise perl snapshot (SnapshotFile.Write)")]
    public byte[] Serialize() => SnapshotFile.Write(_image);

    [Benchmark(Description = "save perl snapshot (serialise, temp file, rename)")]
    public string Save() => _store.Save(_image);
}
