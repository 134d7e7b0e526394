/* Inside an object compiled for one instruction-set level (FL_ISA defined,
 * e.g. avx2): every kernel entry point gets the level as a suffix
 * (fl_loss_float -> fl_loss_float_avx2), so that the objects of all levels
 * link into one module.  Included by common.h; the list is kernels.h's. */
#ifndef FASTLIN_ISA_NAMES_H
#define FASTLIN_ISA_NAMES_H

#define FL_ISA_CAT_(a, b) a##_##b
#define FL_ISA_CAT(a, b) FL_ISA_CAT_(a, b)
#define FL_ISA_NAME(name) FL_ISA_CAT(name, FL_ISA)

#define fl_loss_float FL_ISA_NAME(fl_loss_float)
#define fl_loss_double FL_ISA_NAME(fl_loss_double)
#define fl_loss_scratch_bytes_float FL_ISA_NAME(fl_loss_scratch_bytes_float)
#define fl_loss_scratch_bytes_double FL_ISA_NAME(fl_loss_scratch_bytes_double)
#define fl_loss_steps_float FL_ISA_NAME(fl_loss_steps_float)
#define fl_loss_steps_double FL_ISA_NAME(fl_loss_steps_double)
#define fl_loss_part_float FL_ISA_NAME(fl_loss_part_float)
#define fl_loss_part_double FL_ISA_NAME(fl_loss_part_double)
#define fl_hog_feature_size FL_ISA_NAME(fl_hog_feature_size)
#define fl_hog_uint8 FL_ISA_NAME(fl_hog_uint8)
#define fl_hog_float FL_ISA_NAME(fl_hog_float)
#define fl_hog_double FL_ISA_NAME(fl_hog_double)
#define fl_hue_hist_uint8 FL_ISA_NAME(fl_hue_hist_uint8)
#define fl_hue_hist_float FL_ISA_NAME(fl_hue_hist_float)
#define fl_hue_hist_double FL_ISA_NAME(fl_hue_hist_double)
#define fl_kmeans_assign_float FL_ISA_NAME(fl_kmeans_assign_float)
#define fl_kmeans_assign_double FL_ISA_NAME(fl_kmeans_assign_double)
#define fl_kmeans_plusplus_float FL_ISA_NAME(fl_kmeans_plusplus_float)
#define fl_kmeans_plusplus_double FL_ISA_NAME(fl_kmeans_plusplus_double)
#define fl_kmeans_assign_steps_float FL_ISA_NAME(fl_kmeans_assign_steps_float)
#define fl_kmeans_assign_steps_double FL_ISA_NAME(fl_kmeans_assign_steps_double)
#define fl_kmeans_assign_scratch_bytes_float FL_ISA_NAME(fl_kmeans_assign_scratch_bytes_float)
#define fl_kmeans_assign_scratch_bytes_double FL_ISA_NAME(fl_kmeans_assign_scratch_bytes_double)
#define fl_kmeans_assign_part_float FL_ISA_NAME(fl_kmeans_assign_part_float)
#define fl_kmeans_assign_part_double FL_ISA_NAME(fl_kmeans_assign_part_double)
#define fl_kmeans_plusplus_steps_float FL_ISA_NAME(fl_kmeans_plusplus_steps_float)
#define fl_kmeans_plusplus_steps_double FL_ISA_NAME(fl_kmeans_plusplus_steps_double)
#define fl_kmeans_plusplus_scratch_bytes_float FL_ISA_NAME(fl_kmeans_plusplus_scratch_bytes_float)
#define fl_kmeans_plusplus_scratch_bytes_double FL_ISA_NAME(fl_kmeans_plusplus_scratch_bytes_double)
#define fl_kmeans_plusplus_part_float FL_ISA_NAME(fl_kmeans_plusplus_part_float)
#define fl_kmeans_plusplus_part_double FL_ISA_NAME(fl_kmeans_plusplus_part_double)
#define fl_bow_encode_float FL_ISA_NAME(fl_bow_encode_float)
#define fl_bow_encode_double FL_ISA_NAME(fl_bow_encode_double)
#define fl_patch_positions FL_ISA_NAME(fl_patch_positions)
#define fl_patches_uint8_float FL_ISA_NAME(fl_patches_uint8_float)
#define fl_patches_uint8_double FL_ISA_NAME(fl_patches_uint8_double)
#define fl_patches_float_float FL_ISA_NAME(fl_patches_float_float)
#define fl_patches_double_double FL_ISA_NAME(fl_patches_double_double)
#define fl_dense_patches_uint8_float FL_ISA_NAME(fl_dense_patches_uint8_float)
#define fl_dense_patches_uint8_double FL_ISA_NAME(fl_dense_patches_uint8_double)
#define fl_dense_patches_float_float FL_ISA_NAME(fl_dense_patches_float_float)
#define fl_dense_patches_double_double FL_ISA_NAME(fl_dense_patches_double_double)
#define fl_normalize_patches_float FL_ISA_NAME(fl_normalize_patches_float)
#define fl_normalize_patches_double FL_ISA_NAME(fl_normalize_patches_double)

#endif
