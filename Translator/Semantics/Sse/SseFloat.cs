// Family: SSE/SSE2 scalar and packed floating point. (Not yet implemented: registers nothing, so these instructions raise SIGILL.)
namespace Jitexec.Translator.Semantics.Sse;

internal static class SseFloat
{
    public static void Register(HandlerRegistry r) { _ = r; }
}
