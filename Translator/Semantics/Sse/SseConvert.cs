// Family: SSE/SSE2 conversions. (Not yet implemented: registers nothing, so these instructions raise SIGILL.)
namespace Jitexec.Translator.Semantics.Sse;

internal static class SseConvert
{
    public static void Register(HandlerRegistry r) { _ = r; }
}
