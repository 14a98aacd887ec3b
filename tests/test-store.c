/* test-store.c — opening, pragmas, refusing files that are not ours,
 * migrating a version-1 database without losing a row, and where the WAL
 * checkpoints run. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "topout-export.h"
#include "topout-history-model.h"
#include "topout-store-private.h"
#include "topout-test-util.h"

static char *
file_contents (const char *path,
               gsize      *len)
{
  char *data = NULL;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &data, len, &error);
  g_assert_no_error (error);
  return data;
}

static char *
pragma_text (TopoutStore *store,
             const char  *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_topout_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static void
test_open_creates (void)
{
  g_autofree char *path = topout_test_path ("nested/folder/new.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutStore) store = topout_store_new (path, &error);
  g_autofree char *journal = NULL;
  g_autofree char *sync = NULL;
  g_autofree char *fk = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *device = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (topout_store_get_schema_version (store), ==, TOPOUT_STORE_SCHEMA_VERSION);

  journal = pragma_text (store, "PRAGMA journal_mode");
  sync = pragma_text (store, "PRAGMA synchronous");
  fk = pragma_text (store, "PRAGMA foreign_keys");
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpstr (sync, ==, "2");  /* FULL */
  g_assert_cmpstr (fk, ==, "1");
  limit = pragma_text (store, "PRAGMA journal_size_limit");
  g_assert_cmpstr (limit, ==, "4194304");

  /* The device id is made once and kept. */
  g_assert_true (g_uuid_string_is_valid (topout_store_get_device_id (store)));
  device = g_strdup (topout_store_get_device_id (store));
  g_clear_object (&store);
  store = topout_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_store_get_device_id (store), ==, device);
}

static void
test_default_path (void)
{
  g_autofree char *path = NULL;

  g_setenv ("TOPOUT_DB", "/tmp/somewhere/else.db", TRUE);
  path = topout_store_default_path ();
  g_assert_cmpstr (path, ==, "/tmp/somewhere/else.db");
  g_free (path);

  g_unsetenv ("TOPOUT_DB");
  path = topout_store_default_path ();
  g_assert_true (g_str_has_suffix (path, "/topout/topout.db"));
  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));
}

static void
test_corrupt_file_untouched (void)
{
  g_autofree char *path = topout_test_path ("corrupt.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutStore) store = NULL;
  g_autofree char *after = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  gsize after_len = 0;
  /* An SQLite-sized file of garbage, as a broken disk or a wrong file leaves. */
  char garbage[8192];

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (char) (i * 7 + 3);
  g_assert_true (g_file_set_contents (path, garbage, sizeof garbage, NULL));

  store = topout_store_new (path, &error);
  g_assert_null (store);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN);
  g_assert_nonnull (strstr (error->message, path));

  after = file_contents (path, &after_len);
  g_assert_cmpuint (after_len, ==, sizeof garbage);
  g_assert_cmpmem (after, after_len, garbage, sizeof garbage);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_folder_is_not_a_file (void)
{
  g_autofree char *path = topout_test_path ("a-folder.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutStore) store = NULL;

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  store = topout_store_new (path, &error);
  g_assert_null (store);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN);
  g_assert_nonnull (strstr (error->message, path));
}

/* Another program's SQLite file, unversioned or with a user_version of its
 * own (topout-server's database: sessions and climbers, schema 3; it was
 * taken for ours and failed with CRITICALs on a missing table). */
static void
test_foreign_sqlite_untouched (void)
{
  const char *scripts[] = {
    "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('bread');",
    "CREATE TABLE tokens (name TEXT); CREATE TABLE sessions (client_id TEXT); CREATE TABLE climbers (id TEXT);"
    " CREATE TABLE routes (id TEXT); PRAGMA user_version = 3;",
  };

  for (guint i = 0; i < G_N_ELEMENTS (scripts); i++)
    {
      g_autofree char *name = g_strdup_printf ("other-program-%u.db", i);
      g_autofree char *path = topout_test_path (name);
      g_autoptr (GError) error = NULL;
      g_autoptr (TopoutStore) store = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, scripts[i], NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
      before = topout_test_dump_db (path);

      store = topout_store_new (path, &error);
      g_assert_null (store);
      g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN);
      g_assert_nonnull (strstr (error->message, "another program"));
      after = topout_test_dump_db (path);
      g_assert_cmpstr (before, ==, after);
    }
}

/* A second connection for a thread: the same database, seeing what the
 * first commits; never a new file where the database was. */
static void
test_open_another (void)
{
  g_autofree char *path = topout_test_path ("another.db");
  g_autofree char *moved = topout_test_path ("another-moved.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutStore) store = topout_store_new (path, &error);
  g_autoptr (TopoutStore) again = NULL;
  g_autoptr (TopoutClimber) climber = NULL;
  g_autoptr (TopoutClimber) seen = NULL;

  g_assert_no_error (error);
  again = topout_store_open_another (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_cmpstr (topout_store_get_device_id (again), ==, topout_store_get_device_id (store));
  climber = topout_store_add_climber (store, "Ada Ondra", "M-7", &error);
  g_assert_no_error (error);
  seen = topout_store_get_climber (again, topout_climber_get_id (climber), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_climber_get_display_name (seen), ==, "Ada Ondra");
  g_clear_object (&again);

  /* Gone from its path: nothing is created there. */
  g_assert_cmpint (g_rename (path, moved), ==, 0);
  again = topout_store_open_another (store, &error);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN);
  g_assert_null (again);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rename (moved, path), ==, 0);
}

static void
test_newer_schema_refused (void)
{
  g_autofree char *path = topout_test_path ("future.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("%s PRAGMA user_version = %d;", _topout_schema_v1,
                                          TOPOUT_STORE_SCHEMA_VERSION + 1);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = topout_test_dump_db (path);

  store = topout_store_new (path, &error);
  g_assert_null (store);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_TOO_NEW);
  after = topout_test_dump_db (path);
  g_assert_cmpstr (before, ==, after);
}

/* A database of schema version 3 (as it shipped: version 4's indices,
 * version 5's column and version 6's index taken out again, the index
 * version 4 replaced put back)
 * migrates to the current version with every row, and its scorecards and History filters work on the new
 * indices. */
static void
test_migrate_v3 (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutHistoryModel) history = NULL;
  g_autoptr (GPtrArray) routes = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  TopoutCompletion *route = NULL;
  guint attempts = 0;
  guint n_power_pending;
  sqlite3 *db = NULL;

  g_assert_true (topout_store_generate (store, 300, 3, 6, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  /* The rows, with version 5's column (NULL everywhere) as it comes back. */
  before = topout_test_dump_db (path);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "ALTER TABLE sessions DROP COLUMN device_id;"
                                 "DROP INDEX completions_competition_session;"
                                 "DROP INDEX sessions_type_sync_history;"
                                 "DROP INDEX import_journal_id;"
                                 "CREATE INDEX completions_competition ON completions (competition_type, competition_id)"
                                 "  WHERE is_competition = 1;"
                                 "PRAGMA user_version = 3;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  n_power_pending = (guint) topout_test_query_int (path, "SELECT count (*) FROM sessions"
                                                         " WHERE type = 'POWER' AND sync_state = 'PENDING'");
  g_assert_cmpuint (n_power_pending, >, 0);

  store = topout_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_store_get_schema_version (store), ==, TOPOUT_STORE_SCHEMA_VERSION);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sqlite_master WHERE name IN"
                                                " ('completions_competition_session', 'sessions_type_sync_history',"
                                                "  'import_journal_id')"),
                   ==, 3);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sqlite_master"
                                                " WHERE name = 'completions_competition'"), ==, 0);
  /* Every row kept (the dump holds rows, not the schema). */
  after = topout_test_dump_db (path);
  g_assert_cmpstr (before, ==, after);

  /* History by type and sync state, on the new index. */
  history = topout_history_model_new (store);
  topout_history_model_set_filter (history, NULL, TOPOUT_SESSION_TYPE_POWER, TOPOUT_SYNC_STATE_PENDING);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, n_power_pending);
  {
    g_autoptr (TopoutSession) first = g_list_model_get_item (G_LIST_MODEL (history), 0);

    g_assert_cmpint (topout_session_get_session_type (first), ==, TOPOUT_SESSION_TYPE_POWER);
    g_assert_cmpint (topout_session_get_sync_state (first), ==, TOPOUT_SYNC_STATE_PENDING);
  }

  /* A competition route edited: its scorecard row follows (dual write). */
  topout_history_model_set_filter (history, NULL, TOPOUT_SESSION_TYPE_COMPETITION, -1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), >, 0);
  {
    g_autoptr (TopoutSession) s = g_list_model_get_item (G_LIST_MODEL (history), 0);
    const char *climber_id = topout_session_get_climber_id (s);
    g_autofree char *sql = NULL;

    routes = topout_store_list_completions (store, topout_session_get_id (s));
    route = g_ptr_array_index (routes, 0);
    topout_completion_set_attempts (route, topout_completion_get_attempts (route) + 5);
    g_assert_true (topout_store_update_completion (store, route, &error));
    g_assert_no_error (error);
    sql = g_strdup_printf ("SELECT sum (p.attempts) FROM completions p JOIN sessions s ON s.id = p.session_id"
                           " WHERE s.climber_id = '%s' AND p.climb_id = '%s' AND p.is_competition = 1"
                           " AND p.competition_type = '%s' AND p.competition_id = '%s'",
                           climber_id, topout_completion_get_climb_id (route),
                           topout_completion_get_competition_type (route),
                           topout_completion_get_competition_id (route));
    g_assert_true (topout_store_get_scorecard_row (store, topout_completion_get_competition_type (route),
                                                   topout_completion_get_competition_id (route), climber_id,
                                                   topout_completion_get_climb_id (route), &attempts,
                                                   NULL, NULL, NULL));
    g_assert_cmpuint (attempts, ==, (guint) topout_test_query_int (path, sql));
  }
}

/* A database of schema version 6 holding a merge chain made before a merge
 * pointed the records merged into its duplicate at the survivor: Bo K.
 * merged into Bo Kim, then Bo Kim into Ada. Opened, Bo K.'s record says it
 * is merged into Ada (where its sessions are), Bo Kim's still does, Ada is
 * merged into nobody, and nothing else changed. */
static void
test_migrate_v6_merge_chain (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (store, "Ada Lovelace", "M-0001");
  g_autoptr (TopoutClimber) kim = topout_test_add_climber (store, "Bo Kim", NULL);
  g_autoptr (TopoutClimber) bo = topout_test_add_climber (store, "Bo K.", NULL);
  g_autoptr (TopoutClimber) cy = topout_test_add_climber (store, "Cy Twombly", NULL);
  g_autoptr (TopoutClimber) bo_after = NULL;
  g_autoptr (TopoutClimber) kim_after = NULL;
  g_autoptr (TopoutClimber) ada_after = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db = NULL;

  g_clear_object (&store);
  sql = g_strdup_printf ("UPDATE climbers SET archived = 1, merged_into = '%s' WHERE id = '%s';"
                         "UPDATE climbers SET archived = 1, merged_into = '%s' WHERE id = '%s';"
                         "PRAGMA user_version = 6;",
                         topout_climber_get_id (kim), topout_climber_get_id (bo),
                         topout_climber_get_id (ada), topout_climber_get_id (kim));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = topout_test_dump_db (path);

  store = topout_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_store_get_schema_version (store), ==, TOPOUT_STORE_SCHEMA_VERSION);
  bo_after = topout_store_get_climber (store, topout_climber_get_id (bo), &error);
  g_assert_no_error (error);
  kim_after = topout_store_get_climber (store, topout_climber_get_id (kim), &error);
  g_assert_no_error (error);
  ada_after = topout_store_get_climber (store, topout_climber_get_id (ada), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_climber_get_merged_into (bo_after), ==, topout_climber_get_id (ada));
  g_assert_cmpstr (topout_climber_get_merged_into (kim_after), ==, topout_climber_get_id (ada));
  g_assert_null (topout_climber_get_merged_into (ada_after));
  g_assert_true (topout_climber_get_archived (bo_after));

  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM climbers c JOIN climbers t"
                                                " ON t.id = c.merged_into WHERE t.merged_into IS NOT NULL"),
                   ==, 0);

  /* Only Bo K.'s pointer moved: put back, every row is as it was (Cy's
   * too; the dump holds rows, not the schema). */
  g_clear_object (&store);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE climbers SET merged_into = '%s' WHERE id = '%s';",
                         topout_climber_get_id (kim), topout_climber_get_id (bo));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  after = topout_test_dump_db (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_nonnull (cy);
}

/* A database of schema version 8 (no index for member codes in any case):
 * opened, the lookups by member code that every add, edit and session
 * import makes (member_code = ? COLLATE NOCASE) search the new index, not
 * every climber; every row is kept, and the codes alike but for case that
 * a file from before the rule may hold do not stop it opening. */
static void
test_migrate_v8_member_code_index (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (store, "Ada Lovelace", "M-0042");
  g_autoptr (TopoutClimber) bo = topout_test_add_climber (store, "Bo Kim", "G-1");
  g_autoptr (TopoutClimber) other = NULL;
  g_autoptr (GString) plan = g_string_new (NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP INDEX IF EXISTS climbers_member_code_nocase;"
                                 "INSERT INTO climbers (id, member_code, display_name, created_at, updated_at)"
                                 " VALUES ('old-g1', 'g-1', 'Gil Old', 1, 1);"
                                 "PRAGMA user_version = 8;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = topout_test_dump_db (path);

  store = topout_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_store_get_schema_version (store), ==, TOPOUT_STORE_SCHEMA_VERSION);
  after = topout_test_dump_db (path);
  g_assert_cmpstr (before, ==, after);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "EXPLAIN QUERY PLAN SELECT id FROM climbers"
                                           " WHERE member_code = ?1 COLLATE NOCASE",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_test_message ("%s", plan->str);
  g_assert_nonnull (strstr (plan->str, "climbers_member_code_nocase"));
  g_assert_null (strstr (plan->str, "SCAN"));

  /* The rule still holds through the index: "m-0042" is Ada's. */
  other = topout_store_add_climber (store, "Cy Twombly", "m-0042", &error);
  g_assert_null (other);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "Ada"));
  g_assert_nonnull (bo);
}

/* A database written by version 1 of the schema, with rows in every table,
 * made here with the exact DDL version 1 shipped. */
static void
test_migrate_v1 (void)
{
  g_autofree char *path = topout_test_path ("v1.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (TopoutSession) comp = NULL;
  g_autoptr (TopoutSession) fun = NULL;
  g_autoptr (GPtrArray) completions = NULL;
  g_autoptr (GPtrArray) ranking = NULL;
  guint attempts = 0, to_top = 0;
  gboolean topped = FALSE;
  sqlite3 *db = NULL;
  static const char *rows =
    "INSERT INTO meta VALUES ('device_id', '11111111-2222-3333-4444-555555555555');"
    "INSERT INTO climbers VALUES ('ada', 'M-1', 'Ada L.', 1, 1, 0, NULL);"
    "INSERT INTO climbers VALUES ('bo', NULL, 'Bo K.', 1, 1, 0, NULL);"
    "INSERT INTO climbs VALUES ('c-1', 'Crimp', 'V4', 'V', '#e01b24', 'Cave', '2026-10-01', 0, 1, 1);"
    "INSERT INTO climbs VALUES ('c-2', 'Slab', 'V2', 'V', NULL, NULL, NULL, 0, 1, 1);"
    "INSERT INTO sessions VALUES ('s-fun', NULL, 'ada', 'FUN', NULL, 'Fun · 2026-11-01', 'COMPLETED',"
    "  1761990000000000, 1761993600000000, '2026-11-01', 'EVENING', 0, 1, 0, NULL, NULL, '', 1, 1, 2, 0, 'PENDING');"
    "INSERT INTO sessions VALUES ('s-comp', 'srv-9', 'bo', 'COMPETITION', NULL, 'League', 'COMPLETED',"
    "  1762000000000000, 1762003600000000, '2026-11-01', 'NIGHT', 0, NULL, 1, 'LEAGUE', 'r3', 'n', 1, 1, 3, 0, 'SYNCED');"
    "INSERT INTO completions VALUES ('p-1', 's-fun', 'c-1', 'V4', 1, 2, '', 1761990100000000, 0, NULL, NULL, 1);"
    "INSERT INTO completions VALUES ('p-2', 's-fun', 'c-2', 'V2', 0, 3, 'slipped', 1761990200000000, 0, NULL, NULL, 1);"
    "INSERT INTO completions VALUES ('p-3', 's-comp', 'c-1', 'V4', 0, 2, '', 1762000100000000, 1, 'LEAGUE', 'r3', 1);"
    "INSERT INTO completions VALUES ('p-4', 's-comp', 'c-1', 'V4', 1, 1, '', 1762000200000000, 1, 'LEAGUE', 'r3', 1);"
    "INSERT INTO completions VALUES ('p-5', 's-comp', 'c-1', 'V4', 1, 4, '', 1762000300000000, 1, 'LEAGUE', 'r3', 1);"
    "PRAGMA user_version = 1;";

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, _topout_schema_v1, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, rows, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = topout_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_store_get_schema_version (store), ==, TOPOUT_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (topout_store_get_device_id (store), ==, "11111111-2222-3333-4444-555555555555");
  /* Never synced as far as this file knows (its time was kept elsewhere
   * before): the meta table of version 1 holds it from now on. */
  g_assert_cmpint (topout_store_get_last_sync (store), ==, 0);
  g_assert_true (topout_store_set_last_sync (store, 1762003700000000, &error));
  g_assert_no_error (error);

  fun = topout_store_get_session (store, "s-fun", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_session_get_climber_name (fun), ==, "Ada L.");
  g_assert_cmpint (topout_session_get_revision (fun), ==, 2);
  g_assert_cmpint (topout_session_get_sync_state (fun), ==, TOPOUT_SYNC_STATE_PENDING);
  g_assert_cmpint (topout_session_get_time_slot (fun), ==, TOPOUT_TIME_SLOT_EVENING);
  g_assert_cmpint (topout_session_get_at_gym (fun), ==, 1);
  /* The derived counts of version 2 were back-filled. */
  g_assert_cmpuint (topout_session_get_n_routes (fun), ==, 2);
  g_assert_cmpuint (topout_session_get_n_sends (fun), ==, 1);
  g_assert_cmpint (topout_session_get_last_logged_at (fun), ==, 1761990200000000);

  comp = topout_store_get_session (store, "s-comp", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_session_get_server_id (comp), ==, "srv-9");
  g_assert_cmpint (topout_session_get_at_gym (comp), ==, -1);
  g_assert_cmpint (topout_session_get_sync_state (comp), ==, TOPOUT_SYNC_STATE_SYNCED);
  g_assert_cmpuint (topout_session_get_n_routes (comp), ==, 3);

  completions = topout_store_list_completions (store, "s-fun");
  g_assert_cmpuint (completions->len, ==, 2);
  g_assert_cmpstr (topout_completion_get_notes (g_ptr_array_index (completions, 1)), ==, "slipped");

  /* The scorecards of version 2 were back-filled from the competition
   * completions: 2 + 1 attempts up to the first top, 7 in all. */
  g_assert_true (topout_store_get_scorecard_row (store, "LEAGUE", "r3", "bo", "c-1",
                                                 &attempts, &topped, &to_top, NULL));
  g_assert_cmpuint (attempts, ==, 7);
  g_assert_true (topped);
  g_assert_cmpuint (to_top, ==, 3);
  ranking = topout_store_rank_competition (store, "LEAGUE", "r3");
  g_assert_cmpuint (ranking->len, ==, 1);

  /* Every row is still there. */
  {
    g_autofree char *dump = topout_test_dump_db (path);
    g_assert_nonnull (strstr (dump, "p-1|s-fun|c-1|V4"));
    g_assert_nonnull (strstr (dump, "p-5|s-comp"));
    g_assert_nonnull (strstr (dump, "bo|NULL|Bo K."));
    g_assert_nonnull (strstr (dump, "c-2|Slab|V2"));
  }

  /* Opening again migrates nothing and keeps everything. */
  g_clear_object (&store);
  store = topout_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_store_get_schema_version (store), ==, TOPOUT_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (topout_store_get_device_id (store), ==, "11111111-2222-3333-4444-555555555555");
  g_assert_cmpint (topout_store_get_last_sync (store), ==, 1762003700000000);
}

static void
test_statements_reused (void)
{
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", NULL);
  g_autoptr (TopoutClimber) a = topout_test_add_climber (store, "Ada", NULL);
  sqlite3_stmt *first = NULL;
  sqlite3_stmt *second = NULL;

  first = _topout_store_stmt (store, "SELECT 1", NULL);
  sqlite3_reset (first);
  second = _topout_store_stmt (store, "SELECT 1", NULL);
  sqlite3_reset (second);
  g_assert_true (first == second);
  g_assert_nonnull (a);
}

static void
test_time_zone_date (void)
{
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T23:30:00Z", NULL);
  g_autofree char *utc_day = NULL;
  g_autofree char *berlin_day = NULL;
  g_autofree char *la_day = NULL;

  utc_day = topout_store_today (store);
  g_assert_cmpstr (utc_day, ==, "2026-11-21");
  topout_store_set_gym_timezone (store, "Europe/Berlin");
  berlin_day = topout_store_today (store);
  g_assert_cmpstr (berlin_day, ==, "2026-11-22");
  topout_store_set_gym_timezone (store, "America/Los_Angeles");
  la_day = topout_store_today (store);
  g_assert_cmpstr (la_day, ==, "2026-11-21");
}

static void
test_settings_bound (void)
{
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", NULL);
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");

  topout_store_bind_settings (store, settings);
  g_assert_cmpuint (topout_store_get_max_sessions_per_day (store), ==, 3);
  g_settings_set_int (settings, "max-sessions-per-day", 2);
  g_assert_cmpuint (topout_store_get_max_sessions_per_day (store), ==, 2);
  g_settings_set_int (settings, "auto-end-idle-hours", 6);
  g_assert_cmpuint (topout_store_get_auto_end_idle_hours (store), ==, 6);
  g_settings_set_string (settings, "closing-time", "22:30");
  g_assert_cmpstr (topout_store_get_closing_time (store), ==, "22:30");
  g_settings_set_string (settings, "gym-timezone", "Asia/Tokyo");
  g_assert_cmpstr (topout_store_get_gym_timezone (store), ==, "Asia/Tokyo");
  g_settings_reset (settings, "max-sessions-per-day");
  g_settings_reset (settings, "auto-end-idle-hours");
  g_settings_reset (settings, "closing-time");
  g_settings_reset (settings, "gym-timezone");
}

static void
count_reset (TopoutStore *store, guint *n)
{
  (*n)++;
}

static void
test_external_changes_noticed (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) ui = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  g_autoptr (TopoutStore) worker = NULL;
  g_autoptr (TopoutClimber) own = NULL;
  g_autoptr (TopoutClimber) other = NULL;
  g_autoptr (GError) error = NULL;
  guint resets = 0;

  g_signal_connect (ui, "sessions-reset", G_CALLBACK (count_reset), &resets);
  g_assert_false (topout_store_check_external_changes (ui));

  /* Our own writes are not "external". */
  own = topout_test_add_climber (ui, "Ada", NULL);
  g_assert_false (topout_store_check_external_changes (ui));

  /* A second connection (an import's worker, another process) is. */
  worker = topout_store_new (path, &error);
  g_assert_no_error (error);
  other = topout_test_add_climber (worker, "Bo", NULL);
  g_assert_true (topout_store_check_external_changes (ui));
  g_assert_cmpuint (resets, ==, 1);
  g_assert_false (topout_store_check_external_changes (ui));
  g_assert_cmpuint (resets, ==, 1);
}

static void
run_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

/* Watched, the log's changes make the store look by itself: a burst of
 * another connection's commits is noticed within a second, in one look or
 * two; our own commits make none. */
static void
test_external_changes_watched (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) ui = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  g_autoptr (TopoutStore) worker = NULL;
  g_autoptr (GError) error = NULL;
  guint resets = 0;

  g_signal_connect (ui, "sessions-reset", G_CALLBACK (count_reset), &resets);
  topout_store_watch_external_changes (ui);
  topout_store_watch_external_changes (ui);  /* once is enough */

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("Own %u", i);
      g_autoptr (TopoutClimber) own = topout_test_add_climber (ui, name, NULL);
    }
  run_for (800);
  g_assert_cmpuint (resets, ==, 0);

  worker = topout_store_new (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("Other %u", i);
      g_autoptr (TopoutClimber) other = topout_test_add_climber (worker, name, NULL);
    }
  run_for (1000);
  /* One look for the burst (two if a look fell between its commits). */
  g_assert_cmpuint (resets, >=, 1);
  g_assert_cmpuint (resets, <=, 2);
  /* Nothing new: nothing more. */
  resets = 0;
  run_for (500);
  g_assert_cmpuint (resets, ==, 0);
  g_assert_false (topout_store_check_external_changes (ui));
}

/* PRAGMA wal_checkpoint(PASSIVE) on a connection of its own: TRUE while
 * another checkpoint holds the lock; else the log's frames and how many of
 * them are in the database. */
static gboolean
wal_checkpoint_busy (const char *path,
                     int        *n_log,
                     int        *n_done)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean busy;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  /* Reading the schema waits out the store's thread starting the log over
   * (a moment of SQLITE_BUSY, seen once on a loaded machine). */
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA wal_checkpoint(PASSIVE)", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  busy = sqlite3_column_int (stmt, 0) != 0;
  *n_log = sqlite3_column_int (stmt, 1);
  *n_done = sqlite3_column_int (stmt, 2);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return busy;
}

#define MiB (1024 * 1024)
#define PAGE 4096

/* SQLite's own checkpoints copy the log into the database inside the commit
 * that takes it past 1,000 pages: the database file grows while writing. */
static void
test_checkpoint_in_commit (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  topout_test_write_pages (store, 0, 2500);
  g_assert_cmpint (topout_test_file_size (path), >, 4 * MiB);
  g_assert_cmpint (topout_test_file_size (wal), <, 6 * MiB);
}

/* With checkpoint_when_idle, no commit copies anything: the log grows until
 * commits pause, then a checkpoint copies it all, and the next commit starts
 * the log again, cut back to 4 MiB. */
static void
test_checkpoint_when_idle (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  gint64 deadline;
  int n_log = -1, n_done = -2;
  guint resets = 0;

  /* The store's own checkpoints (another connection's, copying the log)
   * change no data: the watch of the log says nothing about them. */
  g_signal_connect (store, "sessions-reset", G_CALLBACK (count_reset), &resets);
  topout_store_watch_external_changes (store);
  topout_store_checkpoint_when_idle (store);
  topout_test_write_pages (store, 0, 2500);
  g_assert_cmpint (topout_test_file_size (path), <, 1 * MiB);
  g_assert_cmpint (topout_test_file_size (wal), >, 10 * MiB);

  /* Commits paused: the main loop runs the timer, the thread copies. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (topout_test_file_size (path) < 2500 * PAGE && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  g_assert_cmpint (topout_test_file_size (path), >=, 2500 * PAGE);

  /* Once its thread is done (its checkpoint lock free again), nothing is
   * left to copy: nobody was reading, so the PASSIVE checkpoint was whole. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (wal_checkpoint_busy (path, &n_log, &n_done) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  g_assert_cmpint (n_log, ==, n_done);
  /* So the next commit starts the log again, cut back to the limit. */
  topout_test_write_pages (store, 10000, 1);
  g_assert_cmpint (topout_test_file_size (wal), <=, 4 * MiB);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM meta WHERE key LIKE 'test-%'"), ==, 2501);

  /* Past 4,000 pages the checkpoint does not wait for a pause: commits
   * every 10 ms (a busy spell) do not put it off. */
  topout_test_write_pages (store, 20000, 4100);
  g_assert_cmpint (topout_test_file_size (wal), >, 16 * MiB);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  for (guint i = 30000; topout_test_file_size (path) < 6600 * PAGE && g_get_monotonic_time () < deadline; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
      topout_test_write_pages (store, i, 1);
    }
  g_assert_cmpint (topout_test_file_size (path), >=, 6600 * PAGE);
  run_for (600);
  g_assert_cmpuint (resets, ==, 0);
}

/* An import sets checkpoints of its own while it runs (on its connection);
 * afterwards the store's idle ones are back. */
static void
test_checkpoint_when_idle_after_import (void)
{
  g_autofree char *source_path = NULL;
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) source = topout_test_store_new ("2026-11-21T17:00:00Z", &source_path);
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  g_autofree char *file_path = topout_test_path ("checkpoint-import.jsonl");
  g_autoptr (GFile) file = g_file_new_for_path (file_path);
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *limit = NULL;
  goffset before;

  g_assert_true (topout_store_generate (source, 20, 3, 1, &error));
  g_assert_no_error (error);
  g_assert_true (topout_store_export_to_file (source, TOPOUT_EXPORT_JSON, NULL, file, NULL, NULL, NULL,
                                              NULL, NULL, &error));
  g_assert_no_error (error);

  topout_store_checkpoint_when_idle (store);
  report = topout_store_import_sessions (store, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_added, ==, 20);
  /* Its unlimited log while it ran is limited again. */
  limit = pragma_text (store, "PRAGMA journal_size_limit");
  g_assert_cmpstr (limit, ==, "4194304");

  before = topout_test_file_size (path);
  topout_test_write_pages (store, 0, 2500);
  g_assert_cmpint (topout_test_file_size (path), ==, before);
}

/* Runs a command (mount, umount): FALSE when it failed (not root, or no
 * such capability in this container). */
static gboolean
run_quiet (const char * const *argv)
{
  int status = -1;

  return g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                       G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) &&
         g_spawn_check_wait_status (status, NULL);
}

/* A database that cannot be opened for its folder or its disk is said to be
 * so, not "cannot be read as a Topout database: disk I/O error". Real faults:
 * a 1 MiB tmpfs filled up, and a read-only bind mount (root only). */
static void
test_open_full_disk_and_read_only_folder (void)
{
  g_autofree char *tiny = topout_test_path ("tiny");
  g_autofree char *ro = topout_test_path ("read-only");
  g_autofree char *db = g_build_filename (tiny, "t.db", NULL);
  g_autofree char *fill = g_build_filename (tiny, "fill", NULL);
  g_autofree char *ro_db = g_build_filename (ro, "t.db", NULL);
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *block = g_malloc0 (4096);
  FILE *f;

  g_assert_cmpint (g_mkdir_with_parents (tiny, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (ro, 0700), ==, 0);
  if (!run_quiet ((const char *[]) { "mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", tiny, NULL }))
    {
      g_test_skip ("mounting a tmpfs needs root");
      return;
    }

  store = topout_store_new (db, &error);
  g_assert_no_error (error);
  g_assert_true (topout_store_generate (store, 5, 2, 1, &error));
  g_clear_object (&store);

  f = fopen (fill, "wb");
  g_assert_nonnull (f);
  while (fwrite (block, 1, 4096, f) == 4096 && fflush (f) == 0)
    ;
  fclose (f);
  store = topout_store_new (db, &error);
  g_assert_null (store);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN);
  g_assert_nonnull (strstr (error->message, "is full"));
  g_clear_error (&error);

  g_assert_cmpint (g_unlink (fill), ==, 0);
  store = topout_store_new (db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_test_query_int (db, "SELECT count (*) FROM sessions"), ==, 5);
  g_clear_object (&store);

  /* The same file in a folder mounted read-only. */
  g_assert_true (run_quiet ((const char *[]) { "mount", "--bind", tiny, ro, NULL }));
  g_assert_true (run_quiet ((const char *[]) { "mount", "-o", "remount,bind,ro", ro, NULL }));
  store = topout_store_new (ro_db, &error);
  g_assert_null (store);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN);
  g_assert_nonnull (strstr (error->message, "cannot write in the folder"));

  g_assert_true (run_quiet ((const char *[]) { "umount", ro, NULL }));
  g_assert_true (run_quiet ((const char *[]) { "umount", tiny, NULL }));
}

/* What an import under way has added (its journal names it: another
 * process importing) is not found by id either, as the lists leave it out:
 * no session logged for its climber or on its climb, no merge into it, no
 * climb added over it; a member code of its climber is refused as coming
 * with an import, naming nobody. Once the import is whole, all is there. */
static void
test_import_rows_hidden_by_id (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (store, "Ada Lovelace", "M-0001");
  g_autoptr (TopoutClimber) imre = topout_test_add_climber (store, "Imre Importson", "M-7777");
  g_autoptr (TopoutClimb) wall = topout_test_add_climb (store, "c-1", "Wall", "V1");
  g_autoptr (TopoutClimb) roof = topout_test_add_climb (store, "c-imported", "Roof", "V3");
  g_autoptr (TopoutClimber) found = NULL, added = NULL;
  g_autoptr (TopoutClimb) climb = NULL, again = NULL;
  g_autoptr (TopoutCompletion) logged = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("INSERT INTO import_journal (kind, id) VALUES ('climber', '%s'),"
                                          " ('climb', 'c-imported')", topout_climber_get_id (imre));
  const char *imre_id = topout_climber_get_id (imre);
  sqlite3 *other = NULL;

  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  sqlite3_busy_timeout (other, 5000);
  g_assert_cmpint (sqlite3_exec (other, sql, NULL, NULL, NULL), ==, SQLITE_OK);

  found = topout_store_get_climber (store, imre_id, &error);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_NOT_FOUND);
  g_assert_null (found);
  g_clear_error (&error);
  climb = topout_store_get_climb (store, "c-imported", &error);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_NOT_FOUND);
  g_assert_null (climb);
  g_clear_error (&error);
  /* What is not the import's is found as ever. */
  found = topout_store_get_climber (store, topout_climber_get_id (ada), &error);
  g_assert_no_error (error);
  g_clear_object (&found);
  climb = topout_store_get_climb (store, "c-1", &error);
  g_assert_no_error (error);
  g_clear_object (&climb);

  logged = topout_store_log_completion (store, imre_id, "c-1", 1, TRUE, NULL, NULL, &error);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  logged = topout_store_log_completion (store, topout_climber_get_id (ada), "c-imported", 1, TRUE, NULL, NULL, &error);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (topout_store_merge_climbers (store, imre_id, topout_climber_get_id (ada), &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions"), ==, 0);

  /* Its member code and its climb id: an import under way, named as such. */
  added = topout_store_add_climber (store, "Dee Dobson", "m-7777", &error);
  g_assert_null (added);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "import that is under way"));
  g_assert_null (strstr (error->message, "Imre"));
  g_clear_error (&error);
  topout_climber_set_member_code (ada, "M-7777");
  g_assert_false (topout_store_update_climber (store, ada, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  topout_climber_set_member_code (ada, "M-0001");
  again = topout_climb_new ("c-imported", "Another roof", "V4", TOPOUT_GRADE_SYSTEM_V_SCALE);
  g_assert_false (topout_store_add_climb (store, again, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);
  g_assert_nonnull (strstr (error->message, "import that is under way"));
  g_clear_error (&error);

  /* The import is whole. */
  g_assert_cmpint (sqlite3_exec (other, "DELETE FROM import_journal", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  found = topout_store_get_climber (store, imre_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_climber_get_display_name (found), ==, "Imre Importson");
  climb = topout_store_get_climb (store, "c-imported", &error);
  g_assert_no_error (error);
  added = topout_store_add_climber (store, "Dee Dobson", "m-7777", &error);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "Imre Importson"));
  g_clear_error (&error);
  g_assert_false (topout_store_add_climb (store, again, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DUPLICATE);
  g_clear_error (&error);
  logged = topout_store_log_completion (store, imre_id, "c-imported", 1, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (logged);
}

/* Whether @sql's plan (on @db) reads the import journal through its index
 * and never the whole of it. */
static void
assert_probes_journal (sqlite3    *db,
                       const char *sql)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  g_autoptr (GString) plan = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  g_test_message ("%s\n%s", sql, plan->str);
  g_assert_nonnull (strstr (plan->str, "import_journal_id"));
  g_assert_null (strstr (plan->str, "SCAN import_journal"));
  g_assert_null (strstr (plan->str, "SCAN j"));
}

/* While an import runs, the desk's lookups (the climber, the climb, the
 * session a tap goes into) and History's pages ask the journal about each
 * row they read: one probe of its index (schema version 6), not a read of
 * the whole journal, which took ~100 ms a lookup at 100,000 sessions. */
static void
test_import_hiding_probes_journal (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  assert_probes_journal (db, "SELECT id FROM sessions s WHERE s.id = ?1 AND" TOPOUT_NOT_IN_IMPORT ("s.id", "session"));
  assert_probes_journal (db, "SELECT id FROM climbers WHERE id = ?1 AND" TOPOUT_NOT_IN_IMPORT ("climbers.id", "climber"));
  assert_probes_journal (db, "SELECT id FROM climbs WHERE retired = 0 AND" TOPOUT_NOT_IN_IMPORT ("climbs.id", "climb"));
  assert_probes_journal (db, "SELECT s.id FROM sessions s WHERE s.climber_id = ?1 AND"
                             TOPOUT_NOT_IN_IMPORT ("s.id", "session") " ORDER BY s.session_date DESC LIMIT 50");
  sqlite3_close (db);
}

static int
compare_session_ids (gconstpointer a,
                     gconstpointer b)
{
  return strcmp (topout_session_get_id (*(TopoutSession **) a), topout_session_get_id (*(TopoutSession **) b));
}

/* The climbers' names of @store's active sessions, in the order listed,
 * joined by "|". */
static char *
active_names (TopoutStore *store)
{
  g_autoptr (GPtrArray) active = topout_store_list_active_sessions (store);
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  g_auto (GStrv) strv = NULL;

  for (guint i = 0; i < active->len; i++)
    g_strv_builder_add (names, topout_session_get_climber_name (g_ptr_array_index (active, i)));
  strv = g_strv_builder_end (names);
  return g_strjoinv ("|", strv);
}

/* On the wall now: sessions started at the same moment are listed by their
 * climber's name (then by id), not in the order of their random ids, on
 * every call and every connection; the time they started comes first. The
 * names are given in the reverse of the sessions' ids (one in lower case:
 * the order ignores case). */
static void
test_active_sessions_order (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  g_autoptr (TopoutStore) again = NULL;
  g_autoptr (GPtrArray) climbers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TopoutClimber) later = NULL;
  g_autoptr (TopoutSession) later_session = NULL;
  g_autoptr (GError) error = NULL;
  const char *names[] = { "Zoe", "Yuri", "Xena", "walt", "Vera" };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *name = g_strdup_printf ("Climber %u", i);
      TopoutClimber *climber = topout_test_add_climber (store, name, NULL);

      g_ptr_array_add (climbers, climber);
      g_ptr_array_add (sessions, topout_test_start (store, topout_climber_get_id (climber), TOPOUT_SESSION_TYPE_FUN));
    }
  /* Started a second later, first in the alphabet: last. */
  topout_test_advance (G_USEC_PER_SEC);
  later = topout_test_add_climber (store, "Aaron", NULL);
  later_session = topout_test_start (store, topout_climber_get_id (later), TOPOUT_SESSION_TYPE_FUN);

  /* The smallest id's climber is Zoe, the largest's Vera. */
  g_ptr_array_sort (sessions, compare_session_ids);
  for (guint i = 0; i < sessions->len; i++)
    {
      TopoutSession *session = g_ptr_array_index (sessions, i);
      g_assert_cmpint (topout_session_get_started_at (session), ==,
                       topout_session_get_started_at (g_ptr_array_index (sessions, 0)));
      for (guint j = 0; j < climbers->len; j++)
        {
          TopoutClimber *climber = g_ptr_array_index (climbers, j);

          if (g_strcmp0 (topout_climber_get_id (climber), topout_session_get_climber_id (session)) == 0)
            {
              topout_climber_set_display_name (climber, names[i]);
              g_assert_true (topout_store_update_climber (store, climber, &error));
              g_assert_no_error (error);
            }
        }
    }

  first = active_names (store);
  g_assert_cmpstr (first, ==, "Vera|walt|Xena|Yuri|Zoe|Aaron");
  second = active_names (store);
  g_assert_cmpstr (second, ==, first);
  again = topout_store_open_another (store, &error);
  g_assert_no_error (error);
  third = active_names (again);
  g_assert_cmpstr (third, ==, first);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/open/creates-with-pragmas", test_open_creates);
  g_test_add_func ("/store/open/default-path", test_default_path);
  g_test_add_func ("/store/open/corrupt-file-untouched", test_corrupt_file_untouched);
  g_test_add_func ("/store/open/folder-refused", test_folder_is_not_a_file);
  g_test_add_func ("/store/open/foreign-sqlite-untouched", test_foreign_sqlite_untouched);
  g_test_add_func ("/store/open/newer-schema-refused", test_newer_schema_refused);
  g_test_add_func ("/store/open/another-connection", test_open_another);
  g_test_add_func ("/store/migrate/v1-keeps-every-row", test_migrate_v1);
  g_test_add_func ("/store/migrate/v3-to-v4-indices", test_migrate_v3);
  g_test_add_func ("/store/migrate/v6-merge-chain-ends", test_migrate_v6_merge_chain);
  g_test_add_func ("/store/migrate/v8-member-code-index", test_migrate_v8_member_code_index);
  g_test_add_func ("/store/statements-reused", test_statements_reused);
  g_test_add_func ("/store/time-zone-date", test_time_zone_date);
  g_test_add_func ("/store/settings-bound", test_settings_bound);
  g_test_add_func ("/store/external-changes-noticed", test_external_changes_noticed);
  g_test_add_func ("/store/external-changes-watched", test_external_changes_watched);
  g_test_add_func ("/store/checkpoint/in-commit-by-default", test_checkpoint_in_commit);
  g_test_add_func ("/store/checkpoint/when-idle-off-thread", test_checkpoint_when_idle);
  g_test_add_func ("/store/checkpoint/when-idle-after-import", test_checkpoint_when_idle_after_import);
  g_test_add_func ("/store/open/full-disk-and-read-only-folder", test_open_full_disk_and_read_only_folder);
  g_test_add_func ("/store/import-rows-hidden-by-id", test_import_rows_hidden_by_id);
  g_test_add_func ("/store/import-hiding-probes-journal", test_import_hiding_probes_journal);
  g_test_add_func ("/store/active-sessions-order", test_active_sessions_order);

  return g_test_run ();
}
