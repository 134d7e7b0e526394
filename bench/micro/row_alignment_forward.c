/* Forward tile of the loss kernel (scores = X W, 2 rows x 5 classes, 512-float
 * column chunks, one thread) on rows of length D + PAD: PAD = 0 keeps every
 * row 64-byte aligned, PAD = 1 (CIFAR's 3073 columns) makes every 64-byte
 * load of a row straddle two cache lines.  Variants: the kernel's order
 * (the first class pass stores the packed copy), no copy (X read twice),
 * copy first then both passes from the copy, a 2 x 10 tile, and aligned
 * loads realigned by a two-source permute (which reads up to one vector
 * past a row: X has a spare row).  AVX-512 (64-byte vectors).
 *
 *   gcc -O3 -march=x86-64-v4 -Wno-psabi -DPAD=1 bench/micro/row_alignment_forward.c \
 *       -o /tmp/raf && /tmp/raf
 * Results: bench/notes/simd-levels.md. */
#ifndef PAD
#define PAD 1
#endif
#include <stdio.h>
#include <string.h>
#include <time.h>
typedef float vf __attribute__((vector_size(64)));
#define VL 16
#define D 3072
#define NRW 30
#define C 10
#define DK 512
static float X[NRW + 1][D+PAD] __attribute__((aligned(64))), Xp[NRW*D] __attribute__((aligned(64))), Wt[C][D] __attribute__((aligned(64)));
static vf P[NRW][C];
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+1e-9*t.tv_nsec;}
static inline vf ld(const float*p){vf v;memcpy(&v,p,64);return v;}
static inline void st(float*p, vf v){memcpy(p,&v,64);}
#define PIN(v) __asm__("" : "+v"(v))
static inline __attribute__((always_inline)) void tile(int r0,int c0,int d0,int d1,const int RT,const int CT,const int pack, const int fromxp){
  vf acc[4][10]; for(int i=0;i<RT;i++)for(int c=0;c<CT;c++)acc[i][c]=P[r0+i][c0+c];
  for(int d=d0;d<d1;d+=VL){ vf x[4];
    for(int i=0;i<RT;i++){ if(fromxp) x[i]=ld(&Xp[(r0+i)*D+d]); else x[i]=ld(&X[r0+i][d]); if(pack) st(&Xp[(r0+i)*D+d],x[i]); }
    for(int c=0;c<CT;c++){ vf w=ld(&Wt[c0+c][d]); PIN(w); for(int i=0;i<RT;i++)acc[i][c]+=x[i]*w; } }
  for(int i=0;i<RT;i++)for(int c=0;c<CT;c++)P[r0+i][c0+c]=acc[i][c]; }
typedef int vi __attribute__((vector_size(64)));
static inline __attribute__((always_inline)) void tile_al(int r0,int c0,int d0,int d1,const int RT,const int CT,const int pack){
  vf acc[4][10]; for(int i=0;i<RT;i++)for(int c=0;c<CT;c++)acc[i][c]=P[r0+i][c0+c];
  const float *a[4]; vi ix[4]; vf prev[4];
  for(int i=0;i<RT;i++){ const float *x=&X[r0+i][0]; int o=(int)(((unsigned long)x%64)/4); a[i]=x-o;
     for(int l=0;l<16;l++) ix[i][l]=o+l; prev[i]=ld(a[i]+d0); }
  for(int d=d0;d<d1;d+=VL){ vf x[4];
    for(int i=0;i<RT;i++){ vf nx=*(const vf*)(a[i]+d+VL); x[i]=__builtin_shuffle(prev[i],nx,ix[i]); prev[i]=nx; if(pack) st(&Xp[(r0+i)*D+d],x[i]); }
    for(int c=0;c<CT;c++){ vf w=ld(&Wt[c0+c][d]); PIN(w); for(int i=0;i<RT;i++)acc[i][c]+=x[i]*w; } }
  for(int i=0;i<RT;i++)for(int c=0;c<CT;c++)P[r0+i][c0+c]=acc[i][c]; }
/* mode 0: kernel order (chunk, c0, rows), first c0 packs; 1: no pack (X both passes); 2: chunk, rows, c0 (X row pair reused from L1); 3: CT=10 */
static __attribute__((noinline)) void fwd(int mode){
  memset(P,0,sizeof P);
  if(mode>=4) for(int r=0;r<NRW;r++) for(int d=0;d<D;d+=VL) st(&Xp[r*D+d], ld(&X[r][d]));
  if(mode==6) return;
  for(int d0=0;d0<D;d0+=DK){
    if(mode==0){ for(int r=0;r<NRW;r+=2) tile(r,0,d0,d0+DK,2,5,1,0); for(int r=0;r<NRW;r+=2) tile(r,5,d0,d0+DK,2,5,0,1); }
    if(mode==1){ for(int c0=0;c0<C;c0+=5) for(int r=0;r<NRW;r+=2) tile(r,c0,d0,d0+DK,2,5,0,0); }
    if(mode==2){ for(int r=0;r<NRW;r+=2){ tile(r,0,d0,d0+DK,2,5,1,0); tile(r,5,d0,d0+DK,2,5,0,1);} }
    if(mode==4){ for(int c0=0;c0<C;c0+=5) for(int r=0;r<NRW;r+=2) tile(r,c0,d0,d0+DK,2,5,0,1); }
    if(mode==5){ for(int r=0;r<NRW;r+=2) tile(r,0,d0,d0+DK,2,10,0,1); }
    if(mode==7){ for(int r=0;r<NRW;r+=2) tile_al(r,0,d0,d0+DK,2,5,1); for(int r=0;r<NRW;r+=2) tile(r,5,d0,d0+DK,2,5,0,1); }
    if(mode==8){ for(int c0=0;c0<C;c0+=5) for(int r=0;r<NRW;r+=2) tile_al(r,c0,d0,d0+DK,2,5,0); }
    if(mode==3){ for(int r=0;r<NRW;r+=2) tile(r,0,d0,d0+DK,2,10,1,0); }
  }
}
int main(){ for(int i=0;i<NRW;i++)for(int d=0;d<D;d++)X[i][d]=(i+d)%7*0.1f; for(int c=0;c<C;c++)for(int d=0;d<D;d++)Wt[c][d]=(c*d)%5*0.1f;
 const char*names[]={"kernel order, pack","no pack, X twice","row pair reused from L1","2x10 tile, pack","copy then 2x5 from Xp","copy then 2x10 from Xp","copy only","aligned+permute, pack","aligned+permute, no pack"};
 for(int m=0;m<9;m++){ double best=1e9; for(int k=0;k<3000;k++){double t=now(); fwd(m); t=now()-t; if(t<best)best=t;}
   printf("%-28s %6.1f us %6.1f GFLOP/s\n",names[m],best*1e6,2.0*NRW*C*D/best/1e9);}
 return ((float*)P)[0]>1e30; }
