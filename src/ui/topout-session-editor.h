/* topout-session-editor.h — the coach's editor of one session (any field,
 * any time; routes added, edited, removed; reopen), and "New past session". */
#pragma once

#include <adwaita.h>

#include "topout-store.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_SESSION_EDITOR (topout_session_editor_get_type ())
G_DECLARE_FINAL_TYPE (TopoutSessionEditor, topout_session_editor, TOPOUT, SESSION_EDITOR, AdwWindow)

/* Edits @session_id (a modal window over @parent). The window is not shown
 * yet: call gtk_window_present(). GTK owns it; it destroys itself when saved
 * or closed (Escape closes without saving, Ctrl+S saves).
 *
 * Actions: "editor.save", "editor.reopen", "editor.add-route",
 * "editor.remove-completion" (s: completion id; immediate, with an Undo
 * toast) and "editor.undo-remove" (s: the removed completion's id). */
TopoutSessionEditor *topout_session_editor_new_for_session (GtkWindow   *parent,
                                                            TopoutStore *store,
                                                            const char  *session_id);
/* A new retroactive session: climber (optional preset), date (yesterday by
 * default), slot. After "editor.save" creates it, the editor edits it, so
 * its routes can be added. */
TopoutSessionEditor *topout_session_editor_new_past        (GtkWindow   *parent,
                                                            TopoutStore *store,
                                                            const char  *climber_id);
/* The session edited, NULL while a new past session is not created yet. */
const char          *topout_session_editor_get_session_id  (TopoutSessionEditor *self);

/* What was typed in the editor and not saved (the session's fields, a
 * route's attempts or note not yet applied), NULL when nothing was: kept
 * in memory when the kiosk locks and closes the editor, never written
 * (nobody confirmed it). */
GVariant            *topout_session_editor_get_draft       (TopoutSessionEditor *self);
/* Gives back @draft (from topout_session_editor_get_draft() of an editor of
 * the same session) over the session as stored now, and says so, with
 * "editor.discard-draft" to drop it. Nothing is saved until Save. */
void                 topout_session_editor_restore_draft   (TopoutSessionEditor *self,
                                                            GVariant            *draft);

G_END_DECLS
