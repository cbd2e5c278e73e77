// Inline forms of the bit family (Semantics/Integer/BitOps.cs): bsf/bsr (and the tzcnt/lzcnt
// encodings the registry runs as them), bt/bts/btr/btc with a register operand or an
// immediate bit offset, and bswap. Each calls the handler's value method (BsfValue,
// BtsValue, BswapValue...); only operand access is generated here.
// Invariants: bsf/bsr write all six arithmetic flags, so pending flag records before them
// are dropped, and when their flags are dead the flag-free BsfIndex/BsrIndex are called;
// a zero source leaves the destination untouched (the store is skipped). bt* change only
// CF, so earlier flags are recorded on the Cpu first. A register bit offset on a memory
// operand (which addresses outside the operand) and lock-prefixed forms fall back.
using System.Reflection;
using System.Reflection.Emit;
using Iced.Intel;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Semantics.Integer;

namespace Jitexec.Translator.Jit;

internal sealed unsafe partial class UnitCompiler
{
    private static readonly MethodInfo MBsf = M(typeof(BitOps), nameof(BitOps.BsfValue));
    private static readonly MethodInfo MBsr = M(typeof(BitOps), nameof(BitOps.BsrValue));
    private static readonly MethodInfo MBsfIndex = M(typeof(BitOps), nameof(BitOps.BsfIndex));
    private static readonly MethodInfo MBsrIndex = M(typeof(BitOps), nameof(BitOps.BsrIndex));
    private static readonly MethodInfo MBt = M(typeof(BitOps), nameof(BitOps.BtValue));
    private static readonly MethodInfo MBts = M(typeof(BitOps), nameof(BitOps.BtsValue));
    private static readonly MethodInfo MBtr = M(typeof(BitOps), nameof(BitOps.BtrValue));
    private static readonly MethodInfo MBtc = M(typeof(BitOps), nameof(BitOps.BtcValue));
    private static readonly MethodInfo MBswap = M(typeof(BitOps), nameof(BitOps.BswapValue));

    private LocalBuilder? _scanIndex;

    private static bool IsBitScan(Mnemonic m) => m is Mnemonic.Bsf or Mnemonic.Bsr or Mnemonic.Tzcnt or Mnemonic.Lzcnt;
    private static bool IsBitTest(Mnemonic m) => m is Mnemonic.Bt or Mnemonic.Bts or Mnemonic.Btr or Mnemonic.Btc;

    /// <summary>Bit-family forms emitted inline (the caller has checked the handler is the registry's).</summary>
    private static bool CanInlineBits(ref Op op)
    {
        var m = op.Insn.Mnemonic;
        if (IsBitScan(m)) return op.K0 == ArgKind.Reg && RegOrMem(op.K1);
        if (IsBitTest(m))
            return !op.Insn.HasLockPrefix && (op.K0 == ArgKind.Reg ? op.K1 is ArgKind.Reg or ArgKind.Imm
                : op.K0 == ArgKind.Mem && op.K1 == ArgKind.Imm);
        if (m == Mnemonic.Bswap) return op.K0 == ArgKind.Reg;
        return false;
    }

    /// <summary>Emit a bit-family form; false if op is not one.</summary>
    private bool EmitBits(int i)
    {
        ref Op op = ref _ops[i];
        var m = op.Insn.Mnemonic;
        var il = _il;
        if (IsBitScan(m))
        {
            // The registry runs tzcnt as bsf and lzcnt as bsr (no BMI1/LZCNT in our CPUID).
            bool forward = m is Mnemonic.Bsf or Mnemonic.Tzcnt;
            bool dead = !_flagsLiveAfter[i];
            _fKnown = _flagsDirty = false; // every arithmetic flag is rewritten below (or dead)
            // The index goes out by reference: its own local, never a pooled temp (an
            // address-taken local lives on the stack for the whole method).
            var index = _scanIndex ??= il.DeclareLocal(typeof(ulong));
            var skip = il.DefineLabel();
            if (!dead) LdCpu();
            il.Emit(OpCodes.Ldc_I4, (int)op.S0);
            Ld1(ref op);
            il.Emit(OpCodes.Ldloca, index);
            EmitCall(dead ? (forward ? MBsfIndex : MBsrIndex) : (forward ? MBsf : MBsr));
            il.Emit(OpCodes.Brfalse, skip);
            il.Emit(OpCodes.Ldloc, index);
            StReg(op.R0, op.S0);
            il.MarkLabel(skip);
            return true;
        }
        if (IsBitTest(m))
        {
            ForgetFlags(); // only CF changes: the other flags must be on the Cpu first
            LdCpu();
            Ld0(ref op);
            int mask = op.S0 * 8 - 1;
            if (op.K1 == ArgKind.Imm) il.Emit(OpCodes.Ldc_I4, (int)op.Imm & mask);
            else
            {
                LdReg(op.R1, op.S1);
                il.Emit(OpCodes.Conv_I4);
                il.Emit(OpCodes.Ldc_I4, mask);
                il.Emit(OpCodes.And);
            }
            EmitCall(m switch { Mnemonic.Bt => MBt, Mnemonic.Bts => MBts, Mnemonic.Btr => MBtr, _ => MBtc });
            if (m != Mnemonic.Bt) St0(ref op);
            return true;
        }
        if (m == Mnemonic.Bswap)
        {
            il.Emit(OpCodes.Ldc_I4, (int)op.S0);
            Ld0(ref op);
            EmitCall(MBswap);
            St0(ref op);
            return true;
        }
        return false;
    }
}
