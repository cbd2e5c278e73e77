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

    public static readonly uint[] F32 =
    [
        0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x3FC00000, 0xC0200000, 0x3F000000,
        0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FA0DEAD, 0x7FC0BEEF,
        0x00000001, 0x007FFFFF, 0x80000001, 0x00800000, 0x7F7FFFFF,
        0x5F000000, 0xDF000000, 0x4F000000, 0xCF000001,
    ];
}
