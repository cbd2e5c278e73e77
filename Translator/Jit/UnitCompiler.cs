// Compiles a unit (Block[] members, see RegionBuilder) into one DynamicMethod
//   static int Run(Op[] ops, Cpu c, int entry)  -> exit index; c.Rip = where to continue
// bound to its ops array as a closed delegate (no shuffle thunk on invocation).
// Layout: prologue (load the guest registers the unit uses into IL locals, switch on the
// entry: only members UnitEntries predicts control arrives at from outside), one labelled
// body per member block, and a shared epilogue that writes back the registers the unit may have modified and counts retired instructions (UnitCompiler.Count.cs:
// a loop iteration adds its count once, on its back-edge, not once per block).
// Each op is either emitted inline (UnitCompiler.Forms.cs: operands from locals, memory
// as a raw pointer access, then a call to the same value-level semantic method the
// interpreter's handler uses) or falls back to the interpreter handler itself, called via
// calli with `ref ops[i]` after writing dirty registers back, reloading what it may write.
// Edges to member blocks are IL branches — direct ones statically, indirect ones (ret,
// call/jmp through a register) by comparing the target with the member starts observed
// there (an inline cache); loop back-edges check the engine's attention word (guest code
// written, or Engine.RequestStop) so a loop cannot run stale code or ignore a stop request.
// They need not check Cpu.Halted as well: a syscall (exit_group) always leaves the unit.
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Memory;
using Label = System.Reflection.Emit.Label;
using FlowControl = Iced.Intel.FlowControl;

namespace Jitexec.Translator.Jit;

[RequiresDynamicCode("The JIT tier generates code with DynamicMethod.")]
internal sealed unsafe partial class UnitCompiler
{
    private static readonly FieldInfo FR = typeof(Cpu).GetField(nameof(Cpu.R))!;
    private static readonly FieldInfo FRip = typeof(Cpu).GetField(nameof(Cpu.Rip))!;
    private static readonly FieldInfo FRetired = typeof(Cpu).GetField(nameof(Cpu.InstructionsRetired))!;
    private static readonly FieldInfo FMem = typeof(Cpu).GetField(nameof(Cpu.Mem))!;
    private static readonly FieldInfo FMemMask = typeof(GuestMemory).GetField(nameof(GuestMemory.AddressMask))!;
    private static readonly FieldInfo FMemBase = typeof(GuestMemory).GetField(nameof(GuestMemory.Base))!;
    private static readonly Type[] Params = [typeof(Op[]), typeof(Cpu), typeof(int)];
    private static readonly Type[] HandlerParams = [typeof(Cpu), typeof(Op).MakeByRefType()];

    private readonly Block[] _members;
    private readonly Op[] _ops;
    private readonly int[] _first;       // index in _ops of each member's first op
    private readonly bool[] _inline;     // per op: emitted inline
    private readonly ulong _memBase;
    private readonly int* _attention;    // the engine's attention word (Engine: code written or stop requested; may be null)
    private readonly DynamicMethod _dm;
    private readonly ILGenerator _il;
    private readonly LocalBuilder?[] _reg = new LocalBuilder?[16];
    private uint _cached;                // registers held in locals
    private uint _written;               // registers inline code may modify (written back at exits)
    private uint _dirty;                 // registers whose local differs from c.R at this point
    private readonly Label[] _blockLabel;
    private Label _exitLabel;
    private LocalBuilder _exitId = null!, _icount = null!, _ripTemp = null!;
    private readonly List<Block?> _exitFrom = new();
    private InstructionInfoFactory? _info;
    public int InlineOps { get; private set; }

    private UnitCompiler(Block[] members, GuestMemory mem, int* attention)
    {
        _members = members;
        _memBase = mem.HostBase;
        _attention = attention;
        _first = new int[members.Length];
        int count = 0;
        for (int k = 0; k < members.Length; k++)
        {
            _first[k] = count;
            count += members[k].Ops.Length;
        }
        _ops = new Op[count]; // an array copy, not List<Op>: no runtime-compiled generic code (see FormTable)
        for (int k = 0; k < members.Length; k++) members[k].Ops.CopyTo(_ops, _first[k]);
        _inline = new bool[_ops.Length];
        _dm = new DynamicMethod($"jit_{members[0].Start:x}", typeof(int), Params, typeof(UnitCompiler).Module, skipVisibility: true);
        _il = _dm.GetILGenerator(256 + _ops.Length * 64);
        _blockLabel = new Label[members.Length];
    }

    /// <summary>Compile the unit. The returned code has been run once in warm-up mode, so
    /// RyuJIT has already produced native code (on the calling thread).</summary>
    public static JitUnit Compile(Block[] members, GuestMemory mem, int* attention, bool inlineForms, bool hostFpFlags, out int inlineOps)
        => Compile(members, mem, attention, inlineForms, hostFpFlags, out inlineOps, null, null);

    /// <summary>As above; <paramref name="entries"/> says at which members the unit can be entered (null:
    /// all; UnitEntries.Predict), and the ops run through their handler go to <paramref name="fallbacks"/> (for the trace).</summary>
    public static JitUnit Compile(Block[] members, GuestMemory mem, int* attention, bool inlineForms, bool hostFpFlags, out int inlineOps,
        System.Text.StringBuilder? fallbacks, bool[]? entries)
    {
        var uc = new UnitCompiler(members, mem, attention) { _hostFpAllowed = hostFpFlags && !members.Any(m => m.NoHostFp) };
        uc._entryOf = EntryIndexes(members.Length, entries);
        var code = uc.Emit(inlineForms);
        code(null!, 0);
        inlineOps = uc.InlineOps;
        for (int i = 0; fallbacks != null && i < uc._ops.Length; i++)
            if (!uc._inline[i]) fallbacks.Append($" {uc._ops[i].Insn.IP:x}:{uc._ops[i].Insn.Code}");
        return new JitUnit(code, uc._ops, members, uc._exitFrom.ToArray(), uc._entryOf) { HostFpFlags = uc._hostFp, SideExitStart = uc._sideExitStart };
    }

    /// <summary>Per member: its case in the entry switch, or -1 when the unit cannot be entered there.</summary>
    private int[] _entryOf = [];

    private static int[] EntryIndexes(int n, bool[]? entries)
    {
        var of = new int[n];
        int next = 0;
        for (int k = 0; k < n; k++) of[k] = entries == null || k == 0 || entries[k] ? next++ : -1;
        return of;
    }

    private void LdCpu() => _il.Emit(OpCodes.Ldarg_1);
    private void LdOps() => _il.Emit(OpCodes.Ldarg_0);

    private JitCode Emit(bool inlineForms)
    {
        for (int i = 0; i < _ops.Length; i++)
        {
            if (!inlineForms || !CanInline(ref _ops[i])) continue;
            _inline[i] = true;
            InlineOps++;
            RegisterUse(ref _ops[i], out uint used, out uint written);
            _cached |= used;
            _written |= written;
        }
        var il = _il;
        _exitLabel = il.DefineLabel();
        _exitId = il.DeclareLocal(typeof(int));
        _icount = il.DeclareLocal(typeof(ulong));
        _ripTemp = il.DeclareLocal(typeof(ulong));
        DeclareFlagLocals();
        for (int k = 0; k < _members.Length; k++) _blockLabel[k] = il.DefineLabel();

        // Warm-up call: c == null returns at once.
        var start = il.DefineLabel();
        LdCpu();
        il.Emit(OpCodes.Brtrue, start);
        il.Emit(OpCodes.Ldc_I4_M1);
        il.Emit(OpCodes.Ret);
        il.MarkLabel(start);
        for (int r = 0; r < 16; r++)
        {
            if ((_cached & (1u << r)) == 0) continue;
            _reg[r] = il.DeclareLocal(typeof(ulong));
        }
        _maskLocal = il.DeclareLocal(typeof(ulong));
        _baseLocal = il.DeclareLocal(typeof(nint));
        LdCpu();
        il.Emit(OpCodes.Ldfld, FMem);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Ldfld, FMemMask);
        il.Emit(OpCodes.Stloc, _maskLocal);
        il.Emit(OpCodes.Ldfld, FMemBase);
        il.Emit(OpCodes.Stloc, _baseLocal);
        _gprs = il.DeclareLocal(typeof(ulong[]));
        ReloadRegisters(_cached);
        EmitVectorPrologue();
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Conv_U8);
        il.Emit(OpCodes.Stloc, _icount);
        EmitHostReadyCheck();
        ComputeFlagLiveness();
        ComputeCountPotentials();
        EmitEntries();
        for (int k = 0; k < _members.Length; k++) EmitBlock(k);

        // Shared epilogue: write back modified registers, count instructions, return the exit.
        il.MarkLabel(_exitLabel);
        _dirty = _written;
        FlushDirty();
        FlushXmm(_xwritten);
        LdCpu();
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Ldfld, FRetired);
        il.Emit(OpCodes.Ldloc, _icount);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Stfld, FRetired);
        il.Emit(OpCodes.Ldloc, _exitId);
        il.Emit(OpCodes.Ret);
        _sideExitStart = _exitFrom.Count; // cold paths add no other exits
        EmitColdPaths();
        return (JitCode)_dm.CreateDelegate(typeof(JitCode), _ops);
    }

    private void EmitBlock(int k)
    {
        var il = _il;
        var b = _members[k];
        il.MarkLabel(_blockLabel[k]);
        _dirty = _written; // conservative at a merge point
        _fKnown = _flagsDirty = false; // flags at a block's start are in the Cpu (or dead)
        _current = k;
        int first = _first[k], end = first + b.Ops.Length;
        for (int i = first; i < end; i++)
        {
            bool last = i == end - 1;
            if (_inline[i])
            {
                if (EmitInline(i, k, last)) return; // the form ended the block itself
                continue;
            }
            EmitFallback(i, b, last);
        }
        // The block ends after a fall-back op or a non-branching inline op.
        ref Op lastOp = ref _ops[end - 1];
        bool syscall = lastOp.Insn.Mnemonic == Mnemonic.Syscall;
        if (!_inline[end - 1] && (syscall || lastOp.Insn.FlowControl != FlowControl.Next))
        {
            if (!syscall && lastOp.Insn.FlowControl == FlowControl.ConditionalBranch && lastOp.K0 == ArgKind.Imm)
            {
                var taken = il.DefineLabel();
                LdCpu();
                il.Emit(OpCodes.Ldfld, FRip);
                il.Emit(OpCodes.Ldc_I8, (long)lastOp.Imm);
                il.Emit(OpCodes.Beq, taken);
                Edge(k, b.End);
                il.MarkLabel(taken);
                Edge(k, lastOp.Imm);
                return;
            }
            LdCpu();
            il.Emit(OpCodes.Ldfld, FRip);
            if (syscall) ExitDynamic(null); // after a syscall always return to the run loop
            else DynamicEdge(k);
            return;
        }
        Edge(k, b.End);
    }

    /// <summary>Continue at guest address <paramref name="target"/> from member <paramref name="from"/>.</summary>
    private void Edge(int from, ulong target)
    {
        var il = _il;
        int t = MemberAt(target);
        if (t < 0) { ExitTo(target); return; }
        if (_flagsLiveIn[t]) MaterializeFlags(permanent: false);
        if (t > from || _attention == null)
        {
            CountEdge(from, t);
            il.Emit(OpCodes.Br, _blockLabel[t]);
            return;
        }
        // Back-edge: leave if guest code was written (it may be this loop) or a stop was requested.
        // The edge is counted first (and uncounted on the way out): the hot path stays one block.
        var leave = il.DefineLabel();
        CountEdge(from, t);
        il.Emit(OpCodes.Ldc_I8, (long)_attention);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Volatile);
        il.Emit(OpCodes.Ldind_I4);
        il.Emit(OpCodes.Brtrue, leave);
        il.Emit(OpCodes.Br, _blockLabel[t]);
        il.MarkLabel(leave);
        UncountEdge(from, t);
        ExitTo(target);
    }

    /// <summary>Continue at the guest address on the IL stack: branch to a member observed
    /// as a target of this block's indirect exit, else leave the unit. A few targets are
    /// compared one by one; more (an interpreter's dispatch: perl's runloop calls ~10 pp_
    /// functions through one `call *0x10(%rax)`) go through a jump table indexed by a
    /// collision-free hash of the address, then one compare (UnitCompiler.Dispatch.cs).</summary>
    private void DynamicEdge(int from)
    {
        var il = _il;
        var b = _members[from];
        var inUnit = new List<ulong>();
        for (int i = 0; i < b.TargetCount; i++)
            if (MemberAt(b.Targets![i]) >= 0) inUnit.Add(b.Targets![i]);
        if (inUnit.Count == 0) { ExitDynamic(b); return; }
        il.Emit(OpCodes.Stloc, _ripTemp);
        if (inUnit.Count < HashedDispatchMin || !EmitHashedDispatch(from, inUnit))
        {
            foreach (ulong target in inUnit)
            {
                var next = il.DefineLabel();
                il.Emit(OpCodes.Ldloc, _ripTemp);
                il.Emit(OpCodes.Ldc_I8, (long)target);
                il.Emit(OpCodes.Bne_Un, next);
                Edge(from, target);
                il.MarkLabel(next);
            }
        }
        il.Emit(OpCodes.Ldloc, _ripTemp);
        ExitDynamic(b);
    }

    private bool[] _flagsLiveIn = [];
    /// <summary>Per member: the members it may continue to inside the unit (BlockSuccessors, set by ComputeFlagLiveness).</summary>
    private List<int>[] _successors = [];

    /// <summary>Per member: may the arithmetic flags at its start be read (by an op, a fall-back,
    /// or an exit) before an op overwrites them all? If not, edges into it need not record them.</summary>
    private void ComputeFlagLiveness()
    {
        int n = _members.Length;
        var live = new bool[n];
        var local = new sbyte[n];          // 1 live, 0 dead, -1 transparent (decided by successors)
        var succ = _successors = new List<int>[n];
        var exits = new bool[n];
        for (int k = 0; k < n; k++)
        {
            local[k] = -1;
            int first = _first[k], end = first + _members[k].Ops.Length;
            for (int i = first; i < end && local[k] < 0; i++)
            {
                var role = _inline[i] ? FlagRole(ref _ops[i]) : FlagUse.Read;
                if (role == FlagUse.Read) local[k] = 1;
                else if (role == FlagUse.Overwrite) local[k] = 0;
            }
            succ[k] = new List<int>();
            exits[k] = BlockSuccessors(k, succ[k]);
        }
        for (bool changed = true; changed;)
        {
            changed = false;
            for (int k = 0; k < n; k++)
            {
                if (live[k]) continue;
                bool v = local[k] switch { 1 => true, 0 => false, _ => exits[k] || succ[k].Exists(t => live[t]) };
                if (v) { live[k] = changed = true; }
            }
        }
        _flagsLiveIn = live;

        // Per op: may the flags it leaves be read (by an op, a fall-back or an exit)?
        _flagsLiveAfter = new bool[_ops.Length];
        for (int k = 0; k < n; k++)
        {
            bool l = exits[k] || succ[k].Exists(t => live[t]);
            int first = _first[k];
            for (int i = first + _members[k].Ops.Length - 1; i >= first; i--)
            {
                _flagsLiveAfter[i] = l;
                var role = _inline[i] ? FlagRole(ref _ops[i]) : FlagUse.Read;
                if (role == FlagUse.Read) l = true;
                else if (role == FlagUse.Overwrite) l = false;
            }
        }
    }

    private bool[] _flagsLiveAfter = [];

    /// <summary>Members a block may continue to inside the unit; returns true if it may also leave.</summary>
    private bool BlockSuccessors(int k, List<int> into)
    {
        var b = _members[k];
        int last = _first[k] + b.Ops.Length - 1;
        ref Op op = ref _ops[last];
        var m = op.Insn.Mnemonic;
        if (m == Mnemonic.Syscall) return true;
        bool exits = false;
        void Static(ulong a) { int t = MemberAt(a); if (t >= 0) into.Add(t); else exits = true; }
        switch (op.Insn.FlowControl)
        {
            case FlowControl.Next: Static(b.End); break;
            case FlowControl.UnconditionalBranch or FlowControl.Call when op.K0 == ArgKind.Imm: Static(op.Imm); break;
            case FlowControl.ConditionalBranch when op.K0 == ArgKind.Imm: Static(op.Imm); Static(b.End); break;
            default:
                exits = true;
                for (int i = 0; i < b.TargetCount; i++) { int t = MemberAt(b.Targets![i]); if (t >= 0) into.Add(t); }
                break;
        }
        return exits;
    }

    /// <summary>The member whose ops include op i.</summary>
    private int MemberOfOp(int i)
    {
        int k = _first.Length - 1;
        while (_first[k] > i) k--;
        return k;
    }

    /// <summary>Does a member's first op sit at index i?</summary>
    private bool StartsMember(int i)
    {
        foreach (int f in _first) if (f == i) return true;
        return false;
    }

    private int MemberAt(ulong addr)
    {
        for (int k = 0; k < _members.Length; k++) if (_members[k].Start == addr) return k;
        return -1;
    }

    private int _sideExitStart;

    /// <summary>Leave the unit for a static guest address.</summary>
    private void ExitTo(ulong target)
    {
        MaterializeFlags(permanent: false);
        CountExit();
        LdCpu();
        _il.Emit(OpCodes.Ldc_I8, (long)target);
        _il.Emit(OpCodes.Stfld, FRip);
        Leave();
    }

    /// <summary>A new exit through the shared epilogue, c.Rip as it is (flags already recorded).</summary>
    private void Leave()
    {
        _il.Emit(OpCodes.Ldc_I4, _exitFrom.Count);
        _exitFrom.Add(null);
        _il.Emit(OpCodes.Stloc, _exitId);
        _il.Emit(OpCodes.Br, _exitLabel);
    }

    /// <summary>Leave the unit for the guest address on the IL stack (from: the block, for target profiling).</summary>
    private void ExitDynamic(Block? from)
    {
        var il = _il;
        il.Emit(OpCodes.Stloc, _ripTemp);
        MaterializeFlags(permanent: false);
        CountExit();
        LdCpu();
        il.Emit(OpCodes.Ldloc, _ripTemp);
        il.Emit(OpCodes.Stfld, FRip);
        il.Emit(OpCodes.Ldc_I4, _exitFrom.Count);
        _exitFrom.Add(from);
        il.Emit(OpCodes.Stloc, _exitId);
        il.Emit(OpCodes.Br, _exitLabel);
    }

    /// <summary>Run op i through its interpreter handler.</summary>
    private void EmitFallback(int i, Block b, bool last)
    {
        var il = _il;
        FlushDirty();
        FlushXmmBefore(i);
        ForgetFlags();
        if (last)
        {
            LdCpu();
            il.Emit(OpCodes.Ldc_I8, (long)b.End);
            il.Emit(OpCodes.Stfld, FRip);
        }
        CallHandler(i);
        ReloadRegisters(_cached & WrittenByHandler(ref _ops[i]).Gprs);
        ReloadXmmAfter(i);
    }

    /// <summary>calli op i's interpreter handler with (c, ref ops[i]) (in host-flags mode, with the
    /// host's flags collected before and cleared after).</summary>
    private void CallHandler(int i)
    {
        CollectHostFlags();
        LdCpu();
        LdOps();
        _il.Emit(OpCodes.Ldc_I4, i);
        _il.Emit(OpCodes.Ldelema, typeof(Op));
        _il.Emit(OpCodes.Ldc_I8, (long)(nint)_ops[i].Exec);
        _il.Emit(OpCodes.Conv_I);
        _il.EmitCalli(OpCodes.Calli, System.Reflection.CallingConventions.Standard, typeof(void), HandlerParams, null);
        ClearHostFlags();
    }

    /// <summary>Registers op's interpreter handler may write, from Iced's used-register info: full
    /// GPRs and XMM registers (bit per register). Syscalls, control transfers and unknown handlers
    /// may write anything (the kernel, a signal frame...); the state restores (fxrstor/xrstor)
    /// write every XMM register.</summary>
    private (uint Gprs, uint Xmms) WrittenByHandler(ref Op op)
    {
        var m = op.Insn.Mnemonic;
        if (m == Mnemonic.Syscall || op.Insn.FlowControl != FlowControl.Next || op.Exec == null) return (0xFFFF, 0xFFFF);
        _info ??= new InstructionInfoFactory();
        var info = _info.GetInfo(in op.Insn);
        uint gprs = 0;
        uint xmms = m is Mnemonic.Fxrstor or Mnemonic.Fxrstor64 or Mnemonic.Xrstor or Mnemonic.Xrstor64
            or Mnemonic.Xrstors or Mnemonic.Xrstors64 ? 0xFFFFu : 0;
        foreach (var u in info.GetUsedRegisters())
        {
            if (u.Access is OpAccess.Read or OpAccess.CondRead or OpAccess.None or OpAccess.NoMemAccess) continue;
            var r = u.Register;
            if (r.IsGPR()) gprs |= 1u << r.GetFullRegister().GetNumber();
            else if (r.IsXMM()) xmms |= 1u << (r - Register.XMM0);
            else if (r.IsYMM()) xmms |= 1u << (r - Register.YMM0);
            else if (r.IsZMM()) xmms |= 1u << (r - Register.ZMM0);
        }
        return (gprs, xmms & 0xFFFF);
    }

    // ---- register cache ----

    // Cpu.R (a readonly ulong[16]) is loaded into this local at each reload/flush, never kept
    // across the unit: a reference live everywhere only took a host register from the guest's.
    private LocalBuilder _gprs = null!;
    // Guest memory translation (GuestToHost): the address mask and the host base.
    private LocalBuilder _maskLocal = null!, _baseLocal = null!;

    private void LoadGprArray()
    {
        LdCpu();
        _il.Emit(OpCodes.Ldfld, FR);
        _il.Emit(OpCodes.Stloc, _gprs);
    }

    private void ReloadRegisters(uint mask)
    {
        if (mask != 0) LoadGprArray();
        for (int r = 0; r < 16; r++)
        {
            if ((mask & (1u << r)) == 0) continue;
            _il.Emit(OpCodes.Ldloc, _gprs);
            _il.Emit(OpCodes.Ldc_I4, r);
            _il.Emit(OpCodes.Ldelem_I8);
            _il.Emit(OpCodes.Stloc, _reg[r]!);
        }
    }

    private void FlushDirty()
    {
        if (_dirty != 0) LoadGprArray();
        for (int r = 0; r < 16; r++)
        {
            if ((_dirty & (1u << r)) == 0) continue;
            _il.Emit(OpCodes.Ldloc, _gprs);
            _il.Emit(OpCodes.Ldc_I4, r);
            _il.Emit(OpCodes.Ldloc, _reg[r]!);
            _il.Emit(OpCodes.Stelem_I8);
        }
        _dirty = 0;
    }

    private readonly List<LocalBuilder> _freeU64 = new(), _freePtr = new();

    private LocalBuilder Temp() => Take(_freeU64, typeof(ulong));
    private LocalBuilder TempPtr() => Take(_freePtr, typeof(nint));

    private LocalBuilder Take(List<LocalBuilder> free, Type t)
    {
        if (free.Count == 0) return _il.DeclareLocal(t);
        var l = free[^1];
        free.RemoveAt(free.Count - 1);
        return l;
    }

    private void Free(LocalBuilder l) => (l.LocalType == typeof(ulong) ? _freeU64 : _freePtr).Add(l);
}
