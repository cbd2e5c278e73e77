// Family: bt bts btr btc bsf bsr bswap. (Not yet implemented: registers nothing, so these instructions raise SIGILL.)
namespace Jitexec.Translator.Semantics.Integer;

internal static class BitOps
{
    public static void Register(HandlerRegistry r) { _ = r; }
}
