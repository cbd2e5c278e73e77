// The instruction forms a unit emits inline (the hot ones in the census of real
// workloads). Each mirrors its interpreter handler operand for operand and calls the same
// value-level method (Arith.AddValue, Shifts.ShlValue, Flags.Cond...), so the semantics
// stay defined once; only operand access and control flow are generated here. Anything
// else, and any op whose handler is not the registry's standard one, falls back.
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using Iced.Intel;
using Label = System.Reflection.Emit.Label;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Semantics;
using Jitexec.Translator.Semantics.Integer;

namespace Jitexec.Translator.Jit;

internal sealed unsafe partial class UnitCompiler
{
    private static MethodInfo M([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods)] Type t, string name) =>
        t.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static) ?? throw new MissingMethodException(t.Name, name);

    private static readonly MethodInfo MAdd = M(typeof(Arith), nameof(Arith.AddValue));
    private static readonly MethodInfo MSub = M(typeof(Arith), nameof(Arith.SubValue));
    private static readonly MethodInfo MAdc = M(typeof(Arith), nameof(Arith.AdcCarry));
    private static readonly MethodInfo MSbb = M(typeof(Arith), nameof(Arith.SbbCarry));
    private static readonly MethodInfo MCf = M(typeof(Flags), nameof(Flags.Cf));
    private static readonly MethodInfo MAnd = M(typeof(Arith), nameof(Arith.AndValue));
    private static readonly MethodInfo MOr = M(typeof(Arith), nameof(Arith.OrValue));
    private static readonly MethodInfo MXor = M(typeof(Arith), nameof(Arith.XorValue));
    private static readonly MethodInfo MInc = M(typeof(Arith), nameof(Arith.IncValue));
    private static readonly MethodInfo MDec = M(typeof(Arith), nameof(Arith.DecValue));
    private static readonly MethodInfo MNeg = M(typeof(Arith), nameof(Arith.NegValue));
    private static readonly MethodInfo MNot = M(typeof(Arith), nameof(Arith.NotValue));
    private static readonly MethodInfo MShl = M(typeof(Shifts), nameof(Shifts.ShlValue));
    private static readonly MethodInfo MShr = M(typeof(Shifts), nameof(Shifts.ShrValue));
    private static readonly MethodInfo MSar = M(typeof(Shifts), nameof(Shifts.SarValue));
    private static readonly MethodInfo MImul = M(typeof(MulDiv), nameof(MulDiv.ImulTruncValue));
    private static readonly MethodInfo MSetcc = M(typeof(Conditional), nameof(Conditional.SetccValue));
    private static readonly MethodInfo MCmov = M(typeof(Conditional), nameof(Conditional.CmovValue));
    private static readonly MethodInfo MCond = M(typeof(Flags), nameof(Flags.Cond));
    private static readonly MethodInfo MCondSub = M(typeof(Flags), nameof(Flags.CondSub));
    private static readonly MethodInfo MCondResult = M(typeof(Flags), nameof(Flags.CondResult));

    // The last flag-setting inline op of the current block, if it is still the flag state:
    // conditions then come from its operands/result held in locals (no reload from Cpu).
    private FlagKind _fKind;
    private bool _fKnown;
    private int _fSize;
    private LocalBuilder _fa = null!, _fb = null!, _fres = null!;

    private void DeclareFlagLocals()
    {
        _fa = _il.DeclareLocal(typeof(ulong));
        _fb = _il.DeclareLocal(typeof(ulong));
        _fres = _il.DeclareLocal(typeof(ulong));
    }

    // cmp/test leave their result uncomputed: _fres is then _fa OP _fb, pushed by LdFres only
    // where a flag record or a result condition needs it (usually an exit path, not the loop).
    private OpCode? _fresOp;

    /// <summary>Push the known flag state's result (_fres, or _fa OP _fb for cmp/test).</summary>
    private void LdFres()
    {
        if (_fresOp is not { } op) { _il.Emit(OpCodes.Ldloc, _fres); return; }
        _il.Emit(OpCodes.Ldloc, _fa);
        _il.Emit(OpCodes.Ldloc, _fb);
        _il.Emit(op);
    }

    private static readonly MethodInfo MSetLazy = M(typeof(Flags), nameof(Flags.SetLazy));
    private static readonly MethodInfo MSetLogic = M(typeof(Flags), nameof(Flags.SetLogic));
    /// <summary>The known flag state lives only in the locals: Cpu's lazy-flag fields are stale.</summary>
    private bool _flagsDirty;

    private void ForgetFlags()
    {
        MaterializeFlags(permanent: true);
        _fKnown = false;
    }

    private void KnowFlags(FlagKind kind, int size, bool dirty = false)
    {
        _fresOp = null;
        _fKnown = true;
        _fKind = kind;
        _fSize = size;
        _flagsDirty = dirty;
    }

    /// <summary>Record the known flag state on the Cpu exactly as the value method would have
    /// (Flags.SetLazy / Flags.SetLogic). permanent: false on a path that leaves (exits, edges).</summary>
    private void MaterializeFlags(bool permanent)
    {
        if (!_flagsDirty) return;
        var il = _il;
        LdCpu();
        if (_fKind == FlagKind.Logic)
        {
            il.Emit(OpCodes.Ldc_I4, _fSize);
            LdFres();
            EmitCall(MSetLogic);
        }
        else
        {
            il.Emit(OpCodes.Ldc_I4, (int)_fKind);
            il.Emit(OpCodes.Ldc_I4, _fSize);
            il.Emit(OpCodes.Ldloc, _fa);
            il.Emit(OpCodes.Ldloc, _fb);
            LdFres();
            EmitCall(MSetLazy);
        }
        if (permanent) _flagsDirty = false;
    }

    /// <summary>How an inline form relates to the arithmetic flags (for the liveness pre-pass).</summary>
    private enum FlagUse { None, Overwrite, Read }

    private static FlagUse FlagRole(ref Op op)
    {
        const RflagsBits arith = RflagsBits.OF | RflagsBits.SF | RflagsBits.ZF | RflagsBits.AF | RflagsBits.PF | RflagsBits.CF;
        // Iced's RFLAGS info decides reads (jcc/setcc/cmov, adc/sbb, ...) for every form.
        if ((op.Insn.RflagsRead & arith) != 0) return FlagUse.Read;
        // Forms whose semantic methods write all six flags (Iced's undefined ones included).
        var m = op.Insn.Mnemonic;
        switch (m)
        {
            case Mnemonic.Add: case Mnemonic.Sub: case Mnemonic.Cmp: case Mnemonic.And: case Mnemonic.Or:
            case Mnemonic.Xor: case Mnemonic.Test: case Mnemonic.Neg: case Mnemonic.Imul: case Mnemonic.Mul:
            case Mnemonic.Bsf: case Mnemonic.Bsr: case Mnemonic.Tzcnt: case Mnemonic.Lzcnt:
                return FlagUse.Overwrite;
            case Mnemonic.Shl: case Mnemonic.Sal: case Mnemonic.Shr: case Mnemonic.Sar:
                // A non-zero immediate count sets all arithmetic flags; a zero or CL count may keep them.
                if (ImmShiftCount(ref op) != 0) return FlagUse.Overwrite;
                break;
        }
        if (IsComi(ref op)) return FlagUse.Overwrite; // (u)comis set ZF PF CF, clear OF SF AF
        // Partial or count-dependent writers (inc/dec keep CF; shifts by CL may write nothing)
        // leave some old flags in place, so those must be recorded before them.
        return (op.Insn.RflagsModified & arith) != 0 ? FlagUse.Read : FlagUse.None;
    }

    /// <summary>The masked immediate count of a shift (0 for a CL count).</summary>
    private static int ImmShiftCount(ref Op op) => op.K1 == ArgKind.Imm ? (int)op.Imm & (op.S0 == 8 ? 63 : 31) : 0;

    private static readonly MethodInfo MShlResult = M(typeof(Shifts), nameof(Shifts.ShlResult));
    private static readonly MethodInfo MShrResult = M(typeof(Shifts), nameof(Shifts.ShrResult));
    private static readonly MethodInfo MSarResult = M(typeof(Shifts), nameof(Shifts.SarResult));
    private static readonly MethodInfo MImulResult = M(typeof(MulDiv), nameof(MulDiv.ImulTruncResult));

    /// <summary>Skippable producers: the result is the IL operator the value method uses, and the
    /// flag record (SetLazy/SetLogic) is deferred to where the flags are needed.</summary>
    private static bool Deferrable(Mnemonic m) => m is Mnemonic.Add or Mnemonic.Sub or Mnemonic.Cmp
        or Mnemonic.And or Mnemonic.Or or Mnemonic.Xor or Mnemonic.Test;

    /// <summary>Push condition cc (int 0/1), as Flags.Cond(c, cc) would compute it.</summary>
    private void LdCond(int cc)
    {
        var il = _il;
        if (LdCondStatic(cc)) return; // flags of (u)comis: UnitCompiler.ScalarFp.cs
        if (_fKnown && _fKind == FlagKind.Sub && Flags.CondSubDefined(cc))
        {
            il.Emit(OpCodes.Ldc_I4, cc);
            il.Emit(OpCodes.Ldc_I4, _fSize);
            il.Emit(OpCodes.Ldloc, _fa);
            il.Emit(OpCodes.Ldloc, _fb);
            EmitCall(MCondSub);
            return;
        }
        if (_fKnown && Flags.CondResultDefined(_fKind, cc))
        {
            il.Emit(OpCodes.Ldc_I4, cc);
            il.Emit(OpCodes.Ldc_I4, _fSize);
            LdFres();
            EmitCall(MCondResult);
            return;
        }
        MaterializeFlags(permanent: true);
        LdCpu();
        il.Emit(OpCodes.Ldc_I4, cc);
        EmitCall(MCond); // inlines its cmp/sub test (see Flags.Cond)
    }

    private static readonly MethodInfo MSignExtend = M(typeof(Operands), nameof(Operands.SignExtend));

    private static bool RegOrMem(ArgKind k) => k is ArgKind.Reg or ArgKind.Mem;
    private static bool Operand(ArgKind k) => k is ArgKind.Reg or ArgKind.Mem or ArgKind.Imm;

    /// <summary>True when op is a form emitted inline with exactly its handler's semantics.</summary>
    private static bool CanInline(ref Op op)
    {
        if (op.Exec == null || (nint)op.Exec != (nint)HandlerRegistry.Default.Lookup(in op.Insn)) return false;
        switch (op.Insn.Mnemonic)
        {
            case Mnemonic.Mov:
                return RegOrMem(op.K0) && Operand(op.K1);
            case Mnemonic.Movzx: case Mnemonic.Movsx: case Mnemonic.Movsxd:
                return op.K0 == ArgKind.Reg && RegOrMem(op.K1);
            case Mnemonic.Lea:
                return op.K0 == ArgKind.Reg && op.K1 == ArgKind.Mem;
            case Mnemonic.Add: case Mnemonic.Sub: case Mnemonic.Adc: case Mnemonic.Sbb: case Mnemonic.Cmp:
            case Mnemonic.And: case Mnemonic.Or: case Mnemonic.Xor: case Mnemonic.Test:
                return RegOrMem(op.K0) && Operand(op.K1);
            case Mnemonic.Inc: case Mnemonic.Dec: case Mnemonic.Neg: case Mnemonic.Not:
                return RegOrMem(op.K0);
            case Mnemonic.Shl: case Mnemonic.Sal: case Mnemonic.Shr: case Mnemonic.Sar:
                return RegOrMem(op.K0) && (op.K1 == ArgKind.Imm || op.K1 == ArgKind.Reg);
            case Mnemonic.Imul:
                return op.K0 == ArgKind.Reg && RegOrMem(op.K1) && (op.Insn.OpCount == 2 || op.K2 == ArgKind.Imm);
            case Mnemonic.Push:
                return Operand(op.K0) && op.Insn.StackPointerIncrement == -8;
            case Mnemonic.Pop:
                return RegOrMem(op.K0) && op.Insn.StackPointerIncrement == 8;
            case Mnemonic.Jmp: case Mnemonic.Call:
                return Operand(op.K0);
            case Mnemonic.Ret:
                return op.K0 is ArgKind.None or ArgKind.Imm;
            case Mnemonic.Nop: case Mnemonic.Endbr64:
                return true;
        }
        if (IsMulDiv(ref op)) return true;
        if (IsJcc(op.Insn.Mnemonic)) return op.K0 == ArgKind.Imm;
        if (IsSetcc(op.Insn.Mnemonic)) return RegOrMem(op.K0);
        if (IsCmov(op.Insn.Mnemonic)) return op.K0 == ArgKind.Reg && RegOrMem(op.K1);
        if (CanInlineBits(ref op)) return true; // bsf bsr bt* bswap: UnitCompiler.BitOps.cs
        return CanInlineVector(ref op); // SSE forms: UnitCompiler.Vector.cs
    }

    private static bool IsJcc(Mnemonic m) => m is Mnemonic.Jo or Mnemonic.Jno or Mnemonic.Jb or Mnemonic.Jae or Mnemonic.Je
        or Mnemonic.Jne or Mnemonic.Jbe or Mnemonic.Ja or Mnemonic.Js or Mnemonic.Jns or Mnemonic.Jp or Mnemonic.Jnp
        or Mnemonic.Jl or Mnemonic.Jge or Mnemonic.Jle or Mnemonic.Jg;

    private static bool IsSetcc(Mnemonic m) => m is Mnemonic.Seto or Mnemonic.Setno or Mnemonic.Setb or Mnemonic.Setae
        or Mnemonic.Sete or Mnemonic.Setne or Mnemonic.Setbe or Mnemonic.Seta or Mnemonic.Sets or Mnemonic.Setns
        or Mnemonic.Setp or Mnemonic.Setnp or Mnemonic.Setl or Mnemonic.Setge or Mnemonic.Setle or Mnemonic.Setg;

    private static bool IsCmov(Mnemonic m) => m is Mnemonic.Cmovo or Mnemonic.Cmovno or Mnemonic.Cmovb or Mnemonic.Cmovae
        or Mnemonic.Cmove or Mnemonic.Cmovne or Mnemonic.Cmovbe or Mnemonic.Cmova or Mnemonic.Cmovs or Mnemonic.Cmovns
        or Mnemonic.Cmovp or Mnemonic.Cmovnp or Mnemonic.Cmovl or Mnemonic.Cmovge or Mnemonic.Cmovle or Mnemonic.Cmovg;

    /// <summary>Guest registers an inline form reads or writes (bit per full register).</summary>
    private static void RegisterUse(ref Op op, out uint used, out uint written)
    {
        used = written = 0;
        bool mem = false;
        if (op.K0 == ArgKind.Reg) used |= 1u << FullReg(op.R0);
        if (op.K1 == ArgKind.Reg) used |= 1u << FullReg(op.R1);
        if (op.K2 == ArgKind.Reg) used |= 1u << FullReg(op.R2);
        mem = op.K0 == ArgKind.Mem || op.K1 == ArgKind.Mem || op.K2 == ArgKind.Mem;
        if (mem)
        {
            if (op.Base != Reg.None) used |= 1u << op.Base;
            if (op.Index != Reg.None) used |= 1u << op.Index;
        }
        var m = op.Insn.Mnemonic;
        if (m is Mnemonic.Push or Mnemonic.Pop or Mnemonic.Call or Mnemonic.Ret) { used |= 1u << Reg.Rsp; written |= 1u << Reg.Rsp; }
        if (m is Mnemonic.Shl or Mnemonic.Sal or Mnemonic.Shr or Mnemonic.Sar && op.K1 == ArgKind.Reg) used |= 1u << Reg.Rcx;
        if (IsMulDiv(ref op)) { used |= MulDivRegisters(ref op); written |= MulDivRegisters(ref op); }
        bool writesOp0 = op.K0 == ArgKind.Reg && m is not (Mnemonic.Cmp or Mnemonic.Test or Mnemonic.Bt or Mnemonic.Push or Mnemonic.Jmp or Mnemonic.Call);
        if (writesOp0 && !IsJcc(m)) written |= 1u << FullReg(op.R0);
    }

    /// <summary>Emit op i of member k inline. Returns true when it ended the block (control transfer emitted).</summary>
    private bool EmitInline(int i, int k, bool last)
    {
        ref Op op = ref _ops[i];
        var il = _il;
        var m = op.Insn.Mnemonic;
        switch (m)
        {
            case Mnemonic.Mov: case Mnemonic.Movzx:
                Ld1(ref op); St0(ref op); return false;
            case Mnemonic.Movsx: case Mnemonic.Movsxd:
                Ld1(ref op); il.Emit(OpCodes.Ldc_I4, (int)op.S1); EmitCall(MSignExtend); St0(ref op); return false;
            case Mnemonic.Lea:
                LdEa(ref op, withSegment: false); StReg(op.R0, op.S0); return false;
            case Mnemonic.Add: Binary(ref op, MAdd, true, FlagKind.Add); return false;
            case Mnemonic.Sub: Binary(ref op, MSub, true, FlagKind.Sub); return false;
            case Mnemonic.Adc: Binary(ref op, MAdc, true, FlagKind.Adc); return false;
            case Mnemonic.Sbb: Binary(ref op, MSbb, true, FlagKind.Sbb); return false;
            case Mnemonic.Cmp: Binary(ref op, MSub, false, FlagKind.Sub); return false;
            case Mnemonic.And: Binary(ref op, MAnd, true, FlagKind.Logic); return false;
            case Mnemonic.Or: Binary(ref op, MOr, true, FlagKind.Logic); return false;
            case Mnemonic.Test: Binary(ref op, MAnd, false, FlagKind.Logic); return false;
            case Mnemonic.Xor:
                if (op.K0 == ArgKind.Reg && op.K1 == ArgKind.Reg && op.R0 == op.R1)
                {
                    Const(0); // XorValue(c, size, 0, 0), flag record deferred
                    il.Emit(OpCodes.Dup);
                    il.Emit(OpCodes.Stloc, _fres);
                    St0(ref op);
                    KnowFlags(FlagKind.Logic, op.S0, dirty: true);
                }
                else Binary(ref op, MXor, true, FlagKind.Logic);
                return false;
            case Mnemonic.Inc: Unary(ref op, MInc, FlagKind.Inc); return false;
            case Mnemonic.Dec: Unary(ref op, MDec, FlagKind.Dec); return false;
            case Mnemonic.Neg: Unary(ref op, MNeg, FlagKind.Neg); return false;
            case Mnemonic.Not: Ld0(ref op); EmitCall(MNot); St0(ref op); return false;
            case Mnemonic.Shl: case Mnemonic.Sal: Shift(ref op, MShl, MShlResult, i); return false;
            case Mnemonic.Shr: Shift(ref op, MShr, MShrResult, i); return false;
            case Mnemonic.Sar: Shift(ref op, MSar, MSarResult, i); return false;
            case Mnemonic.Imul:
            {
                bool dead = !_flagsLiveAfter[i];
                if (dead) _fKnown = _flagsDirty = false; // overwritten before any read: no record needed
                else ForgetFlags();
                if (!dead) LdCpu();
                il.Emit(OpCodes.Ldc_I4, (int)op.S0);
                if (op.Insn.OpCount == 2) { LdReg(op.R0, op.S0); Ld1(ref op); }
                else { Ld1(ref op); Const(op.Imm); }
                EmitCall(dead ? MImulResult : MImul);
                StReg(op.R0, op.S0);
                return false;
            }
            case Mnemonic.Push:
            {
                var v = Temp();
                if (op.K0 == ArgKind.Imm) Const(Operands.SignExtend(op.Imm & Flags.SizeMask(op.S0), op.S0));
                else Ld0(ref op);
                il.Emit(OpCodes.Stloc, v);
                Push64(v);
                Free(v);
                return false;
            }
            case Mnemonic.Pop:
                Pop64(); St0(ref op); return false;
            case Mnemonic.Nop: case Mnemonic.Endbr64:
                return false;
            case Mnemonic.Jmp:
                if (op.K0 == ArgKind.Imm) Edge(k, op.Imm);
                else { Ld0(ref op); DynamicEdge(k); }
                return true;
            case Mnemonic.Call:
            {
                var target = Temp();
                if (op.K0 == ArgKind.Imm) Const(op.Imm); else Ld0(ref op);
                il.Emit(OpCodes.Stloc, target);
                var ret = Temp();
                Const(op.NextIp);
                il.Emit(OpCodes.Stloc, ret);
                Push64(ret);
                Free(ret);
                if (op.K0 == ArgKind.Imm) Edge(k, op.Imm);
                else { il.Emit(OpCodes.Ldloc, target); DynamicEdge(k); }
                Free(target);
                return true;
            }
            case Mnemonic.Ret:
            {
                Pop64();
                if (op.K0 == ArgKind.Imm)
                {
                    var rsp = _reg[Reg.Rsp]!;
                    il.Emit(OpCodes.Ldloc, rsp);
                    Const(op.Imm & 0xFFFF);
                    il.Emit(OpCodes.Add);
                    il.Emit(OpCodes.Stloc, rsp);
                }
                DynamicEdge(k);
                return true;
            }
        }
        if (IsMulDiv(ref op)) { EmitMulDiv(i); return false; }
        if (IsJcc(m))
        {
            var taken = il.DefineLabel();
            LdCond(op.Cc);
            il.Emit(OpCodes.Brtrue, taken);
            uint dirty = _dirty;
            Edge(k, _members[k].End);
            il.MarkLabel(taken);
            _dirty = dirty;
            Edge(k, op.Imm);
            return true;
        }
        if (IsSetcc(m))
        {
            if (_fKnown)
            {
                LdCond(op.Cc);          // Conditional.SetccValue: Cond ? 1 : 0
                il.Emit(OpCodes.Conv_U8);
            }
            else
            {
                LdCpu();
                il.Emit(OpCodes.Ldc_I4, (int)op.Cc);
                EmitCall(MSetcc);
            }
            St0(ref op);
            return false;
        }
        if (IsCmov(m))
        {
            var src = Temp();
            Ld1(ref op);
            il.Emit(OpCodes.Stloc, src);
            if (_fKnown)
            {
                // Conditional.CmovValue: Cond ? src : dst
                var keep = il.DefineLabel();
                var done = il.DefineLabel();
                LdCond(op.Cc);
                il.Emit(OpCodes.Brfalse, keep);
                il.Emit(OpCodes.Ldloc, src);
                il.Emit(OpCodes.Br, done);
                il.MarkLabel(keep);
                LdReg(op.R0, op.S0);
                il.MarkLabel(done);
            }
            else
            {
                LdCpu();
                il.Emit(OpCodes.Ldc_I4, (int)op.Cc);
                LdReg(op.R0, op.S0);
                il.Emit(OpCodes.Ldloc, src);
                EmitCall(MCmov);
            }
            StReg(op.R0, op.S0);
            Free(src);
            return false;
        }
        if (EmitBits(i)) return false;
        if (EmitVector(i)) return false;
        throw new InvalidOperationException($"no inline form for {m}");
    }

    /// <summary>op0 = f(c, size, op0, src) (write=false: flags only, as cmp/test); the
    /// operands and result stay in locals for the conditions that follow.</summary>
    private void Binary(ref Op op, MethodInfo f, bool write, FlagKind kind)
    {
        var il = _il;
        var m = op.Insn.Mnemonic;
        LocalBuilder? carryIn = null;
        if (!Deferrable(m))
        {
            // adc/sbb: CF before _fa/_fb change — from the known flag state, else Flags.Cf.
            carryIn = Temp();
            LdCarry();
            il.Emit(OpCodes.Conv_U8);
            il.Emit(OpCodes.Stloc, carryIn);
            MaterializeFlags(permanent: true);
        }
        Ld0(ref op);
        il.Emit(OpCodes.Stloc, _fa);
        if (op.K1 == ArgKind.Imm) Const(op.Imm); // Arith's Src: the immediate as decoded (sign-extended)
        else Ld1(ref op);
        il.Emit(OpCodes.Stloc, _fb);
        var resOp = m switch
        {
            Mnemonic.Add => OpCodes.Add,
            Mnemonic.Sub or Mnemonic.Cmp => OpCodes.Sub,
            Mnemonic.And or Mnemonic.Test => OpCodes.And,
            Mnemonic.Or => OpCodes.Or,
            _ => OpCodes.Xor,
        };
        if (Deferrable(m) && !write)
        {
            // cmp/test: the result only feeds the flags; computed where needed (LdFres).
            KnowFlags(kind, op.S0, dirty: true);
            _fresOp = resOp;
            return;
        }
        if (Deferrable(m))
        {
            // AddValue & co. are `r = a OP b` plus the flag record, which is deferred.
            il.Emit(OpCodes.Ldloc, _fa);
            il.Emit(OpCodes.Ldloc, _fb);
            il.Emit(resOp);
        }
        else
        {
            LdCpu();
            il.Emit(OpCodes.Ldc_I4, (int)op.S0);
            il.Emit(OpCodes.Ldloc, _fa);
            il.Emit(OpCodes.Ldloc, _fb);
            il.Emit(OpCodes.Ldloc, carryIn!);
            il.Emit(OpCodes.Conv_I4);
            EmitCall(f);
            Free(carryIn!);
        }
        if (write) il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Stloc, _fres);
        if (write) St0(ref op);
        KnowFlags(kind, op.S0, dirty: Deferrable(m));
    }

    /// <summary>Push CF (int 0/1) as Flags.Cf(c) would return it.</summary>
    private void LdCarry()
    {
        if (_fKnown && _fKind == FlagKind.Logic) { _il.Emit(OpCodes.Ldc_I4_0); return; }
        if (_fKnown && _fKind == FlagKind.Sub) { LdCond(2); return; } // b: CF after cmp/sub
        MaterializeFlags(permanent: true);
        LdCpu();
        EmitCall(MCf);
    }

    private void Unary(ref Op op, MethodInfo f, FlagKind kind)
    {
        MaterializeFlags(permanent: true); // inc/dec keep CF
        LdCpu();
        _il.Emit(OpCodes.Ldc_I4, (int)op.S0);
        Ld0(ref op);
        EmitCall(f);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Stloc, _fres);
        St0(ref op);
        KnowFlags(kind, op.S0);
    }

    private void Shift(ref Op op, MethodInfo f, MethodInfo result, int i)
    {
        var il = _il;
        // Flags dead after the shift: result only. With a CL count of zero the old flags would
        // stay, but nothing reads them either, so any pending record is dropped as well.
        bool dead = !_flagsLiveAfter[i];
        if (dead) _fKnown = _flagsDirty = false;
        else { ForgetFlags(); LdCpu(); }
        il.Emit(OpCodes.Ldc_I4, (int)op.S0);
        Ld0(ref op);
        if (op.K1 == ArgKind.Imm) il.Emit(OpCodes.Ldc_I4, (int)op.Imm);
        else { il.Emit(OpCodes.Ldloc, _reg[Reg.Rcx]!); il.Emit(OpCodes.Conv_I4); }
        EmitCall(dead ? result : f);
        St0(ref op);
    }
}
