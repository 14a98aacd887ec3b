/* topout-sync-engine.h — pushes finished sessions to the sync server (SPEC section 4).
 *
 * The engine works from the store's queue: it takes due sessions, batches
 * them (at most TOPOUT_SYNC_BATCH_SESSIONS sessions and TOPOUT_SYNC_BATCH_BYTES
 * a request), marks them SYNCING, posts them to POST {server-url}/sessions/sync/bulk
 * and applies all results of one response in one store transaction. It runs
 * on the thread's main context with async libsoup calls and never blocks it
 * on the network.
 *
 * One sync per database at a time, across processes: a lock file
 * "<db>.sync-lock" beside the database, held with flock() for the sync. A
 * sync that finds it taken does nothing and says "busy".
 *
 * Triggers: topout_sync_engine_start() (app start), topout_sync_engine_sync_now()
 * ("Sync now"), topout_sync_engine_schedule() (a session ending, after its
 * undo toast), a session of the store becoming COMPLETED (scheduled with a
 * delay), the network coming back (GNetworkMonitor), and the timer of the
 * earliest next retry (on the monotonic clock).
 *
 * Retries: network errors, timeouts, 408, 429, 500, 502, 503, 504, per-item
 * "error" results, missing results and unreadable responses mark the sessions
 * FAILED with exponential backoff and full jitter (base 2 s, cap 15 min),
 * Retry-After honoured. A Retry-After on 408, 429, 500, 502, 503 or 504 is
 * the server asking this device to wait (maintenance, too many requests):
 * until then no trigger sends anything, "Sync now" and `topout --sync-now`
 * included; they say until when instead (topout_sync_engine_get_wait_until).
 * The wait is kept in the database for the server that asked, and ends at
 * its time, with the next answer of that server, or with another server
 * address. Network errors and 5xx without Retry-After ask for no wait:
 * "Sync now" tries at once. A whole-request 400 halves the batch down to the
 * malformed session, REJECTED, only when it carries the contract's error
 * and the client's own codec finds that session malformed; any other 400
 * (a proxy's page, a 400 for a well-formed session) is no sync server's
 * answer: FAILED with backoff, the address to be checked; so are a 404 or
 * 405 and a 200 that is no contract's answer. Redirects are not followed
 * (the message names where they point). 401/403 put the sessions back to PENDING (no attempt
 * consumed) and stop all syncing until server-url or token change.
 *
 * The token is never logged. No SoupLogger is ever attached.
 */
#pragma once

#include <gio/gio.h>

#include "topout-store.h"

G_BEGIN_DECLS

typedef enum {
  TOPOUT_SYNC_ENGINE_STATE_IDLE,            /* nothing running; all sent or nothing due */
  TOPOUT_SYNC_ENGINE_STATE_SYNCING,
  TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY,   /* a failure; the retry timer is set */
  TOPOUT_SYNC_ENGINE_STATE_UNAUTHORIZED,    /* 401/403: stopped until settings change */
  TOPOUT_SYNC_ENGINE_STATE_OFFLINE,         /* no network; waits for it to come back */
  TOPOUT_SYNC_ENGINE_STATE_NOT_CONFIGURED,  /* no server URL, no token, or a URL refused */
  TOPOUT_SYNC_ENGINE_STATE_STORE_FAILED,    /* the database could not be read or written
                                             * (damaged, disk full): the last error says
                                             * why; the next trigger tries again */
} TopoutSyncEngineState;

#define TOPOUT_TYPE_SYNC_ENGINE_STATE (topout_sync_engine_state_get_type ())
GType topout_sync_engine_state_get_type (void);

/* What one full sync did. */
typedef struct {
  guint    n_synced;      /* created, updated or unchanged */
  guint    n_failed;      /* marked FAILED (retryable) */
  guint    n_rejected;
  guint    n_conflict;
  guint    n_batches;     /* requests that got an HTTP answer */
  guint    left_due;      /* PENDING, SYNCING or FAILED after the sync (count_pending);
                           * when the sync fails with a TOPOUT_STORE_ERROR, the last
                           * count known, not what is left */
  gboolean unauthorized;  /* 401/403 */
  gboolean not_configured;
  gboolean busy;          /* another sync held the lock: nothing was done */
  gboolean untrusted;     /* the server's TLS certificate was refused (retried all
                           * the same: a pin set in Preferences is what mends it) */
  gboolean not_a_sync_server; /* the address answered, not as a sync server does (a
                               * 404, another web service's page): retried all the
                               * same, but the address is what to mend */
  gboolean waiting;       /* the server asked to wait (Retry-After) and the wait is
                           * not over: nothing was sent */
  gint64   wait_until;    /* with @waiting: until when, wall clock µs */
} TopoutSyncSummary;

typedef enum {
  TOPOUT_SYNC_FLAGS_NONE      = 0,
  /* FAILED sessions too, even before their next attempt ("Sync now", the
   * network coming back, topout --sync-now). */
  TOPOUT_SYNC_FLAGS_RETRY_ALL = 1 << 0,
} TopoutSyncFlags;

/* Backoff: exponential with full jitter. */
#define TOPOUT_SYNC_BACKOFF_BASE_USEC  (2 * G_USEC_PER_SEC)
#define TOPOUT_SYNC_BACKOFF_CAP_USEC   (15 * 60 * G_USEC_PER_SEC)
/* The highest revision a server's answer may give (2^53 - 1: exact in any
 * JSON reader); one above it is no answer, and a local revision made from
 * it could not grow. */
#define TOPOUT_SYNC_REVISION_MAX       ((gint64) 9007199254740991)
/* Response bodies longer than this are not read. */
#define TOPOUT_SYNC_MAX_RESPONSE_BYTES (4 * 1024 * 1024)
/* Default per-request timeout, seconds. */
#define TOPOUT_SYNC_DEFAULT_TIMEOUT    30
/* Delay before syncing a session that became COMPLETED (outlives the undo toast). */
#define TOPOUT_SYNC_COMPLETED_DELAY_MS 10000
/* Delay before syncing a session a person sent again (Retry, Keep This
 * Device's Version, an edit after a rejection): a moment, so that several
 * taps go in one request. */
#define TOPOUT_SYNC_RETRY_ASKED_DELAY_MS 500

#define TOPOUT_TYPE_SYNC_ENGINE (topout_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (TopoutSyncEngine, topout_sync_engine, TOPOUT, SYNC_ENGINE, GObject)

/* @settings (nullable): "server-url" is bound to the property of that name,
 * and "pinned-certificate-sha256" / "allow-insecure-http" when the schema has
 * them. The time of the last successful sync is @store's own
 * (topout_store_get_last_sync). */
TopoutSyncEngine     *topout_sync_engine_new              (TopoutStore       *store,
                                                           GSettings         *settings);

TopoutStore          *topout_sync_engine_get_store        (TopoutSyncEngine  *self);
const char           *topout_sync_engine_get_server_url   (TopoutSyncEngine  *self);
/* The bulk endpoint of @server_url, or NULL and *@why (a sentence for the
 * user) when sync cannot use it: not a web address, not https, or plain
 * http to another machine without @allow_insecure_http. Preferences checks
 * an address typed with it, so that what sync refuses is said at the field. */
char                 *topout_sync_bulk_url                (const char        *server_url,
                                                           gboolean           allow_insecure_http,
                                                           char             **why);
void                  topout_sync_engine_set_server_url   (TopoutSyncEngine  *self,
                                                           const char        *server_url);
/* The device token. NULL: looked up with topout_sync_token_lookup() in a
 * worker thread when a sync starts. */
const char           *topout_sync_engine_get_token        (TopoutSyncEngine  *self);
void                  topout_sync_engine_set_token        (TopoutSyncEngine  *self,
                                                           const char        *token);
/* SHA-256 of the server certificate's DER, hex (colons and case ignored).
 * When set, an https certificate that fails verification is accepted only if
 * it is exactly this one. */
const char           *topout_sync_engine_get_pinned_certificate_sha256 (TopoutSyncEngine *self);
void                  topout_sync_engine_set_pinned_certificate_sha256 (TopoutSyncEngine *self,
                                                                        const char       *fingerprint);
/* Plain http to a host that is not loopback. Off by default. */
gboolean              topout_sync_engine_get_allow_insecure_http (TopoutSyncEngine *self);
void                  topout_sync_engine_set_allow_insecure_http (TopoutSyncEngine *self,
                                                                  gboolean          allow);
/* Per-request timeout in seconds (default TOPOUT_SYNC_DEFAULT_TIMEOUT). */
guint                 topout_sync_engine_get_timeout      (TopoutSyncEngine  *self);
void                  topout_sync_engine_set_timeout      (TopoutSyncEngine  *self,
                                                           guint              seconds);

TopoutSyncEngineState topout_sync_engine_get_state        (TopoutSyncEngine  *self);
/* Sessions waiting to reach the server (topout_store_count_pending_full).
 * When the database cannot be counted, the last count known stays, and the
 * state is TOPOUT_SYNC_ENGINE_STATE_STORE_FAILED. */
guint                 topout_sync_engine_get_pending      (TopoutSyncEngine  *self);
/* Sessions waiting for a person: REJECTED (an edit) or CONFLICT (a
 * choice); counted with the pending ones. */
guint                 topout_sync_engine_get_attention    (TopoutSyncEngine  *self);
/* Wall clock of the last sync that ended with no failure, µs; 0 = never.
 * The store's (each database its own): read when the engine is made, written
 * there after each successful sync, read again when another process wrote
 * the database (::sessions-reset), notified as "last-success". Only the
 * server set now counts: after the address changes to another server it is
 * 0 until that one answers.
 *
 * Another server (topout_store_get_sync_server differs from server-url,
 * scheme and host case, default port and trailing slashes aside): the
 * first sync with it re-queues every session the old one held, refused or
 * disputed (topout_store_set_sync_server), so the new server becomes the
 * gym's record of all of them; cancelled ones that were ever sent go as
 * their cancellation. */
gint64                topout_sync_engine_get_last_success (TopoutSyncEngine  *self);
/* A sentence for people about the last failure, or NULL. Never holds the token. */
const char           *topout_sync_engine_get_last_error   (TopoutSyncEngine  *self);
/* Until when the server set now asked this device to wait (wall clock µs,
 * the store's clock), or 0: no wait, or it is over. Notified as
 * "wait-until". Known from the database too (another process's sync, or
 * this app's before a restart). */
gint64                topout_sync_engine_get_wait_until   (TopoutSyncEngine  *self);

/* Start-up: listens to the store and the network and syncs in a moment. */
void                  topout_sync_engine_start            (TopoutSyncEngine  *self);
/* "Sync now": clears the unauthorised stop and syncs at once (or right after
 * the sync that is running), and returns 0. While the server's wait is not
 * over it sends nothing: the sync it asks for (FAILED sessions too) runs
 * when the wait ends, and it returns that time (wall clock µs) for the
 * person who asked. */
gint64                topout_sync_engine_sync_now         (TopoutSyncEngine  *self);
/* A sync in @delay_ms (the earlier of this and any timer already set). */
void                  topout_sync_engine_schedule         (TopoutSyncEngine  *self,
                                                           guint              delay_ms);
/* Stops the running sync and every timer. */
void                  topout_sync_engine_stop             (TopoutSyncEngine  *self);

/* One full sync: batches until nothing is due or a stop condition; while
 * the server's wait is not over, nothing (summary.waiting). Fails
 * (G_IO_ERROR_PENDING) when this engine already runs one, with
 * G_IO_ERROR_CANCELLED when stopped, and with the TOPOUT_STORE_ERROR when the
 * database could not be read or written (a damaged file: never a success
 * with nothing left); every other outcome is in the summary. */
void                  topout_sync_engine_sync_async       (TopoutSyncEngine    *self,
                                                           TopoutSyncFlags      flags,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean              topout_sync_engine_sync_finish      (TopoutSyncEngine    *self,
                                                           GAsyncResult        *result,
                                                           TopoutSyncSummary   *summary,
                                                           GError             **error);

/* At most this many sessions a request (1 to TOPOUT_SYNC_BATCH_SESSIONS, the
 * default; tests lower it to see several batches). */
guint                 topout_sync_engine_get_batch_sessions (TopoutSyncEngine *self);
void                  topout_sync_engine_set_batch_sessions (TopoutSyncEngine *self,
                                                             guint             max_sessions);

/* Connections opened by this engine's SoupSession so far (tests: one
 * connection carries several batches). */
guint                 topout_sync_engine_get_n_connections (TopoutSyncEngine *self);

/* Helpers, public for the tests ------------------------------------------ */

/* A random delay in [0, min(cap, base · 2^attempt)], µs. */
gint64   topout_sync_backoff_delay         (guint        attempt);
/* The least wait after @attempt failures whatever a server's Retry-After
 * says: the ceiling of the attempt before (0, 2 s, 4 s, … 15 min). */
gint64   topout_sync_backoff_floor         (guint        attempt);
/* The delay a Retry-After header asks for, µs: delta-seconds, or an HTTP
 * date read against @date_header (the response's Date; the local clock
 * @now_usec when NULL or unreadable). FALSE when @value is unreadable. */
gboolean topout_sync_parse_retry_after     (const char  *value,
                                            const char  *date_header,
                                            gint64       now_usec,
                                            gint64      *delay_usec);

/* While the server's wait is on: that @pending sessions are kept ("Nothing
 * is lost: 3 sessions wait on this device."), NULL for none. */
char    *topout_sync_wait_kept             (guint        pending);

/* topout --sync-now [--server URL]: one full sync with no window, on its own
 * main loop. Prints a one-line summary on stdout. Exit codes of SPEC
 * section 5: 0 nothing left due; 1 some left due (retryable, or another sync
 * was running, or the server asked to wait: stderr says until when, on the
 * gym's clock, and that the sessions are kept); 2 sessions rejected or in conflict in this sync; 3 not
 * authorised or misconfigured (no server URL, no token, an address that
 * answers but not as a sync server, a certificate refused), or a database that
 * cannot be opened, read or written (damaged, disk full): a fault of this
 * device that retrying does not mend. @db_path NULL: the default database. */
int      topout_sync_run_cli               (const char  *db_path,
                                            const char  *server_override);

G_END_DECLS
