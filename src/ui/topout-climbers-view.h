/* topout-climbers-view.h — Climbers: find, edit, merge, archive and restore climbers; import a climber file. */
#pragma once

#include <adwaita.h>

#include "topout-kiosk.h"
#include "topout-store.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_CLIMBERS_VIEW (topout_climbers_view_get_type ())
G_DECLARE_FINAL_TYPE (TopoutClimbersView, topout_climbers_view, TOPOUT, CLIMBERS_VIEW, AdwBin)

/* Properties "store" and "kiosk" (construct-only). */
GtkWidget *topout_climbers_view_new (TopoutStore *store,
                                     TopoutKiosk *kiosk);

G_END_DECLS
