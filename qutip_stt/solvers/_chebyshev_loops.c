/*
 * The loops of qutip_stt's compiled Chebyshev recursion: see
 * _chebyshev_loops.h. Each entry point is compiled for several x86-64 levels
 * where GCC (11 or newer, for the x86-64-v3/v4 names) can choose one at load
 * time (AVX-512, AVX2 + FMA, baseline SSE2): the sector passes are 2x faster
 * with AVX2 than with SSE2. Elsewhere it is compiled once, for the
 * compiler's default target.
 */
#include "_chebyshev_loops.h"

#if defined(__GNUC__) && __GNUC__ >= 11 && !defined(__clang__) \
    && defined(__x86_64__) && defined(__linux__)
#define MULTIVERSION \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", \
                                 "default")))
#else
#define MULTIVERSION
#endif

/* ---- a real sparse block ------------------------------------------------ */

/* (A x)[r] into re, im. */
static inline void
csr_row(const csr_block *a, ptrdiff_t r, const double *restrict x,
        double *re, double *im)
{
    double sr = 0.0, si = 0.0;
    for (int32_t k = a->ptr[r]; k < a->ptr[r + 1]; k++) {
        const double *xc = x + 2 * (ptrdiff_t)a->idx[k];
        sr += a->data[k] * xc[0];
        si += a->data[k] * xc[1];
    }
    *re = sr;
    *im = si;
}

/* y = z + s A x, or y = s A x where z is NULL; y shares neither x nor z. */
static inline void
csr_fused(const csr_block *a, double s, const double *restrict x,
          const double *restrict z, double *restrict y)
{
    for (ptrdiff_t r = 0; r < a->n; r++) {
        double re, im;
        csr_row(a, r, x, &re, &im);
        y[2 * r] = s * re;
        y[2 * r + 1] = s * im;
        if (z) {
            y[2 * r] += z[2 * r];
            y[2 * r + 1] += z[2 * r + 1];
        }
    }
}

MULTIVERSION void
csr_apply(const csr_block *a, double s, const double *x, double *y)
{
    csr_fused(a, s, x, NULL, y);
}

MULTIVERSION void
csr_terms(const csr_block *a, double *even, double *odd, ptrdiff_t size,
          ptrdiff_t first, ptrdiff_t stop, ptrdiff_t n_odd)
{
    const ptrdiff_t n2 = 2 * a->n;
    for (ptrdiff_t i = first; i < stop; i++) {
        const ptrdiff_t j = i % size, p = (i - 1) % size;
        csr_fused(a, -1.0, odd + n2 * p, even + n2 * p, even + n2 * j);
        if (i < n_odd)
            csr_fused(a, 1.0, even + n2 * j, odd + n2 * p, odd + n2 * j);
    }
}

MULTIVERSION void
csr_expectations(const csr_block *a, const double *kets, ptrdiff_t m,
                 double *out)
{
    for (ptrdiff_t i = 0; i < m; i++) {
        const double *x = kets + 2 * a->n * i;
        double total = 0.0, norm = 0.0;
        for (ptrdiff_t r = 0; r < a->n; r++) {
            double re, im;
            csr_row(a, r, x, &re, &im);
            total += x[2 * r] * re + x[2 * r + 1] * im;
            norm += x[2 * r] * x[2 * r] + x[2 * r + 1] * x[2 * r + 1];
        }
        out[2 * i] = total;
        out[2 * i + 1] = norm;
    }
}

/* ---- a sector block from its tensor structure --------------------------- */

/* y = z + s A x in the (n_c, L) layout, row c of z at z + c * zstride
 * (zstride 0: one row for all, e.g. zeros); y shares neither x nor z.
 * Per configuration row: z with the hopping in one pass, the potential,
 * then one real axpy over the row's 2 L doubles per entry of the spin
 * terms; then the site terms, on the columns of their sites. */
static inline void
sector_fused(const sector_block *a, double s, const double *restrict x,
             const double *restrict z, ptrdiff_t zstride, double *restrict y)
{
    const ptrdiff_t L = a->L, L2 = 2 * L;
    const double h = s * a->hop;
    for (ptrdiff_t c = 0; c < a->nc; c++) {
        const double *restrict xc = x + L2 * c;
        const double *restrict zc = z + zstride * c;
        double *restrict yc = y + L2 * c;
        if (L2 == 2) {
            yc[0] = zc[0];
            yc[1] = zc[1];
        } else {                    /* y_i = z_i + h (x_{i-1} + x_{i+1}) */
            yc[0] = zc[0] + h * xc[2];
            yc[1] = zc[1] + h * xc[3];
            for (ptrdiff_t t = 2; t < L2 - 2; t++)
                yc[t] = zc[t] + h * (xc[t - 2] + xc[t + 2]);
            yc[L2 - 2] = zc[L2 - 2] + h * xc[L2 - 4];
            yc[L2 - 1] = zc[L2 - 1] + h * xc[L2 - 3];
        }
        if (a->pot)
            for (ptrdiff_t i = 0; i < L; i++) {
                const double v = s * a->pot[i];
                yc[2 * i] += v * xc[2 * i];
                yc[2 * i + 1] += v * xc[2 * i + 1];
            }
        for (int32_t k = a->sp[c]; k < a->sp[c + 1]; k++) {
            const double w = s * a->sd[k];
            const double *restrict xk = x + L2 * a->si[k];
            for (ptrdiff_t t = 0; t < L2; t++)
                yc[t] += w * xk[t];
        }
    }
    for (ptrdiff_t b = 0; b < a->ns; b++) {
        const ptrdiff_t col = 2 * (ptrdiff_t)a->sites[b];
        for (ptrdiff_t c = 0; c < a->nc; c++) {
            const ptrdiff_t r = b * a->nc + c;
            double re = 0.0, im = 0.0;
            for (int32_t k = a->op[r]; k < a->op[r + 1]; k++) {
                const double *xk = x + L2 * a->oi[k] + col;
                re += a->od[k] * xk[0];
                im += a->od[k] * xk[1];
            }
            y[L2 * c + col] += s * re;
            y[L2 * c + col + 1] += s * im;
        }
    }
}

MULTIVERSION void
sector_apply(const sector_block *a, double s, const double *x, double *y,
             const double *zeros)
{
    sector_fused(a, s, x, zeros, 0, y);
}

MULTIVERSION void
sector_terms(const sector_block *a, double *even, double *odd, ptrdiff_t size,
             ptrdiff_t first, ptrdiff_t stop, ptrdiff_t n_odd)
{
    const ptrdiff_t n2 = 2 * a->L * a->nc;
    for (ptrdiff_t i = first; i < stop; i++) {
        const ptrdiff_t j = i % size, p = (i - 1) % size;
        sector_fused(a, -1.0, odd + n2 * p, even + n2 * p, 2 * a->L,
                     even + n2 * j);
        if (i < n_odd)
            sector_fused(a, 1.0, even + n2 * j, odd + n2 * p, 2 * a->L,
                         odd + n2 * j);
    }
}

MULTIVERSION void
sector_expectations(const sector_block *a, const double *kets, ptrdiff_t m,
                    double *out, double *scratch, const double *zeros)
{
    const ptrdiff_t n2 = 2 * a->L * a->nc;
    for (ptrdiff_t i = 0; i < m; i++) {
        const double *x = kets + n2 * i;
        sector_fused(a, 1.0, x, zeros, 0, scratch);
        double total = 0.0, norm = 0.0;
        for (ptrdiff_t t = 0; t < n2; t++) {
            total += x[t] * scratch[t];
            norm += x[t] * x[t];
        }
        out[2 * i] = total;
        out[2 * i + 1] = norm;
    }
}

