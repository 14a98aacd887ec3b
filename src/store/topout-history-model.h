/* topout-history-model.h — the History list: every session, newest first, paged
 * from SQLite by key (SPEC section 7).
 *
 * A GListModel of TopoutSession, ordered by (session_date DESC, started_at DESC,
 * id DESC), optionally filtered by climber, session type and sync state — the
 * filtering and ordering happen in SQL, so put no GtkFilterListModel or
 * GtkSortListModel over it (they would touch every row).
 *
 * Memory does not grow with the history: the model keeps the key of about
 * every TOPOUT_HISTORY_ANCHOR_SPACING-th row (found lazily, a few hundred keys
 * for 100,000 sessions) and at most TOPOUT_HISTORY_CACHE_BLOCKS blocks of rows.
 * It follows the store's ::session-changed and ::sessions-reset and emits one
 * ::items-changed per change.
 */
#pragma once

#include <gio/gio.h>

#include "topout-store.h"

G_BEGIN_DECLS

/* About one anchor key every this many rows: a read steps through about as
 * many keys at most (rows added since an anchor was found widen its gap). */
#define TOPOUT_HISTORY_ANCHOR_SPACING 256
/* Rows read from SQLite at a time. 256 rows cost about 1 ms on this machine
 * (one table lookup per row), over the page-fetch budget of 1 ms; 64 cost
 * about 0.3 ms and still fill a window in one or two reads. */
#define TOPOUT_HISTORY_BLOCK_SIZE 64
/* Blocks kept in the least-recently-used cache: 32 × 64 = 2,048 rows, about
 * 2 MB. A window shows fewer than 100 rows; the rest keeps a fling or a jump
 * back and forth from reading the same rows twice. */
#define TOPOUT_HISTORY_CACHE_BLOCKS 32
#define TOPOUT_HISTORY_CACHE_ROWS (TOPOUT_HISTORY_BLOCK_SIZE * TOPOUT_HISTORY_CACHE_BLOCKS)

#define TOPOUT_TYPE_HISTORY_MODEL (topout_history_model_get_type ())
G_DECLARE_FINAL_TYPE (TopoutHistoryModel, topout_history_model, TOPOUT, HISTORY_MODEL, GObject)

TopoutHistoryModel *topout_history_model_new              (TopoutStore        *store);
TopoutStore        *topout_history_model_get_store        (TopoutHistoryModel *self);

/* Filters; changing one resets the model (one ::items-changed (0, old, new)).
 * climber-id: NULL (or "") for every climber. session-type: -1 for every type,
 * else a TopoutSessionType. sync-state: -1 for every state, else a
 * TopoutSyncState. */
const char         *topout_history_model_get_climber_id   (TopoutHistoryModel *self);
void                topout_history_model_set_climber_id   (TopoutHistoryModel *self,
                                                           const char         *climber_id);
int                 topout_history_model_get_session_type (TopoutHistoryModel *self);
void                topout_history_model_set_session_type (TopoutHistoryModel *self,
                                                           int                 session_type);
int                 topout_history_model_get_sync_state   (TopoutHistoryModel *self);
void                topout_history_model_set_sync_state   (TopoutHistoryModel *self,
                                                           int                 sync_state);
/* All three at once, with a single reset. */
void                topout_history_model_set_filter       (TopoutHistoryModel *self,
                                                           const char         *climber_id,
                                                           int                 session_type,
                                                           int                 sync_state);

/* The "n-items" property (the same as g_list_model_get_n_items()). */
guint               topout_history_model_get_n_items      (TopoutHistoryModel *self);

/* For tests and benchmarks: rows held in the cache now (never more than
 * TOPOUT_HISTORY_CACHE_ROWS), and anchor keys known. */
guint               topout_history_model_get_cache_size   (TopoutHistoryModel *self);
guint               topout_history_model_get_n_anchors    (TopoutHistoryModel *self);

G_END_DECLS
