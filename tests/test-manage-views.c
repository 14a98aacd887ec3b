/* test-manage-views.c — the coach's views (climbers, catalog, scorecard)
 * driven through their actions under Xvfb, checked in the store and in the
 * widgets: editor refusals at the field, undo toasts, merges, imports with
 * their reports, and the live competition ranking. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "topout-catalog-view.h"
#include "topout-climbers-view.h"
#include "topout-color.h"
#include "topout-color-swatch.h"
#include "topout-history-view.h"
#include "topout-kiosk.h"
#include "topout-scorecard-view.h"
#include "topout-test-util.h"
#include "topout-ui-util.h"
#include "topout-wrap-box.h"

#define NOW "2026-11-21T17:00:00Z"

/* Made by gnome.compile_resources; calling it keeps the resource (and its
 * constructor that registers it) in this program, which links libtopout.a. */
GResource *topout_get_resource (void);

typedef struct {
  TopoutStore *store;
  char        *path;
  GtkWidget   *window;
  GtkWidget   *overlay;
  GtkWidget   *view;
} Fixture;

/* Helpers ------------------------------------------------------------------- */

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A shown button whose tooltip (and accessible name) is @tooltip. */
static gboolean
is_shown_button (GtkWidget     *widget,
                 gconstpointer  tooltip)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0;
}

/* The toplevel named @name (a dialog of the view), or NULL. */
static GtkWidget *
find_window (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (window), name) == 0 && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

/* Waits (bounded) for the toplevel @name: the result of work in a thread. */
static GtkWidget *
wait_for_window (const char *name)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  GtkWidget *window;

  while ((window = find_window (name)) == NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  return window;
}

/* The report of an import that wrote nothing; @body (unless NULL) is its
 * whole text. */
static GtkWidget *
wait_for_refusal (const char *body)
{
  GtkWidget *report = wait_for_window ("import-report");

  g_assert_nonnull (report);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (report)), ==, "Nothing Was Imported");
  if (body != NULL)
    g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (report)), ==, body);
  return report;
}

static void
collect_toasts (GtkWidget *root,
                GPtrArray *toasts)
{
  if (g_strcmp0 (G_OBJECT_TYPE_NAME (root), "AdwToastWidget") == 0)
    {
      AdwToast *toast = NULL;

      g_object_get (root, "toast", &toast, NULL);
      if (toast != NULL)
        g_ptr_array_add (toasts, toast);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    collect_toasts (child, toasts);
}

/* What @toast says in full: its title (markup), or the whole text of its
 * title made with topout_toast_new_fitting() (plain). */
static const char *
toast_text (AdwToast *toast)
{
  GtkWidget *custom = adw_toast_get_custom_title (toast);

  return custom != NULL ? topout_toast_title_get_full (custom) : adw_toast_get_title (toast);
}

/* The toast on screen now whose title is @title (markup-escaped), or NULL. */
static AdwToast *
find_toast (Fixture    *f,
            const char *title)
{
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  /* The overlay shows one toast at a time and queues the others: dismiss
   * the ones on screen until ours shows (bounded). */
  for (guint round = 0; round < 10; round++)
    {
      g_autoptr (GPtrArray) toasts = g_ptr_array_new_with_free_func (g_object_unref);

      iterate ();
      collect_toasts (f->overlay, toasts);
      for (guint i = 0; i < toasts->len; i++)
        if (g_strcmp0 (toast_text (g_ptr_array_index (toasts, i)), escaped) == 0 ||
            g_strcmp0 (toast_text (g_ptr_array_index (toasts, i)), title) == 0)
          return g_ptr_array_index (toasts, i);  /* the view's toast handlers keep working */
      if (toasts->len == 0)
        break;
      for (guint i = 0; i < toasts->len; i++)
        {
          g_test_message ("toast on screen: %s", toast_text (g_ptr_array_index (toasts, i)));
          adw_toast_dismiss (g_ptr_array_index (toasts, i));
        }
    }
  return NULL;
}

static void
activate (Fixture    *f,
          const char *action,
          GVariant   *param)
{
  /* gtk_widget_activate_action_variant() does not sink a floating target. */
  g_autoptr (GVariant) target = param ? g_variant_ref_sink (param) : NULL;

  g_assert_true (gtk_widget_activate_action_variant (f->view, action, target));
  iterate ();
}

static void
set_field (GtkWidget  *dialog,
           const char *name,
           const char *text)
{
  GtkWidget *field = find_named (dialog, name);

  g_assert_nonnull (field);
  gtk_editable_set_text (GTK_EDITABLE (field), text);
}

static void
fixture_set_up (Fixture    *f,
                GtkWidget *(*view_new) (TopoutStore *, TopoutKiosk *))
{
  f->store = topout_test_store_new (NOW, &f->path);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  f->overlay = adw_toast_overlay_new ();
  gtk_window_set_child (GTK_WINDOW (f->window), f->overlay);
  if (view_new != NULL)
    {
      f->view = view_new (f->store, NULL);
      adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (f->overlay), f->view);
    }
  gtk_window_present (GTK_WINDOW (f->window));
  iterate ();
}

static void
set_up_climbers (Fixture *f, gconstpointer data)
{
  fixture_set_up (f, NULL);
}

static void
show_view (Fixture    *f,
           GtkWidget *(*view_new) (TopoutStore *, TopoutKiosk *))
{
  f->view = view_new (f->store, NULL);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (f->overlay), f->view);
  iterate ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* Dialogs first, then the window. */
  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr (GtkWidget) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (GTK_WINDOW (window));
      iterate ();
    }
  iterate ();
  g_clear_object (&f->store);
  g_clear_pointer (&f->path, g_free);
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_visible (row) &&
        gtk_widget_get_child_visible (row))
      n++;
  return n;
}

/* Toolbars ------------------------------------------------------------------ */

/* The controls of a toolbar, in the order they are drawn. */
static void
collect_controls (GtkWidget *root,
                  GPtrArray *controls)
{
  if (GTK_IS_SEARCH_ENTRY (root) || GTK_IS_BUTTON (root) || GTK_IS_MENU_BUTTON (root) || GTK_IS_DROP_DOWN (root))
    {
      /* Shown: not one a squeezer keeps out of sight (History's New Past
       * Session, labelled or its icon alone). */
      if (gtk_widget_get_visible (root) && gtk_widget_get_child_visible (root))
        g_ptr_array_add (controls, root);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    collect_controls (child, controls);
}

static graphene_rect_t
bounds_in (GtkWidget *widget,
           GtkWidget *ancestor)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, ancestor, &bounds));
  return bounds;
}

/* The width the window can take when asked for @width: its content's
 * minimum when that is wider. */
static int
width_taken (Fixture *f,
             int      width)
{
  int min = 0;

  gtk_widget_measure (f->window, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return MAX (width, min);
}

/* Asks for @width and waits, frame by frame, until the window has taken
 * it (or its content's minimum, when that is wider), then for the frames
 * that lay it out. The 60 s of topout_test_wait_frames() guard against a
 * hang only. */
static void
resize_and_wait (Fixture *f,
                 int      width)
{
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, 600);
  for (guint n = 0; gtk_widget_get_width (f->window) != width_taken (f, width) && n < 600; n++)
    topout_test_wait_frames (f->window, 1);
  g_assert_cmpint (gtk_widget_get_width (f->window), ==, width_taken (f, width));
  topout_test_wait_frames (f->window, 3);
}

/* The row above each list (search, filters, buttons): one line in a wide
 * window; in a narrow one the buttons wrap below rather than squashing the
 * search to an ellipsis, nothing is cut off; Tab goes through every control
 * in order either way. */
static void
test_toolbars (Fixture *f, gconstpointer data)
{
  GtkWidget *(*const views[]) (TopoutStore *, TopoutKiosk *) = {
    topout_climbers_view_new, topout_catalog_view_new, topout_history_view_new,
  };
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Lovelace", "M-0001");
  g_autoptr (TopoutClimb) climb = topout_test_add_climb (f->store, "c-1", "Roof", "V3");

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      g_autoptr (GPtrArray) controls = g_ptr_array_new ();
      GtkWidget *bar;
      graphene_rect_t first, last;

      resize_and_wait (f, 800);
      show_view (f, views[v]);
      /* History's wraps its filters too (a TopoutWrapBox). */
      bar = topout_test_find_by_type (f->view, GTK_TYPE_FLOW_BOX);
      if (bar == NULL)
        bar = topout_test_find_by_type (f->view, TOPOUT_TYPE_WRAP_BOX);
      g_assert_nonnull (bar);
      collect_controls (bar, controls);
      g_assert_cmpuint (controls->len, >=, 3);
      topout_test_wait_frames (f->window, 3);
      g_assert_cmpint (gtk_widget_get_height (g_ptr_array_index (controls, 0)), >, 0);

      /* Wide: one line. */
      first = bounds_in (g_ptr_array_index (controls, 0), f->view);
      last = bounds_in (g_ptr_array_index (controls, controls->len - 1), f->view);
      g_assert_cmpfloat (last.origin.y, <, first.origin.y + first.size.height);
      g_assert_cmpfloat (first.origin.y, <, last.origin.y + last.size.height);

      /* Keyboard: Tab from the first control reaches each of the others in turn. */
      g_assert_true (gtk_widget_grab_focus (g_ptr_array_index (controls, 0)));
      for (guint i = 1; i < controls->len; i++)
        {
          GtkWidget *focus;

          g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_FORWARD));
          focus = gtk_root_get_focus (GTK_ROOT (f->window));
          g_assert_nonnull (focus);
          if (focus != g_ptr_array_index (controls, i) && !gtk_widget_is_ancestor (focus, g_ptr_array_index (controls, i)))
            {
              int in = -1;

              /* Which control it is in, if any (0: Tab wrapped round to the
               * window's first control). */
              for (guint j = 0; j < controls->len && in < 0; j++)
                if (focus == g_ptr_array_index (controls, j) || gtk_widget_is_ancestor (focus, g_ptr_array_index (controls, j)))
                  in = j;
              g_error ("view %u: Tab from control %u went to a %s (in control %d), not to control %u (a %s)", v, i - 1,
                       G_OBJECT_TYPE_NAME (focus), in, i, G_OBJECT_TYPE_NAME (g_ptr_array_index (controls, i)));
            }
        }

      /* Narrow: the controls wrap onto a second line, none cut off, and the
       * first (the search, or the climber filter) keeps a usable width. */
      resize_and_wait (f, 360);
      first = bounds_in (g_ptr_array_index (controls, 0), f->view);
      last = bounds_in (g_ptr_array_index (controls, controls->len - 1), f->view);
      g_test_message ("view %u at its narrowest: %d px wide, first control %.0f px", v,
                      gtk_widget_get_width (f->view), first.size.width);
      g_assert_cmpint (gtk_widget_get_width (f->view), <, 560);
      g_assert_cmpfloat (last.origin.y, >, first.origin.y + first.size.height - 1);
      g_assert_cmpfloat (first.size.width, >=, 140);
      for (guint i = 0; i < controls->len; i++)
        {
          graphene_rect_t b = bounds_in (g_ptr_array_index (controls, i), f->view);

          g_assert_cmpfloat (b.origin.x, >=, 0);
          g_assert_cmpfloat (b.origin.x + b.size.width, <=, gtk_widget_get_width (f->view) + 0.5);
        }
    }
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates until @root shows @text (@shown) or stops showing it, at most 5 s
 * (a timer wakes the loop, so an answer that never comes does not block). */
static gboolean
wait_text (GtkWidget  *root,
           const char *text,
           gboolean    shown)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, wake_cb, NULL);

  while (topout_test_shows_text (root, text) != shown && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return topout_test_shows_text (root, text) == shown;
}

/* A search without a match says so, each time (the list's placeholder
 * survives the reloads before it). */
static void
test_search_no_match (Fixture *f, gconstpointer data)
{
  struct {
    GtkWidget *(*view_new) (TopoutStore *, TopoutKiosk *);
    const char *message;
  } views[] = {
    { topout_climbers_view_new, "No climber matches the search" },
    { topout_catalog_view_new, "No climb matches the search" },
  };
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Lovelace", "M-0001");
  g_autoptr (TopoutClimb) climb = topout_test_add_climb (f->store, "c-1", "Roof", "V3");

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      GtkWidget *search;

      show_view (f, views[v].view_new);
      search = topout_test_find_by_type (f->view, GTK_TYPE_SEARCH_ENTRY);
      g_assert_nonnull (search);
      for (guint round = 0; round < 2; round++)
        {
          gtk_editable_set_text (GTK_EDITABLE (search), "zzz-nothing");
          g_assert_true (wait_text (f->view, views[v].message, TRUE));
          gtk_editable_set_text (GTK_EDITABLE (search), "");
          g_assert_true (wait_text (f->view, views[v].message, FALSE));
        }
    }
}

/* The climbers and the catalog by keyboard: Tab goes from a row through
 * its own buttons and then out of the list, Shift+Tab from a button back
 * to its row and then out (Tab went through every row and every button:
 * four stops a climber, two a climb). */
static void
test_rows_keyboard (Fixture *f, gconstpointer data)
{
  GtkWidget *(*const views[]) (TopoutStore *, TopoutKiosk *) = {
    topout_climbers_view_new, topout_catalog_view_new,
  };
  GType types[] = { TOPOUT_TYPE_CLIMBERS_VIEW, TOPOUT_TYPE_CATALOG_VIEW };

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("Climber %u", i);
      g_autofree char *code = g_strdup_printf ("M-000%u", i);
      g_autofree char *id = g_strdup_printf ("c-%u", i);
      g_autofree char *climb = g_strdup_printf ("Climb %u", i);

      g_object_unref (topout_test_add_climber (f->store, name, code));
      g_object_unref (topout_test_add_climb (f->store, id, climb, "V3"));
    }

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      GtkWidget *list;
      GtkWidget *row0, *row1;
      GtkWidget *focus;
      guint buttons = 0;

      show_view (f, views[v]);
      list = GTK_WIDGET (gtk_widget_get_template_child (f->view, types[v], "list_box"));
      g_assert_cmpuint (count_rows (list), ==, 3);
      row0 = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
      row1 = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));

      /* From the first row: its buttons, then out of the list. */
      g_assert_true (gtk_widget_grab_focus (row0));
      for (guint i = 0; i < 10; i++)
        {
          topout_test_press_tab (list, FALSE);
          focus = gtk_root_get_focus (GTK_ROOT (f->window));
          g_assert_nonnull (focus);
          if (!gtk_widget_is_ancestor (focus, list))
            break;
          if (!gtk_widget_is_ancestor (focus, row0))
            g_error ("view %u: Tab from the first row's button %u went to another row", v, buttons);
          g_assert_true (GTK_IS_BUTTON (focus));
          buttons++;
        }
      g_assert_cmpuint (buttons, >=, 1);
      g_assert_false (gtk_widget_is_ancestor (focus, list));

      /* Shift+Tab from a button of the second row: the row, then out. */
      g_assert_true (gtk_widget_grab_focus (row1));
      topout_test_press_tab (list, FALSE);
      focus = gtk_root_get_focus (GTK_ROOT (f->window));
      g_assert_true (GTK_IS_BUTTON (focus) && gtk_widget_is_ancestor (focus, row1));
      topout_test_press_tab (list, TRUE);
      g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == row1);
      topout_test_press_tab (list, TRUE);
      focus = gtk_root_get_focus (GTK_ROOT (f->window));
      g_assert_nonnull (focus);
      g_assert_false (gtk_widget_is_ancestor (focus, list));
      /* The toolbar above the list. */
      g_assert_true (gtk_widget_is_ancestor (focus, topout_test_find_by_type (f->view, GTK_TYPE_FLOW_BOX)));
    }
}

/* The tooltip of the first widget under @root whose action is @action. */
static const char *
action_tooltip (GtkWidget  *root,
                const char *action)
{
  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0 &&
      gtk_widget_get_tooltip_text (root) != NULL)
    return gtk_widget_get_tooltip_text (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      const char *found = action_tooltip (c, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A gym's first day: the empty Catalog and Climbers pages, and their
 * Import… buttons' tooltips, say what a file to import needs (the columns
 * the import requires), which was said only by the refusal of a file
 * without them. */
static void
test_empty_pages_name_file_columns (Fixture *f, gconstpointer data)
{
  AdwStatusPage *page;

  show_view (f, topout_catalog_view_new);
  page = ADW_STATUS_PAGE (gtk_widget_get_template_child (f->view, TOPOUT_TYPE_CATALOG_VIEW, "empty_page"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "CSV or JSON"));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "id, name and grade"));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "gradeSystem (V, FONT or YDS)"));
  g_assert_nonnull (strstr (action_tooltip (f->view, "catalog.import"), "id, name and grade"));

  show_view (f, topout_climbers_view_new);
  page = ADW_STATUS_PAGE (gtk_widget_get_template_child (f->view, TOPOUT_TYPE_CLIMBERS_VIEW, "empty_page"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "CSV or JSON"));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "displayName"));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "memberCode"));
  g_assert_nonnull (strstr (action_tooltip (f->view, "climbers.import"), "displayName"));
  /* A membership system's export has these, and the import reads them. */
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "First name and Last name"));
  g_assert_nonnull (strstr (action_tooltip (f->view, "climbers.import"), "First name and Last name"));
}

/* Climbers ------------------------------------------------------------------ */

static void
test_climber_add_and_edit (Fixture *f, gconstpointer data)
{
  GtkWidget *dialog;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (TopoutClimber) stored = NULL;
  const char *id;

  show_view (f, topout_climbers_view_new);
  /* No climber: the empty state. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find_named (f->view, "GtkStack"))), ==, "empty");

  activate (f, "climbers.add", NULL);
  dialog = find_window ("climber-editor");
  g_assert_nonnull (dialog);
  set_field (dialog, "climber-name", "Ada Lovelace");
  set_field (dialog, "climber-member-code", "M-100");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();
  g_assert_null (find_window ("climber-editor"));

  found = topout_store_find_climbers (f->store, "Ada", FALSE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  id = topout_climber_get_id (g_ptr_array_index (found, 0));
  g_assert_cmpstr (topout_climber_get_member_code (g_ptr_array_index (found, 0)), ==, "M-100");
  g_assert_nonnull (find_toast (f, "Added Ada Lovelace"));
  /* The list shows it, and the empty state is gone. */
  g_assert_nonnull (find_named (f->view, id));

  activate (f, "climbers.edit", g_variant_new_string (id));
  dialog = find_window ("climber-editor");
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_named (dialog, "climber-name"))), ==, "Ada Lovelace");
  set_field (dialog, "climber-name", "Ada King");
  set_field (dialog, "climber-member-code", "");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();
  g_assert_null (find_window ("climber-editor"));

  stored = topout_store_get_climber (f->store, id, NULL);
  g_assert_cmpstr (topout_climber_get_display_name (stored), ==, "Ada King");
  g_assert_null (topout_climber_get_member_code (stored));
  g_assert_nonnull (find_toast (f, "Saved Ada King"));
}

static void
test_climber_duplicate_code_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Lovelace", "M-1");
  g_autoptr (TopoutClimber) bo = topout_test_add_climber (f->store, "Bo Kim", "M-2");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkWidget *dialog;
  GtkWidget *code;
  GtkWidget *error_label;

  show_view (f, topout_climbers_view_new);
  before = topout_test_dump_db (f->path);

  activate (f, "climbers.edit", g_variant_new_string (topout_climber_get_id (bo)));
  dialog = find_window ("climber-editor");
  g_assert_nonnull (dialog);
  set_field (dialog, "climber-member-code", "M-1");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();

  /* Still open, the store's message at the member code, nothing saved. */
  g_assert_true (find_window ("climber-editor") == dialog);
  code = find_named (dialog, "climber-member-code");
  error_label = find_named (dialog, "error-label");
  g_assert_true (gtk_widget_has_css_class (code, "error"));
  g_assert_false (gtk_widget_has_css_class (find_named (dialog, "climber-name"), "error"));
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==, "The member code M-1 already belongs to Ada Lovelace.");
  /* Seen whole: the form grows with its message, nothing cut off below. */
  {
    gint64 until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
    graphene_rect_t b = GRAPHENE_RECT_INIT (0, 0, 0, 0);

    while (g_get_monotonic_time () < until &&
           (!gtk_widget_compute_bounds (error_label, dialog, &b) || b.size.height < 1 ||
            b.origin.y + b.size.height > gtk_widget_get_height (dialog)))
      g_main_context_iteration (NULL, FALSE);
    g_assert_true (gtk_widget_compute_bounds (error_label, dialog, &b));
    g_assert_cmpfloat (b.size.height, >=, 1);
    g_assert_cmpfloat (b.origin.y + b.size.height, <=, gtk_widget_get_height (dialog));
  }
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);

  /* An empty name is shown at the name. */
  set_field (dialog, "climber-member-code", "M-2");
  set_field (dialog, "climber-name", "   ");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();
  g_assert_true (gtk_widget_has_css_class (find_named (dialog, "climber-name"), "error"));
  g_assert_false (gtk_widget_has_css_class (code, "error"));
  g_clear_pointer (&after, g_free);
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_climber_archive_undo (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Lovelace", "M-1");
  g_autoptr (TopoutClimber) stored = NULL;
  const char *id = topout_climber_get_id (ada);
  GtkToggleButton *archived_toggle;
  AdwToast *toast;

  show_view (f, topout_climbers_view_new);
  activate (f, "climbers.archive", g_variant_new_string (id));
  stored = topout_store_get_climber (f->store, id, NULL);
  g_assert_true (topout_climber_get_archived (stored));
  /* Archived climbers leave the list unless asked for. */
  g_assert_null (find_named (f->view, id));
  archived_toggle = GTK_TOGGLE_BUTTON (find_named (f->view, "GtkToggleButton"));
  gtk_toggle_button_set_active (archived_toggle, TRUE);
  iterate ();
  g_assert_nonnull (find_named (f->view, id));
  gtk_toggle_button_set_active (archived_toggle, FALSE);

  toast = find_toast (f, "Archived Ada Lovelace");
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");
  g_signal_emit_by_name (toast, "button-clicked");
  iterate ();

  g_clear_object (&stored);
  stored = topout_store_get_climber (f->store, id, NULL);
  g_assert_false (topout_climber_get_archived (stored));
  g_assert_nonnull (find_named (f->view, id));
}

/* The button of @action for @target on screen under @root (a row's
 * squeezer holds a labelled one and an icon one), or NULL. */
static GtkWidget *
shown_button (GtkWidget  *root,
              const char *action,
              const char *target)
{
  GVariant *t;

  if (!gtk_widget_get_visible (root) || !gtk_widget_get_child_visible (root))
    return NULL;
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0 &&
      (t = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (root))) != NULL &&
      g_strcmp0 (g_variant_get_string (t, NULL), target) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = shown_button (child, action, target);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The row buttons of the climbers and the catalog end where their rows
 * end, at 360 px (icons) and 800 px (labels): in a narrow window the icons
 * sat right after the name, so each row's buttons were somewhere else. */
static void
test_row_buttons_at_row_end (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Li", "M-0001");
  g_autoptr (TopoutClimber) fatima = topout_test_add_climber (f->store, "Fatima Zahra El Idrissi", "M-0002");
  g_autoptr (TopoutClimb) short_climb = topout_test_add_climb (f->store, "c-1", "Roof", "V3");
  g_autoptr (TopoutClimb) long_climb = topout_test_add_climb (f->store, "c-2", "The Long Traverse of the Cave", "V5");
  struct {
    GtkWidget *(*view_new) (TopoutStore *, TopoutKiosk *);
    const char *action;
    const char *ids[2];
  } views[] = {
    { topout_climbers_view_new, "climbers.archive",
      { topout_climber_get_id (ada), topout_climber_get_id (fatima) } },
    { topout_catalog_view_new, "catalog.retire", { "c-1", "c-2" } },
  };
  const int widths[] = { 360, 800 };

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
      {
        double ends[2];

        resize_and_wait (f, widths[w]);
        show_view (f, views[v].view_new);
        topout_test_wait_frames (f->window, 3);
        for (guint r = 0; r < 2; r++)
          {
            GtkWidget *row = find_named (f->view, views[v].ids[r]);
            GtkWidget *button;
            graphene_rect_t b, rb;

            g_assert_nonnull (row);
            button = shown_button (row, views[v].action, views[v].ids[r]);
            g_assert_nonnull (button);
            b = bounds_in (button, f->view);
            rb = bounds_in (row, f->view);
            ends[r] = b.origin.x + b.size.width;
            g_test_message ("%d px, %s: button ends at %.0f, its row at %.0f", widths[w], views[v].ids[r],
                            ends[r], rb.origin.x + rb.size.width);
            /* The last button: only the row's padding after it (a short
             * name's row may show labels where a long one's shows icons). */
            g_assert_cmpfloat (rb.origin.x + rb.size.width - ends[r], <, 24);
          }
        g_assert_cmpfloat (fabs (ends[0] - ends[1]), <, 1);
      }
}

/* A row's buttons are heard once: named "Edit Crimp Street", with the
 * same words as their tooltip (the icons alone need it), and no accessible
 * description repeating them (GTK 4.8 makes a tooltip the description: a
 * screen reader read "Edit Crimp Street, push button, Edit Crimp Street").
 * Both sets of each row, labelled and icons alone. Returns the buttons
 * seen. */
static guint
assert_row_buttons_heard_once (GtkWidget  *root,
                               const char *action_prefix)
{
  guint n = 0;

  if (GTK_IS_BUTTON (root) && gtk_actionable_get_action_name (GTK_ACTIONABLE (root)) != NULL &&
      g_str_has_prefix (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_prefix) &&
      gtk_widget_get_ancestor (root, GTK_TYPE_LIST_BOX_ROW) != NULL)
    {
      const char *tooltip = gtk_widget_get_tooltip_text (root);
      g_autofree char *wrong = NULL;

      g_assert_nonnull (tooltip);
      wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip);
      g_assert_null (wrong);
      if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION))
        {
          wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip);
          if (wrong == NULL)
            g_error ("\"%s\" is heard twice (its description)", tooltip);
        }
      return 1;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += assert_row_buttons_heard_once (c, action_prefix);
  return n;
}

static void
test_row_buttons_heard_once (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Li", "M-0001");
  g_autoptr (TopoutClimb) climb = topout_test_add_climb (f->store, "c-1", "Crimp Street", "V3");

  /* Sessions, Edit, Merge, Archive; twice. */
  show_view (f, topout_climbers_view_new);
  g_assert_cmpuint (assert_row_buttons_heard_once (f->view, "climbers.") +
                    assert_row_buttons_heard_once (f->view, "win.show-climber-sessions"), ==, 8);
  g_assert_nonnull (topout_test_find (f->view, is_shown_button, "Edit Ada Li"));

  /* Edit, Retire; twice. */
  show_view (f, topout_catalog_view_new);
  g_assert_cmpuint (assert_row_buttons_heard_once (f->view, "catalog."), ==, 4);
  g_assert_nonnull (topout_test_find (f->view, is_shown_button, "Edit Crimp Street"));
}

static gboolean
is_label_with_class (GtkWidget     *widget,
                     gconstpointer  css_class)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class);
}

/* The label of @css_class under @root, or NULL. */
static GtkWidget *
find_label_with_class (GtkWidget  *root,
                       const char *css_class)
{
  return topout_test_find (root, is_label_with_class, css_class);
}

/* The catalog's grades are a column: the same x in every row, whatever
 * the name, the grade or a Retired tag, at 360 and 1280 px; they sat
 * after the name, so each row's grade was somewhere else. And a name that
 * fits is not wrapped to leave room for buttons that show as icons. */
static void
test_catalog_grades_line_up (Fixture *f, gconstpointer data)
{
  const struct { const char *id, *name, *grade; } climbs[] = {
    { "c-1", "Roof", "V3" },
    { "c-2", "The Long Traverse of the Cave and Back Again", "V4-V5" },
    { "c-3", "Crimp Cathedral", "VB" },
    { "c-4", "Slab", "V10" },
  };
  const int widths[] = { 360, 1280 };

  for (guint i = 0; i < G_N_ELEMENTS (climbs); i++)
    g_object_unref (topout_test_add_climb (f->store, climbs[i].id, climbs[i].name, climbs[i].grade));
  g_assert_true (topout_store_set_climb_retired (f->store, "c-4", TRUE, NULL));
  show_view (f, topout_catalog_view_new);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_named (f->view, "show-retired")), TRUE);
  iterate ();
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      double first_x = 0;
      GtkWidget *title;

      resize_and_wait (f, widths[w]);
      for (guint i = 0; i < G_N_ELEMENTS (climbs); i++)
        {
          GtkWidget *row = find_named (f->view, climbs[i].id);
          GtkWidget *grade;
          graphene_rect_t b, rb;

          g_assert_nonnull (row);
          grade = find_label_with_class (row, "catalog-grade");
          g_assert_nonnull (grade);
          g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (grade)), ==, climbs[i].grade);
          b = bounds_in (grade, f->view);
          rb = bounds_in (row, f->view);
          g_test_message ("%d px, %s: grade at %.0f-%.0f, its row %.0f-%.0f", widths[w], climbs[i].id,
                          b.origin.x, b.origin.x + b.size.width, rb.origin.x, rb.origin.x + rb.size.width);
          if (i == 0)
            first_x = b.origin.x;
          g_assert_cmpfloat (fabs (b.origin.x - first_x), <, 1);
          g_assert_cmpfloat (b.origin.x + b.size.width, <=, rb.origin.x + rb.size.width);
        }
      /* A name that fits beside the grade and the buttons' icons is on one
       * line: the buttons' labels, which do not fit, took half its room. */
      title = find_label_with_class (find_named (f->view, "c-3"), "title");
      g_assert_nonnull (title);
      g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (GTK_LABEL (title))), ==, 1);
    }
}

/* The focus of the view's window, for a failed assertion. */
static const char *
focus_name (Fixture *f)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW) : NULL;

  if (focus == NULL)
    return "nothing";
  return row != NULL ? gtk_widget_get_name (row) : G_OBJECT_TYPE_NAME (focus);
}

/* Keyboard only: the focus after a row's button did its work. An editor
 * opened from a row's Edit gives it back to that Edit when saved (the
 * list is made again: it went to the search at the top of the page); an
 * archived climber's row leaves it to the row now in its place; a climb
 * retired stays listed, and so does the focus on its row (it went to the
 * next climb). */
static void
test_focus_after_row_actions (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Lovelace", "M-1");
  g_autoptr (TopoutClimber) bo = topout_test_add_climber (f->store, "Bo Kim", "M-2");
  g_autoptr (TopoutClimber) cy = topout_test_add_climber (f->store, "Cy Twombly", "M-3");
  g_autoptr (TopoutClimb) c1 = topout_test_add_climb (f->store, "c-1", "Arete", "V3");
  g_autoptr (TopoutClimb) c2 = topout_test_add_climb (f->store, "c-2", "Bulge", "V4");
  g_autoptr (TopoutClimb) c3 = topout_test_add_climb (f->store, "c-3", "Crimp", "V5");
  const char *bo_id = topout_climber_get_id (bo);
  GtkWidget *dialog;
  GtkWidget *button;

  show_view (f, topout_climbers_view_new);
  topout_test_wait_frames (f->window, 3);

  /* Edit, Escape: nothing made again, the focus back on Edit. */
  button = shown_button (f->view, "climbers.edit", bo_id);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_grab_focus (button));
  g_signal_emit_by_name (button, "clicked");
  iterate ();
  dialog = find_window ("climber-editor");
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_activate_action (dialog, "window.close", NULL));
  iterate ();
  g_assert_null (find_window ("climber-editor"));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == button);

  /* Edit, save: on the same row's Edit, made again. */
  g_signal_emit_by_name (button, "clicked");
  iterate ();
  dialog = find_window ("climber-editor");
  g_assert_nonnull (dialog);
  set_field (dialog, "climber-name", "Bo Kimura");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();
  g_assert_null (find_window ("climber-editor"));
  g_assert_nonnull (find_toast (f, "Saved Bo Kimura"));
  button = shown_button (f->view, "climbers.edit", bo_id);
  g_assert_nonnull (button);
  if (gtk_root_get_focus (GTK_ROOT (f->window)) != button)
    g_error ("after saving the editor the focus is on %s, not on Bo's Edit", focus_name (f));

  /* Archive: the row below, in its place. */
  button = shown_button (f->view, "climbers.archive", bo_id);
  g_assert_true (gtk_widget_grab_focus (button));
  g_signal_emit_by_name (button, "clicked");
  iterate ();
  g_assert_null (find_named (f->view, bo_id));
  g_assert_cmpstr (focus_name (f), ==, topout_climber_get_id (cy));
  /* Undo: the focus stays where it is. */
  g_signal_emit_by_name (find_toast (f, "Archived Bo Kimura"), "button-clicked");
  iterate ();
  g_assert_nonnull (find_named (f->view, bo_id));
  g_assert_cmpstr (focus_name (f), ==, topout_climber_get_id (cy));

  /* Catalog: Retire keeps the climb listed, and the focus on it. */
  show_view (f, topout_catalog_view_new);
  topout_test_wait_frames (f->window, 3);
  button = shown_button (f->view, "catalog.retire", "c-2");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_grab_focus (button));
  g_signal_emit_by_name (button, "clicked");
  iterate ();
  g_assert_nonnull (shown_button (f->view, "catalog.restore", "c-2"));
  g_assert_cmpstr (focus_name (f), ==, "c-2");
}

static void
test_climber_merge (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) bo = topout_test_add_climber (f->store, "Bo Kim", "M-7");
  g_autoptr (TopoutClimber) dup = topout_test_add_climber (f->store, "Bo K.", "M-8");
  g_autoptr (TopoutClimber) cy = topout_test_add_climber (f->store, "Cy Young", NULL);
  g_autoptr (TopoutSession) s1 = NULL;
  g_autoptr (TopoutSession) s2 = NULL;
  g_autoptr (TopoutSession) moved = NULL;
  g_autoptr (TopoutClimber) dup_after = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *chooser;
  GtkWidget *list;
  GtkWidget *dup_row = NULL;
  GtkWidget *confirm;

  g_object_unref (topout_test_add_climb (f->store, "c-1", "Crimp Street", "V3"));
  s1 = topout_test_start (f->store, topout_climber_get_id (dup), TOPOUT_SESSION_TYPE_FUN);
  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s1), &error));
  g_assert_no_error (error);
  topout_test_advance ((gint64) 3600 * G_USEC_PER_SEC);
  s2 = topout_test_start (f->store, topout_climber_get_id (dup), TOPOUT_SESSION_TYPE_POWER);

  show_view (f, topout_climbers_view_new);
  activate (f, "climbers.merge", g_variant_new_string (topout_climber_get_id (bo)));
  chooser = find_window ("merge-chooser");
  g_assert_nonnull (chooser);
  list = find_named (chooser, "merge-candidates");
  /* Everyone but the survivor. */
  g_assert_cmpuint (count_rows (list), ==, 2);
  gtk_editable_set_text (GTK_EDITABLE (find_named (chooser, "merge-search")), "K.");
  /* search-changed is delayed; emit it now */
  g_signal_emit_by_name (find_named (chooser, "merge-search"), "search-changed");
  iterate ();
  g_assert_cmpuint (count_rows (list), ==, 1);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "Bo K.") == 0)
      dup_row = row;
  g_assert_nonnull (dup_row);
  /* Down in the search goes to the match. */
  g_assert_true (topout_test_press_down (find_named (chooser, "merge-search")));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (chooser)) == dup_row ||
                 gtk_widget_get_ancestor (gtk_root_get_focus (GTK_ROOT (chooser)), GTK_TYPE_LIST_BOX_ROW) == dup_row);
  /* Return in the search takes the one match (as a click on it would). */
  g_signal_emit_by_name (find_named (chooser, "merge-search"), "activate");
  iterate ();
  g_assert_null (find_window ("merge-chooser"));

  /* The one confirmation: both names and what moves. */
  confirm = find_window ("merge-confirm");
  g_assert_nonnull (confirm);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (confirm)), ==, "Merge Bo K. into Bo Kim?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (confirm)), "2 sessions move from Bo K. to Bo Kim"));
  /* And what becomes of the duplicate's card (it was dropped unsaid). */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (confirm)),
                            "Its member code M-8 is dropped: Bo Kim keeps M-7."));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "merge");
  iterate ();

  moved = topout_store_get_session (f->store, topout_session_get_id (s1), NULL);
  g_assert_cmpstr (topout_session_get_climber_id (moved), ==, topout_climber_get_id (bo));
  g_clear_object (&moved);
  moved = topout_store_get_session (f->store, topout_session_get_id (s2), NULL);
  g_assert_cmpstr (topout_session_get_climber_id (moved), ==, topout_climber_get_id (bo));
  g_assert_cmpint (topout_session_get_revision (moved), >, topout_session_get_revision (s2));
  dup_after = topout_store_get_climber (f->store, topout_climber_get_id (dup), NULL);
  g_assert_true (topout_climber_get_archived (dup_after));
  g_assert_nonnull (find_toast (f, "Merged Bo K. into Bo Kim"));
  /* The duplicate left the list (archived). */
  g_assert_null (find_named (f->view, topout_climber_get_id (dup)));

  /* Among the archived it says where it went, with no Restore to bring
   * back an empty record. */
  {
    GtkWidget *toggle = topout_test_find_by_type (f->view, GTK_TYPE_TOGGLE_BUTTON);
    GtkWidget *row;

    g_assert_nonnull (toggle);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
    iterate ();
    row = find_named (f->view, topout_climber_get_id (dup));
    g_assert_nonnull (row);
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Merged into Bo Kim");
    g_assert_true (topout_test_shows_text (row, "Merged"));
    g_assert_false (topout_test_shows_text (row, "Restore"));
    /* Nor Edit: a code given to it would tie a card to an empty record. */
    g_assert_false (topout_test_shows_text (row, "Edit"));
  }
}

static void
test_climber_merge_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) bo = topout_test_add_climber (f->store, "Bo Kim", "M-7");
  g_autoptr (TopoutClimber) dup = topout_test_add_climber (f->store, "Bo K.", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkWidget *confirm;

  show_view (f, topout_climbers_view_new);
  before = topout_test_dump_db (f->path);
  activate (f, "climbers.merge-confirm",
            g_variant_new ("(ss)", topout_climber_get_id (bo), topout_climber_get_id (dup)));
  confirm = find_window ("merge-confirm");
  g_assert_nonnull (confirm);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (confirm)), "0 sessions"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "cancel");
  iterate ();
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_climber_import (Fixture *f, gconstpointer data)
{
  g_autofree char *file = topout_test_path ("climbers.csv");
  g_autoptr (GPtrArray) found = NULL;
  GtkWidget *report;

  g_assert_true (g_file_set_contents (file,
                                      "memberCode,displayName,Phone\n"
                                      "M-1,Ada Lovelace,0123\n"
                                      "M-2,Bo Kim,\n",
                                      -1, NULL));
  show_view (f, topout_climbers_view_new);
  activate (f, "climbers.import-file", g_variant_new_string (file));
  report = wait_for_window ("import-report");
  g_assert_nonnull (report);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (report)), ==, "Climbers Imported");
  /* The counts, then the column the list has that Topout does not read. */
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (report)), ==,
                   "climbers.csv: 2 added, 0 updated, 0 unchanged.\n\n"
                   "The column “Phone” was not imported: Topout does not read it.");
  found = topout_store_find_climbers (f->store, NULL, FALSE, 0);
  g_assert_cmpuint (found->len, ==, 2);
  /* The list shows them. */
  g_assert_nonnull (find_named (f->view, topout_climber_get_id (g_ptr_array_index (found, 0))));
}

/* A climber file with one bad line, then one that cannot be read: nothing
 * is written either time, and the report says why where the coach looks. */
static void
test_climber_import_refused (Fixture *f, gconstpointer data)
{
  g_autofree char *file = topout_test_path ("bad-climbers.csv");
  g_autofree char *missing = topout_test_path ("no-such-climbers.csv");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkWidget *report;
  GtkWidget *problems;
  GtkWidget *row;

  g_assert_true (g_file_set_contents (file,
                                      "memberCode,displayName\n"   /* 1 */
                                      "M-1,Ada Lovelace\n"         /* 2 */
                                      "M-2,\n",                    /* 3: no name */
                                      -1, NULL));
  show_view (f, topout_climbers_view_new);
  before = topout_test_dump_db (f->path);
  activate (f, "climbers.import-file", g_variant_new_string (file));
  report = wait_for_refusal ("bad-climbers.csv has 1 line that cannot be imported. Fix it and import the file again.");
  problems = find_named (report, "import-problems");
  g_assert_nonnull (problems);
  row = gtk_widget_get_first_child (problems);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Line 3");
  gtk_window_destroy (GTK_WINDOW (report));
  iterate ();

  /* The import can be started again at once; this file is not there. */
  activate (f, "climbers.import-file", g_variant_new_string (missing));
  report = wait_for_refusal (NULL);
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (report)),
                                   "“no-such-climbers.csv” could not be read"));
  g_assert_null (find_named (report, "import-problems"));

  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);
}

/* Catalog ------------------------------------------------------------------- */

/* The mapped button of @root with @action. */
static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Add Climb and Add Climber over a window as narrow as a phone (360 px),
 * 640 px high and 480 px high (a phone on its side, a half screen): the
 * form is no wider and no higher than that window, Add inside it, and a
 * refusal's message in view under the fields (its content scrolls). The
 * form was 460 px wide, Add past the window's edge, and as high as its
 * content: a bad grade's message below the screen, nothing in view
 * changed. */
static void
assert_form_fits (Fixture    *f,
                  GtkWidget  *dialog,
                  const char *shown)
{
  GtkWidget *add = find_actionable (dialog, "editor.save");
  GtkWidget *error = find_named (dialog, "error-label");
  GtkWidget *scrolled = gtk_widget_get_ancestor (error, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t r;

  g_test_message ("the window %d × %d, the form %d × %d", gtk_widget_get_width (f->window),
                  gtk_widget_get_height (f->window), gtk_widget_get_width (dialog), gtk_widget_get_height (dialog));
  g_assert_cmpint (gtk_widget_get_width (dialog), <=, gtk_widget_get_width (f->window));
  g_assert_cmpint (gtk_widget_get_height (dialog), <=, gtk_widget_get_height (f->window));
  g_assert_nonnull (add);
  g_assert_true (gtk_widget_compute_bounds (add, dialog, &r));
  g_assert_cmpfloat (r.origin.x + r.size.width, <=, gtk_widget_get_width (dialog));
  if (shown == NULL)
    return;
  g_assert_true (gtk_widget_get_mapped (error));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), shown));
  g_assert_true (gtk_widget_compute_bounds (error, scrolled, &r));
  g_test_message ("the message at %.0f to %.0f of %d px", r.origin.y, r.origin.y + r.size.height,
                  gtk_widget_get_height (scrolled));
  g_assert_cmpfloat (r.origin.y, >=, 0);
  g_assert_cmpfloat (r.origin.y + r.size.height, <=, gtk_widget_get_height (scrolled));
}

static void
test_forms_fit_narrow_window (Fixture *f, gconstpointer data)
{
  const int heights[] = { 640, 480 };

  show_view (f, topout_catalog_view_new);
  for (guint i = 0; i < G_N_ELEMENTS (heights); i++)
    {
      GtkWidget *dialog;

      gtk_window_set_default_size (GTK_WINDOW (f->window), 360, heights[i]);
      for (guint n = 0; (gtk_widget_get_width (f->window) != 360 || gtk_widget_get_height (f->window) != heights[i]) &&
                        n < 600; n++)
        topout_test_wait_frames (f->window, 1);
      g_assert_cmpint (gtk_widget_get_width (f->window), ==, 360);

      activate (f, "catalog.add", NULL);
      dialog = find_window ("climb-editor");
      g_assert_nonnull (dialog);
      topout_test_wait_frames (dialog, 3);
      assert_form_fits (f, dialog, NULL);
      set_field (dialog, "climb-name", "Crimp Street");
      set_field (dialog, "climb-grade", "6a+");
      g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
      topout_test_wait_frames (dialog, 4);
      g_assert_true (find_window ("climb-editor") == dialog);
      assert_form_fits (f, dialog, "“6a+”");
      gtk_window_destroy (GTK_WINDOW (dialog));
      iterate ();
    }

  show_view (f, topout_climbers_view_new);
  activate (f, "climbers.add", NULL);
  {
    GtkWidget *dialog = find_window ("climber-editor");

    g_assert_nonnull (dialog);
    topout_test_wait_frames (dialog, 3);
    assert_form_fits (f, dialog, NULL);
    gtk_window_destroy (GTK_WINDOW (dialog));
    iterate ();
  }
}

/* Add Climb with the optional id left blank and the name typed and then
 * cleared: the refusal is at the name, which gets the focus, not at the
 * blank id (it was marked: an empty id counted as the too-short text, though
 * a climb without one gets an id of its own). Nothing is saved. */
static void
test_catalog_add_empty_name_at_name (Fixture *f, gconstpointer data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkWidget *dialog;
  GtkWidget *name;

  show_view (f, topout_catalog_view_new);
  before = topout_test_dump_db (f->path);
  activate (f, "catalog.add", NULL);
  dialog = find_window ("climb-editor");
  g_assert_nonnull (dialog);
  name = find_named (dialog, "climb-name");
  set_field (dialog, "climb-name", "Crimp Street");
  set_field (dialog, "climb-name", "  ");
  set_field (dialog, "climb-grade", "V1");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();
  g_assert_true (find_window ("climb-editor") == dialog);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_named (dialog, "error-label"))), ==,
                   "The climb name must not be empty.");
  g_assert_true (gtk_widget_has_css_class (name, "error"));
  g_assert_false (gtk_widget_has_css_class (find_named (dialog, "climb-id"), "error"));
  g_assert_true (gtk_widget_has_focus (name) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (dialog)), name));

  /* With an id typed: the same. */
  set_field (dialog, "climb-id", "c-42");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();
  g_assert_true (gtk_widget_has_css_class (name, "error"));
  g_assert_false (gtk_widget_has_css_class (find_named (dialog, "climb-id"), "error"));
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_catalog_add_retire_restore (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimb) stored = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkWidget *dialog;
  GtkWidget *row;
  AdwToast *toast;

  show_view (f, topout_catalog_view_new);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find_named (f->view, "GtkStack"))), ==, "empty");

  activate (f, "catalog.add", NULL);
  dialog = find_window ("climb-editor");
  g_assert_nonnull (dialog);
  set_field (dialog, "climb-id", "c-42");
  set_field (dialog, "climb-name", "Crimp Street");
  set_field (dialog, "climb-grade", "6B+");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_named (dialog, "climb-grade-system")), 1);
  set_field (dialog, "climb-color", "#e01b24");
  set_field (dialog, "climb-wall", "Cave");
  set_field (dialog, "climb-set-on", "2026-11-01");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();
  g_assert_null (find_window ("climb-editor"));

  stored = topout_store_get_climb (f->store, "c-42", NULL);
  g_assert_nonnull (stored);
  g_assert_cmpstr (topout_climb_get_name (stored), ==, "Crimp Street");
  g_assert_cmpint (topout_climb_get_grade_system (stored), ==, TOPOUT_GRADE_SYSTEM_FONT);
  g_assert_cmpstr (topout_climb_get_color (stored), ==, "#e01b24");
  g_assert_cmpstr (topout_climb_get_wall (stored), ==, "Cave");
  g_assert_cmpstr (topout_climb_get_set_on (stored), ==, "2026-11-01");
  g_assert_nonnull (find_named (f->view, "c-42"));

  /* The same id again: refused at the id, nothing saved. */
  before = topout_test_dump_db (f->path);
  activate (f, "catalog.add", NULL);
  dialog = find_window ("climb-editor");
  set_field (dialog, "climb-id", "c-42");
  set_field (dialog, "climb-name", "Other");
  set_field (dialog, "climb-grade", "V1");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();
  g_assert_true (find_window ("climb-editor") == dialog);
  g_assert_true (gtk_widget_has_css_class (find_named (dialog, "climb-id"), "error"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find_named (dialog, "error-label"))), "c-42"));
  /* A bad date: at the date. */
  set_field (dialog, "climb-id", "c-43");
  set_field (dialog, "climb-set-on", "2026-13-45");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();
  g_assert_true (gtk_widget_has_css_class (find_named (dialog, "climb-set-on"), "error"));
  g_assert_false (gtk_widget_has_css_class (find_named (dialog, "climb-id"), "error"));
  /* A Font grade on the V scale (the default): at the grade, saying so. */
  set_field (dialog, "climb-set-on", "2026-11-01");
  set_field (dialog, "climb-grade", "6a+");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();
  g_assert_true (find_window ("climb-editor") == dialog);
  g_assert_true (gtk_widget_has_css_class (find_named (dialog, "climb-grade"), "error"));
  g_assert_true (gtk_widget_has_focus (find_named (dialog, "climb-grade")) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (dialog)), find_named (dialog, "climb-grade")));
  g_assert_false (gtk_widget_has_css_class (find_named (dialog, "climb-set-on"), "error"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_named (dialog, "error-label"))), ==,
                   "“6a+” is not a V-scale grade (VB, V0 to V17); a Font or YDS grade needs its grade system.");
  /* A colour nobody can show (a typo): at the colour. */
  set_field (dialog, "climb-grade", "V1");
  set_field (dialog, "climb-color", "rde");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();
  g_assert_true (find_window ("climb-editor") == dialog);
  g_assert_true (gtk_widget_has_css_class (find_named (dialog, "climb-color"), "error"));
  g_assert_false (gtk_widget_has_css_class (find_named (dialog, "climb-grade"), "error"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find_named (dialog, "error-label"))), "“rde”"));
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Retire, undo from the toast, retire again, restore from the row. */
  activate (f, "catalog.retire", g_variant_new_string ("c-42"));
  g_clear_object (&stored);
  stored = topout_store_get_climb (f->store, "c-42", NULL);
  g_assert_true (topout_climb_get_retired (stored));
  found = topout_store_find_climbs (f->store, "Crimp", NULL, 0);
  g_assert_cmpuint (found->len, ==, 0);
  row = find_named (f->view, "c-42");
  g_assert_nonnull (row);  /* still listed, to restore */
  g_assert_true (gtk_widget_has_css_class (row, "retired"));

  toast = find_toast (f, "Retired Crimp Street");
  g_assert_nonnull (toast);
  g_signal_emit_by_name (toast, "button-clicked");
  iterate ();
  g_clear_object (&stored);
  stored = topout_store_get_climb (f->store, "c-42", NULL);
  g_assert_false (topout_climb_get_retired (stored));
  g_assert_false (gtk_widget_has_css_class (find_named (f->view, "c-42"), "retired"));

  activate (f, "catalog.retire", g_variant_new_string ("c-42"));
  activate (f, "catalog.restore", g_variant_new_string ("c-42"));
  g_clear_object (&stored);
  stored = topout_store_get_climb (f->store, "c-42", NULL);
  g_assert_false (topout_climb_get_retired (stored));
  g_assert_nonnull (find_toast (f, "Restored Crimp Street"));
  /* Listed once. */
  g_assert_cmpuint (count_rows (GTK_WIDGET (gtk_widget_get_parent (find_named (f->view, "c-42")))), ==, 1);

  /* Retired in another run (or by an import that retired what its file
   * lacked): not lost, Show Retired lists it, to restore. */
  {
    g_autoptr (GError) error = NULL;
    GtkToggleButton *toggle;

    g_assert_true (topout_store_set_climb_retired (f->store, "c-42", TRUE, &error));
    g_assert_no_error (error);
    show_view (f, topout_catalog_view_new);
    g_assert_null (find_named (f->view, "c-42"));
    /* Not "no climbs in the catalog": the list, with the toggle. */
    g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find_named (f->view, "GtkStack"))), ==, "list");
    toggle = GTK_TOGGLE_BUTTON (find_named (f->view, "show-retired"));
    g_assert_nonnull (toggle);
    gtk_toggle_button_set_active (toggle, TRUE);
    iterate ();
    row = find_named (f->view, "c-42");
    g_assert_nonnull (row);
    g_assert_true (gtk_widget_has_css_class (row, "retired"));
    activate (f, "catalog.restore", g_variant_new_string ("c-42"));
    g_clear_object (&stored);
    stored = topout_store_get_climb (f->store, "c-42", NULL);
    g_assert_false (topout_climb_get_retired (stored));
  }
}

/* What a screen reader hears: @widget's accessible name is @name. */
static void
assert_named (GtkWidget  *widget,
              const char *name)
{
  g_autofree char *wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                               GTK_ACCESSIBLE_PROPERTY_LABEL, name);

  if (wrong != NULL)
    g_error ("%s heard as \"%s\", not \"%s\"", gtk_widget_get_name (widget), wrong, name);
}

/* The row of search and buttons above Climbers' and Catalog's lists is a
 * group a screen reader names ("Catalog actions"), as the desk's rows of
 * buttons are; it was a group with no name. Its children (the search, the
 * buttons) are groups, not a table's cells. */
static void
test_toolbars_named_groups (Fixture *f, gconstpointer data)
{
  GtkWidget *(*const views[]) (TopoutStore *, TopoutKiosk *) = {
    topout_climbers_view_new, topout_catalog_view_new,
  };
  const char *const names[] = { "Climber actions", "Catalog actions" };
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Lovelace", "M-0001");
  g_autoptr (TopoutClimb) climb = topout_test_add_climb (f->store, "c-1", "Roof", "V3");

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      GtkWidget *bar;
      guint n = 0;

      show_view (f, views[v]);
      bar = topout_test_find_by_type (f->view, GTK_TYPE_FLOW_BOX);
      g_assert_nonnull (bar);
      g_assert_true (gtk_widget_get_mapped (bar));
      g_assert_nonnull (topout_test_find_by_type (bar, GTK_TYPE_SEARCH_ENTRY));
      g_assert_nonnull (topout_test_find_by_type (bar, GTK_TYPE_TOGGLE_BUTTON));
      g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (bar)), ==, GTK_ACCESSIBLE_ROLE_GROUP);
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("%s's search and buttons: a group with no name", names[v]);
      assert_named (bar, names[v]);
      for (GtkWidget *c = gtk_widget_get_first_child (bar); c != NULL; c = gtk_widget_get_next_sibling (c), n++)
        g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (c)), ==, GTK_ACCESSIBLE_ROLE_GROUP);
      g_assert_cmpuint (n, ==, 2);
    }
}

/* Add Climb's Grade system is heard as "Grade system: V-scale", as it
 * reads; it was "Grade _system: V-scale", the underline of its mnemonic
 * spoken ("Grade underscore system"). */
static void
test_catalog_add_climb_heard (Fixture *f, gconstpointer data)
{
  GtkWidget *dialog;
  GtkWidget *system;

  /* As the app does at start-up. */
  topout_accessible_names_install ();
  show_view (f, topout_catalog_view_new);
  activate (f, "catalog.add", NULL);
  dialog = find_window ("climb-editor");
  g_assert_nonnull (dialog);
  system = find_named (dialog, "climb-grade-system");
  g_assert_true (gtk_widget_get_mapped (system));
  assert_named (system, "Grade system: V-scale");
  adw_combo_row_set_selected (ADW_COMBO_ROW (system), 1);
  assert_named (system, "Grade system: Font");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A catalog row is heard with its grade, and a retired one as retired
 * ("Crimp Street, Grade 6B, retired"): the row was heard by its name and
 * subtitle alone, the grade and the Retired tag beside them never read. */
static void
test_catalog_rows_heard (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimb) climb = topout_climb_new ("c-42", "Crimp Street", "6B", TOPOUT_GRADE_SYSTEM_FONT);
  g_autoptr (GError) error = NULL;
  GtkToggleButton *toggle;

  g_assert_true (topout_store_add_climb (f->store, climb, &error));
  g_assert_no_error (error);
  show_view (f, topout_catalog_view_new);
  assert_named (find_named (f->view, "c-42"), "Crimp Street, Grade 6B");

  /* Retired, listed with Show Retired, to restore. */
  activate (f, "catalog.retire", g_variant_new_string ("c-42"));
  assert_named (find_named (f->view, "c-42"), "Crimp Street, Grade 6B, retired");
  show_view (f, topout_catalog_view_new);
  toggle = GTK_TOGGLE_BUTTON (find_named (f->view, "show-retired"));
  gtk_toggle_button_set_active (toggle, TRUE);
  iterate ();
  assert_named (find_named (f->view, "c-42"), "Crimp Street, Grade 6B, retired");
}

static void
test_catalog_import_refused (Fixture *f, gconstpointer data)
{
  g_autofree char *file = topout_test_path ("bad-catalog.csv");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr (GPtrArray) lines = g_ptr_array_new ();
  GtkWidget *report;
  GtkWidget *problems;

  g_assert_true (g_file_set_contents (file,
                                      "id,name,grade,gradeSystem\n"   /* 1 */
                                      "k-1,Good,V1,V\n"               /* 2 */
                                      "k-2,,V2,V\n"                   /* 3: no name */
                                      "k-3,Fine,6a,FONT\n"            /* 4 */
                                      "k-4,Bad system,V4,EU\n"        /* 5: grade system */
                                      "k-5,Last,5.10a,YDS\n",         /* 6 */
                                      -1, NULL));
  show_view (f, topout_catalog_view_new);
  before = topout_test_dump_db (f->path);
  activate (f, "catalog.import-file", g_variant_new ("(sb)", file, FALSE));
  report = wait_for_refusal ("bad-catalog.csv has 2 lines that cannot be imported. Fix them and import the file again.");

  problems = find_named (report, "import-problems");
  g_assert_nonnull (problems);
  for (GtkWidget *row = gtk_widget_get_first_child (problems); row; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      g_ptr_array_add (lines, (gpointer) adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "Line 3");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "Line 5");

  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find_named (f->view, "GtkStack"))), ==, "empty");
}

/* A catalog saved by Excel on Windows (Windows-1252): imported, and the
 * report says it was read so; refused for a line, the report says it
 * under the count. */
static void
test_catalog_import_windows_1252 (Fixture *f, gconstpointer data)
{
  g_autofree char *file = topout_test_path ("excel-catalog.csv");
  g_autofree char *bad = topout_test_path ("excel-bad.csv");
  g_autoptr (TopoutClimb) cafe = NULL;
  GtkWidget *report;
  const char *body;

  g_assert_true (g_file_set_contents (file, "id,name,grade,wall\r\nw-1,Caf\xE9 wall,V3,\xDC" "berhang\r\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "id,name,grade\r\nw-2,Zo\xEB,V3\r\nw-3,,V4\r\n", -1, NULL));
  show_view (f, topout_catalog_view_new);
  activate (f, "catalog.import-file", g_variant_new ("(sb)", file, FALSE));
  report = wait_for_window ("import-report");
  g_assert_nonnull (report);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (report)), ==, "Catalog Imported");
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (report));
  g_test_message ("%s", body);
  g_assert_true (g_str_has_prefix (body, "excel-catalog.csv: 1 added, 0 updated, 0 unchanged, 0 retired.\n\n"));
  g_assert_nonnull (strstr (body, "read as Windows-1252"));
  cafe = topout_store_get_climb (f->store, "w-1", NULL);
  g_assert_cmpstr (topout_climb_get_name (cafe), ==, "Café wall");
  g_assert_cmpstr (topout_climb_get_wall (cafe), ==, "Überhang");
  gtk_window_destroy (GTK_WINDOW (report));
  iterate ();

  activate (f, "catalog.import-file", g_variant_new ("(sb)", bad, FALSE));
  report = wait_for_refusal (NULL);
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (report));
  g_assert_true (g_str_has_prefix (body, "excel-bad.csv has 1 line that cannot be imported."));
  g_assert_nonnull (strstr (body, "read as Windows-1252"));
  g_assert_nonnull (find_named (report, "import-problems"));
}

static void
test_catalog_import_ok (Fixture *f, gconstpointer data)
{
  g_autofree char *file = topout_test_path ("catalog.json");
  g_autofree char *file2 = topout_test_path ("catalog2.csv");
  g_autoptr (TopoutClimb) old = NULL;
  GtkWidget *report;

  g_object_unref (topout_test_add_climb (f->store, "old-1", "Old One", "V1"));
  g_assert_true (g_file_set_contents (file,
                                      "[{\"id\": \"j-1\", \"name\": \"Jug Haul\", \"grade\": \"V0\", \"color\": \"yellow\"},"
                                      " {\"id\": \"j-2\", \"name\": \"Sloper Sea\", \"grade\": \"V5\"},"
                                      " {\"id\": \"j-3\", \"name\": \"Pinch Me\", \"grade\": \"V3\"}]",
                                      -1, NULL));
  show_view (f, topout_catalog_view_new);
  activate (f, "catalog.import-file", g_variant_new ("(sb)", file, FALSE));
  report = wait_for_window ("import-report");
  g_assert_nonnull (report);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (report)), ==, "Catalog Imported");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (report)),
                            "3 added, 0 updated, 0 unchanged, 0 retired"));
  g_assert_null (find_named (report, "import-problems"));
  /* The list follows. */
  g_assert_nonnull (find_named (f->view, "j-2"));
  gtk_window_destroy (GTK_WINDOW (report));
  iterate ();

  /* Again with "retire missing": one changed, one unchanged, the rest retired. */
  g_assert_true (g_file_set_contents (file2,
                                      "id,name,grade\n"
                                      "j-1,Jug Haul,V0\n"
                                      "j-2,Sloper Sea,V6\n",
                                      -1, NULL));
  activate (f, "catalog.import-file", g_variant_new ("(sb)", file2, TRUE));
  report = wait_for_window ("import-report");
  g_assert_nonnull (report);
  g_test_message ("%s", adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (report)));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (report)), "0 added, "));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (report)), "2 retired"));
  old = topout_store_get_climb (f->store, "old-1", NULL);
  g_assert_true (topout_climb_get_retired (old));
  g_assert_null (find_named (f->view, "old-1"));
}

static gboolean
climb_retired (Fixture    *f,
               const char *id)
{
  g_autoptr (TopoutClimb) climb = topout_store_get_climb (f->store, id, NULL);

  g_assert_nonnull (climb);
  return topout_climb_get_retired (climb);
}

/* In kiosk mode the catalog's actions wait for the staff PIN: nothing
 * changes until it is given, and a cancelled prompt changes nothing. */
static void
test_catalog_kiosk_gate (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  AdwMessageDialog *prompt;

  g_object_unref (topout_test_add_climb (f->store, "g-1", "Gated", "V2"));
  g_assert_true (topout_kiosk_set_pin (kiosk, "8642", NULL));
  topout_kiosk_set_enabled (kiosk, TRUE);
  f->view = topout_catalog_view_new (f->store, kiosk);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (f->overlay), f->view);
  iterate ();

  activate (f, "catalog.retire", g_variant_new_string ("g-1"));
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  g_assert_false (climb_retired (f, "g-1"));
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (prompt), "staff-pin-entry")), "8642");
  adw_message_dialog_response (prompt, "unlock");
  iterate ();
  g_assert_true (climb_retired (f, "g-1"));
  g_assert_null (topout_test_find_prompt ());

  topout_kiosk_lock (kiosk);
  activate (f, "catalog.restore", g_variant_new_string ("g-1"));
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  adw_message_dialog_response (prompt, "cancel");
  iterate ();
  g_assert_null (topout_test_find_prompt ());
  g_assert_true (climb_retired (f, "g-1"));

  topout_kiosk_set_enabled (kiosk, FALSE);
  activate (f, "catalog.restore", g_variant_new_string ("g-1"));
  g_assert_null (topout_test_find_prompt ());
  g_assert_false (climb_retired (f, "g-1"));
  g_settings_reset (settings, "kiosk-pin-hash");
}

/* Scorecard ------------------------------------------------------------------ */

static void
log_route (TopoutStore *store,
           const char  *climber_id,
           const char  *climb_id,
           guint        attempts,
           gboolean     sent)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutCompletion) c = NULL;

  topout_test_advance (60 * G_USEC_PER_SEC);
  c = topout_store_log_completion (store, climber_id, climb_id, attempts, sent, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* A climb edited from its row: the editor opens with every field filled and
 * the id fixed (the catalog file's key and the routes'), saves the new name,
 * grade and wall; a route logged before keeps the grade it was logged at;
 * the toast's Undo brings the climb back as it was. A bad grade is refused
 * at the grade and saves nothing. In kiosk mode the edit waits for the PIN. */
static void
test_catalog_edit_undo (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimb) climb = topout_test_add_climb (f->store, "c-7", "Crimp Streat", "V3");
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Lovelace", NULL);
  g_autoptr (TopoutClimb) stored = NULL;
  g_autoptr (GPtrArray) routes = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkWidget *dialog;
  GtkWidget *id_row;
  AdwToast *toast;

  log_route (f->store, topout_climber_get_id (ada), "c-7", 2, TRUE);
  show_view (f, topout_catalog_view_new);
  {
    GtkWidget *edit = topout_test_find (f->view, is_shown_button, "Edit Crimp Streat");

    g_assert_nonnull (edit);
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (edit)), ==, "catalog.edit");
    g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (edit)), NULL),
                     ==, "c-7");
    g_signal_emit_by_name (edit, "clicked");
    iterate ();
  }
  dialog = find_window ("climb-editor");
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Edit Climb");
  /* The id shown, not a field. */
  id_row = find_named (dialog, "climb-id");
  g_assert_true (ADW_IS_ACTION_ROW (id_row));
  g_assert_false (GTK_IS_EDITABLE (id_row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (id_row)), ==, "c-7");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_named (dialog, "climb-name"))), ==, "Crimp Streat");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_named (dialog, "climb-grade"))), ==, "V3");

  /* A blank grade: refused at the grade, nothing saved. */
  before = topout_test_dump_db (f->path);
  set_field (dialog, "climb-grade", " ");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();
  g_assert_true (find_window ("climb-editor") == dialog);
  g_assert_true (gtk_widget_has_css_class (find_named (dialog, "climb-grade"), "error"));
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);

  set_field (dialog, "climb-name", "Crimp Street");
  set_field (dialog, "climb-grade", "V4");
  set_field (dialog, "climb-wall", "Cave");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();
  g_assert_null (find_window ("climb-editor"));
  stored = topout_store_get_climb (f->store, "c-7", NULL);
  g_assert_cmpstr (topout_climb_get_name (stored), ==, "Crimp Street");
  g_assert_cmpstr (topout_climb_get_grade (stored), ==, "V4");
  g_assert_cmpstr (topout_climb_get_wall (stored), ==, "Cave");
  g_assert_nonnull (topout_test_find (f->view, is_shown_button, "Edit Crimp Street"));
  /* Re-grading never rewrites history. */
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM completions"
                                                   " WHERE climb_id = 'c-7' AND grade = 'V3'"), ==, 1);

  toast = find_toast (f, "Saved Crimp Street");
  g_assert_nonnull (toast);
  g_signal_emit_by_name (toast, "button-clicked");
  iterate ();
  g_clear_object (&stored);
  stored = topout_store_get_climb (f->store, "c-7", NULL);
  g_assert_cmpstr (topout_climb_get_name (stored), ==, "Crimp Streat");
  g_assert_cmpstr (topout_climb_get_grade (stored), ==, "V3");
  g_assert_null (topout_climb_get_wall (stored));
  g_assert_nonnull (find_toast (f, "Restored Crimp Streat as it was"));
  /* At the kiosk: the editor opens only after the staff PIN. */
  {
    g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
    g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
    AdwMessageDialog *prompt;

    g_assert_true (topout_kiosk_set_pin (kiosk, "8642", NULL));
    topout_kiosk_set_enabled (kiosk, TRUE);
    f->view = topout_catalog_view_new (f->store, kiosk);
    adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (f->overlay), f->view);
    iterate ();
    activate (f, "catalog.edit", g_variant_new_string ("c-7"));
    prompt = topout_test_find_prompt ();
    g_assert_nonnull (prompt);
    g_assert_null (find_window ("climb-editor"));
    gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (prompt), "staff-pin-entry")), "8642");
    adw_message_dialog_response (prompt, "unlock");
    iterate ();
    dialog = find_window ("climb-editor");
    g_assert_nonnull (dialog);
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_settings_reset (settings, "kiosk-pin-hash");
  }
  g_assert_nonnull (climb);
}

/* Colours in the coach's words ----------------------------------------------- */

/* A climb @id named @name, of colour @color, in the catalog. */
static void
add_coloured_climb (Fixture    *f,
                    const char *id,
                    const char *name,
                    const char *color)
{
  g_autoptr (TopoutClimb) climb = topout_climb_new (id, name, "V2", TOPOUT_GRADE_SYSTEM_V_SCALE);
  g_autoptr (GError) error = NULL;

  topout_climb_set_color (climb, color);
  g_assert_true (topout_store_add_climb (f->store, climb, &error));
  g_assert_no_error (error);
}

/* The stored colour of climb @id. */
static char *
stored_color (Fixture    *f,
              const char *id)
{
  g_autoptr (TopoutClimb) climb = topout_store_get_climb (f->store, id, NULL);

  g_assert_nonnull (climb);
  return g_strdup (topout_climb_get_color (climb));
}

/* The ids of the Catalog's rows after a search for @query, in order,
 * joined by spaces. */
static char *
catalog_search (Fixture    *f,
                const char *query)
{
  GtkWidget *search = topout_test_find_by_type (f->view, GTK_TYPE_SEARCH_ENTRY);
  GtkWidget *list;
  g_autoptr (GString) ids = g_string_new (NULL);

  g_assert_nonnull (search);
  gtk_editable_set_text (GTK_EDITABLE (search), query);
  g_signal_emit_by_name (search, "search-changed");
  iterate ();
  list = topout_test_find_by_type (f->view, GTK_TYPE_LIST_BOX);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      g_string_append_printf (ids, "%s%s", ids->len ? " " : "", gtk_widget_get_name (row));
  return g_strdup (ids->str);
}

/* A search of the Catalog for @query lists the climbs @ids. */
static void
assert_search (Fixture    *f,
               const char *query,
               const char *ids)
{
  g_autofree char *found = catalog_search (f, query);

  g_assert_cmpstr (found, ==, ids);
}

/* The climb form of the Catalog (Add Climb, or Edit Climb for @id), with
 * its colour row; @colour_shown: what that row shows when it opens. */
static GtkWidget *
open_climb_form (Fixture    *f,
                 const char *id,
                 const char *colour_shown)
{
  GtkWidget *dialog;

  if (id != NULL)
    activate (f, "catalog.edit", g_variant_new_string (id));
  else
    activate (f, "catalog.add", NULL);
  dialog = find_window ("climb-editor");
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_named (dialog, "climb-color"))), ==, colour_shown);
  return dialog;
}

/* Saves the form @dialog; TRUE when it closed (the climb saved). */
static gboolean
save_climb_form (GtkWidget *dialog)
{
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  iterate ();
  return find_window ("climb-editor") != dialog;
}

/* Types @typed in @dialog's @field and saves: the swatch beside the colour
 * showed @color, and climb @id's colour is then @color. */
static void
save_and_check_colour (Fixture    *f,
                       GtkWidget  *dialog,
                       const char *id,
                       const char *field,
                       const char *typed,
                       const char *color)
{
  g_autofree char *stored = NULL;

  set_field (dialog, field, typed);
  g_assert_cmpstr (topout_color_swatch_get_color (TOPOUT_COLOR_SWATCH (find_named (dialog, "climb-color-preview"))),
                   ==, color);
  g_assert_true (save_climb_form (dialog));
  stored = stored_color (f, id);
  g_assert_cmpstr (stored, ==, color);
}

/* Adds climb @id with the colour typed as @typed; checks it is stored as
 * @color. */
static void
add_climb_typed (Fixture    *f,
                 const char *id,
                 const char *typed,
                 const char *color)
{
  GtkWidget *dialog = open_climb_form (f, NULL, "");

  set_field (dialog, "climb-id", id);
  set_field (dialog, "climb-name", id);
  set_field (dialog, "climb-grade", "V1");
  save_and_check_colour (f, dialog, id, "climb-color", typed, color);
}

/* The Catalog's row of climb @id says its colour as @name first. */
static void
assert_row_colour (Fixture    *f,
                   const char *id,
                   const char *name)
{
  GtkWidget *row = find_named (f->view, id);
  g_autofree char *start = g_strdup_printf ("%s · ", name);

  g_assert_nonnull (row);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), start));
}

/* Edit Climb on @id, its colour row showing @shown, and @typed in it:
 * saved, the climb's colour is @color and its row names it @name. */
static void
edit_colour (Fixture    *f,
             const char *id,
             const char *shown,
             const char *typed,
             const char *color,
             const char *name)
{
  save_and_check_colour (f, open_climb_form (f, id, shown), id, "climb-color", typed, color);
  assert_row_colour (f, id, name);
}

/* An edit that leaves the colour row as it opened (showing @shown) keeps
 * climb @id's colour as it was stored, a code too. */
static void
assert_untouched_colour_kept (Fixture    *f,
                              const char *id,
                              const char *shown)
{
  g_autofree char *before = stored_color (f, id);

  save_and_check_colour (f, open_climb_form (f, id, shown), id, "climb-wall", "Cave", before);
}

/* A colour that is none refused at the colour row, with @message, and
 * nothing saved; the swatch beside it showed no colour. */
static void
assert_colour_refused (Fixture    *f,
                       const char *typed,
                       const char *message)
{
  g_autofree char *before = topout_test_dump_db (f->path);
  g_autofree char *after = NULL;
  GtkWidget *dialog = open_climb_form (f, NULL, "");

  set_field (dialog, "climb-name", "Nowhere");
  set_field (dialog, "climb-grade", "V1");
  set_field (dialog, "climb-color", typed);
  assert_named (find_named (dialog, "climb-color-preview"), g_dgettext (GETTEXT_PACKAGE, "No colour"));
  g_assert_false (save_climb_form (dialog));
  g_assert_true (gtk_widget_has_css_class (find_named (dialog, "climb-color"), "error"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_named (dialog, "error-label"))), ==, message);
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The Catalog of four climbs, red (a code), pink ("violet"), yellow and
 * white: their rows name the colours @red and @pink. */
static void
show_colour_catalog (Fixture    *f,
                     const char *red,
                     const char *pink)
{
  add_coloured_climb (f, "c-1", "Crimp", "#e01b24");
  add_coloured_climb (f, "c-2", "Jug Haul", "violet");
  add_coloured_climb (f, "c-3", "Sloper", "yellow");
  add_coloured_climb (f, "c-4", "Pinch", "white");
  show_view (f, topout_catalog_view_new);
  assert_row_colour (f, "c-1", red);
  assert_row_colour (f, "c-2", pink);
}

/* The Catalog's form and search take a colour in the coach's words. In
 * English: "rosa", "bleu clair" and "Pink" are stored as "pink",
 * "lightblue" and "pink" (the German and French words were refused as
 * "not a colour"); editing a climb of "#e01b24" shows "Red", as its row
 * does, and an edit of its wall keeps "#e01b24"; a search for "pink"
 * finds "violet" (its row says Pink), "red" finds "#e01b24", "rosa"
 * finds a climb retired here; none of them found anything. A word that is
 * no colour is refused at the colour, naming what works. */
static void
test_catalog_colour_words (Fixture *f, gconstpointer data)
{
  show_colour_catalog (f, "Red", "Pink");
  assert_search (f, "pink", "c-2");
  assert_search (f, "Red", "c-1");
  assert_search (f, "gelb", "c-3");
  /* A climb retired here stays listed, found by its colour too. */
  activate (f, "catalog.retire", g_variant_new_string ("c-2"));
  assert_search (f, "rosa", "c-2");
  assert_search (f, "", "c-1 c-4 c-3 c-2");

  assert_untouched_colour_kept (f, "c-1", "Red");
  add_climb_typed (f, "k-1", "rosa", "pink");
  add_climb_typed (f, "k-2", "bleu clair", "lightblue");
  add_climb_typed (f, "k-3", " Pink ", "pink");
  add_climb_typed (f, "k-4", "#2ec27e", "#2ec27e");
  edit_colour (f, "c-1", "Red", "rot", "red", "Red");
  assert_colour_refused (f, "rde", "“rde” is not a colour: give a colour name such as “red”, or a code such as “#e01b24”.");
}

/* The same in German (LANGUAGE=de, the build's translations), in a child
 * of its own: a German coach types "rot", "Gelb" and "Weiß" (stored as
 * "red", "yellow" and "white"; "rot" was refused as not a colour), edits
 * a climb of "#e01b24" and sees "Rot" in its colour row, as its row says
 * (it showed "#e01b24"), which saves "#e01b24" back; a search for "rot"
 * or "Gelb" finds the red and the yellow climbs (it found nothing). */
static void
run_catalog_colour_words_german (Fixture *f)
{
  /* Translated, or the test says nothing about German. */
  show_colour_catalog (f, "Rot", "Rosa");
  assert_search (f, "rot", "c-1");
  assert_search (f, "Gelb", "c-3");
  assert_search (f, "weiss", "c-4");
  assert_search (f, "pink", "c-2");
  /* Every climb listed again, to find their rows. */
  assert_search (f, "", "c-1 c-2 c-4 c-3");

  assert_untouched_colour_kept (f, "c-1", "Rot");
  add_climb_typed (f, "k-1", "rot", "red");
  add_climb_typed (f, "k-2", "Weiß", "white");
  assert_row_colour (f, "k-2", "Weiß");
  edit_colour (f, "c-1", "Rot", "Gelb", "yellow", "Gelb");
  {
    g_autofree char *message = NULL;
    GError *error = NULL;

    /* The message is the store's, translated when the lead has. */
    g_assert_false (topout_color_read ("rde", TOPOUT_COLOR_WORDS_UI, &message, &error));
    assert_colour_refused (f, "rde", error->message);
    g_error_free (error);
  }
}

static void
test_catalog_colour_words_german (void)
{
  locale_t loc;

  if (g_test_subprocess ())
    {
      g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
      Fixture f = { 0 };

      g_setenv ("LANGUAGE", "de", TRUE);
      g_setenv ("LC_ALL", "de_DE.UTF-8", TRUE);
      g_assert_nonnull (setlocale (LC_ALL, ""));
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      set_up_climbers (&f, NULL);
      run_catalog_colour_words_german (&f);
      fixture_tear_down (&f, NULL);
      return;
    }
  loc = newlocale (LC_ALL_MASK, "de_DE.UTF-8", (locale_t) 0);
  if (loc == (locale_t) 0)
    {
      g_test_skip ("the locale de_DE.UTF-8 is not installed (./dev generates it)");
      return;
    }
  freelocale (loc);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* The climber ids of the ranking rows, top first, joined by spaces. */
static char *
ranking_order (Fixture *f)
{
  GtkWidget *list = find_named (f->view, "GtkListBox");
  g_autoptr (GString) order = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row))
      g_string_append_printf (order, "%s%s", order->len ? " " : "", gtk_widget_get_name (row));
  return g_strdup (order->str);
}

static const char *
row_number (Fixture    *f,
            const char *climber_id,
            const char *column)
{
  GtkWidget *row = find_named (f->view, climber_id);

  g_assert_nonnull (row);
  return gtk_label_get_text (GTK_LABEL (find_named (row, column)));
}

static void
test_scorecard_ranking_live (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Lovelace", NULL);
  g_autoptr (TopoutClimber) bo = topout_test_add_climber (f->store, "Bo Kim", NULL);
  g_autoptr (TopoutClimber) cy = topout_test_add_climber (f->store, "Cy Young", NULL);
  g_autoptr (TopoutSession) s1 = NULL;
  g_autoptr (TopoutSession) s2 = NULL;
  g_autoptr (TopoutSession) s3 = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *order = NULL;
  GtkStack *stack;
  GtkDropDown *dropdown;
  const char *A = topout_climber_get_id (ada);
  const char *B = topout_climber_get_id (bo);
  const char *C = topout_climber_get_id (cy);

  g_object_unref (topout_test_add_climb (f->store, "c-1", "One", "V1"));
  g_object_unref (topout_test_add_climb (f->store, "c-2", "Two", "V2"));

  show_view (f, topout_scorecard_view_new);
  stack = GTK_STACK (find_named (f->view, "GtkStack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");

  s1 = topout_test_start_competition (f->store, A, "LEAGUE", "2026-r3");
  s2 = topout_test_start_competition (f->store, B, "LEAGUE", "2026-r3");
  s3 = topout_test_start_competition (f->store, C, "LEAGUE", "2026-r3");
  iterate ();
  /* The round just started, no route yet: listed, its climbers with it
   * (sharing the first place, no top), and it says so below them (it was
   * "No Competitions Yet" until the first route). */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "ranking");
  dropdown = GTK_DROP_DOWN (find_named (f->view, "GtkDropDown"));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 1);
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (gtk_drop_down_get_selected_item (dropdown))),
                   ==, "LEAGUE · 2026-r3");
  g_assert_true (topout_test_shows_text (f->view, "No routes logged in this competition yet."));
  order = ranking_order (f);
  expected = g_strjoin (" ", A, B, C, NULL);
  g_assert_cmpstr (order, ==, expected);
  g_assert_cmpstr (row_number (f, B, "rank"), ==, "1=");
  g_assert_cmpstr (row_number (f, B, "tops"), ==, "0");
  g_assert_cmpstr (row_number (f, B, "attempts"), ==, "0");
  g_clear_pointer (&order, g_free);
  g_clear_pointer (&expected, g_free);

  log_route (f->store, A, "c-1", 3, TRUE);   /* Ada: 1 top, 3 to top */
  log_route (f->store, B, "c-1", 1, TRUE);   /* Bo: 2 tops, 3 to top */
  log_route (f->store, B, "c-2", 2, TRUE);
  log_route (f->store, C, "c-1", 1, TRUE);   /* Cy: 1 top, 1 to top, 3 attempts */
  log_route (f->store, C, "c-2", 2, FALSE);
  iterate ();

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "ranking");
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 1);
  g_assert_false (topout_test_shows_text (f->view, "No routes logged in this competition yet."));

  /* Tops first, then attempts to top. */
  expected = g_strjoin (" ", B, C, A, NULL);
  order = ranking_order (f);
  g_assert_cmpstr (order, ==, expected);
  g_assert_cmpstr (row_number (f, B, "tops"), ==, "2");
  g_assert_cmpstr (row_number (f, B, "attempts-to-top"), ==, "3");
  g_assert_cmpstr (row_number (f, C, "attempts"), ==, "3");
  g_assert_cmpstr (row_number (f, C, "rank"), ==, "2");
  /* What a screen reader says: counts in the singular where they are one. */
  {
    g_autofree char *wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (find_named (f->view, C)),
                                                                 GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                 "2. Cy Young: 1 top, 1 attempt to top, 3 attempts");

    g_assert_null (wrong);
  }

  /* Live: Ada tops c-2 in one; now 2 tops and 4 to top, ahead of Cy. */
  log_route (f->store, A, "c-2", 1, TRUE);
  iterate ();
  g_clear_pointer (&expected, g_free);
  g_clear_pointer (&order, g_free);
  expected = g_strjoin (" ", B, A, C, NULL);
  order = ranking_order (f);
  g_assert_cmpstr (order, ==, expected);
  g_assert_cmpstr (row_number (f, A, "tops"), ==, "2");
  g_assert_cmpstr (row_number (f, A, "attempts-to-top"), ==, "4");

  /* A second competition appears in the picker; select it by action. */
  {
    g_autoptr (TopoutClimber) dee = topout_test_add_climber (f->store, "Dee Dee", NULL);
    g_autoptr (TopoutSession) s4 = topout_test_start_competition (f->store, topout_climber_get_id (dee), "CUP", "spring");

    log_route (f->store, topout_climber_get_id (dee), "c-1", 4, TRUE);
    iterate ();
    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 2);
    /* The chosen competition stays chosen. */
    g_clear_pointer (&order, g_free);
    order = ranking_order (f);
    g_assert_cmpstr (order, ==, expected);

    activate (f, "scorecard.select", g_variant_new_string ("CUP\x1fspring"));
    g_clear_pointer (&order, g_free);
    order = ranking_order (f);
    g_assert_cmpstr (order, ==, topout_climber_get_id (dee));
    activate (f, "scorecard.select-pair", g_variant_new ("(ss)", "LEAGUE", "2026-r3"));
    g_clear_pointer (&order, g_free);
    order = ranking_order (f);
    g_assert_cmpstr (order, ==, expected);
  }
}

/* A burst of logs refreshes once: count the changes of Ada's attempts. */
static void
label_changed (GtkWidget  *label,
               GParamSpec *pspec,
               guint      *n)
{
  (*n)++;
}

static void
test_scorecard_coalesced (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Lovelace", NULL);
  g_autoptr (TopoutSession) s = NULL;
  const char *A = topout_climber_get_id (ada);
  guint n_refreshes = 0;

  g_object_unref (topout_test_add_climb (f->store, "c-1", "One", "V1"));
  s = topout_test_start_competition (f->store, A, "LEAGUE", "r1");
  log_route (f->store, A, "c-1", 1, FALSE);
  show_view (f, topout_scorecard_view_new);
  g_assert_nonnull (find_named (f->view, A));

  /* Each refresh shows Ada's attempts again, one more for each log. */
  g_signal_connect (find_named (find_named (f->view, A), "attempts"), "notify::label",
                    G_CALLBACK (label_changed), &n_refreshes);
  for (guint i = 0; i < 5; i++)
    log_route (f->store, A, "c-1", 1, i == 4);
  g_assert_cmpuint (n_refreshes, ==, 0);  /* nothing before the idle */
  iterate ();
  g_assert_cmpuint (n_refreshes, ==, 1);
  g_assert_cmpstr (row_number (f, A, "attempts"), ==, "6");
  g_assert_cmpstr (row_number (f, A, "tops"), ==, "1");
  g_assert_cmpstr (row_number (f, A, "attempts-to-top"), ==, "6");
}

/* Equal tops and attempts to top share a place ("1="), both on the podium; a long
 * competition is ellipsized, not widening the window; the ranking is one Tab
 * stop; out of sight it waits until it is shown. */
static gboolean
is_label_showing (GtkWidget     *widget,
                  gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* The mapped label of @root showing @text, or NULL. */
static GtkWidget *
find_label_showing (GtkWidget  *root,
                    const char *text)
{
  return topout_test_find (root, is_label_showing, text);
}

/* A half screen (420 px): the competition picker's button, too narrow for
 * "Youth Boulder League · 2026-round-3", is cut in the middle, keeping the
 * round that tells it from the others (it read "… · 2026-round…"). */
static void
test_scorecard_picker_keeps_id_end (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Lovelace", NULL);
  g_autoptr (TopoutSession) s = NULL;
  GtkWidget *label;

  show_view (f, topout_scorecard_view_new);
  g_object_unref (topout_test_add_climb (f->store, "c-1", "One", "V1"));
  s = topout_test_start_competition (f->store, topout_climber_get_id (ada), "Youth Boulder League", "2026-round-3");
  log_route (f->store, topout_climber_get_id (ada), "c-1", 1, TRUE);
  iterate ();
  resize_and_wait (f, 420);
  label = find_label_showing (find_named (f->view, "GtkDropDown"), "Youth Boulder League · 2026-round-3");
  g_assert_nonnull (label);
  g_assert_true (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));
  g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (label)), ==, PANGO_ELLIPSIZE_MIDDLE);
}

static void
test_scorecard_ties_long_pair_and_keyboard (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Lovelace", NULL);
  g_autoptr (TopoutClimber) bo = topout_test_add_climber (f->store, "Bo Kim", NULL);
  g_autoptr (TopoutClimber) cy = topout_test_add_climber (f->store, "Cy Young", NULL);
  g_autoptr (TopoutSession) s1 = NULL, s2 = NULL, s3 = NULL;
  g_autofree char *long_type = g_strnfill (64, 'L');
  g_autofree char *long_id = g_strnfill (64, 'r');
  g_autofree char *long_label = g_strdup_printf ("%s · %s", long_type, long_id);
  const char *A = topout_climber_get_id (ada);
  const char *B = topout_climber_get_id (bo);
  const char *C = topout_climber_get_id (cy);
  GtkWidget *list, *first, *last, *focus;
  GtkDropDown *dropdown;
  int min_width = 0;

  g_object_unref (topout_test_add_climb (f->store, "c-1", "One", "V1"));
  g_object_unref (topout_test_add_climb (f->store, "c-2", "Two", "V2"));
  s1 = topout_test_start_competition (f->store, B, long_type, long_id);
  s2 = topout_test_start_competition (f->store, A, long_type, long_id);
  s3 = topout_test_start_competition (f->store, C, long_type, long_id);
  log_route (f->store, B, "c-1", 2, TRUE);    /* Bo tops first, */
  log_route (f->store, A, "c-1", 2, TRUE);    /* Ada later: tied */
  log_route (f->store, C, "c-1", 3, TRUE);
  show_view (f, topout_scorecard_view_new);

  /* A shared place reads as one: "1=", as results lists write it. */
  g_assert_cmpstr (row_number (f, A, "rank"), ==, "1=");
  g_assert_cmpstr (row_number (f, B, "rank"), ==, "1=");
  g_assert_cmpstr (row_number (f, C, "rank"), ==, "3");
  g_assert_true (gtk_widget_has_css_class (find_named (f->view, A), "scorecard-podium-1"));
  g_assert_true (gtk_widget_has_css_class (find_named (f->view, B), "scorecard-podium-1"));
  g_assert_true (gtk_widget_has_css_class (find_named (f->view, C), "scorecard-podium-3"));
  {
    g_autofree char *wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (find_named (f->view, B)),
                                                                 GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                 "1. (tied) Bo Kim: 1 top, 2 attempts to top, 2 attempts");

    g_assert_null (wrong);
  }

  /* 129 characters of competition fit a small window. */
  dropdown = GTK_DROP_DOWN (find_named (f->view, "GtkDropDown"));
  gtk_widget_measure (f->view, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <, 500);
  g_assert_true (topout_test_shows_text (f->view, long_label));

  /* Its list names each item (GTK 4.8's items are unnamed). */
  g_assert_cmpuint (topout_test_drop_down_named_items (dropdown), ==, 1);

  /* Tab from any row leaves the ranking; Shift+Tab too, the other way. */
  list = find_named (f->view, "GtkListBox");
  first = find_named (f->view, A);
  last = find_named (f->view, C);
  g_assert_true (gtk_widget_grab_focus (first));
  topout_test_press_tab (list, FALSE);
  focus = gtk_root_get_focus (gtk_widget_get_root (list));
  g_assert_nonnull (focus);
  g_assert_false (gtk_widget_is_ancestor (focus, list));
  g_assert_true (gtk_widget_grab_focus (last));
  topout_test_press_tab (list, TRUE);
  focus = gtk_root_get_focus (gtk_widget_get_root (list));
  g_assert_nonnull (focus);
  g_assert_false (gtk_widget_is_ancestor (focus, list));

  /* Out of sight, a log changes nothing until the view is shown again. */
  gtk_widget_set_visible (f->view, FALSE);
  iterate ();
  log_route (f->store, C, "c-2", 1, TRUE);
  iterate ();
  g_assert_cmpstr (row_number (f, C, "rank"), ==, "3");
  gtk_widget_set_visible (f->view, TRUE);
  iterate ();
  g_assert_cmpstr (row_number (f, C, "rank"), ==, "1");
  g_assert_cmpstr (row_number (f, A, "rank"), ==, "2=");
  g_assert_cmpstr (row_number (f, B, "rank"), ==, "2=");
}

/* A competition longer than the window: scrolled to its last climber, the
 * column headers are still there above the ranking, not scrolled away
 * with its first rows. */
static void
test_scorecard_header_stays (Fixture *f, gconstpointer data)
{
  g_autofree char *last_id = NULL;
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adjustment;
  GtkWidget *header, *last;
  graphene_rect_t bounds;

  g_object_unref (topout_test_add_climb (f->store, "c-1", "One", "V1"));
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("Climber %02u", i);
      g_autoptr (TopoutClimber) climber = topout_test_add_climber (f->store, name, NULL);
      g_autoptr (TopoutSession) s = topout_test_start_competition (f->store, topout_climber_get_id (climber),
                                                                    "LEAGUE", "r1");

      log_route (f->store, topout_climber_get_id (climber), "c-1", i + 1, TRUE);
      g_free (last_id);
      last_id = g_strdup (topout_climber_get_id (climber));
    }
  show_view (f, topout_scorecard_view_new);

  header = find_named (f->view, "ranking-header");
  last = find_named (f->view, last_id);
  g_assert_nonnull (header);
  g_assert_nonnull (last);
  scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (last, GTK_TYPE_SCROLLED_WINDOW));
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  topout_test_wait_frames (f->window, 3);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment) + 100);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  topout_test_wait_frames (f->window, 3);
  /* The last row is in sight. */
  g_assert_true (gtk_widget_compute_bounds (last, GTK_WIDGET (scrolled), &bounds));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (scrolled)) + 1);

  g_assert_true (gtk_widget_compute_bounds (header, f->view, &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_true (topout_test_shows_text (f->view, "Attempts to top"));
  g_assert_true (gtk_widget_compute_bounds (header, GTK_WIDGET (scrolled), &bounds));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, 0);
}

/* Live during a competition: a log elsewhere in the ranking leaves the
 * coach's screen where it was, scrolled to the end with the keyboard on the
 * last place, and the places follow the log; another competition chosen
 * is read from its first place. */
static void
test_scorecard_live_keeps_place (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (TopoutClimber) other = topout_test_add_climber (f->store, "Zed Other", NULL);
  g_autoptr (TopoutSession) cup = NULL;
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adjustment;
  GtkWidget *list, *last, *focus;
  double value;

  g_object_unref (topout_test_add_climb (f->store, "c-1", "One", "V1"));
  g_object_unref (topout_test_add_climb (f->store, "c-2", "Two", "V2"));
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("Climber %02u", i);
      g_autoptr (TopoutClimber) climber = topout_test_add_climber (f->store, name, NULL);
      g_autoptr (TopoutSession) s = topout_test_start_competition (f->store, topout_climber_get_id (climber),
                                                                    "LEAGUE", "r1");

      log_route (f->store, topout_climber_get_id (climber), "c-1", i + 1, TRUE);
      g_ptr_array_add (ids, g_strdup (topout_climber_get_id (climber)));
    }
  cup = topout_test_start_competition (f->store, topout_climber_get_id (other), "CUP", "r1");
  log_route (f->store, topout_climber_get_id (other), "c-1", 1, TRUE);
  show_view (f, topout_scorecard_view_new);
  activate (f, "scorecard.select-pair", g_variant_new ("(ss)", "LEAGUE", "r1"));

  list = find_named (f->view, "GtkListBox");
  last = find_named (f->view, g_ptr_array_index (ids, 39));
  scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW));
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  topout_test_wait_frames (f->window, 3);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment) + 100);
  g_assert_true (gtk_widget_grab_focus (last));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  topout_test_wait_frames (f->window, 3);
  value = gtk_adjustment_get_value (adjustment);
  g_assert_cmpfloat (value, >, 0);

  /* The leader tops the slab. */
  log_route (f->store, g_ptr_array_index (ids, 0), "c-2", 1, TRUE);
  iterate ();
  topout_test_wait_frames (f->window, 3);
  g_assert_cmpstr (row_number (f, g_ptr_array_index (ids, 0), "tops"), ==, "2");
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, value);
  focus = gtk_root_get_focus (gtk_widget_get_root (list));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_get_parent (focus) == list);
  g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (focus)), ==, 39);

  /* Someone near the end climbs up: the last place is someone else now. */
  log_route (f->store, g_ptr_array_index (ids, 39), "c-2", 1, TRUE);
  iterate ();
  topout_test_wait_frames (f->window, 3);
  g_assert_cmpstr (row_number (f, g_ptr_array_index (ids, 39), "rank"), ==, "2");
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 39))),
                   ==, g_ptr_array_index (ids, 38));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, value);

  /* Another competition: from its first place, one row. */
  activate (f, "scorecard.select-pair", g_variant_new ("(ss)", "CUP", "r1"));
  topout_test_wait_frames (f->window, 3);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
  g_assert_cmpstr (row_number (f, topout_climber_get_id (other), "rank"), ==, "1");
}

/* A climber with no top yet shows an en dash under "Attempts to top", not a
 * "0" that reads as topped without an attempt, and a screen reader hears
 * that there is none; a top later gives the number back. */
static void
test_scorecard_no_top_dash (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Lovelace", NULL);
  g_autoptr (TopoutClimber) bo = topout_test_add_climber (f->store, "Bo Kim", NULL);
  g_autoptr (TopoutSession) s1 = NULL, s2 = NULL;
  const char *A = topout_climber_get_id (ada);
  const char *B = topout_climber_get_id (bo);

  g_object_unref (topout_test_add_climb (f->store, "c-1", "One", "V1"));
  s1 = topout_test_start_competition (f->store, A, "LEAGUE", "r1");
  s2 = topout_test_start_competition (f->store, B, "LEAGUE", "r1");
  log_route (f->store, A, "c-1", 2, TRUE);
  log_route (f->store, B, "c-1", 3, FALSE);   /* Bo: no top, 3 attempts */
  show_view (f, topout_scorecard_view_new);

  g_assert_cmpstr (row_number (f, A, "attempts-to-top"), ==, "2");
  /* A number is heard as the number (GTK 4.8 hid the text of a label
   * whose accessible label was reset: "GtkLabel" in the AT-SPI tree). */
  {
    g_autofree char *wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (find_named (find_named (f->view, A),
                                                                                             "attempts-to-top")),
                                                                 GTK_ACCESSIBLE_PROPERTY_LABEL, "2");

    g_assert_null (wrong);
  }
  /* Second, but with no top: not shown on the podium. */
  g_assert_true (gtk_widget_has_css_class (find_named (f->view, A), "scorecard-podium-1"));
  g_assert_false (gtk_widget_has_css_class (find_named (f->view, B), "scorecard-podium-2"));
  g_assert_cmpstr (row_number (f, B, "tops"), ==, "0");
  g_assert_cmpstr (row_number (f, B, "attempts-to-top"), ==, "\u2013");
  g_assert_cmpstr (row_number (f, B, "attempts"), ==, "3");
  {
    g_autofree char *wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (find_named (f->view, B)),
                                                                 GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                 "2. Bo Kim: 0 tops, attempts to top: none, 3 attempts");

    g_assert_null (wrong);
  }
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (find_named (find_named (f->view, B),
                                                                               "attempts-to-top")),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL));

  /* Bo tops it: the number is back, heard as the number. */
  log_route (f->store, B, "c-1", 1, TRUE);
  iterate ();
  g_assert_cmpstr (row_number (f, B, "attempts-to-top"), ==, "4");
  {
    g_autofree char *wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (find_named (find_named (f->view, B),
                                                                                             "attempts-to-top")),
                                                                 GTK_ACCESSIBLE_PROPERTY_LABEL, "4");

    g_assert_null (wrong);
  }
  g_assert_true (gtk_widget_has_css_class (find_named (f->view, B), "scorecard-podium-2"));

  /* A round nobody has topped yet: both "1=", neither on the podium. */
  {
    g_autoptr (TopoutClimber) cy = topout_test_add_climber (f->store, "Cy Young", NULL);
    g_autoptr (TopoutSession) s3 = NULL;
    const char *C = topout_climber_get_id (cy);

    g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s1), NULL));
    g_clear_object (&s1);
    s1 = topout_test_start_competition (f->store, A, "CUP", "final");
    s3 = topout_test_start_competition (f->store, C, "CUP", "final");
    log_route (f->store, A, "c-1", 4, FALSE);
    log_route (f->store, C, "c-1", 2, FALSE);
    iterate ();
    g_assert_true (gtk_widget_activate_action (f->view, "scorecard.select-pair", "(ss)", "CUP", "final"));
    iterate ();
    g_assert_cmpstr (row_number (f, A, "rank"), ==, "1=");
    g_assert_cmpstr (row_number (f, C, "rank"), ==, "1=");
    g_assert_false (gtk_widget_has_css_class (find_named (f->view, A), "scorecard-podium-1"));
    g_assert_false (gtk_widget_has_css_class (find_named (f->view, C), "scorecard-podium-1"));
  }
}

/* Export Ranking: the chosen competition's ranking, as the view ranks it,
 * into a CSV file written off the UI thread, with a toast naming the count
 * and the file; full names and member codes (the kiosk's short names are
 * for its screen). On the kiosk, locked, Export asks for the staff PIN
 * first, and a cancelled prompt writes nothing. */
static void
test_scorecard_export_ranking (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Lovelace", "M-1");
  g_autoptr (TopoutClimber) bo = topout_test_add_climber (f->store, "Bo Kim", NULL);
  g_autoptr (TopoutClimber) cy = topout_test_add_climber (f->store, "Cy Young", NULL);
  g_autoptr (TopoutSession) s1 = topout_test_start_competition (f->store, topout_climber_get_id (ada), "LEAGUE", "r1");
  g_autoptr (TopoutSession) s2 = topout_test_start_competition (f->store, topout_climber_get_id (bo), "LEAGUE", "r1");
  g_autoptr (TopoutSession) s3 = topout_test_start_competition (f->store, topout_climber_get_id (cy), "LEAGUE", "r1");
  g_autofree char *path = topout_test_path ("league-r1.csv");
  g_autofree char *csv = NULL;
  AdwMessageDialog *prompt;
  gint64 deadline;

  g_object_unref (topout_test_add_climb (f->store, "c-1", "One", "V1"));
  log_route (f->store, topout_climber_get_id (bo), "c-1", 1, TRUE);
  log_route (f->store, topout_climber_get_id (ada), "c-1", 2, TRUE);
  log_route (f->store, topout_climber_get_id (ada), "c-1", 1, TRUE);
  g_assert_true (topout_kiosk_set_pin (kiosk, "8642", NULL));
  topout_kiosk_set_enabled (kiosk, TRUE);
  f->view = topout_scorecard_view_new (f->store, kiosk);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (f->overlay), f->view);
  iterate ();

  /* Locked: the PIN first; cancelled, nothing. */
  {
    GtkWidget *button = topout_test_find (f->view, is_shown_button, "Export Ranking…");

    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    iterate ();
  }
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  adw_message_dialog_response (prompt, "cancel");
  iterate ();
  g_assert_null (topout_test_find_prompt ());
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  activate (f, "scorecard.export-to", g_variant_new_string (path));
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!topout_test_shows_text (f->window, "Exported the ranking of 3 climbers to league-r1.csv") &&
         g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_true (topout_test_shows_text (f->window, "Exported the ranking of 3 climbers to league-r1.csv"));
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  /* Ada: 1 top in 2 (her 2nd top is the same climb), Bo: 1 in 1; Cy no route. */
  g_assert_cmpstr (csv, ==,
                   "place,climberName,memberCode,tops,attemptsToTop,attempts,competitionType,competitionId\r\n"
                   "1,Bo Kim,,1,1,1,LEAGUE,r1\r\n"
                   "2,Ada Lovelace,M-1,1,2,3,LEAGUE,r1\r\n"
                   "3,Cy Young,,0,,0,LEAGUE,r1\r\n");
  g_settings_reset (settings, "kiosk-pin-hash");
  topout_kiosk_set_enabled (kiosk, FALSE);
}

/* On a kiosk the scorecard is on the front desk's screen, in first names
 * and initials (SPEC section 5): Bo Kim and Bo Kline, in one competition,
 * read "Bo Ki." and "Bo Kl." (both read "Bo K.": neither could tell which
 * row was theirs), and a screen reader hears the same; Ada stays "Ada L.".
 * With the kiosk off, full names. */
static void
test_scorecard_kiosk_names_told_apart (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  g_autoptr (TopoutClimber) kim = topout_test_add_climber (f->store, "Bo Kim", NULL);
  g_autoptr (TopoutClimber) kline = topout_test_add_climber (f->store, "Bo Kline", NULL);
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada Lovelace", NULL);
  TopoutClimber *who[] = { kim, kline, ada };
  const char *kiosk_names[] = { "Bo Ki.", "Bo Kl.", "Ada L." };

  g_object_unref (topout_test_add_climb (f->store, "c-1", "One", "V1"));
  for (guint i = 0; i < G_N_ELEMENTS (who); i++)
    {
      g_autoptr (TopoutSession) s = topout_test_start_competition (f->store, topout_climber_get_id (who[i]),
                                                                    "LEAGUE", "r1");

      log_route (f->store, topout_climber_get_id (who[i]), "c-1", i + 1, TRUE);
    }
  topout_kiosk_set_enabled (kiosk, TRUE);
  g_assert_true (topout_kiosk_get_short_names (kiosk));
  f->view = topout_scorecard_view_new (f->store, kiosk);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (f->overlay), f->view);
  iterate ();

  for (guint i = 0; i < G_N_ELEMENTS (who); i++)
    {
      GtkWidget *row = find_named (f->view, topout_climber_get_id (who[i]));
      g_autofree char *heard = g_strdup_printf ("%u. %s: 1 top, %u attempt%s to top, %u attempt%s",
                                                i + 1, kiosk_names[i], i + 1, i > 0 ? "s" : "", i + 1,
                                                i > 0 ? "s" : "");
      g_autofree char *wrong = NULL;

      g_assert_nonnull (row);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_named (row, "climber"))), ==, kiosk_names[i]);
      wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, heard);
      g_assert_null (wrong);
    }

  topout_kiosk_set_enabled (kiosk, FALSE);
  for (int i = 0; i < 50 && g_strcmp0 (gtk_label_get_text (GTK_LABEL (find_named (find_named (f->view, topout_climber_get_id (kim)), "climber"))), "Bo Kim") != 0; i++)
    topout_test_wait_frames (f->window, 1);
  for (guint i = 0; i < G_N_ELEMENTS (who); i++)
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_named (find_named (f->view, topout_climber_get_id (who[i])),
                                                                "climber"))),
                     ==, topout_climber_get_display_name (who[i]));
  g_settings_reset (settings, "kiosk-mode");
}

/* At the window's minimum width (a coach's narrow split screen), a
 * normal-length name is read whole, not cut to a few letters by the
 * number columns, and every number is still there, whole and inside the
 * view; wide, the numbers are on the name's line. */
static void
test_scorecard_narrow_names (Fixture *f, gconstpointer data)
{
  const char *names[] = { "Alex Honnold", "Janja Garnbret", "Adam Ondra" };
  const char *columns[] = { "rank", "tops", "attempts-to-top", "attempts" };
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint c = 0; c < 12; c++)
    {
      g_autofree char *id = g_strdup_printf ("c-%u", c);

      g_object_unref (topout_test_add_climb (f->store, id, id, "V4"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (TopoutClimber) climber = topout_test_add_climber (f->store, names[i], NULL);
      g_autoptr (TopoutSession) s = topout_test_start_competition (f->store, topout_climber_get_id (climber),
                                                                    "LEAGUE", "2026-r3");

      /* Two-digit counts, as a round ends. */
      for (guint c = 0; c < 12 - i; c++)
        {
          g_autofree char *climb = g_strdup_printf ("c-%u", c);

          log_route (f->store, topout_climber_get_id (climber), climb, 2 + c % 3, TRUE);
        }
      g_ptr_array_add (ids, g_strdup (topout_climber_get_id (climber)));
    }
  /* The app's big names and numbers. */
  topout_ui_load_style ();
  show_view (f, topout_scorecard_view_new);

  /* From the narrowest to wide and back, through the width where the rows
   * change: never a name cut, nor a number. */
  for (int width = 360, step = 20; width >= 360; width += step)
    {
      GtkWidget *header;
      GtkWidget *headers[G_N_ELEMENTS (columns)];

      if (width > 820)
        {
          step = -40;
          continue;
        }
      resize_and_wait (f, width);
      g_test_message ("%d px window, view %d px", width, gtk_widget_get_width (f->view));
      /* Settled: the rows do not change back and forth from frame to frame. */
      {
        GtkWidget *tops = find_named (find_named (f->view, g_ptr_array_index (ids, 0)), "tops");
        float y = bounds_in (tops, f->view).origin.y;

        topout_test_wait_frames (f->window, 3);
        g_assert_cmpfloat (bounds_in (tops, f->view).origin.y, ==, y);
      }
      /* The headers: rank, climber, tops, attempts to top, attempts. */
      header = find_named (f->view, "ranking-header");
      headers[0] = gtk_widget_get_first_child (header);
      headers[1] = gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (headers[0]));
      headers[2] = gtk_widget_get_next_sibling (headers[1]);
      headers[3] = gtk_widget_get_next_sibling (headers[2]);
      for (guint i = 0; i < ids->len; i++)
        {
          GtkWidget *row = find_named (f->view, g_ptr_array_index (ids, i));
          GtkWidget *name = find_named (row, "climber");
          graphene_rect_t name_bounds = bounds_in (name, f->view);
          int natural = 0;

          g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (name)), ==, names[i]);
          gtk_widget_measure (name, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
          g_test_message ("  %s: %d of %d px", names[i], gtk_widget_get_width (name), natural);
          g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (name))));
          g_assert_cmpint (gtk_widget_get_width (name), >=, natural);

          for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
            {
              GtkWidget *number = find_named (row, columns[c]);
              graphene_rect_t b = bounds_in (number, f->view);
              int number_natural = 0;

              g_assert_true (gtk_widget_get_mapped (number));
              g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (number)), !=, "");
              gtk_widget_measure (number, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &number_natural, NULL, NULL);
              g_assert_cmpint (gtk_widget_get_width (number), >=, number_natural);
              g_assert_cmpfloat (b.origin.x, >=, 0);
              g_assert_cmpfloat (b.origin.x + b.size.width, <=, gtk_widget_get_width (f->view) + 0.5);
              /* Nothing lies over the name, and each number is under its
               * column's header. */
              if (c > 0)
                g_assert_false (graphene_rect_intersection (&b, &name_bounds, NULL));
              {
                graphene_rect_t h = bounds_in (headers[c], f->view);

                g_assert_cmpfloat (fabs ((b.origin.x + b.size.width) - (h.origin.x + h.size.width)), <=, 1);
              }
            }

          /* Wide, one line: the tops beside the name. */
          if (width >= 800)
            {
              graphene_rect_t tops = bounds_in (find_named (row, "tops"), f->view);

              g_assert_cmpfloat (tops.origin.y, <, name_bounds.origin.y + name_bounds.size.height);
              g_assert_cmpfloat (name_bounds.origin.y, <, tops.origin.y + tops.size.height);
            }
        }
    }
}

/* A season of 60 competitions: the picker's list has a search field at its
 * top, named for screen readers, that typing in the list reaches; it finds
 * a competition by its type or its id, anywhere in them, in any case, and
 * Enter picks the first match, whose ranking shows. */
static void
search_changed_cb (GtkSearchEntry *entry,
                   gboolean       *changed)
{
  *changed = TRUE;
}

static guint
search_competitions (GtkWidget  *search,
                     GListModel *shown,
                     const char *text)
{
  gboolean changed = FALSE;
  gulong id = g_signal_connect (search, "search-changed", G_CALLBACK (search_changed_cb), &changed);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint wake = g_timeout_add (20, wake_cb, NULL);

  gtk_editable_set_text (GTK_EDITABLE (search), text);
  /* GtkSearchEntry says so after a pause (at once only for the emptied
   * field, on the way). */
  changed = FALSE;
  while (!changed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_signal_handler_disconnect (search, id);
  g_assert_true (changed);
  iterate ();
  return g_list_model_get_n_items (shown);
}

static void
test_scorecard_picker_search (Fixture *f, gconstpointer data)
{
  g_autofree char *r17 = NULL;
  GtkDropDown *dropdown;
  GtkWidget *search, *list, *toggle;
  GListModel *shown;

  g_object_unref (topout_test_add_climb (f->store, "c-1", "One", "V1"));
  for (guint i = 1; i <= 30; i++)
    for (guint league = 0; league < 2; league++)
      {
        g_autofree char *name = g_strdup_printf ("Climber %u-%u", league, i);
        g_autofree char *id = league ? g_strdup_printf ("2026-r%02u", i) : g_strdup_printf ("spring-%02u", i);
        g_autoptr (TopoutClimber) climber = topout_test_add_climber (f->store, name, NULL);
        g_autoptr (TopoutSession) s = topout_test_start_competition (f->store, topout_climber_get_id (climber),
                                                                      league ? "LEAGUE" : "CUP", id);

        log_route (f->store, topout_climber_get_id (climber), "c-1", 1, TRUE);
        if (league && i == 17)
          r17 = g_strdup (topout_climber_get_id (climber));
      }
  show_view (f, topout_scorecard_view_new);
  dropdown = GTK_DROP_DOWN (find_named (f->view, "GtkDropDown"));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 60);

  /* Open, as a click or Space on the picker does. */
  toggle = topout_test_find_by_type (GTK_WIDGET (dropdown), GTK_TYPE_TOGGLE_BUTTON);
  g_assert_nonnull (toggle);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  iterate ();
  search = find_named (GTK_WIDGET (dropdown), "competition-search");
  g_assert_nonnull (search);
  g_assert_true (gtk_widget_get_mapped (search));
  {
    g_autofree char *wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                 "Find a competition");

    g_assert_null (wrong);
  }
  /* Typing in the list (where the focus is once it opens) goes there. */
  list = topout_test_find_by_type (GTK_WIDGET (dropdown), GTK_TYPE_LIST_VIEW);
  g_assert_nonnull (list);
  g_assert_true (gtk_search_entry_get_key_capture_widget (GTK_SEARCH_ENTRY (search)) == list);
  shown = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 60);

  /* By id, anywhere in it; by type, in any case. */
  g_assert_cmpuint (search_competitions (search, shown, "r17"), ==, 1);
  g_assert_cmpuint (search_competitions (search, shown, "Spring-0"), ==, 9);
  g_assert_cmpuint (search_competitions (search, shown, "league"), ==, 30);
  g_assert_cmpuint (search_competitions (search, shown, "nothing like it"), ==, 0);
  g_assert_cmpuint (search_competitions (search, shown, "r17"), ==, 1);

  /* Its check mark is the chosen competition's, not the first place's. */
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (gtk_drop_down_get_selected_item (dropdown))),
                   !=, "LEAGUE · 2026-r17");
  g_assert_cmpfloat (gtk_widget_get_opacity (topout_test_find_by_type (list, GTK_TYPE_IMAGE)), ==, 0);

  /* Enter: that one, and its ranking. */
  g_signal_emit_by_name (search, "activate");
  iterate ();
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (gtk_drop_down_get_selected_item (dropdown))),
                   ==, "LEAGUE · 2026-r17");
  {
    g_autofree char *order = ranking_order (f);

    g_assert_cmpstr (order, ==, r17);
  }
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  /* A screen reader hears the picker once, as its button: the competition
   * chosen, a popup, the tooltip (it heard a combo box "Competition" and a
   * button "Competition" in it, and not the one chosen). */
  {
    g_autofree char *wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                 "Competition: LEAGUE · 2026-r17");
    g_autofree char *wrong_description = gtk_test_accessible_check_property (GTK_ACCESSIBLE (toggle),
                                                                             GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                                             "The competition to rank");
    g_autofree char *no_popup = gtk_test_accessible_check_property (GTK_ACCESSIBLE (toggle),
                                                                    GTK_ACCESSIBLE_PROPERTY_HAS_POPUP, TRUE);

    g_assert_null (wrong);
    g_assert_null (wrong_description);
    g_assert_null (no_popup);
    g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_ROLE_GENERIC));
    g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL));
  }
  /* Opened again, the whole season is there; the match has the check. */
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 60);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  iterate ();
  g_assert_cmpuint (search_competitions (search, shown, "r17"), ==, 1);
  g_assert_cmpfloat (gtk_widget_get_opacity (topout_test_find_by_type (list, GTK_TYPE_IMAGE)), ==, 1);

  /* Closed before the window goes: GTK 4.8 under ASan's slowness once
   * asked the pointer's position of the open popup's surface while the
   * window was destroyed with it (a CRITICAL, fatal in tests). */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), FALSE);
  iterate ();
  g_assert_false (gtk_widget_get_mapped (search));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  g_assert_nonnull (topout_get_resource ());
  /* Toasts then leave at once: libadwaita 1.2 warns when an overlay goes
   * away while a dismissed toast is still animating out. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, set_up_climbers, func, fixture_tear_down)

  ADD ("/manage/toolbars/wrap-and-tab", test_toolbars);
  ADD ("/manage/toolbars/named-groups", test_toolbars_named_groups);
  ADD ("/manage/search-no-match", test_search_no_match);
  ADD ("/manage/rows-keyboard", test_rows_keyboard);
  ADD ("/manage/empty-pages-name-file-columns", test_empty_pages_name_file_columns);
  ADD ("/manage/climbers/add-and-edit", test_climber_add_and_edit);
  ADD ("/manage/climbers/duplicate-code-refused", test_climber_duplicate_code_refused);
  ADD ("/manage/climbers/archive-undo", test_climber_archive_undo);
  ADD ("/manage/climbers/merge", test_climber_merge);
  ADD ("/manage/focus-after-row-actions", test_focus_after_row_actions);
  ADD ("/manage/climbers/merge-cancel", test_climber_merge_cancel);
  ADD ("/manage/climbers/import", test_climber_import);
  ADD ("/manage/climbers/import-refused", test_climber_import_refused);
  ADD ("/manage/catalog/add-retire-restore", test_catalog_add_retire_restore);
  ADD ("/manage/catalog/add-empty-name-at-name", test_catalog_add_empty_name_at_name);
  ADD ("/manage/forms-fit-narrow-window", test_forms_fit_narrow_window);
  ADD ("/manage/row-buttons-at-row-end", test_row_buttons_at_row_end);
  ADD ("/manage/catalog/grades-line-up", test_catalog_grades_line_up);
  ADD ("/manage/row-buttons-heard-once", test_row_buttons_heard_once);
  ADD ("/manage/catalog/add-climb-heard", test_catalog_add_climb_heard);
  ADD ("/manage/catalog/rows-heard", test_catalog_rows_heard);
  ADD ("/manage/catalog/import-refused", test_catalog_import_refused);
  ADD ("/manage/catalog/import-ok", test_catalog_import_ok);
  ADD ("/manage/catalog/import-windows-1252", test_catalog_import_windows_1252);
  ADD ("/manage/catalog/kiosk-gate", test_catalog_kiosk_gate);
  ADD ("/manage/catalog/edit-undo", test_catalog_edit_undo);
  ADD ("/manage/catalog/colour-words", test_catalog_colour_words);
  g_test_add_func ("/manage/catalog/colour-words/german", test_catalog_colour_words_german);
  ADD ("/manage/scorecard/ranking-live", test_scorecard_ranking_live);
  ADD ("/manage/scorecard/coalesced", test_scorecard_coalesced);
  ADD ("/manage/scorecard/ties-long-pair-and-keyboard", test_scorecard_ties_long_pair_and_keyboard);
  ADD ("/manage/scorecard/header-stays", test_scorecard_header_stays);
  ADD ("/manage/scorecard/live-keeps-place", test_scorecard_live_keeps_place);
  ADD ("/manage/scorecard/no-top-dash", test_scorecard_no_top_dash);
  ADD ("/manage/scorecard/narrow-names", test_scorecard_narrow_names);
  ADD ("/manage/scorecard/kiosk-names-told-apart", test_scorecard_kiosk_names_told_apart);
  ADD ("/manage/scorecard/picker-search", test_scorecard_picker_search);
  ADD ("/manage/scorecard/picker-keeps-id-end", test_scorecard_picker_keeps_id_end);
  ADD ("/manage/scorecard/export-ranking", test_scorecard_export_ranking);

  return g_test_run ();
}
