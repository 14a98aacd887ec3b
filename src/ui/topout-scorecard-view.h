/* topout-scorecard-view.h — Competition scorecard: the ranking of one competition, live as completions are logged. */
#pragma once

#include <adwaita.h>

#include "topout-kiosk.h"
#include "topout-store.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_SCORECARD_VIEW (topout_scorecard_view_get_type ())
G_DECLARE_FINAL_TYPE (TopoutScorecardView, topout_scorecard_view, TOPOUT, SCORECARD_VIEW, AdwBin)

/* Properties "store" and "kiosk" (construct-only). */
GtkWidget *topout_scorecard_view_new (TopoutStore *store,
                                      TopoutKiosk *kiosk);

G_END_DECLS
