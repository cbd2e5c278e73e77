// The machine code of the native SIGSEGV/SIGBUS handler (see NativeFaultHandler.cs),
// emitted from a fixed byte template with its four 64-bit immediates patched in.
// Assembling it with Iced at start-up cost tens of milliseconds of cold JIT on every run;
// the template is checked against Iced's Assembler by FaultHandlerCodeTests.
//
//   mov rax, [rsi+16]        ; siginfo->si_addr
//   mov rcx, RANGE_BASE
//   sub rax, rcx
//   mov rcx, RANGE_SIZE
//   cmp rax, rcx
//   jae chain                ; not a guest address: let the runtime handle it
//   mov eax, 13              ; rt_sigaction(sig (still in edi), &SIG_DFL, NULL, 8)
//   mov rsi, DFL_ACTION
//   xor edx, edx
//   mov r10d, 8
//   syscall
//   ret                      ; the faulting access re-executes and kills the process natively
// chain:
//   mov rax, OLD_HANDLER_SLOT
//   jmp qword [rax]          ; argument registers untouched
using System.Buffers.Binary;

namespace Jitexec.Kernel.Host;

public static class FaultHandlerCode
{
    private static readonly byte[] Template =
    [
        0x48, 0x8B, 0x46, 0x10,                         // mov rax,[rsi+10h]
        0x48, 0xB9, 0, 0, 0, 0, 0, 0, 0, 0,             // mov rcx,imm64        (offset 6)
        0x48, 0x29, 0xC8,                               // sub rax,rcx
        0x48, 0xB9, 0, 0, 0, 0, 0, 0, 0, 0,             // mov rcx,imm64        (offset 19)
        0x48, 0x39, 0xC8,                               // cmp rax,rcx
        0x73, 0x1A,                                     // jae chain
        0xB8, 0x0D, 0x00, 0x00, 0x00,                   // mov eax,0Dh
        0x48, 0xBE, 0, 0, 0, 0, 0, 0, 0, 0,             // mov rsi,imm64        (offset 39)
        0x31, 0xD2,                                     // xor edx,edx
        0x41, 0xBA, 0x08, 0x00, 0x00, 0x00,             // mov r10d,8
        0x0F, 0x05,                                     // syscall
        0xC3,                                           // ret
        0x48, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0,             // chain: mov rax,imm64 (offset 60)
        0xFF, 0x20,                                     // jmp qword ptr [rax]
    ];

    private const int RangeBaseAt = 6, RangeSizeAt = 19, DflActionAt = 39, OldHandlerSlotAt = 60;

    public static byte[] Build(ulong rangeBase, ulong rangeSize, ulong dflAction, ulong oldHandlerSlot)
    {
        var code = (byte[])Template.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(RangeBaseAt), rangeBase);
        BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(RangeSizeAt), rangeSize);
        BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(DflActionAt), dflAction);
        BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(OldHandlerSlotAt), oldHandlerSlot);
        return code;
    }
}
