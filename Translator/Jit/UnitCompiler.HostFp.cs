// Host-flags mode: in a unit whose SSE floating-point ops are all plain arithmetic (scalar
// add/sub/mul/div/sqrt, cvtsi2sd/ss) the host FPU raises the guest's MXCSR exception flags.
// Each such op is then its host instruction (FpHost: exact, NaNs included) — no per-op flag
// logic. The control-state check FpHost.Ready is made once, at unit entry (a
// unit whose MXCSR control is not the host's leaves at once, through a side exit): nothing
// inside such a unit can change the control state, as a unit with a fall-back op that loads
// MXCSR (ldmxcsr, fxrstor, xrstor) stays in per-op mode, and collected flags only add bits.
// Invariants: the run loop clears the host flags before it enters the unit; before anything managed that may run
// floating-point code of its own (a fall-back handler; Fp64/Fp32.General on a cold path) it
// collects them into c.Mxcsr (Mx.CollectHost) and clears them after; the engine collects them
// when the unit returns or faults (JitUnit.HostFpFlags). An op with another form (comis, cmp,
// min/max, packed arithmetic, conversions to integer...) computes flags in managed code, whose
// own FP operations would leave spurious host flags, so such a unit stays in per-op mode.
using System.Reflection;
using System.Reflection.Emit;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Host;
using Jitexec.Translator.Semantics;
using Jitexec.Translator.Semantics.Sse;

namespace Jitexec.Translator.Jit;

internal sealed unsafe partial class UnitCompiler
{
    private bool _hostFpAllowed, _hostFp;

    private static readonly MethodInfo MHostReady = M(typeof(FpHost), nameof(FpHost.Ready));
    private static readonly MethodInfo MHostF64 = M(typeof(FpHost), nameof(FpHost.F64));
    private static readonly MethodInfo MHostF32 = M(typeof(FpHost), nameof(FpHost.F32));
    private static readonly MethodInfo MHostInt64 = M(typeof(FpHost), nameof(FpHost.IntToF64));
    private static readonly MethodInfo MHostInt32 = M(typeof(FpHost), nameof(FpHost.IntToF32));
    private static readonly MethodInfo MCollectHost = M(typeof(Mx), nameof(Mx.CollectHost));
    private static readonly MethodInfo MClearHost = M(typeof(HostMxcsr), nameof(HostMxcsr.ClearFlags));
    private static readonly MethodInfo MSingleToBits = typeof(BitConverter).GetMethod(nameof(BitConverter.SingleToUInt32Bits), [typeof(float)])!;
    private static readonly MethodInfo MBitsToSingle = typeof(BitConverter).GetMethod(nameof(BitConverter.UInt32BitsToSingle), [typeof(uint)])!;

    /// <summary>A form FpHost covers: the arithmetic with a fast/general split, and sqrt.</summary>
    private static bool IsHostForm(VForm f) =>
        f.Shape is VShape.SqrtD or VShape.SqrtS || (f.Fast != null && f.Shape is VShape.ScalarD or VShape.ScalarS or VShape.IntToD or VShape.IntToS);

    /// <summary>Forms whose value methods do floating-point arithmetic (and so touch the host's flags).</summary>
    private static bool ComputesFp(VShape s) => s is VShape.ScalarD or VShape.ScalarS or VShape.SqrtD or VShape.SqrtS
        or VShape.CmpD or VShape.CmpS or VShape.PackedD or VShape.PackedS or VShape.ComiD or VShape.ComiS or VShape.IntToD
        or VShape.IntToS or VShape.DToInt or VShape.SToInt or VShape.DToS or VShape.SToD or VShape.Conv64 or VShape.Conv128;

    /// <summary>Host-flags mode applies: allowed, the stubs exist, no op loads MXCSR, at least one
    /// inline FP op and all of them host forms.</summary>
    private bool ChooseHostFp()
    {
        if (!_hostFpAllowed || !HostMxcsr.Available) return false;
        bool any = false;
        for (int i = 0; i < _ops.Length; i++)
        {
            if (LoadsMxcsr(_ops[i].Insn.Mnemonic)) return false;
            if (!_inline[i] || !MaybeVector(ref _ops[i]) || !VForms.TryGetValue(_ops[i].Insn.Code, out var f) || !ComputesFp(f.Shape)) continue;
            if (!IsHostForm(f)) return false;
            any = true;
        }
        if (any) CompileHostFlagPath();
        return any;
    }

    private static bool LoadsMxcsr(Iced.Intel.Mnemonic m) => m is Iced.Intel.Mnemonic.Ldmxcsr or Iced.Intel.Mnemonic.Vldmxcsr
        or Iced.Intel.Mnemonic.Fxrstor or Iced.Intel.Mnemonic.Fxrstor64 or Iced.Intel.Mnemonic.Xrstor or Iced.Intel.Mnemonic.Xrstor64
        or Iced.Intel.Mnemonic.Xrstors or Iced.Intel.Mnemonic.Xrstors64;

    /// <summary>Unit entry (registers loaded, nothing run yet): unless FpHost.Ready, leave through a
    /// side exit with c.Rip as it is — the entered block's start (the run loop enters a unit at the
    /// block at c.Rip); no flags are pending at entry. The run loop then enters the unit again, so
    /// a unit entered in another control state reaches JitTier.SideExitLimit at once and its blocks
    /// are recompiled in per-op mode (JitTier.NoteSideExit).</summary>
    private void EmitHostReadyCheck()
    {
        if (!_hostFp) return;
        var decline = _il.DefineLabel();
        LdMxcsr(0);
        _il.Emit(OpCodes.Call, MHostReady);
        _il.Emit(OpCodes.Brfalse, decline);
        _cold.Add(() =>
        {
            _il.MarkLabel(decline);
            Leave();
        });
    }

    /// <summary>Host flags so far into c.Mxcsr (before managed code that may do FP arithmetic).</summary>
    private void CollectHostFlags()
    {
        if (!_hostFp) return;
        LdCpu();
        _il.Emit(OpCodes.Ldflda, FMxcsr);
        _il.Emit(OpCodes.Call, MCollectHost);
    }

    /// <summary>call m. In host-flags mode a call that may really happen (to a method of ours that
    /// RyuJIT is not asked to inline) is bracketed by collect and clear: the callee — or the runtime
    /// compiling it on first use, on this thread — may do floating-point arithmetic of its own.</summary>
    private void EmitCall(MethodInfo m)
    {
        bool bracket = _hostFp && m.DeclaringType?.Assembly == typeof(UnitCompiler).Assembly
            && (m.MethodImplementationFlags & MethodImplAttributes.AggressiveInlining) == 0
            && !m.IsSpecialName; // property accessors: field reads, always inlined
        if (bracket) CollectHostFlags();
        _il.Emit(OpCodes.Call, m);
        if (bracket) ClearHostFlags();
    }

    private static bool s_hostPathCompiled;

    /// <summary>Run the collect and clear paths once on the compiling thread, so that their first
    /// use by a unit (or by the run loop, possibly still unoptimised code that calls them) does not
    /// make the runtime compile them on the guest thread between a unit's FP ops and the collect.</summary>
    private static void CompileHostFlagPath()
    {
        if (s_hostPathCompiled) return;
        uint scratch = 0;
        Mx.CollectHost(ref scratch);
        HostMxcsr.ClearFlags();
        s_hostPathCompiled = true;
    }

    /// <summary>Clear the host flags (unit entry; after managed code that may have raised some).</summary>
    private void ClearHostFlags()
    {
        if (_hostFp) _il.Emit(OpCodes.Call, MClearHost);
    }

    /// <summary>Op i as its host instruction (Ready was checked at entry): operands to locals, host
    /// op, result — no branch and no call (around which RyuJIT would spill every FP local: all
    /// XMM registers are caller-saved on the host).
    /// Shapes: ScalarD/S (x = x op src), SqrtD/S (x = sqrt src), IntToD/S (x = (double)r/m).</summary>
    private void EmitHostFp(int i, VForm f)
    {
        ref Op op = ref _ops[i];
        var il = _il;
        bool single = f.Shape is VShape.ScalarS or VShape.SqrtS or VShape.IntToS;
        bool conv = f.Shape is VShape.IntToD or VShape.IntToS;
        bool binary = f.Shape is VShape.ScalarD or VShape.ScalarS;
        int kind = f.Shape is VShape.SqrtD or VShape.SqrtS ? Fp64.Sqrt : f.Arg;
        var fpType = single ? typeof(float) : typeof(double);
        LocalBuilder a, b = null!, r = TempFp(fpType);
        if (conv)
        {
            // (long)Operands.SignExtend(Read1(c, ref op), op.S1)
            a = Temp();
            Ld1(ref op);
            il.Emit(OpCodes.Ldc_I4, (int)op.S1);
            EmitCall(MSignExtend);
            il.Emit(OpCodes.Stloc, a);
        }
        else
        {
            a = TempFp(fpType);
            if (binary) { b = TempFp(fpType); LdXFp(op.R0, single); il.Emit(OpCodes.Stloc, a); }
            LdSrcFp(i, single);
            il.Emit(OpCodes.Stloc, binary ? b : a);
        }
        il.Emit(OpCodes.Ldloc, a);
        if (conv) EmitCall(single ? MHostInt32 : MHostInt64);
        else
        {
            if (binary) il.Emit(OpCodes.Ldloc, b);
            else { il.Emit(OpCodes.Ldc_R8, 0.0); if (single) il.Emit(OpCodes.Conv_R4); } // sqrt: y unused
            il.Emit(OpCodes.Ldc_I4, kind);
            EmitCall(single ? MHostF32 : MHostF64);
        }
        il.Emit(OpCodes.Stloc, r);
        il.Emit(OpCodes.Ldloc, r);
        StXFp(op.R0, single);
        if (conv) Free(a); else _freeFp.Add(a);
        if (binary) _freeFp.Add(b);
        _freeFp.Add(r);
    }

    private readonly List<LocalBuilder> _freeFp = new();

    /// <summary>A pooled double or float temp (never passed by reference).</summary>
    private LocalBuilder TempFp(Type t)
    {
        int k = _freeFp.FindLastIndex(l => l.LocalType == t);
        if (k < 0) return _il.DeclareLocal(t);
        var l = _freeFp[k];
        _freeFp.RemoveAt(k);
        return l;
    }

    /// <summary>Push XMM x's low lane as a double (single: its low dword as a float).</summary>
    private void LdXFp(int x, bool single)
    {
        if (!single && _xrep[x] == XRep.Scalar) { _il.Emit(OpCodes.Ldloc, _xlo[x]!); return; }
        if (single) { LdX32(x); _il.Emit(OpCodes.Call, MBitsToSingle); }
        else { LdX64(x); _il.Emit(OpCodes.Call, MFromBits); }
    }

    /// <summary>Push operand 1 (XMM low lane or m64/m32) as a double (single: a float).</summary>
    private void LdSrcFp(int i, bool single)
    {
        ref Op op = ref _ops[i];
        if (op.K1 == ArgKind.Xmm) { LdXFp(op.R1, single); return; }
        LdHostPtr(ref op);
        _il.Emit(OpCodes.Unaligned, (byte)1);
        _il.Emit(single ? OpCodes.Ldind_R4 : OpCodes.Ldind_R8);
    }

    /// <summary>XMM x's low lane (single: low dword) = the double (float) on the IL stack; the other lanes keep.</summary>
    private void StXFp(int x, bool single)
    {
        if (!single && _xrep[x] == XRep.Scalar) { _xdirty |= 1u << x; _il.Emit(OpCodes.Stloc, _xlo[x]!); return; }
        if (single) { _il.Emit(OpCodes.Call, MSingleToBits); StX32(x, 0); }
        else { _il.Emit(OpCodes.Call, MToBits); StX64(x, 0); }
    }
}
