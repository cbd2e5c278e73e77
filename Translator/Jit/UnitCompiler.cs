// Compiles a unit (Block[] members, see RegionBuilder) into one DynamicMethod:
//   int Run(Cpu c, Op[] ops, int entry)   -> exit index; c.Rip = where to continue.
// Layout: prologue (load the guest registers the unit uses into IL locals, switch on the
// entry), one labelled body per member block, and a shared epilogue that writes back the
// registers the unit may have modified and counts retired instructions.
// Each op is either emitted inline (UnitCompiler.Forms.cs: operands from locals, memory
// as a raw pointer access, then a call to the same value-level semantic method the
// interpreter's handler uses) or falls back to the interpreter handler itself, called via
// calli with `ref ops[i]` after writing dirty registers back and reloading afterwards.
// Edges to member blocks are IL branches; loop back-edges first check Cpu.Halted and the
// code-write flag so a loop cannot run stale code or ignore a stop request.
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using Iced.Intel;
using Label = System.Reflection.Emit.Label;
using FlowControl = Iced.Intel.FlowControl;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Memory;

namespace Jitexec.Translator.Jit;

[RequiresDynamicCode("The JIT tier generates code with DynamicMethod.")]
internal sealed unsafe partial class UnitCompiler
{
    private static readonly FieldInfo FR = typeof(Cpu).GetField(nameof(Cpu.R))!;
    private static readonly FieldInfo FRip = typeof(Cpu).GetField(nameof(Cpu.Rip))!;
    private static readonly FieldInfo FRetired = typeof(Cpu).GetField(nameof(Cpu.InstructionsRetired))!;
    private static readonly FieldInfo FHalted = typeof(Cpu).GetField(nameof(Cpu.Halted))!;
    private static readonly Type[] Params = [typeof(Cpu), typeof(Op[]), typeof(int)];
    private static readonly Type[] HandlerParams = [typeof(Cpu), typeof(Op).MakeByRefType()];

    private readonly Block[] _members;
    private readonly Op[] _ops;
    private readonly int[] _first;       // index in _ops of each member's first op
    private readonly bool[] _inline;     // per op: emitted inline
    private readonly ulong _memBase;
    private readonly int* _codeWritten;  // non-zero when guest code pages were written (may be null)
    private readonly DynamicMethod _dm;
    private readonly ILGenerator _il;
    private readonly LocalBuilder?[] _reg = new LocalBuilder?[16];
    private uint _cached;                // registers held in locals
    private uint _written;               // registers inline code may modify (written back at exits)
    private uint _dirty;                 // registers whose local differs from c.R at this point
    private readonly Label[] _blockLabel;
    private Label _exitLabel;
    private LocalBuilder _exitId = null!, _icount = null!, _ripTemp = null!;
    private int _exits;
    public int InlineOps { get; private set; }

    private UnitCompiler(Block[] members, GuestMemory mem, int* codeWritten)
    {
        _members = members;
        _memBase = mem.HostBase;
        _codeWritten = codeWritten;
        _first = new int[members.Length];
        var ops = new List<Op>();
        for (int k = 0; k < members.Length; k++)
        {
            _first[k] = ops.Count;
            ops.AddRange(members[k].Ops);
        }
        _ops = ops.ToArray();
        _inline = new bool[_ops.Length];
        _dm = new DynamicMethod($"jit_{members[0].Start:x}", typeof(int), Params, typeof(UnitCompiler).Module, skipVisibility: true);
        _il = _dm.GetILGenerator(256 + _ops.Length * 48);
        _blockLabel = new Label[members.Length];
    }

    /// <summary>Compile the unit. The returned code has been run once in warm-up mode, so
    /// RyuJIT has already produced native code (on the calling thread).</summary>
    public static JitUnit Compile(Block[] members, GuestMemory mem, int* codeWritten, bool inlineForms, out int inlineOps)
    {
        var uc = new UnitCompiler(members, mem, codeWritten);
        var code = uc.Emit(inlineForms);
        code(null!, null, 0);
        inlineOps = uc.InlineOps;
        return new JitUnit(code, uc._ops, members, uc._exits);
    }

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
        for (int k = 0; k < _members.Length; k++) _blockLabel[k] = il.DefineLabel();

        // Warm-up call: ops == null returns at once.
        var start = il.DefineLabel();
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Brtrue, start);
        il.Emit(OpCodes.Ldc_I4_M1);
        il.Emit(OpCodes.Ret);
        il.MarkLabel(start);
        for (int r = 0; r < 16; r++)
        {
            if ((_cached & (1u << r)) == 0) continue;
            _reg[r] = il.DeclareLocal(typeof(ulong));
        }
        ReloadRegisters(_cached);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Conv_U8);
        il.Emit(OpCodes.Stloc, _icount);
        if (_members.Length > 1)
        {
            il.Emit(OpCodes.Ldarg_2);
            il.Emit(OpCodes.Switch, _blockLabel);
        }
        il.Emit(OpCodes.Br, _blockLabel[0]);

        for (int k = 0; k < _members.Length; k++) EmitBlock(k);

        // Shared epilogue: write back modified registers, count instructions, return the exit.
        il.MarkLabel(_exitLabel);
        _dirty = _written;
        FlushDirty();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Ldfld, FRetired);
        il.Emit(OpCodes.Ldloc, _icount);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Stfld, FRetired);
        il.Emit(OpCodes.Ldloc, _exitId);
        il.Emit(OpCodes.Ret);
        return _dm.CreateDelegate<JitCode>();
    }

    private void EmitBlock(int k)
    {
        var il = _il;
        var b = _members[k];
        il.MarkLabel(_blockLabel[k]);
        _dirty = _written; // conservative at a merge point
        il.Emit(OpCodes.Ldloc, _icount);
        il.Emit(OpCodes.Ldc_I8, (long)b.Ops.Length);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Stloc, _icount);
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
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldfld, FRip);
                il.Emit(OpCodes.Ldc_I8, (long)lastOp.Imm);
                il.Emit(OpCodes.Beq, taken);
                Edge(k, b.End);
                il.MarkLabel(taken);
                Edge(k, lastOp.Imm);
                return;
            }
            // The handler set c.Rip: leave through a dynamic exit (c.Rip is already right).
            il.Emit(OpCodes.Ldc_I4, _exits++);
            il.Emit(OpCodes.Stloc, _exitId);
            il.Emit(OpCodes.Br, _exitLabel);
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
        if (t > from) { il.Emit(OpCodes.Br, _blockLabel[t]); return; }
        // Back-edge: stop if asked to, or if guest code was written (it may be this loop).
        var leave = il.DefineLabel();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, FHalted);
        il.Emit(OpCodes.Brtrue, leave);
        if (_codeWritten != null)
        {
            il.Emit(OpCodes.Ldc_I8, (long)_codeWritten);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Volatile);
            il.Emit(OpCodes.Ldind_I4);
            il.Emit(OpCodes.Brtrue, leave);
        }
        il.Emit(OpCodes.Br, _blockLabel[t]);
        il.MarkLabel(leave);
        ExitTo(target);
    }

    private int MemberAt(ulong addr)
    {
        for (int k = 0; k < _members.Length; k++) if (_members[k].Start == addr) return k;
        return -1;
    }

    /// <summary>Leave the unit for a static guest address.</summary>
    private void ExitTo(ulong target)
    {
        var il = _il;
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldc_I8, (long)target);
        il.Emit(OpCodes.Stfld, FRip);
        il.Emit(OpCodes.Ldc_I4, _exits++);
        il.Emit(OpCodes.Stloc, _exitId);
        il.Emit(OpCodes.Br, _exitLabel);
    }

    /// <summary>Leave the unit for the guest address on the IL stack.</summary>
    private void ExitDynamic()
    {
        var il = _il;
        il.Emit(OpCodes.Stloc, _ripTemp);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldloc, _ripTemp);
        il.Emit(OpCodes.Stfld, FRip);
        il.Emit(OpCodes.Ldc_I4, _exits++);
        il.Emit(OpCodes.Stloc, _exitId);
        il.Emit(OpCodes.Br, _exitLabel);
    }

    /// <summary>Run op i through its interpreter handler.</summary>
    private void EmitFallback(int i, Block b, bool last)
    {
        var il = _il;
        FlushDirty();
        if (last)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_I8, (long)b.End);
            il.Emit(OpCodes.Stfld, FRip);
        }
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldc_I4, i);
        il.Emit(OpCodes.Ldelema, typeof(Op));
        il.Emit(OpCodes.Ldc_I8, (long)(nint)_ops[i].Exec);
        il.Emit(OpCodes.Conv_I);
        il.EmitCalli(OpCodes.Calli, System.Reflection.CallingConventions.Standard, typeof(void), HandlerParams, null);
        ReloadRegisters(_cached);
    }

    // ---- register cache ----

    private void LoadCpuRegAddress(int r)
    {
        _il.Emit(OpCodes.Ldarg_0);
        _il.Emit(OpCodes.Ldflda, FR);
        if (r != 0)
        {
            _il.Emit(OpCodes.Ldc_I4, r * 8);
            _il.Emit(OpCodes.Add);
        }
    }

    private void ReloadRegisters(uint mask)
    {
        for (int r = 0; r < 16; r++)
        {
            if ((mask & (1u << r)) == 0) continue;
            LoadCpuRegAddress(r);
            _il.Emit(OpCodes.Ldind_I8);
            _il.Emit(OpCodes.Stloc, _reg[r]!);
        }
    }

    private void FlushDirty()
    {
        for (int r = 0; r < 16; r++)
        {
            if ((_dirty & (1u << r)) == 0) continue;
            LoadCpuRegAddress(r);
            _il.Emit(OpCodes.Ldloc, _reg[r]!);
            _il.Emit(OpCodes.Stind_I8);
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
