/* topout-climber.h — TopoutClimber: a person who climbs at the gym (SPEC section 2).
 *
 * A plain snapshot of one row: the store fills it, the interface reads it.
 * Changing a property changes only this object; save it with the store.
 * Strings are nullable; times are µs since the epoch, UTC, 0 = unset.
 */
#pragma once

#include <glib-object.h>

#include "topout-enums.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_CLIMBER (topout_climber_get_type ())
G_DECLARE_FINAL_TYPE (TopoutClimber, topout_climber, TOPOUT, CLIMBER, GObject)

TopoutClimber *topout_climber_new  (void);
TopoutClimber *topout_climber_copy (TopoutClimber *self);

const char *topout_climber_get_id           (TopoutClimber *self);
void        topout_climber_set_id           (TopoutClimber *self,
                                             const char    *id);
const char *topout_climber_get_member_code  (TopoutClimber *self);
void        topout_climber_set_member_code  (TopoutClimber *self,
                                             const char    *member_code);
const char *topout_climber_get_display_name (TopoutClimber *self);
void        topout_climber_set_display_name (TopoutClimber *self,
                                             const char    *display_name);
gint64      topout_climber_get_created_at   (TopoutClimber *self);
void        topout_climber_set_created_at   (TopoutClimber *self,
                                             gint64         created_at);
gint64      topout_climber_get_updated_at   (TopoutClimber *self);
void        topout_climber_set_updated_at   (TopoutClimber *self,
                                             gint64         updated_at);
gboolean    topout_climber_get_archived     (TopoutClimber *self);
void        topout_climber_set_archived     (TopoutClimber *self,
                                             gboolean       archived);
const char *topout_climber_get_merged_into  (TopoutClimber *self);
void        topout_climber_set_merged_into  (TopoutClimber *self,
                                             const char    *merged_into);

G_END_DECLS
