/* topout-server-storage.h — what topout-server needs from a database.
 *
 * One small table of functions, so that PostgreSQL can come later beside the
 * embedded SQLite implementation without touching the HTTP side. A request is
 * begin → one upsert per valid session (each in its own savepoint, so one
 * failure spoils nothing else) → commit. The uniqueness of a clientId is the
 * database's job (a unique key), never a check made before writing.
 */
#pragma once

#include "topout-sync-codec.h"

G_BEGIN_DECLS

typedef struct _TopoutServerStorage TopoutServerStorage;

typedef struct {
  char   *name;
  gint64  created_at;  /* µs since the epoch */
  gint64  revoked_at;  /* 0 = active */
} TopoutServerToken;

void topout_server_token_free (TopoutServerToken *token);

typedef struct {
  void       (*close)        (TopoutServerStorage *self);
  /* Whether the database is whole, checked before serving: FALSE with
   * @error naming the first damage (a server writing into a damaged file
   * answered every item "error", and clients retried them for ever). */
  gboolean   (*check)        (TopoutServerStorage *self,
                              GError             **error);

  /* Whether the database answers now: a cheap read of what every request
   * reads (GET /healthz asks it); FALSE with @error saying why. */
  gboolean   (*ping)         (TopoutServerStorage *self,
                              GError             **error);

  /* Tokens: only their SHA-256 (hex) is ever stored. The name of the
   * active token of @token_hash (for the log); NULL without @error when
   * there is none, NULL with @error when the database could not say (a
   * failure, not an unknown token: the device is told to retry). */
  char      *(*token_check)  (TopoutServerStorage *self,
                              const char          *token_hash,
                              GError             **error);
  gboolean   (*token_add)    (TopoutServerStorage *self,
                              const char          *name,
                              const char          *token_hash,
                              GError             **error);
  gboolean   (*token_revoke) (TopoutServerStorage *self,
                              const char          *name,
                              GError             **error);
  GPtrArray *(*token_list)   (TopoutServerStorage *self,   /* of TopoutServerToken* */
                              GError             **error);

  /* One request: one transaction. */
  gboolean   (*begin)        (TopoutServerStorage *self,
                              GError             **error);
  /* Stores one valid session (item->session != NULL) for the device whose
   * token hashes to @owner, in its own savepoint, and fills @result: created,
   * updated, unchanged, conflict (with the stored revision), rejected
   * (foreign_client_id) or error (the database failed on this item; the
   * savepoint is rolled back). A session without client id (the seeds' bare
   * shape) is always created. */
  void       (*upsert)       (TopoutServerStorage *self,
                              const char          *owner,
                              TopoutWireItem      *item,
                              const char          *content_hash,
                              TopoutWireResult    *result);
  gboolean   (*commit)       (TopoutServerStorage *self,
                              GError             **error);
  void       (*rollback)     (TopoutServerStorage *self);
} TopoutServerStorageVTable;

struct _TopoutServerStorage {
  const TopoutServerStorageVTable *vtable;
};

/* The embedded SQLite database at @path (created when missing): WAL,
 * synchronous=FULL, a busy timeout. */
TopoutServerStorage *topout_server_storage_sqlite_open (const char  *path,
                                                        GError     **error);

/* SHA-256 hex of a token as sent. */
char *topout_server_hash_token (const char *token);

G_END_DECLS
