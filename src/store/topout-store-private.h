/* topout-store-private.h — what the store's own files share (never the UI's).
 *
 * Writes: wrap them in _topout_store_begin()/_topout_store_commit() (or
 * _topout_store_rollback() on error). Record each changed session with
 * _topout_store_note_change(); ::session-changed is emitted after COMMIT, and
 * on rollback nothing is emitted. A transaction that changes more than
 * TOPOUT_STORE_MAX_DETAILED_CHANGES sessions emits ::sessions-reset instead.
 */
#pragma once

#include <sqlite3.h>

#include "topout-store.h"

G_BEGIN_DECLS

#define TOPOUT_STORE_MAX_DETAILED_CHANGES 16

/* g_autoptr (TopoutStmt) stmt = _topout_store_stmt (...): the cached statement
 * is reset when it goes out of scope, so no read stays open by accident. */
typedef sqlite3_stmt TopoutStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TopoutStmt, sqlite3_reset)

/* The session columns every session query selects, in this order; read them
 * back with _topout_store_read_session(). Alias the table as "s". */
#define TOPOUT_SESSION_COLUMNS \
  "s.id, s.server_id, s.climber_id, c.display_name, s.type, s.custom_label, s.name, " \
  "s.status, s.started_at, s.ended_at, s.session_date, s.time_slot, s.is_retroactive, " \
  "s.is_at_gym, s.is_competition, s.competition_type, s.competition_id, s.notes, " \
  "s.created_at, s.updated_at, s.revision, s.is_demo, s.sync_state, s.sync_attempts, " \
  "s.next_attempt_at, s.last_error, s.server_revision, s.n_routes, s.n_sends, s.last_logged_at, " \
  "s.last_error_code"
/* FROM clause that goes with TOPOUT_SESSION_COLUMNS. */
#define TOPOUT_SESSION_FROM "sessions s JOIN climbers c ON c.id = s.climber_id"
#define TOPOUT_SESSION_N_COLUMNS 31

#define TOPOUT_COMPLETION_COLUMNS \
  "p.id, p.session_id, p.climb_id, k.name, p.grade, p.is_success, p.attempts, p.notes, " \
  "p.logged_at, p.is_competition, p.competition_type, p.competition_id, p.updated_at, k.color"
#define TOPOUT_COMPLETION_FROM "completions p JOIN climbs k ON k.id = p.climb_id"

#define TOPOUT_CLIMBER_COLUMNS \
  "id, member_code, display_name, created_at, updated_at, archived, merged_into"
#define TOPOUT_CLIMB_COLUMNS \
  "id, name, grade, grade_system, color, wall, set_on, retired, created_at, updated_at"

/* Binds @value, or SQL NULL when it is NULL. */
static inline void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           i,
                   const char   *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, i, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, i);
}

sqlite3          *_topout_store_get_db        (TopoutStore *self);

/* SQLite's own checkpoint threshold, for a connection without idle ones. */
#define TOPOUT_STORE_AUTOCHECKPOINT_PAGES 1000

/* topout-store-checkpoint.c: checkpoints of @db's WAL on a thread of their
 * own, @idle_ms after its commits pause, at once past @eager_pages. */
typedef struct _TopoutCheckpointer TopoutCheckpointer;
TopoutCheckpointer *_topout_checkpointer_new     (sqlite3            *db,
                                                  const char         *path,
                                                  guint               idle_ms,
                                                  int                 eager_pages);
/* Again, after `PRAGMA wal_autocheckpoint` replaced it. */
void                _topout_checkpointer_install (TopoutCheckpointer *self);
/* Gives @db back to SQLite's checkpoints; waits for one under way. */
void                _topout_checkpointer_free    (TopoutCheckpointer *self);
/* A bulk write's settings on this connection (an import, in chunks):
 * synchronous=NORMAL, checkpoints every 65,536 pages, no log size limit, a
 * 64 MiB page cache. _end gives the store's own back (FULL; idle
 * checkpoints or SQLite's, 4 MiB, the cache as it was). */
void              _topout_store_bulk_begin    (TopoutStore *self);
void              _topout_store_bulk_end      (TopoutStore *self);
/* An import into a database made for it: drops the indexes it builds
 * once at the end instead (topout-store-schema.c), in the caller's
 * transaction, and returns their CREATE statements, for
 * _topout_store_create_indexes(). NULL on an error. */
GPtrArray        *_topout_store_drop_deferred_indexes (TopoutStore  *self,
                                                       GError      **error);
gboolean          _topout_store_create_indexes        (TopoutStore  *self,
                                                       GPtrArray    *created,
                                                       GError      **error);
/* Every competition scorecard again, from all the routes (one statement). */
gboolean          _topout_store_recompute_all_scorecards (TopoutStore  *self,
                                                          GError      **error);
/* A prepared statement for @sql, cached for the life of the store and reset
 * with its bindings cleared. @sql must be a string literal (its address is the
 * cache key). Returns NULL and sets @error when SQLite cannot prepare it. */
sqlite3_stmt     *_topout_store_stmt          (TopoutStore  *self,
                                               const char   *sql,
                                               GError      **error);
/* Whether an import journal holds rows: an import under way (or a crashed
 * one's, until it is taken out). Its climbers, climbs and sessions stay out
 * of the lists until it is whole (topout-export.h). One step on an empty
 * table when none runs. */
gboolean          _topout_store_import_under_way (TopoutStore *self);
/* SQL: @COL is not one of the ids of @KIND ('session', 'climber', 'climb')
 * an import under way has written (a condition, with a leading space).
 * @COL names its table ("s.id", "climbers.id": a bare "id" would be the
 * journal's own). One indexed probe a row (import_journal_id), whatever
 * the size of the journal; with no import, a descent into an empty index.
 * Lookups by id and queries of a few rows carry it always (cheaper than
 * asking first whether an import runs: 7-10 % fewer instructions for a
 * session or climber by id); History's pages too. */
#define TOPOUT_NOT_IN_IMPORT(COL, KIND) \
  " NOT EXISTS (SELECT 1 FROM import_journal j WHERE j.id = " COL " AND j.kind = '" KIND "')"
/* The same for a statement that reads every row (an export): the journal
 * is read once into a list, instead of a probe a row. */
#define TOPOUT_NOT_IN_IMPORT_LIST(COL, KIND) " " COL " NOT IN (SELECT id FROM import_journal WHERE kind = '" KIND "')"
/* For a statement that reads many rows (a search of every climber or
 * climb, the competitions list), where a probe a row costs more than one
 * question: the statement of @sql while no import journal holds rows, else
 * of @sql_hiding, the same with the condition. Write the pair with
 * TOPOUT_HIDING_IMPORT; both are string literals (cache keys). */
sqlite3_stmt     *_topout_store_stmt_hiding_import (TopoutStore  *self,
                                                    const char   *sql,
                                                    const char   *sql_hiding,
                                                    GError      **error);
/* @QUERY: a macro taking the condition it appends ("" or " AND …"); @COL is
 * the id column of rows of @KIND. */
#define TOPOUT_HIDING_IMPORT(QUERY, COL, KIND) \
  QUERY (""), QUERY (" AND" TOPOUT_NOT_IN_IMPORT (COL, KIND))
/* topout_store_get_climb() and topout_store_get_climber() leave out, as
 * the lists do, what an import under way has added; the import itself
 * reads its own climbs with this. */
TopoutClimb      *_topout_store_get_climb_in_import (TopoutStore  *self,
                                                     const char   *climb_id,
                                                     GError      **error);
/* Sets @error from the connection's last error, with @what as context. */
void              _topout_store_set_error     (TopoutStore  *self,
                                               GError      **error,
                                               const char   *what);

/* BEGIN IMMEDIATE (waits on a busy database, rule 10). Nested calls are
 * counted: only the outermost commits. */
gboolean          _topout_store_begin         (TopoutStore  *self,
                                               GError      **error);
gboolean          _topout_store_commit        (TopoutStore  *self,
                                               GError      **error);
void              _topout_store_rollback      (TopoutStore  *self);
/* @before: the session as it was (NULL for a new one); @after: as it is now
 * (NULL when gone). The store keeps a reference to each until it emits. */
void              _topout_store_note_change   (TopoutStore   *self,
                                               TopoutSession *before,
                                               TopoutSession *after);
/* FALSE once this transaction changed too many sessions to report them one by
 * one (it will emit ::sessions-reset): writers may then skip loading the
 * before/after copies of each session and call _topout_store_note_reset(). */
gboolean          _topout_store_wants_details (TopoutStore *self);
/* Marks the whole history as changed (imports, merges, demo data). */
void              _topout_store_note_reset    (TopoutStore   *self);
/* The same for writes of the sync bookkeeping only (state, attempts, errors,
 * server ids and revisions): past the detailed changes they make
 * ::sessions-sync-changed instead of ::sessions-reset, unless the same
 * transaction also changed something else. */
void              _topout_store_note_sync_change (TopoutStore   *self,
                                                  TopoutSession *before,
                                                  TopoutSession *after);
void              _topout_store_note_sync_reset  (TopoutStore   *self);

TopoutSession    *_topout_store_read_session  (sqlite3_stmt  *stmt);
TopoutCompletion *_topout_store_read_completion (sqlite3_stmt *stmt);
/* A session's completions in the editor's order. Without @with_climbs the
 * catalog is left out of the query (no climb name or colour: what the wire
 * and the JSON export carry), one B-tree seek fewer per completion. */
GPtrArray        *_topout_store_read_completions (TopoutStore  *self,
                                                  const char   *session_id,
                                                  gboolean      with_climbs,
                                                  GError      **error);
TopoutClimber    *_topout_store_read_climber  (sqlite3_stmt  *stmt);
TopoutClimb      *_topout_store_read_climb    (sqlite3_stmt  *stmt);
/* Reads one session by id inside the current transaction; NULL if none.
 * A session an unfinished import added is none yet, as in the lists: the
 * editor, the panel, undo and every change by id refuse it alike (the
 * import only adds sessions, never ACTIVE ones, and reads none back). */
TopoutSession    *_topout_store_load_session  (TopoutStore   *self,
                                               const char    *session_id,
                                               GError       **error);

/* Raw inserts for the generator, the demo filler and the importer, inside a
 * transaction they opened. No rule is checked: the caller made valid rows.
 * Sessions must carry every field; n_routes/n_sends are maintained here. */
gboolean          _topout_store_insert_climber_row    (TopoutStore   *self,
                                                       TopoutClimber *climber,
                                                       GError       **error);
gboolean          _topout_store_insert_climb_row      (TopoutStore   *self,
                                                       TopoutClimb   *climb,
                                                       GError       **error);
gboolean          _topout_store_insert_session_row    (TopoutStore   *self,
                                                       TopoutSession *session,
                                                       GError       **error);
/* A session another device recorded (@device_id: that device; NULL: this
 * one) with every one of its @completions (each with that session_id):
 * the session row holds their counts from the start. */
gboolean          _topout_store_insert_session_rows_from (TopoutStore   *self,
                                                          TopoutSession *session,
                                                          const char    *device_id,
                                                          GPtrArray     *completions,
                                                          GError       **error);
gboolean          _topout_store_insert_completion_row (TopoutStore      *self,
                                                       TopoutCompletion *completion,
                                                       GError          **error);
/* Recomputes the scorecard rows of one (pair, climber). */
gboolean          _topout_store_recompute_scorecard   (TopoutStore  *self,
                                                       const char   *competition_type,
                                                       const char   *competition_id,
                                                       const char   *climber_id,
                                                       GError      **error);
/* Bumps every session of @climber_id (moving them to @new_climber_id unless
 * NULL) and queues those the server may receive for sync again: a session
 * carries its climber's id, member code and name. Inside a transaction. */
gboolean          _topout_store_bump_climber_sessions (TopoutStore  *self,
                                                       const char   *climber_id,
                                                       const char   *new_climber_id,
                                                       gint64        now,
                                                       GError      **error);
/* Sessions per transaction when a climber's sessions move or are bumped
 * in chunks (a merge, a rename): each session dirties its own table and
 * index pages; on 100,000 sessions a chunk of 50 takes a median 5 ms
 * (100 took 20 ms, 250 36 ms; bench-scale). Longer ones (15-36 ms, in
 * 10 ms steps) are waits for the WAL checkpointer, SQLite's busy handler. */
#define TOPOUT_STORE_MOVE_CHUNK 50
/* Queues (inside a transaction) a chunked bump of every session of
 * @climber_id, moving them to @new_climber_id unless NULL. */
gboolean          _topout_store_queue_session_move (TopoutStore  *self,
                                                    const char   *climber_id,
                                                    const char   *new_climber_id,
                                                    gint64        now,
                                                    GError      **error);
/* One chunk of the queued moves, in a transaction of its own; @done when
 * nothing is left. */
gboolean          _topout_store_session_move_step  (TopoutStore  *self,
                                                    gboolean     *done,
                                                    GError      **error);
/* Every queued move, chunk after chunk (also a crash's leftovers). */
gboolean          _topout_store_finish_session_moves (TopoutStore  *self,
                                                      GError      **error);
/* Sets (or clears, with NULL) a value of the meta table: the demo flag,
 * the device id, the last sync. Inside a transaction, or one of its own. */
gboolean          _topout_store_set_meta     (TopoutStore  *self,
                                              const char   *key,
                                              const char   *value,
                                              GError      **error);
char             *_topout_store_get_meta     (TopoutStore  *self,
                                              const char   *key);

/* Import reports (topout-store-import.c), shared with the session import. */
TopoutImportReport  *_topout_import_report_new  (void);
TopoutImportProblem *_topout_import_problem_new (guint                 line,
                                                 const char           *message);
/* Hands @report (with at least one problem) to the caller through
 * @report_out, or frees it, and sets an IMPORT error naming @label (nullable,
 * the file's name); returns NULL for the caller to return. */
TopoutImportReport  *_topout_import_refuse      (TopoutImportReport   *report,
                                                 const char           *label,
                                                 TopoutImportReport  **report_out,
                                                 GError              **error);

/* Validation shared by every write and the importer (messages translated). */
gboolean _topout_check_text     (const char  *value,
                                 guint        min_chars,
                                 guint        max_chars,
                                 const char  *field_label,
                                 GError     **error);
gboolean _topout_check_attempts (gint64       attempts,
                                 GError     **error);
gboolean _topout_check_date     (const char  *date,
                                 GError     **error);
/* A grade of @system ("V4", "6a+", "5.10b"; a range such as "V3-V5" too),
 * whatever its case. */
gboolean _topout_check_grade    (const char        *grade,
                                 TopoutGradeSystem  system,
                                 GError           **error);
/* NULL or "" (no colour), a colour name ("red") or a code ("#e01b24"):
 * what is stored (topout-color.c; topout_color_read() reads what is
 * typed). */
gboolean _topout_check_color    (const char  *color,
                                 GError     **error);

/* topout-color.c: "Display_Name" → "displayname", "Weiß" → "weiss",
 * "N° adhérent" → "noadherent": a header, a key or a colour word as a gym
 * may type it, folded (case, accents, spaces and punctuation dropped). */
GString *_topout_fold_word      (const char  *name,
                                 gssize       length);
/* A search's colour words, read once (topout_color_matches()). */
typedef struct _TopoutColorSearch TopoutColorSearch;
TopoutColorSearch *_topout_color_search_new     (const char              *query);
gboolean           _topout_color_search_matches (const TopoutColorSearch *search,
                                                 const char              *color);
void               _topout_color_search_free    (TopoutColorSearch       *search);
/* A COMPETITION session's pair trimmed in @session, then checked (both
 * present, within the limits): the desk's and the importer's rule. */
gboolean _topout_store_normalize_competition_pair (TopoutSession *session,
                                                   GError       **error);
/* Rule 9: a session date no later than tomorrow on the gym's calendar. */
gboolean _topout_store_check_not_future (TopoutStore *self,
                                         const char  *date,
                                         GError     **error);

/* Time in the gym's zone (topout-store.c). */
/* The first closing time strictly after @usec. */
gint64   _topout_store_next_closing (TopoutStore    *self,
                                     gint64          usec);
/* Start and end of @slot on local @date ("YYYY-MM-DD"); NIGHT ends the next
 * morning. UNSET gives noon to noon. */
gboolean _topout_store_slot_bounds  (TopoutStore    *self,
                                     const char     *date,
                                     TopoutTimeSlot  slot,
                                     gint64         *start,
                                     gint64         *end);
/* The gym's business day at @usec: the calendar date, except between
 * midnight and a closing time before noon (a gym open until 02:00), which
 * still belongs to the day before. */
char    *_topout_store_business_date (TopoutStore *self,
                                      gint64       usec);
/* The slot of @usec in the gym's zone. */
TopoutTimeSlot _topout_store_slot_of (TopoutStore   *self,
                                      gint64         usec);

/* Schema (topout-store-schema.c) */
gboolean _topout_store_migrate  (TopoutStore  *self,
                                 sqlite3      *db,
                                 const char   *path,
                                 GError      **error);
/* The exact DDL of schema version 1, kept so tests can make a v1 fixture. */
extern const char *const _topout_schema_v1;

G_END_DECLS
