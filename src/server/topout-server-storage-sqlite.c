/* topout-server-storage-sqlite.c — the embedded SQLite storage of topout-server.
 *
 * Synchronous; one connection is used by one thread at a time (the server
 * writes on its writer thread with a connection of its own);
 * one write transaction per request (BEGIN IMMEDIATE), a SAVEPOINT per
 * session, UNIQUE(client_id) decides duplicates.
 */
#define G_LOG_DOMAIN "topout-server-storage"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "topout-scorecard-sql.h"
#include "topout-server-storage.h"

/* Who a scorecard row is of: the member code identifies a person across
 * devices (SPEC §2: two kiosks each have their own climber id for the same
 * member), compared without case as the app compares it; a climber without
 * one is only that climber id. The prefixes keep the two apart. */
#define SERVER_PERSON \
  "CASE WHEN k.member_code IS NULL THEN 'id:' || s.climber_id ELSE 'code:' || upper (k.member_code) END"

/* The scorecard rows (topout-scorecard-sql.h) from the server's routes, one
 * per person; a route without a logging time counts at its session's start. */
#define SERVER_SCORECARD_INSERT(FILTER) \
  TOPOUT_SCORECARD_INSERT_SQL ("routes", "coalesce (p.logged_at, s.start_time)", "person", SERVER_PERSON, \
                               "LEFT JOIN climbers k ON k.id = s.climber_id", FILTER)

typedef struct {
  TopoutServerStorage  parent;
  sqlite3             *db;
  GHashTable          *statements;   /* SQL text → sqlite3_stmt*, prepared once */
  gboolean             moved_out;    /* the file went from its path, its WAL emptied into it */
} SqliteStorage;

#define STORAGE_ERROR TOPOUT_SERVER_STORAGE_ERROR

G_DEFINE_QUARK (topout-server-storage-error, topout_server_storage_error)

/* The schema, versioned with PRAGMA user_version like the app's: each
 * migration runs in one transaction that also sets the version. */
#define SCHEMA_VERSION 4

/* Version 1: the first schema. A file from before versioning (user_version
 * 0 with these tables) has all of it already. */
static const char schema_v1[] =
  "CREATE TABLE IF NOT EXISTS tokens ("
  "  name TEXT PRIMARY KEY,"
  "  hash TEXT NOT NULL UNIQUE,"
  "  created_at INTEGER NOT NULL,"
  "  revoked_at INTEGER);"
  "CREATE TABLE IF NOT EXISTS climbers ("
  "  id TEXT PRIMARY KEY,"
  "  member_code TEXT,"
  "  display_name TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS sessions ("
  "  id TEXT PRIMARY KEY,"
  "  client_id TEXT UNIQUE,"
  "  owner TEXT NOT NULL,"
  "  device_id TEXT,"
  "  revision INTEGER NOT NULL,"
  "  content_hash TEXT NOT NULL,"
  "  climber_id TEXT,"
  "  type TEXT NOT NULL,"
  "  custom_label TEXT,"
  "  name TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  start_time INTEGER NOT NULL,"
  "  end_time INTEGER,"
  "  session_date TEXT NOT NULL,"
  "  time_slot TEXT,"
  "  is_retroactive INTEGER NOT NULL,"
  "  is_at_gym INTEGER,"
  "  is_competition INTEGER NOT NULL,"
  "  competition_type TEXT,"
  "  competition_id TEXT,"
  "  notes TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS routes ("
  "  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  client_id TEXT,"
  "  climb_id TEXT NOT NULL,"
  "  grade TEXT,"
  "  is_success INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL,"
  "  notes TEXT NOT NULL,"
  "  logged_at INTEGER,"
  "  is_competition INTEGER NOT NULL,"
  "  competition_type TEXT,"
  "  competition_id TEXT,"
  "  PRIMARY KEY (session_id, position));"
  "CREATE TABLE IF NOT EXISTS scorecards ("
  "  competition_id TEXT NOT NULL,"
  "  climber_id TEXT NOT NULL,"
  "  n_routes INTEGER NOT NULL,"
  "  n_tops INTEGER NOT NULL,"
  "  n_attempts_to_top INTEGER NOT NULL,"
  "  PRIMARY KEY (competition_id, climber_id));"
  "CREATE INDEX IF NOT EXISTS sessions_climber ON sessions(climber_id, competition_id);";

/* Version 2: the scorecards of SPEC §2, as the app derives them (one row per
 * competition pair, climber and climb; version 1 had one per competition id
 * and climber, counting cancelled sessions), back-filled from the routes.
 * They are rebuilt per pair and climber from the pair's routes, through an
 * index on the pair (version 1 read every session of the climber). */
static const char schema_v2[] =
  "DROP TABLE scorecards;"
  "DROP INDEX sessions_climber;"
  TOPOUT_SCORECARD_TABLE_SQL ("climber_id", "", "")
  "CREATE INDEX routes_competition ON routes (competition_type, competition_id) WHERE is_competition = 1;";

/* Version 3: scorecards of people (SERVER_PERSON) instead of climber ids,
 * rebuilt from the routes (version 2's are not built: 3 follows at once). */
static const char schema_v3[] =
  "DROP TABLE scorecards;"
  TOPOUT_SCORECARD_TABLE_SQL ("person", "", "")
  SERVER_SCORECARD_INSERT ("") ";";

/* Version 4: a token re-issued under a revoked one's name (`token revoke
 * NAME`, then `token add NAME`: a kiosk's token rotated, or a lost kiosk's
 * replaced) is that device's token: the revoked one names it, so that the
 * sessions the device sent before stay its own. */
static const char schema_v4[] =
  "ALTER TABLE tokens ADD COLUMN reissued_as TEXT;";

static gboolean
sql_fail (SqliteStorage *self,
          GError       **error,
          const char    *what)
{
  g_set_error (error, STORAGE_ERROR, TOPOUT_SERVER_STORAGE_ERROR_FAILED,
               "%s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec (SqliteStorage *self,
      const char    *sql,
      GError       **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sql_fail (self, error, sql);
  return TRUE;
}

/* The statement for @sql, prepared on first use and kept (a request runs
 * the same few statements for every session: preparing them each time cost
 * more than running them). Reset and unbound; reset again when the
 * g_auto variable holding it goes out of scope. */
static sqlite3_stmt *
prepare (SqliteStorage *self,
         const char    *sql,
         GError       **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      sql_fail (self, error, "prepare");
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

typedef sqlite3_stmt *sqlite3_stmt_ptr;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (sqlite3_stmt_ptr, sqlite3_reset, NULL)

static void
bind_text (sqlite3_stmt *stmt,
           int           i,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, i);
}

static void
bind_time (sqlite3_stmt *stmt,
           int           i,
           gint64        t)
{
  if (t != 0)
    sqlite3_bind_int64 (stmt, i, t);
  else
    sqlite3_bind_null (stmt, i);
}

/* Whether the file open is still the one at the path it was opened by:
 * FALSE with GONE once it was deleted, or another file (a backup) was
 * moved over it. A stat() of the path (SQLite's own test): a few
 * microseconds, once a request.
 *
 * The WAL and its index stay at the path, beside whatever file is there
 * now, and SQLite leaves them there on closing a moved file: what was
 * committed (sessions whose devices were told "created") would be lost
 * to the file moved away, and read into the next file opened at the path
 * (a restored backup) as if it were that file's pages. So once found
 * moved, the WAL is emptied into the file moved away, which keeps all it
 * was told, and nothing is left to spoil the next. */
static gboolean
still_at_its_path (SqliteStorage *self,
                   GError       **error)
{
  int moved = 0;

  if (sqlite3_file_control (self->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK || !moved)
    return TRUE;
  if (!self->moved_out && sqlite3_get_autocommit (self->db))
    {
      sqlite3_stmt *stmt = NULL;

      /* Done once no transaction of another connection is in the way (its
       * commit comes first; "busy" is retried by the next call). */
      if (sqlite3_prepare_v2 (self->db, "PRAGMA wal_checkpoint (TRUNCATE)", -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 0)
        self->moved_out = TRUE;
      sqlite3_finalize (stmt);
    }
  g_set_error_literal (error, STORAGE_ERROR, TOPOUT_SERVER_STORAGE_ERROR_GONE,
                       sqlite3_db_filename (self->db, "main"));
  return FALSE;
}

/* Tokens ------------------------------------------------------------------ */

void
topout_server_token_free (TopoutServerToken *token)
{
  if (token == NULL)
    return;
  g_free (token->name);
  g_free (token);
}

static char *
sqlite_token_check (TopoutServerStorage *storage,
                    const char          *token_hash,
                    GError             **error)
{
  SqliteStorage *self = (SqliteStorage *) storage;
  g_auto (sqlite3_stmt_ptr) stmt = prepare (self, "SELECT name FROM tokens WHERE hash = ?1 AND revoked_at IS NULL", error);
  int rc;

  if (stmt == NULL || !still_at_its_path (self, error))
    return NULL;
  bind_text (stmt, 1, token_hash);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    sql_fail (self, error, "token check");
  return NULL;
}

/* The first pages of the tables and indices a request reads, through the
 * same indices (a damaged or unreadable file fails here). */
static gboolean
sqlite_ping (TopoutServerStorage *storage,
             GError             **error)
{
  SqliteStorage *self = (SqliteStorage *) storage;
  g_auto (sqlite3_stmt_ptr) stmt =
    prepare (self,
             "SELECT (SELECT count (*) FROM tokens WHERE hash = '')"
             " + (SELECT count (*) FROM sessions WHERE client_id = '')",
             error);

  if (stmt == NULL || !still_at_its_path (self, error))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return sql_fail (self, error, "health check");
  return TRUE;
}

static gboolean
sqlite_token_add (TopoutServerStorage *storage,
                  const char          *name,
                  const char          *token_hash,
                  GError             **error)
{
  SqliteStorage *self = (SqliteStorage *) storage;
  g_auto (sqlite3_stmt_ptr) retire = NULL;
  g_auto (sqlite3_stmt_ptr) stmt = NULL;

  /* A revoked token's name is free again (a lost kiosk's token is
   * re-issued under its name): the revoked one keeps its row, and is
   * listed as "NAME (revoked WHEN)", WHEN to the millisecond (a name
   * rotated twice within a second). The hash stays unknown to checks;
   * the new token is the device's now (owns_by_reissue()). */
  retire = prepare (self,
                    "UPDATE tokens SET name = name || ' (revoked '"
                    " || strftime ('%Y-%m-%dT%H:%M:%fZ', revoked_at / 1000000.0, 'unixepoch') || ')',"
                    " reissued_as = ?2"
                    " WHERE name = ?1 AND revoked_at IS NOT NULL",
                    error);
  if (retire == NULL)
    return FALSE;
  bind_text (retire, 1, name);
  bind_text (retire, 2, token_hash);
  if (sqlite3_step (retire) != SQLITE_DONE)
    return sql_fail (self, error, "token add");
  stmt = prepare (self, "INSERT INTO tokens (name, hash, created_at) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, name);
  bind_text (stmt, 2, token_hash);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_PRIMARYKEY ||
          sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
        {
          g_set_error_literal (error, STORAGE_ERROR, TOPOUT_SERVER_STORAGE_ERROR_NAME_TAKEN, name);
          return FALSE;
        }
      return sql_fail (self, error, "token add");
    }
  return TRUE;
}

static gboolean
sqlite_token_revoke (TopoutServerStorage *storage,
                     const char          *name,
                     GError             **error)
{
  SqliteStorage *self = (SqliteStorage *) storage;
  g_auto (sqlite3_stmt_ptr) stmt =
    prepare (self, "UPDATE tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, name);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_fail (self, error, "token revoke");
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, STORAGE_ERROR, TOPOUT_SERVER_STORAGE_ERROR_NO_SUCH_TOKEN, name);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
sqlite_token_list (TopoutServerStorage *storage,
                   GError             **error)
{
  SqliteStorage *self = (SqliteStorage *) storage;
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) topout_server_token_free);
  g_auto (sqlite3_stmt_ptr) stmt =
    prepare (self, "SELECT name, created_at, revoked_at FROM tokens ORDER BY name", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TopoutServerToken *t = g_new0 (TopoutServerToken, 1);
      t->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      t->created_at = sqlite3_column_int64 (stmt, 1);
      t->revoked_at = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (out, t);
    }
  if (rc != SQLITE_DONE)
    {
      sql_fail (self, error, "token list");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* Requests ---------------------------------------------------------------- */

static gboolean
sqlite_begin (TopoutServerStorage *storage,
              GError             **error)
{
  SqliteStorage *self = (SqliteStorage *) storage;

  return still_at_its_path (self, error) && exec (self, "BEGIN IMMEDIATE", error);
}

static gboolean
sqlite_commit (TopoutServerStorage *storage,
               GError             **error)
{
  return exec ((SqliteStorage *) storage, "COMMIT", error);
}

static void
sqlite_rollback (TopoutServerStorage *storage)
{
  SqliteStorage *self = (SqliteStorage *) storage;

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* The climber a session names, as the device knows them: a row the first
 * time, updated (with its time) only when the name or member code changed,
 * not rewritten by every session of theirs. */
static gboolean
write_climber (SqliteStorage *self,
               TopoutClimber *climber,
               GError       **error)
{
  g_auto (sqlite3_stmt_ptr) stmt = NULL;

  if (climber == NULL)
    return TRUE;
  stmt = prepare (self,
                  "INSERT INTO climbers (id, member_code, display_name, updated_at) VALUES (?1, ?2, ?3, ?4)"
                  " ON CONFLICT(id) DO UPDATE SET member_code = ?2, display_name = ?3, updated_at = ?4"
                  " WHERE member_code IS NOT ?2 OR display_name IS NOT ?3",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, topout_climber_get_id (climber));
  bind_text (stmt, 2, topout_climber_get_member_code (climber));
  bind_text (stmt, 3, topout_climber_get_display_name (climber));
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_fail (self, error, "climber");
  return TRUE;
}

/* Text that stays alive until the statement has run (the items' strings):
 * bound without SQLite's copy. */
static void
bind_static (sqlite3_stmt *stmt,
             int           i,
             const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, i);
}

/* Binds the session columns ?3.. of both the INSERT and the UPDATE. */
static void
bind_session (sqlite3_stmt   *stmt,
              TopoutWireItem *item,
              const char     *content_hash)
{
  TopoutSession *s = item->session;
  int at_gym = topout_session_get_at_gym (s);

  bind_static (stmt, 3, item->device_id);
  sqlite3_bind_int64 (stmt, 4, topout_session_get_revision (s));
  bind_static (stmt, 5, content_hash);
  bind_static (stmt, 6, topout_session_get_climber_id (s));
  bind_static (stmt, 7, topout_session_type_to_key (topout_session_get_session_type (s)));
  bind_static (stmt, 8, topout_session_get_custom_label (s));
  bind_static (stmt, 9, topout_session_get_name (s));
  bind_static (stmt, 10, topout_session_status_to_key (topout_session_get_status (s)));
  sqlite3_bind_int64 (stmt, 11, topout_session_get_started_at (s));
  bind_time (stmt, 12, topout_session_get_ended_at (s));
  bind_static (stmt, 13, topout_session_get_session_date (s));
  bind_static (stmt, 14, topout_time_slot_to_key (topout_session_get_time_slot (s)));
  sqlite3_bind_int (stmt, 15, topout_session_get_is_retroactive (s));
  if (at_gym < 0)
    sqlite3_bind_null (stmt, 16);
  else
    sqlite3_bind_int (stmt, 16, at_gym);
  sqlite3_bind_int (stmt, 17, topout_session_get_is_competition (s));
  bind_static (stmt, 18, topout_session_get_competition_type (s));
  bind_static (stmt, 19, topout_session_get_competition_id (s));
  bind_static (stmt, 20, topout_session_get_notes (s));
  sqlite3_bind_int64 (stmt, 21, g_get_real_time ());
}

static gboolean
write_routes (SqliteStorage  *self,
              const char     *session_id,
              TopoutSession  *session,
              gboolean        replace,
              GError        **error)
{
  GPtrArray *completions = topout_session_get_completions (session);
  g_auto (sqlite3_stmt_ptr) ins = NULL;

  /* A session row made in this savepoint has no routes yet. */
  if (replace)
    {
      g_auto (sqlite3_stmt_ptr) del = prepare (self, "DELETE FROM routes WHERE session_id = ?1", error);

      if (del == NULL)
        return FALSE;
      bind_static (del, 1, session_id);
      if (sqlite3_step (del) != SQLITE_DONE)
        return sql_fail (self, error, "routes delete");
    }

  ins = prepare (self,
                 "INSERT INTO routes (session_id, position, client_id, climb_id, grade, is_success, attempts,"
                 " notes, logged_at, is_competition, competition_type, competition_id)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", error);
  if (ins == NULL)
    return FALSE;
  for (guint i = 0; completions != NULL && i < completions->len; i++)
    {
      TopoutCompletion *c = g_ptr_array_index (completions, i);

      sqlite3_reset (ins);
      bind_static (ins, 1, session_id);
      sqlite3_bind_int (ins, 2, (int) i);
      bind_static (ins, 3, topout_completion_get_id (c));
      bind_static (ins, 4, topout_completion_get_climb_id (c));
      bind_static (ins, 5, topout_completion_get_grade (c));
      sqlite3_bind_int (ins, 6, topout_completion_get_is_success (c));
      sqlite3_bind_int (ins, 7, (int) topout_completion_get_attempts (c));
      bind_static (ins, 8, topout_completion_get_notes (c) ? topout_completion_get_notes (c) : "");
      bind_time (ins, 9, topout_completion_get_logged_at (c));
      sqlite3_bind_int (ins, 10, topout_completion_get_is_competition (c));
      bind_static (ins, 11, topout_completion_get_competition_type (c));
      bind_static (ins, 12, topout_completion_get_competition_id (c));
      if (sqlite3_step (ins) != SQLITE_DONE)
        return sql_fail (self, error, "route");
    }
  return TRUE;
}

/* Competition pairs are kept as "type\xffid" keys of a set: the byte 0xff
 * is never in UTF-8 text, while a control character may well be in a pair. */
static void
add_pair (GHashTable *pairs,
          const char *type,
          const char *id)
{
  if (type != NULL && id != NULL)
    g_hash_table_add (pairs, g_strconcat (type, "\xff", id, NULL));
}

/* The pairs @sql (?1 @id) selects, added to @pairs. */
static gboolean
collect_pairs (SqliteStorage *self,
               const char    *sql,
               const char    *id,
               GHashTable    *pairs,
               GError       **error)
{
  g_auto (sqlite3_stmt_ptr) stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_pair (pairs, (const char *) sqlite3_column_text (stmt, 0), (const char *) sqlite3_column_text (stmt, 1));
  if (rc != SQLITE_DONE)
    return sql_fail (self, error, "competitions");
  return TRUE;
}

/* The pairs the stored routes of a session (?1) count in (before an update:
 * the scorecards of the old pairs are rebuilt as well as the new ones). */
#define SESSION_PAIRS_SQL \
  "SELECT DISTINCT competition_type, competition_id FROM routes WHERE session_id = ?1 AND is_competition = 1"

/* The pairs of every competition route of a climber's (?1) sessions,
 * through the index of competition routes: a member code changes rarely. */
#define CLIMBER_PAIRS_SQL \
  "SELECT DISTINCT p.competition_type, p.competition_id FROM routes p" \
  " JOIN sessions s ON s.id = p.session_id WHERE p.is_competition = 1 AND s.climber_id = ?1"

/* The pairs of the routes about to be written, from the session itself. */
static void
collect_new_pairs (TopoutSession *session,
                   GHashTable    *pairs)
{
  GPtrArray *completions = topout_session_get_completions (session);

  for (guint i = 0; completions != NULL && i < completions->len; i++)
    {
      TopoutCompletion *c = g_ptr_array_index (completions, i);

      if (topout_completion_get_is_competition (c))
        add_pair (pairs, topout_completion_get_competition_type (c), topout_completion_get_competition_id (c));
    }
}

/* The person (SERVER_PERSON) @climber_id's scorecard rows are of, as the
 * climbers table has them now (NULL for no climber), and whether the table
 * has a row for them. */
static gboolean
person_of (SqliteStorage *self,
           const char    *climber_id,
           char         **person,
           gboolean      *known,
           GError       **error)
{
  g_auto (sqlite3_stmt_ptr) stmt = NULL;
  int rc;

  *person = NULL;
  *known = FALSE;
  if (climber_id == NULL)
    return TRUE;
  stmt = prepare (self,
                  "SELECT " SERVER_PERSON ", k.id IS NOT NULL FROM (SELECT ?1 AS climber_id) s"
                  " LEFT JOIN climbers k ON k.id = s.climber_id",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, climber_id);
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return sql_fail (self, error, "person");
  *person = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *known = sqlite3_column_int (stmt, 1) != 0;
  return TRUE;
}

/* Rebuilds the scorecard rows of @person (SERVER_PERSON) in each of @pairs. */
static gboolean
rebuild_scorecards (SqliteStorage *self,
                    const char    *person,
                    GHashTable    *pairs,
                    GError       **error)
{
  GHashTableIter iter;
  const char *pair;
  g_auto (sqlite3_stmt_ptr) del = NULL;
  g_auto (sqlite3_stmt_ptr) ins = NULL;

  if (person == NULL || g_hash_table_size (pairs) == 0)
    return TRUE;
  del = prepare (self,
                 "DELETE FROM scorecards WHERE competition_type = ?1 AND competition_id = ?2 AND person = ?3",
                 error);
  ins = prepare (self, SERVER_SCORECARD_INSERT (TOPOUT_SCORECARD_ONE_FILTER (SERVER_PERSON)), error);
  if (del == NULL || ins == NULL)
    return FALSE;

  g_hash_table_iter_init (&iter, pairs);
  while (g_hash_table_iter_next (&iter, (gpointer *) &pair, NULL))
    {
      const char *sep = strchr (pair, '\xff');
      int type_len = (int) (sep - pair);

      sqlite3_reset (del);
      sqlite3_reset (ins);
      sqlite3_bind_text (del, 1, pair, type_len, SQLITE_STATIC);
      bind_static (del, 2, sep + 1);
      bind_static (del, 3, person);
      sqlite3_bind_text (ins, 1, pair, type_len, SQLITE_STATIC);
      bind_static (ins, 2, sep + 1);
      bind_static (ins, 3, person);
      if (sqlite3_step (del) != SQLITE_DONE || sqlite3_step (ins) != SQLITE_DONE)
        return sql_fail (self, error, "scorecards");
    }
  return TRUE;
}

/* Writes @item's climber, and *@person becomes the person their rows are
 * of. When that changes (a member code given, corrected or taken away), the
 * rows of every pair the climber's stored sessions count in move from the
 * old person to the new one. A climber new to the server has no sessions
 * here yet (a session with a climber always brings its row). */
static gboolean
write_climber_and_regroup (SqliteStorage  *self,
                           TopoutWireItem *item,
                           char          **person,
                           GError        **error)
{
  const char *climber_id = item->climber != NULL ? topout_climber_get_id (item->climber)
                                                 : topout_session_get_climber_id (item->session);
  g_autofree char *before = NULL;
  g_autoptr (GHashTable) pairs = NULL;
  gboolean known, known_after;

  if (!person_of (self, climber_id, &before, &known, error) ||
      !write_climber (self, item->climber, error) ||
      !person_of (self, climber_id, person, &known_after, error))
    return FALSE;
  if (!known || g_strcmp0 (before, *person) == 0)
    return TRUE;
  pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return collect_pairs (self, CLIMBER_PAIRS_SQL, climber_id, pairs, error) &&
         rebuild_scorecards (self, before, pairs, error) &&
         rebuild_scorecards (self, *person, pairs, error);
}

typedef enum { FOUND_NONE, FOUND_ROW, FOUND_ERROR } Found;

static Found
find_by_client_id (SqliteStorage *self,
                   const char    *client_id,
                   char         **id,
                   char         **owner,
                   gint64        *revision,
                   char         **hash,
                   char         **climber_id,
                   GError       **error)
{
  g_auto (sqlite3_stmt_ptr) stmt =
    prepare (self, "SELECT id, owner, revision, content_hash, climber_id FROM sessions WHERE client_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FOUND_ERROR;
  bind_text (stmt, 1, client_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return FOUND_NONE;
  if (rc != SQLITE_ROW)
    {
      sql_fail (self, error, "find");
      return FOUND_ERROR;
    }
  *id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *owner = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  *revision = sqlite3_column_int64 (stmt, 2);
  *hash = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  *climber_id = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  return FOUND_ROW;
}

/* Whether @owner, a token's hash, was re-issued (once or more, each time
 * under the name of the one before) as the token @token: the device whose
 * token was rotated still owns what it sent. Asked only when a clientId
 * comes from a token other than its owner. */
static Found
owns_by_reissue (SqliteStorage *self,
                 const char    *owner,
                 const char    *token,
                 GError       **error)
{
  g_autofree char *current = g_strdup (owner);

  /* Each step a revoked token; a chain longer than this is not a device's. */
  for (guint step = 0; step < 1000; step++)
    {
      g_auto (sqlite3_stmt_ptr) stmt =
        prepare (self, "SELECT reissued_as FROM tokens WHERE hash = ?1 AND revoked_at IS NOT NULL", error);
      int rc;

      if (stmt == NULL)
        return FOUND_ERROR;
      bind_text (stmt, 1, current);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE || (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_NULL))
        return FOUND_NONE;
      if (rc != SQLITE_ROW)
        {
          sql_fail (self, error, "token lineage");
          return FOUND_ERROR;
        }
      g_free (current);
      current = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (g_strcmp0 (current, token) == 0)
        return FOUND_ROW;
    }
  return FOUND_NONE;
}

static const char insert_sql[] =
  "INSERT INTO sessions (id, client_id, device_id, revision, content_hash, climber_id, type,"
  " custom_label, name, status, start_time, end_time, session_date, time_slot, is_retroactive,"
  " is_at_gym, is_competition, competition_type, competition_id, notes, created_at, updated_at, owner)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
  " ?21, ?21, ?22) ON CONFLICT(client_id) DO NOTHING";

static const char update_sql[] =
  "UPDATE sessions SET device_id = ?3, revision = ?4, content_hash = ?5, climber_id = ?6, type = ?7,"
  " custom_label = ?8, name = ?9, status = ?10, start_time = ?11, end_time = ?12, session_date = ?13,"
  " time_slot = ?14, is_retroactive = ?15, is_at_gym = ?16, is_competition = ?17,"
  " competition_type = ?18, competition_id = ?19, notes = ?20, updated_at = ?21"
  " WHERE id = ?1 AND client_id IS ?2";

/* Inside the item's savepoint. */
static gboolean
upsert_in_savepoint (SqliteStorage    *self,
                     const char       *owner,
                     TopoutWireItem   *item,
                     const char       *content_hash,
                     TopoutWireResult *result,
                     GError          **error)
{
  g_autoptr (GHashTable) pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *client_id = item->client_id;
  gint64 revision = topout_session_get_revision (item->session);
  g_autofree char *new_id = NULL;

  for (int round = 0; round < 2; round++)
    {
      g_autofree char *id = NULL, *row_owner = NULL, *hash = NULL, *old_climber = NULL;
      g_autofree char *old_person = NULL, *person = NULL;
      g_auto (sqlite3_stmt_ptr) stmt = NULL;
      gint64 stored_revision = 0;
      gboolean known;
      Found found = FOUND_NONE;

      if (client_id != NULL)
        found = find_by_client_id (self, client_id, &id, &row_owner, &stored_revision, &hash, &old_climber, error);
      if (found == FOUND_ERROR)
        return FALSE;

      if (found == FOUND_ROW)
        {
          Found reissued = FOUND_NONE;

          if (g_strcmp0 (row_owner, owner) != 0 &&
              (reissued = owns_by_reissue (self, row_owner, owner, error)) == FOUND_ERROR)
            return FALSE;
          if (reissued == FOUND_ROW)
            {
              g_auto (sqlite3_stmt_ptr) own = prepare (self, "UPDATE sessions SET owner = ?2 WHERE id = ?1", error);

              if (own == NULL)
                return FALSE;
              bind_text (own, 1, id);
              bind_text (own, 2, owner);
              if (sqlite3_step (own) != SQLITE_DONE)
                return sql_fail (self, error, "owner");
            }
          else if (g_strcmp0 (row_owner, owner) != 0)
            {
              result->status = TOPOUT_WIRE_STATUS_REJECTED;
              result->error_code = g_strdup (topout_wire_error_to_code (TOPOUT_WIRE_ERROR_FOREIGN_CLIENT_ID));
              result->error_message = g_strdup ("This clientId belongs to another device token");
              return TRUE;
            }
          result->session_id = g_strdup (id);
          if (revision == stored_revision &&
              (g_strcmp0 (hash, content_hash) == 0 ||
               (hash != NULL && !g_str_has_prefix (hash, TOPOUT_SYNC_CONTENT_HASH_PREFIX) &&
                topout_sync_content_hash_matches (item, hash))))
            {
              result->status = TOPOUT_WIRE_STATUS_UNCHANGED;
              result->revision = stored_revision;
              return TRUE;
            }
          if (revision <= stored_revision)
            {
              result->status = TOPOUT_WIRE_STATUS_CONFLICT;
              result->revision = stored_revision;
              return TRUE;
            }

          /* A higher revision replaces the stored one, routes included. */
          if (!collect_pairs (self, SESSION_PAIRS_SQL, id, pairs, error) ||
              !person_of (self, old_climber, &old_person, &known, error) ||
              !write_climber_and_regroup (self, item, &person, error))
            return FALSE;
          stmt = prepare (self, update_sql, error);
          if (stmt == NULL)
            return FALSE;
          bind_text (stmt, 1, id);
          bind_text (stmt, 2, client_id);
          bind_session (stmt, item, content_hash);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            return sql_fail (self, error, "session update");
          collect_new_pairs (item->session, pairs);
          if (!write_routes (self, id, item->session, TRUE, error) ||
              !rebuild_scorecards (self, old_person, pairs, error) ||
              (g_strcmp0 (old_person, person) != 0 && !rebuild_scorecards (self, person, pairs, error)))
            return FALSE;
          result->status = TOPOUT_WIRE_STATUS_UPDATED;
          result->revision = revision;
          return TRUE;
        }

      /* New: the unique key decides if another writer got there first. */
      if (!write_climber_and_regroup (self, item, &person, error))
        return FALSE;
      /* The time first, then a random UUID: ids sort by creation, so new
       * sessions and their routes (keyed by it) go at the end of their
       * indices instead of at random pages of them (a request dirtied a
       * page per session in each; scenario 5 stores 15 % more a second). */
      {
        g_autofree char *uuid = g_uuid_string_random ();
        new_id = g_strdup_printf ("srv-%013" G_GINT64_MODIFIER "x-%s", g_get_real_time (), uuid);
      }
      stmt = prepare (self, insert_sql, error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, new_id);
      bind_text (stmt, 2, client_id);
      bind_session (stmt, item, content_hash);
      bind_text (stmt, 22, owner);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return sql_fail (self, error, "session insert");
      if (sqlite3_changes (self->db) == 0)
        {
          g_clear_pointer (&new_id, g_free);
          continue;  /* a concurrent insert of the same clientId: classify against it */
        }
      collect_new_pairs (item->session, pairs);
      if (!write_routes (self, new_id, item->session, FALSE, error) ||
          !rebuild_scorecards (self, person, pairs, error))
        return FALSE;
      result->status = TOPOUT_WIRE_STATUS_CREATED;
      result->session_id = g_steal_pointer (&new_id);
      result->revision = revision;
      return TRUE;
    }

  g_set_error_literal (error, STORAGE_ERROR, TOPOUT_SERVER_STORAGE_ERROR_FAILED, "clientId kept changing under us");
  return FALSE;
}

/* A statement without parameters or rows, prepared once. */
static gboolean
step_once (SqliteStorage *self,
           const char    *sql,
           GError       **error)
{
  g_auto (sqlite3_stmt_ptr) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_fail (self, error, sql);
  return TRUE;
}

static gboolean
sqlite_upsert (TopoutServerStorage *storage,
               const char          *owner,
               TopoutWireItem      *item,
               const char          *content_hash,
               TopoutWireResult    *result,
               GError             **error)
{
  SqliteStorage *self = (SqliteStorage *) storage;

  g_return_val_if_fail (item->session != NULL, FALSE);

  if (!step_once (self, "SAVEPOINT item", error))
    return FALSE;
  if (upsert_in_savepoint (self, owner, item, content_hash, result, error))
    {
      if (step_once (self, "RELEASE item", error))
        return TRUE;
    }
  sqlite3_exec (self->db, "ROLLBACK TO item; RELEASE item", NULL, NULL, NULL);
  return FALSE;
}

static void
sqlite_close (TopoutServerStorage *storage)
{
  SqliteStorage *self = (SqliteStorage *) storage;

  if (self == NULL)
    return;
  /* A file moved away meanwhile, and not yet found so. */
  if (self->db != NULL)
    still_at_its_path (self, NULL);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  sqlite3_close_v2 (self->db);
  g_free (self);
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* PRAGMA quick_check: the B-trees and their pages, not the indexes'
 * content (seconds on a large file, once at start). */
static gboolean
sqlite_check (TopoutServerStorage *storage,
              GError             **error)
{
  SqliteStorage *self = (SqliteStorage *) storage;
  sqlite3_stmt *stmt = NULL;
  const char *first;
  gboolean ok;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA quick_check (1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  first = rc == SQLITE_ROW ? (const char *) sqlite3_column_text (stmt, 0) : sqlite3_errmsg (self->db);
  ok = rc == SQLITE_ROW && g_strcmp0 (first, "ok") == 0;
  if (!ok)
    g_set_error_literal (error, STORAGE_ERROR, TOPOUT_SERVER_STORAGE_ERROR_DAMAGED, first);
  sqlite3_finalize (stmt);
  return ok;
}

static const TopoutServerStorageVTable sqlite_vtable = {
  .close = sqlite_close,
  .check = sqlite_check,
  .ping = sqlite_ping,
  .token_check = sqlite_token_check,
  .token_add = sqlite_token_add,
  .token_revoke = sqlite_token_revoke,
  .token_list = sqlite_token_list,
  .begin = sqlite_begin,
  .upsert = sqlite_upsert,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
};

/* The first column of the first row of @sql (a count, a pragma), -1 on failure. */
static gint64
count_rows (SqliteStorage *self,
            const char    *sql,
            GError       **error)
{
  g_auto (sqlite3_stmt_ptr) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sql_fail (self, error, sql);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static int
user_version (SqliteStorage *self)
{
  return (int) count_rows (self, "PRAGMA user_version", NULL);
}

/* Brings the file to SCHEMA_VERSION, one migration at a time. The version
 * is read again inside each transaction: another process (a token command
 * beside the server) may have migrated the file meanwhile. */
static gboolean
migrate (SqliteStorage  *self,
         const char     *path,
         GError        **error)
{
  static const char *const migrations[] = { NULL, schema_v1, schema_v2, schema_v3, schema_v4 };

  G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SCHEMA_VERSION + 1);
  for (;;)
    {
      g_autofree char *set_version = NULL;
      int version;

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      version = user_version (self);
      if (version < 0 || version > SCHEMA_VERSION)
        {
          if (version < 0)
            sql_fail (self, error, "user_version");
          else
            g_set_error (error, STORAGE_ERROR, TOPOUT_SERVER_STORAGE_ERROR_NEWER,
                         "schema %d; this one knows %d", version, SCHEMA_VERSION);
          sqlite_rollback (&self->parent);
          return FALSE;
        }
      if (version == SCHEMA_VERSION)
        return exec (self, "COMMIT", error);

      g_debug ("Migrating %s to schema %d", path, version + 1);
      set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (sqlite3_exec (self->db, migrations[version + 1], NULL, NULL, NULL) != SQLITE_OK)
        {
          sql_fail (self, error, "schema migration");
          sqlite_rollback (&self->parent);
          return FALSE;
        }
      if (!exec (self, set_version, error) || !exec (self, "COMMIT", error))
        {
          sqlite_rollback (&self->parent);
          return FALSE;
        }
    }
}

/* The tables a topout-server file may hold. */
#define OWN_TABLES "'tokens', 'climbers', 'sessions', 'routes', 'scorecards'"

/* Whether the file at @path is the server's own (or empty), read before
 * anything is written to it: --db pointed at the app's database (which has
 * a user_version, sessions and climbers too) made a server that answered
 * every device 401 ("no such table: tokens"), and would have written into it. */
static gboolean
is_own_file (SqliteStorage *self,
             const char    *path,
             GError       **error)
{
  gint64 foreign, tokens, owner;

  if ((foreign = count_rows (self, "SELECT count (*) FROM sqlite_master WHERE type = 'table'"
                                   " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT IN (" OWN_TABLES ")",
                             error)) < 0 ||
      (tokens = count_rows (self, "SELECT count (*) FROM sqlite_master WHERE type = 'table' AND name = 'tokens'",
                            error)) < 0 ||
      (owner = count_rows (self, "SELECT count (*) FROM pragma_table_info ('sessions') WHERE name = 'owner'",
                           error)) < 0)
    return FALSE;
  /* Empty (a new file), or the tokens and the sessions of a server; a
   * newer server's file (migrate() refuses it) may have more tables. */
  if (foreign == 0 &&
      (count_rows (self, "SELECT count (*) FROM sqlite_master", NULL) == 0 || (tokens == 1 && owner == 1)))
    return TRUE;
  if (tokens == 1 && user_version (self) > SCHEMA_VERSION)
    return TRUE;
  g_set_error_literal (error, STORAGE_ERROR, TOPOUT_SERVER_STORAGE_ERROR_FOREIGN, path);
  return FALSE;
}

TopoutServerStorage *
topout_server_storage_sqlite_open (const char  *path,
                                   GError     **error)
{
  SqliteStorage *self = g_new0 (SqliteStorage, 1);

  self->parent.vtable = &sqlite_vtable;
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error_literal (error, STORAGE_ERROR, TOPOUT_SERVER_STORAGE_ERROR_CANNOT_OPEN,
                           self->db ? sqlite3_errmsg (self->db) : "out of memory");
      sqlite_close (&self->parent);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  /* The first read of the file: a file of another kind is named as such
   * ("PRAGMA journal_mode=WAL: file is not a database" named no file). */
  if (sqlite3_exec (self->db, "SELECT count (*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error_literal (error, STORAGE_ERROR,
                           sqlite3_errcode (self->db) == SQLITE_NOTADB ? TOPOUT_SERVER_STORAGE_ERROR_NOT_A_DATABASE
                                                                       : TOPOUT_SERVER_STORAGE_ERROR_CANNOT_OPEN,
                           sqlite3_errmsg (self->db));
      sqlite_close (&self->parent);
      return NULL;
    }
  if (!is_own_file (self, path, error) ||
      !exec (self, "PRAGMA journal_mode=WAL", error) ||
      !exec (self, "PRAGMA synchronous=FULL", error) ||
      !exec (self, "PRAGMA foreign_keys=ON", error) ||
      !migrate (self, path, error))
    {
      sqlite_close (&self->parent);
      return NULL;
    }
  return &self->parent;
}

char *
topout_server_hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}
