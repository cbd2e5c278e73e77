// The architectural state a differential case reads and writes: GPRs, rflags, XMM0-15,
// MXCSR, the data buffer (at r15) and the stack window around the initial rsp. The same
// value is fed to the native CPU and to each guest tier and their outputs are compared.
// Invariants: Gpr[4] (rsp) = Sandbox.StackTop and Gpr[15] (r15) = Sandbox.Buffer on input.
using System.Runtime.InteropServices;

namespace Jitexec.Tests.Differential;

public sealed class MachineState
{
    public const int Rsp = 4, R15 = 15;
    public static readonly string[] GprNames =
        ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"];

    public readonly ulong[] Gpr = new ulong[16];
    public ulong Rflags = 0x202;
    public uint Mxcsr = 0x1F80;
    /// <summary>XMM registers as 32 qwords: Xmm[2*i] is the low half of xmmi.</summary>
    public readonly ulong[] Xmm = new ulong[32];
    public readonly byte[] Buffer = new byte[Sandbox.BufferSize];
    public readonly byte[] Stack = new byte[2 * Sandbox.StackWindowHalf];

    public MachineState Clone()
    {
        var s = new MachineState { Rflags = Rflags, Mxcsr = Mxcsr };
        Gpr.CopyTo(s.Gpr, 0);
        Xmm.CopyTo(s.Xmm, 0);
        Buffer.CopyTo(s.Buffer, 0);
        Stack.CopyTo(s.Stack, 0);
        return s;
    }

    // Layout of the block the native stub reads and writes.
    public const int GprOff = 0, FlagsOff = 128, MxcsrOff = 136, XmmOff = 144, BlockSize = 400;

    public unsafe void WriteBlock(byte* p)
    {
        for (int i = 0; i < 16; i++) *(ulong*)(p + GprOff + 8 * i) = Gpr[i];
        *(ulong*)(p + FlagsOff) = Rflags;
        *(uint*)(p + MxcsrOff) = Mxcsr;
        for (int i = 0; i < 32; i++) *(ulong*)(p + XmmOff + 8 * i) = Xmm[i];
    }

    public unsafe void ReadBlock(byte* p)
    {
        for (int i = 0; i < 16; i++) Gpr[i] = *(ulong*)(p + GprOff + 8 * i);
        Rflags = *(ulong*)(p + FlagsOff);
        Mxcsr = *(uint*)(p + MxcsrOff);
        for (int i = 0; i < 32; i++) Xmm[i] = *(ulong*)(p + XmmOff + 8 * i);
    }

    /// <summary>Copy Buffer and Stack to memory whose base maps address Sandbox.Base.</summary>
    public unsafe void WriteMemory(byte* regionBase)
    {
        Marshal.Copy(Buffer, 0, (nint)(regionBase + Sandbox.BufferOffset), Buffer.Length);
        Marshal.Copy(Stack, 0, (nint)(regionBase + (Sandbox.StackWindow - Sandbox.Base)), Stack.Length);
    }

    public unsafe void ReadMemory(byte* regionBase)
    {
        Marshal.Copy((nint)(regionBase + Sandbox.BufferOffset), Buffer, 0, Buffer.Length);
        Marshal.Copy((nint)(regionBase + (Sandbox.StackWindow - Sandbox.Base)), Stack, 0, Stack.Length);
    }

    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < 16; i++)
            sb.Append($"{GprNames[i],-3}={Gpr[i]:x16}{(i % 4 == 3 ? "\n" : "  ")}");
        sb.Append($"rflags={Rflags:x} ({FlagString(Rflags)})  mxcsr={Mxcsr:x}\n");
        for (int i = 0; i < 16; i++)
            if (Xmm[2 * i] != 0 || Xmm[2 * i + 1] != 0)
                sb.Append($"xmm{i}={Xmm[2 * i + 1]:x16}:{Xmm[2 * i]:x16}\n");
        sb.Append("buffer[0..256] = ").Append(Convert.ToHexString(Buffer)).Append('\n');
        sb.Append("stack[rsp-128..rsp+128] = ").Append(Convert.ToHexString(Stack)).Append('\n');
        return sb.ToString();
    }

    public static string FlagString(ulong f)
    {
        var parts = new List<string>();
        if ((f & 1) != 0) parts.Add("CF");
        if ((f & 4) != 0) parts.Add("PF");
        if ((f & 0x10) != 0) parts.Add("AF");
        if ((f & 0x40) != 0) parts.Add("ZF");
        if ((f & 0x80) != 0) parts.Add("SF");
        if ((f & 0x400) != 0) parts.Add("DF");
        if ((f & 0x800) != 0) parts.Add("OF");
        return string.Join(' ', parts);
    }
}
