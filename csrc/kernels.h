/* The kernel entry points of one instruction-set level, as a table, and
 * the level in use.
 *
 * The families (loss, HOG, colour, k-means, encoding, patches) are compiled from
 * one source once per level, each with its own vector width: "baseline"
 * (x86-64 with SSE2, or the portable build on other CPUs, 16-byte
 * vectors), "avx2" (x86-64-v3: AVX2, FMA, BMI2; 32 bytes) and "avx512"
 * (x86-64-v4: AVX-512 F/BW/DQ/VL; 64 bytes).  The level is chosen once,
 * on first use: the widest the CPU supports, or the one named by the
 * environment variable FASTLIN_SIMD when the CPU supports it.
 *
 * Code outside the per-level objects includes this header and calls the
 * entry points by their plain names (fl_loss_float, ...): the macros at
 * the end route each call through the table in use. */
#ifndef FASTLIN_KERNELS_H
#define FASTLIN_KERNELS_H

#include "colour.h"
#include "encode.h"
#include "hog.h"
#include "kmeans.h"
#include "loss.h"
#include "patches.h"

typedef struct {
    const char *name; /* "baseline", "avx2" or "avx512" */
    fl_loss_float_fn *loss_float;
    fl_loss_double_fn *loss_double;
    fl_loss_scratch_bytes_float_fn *loss_scratch_bytes_float;
    fl_loss_scratch_bytes_double_fn *loss_scratch_bytes_double;
    fl_loss_steps_float_fn *loss_steps_float;
    fl_loss_steps_double_fn *loss_steps_double;
    fl_loss_part_float_fn *loss_part_float;
    fl_loss_part_double_fn *loss_part_double;
    fl_hog_feature_size_fn *hog_feature_size;
    fl_hog_uint8_fn *hog_uint8;
    fl_hog_float_fn *hog_float;
    fl_hog_double_fn *hog_double;
    fl_hue_hist_uint8_fn *hue_hist_uint8;
    fl_hue_hist_float_fn *hue_hist_float;
    fl_hue_hist_double_fn *hue_hist_double;
    fl_kmeans_assign_float_fn *kmeans_assign_float;
    fl_kmeans_assign_double_fn *kmeans_assign_double;
    fl_kmeans_plusplus_float_fn *kmeans_plusplus_float;
    fl_kmeans_plusplus_double_fn *kmeans_plusplus_double;
    fl_kmeans_assign_steps_float_fn *kmeans_assign_steps_float;
    fl_kmeans_assign_steps_double_fn *kmeans_assign_steps_double;
    fl_kmeans_assign_scratch_bytes_float_fn *kmeans_assign_scratch_bytes_float;
    fl_kmeans_assign_scratch_bytes_double_fn *kmeans_assign_scratch_bytes_double;
    fl_kmeans_assign_part_float_fn *kmeans_assign_part_float;
    fl_kmeans_assign_part_double_fn *kmeans_assign_part_double;
    fl_kmeans_plusplus_steps_float_fn *kmeans_plusplus_steps_float;
    fl_kmeans_plusplus_steps_double_fn *kmeans_plusplus_steps_double;
    fl_kmeans_plusplus_scratch_bytes_float_fn *kmeans_plusplus_scratch_bytes_float;
    fl_kmeans_plusplus_scratch_bytes_double_fn *kmeans_plusplus_scratch_bytes_double;
    fl_kmeans_plusplus_part_float_fn *kmeans_plusplus_part_float;
    fl_kmeans_plusplus_part_double_fn *kmeans_plusplus_part_double;
    fl_bow_encode_float_fn *bow_encode_float;
    fl_bow_encode_double_fn *bow_encode_double;
    fl_patch_positions_fn *patch_positions;
    fl_patches_uint8_float_fn *patches_uint8_float;
    fl_patches_uint8_double_fn *patches_uint8_double;
    fl_patches_float_float_fn *patches_float_float;
    fl_patches_double_double_fn *patches_double_double;
    fl_dense_patches_uint8_float_fn *dense_patches_uint8_float;
    fl_dense_patches_uint8_double_fn *dense_patches_uint8_double;
    fl_dense_patches_float_float_fn *dense_patches_float_float;
    fl_dense_patches_double_double_fn *dense_patches_double_double;
    fl_normalize_patches_float_fn *normalize_patches_float;
    fl_normalize_patches_double_fn *normalize_patches_double;
} fl_kernel_table;

/* Status of the FASTLIN_SIMD request (fl_simd_request). */
enum { FL_SIMD_DEFAULT = 0, FL_SIMD_FORCED = 1, FL_SIMD_UNKNOWN = 2, FL_SIMD_UNSUPPORTED = 3 };

/* The table in use (chosen on the first call). */
const fl_kernel_table *fl_active_kernels(void);
/* Levels built into this module, widest last: fl_simd_count() of them. */
int fl_simd_count(void);
const char *fl_simd_name(int i);
/* What level i's objects were compiled for, e.g. "x86-64-v3 (AVX2, FMA)". */
const char *fl_simd_description(int i);
/* 1 when this CPU can run level i. */
int fl_simd_supported(int i);
/* Switches every later kernel call to the named level: FL_SIMD_FORCED,
 * FL_SIMD_UNKNOWN or FL_SIMD_UNSUPPORTED (then nothing changes).  Not for
 * use while a kernel runs in another thread. */
int fl_simd_select(const char *name);
/* How the first choice went: FL_SIMD_DEFAULT (no FASTLIN_SIMD, or empty),
 * FL_SIMD_FORCED, or FL_SIMD_UNKNOWN / FL_SIMD_UNSUPPORTED (the request was
 * ignored and the widest supported level taken). */
int fl_simd_request(void);

#ifndef FL_ISA
#define fl_loss_float (fl_active_kernels()->loss_float)
#define fl_loss_double (fl_active_kernels()->loss_double)
#define fl_loss_scratch_bytes_float (fl_active_kernels()->loss_scratch_bytes_float)
#define fl_loss_scratch_bytes_double (fl_active_kernels()->loss_scratch_bytes_double)
#define fl_loss_steps_float (fl_active_kernels()->loss_steps_float)
#define fl_loss_steps_double (fl_active_kernels()->loss_steps_double)
#define fl_loss_part_float (fl_active_kernels()->loss_part_float)
#define fl_loss_part_double (fl_active_kernels()->loss_part_double)
#define fl_hog_feature_size (fl_active_kernels()->hog_feature_size)
#define fl_hog_uint8 (fl_active_kernels()->hog_uint8)
#define fl_hog_float (fl_active_kernels()->hog_float)
#define fl_hog_double (fl_active_kernels()->hog_double)
#define fl_hue_hist_uint8 (fl_active_kernels()->hue_hist_uint8)
#define fl_hue_hist_float (fl_active_kernels()->hue_hist_float)
#define fl_hue_hist_double (fl_active_kernels()->hue_hist_double)
#define fl_kmeans_assign_float (fl_active_kernels()->kmeans_assign_float)
#define fl_kmeans_assign_double (fl_active_kernels()->kmeans_assign_double)
#define fl_kmeans_plusplus_float (fl_active_kernels()->kmeans_plusplus_float)
#define fl_kmeans_plusplus_double (fl_active_kernels()->kmeans_plusplus_double)
#define fl_kmeans_assign_steps_float (fl_active_kernels()->kmeans_assign_steps_float)
#define fl_kmeans_assign_steps_double (fl_active_kernels()->kmeans_assign_steps_double)
#define fl_kmeans_assign_scratch_bytes_float (fl_active_kernels()->kmeans_assign_scratch_bytes_float)
#define fl_kmeans_assign_scratch_bytes_double (fl_active_kernels()->kmeans_assign_scratch_bytes_double)
#define fl_kmeans_assign_part_float (fl_active_kernels()->kmeans_assign_part_float)
#define fl_kmeans_assign_part_double (fl_active_kernels()->kmeans_assign_part_double)
#define fl_kmeans_plusplus_steps_float (fl_active_kernels()->kmeans_plusplus_steps_float)
#define fl_kmeans_plusplus_steps_double (fl_active_kernels()->kmeans_plusplus_steps_double)
#define fl_kmeans_plusplus_scratch_bytes_float (fl_active_kernels()->kmeans_plusplus_scratch_bytes_float)
#define fl_kmeans_plusplus_scratch_bytes_double (fl_active_kernels()->kmeans_plusplus_scratch_bytes_double)
#define fl_kmeans_plusplus_part_float (fl_active_kernels()->kmeans_plusplus_part_float)
#define fl_kmeans_plusplus_part_double (fl_active_kernels()->kmeans_plusplus_part_double)
#define fl_bow_encode_float (fl_active_kernels()->bow_encode_float)
#define fl_bow_encode_double (fl_active_kernels()->bow_encode_double)
#define fl_patch_positions (fl_active_kernels()->patch_positions)
#define fl_patches_uint8_float (fl_active_kernels()->patches_uint8_float)
#define fl_patches_uint8_double (fl_active_kernels()->patches_uint8_double)
#define fl_patches_float_float (fl_active_kernels()->patches_float_float)
#define fl_patches_double_double (fl_active_kernels()->patches_double_double)
#define fl_dense_patches_uint8_float (fl_active_kernels()->dense_patches_uint8_float)
#define fl_dense_patches_uint8_double (fl_active_kernels()->dense_patches_uint8_double)
#define fl_dense_patches_float_float (fl_active_kernels()->dense_patches_float_float)
#define fl_dense_patches_double_double (fl_active_kernels()->dense_patches_double_double)
#define fl_normalize_patches_float (fl_active_kernels()->normalize_patches_float)
#define fl_normalize_patches_double (fl_active_kernels()->normalize_patches_double)
#endif

#endif
