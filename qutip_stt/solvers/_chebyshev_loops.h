/*
 * The loops of qutip_stt's compiled Chebyshev recursion (no Python here;
 * _chebyshev_kernel.c checks the arguments and releases the GIL around them).
 *
 * Kets are complex, stored as interleaved float64 pairs. The recursion
 * w_k = w_{k-2} -/+ A w_{k-1} of qutip_stt.solvers.chebyshev keeps its
 * vectors by parity in two ring buffers of `size` kets: for each pair index
 * i in [first, stop), with j = i % size and p = (i - 1) % size,
 *     even[j] = even[p] - A odd[p],  then, if i < n_odd,
 *     odd[j]  = odd[p]  + A even[j].
 */
#ifndef QUTIP_STT_CHEBYSHEV_LOOPS_H
#define QUTIP_STT_CHEBYSHEV_LOOPS_H

#include <stddef.h>
#include <stdint.h>

/* A real sparse block: n rows, CSR with int32 indices. */
typedef struct {
    ptrdiff_t n;
    const int32_t *ptr, *idx;
    const double *data;
} csr_block;

/* A sector block from its tensor structure, kets in the (n_c, L) layout
 * (configuration major): hop on the chain's bonds, pot[L] on its sites (or
 * NULL), the n_c x n_c CSR of the spin terms on every site, and the site
 * terms: an (n_s n_c) x n_c CSR whose block b acts on site sites[b]. */
typedef struct {
    ptrdiff_t L, nc, ns;
    double hop;
    const double *pot;
    const int32_t *sp, *si;
    const double *sd;
    const int32_t *sites, *op, *oi;
    const double *od;
} sector_block;

void csr_apply(const csr_block *a, double s, const double *x, double *y);
void csr_terms(const csr_block *a, double *even, double *odd, ptrdiff_t size,
               ptrdiff_t first, ptrdiff_t stop, ptrdiff_t n_odd);
/* out[2 i] = Re <k_i|A|k_i>, out[2 i + 1] = <k_i|k_i> for the m kets. */
void csr_expectations(const csr_block *a, const double *kets, ptrdiff_t m,
                      double *out);

/* zeros: 2 L zero doubles (one row of the layout). */
void sector_apply(const sector_block *a, double s, const double *x,
                  double *y, const double *zeros);
void sector_terms(const sector_block *a, double *even, double *odd,
                  ptrdiff_t size, ptrdiff_t first, ptrdiff_t stop,
                  ptrdiff_t n_odd);
void sector_expectations(const sector_block *a, const double *kets,
                         ptrdiff_t m, double *out, double *scratch,
                         const double *zeros);

#endif
