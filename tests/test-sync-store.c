/* test-sync-store.c — the pending queue the sync engine works from: what is
 * due, in which order, and how results are applied (SPEC section 4). */
#include <sqlite3.h>
#include <string.h>

#include "topout-store-private.h"
#include "topout-test-util.h"

#define MINUTE ((gint64) 60 * G_USEC_PER_SEC)

typedef struct {
  TopoutStore   *store;
  char          *path;
  TopoutClimber *ada;
  TopoutClimb   *crimp;
  GPtrArray     *sessions;  /* three finished sessions, oldest first */
} Fixture;

static TopoutSession *
reload (Fixture *f, const char *id)
{
  g_autoptr (GError) error = NULL;
  TopoutSession *s = topout_store_get_session (f->store, id, &error);
  g_assert_no_error (error);
  return s;
}

static const char *
sid (Fixture *f, guint i)
{
  return topout_session_get_id (g_ptr_array_index (f->sessions, i));
}

static gint64
rev (Fixture *f, guint i)
{
  return topout_session_get_revision (g_ptr_array_index (f->sessions, i));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->store = topout_test_store_new ("2026-11-21T08:00:00Z", &f->path);
  f->ada = topout_test_add_climber (f->store, "Ada Lovelace", "M-0001");
  f->crimp = topout_test_add_climb (f->store, "c-1", "Crimp Cathedral", "V4");
  f->sessions = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TopoutCompletion) c = NULL;

      c = topout_store_log_completion (f->store, topout_climber_get_id (f->ada), "c-1", i + 1, TRUE, NULL,
                                       NULL, &error);
      g_assert_no_error (error);
      topout_test_advance (10 * MINUTE);
      g_assert_true (topout_store_end_session (f->store, topout_completion_get_session_id (c), &error));
      g_ptr_array_add (f->sessions, reload (f, topout_completion_get_session_id (c)));
      topout_test_advance (10 * MINUTE);
    }
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->sessions, g_ptr_array_unref);
  g_clear_object (&f->ada);
  g_clear_object (&f->crimp);
  /* Whatever the test wrote, the counts the header reads agree. */
  if (f->path != NULL && g_file_test (f->path, G_FILE_TEST_EXISTS))
    topout_test_assert_sync_counts (f->path);
  g_clear_object (&f->store);
  g_clear_pointer (&f->path, g_free);
}

static void
mark_syncing (Fixture *f, guint n)
{
  g_autoptr (GError) error = NULL;
  const char *ids[4] = { NULL };

  for (guint i = 0; i < n; i++)
    ids[i] = sid (f, i);
  g_assert_true (topout_store_mark_syncing (f->store, ids, &error));
  g_assert_no_error (error);
}

static void
test_due_oldest_first_with_routes (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) due = topout_store_list_due_sessions (f->store, topout_store_now (f->store), 0);
  g_autoptr (GPtrArray) two = topout_store_list_due_sessions (f->store, topout_store_now (f->store), 2);
  GPtrArray *routes;

  g_assert_cmpuint (due->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (topout_session_get_id (g_ptr_array_index (due, i)), ==, sid (f, i));
  g_assert_cmpuint (two->len, ==, 2);

  routes = topout_session_get_completions (g_ptr_array_index (due, 2));
  g_assert_nonnull (routes);
  g_assert_cmpuint (routes->len, ==, 1);
  g_assert_cmpuint (topout_completion_get_attempts (g_ptr_array_index (routes, 0)), ==, 3);
  g_assert_cmpuint (topout_store_count_due_sessions (f->store, topout_store_now (f->store)), ==, 3);
  g_assert_cmpuint (topout_store_count_pending (f->store), ==, 3);
}

static void
test_active_and_demo_never_due (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutClimber) bo = topout_test_add_climber (f->store, "Bo Kim", NULL);
  g_autoptr (TopoutSession) active = topout_test_start (f->store, topout_climber_get_id (bo),
                                                        TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) demo = topout_session_new ();
  g_autoptr (TopoutSession) edited = NULL;

  g_assert_cmpuint (topout_store_count_due_sessions (f->store, G_MAXINT64), ==, 3);

  /* A demo session, as the demo filler writes it; an edit keeps it local. */
  topout_session_set_id (demo, "demo-1");
  topout_session_set_climber_id (demo, topout_climber_get_id (f->ada));
  topout_session_set_name (demo, "Demo");
  topout_session_set_status (demo, TOPOUT_SESSION_STATUS_COMPLETED);
  topout_session_set_started_at (demo, topout_test_parse_time ("2026-11-01T10:00:00Z"));
  topout_session_set_ended_at (demo, topout_test_parse_time ("2026-11-01T11:00:00Z"));
  topout_session_set_session_date (demo, "2026-11-01");
  topout_session_set_is_demo (demo, TRUE);
  topout_session_set_sync_state (demo, TOPOUT_SYNC_STATE_LOCAL);
  g_assert_true (_topout_store_begin (f->store, &error));
  g_assert_true (_topout_store_insert_session_row (f->store, demo, &error));
  g_assert_true (_topout_store_commit (f->store, &error));
  g_assert_no_error (error);

  edited = reload (f, "demo-1");
  topout_session_set_notes (edited, "edited");
  g_assert_true (topout_store_update_session (f->store, edited, &error));
  g_assert_no_error (error);
  g_clear_object (&edited);
  edited = reload (f, "demo-1");
  g_assert_cmpint (topout_session_get_sync_state (edited), ==, TOPOUT_SYNC_STATE_LOCAL);
  g_assert_cmpuint (topout_store_count_due_sessions (f->store, G_MAXINT64), ==, 3);
}

static void
test_syncing_not_due (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) s = NULL;

  mark_syncing (f, 2);
  s = reload (f, sid (f, 0));
  g_assert_cmpint (topout_session_get_sync_state (s), ==, TOPOUT_SYNC_STATE_SYNCING);
  g_assert_cmpuint (topout_store_count_due_sessions (f->store, G_MAXINT64), ==, 1);
  g_assert_cmpuint (topout_store_count_pending (f->store), ==, 3);
}

static void
test_apply_every_kind (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) a = NULL;
  g_autoptr (TopoutSession) b = NULL;
  g_autoptr (TopoutSession) c = NULL;
  gint64 retry_at = topout_store_now (f->store) + 5 * MINUTE;
  TopoutSyncResult results[] = {
    { .session_id = sid (f, 0), .sent_revision = rev (f, 0), .kind = TOPOUT_SYNC_RESULT_SYNCED,
      .server_id = "srv-1", .server_revision = 2 },
    { .session_id = sid (f, 1), .sent_revision = rev (f, 1), .kind = TOPOUT_SYNC_RESULT_REJECTED,
      .error_code = "invalid_attempts", .error_message = "attempts must be 1-999" },
    { .session_id = sid (f, 2), .sent_revision = rev (f, 2), .kind = TOPOUT_SYNC_RESULT_FAILED,
      .error_code = NULL, .error_message = "503 Service Unavailable", .next_attempt_at = retry_at },
    { .session_id = "unknown-session", .sent_revision = 1, .kind = TOPOUT_SYNC_RESULT_SYNCED,
      .server_id = "srv-x", .server_revision = 1 },
  };

  mark_syncing (f, 3);
  g_assert_true (topout_store_apply_sync_results (f->store, results, G_N_ELEMENTS (results), &error));
  g_assert_no_error (error);

  a = reload (f, sid (f, 0));
  g_assert_cmpint (topout_session_get_sync_state (a), ==, TOPOUT_SYNC_STATE_SYNCED);
  g_assert_cmpstr (topout_session_get_server_id (a), ==, "srv-1");
  g_assert_cmpint (topout_session_get_server_revision (a), ==, 2);

  b = reload (f, sid (f, 1));
  g_assert_cmpint (topout_session_get_sync_state (b), ==, TOPOUT_SYNC_STATE_REJECTED);
  g_assert_cmpstr (topout_session_get_last_error (b), ==, "attempts must be 1-999");

  c = reload (f, sid (f, 2));
  g_assert_cmpint (topout_session_get_sync_state (c), ==, TOPOUT_SYNC_STATE_FAILED);
  g_assert_cmpuint (topout_session_get_sync_attempts (c), ==, 1);
  g_assert_cmpint (topout_session_get_next_attempt_at (c), ==, retry_at);
  g_assert_cmpstr (topout_session_get_last_error (c), ==, "503 Service Unavailable");

  /* The failed one waits for its time; the rejected one waits for an edit. */
  g_assert_cmpint (topout_store_get_next_attempt_at (f->store), ==, retry_at);
  g_assert_cmpuint (topout_store_count_due_sessions (f->store, retry_at - 1), ==, 0);
  g_assert_cmpuint (topout_store_count_due_sessions (f->store, retry_at), ==, 1);
  g_assert_cmpuint (topout_store_count_pending (f->store), ==, 1);

  /* "Retry" on the rejected row makes it due now. */
  g_assert_true (topout_store_retry_session (f->store, sid (f, 1), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (topout_store_count_due_sessions (f->store, topout_store_now (f->store)), ==, 1);
}

static void
test_edit_during_flight_stays_pending (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) edit = NULL;
  g_autoptr (TopoutSession) after = NULL;
  TopoutSyncResult r = { .session_id = sid (f, 0), .sent_revision = rev (f, 0), .kind = TOPOUT_SYNC_RESULT_SYNCED,
                         .server_id = "srv-1", .server_revision = 2 };

  mark_syncing (f, 1);
  edit = reload (f, sid (f, 0));
  topout_session_set_notes (edit, "edited while the batch was in flight");
  g_assert_true (topout_store_update_session (f->store, edit, &error));

  g_assert_true (topout_store_apply_sync_results (f->store, &r, 1, &error));
  g_assert_no_error (error);
  after = reload (f, sid (f, 0));
  g_assert_cmpint (topout_session_get_sync_state (after), ==, TOPOUT_SYNC_STATE_PENDING);
  g_assert_cmpint (topout_session_get_revision (after), ==, rev (f, 0) + 1);
  g_assert_cmpstr (topout_session_get_server_id (after), ==, "srv-1");
}

static void
test_cancel_during_first_flight (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) after = NULL;
  TopoutSyncResult r = { .session_id = sid (f, 0), .sent_revision = rev (f, 0), .kind = TOPOUT_SYNC_RESULT_SYNCED,
                         .server_id = "srv-1", .server_revision = 2 };

  /* Sent for the first time, then cancelled before the answer: the server
   * may hold it, so the cancellation must follow. */
  mark_syncing (f, 1);
  g_assert_true (topout_store_cancel_session (f->store, sid (f, 0), &error));
  after = reload (f, sid (f, 0));
  g_assert_cmpint (topout_session_get_sync_state (after), ==, TOPOUT_SYNC_STATE_PENDING);
  g_clear_object (&after);

  g_assert_true (topout_store_apply_sync_results (f->store, &r, 1, &error));
  after = reload (f, sid (f, 0));
  g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_CANCELLED);
  g_assert_cmpint (topout_session_get_sync_state (after), ==, TOPOUT_SYNC_STATE_PENDING);
  g_assert_cmpstr (topout_session_get_server_id (after), ==, "srv-1");
}

static void
test_results_in_one_transaction (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db = NULL;
  g_autofree char *trigger = g_strdup_printf ("CREATE TRIGGER fail_one BEFORE UPDATE OF sync_state ON sessions"
                                              " WHEN NEW.id = '%s' AND NEW.sync_state = 'SYNCED'"
                                              " BEGIN SELECT RAISE (ABORT, 'disk trouble'); END;",
                                              sid (f, 1));
  TopoutSyncResult results[] = {
    { .session_id = sid (f, 0), .sent_revision = rev (f, 0), .kind = TOPOUT_SYNC_RESULT_SYNCED, .server_id = "s0",
      .server_revision = 2 },
    { .session_id = sid (f, 1), .sent_revision = rev (f, 1), .kind = TOPOUT_SYNC_RESULT_SYNCED, .server_id = "s1",
      .server_revision = 2 },
  };

  mark_syncing (f, 2);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, trigger, NULL, NULL, NULL), ==, SQLITE_OK);
  before = topout_test_dump_db (f->path);

  g_assert_false (topout_store_apply_sync_results (f->store, results, 2, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_FAILED);
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);
  sqlite3_close (db);
}

/* Past the changes the store details for the views (a response of 200
 * sessions), a synced answer is one UPDATE for the revision that was sent;
 * an edit made during the flight, an unknown session and every other kind
 * are still told apart as before. */
static void
test_results_past_the_detailed_changes (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) edit = NULL;
  g_autoptr (TopoutSession) a = NULL;
  g_autoptr (TopoutSession) b = NULL;
  g_autoptr (TopoutSession) c = NULL;
  g_autoptr (GArray) results = g_array_new (FALSE, TRUE, sizeof (TopoutSyncResult));
  TopoutSyncResult first = { .session_id = sid (f, 0), .sent_revision = rev (f, 0),
                             .kind = TOPOUT_SYNC_RESULT_SYNCED, .server_id = "srv-0", .server_revision = 1 };
  TopoutSyncResult rest[] = {
    /* edited during the flight: stays due, keeps the server's id */
    { .session_id = sid (f, 1), .sent_revision = rev (f, 1), .kind = TOPOUT_SYNC_RESULT_SYNCED,
      .server_id = "srv-1", .server_revision = 1 },
    { .session_id = "unknown-session", .sent_revision = 1, .kind = TOPOUT_SYNC_RESULT_SYNCED,
      .server_id = "srv-x", .server_revision = 1 },
    { .session_id = sid (f, 2), .sent_revision = rev (f, 2), .kind = TOPOUT_SYNC_RESULT_SYNCED,
      .server_id = "srv-2", .server_revision = 3 },
  };

  mark_syncing (f, 3);
  edit = reload (f, sid (f, 1));
  topout_session_set_notes (edit, "edited while the batch was in flight");
  g_assert_true (topout_store_update_session (f->store, edit, &error));
  g_assert_no_error (error);

  /* The first session's answer again and again fills the detailed changes
   * of the transaction; the three after them are applied past it. */
  for (guint i = 0; i <= TOPOUT_STORE_MAX_DETAILED_CHANGES; i++)
    g_array_append_val (results, first);
  g_array_append_vals (results, rest, G_N_ELEMENTS (rest));
  g_assert_true (topout_store_apply_sync_results (f->store, (TopoutSyncResult *) results->data, results->len,
                                                  &error));
  g_assert_no_error (error);

  a = reload (f, sid (f, 0));
  g_assert_cmpint (topout_session_get_sync_state (a), ==, TOPOUT_SYNC_STATE_SYNCED);
  g_assert_cmpstr (topout_session_get_server_id (a), ==, "srv-0");
  b = reload (f, sid (f, 1));
  g_assert_cmpint (topout_session_get_sync_state (b), ==, TOPOUT_SYNC_STATE_PENDING);
  g_assert_cmpint (topout_session_get_revision (b), ==, rev (f, 1) + 1);
  g_assert_cmpstr (topout_session_get_server_id (b), ==, "srv-1");
  g_assert_cmpint (topout_session_get_server_revision (b), ==, 0);
  c = reload (f, sid (f, 2));
  g_assert_cmpint (topout_session_get_sync_state (c), ==, TOPOUT_SYNC_STATE_SYNCED);
  g_assert_cmpstr (topout_session_get_server_id (c), ==, "srv-2");
  g_assert_cmpint (topout_session_get_server_revision (c), ==, 3);
  g_assert_cmpuint (topout_store_count_due_sessions (f->store, G_MAXINT64), ==, 1);
  g_assert_null (topout_store_get_session (f->store, "unknown-session", NULL));
}

static void
test_conflict_keep_local (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) s = NULL;
  TopoutSyncResult r = { .session_id = sid (f, 0), .sent_revision = rev (f, 0), .kind = TOPOUT_SYNC_RESULT_CONFLICT,
                         .server_id = "srv-1", .server_revision = 7 };

  mark_syncing (f, 1);
  g_assert_true (topout_store_apply_sync_results (f->store, &r, 1, &error));
  s = reload (f, sid (f, 0));
  g_assert_cmpint (topout_session_get_sync_state (s), ==, TOPOUT_SYNC_STATE_CONFLICT);
  g_assert_cmpint (topout_session_get_server_revision (s), ==, 7);
  g_assert_cmpuint (topout_store_count_due_sessions (f->store, G_MAXINT64), ==, 2);
  g_clear_object (&s);

  g_assert_true (topout_store_keep_local_version (f->store, sid (f, 0), &error));
  g_assert_no_error (error);
  s = reload (f, sid (f, 0));
  g_assert_cmpint (topout_session_get_sync_state (s), ==, TOPOUT_SYNC_STATE_PENDING);
  g_assert_cmpint (topout_session_get_revision (s), ==, 8);
}

static void
test_reset_syncing_after_crash (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutStore) reopened = NULL;

  mark_syncing (f, 3);
  /* The process dies here; the next one holding the sync lock resets. */
  g_clear_object (&f->store);
  reopened = topout_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (topout_store_count_due_sessions (reopened, G_MAXINT64), ==, 0);
  g_assert_cmpint (topout_store_reset_syncing (reopened, &error), ==, 3);
  g_assert_cmpuint (topout_store_count_due_sessions (reopened, G_MAXINT64), ==, 3);
  f->store = g_steal_pointer (&reopened);
}

/* Sets @sql's columns of session @i (?1 its id, ?2 @value). */
static void
set_session (Fixture    *f,
             guint       i,
             const char *sql,
             gint64      value)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_topout_store_get_db (f->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, sid (f, i), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, value);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static void
assert_due (Fixture      *f,
            gint64        now,
            const guint  *expected,
            guint         n_expected)
{
  g_autoptr (GPtrArray) due = topout_store_list_due_sessions (f->store, now, 0);

  g_assert_cmpuint (due->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpstr (topout_session_get_id (g_ptr_array_index (due, i)), ==, sid (f, expected[i]));
}

/* PENDING and FAILED-and-due sessions form one queue, by the time of their
 * last change, then by age (their row's), whatever their state. */
static void
test_due_pending_and_failed_one_queue (Fixture *f, gconstpointer data)
{
  gint64 now = topout_store_now (f->store);
  const guint first_two[] = { 0, 1 };
  const guint all[] = { 0, 1, 2 };
  const guint later_first[] = { 1, 2, 0 };

  set_session (f, 1, "UPDATE sessions SET sync_state = 'FAILED', next_attempt_at = ?2 WHERE id = ?1", now - 1);
  set_session (f, 2, "UPDATE sessions SET sync_state = 'FAILED', next_attempt_at = ?2 WHERE id = ?1",
               now + 60 * MINUTE);
  assert_due (f, now, first_two, 2);
  assert_due (f, now + 61 * MINUTE, all, 3);

  /* The same change time: the older row first, across the two states. */
  set_session (f, 0, "UPDATE sessions SET updated_at = ?2 WHERE id = ?1", 1000);
  set_session (f, 1, "UPDATE sessions SET updated_at = ?2 WHERE id = ?1", 1000);
  set_session (f, 2, "UPDATE sessions SET updated_at = ?2 WHERE id = ?1", 1000);
  assert_due (f, now + 61 * MINUTE, all, 3);
  set_session (f, 0, "UPDATE sessions SET sync_state = 'FAILED', next_attempt_at = ?2 WHERE id = ?1", now - 1);
  set_session (f, 1, "UPDATE sessions SET sync_state = 'PENDING', next_attempt_at = ?2 WHERE id = ?1", 0);
  assert_due (f, now + 61 * MINUTE, all, 3);

  /* A later change goes to the back. */
  set_session (f, 0, "UPDATE sessions SET updated_at = ?2 WHERE id = ?1", 2000);
  assert_due (f, now + 61 * MINUTE, later_first, 3);
}

/* A batch off the front of a long queue reads about its own rows: no sort of
 * every due session (which made syncing a long queue quadratic). SQLite's
 * own counters of the queue's statement say so. */
static void
test_due_batch_reads_its_rows (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) batch = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T08:00:00Z", NULL);
  sqlite3 *db = _topout_store_get_db (store);
  sqlite3_stmt *queue = NULL;

  g_assert_true (topout_store_generate (store, 2000, 1, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (topout_store_count_due_sessions (store, G_MAXINT64), ==, 2000);

  batch = topout_store_list_due_sessions (store, G_MAXINT64, 10);
  g_assert_cmpuint (batch->len, ==, 10);

  for (sqlite3_stmt *stmt = sqlite3_next_stmt (db, NULL); stmt != NULL; stmt = sqlite3_next_stmt (db, stmt))
    if (strstr (sqlite3_sql (stmt), "next_attempt_at <= ?1") != NULL && strstr (sqlite3_sql (stmt), "LIMIT") != NULL)
      queue = stmt;
  g_assert_nonnull (queue);
  g_assert_cmpint (sqlite3_stmt_status (queue, SQLITE_STMTSTATUS_SORT, FALSE), ==, 0);
  g_assert_cmpint (sqlite3_stmt_status (queue, SQLITE_STMTSTATUS_FULLSCAN_STEP, FALSE), ==, 0);
  g_test_message ("virtual machine steps for 10 of 2,000: %d",
                  sqlite3_stmt_status (queue, SQLITE_STMTSTATUS_VM_STEP, FALSE));
  g_assert_cmpint (sqlite3_stmt_status (queue, SQLITE_STMTSTATUS_VM_STEP, FALSE), <, 2000);
}

static void
count_signal (guint *n)
{
  (*n)++;
}

/* The time of the last successful sync is the database's own: another
 * database (a coach's second one, a file opened with --db) has none; it
 * survives reopening; another connection's write (`topout --sync-now`)
 * is seen as an external change; 0 forgets it. */
static void
test_last_sync_per_database (Fixture *f, gconstpointer data)
{
  g_autofree char *other_path = NULL;
  g_autoptr (TopoutStore) other = topout_test_store_new ("2026-11-21T08:00:00Z", &other_path);
  g_autoptr (TopoutStore) again = NULL;
  g_autoptr (GError) error = NULL;
  gint64 synced_at = topout_store_now (f->store);
  gint64 later = synced_at + 5 * MINUTE;
  guint n_signals = 0;

  g_assert_cmpint (topout_store_get_last_sync (f->store), ==, 0);
  g_assert_cmpint (topout_store_get_last_sync (other), ==, 0);

  /* Only the time: no session changed, none to reload. */
  g_signal_connect_swapped (f->store, "session-changed", G_CALLBACK (count_signal), &n_signals);
  g_signal_connect_swapped (f->store, "sessions-reset", G_CALLBACK (count_signal), &n_signals);
  g_signal_connect_swapped (f->store, "sessions-sync-changed", G_CALLBACK (count_signal), &n_signals);
  g_assert_true (topout_store_set_last_sync (f->store, synced_at, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_signals, ==, 0);
  g_assert_cmpint (topout_store_get_last_sync (f->store), ==, synced_at);
  g_assert_cmpint (topout_store_get_last_sync (other), ==, 0);
  g_assert_cmpuint (topout_store_count_pending (f->store), ==, 3);

  /* Kept in the file. */
  again = topout_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_store_get_last_sync (again), ==, synced_at);
  g_clear_object (&other);
  other = topout_store_new (other_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_store_get_last_sync (other), ==, 0);

  /* Written by another connection (another process): an external change. */
  topout_store_check_external_changes (f->store);
  n_signals = 0;
  g_assert_true (topout_store_set_last_sync (again, later, &error));
  g_assert_no_error (error);
  g_assert_true (topout_store_check_external_changes (f->store));
  g_assert_cmpuint (n_signals, ==, 1);
  g_assert_cmpint (topout_store_get_last_sync (f->store), ==, later);

  /* Unreadable as a time (a hand-edited file): never synced, not garbage. */
  g_assert_true (_topout_store_set_meta (f->store, "last_sync_time", "soon", &error));
  g_assert_no_error (error);
  g_assert_cmpint (topout_store_get_last_sync (f->store), ==, 0);

  g_assert_true (topout_store_set_last_sync (f->store, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (topout_store_get_last_sync (again), ==, 0);
  g_signal_handlers_disconnect_by_data (f->store, &n_signals);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync-store/due-oldest-first-with-routes", test_due_oldest_first_with_routes);
  ADD ("/sync-store/active-and-demo-never-due", test_active_and_demo_never_due);
  ADD ("/sync-store/syncing-not-due", test_syncing_not_due);
  ADD ("/sync-store/apply-every-kind", test_apply_every_kind);
  ADD ("/sync-store/edit-during-flight-stays-pending", test_edit_during_flight_stays_pending);
  ADD ("/sync-store/cancel-during-first-flight", test_cancel_during_first_flight);
  ADD ("/sync-store/results-in-one-transaction", test_results_in_one_transaction);
  ADD ("/sync-store/results-past-the-detailed-changes", test_results_past_the_detailed_changes);
  ADD ("/sync-store/conflict-keep-local", test_conflict_keep_local);
  ADD ("/sync-store/reset-syncing-after-crash", test_reset_syncing_after_crash);
  ADD ("/sync-store/due-pending-and-failed-one-queue", test_due_pending_and_failed_one_queue);
  ADD ("/sync-store/due-batch-reads-its-rows", test_due_batch_reads_its_rows);
  ADD ("/sync-store/last-sync-per-database", test_last_sync_per_database);
#undef ADD

  return g_test_run ();
}
