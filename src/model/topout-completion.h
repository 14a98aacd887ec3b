/* topout-completion.h — TopoutCompletion: one logged climb in a session (SPEC section 2, "RouteCompletion").
 *
 * A plain snapshot of one row: the store fills it, the interface reads it.
 * Changing a property changes only this object; save it with the store.
 * Strings are nullable; times are µs since the epoch, UTC, 0 = unset.
 */
#pragma once

#include <glib-object.h>

#include "topout-enums.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_COMPLETION (topout_completion_get_type ())
G_DECLARE_FINAL_TYPE (TopoutCompletion, topout_completion, TOPOUT, COMPLETION, GObject)

TopoutCompletion *topout_completion_new  (void);
TopoutCompletion *topout_completion_copy (TopoutCompletion *self);

const char *topout_completion_get_id               (TopoutCompletion *self);
void        topout_completion_set_id               (TopoutCompletion *self,
                                                    const char       *id);
const char *topout_completion_get_session_id       (TopoutCompletion *self);
void        topout_completion_set_session_id       (TopoutCompletion *self,
                                                    const char       *session_id);
const char *topout_completion_get_climb_id         (TopoutCompletion *self);
void        topout_completion_set_climb_id         (TopoutCompletion *self,
                                                    const char       *climb_id);
const char *topout_completion_get_climb_name       (TopoutCompletion *self);
void        topout_completion_set_climb_name       (TopoutCompletion *self,
                                                    const char       *climb_name);
const char *topout_completion_get_climb_color      (TopoutCompletion *self);
void        topout_completion_set_climb_color      (TopoutCompletion *self,
                                                    const char       *climb_color);
const char *topout_completion_get_grade            (TopoutCompletion *self);
void        topout_completion_set_grade            (TopoutCompletion *self,
                                                    const char       *grade);
gboolean    topout_completion_get_is_success       (TopoutCompletion *self);
void        topout_completion_set_is_success       (TopoutCompletion *self,
                                                    gboolean          is_success);
guint       topout_completion_get_attempts         (TopoutCompletion *self);
void        topout_completion_set_attempts         (TopoutCompletion *self,
                                                    guint             attempts);
const char *topout_completion_get_notes            (TopoutCompletion *self);
void        topout_completion_set_notes            (TopoutCompletion *self,
                                                    const char       *notes);
gint64      topout_completion_get_logged_at        (TopoutCompletion *self);
void        topout_completion_set_logged_at        (TopoutCompletion *self,
                                                    gint64            logged_at);
gboolean    topout_completion_get_is_competition   (TopoutCompletion *self);
void        topout_completion_set_is_competition   (TopoutCompletion *self,
                                                    gboolean          is_competition);
const char *topout_completion_get_competition_type (TopoutCompletion *self);
void        topout_completion_set_competition_type (TopoutCompletion *self,
                                                    const char       *competition_type);
const char *topout_completion_get_competition_id   (TopoutCompletion *self);
void        topout_completion_set_competition_id   (TopoutCompletion *self,
                                                    const char       *competition_id);
gint64      topout_completion_get_updated_at       (TopoutCompletion *self);
void        topout_completion_set_updated_at       (TopoutCompletion *self,
                                                    gint64            updated_at);

G_END_DECLS
