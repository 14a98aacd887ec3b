/* topout-history-row.h — one session in History: type, name, date, time slot,
 * climber, routes and sends, and the sync badge (with Retry for a failed or
 * rejected session and "Keep this device's version" for a conflict).
 *
 * Binding is cheap: everything shown is read from the TopoutSession snapshot,
 * no SQL. The row's buttons activate "history.retry" and "history.keep-local"
 * with the session id, so they reach the TopoutHistoryView above the row. */
#pragma once

#include <adwaita.h>

#include "topout-session.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_HISTORY_ROW (topout_history_row_get_type ())
G_DECLARE_FINAL_TYPE (TopoutHistoryRow, topout_history_row, TOPOUT, HISTORY_ROW, AdwBin)

/* Properties "session" (TopoutSession, nullable), "short-names" (kiosk:
 * climber names as first name and initial) and "local-only" (no sync server
 * is set up: a pending session is shown as kept on this device). */
GtkWidget     *topout_history_row_new             (void);
TopoutSession *topout_history_row_get_session     (TopoutHistoryRow *self);
void           topout_history_row_set_session     (TopoutHistoryRow *self,
                                                   TopoutSession    *session);
gboolean       topout_history_row_get_short_names (TopoutHistoryRow *self);
void           topout_history_row_set_short_names (TopoutHistoryRow *self,
                                                   gboolean          short_names);
/* What the sync badge's tooltip says (asked for when the pointer rests on
 * it), or NULL for none. */
const char    *topout_history_row_get_badge_tooltip (TopoutHistoryRow *self);
/* The row is narrow: its sync badge is its icon alone, its text the
 * badge's tooltip and accessible name. */
gboolean       topout_history_row_get_compact (TopoutHistoryRow *self);
gboolean       topout_history_row_get_local_only  (TopoutHistoryRow *self);
void           topout_history_row_set_local_only  (TopoutHistoryRow *self,
                                                   gboolean          local_only);

G_END_DECLS
