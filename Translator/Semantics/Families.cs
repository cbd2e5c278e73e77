// Every instruction family registers its handlers here, one line per family file.
// Adding a family: create its file under Semantics/<Group>/ and add one line below.
namespace Jitexec.Translator.Semantics;

internal static class Families
{
    public static void RegisterAll(HandlerRegistry r)
    {
        Integer.Arith.Register(r);
        Integer.Shifts.Register(r);
        Integer.MulDiv.Register(r);
        Integer.BitOps.Register(r);
        Integer.Conditional.Register(r);
        Data.Moves.Register(r);
        Data.Stack.Register(r);
        Data.Atomics.Register(r);
        Data.Strings.Register(r);
        Control.Branches.Register(r);
        Platform.SystemOps.Register(r);
        Platform.FlagOps.Register(r);
        Sse.SseMoves.Register(r);
        Sse.SseShuffles.Register(r);
        Sse.SseInteger.Register(r);
        Sse.SseFloat.Register(r);
        Sse.SseConvert.Register(r);
        X87.X87Ops.Register(r);
        X87.X87ArithOps.Register(r);
        X87.FxState.Register(r);
    }
}
