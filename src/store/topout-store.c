/* topout-store.c — opening the database, transactions, change signals,
 * settings, row readers, climbers and the catalog.
 *
 * Sessions and completions (the product rules) are in topout-store-rules.c,
 * sync bookkeeping in topout-store-sync.c, the schema in topout-store-schema.c.
 */
#define G_LOG_DOMAIN "topout-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "topout-color.h"
#include "topout-enum-types.h"
#include "topout-export.h"
#include "topout-limits.h"
#include "topout-store-private.h"

/* How long a write waits for another connection's write lock before SQLite
 * answers BUSY; _topout_store_begin() then tries again (rule 10). */
#define BUSY_TIMEOUT_MS 5000
#define BEGIN_RETRIES   12
/* topout_store_checkpoint_when_idle(): a checkpoint this long after the
 * last commit, or at once when the log holds this many pages (16 MiB). */
#define CHECKPOINT_IDLE_MS     1000
#define CHECKPOINT_EAGER_PAGES 4000
/* A log grown by an import or a busy spell shrinks back to 4 MiB once a
 * checkpoint has emptied it. */
#define JOURNAL_SIZE_LIMIT_SQL "PRAGMA journal_size_limit = 4194304"

struct _TopoutStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *statements;   /* const char *sql → sqlite3_stmt* */
  char       *device_id;

  guint       tx_depth;
  GPtrArray  *pending_before;
  GPtrArray  *pending_after;
  gboolean    pending_reset;
  gboolean    pending_generic;  /* a change other than sync bookkeeping */

  int         max_sessions_per_day;
  int         auto_end_idle_hours;
  char       *closing_time;
  char       *gym_timezone;
  GTimeZone  *time_zone;

  TopoutClockFunc clock_func;
  gpointer        clock_data;

  gint64      data_version;  /* PRAGMA data_version after our last look */
  GFileMonitor *wal_monitor;   /* topout_store_watch_external_changes() */
  GSource      *wal_check;     /* a look at data_version, soon */

  TopoutCheckpointer *checkpointer;  /* NULL: SQLite's own checkpoints */
  int                 cache_size;    /* PRAGMA cache_size before a bulk write */
};

G_DEFINE_FINAL_TYPE (TopoutStore, topout_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_MAX_SESSIONS_PER_DAY,
  PROP_AUTO_END_IDLE_HOURS,
  PROP_CLOSING_TIME,
  PROP_GYM_TIMEZONE,
  N_PROPS
};

enum {
  SESSION_CHANGED,
  SESSIONS_RESET,
  SESSIONS_SYNC_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (topout-store-error-quark, topout_store_error)

/* Helpers -------------------------------------------------------------- */

static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time ();
}

void
_topout_store_set_error (TopoutStore  *self,
                         GError      **error,
                         const char   *what)
{
  int code = sqlite3_extended_errcode (self->db);

  g_debug ("SQLite error in %s: %s (%d)", what, sqlite3_errmsg (self->db), code);
  /* Damage is no refusal of one change: reads fail as well, and nothing
   * but the file from before the damage brings the data back. */
  if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
    g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN,
                 _("The database “%s” is damaged (%s). Restore it from a backup or an export."),
                 self->path, sqlite3_errmsg (self->db));
  else if (code == SQLITE_FULL || code == SQLITE_IOERR || (code & 0xff) == SQLITE_IOERR)
    g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_FAILED,
                 _("The database “%s” could not be written (%s). Nothing was lost: "
                   "the last change was not saved."),
                 self->path, sqlite3_errmsg (self->db));
  else
    g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_FAILED,
                 _("The database refused the change: %s"), sqlite3_errmsg (self->db));
}

sqlite3 *
_topout_store_get_db (TopoutStore *self)
{
  return self->db;
}

sqlite3_stmt *
_topout_store_stmt (TopoutStore  *self,
                    const char   *sql,
                    GError      **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          g_critical ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (self->db));
          _topout_store_set_error (self, error, "prepare");
          return NULL;
        }
      g_hash_table_insert (self->statements, (gpointer) sql, stmt);
    }
  else
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  return stmt;
}

gboolean
_topout_store_import_under_way (TopoutStore *self)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self, "SELECT 1 FROM import_journal LIMIT 1", NULL);

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW;
}

sqlite3_stmt *
_topout_store_stmt_hiding_import (TopoutStore  *self,
                                  const char   *sql,
                                  const char   *sql_hiding,
                                  GError      **error)
{
  return _topout_store_stmt (self, _topout_store_import_under_way (self) ? sql_hiding : sql, error);
}

static gboolean
exec_stmt (TopoutStore  *self,
           const char   *sql,
           GError      **error)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _topout_store_set_error (self, error, sql);
      return FALSE;
    }
  return TRUE;
}

/* Transactions and change notification --------------------------------- */

gboolean
_topout_store_begin (TopoutStore  *self,
                     GError      **error)
{
  if (self->tx_depth++ > 0)
    return TRUE;

  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self, "BEGIN IMMEDIATE", error);
      int rc;

      if (stmt == NULL)
        break;
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        return TRUE;
      /* Another process holds the write lock longer than the busy timeout:
       * wait again rather than drop the tap (rule 10). */
      if ((rc & 0xff) == SQLITE_BUSY && attempt < BEGIN_RETRIES)
        {
          g_message ("Database busy, waiting again (%u)", attempt + 1);
          continue;
        }
      _topout_store_set_error (self, error, "begin");
      break;
    }

  self->tx_depth = 0;
  return FALSE;
}

static void
clear_pending (TopoutStore *self)
{
  g_ptr_array_set_size (self->pending_before, 0);
  g_ptr_array_set_size (self->pending_after, 0);
  self->pending_reset = FALSE;
  self->pending_generic = FALSE;
}

static void
emit_pending (TopoutStore *self)
{
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  gboolean reset = self->pending_reset || self->pending_before->len > TOPOUT_STORE_MAX_DETAILED_CHANGES;
  gboolean generic = self->pending_generic;

  /* Handlers may write again: hand them a clean state. */
  before = g_steal_pointer (&self->pending_before);
  after = g_steal_pointer (&self->pending_after);
  self->pending_before = g_ptr_array_new_with_free_func (unref_nullable);
  self->pending_after = g_ptr_array_new_with_free_func (unref_nullable);
  self->pending_reset = FALSE;
  self->pending_generic = FALSE;

  if (reset)
    {
      g_signal_emit (self, signals[generic ? SESSIONS_RESET : SESSIONS_SYNC_CHANGED], 0);
      return;
    }
  for (guint i = 0; i < before->len; i++)
    g_signal_emit (self, signals[SESSION_CHANGED], 0,
                   g_ptr_array_index (before, i), g_ptr_array_index (after, i));
}

gboolean
_topout_store_commit (TopoutStore  *self,
                      GError      **error)
{
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (--self->tx_depth > 0)
    return TRUE;

  if (!exec_stmt (self, "COMMIT", error))
    {
      _topout_store_rollback (self);
      return FALSE;
    }
  emit_pending (self);
  return TRUE;
}

void
_topout_store_rollback (TopoutStore *self)
{
  if (self->tx_depth == 0)
    return;
  self->tx_depth = 0;
  if (!sqlite3_get_autocommit (self->db))
    exec_stmt (self, "ROLLBACK", NULL);
  clear_pending (self);
}

static void
note_change (TopoutStore   *self,
             TopoutSession *before,
             TopoutSession *after)
{
  g_return_if_fail (before != NULL || after != NULL);

  if (self->pending_reset || self->pending_before->len > TOPOUT_STORE_MAX_DETAILED_CHANGES)
    {
      self->pending_reset = TRUE;
      return;
    }
  g_ptr_array_add (self->pending_before, before ? g_object_ref (before) : NULL);
  g_ptr_array_add (self->pending_after, after ? g_object_ref (after) : NULL);
}

gboolean
_topout_store_wants_details (TopoutStore *self)
{
  return !self->pending_reset && self->pending_before->len <= TOPOUT_STORE_MAX_DETAILED_CHANGES;
}

void
_topout_store_note_change (TopoutStore   *self,
                           TopoutSession *before,
                           TopoutSession *after)
{
  self->pending_generic = TRUE;
  note_change (self, before, after);
}

void
_topout_store_note_sync_change (TopoutStore   *self,
                                TopoutSession *before,
                                TopoutSession *after)
{
  note_change (self, before, after);
}

void
_topout_store_note_reset (TopoutStore *self)
{
  self->pending_generic = TRUE;
  self->pending_reset = TRUE;
}

void
_topout_store_note_sync_reset (TopoutStore *self)
{
  self->pending_reset = TRUE;
}

/* Meta ---------------------------------------------------------------- */

gboolean
_topout_store_set_meta (TopoutStore  *self,
                        const char   *key,
                        const char   *value,
                        GError      **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;

  if (value != NULL)
    stmt = _topout_store_stmt (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", error);
  else
    stmt = _topout_store_stmt (self, "DELETE FROM meta WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "meta");
      return FALSE;
    }
  return TRUE;
}

char *
_topout_store_get_meta (TopoutStore *self,
                        const char  *key)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self, "SELECT value FROM meta WHERE key = ?1", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  return NULL;
}

gboolean
topout_store_is_demo (TopoutStore *self)
{
  g_autofree char *demo = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  demo = _topout_store_get_meta (self, "demo");
  return g_strcmp0 (demo, "1") == 0;
}

static gint64
read_data_version (TopoutStore *self)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self, "PRAGMA data_version", NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

gboolean
topout_store_check_external_changes (TopoutStore *self)
{
  gint64 version;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);

  /* data_version changes only for commits of other connections. */
  version = read_data_version (self);
  if (version < 0 || version == self->data_version)
    return FALSE;
  self->data_version = version;
  g_signal_emit (self, signals[SESSIONS_RESET], 0);
  return TRUE;
}

#define WAL_CHECK_DELAY_MS 250

static gboolean
wal_check_cb (gpointer data)
{
  TopoutStore *self = data;

  g_clear_pointer (&self->wal_check, g_source_unref);
  /* Not inside a transaction of ours (none spans a turn of the main loop
   * today; if one did, its changes are not others'). */
  if (self->tx_depth == 0)
    topout_store_check_external_changes (self);
  return G_SOURCE_REMOVE;
}

static void
wal_changed_cb (GFileMonitor      *monitor,
                GFile             *file,
                GFile             *other_file,
                GFileMonitorEvent  event,
                TopoutStore       *self)
{
  /* Every commit writes the log, ours too (they leave data_version alone):
   * one look a little later covers a burst of them. */
  if (self->wal_check != NULL)
    return;
  self->wal_check = g_timeout_source_new (WAL_CHECK_DELAY_MS);
  g_source_set_static_name (self->wal_check, "[topout] external changes");
  g_source_set_callback (self->wal_check, wal_check_cb, self, NULL);
  g_source_attach (self->wal_check, g_main_context_get_thread_default ());
}

void
topout_store_watch_external_changes (TopoutStore *self)
{
  g_autofree char *wal_path = NULL;
  g_autoptr (GFile) wal = NULL;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (TOPOUT_IS_STORE (self));

  if (self->wal_monitor != NULL)
    return;
  wal_path = g_strconcat (self->path, "-wal", NULL);
  wal = g_file_new_for_path (wal_path);
  self->wal_monitor = g_file_monitor_file (wal, G_FILE_MONITOR_NONE, NULL, &error);
  if (self->wal_monitor == NULL)
    {
      /* The caller's timer still notices them, later. */
      g_message ("Writes of other programs to %s will be noticed late: %s", self->path, error->message);
      return;
    }
  g_file_monitor_set_rate_limit (self->wal_monitor, WAL_CHECK_DELAY_MS);
  g_signal_connect (self->wal_monitor, "changed", G_CALLBACK (wal_changed_cb), self);
}

/* Validation ----------------------------------------------------------- */

gboolean
_topout_check_text (const char  *value,
                    guint        min_chars,
                    guint        max_chars,
                    const char  *field_label,
                    GError     **error)
{
  glong n;

  if (value == NULL)
    value = "";
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_TEXT,
                   _("%s contains characters that are not valid text."), field_label);
      return FALSE;
    }
  n = g_utf8_strlen (value, -1);
  if (n < (glong) min_chars)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_TEXT,
                   _("%s must not be empty."), field_label);
      return FALSE;
    }
  if (n > (glong) max_chars)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_TEXT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s is too long: at most %u character.",
                                "%s is too long: at most %u characters.", max_chars),
                   field_label, max_chars);
      return FALSE;
    }
  return TRUE;
}

gboolean
_topout_check_attempts (gint64   attempts,
                        GError **error)
{
  if (attempts < TOPOUT_LIMIT_ATTEMPTS_MIN || attempts > TOPOUT_LIMIT_ATTEMPTS_MAX)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_ATTEMPTS,
                   _("Attempts must be a whole number from %d to %d (the send included)."),
                   TOPOUT_LIMIT_ATTEMPTS_MIN, TOPOUT_LIMIT_ATTEMPTS_MAX);
      return FALSE;
    }
  return TRUE;
}

/* Grades as route setters write them, whatever their case: a range
 * ("V3-V5", "6a/6a+", "5.10a/b") is one grade too. */
static GRegex *
grade_pattern (TopoutGradeSystem system)
{
#define V_GRADE    "(B|[0-9]|1[0-7])[+-]?"
#define FONT_GRADE "[1-9][ABC]?\\+?"
#define YDS_GRADE  "5\\.([0-9]|1[0-5])([ABCD]|[+-])?"
  static const char *const patterns[] = {
    [TOPOUT_GRADE_SYSTEM_V_SCALE] = "^V" V_GRADE "(\\s*[-/–]\\s*V?" V_GRADE ")?$",
    [TOPOUT_GRADE_SYSTEM_FONT] = "^" FONT_GRADE "(\\s*[-/–]\\s*(" FONT_GRADE "|[ABC]\\+?|\\+))?$",
    [TOPOUT_GRADE_SYSTEM_YDS] = "^" YDS_GRADE "(\\s*[-/–]\\s*(" YDS_GRADE "|[ABCD]))?$",
  };
#undef V_GRADE
#undef FONT_GRADE
#undef YDS_GRADE
  static GRegex *compiled[G_N_ELEMENTS (patterns)];
  static gsize ready;

  if (g_once_init_enter (&ready))
    {
      for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
        compiled[i] = g_regex_new (patterns[i], G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&ready, 1);
    }
  return (guint) system < G_N_ELEMENTS (compiled) ? compiled[system] : NULL;
}

gboolean
_topout_check_grade (const char        *grade,
                     TopoutGradeSystem  system,
                     GError           **error)
{
  GRegex *pattern = grade_pattern (system);

  if (grade == NULL || pattern == NULL || !g_utf8_validate (grade, -1, NULL) ||
      g_regex_match (pattern, grade, 0, NULL))
    return TRUE;  /* (blank or not text: _topout_check_text() says so) */

  switch (system)
    {
    case TOPOUT_GRADE_SYSTEM_FONT:
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_GRADE,
                   _("“%s” is not a Font grade (such as 5+, 6a or 7B+)."), grade);
      break;
    case TOPOUT_GRADE_SYSTEM_YDS:
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_GRADE,
                   _("“%s” is not a YDS grade (such as 5.9, 5.10a or 5.12d)."), grade);
      break;
    case TOPOUT_GRADE_SYSTEM_V_SCALE:
    default:
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_GRADE,
                   _("“%s” is not a V-scale grade (VB, V0 to V17); a Font or YDS grade needs its grade system."),
                   grade);
      break;
    }
  return FALSE;
}

gboolean
topout_date_parse (const char *date,
                   GDate      *out)
{
  int y, m, d;
  char tail;

  g_date_clear (out, 1);
  if (date == NULL || strlen (date) != 10 ||
      date[4] != '-' || date[7] != '-')
    return FALSE;
  /* Digits only: sscanf() takes "+026", " 026" or "+1" as numbers, and such
   * a date was stored as typed, out of order with every other. */
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (date[i]))
      return FALSE;
  if (sscanf (date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

gboolean
_topout_check_date (const char  *date,
                    GError     **error)
{
  GDate parsed;

  if (!topout_date_parse (date, &parsed))
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_DATE,
                   _("“%s” is not a date; use the form 2026-11-21."), date ? date : "");
      return FALSE;
    }
  return TRUE;
}

/* Row readers ----------------------------------------------------------- */

static const char *
col_text (sqlite3_stmt *stmt,
          int           i)
{
  return (const char *) sqlite3_column_text (stmt, i);
}

TopoutSession *
_topout_store_read_session (sqlite3_stmt *stmt)
{
  TopoutSession *s = topout_session_new ();
  TopoutSessionType type = TOPOUT_SESSION_TYPE_FUN;
  TopoutSessionStatus status = TOPOUT_SESSION_STATUS_ACTIVE;
  TopoutTimeSlot slot = TOPOUT_TIME_SLOT_UNSET;
  TopoutSyncState state = TOPOUT_SYNC_STATE_LOCAL;

  topout_session_type_from_key (col_text (stmt, 4), &type);
  topout_session_status_from_key (col_text (stmt, 7), &status);
  topout_time_slot_from_key (col_text (stmt, 11), &slot);
  topout_sync_state_from_key (col_text (stmt, 22), &state);

  topout_session_set_id (s, col_text (stmt, 0));
  topout_session_set_server_id (s, col_text (stmt, 1));
  topout_session_set_climber_id (s, col_text (stmt, 2));
  topout_session_set_climber_name (s, col_text (stmt, 3));
  topout_session_set_session_type (s, type);
  topout_session_set_custom_label (s, col_text (stmt, 5));
  topout_session_set_name (s, col_text (stmt, 6));
  topout_session_set_status (s, status);
  topout_session_set_started_at (s, sqlite3_column_int64 (stmt, 8));
  topout_session_set_ended_at (s, sqlite3_column_int64 (stmt, 9));
  topout_session_set_session_date (s, col_text (stmt, 10));
  topout_session_set_time_slot (s, slot);
  topout_session_set_is_retroactive (s, sqlite3_column_int (stmt, 12));
  topout_session_set_at_gym (s, sqlite3_column_type (stmt, 13) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 13));
  topout_session_set_is_competition (s, sqlite3_column_int (stmt, 14));
  topout_session_set_competition_type (s, col_text (stmt, 15));
  topout_session_set_competition_id (s, col_text (stmt, 16));
  topout_session_set_notes (s, col_text (stmt, 17));
  topout_session_set_created_at (s, sqlite3_column_int64 (stmt, 18));
  topout_session_set_updated_at (s, sqlite3_column_int64 (stmt, 19));
  topout_session_set_revision (s, sqlite3_column_int64 (stmt, 20));
  topout_session_set_is_demo (s, sqlite3_column_int (stmt, 21));
  topout_session_set_sync_state (s, state);
  topout_session_set_sync_attempts (s, sqlite3_column_int (stmt, 23));
  topout_session_set_next_attempt_at (s, sqlite3_column_int64 (stmt, 24));
  topout_session_set_last_error (s, col_text (stmt, 25));
  topout_session_set_server_revision (s, sqlite3_column_int64 (stmt, 26));
  topout_session_set_n_routes (s, sqlite3_column_int (stmt, 27));
  topout_session_set_n_sends (s, sqlite3_column_int (stmt, 28));
  topout_session_set_last_logged_at (s, sqlite3_column_int64 (stmt, 29));
  topout_session_set_last_error_code (s, col_text (stmt, 30));
  return s;
}

TopoutCompletion *
_topout_store_read_completion (sqlite3_stmt *stmt)
{
  TopoutCompletion *c = topout_completion_new ();

  topout_completion_set_id (c, col_text (stmt, 0));
  topout_completion_set_session_id (c, col_text (stmt, 1));
  topout_completion_set_climb_id (c, col_text (stmt, 2));
  topout_completion_set_climb_name (c, col_text (stmt, 3));
  topout_completion_set_grade (c, col_text (stmt, 4));
  topout_completion_set_is_success (c, sqlite3_column_int (stmt, 5));
  topout_completion_set_attempts (c, sqlite3_column_int (stmt, 6));
  topout_completion_set_notes (c, col_text (stmt, 7));
  topout_completion_set_logged_at (c, sqlite3_column_int64 (stmt, 8));
  topout_completion_set_is_competition (c, sqlite3_column_int (stmt, 9));
  topout_completion_set_competition_type (c, col_text (stmt, 10));
  topout_completion_set_competition_id (c, col_text (stmt, 11));
  topout_completion_set_updated_at (c, sqlite3_column_int64 (stmt, 12));
  topout_completion_set_climb_color (c, col_text (stmt, 13));
  return c;
}

TopoutClimber *
_topout_store_read_climber (sqlite3_stmt *stmt)
{
  TopoutClimber *c = topout_climber_new ();

  topout_climber_set_id (c, col_text (stmt, 0));
  topout_climber_set_member_code (c, col_text (stmt, 1));
  topout_climber_set_display_name (c, col_text (stmt, 2));
  topout_climber_set_created_at (c, sqlite3_column_int64 (stmt, 3));
  topout_climber_set_updated_at (c, sqlite3_column_int64 (stmt, 4));
  topout_climber_set_archived (c, sqlite3_column_int (stmt, 5));
  topout_climber_set_merged_into (c, col_text (stmt, 6));
  return c;
}

TopoutClimb *
_topout_store_read_climb (sqlite3_stmt *stmt)
{
  TopoutGradeSystem system = TOPOUT_GRADE_SYSTEM_V_SCALE;
  TopoutClimb *c;

  topout_grade_system_from_key (col_text (stmt, 3), &system);
  c = topout_climb_new (col_text (stmt, 0), col_text (stmt, 1), col_text (stmt, 2), system);
  topout_climb_set_color (c, col_text (stmt, 4));
  topout_climb_set_wall (c, col_text (stmt, 5));
  topout_climb_set_set_on (c, col_text (stmt, 6));
  topout_climb_set_retired (c, sqlite3_column_int (stmt, 7));
  topout_climb_set_created_at (c, sqlite3_column_int64 (stmt, 8));
  topout_climb_set_updated_at (c, sqlite3_column_int64 (stmt, 9));
  return c;
}

TopoutSession *
_topout_store_load_session (TopoutStore  *self,
                            const char   *session_id,
                            GError      **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  int rc;

#define LOAD_SESSION "SELECT " TOPOUT_SESSION_COLUMNS " FROM " TOPOUT_SESSION_FROM " WHERE s.id = ?1 AND" TOPOUT_NOT_IN_IMPORT ("s.id", "session")
  stmt = _topout_store_stmt (self, LOAD_SESSION, error);
#undef LOAD_SESSION
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _topout_store_read_session (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_NOT_FOUND,
                 _("This session no longer exists."));
  else
    _topout_store_set_error (self, error, "load session");
  return NULL;
}

/* Raw inserts ------------------------------------------------------------ */

static void
bind_time_or_null (sqlite3_stmt *stmt,
                   int           i,
                   gint64        value)
{
  if (value != 0)
    sqlite3_bind_int64 (stmt, i, value);
  else
    sqlite3_bind_null (stmt, i);
}

gboolean
_topout_store_insert_climber_row (TopoutStore   *self,
                                  TopoutClimber *climber,
                                  GError       **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;

  stmt = _topout_store_stmt (self,
                             "INSERT INTO climbers (id, member_code, display_name, created_at,"
                             " updated_at, archived, merged_into) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, topout_climber_get_id (climber), -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 2, topout_climber_get_member_code (climber));
  sqlite3_bind_text (stmt, 3, topout_climber_get_display_name (climber), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, topout_climber_get_created_at (climber));
  sqlite3_bind_int64 (stmt, 5, topout_climber_get_updated_at (climber));
  sqlite3_bind_int (stmt, 6, topout_climber_get_archived (climber));
  bind_text_or_null (stmt, 7, topout_climber_get_merged_into (climber));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "insert climber");
      return FALSE;
    }
  return TRUE;
}

/* ?1 to ?7: the climb's id, name, grade, grade system, colour, wall, set-on. */
static void
bind_climb_fields (sqlite3_stmt *stmt,
                   TopoutClimb  *climb)
{
  sqlite3_bind_text (stmt, 1, topout_climb_get_id (climb), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, topout_climb_get_name (climb), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, topout_climb_get_grade (climb), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, topout_grade_system_to_key (topout_climb_get_grade_system (climb)), -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 5, topout_climb_get_color (climb));
  bind_text_or_null (stmt, 6, topout_climb_get_wall (climb));
  bind_text_or_null (stmt, 7, topout_climb_get_set_on (climb));
}

gboolean
_topout_store_insert_climb_row (TopoutStore  *self,
                                TopoutClimb  *climb,
                                GError      **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;

  stmt = _topout_store_stmt (self,
                             "INSERT INTO climbs (id, name, grade, grade_system, color, wall, set_on,"
                             " retired, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                             error);
  if (stmt == NULL)
    return FALSE;
  bind_climb_fields (stmt, climb);
  sqlite3_bind_int (stmt, 8, topout_climb_get_retired (climb));
  sqlite3_bind_int64 (stmt, 9, topout_climb_get_created_at (climb));
  sqlite3_bind_int64 (stmt, 10, topout_climb_get_updated_at (climb));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "insert climb");
      return FALSE;
    }
  return TRUE;
}

/* The session's row, with the counts of the routes written with it. */
static gboolean
insert_session (TopoutStore   *self,
                TopoutSession *s,
                const char    *device_id,
                guint          n_routes,
                guint          n_sends,
                gint64         last_logged_at,
                GError       **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  int at_gym = topout_session_get_at_gym (s);

  stmt = _topout_store_stmt (self,
                             "INSERT INTO sessions (id, server_id, climber_id, type, custom_label, name, device_id,"
                             " status, started_at, ended_at, session_date, time_slot,"
                             " is_retroactive, is_at_gym, is_competition, competition_type, competition_id,"
                             " notes, created_at, updated_at, revision, is_demo, sync_state, sync_attempts,"
                             " next_attempt_at, last_error, server_revision, n_routes, n_sends, last_logged_at)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
                             " ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, topout_session_get_id (s), -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 2, topout_session_get_server_id (s));
  sqlite3_bind_text (stmt, 3, topout_session_get_climber_id (s), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, topout_session_type_to_key (topout_session_get_session_type (s)), -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 5, topout_session_get_custom_label (s));
  sqlite3_bind_text (stmt, 6, topout_session_get_name (s), -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 7, device_id);
  sqlite3_bind_text (stmt, 8, topout_session_status_to_key (topout_session_get_status (s)), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, topout_session_get_started_at (s));
  bind_time_or_null (stmt, 10, topout_session_get_ended_at (s));
  sqlite3_bind_text (stmt, 11, topout_session_get_session_date (s), -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 12, topout_time_slot_to_key (topout_session_get_time_slot (s)));
  sqlite3_bind_int (stmt, 13, topout_session_get_is_retroactive (s));
  if (at_gym < 0)
    sqlite3_bind_null (stmt, 14);
  else
    sqlite3_bind_int (stmt, 14, at_gym ? 1 : 0);
  sqlite3_bind_int (stmt, 15, topout_session_get_is_competition (s));
  bind_text_or_null (stmt, 16, topout_session_get_competition_type (s));
  bind_text_or_null (stmt, 17, topout_session_get_competition_id (s));
  sqlite3_bind_text (stmt, 18, topout_session_get_notes (s) ? topout_session_get_notes (s) : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 19, topout_session_get_created_at (s));
  sqlite3_bind_int64 (stmt, 20, topout_session_get_updated_at (s));
  sqlite3_bind_int64 (stmt, 21, MAX (1, topout_session_get_revision (s)));
  sqlite3_bind_int (stmt, 22, topout_session_get_is_demo (s));
  sqlite3_bind_text (stmt, 23, topout_sync_state_to_key (topout_session_get_sync_state (s)), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 24, topout_session_get_sync_attempts (s));
  sqlite3_bind_int64 (stmt, 25, topout_session_get_next_attempt_at (s));
  bind_text_or_null (stmt, 26, topout_session_get_last_error (s));
  sqlite3_bind_int64 (stmt, 27, topout_session_get_server_revision (s));
  sqlite3_bind_int (stmt, 28, n_routes);
  sqlite3_bind_int (stmt, 29, n_sends);
  sqlite3_bind_int64 (stmt, 30, last_logged_at);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE &&
          topout_session_get_status (s) == TOPOUT_SESSION_STATUS_ACTIVE)
        g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_ACTIVE_EXISTS,
                     _("This climber already has an active session. End it before starting another."));
      else
        _topout_store_set_error (self, error, "insert session");
      return FALSE;
    }
  return TRUE;
}

gboolean
_topout_store_insert_session_row (TopoutStore   *self,
                                  TopoutSession *s,
                                  GError       **error)
{
  return insert_session (self, s, NULL, 0, 0, 0, error);
}

/* The row alone; the session's counts are the caller's. */
static gboolean
insert_completion (TopoutStore      *self,
                   TopoutCompletion *c,
                   GError          **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  int rc;

  stmt = _topout_store_stmt (self,
                             "INSERT INTO completions (id, session_id, climb_id, grade, is_success, attempts,"
                             " notes, logged_at, is_competition, competition_type, competition_id, updated_at)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                             error);
  if (stmt == NULL)
    return FALSE;
  /* The route's own strings, bound as they are (not copied: a million
   * copies were a tenth of an import's writing); they outlive the step, and
   * the bindings are cleared before the route goes. */
  sqlite3_bind_text (stmt, 1, topout_completion_get_id (c), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, topout_completion_get_session_id (c), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, topout_completion_get_climb_id (c), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, topout_completion_get_grade (c), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, topout_completion_get_is_success (c));
  sqlite3_bind_int (stmt, 6, topout_completion_get_attempts (c));
  sqlite3_bind_text (stmt, 7, topout_completion_get_notes (c) ? topout_completion_get_notes (c) : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, topout_completion_get_logged_at (c));
  sqlite3_bind_int (stmt, 9, topout_completion_get_is_competition (c));
  if (topout_completion_get_competition_type (c) != NULL)
    sqlite3_bind_text (stmt, 10, topout_completion_get_competition_type (c), -1, SQLITE_STATIC);
  if (topout_completion_get_competition_id (c) != NULL)
    sqlite3_bind_text (stmt, 11, topout_completion_get_competition_id (c), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 12, topout_completion_get_updated_at (c) ? topout_completion_get_updated_at (c)
                                                                     : topout_completion_get_logged_at (c));
  rc = sqlite3_step (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "insert completion");
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_to_counts (TopoutStore *self,
               const char  *session_id,
               guint        n_routes,
               guint        n_sends,
               gint64       last_logged_at,
               GError     **error)
{
  g_autoptr (TopoutStmt) counts = NULL;

  counts = _topout_store_stmt (self,
                               "UPDATE sessions SET n_routes = n_routes + ?2, n_sends = n_sends + ?3,"
                               " last_logged_at = max (last_logged_at, ?4) WHERE id = ?1",
                               error);
  if (counts == NULL)
    return FALSE;
  sqlite3_bind_text (counts, 1, session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (counts, 2, n_routes);
  sqlite3_bind_int (counts, 3, n_sends);
  sqlite3_bind_int64 (counts, 4, last_logged_at);
  if (sqlite3_step (counts) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "session counts");
      return FALSE;
    }
  return TRUE;
}

gboolean
_topout_store_insert_completion_row (TopoutStore      *self,
                                     TopoutCompletion *c,
                                     GError          **error)
{
  return insert_completion (self, c, error) &&
         add_to_counts (self, topout_completion_get_session_id (c), 1,
                        topout_completion_get_is_success (c) ? 1 : 0,
                        topout_completion_get_logged_at (c), error);
}

gboolean
_topout_store_insert_session_rows_from (TopoutStore   *self,
                                        TopoutSession *s,
                                        const char    *device_id,
                                        GPtrArray     *completions,
                                        GError       **error)
{
  guint n = completions != NULL ? completions->len : 0, n_sends = 0;
  gint64 last = 0;

  for (guint i = 0; i < n; i++)
    {
      TopoutCompletion *c = g_ptr_array_index (completions, i);

      n_sends += topout_completion_get_is_success (c) ? 1 : 0;
      last = MAX (last, topout_completion_get_logged_at (c));
    }
  if (!insert_session (self, s, device_id, n, n_sends, last, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!insert_completion (self, g_ptr_array_index (completions, i), error))
      return FALSE;
  return TRUE;
}

/* Opening ----------------------------------------------------------------- */

char *
topout_store_default_path (void)
{
  const char *env = g_getenv ("TOPOUT_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "topout", "topout.db", NULL);
}

/* Whether @haystack, all ASCII, holds @needle (folded, see fold_query())
 * in any case: ASCII text is its own normal form and folds to its lower
 * case, so no copy is made. -1 when @haystack is not all ASCII. */
static int
ascii_contains (const char *haystack,
                const char *needle)
{
  gboolean found = FALSE;

  for (const char *h = haystack; *h != '\0'; h++)
    {
      if ((guchar) *h >= 0x80)
        return -1;
      if (!found)
        {
          gsize i = 0;

          while (needle[i] != '\0' && h[i] != '\0' && g_ascii_tolower (h[i]) == needle[i])
            i++;
          found = needle[i] == '\0';
        }
    }
  return found;
}

/* Folds case and normalises for matching names typed at the desk ("ö" finds
 * "Ö", "e" + combining accent finds "é"). Every climber's name and member
 * code is matched on each keystroke at the desk: the common all-ASCII name
 * is matched where it lies (at 10,000 climbers, 75 M instructions a
 * keystroke with a normalised copy of each). */
static void
sql_contains (sqlite3_context *ctx,
              int              argc,
              sqlite3_value  **argv)
{
  const char *haystack = (const char *) sqlite3_value_text (argv[0]);
  const char *needle = (const char *) sqlite3_value_text (argv[1]);
  g_autofree char *norm_h = NULL;
  g_autofree char *fold_h = NULL;
  int ascii;

  if (needle == NULL || *needle == '\0')
    {
      sqlite3_result_int (ctx, 1);
      return;
    }
  if (haystack == NULL)
    {
      sqlite3_result_int (ctx, 0);
      return;
    }
  ascii = ascii_contains (haystack, needle);
  if (ascii >= 0)
    {
      sqlite3_result_int (ctx, ascii);
      return;
    }
  if (!g_utf8_validate (haystack, -1, NULL))
    {
      sqlite3_result_int (ctx, 0);
      return;
    }
  norm_h = g_utf8_normalize (haystack, -1, G_NORMALIZE_DEFAULT);
  fold_h = g_utf8_casefold (norm_h, -1);
  sqlite3_result_int (ctx, strstr (fold_h, needle) != NULL);
}

/* topout_color_matches (color, needle): whether a climb of that colour is
 * found by its colour's name or family (topout_color_matches()); the
 * needle's colour words are read once per statement. */
static void
sql_color_matches (sqlite3_context *ctx,
                   int              argc,
                   sqlite3_value  **argv)
{
  TopoutColorSearch *search = sqlite3_get_auxdata (ctx, 1);
  TopoutColorSearch *made = NULL;

  if (search == NULL)
    search = made = _topout_color_search_new ((const char *) sqlite3_value_text (argv[1]));
  sqlite3_result_int (ctx, _topout_color_search_matches (search, (const char *) sqlite3_value_text (argv[0])));
  /* Kept for the statement's next rows (or freed at once, as SQLite
   * chooses). */
  if (made != NULL)
    sqlite3_set_auxdata (ctx, 1, made, (void (*) (void *)) _topout_color_search_free);
}

/* The needle for sql_contains(): normalised and folded once per query. */
static char *
fold_query (const char *query)
{
  g_autofree char *stripped = NULL;
  g_autofree char *norm = NULL;

  if (query == NULL || !g_utf8_validate (query, -1, NULL))
    return g_strdup ("");
  stripped = g_strstrip (g_strdup (query));
  norm = g_utf8_normalize (stripped, -1, G_NORMALIZE_DEFAULT);
  return g_utf8_casefold (norm, -1);
}

static gboolean
check_path (const char  *path,
            GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN,
                   _("“%s” is not a file, so it cannot hold a Topout database."), path);
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN,
                   _("The folder “%s” for the database cannot be created: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
configure_connection (TopoutStore  *self,
                      GError      **error)
{
  /* WAL so readers never wait on the writer; synchronous=FULL so a logged
   * completion is on disk when the call returns, even through power loss. */
  static const char *const pragmas[] = {
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    JOURNAL_SIZE_LIMIT_SQL,
  };
  sqlite3_stmt *stmt = NULL;

  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  for (guint i = 0; i < G_N_ELEMENTS (pragmas); i++)
    {
      int rc = sqlite3_prepare_v2 (self->db, pragmas[i], -1, &stmt, NULL);

      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && i == 0 &&
          g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") != 0)
        g_warning ("%s: journal mode is %s, not WAL", self->path, sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
      stmt = NULL;
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN,
                       _("“%s” cannot be read as a Topout database: %s"), self->path, sqlite3_errmsg (self->db));
          return FALSE;
        }
    }

  sqlite3_create_function (self->db, "topout_contains", 2,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                           NULL, sql_contains, NULL, NULL);
  sqlite3_create_function (self->db, "topout_color_matches", 2, SQLITE_UTF8 | SQLITE_INNOCUOUS,
                           NULL, sql_color_matches, NULL, NULL);
  return TRUE;
}

/* @same_as: the device id of the database opened again, or NULL to open or
 * create @path. */
/* Why a database file could not be read, in the words its owner needs:
 * SQLite says "unable to open database file" or "disk I/O error" for a
 * folder it cannot write its log in or a full disk, not for a damaged file. */
static void
describe_open_failure (TopoutStore *self,
                       GError     **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (self->path);
  g_autoptr (GFile) dir = g_file_get_parent (file);
  g_autoptr (GFileInfo) fs = NULL;
  g_autofree char *dir_path = dir != NULL ? g_file_get_path (dir) : g_strdup (".");
  int code = sqlite3_errcode (self->db) & 0xff;  /* the primary code */

  if ((code == SQLITE_CANTOPEN || code == SQLITE_READONLY || code == SQLITE_IOERR) &&
      g_access (dir_path, W_OK) != 0)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN,
                   _("Topout cannot write in the folder of “%s” (%s), where the database keeps its log. "
                     "Open a copy in a folder you can write to. The file was left untouched."),
                   self->path, g_strerror (errno));
      return;
    }
  if (dir != NULL)
    fs = g_file_query_filesystem_info (dir, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if ((code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN) && fs != NULL &&
      g_file_info_has_attribute (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE) &&
      g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE) < 1024 * 1024)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN,
                   _("The disk holding “%s” is full. Free some space, then open it again. "
                     "The file was left untouched."),
                   self->path);
      return;
    }
  g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN,
               _("“%s” cannot be read as a Topout database: %s. The file was left untouched."),
               self->path, sqlite3_errmsg (self->db));
}

static TopoutStore *
store_open (const char  *path,
            const char  *same_as,
            GError     **error)
{
  g_autoptr (TopoutStore) self = NULL;
  g_autofree char *device_id = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (same_as == NULL ? SQLITE_OPEN_CREATE : 0);
  int rc;

  if (same_as == NULL && !check_path (path, error))
    return NULL;

  self = g_object_new (TOPOUT_TYPE_STORE, "path", path, NULL);

  /* Read the header before anything could write to the file: a file that
   * is not ours must stay byte for byte as it was. */
  rc = sqlite3_open_v2 (path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN,
                   _("The database “%s” cannot be opened: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);

  {
    sqlite3_stmt *probe = NULL;

    rc = sqlite3_prepare_v2 (self->db, "SELECT count (*) FROM sqlite_master", -1, &probe, NULL);
    if (rc == SQLITE_OK)
      rc = sqlite3_step (probe);
    sqlite3_finalize (probe);
    if (rc != SQLITE_ROW)
      {
        describe_open_failure (self, error);
        return NULL;
      }
  }

  if (!configure_connection (self, error))
    return NULL;
  if (same_as != NULL)
    {
      device_id = _topout_store_get_meta (self, "device_id");
      if (g_strcmp0 (device_id, same_as) != 0)
        {
          g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN,
                       _("The database “%s” was replaced by another file while Topout had it open."), path);
          return NULL;
        }
      self->device_id = g_steal_pointer (&device_id);
      self->data_version = read_data_version (self);
      return g_steal_pointer (&self);
    }
  if (!_topout_store_migrate (self, self->db, path, error))
    return NULL;

  device_id = _topout_store_get_meta (self, "device_id");
  if (device_id == NULL)
    {
      device_id = g_uuid_string_random ();
      if (!_topout_store_set_meta (self, "device_id", device_id, error))
        return NULL;
    }
  self->device_id = g_steal_pointer (&device_id);

  /* An import that crashed half-way is taken out before anything reads. */
  {
    g_autoptr (GError) local_error = NULL;

    if (topout_store_recover_import (self, &local_error) < 0)
      g_warning ("An unfinished import could not be taken out yet: %s", local_error->message);
  }
  /* So is a merge or a rename whose sessions had not all moved. */
  {
    g_autoptr (GError) local_error = NULL;

    if (!_topout_store_finish_session_moves (self, &local_error))
      g_warning ("An unfinished merge could not be finished yet: %s", local_error->message);
  }
  self->data_version = read_data_version (self);

  return g_steal_pointer (&self);
}

TopoutStore *
topout_store_new (const char  *path,
                  GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  return store_open (path, NULL, error);
}

TopoutStore *
topout_store_open_another (TopoutStore *self,
                           GError     **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  return store_open (self->path, self->device_id, error);
}

void
topout_store_checkpoint_when_idle (TopoutStore *self)
{
  g_return_if_fail (TOPOUT_IS_STORE (self));

  if (self->checkpointer == NULL)
    self->checkpointer = _topout_checkpointer_new (self->db, self->path, CHECKPOINT_IDLE_MS,
                                                   CHECKPOINT_EAGER_PAGES);
}

void
_topout_store_bulk_begin (TopoutStore *self)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self, "PRAGMA cache_size", NULL);

  self->cache_size = stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : -2000;
  /* The chunks are not synced one by one: a bulk write is idempotent (an
   * import), so a chunk lost to a power cut is simply written again. The
   * first commit after _topout_store_bulk_end(), with FULL again, syncs the
   * log and every chunk before it. */
  sqlite3_exec (self->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
  /* Fewer, larger checkpoints (each one syncs): a log of up to 256 MiB.
   * The routes' ids are random (v4 UUIDs), so every chunk rewrites pages
   * all over their index, and a page rewritten by several chunks is copied
   * into the database once per checkpoint. */
  sqlite3_exec (self->db, "PRAGMA wal_autocheckpoint = 65536", NULL, NULL, NULL);
  /* Nor is the log cut back to its limit each time it starts again
   * (cutting and growing 256 MiB again, 30-odd times, cost a quarter of an
   * import's time); it shrinks after _topout_store_bulk_end(). */
  sqlite3_exec (self->db, "PRAGMA journal_size_limit = -1", NULL, NULL, NULL);
  /* A page cache of 64 MiB: a million rows go into four indexes, which
   * otherwise leave and re-enter SQLite's 2 MB cache page by page (reads
   * and writes of the file for every few rows). */
  sqlite3_exec (self->db, "PRAGMA cache_size = -65536", NULL, NULL, NULL);
}

void
_topout_store_bulk_end (TopoutStore *self)
{
  g_autofree char *cache_size = g_strdup_printf ("PRAGMA cache_size = %d", self->cache_size);

  /* Not inside a transaction (SQLite refuses it there): every later
   * commit would go unsynced. */
  if (sqlite3_exec (self->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK)
    g_critical ("The database %s stays at synchronous=NORMAL: %s", self->path, sqlite3_errmsg (self->db));
  if (self->checkpointer != NULL)
    _topout_checkpointer_install (self->checkpointer);
  else
    sqlite3_wal_autocheckpoint (self->db, TOPOUT_STORE_AUTOCHECKPOINT_PAGES);
  sqlite3_exec (self->db, JOURNAL_SIZE_LIMIT_SQL, NULL, NULL, NULL);
  sqlite3_exec (self->db, cache_size, NULL, NULL, NULL);
}

const char *
topout_store_get_path (TopoutStore *self)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  return self->path;
}

const char *
topout_store_get_device_id (TopoutStore *self)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  return self->device_id;
}

int
topout_store_get_schema_version (TopoutStore *self)
{
  g_autoptr (TopoutStmt) stmt = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), -1);
  stmt = _topout_store_stmt (self, "PRAGMA user_version", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (stmt, 0);
}

/* Settings and time -------------------------------------------------------- */

void
topout_store_bind_settings (TopoutStore *self,
                            GSettings   *settings)
{
  g_return_if_fail (TOPOUT_IS_STORE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_settings_bind (settings, "max-sessions-per-day", self, "max-sessions-per-day", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "auto-end-idle-hours", self, "auto-end-idle-hours", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "closing-time", self, "closing-time", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "gym-timezone", self, "gym-timezone", G_SETTINGS_BIND_GET);
}

guint
topout_store_get_max_sessions_per_day (TopoutStore *self)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), 0);
  return self->max_sessions_per_day;
}

void
topout_store_set_max_sessions_per_day (TopoutStore *self,
                                       guint        max)
{
  g_return_if_fail (TOPOUT_IS_STORE (self));
  max = CLAMP (max, TOPOUT_MAX_SESSIONS_PER_DAY_MIN, TOPOUT_MAX_SESSIONS_PER_DAY_MAX);
  if ((guint) self->max_sessions_per_day == max)
    return;
  self->max_sessions_per_day = max;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_SESSIONS_PER_DAY]);
}

guint
topout_store_get_auto_end_idle_hours (TopoutStore *self)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), 0);
  return self->auto_end_idle_hours;
}

void
topout_store_set_auto_end_idle_hours (TopoutStore *self,
                                      guint        hours)
{
  g_return_if_fail (TOPOUT_IS_STORE (self));
  hours = CLAMP (hours, 1, 24);
  if ((guint) self->auto_end_idle_hours == hours)
    return;
  self->auto_end_idle_hours = hours;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_END_IDLE_HOURS]);
}

const char *
topout_store_get_closing_time (TopoutStore *self)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  return self->closing_time;
}

static gboolean
parse_hh_mm (const char *value,
             int        *hour,
             int        *minute)
{
  int h, m;
  char tail;

  if (value == NULL || sscanf (value, "%2d:%2d%c", &h, &m, &tail) != 2 ||
      h < 0 || h > 23 || m < 0 || m > 59)
    return FALSE;
  *hour = h;
  *minute = m;
  return TRUE;
}

void
topout_store_set_closing_time (TopoutStore *self,
                               const char  *hh_mm)
{
  int h, m;

  g_return_if_fail (TOPOUT_IS_STORE (self));
  if (!parse_hh_mm (hh_mm, &h, &m))
    {
      g_warning ("Ignoring closing time “%s”: not HH:MM", hh_mm ? hh_mm : "");
      return;
    }
  if (g_strcmp0 (self->closing_time, hh_mm) == 0)
    return;
  g_free (self->closing_time);
  self->closing_time = g_strdup (hh_mm);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSING_TIME]);
}

const char *
topout_store_get_gym_timezone (TopoutStore *self)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  return self->gym_timezone;
}

GTimeZone *
topout_time_zone_new_named (const char *tz_id)
{
  const char *dir = g_getenv ("TZDIR");
  g_autofree char *file = NULL;

  if (tz_id == NULL || *tz_id == '\0' || *tz_id == '/' || *tz_id == ':' || strstr (tz_id, "..") != NULL)
    return NULL;
  /* GLib reads a POSIX rule too, "UTC+3" as three hours west of UTC: only a
   * name of the time zone database is one a person means. */
  if (!g_str_equal (tz_id, "UTC"))
    {
      file = g_build_filename (dir != NULL && *dir != '\0' ? dir : "/usr/share/zoneinfo", tz_id, NULL);
      if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
        return NULL;
    }
  return g_time_zone_new_identifier (tz_id);
}

void
topout_store_set_gym_timezone (TopoutStore *self,
                               const char  *tz_id)
{
  GTimeZone *zone = NULL;

  g_return_if_fail (TOPOUT_IS_STORE (self));
  if (tz_id != NULL && *tz_id == '\0')
    tz_id = NULL;
  if (self->time_zone != NULL && g_strcmp0 (self->gym_timezone, tz_id) == 0)
    return;

  if (tz_id != NULL)
    {
      zone = topout_time_zone_new_named (tz_id);
      if (zone == NULL)
        g_warning ("Unknown time zone “%s”; using the system’s", tz_id);
    }
  if (zone == NULL)
    zone = g_time_zone_new_local ();

  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = zone;
  g_free (self->gym_timezone);
  self->gym_timezone = g_strdup (tz_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GYM_TIMEZONE]);
}

GTimeZone *
topout_store_get_time_zone (TopoutStore *self)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  return self->time_zone;
}

void
topout_store_set_clock (TopoutStore     *self,
                        TopoutClockFunc  func,
                        gpointer         user_data)
{
  g_return_if_fail (TOPOUT_IS_STORE (self));
  self->clock_func = func ? func : real_clock;
  self->clock_data = user_data;
}

gint64
topout_store_now (TopoutStore *self)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), 0);
  return self->clock_func (self->clock_data);
}

/* @usec on the gym's clock and calendar, as @format says. */
static char *
format_local (TopoutStore *self,
              gint64       usec,
              const char  *format)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  g_return_val_if_fail (utc != NULL, NULL);
  local = g_date_time_to_timezone (utc, self->time_zone);
  return g_date_time_format (local, format);
}

char *
topout_store_date_of (TopoutStore *self,
                      gint64       usec)
{
  return format_local (self, usec, "%Y-%m-%d");
}

char *
topout_store_time_of (TopoutStore *self,
                      gint64       usec)
{
  return format_local (self, usec, "%H:%M");
}

guint
topout_wall_clock_instants (GTimeZone   *tz,
                            const GDate *day,
                            int          minutes,
                            gint64       out[2])
{
  g_autoptr (GDateTime) wall = NULL;
  gint64 reading;
  guint n = 0;

  g_return_val_if_fail (tz != NULL && day != NULL && g_date_valid (day), 0);

  wall = g_date_time_new_utc (g_date_get_year (day), g_date_get_month (day), g_date_get_day (day),
                              minutes / 60, minutes % 60, 0);
  if (wall == NULL)
    return 0;
  reading = g_date_time_to_unix (wall);
  /* Asked for the type interval i is not, g_time_zone_find_interval()
   * gives the neighbour that also reads the time when there is one
   * (whatever that one's type: Moscow read 01:30 twice on 26 October
   * 2014, both times standard time), else i: asked for both types, it
   * gives each interval that reads it, and -1 for a time skipped. */
  for (int type = G_TIME_TYPE_STANDARD; type <= G_TIME_TYPE_DAYLIGHT; type++)
    {
      gint interval = g_time_zone_find_interval (tz, (GTimeType) type, reading);
      gint64 at;

      if (interval < 0)
        continue;
      at = (reading - g_time_zone_get_offset (tz, interval)) * G_USEC_PER_SEC;
      if (n == 1 && at == out[0])
        continue;
      if (n == 1 && at < out[0])
        {
          out[1] = out[0];
          out[0] = at;
        }
      else
        out[n] = at;
      n++;
    }
  return n;
}

char *
topout_missing_time_message (GTimeZone   *tz,
                             const GDate *day,
                             int          minutes,
                             const char  *date_text)
{
  /* GLib moves a time the clocks skip to the time they go forward to. */
  g_autoptr (GDateTime) forward_to = g_date_time_new (tz, g_date_get_year (day), g_date_get_month (day),
                                                      g_date_get_day (day), minutes / 60, minutes % 60, 0);
  g_autoptr (GDateTime) just_before = forward_to ? g_date_time_add_seconds (forward_to, -1) : NULL;
  g_autofree char *typed = g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);

  if (just_before != NULL)
    {
      /* The clocks' reading at the jump, before it and after it. */
      gint64 at = g_date_time_to_unix (forward_to);
      g_autoptr (GDateTime) from_wall = g_date_time_new_from_unix_utc (at + g_date_time_get_utc_offset (just_before) / G_USEC_PER_SEC);
      g_autofree char *from = g_date_time_format (from_wall, "%H:%M");
      g_autofree char *to = g_date_time_format (forward_to, "%H:%M");

      /* Translators: a time typed that the gym's clocks skip: "There is no
       * 02:30 on Sun 29 Mar 2026: the clocks go forward from 02:00 to 03:00
       * that day." (the time typed, the date, the clocks' jump) */
      return g_strdup_printf (_("There is no %s on %s: the clocks go forward from %s to %s that day."),
                              typed, date_text, from, to);
    }
  /* Translators: a time typed that does not exist; the time, the date */
  return g_strdup_printf (_("There is no %s on %s in the gym’s time zone."), typed, date_text);
}

/* @usec moved @days whole days on the gym's calendar: the same reading of
 * its clocks, seconds and all, at *@moved. 0 when the clocks skip that
 * reading on the new day (*@day and *@minutes: which), else the number of
 * times they read it (*@moved: the first). */
static guint
move_days (TopoutStore *self,
           gint64       usec,
           int          days,
           GDate       *day,
           int         *minutes,
           gint64      *moved)
{
  gint64 secs = usec / G_USEC_PER_SEC, frac = usec % G_USEC_PER_SEC;
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;
  gint64 at[2];
  guint n;

  if (frac < 0)
    {
      secs--;
      frac += G_USEC_PER_SEC;
    }
  utc = g_date_time_new_from_unix_utc (secs);
  local = utc ? g_date_time_to_timezone (utc, self->time_zone) : NULL;
  if (local == NULL)
    return 0;
  g_date_clear (day, 1);
  g_date_set_dmy (day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  if (days > 0)
    g_date_add_days (day, (guint) days);
  else if (days < 0)
    g_date_subtract_days (day, (guint) -days);
  if (!g_date_valid (day))
    return 0;
  *minutes = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  n = topout_wall_clock_instants (self->time_zone, day, *minutes, at);
  if (n > 0)
    *moved = at[0] + g_date_time_get_second (local) * G_USEC_PER_SEC + frac;
  return n;
}

/* @usec moved by @days whole days on the gym's calendar: the same wall-clock
 * time, also across a change to or from summer time; the first of a time
 * the clocks read twice. A time they skip is moved as far past the jump
 * as it was past the hour skipped (GLib's g_date_time_add_days()): callers
 * that keep the time use topout_store_move_days(). 0 stays 0. */
gint64
topout_store_add_days (TopoutStore *self,
                       gint64       usec,
                       int          days)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) forward = NULL;
  gint64 moved;
  GDate day;
  int minutes;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), usec);

  if (usec == 0 || days == 0)
    return usec;
  if (move_days (self, usec, days, &day, &minutes, &moved) > 0)
    return moved;
  utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  local = utc ? g_date_time_to_timezone (utc, self->time_zone) : NULL;
  forward = local ? g_date_time_add_days (local, days) : NULL;
  if (forward == NULL)
    return usec;
  return g_date_time_to_unix (forward) * G_USEC_PER_SEC + usec % G_USEC_PER_SEC;
}

gboolean
topout_store_move_days (TopoutStore  *self,
                        gint64        usec,
                        int           days,
                        gint64       *moved,
                        GError      **error)
{
  GDate day;
  int minutes = 0;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);

  *moved = usec;
  if (usec == 0 || days == 0)
    return TRUE;
  if (move_days (self, usec, days, &day, &minutes, moved) == 0)
    {
      char iso[11];
      g_autofree char *message = NULL;

      *moved = usec;
      if (!g_date_valid (&day))
        return TRUE;  /* no such day: the date is refused as it is */
      g_snprintf (iso, sizeof iso, "%04d-%02d-%02d", g_date_get_year (&day), g_date_get_month (&day),
                  g_date_get_day (&day));
      message = topout_missing_time_message (self->time_zone, &day, minutes, iso);
      g_set_error_literal (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_START, message);
      return FALSE;
    }
  return TRUE;
}

char *
topout_store_today (TopoutStore *self)
{
  return topout_store_date_of (self, topout_store_now (self));
}

static gint64
datetime_to_usec (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static GDateTime *
usec_to_local (TopoutStore *self,
               gint64       usec)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_to_timezone (utc, self->time_zone);
}

gint64
_topout_store_next_closing (TopoutStore *self,
                            gint64       usec)
{
  g_autoptr (GDateTime) local = usec_to_local (self, usec);
  g_autoptr (GDateTime) closing = NULL;
  int h = 23, m = 0;
  gint64 result;

  parse_hh_mm (self->closing_time, &h, &m);
  closing = g_date_time_new (self->time_zone, g_date_time_get_year (local), g_date_time_get_month (local),
                             g_date_time_get_day_of_month (local), h, m, 0);
  result = datetime_to_usec (closing);
  if (result <= usec)
    {
      g_autoptr (GDateTime) next = g_date_time_add_days (closing, 1);
      result = datetime_to_usec (next);
    }
  return result;
}

char *
_topout_store_business_date (TopoutStore *self,
                             gint64       usec)
{
  g_autoptr (GDateTime) local = usec_to_local (self, usec);
  int h = 23, m = 0;
  int closing, minute_of_day;

  parse_hh_mm (self->closing_time, &h, &m);
  closing = h * 60 + m;
  minute_of_day = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  if (closing < 12 * 60 && minute_of_day < closing)
    {
      g_autoptr (GDateTime) before = g_date_time_add_days (local, -1);
      return g_date_time_format (before, "%Y-%m-%d");
    }
  return g_date_time_format (local, "%Y-%m-%d");
}

gboolean
_topout_store_slot_bounds (TopoutStore    *self,
                           const char     *date,
                           TopoutTimeSlot  slot,
                           gint64         *start,
                           gint64         *end)
{
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  int y, mo, d, start_hour = 12, end_hour = 12;

  if (date == NULL || sscanf (date, "%4d-%2d-%2d", &y, &mo, &d) != 3 || !g_date_valid_dmy (d, mo, y))
    return FALSE;
  topout_time_slot_get_hours (slot, &start_hour, &end_hour);
  from = g_date_time_new (self->time_zone, y, mo, d, start_hour, 0, 0);
  to = g_date_time_new (self->time_zone, y, mo, d, end_hour, 0, 0);
  if (from == NULL || to == NULL)
    return FALSE;
  if (end_hour < start_hour)
    {
      GDateTime *next = g_date_time_add_days (to, 1);
      g_date_time_unref (to);
      to = next;
    }
  *start = datetime_to_usec (from);
  *end = datetime_to_usec (to);
  return TRUE;
}

TopoutTimeSlot
_topout_store_slot_of (TopoutStore *self,
                       gint64       usec)
{
  g_autoptr (GDateTime) local = usec_to_local (self, usec);

  return topout_time_slot_for_time (local);
}

/* Climbers ------------------------------------------------------------------ */

/* By id, as the lists find them: a climber an import under way has added
 * is nobody's yet (a session started for one would outlive a refused
 * import's undo, and a merge into one would be taken out with it). */
static TopoutClimber *
load_climber (TopoutStore  *self,
              const char   *climber_id,
              GError      **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  int rc;

#define LOAD_CLIMBER "SELECT " TOPOUT_CLIMBER_COLUMNS " FROM climbers WHERE id = ?1 AND" TOPOUT_NOT_IN_IMPORT ("climbers.id", "climber")
  stmt = _topout_store_stmt (self, LOAD_CLIMBER, error);
#undef LOAD_CLIMBER
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, climber_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _topout_store_read_climber (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_NOT_FOUND,
                 _("There is no such climber."));
  else
    _topout_store_set_error (self, error, "load climber");
  return NULL;
}

TopoutClimber *
topout_store_get_climber (TopoutStore  *self,
                          const char   *climber_id,
                          GError      **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  if (climber_id == NULL)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_NOT_FOUND, _("There is no such climber."));
      return NULL;
    }
  return load_climber (self, climber_id, error);
}

/* A member code in use by another climber: that climber's name, else NULL.
 * Codes are told apart without their case: "m-0002" typed at the desk is
 * the card "M-0002", not a second person. */
static char *
member_code_owner (TopoutStore *self,
                   const char  *member_code,
                   const char  *except_id,
                   gboolean    *in_import)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                    "SELECT display_name, " TOPOUT_NOT_IN_IMPORT ("climbers.id", "climber")
                                                    " FROM climbers WHERE member_code = ?1 COLLATE NOCASE"
                                                    " AND id IS NOT ?2",
                                                    NULL);
  *in_import = FALSE;
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, member_code, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 2, except_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *in_import = sqlite3_column_int (stmt, 1) == 0;
      return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  return NULL;
}

static gboolean
check_climber_fields (TopoutStore  *self,
                      const char   *display_name,
                      const char   *member_code,
                      const char   *except_id,
                      GError      **error)
{
  g_autofree char *owner = NULL;
  gboolean in_import;

  if (!_topout_check_text (display_name, TOPOUT_LIMIT_NAME_MIN, TOPOUT_LIMIT_NAME_MAX, _("The name"), error))
    return FALSE;
  if (member_code == NULL)
    return TRUE;
  if (!_topout_check_text (member_code, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, _("The member code"), error))
    return FALSE;
  owner = member_code_owner (self, member_code, except_id, &in_import);
  /* A climber nobody can see yet (a file being imported brings them):
   * neither a name to show nor a reason to type the code again. */
  if (owner != NULL && in_import)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                   _("The member code %s comes with an import that is under way. "
                     "Try again when the import has finished."), member_code);
      return FALSE;
    }
  if (owner != NULL)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DUPLICATE,
                   _("The member code %s already belongs to %s."), member_code, owner);
      return FALSE;
    }
  return TRUE;
}

/* Blank member codes mean none; names are trimmed. */
static char *
clean_optional (const char *value)
{
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (value));
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

TopoutClimber *
topout_store_add_climber (TopoutStore  *self,
                          const char   *display_name,
                          const char   *member_code,
                          GError      **error)
{
  g_autoptr (TopoutClimber) climber = NULL;
  g_autofree char *name = clean_optional (display_name);
  g_autofree char *code = clean_optional (member_code);
  g_autofree char *id = NULL;
  gint64 now;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);

  now = topout_store_now (self);
  id = g_uuid_string_random ();
  climber = topout_climber_new ();
  topout_climber_set_id (climber, id);
  topout_climber_set_display_name (climber, name);
  topout_climber_set_member_code (climber, code);
  topout_climber_set_created_at (climber, now);
  topout_climber_set_updated_at (climber, now);

  /* The member code checked inside the transaction that writes it: the
   * desk in another process may take it meanwhile, and the database's
   * UNIQUE would refuse it with no owner to name. */
  if (!_topout_store_begin (self, error))
    return NULL;
  if (!check_climber_fields (self, name, code, NULL, error) ||
      !_topout_store_insert_climber_row (self, climber, error) ||
      !_topout_store_commit (self, error))
    {
      _topout_store_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&climber);
}

gboolean
topout_store_update_climber (TopoutStore   *self,
                             TopoutClimber *climber,
                             GError       **error)
{
  g_autoptr (TopoutClimber) before = NULL;
  g_autoptr (TopoutStmt) stmt = NULL;
  g_autofree char *name = NULL;
  g_autofree char *code = NULL;
  const char *id;
  gint64 now;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (TOPOUT_IS_CLIMBER (climber), FALSE);

  id = topout_climber_get_id (climber);
  name = clean_optional (topout_climber_get_display_name (climber));
  code = clean_optional (topout_climber_get_member_code (climber));

  /* Read and checked inside the transaction that writes: another process
   * may take the member code, or rename the climber, meanwhile (the
   * sessions go again only for a change from what is stored). */
  now = topout_store_now (self);
  if (!_topout_store_begin (self, error))
    return FALSE;
  if (!(before = load_climber (self, id, error)) ||
      !check_climber_fields (self, name, code, id, error))
    goto fail;
  stmt = _topout_store_stmt (self,
                             "UPDATE climbers SET display_name = ?2, member_code = ?3, updated_at = ?4 WHERE id = ?1",
                             error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, code);
  sqlite3_bind_int64 (stmt, 4, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "update climber");
      goto fail;
    }
  /* Every session sent carries the climber's name and member code (and the
   * server's content hash covers them): the sessions go again, so that the
   * server learns the correction and a retry of an answer lost before the
   * edit is an update, not a conflict. The history shows the names. */
  if (g_strcmp0 (name, topout_climber_get_display_name (before)) != 0 ||
      g_strcmp0 (code, topout_climber_get_member_code (before)) != 0)
    {
      if (!_topout_store_queue_session_move (self, id, NULL, now, error))
        goto fail;
    }
  /* The sessions go in chunks of their own transactions. */
  return _topout_store_commit (self, error) && _topout_store_finish_session_moves (self, error);

fail:
  _topout_store_rollback (self);
  return FALSE;
}

/* Runs @sql (?1 @id, ?2 @flag, ?3 now) in the transaction under way;
 * @what names the write in a database error. */
static gboolean
write_flag (TopoutStore *self,
            const char  *sql,
            const char  *id,
            gboolean     flag,
            const char  *what,
            GError     **error)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, flag ? 1 : 0);
  sqlite3_bind_int64 (stmt, 3, topout_store_now (self));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, what);
      return FALSE;
    }
  return TRUE;
}

/* write_flag() in a transaction of its own. */
static gboolean
set_flag (TopoutStore *self,
          const char  *sql,
          const char  *id,
          gboolean     flag,
          const char  *what,
          GError     **error)
{
  if (!_topout_store_begin (self, error))
    return FALSE;
  if (!write_flag (self, sql, id, flag, what, error) || !_topout_store_commit (self, error))
    {
      _topout_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
topout_store_set_climber_archived (TopoutStore *self,
                                   const char  *climber_id,
                                   gboolean     archived,
                                   GError     **error)
{
  g_autoptr (TopoutClimber) climber = NULL;
  g_autoptr (TopoutSession) active = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);

  /* Checked inside the transaction that writes: the desk in another
   * process may start a session for the climber meanwhile. */
  if (!_topout_store_begin (self, error))
    return FALSE;
  if (!(climber = topout_store_get_climber (self, climber_id, error)))
    goto fail;
  if (archived && (active = topout_store_get_active_session (self, climber_id)) != NULL)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                   _("%s has an active session. End it before archiving."),
                   topout_climber_get_display_name (climber));
      goto fail;
    }
  /* A merged record is empty, its sessions and member code with the
   * survivor: restored, it would be the person's second record on the
   * desk, and the sessions logged for it would be apart from theirs. The
   * Climbers page offers no Restore for it. */
  if (!archived && topout_climber_get_archived (climber) && topout_climber_get_merged_into (climber) != NULL)
    {
      g_autoptr (TopoutClimber) into = topout_store_get_climber (self, topout_climber_get_merged_into (climber),
                                                                 error);

      if (into == NULL)
        goto fail;
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                   /* Translators: "Bo K. was merged into Bo Kim and cannot be restored." */
                   _("%s was merged into %s and cannot be restored."),
                   topout_climber_get_display_name (climber), topout_climber_get_display_name (into));
      goto fail;
    }
  if (!write_flag (self, "UPDATE climbers SET archived = ?2, updated_at = ?3 WHERE id = ?1", climber_id, archived,
                   "archive climber", error) ||
      !_topout_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  _topout_store_rollback (self);
  return FALSE;
}

GPtrArray *
topout_store_find_climbers (TopoutStore *self,
                            const char  *query,
                            gboolean     include_archived,
                            guint        limit)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  g_autofree char *needle = fold_query (query);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (TOPOUT_IS_STORE (self), result);

  /* The climbers of an import under way stay out (at the desk too: a
   * session started for one would outlive a refused import's undo). */
#define FIND_CLIMBERS(HIDE) \
  "SELECT " TOPOUT_CLIMBER_COLUMNS " FROM climbers" \
  " WHERE (?2 OR archived = 0)" \
  "   AND (topout_contains (display_name, ?1) OR topout_contains (member_code, ?1))" HIDE \
  /* A scanned card's exact code first: "42" is Zed's 42, not Abe's 142. */ \
  " ORDER BY coalesce (member_code = ?4 COLLATE NOCASE, 0) DESC," \
  "          display_name COLLATE NOCASE, id LIMIT ?3"
  stmt = _topout_store_stmt_hiding_import (self, TOPOUT_HIDING_IMPORT (FIND_CLIMBERS, "climbers.id", "climber"), NULL);
#undef FIND_CLIMBERS
  if (stmt == NULL)
    return result;
  sqlite3_bind_text (stmt, 1, needle, -1, SQLITE_TRANSIENT);
  if (query != NULL)
    {
      g_autofree char *exact = g_strstrip (g_strdup (query));

      sqlite3_bind_text (stmt, 4, exact, -1, SQLITE_TRANSIENT);
    }
  sqlite3_bind_int (stmt, 2, include_archived ? 1 : 0);
  sqlite3_bind_int64 (stmt, 3, limit ? (gint64) limit : -1);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (result, _topout_store_read_climber (stmt));
  return result;
}

/* Climbs ------------------------------------------------------------------- */

static gboolean
check_climb_fields (TopoutClimb  *climb,
                    GError      **error)
{
  const char *set_on = topout_climb_get_set_on (climb);

  return _topout_check_text (topout_climb_get_id (climb), TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX,
                             _("The climb id"), error) &&
         _topout_check_text (topout_climb_get_name (climb), TOPOUT_LIMIT_NAME_MIN, TOPOUT_LIMIT_NAME_MAX,
                             _("The climb name"), error) &&
         _topout_check_text (topout_climb_get_grade (climb), TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX,
                             _("The grade"), error) &&
         _topout_check_grade (topout_climb_get_grade (climb), topout_climb_get_grade_system (climb), error) &&
         _topout_check_text (topout_climb_get_color (climb), 0, TOPOUT_LIMIT_KEY_MAX, _("The colour"), error) &&
         _topout_check_color (topout_climb_get_color (climb), error) &&
         _topout_check_text (topout_climb_get_wall (climb), 0, TOPOUT_LIMIT_NAME_MAX, _("The wall"), error) &&
         (set_on == NULL || *set_on == '\0' || _topout_check_date (set_on, error));
}

static TopoutClimb *
load_climb (TopoutStore  *self,
            const char   *climb_id,
            gboolean      with_import,
            GError      **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  int rc;

#define LOAD_CLIMB "SELECT " TOPOUT_CLIMB_COLUMNS " FROM climbs WHERE id = ?1"
  if (with_import)
    stmt = _topout_store_stmt (self, LOAD_CLIMB, error);
  else
    stmt = _topout_store_stmt (self, LOAD_CLIMB " AND" TOPOUT_NOT_IN_IMPORT ("climbs.id", "climb"), error);
#undef LOAD_CLIMB
  if (stmt == NULL)
    return NULL;
  bind_text_or_null (stmt, 1, climb_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _topout_store_read_climb (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_NOT_FOUND,
                 _("The climb “%s” is not in the catalog."), climb_id ? climb_id : "");
  else
    _topout_store_set_error (self, error, "load climb");
  return NULL;
}

/* As the catalog lists them: not a climb an import under way has added. */
TopoutClimb *
topout_store_get_climb (TopoutStore  *self,
                        const char   *climb_id,
                        GError      **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  return load_climb (self, climb_id, FALSE, error);
}

TopoutClimb *
_topout_store_get_climb_in_import (TopoutStore  *self,
                                   const char   *climb_id,
                                   GError      **error)
{
  return load_climb (self, climb_id, TRUE, error);
}

gboolean
topout_store_add_climb (TopoutStore  *self,
                        TopoutClimb  *climb,
                        GError      **error)
{
  g_autoptr (TopoutClimb) existing = NULL;
  g_autoptr (TopoutClimb) row = NULL;
  gint64 now;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (TOPOUT_IS_CLIMB (climb), FALSE);

  if (!check_climb_fields (climb, error))
    return FALSE;
  /* The id checked inside the transaction that writes it: another process
   * may add it meanwhile, and the database would refuse it with no climb
   * to name. */
  if (!_topout_store_begin (self, error))
    return FALSE;
  if ((existing = topout_store_get_climb (self, topout_climb_get_id (climb), NULL)) != NULL)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DUPLICATE,
                   _("The catalog already has a climb with the id %s (%s)."),
                   topout_climb_get_id (climb), topout_climb_get_name (existing));
      goto fail;
    }
  /* Not listed yet: an import under way brings it. */
  if ((existing = load_climb (self, topout_climb_get_id (climb), TRUE, NULL)) != NULL)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                   _("The climb id %s comes with an import that is under way. "
                     "Try again when the import has finished."), topout_climb_get_id (climb));
      goto fail;
    }

  now = topout_store_now (self);
  row = topout_climb_copy (climb);
  topout_climb_set_created_at (row, now);
  topout_climb_set_updated_at (row, now);
  topout_climb_set_retired (row, FALSE);
  if (!_topout_store_insert_climb_row (self, row, error) ||
      !_topout_store_commit (self, error))
    goto fail;
  topout_climb_set_created_at (climb, now);
  topout_climb_set_updated_at (climb, now);
  return TRUE;

fail:
  _topout_store_rollback (self);
  return FALSE;
}

gboolean
topout_store_update_climb (TopoutStore  *self,
                           TopoutClimb  *climb,
                           GError      **error)
{
  g_autoptr (TopoutClimb) existing = NULL;
  g_autoptr (TopoutStmt) stmt = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);

  if (!check_climb_fields (climb, error) ||
      !(existing = topout_store_get_climb (self, topout_climb_get_id (climb), error)))
    return FALSE;

  if (!_topout_store_begin (self, error))
    return FALSE;
  /* The grade of logged completions stays as it was when logged. */
  stmt = _topout_store_stmt (self,
                             "UPDATE climbs SET name = ?2, grade = ?3, grade_system = ?4, color = ?5, wall = ?6,"
                             " set_on = ?7, updated_at = ?8 WHERE id = ?1",
                             error);
  if (stmt == NULL)
    goto fail;
  bind_climb_fields (stmt, climb);
  sqlite3_bind_int64 (stmt, 8, topout_store_now (self));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "update climb");
      goto fail;
    }
  return _topout_store_commit (self, error);

fail:
  _topout_store_rollback (self);
  return FALSE;
}

gboolean
topout_store_set_climb_retired (TopoutStore *self,
                                const char  *climb_id,
                                gboolean     retired,
                                GError     **error)
{
  g_autoptr (TopoutClimb) existing = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);

  if (!(existing = topout_store_get_climb (self, climb_id, error)))
    return FALSE;
  return set_flag (self, "UPDATE climbs SET retired = ?2, updated_at = ?3 WHERE id = ?1", climb_id, retired,
                   "retire climb", error);
}

GPtrArray *
topout_store_find_climbs (TopoutStore *self,
                          const char  *query,
                          const char  *climber_id,
                          guint        limit)
{
  return topout_store_find_climbs_full (self, query, climber_id, FALSE, limit);
}

GPtrArray *
topout_store_find_climbs_full (TopoutStore *self,
                               const char  *query,
                               const char  *climber_id,
                               gboolean     include_retired,
                               guint        limit)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  g_autoptr (GHashTable) recent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) recent_order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) rest = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *needle = fold_query (query);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *first = g_ptr_array_new_with_free_func (unref_nullable);

  g_return_val_if_fail (TOPOUT_IS_STORE (self), result);

  /* The climber's climbs of the last 30 days, most recent first: a bounded
   * walk through their sessions, whatever the size of the history. */
  if (climber_id != NULL)
    {
      g_autofree char *since = topout_store_date_of (self, topout_store_now (self) - (gint64) 30 * 24 * 3600 * G_USEC_PER_SEC);
      g_autoptr (TopoutStmt) rec = NULL;

#define RECENT_CLIMBS \
  "SELECT p.climb_id, max (p.logged_at) AS t" \
  " FROM sessions s JOIN completions p ON p.session_id = s.id" \
  " WHERE s.climber_id = ?1 AND s.session_date >= ?2 AND" TOPOUT_NOT_IN_IMPORT ("s.id", "session") \
  " GROUP BY p.climb_id ORDER BY t DESC LIMIT 50"
      rec = _topout_store_stmt (self, RECENT_CLIMBS, NULL);
#undef RECENT_CLIMBS
      if (rec != NULL)
        {
          sqlite3_bind_text (rec, 1, climber_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (rec, 2, since, -1, SQLITE_TRANSIENT);
          while (sqlite3_step (rec) == SQLITE_ROW)
            {
              char *id = g_strdup ((const char *) sqlite3_column_text (rec, 0));
              g_ptr_array_add (recent_order, id);
              g_hash_table_insert (recent, g_strdup (id), GUINT_TO_POINTER (recent_order->len));
            }
        }
    }

  /* The climbs of an import under way stay out, in the catalog and the
   * climb picker alike. */
#define FIND_CLIMBS(HIDE) \
  "SELECT " TOPOUT_CLIMB_COLUMNS " FROM climbs WHERE (?2 OR retired = 0)" \
  " AND (topout_contains (name, ?1) OR topout_contains (grade, ?1)" \
  "      OR topout_contains (color, ?1) OR topout_color_matches (color, ?1)" \
  "      OR topout_contains (wall, ?1))" HIDE \
  " ORDER BY name COLLATE NOCASE, id"
  stmt = _topout_store_stmt_hiding_import (self, TOPOUT_HIDING_IMPORT (FIND_CLIMBS, "climbs.id", "climb"), NULL);
#undef FIND_CLIMBS
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, needle, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, include_retired ? 1 : 0);
      g_ptr_array_set_size (first, recent_order->len);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          /* Column 0 is the id (TOPOUT_CLIMB_COLUMNS). Past @limit, only
           * the recent ones, wherever the name puts them, are still read
           * into climbs: the picker's empty query matches the whole catalog. */
          guint rank = GPOINTER_TO_UINT (g_hash_table_lookup (recent, sqlite3_column_text (stmt, 0)));
          TopoutClimb *climb;

          if (rank == 0 && limit > 0 && rest->len >= limit)
            continue;
          climb = _topout_store_read_climb (stmt);
          if (rank > 0)
            first->pdata[rank - 1] = climb;
          else
            g_ptr_array_add (rest, climb);
        }
    }

  for (guint i = 0; i < first->len; i++)
    if (first->pdata[i] != NULL)
      g_ptr_array_add (result, g_steal_pointer (&first->pdata[i]));
  for (guint i = 0; i < rest->len && (limit == 0 || result->len < limit); i++)
    g_ptr_array_add (result, g_object_ref (rest->pdata[i]));
  if (limit > 0 && result->len > limit)
    g_ptr_array_set_size (result, limit);
  g_ptr_array_unref (first);
  return result;
}

/* GObject ------------------------------------------------------------------- */

static void
topout_store_finalize (GObject *object)
{
  TopoutStore *self = (TopoutStore *) object;

  if (self->wal_monitor != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->wal_monitor, wal_changed_cb, self);
      g_file_monitor_cancel (self->wal_monitor);
      g_clear_object (&self->wal_monitor);
    }
  if (self->wal_check != NULL)
    {
      g_source_destroy (self->wal_check);
      g_clear_pointer (&self->wal_check, g_source_unref);
    }
  g_clear_pointer (&self->checkpointer, _topout_checkpointer_free);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      if (sqlite3_close (self->db) != SQLITE_OK)
        g_warning ("Closing %s: %s", self->path, sqlite3_errmsg (self->db));
      self->db = NULL;
    }
  g_clear_pointer (&self->pending_before, g_ptr_array_unref);
  g_clear_pointer (&self->pending_after, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->device_id, g_free);
  g_clear_pointer (&self->closing_time, g_free);
  g_clear_pointer (&self->gym_timezone, g_free);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);

  G_OBJECT_CLASS (topout_store_parent_class)->finalize (object);
}

static void
topout_store_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TopoutStore *self = TOPOUT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_MAX_SESSIONS_PER_DAY:
      g_value_set_int (value, self->max_sessions_per_day);
      break;
    case PROP_AUTO_END_IDLE_HOURS:
      g_value_set_int (value, self->auto_end_idle_hours);
      break;
    case PROP_CLOSING_TIME:
      g_value_set_string (value, self->closing_time);
      break;
    case PROP_GYM_TIMEZONE:
      g_value_set_string (value, self->gym_timezone ? self->gym_timezone : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_store_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TopoutStore *self = TOPOUT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    case PROP_MAX_SESSIONS_PER_DAY:
      topout_store_set_max_sessions_per_day (self, g_value_get_int (value));
      break;
    case PROP_AUTO_END_IDLE_HOURS:
      topout_store_set_auto_end_idle_hours (self, g_value_get_int (value));
      break;
    case PROP_CLOSING_TIME:
      topout_store_set_closing_time (self, g_value_get_string (value));
      break;
    case PROP_GYM_TIMEZONE:
      topout_store_set_gym_timezone (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_store_class_init (TopoutStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = topout_store_finalize;
  object_class->get_property = topout_store_get_property;
  object_class->set_property = topout_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_SESSIONS_PER_DAY] =
    g_param_spec_int ("max-sessions-per-day", NULL, NULL,
                      TOPOUT_MAX_SESSIONS_PER_DAY_MIN, TOPOUT_MAX_SESSIONS_PER_DAY_MAX,
                      TOPOUT_MAX_SESSIONS_PER_DAY_MAX,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTO_END_IDLE_HOURS] =
    g_param_spec_int ("auto-end-idle-hours", NULL, NULL, 1, 24, 4,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOSING_TIME] =
    g_param_spec_string ("closing-time", NULL, NULL, "23:00",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GYM_TIMEZONE] =
    g_param_spec_string ("gym-timezone", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TopoutStore::session-changed:
   * @before: (nullable): the session before the write, %NULL when it is new
   * @after: (nullable): the session after the write, %NULL when it is gone
   *
   * Emitted after a write that changed one session has committed.
   */
  signals[SESSION_CHANGED] =
    g_signal_new ("session-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, TOPOUT_TYPE_SESSION, TOPOUT_TYPE_SESSION);
  /**
   * TopoutStore::sessions-reset:
   *
   * Emitted after a write that changed many sessions (or climber names) has
   * committed: anything showing sessions reads them again.
   */
  signals[SESSIONS_RESET] =
    g_signal_new ("sessions-reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TopoutStore::sessions-sync-changed:
   *
   * Emitted after a write that changed the sync bookkeeping of many sessions
   * (a sync's batch: state, attempts, errors, server ids and revisions) and
   * nothing else has committed. Which sessions exist, their order and all
   * they hold but that bookkeeping are as they were: what shows sync states
   * reads them again, nothing else needs to.
   */
  signals[SESSIONS_SYNC_CHANGED] =
    g_signal_new ("sessions-sync-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
topout_store_init (TopoutStore *self)
{
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                            finalize_stmt);
  self->pending_before = g_ptr_array_new_with_free_func (unref_nullable);
  self->pending_after = g_ptr_array_new_with_free_func (unref_nullable);
  self->max_sessions_per_day = TOPOUT_MAX_SESSIONS_PER_DAY_MAX;
  self->auto_end_idle_hours = 4;
  self->closing_time = g_strdup ("23:00");
  self->clock_func = real_clock;
  topout_store_set_gym_timezone (self, NULL);
}
