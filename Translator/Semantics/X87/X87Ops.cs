// Family: the x87 subset glibc uses. (Not yet implemented: registers nothing, so these instructions raise SIGILL.)
namespace Jitexec.Translator.Semantics.X87;

internal static class X87Ops
{
    public static void Register(HandlerRegistry r) { _ = r; }
}
