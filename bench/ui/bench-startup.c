/* bench-startup.c — scenario 1: start-up to the first painted frame.
 *
 *   bench-startup TOPOUT   the benchmark: spawns TOPOUT (the real app) and
 *                          itself with --bare, alternating, and compares
 *   bench-startup --bare   the floor: an AdwApplication with an
 *                          AdwApplicationWindow holding only an AdwHeaderBar
 *
 * Each run is timed from just before the spawn to the first after-paint of
 * the window's frame clock, both on CLOCK_MONOTONIC: the child prints
 * "first-frame <g_get_monotonic_time ()> <VmRSS KiB> <schedstat>" then (the
 * app does so with TOPOUT_BENCH_FIRST_FRAME set, see topout-window.c) and
 * quits. <schedstat> is its main thread's /proc/thread-self/schedstat: the
 * nanoseconds it ran and waited to run, so a start's time splits into the
 * main thread's work and the rest (the spawn before exec, waiting on the X
 * server, the session bus or a loader thread, and CPU time the host took:
 * a virtual machine's steal time is in neither count). The host's steal
 * over each start, both CPUs together, is reported beside them. Three
 * kinds, alternating, RUNS times each after one warm-up round: the bare
 * window, the app on an empty database, the app on 100,000 sessions and
 * 1,000,000 completions (a fresh copy of the cached generated database for
 * every run). Each child gets its own XDG directories; GSettings uses the
 * memory backend.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "topout-bench-util.h"
#include "topout-store.h"

#define SCENARIO "1"
#define RUNS     7

/* --bare ------------------------------------------------------------------- */

static gint64
rss_kib (void)
{
  return topout_bench_rss_kib (0);
}

static void
bare_after_paint (GdkFrameClock *clock,
                  GtkWindow     *window)
{
  g_autofree char *schedstat = NULL;

  g_signal_handlers_disconnect_by_func (clock, bare_after_paint, window);
  g_file_get_contents ("/proc/thread-self/schedstat", &schedstat, NULL, NULL);
  g_print ("first-frame %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %s\n", g_get_monotonic_time (), rss_kib (),
           schedstat != NULL ? g_strstrip (schedstat) : "-1 -1");
  fflush (stdout);
  g_application_quit (G_APPLICATION (gtk_window_get_application (window)));
}

static void
bare_realize (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (bare_after_paint), window);
}

static void
bare_activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  /* The size the app's window starts with (its GSettings defaults). */
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  g_signal_connect_after (window, "realize", G_CALLBACK (bare_realize), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static int
run_bare (int    argc,
          char **argv)
{
  g_autoptr (AdwApplication) app = adw_application_new ("io.github.topout.Topout.BenchBare", G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (bare_activate), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}

/* The benchmark ---------------------------------------------------------------- */

typedef struct {
  double ms;
  gint64 rss_kib;
  double cpu_ms;     /* the main thread's time on a CPU; < 0 when unknown */
  double other_ms;   /* the rest of ms but for waiting to run */
  double steal_ms;   /* CPU time the host took meanwhile, both CPUs */
} Run;

static char **
child_env (const char *home)
{
  char **env = g_get_environ ();
  static const char *const dirs[][2] = {
    { "XDG_DATA_HOME", "data" }, { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" }, { "XDG_STATE_HOME", "state" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (home, dirs[i][1], NULL);

      g_mkdir_with_parents (dir, 0700);
      env = g_environ_setenv (env, dirs[i][0], dir, TRUE);
    }
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);
  env = g_environ_setenv (env, "TOPOUT_NON_UNIQUE", "1", TRUE);
  env = g_environ_setenv (env, "TOPOUT_BENCH_FIRST_FRAME", "1", TRUE);
  return env;
}

static Run
spawn_once (const char *const *argv,
            const char        *home)
{
  g_auto (GStrv) env = child_env (home);
  g_autoptr (GError) error = NULL;
  g_autoptr (GIOChannel) out = NULL;
  g_autofree char *line = NULL;
  GPid pid;
  int out_fd, status = 0;
  gint64 t0, painted = -1, rss = -1, cpu_ns = -1, runq_ns = -1;
  Run run = { -1, -1, -1, -1, -1 };
  double steal0 = topout_bench_steal_ms ();

  t0 = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &pid, NULL, &out_fd, NULL, &error))
    g_error ("spawn %s: %s", argv[0], error->message);

  out = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (out, TRUE);
  while (g_io_channel_read_line (out, &line, NULL, NULL, NULL) == G_IO_STATUS_NORMAL)
    {
      if (g_str_has_prefix (line, "first-frame ") &&
          sscanf (line, "first-frame %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                  &painted, &rss, &cpu_ns, &runq_ns) >= 2)
        {
          g_clear_pointer (&line, g_free);
          break;
        }
      g_clear_pointer (&line, g_free);
    }
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  if (painted < 0)
    g_error ("%s printed no first-frame line (status %d)", argv[0], status);
  run.ms = (painted - t0) / 1000.0;
  run.rss_kib = rss;
  if (steal0 >= 0)
    run.steal_ms = topout_bench_steal_ms () - steal0;
  if (cpu_ns >= 0 && runq_ns >= 0)
    {
      run.cpu_ms = cpu_ns / 1e6;
      run.other_ms = run.ms - run.cpu_ms - runq_ns / 1e6;
    }
  return run;
}

static void
remove_db (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutBenchSamples) bare_ms = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) empty_ms = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) big_ms = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) bare_rss = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) empty_rss = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) big_rss = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) bare_cpu = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) big_cpu = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) bare_other = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) big_other = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) steal = topout_bench_samples_new ();
  g_autofree char *self_exe = NULL;
  g_autofree char *big_src = NULL;
  g_autofree char *work = NULL;
  g_autofree char *empty_src = NULL;
  g_autofree char *db = NULL;
  g_autofree char *home = NULL;
  const char *topout;
  double bare, empty, big, over_bare, ratio, rss_over;
  guint runs = RUNS;

  if (argc > 1 && g_strcmp0 (argv[1], "--bare") == 0)
    return run_bare (argc, argv);
  if (argc < 2)
    {
      g_printerr ("usage: %s TOPOUT-BINARY | --bare\n", argv[0]);
      return 2;
    }
  topout = argv[1];
  if (g_getenv ("TOPOUT_BENCH_STARTUP_RUNS") != NULL)
    runs = CLAMP (atoi (g_getenv ("TOPOUT_BENCH_STARTUP_RUNS")), 1, 50);
  self_exe = g_file_read_link ("/proc/self/exe", NULL);

  topout_bench_print_header (SCENARIO, "start-up to the first painted frame");
  g_print ("# topout binary: %s\n", topout);

  big_src = topout_bench_cached_db (100000, 10, 1, &error);
  if (big_src == NULL)
    g_error ("generate: %s", error->message);

  work = g_build_filename (topout_bench_data_dir (), "ui-startup-XXXXXX", NULL);
  if (g_mkdtemp (work) == NULL)
    g_error ("mkdtemp %s", work);
  home = g_build_filename (work, "home", NULL);
  db = g_build_filename (work, "topout.db", NULL);
  empty_src = g_build_filename (work, "empty.db", NULL);
  {
    /* An empty database with the schema: made once, copied for every run. */
    g_autoptr (TopoutStore) store = topout_store_new (empty_src, &error);

    if (store == NULL)
      g_error ("empty store: %s", error->message);
  }

  for (guint round = 0; round <= runs; round++)
    {
      for (guint kind = 0; kind < 3; kind++)
        {
          Run run;

          g_autofree char *home_run = g_strdup_printf ("%s-%u-%u", home, round, kind);
          if (kind == 0)
            {
              const char *const child[] = { self_exe, "--bare", NULL };
              run = spawn_once (child, home_run);
            }
          else
            {
              const char *const child[] = { topout, "--db", db, NULL };

              remove_db (db);
              if (!topout_bench_copy_db (kind == 1 ? empty_src : big_src, db, &error))
                g_error ("copy: %s", error->message);
              run = spawn_once (child, home_run);
            }
          g_print ("# round %u %s: %.1f ms (main thread %.1f ms working, %.1f ms not running; host took %.0f ms), %"
                   G_GINT64_FORMAT " KiB\n", round, kind == 0 ? "bare" : kind == 1 ? "empty" : "100k", run.ms,
                   run.cpu_ms, run.other_ms, run.steal_ms, run.rss_kib);
          if (round == 0)
            continue;  /* warm-up: page cache, fontconfig cache */
          topout_bench_samples_add (kind == 0 ? bare_ms : kind == 1 ? empty_ms : big_ms, run.ms);
          topout_bench_samples_add (kind == 0 ? bare_rss : kind == 1 ? empty_rss : big_rss, run.rss_kib);
          if (run.steal_ms >= 0)
            topout_bench_samples_add (steal, run.steal_ms);
          if (run.cpu_ms >= 0 && kind != 1)
            {
              topout_bench_samples_add (kind == 0 ? bare_cpu : big_cpu, run.cpu_ms);
              topout_bench_samples_add (kind == 0 ? bare_other : big_other, run.other_ms);
            }
        }
    }

  bare = topout_bench_quantile (bare_ms, 0.5);
  empty = topout_bench_quantile (empty_ms, 0.5);
  big = topout_bench_quantile (big_ms, 0.5);
  topout_bench_report (SCENARIO, "runs-each", runs, "runs", NULL, TRUE);
  topout_bench_report (SCENARIO, "bare-window-first-frame-median", bare, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, "empty-db-first-frame-median", empty, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, "100k-first-frame-median", big, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, "bare-window-rss-median", topout_bench_quantile (bare_rss, 0.5), "KiB", NULL, TRUE);
  topout_bench_report (SCENARIO, "empty-db-rss-median", topout_bench_quantile (empty_rss, 0.5), "KiB", NULL, TRUE);
  topout_bench_report (SCENARIO, "100k-rss-median", topout_bench_quantile (big_rss, 0.5), "KiB", NULL, TRUE);
  over_bare = big - bare;
  topout_bench_report (SCENARIO, "100k-minus-bare-median", over_bare, "ms", "<= 100 ms", over_bare <= 100);
  rss_over = topout_bench_quantile (big_rss, 0.5) - topout_bench_quantile (bare_rss, 0.5);
  topout_bench_report (SCENARIO, "100k-rss-minus-bare-median", rss_over, "KiB", "<= 30720 KiB", rss_over <= 30720);
  ratio = big / empty;
  topout_bench_report (SCENARIO, "100k-over-empty-ratio", ratio, "x", "<= 1.15", ratio <= 1.15);
  /* Where the difference comes from: the main thread's work, or the rest.
   * No budget: the budget is on the time a person waits. */
  if (topout_bench_samples_len (bare_cpu) > 0 && topout_bench_samples_len (big_cpu) > 0)
    {
      double bare_work = topout_bench_quantile (bare_cpu, 0.5), big_work = topout_bench_quantile (big_cpu, 0.5);

      topout_bench_report (SCENARIO, "bare-window-main-thread-working-median", bare_work, "ms", NULL, TRUE);
      topout_bench_report (SCENARIO, "100k-main-thread-working-median", big_work, "ms", NULL, TRUE);
      topout_bench_report (SCENARIO, "100k-minus-bare-main-thread-working", big_work - bare_work, "ms", NULL, TRUE);
      topout_bench_report (SCENARIO, "bare-window-main-thread-not-running-median",
                           topout_bench_quantile (bare_other, 0.5), "ms", NULL, TRUE);
      topout_bench_report (SCENARIO, "100k-main-thread-not-running-median", topout_bench_quantile (big_other, 0.5), "ms",
                           NULL, TRUE);
    }
  if (topout_bench_samples_len (steal) > 0)
    {
      topout_bench_report (SCENARIO, "host-steal-per-start-median", topout_bench_quantile (steal, 0.5), "ms", NULL, TRUE);
      topout_bench_report (SCENARIO, "host-steal-per-start-max", topout_bench_quantile (steal, 1), "ms", NULL, TRUE);
    }

  remove_db (db);
  g_unlink (empty_src);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", work);
    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", work);
  }
  return topout_bench_exit_code ();
}
