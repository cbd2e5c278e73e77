// A fault inside a compiled unit must leave the flags exactly as the interpreter does: the
// cold fault path re-creates the flag bookkeeping of the faulting op (FaultState), including
// a cmp/test whose result is computed only where needed (UnitCompiler LdFres), while the
// state at the end of emission differs (an add after the fault point). Compared against the
// interpreter tier, since faulting code cannot run natively.
using Iced.Intel;
using Jitexec.Translator.Core;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Differential.Cases;

public class JitFaultFlagCases
{
    private const ulong Arith = 0x8D5; // OF SF ZF AF PF CF

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FlagsAtMisalignedFaultMatchInterpreter(bool test)
    {
        void Code(Assembler a)
        {
            a.sub(rsi, rdi);
            if (test) a.test(rax, rbx); else a.cmp(rax, rbx);
            a.movdqa(xmm0, __xmmword_ptr[r15 + 1]); // misaligned: #GP
            a.add(rdx, rcx);
        }
        var asm = Assembled.Create(new DiffCase(Code));
        for (int seed = 0; seed < 16; seed++)
        {
            var input = RandomState.Make(new FastRandom(7000 + seed), false);
            if (seed % 2 == 0) input.Gpr[3] = input.Gpr[0]; // equal operands: ZF after cmp
            ulong[] flags = new ulong[2];
            lock (DiffRunner.Gate)
                for (int t = 0; t < 2; t++)
                {
                    var (state, fault) = new GuestRunner(t == 0 ? Tier.Interpreter : Tier.Jit, asm).Run(input);
                    Assert.NotNull(fault);
                    flags[t] = state.Rflags & Arith;
                }
            Assert.True(flags[0] == flags[1], $"seed {seed}: interpreter flags {flags[0]:x}, jit {flags[1]:x}");
        }
    }
}
