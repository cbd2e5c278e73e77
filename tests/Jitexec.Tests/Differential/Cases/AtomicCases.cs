// Differential cases for Semantics/Data/Atomics.cs: xchg (reg/reg incl. the 90+r accumulator
// forms, high-byte registers, same register; reg/mem both operand orders), cmpxchg
// (reg and mem destinations, with and without lock, success and failure both biased in),
// xadd (reg, same reg, mem, lock) and cmpxchg8b, at every operand size.
// Locked memory forms (and xchg with memory, always locked) never straddle a cache line:
// natively that is a split lock, which this kernel penalises (split_lock_mitigate) and
// would make the run take minutes. Unlocked forms do cover the page-straddling offset.
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;
using static Jitexec.Tests.Differential.Cases.Forms;

namespace Jitexec.Tests.Differential.Cases;

public class AtomicCases
{
    private static readonly int[] Sizes = [1, 2, 4, 8];
    /// <summary>Misaligned but inside one 64-byte line of the buffer (which is 64-aligned).</summary>
    private const int InLine = 0x53;

    public static readonly CaseSet Cases = Build();

    private static DiffCase Locked(Instruction i) { i.HasLockPrefix = true; return Insn(i); }

    /// <summary>Half the time make the accumulator equal the cmpxchg destination (the success path).</summary>
    private static Action<MachineState, Random> MatchAcc(int size, Func<MachineState, ulong> dest) => (s, r) =>
    {
        if (r.Next(2) != 0) return;
        ulong m = size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;
        s.Gpr[0] = (s.Gpr[0] & ~m) | (dest(s) & m);
    };

    private static ulong BufferQword(MachineState s, int off) => BitConverter.ToUInt64(s.Buffer, off);

    private static CaseSet Build()
    {
        var set = new CaseSet();
        foreach (int size in Sizes)
        {
            int bits = size * 8;
            Code xchg = CodeOf($"Xchg_rm{bits}_r{bits}");
            set.Add(RR(xchg, Gpr(size, 3), Gpr(size, 1)));
            set.Add(RR(xchg, Gpr(size, 9), Gpr(size, 0)));
            set.Add(RR(xchg, Gpr(size, 2), Gpr(size, 2)));      // same register (87 d2: 32-bit zero-extends)
            set.Add(RR(xchg, Gpr(size, 0), Gpr(size, 0)));
            set.Add(MR(xchg, Disp(size, 1), Gpr(size, 6), size));
            set.Add(MR(xchg, InLine, Gpr(size, 12), size));
            set.Add(Locked(Instruction.Create(xchg, Mem(Disp(size, 0)), Gpr(size, 5))).InMem(Disp(size, 0), size).In(Gpr(size, 5)));
            if (size > 1)
            {
                string acc = size switch { 2 => "AX", 4 => "EAX", _ => "RAX" };
                set.Add(RR(CodeOf($"Xchg_r{bits}_{acc}"), Gpr(size, 3), Gpr(size, 0)));
                set.Add(RR(CodeOf($"Xchg_r{bits}_{acc}"), Gpr(size, 8), Gpr(size, 0)));
            }

            Code cx = CodeOf($"Cmpxchg_rm{bits}_r{bits}");
            int regNum = 3, memDisp = Disp(size, 1);
            set.Add(RR(cx, Gpr(size, regNum), Gpr(size, 1)).In(Gpr(size, 0)).With(MatchAcc(size, s => s.Gpr[3])));
            set.Add(RR(cx, Gpr(size, 0), Gpr(size, 6)));                 // destination is the accumulator
            set.Add(RR(cx, Gpr(size, 10), Gpr(size, 0)).With(MatchAcc(size, s => s.Gpr[10])));
            set.Add(MR(cx, memDisp, Gpr(size, 7), size).In(Gpr(size, 0)).With(MatchAcc(size, s => BufferQword(s, memDisp))));
            set.Add(MR(cx, Disp(size, 2), Gpr(size, 4 + 8), size).In(Gpr(size, 0)).With(MatchAcc(size, s => BufferQword(s, Disp(size, 2)))));
            set.Add(Locked(Instruction.Create(cx, Mem(InLine), Gpr(size, 13))).InMem(InLine, size).In(Gpr(size, 13))
                .With(MatchAcc(size, s => BufferQword(s, InLine))));

            Code xadd = CodeOf($"Xadd_rm{bits}_r{bits}");
            set.Add(RR(xadd, Gpr(size, 3), Gpr(size, 1)));
            set.Add(RR(xadd, Gpr(size, 11), Gpr(size, 11)));
            set.Add(MR(xadd, Disp(size, 1), Gpr(size, 2), size));
            set.Add(MR(xadd, Disp(size, 2), Gpr(size, 9), size));
            set.Add(Locked(Instruction.Create(xadd, Mem(InLine), Gpr(size, 14))).InMem(InLine, size).In(Gpr(size, 14)));
        }
        // High-byte registers (no REX): memory through rsi.
        set.Add(RR(Code.Xchg_rm8_r8, Register.AH, Register.AL));
        set.Add(RR(Code.Xchg_rm8_r8, Register.BH, Register.CH));
        set.Add(Insn(Instruction.Create(Code.Xchg_rm8_r8, MemRsi(0x21), Register.DH)).PointAtBuffer(Register.RSI).In(Register.DH));
        set.Add(RR(Code.Cmpxchg_rm8_r8, Register.AH, Register.BH).In(Register.AL)
            .With(MatchAcc(1, s => s.Gpr[0] >> 8)));
        set.Add(RR(Code.Cmpxchg_rm8_r8, Register.CH, Register.AH).With(MatchAcc(1, s => s.Gpr[1] >> 8)));
        set.Add(RR(Code.Xadd_rm8_r8, Register.CH, Register.DH).In(Register.CH, Register.DH));
        set.Add(RR(Code.Xadd_rm8_r8, Register.AL, Register.AH));

        // cmpxchg8b: edx:eax equal to the qword half the time (success stores ecx:ebx).
        foreach (int disp in new[] { Disp(8, 0), InLine, Disp(8, 2) })
        {
            int d = disp;
            foreach (bool lk in d == Disp(8, 2) ? new[] { false } : new[] { false, true })
            {
                var i = Instruction.Create(Code.Cmpxchg8b_m64, Mem(d));
                i.HasLockPrefix = lk;
                set.Add(Insn(i).InMem(d, 8).With((s, r) =>
                {
                    if (r.Next(2) != 0) return;
                    ulong q = BufferQword(s, d);
                    s.Gpr[0] = (s.Gpr[0] & ~0xFFFF_FFFFUL) | (uint)q;
                    s.Gpr[2] = (s.Gpr[2] & ~0xFFFF_FFFFUL) | (q >> 32);
                }));
            }
        }
        return set;
    }

    public static TheoryData<string, Tier> Data => Cases.Data();

    [Theory, MemberData(nameof(Data))]
    public void Diff(string name, Tier tier) => Cases.Run(name, tier);
}
