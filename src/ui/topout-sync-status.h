/* topout-sync-status.h — the header's sync status: pending count, last
 * successful sync, a spinner while syncing, an error state, and "Sync now"
 * (which activates app.sync-now); with no sync server set up, a quiet
 * "Set Up Sync…" in its place (win.preferences, where the server is set).
 *
 * The pending count is the sync engine's "pending" property (the engine
 * counts once and again after each change of the store; the status counts
 * nothing), or what topout_sync_status_set_pending() set; until either is
 * known the label is empty. The time of the last successful sync is the
 * engine's "last-success" property, its database's own (0 = never, also
 * without an engine). The application drives the spinner and the error state
 * from the engine's state with the setters below. */
#pragma once

#include <adwaita.h>

#include "topout-sync-engine.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_SYNC_STATUS (topout_sync_status_get_type ())
G_DECLARE_FINAL_TYPE (TopoutSyncStatus, topout_sync_status, TOPOUT, SYNC_STATUS, AdwBin)

GtkWidget  *topout_sync_status_new          (void);
/* Shows @engine's pending count from now on (NULL: stop following it). */
void        topout_sync_status_set_engine   (TopoutSyncStatus *self,
                                             TopoutSyncEngine *engine);
TopoutSyncEngine *
            topout_sync_status_get_engine   (TopoutSyncStatus *self);
/* The count to show, without an engine ("3 waiting to sync"). */
void        topout_sync_status_set_pending  (TopoutSyncStatus *self,
                                             guint             pending);
/* A spinner instead of the icon, and "Syncing…", while TRUE. */
void        topout_sync_status_set_syncing  (TopoutSyncStatus *self,
                                             gboolean          syncing);
gboolean    topout_sync_status_get_syncing  (TopoutSyncStatus *self);
/* The last sync failed with @message (a sentence for people), or NULL when
 * it did not. Shown as a warning icon, "Sync failed" and the message in the
 * tooltip, until the next successful sync clears it. */
void        topout_sync_status_set_error    (TopoutSyncStatus *self,
                                             const char       *message);
/* No sync server is set up (a climber at home): "Kept on this device"
 * rather than a count of sessions waiting for a server there is not, and
 * a flat "Set Up Sync…" (Preferences) rather than a "Sync Now" that could
 * only say so. */
void        topout_sync_status_set_local_only (TopoutSyncStatus *self,
                                               gboolean          local_only);
/* The window's database holds demo data, never synced to any server (SPEC
 * rule 11): "Demo data", and no button to sync or to set up sync. Known
 * from the store before the engine is made (the first frame); the engine's
 * store says it again. */
void        topout_sync_status_set_demo     (TopoutSyncStatus *self,
                                             gboolean          demo);
/* "Sync now" was tapped while the server asks to wait (the engine's
 * "wait-until"): says at the button shown, until when and that nothing is
 * lost, in a popover that goes with a tap elsewhere, Escape, or the wait's
 * end. Nothing while there is no wait. */
void        topout_sync_status_tell_wait    (TopoutSyncStatus *self);
/* What that popover says while it is shown, else NULL (for tests). */
const char *topout_sync_status_get_notice   (TopoutSyncStatus *self);
/* What the label says now ("3 waiting to sync", "All synced", …) and the
 * count it shows (for tests). */
const char *topout_sync_status_get_text     (TopoutSyncStatus *self);
guint       topout_sync_status_get_pending  (TopoutSyncStatus *self);

G_END_DECLS
