/* topout-store-checkpoint.c — WAL checkpoints off the committing thread
 * (SPEC section 7).
 *
 * SQLite's own checkpoints run inside the COMMIT that takes the log over
 * 1,000 pages: on the app's main connection that is a tap, which then also
 * copies up to 4 MB into the database file and waits for its fsync. With
 * topout_store_checkpoint_when_idle() the connection's WAL hook replaces
 * them: a commit only notes the log's size and (re)arms a timer in the
 * store's main context. The timer fires once commits have paused (or at
 * once when the log has grown large during a busy spell) and starts a
 * thread that opens its own connection and makes a PASSIVE checkpoint,
 * which never waits for readers or writers: a tap made meanwhile goes on.
 */
#define G_LOG_DOMAIN "topout-store"

#include "config.h"

#include "topout-store-private.h"

struct _TopoutCheckpointer
{
  sqlite3      *db;          /* the connection whose commits are watched */
  char         *path;
  GMainContext *context;
  guint         idle_ms;
  int           eager_pages;

  GSource      *timer;
  guint         timer_ms;    /* of @timer */
  GThread      *thread;      /* the last checkpoint's, until joined */
  int           running;     /* atomic: @thread has not finished */
};

static gpointer
checkpoint_thread (gpointer data)
{
  TopoutCheckpointer *self = data;
  sqlite3 *db = NULL;
  int n_log = 0, n_done = 0;
  int rc = sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, &n_log, &n_done);
  /* BUSY: another checkpoint (another process's) is under way. */
  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    g_debug ("Checkpoint of %s: %s", self->path, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  else
    g_debug ("Checkpoint of %s: %d of %d frames", self->path, n_done, n_log);
  sqlite3_close (db);
  g_atomic_int_set (&self->running, FALSE);
  return NULL;
}

static void arm (TopoutCheckpointer *self,
                 guint               ms);

static gboolean
timer_fired (gpointer data)
{
  TopoutCheckpointer *self = data;

  g_clear_pointer (&self->timer, g_source_unref);
  if (self->thread != NULL)
    {
      /* The last one is still copying: look again later. */
      if (g_atomic_int_get (&self->running))
        {
          arm (self, self->idle_ms);
          return G_SOURCE_REMOVE;
        }
      g_clear_pointer (&self->thread, g_thread_join);
    }
  g_atomic_int_set (&self->running, TRUE);
  self->thread = g_thread_new ("topout-checkpoint", checkpoint_thread, self);
  return G_SOURCE_REMOVE;
}

static void
arm (TopoutCheckpointer *self,
     guint               ms)
{
  if (self->timer != NULL)
    {
      /* An eager checkpoint is not put off by more commits. */
      if (self->timer_ms == 0 && ms > 0)
        return;
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  self->timer = g_timeout_source_new (ms);
  self->timer_ms = ms;
  g_source_set_static_name (self->timer, "[topout] WAL checkpoint");
  g_source_set_callback (self->timer, timer_fired, self, NULL);
  g_source_attach (self->timer, self->context);
}

/* Called by SQLite after each commit on the connection, on the committing
 * thread, with the number of frames now in the log. */
static int
wal_hook (void       *data,
          sqlite3    *db,
          const char *name,
          int         n_pages)
{
  TopoutCheckpointer *self = data;

  if (n_pages > 0)
    arm (self, n_pages >= self->eager_pages ? 0 : self->idle_ms);
  return SQLITE_OK;
}

TopoutCheckpointer *
_topout_checkpointer_new (sqlite3    *db,
                          const char *path,
                          guint       idle_ms,
                          int         eager_pages)
{
  TopoutCheckpointer *self = g_new0 (TopoutCheckpointer, 1);

  self->db = db;
  self->path = g_strdup (path);
  self->context = g_main_context_ref_thread_default ();
  self->idle_ms = idle_ms;
  self->eager_pages = eager_pages;
  _topout_checkpointer_install (self);
  return self;
}

void
_topout_checkpointer_install (TopoutCheckpointer *self)
{
  /* Replaces SQLite's automatic checkpoints (a WAL hook of their own). */
  sqlite3_wal_hook (self->db, wal_hook, self);
}

void
_topout_checkpointer_free (TopoutCheckpointer *self)
{
  if (self == NULL)
    return;
  sqlite3_wal_autocheckpoint (self->db, TOPOUT_STORE_AUTOCHECKPOINT_PAGES);
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  g_clear_pointer (&self->thread, g_thread_join);
  g_main_context_unref (self->context);
  g_free (self->path);
  g_free (self);
}
