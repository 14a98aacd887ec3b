/* test-rules.c — every product rule of SPEC section 3, on real SQLite files. */
#include <sqlite3.h>

#include "topout-limits.h"
#include "topout-store-private.h"
#include "topout-test-util.h"

#define HOUR ((gint64) 3600 * G_USEC_PER_SEC)

typedef struct {
  TopoutStore   *store;
  char          *path;
  TopoutClimber *ada;
  TopoutClimber *bo;
  TopoutClimb   *crimp;
  TopoutClimb   *slab;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = topout_test_store_new ("2026-11-21T17:00:00Z", &f->path);
  f->ada = topout_test_add_climber (f->store, "Ada Lovelace", "M-0001");
  f->bo = topout_test_add_climber (f->store, "Bo Kim", NULL);
  f->crimp = topout_test_add_climb (f->store, "c-1", "Crimp Cathedral", "V4");
  f->slab = topout_test_add_climb (f->store, "c-2", "Slab Happy", "V2");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->ada);
  g_clear_object (&f->bo);
  g_clear_object (&f->crimp);
  g_clear_object (&f->slab);
  /* Whatever the test wrote, the counts the header reads agree. */
  if (f->path != NULL && g_file_test (f->path, G_FILE_TEST_EXISTS))
    topout_test_assert_sync_counts (f->path);
  g_clear_object (&f->store);
  g_clear_pointer (&f->path, g_free);
}

#define ADA(f) topout_climber_get_id ((f)->ada)
#define BO(f) topout_climber_get_id ((f)->bo)

static TopoutCompletion *
log_route (Fixture          *f,
           const char       *climber_id,
           const char       *climb_id,
           guint             attempts,
           gboolean          sent,
           TopoutLogOutcome *outcome)
{
  g_autoptr (GError) error = NULL;
  TopoutCompletion *c = topout_store_log_completion (f->store, climber_id, climb_id, attempts, sent,
                                                     NULL, outcome, &error);
  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

/* A sent route of @attempts on @climb_id added to @session_id (as the editor
 * does), logged at @logged_at (0: as the store decides). */
static TopoutCompletion *
add_route (Fixture    *f,
           const char *session_id,
           const char *climb_id,
           guint       attempts,
           gint64      logged_at)
{
  g_autoptr (TopoutCompletion) draft = topout_completion_new ();
  g_autoptr (GError) error = NULL;
  TopoutCompletion *c;

  topout_completion_set_climb_id (draft, climb_id);
  topout_completion_set_attempts (draft, attempts);
  topout_completion_set_is_success (draft, TRUE);
  topout_completion_set_logged_at (draft, logged_at);
  c = topout_store_add_completion (f->store, session_id, draft, &error);
  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

/* @session_id as an import of another desk's export leaves it: that
 * device's, never synced from here. */
static void
as_other_device (Fixture    *f,
                 const char *session_id)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE sessions SET device_id = 'other-desk', sync_state = 'LOCAL'"
                                          " WHERE id = '%s'", session_id);

  g_assert_cmpint (sqlite3_exec (_topout_store_get_db (f->store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

static TopoutSession *
reload (Fixture    *f,
        const char *session_id)
{
  g_autoptr (GError) error = NULL;
  TopoutSession *s = topout_store_get_session (f->store, session_id, &error);
  g_assert_no_error (error);
  return s;
}

static int
count_rows (Fixture    *f,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_prepare_v2 (_topout_store_get_db (f->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* Rule 1 ----------------------------------------------------------------- */

static void
test_one_active_session (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) first = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_POWER);
  g_autoptr (TopoutSession) draft = topout_session_new ();
  g_autoptr (TopoutSession) second = NULL;
  g_autoptr (TopoutSession) other = NULL;
  g_autoptr (GError) error = NULL;

  topout_session_set_climber_id (draft, ADA (f));
  second = topout_store_start_session (f->store, draft, &error);
  g_assert_null (second);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_ACTIVE_EXISTS);

  /* Another climber is not affected. */
  other = topout_test_start (f->store, BO (f), TOPOUT_SESSION_TYPE_FUN);
  g_assert_cmpint (topout_session_get_status (other), ==, TOPOUT_SESSION_STATUS_ACTIVE);
}

static void
test_one_active_enforced_by_database (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) first = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  sqlite3 *db = NULL;
  char *msg = NULL;
  g_autofree char *sql = g_strdup_printf ("INSERT INTO sessions (id, climber_id, type, name, status, started_at,"
                                          " session_date, created_at, updated_at) VALUES ('x', '%s', 'FUN', 'x',"
                                          " 'ACTIVE', 1, '2026-11-21', 1, 1)", ADA (f));
  int rc;

  /* Even a writer that skips the store cannot make a second active session. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, &msg);
  g_assert_cmpint (rc, ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (msg, "UNIQUE"));
  sqlite3_free (msg);
  sqlite3_close (db);
}

/* Rule 2 ----------------------------------------------------------------- */

static void
start_and_end (Fixture *f, const char *climber_id)
{
  g_autoptr (TopoutSession) s = topout_test_start (f->store, climber_id, TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (GError) error = NULL;

  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s), &error));
  g_assert_no_error (error);
}

static void
test_daily_cap (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) draft = topout_session_new ();
  g_autoptr (TopoutSession) cancelled = NULL;
  g_autoptr (TopoutSession) fourth = NULL;
  g_autoptr (GError) error = NULL;

  /* A cancelled session does not count. */
  cancelled = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_assert_true (topout_store_cancel_session (f->store, topout_session_get_id (cancelled), &error));
  g_assert_no_error (error);

  for (int i = 0; i < 3; i++)
    start_and_end (f, ADA (f));

  topout_session_set_climber_id (draft, ADA (f));
  fourth = topout_store_start_session (f->store, draft, &error);
  g_assert_null (fourth);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DAILY_CAP);
  g_clear_error (&error);

  /* Reopening the cancelled one would make a fourth as well. */
  g_assert_false (topout_store_reopen_session (f->store, topout_session_get_id (cancelled), &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DAILY_CAP);
  g_clear_error (&error);

  /* The next day the count starts again. */
  topout_test_advance (24 * HOUR);
  fourth = topout_store_start_session (f->store, draft, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fourth);
}

/* A coach moving a past session onto a full day meets the same cap, at the
 * date; moved to a free day, its routes' log times go with it. */
static void
test_daily_cap_when_moved (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) draft = g_object_new (TOPOUT_TYPE_SESSION,
                                                  "climber-id", ADA (f),
                                                  "session-type", TOPOUT_SESSION_TYPE_POWER,
                                                  "session-date", "2026-11-18",
                                                  "time-slot", TOPOUT_TIME_SLOT_EVENING,
                                                  NULL);
  g_autoptr (TopoutSession) past = NULL;
  g_autoptr (TopoutSession) moved = NULL;
  g_autoptr (TopoutCompletion) c = NULL;
  g_autoptr (TopoutCompletion) c_after = NULL;
  g_autoptr (GError) error = NULL;
  gint64 logged, day = 24 * HOUR;

  for (int i = 0; i < 3; i++)
    start_and_end (f, ADA (f));

  past = topout_store_create_past_session (f->store, draft, &error);
  g_assert_no_error (error);
  c = add_route (f, topout_session_get_id (past), "c-1", 2, topout_session_get_started_at (past) + HOUR / 2);
  logged = topout_completion_get_logged_at (c);
  g_clear_object (&past);
  past = reload (f, topout_completion_get_session_id (c));

  /* Onto today, which has its three already: refused, nothing changed. */
  topout_session_set_session_date (past, "2026-11-21");
  topout_session_set_started_at (past, topout_session_get_started_at (past) + 3 * day);
  topout_session_set_ended_at (past, topout_session_get_ended_at (past) + 3 * day);
  g_assert_false (topout_store_update_session (f->store, past, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DAILY_CAP);
  g_clear_error (&error);
  g_clear_object (&moved);
  moved = reload (f, topout_session_get_id (past));
  g_assert_cmpstr (topout_session_get_session_date (moved), ==, "2026-11-18");
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM sessions WHERE session_date = '2026-11-21'"
                                  " AND status != 'CANCELLED'"), ==, 3);

  /* Onto the day after instead: saved, the route a day later too. */
  g_clear_object (&past);
  past = reload (f, topout_session_get_id (moved));
  topout_session_set_session_date (past, "2026-11-19");
  topout_session_set_started_at (past, topout_session_get_started_at (past) + day);
  topout_session_set_ended_at (past, topout_session_get_ended_at (past) + day);
  g_assert_true (topout_store_update_session (f->store, past, &error));
  g_assert_no_error (error);
  c_after = topout_store_get_completion (f->store, topout_completion_get_id (c), &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_completion_get_logged_at (c_after), ==, logged + day);
  g_clear_object (&moved);
  moved = reload (f, topout_session_get_id (past));
  g_assert_cmpint (topout_session_get_last_logged_at (moved), ==, logged + day);
  g_assert_cmpint (topout_session_get_last_logged_at (moved), >=, topout_session_get_started_at (moved));
  g_assert_cmpint (topout_session_get_last_logged_at (moved), <=, topout_session_get_ended_at (moved));
}

static void
test_daily_cap_from_settings (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutSession) draft = topout_session_new ();
  g_autoptr (TopoutSession) third = NULL;
  g_autoptr (GError) error = NULL;

  topout_store_bind_settings (f->store, settings);
  g_settings_set_int (settings, "max-sessions-per-day", 2);
  start_and_end (f, ADA (f));
  start_and_end (f, ADA (f));
  topout_session_set_climber_id (draft, ADA (f));
  third = topout_store_start_session (f->store, draft, &error);
  g_assert_null (third);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DAILY_CAP);
  g_settings_reset (settings, "max-sessions-per-day");
}

/* Rule 3 ----------------------------------------------------------------- */

static void
test_log_auto_creates_fun (Fixture *f, gconstpointer data)
{
  TopoutLogOutcome outcome = -1;
  g_autoptr (TopoutCompletion) c = log_route (f, ADA (f), "c-1", 2, TRUE, &outcome);
  g_autoptr (TopoutSession) s = reload (f, topout_completion_get_session_id (c));
  g_autoptr (TopoutCompletion) again = NULL;
  g_autoptr (TopoutSession) same = NULL;

  g_assert_cmpint (outcome, ==, TOPOUT_LOG_STARTED_SESSION);
  g_assert_cmpint (topout_session_get_session_type (s), ==, TOPOUT_SESSION_TYPE_FUN);
  g_assert_cmpint (topout_session_get_status (s), ==, TOPOUT_SESSION_STATUS_ACTIVE);
  g_assert_cmpstr (topout_session_get_climber_id (s), ==, ADA (f));
  g_assert_cmpstr (topout_session_get_name (s), ==, "Fun · 2026-11-21");
  g_assert_cmpint (topout_session_get_time_slot (s), ==, TOPOUT_TIME_SLOT_EVENING);
  g_assert_cmpuint (topout_session_get_n_routes (s), ==, 1);
  g_assert_cmpuint (topout_session_get_n_sends (s), ==, 1);

  /* The next log goes into the same session. */
  again = log_route (f, ADA (f), "c-2", 1, FALSE, &outcome);
  g_assert_cmpint (outcome, ==, TOPOUT_LOG_INTO_ACTIVE);
  g_assert_cmpstr (topout_completion_get_session_id (again), ==, topout_session_get_id (s));
  same = reload (f, topout_session_get_id (s));
  g_assert_cmpuint (topout_session_get_n_routes (same), ==, 2);
  g_assert_cmpuint (topout_session_get_n_sends (same), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM sessions"), ==, 1);
}

static void
test_log_auto_create_is_one_transaction (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutCompletion) c = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db = NULL;

  /* Make the completion insert fail for real, from another connection. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TRIGGER fail_completion BEFORE INSERT ON completions"
                                     " BEGIN SELECT RAISE (ABORT, 'forced failure'); END;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  before = topout_test_dump_db (f->path);

  c = topout_store_log_completion (f->store, ADA (f), "c-1", 1, TRUE, NULL, NULL, &error);
  g_assert_null (c);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_FAILED);
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);
  g_assert_null (topout_store_get_active_session (f->store, ADA (f)));

  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER fail_completion", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_cap_reached_logs_into_latest (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) latest = NULL;
  g_autoptr (TopoutSession) reopened = NULL;
  g_autoptr (TopoutCompletion) c = NULL;
  TopoutLogOutcome outcome = -1;
  gint64 rev;

  start_and_end (f, ADA (f));
  topout_test_advance (HOUR / 2);
  start_and_end (f, ADA (f));
  topout_test_advance (HOUR / 2);
  latest = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_POWER);
  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (latest), NULL));
  g_clear_object (&latest);
  latest = topout_store_get_active_session (f->store, ADA (f));
  g_assert_null (latest);

  {
    /* The third (latest) session of the day. */
    g_autoptr (GPtrArray) active = NULL;
    sqlite3_stmt *stmt = NULL;
    g_assert_cmpint (sqlite3_prepare_v2 (_topout_store_get_db (f->store),
                                         "SELECT id FROM sessions ORDER BY started_at DESC LIMIT 1",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    latest = reload (f, (const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    active = topout_store_list_active_sessions (f->store);
    g_assert_cmpuint (active->len, ==, 0);
  }
  rev = topout_session_get_revision (latest);

  topout_test_advance (HOUR / 4);
  c = log_route (f, ADA (f), "c-1", 3, TRUE, &outcome);
  g_assert_cmpint (outcome, ==, TOPOUT_LOG_REOPENED_LATEST);
  g_assert_cmpstr (topout_completion_get_session_id (c), ==, topout_session_get_id (latest));
  reopened = reload (f, topout_session_get_id (latest));
  g_assert_cmpint (topout_session_get_status (reopened), ==, TOPOUT_SESSION_STATUS_ACTIVE);
  g_assert_cmpint (topout_session_get_session_type (reopened), ==, TOPOUT_SESSION_TYPE_POWER);
  g_assert_cmpint (topout_session_get_revision (reopened), >, rev);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM sessions"), ==, 3);
}

/* With the cap reached, a tap never goes into a session an import under
 * way has written (its journal names it: another process importing): a
 * refused import takes that session out again, and the tap with it. Until
 * the import is whole its sessions are not the climber's yet, for the cap
 * neither: the tap starts a session of its own. */
static void
test_cap_reached_skips_unfinished_import (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) imported = NULL;
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (TopoutCompletion) c = NULL;
  g_autofree char *imported_id = NULL;
  TopoutLogOutcome outcome = -1;
  sqlite3_stmt *stmt = NULL;

  topout_store_set_max_sessions_per_day (f->store, 1);
  imported = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_POWER);
  imported_id = g_strdup (topout_session_get_id (imported));
  g_assert_true (topout_store_end_session (f->store, imported_id, NULL));
  g_assert_cmpint (sqlite3_prepare_v2 (_topout_store_get_db (f->store),
                                       "INSERT INTO import_journal (kind, id) VALUES ('session', ?1)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, imported_id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  topout_test_advance (HOUR / 4);
  c = log_route (f, ADA (f), "c-1", 2, TRUE, &outcome);
  g_assert_cmpint (outcome, ==, TOPOUT_LOG_STARTED_SESSION);
  g_assert_cmpstr (topout_completion_get_session_id (c), !=, imported_id);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM completions WHERE session_id IN"
                                  " (SELECT id FROM import_journal)"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM sessions WHERE status = 'ACTIVE'"
                                  " AND id IN (SELECT id FROM import_journal)"), ==, 0);

  /* The import whole: its session is Ada's, unchanged. */
  g_assert_cmpint (sqlite3_exec (_topout_store_get_db (f->store), "DELETE FROM import_journal", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  after = reload (f, imported_id);
  g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_revision (after), ==, topout_session_get_revision (imported) + 1);
}

/* With the cap reached, the tap goes into the day's latest session recorded
 * on this device, not into a later one imported from another device's
 * export: that one stays the other device's and is never synced from here,
 * and the tap with it would never reach the server. */
static void
test_cap_reached_prefers_own_device (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) own = NULL;
  g_autoptr (TopoutSession) theirs = NULL;
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (TopoutCompletion) c = NULL;
  g_autofree char *own_id = NULL;
  g_autofree char *theirs_id = NULL;
  TopoutLogOutcome outcome = -1;

  topout_store_set_max_sessions_per_day (f->store, 2);
  own = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_POWER);
  own_id = g_strdup (topout_session_get_id (own));
  g_assert_true (topout_store_end_session (f->store, own_id, NULL));
  topout_test_advance (HOUR);
  theirs = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_ENDURANCE);
  theirs_id = g_strdup (topout_session_get_id (theirs));
  g_assert_true (topout_store_end_session (f->store, theirs_id, NULL));
  as_other_device (f, theirs_id);

  topout_test_advance (HOUR / 4);
  c = log_route (f, ADA (f), "c-1", 2, TRUE, &outcome);
  g_assert_cmpint (outcome, ==, TOPOUT_LOG_REOPENED_LATEST);
  g_assert_cmpstr (topout_completion_get_session_id (c), ==, own_id);
  after = reload (f, theirs_id);
  g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM completions WHERE session_id IN"
                                  " (SELECT id FROM sessions WHERE device_id IS NOT NULL)"), ==, 0);
}

/* With the cap reached by sessions imported from another device's export
 * alone, a tap starts a session of this device's (the day's count goes
 * past the cap): put into one of theirs it would never be synced from
 * here, nor reach the other device, and the gym's record would lose it. */
static void
test_cap_reached_by_other_device_starts_own (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) theirs = NULL;
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (TopoutSession) mine = NULL;
  g_autoptr (TopoutCompletion) c = NULL;
  g_autofree char *theirs_id = NULL;
  TopoutLogOutcome outcome = -1;
  gint64 rev;

  topout_store_set_max_sessions_per_day (f->store, 1);
  theirs = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_ENDURANCE);
  theirs_id = g_strdup (topout_session_get_id (theirs));
  g_assert_true (topout_store_end_session (f->store, theirs_id, NULL));
  as_other_device (f, theirs_id);
  after = reload (f, theirs_id);
  rev = topout_session_get_revision (after);
  g_clear_object (&after);

  topout_test_advance (HOUR / 4);
  c = log_route (f, ADA (f), "c-1", 2, TRUE, &outcome);
  g_assert_cmpint (outcome, ==, TOPOUT_LOG_STARTED_SESSION);
  g_assert_cmpstr (topout_completion_get_session_id (c), !=, theirs_id);
  mine = reload (f, topout_completion_get_session_id (c));
  g_assert_cmpint (topout_session_get_status (mine), ==, TOPOUT_SESSION_STATUS_ACTIVE);
  g_assert_cmpstr (topout_session_get_climber_id (mine), ==, ADA (f));
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM sessions WHERE device_id IS NULL"), ==, 1);
  /* Theirs as it was: not reopened, not bumped, nothing logged into it. */
  after = reload (f, theirs_id);
  g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_revision (after), ==, rev);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM completions WHERE session_id IN"
                                  " (SELECT id FROM sessions WHERE device_id IS NOT NULL)"), ==, 0);

  /* The next tap goes into the session it started; ended, with the cap
   * reached, into it again (reopened). */
  g_clear_object (&c);
  c = log_route (f, ADA (f), "c-2", 1, TRUE, &outcome);
  g_assert_cmpint (outcome, ==, TOPOUT_LOG_INTO_ACTIVE);
  g_assert_cmpstr (topout_completion_get_session_id (c), ==, topout_session_get_id (mine));
  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (mine), NULL));
  g_clear_object (&c);
  c = log_route (f, ADA (f), "c-2", 1, TRUE, &outcome);
  g_assert_cmpint (outcome, ==, TOPOUT_LOG_REOPENED_LATEST);
  g_assert_cmpstr (topout_completion_get_session_id (c), ==, topout_session_get_id (mine));
}

/* Rule 3a ---------------------------------------------------------------- */

static void
test_idle_session_ends (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutCompletion) c = NULL;
  g_autoptr (TopoutSession) s = NULL;
  gint64 logged;

  topout_test_set_now ("2026-11-21T10:00:00Z");
  c = log_route (f, ADA (f), "c-1", 1, TRUE, NULL);
  logged = topout_completion_get_logged_at (c);

  topout_test_advance (4 * HOUR - 1);
  g_assert_cmpint (topout_store_end_forgotten_sessions (f->store, &error), ==, 0);
  topout_test_advance (1);
  g_assert_cmpint (topout_store_end_forgotten_sessions (f->store, &error), ==, 1);
  g_assert_no_error (error);

  s = reload (f, topout_completion_get_session_id (c));
  g_assert_cmpint (topout_session_get_status (s), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_ended_at (s), ==, logged);
  g_assert_cmpint (topout_session_get_sync_state (s), ==, TOPOUT_SYNC_STATE_PENDING);
}

static void
test_idle_ends_before_next_log (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutCompletion) first = NULL;
  g_autoptr (TopoutCompletion) second = NULL;
  g_autoptr (TopoutSession) old = NULL;
  TopoutLogOutcome outcome = -1;

  topout_test_set_now ("2026-11-21T09:00:00Z");
  first = log_route (f, ADA (f), "c-1", 1, TRUE, NULL);
  topout_test_set_now ("2026-11-21T15:00:00Z");
  second = log_route (f, ADA (f), "c-2", 1, TRUE, &outcome);
  g_assert_cmpint (outcome, ==, TOPOUT_LOG_STARTED_SESSION);
  g_assert_cmpstr (topout_completion_get_session_id (first), !=, topout_completion_get_session_id (second));
  old = reload (f, topout_completion_get_session_id (first));
  g_assert_cmpint (topout_session_get_status (old), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_ended_at (old), ==, topout_completion_get_logged_at (first));
}

static void
test_closing_time_ends (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) s = NULL;
  g_autoptr (TopoutSession) after = NULL;

  topout_test_set_now ("2026-11-21T21:00:00Z");
  s = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_assert_cmpint (topout_session_get_time_slot (s), ==, TOPOUT_TIME_SLOT_NIGHT);
  topout_test_set_now ("2026-11-21T22:59:59Z");
  g_assert_cmpint (topout_store_end_forgotten_sessions (f->store, &error), ==, 0);
  topout_test_set_now ("2026-11-21T23:00:00Z");
  g_assert_cmpint (topout_store_end_forgotten_sessions (f->store, &error), ==, 1);
  after = reload (f, topout_session_get_id (s));
  g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_ended_at (after), ==, topout_session_get_started_at (s));
}

static void
test_closing_time_after_midnight (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) s = NULL;

  /* A gym open until 01:00: a session at 23:30 is not forgotten at midnight. */
  topout_store_set_closing_time (f->store, "01:00");
  topout_test_set_now ("2026-11-21T23:30:00Z");
  s = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  topout_test_set_now ("2026-11-22T00:30:00Z");
  g_assert_cmpint (topout_store_end_forgotten_sessions (f->store, &error), ==, 0);
  topout_test_set_now ("2026-11-22T01:00:00Z");
  g_assert_cmpint (topout_store_end_forgotten_sessions (f->store, &error), ==, 1);
  g_assert_no_error (error);
}

static void
test_stale_session_ended_before_new_days_log (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutCompletion) yesterday = NULL;
  g_autoptr (TopoutCompletion) today = NULL;
  g_autoptr (TopoutSession) old = NULL;
  g_autoptr (TopoutSession) fresh = NULL;
  TopoutLogOutcome outcome = -1;

  /* Started after closing time (23:00), so neither the closing time (next at
   * 23:00 tomorrow) nor the idle time catches it past midnight. */
  topout_store_set_auto_end_idle_hours (f->store, 24);
  topout_test_set_now ("2026-11-21T23:30:00Z");
  yesterday = log_route (f, ADA (f), "c-1", 1, TRUE, NULL);
  topout_test_set_now ("2026-11-22T00:20:00Z");
  today = log_route (f, ADA (f), "c-2", 2, TRUE, &outcome);

  g_assert_cmpint (outcome, ==, TOPOUT_LOG_ENDED_STALE);
  old = reload (f, topout_completion_get_session_id (yesterday));
  fresh = reload (f, topout_completion_get_session_id (today));
  g_assert_cmpint (topout_session_get_status (old), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpstr (topout_session_get_session_date (old), ==, "2026-11-21");
  g_assert_cmpint (topout_session_get_ended_at (old), ==, topout_completion_get_logged_at (yesterday));
  g_assert_cmpstr (topout_session_get_session_date (fresh), ==, "2026-11-22");
  g_assert_cmpint (topout_session_get_status (fresh), ==, TOPOUT_SESSION_STATUS_ACTIVE);
}

static void
test_late_gym_keeps_session_past_midnight (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutCompletion) before = NULL;
  g_autoptr (TopoutCompletion) after = NULL;
  TopoutLogOutcome outcome = -1;

  /* A gym open until 02:00: the business day runs past midnight. */
  topout_store_set_closing_time (f->store, "02:00");
  topout_test_set_now ("2026-11-21T23:20:00Z");
  before = log_route (f, ADA (f), "c-1", 1, TRUE, NULL);
  topout_test_set_now ("2026-11-22T00:40:00Z");
  after = log_route (f, ADA (f), "c-2", 1, TRUE, &outcome);
  g_assert_cmpint (outcome, ==, TOPOUT_LOG_INTO_ACTIVE);
  g_assert_cmpstr (topout_completion_get_session_id (before), ==, topout_completion_get_session_id (after));
}

/* Names, edits, revisions ------------------------------------------------ */

static void
test_auto_names (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) power = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_POWER_ENDURANCE);
  g_autoptr (TopoutSession) draft = topout_session_new ();
  g_autoptr (TopoutSession) custom = NULL;
  g_autoptr (TopoutSession) edited = NULL;
  g_autoptr (TopoutSession) named = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (topout_session_get_name (power), ==, "Power endurance · 2026-11-21");

  topout_session_set_climber_id (draft, BO (f));
  topout_session_set_session_type (draft, TOPOUT_SESSION_TYPE_CUSTOM);
  topout_session_set_custom_label (draft, "Hangboard");
  custom = topout_store_start_session (f->store, draft, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_session_get_name (custom), ==, "Hangboard · 2026-11-21");
  g_assert_cmpstr (topout_session_get_type_label (custom), ==, "Hangboard");

  /* An automatic name follows a change of type... */
  topout_session_set_session_type (power, TOPOUT_SESSION_TYPE_ENDURANCE);
  g_assert_true (topout_store_update_session (f->store, power, &error));
  g_assert_no_error (error);
  edited = reload (f, topout_session_get_id (power));
  g_assert_cmpstr (topout_session_get_name (edited), ==, "Endurance · 2026-11-21");

  /* ...a name someone typed does not. */
  topout_session_set_name (edited, "Project day");
  g_assert_true (topout_store_update_session (f->store, edited, &error));
  topout_session_set_session_type (edited, TOPOUT_SESSION_TYPE_WORKOUT);
  g_assert_true (topout_store_update_session (f->store, edited, &error));
  g_assert_no_error (error);
  named = reload (f, topout_session_get_id (power));
  g_assert_cmpstr (topout_session_get_name (named), ==, "Project day");
}

static void
test_edit_bumps_revision_and_queues (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) s = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) ended = NULL;
  g_autoptr (TopoutSession) synced = NULL;
  g_autoptr (TopoutSession) edited = NULL;
  g_autoptr (GError) error = NULL;
  const char *id = topout_session_get_id (s);
  const char *ids[] = { id, NULL };
  TopoutSyncResult result = { 0 };

  g_assert_cmpint (topout_session_get_revision (s), ==, 1);
  g_assert_cmpint (topout_session_get_sync_state (s), ==, TOPOUT_SYNC_STATE_LOCAL);
  g_assert_true (topout_store_end_session (f->store, id, &error));
  ended = reload (f, id);
  g_assert_cmpint (topout_session_get_revision (ended), ==, 2);
  g_assert_cmpint (topout_session_get_sync_state (ended), ==, TOPOUT_SYNC_STATE_PENDING);

  /* Synced, then edited: due again with the next revision. */
  g_assert_true (topout_store_mark_syncing (f->store, ids, &error));
  result.session_id = id;
  result.sent_revision = 2;
  result.kind = TOPOUT_SYNC_RESULT_SYNCED;
  result.server_id = "srv-1";
  result.server_revision = 2;
  g_assert_true (topout_store_apply_sync_results (f->store, &result, 1, &error));
  g_assert_no_error (error);
  synced = reload (f, id);
  g_assert_cmpint (topout_session_get_sync_state (synced), ==, TOPOUT_SYNC_STATE_SYNCED);
  g_assert_cmpuint (topout_store_count_due_sessions (f->store, topout_store_now (f->store)), ==, 0);

  topout_session_set_notes (synced, "Felt strong");
  topout_session_set_time_slot (synced, TOPOUT_TIME_SLOT_NIGHT);
  topout_session_set_at_gym (synced, 1);
  g_assert_true (topout_store_update_session (f->store, synced, &error));
  g_assert_no_error (error);
  edited = reload (f, id);
  g_assert_cmpint (topout_session_get_revision (edited), ==, 3);
  g_assert_cmpint (topout_session_get_sync_state (edited), ==, TOPOUT_SYNC_STATE_PENDING);
  g_assert_cmpstr (topout_session_get_notes (edited), ==, "Felt strong");
  g_assert_cmpint (topout_session_get_time_slot (edited), ==, TOPOUT_TIME_SLOT_NIGHT);
  g_assert_cmpint (topout_session_get_at_gym (edited), ==, 1);
  g_assert_cmpstr (topout_session_get_server_id (edited), ==, "srv-1");
  g_assert_cmpuint (topout_store_count_due_sessions (f->store, topout_store_now (f->store)), ==, 1);
}

static void
test_completion_edits_bump_session (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutCompletion) c = log_route (f, ADA (f), "c-1", 2, FALSE, NULL);
  g_autoptr (TopoutSession) s1 = reload (f, topout_completion_get_session_id (c));
  g_autoptr (TopoutSession) s2 = NULL;
  g_autoptr (TopoutSession) s3 = NULL;
  g_autoptr (TopoutCompletion) stored = NULL;
  g_autoptr (GError) error = NULL;

  topout_completion_set_is_success (c, TRUE);
  topout_completion_set_attempts (c, 5);
  topout_completion_set_notes (c, "finally");
  g_assert_true (topout_store_update_completion (f->store, c, &error));
  g_assert_no_error (error);
  s2 = reload (f, topout_completion_get_session_id (c));
  g_assert_cmpint (topout_session_get_revision (s2), ==, topout_session_get_revision (s1) + 1);
  g_assert_cmpuint (topout_session_get_n_sends (s2), ==, 1);
  stored = topout_store_get_completion (f->store, topout_completion_get_id (c), &error);
  g_assert_cmpuint (topout_completion_get_attempts (stored), ==, 5);
  g_assert_cmpstr (topout_completion_get_notes (stored), ==, "finally");

  /* Undo of a log removes exactly that completion. */
  g_assert_true (topout_store_remove_completion (f->store, topout_completion_get_id (c), &error));
  g_assert_no_error (error);
  s3 = reload (f, topout_completion_get_session_id (c));
  g_assert_cmpuint (topout_session_get_n_routes (s3), ==, 0);
  g_assert_cmpuint (topout_session_get_n_sends (s3), ==, 0);
  g_assert_cmpint (topout_session_get_revision (s3), ==, topout_session_get_revision (s2) + 1);
}

/* Another process writes between an edit's read and its write: a third
 * connection holds the write lock, so the edit's BEGIN IMMEDIATE meets it
 * busy; the busy handler lets go of it, has @other (a second TopoutStore
 * on the same file: the desk, or a sync) make its change, then lets the
 * edit go on. Deterministic: the change lands exactly when the edit first
 * waits for the lock. */
typedef struct {
  sqlite3     *holder;
  TopoutStore *other;
  const char  *session_id;
  gboolean   (*change) (TopoutStore *, const char *, GError **);
  gboolean     fired;
} Interleave;

static int
interleave_busy_cb (void *data,
                    int   n)
{
  Interleave *il = data;
  g_autoptr (GError) error = NULL;

  if (il->fired)
    return n < 10;
  il->fired = TRUE;
  g_assert_cmpint (sqlite3_exec (il->holder, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (il->change (il->other, il->session_id, &error));
  g_assert_no_error (error);
  return 1;
}

static void
interleave_arm (Fixture    *f,
                Interleave *il,
                const char *session_id,
                gboolean  (*change) (TopoutStore *, const char *, GError **))
{
  g_autoptr (GError) error = NULL;

  il->other = topout_store_new (f->path, &error);
  g_assert_no_error (error);
  il->session_id = session_id;
  il->change = change;
  il->fired = FALSE;
  g_assert_cmpint (sqlite3_open (f->path, &il->holder), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (il->holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_busy_handler (_topout_store_get_db (f->store), interleave_busy_cb, il);
}

static void
interleave_disarm (Fixture    *f,
                   Interleave *il)
{
  g_assert_true (il->fired);
  sqlite3_busy_timeout (_topout_store_get_db (f->store), 5000);
  sqlite3_close (il->holder);
  g_clear_object (&il->other);
}

/* Ada's running session with one route; its id in *session_id. */
static TopoutCompletion *
running_with_route (Fixture  *f,
                    char    **session_id)
{
  TopoutCompletion *c = log_route (f, ADA (f), "c-1", 2, FALSE, NULL);

  *session_id = g_strdup (topout_completion_get_session_id (c));
  topout_test_advance (HOUR / 2);
  return c;
}

/* Rule 4 with the desk in another process: the session editor's save read
 * the session, the desk ended it, and the save wrote the session it had
 * read back over the end (running again, with the desk's revision). */
static void
test_edit_sees_end_from_another_process (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autoptr (TopoutCompletion) c = running_with_route (f, &id);
  g_autoptr (TopoutSession) mine = reload (f, id);
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (GError) error = NULL;
  Interleave il;

  topout_session_set_notes (mine, "typed in the editor");
  interleave_arm (f, &il, id, topout_store_end_session);
  g_assert_false (topout_store_update_session (f->store, mine, &error));
  interleave_disarm (f, &il);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_STALE);

  after = reload (f, id);
  g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_ended_at (after), !=, 0);
  g_assert_cmpstr (topout_session_get_notes (after), ==, "");
}

/* The same for a route edited, added or removed in the editor while the
 * desk ends the session: the route changes, the end stays. */
static void
test_route_edits_see_end_from_another_process (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autoptr (TopoutCompletion) c = running_with_route (f, &id);
  g_autoptr (TopoutCompletion) stored = NULL;
  g_autoptr (TopoutCompletion) added = NULL;
  g_autoptr (TopoutCompletion) draft = topout_completion_new ();
  g_autoptr (GError) error = NULL;
  Interleave il;
  int what = GPOINTER_TO_INT (data);

  switch (what)
    {
    case 0:
      topout_completion_set_attempts (c, 5);
      interleave_arm (f, &il, id, topout_store_end_session);
      g_assert_true (topout_store_update_completion (f->store, c, &error));
      interleave_disarm (f, &il);
      g_assert_no_error (error);
      stored = topout_store_get_completion (f->store, topout_completion_get_id (c), &error);
      g_assert_cmpuint (topout_completion_get_attempts (stored), ==, 5);
      break;
    case 1:
      topout_completion_set_climb_id (draft, "c-2");
      topout_completion_set_attempts (draft, 1);
      topout_completion_set_is_success (draft, TRUE);
      interleave_arm (f, &il, id, topout_store_end_session);
      added = topout_store_add_completion (f->store, id, draft, &error);
      interleave_disarm (f, &il);
      g_assert_no_error (error);
      g_assert_nonnull (added);
      break;
    default:
      interleave_arm (f, &il, id, topout_store_end_session);
      g_assert_true (topout_store_remove_completion (f->store, topout_completion_get_id (c), &error));
      interleave_disarm (f, &il);
      g_assert_no_error (error);
      break;
    }

  {
    g_autoptr (TopoutSession) after = reload (f, id);

    g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_COMPLETED);
    g_assert_cmpint (topout_session_get_ended_at (after), !=, 0);
    /* Logged at, ended at, bumped by both. */
    g_assert_cmpint (topout_session_get_revision (after), ==, 4);
    g_assert_cmpint (topout_session_get_sync_state (after), ==, TOPOUT_SYNC_STATE_PENDING);
    g_assert_cmpuint (topout_session_get_n_routes (after), ==, what == 1 ? 2 : what == 0 ? 1 : 0);
  }
}

/* The editor's End while the desk deletes the session (it is cancelled):
 * the end is refused, the deletion stays. */
static void
test_end_sees_cancel_from_another_process (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autoptr (TopoutCompletion) c = running_with_route (f, &id);
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (GError) error = NULL;
  Interleave il;

  interleave_arm (f, &il, id, topout_store_cancel_session);
  g_assert_false (topout_store_end_session (f->store, id, &error));
  interleave_disarm (f, &il);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);
  after = reload (f, id);
  g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_CANCELLED);
}

/* The climber editor's save while the desk, in another process, adds a
 * climber with the member code typed (@data 0), or the desk's Add with it
 * (1): the code is refused with its owner's name, as when typed a moment
 * later, not with the database's UNIQUE constraint. */
static gboolean
other_adds_cy (TopoutStore  *other,
               const char   *unused,
               GError      **error)
{
  g_autoptr (TopoutClimber) cy = topout_store_add_climber (other, "Cy Twombly", "M-0042", error);

  return cy != NULL;
}

static void
test_climber_code_sees_add_from_another_process (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) stored = NULL;
  g_autoptr (TopoutClimber) added = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;
  Interleave il;

  interleave_arm (f, &il, NULL, other_adds_cy);
  if (GPOINTER_TO_INT (data) == 0)
    {
      topout_climber_set_member_code (f->ada, "M-0042");
      g_assert_false (topout_store_update_climber (f->store, f->ada, &error));
    }
  else
    {
      added = topout_store_add_climber (f->store, "Di Fosse", "M-0042", &error);
      g_assert_null (added);
    }
  interleave_disarm (f, &il);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "Cy Twombly"));
  g_clear_error (&error);

  stored = topout_store_get_climber (f->store, ADA (f), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_climber_get_member_code (stored), ==, "M-0001");
  all = topout_store_find_climbers (f->store, NULL, TRUE, 0);
  g_assert_cmpuint (all->len, ==, 3);
}

/* Archive while the desk, in another process, starts a session for the
 * climber: refused as when the session was there first, not an archived
 * climber on the wall. */
static gboolean
other_starts_session (TopoutStore  *other,
                      const char   *climber_id,
                      GError      **error)
{
  g_autoptr (TopoutSession) s = topout_test_start (other, climber_id, TOPOUT_SESSION_TYPE_FUN);

  return s != NULL;
}

static void
test_archive_sees_start_from_another_process (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) stored = NULL;
  g_autoptr (TopoutSession) active = NULL;
  g_autoptr (GError) error = NULL;
  Interleave il;

  interleave_arm (f, &il, BO (f), other_starts_session);
  g_assert_false (topout_store_set_climber_archived (f->store, BO (f), TRUE, &error));
  interleave_disarm (f, &il);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  stored = topout_store_get_climber (f->store, BO (f), &error);
  g_assert_no_error (error);
  g_assert_false (topout_climber_get_archived (stored));
  active = topout_store_get_active_session (f->store, BO (f));
  g_assert_nonnull (active);
}

/* The sync in another process sends @session_id and the server takes it. */
static gboolean
other_syncs (TopoutStore  *other,
             const char   *session_id,
             GError      **error)
{
  const char *ids[] = { session_id, NULL };
  g_autoptr (TopoutSession) s = NULL;
  TopoutSyncResult r = { .session_id = session_id, .kind = TOPOUT_SYNC_RESULT_SYNCED, .server_id = "srv-1" };

  if (!topout_store_mark_syncing (other, ids, error) ||
      !(s = topout_store_get_session (other, session_id, error)))
    return FALSE;
  r.sent_revision = r.server_revision = topout_session_get_revision (s);
  return topout_store_apply_sync_results (other, &r, 1, error);
}

/* "Keep mine" pressed in another process, and its sync sends it. */
static gboolean
other_keeps_local_and_syncs (TopoutStore  *other,
                             const char   *session_id,
                             GError      **error)
{
  return topout_store_keep_local_version (other, session_id, error) && other_syncs (other, session_id, error);
}

/* History's Retry (@data 0, on a failed session) or Keep mine (1, on a
 * conflict) while another process's sync has already sent the session and
 * the server took it: refused as for a synced session, which stays synced
 * at the server's revision (not queued again, nor bumped to a revision
 * the server gets for no change). */
static void
test_requeue_sees_sync_from_another_process (Fixture *f, gconstpointer data)
{
  gboolean keep = GPOINTER_TO_INT (data) == 1;
  g_autoptr (TopoutSession) s = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  const char *ids[] = { topout_session_get_id (s), NULL };
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (GError) error = NULL;
  TopoutSyncResult r = { .session_id = ids[0], .sent_revision = 2,
                         .kind = keep ? TOPOUT_SYNC_RESULT_CONFLICT : TOPOUT_SYNC_RESULT_FAILED,
                         .server_id = "srv-1", .server_revision = 7,
                         .error_message = "503 Service Unavailable",
                         .next_attempt_at = topout_store_now (f->store) + HOUR };
  Interleave il;
  gint64 revision;

  g_assert_true (topout_store_end_session (f->store, ids[0], &error));
  g_assert_true (topout_store_mark_syncing (f->store, ids, &error));
  g_assert_true (topout_store_apply_sync_results (f->store, &r, 1, &error));
  g_assert_no_error (error);
  after = reload (f, ids[0]);
  g_assert_cmpint (topout_session_get_sync_state (after), ==,
                   keep ? TOPOUT_SYNC_STATE_CONFLICT : TOPOUT_SYNC_STATE_FAILED);
  revision = topout_session_get_revision (after) + (keep ? 6 : 0);
  g_clear_object (&after);

  interleave_arm (f, &il, ids[0], keep ? other_keeps_local_and_syncs : other_syncs);
  if (keep)
    g_assert_false (topout_store_keep_local_version (f->store, ids[0], &error));
  else
    g_assert_false (topout_store_retry_session (f->store, ids[0], &error));
  interleave_disarm (f, &il);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);

  after = reload (f, ids[0]);
  g_assert_cmpint (topout_session_get_sync_state (after), ==, TOPOUT_SYNC_STATE_SYNCED);
  g_assert_cmpint (topout_session_get_revision (after), ==, revision);
  g_assert_cmpint (topout_session_get_server_revision (after), ==, revision);
  g_assert_cmpuint (topout_store_count_due_sessions (f->store, G_MAXINT64), ==, 0);
}

/* The catalog's Add while another process adds a climb with the same id:
 * refused naming the climb there, not with the database's constraint. */
static gboolean
other_adds_climb (TopoutStore  *other,
                  const char   *unused,
                  GError      **error)
{
  g_autoptr (TopoutClimb) climb = topout_climb_new ("c-9", "Dyno Den", "V5", TOPOUT_GRADE_SYSTEM_V_SCALE);

  return topout_store_add_climb (other, climb, error);
}

static void
test_climb_add_sees_add_from_another_process (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimb) mine = topout_climb_new ("c-9", "Arete Alley", "V1", TOPOUT_GRADE_SYSTEM_V_SCALE);
  g_autoptr (TopoutClimb) stored = NULL;
  g_autoptr (GError) error = NULL;
  Interleave il;

  interleave_arm (f, &il, NULL, other_adds_climb);
  g_assert_false (topout_store_add_climb (f->store, mine, &error));
  interleave_disarm (f, &il);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "Dyno Den"));
  g_clear_error (&error);

  stored = topout_store_get_climb (f->store, "c-9", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_climb_get_name (stored), ==, "Dyno Den");
}

static void
test_grade_copied_when_logged (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutCompletion) c = log_route (f, ADA (f), "c-1", 1, TRUE, NULL);
  g_autoptr (TopoutCompletion) stored = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (topout_completion_get_grade (c), ==, "V4");
  topout_climb_set_grade (f->crimp, "V5");
  g_assert_true (topout_store_update_climb (f->store, f->crimp, &error));
  g_assert_no_error (error);
  stored = topout_store_get_completion (f->store, topout_completion_get_id (c), &error);
  g_assert_cmpstr (topout_completion_get_grade (stored), ==, "V4");

  /* A route added later takes the new grade; one put back (an undone
   * removal) keeps the grade it was logged with; a grade too long is refused. */
  {
    g_autoptr (TopoutCompletion) added = add_route (f, topout_completion_get_session_id (c), "c-1", 1, 0);
    g_autoptr (TopoutCompletion) draft = topout_completion_new ();
    g_autoptr (TopoutCompletion) back = NULL;
    g_autoptr (TopoutCompletion) refused = NULL;
    g_autofree char *long_grade = g_strnfill (TOPOUT_LIMIT_KEY_MAX + 1, 'V');

    g_assert_cmpstr (topout_completion_get_grade (added), ==, "V5");
    topout_completion_set_climb_id (draft, "c-1");
    topout_completion_set_attempts (draft, 1);
    topout_completion_set_grade (draft, "V4");
    back = topout_store_add_completion (f->store, topout_completion_get_session_id (c), draft, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (topout_completion_get_grade (back), ==, "V4");

    topout_completion_set_grade (draft, long_grade);
    refused = topout_store_add_completion (f->store, topout_completion_get_session_id (c), draft, &error);
    g_assert_null (refused);
    g_assert_nonnull (error);
  }
}

/* Competitions and scorecards -------------------------------------------- */

static TopoutSession *
start_comp (Fixture *f, const char *climber_id)
{
  return topout_test_start_competition (f->store, climber_id, "LEAGUE", "2026-r3");
}

static void
test_competition_pair_copied_and_scored (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) ada = start_comp (f, ADA (f));
  g_autoptr (TopoutSession) bo = start_comp (f, BO (f));
  g_autoptr (TopoutCompletion) c1 = log_route (f, ADA (f), "c-1", 3, FALSE, NULL);
  g_autoptr (TopoutCompletion) c2 = log_route (f, ADA (f), "c-1", 2, TRUE, NULL);
  g_autoptr (TopoutCompletion) c3 = log_route (f, ADA (f), "c-1", 4, TRUE, NULL);
  g_autoptr (TopoutCompletion) c4 = log_route (f, BO (f), "c-1", 1, TRUE, NULL);
  g_autoptr (TopoutCompletion) c5 = log_route (f, BO (f), "c-2", 1, FALSE, NULL);
  g_autoptr (GPtrArray) ranking = NULL;
  TopoutScorecardRank *first;
  guint attempts = 0, to_top = 0;
  gboolean topped = FALSE;

  g_assert_true (topout_session_get_is_competition (ada));
  g_assert_true (topout_completion_get_is_competition (c1));
  g_assert_cmpstr (topout_completion_get_competition_type (c1), ==, "LEAGUE");
  g_assert_cmpstr (topout_completion_get_competition_id (c1), ==, "2026-r3");

  g_assert_true (topout_store_get_scorecard_row (f->store, "LEAGUE", "2026-r3", ADA (f), "c-1",
                                                 &attempts, &topped, &to_top, NULL));
  g_assert_cmpuint (attempts, ==, 9);
  g_assert_true (topped);
  g_assert_cmpuint (to_top, ==, 5);
  g_assert_true (topout_store_get_scorecard_row (f->store, "LEAGUE", "2026-r3", BO (f), "c-2",
                                                 &attempts, &topped, &to_top, NULL));
  g_assert_false (topped);

  /* Same tops (1), Bo needed fewer attempts to top. */
  ranking = topout_store_rank_competition (f->store, "LEAGUE", "2026-r3");
  g_assert_cmpuint (ranking->len, ==, 2);
  first = g_ptr_array_index (ranking, 0);
  g_assert_cmpstr (first->climber_id, ==, BO (f));
  g_assert_cmpuint (first->tops, ==, 1);
  g_assert_cmpuint (first->attempts_to_top, ==, 1);

  {
    g_autoptr (GPtrArray) pairs = topout_store_list_competitions (f->store);
    g_assert_cmpuint (pairs->len, ==, 2);
    g_assert_cmpstr (g_ptr_array_index (pairs, 0), ==, "LEAGUE");
    g_assert_cmpstr (g_ptr_array_index (pairs, 1), ==, "2026-r3");
  }

  /* An id alone is not a competition: another type with the same id is apart. */
  g_clear_pointer (&ranking, g_ptr_array_unref);
  ranking = topout_store_rank_competition (f->store, "OTHER", "2026-r3");
  g_assert_cmpuint (ranking->len, ==, 0);
}

static void
test_scorecard_follows_every_change (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) s = start_comp (f, ADA (f));
  g_autoptr (TopoutCompletion) c = log_route (f, ADA (f), "c-1", 2, FALSE, NULL);
  g_autoptr (TopoutSession) fresh = NULL;
  g_autoptr (GError) error = NULL;
  guint attempts = 0, to_top = 0;
  gboolean topped = TRUE;

  g_assert_true (topout_store_get_scorecard_row (f->store, "LEAGUE", "2026-r3", ADA (f), "c-1",
                                                 &attempts, &topped, NULL, NULL));
  g_assert_false (topped);

  /* Edit of the completion. */
  topout_completion_set_is_success (c, TRUE);
  g_assert_true (topout_store_update_completion (f->store, c, &error));
  g_assert_true (topout_store_get_scorecard_row (f->store, "LEAGUE", "2026-r3", ADA (f), "c-1",
                                                 &attempts, &topped, &to_top, NULL));
  g_assert_true (topped);
  g_assert_cmpuint (to_top, ==, 2);

  /* Change of the pair moves the row. */
  fresh = reload (f, topout_session_get_id (s));
  topout_session_set_competition_id (fresh, "2026-r4");
  g_assert_true (topout_store_update_session (f->store, fresh, &error));
  g_assert_no_error (error);
  g_assert_false (topout_store_get_scorecard_row (f->store, "LEAGUE", "2026-r3", ADA (f), "c-1",
                                                  NULL, NULL, NULL, NULL));
  g_assert_true (topout_store_get_scorecard_row (f->store, "LEAGUE", "2026-r4", ADA (f), "c-1",
                                                 NULL, NULL, NULL, NULL));
  {
    g_autoptr (TopoutCompletion) moved = topout_store_get_completion (f->store, topout_completion_get_id (c), &error);
    g_assert_cmpstr (topout_completion_get_competition_id (moved), ==, "2026-r4");
  }

  /* Cancelling removes it; reopening brings it back. */
  g_assert_true (topout_store_cancel_session (f->store, topout_session_get_id (s), &error));
  g_assert_false (topout_store_get_scorecard_row (f->store, "LEAGUE", "2026-r4", ADA (f), "c-1",
                                                  NULL, NULL, NULL, NULL));
  g_assert_true (topout_store_reopen_session (f->store, topout_session_get_id (s), &error));
  g_assert_no_error (error);
  g_assert_true (topout_store_get_scorecard_row (f->store, "LEAGUE", "2026-r4", ADA (f), "c-1",
                                                 NULL, NULL, NULL, NULL));

  /* A type that is not COMPETITION drops the pair and the row. */
  g_clear_object (&fresh);
  fresh = reload (f, topout_session_get_id (s));
  topout_session_set_session_type (fresh, TOPOUT_SESSION_TYPE_FUN);
  g_assert_true (topout_store_update_session (f->store, fresh, &error));
  g_assert_no_error (error);
  g_assert_false (topout_store_get_scorecard_row (f->store, "LEAGUE", "2026-r4", ADA (f), "c-1",
                                                  NULL, NULL, NULL, NULL));
  {
    g_autoptr (TopoutCompletion) plain = topout_store_get_completion (f->store, topout_completion_get_id (c), &error);
    g_assert_false (topout_completion_get_is_competition (plain));
    g_assert_null (topout_completion_get_competition_type (plain));
  }

  /* Removing a completion recomputes too. */
  g_clear_object (&fresh);
  fresh = reload (f, topout_session_get_id (s));
  topout_session_set_session_type (fresh, TOPOUT_SESSION_TYPE_COMPETITION);
  topout_session_set_competition_type (fresh, "LEAGUE");
  topout_session_set_competition_id (fresh, "2026-r3");
  g_assert_true (topout_store_update_session (f->store, fresh, &error));
  g_assert_true (topout_store_get_scorecard_row (f->store, "LEAGUE", "2026-r3", ADA (f), "c-1",
                                                 NULL, NULL, NULL, NULL));
  g_assert_true (topout_store_remove_completion (f->store, topout_completion_get_id (c), &error));
  g_assert_false (topout_store_get_scorecard_row (f->store, "LEAGUE", "2026-r3", ADA (f), "c-1",
                                                  NULL, NULL, NULL, NULL));
}

static void
end_now (Fixture       *f,
         TopoutSession *s)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s), &error));
  g_assert_no_error (error);
}

/* A space typed around the pair at the desk does not make another competition. */
static void
test_competition_pair_trimmed (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) ada = topout_test_start_competition (f->store, ADA (f), "LEAGUE", "2026-r3");
  g_autoptr (TopoutSession) bo = topout_test_start_competition (f->store, BO (f), " \xc2\xa0LEAGUE\t",
                                                                "2026-r3\xc2\xa0 ");
  g_autoptr (TopoutCompletion) c1 = log_route (f, ADA (f), "c-1", 1, TRUE, NULL);
  g_autoptr (TopoutCompletion) c2 = log_route (f, BO (f), "c-1", 2, TRUE, NULL);
  g_autoptr (TopoutSession) stored = reload (f, topout_session_get_id (bo));
  g_autoptr (GPtrArray) pairs = topout_store_list_competitions (f->store);
  g_autoptr (GPtrArray) ranking = topout_store_rank_competition (f->store, "LEAGUE", "2026-r3");

  g_assert_cmpstr (topout_session_get_competition_type (stored), ==, "LEAGUE");
  g_assert_cmpstr (topout_session_get_competition_id (stored), ==, "2026-r3");
  g_assert_cmpstr (topout_completion_get_competition_type (c2), ==, "LEAGUE");
  g_assert_cmpuint (pairs->len, ==, 2);
  g_assert_cmpuint (ranking->len, ==, 2);

  /* Spaces only (non-breaking ones too) is still no pair; a name of
   * non-breaking spaces is a blank name, filled in. */
  {
    g_autoptr (TopoutSession) draft = topout_session_copy (stored);
    g_autoptr (TopoutSession) named = NULL;
    g_autoptr (GError) error = NULL;

    topout_session_set_competition_id (draft, " \xc2\xa0");
    g_assert_false (topout_store_update_session (f->store, draft, &error));
    g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_COMPETITION_PAIR);
    g_clear_error (&error);

    topout_session_set_competition_id (draft, "2026-r3");
    topout_session_set_name (draft, "\xc2\xa0\xc2\xa0");
    g_assert_true (topout_store_update_session (f->store, draft, &error));
    g_assert_no_error (error);
    named = reload (f, topout_session_get_id (bo));
    g_assert_true (g_str_has_prefix (topout_session_get_name (named), "Competition · "));
  }
}

static TopoutClimber *
add_climber (Fixture    *f,
             const char *name)
{
  return topout_test_add_climber (f->store, name, NULL);
}

static const TopoutScorecardRank *
rank_of (GPtrArray  *ranking,
         const char *climber_id)
{
  for (guint i = 0; i < ranking->len; i++)
    {
      const TopoutScorecardRank *rank = g_ptr_array_index (ranking, i);

      if (g_strcmp0 (rank->climber_id, climber_id) == 0)
        return rank;
    }
  g_assert_not_reached ();
}

/* Equal in tops and attempts to top is a tie (SPEC §2 ranks by those two):
 * the same place, whoever topped earlier, listed by name; the next place
 * skips the tied ones (1, 1, 3). */
static void
test_ranking_ties_share_a_place (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) cy = add_climber (f, "Cy Adams");
  g_autoptr (TopoutClimber) di = add_climber (f, "Di Moss");
  const char *cy_id = topout_climber_get_id (cy);
  const char *di_id = topout_climber_get_id (di);
  g_autoptr (TopoutSession) s1 = topout_test_start_competition (f->store, BO (f), "LEAGUE", "r1");
  g_autoptr (TopoutSession) s2 = topout_test_start_competition (f->store, ADA (f), "LEAGUE", "r1");
  g_autoptr (TopoutSession) s3 = topout_test_start_competition (f->store, cy_id, "LEAGUE", "r1");
  g_autoptr (TopoutSession) s4 = topout_test_start_competition (f->store, di_id, "LEAGUE", "r1");
  g_autoptr (GPtrArray) ranking = NULL;
  g_autoptr (TopoutCompletion) c1 = NULL, c2 = NULL, c3 = NULL, c4 = NULL, c5 = NULL, c6 = NULL;

  /* Bo tops first, Ada ten minutes later: same tops, same attempts. */
  c1 = log_route (f, BO (f), "c-1", 2, TRUE, NULL);
  topout_test_advance (HOUR / 6);
  c2 = log_route (f, ADA (f), "c-1", 2, TRUE, NULL);
  /* Cy: one top in three; Di: one top in three, with more attempts in all. */
  c3 = log_route (f, cy_id, "c-1", 3, TRUE, NULL);
  c4 = log_route (f, di_id, "c-2", 1, FALSE, NULL);
  c5 = log_route (f, di_id, "c-1", 3, TRUE, NULL);
  c6 = log_route (f, cy_id, "c-2", 1, FALSE, NULL);

  ranking = topout_store_rank_competition (f->store, "LEAGUE", "r1");
  g_assert_cmpuint (ranking->len, ==, 4);
  /* Listed by name within a tie: Ada before Bo, Cy before Di. */
  g_assert_cmpstr (((TopoutScorecardRank *) g_ptr_array_index (ranking, 0))->climber_id, ==, ADA (f));
  g_assert_cmpstr (((TopoutScorecardRank *) g_ptr_array_index (ranking, 1))->climber_id, ==, BO (f));
  g_assert_cmpstr (((TopoutScorecardRank *) g_ptr_array_index (ranking, 2))->climber_id, ==, cy_id);
  g_assert_cmpstr (((TopoutScorecardRank *) g_ptr_array_index (ranking, 3))->climber_id, ==, di_id);
  g_assert_cmpuint (rank_of (ranking, ADA (f))->place, ==, 1);
  g_assert_cmpuint (rank_of (ranking, BO (f))->place, ==, 1);
  g_assert_cmpuint (rank_of (ranking, cy_id)->place, ==, 3);
  g_assert_cmpuint (rank_of (ranking, di_id)->place, ==, 3);
  g_assert_cmpuint (rank_of (ranking, di_id)->attempts, ==, 4);
  /* Each of a tie knows its place is shared. */
  g_assert_true (rank_of (ranking, ADA (f))->tied);
  g_assert_true (rank_of (ranking, BO (f))->tied);
  g_assert_true (rank_of (ranking, cy_id)->tied);
  g_assert_true (rank_of (ranking, di_id)->tied);

  /* Ada tops the slab: alone in first, Bo second, the tie at third stays. */
  {
    g_autoptr (TopoutCompletion) c7 = log_route (f, ADA (f), "c-2", 1, TRUE, NULL);
    g_autoptr (GPtrArray) again = topout_store_rank_competition (f->store, "LEAGUE", "r1");

    g_assert_cmpuint (rank_of (again, ADA (f))->place, ==, 1);
    g_assert_cmpuint (rank_of (again, BO (f))->place, ==, 2);
    g_assert_cmpuint (rank_of (again, cy_id)->place, ==, 3);
    g_assert_cmpuint (rank_of (again, di_id)->place, ==, 3);
    g_assert_false (rank_of (again, ADA (f))->tied);
    g_assert_false (rank_of (again, BO (f))->tied);
    g_assert_true (rank_of (again, di_id)->tied);
  }
}

/* A climber who started a session of the competition and logged no route
 * is in its ranking: 0 tops, no attempt, sharing the place of those who
 * have not topped (SPEC §2's order kept). A cancelled session, or one of
 * another competition, does not put its climber in. */
static void
test_ranking_lists_climbers_without_routes (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) cy = add_climber (f, "Cy Adams");
  g_autoptr (TopoutClimber) di = add_climber (f, "Di Moss");
  g_autoptr (TopoutClimber) ed = add_climber (f, "Ed Nash");
  const char *cy_id = topout_climber_get_id (cy);
  const char *di_id = topout_climber_get_id (di);
  const char *ed_id = topout_climber_get_id (ed);
  g_autoptr (TopoutSession) s1 = topout_test_start_competition (f->store, ADA (f), "LEAGUE", "r1");
  g_autoptr (TopoutSession) s2 = topout_test_start_competition (f->store, BO (f), "LEAGUE", "r1");
  g_autoptr (TopoutSession) s3 = topout_test_start_competition (f->store, cy_id, "LEAGUE", "r1");
  g_autoptr (TopoutSession) s4 = topout_test_start_competition (f->store, di_id, "LEAGUE", "r1");
  g_autoptr (TopoutSession) s5 = topout_test_start_competition (f->store, ed_id, "LEAGUE", "r2");
  g_autoptr (TopoutCompletion) c1 = log_route (f, ADA (f), "c-1", 2, TRUE, NULL);
  g_autoptr (TopoutCompletion) c2 = log_route (f, BO (f), "c-1", 3, FALSE, NULL);
  g_autoptr (GPtrArray) ranking = NULL;
  g_autoptr (GError) error = NULL;
  const TopoutScorecardRank *rank;

  /* Cy's session ended without a route; Di's was cancelled. */
  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s3), &error));
  g_assert_no_error (error);
  g_assert_true (topout_store_cancel_session (f->store, topout_session_get_id (s4), &error));
  g_assert_no_error (error);

  ranking = topout_store_rank_competition (f->store, "LEAGUE", "r1");
  g_assert_cmpuint (ranking->len, ==, 3);
  g_assert_cmpstr (((TopoutScorecardRank *) g_ptr_array_index (ranking, 0))->climber_id, ==, ADA (f));
  g_assert_cmpuint (rank_of (ranking, ADA (f))->place, ==, 1);
  for (guint i = 0; i < ranking->len; i++)
    {
      const char *id = ((TopoutScorecardRank *) g_ptr_array_index (ranking, i))->climber_id;

      g_assert_cmpstr (id, !=, di_id);
      g_assert_cmpstr (id, !=, ed_id);
    }
  rank = rank_of (ranking, cy_id);
  g_assert_nonnull (rank);
  g_assert_cmpstr (rank->climber_name, ==, "Cy Adams");
  g_assert_cmpuint (rank->tops, ==, 0);
  g_assert_cmpuint (rank->attempts_to_top, ==, 0);
  g_assert_cmpuint (rank->attempts, ==, 0);
  /* No top either way: Bo (3 attempts) and Cy (none) share second. */
  g_assert_cmpuint (rank->place, ==, 2);
  g_assert_true (rank->tied);
  g_assert_cmpuint (rank_of (ranking, BO (f))->place, ==, 2);
  g_assert_cmpuint (rank_of (ranking, BO (f))->attempts, ==, 3);
  /* Within the shared place by name, routes or none. */
  g_assert_cmpstr (((TopoutScorecardRank *) g_ptr_array_index (ranking, 1))->climber_id, ==, BO (f));
  g_assert_cmpstr (((TopoutScorecardRank *) g_ptr_array_index (ranking, 2))->climber_id, ==, cy_id);
  {
    g_autoptr (TopoutClimber) al = add_climber (f, "Al Berg");
    g_autoptr (TopoutSession) s6 = topout_test_start_competition (f->store, topout_climber_get_id (al), "LEAGUE", "r1");

    g_clear_pointer (&ranking, g_ptr_array_unref);
    ranking = topout_store_rank_competition (f->store, "LEAGUE", "r1");
    g_assert_cmpuint (ranking->len, ==, 4);
    g_assert_cmpstr (((TopoutScorecardRank *) g_ptr_array_index (ranking, 1))->climber_id, ==,
                     topout_climber_get_id (al));
    g_assert_cmpuint (((TopoutScorecardRank *) g_ptr_array_index (ranking, 1))->place, ==, 2);
    g_assert_cmpstr (((TopoutScorecardRank *) g_ptr_array_index (ranking, 2))->climber_id, ==, BO (f));
    g_assert_nonnull (s6);
  }

  /* The other round: Ed alone, no route. */
  g_clear_pointer (&ranking, g_ptr_array_unref);
  ranking = topout_store_rank_competition (f->store, "LEAGUE", "r2");
  g_assert_cmpuint (ranking->len, ==, 1);
  g_assert_cmpuint (rank_of (ranking, ed_id)->place, ==, 1);
  g_assert_cmpuint (rank_of (ranking, ed_id)->attempts, ==, 0);
}

/* The competitions are listed by when they were last climbed in, whether
 * anyone topped or not; a cancelled session does not count. */
static void
test_competitions_listed_by_recent_activity (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) old = topout_test_start_competition (f->store, ADA (f), "LEAGUE", "r1");
  g_autoptr (TopoutCompletion) c1 = log_route (f, ADA (f), "c-1", 1, TRUE, NULL);
  g_autoptr (TopoutSession) now = NULL;
  g_autoptr (TopoutSession) next = NULL;
  g_autoptr (TopoutCompletion) c2 = NULL;
  g_autoptr (GPtrArray) pairs = NULL;
  g_autoptr (GError) error = NULL;

  end_now (f, old);
  topout_test_advance (HOUR / 4);
  /* Round 2 tonight: nobody has topped yet. */
  now = topout_test_start_competition (f->store, BO (f), "LEAGUE", "r2");
  c2 = log_route (f, BO (f), "c-1", 5, FALSE, NULL);
  pairs = topout_store_list_competitions (f->store);
  g_assert_cmpuint (pairs->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (pairs, 1), ==, "r2");
  g_assert_cmpstr (g_ptr_array_index (pairs, 3), ==, "r1");

  /* Round 3 started a minute ago, no route logged yet: the most recent
   * (the desk's first button for the next climber; it was not listed, and
   * round 2's button was first). */
  topout_test_advance (HOUR / 60);
  next = topout_test_start_competition (f->store, ADA (f), "LEAGUE", "r3");
  g_clear_pointer (&pairs, g_ptr_array_unref);
  pairs = topout_store_list_competitions (f->store);
  g_assert_cmpuint (pairs->len, ==, 6);
  g_assert_cmpstr (g_ptr_array_index (pairs, 0), ==, "LEAGUE");
  g_assert_cmpstr (g_ptr_array_index (pairs, 1), ==, "r3");
  g_assert_cmpstr (g_ptr_array_index (pairs, 3), ==, "r2");
  /* A route in round 2 after round 3's start: round 2 first again. */
  topout_test_advance (HOUR / 60);
  g_clear_object (&c2);
  c2 = log_route (f, BO (f), "c-1", 1, TRUE, NULL);
  g_clear_pointer (&pairs, g_ptr_array_unref);
  pairs = topout_store_list_competitions (f->store);
  g_assert_cmpstr (g_ptr_array_index (pairs, 1), ==, "r2");
  g_assert_cmpstr (g_ptr_array_index (pairs, 3), ==, "r3");

  /* Bo's round-2 session cancelled: round 2 has no session, so it is not
   * listed; nor round 3 once Ada's is. */
  g_assert_true (topout_store_cancel_session (f->store, topout_session_get_id (now), &error));
  g_assert_no_error (error);
  g_clear_pointer (&pairs, g_ptr_array_unref);
  pairs = topout_store_list_competitions (f->store);
  g_assert_cmpuint (pairs->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (pairs, 1), ==, "r3");
  g_assert_cmpstr (g_ptr_array_index (pairs, 3), ==, "r1");
  g_assert_true (topout_store_cancel_session (f->store, topout_session_get_id (next), &error));
  g_assert_no_error (error);
  g_clear_pointer (&pairs, g_ptr_array_unref);
  pairs = topout_store_list_competitions (f->store);
  g_assert_cmpuint (pairs->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (pairs, 1), ==, "r1");
}

/* The competition a pair typed in other case means: the stored spelling,
 * the most recent of several; none when the pair as typed is stored, or
 * differs otherwise. Case is Unicode's ("équipe" is "Équipe"). */
static void
test_competition_spelling (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) ada = topout_test_start_competition (f->store, ADA (f), "Coupe d’Équipe", "R1");
  g_autoptr (TopoutSession) bo = NULL;
  g_autofree char *type = NULL;
  g_autofree char *id = NULL;

  g_assert_true (topout_store_find_competition_spelling (f->store, " coupe d’équipe\xc2\xa0", "r1", &type, &id));
  g_assert_cmpstr (type, ==, "Coupe d’Équipe");
  g_assert_cmpstr (id, ==, "R1");
  g_assert_false (topout_store_find_competition_spelling (f->store, "Coupe d’Équipe", "R1", &type, &id));
  g_assert_false (topout_store_find_competition_spelling (f->store, "coupe d’équipe", "r2", &type, &id));
  g_assert_false (topout_store_find_competition_spelling (f->store, "coupe", "", &type, &id));

  /* Split already: the pair as typed is one of them, kept; else the most recent. */
  topout_test_advance (HOUR / 60);
  bo = topout_test_start_competition (f->store, BO (f), "COUPE D’ÉQUIPE", "R1");
  g_assert_false (topout_store_find_competition_spelling (f->store, "Coupe d’Équipe", "R1", &type, &id));
  g_clear_pointer (&type, g_free);
  g_clear_pointer (&id, g_free);
  g_assert_true (topout_store_find_competition_spelling (f->store, "coupe d’équipe", "r1", &type, &id));
  g_assert_cmpstr (type, ==, "COUPE D’ÉQUIPE");
}

/* A route a coach adds to a finished session counts as logged in it (after
 * its last route, not after its end), not at the moment of the correction:
 * its first top, and so the scorecard, keeps to the competition's night. */
static void
test_route_added_to_finished_session_logged_inside_it (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) s = topout_test_start_competition (f->store, ADA (f), "LEAGUE", "r1");
  g_autoptr (TopoutCompletion) c1 = NULL;
  g_autoptr (TopoutCompletion) added = NULL;
  g_autoptr (TopoutSession) ended = NULL;
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (GPtrArray) completions = NULL;
  g_autoptr (GError) error = NULL;
  gint64 first_top_at = 0;
  gint64 last;

  topout_test_advance (HOUR / 2);
  c1 = log_route (f, ADA (f), "c-1", 2, FALSE, NULL);
  last = topout_completion_get_logged_at (c1);
  topout_test_advance (HOUR / 2);
  end_now (f, s);
  ended = reload (f, topout_session_get_id (s));

  /* Two days later the coach adds the slab Ada topped that night. */
  topout_test_advance (48 * HOUR);
  added = add_route (f, topout_session_get_id (s), "c-2", 3, 0);
  g_assert_cmpint (topout_completion_get_logged_at (added), ==, last);
  g_assert_cmpint (topout_completion_get_logged_at (added), <=, topout_session_get_ended_at (ended));
  g_assert_true (topout_store_get_scorecard_row (f->store, "LEAGUE", "r1", ADA (f), "c-2",
                                                 NULL, NULL, NULL, &first_top_at));
  g_assert_cmpint (first_top_at, ==, last);

  /* It is listed last, and the session kept its end. */
  completions = topout_store_list_completions (f->store, topout_session_get_id (s));
  g_assert_cmpuint (completions->len, ==, 2);
  g_assert_cmpstr (topout_completion_get_id (g_ptr_array_index (completions, 1)), ==,
                   topout_completion_get_id (added));
  after = reload (f, topout_session_get_id (s));
  g_assert_cmpint (topout_session_get_ended_at (after), ==, topout_session_get_ended_at (ended));
}

/* A competition night, change by change: after each the stored scorecards
 * are exactly what the routes give when counted again from scratch. */
static void
test_scorecard_matches_routes_after_each_change (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) cy = add_climber (f, "Cy Adams");
  g_autoptr (TopoutClimber) dup = add_climber (f, "Bo K.");
  g_autoptr (TopoutSession) ada = topout_test_start_competition (f->store, ADA (f), "LEAGUE", "r1");
  g_autoptr (TopoutSession) bo = topout_test_start_competition (f->store, topout_climber_get_id (dup), "LEAGUE", "r1");
  g_autoptr (TopoutSession) cys = topout_test_start_competition (f->store, topout_climber_get_id (cy), "LEAGUE", "r1");
  g_autoptr (TopoutCompletion) a1 = NULL, a2 = NULL, a3 = NULL, b1 = NULL, b2 = NULL, c1 = NULL, added = NULL;
  g_autoptr (TopoutSession) fresh = NULL;
  g_autoptr (GPtrArray) ranking = NULL;
  g_autoptr (GError) error = NULL;
  const char *cy_id = topout_climber_get_id (cy);

#define AGREE() topout_test_assert_scorecards_agree (f->path)
  /* Logged at the desk: repeats, misses, and 999 attempts three times. */
  a1 = log_route (f, ADA (f), "c-1", 3, FALSE, NULL);
  topout_test_advance (HOUR / 12);
  a2 = log_route (f, ADA (f), "c-1", 999, TRUE, NULL);
  a3 = log_route (f, ADA (f), "c-2", 999, TRUE, NULL);
  b1 = log_route (f, topout_climber_get_id (dup), "c-1", 999, TRUE, NULL);
  b2 = log_route (f, topout_climber_get_id (dup), "c-2", 1, FALSE, NULL);
  c1 = log_route (f, cy_id, "c-2", 2, FALSE, NULL);
  AGREE ();
  ranking = topout_store_rank_competition (f->store, "LEAGUE", "r1");
  g_assert_cmpuint (rank_of (ranking, ADA (f))->attempts, ==, 2001);
  g_assert_cmpuint (rank_of (ranking, ADA (f))->attempts_to_top, ==, 2001);
  g_assert_cmpuint (rank_of (ranking, cy_id)->tops, ==, 0);
  g_assert_cmpuint (rank_of (ranking, cy_id)->place, ==, 3);

  /* Corrections: sent, attempts, another climb, a route taken out. */
  topout_completion_set_is_success (a1, TRUE);
  g_assert_true (topout_store_update_completion (f->store, a1, &error));
  g_assert_no_error (error);
  AGREE ();
  topout_completion_set_attempts (b2, 7);
  topout_completion_set_climb_id (b2, "c-1");
  g_assert_true (topout_store_update_completion (f->store, b2, &error));
  g_assert_no_error (error);
  AGREE ();
  g_assert_true (topout_store_remove_completion (f->store, topout_completion_get_id (a2), &error));
  g_assert_no_error (error);
  AGREE ();

  /* A session changes type and pair, and back. */
  fresh = reload (f, topout_session_get_id (cys));
  topout_session_set_session_type (fresh, TOPOUT_SESSION_TYPE_FUN);
  g_assert_true (topout_store_update_session (f->store, fresh, &error));
  g_assert_no_error (error);
  AGREE ();
  g_clear_object (&fresh);
  fresh = reload (f, topout_session_get_id (cys));
  topout_session_set_session_type (fresh, TOPOUT_SESSION_TYPE_COMPETITION);
  topout_session_set_competition_type (fresh, "CUP");
  topout_session_set_competition_id (fresh, "r1");
  g_assert_true (topout_store_update_session (f->store, fresh, &error));
  g_assert_no_error (error);
  AGREE ();
  g_clear_object (&fresh);
  fresh = reload (f, topout_session_get_id (cys));
  topout_session_set_competition_type (fresh, "LEAGUE");
  g_assert_true (topout_store_update_session (f->store, fresh, &error));
  g_assert_no_error (error);
  AGREE ();

  /* Cancelled, reopened, ended, deleted and restored. */
  g_assert_true (topout_store_cancel_session (f->store, topout_session_get_id (ada), &error));
  AGREE ();
  g_assert_true (topout_store_reopen_session (f->store, topout_session_get_id (ada), &error));
  g_assert_no_error (error);
  AGREE ();
  end_now (f, ada);
  AGREE ();
  g_assert_true (topout_store_cancel_session (f->store, topout_session_get_id (ada), &error));
  AGREE ();
  g_assert_true (topout_store_restore_session (f->store, topout_session_get_id (ada), &error));
  g_assert_no_error (error);
  AGREE ();

  /* Moved to the day before, and a route added afterwards. */
  g_clear_object (&fresh);
  fresh = reload (f, topout_session_get_id (ada));
  topout_session_set_session_date (fresh, "2026-11-20");
  topout_session_set_started_at (fresh, topout_session_get_started_at (fresh) - 24 * HOUR);
  topout_session_set_ended_at (fresh, topout_session_get_ended_at (fresh) - 24 * HOUR);
  g_assert_true (topout_store_update_session (f->store, fresh, &error));
  g_assert_no_error (error);
  AGREE ();
  added = add_route (f, topout_session_get_id (ada), "c-2", 4, 0);
  AGREE ();

  /* The duplicate merged into Bo mid-competition, its session still open;
   * Bo renamed, Cy archived. */
  g_assert_true (topout_store_merge_climbers (f->store, BO (f), topout_climber_get_id (dup), &error));
  g_assert_no_error (error);
  AGREE ();
  {
    g_autoptr (TopoutCompletion) more = log_route (f, BO (f), "c-2", 2, TRUE, NULL);
    g_autoptr (TopoutClimber) renamed = topout_store_get_climber (f->store, BO (f), &error);

    AGREE ();
    topout_climber_set_display_name (renamed, "Bo Kimura");
    g_assert_true (topout_store_update_climber (f->store, renamed, &error));
    g_assert_no_error (error);
    AGREE ();
  }
  end_now (f, cys);
  g_assert_true (topout_store_set_climber_archived (f->store, cy_id, TRUE, &error));
  g_assert_no_error (error);
  AGREE ();

  /* The merged, renamed and archived are all still ranked. */
  g_clear_pointer (&ranking, g_ptr_array_unref);
  ranking = topout_store_rank_competition (f->store, "LEAGUE", "r1");
  g_assert_cmpuint (ranking->len, ==, 3);
  g_assert_cmpstr (rank_of (ranking, BO (f))->climber_name, ==, "Bo Kimura");
  g_assert_cmpuint (rank_of (ranking, BO (f))->tops, ==, 2);
  g_assert_cmpuint (rank_of (ranking, cy_id)->tops, ==, 0);
#undef AGREE
}

static void
test_scorecard_failure_writes_neither (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) s = start_comp (f, ADA (f));
  g_autoptr (TopoutCompletion) ok = log_route (f, ADA (f), "c-1", 1, TRUE, NULL);
  g_autoptr (TopoutCompletion) c = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db = NULL;

  /* The second write of the dual write (the scorecard) fails for real. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TRIGGER fail_scorecard BEFORE INSERT ON scorecards"
                                     " BEGIN SELECT RAISE (ABORT, 'forced failure'); END;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  before = topout_test_dump_db (f->path);

  c = topout_store_log_completion (f->store, ADA (f), "c-2", 2, TRUE, NULL, NULL, &error);
  g_assert_null (c);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_FAILED);
  g_clear_error (&error);
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);

  /* Neither the completion nor the session's counts changed. */
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM completions"), ==, 1);
  {
    g_autoptr (TopoutSession) same = reload (f, topout_session_get_id (s));
    g_assert_cmpuint (topout_session_get_n_routes (same), ==, 1);
  }

  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER fail_scorecard", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  c = log_route (f, ADA (f), "c-2", 2, TRUE, NULL);
  g_assert_true (topout_store_get_scorecard_row (f->store, "LEAGUE", "2026-r3", ADA (f), "c-2",
                                                 NULL, NULL, NULL, NULL));
}

/* Rule 7: no hard delete --------------------------------------------------- */

static void
test_cancel_never_synced_is_never_due (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) s = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s), &error));
  g_assert_cmpuint (topout_store_count_due_sessions (f->store, topout_store_now (f->store)), ==, 1);
  g_assert_true (topout_store_cancel_session (f->store, topout_session_get_id (s), &error));
  g_assert_no_error (error);
  after = reload (f, topout_session_get_id (s));
  g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_CANCELLED);
  g_assert_cmpint (topout_session_get_sync_state (after), ==, TOPOUT_SYNC_STATE_LOCAL);
  g_assert_cmpuint (topout_store_count_due_sessions (f->store, G_MAXINT64), ==, 0);
  /* Still in the database. */
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM sessions"), ==, 1);
}

static void
test_cancel_synced_syncs_cancellation (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) s = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GError) error = NULL;
  const char *ids[] = { topout_session_get_id (s), NULL };
  TopoutSyncResult r = { .session_id = ids[0], .sent_revision = 2, .kind = TOPOUT_SYNC_RESULT_SYNCED,
                         .server_id = "srv-7", .server_revision = 2 };

  g_assert_true (topout_store_end_session (f->store, ids[0], &error));
  g_assert_true (topout_store_mark_syncing (f->store, ids, &error));
  g_assert_true (topout_store_apply_sync_results (f->store, &r, 1, &error));
  g_assert_true (topout_store_cancel_session (f->store, ids[0], &error));
  g_assert_no_error (error);

  after = reload (f, ids[0]);
  g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_CANCELLED);
  g_assert_cmpint (topout_session_get_sync_state (after), ==, TOPOUT_SYNC_STATE_PENDING);
  due = topout_store_list_due_sessions (f->store, topout_store_now (f->store), 10);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpint (topout_session_get_status (g_ptr_array_index (due, 0)), ==, TOPOUT_SESSION_STATUS_CANCELLED);
}

static void
test_reopen (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) s = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) other = NULL;
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s), &error));
  g_assert_true (topout_store_reopen_session (f->store, topout_session_get_id (s), &error));
  g_assert_no_error (error);
  after = reload (f, topout_session_get_id (s));
  g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_ACTIVE);
  g_assert_cmpint (topout_session_get_ended_at (after), ==, 0);
  g_assert_cmpint (topout_session_get_sync_state (after), ==, TOPOUT_SYNC_STATE_LOCAL);

  /* Ending again, starting another, then reopening the first: rule 1. */
  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s), &error));
  other = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_POWER);
  g_assert_false (topout_store_reopen_session (f->store, topout_session_get_id (s), &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_ACTIVE_EXISTS);
}

/* An archived climber is never on the wall (archiving is refused while they
 * are): their ended session is not reopened, by the editor's Reopen (it is
 * not offered) or the undo of an end, until the climber is restored. */
static void
test_reopen_refused_for_archived_climber (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) s = topout_test_start (f->store, BO (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) ended = NULL;
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (GError) error = NULL;
  const char *id = topout_session_get_id (s);

  g_assert_true (topout_store_end_session (f->store, id, &error));
  g_assert_true (topout_store_set_climber_archived (f->store, BO (f), TRUE, &error));
  g_assert_no_error (error);
  ended = reload (f, id);

  g_assert_false (topout_store_session_can_reopen (f->store, ended, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_ARCHIVED);
  g_clear_error (&error);
  g_assert_false (topout_store_reopen_session (f->store, id, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_ARCHIVED);
  g_clear_error (&error);
  after = reload (f, id);
  g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_revision (after), ==, topout_session_get_revision (ended));
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM sessions WHERE status = 'ACTIVE'"), ==, 0);

  /* Restored, the climber's session reopens. */
  g_assert_true (topout_store_set_climber_archived (f->store, BO (f), FALSE, &error));
  g_assert_true (topout_store_reopen_session (f->store, id, &error));
  g_assert_no_error (error);
}

/* A session of a day that is over is not reopened (rule 3a would end it at
 * once, its end moved to its last route); a deleted one is restored as it
 * was, ended. */
static void
test_reopen_past_and_restore (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) draft = g_object_new (TOPOUT_TYPE_SESSION,
                                                  "climber-id", BO (f),
                                                  "session-type", TOPOUT_SESSION_TYPE_FUN,
                                                  "session-date", "2026-11-19",
                                                  "time-slot", TOPOUT_TIME_SLOT_MORNING,
                                                  NULL);
  g_autoptr (TopoutSession) past = topout_store_create_past_session (f->store, draft, NULL);
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (GError) error = NULL;
  const char *id;
  gint64 ended;

  g_assert_nonnull (past);
  id = topout_session_get_id (past);
  ended = topout_session_get_ended_at (past);
  g_assert_false (topout_store_session_can_reopen (f->store, past, NULL));

  g_assert_false (topout_store_reopen_session (f->store, id, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  after = reload (f, id);
  g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_ended_at (after), ==, ended);
  g_clear_object (&after);

  /* Restoring what is not deleted is refused. */
  g_assert_false (topout_store_restore_session (f->store, id, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* Delete, then restore: ended again, at the same time, queued for sync. */
  g_assert_true (topout_store_cancel_session (f->store, id, &error));
  g_assert_no_error (error);
  g_assert_true (topout_store_restore_session (f->store, id, &error));
  g_assert_no_error (error);
  after = reload (f, id);
  g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_ended_at (after), ==, ended);
  g_assert_cmpint (topout_session_get_sync_state (after), ==, TOPOUT_SYNC_STATE_PENDING);
  g_clear_object (&after);

  /* Today's session is still reopened as before. */
  {
    g_autoptr (TopoutSession) today = topout_test_start (f->store, BO (f), TOPOUT_SESSION_TYPE_FUN);

    g_assert_true (topout_store_session_can_reopen (f->store, today, NULL));
    g_assert_true (topout_store_end_session (f->store, topout_session_get_id (today), &error));
    g_assert_true (topout_store_reopen_session (f->store, topout_session_get_id (today), &error));
    g_assert_no_error (error);
  }

  /* Nor a session of today idle past the auto-end hours: rule 3a would end
   * it again within a minute (it did, before this check). */
  {
    g_autoptr (TopoutSession) idle = topout_store_get_active_session (f->store, BO (f));
    g_autoptr (TopoutSession) again = NULL;

    g_assert_nonnull (idle);
    g_assert_true (topout_store_end_session (f->store, topout_session_get_id (idle), &error));
    g_assert_no_error (error);
    topout_test_advance (4 * HOUR + 60 * G_USEC_PER_SEC);
    again = reload (f, topout_session_get_id (idle));
    g_assert_false (topout_store_session_can_reopen (f->store, again, &error));
    g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);
    g_assert_nonnull (strstr (error->message, "4 hours"));
    g_clear_error (&error);
    g_assert_false (topout_store_reopen_session (f->store, topout_session_get_id (idle), &error));
    g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);
    g_clear_object (&again);
    again = reload (f, topout_session_get_id (idle));
    g_assert_cmpint (topout_session_get_status (again), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  }
}

/* Rule 9: time zones --------------------------------------------------------- */

static void
test_session_date_in_gym_zone (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) s = NULL;
  g_autoptr (TopoutCompletion) late = NULL;
  g_autoptr (TopoutSession) same = NULL;

  /* 23:30 UTC is 00:30 the next day in Berlin. */
  topout_store_set_gym_timezone (f->store, "Europe/Berlin");
  topout_store_set_closing_time (f->store, "03:00");
  topout_test_set_now ("2026-11-21T22:30:00Z");
  s = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_assert_cmpstr (topout_session_get_session_date (s), ==, "2026-11-21");
  g_assert_cmpint (topout_session_get_time_slot (s), ==, TOPOUT_TIME_SLOT_NIGHT);

  /* Past midnight the session stays on its date, and logs go into it. */
  topout_test_set_now ("2026-11-21T23:10:00Z");
  late = log_route (f, ADA (f), "c-1", 1, TRUE, NULL);
  g_assert_cmpstr (topout_completion_get_session_id (late), ==, topout_session_get_id (s));
  same = reload (f, topout_session_get_id (s));
  g_assert_cmpstr (topout_session_get_session_date (same), ==, "2026-11-21");
}

/* Past sessions ------------------------------------------------------------ */

static void
test_past_session_from_slot (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) draft = topout_session_new ();
  g_autoptr (TopoutSession) s = NULL;
  g_autoptr (TopoutSession) night = NULL;
  g_autoptr (TopoutCompletion) c = NULL;
  g_autoptr (GError) error = NULL;

  topout_session_set_climber_id (draft, ADA (f));
  topout_session_set_session_type (draft, TOPOUT_SESSION_TYPE_TENSION_BOARD);
  topout_session_set_session_date (draft, "2026-11-02");
  topout_session_set_time_slot (draft, TOPOUT_TIME_SLOT_MORNING);
  s = topout_store_create_past_session (f->store, draft, &error);
  g_assert_no_error (error);
  g_assert_true (topout_session_get_is_retroactive (s));
  g_assert_cmpint (topout_session_get_status (s), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_sync_state (s), ==, TOPOUT_SYNC_STATE_PENDING);
  g_assert_cmpint (topout_session_get_started_at (s), ==, topout_test_parse_time ("2026-11-02T08:00:00Z"));
  g_assert_cmpint (topout_session_get_ended_at (s), ==, topout_test_parse_time ("2026-11-02T11:00:00Z"));
  g_assert_cmpstr (topout_session_get_name (s), ==, "Tension board · 2026-11-02");

  topout_session_set_time_slot (draft, TOPOUT_TIME_SLOT_NIGHT);
  night = topout_store_create_past_session (f->store, draft, &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_session_get_ended_at (night), ==, topout_test_parse_time ("2026-11-03T05:00:00Z"));

  /* The coach adds a route to it. */
  c = add_route (f, topout_session_get_id (s), "c-2", 4, topout_test_parse_time ("2026-11-02T09:00:00Z"));
  g_assert_cmpstr (topout_completion_get_grade (c), ==, "V2");
  g_assert_cmpint (topout_completion_get_logged_at (c), ==, topout_test_parse_time ("2026-11-02T09:00:00Z"));
}

/* Climbers and catalog -------------------------------------------------------- */

static void
test_climber_edit_and_find (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) by_name = NULL;
  g_autoptr (GPtrArray) by_code = NULL;
  g_autoptr (GPtrArray) accent = NULL;
  g_autoptr (TopoutClimber) zoe = topout_test_add_climber (f->store, "Zoë Ørsted", "M-0099");
  g_autoptr (TopoutClimber) stored = NULL;

  /* A member code typed in another case is the same card. */
  {
    g_autoptr (TopoutClimber) twin = topout_store_add_climber (f->store, "Zoe O", "m-0099", &error);

    g_assert_null (twin);
    g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DUPLICATE);
    g_assert_nonnull (strstr (error->message, "Zoë Ørsted"));
    g_clear_error (&error);
  }

  topout_climber_set_display_name (f->ada, "Ada King");
  topout_climber_set_member_code (f->ada, "M-0002");
  g_assert_true (topout_store_update_climber (f->store, f->ada, &error));
  g_assert_no_error (error);
  stored = topout_store_get_climber (f->store, ADA (f), &error);
  g_assert_cmpstr (topout_climber_get_display_name (stored), ==, "Ada King");
  g_assert_cmpstr (topout_climber_get_member_code (stored), ==, "M-0002");

  by_name = topout_store_find_climbers (f->store, "king", FALSE, 10);
  g_assert_cmpuint (by_name->len, ==, 1);
  by_code = topout_store_find_climbers (f->store, "0099", FALSE, 10);
  g_assert_cmpuint (by_code->len, ==, 1);
  g_assert_cmpstr (topout_climber_get_id (g_ptr_array_index (by_code, 0)), ==, topout_climber_get_id (zoe));
  /* Case folding beyond ASCII. */
  accent = topout_store_find_climbers (f->store, "ZOË ø", FALSE, 10);
  g_assert_cmpuint (accent->len, ==, 1);
}

/* The desk's search matches all-ASCII names where they lie and others
 * through a normalised, folded copy: both give what folding gives. */
static void
test_climber_search_folds (Fixture *f, gconstpointer data)
{
  const char *names[] = { "Hans Strasser", "Bjorn Lind", "Björn Holm", "Ines Kingsley" };
  struct { const char *query; guint n; const char *first; } cases[] = {
    { "KINGS", 1, "Ines Kingsley" },   /* upper case typed, ASCII name */
    { "sley", 1, "Ines Kingsley" },    /* at the very end */
    { "sleyx", 0, NULL },              /* longer than what is left */
    { "STRAß", 1, "Hans Strasser" },   /* ß folds to "ss", the name is ASCII */
    { "\u212Aings", 1, "Ines Kingsley" }, /* the Kelvin sign folds to k */
    { "BJÖ", 1, "Björn Holm" },        /* not the ASCII "Bjorn" */
    { "bjo", 2, "Bjorn Lind" },        /* both: ö is o and a combining mark */
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TopoutClimber) c = topout_store_add_climber (f->store, names[i], NULL, &error);

      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) found = topout_store_find_climbers (f->store, cases[i].query, FALSE, 10);

      g_test_message ("%s", cases[i].query);
      g_assert_cmpuint (found->len, ==, cases[i].n);
      if (cases[i].n > 0)
        g_assert_cmpstr (topout_climber_get_display_name (g_ptr_array_index (found, 0)), ==, cases[i].first);
    }
}

static void
test_climber_archive (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) visible = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (TopoutSession) s = topout_test_start (f->store, BO (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutCompletion) c = NULL;

  /* Not while on the wall. */
  g_assert_false (topout_store_set_climber_archived (f->store, BO (f), TRUE, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s), &error));
  g_assert_true (topout_store_set_climber_archived (f->store, BO (f), TRUE, &error));
  g_assert_no_error (error);

  visible = topout_store_find_climbers (f->store, NULL, FALSE, 0);
  all = topout_store_find_climbers (f->store, NULL, TRUE, 0);
  g_assert_cmpuint (visible->len, ==, 1);
  g_assert_cmpuint (all->len, ==, 2);

  c = topout_store_log_completion (f->store, BO (f), "c-1", 1, TRUE, NULL, NULL, &error);
  g_assert_null (c);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_ARCHIVED);
}

static void
test_climber_merge (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutClimber) dup = topout_test_add_climber (f->store, "Bo K.", "M-0777");
  g_autoptr (TopoutSession) comp = start_comp (f, topout_climber_get_id (dup));
  g_autoptr (TopoutCompletion) c = log_route (f, topout_climber_get_id (dup), "c-1", 2, TRUE, NULL);
  g_autoptr (TopoutSession) moved = NULL;
  g_autoptr (TopoutClimber) survivor = NULL;
  g_autoptr (TopoutClimber) gone = NULL;
  g_autoptr (TopoutSession) own = NULL;
  g_autofree char *own_id = NULL;
  gint64 rev, own_rev;

  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (comp), &error));
  g_clear_object (&comp);
  comp = reload (f, topout_completion_get_session_id (c));
  rev = topout_session_get_revision (comp);
  /* The survivor's own session, finished before the merge. */
  own = topout_test_start (f->store, BO (f), TOPOUT_SESSION_TYPE_FUN);
  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (own), &error));
  g_assert_no_error (error);
  own_id = g_strdup (topout_session_get_id (own));
  g_clear_object (&own);
  own = reload (f, own_id);
  own_rev = topout_session_get_revision (own);
  g_clear_object (&own);

  g_assert_true (topout_store_merge_climbers (f->store, BO (f), topout_climber_get_id (dup), &error));
  g_assert_no_error (error);

  moved = reload (f, topout_session_get_id (comp));
  g_assert_cmpstr (topout_session_get_climber_id (moved), ==, BO (f));
  g_assert_cmpint (topout_session_get_revision (moved), ==, rev + 1);
  g_assert_cmpint (topout_session_get_sync_state (moved), ==, TOPOUT_SYNC_STATE_PENDING);
  /* The survivor took the duplicate's member code, which its own sessions
   * carry too: bumped once and due, like the moved one. */
  own = reload (f, own_id);
  g_assert_cmpint (topout_session_get_revision (own), ==, own_rev + 1);
  g_assert_cmpint (topout_session_get_sync_state (own), ==, TOPOUT_SYNC_STATE_PENDING);

  survivor = topout_store_get_climber (f->store, BO (f), &error);
  g_assert_cmpstr (topout_climber_get_member_code (survivor), ==, "M-0777");
  gone = topout_store_get_climber (f->store, topout_climber_get_id (dup), &error);
  g_assert_true (topout_climber_get_archived (gone));
  g_assert_cmpstr (topout_climber_get_merged_into (gone), ==, BO (f));
  g_assert_null (topout_climber_get_member_code (gone));

  /* The scorecard row moved with the sessions. */
  g_assert_true (topout_store_get_scorecard_row (f->store, "LEAGUE", "2026-r3", BO (f), "c-1",
                                                 NULL, NULL, NULL, NULL));
  g_assert_false (topout_store_get_scorecard_row (f->store, "LEAGUE", "2026-r3", topout_climber_get_id (dup),
                                                  "c-1", NULL, NULL, NULL, NULL));
}

/* A duplicate already merged (archived, pointing at its survivor) is not
 * merged again into someone else: that only redirected where it says its
 * sessions went (they went to the first survivor, and stay there). */
static void
test_climber_merge_refuses_merged_duplicate (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutClimber) dup = topout_test_add_climber (f->store, "Bo K.", NULL);
  g_autoptr (TopoutSession) s = topout_test_start (f->store, topout_climber_get_id (dup), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) moved = NULL;
  g_autoptr (TopoutClimber) gone = NULL;

  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s), &error));
  g_assert_true (topout_store_merge_climbers (f->store, BO (f), topout_climber_get_id (dup), &error));
  g_assert_no_error (error);

  g_assert_false (topout_store_merge_climbers (f->store, ADA (f), topout_climber_get_id (dup), &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (error->message, ==, "Bo K. was already merged into Bo Kim.");
  g_clear_error (&error);

  gone = topout_store_get_climber (f->store, topout_climber_get_id (dup), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_climber_get_merged_into (gone), ==, BO (f));
  moved = reload (f, topout_session_get_id (s));
  g_assert_cmpstr (topout_session_get_climber_id (moved), ==, BO (f));
}

/* Merged in a chain: Bo K. into Bo, then Bo into Ada. Bo K.'s sessions
 * went to Bo and on to Ada, and its record says so: merged into Ada (the
 * Climbers page read 'Merged into Bo Kim', a record merged itself). */
static void
test_climber_merge_chain (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutClimber) dup = topout_test_add_climber (f->store, "Bo K.", NULL);
  g_autoptr (TopoutSession) s = topout_test_start (f->store, topout_climber_get_id (dup), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) own = topout_test_start (f->store, BO (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) moved = NULL;
  g_autoptr (TopoutClimber) gone = NULL;
  g_autoptr (TopoutClimber) bo = NULL;
  g_autoptr (TopoutClimber) into = NULL;
  g_autoptr (TopoutClimber) cy = NULL;

  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s), &error));
  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (own), &error));
  g_assert_true (topout_store_merge_climbers (f->store, BO (f), topout_climber_get_id (dup), &error));
  g_assert_no_error (error);
  g_assert_true (topout_store_merge_climbers (f->store, ADA (f), BO (f), &error));
  g_assert_no_error (error);

  gone = topout_store_get_climber (f->store, topout_climber_get_id (dup), &error);
  g_assert_no_error (error);
  g_assert_true (topout_climber_get_archived (gone));
  g_assert_cmpstr (topout_climber_get_merged_into (gone), ==, ADA (f));
  bo = topout_store_get_climber (f->store, BO (f), &error);
  g_assert_cmpstr (topout_climber_get_merged_into (bo), ==, ADA (f));
  /* What the Climbers page names as the survivor. */
  into = topout_store_get_climber (f->store, topout_climber_get_merged_into (gone), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_climber_get_display_name (into), ==, "Ada Lovelace");
  g_assert_false (topout_climber_get_archived (into));

  moved = reload (f, topout_session_get_id (s));
  g_assert_cmpstr (topout_session_get_climber_id (moved), ==, ADA (f));
  g_clear_object (&moved);
  moved = reload (f, topout_session_get_id (own));
  g_assert_cmpstr (topout_session_get_climber_id (moved), ==, ADA (f));

  /* Merged again, it is refused as merged into Ada. */
  cy = topout_test_add_climber (f->store, "Cy Twombly", NULL);
  g_assert_false (topout_store_merge_climbers (f->store, topout_climber_get_id (cy), topout_climber_get_id (dup),
                                               &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (error->message, ==, "Bo K. was already merged into Ada Lovelace.");
}

static void
test_climbs_retire_and_find (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutClimb) roof = topout_test_add_climb (f->store, "c-3", "Roof Monster", "V7");
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) recent = NULL;
  g_autoptr (GPtrArray) by_grade = NULL;
  g_autoptr (TopoutCompletion) c = NULL;
  g_autoptr (TopoutCompletion) refused = NULL;

  all = topout_store_find_climbs (f->store, NULL, NULL, 0);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (topout_climb_get_id (g_ptr_array_index (all, 0)), ==, "c-1");  /* by name */

  /* Recent climbs of the climber come first. */
  c = log_route (f, ADA (f), "c-3", 1, TRUE, NULL);
  recent = topout_store_find_climbs (f->store, NULL, ADA (f), 0);
  g_assert_cmpstr (topout_climb_get_id (g_ptr_array_index (recent, 0)), ==, "c-3");
  /* Also when the limit is reached by name before the recent one comes. */
  for (guint limit = 1; limit <= 2; limit++)
    {
      g_autoptr (GPtrArray) few = topout_store_find_climbs (f->store, NULL, ADA (f), limit);

      g_assert_cmpuint (few->len, ==, limit);
      g_assert_cmpstr (topout_climb_get_id (g_ptr_array_index (few, 0)), ==, "c-3");
      if (limit == 2)
        g_assert_cmpstr (topout_climb_get_id (g_ptr_array_index (few, 1)), ==, "c-1");
    }
  by_grade = topout_store_find_climbs (f->store, "v2", NULL, 0);
  g_assert_cmpuint (by_grade->len, ==, 1);

  g_assert_true (topout_store_set_climb_retired (f->store, "c-3", TRUE, &error));
  g_clear_pointer (&all, g_ptr_array_unref);
  all = topout_store_find_climbs (f->store, NULL, ADA (f), 0);
  g_assert_cmpuint (all->len, ==, 2);
  refused = topout_store_log_completion (f->store, ADA (f), "c-3", 1, TRUE, NULL, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_ARCHIVED);
  g_assert_nonnull (roof);
}

/* Change signals ---------------------------------------------------------- */

typedef struct {
  guint          changed;
  guint          reset;
  TopoutSession *last_before;
  TopoutSession *last_after;
} Signals;

static void
on_changed (TopoutStore *store, TopoutSession *before, TopoutSession *after, Signals *sig)
{
  sig->changed++;
  g_set_object (&sig->last_before, before);
  g_set_object (&sig->last_after, after);
}

static void
on_reset (TopoutStore *store, Signals *sig)
{
  sig->reset++;
}

static void
test_signals_after_commit_only (Fixture *f, gconstpointer data)
{
  Signals sig = { 0 };
  g_autoptr (TopoutSession) s = NULL;
  g_autoptr (TopoutSession) draft = topout_session_new ();
  g_autoptr (TopoutSession) refused = NULL;
  g_autoptr (GError) error = NULL;

  g_signal_connect (f->store, "session-changed", G_CALLBACK (on_changed), &sig);
  g_signal_connect (f->store, "sessions-reset", G_CALLBACK (on_reset), &sig);

  s = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_assert_cmpuint (sig.changed, ==, 1);
  g_assert_null (sig.last_before);
  g_assert_cmpstr (topout_session_get_id (sig.last_after), ==, topout_session_get_id (s));

  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s), &error));
  g_assert_cmpuint (sig.changed, ==, 2);
  g_assert_cmpint (topout_session_get_status (sig.last_before), ==, TOPOUT_SESSION_STATUS_ACTIVE);
  g_assert_cmpint (topout_session_get_status (sig.last_after), ==, TOPOUT_SESSION_STATUS_COMPLETED);

  /* A refusal emits nothing. */
  topout_session_set_climber_id (draft, ADA (f));
  topout_session_set_session_type (draft, TOPOUT_SESSION_TYPE_COMPETITION);
  refused = topout_store_start_session (f->store, draft, &error);
  g_assert_null (refused);
  g_assert_cmpuint (sig.changed, ==, 2);
  g_assert_cmpuint (sig.reset, ==, 0);

  g_signal_handlers_disconnect_by_data (f->store, &sig);
  g_clear_object (&sig.last_before);
  g_clear_object (&sig.last_after);
}

/* An edited start: a live session cannot start later than now; a moved
 * start or date keeps the start on the session's date; a row left as it
 * was (another time zone wrote it) still takes an edit of its note. */
static void
test_edited_start_checked (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) live = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) draft = g_object_new (TOPOUT_TYPE_SESSION,
                                                  "climber-id", BO (f),
                                                  "session-type", TOPOUT_SESSION_TYPE_POWER,
                                                  "session-date", "2026-11-18",
                                                  "time-slot", TOPOUT_TIME_SLOT_EVENING,
                                                  NULL);
  g_autoptr (TopoutSession) past = NULL;
  g_autoptr (TopoutSession) edit = NULL;
  g_autoptr (TopoutSession) again = NULL;
  g_autoptr (GError) error = NULL;
  gint64 started = topout_session_get_started_at (live);
  gint64 past_start, past_end;
  g_autofree char *sql = NULL;

  /* An hour ahead of the clock: refused, nothing changed. */
  edit = reload (f, topout_session_get_id (live));
  topout_session_set_started_at (edit, started + HOUR);
  g_assert_false (topout_store_update_session (f->store, edit, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_START);
  g_clear_error (&error);
  again = reload (f, topout_session_get_id (live));
  g_assert_cmpint (topout_session_get_started_at (again), ==, started);
  g_assert_cmpint (topout_session_get_revision (again), ==, 1);

  /* Half an hour earlier: saved. */
  g_clear_object (&edit);
  edit = reload (f, topout_session_get_id (live));
  topout_session_set_started_at (edit, started - HOUR / 2);
  g_assert_true (topout_store_update_session (f->store, edit, &error));
  g_assert_no_error (error);

  /* A past session's start moved to the day before its date: refused. */
  past = topout_store_create_past_session (f->store, draft, &error);
  g_assert_no_error (error);
  past_start = topout_session_get_started_at (past);
  g_clear_object (&edit);
  edit = reload (f, topout_session_get_id (past));
  topout_session_set_started_at (edit, past_start - 24 * HOUR);
  topout_session_set_ended_at (edit, 0);
  g_assert_false (topout_store_update_session (f->store, edit, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_START);
  g_clear_error (&error);

  /* Its date changed and its times left as they were: they move with it,
   * by whole days. */
  g_clear_object (&edit);
  edit = reload (f, topout_session_get_id (past));
  past_end = topout_session_get_ended_at (edit);
  topout_session_set_session_date (edit, "2026-11-16");
  g_assert_true (topout_store_update_session (f->store, edit, &error));
  g_assert_no_error (error);
  g_clear_object (&again);
  again = reload (f, topout_session_get_id (past));
  g_assert_cmpstr (topout_session_get_session_date (again), ==, "2026-11-16");
  g_assert_cmpint (topout_session_get_started_at (again), ==, past_start - 2 * 24 * HOUR);
  g_assert_cmpint (topout_session_get_ended_at (again), ==, past_end - 2 * 24 * HOUR);
  past_start = topout_session_get_started_at (again);

  /* The date changed and the start moved elsewhere: refused. */
  g_clear_object (&edit);
  edit = reload (f, topout_session_get_id (past));
  topout_session_set_session_date (edit, "2026-11-17");
  topout_session_set_started_at (edit, past_start + HOUR);
  g_assert_false (topout_store_update_session (f->store, edit, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_START);
  g_clear_error (&error);
  g_clear_object (&again);
  again = reload (f, topout_session_get_id (past));
  g_assert_cmpstr (topout_session_get_session_date (again), ==, "2026-11-16");

  /* A row whose start lies off its date (written in another time zone):
   * an edit of its note alone is saved. */
  sql = g_strdup_printf ("UPDATE sessions SET started_at = %" G_GINT64_FORMAT " WHERE id = '%s'",
                         past_start - 24 * HOUR, topout_session_get_id (past));
  g_assert_cmpint (sqlite3_exec (_topout_store_get_db (f->store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_object (&edit);
  edit = reload (f, topout_session_get_id (past));
  topout_session_set_notes (edit, "Moon board after");
  g_assert_true (topout_store_update_session (f->store, edit, &error));
  g_assert_no_error (error);
}

/* Merges of many sessions ------------------------------------------------------ */

typedef struct {
  guint updates;      /* session rows written in the transaction under way */
  guint max_updates;  /* the most in one transaction */
  guint commits;
} TxWatch;

static void
watch_update_cb (void          *data,
                 int            op,
                 const char    *db_name,
                 const char    *table,
                 sqlite3_int64  rowid)
{
  TxWatch *w = data;

  if (g_strcmp0 (table, "sessions") == 0)
    w->updates++;
}

static int
watch_commit_cb (void *data)
{
  TxWatch *w = data;

  w->max_updates = MAX (w->max_updates, w->updates);
  w->updates = 0;
  w->commits++;
  return 0;
}

static gint64
query_int (TopoutStore *store,
           const char  *sql,
           const char  *climber_id)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (store, sql, NULL);

  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, climber_id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

#define N_OF_CLIMBER "SELECT count (*) FROM sessions WHERE climber_id = ?1"
#define REVISIONS_OF_CLIMBER "SELECT sum (revision) FROM sessions WHERE climber_id = ?1"
#define PENDING_OF_CLIMBER "SELECT count (*) FROM sessions WHERE climber_id = ?1 AND sync_state = 'PENDING'"
#define SCORED_ATTEMPTS "SELECT coalesce (sum (attempts), 0) FROM scorecards WHERE climber_id = ?1"
#define ROUTE_ATTEMPTS "SELECT coalesce (sum (p.attempts), 0) FROM completions p JOIN sessions s" \
                       " ON s.id = p.session_id WHERE s.climber_id = ?1 AND p.is_competition = 1" \
                       " AND s.status != 'CANCELLED'"

static void
count_signal_cb (gpointer data)
{
  (*(guint *) data)++;
}

/* Two climbers of 300 generated sessions each (league rounds among them). */
static TopoutStore *
two_busy_climbers (char **survivor_id,
                   char **duplicate_id,
                   char **path)
{
  TopoutStore *store = topout_test_store_new ("2026-11-21T17:00:00Z", path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) climbers = NULL;

  g_assert_true (topout_store_generate_full (store, 600, 2, 2, 20, 5, &error));
  g_assert_no_error (error);
  climbers = topout_store_find_climbers (store, NULL, FALSE, 0);
  g_assert_cmpuint (climbers->len, ==, 2);
  *survivor_id = g_strdup (topout_climber_get_id (g_ptr_array_index (climbers, 0)));
  *duplicate_id = g_strdup (topout_climber_get_id (g_ptr_array_index (climbers, 1)));
  g_assert_cmpint (query_int (store, N_OF_CLIMBER, *duplicate_id), ==, 300);
  g_assert_cmpint (query_int (store, SCORED_ATTEMPTS, *duplicate_id), >, 0);
  return store;
}

/* SPEC §7: a merge commits in chunks, no transaction writing more than
 * TOPOUT_STORE_MOVE_CHUNK sessions, and still moves and bumps every one,
 * with scorecards that agree with the routes and one ::sessions-reset. */
static void
test_climber_merge_in_chunks (void)
{
  g_autofree char *path = NULL;
  g_autofree char *survivor = NULL;
  g_autofree char *dup = NULL;
  g_autoptr (TopoutStore) store = two_busy_climbers (&survivor, &dup, &path);
  g_autoptr (GError) error = NULL;
  gint64 survivor_revisions = query_int (store, REVISIONS_OF_CLIMBER, survivor);
  gint64 dup_revisions = query_int (store, REVISIONS_OF_CLIMBER, dup);
  gint64 attempts = query_int (store, SCORED_ATTEMPTS, survivor) + query_int (store, SCORED_ATTEMPTS, dup);
  TxWatch watch = { 0 };
  guint resets = 0;

  g_signal_connect_swapped (store, "sessions-reset", G_CALLBACK (count_signal_cb), &resets);
  sqlite3_update_hook (_topout_store_get_db (store), watch_update_cb, &watch);
  sqlite3_commit_hook (_topout_store_get_db (store), watch_commit_cb, &watch);
  g_assert_true (topout_store_merge_climbers (store, survivor, dup, &error));
  g_assert_no_error (error);
  sqlite3_update_hook (_topout_store_get_db (store), NULL, NULL);
  sqlite3_commit_hook (_topout_store_get_db (store), NULL, NULL);

  g_assert_cmpuint (watch.max_updates, <=, TOPOUT_STORE_MOVE_CHUNK);
  g_assert_cmpuint (watch.commits, >=, 3);  /* the decision, then 250 + 50 */
  g_assert_cmpuint (resets, ==, 1);

  g_assert_cmpint (query_int (store, N_OF_CLIMBER, dup), ==, 0);
  g_assert_cmpint (query_int (store, N_OF_CLIMBER, survivor), ==, 600);
  /* Each moved session bumped once, the survivor's own untouched (it kept
   * its member code), all due. */
  g_assert_cmpint (query_int (store, REVISIONS_OF_CLIMBER, survivor), ==, survivor_revisions + dup_revisions + 300);
  g_assert_cmpint (query_int (store, PENDING_OF_CLIMBER, survivor), ==, 600);
  /* The scorecards moved with the routes. */
  g_assert_cmpint (query_int (store, SCORED_ATTEMPTS, dup), ==, 0);
  g_assert_cmpint (query_int (store, SCORED_ATTEMPTS, survivor), ==, query_int (store, ROUTE_ATTEMPTS, survivor));
  g_assert_cmpint (query_int (store, SCORED_ATTEMPTS, survivor), ==, attempts);
  /* Nothing is left in the journal. */
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM meta WHERE key GLOB 'session-move:*' OR ?1 IS NULL",
                              "x"), ==, 0);
}

static void
merge_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (topout_store_merge_climbers_finish (TOPOUT_STORE (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

/* The merge's chunks, one per turn of the main loop: after every one the
 * stored scorecards are what the routes give, counted again from scratch
 * (a chunk recomputes the pairs it moved, for both climbers). */
static void
test_climber_merge_scorecards_agree_after_each_chunk (void)
{
  g_autofree char *path = NULL;
  g_autofree char *survivor = NULL;
  g_autofree char *dup = NULL;
  g_autoptr (TopoutStore) store = two_busy_climbers (&survivor, &dup, &path);
  gboolean done = FALSE;
  guint chunks = 0;

  topout_store_merge_climbers_async (store, survivor, dup, merge_done_cb, &done);
  while (!done)
    {
      g_main_context_iteration (NULL, TRUE);
      topout_test_assert_scorecards_agree (path);
      chunks++;
    }
  g_assert_cmpuint (chunks, >=, 300 / TOPOUT_STORE_MOVE_CHUNK);
  g_assert_cmpint (query_int (store, N_OF_CLIMBER, dup), ==, 0);
  g_assert_cmpint (query_int (store, SCORED_ATTEMPTS, dup), ==, 0);
}

static int
count_vm_step_cb (void *data)
{
  (*(guint64 *) data)++;
  return 0;
}

/* The VM instructions SQLite runs to recompute one (pair, climber)'s
 * scorecard: a measure of its work that does not depend on the machine. */
static guint64
recompute_steps (TopoutStore *store,
                 const char  *competition_type,
                 const char  *competition_id,
                 const char  *climber_id)
{
  g_autoptr (GError) error = NULL;
  guint64 steps = 0;

  sqlite3_progress_handler (_topout_store_get_db (store), 1, count_vm_step_cb, &steps);
  g_assert_true (_topout_store_recompute_scorecard (store, competition_type, competition_id, climber_id, &error));
  sqlite3_progress_handler (_topout_store_get_db (store), 0, NULL, NULL);
  g_assert_no_error (error);
  return steps;
}

/* SPEC §7: a merge recomputes, in every chunk, the scorecards of the pairs
 * it moved, for both climbers. The work of one recompute follows the
 * smaller of the pair's routes and the climber's sessions: a climber of
 * 3,000 sessions in a league round of a few routes costs about what a
 * newcomer of one session does (it read all 3,000 sessions, 40 ms of write
 * lock a chunk in bench-scale's merge of 5,000), and a newcomer's in a
 * round of many routes reads their one session, as a tap does. */
static void
test_scorecard_recompute_follows_smaller_side (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) climbers = NULL;
  g_autoptr (TopoutClimber) newcomer = NULL;
  g_autoptr (TopoutSession) session = NULL;
  g_autoptr (TopoutCompletion) route = NULL;
  g_autofree char *type = NULL;
  g_autofree char *id = NULL;
  g_autofree char *climb = NULL;
  const char *veteran;
  const char *newcomer_id;
  guint64 veteran_steps, newcomer_steps, big_steps;

  g_assert_true (topout_store_generate_full (store, 6000, 2, 2, 20, 5, &error));
  g_assert_no_error (error);
  climbers = topout_store_find_climbers (store, NULL, FALSE, 0);
  veteran = topout_climber_get_id (g_ptr_array_index (climbers, 0));
  g_assert_cmpint (query_int (store, N_OF_CLIMBER, veteran), ==, 3000);
  {
    g_autoptr (TopoutStmt) stmt = _topout_store_stmt (store,
                                                      "SELECT p.competition_type, p.competition_id, p.climb_id"
                                                      " FROM completions p JOIN sessions s ON s.id = p.session_id"
                                                      " WHERE s.climber_id = ?1 AND p.is_competition = 1"
                                                      " ORDER BY p.id LIMIT 1",
                                                      NULL);

    sqlite3_bind_text (stmt, 1, veteran, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    type = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    climb = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  }

  newcomer = topout_test_add_climber (store, "Cy Newman", NULL);
  newcomer_id = topout_climber_get_id (newcomer);
  session = topout_test_start_competition (store, newcomer_id, type, id);
  route = topout_store_log_completion (store, newcomer_id, climb, 2, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (route);

  /* Once each first: the statements are prepared. */
  recompute_steps (store, type, id, veteran);
  recompute_steps (store, type, id, newcomer_id);
  veteran_steps = recompute_steps (store, type, id, veteran);
  newcomer_steps = recompute_steps (store, type, id, newcomer_id);
  g_test_message ("recompute of a round of %" G_GINT64_FORMAT " routes: %" G_GUINT64_FORMAT
                  " steps for 3,000 sessions, %" G_GUINT64_FORMAT " for one",
                  query_int (store, "SELECT count (*) FROM completions WHERE competition_id = ?1", id),
                  veteran_steps, newcomer_steps);
  g_assert_cmpuint (veteran_steps, <, 3 * newcomer_steps);

  /* A round of 6,000 routes: the other generated climber's whole history
   * put into it. A newcomer's recompute there reads their one session,
   * not the round (a tap's recompute). */
  {
    const char *other = topout_climber_get_id (g_ptr_array_index (climbers, 1));
    g_autoptr (TopoutClimber) second = topout_test_add_climber (store, "Di Newman", NULL);
    g_autoptr (TopoutSession) second_session = NULL;
    g_autoptr (TopoutCompletion) second_route = NULL;
    char *errmsg = NULL;
    g_autofree char *sql = g_strdup_printf ("BEGIN;"
                                            "DELETE FROM scorecards WHERE climber_id = '%1$s';"
                                            "UPDATE sessions SET type = 'COMPETITION', is_competition = 1,"
                                            " competition_type = 'LEAGUE', competition_id = 'big' WHERE climber_id = '%1$s';"
                                            "UPDATE completions SET is_competition = 1, competition_type = 'LEAGUE',"
                                            " competition_id = 'big' WHERE session_id IN"
                                            " (SELECT id FROM sessions WHERE climber_id = '%1$s');"
                                            "COMMIT;",
                                            other);

    g_assert_cmpint (sqlite3_exec (_topout_store_get_db (store), sql, NULL, NULL, &errmsg), ==, SQLITE_OK);
    g_assert_null (errmsg);
    recompute_steps (store, "LEAGUE", "big", other);
    second_session = topout_test_start_competition (store, topout_climber_get_id (second), "LEAGUE", "big");
    second_route = topout_store_log_completion (store, topout_climber_get_id (second), climb, 3, FALSE, NULL, NULL,
                                                &error);
    g_assert_no_error (error);
    g_assert_nonnull (second_route);
    recompute_steps (store, "LEAGUE", "big", topout_climber_get_id (second));
    big_steps = recompute_steps (store, "LEAGUE", "big", topout_climber_get_id (second));
    g_test_message ("recompute of one session's routes in a round of 6,001: %" G_GUINT64_FORMAT " steps", big_steps);
    g_assert_cmpuint (big_steps, <, 3 * newcomer_steps);
  }
  topout_test_assert_scorecards_agree (path);
}

/* The window's merge moves a chunk per turn of the main loop; one cut short
 * (a crash; here another opening while it runs) is finished by the next
 * opening of the database. */
static void
test_climber_merge_finished_by_next_opening (void)
{
  g_autofree char *path = NULL;
  g_autofree char *survivor = NULL;
  g_autofree char *dup = NULL;
  g_autoptr (TopoutStore) store = two_busy_climbers (&survivor, &dup, &path);
  g_autoptr (TopoutStore) again = NULL;
  g_autoptr (GError) error = NULL;
  gboolean done = FALSE;
  gint64 dup_revisions = query_int (store, REVISIONS_OF_CLIMBER, dup);
  gint64 survivor_revisions = query_int (store, REVISIONS_OF_CLIMBER, survivor);

  topout_store_merge_climbers_async (store, survivor, dup, merge_done_cb, &done);
  /* Decided, not yet moved. */
  g_assert_false (done);
  g_assert_cmpint (query_int (store, N_OF_CLIMBER, dup), ==, 300);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (query_int (store, N_OF_CLIMBER, dup), ==, 300 - TOPOUT_STORE_MOVE_CHUNK);

  again = topout_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (again, N_OF_CLIMBER, dup), ==, 0);
  g_assert_cmpint (query_int (again, N_OF_CLIMBER, survivor), ==, 600);
  g_assert_cmpint (query_int (again, REVISIONS_OF_CLIMBER, survivor), ==, survivor_revisions + dup_revisions + 300);
  g_assert_cmpint (query_int (again, SCORED_ATTEMPTS, survivor), ==, query_int (again, ROUTE_ATTEMPTS, survivor));

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (query_int (store, REVISIONS_OF_CLIMBER, survivor), ==, survivor_revisions + dup_revisions + 300);
}

static void
merge_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  GError **error = data;

  if (!topout_store_merge_climbers_finish (TOPOUT_STORE (source), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "done");
}

/* Rule 1 during a merge: the duplicate's session is still running when the
 * desk (another process) starts one for the survivor between the merge's
 * chunks. The merge still finishes: the duplicate's session moves ended at
 * its last route (as rule 3a ends a forgotten one), bumped and due; the
 * survivor's stays the one running. Nothing is lost. */
static void
test_climber_merge_survivor_starts_between_chunks (void)
{
  g_autofree char *path = NULL;
  g_autofree char *survivor = NULL;
  g_autofree char *dup = NULL;
  g_autoptr (TopoutStore) store = two_busy_climbers (&survivor, &dup, &path);
  g_autoptr (TopoutStore) desk = NULL;
  g_autoptr (TopoutStore) again = NULL;
  g_autoptr (TopoutClimb) climb = topout_test_add_climb (store, "c-merge", "Merge Arete", "V3");
  g_autoptr (TopoutCompletion) dup_log = NULL;
  g_autoptr (TopoutCompletion) desk_log = NULL;
  g_autoptr (TopoutSession) was_dup = NULL;
  g_autoptr (TopoutSession) running = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) result = NULL;
  gint64 dup_revisions, dup_n, dup_rev, survivor_revisions, total;

  /* The duplicate is on the wall. */
  dup_log = topout_store_log_completion (store, dup, "c-merge", 1, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  was_dup = topout_store_get_session (store, topout_completion_get_session_id (dup_log), &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_session_get_status (was_dup), ==, TOPOUT_SESSION_STATUS_ACTIVE);
  dup_rev = topout_session_get_revision (was_dup);
  g_clear_object (&was_dup);
  dup_revisions = query_int (store, REVISIONS_OF_CLIMBER, dup);
  dup_n = query_int (store, N_OF_CLIMBER, dup);
  desk = topout_store_new (path, &error);
  g_assert_no_error (error);

  topout_store_merge_climbers_async (store, survivor, dup, merge_result_cb, &result);
  /* Decided, nothing moved yet: the desk taps the survivor in. */
  topout_test_advance (HOUR / 4);
  desk_log = topout_store_log_completion (desk, survivor, "c-merge", 2, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  survivor_revisions = query_int (store, REVISIONS_OF_CLIMBER, survivor);
  total = query_int (store, N_OF_CLIMBER, survivor) + dup_n;

  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_EXISTS);  /* finished, no error */

  /* Every session is the survivor's, each moved one bumped once. */
  g_assert_cmpint (query_int (store, N_OF_CLIMBER, dup), ==, 0);
  g_assert_cmpint (query_int (store, N_OF_CLIMBER, survivor), ==, total);
  g_assert_cmpint (query_int (store, REVISIONS_OF_CLIMBER, survivor), ==, survivor_revisions + dup_revisions + dup_n);
  g_assert_cmpint (query_int (store, SCORED_ATTEMPTS, survivor), ==, query_int (store, ROUTE_ATTEMPTS, survivor));
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM meta WHERE key GLOB 'session-move:*' OR ?1 IS NULL",
                              "x"), ==, 0);
  /* Exactly one running: the desk's. */
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM sessions WHERE climber_id = ?1 AND status = 'ACTIVE'",
                              survivor), ==, 1);
  running = topout_store_get_active_session (store, survivor);
  g_assert_nonnull (running);
  g_assert_cmpstr (topout_session_get_id (running), ==, topout_completion_get_session_id (desk_log));
  /* The duplicate's ended at its last route, its route kept, due for sync. */
  was_dup = topout_store_get_session (store, topout_completion_get_session_id (dup_log), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_session_get_climber_id (was_dup), ==, survivor);
  g_assert_cmpint (topout_session_get_status (was_dup), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_ended_at (was_dup), ==, topout_completion_get_logged_at (dup_log));
  g_assert_cmpint (topout_session_get_revision (was_dup), ==, dup_rev + 1);
  g_assert_cmpint (topout_session_get_sync_state (was_dup), ==, TOPOUT_SYNC_STATE_PENDING);
  g_assert_cmpint (topout_session_get_n_routes (was_dup), ==, 1);

  /* The next opening has nothing left to finish. */
  again = topout_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (again, N_OF_CLIMBER, survivor), ==, total);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rules/1/one-active-session", test_one_active_session);
  ADD ("/rules/1/enforced-by-database", test_one_active_enforced_by_database);
  ADD ("/rules/2/daily-cap", test_daily_cap);
  ADD ("/rules/2/daily-cap-from-settings", test_daily_cap_from_settings);
  ADD ("/rules/2/daily-cap-when-moved", test_daily_cap_when_moved);
  ADD ("/rules/3/log-auto-creates-fun", test_log_auto_creates_fun);
  ADD ("/rules/3/auto-create-one-transaction", test_log_auto_create_is_one_transaction);
  ADD ("/rules/3/cap-reached-logs-into-latest", test_cap_reached_logs_into_latest);
  ADD ("/rules/3/cap-reached-skips-unfinished-import", test_cap_reached_skips_unfinished_import);
  ADD ("/rules/3/cap-reached-prefers-own-device", test_cap_reached_prefers_own_device);
  ADD ("/rules/3/cap-reached-by-other-device-starts-own", test_cap_reached_by_other_device_starts_own);
  ADD ("/rules/3a/idle-session-ends", test_idle_session_ends);
  ADD ("/rules/3a/idle-ends-before-next-log", test_idle_ends_before_next_log);
  ADD ("/rules/3a/closing-time-ends", test_closing_time_ends);
  ADD ("/rules/3a/closing-time-after-midnight", test_closing_time_after_midnight);
  ADD ("/rules/3a/stale-session-ended-before-new-day", test_stale_session_ended_before_new_days_log);
  ADD ("/rules/3a/late-gym-keeps-session-past-midnight", test_late_gym_keeps_session_past_midnight);
  ADD ("/rules/4/auto-names", test_auto_names);
  ADD ("/rules/4/edit-bumps-revision-and-queues", test_edit_bumps_revision_and_queues);
  ADD ("/rules/4/completion-edits-bump-session", test_completion_edits_bump_session);
  ADD ("/rules/4/edit-sees-end-from-another-process", test_edit_sees_end_from_another_process);
  g_test_add ("/rules/4/route-edit-sees-end-from-another-process", Fixture, GINT_TO_POINTER (0),
              fixture_set_up, test_route_edits_see_end_from_another_process, fixture_tear_down);
  g_test_add ("/rules/4/route-add-sees-end-from-another-process", Fixture, GINT_TO_POINTER (1),
              fixture_set_up, test_route_edits_see_end_from_another_process, fixture_tear_down);
  g_test_add ("/rules/4/route-remove-sees-end-from-another-process", Fixture, GINT_TO_POINTER (2),
              fixture_set_up, test_route_edits_see_end_from_another_process, fixture_tear_down);
  ADD ("/rules/4/end-sees-cancel-from-another-process", test_end_sees_cancel_from_another_process);
  ADD ("/rules/sync/retry-sees-sync-from-another-process", test_requeue_sees_sync_from_another_process);
  g_test_add ("/rules/sync/keep-local-sees-sync-from-another-process", Fixture, GINT_TO_POINTER (1),
              fixture_set_up, test_requeue_sees_sync_from_another_process, fixture_tear_down);
  ADD ("/rules/grade-copied-when-logged", test_grade_copied_when_logged);
  ADD ("/rules/6/competition-pair-copied-and-scored", test_competition_pair_copied_and_scored);
  ADD ("/rules/6/scorecard-follows-every-change", test_scorecard_follows_every_change);
  ADD ("/rules/6/scorecard-failure-writes-neither", test_scorecard_failure_writes_neither);
  ADD ("/rules/6/scorecard-matches-routes-after-each-change", test_scorecard_matches_routes_after_each_change);
  ADD ("/rules/6/competition-pair-trimmed", test_competition_pair_trimmed);
  ADD ("/rules/6/ranking-ties-share-a-place", test_ranking_ties_share_a_place);
  ADD ("/rules/6/ranking-lists-climbers-without-routes", test_ranking_lists_climbers_without_routes);
  ADD ("/rules/6/competitions-listed-by-recent-activity", test_competitions_listed_by_recent_activity);
  ADD ("/rules/5/competition-spelling", test_competition_spelling);
  ADD ("/rules/6/route-added-to-finished-session-logged-inside-it",
       test_route_added_to_finished_session_logged_inside_it);
  ADD ("/rules/7/cancel-never-synced-never-due", test_cancel_never_synced_is_never_due);
  ADD ("/rules/7/cancel-synced-syncs-cancellation", test_cancel_synced_syncs_cancellation);
  ADD ("/rules/12/reopen", test_reopen);
  ADD ("/rules/12/reopen-refused-for-archived-climber", test_reopen_refused_for_archived_climber);
  ADD ("/rules/12/reopen-past-and-restore", test_reopen_past_and_restore);
  ADD ("/rules/9/session-date-in-gym-zone", test_session_date_in_gym_zone);
  ADD ("/rules/9/edited-start-checked", test_edited_start_checked);
  ADD ("/rules/past-session-from-slot", test_past_session_from_slot);
  ADD ("/climbers/edit-and-find", test_climber_edit_and_find);
  ADD ("/climbers/search-folds", test_climber_search_folds);
  ADD ("/climbers/archive", test_climber_archive);
  ADD ("/climbers/archive-sees-start-from-another-process", test_archive_sees_start_from_another_process);
  ADD ("/climbers/edit-code-sees-add-from-another-process", test_climber_code_sees_add_from_another_process);
  g_test_add ("/climbers/add-code-sees-add-from-another-process", Fixture, GINT_TO_POINTER (1),
              fixture_set_up, test_climber_code_sees_add_from_another_process, fixture_tear_down);
  ADD ("/climbers/merge", test_climber_merge);
  ADD ("/climbers/merge-refuses-merged-duplicate", test_climber_merge_refuses_merged_duplicate);
  ADD ("/climbers/merge-chain", test_climber_merge_chain);
  g_test_add_func ("/climbers/merge-in-chunks", test_climber_merge_in_chunks);
  g_test_add_func ("/climbers/merge-finished-by-next-opening", test_climber_merge_finished_by_next_opening);
  g_test_add_func ("/climbers/merge-survivor-starts-between-chunks", test_climber_merge_survivor_starts_between_chunks);
  g_test_add_func ("/climbers/merge-scorecards-agree-after-each-chunk", test_climber_merge_scorecards_agree_after_each_chunk);
  g_test_add_func ("/rules/6/scorecard-recompute-follows-smaller-side", test_scorecard_recompute_follows_smaller_side);
  ADD ("/climbs/retire-and-find", test_climbs_retire_and_find);
  ADD ("/climbs/add-sees-add-from-another-process", test_climb_add_sees_add_from_another_process);
  ADD ("/store/signals-after-commit-only", test_signals_after_commit_only);
#undef ADD

  return g_test_run ();
}
