/* Guest test: the SSE floating-point environment seen by hot loops of plain arithmetic —
   the exception flags each kind of operation raises (fetestexcept after every phase), all four
   rounding modes, NaN results inside a loop, single and double precision, and flags raised
   around library calls. Output must match native in every tier; the JIT runs these loops in
   host-flags mode and must fall back (side exits, per-op flags) where that does not apply. */
#include <fenv.h>
#include <math.h>
#include <stdio.h>

static volatile double vd[8] = { 1.0, 3.0, 1e-300, 1e300, 0.0, -2.0, 2.5e-310, 7.0 };
static volatile float vf[4] = { 1.0f, 3.0f, 1e-30f, 1e30f };

static void flags(const char *what, double r)
{
    printf("%-12s %-24a %s%s%s%s%s\n", what, r,
           fetestexcept(FE_INEXACT) ? "PE " : "", fetestexcept(FE_UNDERFLOW) ? "UE " : "",
           fetestexcept(FE_OVERFLOW) ? "OE " : "", fetestexcept(FE_DIVBYZERO) ? "ZE " : "",
           fetestexcept(FE_INVALID) ? "IE " : "");
    feclearexcept(FE_ALL_EXCEPT);
}

static double series(int n, double a, double b)
{
    double s = 0;
    for (int i = 1; i <= n; i++) { s += a / (i + b); s = s * 0.999 - b / i; }
    return s;
}

static float seriesf(int n, float a, float b)
{
    float s = 0;
    for (int i = 1; i <= n; i++) { s += a / ((float)i + b); s = s * 0.999f - b / (float)i; }
    return s;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? 20000 : 20000;
    double x;
    feclearexcept(FE_ALL_EXCEPT);

    x = 0; for (int i = 0; i < n; i++) x += (double)(i & 7) * 0.5;            flags("exact", x);
    x = 0; for (int i = 1; i < n; i++) x += vd[0] / (double)i;                  flags("inexact", x);
    x = vd[2]; for (int i = 0; i < n; i++) x = x * 0.5 + vd[4];                 flags("underflow", x);
    x = vd[3]; for (int i = 0; i < n; i++) x = x * 3.0 - vd[0];                 flags("overflow", x);
    x = 0; for (int i = 0; i < n; i++) x += vd[0] / vd[4];                      flags("divbyzero", x);
    x = 0; for (int i = 0; i < n; i++) x += (vd[4] / vd[4]) * (double)i;        flags("invalid-nan", x);
    x = 0; for (int i = 0; i < n; i++) x += sqrt(vd[5] + (double)(i & 1));      flags("sqrt-neg", x);
    x = 0; for (int i = 0; i < n; i++) x += vd[6] * 0.25 + vd[6];               flags("denormal", x);
    x = 0; for (int i = 0; i < n; i++) x += (double)((long)i << 40 | 1);         flags("cvt-inexact", x);
    float f = 0; for (int i = 1; i < n; i++) f += vf[0] / (float)i;             flags("f-inexact", f);
    f = vf[2]; for (int i = 0; i < n; i++) f = f * 0.5f + 0.0f;                 flags("f-underflow", f);
    f = vf[3]; for (int i = 0; i < n; i++) f = f * 3.0f;                        flags("f-overflow", f);

    static const int modes[] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO };
    static const char *names[] = { "nearest", "down", "up", "zero" };
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        flags(names[m], series(n, vd[0], vd[7]));
        flags(names[m], seriesf(n, (float)vd[0], 7.0f));
    }
    fesetround(FE_TONEAREST);
    flags("nearest", series(n, vd[1], vd[0]));
    return 0;
}
