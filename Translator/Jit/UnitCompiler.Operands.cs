// IL for operand access inside a compiled unit, mirroring Semantics/Operands.cs exactly:
// registers come from IL locals (GetReg/SetReg partial-register rules: 32-bit writes
// zero-extend, 8/16-bit writes merge, ids 16..19 are AH..BH), effective addresses follow
// Operands.Ea, and memory is accessed in place at Base + (address & Mask) with no call.
using System.Reflection.Emit;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Memory;

namespace Jitexec.Translator.Jit;

internal sealed unsafe partial class UnitCompiler
{
    private static readonly System.Reflection.FieldInfo FFs = typeof(Cpu).GetField(nameof(Cpu.FsBase))!;
    private static readonly System.Reflection.FieldInfo FGs = typeof(Cpu).GetField(nameof(Cpu.GsBase))!;

    private static int FullReg(int id) => id >= Reg.HighByteBase ? id - Reg.HighByteBase : id;

    private void Const(ulong v) => _il.Emit(OpCodes.Ldc_I8, (long)v);

    /// <summary>Push the register's value as Operands.GetReg returns it.</summary>
    private void LdReg(int id, int size)
    {
        var il = _il;
        if (id >= Reg.HighByteBase)
        {
            il.Emit(OpCodes.Ldloc, _reg[id - Reg.HighByteBase]!);
            il.Emit(OpCodes.Ldc_I4_8);
            il.Emit(OpCodes.Shr_Un);
            Const(0xFF);
            il.Emit(OpCodes.And);
            return;
        }
        il.Emit(OpCodes.Ldloc, _reg[id]!);
        Truncate(size);
    }

    /// <summary>Zero-extend the low <paramref name="size"/> bytes of the ulong on the stack.</summary>
    private void Truncate(int size)
    {
        switch (size)
        {
            case 4: _il.Emit(OpCodes.Conv_U4); _il.Emit(OpCodes.Conv_U8); break;
            case 2: _il.Emit(OpCodes.Conv_U2); _il.Emit(OpCodes.Conv_U8); break;
            case 1: _il.Emit(OpCodes.Conv_U1); _il.Emit(OpCodes.Conv_U8); break;
        }
    }

    /// <summary>Store the ulong on the stack into a register, as Operands.SetReg does.</summary>
    private void StReg(int id, int size)
    {
        var il = _il;
        int r = FullReg(id);
        _dirty |= 1u << r;
        var loc = _reg[r]!;
        if (size == 8 && id < Reg.HighByteBase) { il.Emit(OpCodes.Stloc, loc); return; }
        if (size == 4 && id < Reg.HighByteBase)
        {
            il.Emit(OpCodes.Conv_U4);
            il.Emit(OpCodes.Conv_U8);
            il.Emit(OpCodes.Stloc, loc);
            return;
        }
        var t = Temp();
        il.Emit(OpCodes.Stloc, t);
        il.Emit(OpCodes.Ldloc, loc);
        if (id >= Reg.HighByteBase)
        {
            Const(~0xFF00UL);
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Ldloc, t);
            Const(0xFF);
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Ldc_I4_8);
            il.Emit(OpCodes.Shl);
        }
        else
        {
            Const(size == 2 ? ~0xFFFFUL : ~0xFFUL);
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Ldloc, t);
            Truncate(size);
        }
        il.Emit(OpCodes.Or);
        il.Emit(OpCodes.Stloc, loc);
        Free(t);
    }

    /// <summary>Push the effective address (Operands.Ea; lea passes withSegment: false; LdHostPtr may
    /// leave the displacement out to add it after masking).</summary>
    private void LdEa(ref Op op, bool withSegment = true, bool withDisp = true)
    {
        var il = _il;
        Const(withDisp ? op.Disp : 0); // RyuJIT folds the + 0
        if (op.Base != Reg.None) { il.Emit(OpCodes.Ldloc, _reg[op.Base]!); il.Emit(OpCodes.Add); }
        if (op.Index != Reg.None)
        {
            il.Emit(OpCodes.Ldloc, _reg[op.Index]!);
            if (op.Scale != 0) { il.Emit(OpCodes.Ldc_I4, (int)op.Scale); il.Emit(OpCodes.Shl); }
            il.Emit(OpCodes.Add);
        }
        if (op.Addr32) { il.Emit(OpCodes.Conv_U4); il.Emit(OpCodes.Conv_U8); }
        if (withSegment && op.Seg != Op.SegNone)
        {
            LdCpu();
            il.Emit(OpCodes.Ldfld, op.Seg == Op.SegFs ? FFs : FGs);
            il.Emit(OpCodes.Add);
        }
    }

    /// <summary>Push the host pointer of the op's memory operand.</summary>
    private void LdHostPtr(ref Op op)
    {
        if (op.Base == Reg.None && op.Index == Reg.None && op.Seg == Op.SegNone)
        {
            ulong a = op.Addr32 ? (uint)op.Disp : op.Disp;
            Const(_memBase + (a & GuestMemory.Mask));
            _il.Emit(OpCodes.Conv_U);
            return;
        }
        long disp = (long)op.Disp;
        if (op.Seg == Op.SegNone && !op.Addr32 && disp != 0 && Math.Abs(disp) <= GuestMemory.MaxFoldedDisplacement)
        {
            // Base + ((base + index*scale) & Mask) + disp: the masked part is the same for every access
            // through one register (RyuJIT computes it once), the displacement folds into the host
            // addressing mode. An address that would wrap lands in a guard page (GuestMemory).
            LdEa(ref op, withSegment: false, withDisp: false);
            GuestToHost();
            Const(op.Disp);
            _il.Emit(OpCodes.Conv_I);
            _il.Emit(OpCodes.Add);
            return;
        }
        LdEa(ref op);
        GuestToHost();
    }

    /// <summary>Guest address (ulong) on the stack -> host pointer.</summary>
    private void GuestToHost()
    {
        // Mask and base come from locals set once in the prologue: as immediates RyuJIT
        // rematerialised both 64-bit constants (two 10-byte movabs) at every access.
        _il.Emit(OpCodes.Ldloc, _maskLocal);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Ldloc, _baseLocal);
        _il.Emit(OpCodes.Add);
    }

    /// <summary>Host pointer on the stack -> zero-extended value of <paramref name="size"/> bytes.</summary>
    private void LdMem(int size)
    {
        var il = _il;
        if (size != 1) il.Emit(OpCodes.Unaligned, (byte)1);
        switch (size)
        {
            case 8: il.Emit(OpCodes.Ldind_I8); break;
            case 4: il.Emit(OpCodes.Ldind_U4); il.Emit(OpCodes.Conv_U8); break;
            case 2: il.Emit(OpCodes.Ldind_U2); il.Emit(OpCodes.Conv_U8); break;
            default: il.Emit(OpCodes.Ldind_U1); il.Emit(OpCodes.Conv_U8); break;
        }
    }

    /// <summary>Stack: host pointer, ulong value -> store the low <paramref name="size"/> bytes.</summary>
    private void StMem(int size)
    {
        var il = _il;
        switch (size)
        {
            case 8: il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Stind_I8); break;
            case 4: il.Emit(OpCodes.Conv_U4); il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Stind_I4); break;
            case 2: il.Emit(OpCodes.Conv_U2); il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Stind_I2); break;
            default: il.Emit(OpCodes.Conv_U1); il.Emit(OpCodes.Stind_I1); break;
        }
    }

    /// <summary>Operands.Read for one operand slot.</summary>
    private void LdOperand(ref Op op, ArgKind kind, int reg, int size)
    {
        switch (kind)
        {
            case ArgKind.Reg: LdReg(reg, size); break;
            case ArgKind.Mem: LdHostPtr(ref op); LdMem(size); break;
            default: Const(op.Imm & Flags.SizeMask(size)); break;
        }
    }

    private void Ld0(ref Op op) => LdOperand(ref op, op.K0, op.R0, op.S0);
    private void Ld1(ref Op op) => LdOperand(ref op, op.K1, op.R1, op.S1);

    /// <summary>Operands.Write0: the ulong on the stack goes to operand 0.</summary>
    private void St0(ref Op op)
    {
        if (op.K0 == ArgKind.Reg) { StReg(op.R0, op.S0); return; }
        var t = Temp();
        _il.Emit(OpCodes.Stloc, t);
        LdHostPtr(ref op);
        _il.Emit(OpCodes.Ldloc, t);
        StMem(op.S0);
        Free(t);
    }

    /// <summary>Push 8 bytes (Operands.Push64) from a temp.</summary>
    private void Push64(LocalBuilder value)
    {
        var il = _il;
        var rsp = _reg[Reg.Rsp]!;
        il.Emit(OpCodes.Ldloc, rsp);
        Const(8);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Stloc, rsp);
        _dirty |= 1u << Reg.Rsp;
        il.Emit(OpCodes.Ldloc, rsp);
        GuestToHost();
        il.Emit(OpCodes.Ldloc, value);
        StMem(8);
    }

    /// <summary>Pop 8 bytes (Operands.Pop64) onto the IL stack.</summary>
    private void Pop64()
    {
        var il = _il;
        var rsp = _reg[Reg.Rsp]!;
        il.Emit(OpCodes.Ldloc, rsp);
        GuestToHost();
        LdMem(8);
        il.Emit(OpCodes.Ldloc, rsp);
        Const(8);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Stloc, rsp);
        _dirty |= 1u << Reg.Rsp;
    }
}
