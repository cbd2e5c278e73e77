// Feeds guest memory to Iced's decoder, stopping at the end of the executable mapping so a
// decode never touches memory the guest could not execute.
using Iced.Intel;
using Jitexec.Translator.Memory;

namespace Jitexec.Translator.Decode;

internal sealed unsafe class GuestCodeReader : CodeReader
{
    private readonly GuestMemory _mem;
    private ulong _pos;
    private ulong _limit;

    public GuestCodeReader(GuestMemory mem) => _mem = mem;

    public void Reset(ulong pos, ulong limit)
    {
        _pos = pos;
        _limit = limit;
    }

    public override int ReadByte() => _pos < _limit ? _mem.Read8(_pos++) : -1;
}
