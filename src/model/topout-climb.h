/* topout-climb.h — TopoutClimb: one route or problem of the gym's catalog (SPEC section 2).
 *
 * A plain snapshot of one row: the store fills it, the interface reads it.
 * Changing a property changes only this object; save it with the store.
 * Strings are nullable; times are µs since the epoch, UTC, 0 = unset.
 */
#pragma once

#include <glib-object.h>

#include "topout-enums.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_CLIMB (topout_climb_get_type ())
G_DECLARE_FINAL_TYPE (TopoutClimb, topout_climb, TOPOUT, CLIMB, GObject)

TopoutClimb *topout_climb_new  (const char        *id,
                                const char        *name,
                                const char        *grade,
                                TopoutGradeSystem  grade_system);
TopoutClimb *topout_climb_copy (TopoutClimb *self);

const char        *topout_climb_get_id           (TopoutClimb       *self);
void               topout_climb_set_id           (TopoutClimb       *self,
                                                  const char        *id);
const char        *topout_climb_get_name         (TopoutClimb       *self);
void               topout_climb_set_name         (TopoutClimb       *self,
                                                  const char        *name);
const char        *topout_climb_get_grade        (TopoutClimb       *self);
void               topout_climb_set_grade        (TopoutClimb       *self,
                                                  const char        *grade);
TopoutGradeSystem  topout_climb_get_grade_system (TopoutClimb       *self);
void               topout_climb_set_grade_system (TopoutClimb       *self,
                                                  TopoutGradeSystem  grade_system);
const char        *topout_climb_get_color        (TopoutClimb       *self);
void               topout_climb_set_color        (TopoutClimb       *self,
                                                  const char        *color);
const char        *topout_climb_get_wall         (TopoutClimb       *self);
void               topout_climb_set_wall         (TopoutClimb       *self,
                                                  const char        *wall);
const char        *topout_climb_get_set_on       (TopoutClimb       *self);
void               topout_climb_set_set_on       (TopoutClimb       *self,
                                                  const char        *set_on);
gboolean           topout_climb_get_retired      (TopoutClimb       *self);
void               topout_climb_set_retired      (TopoutClimb       *self,
                                                  gboolean           retired);
gint64             topout_climb_get_created_at   (TopoutClimb       *self);
void               topout_climb_set_created_at   (TopoutClimb       *self,
                                                  gint64             created_at);
gint64             topout_climb_get_updated_at   (TopoutClimb       *self);
void               topout_climb_set_updated_at   (TopoutClimb       *self,
                                                  gint64             updated_at);

G_END_DECLS
