/* topout-store-schema.c — the schema, versioned with PRAGMA user_version.
 *
 * Migrations run in order, each in its own transaction that also sets
 * user_version, so a crash leaves the file at the last complete version.
 * Never edit a shipped migration: add the next one.
 */
#define G_LOG_DOMAIN "topout-store-schema"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "topout-scorecard-sql.h"
#include "topout-store-private.h"

/* Version 1: the first schema (climbers, catalog, sessions, completions). */
const char *const _topout_schema_v1 =
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"
  "CREATE TABLE climbers ("
  "  id TEXT PRIMARY KEY,"
  "  member_code TEXT UNIQUE,"
  "  display_name TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  archived INTEGER NOT NULL DEFAULT 0,"
  "  merged_into TEXT REFERENCES climbers (id)"
  ");"
  "CREATE TABLE climbs ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  grade TEXT NOT NULL,"
  "  grade_system TEXT NOT NULL DEFAULT 'V',"
  "  color TEXT,"
  "  wall TEXT,"
  "  set_on TEXT,"
  "  retired INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE sessions ("
  "  id TEXT PRIMARY KEY,"
  "  server_id TEXT,"
  "  climber_id TEXT NOT NULL REFERENCES climbers (id),"
  "  type TEXT NOT NULL,"
  "  custom_label TEXT,"
  "  name TEXT NOT NULL,"
  "  status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'COMPLETED', 'CANCELLED')),"
  "  started_at INTEGER NOT NULL,"
  "  ended_at INTEGER,"
  "  session_date TEXT NOT NULL,"
  "  time_slot TEXT,"
  "  is_retroactive INTEGER NOT NULL DEFAULT 0,"
  "  is_at_gym INTEGER,"
  "  is_competition INTEGER NOT NULL DEFAULT 0,"
  "  competition_type TEXT,"
  "  competition_id TEXT,"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),"
  "  is_demo INTEGER NOT NULL DEFAULT 0,"
  "  sync_state TEXT NOT NULL DEFAULT 'LOCAL'"
  ");"
  /* Rule 1, enforced by the database itself. */
  "CREATE UNIQUE INDEX sessions_one_active ON sessions (climber_id) WHERE status = 'ACTIVE';"
  "CREATE TABLE completions ("
  "  id TEXT PRIMARY KEY,"
  "  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
  "  climb_id TEXT NOT NULL REFERENCES climbs (id),"
  "  grade TEXT NOT NULL,"
  "  is_success INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL CHECK (attempts BETWEEN 1 AND 999),"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  logged_at INTEGER NOT NULL,"
  "  is_competition INTEGER NOT NULL DEFAULT 0,"
  "  competition_type TEXT,"
  "  competition_id TEXT,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX completions_session ON completions (session_id, logged_at);";

/* The scorecard of every (pair, climber, climb), topout-scorecard-sql.h;
 * @FILTER narrows it. */
#define SCORECARD_SELECT(FILTER) \
  TOPOUT_SCORECARD_INSERT_SQL ("completions", "p.logged_at", "climber_id", "s.climber_id", "", FILTER)

/* Version 2: sync bookkeeping, derived counts for the history, the history
 * indices and the competition scorecards (back-filled). */
static const char *const schema_v2 =
  "ALTER TABLE sessions ADD COLUMN sync_attempts INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE sessions ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE sessions ADD COLUMN last_error TEXT;"
  "ALTER TABLE sessions ADD COLUMN last_error_code TEXT;"
  "ALTER TABLE sessions ADD COLUMN server_revision INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE sessions ADD COLUMN sent_revision INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE sessions ADD COLUMN n_routes INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE sessions ADD COLUMN n_sends INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE sessions ADD COLUMN last_logged_at INTEGER NOT NULL DEFAULT 0;"
  "UPDATE sessions SET"
  "  n_routes = (SELECT count (*) FROM completions p WHERE p.session_id = sessions.id),"
  "  n_sends = (SELECT count (*) FROM completions p WHERE p.session_id = sessions.id AND p.is_success),"
  "  last_logged_at = coalesce ((SELECT max (logged_at) FROM completions p WHERE p.session_id = sessions.id), 0);"
  "CREATE INDEX sessions_history ON sessions (session_date, started_at, id);"
  "CREATE INDEX sessions_climber_history ON sessions (climber_id, session_date, started_at, id);"
  "CREATE INDEX sessions_type_history ON sessions (type, session_date, started_at, id);"
  "CREATE INDEX sessions_sync_history ON sessions (sync_state, session_date, started_at, id);"
  "CREATE INDEX sessions_due ON sessions (sync_state, updated_at);"
  "CREATE INDEX completions_climb ON completions (climb_id);"
  "CREATE INDEX completions_competition ON completions (competition_type, competition_id)"
  "  WHERE is_competition = 1;"
  TOPOUT_SCORECARD_TABLE_SQL ("climber_id", " REFERENCES climbers (id)", " REFERENCES climbs (id)")
  SCORECARD_SELECT ("") ";";

/* Version 3: the journal of an import under way (topout-store-export.c):
 * what it added, taken out again if it is refused, or by the next opening
 * after a crash. */
static const char *const schema_v3 =
  "CREATE TABLE import_journal ("
  "  kind TEXT NOT NULL CHECK (kind IN ('session', 'climber', 'climb')),"
  "  id TEXT NOT NULL"
  ");";

/* Version 4: indices for a gym chain's size (bench/bench-scale.c).
 * - A competition route's scorecard is recomputed from the climber's own
 *   sessions, looked up by (pair, session) in the competition routes:
 *   the index by pair alone made every tap in a competition of 500
 *   climbers x 40 climbs read all 20,000 of its routes (11 ms of write
 *   lock); it is a prefix of the new one, which replaces it.
 * - History filtered by type and sync state together: one index for both,
 *   where one of them was read row by row from the table (16 ms for the
 *   count of 12,000 POWER sessions among 100,000 PENDING). */
static const char *const schema_v4 =
  "CREATE INDEX completions_competition_session ON completions (competition_type, competition_id, session_id)"
  "  WHERE is_competition = 1;"
  "DROP INDEX completions_competition;"
  "CREATE INDEX sessions_type_sync_history ON sessions (type, sync_state, session_date, started_at, id);";

/* Version 5: the device that recorded a session, when not this one (a
 * session imported from another device's export; NULL: recorded here). An
 * export names it as the session's deviceId, so that a session keeps its
 * origin from device to device. */
static const char *const schema_v5 =
  "ALTER TABLE sessions ADD COLUMN device_id TEXT;";

/* Version 6: the import journal looked up by id. While an import runs,
 * every lookup the desk makes (a climber, a climb, the session a tap goes
 * into) asks whether the journal names the row; without this index each
 * asking read the whole journal (about 100 ms at 100,000 sessions). */
static const char *const schema_v6 =
  "CREATE INDEX import_journal_id ON import_journal (id, kind);";

/* Version 7: no record merged into a merged one. Before a merge pointed
 * the records merged into its duplicate at the survivor (Bo K. into Bo
 * Kim, then Bo Kim into Ada: Bo K. said "Merged into Bo Kim", whose
 * sessions are all Ada's now), a chain could be left; each record merged
 * now points at the chain's end. The sessions followed every merge
 * already: only the pointer moves. A cycle cannot be made (a merge into a
 * merged record is refused); the depth bound keeps a hand-made one from
 * looping, and a record never points at itself. */
static const char *const schema_v7 =
  "WITH RECURSIVE chain (id, target, depth) AS ("
  "  SELECT id, merged_into, 0 FROM climbers WHERE merged_into IS NOT NULL"
  "  UNION ALL"
  "  SELECT chain.id, c.merged_into, chain.depth + 1 FROM chain JOIN climbers c ON c.id = chain.target"
  "   WHERE c.merged_into IS NOT NULL AND chain.depth < 100)"
  "UPDATE climbers SET merged_into = nullif ((SELECT target FROM chain WHERE chain.id = climbers.id"
  "                                           ORDER BY depth DESC LIMIT 1), id)"
  " WHERE merged_into IN (SELECT id FROM climbers WHERE merged_into IS NOT NULL);";

/* Version 8: how many sessions are in each sync state (a state none is in
 * has no row), kept by triggers in the same transaction as every write of
 * a session, whichever way it is made (a tap, a sync result, an import, a
 * merge, a removal). The header asks after every tap how many wait and
 * how many need attention: counting them in the index took 4–7 ms at
 * 100,000 waiting (a desk offline for months), on the UI thread; reading
 * two rows takes none.
 * Made again whole if it is there (a file set back to an older version by
 * hand keeps its tables). */
static const char *const schema_v8 =
  "CREATE TABLE IF NOT EXISTS sync_counts ("
  "  state TEXT PRIMARY KEY,"
  "  n INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "DELETE FROM sync_counts;"
  "INSERT INTO sync_counts (state, n) SELECT sync_state, count (*) FROM sessions GROUP BY sync_state;"
  "CREATE TRIGGER IF NOT EXISTS sync_counts_insert AFTER INSERT ON sessions BEGIN"
  "  INSERT INTO sync_counts (state, n) VALUES (NEW.sync_state, 1)"
  "    ON CONFLICT (state) DO UPDATE SET n = n + 1;"
  "END;"
  "CREATE TRIGGER IF NOT EXISTS sync_counts_delete AFTER DELETE ON sessions BEGIN"
  "  UPDATE sync_counts SET n = n - 1 WHERE state = OLD.sync_state;"
  "  DELETE FROM sync_counts WHERE state = OLD.sync_state AND n = 0;"
  "END;"
  "CREATE TRIGGER IF NOT EXISTS sync_counts_update AFTER UPDATE OF sync_state ON sessions"
  "  WHEN OLD.sync_state IS NOT NEW.sync_state BEGIN"
  "  UPDATE sync_counts SET n = n - 1 WHERE state = OLD.sync_state;"
  "  DELETE FROM sync_counts WHERE state = OLD.sync_state AND n = 0;"
  "  INSERT INTO sync_counts (state, n) VALUES (NEW.sync_state, 1)"
  "    ON CONFLICT (state) DO UPDATE SET n = n + 1;"
  "END;";

/* Version 9: member codes looked up as the gym types them. A code is one
 * climber's whatever its case ("m-0042" is M-0042), so every lookup is
 * member_code = ? COLLATE NOCASE, which the column's own index (BINARY,
 * from UNIQUE) cannot serve: adding or editing a climber, and each climber
 * of a session import, read every climber (about 2 ms at 10,000, in the
 * write transaction). Not unique: a file from before the rule may hold
 * codes alike but for case, and refusing to open it would lose nothing
 * less than the database. */
static const char *const schema_v9 =
  "CREATE INDEX IF NOT EXISTS climbers_member_code_nocase ON climbers (member_code COLLATE NOCASE);";

static const char *const migrations[] = {
  NULL,           /* version 0: the empty file */
  NULL,           /* version 1: _topout_schema_v1 (set below) */
  NULL,           /* version 2: schema_v2 */
  NULL,           /* version 3: schema_v3 */
  NULL,           /* version 4: schema_v4 */
  NULL,           /* version 5: schema_v5 */
  NULL,           /* version 6: schema_v6 */
  NULL,           /* version 7: schema_v7 */
  NULL,           /* version 8: schema_v8 */
  NULL,           /* version 9: schema_v9 */
};

static const char *
migration_sql (int version)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == TOPOUT_STORE_SCHEMA_VERSION + 1);

  switch (version)
    {
    case 1: return _topout_schema_v1;
    case 2: return schema_v2;
    case 3: return schema_v3;
    case 4: return schema_v4;
    case 5: return schema_v5;
    case 6: return schema_v6;
    case 7: return schema_v7;
    case 8: return schema_v8;
    case 9: return schema_v9;
    default: g_assert_not_reached ();
    }
}

/* Whether the (pair, climber)'s routes are cheaper found from the pair's
 * routes (each joined to its session by primary key) than from the
 * climber's sessions (each looked up in the pair's routes): the smaller
 * side drives. A merge recomputes the league rounds of climbers of
 * thousands of sessions; a tap at a competition of 20,000 routes, a
 * climber of a few sessions. A route read from the pair costs about what
 * a session of the climber does (callgrind: 13,500 and 11,900
 * instructions), so both are read from their indices in step, a route to
 * a session, and the side that runs out first drives: the reading stops
 * at the smaller side's size, which the recompute reads anyway, at a
 * fraction of the cost of each. */
static gboolean
scorecard_from_pair (TopoutStore *self,
                     const char  *competition_type,
                     const char  *competition_id,
                     const char  *climber_id)
{
  g_autoptr (TopoutStmt) routes = _topout_store_stmt (self,
                                                      "SELECT 1 FROM completions WHERE is_competition = 1"
                                                      " AND competition_type = ?1 AND competition_id = ?2",
                                                      NULL);
  g_autoptr (TopoutStmt) sessions = NULL;

  if (routes == NULL)
    return FALSE;
  sessions = _topout_store_stmt (self, "SELECT 1 FROM sessions WHERE climber_id = ?1", NULL);
  if (sessions == NULL)
    return FALSE;
  sqlite3_bind_text (routes, 1, competition_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (routes, 2, competition_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (sessions, 1, climber_id, -1, SQLITE_TRANSIENT);
  for (;;)
    {
      if (sqlite3_step (routes) != SQLITE_ROW)
        return TRUE;
      if (sqlite3_step (sessions) != SQLITE_ROW)
        return FALSE;
    }
}

gboolean
_topout_store_recompute_scorecard (TopoutStore  *self,
                                   const char   *competition_type,
                                   const char   *competition_id,
                                   const char   *climber_id,
                                   GError      **error)
{
  g_autoptr (TopoutStmt) del = NULL;
  g_autoptr (TopoutStmt) ins = NULL;

  if (competition_type == NULL || competition_id == NULL || climber_id == NULL)
    return TRUE;

  del = _topout_store_stmt (self,
                            "DELETE FROM scorecards WHERE competition_type = ?1"
                            " AND competition_id = ?2 AND climber_id = ?3",
                            error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_text (del, 1, competition_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (del, 2, competition_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (del, 3, climber_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (del) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "scorecard");
      return FALSE;
    }

  /* Either the pair's routes drive the lookup (by the pair's prefix of
   * completions_competition_session, each route's session by its id: the
   * unary + keeps sessions_climber_history out), or the climber's sessions
   * do (each looked up by (pair, session) in
   * completions_competition_session, schema version 4): the cost follows
   * the smaller of the two, neither the size of the competition nor one
   * climber's whole history. */
  if (scorecard_from_pair (self, competition_type, competition_id, climber_id))
    ins = _topout_store_stmt (self,
                              SCORECARD_SELECT ("AND p.competition_type = ?1 AND p.competition_id = ?2"
                                                " AND +s.climber_id = ?3"),
                              error);
  else
    ins = _topout_store_stmt (self,
                              SCORECARD_SELECT ("AND p.competition_type = ?1 AND p.competition_id = ?2"
                                                " AND p.session_id IN (SELECT id FROM sessions WHERE climber_id = ?3)"),
                              error);
  if (ins == NULL)
    return FALSE;
  sqlite3_bind_text (ins, 1, competition_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ins, 2, competition_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ins, 3, climber_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (ins) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "scorecard");
      return FALSE;
    }
  return TRUE;
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      const char  *path,
      GError     **error)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_FAILED,
                   _("Could not update the database “%s”: %s"), path, msg ? msg : "?");
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static int
read_user_version (sqlite3     *db,
                   const char  *path,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  else
    g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN,
                 _("“%s” cannot be read as a Topout database: %s"), path, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
has_foreign_tables (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_master LIMIT 1", -1, &stmt, NULL) == SQLITE_OK)
    found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

static gboolean
has_own_tables (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean own = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT count (*) FROM sqlite_master WHERE type = 'table'"
                              " AND name IN ('meta', 'climbers', 'sessions', 'completions')",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    own = sqlite3_column_int (stmt, 0) == 4;
  sqlite3_finalize (stmt);
  return own;
}

gboolean
_topout_store_migrate (TopoutStore  *self,
                       sqlite3      *db,
                       const char   *path,
                       GError      **error)
{
  int version = read_user_version (db, path, error);

  if (version < 0)
    return FALSE;

  if (version > TOPOUT_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Topout (schema %d; this version knows %d). "
                     "Update Topout to open it."),
                   path, version, TOPOUT_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  /* A versioned file of another program (topout-server's database has a
   * user_version too, and sessions and climbers): ours has these four. */
  if (version > 0 && !has_own_tables (db))
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN,
                   _("“%s” is an SQLite file of another program, not a Topout database. "
                     "It was left untouched."),
                   path);
      return FALSE;
    }

  if (version == 0 && has_foreign_tables (db))
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN,
                   _("“%s” is an SQLite file of another program, not a Topout database. "
                     "It was left untouched."),
                   path);
      return FALSE;
    }

  for (int next = version + 1; next <= TOPOUT_STORE_SCHEMA_VERSION; next++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d;", next);

      g_debug ("Migrating %s to schema %d", path, next);
      if (!exec (db, "BEGIN IMMEDIATE;", path, error))
        return FALSE;
      if (!exec (db, migration_sql (next), path, error) ||
          !exec (db, set_version, path, error) ||
          !exec (db, "COMMIT;", path, error))
        {
          sqlite3_exec (db, "ROLLBACK;", NULL, NULL, NULL);
          return FALSE;
        }
    }

  return TRUE;
}

/* The indexes an import into a new database builds after its rows
 * (topout_import_sessions_to_new()): History's, the sync queue's and the
 * routes by climb and by session. An import that keeps them up row by row
 * dirties a page of each for nearly every row (random dates, climbs and
 * ids); built once at the end, each is one sort. The import's own lookups
 * keep theirs: sessions and routes by id (their keys), sessions by climber
 * and competition routes (scorecards), the one active session of a
 * climber (rule 1), the import journal's. */
static const char *const deferred_indexes[] = {
  "sessions_history",
  "sessions_type_history",
  "sessions_sync_history",
  "sessions_type_sync_history",
  "sessions_due",
  "completions_climb",
  "completions_session",
};

GPtrArray *
_topout_store_drop_deferred_indexes (TopoutStore  *self,
                                     GError      **error)
{
  sqlite3 *db = _topout_store_get_db (self);
  g_autoptr (GPtrArray) created = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (deferred_indexes); i++)
    {
      g_autofree char *drop = NULL;

      /* Read, and the statement done with, before the schema changes. */
      {
        g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                          "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1",
                                                          error);

        if (stmt == NULL)
          return NULL;
        sqlite3_bind_text (stmt, 1, deferred_indexes[i], -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) != SQLITE_ROW)
          continue;
        g_ptr_array_add (created, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      }
      drop = g_strdup_printf ("DROP INDEX %s", deferred_indexes[i]);
      if (sqlite3_exec (db, drop, NULL, NULL, NULL) != SQLITE_OK)
        {
          _topout_store_set_error (self, error, "deferred index");
          return NULL;
        }
    }
  return g_steal_pointer (&created);
}

gboolean
_topout_store_create_indexes (TopoutStore  *self,
                              GPtrArray    *created,
                              GError      **error)
{
  sqlite3 *db = _topout_store_get_db (self);
  gboolean ok = TRUE;

  /* Each one a sort, by two threads (the second core would wait). */
  sqlite3_limit (db, SQLITE_LIMIT_WORKER_THREADS, 2);
  for (guint i = 0; ok && created != NULL && i < created->len; i++)
    if (sqlite3_exec (db, g_ptr_array_index (created, i), NULL, NULL, NULL) != SQLITE_OK)
      {
        _topout_store_set_error (self, error, "deferred index");
        ok = FALSE;
      }
  sqlite3_limit (db, SQLITE_LIMIT_WORKER_THREADS, 0);
  return ok;
}

gboolean
_topout_store_recompute_all_scorecards (TopoutStore  *self,
                                        GError      **error)
{
  g_autoptr (TopoutStmt) del = _topout_store_stmt (self, "DELETE FROM scorecards", error);
  g_autoptr (TopoutStmt) ins = NULL;

  if (del == NULL || sqlite3_step (del) != SQLITE_DONE)
    {
      if (del != NULL)
        _topout_store_set_error (self, error, "scorecards");
      return FALSE;
    }
  ins = _topout_store_stmt (self, SCORECARD_SELECT (""), error);
  if (ins == NULL || sqlite3_step (ins) != SQLITE_DONE)
    {
      if (ins != NULL)
        _topout_store_set_error (self, error, "scorecards");
      return FALSE;
    }
  return TRUE;
}
