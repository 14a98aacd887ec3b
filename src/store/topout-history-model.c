/* topout-history-model.c — the History list, paged from SQLite by key.
 *
 * Order: (session_date DESC, started_at DESC, id DESC), so that "the rows from
 * key K on" is the single row-value comparison (date, started_at, id) <= K,
 * which SQLite answers from the sessions_*history indices.
 *
 * Paging: never OFFSET. An anchor is a key and its position, the number of
 * rows of the list ahead of that key. Anchors are found lazily, one every
 * ANCHOR_SPACING rows, by stepping through the keys of a covering index from
 * the nearest anchor, reading only as many keys as needed. To read the block
 * of BLOCK_SIZE rows at position p, the model steps from the last anchor at or
 * before p to p (fewer than ANCHOR_SPACING keys) and reads "the rows from that
 * key on" (or "the rows after the last row of the block before", when that
 * one is cached). Blocks live in a small LRU cache; the same object comes
 * back for the same position while its block is cached.
 *
 * Changes: the store emits ::session-changed (before, after) after COMMIT, so
 * the database already holds the new state. A row's old position is the number
 * of rows ahead of its old key in the current table without the changed
 * session itself, and its new position the same for its new key; the nearest
 * anchor keeps each count under ANCHOR_SPACING rows. Anchors survive changes:
 * a row removed ahead of an anchor moves it up one, a row added moves it down
 * one (an anchor whose own row went away still marks the same place in the key
 * order). Cached blocks from the first changed position on are dropped.
 *
 * One commit may carry several changes (one signal each, emitted back to
 * back): the later ones are already in the table when the first arrives, which
 * makes the arithmetic above wrong. So when a second signal arrives with the
 * database unchanged since the first (sqlite3_total_changes), the model reads
 * itself again and says so with one ::items-changed (0, old n, new n); later
 * signals of that commit are then already shown and are ignored.
 *
 * Bulk changes: ::sessions-reset (an import, a merge, another process's
 * writes) makes the model read its count again. One ::items-changed (0, n,
 * n) would make GTK 4.8 read every row when it showed one of them (its list
 * item manager looks for each row it showed among all the new ones): 10,000
 * rows took 70 ms, 100,000 half a second, and the list could lose its place.
 * So the model keeps what it can: the rows someone holds (the rows
 * get_item() gave out that are still alive, weak references, each with its
 * place as the signals told it; a list holds the rows it shows) that the
 * new table still has, in runs that are still consecutive, are brought up
 * to date in place (their ::notify tells), and the stretches between them
 * are told, first to last, one ::items-changed each, none removing a kept
 * row. While those signals run, the list answers as they have told it so
 * far. An anchor marks each kept run; the idle work finds the others again.
 * Whoever holds no row gets one (0, n, n).
 *
 * A sync's batch changes only sync states, twice per batch:
 * ::sessions-sync-changed keeps every row in its place, so the model only
 * brings the rows someone holds up to date, with no ::items-changed.
 */
#define G_LOG_DOMAIN "topout-history-model"

#include "config.h"

#include "topout-history-model.h"
#include "topout-store-private.h"

/* The filters, one literal statement per combination: "(?4 IS NULL OR
 * s.climber_id = ?4)" would keep SQLite on sessions_history and make it walk
 * every row to find one climber's. The unary + keeps SQLite off the index of a
 * less selective column (without ANALYZE it would pick the type index over the
 * climber's). Type and sync state together have an index of their own
 * (sessions_type_sync_history, schema version 4). Checked with EXPLAIN QUERY
 * PLAN on SQLite 3.40: every block, key and count query is a SEARCH of the
 * named index, with no temporary B-tree. */
#define AND_NONE    ""
#define AND_C       " AND s.climber_id = ?4"                 /* sessions_climber_history */
#define AND_T       " AND s.type = ?5"                       /* sessions_type_history */
#define AND_CT      " AND s.climber_id = ?4 AND +s.type = ?5"
#define AND_S       " AND s.sync_state = ?6"                 /* sessions_sync_history */
#define AND_CS      " AND s.climber_id = ?4 AND +s.sync_state = ?6"
#define AND_TS      " AND s.type = ?5 AND s.sync_state = ?6" /* sessions_type_sync_history */
#define AND_CTS     " AND s.climber_id = ?4 AND +s.type = ?5 AND +s.sync_state = ?6"
#define WHERE_NONE  ""
#define WHERE_C     " WHERE s.climber_id = ?4"
#define WHERE_T     " WHERE s.type = ?5"
#define WHERE_CT    " WHERE s.climber_id = ?4 AND +s.type = ?5"
#define WHERE_S     " WHERE s.sync_state = ?6"
#define WHERE_CS    " WHERE s.climber_id = ?4 AND +s.sync_state = ?6"
#define WHERE_TS    " WHERE s.type = ?5 AND s.sync_state = ?6"
#define WHERE_CTS   " WHERE s.climber_id = ?4 AND +s.type = ?5 AND +s.sync_state = ?6"

/* While an import is under way (its journal holds sessions), the sessions it
 * wrote are left out: it commits in chunks and is all or nothing, so what it
 * wrote may still go again. They show once its last commit empties the
 * journal (topout-export.h). Without a journal the statements are the ones
 * above, untouched. */
#define IMPORTING    TOPOUT_NOT_IN_IMPORT ("s.id", "session")
#define HIDE(X)      X " AND" IMPORTING
#define WHERE_H_NONE " WHERE" IMPORTING
#define WHERE_H_C    HIDE (WHERE_C)
#define WHERE_H_T    HIDE (WHERE_T)
#define WHERE_H_CT   HIDE (WHERE_CT)
#define WHERE_H_S    HIDE (WHERE_S)
#define WHERE_H_CS   HIDE (WHERE_CS)
#define WHERE_H_TS   HIDE (WHERE_TS)
#define WHERE_H_CTS  HIDE (WHERE_CTS)
#define AND_H_NONE   HIDE (AND_NONE)
#define AND_H_C      HIDE (AND_C)
#define AND_H_T      HIDE (AND_T)
#define AND_H_CT     HIDE (AND_CT)
#define AND_H_S      HIDE (AND_S)
#define AND_H_CS     HIDE (AND_CS)
#define AND_H_TS     HIDE (AND_TS)
#define AND_H_CTS    HIDE (AND_CTS)

/* Indexed by filter_index(): bit 0 climber, bit 1 type, bit 2 sync state,
 * bit 3 an import under way. */
#define EACH_OF(Q, F) \
  Q (F##_NONE), Q (F##_C), Q (F##_T), Q (F##_CT), Q (F##_S), Q (F##_CS), Q (F##_TS), Q (F##_CTS)
#define EACH_FILTER(Q, F) { EACH_OF (Q, F), EACH_OF (Q, F##_H) }
#define N_FILTERS        16

#define HISTORY_KEY   "(s.session_date, s.started_at, s.id)"
#define KEY_COLUMNS   "s.session_date, s.started_at, s.id"
#define HISTORY_ORDER " ORDER BY s.session_date DESC, s.started_at DESC, s.id DESC"
#define BLOCK_LIMIT   " LIMIT " G_STRINGIFY (TOPOUT_HISTORY_BLOCK_SIZE)

/* ?1–?3: a key; ?4–?6: the filter; ?7: a session to leave out; ?8–?10: a second key. */
#define COUNT_SQL(W)     "SELECT count (*) FROM sessions s" W
#define FIRST_KEY_SQL(W) "SELECT " KEY_COLUMNS " FROM sessions s" W HISTORY_ORDER " LIMIT 1"
#define KEYS_FROM_SQL(A) \
  "SELECT " KEY_COLUMNS " FROM sessions s WHERE " HISTORY_KEY " <= (?1, ?2, ?3)" A HISTORY_ORDER
#define BLOCK_FROM_SQL(A) \
  "SELECT " TOPOUT_SESSION_COLUMNS " FROM " TOPOUT_SESSION_FROM \
  " WHERE " HISTORY_KEY " <= (?1, ?2, ?3)" A HISTORY_ORDER BLOCK_LIMIT
#define BLOCK_AFTER_SQL(A) \
  "SELECT " TOPOUT_SESSION_COLUMNS " FROM " TOPOUT_SESSION_FROM \
  " WHERE " HISTORY_KEY " < (?1, ?2, ?3)" A HISTORY_ORDER BLOCK_LIMIT
/* Rows ahead of key ?1–?3 (they sort before it in the list), without ?7. */
#define COUNT_AHEAD_SQL(A) \
  "SELECT count (*) FROM sessions s WHERE " HISTORY_KEY " > (?1, ?2, ?3) AND s.id != ?7" A
/* The same, only those from key ?8–?10 on (inclusive). */
#define COUNT_BETWEEN_SQL(A) \
  "SELECT count (*) FROM sessions s WHERE " HISTORY_KEY " > (?1, ?2, ?3)" \
  " AND " HISTORY_KEY " <= (?8, ?9, ?10) AND s.id != ?7" A

/* String literals in static arrays: their addresses are stable, as the
 * statement cache of _topout_store_stmt() needs. */
static const char *const count_sql[N_FILTERS] = EACH_FILTER (COUNT_SQL, WHERE);
static const char *const first_key_sql[N_FILTERS] = EACH_FILTER (FIRST_KEY_SQL, WHERE);
static const char *const keys_from_sql[N_FILTERS] = EACH_FILTER (KEYS_FROM_SQL, AND);
static const char *const block_from_sql[N_FILTERS] = EACH_FILTER (BLOCK_FROM_SQL, AND);
static const char *const block_after_sql[N_FILTERS] = EACH_FILTER (BLOCK_AFTER_SQL, AND);
static const char *const count_ahead_sql[N_FILTERS] = EACH_FILTER (COUNT_AHEAD_SQL, AND);
static const char *const count_between_sql[N_FILTERS] = EACH_FILTER (COUNT_BETWEEN_SQL, AND);

#define NO_CHANGES (-1)

typedef struct {
  const char *date;   /* owned by an Anchor, borrowed from a session elsewhere */
  gint64      started_at;
  const char *id;
} HistoryKey;

typedef struct {
  HistoryKey key;
  guint      position;  /* rows of the list ahead of key */
} Anchor;

/* A stretch of the list in a reset told in several ::items-changed: a run
 * of rows someone holds, in the same order before and after (kept), or the
 * rows between two such runs (replaced). */
typedef struct {
  guint    old_start;
  guint    old_len;
  guint    new_start;
  guint    new_len;
  gboolean kept;
} Segment;

typedef struct {
  guint      index;   /* block b: rows b × BLOCK_SIZE … */
  GPtrArray *items;   /* of TopoutSession*, at most BLOCK_SIZE */
} HistoryBlock;

struct _TopoutHistoryModel
{
  GObject      parent_instance;

  TopoutStore *store;
  gulong       session_changed_id;
  gulong       sessions_reset_id;
  gulong       sessions_sync_changed_id;

  char        *climber_id;
  int          session_type;
  int          sync_state;
  /* An import was under way when the count was read: its sessions are
   * left out until it is whole. */
  gboolean     hide_import;

  /* What the model shows. n_items is counted on first use; until then nobody
   * has seen a row and a change needs no signal. */
  gboolean     n_valid;
  guint        n_items;
  GArray      *anchors;   /* of Anchor, in list order (keys down, positions up) */
  GPtrArray   *blocks;    /* of HistoryBlock*, most recently used first */

  /* sqlite3_total_changes() when the model last read its count afresh (it
   * shows that state exactly), when the last ::session-changed arrived, and
   * when anchors were last added. */
  int          synced_changes;
  int          last_signal_changes;
  int          anchors_changes;

  guint        emitting;
  gboolean     resync_pending;
  guint        prefill_id;

  /* TopoutSession* → its position + 1 (0: unknown): the rows get_item()
   * gave out that are still alive (weak references: an entry goes with its
   * object), where the list following the signals has them. */
  GHashTable  *handed;

  /* While a reset is told in several ::items-changed: its segments, and how
   * many of them the signals so far have told (those show the new rows). */
  GArray      *segments;
  guint        segments_told;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TopoutHistoryModel, topout_history_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIMBER_ID,
  PROP_SESSION_TYPE,
  PROP_SYNC_STATE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define ANCHOR(self, i) (&g_array_index ((self)->anchors, Anchor, (i)))

/* Keys -------------------------------------------------------------------- */

static void
anchor_clear (gpointer data)
{
  Anchor *anchor = data;

  g_free ((char *) anchor->key.date);
  g_free ((char *) anchor->key.id);
}

static void
history_block_free (gpointer data)
{
  HistoryBlock *block = data;

  g_ptr_array_unref (block->items);
  g_free (block);
}

static void
key_of_session (HistoryKey    *key,
                TopoutSession *session)
{
  key->date = topout_session_get_session_date (session);
  key->started_at = topout_session_get_started_at (session);
  key->id = topout_session_get_id (session);
}

/* A key that owns its strings, from the first three columns of @stmt. */
static void
key_from_row (HistoryKey   *key,
              sqlite3_stmt *stmt)
{
  key->date = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  key->started_at = sqlite3_column_int64 (stmt, 1);
  key->id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
}

static void
key_copy (HistoryKey       *dest,
          const HistoryKey *src)
{
  dest->date = g_strdup (src->date);
  dest->started_at = src->started_at;
  dest->id = g_strdup (src->id);
}

/* In key order, which is the reverse of the list's: > 0 when @a comes
 * before @b in the list. */
static int
key_compare (const HistoryKey *a,
             const HistoryKey *b)
{
  int cmp = g_strcmp0 (a->date, b->date);

  if (cmp != 0)
    return cmp;
  if (a->started_at != b->started_at)
    return a->started_at < b->started_at ? -1 : 1;
  return g_strcmp0 (a->id, b->id);
}

static void
bind_key (sqlite3_stmt     *stmt,
          int               first,
          const HistoryKey *key)
{
  sqlite3_bind_text (stmt, first, key->date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, first + 1, key->started_at);
  sqlite3_bind_text (stmt, first + 2, key->id, -1, SQLITE_TRANSIENT);
}

static guint
filter_index (TopoutHistoryModel *self)
{
  return (self->climber_id != NULL ? 1 : 0) |
         (self->session_type >= 0 ? 2 : 0) |
         (self->sync_state >= 0 ? 4 : 0) |
         (self->hide_import ? 8 : 0);
}

/* Binds the filter's parameters that @stmt has (a count by type alone has no ?6). */
static void
bind_filter (TopoutHistoryModel *self,
             sqlite3_stmt       *stmt)
{
  int n_params = sqlite3_bind_parameter_count (stmt);

  if (self->climber_id != NULL && n_params >= 4)
    sqlite3_bind_text (stmt, 4, self->climber_id, -1, SQLITE_TRANSIENT);
  if (self->session_type >= 0 && n_params >= 5)
    sqlite3_bind_text (stmt, 5, topout_session_type_to_key (self->session_type), -1, SQLITE_STATIC);
  if (self->sync_state >= 0 && n_params >= 6)
    sqlite3_bind_text (stmt, 6, topout_sync_state_to_key (self->sync_state), -1, SQLITE_STATIC);
}

/* Whether @session is in the list under the current filter (the SQL's WHERE). */
static gboolean
matches_filter (TopoutHistoryModel *self,
                TopoutSession      *session)
{
  if (session == NULL)
    return FALSE;
  if (self->climber_id != NULL &&
      g_strcmp0 (topout_session_get_climber_id (session), self->climber_id) != 0)
    return FALSE;
  if (self->session_type >= 0 &&
      (int) topout_session_get_session_type (session) != self->session_type)
    return FALSE;
  if (self->sync_state >= 0 &&
      (int) topout_session_get_sync_state (session) != self->sync_state)
    return FALSE;
  return TRUE;
}

static int
current_changes (TopoutHistoryModel *self)
{
  return sqlite3_total_changes (_topout_store_get_db (self->store));
}

static void
warn_sqlite (TopoutHistoryModel *self,
             const char         *what)
{
  g_warning ("History: cannot %s: %s", what,
             sqlite3_errmsg (_topout_store_get_db (self->store)));
}

static sqlite3_stmt *
get_stmt (TopoutHistoryModel *self,
          const char         *sql)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = _topout_store_stmt (self->store, sql, &error);

  if (stmt == NULL)
    g_warning ("History: %s", error->message);
  return stmt;
}

static gboolean
step_count (TopoutHistoryModel *self,
            sqlite3_stmt       *stmt,
            guint              *count)
{
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      warn_sqlite (self, "count sessions");
      return FALSE;
    }
  *count = (guint) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* Anchors ------------------------------------------------------------------- */

/* How many anchors are at or ahead of @key (a prefix of the array). */
static guint
anchors_ahead_of_key (TopoutHistoryModel *self,
                      const HistoryKey   *key)
{
  guint lo = 0, hi = self->anchors->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (key_compare (&ANCHOR (self, mid)->key, key) >= 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* How many anchors are at or ahead of @position (a prefix of the array). */
static guint
anchors_up_to_position (TopoutHistoryModel *self,
                        guint               position)
{
  guint lo = 0, hi = self->anchors->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (ANCHOR (self, mid)->position <= position)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Inserts an anchor (taking @key's strings) at @index of the array. */
static void
insert_anchor (TopoutHistoryModel *self,
               guint               index,
               HistoryKey         *key,
               guint               position)
{
  Anchor anchor = { *key, position };

  g_array_insert_val (self->anchors, index, anchor);
  self->anchors_changes = current_changes (self);
}

/* Anchors closer than half the spacing add nothing (rows removed ahead of
 * them bring them together): keeps their number under 2n / spacing + 1. */
static void
compact_anchors (TopoutHistoryModel *self)
{
  guint kept = 0;

  if (self->anchors->len <= 2 * (self->n_items / TOPOUT_HISTORY_ANCHOR_SPACING) + 2)
    return;
  for (guint i = 0; i < self->anchors->len; i++)
    {
      Anchor *anchor = ANCHOR (self, i);

      if (kept > 0 &&
          anchor->position < ANCHOR (self, kept - 1)->position + TOPOUT_HISTORY_ANCHOR_SPACING / 2)
        {
          anchor_clear (anchor);
          continue;
        }
      if (i != kept)
        *ANCHOR (self, kept) = *anchor;
      kept++;
    }
  /* The moved-from slots were copied, not cleared: shrink without clearing. */
  g_array_set_clear_func (self->anchors, NULL);
  g_array_set_size (self->anchors, kept);
  g_array_set_clear_func (self->anchors, anchor_clear);
}

/* Finds the key from which an inclusive read starts at row @position: the
 * key of an anchor at that position, or of the row itself, reached by
 * stepping from the last anchor before it. Adds anchors on the way. */
static gboolean
seek (TopoutHistoryModel *self,
      guint               position,
      HistoryKey         *found)
{
  g_autoptr (TopoutStmt) keys = NULL;
  guint filter = filter_index (self);
  guint index = anchors_up_to_position (self, position);
  guint row, last_anchor;
  int rc;

  if (index == 0)
    {
      /* Nothing known this far up: the top of the list is an anchor. */
      g_autoptr (TopoutStmt) first = get_stmt (self, first_key_sql[filter]);
      HistoryKey top;

      if (first == NULL)
        return FALSE;
      bind_filter (self, first);
      rc = sqlite3_step (first);
      if (rc != SQLITE_ROW)
        {
          if (rc != SQLITE_DONE)
            warn_sqlite (self, "read the first key");
          return FALSE;
        }
      key_from_row (&top, first);
      if (self->anchors->len > 0 && ANCHOR (self, 0)->position < TOPOUT_HISTORY_ANCHOR_SPACING)
        {
          /* Rows were added at the top: move the first anchor there. */
          anchor_clear (ANCHOR (self, 0));
          ANCHOR (self, 0)->key = top;
          ANCHOR (self, 0)->position = 0;
          self->anchors_changes = current_changes (self);
        }
      else
        insert_anchor (self, 0, &top, 0);
      index = 1;
    }

  row = last_anchor = ANCHOR (self, index - 1)->position;
  if (row == position)
    {
      key_copy (found, &ANCHOR (self, index - 1)->key);
      return TRUE;
    }

  keys = get_stmt (self, keys_from_sql[filter]);
  if (keys == NULL)
    return FALSE;
  bind_key (keys, 1, &ANCHOR (self, index - 1)->key);
  bind_filter (self, keys);
  /* Only keys, from the covering index; the first is the row at the anchor. */
  while ((rc = sqlite3_step (keys)) == SQLITE_ROW)
    {
      if (row - last_anchor >= TOPOUT_HISTORY_ANCHOR_SPACING)
        {
          HistoryKey key;

          key_from_row (&key, keys);
          insert_anchor (self, index++, &key, row);
          last_anchor = row;
        }
      if (row == position)
        {
          key_from_row (found, keys);
          compact_anchors (self);
          return TRUE;
        }
      row++;
    }
  if (rc != SQLITE_DONE)
    warn_sqlite (self, "step through the keys");
  compact_anchors (self);
  return FALSE;
}

/* Moves the anchors behind a removed and an added row; FALSE when the
 * numbers do not add up (the list and the table disagree). */
static gboolean
shift_anchors (TopoutHistoryModel *self,
               const HistoryKey   *removed,
               const HistoryKey   *added)
{
  for (guint i = 0; i < self->anchors->len; i++)
    {
      Anchor *anchor = ANCHOR (self, i);
      gint64 position = anchor->position;

      if (removed != NULL && key_compare (removed, &anchor->key) > 0)
        position--;
      if (added != NULL && key_compare (added, &anchor->key) > 0)
        position++;
      if (position < 0)
        return FALSE;
      anchor->position = (guint) position;
    }
  return TRUE;
}

/* Adds up to @max_new anchors in the first stretch of the list without any
 * (between two anchors far apart, as a reset that kept a run of rows deep
 * in the list leaves, or after the last one); FALSE once there is none. */
static gboolean
extend_anchors (TopoutHistoryModel *self,
                guint               max_new)
{
  g_autoptr (TopoutStmt) keys = NULL;
  guint i, row, last_anchor, limit, added = 0;
  int rc;

  if (!self->n_valid)
    return FALSE;
  if (self->anchors->len == 0 || ANCHOR (self, 0)->position > 0)
    {
      HistoryKey top;

      /* The top of the list is an anchor. */
      if (!seek (self, 0, &top))
        return FALSE;
      g_free ((char *) top.date);
      g_free ((char *) top.id);
    }

  for (i = 0; i + 1 < self->anchors->len; i++)
    if (ANCHOR (self, i + 1)->position - ANCHOR (self, i)->position >= 2 * TOPOUT_HISTORY_ANCHOR_SPACING)
      break;
  row = last_anchor = ANCHOR (self, i)->position;
  limit = i + 1 < self->anchors->len ? ANCHOR (self, i + 1)->position : self->n_items;
  if (row + TOPOUT_HISTORY_ANCHOR_SPACING >= limit)
    return FALSE;
  keys = get_stmt (self, keys_from_sql[filter_index (self)]);
  if (keys == NULL)
    return FALSE;
  bind_key (keys, 1, &ANCHOR (self, i)->key);
  bind_filter (self, keys);
  while (added < max_new && row < limit && (rc = sqlite3_step (keys)) == SQLITE_ROW)
    {
      /* Not next to the anchor that ends the stretch. */
      if (row - last_anchor >= TOPOUT_HISTORY_ANCHOR_SPACING &&
          (limit == self->n_items || row + TOPOUT_HISTORY_ANCHOR_SPACING / 2 <= limit))
        {
          HistoryKey key;

          key_from_row (&key, keys);
          insert_anchor (self, i + 1 + added, &key, row);
          last_anchor = row;
          added++;
        }
      row++;
    }
  return added > 0;
}

/* A few anchors each time the main loop is idle: 8 × 256 keys, well under a
 * millisecond, at a priority below redrawing. */
static gboolean
prefill_anchors (gpointer data)
{
  TopoutHistoryModel *self = data;

  if (extend_anchors (self, 8))
    return G_SOURCE_CONTINUE;
  self->prefill_id = 0;
  return G_SOURCE_REMOVE;
}

/* Blocks -------------------------------------------------------------------- */

static void
drop_blocks_from (TopoutHistoryModel *self,
                  guint               first_block)
{
  for (guint i = self->blocks->len; i > 0; i--)
    {
      HistoryBlock *block = g_ptr_array_index (self->blocks, i - 1);

      if (block->index >= first_block)
        g_ptr_array_remove_index (self->blocks, i - 1);
    }
}

static void
drop_block (TopoutHistoryModel *self,
            guint               index)
{
  for (guint i = 0; i < self->blocks->len; i++)
    {
      HistoryBlock *block = g_ptr_array_index (self->blocks, i);

      if (block->index == index)
        {
          g_ptr_array_remove_index (self->blocks, i);
          return;
        }
    }
}

static void
drop_everything (TopoutHistoryModel *self)
{
  g_clear_handle_id (&self->prefill_id, g_source_remove);
  g_ptr_array_set_size (self->blocks, 0);
  g_array_set_size (self->anchors, 0);
  self->n_valid = FALSE;
  self->n_items = 0;
}

static gboolean
count_filter (TopoutHistoryModel *self,
              guint               filter,
              guint              *count)
{
  g_autoptr (TopoutStmt) stmt = get_stmt (self, count_sql[filter]);

  if (stmt == NULL)
    return FALSE;
  bind_filter (self, stmt);
  return step_count (self, stmt, count);
}

static gboolean prefill_anchors (gpointer data);

static guint
ensure_n_items (TopoutHistoryModel *self)
{
  guint count = 0;

  if (self->n_valid)
    return self->n_items;

  {
    g_autoptr (TopoutStmt) journal = get_stmt (self, "SELECT 1 FROM import_journal WHERE kind = 'session' LIMIT 1");

    self->hide_import = journal != NULL && sqlite3_step (journal) == SQLITE_ROW;
  }
  if (!count_filter (self, filter_index (self), &count))
    count = 0;
  self->n_items = count;
  self->n_valid = TRUE;
  self->synced_changes = current_changes (self);

  /* Find the anchors of a long list while the main loop is idle, so that
   * the first jump deep into it does not step through all the keys. */
  if (count > 2 * TOPOUT_HISTORY_ANCHOR_SPACING && self->prefill_id == 0)
    {
      g_autoptr (GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_LOW);
      g_source_set_callback (source, prefill_anchors, self, NULL);
      g_source_set_static_name (source, "[topout] history anchors");
      self->prefill_id = g_source_attach (source, g_main_context_get_thread_default ());
    }
  return count;
}

static HistoryBlock *
find_block (TopoutHistoryModel *self,
            guint               index,
            gboolean            touch)
{
  for (guint i = 0; i < self->blocks->len; i++)
    {
      HistoryBlock *block = g_ptr_array_index (self->blocks, i);

      if (block->index == index)
        {
          if (touch && i > 0)
            {
              g_ptr_array_steal_index (self->blocks, i);
              g_ptr_array_insert (self->blocks, 0, block);
            }
          return block;
        }
    }
  return NULL;
}

static HistoryBlock *
load_block (TopoutHistoryModel *self,
            guint               index)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  g_autoptr (GPtrArray) items = NULL;
  HistoryBlock *previous = index > 0 ? find_block (self, index - 1, FALSE) : NULL;
  guint filter = filter_index (self);
  guint position = index * TOPOUT_HISTORY_BLOCK_SIZE;
  HistoryBlock *block;
  int rc;

  if (previous != NULL && previous->items->len == TOPOUT_HISTORY_BLOCK_SIZE)
    {
      /* Scrolling on: the rows after the last one read. */
      HistoryKey last;

      key_of_session (&last, g_ptr_array_index (previous->items, previous->items->len - 1));
      stmt = get_stmt (self, block_after_sql[filter]);
      if (stmt == NULL)
        return NULL;
      bind_key (stmt, 1, &last);
    }
  else
    {
      HistoryKey from;

      if (!seek (self, position, &from))
        return NULL;
      stmt = get_stmt (self, block_from_sql[filter]);
      if (stmt != NULL)
        bind_key (stmt, 1, &from);
      g_free ((char *) from.date);
      g_free ((char *) from.id);
      if (stmt == NULL)
        return NULL;
    }
  bind_filter (self, stmt);

  items = g_ptr_array_new_full (TOPOUT_HISTORY_BLOCK_SIZE, g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, _topout_store_read_session (stmt));
  if (rc != SQLITE_DONE)
    {
      warn_sqlite (self, "read a block");
      return NULL;
    }

  /* Scrolling on through a stretch with no anchor leaves one behind. */
  if (previous != NULL && items->len > 0)
    {
      guint before = anchors_up_to_position (self, position);

      if (before > 0 && position - ANCHOR (self, before - 1)->position >= TOPOUT_HISTORY_ANCHOR_SPACING)
        {
          HistoryKey first, key;

          key_of_session (&first, g_ptr_array_index (items, 0));
          key_copy (&key, &first);
          insert_anchor (self, before, &key, position);
        }
    }

  if (self->blocks->len >= TOPOUT_HISTORY_CACHE_BLOCKS)
    g_ptr_array_remove_index (self->blocks, self->blocks->len - 1);
  block = g_new0 (HistoryBlock, 1);
  block->index = index;
  block->items = g_steal_pointer (&items);
  g_ptr_array_insert (self->blocks, 0, block);
  return block;
}

/* The number of rows ahead of @key in the list as the table holds it now,
 * leaving out the changed session @exclude_id. @before_key is that session's
 * key before the change when it was in the list: anchor positions count it.
 * The nearest anchor keeps the count to the rows from it down to @key. */
static gboolean
count_ahead (TopoutHistoryModel *self,
             const HistoryKey   *key,
             const char         *exclude_id,
             const HistoryKey   *before_key,
             guint              *position)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  guint filter = filter_index (self);
  guint index = anchors_ahead_of_key (self, key);
  const Anchor *anchor;
  gint64 result;
  guint count;

  if (index == 0)
    {
      stmt = get_stmt (self, count_ahead_sql[filter]);
      if (stmt == NULL)
        return FALSE;
      bind_key (stmt, 1, key);
      sqlite3_bind_text (stmt, 7, exclude_id, -1, SQLITE_TRANSIENT);
      bind_filter (self, stmt);
      return step_count (self, stmt, position);
    }

  anchor = ANCHOR (self, index - 1);
  stmt = get_stmt (self, count_between_sql[filter]);
  if (stmt == NULL)
    return FALSE;
  bind_key (stmt, 1, key);
  sqlite3_bind_text (stmt, 7, exclude_id, -1, SQLITE_TRANSIENT);
  bind_key (stmt, 8, &anchor->key);
  bind_filter (self, stmt);
  if (!step_count (self, stmt, &count))
    return FALSE;

  result = (gint64) anchor->position + count;
  if (before_key != NULL && key_compare (before_key, &anchor->key) > 0)
    result--;
  if (result < 0 || result > G_MAXUINT)
    return FALSE;
  *position = (guint) result;
  return TRUE;
}

/* Signals ----------------------------------------------------------------- */

static void
handed_gone (gpointer  data,
             GObject  *where_the_object_was)
{
  TopoutHistoryModel *self = data;

  g_hash_table_remove (self->handed, where_the_object_was);
}

static void
hand_out (TopoutHistoryModel *self,
          TopoutSession      *item,
          guint               position)
{
  /* One hash lookup per row bound: TRUE when @item is new to the table. */
  if (g_hash_table_insert (self->handed, item, GUINT_TO_POINTER (position + 1)))
    g_object_weak_ref (G_OBJECT (item), handed_gone, self);
}

static void
forget_handed (TopoutHistoryModel *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->handed);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      g_object_weak_unref (item, handed_gone, self);
      g_hash_table_iter_remove (&iter);
    }
}

static void
emit_items_changed (TopoutHistoryModel *self,
                    guint               position,
                    guint               removed,
                    guint               added)
{
  GHashTableIter iter;
  gpointer value;

  /* The rows given out move with the signal; those it removes are gone
   * from the list (whoever holds one gets another object for its place). */
  g_hash_table_iter_init (&iter, self->handed);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      guint known = GPOINTER_TO_UINT (value);

      if (known == 0 || known - 1 < position)
        continue;
      if (known - 1 >= position + removed)
        known = known + added - removed;
      else
        known = 0;
      g_hash_table_iter_replace (&iter, GUINT_TO_POINTER (known));
    }
  self->emitting++;
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  self->emitting--;
}

static void
notify_n_items (TopoutHistoryModel *self)
{
  self->emitting++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  self->emitting--;
}

/* Resets that keep the rows someone holds ---------------------------------- */

/* Gives a row someone holds what the table has now (its ::notify tells);
 * FALSE when the table no longer has it. */
static gboolean
bring_up_to_date (TopoutHistoryModel *self,
                  TopoutSession      *row)
{
  g_autoptr (TopoutSession) fresh = _topout_store_load_session (self->store, topout_session_get_id (row), NULL);

  if (fresh == NULL)
    return FALSE;
  topout_session_update_from (row, fresh);
  return TRUE;
}

typedef struct {
  TopoutSession *row;       /* a reference */
  guint          position;  /* in the list the signals told */
} Held;

static void
held_clear (gpointer data)
{
  g_object_unref (((Held *) data)->row);
}

static int
held_compare (gconstpointer a,
              gconstpointer b)
{
  const Held *x = a, *y = b;

  return x->position < y->position ? -1 : x->position > y->position ? 1 : 0;
}

/* The rows given out and still alive whose place is known, in list order. */
static GArray *
held_rows (TopoutHistoryModel *self,
           guint               old_n)
{
  GArray *held = g_array_new (FALSE, FALSE, sizeof (Held));
  GHashTableIter iter;
  gpointer item, value;

  g_array_set_clear_func (held, held_clear);
  g_hash_table_iter_init (&iter, self->handed);
  while (g_hash_table_iter_next (&iter, &item, &value))
    {
      guint known = GPOINTER_TO_UINT (value);
      Held h;

      if (known == 0 || known - 1 >= old_n)
        continue;
      h.row = g_object_ref (item);
      h.position = known - 1;
      g_array_append_val (held, h);
    }
  g_array_sort (held, held_compare);
  return held;
}

static gboolean
key_is_row (const HistoryKey *key,
            sqlite3_stmt     *stmt)
{
  return key->started_at == sqlite3_column_int64 (stmt, 1) &&
         g_strcmp0 (key->id, (const char *) sqlite3_column_text (stmt, 2)) == 0 &&
         g_strcmp0 (key->date, (const char *) sqlite3_column_text (stmt, 0)) == 0;
}

/* An anchor at @key, at @position of the new table, unless one is there. */
static void
anchor_at (TopoutHistoryModel *self,
           const HistoryKey   *key,
           guint               position)
{
  guint index = anchors_ahead_of_key (self, key);
  HistoryKey copy;

  if (index > 0 && key_compare (&ANCHOR (self, index - 1)->key, key) == 0)
    return;
  key_copy (&copy, key);
  insert_anchor (self, index, &copy, position);
}

static void
add_segment (GArray   *segments,
             guint     old_start,
             guint     old_len,
             guint     new_start,
             guint     new_len,
             gboolean  kept)
{
  Segment segment = { old_start, old_len, new_start, new_len, kept };

  if (old_len > 0 || new_len > 0)
    g_array_append_val (segments, segment);
}

/* After the table changed in bulk (the model's count and anchors already
 * read afresh): the rows someone holds that the new list has in the same
 * order, as runs of rows consecutive in both lists (each a single row-value
 * lookup, a count from the anchor before it, and a step through its keys),
 * with the stretches between them. NULL when no row is kept. @kept gets
 * the rows kept. */
static GArray *
plan_reset (TopoutHistoryModel  *self,
            guint                old_n,
            guint                new_n,
            GPtrArray          **kept)
{
  g_autoptr (GArray) held = held_rows (self, old_n);
  g_autoptr (GArray) segments = NULL;
  guint filter = filter_index (self);
  guint old_end = 0, new_end = 0, i = 0;

  *kept = NULL;
  if (held->len == 0 || new_n == 0)
    return NULL;

  segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  *kept = g_ptr_array_new_with_free_func (g_object_unref);
  while (i < held->len)
    {
      Held *first = &g_array_index (held, Held, i++);
      g_autoptr (TopoutStmt) keys = NULL;
      HistoryKey key;
      guint new_start, len = 1;

      /* Two objects for one place (a row read again while the old one
       * lived): the first one stands for it. */
      if (first->position < old_end)
        continue;
      key_of_session (&key, first->row);
      keys = get_stmt (self, keys_from_sql[filter]);
      if (keys == NULL)
        break;
      bind_key (keys, 1, &key);
      bind_filter (self, keys);
      /* Gone from the list, or moved in it: replaced like the rows around. */
      if (sqlite3_step (keys) != SQLITE_ROW || !key_is_row (&key, keys))
        continue;
      if (!count_ahead (self, &key, "", NULL, &new_start) || new_start < new_end || new_start >= new_n)
        continue;

      g_ptr_array_add (*kept, g_object_ref (first->row));
      while (i < held->len)
        {
          Held *next = &g_array_index (held, Held, i);
          HistoryKey next_key;

          if (next->position < first->position + len)
            {
              i++;
              continue;
            }
          if (next->position != first->position + len || new_start + len >= new_n ||
              sqlite3_step (keys) != SQLITE_ROW)
            break;
          key_of_session (&next_key, next->row);
          if (!key_is_row (&next_key, keys))
            break;
          g_ptr_array_add (*kept, g_object_ref (next->row));
          len++;
          i++;
        }

      anchor_at (self, &key, new_start);
      add_segment (segments, old_end, first->position - old_end, new_end, new_start - new_end, FALSE);
      add_segment (segments, first->position, len, new_start, len, TRUE);
      old_end = first->position + len;
      new_end = new_start + len;
    }

  compact_anchors (self);
  if ((*kept)->len == 0)
    {
      g_clear_pointer (kept, g_ptr_array_unref);
      return NULL;
    }
  add_segment (segments, old_end, old_n - old_end, new_end, new_n - new_end, FALSE);
  return g_steal_pointer (&segments);
}

/* Where the row at @position of the list told so far is in the table. */
static guint
told_to_new (TopoutHistoryModel *self,
             guint               position)
{
  guint start = 0;

  for (guint k = 0; k < self->segments->len; k++)
    {
      const Segment *segment = &g_array_index (self->segments, Segment, k);
      gboolean told = k < self->segments_told;
      guint len = told ? segment->new_len : segment->old_len;

      if (position < start + len)
        {
          guint offset = position - start;

          if (told || segment->kept)
            return segment->new_start + offset;
          /* A stretch whose signal is still to come: its old rows are no
           * longer in the table; a new row near its place stands in (the
           * signal then replaces it). */
          if (segment->new_len > 0)
            return segment->new_start + MIN (offset, segment->new_len - 1);
          return segment->new_start > 0 ? segment->new_start - 1 : 0;
        }
      start += len;
    }
  return position;
}

/* Tells a planned reset: one ::items-changed per replaced stretch, first to
 * last, none covering a kept row. GTK 4.8 looks for the rows it showed
 * among all the added ones only when a signal removed one of them. While
 * the signals run, the list answers as the signals so far have told it. */
static void
tell_segments (TopoutHistoryModel *self,
               GArray             *segments,
               guint               old_n)
{
  guint position = 0, n = old_n;

  self->segments = segments;
  for (guint k = 0; k < segments->len; k++)
    {
      const Segment *segment = &g_array_index (segments, Segment, k);

      self->segments_told = k + 1;
      if (!segment->kept)
        {
          n = n - segment->old_len + segment->new_len;
          self->n_items = n;
          emit_items_changed (self, position, segment->old_len, segment->new_len);
        }
      position += segment->new_len;
    }
  self->segments = NULL;
  self->segments_told = 0;
  self->n_items = n;
}

/* Forgets every row and reads the count again. Whoever has seen the old
 * rows is told with ::items-changed: around the runs of rows someone holds
 * that the new list still has in the same order (brought up to date in
 * place, their ::notify tells), or one signal for all. */
static void
resync (TopoutHistoryModel *self)
{
  gboolean was_valid = self->n_valid;
  guint old_n = self->n_items;
  g_autoptr (GArray) segments = NULL;
  g_autoptr (GPtrArray) kept = NULL;
  guint new_n;

  if (self->segments != NULL)
    {
      /* Asked again while telling a reset: once that is told. */
      self->resync_pending = TRUE;
      return;
    }
  drop_everything (self);
  self->last_signal_changes = current_changes (self);
  if (!was_valid)
    {
      forget_handed (self);
      return;
    }

  new_n = ensure_n_items (self);
  segments = plan_reset (self, old_n, new_n, &kept);
  if (segments != NULL)
    {
      for (guint i = 0; i < kept->len; i++)
        bring_up_to_date (self, g_ptr_array_index (kept, i));
      tell_segments (self, segments, old_n);
    }
  else if (old_n != 0 || new_n != 0)
    emit_items_changed (self, 0, old_n, new_n);
  if (old_n != new_n)
    notify_n_items (self);
}

/* ::sessions-sync-changed: the same sessions in the same order, with new
 * sync bookkeeping. Unless the list is filtered by sync state (rows then
 * come and go: read again), every row stays where it is and the anchors
 * hold. The rows only the cache held are dropped (read again when asked
 * for); the rows someone holds are brought up to date in place, so a list
 * showing them updates its badges from their ::notify, with no
 * ::items-changed, no row widget made again. */
static void
refresh_sync_states (TopoutHistoryModel *self)
{
  g_autoptr (GPtrArray) held = NULL;
  GHashTableIter iter;
  gpointer item;

  if (self->sync_state >= 0)
    {
      resync (self);
      return;
    }
  /* The anchors, and the idle work finding more, hold. */
  g_ptr_array_set_size (self->blocks, 0);
  self->last_signal_changes = current_changes (self);
  if (!self->n_valid)
    {
      forget_handed (self);
      return;
    }

  held = g_ptr_array_new_full (g_hash_table_size (self->handed), g_object_unref);
  g_hash_table_iter_init (&iter, self->handed);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    g_ptr_array_add (held, g_object_ref (item));
  for (guint i = 0; i < held->len; i++)
    {
      if (!bring_up_to_date (self, g_ptr_array_index (held, i)))
        {
          /* Not what the signal promised: read everything again. */
          resync (self);
          return;
        }
    }
}

/* A change that arrived while the model was emitting (a handler wrote to the
 * store) is taken in by reading everything again once the emission is over. */
static void
finish_pending (TopoutHistoryModel *self)
{
  while (self->resync_pending && self->emitting == 0)
    {
      self->resync_pending = FALSE;
      resync (self);
    }
}

static void
apply_change (TopoutHistoryModel *self,
              TopoutSession      *before,
              TopoutSession      *after)
{
  gboolean before_in = matches_filter (self, before);
  gboolean after_in = matches_filter (self, after);
  int changes = current_changes (self);
  HistoryKey before_key = { NULL, 0, NULL };
  HistoryKey after_key = { NULL, 0, NULL };
  const char *id;
  guint old_pos = 0, new_pos = 0, first;

  if (!self->n_valid)
    {
      /* Nobody has seen a row yet: nothing to tell. */
      drop_everything (self);
      return;
    }
  if (changes == self->synced_changes)
    return;  /* read after this commit: already shown */
  if (changes == self->last_signal_changes)
    {
      /* The second change of one commit: see the top of the file. */
      resync (self);
      return;
    }
  self->last_signal_changes = changes;

  if (!before_in && !after_in)
    return;

  /* Anchors found since this commit were counted with the new state, not
   * the one the list shows; find them again later. */
  if (self->anchors_changes == changes)
    g_array_set_size (self->anchors, 0);

  id = topout_session_get_id (after != NULL ? after : before);
  if (before_in)
    key_of_session (&before_key, before);
  if (after_in)
    key_of_session (&after_key, after);

  if ((before_in && !count_ahead (self, &before_key, id, &before_key, &old_pos)) ||
      (after_in && !count_ahead (self, &after_key, id, before_in ? &before_key : NULL, &new_pos)) ||
      (before_in && old_pos >= self->n_items) ||
      (after_in && new_pos > self->n_items - (before_in ? 1 : 0)) ||
      !shift_anchors (self, before_in ? &before_key : NULL, after_in ? &after_key : NULL))
    {
      resync (self);
      return;
    }

  if (before_in && after_in && old_pos == new_pos)
    {
      drop_block (self, old_pos / TOPOUT_HISTORY_BLOCK_SIZE);
      emit_items_changed (self, old_pos, 1, 1);
      return;
    }

  first = before_in && after_in ? MIN (old_pos, new_pos) : before_in ? old_pos : new_pos;
  drop_blocks_from (self, first / TOPOUT_HISTORY_BLOCK_SIZE);
  if (before_in)
    {
      self->n_items--;
      emit_items_changed (self, old_pos, 1, 0);
    }
  if (after_in)
    {
      self->n_items++;
      emit_items_changed (self, new_pos, 0, 1);
    }
  if (before_in != after_in)
    notify_n_items (self);
}

static void
on_session_changed (TopoutStore        *store,
                    TopoutSession      *before,
                    TopoutSession      *after,
                    TopoutHistoryModel *self)
{
  if (self->emitting > 0)
    {
      self->resync_pending = TRUE;
      return;
    }
  apply_change (self, before, after);
  finish_pending (self);
}

static void
on_sessions_sync_changed (TopoutStore        *store,
                          TopoutHistoryModel *self)
{
  if (self->emitting > 0)
    {
      self->resync_pending = TRUE;
      return;
    }
  refresh_sync_states (self);
  finish_pending (self);
}

static void
on_sessions_reset (TopoutStore        *store,
                   TopoutHistoryModel *self)
{
  if (self->emitting > 0)
    {
      self->resync_pending = TRUE;
      return;
    }
  resync (self);
  finish_pending (self);
}

/* GListModel -------------------------------------------------------------- */

static GType
topout_history_model_get_item_type (GListModel *model)
{
  return TOPOUT_TYPE_SESSION;
}

static guint
topout_history_model_list_get_n_items (GListModel *model)
{
  return ensure_n_items (TOPOUT_HISTORY_MODEL (model));
}

/* The row at @position (< n_items), borrowed from the cache. */
static TopoutSession *
row_at (TopoutHistoryModel *self,
        guint               position)
{
  guint index = position / TOPOUT_HISTORY_BLOCK_SIZE;
  guint offset = position % TOPOUT_HISTORY_BLOCK_SIZE;
  HistoryBlock *block = find_block (self, index, TRUE);

  if (block == NULL)
    block = load_block (self, index);
  if (block == NULL || offset >= block->items->len)
    return NULL;
  return g_ptr_array_index (block->items, offset);
}

static gpointer
topout_history_model_get_item (GListModel *model,
                               guint       position)
{
  TopoutHistoryModel *self = TOPOUT_HISTORY_MODEL (model);
  TopoutSession *item;

  if (position >= ensure_n_items (self))
    return NULL;
  item = row_at (self, self->segments != NULL ? told_to_new (self, position) : position);
  if (item == NULL)
    return NULL;
  hand_out (self, item, position);
  return g_object_ref (item);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = topout_history_model_get_item_type;
  iface->get_n_items = topout_history_model_list_get_n_items;
  iface->get_item = topout_history_model_get_item;
}

/* GObject ----------------------------------------------------------------- */

static void
topout_history_model_constructed (GObject *object)
{
  TopoutHistoryModel *self = TOPOUT_HISTORY_MODEL (object);

  G_OBJECT_CLASS (topout_history_model_parent_class)->constructed (object);

  g_return_if_fail (TOPOUT_IS_STORE (self->store));
  self->session_changed_id = g_signal_connect (self->store, "session-changed",
                                               G_CALLBACK (on_session_changed), self);
  self->sessions_reset_id = g_signal_connect (self->store, "sessions-reset",
                                              G_CALLBACK (on_sessions_reset), self);
  self->sessions_sync_changed_id = g_signal_connect (self->store, "sessions-sync-changed",
                                                     G_CALLBACK (on_sessions_sync_changed), self);
}

static void
topout_history_model_dispose (GObject *object)
{
  TopoutHistoryModel *self = TOPOUT_HISTORY_MODEL (object);

  g_clear_handle_id (&self->prefill_id, g_source_remove);
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->session_changed_id, self->store);
      g_clear_signal_handler (&self->sessions_reset_id, self->store);
      g_clear_signal_handler (&self->sessions_sync_changed_id, self->store);
    }
  g_clear_object (&self->store);
  if (self->blocks != NULL)
    g_ptr_array_set_size (self->blocks, 0);
  if (self->handed != NULL)
    forget_handed (self);

  G_OBJECT_CLASS (topout_history_model_parent_class)->dispose (object);
}

static void
topout_history_model_finalize (GObject *object)
{
  TopoutHistoryModel *self = TOPOUT_HISTORY_MODEL (object);

  g_clear_pointer (&self->climber_id, g_free);
  g_clear_pointer (&self->anchors, g_array_unref);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->handed, g_hash_table_unref);

  G_OBJECT_CLASS (topout_history_model_parent_class)->finalize (object);
}

static void
topout_history_model_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TopoutHistoryModel *self = TOPOUT_HISTORY_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CLIMBER_ID:
      g_value_set_string (value, self->climber_id);
      break;
    case PROP_SESSION_TYPE:
      g_value_set_int (value, self->session_type);
      break;
    case PROP_SYNC_STATE:
      g_value_set_int (value, self->sync_state);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, topout_history_model_get_n_items (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_history_model_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TopoutHistoryModel *self = TOPOUT_HISTORY_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CLIMBER_ID:
      topout_history_model_set_climber_id (self, g_value_get_string (value));
      break;
    case PROP_SESSION_TYPE:
      topout_history_model_set_session_type (self, g_value_get_int (value));
      break;
    case PROP_SYNC_STATE:
      topout_history_model_set_sync_state (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_history_model_class_init (TopoutHistoryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = topout_history_model_constructed;
  object_class->dispose = topout_history_model_dispose;
  object_class->finalize = topout_history_model_finalize;
  object_class->get_property = topout_history_model_get_property;
  object_class->set_property = topout_history_model_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TOPOUT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIMBER_ID] =
    g_param_spec_string ("climber-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION_TYPE] =
    g_param_spec_int ("session-type", NULL, NULL, -1, TOPOUT_SESSION_TYPE_WORKOUT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC_STATE] =
    g_param_spec_int ("sync-state", NULL, NULL, -1, TOPOUT_SYNC_STATE_CONFLICT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
topout_history_model_init (TopoutHistoryModel *self)
{
  self->session_type = -1;
  self->sync_state = -1;
  self->anchors = g_array_new (FALSE, FALSE, sizeof (Anchor));
  g_array_set_clear_func (self->anchors, anchor_clear);
  self->blocks = g_ptr_array_new_with_free_func (history_block_free);
  self->handed = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->synced_changes = NO_CHANGES;
  self->last_signal_changes = NO_CHANGES;
  self->anchors_changes = NO_CHANGES;
}

/* Public ------------------------------------------------------------------ */

TopoutHistoryModel *
topout_history_model_new (TopoutStore *store)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (store), NULL);

  return g_object_new (TOPOUT_TYPE_HISTORY_MODEL, "store", store, NULL);
}

TopoutStore *
topout_history_model_get_store (TopoutHistoryModel *self)
{
  g_return_val_if_fail (TOPOUT_IS_HISTORY_MODEL (self), NULL);

  return self->store;
}

const char *
topout_history_model_get_climber_id (TopoutHistoryModel *self)
{
  g_return_val_if_fail (TOPOUT_IS_HISTORY_MODEL (self), NULL);

  return self->climber_id;
}

void
topout_history_model_set_climber_id (TopoutHistoryModel *self,
                                     const char         *climber_id)
{
  g_return_if_fail (TOPOUT_IS_HISTORY_MODEL (self));

  topout_history_model_set_filter (self, climber_id, self->session_type, self->sync_state);
}

int
topout_history_model_get_session_type (TopoutHistoryModel *self)
{
  g_return_val_if_fail (TOPOUT_IS_HISTORY_MODEL (self), -1);

  return self->session_type;
}

void
topout_history_model_set_session_type (TopoutHistoryModel *self,
                                       int                 session_type)
{
  g_return_if_fail (TOPOUT_IS_HISTORY_MODEL (self));

  topout_history_model_set_filter (self, self->climber_id, session_type, self->sync_state);
}

int
topout_history_model_get_sync_state (TopoutHistoryModel *self)
{
  g_return_val_if_fail (TOPOUT_IS_HISTORY_MODEL (self), -1);

  return self->sync_state;
}

void
topout_history_model_set_sync_state (TopoutHistoryModel *self,
                                     int                 sync_state)
{
  g_return_if_fail (TOPOUT_IS_HISTORY_MODEL (self));

  topout_history_model_set_filter (self, self->climber_id, self->session_type, sync_state);
}

void
topout_history_model_set_filter (TopoutHistoryModel *self,
                                 const char         *climber_id,
                                 int                 session_type,
                                 int                 sync_state)
{
  gboolean climber_changed, type_changed, state_changed;

  g_return_if_fail (TOPOUT_IS_HISTORY_MODEL (self));
  g_return_if_fail (session_type >= -1 && session_type <= TOPOUT_SESSION_TYPE_WORKOUT);
  g_return_if_fail (sync_state >= -1 && sync_state <= TOPOUT_SYNC_STATE_CONFLICT);

  if (climber_id != NULL && climber_id[0] == '\0')
    climber_id = NULL;
  climber_changed = g_strcmp0 (climber_id, self->climber_id) != 0;
  type_changed = session_type != self->session_type;
  state_changed = sync_state != self->sync_state;
  if (!climber_changed && !type_changed && !state_changed)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (climber_changed)
    {
      g_free (self->climber_id);
      self->climber_id = g_strdup (climber_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIMBER_ID]);
    }
  if (type_changed)
    {
      self->session_type = session_type;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_TYPE]);
    }
  if (state_changed)
    {
      self->sync_state = sync_state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_STATE]);
    }
  resync (self);
  g_object_thaw_notify (G_OBJECT (self));
  finish_pending (self);
}

guint
topout_history_model_get_n_items (TopoutHistoryModel *self)
{
  g_return_val_if_fail (TOPOUT_IS_HISTORY_MODEL (self), 0);

  return ensure_n_items (self);
}

guint
topout_history_model_get_cache_size (TopoutHistoryModel *self)
{
  guint rows = 0;

  g_return_val_if_fail (TOPOUT_IS_HISTORY_MODEL (self), 0);

  for (guint i = 0; i < self->blocks->len; i++)
    rows += ((HistoryBlock *) g_ptr_array_index (self->blocks, i))->items->len;
  return rows;
}

guint
topout_history_model_get_n_anchors (TopoutHistoryModel *self)
{
  g_return_val_if_fail (TOPOUT_IS_HISTORY_MODEL (self), 0);

  return self->anchors->len;
}
