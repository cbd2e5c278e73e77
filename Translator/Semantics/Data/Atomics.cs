// Family: xchg cmpxchg xadd (lock prefix). (Not yet implemented: registers nothing, so these instructions raise SIGILL.)
namespace Jitexec.Translator.Semantics.Data;

internal static class Atomics
{
    public static void Register(HandlerRegistry r) { _ = r; }
}
