/* Perf guest: double arithmetic (a small n-body style update and a series sum, SSE2). argv[1] scales the work. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 1;
    enum { N = 32 };
    double px[N], py[N], vx[N] = { 0 }, vy[N] = { 0 };
    for (int i = 0; i < N; i++) { px[i] = i * 1.25; py[i] = (i % 5) * 0.75 - 1.0; }
    for (int s = 0; s < 40 * scale; s++)
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                if (i == j) continue;
                double dx = px[j] - px[i], dy = py[j] - py[i], d2 = dx * dx + dy * dy + 0.01;
                double f = 0.001 / (d2 * d2);
                vx[i] += dx * f; vy[i] += dy * f;
            }
    double e = 0;
    for (int i = 0; i < N; i++) e += vx[i] * vx[i] + vy[i] * vy[i];
    double series = 0;
    for (int k = 1; k < 100000 * scale; k++) series += (k & 1 ? 1.0 : -1.0) / (2.0 * k - 1.0);
    printf("%.12e %.12f\n", e, 4 * series);
    return 0;
}
