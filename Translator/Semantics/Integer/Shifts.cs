// Family: shl shr sar rol ror rcl rcr shld shrd. (Not yet implemented: registers nothing, so these instructions raise SIGILL.)
namespace Jitexec.Translator.Semantics.Integer;

internal static class Shifts
{
    public static void Register(HandlerRegistry r) { _ = r; }
}
