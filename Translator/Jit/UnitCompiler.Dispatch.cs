// Indirect branches with many targets inside the unit (an interpreter's opcode dispatch):
// instead of comparing the address with each target in turn, index a jump table by
// (address >> shift) & (size - 1), with shift and size chosen at compile time so that no two
// targets share a slot, then compare with the one target of that slot. The host's indirect
// branch predictor then sees one jump, as the guest's own indirect call does natively.
using System.Reflection.Emit;
using Label = System.Reflection.Emit.Label;

namespace Jitexec.Translator.Jit;

internal sealed partial class UnitCompiler
{
    /// <summary>In-unit targets from which an indirect branch dispatches through a table.</summary>
    private const int HashedDispatchMin = 4;

    /// <summary>The address is in _ripTemp, the IL stack empty. Emits the table dispatch and returns true,
    /// or emits nothing and returns false when no small collision-free table exists. Falls through
    /// (empty stack) when the address is not one of <paramref name="targets"/>.</summary>
    private bool EmitHashedDispatch(int from, List<ulong> targets)
    {
        if (!FindSlotHash(targets, out int shift, out int size)) return false;
        var il = _il;
        var miss = il.DefineLabel();
        var slots = new Label[size];
        var slotTarget = new ulong?[size];
        for (int k = 0; k < size; k++) slots[k] = miss;
        foreach (ulong t in targets)
        {
            int k = (int)((t >> shift) & (ulong)(size - 1));
            slots[k] = il.DefineLabel();
            slotTarget[k] = t;
        }
        il.Emit(OpCodes.Ldloc, _ripTemp);
        il.Emit(OpCodes.Ldc_I4, shift);
        il.Emit(OpCodes.Shr_Un);
        il.Emit(OpCodes.Conv_U4);
        il.Emit(OpCodes.Ldc_I4, size - 1);
        il.Emit(OpCodes.And);
        il.Emit(OpCodes.Switch, slots);
        il.Emit(OpCodes.Br, miss);
        uint dirty = _dirty;
        for (int k = 0; k < size; k++)
        {
            if (slotTarget[k] is not ulong t) continue;
            il.MarkLabel(slots[k]);
            _dirty = dirty;
            il.Emit(OpCodes.Ldloc, _ripTemp);
            il.Emit(OpCodes.Ldc_I8, (long)t);
            il.Emit(OpCodes.Bne_Un, miss);
            Edge(from, t);
        }
        il.MarkLabel(miss);
        _dirty = dirty;
        return true;
    }

    /// <summary>The smallest table (a power of two, at most 4× the targets) and a shift that give every target its own slot.</summary>
    internal static bool FindSlotHash(List<ulong> targets, out int shift, out int size)
    {
        int min = 1;
        while (min < targets.Count) min <<= 1;
        for (size = min; size <= 4 * min; size <<= 1)
        {
            for (shift = 0; shift < 24; shift++)
            {
                ulong used = 0;
                bool ok = true;
                foreach (ulong t in targets)
                {
                    ulong bit = 1UL << (int)((t >> shift) & (ulong)(size - 1));
                    if ((used & bit) != 0) { ok = false; break; }
                    used |= bit;
                }
                if (ok) return true;
            }
        }
        shift = size = 0;
        return false;
    }
}
