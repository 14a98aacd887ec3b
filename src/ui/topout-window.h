/* topout-window.h — the main window (SPEC section 5, DEVELOPERS.md "The
 * interface"): a header bar with the sync status, the view switcher and the
 * primary menu; the demo-data notice; a toast overlay around the view stack
 * (Front desk, History, Climbers, Catalog, Scorecard); a view switcher bar
 * when narrow; an error page when the database cannot be opened.
 *
 * Window actions: win.show-view (s: "desk", "history", "climbers",
 * "catalog", "scores"), win.preferences, win.lock, win.unlock. In kiosk mode
 * the window is fullscreen, refuses to close, and History, Climbers, Catalog
 * and Preferences ask for the staff PIN. */
#pragma once

#include <adwaita.h>

#include "topout-kiosk.h"
#include "topout-store.h"
#include "topout-sync-status.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_WINDOW (topout_window_get_type ())
G_DECLARE_FINAL_TYPE (TopoutWindow, topout_window, TOPOUT, WINDOW, AdwApplicationWindow)

/* @store may be NULL: then the window waits for an error or a store.
 * @kiosk may be NULL (never a kiosk). */
TopoutWindow     *topout_window_new              (AdwApplication *application,
                                                  TopoutStore    *store,
                                                  TopoutKiosk    *kiosk);
TopoutStore      *topout_window_get_store        (TopoutWindow   *self);
void              topout_window_set_store        (TopoutWindow   *self,
                                                  TopoutStore    *store);
TopoutKiosk      *topout_window_get_kiosk        (TopoutWindow   *self);
TopoutSyncStatus *topout_window_get_sync_status  (TopoutWindow   *self);
/* The name of the page on screen ("desk", …), or NULL without a store. */
const char       *topout_window_get_visible_view (TopoutWindow   *self);
/* Shows @error (whose message names the file) on a status page instead of
 * the content. */
void              topout_window_show_store_error (TopoutWindow  *self,
                                                  const GError  *error);
/* A non-blocking message at the bottom of the window (plain text). */
void              topout_window_add_toast        (TopoutWindow   *self,
                                                  const char     *message);
/* @toast shown at the bottom of the window (takes it). */
void              topout_window_show_toast       (TopoutWindow   *self,
                                                  AdwToast       *toast);

G_END_DECLS
