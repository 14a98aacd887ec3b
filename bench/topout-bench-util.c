/* topout-bench-util.c — see topout-bench-util.h. */
#include "config.h"

#include "topout-bench-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "topout-store.h"

static gboolean any_over;

TopoutBenchSamples *
topout_bench_samples_new (void)
{
  TopoutBenchSamples *s = g_new0 (TopoutBenchSamples, 1);

  s->values = g_array_new (FALSE, FALSE, sizeof (double));
  return s;
}

void
topout_bench_samples_free (TopoutBenchSamples *s)
{
  if (s == NULL)
    return;
  g_array_unref (s->values);
  g_free (s);
}

void
topout_bench_samples_add (TopoutBenchSamples *s,
                          double              value)
{
  g_array_append_val (s->values, value);
}

guint
topout_bench_samples_len (TopoutBenchSamples *s)
{
  return s->values->len;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
topout_bench_quantile (TopoutBenchSamples *s,
                       double              q)
{
  g_autoptr (GArray) sorted = NULL;
  guint rank;

  if (s->values->len == 0)
    return NAN;
  sorted = g_array_copy (s->values);
  g_array_sort (sorted, compare_doubles);
  /* Nearest rank: the smallest value with at least q of the samples at or below it. */
  rank = (guint) ceil (q * sorted->len);
  rank = CLAMP (rank, 1, sorted->len);
  return g_array_index (sorted, double, rank - 1);
}

double
topout_bench_mean (TopoutBenchSamples *s)
{
  double sum = 0;

  if (s->values->len == 0)
    return NAN;
  for (guint i = 0; i < s->values->len; i++)
    sum += g_array_index (s->values, double, i);
  return sum / s->values->len;
}

double
topout_bench_now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static gint64
status_field_kib (int         pid,
                  const char *field)
{
  g_autofree char *path = pid ? g_strdup_printf ("/proc/%d/status", pid) : g_strdup ("/proc/self/status");
  g_autofree char *contents = NULL;
  const char *at;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;
  at = strstr (contents, field);
  if (at == NULL)
    return -1;
  return g_ascii_strtoll (at + strlen (field), NULL, 10);
}

gint64
topout_bench_rss_kib (int pid)
{
  return status_field_kib (pid, "VmRSS:");
}

gint64
topout_bench_peak_rss_kib (int pid)
{
  return status_field_kib (pid, "VmHWM:");
}

double
topout_bench_steal_ms (void)
{
  g_autofree char *stat = NULL;
  g_auto (GStrv) fields = NULL;
  long ticks = sysconf (_SC_CLK_TCK);
  char *end;

  /* "cpu  user nice system idle iowait irq softirq steal ..." */
  if (!g_file_get_contents ("/proc/stat", &stat, NULL, NULL) || ticks <= 0)
    return -1;
  if ((end = strchr (stat, '\n')) != NULL)
    *end = '\0';
  fields = g_strsplit_set (stat, " ", -1);
  for (guint i = 0, column = 0; fields[i] != NULL; i++)
    if (*fields[i] != '\0' && column++ == 8)
      return g_ascii_strtod (fields[i], NULL) * 1000.0 / ticks;
  return -1;
}

double
topout_bench_fdatasync_median_ms (const char *dir,
                                  guint       n)
{
  g_autoptr (TopoutBenchSamples) samples = topout_bench_samples_new ();
  g_autofree char *path = g_build_filename (dir, "fdatasync-probe", NULL);
  char block[4096];
  int fd;

  memset (block, 'x', sizeof block);
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0)
    return NAN;
  for (guint i = 0; i < n; i++)
    {
      double t0 = topout_bench_now_ms ();

      if (write (fd, block, sizeof block) != (ssize_t) sizeof block || fdatasync (fd) != 0)
        break;
      topout_bench_samples_add (samples, topout_bench_now_ms () - t0);
    }
  close (fd);
  g_unlink (path);
  return topout_bench_quantile (samples, 0.5);
}

const char *
topout_bench_data_dir (void)
{
  static char *dir;

  if (dir == NULL)
    {
      const char *env = g_getenv ("TOPOUT_BENCH_DIR");
      const char *build = g_getenv ("MESON_BUILD_ROOT");

      if (env != NULL && *env)
        dir = g_strdup (env);
      else if (build != NULL && *build)
        dir = g_build_filename (build, "bench-data", NULL);
      else
        dir = g_build_filename (g_get_tmp_dir (), "topout-bench-data", NULL);
      g_mkdir_with_parents (dir, 0700);
    }
  return dir;
}

char *
topout_bench_cached_db (guint     n_sessions,
                        guint     routes_per_session,
                        guint32   seed,
                        GError  **error)
{
  return topout_bench_cached_db_full (n_sessions, routes_per_session, 0, 0, seed, error);
}

char *
topout_bench_cached_db_full (guint     n_sessions,
                             guint     routes_per_session,
                             guint     n_climbers,
                             guint     n_climbs,
                             guint32   seed,
                             GError  **error)
{
  g_autoptr (GDateTime) today = g_date_time_new_now_utc ();
  g_autofree char *day = g_date_time_format (today, "%Y%m%d");
  /* The schema version in the name: a file of an older one would be
   * migrated by the first program that opens it, inside its figures. */
  g_autofree char *name = n_climbers == 0 && n_climbs == 0
                            ? g_strdup_printf ("generated-%u-%u-%u-v%d-%s.db", n_sessions, routes_per_session, seed,
                                               TOPOUT_STORE_SCHEMA_VERSION, day)
                            : g_strdup_printf ("generated-%u-%u-c%u-k%u-%u-v%d-%s.db", n_sessions, routes_per_session,
                                               n_climbers, n_climbs, seed, TOPOUT_STORE_SCHEMA_VERSION, day);
  g_autofree char *path = g_build_filename (topout_bench_data_dir (), name, NULL);
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autoptr (TopoutStore) store = NULL;
  double t0;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);

  g_printerr ("generating %s (once; later runs reuse it)\n", path);
  t0 = topout_bench_now_ms ();
  for (guint i = 0; i < 4; i++)
    {
      static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
      g_autofree char *file = g_strconcat (partial, suffixes[i], NULL);
      g_unlink (file);
    }
  store = topout_store_new (partial, error);
  if (store == NULL || !topout_store_generate_full (store, n_sessions, routes_per_session, n_climbers, n_climbs,
                                                     seed, error))
    return NULL;
  g_clear_object (&store);  /* closing checkpoints the WAL into the file */
  if (g_rename (partial, path) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "rename %s: %s", partial, g_strerror (saved));
      return NULL;
    }
  g_printerr ("generated in %.1f s\n", (topout_bench_now_ms () - t0) / 1000);
  return g_steal_pointer (&path);
}

void
topout_bench_warm_file (const char *path)
{
  g_autofree char *buffer = g_malloc (1 << 20);
  int fd = g_open (path, O_RDONLY, 0);

  if (fd < 0)
    g_error ("open %s: %s", path, g_strerror (errno));
  while (read (fd, buffer, 1 << 20) > 0)
    ;
  close (fd);
}

gboolean
topout_bench_copy_db (const char  *src,
                      const char  *dest,
                      GError     **error)
{
  g_autoptr (GFile) from = g_file_new_for_path (src);
  g_autoptr (GFile) to = g_file_new_for_path (dest);
  static const char *const suffixes[] = { "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (dest, suffixes[i], NULL);
      g_unlink (file);
    }
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    return FALSE;
  /* The copy is on disk before the run it is for starts: otherwise the
   * kernel writes its 300 MB back while that run is being measured. */
  {
    int fd = g_open (dest, O_RDONLY, 0);

    if (fd < 0 || fdatasync (fd) != 0)
      {
        int saved = errno;

        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "sync %s: %s", dest, g_strerror (saved));
        if (fd >= 0)
          close (fd);
        return FALSE;
      }
    close (fd);
  }
  return TRUE;
}

void
topout_bench_print_header (const char *scenario,
                           const char *title)
{
  struct utsname un;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (now);

  uname (&un);
  g_print ("# scenario %s: %s\n", scenario, title);
  g_print ("# %s, %s %s, %u cores\n", when, un.sysname, un.release, g_get_num_processors ());
  g_print ("BENCH %s disk-fdatasync-median %.3f ms\n", scenario,
           topout_bench_fdatasync_median_ms (topout_bench_data_dir (), 50));
}

gboolean
topout_bench_report (const char *scenario,
                     const char *name,
                     double      value,
                     const char *unit,
                     const char *budget_text,
                     gboolean    within)
{
  if (budget_text == NULL)
    g_print ("BENCH %s %s %.3f %s\n", scenario, name, value, unit);
  else
    g_print ("BENCH %s %s %.3f %s [%s] %s\n", scenario, name, value, unit, budget_text, within ? "ok" : "OVER");
  if (budget_text != NULL && !within)
    any_over = TRUE;
  return within;
}

int
topout_bench_exit_code (void)
{
  return any_over ? 1 : 0;
}
