// Decodes guest code into Blocks. A block ends after a control transfer or syscall, at
// a page boundary, or at MaxOps instructions. An instruction without a handler (or one
// Iced cannot decode) becomes an op that raises SIGILL when - and only if - executed.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Memory;
using Jitexec.Translator.Semantics;

namespace Jitexec.Translator.Exec;

public sealed unsafe class BlockTranslator
{
    public const int MaxOps = 64;
    private readonly GuestMemory _mem;
    private readonly IGuestSystem _sys;
    // The handler table and the decoder (Iced's opcode tables: milliseconds of one-time set-up)
    // are taken on the first translation, not at construction: a process can be created, and
    // a snapshot restored into it, while the start-up warm-up thread is still building them.
    private readonly HandlerRegistry? _givenHandlers;
    private HandlerRegistry _handlers = null!;
    private readonly GuestCodeReader _reader;
    private Decoder? _decoder;
    // An array and a count, not List<Op>: List over a value type has no precompiled (ReadyToRun)
    // code, so its methods would be JIT-compiled at start-up, before the first guest instruction.
    private readonly Op[] _ops = new Op[MaxOps];
    private int _count;

    /// <param name="handlers">null: HandlerRegistry.Default (resolved on first use).</param>
    public BlockTranslator(GuestMemory mem, IGuestSystem sys, HandlerRegistry? handlers)
    {
        _mem = mem;
        _sys = sys;
        _givenHandlers = handlers;
        _reader = new GuestCodeReader(mem);
    }

    private Decoder CreateDecoder()
    {
        _handlers = _givenHandlers ?? HandlerRegistry.Default;
        return _decoder = Decoder.Create(64, _reader, DecoderOptions.None);
    }

    public Block Translate(ulong rip)
    {
        ulong limit = _sys.ExecutableLimit(rip);
        if (limit == 0)
            return FaultBlock(rip);
        // Stop at the end of the page (or the mapping) so invalidation by page is exact.
        ulong pageEnd = (rip & ~(GuestMemory.PageSize - 1)) + GuestMemory.PageSize;
        ulong decodeLimit = Math.Min(limit, pageEnd + 16);
        _reader.Reset(rip, decodeLimit);
        var decoder = _decoder ?? CreateDecoder();
        decoder.IP = rip;
        _count = 0;
        ulong ip = rip;
        while (true)
        {
            decoder.Decode(out Instruction insn);
            if (insn.IsInvalid)
            {
                if (decoder.LastError == DecoderError.NoMoreBytes && ip + 15 > limit && _count == 0)
                    return FaultBlock(ip);
                if (decoder.LastError == DecoderError.NoMoreBytes && _count > 0)
                    break; // instruction crosses the page; it starts the next block
                _ops[_count++] = Unimplemented(insn, ip);
                break;
            }
            var op = OpBuilder.Build(in insn, _handlers);
            if (op.Exec == null) op.Exec = &Unsupported.Raise;
            _ops[_count++] = op;
            ip = insn.NextIP;
            if (EndsBlock(in insn) || _count >= MaxOps || ip >= pageEnd) break;
        }
        var ops = new Op[_count];
        Array.Copy(_ops, ops, _count);
        return new Block(rip, ip, ops);
    }

    private static bool EndsBlock(in Instruction insn) =>
        insn.FlowControl != FlowControl.Next || insn.Mnemonic == Mnemonic.Syscall || insn.Mnemonic == Mnemonic.Cpuid;

    private Op Unimplemented(in Instruction insn, ulong ip)
    {
        var op = new Op { Insn = insn, Ip = ip, NextIp = ip + (ulong)Math.Max(insn.Length, 1), Exec = &Unsupported.Raise };
        return op;
    }

    /// <summary>A block that raises SIGSEGV for an instruction fetch from non-executable memory. Never cached.</summary>
    private static Block FaultBlock(ulong rip)
    {
        var op = new Op { Ip = rip, NextIp = rip, Exec = &Unsupported.FetchFault };
        return new Block(rip, rip, [op]) { Valid = false };
    }
}
