/* topout-store-export.c — sessions out (CSV, JSON lines) and back in.
 * See topout-export.h for the formats and the import's guarantees.
 */
#define G_LOG_DOMAIN "topout-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "topout-export.h"
#include "topout-json-strict.h"
#include "topout-limits.h"
#include "topout-store-private.h"
#include "topout-sync-codec.h"

/* The header line starts with this, always (it is how a file is told apart). */
#define EXPORT_MAGIC "{\"topoutExport\":"
#define EXPORT_VERSION 1
/* Output is written in blocks of this size. */
#define WRITE_BLOCK (64 * 1024)
/* A header may hold a big catalog and every climber; a session line is as
 * long as max_session_line_bytes() says, which may be longer. */
#define MAX_HEADER_BYTES (TOPOUT_LIMIT_BODY_BYTES + 1024)
/* Write transactions of the import end after this long (SPEC section 7). */
#define CHUNK_USEC (20 * 1000)
/* Threads decoding an import's lines while another writes them. */
#define N_DECODERS 2
/* Problems listed one by one; past this, one line says how many more. */
#define MAX_LISTED_PROBLEMS 1000

gboolean
topout_export_format_from_string (const char         *text,
                                  TopoutExportFormat *out)
{
  if (g_strcmp0 (text, "csv") == 0)
    *out = TOPOUT_EXPORT_CSV;
  else if (g_strcmp0 (text, "json") == 0)
    *out = TOPOUT_EXPORT_JSON;
  else
    return FALSE;
  return TRUE;
}

/* Progress, called when it moved by at least half a percent. */
typedef struct {
  TopoutProgressFunc func;
  gpointer           user_data;
  double             last;
} Progress;

static void
progress_report (Progress *p,
                 double    fraction)
{
  if (p->func == NULL)
    return;
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction >= 1.0 ? p->last < 1.0 : fraction - p->last >= 0.005)
    {
      p->last = fraction;
      p->func (fraction, p->user_data);
    }
}

/* A bounded hand-over between two threads ------------------------------- */

/* Batches of work go from a producer to a consumer thread, at most
 * PIPE_SLOTS in flight, so neither runs ahead by more than that much memory.
 * Reading the database (or decoding a file) and encoding (or writing the
 * database) then run on the two cores at once. A used batch goes back to the
 * producer, which frees it before its next push: the consumer (the slower
 * of the two, in an export and in an import) spends no time on it, and the
 * memory goes back to the thread that allocated it. */
#define PIPE_SLOTS 8
#define PIPE_BATCH 64

static int pipe_end_marker;
#define PIPE_END ((gpointer) &pipe_end_marker)
static int pipe_free_slot_marker;
#define PIPE_FREE_SLOT ((gpointer) &pipe_free_slot_marker)

typedef struct {
  GAsyncQueue *full;   /* GPtrArray* batches, then PIPE_END */
  GAsyncQueue *slots;  /* PIPE_FREE_SLOT or a used batch: one is taken per push */
} Pipe;

static void
pipe_init (Pipe *p)
{
  p->full = g_async_queue_new ();
  p->slots = g_async_queue_new ();
  for (guint i = 0; i < PIPE_SLOTS; i++)
    g_async_queue_push (p->slots, PIPE_FREE_SLOT);
}

static void
free_slot (gpointer slot)
{
  if (slot != PIPE_FREE_SLOT)
    g_ptr_array_unref (slot);
}

/* Once the consumer is done: frees the used batches not taken back. */
static void
pipe_clear (Pipe *p)
{
  gpointer slot;

  while ((slot = g_async_queue_try_pop (p->slots)) != NULL)
    free_slot (slot);
  g_async_queue_unref (p->full);
  g_async_queue_unref (p->slots);
}

/* Producer: hands over @batch (or PIPE_END), waiting for a free slot (and
 * freeing the used batch it comes back as). */
static void
pipe_push (Pipe     *p,
           gpointer  batch)
{
  if (batch != PIPE_END)
    free_slot (g_async_queue_pop (p->slots));
  g_async_queue_push (p->full, batch);
}

/* Consumer: the next batch or PIPE_END; pipe_done() once it is used. */
static gpointer
pipe_pop (Pipe *p)
{
  return g_async_queue_pop (p->full);
}

/* Consumer: gives @batch back to the producer, to be freed there. */
static void
pipe_done (Pipe      *p,
           GPtrArray *batch)
{
  g_async_queue_push (p->slots, batch);
}

/* Export ----------------------------------------------------------------- */

/* The selection, bound as ?1 climber, ?2 from, ?3 to, ?4 type, ?5 sync
 * state; never the sessions
 * of an import still under way or left half done (its journal names them
 * until it is whole or taken out again: all or nothing, for an export too). */
#define FILTER_TERMS \
  " (?1 IS NULL OR s.climber_id = ?1)" \
  " AND (?2 IS NULL OR s.session_date >= ?2) AND (?3 IS NULL OR s.session_date <= ?3)" \
  " AND (?4 IS NULL OR s.type = ?4) AND (?5 IS NULL OR s.sync_state = ?5)" \
  " AND" TOPOUT_NOT_IN_IMPORT_LIST ("s.id", "session")
#define FILTER_WHERE " s.status != 'ACTIVE' AND" FILTER_TERMS

static void
bind_filter (sqlite3_stmt             *stmt,
             const TopoutExportFilter *filter)
{
  bind_text_or_null (stmt, 1, filter ? filter->climber_id : NULL);
  bind_text_or_null (stmt, 2, filter ? filter->from : NULL);
  bind_text_or_null (stmt, 3, filter ? filter->to : NULL);
  bind_text_or_null (stmt, 4, filter ? filter->session_type : NULL);
  bind_text_or_null (stmt, 5, filter ? filter->sync_state : NULL);
}

typedef struct {
  GOutputStream *out;
  GCancellable  *cancellable;
  GString       *buf;
} Writer;

static gboolean
writer_flush (Writer    *w,
              gboolean   force,
              GError   **error)
{
  if (w->buf->len == 0 || (!force && w->buf->len < WRITE_BLOCK))
    return TRUE;
  if (!g_output_stream_write_all (w->out, w->buf->str, w->buf->len, NULL, w->cancellable, error))
    return FALSE;
  g_string_truncate (w->buf, 0);
  return TRUE;
}

/* RFC 4180: quoted when it holds a comma, quote or line break. A cell that a
 * spreadsheet would run as a formula (=, +, -, @, Tab or carriage return
 * first, as OWASP's CSV injection guidance lists them) gets a leading
 * apostrophe: names and notes are typed by anyone at a kiosk. Only the CSV:
 * the JSON export, the one read back, keeps them as typed. */
static void
csv_cell (GString    *out,
          const char *value,
          gboolean    last)
{
  if (value != NULL && *value != '\0')
    {
      gboolean formula = strchr ("=+-@\t\r", value[0]) != NULL;
      gboolean quote = formula || strpbrk (value, ",\"\r\n") != NULL;

      if (!quote)
        g_string_append (out, value);
      else
        {
          g_string_append (out, formula ? "\"'" : "\"");
          /* Each '"' doubled: copy up to and including it, then one more. */
          for (const char *p = value, *q; *p; p = q + 1)
            {
              q = strchr (p, '"');
              if (q == NULL)
                {
                  g_string_append (out, p);
                  break;
                }
              g_string_append_len (out, p, q - p + 1);
              g_string_append_c (out, '"');
            }
          g_string_append_c (out, '"');
        }
    }
  g_string_append (out, last ? "\r\n" : ",");
}

static const char *const csv_columns[] = {
  "sessionClientId", "climberId", "memberCode", "climberName", "type", "customLabel", "name",
  "status", "startTime", "endTime", "sessionDate", "timeSlot", "isRetroactive", "isAtGym",
  "isCompetition", "competitionType", "competitionId", "sessionNotes", "revision",
  "routeClientId", "climbId", "climbName", "grade", "isSuccess", "attempts", "routeNotes",
  "loggedAt", "routeIsCompetition", "routeCompetitionType", "routeCompetitionId",
};

static const char *
bool_text (gboolean value)
{
  return value ? "true" : "false";
}

/* A time cell: empty for none (0). */
static void
csv_time_cell (GString *out,
               gint64   usec)
{
  char text[TOPOUT_SYNC_TIME_TEXT_SIZE];

  csv_cell (out, usec != 0 && topout_sync_format_time (usec, text) ? text : NULL, FALSE);
}

static void
csv_session_cells (GString       *out,
                   TopoutSession *s,
                   TopoutClimber *climber)
{
  g_autofree char *revision = g_strdup_printf ("%" G_GINT64_FORMAT, topout_session_get_revision (s));
  int at_gym = topout_session_get_at_gym (s);

  csv_cell (out, topout_session_get_id (s), FALSE);
  csv_cell (out, topout_session_get_climber_id (s), FALSE);
  csv_cell (out, climber ? topout_climber_get_member_code (climber) : NULL, FALSE);
  csv_cell (out, climber ? topout_climber_get_display_name (climber) : topout_session_get_climber_name (s), FALSE);
  csv_cell (out, topout_session_type_to_key (topout_session_get_session_type (s)), FALSE);
  csv_cell (out, topout_session_get_custom_label (s), FALSE);
  csv_cell (out, topout_session_get_name (s), FALSE);
  csv_cell (out, topout_session_status_to_key (topout_session_get_status (s)), FALSE);
  csv_time_cell (out, topout_session_get_started_at (s));
  csv_time_cell (out, topout_session_get_ended_at (s));
  csv_cell (out, topout_session_get_session_date (s), FALSE);
  csv_cell (out, topout_time_slot_to_key (topout_session_get_time_slot (s)), FALSE);
  csv_cell (out, bool_text (topout_session_get_is_retroactive (s)), FALSE);
  csv_cell (out, at_gym < 0 ? NULL : bool_text (at_gym), FALSE);
  csv_cell (out, bool_text (topout_session_get_is_competition (s)), FALSE);
  csv_cell (out, topout_session_get_competition_type (s), FALSE);
  csv_cell (out, topout_session_get_competition_id (s), FALSE);
  csv_cell (out, topout_session_get_notes (s), FALSE);
  csv_cell (out, revision, FALSE);
}

static void
csv_session_rows (GString       *out,
                  TopoutSession *s,
                  TopoutClimber *climber,
                  GPtrArray     *completions,
                  GHashTable    *climb_names)
{
  gsize start = out->len;
  g_autofree char *prefix = NULL;

  /* The session's cells are the same on each of its rows: made once. */
  csv_session_cells (out, s, climber);
  prefix = g_strndup (out->str + start, out->len - start);
  if (completions == NULL || completions->len == 0)
    {
      for (guint i = 19; i < G_N_ELEMENTS (csv_columns); i++)
        csv_cell (out, NULL, i + 1 == G_N_ELEMENTS (csv_columns));
      return;
    }
  for (guint i = 0; i < completions->len; i++)
    {
      TopoutCompletion *c = g_ptr_array_index (completions, i);
      char attempts[16];

      g_snprintf (attempts, sizeof attempts, "%u", topout_completion_get_attempts (c));
      if (i > 0)
        g_string_append (out, prefix);
      csv_cell (out, topout_completion_get_id (c), FALSE);
      csv_cell (out, topout_completion_get_climb_id (c), FALSE);
      csv_cell (out, g_hash_table_lookup (climb_names, topout_completion_get_climb_id (c)), FALSE);
      csv_cell (out, topout_completion_get_grade (c), FALSE);
      csv_cell (out, bool_text (topout_completion_get_is_success (c)), FALSE);
      csv_cell (out, attempts, FALSE);
      csv_cell (out, topout_completion_get_notes (c), FALSE);
      csv_time_cell (out, topout_completion_get_logged_at (c));
      csv_cell (out, bool_text (topout_completion_get_is_competition (c)), FALSE);
      csv_cell (out, topout_completion_get_competition_type (c), FALSE);
      csv_cell (out, topout_completion_get_competition_id (c), TRUE);
    }
}

static void
add_member (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_bool (JsonBuilder *b,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

/* The header line; fills @climbers (id → TopoutClimber) on the way. */
static char *
json_header (TopoutStore              *self,
             const TopoutExportFilter *filter,
             guint                     n_sessions,
             GHashTable               *climbers,
             GError                  **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (TopoutStmt) stmt = NULL;
  char now_text[TOPOUT_SYNC_TIME_TEXT_SIZE];
  g_autofree char *body = NULL;
  int rc;

  /* The store's clock, as every other time the store writes. */
  if (!topout_sync_format_time (topout_store_now (self), now_text))
    now_text[0] = '\0';

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "topoutExport");
  json_builder_add_int_value (b, EXPORT_VERSION);
  add_member (b, "app", "Topout " PACKAGE_VERSION);
  add_member (b, "exportedAt", now_text[0] != '\0' ? now_text : NULL);
  add_member (b, "deviceId", topout_store_get_device_id (self));
  json_builder_set_member_name (b, "sessions");
  json_builder_add_int_value (b, n_sessions);
  /* Rule 11: demo data stays marked as such, also in a file. */
  if (topout_store_is_demo (self))
    add_bool (b, "demo", TRUE);

  json_builder_set_member_name (b, "climbers");
  json_builder_begin_array (b);
  stmt = _topout_store_stmt (self,
                             "SELECT " TOPOUT_CLIMBER_COLUMNS " FROM climbers WHERE id IN"
                             " (SELECT s.climber_id FROM sessions s WHERE" FILTER_WHERE ") ORDER BY id",
                             error);
  if (stmt == NULL)
    return NULL;
  bind_filter (stmt, filter);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TopoutClimber *c = _topout_store_read_climber (stmt);

      json_builder_begin_object (b);
      add_member (b, "id", topout_climber_get_id (c));
      add_member (b, "memberCode", topout_climber_get_member_code (c));
      add_member (b, "displayName", topout_climber_get_display_name (c));
      add_bool (b, "archived", topout_climber_get_archived (c));
      json_builder_end_object (b);
      g_hash_table_insert (climbers, g_strdup (topout_climber_get_id (c)), c);
    }
  if (rc != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "export climbers");
      return NULL;
    }
  json_builder_end_array (b);
  g_clear_pointer (&stmt, sqlite3_reset);

  json_builder_set_member_name (b, "climbs");
  json_builder_begin_array (b);
  stmt = _topout_store_stmt (self,
                             /* Per climb, the first completion that passes the
                              * filter (the climb index): a million completions
                              * are not joined with their sessions to find 300
                              * climbs. */
                             "SELECT " TOPOUT_CLIMB_COLUMNS " FROM climbs WHERE EXISTS"
                             " (SELECT 1 FROM completions p JOIN sessions s ON s.id = p.session_id"
                             "  WHERE p.climb_id = climbs.id AND" FILTER_WHERE ") ORDER BY id",
                             error);
  if (stmt == NULL)
    return NULL;
  bind_filter (stmt, filter);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (TopoutClimb) c = _topout_store_read_climb (stmt);

      json_builder_begin_object (b);
      add_member (b, "id", topout_climb_get_id (c));
      add_member (b, "name", topout_climb_get_name (c));
      add_member (b, "grade", topout_climb_get_grade (c));
      add_member (b, "gradeSystem", topout_grade_system_to_key (topout_climb_get_grade_system (c)));
      add_member (b, "color", topout_climb_get_color (c));
      add_member (b, "wall", topout_climb_get_wall (c));
      add_member (b, "setOn", topout_climb_get_set_on (c));
      add_bool (b, "retired", topout_climb_get_retired (c));
      json_builder_end_object (b);
    }
  if (rc != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "export climbs");
      return NULL;
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  {
    GString *text = g_string_new (NULL);

    json_generator_to_gstring (gen, text);
    topout_json_mend_generated (text, 0);
    body = g_string_free (text, FALSE);
  }
  /* The magic prefix is what tells an export apart: keep it exact. */
  g_assert (g_str_has_prefix (body, EXPORT_MAGIC));
  return g_steal_pointer (&body);
}

/* Climbers for the CSV's member codes. */
static gboolean
load_climbers (TopoutStore              *self,
               const TopoutExportFilter *filter,
               GHashTable               *climbers,
               GError                  **error)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                    "SELECT " TOPOUT_CLIMBER_COLUMNS " FROM climbers WHERE id IN"
                                                    " (SELECT s.climber_id FROM sessions s WHERE" FILTER_WHERE ")",
                                                    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_filter (stmt, filter);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TopoutClimber *c = _topout_store_read_climber (stmt);
      g_hash_table_insert (climbers, g_strdup (topout_climber_get_id (c)), c);
    }
  if (rc != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "export climbers");
      return FALSE;
    }
  return TRUE;
}

/* Every climb's name, for the CSV's climb-name cells: the catalog is small,
 * and a map spares a join per completion. */
static gboolean
load_climb_names (TopoutStore  *self,
                  GHashTable   *names,
                  GError      **error)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self, "SELECT id, name FROM climbs", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  if (rc != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "export climbs");
      return FALSE;
    }
  return TRUE;
}

static guint
count_selected (TopoutStore              *self,
                const TopoutExportFilter *filter,
                GError                  **error)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self, "SELECT count (*) FROM sessions s WHERE" FILTER_WHERE, error);

  if (stmt == NULL)
    return 0;
  bind_filter (stmt, filter);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _topout_store_set_error (self, error, "export count");
      return 0;
    }
  return (guint) sqlite3_column_int64 (stmt, 0);
}

guint
topout_store_count_active_left_out (TopoutStore              *self,
                                    const TopoutExportFilter *filter)
{
  g_autoptr (TopoutStmt) stmt = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), 0);
  /* The active sessions' partial index: a few rows, whatever the filter. */
  stmt = _topout_store_stmt (self, "SELECT count (*) FROM sessions s WHERE s.status = 'ACTIVE' AND" FILTER_TERMS,
                             NULL);
  if (stmt == NULL)
    return 0;
  bind_filter (stmt, filter);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return (guint) sqlite3_column_int64 (stmt, 0);
}

/* One session on its way to the encoder. */
typedef struct {
  TopoutSession *session;   /* completions set */
  TopoutClimber *climber;   /* nullable */
  char          *device_id; /* the device that recorded it, when another one */
} ExportItem;

static void
export_item_free (gpointer data)
{
  ExportItem *item = data;

  g_object_unref (item->session);
  g_clear_object (&item->climber);
  g_free (item->device_id);
  g_free (item);
}

/* The encoder thread: sessions to text to the output stream. */
typedef struct {
  Pipe               pipe;
  TopoutExportFormat format;
  const char        *device_id;
  Writer            *w;
  GHashTable        *climb_names; /* CSV: climb id → name */
  GError            *error;   /* the first write error */
  int                failed;  /* atomic: tells the reader to stop */
} Encoder;

static gpointer
encoder_thread (gpointer data)
{
  Encoder *e = data;
  g_autoptr (TopoutSessionEncoder) json = topout_session_encoder_new (e->device_id);
  /* Sessions imported from other devices: one encoder per device. */
  g_autoptr (GHashTable) others = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) topout_session_encoder_free);
  GPtrArray *batch;

  while ((batch = pipe_pop (&e->pipe)) != PIPE_END)
    {
      for (guint i = 0; e->error == NULL && i < batch->len; i++)
        {
          ExportItem *item = g_ptr_array_index (batch, i);

          if (e->format == TOPOUT_EXPORT_JSON)
            {
              TopoutSessionEncoder *encoder = json;

              if (item->device_id != NULL &&
                  (encoder = g_hash_table_lookup (others, item->device_id)) == NULL)
                {
                  encoder = topout_session_encoder_new (item->device_id);
                  g_hash_table_insert (others, g_strdup (item->device_id), encoder);
                }
              topout_session_encoder_append (encoder, item->session, item->climber, e->w->buf);
              g_string_append_c (e->w->buf, '\n');
            }
          else
            csv_session_rows (e->w->buf, item->session, item->climber,
                              topout_session_get_completions (item->session), e->climb_names);
          if (!writer_flush (e->w, FALSE, &e->error))
            g_atomic_int_set (&e->failed, TRUE);
        }
      pipe_done (&e->pipe, batch);
    }
  if (e->error == NULL && !writer_flush (e->w, TRUE, &e->error))
    g_atomic_int_set (&e->failed, TRUE);
  return NULL;
}

static gboolean
export_rows (TopoutStore              *self,
             TopoutExportFormat        format,
             const TopoutExportFilter *filter,
             Writer                   *w,
             Progress                 *progress,
             guint                    *n_sessions,
             guint                    *n_completions,
             GError                  **error)
{
  g_autoptr (GHashTable) climbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_autoptr (GHashTable) climb_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (TopoutStmt) stmt = NULL;
  g_autoptr (GError) local_error = NULL;
  Encoder e = { .format = format, .device_id = topout_store_get_device_id (self), .w = w,
                .climb_names = climb_names };
  GPtrArray *batch = NULL;
  GThread *thread;
  guint total, done = 0, routes = 0;
  int rc = SQLITE_DONE;

  total = count_selected (self, filter, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (format == TOPOUT_EXPORT_JSON)
    {
      g_autofree char *header = json_header (self, filter, total, climbers, error);

      if (header == NULL)
        return FALSE;
      g_string_append (w->buf, header);
      g_string_append_c (w->buf, '\n');
    }
  else
    {
      if (!load_climbers (self, filter, climbers, error) || !load_climb_names (self, climb_names, error))
        return FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
        csv_cell (w->buf, csv_columns[i], i + 1 == G_N_ELEMENTS (csv_columns));
    }

  stmt = _topout_store_stmt (self,
                             "SELECT " TOPOUT_SESSION_COLUMNS ", s.device_id FROM " TOPOUT_SESSION_FROM
                             " WHERE" FILTER_WHERE " ORDER BY s.session_date, s.started_at, s.id",
                             error);
  if (stmt == NULL)
    return FALSE;
  bind_filter (stmt, filter);

  /* This thread reads; the encoder turns sessions into text and writes. */
  pipe_init (&e.pipe);
  thread = g_thread_new ("topout-export", encoder_thread, &e);
  while (!g_atomic_int_get (&e.failed) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ExportItem *item = g_new0 (ExportItem, 1);
      GPtrArray *completions;

      item->session = _topout_store_read_session (stmt);
      item->device_id = g_strdup ((const char *) sqlite3_column_text (stmt, TOPOUT_SESSION_N_COLUMNS));
      /* Without the catalog: JSON carries no climb names, CSV takes them
       * from climb_names. */
      completions = _topout_store_read_completions (self, topout_session_get_id (item->session), FALSE,
                                                    &local_error);
      if (completions == NULL)
        {
          export_item_free (item);
          break;
        }
      topout_session_set_completions (item->session, completions);
      item->climber = g_hash_table_lookup (climbers, topout_session_get_climber_id (item->session));
      if (item->climber != NULL)
        g_object_ref (item->climber);
      routes += completions->len;
      done++;

      if (batch == NULL)
        batch = g_ptr_array_new_full (PIPE_BATCH, export_item_free);
      g_ptr_array_add (batch, item);
      if (batch->len == PIPE_BATCH)
        pipe_push (&e.pipe, g_steal_pointer (&batch));
      if (total > 0)
        progress_report (progress, (double) done / total);
    }
  if (batch != NULL)
    pipe_push (&e.pipe, g_steal_pointer (&batch));
  pipe_push (&e.pipe, PIPE_END);
  g_thread_join (thread);
  pipe_clear (&e.pipe);

  if (e.error != NULL)
    {
      g_propagate_error (error, e.error);
      return FALSE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "export sessions");
      return FALSE;
    }
  progress_report (progress, 1.0);
  if (n_sessions != NULL)
    *n_sessions = done;
  if (n_completions != NULL)
    *n_completions = routes;
  return TRUE;
}

gboolean
topout_store_export (TopoutStore              *self,
                     TopoutExportFormat        format,
                     const TopoutExportFilter *filter,
                     GOutputStream            *out,
                     TopoutProgressFunc        progress,
                     gpointer                  user_data,
                     GCancellable             *cancellable,
                     guint                    *n_sessions,
                     guint                    *n_completions,
                     GError                  **error)
{
  Writer w = { out, cancellable, g_string_sized_new (WRITE_BLOCK * 2) };
  Progress p = { progress, user_data, -1.0 };
  sqlite3 *db;
  gboolean ok;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  if (filter != NULL && ((filter->from != NULL && !_topout_check_date (filter->from, error)) ||
                         (filter->to != NULL && !_topout_check_date (filter->to, error))))
    {
      g_string_free (w.buf, TRUE);
      return FALSE;
    }

  /* One read snapshot (WAL: writers go on meanwhile, nobody waits). */
  db = _topout_store_get_db (self);
  if (sqlite3_exec (db, "BEGIN DEFERRED", NULL, NULL, NULL) != SQLITE_OK)
    {
      _topout_store_set_error (self, error, "export begin");
      g_string_free (w.buf, TRUE);
      return FALSE;
    }
  progress_report (&p, 0.0);
  ok = export_rows (self, format, filter, &w, &p, n_sessions, n_completions, error);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  g_string_free (w.buf, TRUE);
  return ok;
}

/* @path with its symbolic links followed, also to a file not there yet
 * (a link to the name an export makes); NULL when it is no link. */
static char *
follow_links (const char *path)
{
  g_autofree char *current = g_strdup (path);

  for (guint i = 0; i < 32; i++)
    {
      g_autofree char *link = NULL;
      GStatBuf st;

      if (g_lstat (current, &st) != 0 || !S_ISLNK (st.st_mode))
        return i > 0 ? g_steal_pointer (&current) : NULL;
      link = g_file_read_link (current, NULL);
      if (link == NULL)
        return NULL;
      if (!g_path_is_absolute (link))
        {
          g_autofree char *dir = g_path_get_dirname (current);
          char *joined = g_build_filename (dir, link, NULL);

          g_free (link);
          link = joined;
        }
      g_free (current);
      current = g_steal_pointer (&link);
    }
  return NULL;
}

/* TRUE when @path (its links followed; @st its stat, NULL when it is not
 * there) is the database @self reads from or a file SQLite or Topout keeps
 * beside it: an export renamed over one of them replaced the database with
 * the export, every session of it lost. Told by name and, for a file that
 * is there, by device and inode (a hard link, a folder reached through a
 * link). */
static gboolean
is_database_file (TopoutStore    *self,
                  const char     *path,
                  const GStatBuf *st)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal", ".import-lock", ".sync-lock" };
  g_autofree char *name = g_canonicalize_filename (path, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (topout_store_get_path (self), suffixes[i], NULL);
      g_autofree char *canonical = g_canonicalize_filename (file, NULL);
      GStatBuf file_st;

      if (strcmp (canonical, name) == 0)
        return TRUE;
      if (st != NULL && g_stat (file, &file_st) == 0 &&
          file_st.st_dev == st->st_dev && file_st.st_ino == st->st_ino)
        return TRUE;
    }
  return FALSE;
}

/* What a file is written with: the sessions, or a competition's ranking. */
typedef gboolean (*WriteFunc) (TopoutStore   *self,
                               GOutputStream *out,
                               gpointer       data,
                               GCancellable  *cancellable,
                               GError       **error);

/* Streams the export into @path as it is, no file beside it: a pipe,
 * /dev/stdout, a device. */
static gboolean
export_into (TopoutStore   *self,
             const char    *path,
             WriteFunc      write,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr (GOutputStream) out = NULL;
  int fd = g_open (path, O_WRONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  out = g_unix_output_stream_new (fd, TRUE);
  if (!write (self, out, data, cancellable, error))
    {
      g_output_stream_close (out, NULL, NULL);
      return FALSE;
    }
  return g_output_stream_close (out, cancellable, error);
}

/* Writes @file with @write, replaced only once whole. */
static gboolean
write_whole_file (TopoutStore   *self,
                  GFile         *file,
                  WriteFunc      write,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr (GFileOutputStream) out = NULL;
  g_autoptr (GCancellable) abandon = NULL;
  g_autoptr (GOutputStream) part_out = NULL;
  g_autofree char *part = NULL;
  const char *path;
  int fd;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  /* A local file: written as "NAME.XXXXXX.part" beside it and renamed over
   * it once complete and on the disk, so that the name never holds part of
   * an export (killed, or a full disk), nor loses what it held before. A
   * symbolic link is followed (the file it names is replaced, the link
   * stays), a file's mode is kept (an export holds names and member codes),
   * and what is no file (a pipe, /dev/stdout, a device) is written into. */
  path = g_file_peek_path (file);
  if (path != NULL)
    {
      g_autofree char *target = NULL;
      GStatBuf st;
      gboolean exists;

      exists = g_stat (path, &st) == 0;
      if (exists && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
        return export_into (self, path, write, data, cancellable, error);
      target = follow_links (path);
      if (target != NULL)
        path = target;
      if (is_database_file (self, path, exists ? &st : NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                       /* Translators: %s is the file chosen for an export */
                       _("%s is the database the sessions are read from, or a file of it; "
                         "write the export to another file"), path);
          return FALSE;
        }
      part = g_strconcat (path, ".XXXXXX.part", NULL);
      fd = g_mkstemp_full (part, O_WRONLY | O_CLOEXEC, 0666);
      if (fd < 0)
        {
          int saved_errno = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot write beside %s: %s"), path, g_strerror (saved_errno));
          return FALSE;
        }
      if (exists && S_ISREG (st.st_mode))
        {
          /* As the file was: its mode, and its owner when allowed. */
          if (fchmod (fd, st.st_mode & 07777) != 0)
            g_debug ("Cannot keep the mode of %s: %s", path, g_strerror (errno));
          if (fchown (fd, st.st_uid, st.st_gid) != 0)
            g_debug ("Cannot keep the owner of %s: %s", path, g_strerror (errno));
        }
      part_out = g_unix_output_stream_new (fd, TRUE);
      if (write (self, part_out, data, cancellable, error))
        {
          if (fsync (fd) != 0)
            {
              int saved_errno = errno;
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           _("Cannot write %s: %s"), part, g_strerror (saved_errno));
            }
          else if (g_output_stream_close (part_out, cancellable, error))
            {
              if (g_rename (part, path) == 0)
                return TRUE;
              {
                int saved_errno = errno;
                g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                             _("Cannot write %s: %s"), path, g_strerror (saved_errno));
              }
            }
        }
      g_output_stream_close (part_out, NULL, NULL);
      g_unlink (part);
      return FALSE;
    }

  /* Elsewhere (GVfs), GIO's own replacement: written beside the file and
   * renamed over it when closed. */
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, error);
  if (out == NULL)
    return FALSE;
  if (write (self, G_OUTPUT_STREAM (out), data, cancellable, error))
    return g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error);

  /* Closing with a cancelled cancellable drops the temporary file and keeps
   * whatever was there before. */
  abandon = g_cancellable_new ();
  g_cancellable_cancel (abandon);
  g_output_stream_close (G_OUTPUT_STREAM (out), abandon, NULL);
  return FALSE;
}

typedef struct {
  TopoutExportFormat        format;
  const TopoutExportFilter *filter;
  TopoutProgressFunc        progress;
  gpointer                  user_data;
  guint                    *n_sessions;
  guint                    *n_completions;
} SessionsWrite;

static gboolean
write_sessions (TopoutStore   *self,
                GOutputStream *out,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  SessionsWrite *w = data;

  return topout_store_export (self, w->format, w->filter, out, w->progress, w->user_data, cancellable,
                              w->n_sessions, w->n_completions, error);
}

gboolean
topout_store_export_to_file (TopoutStore              *self,
                             TopoutExportFormat        format,
                             const TopoutExportFilter *filter,
                             GFile                    *file,
                             TopoutProgressFunc        progress,
                             gpointer                  user_data,
                             GCancellable             *cancellable,
                             guint                    *n_sessions,
                             guint                    *n_completions,
                             GError                  **error)
{
  SessionsWrite w = { format, filter, progress, user_data, n_sessions, n_completions };

  return write_whole_file (self, file, write_sessions, &w, cancellable, error);
}

/* A competition's ranking ------------------------------------------------- */

static const char *const ranking_columns[] = {
  "place", "climberName", "memberCode", "tops", "attemptsToTop", "attempts",
  "competitionType", "competitionId",
};

gboolean
topout_store_export_ranking (TopoutStore    *self,
                             const char     *competition_type,
                             const char     *competition_id,
                             GOutputStream  *out,
                             GCancellable   *cancellable,
                             guint          *n_climbers,
                             GError        **error)
{
  g_autoptr (GPtrArray) ranking = NULL;
  g_autoptr (GString) buf = g_string_new (NULL);

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (competition_type != NULL && competition_id != NULL, FALSE);

  /* One statement: one snapshot. */
  ranking = topout_store_rank_competition (self, competition_type, competition_id);
  for (guint i = 0; i < G_N_ELEMENTS (ranking_columns); i++)
    csv_cell (buf, ranking_columns[i], i + 1 == G_N_ELEMENTS (ranking_columns));
  for (guint i = 0; i < ranking->len; i++)
    {
      TopoutScorecardRank *rank = g_ptr_array_index (ranking, i);
      g_autoptr (TopoutClimber) climber = topout_store_get_climber (self, rank->climber_id, NULL);
      /* The place as the Scorecard writes it: "2=" where shared. */
      g_autofree char *place = g_strdup_printf (rank->tied ? C_("scorecard place", "%u=") : "%u", rank->place);
      g_autofree char *tops = g_strdup_printf ("%u", rank->tops);
      /* No top, nothing to count: empty, not a 0 that reads as a top
       * without an attempt (the Scorecard shows a dash). */
      g_autofree char *to_top = rank->tops > 0 ? g_strdup_printf ("%u", rank->attempts_to_top) : NULL;
      g_autofree char *attempts = g_strdup_printf ("%u", rank->attempts);

      csv_cell (buf, place, FALSE);
      csv_cell (buf, rank->climber_name, FALSE);
      csv_cell (buf, climber != NULL ? topout_climber_get_member_code (climber) : NULL, FALSE);
      csv_cell (buf, tops, FALSE);
      csv_cell (buf, to_top, FALSE);
      csv_cell (buf, attempts, FALSE);
      csv_cell (buf, competition_type, FALSE);
      csv_cell (buf, competition_id, TRUE);
    }
  if (!g_output_stream_write_all (out, buf->str, buf->len, NULL, cancellable, error))
    return FALSE;
  if (n_climbers != NULL)
    *n_climbers = ranking->len;
  return TRUE;
}

typedef struct {
  const char *competition_type;
  const char *competition_id;
  guint      *n_climbers;
} RankingWrite;

static gboolean
write_ranking (TopoutStore   *self,
               GOutputStream *out,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  RankingWrite *w = data;

  return topout_store_export_ranking (self, w->competition_type, w->competition_id, out, cancellable,
                                      w->n_climbers, error);
}

gboolean
topout_store_export_ranking_to_file (TopoutStore    *self,
                                     const char     *competition_type,
                                     const char     *competition_id,
                                     GFile          *file,
                                     GCancellable   *cancellable,
                                     guint          *n_climbers,
                                     GError        **error)
{
  RankingWrite w = { competition_type, competition_id, n_climbers };

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  return write_whole_file (self, file, write_ranking, &w, cancellable, error);
}

/* The longest session line ------------------------------------------------ */

/* @n_chars of a character that JSON takes the most bytes for: a control
 * character, written "\u0001" (six bytes; UTF-8 takes four at most). */
static char *
longest_text (guint n_chars)
{
  return g_strnfill (n_chars, '\x01');
}

/* The bytes of the longest line a session can take in an export (its
 * "\r" included): one session at every limit of topout-limits.h, measured
 * with the encoder that writes the export, so that the import reads every
 * line the export writes (a session of 500 routes, each with 4,000
 * characters of notes, is more than a request body of the sync contract).
 * Every text at its most characters, each of the longest kind; CUSTOM,
 * whose label outweighs any type's longer key; the longest slot key; false
 * for every flag ("false" is longer than "true" or null); the largest
 * numbers. The routes' array: the first one's bytes and a comma each. */
static gsize
max_session_line_bytes (void)
{
  static gsize bytes = 0;

  if (g_once_init_enter (&bytes))
    {
      g_autofree char *key = longest_text (TOPOUT_LIMIT_KEY_MAX);
      g_autofree char *name = longest_text (TOPOUT_LIMIT_NAME_MAX);
      g_autofree char *notes = longest_text (TOPOUT_LIMIT_NOTES_MAX);
      g_autoptr (TopoutSession) session = topout_session_new ();
      g_autoptr (TopoutClimber) climber = topout_climber_new ();
      g_autoptr (TopoutCompletion) route = topout_completion_new ();
      g_autoptr (GPtrArray) routes = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree char *without = NULL, *with_one = NULL;
      gint64 time = g_get_real_time ();
      gsize base, per_route;

      topout_climber_set_id (climber, key);
      topout_climber_set_member_code (climber, key);
      topout_climber_set_display_name (climber, name);
      topout_session_set_id (session, key);
      topout_session_set_climber_id (session, key);
      topout_session_set_session_type (session, TOPOUT_SESSION_TYPE_CUSTOM);
      topout_session_set_custom_label (session, name);
      topout_session_set_name (session, name);
      topout_session_set_status (session, TOPOUT_SESSION_STATUS_COMPLETED);
      topout_session_set_started_at (session, time);
      topout_session_set_ended_at (session, time);
      topout_session_set_session_date (session, "2026-11-21");
      topout_session_set_time_slot (session, TOPOUT_TIME_SLOT_EARLY_MORNING);
      topout_session_set_at_gym (session, 0);
      topout_session_set_competition_type (session, key);
      topout_session_set_competition_id (session, key);
      topout_session_set_notes (session, notes);
      topout_session_set_revision (session, G_MAXINT64);
      topout_completion_set_id (route, key);
      topout_completion_set_climb_id (route, key);
      topout_completion_set_grade (route, key);
      topout_completion_set_attempts (route, TOPOUT_LIMIT_ATTEMPTS_MAX);
      topout_completion_set_notes (route, notes);
      topout_completion_set_logged_at (route, time);
      topout_completion_set_competition_type (route, key);
      topout_completion_set_competition_id (route, key);

      without = topout_sync_encode_session_text (session, climber, key);
      g_ptr_array_add (routes, g_object_ref (route));
      topout_session_set_completions (session, g_steal_pointer (&routes));
      with_one = topout_sync_encode_session_text (session, climber, key);
      base = strlen (without);
      per_route = strlen (with_one) - base;
      g_once_init_leave (&bytes, base + (gsize) TOPOUT_LIMIT_ROUTES_PER_SESSION * (per_route + 1) + 1);
    }
  return bytes;
}

/* Reading lines ---------------------------------------------------------- */

typedef struct {
  GInputStream *in;
  GCancellable *cancellable;
  GByteArray   *buf;
  gsize         start;       /* first unread byte in buf */
  gsize         max_line;    /* longer lines are skipped (too_long) */
  gboolean      eof;
  guint64       consumed;    /* bytes handed out as lines, newlines included */
} LineReader;

/* The next line without its "\n" (and "\r"), NUL-terminated in place. FALSE
 * at the end of the file or on an error (then @error is set). A line longer
 * than r->max_line is skipped and reported with *too_long: the buffer never
 * holds more than that and a block. */
static gboolean
line_reader_next (LineReader  *r,
                  char       **line,
                  gsize       *len,
                  gboolean    *too_long,
                  GError     **error)
{
  gboolean skipping = FALSE;

  *too_long = FALSE;
  for (;;)
    {
      guint8 *data = r->buf->data + r->start;
      gsize avail = r->buf->len - r->start;
      guint8 *nl = memchr (data, '\n', avail);
      gsize n;
      gssize got;

      if (nl != NULL || (r->eof && avail > 0))
        {
          n = nl ? (gsize) (nl - data) : avail;
          r->start += nl ? n + 1 : n;
          r->consumed += nl ? n + 1 : n;
          if (skipping)
            {
              *too_long = TRUE;
              *line = NULL;
              *len = 0;
              return TRUE;
            }
          if (n > 0 && data[n - 1] == '\r')
            n--;
          data[n] = '\0';  /* the newline's (or the spare) byte */
          *line = (char *) data;
          *len = n;
          return TRUE;
        }
      if (r->eof)
        {
          if (skipping)
            {
              *too_long = TRUE;
              *line = NULL;
              *len = 0;
              return TRUE;
            }
          return FALSE;
        }

      /* Keep only the unread part, then read more. */
      if (r->start > 0)
        {
          g_byte_array_remove_range (r->buf, 0, r->start);
          r->start = 0;
        }
      if (r->buf->len > r->max_line)
        {
          r->consumed += r->buf->len;
          g_byte_array_set_size (r->buf, 0);
          skipping = TRUE;
        }
      n = r->buf->len;
      g_byte_array_set_size (r->buf, n + WRITE_BLOCK + 1);
      got = g_input_stream_read (r->in, r->buf->data + n, WRITE_BLOCK, r->cancellable, error);
      if (got < 0)
        return FALSE;
      g_byte_array_set_size (r->buf, n + got);
      if (got == 0)
        {
          r->eof = TRUE;
          /* A spare byte for the terminating NUL of a last line without "\n". */
          g_byte_array_append (r->buf, (const guint8 *) "", 1);
          g_byte_array_set_size (r->buf, n);
        }
    }
}

gboolean
topout_file_is_session_export (GFile *file)
{
  g_autoptr (GFileInputStream) in = g_file_read (file, NULL, NULL);
  char start[sizeof EXPORT_MAGIC + 3] = { 0 };
  gsize got = 0;
  const char *p = start;

  if (in == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), start, sizeof start - 1, &got, NULL, NULL))
    return FALSE;
  if (g_str_has_prefix (p, "\xEF\xBB\xBF"))
    p += 3;
  return g_str_has_prefix (p, EXPORT_MAGIC);
}

/* The database at @path and SQLite's files beside it. */
static void
remove_database_files (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal", ".import-lock" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      if (g_unlink (name) != 0 && errno != ENOENT)
        g_printerr (_("Cannot remove %s: %s\n"), name, g_strerror (errno));
    }
}

/* Import ----------------------------------------------------------------- */

typedef struct {
  TopoutStore        *store;
  TopoutImportReport *report;
  guint               n_problems;    /* listed or not */
  GHashTable         *known_climbers; /* id → TopoutClimber* from the header, or NULL when in the database */
  GHashTable         *mapped_climbers; /* the file's climber id → the id here of the climber with its member code */
  GHashTable         *known_climbs;   /* id → TopoutClimb* from the header, or NULL */
  GHashTable         *seen_sessions;  /* clientIds of this file */
  guint               n_added;        /* rows in the import journal */
  gint64              announced;      /* the header's "sessions", or -1 */
  gboolean            demo;           /* the sessions are demo data (rule 11) */
  char               *header_device;  /* the header's "deviceId": the exporting device, or NULL */
  guint               n_lines;        /* session lines read, good or not */
  GHashTable         *pairs;          /* "type\xffid\xffclimber" of competition routes written (0xff: never in UTF-8) */
  gboolean            writing;        /* until the first problem */
  gboolean            in_transaction;
  gint64              chunk_started;
  /* Into a database made for the import, which nobody else can open yet
   * (topout_import_sessions_to_new()): one transaction, no journal, the
   * deferred indexes built at the end. */
  gboolean            fresh;
  GPtrArray          *deferred;       /* their CREATE statements */
} Import;

static void
import_problem (Import     *im,
                guint       line,
                const char *message)
{
  im->n_problems++;
  im->writing = FALSE;
  if (im->report->problems->len < MAX_LISTED_PROBLEMS)
    g_ptr_array_add (im->report->problems, _topout_import_problem_new (line, message));
}

static void
import_problemf (Import     *im,
                 guint       line,
                 const char *format,
                 ...) G_GNUC_PRINTF (3, 4);

static void
import_problemf (Import     *im,
                 guint       line,
                 const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  import_problem (im, line, message);
}

static const char *
member_string (JsonObject *o,
               const char *name,
               gboolean   *bad)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    {
      *bad = TRUE;
      return NULL;
    }
  return json_node_get_string (n);
}

static gboolean
member_bool (JsonObject *o,
             const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (n);
}

/* Checks one text field of the header; adds a problem naming @what. */
static gboolean
header_text (Import     *im,
             const char *what,
             const char *value,
             gboolean    bad_type,
             guint       min_chars,
             guint       max_chars,
             const char *label)
{
  g_autoptr (GError) error = NULL;

  if (bad_type)
    {
      /* Translators: "climber 3" or "climb 12" of the header line, then the field. */
      import_problemf (im, 1, _("%s: %s is not text."), what, label);
      return FALSE;
    }
  if (value == NULL && min_chars == 0)
    return TRUE;
  if (!_topout_check_text (value, min_chars, max_chars, label, &error))
    {
      import_problemf (im, 1, "%s: %s", what, error->message);
      return FALSE;
    }
  return TRUE;
}

static void
read_header_climbers (Import    *im,
                      JsonArray *a)
{
  for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);
      /* Translators: which entry of the export's header is wrong. */
      g_autofree char *what = g_strdup_printf (_("Climber %u of the header"), i + 1);
      const char *id, *code, *name;
      gboolean bad_id = FALSE, bad_code = FALSE, bad_name = FALSE;
      JsonObject *o;
      TopoutClimber *c;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        {
          import_problemf (im, 1, _("%s is not an object."), what);
          continue;
        }
      o = json_node_get_object (n);
      id = member_string (o, "id", &bad_id);
      code = member_string (o, "memberCode", &bad_code);
      name = member_string (o, "displayName", &bad_name);
      if (!header_text (im, what, id, bad_id, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, _("The id")) ||
          !header_text (im, what, code, bad_code, 0, TOPOUT_LIMIT_KEY_MAX, _("The member code")) ||
          (code != NULL && !header_text (im, what, code, FALSE, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX,
                                         _("The member code"))) ||
          !header_text (im, what, name, bad_name, TOPOUT_LIMIT_NAME_MIN, TOPOUT_LIMIT_NAME_MAX, _("The name")))
        continue;
      c = topout_climber_new ();
      topout_climber_set_id (c, id);
      topout_climber_set_member_code (c, code);
      topout_climber_set_display_name (c, name);
      topout_climber_set_archived (c, member_bool (o, "archived"));
      g_hash_table_replace (im->known_climbers, g_strdup (id), c);
    }
}

static void
read_header_climbs (Import    *im,
                    JsonArray *a)
{
  for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);
      /* Translators: which entry of the export's header is wrong. */
      g_autofree char *what = g_strdup_printf (_("Climb %u of the header"), i + 1);
      const char *id, *name, *grade, *system, *color, *wall, *set_on;
      gboolean bad_id = FALSE, bad_name = FALSE, bad_grade = FALSE, bad_system = FALSE;
      gboolean bad_color = FALSE, bad_wall = FALSE, bad_set_on = FALSE;
      TopoutGradeSystem grade_system = TOPOUT_GRADE_SYSTEM_V_SCALE;
      JsonObject *o;
      TopoutClimb *c;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        {
          import_problemf (im, 1, _("%s is not an object."), what);
          continue;
        }
      o = json_node_get_object (n);
      id = member_string (o, "id", &bad_id);
      name = member_string (o, "name", &bad_name);
      grade = member_string (o, "grade", &bad_grade);
      system = member_string (o, "gradeSystem", &bad_system);
      color = member_string (o, "color", &bad_color);
      wall = member_string (o, "wall", &bad_wall);
      set_on = member_string (o, "setOn", &bad_set_on);
      if (!header_text (im, what, id, bad_id, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, _("The id")) ||
          !header_text (im, what, name, bad_name, TOPOUT_LIMIT_NAME_MIN, TOPOUT_LIMIT_NAME_MAX, _("The name")) ||
          !header_text (im, what, grade, bad_grade, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, _("The grade")) ||
          !header_text (im, what, color, bad_color, 0, TOPOUT_LIMIT_KEY_MAX, _("The colour")) ||
          !header_text (im, what, wall, bad_wall, 0, TOPOUT_LIMIT_NAME_MAX, _("The wall")) ||
          !header_text (im, what, set_on, bad_set_on, 0, TOPOUT_LIMIT_KEY_MAX, _("The set date")))
        continue;
      if (bad_system || (system != NULL && !topout_grade_system_from_key (system, &grade_system)))
        {
          import_problemf (im, 1, _("%s: the grade system must be V, FONT or YDS."), what);
          continue;
        }
      c = topout_climb_new (id, name, grade, grade_system);
      topout_climb_set_color (c, color);
      topout_climb_set_wall (c, wall);
      topout_climb_set_set_on (c, set_on);
      topout_climb_set_retired (c, member_bool (o, "retired"));
      g_hash_table_replace (im->known_climbs, g_strdup (id), c);
    }
}

/* Line 1. FALSE when it is not an export header at all. */
static gboolean
read_header (Import     *im,
             const char *line,
             gsize       len)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) error = NULL;
  TopoutJsonMisreads misreads = { TOPOUT_JSON_MISREAD_NONE, 0, 0 };
  JsonNode *root, *version;
  JsonObject *o;
  JsonNode *climbers, *climbs;

  if (len >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
    {
      line += 3;
      len -= 3;
    }
  if (!g_str_has_prefix (line, EXPORT_MAGIC) ||
      !topout_json_strict_check_array (line, len, 8, NULL, NULL, NULL, &misreads, &error))
    {
      import_problem (im, 1, _("This is not a Topout session export: its first line is not the export header."));
      return FALSE;
    }
  /* A name json-glib would cut short at an escaped NUL is not imported cut
   * short (nor a number beyond 64 bits read as another). */
  if (misreads.what != TOPOUT_JSON_MISREAD_NONE)
    {
      import_problem (im, 1, _("The export header holds a character or a number that cannot be read as written."));
      return FALSE;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, line, len, &error))
    {
      import_problem (im, 1, _("This is not a Topout session export: its first line is not the export header."));
      return FALSE;
    }
  root = json_parser_get_root (parser);
  o = json_node_get_object (root);
  version = json_object_get_member (o, "topoutExport");
  if (!JSON_NODE_HOLDS_VALUE (version) || json_node_get_value_type (version) != G_TYPE_INT64 ||
      json_node_get_int (version) < 1)
    {
      /* No Topout wrote it so: updating would not help. */
      import_problem (im, 1, _("The export header’s format version (“topoutExport”) is not one any Topout writes."));
      return FALSE;
    }
  if (json_node_get_int (version) != EXPORT_VERSION)
    {
      import_problem (im, 1, _("This export was made by a newer version of Topout; update Topout to read it."));
      return FALSE;
    }
  {
    JsonNode *n = json_object_get_member (o, "sessions");

    if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64 &&
        json_node_get_int (n) >= 0)
      im->announced = json_node_get_int (n);
  }
  {
    JsonNode *n = json_object_get_member (o, "deviceId");

    if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING &&
        *json_node_get_string (n) != '\0')
      im->header_device = g_strdup (json_node_get_string (n));
  }
  {
    JsonNode *n = json_object_get_member (o, "demo");

    im->demo = n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN &&
               json_node_get_boolean (n);
    /* Rule 11: demo data never becomes real records (nor gets synced). */
    if (im->demo && !topout_store_is_demo (im->store))
      {
        import_problem (im, 1, _("This export holds demo data. It can be imported into a demo database only, "
                                 "never among real records."));
        return FALSE;
      }
    /* From here on: whether the sessions are written as demo ones, as a
     * demo database's all are (asked once, not for every session). */
    im->demo = topout_store_is_demo (im->store);
  }
  climbers = json_object_get_member (o, "climbers");
  climbs = json_object_get_member (o, "climbs");
  if ((climbers != NULL && !JSON_NODE_HOLDS_ARRAY (climbers)) || (climbs != NULL && !JSON_NODE_HOLDS_ARRAY (climbs)))
    {
      import_problem (im, 1, _("The header’s climbers and climbs must be lists."));
      return TRUE;
    }
  read_header_climbers (im, climbers ? json_node_get_array (climbers) : NULL);
  read_header_climbs (im, climbs ? json_node_get_array (climbs) : NULL);
  return TRUE;
}

static void
object_unref0 (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static gboolean
row_exists (TopoutStore *self,
            const char  *sql,
            const char  *id)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self, sql, NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
import_begin (Import  *im,
              GError **error)
{
  if (im->in_transaction)
    return TRUE;
  if (!_topout_store_begin (im->store, error))
    return FALSE;
  im->in_transaction = TRUE;
  im->chunk_started = g_get_monotonic_time ();
  return TRUE;
}

static gboolean
recompute_pairs (Import  *im,
                 GError **error)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, im->pairs);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_auto (GStrv) parts = g_strsplit (key, "\xff", 3);

      if (!_topout_store_recompute_scorecard (im->store, parts[0], parts[1], parts[2], error))
        return FALSE;
    }
  g_hash_table_remove_all (im->pairs);
  return TRUE;
}

static gboolean
import_commit (Import  *im,
               GError **error)
{
  if (!im->in_transaction)
    return TRUE;
  /* Into a new database, every scorecard is made once at the end. */
  if (im->fresh)
    g_hash_table_remove_all (im->pairs);
  else if (!recompute_pairs (im, error))
    return FALSE;
  _topout_store_note_reset (im->store);
  im->in_transaction = FALSE;
  return _topout_store_commit (im->store, error);
}

static void
import_rollback (Import *im)
{
  if (!im->in_transaction)
    return;
  _topout_store_rollback (im->store);
  im->in_transaction = FALSE;
  g_hash_table_remove_all (im->pairs);
}

typedef enum {
  REF_UNKNOWN,
  REF_STORED,       /* in the database */
  REF_FROM_HEADER,  /* in the header, not written yet: *from_header */
} RefKind;

/* @known maps ids to the header's object, or to NULL once in the database. */
static RefKind
lookup_reference (Import     *im,
                  GHashTable *known,
                  const char *exists_sql,
                  const char *id,
                  gpointer   *from_header)
{
  gpointer value;

  if (!g_hash_table_lookup_extended (known, id, NULL, &value))
    {
      if (!row_exists (im->store, exists_sql, id))
        return REF_UNKNOWN;
      g_hash_table_insert (known, g_strdup (id), NULL);
      return REF_STORED;
    }
  *from_header = value;
  return value == NULL ? REF_STORED : REF_FROM_HEADER;
}

/* Notes a row this import added in the import journal (schema version 3),
 * in the same transaction: whatever a crash leaves of an import, the journal
 * names it (topout_store_recover_import()). */
static gboolean
journal_add (Import     *im,
             const char *kind,
             const char *id,
             GError    **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;

  /* A new database is all or nothing by itself (it only gets its name once
   * the import is whole). */
  if (im->fresh)
    return TRUE;
  stmt = _topout_store_stmt (im->store, "INSERT INTO import_journal (kind, id) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (im->store, error, "import journal");
      return FALSE;
    }
  im->n_added++;
  return TRUE;
}

/* The climber here holding @member_code (compared without case, as the
 * store compares codes), or NULL. */
static char *
member_code_holder (TopoutStore *self,
                    const char  *member_code)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                    "SELECT id FROM climbers WHERE member_code = ?1 COLLATE NOCASE",
                                                    NULL);

  if (stmt == NULL || member_code == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, member_code, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  return NULL;
}

/* A climber or climb the file refers to: in the database already, or from
 * the header (written now, once). FALSE with a problem when neither.
 * *@stored_id: the id the file's sessions of that climber are stored under
 * (owned by @im): @id, or the climber here with the header's member code.
 * A member code is the person across devices (SPEC §2): two desks that each
 * registered member 1234 made two ids for one climber; the file's sessions
 * go to the one here, whose name stays as it is. */
static gboolean
ensure_climber (Import      *im,
                guint        line,
                const char  *id,
                const char **stored_id,
                GError     **error)
{
  TopoutClimber *c = NULL;
  RefKind kind;
  char *holder;

  *stored_id = g_hash_table_lookup (im->mapped_climbers, id);
  if (*stored_id != NULL)
    return TRUE;
  *stored_id = id;
  kind = lookup_reference (im, im->known_climbers, "SELECT 1 FROM climbers WHERE id = ?1", id, (gpointer *) &c);
  if (kind == REF_UNKNOWN)
    import_problemf (im, line, _("The climber “%s” is neither in the file’s header nor in this database."), id);
  if (kind != REF_FROM_HEADER)
    return kind != REF_UNKNOWN;
  /* From the header, not written yet; checked also once nothing is
   * written any more. */
  if (row_exists (im->store, "SELECT 1 FROM climbers WHERE id = ?1", id))
    ;
  else if ((holder = member_code_holder (im->store, topout_climber_get_member_code (c))) != NULL)
    {
      g_hash_table_insert (im->mapped_climbers, g_strdup (id), holder);
      im->report->n_matched++;
      *stored_id = holder;
      return TRUE;
    }
  else if (!im->writing)
    return TRUE;
  else
    {
      gint64 now = topout_store_now (im->store);

      topout_climber_set_created_at (c, now);
      topout_climber_set_updated_at (c, now);
      if (!_topout_store_insert_climber_row (im->store, c, error) ||
          !journal_add (im, "climber", id, error))
        return FALSE;
    }
  g_hash_table_insert (im->known_climbers, g_strdup (id), NULL);
  return TRUE;
}

static gboolean
ensure_climb (Import     *im,
              guint       line,
              const char *id,
              GError    **error)
{
  TopoutClimb *c = NULL;
  RefKind kind = lookup_reference (im, im->known_climbs, "SELECT 1 FROM climbs WHERE id = ?1", id,
                                   (gpointer *) &c);

  if (kind == REF_UNKNOWN)
    import_problemf (im, line, _("The climb “%s” is neither in the file’s header nor in this database."), id);
  if (kind != REF_FROM_HEADER || !im->writing)
    return kind != REF_UNKNOWN;
  if (!row_exists (im->store, "SELECT 1 FROM climbs WHERE id = ?1", id))
    {
      gint64 now = topout_store_now (im->store);

      topout_climb_set_created_at (c, now);
      topout_climb_set_updated_at (c, now);
      if (!_topout_store_insert_climb_row (im->store, c, error) ||
          !journal_add (im, "climb", id, error))
        return FALSE;
    }
  g_hash_table_insert (im->known_climbs, g_strdup (id), NULL);
  return TRUE;
}

static gboolean
write_session (Import         *im,
               TopoutWireItem *item,
               GError        **error)
{
  TopoutSession *s = item->session;
  GPtrArray *completions = topout_session_get_completions (s);
  gint64 now = topout_store_now (im->store);
  const char *device;

  /* A new database holds only the file's sessions, each once (import_item()). */
  if (!im->fresh && row_exists (im->store, "SELECT 1 FROM sessions WHERE id = ?1", topout_session_get_id (s)))
    {
      im->report->n_unchanged++;
      return TRUE;
    }

  topout_session_set_created_at (s, now);
  topout_session_set_updated_at (s, now);
  topout_session_set_is_demo (s, im->demo);
  topout_session_set_sync_state (s, TOPOUT_SYNC_STATE_LOCAL);
  /* Rule 6, as the store keeps it: the type decides whether a session is a
   * competition, and its routes carry its pair, whatever a file from
   * elsewhere says of each (a route left in another pair was counted in a
   * scorecard that no later edit of the session recomputed). */
  if (topout_session_get_session_type (s) != TOPOUT_SESSION_TYPE_COMPETITION)
    {
      topout_session_set_is_competition (s, FALSE);
      topout_session_set_competition_type (s, NULL);
      topout_session_set_competition_id (s, NULL);
    }
  else
    topout_session_set_is_competition (s, TRUE);
  /* The device that recorded it stays its device (a session from this
   * one, back from an export, is this one's again). */
  device = item->device_id != NULL && *item->device_id != '\0' ? item->device_id : im->header_device;
  if (g_strcmp0 (device, topout_store_get_device_id (im->store)) == 0)
    device = NULL;
  for (guint i = 0; completions != NULL && i < completions->len; i++)
    {
      TopoutCompletion *c = g_ptr_array_index (completions, i);

      if (topout_completion_get_grade (c) == NULL)
        {
          g_autoptr (TopoutClimb) climb = _topout_store_get_climb_in_import (im->store, topout_completion_get_climb_id (c),
                                                                                 NULL);
          topout_completion_set_grade (c, climb ? topout_climb_get_grade (climb) : "?");
        }
      if (topout_completion_get_logged_at (c) == 0)
        topout_completion_set_logged_at (c, topout_session_get_started_at (s));
      topout_completion_set_updated_at (c, now);
      topout_completion_set_is_competition (c, topout_session_get_is_competition (s));
      topout_completion_set_competition_type (c, topout_session_get_competition_type (s));
      topout_completion_set_competition_id (c, topout_session_get_competition_id (s));
      if (topout_completion_get_is_competition (c) && topout_session_get_status (s) != TOPOUT_SESSION_STATUS_CANCELLED)
        g_hash_table_add (im->pairs, g_strjoin ("\xff", topout_completion_get_competition_type (c),
                                                topout_completion_get_competition_id (c),
                                                topout_session_get_climber_id (s), NULL));
    }
  if (!_topout_store_insert_session_rows_from (im->store, s, device, completions, error) ||
      !journal_add (im, "session", topout_session_get_id (s), error))
    return FALSE;
  im->report->n_added++;
  return TRUE;
}

/* One session line: checked always, written while no problem was seen. */
static gboolean
import_item (Import         *im,
             guint           line_no,
             TopoutWireItem *item,    /* NULL: not JSON */
             GError        **error)
{
  GPtrArray *completions;
  const char *stored_climber = NULL;
  gboolean refs_ok = TRUE;

  if (item == NULL)
    {
      import_problem (im, line_no, _("This line is not a session in JSON."));
      return TRUE;
    }
  if (item->rejected)
    {
      /* Translators: a sentence saying what is wrong, then the field it is about. */
      import_problemf (im, line_no, _("%s (%s)"), topout_wire_error_get_message (item->error),
                       item->error_detail ? item->error_detail : "");
      return TRUE;
    }
  if (!g_hash_table_add (im->seen_sessions, g_strdup (item->client_id)))
    {
      import_problemf (im, line_no, _("The session %s appears twice in the file."), item->client_id);
      return TRUE;
    }
  /* Rule 9 (a file from a device whose clock was ahead). */
  {
    g_autoptr (GError) future = NULL;

    if (!_topout_store_check_not_future (im->store, topout_session_get_session_date (item->session), &future))
      {
        import_problem (im, line_no, future->message);
        return TRUE;
      }
  }
  /* Rule 6, as the desk keeps it: "LEAGUE " in a file is "LEAGUE", never
   * a competition of its own. */
  if (topout_session_get_session_type (item->session) == TOPOUT_SESSION_TYPE_COMPETITION)
    {
      g_autoptr (GError) pair = NULL;

      if (!_topout_store_normalize_competition_pair (item->session, &pair))
        {
          import_problem (im, line_no, pair->message);
          return TRUE;
        }
    }

  /* A chunk ends before a line rather than after one, so the last chunk is
   * still open at the end and its commit (with FULL) syncs them all. */
  if (im->writing && !im->fresh && im->in_transaction &&
      g_get_monotonic_time () - im->chunk_started >= CHUNK_USEC && !import_commit (im, error))
    return FALSE;
  if (im->writing && !import_begin (im, error))
    return FALSE;

  if (!ensure_climber (im, line_no, topout_session_get_climber_id (item->session), &stored_climber, error))
    refs_ok = FALSE;
  if (error != NULL && *error != NULL)
    return FALSE;
  /* Everything written from here on (the session row, the scorecards of
   * its routes) is under the climber as stored here. */
  if (refs_ok && stored_climber != topout_session_get_climber_id (item->session))
    topout_session_set_climber_id (item->session, stored_climber);
  completions = topout_session_get_completions (item->session);
  for (guint i = 0; completions != NULL && i < completions->len; i++)
    {
      const char *climb_id = topout_completion_get_climb_id (g_ptr_array_index (completions, i));

      if (!ensure_climb (im, line_no, climb_id, error))
        {
          if (error != NULL && *error != NULL)
            return FALSE;
          refs_ok = FALSE;
          break;
        }
    }

  if (refs_ok && im->writing && !write_session (im, item, error))
    return FALSE;
  return TRUE;
}

/* Takes out of the database every row the import journal names, in chunks
 * of CHUNK_USEC: sessions first (their routes go with them; the scorecards
 * they counted in are recomputed), then the climbs and climbers the import
 * added, unless something written since refers to them. */
static gboolean
undo_journal (Import  *im,
              GError **error)
{
  import_rollback (im);
  for (;;)
    {
      g_autoptr (TopoutStmt) next = NULL;
      g_autoptr (TopoutStmt) pairs = NULL;
      g_autoptr (TopoutStmt) del = NULL;
      g_autoptr (TopoutStmt) forget = NULL;
      g_autofree char *id = NULL;
      gint64 rowid;
      int rc;

      if (!import_begin (im, error))
        return FALSE;
      next = _topout_store_stmt (im->store,
                                 "SELECT rowid, id FROM import_journal WHERE kind = 'session' LIMIT 1", error);
      if (next == NULL)
        return FALSE;
      rc = sqlite3_step (next);
      if (rc == SQLITE_DONE)
        break;
      if (rc != SQLITE_ROW)
        {
          _topout_store_set_error (im->store, error, "undo import");
          return FALSE;
        }
      rowid = sqlite3_column_int64 (next, 0);
      id = g_strdup ((const char *) sqlite3_column_text (next, 1));
      sqlite3_reset (next);

      pairs = _topout_store_stmt (im->store,
                                  "SELECT DISTINCT p.competition_type, p.competition_id, s.climber_id"
                                  " FROM completions p JOIN sessions s ON s.id = p.session_id"
                                  " WHERE p.session_id = ?1 AND p.is_competition = 1", error);
      del = _topout_store_stmt (im->store, "DELETE FROM sessions WHERE id = ?1", error);
      forget = _topout_store_stmt (im->store, "DELETE FROM import_journal WHERE rowid = ?1", error);
      if (pairs == NULL || del == NULL || forget == NULL)
        return FALSE;
      sqlite3_bind_text (pairs, 1, id, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (pairs)) == SQLITE_ROW)
        g_hash_table_add (im->pairs, g_strjoin ("\xff", (const char *) sqlite3_column_text (pairs, 0),
                                                (const char *) sqlite3_column_text (pairs, 1),
                                                (const char *) sqlite3_column_text (pairs, 2), NULL));
      sqlite3_bind_text (del, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (forget, 1, rowid);
      if (rc != SQLITE_DONE || sqlite3_step (del) != SQLITE_DONE || sqlite3_step (forget) != SQLITE_DONE)
        {
          _topout_store_set_error (im->store, error, "undo import");
          return FALSE;
        }
      if (g_get_monotonic_time () - im->chunk_started >= CHUNK_USEC && !import_commit (im, error))
        return FALSE;
    }
  /* Scorecard rows refer to climbs and climbers: recomputed before those go. */
  if (!recompute_pairs (im, error))
    return FALSE;
  {
    static const char *const sql[] = {
      "DELETE FROM climbs WHERE id IN (SELECT id FROM import_journal WHERE kind = 'climb')"
      " AND NOT EXISTS (SELECT 1 FROM completions p WHERE p.climb_id = climbs.id)",
      "DELETE FROM climbers WHERE id IN (SELECT id FROM import_journal WHERE kind = 'climber')"
      " AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.climber_id = climbers.id)",
      "DELETE FROM import_journal",
    };

    for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
      {
        g_autoptr (TopoutStmt) stmt = _topout_store_stmt (im->store, sql[i], error);

        if (stmt == NULL)
          return FALSE;
        if (sqlite3_step (stmt) != SQLITE_DONE)
          {
            _topout_store_set_error (im->store, error, "undo import");
            return FALSE;
          }
      }
  }
  im->n_added = 0;
  return import_commit (im, error);
}

/* The lock an import holds while it runs, beside the database: one import
 * at a time, and an import journal left without its lock is a crash's. -1
 * when another process holds it (or it cannot be had: @error). */
static int
import_lock_path (const char *db_path,
                  GError    **error)
{
  g_autofree char *path = g_strconcat (db_path, ".import-lock", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot open the import lock %s: %s"), path, g_strerror (saved_errno));
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

static int
import_lock (TopoutStore *self,
             GError     **error)
{
  return import_lock_path (topout_store_get_path (self), error);
}

static void
import_unlock (int fd)
{
  if (fd >= 0)
    {
      flock (fd, LOCK_UN);
      close (fd);
    }
}

int
topout_store_recover_import (TopoutStore *self,
                             GError     **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  Import im = { 0 };
  gint64 n;
  int fd;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), -1);

  if (!_topout_store_import_under_way (self))
    return 0;
  stmt = _topout_store_stmt (self, "SELECT count (*) FROM import_journal WHERE kind = 'session'", error);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return stmt == NULL ? -1 : 0;
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  fd = import_lock (self, NULL);
  if (fd < 0)
    return 0;  /* an import under way, in another process */

  im.store = self;
  im.pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!undo_journal (&im, error))
    {
      import_rollback (&im);
      n = -1;
    }
  else
    g_message ("Took out an import that did not finish: %" G_GINT64_FORMAT " sessions", n);
  g_hash_table_unref (im.pairs);
  import_unlock (fd);
  return (int) MIN (n, G_MAXINT);
}

static char *
file_label (GFile *file)
{
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                                                  G_FILE_QUERY_INFO_NONE, NULL, NULL);

  if (info != NULL)
    return g_strdup (g_file_info_get_display_name (info));
  return g_file_get_parse_name (file);
}

/* A session line longer than a request body of the sync contract (its
 * decoder takes no more): decoded in parts, each the session with some of
 * its routes, within that size, and the parts' routes put together. NULL
 * when it is not a session in JSON. */
static TopoutWireItem *
decode_long_session_line (const char *line,
                          gsize       len)
{
  g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (TopoutJsonSpan));
  g_autoptr (TopoutWireItem) whole = NULL;
  g_autoptr (GString) part = NULL;
  gsize head, tail;
  gboolean found = FALSE;
  guint i = 0;

  if (!topout_json_strict_check_array (line, len, TOPOUT_SYNC_MAX_JSON_DEPTH, "routes", spans, &found,
                                       NULL, NULL) ||
      !found || spans->len == 0)
    return topout_sync_decode_session (line, len, NULL);  /* says no as for any line */
  head = g_array_index (spans, TopoutJsonSpan, 0).start;
  tail = g_array_index (spans, TopoutJsonSpan, spans->len - 1).end;
  part = g_string_sized_new (MIN (len, TOPOUT_LIMIT_BODY_BYTES));

  /* More routes than a session may have: said as the decoder says it, of
   * the session without them (or what else is wrong with it). */
  if (spans->len > TOPOUT_LIMIT_ROUTES_PER_SESSION)
    {
      g_string_append_len (part, line, head);
      g_string_append_len (part, line + tail, len - tail);
      whole = topout_sync_decode_session (part->str, part->len, NULL);
      if (whole != NULL && !whole->rejected)
        {
          g_clear_object (&whole->session);
          g_clear_object (&whole->climber);
          whole->rejected = TRUE;
          whole->error = TOPOUT_WIRE_ERROR_TOO_MANY_ROUTES;
          whole->error_detail = g_strdup ("routes: too many");
        }
      return g_steal_pointer (&whole);
    }

  while (i < spans->len)
    {
      g_autoptr (TopoutWireItem) item = NULL;
      guint first = i;

      g_string_truncate (part, 0);
      g_string_append_len (part, line, head);
      do
        {
          TopoutJsonSpan *span = &g_array_index (spans, TopoutJsonSpan, i);

          if (i > first)
            g_string_append_c (part, ',');
          g_string_append_len (part, line + span->start, span->end - span->start);
          i++;
        }
      while (i < spans->len &&
             part->len + 1 + (g_array_index (spans, TopoutJsonSpan, i).end -
                              g_array_index (spans, TopoutJsonSpan, i).start) + (len - tail)
               <= TOPOUT_LIMIT_BODY_BYTES);
      g_string_append_len (part, line + tail, len - tail);

      item = topout_sync_decode_session (part->str, part->len, NULL);
      if (item == NULL)
        return NULL;
      if (item->rejected)
        {
          guint index;

          /* Its route counted in the whole line. */
          if (first > 0 && sscanf (item->error_detail ? item->error_detail : "", "routes[%u]", &index) == 1)
            {
              const char *rest = strchr (item->error_detail, ']');
              char *detail = g_strdup_printf ("routes[%u%s", index + first, rest);

              g_free (item->error_detail);
              item->error_detail = detail;
            }
          return g_steal_pointer (&item);
        }
      if (whole == NULL)
        whole = g_steal_pointer (&item);
      else
        {
          GPtrArray *into = topout_session_get_completions (whole->session);
          GPtrArray *more = topout_session_get_completions (item->session);

          for (guint k = 0; more != NULL && k < more->len; k++)
            g_ptr_array_add (into, g_object_ref (g_ptr_array_index (more, k)));
        }
    }
  return g_steal_pointer (&whole);
}

static TopoutWireItem *
decode_session_line (const char *line,
                     gsize       len)
{
  if (len > TOPOUT_LIMIT_BODY_BYTES)
    return decode_long_session_line (line, len);
  return topout_sync_decode_session (line, len, NULL);
}

/* The decoder thread: lines of the file to decoded sessions ------------- */

typedef enum {
  DECODED_ITEM,       /* item: decoded (perhaps rejected), or NULL: not JSON */
  DECODED_TOO_LONG,
  DECODED_ERROR,      /* reading failed or cancelled: error */
} DecodedKind;

typedef struct {
  DecodedKind     kind;
  guint           line_no;
  guint64         consumed;   /* bytes of the file read up to here */
  TopoutWireItem *item;
  GError         *error;
} Decoded;

static void
decoded_free (gpointer data)
{
  Decoded *d = data;

  g_clear_pointer (&d->item, topout_wire_item_free);
  g_clear_error (&d->error);
  g_free (d);
}

/* The decoders share the reader: each takes the next PIPE_BATCH lines
 * (copied out of the reader's buffer) under its lock, decodes them on its
 * own, and hands its batch over in the order it was read, so that the
 * writer sees the file's lines in order. json-glib's parse is most of an
 * import's work outside the database: two cores decode at once. */
typedef struct {
  Pipe          pipe;
  LineReader   *reader;
  GCancellable *cancellable;
  GMutex        read_lock;
  guint         line_no;     /* of the last line read */
  guint         n_batches;   /* numbered as read */
  gboolean      finished;    /* the last batch is numbered */
  GMutex        order_lock;
  GCond         order_cond;
  guint         n_pushed;    /* batches handed over */
  int           stop;        /* atomic: the writer gave up */
} Decoder;

typedef struct {
  guint    line_no;
  guint64  consumed;
  gboolean too_long;
  GError  *error;
  char    *text;
  gsize    len;
} RawLine;

/* Up to PIPE_BATCH lines, numbered as batch *@index; FALSE when there is
 * nothing more to number. *@last: after this batch, the end. */
static gboolean
decoder_read (Decoder *dec,
              GArray  *raw,
              guint   *index,
              gboolean *last)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&dec->read_lock);

  *last = FALSE;
  if (dec->finished)
    return FALSE;
  while (raw->len < PIPE_BATCH)
    {
      g_autoptr (GError) error = NULL;
      RawLine r = { 0 };
      char *line;
      gsize len;
      gboolean too_long;

      if (g_atomic_int_get (&dec->stop))
        {
          *last = TRUE;
          break;
        }
      if (!line_reader_next (dec->reader, &line, &len, &too_long, &error) && error == NULL)
        {
          *last = TRUE;
          break;
        }
      if (error == NULL)
        {
          dec->line_no++;
          if (!too_long && strspn (line, " \t") == len)
            continue;
          g_cancellable_set_error_if_cancelled (dec->cancellable, &error);
        }
      r.line_no = dec->line_no;
      r.consumed = dec->reader->consumed;
      if (error != NULL)
        r.error = g_steal_pointer (&error);
      else if (too_long)
        r.too_long = TRUE;
      else
        {
          /* As read, NUL bytes too (g_strndup() would stop at one). */
          r.text = g_malloc (len + 1);
          memcpy (r.text, line, len);
          r.text[len] = '\0';
          r.len = len;
        }
      g_array_append_val (raw, r);
      if (r.error != NULL)
        {
          *last = TRUE;
          break;
        }
    }
  *index = dec->n_batches++;
  dec->finished = *last;
  return TRUE;
}

static gpointer
decoder_thread (gpointer data)
{
  Decoder *dec = data;
  g_autoptr (GArray) raw = g_array_sized_new (FALSE, FALSE, sizeof (RawLine), PIPE_BATCH);
  guint index;
  gboolean last;

  while (decoder_read (dec, raw, &index, &last))
    {
      GPtrArray *batch = g_ptr_array_new_full (raw->len, decoded_free);

      for (guint i = 0; i < raw->len; i++)
        {
          RawLine *r = &g_array_index (raw, RawLine, i);
          Decoded *d = g_new0 (Decoded, 1);

          d->line_no = r->line_no;
          d->consumed = r->consumed;
          if (r->error != NULL)
            {
              d->kind = DECODED_ERROR;
              d->error = g_steal_pointer (&r->error);
            }
          else if (r->too_long)
            d->kind = DECODED_TOO_LONG;
          else
            {
              d->kind = DECODED_ITEM;
              d->item = decode_session_line (r->text, r->len);
            }
          g_free (r->text);
          g_ptr_array_add (batch, d);
        }
      g_array_set_size (raw, 0);

      /* Handed over in the order read. */
      g_mutex_lock (&dec->order_lock);
      while (dec->n_pushed != index)
        g_cond_wait (&dec->order_cond, &dec->order_lock);
      g_mutex_unlock (&dec->order_lock);
      if (batch->len > 0)
        pipe_push (&dec->pipe, batch);
      else
        g_ptr_array_unref (batch);
      if (last)
        pipe_push (&dec->pipe, PIPE_END);
      g_mutex_lock (&dec->order_lock);
      dec->n_pushed++;
      g_cond_broadcast (&dec->order_cond);
      g_mutex_unlock (&dec->order_lock);
    }
  return NULL;
}

static TopoutImportReport *
import_sessions (TopoutStore         *self,
                 GFile               *file,
                 gboolean             fresh,
                 TopoutProgressFunc   progress,
                 gpointer             user_data,
                 GCancellable        *cancellable,
                 TopoutImportReport **report_out,
                 GError             **error)
{
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *label = NULL;
  Progress p = { progress, user_data, -1.0 };
  LineReader reader = { 0 };
  Import im = { 0 };
  guint64 size = 0;
  guint line_no = 0;
  char *line;
  gsize len;
  gboolean too_long, ok = TRUE, header_ok = FALSE;
  int lock_fd;

  if (report_out != NULL)
    *report_out = NULL;
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  label = file_label (file);
  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return NULL;
  lock_fd = import_lock (self, &local_error);
  if (lock_fd < 0)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                     _("Another import into this database is under way. Try again when it has finished."));
      return NULL;
    }
  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  if (info != NULL)
    size = g_file_info_get_size (info);

  reader.in = G_INPUT_STREAM (in);
  reader.cancellable = cancellable;
  reader.buf = g_byte_array_sized_new (2 * WRITE_BLOCK);
  reader.max_line = MAX_HEADER_BYTES;

  im.store = self;
  im.report = _topout_import_report_new ();
  im.known_climbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, object_unref0);
  im.known_climbs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, object_unref0);
  im.mapped_climbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  im.seen_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.writing = TRUE;
  im.announced = -1;
  im.fresh = fresh;

  /* An import journal nobody holds the lock of: an import that crashed (in
   * a process that has this database open since): taken out first. */
  if (_topout_store_import_under_way (self) && !undo_journal (&im, &local_error))
    {
      import_rollback (&im);
      ok = FALSE;
    }

  /* Nobody else can open a database made for the import: its rollback
   * journal is kept in memory (a new file's pages need next to none)
   * rather than every page going through the log and then into the file
   * again; the log comes back with the last commit. Nor does SQLite look
   * up each route's session and climb again: the import wrote the session
   * just before its routes and made sure of every climb and climber
   * before writing anything of a line (ensure_climb(), ensure_climber()).
   * A tenth of the writing, each. */
  if (ok && im.fresh)
    sqlite3_exec (_topout_store_get_db (self), "PRAGMA journal_mode = MEMORY; PRAGMA foreign_keys = OFF",
                  NULL, NULL, NULL);
  _topout_store_bulk_begin (self);
  if (ok && im.fresh &&
      (!import_begin (&im, &local_error) ||
       (im.deferred = _topout_store_drop_deferred_indexes (self, &local_error)) == NULL))
    ok = FALSE;
  progress_report (&p, 0.0);

  /* Line 1 here: the header says what the lines refer to. */
  if (ok && line_reader_next (&reader, &line, &len, &too_long, &local_error))
    {
      line_no = 1;
      if (too_long)
        import_problem (&im, 1, _("This line is too long to be one session."));
      else if (read_header (&im, line, len))
        header_ok = TRUE;
    }
  reader.max_line = max_session_line_bytes ();

  /* Then the decoder thread reads and decodes the session lines while this
   * one checks them against the database and writes them. */
  if (header_ok)
    {
      Decoder dec = { .reader = &reader, .cancellable = cancellable, .line_no = 1 };
      GThread *threads[N_DECODERS] = { NULL };
      GPtrArray *batch;

      pipe_init (&dec.pipe);
      g_mutex_init (&dec.read_lock);
      g_mutex_init (&dec.order_lock);
      g_cond_init (&dec.order_cond);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("topout-import", decoder_thread, &dec);
      while ((batch = pipe_pop (&dec.pipe)) != PIPE_END)
        {
          for (guint i = 0; i < batch->len && ok; i++)
            {
              Decoded *d = g_ptr_array_index (batch, i);

              line_no = d->line_no;
              if (d->kind != DECODED_ERROR)
                im.n_lines++;
              if (d->kind == DECODED_ERROR)
                {
                  local_error = g_steal_pointer (&d->error);
                  ok = FALSE;
                }
              else if (d->kind == DECODED_TOO_LONG)
                import_problem (&im, d->line_no, _("This line is too long to be one session."));
              else
                ok = import_item (&im, d->line_no, d->item, &local_error);
              if (size > 0)
                progress_report (&p, (double) d->consumed / size);
            }
          if (!ok)
            g_atomic_int_set (&dec.stop, TRUE);
          pipe_done (&dec.pipe, batch);
        }
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        g_thread_join (threads[i]);
      pipe_clear (&dec.pipe);
      g_mutex_clear (&dec.read_lock);
      g_mutex_clear (&dec.order_lock);
      g_cond_clear (&dec.order_cond);
    }
  if (line_no == 0 && local_error == NULL)
    import_problem (&im, 0, _("The file is empty."));
  /* An export cut short at the end of a line (a copy or a disk that
   * stopped) reads as whole lines: its header says how many there were. */
  if (header_ok && local_error == NULL && im.announced >= 0 && im.n_lines < im.announced)
    import_problemf (&im, line_no + 1,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "The file ends early: its header announces %u session and "
                                  "it holds %u. If lines were taken out on purpose, change the header’s "
                                  "“sessions” to %u.",
                                  "The file ends early: its header announces %u sessions and "
                                  "it holds %u. If lines were taken out on purpose, change the header’s "
                                  "“sessions” to %u.",
                                  (gulong) im.announced),
                     (guint) MIN (im.announced, G_MAXUINT), im.n_lines, im.n_lines);
  /* More than announced: lines added by hand, or another export's lines
   * joined to it (its own header would be refused as a session line). */
  else if (header_ok && local_error == NULL && im.announced >= 0 && im.n_lines > im.announced)
    import_problemf (&im, 1,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "The file holds more sessions than its header says: the header announces %u "
                                  "session and the file holds %u. If lines were added on purpose, change the "
                                  "header’s “sessions” to %u.",
                                  "The file holds more sessions than its header says: the header announces %u "
                                  "sessions and the file holds %u. If lines were added on purpose, change the "
                                  "header’s “sessions” to %u.",
                                  (gulong) im.announced),
                     (guint) im.announced, im.n_lines, im.n_lines);

  /* The chunk still open commits (or, into a new database refused, is
   * rolled back) before the store's own settings come back: SQLite does not
   * change `synchronous` inside a transaction. It said no when the chunk
   * was still open here, and every later commit of this connection, the
   * desk's taps too, went unsynced. */
  if (im.in_transaction && im.fresh && (local_error != NULL || im.n_problems > 0))
    import_rollback (&im);
  else if (im.in_transaction)
    import_commit (&im, local_error == NULL ? &local_error : NULL);
  _topout_store_bulk_end (self);
  if (local_error == NULL && im.n_problems == 0)
    {
      /* The journal's deletion commits with FULL, syncing the log and every
       * chunk before it: the import is whole. */
      g_autoptr (TopoutStmt) done = NULL;

      if (import_begin (&im, &local_error) &&
          _topout_store_create_indexes (self, im.deferred, &local_error) &&
          (!im.fresh || _topout_store_recompute_all_scorecards (self, &local_error)) &&
          (done = _topout_store_stmt (self, "DELETE FROM import_journal", &local_error)) != NULL &&
          sqlite3_step (done) != SQLITE_DONE)
        _topout_store_set_error (self, &local_error, "import journal");
      if (local_error == NULL && import_commit (&im, &local_error) && im.fresh &&
          sqlite3_exec (_topout_store_get_db (self), "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL",
                        NULL, NULL, NULL) != SQLITE_OK)
        _topout_store_set_error (self, &local_error, "journal mode");
      if (local_error == NULL)
        {
          /* The log into the database now, on this (the import's) thread,
           * rather than in whichever commit comes next. */
          sqlite3_wal_checkpoint_v2 (_topout_store_get_db (self), NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
          progress_report (&p, 1.0);
        }
    }
  if ((local_error != NULL || im.n_problems > 0) && im.fresh)
    import_rollback (&im);  /* the new database is thrown away */
  else if (local_error != NULL || im.n_problems > 0)
    {
      g_autoptr (GError) undo_error = NULL;

      if (!undo_journal (&im, &undo_error))
        {
          import_rollback (&im);
          g_warning ("Could not take an interrupted import out again: %s", undo_error->message);
          /* The journal stays: the next opening of the database takes it out. */
          if (local_error != NULL)
            g_prefix_error (&local_error, "%s ",
                            _("The import stopped; the sessions it had written are taken out the next time "
                              "the database is opened."));
        }
    }
  import_unlock (lock_fd);

  g_byte_array_unref (reader.buf);
  g_hash_table_unref (im.known_climbers);
  g_hash_table_unref (im.known_climbs);
  g_hash_table_unref (im.mapped_climbers);
  g_hash_table_unref (im.seen_sessions);
  g_hash_table_unref (im.pairs);
  g_free (im.header_device);
  g_clear_pointer (&im.deferred, g_ptr_array_unref);

  if (local_error != NULL)
    {
      topout_import_report_free (im.report);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (im.n_problems > 0)
    {
      if (im.n_problems > im.report->problems->len)
        {
          guint more = im.n_problems - im.report->problems->len;
          g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "…and %u more line with problems.",
                                                                   "…and %u more lines with problems.", more),
                                                      more);
          g_ptr_array_add (im.report->problems, _topout_import_problem_new (line_no, message));
        }
      return _topout_import_refuse (im.report, label, report_out, error);
    }
  return im.report;
}

TopoutImportReport *
topout_store_import_sessions (TopoutStore         *self,
                              GFile               *file,
                              TopoutProgressFunc   progress,
                              gpointer             user_data,
                              GCancellable        *cancellable,
                              TopoutImportReport **report_out,
                              GError             **error)
{
  return import_sessions (self, file, FALSE, progress, user_data, cancellable, report_out, error);
}

/* FALSE, with errno, when @path cannot be had on the disk. */
static gboolean
sync_path (const char *path,
           int         flags)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | flags, 0);
  int saved_errno;
  gboolean synced;

  if (fd < 0)
    return FALSE;
  synced = fsync (fd) == 0;
  saved_errno = errno;
  close (fd);
  errno = saved_errno;
  return synced;
}

/* @from gets the name @to, unless something has it already (FALSE, with
 * errno EEXIST). A hard link says so atomically; where there are none (a
 * FAT stick), a rename after a look. */
static gboolean
name_new_file (const char *from,
               const char *to)
{
  if (link (from, to) == 0)
    {
      g_unlink (from);
      return TRUE;
    }
  if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP && errno != ENOSYS)
    return FALSE;
  if (g_file_test (to, G_FILE_TEST_EXISTS))
    {
      errno = EEXIST;
      return FALSE;
    }
  return g_rename (from, to) == 0;
}

TopoutImportReport *
topout_import_sessions_to_new (const char          *db_path,
                               GFile               *file,
                               TopoutProgressFunc   progress,
                               gpointer             user_data,
                               GCancellable        *cancellable,
                               TopoutImportReport **report_out,
                               GError             **error)
{
  g_autofree char *staging = g_strconcat (db_path, ".importing", NULL);
  g_autofree char *folder = g_path_get_dirname (db_path);
  g_autoptr (TopoutStore) store = NULL;
  TopoutImportReport *report;
  int lock_fd, saved_errno;

  if (report_out != NULL)
    *report_out = NULL;
  g_mkdir_with_parents (folder, 0700);
  lock_fd = import_lock_path (db_path, error);
  if (lock_fd < 0)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                     _("Another import into this database is under way. Try again when it has finished."));
      return NULL;
    }
  /* What a killed import into a new database left (this lock is free). */
  remove_database_files (staging);
  store = topout_store_new (staging, error);
  report = store != NULL ? import_sessions (store, file, TRUE, progress, user_data, cancellable, report_out, error)
                         : NULL;
  g_clear_object (&store);  /* closed: the log is in the file */
  if (report == NULL)
    {
      remove_database_files (staging);
      import_unlock (lock_fd);
      return NULL;
    }
  if (sync_path (staging, 0) && name_new_file (staging, db_path))
    {
      sync_path (folder, O_DIRECTORY);
      remove_database_files (staging);
      import_unlock (lock_fd);
      return report;
    }
  saved_errno = errno;
  remove_database_files (staging);
  import_unlock (lock_fd);
  topout_import_report_free (report);
  if (saved_errno != EEXIST)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not make the database %s: %s"), db_path, g_strerror (saved_errno));
      return NULL;
    }
  /* A database was made there meanwhile (the window, opened on it): the
   * file goes into it as into any other. */
  store = topout_store_new (db_path, error);
  if (store == NULL)
    return NULL;
  return topout_store_import_sessions (store, file, progress, user_data, cancellable, report_out, error);
}

/* The command line --------------------------------------------------------- */

typedef struct {
  gboolean tty;
  int      shown;
  const char *what;
} CliProgress;

static void
cli_progress (double   fraction,
              gpointer user_data)
{
  CliProgress *cp = user_data;
  int percent = (int) (fraction * 100);

  if (!cp->tty || percent == cp->shown)
    return;
  cp->shown = percent;
  g_printerr ("\r%s %3d%%", cp->what, percent);
}

static void
cli_progress_end (CliProgress *cp)
{
  if (cp->tty && cp->shown >= 0)
    g_printerr ("\n");
}

static TopoutStore *
cli_open (const char *db_path,
          gboolean    must_exist)
{
  g_autofree char *default_path = NULL;
  g_autoptr (GError) error = NULL;
  TopoutStore *store;

  if (db_path == NULL)
    db_path = default_path = topout_store_default_path ();
  if (must_exist && !g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      g_printerr (_("There is no database at %s.\n"), db_path);
      return NULL;
    }
  store = topout_store_new (db_path, &error);
  if (store == NULL)
    g_printerr (_("Cannot open the database %s: %s\n"), db_path, error->message);
  return store;
}

/* SIGINT, SIGTERM or SIGHUP (Ctrl+C, a cron job's timeout, a closed ssh
 * session) stop an export the way a cancelled one stops: its part file is
 * removed, the file at the output name stays as it was. GLib's signal
 * sources run in a context of their own, on a thread of their own, since
 * the export itself never returns to a main loop. */
typedef struct {
  GMainContext *context;
  GCancellable *cancellable;
  GThread      *thread;
  gboolean      done;     /* atomic */
  int           signal;   /* atomic: the one that stopped it, or 0 */
} CliStop;

typedef struct {
  CliStop *stop;
  int      signal;
} CliStopSignal;

static gboolean
cli_stop_signalled (gpointer data)
{
  CliStopSignal *s = data;

  g_atomic_int_set (&s->stop->signal, s->signal);
  g_cancellable_cancel (s->stop->cancellable);
  return G_SOURCE_CONTINUE;
}

static gpointer
cli_stop_thread (gpointer data)
{
  CliStop *stop = data;

  while (!g_atomic_int_get (&stop->done))
    g_main_context_iteration (stop->context, TRUE);
  return NULL;
}

static void
cli_stop_start (CliStop *stop)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };

  stop->context = g_main_context_new ();
  stop->cancellable = g_cancellable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      GSource *source = g_unix_signal_source_new (signals[i]);
      CliStopSignal *s = g_new0 (CliStopSignal, 1);

      s->stop = stop;
      s->signal = signals[i];
      g_source_set_callback (source, cli_stop_signalled, s, g_free);
      g_source_attach (source, stop->context);
      g_source_unref (source);
    }
  stop->thread = g_thread_new ("topout-signals", cli_stop_thread, stop);
}

static void
cli_stop_end (CliStop *stop)
{
  g_atomic_int_set (&stop->done, TRUE);
  g_main_context_wakeup (stop->context);
  g_thread_join (stop->thread);
  /* The sources go with their context; the signals' default action is back. */
  g_main_context_unref (stop->context);
  g_clear_object (&stop->cancellable);
}

int
topout_export_run_cli (const char *db_path,
                       const char *format_text,
                       const char *output,
                       const char *climber_id,
                       const char *from,
                       const char *to)
{
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  TopoutExportFilter filter = { climber_id, from, to };
  TopoutExportFormat format;
  CliProgress cp = { isatty (STDERR_FILENO), -1, _("Exporting…") };
  guint n_sessions = 0, n_completions = 0;

  if (!topout_export_format_from_string (format_text, &format))
    {
      g_printerr (_("--export takes csv or json, not “%s”.\n"), format_text ? format_text : "");
      return 1;
    }
  if (output == NULL || *output == '\0')
    {
      g_printerr (_("--export needs --output FILE.\n"));
      return 1;
    }
  if ((from != NULL && !_topout_check_date (from, &error)) || (to != NULL && !_topout_check_date (to, &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (from != NULL && to != NULL && strcmp (from, to) > 0)
    {
      g_printerr (_("--from must not be after --to.\n"));
      return 1;
    }
  store = cli_open (db_path, TRUE);
  if (store == NULL)
    return 1;
  if (climber_id != NULL)
    {
      g_autoptr (TopoutClimber) climber = topout_store_get_climber (store, climber_id, NULL);

      if (climber == NULL)
        {
          g_printerr (_("There is no climber with the id “%s”.\n"), climber_id);
          return 1;
        }
    }

  file = g_file_new_for_commandline_arg (output);
  {
    CliStop stop = { 0 };
    gboolean ok;

    cli_stop_start (&stop);
    ok = topout_store_export_to_file (store, format, &filter, file, cli_progress, &cp, stop.cancellable,
                                      &n_sessions, &n_completions, &error);
    cli_stop_end (&stop);
    cli_progress_end (&cp);
    if (!ok && stop.signal != 0)
      {
        /* Translators: %s is the file name given with --output */
        g_printerr (_("The export was stopped; %s was left as it was.\n"), output);
        return 1;
      }
    if (!ok)
      {
        g_printerr (_("The export failed: %s\n"), error->message);
        return 1;
      }
  }
  {
    /* Translators: the routes of an export, used in "Exported 3 sessions (%s) to FILE." */
    g_autofree char *routes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u completion", "%u completions",
                                                            n_completions),
                                               n_completions);

    /* Translators: a count of sessions, then "12 completions", then the file written. */
    g_print (g_dngettext (GETTEXT_PACKAGE, "Exported %u session (%s) to %s.\n",
                          "Exported %u sessions (%s) to %s.\n", n_sessions),
             n_sessions, routes, output);
  }
  {
    /* What the same filters select and an export never holds, as History's
     * Export says: one count on the active sessions' partial index, after
     * the export. */
    guint n_active = topout_store_count_active_left_out (store, &filter);

    if (n_active > 0)
      /* Translators: on stderr after "Exported 12 sessions (…) to FILE.":
       * active sessions, which the filters select, are not exported until
       * they end. */
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u session still running was left out.\n",
                               "%u sessions still running were left out.\n", n_active),
                  n_active);
  }
  return 0;
}

/* The report's problems, after @said (the error's message): one that says
 * no more than it is not said twice. */
static void
print_problems (TopoutImportReport *report,
                const char         *said)
{
  for (guint i = 0; report != NULL && i < report->problems->len; i++)
    {
      TopoutImportProblem *p = g_ptr_array_index (report->problems, i);

      if (p->line == 0 && said != NULL && strstr (said, p->message) != NULL)
        continue;
      if (p->line > 0)
        /* Translators: a line number of the imported file, then what is wrong with it. */
        g_printerr (_("line %u: %s\n"), p->line, p->message);
      else
        g_printerr ("%s\n", p->message);
    }
}

/* What the import says besides its counts or problems (the file read as
 * Windows-1252, columns not read), done or refused. */
static void
print_notes (TopoutImportReport *report)
{
  for (guint i = 0; report != NULL && report->notes != NULL && i < report->notes->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (report->notes, i));
}

int
topout_import_run_cli (const char *db_path,
                       const char *path,
                       gboolean    retire_missing)
{
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) problems = NULL;
  CliProgress cp = { isatty (STDERR_FILENO), -1, _("Importing…") };
  g_autofree char *default_path = db_path == NULL ? topout_store_default_path () : NULL;
  gboolean had_db = g_file_test (db_path != NULL ? db_path : default_path, G_FILE_TEST_EXISTS);
  g_autofree char *db_file = NULL;
  gboolean created;
  gboolean sessions;

  if (path == NULL || *path == '\0')
    {
      g_printerr (_("--import needs a file.\n"));
      return 1;
    }
  file = g_file_new_for_commandline_arg (path);
  if (!g_file_query_exists (file, NULL))
    {
      g_printerr (_("There is no file at %s.\n"), path);
      return 1;
    }
  /* A --db in a folder that is not there is a typo (a cron line's
   * /srv/topuot/…): the import made the folders and a new database nobody
   * reads, and said it was done. The default database's folders are made
   * as the window makes them. */
  if (db_path != NULL && !had_db)
    {
      g_autofree char *folder = g_path_get_dirname (db_path);

      if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
        {
          /* Translators: %s is a folder; --db is the option naming the database */
          g_printerr (_("There is no folder %s for the database: check --db, or make the folder first.\n"), folder);
          return 1;
        }
    }
  sessions = topout_file_is_session_export (file);
  if (sessions && retire_missing)
    {
      /* Translators: %s is a file; --retire-missing is an option of the command line */
      g_printerr (_("%s is a session export: --retire-missing goes with a catalog file.\n"), path);
      return 1;
    }
  created = !had_db;
  /* A backup onto a new machine: the database is made whole, then named. */
  if (sessions && created)
    report = topout_import_sessions_to_new (db_path != NULL ? db_path : default_path, file, cli_progress, &cp,
                                            NULL, &problems, &error);
  else
    {
      store = cli_open (db_path, FALSE);
      if (store == NULL)
        return 1;
      db_file = g_strdup (topout_store_get_path (store));
      if (sessions)
        report = topout_store_import_sessions (store, file, cli_progress, &cp, NULL, &problems, &error);
      else
        report = topout_store_import_file (store, file, retire_missing, &problems, &error);
    }
  cli_progress_end (&cp);
  if (report == NULL)
    {
      g_printerr ("%s\n", error->message);
      print_problems (problems, error->message);
      print_notes (problems);
      /* All or nothing: a database this run made for a file it refused is
       * not left behind, empty, for the next command to find. */
      if (created && db_file != NULL)
        {
          g_clear_object (&store);
          remove_database_files (db_file);
        }
      return 1;
    }
  if (sessions)
    /* Translators: sessions added, then sessions that were in the database already. */
    g_print (g_dngettext (GETTEXT_PACKAGE, "Imported %u new session; %u were here already.\n",
                          "Imported %u new sessions; %u were here already.\n", report->n_added),
             report->n_added, report->n_unchanged);
  if (sessions && report->n_matched > 0)
    /* Translators: climbers of an imported export who have a member code
     * that a climber of this database (with another id) has: the same
     * person registered on two devices. */
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%u climber of the file was matched by member code to a climber here; "
                          "their sessions are stored under that climber.\n",
                          "%u climbers of the file were matched by member code to climbers here; "
                          "their sessions are stored under those climbers.\n", report->n_matched),
             report->n_matched);
  if (!sessions && !retire_missing)
    g_print (_("Imported: %u added, %u updated, %u unchanged.\n"),
             report->n_added, report->n_updated, report->n_unchanged);
  else if (!sessions)
    /* Translators: climbs of the catalog that the file does not list, retired as asked */
    g_print (_("Imported: %u added, %u updated, %u unchanged, %u retired.\n"),
             report->n_added, report->n_updated, report->n_unchanged, report->n_retired);
  print_notes (report);
  return 0;
}
