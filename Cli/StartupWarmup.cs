// Start-up overlap: the first use of the instruction decoder (Iced's opcode tables) and of
// the handler tables costs several ms of one-time .NET work (type loading, static set-up)
// that does not depend on the guest. A background thread does it while the main thread
// loads the program or restores its snapshot; for --resident a second one rehearses the
// restore (Kernel/Resident/RestoreRehearsal.cs) once it has found a snapshot worth restoring
// (Restore.WorthRehearsing; otherwise it ends at once): the restore needs its code warm
// before the decoder, so neither waits for the other. They only fill static caches (whose initialisation
// is thread-safe) and discard what they compute, so the run behaves the same whichever
// thread gets there first. The threads are plain pthreads entering managed code through
// [UnmanagedCallersOnly] methods: Thread.Start would block the main thread until the new
// thread is up (milliseconds on a busy machine), pthread_create returns at once.
using System.Runtime.InteropServices;
using Iced.Intel;
using Jitexec.Kernel.Resident;
using Jitexec.Translator.Semantics;

namespace Jitexec.Cli;

internal static unsafe partial class StartupWarmup
{
    private static CommandLine? _cmd;

    public static void Start(CommandLine cmd)
    {
        if (Environment.ProcessorCount < 2 || Environment.GetEnvironmentVariable("JITEXEC_NO_WARMUP_THREAD") is { Length: > 0 }) return;
        _cmd = cmd;
        nint thread;
        // The NativeAOT build's code is compiled and its types laid out at build time: it has no
        // first-use costs for a rehearsal to take off the main thread, only the work itself.
        if (cmd.Resident && cmd.Program != null && !EngineBuild.IsNativeAot && pthread_create(&thread, 0, (nint)(delegate* unmanaged<nint, nint>)&RehearsalEntry, 0) == 0)
            pthread_detach(thread);
        if (pthread_create(&thread, 0, (nint)(delegate* unmanaged<nint, nint>)&Entry, 0) == 0) pthread_detach(thread);
    }

    [UnmanagedCallersOnly]
    private static nint RehearsalEntry(nint arg)
    {
        try
        {
            // The check's own work (program lookup, #! line, snapshot name, a first read of the
            // file) is what the main thread does next anyway, so here it is a head start, not waste.
            var cmd = _cmd!;
            if (Restore.WorthRehearsing(ResidentStore.Open(cmd.ResidentDir), ProgramLookup.Resolve(cmd.Program!))) Restore.Rehearse();
        }
        catch (Exception) { } // only an optimisation
        return 0;
    }

    [LibraryImport("libc")]
    private static partial int pthread_create(nint* thread, nint attr, nint start, nint arg);

    [LibraryImport("libc")]
    private static partial int pthread_detach(nint thread);

    [UnmanagedCallersOnly]
    private static nint Entry(nint arg)
    {
        Run(_cmd!);
        return 0;
    }

    private static void Run(CommandLine cmd)
    {
        try
        {
            _ = HandlerRegistry.Default;
            // mov %rsp,%rdi; call .+5; movdqa (%rax),%xmm0; ret
            var d = Decoder.Create(64, new ByteArrayCodeReader(new byte[] { 0x48, 0x89, 0xe7, 0xe8, 0, 0, 0, 0, 0x66, 0x0f, 0x6f, 0x00, 0xc3 }));
            for (int i = 0; i < 4; i++) d.Decode(out _);
        }
        catch (Exception) { } // only an optimisation
    }
}
