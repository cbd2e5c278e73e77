// A pre-decoded guest instruction: the handler to run plus its operands resolved to
// register ids, sizes, immediates and the parts of its memory address. Built once per
// block translation (OpBuilder) so execution never re-parses Iced operand encodings.
using Iced.Intel;
using Jitexec.Translator.Core;

namespace Jitexec.Translator.Decode;

public enum ArgKind : byte { None, Reg, Mem, Imm, Xmm, St, Seg, Other }

public unsafe struct Op
{
    public delegate*<Cpu, ref Op, void> Exec;
    public ulong Ip;
    public ulong NextIp;
    /// <summary>Immediate operand (sign-extended as Iced gives it) or near branch target.</summary>
    public ulong Imm;
    /// <summary>Second immediate (enter, extrq, some SSE forms).</summary>
    public ulong Imm2;
    /// <summary>Memory displacement; absolute target address for rip-relative operands.</summary>
    public ulong Disp;
    public byte Base, Index, Scale, Seg;   // Base/Index = Reg.None when absent; Scale is a shift; Seg: 0, FS=1, GS=2
    public bool Addr32;                   // 0x67 prefix: effective address truncated to 32 bits
    public ArgKind K0, K1, K2;
    public byte R0, R1, R2;               // register ids (GPR 0-15, 16-19 = AH..BH; XMM/ST index)
    public byte S0, S1, S2;               // operand sizes in bytes (memory operands: access size)
    public byte Cc;                       // condition nibble for Jcc/SETcc/CMOVcc (0=o .. 15=g)
    public byte Rep;                      // 0 none, 1 rep/repe, 2 repne
    public bool Lock;
    public byte Length;
    public Instruction Insn;              // the full decode, for rare fields and diagnostics

    public const byte SegNone = 0, SegFs = 1, SegGs = 2;
}
