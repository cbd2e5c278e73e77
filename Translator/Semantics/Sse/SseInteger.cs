// Family: SSE2 packed integer arithmetic, logic, compares and shifts. (Not yet implemented: registers nothing, so these instructions raise SIGILL.)
namespace Jitexec.Translator.Semantics.Sse;

internal static class SseInteger
{
    public static void Register(HandlerRegistry r) { _ = r; }
}
