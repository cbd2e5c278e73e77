// The run loop: find (or translate) the block at rip, execute it, repeat until the guest
// halts. Successor blocks are chained directly so a loop does not hit the cache lookup.
// Guest faults raised as GuestFault go to the system layer, which delivers or terminates.
using Jitexec.Translator.Core;
using Jitexec.Translator.Memory;
using Jitexec.Translator.Semantics;

namespace Jitexec.Translator.Exec;

public sealed class Engine
{
    public readonly BlockCache Cache = new();
    private readonly BlockTranslator _translator;
    public ulong BlocksTranslated { get; private set; }
    /// <summary>Time spent decoding guest code into blocks (Stopwatch ticks).</summary>
    public long TranslationTicks { get; private set; }

    public Engine(GuestMemory mem, IGuestSystem sys, HandlerRegistry? handlers = null)
    {
        _translator = new BlockTranslator(mem, sys, handlers ?? HandlerRegistry.Default);
    }

    public Block Lookup(ulong rip)
    {
        if (Cache.TryGet(rip, out var b)) return b;
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        b = _translator.Translate(rip);
        TranslationTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
        BlocksTranslated++;
        if (b.Valid) Cache.Add(b);
        return b;
    }

    /// <summary>Run until cpu.Halted is set (by exit or a fatal fault), or until rip equals <paramref name="stopAt"/>.</summary>
    public void Run(Cpu cpu, ulong stopAt = ulong.MaxValue)
    {
        Block? prev = null;
        while (!cpu.Halted && cpu.Rip != stopAt)
        {
            ulong rip = cpu.Rip;
            Block? b = prev?.Next;
            if (b == null || b.Start != rip || !b.Valid)
            {
                b = Lookup(rip);
                if (prev != null && prev.Valid && b.Valid) prev.Next = b;
            }
            b.ExecCount++;
            try
            {
                b.Interpret(cpu);
            }
            catch (GuestFault f)
            {
                cpu.Sys.Fault(cpu, f);
                prev = null;
                continue;
            }
            prev = b;
        }
    }
}
