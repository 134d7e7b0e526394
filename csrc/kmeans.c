/* Instantiates the k-means template (kmeans_impl.h) for float and double. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "kmeans.h"
#include "sampling.h"

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, SUF)

#define REAL float
#define VEC fl_vf
#define IVEC fl_vi32
#define SUF _float
#define REAL_MAX 3.402823466e+38F
#include "kmeans_impl.h"
#undef REAL
#undef VEC
#undef IVEC
#undef SUF
#undef REAL_MAX

#define REAL double
#define VEC fl_vd
#define IVEC fl_vi64
#define SUF _double
#define REAL_MAX 1.7976931348623157e+308
#include "kmeans_impl.h"
