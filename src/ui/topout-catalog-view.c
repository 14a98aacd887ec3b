/* topout-catalog-view.c — The catalog: find, add, edit, retire and restore
 * climbs; import a catalog file with its report.
 *
 * Coach tools: in kiosk mode every action here asks for the staff PIN first.
 * Every write is one store call; the import runs in a GTask on its own store
 * connection so the UI thread never waits for it.
 *
 * The store finds only climbs that are not retired; climbs retired from this
 * view stay listed (with "Retired" and a Restore button) while it lives.
 */
#define G_LOG_DOMAIN "topout-catalog-view"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "topout-catalog-view.h"
#include "topout-color-swatch.h"
#include "topout-file-import.h"
#include "topout-form.h"
#include "topout-limits.h"
#include "topout-ui-util.h"

/* The list shows at most this many climbs; the search narrows it down. */
#define LIST_LIMIT 500

/* The grade column's width, in characters: "V4-V5", "5.12a". */
#define GRADE_CHARS 5

struct _TopoutCatalogView
{
  AdwBin          parent_instance;

  TopoutStore    *store;
  TopoutKiosk    *kiosk;
  GCancellable   *cancellable;
  guint           reload_idle_id;
  gboolean        importing;
  /* Ids of the climbs retired here, to keep them listed for Restore. */
  GHashTable     *retired_here;
  /* Each climb edited here as it was before its last edit, for Undo. */
  GHashTable     *edited_before;
  GtkToggleButton *retired_toggle;

  /* Template children */
  GtkStack       *stack;
  GtkSearchEntry *search_entry;
  GtkListBox     *list_box;
  GtkWidget      *import_button;
  AdwStatusPage  *empty_page;
};

G_DEFINE_FINAL_TYPE (TopoutCatalogView, topout_catalog_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_KIOSK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (TopoutCatalogView *self);
static void climb_edited (GtkWidget   *owner,
                          TopoutClimb *before,
                          TopoutClimb *after);

/* Small helpers ------------------------------------------------------------ */

static GtkWindow *
parent_window (TopoutCatalogView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
toast (TopoutCatalogView *self,
       const char         *message)
{
  topout_show_toast (GTK_WIDGET (self), topout_toast_new_plain (message));
}

static char *
climb_name (TopoutCatalogView *self,
            const char        *climb_id)
{
  g_autoptr (TopoutClimb) climb = topout_store_get_climb (self->store, climb_id, NULL);

  return g_strdup (climb ? topout_climb_get_name (climb) : climb_id);
}

/* Add and edit a climb ------------------------------------------------------------ */

typedef struct {
  TopoutStore       *store;
  GtkWidget         *owner;
  TopoutClimbAdded   added;
  /* The climb as it was when the editor opened; NULL when adding. */
  TopoutClimb       *editing;
  GtkWidget         *window;
  GtkWidget         *id_row;      /* NULL when editing: the id stays */
  GtkWidget         *name_row;
  GtkWidget         *grade_row;
  GtkWidget         *system_row;
  GtkWidget         *color_row;
  /* What color_row showed of the climb edited: its colour's name ("Rot"),
   * which saves the stored colour back unchanged ("#e01b24" stays). */
  char              *color_shown;
  /* At the start of color_row: the colour it will save, named. */
  GtkWidget         *color_preview;
  GtkWidget         *wall_row;
  GtkWidget         *set_on_row;
  GtkWidget         *error_label;
} ClimbEditor;

static const TopoutGradeSystem grade_systems[] = {
  TOPOUT_GRADE_SYSTEM_V_SCALE,
  TOPOUT_GRADE_SYSTEM_FONT,
  TOPOUT_GRADE_SYSTEM_YDS,
};

static void
climb_editor_free (gpointer data)
{
  ClimbEditor *ed = data;

  g_clear_object (&ed->store);
  g_clear_object (&ed->owner);
  g_clear_object (&ed->editing);
  g_free (ed->color_shown);
  g_free (ed);
}

static void
editor_clear_error (ClimbEditor *ed)
{
  GtkWidget *rows[] = { ed->id_row, ed->name_row, ed->grade_row, ed->color_row, ed->wall_row, ed->set_on_row };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      if (rows[i] == NULL)
        continue;
      gtk_widget_remove_css_class (rows[i], "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (rows[i]), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  gtk_widget_set_visible (ed->error_label, FALSE);
}

static void
editor_show_error (ClimbEditor *ed,
                   GtkWidget   *field,
                   const char  *message)
{
  topout_form_show_error (ed->error_label, message);
  if (field != NULL)
    {
      gtk_widget_add_css_class (field, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
      gtk_widget_grab_focus (field);
    }
}

/* The trimmed text of @row, NULL when blank. */
static char *
row_text (GtkWidget *row)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* The colour to save for what @ed's colour row holds: a colour typed in
 * the coach's words ("rot", "Gelb", "bleu clair") as the store keeps it
 * ("red"); the edited climb's own colour when the row still shows its
 * name; what was typed when it is no colour, for the store to refuse. */
static char *
editor_color (ClimbEditor *ed)
{
  g_autofree char *typed = row_text (ed->color_row);
  char *color = NULL;

  if (ed->editing != NULL && typed != NULL && g_strcmp0 (typed, ed->color_shown) == 0)
    return g_strdup (topout_climb_get_color (ed->editing));
  if (!topout_color_read (typed, TOPOUT_COLOR_WORDS_UI, &color, NULL))
    return g_steal_pointer (&typed);
  return color;
}

/* The preview shows the colour as it will be saved ("hellblau" typed is
 * light blue, named "Blue"), or none while what is typed is no colour. */
static void
editor_color_changed_cb (ClimbEditor *ed)
{
  g_autofree char *color = editor_color (ed);

  topout_color_swatch_set_color (TOPOUT_COLOR_SWATCH (ed->color_preview), color);
}

/* Which field a refusal of the store is about: the same checks, in its order. */
static GtkWidget *
editor_error_field (ClimbEditor  *ed,
                    const GError *error)
{
  if (g_error_matches (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DUPLICATE))
    return ed->id_row;  /* only an added climb's */
  if (g_error_matches (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_GRADE))
    return ed->grade_row;
  if (g_error_matches (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_COLOR))
    return ed->color_row;
  if (g_error_matches (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_DATE) ||
      g_error_matches (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_FUTURE_DATE))
    return ed->set_on_row;
  if (g_error_matches (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_TEXT))
    {
      /* A blank id is none of the refusal: the climb was given one of its
       * own (editor_save_cb()). */
      g_autofree char *id = ed->id_row != NULL ? row_text (ed->id_row) : NULL;
      const struct {
        GtkWidget *row;
        guint      min;
        guint      max;
      } checks[] = {
        { id != NULL ? ed->id_row : NULL, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX },
        { ed->name_row, TOPOUT_LIMIT_NAME_MIN, TOPOUT_LIMIT_NAME_MAX },
        { ed->grade_row, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX },
        { ed->color_row, 0, TOPOUT_LIMIT_KEY_MAX },
        { ed->wall_row, 0, TOPOUT_LIMIT_NAME_MAX },
      };

      for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
        if (checks[i].row != NULL &&
            topout_form_text_fails (gtk_editable_get_text (GTK_EDITABLE (checks[i].row)),
                                    checks[i].min, checks[i].max))
          return checks[i].row;
    }
  return NULL;
}

static void
editor_save_cb (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  ClimbEditor *ed = user_data;
  g_autofree char *id = ed->id_row != NULL ? row_text (ed->id_row) : NULL;
  g_autofree char *name = row_text (ed->name_row);
  g_autofree char *grade = row_text (ed->grade_row);
  g_autofree char *color = editor_color (ed);
  g_autofree char *wall = row_text (ed->wall_row);
  g_autofree char *set_on = row_text (ed->set_on_row);
  guint system = adw_combo_row_get_selected (ADW_COMBO_ROW (ed->system_row));
  g_autoptr (TopoutClimb) climb = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  editor_clear_error (ed);
  if (ed->editing != NULL)
    {
      /* The id is the climb's key (the catalog file's, the routes'): kept. */
      climb = topout_climb_copy (ed->editing);
      topout_climb_set_name (climb, name);
      topout_climb_set_grade (climb, grade);
      topout_climb_set_grade_system (climb, grade_systems[MIN (system, G_N_ELEMENTS (grade_systems) - 1)]);
    }
  else
    {
      /* A climb of one's own (at home, no gym catalog) needs no id. */
      if (id == NULL)
        id = g_uuid_string_random ();
      climb = topout_climb_new (id, name, grade,
                                grade_systems[MIN (system, G_N_ELEMENTS (grade_systems) - 1)]);
    }
  topout_climb_set_color (climb, color);
  topout_climb_set_wall (climb, wall);
  topout_climb_set_set_on (climb, set_on);
  if (ed->editing != NULL ? !topout_store_update_climb (ed->store, climb, &error)
                          : !topout_store_add_climb (ed->store, climb, &error))
    {
      editor_show_error (ed, editor_error_field (ed, error), error->message);
      return;
    }

  if (ed->editing != NULL)
    climb_edited (ed->owner, ed->editing, climb);
  else
    {
      /* Translators: a toast after adding a climb to the catalog */
      message = g_strdup_printf (_("Added %s"), name);
      /* Translators: the same toast, one line at 360 px, where the climb's
       * name does not fit */
      topout_show_toast (ed->owner, topout_toast_new_fitting (message, _("Climb added"), NULL));
    }
  ed->added (ed->owner, climb);
  gtk_window_destroy (GTK_WINDOW (ed->window));
}

/* @editing: the climb to edit, or NULL to add one (named @name). */
static void
climb_form_present (GtkWidget        *owner,
                    TopoutStore      *store,
                    TopoutClimb      *editing,
                    const char       *name,
                    TopoutClimbAdded  added)
{
  ClimbEditor *ed = g_new0 (ClimbEditor, 1);
  GtkRoot *root = gtk_widget_get_root (owner);
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr (GSimpleAction) save = g_simple_action_new ("save", NULL);
  g_autoptr (GtkStringList) systems = gtk_string_list_new (NULL);
  g_autofree char *today = topout_store_today (store);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *id_info = NULL;
  GtkWidget *hint;
  const char *color;

  ed->store = g_object_ref (store);
  ed->owner = g_object_ref (owner);
  ed->added = added;
  ed->editing = editing != NULL ? topout_climb_copy (editing) : NULL;
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  if (editing != NULL)
    {
      /* The id ties the climb to the catalog file and to its routes: shown,
       * not to be changed. */
      id_info = adw_action_row_new ();
      gtk_widget_set_name (id_info, "climb-id");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (id_info), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (id_info), _("Catalog id"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (id_info), topout_climb_get_id (editing));
    }
  else
    ed->id_row = topout_form_entry_row_new (_("Catalog _id (optional)"), "climb-id", NULL);
  ed->name_row = topout_form_entry_row_new (_("_Name"), "climb-name", name);
  ed->grade_row = topout_form_entry_row_new (_("_Grade"), "climb-grade", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (grade_systems); i++)
    gtk_string_list_append (systems, topout_grade_system_get_label (grade_systems[i]));
  ed->system_row = adw_combo_row_new ();
  gtk_widget_set_name (ed->system_row, "climb-grade-system");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (ed->system_row), _("Grade _system"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (ed->system_row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (ed->system_row), G_LIST_MODEL (systems));
  ed->color_row = topout_form_entry_row_new (_("_Colour (optional)"), "climb-color", NULL);
  ed->wall_row = topout_form_entry_row_new (_("_Wall (optional)"), "climb-wall", NULL);
  ed->set_on_row = topout_form_entry_row_new (_("_Set on (YYYY-MM-DD)"), "climb-set-on", today);

  gtk_list_box_append (GTK_LIST_BOX (list), editing != NULL ? id_info : ed->id_row);
  gtk_list_box_append (GTK_LIST_BOX (list), ed->name_row);
  gtk_list_box_append (GTK_LIST_BOX (list), ed->grade_row);
  gtk_list_box_append (GTK_LIST_BOX (list), ed->system_row);
  gtk_list_box_append (GTK_LIST_BOX (list), ed->color_row);
  gtk_list_box_append (GTK_LIST_BOX (list), ed->wall_row);
  gtk_list_box_append (GTK_LIST_BOX (list), ed->set_on_row);
  gtk_box_append (GTK_BOX (content), list);

  if (editing != NULL)
    {
      guint system = 0;

      gtk_editable_set_text (GTK_EDITABLE (ed->name_row), topout_climb_get_name (editing));
      gtk_editable_set_text (GTK_EDITABLE (ed->grade_row), topout_climb_get_grade (editing));
      for (guint i = 0; i < G_N_ELEMENTS (grade_systems); i++)
        if (grade_systems[i] == topout_climb_get_grade_system (editing))
          system = i;
      adw_combo_row_set_selected (ADW_COMBO_ROW (ed->system_row), system);
      /* The colour by the name its row shows, in the UI's language. */
      color = topout_climb_get_color (editing);
      ed->color_shown = g_strdup (topout_color_name_for (color) ?: color);
      gtk_editable_set_text (GTK_EDITABLE (ed->color_row), ed->color_shown ?: "");
      gtk_editable_set_text (GTK_EDITABLE (ed->wall_row), topout_climb_get_wall (editing) ?: "");
      gtk_editable_set_text (GTK_EDITABLE (ed->set_on_row), topout_climb_get_set_on (editing) ?: "");
      /* Translators: “red” is a colour word of your language that Topout
       * reads (the name it shows for “Red”); any name it shows works, and
       * for German and French the colour words an import reads too. */
      hint = gtk_label_new (_("The id ties this climb to the gym’s catalog file and to the routes logged on it, so it "
                              "stays. Routes already logged keep the grade they were logged at. A colour is a name "
                              "(“red”) or a code (“#e01b24”)."));
    }
  else
    /* Translators: “red” is a colour word of your language that Topout
     * reads (the name it shows for “Red”); any name it shows works, and for
     * German and French the colour words an import reads too. */
    hint = gtk_label_new (_("With a gym’s catalog file, the id is the one in it, so a later import updates this "
                            "climb; a climb of your own needs none. A colour is a name (“red”) or a code (“#e01b24”)."));
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");

  /* A refusal right under the fields, before the hint (five lines at
   * 360 px). */
  ed->error_label = topout_form_error_label_new ();
  gtk_box_append (GTK_BOX (content), ed->error_label);
  gtk_box_append (GTK_BOX (content), hint);

  ed->window = topout_form_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       editing != NULL ? _("Edit Climb") : _("Add Climb"),
                                       editing != NULL ? _("_Save") : _("_Add"), "editor.save", content, NULL);
  gtk_widget_set_name (ed->window, "climb-editor");
  ed->color_preview = topout_color_swatch_new (NULL);
  gtk_widget_set_name (ed->color_preview, "climb-color-preview");
  adw_entry_row_add_prefix (ADW_ENTRY_ROW (ed->color_row), ed->color_preview);
  g_signal_connect_swapped (ed->color_row, "changed", G_CALLBACK (editor_color_changed_cb), ed);
  editor_color_changed_cb (ed);
  g_signal_connect (save, "activate", G_CALLBACK (editor_save_cb), ed);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (save));
  gtk_widget_insert_action_group (ed->window, "editor", G_ACTION_GROUP (group));
  g_object_set_data_full (G_OBJECT (ed->window), "topout-editor", ed, climb_editor_free);

  gtk_window_present (GTK_WINDOW (ed->window));
  gtk_widget_grab_focus (editing != NULL ? ed->name_row : name != NULL ? ed->grade_row : ed->id_row);
}

void
topout_climb_form_present (GtkWidget        *owner,
                           TopoutStore      *store,
                           const char       *name,
                           TopoutClimbAdded  added)
{
  climb_form_present (owner, store, NULL, name, added);
}

static void
climb_added_cb (GtkWidget   *owner,
                TopoutClimb *climb)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (owner);

  g_hash_table_remove (self->retired_here, topout_climb_get_id (climb));
  reload (self);
}

static void
add_action (GtkWidget *widget,
            GVariant  *param)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (widget);

  topout_climb_form_present (widget, self->store, NULL, climb_added_cb);
}

static void
edit_action (GtkWidget *widget,
             GVariant  *param)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (widget);
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutClimb) climb = topout_store_get_climb (self->store, g_variant_get_string (param, NULL), &error);

  if (climb == NULL)
    {
      toast (self, error->message);
      return;
    }
  climb_form_present (widget, self->store, climb, NULL, climb_added_cb);
}

/* Undo of an edit: the climb as it was, through the staff PIN (the toast
 * may outlive staff access). */
static void
undo_edit_action (GtkWidget *widget,
                  GVariant  *param)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (widget);
  g_autoptr (TopoutClimb) before = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *id = NULL;

  /* An edit undone once (or the view made anew) is gone. */
  if (!g_hash_table_steal_extended (self->edited_before, g_variant_get_string (param, NULL), (gpointer *) &id,
                                    (gpointer *) &before))
    return;
  if (!topout_store_update_climb (self->store, before, &error))
    {
      toast (self, error->message);
      return;
    }
  /* Translators: a toast after undoing an edit of a climb */
  message = g_strdup_printf (_("Restored %s as it was"), topout_climb_get_name (before));
  reload (self);
  /* Translators: the same toast, one line at 360 px, where the climb's
   * name does not fit */
  topout_show_toast (GTK_WIDGET (self), topout_toast_new_fitting (message, _("Restored as it was"), NULL));
}

static void
edit_undo_cb (AdwToast          *toast_,
              TopoutCatalogView *self)
{
  topout_kiosk_run_as_staff (self->kiosk, GTK_WIDGET (self), undo_edit_action,
                             g_variant_new_string (g_object_get_data (G_OBJECT (toast_), "climb-id")));
}

/* After an edit saved: "Saved Crimp Street", with Undo in the catalog. */
static void
climb_edited (GtkWidget   *owner,
              TopoutClimb *before,
              TopoutClimb *after)
{
  /* Translators: a toast after editing a climb of the catalog */
  g_autofree char *message = g_strdup_printf (_("Saved %s"), topout_climb_get_name (after));
  /* Translators: the same toast, one line at 360 px, where the climb's
   * name does not fit (its Undo is described with the whole text) */
  AdwToast *t = topout_toast_new_fitting (message, _("Climb saved"), NULL);

  if (TOPOUT_IS_CATALOG_VIEW (owner))
    {
      TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (owner);

      /* Two edits of one climb: Undo brings back what was before the last. */
      g_hash_table_replace (self->edited_before, g_strdup (topout_climb_get_id (before)), g_object_ref (before));
      adw_toast_set_button_label (t, _("_Undo"));
      adw_toast_set_priority (t, ADW_TOAST_PRIORITY_HIGH);
      g_object_set_data_full (G_OBJECT (t), "climb-id", g_strdup (topout_climb_get_id (before)), g_free);
      g_signal_connect_object (t, "button-clicked", G_CALLBACK (edit_undo_cb), owner, 0);
    }
  topout_show_toast (owner, t);
}

/* Retire and restore -------------------------------------------------------------- */

static void set_retired (TopoutCatalogView *self,
                         const char        *climb_id,
                         gboolean           retired,
                         gboolean           offer_undo);

static void restore_action (GtkWidget *widget,
                            GVariant  *param);

/* Through the staff PIN: the toast may outlive staff access (the kiosk
 * locked while it was on screen). */
static void
retire_undo_cb (AdwToast          *toast_,
                TopoutCatalogView *self)
{
  const char *climb_id = g_object_get_data (G_OBJECT (toast_), "climb-id");

  topout_kiosk_run_as_staff (self->kiosk, GTK_WIDGET (self), restore_action, g_variant_new_string (climb_id));
}

static void
set_retired (TopoutCatalogView *self,
             const char        *climb_id,
             gboolean           retired,
             gboolean           offer_undo)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = climb_name (self, climb_id);
  g_autofree char *message = NULL;
  AdwToast *t;

  if (!topout_store_set_climb_retired (self->store, climb_id, retired, &error))
    {
      toast (self, error->message);
      return;
    }
  if (retired)
    g_hash_table_add (self->retired_here, g_strdup (climb_id));
  reload (self);

  if (retired)
    /* Translators: a toast after retiring a climb */
    message = g_strdup_printf (_("Retired %s"), name);
  else
    /* Translators: a toast after restoring a retired climb */
    message = g_strdup_printf (_("Restored %s"), name);
  /* Translators: the same toasts, one line at 360 px, where the climb's
   * name does not fit */
  t = topout_toast_new_fitting (message, retired ? _("Climb retired") : _("Climb restored"), NULL);
  if (offer_undo)
    {
      adw_toast_set_button_label (t, _("_Undo"));
      adw_toast_set_priority (t, ADW_TOAST_PRIORITY_HIGH);
      g_object_set_data_full (G_OBJECT (t), "climb-id", g_strdup (climb_id), g_free);
      g_signal_connect_object (t, "button-clicked", G_CALLBACK (retire_undo_cb), self, 0);
    }
  topout_show_toast (GTK_WIDGET (self), t);
}

static void
retire_action (GtkWidget *widget,
               GVariant  *param)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (widget);

  set_retired (self, g_variant_get_string (param, NULL), TRUE, TRUE);
}

static void
restore_action (GtkWidget *widget,
                GVariant  *param)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (widget);

  set_retired (self, g_variant_get_string (param, NULL), FALSE, FALSE);
}

/* Import ---------------------------------------------------------------------- */

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (source);
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) problems = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *file_name = NULL;

  report = topout_file_import_finish (result, &file_name, &problems, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->importing = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "catalog.import", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "catalog.import-file", TRUE);
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
start_import (TopoutCatalogView *self,
              GFile             *file,
              gboolean           retire_missing)
{
  if (self->importing)
    return;
  self->importing = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "catalog.import", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "catalog.import-file", FALSE);
  topout_file_import_start (GTK_WIDGET (self), self->store, file, retire_missing, self->cancellable,
                            import_done_cb, NULL);
}

static void
import_file_action (GtkWidget *widget,
                    GVariant  *param)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (widget);
  const char *path;
  gboolean retire_missing;
  g_autoptr (GFile) file = NULL;

  g_variant_get (param, "(&sb)", &path, &retire_missing);
  file = g_file_new_for_path (path);
  start_import (self, file, retire_missing);
}

static void
import_uri (GtkWidget *widget,
            GVariant  *param)
{
  const char *uri;
  gboolean retire_missing;
  g_autoptr (GFile) file = NULL;

  g_variant_get (param, "(&sb)", &uri, &retire_missing);
  file = g_file_new_for_uri (uri);
  start_import (TOPOUT_CATALOG_VIEW (widget), file, retire_missing);
}

static void
chooser_response_cb (GtkNativeDialog    *chooser,
                     int                 response,
                     TopoutCatalogView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      const char *retire = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "retire-missing");

      /* Through the PIN again: the chooser (a portal's, another program's
       * window) may have stayed open after the kiosk locked. */
      if (file != NULL)
        {
          g_autofree char *uri = g_file_get_uri (file);

          topout_kiosk_run_as_staff (self->kiosk, GTK_WIDGET (self), import_uri,
                                     g_variant_new ("(sb)", uri, g_strcmp0 (retire, "true") == 0));
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
import_action (GtkWidget *widget,
               GVariant  *param)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Catalog"), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Catalog files (JSON, CSV)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "retire-missing",
                               _("Retire climbs missing from the file"), NULL, NULL);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "retire-missing", "false");
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Actions --------------------------------------------------------------------- */

static void
action_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *param)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (widget);
  static const struct {
    const char *name;
    TopoutKioskStaffFunc func;
  } table[] = {
    { "catalog.add", add_action },
    { "catalog.edit", edit_action },
    { "catalog.retire", retire_action },
    { "catalog.restore", restore_action },
    { "catalog.import", import_action },
    { "catalog.import-file", import_file_action },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_strcmp0 (action_name, table[i].name) == 0)
      {
        topout_kiosk_run_as_staff (self->kiosk, widget, table[i].func, param);
        return;
      }
}

static void
focus_search_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  gtk_widget_grab_focus (GTK_WIDGET (TOPOUT_CATALOG_VIEW (widget)->search_entry));
}

/* The list ------------------------------------------------------------------ */


/* Edit, and Retire or Restore: labelled or (@compact) icons alone. */
static GtkWidget *
row_buttons_new (gboolean    compact,
                 const char *name,
                 const char *id,
                 gboolean    retired)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  /* Translators: the accessible name of a catalog row's button: "Edit Crimp Street" */
  g_autofree char *edit = g_strdup_printf (_("Edit %s"), name);
  /* Translators: "Restore Crimp Street" */
  g_autofree char *restore = g_strdup_printf (_("Restore %s"), name);
  /* Translators: "Retire Crimp Street" */
  g_autofree char *retire = g_strdup_printf (_("Retire %s"), name);

  gtk_box_append (GTK_BOX (box), topout_row_button_new (compact, _("_Edit"), "document-edit-symbolic", edit,
                                                 "catalog.edit", id));
  if (retired)
    gtk_box_append (GTK_BOX (box), topout_row_button_new (compact, _("_Restore"), "edit-undo-symbolic", restore,
                                                   "catalog.restore", id));
  else
    gtk_box_append (GTK_BOX (box), topout_row_button_new (compact, _("_Retire"), "action-unavailable-symbolic", retire,
                                                   "catalog.retire", id));
  return box;
}

static GtkWidget *
climb_row_new (TopoutClimb *climb)
{
  const char *id = topout_climb_get_id (climb);
  const char *name = topout_climb_get_name (climb);
  const char *color = topout_climb_get_color (climb);
  const char *wall = topout_climb_get_wall (climb);
  const char *set_on = topout_climb_get_set_on (climb);
  gboolean retired = topout_climb_get_retired (climb);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *grade = gtk_label_new (topout_climb_get_grade (climb));
  GtkWidget *swatch;
  const char *color_name = topout_color_name_for (color);
  g_autoptr (GString) subtitle = g_string_new (NULL);
  g_autofree char *accessible = NULL;

  /* "Red · V-scale · Cave · Set on Sat 21 Nov 2026 · id c-12" */
  if (color_name != NULL)
    g_string_append_printf (subtitle, "%s · ", color_name);
  else if (color != NULL && *color != '\0')
    g_string_append_printf (subtitle, "%s · ", color);
  g_string_append (subtitle, topout_grade_system_get_label (topout_climb_get_grade_system (climb)));
  if (wall != NULL && *wall != '\0')
    g_string_append_printf (subtitle, " · %s", wall);
  if (set_on != NULL && *set_on != '\0')
    {
      g_autofree char *date = topout_format_date (set_on);

      /* Translators: when a climb was set: "Set on Sat 21 Nov 2026" */
      g_string_append (subtitle, " · ");
      g_string_append_printf (subtitle, _("Set on %s"), date);
    }
  g_string_append (subtitle, " · ");
  /* Translators: the catalog id of a climb: "id c-12" */
  g_string_append_printf (subtitle, _("id %s"), id);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  /* A long name ends in an ellipsis rather than making the row tall. */
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_set_name (row, id);
  swatch = topout_color_swatch_new (color);
  topout_color_swatch_set_size (TOPOUT_COLOR_SWATCH (swatch), 22);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), swatch);

  /* The grade is the rows' first column (a prefix goes before the ones
   * added earlier), the same width in every row (a grade longer than
   * "V4-V5" widens its own): after the name, each row's sat elsewhere,
   * and a long name pushed it. */
  gtk_widget_add_css_class (grade, "catalog-grade");
  gtk_widget_set_valign (grade, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (grade), 0);
  gtk_label_set_width_chars (GTK_LABEL (grade), GRADE_CHARS);
  /* Translators: the accessible name of a grade label: "Grade V4" */
  accessible = g_strdup_printf (_("Grade %s"), topout_climb_get_grade (climb));
  gtk_accessible_update_property (GTK_ACCESSIBLE (grade), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), grade);
  /* The row is heard by its name, then its subtitle: the grade and the
   * Retired tag beside them were never read. */
  {
    g_autofree char *heard = retired
      /* Translators: a retired climb's row as a screen reader says it: "Crimp Street, Grade 6B, retired" */
      ? g_strdup_printf (C_("catalog row", "%s, %s, retired"), name, accessible)
      /* Translators: a climb's row as a screen reader says it: "Crimp Street, Grade 6B" */
      : g_strdup_printf (C_("catalog row", "%s, %s"), name, accessible);

    gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, heard, -1);
  }
  g_clear_pointer (&accessible, g_free);

  if (retired)
    {
      GtkWidget *tag = gtk_label_new (_("Retired"));

      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "catalog-tag");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
      gtk_widget_add_css_class (row, "retired");
    }

  /* Labelled buttons, or their icons alone when the window is too narrow
   * for the labels, whichever fits. */
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             topout_row_buttons_squeezer_new (row_buttons_new (FALSE, name, id, retired),
                                                              row_buttons_new (TRUE, name, id, retired)));
  return row;
}

static gboolean
matches (const char *value,
         const char *needle)
{
  g_autofree char *folded = NULL;

  if (needle == NULL || *needle == '\0')
    return TRUE;
  if (value == NULL)
    return FALSE;
  folded = g_utf8_casefold (value, -1);
  return strstr (folded, needle) != NULL;
}

static int
compare_climb_names (gconstpointer a,
                     gconstpointer b)
{
  TopoutClimb *ca = *(TopoutClimb **) a;
  TopoutClimb *cb = *(TopoutClimb **) b;

  return g_utf8_collate (topout_climb_get_name (ca), topout_climb_get_name (cb));
}

static void
reload (TopoutCatalogView *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean show_retired = gtk_toggle_button_get_active (self->retired_toggle);
  g_autofree char *needle = g_utf8_casefold (query, -1);
  g_autoptr (GPtrArray) climbs = NULL;
  g_autoptr (GPtrArray) any = NULL;
  g_autoptr (GPtrArray) retired = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key;
  TopoutListFocus *focus;

  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  if (self->store == NULL)
    return;

  /* The keyboard stays on the row (a climb just retired stays listed). */
  focus = topout_list_box_save_focus (self->list_box);
  topout_list_box_remove_rows (self->list_box);

  climbs = topout_store_find_climbs_full (self->store, query, NULL, show_retired, LIST_LIMIT);
  for (guint i = 0; i < climbs->len; i++)
    gtk_list_box_append (self->list_box, climb_row_new (g_ptr_array_index (climbs, i)));

  /* The climbs retired here, after the others (all are listed with Show
   * Retired). */
  g_hash_table_iter_init (&iter, self->retired_here);
  while (!show_retired && g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr (TopoutClimb) climb = topout_store_get_climb (self->store, key, NULL);

      if (climb != NULL && topout_climb_get_retired (climb) &&
          (matches (topout_climb_get_name (climb), needle) || matches (topout_climb_get_grade (climb), needle) ||
           matches (topout_climb_get_color (climb), needle) || topout_color_matches (topout_climb_get_color (climb), query) ||
           matches (topout_climb_get_wall (climb), needle)))
        g_ptr_array_add (retired, g_steal_pointer (&climb));
    }
  g_ptr_array_sort (retired, compare_climb_names);
  for (guint i = 0; i < retired->len; i++)
    gtk_list_box_append (self->list_box, climb_row_new (g_ptr_array_index (retired, i)));
  topout_list_box_refocus (self->list_box, focus);

  /* Retired climbs count: a catalog all retired (an import that retired
   * what its file lacked) is not empty, its climbs are a toggle away. */
  any = topout_store_find_climbs_full (self->store, NULL, NULL, TRUE, 1);
  gtk_stack_set_visible_child_name (self->stack, any->len > 0 ? "list" : "empty");
}

static gboolean
reload_idle_cb (gpointer data)
{
  TopoutCatalogView *self = data;

  self->reload_idle_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
queue_reload (TopoutCatalogView *self)
{
  if (self->reload_idle_id == 0)
    self->reload_idle_id = g_idle_add (reload_idle_cb, self);
}

static void
search_changed_cb (TopoutCatalogView *self)
{
  reload (self);
}

/* GObject ---------------------------------------------------------------------- */

static void
topout_catalog_view_constructed (GObject *object)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (object);

  G_OBJECT_CLASS (topout_catalog_view_parent_class)->constructed (object);

  if (self->store != NULL)
    {
      g_signal_connect_object (self->store, "sessions-reset", G_CALLBACK (queue_reload), self, G_CONNECT_SWAPPED);
      reload (self);
    }
}

static void
topout_catalog_view_dispose (GObject *object)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_idle_id, g_source_remove);

  G_OBJECT_CLASS (topout_catalog_view_parent_class)->dispose (object);
}

static void
topout_catalog_view_finalize (GObject *object)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->kiosk);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->retired_here, g_hash_table_unref);
  g_clear_pointer (&self->edited_before, g_hash_table_unref);

  G_OBJECT_CLASS (topout_catalog_view_parent_class)->finalize (object);
}

static void
topout_catalog_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (object);

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
topout_catalog_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TopoutCatalogView *self = TOPOUT_CATALOG_VIEW (object);

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

static void
topout_catalog_view_class_init (TopoutCatalogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = topout_catalog_view_constructed;
  object_class->dispose = topout_catalog_view_dispose;
  object_class->finalize = topout_catalog_view_finalize;
  object_class->get_property = topout_catalog_view_get_property;
  object_class->set_property = topout_catalog_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TOPOUT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIOSK] =
    g_param_spec_object ("kiosk", NULL, NULL, TOPOUT_TYPE_KIOSK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/topout-catalog-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TopoutCatalogView, stack);
  gtk_widget_class_bind_template_child (widget_class, TopoutCatalogView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TopoutCatalogView, list_box);
  gtk_widget_class_bind_template_child (widget_class, TopoutCatalogView, import_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutCatalogView, retired_toggle);
  gtk_widget_class_bind_template_child (widget_class, TopoutCatalogView, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_install_action (widget_class, "catalog.add", NULL, action_cb);
  gtk_widget_class_install_action (widget_class, "catalog.edit", "s", action_cb);
  gtk_widget_class_install_action (widget_class, "catalog.retire", "s", action_cb);
  gtk_widget_class_install_action (widget_class, "catalog.restore", "s", action_cb);
  gtk_widget_class_install_action (widget_class, "catalog.import", NULL, action_cb);
  /* (path, retire missing): the import without the file chooser. */
  gtk_widget_class_install_action (widget_class, "catalog.import-file", "(sb)", action_cb);
  gtk_widget_class_install_action (widget_class, "catalog.focus-search", NULL, focus_search_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "catalog.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "catalog.focus-search", NULL);

  gtk_widget_class_set_css_name (widget_class, "catalogview");
}

static void
topout_catalog_view_init (TopoutCatalogView *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->retired_here = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->edited_before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  placeholder = gtk_label_new (_("No climb matches the search"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  topout_list_box_set_placeholder (self->list_box, placeholder);
  /* Tab: a row, its buttons, then out of the list (it went through every
   * row and button, two stops a climb); Up and Down move between rows. */
  topout_list_box_row_tab_stops (self->list_box);
}

GtkWidget *
topout_catalog_view_new (TopoutStore *store,
                         TopoutKiosk *kiosk)
{
  return g_object_new (TOPOUT_TYPE_CATALOG_VIEW, "store", store, "kiosk", kiosk, NULL);
}
