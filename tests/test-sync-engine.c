/* test-sync-engine.c — the sync client against the real topout-server.
 *
 * Every test starts its own topout-server (path in $TOPOUT_SERVER) on a free
 * loopback port, with a token file in the temporary folder and, where
 * faults are needed, --test-faults. The client store is a real SQLite file
 * filled by topout_store_generate (50 sessions, 1,000 completions). The
 * server's database is read directly with SQLite to count what arrived.
 *
 * The binary has two helper modes, used as child processes:
 *   --sync-helper DB URL   one sync with a 5-session batch (killed mid-sync)
 *   --cli DB URL           topout_sync_run_cli (exit codes, stdout, stderr)
 */
#define G_LOG_DOMAIN "test-sync-engine"

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include "topout-limits.h"
#include "topout-store-private.h"
#include "topout-sync-codec.h"
#include "topout-sync-engine.h"
#include "topout-sync-token.h"
#include "topout-test-util.h"

#define NOW "2026-11-21T17:00:00Z"
#define G_LOG_DOMAIN_ENGINE "topout-sync-engine"
#define N_SESSIONS 50
#define N_ROUTES 20

/* The server ------------------------------------------------------------- */

typedef struct {
  GSubprocess      *proc;
  GDataInputStream *out;
  char             *url;
  char             *db;
  char             *token;
} TestServer;

static TestServer *server_start_full (gboolean faults, const char *tls_cert, const char *tls_key);
static int count_state (const char *path, const char *state);

static TestServer *
server_start (gboolean faults)
{
  return server_start_full (faults, NULL, NULL);
}

static TestServer *
server_start_full (gboolean    faults,
                   const char *tls_cert,
                   const char *tls_key)
{
  static guint n;
  TestServer *server = g_new0 (TestServer, 1);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *line = NULL;
  const char *exe = g_getenv ("TOPOUT_SERVER");
  GPtrArray *argv = g_ptr_array_new ();

  g_assert_nonnull (exe);
  n++;
  name = g_strdup_printf ("server-%u.db", n);
  server->db = topout_test_path (name);
  g_free (name);
  name = g_strdup_printf ("tokens-%u", n);
  token_file = topout_test_path (name);
  server->token = g_strdup_printf ("good-token-%u-%08x", n, g_random_int ());
  contents = g_strdup_printf ("# test tokens\n%s\n", server->token);
  g_file_set_contents_full (token_file, contents, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);

  g_ptr_array_add (argv, (char *) exe);
  g_ptr_array_add (argv, "--listen");
  g_ptr_array_add (argv, "127.0.0.1:0");
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, server->db);
  g_ptr_array_add (argv, "--token-file");
  g_ptr_array_add (argv, token_file);
  if (faults)
    g_ptr_array_add (argv, "--test-faults");
  if (tls_cert != NULL)
    {
      g_ptr_array_add (argv, "--tls-cert");
      g_ptr_array_add (argv, (char *) tls_cert);
      g_ptr_array_add (argv, "--tls-key");
      g_ptr_array_add (argv, (char *) tls_key);
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, topout_test_die_with_parent, NULL, NULL);
  server->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_ptr_array_unref (argv);
  g_assert_no_error (error);
  server->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->proc));
  line = g_data_input_stream_read_line (server->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  server->url = g_strdup (line + strlen ("listening on "));
  g_strstrip (server->url);
  g_assert_true (g_str_has_prefix (server->url, tls_cert != NULL ? "https://127.0.0.1:" : "http://127.0.0.1:"));
  return server;
}

static void
server_stop (TestServer *server)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_send_signal (server->proc, SIGTERM);
  g_subprocess_wait (server->proc, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&server->out);
  g_clear_object (&server->proc);
  g_free (server->url);
  g_free (server->db);
  g_free (server->token);
  g_free (server);
}

/* The next @count requests after @after more answered as usual fail as
 * @mode says. */
static void
server_set_fault_after (TestServer *server,
                        guint       after,
                        const char *mode,
                        guint       count,
                        guint       retry_after)
{
  topout_test_server_set_fault (server->url, after, mode, count, retry_after);
}

static void
server_set_fault (TestServer *server,
                  const char *mode,
                  guint       count,
                  guint       retry_after)
{
  server_set_fault_after (server, 0, mode, count, retry_after);
}

static sqlite3 *
open_db (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = open_db (path);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* Every session arrived exactly once, with all its routes, and every local
 * session is SYNCED with the server's id and revision. */
static void
assert_all_arrived_once (TestServer *server,
                         const char *client_db)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  char *escaped;

  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions"), ==, N_SESSIONS);
  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (DISTINCT client_id) FROM sessions"), ==, N_SESSIONS);
  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM routes"), ==, N_SESSIONS * N_ROUTES);
  g_assert_cmpint (topout_test_query_int (client_db, "SELECT count (*) FROM sessions WHERE sync_state = 'SYNCED'"), ==, N_SESSIONS);

  /* Same ids, same revisions on both sides. */
  db = open_db (client_db);
  escaped = sqlite3_mprintf ("ATTACH DATABASE %Q AS srv", server->db);
  g_assert_cmpint (sqlite3_exec (db, escaped, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT count (*) FROM sessions c JOIN srv.sessions s"
                                       " ON s.client_id = c.id AND s.id = c.server_id AND s.revision = c.revision",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, N_SESSIONS);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  sqlite3_free (escaped);
}

/* The client ------------------------------------------------------------- */

static TopoutStore *
client_store_new (char **path_out)
{
  g_autoptr (GError) error = NULL;
  TopoutStore *store;

  topout_test_set_now (NOW);
  store = topout_test_store_new (NOW, path_out);
  g_assert_true (topout_store_generate (store, N_SESSIONS, N_ROUTES, 42, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (topout_store_count_due_sessions (store, topout_store_now (store)), ==, N_SESSIONS);
  g_assert_cmpint (topout_test_query_int (*path_out, "SELECT count (*) FROM completions"), ==, N_SESSIONS * N_ROUTES);
  return store;
}

static TopoutSyncEngine *
engine_new (TopoutStore *store,
            TestServer  *server,
            guint        batch)
{
  TopoutSyncEngine *engine = topout_sync_engine_new (store, NULL);

  topout_sync_engine_set_server_url (engine, server->url);
  topout_sync_engine_set_token (engine, server->token);
  topout_sync_engine_set_batch_sessions (engine, batch);
  return engine;
}

typedef struct {
  GMainLoop         *loop;
  gboolean           done;
  gboolean           ok;
  TopoutSyncSummary  summary;
  GError            *error;
} SyncWait;

static void
sync_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SyncWait *w = user_data;

  w->ok = topout_sync_engine_sync_finish (TOPOUT_SYNC_ENGINE (source), result, &w->summary, &w->error);
  w->done = TRUE;
  g_main_loop_quit (w->loop);
}

/* One sync, run to its end, whatever its outcome (@w is filled). */
static void
sync_run (TopoutSyncEngine *engine,
          TopoutSyncFlags   flags,
          SyncWait         *w)
{
  *w = (SyncWait) { 0 };
  w->loop = g_main_loop_new (NULL, FALSE);
  topout_sync_engine_sync_async (engine, flags, NULL, sync_done, w);
  g_main_loop_run (w->loop);
  g_main_loop_unref (w->loop);
}

static TopoutSyncSummary
sync_once (TopoutSyncEngine *engine,
           TopoutSyncFlags   flags)
{
  SyncWait w;

  sync_run (engine, flags, &w);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  g_assert_cmpuint (w.summary.left_due, ==, topout_sync_engine_get_pending (engine));
  return w.summary;
}

/* A damaged database -------------------------------------------------------- */

#define N_DAMAGED_SESSIONS 2000

/* A database file with N_DAMAGED_SESSIONS sessions due, whose pages in the
 * middle (the fifth from 40 % to 60 % of the file) are then overwritten with
 * garbage by plain writes, as a failing disk or a bad copy leaves it. The
 * store that made it is closed first and its WAL folded in: what SQLite
 * reads next is the damaged file. Returns its path. */
static char *
damaged_database_new (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *garbage = NULL;
  guint8 header[100];
  guint page_size;
  goffset size;
  guint n_pages;
  GRand *rand;
  int fd;

  store = topout_test_store_new (NOW, &path);
  g_assert_true (topout_store_generate (store, N_DAMAGED_SESSIONS, 5, 7, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (topout_store_count_pending (store), ==, N_DAMAGED_SESSIONS);
  g_clear_object (&store);
  exec_sql (path, "PRAGMA wal_checkpoint (TRUNCATE)");

  fd = g_open (path, O_RDWR | O_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, header, sizeof header, 0), ==, sizeof header);
  page_size = (guint) header[16] << 8 | header[17];
  if (page_size == 1)
    page_size = 65536;
  size = topout_test_file_size (path);
  n_pages = (guint) (size / page_size);
  g_assert_cmpuint (n_pages, >=, 50);

  garbage = g_malloc (page_size);
  rand = g_rand_new_with_seed (3000);
  for (guint page = n_pages * 2 / 5; page < n_pages * 3 / 5; page++)
    {
      for (guint i = 0; i < page_size; i++)
        garbage[i] = (guint8) g_rand_int (rand);
      g_assert_cmpint (pwrite (fd, garbage, page_size, (off_t) page * page_size), ==, (gssize) page_size);
    }
  g_rand_free (rand);
  g_assert_cmpint (fsync (fd), ==, 0);
  close (fd);

  /* The damage is real: SQLite's own check finds it. */
  {
    sqlite3 *db = open_db (path);
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), !=, "ok");
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  return g_steal_pointer (&path);
}

/* Child processes -------------------------------------------------------- */

static GSubprocess *
spawn_self_full (GSubprocessFlags   flags,
                 const char        *mode,
                 const char        *db,
                 const char        *url,
                 const char        *token,
                 GError           **error)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  g_subprocess_launcher_set_child_setup (launcher, topout_test_die_with_parent, NULL, NULL);

  if (token != NULL)
    g_subprocess_launcher_setenv (launcher, "TOPOUT_SYNC_TOKEN", token, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "TOPOUT_SYNC_TOKEN");
  return g_subprocess_launcher_spawn (launcher, error, self, mode, db, url, NULL);
}

static GSubprocess *
spawn_self (const char  *mode,
            const char  *db,
            const char  *url,
            const char  *token,
            GError     **error)
{
  return spawn_self_full (G_SUBPROCESS_FLAGS_STDOUT_PIPE, mode, db, url, token, error);
}

/* Runs `topout --sync-now` in a child: the exit code, the line it printed. */
static int
run_cli (const char  *db,
         const char  *url,
         const char  *token,
         char       **output)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) child = spawn_self ("--cli", db, url != NULL ? url : "", token, &error);
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  if (output != NULL)
    *output = g_steal_pointer (&out);
  return g_subprocess_get_exit_status (child);
}

/* The same, with what it wrote on stderr too. */
static int
run_cli_full (const char  *db,
              const char  *url,
              const char  *token,
              char       **output,
              char       **errors)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) child = spawn_self_full (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                   "--cli", db, url != NULL ? url : "", token, &error);

  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, output, errors, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  return g_subprocess_get_exit_status (child);
}

static int
helper_main (const char *mode,
             const char *db,
             const char *url)
{
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (TopoutSyncEngine) engine = NULL;
  g_autoptr (GError) error = NULL;
  SyncWait w = { 0 };

  if (g_strcmp0 (mode, "--cli") == 0)
    return topout_sync_run_cli (db, *url != '\0' ? url : NULL);

  store = topout_store_new (db, &error);
  g_assert_no_error (error);
  engine = topout_sync_engine_new (store, NULL);
  topout_sync_engine_set_server_url (engine, url);
  topout_sync_engine_set_batch_sessions (engine, 5);
  w.loop = g_main_loop_new (NULL, FALSE);
  topout_sync_engine_sync_async (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL, NULL, sync_done, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  return w.ok && w.summary.left_due == 0 ? 0 : 1;
}


/* A real HTTP server in this process (libsoup's SoupServer) with scripted
 * answers: what the reference server never gives (odd results, a proxy's
 * page, a redirect, a 413 at a lower size) or what is not a sync server. */

typedef enum {
  SCRIPTED_400,          /* 400 (the contract's error) for any request holding a
                      * session this app's codec finds malformed */
  SCRIPTED_400_HTML,     /* 400 with a proxy's HTML page, to every request */
  SCRIPTED_400_ALWAYS,   /* 400 with the contract's error, to every request */
  SCRIPTED_413,          /* 413 for more than 8 sessions, or one noted "HUGE" */
  SCRIPTED_ODD_RESULTS,  /* missing, repeated, unknown results */
  SCRIPTED_RETRY_DATE,   /* 503 + Retry-After as an HTTP date, a Date far away */
  SCRIPTED_HUGE_BODY,    /* 200 with a body over the client's cap */
  SCRIPTED_OK,           /* every session created */
  SCRIPTED_200_HTML,     /* 200 with a web page (a catch-all, a captive portal) */
  SCRIPTED_200_EMPTY,    /* 200 {"results": []}: no result for anyone */
  SCRIPTED_REDIRECT,     /* @redirect_status to @redirect_to's bulk endpoint */
  SCRIPTED_404,          /* no handler at the bulk endpoint: the server's own 404 */
} ScriptedMode;

typedef struct {
  SoupServer *server;
  char       *url;
  ScriptedMode    mode;
  guint       n_requests;
  const char *redirect_to;
  guint       redirect_status;
} ScriptedServer;

static void
append_result (GString    *json,
               const char *client_id,
               const char *status,
               gint64      revision,
               const char *code)
{
  if (json->str[json->len - 1] != '[')
    g_string_append_c (json, ',');
  g_string_append_printf (json, "{\"clientId\": \"%s\", \"status\": \"%s\"", client_id, status);
  if (code != NULL)
    g_string_append_printf (json, ", \"error\": {\"code\": \"%s\", \"message\": \"server says %s\"}", code, code);
  else
    g_string_append_printf (json, ", \"sessionId\": \"srv-%s\", \"revision\": %" G_GINT64_FORMAT, client_id, revision);
  g_string_append_c (json, '}');
}

static void
scripted_handler (SoupServer        *soup_server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  ScriptedServer *scripted = user_data;
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  GString *json;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  gboolean refuse = FALSE;

  scripted->n_requests++;
  g_assert_cmpstr (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization"),
                   ==, "Bearer scripted-token");
  items = topout_sync_decode_request (data, len, &error);
  g_assert_no_error (error);

  if (scripted->mode == SCRIPTED_RETRY_DATE)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

      soup_message_headers_replace (headers, "Date", "Sat, 01 Jan 2000 00:00:00 GMT");
      soup_message_headers_replace (headers, "Retry-After", "Sat, 01 Jan 2000 00:02:00 GMT");
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      return;
    }
  if (scripted->mode == SCRIPTED_REDIRECT)
    {
      g_autofree char *location = g_strconcat (scripted->redirect_to, "/sessions/sync/bulk", NULL);

      soup_server_message_set_redirect (msg, scripted->redirect_status, location);
      return;
    }
  if (scripted->mode == SCRIPTED_200_HTML)
    {
      static const char page[] = "<!DOCTYPE html><html><body><h1>Welcome to our gym</h1></body></html>";

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
      return;
    }
  if (scripted->mode == SCRIPTED_200_EMPTY)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"results\": []}", 15);
      return;
    }
  if (scripted->mode == SCRIPTED_HUGE_BODY)
    {
      gsize size = TOPOUT_SYNC_MAX_RESPONSE_BYTES + 1024;
      char *huge = g_malloc (size);

      memset (huge, ' ', size);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, huge, size);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      TopoutWireItem *item = g_ptr_array_index (items, i);
      const char *notes = item->session != NULL ? topout_session_get_notes (item->session) : NULL;

      if ((scripted->mode == SCRIPTED_400 && item->rejected) ||
          (scripted->mode == SCRIPTED_413 && g_strcmp0 (notes, "HUGE") == 0))
        refuse = TRUE;
    }
  if ((scripted->mode == SCRIPTED_413 && items->len > 8) || scripted->mode == SCRIPTED_400_ALWAYS)
    refuse = TRUE;
  if (scripted->mode == SCRIPTED_400_HTML)
    {
      static const char page[] = "<html><head><title>400 Bad Request</title></head>"
                                 "<body><center><h1>400 Bad Request</h1></center><hr><center>nginx</center></body></html>";

      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
      return;
    }
  if (refuse && scripted->mode != SCRIPTED_413)
    {
      static const char answer[] = "{\"error\":{\"code\":\"invalid_shape\",\"message\":\"Not a session\"}}";

      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, answer, strlen (answer));
      return;
    }
  if (refuse)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
      return;
    }

  json = g_string_new ("{\"results\": [");
  for (guint i = 0; i < items->len; i++)
    {
      TopoutWireItem *item = g_ptr_array_index (items, i);

      if (scripted->mode == SCRIPTED_ODD_RESULTS)
        switch (i)
          {
          case 0:  /* no result at all */
            continue;
          case 1:  /* repeated, contradicting itself: neither counts */
            append_result (json, item->client_id, "created", item->revision, NULL);
            append_result (json, item->client_id, "conflict", 99, NULL);
            continue;
          case 2:
            append_result (json, item->client_id, "teleported", item->revision, NULL);
            continue;
          case 3:
            append_result (json, item->client_id, "conflict", 7, NULL);
            continue;
          case 4:
            append_result (json, item->client_id, "rejected", 0, "invalid_attempts");
            continue;
          case 5:
            append_result (json, item->client_id, "error", 0, "database_busy");
            continue;
          case 6:  /* "created" with no sessionId */
            g_string_append_printf (json, ",{\"clientId\": \"%s\", \"status\": \"created\", \"revision\": %"
                                    G_GINT64_FORMAT "}", item->client_id, item->revision);
            continue;
          case 7:  /* "created" for another revision than the one sent */
            append_result (json, item->client_id, "created", item->revision + 1, NULL);
            continue;
          case 8:  /* a conflict whose revision no local one could grow past */
            append_result (json, item->client_id, "conflict", G_GINT64_CONSTANT (9223372036854775807), NULL);
            continue;
          case 9:  /* an error whose message hides what follows it */
            g_string_append_printf (json, ",{\"clientId\": \"%s\", \"status\": \"error\", \"error\": "
                                    "{\"code\": \"x\", \"message\": \"red\\u001b[31m\\u202eevil%0500d\"}}",
                                    item->client_id, 0);
            continue;
          default:
            break;
          }
      append_result (json, item->client_id, "created", item->revision, NULL);
    }
  if (scripted->mode == SCRIPTED_ODD_RESULTS)
    append_result (json, "never-sent", "created", 1, NULL);
  g_string_append (json, "]}");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, json->str, json->len);
  g_string_free (json, FALSE);
}

static ScriptedServer *
scripted_start (ScriptedMode mode)
{
  ScriptedServer *scripted = g_new0 (ScriptedServer, 1);
  g_autoptr (GError) error = NULL;

  scripted->mode = mode;
  scripted->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (scripted->server, mode == SCRIPTED_404 ? "/api/v2/sync" : "/sessions/sync/bulk",
                           scripted_handler, scripted, NULL);
  soup_server_listen_local (scripted->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  {
    /* The bound port from the socket (soup_server_get_uris leaks in 3.2). */
    GSList *listeners = soup_server_get_listeners (scripted->server);
    g_autoptr (GSocketAddress) local = g_socket_get_local_address (listeners->data, &error);

    g_assert_no_error (error);
    scripted->url = g_strdup_printf ("http://127.0.0.1:%u",
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
    g_slist_free (listeners);
  }
  return scripted;
}

static void
scripted_stop (ScriptedServer *scripted)
{
  soup_server_disconnect (scripted->server);
  g_object_unref (scripted->server);
  g_free (scripted->url);
  g_free (scripted);
}

static TopoutSyncEngine *
scripted_engine_new (TopoutStore *store,
                 ScriptedServer  *scripted)
{
  TopoutSyncEngine *engine = topout_sync_engine_new (store, NULL);

  topout_sync_engine_set_server_url (engine, scripted->url);
  topout_sync_engine_set_token (engine, "scripted-token");
  return engine;
}

static void
set_notes (TopoutStore *store,
           const char  *session_id,
           const char  *notes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) session = topout_store_get_session (store, session_id, &error);

  g_assert_no_error (error);
  topout_session_set_notes (session, notes);
  g_assert_true (topout_store_update_session (store, session, &error));
  g_assert_no_error (error);
}

static TopoutSyncState
sync_state_of (TopoutStore *store,
               const char  *session_id)
{
  g_autoptr (TopoutSession) session = topout_store_get_session (store, session_id, NULL);

  return topout_session_get_sync_state (session);
}

/* A whole-request 400 from a sync server (the contract's error): halved
 * until the malformed session is found, REJECTED with why this app's own
 * codec refuses it. */
static void
test_halving_400 (void)
{
  ScriptedServer *scripted = scripted_start (SCRIPTED_400);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = scripted_engine_new (store, scripted);
  g_autoptr (GPtrArray) due = topout_store_list_due_sessions (store, G_MAXINT64, 0);
  g_autofree char *bad = g_strdup (topout_session_get_id (g_ptr_array_index (due, 33)));
  g_autofree char *sql = NULL;
  g_autoptr (TopoutSession) session = NULL;
  TopoutSyncSummary s;

  /* Notes over the contract's limit, as an older version may have kept. */
  sql = g_strdup_printf ("UPDATE sessions SET notes = printf ('%%.*c', %d, 'x') WHERE id = '%s'",
                         TOPOUT_LIMIT_NOTES_MAX + 1, bad);
  exec_sql (path, sql);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_rejected, ==, 1);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS - 1);
  g_assert_cmpuint (s.left_due, ==, 0);
  /* 50 → 25 → 13 → 7 → 4 → 2 → 1: a bisection, not one request a session. */
  g_assert_cmpuint (scripted->n_requests, <=, 2 * 6 + 1);
  session = topout_store_get_session (store, bad, NULL);
  g_assert_cmpint (topout_session_get_sync_state (session), ==, TOPOUT_SYNC_STATE_REJECTED);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE last_error_code = 'too_long'"), ==, 1);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'SYNCED'"), ==, N_SESSIONS - 1);
  scripted_stop (scripted);
}

/* Something that is not a sync server answering 400 to every request (a
 * proxy's page; or the contract's error even for one well-formed session):
 * no session is REJECTED (each would wait for an edit forever); all stay
 * due, FAILED with one backoff, and the message says to check the address. */
static void
test_400_not_a_sync_server (gconstpointer data)
{
  ScriptedMode mode = GPOINTER_TO_INT (data);
  ScriptedServer *scripted = scripted_start (mode);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = scripted_engine_new (store, scripted);
  TopoutSyncSummary s;

  g_test_expect_message (G_LOG_DOMAIN_ENGINE, G_LOG_LEVEL_MESSAGE, "HTTP 400 from * is not a sync server's answer");
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (s.n_rejected, ==, 0);
  g_assert_cmpuint (s.n_synced, ==, 0);
  g_assert_cmpuint (s.n_failed, ==, N_SESSIONS);
  g_assert_cmpuint (s.left_due, ==, N_SESSIONS);
  /* A page that is no contract's answer is not halved at all. */
  if (mode == SCRIPTED_400_HTML)
    g_assert_cmpuint (scripted->n_requests, ==, 1);
  else
    g_assert_cmpuint (scripted->n_requests, <=, 7);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'REJECTED'"), ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'FAILED'"
                                                " AND sync_attempts = 1"), ==, N_SESSIONS);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (DISTINCT next_attempt_at) FROM sessions"
                                                " WHERE sync_state = 'FAILED'"), ==, 1);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY);
  g_assert_nonnull (strstr (topout_sync_engine_get_last_error (engine), "does not answer as a Topout sync server"));
  g_assert_nonnull (strstr (topout_sync_engine_get_last_error (engine), scripted->url));
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE last_error LIKE"
                                                " '%does not answer as a Topout sync server%'"), ==, N_SESSIONS);
  scripted_stop (scripted);
}

/* 413 halves the batch; 413 for one session rejects it as too large. */
static void
test_halving_413 (void)
{
  ScriptedServer *scripted = scripted_start (SCRIPTED_413);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = scripted_engine_new (store, scripted);
  g_autoptr (GPtrArray) due = topout_store_list_due_sessions (store, G_MAXINT64, 0);
  g_autofree char *huge = g_strdup (topout_session_get_id (g_ptr_array_index (due, 5)));
  TopoutSyncSummary s;

  set_notes (store, huge, "HUGE");
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_rejected, ==, 1);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS - 1);
  g_assert_cmpuint (s.left_due, ==, 0);
  g_assert_cmpint (sync_state_of (store, huge), ==, TOPOUT_SYNC_STATE_REJECTED);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE last_error_code = 'too_large'"), ==, 1);
  scripted_stop (scripted);
}

/* Results matched by clientId: a missing one is FAILED (never synced), a
 * repeated one counts for nothing, an incomplete one (no sessionId, another
 * revision, a revision out of range) is none, an unknown clientId is ignored, an unknown status
 * marks nothing synced (FAILED with backoff), conflict/rejected/error as the
 * contract says. */
static void
test_odd_results (void)
{
  ScriptedServer *scripted = scripted_start (SCRIPTED_ODD_RESULTS);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = scripted_engine_new (store, scripted);
  g_autoptr (GPtrArray) due = topout_store_list_due_sessions (store, G_MAXINT64, 0);
  g_autoptr (TopoutSession) conflict = NULL;
  g_autoptr (TopoutSession) rejected = NULL;
  TopoutSyncSummary s;

  g_test_expect_message (G_LOG_DOMAIN_ENGINE, G_LOG_LEVEL_MESSAGE, "Repeated sync result*none of them applied");
  g_test_expect_message (G_LOG_DOMAIN_ENGINE, G_LOG_LEVEL_MESSAGE, "*not sent (never-sent)*ignored");
  g_test_expect_message (G_LOG_DOMAIN_ENGINE, G_LOG_LEVEL_MESSAGE, "*unknown status*");
  g_test_expect_message (G_LOG_DOMAIN_ENGINE, G_LOG_LEVEL_MESSAGE, "*without its server id or with another revision*");
  g_test_expect_message (G_LOG_DOMAIN_ENGINE, G_LOG_LEVEL_MESSAGE, "*without its server id or with another revision*");
  g_test_expect_message (G_LOG_DOMAIN_ENGINE, G_LOG_LEVEL_MESSAGE, "*revision in range*");
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (scripted->n_requests, ==, 1);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS - 10);
  g_assert_cmpuint (s.n_failed, ==, 8);
  g_assert_cmpuint (s.n_conflict, ==, 1);
  g_assert_cmpuint (s.n_rejected, ==, 1);

  g_assert_cmpint (sync_state_of (store, topout_session_get_id (g_ptr_array_index (due, 0))), ==, TOPOUT_SYNC_STATE_FAILED);
  g_assert_cmpint (sync_state_of (store, topout_session_get_id (g_ptr_array_index (due, 1))), ==, TOPOUT_SYNC_STATE_FAILED);
  /* An incomplete answer is none: never synced without a server id and
   * the revision sent; a revision out of range is no conflict. */
  for (guint i = 6; i <= 8; i++)
    {
      g_autoptr (TopoutSession) odd = topout_store_get_session (store, topout_session_get_id (g_ptr_array_index (due, i)), NULL);

      g_assert_cmpint (topout_session_get_sync_state (odd), ==, TOPOUT_SYNC_STATE_FAILED);
      g_assert_cmpint (topout_session_get_server_revision (odd), ==, 0);
      g_assert_null (topout_session_get_server_id (odd));
    }
  /* A server's message, as a person reads it: no control characters or
   * direction overrides, 300 characters and an ellipsis at most. */
  {
    g_autoptr (TopoutSession) odd = topout_store_get_session (store, topout_session_get_id (g_ptr_array_index (due, 9)), NULL);
    const char *said = topout_session_get_last_error (odd);

    g_assert_nonnull (said);
    g_assert_true (g_str_has_prefix (said, "red "));
    g_assert_null (strchr (said, 0x1b));
    g_assert_null (strstr (said, "\u202e"));
    g_assert_cmpint (g_utf8_strlen (said, -1), <=, 301);
    g_assert_true (g_str_has_suffix (said, "…"));
  }
  /* The failed ones wait together: one request later, not one each. */
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (DISTINCT next_attempt_at) FROM sessions"
                                                " WHERE sync_state = 'FAILED'"), ==, 1);
  g_assert_cmpint (sync_state_of (store, topout_session_get_id (g_ptr_array_index (due, 2))), ==, TOPOUT_SYNC_STATE_FAILED);
  conflict = topout_store_get_session (store, topout_session_get_id (g_ptr_array_index (due, 3)), NULL);
  g_assert_cmpint (topout_session_get_sync_state (conflict), ==, TOPOUT_SYNC_STATE_CONFLICT);
  g_assert_cmpint (topout_session_get_server_revision (conflict), ==, 7);
  rejected = topout_store_get_session (store, topout_session_get_id (g_ptr_array_index (due, 4)), NULL);
  g_assert_cmpint (topout_session_get_sync_state (rejected), ==, TOPOUT_SYNC_STATE_REJECTED);
  g_assert_nonnull (topout_session_get_last_error (rejected));
  g_assert_cmpint (sync_state_of (store, topout_session_get_id (g_ptr_array_index (due, 5))), ==, TOPOUT_SYNC_STATE_FAILED);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'FAILED' AND sync_attempts = 1"), ==, 8);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'SYNCED' AND server_id = 'srv-' || id"), ==, N_SESSIONS - 10);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY);
  scripted_stop (scripted);
}

/* Odd answers of a real web server at the sync address: a web page with
 * 200, a 404 (no sync endpoint there). Nothing is synced, nothing
 * REJECTED; all stay due with backoff, and the message says the address
 * is to be checked. */
static void
test_not_a_sync_server (gconstpointer data)
{
  ScriptedMode mode = GPOINTER_TO_INT (data);
  ScriptedServer *scripted = scripted_start (mode);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = scripted_engine_new (store, scripted);
  TopoutSyncSummary s;

  if (mode == SCRIPTED_200_HTML)
    g_test_expect_message (G_LOG_DOMAIN_ENGINE, G_LOG_LEVEL_MESSAGE, "Unreadable sync response*");
  g_test_expect_message (G_LOG_DOMAIN_ENGINE, G_LOG_LEVEL_MESSAGE, "HTTP * is not a sync server's answer");
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (s.n_synced + s.n_rejected + s.n_conflict, ==, 0);
  g_assert_cmpuint (s.n_failed, ==, N_SESSIONS);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'FAILED'"), ==, N_SESSIONS);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY);
  g_assert_nonnull (strstr (topout_sync_engine_get_last_error (engine), "does not answer as a Topout sync server"));
  g_assert_nonnull (strstr (topout_sync_engine_get_last_error (engine), "check the sync server address"));
  g_assert_cmpint (topout_sync_engine_get_last_success (engine), ==, 0);
  scripted_stop (scripted);
}

/* A 200 whose results leave every session out: nothing synced, all due
 * again with backoff, and "last synced" stays never (it said "just now"). */
static void
test_no_results (void)
{
  ScriptedServer *scripted = scripted_start (SCRIPTED_200_EMPTY);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = scripted_engine_new (store, scripted);
  TopoutSyncSummary s;

  topout_sync_engine_set_batch_sessions (engine, 20);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, 0);
  g_assert_cmpuint (s.n_failed, ==, N_SESSIONS);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'FAILED'"), ==, N_SESSIONS);
  g_assert_cmpint (topout_sync_engine_get_last_success (engine), ==, 0);
  g_assert_cmpint (topout_store_get_last_sync (store), ==, 0);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY);
  g_assert_nonnull (strstr (topout_sync_engine_get_last_error (engine), "did not answer for this session"));
  scripted_stop (scripted);
}

/* A redirect to another server is not followed (libsoup turned a 301's
 * POST into a GET there, without the sessions, and took its answer for the
 * sync's): nothing goes where the settings do not say; the message names
 * the address it points to, and the sessions stay due. */
static void
test_redirect_not_followed (gconstpointer data)
{
  ScriptedServer *elsewhere = scripted_start (SCRIPTED_OK);
  ScriptedServer *scripted = scripted_start (SCRIPTED_REDIRECT);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = scripted_engine_new (store, scripted);
  g_autofree char *said = NULL;
  TopoutSyncSummary s;

  scripted->redirect_to = elsewhere->url;
  scripted->redirect_status = GPOINTER_TO_UINT (data);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (scripted->n_requests, ==, 1);
  g_assert_cmpuint (elsewhere->n_requests, ==, 0);
  g_assert_cmpuint (s.n_synced, ==, 0);
  g_assert_cmpuint (s.n_failed, ==, N_SESSIONS);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'FAILED'"), ==, N_SESSIONS);
  /* The address to set, without the endpoint's path. */
  said = g_strdup_printf ("to %s.", elsewhere->url);
  g_assert_nonnull (strstr (topout_sync_engine_get_last_error (engine), said));

  /* Set as the address: synced there. */
  topout_sync_engine_set_server_url (engine, elsewhere->url);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);
  /* Another server than the one synced with: asked first with no session,
   * then the batch. */
  g_assert_cmpuint (elsewhere->n_requests, ==, 2);
  scripted_stop (scripted);
  scripted_stop (elsewhere);
}

/* Retry-After as an HTTP date, read against the response's Date (25 years
 * away from the client's clock). */
static void
test_retry_after_date (void)
{
  ScriptedServer *scripted = scripted_start (SCRIPTED_RETRY_DATE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = scripted_engine_new (store, scripted);
  gint64 now = topout_test_parse_time (NOW);
  TopoutSyncSummary s;

  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_failed, ==, N_SESSIONS);
  g_assert_cmpint (topout_test_query_int (path, "SELECT min (next_attempt_at) FROM sessions"), ==, now + 120 * G_USEC_PER_SEC);
  g_assert_cmpint (topout_test_query_int (path, "SELECT max (next_attempt_at) FROM sessions"), ==, now + 120 * G_USEC_PER_SEC);
  scripted_stop (scripted);
}

/* A Retry-After that would make a loop ("0" again and again: ~150 requests
 * a second) waits at least the backoff's growth; one of a day waits no
 * longer than the backoff's cap (15 min). */
static void
test_retry_after_bounded (void)
{
  TestServer *server = server_start (TRUE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, TOPOUT_SYNC_BATCH_SESSIONS);
  gint64 now = topout_test_parse_time (NOW);
  gint64 next;
  TopoutSyncSummary s;

  g_assert_cmpint (topout_sync_backoff_floor (0), ==, 0);
  g_assert_cmpint (topout_sync_backoff_floor (1), ==, TOPOUT_SYNC_BACKOFF_BASE_USEC);
  g_assert_cmpint (topout_sync_backoff_floor (3), ==, 4 * TOPOUT_SYNC_BACKOFF_BASE_USEC);
  g_assert_cmpint (topout_sync_backoff_floor (60), ==, TOPOUT_SYNC_BACKOFF_CAP_USEC);

  /* "0" three times: 0, then 2 s, then 4 s at least. */
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      server_set_fault (server, "503", 1, 0);
      s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
      g_assert_cmpuint (s.n_failed, >, 0);
      next = topout_test_query_int (path, "SELECT min (next_attempt_at) FROM sessions WHERE sync_state = 'FAILED'");
      g_assert_cmpint (next, >=, now + topout_sync_backoff_floor (attempt));
      g_assert_cmpint (next, >=, now + (attempt == 0 ? 0 : (gint64) G_USEC_PER_SEC << attempt));
      /* That wait is the server's: nothing is sent before it is over. */
      g_assert_cmpint (topout_sync_engine_get_wait_until (engine), ==, attempt == 0 ? 0 : next);
      topout_test_advance (next - topout_store_now (store));
      now = topout_store_now (store);
    }

  /* A day: 15 min. */
  server_set_fault (server, "503", 1, 86400);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  next = topout_test_query_int (path, "SELECT max (next_attempt_at) FROM sessions WHERE sync_state = 'FAILED'");
  g_assert_cmpint (next, ==, now + TOPOUT_SYNC_BACKOFF_CAP_USEC);
  server_stop (server);
}

/* A server in maintenance (503 with Retry-After: 600, as a proxy in front
 * of it says) or asked too often (429) is not asked again before then by
 * this device: "Sync now" sends nothing and says until when, again and
 * again, as does another engine on the database (the app after a
 * restart); once the wait is over, "Sync now" sends at once. A 500 (no
 * Retry-After) asks for no wait: "Sync now" tries at once, as before. */
static void
test_sync_now_waits (gconstpointer data)
{
  const char *mode = data;
  TestServer *server = server_start (TRUE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, TOPOUT_SYNC_BATCH_SESSIONS);
  g_autoptr (TopoutSyncEngine) restarted = NULL;
  gint64 until = topout_test_parse_time (NOW) + 600 * G_USEC_PER_SEC;
  TopoutSyncSummary s;

  /* One fault: a request after it is stored. */
  server_set_fault (server, mode, 1, 600);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  g_assert_cmpuint (s.n_failed, ==, N_SESSIONS);
  g_assert_false (s.waiting);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY);

  if (g_str_equal (mode, "500"))
    {
      g_assert_cmpint (topout_sync_engine_get_wait_until (engine), ==, 0);
      g_assert_cmpint (topout_sync_engine_sync_now (engine), ==, 0);
      s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
      g_assert_false (s.waiting);
      g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);
      assert_all_arrived_once (server, path);
      server_stop (server);
      return;
    }

  /* The desk taps "Sync now" three times: nothing reaches the server. */
  for (guint tap = 0; tap < 3; tap++)
    {
      g_assert_cmpint (topout_sync_engine_sync_now (engine), ==, until);
      s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
      g_assert_true (s.waiting);
      g_assert_cmpint (s.wait_until, ==, until);
      g_assert_cmpuint (s.n_batches, ==, 0);
      g_assert_cmpuint (s.left_due, ==, N_SESSIONS);
    }
  g_assert_cmpint (topout_sync_engine_get_wait_until (engine), ==, until);
  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions"), ==, 0);
  /* Nothing lost: every session still waits, its attempt counted once. */
  g_assert_cmpint (count_state (path, "FAILED"), ==, N_SESSIONS);
  g_assert_cmpint (topout_test_query_int (path, "SELECT max (sync_attempts) FROM sessions"), ==, 1);

  /* Another engine on this database (the app started again) knows it. */
  restarted = engine_new (store, server, TOPOUT_SYNC_BATCH_SESSIONS);
  g_assert_cmpint (topout_sync_engine_get_wait_until (restarted), ==, until);
  g_assert_true (sync_once (restarted, TOPOUT_SYNC_FLAGS_RETRY_ALL).waiting);
  /* Not for another server address. */
  topout_sync_engine_set_server_url (restarted, "http://localhost:1");
  g_assert_cmpint (topout_sync_engine_get_wait_until (restarted), ==, 0);
  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions"), ==, 0);

  /* The wait over: "Sync now" sends at once, and the wait is forgotten. */
  topout_test_advance (600 * G_USEC_PER_SEC);
  g_assert_cmpint (topout_sync_engine_sync_now (engine), ==, 0);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  g_assert_false (s.waiting);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);
  g_assert_cmpint (topout_sync_engine_get_wait_until (engine), ==, 0);
  g_assert_cmpint (topout_store_get_sync_wait (store, NULL), ==, 0);
  assert_all_arrived_once (server, path);
  server_stop (server);
}

/* `topout --sync-now` run again and again while the server asks to wait:
 * the first run meets the 503, the next ones send nothing; each says until
 * when (on the gym's clock) and that nothing is lost, and exits 1 (sessions
 * left, retryable). */
static void
test_cli_waits (void)
{
  TestServer *server = server_start (TRUE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autofree char *said = NULL;
  gint64 until = 0;

  server_set_fault (server, "503", 1, 600);
  for (guint run = 0; run < 3; run++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run_cli_full (path, server->url, server->token, &out, &err), ==, 1);
      if (run == 0)
        {
          /* Its time, the child's clock (the real one), kept in the database. */
          g_autoptr (GDateTime) when = NULL;
          g_autofree char *time = NULL;

          until = topout_store_get_sync_wait (store, NULL);
          g_assert_cmpint (until, >, 0);
          when = g_date_time_new_from_unix_local (until / G_USEC_PER_SEC);
          time = g_date_time_format (when, "%H:%M");
          said = g_strdup_printf ("The sync server asked to wait until %s; nothing is sent to it before then. "
                                  "Nothing is lost: %u sessions wait on this device.\n", time, N_SESSIONS);
          g_assert_cmpstr (out, ==, "Synced 0, failed 50, rejected 0, conflicts 0; 50 left to sync.\n");
        }
      else
        g_assert_cmpstr (out, ==, "Synced 0, failed 0, rejected 0, conflicts 0; 50 left to sync.\n");
      g_assert_cmpstr (err, ==, said);
      g_assert_cmpint (topout_store_get_sync_wait (store, NULL), ==, until);
    }
  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions"), ==, 0);
  g_assert_cmpint (count_state (path, "FAILED"), ==, N_SESSIONS);
  server_stop (server);
}

/* A body over the cap is not read: FAILED, retried later. */
static void
test_huge_response (void)
{
  ScriptedServer *scripted = scripted_start (SCRIPTED_HUGE_BODY);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = scripted_engine_new (store, scripted);
  TopoutSyncSummary s;

  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_failed, ==, N_SESSIONS);
  g_assert_cmpuint (s.n_synced, ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'FAILED'"), ==, N_SESSIONS);
  scripted_stop (scripted);
}


/* https: verified by default; a self-signed server only through its pinned
 * SHA-256 fingerprint. */
static void
test_tls_pinning (void)
{
  g_autofree char *cert = topout_test_path ("cert.pem");
  g_autofree char *key = topout_test_path ("key.pem");
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (GByteArray) der = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (TopoutSyncEngine) engine = NULL;
  g_autoptr (GString) pin = g_string_new (NULL);
  TestServer *server;
  TopoutSyncSummary s;
  int status = -1;
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", NULL
  };

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend (glib-networking)");
      return;
    }
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) || !g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("openssl cannot make a test certificate");
      return;
    }
  certificate = g_tls_certificate_new_from_file (cert, &error);
  g_assert_no_error (error);
  g_object_get (certificate, "certificate", &der, NULL);
  fingerprint = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  /* As Preferences may show it: upper case with colons. */
  for (guint i = 0; fingerprint[i] != '\0'; i += 2)
    g_string_append_printf (pin, "%s%c%c", i > 0 ? ":" : "",
                            g_ascii_toupper (fingerprint[i]), g_ascii_toupper (fingerprint[i + 1]));

  server = server_start_full (FALSE, cert, key);
  store = client_store_new (&path);
  engine = engine_new (store, server, TOPOUT_SYNC_BATCH_SESSIONS);

  /* Not trusted: nothing sent, retried later; the message names the
   * server's fingerprint and where to pin it. */
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  g_assert_cmpuint (s.n_failed, ==, N_SESSIONS);
  g_assert_cmpuint (s.n_batches, ==, 0);
  g_assert_true (s.untrusted);
  g_assert_nonnull (strstr (topout_sync_engine_get_last_error (engine), "certificate"));
  g_assert_nonnull (strstr (topout_sync_engine_get_last_error (engine), "Preferences"));
  g_assert_nonnull (strstr (topout_sync_engine_get_last_error (engine), fingerprint));

  /* `topout --sync-now` says so on stderr and exits 3: settings to mend. */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_cli_full (path, server->url, server->token, &out, &err), ==, 3);
    g_assert_nonnull (strstr (err, fingerprint));
  }
  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions"), ==, 0);

  /* Another certificate's pin: still refused. */
  topout_sync_engine_set_pinned_certificate_sha256 (engine, "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:"
                                                            "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff");
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  g_assert_cmpuint (s.n_failed, ==, N_SESSIONS);
  g_assert_nonnull (strstr (topout_sync_engine_get_last_error (engine), "not the one pinned"));
  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions"), ==, 0);

  /* Its own pin: accepted. */
  topout_sync_engine_set_pinned_certificate_sha256 (engine, pin->str);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);
  g_assert_cmpuint (s.left_due, ==, 0);
  assert_all_arrived_once (server, path);
  server_stop (server);
}


/* The retry timer: after a 503 + Retry-After: 1, a started engine tries
 * again by itself (real clock here: the timer waits on the monotonic one). */
static void
test_retry_timer (void)
{
  TestServer *server = server_start (TRUE);
  g_autofree char *path = topout_test_path ("real-clock.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutStore) store = topout_store_new (path, &error);
  g_autoptr (TopoutSyncEngine) engine = NULL;
  gint64 deadline;
  gboolean saw_waiting = FALSE;

  g_assert_no_error (error);
  g_assert_true (topout_store_generate (store, N_SESSIONS, N_ROUTES, 7, &error));
  g_assert_no_error (error);
  engine = engine_new (store, server, TOPOUT_SYNC_BATCH_SESSIONS);
  server_set_fault (server, "503", 1, 1);

  topout_sync_engine_start (engine);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((topout_sync_engine_get_pending (engine) > 0 ||
          topout_sync_engine_get_state (engine) != TOPOUT_SYNC_ENGINE_STATE_IDLE) &&
         g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, TRUE);
      if (topout_sync_engine_get_state (engine) == TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY)
        saw_waiting = TRUE;
    }
  g_assert_true (saw_waiting);
  g_assert_cmpuint (topout_sync_engine_get_pending (engine), ==, 0);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_IDLE);
  assert_all_arrived_once (server, path);
  topout_sync_engine_stop (engine);
  server_stop (server);
}

static void
count_notify (guint *count)
{
  (*count)++;
}

/* A gym moving to a new sync server (the address changed in settings):
 * "last synced" is not the old server's; every session the old one held,
 * refused or disputed is sent to the new one (a cancelled one as its
 * cancellation), with the new server's ids; the same address written
 * otherwise is no move. */
static void
test_server_move (void)
{
  TestServer *old_server = server_start (FALSE);
  TestServer *new_server = server_start (FALSE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, old_server, TOPOUT_SYNC_BATCH_SESSIONS);
  g_autoptr (GPtrArray) sessions = topout_store_list_due_sessions (store, G_MAXINT64, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *conflict = g_strdup (topout_session_get_id (g_ptr_array_index (sessions, 3)));
  g_autofree char *rejected = g_strdup (topout_session_get_id (g_ptr_array_index (sessions, 4)));
  g_autofree char *cancelled = g_strdup (topout_session_get_id (g_ptr_array_index (sessions, 5)));
  g_autofree char *sql = NULL;
  g_autofree char *written_otherwise = NULL;
  gint64 now = topout_test_parse_time (NOW);
  guint notified = 0;
  TopoutSyncSummary s;

  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);
  g_assert_cmpint (topout_sync_engine_get_last_success (engine), ==, now);
  /* What only the old server's answers made: a conflict with its version,
   * a refusal of its own (another device sent that id there first). */
  sql = g_strdup_printf ("UPDATE sessions SET sync_state = 'CONFLICT', server_revision = 7 WHERE id = '%s';"
                         "UPDATE sessions SET sync_state = 'REJECTED', last_error_code = 'foreign_client_id'"
                         " WHERE id = '%s'", conflict, rejected);
  exec_sql (path, sql);
  g_assert_true (topout_store_cancel_session (store, cancelled, &error));
  g_assert_no_error (error);

  /* An hour later, the new server's address: its last sync is none. */
  topout_test_advance (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  g_signal_connect_swapped (engine, "notify::last-success", G_CALLBACK (count_notify), &notified);
  topout_sync_engine_set_server_url (engine, new_server->url);
  g_assert_cmpint (topout_sync_engine_get_last_success (engine), ==, 0);
  g_assert_cmpuint (notified, ==, 1);
  /* Nothing is changed before a sync of the new server. */
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'SYNCED'"), ==, N_SESSIONS - 3);

  topout_sync_engine_set_token (engine, new_server->token);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);
  g_assert_cmpuint (s.n_rejected + s.n_conflict + s.n_failed, ==, 0);
  g_assert_cmpuint (s.left_due, ==, 0);
  g_assert_cmpuint (topout_sync_engine_get_attention (engine), ==, 0);
  g_assert_cmpint (topout_sync_engine_get_last_success (engine), ==, now + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  g_assert_cmpint (topout_store_get_last_sync (store), ==, now + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  /* Every one on the new server, with its ids; the cancellation too. */
  g_assert_cmpint (topout_test_query_int (new_server->db, "SELECT count (*) FROM sessions"), ==, N_SESSIONS);
  g_assert_cmpint (topout_test_query_int (new_server->db, "SELECT count (*) FROM sessions WHERE status = 'CANCELLED'"), ==, 1);
  {
    sqlite3 *db = open_db (path);
    sqlite3_stmt *stmt = NULL;
    char *attach = sqlite3_mprintf ("ATTACH DATABASE %Q AS srv", new_server->db);

    g_assert_cmpint (sqlite3_exec (db, attach, NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db,
                                         "SELECT count (*) FROM sessions c JOIN srv.sessions s"
                                         " ON s.client_id = c.id AND s.id = c.server_id AND s.revision = c.server_revision"
                                         " WHERE c.sync_state = 'SYNCED'",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, N_SESSIONS);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    sqlite3_free (attach);
  }

  /* The same address written otherwise: no move, nothing sent again. */
  written_otherwise = g_strdup_printf ("HTTP://127.0.0.1:%s/", strrchr (new_server->url, ':') + 1);
  topout_sync_engine_set_server_url (engine, written_otherwise);
  g_assert_cmpint (topout_sync_engine_get_last_success (engine), ==, now + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  g_assert_cmpuint (s.n_batches, ==, 0);
  g_assert_cmpuint (s.left_due, ==, 0);

  /* No server set (Preferences cleared): the last one's time stays. */
  topout_sync_engine_set_server_url (engine, NULL);
  g_assert_cmpint (topout_sync_engine_get_last_success (engine), ==, now + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);

  server_stop (old_server);
  server_stop (new_server);
}

/* The address of a free loopback port nobody listens on. */
static char *
nobody_listening_url (void)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GSocketAddress) any = NULL;
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  any = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  g_socket_close (socket, NULL);
  return g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

/* A new address that does not answer as a sync server (a typo: nobody
 * there; a server refusing the token) moves nothing: the sessions stay
 * synced with the old server, with its ids, and the old server stays the
 * one recorded. Back to the old address, nothing is sent again. */
static void
test_server_move_needs_an_answer (void)
{
  TestServer *old_server = server_start (FALSE);
  TestServer *new_server = server_start (FALSE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, old_server, TOPOUT_SYNC_BATCH_SESSIONS);
  g_autofree char *typo = nobody_listening_url ();
  g_autofree char *old_key = topout_sync_server_key (old_server->url);
  g_autofree char *recorded = NULL;
  g_autoptr (GPtrArray) sessions = topout_store_list_due_sessions (store, G_MAXINT64, 0);
  TopoutSyncSummary s;

  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);

  /* Nobody there. */
  topout_sync_engine_set_server_url (engine, typo);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced + s.n_failed, ==, 0);
  g_assert_cmpuint (s.left_due, ==, 0);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY);
  g_assert_nonnull (topout_sync_engine_get_last_error (engine));

  /* A sync server that does not take this device's token. */
  topout_sync_engine_set_server_url (engine, new_server->url);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_true (s.unauthorized);
  g_assert_cmpint (topout_test_query_int (new_server->db, "SELECT count (*) FROM sessions"), ==, 0);

  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'SYNCED'"
                                                " AND server_id IS NOT NULL AND sync_attempts = 0"), ==, N_SESSIONS);
  recorded = topout_store_get_sync_server (store);
  g_assert_cmpstr (recorded, ==, old_key);

  /* `topout --sync-now` with an edit to send: left due, and why. */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    set_notes (store, topout_session_get_id (g_ptr_array_index (sessions, 0)), "Edited after the sync");
    g_assert_cmpint (run_cli_full (path, typo, old_server->token, &out, &err), ==, 1);
    g_assert_nonnull (strstr (out, "1 left to sync"));
    g_assert_nonnull (strstr (err, "Last failure: Cannot reach the sync server"));
    g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE server_id IS NOT NULL"), ==, N_SESSIONS);
  }

  /* Back to the old one: it is still the one synced with. */
  topout_sync_engine_set_server_url (engine, old_server->url);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  g_assert_cmpuint (s.n_batches, ==, 1);
  g_assert_cmpuint (s.n_synced, ==, 1);
  g_assert_cmpuint (s.left_due, ==, 0);
  g_assert_cmpint (topout_test_query_int (old_server->db, "SELECT count (*) FROM sessions"), ==, N_SESSIONS);

  server_stop (old_server);
  server_stop (new_server);
}

/* Tests -------------------------------------------------------------------- */

/* All 50 reach the server exactly once; a second sync has nothing to do; an
 * edit after sync arrives as an update. */
static void
test_all_once (void)
{
  TestServer *server = server_start (FALSE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, TOPOUT_SYNC_BATCH_SESSIONS);
  g_autoptr (GPtrArray) sessions = NULL;
  g_autoptr (TopoutSession) edited = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = NULL;
  TopoutSyncSummary s;

  g_assert_cmpuint (topout_sync_engine_get_pending (engine), ==, N_SESSIONS);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);
  g_assert_cmpuint (s.n_failed + s.n_rejected + s.n_conflict, ==, 0);
  g_assert_cmpuint (s.left_due, ==, 0);
  g_assert_cmpuint (s.n_batches, ==, 1);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_IDLE);
  g_assert_cmpint (topout_sync_engine_get_last_success (engine), ==, topout_test_parse_time (NOW));
  g_assert_null (topout_sync_engine_get_last_error (engine));
  assert_all_arrived_once (server, path);

  /* Nothing due: no request at all. */
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  g_assert_cmpuint (s.n_batches, ==, 0);
  g_assert_cmpuint (s.n_synced, ==, 0);

  /* Edited after sync: revision 2 arrives as "updated". */
  sessions = topout_store_list_due_sessions (store, G_MAXINT64, 0);
  g_assert_cmpuint (sessions->len, ==, 0);
  sql = g_strdup ("SELECT id FROM sessions LIMIT 1");
  {
    sqlite3 *db = open_db (path);
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    edited = topout_store_get_session (store, (const char *) sqlite3_column_text (stmt, 0), &error);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  g_assert_no_error (error);
  topout_session_set_notes (edited, "Edited after sync");
  g_assert_true (topout_store_update_session (store, edited, &error));
  g_assert_no_error (error);
  g_clear_object (&edited);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, 1);
  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions WHERE revision = 2 AND notes = 'Edited after sync'"), ==, 1);
  assert_all_arrived_once (server, path);

  server_stop (server);
}

/* A demo database never syncs (SPEC rule 11), not even sessions an older
 * version of the app left due in it: the server gets no request. */
static void
test_demo_database (void)
{
  TestServer *server = server_start (FALSE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, TOPOUT_SYNC_BATCH_SESSIONS);
  TopoutSyncSummary s;
  sqlite3 *db = open_db (path);

  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO meta (key, value) VALUES ('demo', '1')", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (topout_store_is_demo (store));

  s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  g_assert_cmpuint (s.n_batches, ==, 0);
  g_assert_cmpuint (s.n_synced + s.n_failed + s.n_rejected + s.n_conflict, ==, 0);
  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions"), ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'PENDING'"),
                   ==, N_SESSIONS);
  g_assert_null (topout_sync_engine_get_last_error (engine));

  server_stop (server);
}

/* Several batches over one TCP connection (SOUP_MESSAGE_IDEMPOTENT). */
static void
test_one_connection (void)
{
  TestServer *server = server_start (FALSE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, 10);
  TopoutSyncSummary s;

  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_batches, ==, 5);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);
  g_assert_cmpuint (topout_sync_engine_get_n_connections (engine), ==, 1);
  assert_all_arrived_once (server, path);
  server_stop (server);
}

/* Each fault of the server's test mode in turn: still exactly once, nothing
 * left due. */
static void
test_fault (gconstpointer data)
{
  const char *mode = data;
  TestServer *server = server_start (TRUE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, 10);
  gint64 now = topout_test_parse_time (NOW);
  TopoutSyncSummary s;
  guint round;

  topout_sync_engine_set_timeout (engine, 1);
  server_set_fault (server, mode, 2, 1);

  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  if (g_strcmp0 (mode, "drop") != 0)
    {
      /* The first batch failed, and the sync stopped there. */
      g_assert_cmpuint (s.n_failed, ==, 10);
      g_assert_cmpuint (s.n_synced, ==, 0);
      g_assert_cmpuint (s.left_due, ==, N_SESSIONS);
      g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY);
      g_assert_nonnull (topout_sync_engine_get_last_error (engine));
      g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'FAILED'"), ==, 10);
      g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'SYNCING'"), ==, 0);
      if (g_str_equal (mode, "503") || g_str_equal (mode, "429"))
        {
          /* Retry-After: 1 honoured exactly. */
          g_assert_cmpint (topout_test_query_int (path, "SELECT min (next_attempt_at) FROM sessions WHERE sync_state = 'FAILED'"), ==, now + G_USEC_PER_SEC);
          g_assert_cmpint (topout_test_query_int (path, "SELECT max (next_attempt_at) FROM sessions WHERE sync_state = 'FAILED'"), ==, now + G_USEC_PER_SEC);
        }
      else
        {
          /* First failure: full jitter in [0, 2 s], one draw for the batch
           * (it is sent again as one request, not ten). */
          g_assert_cmpint (topout_test_query_int (path, "SELECT min (next_attempt_at) FROM sessions WHERE sync_state = 'FAILED'"), >=, now);
          g_assert_cmpint (topout_test_query_int (path, "SELECT max (next_attempt_at) FROM sessions WHERE sync_state = 'FAILED'"), <=, now + 2 * G_USEC_PER_SEC);
          g_assert_cmpint (topout_test_query_int (path, "SELECT count (DISTINCT next_attempt_at) FROM sessions WHERE sync_state = 'FAILED'"), ==, 1);
        }
      /* Not due yet: nothing is sent before the backoff is over. */
      if (topout_test_query_int (path, "SELECT min (next_attempt_at) FROM sessions WHERE sync_state = 'FAILED'") > now)
        {
          g_assert_cmpuint (topout_store_count_due_sessions (store, now), ==, N_SESSIONS - 10);
        }
    }

  for (round = 0; round < 10 && s.left_due > 0; round++)
    {
      topout_test_advance (TOPOUT_SYNC_BACKOFF_CAP_USEC + G_USEC_PER_SEC);
      s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
    }
  g_assert_cmpuint (s.left_due, ==, 0);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_IDLE);
  assert_all_arrived_once (server, path);
  server_stop (server);
}

/* Runs only @context (never the global default one) until @w is done or
 * @seconds have passed: TRUE when it is done. */
static gboolean
iterate_until_done (GMainContext *context,
                    SyncWait     *w,
                    guint         seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!w->done && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (context, FALSE))
      g_usleep (1000);
  return w->done;
}

/* An https address for a server of plain http: the server waits for a
 * request and never answers the handshake. Said so, after a third of the
 * request's time (it waited the whole timeout and said "did not answer"):
 * the message is the handshake's timer's (2 s here); the request's (6 s)
 * would say "did not answer in time". */
static void
test_https_to_plain_server (void)
{
  TestServer *server = server_start (FALSE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, 10);
  g_autofree char *https = NULL;
  TopoutSyncSummary s;

  g_assert_true (g_str_has_prefix (server->url, "http://"));
  https = g_strconcat ("https://", server->url + strlen ("http://"), NULL);
  topout_sync_engine_set_server_url (engine, https);
  topout_sync_engine_set_timeout (engine, 6);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  /* The first batch failed; the rest were not tried after it. */
  g_assert_cmpuint (s.n_failed, ==, 10);
  g_assert_cmpuint (s.n_synced, ==, 0);
  g_assert_cmpuint (s.left_due, ==, N_SESSIONS);
  g_assert_cmpstr (topout_sync_engine_get_last_error (engine), ==,
                   "The sync server did not start a secure connection. If it serves plain http, "
                   "its address begins with http://");

  /* The right address: everything goes. */
  topout_sync_engine_set_server_url (engine, server->url);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);
  g_assert_cmpuint (s.left_due, ==, 0);
  server_stop (server);
}

/* An engine made in a main context of its own, as `topout --sync-now` makes
 * it, runs its timers and idles in that context: a hung request times out
 * while nothing runs the global default context, and a sync of several
 * batches (each read in a thread, its result back in this context)
 * completes. */
static void
test_own_context (void)
{
  TestServer *server = server_start (TRUE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (TopoutSyncEngine) engine = NULL;
  SyncWait w = { 0 };

  server_set_fault (server, "hang", 1, 0);
  g_main_context_push_thread_default (context);
  engine = engine_new (store, server, 10);
  topout_sync_engine_set_timeout (engine, 1);

  w.loop = g_main_loop_new (context, FALSE);
  topout_sync_engine_sync_async (engine, TOPOUT_SYNC_FLAGS_NONE, NULL, sync_done, &w);
  g_assert_true (iterate_until_done (context, &w, 20));
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  g_assert_cmpuint (w.summary.n_failed, ==, 10);
  g_assert_cmpuint (w.summary.n_synced, ==, 0);
  g_assert_cmpstr (topout_sync_engine_get_last_error (engine), ==, "The sync server did not answer in time");

  memset (&w.summary, 0, sizeof w.summary);
  w.done = w.ok = FALSE;
  topout_sync_engine_sync_async (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL, NULL, sync_done, &w);
  g_assert_true (iterate_until_done (context, &w, 60));
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  g_assert_cmpuint (w.summary.n_synced, ==, N_SESSIONS);
  g_assert_cmpuint (w.summary.left_due, ==, 0);
  g_main_loop_unref (w.loop);

  g_clear_object (&engine);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  assert_all_arrived_once (server, path);
  server_stop (server);
}

typedef struct {
  guint due_reads;
  guint marks;
} AppStatements;

static int
count_app_statements (unsigned int  type,
                      void         *user_data,
                      void         *stmt,
                      void         *sql)
{
  AppStatements *seen = user_data;

  /* The due query names its merge key; the marks set SYNCING. */
  if (strstr (sql, "queue_order") != NULL)
    seen->due_reads++;
  if (strstr (sql, "SET sync_state = 'SYNCING'") != NULL)
    seen->marks++;
  return 0;
}

/* The batches are read and encoded in a thread, on a connection of its own:
 * the app's connection (the window's thread) only marks them and records
 * the results. */
static void
test_reads_in_a_thread (void)
{
  TestServer *server = server_start (FALSE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, 10);
  AppStatements seen = { 0 };
  TopoutSyncSummary s;

  sqlite3_trace_v2 (_topout_store_get_db (store), SQLITE_TRACE_STMT, count_app_statements, &seen);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  sqlite3_trace_v2 (_topout_store_get_db (store), 0, NULL, NULL);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);
  g_assert_cmpuint (s.n_batches, ==, N_SESSIONS / 10);
  g_assert_cmpuint (s.left_due, ==, 0);
  g_assert_cmpuint (seen.marks, ==, N_SESSIONS);  /* one UPDATE per session, traced */
  g_assert_cmpuint (seen.due_reads, ==, 0);
  assert_all_arrived_once (server, path);
  server_stop (server);
}

/* If the database cannot be opened again (here it left its path while the
 * app had it open), the sync reads on the app's connection, as before, and
 * nothing is created where the file was. */
static void
test_reads_here_without_another_connection (void)
{
  TestServer *server = server_start (FALSE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, 10);
  g_autofree char *moved = g_strconcat (path, ".moved", NULL);
  AppStatements seen = { 0 };
  TopoutSyncSummary s;

  g_assert_cmpint (g_rename (path, moved), ==, 0);
  sqlite3_trace_v2 (_topout_store_get_db (store), SQLITE_TRACE_STMT, count_app_statements, &seen);
  g_test_expect_message (G_LOG_DOMAIN_ENGINE, G_LOG_LEVEL_MESSAGE, "Sync reads on the main thread: *");
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_test_assert_expected_messages ();
  sqlite3_trace_v2 (_topout_store_get_db (store), 0, NULL, NULL);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);
  g_assert_cmpuint (s.left_due, ==, 0);
  /* Every batch, and the last look that finds nothing more. */
  g_assert_cmpuint (seen.due_reads, ==, N_SESSIONS / 10 + 1);

  g_assert_cmpint (g_rename (moved, path), ==, 0);
  assert_all_arrived_once (server, path);
  server_stop (server);
}

typedef struct {
  TopoutStore *store;
  char        *target;
  gboolean     edited;
} InFlight;

static gboolean
edit_in_flight (gpointer user_data)
{
  InFlight *f = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) session = topout_store_get_session (f->store, f->target, &error);

  g_assert_no_error (error);
  g_assert_cmpint (topout_session_get_sync_state (session), ==, TOPOUT_SYNC_STATE_SYNCING);
  topout_session_set_notes (session, "Edited in flight");
  g_assert_true (topout_store_update_session (f->store, session, &error));
  g_assert_no_error (error);
  f->edited = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_session_changed (TopoutStore   *store,
                    TopoutSession *before,
                    TopoutSession *after,
                    InFlight      *f)
{
  if (!f->edited && after != NULL && g_strcmp0 (topout_session_get_id (after), f->target) == 0 &&
      topout_session_get_sync_state (after) == TOPOUT_SYNC_STATE_SYNCING)
    /* The POST is on its way: edit before anything else runs. */
    g_idle_add_full (G_PRIORITY_HIGH, edit_in_flight, f, NULL);
}

/* An edit made while its batch is in flight stays PENDING (with the
 * server's id) and arrives as "updated" in the next round; through a hung
 * request too. */
static void
test_edit_in_flight (void)
{
  TestServer *server = server_start (TRUE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  /* Batches of 10: a batch of more than 16 is announced as ::sessions-sync-changed. */
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, 10);
  g_autoptr (GPtrArray) due = topout_store_list_due_sessions (store, G_MAXINT64, 0);
  g_autoptr (TopoutSession) after = NULL;
  InFlight f = { store, NULL, FALSE };
  TopoutSyncSummary s;
  gulong id;

  f.target = g_strdup (topout_session_get_id (g_ptr_array_index (due, 7)));
  id = g_signal_connect (store, "session-changed", G_CALLBACK (on_session_changed), &f);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_true (f.edited);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);  /* the server took all 50 */
  g_assert_cmpuint (s.left_due, ==, 1);           /* the edited one waits */
  after = topout_store_get_session (store, f.target, NULL);
  g_assert_cmpint (topout_session_get_sync_state (after), ==, TOPOUT_SYNC_STATE_PENDING);
  g_assert_cmpint (topout_session_get_revision (after), ==, 2);
  g_assert_nonnull (topout_session_get_server_id (after));
  g_clear_object (&after);

  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, 1);
  g_assert_cmpuint (s.left_due, ==, 0);
  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions WHERE revision = 2 AND notes = 'Edited in flight'"), ==, 1);
  assert_all_arrived_once (server, path);

  /* Through a hang: the request times out, the edit made meanwhile is kept. */
  g_free (f.target);
  f.target = g_strdup (topout_session_get_id (g_ptr_array_index (due, 3)));
  f.edited = FALSE;
  after = topout_store_get_session (store, f.target, NULL);
  topout_session_set_notes (after, "First edit");
  g_assert_true (topout_store_update_session (store, after, NULL));
  g_clear_object (&after);
  server_set_fault (server, "hang", 1, 0);
  topout_sync_engine_set_timeout (engine, 1);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_true (f.edited);
  g_assert_cmpuint (s.n_failed, ==, 1);
  after = topout_store_get_session (store, f.target, NULL);
  g_assert_cmpint (topout_session_get_sync_state (after), ==, TOPOUT_SYNC_STATE_PENDING);
  g_assert_cmpint (topout_session_get_revision (after), ==, 3);
  g_clear_object (&after);
  g_signal_handler_disconnect (store, id);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, 1);
  g_assert_cmpuint (s.left_due, ==, 0);
  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions WHERE revision = 3 AND notes = 'Edited in flight'"), ==, 1);
  assert_all_arrived_once (server, path);

  g_free (f.target);
  server_stop (server);
}

/* CONFLICT with the real server (SPEC section 4): the server holds a higher
 * revision of a session (another copy of this database synced it further);
 * an edit here gets "conflict" with the server's revision, kept; "Keep this
 * device's version" sends it again as the server's revision + 1, which the
 * server takes ("updated") with this device's content. */
static void
test_conflict_keep_local_with_server (void)
{
  TestServer *server = server_start (FALSE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, TOPOUT_SYNC_BATCH_SESSIONS);
  g_autoptr (GPtrArray) due = topout_store_list_due_sessions (store, G_MAXINT64, 0);
  g_autofree char *id = g_strdup (topout_session_get_id (g_ptr_array_index (due, 4)));
  g_autofree char *sql = NULL;
  g_autofree char *query = NULL;
  g_autoptr (TopoutSession) session = NULL;
  g_autoptr (GError) error = NULL;
  TopoutSyncSummary s;

  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);

  /* Revision 5 on the server, with other notes. */
  sql = g_strdup_printf ("UPDATE sessions SET revision = 5, notes = 'the other copy', content_hash = 'c2:x'"
                         " WHERE client_id = '%s'", id);
  exec_sql (server->db, sql);

  session = topout_store_get_session (store, id, NULL);
  topout_session_set_notes (session, "this device");
  g_assert_true (topout_store_update_session (store, session, &error));
  g_assert_no_error (error);
  g_clear_object (&session);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_conflict, ==, 1);
  session = topout_store_get_session (store, id, NULL);
  g_assert_cmpint (topout_session_get_sync_state (session), ==, TOPOUT_SYNC_STATE_CONFLICT);
  g_assert_cmpint (topout_session_get_revision (session), ==, 2);
  g_assert_cmpint (topout_session_get_server_revision (session), ==, 5);
  g_clear_object (&session);

  g_assert_true (topout_store_keep_local_version (store, id, &error));
  g_assert_no_error (error);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, 1);
  g_assert_cmpuint (s.n_conflict, ==, 0);
  session = topout_store_get_session (store, id, NULL);
  g_assert_cmpint (topout_session_get_sync_state (session), ==, TOPOUT_SYNC_STATE_SYNCED);
  g_assert_cmpint (topout_session_get_revision (session), ==, 6);
  query = g_strdup_printf ("SELECT count (*) FROM sessions WHERE client_id = '%s' AND revision = 6"
                           " AND notes = 'this device'", id);
  g_assert_cmpint (topout_test_query_int (server->db, query), ==, 1);
  server_stop (server);
}

/* A climber renamed or given another member code: every session the server
 * may hold goes again (each carries its climber), so the server learns the
 * correction. And the answer to an edited session lost on its way back (the
 * server stored revision 2), then the climber renamed before the retry: the
 * retry is an update (revision 3), not a conflict over revision 2. */
static void
test_climber_edit_resends (void)
{
  TestServer *server = server_start (TRUE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, 10);
  g_autoptr (GPtrArray) due = topout_store_list_due_sessions (store, G_MAXINT64, 0);
  g_autoptr (TopoutSession) target = g_object_ref (g_ptr_array_index (due, 0));
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (TopoutClimber) climber = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = NULL;
  const char *climber_id = topout_session_get_climber_id (target);
  gint64 n_theirs;
  TopoutSyncSummary s;

  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);
  sql = g_strdup_printf ("SELECT count (*) FROM sessions WHERE climber_id = '%s'", climber_id);
  n_theirs = topout_test_query_int (path, sql);
  g_assert_cmpint (n_theirs, >=, 1);
  g_assert_cmpint (n_theirs, <, N_SESSIONS);

  /* Revision 2 reaches the server; its answer does not reach us. */
  after = topout_store_get_session (store, topout_session_get_id (target), &error);
  g_assert_no_error (error);
  topout_session_set_notes (after, "Answer lost");
  g_assert_true (topout_store_update_session (store, after, &error));
  g_assert_no_error (error);
  g_clear_object (&after);
  server_set_fault (server, "lost", 1, 0);
  topout_sync_engine_set_timeout (engine, 2);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, 0);
  g_assert_cmpuint (s.left_due, ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT revision FROM sessions WHERE client_id = '%s' AND notes = 'Answer lost'",
                         topout_session_get_id (target));
  g_assert_cmpint (topout_test_query_int (server->db, sql), ==, 2);

  /* The coach corrects the name before the retry. */
  climber = topout_store_get_climber (store, climber_id, &error);
  g_assert_no_error (error);
  topout_climber_set_display_name (climber, "Renamed Climber");
  g_assert_true (topout_store_update_climber (store, climber, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (topout_store_count_due_sessions (store, G_MAXINT64), ==, (guint) n_theirs);
  after = topout_store_get_session (store, topout_session_get_id (target), &error);
  g_assert_cmpint (topout_session_get_revision (after), ==, 3);
  g_clear_object (&after);

  topout_test_advance (TOPOUT_SYNC_BACKOFF_CAP_USEC + G_USEC_PER_SEC);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_conflict, ==, 0);
  g_assert_cmpuint (s.n_synced, ==, (guint) n_theirs);
  g_assert_cmpuint (s.left_due, ==, 0);
  g_assert_cmpint (topout_test_query_int (server->db, sql), ==, 3);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count (*) FROM climbers WHERE id = '%s' AND display_name = 'Renamed Climber'",
                         climber_id);
  g_assert_cmpint (topout_test_query_int (server->db, sql), ==, 1);
  assert_all_arrived_once (server, path);

  /* A member code corrected: the server has it after the next sync. */
  topout_climber_set_member_code (climber, "M-CORRECTED");
  g_assert_true (topout_store_update_climber (store, climber, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (topout_store_count_due_sessions (store, G_MAXINT64), ==, (guint) n_theirs);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, (guint) n_theirs);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count (*) FROM climbers WHERE id = '%s' AND member_code = 'M-CORRECTED'",
                         climber_id);
  g_assert_cmpint (topout_test_query_int (server->db, sql), ==, 1);

  /* Archiving changes nothing a session carries: nothing goes again. */
  g_assert_true (topout_store_set_climber_archived (store, climber_id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (topout_store_count_due_sessions (store, G_MAXINT64), ==, 0);
  assert_all_arrived_once (server, path);
  server_stop (server);
}

/* The routes of @session_id in the database at @path get 0 attempts, written
 * behind the store's back (its CHECK forbids them): the server rejects it. */
static void
spoil_attempts (const char *path,
                const char *session_id)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA ignore_check_constraints = ON;"
                                          " UPDATE completions SET attempts = 0 WHERE session_id = '%s'",
                                          session_id);

  exec_sql (path, sql);
}

/* One invalid session in a batch: exactly that one is REJECTED. */
static void
test_partial_reject (void)
{
  TestServer *server = server_start (FALSE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, TOPOUT_SYNC_BATCH_SESSIONS);
  g_autoptr (GPtrArray) due = topout_store_list_due_sessions (store, G_MAXINT64, 0);
  g_autoptr (TopoutSession) bad = NULL;
  g_autofree char *sql = NULL;
  const char *bad_id = topout_session_get_id (g_ptr_array_index (due, 11));
  TopoutSyncSummary s;

  spoil_attempts (path, bad_id);

  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS - 1);
  g_assert_cmpuint (s.n_rejected, ==, 1);
  g_assert_cmpuint (s.left_due, ==, 0);
  bad = topout_store_get_session (store, bad_id, NULL);
  g_assert_cmpint (topout_session_get_sync_state (bad), ==, TOPOUT_SYNC_STATE_REJECTED);
  g_assert_nonnull (topout_session_get_last_error (bad));
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'REJECTED'"), ==, 1);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'SYNCED'"), ==, N_SESSIONS - 1);
  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions"), ==, N_SESSIONS - 1);
  server_stop (server);
}

/* Runs the main loop until @engine is idle with @pending and @attention, or 20 s. */
static void
wait_engine (TopoutSyncEngine *engine,
             guint             pending,
             guint             attention)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while ((topout_sync_engine_get_pending (engine) != pending ||
          topout_sync_engine_get_attention (engine) != attention ||
          topout_sync_engine_get_state (engine) != TOPOUT_SYNC_ENGINE_STATE_IDLE) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (topout_sync_engine_get_pending (engine), ==, pending);
  g_assert_cmpuint (topout_sync_engine_get_attention (engine), ==, attention);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_IDLE);
}

/* A refused session is counted as needing attention (never "all synced");
 * sent again by a person (here: mended, then retried), it goes at once, with
 * no other trigger (no session ends, no timer is due). */
static void
test_attention_and_resend_now (void)
{
  TestServer *server = server_start (FALSE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, TOPOUT_SYNC_BATCH_SESSIONS);
  g_autoptr (GPtrArray) due = topout_store_list_due_sessions (store, G_MAXINT64, 0);
  g_autofree char *bad_id = g_strdup (topout_session_get_id (g_ptr_array_index (due, 3)));
  g_autofree char *sql = NULL;
  g_autoptr (GError) error = NULL;
  guint backlog_pending = 99, backlog_attention = 99;

  spoil_attempts (path, bad_id);
  g_assert_cmpuint (topout_sync_engine_get_attention (engine), ==, 0);

  topout_sync_engine_start (engine);
  wait_engine (engine, 0, 1);
  g_assert_true (topout_store_count_sync_backlog (store, &backlog_pending, &backlog_attention, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (backlog_pending, ==, 0);
  g_assert_cmpuint (backlog_attention, ==, 1);

  /* Mended, and sent again from its row. */
  sql = g_strdup_printf ("UPDATE completions SET attempts = 2 WHERE session_id = '%s'", bad_id);
  exec_sql (path, sql);
  g_assert_true (topout_store_retry_session (store, bad_id, &error));
  g_assert_no_error (error);
  wait_engine (engine, 0, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'SYNCED'"), ==,
                   N_SESSIONS);
  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions"), ==, N_SESSIONS);
  topout_sync_engine_stop (engine);
  server_stop (server);
}

/* 401: everything back to due without an attempt spent, no retry until the
 * token changes; then it all goes. */
static void
test_unauthorized (void)
{
  TestServer *server = server_start (FALSE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, 10);
  TopoutSyncSummary s;

  topout_sync_engine_set_token (engine, "wrong-token");
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_true (s.unauthorized);
  g_assert_cmpuint (s.n_batches, ==, 1);
  g_assert_cmpuint (s.left_due, ==, N_SESSIONS);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_UNAUTHORIZED);
  g_assert_nonnull (topout_sync_engine_get_last_error (engine));
  g_assert_null (strstr (topout_sync_engine_get_last_error (engine), "wrong-token"));
  g_assert_cmpuint (topout_store_count_due_sessions (store, topout_store_now (store)), ==, N_SESSIONS);
  g_assert_cmpint (topout_test_query_int (path, "SELECT max (sync_attempts) FROM sessions"), ==, 0);

  /* Stopped until settings change: no request. */
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_true (s.unauthorized);
  g_assert_cmpuint (s.n_batches, ==, 0);

  topout_sync_engine_set_token (engine, server->token);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_IDLE);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_false (s.unauthorized);
  g_assert_cmpuint (s.left_due, ==, 0);
  assert_all_arrived_once (server, path);
  server_stop (server);
}

/* topout --sync-now exit codes: 3, 1, 2, 0. */
static void
test_cli_exit_codes (void)
{
  TestServer *server = server_start (TRUE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (GPtrArray) due = topout_store_list_due_sessions (store, G_MAXINT64, 0);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *sql = NULL;

  /* A database that is not there (a mistyped path): misconfigured, and
   * no empty database is left in its place. */
  {
    g_autofree char *typo = g_strconcat (path, "-typo.db", NULL);

    g_assert_cmpint (run_cli (typo, server->url, server->token, NULL), ==, 3);
    g_assert_false (g_file_test (typo, G_FILE_TEST_EXISTS));
  }

  /* No server address anywhere: said on stderr (cron mails it; a script
   * that keeps stdout sees it too), nothing on stdout. */
  g_assert_cmpint (run_cli_full (path, NULL, server->token, &out, &err), ==, 3);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "Sync is not set up"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* A token the server does not know. */
  g_assert_cmpint (run_cli_full (path, server->url, "wrong-token", &out, &err), ==, 3);
  g_assert_null (strstr (err, "wrong-token"));
  g_assert_true (g_str_has_prefix (err, "Not authorised"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* Plain http to a host that is not loopback: said why (it said "no
   * server address or no device token", and both were there). */
  g_assert_cmpint (run_cli_full (path, "http://192.0.2.1:8080", server->token, &out, &err), ==, 3);
  g_assert_true (g_str_has_prefix (err, "Sync is not set up: Plain http is only used for this computer"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* A space in the address (a stray one before the port, a host typed
   * with one): no web address, said so, nothing sent (it was called
   * another computer's plain http, or failed as the network, exit 1, at
   * every run). */
  {
    g_auto (GStrv) parts = g_strsplit (server->url, "127.0.0.1:", 2);
    g_autofree char *spaced_port = g_strconcat (parts[0], "127.0.0.1 :", parts[1], NULL);
    const char *spaced[] = { spaced_port, "https://gym box.example.org", "https://127.0.0.1\t/" };

    for (guint i = 0; i < G_N_ELEMENTS (spaced); i++)
      {
        g_assert_cmpint (run_cli_full (path, spaced[i], server->token, &out, &err), ==, 3);
        g_assert_cmpstr (out, ==, "");
        /* (The quotes around it are the child's locale's.) */
        g_assert_true (g_str_has_prefix (err, "Sync is not set up: The sync server address "));
        g_assert_nonnull (strstr (err, spaced[i]));
        g_assert_nonnull (strstr (err, " is not a web address"));
        g_clear_pointer (&out, g_free);
        g_clear_pointer (&err, g_free);
      }
    g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions"), ==, 0);
  }
  /* An address that answers, but not as a sync server (a path typed
   * wrong: the real server's 404): the address to mend, 3, not a retry
   * that fails the same way at every run (it was 1). */
  {
    g_autofree char *wrong_path = g_strconcat (server->url, "/not-the-sync-path", NULL);

    g_assert_cmpint (run_cli_full (path, wrong_path, server->token, &out, &err), ==, 3);
    g_assert_true (g_str_has_prefix (out, "Synced 0,"));
    g_assert_nonnull (strstr (err, "does not answer as a Topout sync server (HTTP 404)"));
    g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions"), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* A retryable failure: some left due, and the reason. */
  server_set_fault (server, "500", 1, 0);
  g_assert_cmpint (run_cli_full (path, server->url, server->token, &out, &err), ==, 1);
  g_assert_true (g_str_has_prefix (out, "Synced 0, failed 50"));
  g_assert_true (g_str_has_prefix (err, "Last failure: "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* One rejected. */
  sql = g_strdup_printf ("PRAGMA ignore_check_constraints = ON;"
                         " UPDATE completions SET attempts = 0 WHERE session_id = '%s'",
                         topout_session_get_id (g_ptr_array_index (due, 0)));
  exec_sql (path, sql);
  g_assert_cmpint (run_cli (path, server->url, server->token, &out), ==, 2);
  g_assert_cmpstr (out, ==, "Synced 49, failed 0, rejected 1, conflicts 0; 0 left to sync.\n");
  g_clear_pointer (&out, g_free);

  /* Nothing left due, but the rejected one still waits for an edit: 2 at
   * every run until a coach has dealt with it (it said 0 after the first). */
  g_assert_cmpint (run_cli_full (path, server->url, server->token, &out, &err), ==, 2);
  g_assert_cmpstr (out, ==, "Synced 0, failed 0, rejected 0, conflicts 0; 0 left to sync.\n");
  g_assert_true (g_str_has_prefix (err, "1 session waits for a coach"));
  g_assert_cmpint (topout_test_query_int (server->db, "SELECT count (*) FROM sessions"), ==, N_SESSIONS - 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Mended by a coach (its attempts edited): sent, nothing waits. */
  {
    g_autoptr (GPtrArray) routes = topout_store_list_completions (store, topout_session_get_id (g_ptr_array_index (due, 0)));
    g_autoptr (GError) error = NULL;

    for (guint i = 0; i < routes->len; i++)
      {
        TopoutCompletion *c = g_ptr_array_index (routes, i);

        if (topout_completion_get_attempts (c) == 0)
          {
            topout_completion_set_attempts (c, 2);
            g_assert_true (topout_store_update_completion (store, c, &error));
            g_assert_no_error (error);
          }
      }
  }
  g_assert_cmpint (run_cli (path, server->url, server->token, &out), ==, 0);
  g_assert_cmpstr (out, ==, "Synced 1, failed 0, rejected 0, conflicts 0; 0 left to sync.\n");
  g_clear_pointer (&out, g_free);
  server_stop (server);
}

/* Another process holds the lock: "busy", nothing touched. Killing the
 * client at any moment duplicates nothing. */
static void
test_lock_and_kill (void)
{
  TestServer *server = server_start (TRUE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, 10);
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *lock_path = g_strconcat (path, ".sync-lock", NULL);
  TopoutSyncSummary s;
  int fd;

  /* A lock held elsewhere (an fd of our own is another open file). */
  fd = g_open (lock_path, O_RDWR | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX | LOCK_NB), ==, 0);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_true (s.busy);
  g_assert_cmpuint (s.n_batches, ==, 0);
  g_assert_cmpuint (s.left_due, ==, N_SESSIONS);
  close (fd);

  /* A child hangs in its first request, holding the lock. */
  server_set_fault (server, "hang", 1, 0);
  child = spawn_self ("--sync-helper", path, server->url, server->token, &error);
  g_assert_no_error (error);
  /* The batch in flight, and the next one, read ahead and marked to go out
   * the moment the first is answered. */
  for (guint i = 0; i < 500 && topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'SYNCING'") < 10; i++)
    g_usleep (10 * 1000);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'SYNCING'"), ==, 10);
  g_usleep (200 * 1000);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_true (s.busy);
  g_assert_cmpuint (s.n_batches, ==, 0);
  /* Not the lock holder: the stuck ones stay as they are. */
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'SYNCING'"), ==, 10);

  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, NULL);
  g_clear_object (&child);

  /* Kills at random moments, batches of 5 in flight. */
  for (guint i = 0; i < 8; i++)
    {
      child = spawn_self ("--sync-helper", path, server->url, server->token, &error);
      g_assert_no_error (error);
      g_usleep (g_random_int_range (20, 250) * 1000);
      g_subprocess_force_exit (child);
      g_subprocess_wait (child, NULL, NULL);
      g_clear_object (&child);
    }

  /* The survivor takes the lock, resets what was stuck, sends the rest. */
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  g_assert_false (s.busy);
  g_assert_cmpuint (s.left_due, ==, 0);
  assert_all_arrived_once (server, path);
  server_stop (server);
}

static int
count_state (const char *path,
             const char *state)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM sessions WHERE sync_state = '%s'", state);

  return topout_test_query_int (path, sql);
}

/* While the server works on a request, the batch after it is read and
 * marked SYNCING, and the answer before it is recorded once that request
 * is written: the next batch goes out the moment an answer comes. Here the
 * second request hangs: the first batch is synced (its answer recorded
 * while the second was in flight), the second and the third are SYNCING,
 * the others not touched. Stopped there, the second and the third are due
 * again, no attempt spent on the third (it was never sent). */
static void
test_next_batch_ahead (void)
{
  TestServer *server = server_start (TRUE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, 5);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  SyncWait w = { 0 };

  server_set_fault_after (server, 1, "hang", 1, 0);
  topout_sync_engine_sync_async (engine, TOPOUT_SYNC_FLAGS_NONE, cancellable, sync_done, &w);
  w.loop = g_main_loop_new (NULL, FALSE);
  while ((count_state (path, "SYNCED") < 5 || count_state (path, "SYNCING") < 10) &&
         !w.done && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_false (w.done);
  g_assert_cmpint (count_state (path, "SYNCED"), ==, 5);
  g_assert_cmpint (count_state (path, "SYNCING"), ==, 10);
  g_assert_cmpint (count_state (path, "PENDING"), ==, N_SESSIONS - 15);

  g_cancellable_cancel (cancellable);
  if (!w.done)
    g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_clear_error (&w.error);
  g_assert_cmpint (count_state (path, "SYNCED"), ==, 5);
  g_assert_cmpint (count_state (path, "SYNCING"), ==, 0);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_attempts > 0"), ==, 0);
  server_stop (server);
}

/* A request failing while the batch after it is marked already: the
 * answer before it is recorded, the failed batch waits for its backoff,
 * and the marked one is due again at once, no attempt spent on it. */
static void
test_fault_with_next_batch_marked (void)
{
  TestServer *server = server_start (TRUE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, 5);
  TopoutSyncSummary s;

  server_set_fault_after (server, 1, "503", 1, 60);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, 5);
  g_assert_cmpuint (s.n_failed, ==, 5);
  g_assert_cmpuint (s.n_batches, ==, 2);
  g_assert_cmpint (count_state (path, "SYNCED"), ==, 5);
  g_assert_cmpint (count_state (path, "FAILED"), ==, 5);
  g_assert_cmpint (count_state (path, "SYNCING"), ==, 0);
  g_assert_cmpint (count_state (path, "PENDING"), ==, N_SESSIONS - 10);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_attempts > 0"), ==, 5);
  g_assert_cmpuint (topout_store_count_due_sessions (store, topout_store_now (store)), ==, N_SESSIONS - 10);

  topout_test_advance (61 * G_USEC_PER_SEC);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.left_due, ==, 0);
  assert_all_arrived_once (server, path);
  server_stop (server);
}

/* Misconfiguration: no URL, plain http elsewhere than loopback, no token. */
static void
test_not_configured (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = topout_sync_engine_new (store, NULL);
  TopoutSyncSummary s;

  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_true (s.not_configured);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_NOT_CONFIGURED);

  topout_sync_engine_set_token (engine, "t");
  topout_sync_engine_set_server_url (engine, "http://192.0.2.1:8080");
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_true (s.not_configured);
  g_assert_cmpuint (s.n_batches, ==, 0);

  topout_sync_engine_set_server_url (engine, "ftp://example.org");
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_true (s.not_configured);

  /* No token anywhere (no keyring in tests, no file, no variable). */
  topout_sync_engine_set_server_url (engine, "http://127.0.0.1:9");
  topout_sync_engine_set_token (engine, NULL);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_true (s.not_configured);
  g_assert_cmpuint (s.left_due, ==, N_SESSIONS);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state != 'PENDING'"), ==, 0);
}

/* A server that is not there: FAILED with backoff, state WAITING_RETRY. */
static void
test_connection_refused (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = topout_sync_engine_new (store, NULL);
  g_autofree char *url = nobody_listening_url ();
  TopoutSyncSummary s;

  topout_sync_engine_set_server_url (engine, url);
  topout_sync_engine_set_token (engine, "t");
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_failed, ==, N_SESSIONS);
  g_assert_cmpuint (s.n_batches, ==, 0);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY);
  g_assert_cmpint (topout_test_query_int (path, "SELECT count (*) FROM sessions WHERE sync_state = 'FAILED' AND sync_attempts = 1"), ==, N_SESSIONS);
  /* Nothing due until the backoff is over... */
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_failed, <=, N_SESSIONS);
  /* ...and the second attempt waits up to 4 s. */
  g_assert_cmpint (topout_test_query_int (path, "SELECT max (next_attempt_at) FROM sessions"), <=,
                   topout_test_parse_time (NOW) + 4 * G_USEC_PER_SEC);
}

/* Full jitter: every draw in [0, min(cap, base · 2^n)], and spread out. */
static void
test_backoff (void)
{
  for (guint attempt = 0; attempt < 20; attempt++)
    {
      gint64 ceiling = MIN (TOPOUT_SYNC_BACKOFF_CAP_USEC,
                            TOPOUT_SYNC_BACKOFF_BASE_USEC * ((gint64) 1 << MIN (attempt, 30)));
      gint64 lo = G_MAXINT64, hi = 0;
      double sum = 0;

      for (guint i = 0; i < 2000; i++)
        {
          gint64 d = topout_sync_backoff_delay (attempt);

          g_assert_cmpint (d, >=, 0);
          g_assert_cmpint (d, <=, ceiling);
          lo = MIN (lo, d);
          hi = MAX (hi, d);
          sum += (double) d;
        }
      /* Full jitter, not "ceiling ± a bit": the draws cover the range. */
      g_assert_cmpint (lo, <, ceiling / 10);
      g_assert_cmpint (hi, >, ceiling - ceiling / 10);
      g_assert_cmpfloat (sum / 2000, >, ceiling * 0.4);
      g_assert_cmpfloat (sum / 2000, <, ceiling * 0.6);
    }
  /* The cap: 15 minutes from attempt 9 on (2 s · 2^9 = 1024 s). */
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpint (topout_sync_backoff_delay (40), <=, TOPOUT_SYNC_BACKOFF_CAP_USEC);
}

/* Retry-After: seconds, or an HTTP date read against the Date header. */
static void
test_retry_after (void)
{
  gint64 delay = -1;
  gint64 wrong_clock = topout_test_parse_time ("2031-01-01T00:00:00Z");
  gint64 now = topout_test_parse_time ("2026-11-21T17:00:00Z");

  g_assert_true (topout_sync_parse_retry_after ("120", NULL, now, &delay));
  g_assert_cmpint (delay, ==, 120 * G_USEC_PER_SEC);
  g_assert_true (topout_sync_parse_retry_after (" 0 ", NULL, now, &delay));
  g_assert_cmpint (delay, ==, 0);

  /* Read against Date: the local clock (years off) does not matter. */
  g_assert_true (topout_sync_parse_retry_after ("Sat, 21 Nov 2026 17:02:00 GMT",
                                                "Sat, 21 Nov 2026 17:00:00 GMT", wrong_clock, &delay));
  g_assert_cmpint (delay, ==, 120 * G_USEC_PER_SEC);
  /* No Date header: against the local clock. */
  g_assert_true (topout_sync_parse_retry_after ("Sat, 21 Nov 2026 17:00:30 GMT", NULL, now, &delay));
  g_assert_cmpint (delay, ==, 30 * G_USEC_PER_SEC);
  /* A date in the past: now. */
  g_assert_true (topout_sync_parse_retry_after ("Sat, 21 Nov 2026 16:00:00 GMT",
                                                "Sat, 21 Nov 2026 17:00:00 GMT", now, &delay));
  g_assert_cmpint (delay, ==, 0);

  g_assert_false (topout_sync_parse_retry_after ("soon", NULL, now, &delay));
  g_assert_false (topout_sync_parse_retry_after ("", NULL, now, &delay));
  g_assert_false (topout_sync_parse_retry_after ("-5", NULL, now, &delay));
}

/* The token: variable, then (no keyring in tests) the 0600 file. */
static void
test_token (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *where = NULL;
  g_autofree char *token = NULL;
  g_autofree char *file = topout_sync_token_file_path ();
  GStatBuf st;

  g_assert_true (g_str_has_prefix (file, topout_test_tmpdir ()));
  token = topout_sync_token_lookup ("https://gym.example", &where, &error);
  g_assert_no_error (error);
  g_assert_null (token);
  g_assert_null (where);

  g_assert_true (topout_sync_token_store ("https://gym.example", "s3cret", &where, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (where, ==, file);
  g_clear_pointer (&where, g_free);
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  token = topout_sync_token_lookup ("https://gym.example", &where, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "s3cret");
  g_assert_cmpstr (where, ==, file);
  g_clear_pointer (&token, g_free);
  g_clear_pointer (&where, g_free);

  /* The token is that server's: the same server typed another way gets
   * it, another address does not, and clearing the other's leaves it. */
  token = topout_sync_token_lookup ("HTTPS://Gym.Example:443/", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "s3cret");
  g_clear_pointer (&token, g_free);
  token = topout_sync_token_lookup ("https://elsewhere.example", &where, &error);
  g_assert_no_error (error);
  g_assert_null (token);
  g_assert_null (where);
  g_assert_true (topout_sync_token_clear ("https://elsewhere.example", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));

  /* A file written by hand with the token alone serves any address. */
  {
    g_autofree char *by_hand = NULL;

    g_assert_true (g_file_get_contents (file, &by_hand, NULL, NULL));
    g_assert_nonnull (strstr (by_hand, "server=https://gym.example:443"));
    g_assert_true (g_file_set_contents_full (file, "\n  hand-made \n", -1, G_FILE_SET_CONTENTS_NONE, 0600, &error));
    token = topout_sync_token_lookup ("https://elsewhere.example", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (token, ==, "hand-made");
    g_clear_pointer (&token, g_free);
  }

  g_setenv ("TOPOUT_SYNC_TOKEN", "from-env", TRUE);
  token = topout_sync_token_lookup ("https://gym.example", &where, &error);
  g_assert_cmpstr (token, ==, "from-env");
  g_assert_cmpstr (where, ==, TOPOUT_SYNC_TOKEN_WHERE_ENV);
  g_clear_pointer (&token, g_free);
  g_clear_pointer (&where, g_free);
  g_unsetenv ("TOPOUT_SYNC_TOKEN");

  g_assert_true (topout_sync_token_clear ("https://gym.example", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  token = topout_sync_token_lookup ("https://gym.example", &where, &error);
  g_assert_null (token);
}

/* The engine looks the token up itself (worker thread) when none is set. */
static void
test_token_lookup_by_engine (void)
{
  TestServer *server = server_start (FALSE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, TOPOUT_SYNC_BATCH_SESSIONS);
  g_autoptr (GError) error = NULL;
  TopoutSyncSummary s;

  topout_sync_engine_set_token (engine, NULL);
  g_assert_true (topout_sync_token_store (server->url, server->token, NULL, &error));
  g_assert_no_error (error);
  s = sync_once (engine, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_false (s.not_configured);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);
  g_assert_true (topout_sync_token_clear (server->url, &error));
  assert_all_arrived_once (server, path);
  server_stop (server);
}

/* Timers: a schedule()d sync runs by itself; the retry timer follows a
 * failure's backoff. */
static void
test_schedule (void)
{
  TestServer *server = server_start (TRUE);
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = client_store_new (&path);
  g_autoptr (TopoutSyncEngine) engine = engine_new (store, server, TOPOUT_SYNC_BATCH_SESSIONS);
  gint64 deadline;

  topout_sync_engine_start (engine);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (topout_sync_engine_get_pending (engine) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (topout_sync_engine_get_pending (engine), ==, 0);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_IDLE);
  assert_all_arrived_once (server, path);
  topout_sync_engine_stop (engine);
  server_stop (server);
}

/* A database damaged in the middle, with every session still due: the sync
 * fails with the store's error and says so (state, last error), never a
 * success with nothing left. */
static void
test_damaged_database (void)
{
  TestServer *server = server_start (FALSE);
  g_autofree char *path = damaged_database_new ();
  g_autofree char *basename = g_path_get_basename (path);
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (TopoutSyncEngine) engine = NULL;
  g_autoptr (GError) error = NULL;
  SyncWait w;

  store = topout_store_new (path, &error);
  if (store == NULL)
    {
      /* Found when opening: as good, nothing can claim a sync. */
      g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN);
      server_stop (server);
      return;
    }
  g_assert_no_error (error);
  engine = engine_new (store, server, TOPOUT_SYNC_BATCH_SESSIONS);

  sync_run (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL, &w);
  g_assert_false (w.ok);
  g_assert_error (w.error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN);
  g_assert_nonnull (strstr (w.error->message, "is damaged"));
  g_assert_nonnull (strstr (w.error->message, basename));
  g_assert_null (strstr (w.error->message, "refused the change"));
  g_assert_cmpuint (w.summary.n_synced, <, N_DAMAGED_SESSIONS);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_STORE_FAILED);
  g_assert_cmpstr (topout_sync_engine_get_last_error (engine), ==, w.error->message);
  g_assert_cmpint (topout_sync_engine_get_last_success (engine), ==, 0);
  g_clear_error (&w.error);

  /* Again: the same, not a quiet "nothing left" the second time. */
  sync_run (engine, TOPOUT_SYNC_FLAGS_RETRY_ALL, &w);
  g_assert_false (w.ok);
  g_assert_error (w.error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN);
  g_assert_cmpint (topout_sync_engine_get_state (engine), ==, TOPOUT_SYNC_ENGINE_STATE_STORE_FAILED);
  g_clear_error (&w.error);

  g_clear_object (&engine);
  g_clear_object (&store);
  server_stop (server);
}

/* topout --sync-now on that database: a message naming the damage on
 * stderr, no summary of a sync, and exit code 3 (a fault of this device,
 * as a database that cannot be opened is). */
static void
test_cli_damaged_database (void)
{
  TestServer *server = server_start (FALSE);
  g_autofree char *path = damaged_database_new ();
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli_full (path, server->url, server->token, &out, &err), ==, 3);
  g_assert_null (strstr (out, "left to sync"));
  g_assert_nonnull (strstr (err, "damaged"));
  g_assert_nonnull (strstr (err, basename));
  server_stop (server);
}

/* The time of the last successful sync is each database's own, whatever
 * settings the engines share (the app's): a database that never got
 * through (a wrong token, another file opened with --db) has none, before
 * and after reopening; a sync of it by another process (`topout
 * --sync-now`) reaches the engine that has it open. */
static void
test_last_sync_per_database (void)
{
  TestServer *server = server_start (FALSE);
  g_autoptr (GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  g_autoptr (GError) error = NULL;
  g_autofree char *synced_path = NULL;
  g_autofree char *never_path = NULL;
  TopoutStore *synced = client_store_new (&synced_path);
  TopoutStore *never = topout_test_store_new (NOW, &never_path);
  TopoutSyncEngine *a = topout_sync_engine_new (synced, settings);
  TopoutSyncEngine *b = NULL;
  TopoutSyncSummary s;
  gint64 before, after;

  /* Other sessions (another seed: other ids) than the first database's. */
  g_assert_true (topout_store_generate (never, N_SESSIONS, N_ROUTES, 7, &error));
  g_assert_no_error (error);
  b = topout_sync_engine_new (never, settings);
  topout_sync_engine_set_server_url (a, server->url);
  topout_sync_engine_set_token (a, server->token);
  topout_sync_engine_set_server_url (b, server->url);
  topout_sync_engine_set_token (b, "wrong-token");

  s = sync_once (b, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_true (s.unauthorized);
  s = sync_once (a, TOPOUT_SYNC_FLAGS_NONE);
  g_assert_cmpuint (s.n_synced, ==, N_SESSIONS);
  g_assert_cmpint (topout_sync_engine_get_last_success (a), ==, topout_test_parse_time (NOW));
  g_assert_cmpint (topout_store_get_last_sync (synced), ==, topout_test_parse_time (NOW));
  g_assert_cmpint (topout_sync_engine_get_last_success (b), ==, 0);
  g_assert_cmpint (topout_store_get_last_sync (never), ==, 0);

  /* An hour later, nothing to send: no server was asked, and "last
   * synced" stays the time one answered (it said "just now"). */
  topout_test_advance (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  s = sync_once (a, TOPOUT_SYNC_FLAGS_RETRY_ALL);
  g_assert_cmpuint (s.n_batches, ==, 0);
  g_assert_cmpuint (s.left_due, ==, 0);
  g_assert_cmpint (topout_sync_engine_get_last_success (a), ==, topout_test_parse_time (NOW));
  g_assert_cmpint (topout_store_get_last_sync (synced), ==, topout_test_parse_time (NOW));
  topout_test_set_now (NOW);

  /* The app started again on the other database. */
  g_clear_object (&b);
  b = topout_sync_engine_new (never, settings);
  g_assert_cmpint (topout_sync_engine_get_last_success (b), ==, 0);

  /* Both files reopened. */
  g_clear_object (&a);
  g_clear_object (&b);
  g_clear_object (&synced);
  g_clear_object (&never);
  synced = topout_store_new (synced_path, &error);
  g_assert_no_error (error);
  never = topout_store_new (never_path, &error);
  g_assert_no_error (error);
  a = topout_sync_engine_new (synced, settings);
  b = topout_sync_engine_new (never, settings);
  g_assert_cmpint (topout_sync_engine_get_last_success (a), ==, topout_test_parse_time (NOW));
  g_assert_cmpint (topout_sync_engine_get_last_success (b), ==, 0);

  /* `topout --sync-now` gets the other one through, in another process (on
   * the real clock): the engine follows once its store notices the write,
   * as the app's watch of the file does. */
  before = g_get_real_time ();
  g_assert_cmpint (run_cli (never_path, server->url, server->token, NULL), ==, 0);
  after = g_get_real_time ();
  g_assert_cmpint (topout_sync_engine_get_last_success (b), ==, 0);
  g_assert_true (topout_store_check_external_changes (never));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (topout_sync_engine_get_last_success (b), >=, before);
  g_assert_cmpint (topout_sync_engine_get_last_success (b), <=, after);
  g_assert_cmpint (topout_sync_engine_get_last_success (b), ==, topout_store_get_last_sync (never));
  g_assert_cmpint (topout_sync_engine_get_last_success (a), ==, topout_test_parse_time (NOW));

  g_object_unref (a);
  g_object_unref (b);
  g_object_unref (synced);
  g_object_unref (never);
  server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *config = NULL;

  if (argc == 4 && (g_str_equal (argv[1], "--sync-helper") || g_str_equal (argv[1], "--cli")))
    return helper_main (argv[1], argv[2], argv[3]);

  /* Never the user's keyring or config: no session bus, a config dir of our own. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_unsetenv ("XDG_RUNTIME_DIR");
  g_unsetenv ("TOPOUT_SYNC_TOKEN");
  config = g_build_filename (topout_test_tmpdir (), "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/backoff", test_backoff);
  g_test_add_func ("/sync/retry-after", test_retry_after);
  g_test_add_func ("/sync/token", test_token);
  g_test_add_func ("/sync/not-configured", test_not_configured);
  g_test_add_func ("/sync/connection-refused", test_connection_refused);
  g_test_add_func ("/sync/all-once", test_all_once);
  g_test_add_func ("/sync/last-sync-per-database", test_last_sync_per_database);
  g_test_add_func ("/sync/server-move", test_server_move);
  g_test_add_func ("/sync/server-move-needs-an-answer", test_server_move_needs_an_answer);
  g_test_add_func ("/sync/https-to-plain-server", test_https_to_plain_server);
  g_test_add_func ("/sync/one-connection", test_one_connection);
  g_test_add_func ("/sync/demo-database", test_demo_database);
  g_test_add_data_func ("/sync/fault/500", "500", test_fault);
  g_test_add_data_func ("/sync/fault/503", "503", test_fault);
  g_test_add_data_func ("/sync/fault/429", "429", test_fault);
  g_test_add_data_func ("/sync/fault/drop", "drop", test_fault);
  g_test_add_data_func ("/sync/fault/hang", "hang", test_fault);
  g_test_add_data_func ("/sync/fault/garbage", "garbage", test_fault);
  g_test_add_func ("/sync/own-context", test_own_context);
  g_test_add_func ("/sync/edit-in-flight", test_edit_in_flight);
  g_test_add_func ("/sync/conflict-keep-local-with-server", test_conflict_keep_local_with_server);
  g_test_add_func ("/sync/reads-in-a-thread", test_reads_in_a_thread);
  g_test_add_func ("/sync/reads-here-without-another-connection", test_reads_here_without_another_connection);
  g_test_add_func ("/sync/partial-reject", test_partial_reject);
  g_test_add_func ("/sync/attention-and-resend-now", test_attention_and_resend_now);
  g_test_add_func ("/sync/climber-edit-resends", test_climber_edit_resends);
  g_test_add_func ("/sync/unauthorized", test_unauthorized);
  g_test_add_func ("/sync/cli-exit-codes", test_cli_exit_codes);
  g_test_add_func ("/sync/damaged-database", test_damaged_database);
  g_test_add_func ("/sync/cli-damaged-database", test_cli_damaged_database);
  g_test_add_func ("/sync/lock-and-kill", test_lock_and_kill);
  g_test_add_func ("/sync/next-batch-ahead", test_next_batch_ahead);
  g_test_add_func ("/sync/fault-with-next-batch-marked", test_fault_with_next_batch_marked);
  g_test_add_func ("/sync/token-lookup-by-engine", test_token_lookup_by_engine);
  g_test_add_func ("/sync/schedule", test_schedule);
  g_test_add_func ("/sync/halving-400", test_halving_400);
  g_test_add_data_func ("/sync/400-not-a-sync-server/html", GINT_TO_POINTER (SCRIPTED_400_HTML), test_400_not_a_sync_server);
  g_test_add_data_func ("/sync/400-not-a-sync-server/always", GINT_TO_POINTER (SCRIPTED_400_ALWAYS), test_400_not_a_sync_server);
  g_test_add_func ("/sync/halving-413", test_halving_413);
  g_test_add_func ("/sync/odd-results", test_odd_results);
  g_test_add_data_func ("/sync/not-a-sync-server/200-page", GINT_TO_POINTER (SCRIPTED_200_HTML), test_not_a_sync_server);
  g_test_add_data_func ("/sync/not-a-sync-server/404", GINT_TO_POINTER (SCRIPTED_404), test_not_a_sync_server);
  g_test_add_func ("/sync/no-results", test_no_results);
  g_test_add_data_func ("/sync/redirect-not-followed/301", GUINT_TO_POINTER (SOUP_STATUS_MOVED_PERMANENTLY),
                        test_redirect_not_followed);
  g_test_add_data_func ("/sync/redirect-not-followed/308", GUINT_TO_POINTER (SOUP_STATUS_PERMANENT_REDIRECT),
                        test_redirect_not_followed);
  g_test_add_func ("/sync/retry-after-date", test_retry_after_date);
  g_test_add_func ("/sync/retry-after-bounded", test_retry_after_bounded);
  g_test_add_data_func ("/sync/sync-now-waits/503", "503", test_sync_now_waits);
  g_test_add_data_func ("/sync/sync-now-waits/429", "429", test_sync_now_waits);
  g_test_add_data_func ("/sync/sync-now-waits/500", "500", test_sync_now_waits);
  g_test_add_func ("/sync/cli-waits", test_cli_waits);
  g_test_add_func ("/sync/huge-response", test_huge_response);
  g_test_add_func ("/sync/tls-pinning", test_tls_pinning);
  g_test_add_func ("/sync/retry-timer", test_retry_timer);

  return g_test_run ();
}
