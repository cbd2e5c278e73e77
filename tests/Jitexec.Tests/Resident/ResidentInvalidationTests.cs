// Every cause that must invalidate a snapshot does, and each time the run falls back to a
// cold start with identical output, says why under --verbose, and replaces the snapshot.
using Jitexec.Snapshot;
using Jitexec.Tests.Programs;
using Xunit;
using static Jitexec.Tests.Resident.ResidentHarness;

namespace Jitexec.Tests.Resident;

public class ResidentInvalidationTests
{
    private static readonly string Exe = GuestBuild.Get("resident", LinkVariant.Dynamic);

    /// <summary>A snapshot directory with the probe registered against a private copy of libm (via LD_LIBRARY_PATH).</summary>
    private sealed class Fixture : IDisposable
    {
        public readonly ResidentDir Dir = new();
        public readonly string LibDir;
        public readonly Dictionary<string, string> Env = BaseEnv();
        public readonly string[] Args = [Exe, "probe", "x"];
        public readonly RunResult Plain;

        public Fixture()
        {
            LibDir = Directory.CreateDirectory(Path.Combine(Dir.Path, "lib")).FullName;
            File.Copy("/lib/x86_64-linux-gnu/libm.so.6", Path.Combine(LibDir, "libm.so.6"));
            Env["LD_LIBRARY_PATH"] = LibDir;
            Register(Dir, Args, Env);
            Plain = ResidentHarness.Plain(Args, Env);
            var again = RunResident(Dir, Args, Env);
            Assert.True(again.Restored, again.Why);
            AssertSame(Plain, again);
        }

        public string Snapshot => Dir.Single;

        /// <summary>The next run must be cold for <paramref name="because"/>, match the plain run, and leave a snapshot that restores.</summary>
        public void ExpectColdThenRestored(string because, Dictionary<string, string>? env = null)
        {
            var e = env ?? Env;
            var cold = RunResident(Dir, Args, e);
            Assert.False(cold.Restored, $"restored despite: {because}");
            Assert.Contains(because, cold.Why);
            AssertSame(env == null ? Plain : ResidentHarness.Plain(Args, e), cold);
            Assert.True(cold.Registered, $"snapshot not replaced: {cold.Why}");
            var warm = RunResident(Dir, Args, e);
            Assert.True(warm.Restored, warm.Why);
        }

        public void Dispose() => Dir.Dispose();
    }

    [Fact]
    public void TouchedLibrary()
    {
        using var f = new Fixture();
        File.SetLastWriteTimeUtc(Path.Combine(f.LibDir, "libm.so.6"), DateTime.UtcNow.AddMinutes(-3));
        f.ExpectColdThenRestored("libm.so.6 was modified");
    }

    [Fact]
    public void ReplacedLibrary()
    {
        using var f = new Fixture();
        string lib = Path.Combine(f.LibDir, "libm.so.6");
        File.Copy(lib, lib + ".new");
        File.Move(lib + ".new", lib, overwrite: true);
        f.ExpectColdThenRestored("was replaced");
    }

    [Fact]
    public void ChangedLdLibraryPath()
    {
        using var f = new Fixture();
        var env = new Dictionary<string, string>(f.Env) { ["LD_LIBRARY_PATH"] = f.LibDir + ":/nonexistent" };
        f.ExpectColdThenRestored("loader environment changed (LD_LIBRARY_PATH)", env);
    }

    [Fact]
    public void AddedLdVariable()
    {
        using var f = new Fixture();
        var env = new Dictionary<string, string>(f.Env) { ["LD_BIND_NOW"] = "1" };
        f.ExpectColdThenRestored("LD_BIND_NOW", env);
    }

    [Fact]
    public void TruncatedSnapshot()
    {
        using var f = new Fixture();
        var bytes = File.ReadAllBytes(f.Snapshot);
        File.WriteAllBytes(f.Snapshot, bytes[..(bytes.Length / 2)]);
        f.ExpectColdThenRestored("truncated");
        File.WriteAllBytes(f.Snapshot, bytes[..10]);
        f.ExpectColdThenRestored("truncated");
        File.WriteAllBytes(f.Snapshot, []);
        f.ExpectColdThenRestored("truncated");
    }

    [Fact]
    public void FlippedByteInEverySection()
    {
        using var f = new Fixture();
        var original = File.ReadAllBytes(f.Snapshot);
        var sections = SnapshotFile.Sections(original);
        Assert.Equal(10, sections.Count);
        var header = new List<(long At, string Because)>
        {
            (3, "bad magic"), (8, "format version"), (17, "truncated or extended"),
            (25, "header checksum"), (SnapshotFile.HeaderSize + 9, "checksum"),
        };
        for (int k = 0; k < header.Count + sections.Count; k++)
        {
            long at;
            string because;
            if (k < header.Count) (at, because) = header[k];
            else
            {
                // Offsets from the current file: each replacement may differ in length by a few bytes.
                var (name, off, len) = SnapshotFile.Sections(original)[k - header.Count];
                if (len == 0) continue;
                (at, because) = ((long)(off + len / 2), $"checksum mismatch in section {name}");
            }
            var bad = (byte[])original.Clone();
            bad[at] ^= 0x40;
            File.WriteAllBytes(f.Snapshot, bad);
            f.ExpectColdThenRestored(because);
            original = File.ReadAllBytes(f.Snapshot); // the replacement is the new baseline
        }
    }

    [Fact]
    public void ForeignOwnerAndUnsafeDirectory()
    {
        if (Environment.UserName != "root") return; // chown needs root
        using var f = new Fixture();
        File.SetUnixFileMode(f.Snapshot, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Chown(f.Snapshot, 4242);
        f.ExpectColdThenRestored("owned by uid 4242");

        File.SetUnixFileMode(f.Snapshot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite);
        f.ExpectColdThenRestored("writable by others");

        var all = (UnixFileMode)0x1FF;
        File.SetUnixFileMode(f.Dir.Path, all);
        var r = RunResident(f.Dir, f.Args, f.Env);
        Assert.False(r.Restored);
        Assert.Contains("without the sticky bit", r.Why);
        AssertSame(f.Plain, r);
        File.SetUnixFileMode(f.Dir.Path, all | UnixFileMode.StickyBit);
        r = RunResident(f.Dir, f.Args, f.Env);
        Assert.True(r.Restored, r.Why);
    }

    private static void Chown(string path, int uid)
    {
        var p = System.Diagnostics.Process.Start("chown", [uid.ToString(), path]);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [Theory]
    [InlineData("version", "format version 99")]
    [InlineData("build", "another jitexec build")]
    [InlineData("cpu", "virtual CPU")]
    [InlineData("program", "made for /elsewhere")]
    [InlineData("identity", "uid/gid")]
    public void WrongVersionOrKey(string field, string because)
    {
        using var f = new Fixture();
        var img = SnapshotFile.Read(File.ReadAllBytes(f.Snapshot));
        switch (field)
        {
            case "version": img.FormatVersion = 99; break;
            case "build": img.BuildId = "0000000000000000"; break;
            case "cpu": img.CpuProfile = "x86-64-v4/9"; break;
            case "program": img.ProgramPath = "/elsewhere"; break;
            case "identity": img.Identity = img.Identity with { Uid = img.Identity.Uid + 1 }; break;
        }
        File.WriteAllBytes(f.Snapshot, SnapshotFile.Write(img));
        f.ExpectColdThenRestored(because);
    }

    [Fact]
    public async Task ParallelRegistrationsLeaveOneValidSnapshot()
    {
        using var dir = new ResidentDir();
        var env = BaseEnv();
        string[] args = ["/usr/bin/perl", "-e", "print qq{ok\\n}"];
        var runs = Enumerable.Range(0, 4).Select(_ => Task.Run(() => RunResident(dir, args, env))).ToArray();
        foreach (var r in await Task.WhenAll(runs)) Assert.Equal("ok\n", r.Guest.StdoutText);
        Assert.Single(dir.Snapshots);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp.*"));
        SnapshotFile.Read(File.ReadAllBytes(dir.Single)); // parses and all checksums hold
        var warm = RunResident(dir, args, env);
        Assert.True(warm.Restored, warm.Why);
    }

    [Fact]
    public void NoArgvEnvOrSecretsInTheImage()
    {
        using var dir = new ResidentDir();
        var env = BaseEnv();
        env["RT_MARK"] = "EnvMarker7731";
        Register(dir, [Exe, "ArgMarker5519"], env);
        var bytes = File.ReadAllBytes(dir.Single);
        var img = SnapshotFile.Read(bytes);
        var all = new MemoryStream();
        all.Write(bytes);
        foreach (var r in img.Regions)
            foreach (var x in r.Extents)
            {
                var page = new byte[x.Pages * 4096];
                Assert.True(PageCodec.TryDecompress(img.Pages.Span.Slice((int)x.BlobOffset, (int)x.BlobLength), page));
                all.Write(page);
                // Secret words are stored as zero.
                foreach (var s in img.Secrets.Where(s => s.Address >= x.Address && s.Address < x.Address + (ulong)page.Length))
                    Assert.Equal(0UL, BitConverter.ToUInt64(page, (int)(s.Address - x.Address)));
            }
        var hay = System.Text.Encoding.Latin1.GetString(all.ToArray());
        Assert.DoesNotContain("EnvMarker7731", hay);
        Assert.DoesNotContain("ArgMarker5519", hay);
        Assert.Contains(img.Secrets, s => s.Kind == SecretKind.StackCanary);
        Assert.Contains(img.Secrets, s => s.Kind == SecretKind.PointerGuard);
        Assert.NotEmpty(img.Relocations);
    }
}
