// Family: fxsave/fxrstor, ldmxcsr/stmxcsr. (Not yet implemented: registers nothing, so these instructions raise SIGILL.)
namespace Jitexec.Translator.Semantics.X87;

internal static class FxState
{
    public static void Register(HandlerRegistry r) { _ = r; }
}
