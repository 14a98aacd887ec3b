/* topout-climbers-view.c — Climbers: find, add, edit, merge, archive and
 * restore climbers; import a climber file with its report.
 *
 * Coach tools: in kiosk mode every action here asks for the staff PIN first.
 * Every write is one store call; the import runs in a GTask on its own store
 * connection so the UI thread never waits for it.
 */
#define G_LOG_DOMAIN "topout-climbers-view"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "topout-climbers-view.h"
#include "topout-file-import.h"
#include "topout-form.h"
#include "topout-history-model.h"
#include "topout-limits.h"
#include "topout-ui-util.h"

/* The list shows at most this many climbers; the search narrows it down. */
#define LIST_LIMIT 500

struct _TopoutClimbersView
{
  AdwBin          parent_instance;

  TopoutStore    *store;
  TopoutKiosk    *kiosk;
  GCancellable   *cancellable;
  guint           reload_idle_id;
  gboolean        importing;

  /* Template children */
  GtkStack       *stack;
  GtkSearchEntry *search_entry;
  GtkToggleButton *archived_toggle;
  GtkListBox     *list_box;
  GtkWidget      *import_button;
  AdwStatusPage  *empty_page;
};

G_DEFINE_FINAL_TYPE (TopoutClimbersView, topout_climbers_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_KIOSK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (TopoutClimbersView *self);

/* Small helpers ------------------------------------------------------------ */

static GtkWindow *
parent_window (TopoutClimbersView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* @brief (or NULL): the title where @message does not fit on one line (a
 * phone's 360 px, a long name). */
static void
toast_brief (TopoutClimbersView *self,
             const char         *message,
             const char         *brief)
{
  topout_show_toast (GTK_WIDGET (self), topout_toast_new_fitting (message, brief, NULL));
}

static void
toast (TopoutClimbersView *self,
       const char         *message)
{
  toast_brief (self, message, NULL);
}

static char *
climber_name (TopoutClimbersView *self,
              const char         *climber_id)
{
  g_autoptr (TopoutClimber) climber = topout_store_get_climber (self->store, climber_id, NULL);

  return g_strdup (climber ? topout_climber_get_display_name (climber) : "");
}

/* Climber editor (Add and Edit) -------------------------------------------- */

typedef struct {
  TopoutClimbersView *self;
  TopoutClimber      *climber;   /* NULL when adding */
  GtkWidget          *window;
  GtkWidget          *name_row;
  GtkWidget          *code_row;
  GtkWidget          *error_label;
} ClimberEditor;

static void
climber_editor_free (gpointer data)
{
  ClimberEditor *ed = data;

  g_clear_object (&ed->self);
  g_clear_object (&ed->climber);
  g_free (ed);
}

static void
editor_clear_error (ClimberEditor *ed)
{
  gtk_widget_remove_css_class (ed->name_row, "error");
  gtk_widget_remove_css_class (ed->code_row, "error");
  gtk_widget_set_visible (ed->error_label, FALSE);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (ed->name_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (ed->code_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
editor_show_error (ClimberEditor *ed,
                   GtkWidget     *field,
                   const char    *message)
{
  topout_form_show_error (ed->error_label, message);
  if (field != NULL)
    {
      gtk_widget_add_css_class (field, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
      gtk_widget_grab_focus (field);
    }
}

static void
editor_save_cb (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  ClimberEditor *ed = user_data;
  TopoutClimbersView *self = ed->self;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (ed->name_row));
  const char *code = gtk_editable_get_text (GTK_EDITABLE (ed->code_row));
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutClimber) saved = NULL;
  g_autofree char *message = NULL;

  editor_clear_error (ed);
  if (ed->climber == NULL)
    saved = topout_store_add_climber (self->store, name, code, &error);
  else
    {
      saved = topout_climber_copy (ed->climber);
      topout_climber_set_display_name (saved, name);
      topout_climber_set_member_code (saved, code);
      if (!topout_store_update_climber (self->store, saved, &error))
        g_clear_object (&saved);
    }

  if (saved == NULL)
    {
      GtkWidget *field = NULL;

      if (g_error_matches (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DUPLICATE))
        field = ed->code_row;
      else if (g_error_matches (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_TEXT))
        field = topout_form_text_fails (name, TOPOUT_LIMIT_NAME_MIN, TOPOUT_LIMIT_NAME_MAX) ? ed->name_row
                                                                                           : ed->code_row;
      editor_show_error (ed, field, error->message);
      return;
    }

  if (ed->climber == NULL)
    /* Translators: a toast after adding a climber */
    message = g_strdup_printf (_("Added %s"), topout_climber_get_display_name (saved));
  else
    /* Translators: a toast after editing a climber */
    message = g_strdup_printf (_("Saved %s"), topout_climber_get_display_name (saved));
  /* Translators: the same toasts, one line at 360 px, where the climber's
   * name does not fit */
  toast_brief (self, message, ed->climber == NULL ? _("Climber added") : _("Climber saved"));
  reload (self);
  gtk_window_destroy (GTK_WINDOW (ed->window));
}

static void
open_editor (GtkWidget *widget,
             GVariant  *param)
{
  TopoutClimbersView *self = TOPOUT_CLIMBERS_VIEW (widget);
  ClimberEditor *ed = g_new0 (ClimberEditor, 1);
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr (GSimpleAction) save = g_simple_action_new ("save", NULL);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  g_autofree char *title = NULL;

  ed->self = g_object_ref (self);
  if (param != NULL)
    {
      g_autoptr (GError) error = NULL;

      ed->climber = topout_store_get_climber (self->store, g_variant_get_string (param, NULL), &error);
      if (ed->climber == NULL)
        {
          toast (self, error->message);
          climber_editor_free (ed);
          return;
        }
    }

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  ed->name_row = topout_form_entry_row_new (_("_Name"), "climber-name",
                                ed->climber ? topout_climber_get_display_name (ed->climber) : NULL);
  ed->code_row = topout_form_entry_row_new (_("_Member code (optional)"), "climber-member-code",
                                ed->climber ? topout_climber_get_member_code (ed->climber) : NULL);
  gtk_list_box_append (GTK_LIST_BOX (list), ed->name_row);
  gtk_list_box_append (GTK_LIST_BOX (list), ed->code_row);
  gtk_box_append (GTK_BOX (content), list);
  ed->error_label = topout_form_error_label_new ();
  gtk_box_append (GTK_BOX (content), ed->error_label);

  if (ed->climber == NULL)
    title = g_strdup (_("Add Climber"));
  else
    /* Translators: the title of the climber editor */
    title = g_strdup_printf (_("Edit %s"), topout_climber_get_display_name (ed->climber));

  ed->window = topout_form_window_new (parent_window (self), title,
                                ed->climber ? _("_Save") : _("_Add"), "editor.save", content, NULL);
  gtk_widget_set_name (ed->window, "climber-editor");
  g_signal_connect (save, "activate", G_CALLBACK (editor_save_cb), ed);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (save));
  gtk_widget_insert_action_group (ed->window, "editor", G_ACTION_GROUP (group));
  g_object_set_data_full (G_OBJECT (ed->window), "topout-editor", ed, climber_editor_free);

  gtk_window_present (GTK_WINDOW (ed->window));
  gtk_widget_grab_focus (ed->name_row);
}

/* Merge --------------------------------------------------------------------- */

static guint
count_sessions (TopoutClimbersView *self,
                const char         *climber_id)
{
  g_autoptr (TopoutHistoryModel) model = topout_history_model_new (self->store);

  topout_history_model_set_climber_id (model, climber_id);
  return topout_history_model_get_n_items (model);
}

typedef struct {
  TopoutClimbersView *self;
  char               *survivor_id;
  char               *duplicate_id;
} MergeConfirm;

static void
merge_confirm_free (gpointer data)
{
  MergeConfirm *mc = data;

  g_clear_object (&mc->self);
  g_free (mc->survivor_id);
  g_free (mc->duplicate_id);
  g_free (mc);
}

typedef struct {
  TopoutClimbersView *self;
  char               *message;
} MergeDone;

static void
merge_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  MergeDone *md = user_data;
  g_autoptr (GError) error = NULL;

  if (!topout_store_merge_climbers_finish (TOPOUT_STORE (source), result, &error))
    toast (md->self, error->message);
  else
    /* Translators: the same toast, one line at 360 px, where the names do
     * not fit */
    toast_brief (md->self, md->message, _("Climbers merged"));
  reload (md->self);
  g_object_unref (md->self);
  g_free (md->message);
  g_free (md);
}

static void
merge_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  MergeConfirm *mc = user_data;
  TopoutClimbersView *self = mc->self;
  g_autofree char *survivor = NULL;
  g_autofree char *duplicate = NULL;
  MergeDone *md;

  if (g_strcmp0 (response, "merge") != 0)
    return;

  survivor = climber_name (self, mc->survivor_id);
  duplicate = climber_name (self, mc->duplicate_id);
  md = g_new0 (MergeDone, 1);
  md->self = g_object_ref (self);
  /* Translators: a toast: "Merged Bo K. into Bo Kim" */
  md->message = g_strdup_printf (_("Merged %s into %s"), duplicate, survivor);
  /* Thousands of sessions move in chunks, the window drawn between them. */
  topout_store_merge_climbers_async (self->store, mc->survivor_id, mc->duplicate_id, merge_done_cb, md);
}

/* A merge moves sessions and cannot be undone by the store, so this one
 * destructive action asks first, naming both climbers and what moves. */
static void
confirm_merge (TopoutClimbersView *self,
               const char         *survivor_id,
               const char         *duplicate_id)
{
  g_autoptr (TopoutClimber) survivor = NULL;
  g_autoptr (TopoutClimber) duplicate = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  MergeConfirm *mc;
  GtkWidget *dialog;
  guint n;

  if (!(survivor = topout_store_get_climber (self->store, survivor_id, &error)) ||
      !(duplicate = topout_store_get_climber (self->store, duplicate_id, &error)))
    {
      toast (self, error->message);
      return;
    }

  n = count_sessions (self, duplicate_id);
  /* Translators: the heading of the merge confirmation */
  heading = g_strdup_printf (_("Merge %s into %s?"),
                             topout_climber_get_display_name (duplicate),
                             topout_climber_get_display_name (survivor));
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u session moves from %s to %s, and %s is archived. A merge cannot be undone.",
                                       "%u sessions move from %s to %s, and %s is archived. A merge cannot be undone.",
                                       n),
                          n,
                          topout_climber_get_display_name (duplicate),
                          topout_climber_get_display_name (survivor),
                          topout_climber_get_display_name (duplicate));
  /* What becomes of the duplicate's card (the store's rule). */
  if (topout_climber_get_member_code (duplicate) != NULL)
    {
      g_autofree char *code = NULL;

      if (topout_climber_get_member_code (survivor) == NULL)
        /* Translators: after the merge text: "Its member code M-0002 goes to Ada Lovelace." */
        code = g_strdup_printf (_("Its member code %s goes to %s."), topout_climber_get_member_code (duplicate),
                                topout_climber_get_display_name (survivor));
      else
        /* Translators: after the merge text: "Its member code M-0002 is dropped: Ada Lovelace keeps M-0001." */
        code = g_strdup_printf (_("Its member code %s is dropped: %s keeps %s."),
                                topout_climber_get_member_code (duplicate),
                                topout_climber_get_display_name (survivor),
                                topout_climber_get_member_code (survivor));
      {
        g_autofree char *with_code = g_strdup_printf ("%s %s", body, code);

        g_free (body);
        body = g_steal_pointer (&with_code);
      }
    }

  dialog = adw_message_dialog_new (parent_window (self), heading, body);
  gtk_widget_set_name (dialog, "merge-confirm");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "merge", _("_Merge"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "merge", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  mc = g_new0 (MergeConfirm, 1);
  mc->self = g_object_ref (self);
  mc->survivor_id = g_strdup (survivor_id);
  mc->duplicate_id = g_strdup (duplicate_id);
  g_signal_connect_data (dialog, "response", G_CALLBACK (merge_response_cb), mc,
                         (GClosureNotify) (void (*) (void)) merge_confirm_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct {
  TopoutClimbersView *self;
  char               *survivor_id;
  GtkWidget          *window;
  GtkWidget          *list;
} MergeChooser;

static void
merge_chooser_free (gpointer data)
{
  MergeChooser *mch = data;

  g_clear_object (&mch->self);
  g_free (mch->survivor_id);
  g_free (mch);
}

static void
merge_chooser_fill (MergeChooser *mch,
                    const char   *query)
{
  g_autoptr (GPtrArray) climbers = topout_store_find_climbers (mch->self->store, query, FALSE, 100);

  topout_list_box_remove_rows (GTK_LIST_BOX (mch->list));

  for (guint i = 0; i < climbers->len; i++)
    {
      TopoutClimber *climber = g_ptr_array_index (climbers, i);
      const char *code = topout_climber_get_member_code (climber);
      GtkWidget *row;

      if (g_strcmp0 (topout_climber_get_id (climber), mch->survivor_id) == 0)
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), topout_climber_get_display_name (climber));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), code ? code : _("No member code"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "climber-id", g_strdup (topout_climber_get_id (climber)), g_free);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_append (GTK_LIST_BOX (mch->list), row);
    }
}

static void
merge_search_changed_cb (GtkSearchEntry *entry,
                         MergeChooser   *mch)
{
  merge_chooser_fill (mch, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* Return in the search: the one match is the duplicate (with several, the
 * coach picks one). */
static void
merge_search_activate_cb (GtkSearchEntry *entry,
                          MergeChooser   *mch)
{
  GtkListBoxRow *first;

  merge_chooser_fill (mch, gtk_editable_get_text (GTK_EDITABLE (entry)));
  first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (mch->list), 0);
  if (first != NULL && gtk_list_box_get_row_at_index (GTK_LIST_BOX (mch->list), 1) == NULL)
    g_signal_emit_by_name (mch->list, "row-activated", first);
}

/* Down in the search goes to the matches. */
static void
merge_row_activated_cb (GtkListBox    *list,
                        GtkListBoxRow *row,
                        MergeChooser  *mch)
{
  g_autoptr (TopoutClimbersView) self = g_object_ref (mch->self);
  g_autofree char *survivor_id = g_strdup (mch->survivor_id);
  g_autofree char *duplicate_id = g_strdup (g_object_get_data (G_OBJECT (row), "climber-id"));

  gtk_window_destroy (GTK_WINDOW (mch->window));
  confirm_merge (self, survivor_id, duplicate_id);
}

static void
open_merge_chooser (GtkWidget *widget,
                    GVariant  *param)
{
  TopoutClimbersView *self = TOPOUT_CLIMBERS_VIEW (widget);
  const char *survivor_id = g_variant_get_string (param, NULL);
  g_autoptr (TopoutClimber) survivor = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *intro = NULL;
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *label;
  GtkWidget *search;
  GtkWidget *placeholder;
  MergeChooser *mch;

  if (!(survivor = topout_store_get_climber (self->store, survivor_id, &error)))
    {
      toast (self, error->message);
      return;
    }

  mch = g_new0 (MergeChooser, 1);
  mch->self = g_object_ref (self);
  mch->survivor_id = g_strdup (survivor_id);

  /* Translators: the title of the merge window */
  title = g_strdup_printf (_("Merge Into %s"), topout_climber_get_display_name (survivor));
  intro = g_strdup_printf (_("Choose the duplicate record. Its sessions move to %s, and it is archived."),
                           topout_climber_get_display_name (survivor));
  label = gtk_label_new (intro);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (content), label);

  search = gtk_search_entry_new ();
  gtk_widget_set_name (search, "merge-search");
  g_object_set (search, "placeholder-text", _("Search by name or member code"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search the duplicate"), -1);
  gtk_box_append (GTK_BOX (content), search);

  mch->list = gtk_list_box_new ();
  gtk_widget_set_name (mch->list, "merge-candidates");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (mch->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (mch->list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (mch->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Duplicates to merge"), -1);
  placeholder = gtk_label_new (_("No other climber matches"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  topout_list_box_set_placeholder (GTK_LIST_BOX (mch->list), placeholder);
  gtk_box_append (GTK_BOX (content), mch->list);

  mch->window = topout_form_window_new (parent_window (self), title, NULL, NULL, content, NULL);
  gtk_widget_set_name (mch->window, "merge-chooser");
  {
    int width = 460;
    int height = 0;

    /* As wide as topout_form_window_new() made it, at most. */
    gtk_window_get_default_size (GTK_WINDOW (mch->window), &width, &height);
    gtk_window_set_default_size (GTK_WINDOW (mch->window), MIN (width, 460), 520);
  }
  g_object_set_data_full (G_OBJECT (mch->window), "topout-merge", mch, merge_chooser_free);
  g_signal_connect (search, "search-changed", G_CALLBACK (merge_search_changed_cb), mch);
  g_signal_connect (search, "activate", G_CALLBACK (merge_search_activate_cb), mch);
  topout_entry_down_to_list (search, GTK_LIST_BOX (mch->list));
  g_signal_connect (mch->list, "row-activated", G_CALLBACK (merge_row_activated_cb), mch);
  merge_chooser_fill (mch, NULL);

  gtk_window_present (GTK_WINDOW (mch->window));
  gtk_widget_grab_focus (search);
}

static void
merge_confirm_action (GtkWidget *widget,
                      GVariant  *param)
{
  TopoutClimbersView *self = TOPOUT_CLIMBERS_VIEW (widget);
  const char *survivor_id;
  const char *duplicate_id;

  g_variant_get (param, "(&s&s)", &survivor_id, &duplicate_id);
  confirm_merge (self, survivor_id, duplicate_id);
}

/* Archive and restore ------------------------------------------------------- */

static void set_archived (TopoutClimbersView *self,
                          const char         *climber_id,
                          gboolean            archived,
                          gboolean            offer_undo);

static void restore_action (GtkWidget *widget,
                            GVariant  *param);

/* Through the staff PIN: the toast may outlive staff access (the kiosk
 * locked while it was on screen). */
static void
archive_undo_cb (AdwToast           *toast_,
                 TopoutClimbersView *self)
{
  const char *climber_id = g_object_get_data (G_OBJECT (toast_), "climber-id");

  topout_kiosk_run_as_staff (self->kiosk, GTK_WIDGET (self), restore_action, g_variant_new_string (climber_id));
}

static void
set_archived (TopoutClimbersView *self,
              const char         *climber_id,
              gboolean            archived,
              gboolean            offer_undo)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = climber_name (self, climber_id);
  g_autofree char *message = NULL;
  AdwToast *t;

  if (!topout_store_set_climber_archived (self->store, climber_id, archived, &error))
    {
      toast (self, error->message);
      return;
    }
  reload (self);

  if (archived)
    /* Translators: a toast after archiving a climber */
    message = g_strdup_printf (_("Archived %s"), name);
  else
    /* Translators: a toast after restoring an archived climber */
    message = g_strdup_printf (_("Restored %s"), name);
  /* Translators: the same toasts, one line at 360 px, where the climber's
   * name does not fit */
  t = topout_toast_new_fitting (message, archived ? _("Climber archived") : _("Climber restored"), NULL);
  if (offer_undo)
    {
      adw_toast_set_button_label (t, _("_Undo"));
      adw_toast_set_priority (t, ADW_TOAST_PRIORITY_HIGH);
      g_object_set_data_full (G_OBJECT (t), "climber-id", g_strdup (climber_id), g_free);
      g_signal_connect_object (t, "button-clicked", G_CALLBACK (archive_undo_cb), self, 0);
    }
  topout_show_toast (GTK_WIDGET (self), t);
}

static void
archive_action (GtkWidget *widget,
                GVariant  *param)
{
  TopoutClimbersView *self = TOPOUT_CLIMBERS_VIEW (widget);

  set_archived (self, g_variant_get_string (param, NULL), TRUE, TRUE);
}

static void
restore_action (GtkWidget *widget,
                GVariant  *param)
{
  TopoutClimbersView *self = TOPOUT_CLIMBERS_VIEW (widget);

  set_archived (self, g_variant_get_string (param, NULL), FALSE, FALSE);
}

/* Import ---------------------------------------------------------------------- */

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TopoutClimbersView *self = TOPOUT_CLIMBERS_VIEW (source);
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) problems = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *file_name = NULL;

  report = topout_file_import_finish (result, &file_name, &problems, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->importing = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "climbers.import", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "climbers.import-file", TRUE);
  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;
  reload (self);
  if (report == NULL)
    {
      topout_show_import_refused (parent_window (self), file_name, problems, error);
      return;
    }
  topout_show_file_import_report (parent_window (self), file_name, report);
}

static void
start_import (TopoutClimbersView *self,
              GFile              *file)
{
  if (self->importing)
    return;
  self->importing = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "climbers.import", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "climbers.import-file", FALSE);
  topout_file_import_start (GTK_WIDGET (self), self->store, file, FALSE, self->cancellable,
                            import_done_cb, NULL);
}

static void
import_file_action (GtkWidget *widget,
                    GVariant  *param)
{
  TopoutClimbersView *self = TOPOUT_CLIMBERS_VIEW (widget);
  g_autoptr (GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));

  start_import (self, file);
}

static void
import_uri (GtkWidget *widget,
            GVariant  *param)
{
  g_autoptr (GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));

  start_import (TOPOUT_CLIMBERS_VIEW (widget), file);
}

static void
chooser_response_cb (GtkNativeDialog    *chooser,
                     int                 response,
                     TopoutClimbersView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      /* Through the PIN again: the chooser (a portal's, another program's
       * window) may have stayed open after the kiosk locked. */
      if (file != NULL)
        {
          g_autofree char *uri = g_file_get_uri (file);

          topout_kiosk_run_as_staff (self->kiosk, GTK_WIDGET (self), import_uri, g_variant_new_string (uri));
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
import_action (GtkWidget *widget,
               GVariant  *param)
{
  TopoutClimbersView *self = TOPOUT_CLIMBERS_VIEW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Climbers"), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Climber files (JSON, CSV)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Actions --------------------------------------------------------------------- */

static void
action_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *param)
{
  TopoutClimbersView *self = TOPOUT_CLIMBERS_VIEW (widget);
  static const struct {
    const char *name;
    TopoutKioskStaffFunc func;
  } table[] = {
    { "climbers.add", open_editor },
    { "climbers.edit", open_editor },
    { "climbers.merge", open_merge_chooser },
    { "climbers.merge-confirm", merge_confirm_action },
    { "climbers.archive", archive_action },
    { "climbers.restore", restore_action },
    { "climbers.import", import_action },
    { "climbers.import-file", import_file_action },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_strcmp0 (action_name, table[i].name) == 0)
      {
        topout_kiosk_run_as_staff (self->kiosk, widget, table[i].func, param);
        return;
      }
}

/* The list ------------------------------------------------------------------ */


/* The row's buttons, labelled or (@compact) icons alone. */
static GtkWidget *
row_buttons_new (gboolean    compact,
                 const char *name,
                 const char *id,
                 gboolean    archived,
                 gboolean    merged)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  /* A merged record is history: its sessions are the survivor's, and a code
   * given to it would tie a card to nobody on the wall. */
  if (!merged)
    {
      /* Translators: the accessible name of a row's button: "Sessions of Ada Lovelace" (opens History) */
      g_autofree char *sessions = g_strdup_printf (_("Sessions of %s"), name);

      /* Translators: the accessible name of a row's button: "Edit Ada Lovelace" */
      g_autofree char *accessible = g_strdup_printf (_("Edit %s"), name);

      gtk_box_append (GTK_BOX (box), topout_row_button_new (compact, _("_Sessions"), "x-office-calendar-symbolic", sessions,
                                                     "win.show-climber-sessions", id));
      gtk_box_append (GTK_BOX (box), topout_row_button_new (compact, _("_Edit"), "document-edit-symbolic", accessible,
                                                     "climbers.edit", id));
    }
  if (!archived)
    {
      /* Translators: "Merge a duplicate into Ada Lovelace" */
      g_autofree char *merge = g_strdup_printf (_("Merge a duplicate into %s"), name);
      /* Translators: "Archive Ada Lovelace" */
      g_autofree char *archive = g_strdup_printf (_("Archive %s"), name);

      gtk_box_append (GTK_BOX (box), topout_row_button_new (compact, _("_Merge…"), "edit-paste-symbolic", merge,
                                                     "climbers.merge", id));
      gtk_box_append (GTK_BOX (box), topout_row_button_new (compact, _("_Archive"), "package-x-generic-symbolic", archive,
                                                     "climbers.archive", id));
    }
  else if (!merged)
    {
      /* Translators: "Restore Ada Lovelace" */
      g_autofree char *restore = g_strdup_printf (_("Restore %s"), name);

      gtk_box_append (GTK_BOX (box), topout_row_button_new (compact, _("_Restore"), "edit-undo-symbolic", restore,
                                                     "climbers.restore", id));
    }
  return box;
}

/* @merged_into_name: the survivor's name when @climber is a duplicate
 * merged into it (an empty record: it says where its sessions went, and
 * offers no Restore). */
static GtkWidget *
climber_row_new (TopoutClimber *climber,
                 const char    *merged_into_name)
{
  const char *id = topout_climber_get_id (climber);
  const char *name = topout_climber_get_display_name (climber);
  const char *code = topout_climber_get_member_code (climber);
  gboolean archived = topout_climber_get_archived (climber);
  gboolean merged = archived && merged_into_name != NULL;
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  if (merged)
    {
      /* Translators: the subtitle of a duplicate climber record after a merge */
      g_autofree char *where = g_strdup_printf (_("Merged into %s"), merged_into_name);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), code ? code : _("No member code"));
  gtk_widget_set_name (row, id);
  gtk_widget_add_css_class (row, "climber-row");

  if (archived)
    {
      GtkWidget *tag = gtk_label_new (merged ? _("Merged") : _("Archived"));

      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "climbers-tag");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
      gtk_widget_add_css_class (row, "archived");
    }

  /* Labelled buttons, or their icons alone when the window is too narrow
   * for the labels (480 px in German), whichever fits. */
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             topout_row_buttons_squeezer_new (row_buttons_new (FALSE, name, id, archived, merged),
                                                              row_buttons_new (TRUE, name, id, archived, merged)));
  return row;
}

static void
reload (TopoutClimbersView *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean archived = gtk_toggle_button_get_active (self->archived_toggle);
  g_autoptr (GPtrArray) climbers = NULL;
  g_autoptr (GPtrArray) any = NULL;
  TopoutListFocus *focus;

  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  if (self->store == NULL)
    return;

  any = topout_store_find_climbers (self->store, NULL, TRUE, 1);
  gtk_stack_set_visible_child_name (self->stack, any->len > 0 ? "list" : "empty");

  /* The keyboard stays where it was (the Edit button of the row just
   * edited): the rows are made again. */
  focus = topout_list_box_save_focus (self->list_box);
  topout_list_box_remove_rows (self->list_box);
  climbers = topout_store_find_climbers (self->store, query, archived, LIST_LIMIT);
  for (guint i = 0; i < climbers->len; i++)
    {
      TopoutClimber *climber = g_ptr_array_index (climbers, i);
      const char *into = topout_climber_get_merged_into (climber);
      g_autoptr (TopoutClimber) survivor = into != NULL ? topout_store_get_climber (self->store, into, NULL) : NULL;

      gtk_list_box_append (self->list_box,
                           climber_row_new (climber, survivor ? topout_climber_get_display_name (survivor) : NULL));
    }
  topout_list_box_refocus (self->list_box, focus);
}

static gboolean
reload_idle_cb (gpointer data)
{
  TopoutClimbersView *self = data;

  self->reload_idle_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

/* A burst of store changes reloads once. */
static void
queue_reload (TopoutClimbersView *self)
{
  if (self->reload_idle_id == 0)
    self->reload_idle_id = g_idle_add (reload_idle_cb, self);
}

static void
search_changed_cb (TopoutClimbersView *self)
{
  reload (self);
}

/* GObject ---------------------------------------------------------------------- */

static void
topout_climbers_view_constructed (GObject *object)
{
  TopoutClimbersView *self = TOPOUT_CLIMBERS_VIEW (object);

  G_OBJECT_CLASS (topout_climbers_view_parent_class)->constructed (object);

  if (self->store != NULL)
    {
      /* Names change with merges and edits made elsewhere; the store says
       * "reset" for those and for imports of its own. */
      g_signal_connect_object (self->store, "sessions-reset", G_CALLBACK (queue_reload), self, G_CONNECT_SWAPPED);
      reload (self);
    }
}

static void
topout_climbers_view_dispose (GObject *object)
{
  TopoutClimbersView *self = TOPOUT_CLIMBERS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_idle_id, g_source_remove);

  G_OBJECT_CLASS (topout_climbers_view_parent_class)->dispose (object);
}

static void
topout_climbers_view_finalize (GObject *object)
{
  TopoutClimbersView *self = TOPOUT_CLIMBERS_VIEW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->kiosk);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (topout_climbers_view_parent_class)->finalize (object);
}

static void
topout_climbers_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TopoutClimbersView *self = TOPOUT_CLIMBERS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_KIOSK:
      g_value_set_object (value, self->kiosk);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_climbers_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TopoutClimbersView *self = TOPOUT_CLIMBERS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_KIOSK:
      self->kiosk = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void focus_search_cb (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param);

static void
topout_climbers_view_class_init (TopoutClimbersViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = topout_climbers_view_constructed;
  object_class->dispose = topout_climbers_view_dispose;
  object_class->finalize = topout_climbers_view_finalize;
  object_class->get_property = topout_climbers_view_get_property;
  object_class->set_property = topout_climbers_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TOPOUT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIOSK] =
    g_param_spec_object ("kiosk", NULL, NULL, TOPOUT_TYPE_KIOSK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/topout-climbers-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbersView, stack);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbersView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbersView, archived_toggle);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbersView, list_box);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbersView, import_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbersView, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_install_action (widget_class, "climbers.add", NULL, action_cb);
  gtk_widget_class_install_action (widget_class, "climbers.edit", "s", action_cb);
  gtk_widget_class_install_action (widget_class, "climbers.merge", "s", action_cb);
  /* (survivor id, duplicate id): the confirmation the chooser leads to. */
  gtk_widget_class_install_action (widget_class, "climbers.merge-confirm", "(ss)", action_cb);
  gtk_widget_class_install_action (widget_class, "climbers.archive", "s", action_cb);
  gtk_widget_class_install_action (widget_class, "climbers.restore", "s", action_cb);
  gtk_widget_class_install_action (widget_class, "climbers.import", NULL, action_cb);
  /* A path: the import without the file chooser (drag and drop, tests). */
  gtk_widget_class_install_action (widget_class, "climbers.import-file", "s", action_cb);

  gtk_widget_class_install_action (widget_class, "climbers.focus-search", NULL, focus_search_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "climbers.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "climbers.focus-search", NULL);

  gtk_widget_class_set_css_name (widget_class, "climbersview");
}

static void
focus_search_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  gtk_widget_grab_focus (GTK_WIDGET (TOPOUT_CLIMBERS_VIEW (widget)->search_entry));
}

static void
topout_climbers_view_init (TopoutClimbersView *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  placeholder = gtk_label_new (_("No climber matches the search"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  topout_list_box_set_placeholder (self->list_box, placeholder);
  /* Tab: a row, its buttons, then out of the list (it went through every
   * row and button, four stops a climber); Up and Down move between rows. */
  topout_list_box_row_tab_stops (self->list_box);
}

GtkWidget *
topout_climbers_view_new (TopoutStore *store,
                          TopoutKiosk *kiosk)
{
  return g_object_new (TOPOUT_TYPE_CLIMBERS_VIEW, "store", store, "kiosk", kiosk, NULL);
}
