/* Instantiates the loss template (loss_impl.h) for float and double. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "loss.h"

#define REAL float
#define VEC fl_vf
#define IVEC fl_vi32
#define REAL_BYTES 4
#define SUF _float
#define EXP expf
#define LOG logf
#include "loss_impl.h"
#undef REAL
#undef VEC
#undef IVEC
#undef REAL_BYTES
#undef SUF
#undef EXP
#undef LOG

#define REAL double
#define VEC fl_vd
#define IVEC fl_vi64
#define REAL_BYTES 8
#define SUF _double
#define EXP exp
#define LOG log
#include "loss_impl.h"
