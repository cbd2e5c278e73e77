// Guest address space: one large PROT_NONE reservation in the host; guest address A lives
// at Base + (A & Mask). The mask keeps every guest pointer inside the reservation, so a
// guest can never reach the emulator's own memory. Guest page protections are real host
// protections on the reservation, so a guest access to an unmapped or read-only page
// faults in hardware; GuestFaultHandler turns such faults into native-looking deaths.
// Invariant: the reservation has GuardSize bytes of PROT_NONE below Base and above Base + Size,
// so an unaligned access at the very top of the guest range still lands inside it, and compiled
// code may add a small displacement after masking (Base + (reg & Mask) + disp, |disp| <=
// MaxFoldedDisplacement): an address that would wrap lands in a guard and faults, as the
// out-of-range address does natively.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Jitexec.Translator.Host;

namespace Jitexec.Translator.Memory;

public sealed unsafe class GuestMemory : IDisposable
{
    public const int AddressBits = 40;
    public const ulong Size = 1UL << AddressBits;
    public const ulong Mask = Size - 1;
    public const ulong GuardSize = 1UL << 16;
    /// <summary>The whole host reservation: guard, guest range, guard.</summary>
    public const ulong ReservationSize = GuardSize + Size + GuardSize;
    /// <summary>Largest |displacement| compiled code adds after masking (leaves room for a 64-byte access in the guard).</summary>
    public const long MaxFoldedDisplacement = (long)GuardSize / 2;
    public const ulong PageSize = 4096;

    public readonly byte* Base;
    /// <summary>Mask as a field: compiled units load it (and Base) once per entry, so RyuJIT keeps
    /// them in registers instead of rematerialising two 64-bit immediates at every access.</summary>
    public readonly ulong AddressMask = Mask;

    public GuestMemory()
    {
        nint p = Libc.mmap(0, unchecked((nuint)ReservationSize), Libc.PROT_NONE,
            Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0);
        if (p == Libc.MAP_FAILED)
            throw new InvalidOperationException($"cannot reserve {Size >> 30} GiB of address space for the guest (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
        Base = (byte*)p + GuardSize;
    }

    public ulong HostBase => (ulong)Base;

    /// <summary>Start of the host reservation (the lower guard), ReservationSize bytes long.</summary>
    public ulong ReservationStart => (ulong)Base - GuardSize;

    /// <summary>Host pointer for a guest address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* Ptr(ulong addr) => Base + (addr & Mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public byte Read8(ulong a) => *Ptr(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public ushort Read16(ulong a) => Unsafe.ReadUnaligned<ushort>(Ptr(a));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public uint Read32(ulong a) => Unsafe.ReadUnaligned<uint>(Ptr(a));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public ulong Read64(ulong a) => Unsafe.ReadUnaligned<ulong>(Ptr(a));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<ulong> Read128(ulong a) => Unsafe.ReadUnaligned<Vector128<ulong>>(Ptr(a));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Write8(ulong a, byte v) => *Ptr(a) = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Write16(ulong a, ushort v) => Unsafe.WriteUnaligned(Ptr(a), v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Write32(ulong a, uint v) => Unsafe.WriteUnaligned(Ptr(a), v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Write64(ulong a, ulong v) => Unsafe.WriteUnaligned(Ptr(a), v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Write128(ulong a, Vector128<ulong> v) => Unsafe.WriteUnaligned(Ptr(a), v);

    // Read128/Write128 are not generic Read<T>/Write<T> on purpose: crossgen2 would not inline
    // Write<Vector128<ulong>> (a generic instantiation over a type outside the version bubble
    // passed by value), so every caller (movaps/movups stores, fxsave) and Read<Vector128<ulong>>
    // itself were left out of the ReadyToRun image and JIT-compiled at run time.

    /// <summary>Read a value of 1, 2, 4 or 8 bytes, zero-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadSized(ulong a, int size) => size switch
    {
        8 => Read64(a),
        4 => Read32(a),
        2 => Read16(a),
        _ => Read8(a),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteSized(ulong a, int size, ulong v)
    {
        switch (size)
        {
            case 8: Write64(a, v); break;
            case 4: Write32(a, (uint)v); break;
            case 2: Write16(a, (ushort)v); break;
            default: Write8(a, (byte)v); break;
        }
    }

    /// <summary>A host span over guest memory. The caller has checked the range is in bounds.</summary>
    public Span<byte> Span(ulong addr, int length) => new(Ptr(addr), length);

    /// <summary>True when [addr, addr+length) is inside the guest range without wrapping.</summary>
    public static bool InRange(ulong addr, ulong length) => addr <= Size && length <= Size - addr;

    public void Dispose() { }
}
