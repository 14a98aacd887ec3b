/* topout-session-panel.h — the active session of one climber at the desk:
 * climber, type, name, time-slot picker, elapsed time, the "Offline session"
 * tag, the completions so far, Log route (TopoutClimbPicker), End and Cancel
 * with undo toasts. */
#pragma once

#include <adwaita.h>

#include "topout-climb-picker.h"
#include "topout-kiosk.h"
#include "topout-store.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_SESSION_PANEL (topout_session_panel_get_type ())
G_DECLARE_FINAL_TYPE (TopoutSessionPanel, topout_session_panel, TOPOUT, SESSION_PANEL, AdwBin)

/* Properties "store", "kiosk" (construct-only) and "climber-id" (the climber
 * shown; NULL shows an empty state). */
GtkWidget  *topout_session_panel_new            (TopoutStore        *store,
                                                 TopoutKiosk        *kiosk);
const char *topout_session_panel_get_climber_id (TopoutSessionPanel *self);
void        topout_session_panel_set_climber_id (TopoutSessionPanel *self,
                                                 const char         *climber_id);
/* The full name of the climber shown (as the store had it when the panel
 * last read it), or NULL when none is. */
const char *topout_session_panel_get_climber_name (TopoutSessionPanel *self);
/* Updates the elapsed time (the desk view calls it from its one timer). */
void        topout_session_panel_update_elapsed (TopoutSessionPanel *self);
/* The "Log route" picker inside the panel (for tests and keyboard focus);
 * built when first needed (a climber shown, or this call). */
TopoutClimbPicker *topout_session_panel_get_climb_picker (TopoutSessionPanel *self);
gboolean    topout_session_panel_undo           (TopoutSessionPanel *self);
/* At a locked kiosk: @name is how the desk's rows name the climber
 * @climber_id ("Bo Ki." beside Bo Kline, where both read "Bo K."), or NULL
 * (the plain short name). The panel's title and its toasts naming that
 * climber say the same. Ignored unless @climber_id is the climber shown;
 * choosing another climber forgets it. */
void        topout_session_panel_set_shown_name (TopoutSessionPanel *self,
                                                 const char         *climber_id,
                                                 const char         *name);

/* Actions: panel.set-session-type (s: type key), panel.set-time-slot (s: slot
 * key), panel.start-session, panel.end-session, panel.cancel-session. The
 * undo toasts use desk-undo.remove-completion ((ss): completion id, id of the
 * session the log started or "") and desk-undo.reopen-session (s), an action
 * group the panel inserts on the AdwToastOverlay above it. */

G_END_DECLS
