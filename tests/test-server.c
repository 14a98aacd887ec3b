/* test-server.c — the real topout-server on a loopback port, driven by libsoup
 * and raw sockets: every whole-request answer, every validation rule, the
 * idempotency rules, the derived scorecards and the schema's migration,
 * both shapes of /sessions/offline, each fault mode, the token CLI, and
 * survival under hostile connections. */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __linux__
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "topout-json-strict.h"
#include "topout-limits.h"
#include "topout-sync-codec.h"
#include "topout-test-util.h"

#define TOKEN_A "token-a-0123456789"
#define TOKEN_B "token-b-9876543210"

static GSubprocess *server;
static char        *server_db;
static char        *base_url;
static guint16      port;
static SoupSession *http;
static const char  *server_stderr_path;  /* when set, the next server's stderr goes there */

/* Server process ----------------------------------------------------------- */

static const char *
server_path (void)
{
  const char *path = g_getenv ("TOPOUT_SERVER");

  g_assert_nonnull (path);
  return path;
}

static void start_server_full (const char          *db_name,
                               gboolean             fatal_criticals,
                               const char *const   *extra,
                               GSpawnChildSetupFunc child_setup);

static void
start_server_on (const char *db_name,
                 gboolean    fatal_criticals)
{
  start_server_full (db_name, fatal_criticals, NULL, topout_test_die_with_parent);
}

/* With @extra arguments, and @child_setup run in the server's process. */
static void
start_server_full (const char          *db_name,
                   gboolean             fatal_criticals,
                   const char *const   *extra,
                   GSpawnChildSetupFunc child_setup)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *tokens = topout_test_path ("tokens.txt");
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  const char *colon;

  g_assert_true (g_file_set_contents_full (tokens, "# test tokens\n" TOKEN_A "\n\n" TOKEN_B "\n", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_free (server_db);
  g_free (base_url);
  server_db = topout_test_path (db_name);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  if (fatal_criticals)
    g_subprocess_launcher_setenv (launcher, "G_DEBUG", "fatal-criticals", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  if (server_stderr_path != NULL)
    g_subprocess_launcher_set_stderr_file_path (launcher, server_stderr_path);
  g_ptr_array_add (argv, (gpointer) server_path ());
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1:0");
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, server_db);
  /* The test's own token file when it gives one (the server takes one). */
  if (extra == NULL || !g_strv_contains (extra, "--token-file"))
    {
      g_ptr_array_add (argv, (gpointer) "--token-file");
      g_ptr_array_add (argv, tokens);
    }
  g_ptr_array_add (argv, (gpointer) "--test-faults");
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);
  server = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  colon = strrchr (line, ':');
  port = (guint16) g_ascii_strtoull (colon + 1, NULL, 10);
  g_assert_cmpuint (port, >, 0);
  base_url = g_strdup_printf ("http://127.0.0.1:%u", port);
}

static void
start_server (void)
{
  start_server_on ("server.db", FALSE);
}

static void
stop_server (void)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
  g_clear_object (&server);
}

/* HTTP --------------------------------------------------------------------- */

typedef struct {
  guint   status;
  GBytes *body;
  char   *retry_after;
  GError *error;
} Answer;

static void
answer_clear (Answer *a)
{
  g_clear_pointer (&a->body, g_bytes_unref);
  g_clear_pointer (&a->retry_after, g_free);
  g_clear_error (&a->error);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static void
request (Answer     *a,
         const char *method,
         const char *path,
         const char *token,
         const char *body,
         gssize      len)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, len < 0 ? strlen (body) : (gsize) len);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  /* An answer reused for the next request: the one before is dropped. */
  answer_clear (a);
  a->body = soup_session_send_and_read (http, msg, NULL, &a->error);
  a->status = soup_message_get_status (msg);
  a->retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
}

static void
post (Answer     *a,
      const char *path,
      const char *token,
      const char *body)
{
  request (a, "POST", path, token, body, -1);
}

static const char *
error_code_of_data (const char *data,
                    gsize       len)
{
  static char code[64];
  g_autoptr (JsonParser) p = json_parser_new ();
  JsonObject *o;

  g_assert_true (json_parser_load_from_data (p, data, (gssize) len, NULL));
  o = json_object_get_object_member (json_node_get_object (json_parser_get_root (p)), "error");
  g_strlcpy (code, json_object_get_string_member (o, "code"), sizeof code);
  return code;
}

static const char *
error_code_of (GBytes *body)
{
  return error_code_of_data (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* The same of an answer's body as text. */
static const char *
error_code_of_text (const char *body)
{
  return error_code_of_data (body, strlen (body));
}

static GPtrArray *
results_of (Answer *a)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *results;

  g_assert_no_error (a->error);
  g_assert_cmpuint (a->status, ==, 200);
  results = topout_sync_decode_results (g_bytes_get_data (a->body, NULL), g_bytes_get_size (a->body), &error);
  g_assert_no_error (error);
  return results;
}

/* POSTs @body to the bulk endpoint with @token: its results, @n of them. */
static GPtrArray *
post_bulk (Answer     *a,
           const char *token,
           const char *body,
           guint       n)
{
  GPtrArray *results;

  post (a, "/sessions/sync/bulk", token, body);
  results = results_of (a);
  g_assert_cmpuint (results->len, ==, n);
  return results;
}

static TopoutWireResult *
result_at (GPtrArray *results, guint i)
{
  g_assert_cmpuint (i, <, results->len);
  return g_ptr_array_index (results, i);
}

/* Raw sockets: for what a well-behaved client never sends. */
static GSocketConnection *
raw_connect (void)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GError) error = NULL;
  GSocketConnection *conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);

  g_assert_no_error (error);
  return conn;
}

/* All the server sends on @conn until it closes it (10 s at most). */
static char *
read_reply (GSocketConnection *conn)
{
  GString *reply = g_string_new (NULL);
  char buf[4096];
  gssize n;

  g_socket_set_timeout (g_socket_connection_get_socket (conn), 10);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf, sizeof buf, NULL, NULL)) > 0)
    g_string_append_len (reply, buf, n);
  return g_string_free (reply, FALSE);
}

static char *
raw_exchange (const char *data,
              gsize       len)
{
  g_autoptr (GSocketConnection) conn = raw_connect ();
  GSocket *sock = g_socket_connection_get_socket (conn);
  GString *reply = g_string_new (NULL);
  char buf[4096];
  gssize n;

  g_socket_set_timeout (sock, 10);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), data, len, NULL, NULL, NULL);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf, sizeof buf, NULL, NULL)) > 0)
    {
      g_string_append_len (reply, buf, n);
      if (strstr (reply->str, "\r\n\r\n") && strstr (reply->str, "Content-Length: "))
        {
          const char *cl = strstr (reply->str, "Content-Length: ") + 16;
          const char *body = strstr (reply->str, "\r\n\r\n") + 4;
          if ((gsize) (reply->str + reply->len - body) >= g_ascii_strtoull (cl, NULL, 10))
            break;
        }
    }
  return g_string_free (reply, FALSE);
}

static void
assert_alive (void)
{
  g_auto (Answer) a = { 0 };

  request (&a, "GET", "/healthz", NULL, NULL, 0);
  g_assert_no_error (a.error);
  g_assert_cmpuint (a.status, ==, 200);
}

/* Sessions ----------------------------------------------------------------- */

/* A finished session of @climber_id, its routes to be added. */
static TopoutSession *
new_session (const char *client_id,
             gint64      revision,
             const char *climber_id)
{
  TopoutSession *s = topout_session_new ();

  topout_session_set_id (s, client_id);
  topout_session_set_climber_id (s, climber_id);
  topout_session_set_session_type (s, TOPOUT_SESSION_TYPE_POWER);
  topout_session_set_name (s, "Power · 2026-11-21");
  topout_session_set_status (s, TOPOUT_SESSION_STATUS_COMPLETED);
  topout_session_set_started_at (s, topout_test_parse_time ("2026-11-21T17:02:11Z"));
  topout_session_set_ended_at (s, topout_test_parse_time ("2026-11-21T18:40:00Z"));
  topout_session_set_session_date (s, "2026-11-21");
  topout_session_set_time_slot (s, TOPOUT_TIME_SLOT_EVENING);
  topout_session_set_at_gym (s, 1);
  topout_session_set_notes (s, "");
  topout_session_set_revision (s, revision);
  return s;
}

static JsonNode *
session_node (const char *client_id,
              gint64      revision,
              const char *notes)
{
  g_autoptr (TopoutSession) s = new_session (client_id, revision, "climber-1");
  g_autoptr (TopoutClimber) c = topout_climber_new ();
  GPtrArray *routes = g_ptr_array_new_with_free_func (g_object_unref);

  topout_climber_set_id (c, "climber-1");
  topout_climber_set_display_name (c, "Ada L.");
  topout_climber_set_member_code (c, "M-0042");
  topout_session_set_notes (s, notes);
  for (int i = 0; i < 3; i++)
    {
      TopoutCompletion *r = topout_completion_new ();
      g_autofree char *id = g_strdup_printf ("%s-r%d", client_id, i);

      topout_completion_set_id (r, id);
      topout_completion_set_climb_id (r, "c-117");
      topout_completion_set_grade (r, "V4");
      topout_completion_set_is_success (r, i != 1);
      topout_completion_set_attempts (r, (guint) i + 1);
      topout_completion_set_logged_at (r, topout_test_parse_time ("2026-11-21T17:20:05Z"));
      g_ptr_array_add (routes, r);
    }
  topout_session_set_completions (s, routes);
  return topout_sync_encode_session (s, c, "kiosk-1");
}

static char *request_body_of (GPtrArray *nodes);
static void send_text (GSocketConnection *conn, const char *text);
static char *run_cli (int *status, ...) G_GNUC_NULL_TERMINATED;
static gint64 server_int (const char *sql, const char *arg);

/* {"sessions":[…]} of the session nodes (consumed), NULL-terminated. */
static char *
request_body (JsonNode *first, ...)
{
  g_autoptr (GPtrArray) nodes = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (JsonNode *n = first; n != NULL; n = va_arg (ap, JsonNode *))
    g_ptr_array_add (nodes, n);
  va_end (ap);
  return request_body_of (nodes);
}

/* The same of an array of session nodes (consumed). */
static char *
request_body_of (GPtrArray *nodes)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sessions");
  json_builder_begin_array (b);
  for (guint i = 0; i < nodes->len; i++)
    json_builder_add_value (b, g_ptr_array_index (nodes, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  {
    GString *text = g_string_new (NULL);

    /* As the app's encoder does (json-glib leaves U+001F raw). */
    json_generator_to_gstring (gen, text);
    topout_json_mend_generated (text, 0);
    return g_string_free (text, FALSE);
  }
}

static char *
one_session (const char *client_id, gint64 revision, const char *notes)
{
  return request_body (session_node (client_id, revision, notes), NULL);
}

/* A connection of the test's own to the server's database file. */
static sqlite3 *
open_server_db (void)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (server_db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

/* Tests --------------------------------------------------------------------- */

static void
test_healthz (void)
{
  assert_alive ();
}

static void
test_unauthorized (void)
{
  g_autofree char *body = one_session ("auth-1", 1, "");
  g_auto (Answer) a = { 0 };
  g_auto (Answer) b = { 0 };

  post (&a, "/sessions/sync/bulk", "not-a-token", body);
  g_assert_cmpuint (a.status, ==, 401);
  g_assert_cmpstr (error_code_of (a.body), ==, "unauthorized");
  post (&b, "/sessions/sync/bulk", NULL, body);
  g_assert_cmpuint (b.status, ==, 401);
}

static void
test_bad_json (void)
{
  static const char *const bodies[] = {
    "{'sessions': []}", "{\"sessions\": [] /* hi */}", "{\"sessions\": [],}",
    "{\"sessions\": []} {\"sessions\": []}", "{\"sessions\": [0x1]}",
    "{\"sessions\": [], \"sessions\": []}", "{\"sessions\": [{\"clientId\": \"\xff\"}]}",
    "{\"sessions\": [", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_auto (Answer) a = { 0 };

      post (&a, "/sessions/sync/bulk", TOKEN_A, bodies[i]);
      g_assert_cmpuint (a.status, ==, 400);
      g_assert_cmpstr (error_code_of (a.body), ==, "invalid_json");
    }
}

static void
test_wrong_shape (void)
{
  static const char *const bodies[] = {
    "[]", "{}", "{\"sessions\": {}}", "{\"sessions\": [1, 2]}", "{\"session\": []}", "\"x\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_auto (Answer) a = { 0 };

      post (&a, "/sessions/sync/bulk", TOKEN_A, bodies[i]);
      g_assert_cmpuint (a.status, ==, 400);
      g_assert_cmpstr (error_code_of (a.body), ==, "invalid_shape");
    }
}

static void
test_too_big_content_length (void)
{
  g_autofree char *head = g_strdup_printf ("POST /sessions/sync/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Authorization: Bearer " TOKEN_A "\r\n"
                                           "Content-Type: application/json\r\n"
                                           "Content-Length: %d\r\n\r\n{\"sessions\": [",
                                           TOPOUT_LIMIT_BODY_BYTES + 1);
  /* Only the headers and a few bytes are sent: the answer must come anyway. */
  g_autofree char *reply = raw_exchange (head, strlen (head));

  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (reply, "\"too_large\""));

  /* Without a known token: 401 first (SPEC section 4), also on the headers
   * alone, for a body too large or of no announced length. */
  {
    const char *const heads[] = {
      "Authorization: Bearer not-a-token-of-this-server\r\nContent-Length: 9000000\r\n\r\n{",
      "Content-Length: 9000000\r\n\r\n{",
      "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"ses\r\n",
    };

    for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
      {
        g_autofree char *req = g_strconcat ("POST /sessions/sync/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                            "Content-Type: application/json\r\n", heads[i], NULL);
        g_autofree char *r = raw_exchange (req, strlen (req));

        g_assert_true (g_str_has_prefix (r, "HTTP/1.1 401"));
        g_assert_nonnull (strstr (r, "WWW-Authenticate: Bearer\r\n"));
        g_assert_nonnull (strstr (r, "\"unauthorized\""));
      }
  }
  assert_alive ();
}

/* Sends a chunked body in chunks of 64 KiB on @conn until the server has
 * something to say (or @max bytes are sent); the bytes of body sent. */
static gsize
send_chunks_until_answered (GSocketConnection *conn,
                            gsize              max)
{
  GSocket *sock = g_socket_connection_get_socket (conn);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_autofree char *piece = g_malloc (65536 + 16);
  gsize head = (gsize) g_snprintf (piece, 16, "%x\r\n", 65536);
  gsize sent = 0;

  memset (piece + head, ' ', 65536);
  memcpy (piece + head + 65536, "\r\n", 2);
  while (sent < max && g_socket_condition_check (sock, G_IO_IN | G_IO_HUP | G_IO_ERR) == 0)
    {
      if (!g_output_stream_write_all (out, piece, head + 65536 + 2, NULL, NULL, NULL))
        break;
      sent += 65536;
    }
  return sent;
}

/* A body sent chunked (no Content-Length) is taken as HTTP/1.1 says, up to
 * the body limit: a small one is stored; one that passes the limit gets
 * 413 with the contract's error (too_large) as soon as it does, the rest
 * never read, and the server serves on. (Chunked bodies got 411.) */
static void
test_chunked_body (void)
{
  g_autofree char *body = one_session ("chunked-1", 1, "");
  gsize third = strlen (body) / 3;
  g_autoptr (GString) req = g_string_new ("POST /sessions/sync/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                          "Authorization: Bearer " TOKEN_A "\r\nContent-Type: application/json\r\n"
                                          "Transfer-Encoding: chunked\r\n\r\n");
  g_autofree char *reply = NULL;
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GError) error = NULL;
  const char *answer;

  /* Three chunks, then the last (empty) one. */
  g_string_append_printf (req, "%zx\r\n%.*s\r\n", third, (int) third, body);
  g_string_append_printf (req, "%zx\r\n%.*s\r\n", third, (int) third, body + third);
  g_string_append_printf (req, "%zx\r\n%s\r\n0\r\n\r\n", strlen (body + 2 * third), body + 2 * third);
  reply = raw_exchange (req->str, req->len);
  g_test_message ("%s", reply);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 200"));
  answer = strstr (reply, "\r\n\r\n") + 4;
  results = topout_sync_decode_results (answer, strlen (answer), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (result_at (results, 0)->client_id, ==, "chunked-1");
  g_assert_cmpint (result_at (results, 0)->status, ==, TOPOUT_WIRE_STATUS_CREATED);
  g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM sessions WHERE client_id = 'chunked-1'"),
                   ==, 1);

  /* Past the limit: answered while the client is still sending. */
  {
    g_autoptr (GSocketConnection) conn = raw_connect ();
    g_autofree char *big = NULL;
    gsize sent;

    send_text (conn, "POST /sessions/sync/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Authorization: Bearer " TOKEN_A "\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n");
    sent = send_chunks_until_answered (conn, TOPOUT_LIMIT_BODY_BYTES + 64 * 1024 * 1024);
    big = read_reply (conn);
    g_test_message ("%zu bytes sent: %s", sent, big);
    g_assert_cmpuint (sent, >, TOPOUT_LIMIT_BODY_BYTES);
    g_assert_true (g_str_has_prefix (big, "HTTP/1.1 413"));
    g_assert_cmpstr (error_code_of_text (strstr (big, "\r\n\r\n") + 4), ==, "too_large");
  }
  assert_alive ();
  {
    g_autofree char *again = one_session ("chunked-2", 1, "");
    g_auto (Answer) a = { 0 };
    g_autoptr (GPtrArray) r = post_bulk (&a, TOKEN_A, again, 1);

    g_assert_cmpint (result_at (r, 0)->status, ==, TOPOUT_WIRE_STATUS_CREATED);
  }
}

static void
test_too_many_sessions (void)
{
  g_autoptr (GString) body = g_string_new ("{\"sessions\":[");
  g_auto (Answer) a = { 0 };

  for (int i = 0; i <= TOPOUT_LIMIT_SESSIONS_PER_REQUEST; i++)
    g_string_append (body, i ? ",{}" : "{}");
  g_string_append (body, "]}");
  post (&a, "/sessions/sync/bulk", TOKEN_A, body->str);
  g_assert_cmpuint (a.status, ==, 413);
  g_assert_cmpstr (error_code_of (a.body), ==, "too_large");
}

typedef void (*Mutate) (JsonObject *s, JsonObject *route);
static void m_no_name (JsonObject *s, JsonObject *r) { json_object_remove_member (s, "name"); }
static void m_type (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "type", "BOULDERING"); }
static void m_status (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "status", "DONE"); }
static void m_slot (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "timeSlot", "DUSK"); }
static void m_attempts (JsonObject *s, JsonObject *r) { json_object_set_int_member (r, "attempts", TOPOUT_LIMIT_ATTEMPTS_MAX + 1); }
static void m_too_long (JsonObject *s, JsonObject *r)
{
  g_autofree char *t = g_strnfill (TOPOUT_LIMIT_NAME_MAX + 1, 'n');
  json_object_set_string_member (s, "name", t);
}
static void m_end (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "endTime", "2026-11-21T17:00:00Z"); }
static void m_pair (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "type", "COMPETITION"); }
static void m_routes (JsonObject *s, JsonObject *r)
{
  JsonArray *a = json_array_new ();
  for (int i = 0; i <= TOPOUT_LIMIT_ROUTES_PER_SESSION; i++)
    {
      JsonNode *copy = json_node_copy (json_array_get_element (json_object_get_array_member (s, "routes"), 0));
      g_autofree char *id = g_strdup_printf ("many-%d", i);
      json_object_set_string_member (json_node_get_object (copy), "clientId", id);
      json_array_add_element (a, copy);
    }
  json_object_set_array_member (s, "routes", a);
}
static void m_revision (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "revision", "2"); }
static void m_custom_no_label (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "type", "CUSTOM"); json_object_set_null_member (s, "customLabel"); }
static void m_end_epoch (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "endTime", "1970-01-01T00:00:00Z"); }
static void m_logged_epoch (JsonObject *s, JsonObject *r) { json_object_set_string_member (r, "loggedAt", "1970-01-01T00:00:00Z"); }

static void
test_validation_rules (void)
{
  static const struct { Mutate mutate; const char *code; } rules[] = {
    { m_no_name, "missing_field" }, { m_type, "invalid_type" }, { m_status, "invalid_status" },
    { m_slot, "invalid_time_slot" }, { m_attempts, "invalid_attempts" }, { m_too_long, "too_long" },
    { m_end, "end_before_start" }, { m_pair, "competition_pair_missing" }, { m_routes, "too_many_routes" },
    { m_revision, "invalid_type" },
    /* A CUSTOM session without its label (the app's store refuses one);
     * a time of the Unix epoch (read as none: a COMPLETED session was
     * stored with no end, and never found to end before it started). */
    { m_custom_no_label, "missing_field" }, { m_end_epoch, "invalid_type" }, { m_logged_epoch, "invalid_type" },
  };
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_auto (Answer) a = { 0 };
  g_autoptr (GPtrArray) results = NULL;
  guint n = G_N_ELEMENTS (rules);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sessions");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("rule-%u", i);
      g_autofree char *good_id = g_strdup_printf ("rule-ok-%u", i);
      JsonNode *bad = session_node (id, 1, "");
      JsonObject *o = json_node_get_object (bad);

      rules[i].mutate (o, json_array_get_object_element (json_object_get_array_member (o, "routes"), 0));
      json_builder_add_value (b, bad);
      json_builder_add_value (b, session_node (good_id, 1, ""));
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  body = json_generator_to_data (gen, NULL);

  results = post_bulk (&a, TOKEN_A, body, 2 * n);
  for (guint i = 0; i < n; i++)
    {
      TopoutWireResult *bad = result_at (results, 2 * i);
      TopoutWireResult *ok = result_at (results, 2 * i + 1);
      g_autofree char *id = g_strdup_printf ("rule-%u", i);

      g_assert_cmpstr (bad->client_id, ==, id);
      g_assert_cmpint (bad->status, ==, TOPOUT_WIRE_STATUS_REJECTED);
      g_assert_cmpstr (bad->error_code, ==, rules[i].code);
      g_assert_nonnull (bad->error_message);
      g_assert_null (bad->session_id);
      g_assert_cmpint (ok->status, ==, TOPOUT_WIRE_STATUS_CREATED);
      g_assert_nonnull (ok->session_id);
      g_assert_cmpint (ok->revision, ==, 1);
      g_assert_cmpint (server_int ("SELECT count (*) FROM sessions WHERE client_id = ?1", id), ==, 0);
    }
}

/* The limits table (SPEC section 4) on the real server: every limit taken
 * exactly, in characters of two and four bytes (so a count of bytes would
 * refuse them), is created; one past it is rejected with its code. */
typedef enum { AT_SESSION, AT_CLIMBER, AT_ROUTE } LimitPlace;

static const struct {
  LimitPlace  place;
  const char *key;
  const char *unit;        /* a text of @max of these; NULL: a number */
  gint64      max;
  const char *past_code;   /* for @max + 1 */
  const char *below_code;  /* for @min - 1 (texts: empty; numbers: min - 1), NULL: allowed */
  gint64      min;
} limits[] = {
  { AT_SESSION, "name", "é", TOPOUT_LIMIT_NAME_MAX, "too_long", "missing_field", TOPOUT_LIMIT_NAME_MIN },
  { AT_SESSION, "customLabel", "\xF0\x9F\xA7\x97", TOPOUT_LIMIT_NAME_MAX, "too_long", "missing_field", TOPOUT_LIMIT_NAME_MIN },
  { AT_CLIMBER, "displayName", "é", TOPOUT_LIMIT_NAME_MAX, "too_long", "missing_field", TOPOUT_LIMIT_NAME_MIN },
  { AT_SESSION, "notes", "\xF0\x9F\xA7\x97", TOPOUT_LIMIT_NOTES_MAX, "too_long", NULL, 0 },
  { AT_ROUTE, "notes", "é", TOPOUT_LIMIT_NOTES_MAX, "too_long", NULL, 0 },
  { AT_SESSION, "competitionType", "ß", TOPOUT_LIMIT_KEY_MAX, "too_long", "missing_field", TOPOUT_LIMIT_KEY_MIN },
  { AT_SESSION, "competitionId", "\xF0\x9F\xA7\x97", TOPOUT_LIMIT_KEY_MAX, "too_long", "missing_field", TOPOUT_LIMIT_KEY_MIN },
  { AT_ROUTE, "climbId", "é", TOPOUT_LIMIT_KEY_MAX, "too_long", "missing_field", TOPOUT_LIMIT_KEY_MIN },
  { AT_ROUTE, "grade", "\xF0\x9F\xA7\x97", TOPOUT_LIMIT_KEY_MAX, "too_long", "missing_field", TOPOUT_LIMIT_KEY_MIN },
  { AT_CLIMBER, "memberCode", "é", TOPOUT_LIMIT_KEY_MAX, "too_long", "missing_field", TOPOUT_LIMIT_KEY_MIN },
  { AT_ROUTE, "attempts", NULL, TOPOUT_LIMIT_ATTEMPTS_MAX, "invalid_attempts", "invalid_attempts", TOPOUT_LIMIT_ATTEMPTS_MIN },
  { AT_SESSION, "revision", NULL, G_MAXINT64 - 1, NULL, "invalid_type", TOPOUT_LIMIT_REVISION_MIN },
};

/* Session @i of the limits table with its field set to @value characters or
 * that number. */
static JsonNode *
limit_session (guint       i,
               const char *client_id,
               gint64      value)
{
  JsonNode *node = session_node (client_id, 1, "");
  JsonObject *o = json_node_get_object (node);
  JsonObject *route = json_array_get_object_element (json_object_get_array_member (o, "routes"), 0);
  JsonObject *target = limits[i].place == AT_SESSION ? o
                     : limits[i].place == AT_CLIMBER ? json_object_get_object_member (o, "climber") : route;

  if (g_str_equal (limits[i].key, "customLabel"))
    json_object_set_string_member (o, "type", "CUSTOM");
  if (g_str_has_prefix (limits[i].key, "competition"))
    {
      json_object_set_string_member (o, "type", "COMPETITION");
      json_object_set_boolean_member (o, "isCompetition", TRUE);
      json_object_set_string_member (o, "competitionType", "bouldering");
      json_object_set_string_member (o, "competitionId", "cup-1");
    }
  if (limits[i].unit == NULL)
    json_object_set_int_member (target, limits[i].key, value);
  else
    {
      GString *text = g_string_new (NULL);

      for (gint64 n = 0; n < value; n++)
        g_string_append (text, limits[i].unit);
      json_object_set_string_member (target, limits[i].key, text->str);
      g_string_free (text, TRUE);
    }
  return node;
}

static void
test_limits_at_the_limit (void)
{
  g_autoptr (GPtrArray) nodes = g_ptr_array_new ();
  g_autoptr (GPtrArray) codes = g_ptr_array_new ();  /* NULL: created */
  g_autofree char *body = NULL;
  g_auto (Answer) a = { 0 };
  g_autoptr (GPtrArray) results = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      struct { gint64 value; const char *code; } cases[] = {
        { limits[i].max, NULL },
        { limits[i].min, NULL },
        { limits[i].max + 1, limits[i].past_code },
        { limits[i].min - 1, limits[i].below_code },
      };

      for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
        {
          g_autofree char *id = g_strdup_printf ("limit-%u-%u", i, k);

          if (k == 2 && limits[i].past_code == NULL)
            continue;
          g_ptr_array_add (nodes, limit_session (i, id, cases[k].value));
          g_ptr_array_add (codes, (gpointer) cases[k].code);
        }
    }
  /* endTime equal to startTime is not before it. */
  {
    JsonNode *node = session_node ("limit-end", 1, "");

    json_object_set_string_member (json_node_get_object (node), "endTime", "2026-11-21T17:02:11Z");
    g_ptr_array_add (nodes, node);
    g_ptr_array_add (codes, NULL);
  }
  /* 500 routes, the limit. */
  {
    JsonNode *node = session_node ("limit-routes", 1, "");
    JsonObject *o = json_node_get_object (node);
    JsonArray *routes = json_array_new ();

    for (int i = 0; i < TOPOUT_LIMIT_ROUTES_PER_SESSION; i++)
      {
        JsonObject *first = json_array_get_object_element (json_object_get_array_member (o, "routes"), 0);
        JsonObject *route = json_object_new ();
        g_autofree char *id = g_strdup_printf ("limit-route-%d", i);

        /* A new object each (json_node_copy() shares it). */
        g_autoptr (GList) keys = json_object_get_members (first);

        for (GList *k = keys; k != NULL; k = k->next)
          json_object_set_member (route, k->data, json_node_copy (json_object_get_member (first, k->data)));
        json_object_set_string_member (route, "clientId", id);
        json_array_add_object_element (routes, route);
      }
    json_object_set_array_member (o, "routes", routes);
    g_ptr_array_add (nodes, node);
    g_ptr_array_add (codes, NULL);
  }

  {
    guint n = nodes->len;

    body = request_body_of (nodes);
    results = post_bulk (&a, TOKEN_A, body, n);
  }
  for (guint i = 0; i < results->len; i++)
    {
      TopoutWireResult *r = result_at (results, i);
      const char *code = g_ptr_array_index (codes, i);

      if (code == NULL && r->status != TOPOUT_WIRE_STATUS_CREATED)
        g_error ("%s: %s %s %s", r->client_id, topout_wire_status_to_string (r->status), r->error_code,
                 r->error_message);
      if (code != NULL && (r->status != TOPOUT_WIRE_STATUS_REJECTED || g_strcmp0 (r->error_code, code) != 0))
        g_error ("%s: %s %s, not rejected as %s", r->client_id, topout_wire_status_to_string (r->status),
                 r->error_code, code);
    }
  g_assert_cmpint (server_int ("SELECT count (*) FROM routes JOIN sessions ON sessions.id = session_id"
                               " WHERE sessions.client_id = ?1", "limit-routes"), ==, TOPOUT_LIMIT_ROUTES_PER_SESSION);
}

/* A body of exactly the limit (8 MiB) is read and stored; the limit and one
 * byte more is 413 (/server/too-big-content-length). */
static void
test_body_at_the_limit (void)
{
  g_autofree char *one = one_session ("limit-body", 1, "");
  g_autoptr (GString) body = g_string_new (NULL);
  g_auto (Answer) a = { 0 };
  g_autoptr (GPtrArray) results = NULL;

  /* Whitespace between tokens, as JSON allows. */
  g_assert_cmpint (one[0], ==, '{');
  g_string_append_c (body, '{');
  while (body->len < TOPOUT_LIMIT_BODY_BYTES - strlen (one) + 1)
    g_string_append_c (body, ' ');
  g_string_append (body, one + 1);
  g_assert_cmpuint (body->len, ==, TOPOUT_LIMIT_BODY_BYTES);

  results = post_bulk (&a, TOKEN_A, body->str, 1);
  g_assert_cmpint (result_at (results, 0)->status, !=, TOPOUT_WIRE_STATUS_REJECTED);
  g_assert_nonnull (result_at (results, 0)->session_id);
}

static void
expect_one (const char       *token,
            const char       *body,
            TopoutWireStatus  status,
            gint64            revision,
            char            **session_id)
{
  g_auto (Answer) a = { 0 };
  g_autoptr (GPtrArray) results = NULL;
  TopoutWireResult *r;

  results = post_bulk (&a, token, body, 1);
  r = result_at (results, 0);
  g_assert_cmpstr (topout_wire_status_to_string (r->status), ==, topout_wire_status_to_string (status));
  g_assert_cmpint (r->revision, ==, revision);
  if (session_id != NULL && *session_id == NULL)
    *session_id = g_strdup (r->session_id);
  else if (session_id != NULL)
    g_assert_cmpstr (r->session_id, ==, *session_id);
}

/* @body, one session, is rejected with @code. */
static void
expect_rejected (const char *token,
                 const char *body,
                 const char *code)
{
  g_auto (Answer) a = { 0 };
  g_autoptr (GPtrArray) results = post_bulk (&a, token, body, 1);
  TopoutWireResult *r = result_at (results, 0);

  g_assert_cmpstr (topout_wire_status_to_string (r->status), ==, "rejected");
  g_assert_cmpstr (r->error_code, ==, code);
  g_assert_null (r->session_id);
}

/* Scorecards ------------------------------------------------------------------ */

typedef struct {
  const char *climb;
  gboolean    ok;
  guint       attempts;
  const char *at;       /* logged, RFC 3339 */
} Route;

/* A competition session of @climber_id (with @member_code, or none) in the
 * pair @ctype/@cid, its routes in that pair too. */
static char *
coded_competition_session (const char          *client_id,
                           gint64               revision,
                           const char          *climber_id,
                           const char          *member_code,
                           TopoutSessionStatus  status,
                     const char          *ctype,
                     const char          *cid,
                     const Route         *routes,
                     guint                n_routes)
{
  g_autoptr (TopoutSession) s = new_session (client_id, revision, climber_id);
  g_autoptr (TopoutClimber) c = topout_climber_new ();
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);

  topout_climber_set_id (c, climber_id);
  topout_climber_set_display_name (c, climber_id);
  topout_climber_set_member_code (c, member_code);
  topout_session_set_session_type (s, TOPOUT_SESSION_TYPE_COMPETITION);
  topout_session_set_is_competition (s, TRUE);
  topout_session_set_competition_type (s, ctype);
  topout_session_set_competition_id (s, cid);
  topout_session_set_name (s, "Competition");
  topout_session_set_status (s, status);
  for (guint i = 0; i < n_routes; i++)
    {
      TopoutCompletion *r = topout_completion_new ();
      g_autofree char *id = g_strdup_printf ("%s-r%u", client_id, i);

      topout_completion_set_id (r, id);
      topout_completion_set_climb_id (r, routes[i].climb);
      topout_completion_set_grade (r, "V4");
      topout_completion_set_is_success (r, routes[i].ok);
      topout_completion_set_attempts (r, routes[i].attempts);
      topout_completion_set_logged_at (r, topout_test_parse_time (routes[i].at));
      topout_completion_set_is_competition (r, TRUE);
      topout_completion_set_competition_type (r, ctype);
      topout_completion_set_competition_id (r, cid);
      g_ptr_array_add (list, r);
    }
  topout_session_set_completions (s, list);
  return request_body (topout_sync_encode_session (s, c, "kiosk-1"), NULL);
}

static char *
competition_session (const char          *client_id,
                     gint64               revision,
                     const char          *climber_id,
                     TopoutSessionStatus  status,
                     const char          *ctype,
                     const char          *cid,
                     const Route         *routes,
                     guint                n_routes)
{
  return coded_competition_session (client_id, revision, climber_id, NULL, status, ctype, cid, routes, n_routes);
}

/* The server's scorecard rows, one line each (pair, climber, climb, attempts,
 * topped, attempts to top, first top as RFC 3339), in key order. */
static char *
scorecards_text (void)
{
  g_autoptr (GString) out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  db = open_server_db ();
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT competition_type, competition_id, person, climb_id, attempts,"
                                       " topped, attempts_to_top, first_top_at FROM scorecards"
                                       " ORDER BY 1, 2, 3, 4", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *first_top = NULL;

      if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
        {
          g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 7) / G_USEC_PER_SEC);
          first_top = g_date_time_format (t, "%H:%M");
        }
      g_string_append_printf (out, "%s %s %s %s %d %d %s %s\n",
                              sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1),
                              sqlite3_column_text (stmt, 2), sqlite3_column_text (stmt, 3),
                              sqlite3_column_int (stmt, 4), sqlite3_column_int (stmt, 5),
                              sqlite3_column_type (stmt, 6) == SQLITE_NULL ? "-" : (const char *) sqlite3_column_text (stmt, 6),
                              first_top ? first_top : "-");
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The sessions of test_scorecards before its updates. */
static void
post_competition_sessions (void)
{
  static const Route a1[] = { { "c-1", FALSE, 2, "2026-11-21T17:10:00Z" },
                              { "c-1", TRUE, 1, "2026-11-21T17:20:00Z" },
                              { "c-2", FALSE, 3, "2026-11-21T17:30:00Z" } };
  static const Route a2[] = { { "c-1", TRUE, 4, "2026-11-21T18:10:00Z" },
                              { "c-2", TRUE, 2, "2026-11-21T18:20:00Z" } };
  static const Route a3[] = { { "c-1", TRUE, 1, "2026-11-21T17:15:00Z" } };
  static const Route a4[] = { { "c-3", TRUE, 1, "2026-11-21T17:40:00Z" } };
  static const Route b1[] = { { "c-1", TRUE, 5, "2026-11-21T17:05:00Z" } };
  g_autofree char *body_a1 = competition_session ("sc-a1", 1, "ada", TOPOUT_SESSION_STATUS_COMPLETED, "LEAGUE", "r3", a1, 3);
  g_autofree char *body_a2 = competition_session ("sc-a2", 1, "ada", TOPOUT_SESSION_STATUS_COMPLETED, "LEAGUE", "r3", a2, 2);
  g_autofree char *body_a3 = competition_session ("sc-a3", 1, "ada", TOPOUT_SESSION_STATUS_COMPLETED, "CUP", "r3", a3, 1);
  g_autofree char *body_a4 = competition_session ("sc-a4", 1, "ada", TOPOUT_SESSION_STATUS_CANCELLED, "LEAGUE", "r3", a4, 1);
  g_autofree char *body_b1 = competition_session ("sc-b1", 1, "bea", TOPOUT_SESSION_STATUS_COMPLETED, "LEAGUE", "r3", b1, 1);

  expect_one (TOKEN_A, body_a1, TOPOUT_WIRE_STATUS_CREATED, 1, NULL);
  expect_one (TOKEN_A, body_a2, TOPOUT_WIRE_STATUS_CREATED, 1, NULL);
  expect_one (TOKEN_A, body_a3, TOPOUT_WIRE_STATUS_CREATED, 1, NULL);
  expect_one (TOKEN_A, body_a4, TOPOUT_WIRE_STATUS_CREATED, 1, NULL);
  expect_one (TOKEN_A, body_b1, TOPOUT_WIRE_STATUS_CREATED, 1, NULL);
}

/* Pair, climber, climb: attempts, topped, attempts to top, first top. */
static const char scorecards_posted[] =
  "CUP r3 id:ada c-1 1 1 1 17:15\n"        /* the same id in another type: its own */
  "LEAGUE r3 id:ada c-1 7 1 3 17:20\n"     /* 2 + 1 + 4; topped at the second try */
  "LEAGUE r3 id:ada c-2 5 1 5 18:20\n"     /* the cancelled session's c-3 counts nowhere */
  "LEAGUE r3 id:bea c-1 5 1 5 17:05\n";

/* The server derives the scorecards of SPEC §2 from the routes it stores,
 * and rebuilds them when a session is replaced: cancelled, or another
 * climber's. */
static void
test_scorecards (void)
{
  static const Route a2[] = { { "c-1", TRUE, 4, "2026-11-21T18:10:00Z" },
                              { "c-2", TRUE, 2, "2026-11-21T18:20:00Z" } };
  static const Route b1[] = { { "c-1", TRUE, 5, "2026-11-21T17:05:00Z" } };
  g_autofree char *posted = NULL, *cancelled = NULL, *moved = NULL;
  g_autofree char *a2_cancelled = competition_session ("sc-a2", 2, "ada", TOPOUT_SESSION_STATUS_CANCELLED,
                                                       "LEAGUE", "r3", a2, 2);
  g_autofree char *b1_ada = competition_session ("sc-b1", 2, "ada", TOPOUT_SESSION_STATUS_COMPLETED,
                                                 "LEAGUE", "r3", b1, 1);

  post_competition_sessions ();
  posted = scorecards_text ();
  g_assert_cmpstr (posted, ==, scorecards_posted);

  expect_one (TOKEN_A, a2_cancelled, TOPOUT_WIRE_STATUS_UPDATED, 2, NULL);
  cancelled = scorecards_text ();
  g_assert_cmpstr (cancelled, ==,
                   "CUP r3 id:ada c-1 1 1 1 17:15\n"
                   "LEAGUE r3 id:ada c-1 3 1 3 17:20\n"
                   "LEAGUE r3 id:ada c-2 3 0 - -\n"
                   "LEAGUE r3 id:bea c-1 5 1 5 17:05\n");

  /* Bea's session was Ada's: hers goes, Ada topped c-1 first at 17:05. */
  expect_one (TOKEN_A, b1_ada, TOPOUT_WIRE_STATUS_UPDATED, 2, NULL);
  moved = scorecards_text ();
  g_assert_cmpstr (moved, ==,
                   "CUP r3 id:ada c-1 1 1 1 17:15\n"
                   "LEAGUE r3 id:ada c-1 8 1 5 17:05\n"
                   "LEAGUE r3 id:ada c-2 3 0 - -\n");

  /* A pair with a control character in it is a pair like any other (the
   * server's set of pairs once split it there, and scored nothing). */
  {
    static const Route c1[] = { { "c-1", TRUE, 2, "2026-11-21T17:50:00Z" } };
    g_autofree char *odd = competition_session ("sc-odd", 1, "cy", TOPOUT_SESSION_STATUS_COMPLETED,
                                                "A\x1f" "B", "r3", c1, 1);
    sqlite3 *db;
    sqlite3_stmt *stmt = NULL;

    expect_one (TOKEN_A, odd, TOPOUT_WIRE_STATUS_CREATED, 1, NULL);
    db = open_server_db ();
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count (*) FROM scorecards WHERE competition_type = 'A' || char (31) || 'B'"
                                             " AND person = 'id:cy' AND topped = 1",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
}

/* The member code identifies a person across devices (SPEC §2): two kiosks,
 * each with its own climber id for the same member, make one person's
 * scorecard; a code corrected or taken away moves the rows of that
 * climber's stored sessions, other competitions included. */
static void
test_scorecards_by_member_code (void)
{
  static const Route k1[] = { { "c-1", FALSE, 2, "2026-11-21T17:10:00Z" } };
  static const Route k2[] = { { "c-1", TRUE, 1, "2026-11-21T17:20:00Z" } };
  static const Route k3[] = { { "c-2", TRUE, 3, "2026-11-21T17:30:00Z" } };
  g_autofree char *one = NULL, *corrected = NULL, *dropped = NULL;
  g_autofree char *body_k1 = coded_competition_session ("mc-k1", 1, "kiosk1-ada", "M-0042",
                                                        TOPOUT_SESSION_STATUS_COMPLETED, "LEAGUE", "r5", k1, 1);
  g_autofree char *body_k3 = coded_competition_session ("mc-k3", 1, "kiosk1-ada", "M-0042",
                                                        TOPOUT_SESSION_STATUS_COMPLETED, "CUP", "r5", k3, 1);
  g_autofree char *body_k2 = coded_competition_session ("mc-k2", 1, "kiosk2-ada", "m-0042",
                                                        TOPOUT_SESSION_STATUS_COMPLETED, "LEAGUE", "r5", k2, 1);
  g_autofree char *body_k2_fixed = coded_competition_session ("mc-k2", 2, "kiosk2-ada", "M-0043",
                                                              TOPOUT_SESSION_STATUS_COMPLETED, "LEAGUE", "r5", k2, 1);
  g_autofree char *body_k4_nocode = coded_competition_session ("mc-k4", 1, "kiosk1-ada", NULL,
                                                               TOPOUT_SESSION_STATUS_COMPLETED, "LEAGUE", "r9", NULL, 0);

  stop_server ();
  start_server_on ("member-code-server.db", FALSE);
  expect_one (TOKEN_A, body_k1, TOPOUT_WIRE_STATUS_CREATED, 1, NULL);
  expect_one (TOKEN_A, body_k3, TOPOUT_WIRE_STATUS_CREATED, 1, NULL);
  expect_one (TOKEN_B, body_k2, TOPOUT_WIRE_STATUS_CREATED, 1, NULL);
  one = scorecards_text ();
  g_assert_cmpstr (one, ==,
                   "CUP r5 code:M-0042 c-2 3 1 3 17:30\n"
                   "LEAGUE r5 code:M-0042 c-1 3 1 3 17:20\n");  /* 2 + 1, topped on the second kiosk */

  /* The second kiosk's climber was another member after all. */
  expect_one (TOKEN_B, body_k2_fixed, TOPOUT_WIRE_STATUS_UPDATED, 2, NULL);
  corrected = scorecards_text ();
  g_assert_cmpstr (corrected, ==,
                   "CUP r5 code:M-0042 c-2 3 1 3 17:30\n"
                   "LEAGUE r5 code:M-0042 c-1 2 0 - -\n"
                   "LEAGUE r5 code:M-0043 c-1 1 1 1 17:20\n");

  /* The first kiosk's climber loses the code, in a session of another
   * competition without routes: their stored rows follow. */
  expect_one (TOKEN_A, body_k4_nocode, TOPOUT_WIRE_STATUS_CREATED, 1, NULL);
  dropped = scorecards_text ();
  g_assert_cmpstr (dropped, ==,
                   "CUP r5 id:kiosk1-ada c-2 3 1 3 17:30\n"
                   "LEAGUE r5 code:M-0043 c-1 1 1 1 17:20\n"
                   "LEAGUE r5 id:kiosk1-ada c-1 2 0 - -\n");
  stop_server ();
  start_server ();
}

/* A database of the server before its schema had a version (its scorecards
 * one row per competition id and climber) is migrated when the server
 * opens it: the scorecards are rebuilt from the routes it holds. */
static void
test_scorecards_from_version_1 (void)
{
  g_autofree char *migrated = NULL;
  sqlite3 *db = NULL;

  stop_server ();
  start_server_on ("old-server.db", FALSE);
  post_competition_sessions ();
  stop_server ();

  /* Back to the first schema's shape, as the old server left its files. */
  db = open_server_db ();
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TABLE scorecards;"
                                 "DROP INDEX routes_competition;"
                                 "CREATE TABLE scorecards (competition_id TEXT NOT NULL, climber_id TEXT NOT NULL,"
                                 " n_routes INTEGER NOT NULL, n_tops INTEGER NOT NULL,"
                                 " n_attempts_to_top INTEGER NOT NULL, PRIMARY KEY (competition_id, climber_id));"
                                 "INSERT INTO scorecards VALUES ('r3', 'ada', 9, 5, 9);"
                                 "CREATE INDEX sessions_climber ON sessions (climber_id, competition_id);"
                                 "ALTER TABLE tokens DROP COLUMN reissued_as;"
                                 "PRAGMA user_version = 0;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  start_server_on ("old-server.db", FALSE);
  migrated = scorecards_text ();
  g_assert_cmpstr (migrated, ==, scorecards_posted);
  g_assert_cmpint (topout_test_query_int (server_db, "PRAGMA user_version"), ==, 4);
  g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM pragma_table_info ('tokens')"
                                                     " WHERE name = 'reissued_as'"), ==, 1);
  g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM sqlite_master"
                                                     " WHERE name = 'sessions_climber'"), ==, 0);
  /* Stored sessions are still the same ones. */
  {
    g_autofree char *again = competition_session ("sc-a3", 1, "ada", TOPOUT_SESSION_STATUS_COMPLETED, "CUP", "r3",
                                                  (const Route[]) { { "c-1", TRUE, 1, "2026-11-21T17:15:00Z" } }, 1);
    expect_one (TOKEN_A, again, TOPOUT_WIRE_STATUS_UNCHANGED, 1, NULL);
  }
  stop_server ();
  start_server ();
}

static gboolean
kill_server_cb (gpointer data)
{
  g_subprocess_force_exit (data);
  return G_SOURCE_CONTINUE;  /* removed by whoever added it */
}

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  char **err = data;
  g_autoptr (GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL, err, &error);
  g_assert_no_error (error);
  if (*err == NULL)
    *err = g_strdup ("");
}

/* All of @proc's stderr, once it has exited (the main loop runs meanwhile). */
static char *
communicate_stderr (GSubprocess *proc)
{
  char *err = NULL;

  g_subprocess_communicate_utf8_async (proc, NULL, NULL, communicated_cb, &err);
  while (err == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_wait (proc, NULL, NULL);
  return err;
}

/* What a server started with @argv (after the server's path; ends with
 * NULL) printed on stderr, after it exited @expected without serving. */
static char *
server_exiting (int                expected,
                const char *const *argv)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  char *err = NULL;

  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  guint timeout_id;

  g_ptr_array_add (args, (gpointer) server_path ());
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  g_subprocess_launcher_set_child_setup (launcher, topout_test_die_with_parent, NULL, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) args->pdata, &error);
  g_assert_no_error (error);
  /* One that serves instead is stopped after a while, failing the test
   * rather than hanging it. */
  timeout_id = g_timeout_add_seconds (10, kill_server_cb, proc);
  err = communicate_stderr (proc);
  g_source_remove (timeout_id);
  g_test_message ("%s", err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, expected);
  return err;
}

/* What a server started on @path printed on stderr, after it exited 1
 * without serving (a database it must not write into). */
static char *
server_refusing_to_start (const char *path)
{
  const char *const argv[] = { "--listen", "127.0.0.1:0", "--db", path, NULL };

  return server_exiting (1, argv);
}

/* A database of a newer topout-server is refused, and left as it was. */
static void
test_newer_schema_refused (void)
{
  g_autofree char *path = topout_test_path ("newer-server.db");
  g_autofree char *before = NULL, *after = NULL, *err = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE tokens (name TEXT PRIMARY KEY, hash TEXT);"
                                     "CREATE TABLE sessions (id TEXT PRIMARY KEY, later TEXT);"
                                     "INSERT INTO sessions VALUES ('srv-1', 'kept');"
                                     "PRAGMA user_version = 5;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = topout_test_dump_db (path);

  err = server_refusing_to_start (path);
  g_assert_nonnull (strstr (err, "newer topout-server (schema 5; this one knows 4)"));
  after = topout_test_dump_db (path);
  g_assert_cmpstr (after, ==, before);
}

/* --db naming the app's own database (it has a user_version, sessions and
 * climbers too), or a file that is no database at all: refused at start in
 * so many words, the file left as it was (the server listened and answered
 * every device 401, "no such table: tokens"). The token commands too. */
static void
test_foreign_database_refused (void)
{
  g_autofree char *app_path = NULL;
  g_autofree char *text_path = topout_test_path ("notes.txt");
  g_autofree char *before = NULL, *after = NULL, *err = NULL, *err2 = NULL, *out = NULL;
  int status;

  {
    g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", &app_path);
    g_autoptr (TopoutClimber) climber = topout_test_add_climber (store, "Ada", "M-0042");
  }
  before = topout_test_dump_db (app_path);
  err = server_refusing_to_start (app_path);
  g_assert_nonnull (strstr (err, "not a topout-server database"));
  out = run_cli (&status, "token", "add", "desk", "--db", app_path, NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (out, ==, "");
  after = topout_test_dump_db (app_path);
  g_assert_cmpstr (after, ==, before);

  g_assert_true (g_file_set_contents (text_path, "front desk notes\n", -1, NULL));
  err2 = server_refusing_to_start (text_path);
  g_assert_nonnull (strstr (err2, "is not an SQLite database"));
  g_assert_nonnull (strstr (err2, text_path));
}

/* A damaged database is refused at start, in so many words (the server
 * listened and answered every item "error", retried for ever). */
static void
test_damaged_database_refused (void)
{
  g_autofree char *path = topout_test_path ("damaged-server.db");
  g_autofree char *err = NULL;
  g_autofree char *garbage = g_malloc (3 * 4096);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;
  FILE *f;

  /* A file of the server's schema, many pages long. */
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                           server_path (), "token", "add", "desk", "--db", path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&proc);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = DELETE;"
                                     "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                                     " INSERT INTO climbers (id, member_code, display_name, updated_at)"
                                     " SELECT 'climber-' || i, 'M-' || i, 'Climber number ' || i, 0 FROM n;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* Three pages in the middle overwritten. */
  memset (garbage, 0xa5, 3 * 4096);
  f = fopen (path, "r+b");
  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, 10 * 4096, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (garbage, 1, 3 * 4096, f), ==, 3 * 4096);
  fclose (f);

  err = server_refusing_to_start (path);
  g_assert_nonnull (strstr (err, "is damaged"));
  g_assert_nonnull (strstr (err, "Restore it from a backup"));
}

/* The climber row of the sessions' climber: written the first time, and
 * again (with its time) only when the name or member code changed. */
static char *
climber_row (void)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *row;

  db = open_server_db ();
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT display_name, member_code, updated_at FROM climbers"
                                           " WHERE id = 'climber-row'", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  row = g_strdup_printf ("%s %s %" G_GINT64_FORMAT, sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1),
                         (gint64) sqlite3_column_int64 (stmt, 2));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return row;
}

static char *
climber_session (const char *client_id,
                 const char *display_name)
{
  g_autoptr (TopoutSession) s = new_session (client_id, 1, "climber-row");
  g_autoptr (TopoutClimber) c = topout_climber_new ();

  topout_climber_set_id (c, "climber-row");
  topout_climber_set_display_name (c, display_name);
  topout_climber_set_member_code (c, "M-0077");
  return request_body (topout_sync_encode_session (s, c, "kiosk-1"), NULL);
}

static void
test_climber_rows (void)
{
  g_autofree char *first = climber_session ("climber-row-1", "Ada L.");
  g_autofree char *same = climber_session ("climber-row-2", "Ada L.");
  g_autofree char *renamed = climber_session ("climber-row-3", "Ada Lovelace");
  g_autofree char *row1 = NULL, *row2 = NULL, *row3 = NULL;

  expect_one (TOKEN_A, first, TOPOUT_WIRE_STATUS_CREATED, 1, NULL);
  row1 = climber_row ();
  g_assert_true (g_str_has_prefix (row1, "Ada L. M-0077 "));
  g_usleep (2000);
  expect_one (TOKEN_A, same, TOPOUT_WIRE_STATUS_CREATED, 1, NULL);
  row2 = climber_row ();
  g_assert_cmpstr (row2, ==, row1);
  expect_one (TOKEN_A, renamed, TOPOUT_WIRE_STATUS_CREATED, 1, NULL);
  row3 = climber_row ();
  g_assert_true (g_str_has_prefix (row3, "Ada Lovelace M-0077 "));
  g_assert_cmpint (g_ascii_strtoll (strrchr (row3, ' ') + 1, NULL, 10), >,
                   g_ascii_strtoll (strrchr (row1, ' ') + 1, NULL, 10));
}

static void
test_lifecycle (void)
{
  g_autofree char *id = NULL;
  g_autofree char *r3 = one_session ("life-1", 3, "first");
  g_autofree char *r4 = one_session ("life-1", 4, "second");
  g_autofree char *r2 = one_session ("life-1", 2, "old");
  g_autofree char *r4_other = one_session ("life-1", 4, "other content");

  expect_one (TOKEN_A, r3, TOPOUT_WIRE_STATUS_CREATED, 3, &id);
  g_assert_true (g_str_has_prefix (id, "srv-"));
  expect_one (TOKEN_A, r3, TOPOUT_WIRE_STATUS_UNCHANGED, 3, &id);     /* a retry */
  expect_one (TOKEN_A, r4, TOPOUT_WIRE_STATUS_UPDATED, 4, &id);       /* higher revision */
  expect_one (TOKEN_A, r4, TOPOUT_WIRE_STATUS_UNCHANGED, 4, &id);
  expect_one (TOKEN_A, r2, TOPOUT_WIRE_STATUS_CONFLICT, 4, &id);      /* lower revision */
  expect_one (TOKEN_A, r3, TOPOUT_WIRE_STATUS_CONFLICT, 4, &id);
  expect_one (TOKEN_A, r4_other, TOPOUT_WIRE_STATUS_CONFLICT, 4, &id);/* same revision, other content */
}

/* A server's column of one row, as an integer. */
static gint64
server_int (const char *sql,
            const char *arg)
{
  sqlite3 *db = open_server_db ();
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* @session with its times written otherwise (NULL: as they are). */
static char *
with_times (const char *client_id,
            const char *start,
            const char *end,
            const char *logged)
{
  JsonNode *node = session_node (client_id, 1, "");
  JsonObject *o = json_node_get_object (node);
  JsonObject *route = json_array_get_object_element (json_object_get_array_member (o, "routes"), 0);

  if (start != NULL)
    json_object_set_string_member (o, "startTime", start);
  if (end != NULL)
    json_object_set_string_member (o, "endTime", end);
  if (logged != NULL)
    json_object_set_string_member (route, "loggedAt", logged);
  return request_body (node, NULL);
}

/* Times are RFC 3339: any numeric offset, a fraction, a lower-case 't' or
 * 'z' are the same instants as the UTC the client sends (stored as such,
 * and a retry in another form is unchanged); an offset of 24 hours is none. */
static void
test_rfc3339_offsets (void)
{
  g_autofree char *id = NULL;
  g_autofree char *utc = with_times ("times-1", NULL, NULL, NULL);
  g_autofree char *offsets = with_times ("times-1", "2026-11-21T18:02:11+01:00", "2026-11-21T13:40:00.25-05:00",
                                         "2026-11-21t17:20:05z");
  g_autofree char *other = with_times ("times-2", "2026-11-22T03:32:11+10:30", "2026-11-21T18:40:00z",
                                       "2026-11-21T17:20:05.999Z");
  g_autofree char *day = with_times ("times-3", NULL, "2026-11-22T18:40:00+24:00", NULL);
  g_autofree char *minutes = with_times ("times-4", NULL, NULL, "2026-11-21T17:20:05+00:60");
  g_auto (Answer) a = { 0 };
  g_autoptr (GPtrArray) results = NULL;

  expect_one (TOKEN_A, offsets, TOPOUT_WIRE_STATUS_CREATED, 1, &id);
  expect_one (TOKEN_A, utc, TOPOUT_WIRE_STATUS_UNCHANGED, 1, &id);
  results = post_bulk (&a, TOKEN_A, other, 1);
  g_assert_cmpint (result_at (results, 0)->status, ==, TOPOUT_WIRE_STATUS_CREATED);
  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *client_id = g_strdup_printf ("times-%u", i);

      g_assert_cmpint (server_int ("SELECT start_time FROM sessions WHERE client_id = ?1", client_id), ==,
                       topout_test_parse_time ("2026-11-21T17:02:11Z"));
      g_assert_cmpint (server_int ("SELECT end_time / 1000000 FROM sessions WHERE client_id = ?1", client_id), ==,
                       topout_test_parse_time ("2026-11-21T18:40:00Z") / G_USEC_PER_SEC);
      g_assert_cmpint (server_int ("SELECT logged_at / 1000000 FROM routes JOIN sessions ON sessions.id = session_id"
                                   " WHERE sessions.client_id = ?1 AND position = 0", client_id), ==,
                       topout_test_parse_time ("2026-11-21T17:20:05Z") / G_USEC_PER_SEC);
    }

  expect_rejected (TOKEN_A, day, "invalid_type");
  expect_rejected (TOKEN_A, minutes, "invalid_type");
}

/* A database written before content hashes had the "c2:" form keeps
 * answering retries of the same revision as unchanged, and still tells
 * other content at that revision apart. */
static void
set_stored_hash (const char *client_id,
                 const char *hash)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  db = open_server_db ();
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE sessions SET content_hash = ?1 WHERE client_id = ?2",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, client_id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_older_content_hash (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = one_session ("old-hash-1", 2, "kept");
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *legacy = NULL;
  g_autofree char *other = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "{}", -1);
  TopoutWireItem *item;
  JsonObject *o;

  /* The older form: SHA-256 of the session's JSON without deviceId and revision. */
  items = topout_sync_decode_request (body, strlen (body), &error);
  g_assert_no_error (error);
  item = g_ptr_array_index (items, 0);
  node = topout_sync_encode_session (item->session, item->climber, NULL);
  o = json_node_get_object (node);
  json_object_remove_member (o, "deviceId");
  json_object_remove_member (o, "revision");
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  legacy = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  g_assert_true (topout_sync_content_hash_matches (item, legacy));
  g_assert_false (topout_sync_content_hash_matches (item, other));

  expect_one (TOKEN_A, body, TOPOUT_WIRE_STATUS_CREATED, 2, &id);
  set_stored_hash ("old-hash-1", legacy);
  expect_one (TOKEN_A, body, TOPOUT_WIRE_STATUS_UNCHANGED, 2, &id);
  set_stored_hash ("old-hash-1", other);
  expect_one (TOKEN_A, body, TOPOUT_WIRE_STATUS_CONFLICT, 2, &id);
}

static void
test_foreign_client_id (void)
{
  g_autofree char *body = one_session ("owned-by-a", 1, "");
  g_autofree char *id = NULL;
  g_auto (Answer) a = { 0 };
  g_autoptr (GPtrArray) results = NULL;

  expect_one (TOKEN_A, body, TOPOUT_WIRE_STATUS_CREATED, 1, &id);
  post (&a, "/sessions/sync/bulk", TOKEN_B, body);
  results = results_of (&a);
  g_assert_cmpint (result_at (results, 0)->status, ==, TOPOUT_WIRE_STATUS_REJECTED);
  g_assert_cmpstr (result_at (results, 0)->error_code, ==, "foreign_client_id");
  g_assert_cmpstr (result_at (results, 0)->client_id, ==, "owned-by-a");
  g_assert_null (result_at (results, 0)->session_id);
  /* The owner still gets its own answers. */
  expect_one (TOKEN_A, body, TOPOUT_WIRE_STATUS_UNCHANGED, 1, &id);
}

static void
test_repeated_client_id (void)
{
  g_autofree char *body = request_body (session_node ("twice", 1, "a"), session_node ("twice", 2, "b"), NULL);
  g_auto (Answer) a = { 0 };
  g_autoptr (GPtrArray) results = NULL;

  results = post_bulk (&a, TOKEN_A, body, 2);
  g_assert_cmpint (result_at (results, 0)->status, ==, TOPOUT_WIRE_STATUS_CREATED);
  g_assert_cmpint (result_at (results, 1)->status, ==, TOPOUT_WIRE_STATUS_REJECTED);
  g_assert_cmpstr (result_at (results, 1)->client_id, ==, "twice");

  /* A first copy refused for its content: the second is refused too, and
   * nothing of that clientId is stored (the client counts the first). */
  {
    g_autofree char *b = request_body (session_node ("twice-bad", 1, "a"), session_node ("twice-bad", 1, "b"), NULL);
    g_autofree char *bad = topout_test_replace_once (b, "\"attempts\":1", "\"attempts\":0");
    g_auto (Answer) c = { 0 };
    g_autoptr (GPtrArray) r = NULL;

    r = post_bulk (&c, TOKEN_A, bad, 2);
    g_assert_cmpint (result_at (r, 0)->status, ==, TOPOUT_WIRE_STATUS_REJECTED);
    g_assert_cmpstr (result_at (r, 0)->error_code, ==, "invalid_attempts");
    g_assert_cmpint (result_at (r, 1)->status, ==, TOPOUT_WIRE_STATUS_REJECTED);
    g_assert_cmpstr (result_at (r, 1)->error_code, ==, "invalid_shape");
    g_assert_cmpstr (result_at (r, 1)->client_id, ==, "twice-bad");
    g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM sessions WHERE client_id = 'twice-bad'"), ==, 0);
  }
}

/* Valid JSON that json-glib would read other than written: a revision
 * below -2^63 (read as 2^63 - 1) and notes with an escaped NUL (read as
 * "beta"). Those sessions are rejected, nothing of them stored; the session
 * between them is stored. */
static void
test_misread_values (void)
{
  g_autofree char *body = request_body (session_node ("misread-big", 1, "BIG-REVISION"),
                                        session_node ("misread-fine", 1, "fine"),
                                        session_node ("misread-nul", 1, "NUL-NOTES"),
                                        session_node ("misread-half", 1, "HALF-NOTES"),
                                        session_node ("misread-half-key", 1, "HALF-KEY"), NULL);
  g_autofree char *b1 = topout_test_replace_once (body, "\"BIG-REVISION\",\"revision\":1", "\"BIG-REVISION\",\"revision\":-9223372036854775809");
  g_autofree char *b2 = topout_test_replace_once (b1, "\"NUL-NOTES\"", "\"beta\\u0000secret\"");
  /* Half a surrogate pair: json-glib would store "Blue" and bytes that are
   * not UTF-8, without the " arete" (the space is eaten). In a key of its
   * own, json-glib cannot read the session at all. */
  g_autofree char *b3 = topout_test_replace_once (b2, "\"HALF-NOTES\"", "\"Blue\\ud800 arete\"");
  g_autofree char *b4 = topout_test_replace_once (b3, "\"notes\":\"HALF-KEY\"", "\"notes\":\"\",\"x\\udc00\":\"HALF-KEY\"");
  g_auto (Answer) a = { 0 };
  g_autoptr (GPtrArray) results = NULL;
  sqlite3 *db;

  results = post_bulk (&a, TOKEN_A, b4, 5);
  g_assert_cmpstr (result_at (results, 0)->client_id, ==, "misread-big");
  g_assert_cmpint (result_at (results, 0)->status, ==, TOPOUT_WIRE_STATUS_REJECTED);
  g_assert_cmpstr (result_at (results, 0)->error_code, ==, "invalid_json");
  g_assert_cmpint (result_at (results, 1)->status, ==, TOPOUT_WIRE_STATUS_CREATED);
  g_assert_cmpstr (result_at (results, 2)->client_id, ==, "misread-nul");
  g_assert_cmpint (result_at (results, 2)->status, ==, TOPOUT_WIRE_STATUS_REJECTED);
  g_assert_cmpstr (result_at (results, 2)->error_code, ==, "invalid_json");
  for (guint i = 3; i < 5; i++)
    {
      g_assert_cmpstr (result_at (results, i)->client_id, ==, i == 3 ? "misread-half" : "misread-half-key");
      g_assert_cmpint (result_at (results, i)->status, ==, TOPOUT_WIRE_STATUS_REJECTED);
      g_assert_cmpstr (result_at (results, i)->error_code, ==, "invalid_json");
    }

  db = open_server_db ();
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT group_concat (client_id) FROM sessions WHERE client_id LIKE 'misread-%'",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "misread-fine");
    sqlite3_finalize (stmt);
  }
  sqlite3_close (db);

  /* An escaped NUL in a clientId: that session is refused under the id
   * as far as it can be written (U+FFFD for the NUL), and a session whose
   * clientId is the text before the NUL is not taken for a repeat of it. */
  {
    g_autofree char *two = request_body (session_node ("nul-CUT", 1, ""), session_node ("nul", 1, ""), NULL);
    g_autofree char *cut = topout_test_replace_once (two, "\"nul-CUT\"", "\"nul\\u0000x\"");
    g_auto (Answer) c = { 0 };
    g_autoptr (GPtrArray) nul_results = post_bulk (&c, TOKEN_A, cut, 2);

    g_assert_cmpstr (result_at (nul_results, 0)->client_id, ==, "nul\xef\xbf\xbdx");
    g_assert_cmpint (result_at (nul_results, 0)->status, ==, TOPOUT_WIRE_STATUS_REJECTED);
    g_assert_cmpstr (result_at (nul_results, 0)->error_code, ==, "invalid_json");
    g_assert_cmpstr (result_at (nul_results, 1)->client_id, ==, "nul");
    g_assert_cmpint (result_at (nul_results, 1)->status, ==, TOPOUT_WIRE_STATUS_CREATED);
  }

  /* The offline endpoint: the same session alone is a 422, invalid_json. */
  {
    g_autofree char *alone = request_body (session_node ("misread-offline", 1, "NUL-NOTES"), NULL);
    g_autofree char *with_nul = topout_test_replace_once (alone, "\"NUL-NOTES\"", "\"beta\\u0000secret\"");
    const char *start = strchr (with_nul, '[') + 1;
    g_autofree char *session = g_strndup (start, strrchr (with_nul, ']') - start);
    g_auto (Answer) b = { 0 };

    post (&b, "/sessions/offline", TOKEN_A, session);
    g_assert_cmpuint (b.status, ==, 422);
    g_assert_cmpstr (error_code_of (b.body), ==, "invalid_json");
  }
}

/* A big request is decoded by two threads at once and written in request
 * order: every result is in its place, with its own clientId; a clientId
 * repeated anywhere (even one decoded by the other thread) is rejected the
 * second time, also when the first was invalid. */
static void
test_big_mixed_request (void)
{
  const guint n = 300;
  g_autoptr (GPtrArray) nodes = g_ptr_array_new ();
  g_autofree char *body = NULL;
  g_auto (Answer) a = { 0 };
  g_autoptr (GPtrArray) results = NULL;
  guint n_created = 0;
  g_autofree char *last_id = NULL;

  /* i % 7 == 3: invalid (attempts 0); i % 11 == 5: the clientId of item i - 5
   * again. Everything else: a session of its own. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("big-%u", i % 11 == 5 ? i - 5 : i);
      JsonNode *node = session_node (id, 1, "");

      if (i % 7 == 3)
        json_object_set_int_member (json_array_get_object_element (json_object_get_array_member (json_node_get_object (node), "routes"), 0),
                                    "attempts", 0);
      g_ptr_array_add (nodes, node);
    }
  body = request_body_of (nodes);

  results = post_bulk (&a, TOKEN_A, body, n);
  for (guint i = 0; i < n; i++)
    {
      TopoutWireResult *r = result_at (results, i);
      g_autofree char *id = g_strdup_printf ("big-%u", i % 11 == 5 ? i - 5 : i);
      gboolean invalid = i % 7 == 3;
      gboolean repeat = i % 11 == 5;  /* its twin came first, stored or refused */

      g_assert_cmpstr (r->client_id, ==, id);
      if (invalid)
        {
          g_assert_cmpint (r->status, ==, TOPOUT_WIRE_STATUS_REJECTED);
          g_assert_cmpstr (r->error_code, ==, "invalid_attempts");
        }
      else if (repeat)
        {
          g_assert_cmpint (r->status, ==, TOPOUT_WIRE_STATUS_REJECTED);
          g_assert_cmpstr (r->error_code, ==, "invalid_shape");
        }
      else
        {
          g_assert_cmpint (r->status, ==, TOPOUT_WIRE_STATUS_CREATED);
          g_assert_nonnull (r->session_id);
          /* "srv-", the time in hex, "-", a UUID: in the order made (ids
           * of the same microsecond tell apart by their UUID only). */
          g_assert_true (g_str_has_prefix (r->session_id, "srv-"));
          g_assert_cmpuint (strlen (r->session_id), ==, 4 + 13 + 1 + 36);
          g_assert_true (g_uuid_string_is_valid (r->session_id + 4 + 13 + 1));
          if (last_id != NULL)
            g_assert_cmpint (strncmp (last_id, r->session_id, 4 + 13), <=, 0);
          g_free (last_id);
          last_id = g_strdup (r->session_id);
          n_created++;
        }
    }
  g_assert_cmpuint (n_created, >, 200);
  g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM sessions WHERE client_id LIKE 'big-%'"), ==, n_created);
}

/* The nice value and the name of one thread of the server (Linux). */
static gboolean
read_thread (const char *pid,
             const char *tid,
             int        *nice,
             char      **comm)
{
  g_autofree char *stat_path = g_build_filename ("/proc", pid, "task", tid, "stat", NULL);
  g_autofree char *comm_path = g_build_filename ("/proc", pid, "task", tid, "comm", NULL);
  g_autofree char *stat = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (stat_path, &stat, NULL, NULL) ||
      !g_file_get_contents (comm_path, comm, NULL, NULL) ||
      (after = strrchr (stat, ')')) == NULL)
    return FALSE;
  g_strchomp (*comm);
  /* After "pid (comm) ": state is field 3, nice field 19. */
  fields = g_strsplit (after + 2, " ", -1);
  g_assert_cmpuint (g_strv_length (fields), >, 16);
  *nice = (int) g_ascii_strtoll (fields[16], NULL, 10);
  return TRUE;
}

/* The writer, the one serial stage, runs at the server's own priority; the
 * threads that decoded a big request run 5 nice levels below it. */
static void
test_writer_first (void)
{
#ifdef __linux__
  const char *pid = g_subprocess_get_identifier (server);
  g_autofree char *task_dir = g_build_filename ("/proc", pid, "task", NULL);
  g_autoptr (GPtrArray) nodes = g_ptr_array_new ();
  g_autofree char *body = NULL;
  g_autofree char *main_comm = NULL;
  g_auto (Answer) a = { 0 };
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GDir) dir = NULL;
  const char *tid;
  int main_nice = 0, writer_nice = G_MININT, n_lowered = 0;

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *id = g_strdup_printf ("first-%u", i);

      g_ptr_array_add (nodes, session_node (id, 1, ""));
    }
  body = request_body_of (nodes);
  results = post_bulk (&a, TOKEN_A, body, 200);
  g_assert_cmpint (result_at (results, 199)->status, ==, TOPOUT_WIRE_STATUS_CREATED);

  g_assert_true (read_thread (pid, pid, &main_nice, &main_comm));
  dir = g_dir_open (task_dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm = NULL;
      int nice;

      if (!read_thread (pid, tid, &nice, &comm))
        continue;  /* a thread that just ended */
      if (g_str_equal (comm, "topout-writer"))
        writer_nice = nice;
      else if (nice == MIN (main_nice + 5, 19))
        n_lowered++;
    }
  g_assert_cmpint (writer_nice, ==, main_nice);
  g_assert_cmpint (n_lowered, >=, 1);
#else
  g_test_skip ("thread priorities are set on Linux only");
#endif
}

/* SIGTERM the moment the server has said where it listens: a clean stop
 * (exit status 0), every time. Restarts the server. */
static void
test_stop_at_once (void)
{
  stop_server ();
  for (guint i = 0; i < 30; i++)
    {
      start_server_on ("server-at-once.db", FALSE);
      stop_server ();  /* SIGTERM; exited, status 0 */
    }
  start_server ();
}

/* SIGTERM while big requests are being decoded and written: the server
 * stops cleanly (no pool is handed work after it has stopped, which
 * G_DEBUG=fatal-criticals turns into a crash) and every request it took is
 * whole or absent, never half written. Every request is answered: 200 when
 * it was stored, else 503 with Retry-After (the stored ones were closed
 * without an answer, so their devices counted a network failure and
 * backed off). Runs last: it restarts the server. */
static void
test_stop_while_writing (void)
{
  const guint n_requests = 4, n_each = 500;
  GSocketConnection *conns[4];
  gint64 stored;

  stop_server ();
  start_server_on ("server-stop.db", TRUE);
  for (guint r = 0; r < n_requests; r++)
    {
      g_autoptr (GPtrArray) nodes = g_ptr_array_new ();
      g_autofree char *body = NULL;
      g_autofree char *req = NULL;

      for (guint i = 0; i < n_each; i++)
        {
          g_autofree char *id = g_strdup_printf ("stop-%u-%u", r, i);
          g_ptr_array_add (nodes, session_node (id, 1, ""));
        }
      body = request_body_of (nodes);
      req = g_strdup_printf ("POST /sessions/sync/bulk HTTP/1.1\r\nHost: x\r\n"
                             "Authorization: Bearer " TOKEN_A "\r\nConnection: close\r\n"
                             "Content-Type: application/json\r\nContent-Length: %" G_GSIZE_FORMAT
                             "\r\n\r\n%s", strlen (body), body);
      conns[r] = raw_connect ();
      g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conns[r])),
                                                req, strlen (req), NULL, NULL, NULL));
    }
  g_usleep (20 * 1000);

  stop_server ();  /* SIGTERM; exited, status 0 */

  stored = topout_test_query_int (server_db, "SELECT count (*) FROM sessions");
  g_test_message ("%" G_GINT64_FORMAT " sessions stored before the stop", stored);
  g_assert_cmpint (stored % n_each, ==, 0);
  for (guint r = 0; r < n_requests; r++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM sessions WHERE client_id LIKE 'stop-%u-%%'", r);
      g_autofree char *reply = read_reply (conns[r]);
      gint64 n = topout_test_query_int (server_db, sql);

      if (n == n_each)
        {
          g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 200"));
          g_assert_null (strstr (reply, "\"error\""));
        }
      else
        {
          g_assert_cmpint (n, ==, 0);
          g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 503"));
          g_assert_nonnull (strstr (reply, "Retry-After: "));
        }
      g_object_unref (conns[r]);
    }
  start_server ();
}

/* How many requests the server has begun to read (its /__stats, given
 * --stats), less @asked earlier requests for /__stats. Each asks on a
 * connection of its own that it closes ("Connection: close"): a kept-alive
 * one would begin another request. */
static gint64
requests_begun (guint asked)
{
  const char *get = "GET /__stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  g_autofree char *reply = raw_exchange (get, strlen (get));
  const char *body = strstr (reply, "\r\n\r\n");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 200"));
  g_assert_nonnull (body);
  json_parser_load_from_data (parser, body + 4, -1, &error);
  g_assert_no_error (error);
  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "requests") - asked;
}

/* After SIGTERM the server waits for a request still on its way in; while
 * it does, /healthz says 503 (a load balancer sends no more) and that
 * request, once whole, gets 503 with Retry-After, nothing stored. Restarts
 * the server. */
static void
test_stop_answers_late_requests (void)
{
  g_autofree char *body = one_session ("late-1", 1, "");
  g_autofree char *head = g_strdup_printf ("POST /sessions/sync/bulk HTTP/1.1\r\nHost: x\r\n"
                                           "Authorization: Bearer " TOKEN_A "\r\n"
                                           "Content-Type: application/json\r\nContent-Length: %" G_GSIZE_FORMAT
                                           "\r\n\r\n", strlen (body));
  g_autoptr (GSocketConnection) late = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *health = NULL, *reply = NULL;
  const char *get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const char *const stats[] = { "--stats", NULL };
  /* Guards against a hang, not speeds asked for. */
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  stop_server ();
  start_server_full ("server-late.db", TRUE, stats, topout_test_die_with_parent);
  late = raw_connect ();
  send_text (late, head);
  /* The server has begun that request before the signal (a stop waits for
   * the requests it knows of): its /__stats counts it. */
  for (guint asked = 0; requests_begun (asked) == 0; asked++)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 100);
    }
  g_subprocess_send_signal (server, SIGTERM);

  /* Until the server has taken the signal, /healthz answers as a running
   * one does (ok, or busy); from then on "stopping", while it waits. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  for (health = raw_exchange (get, strlen (get));
       g_str_has_prefix (health, "HTTP/1.1 200") ||
       (g_str_has_prefix (health, "HTTP/1.1 503") && !g_str_has_suffix (health, "\r\n\r\nstopping\n"));
       health = raw_exchange (get, strlen (get)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_free (health);
      g_usleep (G_USEC_PER_SEC / 100);
    }
  g_assert_true (g_str_has_prefix (health, "HTTP/1.1 503"));
  g_assert_true (g_str_has_suffix (health, "\r\n\r\nstopping\n"));
  send_text (late, body);
  reply = read_reply (late);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 503"));
  g_assert_nonnull (strstr (reply, "Retry-After: 1\r\n"));

  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
  g_clear_object (&server);
  g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM sessions"), ==, 0);
  start_server ();
}

static char *
offline_session_id (Answer *a, const char **status)
{
  g_autoptr (JsonParser) p = json_parser_new ();
  JsonObject *o;
  static char st[32];

  g_assert_no_error (a->error);
  g_assert_true (json_parser_load_from_data (p, g_bytes_get_data (a->body, NULL), (gssize) g_bytes_get_size (a->body), NULL));
  o = json_node_get_object (json_parser_get_root (p));
  g_strlcpy (st, json_object_get_string_member_with_default (o, "status", ""), sizeof st);
  if (status)
    *status = st;
  return g_strdup (json_object_get_string_member (o, "sessionId"));
}

static void
test_offline (void)
{
  const char *bare = "{\"startTime\": \"2026-11-21T17:02:11Z\", \"endTime\": \"2026-11-21T18:00:00Z\","
                     " \"notes\": \"seed\", \"routes\": [{\"climbId\": \"c1\", \"isSuccess\": true, \"attempts\": 3}]}";
  const char *bad_bare = "{\"startTime\": \"2026-11-21T17:02:11Z\", \"endTime\": \"2026-11-21T18:00:00Z\","
                         " \"routes\": [{\"climbId\": \"c1\", \"isSuccess\": true, \"attempts\": 0}]}";
  g_autoptr (JsonNode) node = session_node ("offline-1", 1, "");
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autofree char *full = NULL;
  g_auto (Answer) a1 = { 0 }, a2 = { 0 }, a3 = { 0 }, a4 = { 0 }, a5 = { 0 };
  g_autofree char *id1 = NULL, *id2 = NULL, *id3 = NULL, *id4 = NULL;
  const char *status;

  post (&a1, "/sessions/offline", TOKEN_A, bare);
  post (&a2, "/sessions/offline", TOKEN_A, bare);
  g_assert_cmpuint (a1.status, ==, 200);
  g_assert_cmpuint (a2.status, ==, 200);
  id1 = offline_session_id (&a1, NULL);
  id2 = offline_session_id (&a2, NULL);
  g_assert_nonnull (id1);
  g_assert_cmpstr (id1, !=, id2);     /* the bare shape creates each time */
  /* Its automatic name is made of the type's label and its date (not "FUN"). */
  {
    sqlite3 *db = open_server_db ();
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name = 'Fun · ' || session_date FROM sessions WHERE id = ?1",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, id1, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  json_generator_set_root (gen, node);
  full = json_generator_to_data (gen, NULL);
  post (&a3, "/sessions/offline", TOKEN_A, full);
  post (&a4, "/sessions/offline", TOKEN_A, full);
  g_assert_cmpuint (a3.status, ==, 200);
  g_assert_cmpuint (a4.status, ==, 200);
  id3 = offline_session_id (&a3, &status);
  g_assert_cmpstr (status, ==, "created");
  id4 = offline_session_id (&a4, &status);
  g_assert_cmpstr (status, ==, "unchanged");
  g_assert_cmpstr (id3, ==, id4);     /* with a clientId it is idempotent */

  post (&a5, "/sessions/offline", TOKEN_A, bad_bare);
  g_assert_cmpuint (a5.status, ==, 422);
  g_assert_cmpstr (error_code_of (a5.body), ==, "invalid_attempts");
}

static void
set_fault (const char *mode, int count, int retry_after)
{
  g_autofree char *body = g_strdup_printf ("{\"mode\": \"%s\", \"count\": %d, \"retryAfter\": %d}",
                                           mode, count, retry_after);
  g_auto (Answer) a = { 0 };

  post (&a, "/__test/faults", NULL, body);
  g_assert_no_error (a.error);
  g_assert_cmpuint (a.status, ==, 200);
}

static void
test_faults (void)
{
  static const struct { const char *mode; guint status; gboolean retry_after; } http_modes[] = {
    { "500", 500, FALSE }, { "503", 503, TRUE }, { "429", 429, TRUE },
  };
  g_autofree char *body = one_session ("fault-1", 1, "");
  g_autofree char *id = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (http_modes); i++)
    {
      set_fault (http_modes[i].mode, 2, 2);
      for (int n = 0; n < 2; n++)
        {
          g_auto (Answer) a = { 0 };

          post (&a, "/sessions/sync/bulk", TOKEN_A, body);
          g_assert_no_error (a.error);
          g_assert_cmpuint (a.status, ==, http_modes[i].status);
          if (http_modes[i].retry_after)
            g_assert_cmpstr (a.retry_after, ==, "2");
        }
    }

  /* Garbage: a 200 whose body is no result list. */
  set_fault ("garbage", 1, 0);
  {
    g_auto (Answer) a = { 0 };
    g_autoptr (GError) error = NULL;

    post (&a, "/sessions/sync/bulk", TOKEN_A, body);
    g_assert_cmpuint (a.status, ==, 200);
    g_assert_null (topout_sync_decode_results (g_bytes_get_data (a.body, NULL), g_bytes_get_size (a.body), &error));
    g_assert_error (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_INVALID_JSON);
  }

  /* Drop: the connection closes with no answer. */
  set_fault ("drop", 1, 0);
  {
    g_auto (Answer) a = { 0 };

    post (&a, "/sessions/sync/bulk", TOKEN_A, body);
    g_assert_nonnull (a.error);
  }

  /* Hang: no answer until the client gives up. */
  set_fault ("hang", 1, 0);
  {
    g_auto (Answer) a = { 0 };
    gint64 start = g_get_monotonic_time ();

    soup_session_set_timeout (http, 2);
    post (&a, "/sessions/sync/bulk", TOKEN_A, body);
    soup_session_set_timeout (http, 30);
    g_assert_error (a.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  }

  /* Faults used up: the session arrives exactly once. */
  expect_one (TOKEN_A, body, TOPOUT_WIRE_STATUS_CREATED, 1, &id);
  expect_one (TOKEN_A, body, TOPOUT_WIRE_STATUS_UNCHANGED, 1, &id);
}

static void
test_deep_nesting (void)
{
  gsize n = 100000;
  g_autofree char *deep = g_malloc (2 * n);
  g_auto (Answer) a = { 0 };

  memset (deep, '[', n);
  memset (deep + n, ']', n);
  request (&a, "POST", "/sessions/sync/bulk", TOKEN_A, deep, (gssize) (2 * n));
  g_assert_cmpuint (a.status, ==, 400);
  g_assert_cmpstr (error_code_of (a.body), ==, "invalid_json");
  assert_alive ();
}

static void
test_hostile_connections (void)
{
  const char *partial[] = {
    "",                                                       /* connect and leave */
    "POST /sessions/sync/bulk HTTP/1.1\r\nHost: x\r\n",       /* headers cut short */
    "POST /sessions/sync/bulk HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " TOKEN_A
    "\r\nContent-Length: 500\r\n\r\n{\"sessions\": [",          /* body cut short */
    "GARBAGE\r\n\r\n",
    "POST /sessions/sync/bulk HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
  };

  for (int i = 0; i < 200; i++)
    {
      g_autoptr (GSocketConnection) conn = raw_connect ();
      const char *data = partial[i % G_N_ELEMENTS (partial)];

      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), data, strlen (data),
                                 NULL, NULL, NULL);
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
    }
  /* Many short, complete connections too. */
  for (int i = 0; i < 100; i++)
    {
      const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      g_autofree char *reply = raw_exchange (req, strlen (req));
      g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 200"));
    }
  assert_alive ();
}

static void
test_concurrent_requests (void)
{
  /* Several connections in flight at once, each with its own session. */
  GSocketConnection *conns[16];

  for (guint i = 0; i < G_N_ELEMENTS (conns); i++)
    {
      g_autofree char *id = g_strdup_printf ("concurrent-%u", i % 4);  /* duplicates across connections */
      g_autofree char *body = one_session (id, 1, "");
      g_autofree char *req = g_strdup_printf ("POST /sessions/sync/bulk HTTP/1.1\r\nHost: x\r\n"
                                              "Authorization: Bearer " TOKEN_A "\r\nConnection: close\r\n"
                                              "Content-Type: application/json\r\nContent-Length: %" G_GSIZE_FORMAT
                                              "\r\n\r\n%s", strlen (body), body);
      conns[i] = raw_connect ();
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conns[i])), req, strlen (req),
                                 NULL, NULL, NULL);
    }
  {
    guint created = 0, unchanged = 0;

    for (guint i = 0; i < G_N_ELEMENTS (conns); i++)
      {
        g_autoptr (GString) reply = g_string_new (NULL);
        char buf[4096];
        gssize n;

        g_socket_set_timeout (g_socket_connection_get_socket (conns[i]), 10);
        while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conns[i])), buf, sizeof buf, NULL, NULL)) > 0)
          g_string_append_len (reply, buf, n);
        g_assert_true (g_str_has_prefix (reply->str, "HTTP/1.1 200"));
        created += strstr (reply->str, "\"created\"") != NULL;
        unchanged += strstr (reply->str, "\"unchanged\"") != NULL;
        g_object_unref (conns[i]);
      }
    g_assert_cmpuint (created, ==, 4);
    g_assert_cmpuint (unchanged, ==, G_N_ELEMENTS (conns) - 4);
  }
}

/* topout-server with @env (NAME=VALUE strings, NULL-terminated, set over the
 * test's own) and the arguments in @ap (NULL-terminated): its stdout, its
 * exit status in @status, its stderr in @err (NULL: dropped). */
static char *
run_cli_valist (const char *const *env,
                int               *status,
                char             **err,
                va_list            ap)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               (err != NULL ? G_SUBPROCESS_FLAGS_STDERR_PIPE : G_SUBPROCESS_FLAGS_STDERR_SILENCE));
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  char *out = NULL;

  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  g_ptr_array_add (argv, (gpointer) server_path ());
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, err, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (proc);
  return out;
}

static char *
run_cli (int *status, ...)
{
  char *out;
  va_list ap;

  va_start (ap, status);
  out = run_cli_valist (NULL, status, NULL, ap);
  va_end (ap);
  return out;
}

/* A device's token rotated (`token revoke NAME`, then `token add NAME`:
 * a leaked kiosk token replaced, or a lost kiosk's) is still that device:
 * the sessions it sent before are its own, so an edit of one is `updated`,
 * not refused as another token's; twice rotated too. A token of another
 * name still gets foreign_client_id, and so does the old one's name taken
 * by nobody's re-issue. */
static void
test_reissued_token_keeps_sessions (void)
{
  g_autofree char *first = NULL, *second = NULL, *third = NULL, *other = NULL, *id = NULL;
  g_autofree char *v1 = one_session ("rotated-1", 1, "");
  g_autofree char *v2 = one_session ("rotated-1", 2, "edited after the rotation");
  g_autofree char *v3 = one_session ("rotated-1", 3, "edited after the second rotation");
  g_autofree char *v4 = one_session ("rotated-1", 4, "sent by another desk");
  g_auto (Answer) a = { 0 };
  g_autoptr (GPtrArray) results = NULL;
  int status;

  first = run_cli (&status, "token", "add", "kiosk-rotated", "--db", server_db, NULL);
  g_assert_cmpint (status, ==, 0);
  g_strstrip (first);
  other = run_cli (&status, "token", "add", "kiosk-other", "--db", server_db, NULL);
  g_assert_cmpint (status, ==, 0);
  g_strstrip (other);
  expect_one (first, v1, TOPOUT_WIRE_STATUS_CREATED, 1, &id);

  g_free (run_cli (&status, "token", "revoke", "kiosk-rotated", "--db", server_db, NULL));
  g_assert_cmpint (status, ==, 0);
  second = run_cli (&status, "token", "add", "kiosk-rotated", "--db", server_db, NULL);
  g_assert_cmpint (status, ==, 0);
  g_strstrip (second);
  expect_one (second, v2, TOPOUT_WIRE_STATUS_UPDATED, 2, &id);

  g_free (run_cli (&status, "token", "revoke", "kiosk-rotated", "--db", server_db, NULL));
  third = run_cli (&status, "token", "add", "kiosk-rotated", "--db", server_db, NULL);
  g_assert_cmpint (status, ==, 0);
  g_strstrip (third);
  expect_one (third, v2, TOPOUT_WIRE_STATUS_UNCHANGED, 2, &id);
  expect_one (third, v3, TOPOUT_WIRE_STATUS_UPDATED, 3, &id);
  g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM sessions WHERE client_id = 'rotated-1'"),
                   ==, 1);

  post (&a, "/sessions/sync/bulk", other, v4);
  results = results_of (&a);
  g_assert_cmpint (result_at (results, 0)->status, ==, TOPOUT_WIRE_STATUS_REJECTED);
  g_assert_cmpstr (result_at (results, 0)->error_code, ==, "foreign_client_id");
  /* The revoked ones are refused as ever. */
  {
    g_auto (Answer) b = { 0 };

    post (&b, "/sessions/sync/bulk", first, v4);
    g_assert_cmpuint (b.status, ==, 401);
  }
}

static void
test_token_cli (void)
{
  g_autofree char *token = NULL, *list = NULL, *list2 = NULL, *again = NULL;
  g_autofree char *body = one_session ("cli-1", 1, "");
  g_auto (Answer) a = { 0 };
  g_auto (Answer) b = { 0 };
  int status;

  /* On the running server's own database: a new token works at once. */
  token = run_cli (&status, "token", "add", "front-desk", "--db", server_db, NULL);
  g_assert_cmpint (status, ==, 0);
  g_strstrip (token);
  g_assert_cmpuint (strlen (token), ==, 64);
  {
    g_autofree char *dup = run_cli (&status, "token", "add", "front-desk", "--db", server_db, NULL);
    g_assert_cmpint (status, !=, 0);
  }
  /* Names `list` could not print on one line, or nobody could type back
   * to revoke, are refused; nothing is added. */
  {
    int n_tokens = topout_test_query_int (server_db, "SELECT count (*) FROM tokens");
    const char *bad[] = { "", "   ", "kiosk\t1", "kiosk\n1",
                          "an-overly-long-token-name-that-goes-on-and-on-past-sixty-four-chars", "\xff" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *out = run_cli (&status, "token", "add", bad[i], "--db", server_db, NULL);

        g_assert_cmpint (status, ==, 1);
        g_assert_cmpstr (out, ==, "");
      }
    g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM tokens"), ==, n_tokens);
  }

  list = run_cli (&status, "token", "list", "--db", server_db, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (list, "front-desk\t"));
  g_assert_nonnull (strstr (list, "\tactive"));
  g_assert_null (strstr (list, token));   /* only hashes are stored */

  post (&a, "/sessions/sync/bulk", token, body);
  g_assert_cmpuint (a.status, ==, 200);

  again = run_cli (&status, "token", "revoke", "front-desk", "--db", server_db, NULL);
  g_assert_cmpint (status, ==, 0);
  list2 = run_cli (&status, "token", "list", "--db", server_db, NULL);
  g_assert_nonnull (strstr (list2, "\trevoked"));
  post (&b, "/sessions/sync/bulk", token, body);
  g_assert_cmpuint (b.status, ==, 401);
  {
    g_autofree char *out = run_cli (&status, "token", "revoke", "front-desk", "--db", server_db, NULL);
    g_assert_cmpint (status, ==, 1);
  }
  /* The name is free again for a new token (a lost kiosk's, re-issued):
   * the new one works, the revoked one still does not, and the list keeps
   * the revoked one under its name and when. */
  {
    g_autofree char *fresh = run_cli (&status, "token", "add", "front-desk", "--db", server_db, NULL);
    g_autofree char *list3 = NULL;

    g_assert_cmpint (status, ==, 0);
    g_strstrip (fresh);
    g_assert_cmpstr (fresh, !=, token);
    list3 = run_cli (&status, "token", "list", "--db", server_db, NULL);
    g_assert_nonnull (strstr (list3, "front-desk\t"));
    g_assert_nonnull (strstr (list3, "front-desk (revoked 20"));
    g_assert_nonnull (strstr (list3, "\tactive"));
    post (&b, "/sessions/sync/bulk", token, body);
    g_assert_cmpuint (b.status, ==, 401);
    post (&b, "/sessions/sync/bulk", fresh, body);
    g_assert_cmpuint (b.status, ==, 200);
  }
  /* A typo in --db lists nothing and makes no empty database; a limit of
   * 0 or less is refused, not quietly the default. */
  {
    g_autofree char *typo = topout_test_path ("no-such-server.db");
    g_autofree char *out = run_cli (&status, "token", "list", "--db", typo, NULL);

    g_assert_cmpint (status, ==, 1);
    g_assert_false (g_file_test (typo, G_FILE_TEST_EXISTS));
  }
  {
    g_autofree char *out = run_cli (&status, "--idle-timeout", "0", "--db", server_db, NULL);

    g_assert_cmpint (status, ==, 2);
  }
  {
    g_autofree char *out = run_cli (&status, "token", "frobnicate", "--db", server_db, NULL);
    g_assert_cmpint (status, ==, 2);
  }
}

/* topout-server run with @env (NULL-terminated "NAME=value" pairs, set
 * over the test's own), then the other arguments (NULL-terminated): its
 * stdout; its stderr in @err. */
static char *
run_cli_env (const char *const *env,
             int               *status,
             char             **err,
             ...)
{
  char *out;
  va_list ap;

  va_start (ap, err);
  out = run_cli_valist (env, status, err, ap);
  va_end (ap);
  return out;
}

/* Names with spaces and of any script are names like any other: listed
 * as given, one token a line of three fields apart by tabs (the name,
 * when it was made, its state: "active" or "revoked" and when), and
 * revoked by that name. An empty name or one of 10,000 characters is
 * refused with the rule for names; a revoke of a name nobody has says so
 * with the name cut short (it printed all 10,000 characters back). */
static void
test_token_names (void)
{
  g_autofree char *db = topout_test_path ("server-names.db");
  g_autofree char *huge = g_strnfill (10000, 'x');
  g_autofree char *list = NULL;
  g_auto (GStrv) lines = NULL;
  const char *names[] = { "front desk", "Kletterhalle Süd 🧗", "à l’accueil" };
  int status;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *token = run_cli (&status, "token", "add", names[i], "--db", db, NULL);

      g_assert_cmpint (status, ==, 0);
      g_assert_cmpuint (strlen (g_strstrip (token)), ==, 64);
    }
  {
    g_autofree char *err = NULL;
    g_autofree char *out = run_cli_env (NULL, &status, &err, "token", "revoke", "front desk", "--db", db, NULL);

    g_assert_cmpint (status, ==, 0);
    g_assert_cmpstr (out, ==, "");
    g_assert_cmpstr (err, ==, "");
  }

  list = run_cli (&status, "token", "list", "--db", db, NULL);
  g_assert_cmpint (status, ==, 0);
  g_test_message ("%s", list);
  g_assert_true (g_str_has_suffix (list, "\n"));
  lines = g_strsplit (list, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);  /* three, and nothing after the last break */
  for (guint i = 0; i < 3; i++)
    {
      g_auto (GStrv) fields = g_strsplit (lines[i], "\t", -1);
      g_autoptr (GDateTime) made = NULL;

      g_assert_cmpuint (g_strv_length (fields), ==, 3);
      made = g_date_time_new_from_iso8601 (fields[1], NULL);
      g_assert_nonnull (made);
      if (g_str_equal (fields[0], "front desk"))
        {
          g_autoptr (GDateTime) revoked = NULL;

          g_assert_true (g_str_has_prefix (fields[2], "revoked "));
          revoked = g_date_time_new_from_iso8601 (fields[2] + strlen ("revoked "), NULL);
          g_assert_nonnull (revoked);
          g_assert_cmpint (g_date_time_compare (revoked, made), >=, 0);
        }
      else
        {
          g_assert_true (g_str_equal (fields[0], names[1]) || g_str_equal (fields[0], names[2]));
          g_assert_cmpstr (fields[2], ==, "active");
        }
    }

  {
    const char *refused[] = { "", huge };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autofree char *err = NULL;
        g_autofree char *out = run_cli_env (NULL, &status, &err, "token", "add", refused[i], "--db", db, NULL);

        g_assert_cmpint (status, ==, 1);
        g_assert_cmpstr (out, ==, "");
        g_assert_nonnull (strstr (err, "a token name is 1 to 64 characters"));
      }
  }
  {
    g_autofree char *err = NULL;
    g_autofree char *out = run_cli_env (NULL, &status, &err, "token", "revoke", huge, "--db", db, NULL);
    g_autofree char *start = g_strnfill (64, 'x');
    g_autofree char *said = g_strdup_printf ("No active token named “%s…”", start);

    g_assert_cmpint (status, ==, 1);
    g_test_message ("%s", err);
    g_assert_nonnull (strstr (err, said));
    g_assert_cmpuint (strlen (err), <, 400);
  }
  {
    g_autofree char *err = NULL;
    g_autofree char *out = run_cli_env (NULL, &status, &err, "token", "revoke", "", "--db", db, NULL);

    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (err, "No active token named “”"));
  }
  g_assert_cmpint (topout_test_query_int (db, "SELECT count (*) FROM tokens"), ==, 3);
}

/* What the token commands say is in the operator's language: each
 * message of theirs comes from the catalogue (a catalogue of the test's
 * own, in German, with the server's messages marked), the states of
 * `token list` too, and so does the word on a --db that is another
 * program's database. */
static void
test_token_messages_translated (void)
{
  static const char po[] =
    "msgid \"\"\n"
    "msgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n"
    "\n"
    "msgid \"A token named “%s” exists already; choose another name, or revoke that token first\"\n"
    "msgstr \"[de] Token „%s“ gibt es schon\"\n"
    "\n"
    "msgid \"No active token named “%s” (topout-server token list shows them)\"\n"
    "msgstr \"[de] Kein aktives Token „%s“\"\n"
    "\n"
    "msgid \"active\"\n"
    "msgstr \"[de] aktiv\"\n"
    "\n"
    "msgid \"revoked %s\"\n"
    "msgstr \"[de] widerrufen %s\"\n"
    "\n"
    "msgid \"%s is an SQLite file of another program (the Topout app’s own database?), "
    "not a topout-server database. It was left untouched; give --db the server’s own file "
    "(a new path makes a new one)\"\n"
    "msgstr \"[de] %s ist die Datei eines anderen Programms\"\n";
  g_autofree char *dir = topout_test_path ("locale");
  g_autofree char *messages = g_build_filename (dir, "de", "LC_MESSAGES", NULL);
  g_autofree char *po_path = topout_test_path ("server-test-de.po");
  g_autofree char *mo_path = g_build_filename (messages, GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *db = topout_test_path ("server-translated.db");
  g_autofree char *localedir = g_strconcat ("TOPOUT_LOCALEDIR=", dir, NULL);
  g_autofree char *msgfmt = g_find_program_in_path ("msgfmt");
  const char *const env[] = { localedir, "LC_ALL=de_DE.UTF-8", "LANGUAGE=de", NULL };
  g_autofree char *token = NULL, *list = NULL;
  int status;

  if (msgfmt == NULL)
    {
      g_test_skip ("no msgfmt");
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (messages, 0700), ==, 0);
  g_assert_true (g_file_set_contents (po_path, po, -1, NULL));
  {
    const char *argv[] = { msgfmt, "-o", mo_path, po_path, NULL };
    g_autoptr (GError) error = NULL;
    int wait_status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                                 &wait_status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  }

  token = run_cli_env (env, &status, NULL, "token", "add", "front desk", "--db", db, NULL);
  g_assert_cmpint (status, ==, 0);
  {
    g_autofree char *err = NULL;
    g_autofree char *out = run_cli_env (env, &status, &err, "token", "add", "front desk", "--db", db, NULL);

    g_assert_cmpint (status, ==, 1);
    g_assert_cmpstr (err, ==, "topout-server: [de] Token „front desk“ gibt es schon\n");
  }
  {
    g_autofree char *err = NULL;
    g_autofree char *out = run_cli_env (env, &status, &err, "token", "revoke", "kiosk 9", "--db", db, NULL);

    g_assert_cmpint (status, ==, 1);
    g_assert_cmpstr (err, ==, "topout-server: [de] Kein aktives Token „kiosk 9“\n");
  }
  {
    g_autofree char *out = run_cli_env (env, &status, NULL, "token", "add", "kiosk 2", "--db", db, NULL);
    g_assert_cmpint (status, ==, 0);
    g_free (run_cli_env (env, &status, NULL, "token", "revoke", "kiosk 2", "--db", db, NULL));
    g_assert_cmpint (status, ==, 0);
  }
  list = run_cli_env (env, &status, NULL, "token", "list", "--db", db, NULL);
  g_assert_cmpint (status, ==, 0);
  g_test_message ("%s", list);
  g_assert_nonnull (strstr (list, "front desk\t"));
  g_assert_nonnull (strstr (list, "\t[de] aktiv\n"));
  g_assert_nonnull (strstr (list, "\t[de] widerrufen 20"));

  /* An app's database (a table of no server's). */
  {
    g_autofree char *app = topout_test_path ("not-a-server.db");
    g_autofree char *err = NULL;
    g_autofree char *said = NULL;
    g_autofree char *out = NULL;
    sqlite3 *other = NULL;

    g_assert_cmpint (sqlite3_open (app, &other), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (other, "CREATE TABLE IF NOT EXISTS completions (id TEXT)", NULL, NULL, NULL), ==,
                     SQLITE_OK);
    sqlite3_close (other);
    out = run_cli_env (env, &status, &err, "token", "list", "--db", app, NULL);
    said = g_strdup_printf ("topout-server: [de] %s ist die Datei eines anderen Programms\n", app);
    g_assert_cmpint (status, ==, 1);
    g_assert_cmpstr (err, ==, said);
  }
}

/* A token file every user of the machine can read is said so at start, with
 * the command that makes it private (its tokens still work); a private one
 * gets no such word. Restarts the server. */
static void
test_token_file_mode (void)
{
  g_autofree char *loose = topout_test_path ("loose-tokens.txt");
  g_autofree char *err_loose = topout_test_path ("stderr-loose.txt");
  g_autofree char *err_private = topout_test_path ("stderr-private.txt");
  g_autofree char *said = NULL, *said_private = NULL;
  g_autofree char *advice = g_strdup_printf ("chmod 600 %s", loose);
  g_autofree char *body = one_session ("mode-1", 1, "");
  const char *const extra[] = { "--token-file", loose, NULL };
  g_auto (Answer) a = { 0 };

  g_assert_true (g_file_set_contents (loose, TOKEN_A "\n", -1, NULL));
  g_assert_cmpint (g_chmod (loose, 0644), ==, 0);
  stop_server ();
  server_stderr_path = err_loose;
  start_server_full ("server.db", FALSE, extra, topout_test_die_with_parent);
  post (&a, "/sessions/sync/bulk", TOKEN_A, body);
  g_assert_cmpuint (a.status, ==, 200);
  stop_server ();
  server_stderr_path = err_private;
  start_server ();
  server_stderr_path = NULL;
  assert_alive ();

  g_assert_true (g_file_get_contents (err_loose, &said, NULL, NULL));
  g_assert_nonnull (strstr (said, "mode 0644"));
  g_assert_nonnull (strstr (said, advice));
  g_assert_true (g_file_get_contents (err_private, &said_private, NULL, NULL));
  g_assert_null (strstr (said_private, "chmod"));
}

/* One line a request in the server's log, enough to follow a gym's sync:
 * the device's token name (a token file's line, or the name given to
 * `token add`), the answer and what came of the sessions, a refused token
 * too; never a token, never a member's notes. Restarts the server. */
static void
test_request_log (void)
{
  g_autofree char *log = topout_test_path ("stderr-log.txt");
  g_autofree char *said = NULL, *token = NULL;
  g_autofree char *body = one_session ("log-1", 1, "private-note-of-a-member");
  g_autofree char *bad = one_session ("log-2", 1, "");
  g_auto (Answer) a = { 0 };
  int status;

  stop_server ();
  server_stderr_path = log;
  start_server_on ("server-log.db", FALSE);
  server_stderr_path = NULL;
  token = run_cli (&status, "token", "add", "front-desk", "--db", server_db, NULL);
  g_assert_cmpint (status, ==, 0);
  g_strstrip (token);

  post (&a, "/sessions/sync/bulk", token, body);
  g_assert_cmpuint (a.status, ==, 200);
  post (&a, "/sessions/sync/bulk", token, body);
  g_assert_cmpuint (a.status, ==, 200);
  {
    g_autofree char *rejected = topout_test_replace_once (bad, "\"attempts\":1", "\"attempts\":0");

    post (&a, "/sessions/sync/bulk", TOKEN_B, rejected);
    g_assert_cmpuint (a.status, ==, 200);
  }
  post (&a, "/sessions/sync/bulk", "not-a-token-of-this-server", body);
  g_assert_cmpuint (a.status, ==, 401);
  stop_server ();
  start_server ();

  g_assert_true (g_file_get_contents (log, &said, NULL, NULL));
  g_test_message ("%s", said);
  g_assert_nonnull (strstr (said, "POST /sessions/sync/bulk from 127.0.0.1, front-desk: 200, 1 session: 1 created, "));
  g_assert_nonnull (strstr (said, "front-desk: 200, 1 session: 1 unchanged, "));
  g_assert_nonnull (strstr (said, "token file line 4: 200, 1 session: 1 rejected (invalid_attempts), "));
  g_assert_nonnull (strstr (said, "from 127.0.0.1, no known token: 401"));
  g_assert_null (strstr (said, token));
  g_assert_null (strstr (said, TOKEN_B));
  g_assert_null (strstr (said, "not-a-token-of-this-server"));
  g_assert_null (strstr (said, "private-note"));
}

/* The database failing while serving ------------------------------------------- */

/* The first page of the table or index @name in the running server's
 * database overwritten with @bytes (0xff when NULL), as a disk going bad
 * does; returns what the page held (g_free). The WAL is checkpointed into
 * the file first, so that the page read is the one overwritten, and a
 * write follows, so that the server's connections read the file again
 * rather than the pages they hold. */
static char *
overwrite_first_page (const char *name,
                      const char *bytes)
{
  g_autofree char *root_sql = g_strdup_printf ("SELECT rootpage FROM sqlite_master WHERE name = '%s'", name);
  sqlite3 *db = open_server_db ();
  sqlite3_stmt *stmt = NULL;
  gint64 root, page_size;
  char *old;
  FILE *f;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA wal_checkpoint (TRUNCATE)", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);  /* not busy: all of it is in the file */
  sqlite3_finalize (stmt);
  root = topout_test_query_int (server_db, root_sql);
  page_size = topout_test_query_int (server_db, "PRAGMA page_size");
  g_assert_cmpint (root, >, 1);

  old = g_malloc ((gsize) page_size);
  f = fopen (server_db, "r+b");
  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, (long) ((root - 1) * page_size), SEEK_SET), ==, 0);
  g_assert_cmpuint (fread (old, 1, (gsize) page_size, f), ==, (gsize) page_size);
  g_assert_cmpint (fseek (f, (long) ((root - 1) * page_size), SEEK_SET), ==, 0);
  if (bytes != NULL)
    g_assert_cmpuint (fwrite (bytes, 1, (gsize) page_size, f), ==, (gsize) page_size);
  else
    for (gint64 i = 0; i < page_size; i++)
      g_assert_cmpint (fputc (0xff, f), ==, 0xff);
  g_assert_cmpint (fclose (f), ==, 0);

  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE probe (x); DROP TABLE probe;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  return old;
}

/* How many times @needle is in @haystack. */
static guint
count_of (const char *haystack,
          const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* The database failing while a device token is checked is the server's
 * fault, not the device's: 503 with Retry-After (the device tries again
 * later), never 401 (which stops it syncing until someone changes its
 * settings), and the cause in the log. Restarts the server. */
static void
test_token_check_database_fails (void)
{
  g_autofree char *log = topout_test_path ("stderr-token-db.txt");
  g_autofree char *token = NULL, *said = NULL;
  g_autofree char *body = one_session ("dbfail-1", 1, "");
  g_auto (Answer) a = { 0 };
  int status;

  stop_server ();
  server_stderr_path = log;
  start_server_on ("server-token-db.db", FALSE);
  server_stderr_path = NULL;
  token = run_cli (&status, "token", "add", "front-desk", "--db", server_db, NULL);
  g_assert_cmpint (status, ==, 0);
  g_strstrip (token);
  post (&a, "/sessions/sync/bulk", token, body);
  g_assert_cmpuint (a.status, ==, 200);

  /* The index the token is looked up by. */
  g_free (overwrite_first_page ("sqlite_autoindex_tokens_2", NULL));
  post (&a, "/sessions/sync/bulk", token, body);
  g_assert_no_error (a.error);
  g_assert_cmpuint (a.status, ==, 503);
  g_assert_cmpstr (a.retry_after, ==, "5");
  g_assert_cmpstr (error_code_of (a.body), ==, "unavailable");

  stop_server ();
  g_assert_true (g_file_get_contents (log, &said, NULL, NULL));
  g_test_message ("%s", said);
  g_assert_nonnull (strstr (said, "Cannot check a device token: token check: database disk image is malformed"));
  g_assert_nonnull (strstr (said, "POST /sessions/sync/bulk from 127.0.0.1, token not checked: 503, unavailable"));
  g_assert_null (strstr (said, ": 401"));
  start_server ();
}

/* GET /healthz asks the database: 503 while it fails (a load balancer
 * sends that instance nothing), said once in the log with the cause, 200
 * once it answers again. Restarts the server. */
static void
test_healthz_database_fails (void)
{
  g_autofree char *log = topout_test_path ("stderr-health.txt");
  g_autofree char *said = NULL, *page = NULL;
  g_autofree char *body = one_session ("health-1", 1, "");
  g_auto (Answer) a = { 0 };

  stop_server ();
  server_stderr_path = log;
  start_server_on ("server-health.db", FALSE);
  server_stderr_path = NULL;
  post (&a, "/sessions/sync/bulk", TOKEN_A, body);
  g_assert_cmpuint (a.status, ==, 200);
  assert_alive ();

  /* The index a session's clientId is looked up by. */
  page = overwrite_first_page ("sqlite_autoindex_sessions_2", NULL);
  for (int i = 0; i < 2; i++)
    {
      request (&a, "GET", "/healthz", NULL, NULL, 0);
      g_assert_no_error (a.error);
      g_assert_cmpuint (a.status, ==, 503);
      g_assert_cmpstr (a.retry_after, ==, "5");
    }
  g_free (overwrite_first_page ("sqlite_autoindex_sessions_2", page));
  assert_alive ();

  stop_server ();
  g_assert_true (g_file_get_contents (log, &said, NULL, NULL));
  g_test_message ("%s", said);
  g_assert_cmpuint (count_of (said, "GET /healthz: 503, the database does not answer: "
                                    "health check: database disk image is malformed"), ==, 1);
  g_assert_nonnull (strstr (said, "GET /healthz: 200, the database answers again"));
  start_server ();
}

#ifdef __linux__
/* Whether a thread of the server sleeps (SQLite waiting between tries of a
 * lock: nothing else in the server sleeps). */
static gboolean
server_thread_sleeping (void)
{
  const char *pid = g_subprocess_get_identifier (server);
  g_autofree char *task_dir = g_build_filename ("/proc", pid, "task", NULL);
  g_autoptr (GDir) dir = g_dir_open (task_dir, 0, NULL);
  const char *tid;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (task_dir, tid, "syscall", NULL);
      g_autofree char *text = NULL;
      gint64 nr;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;  /* a thread that just ended */
      nr = g_ascii_strtoll (text, NULL, 10);
      if (nr == SYS_clock_nanosleep
#ifdef SYS_nanosleep
          || nr == SYS_nanosleep
#endif
          )
        return TRUE;
    }
  return FALSE;
}

/* The read locks of the database's WAL index (the -shm file) held by the
 * test: what SQLite's WAL readers take, documented at
 * https://sqlite.org/walformat.html (bytes 123 to 127). While they are
 * held, no connection can begin reading (SQLite tries again, sleeping, for
 * about 10 s, then fails). BEGIN EXCLUSIVE of another connection does not
 * block readers in WAL mode, nor does `token add`. Returns the descriptor
 * holding them, for release_read_locks(). */
static int
hold_read_locks (void)
{
  g_autofree char *shm = g_strconcat (server_db, "-shm", NULL);
  struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 123, .l_len = 5 };
  int fd = open (shm, O_RDWR);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fcntl (fd, F_SETLK, &lock), ==, 0);
  return fd;
}

static void
release_read_locks (int fd)
{
  struct flock lock = { .l_type = F_UNLCK, .l_whence = SEEK_SET, .l_start = 123, .l_len = 5 };

  g_assert_cmpint (fcntl (fd, F_SETLK, &lock), ==, 0);
  close (fd);
}
#endif

/* A database that cannot be read for a while (locked by another process)
 * delays only the requests waiting for it: while a device token is being
 * looked up in it, GET /healthz is answered (503, busy, Retry-After: 1) and
 * so is a request needing no database, and that device's request is still
 * unanswered; once the lock is released, its request is stored, and syncs
 * and /healthz succeed. (The token check and the ping ran on the main
 * thread: the whole server stopped answering for the lock's length, and
 * the waiting request got 503.) Restarts the server. */
static void
test_locked_database_delays_only_its_requests (void)
{
#ifdef __linux__
  g_autofree char *log = topout_test_path ("stderr-locked.txt");
  g_autofree char *said = NULL, *token = NULL, *head = NULL, *reply = NULL;
  g_autofree char *body1 = one_session ("locked-1", 1, "");
  g_autofree char *body2 = one_session ("locked-2", 1, "");
  g_autofree char *body3 = one_session ("locked-3", 1, "");
  g_autoptr (GSocketConnection) waiting = NULL;
  g_auto (Answer) a = { 0 };
  gboolean sleeping;
  gint64 deadline;
  int status, fd;

  stop_server ();
  server_stderr_path = log;
  start_server_on ("server-locked.db", FALSE);
  server_stderr_path = NULL;
  token = run_cli (&status, "token", "add", "front-desk", "--db", server_db, NULL);
  g_assert_cmpint (status, ==, 0);
  g_strstrip (token);
  post (&a, "/sessions/sync/bulk", token, body1);
  g_assert_cmpuint (a.status, ==, 200);

  fd = hold_read_locks ();
  /* A device's request, its token to be looked up: waiting on the lock. */
  waiting = raw_connect ();
  head = g_strdup_printf ("POST /sessions/sync/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                          "Content-Type: application/json\r\nConnection: close\r\nContent-Length: %zu\r\n\r\n%s",
                          token, strlen (body2), body2);
  send_text (waiting, head);
  /* Seen sleeping once is the proof: SQLite's tries alternate sleeps (1 µs
   * growing to a third of a second) with looks at the lock, so a second
   * look may find the thread between two sleeps, or woken and waiting for
   * a CPU on a loaded machine ("running" in /proc): asserting a look after
   * the one that saw it failed so. The wait ends when the thread is seen
   * sleeping, or when the waiting request is answered (SQLite gave up after
   * its ~10 s of sleeps, or the token was checked without the lock): the
   * deadline only keeps a broken server from hanging the test. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!(sleeping = server_thread_sleeping ()) &&
         g_socket_condition_check (g_socket_connection_get_socket (waiting), G_IO_IN | G_IO_HUP) == 0 &&
         g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 100);
  g_assert_true (sleeping);

  /* Answered while the lock is held, and before the waiting request. */
  request (&a, "GET", "/healthz", NULL, NULL, 0);
  g_assert_no_error (a.error);
  g_assert_cmpuint (a.status, ==, 503);
  g_assert_cmpstr (a.retry_after, ==, "1");
  request (&a, "GET", "/nothing-here", NULL, NULL, 0);
  g_assert_cmpuint (a.status, ==, 404);
  g_assert_cmpint (g_socket_condition_check (g_socket_connection_get_socket (waiting), G_IO_IN | G_IO_HUP), ==, 0);

  release_read_locks (fd);
  reply = read_reply (waiting);
  g_test_message ("%s", reply);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 200"));
  g_assert_nonnull (strstr (reply, "\"clientId\":\"locked-2\",\"status\":\"created\""));
  post (&a, "/sessions/sync/bulk", token, body3);
  g_assert_cmpuint (a.status, ==, 200);
  assert_alive ();
  g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM sessions WHERE client_id LIKE 'locked-%'"),
                   ==, 3);

  stop_server ();
  g_assert_true (g_file_get_contents (log, &said, NULL, NULL));
  g_test_message ("%s", said);
  g_assert_nonnull (strstr (said, "GET /healthz: 503, the database did not answer within 500 ms"));
  g_assert_nonnull (strstr (said, "GET /healthz: 200, the database answers again"));
  g_assert_null (strstr (said, "token not checked"));
  start_server ();
#else
  g_test_skip ("the test finds the server waiting on the lock through /proc");
#endif
}

/* An item the server failed on ("error", retried by the client) carries
 * no error code: the contract's codes are a closed list, and none is a
 * server failure ("code": null was sent). The client reads it as an error
 * without a code, and its retry is stored. */
static void
test_error_item_without_code (void)
{
  g_autofree char *body = request_body (session_node ("erritem-1", 1, ""), session_node ("erritem-2", 1, "boom"),
                                        NULL);
  g_autoptr (JsonParser) p = json_parser_new ();
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_auto (Answer) a = { 0 };
  JsonArray *items;
  JsonObject *failed;
  sqlite3 *db = open_server_db ();

  /* The database refuses that one session's row: a real failure of the
   * server's, on one item. */
  g_assert_cmpint (sqlite3_exec (db, "CREATE TRIGGER boom BEFORE INSERT ON sessions WHEN NEW.notes = 'boom'"
                                     " BEGIN SELECT RAISE (ABORT, 'refused by the test'); END;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  results = post_bulk (&a, TOKEN_A, body, 2);
  g_assert_cmpint (result_at (results, 0)->status, ==, TOPOUT_WIRE_STATUS_CREATED);
  g_assert_cmpint (result_at (results, 1)->status, ==, TOPOUT_WIRE_STATUS_ERROR);
  g_assert_null (result_at (results, 1)->error_code);
  g_assert_nonnull (result_at (results, 1)->error_message);
  g_assert_null (result_at (results, 1)->session_id);

  g_assert_true (json_parser_load_from_data (p, g_bytes_get_data (a.body, NULL), (gssize) g_bytes_get_size (a.body),
                                             NULL));
  items = json_object_get_array_member (json_node_get_object (json_parser_get_root (p)), "results");
  failed = json_object_get_object_member (json_array_get_object_element (items, 1), "error");
  g_assert_nonnull (failed);
  g_assert_false (json_object_has_member (failed, "code"));
  g_assert_nonnull (json_object_get_string_member (failed, "message"));

  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER boom", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  again = post_bulk (&a, TOKEN_A, body, 2);
  g_assert_cmpint (result_at (again, 0)->status, ==, TOPOUT_WIRE_STATUS_UNCHANGED);
  g_assert_cmpint (result_at (again, 1)->status, ==, TOPOUT_WIRE_STATUS_CREATED);
}

/* POST /sessions/offline, whose answer is its one session's: the server
 * failing on it is a whole-request 503 with Retry-After, the client tries
 * again, and its error carries no code, as the bulk endpoint's "error"
 * item (it said "error", no code of the contract's closed list). Both
 * shapes; their retries are stored, once. */
static void
test_offline_server_fault (void)
{
  g_autoptr (JsonNode) node = session_node ("offline-fault-1", 1, "boom-offline");
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  const char *bare = "{\"startTime\": \"2026-11-21T17:02:11Z\", \"endTime\": \"2026-11-21T18:00:00Z\","
                     " \"notes\": \"boom-offline\", \"routes\": []}";
  const char *bodies[2];
  g_autofree char *full = NULL;
  sqlite3 *db = open_server_db ();

  json_generator_set_root (gen, node);
  full = json_generator_to_data (gen, NULL);
  bodies[0] = full;
  bodies[1] = bare;
  g_assert_cmpint (sqlite3_exec (db, "CREATE TRIGGER boom_offline BEFORE INSERT ON sessions WHEN NEW.notes = 'boom-offline'"
                                     " BEGIN SELECT RAISE (ABORT, 'refused by the test'); END;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_auto (Answer) a = { 0 };
      g_autoptr (JsonParser) p = json_parser_new ();
      JsonObject *o, *error;

      post (&a, "/sessions/offline", TOKEN_A, bodies[i]);
      g_assert_no_error (a.error);
      g_assert_cmpuint (a.status, ==, 503);
      g_assert_nonnull (a.retry_after);
      g_assert_true (json_parser_load_from_data (p, g_bytes_get_data (a.body, NULL),
                                                 (gssize) g_bytes_get_size (a.body), NULL));
      o = json_node_get_object (json_parser_get_root (p));
      g_assert_false (json_object_has_member (o, "sessionId"));
      error = json_object_get_object_member (o, "error");
      g_assert_nonnull (error);
      g_assert_false (json_object_has_member (error, "code"));
      g_assert_nonnull (json_object_get_string_member (error, "message"));
    }
  g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM sessions WHERE notes = 'boom-offline'"), ==, 0);

  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER boom_offline", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_auto (Answer) a = { 0 };
      g_autofree char *id = NULL;
      const char *status;

      post (&a, "/sessions/offline", TOKEN_A, bodies[i]);
      g_assert_cmpuint (a.status, ==, 200);
      id = offline_session_id (&a, &status);
      g_assert_nonnull (id);
      g_assert_cmpstr (status, ==, "created");
    }
  g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM sessions WHERE notes = 'boom-offline'"), ==, 2);
}

/* The sessions stored in the file at @path, read alone (no -wal beside it). */
static gint64
sessions_in (const char *path)
{
  return topout_test_query_int (path, "SELECT count (*) FROM sessions");
}

/* The database file deleted, moved away or replaced (a backup moved over
 * it) while the server runs: nothing more is written into the file it has
 * open (nobody would ever read it), requests get 503 with Retry-After
 * (with the tokens of the file too, which no longer count), GET /healthz
 * 503, and the log says once what happened and what to do. The file put
 * back, it serves again. Restarts the server. */
static void
test_database_gone (void)
{
  g_autofree char *log = topout_test_path ("stderr-gone.txt");
  g_autofree char *log2 = topout_test_path ("stderr-gone-2.txt");
  g_autofree char *said2 = NULL;
  g_autofree char *moved = topout_test_path ("server-gone-moved.db");
  g_autofree char *backup = topout_test_path ("server-gone-backup.db");
  g_autofree char *said = NULL, *token = NULL;
  g_autofree char *body1 = one_session ("gone-1", 1, "");
  g_autofree char *body2 = one_session ("gone-2", 1, "");
  g_autofree char *body3 = one_session ("gone-3", 1, "");
  g_auto (Answer) a = { 0 };
  int status;

  stop_server ();
  server_stderr_path = log;
  start_server_on ("server-gone.db", FALSE);
  server_stderr_path = NULL;
  token = run_cli (&status, "token", "add", "front-desk", "--db", server_db, NULL);
  g_assert_cmpint (status, ==, 0);
  g_strstrip (token);
  post (&a, "/sessions/sync/bulk", TOKEN_A, body1);
  g_assert_cmpuint (a.status, ==, 200);
  /* The backup an operator would restore: a copy of the file as it is. */
  {
    sqlite3 *db = open_server_db ();
    g_autofree char *sql = g_strdup_printf ("VACUUM INTO '%s'", backup);

    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }

  /* Moved away, deleted (a new one made by someone else at the path), and
   * a backup moved over it. */
  for (guint round = 0; round < 3; round++)
    {
      const char *tokens[] = { TOKEN_A, token };

      g_assert_cmpint (g_rename (server_db, moved), ==, 0);
      if (round == 1)
        {
          g_autofree char *wal = g_strconcat (moved, "-wal", NULL);

          g_assert_cmpint (g_unlink (moved), ==, 0);
          g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
        }
      if (round == 2)
        {
          g_autofree char *copy = NULL;
          gsize len;

          g_assert_true (g_file_get_contents (backup, &copy, &len, NULL));
          g_assert_true (g_file_set_contents (server_db, copy, (gssize) len, NULL));
        }
      for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
        {
          post (&a, "/sessions/sync/bulk", tokens[i], body2);
          g_assert_no_error (a.error);
          g_assert_cmpuint (a.status, ==, 503);
          g_assert_cmpstr (a.retry_after, ==, "5");
          g_assert_cmpstr (error_code_of (a.body), ==, "unavailable");
          post (&a, "/sessions/offline", tokens[i], "{\"startTime\": \"2026-11-21T17:02:11Z\", \"endTime\": \"2026-11-21T18:00:00Z\","
                                                        " \"notes\": \"\", \"routes\": []}");
          g_assert_cmpuint (a.status, ==, 503);
        }
      request (&a, "GET", "/healthz", NULL, NULL, 0);
      g_assert_no_error (a.error);
      g_assert_cmpuint (a.status, ==, 503);
      g_assert_cmpstr (a.retry_after, ==, "5");

      if (round < 2)
        {
          if (round == 0)
            g_assert_cmpint (g_rename (moved, server_db), ==, 0);
          else
            {
              /* Nothing can put a deleted file back: a restart serves the
               * one at --db. */
              stop_server ();
              server_stderr_path = log2;
              start_server_on ("server-gone.db", FALSE);
              server_stderr_path = NULL;
              g_free (token);
              token = run_cli (&status, "token", "add", "front-desk", "--db", server_db, NULL);
              g_assert_cmpint (status, ==, 0);
              g_strstrip (token);
            }
          assert_alive ();
          post (&a, "/sessions/sync/bulk", token, body3);
          g_assert_cmpuint (a.status, ==, 200);
        }
    }

  stop_server ();
  /* Nothing was written into the file moved away, nor the restored one;
   * what the server had stored is in the file moved away (it was only in
   * the WAL beside the path), and the backup at the path is whole, none
   * of the other file's pages read into it. */
  g_assert_cmpint (topout_test_query_int (moved, "SELECT count (*) FROM sessions WHERE client_id = 'gone-2'"), ==, 0);
  g_assert_cmpint (topout_test_query_int (moved, "SELECT count (*) FROM sessions WHERE client_id = 'gone-3'"), ==, 1);
  g_assert_cmpint (topout_test_query_int (moved, "SELECT count (*) FROM tokens"), ==, 1);
  g_assert_cmpint (sessions_in (server_db), ==, 1);
  g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM sessions WHERE client_id = 'gone-1'"), ==, 1);
  g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM pragma_quick_check WHERE quick_check = 'ok'"),
                   ==, 1);
  g_assert_true (g_file_get_contents (log, &said, NULL, NULL));
  g_assert_true (g_file_get_contents (log2, &said2, NULL, NULL));
  g_test_message ("%s\n%s", said, said2);
  {
    g_autofree char *gone = g_strdup_printf ("The database %s is no longer the file this server opened: "
                                             "it was deleted, moved or replaced while the server ran.", server_db);

    /* Once each time it went (the first server saw it go twice, the
     * second once). */
    g_assert_cmpuint (count_of (said, gone), ==, 2);
    g_assert_cmpuint (count_of (said2, gone), ==, 1);
    g_assert_nonnull (strstr (said, "Put the file back, or restart topout-server"));
  }
  start_server ();
}

/* A backup copied over the database in place while the server runs (cp
 * keeps the inode) is not noticed: the server goes on answering 200, its
 * write-ahead log is applied to the copy, and the copy is damaged (found
 * by hand: PRAGMA quick_check fails afterwards). Nothing cheap tells that
 * from another server's checkpoint, so --help says how to restore. */
static void
test_help_says_how_to_restore (void)
{
  g_autofree char *out = NULL;
  int status;

  out = run_cli (&status, "--help", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "To restore a backup, stop every server that uses the database first, remove "
                                 "the database’s -wal and -shm files if they are left, then copy the backup over it."));
  g_assert_nonnull (strstr (out, "A file copied over the database while a server runs is not noticed"));
}

/* The token file ------------------------------------------------------------------ */

#define TOKEN_C "token-c-5555555555"

/* The status of an empty bulk request with @token. */
static guint
status_with (const char *token)
{
  g_auto (Answer) a = { 0 };

  post (&a, "/sessions/sync/bulk", token, "{\"sessions\": []}");
  g_assert_no_error (a.error);
  return a.status;
}

static void
write_tokens (const char *path,
              const char *text)
{
  /* As an editor saves: a new file renamed over it. */
  g_assert_true (g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL));
}

/* Waits (10 s at most) until @path holds @needle @n times. */
static gboolean
log_says (const char *path,
          const char *needle,
          guint       n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  do
    {
      g_autofree char *said = NULL;

      if (g_file_get_contents (path, &said, NULL, NULL) && count_of (said, needle) >= n)
        return TRUE;
      g_usleep (G_USEC_PER_SEC / 50);
    }
  while (g_get_monotonic_time () < deadline);
  return FALSE;
}

/* A token added to or removed from the token file counts from the next
 * request, without a restart, however the file was written (a new file
 * renamed over it, or in place); SIGHUP reads it again too, and does not
 * stop the server. A file that became unreadable, empty or not one of
 * tokens leaves the tokens read before in force, with a warning in the
 * log. Restarts the server. */
static void
test_token_file_reload (void)
{
  g_autofree char *path = topout_test_path ("reload-tokens.txt");
  g_autofree char *log = topout_test_path ("stderr-reload.txt");
  g_autofree char *said = NULL;
  const char *const extra[] = { "--token-file", path, NULL };
  guint n_read;
  FILE *f;

  write_tokens (path, "# kiosks\n" TOKEN_A "\n" TOKEN_B "\n");
  stop_server ();
  server_stderr_path = log;
  start_server_full ("server-reload.db", FALSE, extra, topout_test_die_with_parent);
  server_stderr_path = NULL;
  g_assert_cmpuint (status_with (TOKEN_B), ==, 200);
  g_assert_cmpuint (status_with (TOKEN_C), ==, 401);

  /* An editor's way: a new file renamed over it. */
  write_tokens (path, "# kiosks\n" TOKEN_A "\n" TOKEN_C "\n");
  g_assert_cmpuint (status_with (TOKEN_B), ==, 401);
  g_assert_cmpuint (status_with (TOKEN_C), ==, 200);
  g_assert_cmpuint (status_with (TOKEN_A), ==, 200);

  /* Written in place, the same inode. */
  f = fopen (path, "w");
  g_assert_nonnull (f);
  fputs (TOKEN_A "\n", f);
  g_assert_cmpint (fclose (f), ==, 0);
  g_assert_cmpuint (status_with (TOKEN_C), ==, 401);
  g_assert_cmpuint (status_with (TOKEN_A), ==, 200);

  /* Not a file of tokens, empty, gone: what was read before still holds. */
  write_tokens (path, "front-desk " TOKEN_C "\n");
  g_assert_cmpuint (status_with (TOKEN_A), ==, 200);
  g_assert_cmpuint (status_with (TOKEN_C), ==, 401);
  write_tokens (path, "");
  g_assert_cmpuint (status_with (TOKEN_A), ==, 200);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpuint (status_with (TOKEN_A), ==, 200);
  g_assert_cmpuint (status_with (TOKEN_A), ==, 200);

  /* Back: read again. */
  write_tokens (path, TOKEN_B "\n");
  g_assert_cmpuint (status_with (TOKEN_A), ==, 401);
  g_assert_cmpuint (status_with (TOKEN_B), ==, 200);

  /* SIGHUP (systemctl reload): read again, and the server goes on. */
  g_assert_true (g_file_get_contents (log, &said, NULL, NULL));
  n_read = count_of (said, "read again (1 token)");
  g_clear_pointer (&said, g_free);
  g_subprocess_send_signal (server, SIGHUP);
  g_assert_true (log_says (log, "read again (1 token)", n_read + 1));
  g_assert_cmpuint (status_with (TOKEN_B), ==, 200);

  stop_server ();
  g_assert_true (g_file_get_contents (log, &said, NULL, NULL));
  g_test_message ("%s", said);
  g_assert_nonnull (strstr (said, "line 1: a token is one word, without spaces"));
  g_assert_nonnull (strstr (said, "it is empty"));
  g_assert_nonnull (strstr (said, "No such file or directory"));
  /* Each warned of once, not at every request. */
  g_assert_cmpuint (count_of (said, "The 1 token read from it before is still accepted"), ==, 3);
  start_server ();
}

/* A token file that is not one of tokens stops the server at start, the
 * line named. */
static void
test_token_file_refused (void)
{
  g_autofree char *path = topout_test_path ("bad-tokens.txt");
  g_autofree char *binary = topout_test_path ("binary-tokens.txt");
  g_autofree char *db = topout_test_path ("server-bad-tokens.db");
  g_autofree char *err = NULL, *err_binary = NULL;
  const char *const argv[] = { "--listen", "127.0.0.1:0", "--db", db, "--token-file", path, NULL };
  const char *const argv_binary[] = { "--listen", "127.0.0.1:0", "--db", db, "--token-file", binary, NULL };

  write_tokens (path, "# kiosks\n" TOKEN_A "\nfront-desk " TOKEN_B "\n");
  err = server_exiting (1, argv);
  g_assert_nonnull (strstr (err, "line 3: a token is one word, without spaces"));
  g_assert_true (g_file_set_contents_full (binary, TOKEN_A "\n\0\1\2", 22, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  err_binary = server_exiting (1, argv_binary);
  g_assert_nonnull (strstr (err_binary, "is not a file of tokens: line 2 is not text"));
}

/* Bad arguments are said, and nothing is made at --db on the way (an
 * empty database, or its -wal and -shm, were left by each of these). */
static void
test_bad_arguments_make_no_database (void)
{
  g_autofree char *db = topout_test_path ("never-made.db");
  g_autofree char *missing = topout_test_path ("missing.pem");
  g_autofree char *no_tokens = topout_test_path ("missing-tokens.txt");
  static const struct { int status; const char *args[5]; const char *said; } cases[] = {
    { 2, { "tokn", "list" }, "unknown command “tokn”" },
    { 2, { "--listen", "8080" }, "--listen: expected ADDR:PORT (for example 0.0.0.0:8080), got “8080”" },
    { 2, { "--listen", "gym-box:8080" }, "--listen: “gym-box” is not an IP address" },
    { 2, { "--tls-cert", "MISSING" }, "--tls-cert and --tls-key go together" },
    { 1, { "--tls-cert", "MISSING", "--tls-key", "MISSING" }, "missing.pem" },
    { 1, { "--token-file", "NO_TOKENS" }, "missing-tokens.txt" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) argv = g_ptr_array_new ();
      g_autofree char *err = NULL;
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);

      g_ptr_array_add (argv, (gpointer) "--db");
      g_ptr_array_add (argv, db);
      for (guint k = 0; k < G_N_ELEMENTS (cases[i].args) && cases[i].args[k] != NULL; k++)
        {
          const char *arg = cases[i].args[k];

          g_ptr_array_add (argv, g_str_equal (arg, "MISSING") ? missing
                                 : g_str_equal (arg, "NO_TOKENS") ? no_tokens
                                 : (gpointer) arg);
        }
      g_ptr_array_add (argv, NULL);
      err = server_exiting (cases[i].status, (const char *const *) argv->pdata);
      g_assert_nonnull (strstr (err, cases[i].said));
      g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    }
}

/* An empty --db (a script's unset variable) is refused: SQLite took "" for
 * a temporary database, so the server listened and answered "created" for
 * sessions deleted when it stopped, and 'token add' printed a token of no
 * database. A file option given twice is refused (GOption kept the last). */
static void
test_db_empty_or_twice (void)
{
  g_autofree char *a = topout_test_path ("twice-a.db");
  g_autofree char *b = topout_test_path ("twice-b.db");
  g_autofree char *tokens = topout_test_path ("twice-tokens.txt");
  const char *const empty[] = { "--listen", "127.0.0.1:0", "--db", "", NULL };
  const char *const empty_token[] = { "--db", "", "token", "add", "desk-1", NULL };
  const char *const twice[] = { "--listen", "127.0.0.1:0", "--db", a, "--db", b, NULL };
  const char *const twice_token[] = { "--db", a, "--db", b, "token", "add", "desk-1", NULL };
  const char *const tokens_twice[] = { "--listen", "127.0.0.1:0", "--db", a, "--token-file", tokens,
                                       "--token-file", tokens, NULL };
  const char *const empty_tokens[] = { "--listen", "127.0.0.1:0", "--db", a, "--token-file", "", NULL };
  g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL, *e5 = NULL, *e6 = NULL;

  write_tokens (tokens, TOKEN_A "\n");
  e1 = server_exiting (2, empty);
  g_assert_nonnull (strstr (e1, "--db needs the path of a file"));
  e2 = server_exiting (2, empty_token);
  g_assert_nonnull (strstr (e2, "--db needs the path of a file"));
  e3 = server_exiting (2, twice);
  g_assert_nonnull (strstr (e3, "--db is given more than once"));
  e4 = server_exiting (2, twice_token);
  g_assert_nonnull (strstr (e4, "--db is given more than once"));
  e5 = server_exiting (2, tokens_twice);
  g_assert_nonnull (strstr (e5, "--token-file is given more than once"));
  e6 = server_exiting (2, empty_tokens);
  g_assert_nonnull (strstr (e6, "--token-file needs the path of a file"));
  g_assert_false (g_file_test (a, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (b, G_FILE_TEST_EXISTS));
}

/* Hostile clients -------------------------------------------------------------- */

/* The server's process, before exec: 64 descriptors at most, hard limit too. */
static void
few_descriptors (gpointer user_data)
{
  struct rlimit limit = { 64, 64 };

  topout_test_die_with_parent (user_data);
  setrlimit (RLIMIT_NOFILE, &limit);
}

/* TRUE when the server closes @conn by @deadline (monotonic; end of stream,
 * or a reset), FALSE when it is still open then. Anything it sent first is
 * read. A deadline already past looks once, never waits. */
static gboolean
closed_by (GSocketConnection *conn,
           gint64             deadline)
{
  GSocket *sock = g_socket_connection_get_socket (conn);
  char buf[4096];

  do
    {
      g_autoptr (GError) error = NULL;
      gssize n;

      /* Never a negative timeout: GSocket rounds it to milliseconds, and
       * from -1 ms on, poll() waits for ever. */
      if (!g_socket_condition_timed_wait (sock, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                          MAX (deadline - g_get_monotonic_time (), 0), NULL, &error))
        return FALSE;
      n = g_socket_receive (sock, buf, sizeof buf, NULL, &error);
      if (n <= 0)
        return TRUE;
    }
  while (g_get_monotonic_time () < deadline);
  return FALSE;
}

/* The same within @seconds from now. */
static gboolean
closed_within (GSocketConnection *conn,
               guint              seconds)
{
  return closed_by (conn, g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC);
}

static void
send_text (GSocketConnection *conn,
           const char        *text)
{
  g_autoptr (GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), text, strlen (text),
                             NULL, NULL, &error);
  g_assert_no_error (error);
}

/* A deadline already past looks once and never waits: a connection the
 * server keeps open (its request's headers not finished, the idle timeout a
 * minute) is found open at once. A deadline 5 ms past made a timeout of
 * -5 ms, which poll() took for "for ever": the helper waited until the
 * server closed the connection, and said closed. */
static void
test_closed_by_past_deadline (void)
{
  g_autoptr (GSocketConnection) conn = raw_connect ();

  send_text (conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
  g_assert_false (closed_by (conn, g_get_monotonic_time () - 5000));
  g_assert_false (closed_within (conn, 0));
  assert_alive ();
}

/* Nobody holds the server for nothing: a request sent too slowly or a
 * connection left idle is closed; more connections than descriptors never
 * stop it accepting; a request without a known token is refused on its
 * headers, its body never read; a path that only starts like an endpoint
 * is not one. */
static void
test_hostile_clients (void)
{
  const char *const extra[] = { "--idle-timeout", "1", NULL };
  gint64 deadline;

  stop_server ();
  start_server_full ("hostile.db", FALSE, extra, few_descriptors);

  /* A request whose headers never end, and a keep-alive connection left idle. */
  {
    g_autoptr (GSocketConnection) slow = raw_connect ();
    g_autoptr (GSocketConnection) idle = raw_connect ();
    g_autofree char *reply = NULL;

    send_text (slow, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
    send_text (idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    /* Closed after the second's idle timeout; 30 s only keeps a server
     * that never closes them from hanging the test. */
    g_assert_true (closed_within (slow, 30));
    g_assert_true (closed_within (idle, 30));
    assert_alive ();
  }

  /* Twice as many connections as the server has descriptors, all waiting:
   * the ones beyond its room are closed at once, and the moment they are
   * gone it answers again (libsoup's listener stops for good on a failed
   * accept; a count of connections that forgot the closed ones kept
   * refusing until the next sweep). */
  {
    g_autoptr (GPtrArray) conns = g_ptr_array_new_with_free_func (g_object_unref);
    guint closed = 0;

    for (guint i = 0; i < 128; i++)
      {
        GSocketConnection *c = raw_connect ();

        send_text (c, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
        g_ptr_array_add (conns, c);
      }
    /* Until one is closed (half a second was not always enough on a
     * loaded machine): a look at each, again and again; the deadline only
     * keeps a server that never closes one from hanging the test. */
    deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
    while (closed == 0 && g_get_monotonic_time () < deadline)
      {
        for (guint i = 0; i < conns->len; i++)
          if (closed_within (g_ptr_array_index (conns, i), 0))
            closed++;
        if (closed == 0)
          g_usleep (G_USEC_PER_SEC / 100);
      }
    g_assert_cmpuint (closed, >, 0);
    g_test_message ("%u of 128 waiting connections closed", closed);
    g_ptr_array_set_size (conns, 0);
    g_usleep (G_USEC_PER_SEC / 4);
    assert_alive ();
  }

  /* An unknown token with a body announced but never sent: 401 at once. */
  {
    g_autoptr (GSocketConnection) c = raw_connect ();
    g_autoptr (GError) error = NULL;
    char buf[512] = { 0 };
    gssize n;

    g_socket_set_timeout (g_socket_connection_get_socket (c), 5);
    send_text (c, "POST /sessions/sync/bulk HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nobody\r\n"
                  "Content-Type: application/json\r\nContent-Length: 4000000\r\n\r\n{\"sessions\": [");
    n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (c)), buf, sizeof buf - 1, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (n, >, 0);
    g_assert_true (g_str_has_prefix (buf, "HTTP/1.1 401"));
  }

  /* Only the endpoints themselves. */
  {
    const char *const paths[] = { "/sessions/sync/bulk2", "/sessions/sync/bulk/x", "/sessions/offline/abc" };
    g_auto (Answer) h = { 0 };

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_auto (Answer) a = { 0 };

        post (&a, paths[i], TOKEN_A, "{\"sessions\": []}");
        g_assert_no_error (a.error);
        g_assert_cmpuint (a.status, ==, 404);
      }
    request (&h, "GET", "/healthzz", NULL, NULL, 0);
    g_assert_cmpuint (h.status, ==, 404);
  }

  stop_server ();
  start_server ();
}

/* A device that sends its body a byte now and then, each within the idle
 * timeout, is closed once the body is slower than the timeout and a
 * second a KiB (it held the connection for as long as it kept sending);
 * one that sends it at once is answered. Restarts the server. */
static void
test_slow_body (void)
{
  const char *const extra[] = { "--idle-timeout", "1", NULL };
  g_autoptr (GSocketConnection) slow = NULL;
  GSocket *sock;
  gint64 deadline;
  gboolean closed = FALSE;

  stop_server ();
  start_server_full ("slow-body.db", FALSE, extra, topout_test_die_with_parent);
  slow = raw_connect ();
  sock = g_socket_connection_get_socket (slow);
  send_text (slow, "POST /sessions/sync/bulk HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " TOKEN_A "\r\n"
                   "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n");
  /* A byte every 200 ms, for 15 s at most. */
  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (!closed && g_get_monotonic_time () < deadline)
    {
      g_autoptr (GError) error = NULL;

      /* Closed: a send fails, or the end of the stream (or a reset) is there to read. */
      if (g_socket_send (sock, " ", 1, NULL, &error) < 0)
        closed = TRUE;
      else if (g_socket_condition_check (sock, G_IO_IN | G_IO_HUP | G_IO_ERR) != 0)
        {
          char buf[256];

          closed = g_socket_receive (sock, buf, sizeof buf, NULL, NULL) <= 0;
        }
      g_usleep (G_USEC_PER_SEC / 5);
    }
  g_assert_true (closed);
  g_assert_cmpuint (status_with (TOKEN_A), ==, 200);
  stop_server ();
  start_server ();
}

/* HTTP/1.0 clients are answered (with the body's Content-Length, or 411
 * at once without one); a body framed both ways at once (chunked and a
 * Content-Length: ambiguous) gets 411 on its headers, its body never read.
 * (Chunked alone: /server/chunked-body.) */
static void
test_http_framing (void)
{
  const char *body = "{\"sessions\": []}";
  g_autofree char *one_zero = g_strdup_printf ("POST /sessions/sync/bulk HTTP/1.0\r\nAuthorization: Bearer " TOKEN_A
                                               "\r\nContent-Type: application/json\r\nContent-Length: %"
                                               G_GSIZE_FORMAT "\r\n\r\n%s", strlen (body), body);
  const char *no_length = "POST /sessions/sync/bulk HTTP/1.0\r\nAuthorization: Bearer " TOKEN_A "\r\n\r\n{\"ses";
  const char *health = "GET /healthz HTTP/1.0\r\n\r\n";
  const char *chunked[] = {
    "POST /sessions/sync/bulk HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " TOKEN_A "\r\n"
    "Transfer-Encoding: chunked\r\nContent-Length: 16\r\n\r\n900000\r\n{\"sessions\": [",
  };

  {
    g_autofree char *reply = raw_exchange (one_zero, strlen (one_zero));

    g_assert_true (g_str_has_prefix (reply, "HTTP/1.0 200"));
    g_assert_true (g_str_has_suffix (reply, "{\"results\":[]}"));
  }
  {
    g_autofree char *reply = raw_exchange (health, strlen (health));

    g_assert_true (g_str_has_prefix (reply, "HTTP/1.0 200"));
  }
  {
    g_autofree char *reply = raw_exchange (no_length, strlen (no_length));

    g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 411"));
  }
  for (guint i = 0; i < G_N_ELEMENTS (chunked); i++)
    {
      g_autofree char *reply = raw_exchange (chunked[i], strlen (chunked[i]));

      g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 411"));
    }
  assert_alive ();
}

/* Several --listen are each listened on, a line "listening on" each (the
 * last one given was the only one), IPv6 written [::1]:PORT; the same
 * address and port twice is refused before the database is made. */
static void
test_listen_addresses (void)
{
  g_autofree char *db = topout_test_path ("server-listen.db");
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  const char *prefixes[] = { "listening on http://127.0.0.1:", "listening on http://[::1]:" };
  const char *hosts[] = { "127.0.0.1", "[::1]" };

  g_subprocess_launcher_set_child_setup (launcher, topout_test_die_with_parent, NULL, NULL);
  proc = g_subprocess_launcher_spawn (launcher, &error, server_path (), "--listen", "127.0.0.1:0", "--listen",
                                      "[::1]:0", "--db", db, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
      g_autofree char *url = NULL;
      g_autoptr (SoupMessage) msg = NULL;
      g_autoptr (GBytes) reply = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_test_message ("%s", line);
      g_assert_true (g_str_has_prefix (line, prefixes[i]));
      url = g_strdup_printf ("http://%s:%s/healthz", hosts[i], strrchr (line, ':') + 1);
      msg = soup_message_new ("GET", url);
      reply = soup_session_send_and_read (http, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    }
  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_assert_no_error (error);

  {
    g_autofree char *twice = topout_test_path ("server-listen-twice.db");
    const char *const argv[] = { "--listen", "127.0.0.1:18080", "--listen", "127.0.0.1:18080", "--db", twice, NULL };
    g_autofree char *err = server_exiting (2, argv);

    g_assert_nonnull (strstr (err, "--listen 127.0.0.1:18080 is given twice"));
    g_assert_false (g_file_test (twice, G_FILE_TEST_EXISTS));
  }
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);

  start_server ();
  http = soup_session_new_with_options ("timeout", 30, NULL);

  g_test_add_func ("/server/healthz", test_healthz);
  g_test_add_func ("/server/unauthorized", test_unauthorized);
  g_test_add_func ("/server/bad-json", test_bad_json);
  g_test_add_func ("/server/wrong-shape", test_wrong_shape);
  g_test_add_func ("/server/too-big-content-length", test_too_big_content_length);
  g_test_add_func ("/server/chunked-body", test_chunked_body);
  g_test_add_func ("/server/too-many-sessions", test_too_many_sessions);
  g_test_add_func ("/server/validation-rules", test_validation_rules);
  g_test_add_func ("/server/limits-at-the-limit", test_limits_at_the_limit);
  g_test_add_func ("/server/body-at-the-limit", test_body_at_the_limit);
  g_test_add_func ("/server/lifecycle", test_lifecycle);
  g_test_add_func ("/server/rfc3339-offsets", test_rfc3339_offsets);
  g_test_add_func ("/server/climber-rows", test_climber_rows);
  g_test_add_func ("/server/older-content-hash", test_older_content_hash);
  g_test_add_func ("/server/scorecards", test_scorecards);
  g_test_add_func ("/server/scorecards/by-member-code", test_scorecards_by_member_code);
  g_test_add_func ("/server/damaged-database-refused", test_damaged_database_refused);
  g_test_add_func ("/server/scorecards-from-version-1", test_scorecards_from_version_1);
  g_test_add_func ("/server/newer-schema-refused", test_newer_schema_refused);
  g_test_add_func ("/server/foreign-database-refused", test_foreign_database_refused);
  g_test_add_func ("/server/foreign-client-id", test_foreign_client_id);
  g_test_add_func ("/server/reissued-token-keeps-sessions", test_reissued_token_keeps_sessions);
  g_test_add_func ("/server/repeated-client-id", test_repeated_client_id);
  g_test_add_func ("/server/misread-values", test_misread_values);
  g_test_add_func ("/server/big-mixed-request", test_big_mixed_request);
  g_test_add_func ("/server/writer-first", test_writer_first);
  g_test_add_func ("/server/offline", test_offline);
  g_test_add_func ("/server/faults", test_faults);
  g_test_add_func ("/server/deep-nesting", test_deep_nesting);
  g_test_add_func ("/server/hostile-connections", test_hostile_connections);
  g_test_add_func ("/server/concurrent-requests", test_concurrent_requests);
  g_test_add_func ("/server/token-cli", test_token_cli);
  g_test_add_func ("/server/token-names", test_token_names);
  g_test_add_func ("/server/token-messages-translated", test_token_messages_translated);
  g_test_add_func ("/server/token-file-mode", test_token_file_mode);
  g_test_add_func ("/server/request-log", test_request_log);
  g_test_add_func ("/server/token-check-database-fails", test_token_check_database_fails);
  g_test_add_func ("/server/healthz-database-fails", test_healthz_database_fails);
  g_test_add_func ("/server/locked-database-delays-only-its-requests", test_locked_database_delays_only_its_requests);
  g_test_add_func ("/server/error-item-without-code", test_error_item_without_code);
  g_test_add_func ("/server/offline-server-fault", test_offline_server_fault);
  g_test_add_func ("/server/database-gone", test_database_gone);
  g_test_add_func ("/server/help-says-how-to-restore", test_help_says_how_to_restore);
  g_test_add_func ("/server/token-file-reload", test_token_file_reload);
  g_test_add_func ("/server/token-file-refused", test_token_file_refused);
  g_test_add_func ("/server/bad-arguments-make-no-database", test_bad_arguments_make_no_database);
  g_test_add_func ("/server/db-empty-or-twice", test_db_empty_or_twice);
  g_test_add_func ("/server/closed-by-past-deadline", test_closed_by_past_deadline);
  g_test_add_func ("/server/hostile-clients", test_hostile_clients);
  g_test_add_func ("/server/slow-body", test_slow_body);
  g_test_add_func ("/server/http-framing", test_http_framing);
  g_test_add_func ("/server/listen-addresses", test_listen_addresses);
  g_test_add_func ("/server/stop-at-once", test_stop_at_once);
  g_test_add_func ("/server/stop-answers-late-requests", test_stop_answers_late_requests);
  g_test_add_func ("/server/stop-while-writing", test_stop_while_writing);

  rc = g_test_run ();

  g_clear_object (&http);
  stop_server ();
  g_clear_pointer (&server_db, g_free);
  g_clear_pointer (&base_url, g_free);
  return rc;
}
