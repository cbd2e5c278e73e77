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
    private readonly HandlerRegistry _handlers;
    private readonly GuestCodeReader _reader;
    private readonly Decoder _decoder;
    private readonly List<Op> _ops = new(MaxOps);

    public BlockTranslator(GuestMemory mem, IGuestSystem sys, HandlerRegistry handlers)
    {
        _mem = mem;
        _sys = sys;
        _handlers = handlers;
        _reader = new GuestCodeReader(mem);
        _decoder = Decoder.Create(64, _reader, DecoderOptions.None);
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
        _decoder.IP = rip;
        _ops.Clear();
        ulong ip = rip;
        while (true)
        {
            _decoder.Decode(out Instruction insn);
            if (insn.IsInvalid)
            {
                if (_decoder.LastError == DecoderError.NoMoreBytes && ip + 15 > limit && _ops.Count == 0)
                    return FaultBlock(ip);
                if (_decoder.LastError == DecoderError.NoMoreBytes && _ops.Count > 0)
                    break; // instruction crosses the page; it starts the next block
                _ops.Add(Unimplemented(insn, ip));
                break;
            }
            var op = OpBuilder.Build(in insn, _handlers);
            if (op.Exec == null) op.Exec = &Unsupported.Raise;
            _ops.Add(op);
            ip = insn.NextIP;
            if (EndsBlock(in insn) || _ops.Count >= MaxOps || ip >= pageEnd) break;
        }
        return new Block(rip, ip, _ops.ToArray());
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
