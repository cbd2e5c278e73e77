// Ops that fault instead of executing: unimplemented or undecodable instructions (guest
// SIGILL with a one-line diagnostic naming address, bytes and disassembly) and
// instruction fetches from non-executable memory (SIGSEGV).
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Exec;

namespace Jitexec.Translator.Semantics;

public static class Unsupported
{
    public static void Raise(Cpu c, ref Op op)
    {
        c.Rip = op.Ip;
        throw new GuestFault(GuestFault.SIGILL, op.Ip, Describe(c, ref op));
    }

    public static void FetchFault(Cpu c, ref Op op)
    {
        c.Rip = op.Ip;
        throw new GuestFault(GuestFault.SIGSEGV, op.Ip, $"instruction fetch from non-executable address 0x{op.Ip:x}", op.Ip);
    }

    /// <summary>"unsupported instruction at 0x401000: 0f 0b (ud2)".</summary>
    public static string Describe(Cpu c, ref Op op)
    {
        int len = Math.Max(1, op.Insn.Length == 0 ? 1 : op.Insn.Length);
        var bytes = new System.Text.StringBuilder();
        for (int i = 0; i < len; i++)
        {
            if (i > 0) bytes.Append(' ');
            bytes.Append(c.Mem.Read8(op.Ip + (ulong)i).ToString("x2"));
        }
        string asm;
        if (op.Insn.IsInvalid || op.Insn.Code == Code.INVALID)
            asm = "invalid encoding";
        else
        {
            var f = new IntelFormatter();
            var o = new StringOutput();
            f.Format(in op.Insn, o);
            asm = o.ToStringAndReset();
        }
        string what = op.Insn.Mnemonic == Mnemonic.Ud2 || op.Insn.Mnemonic == Mnemonic.Ud0 || op.Insn.Mnemonic == Mnemonic.Ud1
            ? "illegal instruction" : "unsupported instruction";
        return $"{what} at 0x{op.Ip:x}: {bytes} ({asm})";
    }
}
