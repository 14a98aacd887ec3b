/* bench-sync-common.c — see bench-sync-common.h. */
#include "config.h"

#include "bench-sync-common.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "topout-bench-util.h"
#include "topout-limits.h"
#include "topout-sync-codec.h"

const char *
bench_server_path (int argc, char **argv)
{
  const char *path = argc > 1 ? argv[1] : g_getenv ("TOPOUT_SERVER");

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("usage: %s PATH-TO-topout-server (or set TOPOUT_SERVER)\n", argv[0]);
      exit (2);
    }
  return path;
}

char *
bench_work_dir (const char *name)
{
  char *dir = g_build_filename (topout_bench_data_dir (), name, NULL);

  g_mkdir_with_parents (dir, 0700);
  return dir;
}

void
bench_remove_db (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

static void
lowest_priority (gpointer user_data)
{
  /* In the child, before exec: every thread it makes inherits it. */
  if (nice (19) == -1)
    _exit (127);
}

static BenchServer *
server_start (const char *server_path,
              const char *db_path,
              const char *token_file,
              gboolean    niced)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  BenchServer *server = g_new0 (BenchServer, 1);
  const char *colon;

  bench_remove_db (db_path);
  server->db_path = g_strdup (db_path);
  if (niced)
    g_subprocess_launcher_set_child_setup (launcher, lowest_priority, NULL, NULL);
  server->proc = g_subprocess_launcher_spawn (launcher, &error,
                                              server_path, "--listen", "127.0.0.1:0", "--db", db_path,
                                              "--token-file", token_file, "--stats", NULL);
  if (server->proc == NULL)
    g_error ("cannot start %s: %s", server_path, error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "listening on http://127.0.0.1:"))
    g_error ("topout-server did not start: %s", error ? error->message : line ? line : "(eof)");
  colon = strrchr (line, ':');
  server->url = g_strdup_printf ("http://127.0.0.1:%s", colon + 1);
  return server;
}

BenchServer *
bench_server_start (const char *server_path,
                    const char *db_path,
                    const char *token_file)
{
  return server_start (server_path, db_path, token_file, FALSE);
}

BenchServer *
bench_server_start_niced (const char *server_path,
                          const char *db_path,
                          const char *token_file)
{
  return server_start (server_path, db_path, token_file, TRUE);
}

int
bench_server_connections (BenchServer *server,
                          guint64     *requests)
{
  g_autoptr (SoupSession) soup = soup_session_new ();
  g_autofree char *url = g_strconcat (server->url, "/__stats", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GBytes) body = soup_session_send_and_read (soup, msg, NULL, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o;

  if (body == NULL || soup_message_get_status (msg) != 200 ||
      !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL))
    return -1;
  o = json_node_get_object (json_parser_get_root (parser));
  if (requests != NULL)
    *requests = (guint64) json_object_get_int_member (o, "requests");
  return (int) json_object_get_int_member (o, "connections");
}

void
bench_server_stop (BenchServer *server)
{
  if (server == NULL)
    return;
  g_subprocess_send_signal (server->proc, SIGTERM);
  g_subprocess_wait (server->proc, NULL, NULL);
  g_object_unref (server->proc);
  g_free (server->db_path);
  g_free (server->url);
  g_free (server);
}

gint64
bench_count_rows (const char *db_path,
                  const char *table)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  gint64 n = -1;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

GPtrArray *
bench_load_due (TopoutStore  *store,
                GHashTable  **climbers)
{
  GPtrArray *due = topout_store_list_due_sessions (store, G_MAXINT64, 0);

  *climbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (guint i = 0; i < due->len; i++)
    {
      const char *id = topout_session_get_climber_id (g_ptr_array_index (due, i));
      TopoutClimber *climber;

      if (id == NULL || g_hash_table_contains (*climbers, id))
        continue;
      climber = topout_store_get_climber (store, id, NULL);
      if (climber != NULL)
        g_hash_table_insert (*climbers, g_strdup (id), climber);
    }
  return due;
}

static void
encode_part (GPtrArray  *out,
             GPtrArray  *part,
             GHashTable *climbers,
             const char *device_id)
{
  GBytes *body = topout_sync_encode_request (part, climbers, device_id);

  if (g_bytes_get_size (body) > TOPOUT_SYNC_BATCH_BYTES && part->len > 1)
    {
      guint mid = part->len / 2;
      g_autoptr (GPtrArray) a = g_ptr_array_new ();
      g_autoptr (GPtrArray) b = g_ptr_array_new ();

      for (guint i = 0; i < part->len; i++)
        g_ptr_array_add (i < mid ? a : b, g_ptr_array_index (part, i));
      g_bytes_unref (body);
      encode_part (out, a, climbers, device_id);
      encode_part (out, b, climbers, device_id);
      return;
    }
  g_ptr_array_add (out, body);
}

GPtrArray *
bench_encode_batches (GPtrArray  *sessions,
                      GHashTable *climbers,
                      const char *device_id,
                      guint       batch_sessions,
                      const char *prefix)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (GPtrArray) keyed = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < sessions->len; i++)
    {
      TopoutSession *s = g_ptr_array_index (sessions, i);

      if (prefix != NULL)
        {
          /* A copy with another clientId: same content, another client. */
          TopoutSession *copy = topout_session_copy (s);
          g_autofree char *id = g_strconcat (prefix, topout_session_get_id (s), NULL);

          topout_session_set_id (copy, id);
          g_ptr_array_add (keyed, copy);
        }
      else
        g_ptr_array_add (keyed, g_object_ref (s));
    }

  for (guint from = 0; from < keyed->len; from += batch_sessions)
    {
      g_autoptr (GPtrArray) part = g_ptr_array_new ();

      for (guint i = from; i < MIN (from + batch_sessions, keyed->len); i++)
        g_ptr_array_add (part, g_ptr_array_index (keyed, i));
      encode_part (out, part, climbers, device_id);
    }
  return out;
}

guint
bench_post (SoupSession *soup,
            const char  *url,
            const char  *token,
            GBytes      *body,
            GBytes     **response)
{
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr (GError) error = NULL;
  GBytes *answer;

  /* Idempotent by clientId: libsoup keeps the connection for it. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  answer = soup_session_send_and_read (soup, msg, NULL, &error);
  if (answer == NULL)
    {
      g_printerr ("POST %s: %s\n", url, error->message);
      return 0;
    }
  if (response != NULL)
    *response = answer;
  else
    g_bytes_unref (answer);
  return soup_message_get_status (msg);
}
