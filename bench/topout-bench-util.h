/* topout-bench-util.h — what every Topout benchmark shares: the figures'
 * statistics, the process's memory, the disk's fdatasync time, the cached big
 * databases and one line format for the results.
 *
 * Every figure is printed as one line
 *
 *   BENCH <scenario> <name> <value> <unit> [<budget text>] [ok|OVER]
 *
 * so BENCHMARKS.md can be made from the output, and a benchmark exits 1 when
 * a figure misses its budget.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GArray *values;   /* double */
} TopoutBenchSamples;

TopoutBenchSamples *topout_bench_samples_new  (void);
void                topout_bench_samples_free (TopoutBenchSamples *s);
void                topout_bench_samples_add  (TopoutBenchSamples *s,
                                               double              value);
guint               topout_bench_samples_len  (TopoutBenchSamples *s);
/* q in [0, 1]: 0.5 the median, 0.95 the p95, 1 the max (nearest rank). */
double              topout_bench_quantile     (TopoutBenchSamples *s,
                                               double              q);
double              topout_bench_mean         (TopoutBenchSamples *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TopoutBenchSamples, topout_bench_samples_free)

/* Milliseconds on the monotonic clock. */
double topout_bench_now_ms (void);

/* VmRSS and VmHWM (peak) of this process, or of @pid when not 0, in KiB. */
gint64 topout_bench_rss_kib      (int pid);
gint64 topout_bench_peak_rss_kib (int pid);

/* CPU time the host has taken from this virtual machine since it booted,
 * all CPUs together (the "steal" column of /proc/stat), in ms; < 0 when
 * unknown. Its growth over a run is time the run could not use. */
double topout_bench_steal_ms (void);

/* The median of @n fdatasync() calls after 4 KiB writes to a file in @dir, in
 * ms: what "durable" costs on this disk. */
double topout_bench_fdatasync_median_ms (const char *dir,
                                         guint       n);

/* A directory for the benchmark's data: $TOPOUT_BENCH_DIR, else
 * bench-data beside the running binary's build tree, else a temporary one. */
const char *topout_bench_data_dir (void);

/* The path of a database of @n_sessions finished sessions with
 * @routes_per_session routes each, made by topout_store_generate() from
 * @seed on first use and cached in topout_bench_data_dir() under a name that
 * holds the day (the generator's dates depend on it). Never modify it: copy
 * it with topout_bench_copy_db() first. */
char *topout_bench_cached_db (guint     n_sessions,
                              guint     routes_per_session,
                              guint32   seed,
                              GError  **error);
/* The same with @n_climbers climbers and @n_climbs climbs
 * (topout_store_generate_full(); 0 for the generator's defaults). */
char *topout_bench_cached_db_full (guint     n_sessions,
                                   guint     routes_per_session,
                                   guint     n_climbers,
                                   guint     n_climbs,
                                   guint32   seed,
                                   GError  **error);

/* Reads @path once, so that the figures after it are of a database in
 * the page cache, as a desk's is after its first minute, whatever ran
 * before (scenario 6 writes several GB through a cache of about 3 GB). */
void     topout_bench_warm_file (const char *path);

/* Copies a database file (after a checkpoint, so the -wal is empty) to @dest,
 * replacing it. */
gboolean topout_bench_copy_db (const char  *src,
                               const char  *dest,
                               GError     **error);

/* Prints the header every run records: scenario title, date, kernel, cores,
 * the fdatasync median of the data directory's disk. */
void topout_bench_print_header (const char *scenario,
                                const char *title);

/* One figure.  @budget_text may be NULL (an informative figure, never OVER);
 * @within tells whether it met the budget.  Returns @within, and remembers a
 * miss for topout_bench_exit_code(). */
gboolean topout_bench_report (const char *scenario,
                              const char *name,
                              double      value,
                              const char *unit,
                              const char *budget_text,
                              gboolean    within);

/* 0 when every figure met its budget, 1 otherwise. */
int topout_bench_exit_code (void);

G_END_DECLS
