// The architectural state a differential case reads and writes: GPRs, rflags, XMM0-15,
// MXCSR, the x87 state (control/status/abridged tag words, ST0-7), the data buffer (at r15)
// and the stack window around the initial rsp. The same value is fed to the native CPU and
// to each guest tier and their outputs are compared. The native block holds the SSE/x87
// part as an FXSAVE64 image (loaded with fxrstor64, stored with fxsave64).
// Invariants: Gpr[4] (rsp) = Sandbox.StackTop and Gpr[15] (r15) = Sandbox.Buffer on input;
// St is in stack order (St[i] = ST(i)); Ftw bit p = physical register p non-empty.
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
    public ushort Fcw = 0x037F, Fsw;
    public byte Ftw;
    /// <summary>ST(i) significands and sign+exponent words (80-bit extended format).</summary>
    public readonly ulong[] StMant = new ulong[8];
    public readonly ushort[] StExp = new ushort[8];
    public readonly byte[] Buffer = new byte[Sandbox.BufferSize];

    public int FpuTop => (Fsw >> 11) & 7;
    /// <summary>True when ST(i) is non-empty.</summary>
    public bool StValid(int i) => (Ftw >> ((FpuTop + i) & 7) & 1) != 0;
    public readonly byte[] Stack = new byte[2 * Sandbox.StackWindowHalf];

    public MachineState Clone()
    {
        var s = new MachineState { Rflags = Rflags, Mxcsr = Mxcsr, Fcw = Fcw, Fsw = Fsw, Ftw = Ftw };
        StMant.CopyTo(s.StMant, 0);
        StExp.CopyTo(s.StExp, 0);
        Gpr.CopyTo(s.Gpr, 0);
        Xmm.CopyTo(s.Xmm, 0);
        Buffer.CopyTo(s.Buffer, 0);
        Stack.CopyTo(s.Stack, 0);
        return s;
    }

    // Layout of the block the native stub reads and writes (the FXSAVE image is 16-aligned).
    public const int GprOff = 0, FlagsOff = 128, FxOff = 256, BlockSize = FxOff + 512;
    public const int MxcsrOff = FxOff + 24, StOff = FxOff + 32, XmmOff = FxOff + 160;

    public unsafe void WriteBlock(byte* p)
    {
        new Span<byte>(p, BlockSize).Clear();
        for (int i = 0; i < 16; i++) *(ulong*)(p + GprOff + 8 * i) = Gpr[i];
        *(ulong*)(p + FlagsOff) = Rflags;
        *(ushort*)(p + FxOff) = Fcw;
        *(ushort*)(p + FxOff + 2) = Fsw;
        p[FxOff + 4] = Ftw;
        *(uint*)(p + MxcsrOff) = Mxcsr;
        *(uint*)(p + MxcsrOff + 4) = 0xFFFF;
        for (int i = 0; i < 8; i++)
        {
            *(ulong*)(p + StOff + 16 * i) = StMant[i];
            *(ushort*)(p + StOff + 16 * i + 8) = StExp[i];
        }
        for (int i = 0; i < 32; i++) *(ulong*)(p + XmmOff + 8 * i) = Xmm[i];
    }

    public unsafe void ReadBlock(byte* p)
    {
        for (int i = 0; i < 16; i++) Gpr[i] = *(ulong*)(p + GprOff + 8 * i);
        Rflags = *(ulong*)(p + FlagsOff);
        Fcw = *(ushort*)(p + FxOff);
        Fsw = *(ushort*)(p + FxOff + 2);
        Ftw = p[FxOff + 4];
        Mxcsr = *(uint*)(p + MxcsrOff);
        for (int i = 0; i < 8; i++)
        {
            StMant[i] = *(ulong*)(p + StOff + 16 * i);
            StExp[i] = *(ushort*)(p + StOff + 16 * i + 8);
        }
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
        if (Ftw != 0 || Fcw != 0x037F || Fsw != 0)
        {
            sb.Append($"fcw={Fcw:x4} fsw={Fsw:x4} (top={FpuTop}) ftw={Ftw:x2}\n");
            for (int i = 0; i < 8; i++)
                if (StValid(i)) sb.Append($"st{i}={StExp[i]:x4}:{StMant[i]:x16}\n");
        }
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
