// `jitexec resident list|show|verify|rm|add|gc`: inspect and manage resident snapshots.
// Human-readable tables by default, --json for scripts (written with Utf8JsonWriter: no
// reflection). verify's exit status is 0 only when every checked snapshot is valid.
using System.Text;
using System.Text.Json;
using Jitexec.Kernel.Host;
using Jitexec.Kernel.Process;
using Jitexec.Kernel.Resident;
using Jitexec.Snapshot;
using Jitexec.Translator.Memory;

namespace Jitexec.Cli;

public static class ResidentTool
{
    public const string Usage = """
        usage: jitexec [--resident-dir DIR] resident COMMAND [--json] [ARGS]

        commands:
          list              every snapshot: program, size, age, valid?
          show PROG|FILE    header, manifest (per-file validity), regions (sizes, compression),
                            CPU state, relocations, hot-code profile (units, blocks)
          verify [PROG...]  check checksums, build, identity, environment and manifest;
                            exit status 0 only if all checked snapshots are valid
          rm PROG...|--all  remove snapshots
          add PROG [ARGS]   register PROG: run it to the snapshot point only (main does not run)
          gc                remove stale, corrupt and leftover temporary files

        PROG is looked up in $PATH like the program of a run; a path ending in .jxr names a
        snapshot file. The directory is --resident-dir, $JITEXEC_RESIDENT_DIR, /var/run/resident
        (root) or $XDG_RUNTIME_DIR/jitexec-resident.
        """;

    public static int Run(string? dir, string[] args)
    {
        bool json = args.Contains("--json");
        var rest = args.Where(a => a != "--json").ToList();
        if (rest.Count == 0 || rest[0] is "-h" or "--help" or "help") { Console.Out.Write(Usage); return rest.Count == 0 ? 2 : 0; }
        var store = ResidentStore.Open(dir);
        string verb = rest[0];
        var operands = rest.Skip(1).ToList();
        try
        {
            return verb switch
            {
                "list" => List(store, json),
                "show" when operands.Count == 1 => Show(store, operands[0], json),
                "verify" => Verify(store, operands, json),
                "rm" when operands.Count > 0 => Remove(store, operands),
                "add" when operands.Count > 0 => Add(store, dir, args.SkipWhile(a => a != "add").Skip(1).ToArray()),
                "gc" => Gc(store, json),
                _ => Fail($"resident: bad command '{string.Join(' ', rest)}' (try 'jitexec resident --help')", 2),
            };
        }
        catch (LaunchException e) { return Fail($"resident: {e.Message}", e.ExitStatus); }
    }

    private static int Fail(string message, int status)
    {
        Console.Error.WriteLine($"jitexec: {message}");
        return status;
    }

    /// <summary>Everything known about one snapshot file.</summary>
    private sealed record Entry(string File, long Size, DateTime Modified, SnapshotImage? Image, string? Problem)
    {
        public bool Valid => Problem == null;
        public string Program => Image?.ProgramPath ?? "?";
    }

    private static Entry Inspect(string file)
    {
        var fi = new FileInfo(file);
        long size = fi.Exists ? fi.Length : 0;
        var data = ResidentStore.ReadTrusted(file, out string? why);
        if (data == null) return new Entry(file, size, fi.LastWriteTime, null, why ?? "unreadable");
        SnapshotImage img;
        try { img = SnapshotFile.Read(data); }
        catch (SnapshotFormatException e) { return new Entry(file, size, fi.LastWriteTime, null, e.Message); }
        why = Validator.Check(img, img.ProgramPath, RawArguments.Environment());
        return new Entry(file, size, fi.LastWriteTime, img, why);
    }

    private static string FileFor(ResidentStore store, string prog)
    {
        if (prog.EndsWith(ResidentStore.Extension, StringComparison.Ordinal) && File.Exists(prog)) return Path.GetFullPath(prog);
        string exe = ProgramLookup.Resolve(prog);
        var (elf, _) = Launcher.ResolveScripts(exe, [Encoding.UTF8.GetBytes(exe)], 0);
        return store.PathFor(Path.GetFullPath(elf));
    }

    private static string Age(DateTime t)
    {
        var d = DateTime.Now - t;
        return d.TotalSeconds < 90 ? $"{d.TotalSeconds:F0}s" : d.TotalMinutes < 90 ? $"{d.TotalMinutes:F0}m" : d.TotalHours < 48 ? $"{d.TotalHours:F0}h" : $"{d.TotalDays:F0}d";
    }

    private static void Table(IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0) return;
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var r in rows)
            Console.Out.WriteLine(string.Join("  ", r.Select((v, c) => c == r.Length - 1 ? v : v.PadRight(widths[c]))).TrimEnd());
    }

    private static Utf8JsonWriter Json() => new(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true });

    private static void WriteEntry(Utf8JsonWriter w, Entry e)
    {
        w.WriteString("file", e.File);
        w.WriteString("program", e.Program);
        w.WriteNumber("size", e.Size);
        w.WriteString("modified", e.Modified.ToUniversalTime().ToString("o"));
        w.WriteBoolean("valid", e.Valid);
        if (e.Problem != null) w.WriteString("problem", e.Problem);
    }

    private static int List(ResidentStore store, bool json)
    {
        var entries = store.Files().Select(Inspect).ToList();
        if (json)
        {
            using var w = Json();
            w.WriteStartObject();
            w.WriteString("directory", store.Dir);
            w.WriteStartArray("snapshots");
            foreach (var e in entries) { w.WriteStartObject(); WriteEntry(w, e); w.WriteEndObject(); }
            w.WriteEndArray();
            w.WriteEndObject();
            w.Flush();
            Console.Out.WriteLine();
            return 0;
        }
        var rows = new List<string[]> { new[] { "PROGRAM", "SIZE", "AGE", "VALID", "FILE" } };
        rows.AddRange(entries.Select(e => new[] { e.Program, $"{e.Size / 1024.0:F0}K", Age(e.Modified), e.Valid ? "yes" : "no: " + e.Problem, Path.GetFileName(e.File) }));
        Console.Out.WriteLine($"# {store.Dir}");
        Table(rows);
        return 0;
    }

    private static int Show(ResidentStore store, string prog, bool json)
    {
        var e = Inspect(FileFor(store, prog));
        if (e.Image is not { } s) return Fail($"resident: {e.File}: {e.Problem}", 1);
        var regions = s.Regions.Select(r =>
        {
            ulong stored = (ulong)r.Extents.Sum(x => (long)x.Pages) * 4096;
            ulong packed = (ulong)r.Extents.Sum(x => (long)x.BlobLength);
            return (r, stored, packed);
        }).ToList();
        HotProfile? profile = null;
        string? profileProblem = null;
        try { profile = s.ReadProfile(); }
        catch (SnapshotFormatException x) { profileProblem = x.Message; }
        if (json)
        {
            using var w = Json();
            w.WriteStartObject();
            WriteEntry(w, e);
            w.WriteNumber("formatVersion", s.FormatVersion);
            w.WriteString("buildId", s.BuildId);
            w.WriteString("cpuProfile", s.CpuProfile);
            w.WriteString("point", s.Point);
            w.WriteString("created", DateTimeOffset.FromUnixTimeMilliseconds(s.CreatedUnixMs).ToString("o"));
            w.WriteStartArray("manifest");
            foreach (var m in s.Manifest)
            {
                w.WriteStartObject();
                w.WriteString("path", m.Path); w.WriteBoolean("exists", m.Exists); w.WriteNumber("device", m.Device); w.WriteNumber("inode", m.Inode);
                w.WriteNumber("size", m.Size); w.WriteNumber("mtime", m.MtimeSec); w.WriteNumber("mtimeNsec", m.MtimeNsec);
                var why = HostFiles.Mismatch(m);
                w.WriteBoolean("valid", why == null);
                if (why != null) w.WriteString("problem", why);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("environment");
            foreach (var (n, v) in s.Environment) w.WriteString(n, v);
            w.WriteEndObject();
            w.WriteStartArray("regions");
            foreach (var (r, stored, packed) in regions)
            {
                w.WriteStartObject();
                w.WriteString("start", $"{r.Start:x}"); w.WriteString("end", $"{r.End:x}"); w.WriteString("prot", Prot(r.Prot));
                w.WriteString("kind", r.Kind.ToString()); w.WriteString("name", r.Name);
                if (r.Kind == RegionKind.File) w.WriteString("fileOffset", $"{r.FileOffset:x}");
                w.WriteNumber("dirtyBytes", stored); w.WriteNumber("storedBytes", packed);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("cpu");
            string[] names = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"];
            for (int i = 0; i < 16; i++) w.WriteString(names[i], $"{s.Cpu.Gpr[i]:x}");
            w.WriteString("rip", $"{s.Cpu.Rip:x}"); w.WriteString("rflags", $"{s.Cpu.Rflags:x}"); w.WriteString("fsbase", $"{s.Cpu.FsBase:x}");
            w.WriteString("mxcsr", $"{s.Cpu.Mxcsr:x}");
            w.WriteEndObject();
            w.WriteStartObject("kernel");
            w.WriteString("brkStart", $"{s.Kernel.BrkStart:x}"); w.WriteString("brk", $"{s.Kernel.Brk:x}");
            w.WriteString("setTidAddress", $"{s.Kernel.ClearChildTid:x}"); w.WriteString("rsp", $"{s.Kernel.Rsp:x}");
            w.WriteEndObject();
            w.WriteNumber("relocations", s.Relocations.Count);
            w.WriteNumber("secrets", s.Secrets.Count);
            w.WriteStartObject("profile");
            w.WriteNumber("generation", profile?.Generation ?? 0);
            w.WriteNumber("units", profile?.Units.Count ?? 0);
            w.WriteNumber("blocks", profile?.BlockCount ?? 0);
            if (profileProblem != null) w.WriteString("problem", profileProblem);
            w.WriteEndObject();
            w.WriteNumber("hotUnits", profile?.Units.Count ?? 0);
            w.WriteNumber("hotBlocks", profile?.BlockCount ?? 0);
            w.WriteEndObject();
            w.Flush();
            Console.Out.WriteLine();
            return 0;
        }
        var o = Console.Out;
        o.WriteLine($"file        {e.File} ({e.Size:N0} bytes)");
        o.WriteLine($"program     {s.ProgramPath}");
        o.WriteLine($"valid       {(e.Valid ? "yes" : "no: " + e.Problem)}");
        o.WriteLine($"format      version {s.FormatVersion}, build {s.BuildId}, cpu {s.CpuProfile}, page {s.PageSize}");
        o.WriteLine($"point       {s.Point} at {s.Cpu.Rip:x}, rsp {s.Kernel.Rsp:x}");
        o.WriteLine($"created     {DateTimeOffset.FromUnixTimeMilliseconds(s.CreatedUnixMs).ToLocalTime():yyyy-MM-dd HH:mm:ss} ({Age(e.Modified)} ago)");
        o.WriteLine($"identity    uid {s.Identity.Uid}/{s.Identity.Euid} gid {s.Identity.Gid}/{s.Identity.Egid} secure {(s.Identity.Secure ? 1 : 0)}");
        o.WriteLine($"environment {(s.Environment.Length == 0 ? "(no LD_* or GLIBC_TUNABLES)" : string.Join(" ", s.Environment.Select(x => $"{x.Name}={x.Value}")))}");
        o.WriteLine();
        var mrows = new List<string[]> { new[] { "VALID", "SIZE", "DEV:INODE", "MTIME", "PATH" } };
        foreach (var m in s.Manifest)
        {
            var why = HostFiles.Mismatch(m);
            mrows.Add([why == null ? "yes" : "NO", m.Exists ? m.Size.ToString("N0") : "absent", m.Exists ? $"{m.Device:x}:{m.Inode}" : "-",
                m.Exists ? DateTimeOffset.FromUnixTimeSeconds(m.MtimeSec).ToLocalTime().ToString("yyyy-MM-dd HH:mm") : "-", m.Path + (why == null ? "" : $"  ({why})")]);
        }
        Table(mrows);
        o.WriteLine();
        var rrows = new List<string[]> { new[] { "START", "END", "PROT", "KIND", "SIZE", "DIRTY", "STORED", "RATIO", "NAME" } };
        foreach (var (r, stored, packed) in regions)
            rrows.Add([$"{r.Start:x}", $"{r.End:x}", Prot(r.Prot), r.Kind.ToString().ToLowerInvariant(), $"{r.Length / 1024}K", $"{stored / 1024}K",
                $"{packed / 1024.0:F1}K", stored == 0 ? "-" : $"{(double)stored / Math.Max(packed, 1):F1}x", r.Name]);
        ulong totalDirty = (ulong)regions.Sum(x => (long)x.stored), totalPacked = (ulong)regions.Sum(x => (long)x.packed);
        Table(rrows);
        o.WriteLine($"dirty pages {totalDirty / 4096:N0} ({totalDirty / 1024:N0}K) stored as {totalPacked / 1024.0:N1}K of LZ4");
        o.WriteLine();
        string[] gpr = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"];
        for (int i = 0; i < 16; i += 4)
            o.WriteLine(string.Join("  ", Enumerable.Range(i, 4).Select(j => $"{gpr[j],3} {s.Cpu.Gpr[j]:x16}")));
        o.WriteLine($"rip {s.Cpu.Rip:x16}  rflags {s.Cpu.Rflags:x}  fs {s.Cpu.FsBase:x}  mxcsr {s.Cpu.Mxcsr:x}  fcw {s.Cpu.FpuControl:x}");
        o.WriteLine($"kernel      brk {s.Kernel.BrkStart:x}..{s.Kernel.Brk:x}  set_tid_address {s.Kernel.ClearChildTid:x}  signal actions {s.Kernel.SignalActions.Length}");
        o.WriteLine($"relocated   {s.Relocations.Count} pointers into the initial stack, {s.Secrets.Count} canary/guard words re-drawn per run");
        o.WriteLine(profile == null ? $"hot code    profile unreadable: {profileProblem}"
            : $"hot code    {profile.Units.Count} units, {profile.BlockCount} blocks (profile updated {profile.Generation} times; most-run unit seen in {(profile.Units.Count == 0 ? 0 : profile.Units.Max(u => u.Runs))} runs)");
        return 0;
    }

    private static string Prot(int p) => $"{((p & 1) != 0 ? 'r' : '-')}{((p & 2) != 0 ? 'w' : '-')}{((p & 4) != 0 ? 'x' : '-')}";

    private static int Verify(ResidentStore store, List<string> progs, bool json)
    {
        var files = progs.Count == 0 ? store.Files().ToList() : progs.Select(p => FileFor(store, p)).ToList();
        var entries = files.Select(Inspect).ToList();
        if (json)
        {
            using var w = Json();
            w.WriteStartArray();
            foreach (var e in entries) { w.WriteStartObject(); WriteEntry(w, e); w.WriteEndObject(); }
            w.WriteEndArray();
            w.Flush();
            Console.Out.WriteLine();
        }
        else
            foreach (var e in entries) Console.Out.WriteLine($"{(e.Valid ? "valid  " : "INVALID")}  {e.Program}  {Path.GetFileName(e.File)}{(e.Valid ? "" : $"  ({e.Problem})")}");
        return entries.Count > 0 && entries.All(e => e.Valid) ? 0 : 1;
    }

    private static int Remove(ResidentStore store, List<string> progs)
    {
        var files = progs.Contains("--all") ? store.Files().ToList() : progs.Select(p => FileFor(store, p)).ToList();
        int status = 0;
        foreach (var f in files)
        {
            if (!File.Exists(f)) { Console.Error.WriteLine($"jitexec: resident: no snapshot {f}"); status = 1; continue; }
            File.Delete(f);
            Console.Out.WriteLine($"removed {f}");
        }
        return status;
    }

    private static int Add(ResidentStore store, string? dir, string[] guestArgs)
    {
        string exe = ProgramLookup.Resolve(guestArgs[0]);
        var argv = RawArguments.TrailingArgs(guestArgs.Length, guestArgs);
        var envp = RawArguments.Environment();
        var mem = new GuestMemory();
        NativeFaultHandler.Install(mem);
        var session = ResidentRunner.Start(mem, new ProcessOptions(), store, exe, argv, envp);
        if (session.Restored) { Console.Out.WriteLine($"{session.Process.ExePath}: already registered ({store.PathFor(session.Process.ExePath)})"); return 0; }
        session.RunToSnapshotPoint();
        if (session.SavedTo == null) return Fail($"resident: {guestArgs[0]}: not registered: {session.SaveError ?? "the program ended before the snapshot point"}", 1);
        Console.Out.WriteLine($"registered {session.Process.ExePath} -> {session.SavedTo}");
        return 0;
    }

    private static int Gc(ResidentStore store, bool json)
    {
        var removed = new List<(string File, string Why)>();
        foreach (var f in store.Files())
        {
            var e = Inspect(f);
            // Environment differences are per run, not staleness: only drop what can never be valid again.
            bool stale = e.Image == null || e.Image.BuildId != ResidentKey.BuildId || e.Image.CpuProfile != Translator.Core.CpuProfile.Name
                || Validator.ManifestMismatch(e.Image) != null;
            if (!stale) continue;
            File.Delete(f);
            removed.Add((f, e.Problem ?? Validator.ManifestMismatch(e.Image!) ?? "stale"));
        }
        if (Directory.Exists(store.Dir))
            foreach (var t in Directory.EnumerateFiles(store.Dir, "*" + ResidentStore.Extension + ".tmp.*"))
                if (DateTime.Now - File.GetLastWriteTime(t) > TimeSpan.FromMinutes(10)) { File.Delete(t); removed.Add((t, "abandoned temporary file")); }
        if (json)
        {
            using var w = Json();
            w.WriteStartArray();
            foreach (var (f, why) in removed) { w.WriteStartObject(); w.WriteString("file", f); w.WriteString("reason", why); w.WriteEndObject(); }
            w.WriteEndArray();
            w.Flush();
            Console.Out.WriteLine();
        }
        else
        {
            foreach (var (f, why) in removed) Console.Out.WriteLine($"removed {Path.GetFileName(f)} ({why})");
            Console.Out.WriteLine($"{removed.Count} removed");
        }
        return 0;
    }

    public static void PrintStats(ResidentSession s)
    {
        var e = Jitexec.Kernel.Host.Diagnostics.Error;
        if (s.Restored) e.WriteLine($"jitexec: resident             restored in {s.RestoreTime.TotalMilliseconds:F2} ms");
        else e.WriteLine($"jitexec: resident             cold ({s.ColdReason}){(s.SavedTo != null ? ", snapshot written" : "")}");
    }
}
