// Decode throughput over real code (the executable segment of /usr/bin/perl): Iced alone,
// and Iced plus OpBuilder (the pre-decoded Op the interpreter runs). Reported per guest
// instruction: 1 / (time per op) is the guest instructions/s the decoder sustains.
using BenchmarkDotNet.Attributes;
using Iced.Intel;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Semantics;

namespace Jitexec.Perf;

[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private const int Instructions = 40_000;
    private byte[] _code = [];
    private ulong _ip;

    [GlobalSetup]
    public void Setup() => (_code, _ip) = GuestCode.ExecutableSegment();

    [Benchmark(OperationsPerInvoke = Instructions, Description = "Iced decode (per guest instruction)")]
    public ulong IcedDecode()
    {
        var reader = new ByteArrayCodeReader(_code);
        var decoder = Decoder.Create(64, reader, _ip, DecoderOptions.None);
        ulong sum = 0;
        for (int n = 0; n < Instructions; n++)
        {
            if (!reader.CanReadByte) { reader.Position = 0; decoder.IP = _ip; }
            decoder.Decode(out Instruction insn);
            sum += (ulong)insn.Length;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Instructions, Description = "Iced decode + OpBuilder (per guest instruction)")]
    public ulong DecodeAndBuildOps()
    {
        var reader = new ByteArrayCodeReader(_code);
        var decoder = Decoder.Create(64, reader, _ip, DecoderOptions.None);
        var handlers = HandlerRegistry.Default;
        ulong sum = 0;
        for (int n = 0; n < Instructions; n++)
        {
            if (!reader.CanReadByte) { reader.Position = 0; decoder.IP = _ip; }
            decoder.Decode(out Instruction insn);
            if (insn.IsInvalid) continue;
            var op = OpBuilder.Build(in insn, handlers);
            sum += op.NextIp;
        }
        return sum;
    }
}
