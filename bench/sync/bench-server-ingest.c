/* bench-server-ingest.c — scenario 5 of BENCHMARKS.md:
 *
 *   topout-server ingesting scenario 4's data from 4 concurrent clients, 200
 *   sessions / 4,000 completions a request: >= 50,000 completions/s into its
 *   SQLite database, p99 request latency <= 4x the single-client median.
 *
 * Each client is a thread with its own keep-alive SoupSession and its own
 * device token, posting the whole scenario-4 data set (10,000 sessions /
 * 200,000 completions) re-keyed to clientIds of its own, so 4 clients store
 * 40,000 sessions / 800,000 completions. Bodies are encoded before the clock
 * starts (the clients are load, the server is measured). Single client: one
 * such thread alone, against its own fresh server, in the same run.
 *
 * Floor: the same rows (sessions and routes of the 4 clients) inserted by
 * plain prepared statements in one SQLite transaction, in a loop, into a
 * database with the server's schema and pragmas (made by the server's own
 * storage, then written with sqlite3 directly).
 *
 *   bench-server-ingest PATH-TO-topout-server   (or TOPOUT_SERVER=…)
 *   TOPOUT_BENCH_TRIALS=N (default 3)
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>

#include "bench-sync-common.h"
#include "topout-bench-util.h"
#include "topout-server-storage.h"
#include "topout-sync-codec.h"

#define SCENARIO  "5"
#define SEED      4
#define N_CLIENTS 4
#define BATCH     200

static const char *const tokens[N_CLIENTS] = {
  "bench-ingest-token-0-0123456789abcdef0123456789",
  "bench-ingest-token-1-0123456789abcdef0123456789",
  "bench-ingest-token-2-0123456789abcdef0123456789",
  "bench-ingest-token-3-0123456789abcdef0123456789",
};

typedef struct {
  const char         *url;
  const char         *token;
  GPtrArray          *bodies;     /* GBytes* */
  GArray             *latencies;  /* double ms */
  guint               failures;
  GMutex             *mutex;
  GCond              *cond;
  gboolean           *go;
} Client;

static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  g_autoptr (SoupSession) soup = soup_session_new_with_options ("max-conns-per-host", 1, "timeout", 120, NULL);

  g_mutex_lock (c->mutex);
  while (!*c->go)
    g_cond_wait (c->cond, c->mutex);
  g_mutex_unlock (c->mutex);

  for (guint i = 0; i < c->bodies->len; i++)
    {
      double t0 = topout_bench_now_ms (), ms;
      g_autoptr (GBytes) answer = NULL;
      guint status = bench_post (soup, c->url, c->token, g_ptr_array_index (c->bodies, i), &answer);

      ms = topout_bench_now_ms () - t0;
      g_array_append_val (c->latencies, ms);
      if (status != 200 || answer == NULL || g_strstr_len (g_bytes_get_data (answer, NULL), (gssize) g_bytes_get_size (answer), "\"error\"") ||
          g_strstr_len (g_bytes_get_data (answer, NULL), (gssize) g_bytes_get_size (answer), "\"rejected\""))
        c->failures++;
    }
  return NULL;
}

/* @n_clients threads, each posting its bodies; returns the wall time, ms. */
static double
run_clients (const char          *server_path,
             const char          *server_db,
             const char          *token_file,
             GPtrArray          **bodies,
             guint                n_clients,
             TopoutBenchSamples  *latencies,
             guint               *failures,
             gint64              *routes_stored)
{
  BenchServer *server = bench_server_start (server_path, server_db, token_file);
  g_autofree char *url = g_strconcat (server->url, "/sessions/sync/bulk", NULL);
  Client clients[N_CLIENTS] = { 0 };
  GThread *threads[N_CLIENTS];
  GMutex mutex;
  GCond cond;
  gboolean go = FALSE;
  double t0, ms;

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  for (guint k = 0; k < n_clients; k++)
    {
      clients[k] = (Client) { url, tokens[k], bodies[k], g_array_new (FALSE, FALSE, sizeof (double)), 0,
                              &mutex, &cond, &go };
      threads[k] = g_thread_new ("client", client_thread, &clients[k]);
    }
  g_usleep (100000);  /* every thread waiting */
  g_mutex_lock (&mutex);
  go = TRUE;
  t0 = topout_bench_now_ms ();
  g_cond_broadcast (&cond);
  g_mutex_unlock (&mutex);
  for (guint k = 0; k < n_clients; k++)
    g_thread_join (threads[k]);
  ms = topout_bench_now_ms () - t0;

  for (guint k = 0; k < n_clients; k++)
    {
      for (guint i = 0; i < clients[k].latencies->len; i++)
        topout_bench_samples_add (latencies, g_array_index (clients[k].latencies, double, i));
      *failures += clients[k].failures;
      g_array_unref (clients[k].latencies);
    }
  {
    int connections = bench_server_connections (server, NULL);
    bench_server_stop (server);
    *routes_stored = bench_count_rows (server_db, "routes");
    g_printerr ("%u client(s): %.0f ms, %d connection(s), %" G_GINT64_FORMAT " routes stored, %u failures\n",
                n_clients, ms, connections, *routes_stored, *failures);
  }
  g_mutex_clear (&mutex);
  g_cond_clear (&cond);
  return ms;
}

/* The floor: plain inserts of the same rows in one transaction. */
static double
floor_trial (const char *db_path,
             GPtrArray  *sessions,
             GHashTable *climbers,
             guint       n_clients,
             guint64    *n_routes)
{
  g_autoptr (GError) error = NULL;
  TopoutServerStorage *storage;
  sqlite3 *db = NULL;
  sqlite3_stmt *ins_s = NULL, *ins_r = NULL, *ins_c = NULL;
  double t0, ms;

  bench_remove_db (db_path);
  /* The server's own schema and pragmas. */
  storage = topout_server_storage_sqlite_open (db_path, &error);
  if (storage == NULL)
    g_error ("%s", error->message);
  storage->vtable->close (storage);

  sqlite3_open (db_path, &db);
  sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db,
                      "INSERT INTO sessions (id, client_id, owner, device_id, revision, content_hash, climber_id, type,"
                      " custom_label, name, status, start_time, end_time, session_date, time_slot, is_retroactive,"
                      " is_at_gym, is_competition, competition_type, competition_id, notes, created_at, updated_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
                      " ?20, ?21, ?22, ?22)", -1, &ins_s, NULL);
  sqlite3_prepare_v2 (db,
                      "INSERT INTO routes (session_id, position, client_id, climb_id, grade, is_success, attempts,"
                      " notes, logged_at, is_competition, competition_type, competition_id)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", -1, &ins_r, NULL);
  sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO climbers (id, member_code, display_name, updated_at) VALUES (?1, ?2, ?3, ?4)",
                      -1, &ins_c, NULL);
  *n_routes = 0;

  t0 = topout_bench_now_ms ();
  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  for (guint k = 0; k < n_clients; k++)
    for (guint i = 0; i < sessions->len; i++)
      {
        TopoutSession *s = g_ptr_array_index (sessions, i);
        TopoutClimber *climber = g_hash_table_lookup (climbers, topout_session_get_climber_id (s));
        GPtrArray *completions = topout_session_get_completions (s);
        g_autofree char *client_id = g_strdup_printf ("c%u-%s", k, topout_session_get_id (s));
        g_autofree char *id = g_strconcat ("srv-", client_id, NULL);

        if (climber != NULL)
          {
            sqlite3_bind_text (ins_c, 1, topout_climber_get_id (climber), -1, SQLITE_STATIC);
            sqlite3_bind_text (ins_c, 2, topout_climber_get_member_code (climber), -1, SQLITE_STATIC);
            sqlite3_bind_text (ins_c, 3, topout_climber_get_display_name (climber), -1, SQLITE_STATIC);
            sqlite3_bind_int64 (ins_c, 4, g_get_real_time ());
            sqlite3_step (ins_c);
            sqlite3_reset (ins_c);
          }
        sqlite3_bind_text (ins_s, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text (ins_s, 2, client_id, -1, SQLITE_STATIC);
        sqlite3_bind_text (ins_s, 3, tokens[k], -1, SQLITE_STATIC);
        sqlite3_bind_text (ins_s, 4, "device", -1, SQLITE_STATIC);
        sqlite3_bind_int64 (ins_s, 5, topout_session_get_revision (s));
        sqlite3_bind_text (ins_s, 6, "0000000000000000000000000000000000000000000000000000000000000000", -1, SQLITE_STATIC);
        sqlite3_bind_text (ins_s, 7, topout_session_get_climber_id (s), -1, SQLITE_STATIC);
        sqlite3_bind_text (ins_s, 8, topout_session_type_to_key (topout_session_get_session_type (s)), -1, SQLITE_STATIC);
        sqlite3_bind_null (ins_s, 9);
        sqlite3_bind_text (ins_s, 10, topout_session_get_name (s), -1, SQLITE_STATIC);
        sqlite3_bind_text (ins_s, 11, "COMPLETED", -1, SQLITE_STATIC);
        sqlite3_bind_int64 (ins_s, 12, topout_session_get_started_at (s));
        sqlite3_bind_int64 (ins_s, 13, topout_session_get_ended_at (s));
        sqlite3_bind_text (ins_s, 14, topout_session_get_session_date (s), -1, SQLITE_STATIC);
        sqlite3_bind_text (ins_s, 15, topout_time_slot_to_key (topout_session_get_time_slot (s)), -1, SQLITE_STATIC);
        sqlite3_bind_int (ins_s, 16, topout_session_get_is_retroactive (s));
        sqlite3_bind_int (ins_s, 17, topout_session_get_at_gym (s));
        sqlite3_bind_int (ins_s, 18, topout_session_get_is_competition (s));
        sqlite3_bind_text (ins_s, 19, topout_session_get_competition_type (s), -1, SQLITE_STATIC);
        sqlite3_bind_text (ins_s, 20, topout_session_get_competition_id (s), -1, SQLITE_STATIC);
        sqlite3_bind_text (ins_s, 21, topout_session_get_notes (s) ? topout_session_get_notes (s) : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64 (ins_s, 22, g_get_real_time ());
        if (sqlite3_step (ins_s) != SQLITE_DONE)
          g_error ("floor insert: %s", sqlite3_errmsg (db));
        sqlite3_reset (ins_s);
        for (guint j = 0; completions != NULL && j < completions->len; j++)
          {
            TopoutCompletion *c = g_ptr_array_index (completions, j);

            sqlite3_bind_text (ins_r, 1, id, -1, SQLITE_STATIC);
            sqlite3_bind_int (ins_r, 2, (int) j);
            sqlite3_bind_text (ins_r, 3, topout_completion_get_id (c), -1, SQLITE_STATIC);
            sqlite3_bind_text (ins_r, 4, topout_completion_get_climb_id (c), -1, SQLITE_STATIC);
            sqlite3_bind_text (ins_r, 5, topout_completion_get_grade (c), -1, SQLITE_STATIC);
            sqlite3_bind_int (ins_r, 6, topout_completion_get_is_success (c));
            sqlite3_bind_int (ins_r, 7, (int) topout_completion_get_attempts (c));
            sqlite3_bind_text (ins_r, 8, topout_completion_get_notes (c) ? topout_completion_get_notes (c) : "", -1, SQLITE_STATIC);
            sqlite3_bind_int64 (ins_r, 9, topout_completion_get_logged_at (c));
            sqlite3_bind_int (ins_r, 10, topout_completion_get_is_competition (c));
            sqlite3_bind_text (ins_r, 11, topout_completion_get_competition_type (c), -1, SQLITE_STATIC);
            sqlite3_bind_text (ins_r, 12, topout_completion_get_competition_id (c), -1, SQLITE_STATIC);
            if (sqlite3_step (ins_r) != SQLITE_DONE)
              g_error ("floor route: %s", sqlite3_errmsg (db));
            sqlite3_reset (ins_r);
            (*n_routes)++;
          }
      }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  ms = topout_bench_now_ms () - t0;
  sqlite3_finalize (ins_s);
  sqlite3_finalize (ins_r);
  sqlite3_finalize (ins_c);
  sqlite3_close (db);
  return ms;
}

int
main (int argc, char **argv)
{
  const char *server_path = bench_server_path (argc, argv);
  const char *trials_env = g_getenv ("TOPOUT_BENCH_TRIALS");
  guint n_trials = trials_env && *trials_env ? (guint) g_ascii_strtoull (trials_env, NULL, 10) : 3;
  g_autoptr (GError) error = NULL;
  g_autofree char *src = NULL;
  g_autofree char *work = bench_work_dir ("server-ingest");
  g_autofree char *token_file = g_build_filename (work, "tokens.txt", NULL);
  g_autofree char *server_db = g_build_filename (work, "server.db", NULL);
  g_autofree char *floor_db = g_build_filename (work, "floor.db", NULL);
  g_autofree char *copy = g_build_filename (work, "client.db", NULL);
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GHashTable) climbers = NULL;
  g_autoptr (GPtrArray) sessions = NULL;
  GPtrArray *bodies[N_CLIENTS];
  g_autoptr (TopoutBenchSamples) single_lat = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) multi_lat = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) single_rate = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) multi_rate = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) floor_rate = topout_bench_samples_new ();
  guint64 n_completions = 0;
  guint failures = 0;
  gboolean stored_ok = TRUE;
  double single_median, p99, rate, floor;
  g_autofree char *budget = NULL;

  topout_bench_print_header (SCENARIO, "topout-server ingesting scenario 4 from 4 concurrent clients, 200 sessions / 4,000 completions a request");
  src = topout_bench_cached_db (10000, 20, SEED, &error);
  if (src == NULL)
    g_error ("%s", error->message);
  {
    g_autoptr (GString) t = g_string_new (NULL);
    for (guint k = 0; k < N_CLIENTS; k++)
      g_string_append_printf (t, "%s\n", tokens[k]);
    g_file_set_contents_full (token_file, t->str, -1, G_FILE_SET_CONTENTS_NONE, 0600, NULL);
  }

  bench_remove_db (copy);
  if (!topout_bench_copy_db (src, copy, &error) || !(store = topout_store_new (copy, &error)))
    g_error ("%s", error->message);
  sessions = bench_load_due (store, &climbers);
  for (guint i = 0; i < sessions->len; i++)
    {
      GPtrArray *c = topout_session_get_completions (g_ptr_array_index (sessions, i));
      n_completions += c ? c->len : 0;
    }
  for (guint k = 0; k < N_CLIENTS; k++)
    {
      g_autofree char *prefix = g_strdup_printf ("c%u-", k);
      bodies[k] = bench_encode_batches (sessions, climbers, topout_store_get_device_id (store), BATCH, prefix);
    }
  g_printerr ("%u sessions, %" G_GUINT64_FORMAT " completions, %u requests a client\n",
              sessions->len, n_completions, bodies[0]->len);

  for (guint t = 0; t < n_trials; t++)
    {
      gint64 routes = 0;
      double ms;
      guint64 floor_routes = 0;

      ms = run_clients (server_path, server_db, token_file, bodies, 1, single_lat, &failures, &routes);
      topout_bench_samples_add (single_rate, n_completions / (ms / 1000));
      stored_ok &= routes == (gint64) n_completions;

      ms = run_clients (server_path, server_db, token_file, bodies, N_CLIENTS, multi_lat, &failures, &routes);
      topout_bench_samples_add (multi_rate, N_CLIENTS * n_completions / (ms / 1000));
      stored_ok &= routes == (gint64) (N_CLIENTS * n_completions);

      ms = floor_trial (floor_db, sessions, climbers, N_CLIENTS, &floor_routes);
      topout_bench_samples_add (floor_rate, floor_routes / (ms / 1000));
      g_printerr ("floor: %.0f ms for %" G_GUINT64_FORMAT " routes\n", ms, floor_routes);
    }

  single_median = topout_bench_quantile (single_lat, 0.5);
  p99 = topout_bench_quantile (multi_lat, 0.99);
  rate = topout_bench_quantile (multi_rate, 0.5);
  floor = topout_bench_quantile (floor_rate, 0.5);

  topout_bench_report (SCENARIO, "four-clients-completions-per-s-median", rate, "completions/s", ">= 50000", rate >= 50000);
  topout_bench_report (SCENARIO, "single-client-completions-per-s-median", topout_bench_quantile (single_rate, 0.5),
                       "completions/s", NULL, TRUE);
  topout_bench_report (SCENARIO, "single-client-request-median", single_median, "ms", NULL, TRUE);
  budget = g_strdup_printf ("<= 4x single-client median = %.1f ms", 4 * single_median);
  topout_bench_report (SCENARIO, "four-clients-request-p99", p99, "ms", budget, p99 <= 4 * single_median);
  topout_bench_report (SCENARIO, "four-clients-request-p99-ratio", p99 / single_median, "x", NULL, TRUE);
  topout_bench_report (SCENARIO, "four-clients-request-median", topout_bench_quantile (multi_lat, 0.5), "ms", NULL, TRUE);
  topout_bench_report (SCENARIO, "failed-requests", failures, "requests", "== 0, every row stored",
                       failures == 0 && stored_ok);
  topout_bench_report (SCENARIO, "floor-one-transaction-completions-per-s-median", floor, "completions/s", NULL, TRUE);
  topout_bench_report (SCENARIO, "server-vs-floor", rate / floor, "x", NULL, TRUE);

  for (guint k = 0; k < N_CLIENTS; k++)
    g_ptr_array_unref (bodies[k]);
  g_clear_object (&store);
  bench_remove_db (copy);
  return topout_bench_exit_code ();
}
