/* topout-desk-view.h — The front desk: find or add a climber, start a session, "On the wall now", and the active-session panel of the selected climber. */
#pragma once

#include <adwaita.h>

#include "topout-kiosk.h"
#include "topout-session-panel.h"
#include "topout-store.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_DESK_VIEW (topout_desk_view_get_type ())
G_DECLARE_FINAL_TYPE (TopoutDeskView, topout_desk_view, TOPOUT, DESK_VIEW, AdwBin)

/* Properties "store" and "kiosk" (construct-only). */
GtkWidget *topout_desk_view_new (TopoutStore *store,
                                 TopoutKiosk *kiosk);
/* The active-session panel on the right (for tests). */
TopoutSessionPanel *topout_desk_view_get_session_panel (TopoutDeskView *self);

/* Actions: desk.select-climber (s: climber id), desk.add-climber (adds the
 * search text: "Name" or "Name, member code"), desk.back (narrow layout: back
 * to the list), desk.focus-search (Ctrl+F), desk.focus-start (the window's
 * start: the search focused, the only climber's panel left shown). */

G_END_DECLS
