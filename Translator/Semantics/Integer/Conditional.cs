// Family: setcc cmovcc. (Not yet implemented: registers nothing, so these instructions raise SIGILL.)
namespace Jitexec.Translator.Semantics.Integer;

internal static class Conditional
{
    public static void Register(HandlerRegistry r) { _ = r; }
}
