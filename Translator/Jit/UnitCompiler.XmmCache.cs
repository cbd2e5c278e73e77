// XMM registers inside a compiled unit. Every XMM register an inline form touches lives in IL
// locals for the whole unit, like the guest GPRs: either its low lane as a double local holding
// the lane's bits (the high lane stays in the Cpu) when the unit mostly uses the low lane
// (scalar FP code: RyuJIT keeps it in a host XMM register, bit casts to the value methods'
// ulong operands are free, and the guest GPRs keep the host GPRs), or as one Vector128<ulong>
// local when it is mostly used whole (packed code).
// The Cpu's copy (c.Xmm, the lane array XmmFile.Lanes) is brought up to date before anything
// that may read it — a fall-back handler, a fault, leaving the unit — and the locals are
// reloaded after a fall-back that may write it. Invariants: within a block, _xdirty holds the
// cached registers whose locals differ from the Cpu; at a block start every register inline
// code may write (_xwritten) counts as dirty (the start is a merge point), as GPRs do.
// JITEXEC_JIT_XMM_NOCACHE=1 keeps every XMM register in the Cpu (for diagnosing the cache).
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using FlowControl = Iced.Intel.FlowControl;

namespace Jitexec.Translator.Jit;

internal sealed unsafe partial class UnitCompiler
{
    private static readonly FieldInfo FXmm = typeof(Cpu).GetField(nameof(Cpu.Xmm))!;
    private static readonly MethodInfo MLanes = typeof(XmmFile).GetProperty(nameof(XmmFile.Lanes), BindingFlags.NonPublic | BindingFlags.Instance)!.GetMethod!;
    private static readonly Type V128 = typeof(Vector128<ulong>);
    private static readonly MethodInfo MMake = M(typeof(XmmLanes), nameof(XmmLanes.Make));
    private static readonly MethodInfo MLo = M(typeof(XmmLanes), nameof(XmmLanes.Lo));
    private static readonly MethodInfo MHi = M(typeof(XmmLanes), nameof(XmmLanes.Hi));
    private static readonly MethodInfo MDword = M(typeof(XmmLanes), nameof(XmmLanes.Dword));
    private static readonly MethodInfo MWithLo = M(typeof(XmmLanes), nameof(XmmLanes.WithLo));
    private static readonly MethodInfo MWithHi = M(typeof(XmmLanes), nameof(XmmLanes.WithHi));
    private static readonly MethodInfo MWithDwordV = typeof(XmmLanes).GetMethod(nameof(XmmLanes.WithDword), [V128, typeof(int), typeof(uint)])!;
    private static readonly MethodInfo MWithDwordQ = typeof(XmmLanes).GetMethod(nameof(XmmLanes.WithDword), [typeof(ulong), typeof(int), typeof(uint)])!;

    private enum XRep : byte { None, Scalar, Vector }

    private readonly XRep[] _xrep = new XRep[16];
    private readonly LocalBuilder?[] _xlo = new LocalBuilder?[16], _xv = new LocalBuilder?[16];
    private LocalBuilder? _xmm;          // ref ulong: lane 0 of c.Xmm
    private uint _xwritten, _xdirty;
    private int _xSeen = -1;             // last op index _xdirty was brought up to
    private LocalBuilder _fl = null!;    // MXCSR exception flags raised by the current op
    private readonly List<LocalBuilder> _freeV128 = new();

    /// <summary>Prologue part: choose each touched XMM register's representation, declare its
    /// locals and load them from the Cpu.</summary>
    private void EmitVectorPrologue()
    {
        Span<int> scalar = stackalloc int[16], vector = stackalloc int[16];
        uint used = 0;
        bool any = false;
        for (int i = 0; i < _ops.Length; i++)
        {
            if (!_inline[i] || !MaybeVector(ref _ops[i]) || !VForms.TryGetValue(_ops[i].Insn.Code, out var f)) continue;
            any = true;
            ref Op op = ref _ops[i];
            int w = XmmWeight(f.Shape, ref op);
            for (int s = 0; s < 3; s++)
            {
                var (k, r) = s switch { 0 => (op.K0, op.R0), 1 => (op.K1, op.R1), _ => (op.K2, op.R2) };
                if (k != ArgKind.Xmm) continue;
                used |= 1u << r;
                if (w > 0) vector[r]++; else if (w < 0) scalar[r]++;
            }
            if (op.K0 == ArgKind.Xmm && f.Shape is not (VShape.ComiD or VShape.ComiS)) _xwritten |= 1u << op.R0;
        }
        if (!any) return;
        var il = _il;
        _fl = il.DeclareLocal(typeof(uint));
        _mx = il.DeclareLocal(typeof(uint));
        il.Emit(OpCodes.Ldc_I4_0);          // fl is 0 between ops: the commit cold path resets it
        il.Emit(OpCodes.Stloc, _fl);
        ReloadMxcsr();
        _hostFp = ChooseHostFp(); // the run loop clears the host flags before it enters the unit
        if (used == 0) return;
        _xmm = il.DeclareLocal(typeof(ulong).MakeByRefType());
        LdCpu();
        il.Emit(OpCodes.Ldflda, FXmm);
        EmitCall(MLanes);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Ldelema, typeof(ulong));
        il.Emit(OpCodes.Stloc, _xmm);
        bool noCache = Environment.GetEnvironmentVariable("JITEXEC_JIT_XMM_NOCACHE") != null;
        for (int x = 0; x < 16; x++)
        {
            if ((used & (1u << x)) == 0 || noCache) continue;
            if (vector[x] > scalar[x]) { _xrep[x] = XRep.Vector; _xv[x] = il.DeclareLocal(V128); }
            else { _xrep[x] = XRep.Scalar; _xlo[x] = il.DeclareLocal(typeof(double)); }
        }
        if (noCache) _xwritten = 0;
        ReloadXmm(used);
    }

    /// <summary>-1: the form uses its XMM operands' low lane; +1: whole registers; 0: either (register copies).</summary>
    private static int XmmWeight(VShape s, ref Op op) => s switch
    {
        VShape.PackedD or VShape.PackedS or VShape.Conv64 or VShape.Conv128 or VShape.Binary128 or VShape.Unary128Imm or VShape.Binary128Imm
            or VShape.ShiftImm or VShape.ByteShiftImm or VShape.Mask => 1,
        VShape.Load128 or VShape.Load128U or VShape.Store128 or VShape.Store128U =>
            op.K0 == ArgKind.Xmm && op.K1 == ArgKind.Xmm ? 0 : 1,
        _ => -1,
    };

    /// <summary>Push the address of byte <paramref name="offset"/> of XMM register x in the Cpu.</summary>
    private void XmmAddr(int x, int offset = 0)
    {
        _il.Emit(OpCodes.Ldloc, _xmm!);
        int o = x * 16 + offset;
        if (o == 0) return;
        _il.Emit(OpCodes.Ldc_I4, o);
        _il.Emit(OpCodes.Add);
    }

    // ---- flush / reload ----

    /// <summary>Bring _xdirty up to op i: a block start in between makes every written register dirty.</summary>
    private void SyncXmm(int i)
    {
        for (int j = _xSeen + 1; j <= i; j++)
            if (StartsMember(j)) _xdirty = _xwritten;
        if (i > _xSeen) _xSeen = i;
    }

    /// <summary>Before op i runs its interpreter handler: write dirty cached XMM registers back.</summary>
    private void FlushXmmBefore(int i)
    {
        SyncXmm(i);
        FlushXmm(_xdirty);
        _xdirty = 0;
    }

    /// <summary>After op i's handler: reload the cached registers (and the MXCSR copy) it may have written.</summary>
    private void ReloadXmmAfter(int i)
    {
        if (_fl == null) return; // no inline SSE op in this unit
        ReloadXmm(XmmWrittenByHandler(ref _ops[i]));
        ReloadMxcsr();
    }

    /// <summary>Write the cached registers in <paramref name="mask"/> to the Cpu (does not change _xdirty).</summary>
    private void FlushXmm(uint mask)
    {
        var il = _il;
        for (int x = 0; x < 16; x++)
        {
            if ((mask & (1u << x)) == 0) continue;
            switch (_xrep[x])
            {
                case XRep.Scalar:
                    XmmAddr(x); il.Emit(OpCodes.Ldloc, _xlo[x]!); il.Emit(OpCodes.Stind_R8);
                    break;
                case XRep.Vector:
                    XmmAddr(x); il.Emit(OpCodes.Ldloc, _xv[x]!); il.Emit(OpCodes.Stobj, V128);
                    break;
            }
        }
    }

    private void ReloadXmm(uint mask)
    {
        var il = _il;
        for (int x = 0; x < 16; x++)
        {
            if ((mask & (1u << x)) == 0) continue;
            switch (_xrep[x])
            {
                case XRep.Scalar:
                    XmmAddr(x); il.Emit(OpCodes.Ldind_R8); il.Emit(OpCodes.Stloc, _xlo[x]!);
                    break;
                case XRep.Vector:
                    XmmAddr(x); il.Emit(OpCodes.Ldobj, V128); il.Emit(OpCodes.Stloc, _xv[x]!);
                    break;
            }
        }
    }

    /// <summary>Cached-XMM view of WrittenByHandler (nothing when the unit caches no XMM register).</summary>
    private uint XmmWrittenByHandler(ref Op op) => _xmm == null ? 0 : WrittenByHandler(ref op).Xmms;

    // A Scalar register's low lane is a double local: RyuJIT keeps it in a host XMM register, so a
    // chain of FP ops stays in XMM registers (the bit casts to and from the value methods' ulong
    // operands fold away) and the cached lanes do not compete with the guest GPRs for registers.
    private static readonly MethodInfo MToBits = typeof(BitConverter).GetMethod(nameof(BitConverter.DoubleToUInt64Bits), [typeof(double)])!;
    private static readonly MethodInfo MFromBits = typeof(BitConverter).GetMethod(nameof(BitConverter.UInt64BitsToDouble), [typeof(ulong)])!;

    /// <summary>Push a Scalar register's low lane as a ulong.</summary>
    private void LdLo(int x)
    {
        _il.Emit(OpCodes.Ldloc, _xlo[x]!);
        EmitCall(MToBits);
    }

    /// <summary>A Scalar register's low lane = the ulong on the IL stack.</summary>
    private void StLo(int x)
    {
        EmitCall(MFromBits);
        _il.Emit(OpCodes.Stloc, _xlo[x]!);
    }

    // ---- lane access (the IL stack holds ulong lanes, uint dwords, Vector128<ulong> registers) ----
    // A Scalar register keeps only its low lane in a local; its high lane stays in the Cpu.

    private void LdX64(int x, int lane = 0)
    {
        var il = _il;
        if (_xrep[x] == XRep.Scalar && lane == 0) { LdLo(x); return; }
        if (_xrep[x] == XRep.Vector) { il.Emit(OpCodes.Ldloc, _xv[x]!); EmitCall(lane == 0 ? MLo : MHi); return; }
        XmmAddr(x, lane * 8);
        il.Emit(OpCodes.Ldind_I8);
    }

    private void LdX32(int x, int dword = 0)
    {
        var il = _il;
        if (_xrep[x] == XRep.Scalar && dword < 2)
        {
            LdLo(x);
            if (dword != 0) { il.Emit(OpCodes.Ldc_I4, 32); il.Emit(OpCodes.Shr_Un); }
            il.Emit(OpCodes.Conv_U4);
            return;
        }
        if (_xrep[x] == XRep.Vector) { il.Emit(OpCodes.Ldloc, _xv[x]!); il.Emit(OpCodes.Ldc_I4, dword); EmitCall(MDword); return; }
        XmmAddr(x, dword * 4);
        il.Emit(OpCodes.Ldind_U4);
    }

    private void LdX128(int x)
    {
        var il = _il;
        switch (_xrep[x])
        {
            case XRep.Scalar: LdLo(x); XmmAddr(x, 8); il.Emit(OpCodes.Ldind_I8); EmitCall(MMake); return;
            case XRep.Vector: il.Emit(OpCodes.Ldloc, _xv[x]!); return;
        }
        XmmAddr(x);
        il.Emit(OpCodes.Ldobj, V128);
    }

    /// <summary>Lane <paramref name="lane"/> of XMM x = the ulong on the IL stack.</summary>
    private void StX64(int x, int lane)
    {
        var il = _il;
        if (_xrep[x] == XRep.Scalar && lane == 0) { _xdirty |= 1u << x; StLo(x); return; }
        var t = Temp();
        il.Emit(OpCodes.Stloc, t);
        if (_xrep[x] == XRep.Vector)
        {
            _xdirty |= 1u << x;
            il.Emit(OpCodes.Ldloc, _xv[x]!); il.Emit(OpCodes.Ldloc, t); EmitCall(lane == 0 ? MWithLo : MWithHi);
            il.Emit(OpCodes.Stloc, _xv[x]!);
        }
        else { XmmAddr(x, lane * 8); il.Emit(OpCodes.Ldloc, t); il.Emit(OpCodes.Stind_I8); }
        Free(t);
    }

    /// <summary>Dword <paramref name="dword"/> of XMM x = the low 32 bits of the value (int32, uint or ulong) on the IL stack.</summary>
    private void StX32(int x, int dword)
    {
        var il = _il;
        var v = Temp();
        il.Emit(OpCodes.Conv_U4);
        il.Emit(OpCodes.Conv_U8);
        il.Emit(OpCodes.Stloc, v);
        if (_xrep[x] == XRep.Scalar && dword < 2)
        {
            _xdirty |= 1u << x;
            LdLo(x); il.Emit(OpCodes.Ldc_I4, dword); il.Emit(OpCodes.Ldloc, v); il.Emit(OpCodes.Conv_U4);
            EmitCall(MWithDwordQ);
            StLo(x);
        }
        else if (_xrep[x] == XRep.Vector)
        {
            _xdirty |= 1u << x;
            il.Emit(OpCodes.Ldloc, _xv[x]!); il.Emit(OpCodes.Ldc_I4, dword); il.Emit(OpCodes.Ldloc, v); il.Emit(OpCodes.Conv_U4);
            EmitCall(MWithDwordV);
            il.Emit(OpCodes.Stloc, _xv[x]!);
        }
        else { XmmAddr(x, dword * 4); il.Emit(OpCodes.Ldloc, v); il.Emit(OpCodes.Conv_U4); il.Emit(OpCodes.Stind_I4); }
        Free(v);
    }

    /// <summary>XMM x = the Vector128 on the IL stack.</summary>
    private void StX128(int x)
    {
        var il = _il;
        if (_xrep[x] == XRep.Vector) { _xdirty |= 1u << x; il.Emit(OpCodes.Stloc, _xv[x]!); return; }
        var t = TempV128();
        il.Emit(OpCodes.Stloc, t);
        if (_xrep[x] == XRep.Scalar)
        {
            _xdirty |= 1u << x;
            il.Emit(OpCodes.Ldloc, t); EmitCall(MLo); StLo(x);
            XmmAddr(x, 8); il.Emit(OpCodes.Ldloc, t); EmitCall(MHi); il.Emit(OpCodes.Stind_I8);
        }
        else { XmmAddr(x); il.Emit(OpCodes.Ldloc, t); il.Emit(OpCodes.Stobj, V128); }
        _freeV128.Add(t);
    }

    /// <summary>XMM x = XMM y (a whole-register copy, without assembling a vector when both are Scalar).</summary>
    private void CopyX128(int x, int y)
    {
        if (_xrep[x] == XRep.Scalar && _xrep[y] == XRep.Scalar)
        {
            LdX64(y, 0); StX64(x, 0);
            LdX64(y, 1); StX64(x, 1);
            return;
        }
        LdX128(y);
        StX128(x);
    }

    private LocalBuilder TempV128()
    {
        if (_freeV128.Count == 0) return _il.DeclareLocal(V128);
        var l = _freeV128[^1];
        _freeV128.RemoveAt(_freeV128.Count - 1);
        return l;
    }
}
