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

/* What went wrong, the same for every backend: the server says it to the
 * operator in words of its own (translated), around the error's message,
 * which only holds the detail (the database's own words, or the numbers of
 * TOPOUT_SERVER_STORAGE_ERROR_NEWER). */
#define TOPOUT_SERVER_STORAGE_ERROR (topout_server_storage_error_quark ())
GQuark topout_server_storage_error_quark (void);

typedef enum {
  TOPOUT_SERVER_STORAGE_ERROR_FAILED,         /* the database failed: what, and its words */
  TOPOUT_SERVER_STORAGE_ERROR_CANNOT_OPEN,    /* open: the database's words */
  TOPOUT_SERVER_STORAGE_ERROR_NOT_A_DATABASE, /* open: a file of no database at all */
  TOPOUT_SERVER_STORAGE_ERROR_FOREIGN,        /* open: another program's database */
  TOPOUT_SERVER_STORAGE_ERROR_NEWER,          /* open: "schema N; this one knows M" */
  TOPOUT_SERVER_STORAGE_ERROR_DAMAGED,        /* check: the first damage found */
  TOPOUT_SERVER_STORAGE_ERROR_NAME_TAKEN,     /* token_add: an active token has the name */
  TOPOUT_SERVER_STORAGE_ERROR_NO_SUCH_TOKEN,  /* token_revoke: no active token has the name */
  TOPOUT_SERVER_STORAGE_ERROR_GONE,           /* the database open is no longer the one at its
                                               * path (deleted, moved or replaced meanwhile) */
} TopoutServerStorageError;

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
   * reads (GET /healthz asks it); FALSE with @error saying why, GONE when
   * the database open is no longer the one at its path (an operator
   * deleted it, or moved a backup over it: writing on would write into a
   * file nobody will ever read). */
  gboolean   (*ping)         (TopoutServerStorage *self,
                              GError             **error);

  /* Tokens: only their SHA-256 (hex) is ever stored. The name of the
   * active token of @token_hash (for the log); NULL without @error when
   * there is none, NULL with @error when the database could not say (a
   * failure, not an unknown token: the device is told to retry; GONE as
   * for ping). */
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

  /* One request: one transaction. Refused with GONE as for ping: nothing
   * is written into a database that is no longer the one at its path. */
  gboolean   (*begin)        (TopoutServerStorage *self,
                              GError             **error);
  /* Stores one valid session (item->session != NULL) for the device whose
   * token hashes to @owner, in its own savepoint, and fills @result: created,
   * updated, unchanged, conflict (with the stored revision) or rejected
   * (foreign_client_id). FALSE with @error when the database failed on this
   * item: the savepoint is rolled back, @result left to the caller (the
   * transaction goes on with the next item). A session without client id
   * (the seeds' bare shape) is always created. */
  gboolean   (*upsert)       (TopoutServerStorage *self,
                              const char          *owner,
                              TopoutWireItem      *item,
                              const char          *content_hash,
                              TopoutWireResult    *result,
                              GError             **error);
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
