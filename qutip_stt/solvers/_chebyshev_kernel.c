/*
 * qutip_stt.solvers._chebyshev_kernel: the Chebyshev recursion of
 * qutip_stt.solvers.chebyshev in compiled loops (_chebyshev_loops.c).
 *
 * SciPy's csr_matvec needs a block's data in the kets' dtype (complex: twice
 * the multiplications of a real block) and costs one Python call, one copy
 * and one GIL hand-over per term; here a whole run of terms is one call
 * without the GIL, each term a single pass y = z + s A x.
 *
 * A block A is a tuple, in one of two forms:
 *   (indptr, indices, data): a real sparse block, CSR (int32, int32,
 *       float64), on kets in its own order;
 *   (L, n_c, hop, pot, spin_indptr, spin_indices, spin_data, sites,
 *    site_indptr, site_indices, site_data): a sector block from its tensor
 *       structure (_chebyshev_loops.h), on kets in the (n_c, L) layout.
 * Kets are contiguous complex128 arrays.
 *
 * Private to qutip_stt: qutip_stt/solvers/kernels.py and sector_operator.py
 * build the tuples and hold the pure-SciPy route used where this module is
 * not built. Every buffer's length is checked at every call; the index
 * arrays of a sparse block once, by check() (O(entries)), those of a sector
 * block's small matrices at every call.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
#include <stdlib.h>

#include "_chebyshev_loops.h"

/* A block parsed from its tuple; its buffers are held until release(). */
typedef struct {
    int sector;                 /* 0: sparse block, 1: sector block */
    Py_ssize_t n;               /* states of a ket */
    Py_buffer buf[8];
    int held;                   /* buffers of buf[] acquired */
    csr_block csr;
    sector_block sec;
} block_t;

static void
release(block_t *b)
{
    for (int i = 0; i < b->held; i++)
        PyBuffer_Release(&b->buf[i]);
    b->held = 0;
}

/* Checks a CSR matrix of `rows` rows: lengths and end points, and with
 * cols >= 0 also that indptr never decreases and every column index lies in
 * [0, cols). */
static int
check_csr(const char *name, const Py_buffer *ptr, const Py_buffer *idx,
          const Py_buffer *data, Py_ssize_t rows, Py_ssize_t cols)
{
    const Py_ssize_t nnz = idx->len / 4;
    if (ptr->len != 4 * (rows + 1) || idx->len % 4 != 0
        || data->len != 8 * nnz) {
        PyErr_Format(PyExc_ValueError,
                     "%s: CSR arrays of the wrong lengths (int32 indptr of "
                     "%zd entries, int32 indices and float64 data of one "
                     "length)", name, rows + 1);
        return -1;
    }
    const int32_t *p = ptr->buf, *i = idx->buf;
    if (p[0] != 0 || p[rows] != nnz) {
        PyErr_Format(PyExc_ValueError, "%s: indptr must run from 0 to %zd",
                     name, nnz);
        return -1;
    }
    if (cols < 0)
        return 0;
    for (Py_ssize_t r = 0; r < rows; r++)
        if (p[r] > p[r + 1]) {
            PyErr_Format(PyExc_ValueError, "%s: indptr decreases", name);
            return -1;
        }
    for (Py_ssize_t k = 0; k < nnz; k++)
        if (i[k] < 0 || i[k] >= cols) {
            PyErr_Format(PyExc_ValueError,
                         "%s: column index out of [0, %zd)", name, cols);
            return -1;
        }
    return 0;
}

static int
parse_csr(PyObject *tuple, block_t *b, int full)
{
    Py_buffer *v = b->buf;
    if (!PyArg_ParseTuple(tuple, "y*y*y*;block: (indptr, indices, data)",
                          &v[0], &v[1], &v[2]))
        return -1;
    b->held = 3;
    if (v[0].len < 4 || v[0].len % 4 != 0) {
        PyErr_SetString(PyExc_ValueError, "indptr: int32, at least one entry");
        return -1;
    }
    b->n = v[0].len / 4 - 1;
    if (check_csr("block", &v[0], &v[1], &v[2], b->n, full ? b->n : -1) < 0)
        return -1;
    b->csr = (csr_block){b->n, v[0].buf, v[1].buf, v[2].buf};
    return 0;
}

static int
parse_sector(PyObject *tuple, block_t *b)
{
    Py_buffer *v = b->buf;
    sector_block *a = &b->sec;
    Py_ssize_t L, nc;
    if (!PyArg_ParseTuple(tuple, "nndy*y*y*y*y*y*y*y*;block: a sector's "
                          "11 fields", &L, &nc, &a->hop, &v[0], &v[1], &v[2],
                          &v[3], &v[4], &v[5], &v[6], &v[7]))
        return -1;
    b->held = 8;
    if (L < 1 || nc < 1 || L > PY_SSIZE_T_MAX / 16 / nc) {
        PyErr_SetString(PyExc_ValueError,
                        "sector: needs L >= 1 and n_c >= 1");
        return -1;
    }
    if (v[0].len != 0 && v[0].len != 8 * L) {
        PyErr_SetString(PyExc_ValueError, "pot: float64, L entries or none");
        return -1;
    }
    if (v[4].len % 4 != 0) {
        PyErr_SetString(PyExc_ValueError, "sites: int32");
        return -1;
    }
    const Py_ssize_t ns = v[4].len / 4;
    if (check_csr("spin terms", &v[1], &v[2], &v[3], nc, nc) < 0
        || check_csr("site terms", &v[5], &v[6], &v[7], ns * nc, nc) < 0)
        return -1;
    const int32_t *sites = v[4].buf;
    for (Py_ssize_t s = 0; s < ns; s++)
        if (sites[s] < 0 || sites[s] >= L) {
            PyErr_Format(PyExc_ValueError, "sites: out of [0, %zd)", L);
            return -1;
        }
    a->L = L;
    a->nc = nc;
    a->ns = ns;
    a->pot = v[0].len ? v[0].buf : NULL;
    a->sp = v[1].buf;
    a->si = v[2].buf;
    a->sd = v[3].buf;
    a->sites = sites;
    a->op = v[5].buf;
    a->oi = v[6].buf;
    a->od = v[7].buf;
    b->n = L * nc;
    return 0;
}

/* Parses a block's tuple (full: also check a sparse block's indices). */
static int
parse_block(PyObject *obj, block_t *b, int full)
{
    b->held = 0;
    if (!PyTuple_Check(obj)
        || (PyTuple_GET_SIZE(obj) != 3 && PyTuple_GET_SIZE(obj) != 11)) {
        PyErr_SetString(PyExc_TypeError,
                        "block: a tuple of 3 (sparse) or 11 (sector) fields");
        return -1;
    }
    b->sector = PyTuple_GET_SIZE(obj) == 11;
    return b->sector ? parse_sector(obj, b) : parse_csr(obj, b, full);
}

static int
check_kets(const char *name, const Py_buffer *view, Py_ssize_t n,
           Py_ssize_t rows)
{
    if (rows < 0 || (n > 0 && rows > PY_SSIZE_T_MAX / 16 / n)) {
        PyErr_Format(PyExc_ValueError, "%s: %zd kets of %zd states is not "
                     "a size", name, rows, n);
        return -1;
    }
    if (view->len < 16 * n * rows) {
        PyErr_Format(PyExc_ValueError,
                     "%s: needs %zd complex entries, has %zd", name,
                     n * rows, view->len / 16);
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(check_doc,
"check(block)\n--\n\n"
"Raises ValueError unless block is one this module can run (a sparse\n"
"block's indptr never decreasing and its column indices in range).");

static PyObject *
check(PyObject *self, PyObject *args)
{
    PyObject *obj;
    block_t b;
    (void)self;
    if (!PyArg_ParseTuple(args, "O", &obj))
        return NULL;
    int bad = parse_block(obj, &b, 1) < 0;
    release(&b);
    return bad ? NULL : Py_NewRef(Py_None);
}

PyDoc_STRVAR(apply_doc,
"apply(block, x, y, s)\n--\n\n"
"y = s A x; y must not share memory with x.");

static PyObject *
apply(PyObject *self, PyObject *args)
{
    PyObject *obj, *result = NULL;
    Py_buffer x, y;
    double s, *zeros = NULL;
    block_t b;
    (void)self;
    if (!PyArg_ParseTuple(args, "Oy*w*d", &obj, &x, &y, &s))
        return NULL;
    if (parse_block(obj, &b, 0) < 0 || check_kets("x", &x, b.n, 1) < 0
        || check_kets("y", &y, b.n, 1) < 0)
        goto done;
    if (b.sector && !(zeros = calloc(2 * b.sec.L, sizeof(double)))) {
        PyErr_NoMemory();
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    if (b.sector)
        sector_apply(&b.sec, s, x.buf, y.buf, zeros);
    else
        csr_apply(&b.csr, s, x.buf, y.buf);
    Py_END_ALLOW_THREADS
    result = Py_NewRef(Py_None);
done:
    free(zeros);
    release(&b);
    PyBuffer_Release(&x);
    PyBuffer_Release(&y);
    return result;
}

PyDoc_STRVAR(terms_doc,
"terms(block, even, odd, size, first, stop, n_odd)\n--\n\n"
"For i in [first, stop), with j = i % size and p = (i - 1) % size:\n"
"even[j] = even[p] - A odd[p], then, if i < n_odd, odd[j] = odd[p] + A even[j]\n"
"(even and odd: ring buffers of size kets).");

static PyObject *
terms(PyObject *self, PyObject *args)
{
    PyObject *obj, *result = NULL;
    Py_buffer even, odd;
    Py_ssize_t size, first, stop, n_odd;
    block_t b;
    (void)self;
    if (!PyArg_ParseTuple(args, "Ow*w*nnnn", &obj, &even, &odd, &size,
                          &first, &stop, &n_odd))
        return NULL;
    if (parse_block(obj, &b, 0) < 0)
        goto done;
    if (size < 2 || first < 1 || stop < first) {
        PyErr_SetString(PyExc_ValueError,
                        "terms: needs size >= 2 and 1 <= first <= stop");
        goto done;
    }
    if (check_kets("even", &even, b.n, size) < 0
        || check_kets("odd", &odd, b.n, size) < 0)
        goto done;
    Py_BEGIN_ALLOW_THREADS
    if (b.sector)
        sector_terms(&b.sec, even.buf, odd.buf, size, first, stop, n_odd);
    else
        csr_terms(&b.csr, even.buf, odd.buf, size, first, stop, n_odd);
    Py_END_ALLOW_THREADS
    result = Py_NewRef(Py_None);
done:
    release(&b);
    PyBuffer_Release(&even);
    PyBuffer_Release(&odd);
    return result;
}

PyDoc_STRVAR(expectations_doc,
"expectations(block, kets, out)\n--\n\n"
"out[i] = (Re <k_i|A|k_i>, <k_i|k_i>) for the len(out) kets k_i (rows of\n"
"kets; out: (m, 2) float64).");

static PyObject *
expectations(PyObject *self, PyObject *args)
{
    PyObject *obj, *result = NULL;
    Py_buffer kets, out;
    double *scratch = NULL;
    block_t b;
    (void)self;
    if (!PyArg_ParseTuple(args, "Oy*w*", &obj, &kets, &out))
        return NULL;
    const Py_ssize_t m = out.len / 16;
    if (parse_block(obj, &b, 0) < 0 || check_kets("kets", &kets, b.n, m) < 0)
        goto done;
    /* a sector block: one ket's room, then one row of zeros */
    if (b.sector
        && !(scratch = calloc(2 * (b.n + b.sec.L), sizeof(double)))) {
        PyErr_NoMemory();
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    if (b.sector)
        sector_expectations(&b.sec, kets.buf, m, out.buf, scratch,
                            scratch + 2 * b.n);
    else
        csr_expectations(&b.csr, kets.buf, m, out.buf);
    Py_END_ALLOW_THREADS
    result = Py_NewRef(Py_None);
done:
    free(scratch);
    release(&b);
    PyBuffer_Release(&kets);
    PyBuffer_Release(&out);
    return result;
}

/* ---- the series' vectors into its outputs -------------------------------- */

/* BLAS dgemm (Fortran interface), from SciPy's cython_blas (use_dgemm). */
typedef void dgemm_t(char *, char *, int *, int *, int *, double *, double *,
                     int *, double *, int *, double *, double *, int *);
static dgemm_t *dgemm_ptr = NULL;

PyDoc_STRVAR(use_dgemm_doc,
"use_dgemm(capsule)\n--\n\n"
"The dgemm of combine(): scipy.linalg.cython_blas.__pyx_capi__['dgemm'].");

static PyObject *
use_dgemm(PyObject *self, PyObject *args)
{
    PyObject *capsule;
    (void)self;
    if (!PyArg_ParseTuple(args, "O", &capsule))
        return NULL;
    const char *name = PyCapsule_GetName(capsule);
    if (name == NULL && PyErr_Occurred())
        return NULL;
    void *ptr = PyCapsule_GetPointer(capsule, name);
    if (ptr == NULL)
        return NULL;
    dgemm_ptr = (dgemm_t *)ptr;
    return Py_NewRef(Py_None);
}

PyDoc_STRVAR(combine_doc,
"combine(out, weights, vectors)\n--\n\n"
"out += weights @ vectors by BLAS dgemm without the GIL: out (m, w),\n"
"weights (m, p), vectors (p, w) float64 in C order (vectors may be p\n"
"complex kets seen as 2 n floats), m, p and w given by the lengths.");

static PyObject *
combine(PyObject *self, PyObject *args)
{
    PyObject *result = NULL;
    Py_buffer out, w, v;
    Py_ssize_t m, p;
    (void)self;
    if (!PyArg_ParseTuple(args, "w*y*y*nn", &out, &w, &v, &m, &p))
        return NULL;
    if (dgemm_ptr == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "combine: no dgemm (use_dgemm)");
        goto done;
    }
    if (m < 1 || p < 1 || w.len != 8 * m * p || out.len % (8 * m)
        || v.len % (8 * p) || out.len / m != v.len / p
        || out.len / 8 / m > INT_MAX || m > INT_MAX || p > INT_MAX) {
        PyErr_SetString(PyExc_ValueError,
                        "combine: needs out (m, w), weights (m, p) and "
                        "vectors (p, w), m, p >= 1");
        goto done;
    }
    /* C order out^T (w x m) += vectors^T (w x p) weights^T (p x m): the
     * Fortran product of the same memory */
    int rows = (int)(out.len / 8 / m), cols = (int)m, inner = (int)p;
    double one = 1.0;
    char no = 'N';
    Py_BEGIN_ALLOW_THREADS
    dgemm_ptr(&no, &no, &rows, &cols, &inner, &one, v.buf, &rows, w.buf,
              &inner, &one, out.buf, &rows);
    Py_END_ALLOW_THREADS
    result = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&out);
    PyBuffer_Release(&w);
    PyBuffer_Release(&v);
    return result;
}

static PyMethodDef methods[] = {
    {"check", check, METH_VARARGS, check_doc},
    {"apply", apply, METH_VARARGS, apply_doc},
    {"terms", terms, METH_VARARGS, terms_doc},
    {"expectations", expectations, METH_VARARGS, expectations_doc},
    {"use_dgemm", use_dgemm, METH_VARARGS, use_dgemm_doc},
    {"combine", combine, METH_VARARGS, combine_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_chebyshev_kernel",
    .m_doc = "Compiled Chebyshev recursion (private; see "
             "qutip_stt.solvers.kernels).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__chebyshev_kernel(void)
{
    return PyModule_Create(&module);
}
