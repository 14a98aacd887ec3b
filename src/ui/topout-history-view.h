/* topout-history-view.h — History: every session newest first on TopoutHistoryModel, filters, sync badges; a row opens the session editor. */
#pragma once

#include <adwaita.h>

#include "topout-kiosk.h"
#include "topout-store.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_HISTORY_VIEW (topout_history_view_get_type ())
G_DECLARE_FINAL_TYPE (TopoutHistoryView, topout_history_view, TOPOUT, HISTORY_VIEW, AdwBin)

/* Properties "store" and "kiosk" (construct-only). */
GtkWidget *topout_history_view_new (TopoutStore *store,
                                    TopoutKiosk *kiosk);

G_END_DECLS
