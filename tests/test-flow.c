/* test-flow.c — the whole front-desk-to-coach flow through the real window
 * (TopoutWindow with every view), driven through the same actions its
 * buttons use: start a session, change its slot, log three routes (one not
 * sent), undo one from its toast, end it, find it in History with a
 * "Pending sync" badge, edit it as a coach, and see a 4th session of the day
 * refused with the store's message on screen. */
#include "config.h"

#include <adwaita.h>
#include <signal.h>

#include "topout-desk-view.h"
#include "topout-history-row.h"
#include "topout-history-view.h"
#include "topout-session-editor.h"
#include "topout-session-panel.h"
#include "topout-sync-engine.h"
#include "topout-test-util.h"
#include "topout-window.h"

static void
spin (guint rounds)
{
  for (guint i = 0; i < rounds; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);
      if (found)
        return found;
    }
  return NULL;
}

/* A mapped button whose action name starts with @prefix. */
static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *prefix)
{
  if (GTK_IS_ACTIONABLE (root) && gtk_widget_get_mapped (root))
    {
      const char *name = gtk_actionable_get_action_name (GTK_ACTIONABLE (root));
      if (name != NULL && g_str_has_prefix (name, prefix))
        return root;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_action_button (c, prefix);
      if (found)
        return found;
    }
  return NULL;
}

static TopoutHistoryRow *
find_history_row (GtkWidget  *root,
                  const char *session_id)
{
  if (TOPOUT_IS_HISTORY_ROW (root))
    {
      TopoutSession *s = topout_history_row_get_session (TOPOUT_HISTORY_ROW (root));
      if (s != NULL && g_strcmp0 (topout_session_get_id (s), session_id) == 0)
        return TOPOUT_HISTORY_ROW (root);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      TopoutHistoryRow *found = find_history_row (c, session_id);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
label_in (GtkWidget  *root,
          const char *text)
{
  const char *shown = NULL;

  if (GTK_IS_LABEL (root))
    shown = gtk_label_get_label (GTK_LABEL (root));
  else if (GTK_IS_INSCRIPTION (root))
    shown = gtk_inscription_get_text (GTK_INSCRIPTION (root));
  if (shown != NULL && gtk_widget_get_mapped (root) && strstr (shown, text) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    if (label_in (c, text))
      return TRUE;
  return FALSE;
}

static TopoutSessionEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) w = g_list_model_get_item (toplevels, i);
      if (TOPOUT_IS_SESSION_EDITOR (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return TOPOUT_SESSION_EDITOR (w);
    }
  return NULL;
}

static void
activate (GtkWidget  *widget,
          const char *action,
          const char *string_target)
{
  g_assert_true (gtk_widget_activate_action (widget, action, string_target ? "s" : NULL, string_target));
  spin (3);
}

static void
test_front_desk_to_coach (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:05:00Z", &path);
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (store, "Ada Lovelace", "M-0001");
  g_autoptr (TopoutClimber) bo = topout_test_add_climber (store, "Bo Kim", "M-0002");
  g_autoptr (TopoutClimb) c1 = topout_test_add_climb (store, "c-1", "Crimp Cathedral", "V4");
  g_autoptr (TopoutClimb) c2 = topout_test_add_climb (store, "c-2", "Slab Happy", "V2");
  g_autoptr (TopoutClimb) c3 = topout_test_add_climb (store, "c-3", "Roof Monster", "V7");
  g_autoptr (TopoutSession) active = NULL;
  g_autoptr (TopoutSession) ended = NULL;
  g_autoptr (TopoutSession) edited = NULL;
  g_autoptr (GPtrArray) completions = NULL;
  g_autoptr (GError) error = NULL;
  TopoutWindow *window;
  GtkWidget *desk, *panel, *picker, *history, *undo;
  TopoutHistoryRow *row;
  TopoutSessionEditor *editor;
  g_autofree char *session_id = NULL;
  gint64 revision;

  g_autoptr (AdwApplication) app = adw_application_new ("io.github.topout.Topout.FlowTest", G_APPLICATION_NON_UNIQUE);

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  /* A gym's desk: a sync server is set up (without one, History says
   * "On this device only": /history-view/no-server-kept-on-device). */
  {
    g_autoptr (GSettings) settings = g_settings_new (BASE_APPLICATION_ID);

    g_settings_set_string (settings, "server-url", "https://topout.example.org");
  }
  window = topout_window_new (app, store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  spin (5);
  g_assert_cmpstr (topout_window_get_visible_view (window), ==, "desk");

  desk = topout_test_find_by_type (GTK_WIDGET (window), TOPOUT_TYPE_DESK_VIEW);
  g_assert_nonnull (desk);
  panel = GTK_WIDGET (topout_desk_view_get_session_panel (TOPOUT_DESK_VIEW (desk)));
  picker = GTK_WIDGET (topout_session_panel_get_climb_picker (TOPOUT_SESSION_PANEL (panel)));

  /* Start a session for a climber in the list. */
  activate (desk, "desk.select-climber", topout_climber_get_id (ada));
  activate (panel, "panel.start-session", NULL);
  active = topout_store_get_active_session (store, topout_climber_get_id (ada));
  g_assert_nonnull (active);
  g_assert_cmpint (topout_session_get_time_slot (active), ==, TOPOUT_TIME_SLOT_EVENING);
  session_id = g_strdup (topout_session_get_id (active));

  /* Change its slot. */
  activate (panel, "panel.set-time-slot", "AFTERNOON");

  /* Three routes, one not sent. */
  activate (picker, "picker.select-climb", "c-1");
  activate (picker, "picker.log-sent", NULL);
  activate (picker, "picker.select-climb", "c-2");
  activate (picker, "picker.log-not-sent", NULL);
  activate (picker, "picker.select-climb", "c-3");
  activate (picker, "picker.log-sent", NULL);
  completions = topout_store_list_completions (store, session_id);
  g_assert_cmpuint (completions->len, ==, 3);
  g_clear_pointer (&completions, g_ptr_array_unref);

  /* Undo the last one from the toast on screen: exactly Roof Monster goes. */
  undo = find_action_button (GTK_WIDGET (window), "desk-undo.remove-completion");
  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");  /* what a tap does */
  spin (5);
  completions = topout_store_list_completions (store, session_id);
  g_assert_cmpuint (completions->len, ==, 2);
  g_assert_cmpstr (topout_completion_get_climb_id (g_ptr_array_index (completions, 0)), ==, "c-1");
  g_assert_cmpstr (topout_completion_get_climb_id (g_ptr_array_index (completions, 1)), ==, "c-2");
  g_assert_false (topout_completion_get_is_success (g_ptr_array_index (completions, 1)));

  /* End it. */
  activate (panel, "panel.end-session", NULL);
  ended = topout_store_get_session (store, session_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_session_get_status (ended), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_time_slot (ended), ==, TOPOUT_TIME_SLOT_AFTERNOON);
  g_assert_cmpint (topout_session_get_sync_state (ended), ==, TOPOUT_SYNC_STATE_PENDING);
  revision = topout_session_get_revision (ended);

  /* Find it in History with its badge. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "history"));
  spin (10);
  g_assert_cmpstr (topout_window_get_visible_view (window), ==, "history");
  history = topout_test_find_by_type (GTK_WIDGET (window), TOPOUT_TYPE_HISTORY_VIEW);
  row = find_history_row (history, session_id);
  g_assert_nonnull (row);
  g_assert_true (label_in (GTK_WIDGET (row), "Pending sync"));
  g_assert_true (label_in (GTK_WIDGET (row), "2 routes · 1 send"));

  /* Edit it as a coach: notes, saved; the revision goes up, due again. */
  activate (history, "history.open-session", session_id);
  editor = find_editor ();
  g_assert_nonnull (editor);
  {
    GtkWidget *notes = topout_test_find_by_type (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW);
    g_assert_nonnull (notes);
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), "Strong on crimps", -1);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  spin (5);
  edited = topout_store_get_session (store, session_id, &error);
  g_assert_cmpstr (topout_session_get_notes (edited), ==, "Strong on crimps");
  g_assert_cmpint (topout_session_get_revision (edited), ==, revision + 1);
  g_assert_cmpint (topout_session_get_sync_state (edited), ==, TOPOUT_SYNC_STATE_PENDING);
  g_assert_null (find_editor ());

  /* A 4th session of the day is refused, with the store's message shown. */
  for (int i = 0; i < 3; i++)
    {
      g_autoptr (TopoutSession) s = topout_test_start (store, topout_climber_get_id (bo), TOPOUT_SESSION_TYPE_FUN);
      g_assert_true (topout_store_end_session (store, topout_session_get_id (s), NULL));
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "desk"));
  spin (5);
  activate (desk, "desk.select-climber", topout_climber_get_id (bo));
  activate (panel, "panel.start-session", NULL);
  g_assert_null (topout_store_get_active_session (store, topout_climber_get_id (bo)));
  g_assert_true (gtk_widget_get_mapped (find_named (panel, "start-error")));
  g_assert_true (label_in (panel, "the most allowed per day"));

  gtk_window_destroy (GTK_WINDOW (window));
  spin (3);
}

/* The editor's notes, as typed. */
static void
type_notes (TopoutSessionEditor *editor,
            const char          *text)
{
  GtkWidget *notes = topout_test_find_by_type (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW);

  g_assert_nonnull (notes);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), text, -1);
}

/* @response pressed in @prompt: its answer, and the prompt goes. */
static void
answer (AdwMessageDialog *prompt,
        const char       *response)
{
  adw_message_dialog_response (prompt, response);
  gtk_window_destroy (GTK_WINDOW (prompt));
  spin (5);
}

static TopoutSessionEditor *
open_session_editor (TopoutStore *store,
                     const char  *session_id)
{
  TopoutSessionEditor *editor = topout_session_editor_new_for_session (NULL, store, session_id);

  gtk_window_present (GTK_WINDOW (editor));
  spin (5);
  return editor;
}

/* Closing the session editor (Escape, Cancel) with something typed asks
 * first: Keep Editing keeps it all, Save saves it, Discard drops it; with
 * nothing typed it closes at once. A stray Escape lost a coach's notes. */
static void
test_editor_asks_before_losing_edits (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:05:00Z", &path);
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (store, "Ada Lovelace", "M-0001");
  g_autoptr (TopoutSession) s = topout_test_start (store, topout_climber_get_id (ada), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) after = NULL;
  const char *id = topout_session_get_id (s);
  TopoutSessionEditor *editor;
  AdwMessageDialog *prompt;
  GtkWidget *name;

  g_assert_true (topout_store_end_session (store, id, NULL));

  /* Nothing typed: closes at once, nothing asked. */
  editor = open_session_editor (store, id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL));
  spin (5);
  g_assert_null (topout_test_find_prompt ());
  g_assert_null (find_editor ());

  /* Notes typed, Escape: asked; Keep Editing keeps the notes there. */
  editor = open_session_editor (store, id);
  type_notes (editor, "Strong on crimps");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL));
  spin (5);
  g_assert_true (find_editor () == editor);
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (prompt)), ==, "editor-unsaved");
  answer (prompt, "cancel");
  g_assert_true (find_editor () == editor);
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (topout_test_find_by_type (GTK_WIDGET (editor),
                                                                                                GTK_TYPE_TEXT_VIEW)));
    GtkTextIter a, b;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (buffer, &a, &b);
    text = gtk_text_buffer_get_text (buffer, &a, &b, FALSE);
    g_assert_cmpstr (text, ==, "Strong on crimps");
  }

  /* Closed again: Save saves them, and the editor goes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL));
  spin (5);
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  answer (prompt, "save");
  g_assert_null (find_editor ());
  after = topout_store_get_session (store, id, NULL);
  g_assert_cmpstr (topout_session_get_notes (after), ==, "Strong on crimps");
  g_clear_object (&after);

  /* A name typed, then Discard: closed, nothing saved. */
  editor = open_session_editor (store, id);
  name = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor), TOPOUT_TYPE_SESSION_EDITOR, "name_row"));
  g_assert_nonnull (name);
  gtk_editable_set_text (GTK_EDITABLE (name), "Crimp night");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL));
  spin (5);
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  answer (prompt, "discard");
  g_assert_null (find_editor ());
  after = topout_store_get_session (store, id, NULL);
  g_assert_cmpstr (topout_session_get_notes (after), ==, "Strong on crimps");
  g_assert_true (topout_session_name_is_automatic (after));
}

/* The front desk logs into the session a coach has open (and moves its
 * slot) while the coach types notes: Save is not refused as "changed
 * elsewhere" (the notes were lost, to be typed again); the notes are saved,
 * the desk's slot and route stay, and the editor showed the route. Then
 * the desk changes a field the coach has typed into too: what the coach
 * typed wins, saved. */
static void
test_editor_keeps_edit_when_changed_elsewhere (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:05:00Z", &path);
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (store, "Ada Lovelace", "M-0001");
  g_autoptr (TopoutClimb) c1 = topout_test_add_climb (store, "c-1", "Crimp Cathedral", "V4");
  g_autoptr (TopoutSession) s = topout_test_start (store, topout_climber_get_id (ada), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) other = NULL;
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (TopoutCompletion) logged = NULL;
  g_autoptr (GPtrArray) routes = NULL;
  const char *id = topout_session_get_id (s);
  TopoutSessionEditor *editor;
  GtkListBox *list;

  editor = open_session_editor (store, id);
  type_notes (editor, "Strong on crimps");

  /* Meanwhile, at the desk: a route, and the slot moved. */
  logged = topout_store_log_completion (store, topout_climber_get_id (ada), "c-1", 2, TRUE, NULL, NULL, NULL);
  g_assert_nonnull (logged);
  other = topout_store_get_session (store, id, NULL);
  topout_session_set_time_slot (other, TOPOUT_TIME_SLOT_NIGHT);
  g_assert_true (topout_store_update_session (store, other, NULL));
  g_clear_object (&other);
  spin (5);
  list = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (editor), TOPOUT_TYPE_SESSION_EDITOR,
                                                      "completions_list"));
  g_assert_nonnull (gtk_list_box_get_row_at_index (list, 0));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (editor),
                                                                                              TOPOUT_TYPE_SESSION_EDITOR,
                                                                                              "slot_row"))),
                    ==, TOPOUT_TIME_SLOT_NIGHT);

  /* Another change the editor has not seen yet when Save is pressed. */
  other = topout_store_get_session (store, id, NULL);
  topout_session_set_at_gym (other, 0);
  topout_session_set_notes (other, "Typed at the desk");
  g_assert_true (topout_store_update_session (store, other, NULL));
  g_clear_object (&other);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  spin (5);
  g_assert_null (find_editor ());
  after = topout_store_get_session (store, id, NULL);
  g_assert_cmpstr (topout_session_get_notes (after), ==, "Strong on crimps");
  g_assert_cmpint (topout_session_get_time_slot (after), ==, TOPOUT_TIME_SLOT_NIGHT);
  g_assert_cmpint (topout_session_get_at_gym (after), ==, 0);
  routes = topout_store_list_completions (store, id);
  g_assert_cmpuint (routes->len, ==, 1);
}

/* The real topout-server on a loopback port of its own choosing, with one
 * device token: its address in @url_out, the token in @token_out. */
static GSubprocess *
server_start (char **url_out,
              char **token_out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = topout_test_path ("server.db");
  g_autofree char *token_file = topout_test_path ("tokens");
  g_autofree char *contents = NULL;

  *token_out = g_strdup_printf ("flow-token-%08x", g_random_int ());
  contents = g_strdup_printf ("%s\n", *token_out);
  g_file_set_contents_full (token_file, contents, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  return topout_test_server_spawn (db, token_file, url_out);
}

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_true (topout_sync_engine_sync_finish (TOPOUT_SYNC_ENGINE (source), result, NULL, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* A sync of a gym's evening (25 sessions) while one is open in the editor:
 * its status line said "Pending sync" until the editor was opened again (a
 * batch's writes are announced as ::sessions-sync-changed, which the editor
 * did not follow). */
static void
test_editor_follows_sync_state (void)
{
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:05:00Z", &path);
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (store, "Ada Lovelace", "M-0001");
  g_autoptr (TopoutSession) s = topout_test_start (store, topout_climber_get_id (ada), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) after = NULL;
  g_autoptr (GSubprocess) server = server_start (&url, &token);
  g_autoptr (TopoutSyncEngine) engine = topout_sync_engine_new (store, NULL);
  g_autoptr (GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  const char *id = topout_session_get_id (s);
  TopoutSessionEditor *editor;
  AdwActionRow *status_row;
  gboolean done = FALSE;

  g_settings_set_string (settings, "server-url", url);
  g_assert_true (topout_store_end_session (store, id, NULL));
  /* A gym's evening: more sessions in one batch than the store reports one
   * by one. */
  for (guint i = 0; i < 24; i++)
    {
      g_autofree char *name = g_strdup_printf ("Climber %u", i);
      g_autofree char *code = g_strdup_printf ("M-1%03u", i);
      g_autoptr (TopoutClimber) c = topout_test_add_climber (store, name, code);
      g_autoptr (TopoutSession) other = topout_test_start (store, topout_climber_get_id (c), TOPOUT_SESSION_TYPE_FUN);

      g_assert_true (topout_store_end_session (store, topout_session_get_id (other), NULL));
    }
  editor = open_session_editor (store, id);
  status_row = ADW_ACTION_ROW (gtk_widget_get_template_child (GTK_WIDGET (editor), TOPOUT_TYPE_SESSION_EDITOR,
                                                              "status_row"));
  g_assert_cmpstr (adw_action_row_get_subtitle (status_row), ==, "Completed · Pending sync");

  topout_sync_engine_set_server_url (engine, url);
  topout_sync_engine_set_token (engine, token);
  topout_sync_engine_sync_async (engine, TOPOUT_SYNC_FLAGS_NONE, NULL, sync_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  spin (5);
  after = topout_store_get_session (store, id, NULL);
  g_assert_cmpint (topout_session_get_sync_state (after), ==, TOPOUT_SYNC_STATE_SYNCED);
  g_assert_cmpstr (adw_action_row_get_subtitle (status_row), ==, "Completed · Synced");
  /* Nothing shown in the form changed: no "changed elsewhere" toast, and
   * closing asks nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL));
  spin (5);
  g_assert_null (topout_test_find_prompt ());
  g_assert_null (find_editor ());

  g_settings_reset (settings, "server-url");
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/flow/front-desk-to-coach", test_front_desk_to_coach);
  g_test_add_func ("/flow/editor-asks-before-losing-edits", test_editor_asks_before_losing_edits);
  g_test_add_func ("/flow/editor-keeps-edit-when-changed-elsewhere", test_editor_keeps_edit_when_changed_elsewhere);
  g_test_add_func ("/flow/editor-follows-sync-state", test_editor_follows_sync_state);

  return g_test_run ();
}
