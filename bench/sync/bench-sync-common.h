/* bench-sync-common.h — what the sync benchmarks (scenarios 4 and 5) share:
 * a real topout-server on a loopback port with a fresh database, its
 * connection count, and the request bodies the client would send. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "topout-store.h"

G_BEGIN_DECLS

typedef struct {
  GSubprocess *proc;
  char        *db_path;
  char        *url;        /* http://127.0.0.1:PORT */
} BenchServer;

/* The topout-server binary: argv[1], else $TOPOUT_SERVER. Exits when neither. */
const char  *bench_server_path   (int argc, char **argv);
/* A work directory of its own under topout_bench_data_dir(). */
char        *bench_work_dir      (const char *name);
/* Removes @path and its -wal/-shm/-journal. */
void         bench_remove_db     (const char *path);
/* Starts topout-server --listen 127.0.0.1:0 --db @db_path (removed first, so
 * fresh) --token-file @token_file --stats and waits for "listening on". */
BenchServer *bench_server_start  (const char *server_path,
                                  const char *db_path,
                                  const char *token_file);
/* The same at the lowest CPU priority (nice 19), standing for a server on
 * another machine: it takes only the CPU time the process under test leaves. */
BenchServer *bench_server_start_niced (const char *server_path,
                                       const char *db_path,
                                       const char *token_file);
/* GET /__stats: client connections that carried a request (-1 on failure). */
int          bench_server_connections (BenchServer *server,
                                       guint64     *requests);
/* SIGTERM, wait, free. */
void         bench_server_stop   (BenchServer *server);

/* SELECT count(*) FROM @table of an SQLite file (-1 on failure). */
gint64       bench_count_rows    (const char *db_path,
                                  const char *table);

/* Every due session of @store (oldest first, completions loaded) and the
 * climbers they name (id → TopoutClimber*). */
GPtrArray   *bench_load_due      (TopoutStore  *store,
                                  GHashTable  **climbers);
/* The request bodies the engine would make of @sessions: batches of at most
 * @batch_sessions, halved while over TOPOUT_SYNC_BATCH_BYTES. When @prefix is
 * set, every session's clientId is re-keyed to PREFIX + id (4 distinct
 * clients from one data set). Of GBytes*. */
GPtrArray   *bench_encode_batches (GPtrArray  *sessions,
                                   GHashTable *climbers,
                                   const char *device_id,
                                   guint       batch_sessions,
                                   const char *prefix);

/* A POST of @body (GBytes) to @url with the Bearer @token on @soup, sync;
 * returns the status and the response in @response (nullable). */
guint        bench_post          (SoupSession *soup,
                                  const char  *url,
                                  const char  *token,
                                  GBytes      *body,
                                  GBytes     **response);

G_END_DECLS
