/* test-demo.c — demo data (`--demo`) and the synthetic generator
 * (`topout-generate`): what they make, that it follows the rules, that demo
 * data is never due for sync and generated data all is, and that both are
 * reproducible. */
#include <sqlite3.h>
#include <string.h>

#include "topout-limits.h"
#include "topout-test-util.h"

#define NOW "2026-11-21T17:00:00Z"

static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *v = (const char *) sqlite3_column_text (stmt, i);
          g_string_append_printf (out, "%s%s", i ? "|" : "", v ? v : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

/* The dump without this database's own device id (made at random when the
 * file was created). */
static char *
dump_content (const char *path)
{
  g_autofree char *dump = topout_test_dump_db (path);
  g_auto (GStrv) lines = g_strsplit (dump, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], "device_id|"))
      g_string_append_printf (out, "%s\n", lines[i]);
  return g_string_free (out, FALSE);
}

/* Rules every finished session must follow, demo or generated. */
static void
assert_sessions_follow_rules (TopoutStore *store,
                              const char  *path)
{
  g_autofree char *today = topout_store_today (store);
  g_autofree char *sql = NULL;

  /* Finished, revision 1, before today. */
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE status != 'COMPLETED'"), ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE revision != 1"), ==, 0);
  sql = g_strdup_printf ("SELECT count (*) FROM sessions WHERE session_date >= '%s'", today);
  g_assert_cmpint (topout_test_query_int (path, sql), ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE ended_at IS NULL OR ended_at < started_at"),
                   ==, 0);
  /* The session date is the (UTC, the test gym's zone) date of the start. */
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions"
                                    " WHERE session_date != date (started_at / 1000000, 'unixepoch')"), ==, 0);
  /* The slot that contains the start hour. */
  g_assert_cmpint (topout_test_query_int (path,
                              "SELECT count (*) FROM sessions WHERE time_slot IS NOT CASE"
                              " WHEN CAST (strftime ('%H', started_at / 1000000, 'unixepoch') AS INTEGER) BETWEEN 5 AND 7 THEN 'EARLY_MORNING'"
                              " WHEN CAST (strftime ('%H', started_at / 1000000, 'unixepoch') AS INTEGER) BETWEEN 8 AND 10 THEN 'MORNING'"
                              " WHEN CAST (strftime ('%H', started_at / 1000000, 'unixepoch') AS INTEGER) BETWEEN 11 AND 13 THEN 'MIDDAY'"
                              " WHEN CAST (strftime ('%H', started_at / 1000000, 'unixepoch') AS INTEGER) BETWEEN 14 AND 16 THEN 'AFTERNOON'"
                              " WHEN CAST (strftime ('%H', started_at / 1000000, 'unixepoch') AS INTEGER) BETWEEN 17 AND 19 THEN 'EVENING'"
                              " ELSE 'NIGHT' END"), ==, 0);
  /* Names auto-filled as "{type label} · {date}". */
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE name NOT LIKE '% · ' || session_date"), ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE type = 'POWER_ENDURANCE'"
                                    " AND name != 'Power endurance · ' || session_date"), ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE type = 'CUSTOM'"
                                    " AND (custom_label IS NULL OR name != custom_label || ' · ' || session_date)"), ==, 0);
  /* Rule 2: at most 3 a climber and date; never two at once. */
  g_assert_cmpint (topout_test_query_int (path, "SELECT coalesce (max (n), 0) FROM (SELECT count (*) AS n FROM sessions"
                                    " WHERE status != 'CANCELLED' GROUP BY climber_id, session_date)"), <=, 3);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions a JOIN sessions b"
                                    " ON a.climber_id = b.climber_id AND a.id < b.id"
                                    " AND a.started_at < b.ended_at AND b.started_at < a.ended_at"), ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE status = 'ACTIVE'"), ==, 0);
  /* Rule 6: competition sessions carry the pair, and so do their completions. */
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE (type = 'COMPETITION') != is_competition"
                                    " OR (is_competition AND (competition_type IS NULL OR competition_id IS NULL))"),
                   ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM completions p JOIN sessions s ON s.id = p.session_id"
                                    " WHERE p.is_competition != s.is_competition"
                                    " OR p.competition_type IS NOT s.competition_type"
                                    " OR p.competition_id IS NOT s.competition_id"), ==, 0);
  /* Completions: the grade of their climb, attempts 1–999, logged during the session. */
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM completions p JOIN climbs k ON k.id = p.climb_id"
                                    " WHERE p.grade != k.grade"), ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM completions WHERE attempts < 1 OR attempts > 999"), ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM completions p JOIN sessions s ON s.id = p.session_id"
                                    " WHERE p.logged_at < s.started_at OR p.logged_at > s.ended_at"), ==, 0);
  /* The derived counts match. */
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions s WHERE n_routes !="
                                    " (SELECT count (*) FROM completions p WHERE p.session_id = s.id)"
                                    " OR n_sends != (SELECT count (*) FROM completions p"
                                    "                WHERE p.session_id = s.id AND p.is_success)"), ==, 0);
  /* Scorecards agree with the completions. */
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM (SELECT p.competition_type, p.competition_id, s.climber_id,"
                                    " p.climb_id FROM completions p JOIN sessions s ON s.id = p.session_id"
                                    " WHERE p.is_competition GROUP BY 1, 2, 3, 4)"), ==,
                   topout_test_query_int (path, "SELECT count (*) FROM scorecards"));
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM pragma_foreign_key_check"), ==, 0);
}

/* Demo ------------------------------------------------------------------------- */

static void
test_demo_fill (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new (NOW, &path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) climbers = NULL;
  g_autoptr (GPtrArray) climbs = NULL;
  g_autoptr (GPtrArray) ranking = NULL;
  double send_rate;

  g_assert_false (topout_store_is_demo (store));
  g_assert_true (topout_store_fill_demo (store, &error));
  g_assert_no_error (error);
  g_assert_true (topout_store_is_demo (store));

  climbers = topout_store_find_climbers (store, NULL, TRUE, 0);
  g_assert_cmpuint (climbers->len, >=, 10);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM climbers WHERE member_code LIKE 'M-____'"), ==, climbers->len);
  climbs = topout_store_find_climbs (store, NULL, NULL, 0);
  g_assert_cmpuint (climbs->len, >=, 35);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM climbs WHERE color IS NULL OR wall IS NULL OR set_on IS NULL"),
                   ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (DISTINCT grade_system) FROM climbs"), >=, 2);

  /* Sixty days of sessions, ending yesterday, every day with some. */
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions"), >=, 200);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (DISTINCT session_date) FROM sessions"), ==, 60);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE session_date = '2026-09-22'"), >, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE session_date = '2026-11-20'"), >, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE session_date < '2026-09-22'"), ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (DISTINCT type) FROM sessions"), ==, 8);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (DISTINCT time_slot) FROM sessions"), >=, 5);
  /* 3–15 routes each, attempts 1–6, about 60 % sends. */
  g_assert_cmpint (topout_test_query_int (path, "SELECT min (n_routes) FROM sessions"), >=, 3);
  g_assert_cmpint (topout_test_query_int (path, "SELECT max (n_routes) FROM sessions"), <=, 15);
  g_assert_cmpint (topout_test_query_int (path, "SELECT max (attempts) FROM completions"), <=, 6);
  send_rate = topout_test_query_int (path, "SELECT sum (is_success) * 1000 / count (*) FROM completions") / 1000.0;
  g_assert_cmpfloat (send_rate, >, 0.45);
  g_assert_cmpfloat (send_rate, <, 0.75);

  /* Demo data: marked, LOCAL, never due. */
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE is_demo = 0 OR sync_state != 'LOCAL'"), ==, 0);
  g_assert_cmpuint (topout_store_count_due_sessions (store, topout_store_now (store)), ==, 0);
  g_assert_cmpuint (topout_store_count_due_sessions (store, G_MAXINT64), ==, 0);
  g_assert_cmpuint (topout_store_count_pending (store), ==, 0);

  /* A league round with a scorecard to show. */
  ranking = topout_store_rank_competition (store, "Boulder League", "2026-round-3");
  g_assert_cmpuint (ranking->len, >=, 3);

  assert_sessions_follow_rules (store, path);
}

static void
test_demo_only_once (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new (NOW, &path);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (topout_store_fill_demo (store, &error));
  g_assert_no_error (error);
  before = topout_test_dump_db (path);

  topout_test_advance ((gint64) 3 * 24 * 3600 * G_USEC_PER_SEC);
  g_assert_true (topout_store_fill_demo (store, &error));
  g_assert_no_error (error);
  after = topout_test_dump_db (path);
  g_assert_cmpstr (before, ==, after);
}

/* A database in use is never filled with demo data. */
static void
test_demo_not_on_used_database (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new (NOW, &path);
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (store, "Ada", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = topout_test_dump_db (path);
  g_autofree char *after = NULL;

  g_assert_true (topout_store_fill_demo (store, &error));
  g_assert_no_error (error);
  after = topout_test_dump_db (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (topout_store_is_demo (store));
}

/* Rule 11 holds for what is made in a demo database afterwards too: a
 * staff member trying the kiosk out on it never sends anything. */
static void
test_demo_new_sessions_stay_local (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new (NOW, &path);
  g_autoptr (TopoutClimber) ada = NULL;
  g_autoptr (TopoutClimb) climb = NULL;
  g_autoptr (TopoutSession) live = NULL;
  g_autoptr (TopoutSession) tapped = NULL;
  g_autoptr (TopoutSession) draft = NULL;
  g_autoptr (TopoutSession) past = NULL;
  g_autoptr (TopoutCompletion) c = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) climbs = NULL;
  TopoutLogOutcome outcome;

  g_assert_true (topout_store_fill_demo (store, &error));
  g_assert_no_error (error);
  ada = topout_test_add_climber (store, "Ada Lovelace", "M-9001");
  climbs = topout_store_find_climbs (store, NULL, NULL, 0);
  g_assert_cmpuint (climbs->len, >, 0);

  /* A session started and ended by hand. */
  live = topout_test_start (store, topout_climber_get_id (ada), TOPOUT_SESSION_TYPE_POWER);
  g_assert_true (topout_session_get_is_demo (live));
  topout_test_advance (20 * 60 * G_USEC_PER_SEC);
  g_assert_true (topout_store_end_session (store, topout_session_get_id (live), &error));
  g_assert_no_error (error);

  /* A tap that starts a session of its own (rule 3). */
  {
    g_autoptr (TopoutClimber) bo = topout_test_add_climber (store, "Bo Peep", "M-9002");

    c = topout_store_log_completion (store, topout_climber_get_id (bo),
                                     topout_climb_get_id (g_ptr_array_index (climbs, 0)),
                                     2, TRUE, NULL, &outcome, &error);
    g_assert_no_error (error);
    g_assert_nonnull (c);
    tapped = topout_store_get_active_session (store, topout_climber_get_id (bo));
    g_assert_nonnull (tapped);
    g_assert_true (topout_session_get_is_demo (tapped));
    g_assert_true (topout_store_end_session (store, topout_session_get_id (tapped), &error));
    g_assert_no_error (error);
  }

  /* A past session entered afterwards. */
  draft = g_object_new (TOPOUT_TYPE_SESSION,
                        "climber-id", topout_climber_get_id (ada),
                        "session-type", TOPOUT_SESSION_TYPE_FUN,
                        "session-date", "2026-11-19",
                        "time-slot", TOPOUT_TIME_SLOT_EVENING,
                        NULL);
  past = topout_store_create_past_session (store, draft, &error);
  g_assert_no_error (error);
  g_assert_nonnull (past);
  g_assert_true (topout_session_get_is_demo (past));
  g_assert_cmpint (topout_session_get_sync_state (past), ==, TOPOUT_SYNC_STATE_LOCAL);

  /* Edited by a coach: still nothing to send. */
  topout_session_set_notes (past, "Warm-up only");
  g_assert_true (topout_store_update_session (store, past, &error));
  g_assert_no_error (error);

  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE is_demo = 0 OR sync_state != 'LOCAL'"), ==, 0);
  g_assert_cmpuint (topout_store_count_pending (store), ==, 0);
  g_assert_cmpuint (topout_store_count_due_sessions (store, G_MAXINT64), ==, 0);
}

/* A database that is not a demo one syncs what is made in it (the other
 * side of the test above). */
static void
test_demo_real_database_syncs (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new (NOW, &path);
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (store, "Ada Lovelace", "M-9001");
  g_autoptr (TopoutSession) live = topout_test_start (store, topout_climber_get_id (ada), TOPOUT_SESSION_TYPE_POWER);
  g_autoptr (GError) error = NULL;

  g_assert_false (topout_session_get_is_demo (live));
  g_assert_true (topout_store_end_session (store, topout_session_get_id (live), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (topout_store_count_pending (store), ==, 1);
}

/* The same demo on every machine (ids aside, which are real UUIDs). */
static void
test_demo_deterministic (void)
{
  const char *sql = "SELECT c.member_code, s.type, s.custom_label, s.name, s.started_at, s.ended_at, s.time_slot,"
                    " s.notes, s.competition_id, s.n_routes, s.n_sends FROM sessions s"
                    " JOIN climbers c ON c.id = s.climber_id ORDER BY s.started_at, c.member_code";
  g_autofree char *path_a = NULL;
  g_autofree char *path_b = NULL;
  g_autoptr (TopoutStore) a = topout_test_store_new (NOW, &path_a);
  g_autoptr (TopoutStore) b = topout_test_store_new (NOW, &path_b);
  g_autofree char *rows_a = NULL;
  g_autofree char *rows_b = NULL;

  g_assert_true (topout_store_fill_demo (a, NULL));
  g_assert_true (topout_store_fill_demo (b, NULL));
  rows_a = query_text (path_a, sql);
  rows_b = query_text (path_b, sql);
  g_assert_cmpstr (rows_a, ==, rows_b);
}

/* Generator -------------------------------------------------------------------- */

static char *
generate (guint    n_sessions,
          guint    routes,
          guint32  seed,
          char   **path_out)
{
  g_autoptr (TopoutStore) store = topout_test_store_new (NOW, path_out);
  g_autoptr (GError) error = NULL;

  g_assert_true (topout_store_generate (store, n_sessions, routes, seed, &error));
  g_assert_no_error (error);
  return dump_content (*path_out);
}

static void
test_generate_reproducible (void)
{
  g_autofree char *path_a = NULL;
  g_autofree char *path_b = NULL;
  g_autofree char *path_c = NULL;
  g_autofree char *dump_a = generate (300, 4, 42, &path_a);
  g_autofree char *dump_b = generate (300, 4, 42, &path_b);
  g_autofree char *dump_c = generate (300, 4, 43, &path_c);

  g_assert_cmpuint (strlen (dump_a), >, 10000);
  g_assert_cmpstr (dump_a, ==, dump_b);
  g_assert_cmpstr (dump_a, !=, dump_c);
  g_assert_cmpint (topout_test_query_int (path_c, "SELECT count (*) FROM sessions"), ==, 300);
}

static void
test_generate_counts (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new (NOW, &path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) due = NULL;
  const guint n = 5000, routes = 3;

  g_assert_true (topout_store_generate (store, n, routes, 7, &error));
  g_assert_no_error (error);

  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions"), ==, n);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM completions"), ==, n * routes);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE n_routes != 3"), ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM climbers"), ==, MAX (20, n / 200));
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM climbs"), ==, 300);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM completions p JOIN climbs k ON k.id = p.climb_id"
                                    " WHERE k.retired"), ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE is_demo OR sync_state != 'PENDING'"), ==, 0);
  g_assert_cmpuint (topout_store_count_due_sessions (store, topout_store_now (store)), ==, n);
  g_assert_cmpuint (topout_store_count_pending (store), ==, n);
  g_assert_false (topout_store_is_demo (store));
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE type = 'COMPETITION'"), >, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM scorecards"), >, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (DISTINCT type) FROM sessions"), ==, 8);

  /* The sync engine gets them oldest first, with their routes. */
  due = topout_store_list_due_sessions (store, topout_store_now (store), 5);
  g_assert_cmpuint (due->len, ==, 5);
  g_assert_nonnull (topout_session_get_completions (g_ptr_array_index (due, 0)));
  g_assert_cmpuint (topout_session_get_completions (g_ptr_array_index (due, 0))->len, ==, routes);

  assert_sessions_follow_rules (store, path);
}

/* A lower daily cap is kept too. */
static void
test_generate_daily_cap (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new (NOW, &path);
  g_autoptr (GError) error = NULL;

  topout_store_set_max_sessions_per_day (store, 1);
  g_assert_true (topout_store_generate (store, 3000, 1, 9, &error));
  g_assert_no_error (error);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions"), ==, 3000);
  g_assert_cmpint (topout_test_query_int (path, "SELECT max (n) FROM (SELECT count (*) AS n FROM sessions"
                                    " GROUP BY climber_id, session_date)"), ==, 1);
}

static void
test_generate_zero_routes (void)
{
  g_autofree char *path = NULL;
  g_autofree char *dump = generate (50, 0, 1, &path);

  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions"), ==, 50);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM completions"), ==, 0);
}

static void
test_generate_refusals (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new (NOW, &path);
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (store, "Ada", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = topout_test_dump_db (path);
  g_autofree char *after = NULL;

  g_assert_false (topout_store_generate (store, 10, 2, 1, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (topout_store_generate (store, 10, TOPOUT_LIMIT_ROUTES_PER_SESSION + 1, 1, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_FAILED);
  after = topout_test_dump_db (path);
  g_assert_cmpstr (before, ==, after);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/fill", test_demo_fill);
  g_test_add_func ("/demo/only-once", test_demo_only_once);
  g_test_add_func ("/demo/not-on-used-database", test_demo_not_on_used_database);
  g_test_add_func ("/demo/deterministic", test_demo_deterministic);
  g_test_add_func ("/demo/new-sessions-stay-local", test_demo_new_sessions_stay_local);
  g_test_add_func ("/demo/real-database-syncs", test_demo_real_database_syncs);
  g_test_add_func ("/generate/reproducible", test_generate_reproducible);
  g_test_add_func ("/generate/counts-and-rules", test_generate_counts);
  g_test_add_func ("/generate/daily-cap", test_generate_daily_cap);
  g_test_add_func ("/generate/zero-routes", test_generate_zero_routes);
  g_test_add_func ("/generate/refusals", test_generate_refusals);

  return g_test_run ();
}
