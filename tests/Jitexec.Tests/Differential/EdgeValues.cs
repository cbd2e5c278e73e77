// Edge values for differential inputs: integer boundaries (sign bits at 8/16/32/64, all
// ones, shift counts) and IEEE specials (NaN payloads, infinities, denormals, signed zero).
namespace Jitexec.Tests.Differential;

public static class EdgeValues
{
    /// <summary>Integer edges: each is used as the full 64-bit value or the low part of a narrower slot.</summary>
    public static readonly ulong[] Int =
    [
        0, 1, 2, ulong.MaxValue, ulong.MaxValue - 1,
        0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF,
        0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000,
        0xFFFF_FFFF_FFFF_FF80, 0xFFFF_FFFF_FFFF_8000, 0xFFFF_FFFF_8000_0000,
        31, 32, 63, 64, 65, 0x10, 0x0F,
    ];

    public static readonly ulong[] F64 =
    [
        0x0000000000000000, 0x8000000000000000,             // +0, -0
        0x3FF0000000000000, 0xBFF0000000000000,             // 1, -1
        0x3FF8000000000000, 0xC004000000000000,             // 1.5, -2.5
        0x3FE0000000000000, 0x3FDFFFFFFFFFFFFF,             // 0.5, 0.49999999999999994
        0x7FF0000000000000, 0xFFF0000000000000,             // +inf, -inf
        0x7FF8000000000000, 0xFFF8000000000000,             // qNaN, -qNaN (default NaN)
        0x7FF0000000000001, 0x7FF4000000DEAD00,             // sNaN, sNaN with payload
        0x7FFC00000000BEEF,                                 // qNaN with payload
        0x0000000000000001, 0x000FFFFFFFFFFFFF, 0x8000000000000001, // denormals
        0x0010000000000000, 0x7FEFFFFFFFFFFFFF,             // min normal, max
        0x43E0000000000000, 0xC3E0000000000000,             // 2^63, -2^63
        0x41E0000000000000, 0xC1E0000000200000,             // 2^31, -2^31-1
    ];

    /// <summary>80-bit extended edges (sign+exponent, significand): every F64 edge converted exactly, plus x87-only encodings.</summary>
    public static readonly (ushort exp, ulong mant)[] F80 = BuildF80();

    private static (ushort, ulong)[] BuildF80()
    {
        var l = new List<(ushort, ulong)>();
        foreach (var d in F64) l.Add(FromDouble(d));
        l.AddRange(
        [
            (0x3FFF, 0x8000000000000001), (0xBFFF, 0xFFFFFFFFFFFFFFFF),   // 1+ulp, -(2-ulp)
            (0x7FFE, 0xFFFFFFFFFFFFFFFF), (0x0001, 0x8000000000000000),   // max, min normal
            (0x0000, 0x0000000000000001), (0x8000, 0x4000000000000000),   // denormals
            (0x7FFF, 0xC000000000000000), (0xFFFF, 0xC000000000000000),   // real indefinite (-qNaN), qNaN
            (0x7FFF, 0xA000000000000000), (0x7FFF, 0xC00000000000BEEF),   // sNaN, qNaN payload
            (0x403E, 0x8000000000000000), (0xC03E, 0x8000000000000000),   // 2^63, -2^63
            (0x401D, 0xFFFFFFFF00000000), (0x4000, 0xC90FDAA22168C235),   // 2^31-1... , pi
            (0x0000, 0x8000000000000001),                                 // pseudo-denormal
            (0x3FFF, 0x4000000000000000), (0x7FFF, 0x0000000000000000),   // unnormal, pseudo-infinity
        ]);
        return l.ToArray();
    }

    /// <summary>Exact double -> 80-bit extended conversion (NaNs keep their payload, quiet bit as is).</summary>
    public static (ushort exp, ulong mant) FromDouble(ulong d)
    {
        ushort sign = (ushort)((d >> 48) & 0x8000);
        int e = (int)((d >> 52) & 0x7FF);
        ulong m = d & 0xFFFFFFFFFFFFF;
        if (e == 0x7FF) return ((ushort)(sign | 0x7FFF), 0x8000000000000000 | m << 11);
        if (e == 0)
        {
            if (m == 0) return (sign, 0);
            int p = 63 - System.Numerics.BitOperations.LeadingZeroCount(m); // msb position, 0..51
            return ((ushort)(sign | (p - 1074 + 16383)), m << (63 - p));
        }
        return ((ushort)(sign | (e - 1023 + 16383)), 0x8000000000000000 | m << 11);
    }

    public static readonly uint[] F32 =
    [
        0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x3FC00000, 0xC0200000, 0x3F000000,
        0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FA0DEAD, 0x7FC0BEEF,
        0x00000001, 0x007FFFFF, 0x80000001, 0x00800000, 0x7F7FFFFF,
        0x5F000000, 0xDF000000, 0x4F000000, 0xCF000001,
    ];
}
