// Inline SSE forms: the table of the legacy-encoded (non-VEX) SSE/SSE2 instruction forms a
// unit emits inline, memory operands, the MXCSR copy, and the cold paths for the two ways such
// a form can fault (a misaligned m128 operand, an unmasked MXCSR exception).
// Invariants:
// - XMM registers are cached in IL locals (UnitCompiler.XmmCache.cs); c.Mxcsr in a local (_mx)
//   refreshed after every fall-back and commit; the flag accumulator _fl is 0 between ops.
// - Each form mirrors its handler operand for operand and calls the same value-level method
//   (Fp64.TryFast/General, FpConvertOps.IntToF64General, SseInteger.PxorValue...); pure moves
//   only copy bits. Where a value method is "fast path, else general", the general part runs on
//   a cold path (UnitCompiler.ScalarFp.cs, EmitFastFp).
// - A form that may fault computes its result, and only after the check passed writes its
//   destination (as the handler: Mx.Commit comes before the write). The fault path first writes
//   the deferred flags, cached GPRs and XMM registers back, so the Cpu is exactly as a fall-back
//   would have left it, then raises the fault as the handler does (Mx.Fault, XmmOperands.Misaligned).
// Cold paths are emitted after the unit's epilogue (EmitColdPaths).
// The emitters live in UnitCompiler.ScalarFp.cs (floating point, conversions, comis) and
// UnitCompiler.Packed.cs (moves, packed integer and bitwise forms).
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Semantics.Sse;
using Label = System.Reflection.Emit.Label;

namespace Jitexec.Translator.Jit;

internal sealed unsafe partial class UnitCompiler
{
    private static readonly FieldInfo FMxcsr = typeof(Cpu).GetField(nameof(Cpu.Mxcsr))!;
    private static readonly MethodInfo MRecord = M(typeof(Mx), nameof(Mx.Record));
    private static readonly MethodInfo MFpFault = M(typeof(Mx), nameof(Mx.Fault));
    private static readonly MethodInfo MMisaligned = M(typeof(XmmOperands), nameof(XmmOperands.Misaligned));

    /// <summary>How a form's operands are read and its result written (see the emitters).</summary>
    private enum VShape : byte
    {
        // floating point (UnitCompiler.ScalarFp.cs)
        ScalarD, ScalarS, SqrtD, SqrtS, CmpD, CmpS, PackedD, PackedS, ComiD, ComiS,
        IntToD, IntToS, DToInt, SToInt, DToS, SToD, Conv64, Conv128,
        // moves, packed integer and bitwise (UnitCompiler.Packed.cs)
        Load128, Load128U, Store128, Store128U, GprToXmm, XmmToGpr, MovqLoad, MovqStore,
        MovssLoad, MovssStore, MovsdLoad, MovsdStore, LowLoad, HighLoad, LowStore, HighStore, Movhlps, Movlhps,
        Binary128, Unary128Imm, Binary128Imm, ShiftImm, ByteShiftImm, Mask,
    }

    /// <summary>A form: its shape, the value method, a shape-specific argument (e.g. truncate,
    /// signalling, the arithmetic kind), and optionally the value method's fast path (Fast), tried
    /// inline while Method, its general part, runs only on a cold path (EmitFastFp).</summary>
    private readonly record struct VForm(VShape Shape, MethodInfo? Method = null, int Arg = 0, MethodInfo? Fast = null);

    /// <summary>The inline SSE forms by Iced Code. Built on first use (some milliseconds of reflection),
    /// which units without SSE instructions never reach (MaybeVector).</summary>
    private static FormTable VForms => _vforms ??= BuildVForms();
    private static FormTable? _vforms;

    /// <summary>VForm by Iced Code: a flat array, not a Dictionary — a CoreLib generic instantiated
    /// over our own value type has no ReadyToRun code, so the runtime would compile its methods on
    /// first use, lengthening the first unit's compilation by milliseconds.</summary>
    private sealed class FormTable
    {
        private VForm[] _forms = new VForm[2048];
        private bool[] _has = new bool[2048];

        public VForm this[Code c]
        {
            set
            {
                int i = (int)c;
                if (i >= _forms.Length) // grown by hand: Array.Resize<VForm> would be compiled at run time too
                {
                    int n = Math.Max(2 * _forms.Length, i + 1);
                    var forms = new VForm[n];
                    var has = new bool[n];
                    Array.Copy(_forms, forms, _forms.Length);
                    Array.Copy(_has, has, _has.Length);
                    (_forms, _has) = (forms, has);
                }
                _forms[i] = value;
                _has[i] = true;
            }
        }

        public bool TryGetValue(Code c, out VForm f)
        {
            int i = (int)c;
            bool has = (uint)i < (uint)_has.Length && _has[i];
            f = has ? _forms[i] : default;
            return has;
        }
    }

    /// <summary>Cheap pre-test: every inline SSE form has an XMM operand, except cvt(t)sd2si/cvt(t)ss2si from memory.</summary>
    private static bool MaybeVector(ref Op op) => op.K0 == ArgKind.Xmm || op.K1 == ArgKind.Xmm
        || op.K0 == ArgKind.Reg && op.K1 == ArgKind.Mem && op.Insn.Mnemonic is Mnemonic.Cvtsd2si or Mnemonic.Cvttsd2si
            or Mnemonic.Cvtss2si or Mnemonic.Cvttss2si;

    private static FormTable BuildVForms()
    {
        var t = new FormTable();
        ScalarFpForms(t);
        PackedForms(t);
        return t;
    }

    /// <summary>Is op an SSE form emitted inline? (CanInline has checked it runs its registry handler.)</summary>
    private static bool CanInlineVector(ref Op op)
    {
        if (!MaybeVector(ref op) || !VForms.TryGetValue(op.Insn.Code, out var f)) return false;
        // Iced's Code fixes the operand kinds; only the register/memory choice varies.
        return f.Shape switch
        {
            VShape.Store128 or VShape.Store128U or VShape.MovqStore or VShape.MovssStore or VShape.MovsdStore
                => op.K1 == ArgKind.Xmm && (op.K0 == ArgKind.Xmm || op.K0 == ArgKind.Mem),
            VShape.LowStore or VShape.HighStore => op.K0 == ArgKind.Mem && op.K1 == ArgKind.Xmm,
            VShape.LowLoad or VShape.HighLoad => op.K0 == ArgKind.Xmm && op.K1 == ArgKind.Mem,
            VShape.XmmToGpr => RegOrMem(op.K0) && op.K1 == ArgKind.Xmm,
            VShape.DToInt or VShape.SToInt => op.K0 == ArgKind.Reg && (op.K1 == ArgKind.Xmm || op.K1 == ArgKind.Mem),
            VShape.Mask => op.K0 == ArgKind.Reg && op.K1 == ArgKind.Xmm,
            VShape.GprToXmm or VShape.IntToD or VShape.IntToS => op.K0 == ArgKind.Xmm && RegOrMem(op.K1),
            VShape.ShiftImm or VShape.ByteShiftImm => op.K0 == ArgKind.Xmm,
            VShape.Movhlps or VShape.Movlhps => op.K0 == ArgKind.Xmm && op.K1 == ArgKind.Xmm,
            _ => op.K0 == ArgKind.Xmm && (op.K1 == ArgKind.Xmm || op.K1 == ArgKind.Mem),
        };
    }

    private static bool IsComi(ref Op op) =>
        op.Insn.Mnemonic is Mnemonic.Comisd or Mnemonic.Ucomisd or Mnemonic.Comiss or Mnemonic.Ucomiss;

    /// <summary>Emit inline SSE op i; false if it is not one (the caller then reports the missing form).</summary>
    private bool EmitVector(int i)
    {
        ref Op op = ref _ops[i];
        if (!MaybeVector(ref op) || !VForms.TryGetValue(op.Insn.Code, out var f)) return false;
        SyncXmm(i);
        if (f.Shape <= VShape.Conv128) EmitScalarFp(i, f);
        else EmitPacked(i, f);
        return true;
    }

    // ---- memory operands ----

    /// <summary>Host pointer of op's memory operand into a temp; for an m128 that must be aligned,
    /// a misaligned address faults first (XmmOperands.Misaligned, #GP -> SIGSEGV).</summary>
    private LocalBuilder MemPtr(int i, bool aligned)
    {
        ref Op op = ref _ops[i];
        var il = _il;
        var p = TempPtr();
        LdHostPtr(ref op);
        il.Emit(OpCodes.Stloc, p);
        if (aligned)
        {
            // The reservation is page aligned, so the host pointer has the guest address's low bits.
            var bad = il.DefineLabel();
            il.Emit(OpCodes.Ldloc, p);
            il.Emit(OpCodes.Ldc_I4, 15);
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Brtrue, bad);
            int at = i;
            var state = SaveFaultState();
            _cold.Add(() =>
            {
                _il.MarkLabel(bad);
                LdEa(ref _ops[at]);
                _il.Emit(OpCodes.Stloc, FaultAddr);
                GoFault(state, at, misaligned: true);
            });
        }
        return p;
    }

    /// <summary>Operand 1's host pointer when it is an m128 (checked for alignment unless the form
    /// says otherwise), else null. Call with an empty IL stack: the check may branch to a cold path.</summary>
    private LocalBuilder? Src128Ptr(int i, bool aligned = true) =>
        _ops[i].K1 == ArgKind.Mem ? MemPtr(i, aligned) : null;

    /// <summary>Push operand 1 as Vector128 (XMM, or the m128 at <paramref name="p"/> from Src128Ptr, then freed).</summary>
    private void LdSrc128(int i, LocalBuilder? p)
    {
        if (p == null) { LdX128(_ops[i].R1); return; }
        _il.Emit(OpCodes.Ldloc, p);
        _il.Emit(OpCodes.Unaligned, (byte)1);
        _il.Emit(OpCodes.Ldobj, V128);
        Free(p);
    }

    /// <summary>Push operand 1's low 64 bits (XMM low qword or m64).</summary>
    private void LdSrc64(int i)
    {
        ref Op op = ref _ops[i];
        if (op.K1 == ArgKind.Xmm) { LdX64(op.R1); return; }
        LdHostPtr(ref op);
        LdMem(8);
    }

    /// <summary>Push operand 1's low 32 bits as a uint (XMM low dword or m32).</summary>
    private void LdSrc32(int i)
    {
        ref Op op = ref _ops[i];
        if (op.K1 == ArgKind.Xmm) { LdX32(op.R1); return; }
        LdHostPtr(ref op);
        _il.Emit(OpCodes.Unaligned, (byte)1);
        _il.Emit(OpCodes.Ldind_U4);
    }

    // ---- MXCSR exceptions ----

    // c.Mxcsr is copied into a local at the unit's entry and kept up to date: only fall-back
    // handlers (ldmxcsr, fxrstor, a committing SSE handler...) and the commit cold path write it,
    // and both refresh the copy. A loop of inline ops thus sees a loop-invariant MXCSR.
    private LocalBuilder _mx = null!;

    /// <summary>Push c.Mxcsr (the value methods' first argument).</summary>
    private void LdMxcsr(int i) => _il.Emit(OpCodes.Ldloc, _mx);

    /// <summary>_mx = c.Mxcsr (unit entry, after a fall-back handler).</summary>
    private void ReloadMxcsr()
    {
        LdCpu();
        _il.Emit(OpCodes.Ldfld, FMxcsr);
        _il.Emit(OpCodes.Stloc, _mx);
    }

    /// <summary>Before a value method call: push c.Mxcsr (the first argument). fl is 0 here.</summary>
    private void BeginFp(int i) => LdMxcsr(i);

    /// <summary>Push `ref fl` (the value method's last argument).</summary>
    private void LdFlRef() => _il.Emit(OpCodes.Ldloca, _fl);

    /// <summary>Mx.Commit(c, ref op, fl) for op i, after its value method: raised flags go to
    /// MXCSR on a cold path, which faults (SIGFPE at op.Ip) if one of them is unmasked.</summary>
    private void CommitFp(int i)
    {
        var il = _il;
        var cold = il.DefineLabel();
        var back = il.DefineLabel();
        il.Emit(OpCodes.Ldloc, _fl);
        il.Emit(OpCodes.Brtrue, cold);
        il.MarkLabel(back);
        var state = SaveFaultState();
        int at = i;
        _cold.Add(() =>
        {
            _il.MarkLabel(cold);
            EmitCommitCold(at, state, back);
        });
    }

    /// <summary>Cold path body, fl != 0: record the flags in MXCSR (refreshing the copy in _mx),
    /// clear fl and continue at <paramref name="back"/>, or fault if one is unmasked.</summary>
    private void EmitCommitCold(int at, FaultState state, Label back)
    {
        LdCpu();
        _il.Emit(OpCodes.Ldloc, _fl);
        EmitCall(MRecord);
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Stloc, _fl);
        LdCpu();
        _il.Emit(OpCodes.Ldfld, FMxcsr);
        _il.Emit(OpCodes.Stloc, _mx);
        _il.Emit(OpCodes.Brfalse, back);
        GoFault(state, at, misaligned: false);
    }

    // ---- cold paths (emitted after the epilogue) ----
    // A fault site only records the deferred flags (which differ per site), the op and, for a
    // misaligned operand, the address, then jumps to one shared fault block per kind, which
    // writes every register inline code may have changed back (their locals are always current,
    // so writing clean ones is harmless) and raises the fault as the handler would.

    private readonly List<Action> _cold = new();
    private LocalBuilder? _faultOp, _faultAddr;
    private Label? _fpFault, _misalignedFault;

    private LocalBuilder FaultAddr => _faultAddr ??= _il.DeclareLocal(typeof(ulong));

    /// <summary>The flag bookkeeping at an op (ResOp: cmp/test's result not yet computed, see LdFres).</summary>
    private readonly record struct FaultState(FlagKind Kind, int Size, bool FlagsDirty, OpCode? ResOp);

    private FaultState SaveFaultState() => new(_fKind, _fSize, _flagsDirty, _fresOp);

    /// <summary>In a cold path: record on the Cpu the flags as they were at the op whose state s is.</summary>
    private void MaterializeFlagsAt(FaultState s)
    {
        _fKind = s.Kind;
        _fSize = s.Size;
        _flagsDirty = s.FlagsDirty;
        _fresOp = s.ResOp;
        MaterializeFlags(permanent: true);
    }

    /// <summary>Cold path tail: materialise the flags as they were at op <paramref name="at"/> and
    /// continue at the shared fault block.</summary>
    private void GoFault(FaultState s, int at, bool misaligned)
    {
        MaterializeFlagsAt(s);
        _faultOp ??= _il.DeclareLocal(typeof(int));
        _il.Emit(OpCodes.Ldc_I4, at);
        _il.Emit(OpCodes.Stloc, _faultOp);
        Label l = misaligned ? (_misalignedFault ??= _il.DefineLabel()) : (_fpFault ??= _il.DefineLabel());
        _il.Emit(OpCodes.Br, l);
    }

    /// <summary>A shared fault block: write back every register, then Mx.Fault(c, ref ops[faultOp])
    /// or XmmOperands.Misaligned(c, ref ops[faultOp], faultAddr), which throw.</summary>
    private void EmitSharedFault(Label l, bool misaligned)
    {
        var il = _il;
        il.MarkLabel(l);
        _dirty = _written;
        FlushDirty();
        FlushXmm(_xwritten);
        LdCpu();
        LdOps();
        il.Emit(OpCodes.Ldloc, _faultOp!);
        il.Emit(OpCodes.Ldelema, typeof(Op));
        if (misaligned) il.Emit(OpCodes.Ldloc, FaultAddr);
        EmitCall(misaligned ? MMisaligned : MFpFault);
        il.Emit(OpCodes.Ldnull); // not reached: the call throws
        il.Emit(OpCodes.Throw);
    }

    /// <summary>Emit the collected cold paths (after the method's last return).</summary>
    private void EmitColdPaths()
    {
        for (int k = 0; k < _cold.Count; k++) _cold[k]();
        _cold.Clear();
        if (_fpFault is { } fp) EmitSharedFault(fp, misaligned: false);
        if (_misalignedFault is { } mis) EmitSharedFault(mis, misaligned: true);
    }
}
