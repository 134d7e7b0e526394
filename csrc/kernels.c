/* The table of one level's entry points; compiled once per level with the
 * family sources (FL_ISA defined: the names below carry its suffix). */
#include "kernels.h"

#define FL_STR_(x) #x
#define FL_STR(x) FL_STR_(x)

const fl_kernel_table FL_ISA_NAME(fl_kernels) = {
    .name = FL_STR(FL_ISA),
    .loss_float = fl_loss_float,
    .loss_double = fl_loss_double,
    .loss_scratch_bytes_float = fl_loss_scratch_bytes_float,
    .loss_scratch_bytes_double = fl_loss_scratch_bytes_double,
    .loss_steps_float = fl_loss_steps_float,
    .loss_steps_double = fl_loss_steps_double,
    .loss_part_float = fl_loss_part_float,
    .loss_part_double = fl_loss_part_double,
    .hog_feature_size = fl_hog_feature_size,
    .hog_uint8 = fl_hog_uint8,
    .hog_float = fl_hog_float,
    .hog_double = fl_hog_double,
    .hue_hist_uint8 = fl_hue_hist_uint8,
    .hue_hist_float = fl_hue_hist_float,
    .hue_hist_double = fl_hue_hist_double,
    .kmeans_assign_float = fl_kmeans_assign_float,
    .kmeans_assign_double = fl_kmeans_assign_double,
    .kmeans_plusplus_float = fl_kmeans_plusplus_float,
    .kmeans_plusplus_double = fl_kmeans_plusplus_double,
    .kmeans_assign_steps_float = fl_kmeans_assign_steps_float,
    .kmeans_assign_steps_double = fl_kmeans_assign_steps_double,
    .kmeans_assign_scratch_bytes_float = fl_kmeans_assign_scratch_bytes_float,
    .kmeans_assign_scratch_bytes_double = fl_kmeans_assign_scratch_bytes_double,
    .kmeans_assign_part_float = fl_kmeans_assign_part_float,
    .kmeans_assign_part_double = fl_kmeans_assign_part_double,
    .kmeans_plusplus_steps_float = fl_kmeans_plusplus_steps_float,
    .kmeans_plusplus_steps_double = fl_kmeans_plusplus_steps_double,
    .kmeans_plusplus_scratch_bytes_float = fl_kmeans_plusplus_scratch_bytes_float,
    .kmeans_plusplus_scratch_bytes_double = fl_kmeans_plusplus_scratch_bytes_double,
    .kmeans_plusplus_part_float = fl_kmeans_plusplus_part_float,
    .kmeans_plusplus_part_double = fl_kmeans_plusplus_part_double,
    .bow_encode_float = fl_bow_encode_float,
    .bow_encode_double = fl_bow_encode_double,
};
