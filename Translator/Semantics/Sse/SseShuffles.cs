// Family: SSE/SSE2 shuffles, unpacks, inserts and extracts. (Not yet implemented: registers nothing, so these instructions raise SIGILL.)
namespace Jitexec.Translator.Semantics.Sse;

internal static class SseShuffles
{
    public static void Register(HandlerRegistry r) { _ = r; }
}
