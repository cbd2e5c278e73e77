// Checks the value-level SSE semantics (Semantics/Sse/*Value) against the host CPU itself:
// System.Runtime.Intrinsics.X86 calls compile to the very instructions being emulated, so
// their results are the hardware's. Inputs are random vectors biased towards edge values
// (0, ±1, signed/unsigned limits per element width), plus shift counts across every width.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Jitexec.Translator.Semantics.Sse;
using Xunit;
using V = System.Runtime.Intrinsics.Vector128<ulong>;

// Every imm8 is exercised on purpose: a non-constant immediate makes the runtime dispatch to the real instruction per value.
#pragma warning disable CA1857

namespace Jitexec.Tests;

public class SseValueOracleTests
{
    private const int Iterations = 3000;

    private static readonly ulong[] EdgeQwords =
    [
        0, ulong.MaxValue, 1, 0x8000000000000000, 0x7FFFFFFFFFFFFFFF, 0x8000800080008000, 0x7FFF7FFF7FFF7FFF,
        0x8080808080808080, 0x7F7F7F7F7F7F7F7F, 0x80000000_80000000, 0x7FFFFFFF_7FFFFFFF, 0x00FF00FF00FF00FF,
        0xFF00FF00FF00FF00, 0x0001000100010001, 0xFFFF0000FFFF0000, 0x0000FFFF0000FFFF, 0x0101010101010101,
        0x80017FFF00FFFF00, 0x7F80FF0001FE8081,
    ];

    private static V RandomVector(Random rng)
    {
        ulong Pick()
        {
            int k = rng.Next(4);
            if (k == 0) return EdgeQwords[rng.Next(EdgeQwords.Length)];
            if (k == 1)
            {
                // Mix edge bytes into a random qword.
                ulong q = (ulong)rng.NextInt64();
                for (int i = 0; i < 8; i++)
                    if (rng.Next(2) == 0) q = (q & ~(0xFFUL << (i * 8))) | ((ulong)(byte)(rng.Next(3) switch { 0 => 0x80, 1 => 0x7F, _ => 0xFF }) << (i * 8));
                return q;
            }
            return (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
        }
        return Vector128.Create(Pick(), Pick());
    }

    private static void CheckBinary(string name, Func<V, V, V> mine, Func<V, V, V> hw)
    {
        var rng = new Random(name.GetHashCode() & 0x7FFFFFFF);
        for (int i = 0; i < Iterations; i++)
        {
            V a = RandomVector(rng), b = i % 7 == 0 ? a : RandomVector(rng);
            V want = hw(a, b), got = mine(a, b);
            Assert.True(want == got, $"{name}({a}, {b}): hardware {want}, emulated {got}");
        }
    }

    public static TheoryData<string> BinaryOps => new(BinaryTable.Keys);

    private static readonly Dictionary<string, (Func<V, V, V> mine, Func<V, V, V> hw)> BinaryTable = new()
    {
        ["pxor"] = (SseInteger.PxorValue, (a, b) => Sse2.Xor(a, b)),
        ["por"] = (SseInteger.PorValue, (a, b) => Sse2.Or(a, b)),
        ["pand"] = (SseInteger.PandValue, (a, b) => Sse2.And(a, b)),
        ["pandn"] = (SseInteger.PandnValue, (a, b) => Sse2.AndNot(a, b)),
        ["paddb"] = (SseInteger.PaddbValue, (a, b) => Sse2.Add(a.AsByte(), b.AsByte()).AsUInt64()),
        ["paddw"] = (SseInteger.PaddwValue, (a, b) => Sse2.Add(a.AsUInt16(), b.AsUInt16()).AsUInt64()),
        ["paddd"] = (SseInteger.PadddValue, (a, b) => Sse2.Add(a.AsUInt32(), b.AsUInt32()).AsUInt64()),
        ["paddq"] = (SseInteger.PaddqValue, (a, b) => Sse2.Add(a, b)),
        ["psubb"] = (SseInteger.PsubbValue, (a, b) => Sse2.Subtract(a.AsByte(), b.AsByte()).AsUInt64()),
        ["psubw"] = (SseInteger.PsubwValue, (a, b) => Sse2.Subtract(a.AsUInt16(), b.AsUInt16()).AsUInt64()),
        ["psubd"] = (SseInteger.PsubdValue, (a, b) => Sse2.Subtract(a.AsUInt32(), b.AsUInt32()).AsUInt64()),
        ["psubq"] = (SseInteger.PsubqValue, (a, b) => Sse2.Subtract(a, b)),
        ["paddsb"] = (SseInteger.PaddsbValue, (a, b) => Sse2.AddSaturate(a.AsSByte(), b.AsSByte()).AsUInt64()),
        ["paddsw"] = (SseInteger.PaddswValue, (a, b) => Sse2.AddSaturate(a.AsInt16(), b.AsInt16()).AsUInt64()),
        ["paddusb"] = (SseInteger.PaddusbValue, (a, b) => Sse2.AddSaturate(a.AsByte(), b.AsByte()).AsUInt64()),
        ["paddusw"] = (SseInteger.PadduswValue, (a, b) => Sse2.AddSaturate(a.AsUInt16(), b.AsUInt16()).AsUInt64()),
        ["psubsb"] = (SseInteger.PsubsbValue, (a, b) => Sse2.SubtractSaturate(a.AsSByte(), b.AsSByte()).AsUInt64()),
        ["psubsw"] = (SseInteger.PsubswValue, (a, b) => Sse2.SubtractSaturate(a.AsInt16(), b.AsInt16()).AsUInt64()),
        ["psubusb"] = (SseInteger.PsubusbValue, (a, b) => Sse2.SubtractSaturate(a.AsByte(), b.AsByte()).AsUInt64()),
        ["psubusw"] = (SseInteger.PsubuswValue, (a, b) => Sse2.SubtractSaturate(a.AsUInt16(), b.AsUInt16()).AsUInt64()),
        ["pcmpeqb"] = (SseInteger.PcmpeqbValue, (a, b) => Sse2.CompareEqual(a.AsByte(), b.AsByte()).AsUInt64()),
        ["pcmpeqw"] = (SseInteger.PcmpeqwValue, (a, b) => Sse2.CompareEqual(a.AsUInt16(), b.AsUInt16()).AsUInt64()),
        ["pcmpeqd"] = (SseInteger.PcmpeqdValue, (a, b) => Sse2.CompareEqual(a.AsUInt32(), b.AsUInt32()).AsUInt64()),
        ["pcmpgtb"] = (SseInteger.PcmpgtbValue, (a, b) => Sse2.CompareGreaterThan(a.AsSByte(), b.AsSByte()).AsUInt64()),
        ["pcmpgtw"] = (SseInteger.PcmpgtwValue, (a, b) => Sse2.CompareGreaterThan(a.AsInt16(), b.AsInt16()).AsUInt64()),
        ["pcmpgtd"] = (SseInteger.PcmpgtdValue, (a, b) => Sse2.CompareGreaterThan(a.AsInt32(), b.AsInt32()).AsUInt64()),
        ["pminub"] = (SseInteger.PminubValue, (a, b) => Sse2.Min(a.AsByte(), b.AsByte()).AsUInt64()),
        ["pmaxub"] = (SseInteger.PmaxubValue, (a, b) => Sse2.Max(a.AsByte(), b.AsByte()).AsUInt64()),
        ["pminsw"] = (SseInteger.PminswValue, (a, b) => Sse2.Min(a.AsInt16(), b.AsInt16()).AsUInt64()),
        ["pmaxsw"] = (SseInteger.PmaxswValue, (a, b) => Sse2.Max(a.AsInt16(), b.AsInt16()).AsUInt64()),
        ["pavgb"] = (SseInteger.PavgbValue, (a, b) => Sse2.Average(a.AsByte(), b.AsByte()).AsUInt64()),
        ["pavgw"] = (SseInteger.PavgwValue, (a, b) => Sse2.Average(a.AsUInt16(), b.AsUInt16()).AsUInt64()),
        ["pmullw"] = (SsePackedMul.PmullwValue, (a, b) => Sse2.MultiplyLow(a.AsInt16(), b.AsInt16()).AsUInt64()),
        ["pmulhw"] = (SsePackedMul.PmulhwValue, (a, b) => Sse2.MultiplyHigh(a.AsInt16(), b.AsInt16()).AsUInt64()),
        ["pmulhuw"] = (SsePackedMul.PmulhuwValue, (a, b) => Sse2.MultiplyHigh(a.AsUInt16(), b.AsUInt16()).AsUInt64()),
        ["pmuludq"] = (SsePackedMul.PmuludqValue, (a, b) => Sse2.Multiply(a.AsUInt32(), b.AsUInt32())),
        ["pmaddwd"] = (SsePackedMul.PmaddwdValue, (a, b) => Sse2.MultiplyAddAdjacent(a.AsInt16(), b.AsInt16()).AsUInt64()),
        ["psadbw"] = (SsePackedMul.PsadbwValue, (a, b) => Sse2.SumAbsoluteDifferences(a.AsByte(), b.AsByte()).AsUInt64()),
        ["packsswb"] = (SseShuffles.PacksswbValue, (a, b) => Sse2.PackSignedSaturate(a.AsInt16(), b.AsInt16()).AsUInt64()),
        ["packssdw"] = (SseShuffles.PackssdwValue, (a, b) => Sse2.PackSignedSaturate(a.AsInt32(), b.AsInt32()).AsUInt64()),
        ["packuswb"] = (SseShuffles.PackuswbValue, (a, b) => Sse2.PackUnsignedSaturate(a.AsInt16(), b.AsInt16()).AsUInt64()),
        ["punpcklbw"] = (SseShuffles.PunpcklbwValue, (a, b) => Sse2.UnpackLow(a.AsByte(), b.AsByte()).AsUInt64()),
        ["punpcklwd"] = (SseShuffles.PunpcklwdValue, (a, b) => Sse2.UnpackLow(a.AsUInt16(), b.AsUInt16()).AsUInt64()),
        ["punpckldq"] = (SseShuffles.PunpckldqValue, (a, b) => Sse2.UnpackLow(a.AsUInt32(), b.AsUInt32()).AsUInt64()),
        ["punpcklqdq"] = (SseShuffles.PunpcklqdqValue, (a, b) => Sse2.UnpackLow(a, b)),
        ["punpckhbw"] = (SseShuffles.PunpckhbwValue, (a, b) => Sse2.UnpackHigh(a.AsByte(), b.AsByte()).AsUInt64()),
        ["punpckhwd"] = (SseShuffles.PunpckhwdValue, (a, b) => Sse2.UnpackHigh(a.AsUInt16(), b.AsUInt16()).AsUInt64()),
        ["punpckhdq"] = (SseShuffles.PunpckhdqValue, (a, b) => Sse2.UnpackHigh(a.AsUInt32(), b.AsUInt32()).AsUInt64()),
        ["punpckhqdq"] = (SseShuffles.PunpckhqdqValue, (a, b) => Sse2.UnpackHigh(a, b)),
        ["movhlps"] = ((a, b) => SseMoves.MergeLow64Value(a, b.GetElement(1)), (a, b) => Sse.MoveHighToLow(a.AsSingle(), b.AsSingle()).AsUInt64()),
        ["movlhps"] = ((a, b) => SseMoves.MergeHigh64Value(a, b.GetElement(0)), (a, b) => Sse.MoveLowToHigh(a.AsSingle(), b.AsSingle()).AsUInt64()),
        ["movss-reg"] = ((a, b) => SseMoves.MergeLow32Value(a, (uint)b.GetElement(0)), (a, b) => Sse.MoveScalar(a.AsSingle(), b.AsSingle()).AsUInt64()),
        ["movsd-reg"] = ((a, b) => SseMoves.MergeLow64Value(a, b.GetElement(0)), (a, b) => Sse2.MoveScalar(a.AsDouble(), b.AsDouble()).AsUInt64()),
    };

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void BinaryMatchesHardware(string name)
    {
        Assert.True(Sse2.IsSupported);
        var (mine, hw) = BinaryTable[name];
        CheckBinary(name, mine, hw);
    }

    private static readonly ulong[] Counts = [0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 255, 256, 0x1_0000_0001, 0x8000_0000_0000_0000, ulong.MaxValue];

    public static TheoryData<string> ShiftOps => new(ShiftTable.Keys);

    private static readonly Dictionary<string, (Func<V, ulong, V> mine, Func<V, V, V> hw)> ShiftTable = new()
    {
        ["psllw"] = (SsePackedShifts.PsllwValue, (a, n) => Sse2.ShiftLeftLogical(a.AsUInt16(), n.AsUInt16()).AsUInt64()),
        ["pslld"] = (SsePackedShifts.PslldValue, (a, n) => Sse2.ShiftLeftLogical(a.AsUInt32(), n.AsUInt32()).AsUInt64()),
        ["psllq"] = (SsePackedShifts.PsllqValue, (a, n) => Sse2.ShiftLeftLogical(a, n)),
        ["psrlw"] = (SsePackedShifts.PsrlwValue, (a, n) => Sse2.ShiftRightLogical(a.AsUInt16(), n.AsUInt16()).AsUInt64()),
        ["psrld"] = (SsePackedShifts.PsrldValue, (a, n) => Sse2.ShiftRightLogical(a.AsUInt32(), n.AsUInt32()).AsUInt64()),
        ["psrlq"] = (SsePackedShifts.PsrlqValue, (a, n) => Sse2.ShiftRightLogical(a, n)),
        ["psraw"] = (SsePackedShifts.PsrawValue, (a, n) => Sse2.ShiftRightArithmetic(a.AsInt16(), n.AsInt16()).AsUInt64()),
        ["psrad"] = (SsePackedShifts.PsradValue, (a, n) => Sse2.ShiftRightArithmetic(a.AsInt32(), n.AsInt32()).AsUInt64()),
    };

    [Theory]
    [MemberData(nameof(ShiftOps))]
    public void ShiftMatchesHardware(string name)
    {
        var (mine, hw) = ShiftTable[name];
        var rng = new Random(name.GetHashCode() & 0x7FFFFFFF);
        for (int i = 0; i < 400; i++)
        {
            V a = RandomVector(rng);
            ulong n = i < Counts.Length * 4 ? Counts[i % Counts.Length] : (ulong)rng.Next(70);
            // The count register's upper qword is ignored by the hardware: fill it with junk.
            V count = Vector128.Create(n, (ulong)rng.NextInt64());
            V want = hw(a, count), got = mine(a, n);
            Assert.True(want == got, $"{name}({a}, {n}): hardware {want}, emulated {got}");
        }
    }

    [Fact]
    public void ImmediateFormsMatchHardware()
    {
        var rng = new Random(7);
        for (int imm = 0; imm < 256; imm++)
        {
            for (int k = 0; k < 8; k++)
            {
                V a = RandomVector(rng), b = RandomVector(rng);
                byte i8 = (byte)imm;
                Assert.Equal(Sse2.Shuffle(a.AsUInt32(), i8).AsUInt64(), SseShuffles.PshufdValue(a, i8));
                Assert.Equal(Sse2.ShuffleLow(a.AsUInt16(), i8).AsUInt64(), SseShuffles.PshuflwValue(a, i8));
                Assert.Equal(Sse2.ShuffleHigh(a.AsUInt16(), i8).AsUInt64(), SseShuffles.PshufhwValue(a, i8));
                Assert.Equal(Sse.Shuffle(a.AsSingle(), b.AsSingle(), i8).AsUInt64(), SseShuffles.ShufpsValue(a, b, i8));
                Assert.Equal(Sse2.Shuffle(a.AsDouble(), b.AsDouble(), i8).AsUInt64(), SseShuffles.ShufpdValue(a, b, i8));
                Assert.Equal(Sse2.ShiftLeftLogical128BitLane(a, i8), SseShuffles.PslldqValue(a, i8));
                Assert.Equal(Sse2.ShiftRightLogical128BitLane(a, i8), SseShuffles.PsrldqValue(a, i8));
                Assert.Equal(Sse2.Insert(a.AsUInt16(), (ushort)b.GetElement(0), i8).AsUInt64(), SseShuffles.PinsrwValue(a, (ushort)b.GetElement(0), i8));
                Assert.Equal((uint)Sse2.Extract(a.AsUInt16(), i8), SseShuffles.PextrwValue(a, i8));
                // Immediate shift forms: the count is the imm8 itself.
                Assert.Equal(Sse2.ShiftLeftLogical(a.AsUInt16(), i8).AsUInt64(), SsePackedShifts.PsllwValue(a, i8));
                Assert.Equal(Sse2.ShiftRightArithmetic(a.AsInt32(), i8).AsUInt64(), SsePackedShifts.PsradValue(a, i8));
                Assert.Equal(Sse2.ShiftRightLogical(a, i8), SsePackedShifts.PsrlqValue(a, i8));
            }
        }
    }

    [Fact]
    public void MaskExtractsMatchHardware()
    {
        var rng = new Random(11);
        for (int i = 0; i < Iterations; i++)
        {
            V a = RandomVector(rng);
            Assert.Equal((uint)Sse2.MoveMask(a.AsByte()), SseMoves.PmovmskbValue(a));
            Assert.Equal((uint)Sse.MoveMask(a.AsSingle()), SseMoves.MovmskpsValue(a));
            Assert.Equal((uint)Sse2.MoveMask(a.AsDouble()), SseMoves.MovmskpdValue(a));
        }
    }
}
