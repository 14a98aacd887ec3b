/* topout-server-main.c — the reference sync server of SPEC section 4.
 *
 *   topout-server [--listen ADDR:PORT] --db PATH [--token-file FILE]
 *                 [--tls-cert F --tls-key F] [--test-faults]
 *   topout-server token add NAME | revoke NAME | list --db PATH
 *
 * Prints "listening on http://ADDR:PORT" (the bound port, also for port 0)
 * on stdout once it accepts connections. The token file is read again
 * before a request once it has changed, and on SIGHUP (see "The token
 * file" below). SIGINT/SIGTERM stop it cleanly:
 * the requests in flight finish and are answered (for 20 s at most; a
 * second signal stops at once), a request arriving meanwhile and /healthz
 * get 503, then it exits 0.
 *
 * Whole-request answers: 413 when Content-Length is over
 * TOPOUT_LIMIT_BODY_BYTES (refused on the headers: the body is never read,
 * the connection closed), when a chunked body passes it (refused the moment
 * it does, the connection closed: nothing unbounded is ever buffered) or
 * when the body holds more sessions than the limit; 411 for a body framed
 * neither way (HTTP/1.0 to the end of the connection), or both ways at once
 * (chunked and a Content-Length: ambiguous); 401 unknown token (on the headers: the body is never read,
 * the connection closed); 404 for any other path; 400 for a
 * body that is not strict JSON or not {"sessions": [objects]}; 503 +
 * Retry-After when the database is busy, or fails while a token is checked
 * (never 401: that stops a device syncing); otherwise 200 with one result
 * per session, an "error" item without a "code" (the contract's codes name
 * what is wrong with a session; the server failing on it is none of them).
 * A clientId repeated within one request: the second is rejected with
 * invalid_shape. GET /healthz: 200 while the database answers a cheap
 * read, else 503 (Retry-After: 5), and 503 (Retry-After: 1, "database
 * busy") when it has not answered within half a second (locked by another
 * process, a slow disk).
 *
 * POST /sessions/offline answers 200 {"sessionId", "revision", "status"} for
 * created/updated/unchanged, 409 with the same fields for a conflict, and 422
 * {"error": {"code", "message"}} for a rejected session.
 *
 * Threads: the main thread does HTTP only. The database's device tokens
 * are looked up (on the headers, the request paused) and /healthz's ping
 * made on a reader thread with its own connection: a database that cannot
 * be read for a while delays the requests waiting for it, not the others.
 * A request's message is paused
 * while its body is checked whole (strict JSON, shape, size) on a pool of
 * threads (several requests at once); its sessions are then parsed,
 * validated and hashed one by one, by that thread and, for a big request, a
 * second one. One writer thread with its own SQLite connection stores each
 * request in one transaction, in request order, taking each session as soon
 * as it is ready; the answer is sent, unpaused, once that transaction has
 * committed (WAL, synchronous=FULL). The writer is the one serial stage: on
 * Linux the decoding threads run 5 nice levels below it, so that with several
 * clients a commit does not wait for a core behind other requests' parsing
 * (the tail of the request times; see BENCHMARKS.md, scenario 5).
 *
 * --stats adds GET /__stats {"connections": N, "requests": M}: the client
 * connections that carried a request so far (the asking one left out) and the
 * requests answered, for the benchmarks' "one TCP connection".
 *
 * --test-faults adds POST /__test/faults {"mode": "500"|"503"|"429"|"drop"|
 * "hang"|"garbage"|"lost"|"off", "count": N, "retryAfter": S, "after": K}:
 * after K more requests answered as usual (0 unless given), the next N
 * requests to /sessions/sync/bulk (and /sessions/offline) fail that way;
 * "lost" stores the request and then closes the connection instead of
 * answering (an answer lost on the way back).
 */
#define G_LOG_DOMAIN "topout-server"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "topout-json-strict.h"
#include "topout-limits.h"
#include "topout-server-storage.h"
#include "topout-sync-codec.h"

typedef enum {
  FAULT_NONE,
  FAULT_500,
  FAULT_503,
  FAULT_429,
  FAULT_DROP,
  FAULT_HANG,
  FAULT_GARBAGE,
  FAULT_LOST,
} FaultMode;

typedef struct _Server Server;

/* What tells a changed token file: its inode, size and times. */
typedef struct {
  gboolean exists;
  guint64  dev, ino;
  gint64   size, mtime_ns, ctime_ns;
} FileStamp;

typedef struct _Server {
  TopoutServerStorage *storage;
  const char          *db_path;       /* --db */
  gint                 gone_said;     /* atomic: the database was found gone, and said so in the log */
  const char          *token_file;    /* --token-file, or NULL */
  GHashTable          *file_tokens;   /* SHA-256 hex of --token-file tokens -> "token file line N" */
  FileStamp            token_stamp;   /* of the file last read, or last found unreadable */
  gboolean             health_failed; /* the last /healthz found the database failing */
  GPtrArray           *probes;        /* Probe*: GET /healthz waiting for the ping in flight */
  gboolean             pinging;       /* a ping is queued or running on @reader_pool */
  SoupServer          *server;
  GMainLoop           *loop;

  FaultMode            fault_mode;
  guint                fault_count;
  guint                fault_retry_after;
  guint                fault_after;     /* requests let through before the faults */
  GPtrArray           *hung;          /* SoupServerMessage* paused for good */
  GHashTable          *conns;         /* GSocket* -> Conn*, open client connections */
  guint64              n_connections; /* client connections that carried a request */
  guint64              n_requests;
  guint                max_conns;     /* more at once are closed on arrival */
  guint                idle_timeout;  /* seconds without progress before closing */
  guint                sweep_id;

  /* Requests are decoded, validated and hashed on @decode_pool (in
   * parallel), then written by the single thread of @writer_pool on its own
   * connection @writer (one transaction per request), then answered on
   * @answer_pool; the main thread only does HTTP. The token checks and the
   * pings of /healthz read @storage on the single thread of @reader_pool: a
   * database that is slow to read, or locked, delays only the requests that
   * wait for it, never the main loop. A job only ever moves to a later pool,
   * so the pools can be shut down in this order. */
  TopoutServerStorage *writer;
  GThreadPool         *reader_pool;
  GThreadPool         *decode_pool;
  GThreadPool         *help_pool;    /* a second decoder for each big request */
  GThreadPool         *writer_pool;
  GThreadPool         *answer_pool;
  gboolean             stopping;
  gint64               drain_until;   /* monotonic: stopping, the requests in flight may finish until then */
} Server;

/* Client connections ---------------------------------------------------------
 *
 * Every client connection is followed from its first request: so that
 * shutting down can close the idle keep-alive connections libsoup would
 * otherwise keep until exit, and so that nobody can hold the server's
 * connections (and file descriptors) for nothing. libsoup 3.2 has no timeout
 * of its own on a server connection, and once accept() fails for want of a
 * descriptor its listener never accepts again. So a connection is closed
 * when it has made no progress (a request started, a chunk of body, an
 * answer sent) for --idle-timeout seconds while no request of it is being
 * worked on, and a connection beyond --max-connections is closed on arrival;
 * the descriptor limit is raised to the hard limit, and the cap kept below it. */

/* A request's body may take --idle-timeout, and a second more for each
 * this many bytes of it: a slow link (8 MiB in 2 hours) is served, a
 * device that sends a byte now and then (each within the idle timeout)
 * does not hold a connection for days. */
#define MIN_BODY_BYTES_PER_SECOND 1024

typedef struct {
  GSocket *socket;
  gint64   since;       /* monotonic time of its last progress */
  gint64   started;     /* monotonic time its request started */
  guint64  body_bytes;  /* of that request, so far */
  guint    n_requests;
  gboolean busy;        /* a request read whole is being answered */
  gboolean open;        /* a request started and not yet answered */
} Conn;

static void
conn_free (gpointer data)
{
  Conn *conn = data;

  g_object_unref (conn->socket);
  g_free (conn);
}

static Conn *
conn_of (Server            *self,
         SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  return socket != NULL ? g_hash_table_lookup (self->conns, socket) : NULL;
}

static void
conn_got_chunk (SoupServerMessage *msg,
                GBytes            *chunk,
                Server            *self)
{
  Conn *conn = conn_of (self, msg);

  if (conn != NULL)
    {
      conn->since = g_get_monotonic_time ();
      conn->body_bytes += g_bytes_get_size (chunk);
    }
}

/* Drops the connections closed since the last sweep. */
static void
forget_closed (Server *self)
{
  GHashTableIter iter;
  Conn *conn;

  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    if (g_socket_is_closed (conn->socket))
      g_hash_table_iter_remove (&iter);
}

static void
request_started (SoupServer        *soup,
                 SoupServerMessage *msg,
                 Server            *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Conn *conn;

  self->n_requests++;
  if (socket == NULL)
    return;
  conn = g_hash_table_lookup (self->conns, socket);
  if (conn == NULL)
    {
      if (g_hash_table_size (self->conns) >= self->max_conns)
        forget_closed (self);
      if (g_hash_table_size (self->conns) >= self->max_conns)
        {
          /* Full: this one goes at once, before it can read anything. */
          g_socket_close (socket, NULL);
          return;
        }
      conn = g_new0 (Conn, 1);
      conn->socket = g_object_ref (socket);
      g_hash_table_insert (self->conns, socket, conn);
      self->n_connections++;
    }
  conn->n_requests++;
  conn->busy = FALSE;
  conn->open = TRUE;
  conn->since = conn->started = g_get_monotonic_time ();
  conn->body_bytes = 0;
  g_signal_connect (msg, "got-chunk", G_CALLBACK (conn_got_chunk), self);
}

static void
request_read (SoupServer        *soup,
              SoupServerMessage *msg,
              Server            *self)
{
  Conn *conn = conn_of (self, msg);

  if (conn != NULL)
    conn->busy = TRUE;
}

static void
request_done (SoupServer        *soup,
              SoupServerMessage *msg,
              Server            *self)
{
  Conn *conn = conn_of (self, msg);

  if (conn != NULL)
    {
      conn->busy = FALSE;
      conn->open = FALSE;
      conn->since = g_get_monotonic_time ();
    }
}

/* Whether a connection still has a request on its way in or its answer on
 * its way out (a stop waits for them). */
static gboolean
requests_open (Server *self)
{
  GHashTableIter iter;
  Conn *conn;

  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    if (conn->open && !g_socket_is_closed (conn->socket))
      return TRUE;
  return FALSE;
}

/* Forgets closed connections and closes the ones idle for too long. */
static gboolean
sweep_connections (gpointer data)
{
  Server *self = data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Conn *conn;

  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    {
      gint64 idle = (gint64) self->idle_timeout * G_USEC_PER_SEC;

      if (!g_socket_is_closed (conn->socket) && !conn->busy &&
          (now - conn->since >= idle ||
           (conn->open && now - conn->started >= idle + (gint64) (conn->body_bytes * G_USEC_PER_SEC /
                                                                  MIN_BODY_BYTES_PER_SECOND))))
        g_socket_close (conn->socket, NULL);
      if (g_socket_is_closed (conn->socket))
        g_hash_table_iter_remove (&iter);
    }
  return G_SOURCE_CONTINUE;
}

/* The descriptor limit raised as far as allowed; returns how many client
 * connections fit under it, leaving room for the database, the listening
 * sockets, the threads and a connection being accepted. */
static guint
connections_allowed (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 960;
  if (limit.rlim_cur < limit.rlim_max)
    {
      struct rlimit raised = { limit.rlim_max, limit.rlim_max };

      if (setrlimit (RLIMIT_NOFILE, &raised) == 0)
        limit = raised;
    }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > 100000 + 64)
    return 100000;
  return limit.rlim_cur > 96 ? (guint) limit.rlim_cur - 64 : 32;
}

static void
close_client_sockets (Server *self)
{
  GHashTableIter iter;
  Conn *conn;

  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    if (!g_socket_is_closed (conn->socket))
      g_socket_close (conn->socket, NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_hash_table_remove_all (self->conns);
}

/* Answers ----------------------------------------------------------------- */

/* The database failed (not busy: a read that should never fail did): 503,
 * retried a little later, never 401 (which stops a device syncing). */
#define RETRY_AFTER_FAILED "5"
#define UNAVAILABLE_MESSAGE "The server cannot read its database; try again later"

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              GBytes            *body)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, data, len);
}

/* {"error": {"code", "message"}}; without "code" when @code is NULL. */
static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GString) text = g_string_new (NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  if (code != NULL)
    {
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, code);
    }
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_to_gstring (gen, text);
  topout_json_mend_generated (text, 0);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text->str, text->len);
}

static void
respond_wire_error (SoupServerMessage *msg,
                    guint              status,
                    TopoutWireError    code)
{
  respond_error (msg, status, topout_wire_error_to_code (code), topout_wire_error_get_message (code));
}

/* Words for the operator ------------------------------------------------------ */

/* A token's name as printed: control characters and bytes that are not
 * UTF-8 shown as U+FFFD (a name typed by mistake moves no cursor, nor
 * breaks a line of `token list`), cut short after @max characters. */
static char *
printable_name (const char *name,
                glong       max)
{
  g_autofree char *valid = g_utf8_make_valid (name, -1);
  GString *out = g_string_new (NULL);
  glong n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n == max)
        {
          g_string_append (out, "…");
          break;
        }
      g_string_append_unichar (out, g_unichar_iscntrl (c) ? 0xfffd : c);
    }
  return g_string_free (out, FALSE);
}

/* What a storage error means, in the operator's language, about the
 * database at @path (the storage's message is only the detail). */
static char *
storage_error_text (const GError *error,
                    const char   *path)
{
  g_autofree char *name = NULL;

  if (error->domain != TOPOUT_SERVER_STORAGE_ERROR)
    return g_strdup (error->message);
  switch ((TopoutServerStorageError) error->code)
    {
    case TOPOUT_SERVER_STORAGE_ERROR_CANNOT_OPEN:
      /* TRANSLATORS: the database's path, and why (SQLite's words) */
      return g_strdup_printf (_("Cannot open the database %s: %s"), path, error->message);
    case TOPOUT_SERVER_STORAGE_ERROR_NOT_A_DATABASE:
      return g_strdup_printf (_("%s is not an SQLite database (%s); give --db the server’s own file "
                                "(a new path makes a new one)"), path, error->message);
    case TOPOUT_SERVER_STORAGE_ERROR_FOREIGN:
      return g_strdup_printf (_("%s is an SQLite file of another program (the Topout app’s own database?), "
                                "not a topout-server database. It was left untouched; give --db the "
                                "server’s own file (a new path makes a new one)"), path);
    case TOPOUT_SERVER_STORAGE_ERROR_NEWER:
      /* TRANSLATORS: the second %s is "schema 4; this one knows 3" */
      return g_strdup_printf (_("%s was written by a newer topout-server (%s); it was left untouched"),
                              path, error->message);
    case TOPOUT_SERVER_STORAGE_ERROR_DAMAGED:
      return g_strdup_printf (_("The database %s is damaged (%s). Restore it from a backup."), path, error->message);
    case TOPOUT_SERVER_STORAGE_ERROR_NAME_TAKEN:
      name = printable_name (error->message, 64);
      return g_strdup_printf (_("A token named “%s” exists already; choose another name, or revoke that "
                                "token first"), name);
    case TOPOUT_SERVER_STORAGE_ERROR_NO_SUCH_TOKEN:
      name = printable_name (error->message, 64);
      return g_strdup_printf (_("No active token named “%s” (topout-server token list shows them)"), name);
    case TOPOUT_SERVER_STORAGE_ERROR_GONE:
      return g_strdup_printf (_("The database %s is no longer the file this server opened: it was deleted, "
                                "moved or replaced while the server ran. Nothing more is written to it, and "
                                "requests get 503. Put the file back, or restart topout-server to serve the "
                                "file now at that path (stop it before replacing its database)."), path);
    case TOPOUT_SERVER_STORAGE_ERROR_FAILED:
    default:
      return g_strdup (error->message);
    }
}

static void
print_storage_error (const GError *error,
                     const char   *path)
{
  g_autofree char *text = storage_error_text (error, path);

  g_printerr ("topout-server: %s\n", text);
}

/* A database found gone: said once in the log, whichever thread finds it. */
static gboolean
database_gone (Server       *self,
               const GError *error)
{
  if (!g_error_matches (error, TOPOUT_SERVER_STORAGE_ERROR, TOPOUT_SERVER_STORAGE_ERROR_GONE))
    return FALSE;
  if (g_atomic_int_compare_and_exchange (&self->gone_said, 0, 1))
    {
      g_autofree char *text = storage_error_text (error, self->db_path);

      g_warning ("%s", text);
    }
  return TRUE;
}

/* Authorisation ------------------------------------------------------------- */

static void token_file_refresh (Server *self, gboolean force);

/* The SHA-256 hex of @msg's Bearer token; NULL when it has none. */
static char *
bearer_hash (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  const char *token;

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return NULL;
  token = auth + 7;
  while (*token == ' ')
    token++;
  if (*token == '\0')
    return NULL;
  return topout_server_hash_token (token);
}

/* The log ------------------------------------------------------------------------
 *
 * One line a request to the endpoints, for whoever runs the server: the
 * device's token name (never the token), where it came from, the answer and
 * what came of its sessions (never their content: notes are a member's). */

static void
log_request (SoupServerMessage *msg,
             const char        *device,
             guint              status,
             const char        *detail)
{
  /* TRANSLATORS: the log's line for a request: "POST /sessions/sync/bulk
   * from 10.0.0.7, front-desk: 200, 3 sessions: 3 created, 12 ms" (method,
   * path, address, the device's token name, the HTTP status, details) */
  g_message (_("%s %s from %s, %s: %u%s%s"), soup_server_message_get_method (msg),
             g_uri_get_path (soup_server_message_get_uri (msg)),
             soup_server_message_get_remote_host (msg) ? soup_server_message_get_remote_host (msg) : "?",
             device != NULL ? device : _("no known token"), status,
             detail != NULL ? ", " : "", detail != NULL ? detail : "");
}

/* Refusing on the headers alone ------------------------------------------------
 *
 * libsoup 3.2 reads the whole request body after "got-headers" even when a
 * status is set there (unless the client sent "Expect: 100-continue"). To
 * refuse an oversized or unbounded body without reading it, the early handler
 * takes the connection over, writes the answer itself, half-closes it (FIN
 * after the answer, so the client reads it rather than a reset) and closes it
 * a little later, never reading a byte of the body. */

static gboolean
close_later_cb (gpointer data)
{
  GIOStream *stream = data;

  g_io_stream_close (stream, NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* An error answer, whole, as written on a connection taken over. */
static char *
error_answer_text (guint       status,
                   const char *extra_headers,  /* "" or "Name: value\r\n" lines */
                   const char *code,
                   const char *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *body = NULL;
  gsize len;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  body = json_generator_to_data (gen, &len);
  return g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "%s"
                          "Connection: close\r\n"
                          "\r\n%s",
                          status, soup_status_get_phrase (status), len, extra_headers, body);
}

static void
refuse_now (Server            *self,
            SoupServerMessage *msg,
            const char        *device,         /* the token's name, or NULL */
            guint              status,
            const char        *extra_headers,  /* "" or "Name: value\r\n" lines */
            const char        *code,
            const char        *message)
{
  g_autofree char *answer = error_answer_text (status, extra_headers, code, message);
  GIOStream *stream;
  Conn *conn;

  log_request (msg, device, status, code);
  /* Closed by close_later_cb below, not by the idle sweep before the
   * client has read the answer. */
  conn = conn_of (self, msg);
  if (conn != NULL)
    conn->busy = TRUE;
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), answer, strlen (answer),
                             NULL, NULL, NULL);
  g_output_stream_flush (g_io_stream_get_output_stream (stream), NULL, NULL);
  if (G_IS_SOCKET_CONNECTION (stream))
    g_socket_shutdown (g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)), FALSE, TRUE, NULL);
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, 2, close_later_cb, stream, g_object_unref);
}

/* A chunked request body, counted as it comes. */
typedef struct {
  guint64  bytes;
  gboolean refused;
} ChunkedBody;

typedef struct {
  SoupServerMessage *msg;
  GSocket           *socket;
} Refused;

static void
refused_free (Refused *r)
{
  g_object_unref (r->msg);
  g_object_unref (r->socket);
  g_free (r);
}

/* The connection of a request refused in the middle of its body closed,
 * and the message let go (libsoup finds the connection closed). */
static gboolean
close_refused_cb (gpointer data)
{
  Refused *r = data;

  g_socket_close (r->socket, NULL);
  soup_server_message_unpause (r->msg);
  return G_SOURCE_REMOVE;
}

/* Over the limit: 413 at once, with the contract's error. The message is
 * paused (nothing more is read) and the answer written on its socket, which
 * is then half-closed, so that the client reads the answer and the end of
 * it; the connection is closed a little later. (Taking the connection over
 * from libsoup in the middle of a body closed it at once: the client got a
 * reset instead of the answer.) */
static void
chunked_got_chunk (SoupServerMessage *msg,
                   GBytes            *chunk,
                   Server            *self)
{
  ChunkedBody *body = g_object_get_data (G_OBJECT (msg), "topout-chunked");
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autofree char *answer = NULL;
  Conn *conn;
  Refused *r;

  body->bytes += g_bytes_get_size (chunk);
  if (body->bytes <= TOPOUT_LIMIT_BODY_BYTES || body->refused)
    return;
  body->refused = TRUE;
  soup_server_message_pause (msg);
  log_request (msg, g_object_get_data (G_OBJECT (msg), "topout-device"), SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
               topout_wire_error_to_code (TOPOUT_WIRE_ERROR_TOO_LARGE));
  if (socket == NULL)
    return;
  conn = conn_of (self, msg);
  if (conn != NULL)
    conn->busy = TRUE;  /* closed below, not by the idle sweep */
  answer = error_answer_text (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "",
                              topout_wire_error_to_code (TOPOUT_WIRE_ERROR_TOO_LARGE),
                              topout_wire_error_get_message (TOPOUT_WIRE_ERROR_TOO_LARGE));
  g_socket_send_with_blocking (socket, answer, strlen (answer), TRUE, NULL, NULL);
  g_socket_shutdown (socket, FALSE, TRUE, NULL);
  r = g_new0 (Refused, 1);
  r->msg = g_object_ref (msg);
  r->socket = g_object_ref (socket);
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, 2, close_refused_cb, r, (GDestroyNotify) refused_free);
}

/* A request whose token is known goes on: its owner and device kept on
 * the message for its handler, then the checks of its framing. FALSE when
 * it was refused (its connection taken over). */
static gboolean
authorised (Server            *self,
            SoupServerMessage *msg,
            const char        *owner,
            const char        *device)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);

  g_object_set_data_full (G_OBJECT (msg), "topout-owner", g_strdup (owner), g_free);
  g_object_set_data_full (G_OBJECT (msg), "topout-device", g_strdup (device), g_free);

  /* A chunked body (no Content-Length: ambiguous framing with one is
   * refused) is counted as it comes, and refused with 413 the moment it
   * passes the limit: never more than the limit and one read is held. */
  if (soup_message_headers_get_encoding (req) == SOUP_ENCODING_CHUNKED &&
      soup_message_headers_get_one (req, "Content-Length") == NULL)
    {
      g_object_set_data_full (G_OBJECT (msg), "topout-chunked", g_new0 (ChunkedBody, 1), g_free);
      g_signal_connect (msg, "got-chunk", G_CALLBACK (chunked_got_chunk), self);
      return TRUE;
    }
  if (soup_message_headers_get_encoding (req) != SOUP_ENCODING_CONTENT_LENGTH)
    {
      refuse_now (self, msg, device, SOUP_STATUS_LENGTH_REQUIRED, "", "length_required",
                  "The body must be sent with a Content-Length or chunked");
      return FALSE;
    }
  if (soup_message_headers_get_content_length (req) < 0)
    {
      refuse_now (self, msg, device, SOUP_STATUS_BAD_REQUEST, "", "invalid_json", "Invalid Content-Length");
      return FALSE;
    }
  if (soup_message_headers_get_content_length (req) > TOPOUT_LIMIT_BODY_BYTES)
    {
      refuse_now (self, msg, device, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "",
                  topout_wire_error_to_code (TOPOUT_WIRE_ERROR_TOO_LARGE),
                  topout_wire_error_get_message (TOPOUT_WIRE_ERROR_TOO_LARGE));
      return FALSE;
    }
  return TRUE;
}

/* Reads of the database, off the main loop ---------------------------------
 *
 * A token that is not one of the token file's is looked up in the database
 * on @reader_pool, the request paused meanwhile; so is the ping of GET
 * /healthz. Another process holding the database (a lock SQLite waits for,
 * up to its busy timeout) or a slow disk delays only the requests waiting
 * for that read: the main loop goes on answering the others. */

typedef enum {
  READ_TOKEN,
  READ_PING,
} ReadKind;

typedef struct {
  Server            *server;
  ReadKind           kind;
  SoupServerMessage *msg;              /* READ_TOKEN: the request, paused */
  gulong             disconnected_id;
  gboolean           disconnected;
  char              *hash;             /* READ_TOKEN: of its token */
  char              *name;             /* READ_TOKEN: the token's name; NULL: unknown */
  gboolean           ok;               /* READ_PING: the database answered */
  GError            *error;            /* the database could not say */
} ReadJob;

static void
read_job_free (ReadJob *job)
{
  if (job->msg != NULL)
    {
      g_clear_signal_handler (&job->disconnected_id, job->msg);
      g_object_unref (job->msg);
    }
  g_free (job->hash);
  g_free (job->name);
  g_clear_error (&job->error);
  g_free (job);
}

static void
read_job_disconnected (SoupServerMessage *msg,
                       ReadJob           *job)
{
  job->disconnected = TRUE;
}

/* GET /healthz, waiting for a ping. */
typedef struct {
  Server            *server;
  SoupServerMessage *msg;
  gulong             disconnected_id;
  gboolean           disconnected;
  guint              timeout_id;
} Probe;

static void
probe_disconnected (SoupServerMessage *msg,
                    Probe             *probe)
{
  probe->disconnected = TRUE;
}

/* How long GET /healthz waits for the database before it answers 503
 * (a load balancer's probe gives up after a second or so; a healthy
 * database answers in well under a millisecond). */
#define HEALTH_WAIT_MS 500

static void
probe_answer (Probe   *probe,
              guint    status,
              gboolean busy)
{
  SoupServerMessage *msg = probe->msg;

  g_clear_handle_id (&probe->timeout_id, g_source_remove);
  g_clear_signal_handler (&probe->disconnected_id, msg);
  if (!probe->disconnected)
    {
      if (status == SOUP_STATUS_OK)
        soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok\n", 3);
      else
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                        busy ? "1" : RETRY_AFTER_FAILED);
          if (busy)
            soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "database busy\n", 14);
          else
            soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "database unavailable\n", 21);
        }
      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_unpause (msg);
    }
  g_object_unref (msg);
  g_free (probe);
}

/* A probe waited long enough: 503, the ping goes on (and says in the log
 * when the database answers again). */
static gboolean
probe_timeout_cb (gpointer data)
{
  Probe *probe = data;
  Server *self = probe->server;

  probe->timeout_id = 0;
  g_ptr_array_remove_fast (self->probes, probe);
  if (!self->health_failed)
    g_warning (_("GET /healthz: 503, the database did not answer within %u ms (busy, or locked by another "
                 "process)"), HEALTH_WAIT_MS);
  self->health_failed = TRUE;
  probe_answer (probe, SOUP_STATUS_SERVICE_UNAVAILABLE, TRUE);
  return G_SOURCE_REMOVE;
}

/* Main thread: what the read found. */
static gboolean
read_done_cb (gpointer data)
{
  ReadJob *job = data;
  Server *self = job->server;

  if (job->kind == READ_PING)
    {
      guint status = job->ok ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE;

      self->pinging = FALSE;
      /* Said in the log when that changes, not at every probe. */
      if (!job->ok)
        {
          if (!self->health_failed && !database_gone (self, job->error))
            g_warning (_("GET /healthz: 503, the database does not answer: %s"), job->error->message);
          self->health_failed = TRUE;
        }
      else
        {
          if (self->health_failed)
            g_message (_("GET /healthz: 200, the database answers again"));
          self->health_failed = FALSE;
          g_atomic_int_set (&self->gone_said, 0);
        }
      while (self->probes->len > 0)
        probe_answer (g_ptr_array_steal_index_fast (self->probes, self->probes->len - 1), status, FALSE);
    }
  else if (!job->disconnected)
    {
      Conn *conn = conn_of (self, job->msg);

      if (conn != NULL)
        {
          conn->busy = FALSE;
          conn->since = g_get_monotonic_time ();
        }
      if (job->error != NULL)
        {
          /* Not an unknown token: 401 stops a device syncing until its
           * settings change (SPEC section 4). 503, it tries again. */
          if (!database_gone (self, job->error))
            g_warning (_("Cannot check a device token: %s"), job->error->message);
          refuse_now (self, job->msg, _("token not checked"), SOUP_STATUS_SERVICE_UNAVAILABLE,
                      "Retry-After: " RETRY_AFTER_FAILED "\r\n", "unavailable", UNAVAILABLE_MESSAGE);
        }
      else if (job->name == NULL)
        refuse_now (self, job->msg, NULL, SOUP_STATUS_UNAUTHORIZED, "WWW-Authenticate: Bearer\r\n",
                    "unauthorized", "Unknown device token");
      else if (authorised (self, job->msg, job->hash, job->name))
        soup_server_message_unpause (job->msg);
    }
  read_job_free (job);
  return G_SOURCE_REMOVE;
}

/* The reader thread: its own connection, @storage. */
static void
read_job (gpointer data,
          gpointer user_data)
{
  ReadJob *job = data;
  TopoutServerStorage *storage = job->server->storage;

  if (job->kind == READ_TOKEN)
    job->name = storage->vtable->token_check (storage, job->hash, &job->error);
  else
    job->ok = storage->vtable->ping (storage, &job->error);
  g_idle_add_full (G_PRIORITY_DEFAULT, read_done_cb, job, NULL);
}

/* Early handler: on the headers alone, before the body is read. */
static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Server *self = user_data;
  g_autofree char *hash = NULL;
  const char *file_name;
  ReadJob *job;
  Conn *conn;

  /* libsoup hands a handler every path under its own: only the endpoint
   * itself is one (a mistyped server address fails, it does not sync). */
  if (strcmp (path, "/sessions/sync/bulk") != 0 && strcmp (path, "/sessions/offline") != 0)
    {
      refuse_now (self, msg, NULL, SOUP_STATUS_NOT_FOUND, "", "not_found", "No such endpoint");
      return;
    }
  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", "Use POST");
      log_request (msg, NULL, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  /* Every request without a known token gets 401 (SPEC section 4), whatever
   * its body, and its body is never read: nobody without a token makes the
   * server hold megabytes. The token file's tokens are known here; the
   * database's are looked up off the main loop, the request paused. */
  hash = bearer_hash (msg);
  if (hash == NULL)
    {
      refuse_now (self, msg, NULL, SOUP_STATUS_UNAUTHORIZED, "WWW-Authenticate: Bearer\r\n", "unauthorized",
                  "Unknown device token");
      return;
    }
  token_file_refresh (self, FALSE);
  file_name = g_hash_table_lookup (self->file_tokens, hash);
  if (file_name != NULL)
    {
      authorised (self, msg, hash, file_name);
      return;
    }
  job = g_new0 (ReadJob, 1);
  job->server = self;
  job->kind = READ_TOKEN;
  job->msg = g_object_ref (msg);
  job->hash = g_steal_pointer (&hash);
  job->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (read_job_disconnected), job);
  /* Worked on: not closed by the idle sweep meanwhile. */
  conn = conn_of (self, msg);
  if (conn != NULL)
    conn->busy = TRUE;
  soup_server_message_pause (msg);
  g_thread_pool_push (self->reader_pool, job, NULL);
}

/* Faults (--test-faults only) ---------------------------------------------- */

static void
hung_message_gone (SoupServerMessage *msg,
                   Server            *self)
{
  g_ptr_array_remove (self->hung, msg);
}

/* Closes @msg's connection without an answer. */
static void
drop_connection (SoupServerMessage *msg)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }
}

/* TRUE when a fault answered @msg; @lose_answer is set when the request is
 * to be stored and its answer lost. */
static gboolean
apply_fault (Server            *self,
             SoupServerMessage *msg,
             gboolean          *lose_answer)
{
  FaultMode mode = self->fault_mode;
  g_autofree char *retry_after = NULL;

  *lose_answer = FALSE;
  if (mode == FAULT_NONE || self->fault_count == 0)
    return FALSE;
  if (self->fault_after > 0)
    {
      self->fault_after--;
      return FALSE;
    }
  if (--self->fault_count == 0)
    self->fault_mode = FAULT_NONE;
  if (mode == FAULT_LOST)
    {
      g_message ("Injected fault %d (%u left)", mode, self->fault_count);
      *lose_answer = TRUE;
      return FALSE;
    }

  retry_after = g_strdup_printf ("%u", self->fault_retry_after);
  switch (mode)
    {
    case FAULT_500:
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "test_fault", "Injected fault");
      break;
    case FAULT_503:
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", retry_after);
      respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "test_fault", "Injected fault");
      break;
    case FAULT_429:
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", retry_after);
      respond_error (msg, 429, "test_fault", "Injected fault");
      break;
    case FAULT_DROP:
      drop_connection (msg);
      break;
    case FAULT_HANG:
      g_ptr_array_add (self->hung, g_object_ref (msg));
      g_signal_connect (msg, "disconnected", G_CALLBACK (hung_message_gone), self);
      soup_server_message_pause (msg);
      break;
    case FAULT_GARBAGE:
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "<html>{\"results\": [garbage", 27);
      break;
    case FAULT_LOST:
    case FAULT_NONE:
    default:
      return FALSE;
    }
  g_message ("Injected fault %d (%u left)", mode, self->fault_count);
  return TRUE;
}

static void
faults_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  static const struct { const char *name; FaultMode mode; } modes[] = {
    { "off", FAULT_NONE }, { "500", FAULT_500 }, { "503", FAULT_503 }, { "429", FAULT_429 },
    { "drop", FAULT_DROP }, { "hang", FAULT_HANG }, { "garbage", FAULT_GARBAGE },
    { "lost", FAULT_LOST },
  };
  Server *self = user_data;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  JsonObject *o;
  const char *mode_name;
  gsize len;
  const char *data;

  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (body, &len);
  if (data == NULL || !topout_json_strict_check (data, len, TOPOUT_SYNC_MAX_JSON_DEPTH, NULL) ||
      !json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_json", "Expected {\"mode\": …}");
      return;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  mode_name = json_object_get_string_member_with_default (o, "mode", "");
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (strcmp (mode_name, modes[i].name) == 0)
      {
        self->fault_mode = modes[i].mode;
        self->fault_count = (guint) CLAMP (json_object_get_int_member_with_default (o, "count", 1), 0, G_MAXINT);
        self->fault_retry_after = (guint) CLAMP (json_object_get_int_member_with_default (o, "retryAfter", 1), 0, 86400);
        self->fault_after = (guint) CLAMP (json_object_get_int_member_with_default (o, "after", 0), 0, G_MAXINT);
        if (self->fault_mode == FAULT_NONE)
          self->fault_count = 0;
        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
        return;
      }
  respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_shape", "Unknown mode");
}

/* Sessions ------------------------------------------------------------------- */

static void
fill_rejection (TopoutWireResult *r,
                TopoutWireError   code,
                const char       *detail)
{
  r->status = TOPOUT_WIRE_STATUS_REJECTED;
  r->error_code = g_strdup (topout_wire_error_to_code (code));
  r->error_message = detail != NULL
    ? g_strdup_printf ("%s (%s)", topout_wire_error_get_message (code), detail)
    : g_strdup (topout_wire_error_get_message (code));
}

static guint
whole_request_status (const GError *error)
{
  if (g_error_matches (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_TOO_LARGE))
    return SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
  return SOUP_STATUS_BAD_REQUEST;
}

/* No transaction could be begun: the database is busy (try again soon),
 * or gone (@gone: as when it fails, until someone puts it back). */
static void
respond_busy (SoupServerMessage *msg,
              gboolean           gone)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                gone ? RETRY_AFTER_FAILED : "1");
  if (gone)
    respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", UNAVAILABLE_MESSAGE);
  else
    respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy", "The database is busy; try again");
}

/* The server failed on this session: "error", retried by the client, with
 * no code (the contract's codes say what is wrong with a session; the
 * server failing is none of them). On the wire: in the client's language,
 * which is not the server's, it translates by status. */
#define STORE_FAILED_MESSAGE "The server could not store this session; try again later"

static void
fail_result (TopoutWireResult *r)
{
  r->status = TOPOUT_WIRE_STATUS_ERROR;
  g_clear_pointer (&r->session_id, g_free);
  r->revision = 0;
  g_clear_pointer (&r->error_code, g_free);
  g_clear_pointer (&r->error_message, g_free);
  r->error_message = g_strdup (STORE_FAILED_MESSAGE);
}

/* Commits; on failure every stored item becomes an error (nothing was written). */
static void
commit_or_fail (TopoutServerStorage *storage,
                GPtrArray           *results)
{
  g_autoptr (GError) error = NULL;

  if (storage->vtable->commit (storage, &error))
    return;
  g_message (_("Commit failed: %s"), error->message);
  storage->vtable->rollback (storage);
  for (guint i = 0; i < results->len; i++)
    {
      TopoutWireResult *r = g_ptr_array_index (results, i);

      if (r->status != TOPOUT_WIRE_STATUS_REJECTED)
        fail_result (r);
    }
}

/* One request in flight: decoded on the decode pool, written on the writer
 * thread, answered on the main thread. The message stays paused meanwhile. */
typedef struct {
  Server            *server;
  SoupServerMessage *msg;
  gulong             disconnected_id;
  gboolean           disconnected;
  gboolean           offline;     /* POST /sessions/offline, else the bulk endpoint */
  char              *owner;
  char              *device;      /* the token's name, for the log */
  gint64             started;     /* monotonic, once the body was read */
  GBytes            *body;
  TopoutWireRequest *request;     /* the bulk endpoint's, while its items are decoded */
  guint              n_items;
  guint              next_item;   /* atomic: the next item a decoder takes */
  GPtrArray         *items;       /* TopoutWireItem* */
  GPtrArray         *hashes;      /* char*, NULL for the items not to be stored */
  GPtrArray         *results;     /* TopoutWireResult*, one per item */
  GMutex             lock;        /* the writer starts while the items are decoded: */
  GCond              cond;        /* item i is final once results[i] is set */
  GError            *error;       /* the whole request could not be decoded */
  gboolean           busy;        /* no transaction could be begun */
  gboolean           gone;        /* nor will be: the database is no longer the file at --db */
  gboolean           lose_answer; /* the "lost" test fault: stored, never answered */
  GBytes            *answer;      /* the bulk endpoint's 200 body */
} Job;

/* A job is shared by the threads that decode, write and answer it: it is
 * freed by whichever lets it go last (g_atomic_rc_box). The message and its
 * signal belong to the main thread, which drops them before letting go. */
static void
job_clear (Job *job)
{
  g_free (job->owner);
  g_free (job->device);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_clear_pointer (&job->request, topout_wire_request_free);
  g_clear_pointer (&job->items, g_ptr_array_unref);
  g_clear_pointer (&job->hashes, g_ptr_array_unref);
  g_clear_pointer (&job->results, g_ptr_array_unref);
  g_clear_error (&job->error);
  g_clear_pointer (&job->answer, g_bytes_unref);
  g_mutex_clear (&job->lock);
  g_cond_clear (&job->cond);
}

static void
job_unref (Job *job)
{
  g_atomic_rc_box_release_full (job, (GDestroyNotify) job_clear);
}

static void
job_disconnected (SoupServerMessage *msg,
                  Job               *job)
{
  job->disconnected = TRUE;
}

static void
answer_offline (Job *job)
{
  SoupServerMessage *msg = job->msg;
  TopoutWireItem *item = job->items != NULL ? g_ptr_array_index (job->items, 0) : NULL;  /* freed once written */
  TopoutWireResult *r;
  g_autoptr (JsonBuilder) b = NULL;
  g_autoptr (JsonGenerator) gen = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize len;
  guint status;

  if (item != NULL && item->rejected)
    {
      g_autofree char *message = g_strdup_printf ("%s (%s)", topout_wire_error_get_message (item->error),
                                                  item->error_detail);
      respond_error (msg, 422, topout_wire_error_to_code (item->error), message);
      return;
    }
  if (job->busy)
    {
      respond_busy (msg, job->gone);
      return;
    }

  r = g_ptr_array_index (job->results, 0);
  switch (r->status)
    {
    case TOPOUT_WIRE_STATUS_REJECTED:
      respond_error (msg, 422, r->error_code, r->error_message);
      return;
    case TOPOUT_WIRE_STATUS_ERROR:
      /* The bulk endpoint's "error" item made a whole-request answer (this
       * endpoint's answer is the one session's): 503, retried, and no
       * code, as that item has none ("error" is no code of the contract's
       * list, and a client that knows the list read it as unknown). */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL, r->error_message);
      return;
    case TOPOUT_WIRE_STATUS_CONFLICT:
      status = SOUP_STATUS_CONFLICT;
      break;
    default:
      status = SOUP_STATUS_OK;
      break;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sessionId");
  json_builder_add_string_value (b, r->session_id);
  json_builder_set_member_name (b, "revision");
  json_builder_add_int_value (b, r->revision);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, topout_wire_status_to_string (r->status));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  gen = json_generator_new ();
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, len);
}

/* What came of @job's sessions, for the log: "3 sessions: 2 created,
 * 1 rejected (invalid_attempts), 12 ms". */
static char *
job_summary (Job *job)
{
  static const TopoutWireStatus order[] = {
    TOPOUT_WIRE_STATUS_CREATED, TOPOUT_WIRE_STATUS_UPDATED, TOPOUT_WIRE_STATUS_UNCHANGED,
    TOPOUT_WIRE_STATUS_CONFLICT, TOPOUT_WIRE_STATUS_REJECTED, TOPOUT_WIRE_STATUS_ERROR,
  };
  GString *text = g_string_new (NULL);
  guint n = job->results != NULL ? job->results->len : 0;
  gboolean first = TRUE;

  if (job->error != NULL)
    g_string_append (text, topout_wire_error_to_code ((TopoutWireError) job->error->code));
  else if (n == 0 && job->items != NULL && job->items->len == 1 &&
           ((TopoutWireItem *) g_ptr_array_index (job->items, 0))->rejected)
    g_string_append_printf (text, _("1 session: 1 rejected (%s)"),  /* the offline endpoint's, on decoding */
                            topout_wire_error_to_code (((TopoutWireItem *) g_ptr_array_index (job->items, 0))->error));
  else if (job->gone)
    g_string_append (text, _("database gone"));
  else if (job->busy)
    g_string_append (text, _("database busy"));
  else
    {
      g_string_append_printf (text, ngettext ("%u session", "%u sessions", n), n);
      for (guint k = 0; k < G_N_ELEMENTS (order); k++)
        {
          g_autoptr (GPtrArray) codes = g_ptr_array_new ();
          guint count = 0;

          for (guint i = 0; i < n; i++)
            {
              TopoutWireResult *r = g_ptr_array_index (job->results, i);

              if (r == NULL || r->status != order[k])
                continue;
              count++;
              if (r->error_code != NULL && !g_ptr_array_find_with_equal_func (codes, r->error_code, g_str_equal, NULL))
                g_ptr_array_add (codes, r->error_code);
            }
          if (count == 0)
            continue;
          g_string_append_printf (text, "%s %u %s", first ? ":" : ",", count, topout_wire_status_to_string (order[k]));
          first = FALSE;
          for (guint c = 0; c < codes->len; c++)
            g_string_append_printf (text, "%s%s", c == 0 ? " (" : ", ", (char *) codes->pdata[c]);
          if (codes->len > 0)
            g_string_append_c (text, ')');
        }
    }
  g_string_append_printf (text, ", %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - job->started) / 1000);
  return g_string_free (text, FALSE);
}

/* Main thread: the answer, then the message goes on. */
static gboolean
job_answer (gpointer data)
{
  Job *job = data;
  g_autofree char *summary = job_summary (job);

  if (!job->disconnected && job->lose_answer)
    drop_connection (job->msg);
  else if (!job->disconnected)
    {
      /* Stopping: answered, and the connection closed after it. */
      if (job->server->stopping)
        soup_message_headers_replace (soup_server_message_get_response_headers (job->msg), "Connection", "close");
      if (job->error != NULL)
        respond_wire_error (job->msg, whole_request_status (job->error), (TopoutWireError) job->error->code);
      else if (job->offline)
        answer_offline (job);
      else if (job->busy)
        respond_busy (job->msg, job->gone);
      else
        respond_json (job->msg, SOUP_STATUS_OK, job->answer);
      log_request (job->msg, job->device, soup_server_message_get_status (job->msg), summary);
      soup_server_message_unpause (job->msg);
    }
  else
    {
      /* TRANSLATORS: what came of a request's sessions, then this */
      g_autofree char *gone = g_strdup_printf (_("%s, answer not sent (the connection was closed)"), summary);

      log_request (job->msg, job->device, 0, gone);
    }
  g_clear_signal_handler (&job->disconnected_id, job->msg);
  g_clear_object (&job->msg);
  job_unref (job);
  return G_SOURCE_REMOVE;
}

static void
job_done (Job *job)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, job_answer, job, NULL);
}

/* Takes items of @job that no decoder has taken yet, until none is left:
 * decodes, validates and hashes each. Several threads may do this for one
 * job; an item is final (the writer may take it) once its result is set. */
static void
decode_items (Job *job)
{
  guint i;

  while ((i = (guint) g_atomic_int_add (&job->next_item, 1)) < job->n_items)
    {
      TopoutWireItem *item = job->request != NULL ? topout_sync_request_decode_item (job->request, i)
                                                  : g_ptr_array_index (job->items, i);
      TopoutWireResult *r = topout_wire_result_new ();
      char *hash = NULL;

      r->client_id = g_strdup (item->client_id);
      if (item->rejected)
        fill_rejection (r, item->error, item->error_detail);
      else
        hash = topout_sync_content_hash_item (item);

      g_mutex_lock (&job->lock);
      job->items->pdata[i] = item;
      job->hashes->pdata[i] = hash;
      job->results->pdata[i] = r;
      g_cond_broadcast (&job->cond);
      g_mutex_unlock (&job->lock);
    }
}

/* Nice levels of the decoding threads below the writer's. */
#define DECODER_NICE 5

/* Once per thread: a decoding thread yields the CPU to the writer. Linux
 * gives each thread its own nice value (setpriority on its thread id); the
 * pool's threads only ever decode and answer here. Lowering a priority needs
 * no privilege; a failure costs only the tail. */
static void
decoder_priority (void)
{
#ifdef __linux__
  static __thread gboolean done;

  if (done)
    return;
  done = TRUE;
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), DECODER_NICE) != 0)
    g_debug ("Decoder priority unchanged: %s", g_strerror (errno));
#endif
}

/* The help pool: a second decoder for the items of a big request. It may
 * start after the first decoder has taken the last item; then it finds
 * nothing to do. */
static void
help_job (gpointer data,
          gpointer user_data)
{
  Job *job = data;

  decoder_priority ();
  decode_items (job);
  job_unref (job);
}

/* A request of at least this many sessions gets a second decoder. */
#define HELP_MIN_ITEMS 16

/* Decode pool: strict parse, validation, content hashes; no database. */
static void
decode_job (gpointer data,
            gpointer user_data)
{
  Job *job = data;
  Server *self = job->server;
  const char *body;
  gsize len;
  guint n;

  decoder_priority ();
  body = g_bytes_get_data (job->body, &len);
  if (job->offline)
    {
      TopoutWireItem *item = topout_sync_decode_offline (body ? body : "", len, &job->error);

      if (item != NULL)
        {
          job->items = g_ptr_array_new_full (1, (GDestroyNotify) topout_wire_item_free);
          g_ptr_array_add (job->items, item);
        }
      g_clear_pointer (&job->body, g_bytes_unref);
      if (item == NULL || item->rejected)
        {
          job_done (job);
          return;
        }
      n = 1;
    }
  else
    {
      job->request = topout_sync_request_parse (body ? body : "", len, &job->error);
      g_clear_pointer (&job->body, g_bytes_unref);
      if (job->request == NULL)
        {
          job_done (job);
          return;
        }
      n = topout_sync_request_get_n_items (job->request);
      job->items = g_ptr_array_new_full (n, (GDestroyNotify) topout_wire_item_free);
      g_ptr_array_set_size (job->items, n);
    }

  job->n_items = n;
  job->results = g_ptr_array_new_full (n, (GDestroyNotify) topout_wire_result_free);
  g_ptr_array_set_size (job->results, n);
  job->hashes = g_ptr_array_new_full (n, g_free);
  g_ptr_array_set_size (job->hashes, n);

  /* The writer takes each item as soon as it is final, so storing the first
   * sessions overlaps decoding the rest. */
  if (n >= HELP_MIN_ITEMS)
    g_thread_pool_push (self->help_pool, g_atomic_rc_box_acquire (job), NULL);
  g_thread_pool_push (self->writer_pool, g_atomic_rc_box_acquire (job), NULL);
  decode_items (job);
  job_unref (job);
}

/* Item @i of @job, once a decoder has made it final. */
static void
wait_item (Job   *job,
           guint  i)
{
  g_mutex_lock (&job->lock);
  while (g_ptr_array_index (job->results, i) == NULL)
    g_cond_wait (&job->cond, &job->lock);
  g_mutex_unlock (&job->lock);
}

/* The writer thread: one transaction per request, on its own connection. */
static void
write_job (gpointer data,
           gpointer user_data)
{
  Job *job = data;
  TopoutServerStorage *storage = job->server->writer;
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) seen = NULL;

#ifdef __linux__
  static __thread gboolean named;

  /* Its name in ps -L, top -H and /proc/PID/task/TID/comm. */
  if (!named)
    named = prctl (PR_SET_NAME, "topout-writer", 0, 0, 0) == 0;
#endif

  if (!storage->vtable->begin (storage, &error))
    {
      if (database_gone (job->server, error))
        job->gone = TRUE;
      else
        g_message (_("Cannot begin a transaction: %s"), error->message);
      job->busy = TRUE;
      for (guint i = 0; i < job->n_items; i++)
        wait_item (job, i);
      g_thread_pool_push (job->server->answer_pool, job, NULL);
      return;
    }
  if (g_atomic_int_get (&job->server->gone_said))
    g_atomic_int_set (&job->server->gone_said, 0);  /* put back: said again if it goes again */
  /* In request order, whichever decoder made each item. */
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < job->n_items; i++)
    {
      TopoutWireItem *item;
      TopoutWireResult *r;

      wait_item (job, i);
      item = g_ptr_array_index (job->items, i);
      r = g_ptr_array_index (job->results, i);
      /* The second of a clientId is refused even when the first was: the
       * client counts the first result of a clientId, so storing the second
       * would keep a session it was told is rejected. */
      if (item->client_id != NULL && !g_hash_table_add (seen, item->client_id))
        {
          if (g_ptr_array_index (job->hashes, i) != NULL)
            fill_rejection (r, TOPOUT_WIRE_ERROR_INVALID_SHAPE, "clientId repeated in this request");
        }
      else if (g_ptr_array_index (job->hashes, i) != NULL &&  /* else: rejected when decoded */
               !storage->vtable->upsert (storage, job->owner, item, g_ptr_array_index (job->hashes, i), r, &error))
        {
          g_message (_("Session %s not stored: %s"), item->client_id ? item->client_id : _("(without clientId)"),
                     error->message);
          g_clear_error (&error);
          fail_result (r);
        }
    }
  commit_or_fail (storage, job->results);
  g_thread_pool_push (job->server->answer_pool, job, NULL);
}

/* Answer pool, after the commit: the answer is made and the items freed
 * off the main thread (thousands of objects a request); the answer first. */
static void
answer_job (gpointer data,
            gpointer user_data)
{
  Job *job = data;
  g_autoptr (GPtrArray) items = g_steal_pointer (&job->items);
  g_autoptr (GPtrArray) hashes = g_steal_pointer (&job->hashes);

  if (!job->offline && !job->busy)
    job->answer = topout_sync_encode_results (job->results);
  job_done (job);
}

/* Both endpoints: checks on the headers, then the work goes off the main thread. */
static void
sessions_cb (Server            *self,
             SoupServerMessage *msg,
             gboolean           offline)
{
  g_autofree char *owner = NULL;
  g_autofree char *device = NULL;
  gboolean lose_answer;
  Job *job;

  /* The early handler has answered already (401/405/411/413). */
  if (soup_server_message_get_status (msg) != 0)
    return;
  /* Stopping: a request whose body came in while the work in flight is
   * finished is not taken; the client tries again (another instance, or
   * this one once restarted). */
  if (self->stopping)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "stopping", "The server is stopping");
      log_request (msg, NULL, SOUP_STATUS_SERVICE_UNAVAILABLE, "stopping");
      return;
    }
  /* The early handler checked the token, on the headers. */
  owner = g_strdup (g_object_get_data (G_OBJECT (msg), "topout-owner"));
  device = g_strdup (g_object_get_data (G_OBJECT (msg), "topout-device"));
  if (owner == NULL)
    {
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", "Unknown device token");
      log_request (msg, NULL, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
      return;
    }
  if (apply_fault (self, msg, &lose_answer))
    return;

  job = g_atomic_rc_box_new0 (Job);
  job->lose_answer = lose_answer;
  g_mutex_init (&job->lock);
  g_cond_init (&job->cond);
  job->server = self;
  job->offline = offline;
  job->msg = g_object_ref (msg);
  job->owner = g_steal_pointer (&owner);
  job->device = g_steal_pointer (&device);
  job->started = g_get_monotonic_time ();
  job->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  job->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (job_disconnected), job);
  soup_server_message_pause (msg);
  g_thread_pool_push (self->decode_pool, job, NULL);
}

static void
bulk_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  sessions_cb (user_data, msg, FALSE);
}

static void
offline_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  sessions_cb (user_data, msg, TRUE);
}

static void
healthz_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Server *self = user_data;

  if (strcmp (path, "/healthz") != 0)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such endpoint");
      return;
    }
  if (self->stopping)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "stopping\n", 9);
      return;
    }
  /* The database answers (a load balancer sends nothing to an instance
   * whose database fails): asked on the reader thread, one ping for the
   * probes that come meanwhile; a probe that waits longer than
   * HEALTH_WAIT_MS gets 503 (busy, Retry-After: 1). */
  {
    Probe *probe = g_new0 (Probe, 1);

    probe->server = self;
    probe->msg = g_object_ref (msg);
    probe->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (probe_disconnected), probe);
    probe->timeout_id = g_timeout_add (HEALTH_WAIT_MS, probe_timeout_cb, probe);
    g_ptr_array_add (self->probes, probe);
    soup_server_message_pause (msg);
    if (!self->pinging)
      {
        ReadJob *job = g_new0 (ReadJob, 1);

        job->server = self;
        job->kind = READ_PING;
        self->pinging = TRUE;
        g_thread_pool_push (self->reader_pool, job, NULL);
      }
  }
}

static void
stats_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Server *self = user_data;
  Conn *asking = conn_of (self, msg);
  guint64 connections = self->n_connections;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  /* The asking connection, when this is its first request. */
  if (asking != NULL && asking->n_requests == 1)
    connections--;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "connections");
  json_builder_add_int_value (b, connections);
  json_builder_set_member_name (b, "requests");
  json_builder_add_int_value (b, (gint64) self->n_requests - 1);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
default_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such endpoint");
}

/* Set-up --------------------------------------------------------------------- */

/* The token file ------------------------------------------------------------
 *
 * One token a line, spaces around it ignored; blank lines and lines starting
 * with # are skipped. It is read at start, and again before a request once
 * it has changed (another inode, size, modification or change time: an
 * editor's rename or a write in place) and on SIGHUP: a token added or
 * removed counts from the next request, without a restart. A file that
 * cannot be read again, or is not one of tokens, leaves the tokens read
 * before in force, with a warning in the log; so does an empty file (an
 * editor halfway through writing it in place: every device of the file
 * would get 401 and stop syncing). */

static void
warn_if_public (const char *path)
{
  GStatBuf st;

  /* Whoever reads the file can sync as any of its devices: said, not
   * refused (a file the server's group reads, 0640, is a set-up). */
  if (g_stat (path, &st) == 0 && (st.st_mode & 0007) != 0)
    g_printerr (_("topout-server: warning: %s can be read or changed by every user of this machine "
                  "(mode %04o): anyone who reads it can sync as a device. Make it private: chmod 600 %s\n"),
                path, (guint) (st.st_mode & 07777), path);
}

/* The tokens of the file at @path: SHA-256 hex -> "token file line N". A
 * file that is not UTF-8 text, or a line that is not one word (a space or
 * a control character inside: "NAME TOKEN" would never match a device's
 * token), is refused whole, the line named. */
static GHashTable *
read_token_file (const char  *path,
                 GError     **error)
{
  g_autoptr (GHashTable) tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  gsize length;

  const char *end;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  /* NUL bytes included (a binary file). */
  if (!g_utf8_validate_len (contents, length, &end))
    {
      guint line = 1;

      for (const char *p = contents; p < end; p++)
        line += *p == '\n';
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s is not a file of tokens: line %u is not text"), path, line);
      return NULL;
    }
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line == '\0' || *line == '#')
        continue;
      for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
        if (g_unichar_isspace (g_utf8_get_char (p)) || g_unichar_iscntrl (g_utf8_get_char (p)))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         _("%s, line %u: a token is one word, without spaces (one token a line, "
                           "# starts a comment line)"),
                         path, i + 1);
            return NULL;
          }
      g_hash_table_insert (tokens, topout_server_hash_token (line), g_strdup_printf (_("token file line %u"), i + 1));
    }
  return g_steal_pointer (&tokens);
}

static FileStamp
file_stamp (const char *path)
{
  FileStamp stamp = { 0 };
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return stamp;
  stamp.exists = TRUE;
  stamp.dev = (guint64) st.st_dev;
  stamp.ino = (guint64) st.st_ino;
  stamp.size = (gint64) st.st_size;
  stamp.mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
  stamp.ctime_ns = (gint64) st.st_ctim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_ctim.tv_nsec;
  return stamp;
}

static gboolean
file_stamp_equal (const FileStamp *a,
                  const FileStamp *b)
{
  return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
         a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

/* Reads the token file again when it has changed since it was last read
 * (or found unreadable), or with @force (SIGHUP). Main thread. */
static void
token_file_refresh (Server   *self,
                    gboolean  force)
{
  g_autoptr (GHashTable) tokens = NULL;
  g_autoptr (GError) error = NULL;
  FileStamp stamp;

  if (self->token_file == NULL)
    return;
  /* Before reading: a change made while it is read is seen next time. */
  stamp = file_stamp (self->token_file);
  if (!force && file_stamp_equal (&stamp, &self->token_stamp))
    return;
  self->token_stamp = stamp;
  tokens = read_token_file (self->token_file, &error);
  if (tokens != NULL && g_hash_table_size (tokens) == 0 && stamp.size == 0)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         _("it is empty (to accept none of its tokens, leave a comment line in it)"));
  if (error != NULL)
    {
      guint n = g_hash_table_size (self->file_tokens);

      g_warning (ngettext ("Token file %s not read again: %s. The %u token read from it before is still accepted",
                           "Token file %s not read again: %s. The %u tokens read from it before are still accepted",
                           n),
                 self->token_file, error->message, n);
      return;
    }
  g_message (ngettext ("Token file %s read again (%u token)", "Token file %s read again (%u tokens)",
                       g_hash_table_size (tokens)),
             self->token_file, g_hash_table_size (tokens));
  warn_if_public (self->token_file);
  g_hash_table_unref (self->file_tokens);
  self->file_tokens = g_steal_pointer (&tokens);
}

/* SIGHUP: the token file is read again (systemctl reload). */
static gboolean
reload_cb (gpointer user_data)
{
  Server *self = user_data;

  if (self->token_file == NULL)
    g_message (_("SIGHUP: no --token-file to read again"));
  token_file_refresh (self, TRUE);
  return G_SOURCE_CONTINUE;
}

static GSocketAddress *
parse_listen (const char  *listen,
              GError     **error)
{
  const char *colon = strrchr (listen, ':');
  g_autofree char *host = NULL;
  g_autoptr (GInetAddress) addr = NULL;
  guint64 port;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--listen: expected ADDR:PORT (for example 0.0.0.0:8080), got “%s”"), listen);
      return NULL;
    }
  host = g_strndup (listen, (gsize) (colon - listen));
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);
      g_free (host);
      host = inner;
    }
  if (strcmp (host, "localhost") == 0)
    addr = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    addr = g_inet_address_new_from_string (host);
  if (addr == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--listen: “%s” is not an IP address (0.0.0.0 listens on all of them)"), host);
      return NULL;
    }
  return g_inet_socket_address_new (addr, (guint16) port);
}

/* SIGINT, SIGTERM: the loop stops, then the requests in flight finish; a
 * second signal stops at once (what they have written is whole or absent). */
static gboolean
quit_cb (gpointer user_data)
{
  Server *self = user_data;

  if (self->stopping)
    self->drain_until = 0;
  g_main_loop_quit (self->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* How long a stop waits for the requests in flight (a big request is
 * stored in well under a second; one waiting for a busy database, a few). */
#define DRAIN_SECONDS 20

/* A token's name is what `token list` prints and `revoke` takes: 1–64
 * characters of UTF-8, not blank, no tabs, line breaks or other controls. */
static gboolean
token_name_ok (const char *name)
{
  gboolean visible = FALSE;
  glong length = 0;

  if (!g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p), length++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        return FALSE;
      visible |= !g_unichar_isspace (c);
    }
  return visible && length <= 64;
}

/* A time of the storage (µs since the epoch) as 2026-11-21T17:02:11Z. */
static char *
utc_time_text (gint64 usec)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return t != NULL ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("?");
}

static int
run_token_command (TopoutServerStorage *storage,
                   const char          *db_path,
                   char               **args,
                   int                  n_args)
{
  g_autoptr (GError) error = NULL;

  if (n_args == 2 && strcmp (args[0], "add") == 0)
    {
      guchar raw[32];
      g_autofree char *token = NULL;
      g_autofree char *hash = NULL;
      gsize got = 0;

      if (!token_name_ok (args[1]))
        {
          g_printerr (_("topout-server: a token name is 1 to 64 characters, not only spaces, "
                        "without tabs or line breaks (for example “front-desk”).\n"));
          return 1;
        }
      while (got < sizeof raw)
        {
          ssize_t n = getrandom (raw + got, sizeof raw - got, 0);
          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0)
            {
              g_printerr (_("topout-server: no random bytes: %s\n"), g_strerror (errno));
              return 1;
            }
          got += (gsize) n;
        }
      token = g_malloc (sizeof raw * 2 + 1);
      for (gsize i = 0; i < sizeof raw; i++)
        g_snprintf (token + 2 * i, 3, "%02x", raw[i]);
      hash = topout_server_hash_token (token);
      if (!storage->vtable->token_add (storage, args[1], hash, &error))
        {
          print_storage_error (error, db_path);
          return 1;
        }
      g_print ("%s\n", token);
      return 0;
    }
  if (n_args == 2 && strcmp (args[0], "revoke") == 0)
    {
      if (!storage->vtable->token_revoke (storage, args[1], &error))
        {
          print_storage_error (error, db_path);
          return 1;
        }
      return 0;
    }
  if (n_args == 1 && strcmp (args[0], "list") == 0)
    {
      g_autoptr (GPtrArray) tokens = storage->vtable->token_list (storage, &error);

      if (tokens == NULL)
        {
          print_storage_error (error, db_path);
          return 1;
        }
      /* One token a line: its name, when it was made, and whether it is
       * active or when it was revoked, apart by tabs (a name may hold
       * spaces, never a tab); for people, in their language (a script
       * sets LC_ALL=C). */
      for (guint i = 0; i < tokens->len; i++)
        {
          TopoutServerToken *t = g_ptr_array_index (tokens, i);
          g_autofree char *name = printable_name (t->name, G_MAXLONG);
          g_autofree char *made = utc_time_text (t->created_at);
          g_autofree char *state = NULL;

          if (t->revoked_at != 0)
            {
              g_autofree char *revoked = utc_time_text (t->revoked_at);

              /* TRANSLATORS: token list, a token's state; %s is when (2026-11-21T17:02:11Z) */
              state = g_strdup_printf (_("revoked %s"), revoked);
            }
          else
            /* TRANSLATORS: token list, a token's state */
            state = g_strdup (_("active"));
          g_print ("%s\t%s\t%s\n", name, made, state);
        }
      return 0;
    }
  g_printerr (_("Usage: topout-server token add NAME | revoke NAME | list --db PATH\n"));
  return 2;
}

int
main (int   argc,
      char *argv[])
{
  g_auto (GStrv) listen = NULL;
  /* Arrays, so that one given twice is seen (GOption kept the last). */
  g_auto (GStrv) db_paths = NULL;
  g_auto (GStrv) token_files = NULL;
  g_auto (GStrv) tls_certs = NULL;
  g_auto (GStrv) tls_keys = NULL;
  const char *db_path = NULL;
  const char *token_file = NULL;
  const char *tls_cert = NULL;
  const char *tls_key = NULL;
  gboolean test_faults = FALSE;
  gboolean stats = FALSE;
  int idle_timeout = -1;     /* -1: not given */
  int max_connections = -1;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING_ARRAY, &listen, N_("Address and port to listen on (default 127.0.0.1:8080; port 0 picks a free one; [::1]:8080 for IPv6); once for each address"), N_("ADDR:PORT") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &db_paths, N_("The server’s SQLite database"), N_("PATH") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &token_files, N_("Also accept the tokens of this file, one a line; a change to it counts from the next request"), N_("FILE") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &tls_certs, N_("PEM certificate: serve https"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &tls_keys, N_("PEM private key of --tls-cert"), N_("FILE") },
    { "test-faults", 0, 0, G_OPTION_ARG_NONE, &test_faults, N_("Enable POST /__test/faults (tests only)"), NULL },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &stats, N_("Enable GET /__stats: connections and requests seen (benchmarks)"), NULL },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout, N_("Close a connection idle for this long, or sending its request slower (default 60)"), N_("SECONDS") },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections, N_("Client connections at once, at most (default: what the descriptor limit allows)"), N_("N") },
    { NULL }
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) addresses = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (GHashTable) file_tokens = NULL;
  g_autoptr (GTlsCertificate) cert = NULL;
  SoupServerListenOptions listen_options = 0;
  Server self = { 0 };

  setlocale (LC_ALL, "");
  /* TOPOUT_LOCALEDIR: the build tree's translations, as for topout. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("TOPOUT_LOCALEDIR") != NULL ? g_getenv ("TOPOUT_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  signal (SIGPIPE, SIG_IGN);

  context = g_option_context_new (_("[token add NAME | token revoke NAME | token list]"));
  g_option_context_set_summary (context, _("The reference Topout sync server: it stores the sessions the gym’s devices send."));
  /* Two messages, so that the first keeps its translations. The second:
   * a file copied over the database in place keeps its inode, and nothing
   * cheap tells it from another server's checkpoint (several servers may
   * share the file): the running server's write-ahead log is applied to it. */
  {
    g_autofree char *description =
      g_strconcat (_("The token file is read again before a request once it has changed, and on "
                     "SIGHUP: a token added or removed counts from the next request, no restart "
                     "needed. A file that cannot be read, is empty or is not one of tokens leaves "
                     "the tokens read before in force, with a warning in the log.\n"
                     "SIGTERM or SIGINT stops the server: the requests in flight are finished first.\n"
                     "GET /healthz answers 200 while the database answers, else 503."),
                   "\n",
                   _("To restore a backup, stop every server that uses the database first, remove the "
                     "database’s -wal and -shm files if they are left, then copy the backup over it. A "
                     "file copied over the database while a server runs is not noticed: the server’s "
                     "write-ahead log is applied to it, and the copy is damaged. (A file moved over it, "
                     "or deleted, is noticed: requests get 503 until it is put back or the server restarted.)"),
                   NULL);

    g_option_context_set_description (context, description);
  }
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("topout-server: %s\n", error->message);
      return 2;
    }
  {
    const char *const names[] = { "--db", "--token-file", "--tls-cert", "--tls-key" };
    char **given[] = { db_paths, token_files, tls_certs, tls_keys };
    const char **values[] = { &db_path, &token_file, &tls_cert, &tls_key };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        if (given[i] == NULL)
          continue;
        if (g_strv_length (given[i]) > 1)
          {
            /* Translators: %s is an option, such as --db */
            g_printerr (_("topout-server: %s is given more than once; give it once\n"), names[i]);
            return 2;
          }
        /* Empty (a script's unset variable): SQLite took "" for a
         * temporary database, deleted when the server stopped, with every
         * session it had answered "created" for. */
        if (given[i][0][0] == '\0')
          {
            /* Translators: %s is an option, such as --db */
            g_printerr (_("topout-server: %s needs the path of a file\n"), names[i]);
            return 2;
          }
        *values[i] = given[i][0];
      }
  }
  if (db_path == NULL)
    {
      g_printerr (_("topout-server: --db PATH is required\n"));
      return 2;
    }
  /* Not quietly the default: a negative or zero limit is a typo. */
  if ((idle_timeout != -1 && idle_timeout <= 0) || (max_connections != -1 && max_connections <= 0))
    {
      g_printerr (_("topout-server: --idle-timeout and --max-connections take a number above 0\n"));
      return 2;
    }
  /* Listing or revoking tokens of a database that is not there (a typo in
   * --db) makes no empty one. */
  if (argc >= 3 && strcmp (argv[1], "token") == 0 && strcmp (argv[2], "add") != 0 &&
      !g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      g_printerr (_("topout-server: there is no database at %s\n"), db_path);
      return 1;
    }

  /* Whatever is wrong with the arguments is said before the database is
   * opened: a typo made an empty database at --db (or a -wal and -shm
   * beside it) on its way to an error. */
  if (argc >= 2 && strcmp (argv[1], "token") != 0)
    {
      g_printerr (_("topout-server: unknown command “%s”\n"), argv[1]);
      return 2;
    }
  if (argc < 2)
    {
      /* Each --listen, once (the last one given was the only one). */
      const char *const fallback[] = { "127.0.0.1:8080", NULL };
      const char *const *given = listen != NULL ? (const char *const *) listen : fallback;
      g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      for (guint i = 0; given[i] != NULL; i++)
        {
          GSocketAddress *address = parse_listen (given[i], &error);
          g_autofree char *host = NULL;
          char *key;

          if (address == NULL)
            {
              g_printerr ("topout-server: %s\n", error->message);
              return 2;
            }
          g_ptr_array_add (addresses, address);
          host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
          key = g_strdup_printf ("[%s]:%u", host, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
          /* Port 0 twice is two free ports: not the same address. */
          if (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)) == 0)
            g_free (key);
          else if (!g_hash_table_add (seen, key))
            {
              g_printerr (_("topout-server: --listen %s is given twice\n"), given[i]);
              return 2;
            }
        }
      if ((tls_cert == NULL) != (tls_key == NULL))
        {
          g_printerr (_("topout-server: --tls-cert and --tls-key go together\n"));
          return 2;
        }
      if (tls_cert != NULL && (cert = g_tls_certificate_new_from_files (tls_cert, tls_key, &error)) == NULL)
        {
          g_printerr ("topout-server: %s\n", error->message);
          return 1;
        }
      if (token_file != NULL)
        {
          self.token_file = token_file;
          self.token_stamp = file_stamp (token_file);
          file_tokens = read_token_file (token_file, &error);
          if (file_tokens == NULL)
            {
              g_printerr ("topout-server: %s\n", error->message);
              return 1;
            }
          warn_if_public (token_file);
        }
      else
        file_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }

  self.db_path = db_path;
  self.storage = topout_server_storage_sqlite_open (db_path, &error);
  if (self.storage == NULL)
    {
      print_storage_error (error, db_path);
      return 1;
    }
  if (!self.storage->vtable->check (self.storage, &error))
    {
      print_storage_error (error, db_path);
      self.storage->vtable->close (self.storage);
      return 1;
    }

  if (argc >= 2)
    {
      int rc = run_token_command (self.storage, db_path, argv + 2, argc - 2);
      self.storage->vtable->close (self.storage);
      return rc;
    }

  /* The writer's own connection; @storage is the reader thread's, for the
   * token checks and pings (WAL: they read while the writer writes). */
  self.writer = topout_server_storage_sqlite_open (db_path, &error);
  if (self.writer == NULL)
    {
      print_storage_error (error, db_path);
      self.storage->vtable->close (self.storage);
      return 1;
    }
  /* The server's from here (freed at its end; an earlier return frees it). */
  self.file_tokens = g_steal_pointer (&file_tokens);
  self.writer_pool = g_thread_pool_new (write_job, &self, 1, TRUE, NULL);
  self.decode_pool = g_thread_pool_new (decode_job, &self, (gint) CLAMP (g_get_num_processors (), 2, 8),
                                        FALSE, NULL);
  self.help_pool = g_thread_pool_new (help_job, &self, 1, FALSE, NULL);
  self.answer_pool = g_thread_pool_new (answer_job, &self, 1, FALSE, NULL);
  self.reader_pool = g_thread_pool_new (read_job, &self, 1, FALSE, NULL);
  self.probes = g_ptr_array_new ();

  self.hung = g_ptr_array_new_with_free_func (g_object_unref);
  self.conns = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, conn_free);
  self.max_conns = max_connections > 0 ? (guint) MIN ((guint) max_connections, connections_allowed ())
                                       : connections_allowed ();
  self.idle_timeout = idle_timeout > 0 ? (guint) idle_timeout : 60;
  server = soup_server_new ("server-header", "topout-server/" PACKAGE_VERSION " ", NULL);
  if (cert != NULL)
    {
      soup_server_set_tls_certificate (server, cert);
      listen_options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  self.server = server;
  soup_server_add_early_handler (server, "/sessions/sync/bulk", early_cb, &self, NULL);
  soup_server_add_early_handler (server, "/sessions/offline", early_cb, &self, NULL);
  soup_server_add_handler (server, "/sessions/sync/bulk", bulk_cb, &self, NULL);
  soup_server_add_handler (server, "/sessions/offline", offline_cb, &self, NULL);
  soup_server_add_handler (server, "/healthz", healthz_cb, &self, NULL);
  if (test_faults)
    soup_server_add_handler (server, "/__test/faults", faults_cb, &self, NULL);
  if (stats)
    soup_server_add_handler (server, "/__stats", stats_cb, &self, NULL);
  soup_server_add_handler (server, NULL, default_cb, &self, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (request_started), &self);
  g_signal_connect (server, "request-read", G_CALLBACK (request_read), &self);
  g_signal_connect (server, "request-finished", G_CALLBACK (request_done), &self);
  g_signal_connect (server, "request-aborted", G_CALLBACK (request_done), &self);
  self.sweep_id = g_timeout_add_seconds (MAX (1, self.idle_timeout / 4), sweep_connections, &self);

  /* SIGTERM stops the server cleanly from the moment anyone can know it is
   * there (the line below), not only once the loop runs. */
  loop = g_main_loop_new (NULL, FALSE);
  self.loop = loop;
  g_unix_signal_add (SIGINT, quit_cb, &self);
  g_unix_signal_add (SIGTERM, quit_cb, &self);
  g_unix_signal_add (SIGHUP, reload_cb, &self);

  /* Each address in turn; a line "listening on" for each, with the bound
   * address read from the listening socket itself (libsoup 3.2's
   * soup_server_get_uris() leaks the addresses it makes). */
  for (guint i = 0; i < addresses->len; i++)
    {
      GSList *listeners;

      if (!soup_server_listen (server, g_ptr_array_index (addresses, i), listen_options, &error))
        {
          g_printerr (_("topout-server: cannot listen: %s\n"), error->message);
          return 1;
        }
      listeners = soup_server_get_listeners (server);
      for (GSList *l = listeners; l != NULL; l = l->next)
        {
          g_autoptr (GSocketAddress) local = g_socket_get_local_address (l->data, NULL);
          GSocketAddress *wanted = g_ptr_array_index (addresses, i);
          GInetSocketAddress *inet;
          g_autofree char *host = NULL;
          gboolean v6;

          /* The one just made: the address asked for, on the port asked
           * for (or picked, for 0) and not printed yet. */
          if (!G_IS_INET_SOCKET_ADDRESS (local) ||
              g_object_get_data (G_OBJECT (l->data), "topout-printed") != NULL ||
              !g_inet_address_equal (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)),
                                     g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (wanted))))
            continue;
          g_object_set_data (G_OBJECT (l->data), "topout-printed", GINT_TO_POINTER (1));
          inet = G_INET_SOCKET_ADDRESS (local);
          host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
          v6 = strchr (host, ':') != NULL;
          g_print ("listening on %s://%s%s%s:%u\n", tls_cert != NULL ? "https" : "http",
                   v6 ? "[" : "", host, v6 ? "]" : "", g_inet_socket_address_get_port (inet));
          break;
        }
      fflush (stdout);
      g_slist_free (listeners);
    }

  g_main_loop_run (loop);

  /* The requests in flight finish and are answered, each connection
   * closed after its answer; a request arriving meanwhile gets 503 with
   * Retry-After, as does /healthz (a load balancer sends no more). The hung
   * ones of --test-faults are not waited for. */
  self.stopping = TRUE;
  self.drain_until = g_get_monotonic_time () + DRAIN_SECONDS * G_USEC_PER_SEC;
  for (guint i = 0; i < self.hung->len; i++)
    {
      Conn *conn = conn_of (&self, g_ptr_array_index (self.hung, i));

      if (conn != NULL)
        conn->open = FALSE;
    }
  {
    guint wake_id = g_timeout_add (50, wake_cb, NULL);

    while (requests_open (&self) && g_get_monotonic_time () < self.drain_until)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (wake_id);
  }
  g_thread_pool_free (self.decode_pool, FALSE, TRUE);
  g_thread_pool_free (self.help_pool, FALSE, TRUE);
  g_thread_pool_free (self.writer_pool, FALSE, TRUE);
  g_thread_pool_free (self.answer_pool, FALSE, TRUE);
  g_thread_pool_free (self.reader_pool, FALSE, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  soup_server_disconnect (server);
  g_clear_pointer (&self.hung, g_ptr_array_unref);
  g_clear_handle_id (&self.sweep_id, g_source_remove);
  close_client_sockets (&self);
  g_clear_pointer (&self.conns, g_hash_table_unref);
  g_clear_pointer (&self.probes, g_ptr_array_unref);
  g_clear_pointer (&self.file_tokens, g_hash_table_unref);
  self.writer->vtable->close (self.writer);
  self.storage->vtable->close (self.storage);
  return 0;
}
