// A fast seeded Random (SplitMix64). System.Random(seed) uses the slow legacy algorithm,
// which dominated the harness's run time; this keeps the familiar Random API for cases.
namespace Jitexec.Tests.Differential;

public sealed class FastRandom(int seed) : Random
{
    private ulong _s = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL + 0x1234567;

    public ulong NextU64()
    {
        ulong z = _s += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public override int Next() => (int)(NextU64() >> 33);
    public override int Next(int maxValue) => maxValue <= 0 ? 0 : (int)((NextU64() >> 32) * (ulong)maxValue >> 32);
    public override int Next(int minValue, int maxValue) => minValue + Next(maxValue - minValue);
    public override long NextInt64() => (long)(NextU64() >> 1);
    public override long NextInt64(long maxValue) => maxValue <= 0 ? 0 : (long)(NextU64() % (ulong)maxValue);
    public override long NextInt64(long minValue, long maxValue) => minValue + NextInt64(maxValue - minValue);
    public override double NextDouble() => (NextU64() >> 11) * (1.0 / (1UL << 53));
    protected override double Sample() => NextDouble();
    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        int i = 0;
        for (; i + 8 <= buffer.Length; i += 8) BitConverter.TryWriteBytes(buffer[i..], NextU64());
        if (i < buffer.Length)
        {
            ulong v = NextU64();
            for (; i < buffer.Length; i++, v >>= 8) buffer[i] = (byte)v;
        }
    }
}
