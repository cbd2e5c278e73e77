// Family: clc stc cmc cld std lahf sahf. (Not yet implemented: registers nothing, so these instructions raise SIGILL.)
namespace Jitexec.Translator.Semantics.Platform;

internal static class FlagOps
{
    public static void Register(HandlerRegistry r) { _ = r; }
}
