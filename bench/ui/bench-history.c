/* bench-history.c — scenario 3: open History on a big database and scroll it.
 *
 * The real TopoutWindow on a copy of a generated database; History is shown
 * with "win.show-view" and scrolled through its list's (a one-column
 * GtkGridView) vertical adjustment (GTK 4.8 has no scroll_to): 300 random
 * jumps, each waited for until painted, then a fling (the adjustment advanced on every
 * frame-clock tick by a decaying velocity, about 90 frames). The same on
 * 1,000 sessions, in the same run, is the baseline: the figures must be flat.
 *
 * A frame's time is from the frame clock's before-paint to its after-paint
 * (layout, binding rows, which fetches pages from SQLite, and painting); for
 * a jump, plus the time inside gtk_adjustment_set_value(), where the view
 * binds the rows at the new place before the frame. The wait for the frame's
 * turn is not counted (it is in jump-set-to-painted). For the fling, the
 * interval between painted frames is reported too. A page
 * fetch is g_list_model_get_item() on the view's own model at a random
 * position after the scrolling (2,048 of 100,000 rows are cached, so nearly
 * every one reads a block from SQLite); the first fetch far down a fresh
 * model (anchors not yet found) is reported beside it.
 *
 * Last, a write by another connection (as an import's, or `topout
 * --sync-now`'s) while History shows the middle of the list, five times:
 * the store notices it as the app does (topout_store_check_external_changes()
 * on its timer, or at an import's end) and says ::sessions-reset, which
 * every view of the window takes in before the call returns; reported is
 * that call, and the time until the next frame is painted.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>

#include "bench-ui-common.h"
#include "topout-bench-util.h"
#include "topout-history-model.h"
#include "topout-history-view.h"
#include "topout-store.h"
#include "topout-window.h"

#define SCENARIO     "3"
#define N_JUMPS      300
#define N_FETCHES    300
#define FLING_FRAMES 90
#define N_RESETS     5

/* CPU time of this thread in ms: less moved by other processes than the clock. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

typedef struct {
  GtkAdjustment *adj;
  double         velocity;   /* px per frame */
  guint          frames;
  gboolean       done;
} Fling;

static gboolean
fling_tick (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       data)
{
  Fling *fling = data;
  double upper = gtk_adjustment_get_upper (fling->adj) - gtk_adjustment_get_page_size (fling->adj);
  double value = gtk_adjustment_get_value (fling->adj) + fling->velocity;

  gtk_adjustment_set_value (fling->adj, CLAMP (value, 0, upper));
  fling->velocity *= 0.97;
  if (++fling->frames >= FLING_FRAMES || value >= upper)
    {
      fling->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
list_has_rows (gpointer data)
{
  GtkWidget *list = data;

  return list != NULL && gtk_widget_get_mapped (list) && gtk_widget_get_first_child (list) != NULL;
}

static GtkWidget *
find_list_view (GtkWidget *window)
{
  GtkWidget *history = bench_ui_find_by_type (window, TOPOUT_TYPE_HISTORY_VIEW);

  /* Its template child: the drop-downs hold list views of their own. */
  return history != NULL
    ? GTK_WIDGET (gtk_widget_get_template_child (history, TOPOUT_TYPE_HISTORY_VIEW, "list_view"))
    : NULL;
}

typedef struct {
  double open_ms;
  double first_far_fetch_ms;
  double jump_cpu_mean, jump_cpu_p95;
  double jump_frame_mean, jump_frame_max, jump_latency_mean, jump_latency_max;
  double fling_frame_mean, fling_frame_max, fling_interval_mean, fling_interval_max;
  double frame_mean, frame_max;
  double fetch_p50, fetch_p95, fetch_max;
  double rss_growth_kib;
  double reset_p50, reset_max, reset_painted_p50, reset_painted_max;
  guint  n_items;
} Figures;

/* One session's notes changed through a connection of its own. */
static void
write_elsewhere (const char *path,
                 guint       i)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE sessions SET notes = 'Edited elsewhere %u'"
                                          " WHERE rowid = (SELECT max (rowid) FROM sessions)", i);

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
      sqlite3_busy_timeout (db, 5000) != SQLITE_OK ||
      sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_error ("write elsewhere: %s", sqlite3_errmsg (db));
  sqlite3_close (db);
}

static void
run_case (AdwApplication *app,
          guint           n_sessions,
          Figures        *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (TopoutBenchSamples) jump_frames = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) jump_latency = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) jump_cpu = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) fling_frames = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) fling_intervals = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) all_frames = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) fetches = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) resets = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) reset_painted = topout_bench_samples_new ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  g_autofree char *src = topout_bench_cached_db (n_sessions, 10, 1, &error);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  TopoutWindow *window;
  GtkWidget *list;
  GtkAdjustment *adj;
  GListModel *model;
  GdkFrameClock *clock;
  BenchUiFrameLog log = { 0 };
  gint64 t0, t1, rss_before, rss_after;
  Fling fling = { 0 };

  if (src == NULL)
    g_error ("generate: %s", error->message);
  dir = g_build_filename (topout_bench_data_dir (), "ui-history-XXXXXX", NULL);
  if (g_mkdtemp (dir) == NULL)
    g_error ("mkdtemp");
  path = g_build_filename (dir, "topout.db", NULL);
  if (!topout_bench_copy_db (src, path, &error))
    g_error ("copy: %s", error->message);

  /* The first fetch far down a fresh model, before anything found anchors. */
  store = topout_store_new (path, &error);
  if (store == NULL)
    g_error ("store: %s", error->message);
  {
    g_autoptr (TopoutHistoryModel) fresh = topout_history_model_new (store);
    guint n = g_list_model_get_n_items (G_LIST_MODEL (fresh));
    g_autoptr (GObject) item = NULL;

    t0 = g_get_monotonic_time ();
    item = g_list_model_get_item (G_LIST_MODEL (fresh), n - n / 4);
    f->first_far_fetch_ms = (g_get_monotonic_time () - t0) / 1000.0;
  }

  window = topout_window_new (app, store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  bench_ui_wait_painted (GTK_WIDGET (window), NULL, NULL, 10000);
  bench_ui_run_for (300);
  if (n_sessions == 1000)
    bench_ui_print_toolkit (SCENARIO, GTK_WIDGET (window));

  /* Open History: from the action to the first frame with its rows. */
  t0 = g_get_monotonic_time ();
  if (!gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "history"))
    g_error ("no win.show-view");
  list = find_list_view (GTK_WIDGET (window));
  t1 = bench_ui_wait_painted (GTK_WIDGET (window), list_has_rows, list, 10000);
  if (list == NULL || t1 < 0)
    g_error ("History never painted (list %p, mapped %d, child %p, view %s, page %s)", list,
             list ? gtk_widget_get_mapped (list) : -1, list ? gtk_widget_get_first_child (list) : NULL,
             topout_window_get_visible_view (window),
             gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_ancestor (list, GTK_TYPE_STACK))));
  f->open_ms = (t1 - t0) / 1000.0;
  adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
  model = G_LIST_MODEL (gtk_grid_view_get_model (GTK_GRID_VIEW (list)));
  f->n_items = g_list_model_get_n_items (model);
  {
    guint widgets = 0;

    for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
      widgets++;
    g_print ("# list view children after opening: %u\n", widgets);
  }
  /* Let the model find its anchors while idle, as it would after opening. */
  bench_ui_run_for (1500);
  rss_before = topout_bench_rss_kib (0);

  clock = gtk_widget_get_frame_clock (list);
  bench_ui_frame_log_start (&log, clock);

  /* 300 random jumps, each painted before the next. */
  for (guint i = 0; i < N_JUMPS; i++)
    {
      double upper = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);
      double value = g_rand_double_range (rand, 0, MAX (1, upper));

      g_autoptr (TopoutBenchSamples) frames = topout_bench_samples_new ();
      gint64 t_set;
      double work, cpu0 = thread_cpu_ms ();

      log.paints = frames;
      t0 = g_get_monotonic_time ();
      gtk_adjustment_set_value (adj, value);
      t_set = g_get_monotonic_time ();
      t1 = bench_ui_wait_painted (list, NULL, NULL, 5000);
      log.paints = NULL;
      if (topout_bench_samples_len (frames) == 0)
        g_error ("jump %u: no frame logged", i);
      /* The view binds the rows at the new place inside set_value(),
       * before the frame: that work counts, the wait for the frame's turn
       * does not. */
      work = (t_set - t0) / 1000.0;
      for (guint k = 0; k < topout_bench_samples_len (frames); k++)
        work += g_array_index (frames->values, double, k);
      topout_bench_samples_add (jump_frames, work);
      topout_bench_samples_add (jump_latency, (t1 - t0) / 1000.0);
      topout_bench_samples_add (jump_cpu, thread_cpu_ms () - cpu0);
    }
  bench_ui_run_for (200);

  /* A fling from near the top. */
  gtk_adjustment_set_value (adj, 0);
  bench_ui_wait_painted (list, NULL, NULL, 5000);
  fling.adj = adj;
  fling.velocity = 400;  /* px per frame at first: about 24,000 px/s */
  log.paints = fling_frames;
  log.intervals = fling_intervals;
  log.last_paint = 0;
  gtk_widget_add_tick_callback (list, fling_tick, &fling, NULL);
  while (!fling.done)
    g_main_context_iteration (NULL, TRUE);
  bench_ui_wait_painted (list, NULL, NULL, 5000);
  log.paints = NULL;
  log.intervals = NULL;
  bench_ui_frame_log_stop (&log);

  bench_ui_run_for (200);
  rss_after = topout_bench_rss_kib (0);

  /* Page fetches on the view's own model. */
  for (guint i = 0; i < N_FETCHES; i++)
    {
      guint position = g_rand_int_range (rand, 0, (gint32) f->n_items);
      g_autoptr (GObject) item = NULL;

      t0 = g_get_monotonic_time ();
      item = g_list_model_get_item (model, position);
      topout_bench_samples_add (fetches, (g_get_monotonic_time () - t0) / 1000.0);
      g_assert (item != NULL);
    }

  /* Another connection's writes, noticed while History shows its middle. */
  gtk_adjustment_set_value (adj, (gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj)) / 2);
  bench_ui_wait_painted (list, NULL, NULL, 5000);
  bench_ui_run_for (300);
  for (guint i = 0; i < N_RESETS; i++)
    {
      gint64 t_done;

      write_elsewhere (path, i);
      t0 = g_get_monotonic_time ();
      if (!topout_store_check_external_changes (store))
        g_error ("the write of another connection went unnoticed");
      t_done = g_get_monotonic_time ();
      t1 = bench_ui_wait_painted (list, NULL, NULL, 5000);
      topout_bench_samples_add (resets, (t_done - t0) / 1000.0);
      topout_bench_samples_add (reset_painted, (t1 - t0) / 1000.0);
      bench_ui_run_for (200);
    }

  for (guint i = 0; i < topout_bench_samples_len (jump_frames); i++)
    topout_bench_samples_add (all_frames, g_array_index (jump_frames->values, double, i));
  for (guint i = 0; i < topout_bench_samples_len (fling_frames); i++)
    topout_bench_samples_add (all_frames, g_array_index (fling_frames->values, double, i));

  f->jump_cpu_mean = topout_bench_mean (jump_cpu);
  f->jump_cpu_p95 = topout_bench_quantile (jump_cpu, 0.95);
  f->jump_frame_mean = topout_bench_mean (jump_frames);
  f->jump_frame_max = topout_bench_quantile (jump_frames, 1);
  f->jump_latency_mean = topout_bench_mean (jump_latency);
  f->jump_latency_max = topout_bench_quantile (jump_latency, 1);
  f->fling_frame_mean = topout_bench_mean (fling_frames);
  f->fling_frame_max = topout_bench_quantile (fling_frames, 1);
  f->fling_interval_mean = topout_bench_mean (fling_intervals);
  f->fling_interval_max = topout_bench_quantile (fling_intervals, 1);
  f->frame_mean = topout_bench_mean (all_frames);
  f->frame_max = topout_bench_quantile (all_frames, 1);
  f->fetch_p50 = topout_bench_quantile (fetches, 0.5);
  f->fetch_p95 = topout_bench_quantile (fetches, 0.95);
  f->fetch_max = topout_bench_quantile (fetches, 1);
  f->rss_growth_kib = rss_after - rss_before;
  f->reset_p50 = topout_bench_quantile (resets, 0.5);
  f->reset_max = topout_bench_quantile (resets, 1);
  f->reset_painted_p50 = topout_bench_quantile (reset_painted, 0.5);
  f->reset_painted_max = topout_bench_quantile (reset_painted, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  bench_ui_spin (5);
  g_clear_object (&store);
  {
    static const char *const names[] = { "topout.db", "topout.db-wal", "topout.db-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *file = g_build_filename (dir, names[i], NULL);
        g_unlink (file);
      }
    g_rmdir (dir);
  }
}

static void
report_case (const char    *tag,
             const Figures *f,
             gboolean       budgeted)
{
  g_autofree char *n = NULL;
#define NAME(x) (g_free (n), n = g_strdup_printf ("%s-%s", tag, x))
  topout_bench_report (SCENARIO, NAME ("sessions"), f->n_items, "rows", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("open-history"), f->open_ms, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("first-far-fetch-fresh-model"), f->first_far_fetch_ms, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("page-fetch-p50"), f->fetch_p50, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("page-fetch-p95"), f->fetch_p95, "ms",
                       budgeted ? "<= 1 ms" : NULL, f->fetch_p95 <= 1);
  topout_bench_report (SCENARIO, NAME ("page-fetch-max"), f->fetch_max, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("jump-cpu-mean"), f->jump_cpu_mean, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("jump-cpu-p95"), f->jump_cpu_p95, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("jump-frame-mean"), f->jump_frame_mean, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("jump-frame-max"), f->jump_frame_max, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("jump-set-to-painted-mean"), f->jump_latency_mean, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("jump-set-to-painted-max"), f->jump_latency_max, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("fling-frame-mean"), f->fling_frame_mean, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("fling-frame-max"), f->fling_frame_max, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("fling-frame-interval-mean"), f->fling_interval_mean, "ms",
                       budgeted ? "<= 17.5 ms" : NULL, f->fling_interval_mean <= 17.5);
  topout_bench_report (SCENARIO, NAME ("fling-frame-interval-max"), f->fling_interval_max, "ms",
                       budgeted ? "<= 33 ms" : NULL, f->fling_interval_max <= 33);
  topout_bench_report (SCENARIO, NAME ("frame-mean"), f->frame_mean, "ms",
                       budgeted ? "<= 17.5 ms" : NULL, f->frame_mean <= 17.5);
  topout_bench_report (SCENARIO, NAME ("frame-max"), f->frame_max, "ms",
                       budgeted ? "<= 33 ms" : NULL, f->frame_max <= 33);
  topout_bench_report (SCENARIO, NAME ("rss-growth"), f->rss_growth_kib, "KiB",
                       budgeted ? "<= 10240 KiB" : NULL, f->rss_growth_kib <= 10240);
  /* Not a budget of the issue: what a write elsewhere costs the window. */
  topout_bench_report (SCENARIO, NAME ("external-write-p50"), f->reset_p50, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("external-write-max"), f->reset_max, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("external-write-to-painted-p50"), f->reset_painted_p50, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, NAME ("external-write-to-painted-max"), f->reset_painted_max, "ms", NULL, TRUE);
#undef NAME
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (AdwApplication) app = NULL;
  Figures small = { 0 }, big = { 0 };

  adw_init ();
  topout_bench_print_header (SCENARIO, "open History on 100,000 sessions and scroll it (300 jumps + a fling)");
  app = bench_ui_app_new ("io.github.topout.Topout.BenchHistory");

  run_case (app, 1000, &small);
  run_case (app, 100000, &big);

  report_case ("1k", &small, FALSE);
  report_case ("100k", &big, TRUE);
  /* Flat: the big history costs what the small one does (informative;
   * the budgets above are absolute). */
  topout_bench_report (SCENARIO, "100k-over-1k-frame-mean", big.frame_mean / small.frame_mean, "x", NULL, TRUE);
  /* No ratio for page fetches: 1,000 sessions fit the model's cache (2,048
   * rows), so the small case's "fetch" is a cache hit. */
  return topout_bench_exit_code ();
}
