// Promotion: the NativeAOT build starts fast but has no JIT tier, so when a program gets hot
// (where the JIT tier would compile its first block: same threshold and warm-up) it hands the
// process to the ReadyToRun build, which has one. The guest state goes into a memfd
// (Kernel/Handoff), the guest's host descriptors are kept open across execve, and this same
// host process execs the JIT build with `--handoff FD` before the original options and guest
// argv. execve keeps the pid, parent, cwd, umask, rlimits and host timers, so the guest sees
// one process. Anything that fails before execve leaves the run interpreting where it was.
using System.Runtime.InteropServices;
using System.Text;
using Jitexec.Kernel.Handoff;
using Jitexec.Kernel.Host;
using Jitexec.Kernel.Process;
using Jitexec.Kernel.Resident;
using Microsoft.Win32.SafeHandles;

namespace Jitexec.Cli;

internal static unsafe partial class Promotion
{
    /// <summary>Hand <paramref name="p"/> (stopped at a block boundary) to <paramref name="jitBuild"/>.
    /// Returns only if that failed, with the reason; the process is then as it was.</summary>
    public static string HandOff(LinuxProcess p, ResidentSession? session, string jitBuild, int mainArgCount, TextWriter? trace)
    {
        // The hand-off format is this build's: the JIT build must come from the same sources.
        string? theirs = ResidentKey.BuildIdOf(Path.GetDirectoryName(jitBuild)!);
        if (theirs != ResidentKey.BuildId)
            return theirs == null ? $"cannot read the build id of {jitBuild}"
                : $"{jitBuild} is another build (id {theirs}, this is {ResidentKey.BuildId}): publish both from the same sources (./jitexec does)";
        HandoffImage image;
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        try { image = Handoff.Capture(p, ResidentKey.BuildId); }
        catch (Exception e) when (e is not OutOfMemoryException) { return e.Message; } // refused, or a host call failed: interpret on
        if (session is { HasSnapshot: true })
        {
            image.ResidentSnapshot = true;
            image.ResidentProfile = session.StartingProfile.ToArray();
        }
        int fd = memfd_create("jitexec-handoff", 0); // no MFD_CLOEXEC: the next build reads it
        if (fd < 0) return $"memfd_create failed: errno {Marshal.GetLastPInvokeError()}";
        try
        {
            try
            {
                using var s = new FileStream(new SafeFileHandle(fd, ownsHandle: false), FileAccess.Write);
                image.Write(s);
            }
            catch (IOException e) { return $"cannot write the hand-off image: {e.Message}"; }
            Raw.Call(HostNr.Lseek, fd, 0, 0 /* SEEK_SET */);
            var args = RawArguments.TrailingArgs(mainArgCount, []);
            var argv = new List<byte[]> { Encoding.UTF8.GetBytes(jitBuild), "--handoff"u8.ToArray(), Encoding.ASCII.GetBytes(fd.ToString()) };
            argv.AddRange(args);
            if (p.Options.Verbose)
                Diagnostics.Error.WriteLine($"jitexec: handing over to the JIT build after {p.Cpu.InstructionsRetired:N0} guest instructions " +
                    $"({System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds:F1} ms to capture {Size(image) / 1024:N0} KiB)");
            trace?.Flush();
            Diagnostics.Error.Flush();
            Handoff.KeepOnExec(image, true);
            int err = Exec(argv);
            Handoff.KeepOnExec(image, false);
            return $"cannot execute {jitBuild}: errno {err}";
        }
        finally { Raw.Call(HostNr.Close, fd); }
    }

    /// <summary>The process handed over on <paramref name="fd"/> (the JIT build's side), rebuilt in <paramref name="mem"/>.</summary>
    /// <exception cref="LaunchException">the image is unreadable or from another build (exit status 125: the run is lost)</exception>
    public static (LinuxProcess Process, HandoffImage Image) Adopt(int fd, Translator.Memory.GuestMemory mem, ProcessOptions options)
    {
        try
        {
            HandoffImage image;
            using (var s = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read)) image = HandoffImage.Read(s);
            if (image.BuildId != ResidentKey.BuildId) throw new InvalidDataException($"it comes from build {image.BuildId}, this is {ResidentKey.BuildId}");
            return (Handoff.Restore(mem, options, image), image);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or Snapshot.SnapshotFormatException)
        {
            throw new LaunchException($"cannot continue the process handed over on fd {fd}: {e.Message}", 125);
        }
    }

    private static long Size(HandoffImage h) => h.Mappings.Sum(m => m.Dirty.Sum(d => (long)d.Bytes.Length));

    /// <summary>execv(argv[0], argv) with the current environment; returns errno (only on failure).</summary>
    private static int Exec(List<byte[]> argv)
    {
        var handles = new List<GCHandle>();
        try
        {
            var ptrs = new nint[argv.Count + 1];
            for (int i = 0; i < argv.Count; i++)
            {
                var z = new byte[argv[i].Length + 1];
                argv[i].CopyTo(z, 0);
                var h = GCHandle.Alloc(z, GCHandleType.Pinned);
                handles.Add(h);
                ptrs[i] = h.AddrOfPinnedObject();
            }
            fixed (nint* pp = ptrs) execv(ptrs[0], pp);
            return Marshal.GetLastPInvokeError();
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int execv(nint path, nint* argv);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int memfd_create(string name, uint flags);
}
