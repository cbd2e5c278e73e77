// Family: SSE/SSE2 register and memory moves. (Not yet implemented: registers nothing, so these instructions raise SIGILL.)
namespace Jitexec.Translator.Semantics.Sse;

internal static class SseMoves
{
    public static void Register(HandlerRegistry r) { _ = r; }
}
