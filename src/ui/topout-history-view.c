#define G_LOG_DOMAIN "topout-history-view"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "topout-export.h"
#include "topout-history-model.h"
#include "topout-history-row.h"
#include "topout-history-view.h"
#include "topout-session-editor.h"
#include "topout-ui-util.h"
#include "topout-wrap-box.h"

/* Climbers offered in the filter's popover at once (the search narrows it). */
#define CLIMBER_RESULTS_LIMIT 50

struct _TopoutHistoryView
{
  AdwBin              parent_instance;

  TopoutStore        *store;
  TopoutKiosk        *kiosk;
  TopoutHistoryModel *model;
  char               *climber_id;   /* the climber filter, NULL = all */
  GList              *rows;         /* TopoutHistoryRow made by the factory (not owned) */
  gulong              short_names_id;
  GSettings          *settings;
  gboolean            local_only;   /* no sync server is set up */
  gboolean            block_filters; /* while several filters change at once */

  /* Template children */
  GtkMenuButton      *climber_button;
  GtkMenuButton      *transfer_button;
  GtkLabel           *climber_button_label;
  GtkPopover         *climber_popover;
  GtkSearchEntry     *climber_search;
  GtkListBox         *climber_list;
  GtkDropDown        *type_dropdown;
  GtkDropDown        *sync_dropdown;
  GtkWidget          *filter_bar;
  GtkWidget          *actions_box;
  GtkWidget          *new_past_button;
  GtkWidget          *new_past_icon_button;
  GtkStack           *stack;
  GtkGridView        *list_view;
  GtkRevealer        *transfer_revealer;
  GtkLabel           *transfer_label;
  GtkProgressBar     *transfer_progress;

  /* The export or import running now (one at a time), NULL when none. */
  struct _Transfer   *transfer;
};

G_DEFINE_FINAL_TYPE (TopoutHistoryView, topout_history_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_KIOSK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
short_names (TopoutHistoryView *self)
{
  return self->kiosk != NULL && topout_kiosk_get_short_names (self->kiosk);
}

static GtkWindow *
parent_window (TopoutHistoryView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Empty states ------------------------------------------------------------ */

static gboolean
filters_active (TopoutHistoryView *self)
{
  return self->climber_id != NULL ||
         gtk_drop_down_get_selected (self->type_dropdown) > 0 ||
         gtk_drop_down_get_selected (self->sync_dropdown) > 0;
}

static void
update_page (TopoutHistoryView *self)
{
  const char *page = "list";

  if (self->model == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    page = filters_active (self) ? "no-match" : "empty";
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), page) != 0)
    gtk_stack_set_visible_child_name (self->stack, page);
}

static void
model_items_changed_cb (TopoutHistoryView *self)
{
  update_page (self);
}

/* Filters --------------------------------------------------------------- */

static int
dropdown_value (GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  /* Item 0 is "All …"; item n is the enum value n - 1. */
  return (selected == GTK_INVALID_LIST_POSITION || selected == 0) ? -1 : (int) selected - 1;
}

static void
apply_filters (TopoutHistoryView *self)
{
  if (self->model == NULL || self->block_filters)
    return;
  topout_history_model_set_filter (self->model, self->climber_id,
                                   dropdown_value (self->type_dropdown),
                                   dropdown_value (self->sync_dropdown));
  update_page (self);
}

static void
filter_dropdown_changed_cb (TopoutHistoryView *self)
{
  apply_filters (self);
}

/* The filters' buttons when they let every session through (short: they
 * and New Past Session fit two lines at 360 px). */
static const char *
all_climbers_short (void)
{
  /* Translators: History's climber filter button when it shows every
   * climber (its list says "All climbers"). Keep it short: History's
   * filters have two lines of a phone's width (about 20 characters each
   * line for this and the type filter's "All types" together). */
  return C_("history filter button", "All climbers");
}

static const char *
all_types_short (void)
{
  /* Translators: History's session type filter button when it shows every
   * type (its list says "All types"). Keep it short, see "All climbers". */
  return C_("history filter button", "All types");
}

static const char *
all_sync_states_short (void)
{
  /* Translators: History's sync state filter button when it shows every
   * state (its list says "All sync states"). Keep it short: it shares its
   * line with two icon buttons on a phone (about 20 characters). */
  return C_("history filter button", "All sync states");
}

static void
update_climber_button (TopoutHistoryView *self,
                       const char        *display_name)
{
  g_autofree char *name = NULL;
  g_autofree char *a11y = NULL;

  if (self->climber_id == NULL)
    name = g_strdup (_("All climbers"));
  else
    name = topout_format_climber_name (display_name, short_names (self));
  gtk_label_set_label (self->climber_button_label, self->climber_id == NULL ? all_climbers_short () : name);
  /* Translators: accessible label of the climber filter; %s is a name or "All climbers" */
  a11y = g_strdup_printf (_("Climber filter: %s"), name);
  topout_menu_button_name (self->climber_button, a11y);
}

static void
set_climber_filter (TopoutHistoryView *self,
                    const char        *climber_id)
{
  g_autoptr (TopoutClimber) climber = NULL;

  if (climber_id != NULL && *climber_id == '\0')
    climber_id = NULL;
  if (climber_id != NULL)
    {
      climber = topout_store_get_climber (self->store, climber_id, NULL);
      if (climber == NULL)
        climber_id = NULL;
    }
  if (g_strcmp0 (self->climber_id, climber_id) != 0)
    {
      g_free (self->climber_id);
      self->climber_id = g_strdup (climber_id);
      apply_filters (self);
    }
  update_climber_button (self, climber ? topout_climber_get_display_name (climber) : NULL);
}

static GtkWidget *
climber_list_row_new (const char *climber_id,
                      const char *title,
                      const char *subtitle,
                      gboolean    selected)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (texts), label);
  if (subtitle != NULL && *subtitle != '\0')
    {
      GtkWidget *sub = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_widget_add_css_class (sub, "caption");
      gtk_box_append (GTK_BOX (texts), sub);
    }
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_widget_set_visible (check, selected);
  /* Tab into the list lands on it. */
  if (selected)
    topout_list_box_row_set_chosen (GTK_LIST_BOX_ROW (row));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chosen"),
                                  -1);
  gtk_box_append (GTK_BOX (box), check);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  g_object_set_data_full (G_OBJECT (row), "climber-id", g_strdup (climber_id ? climber_id : ""), g_free);
  return row;
}

static void
fill_climber_list (TopoutHistoryView *self)
{
  g_autoptr (GPtrArray) climbers = NULL;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->climber_search));

  topout_list_box_remove_rows (self->climber_list);

  if (query == NULL || *query == '\0')
    gtk_list_box_append (self->climber_list,
                         climber_list_row_new (NULL, _("All climbers"), NULL, self->climber_id == NULL));

  /* One short, limited query per keystroke pause (GtkSearchEntry debounces). */
  climbers = topout_store_find_climbers (self->store, query, FALSE, CLIMBER_RESULTS_LIMIT);
  for (guint i = 0; climbers != NULL && i < climbers->len; i++)
    {
      TopoutClimber *c = g_ptr_array_index (climbers, i);
      g_autofree char *name = topout_format_climber_name (topout_climber_get_display_name (c),
                                                          short_names (self));

      gtk_list_box_append (self->climber_list,
                           climber_list_row_new (topout_climber_get_id (c), name,
                                                 topout_climber_get_member_code (c),
                                                 g_strcmp0 (self->climber_id, topout_climber_get_id (c)) == 0));
    }
}

static void
climber_popover_show_cb (TopoutHistoryView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->climber_search), "");
  fill_climber_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->climber_search));
}

/* Ctrl+F: the climber filter opens, its search focused. */
static void
find_climber_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (widget);

  gtk_menu_button_popup (self->climber_button);
}

static void
climber_search_changed_cb (TopoutHistoryView *self)
{
  if (self->store != NULL)
    fill_climber_list (self);
}

static void
choose_climber_row (TopoutHistoryView *self,
                    GtkListBoxRow     *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "climber-id");

  gtk_widget_activate_action (GTK_WIDGET (self), "history.filter-climber", "s", id ? id : "");
  gtk_popover_popdown (self->climber_popover);
}

static void
climber_search_activate_cb (TopoutHistoryView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->climber_list, 0);

  /* Enter picks the first match (skipping "All climbers" when searching). */
  if (row != NULL)
    choose_climber_row (self, row);
}

static void
climber_row_activated_cb (TopoutHistoryView *self,
                          GtkListBoxRow     *row)
{
  choose_climber_row (self, row);
}

/* Rows ------------------------------------------------------------------ */

static void
row_destroy_cb (TopoutHistoryView *self,
                GtkWidget         *row)
{
  self->rows = g_list_remove (self->rows, row);
}

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  TopoutHistoryView        *self)
{
  GtkWidget *row = topout_history_row_new ();

  topout_history_row_set_short_names (TOPOUT_HISTORY_ROW (row), short_names (self));
  topout_history_row_set_local_only (TOPOUT_HISTORY_ROW (row), self->local_only);
  gtk_list_item_set_child (item, row);
  self->rows = g_list_prepend (self->rows, row);
  /* GTK 4.8 may finalize a row without the factory's teardown (the list
   * then held a freed row, touched by the next change of short names or of
   * the sync server). */
  g_signal_connect_object (row, "destroy", G_CALLBACK (row_destroy_cb), self, G_CONNECT_SWAPPED);
}

static void
factory_teardown_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     TopoutHistoryView        *self)
{
  self->rows = g_list_remove (self->rows, gtk_list_item_get_child (item));
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 TopoutHistoryView        *self)
{
  /* No SQL here: everything shown is on the session snapshot. */
  topout_history_row_set_session (TOPOUT_HISTORY_ROW (gtk_list_item_get_child (item)),
                                  gtk_list_item_get_item (item));
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   TopoutHistoryView        *self)
{
  topout_history_row_set_session (TOPOUT_HISTORY_ROW (gtk_list_item_get_child (item)), NULL);
}

/* A server set up or removed in Preferences: the pending sessions' badges. */
static void
server_url_changed_cb (TopoutHistoryView *self)
{
  g_autofree char *server = g_settings_get_string (self->settings, "server-url");

  self->local_only = server[0] == '\0';
  for (GList *l = self->rows; l != NULL; l = l->next)
    topout_history_row_set_local_only (l->data, self->local_only);
}

static void
short_names_changed_cb (TopoutHistoryView *self)
{
  gboolean value = short_names (self);

  for (GList *l = self->rows; l != NULL; l = l->next)
    topout_history_row_set_short_names (l->data, value);
  set_climber_filter (self, self->climber_id);
}

static void
list_activate_cb (TopoutHistoryView *self,
                  guint              position)
{
  g_autoptr (TopoutSession) session = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (session != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "history.open-session", "s",
                                topout_session_get_id (session));
}

/* New Past Session's icon alone is linked to Export and Import beside it
 * (the labelled button stands apart; a style class only: the sizes stay).
 * The button out of sight is hidden from a screen reader as every
 * squeezer's are (topout-ui-util.c). */
static void
new_past_shown_cb (TopoutHistoryView *self,
                   GParamSpec        *pspec,
                   AdwSqueezer       *squeezer)
{
  gboolean compact = adw_squeezer_get_visible_child (squeezer) == self->new_past_icon_button;

  if (compact)
    gtk_widget_add_css_class (self->actions_box, "linked");
  else
    gtk_widget_remove_css_class (self->actions_box, "linked");
}

/* Actions --------------------------------------------------------------- */

/* The editor opened from a row of the list went away: the keyboard goes
 * back to that session's row. A save made the list's row again (the
 * widget that had the focus is gone: GTK gave it to the first filter at
 * the top of the page); a session no longer listed leaves it to the row
 * now in its place. */
static void
editor_destroy_cb (TopoutHistoryView *self,
                   GtkWidget         *editor)
{
  const char *id = g_object_get_data (G_OBJECT (editor), "topout-refocus-id");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (id == NULL || root == NULL || (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view))))
    return;
  for (GList *l = self->rows; l != NULL; l = l->next)
    {
      TopoutSession *session = topout_history_row_get_session (l->data);
      GtkWidget *item = gtk_widget_get_parent (l->data);

      if (session != NULL && item != NULL && gtk_widget_get_mapped (item) &&
          g_strcmp0 (topout_session_get_id (session), id) == 0 && gtk_widget_grab_focus (item))
        return;
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* @param: the session's id, or NULL for a new past session. */
static void
open_editor_now (GtkWidget *widget,
                 GVariant  *param)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (widget);
  TopoutSessionEditor *editor;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (self->store == NULL)
    return;
  if (param != NULL)
    editor = topout_session_editor_new_for_session (parent_window (self), self->store,
                                                    g_variant_get_string (param, NULL));
  else
    editor = topout_session_editor_new_past (parent_window (self), self->store, self->climber_id);
  /* A kiosk's touch screen: its controls as big as the desk's (style.css). */
  if (self->kiosk != NULL && topout_kiosk_get_enabled (self->kiosk))
    gtk_widget_add_css_class (GTK_WIDGET (editor), "kiosk");
  /* What staff typed in it before the kiosk locked comes back. */
  if (self->kiosk != NULL && param != NULL)
    {
      g_autoptr (GVariant) draft = topout_kiosk_take_draft (self->kiosk, g_variant_get_string (param, NULL));

      if (draft != NULL)
        topout_session_editor_restore_draft (editor, draft);
    }
  if (param != NULL && focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view)))
    {
      g_object_set_data_full (G_OBJECT (editor), "topout-refocus-id", g_variant_dup_string (param, NULL), g_free);
      g_signal_connect_object (editor, "destroy", G_CALLBACK (editor_destroy_cb), self, G_CONNECT_SWAPPED);
    }
  /* No wider than the window it opens over: on a narrow screen (a tiled
   * half screen, a 480 px kiosk) its own default width went off-screen. */
  {
    GtkWidget *parent = GTK_WIDGET (parent_window (self));
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (editor), &width, &height);
    if (parent != NULL && gtk_widget_get_width (parent) > 0 && gtk_widget_get_width (parent) < width)
      gtk_window_set_default_size (GTK_WINDOW (editor), gtk_widget_get_width (parent), height);
  }
  gtk_window_present (GTK_WINDOW (editor));
}

static void
open_editor (TopoutHistoryView *self,
             const char        *session_id)
{
  /* Kiosk mode: editing sessions is staff-only. */
  topout_kiosk_run_as_staff (self->kiosk, GTK_WIDGET (self), open_editor_now,
                             session_id != NULL ? g_variant_new_string (session_id) : NULL);
}

static void
open_session_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  open_editor (TOPOUT_HISTORY_VIEW (widget), g_variant_get_string (param, NULL));
}

static void
new_past_session_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  open_editor (TOPOUT_HISTORY_VIEW (widget), NULL);
}

static void
show_error_toast (TopoutHistoryView *self,
                  const GError      *error)
{
  topout_show_toast (GTK_WIDGET (self), topout_toast_new_plain (error->message));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (widget);
  g_autoptr (GError) error = NULL;

  if (!topout_store_retry_session (self->store, g_variant_get_string (param, NULL), &error))
    show_error_toast (self, error);
}

static void
keep_local_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (widget);
  g_autoptr (GError) error = NULL;

  if (!topout_store_keep_local_version (self->store, g_variant_get_string (param, NULL), &error))
    show_error_toast (self, error);
  else
    topout_show_toast (GTK_WIDGET (self),
                       topout_toast_new_fitting (_("This device’s version will be sent again"),
                                                 /* Translators: a toast, one line at 360 px, where
                                                  * "This device's version will be sent again" does
                                                  * not fit: about 20 characters */
                                                 _("Will be sent again"), NULL));
}

static void
filter_climber_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  set_climber_filter (TOPOUT_HISTORY_VIEW (widget), g_variant_get_string (param, NULL));
}

/* One climber's sessions, whatever the type and sync state (the Climbers
 * page's "Sessions"): the filters set at once, one pass over the list. */
static void
show_climber_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (widget);
  const char *climber_id = g_variant_get_string (param, NULL);
  gboolean others = gtk_drop_down_get_selected (self->type_dropdown) != 0 ||
                    gtk_drop_down_get_selected (self->sync_dropdown) != 0;

  self->block_filters = TRUE;
  gtk_drop_down_set_selected (self->type_dropdown, 0);
  gtk_drop_down_set_selected (self->sync_dropdown, 0);
  self->block_filters = FALSE;
  if (g_strcmp0 (self->climber_id, climber_id) != 0)
    set_climber_filter (self, climber_id);
  else if (others)
    apply_filters (self);
}

static void
select_enum (GtkDropDown *dropdown,
             int          value)
{
  guint n = g_list_model_get_n_items (gtk_drop_down_get_model (dropdown));
  guint position = (value < 0 || (guint) value + 1 >= n) ? 0 : (guint) value + 1;

  gtk_drop_down_set_selected (dropdown, position);
}

static void
filter_type_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  select_enum (TOPOUT_HISTORY_VIEW (widget)->type_dropdown, g_variant_get_int32 (param));
}

static void
filter_sync_state_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  select_enum (TOPOUT_HISTORY_VIEW (widget)->sync_dropdown, g_variant_get_int32 (param));
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (widget);

  g_clear_pointer (&self->climber_id, g_free);
  update_climber_button (self, NULL);
  /* One reset of the model for the three filters. */
  self->block_filters = TRUE;
  gtk_drop_down_set_selected (self->type_dropdown, 0);
  gtk_drop_down_set_selected (self->sync_dropdown, 0);
  self->block_filters = FALSE;
  apply_filters (self);
}

/* Construction ---------------------------------------------------------- */

static GListModel *
type_labels (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _("All types"));
  for (int t = TOPOUT_SESSION_TYPE_FUN; t <= TOPOUT_SESSION_TYPE_WORKOUT; t++)
    gtk_string_list_append (list, topout_session_type_get_label (t));
  return G_LIST_MODEL (list);
}

static GListModel *
sync_state_labels (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _("All sync states"));
  for (int s = TOPOUT_SYNC_STATE_LOCAL; s <= TOPOUT_SYNC_STATE_CONFLICT; s++)
    gtk_string_list_append (list, topout_sync_state_get_label (s));
  return G_LIST_MODEL (list);
}

static void
topout_history_view_constructed (GObject *object)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (object);
  GtkListItemFactory *factory;
  GtkNoSelection *selection;

  G_OBJECT_CLASS (topout_history_view_parent_class)->constructed (object);

  g_return_if_fail (TOPOUT_IS_STORE (self->store));

  self->model = topout_history_model_new (self->store);
  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (model_items_changed_cb), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (factory_teardown_cb), self);
  gtk_grid_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  /* No selection model that reads every row: a GtkNoSelection passes through. */
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_grid_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  if (self->kiosk != NULL)
    self->short_names_id = g_signal_connect_swapped (self->kiosk, "notify::short-names",
                                                     G_CALLBACK (short_names_changed_cb), self);
  update_climber_button (self, NULL);
  update_page (self);
}

/* Export and import ------------------------------------------------------- */

/* One export or import, run in a worker thread on its own store connection
 * (the UI's stays free); the worker only sets @permille, which a timer on the
 * UI thread shows in the progress bar. */
typedef struct _Transfer {
  gboolean            is_export;
  TopoutExportFormat  format;
  TopoutStore        *app_store;      /* opened again in the thread */
  char               *climber_id;     /* export: the view's filters, what its list shows */
  int                 session_type;   /* -1: every type */
  int                 sync_state;     /* -1: every state */
  GFile              *file;
  GCancellable       *cancellable;
  int                 permille;       /* atomic */
  guint               n_sessions;     /* export */
  guint               n_completions;  /* export */
  guint               n_active;       /* export: running sessions it left out */
  TopoutImportReport *report;         /* import: success */
  TopoutImportReport *problems;       /* import: bad lines */
  guint               timer_id;
} Transfer;

static void
transfer_free (gpointer data)
{
  Transfer *t = data;

  g_clear_object (&t->app_store);
  g_free (t->climber_id);
  g_clear_object (&t->file);
  g_clear_object (&t->cancellable);
  g_clear_pointer (&t->report, topout_import_report_free);
  g_clear_pointer (&t->problems, topout_import_report_free);
  g_free (t);
}

static void
transfer_progress_cb (double   fraction,
                      gpointer user_data)
{
  Transfer *t = user_data;

  g_atomic_int_set (&t->permille, (int) (fraction * 1000));
}

static void
transfer_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Transfer *t = task_data;
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GError) error = NULL;

  if (!(store = topout_store_open_another (t->app_store, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (t->is_export)
    {
      TopoutExportFilter filter = {
        .climber_id = t->climber_id,
        .session_type = t->session_type >= 0 ? topout_session_type_to_key (t->session_type) : NULL,
        .sync_state = t->sync_state >= 0 ? topout_sync_state_to_key (t->sync_state) : NULL,
      };

      if (topout_store_export_to_file (store, t->format, &filter, t->file, transfer_progress_cb, t,
                                       t->cancellable, &t->n_sessions, &t->n_completions, &error))
        {
          /* Right after a league evening some are still open on the wall:
           * the toast says they are not in the file. */
          t->n_active = topout_store_count_active_left_out (store, &filter);
          g_task_return_boolean (task, TRUE);
        }
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (topout_file_is_session_export (t->file))
    t->report = topout_store_import_sessions (store, t->file, transfer_progress_cb, t, t->cancellable,
                                              &t->problems, &error);
  else
    t->report = topout_store_import_file (store, t->file, FALSE, &t->problems, &error);
  if (t->report != NULL || t->problems != NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
update_transfer_progress (TopoutHistoryView *self)
{
  Transfer *t = self->transfer;
  int permille = g_atomic_int_get (&t->permille);
  g_autofree char *text = NULL;

  gtk_progress_bar_set_fraction (self->transfer_progress, permille / 1000.0);
  /* Translators: the progress of an export or import, in percent. */
  text = g_strdup_printf (t->is_export ? _("Exporting… %d %%") : _("Importing… %d %%"), permille / 10);
  gtk_label_set_label (self->transfer_label, text);
}

static gboolean
transfer_tick_cb (gpointer user_data)
{
  update_transfer_progress (TOPOUT_HISTORY_VIEW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
set_transfer_actions_enabled (TopoutHistoryView *self,
                              gboolean           idle)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.export", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.export-to", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.import", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.import-file", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.cancel-transfer", !idle);
}

static void
transfer_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (source);
  GTask *task = G_TASK (result);
  Transfer *t = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_file_get_basename (t->file);
  g_autofree char *message = NULL;
  /* Shorter titles, where the message does not fit on one line (360 px, a
   * long file name): each drops its end. */
  g_autofree char *shorter = NULL;
  g_autofree char *shortest = NULL;

  g_task_propagate_boolean (task, &error);
  g_clear_handle_id (&t->timer_id, g_source_remove);
  if (self->transfer == t)
    self->transfer = NULL;
  /* The view went away while the worker ran. */
  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;

  gtk_revealer_set_reveal_child (self->transfer_revealer, FALSE);
  set_transfer_actions_enabled (self, TRUE);
  /* The import wrote through its own connection. */
  topout_store_check_external_changes (self->store);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      message = g_strdup (t->is_export ? _("Export cancelled; no file was written.")
                                       : _("Import cancelled; nothing was imported."));
      /* Translators: a toast, one line at 360 px, where "Export cancelled;
       * no file was written." (or the import's) does not fit: about 20
       * characters */
      shortest = g_strdup (t->is_export ? _("Nothing exported") : _("Nothing imported"));
    }
  else if (t->is_export && error == NULL)
    {
      /* Translators: how many sessions, then the file's name. */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u session to %s",
                                              "Exported %u sessions to %s", t->n_sessions),
                                 t->n_sessions, name);
      /* Translators: an export's toast, one line at 360 px, where
       * "Exported 12 sessions to FILE" does not fit */
      shortest = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u session", "Exported %u sessions",
                                               t->n_sessions),
                                  t->n_sessions);
      if (t->n_active > 0)
        {
          /* Translators: after "Exported 12 sessions to FILE": active
           * sessions History lists are not exported until they end. */
          g_autofree char *running = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "%u session still running was left out",
                                                                   "%u sessions still running were left out",
                                                                   t->n_active),
                                                      t->n_active);
          char *both;

          /* Translators: an export's toast: "Exported 12 sessions to FILE",
           * then "2 sessions still running were left out". */
          both = g_strdup_printf (C_("export toast", "%s; %s"), message, running);
          g_free (message);
          message = both;
          shorter = g_strdup_printf (C_("export toast", "%s; %s"), shortest, running);
        }
    }
  else if (t->is_export)
    {
      topout_show_toast (GTK_WIDGET (self), topout_toast_new_export_failed (name, error));
      return;
    }
  else if (t->report != NULL && t->report->kind != TOPOUT_IMPORT_KIND_SESSIONS)
    {
      /* A catalog or climber file: reported as the Catalog and Climbers
       * views report it (the toast had no updated count, and no notes). */
      topout_show_file_import_report (parent_window (self), name, t->report);
      return;
    }
  else if (t->report != NULL)
    {
      /* Translators: counts of an import of sessions. */
      message = g_strdup_printf (_("Imported %u new, %u already here"), t->report->n_added, t->report->n_unchanged);
      /* Translators: an import's toast, one line at 360 px, where
       * "Imported 12 new, 3 already here" does not fit */
      shortest = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u new", "Imported %u new",
                                               t->report->n_added),
                                  t->report->n_added);
      if (t->report->n_matched > 0)
        {
          shorter = g_steal_pointer (&message);
          /* Translators: counts of an import of sessions; the last is of the
           * file's climbers found here by their member code (under another id). */
          message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "Imported %u new, %u already here; %u climber matched by member code",
                                                  "Imported %u new, %u already here; %u climbers matched by member code",
                                                  t->report->n_matched),
                                     t->report->n_added, t->report->n_unchanged, t->report->n_matched);
        }
    }
  else
    {
      topout_show_import_refused (parent_window (self), name, t->problems, error);
      return;
    }
  /* NULL ends the list: one shorter title or two. */
  if (shorter == NULL)
    shorter = g_steal_pointer (&shortest);
  topout_show_toast (GTK_WIDGET (self), topout_toast_new_fitting (message, shorter, shortest, NULL));
}

static void
start_transfer (TopoutHistoryView  *self,
                gboolean            is_export,
                TopoutExportFormat  format,
                GFile              *file)
{
  g_autoptr (GTask) task = NULL;
  Transfer *t;

  if (self->transfer != NULL)
    return;
  t = g_new0 (Transfer, 1);
  t->is_export = is_export;
  t->format = format;
  t->app_store = g_object_ref (self->store);
  t->climber_id = g_strdup (self->climber_id);
  t->session_type = dropdown_value (self->type_dropdown);
  t->sync_state = dropdown_value (self->sync_dropdown);
  t->file = g_object_ref (file);
  t->cancellable = g_cancellable_new ();
  self->transfer = t;

  set_transfer_actions_enabled (self, FALSE);
  update_transfer_progress (self);
  gtk_revealer_set_reveal_child (self->transfer_revealer, TRUE);
  t->timer_id = g_timeout_add (100, transfer_tick_cb, self);

  /* The task holds the view until the worker is done. */
  task = g_task_new (self, NULL, transfer_done_cb, NULL);
  g_task_set_source_tag (task, start_transfer);
  g_task_set_task_data (task, t, transfer_free);
  g_task_run_in_thread (task, transfer_thread);
}

static void
transfer_uri (GtkWidget *widget,
              GVariant  *param)
{
  gboolean is_export;
  gint32 format;
  const char *uri;
  g_autoptr (GFile) file = NULL;

  g_variant_get (param, "(bi&s)", &is_export, &format, &uri);
  file = g_file_new_for_uri (uri);
  start_transfer (TOPOUT_HISTORY_VIEW (widget), is_export, (TopoutExportFormat) format, file);
}

/* A chooser's answer, through the PIN again: the chooser (a portal's,
 * another program's window) may have stayed open after the kiosk locked,
 * and the next person at the desk would export every session, or import. */
static void
transfer_as_staff (TopoutHistoryView  *self,
                   gboolean            is_export,
                   TopoutExportFormat  format,
                   GFile              *file)
{
  g_autofree char *uri = g_file_get_uri (file);

  topout_kiosk_run_as_staff (self->kiosk, GTK_WIDGET (self), transfer_uri,
                             g_variant_new ("(bis)", is_export, (gint32) format, uri));
}

static void
export_chooser_response_cb (GtkNativeDialog   *chooser,
                            int                response,
                            TopoutHistoryView *self)
{
  TopoutExportFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "format"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        transfer_as_staff (self, TRUE, format, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (widget);
  TopoutExportFormat format;
  GtkFileChooserNative *chooser;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;

  if (!topout_export_format_from_string (g_variant_get_string (param, NULL), &format))
    return;
  /* Through the file chooser portal inside a sandbox. */
  chooser = gtk_file_chooser_native_new (format == TOPOUT_EXPORT_CSV ? _("Export Sessions as CSV")
                                                                     : _("Export Sessions as JSON"),
                                         parent_window (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: the suggested file name of an export; keep it free of '/'. */
  name = g_strdup_printf (_("topout-sessions-%s.%s"), date, format == TOPOUT_EXPORT_CSV ? "csv" : "jsonl");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "format", GINT_TO_POINTER (format));
  g_signal_connect (chooser, "response", G_CALLBACK (export_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Without the file chooser (tests, scripts): ("csv"|"json", path). */
static void
export_to_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  const char *format_text, *path;
  TopoutExportFormat format;
  g_autoptr (GFile) file = NULL;

  g_variant_get (param, "(&s&s)", &format_text, &path);
  if (!topout_export_format_from_string (format_text, &format))
    return;
  file = g_file_new_for_path (path);
  start_transfer (TOPOUT_HISTORY_VIEW (widget), TRUE, format, file);
}

static void
import_chooser_response_cb (GtkNativeDialog   *chooser,
                            int                response,
                            TopoutHistoryView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        transfer_as_staff (self, FALSE, TOPOUT_EXPORT_JSON, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Sessions"), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Topout exports (JSON lines)"));
  gtk_file_filter_add_suffix (filter, "jsonl");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  g_signal_connect (chooser, "response", G_CALLBACK (import_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
import_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  g_autoptr (GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));

  start_transfer (TOPOUT_HISTORY_VIEW (widget), FALSE, TOPOUT_EXPORT_JSON, file);
}

static void
cancel_transfer_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (widget);

  if (self->transfer != NULL)
    g_cancellable_cancel (self->transfer->cancellable);
}

static void
topout_history_view_dispose (GObject *object)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (object);

  /* A running transfer is stopped; its task keeps what it needs. */
  if (self->transfer != NULL)
    {
      g_cancellable_cancel (self->transfer->cancellable);
      g_clear_handle_id (&self->transfer->timer_id, g_source_remove);
      self->transfer = NULL;
    }
  if (self->kiosk != NULL)
    g_clear_signal_handler (&self->short_names_id, self->kiosk);
  if (self->list_view != NULL)
    {
      gtk_grid_view_set_model (self->list_view, NULL);
      gtk_grid_view_set_factory (self->list_view, NULL);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), TOPOUT_TYPE_HISTORY_VIEW);
  g_clear_pointer (&self->rows, g_list_free);
  g_clear_object (&self->model);
  g_clear_object (&self->kiosk);
  g_clear_object (&self->store);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (topout_history_view_parent_class)->dispose (object);
}

static void
topout_history_view_finalize (GObject *object)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (object);

  g_clear_pointer (&self->climber_id, g_free);

  G_OBJECT_CLASS (topout_history_view_parent_class)->finalize (object);
}

static void
topout_history_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (object);

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
topout_history_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TopoutHistoryView *self = TOPOUT_HISTORY_VIEW (object);

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
topout_history_view_class_init (TopoutHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = topout_history_view_constructed;
  object_class->dispose = topout_history_view_dispose;
  object_class->finalize = topout_history_view_finalize;
  object_class->get_property = topout_history_view_get_property;
  object_class->set_property = topout_history_view_set_property;

  g_type_ensure (TOPOUT_TYPE_WRAP_BOX);

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         TOPOUT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIOSK] =
    g_param_spec_object ("kiosk", NULL, NULL,
                         TOPOUT_TYPE_KIOSK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/topout-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, climber_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, transfer_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, climber_button_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, climber_popover);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, climber_search);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, climber_list);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, sync_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, actions_box);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, new_past_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, new_past_icon_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, list_view);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, transfer_revealer);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, transfer_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryView, transfer_progress);
  gtk_widget_class_bind_template_callback (widget_class, climber_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, climber_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, climber_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, climber_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_dropdown_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_past_shown_cb);

  gtk_widget_class_install_action (widget_class, "history.open-session", "s", open_session_action);
  gtk_widget_class_install_action (widget_class, "history.new-past-session", NULL, new_past_session_action);
  gtk_widget_class_install_action (widget_class, "history.retry", "s", retry_action);
  gtk_widget_class_install_action (widget_class, "history.keep-local", "s", keep_local_action);
  gtk_widget_class_install_action (widget_class, "history.filter-climber", "s", filter_climber_action);
  gtk_widget_class_install_action (widget_class, "history.show-climber", "s", show_climber_action);
  gtk_widget_class_install_action (widget_class, "history.find-climber", NULL, find_climber_action);
  gtk_widget_class_install_action (widget_class, "history.filter-type", "i", filter_type_action);
  gtk_widget_class_install_action (widget_class, "history.filter-sync-state", "i", filter_sync_state_action);
  gtk_widget_class_install_action (widget_class, "history.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_install_action (widget_class, "history.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "history.export-to", "(ss)", export_to_action);
  gtk_widget_class_install_action (widget_class, "history.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "history.import-file", "s", import_file_action);
  gtk_widget_class_install_action (widget_class, "history.cancel-transfer", NULL, cancel_transfer_action);
}

static void
topout_history_view_init (TopoutHistoryView *self)
{
  g_autoptr (GListModel) types = NULL;
  g_autoptr (GListModel) states = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (BASE_APPLICATION_ID);
  g_signal_connect_object (self->settings, "changed::server-url",
                           G_CALLBACK (server_url_changed_cb), self, G_CONNECT_SWAPPED);
  server_url_changed_cb (self);
  topout_menu_button_name (self->transfer_button, _("Export and Import"));
  topout_drop_down_name_button (self->type_dropdown, _("Session type filter"));
  topout_drop_down_name_button (self->sync_dropdown, _("Sync state filter"));
  /* Whole on a wide window; on a narrow one ("Tous les états de
   * synchronisation" alone is 293 px) they shrink, ellipsized, and the list
   * they open shows each choice whole. */
  topout_drop_down_set_string_factories (self->type_dropdown, 40);
  topout_drop_down_set_string_factories (self->sync_dropdown, 40);
  /* Unfiltered, the buttons say it short, so that the three filters and
   * New Past Session fit two lines on a phone in every language (French's
   * whole "Tous les états de synchronisation" alone left no room for the
   * buttons: four lines); the lists they open say it whole. */
  topout_drop_down_set_first_button_text (self->type_dropdown, all_types_short ());
  topout_drop_down_set_first_button_text (self->sync_dropdown, all_sync_states_short ());
  set_transfer_actions_enabled (self, TRUE);
  /* Down in the climber filter's search: its first climber (GTK moved the
   * focus to the list's scroller, where no row showed it). */
  topout_entry_down_to_list (GTK_WIDGET (self->climber_search), self->climber_list);
  /* The sessions and the climber filter's climbers are one Tab stop each,
   * the arrows move in them (Tab went through every session listed). */
  topout_list_view_one_tab_stop (GTK_WIDGET (self->list_view));
  topout_list_box_one_tab_stop (self->climber_list);

  /* Filled before the store arrives: the dropdown callbacks see no model yet. */
  types = type_labels ();
  states = sync_state_labels ();
  gtk_drop_down_set_model (self->type_dropdown, types);
  gtk_drop_down_set_model (self->sync_dropdown, states);
  gtk_drop_down_set_selected (self->type_dropdown, 0);
  gtk_drop_down_set_selected (self->sync_dropdown, 0);
}

GtkWidget *
topout_history_view_new (TopoutStore *store,
                         TopoutKiosk *kiosk)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (store), NULL);
  g_return_val_if_fail (kiosk == NULL || TOPOUT_IS_KIOSK (kiosk), NULL);

  return g_object_new (TOPOUT_TYPE_HISTORY_VIEW,
                       "store", store,
                       "kiosk", kiosk,
                       NULL);
}
