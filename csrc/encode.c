/* Instantiates the encoding template (encode_impl.h) for float and double. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "encode.h"
#include "patches.h"

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, SUF)

#define REAL float
#define VEC fl_vf
#define IVEC fl_vi32
#define SUF _float
#define SQRT sqrtf
#include "encode_impl.h"
#undef REAL
#undef VEC
#undef IVEC
#undef SUF
#undef SQRT

#define REAL double
#define VEC fl_vd
#define IVEC fl_vi64
#define SUF _double
#define SQRT sqrt
#include "encode_impl.h"
