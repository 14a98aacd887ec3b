/* topout-store-sync.c — the pending queue and the results of a sync.
 *
 * The queue is the sessions table itself: sync_state says where each session
 * stands, sent_revision remembers what was in flight, so a crash at any point
 * leaves every session either synced or still due.
 */
#define G_LOG_DOMAIN "topout-store-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "topout-store-private.h"

/* Due: PENDING, or FAILED whose next attempt has come. Demo sessions and
 * never-sent cancelled ones are never PENDING, and are excluded here too. */
#define DUE_PENDING "s.sync_state = 'PENDING'"
#define DUE_FAILED  "s.sync_state = 'FAILED' AND s.next_attempt_at <= ?1"
#define DUE_REST \
  " AND s.is_demo = 0 AND s.status != 'ACTIVE'" \
  " AND NOT (s.status = 'CANCELLED' AND s.server_id IS NULL AND s.sent_revision = 0)"
#define DUE_WHERE " WHERE (" DUE_PENDING " OR (" DUE_FAILED "))" DUE_REST

/* The queue's order: oldest change first, then the row's age. Each half
 * walks sessions_due (sync_state, updated_at, and the rowid every index
 * ends with) in this order, and SQLite merges the two and stops at the
 * LIMIT: a batch reads its own rows, not every due session and a sort of
 * them (which made a long queue quadratic, batch after batch). */
#define DUE_SELECT(WHERE) \
  "SELECT " TOPOUT_SESSION_COLUMNS ", s.updated_at AS queue_time, s.rowid AS queue_order" \
  " FROM " TOPOUT_SESSION_FROM " WHERE " WHERE DUE_REST
#define DUE_ORDERED \
  DUE_SELECT (DUE_PENDING) " UNION ALL " DUE_SELECT (DUE_FAILED) " ORDER BY queue_time, queue_order"

GPtrArray *
topout_store_list_due_sessions_except (TopoutStore  *self,
                                       gint64        now,
                                       guint         limit,
                                       GHashTable   *except,
                                       GError      **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  g_autoptr (GPtrArray) result = NULL;
  sqlite3 *db;
  gboolean snapshot;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);

  /* The sessions and their completions as of one moment: read on a
   * connection of its own (the sync reads in a thread), a write of the app
   * could otherwise fall between them. */
  db = _topout_store_get_db (self);
  snapshot = sqlite3_get_autocommit (db) && sqlite3_exec (db, "BEGIN DEFERRED", NULL, NULL, NULL) == SQLITE_OK;

  /* At most |except| rows are skipped, so LIMIT limit + |except| still finds
   * @limit others; the loop stops reading once it has them. */
  stmt = _topout_store_stmt (self, DUE_ORDERED " LIMIT ?2", error);
  if (stmt == NULL)
    {
      if (snapshot)
        sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
      return NULL;
    }
  result = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, limit ? (gint64) limit + (except ? g_hash_table_size (except) : 0) : -1);
  while ((limit == 0 || result->len < limit) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TopoutSession *session = _topout_store_read_session (stmt);

      if (except != NULL && g_hash_table_contains (except, topout_session_get_id (session)))
        g_object_unref (session);
      else
        g_ptr_array_add (result, session);
    }
  /* A damaged page ends the walk as the queue's end would: not the same. */
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "list due sessions");
      sqlite3_reset (stmt);
      if (snapshot)
        sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
      return NULL;
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < result->len; i++)
    {
      TopoutSession *session = g_ptr_array_index (result, i);
      GPtrArray *completions = _topout_store_read_completions (self, topout_session_get_id (session), FALSE, error);

      if (completions == NULL)
        {
          if (snapshot)
            sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
          return NULL;
        }
      /* What the wire carries: no climb names. */
      topout_session_set_completions (session, completions);
    }
  if (snapshot)
    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  return g_steal_pointer (&result);
}

GPtrArray *
topout_store_list_due_sessions (TopoutStore *self,
                                gint64       now,
                                guint        limit)
{
  GPtrArray *result = topout_store_list_due_sessions_except (self, now, limit, NULL, NULL);

  return result != NULL ? result : g_ptr_array_new_with_free_func (g_object_unref);
}

guint
topout_store_count_due_sessions (TopoutStore *self,
                                 gint64       now)
{
  g_autoptr (TopoutStmt) stmt = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), 0);
  stmt = _topout_store_stmt (self, "SELECT count (*) FROM sessions s" DUE_WHERE, NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, now);
  return sqlite3_step (stmt) == SQLITE_ROW ? (guint) sqlite3_column_int (stmt, 0) : 0;
}

gboolean
topout_store_count_sync_backlog (TopoutStore  *self,
                                 guint        *n_pending,
                                 guint        *n_attention,
                                 GError      **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  stmt = _topout_store_stmt (self,
                             /* The counts the triggers keep (schema version 8). */
                             "SELECT (SELECT coalesce (sum (n), 0) FROM sync_counts"
                             "        WHERE state IN ('PENDING', 'SYNCING', 'FAILED')),"
                             " (SELECT coalesce (sum (n), 0) FROM sync_counts WHERE state IN ('REJECTED', 'CONFLICT'))",
                             error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _topout_store_set_error (self, error, "count pending");
      return FALSE;
    }
  if (n_pending != NULL)
    *n_pending = (guint) sqlite3_column_int (stmt, 0);
  if (n_attention != NULL)
    *n_attention = (guint) sqlite3_column_int (stmt, 1);
  return TRUE;
}

gboolean
topout_store_count_pending_full (TopoutStore  *self,
                                 guint        *n_pending,
                                 GError      **error)
{
  g_return_val_if_fail (n_pending != NULL, FALSE);
  return topout_store_count_sync_backlog (self, n_pending, NULL, error);
}

guint
topout_store_count_pending (TopoutStore *self)
{
  guint n_pending = 0;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), 0);
  if (!topout_store_count_pending_full (self, &n_pending, NULL))
    return 0;
  return n_pending;
}

gint64
topout_store_get_next_attempt_at (TopoutStore *self)
{
  g_autoptr (TopoutStmt) stmt = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), 0);
  stmt = _topout_store_stmt (self,
                             "SELECT coalesce (min (next_attempt_at), 0) FROM sessions WHERE sync_state = 'FAILED'",
                             NULL);
  if (stmt == NULL)
    return 0;
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* Runs @sql (binding ?1 to @session_id) and records the change. */
static gboolean
update_one (TopoutStore  *self,
            const char   *sql,
            const char   *session_id,
            GError      **error)
{
  g_autoptr (TopoutSession) before = NULL;
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (TopoutStmt) stmt = NULL;
  gboolean details = _topout_store_wants_details (self);

  /* Past the detailed changes a batch only needs the UPDATE itself. */
  if (details && (before = _topout_store_load_session (self, session_id, error)) == NULL)
    return FALSE;
  stmt = _topout_store_stmt (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "sync bookkeeping");
      return FALSE;
    }
  if (sqlite3_changes (_topout_store_get_db (self)) == 0)
    return TRUE;
  sqlite3_reset (stmt);
  if (!details)
    {
      _topout_store_note_sync_reset (self);
      return TRUE;
    }
  if (!(after = _topout_store_load_session (self, session_id, error)))
    return FALSE;
  _topout_store_note_sync_change (self, before, after);
  return TRUE;
}

gboolean
topout_store_mark_syncing (TopoutStore        *self,
                           const char * const *session_ids,
                           GError            **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);

  if (!_topout_store_begin (self, error))
    return FALSE;
  for (guint i = 0; session_ids != NULL && session_ids[i] != NULL; i++)
    if (!update_one (self,
                     "UPDATE sessions SET sync_state = 'SYNCING', sent_revision = revision"
                     " WHERE id = ?1 AND sync_state IN ('PENDING', 'FAILED')",
                     session_ids[i], error))
      {
        _topout_store_rollback (self);
        return FALSE;
      }
  return _topout_store_commit (self, error);
}

/* A session the server took: ?1 its id, ?2 the server's id, ?3 its revision. */
#define SYNCED_UPDATE \
  "UPDATE sessions SET sync_state = 'SYNCED', server_id = coalesce (?2, server_id)," \
  " server_revision = ?3, sync_attempts = 0, next_attempt_at = 0," \
  " last_error = NULL, last_error_code = NULL WHERE id = ?1"

static gboolean
apply_one (TopoutStore            *self,
           const TopoutSyncResult *r,
           GError                **error)
{
  g_autoptr (TopoutSession) before = NULL;
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (TopoutStmt) stmt = NULL;
  g_autoptr (GError) local_error = NULL;
  gboolean details = _topout_store_wants_details (self);
  gboolean synced;
  gint64 revision;

  if (details)
    before = _topout_store_load_session (self, r->session_id, &local_error);
  else if (r->kind == TOPOUT_SYNC_RESULT_SYNCED)
    {
      /* The common answer past the detailed changes: one UPDATE that finds
       * the row by its id once, for the revision that was sent. When it
       * matches no row (edited meanwhile, or gone), the path below decides. */
      stmt = _topout_store_stmt (self,
                                 SYNCED_UPDATE " AND revision = ?4",
                                 error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, r->session_id, -1, SQLITE_TRANSIENT);
      bind_text_or_null (stmt, 2, r->server_id);
      sqlite3_bind_int64 (stmt, 3, r->server_revision);
      sqlite3_bind_int64 (stmt, 4, r->sent_revision);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _topout_store_set_error (self, error, "apply sync result");
          return FALSE;
        }
      synced = sqlite3_changes (_topout_store_get_db (self)) > 0;
      sqlite3_reset (stmt);
      stmt = NULL;
      if (synced)
        {
          _topout_store_note_sync_reset (self);
          return TRUE;
        }
    }
  if (!details)
    {
      /* Past the detailed changes: the revision is all that is needed. */
      g_autoptr (TopoutStmt) rev = _topout_store_stmt (self, "SELECT revision FROM sessions WHERE id = ?1", error);

      if (rev == NULL)
        return FALSE;
      sqlite3_bind_text (rev, 1, r->session_id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (rev) == SQLITE_ROW)
        revision = sqlite3_column_int64 (rev, 0);
      else
        {
          g_message ("Sync result for unknown session %s ignored", r->session_id);
          return TRUE;
        }
    }
  if (details && before == NULL)
    {
      if (g_error_matches (local_error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_NOT_FOUND))
        {
          g_message ("Sync result for unknown session %s ignored", r->session_id);
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (details)
    revision = topout_session_get_revision (before);
  if (revision != r->sent_revision)
    {
      /* Edited while the batch was in flight: the edit stays due, but the
       * server's id is kept, and a cancellation of a session the server now
       * holds must reach it. */
      stmt = _topout_store_stmt (self,
                                 "UPDATE sessions SET server_id = coalesce (server_id, ?2),"
                                 " sync_state = CASE"
                                 "   WHEN sync_state = 'SYNCING' THEN 'PENDING'"
                                 "   WHEN status = 'CANCELLED' AND sync_state = 'LOCAL' AND is_demo = 0"
                                 "        AND coalesce (server_id, ?2) IS NOT NULL THEN 'PENDING'"
                                 "   ELSE sync_state END"
                                 " WHERE id = ?1",
                                 error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, r->session_id, -1, SQLITE_TRANSIENT);
      bind_text_or_null (stmt, 2, r->kind == TOPOUT_SYNC_RESULT_SYNCED || r->kind == TOPOUT_SYNC_RESULT_CONFLICT
                                    ? r->server_id : NULL);
    }
  else
    {
      switch (r->kind)
        {
        case TOPOUT_SYNC_RESULT_SYNCED:
          stmt = _topout_store_stmt (self,
                                     SYNCED_UPDATE,
                                     error);
          break;
        case TOPOUT_SYNC_RESULT_CONFLICT:
          stmt = _topout_store_stmt (self,
                                     "UPDATE sessions SET sync_state = 'CONFLICT', server_id = coalesce (?2, server_id),"
                                     " server_revision = ?3, next_attempt_at = 0,"
                                     " last_error = ?5, last_error_code = ?4 WHERE id = ?1",
                                     error);
          break;
        case TOPOUT_SYNC_RESULT_REJECTED:
          stmt = _topout_store_stmt (self,
                                     "UPDATE sessions SET sync_state = 'REJECTED', next_attempt_at = 0,"
                                     " last_error = ?5, last_error_code = ?4 WHERE id = ?1",
                                     error);
          break;
        case TOPOUT_SYNC_RESULT_FAILED:
        default:
          stmt = _topout_store_stmt (self,
                                     "UPDATE sessions SET sync_state = 'FAILED', sync_attempts = sync_attempts + 1,"
                                     " next_attempt_at = ?6, last_error = ?5, last_error_code = ?4 WHERE id = ?1",
                                     error);
          break;
        }
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, r->session_id, -1, SQLITE_TRANSIENT);
      bind_text_or_null (stmt, 2, r->server_id);
      sqlite3_bind_int64 (stmt, 3, r->server_revision);
      bind_text_or_null (stmt, 4, r->error_code);
      bind_text_or_null (stmt, 5, r->error_message);
      sqlite3_bind_int64 (stmt, 6, r->next_attempt_at);
    }

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "apply sync result");
      return FALSE;
    }
  sqlite3_reset (stmt);
  if (!details)
    {
      _topout_store_note_sync_reset (self);
      return TRUE;
    }
  if (!(after = _topout_store_load_session (self, r->session_id, error)))
    return FALSE;
  _topout_store_note_sync_change (self, before, after);
  return TRUE;
}

gboolean
topout_store_apply_sync_results (TopoutStore            *self,
                                 const TopoutSyncResult *results,
                                 guint                   n_results,
                                 GError                **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (results != NULL || n_results == 0, FALSE);

  if (!_topout_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < n_results; i++)
    if (!apply_one (self, &results[i], error))
      {
        _topout_store_rollback (self);
        return FALSE;
      }
  return _topout_store_commit (self, error);
}

int
topout_store_reset_syncing (TopoutStore *self,
                            GError     **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  int n;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), -1);

  if (!_topout_store_begin (self, error))
    return -1;
  stmt = _topout_store_stmt (self, "UPDATE sessions SET sync_state = 'PENDING' WHERE sync_state = 'SYNCING'", error);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (stmt != NULL)
        _topout_store_set_error (self, error, "reset syncing");
      _topout_store_rollback (self);
      return -1;
    }
  n = sqlite3_changes (_topout_store_get_db (self));
  if (n > 0)
    _topout_store_note_sync_reset (self);
  if (!_topout_store_commit (self, error))
    return -1;
  return n;
}

static gboolean
requeue (TopoutStore          *self,
         const char           *session_id,
         TopoutSyncState       expected_a,
         TopoutSyncState       expected_b,
         const char           *sql,
         GError              **error)
{
  g_autoptr (TopoutSession) session = NULL;

  /* Read and checked inside the transaction that writes: a sync in
   * another process may have sent the session meanwhile, and it would be
   * queued (or bumped) again for nothing. */
  if (!_topout_store_begin (self, error))
    return FALSE;
  if (!(session = topout_store_get_session (self, session_id, error)))
    goto fail;
  if (topout_session_get_sync_state (session) != expected_a && topout_session_get_sync_state (session) != expected_b)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                   _("This session is not waiting for that (it is “%s”)."),
                   topout_sync_state_get_label (topout_session_get_sync_state (session)));
      goto fail;
    }
  if (!update_one (self, sql, session_id, error) || !_topout_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  _topout_store_rollback (self);
  return FALSE;
}

gboolean
topout_store_retry_session (TopoutStore *self,
                            const char  *session_id,
                            GError     **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  return requeue (self, session_id, TOPOUT_SYNC_STATE_FAILED, TOPOUT_SYNC_STATE_REJECTED,
                  "UPDATE sessions SET sync_state = 'PENDING', sync_attempts = 0, next_attempt_at = 0"
                  " WHERE id = ?1",
                  error);
}

gboolean
topout_store_keep_local_version (TopoutStore *self,
                                 const char  *session_id,
                                 GError     **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  return requeue (self, session_id, TOPOUT_SYNC_STATE_CONFLICT, TOPOUT_SYNC_STATE_CONFLICT,
                  "UPDATE sessions SET sync_state = 'PENDING', revision = max (revision, server_revision) + 1,"
                  " sync_attempts = 0, next_attempt_at = 0, last_error = NULL, last_error_code = NULL"
                  " WHERE id = ?1",
                  error);
}

/* The meta table's key for topout_store_get_last_sync(). */
#define LAST_SYNC_KEY "last_sync_time"

gint64
topout_store_get_last_sync (TopoutStore *self)
{
  g_autofree char *value = NULL;
  guint64 usec = 0;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), 0);

  value = _topout_store_get_meta (self, LAST_SYNC_KEY);
  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &usec, NULL))
    return 0;
  return (gint64) usec;
}

/* One meta value (NULL forgets it) in its own short transaction. */
static gboolean
set_meta_alone (TopoutStore  *self,
                const char   *key,
                const char   *value,
                GError      **error)
{
  if (!_topout_store_begin (self, error))
    return FALSE;
  if (!_topout_store_set_meta (self, key, value, error))
    {
      _topout_store_rollback (self);
      return FALSE;
    }
  return _topout_store_commit (self, error);
}

gboolean
topout_store_set_last_sync (TopoutStore *self,
                            gint64       usec,
                            GError     **error)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (usec >= 0, FALSE);

  if (usec > 0)
    value = g_strdup_printf ("%" G_GINT64_FORMAT, usec);
  return set_meta_alone (self, LAST_SYNC_KEY, value, error);
}

/* The meta table's key for topout_store_get_sync_wait(): "USEC SERVER". */
#define SYNC_WAIT_KEY "sync_wait"

gint64
topout_store_get_sync_wait (TopoutStore  *self,
                            char        **server)
{
  g_autofree char *value = NULL;
  const char *space;
  g_autofree char *digits = NULL;
  guint64 usec = 0;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), 0);

  if (server != NULL)
    *server = NULL;
  value = _topout_store_get_meta (self, SYNC_WAIT_KEY);
  space = value != NULL ? strchr (value, ' ') : NULL;
  if (space == NULL || space[1] == '\0')
    return 0;
  digits = g_strndup (value, space - value);
  if (!g_ascii_string_to_unsigned (digits, 10, 1, G_MAXINT64, &usec, NULL))
    return 0;
  if (server != NULL)
    *server = g_strdup (space + 1);
  return (gint64) usec;
}

gboolean
topout_store_set_sync_wait (TopoutStore  *self,
                            const char   *server,
                            gint64        usec,
                            GError      **error)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (usec >= 0, FALSE);

  if (usec > 0 && server != NULL && *server != '\0')
    value = g_strdup_printf ("%" G_GINT64_FORMAT " %s", usec, server);
  return set_meta_alone (self, SYNC_WAIT_KEY, value, error);
}

/* The meta table's key for topout_store_get_sync_server(). */
#define SYNC_SERVER_KEY "sync_server"
/* Sessions re-queued a transaction when the server changes (rowids). */
#define SERVER_MOVE_CHUNK 2048

char *
topout_store_get_sync_server (TopoutStore *self)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  return _topout_store_get_meta (self, SYNC_SERVER_KEY);
}

gboolean
topout_store_set_sync_server (TopoutStore  *self,
                              const char   *server,
                              gboolean     *moved,
                              GError      **error)
{
  g_autofree char *recorded = NULL;
  gint64 last_rowid = 0;
  gboolean move;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (server != NULL, FALSE);

  if (moved != NULL)
    *moved = FALSE;
  recorded = topout_store_get_sync_server (self);
  if (g_strcmp0 (recorded, server) == 0)
    return TRUE;
  /* None recorded (a database older than the record, or never synced):
   * what it holds is taken as this server's. */
  move = recorded != NULL;

  if (move)
    {
      g_autoptr (TopoutStmt) max = _topout_store_stmt (self, "SELECT coalesce (max (rowid), 0) FROM sessions", error);

      if (max == NULL)
        return FALSE;
      if (sqlite3_step (max) != SQLITE_ROW)
        {
          _topout_store_set_error (self, error, "server move");
          return FALSE;
        }
      last_rowid = sqlite3_column_int64 (max, 0);
    }

  /* Chunk after chunk (each a short transaction); the new server is
   * recorded with the last, so a move cut short starts over next time. A
   * session ever sent keeps its sent revision: a cancellation still goes
   * (the new address may be the same server under another name). */
  for (gint64 from = 0; move && from < last_rowid; from += SERVER_MOVE_CHUNK)
    {
      g_autoptr (TopoutStmt) stmt = NULL;

      if (!_topout_store_begin (self, error))
        return FALSE;
      stmt = _topout_store_stmt (self,
                                 "UPDATE sessions SET server_id = NULL, server_revision = 0,"
                                 " sync_attempts = 0, next_attempt_at = 0, last_error = NULL, last_error_code = NULL,"
                                 " sync_state = CASE WHEN sync_state = 'LOCAL' THEN 'LOCAL' ELSE 'PENDING' END"
                                 " WHERE rowid > ?1 AND rowid <= ?2"
                                 " AND (sync_state IN ('SYNCED', 'SYNCING', 'FAILED', 'REJECTED', 'CONFLICT')"
                                 "      OR server_id IS NOT NULL OR server_revision != 0)",
                                 error);
      if (stmt == NULL)
        {
          _topout_store_rollback (self);
          return FALSE;
        }
      sqlite3_bind_int64 (stmt, 1, from);
      sqlite3_bind_int64 (stmt, 2, from + SERVER_MOVE_CHUNK);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _topout_store_set_error (self, error, "server move");
          _topout_store_rollback (self);
          return FALSE;
        }
      if (sqlite3_changes (_topout_store_get_db (self)) > 0)
        _topout_store_note_sync_reset (self);
      if (!_topout_store_commit (self, error))
        return FALSE;
    }

  if (!_topout_store_begin (self, error))
    return FALSE;
  if (!_topout_store_set_meta (self, SYNC_SERVER_KEY, server, error) ||
      (move && !_topout_store_set_meta (self, LAST_SYNC_KEY, NULL, error)))
    {
      _topout_store_rollback (self);
      return FALSE;
    }
  if (move)
    _topout_store_note_sync_reset (self);
  if (!_topout_store_commit (self, error))
    return FALSE;
  if (moved != NULL)
    *moved = move;
  return TRUE;
}
