/* bench-log.c — scenario 2: log one completion at the front desk.
 *
 * The real TopoutWindow on a file database (WAL, synchronous=FULL: the
 * store's own pragmas). For each of 21 climbers in turn: choose them, start a
 * session, log 50 routes, end it (what the desk does). A log is timed from
 * activating "picker.log-sent" (or "picker.log-not-sent"), the action the
 * picker's buttons use, to the frame clock's first after-paint at which the
 * new route's row of the session panel exists and is allocated: the row is
 * durable and on screen. The first climber is the warm-up; the 1,000 logs of
 * the other 20 are measured. RSS is read after the warm-up session ended and
 * after the last one ended (the same state on screen).
 *
 * The floor, in the same run and interleaved with the logs: a raw SQLite
 * BEGIN IMMEDIATE / INSERT of the same completion row / COMMIT on a separate
 * database file with the same pragmas.
 *
 * The store checkpoints its WAL as the app's does (off this thread, when
 * idle); TOPOUT_BENCH_CHECKPOINT_IN_COMMIT=1 leaves SQLite's checkpoints
 * inside the commits, to compare.
 */
#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench-ui-common.h"
#include "topout-bench-util.h"
#include "topout-climb-picker.h"
#include "topout-desk-view.h"
#include "topout-session-panel.h"
#include "topout-store.h"
#include "topout-window.h"

#define SCENARIO      "2"
#define N_CLIMBERS    21   /* the first one is the warm-up */
#define LOGS_EACH     50
#define N_CLIMBS      20

/* The floor -------------------------------------------------------------- */

typedef struct {
  sqlite3      *db;
  sqlite3_stmt *insert;
  sqlite3_stmt *begin;
  sqlite3_stmt *commit;
  char         *session_id;
} Floor;

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
}

static void
floor_open (Floor      *floor,
            const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (TopoutClimber) climber = NULL;
  g_autoptr (TopoutClimb) climb = NULL;
  g_autoptr (TopoutSession) draft = topout_session_new ();
  g_autoptr (TopoutSession) session = NULL;

  /* The schema and the parent rows through the store, then closed. */
  store = topout_store_new (path, &error);
  if (store == NULL)
    g_error ("floor store: %s", error->message);
  climber = topout_store_add_climber (store, "Floor Climber", "F-1", &error);
  climb = topout_climb_new ("c-0", "Floor Route", "V3", TOPOUT_GRADE_SYSTEM_V_SCALE);
  if (climber == NULL || !topout_store_add_climb (store, climb, &error))
    g_error ("floor rows: %s", error->message);
  topout_session_set_climber_id (draft, topout_climber_get_id (climber));
  topout_session_set_session_type (draft, TOPOUT_SESSION_TYPE_FUN);
  session = topout_store_start_session (store, draft, &error);
  if (session == NULL)
    g_error ("floor session: %s", error->message);
  floor->session_id = g_strdup (topout_session_get_id (session));
  g_clear_object (&store);

  if (sqlite3_open_v2 (path, &floor->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    g_error ("open %s", path);
  exec_or_die (floor->db, "PRAGMA journal_mode = WAL");
  exec_or_die (floor->db, "PRAGMA synchronous = FULL");
  exec_or_die (floor->db, "PRAGMA foreign_keys = ON");
  sqlite3_prepare_v2 (floor->db, "BEGIN IMMEDIATE", -1, &floor->begin, NULL);
  sqlite3_prepare_v2 (floor->db, "COMMIT", -1, &floor->commit, NULL);
  sqlite3_prepare_v2 (floor->db,
                      "INSERT INTO completions (id, session_id, climb_id, grade, is_success, attempts,"
                      " notes, logged_at, is_competition, competition_type, competition_id, updated_at)"
                      " VALUES (?1, ?2, 'c-0', 'V3', ?3, 1, '', ?4, 0, NULL, NULL, ?4)",
                      -1, &floor->insert, NULL);
}

/* One durable row; returns its time in ms. */
static double
floor_commit (Floor    *floor,
              gboolean  sent)
{
  g_autofree char *id = g_uuid_string_random ();
  gint64 now = g_get_real_time ();
  double t0 = topout_bench_now_ms ();

  sqlite3_step (floor->begin);
  sqlite3_reset (floor->begin);
  sqlite3_bind_text (floor->insert, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (floor->insert, 2, floor->session_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (floor->insert, 3, sent);
  sqlite3_bind_int64 (floor->insert, 4, now);
  if (sqlite3_step (floor->insert) != SQLITE_DONE)
    g_error ("floor insert: %s", sqlite3_errmsg (floor->db));
  sqlite3_reset (floor->insert);
  if (sqlite3_step (floor->commit) != SQLITE_DONE)
    g_error ("floor commit: %s", sqlite3_errmsg (floor->db));
  sqlite3_reset (floor->commit);
  return topout_bench_now_ms () - t0;
}

static void
floor_close (Floor *floor)
{
  sqlite3_finalize (floor->insert);
  sqlite3_finalize (floor->begin);
  sqlite3_finalize (floor->commit);
  sqlite3_close (floor->db);
  g_free (floor->session_id);
}

/* The app ------------------------------------------------------------------ */

/* The session panel's list of logged routes: its list box outside the picker. */
static GtkWidget *
find_completion_list (GtkWidget *root,
                      GtkWidget *picker)
{
  if (root == picker)
    return NULL;
  if (GTK_IS_LIST_BOX (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_completion_list (c, picker);

      if (found)
        return found;
    }
  return NULL;
}

/* The rows of the list before a log: the new route's row is the one that
 * was not there (wherever the panel puts it). */
typedef struct {
  GtkListBox *list;
  GHashTable *old_rows;
} NewRow;

static void
new_row_init (NewRow     *wait,
              GtkListBox *list)
{
  GtkListBoxRow *row;

  wait->list = list;
  wait->old_rows = g_hash_table_new (NULL, NULL);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    g_hash_table_add (wait->old_rows, row);
}

static gboolean
new_row_painted (gpointer data)
{
  NewRow *wait = data;
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (wait->list, i)) != NULL; i++)
    if (!g_hash_table_contains (wait->old_rows, row))
      return gtk_widget_get_mapped (GTK_WIDGET (row)) && gtk_widget_get_width (GTK_WIDGET (row)) > 0;
  return FALSE;
}

static void
activate (GtkWidget  *widget,
          const char *action,
          const char *target)
{
  if (!gtk_widget_activate_action (widget, action, target ? "s" : NULL, target))
    g_error ("cannot activate %s", action);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutBenchSamples) app_ms = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) action_ms = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) floor_ms = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) repaint_ms = topout_bench_samples_new ();
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (AdwApplication) app = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *floor_path = NULL;
  g_autofree char *budget = NULL;
  GPtrArray *climber_ids = g_ptr_array_new_with_free_func (g_free);
  TopoutWindow *window;
  GtkWidget *desk, *panel, *picker, *list;
  Floor floor = { 0 };
  guint n_climbers = N_CLIMBERS;
  gint64 rss_before = 0, rss_after, peak;
  double growth_kib, p95, max;

  adw_init ();
  /* Fewer climbers for profiling: TOPOUT_BENCH_LOG_CLIMBERS=4. */
  if (g_getenv ("TOPOUT_BENCH_LOG_CLIMBERS") != NULL)
    n_climbers = CLAMP (atoi (g_getenv ("TOPOUT_BENCH_LOG_CLIMBERS")), 2, N_CLIMBERS);
  topout_bench_print_header (SCENARIO, "log one completion: action -> durable row -> row painted");

  dir = g_build_filename (topout_bench_data_dir (), "ui-log-XXXXXX", NULL);
  if (g_mkdtemp (dir) == NULL)
    g_error ("mkdtemp %s", dir);
  db_path = g_build_filename (dir, "topout.db", NULL);
  floor_path = g_build_filename (dir, "floor.db", NULL);

  floor_open (&floor, floor_path);

  store = topout_store_new (db_path, &error);
  if (store == NULL)
    g_error ("store: %s", error->message);
  /* As the app opens its store: checkpoints off the tap's thread. */
  if (g_getenv ("TOPOUT_BENCH_CHECKPOINT_IN_COMMIT") == NULL)
    topout_store_checkpoint_when_idle (store);
  for (guint i = 0; i < N_CLIMBS; i++)
    {
      g_autofree char *id = g_strdup_printf ("c-%u", i);
      g_autofree char *name = g_strdup_printf ("Route %u", i);
      g_autoptr (TopoutClimb) climb = topout_climb_new (id, name, "V4", TOPOUT_GRADE_SYSTEM_V_SCALE);

      if (!topout_store_add_climb (store, climb, &error))
        g_error ("climb: %s", error->message);
    }
  for (guint i = 0; i < N_CLIMBERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Climber %02u", i);
      g_autofree char *code = g_strdup_printf ("M-%04u", i);
      g_autoptr (TopoutClimber) climber = topout_store_add_climber (store, name, code, &error);

      if (climber == NULL)
        g_error ("climber: %s", error->message);
      g_ptr_array_add (climber_ids, g_strdup (topout_climber_get_id (climber)));
    }

  app = bench_ui_app_new ("io.github.topout.Topout.BenchLog");
  window = topout_window_new (app, store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  bench_ui_wait_painted (GTK_WIDGET (window), NULL, NULL, 5000);
  bench_ui_spin (5);
  bench_ui_print_toolkit (SCENARIO, GTK_WIDGET (window));

  desk = bench_ui_find_by_type (GTK_WIDGET (window), TOPOUT_TYPE_DESK_VIEW);
  panel = GTK_WIDGET (topout_desk_view_get_session_panel (TOPOUT_DESK_VIEW (desk)));
  picker = GTK_WIDGET (topout_session_panel_get_climb_picker (TOPOUT_SESSION_PANEL (panel)));
  list = find_completion_list (panel, picker);
  g_assert (list != NULL);

  for (guint c = 0; c < n_climbers; c++)
    {
      activate (desk, "desk.select-climber", g_ptr_array_index (climber_ids, c));
      bench_ui_spin (2);
      activate (panel, "panel.start-session", NULL);
      bench_ui_wait_painted (GTK_WIDGET (window), NULL, NULL, 2000);

      for (guint i = 0; i < LOGS_EACH; i++)
        {
          g_autofree char *climb_id = g_strdup_printf ("c-%u", (c * 7 + i) % N_CLIMBS);
          gboolean sent = i % 3 != 2;
          NewRow wait;
          double floor_time = floor_commit (&floor, sent);
          gint64 t0, t_action, t_painted;

          activate (picker, "picker.select-climb", climb_id);
          bench_ui_spin (1);
          new_row_init (&wait, GTK_LIST_BOX (list));
          t0 = g_get_monotonic_time ();
          activate (picker, sent ? "picker.log-sent" : "picker.log-not-sent", NULL);
          t_action = g_get_monotonic_time ();
          t_painted = bench_ui_wait_painted (GTK_WIDGET (window), new_row_painted, &wait, 2000);
          g_hash_table_unref (wait.old_rows);
          if (t_painted < 0)
            g_error ("log %u of climber %u never painted", i, c);
          if (c == 0)
            continue;  /* warm-up */
          topout_bench_samples_add (app_ms, (t_painted - t0) / 1000.0);
          topout_bench_samples_add (action_ms, (t_action - t0) / 1000.0);
          topout_bench_samples_add (floor_ms, floor_time);
        }

      activate (panel, "panel.end-session", NULL);
      bench_ui_wait_painted (GTK_WIDGET (window), NULL, NULL, 2000);
      bench_ui_spin (3);
      if (c == 0)
        {
          rss_before = topout_bench_rss_kib (0);
          /* What one frame of the whole window costs here: a redraw with
           * nothing changed, from queueing it to its after-paint. */
          for (guint r = 0; r < 20; r++)
            {
              gint64 t0 = g_get_monotonic_time ();
              gint64 t1 = bench_ui_wait_painted (GTK_WIDGET (window), NULL, NULL, 2000);

              topout_bench_samples_add (repaint_ms, (t1 - t0) / 1000.0);
            }
        }
    }
  rss_after = topout_bench_rss_kib (0);
  peak = topout_bench_peak_rss_kib (0);

  topout_bench_report (SCENARIO, "logs-measured", topout_bench_samples_len (app_ms), "logs", NULL, TRUE);
  topout_bench_report (SCENARIO, "floor-sqlite-commit-p50", topout_bench_quantile (floor_ms, 0.5), "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, "floor-sqlite-commit-p95", topout_bench_quantile (floor_ms, 0.95), "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, "floor-sqlite-commit-max", topout_bench_quantile (floor_ms, 1), "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, "full-window-repaint-p50", topout_bench_quantile (repaint_ms, 0.5), "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, "action-returned-p50", topout_bench_quantile (action_ms, 0.5), "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, "action-returned-p95", topout_bench_quantile (action_ms, 0.95), "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, "log-to-painted-p50", topout_bench_quantile (app_ms, 0.5), "ms", NULL, TRUE);
  p95 = topout_bench_quantile (app_ms, 0.95);
  max = topout_bench_quantile (app_ms, 1);
  topout_bench_report (SCENARIO, "log-to-painted-p95", p95, "ms", "<= 25 ms", p95 <= 25);
  topout_bench_report (SCENARIO, "log-to-painted-max", max, "ms", "<= 50 ms", max <= 50);
  topout_bench_report (SCENARIO, "log-to-painted-p50-over-floor-p50",
                       topout_bench_quantile (app_ms, 0.5) - topout_bench_quantile (floor_ms, 0.5), "ms", NULL, TRUE);
  growth_kib = (double) (rss_after - rss_before) * 1000.0 / MAX (1, topout_bench_samples_len (app_ms));
  budget = g_strdup ("<= 1024 KiB per 1,000 logs");
  topout_bench_report (SCENARIO, "rss-before", rss_before, "KiB", NULL, TRUE);
  topout_bench_report (SCENARIO, "rss-after", rss_after, "KiB", NULL, TRUE);
  topout_bench_report (SCENARIO, "rss-peak", peak, "KiB", NULL, TRUE);
  topout_bench_report (SCENARIO, "rss-growth-per-1000-logs", growth_kib, "KiB", budget, growth_kib <= 1024);

  gtk_window_destroy (GTK_WINDOW (window));
  bench_ui_spin (3);
  g_clear_object (&store);
  floor_close (&floor);
  g_ptr_array_unref (climber_ids);
  {
    static const char *const names[] = { "topout.db", "topout.db-wal", "topout.db-shm",
                                         "floor.db", "floor.db-wal", "floor.db-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *file = g_build_filename (dir, names[i], NULL);
        g_unlink (file);
      }
    g_rmdir (dir);
  }
  return topout_bench_exit_code ();
}
