// `jitexec --resident`: restore the program from its snapshot when one is valid for this
// run, otherwise start it cold with a resident stack layout, run it to the snapshot point,
// write the snapshot (atomically) and carry on. Either way the guest sees the same run.
// Any problem with a snapshot only ever means a cold run; the reason goes to `verbose`.
using System.Diagnostics;
using System.Text;
using Jitexec.Kernel.Memory;
using Jitexec.Kernel.Process;
using Jitexec.Loader;
using Jitexec.Snapshot;
using Jitexec.Translator.Core;
using Jitexec.Translator.Memory;

namespace Jitexec.Kernel.Resident;

public sealed class ResidentSession
{
    public required LinuxProcess Process { get; init; }
    public required ResidentStore Store { get; init; }
    public bool Restored { get; init; }
    /// <summary>A process another jitexec build ran until it got hot (docs/engines.md): its snapshot exists,
    /// and the profile it started with came along.</summary>
    public bool HandedOver { get; init; }
    /// <summary>Why the run is cold (null when restored).</summary>
    public string? ColdReason { get; init; }
    /// <summary>Restored runs: snapshot open to the first guest instruction (set when Run starts the guest).</summary>
    public TimeSpan RestoreTime => Timings == null ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Timings.TotalMs);
    /// <summary>Where the restore's time went; its last phase ends just before the guest's first instruction.</summary>
    internal RestoreTimings? Timings { get; init; }
    public string? SavedTo { get; private set; }
    public string? SaveError { get; private set; }
    internal ResidentStackLayout? Layout { get; init; }
    internal Files.FdTable.Entry?[] InheritedFds { get; init; } = [];
    internal Action<string> Verbose { get; init; } = NoVerbose;
    private bool VerboseOn => Verbose != NoVerbose;
    internal static readonly Action<string> NoVerbose = _ => { };
    /// <summary>The snapshot restored from (its hot-code profile goes to the JIT tier).</summary>
    internal SnapshotImage? Image { get; init; }

    /// <summary>The run has a snapshot (restored from, registered, or that of a handed-over run), whose
    /// profile it updates at the end.</summary>
    public bool HasSnapshot => Restored || HandedOver || SavedTo != null;

    /// <summary>The hot-code profile section the run started with (empty when none).</summary>
    public ReadOnlyMemory<byte> StartingProfile => Image?.ProfileData ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>Cold run only: execute up to the snapshot point and write the snapshot. False if the guest ended first.</summary>
    public bool RunToSnapshotPoint()
    {
        if (Restored || HandedOver || Layout == null) return !Process.Cpu.Halted;
        var (point, kind) = SnapshotPoint.Find(Process);
        Process.Engine.Run(Process.Cpu, point);
        if (Process.Cpu.Halted || Process.Cpu.Rip != point) return false;
        try
        {
            var img = Capture.Take(Process, Layout, kind, ResidentKey.BuildId, InheritedFds);
            SavedTo = Store.Save(img);
            Verbose($"registered {Process.ExePath} at {kind} {point:x} -> {SavedTo} ({new FileInfo(SavedTo).Length:N0} bytes)");
        }
        catch (Exception e) when (e is SnapshotRefusedException or IOException or UnauthorizedAccessException or SnapshotFormatException)
        {
            SaveError = e.Message;
            Verbose($"no snapshot written: {e.Message}");
        }
        return true;
    }

    /// <summary>Run the guest to its end. The JIT tier (configured by now) gets the snapshot's
    /// hot-code profile first, and the units it compiled are merged into the profile at the end.</summary>
    public void Run()
    {
        string? said = Image != null ? ResidentProfile.Apply(Image, Process.Engine.Jit, out _loadedProfile) : null;
        if (Restored && Timings is { } t)
        {
            t.Mark(RestoreTimings.Phase.Start);
            Process.Engine.BeforeFirstBlock = () =>
            {
                t.Mark(RestoreTimings.Phase.Decode); // the restore ends here: the guest's first instruction runs next
                if (VerboseOn) Verbose($"restored snapshot in {t} from {Store.PathFor(Process.ExePath)}");
                if (said != null) Verbose(said);
            };
        }
        else if (said != null) Verbose(said);
        if (RunToSnapshotPoint()) Process.Run();
        UpdateProfile();
    }

    private HotProfile? _loadedProfile;

    /// <summary>Merge the units this run compiled into the snapshot it restored from or wrote (no
    /// file access at all when the profile the run started with already names them all).</summary>
    public void UpdateProfile()
    {
        if (Process.Engine.Jit is not { } jit || !HasSnapshot) return;
        var compiled = ResidentProfile.Compiled(jit);
        if (!ResidentProfile.HasNew(_loadedProfile, compiled)) return;
        try { Verbose(Store.UpdateProfile(Process.ExePath, compiled)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Verbose($"profile not updated: {e.Message}"); }
    }
}

public static class ResidentRunner
{
    /// <summary>The session of a --resident run handed over by another build (its snapshot exists:
    /// restored from or registered there), carrying the hot-code profile the run started with.</summary>
    public static ResidentSession HandedOver(LinuxProcess p, ResidentStore store, byte[] profile, Action<string>? verbose = null) =>
        new() { Process = p, Store = store, HandedOver = true, Image = new SnapshotImage { ProfileData = profile }, Verbose = verbose ?? ResidentSession.NoVerbose };

    public static ResidentSession Start(GuestMemory mem, ProcessOptions options, ResidentStore store, string path,
        IReadOnlyList<byte[]> argv, IReadOnlyList<byte[]> envp, Action<string>? verbose = null)
    {
        var t = new RestoreTimings(main: true); // the restore's clock starts here (its "read" phase includes finding the program)
        var say = verbose ?? ResidentSession.NoVerbose;
        var (exe, finalArgv) = Launcher.ResolveScripts(path, argv, 0);
        string full = Path.GetFullPath(exe);
        byte[] execFn = Encoding.UTF8.GetBytes(path);
        string? why;
        try
        {
            var img = store.Load(full, out why, t);
            t.Mark(RestoreTimings.Phase.Verify);
            if (img != null)
            {
                why = Validator.Check(img, full, envp);
                t.Mark(RestoreTimings.Phase.Validate);
                if (why == null)
                {
                    var p = Restore.Run(mem, options, img, full, finalArgv, envp, execFn, t);
                    return new ResidentSession { Process = p, Store = store, Restored = true, Timings = t, Verbose = say, Image = img };
                }
            }
        }
        catch (Exception e) when (e is not LaunchException and not OutOfMemoryException)
        {
            why = e is RestoreRefusedException ? e.Message : $"unreadable snapshot: {e.Message}";
        }
        RestoreTimings.MainAbandoned();
        say($"snapshot not used ({why}); running cold");
        var cold = Launcher.Start(mem, options, path, argv, envp);
        var layout = Relayout(cold, out string? noSnap);
        if (layout == null) say($"no snapshot will be written: {noSnap}");
        var inherited = new Files.FdTable.Entry?[Files.FdTable.MaxFds];
        for (int i = 0; i < inherited.Length; i++) inherited[i] = cold.Fds.Get(i);
        return new ResidentSession { Process = cold, Store = store, ColdReason = why, Layout = layout, InheritedFds = inherited, Verbose = say };
    }

    /// <summary>Replace the launcher's stack with the resident layout (argc at ResidentStack.FixedRsp).</summary>
    private static ResidentStackLayout? Relayout(LinuxProcess p, out string? why)
    {
        why = null;
        var st = p.Stack!;
        ulong execFnAddr = Auxv.Value(st.AuxEntries, Auxv.AT_EXECFN);
        byte[] execFn = execFnAddr != 0 ? p.ReadCString(execFnAddr) : new byte[0]; // not []: Array.Empty<byte> is JIT-compiled
        if (ResidentStack.FixedRsp + ResidentStack.Needed(p.Argv, p.Envp, execFn, st.AuxEntries.Length) > Layout.StackTop)
        {
            why = "arguments and environment are too large for the resident stack layout";
            return null;
        }
        int prot = p.Space.Find(Layout.StackTop - 1)?.Prot ?? (Prot.Read | Prot.Write);
        p.Space.MapAnonymous(ResidentStack.StackStart, Layout.StackTop - ResidentStack.StackStart, prot, "[stack]");
        Span<byte> random = stackalloc byte[16];
        Host.HostRandom.Fill(random);
        var l = ResidentStack.Build(p.Space, ResidentStack.FixedRsp, Layout.StackTop, p.Argv, p.Envp, execFn, st.AuxEntries, random)!;
        p.Cpu.R[Reg.Rsp] = l.Rsp;
        p.Stack = ResidentStack.ToStackLayout(l);
        return l;
    }
}
