/* topout-climb-picker.h — "Log route": find a climb in the catalog by name,
 * grade or colour (the climber's recent climbs first), choose attempts
 * (stepper, default 1), an optional note, and Sent / Not sent.
 *
 * Used by the active-session panel (the front-desk tap) and by the coach's
 * session editor (adding a completion to any session). Logging a send once
 * the climb is on screen is two activations: the climb's row, then "Sent".
 */
#pragma once

#include <adwaita.h>

#include "topout-store.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_CLIMB_PICKER (topout_climb_picker_get_type ())
G_DECLARE_FINAL_TYPE (TopoutClimbPicker, topout_climb_picker, TOPOUT, CLIMB_PICKER, AdwBin)

/* Properties: "store" (construct-only), "climber-id" (nullable; recent climbs
 * of this climber first). Signal "picked" (const char *climb_id,
 * guint attempts, gboolean is_success, const char *notes): the user chose;
 * the owner writes it through the store and then calls
 * topout_climb_picker_reset() (attempts back to 1, note cleared, no climb
 * chosen). The list keeps its order until the next search, climber or
 * showing of the picker, so it does not move between two taps. */
GtkWidget  *topout_climb_picker_new            (TopoutStore       *store);
const char *topout_climb_picker_get_climber_id (TopoutClimbPicker *self);
void        topout_climb_picker_set_climber_id (TopoutClimbPicker *self,
                                                const char        *climber_id);
void        topout_climb_picker_reset          (TopoutClimbPicker *self);
/* Whether "Add Climb…" is offered when no climb is listed (FALSE until
 * set: a locked kiosk leaves the catalog to staff). */
void        topout_climb_picker_set_can_add_climbs (TopoutClimbPicker *self,
                                                    gboolean           can_add_climbs);
/* Reloads the catalog (after the catalog changed). */
void        topout_climb_picker_reload         (TopoutClimbPicker *self);

G_END_DECLS
