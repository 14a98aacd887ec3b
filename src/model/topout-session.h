/* topout-session.h — TopoutSession: one climbing session of one climber (SPEC sections 2 and 4).
 *
 * A plain snapshot of one row: the store fills it, the interface reads it.
 * Changing a property changes only this object; save it with the store.
 * Strings are nullable; times are µs since the epoch, UTC, 0 = unset.
 */
#pragma once

#include <glib-object.h>

#include "topout-enums.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_SESSION (topout_session_get_type ())
G_DECLARE_FINAL_TYPE (TopoutSession, topout_session, TOPOUT, SESSION, GObject)

TopoutSession *topout_session_new  (void);
TopoutSession *topout_session_copy (TopoutSession *self);
void           topout_session_update_from (TopoutSession *self,
                                           TopoutSession *other);

const char          *topout_session_get_id               (TopoutSession       *self);
void                 topout_session_set_id               (TopoutSession       *self,
                                                          const char          *id);
const char          *topout_session_get_server_id        (TopoutSession       *self);
void                 topout_session_set_server_id        (TopoutSession       *self,
                                                          const char          *server_id);
const char          *topout_session_get_climber_id       (TopoutSession       *self);
void                 topout_session_set_climber_id       (TopoutSession       *self,
                                                          const char          *climber_id);
const char          *topout_session_get_climber_name     (TopoutSession       *self);
void                 topout_session_set_climber_name     (TopoutSession       *self,
                                                          const char          *climber_name);
TopoutSessionType    topout_session_get_session_type     (TopoutSession       *self);
void                 topout_session_set_session_type     (TopoutSession       *self,
                                                          TopoutSessionType    session_type);
const char          *topout_session_get_custom_label     (TopoutSession       *self);
void                 topout_session_set_custom_label     (TopoutSession       *self,
                                                          const char          *custom_label);
const char          *topout_session_get_name             (TopoutSession       *self);
void                 topout_session_set_name             (TopoutSession       *self,
                                                          const char          *name);
TopoutSessionStatus  topout_session_get_status           (TopoutSession       *self);
void                 topout_session_set_status           (TopoutSession       *self,
                                                          TopoutSessionStatus  status);
gint64               topout_session_get_started_at       (TopoutSession       *self);
void                 topout_session_set_started_at       (TopoutSession       *self,
                                                          gint64               started_at);
gint64               topout_session_get_ended_at         (TopoutSession       *self);
void                 topout_session_set_ended_at         (TopoutSession       *self,
                                                          gint64               ended_at);
const char          *topout_session_get_session_date     (TopoutSession       *self);
void                 topout_session_set_session_date     (TopoutSession       *self,
                                                          const char          *session_date);
TopoutTimeSlot       topout_session_get_time_slot        (TopoutSession       *self);
void                 topout_session_set_time_slot        (TopoutSession       *self,
                                                          TopoutTimeSlot       time_slot);
gboolean             topout_session_get_is_retroactive   (TopoutSession       *self);
void                 topout_session_set_is_retroactive   (TopoutSession       *self,
                                                          gboolean             is_retroactive);
int                  topout_session_get_at_gym           (TopoutSession       *self);
void                 topout_session_set_at_gym           (TopoutSession       *self,
                                                          int                  at_gym);
gboolean             topout_session_get_is_competition   (TopoutSession       *self);
void                 topout_session_set_is_competition   (TopoutSession       *self,
                                                          gboolean             is_competition);
const char          *topout_session_get_competition_type (TopoutSession       *self);
void                 topout_session_set_competition_type (TopoutSession       *self,
                                                          const char          *competition_type);
const char          *topout_session_get_competition_id   (TopoutSession       *self);
void                 topout_session_set_competition_id   (TopoutSession       *self,
                                                          const char          *competition_id);
const char          *topout_session_get_notes            (TopoutSession       *self);
void                 topout_session_set_notes            (TopoutSession       *self,
                                                          const char          *notes);
gint64               topout_session_get_created_at       (TopoutSession       *self);
void                 topout_session_set_created_at       (TopoutSession       *self,
                                                          gint64               created_at);
gint64               topout_session_get_updated_at       (TopoutSession       *self);
void                 topout_session_set_updated_at       (TopoutSession       *self,
                                                          gint64               updated_at);
gint64               topout_session_get_revision         (TopoutSession       *self);
void                 topout_session_set_revision         (TopoutSession       *self,
                                                          gint64               revision);
gboolean             topout_session_get_is_demo          (TopoutSession       *self);
void                 topout_session_set_is_demo          (TopoutSession       *self,
                                                          gboolean             is_demo);
TopoutSyncState      topout_session_get_sync_state       (TopoutSession       *self);
void                 topout_session_set_sync_state       (TopoutSession       *self,
                                                          TopoutSyncState      sync_state);
guint                topout_session_get_sync_attempts    (TopoutSession       *self);
void                 topout_session_set_sync_attempts    (TopoutSession       *self,
                                                          guint                sync_attempts);
gint64               topout_session_get_next_attempt_at  (TopoutSession       *self);
void                 topout_session_set_next_attempt_at  (TopoutSession       *self,
                                                          gint64               next_attempt_at);
const char          *topout_session_get_last_error       (TopoutSession       *self);
void                 topout_session_set_last_error       (TopoutSession       *self,
                                                          const char          *last_error);
const char          *topout_session_get_last_error_code  (TopoutSession       *self);
void                 topout_session_set_last_error_code  (TopoutSession       *self,
                                                          const char          *last_error_code);
gint64               topout_session_get_server_revision  (TopoutSession       *self);
void                 topout_session_set_server_revision  (TopoutSession       *self,
                                                          gint64               server_revision);
guint                topout_session_get_n_routes         (TopoutSession       *self);
void                 topout_session_set_n_routes         (TopoutSession       *self,
                                                          guint                n_routes);
guint                topout_session_get_n_sends          (TopoutSession       *self);
void                 topout_session_set_n_sends          (TopoutSession       *self,
                                                          guint                n_sends);
gint64               topout_session_get_last_logged_at   (TopoutSession       *self);
void                 topout_session_set_last_logged_at   (TopoutSession       *self,
                                                          gint64               last_logged_at);

/* The custom label of a CUSTOM session when it is not empty, else the
 * translated label of the session type. */
const char *topout_session_get_type_label  (TopoutSession *self);
/* Whether the server has ever stored this session (server-id is set). */
gboolean    topout_session_is_synced_ever (TopoutSession *self);
/* The completions loaded with the session for sync (of TopoutCompletion*),
 * or NULL when none were loaded. Not a property: no notification. */
GPtrArray  *topout_session_get_completions (TopoutSession *self);
void        topout_session_set_completions (TopoutSession *self,
                                            GPtrArray     *completions);  /* transfer full, nullable */

G_END_DECLS
