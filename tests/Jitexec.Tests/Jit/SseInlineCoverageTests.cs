// Checks that the JIT tier really emits the SSE forms of UnitCompiler.Vector.cs inline (the
// differential cases then test them): every form listed here, in register and memory
// variants, must compile without a fall-back, and a form known to have no inline version
// (the control) must fall back, so the count is meaningful.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Jit;
using Jitexec.Translator.Memory;
using Jitexec.Translator.Semantics;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests;

public unsafe class SseInlineCoverageTests
{
    private const ulong Code = 0x10000;

    /// <summary>Compile the assembled sequence block by block; returns (ops, inline ops).</summary>
    private static (int ops, int inline) Compile(Action<Assembler> body)
    {
        var mem = new GuestMemory();
        FlatGuest.Map(mem, Code, 0x4000);
        ulong end = FlatGuest.Load(mem, Code, a => { body(a); a.ret(); });
        var tr = new BlockTranslator(mem, new FlatSystem(Code, end), HandlerRegistry.Default);
        int ops = 0, inline = 0;
        for (ulong ip = Code; ip < end;)
        {
            var b = tr.Translate(ip);
            UnitCompiler.Compile([b], mem, null, inlineForms: true, hostFpFlags: true, out int n);
            ops += b.Ops.Length;
            inline += n;
            ip = b.End;
        }
        return (ops, inline);
    }

    [Fact]
    public void ScalarAndPackedFloatingPointFormsAreInline()
    {
        var (ops, inline) = Compile(a =>
        {
            a.addsd(xmm0, xmm1); a.subsd(xmm2, __qword_ptr[rax]); a.mulsd(xmm3, xmm4); a.divsd(xmm5, __qword_ptr[rbx + 8]);
            a.sqrtsd(xmm6, xmm7); a.minsd(xmm8, xmm9); a.maxsd(xmm10, __qword_ptr[rax]); a.cmpsd(xmm1, xmm2, 3);
            a.addss(xmm0, xmm1); a.subss(xmm2, __dword_ptr[rax]); a.mulss(xmm3, xmm4); a.divss(xmm5, xmm6);
            a.sqrtss(xmm6, __dword_ptr[rcx]); a.minss(xmm8, xmm9); a.maxss(xmm10, xmm11); a.cmpss(xmm1, xmm2, 5);
            a.addpd(xmm0, xmm1); a.mulpd(xmm2, __xmmword_ptr[rax]); a.divps(xmm3, xmm4); a.sqrtpd(xmm5, xmm6);
            a.cmpps(xmm1, xmm2, 2); a.maxpd(xmm3, xmm4);
            a.ucomisd(xmm0, xmm1); a.comisd(xmm2, __qword_ptr[rax]); a.ucomiss(xmm3, xmm4); a.comiss(xmm5, xmm6);
            a.cvtsi2sd(xmm0, rax); a.cvtsi2sd(xmm1, ecx); a.cvtsi2sd(xmm2, __qword_ptr[rax]); a.cvtsi2ss(xmm3, rdx);
            a.cvttsd2si(rax, xmm0); a.cvttsd2si(ecx, __qword_ptr[rbx]); a.cvtsd2si(rdx, xmm1); a.cvttss2si(esi, xmm2);
            a.cvtss2si(rdi, xmm3); a.cvtsd2ss(xmm4, xmm5); a.cvtss2sd(xmm6, __dword_ptr[rax]);
            a.andpd(xmm0, xmm1); a.andnpd(xmm2, xmm3); a.orpd(xmm4, xmm5); a.xorpd(xmm6, xmm6); a.xorps(xmm7, xmm8);
            a.cvtdq2pd(xmm0, xmm1); a.cvtps2pd(xmm2, __qword_ptr[rax]); a.cvtpd2ps(xmm3, xmm4); a.cvttpd2dq(xmm5, __xmmword_ptr[rax]);
            a.cvtdq2ps(xmm6, xmm7); a.cvtps2dq(xmm8, xmm9); a.cvttps2dq(xmm10, xmm11); a.cvtpd2dq(xmm12, xmm13);
        });
        Assert.Equal(ops, inline);
    }

    [Fact]
    public void MovesAndPackedIntegerFormsAreInline()
    {
        var (ops, inline) = Compile(a =>
        {
            a.movsd(xmm0, __qword_ptr[rax]); a.movsd(__qword_ptr[rax + 8], xmm1); a.movsd(xmm2, xmm3);
            a.movss(xmm0, __dword_ptr[rax]); a.movss(__dword_ptr[rax + 4], xmm1); a.movss(xmm2, xmm3);
            a.movq(xmm0, rax); a.movq(rcx, xmm1); a.movd(xmm2, edx); a.movd(esi, xmm3); a.movq(xmm4, __qword_ptr[rax]);
            a.movq(__qword_ptr[rax], xmm5); a.movq(xmm6, xmm7); a.movd(__dword_ptr[rbx], xmm8);
            a.movapd(xmm0, xmm1); a.movaps(xmm2, __xmmword_ptr[rax]); a.movdqa(__xmmword_ptr[rax], xmm3);
            a.movdqu(xmm4, __xmmword_ptr[rbx + 3]); a.movups(__xmmword_ptr[rbx + 5], xmm5); a.movntdq(__xmmword_ptr[rax], xmm6);
            a.movlpd(xmm0, __qword_ptr[rax]); a.movhps(xmm1, __qword_ptr[rax]); a.movlps(__qword_ptr[rax], xmm2);
            a.movhpd(__qword_ptr[rax], xmm3); a.movhlps(xmm4, xmm5); a.movlhps(xmm6, xmm7);
            a.pxor(xmm0, xmm0); a.por(xmm1, xmm2); a.pand(xmm3, __xmmword_ptr[rax]); a.pandn(xmm4, xmm5);
            a.pcmpeqb(xmm0, xmm1); a.pcmpeqd(xmm2, __xmmword_ptr[rax]); a.pcmpgtb(xmm3, xmm4); a.pminub(xmm5, xmm6);
            a.pmaxub(xmm7, xmm8); a.paddb(xmm0, xmm1); a.psubb(xmm2, xmm3); a.paddq(xmm4, xmm5); a.pmuludq(xmm6, xmm7);
            a.pmovmskb(eax, xmm0); a.movmskpd(ecx, xmm1); a.movmskps(edx, xmm2);
            a.punpcklbw(xmm0, xmm1); a.punpcklwd(xmm2, xmm3); a.punpckldq(xmm4, xmm5); a.punpcklqdq(xmm6, xmm7);
            a.punpckhbw(xmm0, xmm1); a.unpcklpd(xmm2, xmm3); a.unpckhpd(xmm4, xmm5); a.unpcklps(xmm6, xmm7);
            a.pshufd(xmm0, xmm1, 0x1B); a.pshuflw(xmm2, xmm3, 0xE4); a.shufps(xmm4, xmm5, 0x44); a.shufpd(xmm6, xmm7, 1);
            a.pslldq(xmm0, 3); a.psrldq(xmm1, 7); a.psllq(xmm2, 32); a.psrlq(xmm3, 1); a.psrad(xmm4, 31); a.pslld(xmm5, 2);
        });
        Assert.Equal(ops, inline);
    }

    [Fact]
    public void ControlFormFallsBack()
    {
        var (ops, inline) = Compile(a => { a.addsd(xmm0, xmm1); a.pinsrw(xmm2, eax, 3); });
        Assert.Equal(ops - 1, inline);
    }
}
