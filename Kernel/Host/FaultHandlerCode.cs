// The machine code of the native SIGSEGV/SIGBUS handler (see NativeFaultHandler.cs),
// emitted from a fixed byte template with its 64-bit immediates patched in.
// Assembling it with Iced at start-up cost tens of milliseconds of cold JIT on every run;
// the template is checked against Iced's Assembler by FaultHandlerCodeTests.
//
//   mov rax, [rsi+16]        ; siginfo->si_addr
//   mov rcx, RANGE_BASE      ; the reservation: lower guard, guest range, upper guard
//   sub rax, rcx
//   mov rcx, RANGE_SIZE
//   cmp rax, rcx
//   jae chain                ; not a guest address: let the runtime handle it
//   sub rax, GUARD           ; relative to the guest range's base
//   jb fatal                 ; the lower guard: a guest address that wrapped below 0
//   cmp edi, 11
//   jne fatal                ; SIGBUS on guest memory
//   shr rax, 12              ; guest page index
//   mov rdx, CODE_BITMAP     ; pages write-protected because they hold translated code
//   btr [rdx], rax
//   jae fatal                ; not one of ours: a real guest fault
//   mov rdx, CODE_TABLE      ; record the write (Translator/Exec/CodeWriteGuard.cs):
//   mov dword [rdx], 1       ;   written flag
//   mov rcx, [rdx+8]         ;   count
//   cmp rcx, 64
//   jae counted              ;   table full: the count alone says "overflow"
//   mov [rdx+rcx*8+16], rax  ;   page index
// counted:
//   inc qword [rdx+8]
//   shl rax, 12
//   mov rdi, RANGE_BASE + GUARD
//   add rdi, rax             ; mprotect(host page, 4096, PROT_READ|PROT_WRITE)
//   mov esi, 4096
//   mov edx, 3
//   mov eax, 10
//   syscall
//   ret                      ; the store re-executes and succeeds
// fatal:
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
        0x48, 0xB9, 0, 0, 0, 0, 0, 0, 0, 0,             // mov rcx,imm64        (offset 6: range base)
        0x48, 0x29, 0xC8,                               // sub rax,rcx
        0x48, 0xB9, 0, 0, 0, 0, 0, 0, 0, 0,             // mov rcx,imm64        (offset 19: range size)
        0x48, 0x39, 0xC8,                               // cmp rax,rcx
        0x0F, 0x83, 0x81, 0x00, 0x00, 0x00,             // jae chain
        0x48, 0x2D, 0, 0, 0, 0,                         // sub rax,imm32        (offset 38: guard size)
        0x72, 0x5F,                                     // jb fatal
        0x83, 0xFF, 0x0B,                               // cmp edi,0Bh
        0x75, 0x5A,                                     // jne fatal
        0x48, 0xC1, 0xE8, 0x0C,                         // shr rax,0Ch
        0x48, 0xBA, 0, 0, 0, 0, 0, 0, 0, 0,             // mov rdx,imm64        (offset 55: code bitmap)
        0x48, 0x0F, 0xB3, 0x02,                         // btr [rdx],rax
        0x73, 0x46,                                     // jae fatal
        0x48, 0xBA, 0, 0, 0, 0, 0, 0, 0, 0,             // mov rdx,imm64        (offset 71: code table)
        0xC7, 0x02, 0x01, 0x00, 0x00, 0x00,             // mov dword ptr [rdx],1
        0x48, 0x8B, 0x4A, 0x08,                         // mov rcx,[rdx+8]
        0x48, 0x83, 0xF9, 0x40,                         // cmp rcx,40h
        0x73, 0x05,                                     // jae counted
        0x48, 0x89, 0x44, 0xCA, 0x10,                   // mov [rdx+rcx*8+10h],rax
        0x48, 0xFF, 0x42, 0x08,                         // counted: inc qword ptr [rdx+8]
        0x48, 0xC1, 0xE0, 0x0C,                         // shl rax,0Ch
        0x48, 0xBF, 0, 0, 0, 0, 0, 0, 0, 0,             // mov rdi,imm64        (offset 110: guest base)
        0x48, 0x01, 0xC7,                               // add rdi,rax
        0xBE, 0x00, 0x10, 0x00, 0x00,                   // mov esi,1000h
        0xBA, 0x03, 0x00, 0x00, 0x00,                   // mov edx,3
        0xB8, 0x0A, 0x00, 0x00, 0x00,                   // mov eax,0Ah
        0x0F, 0x05,                                     // syscall
        0xC3,                                           // ret
        0xB8, 0x0D, 0x00, 0x00, 0x00,                   // fatal: mov eax,0Dh
        0x48, 0xBE, 0, 0, 0, 0, 0, 0, 0, 0,             // mov rsi,imm64        (offset 146: SIG_DFL action)
        0x31, 0xD2,                                     // xor edx,edx
        0x41, 0xBA, 0x08, 0x00, 0x00, 0x00,             // mov r10d,8
        0x0F, 0x05,                                     // syscall
        0xC3,                                           // ret
        0x48, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0,             // chain: mov rax,imm64 (offset 167: old handler slot)
        0xFF, 0x20,                                     // jmp qword ptr [rax]
    ];

    private const int RangeBaseAt = 6, RangeSizeAt = 19, GuardAt = 38, BitmapAt = 55, TableAt = 71, GuestBaseAt = 110,
        DflActionAt = 146, OldHandlerSlotAt = 167;

    /// <summary>The code table capacity the template compares against (CodeWriteGuard.Capacity).</summary>
    public const int TableCapacity = 64;

    /// <param name="rangeBase">Start of the reservation; the guest range starts <paramref name="guard"/> bytes above it.</param>
    public static byte[] Build(ulong rangeBase, ulong rangeSize, uint guard, ulong codeBitmap, ulong codeTable, ulong dflAction, ulong oldHandlerSlot)
    {
        var code = (byte[])Template.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(RangeBaseAt), rangeBase);
        BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(RangeSizeAt), rangeSize);
        BinaryPrimitives.WriteUInt32LittleEndian(code.AsSpan(GuardAt), guard);
        BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(BitmapAt), codeBitmap);
        BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(TableAt), codeTable);
        BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(GuestBaseAt), rangeBase + guard);
        BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(DflActionAt), dflAction);
        BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(OldHandlerSlotAt), oldHandlerSlot);
        return code;
    }
}
