/* topout-preferences-window.h — Preferences: sync server and device token,
 * sessions per day, idle hours, closing time, gym time zone, kiosk mode and
 * staff PIN, style (follow system / light / dark). */
#pragma once

#include <adwaita.h>

#include "topout-kiosk.h"
#include "topout-sync-engine.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_PREFERENCES_WINDOW (topout_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TopoutPreferencesWindow, topout_preferences_window, TOPOUT, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

TopoutPreferencesWindow *topout_preferences_window_new (GtkWindow   *parent,
                                                        GSettings   *settings,
                                                        TopoutKiosk *kiosk);
void                     topout_preferences_window_show_sync (TopoutPreferencesWindow *self);
void                     topout_preferences_window_set_sync_engine (TopoutPreferencesWindow *self,
                                                                    TopoutSyncEngine        *engine);

G_END_DECLS
