// Family: mul imul div idiv. (Not yet implemented: registers nothing, so these instructions raise SIGILL.)
namespace Jitexec.Translator.Semantics.Integer;

internal static class MulDiv
{
    public static void Register(HandlerRegistry r) { _ = r; }
}
