// Fast paths for rep movs / rep stos with 64-bit addressing: one host memmove or fill over
// guest memory instead of an element loop. Invariant: the result must be byte-identical to
// executing the elements one by one in order. Each helper returns false (having done
// nothing) when it cannot guarantee that, and the caller runs the element loop.
// - movs whose destination trails the source in the direction of travel (or does not
//   overlap it) reads only original bytes: a memmove gives the same result.
// - forward movs with 0 < dst - src < length replicates the first (dst - src) bytes as a
//   repeating pattern (memset-like idioms); done here by doubling copies when the distance
//   is at least the element size (below that, element-wise reads differ from byte-wise).
// Ranges must lie inside the guest range without wrapping; anything else takes the loop.
// Faults part-way through (unmapped/read-only guest pages) are fatal in both paths.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jitexec.Translator.Memory;

namespace Jitexec.Translator.Semantics.Data;

internal static unsafe class StringBulk
{
    /// <summary>rep movs of n elements from guest src to guest dst (addresses of the first element).</summary>
    public static bool TryCopy(GuestMemory mem, ulong src, ulong dst, ulong n, int size, bool backward)
    {
        if (n > GuestMemory.Size / (ulong)size) return false;
        ulong bytes = n * (ulong)size;
        if (backward)
        {
            // Elements run from the given address down; the copied range starts (n-1) elements lower.
            ulong span = bytes - (ulong)size;
            if (src < span || dst < span) return false;
            src -= span; dst -= span;
            if (!GuestMemory.InRange(src, bytes) || !GuestMemory.InRange(dst, bytes)) return false;
            if (src > dst && src - dst < bytes) return false; // source trails: pattern fill downwards
            Buffer.MemoryCopy(mem.Ptr(src), mem.Ptr(dst), bytes, bytes);
            return true;
        }
        if (!GuestMemory.InRange(src, bytes) || !GuestMemory.InRange(dst, bytes)) return false;
        if (dst > src && dst - src < bytes)
        {
            ulong d = dst - src;
            if (d < (ulong)size) return false;
            ReplicatePattern(mem.Ptr(src), d, bytes);
            return true;
        }
        Buffer.MemoryCopy(mem.Ptr(src), mem.Ptr(dst), bytes, bytes);
        return true;
    }

    /// <summary>Byte-wise forward copy of <paramref name="bytes"/> bytes from s to s + d, with d &lt; bytes:
    /// the destination becomes the first d bytes of s repeated.</summary>
    private static void ReplicatePattern(byte* s, ulong d, ulong bytes)
    {
        if (d == 1) { FillBytes(s + 1, bytes, *s); return; }
        // Invariant: [s, s + d + w) repeats with period d and w is a multiple of d (until the last copy).
        ulong w = 0;
        while (w < bytes)
        {
            ulong len = Math.Min(bytes - w, d + w);
            Buffer.MemoryCopy(s, s + d + w, len, len);
            w += len;
        }
    }

    /// <summary>rep stos of n elements of value v at guest dst (address of the first element).</summary>
    public static bool TryFill(GuestMemory mem, ulong dst, ulong n, int size, ulong v, bool backward)
    {
        if (n > GuestMemory.Size / (ulong)size) return false;
        ulong bytes = n * (ulong)size;
        if (backward)
        {
            ulong span = bytes - (ulong)size;
            if (dst < span) return false;
            dst -= span;
        }
        if (!GuestMemory.InRange(dst, bytes)) return false;
        byte* p = mem.Ptr(dst);
        if (size == 1 || v == (byte)v * (Core.Flags.SizeMask(size) / 0xFF))
        {
            FillBytes(p, bytes, (byte)v);
            return true;
        }
        if (bytes == 0) return true;
        // One element, then copies of it doubling in length (forward byte-wise replication).
        mem.WriteSized(dst, size, v);
        ReplicatePattern(p, (ulong)size, bytes - (ulong)size);
        return true;
    }

    // Neither NativeMemory.Fill nor Span<T>.Fill nor initblk: all end in CoreLib's SpanHelpers.Fill,
    // vectorised with Vector<T> and so never precompiled (JIT-compiled on the first rep stos of
    // every run). Zeroing (the common case) goes to NativeMemory.Clear, which is precompiled.
    private static void FillBytes(byte* p, ulong bytes, byte value)
    {
        if (value == 0)
        {
            NativeMemory.Clear(p, (nuint)bytes);
            return;
        }
        while (bytes != 0)
        {
            uint chunk = (uint)Math.Min(bytes, 1UL << 30);
            Unsafe.InitBlockUnaligned(p, value, chunk);
            p += chunk;
            bytes -= chunk;
        }
    }
}
