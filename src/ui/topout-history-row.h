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

/* Properties "session" (TopoutSession, nullable) and "short-names" (kiosk:
 * climber names as first name and initial). */
GtkWidget     *topout_history_row_new             (void);
TopoutSession *topout_history_row_get_session     (TopoutHistoryRow *self);
void           topout_history_row_set_session     (TopoutHistoryRow *self,
                                                   TopoutSession    *session);
gboolean       topout_history_row_get_short_names (TopoutHistoryRow *self);
void           topout_history_row_set_short_names (TopoutHistoryRow *self,
                                                   gboolean          short_names);

G_END_DECLS
