// Start-up overlap: the first use of the instruction decoder (Iced's opcode tables) and of
// the handler tables costs several ms of one-time .NET work (type loading, static set-up)
// that does not depend on the guest. A background thread does it while the main thread
// loads the program or restores its snapshot (for --resident it first loads the snapshot
// code: hashing, the model types, the build id). It only fills static caches (whose
// initialisation is thread-safe), so the run behaves the same whichever thread gets there first.
using Iced.Intel;
using Jitexec.Translator.Semantics;

namespace Jitexec.Cli;

internal static class StartupWarmup
{
    public static void Start(bool resident)
    {
        if (Environment.ProcessorCount < 2 || Environment.GetEnvironmentVariable("JITEXEC_NO_WARMUP_THREAD") is { Length: > 0 }) return;
        new Thread(() => Run(resident)) { IsBackground = true, Name = "jitexec warm-up" }.Start();
    }

    private static void Run(bool resident)
    {
        try
        {
            if (resident)
            {
                _ = Jitexec.Snapshot.SnapshotFile.Hash([1, 2, 3]);
                _ = new Jitexec.Snapshot.SnapshotImage();
                _ = Jitexec.Kernel.Resident.ResidentKey.BuildId;
                byte[] page = new byte[64];
                _ = Jitexec.Snapshot.PageCodec.TryDecompress(Jitexec.Snapshot.PageCodec.Compress(page), page); // K4os set-up
            }
            _ = HandlerRegistry.Default;
            // mov %rsp,%rdi; call .+5; movdqa (%rax),%xmm0; ret
            var d = Decoder.Create(64, new ByteArrayCodeReader(new byte[] { 0x48, 0x89, 0xe7, 0xe8, 0, 0, 0, 0, 0x66, 0x0f, 0x6f, 0x00, 0xc3 }));
            for (int i = 0; i < 4; i++) d.Decode(out _);
        }
        catch (Exception) { } // only an optimisation
    }
}
