/* topout-window.h — the main window. For now a stand-in for the interface
 * (SPEC section 5 arrives with the interface issue): a header bar with the
 * primary menu, a toast overlay, the demo-data notice, and an error page when
 * the database cannot be opened. */
#pragma once

#include <adwaita.h>

#include "topout-store.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_WINDOW (topout_window_get_type ())
G_DECLARE_FINAL_TYPE (TopoutWindow, topout_window, TOPOUT, WINDOW, AdwApplicationWindow)

/* @store may be NULL: then the window waits for an error or a store. */
TopoutWindow *topout_window_new             (AdwApplication *application,
                                             TopoutStore    *store);
TopoutStore  *topout_window_get_store       (TopoutWindow   *self);
void          topout_window_set_store       (TopoutWindow   *self,
                                             TopoutStore    *store);
/* Shows @error (whose message names the file) on a status page instead of
 * the content. */
void          topout_window_show_store_error (TopoutWindow  *self,
                                              const GError  *error);
/* A non-blocking message at the bottom of the window. */
void          topout_window_add_toast       (TopoutWindow   *self,
                                             const char     *message);

G_END_DECLS
