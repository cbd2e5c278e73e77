// Start-up overlap: the first use of the instruction decoder (Iced's opcode tables) and of
// the handler tables costs several ms of one-time .NET work (type loading, static set-up)
// that does not depend on the guest. A background thread does it while the main thread
// loads the program or restores its snapshot; for --resident a second one rehearses the
// restore (Kernel/Resident/RestoreRehearsal.cs), started only when a snapshot worth
// restoring exists (Restore.WorthRehearsing): the restore needs its code warm before the
// decoder, so neither waits for the other. They only fill static caches (whose initialisation
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

    private static bool Enabled => Environment.ProcessorCount >= 2 && Environment.GetEnvironmentVariable("JITEXEC_NO_WARMUP_THREAD") is not { Length: > 0 };

    public static void Start(CommandLine cmd)
    {
        if (!Enabled) return;
        _cmd = cmd;
        nint thread;
        if (pthread_create(&thread, 0, (nint)(delegate* unmanaged<nint, nint>)&Entry, 0) == 0) pthread_detach(thread);
    }

    /// <summary>Start the restore rehearsal (Program.cs: when Restore.WorthRehearsing says a snapshot is worth it).</summary>
    public static void StartRehearsal()
    {
        if (!Enabled) return;
        nint thread;
        if (pthread_create(&thread, 0, (nint)(delegate* unmanaged<nint, nint>)&RehearsalEntry, 0) == 0) pthread_detach(thread);
    }

    [UnmanagedCallersOnly]
    private static nint RehearsalEntry(nint arg)
    {
        try { Restore.Rehearse(); }
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
