/* bench-scale.c — the paths the other scenarios do not measure, at a gym
 * chain's size, against the real store (no window):
 *
 *   desk-search   "Find or add a climber", typed letter by letter, 10,000 climbers
 *   climbers-list the Climbers view's list (500 rows of 10,000)
 *   picker        "Log route": the catalog search of 3,000 climbs for a
 *                 climber with 5,000 past completions, recent climbs first
 *   history       History filters on 100,000 sessions: the count and the
 *                 first page after each change of filter
 *   pending       the header's pending count after each log (100,000 pending)
 *   wall          "On the wall now" with 60 active sessions
 *   editor        a session of 500 routes: open, edit one route, save
 *   scorecard     a competition of 500 climbers × 40 climbs: ranking, and a
 *                 route edited in it (the dual write)
 *   merge         merging two climbers of 5,000 sessions each; archiving
 *
 * Every write is timed from its BEGIN to the end of its COMMIT (SQLite's
 * trace), so "longest transaction" is how long the write lock was held.
 *
 *   bench-scale [--big PATH] [--merge PATH] [--picker PATH] [--only NAME]
 *
 * Without paths, the databases are generated once and cached
 * (topout_bench_cached_db_full()). They are copied before anything writes,
 * and read once before anything is measured (topout_bench_warm_file()).
 */
#define G_LOG_DOMAIN "bench-scale"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "topout-bench-util.h"
#include "topout-history-model.h"
#include "topout-store.h"
#include "topout-store-private.h"

#define SCENARIO "scale"

static const char *only;

static gboolean
wanted (const char *name)
{
  return only == NULL || strcmp (only, name) == 0;
}

/* Write transactions: BEGIN to the end of COMMIT. */
static double tx_started_ms;
static TopoutBenchSamples *tx_samples;

static int
trace_cb (unsigned  type,
          void     *ctx,
          void     *p,
          void     *x)
{
  const char *sql = sqlite3_sql (p);

  if (sql == NULL)
    return 0;
  if (type == SQLITE_TRACE_STMT && g_str_has_prefix (sql, "BEGIN"))
    tx_started_ms = topout_bench_now_ms ();
  else if (type == SQLITE_TRACE_PROFILE && strcmp (sql, "COMMIT") == 0 && tx_started_ms > 0 && tx_samples != NULL)
    {
      topout_bench_samples_add (tx_samples, topout_bench_now_ms () - tx_started_ms);
      tx_started_ms = 0;
    }
  return 0;
}

static void
watch_transactions (TopoutStore *store)
{
  sqlite3_trace_v2 (_topout_store_get_db (store), SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, trace_cb, NULL);
}

static void
report_samples (const char         *name,
                TopoutBenchSamples *s,
                const char         *budget_text,
                double              budget_ms)
{
  g_autofree char *p50 = g_strdup_printf ("%s-p50", name);
  g_autofree char *max = g_strdup_printf ("%s-max", name);

  if (topout_bench_samples_len (s) == 0)
    return;
  topout_bench_report (SCENARIO, p50, topout_bench_quantile (s, 0.5), "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, max, topout_bench_quantile (s, 1), "ms", budget_text,
                       topout_bench_quantile (s, 1) <= budget_ms);
}

static char *
scratch_copy (const char *src,
              const char *name)
{
  g_autoptr (GError) error = NULL;
  char *dest = g_build_filename (topout_bench_data_dir (), name, NULL);

  if (!topout_bench_copy_db (src, dest, &error))
    g_error ("copy %s: %s", src, error->message);
  return dest;
}

static char *
scalar_text (TopoutStore *store,
             const char  *sql)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (store, sql, NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("%s: no row", sql);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* Front desk --------------------------------------------------------------- */

static void
bench_desk_search (TopoutStore *store)
{
  g_autoptr (TopoutBenchSamples) keys = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) list = topout_bench_samples_new ();
  g_autoptr (GPtrArray) some = topout_store_find_climbers (store, NULL, FALSE, 0);
  static const char *const codes[] = { "G-00", "G-004", "G-0042", "G-00421" };

  /* Five names typed letter by letter, the desk's limit of 50 (+1). */
  for (guint n = 0; n < 5 && some->len > 0; n++)
    {
      TopoutClimber *climber = g_ptr_array_index (some, (n * 2311) % some->len);
      const char *name = topout_climber_get_display_name (climber);

      for (const char *end = g_utf8_next_char (name); ; end = g_utf8_next_char (end))
        {
          g_autofree char *typed = g_strndup (name, end - name);
          double t0 = topout_bench_now_ms ();
          g_autoptr (GPtrArray) found = topout_store_find_climbers (store, typed, FALSE, 51);

          topout_bench_samples_add (keys, topout_bench_now_ms () - t0);
          if (*end == '\0')
            break;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      double t0 = topout_bench_now_ms ();
      g_autoptr (GPtrArray) found = topout_store_find_climbers (store, codes[i], FALSE, 51);

      topout_bench_samples_add (keys, topout_bench_now_ms () - t0);
    }
  report_samples ("desk-search-keystroke", keys, "<= 16 ms", 16);

  /* The Climbers view: nothing typed, 500 rows; the view adds a look-up of
   * the survivor of merged ones. */
  for (guint i = 0; i < 10; i++)
    {
      double t0 = topout_bench_now_ms ();
      g_autoptr (GPtrArray) found = topout_store_find_climbers (store, NULL, FALSE, 500);

      topout_bench_samples_add (list, topout_bench_now_ms () - t0);
    }
  report_samples ("climbers-list-500", list, "<= 33 ms", 33);
}

/* Route picker ------------------------------------------------------------- */

static void
bench_picker (TopoutStore *store)
{
  g_autoptr (TopoutBenchSamples) keys = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) all = topout_bench_samples_new ();
  g_autofree char *climber_id = scalar_text (store,
                                             "SELECT s.climber_id FROM sessions s JOIN completions p"
                                             " ON p.session_id = s.id GROUP BY s.climber_id"
                                             " ORDER BY count (*) DESC LIMIT 1");
  static const char *const queries[] = { "", "c", "cr", "cri", "crim", "crimson", "v", "v4", "b", "bl", "blu", "blue",
                                         "red", "#e0" };

  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
      {
        double t0 = topout_bench_now_ms ();
        g_autoptr (GPtrArray) found = topout_store_find_climbs (store, queries[i], climber_id, 50);

        topout_bench_samples_add (keys, topout_bench_now_ms () - t0);
        /* The picker reads the whole catalog again for colour names from
         * the third letter on (topout-climb-picker.c). */
        if (g_utf8_strlen (queries[i], -1) >= 3)
          {
            g_autoptr (GPtrArray) every = NULL;

            t0 = topout_bench_now_ms ();
            every = topout_store_find_climbs (store, NULL, climber_id, 0);
            topout_bench_samples_add (all, topout_bench_now_ms () - t0);
          }
      }
  report_samples ("picker-search", keys, "<= 16 ms", 16);
  report_samples ("picker-whole-catalog", all, NULL, 0);
}

/* History filters ------------------------------------------------------------ */

static void
bench_history (TopoutStore *store)
{
  g_autoptr (TopoutHistoryModel) model = topout_history_model_new (store);
  g_autoptr (TopoutBenchSamples) s = topout_bench_samples_new ();
  g_autofree char *climber_id = scalar_text (store, "SELECT climber_id FROM sessions LIMIT 1 OFFSET 5000");
  struct {
    const char *name;
    gboolean    climber;
    int         type;
    int         state;
  } filters[] = {
    { "none", FALSE, -1, -1 },
    { "climber", TRUE, -1, -1 },
    { "type", FALSE, TOPOUT_SESSION_TYPE_POWER, -1 },
    { "sync-pending", FALSE, -1, TOPOUT_SYNC_STATE_PENDING },
    { "sync-synced", FALSE, -1, TOPOUT_SYNC_STATE_SYNCED },
    { "climber+type", TRUE, TOPOUT_SESSION_TYPE_FUN, -1 },
    { "type+sync", FALSE, TOPOUT_SESSION_TYPE_POWER, TOPOUT_SYNC_STATE_PENDING },
    { "climber+type+sync", TRUE, TOPOUT_SESSION_TYPE_FUN, TOPOUT_SYNC_STATE_PENDING },
  };

  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
      {
        double t0 = topout_bench_now_ms ();
        guint n;

        topout_history_model_set_filter (model, filters[i].climber ? climber_id : NULL, filters[i].type,
                                         filters[i].state);
        n = g_list_model_get_n_items (G_LIST_MODEL (model));
        for (guint k = 0; k < MIN (n, 40u); k++)
          g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), k));
        topout_bench_samples_add (s, topout_bench_now_ms () - t0);
        if (round == 2 || g_getenv ("BENCH_SCALE_VERBOSE") != NULL)
          {
            g_autofree char *name = g_strdup_printf ("history-filter-%s", filters[i].name);

            topout_bench_report (SCENARIO, name, topout_bench_now_ms () - t0, "ms", NULL, TRUE);
          }
      }
  report_samples ("history-filter", s, "<= 33 ms", 33);
}

/* Writes on a copy of the big database ------------------------------------------ */

static void
bench_pending (TopoutStore *store,
               GPtrArray   *climbers,
               const char  *climb_id)
{
  g_autoptr (TopoutBenchSamples) logs = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) counts = topout_bench_samples_new ();

  for (guint i = 0; i < 100; i++)
    {
      TopoutClimber *climber = g_ptr_array_index (climbers, 100 + i % 20);
      g_autoptr (GError) error = NULL;
      g_autoptr (TopoutCompletion) done = NULL;
      guint n_pending = 0, n_attention = 0;
      double t0 = topout_bench_now_ms ();

      done = topout_store_log_completion (store, topout_climber_get_id (climber), climb_id, 1, TRUE, NULL, NULL,
                                          &error);
      g_assert_no_error (error);
      topout_bench_samples_add (logs, topout_bench_now_ms () - t0);
      t0 = topout_bench_now_ms ();
      g_assert_true (topout_store_count_sync_backlog (store, &n_pending, &n_attention, NULL));
      topout_bench_samples_add (counts, topout_bench_now_ms () - t0);
    }
  report_samples ("log-completion", logs, NULL, 0);
  report_samples ("pending-count", counts, "<= 5 ms", 5);
}

static void
bench_wall (TopoutStore *store,
            GPtrArray   *climbers)
{
  g_autoptr (TopoutBenchSamples) s = topout_bench_samples_new ();
  guint n_active;

  {
    g_autoptr (GPtrArray) active = topout_store_list_active_sessions (store);
    n_active = active->len;
  }
  for (guint i = 0; n_active < 60; i++)
    {
      TopoutClimber *climber = g_ptr_array_index (climbers, 200 + i);
      g_autoptr (TopoutSession) draft = topout_session_new ();
      g_autoptr (TopoutSession) started = NULL;

      topout_session_set_climber_id (draft, topout_climber_get_id (climber));
      topout_session_set_session_type (draft, TOPOUT_SESSION_TYPE_FUN);
      if ((started = topout_store_start_session (store, draft, NULL)) != NULL)
        n_active++;
    }
  for (guint i = 0; i < 50; i++)
    {
      double t0 = topout_bench_now_ms ();
      g_autoptr (GPtrArray) active = topout_store_list_active_sessions (store);

      g_assert_cmpuint (active->len, >=, 60);
      topout_bench_samples_add (s, topout_bench_now_ms () - t0);
    }
  report_samples ("wall-60-active", s, "<= 16 ms", 16);
}

static TopoutSession *
past_session (TopoutStore       *store,
              const char        *climber_id,
              TopoutSessionType  type,
              const char        *competition_id)
{
  g_autoptr (TopoutSession) draft = topout_session_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *date = topout_store_date_of (store, topout_store_now (store) - (gint64) 24 * 3600 * G_USEC_PER_SEC);
  TopoutSession *s;

  topout_session_set_climber_id (draft, climber_id);
  topout_session_set_session_type (draft, type);
  topout_session_set_session_date (draft, date);
  topout_session_set_time_slot (draft, TOPOUT_TIME_SLOT_MORNING);
  if (competition_id != NULL)
    {
      topout_session_set_is_competition (draft, TRUE);
      topout_session_set_competition_type (draft, "CHAIN_CUP");
      topout_session_set_competition_id (draft, competition_id);
    }
  s = topout_store_create_past_session (store, draft, &error);
  g_assert_no_error (error);
  return s;
}

static TopoutCompletion *
add_route (TopoutStore *store,
           const char  *session_id,
           const char  *climb_id,
           guint        attempts,
           gboolean     sent)
{
  g_autoptr (TopoutCompletion) draft = topout_completion_new ();
  g_autoptr (GError) error = NULL;
  TopoutCompletion *c;

  topout_completion_set_climb_id (draft, climb_id);
  topout_completion_set_attempts (draft, attempts);
  topout_completion_set_is_success (draft, sent);
  c = topout_store_add_completion (store, session_id, draft, &error);
  g_assert_no_error (error);
  return c;
}

static void
bench_editor (TopoutStore *store,
              GPtrArray   *climbers,
              GPtrArray   *climbs)
{
  g_autoptr (TopoutSession) s = past_session (store, topout_climber_get_id (g_ptr_array_index (climbers, 300)),
                                              TOPOUT_SESSION_TYPE_POWER, NULL);
  const char *id = topout_session_get_id (s);
  g_autoptr (TopoutBenchSamples) open = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) edit = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) save = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) tx = topout_bench_samples_new ();

  g_assert_true (_topout_store_begin (store, NULL));
  for (guint i = 0; i < 500; i++)
    g_object_unref (add_route (store, id, topout_climb_get_id (g_ptr_array_index (climbs, i % climbs->len)),
                               1 + i % 5, i % 3 != 0));
  g_assert_true (_topout_store_commit (store, NULL));

  for (guint i = 0; i < 10; i++)
    {
      double t0 = topout_bench_now_ms ();
      g_autoptr (TopoutSession) fresh = topout_store_get_session (store, id, NULL);
      g_autoptr (GPtrArray) routes = topout_store_list_completions (store, id);
      g_autoptr (GError) error = NULL;
      TopoutCompletion *one;

      g_assert_cmpuint (routes->len, ==, 500);
      topout_bench_samples_add (open, topout_bench_now_ms () - t0);

      one = g_ptr_array_index (routes, 250);
      topout_completion_set_attempts (one, 2 + i);
      tx_samples = tx;
      t0 = topout_bench_now_ms ();
      g_assert_true (topout_store_update_completion (store, one, &error));
      topout_bench_samples_add (edit, topout_bench_now_ms () - t0);

      g_clear_object (&fresh);
      fresh = topout_store_get_session (store, id, NULL);
      topout_session_set_notes (fresh, i % 2 ? "tired" : "strong");
      t0 = topout_bench_now_ms ();
      g_assert_true (topout_store_update_session (store, fresh, &error));
      g_assert_no_error (error);
      topout_bench_samples_add (save, topout_bench_now_ms () - t0);
      tx_samples = NULL;
    }
  report_samples ("editor-500-open", open, "<= 33 ms", 33);
  report_samples ("editor-500-edit-route", edit, "<= 100 ms", 100);
  report_samples ("editor-500-save", save, "<= 100 ms", 100);
  report_samples ("editor-500-transaction", tx, "<= 20 ms", 20);
}

static void
bench_scorecard (TopoutStore *store,
                 GPtrArray   *climbers,
                 GPtrArray   *climbs)
{
  g_autoptr (TopoutBenchSamples) rank = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) list = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) edit = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) tx = topout_bench_samples_new ();
  g_autoptr (GPtrArray) some_routes = g_ptr_array_new_with_free_func (g_object_unref);
  double t0 = topout_bench_now_ms ();

  /* 500 climbers × 40 climbs, one session each. */
  for (guint c = 0; c < 500; c++)
    {
      g_autoptr (TopoutSession) s = past_session (store, topout_climber_get_id (g_ptr_array_index (climbers, 1000 + c)),
                                                  TOPOUT_SESSION_TYPE_COMPETITION, "final");

      g_assert_true (_topout_store_begin (store, NULL));
      for (guint k = 0; k < 40; k++)
        {
          TopoutCompletion *route = add_route (store, topout_session_get_id (s),
                                               topout_climb_get_id (g_ptr_array_index (climbs, k)),
                                               1 + (c + k) % 6, (c * 7 + k) % 3 != 0);
          if (k == 0 && c % 50 == 0)
            g_ptr_array_add (some_routes, route);
          else
            g_object_unref (route);
        }
      g_assert_true (_topout_store_commit (store, NULL));
    }
  g_printerr ("scorecard: 20,000 routes in %.1f s\n", (topout_bench_now_ms () - t0) / 1000);

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr (GPtrArray) ranking = NULL;
      g_autoptr (GPtrArray) pairs = NULL;

      t0 = topout_bench_now_ms ();
      ranking = topout_store_rank_competition (store, "CHAIN_CUP", "final");
      topout_bench_samples_add (rank, topout_bench_now_ms () - t0);
      g_assert_cmpuint (ranking->len, ==, 500);
      t0 = topout_bench_now_ms ();
      pairs = topout_store_list_competitions (store);
      topout_bench_samples_add (list, topout_bench_now_ms () - t0);
    }
  tx_samples = tx;
  for (guint i = 0; i < some_routes->len; i++)
    {
      TopoutCompletion *route = g_ptr_array_index (some_routes, i);
      g_autoptr (GError) error = NULL;

      topout_completion_set_attempts (route, 7);
      topout_completion_set_is_success (route, !topout_completion_get_is_success (route));
      t0 = topout_bench_now_ms ();
      g_assert_true (topout_store_update_completion (store, route, &error));
      topout_bench_samples_add (edit, topout_bench_now_ms () - t0);
    }
  tx_samples = NULL;
  report_samples ("scorecard-rank-500x40", rank, "<= 33 ms", 33);
  report_samples ("scorecard-list-competitions", list, "<= 33 ms", 33);
  report_samples ("scorecard-edit-route", edit, "<= 100 ms", 100);
  report_samples ("scorecard-edit-transaction", tx, "<= 20 ms", 20);
}

/* Merge --------------------------------------------------------------------------- */

static void
bench_merge (const char *merge_db)
{
  g_autofree char *path = scratch_copy (merge_db, "scale-merge.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutStore) store = topout_store_new (path, &error);
  g_autoptr (TopoutBenchSamples) tx = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) archive = topout_bench_samples_new ();
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  double t0, total;
  guint n_moved;

  g_assert_no_error (error);
  /* As the app does: WAL checkpoints on their own thread, not inside a
   * commit (they then run between this program's calls). */
  topout_store_checkpoint_when_idle (store);
  a = scalar_text (store, "SELECT climber_id FROM sessions GROUP BY climber_id ORDER BY count (*) DESC, climber_id LIMIT 1");
  b = scalar_text (store, "SELECT climber_id FROM sessions GROUP BY climber_id ORDER BY count (*) DESC, climber_id"
                          " LIMIT 1 OFFSET 1");
  c = scalar_text (store, "SELECT climber_id FROM sessions GROUP BY climber_id ORDER BY count (*) DESC, climber_id"
                          " LIMIT 1 OFFSET 2");
  {
    g_autoptr (TopoutStmt) stmt = _topout_store_stmt (store, "SELECT count (*) FROM sessions WHERE climber_id = ?1",
                                                      NULL);
    sqlite3_bind_text (stmt, 1, b, -1, SQLITE_TRANSIENT);
    g_assert_true (sqlite3_step (stmt) == SQLITE_ROW);
    n_moved = sqlite3_column_int (stmt, 0);
  }

  watch_transactions (store);
  tx_samples = tx;
  t0 = topout_bench_now_ms ();
  g_assert_true (topout_store_merge_climbers (store, a, b, &error));
  g_assert_no_error (error);
  total = topout_bench_now_ms () - t0;
  tx_samples = NULL;
  g_print ("# merge moved %u sessions in %u transactions, median %.1f ms\n", n_moved, topout_bench_samples_len (tx),
           topout_bench_quantile (tx, 0.5));
  topout_bench_report (SCENARIO, "merge-5000-total", total, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, "merge-5000-longest-transaction", topout_bench_quantile (tx, 1), "ms", "<= 20 ms",
                       topout_bench_quantile (tx, 1) <= 20);

  for (guint i = 0; i < 10; i++)
    {
      t0 = topout_bench_now_ms ();
      g_assert_true (topout_store_set_climber_archived (store, c, i % 2 == 0, &error));
      topout_bench_samples_add (archive, topout_bench_now_ms () - t0);
    }
  report_samples ("archive", archive, "<= 100 ms", 100);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *big = NULL;
  g_autofree char *merge = NULL;
  g_autofree char *picker = NULL;
  const GOptionEntry entries[] = {
    { "big", 0, 0, G_OPTION_ARG_FILENAME, &big, "100,000 sessions, 10,000 climbers, 3,000 climbs", "PATH" },
    { "merge", 0, 0, G_OPTION_ARG_FILENAME, &merge, "100,000 sessions of 20 climbers", "PATH" },
    { "picker", 0, 0, G_OPTION_ARG_FILENAME, &picker, "10,000 sessions of 20 climbers, 3,000 climbs", "PATH" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, "One part: desk, picker, history, writes, merge", "NAME" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);

  topout_bench_print_header (SCENARIO, "paths at a gym chain's size, store only");
  if (big == NULL && (wanted ("desk") || wanted ("history") || wanted ("writes")))
    big = topout_bench_cached_db_full (100000, 10, 10000, 3000, 1, &error);
  if (merge == NULL && wanted ("merge"))
    merge = topout_bench_cached_db_full (100000, 2, 20, 0, 2, &error);
  if (picker == NULL && wanted ("picker"))
    picker = topout_bench_cached_db_full (10000, 10, 20, 3000, 3, &error);
  g_assert_no_error (error);

  if (wanted ("desk") || wanted ("history"))
    {
      g_autoptr (TopoutStore) store = NULL;

      topout_bench_warm_file (big);
      store = topout_store_new (big, &error);

      g_assert_no_error (error);
      if (wanted ("desk"))
        bench_desk_search (store);
      if (wanted ("history"))
        bench_history (store);
    }
  if (wanted ("picker"))
    {
      g_autoptr (TopoutStore) store = NULL;

      topout_bench_warm_file (picker);
      store = topout_store_new (picker, &error);

      g_assert_no_error (error);
      bench_picker (store);
    }
  if (wanted ("writes"))
    {
      g_autofree char *path = scratch_copy (big, "scale-writes.db");
      g_autoptr (TopoutStore) store = topout_store_new (path, &error);
      g_autoptr (GPtrArray) climbers = NULL;
      g_autoptr (GPtrArray) climbs = NULL;

      g_assert_no_error (error);
      watch_transactions (store);
      climbers = topout_store_find_climbers (store, NULL, FALSE, 0);
      climbs = topout_store_find_climbs (store, NULL, NULL, 0);
      bench_pending (store, climbers, topout_climb_get_id (g_ptr_array_index (climbs, 0)));
      bench_wall (store, climbers);
      bench_editor (store, climbers, climbs);
      bench_scorecard (store, climbers, climbs);
    }
  if (wanted ("merge"))
    bench_merge (merge);

  return topout_bench_exit_code ();
}
