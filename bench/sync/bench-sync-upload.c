/* bench-sync-upload.c — scenario 4 of BENCHMARKS.md:
 *
 *   sync 10,000 pending sessions / 200,000 completions to topout-server on
 *   loopback: <= 2 s end to end, one TCP connection, client peak RSS growth
 *   <= 30 MB, nothing left due.
 *
 * Compared in the same run with
 *   - one request per session (the seeds' first design: POST
 *     /sessions/offline with clientId, a keep-alive libsoup session, the
 *     same codec for each session's JSON, the result recorded per session):
 *     bulk must be >= 5x faster;
 *   - the floor: one curl process posting the exact bodies the client sends
 *     (encoded by the same codec in the same batches) over one connection;
 *   - json-glib's own floor: parsing and freeing those bodies once each, in
 *     this thread, with JsonParser, which the server must do one request
 *     after another (one connection carries one request at a time).
 *
 * The bulk trials run topout_sync_run_cli(), the very code of
 * `topout --sync-now --db COPY --server URL` (token from TOPOUT_SYNC_TOKEN),
 * in this process, each against a fresh copy of the cached generated
 * database and a fresh server database. Time = opening the store to the
 * store closed. Connections are counted by the server (distinct client
 * sockets that carried a request, GET /__stats). RSS growth = VmHWM after
 * the trial minus VmRSS before it, the peak reset by /proc/self/clear_refs.
 *
 *   bench-sync-upload PATH-TO-topout-server   (or TOPOUT_SERVER=…)
 *   TOPOUT_BENCH_TRIALS=N (default 5), TOPOUT_BENCH_SESSIONS=N (default 10000)
 *
 * The same sync with the window open on History, as a gym sees it:
 * bench-sync-window.c (scenario-4-sync-window).
 */
#include "config.h"

#include <fcntl.h>
#include <malloc.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench-sync-common.h"
#include "topout-bench-util.h"
#include "topout-limits.h"
#include "topout-sync-codec.h"
#include "topout-sync-engine.h"

#define SCENARIO "4"
#define TOKEN    "bench-token-0123456789abcdef0123456789abcdef"
#define SEED     4

static guint
env_uint (const char *name, guint fallback)
{
  const char *v = g_getenv (name);

  return v != NULL && *v ? (guint) g_ascii_strtoull (v, NULL, 10) : fallback;
}

static gboolean
reset_peak_rss (void)
{
  /* "5" resets VmHWM to the current RSS (Linux >= 4.0). Written in place:
   * g_file_set_contents() writes a temporary file and renames it, which
   * /proc refuses, so the peak was never reset and the figure was the
   * set-up's peak (all bodies encoded up front) minus the RSS before. */
  int fd = open ("/proc/self/clear_refs", O_WRONLY);
  gboolean ok = fd >= 0 && write (fd, "5", 1) == 1;

  if (fd >= 0)
    close (fd);
  if (!ok)
    g_error ("cannot reset the peak RSS through /proc/self/clear_refs");
  return ok;
}

static void
copy_or_die (const char *src, const char *dest)
{
  g_autoptr (GError) error = NULL;

  bench_remove_db (dest);
  if (!topout_bench_copy_db (src, dest, &error))
    g_error ("copy %s: %s", src, error->message);
}

/* One sync of a fresh copy, as `topout --sync-now` does it. */
static void
bulk_trial (const char         *server_path,
            const char         *work,
            const char         *token_file,
            const char         *src,
            guint               n_sessions,
            TopoutBenchSamples *times,
            TopoutBenchSamples *rss,
            int                *max_connections,
            gint64             *max_left,
            gboolean           *rows_ok)
{
  g_autofree char *client_db = g_build_filename (work, "client.db", NULL);
  g_autofree char *server_db = g_build_filename (work, "server.db", NULL);
  BenchServer *server;
  double t0, ms;
  gint64 rss0, hwm, left;
  int rc, connections;
  guint64 requests = 0;

  copy_or_die (src, client_db);
  server = bench_server_start (server_path, server_db, token_file);

  /* The set-up's freed heap goes back to the system first, so that the sync
   * cannot hide its own memory in it. */
  malloc_trim (0);
  reset_peak_rss ();
  rss0 = topout_bench_rss_kib (0);
  t0 = topout_bench_now_ms ();
  rc = topout_sync_run_cli (client_db, server->url);
  ms = topout_bench_now_ms () - t0;
  hwm = topout_bench_peak_rss_kib (0);

  connections = bench_server_connections (server, &requests);
  bench_server_stop (server);
  {
    g_autoptr (TopoutStore) store = topout_store_new (client_db, NULL);
    left = store ? (gint64) topout_store_count_pending (store) : -1;
  }
  if (bench_count_rows (server_db, "sessions") != n_sessions)
    *rows_ok = FALSE;
  g_printerr ("bulk: %.0f ms, exit %d, %d connection(s), %" G_GUINT64_FORMAT " requests, "
              "RSS +%.1f MB (VmRSS %.1f MB before, VmHWM %.1f MB), %" G_GINT64_FORMAT " left due\n",
              ms, rc, connections, requests, (hwm - rss0) / 1024.0, rss0 / 1024.0, hwm / 1024.0, left);
  topout_bench_samples_add (times, ms);
  topout_bench_samples_add (rss, (hwm - rss0) / 1024.0);
  *max_connections = MAX (*max_connections, connections);
  *max_left = MAX (*max_left, left);
  if (rc != 0)
    *max_left = MAX (*max_left, 1);
}

/* The seeds' first design: one POST /sessions/offline per session. */
static double
per_session_trial (const char *server_path,
                   const char *work,
                   const char *token_file,
                   const char *src,
                   guint      *n_done)
{
  g_autofree char *client_db = g_build_filename (work, "client-per-session.db", NULL);
  g_autofree char *server_db = g_build_filename (work, "server.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (SoupSession) soup = NULL;
  g_autoptr (GHashTable) climbers = NULL;
  g_autofree char *url = NULL;
  BenchServer *server;
  double t0, ms;

  copy_or_die (src, client_db);
  server = bench_server_start (server_path, server_db, token_file);
  url = g_strconcat (server->url, "/sessions/offline", NULL);
  *n_done = 0;

  t0 = topout_bench_now_ms ();
  store = topout_store_new (client_db, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  soup = soup_session_new_with_options ("max-conns-per-host", 1, NULL);
  climbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (;;)
    {
      g_autoptr (GPtrArray) due = topout_store_list_due_sessions (store, G_MAXINT64, 200);

      if (due->len == 0)
        break;
      for (guint i = 0; i < due->len; i++)
        {
          TopoutSession *s = g_ptr_array_index (due, i);
          const char *climber_id = topout_session_get_climber_id (s);
          TopoutClimber *climber = NULL;
          g_autoptr (JsonNode) node = NULL;
          g_autoptr (JsonGenerator) gen = json_generator_new ();
          g_autoptr (GBytes) body = NULL;
          g_autoptr (GBytes) answer = NULL;
          g_autoptr (JsonParser) parser = json_parser_new ();
          TopoutSyncResult r = { 0 };
          char *text;
          gsize len;
          guint status;

          if (climber_id != NULL && !(climber = g_hash_table_lookup (climbers, climber_id)))
            {
              climber = topout_store_get_climber (store, climber_id, NULL);
              if (climber != NULL)
                g_hash_table_insert (climbers, g_strdup (climber_id), climber);
            }
          node = topout_sync_encode_session (s, climber, topout_store_get_device_id (store));
          json_generator_set_root (gen, node);
          text = json_generator_to_data (gen, &len);
          body = g_bytes_new_take (text, len);
          status = bench_post (soup, url, TOKEN, body, &answer);
          if (status != 200 || answer == NULL ||
              !json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                           (gssize) g_bytes_get_size (answer), NULL))
            g_error ("per-session POST failed: HTTP %u", status);

          r.session_id = topout_session_get_id (s);
          r.sent_revision = topout_session_get_revision (s);
          r.kind = TOPOUT_SYNC_RESULT_SYNCED;
          r.server_id = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                       "sessionId");
          r.server_revision = json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                                          "revision");
          if (!topout_store_apply_sync_results (store, &r, 1, &error))
            g_error ("%s", error->message);
          (*n_done)++;
        }
    }
  g_clear_object (&store);
  ms = topout_bench_now_ms () - t0;
  {
    int connections = bench_server_connections (server, NULL);
    g_printerr ("per-session: %.0f ms for %u sessions, %d connection(s)\n", ms, *n_done, connections);
  }
  bench_server_stop (server);
  return ms;
}

/* json-glib alone: every body parsed into a tree and freed, in sequence. */
static double
json_glib_floor (GPtrArray *bodies)
{
  double t0 = topout_bench_now_ms ();

  for (guint i = 0; i < bodies->len; i++)
    {
      g_autoptr (JsonParser) parser = json_parser_new_immutable ();
      gsize len;
      const char *data = g_bytes_get_data (g_ptr_array_index (bodies, i), &len);

      if (!json_parser_load_from_data (parser, data, (gssize) len, NULL))
        g_error ("body %u does not parse", i);
    }
  return topout_bench_now_ms () - t0;
}

/* The floor: curl posting the client's exact bodies over one connection. */
static double
curl_trial (const char *server_path,
            const char *work,
            const char *token_file,
            const char *config,
            int        *connections)
{
  g_autofree char *server_db = g_build_filename (work, "server.db", NULL);
  g_autoptr (GSubprocess) curl = NULL;
  g_autoptr (GError) error = NULL;
  BenchServer *server = bench_server_start (server_path, server_db, token_file);
  g_autofree char *config_text = NULL;
  g_autofree char *bound = NULL;
  g_autofree char *bound_path = g_build_filename (work, "curl-bound.cfg", NULL);
  g_autoptr (GString) s = NULL;
  double t0, ms;

  /* The config names the URL as @URL@: bound to this server's port now. */
  g_file_get_contents (config, &config_text, NULL, NULL);
  s = g_string_new (config_text);
  g_string_replace (s, "@URL@", server->url, 0);
  g_file_set_contents (bound_path, s->str, (gssize) s->len, NULL);

  t0 = topout_bench_now_ms ();
  curl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                           "curl", "--silent", "--show-error", "--fail", "-K", bound_path, NULL);
  if (curl == NULL || !g_subprocess_wait_check (curl, NULL, &error))
    g_error ("curl: %s", error->message);
  ms = topout_bench_now_ms () - t0;
  *connections = bench_server_connections (server, NULL);
  bench_server_stop (server);
  g_printerr ("curl: %.0f ms, %d connection(s)\n", ms, *connections);
  return ms;
}

int
main (int argc, char **argv)
{
  const char *server_path = bench_server_path (argc, argv);
  guint n_trials = env_uint ("TOPOUT_BENCH_TRIALS", 5);
  guint n_sessions = env_uint ("TOPOUT_BENCH_SESSIONS", 10000);
  g_autoptr (GError) error = NULL;
  g_autofree char *src = NULL;
  g_autofree char *work = bench_work_dir ("sync-upload");
  g_autofree char *token_file = g_build_filename (work, "tokens.txt", NULL);
  g_autofree char *curl_config = g_build_filename (work, "curl.cfg", NULL);
  g_autoptr (TopoutBenchSamples) times = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) rss = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) curl_times = topout_bench_samples_new ();
  int max_connections = 0, curl_connections = 0;
  gint64 max_left = 0;
  gboolean rows_ok = TRUE;
  guint n_bodies = 0, n_per_session = 0;
  guint64 total_bytes = 0;
  double bulk_ms, per_session_ms, curl_ms, speedup, parse_ms = 0;
  g_autofree char *budget = NULL;

  g_setenv ("TOPOUT_SYNC_TOKEN", TOKEN, TRUE);
  topout_bench_print_header (SCENARIO, "sync 10,000 pending sessions / 200,000 completions to topout-server on loopback");
  src = topout_bench_cached_db (n_sessions, 20, SEED, &error);
  if (src == NULL)
    g_error ("%s", error->message);
  g_file_set_contents_full (token_file, TOKEN "\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL);

  /* The client's exact bodies, in the engine's batches, for curl. */
  {
    g_autofree char *copy = g_build_filename (work, "encode.db", NULL);
    g_autoptr (TopoutStore) store = NULL;
    g_autoptr (GHashTable) climbers = NULL;
    g_autoptr (GPtrArray) due = NULL;
    g_autoptr (GPtrArray) bodies = NULL;
    g_autoptr (GString) cfg = g_string_new (NULL);

    copy_or_die (src, copy);
    store = topout_store_new (copy, &error);
    if (store == NULL)
      g_error ("%s", error->message);
    due = bench_load_due (store, &climbers);
    if (due->len != n_sessions)
      g_error ("expected %u due sessions, found %u", n_sessions, due->len);
    bodies = bench_encode_batches (due, climbers, topout_store_get_device_id (store),
                                   TOPOUT_SYNC_BATCH_SESSIONS, NULL);
    for (guint i = 0; i < bodies->len; i++)
      {
        GBytes *body = g_ptr_array_index (bodies, i);
        g_autofree char *name = g_strdup_printf ("body-%04u.json", i);
        g_autofree char *path = g_build_filename (work, name, NULL);

        if (!g_file_set_contents (path, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), &error))
          g_error ("%s", error->message);
        total_bytes += g_bytes_get_size (body);
        if (i > 0)
          g_string_append (cfg, "next\n");
        g_string_append_printf (cfg,
                                "url = \"@URL@/sessions/sync/bulk\"\n"
                                "header = \"Authorization: Bearer " TOKEN "\"\n"
                                "header = \"Content-Type: application/json\"\n"
                                "data-binary = \"@%s\"\n"
                                "output = \"/dev/null\"\n", path);
      }
    n_bodies = bodies->len;
    {
      g_autoptr (TopoutBenchSamples) parse_times = topout_bench_samples_new ();

      for (guint t = 0; t < 3; t++)
        topout_bench_samples_add (parse_times, json_glib_floor (bodies));
      parse_ms = topout_bench_quantile (parse_times, 0.5);
    }
    g_file_set_contents (curl_config, cfg->str, (gssize) cfg->len, NULL);
    bench_remove_db (copy);
  }
  g_printerr ("%u request bodies, %.1f MB\n", n_bodies, total_bytes / 1048576.0);

  for (guint t = 0; t < n_trials; t++)
    {
      bulk_trial (server_path, work, token_file, src, n_sessions, times, rss, &max_connections, &max_left, &rows_ok);
      if (g_strcmp0 (g_getenv ("TOPOUT_BENCH_ONLY"), "bulk") == 0)
        continue;
      {
        int c = 0;
        topout_bench_samples_add (curl_times, curl_trial (server_path, work, token_file, curl_config, &c));
        curl_connections = MAX (curl_connections, c);
      }
    }
  if (g_strcmp0 (g_getenv ("TOPOUT_BENCH_ONLY"), "bulk") == 0)
    {
      g_print ("BENCH %s bulk-only %.0f ms\n", SCENARIO, topout_bench_quantile (times, 0.5));
      return 0;
    }
  per_session_ms = per_session_trial (server_path, work, token_file, src, &n_per_session);

  bulk_ms = topout_bench_quantile (times, 0.5);
  curl_ms = topout_bench_quantile (curl_times, 0.5);
  speedup = per_session_ms / bulk_ms;

  topout_bench_report (SCENARIO, "requests", n_bodies, "requests", NULL, TRUE);
  topout_bench_report (SCENARIO, "request-bytes", total_bytes / 1048576.0, "MiB", NULL, TRUE);
  topout_bench_report (SCENARIO, "bulk-sync-median", bulk_ms, "ms", "<= 2000 ms", bulk_ms <= 2000);
  topout_bench_report (SCENARIO, "bulk-sync-max", topout_bench_quantile (times, 1), "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, "tcp-connections", max_connections, "connections", "== 1", max_connections == 1);
  topout_bench_report (SCENARIO, "client-peak-rss-growth-max", topout_bench_quantile (rss, 1), "MB",
                       "<= 30 MB", topout_bench_quantile (rss, 1) <= 30);
  topout_bench_report (SCENARIO, "left-due-max", (double) max_left, "sessions", "== 0", max_left == 0 && rows_ok);
  topout_bench_report (SCENARIO, "baseline-per-session", per_session_ms, "ms", NULL, TRUE);
  budget = g_strdup_printf (">= 5x (per-session %.0f ms / bulk %.0f ms)", per_session_ms, bulk_ms);
  topout_bench_report (SCENARIO, "bulk-speedup-vs-per-session", speedup, "x", budget,
                       speedup >= 5 && n_per_session == n_sessions);
  topout_bench_report (SCENARIO, "floor-curl-median", curl_ms, "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, "floor-curl-connections", curl_connections, "connections", NULL, TRUE);
  topout_bench_report (SCENARIO, "bulk-vs-curl-floor", bulk_ms / curl_ms, "x", NULL, TRUE);
  topout_bench_report (SCENARIO, "floor-json-glib-parse-median", parse_ms, "ms", NULL, TRUE);
  return topout_bench_exit_code ();
}
