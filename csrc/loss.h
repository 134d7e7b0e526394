/* Fused loss-and-gradient kernels of linear classifiers.
 *
 * scores = X[rows] @ W (+ b) with W (D, C) C-contiguous, then a
 * per-row loss, then dW = X[rows]^T G / n + 2 reg W, in one pass over each
 * block of rows.  X rows are D contiguous values, `ldx` elements apart; `idx` (may be
 * NULL) selects the n rows used, duplicates allowed; y (n) holds the label
 * of each row used, in the same order.
 *
 * Outputs: *loss = mean data loss + reg * sum(W^2), dW (D, C) its gradient
 * w.r.t. W, db (C) the gradient w.r.t. the unregularised b (may be NULL, and
 * must be NULL when b is NULL).  Callers validate everything beforehand: labels in
 * [0, C), indices in [0, N), n >= 1, D >= 1, C >= 1.
 *
 * Rows are summed in groups fixed by the problem size and reduced in group
 * order, so results are bitwise identical for every thread count.
 * num_threads <= 0 means OpenMP's default.  scratch: see
 * fl_loss_scratch_bytes.  Returns FL_OK, FL_ENOMEM, or FL_LOSS_EINVAL for an
 * unknown kind. */
#ifndef FASTLIN_LOSS_H
#define FASTLIN_LOSS_H

#include "common.h"

/* kind: the per-row loss.  SVM: Weston-Watkins multiclass hinge; SVM_OVA:
 * One-vs-All (a binary hinge per class); SVM_CS: Crammer-Singer (only the
 * highest-scoring wrong class); the _SQ kinds: the same with every hinge
 * max(0, m) squared; SOFTMAX: cross-entropy (delta unused). */
enum {
    FL_LOSS_SVM = 0, FL_LOSS_SOFTMAX = 1, FL_LOSS_SVM_OVA = 2, FL_LOSS_SVM_CS = 3,
    FL_LOSS_SVM_SQ = 4, FL_LOSS_SVM_OVA_SQ = 5, FL_LOSS_SVM_CS_SQ = 6
};
enum { FL_LOSS_EINVAL = 2 }; /* fl_loss_part: bad kind, scratch or step range */

typedef int fl_loss_float_fn(int kind, const float *W, const float *b, const float *X,
                             ptrdiff_t ldx, const ptrdiff_t *idx, const ptrdiff_t *y,
                             ptrdiff_t n, ptrdiff_t D, ptrdiff_t C, float delta,
                             double reg, int num_threads, void *scratch,
                             size_t scratch_bytes, double *loss, float *dW, float *db);
fl_loss_float_fn fl_loss_float;

typedef int fl_loss_double_fn(int kind, const double *W, const double *b, const double *X,
                              ptrdiff_t ldx, const ptrdiff_t *idx, const ptrdiff_t *y,
                              ptrdiff_t n, ptrdiff_t D, ptrdiff_t C, double delta,
                              double reg, int num_threads, void *scratch,
                              size_t scratch_bytes, double *loss, double *dW,
                              double *db);
fl_loss_double_fn fl_loss_double;

/* Bytes of scratch a call with these sizes uses.  Callers making many
 * calls can keep one buffer of this size and pass it as `scratch` (any
 * alignment): a fresh allocation per call costs page faults that, for a
 * 200-row minibatch, can exceed the arithmetic.  With scratch NULL or
 * smaller, the kernel allocates (and frees) its own. */
typedef size_t fl_loss_scratch_bytes_float_fn(ptrdiff_t n, ptrdiff_t D, ptrdiff_t C,
                                              int num_threads);
fl_loss_scratch_bytes_float_fn fl_loss_scratch_bytes_float;
typedef size_t fl_loss_scratch_bytes_double_fn(ptrdiff_t n, ptrdiff_t D, ptrdiff_t C,
                                               int num_threads);
fl_loss_scratch_bytes_double_fn fl_loss_scratch_bytes_double;

/* A call in parts, so that a caller can check for interrupts between them:
 * the work is fl_loss_steps(...) steps (a step is one block of rows of every
 * group), and fl_loss_part does steps [s0, s1).  Calls for consecutive ranges
 * from 0 to the step count, with the same arguments and the same scratch
 * (at least fl_loss_scratch_bytes, required), give bitwise the result of one
 * fl_loss call; loss, dW and db are written by the part that ends at the step
 * count.  Returns FL_OK or FL_LOSS_EINVAL. */
typedef ptrdiff_t fl_loss_steps_float_fn(ptrdiff_t n, ptrdiff_t D, ptrdiff_t C, int num_threads);
fl_loss_steps_float_fn fl_loss_steps_float;
typedef ptrdiff_t fl_loss_steps_double_fn(ptrdiff_t n, ptrdiff_t D, ptrdiff_t C, int num_threads);
fl_loss_steps_double_fn fl_loss_steps_double;
typedef int fl_loss_part_float_fn(int kind, const float *W, const float *b, const float *X,
                                  ptrdiff_t ldx, const ptrdiff_t *idx, const ptrdiff_t *y,
                                  ptrdiff_t n, ptrdiff_t D, ptrdiff_t C, float delta, double reg,
                                  int num_threads, void *scratch, size_t scratch_bytes,
                                  ptrdiff_t s0, ptrdiff_t s1, double *loss, float *dW, float *db);
fl_loss_part_float_fn fl_loss_part_float;
typedef int fl_loss_part_double_fn(int kind, const double *W, const double *b, const double *X,
                                   ptrdiff_t ldx, const ptrdiff_t *idx, const ptrdiff_t *y,
                                   ptrdiff_t n, ptrdiff_t D, ptrdiff_t C, double delta, double reg,
                                   int num_threads, void *scratch, size_t scratch_bytes,
                                   ptrdiff_t s0, ptrdiff_t s1, double *loss, double *dW, double *db);
fl_loss_part_double_fn fl_loss_part_double;

#endif
