// Runs a test sequence on the host CPU. At start-up it assembles (with Iced) a stub in the
// RWX sandbox page that saves the callee-saved registers and the host x87/SSE state
// (fxsave64), loads every GPR (rsp too: the test runs on the sandbox stack), the x87 state,
// XMM0-15 and MXCSR (fxrstor64) and rflags from the input block, jumps to the test code,
// and on return (the test code ends with `jmp Epilogue`) stores all of it to the output
// block and restores the host state. DF is cleared before return.
// Not thread-safe: callers serialise through DiffRunner's lock.
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Differential;

public static unsafe class NativeRunner
{
    private static readonly AssemblerRegister64[] Gprs =
        [rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15];

    /// <summary>Address the test code must jump to when done.</summary>
    public static readonly ulong Epilogue;
    private static readonly delegate* unmanaged<nint, nint, void> Stub;
    private static readonly ulong* EntrySlot;
    private static readonly byte* InBlock = (byte*)(Sandbox.Base + Sandbox.BlockOffset);
    private static readonly byte* OutBlock = (byte*)(Sandbox.Base + Sandbox.BlockOffset + 0x400);
    private static readonly ulong HostFxArea = Sandbox.Base + Sandbox.BlockOffset + 0x800;

    static NativeRunner()
    {
        ulong at = Sandbox.Base + Sandbox.StubOffset;
        var a = new Assembler(64);
        var savedRsp = a.CreateLabel("savedRsp");
        var outPtr = a.CreateLabel("outPtr");
        var testRsp = a.CreateLabel("testRsp");
        var epilogue = a.CreateLabel("epilogue");
        var entry = a.CreateLabel("entry");

        foreach (var r in new[] { rbx, rbp, r12, r13, r14, r15 }) a.push(r);
        a.mov(__qword_ptr[savedRsp], rsp);
        a.mov(__qword_ptr[outPtr], rsi);
        a.mov(rax, HostFxArea);
        a.fxsave64(__[rax]);
        a.fxrstor64(__[rdi + MachineState.FxOff]);
        a.push(__qword_ptr[rdi + MachineState.FlagsOff]);
        a.popfq();
        for (int i = 0; i < 16; i++)
            if (i != 7) a.mov(Gprs[i], __qword_ptr[rdi + 8 * i]);
        a.mov(rdi, __qword_ptr[rdi + 8 * 7]);
        a.jmp(__qword_ptr[entry]);

        a.Label(ref epilogue);
        a.mov(__qword_ptr[testRsp], rsp);
        a.mov(rsp, __qword_ptr[savedRsp]);
        a.pushfq();
        a.push(rax);
        a.mov(rax, __qword_ptr[outPtr]);
        for (int i = 1; i < 16; i++)
            if (i != 4) a.mov(__qword_ptr[rax + 8 * i], Gprs[i]);
        a.pop(rcx);
        a.mov(__qword_ptr[rax], rcx);
        a.pop(rcx);
        a.mov(__qword_ptr[rax + MachineState.FlagsOff], rcx);
        a.mov(rcx, __qword_ptr[testRsp]);
        a.mov(__qword_ptr[rax + 8 * 4], rcx);
        a.fxsave64(__[rax + MachineState.FxOff]);
        a.mov(rax, HostFxArea);
        a.fxrstor64(__[rax]);
        a.cld();
        foreach (var r in new[] { r15, r14, r13, r12, rbp, rbx }) a.pop(r);
        a.ret();
        a.Label(ref savedRsp); a.dq(0);
        a.Label(ref outPtr); a.dq(0);
        a.Label(ref testRsp); a.dq(0);
        a.Label(ref entry); a.dq(0);

        var w = new MemoryStream();
        var res = a.Assemble(new StreamCodeWriter(w), at, BlockEncoderOptions.ReturnNewInstructionOffsets);
        if (w.Length > (long)Sandbox.CodeOffset) throw new InvalidOperationException("native stub too large");
        w.ToArray().CopyTo(new Span<byte>((void*)at, (int)w.Length));
        Epilogue = res.GetLabelRIP(epilogue);
        EntrySlot = (ulong*)res.GetLabelRIP(entry);
        Stub = (delegate* unmanaged<nint, nint, void>)at;
    }

    /// <summary>Install test code (which must end with a jump to <see cref="Epilogue"/>) at <paramref name="address"/> in the code area.</summary>
    public static void LoadCode(byte[] code, ulong address)
    {
        if (address < Sandbox.Code || address + (ulong)code.Length > Sandbox.Code + Sandbox.CodeCapacity)
            throw new ArgumentException("test code does not fit the sandbox code area");
        code.CopyTo(new Span<byte>((void*)address, code.Length));
        *EntrySlot = address;
    }

    /// <summary>Run the loaded code natively from <paramref name="input"/>; returns the resulting state.</summary>
    public static MachineState Run(MachineState input)
    {
        input.WriteBlock(InBlock);
        input.WriteMemory((byte*)Sandbox.Base);
        Stub((nint)InBlock, (nint)OutBlock);
        var o = new MachineState();
        o.ReadBlock(OutBlock);
        o.ReadMemory((byte*)Sandbox.Base);
        return o;
    }
}
