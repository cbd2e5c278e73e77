// jitexec entry point: parse options, resolve PROGRAM, load it into a fresh guest address
// space, run it, and leave with the guest's exit status (or die by its fatal signal).
using Jitexec.Cli;
using Jitexec.Kernel.Host;
using Jitexec.Kernel.Process;
using Jitexec.Kernel.Resident;
using Jitexec.Translator.Memory;

var cmd = CommandLine.Parse(args);
if (cmd.Help) { Console.Out.Write(CommandLine.Usage); return 0; }
if (cmd.Version) { Console.Out.WriteLine($"jitexec {typeof(CommandLine).Assembly.GetName().Version?.ToString(3)} (x86-64 guest, {Jitexec.Translator.Core.CpuProfile.Name}, {EngineBuild.Description})"); return 0; }
string? jitBuild = cmd.JitMode == Jitexec.Translator.Jit.JitMode.Off ? null : EngineBuild.JitBuild;
cmd.Error ??= EngineBuild.Refuse(cmd.JitOption, jitBuild);
if (cmd.Error != null)
{
    Console.Error.WriteLine($"jitexec: {cmd.Error}");
    Console.Error.WriteLine("Try 'jitexec --help' for more information.");
    return 2;
}

if (cmd.ResidentTool) return ResidentTool.Run(cmd.ResidentDir, args[(cmd.GuestArgStart + 1)..]);

StartupWarmup.Start(cmd);
TextWriter? trace = null;
Diagnostics.Init();
try
{
    bool handedOver = cmd.HandoffFd >= 0;
    if (cmd.Strace) // a handed-over run continues the trace the NativeAOT build started
        trace = cmd.StraceFile != null ? new StreamWriter(cmd.StraceFile, append: handedOver) : Diagnostics.Error;
    var mem = new GuestMemory();
    var codeGuard = new Jitexec.Translator.Exec.CodeWriteGuard(mem);
    NativeFaultHandler.Install(mem, codeGuard);
    var options = new ProcessOptions { StraceWriter = trace, WarnUnimplemented = cmd.WarnUnimplemented, Verbose = cmd.Verbose };
    ResidentSession? session = null;
    LinuxProcess process;
    Action<string>? residentSays = cmd.Verbose ? m => Diagnostics.Error.WriteLine($"jitexec: resident: {m}") : null;
    if (handedOver)
    {
        (process, var image) = Promotion.Adopt(cmd.HandoffFd, mem, options);
        if (cmd.Resident && image.ResidentSnapshot)
            session = ResidentRunner.HandedOver(process, ResidentStore.Open(cmd.ResidentDir), image.ResidentProfile, residentSays);
    }
    else
    {
        string exe = ProgramLookup.Resolve(cmd.Program!);
        var argv = RawArguments.TrailingArgs(args.Length - cmd.GuestArgStart, args);
        var envp = RawArguments.Environment();
        session = cmd.Resident ? ResidentRunner.Start(mem, options, ResidentStore.Open(cmd.ResidentDir), exe, argv, envp, residentSays) : null;
        process = session?.Process ?? Launcher.Start(mem, options, exe, argv, envp);
    }
    process.Engine.EnableCodeWriteGuard(codeGuard,
        addr => process.Space.Find(addr) is { } vma && (vma.Prot & Jitexec.Loader.Prot.Write) != 0);
    var jitOptions = new Jitexec.Translator.Jit.JitOptions
    {
        Mode = cmd.JitMode, Threshold = cmd.JitThreshold, WarmupInstructions = cmd.JitWarmup, ProfileTrigger = cmd.JitProfileTrigger,
        InlineForms = cmd.JitInlineForms, HostFpFlags = cmd.JitHostFpFlags,
        Trace = Environment.GetEnvironmentVariable("JITEXEC_JIT_TRACE") is { Length: > 0 } and not "0" ? Diagnostics.Error : null,
    };
    if (!process.Engine.ConfigureJit(jitOptions) && jitBuild != null) process.Engine.ConfigureHandoff(jitOptions);
    var clock = System.Diagnostics.Stopwatch.StartNew();
    if (session != null) session.Run(); else process.Run();
    while (process.Engine.HandoffRequested) // only returns when the hand-off failed: go on interpreting
    {
        string why = Promotion.HandOff(process, session, jitBuild!, args.Length, trace);
        if (cmd.Verbose) Diagnostics.Error.WriteLine($"jitexec: not handed over to the JIT build ({why}); interpreting on");
        process.Run();
    }
    trace?.Flush();
    if (cmd.Stats) ExecutionStats.Print(process, clock.Elapsed);
    if (cmd.Stats && session != null) ResidentTool.PrintStats(session);
    if (cmd.JitStats) ExecutionStats.PrintJit(process);
    Termination.Exit(process.ExitStatus);
    return process.ExitStatus;
}
catch (LaunchException e)
{
    Console.Error.WriteLine($"jitexec: {e.Message}");
    return e.ExitStatus;
}
catch (IOException e) when (trace == null && cmd.Strace)
{
    Console.Error.WriteLine($"jitexec: cannot open trace file {cmd.StraceFile}: {e.Message}");
    return 2;
}
catch (UnauthorizedAccessException e) when (trace == null && cmd.Strace)
{
    Console.Error.WriteLine($"jitexec: cannot open trace file {cmd.StraceFile}: {e.Message}");
    return 2;
}
