/* Backward tile of the loss kernel (dWt += G^T X, classes x 2 vectors of
 * columns, one thread) reading the rows in place or from the packed copy,
 * on rows of length D + PAD, 5 or 10 classes per tile, with and without
 * software prefetch.  AVX-512.  PAD = 0 (aligned rows) and PAD = 1 (CIFAR's
 * 3073 columns) both give a row stride within a few bytes of a multiple of
 * 4 KiB, so the rows of a block fall in the same L1 sets and the in-place
 * tile, which streams every row for each column chunk, misses; PAD = 17
 * spreads them.  The packed copy avoids it; so do, partly, blocks of 6 rows
 * read in place (the gradient then streams once per 6 rows).
 *
 *   gcc -O3 -march=x86-64-v4 -Wno-psabi -DPAD=1 bench/micro/row_alignment_backward.c \
 *       -o /tmp/rab && /tmp/rab
 * Results: bench/notes/simd-levels.md. */
#ifndef PAD
#define PAD 1
#endif
#include <stdio.h>
#include <string.h>
#include <time.h>
typedef float vf __attribute__((vector_size(64)));
#define VL 16
#define W2 32
#define D 3072
#define NRW 30
#define C 10
static float X[NRW][D+PAD] __attribute__((aligned(64))), Xp[NRW*D] __attribute__((aligned(64))), dWt[C][D] __attribute__((aligned(64))), G[NRW][C];
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+1e-9*t.tv_nsec;}
static inline vf ld(const float*p){vf v;memcpy(&v,p,64);return v;}
static inline void st(float*p, vf v){memcpy(p,&v,64);}
static inline __attribute__((always_inline)) void bwd(int c0, const int CT, const int packed, const int pf, const int dist){
  for(int d=0; d<D; d+=W2){
    vf acc[10][2]; for(int c=0;c<CT;c++){acc[c][0]=ld(&dWt[c0+c][d]);acc[c][1]=ld(&dWt[c0+c][d+VL]);}
    for(int a=0;a<NRW;a++){
      const float *x = packed ? &Xp[(d/W2)*NRW*W2 + a*W2] : &X[a][d];
      if(pf) { __builtin_prefetch(&X[a][d+dist*W2],0,3); __builtin_prefetch(&X[a][d+dist*W2+VL],0,3);}
      vf x0=ld(x), x1=ld(x+VL);
      for(int c=0;c<CT;c++){ acc[c][0]+=G[a][c0+c]*x0; acc[c][1]+=G[a][c0+c]*x1; } }
    for(int c=0;c<CT;c++){st(&dWt[c0+c][d],acc[c][0]);st(&dWt[c0+c][d+VL],acc[c][1]);}
  }
}
static inline __attribute__((always_inline)) void bwd_rows(int a0, int a1, int c0, const int CT){
  for(int d=0; d<D; d+=W2){
    vf acc[10][2]; for(int c=0;c<CT;c++){acc[c][0]=ld(&dWt[c0+c][d]);acc[c][1]=ld(&dWt[c0+c][d+VL]);}
    for(int a=a0;a<a1;a++){ const float *x=&X[a][d]; vf x0=ld(x), x1=ld(x+VL);
      for(int c=0;c<CT;c++){ acc[c][0]+=G[a][c0+c]*x0; acc[c][1]+=G[a][c0+c]*x1; } }
    for(int c=0;c<CT;c++){st(&dWt[c0+c][d],acc[c][0]);st(&dWt[c0+c][d+VL],acc[c][1]);}
  }
}
static __attribute__((noinline)) void run(int m){
  switch(m){
  case 0: bwd(0,5,1,0,0); bwd(5,5,1,0,0); break;
  case 1: bwd(0,5,0,0,0); bwd(5,5,0,0,0); break;
  case 2: bwd(0,10,0,0,0); break;
  case 3: bwd(0,10,0,1,2); break;
  case 4: bwd(0,10,0,1,4); break;
  case 5: bwd(0,10,1,0,0); break;
  case 6: bwd(0,5,0,1,2); bwd(5,5,0,1,2); break;
  case 7: for(int a=0;a<NRW;a+=6){ bwd_rows(a,a+6,0,5); bwd_rows(a,a+6,5,5);} break;
  case 8: for(int a=0;a<NRW;a+=6) bwd_rows(a,a+6,0,10); break;
  }
}
int main(){ for(int i=0;i<NRW;i++)for(int d=0;d<D;d++){X[i][d]=(i+d)%7*0.1f;} for(int i=0;i<NRW*D;i++)Xp[i]=(i%5)*0.1f; for(int a=0;a<NRW;a++)for(int c=0;c<C;c++)G[a][c]=(a*c%3)*0.1f;
 const char*names[]={"packed, 2x5 classes","in place, 2x5 classes","in place, 10 classes","in place, 10 cl, prefetch 2","in place, 10 cl, prefetch 4","packed, 10 classes","in place 2x5, prefetch 2","in place, 6-row blocks, 2x5","in place, 6-row blocks, 10 cl"};
 for(int m=0;m<9;m++){ double best=1e9; for(int k=0;k<3000;k++){double t=now(); run(m); t=now()-t; if(t<best)best=t;}
   printf("%-30s %6.1f us %6.1f GFLOP/s\n",names[m],best*1e6,2.0*NRW*C*D/best/1e9);}
 return dWt[0][0]>1e30; }
