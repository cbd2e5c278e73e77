// Family: movs stos lods cmps scas with rep prefixes. (Not yet implemented: registers nothing, so these instructions raise SIGILL.)
namespace Jitexec.Translator.Semantics.Data;

internal static class Strings
{
    public static void Register(HandlerRegistry r) { _ = r; }
}
