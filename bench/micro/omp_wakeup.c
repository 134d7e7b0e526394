/* Late starts of a 2-thread OpenMP region: how long after the region began
 * its last thread arrived, over 20,000 regions separated by GAP_US of idle
 * time (the guard against late threads in csrc/common.h is sized by this).
 *
 *   gcc -O2 -fopenmp bench/micro/omp_wakeup.c -o /tmp/ow && for g in 10 100 1000; do /tmp/ow $g; done */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}
int main(int argc,char**argv){ int n=20000; double gap_us=atof(argv[1]); double *lag=malloc(n*sizeof(double)); volatile double s=0;
 for(int i=0;i<n;i++){ double t0=omp_get_wtime(), l=0;
   #pragma omp parallel num_threads(2) reduction(max:l)
   { l=omp_get_wtime()-t0; double x=0; for(int k=0;k<20000;k++) x+=k*1e-9; s+=x; }
   lag[i]=l; double t1=omp_get_wtime(); while(omp_get_wtime()-t1<gap_us*1e-6); }
 qsort(lag,n,sizeof(double),cmp); int late=0; for(int i=0;i<n;i++) late+=lag[i]>5e-4;
 printf("gap %g us: lag median %.1f us, p99 %.1f us, max %.0f us, >0.5ms: %d of %d\n",gap_us,lag[n/2]*1e6,lag[n*99/100]*1e6,lag[n-1]*1e6,late,n);}
