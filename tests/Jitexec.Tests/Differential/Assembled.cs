// A case's sequence assembled once at its address in the code area: the bytes (test code followed by the
// `jmp Epilogue` the native stub needs), the test-code length (the guest stops there), the
// decoded instructions, their disassembly, and the rflags bits they leave undefined.
using Iced.Intel;

namespace Jitexec.Tests.Differential;

public sealed class Assembled
{
    public required ulong Address { get; init; }
    public required byte[] Bytes { get; init; }
    public required int TestLength { get; init; }
    public required List<Instruction> Instructions { get; init; }
    public required string Disassembly { get; init; }
    public required ulong UndefinedFlags { get; init; }
    /// <summary>x87 condition-code bits (C0 C1 C2 C3 in the status word) left undefined.</summary>
    public required ushort UndefinedFsw { get; init; }

    public static Assembled Create(DiffCase c)
    {
        ulong at = Sandbox.Code + (ulong)c.CodeShift;
        var a = new Assembler(64);
        c.Code(a);
        a.jmp(NativeRunner.Epilogue);
        var w = new MemoryStream();
        var res = a.Assemble(new StreamCodeWriter(w), at, BlockEncoderOptions.ReturnNewInstructionOffsets);
        var offsets = res.Result[0].NewInstructionOffsets;
        int len = (int)offsets[^1];
        byte[] bytes = w.ToArray();

        var insns = new List<Instruction>();
        var dec = Decoder.Create(64, new ByteArrayCodeReader(bytes, 0, len), at);
        ulong undefined = 0;
        ushort undefinedFsw = 0;
        var text = new List<string>();
        var fmt = new IntelFormatter();
        fmt.Options.FirstOperandCharIndex = 0;
        while (dec.IP < at + (ulong)len)
        {
            dec.Decode(out var insn);
            insns.Add(insn);
            undefined |= ToRflags(insn.RflagsUndefined);
            undefinedFsw |= ToFsw(insn.RflagsUndefined);
            var o = new StringOutput();
            fmt.Format(insn, o);
            text.Add(o.ToStringAndReset());
        }
        return new Assembled
        {
            Address = at, Bytes = bytes, TestLength = len, Instructions = insns,
            Disassembly = string.Join("; ", text), UndefinedFlags = undefined, UndefinedFsw = undefinedFsw,
        };
    }

    public static ulong ToRflags(RflagsBits b)
    {
        ulong f = 0;
        if ((b & RflagsBits.CF) != 0) f |= 0x1;
        if ((b & RflagsBits.PF) != 0) f |= 0x4;
        if ((b & RflagsBits.AF) != 0) f |= 0x10;
        if ((b & RflagsBits.ZF) != 0) f |= 0x40;
        if ((b & RflagsBits.SF) != 0) f |= 0x80;
        if ((b & RflagsBits.DF) != 0) f |= 0x400;
        if ((b & RflagsBits.OF) != 0) f |= 0x800;
        return f;
    }

    public static ushort ToFsw(RflagsBits b)
    {
        int f = 0;
        if ((b & RflagsBits.C0) != 0) f |= 1 << 8;
        if ((b & RflagsBits.C1) != 0) f |= 1 << 9;
        if ((b & RflagsBits.C2) != 0) f |= 1 << 10;
        if ((b & RflagsBits.C3) != 0) f |= 1 << 14;
        return (ushort)f;
    }

    /// <summary>Disassembly with addresses relative to the code start (jump targets show as absolute).</summary>
    public string Listing()
    {
        var fmt = new IntelFormatter();
        var sb = new System.Text.StringBuilder();
        foreach (var insn in Instructions)
        {
            var o = new StringOutput();
            fmt.Format(insn, o);
            sb.Append($"  +{insn.IP - Address:x3}  {o.ToStringAndReset()}\n");
        }
        return sb.ToString();
    }
}
