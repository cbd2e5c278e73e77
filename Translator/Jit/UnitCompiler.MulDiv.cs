// Inline forms of the one-operand multiply and divide family (mul, div, idiv). They call
// MulDiv's value methods like the handlers do; a division that would fault (divisor zero,
// quotient overflow) branches to the interpreter handler, which repeats it and raises the
// guest #DE exactly as the interpreter does — the fault path is never open-coded here.
using System.Reflection;
using System.Reflection.Emit;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Semantics.Integer;

namespace Jitexec.Translator.Jit;

internal sealed unsafe partial class UnitCompiler
{
    private static readonly MethodInfo MDivValue = M(typeof(MulDiv), nameof(MulDiv.DivValue));
    private static readonly MethodInfo MIdivValue = M(typeof(MulDiv), nameof(MulDiv.IdivValue));
    private static readonly MethodInfo MMulValue = M(typeof(MulDiv), nameof(MulDiv.MulValue));

    private static bool IsMulDiv(ref Op op) =>
        op.Insn.Mnemonic is Mnemonic.Div or Mnemonic.Idiv or Mnemonic.Mul && op.Insn.OpCount == 1 && RegOrMem(op.K0);

    /// <summary>rAX and rDX (AX only for the byte forms) are read and written.</summary>
    private static uint MulDivRegisters(ref Op op) => op.S0 == 1 ? 1u << Reg.Rax : 1u << Reg.Rax | 1u << Reg.Rdx;

    private void EmitMulDiv(int i)
    {
        ref Op op = ref _ops[i];
        if (op.Insn.Mnemonic == Mnemonic.Mul) { EmitMul(ref op); return; }
        var il = _il;
        // The out-parameter locals are dedicated (never pooled): an address-taken local lives on
        // the stack for the whole method, which would slow every other use of a pooled temp.
        var q = _il.DeclareLocal(typeof(ulong));
        var r = _il.DeclareLocal(typeof(ulong));
        var divisor = Temp();
        Ld0(ref op);
        il.Emit(OpCodes.Stloc, divisor);
        // MulDiv.Div/Idiv: DivValue(size, high half, low half, divisor, out q, out r)
        il.Emit(OpCodes.Ldc_I4, (int)op.S0);
        if (op.S0 == 1)
        {
            il.Emit(OpCodes.Ldloc, _reg[Reg.Rax]!);
            il.Emit(OpCodes.Ldc_I4_8);
            il.Emit(OpCodes.Shr_Un);
        }
        else il.Emit(OpCodes.Ldloc, _reg[Reg.Rdx]!);
        il.Emit(OpCodes.Ldloc, _reg[Reg.Rax]!);
        il.Emit(OpCodes.Ldloc, divisor);
        il.Emit(OpCodes.Ldloca, q);
        il.Emit(OpCodes.Ldloca, r);
        EmitCall(op.Insn.Mnemonic == Mnemonic.Div ? MDivValue : MIdivValue);
        var fault = il.DefineLabel();
        var done = il.DefineLabel();
        il.Emit(OpCodes.Brfalse, fault);
        // MulDiv.WriteDivResult
        if (op.S0 == 1)
        {
            il.Emit(OpCodes.Ldloc, r);
            Const(0xFF);
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Ldc_I4_8);
            il.Emit(OpCodes.Shl);
            il.Emit(OpCodes.Ldloc, q);
            Const(0xFF);
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Or);
            StReg(Reg.Rax, 2);
        }
        else
        {
            il.Emit(OpCodes.Ldloc, q);
            StReg(Reg.Rax, op.S0);
            il.Emit(OpCodes.Ldloc, r);
            StReg(Reg.Rdx, op.S0);
        }
        il.Emit(OpCodes.Br, done);
        il.MarkLabel(fault);
        EmitHandlerCall(i);
        il.MarkLabel(done);
        Free(divisor);
    }

    /// <summary>MulDiv.Mul: rDX:rAX = rAX * src (AX = AL * src for bytes), CF/OF set eagerly.</summary>
    private void EmitMul(ref Op op)
    {
        var il = _il;
        var hi = _il.DeclareLocal(typeof(ulong)); // address-taken: dedicated, see EmitMulDiv
        ForgetFlags();
        LdCpu();
        il.Emit(OpCodes.Ldc_I4, (int)op.S0);
        il.Emit(OpCodes.Ldloc, _reg[Reg.Rax]!);
        Ld0(ref op);
        il.Emit(OpCodes.Ldloca, hi);
        EmitCall(MMulValue);
        // MulDiv.WriteWide
        if (op.S0 == 1)
        {
            Const(0xFF);
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Ldloc, hi);
            il.Emit(OpCodes.Ldc_I4_8);
            il.Emit(OpCodes.Shl);
            il.Emit(OpCodes.Or);
            StReg(Reg.Rax, 2);
        }
        else
        {
            StReg(Reg.Rax, op.S0);
            il.Emit(OpCodes.Ldloc, hi);
            StReg(Reg.Rdx, op.S0);
        }
    }

    /// <summary>Run op i's interpreter handler on a side path (e.g. to raise its fault) without
    /// disturbing the compile-time state of the main path: dirty GPRs and XMM registers are written
    /// back and the flags recorded first (a fault leaves the Cpu exact), and what the handler may
    /// write is reloaded after it. For handlers that leave the flags alone (div/idiv).</summary>
    private void EmitHandlerCall(int i)
    {
        uint dirty = _dirty;
        FlushDirty();
        SyncXmm(i);
        FlushXmm(_xdirty); // keeps _xdirty: the main path's XMM state is unchanged
        MaterializeFlags(permanent: false);
        CallHandler(i);
        ReloadRegisters(_cached & WrittenByHandler(ref _ops[i]).Gprs);
        ReloadXmmAfter(i);
        _dirty = dirty;
    }
}
