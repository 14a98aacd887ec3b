/* topout-sync-engine.c — the libsoup client of the sync contract (SPEC section 4).
 *
 * One sync is a chain of async steps on the caller's main context:
 *   configuration check → token lookup (worker thread, only when no token was
 *   given) → the lock file → reset of sessions stuck in SYNCING → batches:
 *   list due, encode (halve while over the byte budget), mark SYNCING, POST,
 *   read the body (capped), apply every result of the response in one store
 *   call → … → reset of anything still SYNCING → unlock.
 *
 * Whole-request answers: 400 and 413 split the batch in halves (queued ahead
 * of new batches) until a single session is left, which is REJECTED; a 400
 * only when it carries the contract's error and this app's own codec finds
 * that session malformed (otherwise the address is no sync server: a proxy
 * or another web service answering 400 to everything; the sessions stay
 * due, FAILED with backoff, and the message says to check the address);
 * 401/403 stop everything; the retryable statuses and transport failures mark the
 * batch FAILED with backoff and stop this sync (the retry timer takes over).
 *
 * The token goes into the Authorization header and nowhere else: no
 * SoupLogger, no message that prints headers.
 */
#define G_LOG_DOMAIN "topout-sync-engine"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "topout-limits.h"
#include "topout-sync-codec.h"
#include "topout-sync-engine.h"
#include "topout-sync-token.h"

#define SETTINGS_SCHEMA_ID "io.github.topout.Topout"
#define READ_CHUNK         (64 * 1024)

G_DEFINE_ENUM_TYPE (TopoutSyncEngineState, topout_sync_engine_state,
  G_DEFINE_ENUM_VALUE (TOPOUT_SYNC_ENGINE_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (TOPOUT_SYNC_ENGINE_STATE_SYNCING, "syncing"),
  G_DEFINE_ENUM_VALUE (TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY, "waiting-retry"),
  G_DEFINE_ENUM_VALUE (TOPOUT_SYNC_ENGINE_STATE_UNAUTHORIZED, "unauthorized"),
  G_DEFINE_ENUM_VALUE (TOPOUT_SYNC_ENGINE_STATE_OFFLINE, "offline"),
  G_DEFINE_ENUM_VALUE (TOPOUT_SYNC_ENGINE_STATE_NOT_CONFIGURED, "not-configured"),
  G_DEFINE_ENUM_VALUE (TOPOUT_SYNC_ENGINE_STATE_STORE_FAILED, "store-failed"))

struct _TopoutSyncEngine
{
  GObject                parent_instance;

  TopoutStore           *store;
  SoupSession           *soup;
  GNetworkMonitor       *monitor;
  GCancellable          *cancellable;

  char                  *server_url;
  char                  *token;
  char                  *pin;             /* normalised: lower-case hex, no colons */
  gboolean               allow_insecure_http;
  guint                  timeout;
  guint                  batch_sessions;

  TopoutSyncEngineState  state;
  guint                  pending;
  guint                  attention;    /* REJECTED and CONFLICT sessions */
  gint64                 last_success;
  char                  *last_error;

  gboolean               started;
  gboolean               running;
  gboolean               again;           /* a trigger came while running */
  TopoutSyncFlags        again_flags;
  gboolean               auth_blocked;    /* 401/403 until settings change */
  guint                  probe_failures;  /* a new server not answering, in a row */

  /* The server asked to wait (Retry-After): until @wait_until on the
   * store's clock, @wait_deadline on the monotonic one; over when either
   * has passed (a wall clock turned back does not make it longer). */
  gint64                 wait_until;      /* 0 = none */
  gint64                 wait_deadline;
  gboolean               wait_recorded;   /* the database holds one, to forget */

  /* The engine's timers and idles run in the main context it was made in,
   * like its SoupSession: under `topout --sync-now` a context of its own. */
  GMainContext          *context;
  GSource               *timer;
  gint64                 timer_deadline;  /* monotonic µs */
  TopoutSyncFlags        timer_flags;
  GSource               *pending_idle;

  gulong                 session_changed_id;
  gulong                 sessions_reset_id;
  gulong                 sessions_sync_changed_id;
  gulong                 network_changed_id;

  guint                  n_connections;
  guint64                last_connection_id;
};

G_DEFINE_FINAL_TYPE (TopoutSyncEngine, topout_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SERVER_URL,
  PROP_TOKEN,
  PROP_PINNED_CERTIFICATE_SHA256,
  PROP_ALLOW_INSECURE_HTTP,
  PROP_TIMEOUT,
  PROP_STATE,
  PROP_PENDING,
  PROP_ATTENTION,
  PROP_LAST_SUCCESS,
  PROP_LAST_ERROR,
  PROP_WAIT_UNTIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* How the transport part of a sync ended, for the state afterwards. */
typedef enum {
  RUN_OK,
  RUN_RETRY,      /* a retryable failure: timer */
  RUN_OFFLINE,    /* a network error with no network */
  RUN_STORE_FAILED, /* the database could not be read or written: stop */
} RunOutcome;

/* A 200 read: its batch and one result per session of it. */
typedef struct {
  GPtrArray         *batch;            /* of TopoutSession*, as sent */
  GPtrArray         *items;            /* TopoutWireResult*, what @results point into */
  TopoutSyncResult  *results;          /* @batch->len of them */
  const char        *why;              /* the last failure's message, or NULL */
} Answer;

typedef struct {
  TopoutSyncFlags    flags;
  TopoutSyncSummary  summary;
  RunOutcome         outcome;
  GError            *store_error;      /* the first failure of the database */
  GCancellable      *cancellable;      /* cancelled by the caller's or the engine's */
  gulong             caller_cancel_id;
  GCancellable      *caller_cancellable;
  gulong             engine_cancel_id;
  GCancellable      *engine_cancellable;

  char              *server;           /* the server address this sync uses */
  char              *url;              /* …/sessions/sync/bulk */
  char              *token;
  char              *lock_path;
  int                lock_fd;

  GHashTable        *attempted;        /* session ids sent in this sync */
  GHashTable        *climbers;         /* id → TopoutClimber* */
  GQueue             queued;           /* GPtrArray* halves waiting to be sent */
  GPtrArray         *batch;            /* of TopoutSession*, in flight */
  GPtrArray         *answered;         /* the batch answered last, freed once the next is sent */
  Answer            *held;             /* an answer to record once the next request is written */
  GSource           *held_idle;        /*   and the idle that records it then */

  /* Batches are read and encoded in a thread, through a connection of its
   * own (@reader, opened there), mostly while the one before is in flight.
   * While @reading, only that thread touches @attempted, @climbers and
   * @reader; the main thread only afterwards. */
  TopoutStore       *reader;
  gboolean           reading;
  gboolean           resume;           /* next_batch() waits for the thread */
  gboolean           reader_failed;    /* read here, on the store, instead */
  gboolean           drained;          /* the thread found nothing more due */
  gboolean           finished;         /* finish_run() ran */
  GPtrArray         *next;             /* the batch read ahead, and its body */
  GBytes            *next_body;        /*   (not attempted yet) */
  gboolean           next_marked;      /* @next is SYNCING already */
  gboolean           probing;          /* asking a new server, with no session, before moving to it */
  gint64             probe_retry_after; /* its Retry-After, µs, or -1 */

  SoupMessage       *msg;
  GBytes            *sent_body;        /* the request in flight, as sent */
  GCancellable      *request_cancellable;
  gulong             request_cancel_id;
  GSource           *timeout;
  gboolean           timed_out;
  gboolean           handshake_timed_out; /* the TLS handshake's own timer ended it */
  GInputStream      *stream;
  GByteArray        *body;
} SyncRun;

static void next_batch   (GTask *task);
static void answer_free  (Answer *answer);
static void apply_answer_held (GTask *task);
static gboolean read_ahead (GTask *task);
static void finish_run   (GTask *task);
static void handshake_event (SoupMessage *msg, GSocketClientEvent event, GIOStream *connection, gpointer user_data);
static void request_written (SoupMessage *msg, gpointer user_data);
static void set_state    (TopoutSyncEngine *self, TopoutSyncEngineState state);
static void set_last_error (TopoutSyncEngine *self, const char *message);
static void run_triggered_sync (TopoutSyncEngine *self, TopoutSyncFlags flags);
static void mark_not_a_sync_server (GTask *task, guint status);
static void set_last_success (TopoutSyncEngine *self, gint64 when);
static gint64 last_sync_here (TopoutSyncEngine *self);
static void load_wait    (TopoutSyncEngine *self);
static void schedule_full (TopoutSyncEngine *self, gint64 delay_usec, TopoutSyncFlags flags);

/* A timer or idle in the engine's own main context (g_timeout_add() and
 * g_idle_add() would put it in the global default context, which nothing
 * runs under `topout --sync-now`). The engine keeps the returned reference. */
static GSource *
source_attach (TopoutSyncEngine *self,
               GSource          *source,
               const char       *name,
               GSourceFunc       func,
               gpointer          data,
               GDestroyNotify    notify)
{
  g_source_set_callback (source, func, data, notify);
  g_source_set_name (source, name);
  g_source_attach (source, self->context);
  return source;
}

static void
source_clear (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
batch_free (gpointer data)
{
  g_ptr_array_unref (data);
}

static void
sync_run_free (SyncRun *run)
{
  if (run->caller_cancel_id != 0)
    g_cancellable_disconnect (run->caller_cancellable, run->caller_cancel_id);
  if (run->engine_cancel_id != 0)
    g_cancellable_disconnect (run->engine_cancellable, run->engine_cancel_id);
  g_clear_object (&run->caller_cancellable);
  g_clear_object (&run->engine_cancellable);
  g_clear_object (&run->cancellable);
  if (run->lock_fd >= 0)
    close (run->lock_fd);
  g_free (run->lock_path);
  g_free (run->server);
  g_free (run->url);
  if (run->token != NULL)
    memset (run->token, 0, strlen (run->token));
  g_free (run->token);
  g_clear_pointer (&run->attempted, g_hash_table_unref);
  g_clear_pointer (&run->climbers, g_hash_table_unref);
  g_queue_clear_full (&run->queued, batch_free);
  g_clear_pointer (&run->batch, g_ptr_array_unref);
  g_clear_pointer (&run->answered, g_ptr_array_unref);
  g_clear_pointer (&run->held, answer_free);
  source_clear (&run->held_idle);
  g_clear_object (&run->reader);
  g_clear_pointer (&run->next, g_ptr_array_unref);
  g_clear_pointer (&run->next_body, g_bytes_unref);
  g_clear_object (&run->msg);
  g_clear_pointer (&run->sent_body, g_bytes_unref);
  g_clear_object (&run->request_cancellable);
  g_clear_object (&run->stream);
  g_clear_pointer (&run->body, g_byte_array_unref);
  g_clear_error (&run->store_error);
  g_free (run);
}

/* Helpers ------------------------------------------------------------------ */

/* base · 2^attempt, stopping at the cap (and far before any overflow). */
static gint64
backoff_ceiling (guint attempt)
{
  gint64 ceiling = TOPOUT_SYNC_BACKOFF_BASE_USEC;

  for (guint i = 0; i < attempt && ceiling < TOPOUT_SYNC_BACKOFF_CAP_USEC; i++)
    ceiling *= 2;
  return MIN (ceiling, TOPOUT_SYNC_BACKOFF_CAP_USEC);
}

gint64
topout_sync_backoff_delay (guint attempt)
{
  return (gint64) (g_random_double () * (double) backoff_ceiling (attempt));
}

gint64
topout_sync_backoff_floor (guint attempt)
{
  /* The ceiling of the attempt before: 0, 2 s, 4 s, … 15 min. */
  return attempt > 0 ? backoff_ceiling (attempt - 1) : 0;
}

/* The wait after @attempts failures: a server's Retry-After
 * (@retry_after_usec ≥ 0) as asked, but never a loop (a "0" or a date gone
 * by, again and again, sent ~150 requests a second) nor a pause of a day:
 * the backoff's growth below it, its cap above; else the backoff. */
static gint64
retry_delay (guint  attempts,
             gint64 retry_after_usec)
{
  if (retry_after_usec < 0)
    return topout_sync_backoff_delay (attempts);
  return CLAMP (retry_after_usec, topout_sync_backoff_floor (attempts), TOPOUT_SYNC_BACKOFF_CAP_USEC);
}

char *
topout_sync_wait_kept (guint pending)
{
  if (pending == 0)
    return NULL;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Nothing is lost: %u session waits on this device.",
                                       "Nothing is lost: %u sessions wait on this device.",
                                       pending),
                          pending);
}

gboolean
topout_sync_parse_retry_after (const char *value,
                               const char *date_header,
                               gint64      now_usec,
                               gint64     *delay_usec)
{
  g_autoptr (GDateTime) when = NULL;
  g_autoptr (GDateTime) server_now = NULL;
  const char *p;
  gint64 delay;

  if (value == NULL)
    return FALSE;
  while (g_ascii_isspace (*value))
    value++;
  if (*value == '\0')
    return FALSE;

  for (p = value; g_ascii_isdigit (*p); p++)
    ;
  if (p != value && (*p == '\0' || g_ascii_isspace (*p)))
    {
      guint64 seconds = g_ascii_strtoull (value, NULL, 10);

      /* A day at most: anything longer is a broken server, not a plan. */
      seconds = MIN (seconds, (guint64) 24 * 3600);
      *delay_usec = (gint64) seconds * G_USEC_PER_SEC;
      return TRUE;
    }

  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return FALSE;
  if (date_header != NULL)
    server_now = soup_date_time_new_from_http_string (date_header);
  if (server_now != NULL)
    delay = g_date_time_difference (when, server_now);
  else
    delay = g_date_time_to_unix (when) * G_USEC_PER_SEC - now_usec;
  *delay_usec = CLAMP (delay, 0, (gint64) 24 * 3600 * G_USEC_PER_SEC);
  return TRUE;
}

/* Lower-case hex without separators, or NULL for an empty or odd string. */
static char *
normalise_fingerprint (const char *fingerprint)
{
  GString *s;

  if (fingerprint == NULL)
    return NULL;
  s = g_string_new (NULL);
  for (const char *p = fingerprint; *p != '\0'; p++)
    {
      if (*p == ':' || *p == ' ' || *p == '-')
        continue;
      g_string_append_c (s, g_ascii_tolower (*p));
    }
  if (s->len == 0)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  return g_string_free (s, FALSE);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr (GInetAddress) address = NULL;
  g_autofree char *bare = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  /* GUri keeps the brackets of an IPv6 literal out, but be lenient. */
  bare = g_strdup (host);
  if (bare[0] == '[')
    {
      char *end = strchr (bare, ']');
      if (end != NULL)
        *end = '\0';
      memmove (bare, bare + 1, strlen (bare));
    }
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* TRUE when @text holds a space or another ASCII control character. */
static gboolean
has_space_or_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == 0x7f)
      return TRUE;
  return FALSE;
}

/* The bulk endpoint for @server_url, or NULL with a sentence for people. */
char *
topout_sync_bulk_url (const char  *server_url,
                      gboolean     allow_insecure_http,
                      char       **why)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *base = NULL;
  const char *scheme;
  gsize len;

  if (server_url == NULL || *server_url == '\0')
    {
      *why = g_strdup (_("No sync server is set up"));
      return NULL;
    }
  uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, &error);
  /* GUri takes a space or a control character as they are ("https://gym
   * box", a stray space before the port): no request could go there, and
   * a host that never resolves was a network failure, retried for ever
   * (plain http to it was called another computer's). */
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' || has_space_or_control (server_url))
    {
      *why = g_strdup_printf (_("The sync server address “%s” is not a web address"), server_url);
      return NULL;
    }
  /* The endpoint's path is added to the address: a query or a fragment
   * would swallow it, and a name and password in it would be sent to
   * whoever answers (the token is what authorises). */
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
    {
      *why = g_strdup_printf (_("The sync server address “%s” may not hold a “?”, a “#” or a user name; "
                                "give the server’s address alone, such as https://topout.example.org"),
                              server_url);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0)
    {
      if (g_ascii_strcasecmp (scheme, "http") != 0)
        {
          *why = g_strdup_printf (_("The sync server address “%s” must start with https://"), server_url);
          return NULL;
        }
      if (!host_is_loopback (g_uri_get_host (uri)) && !allow_insecure_http)
        {
          /* Translators: “Allow plain http” is the title of the switch in Preferences: translate it the same. */
          *why = g_strdup (_("Plain http is only used for this computer itself; use https, or switch on “Allow plain http” in Preferences"));
          return NULL;
        }
    }
  base = g_strdup (server_url);
  len = strlen (base);
  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  return g_strconcat (base, "/sessions/sync/bulk", NULL);
}

/* Which server @server_url is, for telling a move to another one from the
 * same address written otherwise (the key a token is kept under); NULL for
 * no address. */
static char *
sync_server_key (const char *server_url)
{
  if (server_url == NULL || *server_url == '\0')
    return NULL;
  return topout_sync_server_key (server_url);
}

static gint64
store_now (TopoutSyncEngine *self)
{
  return topout_store_now (self->store);
}

/* Properties --------------------------------------------------------------- */

TopoutStore *
topout_sync_engine_get_store (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), NULL);
  return self->store;
}

const char *
topout_sync_engine_get_server_url (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), NULL);
  return self->server_url;
}

/* Settings changed: a 401 may be over, and a sync is worth a try. */
static void
settings_changed (TopoutSyncEngine *self)
{
  self->auth_blocked = FALSE;
  if (self->state == TOPOUT_SYNC_ENGINE_STATE_UNAUTHORIZED ||
      self->state == TOPOUT_SYNC_ENGINE_STATE_NOT_CONFIGURED)
    set_state (self, TOPOUT_SYNC_ENGINE_STATE_IDLE);
  /* Debounced: a URL typed in Preferences changes at every key. */
  if (self->started)
    topout_sync_engine_schedule (self, 2000);
}

void
topout_sync_engine_set_server_url (TopoutSyncEngine *self,
                                   const char       *server_url)
{
  g_return_if_fail (TOPOUT_IS_SYNC_ENGINE (self));

  if (server_url != NULL && *server_url == '\0')
    server_url = NULL;
  if (g_strcmp0 (self->server_url, server_url) == 0)
    return;
  g_free (self->server_url);
  self->server_url = g_strdup (server_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
  /* Another server: its last sync, not the old one's, nor the old one's wait. */
  if (self->store != NULL)
    {
      set_last_success (self, last_sync_here (self));
      load_wait (self);
    }
  settings_changed (self);
}

const char *
topout_sync_engine_get_token (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), NULL);
  return self->token;
}

void
topout_sync_engine_set_token (TopoutSyncEngine *self,
                              const char       *token)
{
  g_return_if_fail (TOPOUT_IS_SYNC_ENGINE (self));

  if (token != NULL && *token == '\0')
    token = NULL;
  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
  settings_changed (self);
}

const char *
topout_sync_engine_get_pinned_certificate_sha256 (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), NULL);
  return self->pin;
}

void
topout_sync_engine_set_pinned_certificate_sha256 (TopoutSyncEngine *self,
                                                  const char       *fingerprint)
{
  g_autofree char *pin = NULL;

  g_return_if_fail (TOPOUT_IS_SYNC_ENGINE (self));

  pin = normalise_fingerprint (fingerprint);
  if (g_strcmp0 (self->pin, pin) == 0)
    return;
  g_free (self->pin);
  self->pin = g_steal_pointer (&pin);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINNED_CERTIFICATE_SHA256]);
  settings_changed (self);
}

gboolean
topout_sync_engine_get_allow_insecure_http (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), FALSE);
  return self->allow_insecure_http;
}

void
topout_sync_engine_set_allow_insecure_http (TopoutSyncEngine *self,
                                            gboolean          allow)
{
  g_return_if_fail (TOPOUT_IS_SYNC_ENGINE (self));

  allow = !!allow;
  if (self->allow_insecure_http == allow)
    return;
  self->allow_insecure_http = allow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_INSECURE_HTTP]);
  settings_changed (self);
}

guint
topout_sync_engine_get_timeout (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), 0);
  return self->timeout;
}

void
topout_sync_engine_set_timeout (TopoutSyncEngine *self,
                                guint             seconds)
{
  g_return_if_fail (TOPOUT_IS_SYNC_ENGINE (self));

  seconds = MAX (seconds, 1);
  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
topout_sync_engine_get_batch_sessions (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), 0);
  return self->batch_sessions;
}

void
topout_sync_engine_set_batch_sessions (TopoutSyncEngine *self,
                                       guint             max_sessions)
{
  g_return_if_fail (TOPOUT_IS_SYNC_ENGINE (self));
  self->batch_sessions = CLAMP (max_sessions, 1, TOPOUT_SYNC_BATCH_SESSIONS);
}

TopoutSyncEngineState
topout_sync_engine_get_state (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), TOPOUT_SYNC_ENGINE_STATE_IDLE);
  return self->state;
}

static void
set_state (TopoutSyncEngine      *self,
           TopoutSyncEngineState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

guint
topout_sync_engine_get_pending (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), 0);
  return self->pending;
}

guint
topout_sync_engine_get_attention (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), 0);
  return self->attention;
}

/* Counts again. When the database cannot be read, the last count stays
 * (never a 0 for sessions that could not be counted) and FALSE says why. */
static gboolean
update_pending (TopoutSyncEngine  *self,
                GError           **error)
{
  guint pending, attention;

  if (!topout_store_count_sync_backlog (self->store, &pending, &attention, error))
    return FALSE;
  if (attention != self->attention)
    {
      self->attention = attention;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTENTION]);
    }
  if (pending != self->pending)
    {
      self->pending = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
  return TRUE;
}

gint64
topout_sync_engine_get_last_success (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), 0);
  return self->last_success;
}

static gboolean
settings_has_key (GSettings  *settings,
                  const char *key)
{
  g_autoptr (GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return FALSE;
  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema != NULL && g_settings_schema_has_key (schema, key);
}

static void
set_last_success (TopoutSyncEngine *self,
                  gint64            when)
{
  if (self->last_success == when)
    return;
  self->last_success = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
}

/* The store's last sync, unless it was with another server than the one
 * set now: a gym moving to a new server never sees the old one's time as
 * "last synced". With no server set, the last one's (nothing moved yet). */
static gint64
last_sync_here (TopoutSyncEngine *self)
{
  g_autofree char *recorded = topout_store_get_sync_server (self->store);
  g_autofree char *current = sync_server_key (self->server_url);

  if (recorded != NULL && current != NULL && strcmp (recorded, current) != 0)
    return 0;
  return topout_store_get_last_sync (self->store);
}

const char *
topout_sync_engine_get_last_error (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), NULL);
  return self->last_error;
}

static void
set_last_error (TopoutSyncEngine *self,
                const char       *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

guint
topout_sync_engine_get_n_connections (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), 0);
  return self->n_connections;
}

/* The server's wait --------------------------------------------------------- */

gint64
topout_sync_engine_get_wait_until (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), 0);
  return self->wait_until;
}

static void
set_wait (TopoutSyncEngine *self,
          gint64            until,
          gint64            deadline)
{
  self->wait_deadline = deadline;
  if (self->wait_until == until)
    return;
  self->wait_until = until;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAIT_UNTIL]);
}

/* Whether the server's wait is on; one that is over is forgotten. */
static gboolean
waiting_for_server (TopoutSyncEngine *self)
{
  if (self->wait_until == 0)
    return FALSE;
  if (g_get_monotonic_time () < self->wait_deadline && store_now (self) < self->wait_until)
    return TRUE;
  set_wait (self, 0, 0);
  return FALSE;
}

/* The monotonic time left of the wait (it is on). */
static gint64
wait_left (TopoutSyncEngine *self)
{
  return self->wait_deadline - g_get_monotonic_time ();
}

/* The server at @server asked to wait @delay µs: nothing is sent to it
 * before then, by this process or another one on this database. */
static void
start_wait (TopoutSyncEngine *self,
            const char       *server,
            gint64            delay)
{
  g_autofree char *key = sync_server_key (server);
  g_autoptr (GError) error = NULL;
  gint64 until = store_now (self) + delay;

  set_wait (self, until, g_get_monotonic_time () + delay);
  /* Not recorded, it still holds here: only another process misses it. */
  if (topout_store_set_sync_wait (self->store, key, until, &error))
    self->wait_recorded = TRUE;
  else
    g_debug ("Cannot record the server's wait: %s", error->message);
}

/* The server answered without asking to wait: a wait it asked for before
 * is over. */
static void
end_wait (TopoutSyncEngine *self)
{
  g_autoptr (GError) error = NULL;

  set_wait (self, 0, 0);
  if (!self->wait_recorded)
    return;
  if (topout_store_set_sync_wait (self->store, NULL, 0, &error))
    self->wait_recorded = FALSE;
  else
    g_debug ("Cannot forget the server's wait: %s", error->message);
}

/* A wait the database holds for the server set now (asked of
 * `topout --sync-now`, or of this app before a restart). One that reads
 * longer than any wait the engine sets is a clock turned back: not
 * honoured. */
static void
load_wait (TopoutSyncEngine *self)
{
  g_autofree char *server = NULL;
  g_autofree char *key = sync_server_key (self->server_url);
  gint64 until = topout_store_get_sync_wait (self->store, &server);
  gint64 left = until - store_now (self);

  self->wait_recorded = until != 0;
  if (until == 0 || key == NULL || g_strcmp0 (server, key) != 0 ||
      left <= 0 || left > TOPOUT_SYNC_BACKOFF_CAP_USEC)
    set_wait (self, 0, 0);
  else if (until != self->wait_until)
    /* (This engine's own keeps its monotonic deadline.) */
    set_wait (self, until, g_get_monotonic_time () + left);
}

/* Timers and triggers ------------------------------------------------------ */

static gboolean
timer_fired (gpointer user_data)
{
  TopoutSyncEngine *self = user_data;
  TopoutSyncFlags flags = self->timer_flags;

  g_clear_pointer (&self->timer, g_source_unref);
  self->timer_deadline = 0;
  self->timer_flags = TOPOUT_SYNC_FLAGS_NONE;
  run_triggered_sync (self, flags);
  return G_SOURCE_REMOVE;
}

static void
schedule_full (TopoutSyncEngine *self,
               gint64            delay_usec,
               TopoutSyncFlags   flags)
{
  gint64 deadline;

  delay_usec = MAX (delay_usec, 0);
  deadline = g_get_monotonic_time () + delay_usec;
  if (self->timer != NULL)
    {
      if (self->timer_deadline <= deadline)
        {
          self->timer_flags |= flags;
          return;
        }
      source_clear (&self->timer);
      flags |= self->timer_flags;
    }
  self->timer_deadline = deadline;
  self->timer_flags = flags;
  /* g_timeout_add runs on the monotonic clock: the wall clock may jump. */
  /* Rounded up: a timer set for the end of the server's wait fires once it
   * is over, not a moment before. */
  self->timer = source_attach (self, g_timeout_source_new ((guint) MIN ((delay_usec + 999) / 1000, (gint64) G_MAXUINT)),
                               "[topout] sync timer", timer_fired, self, NULL);
}

void
topout_sync_engine_schedule (TopoutSyncEngine *self,
                             guint             delay_ms)
{
  g_return_if_fail (TOPOUT_IS_SYNC_ENGINE (self));
  schedule_full (self, (gint64) delay_ms * 1000, TOPOUT_SYNC_FLAGS_NONE);
}

gint64
topout_sync_engine_sync_now (TopoutSyncEngine *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), 0);

  self->auth_blocked = FALSE;
  if (waiting_for_server (self))
    {
      /* The server asked to wait: a desk tapping again and again sends
       * nothing; what was asked for goes when the wait is over. */
      schedule_full (self, wait_left (self), TOPOUT_SYNC_FLAGS_RETRY_ALL);
      return self->wait_until;
    }
  schedule_full (self, 0, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  return 0;
}

static void
triggered_sync_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TopoutSyncEngine *self = TOPOUT_SYNC_ENGINE (source);
  g_autoptr (GError) error = NULL;
  TopoutSyncSummary summary;

  if (!topout_sync_engine_sync_finish (self, result, &summary, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Sync failed: %s", error->message);
      return;
    }
  g_debug ("Sync: %u synced, %u failed, %u rejected, %u conflicts, %u left%s",
           summary.n_synced, summary.n_failed, summary.n_rejected, summary.n_conflict,
           summary.left_due, summary.busy ? " (busy)" : "");
}

static void
run_triggered_sync (TopoutSyncEngine *self,
                    TopoutSyncFlags   flags)
{
  if (self->running)
    {
      self->again = TRUE;
      self->again_flags |= flags;
      return;
    }
  topout_sync_engine_sync_async (self, flags, NULL, triggered_sync_done, NULL);
}

static gboolean
pending_idle (gpointer user_data)
{
  TopoutSyncEngine *self = user_data;
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&self->pending_idle, g_source_unref);
  if (!update_pending (self, &error))
    {
      /* A sync running now finds it too, and says so when it ends. */
      g_debug ("Cannot count the sessions waiting to sync: %s", error->message);
      set_last_error (self, error->message);
      if (!self->running)
        set_state (self, TOPOUT_SYNC_ENGINE_STATE_STORE_FAILED);
    }
  return G_SOURCE_REMOVE;
}

static void
queue_pending_update (TopoutSyncEngine *self)
{
  if (self->pending_idle == NULL)
    self->pending_idle = source_attach (self, g_idle_source_new (), "[topout] pending count",
                                        pending_idle, self, NULL);
}

/* Which count of topout_store_count_sync_backlog() @session is in. */
typedef enum {
  BACKLOG_NONE,
  BACKLOG_PENDING,    /* PENDING, SYNCING, FAILED */
  BACKLOG_ATTENTION,  /* REJECTED, CONFLICT: waits for a person */
} Backlog;

static Backlog
backlog_of (TopoutSession *session)
{
  if (session == NULL)
    return BACKLOG_NONE;
  switch (topout_session_get_sync_state (session))
    {
    case TOPOUT_SYNC_STATE_PENDING:
    case TOPOUT_SYNC_STATE_SYNCING:
    case TOPOUT_SYNC_STATE_FAILED:
      return BACKLOG_PENDING;
    case TOPOUT_SYNC_STATE_REJECTED:
    case TOPOUT_SYNC_STATE_CONFLICT:
      return BACKLOG_ATTENTION;
    default:
      return BACKLOG_NONE;
    }
}

static void
on_session_changed (TopoutStore      *store,
                    TopoutSession    *before,
                    TopoutSession    *after,
                    TopoutSyncEngine *self)
{
  /* Most changes (every log into an active session) leave the count as it
   * was: no count(*) over the sessions for them. */
  if ((before == NULL && after == NULL) || backlog_of (before) != backlog_of (after))
    queue_pending_update (self);

  /* Retried from its row, its server version overruled, or edited after a
   * rejection: a person asked for this session to be sent, now (SPEC §5
   * "retry from the row"), not at the next session's end. */
  if (self->started && before != NULL && after != NULL &&
      topout_session_get_sync_state (after) == TOPOUT_SYNC_STATE_PENDING &&
      (backlog_of (before) == BACKLOG_ATTENTION || topout_session_get_sync_state (before) == TOPOUT_SYNC_STATE_FAILED))
    schedule_full (self, TOPOUT_SYNC_RETRY_ASKED_DELAY_MS * 1000, TOPOUT_SYNC_FLAGS_NONE);

  /* A session that just ended: sync it once its undo toast is gone (the UI
   * may ask sooner with topout_sync_engine_schedule()). */
  if (self->started && after != NULL &&
      topout_session_get_status (after) == TOPOUT_SESSION_STATUS_COMPLETED &&
      (before == NULL || topout_session_get_status (before) != TOPOUT_SESSION_STATUS_COMPLETED) &&
      topout_session_get_sync_state (after) == TOPOUT_SYNC_STATE_PENDING)
    topout_sync_engine_schedule (self, TOPOUT_SYNC_COMPLETED_DELAY_MS);
}

static void
on_sessions_reset (TopoutStore      *store,
                   TopoutSyncEngine *self)
{
  queue_pending_update (self);
  /* Another process's sync of this database (topout --sync-now) wrote its
   * time there, and maybe the server's wait: read here, not at each count a
   * session's change queues. */
  set_last_success (self, last_sync_here (self));
  load_wait (self);
}

static void
on_network_changed (GNetworkMonitor  *monitor,
                    gboolean          available,
                    TopoutSyncEngine *self)
{
  if (!available || !self->started)
    return;
  if (self->state == TOPOUT_SYNC_ENGINE_STATE_OFFLINE ||
      self->state == TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY)
    /* Back online: what failed for want of a network is worth sending now. */
    schedule_full (self, G_USEC_PER_SEC, TOPOUT_SYNC_FLAGS_RETRY_ALL);
}

void
topout_sync_engine_start (TopoutSyncEngine *self)
{
  g_return_if_fail (TOPOUT_IS_SYNC_ENGINE (self));

  if (self->started)
    return;
  self->started = TRUE;
  if (self->monitor == NULL)
    {
      self->monitor = g_object_ref (g_network_monitor_get_default ());
      self->network_changed_id = g_signal_connect (self->monitor, "network-changed",
                                                   G_CALLBACK (on_network_changed), self);
    }
  /* No count here: constructed() counted, and the store's signals queue a
   * new count after every change since. */
  topout_sync_engine_schedule (self, 1000);
}

void
topout_sync_engine_stop (TopoutSyncEngine *self)
{
  g_return_if_fail (TOPOUT_IS_SYNC_ENGINE (self));

  self->started = FALSE;
  self->again = FALSE;
  source_clear (&self->timer);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

/* The sync itself ---------------------------------------------------------- */

static gboolean
take_lock (SyncRun  *run,
           GError  **error)
{
  run->lock_fd = g_open (run->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (run->lock_fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot open the sync lock %s: %s", run->lock_path, g_strerror (saved_errno));
      return FALSE;
    }
  while (flock (run->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;
      close (run->lock_fd);
      run->lock_fd = -1;
      if (saved_errno == EWOULDBLOCK)
        return TRUE;  /* busy: lock_fd stays -1 */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot lock %s: %s", run->lock_path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static void
release_lock (SyncRun *run)
{
  if (run->lock_fd >= 0)
    {
      flock (run->lock_fd, LOCK_UN);
      close (run->lock_fd);
      run->lock_fd = -1;
    }
}

static GPtrArray *
sub_batch (GPtrArray *batch,
           guint      from,
           guint      to)
{
  GPtrArray *part = g_ptr_array_new_full (to - from, g_object_unref);

  for (guint i = from; i < to; i++)
    g_ptr_array_add (part, g_object_ref (g_ptr_array_index (batch, i)));
  return part;
}

/* Puts both halves of @batch ahead of everything else, first half first. */
static void
queue_halves (SyncRun   *run,
              GPtrArray *batch)
{
  guint mid = batch->len / 2;

  g_queue_push_head (&run->queued, sub_batch (batch, mid, batch->len));
  g_queue_push_head (&run->queued, sub_batch (batch, 0, mid));
}

static void
count_result (SyncRun              *run,
              TopoutSyncResultKind  kind)
{
  switch (kind)
    {
    case TOPOUT_SYNC_RESULT_SYNCED:   run->summary.n_synced++; break;
    case TOPOUT_SYNC_RESULT_CONFLICT: run->summary.n_conflict++; break;
    case TOPOUT_SYNC_RESULT_REJECTED: run->summary.n_rejected++; break;
    case TOPOUT_SYNC_RESULT_FAILED:
    default:                          run->summary.n_failed++; break;
    }
}

/* The database could not be read or written (@error, taken): the sync
 * stops once the request in flight is answered, and ends with the first
 * such error. Never a success, nor a count of 0 left. */
static void
store_failed (TopoutSyncEngine *self,
              SyncRun          *run,
              GError           *error)
{
  g_debug ("Sync stopped by the database: %s", error->message);
  set_last_error (self, error->message);
  run->outcome = RUN_STORE_FAILED;
  if (run->store_error == NULL)
    run->store_error = error;
  else
    g_error_free (error);
}

/* Applies @results (one per session of @batch) in one store call. */
static gboolean
apply_results (GTask            *task,
               TopoutSyncResult *results,
               guint             n_results)
{
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (!topout_store_apply_sync_results (self->store, results, n_results, &error))
    {
      store_failed (self, run, error);
      return FALSE;
    }
  for (guint i = 0; i < n_results; i++)
    count_result (run, results[i].kind);
  return TRUE;
}

/* The most failures of any session of @batch: the batch waits as long as
 * its most tried session would alone. */
static guint
batch_attempts (GPtrArray *batch)
{
  guint attempts = 0;

  for (guint i = 0; i < batch->len; i++)
    attempts = MAX (attempts, topout_session_get_sync_attempts (g_ptr_array_index (batch, i)));
  return attempts;
}

/* Every session of @batch gets the same @kind (FAILED: one backoff for the
 * whole batch, or @retry_after_usec when ≥ 0). A request that failed as a
 * whole (no network, a 5xx) is retried as one request: a delay drawn per
 * session scattered a batch of 40 into 40 requests of one session each,
 * every few hundred milliseconds, at a server that was down. */
static gboolean
apply_to_batch (GTask                *task,
                GPtrArray            *batch,
                TopoutSyncResultKind  kind,
                gint64                retry_after_usec,
                const char           *error_code,
                const char           *error_message)
{
  TopoutSyncEngine *self = g_task_get_source_object (task);
  g_autofree TopoutSyncResult *results = g_new0 (TopoutSyncResult, batch->len);
  gint64 now = store_now (self);
  gint64 delay = kind == TOPOUT_SYNC_RESULT_FAILED ? retry_delay (batch_attempts (batch), retry_after_usec) : 0;

  for (guint i = 0; i < batch->len; i++)
    {
      TopoutSession *session = g_ptr_array_index (batch, i);
      TopoutSyncResult *r = &results[i];

      r->session_id = topout_session_get_id (session);
      r->sent_revision = topout_session_get_revision (session);
      r->kind = kind;
      r->error_code = error_code;
      r->error_message = error_message;
      if (kind == TOPOUT_SYNC_RESULT_FAILED)
        r->next_attempt_at = now + delay;
    }
  return apply_results (task, results, batch->len);
}

/* A translated sentence for a contract error code, else @fallback. */
static const char *
wire_message (const char *code,
              const char *fallback)
{
  TopoutWireError wire_error;

  if (topout_wire_error_from_code (code, &wire_error))
    return topout_wire_error_get_message (wire_error);
  return fallback != NULL ? fallback : _("The server refused this session");
}

static void
answer_free (Answer *answer)
{
  g_clear_pointer (&answer->batch, g_ptr_array_unref);
  g_clear_pointer (&answer->items, g_ptr_array_unref);
  g_free (answer->results);
  g_free (answer);
}

/* A 200 for @batch: one result per session, matched by clientId; read, not
 * recorded (apply_answer() does). NULL when it cannot be read. */
static Answer *
read_answer (TopoutSyncEngine  *self,
             GPtrArray         *batch,
             const char        *body,
             gsize              len,
             GError           **error)
{
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GHashTable) by_id = NULL;
  g_autoptr (GHashTable) in_batch = NULL;
  g_autoptr (GHashTable) repeated = NULL;
  TopoutSyncResult *results;
  Answer *answer;
  gint64 now = store_now (self);
  const char *why = NULL;
  guint attempts = 0;
  gint64 delay;

  items = topout_sync_decode_results (body, len, error);
  if (items == NULL)
    return NULL;

  in_batch = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < batch->len; i++)
    g_hash_table_add (in_batch, (gpointer) topout_session_get_id (g_ptr_array_index (batch, i)));

  /* A clientId answered twice is answered for by neither: which of two
   * contradicting results to believe ("created", then "rejected") is not
   * for the order they came in to decide. */
  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  repeated = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < items->len; i++)
    {
      TopoutWireResult *item = g_ptr_array_index (items, i);

      if (!g_hash_table_contains (in_batch, item->client_id))
        g_message ("Sync result for a clientId that was not sent (%s): ignored", item->client_id);
      else if (g_hash_table_contains (by_id, item->client_id))
        {
          g_message ("Repeated sync result for %s: none of them applied", item->client_id);
          g_hash_table_add (repeated, item->client_id);
        }
      else
        g_hash_table_insert (by_id, item->client_id, item);
    }

  results = g_new0 (TopoutSyncResult, batch->len);
  for (guint i = 0; i < batch->len; i++)
    {
      TopoutSession *session = g_ptr_array_index (batch, i);
      TopoutWireResult *item = g_hash_table_lookup (by_id, topout_session_get_id (session));
      TopoutSyncResult *r = &results[i];

      r->session_id = topout_session_get_id (session);
      r->sent_revision = topout_session_get_revision (session);
      r->kind = TOPOUT_SYNC_RESULT_FAILED;

      if (g_hash_table_contains (repeated, r->session_id))
        r->error_message = _("The sync server answered twice for this session");
      else if (item == NULL)
        {
          /* Never synced without its own result. */
          r->error_message = _("The sync server did not answer for this session");
        }
      else
        switch (item->status)
          {
          case TOPOUT_WIRE_STATUS_CREATED:
          case TOPOUT_WIRE_STATUS_UPDATED:
          case TOPOUT_WIRE_STATUS_UNCHANGED:
            /* Synced only with a server id and the revision that was sent
             * (the contract's answer for it): anything else is no answer. */
            if (topout_text_is_blank (item->session_id) || item->revision != r->sent_revision)
              {
                g_message ("Sync result for %s without its server id or with another revision (%" G_GINT64_FORMAT
                           "): retried later", r->session_id, item->revision);
                r->error_message = _("The sync server’s answer for this session was incomplete");
                break;
              }
            r->kind = TOPOUT_SYNC_RESULT_SYNCED;
            r->server_id = item->session_id;
            r->server_revision = item->revision;
            break;
          case TOPOUT_WIRE_STATUS_CONFLICT:
            if (topout_text_is_blank (item->session_id) || item->revision < 1 ||
                item->revision > TOPOUT_SYNC_REVISION_MAX)
              {
                g_message ("Conflict for %s without a server id or a revision in range: retried later",
                           r->session_id);
                r->error_message = _("The sync server’s answer for this session was incomplete");
                break;
              }
            r->kind = TOPOUT_SYNC_RESULT_CONFLICT;
            r->server_id = item->session_id;
            r->server_revision = item->revision;
            r->error_message = _("The server holds another version of this session");
            break;
          case TOPOUT_WIRE_STATUS_REJECTED:
            r->kind = TOPOUT_SYNC_RESULT_REJECTED;
            r->error_code = item->error_code;
            r->error_message = wire_message (item->error_code, item->error_message);
            break;
          case TOPOUT_WIRE_STATUS_ERROR:
            r->error_code = item->error_code;
            r->error_message = item->error_message != NULL
                               ? item->error_message
                               : _("The sync server failed on this session");
            break;
          case TOPOUT_WIRE_STATUS_UNKNOWN:
          default:
            /* A status of a newer contract: nothing marked synced; retried. */
            g_message ("Sync result with an unknown status for %s: retried later",
                       topout_session_get_id (session));
            r->error_message = _("The sync server gave an answer this version does not know");
            break;
          }

      if (r->kind == TOPOUT_SYNC_RESULT_FAILED)
        {
          attempts = MAX (attempts, topout_session_get_sync_attempts (session));
          why = r->error_message;
        }
    }

  /* The sessions that failed wait together, one draw of the backoff, and go
   * again as one request (a delay drawn for each scattered them into one
   * request each, at a server failing them because it is overloaded). */
  delay = topout_sync_backoff_delay (attempts);
  for (guint i = 0; i < batch->len; i++)
    if (results[i].kind == TOPOUT_SYNC_RESULT_FAILED)
      results[i].next_attempt_at = now + delay;
  answer = g_new0 (Answer, 1);
  answer->batch = g_ptr_array_ref (batch);
  answer->items = g_steal_pointer (&items);  /* what @results point into */
  answer->results = results;
  answer->why = why;
  return answer;
}

/* Records @answer: every result of one response in one transaction. */
static gboolean
apply_answer (GTask  *task,
              Answer *answer)
{
  /* Said in the window and by --sync-now ("Last failure"). */
  if (answer->why != NULL)
    set_last_error (g_task_get_source_object (task), answer->why);
  return apply_results (task, answer->results, answer->batch->len);
}

/* The answer to the batch before, read when the next batch went out and
 * recorded once that request is on its way (its body written), while the
 * server works on it: the database's commit is then not between an answer
 * and the next request. Recorded before anything else is, and before the
 * sync ends. */
static void
apply_answer_held (GTask *task)
{
  SyncRun *run = g_task_get_task_data (task);
  Answer *answer = g_steal_pointer (&run->held);

  source_clear (&run->held_idle);
  if (answer == NULL)
    return;
  apply_answer (task, answer);
  /* Its sessions are freed with the batch answered next. */
  g_clear_pointer (&run->answered, g_ptr_array_unref);
  run->answered = g_ptr_array_ref (answer->batch);
  answer_free (answer);
}

static void
clear_request (SyncRun *run)
{
  source_clear (&run->timeout);
  if (run->request_cancel_id != 0)
    g_cancellable_disconnect (run->cancellable, run->request_cancel_id);
  run->request_cancel_id = 0;
  g_clear_object (&run->request_cancellable);
  if (run->msg != NULL)
    {
      g_signal_handlers_disconnect_matched (run->msg, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, handshake_event, NULL);
      g_signal_handlers_disconnect_matched (run->msg, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, request_written, NULL);
    }
  g_clear_object (&run->msg);
  g_clear_pointer (&run->sent_body, g_bytes_unref);
  g_clear_object (&run->stream);
  g_clear_pointer (&run->body, g_byte_array_unref);
  run->timed_out = FALSE;
  run->handshake_timed_out = FALSE;
}

static gboolean
next_batch_cb (gpointer user_data)
{
  next_batch (user_data);
  return G_SOURCE_REMOVE;
}

static void
batch_done (GTask *task)
{
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);
  GSource *source;

  /* Its sessions are freed after the next batch is on its way, while the
   * server works on it, not between an answer and the next request. */
  g_clear_pointer (&run->answered, g_ptr_array_unref);
  run->answered = g_steal_pointer (&run->batch);
  clear_request (run);
  if (run->outcome != RUN_OK || run->summary.unauthorized)
    {
      finish_run (task);
      return;
    }
  /* The results were just recorded (a commit, the views following it); the
   * next batch is marked and sent after a frame that is due by now, not in
   * the same turn of the main loop: a window keeps its pace. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH_IDLE + 30);
  g_source_unref (source_attach (self, source, "[topout] sync next batch",
                                 next_batch_cb, g_object_ref (task), g_object_unref));
}

/* A retryable failure of the whole request: FAILED with backoff, stop. */
static void
fail_request (GTask      *task,
              RunOutcome  outcome,
              gint64      retry_after_usec,
              const char *message)
{
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);

  set_last_error (self, message);
  run->outcome = outcome;
  if (run->probing)
    run->probe_retry_after = retry_after_usec;
  apply_to_batch (task, run->batch, TOPOUT_SYNC_RESULT_FAILED, retry_after_usec, NULL, message);
  batch_done (task);
}

/* The request in flight held one session: whether this app's own codec,
 * reading what was sent as a server does, finds it malformed (*@code why). */
static gboolean
sent_session_is_malformed (SyncRun         *run,
                           TopoutWireError *code)
{
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  TopoutWireItem *item;
  gsize len;
  const char *data;

  if (run->sent_body == NULL)
    return FALSE;
  data = g_bytes_get_data (run->sent_body, &len);
  items = topout_sync_decode_request (data, len, &error);
  if (items == NULL)
    {
      *code = error->domain == TOPOUT_WIRE_ERROR ? (TopoutWireError) error->code : TOPOUT_WIRE_ERROR_INVALID_JSON;
      return TRUE;
    }
  if (items->len != 1)
    return FALSE;
  item = g_ptr_array_index (items, 0);
  if (!item->rejected)
    return FALSE;
  *code = item->error;
  return TRUE;
}

/* The address answers, but not as the contract's server does (a 400 with no
 * contract error, or for a request the contract takes; a 404; a body that
 * is no answer): nothing is the sessions' fault. The batch in flight and
 * the halves waiting behind it are FAILED with one backoff, and the sync
 * stops; the message says to check the address. */
static void
mark_not_a_sync_server (GTask *task,
                        guint  status)
{
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);
  g_autofree char *message = NULL;
  GPtrArray *half;

  g_message ("HTTP %u from %s is not a sync server's answer", status, run->url);
  /* Translators: %s is the sync server address from Preferences, %u an HTTP status code */
  message = g_strdup_printf (_("The server at %s does not answer as a Topout sync server (HTTP %u); "
                               "check the sync server address"),
                             run->server, status);
  while ((half = g_queue_pop_head (&run->queued)) != NULL)
    {
      for (guint i = 0; i < half->len; i++)
        g_ptr_array_add (run->batch, g_object_ref (g_ptr_array_index (half, i)));
      g_ptr_array_unref (half);
    }
  set_last_error (self, message);
  run->outcome = RUN_RETRY;
  run->summary.not_a_sync_server = TRUE;
  apply_to_batch (task, run->batch, TOPOUT_SYNC_RESULT_FAILED, -1, NULL, message);
}

static void
not_a_sync_server (GTask *task,
                   guint  status)
{
  mark_not_a_sync_server (task, status);
  batch_done (task);
}

/* Where a redirect points, as a sync server address to set (the bulk
 * endpoint's path taken off), or NULL when there is no readable one. */
static char *
redirect_target (SoupMessage *msg)
{
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_autoptr (GUri) target = NULL;
  char *text;
  gsize len;

  if (location == NULL || !g_str_is_ascii (location))
    return NULL;
  for (const char *p = location; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      return NULL;
  target = g_uri_parse_relative (soup_message_get_uri (msg), location, G_URI_FLAGS_NONE, NULL);
  if (target == NULL || g_uri_get_host (target) == NULL)
    return NULL;
  text = g_uri_to_string_partial (target, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
  len = strlen (text);
  if (g_str_has_suffix (text, "/sessions/sync/bulk"))
    text[len - strlen ("/sessions/sync/bulk")] = '\0';
  return text;
}

/* The new server answered the request of no session as a sync server:
 * what the old one held, refused or disputed is sent to this one (SPEC: the
 * server is the gym's record of all sessions), and its last sync is not
 * ours. */
static void
move_to_server (GTask *task)
{
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);
  g_autofree char *key = sync_server_key (run->server);
  GError *error = NULL;
  gboolean moved = FALSE;

  run->probing = FALSE;
  self->probe_failures = 0;
  if (!topout_store_set_sync_server (self->store, key, &moved, &error))
    {
      store_failed (self, run, error);
      return;
    }
  if (moved)
    {
      g_message ("The sync server is now %s: every session is sent there", key);
      set_last_success (self, 0);
    }
}

/* Whether the batch read ahead can go out before the answer just read is
 * recorded: it is marked SYNCING already, no halves wait, nothing failed. */
static gboolean
can_send_ahead (SyncRun *run)
{
  return run->next != NULL && run->next_marked && g_queue_is_empty (&run->queued) &&
         run->outcome == RUN_OK && run->store_error == NULL && !run->summary.unauthorized &&
         !g_cancellable_is_cancelled (run->cancellable);
}

static void
handle_response (GTask *task)
{
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);
  guint status = soup_message_get_status (run->msg);
  SoupMessageHeaders *headers = soup_message_get_response_headers (run->msg);
  gint64 retry_after = -1;
  const char *value;

  apply_answer_held (task);
  /* The request of no session, to a new server, is none of the batches. */
  if (!run->probing)
    run->summary.n_batches++;
  /* It answered: a wait it asked for before is over (the answer may ask
   * for another one, below). */
  end_wait (self);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autoptr (GError) error = NULL;
      Answer *answer;

      if (run->body == NULL)
        {
          fail_request (task, RUN_RETRY, -1, _("The sync server sent an answer that was too large"));
          return;
        }
      answer = read_answer (self, run->batch, (const char *) run->body->data, run->body->len, &error);
      if (answer == NULL)
        {
          /* A page of another web service (a catch-all, a captive portal's
           * login) as often as a sync server's garbled answer: the address
           * is what to check. */
          g_message ("Unreadable sync response: %s", error->message);
          mark_not_a_sync_server (task, SOUP_STATUS_OK);
          batch_done (task);
          return;
        }
      if (run->probing)
        {
          answer_free (answer);
          move_to_server (task);
          batch_done (task);
          return;
        }
      if (can_send_ahead (run))
        {
          /* The next batch, marked already, goes out first; these results
           * are recorded once it is written, while the server reads it. */
          run->held = answer;
          g_clear_pointer (&run->batch, g_ptr_array_unref);
          clear_request (run);
          next_batch (task);
          return;
        }
      apply_answer (task, answer);
      answer_free (answer);
      batch_done (task);
      return;
    }

  /* A request of no session is no sync server's 400 or 413. */
  if (run->probing && (status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE))
    {
      not_a_sync_server (task, status);
      return;
    }

  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST:
      {
        TopoutWireError code;

        /* A Topout server's 400 says why in the contract's words; a proxy,
         * or another web service at a wrong address, answers 400 to every
         * request, and halving would mark every session REJECTED. */
        if (run->body == NULL || !topout_sync_decode_error ((const char *) run->body->data, run->body->len, &code))
          {
            not_a_sync_server (task, status);
            return;
          }
        if (run->batch->len > 1)
          {
            /* One session spoils the request: find it by halving. */
            g_debug ("HTTP %u for %u sessions: halving", status, run->batch->len);
            queue_halves (run, run->batch);
            batch_done (task);
            return;
          }
        /* Malformed by this app's own reading of what it sent, or the
         * server refuses what the contract takes: not the session's fault. */
        if (!sent_session_is_malformed (run, &code))
          {
            not_a_sync_server (task, status);
            return;
          }
        apply_to_batch (task, run->batch, TOPOUT_SYNC_RESULT_REJECTED, -1,
                        topout_wire_error_to_code (code), topout_wire_error_get_message (code));
        batch_done (task);
      }
      return;

    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      if (run->batch->len > 1)
        {
          /* The size spoils the request: halve it. */
          g_debug ("HTTP %u for %u sessions: halving", status, run->batch->len);
          queue_halves (run, run->batch);
          batch_done (task);
        }
      else
        {
          apply_to_batch (task, run->batch, TOPOUT_SYNC_RESULT_REJECTED, -1, "too_large", wire_message ("too_large", NULL));
          batch_done (task);
        }
      return;

    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
      {
        g_autoptr (GError) error = NULL;

        /* Back to due without spending an attempt (we hold the lock). */
        if (topout_store_reset_syncing (self->store, &error) < 0)
          g_warning ("Could not put sessions back in the queue: %s", error->message);
        run->summary.unauthorized = TRUE;
        self->auth_blocked = TRUE;
        set_last_error (self, status == SOUP_STATUS_UNAUTHORIZED
                              ? _("The sync server does not accept this device’s token")
                              : _("The sync server does not allow this device to sync"));
        batch_done (task);
      }
      return;

    default:
      break;
    }

  value = soup_message_headers_get_one (headers, "Retry-After");
  if (value != NULL &&
      !topout_sync_parse_retry_after (value, soup_message_headers_get_one (headers, "Date"),
                                      store_now (self), &retry_after))
    retry_after = -1;

  switch (status)
    {
    case SOUP_STATUS_MOVED_PERMANENTLY:
    case SOUP_STATUS_FOUND:
    case SOUP_STATUS_SEE_OTHER:
    case SOUP_STATUS_TEMPORARY_REDIRECT:
    case SOUP_STATUS_PERMANENT_REDIRECT:
      {
        g_autofree char *target = redirect_target (run->msg);
        g_autofree char *message = NULL;

        if (target == NULL)
          {
            not_a_sync_server (task, status);
            return;
          }
        /* Translators: %s is a web address, such as https://topout.example.org */
        message = g_strdup_printf (_("The sync server address sends elsewhere, to %s. If that is the sync server, "
                                     "set it as the sync server address"),
                                   target);
        fail_request (task, RUN_RETRY, retry_after, message);
      }
      return;
    case SOUP_STATUS_NOT_FOUND:
    case SOUP_STATUS_METHOD_NOT_ALLOWED:
      /* No sync endpoint there: a wrong address, most likely. */
      not_a_sync_server (task, status);
      return;
    case SOUP_STATUS_REQUEST_TIMEOUT:
    case 429:  /* Too Many Requests: no name in libsoup 3.2 */
    case SOUP_STATUS_INTERNAL_SERVER_ERROR:
    case SOUP_STATUS_BAD_GATEWAY:
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
    case SOUP_STATUS_GATEWAY_TIMEOUT:
      {
        g_autofree char *message = NULL;
        /* A Retry-After is the server asking to wait (maintenance, too many
         * requests): the same wait as the retry's, for every sync. */
        gint64 wait = retry_after >= 0
                      ? retry_delay (run->probing ? self->probe_failures : batch_attempts (run->batch), retry_after)
                      : 0;

        if (wait > 0)
          {
            start_wait (self, run->server, wait);
            /* The same words at every retry (a failure told again is no
             * news); when the next try is, the header says. */
            message = g_strdup_printf (_("The sync server asked to wait (HTTP %u). Nothing is lost: the sessions "
                                         "stay on this device and are sent when the wait is over"),
                                       status);
          }
        else
          message = g_strdup_printf (_("The sync server is busy or failing (HTTP %u); retrying later"), status);
        fail_request (task, RUN_RETRY, retry_after, message);
      }
      return;
    default:
      {
        /* 404 and friends: most likely a wrong address. Retried with backoff
         * all the same, so a server being deployed comes back by itself. */
        g_autofree char *message = g_strdup_printf (_("The sync server answered HTTP %u %s"),
                                                    status, soup_status_get_phrase (status));
        fail_request (task, RUN_RETRY, retry_after, message);
      }
      return;
    }
}

/* The SHA-256 of @certificate's DER, lower-case hex (what a pin holds), or
 * NULL when there is none. */
static char *
certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr (GByteArray) der = NULL;

  if (certificate == NULL)
    return NULL;
  g_object_get (certificate, "certificate", &der, NULL);
  return der != NULL ? g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len) : NULL;
}

static void
transport_failed (GTask  *task,
                  GError *error)
{
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);
  g_autofree char *message = NULL;
  RunOutcome outcome = RUN_RETRY;

  apply_answer_held (task);
  if (g_cancellable_is_cancelled (run->cancellable))
    {
      /* Stopped: the sessions in flight go back to due when the run ends. */
      clear_request (run);
      g_clear_pointer (&run->batch, g_ptr_array_unref);
      finish_run (task);
      return;
    }

  if (run->handshake_timed_out)
    /* An https address for a server of plain http: it waits for a request
     * and never answers the handshake. Said by the handshake's timer only:
     * the request's would have kept the user waiting three times as long. */
    message = g_strdup (_("The sync server did not start a secure connection. If it serves plain http, "
                          "its address begins with http://"));
  else if (run->timed_out)
    message = g_strdup (_("The sync server did not answer in time"));
  else if (error->domain == G_TLS_ERROR)
    {
      /* What to do about it, with the fingerprint to compare with the one
       * the server's administrator gives. */
      g_autofree char *seen = certificate_fingerprint (soup_message_get_tls_peer_certificate (run->msg));

      run->summary.untrusted = TRUE;
      if (seen != NULL && self->pin != NULL)
        /* Translators: %s is a SHA-256 fingerprint, 64 hexadecimal digits */
        message = g_strdup_printf (_("The sync server’s certificate is not the one pinned in Preferences: "
                                     "it shows %s. If the server’s certificate was renewed, pin the new one"),
                                   seen);
      else if (seen != NULL)
        /* Translators: %s is a SHA-256 fingerprint, 64 hexadecimal digits */
        message = g_strdup_printf (_("The sync server’s certificate is not trusted. If it is your gym’s own "
                                     "server, check its fingerprint with its administrator and pin it in "
                                     "Preferences: %s"),
                                   seen);
      else
        message = g_strdup_printf (_("The sync server’s certificate is not trusted: %s"), error->message);
    }
  else
    {
      if (self->monitor != NULL && !g_network_monitor_get_network_available (self->monitor))
        outcome = RUN_OFFLINE;
      message = g_strdup_printf (_("Cannot reach the sync server: %s"), error->message);
    }
  g_debug ("Sync request failed: %s", error->message);
  fail_request (task, outcome, -1, message);
}

static void
body_closed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;

  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  handle_response (task);
}

static void
body_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SyncRun *run = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      transport_failed (task, error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      source_clear (&run->timeout);
      g_input_stream_close_async (run->stream, G_PRIORITY_DEFAULT, NULL, body_closed, g_steal_pointer (&task));
      return;
    }
  if (run->body->len + g_bytes_get_size (chunk) > TOPOUT_SYNC_MAX_RESPONSE_BYTES)
    {
      /* Not read any further; the connection is dropped with the stream. */
      g_clear_pointer (&run->body, g_byte_array_unref);
      source_clear (&run->timeout);
      handle_response (task);
      return;
    }
  g_byte_array_append (run->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (run->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   run->request_cancellable, body_read, g_steal_pointer (&task));
}

static void
request_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SyncRun *run = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *headers;

  run->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (run->stream == NULL)
    {
      transport_failed (task, error);
      return;
    }

  headers = soup_message_get_response_headers (run->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > TOPOUT_SYNC_MAX_RESPONSE_BYTES)
    {
      /* Capped before reading: not a byte of it is parsed. */
      source_clear (&run->timeout);
      handle_response (task);
      return;
    }
  run->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (run->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   run->request_cancellable, body_read, g_steal_pointer (&task));
}

static gboolean
request_timed_out (gpointer user_data)
{
  SyncRun *run = user_data;

  g_clear_pointer (&run->timeout, g_source_unref);
  run->timed_out = TRUE;
  g_cancellable_cancel (run->request_cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
handshake_timed_out (gpointer user_data)
{
  SyncRun *run = user_data;

  run->handshake_timed_out = TRUE;
  return request_timed_out (run);
}

static void
cancel_request (GCancellable *cancellable,
                gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
accept_certificate (SoupMessage          *msg,
                    GTlsCertificate      *certificate,
                    GTlsCertificateFlags  errors,
                    gpointer              user_data)
{
  TopoutSyncEngine *self = user_data;
  g_autofree char *fingerprint = certificate_fingerprint (certificate);

  /* The pinned certificate and nothing else. */
  return fingerprint != NULL && self->pin != NULL && g_ascii_strcasecmp (fingerprint, self->pin) == 0;
}

static void
network_event (SoupMessage        *msg,
               GSocketClientEvent  event,
               GIOStream          *connection,
               gpointer            user_data)
{
  TopoutSyncEngine *self = user_data;

  /* Emitted for the message that made a new connection. */
  if (event == G_SOCKET_CLIENT_CONNECTED)
    self->n_connections++;
}

/* A TLS handshake gets a third of the request's time, 10 s at most: a
 * server of plain http at an https address never answers it, and saying so
 * soon beats a wait of the whole timeout. */
static gboolean
apply_answer_held_cb (gpointer user_data)
{
  SyncRun *run = g_task_get_task_data (user_data);

  g_clear_pointer (&run->held_idle, g_source_unref);
  apply_answer_held (user_data);
  return G_SOURCE_REMOVE;
}

/* The request is on its way: the answer before it is recorded now, once
 * libsoup is out of its writing. */
static void
request_written (SoupMessage *msg,
                 gpointer     user_data)
{
  GTask *task = user_data;
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);

  if (run->held != NULL && run->held_idle == NULL)
    run->held_idle = source_attach (self, g_idle_source_new (), "[topout] sync record answer",
                                    apply_answer_held_cb, g_object_ref (task), g_object_unref);
}

static void
handshake_event (SoupMessage        *msg,
                 GSocketClientEvent  event,
                 GIOStream          *connection,
                 gpointer            user_data)
{
  GTask *task = user_data;  /* alive while its request is */
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    {
      source_clear (&run->timeout);
      run->timeout = source_attach (self, g_timeout_source_new_seconds (CLAMP (self->timeout / 3, 1, 10)),
                                    "[topout] sync handshake timeout", handshake_timed_out, run, NULL);
    }
  else if (event == G_SOCKET_CLIENT_TLS_HANDSHAKED)
    {
      source_clear (&run->timeout);
      run->timeout = source_attach (self, g_timeout_source_new_seconds (self->timeout),
                                    "[topout] sync request timeout", request_timed_out, run, NULL);
    }
}

static void
send_batch (GTask  *task,
            GBytes *body)
{
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);
  g_autofree char *authorization = NULL;
  SoupMessageHeaders *headers;

  run->msg = soup_message_new ("POST", run->url);
  if (run->msg == NULL)
    {
      fail_request (task, RUN_RETRY, -1, _("The sync server address is not valid"));
      return;
    }
  /* Idempotent by clientId: libsoup may then reuse the connection (it opens a
   * new one for every non-idempotent POST) and retry on a dropped one. */
  soup_message_add_flags (run->msg, SOUP_MESSAGE_IDEMPOTENT);
  /* A redirect is not followed: libsoup would send the sessions and the
   * token wherever it points (an http address too, or another host), and
   * the address to sync with is the one set in Preferences. */
  soup_message_add_flags (run->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (run->msg);
  authorization = g_strconcat ("Bearer ", run->token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  memset (authorization, 0, strlen (authorization));
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_set_request_body_from_bytes (run->msg, "application/json", body);
  run->sent_body = g_bytes_ref (body);

  g_signal_connect_object (run->msg, "accept-certificate", G_CALLBACK (accept_certificate), self, 0);
  g_signal_connect_object (run->msg, "network-event", G_CALLBACK (network_event), self, 0);
  g_signal_connect (run->msg, "network-event", G_CALLBACK (handshake_event), task);
  g_signal_connect (run->msg, "wrote-body", G_CALLBACK (request_written), task);

  run->request_cancellable = g_cancellable_new ();
  run->request_cancel_id = g_cancellable_connect (run->cancellable, G_CALLBACK (cancel_request),
                                                  g_object_ref (run->request_cancellable),
                                                  g_object_unref);
  run->timed_out = FALSE;
  run->handshake_timed_out = FALSE;
  run->timeout = source_attach (self, g_timeout_source_new_seconds (self->timeout),
                                "[topout] sync request timeout", request_timed_out, run, NULL);

  soup_session_send_async (self->soup, run->msg, G_PRIORITY_DEFAULT, run->request_cancellable,
                           request_sent, g_object_ref (task));

  if (g_queue_is_empty (&run->queued) && run->next == NULL && !run->drained)
    read_ahead (task);
}

static void
ensure_climbers (TopoutStore *store,
                 GHashTable  *climbers,
                 GPtrArray   *batch)
{
  for (guint i = 0; i < batch->len; i++)
    {
      const char *climber_id = topout_session_get_climber_id (g_ptr_array_index (batch, i));
      TopoutClimber *climber;

      if (climber_id == NULL || g_hash_table_contains (climbers, climber_id))
        continue;
      climber = topout_store_get_climber (store, climber_id, NULL);
      if (climber != NULL)
        g_hash_table_insert (climbers, g_strdup (climber_id), climber);
    }
}

/* The request body of @batch, its climbers read from @store. */
static GBytes *
encode_batch (TopoutStore *store,
              SyncRun     *run,
              GPtrArray   *batch)
{
  ensure_climbers (store, run->climbers, batch);
  return topout_sync_encode_request (batch, run->climbers, topout_store_get_device_id (store));
}

/* Due sessions of @store not yet sent in this sync, at most @max, due at
 * @now. Once per sync: an edit made during the flight, or a failure whose
 * backoff is already over, waits for the next sync. Skipped before their
 * completions are loaded: each batch reads only what it sends. NULL when
 * the database cannot be read. */
static GPtrArray *
read_batch (TopoutStore  *store,
            SyncRun      *run,
            gint64        now,
            guint         max,
            GBytes      **body,
            GError      **error)
{
  GPtrArray *batch = topout_store_list_due_sessions_except (store, now, max, run->attempted, error);

  if (batch != NULL && batch->len > 0)
    *body = encode_batch (store, run, batch);
  return batch;
}

static gint64
due_until (TopoutSyncEngine *self,
           SyncRun          *run)
{
  return (run->flags & TOPOUT_SYNC_FLAGS_RETRY_ALL) ? G_MAXINT64 : store_now (self);
}

typedef struct {
  SyncRun     *run;
  TopoutStore *store;      /* the app's: alive while the sync's task is */
  gint64       now;
  guint        max;
  GPtrArray   *batch;
  GBytes      *body;
  GError      *read_error; /* the database could not be read */
} ReadAhead;

static void
read_ahead_free (gpointer data)
{
  ReadAhead *ra = data;

  g_clear_pointer (&ra->batch, g_ptr_array_unref);
  g_clear_pointer (&ra->body, g_bytes_unref);
  g_clear_error (&ra->read_error);
  g_free (ra);
}

static void
read_ahead_thread (GTask        *rtask,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ReadAhead *ra = task_data;
  SyncRun *run = ra->run;
  GError *error = NULL;

  /* Only reads: the writes (marks, results) stay with the app's store. */
  if (run->reader == NULL && (run->reader = topout_store_open_another (ra->store, &error)) == NULL)
    {
      g_task_return_error (rtask, error);
      return;
    }
  ra->batch = read_batch (run->reader, run, ra->now, ra->max, &ra->body, &ra->read_error);
  g_task_return_boolean (rtask, TRUE);
}

/* Whether @batch with @body goes out as it is (not halved, not refused for
 * its size). */
static gboolean
sent_as_is (GPtrArray *batch,
            GBytes    *body)
{
  gsize size = g_bytes_get_size (body);

  return (size <= TOPOUT_SYNC_BATCH_BYTES || batch->len == 1) && size <= TOPOUT_LIMIT_BODY_BYTES;
}

/* Marks the sessions of @batch SYNCING (about to be sent). */
static gboolean
mark_batch_syncing (TopoutSyncEngine  *self,
                    GPtrArray         *batch,
                    GError           **error)
{
  g_autofree const char **ids = g_new0 (const char *, batch->len + 1);

  for (guint i = 0; i < batch->len; i++)
    ids[i] = topout_session_get_id (g_ptr_array_index (batch, i));
  return topout_store_mark_syncing (self->store, ids, error);
}

/* Marks @run->next SYNCING while a request is in flight, so that it can go
 * out the moment that one is answered (can_send_ahead()). A run that ends
 * before sending it puts it back (finish_run() resets what is SYNCING). */
static void
mark_ahead (GTask *task)
{
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (run->msg == NULL || run->resume || run->finished || run->probing || !g_queue_is_empty (&run->queued) ||
      run->store_error != NULL || !sent_as_is (run->next, run->next_body))
    return;
  if (!mark_batch_syncing (self, run->next, &error))
    {
      store_failed (self, run, error);
      return;
    }
  run->next_marked = TRUE;
}

/* Back on the main thread; @user_data holds the sync's task. */
static void
read_ahead_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SyncRun *run = g_task_get_task_data (task);
  ReadAhead *ra = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  run->reading = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_message ("Sync reads on the main thread: %s", error->message);
      run->reader_failed = TRUE;
    }
  else if (ra->batch == NULL)
    store_failed (g_task_get_source_object (task), run, g_steal_pointer (&ra->read_error));
  else if (ra->batch->len == 0)
    run->drained = TRUE;
  else
    {
      run->next = g_steal_pointer (&ra->batch);
      run->next_body = g_steal_pointer (&ra->body);
      mark_ahead (task);
    }
  if (run->resume && !run->finished)
    {
      run->resume = FALSE;
      next_batch (task);
    }
}

/* Reads and encodes the next batch in a thread, into @run->next. Sessions
 * edited meanwhile are sent as read: their result is then not applied (the
 * revision differs), as for an edit made during the flight. */
static gboolean
read_ahead (GTask *task)
{
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);
  g_autoptr (GTask) rtask = NULL;
  ReadAhead *ra;

  if (run->reading || run->reader_failed || run->store_error != NULL ||
      g_cancellable_is_cancelled (run->cancellable))
    return FALSE;
  ra = g_new0 (ReadAhead, 1);
  ra->run = run;
  ra->store = self->store;
  ra->now = due_until (self, run);
  ra->max = self->batch_sessions;
  run->reading = TRUE;
  /* No source object: the engine is never released in the thread. The sync's
   * task, which holds @run, is released in read_ahead_done(). */
  rtask = g_task_new (NULL, NULL, read_ahead_done, g_object_ref (task));
  g_task_set_source_tag (rtask, read_ahead);
  g_task_set_task_data (rtask, ra, read_ahead_free);
  g_task_run_in_thread (rtask, read_ahead_thread);
  return TRUE;
}

static void
next_batch (GTask *task)
{
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);
  g_autoptr (GBytes) body = NULL;
  GError *error = NULL;
  gboolean marked = FALSE;

  if (g_cancellable_is_cancelled (run->cancellable) || run->store_error != NULL)
    {
      finish_run (task);
      return;
    }

  /* The thread reading ahead is waited for: until it is done, what it
   * reads into is its own. */
  if (run->reading)
    {
      run->resume = TRUE;
      return;
    }

  /* Halves to send go first; a batch read ahead then waits for its turn in
   * the queue again (it was not attempted), or, marked already, after them. */
  if (!g_queue_is_empty (&run->queued) && !run->next_marked)
    {
      g_clear_pointer (&run->next, g_ptr_array_unref);
      g_clear_pointer (&run->next_body, g_bytes_unref);
    }

  for (;;)
    {
      GPtrArray *batch = g_queue_pop_head (&run->queued);

      if (batch == NULL && run->next != NULL)
        {
          batch = g_steal_pointer (&run->next);
          body = g_steal_pointer (&run->next_body);
          marked = run->next_marked;
          run->next_marked = FALSE;
        }
      else if (batch == NULL && run->drained)
        {
          finish_run (task);
          return;
        }
      else if (batch == NULL && read_ahead (task))
        {
          /* Read in the thread, as the batches read ahead are. */
          run->resume = TRUE;
          return;
        }
      else if (batch == NULL &&
               (batch = read_batch (self->store, run, due_until (self, run), self->batch_sessions,
                                    &body, &error)) == NULL)
        {
          store_failed (self, run, error);
          finish_run (task);
          return;
        }
      if (batch->len == 0)
        {
          g_ptr_array_unref (batch);
          finish_run (task);
          return;
        }

      if (body == NULL)
        body = encode_batch (self->store, run, batch);  /* a half: read already */
      if (g_bytes_get_size (body) > TOPOUT_SYNC_BATCH_BYTES && batch->len > 1)
        {
          queue_halves (run, batch);
          g_ptr_array_unref (batch);
          g_clear_pointer (&body, g_bytes_unref);
          continue;
        }
      run->batch = batch;
      break;
    }

  for (guint i = 0; i < run->batch->len; i++)
    g_hash_table_add (run->attempted, g_strdup (topout_session_get_id (g_ptr_array_index (run->batch, i))));

  if (g_bytes_get_size (body) > TOPOUT_LIMIT_BODY_BYTES)
    {
      /* A single session over the contract's body limit: no server takes it. */
      apply_to_batch (task, run->batch, TOPOUT_SYNC_RESULT_REJECTED, -1, "too_large",
                      wire_message ("too_large", NULL));
      batch_done (task);
      return;
    }

  if (!marked && !mark_batch_syncing (self, run->batch, &error))
    {
      store_failed (self, run, error);
      g_clear_pointer (&run->batch, g_ptr_array_unref);
      finish_run (task);
      return;
    }

  send_batch (task, body);
  g_clear_pointer (&run->answered, g_ptr_array_unref);
}

static void
finish_run (GTask *task)
{
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);
  gboolean cancelled = g_cancellable_is_cancelled (run->cancellable);
  gint64 synced_at = 0;
  gboolean got_through;
  gint64 next;

  apply_answer_held (task);
  run->finished = TRUE;
  g_clear_pointer (&run->next, g_ptr_array_unref);
  run->next_marked = FALSE;
  g_clear_pointer (&run->next_body, g_bytes_unref);

  if (run->lock_fd >= 0)
    {
      GError *error = NULL;

      /* Anything still SYNCING (halves never sent, a stop) is due again. */
      if (topout_store_reset_syncing (self->store, &error) < 0)
        store_failed (self, run, error);
      release_lock (run);
    }

  {
    GError *error = NULL;

    /* Unreadable: the last count known, and the sync fails with why. */
    if (!update_pending (self, &error))
      store_failed (self, run, error);
    run->summary.left_due = self->pending;
  }

  /* It got through: the time is this database's own, and one that cannot
   * be written fails the sync like any other write. A run with nothing to
   * send reached no server: "last synced" stays the last time one answered
   * (it said "just now" while the server was down). */
  got_through = !cancelled && run->outcome == RUN_OK && run->store_error == NULL && !run->summary.busy &&
                !run->summary.unauthorized && !run->summary.not_configured;
  /* A 200 answering for none of the sessions (results left out) is no
   * sync either: "last synced" is when a server took or judged some. */
  if (got_through && run->summary.n_batches > 0 &&
      (run->summary.n_failed == 0 ||
       run->summary.n_synced + run->summary.n_rejected + run->summary.n_conflict > 0))
    {
      GError *error = NULL;

      synced_at = store_now (self);
      if (!topout_store_set_last_sync (self->store, synced_at, &error))
        {
          store_failed (self, run, error);
          synced_at = 0;
        }
    }
  self->running = FALSE;

  if (run->store_error != NULL)
    {
      set_last_error (self, run->store_error->message);
      set_state (self, TOPOUT_SYNC_ENGINE_STATE_STORE_FAILED);
    }
  else if (run->summary.busy)
    set_state (self, TOPOUT_SYNC_ENGINE_STATE_IDLE);
  else if (run->summary.not_configured)
    set_state (self, TOPOUT_SYNC_ENGINE_STATE_NOT_CONFIGURED);
  else if (run->summary.unauthorized)
    set_state (self, TOPOUT_SYNC_ENGINE_STATE_UNAUTHORIZED);
  else if (run->outcome == RUN_OFFLINE)
    set_state (self, TOPOUT_SYNC_ENGINE_STATE_OFFLINE);
  else if (run->outcome == RUN_RETRY || topout_store_get_next_attempt_at (self->store) != 0)
    set_state (self, TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY);
  else
    set_state (self, TOPOUT_SYNC_ENGINE_STATE_IDLE);

  if (synced_at != 0)
    set_last_success (self, synced_at);
  if (got_through && run->store_error == NULL && run->summary.n_failed == 0)
    set_last_error (self, NULL);

  if (self->started && !cancelled)
    {
      /* The retry timer: the wall-clock due time becomes a monotonic delay once. */
      next = topout_store_get_next_attempt_at (self->store);
      if (waiting_for_server (self) && !self->auth_blocked)
        {
          /* The server asked to wait: whatever was due before goes then. */
          if (run->probing)
            self->probe_failures++;
          schedule_full (self, wait_left (self), TOPOUT_SYNC_FLAGS_NONE);
        }
      else if (run->probing && run->outcome == RUN_RETRY && !self->auth_blocked)
        {
          /* A new server that did not answer as one: no session was sent,
           * none holds a backoff; the sync waits as a failed one would. */
          gint64 delay = retry_delay (self->probe_failures, run->probe_retry_after);

          self->probe_failures++;
          schedule_full (self, delay, TOPOUT_SYNC_FLAGS_NONE);
        }
      else if (next != 0 && !self->auth_blocked)
        schedule_full (self, next - store_now (self), TOPOUT_SYNC_FLAGS_NONE);
      else if (run->summary.busy)
        /* The other process may stop before syncing what we have. */
        schedule_full (self, 60 * G_USEC_PER_SEC, TOPOUT_SYNC_FLAGS_NONE);
      if (self->again)
        {
          TopoutSyncFlags flags = self->again_flags;

          self->again = FALSE;
          self->again_flags = TOPOUT_SYNC_FLAGS_NONE;
          schedule_full (self, 0, flags);
        }
    }

  if (cancelled)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The sync was stopped");
  else if (run->store_error != NULL)
    g_task_return_error (task, g_steal_pointer (&run->store_error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
start_batches (GTask *task)
{
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  int n;

  if (!take_lock (run, &error))
    {
      self->running = FALSE;
      set_state (self, TOPOUT_SYNC_ENGINE_STATE_IDLE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (run->lock_fd < 0)
    {
      g_debug ("Another sync holds %s: nothing to do", run->lock_path);
      run->summary.busy = TRUE;
      finish_run (task);
      return;
    }

  /* We hold the lock: whatever is SYNCING was left by a crash. */
  n = topout_store_reset_syncing (self->store, &error);
  if (n < 0)
    {
      store_failed (self, run, g_steal_pointer (&error));
      finish_run (task);
      return;
    }
  else if (n > 0)
    g_message ("%d sessions left syncing by an earlier run are due again", n);

  /* Another server than the one this database synced with: it is asked
   * first, with a request of no session; only once it answers as a sync
   * server are the sessions sent to it (move_to_server()). A mistyped
   * address then re-queues nothing. */
  {
    g_autofree char *key = sync_server_key (run->server);
    g_autofree char *recorded = topout_store_get_sync_server (self->store);

    if (recorded != NULL && g_strcmp0 (recorded, key) != 0)
      {
        g_autoptr (GBytes) body = NULL;

        run->probing = TRUE;
        run->probe_retry_after = -1;
        run->batch = g_ptr_array_new_with_free_func (g_object_unref);
        body = topout_sync_encode_request (run->batch, NULL, topout_store_get_device_id (self->store));
        send_batch (task, body);
        return;
      }
    /* None recorded (never synced): what it holds is taken as this
     * server's. */
    if (recorded == NULL && !topout_store_set_sync_server (self->store, key, NULL, &error))
      {
        store_failed (self, run, g_steal_pointer (&error));
        finish_run (task);
        return;
      }
  }

  next_batch (task);
}

static void
token_lookup_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *where = NULL;
  char *token;

  token = topout_sync_token_lookup (task_data, &where, &error);
  if (token == NULL && error != NULL)
    {
      /* Why there is none (a token in a locked keyring) is what to say. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (error != NULL)
    g_message ("Token lookup: %s", error->message);
  else if (token != NULL)
    g_debug ("Sync token from %s", where);
  g_task_return_pointer (task, token, g_free);
}

static void
token_looked_up (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  TopoutSyncEngine *self = g_task_get_source_object (task);
  SyncRun *run = g_task_get_task_data (task);

  g_autoptr (GError) error = NULL;

  run->token = g_task_propagate_pointer (G_TASK (result), &error);
  if (run->token == NULL)
    {
      run->summary.not_configured = TRUE;
      set_last_error (self, error != NULL ? error->message : _("No device token for the sync server is set up"));
      finish_run (task);
      return;
    }
  start_batches (task);
}

static void
cancel_run (GCancellable *cancellable,
            gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

void
topout_sync_engine_sync_async (TopoutSyncEngine    *self,
                               TopoutSyncFlags      flags,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *why = NULL;
  SyncRun *run;

  g_return_if_fail (TOPOUT_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, topout_sync_engine_sync_async);

  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "A sync is already running");
      return;
    }

  run = g_new0 (SyncRun, 1);
  run->flags = flags;
  run->lock_fd = -1;
  run->cancellable = g_cancellable_new ();
  run->engine_cancellable = g_object_ref (self->cancellable);
  run->engine_cancel_id = g_cancellable_connect (run->engine_cancellable, G_CALLBACK (cancel_run),
                                                 g_object_ref (run->cancellable), g_object_unref);
  if (cancellable != NULL)
    {
      run->caller_cancellable = g_object_ref (cancellable);
      run->caller_cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_run),
                                                     g_object_ref (run->cancellable), g_object_unref);
    }
  run->attempted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->climbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_queue_init (&run->queued);
  run->lock_path = g_strconcat (topout_store_get_path (self->store), ".sync-lock", NULL);
  g_task_set_task_data (task, run, (GDestroyNotify) sync_run_free);

  /* The server asked to wait: nothing is sent, and the sync asked for runs
   * when the wait is over. (A demo database never syncs, so never waits.) */
  if (waiting_for_server (self))
    {
      run->summary.waiting = TRUE;
      run->summary.wait_until = self->wait_until;
      run->summary.left_due = self->pending;
      if (self->started)
        schedule_full (self, wait_left (self), flags);
      g_task_return_boolean (task, TRUE);
      return;
    }

  self->running = TRUE;
  set_state (self, TOPOUT_SYNC_ENGINE_STATE_SYNCING);

  /* SPEC rule 11, as `topout --sync-now` says: a demo database sends
   * nothing, even rows an older version left due in it. */
  if (topout_store_is_demo (self->store))
    {
      finish_run (task);
      return;
    }

  if (self->auth_blocked)
    {
      run->summary.unauthorized = TRUE;
      finish_run (task);
      return;
    }

  run->server = g_strdup (self->server_url);
  run->url = topout_sync_bulk_url (self->server_url, self->allow_insecure_http, &why);
  if (run->url == NULL)
    {
      run->summary.not_configured = TRUE;
      set_last_error (self, why);
      finish_run (task);
      return;
    }

  if (self->token == NULL)
    {
      /* libsecret talks D-Bus synchronously: not on this thread. */
      g_autoptr (GTask) lookup = g_task_new (self, run->cancellable, token_looked_up, g_object_ref (task));

      g_task_set_source_tag (lookup, token_lookup_thread);
      g_task_set_task_data (lookup, g_strdup (self->server_url), g_free);
      g_task_run_in_thread (lookup, token_lookup_thread);
      return;
    }
  run->token = g_strdup (self->token);
  start_batches (task);
}

gboolean
topout_sync_engine_sync_finish (TopoutSyncEngine   *self,
                                GAsyncResult       *result,
                                TopoutSyncSummary  *summary,
                                GError            **error)
{
  SyncRun *run;

  g_return_val_if_fail (TOPOUT_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  run = g_task_get_task_data (G_TASK (result));
  if (summary != NULL)
    {
      if (run != NULL)
        *summary = run->summary;
      else
        memset (summary, 0, sizeof *summary);
    }
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* GObject ------------------------------------------------------------------ */

TopoutSyncEngine *
topout_sync_engine_new (TopoutStore *store,
                        GSettings   *settings)
{
  TopoutSyncEngine *self;

  g_return_val_if_fail (TOPOUT_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (TOPOUT_TYPE_SYNC_ENGINE, "store", store, NULL);
  if (settings != NULL)
    {
      if (settings_has_key (settings, "server-url"))
        g_settings_bind (settings, "server-url", self, "server-url", G_SETTINGS_BIND_GET);
      if (settings_has_key (settings, "pinned-certificate-sha256"))
        g_settings_bind (settings, "pinned-certificate-sha256", self, "pinned-certificate-sha256",
                         G_SETTINGS_BIND_GET);
      if (settings_has_key (settings, "allow-insecure-http"))
        g_settings_bind (settings, "allow-insecure-http", self, "allow-insecure-http", G_SETTINGS_BIND_GET);
    }
  return self;
}

static void
topout_sync_engine_constructed (GObject *object)
{
  TopoutSyncEngine *self = TOPOUT_SYNC_ENGINE (object);
  g_autoptr (GError) error = NULL;

  G_OBJECT_CLASS (topout_sync_engine_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  self->last_success = last_sync_here (self);
  self->session_changed_id = g_signal_connect (self->store, "session-changed",
                                               G_CALLBACK (on_session_changed), self);
  self->sessions_reset_id = g_signal_connect (self->store, "sessions-reset",
                                              G_CALLBACK (on_sessions_reset), self);
  self->sessions_sync_changed_id = g_signal_connect (self->store, "sessions-sync-changed",
                                                     G_CALLBACK (on_sessions_reset), self);
  if (!topout_store_count_sync_backlog (self->store, &self->pending, &self->attention, &error))
    {
      /* Nobody listens yet: the state is as good as a notification. */
      g_debug ("Cannot count the sessions waiting to sync: %s", error->message);
      self->state = TOPOUT_SYNC_ENGINE_STATE_STORE_FAILED;
      self->last_error = g_strdup (error->message);
    }
}

static void
topout_sync_engine_dispose (GObject *object)
{
  TopoutSyncEngine *self = TOPOUT_SYNC_ENGINE (object);

  source_clear (&self->timer);
  source_clear (&self->pending_idle);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->session_changed_id, self->store);
      g_clear_signal_handler (&self->sessions_reset_id, self->store);
      g_clear_signal_handler (&self->sessions_sync_changed_id, self->store);
    }
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->network_changed_id, self->monitor);
  g_clear_object (&self->monitor);
  if (self->soup != NULL)
    soup_session_abort (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (topout_sync_engine_parent_class)->dispose (object);
}

static void
topout_sync_engine_finalize (GObject *object)
{
  TopoutSyncEngine *self = TOPOUT_SYNC_ENGINE (object);

  g_clear_object (&self->cancellable);
  g_main_context_unref (self->context);
  g_free (self->server_url);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_free (self->pin);
  g_free (self->last_error);

  G_OBJECT_CLASS (topout_sync_engine_parent_class)->finalize (object);
}

static void
topout_sync_engine_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TopoutSyncEngine *self = TOPOUT_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_PINNED_CERTIFICATE_SHA256:
      g_value_set_string (value, self->pin);
      break;
    case PROP_ALLOW_INSECURE_HTTP:
      g_value_set_boolean (value, self->allow_insecure_http);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    case PROP_ATTENTION:
      g_value_set_uint (value, self->attention);
      break;
    case PROP_LAST_SUCCESS:
      g_value_set_int64 (value, self->last_success);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_WAIT_UNTIL:
      g_value_set_int64 (value, self->wait_until);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_sync_engine_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TopoutSyncEngine *self = TOPOUT_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SERVER_URL:
      topout_sync_engine_set_server_url (self, g_value_get_string (value));
      break;
    case PROP_TOKEN:
      topout_sync_engine_set_token (self, g_value_get_string (value));
      break;
    case PROP_PINNED_CERTIFICATE_SHA256:
      topout_sync_engine_set_pinned_certificate_sha256 (self, g_value_get_string (value));
      break;
    case PROP_ALLOW_INSECURE_HTTP:
      topout_sync_engine_set_allow_insecure_http (self, g_value_get_boolean (value));
      break;
    case PROP_TIMEOUT:
      topout_sync_engine_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_sync_engine_class_init (TopoutSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = topout_sync_engine_constructed;
  object_class->dispose = topout_sync_engine_dispose;
  object_class->finalize = topout_sync_engine_finalize;
  object_class->get_property = topout_sync_engine_get_property;
  object_class->set_property = topout_sync_engine_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TOPOUT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Never logged, never shown. */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PINNED_CERTIFICATE_SHA256] =
    g_param_spec_string ("pinned-certificate-sha256", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALLOW_INSECURE_HTTP] =
    g_param_spec_boolean ("allow-insecure-http", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 3600, TOPOUT_SYNC_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TOPOUT_TYPE_SYNC_ENGINE_STATE, TOPOUT_SYNC_ENGINE_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ATTENTION] =
    g_param_spec_uint ("attention", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SUCCESS] =
    g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WAIT_UNTIL] =
    g_param_spec_int64 ("wait-until", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
topout_sync_engine_init (TopoutSyncEngine *self)
{
  self->timeout = TOPOUT_SYNC_DEFAULT_TIMEOUT;
  self->batch_sessions = TOPOUT_SYNC_BATCH_SESSIONS;
  self->cancellable = g_cancellable_new ();
  self->context = g_main_context_ref_thread_default ();
  self->state = TOPOUT_SYNC_ENGINE_STATE_IDLE;
  /* One session for every batch: its connection pool carries them all. No
   * SoupLogger: it would print the Bearer token. The timeout of a request is
   * the engine's own (the whole exchange, see send_batch). */
  self->soup = soup_session_new_with_options ("user-agent", "Topout/" PACKAGE_VERSION,
                                              "max-conns-per-host", 2,
                                              NULL);
}

/* topout --sync-now -------------------------------------------------------- */

typedef struct {
  GMainLoop         *loop;
  gboolean           ok;
  TopoutSyncSummary  summary;
  GError            *error;
} CliRun;

static void
cli_sync_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CliRun *cli = user_data;

  cli->ok = topout_sync_engine_sync_finish (TOPOUT_SYNC_ENGINE (source), result, &cli->summary, &cli->error);
  g_main_loop_quit (cli->loop);
}

static GSettings *
cli_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

int
topout_sync_run_cli (const char *db_path,
                     const char *server_override)
{
  g_autofree char *default_path = NULL;
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (TopoutSyncEngine) engine = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainContext) context = NULL;
  g_autofree char *why = NULL;
  gint64 wait_until;
  CliRun cli = { 0 };

  if (db_path == NULL)
    db_path = default_path = topout_store_default_path ();
  /* A mistyped path is misconfiguration, not an empty database with
   * nothing to send (which would also leave a new file behind). */
  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      g_printerr (_("There is no database at %s.\n"), db_path);
      return 3;
    }
  store = topout_store_new (db_path, &error);
  if (store == NULL)
    {
      g_printerr (_("Cannot open the database %s: %s\n"), db_path, error->message);
      return 3;
    }
  if (topout_store_is_demo (store))
    {
      g_print (_("Demo data is never synced.\n"));
      return 0;
    }

  /* A context of our own, pushed before the engine makes its SoupSession
   * (which belongs to the context it was made in). */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  settings = cli_settings ();
  /* Times said on the gym's clock, as the window says them. */
  if (settings_has_key (settings, "gym-timezone"))
    {
      g_autofree char *zone = g_settings_get_string (settings, "gym-timezone");

      topout_store_set_gym_timezone (store, zone);
    }
  engine = topout_sync_engine_new (store, settings);
  if (server_override != NULL)
    topout_sync_engine_set_server_url (engine, server_override);

  cli.loop = g_main_loop_new (context, FALSE);
  topout_sync_engine_sync_async (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL, NULL, cli_sync_done, &cli);
  g_main_loop_run (cli.loop);
  g_main_loop_unref (cli.loop);
  /* Why it did not get through, for the lines below (cron mails them). */
  why = g_strdup (topout_sync_engine_get_last_error (engine));
  /* The server asked to wait (before this sync, or in its answer). */
  wait_until = topout_sync_engine_get_wait_until (engine);
  /* The engine's SoupSession belongs to this context: drop it here. */
  g_clear_object (&engine);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  g_clear_object (&settings);

  if (!cli.ok)
    {
      /* A database that cannot be read or written (damaged, a full disk)
       * is a fault of this device, as one that cannot be opened is (3
       * above): no retry mends it, someone has to. */
      int status = cli.error->domain == TOPOUT_STORE_ERROR ? 3 : 1;

      g_printerr (_("Sync failed: %s\n"), cli.error->message);
      g_clear_error (&cli.error);
      return status;
    }
  if (cli.summary.busy)
    {
      g_printerr (_("Another sync of this database is running; nothing done.\n"));
      return 1;
    }
  if (cli.summary.not_configured || cli.summary.unauthorized)
    {
      if (cli.summary.unauthorized && why != NULL)
        /* Translators: %s is why (a token refused, 401; or the device not
         * allowed, 403) */
        g_printerr (g_dngettext (GETTEXT_PACKAGE,
                              "Not authorised: %s. %u session left to sync.\n",
                              "Not authorised: %s. %u sessions left to sync.\n", cli.summary.left_due),
                 why, cli.summary.left_due);
      else if (cli.summary.unauthorized)
        g_printerr (g_dngettext (GETTEXT_PACKAGE,
                              "Not authorised: the sync server does not accept this device’s token. "
                              "%u session left to sync.\n",
                              "Not authorised: the sync server does not accept this device’s token. "
                              "%u sessions left to sync.\n", cli.summary.left_due),
                 cli.summary.left_due);
      else if (why != NULL)
        /* Translators: %s says what is missing or wrong, such as "Plain http
         * is only used for this computer itself; …". */
        g_printerr (g_dngettext (GETTEXT_PACKAGE,
                              "Sync is not set up: %s. %u session left to sync.\n",
                              "Sync is not set up: %s. %u sessions left to sync.\n", cli.summary.left_due),
                 why, cli.summary.left_due);
      else
        g_printerr (g_dngettext (GETTEXT_PACKAGE,
                              "Sync is not set up (no server address or no device token). "
                              "%u session left to sync.\n",
                              "Sync is not set up (no server address or no device token). "
                              "%u sessions left to sync.\n", cli.summary.left_due),
                 cli.summary.left_due);
      return 3;
    }

  g_print (_("Synced %u, failed %u, rejected %u, conflicts %u; %u left to sync.\n"),
           cli.summary.n_synced, cli.summary.n_failed, cli.summary.n_rejected,
           cli.summary.n_conflict, cli.summary.left_due);
  if (wait_until != 0)
    {
      /* Until when, and that nothing is lost (at every run: a desk
       * running it again and again reaches no server meanwhile). */
      g_autofree char *time = topout_store_time_of (store, wait_until);
      g_autofree char *kept = topout_sync_wait_kept (cli.summary.left_due);

      /* Translators: %s is a time of day on the gym's clock, "17:10" */
      g_printerr (_("The sync server asked to wait until %s; nothing is sent to it before then."), time);
      g_printerr ("%s%s\n", kept != NULL ? " " : "", kept != NULL ? kept : "");
    }
  /* Also when no session failed: a new server that did not answer. */
  else if ((cli.summary.n_failed > 0 || cli.summary.untrusted || cli.summary.left_due > 0) && why != NULL)
    g_printerr (_("Last failure: %s\n"), why);
  /* A certificate refused is this device's settings to mend, as a token
   * refused is; so is an address that answers, but not as a sync server
   * (a path typed wrong: a 404 at every run, which retrying never mends). */
  if (cli.summary.untrusted || cli.summary.not_a_sync_server)
    return 3;
  /* Sessions waiting for a coach (rejected: an edit; conflict: a choice),
   * from this run or an earlier one: 2 until someone has dealt with them,
   * so a monitoring script sees them at every run. */
  {
    guint waiting = 0;

    if (topout_store_count_sync_backlog (store, NULL, &waiting, NULL) && waiting > 0)
      {
        g_printerr (g_dngettext (GETTEXT_PACKAGE,
                                 "%u session waits for a coach (refused by the server, or in conflict with it).\n",
                                 "%u sessions wait for a coach (refused by the server, or in conflict with it).\n",
                                 waiting),
                    waiting);
        return 2;
      }
  }
  if (cli.summary.n_rejected > 0 || cli.summary.n_conflict > 0)
    return 2;
  if (cli.summary.left_due > 0)
    return 1;
  return 0;
}
