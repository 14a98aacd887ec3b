/* topout-sync-status.h — the header's sync status: pending count, last
 * successful sync, a spinner while syncing, an error state, and "Sync now"
 * (which activates app.sync-now).
 *
 * The pending count comes from the store (topout_store_count_pending),
 * refreshed on ::session-changed and ::sessions-reset. The time of the last
 * successful sync is the GSettings key "last-sync-time" (µs since the epoch,
 * 0 = never), written by the sync engine. The engine also drives the spinner
 * and the error state with the setters below. */
#pragma once

#include <adwaita.h>

#include "topout-store.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_SYNC_STATUS (topout_sync_status_get_type ())
G_DECLARE_FINAL_TYPE (TopoutSyncStatus, topout_sync_status, TOPOUT, SYNC_STATUS, AdwBin)

GtkWidget  *topout_sync_status_new          (TopoutStore      *store);
void        topout_sync_status_set_store    (TopoutSyncStatus *self,
                                             TopoutStore      *store);
/* A spinner instead of the icon, and "Syncing…", while TRUE. */
void        topout_sync_status_set_syncing  (TopoutSyncStatus *self,
                                             gboolean          syncing);
gboolean    topout_sync_status_get_syncing  (TopoutSyncStatus *self);
/* The last sync failed with @message (a sentence for people), or NULL when
 * it did not. Shown as a warning icon, "Sync failed" and the message in the
 * tooltip, until the next successful sync clears it. */
void        topout_sync_status_set_error    (TopoutSyncStatus *self,
                                             const char       *message);
/* What the label says now ("3 waiting to sync", "All synced", …) and the
 * count it shows (for tests). */
const char *topout_sync_status_get_text     (TopoutSyncStatus *self);
guint       topout_sync_status_get_pending  (TopoutSyncStatus *self);
/* Reads the count again now (normally done in an idle after a change). */
void        topout_sync_status_refresh      (TopoutSyncStatus *self);

G_END_DECLS
