/* test-desk.c — the front desk, the active-session panel and the climb picker,
 * driven through their actions and real widgets under Xvfb, checked in the
 * store and on screen. */
#include <adwaita.h>
#include <sqlite3.h>

#include "topout-desk-view.h"
#include "topout-session-panel.h"
#include "topout-climb-picker.h"
#include "topout-color-swatch.h"
#include "topout-kiosk.h"
#include "topout-test-util.h"
#include "topout-ui-util.h"

/* Made by gnome.compile_resources; calling it keeps the resource (and its
 * registering constructor) in the test binary. */
GResource *topout_get_resource (void);

#define MINUTE ((gint64) 60 * G_USEC_PER_SEC)

typedef struct {
  TopoutStore        *store;
  char               *path;
  TopoutClimber      *ada;
  TopoutClimber      *bo;
  TopoutClimb        *crimp;
  TopoutClimb        *slab;
  TopoutClimb        *jug;
  GtkWidget          *window;
  GtkWidget          *overlay;
  GtkWidget          *desk;
  GtkWidget          *panel;
  GtkWidget          *picker;
  guint               taps;
} Fixture;

#define ADA(f) topout_climber_get_id ((f)->ada)
#define BO(f) topout_climber_get_id ((f)->bo)

/* What Enter or Space does to the focused widget. */
static void
press (GtkWidget *widget)
{
  gtk_widget_activate (widget);
  topout_test_pump ();
  if (GTK_IS_BUTTON (widget))
    topout_test_wait_ms (300);
}

/* The desk in a window of its own, with @kiosk (or none), shown. */
static void
build_desk (Fixture     *f,
            TopoutKiosk *kiosk)
{
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 900);
  f->overlay = adw_toast_overlay_new ();
  f->desk = topout_desk_view_new (f->store, kiosk);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (f->overlay), f->desk);
  gtk_window_set_child (GTK_WINDOW (f->window), f->overlay);
  gtk_window_present (GTK_WINDOW (f->window));
  f->panel = GTK_WIDGET (topout_desk_view_get_session_panel (TOPOUT_DESK_VIEW (f->desk)));
  f->picker = GTK_WIDGET (topout_session_panel_get_climb_picker (TOPOUT_SESSION_PANEL (f->panel)));
  /* 60 s: a guard against a hang only. */
  for (gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
       !gtk_widget_get_mapped (f->desk) && g_get_monotonic_time () < deadline;)
    {
      topout_test_pump ();
      g_usleep (5000);
    }
  g_assert_true (gtk_widget_get_mapped (f->desk));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  /* 17:00 UTC, the gym in UTC: the EVENING slot. */
  f->store = topout_test_store_new ("2026-11-21T17:00:00Z", &f->path);
  f->ada = topout_test_add_climber (f->store, "Ada Lovelace", "M-0001");
  f->bo = topout_test_add_climber (f->store, "Bo Kim", NULL);
  f->crimp = topout_test_add_climb (f->store, "c-1", "Crimp Cathedral", "V4");
  f->slab = topout_test_add_climb (f->store, "c-2", "Slab Happy", "V2");
  f->jug = topout_test_add_climb (f->store, "c-3", "Jug Haul", "VB");
  build_desk (f, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  topout_test_pump ();
  g_clear_object (&f->ada);
  g_clear_object (&f->bo);
  g_clear_object (&f->crimp);
  g_clear_object (&f->slab);
  g_clear_object (&f->jug);
  g_clear_object (&f->store);
  g_clear_pointer (&f->path, g_free);
}

/* Finding widgets the way a person sees them ---------------------------------- */

typedef gboolean (*WidgetMatchFunc) (GtkWidget     *widget,
                                     gconstpointer  data);

/* The first widget under @root (depth first, @root included) that @match
 * takes. */
static GtkWidget *
find_first (GtkWidget       *root,
            WidgetMatchFunc  match,
            gconstpointer    data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_first (c, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_name (GtkWidget     *widget,
          gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  return find_first (root, has_name, name);
}

static gboolean
has_accessible_label (GtkWidget     *widget,
                      gconstpointer  label)
{
  g_autofree char *other = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;
  other = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  return other == NULL;
}

/* The first widget under @root whose accessible name is @label, as a
 * screen reader finds it. */
static GtkWidget *
find_by_accessible_label (GtkWidget  *root,
                          const char *label)
{
  return find_first (root, has_accessible_label, label);
}

/* A mapped actionable widget (button, row) for @action with string @target
 * (NULL: any target); with @prefix, any action starting with @action. */
static GtkWidget *
find_actionable_full (GtkWidget  *root,
                      const char *action,
                      const char *target,
                      gboolean    prefix)
{
  if (GTK_IS_ACTIONABLE (root) && gtk_widget_get_mapped (root))
    {
      const char *name = gtk_actionable_get_action_name (GTK_ACTIONABLE (root));
      GVariant *value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (root));

      if (name != NULL &&
          (prefix ? g_str_has_prefix (name, action) : g_str_equal (name, action)) &&
          (target == NULL ||
           (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
            g_str_equal (g_variant_get_string (value, NULL), target))))
        return root;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_actionable_full (c, action, target, prefix);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action,
                 const char *target)
{
  return find_actionable_full (root, action, target, FALSE);
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_BOX_ROW (c) && gtk_widget_get_visible (c))
      n++;
  return n;
}

/* Taps: each one is what a finger, a click or an Enter would do ----------------- */

/* Taps a widget on screen: it must be mapped and sensitive (its action enabled). */
static void
tap_widget (Fixture   *f,
            GtkWidget *widget)
{
  g_assert_nonnull (widget);
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_is_sensitive (widget));
  f->taps++;
  /* A click on a button, a tap on a row. */
  if (GTK_IS_BUTTON (widget))
    g_signal_emit_by_name (widget, "clicked");
  else
    gtk_widget_activate (widget);
  topout_test_pump ();
}

/* Taps the button or row that carries @action (@target) on screen. */
static void
tap (Fixture    *f,
     const char *action,
     const char *target)
{
  GtkWidget *widget = find_actionable (f->window, action, target);

  if (widget == NULL)
    g_error ("Nothing on screen for %s (%s)", action, target ? target : "no target");
  tap_widget (f, widget);
}

/* Waits, frame by frame, until the climb's log controls have slid open,
 * then for the frames that lay them out (and scroll them into view). The
 * 60 s guard against a hang only. */
static void
wait_log_revealed (Fixture *f)
{
  GtkRevealer *revealer = GTK_REVEALER (gtk_widget_get_template_child (f->picker, TOPOUT_TYPE_CLIMB_PICKER,
                                                                       "log_revealer"));
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!gtk_revealer_get_child_revealed (revealer) && g_get_monotonic_time () < deadline)
    topout_test_wait_frames (f->window, 1);
  g_assert_true (gtk_revealer_get_child_revealed (revealer));
  topout_test_wait_frames (f->window, 3);
}

/* Asks for a window @width x @height and waits, frame by frame, until it
 * has taken that size, then for the frames that lay it out. The 60 s of
 * topout_test_wait_frames() guard against a hang only. */
static void
resize_and_wait (Fixture *f,
                 int      width,
                 int      height)
{
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  for (guint n = 0; n < 600 && (gtk_widget_get_width (f->window) != width ||
                                gtk_widget_get_height (f->window) != height); n++)
    topout_test_wait_frames (f->window, 1);
  g_assert_cmpint (gtk_widget_get_width (f->window), ==, width);
  g_assert_cmpint (gtk_widget_get_height (f->window), ==, height);
  topout_test_wait_frames (f->window, 3);
}

/* The Undo button of the toast on screen. */
static GtkWidget *
toast_button (Fixture *f)
{
  GtkWidget *button = find_actionable_full (f->overlay, "desk-undo.", NULL, TRUE);

  g_assert_nonnull (button);
  return button;
}

/* The close button of a toast on screen: libadwaita 1.2 gives it no action
 * (later versions use "toast.close"). */
static GtkWidget *
find_toast_close (Fixture *f)
{
  for (GtkWidget *t = gtk_widget_get_first_child (f->overlay); t != NULL; t = gtk_widget_get_next_sibling (t))
    {
      if (t == f->desk || !gtk_widget_get_mapped (t) || !gtk_widget_get_can_target (t))
        continue;
      for (GtkWidget *c = gtk_widget_get_first_child (t); c != NULL; c = gtk_widget_get_next_sibling (c))
        if (GTK_IS_BUTTON (c) && gtk_widget_get_mapped (c) &&
            (gtk_actionable_get_action_name (GTK_ACTIONABLE (c)) == NULL ||
             g_str_equal (gtk_actionable_get_action_name (GTK_ACTIONABLE (c)), "toast.close")))
          return c;
    }
  return NULL;
}

static void
dismiss_toasts (Fixture *f)
{
  GtkWidget *close;

  /* The close button of each toast, until none is left. */
  while ((close = find_toast_close (f)) != NULL)
    {
      g_signal_emit_by_name (close, "clicked");
      topout_test_pump ();
    }
}

/* Store checks --------------------------------------------------------------------- */

static TopoutSession *
active_of (Fixture    *f,
           const char *climber_id)
{
  return topout_store_get_active_session (f->store, climber_id);
}

static guint
n_completions (Fixture    *f,
               const char *session_id)
{
  g_autoptr (GPtrArray) list = topout_store_list_completions (f->store, session_id);
  return list->len;
}

static TopoutSession *
reload (Fixture    *f,
        const char *session_id)
{
  g_autoptr (GError) error = NULL;
  TopoutSession *s = topout_store_get_session (f->store, session_id, &error);

  g_assert_no_error (error);
  return s;
}

static void
assert_slot_shown (Fixture    *f,
                   const char *key)
{
  GtkWidget *button = find_actionable (f->panel, "panel.set-time-slot", key);

  g_assert_nonnull (button);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
}

/* Tests ------------------------------------------------------------------------------ */

/* Start, change the slot, log three routes (one not sent), undo one, end,
 * undo the end. */
static void
test_session_flow (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (TopoutSession) session = NULL;
  g_autoptr (TopoutSession) ended = NULL;
  g_autoptr (TopoutSession) reopened = NULL;
  g_autoptr (GPtrArray) completions = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *undone_id = NULL;
  GtkWidget *list;
  GtkWidget *undo;
  GtkWidget *wall_row;
  GVariant *target;

  tap (f, "desk.select-climber", ADA (f));
  g_assert_cmpstr (topout_session_panel_get_climber_id (TOPOUT_SESSION_PANEL (f->panel)), ==, ADA (f));
  /* The start area: FUN preselected, the slot of the clock shown. */
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_actionable (f->panel, "panel.set-session-type", "FUN"))));
  assert_slot_shown (f, "EVENING");

  tap (f, "panel.start-session", NULL);
  session = active_of (f, ADA (f));
  g_assert_nonnull (session);
  session_id = g_strdup (topout_session_get_id (session));
  g_assert_cmpint (topout_session_get_session_type (session), ==, TOPOUT_SESSION_TYPE_FUN);
  g_assert_cmpint (topout_session_get_time_slot (session), ==, TOPOUT_TIME_SLOT_EVENING);
  /* On screen: the wall lists Ada, the panel shows the offline tag. */
  g_assert_cmpuint (count_rows (find_named (f->desk, "wall-list")), ==, 1);
  /* Her row there: the session type and time on the wall under the name,
   * in the label, the tooltip and as shown on the right (the check). */
  wall_row = find_actionable (find_named (f->desk, "wall-list"), "desk.select-climber", ADA (f));
  g_assert_nonnull (wall_row);
  g_assert_true (topout_test_shows_text (wall_row, "Fun · "));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (wall_row), "Fun · "));
  g_assert_true (gtk_widget_has_css_class (wall_row, "desk-selected"));
  g_assert_true (gtk_widget_get_mapped (find_named (f->panel, "offline-tag")));
  g_assert_null (find_actionable (f->panel, "panel.start-session", NULL));
  /* The panel says the type and the date as History does ("Fun · Tue 24
   * Nov 2026", in the locale's words and order), not as stored. */
  {
    g_autofree char *date = topout_format_date (topout_session_get_session_date (session));
    g_autofree char *expected = g_strdup_printf ("Fun · %s", date);

    g_assert_true (topout_test_shows_text (f->panel, expected));
    g_assert_nonnull (topout_session_get_name (session));
    g_assert_false (topout_test_shows_text (f->panel, topout_session_get_name (session)));
  }

  /* The slot: changed at once, nobody asked. */
  tap (f, "panel.set-time-slot", "AFTERNOON");
  g_clear_object (&session);
  session = reload (f, session_id);
  g_assert_cmpint (topout_session_get_time_slot (session), ==, TOPOUT_TIME_SLOT_AFTERNOON);
  assert_slot_shown (f, "AFTERNOON");
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_actionable (f->panel, "panel.set-time-slot", "EVENING"))));

  /* Down in the climb search goes to the first climb of the list (it
   * went to the list's scrolled window, and Tab from there left the page). */
  {
    GtkWidget *search = GTK_WIDGET (gtk_widget_get_template_child (f->picker, TOPOUT_TYPE_CLIMB_PICKER, "search_entry"));
    GtkWidget *climbs = GTK_WIDGET (gtk_widget_get_template_child (f->picker, TOPOUT_TYPE_CLIMB_PICKER, "climb_list"));
    GtkWidget *focus;

    topout_test_pump ();
    g_assert_true (topout_test_press_down (search));
    focus = gtk_root_get_focus (gtk_widget_get_root (search));
    g_assert_true (GTK_IS_LIST_BOX_ROW (focus));
    g_assert_true (gtk_widget_get_parent (focus) == climbs);
    g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (focus)), ==, 0);
  }

  /* Three routes: Crimp sent in 2, Slab not sent, Jug sent. */
  tap (f, "picker.select-climb", "c-1");
  tap (f, "picker.attempts-up", NULL);
  tap (f, "picker.log-sent", NULL);
  g_assert_true (topout_test_shows_text (f->overlay, "Ada Lovelace: Logged Crimp Cathedral (Sent)"));
  topout_test_advance (4 * MINUTE);
  tap (f, "picker.select-climb", "c-2");
  tap (f, "picker.log-not-sent", NULL);
  g_assert_true (topout_test_shows_text (f->overlay, "Logged Slab Happy (Not sent)"));
  topout_test_advance (4 * MINUTE);
  tap (f, "picker.select-climb", "c-3");
  /* Attempts typed out of range: said at the field, nothing logged (the
   * spin button would have made 1500 into 999 without a word). */
  {
    GtkWidget *spin = find_named (f->panel, "attempts-spin");
    GtkWidget *attempts_error = find_named (f->panel, "attempts-error");

    g_assert_nonnull (spin);
    gtk_editable_set_text (GTK_EDITABLE (spin), "1500");
    tap (f, "picker.log-sent", NULL);
    g_assert_cmpuint (n_completions (f, session_id), ==, 2);
    g_assert_true (gtk_widget_get_mapped (attempts_error));
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (attempts_error)), "999"));
    gtk_editable_set_text (GTK_EDITABLE (spin), "1");
  }
  tap (f, "picker.log-sent", NULL);
  g_assert_true (topout_test_shows_text (f->overlay, "Logged Jug Haul (Sent)"));
  g_assert_cmpuint (n_completions (f, session_id), ==, 3);
  g_assert_false (gtk_widget_get_visible (find_named (f->panel, "attempts-error")));
  list = find_named (f->panel, "completion-list");
  g_assert_cmpuint (count_rows (list), ==, 3);
  /* In the order they were logged: the newest last. */
  g_assert_true (topout_test_shows_text (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0)), "Crimp Cathedral"));
  g_assert_true (topout_test_shows_text (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1)), "Slab Happy"));
  g_assert_true (topout_test_shows_text (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 2)), "Jug Haul"));
  g_assert_true (topout_test_shows_text (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0)), "V4 · 2 attempts"));
  /* The picker is ready for the next route. */
  g_assert_null (find_actionable (f->panel, "picker.log-sent", NULL));

  /* Undo the toast on screen: it names its own completion (Jug Haul). */
  undo = toast_button (f);
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (undo));
  g_assert_true (g_variant_is_of_type (target, G_VARIANT_TYPE ("(ssb)")));
  /* The toast goes away with its target: keep a copy. */
  g_variant_get (target, "(ssb)", &undone_id, NULL, NULL);
  tap_widget (f, undo);
  completions = topout_store_list_completions (f->store, session_id);
  g_assert_cmpuint (completions->len, ==, 2);
  for (guint i = 0; i < completions->len; i++)
    g_assert_cmpstr (topout_completion_get_id (g_ptr_array_index (completions, i)), !=, undone_id);
  g_assert_cmpstr (topout_completion_get_climb_id (g_ptr_array_index (completions, 0)), ==, "c-1");
  g_assert_cmpuint (topout_completion_get_attempts (g_ptr_array_index (completions, 0)), ==, 2);
  g_assert_true (topout_completion_get_is_success (g_ptr_array_index (completions, 0)));
  g_assert_cmpstr (topout_completion_get_climb_id (g_ptr_array_index (completions, 1)), ==, "c-2");
  g_assert_false (topout_completion_get_is_success (g_ptr_array_index (completions, 1)));
  g_assert_cmpuint (count_rows (list), ==, 2);
  dismiss_toasts (f);

  /* End is the way out of a session, shown as such; Cancel, red, the rare
   * one (End was grey beside a red Cancel, which drew the eye). */
  g_assert_true (gtk_widget_has_css_class (find_actionable (f->panel, "panel.end-session", NULL), "suggested-action"));
  g_assert_true (gtk_widget_has_css_class (find_actionable (f->panel, "panel.cancel-session", NULL),
                                           "destructive-action"));

  /* End: completed, pending sync, slot kept; undo reopens. */
  tap (f, "panel.end-session", NULL);
  ended = reload (f, session_id);
  g_assert_cmpint (topout_session_get_status (ended), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_sync_state (ended), ==, TOPOUT_SYNC_STATE_PENDING);
  g_assert_cmpint (topout_session_get_time_slot (ended), ==, TOPOUT_TIME_SLOT_AFTERNOON);
  g_assert_cmpuint (n_completions (f, session_id), ==, 2);
  g_assert_true (topout_test_shows_text (f->overlay, "Session ended for Ada Lovelace"));
  g_assert_cmpuint (count_rows (find_named (f->desk, "wall-list")), ==, 0);
  g_assert_nonnull (find_actionable (f->panel, "panel.start-session", NULL));
  /* The keyboard goes on to the next climber (the desk's search), not to
   * Start Session, where one more Return would start an empty session. */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)),
                                         find_named (f->desk, "climber-search")));

  tap_widget (f, toast_button (f));
  reopened = reload (f, session_id);
  g_assert_cmpint (topout_session_get_status (reopened), ==, TOPOUT_SESSION_STATUS_ACTIVE);
  g_assert_cmpuint (count_rows (find_named (f->desk, "wall-list")), ==, 1);
  g_assert_nonnull (find_actionable (f->panel, "panel.end-session", NULL));

  /* Cancel, with its own undo. */
  dismiss_toasts (f);
  tap (f, "panel.cancel-session", NULL);
  g_clear_object (&reopened);
  reopened = reload (f, session_id);
  g_assert_cmpint (topout_session_get_status (reopened), ==, TOPOUT_SESSION_STATUS_CANCELLED);
  g_assert_true (topout_test_shows_text (f->overlay, "Session cancelled"));
  tap_widget (f, toast_button (f));
  g_clear_object (&reopened);
  reopened = reload (f, session_id);
  g_assert_cmpint (topout_session_get_status (reopened), ==, TOPOUT_SESSION_STATUS_ACTIVE);
}

/* Each toast undoes its own completion, never another climber's. */
/* The desk of @f again, in kiosk mode (@kiosk). */
static void
use_kiosk (Fixture     *f,
           TopoutKiosk *kiosk)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  topout_test_pump ();
  build_desk (f, kiosk);
}

/* Staff at the unlocked kiosk log a route for Ada, and lock: the toast on
 * screen says "Ada L.", not "Ada Lovelace", and still undoes that log. A
 * message at the search that named an archived climber in full goes. */
static void
test_kiosk_lock_shortens_names (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  g_autoptr (TopoutClimber) grace = topout_test_add_climber (f->store, "Grace Hopper", "M-0009");
  g_autoptr (TopoutSession) session = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  GtkWidget *search;

  g_assert_true (topout_kiosk_set_pin (kiosk, "8642", NULL));
  topout_kiosk_set_enabled (kiosk, TRUE);
  g_assert_true (topout_kiosk_try_unlock (kiosk, "8642", NULL));
  g_assert_true (topout_store_set_climber_archived (f->store, topout_climber_get_id (grace), TRUE, NULL));
  use_kiosk (f, kiosk);

  tap (f, "desk.select-climber", ADA (f));
  tap (f, "picker.select-climb", "c-1");
  tap (f, "picker.log-sent", NULL);
  g_assert_true (topout_test_shows_text (f->overlay, "Ada Lovelace: Logged Crimp Cathedral (Sent)"));
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT COUNT(*) FROM completions"), ==, 1);
  search = GTK_WIDGET (gtk_widget_get_template_child (f->desk, TOPOUT_TYPE_DESK_VIEW, "search_entry"));
  g_assert_nonnull (search);
  gtk_editable_set_text (GTK_EDITABLE (search), "M-0009");
  g_signal_emit_by_name (search, "activate");
  topout_test_pump ();
  g_assert_true (topout_test_shows_text (f->desk, "Grace Hopper"));

  topout_kiosk_lock (kiosk);
  topout_test_pump ();
  g_assert_false (topout_test_shows_text (f->window, "Ada Lovelace:"));
  g_assert_false (topout_test_shows_text (f->window, "Grace Hopper"));
  g_assert_true (topout_test_shows_text (f->overlay, "Ada L.: Logged Crimp Cathedral (Sent)"));
  tap_widget (f, toast_button (f));
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT COUNT(*) FROM completions"), ==, 0);

  g_settings_reset (settings, "kiosk-mode");
  g_settings_reset (settings, "kiosk-pin-hash");
}

/* @text in a toast on screen (the overlay's children besides the desk). */
static gboolean
toasts_show_text (Fixture    *f,
                  const char *text)
{
  for (GtkWidget *c = gtk_widget_get_first_child (f->overlay); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (c != f->desk && topout_test_shows_text (c, text))
      return TRUE;
  return FALSE;
}

/* Waits (up to 5 s) for @text in a toast on screen: the next toast of the
 * queue comes after the one before has faded. */
static gboolean
wait_toast_text (Fixture    *f,
                 const char *text)
{
  for (int i = 0; i < 500 && !topout_test_shows_text (f->overlay, text); i++)
    topout_test_wait_ms (10);
  return topout_test_shows_text (f->overlay, text);
}

/* At a locked kiosk with Bo Kim and Bo Kline, the panel's title and its
 * toasts name Bo Kim as the desk's rows do, "Bo Ki.", never "Bo K."; a
 * toast made while staff were in says "Bo Ki." once locked too. */
static void
test_kiosk_panel_names_told_apart (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  g_autoptr (TopoutClimber) kline = topout_test_add_climber (f->store, "Bo Kline", NULL);
  GtkWidget *list;
  GtkWidget *title;

  g_assert_true (topout_kiosk_set_pin (kiosk, "8642", NULL));
  topout_kiosk_set_enabled (kiosk, TRUE);
  use_kiosk (f, kiosk);

  /* The row and the panel's title: "Bo Ki.". */
  list = GTK_WIDGET (gtk_widget_get_template_child (f->desk, TOPOUT_TYPE_DESK_VIEW, "climber_list"));
  g_assert_true (topout_test_shows_text (list, "Bo Ki."));
  tap (f, "desk.select-climber", BO (f));
  title = find_named (f->panel, "climber-name");
  g_assert_nonnull (title);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==, "Bo Ki.");
  g_assert_false (topout_test_shows_text (f->panel, "Bo K."));

  /* Its toasts: logged (a session started), logged, ended, and the same
   * after the Undo. */
  tap (f, "picker.select-climb", "c-1");
  tap (f, "picker.log-sent", NULL);
  g_assert_true (topout_test_shows_text (f->overlay, "Bo Ki.: started a Fun session. Logged Crimp Cathedral"));
  tap (f, "picker.select-climb", "c-2");
  tap (f, "picker.log-sent", NULL);
  g_assert_true (topout_test_shows_text (f->overlay, "Bo Ki.: Logged Slab Happy (Sent)"));
  tap (f, "panel.end-session", NULL);
  g_assert_true (topout_test_shows_text (f->overlay, "Session ended for Bo Ki."));
  tap_widget (f, toast_button (f));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==, "Bo Ki.");
  g_assert_false (topout_test_shows_text (f->panel, "Bo K."));
  g_assert_false (toasts_show_text (f, "Bo K."));

  /* Ada has no look-alike: "Ada L.". */
  tap (f, "desk.select-climber", ADA (f));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==, "Ada L.");

  /* A toast of Bo Kim made while staff were in, then the lock. */
  dismiss_toasts (f);
  g_assert_true (topout_kiosk_try_unlock (kiosk, "8642", NULL));
  topout_test_pump ();
  tap (f, "desk.select-climber", BO (f));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==, "Bo Kim");
  tap (f, "picker.select-climb", "c-3");
  tap (f, "picker.log-sent", NULL);
  g_assert_true (topout_test_shows_text (f->overlay, "Bo Kim: Logged Jug Haul (Sent)"));
  topout_kiosk_lock (kiosk);
  topout_test_pump ();
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==, "Bo Ki.");
  g_assert_true (topout_test_shows_text (f->overlay, "Bo Ki.: Logged Jug Haul (Sent)"));
  g_assert_false (topout_test_shows_text (f->panel, "Bo K."));
  g_assert_false (toasts_show_text (f, "Bo K."));
  g_assert_false (topout_test_shows_text (f->window, "Bo Kim"));

  g_settings_reset (settings, "kiosk-mode");
  g_settings_reset (settings, "kiosk-pin-hash");
}

/* At a locked kiosk a climber has one name on the whole desk screen: the
 * short names are told apart over everyone it shows, the Climbers list, On
 * the wall now and the panel together, not within each list. Bo Kim alone
 * on the wall, Bo Kline listed: "Bo Ki." on the wall, in the list and in
 * the panel. Ada, on the wall and listed, is one climber: "Ada L.". */
static void
test_kiosk_names_told_apart_across_lists (Fixture       *f,
                                          gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  g_autoptr (TopoutClimber) kline = topout_test_add_climber (f->store, "Bo Kline", NULL);
  g_autoptr (TopoutSession) ada_session = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) bo_session = topout_test_start (f->store, BO (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) again = NULL;
  GtkWidget *list;
  GtkWidget *wall;
  GtkWidget *search;
  GtkWidget *title;

  g_assert_true (topout_kiosk_set_pin (kiosk, "8642", NULL));
  topout_kiosk_set_enabled (kiosk, TRUE);
  use_kiosk (f, kiosk);
  list = GTK_WIDGET (gtk_widget_get_template_child (f->desk, TOPOUT_TYPE_DESK_VIEW, "climber_list"));
  wall = GTK_WIDGET (gtk_widget_get_template_child (f->desk, TOPOUT_TYPE_DESK_VIEW, "wall_list"));
  search = GTK_WIDGET (gtk_widget_get_template_child (f->desk, TOPOUT_TYPE_DESK_VIEW, "search_entry"));

  /* Nothing typed: everyone listed, Ada and Bo Kim on the wall. */
  g_assert_true (topout_test_shows_text (wall, "Bo Ki."));
  g_assert_false (topout_test_shows_text (wall, "Bo K."));
  g_assert_true (topout_test_shows_text (wall, "Ada L."));
  g_assert_false (topout_test_shows_text (wall, "Ada Lo"));
  g_assert_true (topout_test_shows_text (list, "Bo Ki."));
  g_assert_true (topout_test_shows_text (list, "Bo Kl."));
  g_assert_true (topout_test_shows_text (list, "Ada L."));
  g_assert_false (topout_test_shows_text (list, "Ada Lo"));
  tap (f, "desk.select-climber", BO (f));
  title = find_named (f->panel, "climber-name");
  g_assert_nonnull (title);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==, "Bo Ki.");

  /* Only Bo Kline listed: Bo Kim on the wall and in the panel still
   * "Bo Ki.", Bo Kline "Bo Kl.". */
  gtk_editable_set_text (GTK_EDITABLE (search), "Kline");
  g_signal_emit_by_name (search, "search-changed");
  topout_test_wait_ms (300);
  g_assert_false (topout_test_shows_text (list, "Bo Ki."));
  g_assert_true (topout_test_shows_text (list, "Bo Kl."));
  g_assert_true (topout_test_shows_text (wall, "Bo Ki."));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==, "Bo Ki.");

  /* Bo Kim off the wall, still in the panel: told apart from Bo Kline. */
  tap (f, "panel.end-session", NULL);
  g_assert_false (topout_test_shows_text (wall, "Bo K"));
  g_assert_true (topout_test_shows_text (list, "Bo Kl."));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==, "Bo Ki.");

  /* Ada in the panel: Bo Kline alone on screen is "Bo K."; Bo Kim back on
   * the wall makes the listed row "Bo Kl." again. */
  dismiss_toasts (f);
  tap (f, "desk.select-climber", ADA (f));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==, "Ada L.");
  g_assert_true (topout_test_shows_text (list, "Bo K."));
  again = topout_test_start (f->store, BO (f), TOPOUT_SESSION_TYPE_FUN);
  topout_test_pump ();
  g_assert_true (topout_test_shows_text (wall, "Bo Ki."));
  g_assert_true (topout_test_shows_text (list, "Bo Kl."));
  g_assert_false (topout_test_shows_text (list, "Bo K."));
  g_assert_false (topout_test_shows_text (wall, "Bo K."));

  g_settings_reset (settings, "kiosk-mode");
  g_settings_reset (settings, "kiosk-pin-hash");
}

/* Staff at the unlocked kiosk log for Ada; another view's toast comes over
 * hers, then Bo's log: Ada's toast waits in the queue behind them. Locked,
 * it says "Ada L." when it comes back, and still undoes her log. */
static void
test_kiosk_lock_shortens_queued_toasts (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  g_autoptr (TopoutSession) ada_session = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) bo_session = topout_test_start (f->store, BO (f), TOPOUT_SESSION_TYPE_FUN);
  AdwToast *other;
  GtkWidget *close;

  g_assert_true (topout_kiosk_set_pin (kiosk, "8642", NULL));
  topout_kiosk_set_enabled (kiosk, TRUE);
  g_assert_true (topout_kiosk_try_unlock (kiosk, "8642", NULL));
  use_kiosk (f, kiosk);

  tap (f, "desk.select-climber", ADA (f));
  tap (f, "picker.select-climb", "c-1");
  tap (f, "picker.log-sent", NULL);
  g_assert_true (topout_test_shows_text (f->overlay, "Ada Lovelace: Logged Crimp Cathedral (Sent)"));
  other = adw_toast_new ("Another view’s news");
  adw_toast_set_priority (other, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (other, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (f->overlay), g_object_ref (other));
  topout_test_pump ();
  tap (f, "desk.select-climber", BO (f));
  tap (f, "picker.select-climb", "c-2");
  tap (f, "picker.log-sent", NULL);
  g_assert_true (topout_test_shows_text (f->overlay, "Bo Kim: Logged Slab Happy (Sent)"));
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT COUNT(*) FROM completions"), ==, 2);

  topout_kiosk_lock (kiosk);
  topout_test_pump ();
  g_assert_true (topout_test_shows_text (f->overlay, "Bo K.: Logged Slab Happy (Sent)"));

  /* Bo's toast closed, then the other view's: Ada's comes back. */
  close = find_toast_close (f);
  g_assert_nonnull (close);
  g_signal_emit_by_name (close, "clicked");
  topout_test_pump ();
  g_assert_true (wait_toast_text (f, "Another view’s news"));
  adw_toast_dismiss (other);
  g_object_unref (other);
  g_assert_true (wait_toast_text (f, ": Logged Crimp Cathedral (Sent)"));
  g_assert_false (topout_test_shows_text (f->window, "Ada Lovelace"));
  g_assert_true (topout_test_shows_text (f->overlay, "Ada L.: Logged Crimp Cathedral (Sent)"));
  tap_widget (f, toast_button (f));
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT COUNT(*) FROM completions"), ==, 1);

  g_settings_reset (settings, "kiosk-mode");
  g_settings_reset (settings, "kiosk-pin-hash");
}

static void
test_undo_per_toast (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (TopoutSession) ada_session = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) bo_session = topout_test_start (f->store, BO (f), TOPOUT_SESSION_TYPE_POWER);
  g_autoptr (GVariant) ada_target = NULL;
  g_autoptr (GPtrArray) ada_left = NULL;
  g_autoptr (GPtrArray) bo_left = NULL;
  g_autofree char *ada_action = NULL;
  g_autofree char *bo_completion = NULL;
  GtkWidget *undo;
  const char *ada_completion;

  /* Ada's log. */
  tap (f, "desk.select-climber", ADA (f));
  tap (f, "picker.select-climb", "c-1");
  tap (f, "picker.log-sent", NULL);
  undo = toast_button (f);
  ada_action = g_strdup (gtk_actionable_get_action_name (GTK_ACTIONABLE (undo)));
  ada_target = g_variant_ref (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (undo)));
  g_variant_get (ada_target, "(&s&sb)", &ada_completion, NULL, NULL);

  /* Bo's log, from the wall list. */
  tap (f, "desk.select-climber", BO (f));
  g_assert_true (topout_test_shows_text (f->panel, "Bo Kim"));
  tap (f, "picker.select-climb", "c-1");
  tap (f, "picker.log-sent", NULL);
  undo = toast_button (f);
  {
    const char *id;
    g_variant_get (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (undo)), "(&s&sb)", &id, NULL, NULL);
    bo_completion = g_strdup (id);
  }
  g_assert_cmpstr (bo_completion, !=, ada_completion);

  /* Ada's toast, activated after Bo's log: only Ada's completion goes. */
  g_assert_true (gtk_widget_activate_action_variant (f->panel, ada_action, ada_target));
  topout_test_pump ();
  ada_left = topout_store_list_completions (f->store, topout_session_get_id (ada_session));
  bo_left = topout_store_list_completions (f->store, topout_session_get_id (bo_session));
  g_assert_cmpuint (ada_left->len, ==, 0);
  g_assert_cmpuint (bo_left->len, ==, 1);
  g_assert_cmpstr (topout_completion_get_id (g_ptr_array_index (bo_left, 0)), ==, bo_completion);
  /* Both sessions were already running: neither is touched. */
  {
    g_autoptr (TopoutSession) a = active_of (f, ADA (f));
    g_autoptr (TopoutSession) b = active_of (f, BO (f));
    g_assert_nonnull (a);
    g_assert_nonnull (b);
  }
  /* Bo's panel still lists Bo's route. */
  g_assert_cmpuint (count_rows (find_named (f->panel, "completion-list")), ==, 1);
}

/* The toasts on screen: the overlay's children besides the desk. */
static guint
count_toasts (Fixture *f)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (f->overlay); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (c != f->desk && gtk_widget_get_mapped (c) && g_str_equal (gtk_widget_get_css_name (c), "toast"))
      n++;
  return n;
}

/* Tap after tap, one toast: it names the latest tap and undoes exactly
 * that, and no queue of older toasts shows up once it is gone. */
static void
test_one_toast_for_many_taps (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr (TopoutSession) session = NULL;
  g_autoptr (GPtrArray) completions = NULL;
  const char *climbs[] = { "c-1", "c-2", "c-3", "c-1" };
  const char *target_id;
  GtkWidget *undo;

  tap (f, "desk.select-climber", ADA (f));
  tap (f, "panel.start-session", NULL);
  session = active_of (f, ADA (f));
  for (guint i = 0; i < G_N_ELEMENTS (climbs); i++)
    {
      tap (f, "picker.select-climb", climbs[i]);
      tap (f, "picker.log-sent", NULL);
      g_assert_cmpuint (count_toasts (f), ==, 1);
    }
  g_assert_true (topout_test_shows_text (f->overlay, "Logged Crimp Cathedral (Sent)"));
  g_assert_false (topout_test_shows_text (f->overlay, "Logged Jug Haul (Sent)"));

  /* Its undo is the last log's. */
  completions = topout_store_list_completions (f->store, topout_session_get_id (session));
  g_assert_cmpuint (completions->len, ==, 4);
  undo = toast_button (f);
  g_variant_get (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (undo)), "(&s&sb)", &target_id, NULL, NULL);
  g_assert_cmpstr (target_id, ==, topout_completion_get_id (g_ptr_array_index (completions, 3)));

  /* Ending the session: the same toast says so, with the undo of the end. */
  tap (f, "panel.end-session", NULL);
  g_assert_cmpuint (count_toasts (f), ==, 1);
  g_assert_true (topout_test_shows_text (f->overlay, "Session ended"));
  g_assert_false (topout_test_shows_text (f->overlay, "Logged"));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (toast_button (f))), ==, "desk-undo.reopen-session");

  /* Gone: nothing was waiting behind it. */
  dismiss_toasts (f);
  topout_test_wait_ms (200);
  g_assert_cmpuint (count_toasts (f), ==, 0);
  g_assert_null (find_actionable_full (f->overlay, "desk-undo.", NULL, TRUE));

  /* The next tap brings a toast again. */
  tap (f, "desk.select-climber", BO (f));
  tap (f, "picker.select-climb", "c-2");
  tap (f, "picker.log-not-sent", NULL);
  g_assert_cmpuint (count_toasts (f), ==, 1);
  g_assert_true (topout_test_shows_text (f->overlay, "Logged Slab Happy (Not sent)"));
}

/* A toast's close button is named (libadwaita 1.2 leaves it unnamed: a
 * screen reader said "GtkImage"). */
static void
test_toast_close_named (Fixture       *f,
                        gconstpointer  data)
{
  GtkWidget *close;
  g_autofree char *wrong = NULL;

  tap (f, "desk.select-climber", ADA (f));
  tap (f, "picker.select-climb", "c-1");
  tap (f, "picker.log-sent", NULL);
  close = find_toast_close (f);
  g_assert_nonnull (close);
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL, "Close");
  g_assert_null (wrong);
}

/* Ctrl+Z pressed anywhere in the desk: its shortcut, seen before the
 * focused widget's own (capture phase). TRUE when it was taken. */
static gboolean
press_ctrl_z (Fixture *f)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (f->desk);
  guint found = 0;
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (c) || gtk_event_controller_get_propagation_phase (c) != GTK_PHASE_CAPTURE)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (c)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (c), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_z &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == GDK_CONTROL_MASK)
            {
              handled = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, f->desk, NULL);
              found++;
            }
        }
    }
  g_assert_cmpuint (found, ==, 1);
  topout_test_pump ();
  return handled;
}

/* Ctrl+Z at the desk is the Undo of the toast on screen: a keyboard user
 * met the toast's button only after Tab had gone through the whole panel,
 * by when it had timed out. It undoes what the toast names, and the toast
 * goes. */
static void
test_undo_by_keyboard (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (TopoutSession) session = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  const char *session_id = topout_session_get_id (session);
  GtkWidget *search = find_named (f->desk, "climber-search");
  GtkWidget *climb_search = NULL;
  g_autoptr (TopoutSession) ended = NULL;
  g_autoptr (TopoutSession) reopened = NULL;

  /* No toast: the key goes on to the focused field. */
  tap (f, "desk.select-climber", ADA (f));
  g_assert_false (press_ctrl_z (f));

  /* A log, undone from the climb search the keyboard is back in. */
  climb_search = find_named (f->panel, "climb-search");
  gtk_editable_set_text (GTK_EDITABLE (climb_search), "jug");
  g_signal_emit_by_name (climb_search, "activate");
  topout_test_pump ();
  press (gtk_root_get_focus (GTK_ROOT (f->window)));
  g_assert_cmpuint (n_completions (f, session_id), ==, 1);
  g_assert_cmpuint (count_toasts (f), ==, 1);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), climb_search));
  g_assert_true (press_ctrl_z (f));
  g_assert_cmpuint (n_completions (f, session_id), ==, 0);
  g_assert_cmpuint (count_toasts (f), ==, 0);

  /* End Session, then Ctrl+Z where the focus went (the search): reopened. */
  tap (f, "panel.end-session", NULL);
  ended = reload (f, session_id);
  g_assert_cmpint (topout_session_get_status (ended), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), search));
  g_assert_true (press_ctrl_z (f));
  reopened = reload (f, session_id);
  g_assert_cmpint (topout_session_get_status (reopened), ==, TOPOUT_SESSION_STATUS_ACTIVE);
  g_assert_cmpuint (count_toasts (f), ==, 0);
  g_assert_false (press_ctrl_z (f));
}

/* The climb ids of the picker's rows, in order, joined by spaces. */
static char *
picker_order (Fixture *f)
{
  GtkWidget *list = find_named (f->panel, "climb-list");
  GString *order = g_string_new (NULL);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i)) != NULL; i++)
    g_string_append_printf (order, "%s%s", order->len ? " " : "",
                            g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (row)), NULL));
  return g_string_free (order, FALSE);
}

/* The picker's list does not move between taps; the climber's recent
 * climbs come first again when the climber is chosen again. A tap leaves
 * the keyboard focus alone. */
static void
test_picker_order_between_taps (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *again = NULL;
  GtkWidget *focus;

  tap (f, "desk.select-climber", ADA (f));
  tap (f, "panel.start-session", NULL);
  before = picker_order (f);
  g_assert_cmpstr (before, !=, "");
  /* The last climb listed. */
  {
    const char *last = strrchr (before, ' ');

    g_assert_nonnull (last);
    /* A tap on the row: the focus stays there (GTK puts it on the row),
     * not in the log controls, and logging leaves it there. */
    tap (f, "picker.select-climb", last + 1);
    focus = gtk_root_get_focus (GTK_ROOT (f->window));
    g_assert_false (focus == find_actionable (f->panel, "picker.log-sent", NULL));
    tap (f, "picker.log-sent", NULL);
    g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == focus);
    after = picker_order (f);
    g_assert_cmpstr (after, ==, before);

    /* Chosen again: the climb just logged leads. */
    tap (f, "desk.select-climber", BO (f));
    tap (f, "desk.select-climber", ADA (f));
    again = picker_order (f);
    g_assert_true (g_str_has_prefix (again, last + 1));
  }

  /* With the keyboard (the window shows focus rings once a key moved the
   * focus): Enter on a row puts the focus on Sent, Enter there logs and
   * the focus goes back to the search. */
  gtk_window_set_focus_visible (GTK_WINDOW (f->window), TRUE);
  tap (f, "picker.select-climb", "c-2");
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == find_actionable (f->panel, "picker.log-sent", NULL));
  press (focus);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), find_named (f->panel, "climb-search")));
  g_assert_true (topout_test_shows_text (f->overlay, "Logged Slab Happy (Sent)"));
}

static void
assert_error_shown (Fixture    *f,
                    const char *label_name,
                    const char *message)
{
  GtkWidget *label = find_named (f->panel, label_name);

  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_true (gtk_widget_has_css_class (label, "error"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, message);
}

/* @climber_id has an active CUSTOM session labelled @label. */
static void
assert_custom_started (Fixture    *f,
                       const char *climber_id,
                       const char *label)
{
  g_autoptr (TopoutSession) started = NULL;

  topout_test_pump ();
  started = active_of (f, climber_id);
  g_assert_nonnull (started);
  g_assert_cmpint (topout_session_get_session_type (started), ==, TOPOUT_SESSION_TYPE_CUSTOM);
  g_assert_cmpstr (topout_session_get_custom_label (started), ==, label);
}

/* Refusals are shown where they were typed, and nothing is saved. */
static void
test_refusal_shown (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (TopoutSession) draft = topout_session_new ();
  g_autoptr (TopoutSession) refused = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkWidget *entry;

  for (int i = 0; i < 3; i++)
    {
      g_autoptr (TopoutSession) s = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
      g_autoptr (GError) end_error = NULL;
      g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s), &end_error));
      g_assert_no_error (end_error);
    }
  /* The message the store gives for a 4th session (a refusal writes nothing). */
  topout_session_set_climber_id (draft, ADA (f));
  refused = topout_store_start_session (f->store, draft, &error);
  g_assert_null (refused);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DAILY_CAP);

  before = topout_test_dump_db (f->path);
  tap (f, "desk.select-climber", ADA (f));
  tap (f, "panel.start-session", NULL);
  assert_error_shown (f, "start-error", error->message);
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);

  /* CUSTOM without a label: the message under the label field. */
  tap (f, "desk.select-climber", BO (f));
  g_assert_false (gtk_widget_get_mapped (find_named (f->panel, "start-error")));
  tap (f, "panel.set-session-type", "CUSTOM");
  tap (f, "panel.start-session", NULL);
  g_clear_error (&error);
  {
    g_autoptr (TopoutSession) custom = topout_session_new ();
    topout_session_set_climber_id (custom, BO (f));
    topout_session_set_session_type (custom, TOPOUT_SESSION_TYPE_CUSTOM);
    g_assert_null (topout_store_start_session (f->store, custom, &error));
  }
  assert_error_shown (f, "custom-error", error->message);
  g_assert_null (active_of (f, BO (f)));

  /* COMPETITION with only a type: the message under the pair. */
  tap (f, "panel.set-session-type", "COMPETITION");
  entry = find_named (f->panel, "custom-error");
  g_assert_false (gtk_widget_get_mapped (entry));
  entry = find_named (f->panel, "competition-error");
  g_assert_false (gtk_widget_get_mapped (entry));
  tap (f, "panel.start-session", NULL);
  g_clear_error (&error);
  {
    g_autoptr (TopoutSession) comp = topout_session_new ();
    topout_session_set_climber_id (comp, BO (f));
    topout_session_set_session_type (comp, TOPOUT_SESSION_TYPE_COMPETITION);
    g_assert_null (topout_store_start_session (f->store, comp, &error));
  }
  assert_error_shown (f, "competition-error", error->message);
  g_assert_null (active_of (f, BO (f)));

  /* Back to CUSTOM, refused again: typing the label takes the message
   * away, and Enter in the field starts the session. */
  tap (f, "panel.set-session-type", "CUSTOM");
  tap (f, "panel.start-session", NULL);
  g_assert_true (gtk_widget_get_mapped (find_named (f->panel, "custom-error")));
  entry = find_named (f->panel, "custom-entry");
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Project day");
  topout_test_pump ();
  g_assert_false (gtk_widget_get_mapped (find_named (f->panel, "custom-error")));
  g_signal_emit_by_name (entry, "activate");
  assert_custom_started (f, BO (f), "Project day");
}

/* The quality bars: few taps. */
static void
test_tap_counts (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (TopoutSession) session = NULL;
  g_autoptr (TopoutSession) ended = NULL;
  GtkWidget *climber_row;

  /* Starting a FUN session for a climber in the list: the row, then Start. */
  climber_row = find_actionable (find_named (f->desk, "climber-list"), "desk.select-climber", BO (f));
  g_assert_nonnull (climber_row);
  f->taps = 0;
  tap_widget (f, climber_row);
  tap (f, "panel.start-session", NULL);
  session = active_of (f, BO (f));
  g_assert_nonnull (session);
  g_assert_cmpint (topout_session_get_session_type (session), ==, TOPOUT_SESSION_TYPE_FUN);
  g_test_message ("start a FUN session: %u taps", f->taps);
  g_assert_cmpuint (f->taps, <=, 3);

  /* Logging a send once the climb is on screen: its row, then Sent. */
  f->taps = 0;
  tap (f, "picker.select-climb", "c-2");
  tap (f, "picker.log-sent", NULL);
  g_assert_cmpuint (n_completions (f, topout_session_get_id (session)), ==, 1);
  g_test_message ("log a send: %u taps", f->taps);
  g_assert_cmpuint (f->taps, <=, 2);

  /* A wrong tap is corrected with one: Undo. */
  f->taps = 0;
  tap_widget (f, toast_button (f));
  g_assert_cmpuint (n_completions (f, topout_session_get_id (session)), ==, 0);
  g_assert_cmpuint (f->taps, ==, 1);
  dismiss_toasts (f);

  /* Also for a wrong End. */
  tap (f, "panel.end-session", NULL);
  f->taps = 0;
  tap_widget (f, toast_button (f));
  ended = reload (f, topout_session_get_id (session));
  g_assert_cmpint (topout_session_get_status (ended), ==, TOPOUT_SESSION_STATUS_ACTIVE);
  g_assert_cmpuint (f->taps, ==, 1);
}

/* Logging with no active session starts a FUN one and says so. */
static void
test_log_starts_session (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr (TopoutSession) session = NULL;

  tap (f, "desk.select-climber", BO (f));
  g_assert_null (active_of (f, BO (f)));
  tap (f, "picker.select-climb", "c-3");
  tap (f, "picker.log-sent", NULL);

  session = active_of (f, BO (f));
  g_assert_nonnull (session);
  g_assert_cmpint (topout_session_get_session_type (session), ==, TOPOUT_SESSION_TYPE_FUN);
  g_assert_cmpuint (n_completions (f, topout_session_get_id (session)), ==, 1);
  g_assert_true (topout_test_shows_text (f->overlay, "Bo Kim: started a Fun session"));
  g_assert_true (topout_test_shows_text (f->overlay, "Logged Jug Haul (Sent)"));
  /* The panel now shows the session. */
  g_assert_nonnull (find_actionable (f->panel, "panel.end-session", NULL));
  g_assert_cmpuint (count_rows (find_named (f->panel, "completion-list")), ==, 1);

  /* Undo takes the route back, and the session it started with it. */
  tap_widget (f, toast_button (f));
  g_assert_cmpuint (n_completions (f, topout_session_get_id (session)), ==, 0);
  {
    g_autoptr (TopoutSession) after = active_of (f, BO (f));
    g_autoptr (TopoutSession) gone = reload (f, topout_session_get_id (session));
    g_assert_null (after);
    g_assert_cmpint (topout_session_get_status (gone), ==, TOPOUT_SESSION_STATUS_CANCELLED);
  }
}

/* A climber at home has no gym catalog: a climb searched for and not
 * found is added from the log flow, named as searched, and is the one
 * chosen to log (no catalog id needed). Not at a locked kiosk. */
static void
test_add_climb_from_log (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *climb_search;
  GtkWidget *form = NULL;
  GtkWidget *name_label;
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr (GPtrArray) found = NULL;

  tap (f, "desk.select-climber", ADA (f));
  climb_search = find_named (f->panel, "climb-search");
  gtk_editable_set_text (GTK_EDITABLE (climb_search), "Garden Arete");
  g_signal_emit_by_name (climb_search, "activate");
  topout_test_pump ();
  tap (f, "picker.add-climb", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && form == NULL; i++)
    {
      g_autoptr (GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (w), "climb-editor") == 0)
        form = w;
    }
  g_assert_nonnull (form);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_named (form, "climb-name"))), ==, "Garden Arete");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_named (form, "climb-id"))), ==, "");
  gtk_editable_set_text (GTK_EDITABLE (find_named (form, "climb-grade")), "V3");
  g_assert_true (gtk_widget_activate_action (form, "editor.save", NULL));
  topout_test_pump ();

  found = topout_store_find_climbs (f->store, "Garden", NULL, 10);
  g_assert_cmpuint (found->len, ==, 1);
  name_label = GTK_WIDGET (gtk_widget_get_template_child (f->picker, TOPOUT_TYPE_CLIMB_PICKER, "selected_name"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (name_label)), ==, "Garden Arete");
  tap (f, "picker.log-sent", NULL);
  {
    g_autoptr (TopoutSession) session = active_of (f, ADA (f));

    g_assert_nonnull (session);
    g_assert_cmpuint (n_completions (f, topout_session_get_id (session)), ==, 1);
  }

  /* A locked kiosk leaves the catalog to staff. */
  {
    g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
    g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
    GtkWidget *window = gtk_window_new ();
    GtkWidget *desk = topout_desk_view_new (f->store, kiosk);
    GtkWidget *picker;

    topout_kiosk_set_enabled (kiosk, TRUE);
    gtk_window_set_child (GTK_WINDOW (window), desk);
    gtk_window_present (GTK_WINDOW (window));
    gtk_widget_activate_action (desk, "desk.select-climber", "s", BO (f));
    picker = GTK_WIDGET (topout_session_panel_get_climb_picker (topout_desk_view_get_session_panel (TOPOUT_DESK_VIEW (desk))));
    gtk_editable_set_text (GTK_EDITABLE (find_named (picker, "climb-search")), "Nowhere");
    topout_test_pump ();
    g_assert_null (find_actionable (picker, "picker.add-climb", NULL));
    gtk_widget_activate_action (picker, "picker.add-climb", NULL);
    topout_test_pump ();
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr (GtkWidget) w = g_list_model_get_item (toplevels, i);

        g_assert_cmpstr (gtk_widget_get_name (w), !=, "climb-editor");
      }
    gtk_window_destroy (GTK_WINDOW (window));
    g_settings_reset (settings, "kiosk-mode");
    topout_test_pump ();
  }
}

/* A gym's first day: the catalog is empty, and someone types a climb's
 * name in Log route. The picker says the catalog is empty and how to fill
 * it, as for an empty search; it said "No Climbs Match: try a grade such
 * as V4", which no search could ever find. With a climb in the catalog
 * again, a search finding nothing is a no-match. */
static void
test_empty_catalog_search (Fixture       *f,
                           gconstpointer  data)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (f->picker, TOPOUT_TYPE_CLIMB_PICKER, "list_stack"));
  GtkWidget *climb_search;
  const char *ids[] = { "c-1", "c-2", "c-3" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_true (topout_store_set_climb_retired (f->store, ids[i], TRUE, NULL));
  tap (f, "desk.select-climber", ADA (f));
  climb_search = find_named (f->panel, "climb-search");
  topout_test_pump ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");

  gtk_editable_set_text (GTK_EDITABLE (climb_search), "Yellow Arete");
  /* The search entry's delay before it searches. */
  topout_test_wait_ms (300);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  /* Its Add Climb… takes what was typed, as the no-match page's does. */
  g_assert_nonnull (find_actionable (GTK_WIDGET (stack), "picker.add-climb", NULL));

  g_assert_true (topout_store_set_climb_retired (f->store, "c-1", FALSE, NULL));
  topout_climb_picker_reload (TOPOUT_CLIMB_PICKER (f->picker));
  topout_test_pump ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "no-match");
  gtk_editable_set_text (GTK_EDITABLE (climb_search), "Crimp");
  topout_test_wait_ms (300);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
}

/* The bottom of @list's last row shown, in @list's coordinates. */
static int
last_row_bottom (GtkWidget *list)
{
  GtkListBoxRow *row;
  int bottom = 0;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i)) != NULL; i++)
    {
      graphene_rect_t bounds;

      if (gtk_widget_get_mapped (GTK_WIDGET (row)) &&
          gtk_widget_compute_bounds (GTK_WIDGET (row), list, &bounds))
        bottom = MAX (bottom, (int) ceilf (bounds.origin.y + bounds.size.height));
    }
  return bottom;
}

/* A few climbs (a climber at home adds their own, one by one): the
 * picker's card holds its rows and ends under the last one; it was a white
 * card as tall as the list's room, 240 px, under a single row. */
static void
test_few_climbs_card (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *list = find_named (f->panel, "climb-list");
  GtkWidget *search;

  tap (f, "desk.select-climber", ADA (f));
  search = find_named (f->panel, "climb-search");
  gtk_editable_set_text (GTK_EDITABLE (search), "Slab");
  for (int i = 0; i < 100 && gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1) != NULL; i++)
    topout_test_wait_ms (20);
  topout_test_wait_ms (100);
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
  g_assert_true (gtk_widget_get_mapped (list));
  g_assert_cmpint (last_row_bottom (list), >, 0);
  /* The card's border, no more. */
  g_assert_cmpint (gtk_widget_get_height (list), <=, last_row_bottom (list) + 4);

  /* All three: the same. */
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  for (int i = 0; i < 100 && gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 2) == NULL; i++)
    topout_test_wait_ms (20);
  topout_test_wait_ms (100);
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 2));
  g_assert_cmpint (gtk_widget_get_height (list), <=, last_row_bottom (list) + 4);
}

/* The climber at home, alone in their database, is shown at start: not
 * chosen again every time. Not on a kiosk, and not among several. */
static GtkWidget *
desk_shown_for (TopoutStore *store,
                TopoutKiosk *kiosk)
{
  return g_object_ref_sink (topout_desk_view_new (store, kiosk));
}

static const char *
desk_climber (GtkWidget *desk)
{
  return topout_session_panel_get_climber_id (topout_desk_view_get_session_panel (TOPOUT_DESK_VIEW (desk)));
}

/* The first label under @root that reads @text. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_only_climber_shown (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  g_autoptr (TopoutClimber) ada = NULL;
  g_autoptr (TopoutClimber) bo = NULL;
  GtkWidget *desk;

  desk = desk_shown_for (store, NULL);
  g_assert_null (desk_climber (desk));
  g_object_unref (desk);

  ada = topout_test_add_climber (store, "Ada Lovelace", NULL);
  desk = desk_shown_for (store, kiosk);
  g_assert_cmpstr (desk_climber (desk), ==, topout_climber_get_id (ada));
  /* Her session's "Offline session" tag does not promise a server there
   * may not be (a climber at home; it said "It is sent to the server"). */
  {
    g_autoptr (TopoutSession) session = topout_test_start (store, topout_climber_get_id (ada),
                                                           TOPOUT_SESSION_TYPE_FUN);
    GtkWidget *tag;

    topout_test_pump ();
    tag = find_label (desk, "Offline session");
    g_assert_nonnull (tag);
    g_assert_true (gtk_widget_get_visible (tag));
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (tag), "When a sync server is set up"));
    g_assert_true (topout_store_cancel_session (store, topout_session_get_id (session), NULL));
    topout_test_pump ();
  }
  g_object_unref (desk);

  topout_kiosk_set_enabled (kiosk, TRUE);
  desk = desk_shown_for (store, kiosk);
  g_assert_null (desk_climber (desk));
  g_object_unref (desk);
  topout_kiosk_set_enabled (kiosk, FALSE);

  bo = topout_test_add_climber (store, "Bo Kim", NULL);
  desk = desk_shown_for (store, NULL);
  g_assert_null (desk_climber (desk));
  g_object_unref (desk);
  g_settings_reset (settings, "kiosk-mode");
}

/* A member code that a climber of an import under way holds (its journal
 * names the climber: another process is importing): adding a climber with
 * it at the desk is refused with a message that says so, not that it
 * "belongs to another climber" nobody can find, also on a kiosk. Once the
 * import is whole it is an ordinary used code. */
static void
test_code_of_unfinished_import (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  g_autoptr (TopoutClimber) imported = topout_test_add_climber (f->store, "Imre Importson", "M-7777");
  g_autofree char *sql = g_strdup_printf ("INSERT INTO import_journal (kind, id) VALUES ('climber', '%s')",
                                          topout_climber_get_id (imported));
  GtkWidget *search = find_named (f->desk, "climber-search");
  GtkWidget *error_label = find_named (f->desk, "search-error");
  sqlite3 *other = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  sqlite3_busy_timeout (other, 5000);
  g_assert_cmpint (sqlite3_exec (other, sql, NULL, NULL, NULL), ==, SQLITE_OK);

  for (guint on_kiosk = 0; on_kiosk < 2; on_kiosk++)
    {
      GtkWidget *desk = f->desk;

      if (on_kiosk)
        {
          topout_kiosk_set_enabled (kiosk, TRUE);
          desk = topout_desk_view_new (f->store, kiosk);
          adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (f->overlay), desk);
          topout_test_pump ();
          search = find_named (desk, "climber-search");
          error_label = find_named (desk, "search-error");
        }
      gtk_editable_set_text (GTK_EDITABLE (search), "Dee Dobson, m-7777");
      g_signal_emit_by_name (search, "search-changed");
      topout_test_wait_ms (300);
      gtk_widget_activate_action (desk, "desk.add-climber", NULL);
      topout_test_pump ();
      g_assert_true (gtk_widget_get_mapped (error_label));
      g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "import that is under way"));
      g_assert_null (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "Imre"));
      g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM climbers WHERE display_name = 'Dee Dobson'"),
                       ==, 0);
    }

  /* The import is whole: the code is Imre's, said as for any other. */
  g_assert_cmpint (sqlite3_exec (other, "DELETE FROM import_journal", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  gtk_editable_set_text (GTK_EDITABLE (search), "Dee Dobson, m-7777");
  g_signal_emit_by_name (search, "search-changed");
  topout_test_wait_ms (300);
  gtk_widget_activate_action (gtk_widget_get_ancestor (search, TOPOUT_TYPE_DESK_VIEW), "desk.add-climber", NULL);
  topout_test_pump ();
  g_assert_null (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "import"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "already belongs"));
  topout_kiosk_set_enabled (kiosk, FALSE);
  g_settings_reset (settings, "kiosk-mode");
}

/* Find or add a climber, with the keyboard. */
static void
test_find_and_add (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *search = find_named (f->desk, "climber-search");
  GtkWidget *error_label = find_named (f->desk, "search-error");
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (TopoutSession) session = NULL;
  TopoutClimber *cy;

  /* Enter on a member code selects its climber. */
  gtk_editable_set_text (GTK_EDITABLE (search), "m-0001");
  g_signal_emit_by_name (search, "activate");
  topout_test_pump ();
  g_assert_cmpstr (topout_session_panel_get_climber_id (TOPOUT_SESSION_PANEL (f->panel)), ==, ADA (f));

  /* Nobody matches: Enter adds "Name, code". */
  gtk_editable_set_text (GTK_EDITABLE (search), "Cy Twombly, M-0042");
  g_signal_emit_by_name (search, "activate");
  topout_test_pump ();
  found = topout_store_find_climbers (f->store, "M-0042", FALSE, 10);
  g_assert_cmpuint (found->len, ==, 1);
  cy = g_ptr_array_index (found, 0);
  g_assert_cmpstr (topout_climber_get_display_name (cy), ==, "Cy Twombly");
  g_assert_cmpstr (topout_session_panel_get_climber_id (TOPOUT_SESSION_PANEL (f->panel)), ==, topout_climber_get_id (cy));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");

  /* A used member code is refused under the search field. */
  gtk_editable_set_text (GTK_EDITABLE (search), "Dee, M-0042");
  g_signal_emit_by_name (search, "search-changed");
  /* The entry's own delayed ::search-changed (150 ms) hides the error: let it
   * pass before the tap, or a slow run (sanitizers) sees it after. */
  topout_test_wait_ms (300);
  tap (f, "desk.add-climber", NULL);
  g_assert_true (gtk_widget_get_mapped (error_label));
  g_assert_true (gtk_widget_has_css_class (error_label, "error"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), !=, "");
  {
    g_autoptr (GPtrArray) dee = topout_store_find_climbers (f->store, "Dee", FALSE, 10);
    g_assert_cmpuint (dee->len, ==, 0);
  }

  /* Keyboard only: Enter chooses Cy and leaves the focus in the emptied
   * search (a card reader's next code is a search again, never a Return
   * on Start for whoever is on screen); Start is pressed; Enter in the
   * climb search picks the first climb, the focus lands on Sent. */
  gtk_editable_set_text (GTK_EDITABLE (search), "Cy");
  g_signal_emit_by_name (search, "activate");
  topout_test_pump ();
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));
    g_assert_nonnull (focus);
    g_assert_true (gtk_widget_is_ancestor (focus, search));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");
    g_assert_cmpstr (topout_session_panel_get_climber_id (TOPOUT_SESSION_PANEL (f->panel)), ==, topout_climber_get_id (cy));
    press (find_actionable (f->panel, "panel.start-session", NULL));
  }
  session = active_of (f, topout_climber_get_id (cy));
  g_assert_nonnull (session);
  {
    GtkWidget *climb_search = find_named (f->panel, "climb-search");
    GtkWidget *focus;

    int start = -1, end = -1;

    gtk_editable_set_text (GTK_EDITABLE (climb_search), "slab");
    g_signal_emit_by_name (climb_search, "activate");
    topout_test_pump ();
    focus = gtk_root_get_focus (GTK_ROOT (f->window));
    g_assert_true (focus == find_actionable (f->panel, "picker.log-sent", NULL));
    press (focus);
    topout_test_pump ();
    /* Back in the search, its text selected: the next name typed replaces
     * it, and Enter logs the same climb again. */
    g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), climb_search));
    g_assert_true (gtk_editable_get_selection_bounds (GTK_EDITABLE (climb_search), &start, &end));
    g_assert_cmpint (start, ==, 0);
    g_assert_cmpint (end, ==, 4);
    g_signal_emit_by_name (climb_search, "activate");
    topout_test_pump ();
    press (gtk_root_get_focus (GTK_ROOT (f->window)));
  }
  g_assert_cmpuint (n_completions (f, topout_session_get_id (session)), ==, 2);
}

/* Tab (Shift+Tab with @backward) pressed where the focus is, as GTK 4.8
 * hands it on: to the app's Tab controllers (topout-one-tab-stop) from the
 * focus up, then, if none took it, to the window's focus chain. */
static void
press_tab_at_focus_dir (GtkWidget *window,
                        gboolean   backward)
{
  gboolean handled = FALSE;

  for (GtkWidget *w = gtk_root_get_focus (GTK_ROOT (window)); w != NULL && !handled; w = gtk_widget_get_parent (w))
    {
      g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (w);

      for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
        {
          g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);

          if (g_strcmp0 (gtk_event_controller_get_name (c), "topout-one-tab-stop") == 0)
            g_signal_emit_by_name (c, "key-pressed", backward ? GDK_KEY_ISO_Left_Tab : GDK_KEY_Tab, 0,
                                   backward ? GDK_SHIFT_MASK : (GdkModifierType) 0, &handled);
        }
    }
  if (!handled)
    gtk_widget_child_focus (window, backward ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD);
}

static void
press_tab_at_focus (GtkWidget *window)
{
  press_tab_at_focus_dir (window, FALSE);
}

/* The climber id a desk row selects. */
static const char *
row_target (GtkWidget *row)
{
  GVariant *target = GTK_IS_ACTIONABLE (row) ? gtk_actionable_get_action_target_value (GTK_ACTIONABLE (row)) : NULL;

  return target != NULL ? g_variant_get_string (target, NULL) : NULL;
}

/* The keyboard's way through the sidebar: each list (on the wall, climbers)
 * is one Tab stop, the arrows move in it; Down in the search goes to the
 * climbers found. Tab from any climber reaches the session panel (with 50
 * climbers listed it took 50 Tabs). */
static void
test_sidebar_keyboard (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *search = find_named (f->desk, "climber-search");
  GtkWidget *wall = find_named (f->desk, "wall-list");
  GtkWidget *climbers = find_named (f->desk, "climber-list");
  g_autoptr (TopoutSession) s1 = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) s2 = topout_test_start (f->store, topout_climber_get_id (f->bo), TOPOUT_SESSION_TYPE_FUN);
  GtkWidget *focus;

  topout_test_pump ();
  g_assert_cmpuint (count_rows (wall), ==, 2);
  g_assert_cmpuint (count_rows (climbers), ==, 2);

  /* Down in the search: the first climber. */
  g_assert_true (gtk_widget_grab_focus (search));
  g_assert_true (topout_test_press_down (search));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (climbers), 0)));

  /* Tab from the first climber leaves the list. Nobody chosen, the empty
   * panel is no Tab stop (its scroller took the focus, with no ring): in
   * this window of the desk alone, Tab comes round to the search. */
  topout_test_press_tab (climbers, FALSE);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_false (gtk_widget_is_ancestor (focus, climbers));
  g_assert_true (gtk_widget_is_ancestor (focus, search));
  /* With a climber chosen, Tab goes on to the session panel. */
  tap (f, "desk.select-climber", ADA (f));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (climbers), 0))));
  topout_test_press_tab (climbers, FALSE);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (gtk_widget_is_ancestor (focus, f->panel));

  /* Shift+Tab from the last climber goes to the wall, Tab from the wall's
   * first row to the climbers. */
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (climbers), 1))));
  topout_test_press_tab (climbers, TRUE);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (gtk_widget_is_ancestor (focus, wall));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (wall), 0))));
  topout_test_press_tab (wall, FALSE);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (gtk_widget_is_ancestor (focus, climbers));

  /* Tab into a list lands on the chosen climber's row, not on its first:
   * Bo, second among the climbers, from the wall, and Shift+Tab from the
   * panel back to it; Bo, second on the wall too (the two started at the
   * same moment: by name, Ada first), from the search. */
  tap (f, "desk.select-climber", BO (f));
  topout_test_wait_frames (f->window, 2);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (wall), 0))));
  topout_test_press_tab (wall, FALSE);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (climbers), 1)));
  g_assert_cmpstr (row_target (focus), ==, BO (f));
  topout_test_press_tab (climbers, FALSE);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), f->panel));
  g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_BACKWARD));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (climbers), 1)));
  g_assert_cmpstr (row_target (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (wall), 0))), ==, ADA (f));
  g_assert_cmpstr (row_target (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (wall), 1))), ==, BO (f));
  g_assert_true (gtk_widget_grab_focus (search));
  g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_FORWARD));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (wall), 1)));
  g_assert_cmpstr (row_target (focus), ==, BO (f));

  /* The session types are one Tab stop, the time slots another (the
   * arrows move in them), then Start: two Tabs from the type (they were
   * fourteen, a Tab stop per button). */
  {
    g_autoptr (TopoutClimber) cy = topout_test_add_climber (f->store, "Cy Twombly", NULL);

    g_assert_true (gtk_widget_activate_action (f->desk, "desk.select-climber", "s", topout_climber_get_id (cy)));
    topout_test_pump ();
    /* Laid out, as a climber's panel is long before a hand reaches Tab. */
    topout_test_wait_frames (f->window, 2);
  }
  g_assert_true (gtk_widget_grab_focus (find_actionable (f->panel, "panel.set-session-type", "FUN")));
  press_tab_at_focus (f->window);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (focus)), ==, "panel.set-time-slot");
  g_assert_true (gtk_widget_get_mapped (focus));
  press_tab_at_focus (f->window);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == find_actionable (f->panel, "panel.start-session", NULL));
  /* Right in the slots: the next slot. */
  g_assert_true (gtk_widget_grab_focus (find_actionable (f->panel, "panel.set-time-slot", "MORNING")));
  g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_RIGHT));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == find_actionable (f->panel, "panel.set-time-slot", "MIDDAY"));
}

/* The focus is on the session panel's button of @action with @target
 * (with any target when NULL). */
static gboolean
focus_on (Fixture    *f,
          const char *action,
          const char *target)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  if (target != NULL)
    return focus != NULL && focus == find_actionable (f->panel, action, target);
  return focus != NULL && GTK_IS_ACTIONABLE (focus) && gtk_widget_is_ancestor (focus, f->panel) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (focus)), action) == 0;
}

/* Tab into the session types or the time slots lands on the chosen one,
 * as in a group of radio buttons, in either direction (it landed on the
 * group's first): Power and Morning chosen, from the climbers' list on and
 * from Start back. A choice made while the focus is elsewhere is where Tab
 * lands next. */
static void
test_tab_into_chosen (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *climbers = find_named (f->desk, "climber-list");
  guint tabs = 0;

  tap (f, "desk.select-climber", ADA (f));
  tap (f, "panel.set-session-type", "POWER");
  tap (f, "panel.set-time-slot", "MORNING");
  topout_test_wait_frames (f->window, 2);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_actionable (f->panel, "panel.set-session-type", "POWER"))));

  /* Forward: from the climbers, Tab until the focus is in the types. */
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (climbers), 0))));
  while (!focus_on (f, "panel.set-session-type", NULL) && !focus_on (f, "panel.set-time-slot", NULL) && tabs++ < 20)
    press_tab_at_focus (f->window);
  g_assert_true (focus_on (f, "panel.set-session-type", "POWER"));
  press_tab_at_focus (f->window);
  g_assert_true (focus_on (f, "panel.set-time-slot", "MORNING"));
  press_tab_at_focus (f->window);
  g_assert_true (focus_on (f, "panel.start-session", NULL));

  /* Backward: from Start, Shift+Tab. */
  press_tab_at_focus_dir (f->window, TRUE);
  g_assert_true (focus_on (f, "panel.set-time-slot", "MORNING"));
  press_tab_at_focus_dir (f->window, TRUE);
  g_assert_true (focus_on (f, "panel.set-session-type", "POWER"));

  /* Chosen while the focus is on Start: Tab back lands on the new choice. */
  g_assert_true (gtk_widget_grab_focus (find_actionable (f->panel, "panel.start-session", NULL)));
  tap (f, "panel.set-time-slot", "NIGHT");
  tap (f, "panel.set-session-type", "WORKOUT");
  press_tab_at_focus_dir (f->window, TRUE);
  g_assert_true (focus_on (f, "panel.set-time-slot", "NIGHT"));
  press_tab_at_focus_dir (f->window, TRUE);
  g_assert_true (focus_on (f, "panel.set-session-type", "WORKOUT"));
}

/* Tab out of a long list of climbers leaves the sidebar where it is: the
 * chosen climber near its top stays in view, the heading of the list and
 * the search too (Tab stepped to the list's last row first, and the
 * sidebar scrolled down to it: a gym's hundreds of rows). The focus goes
 * on to the session panel's chosen type, as before. */
static void
test_tab_out_keeps_sidebar (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *climbers = find_named (f->desk, "climber-list");
  GtkWidget *scrolled = gtk_widget_get_ancestor (climbers, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  GtkWidget *ada_row;
  graphene_rect_t bounds;
  double before;

  for (int i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("Zoe %02d", i);
      g_autoptr (TopoutClimber) zoe = topout_test_add_climber (f->store, name, NULL);
    }
  tap (f, "desk.select-climber", ADA (f));
  topout_test_wait_frames (f->window, 3);
  g_assert_cmpuint (count_rows (climbers), ==, 42);
  /* Long enough to scroll. */
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadj) - gtk_adjustment_get_page_size (vadj), >, 1000);

  ada_row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (climbers), 0));
  g_assert_cmpstr (row_target (ada_row), ==, ADA (f));
  g_assert_true (gtk_widget_grab_focus (ada_row));
  topout_test_wait_frames (f->window, 2);
  before = gtk_adjustment_get_value (vadj);
  g_assert_cmpfloat (before, <, 100);

  topout_test_press_tab (climbers, FALSE);
  topout_test_wait_frames (f->window, 2);
  g_assert_true (focus_on (f, "panel.set-session-type", "FUN"));
  g_test_message ("the sidebar scrolled from %.0f to %.0f", before, gtk_adjustment_get_value (vadj));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), ==, before);
  /* Ada's row still shows in the sidebar. */
  g_assert_true (gtk_widget_compute_bounds (ada_row, scrolled, &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (scrolled));
}

/* @widget drawn as it is now, by a cairo renderer: its pixels, @width by
 * @height, cairo's premultiplied ARGB (a guint32 each). */
static guint32 *
render_widget (GtkWidget *widget,
               int       *width,
               int       *height)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  guint32 *pixels;

  *width = gtk_widget_get_width (widget);
  *height = gtk_widget_get_height (widget);
  g_assert_cmpint (*width, >, 0);
  g_assert_cmpint (*height, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, *width, *height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  g_assert_true (gsk_renderer_realize (renderer, gtk_native_get_surface (gtk_widget_get_native (widget)), NULL));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  gsk_renderer_unrealize (renderer);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, *width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, *height);
  pixels = g_new (guint32, (gsize) *width * *height);
  gdk_texture_download (texture, (guchar *) pixels, (gsize) *width * 4);
  return pixels;
}

/* How far @a and @b are apart in their most different channel (0 to 255). */
static int
pixel_distance (guint32 a,
                guint32 b)
{
  int most = 0;

  for (int shift = 0; shift < 32; shift += 8)
    most = MAX (most, ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)));
  return most;
}

/* The focus ring that the keyboard's focus gives @button, as seen on it:
 * @button drawn with the focus (the window showing focus rings) and
 * without it (the focus on @elsewhere), compared down the middle of its
 * top quarter, between its edge and its text, where libadwaita draws a
 * button's ring over its fill. The most different pixel there, 0 to 255. */
static int
focus_ring_contrast (GtkWidget *window,
                     GtkWidget *button,
                     GtkWidget *elsewhere)
{
  g_autofree guint32 *focused = NULL;
  g_autofree guint32 *unfocused = NULL;
  int width, height, width2, height2;
  int most = 0;

  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == button);
  g_assert_true (gtk_window_get_focus_visible (GTK_WINDOW (window)));
  topout_test_wait_frames (window, 2);
  focused = render_widget (button, &width, &height);
  g_assert_true (gtk_widget_grab_focus (elsewhere));
  topout_test_wait_frames (window, 2);
  unfocused = render_widget (button, &width2, &height2);
  g_assert_cmpint (width2, ==, width);
  g_assert_cmpint (height2, ==, height);
  for (int y = 0; y < height / 4; y++)
    most = MAX (most, pixel_distance (focused[y * width + width / 2], unfocused[y * width + width / 2]));
  g_test_message ("%s: the focus ring %d apart from the fill", G_OBJECT_TYPE_NAME (button), most);
  return most;
}

/* A chosen type or time slot and the blue (or red) session buttons show a
 * focus ring that stands out from their fill, in light and dark: it was
 * libadwaita's, half-transparent blue on the blue of a chosen button. The
 * focus moved with the keyboard (arrows in the slots and types, Tab to
 * Start), the window showing rings as it does once a key moved the focus. */
static void
test_focus_ring_on_chosen (Fixture       *f,
                           gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *evening, *fun, *start;

  tap (f, "desk.select-climber", ADA (f));
  topout_test_wait_frames (f->window, 2);
  gtk_window_set_focus_visible (GTK_WINDOW (f->window), TRUE);
  evening = find_actionable (f->panel, "panel.set-time-slot", "EVENING");
  fun = find_actionable (f->panel, "panel.set-session-type", "FUN");
  start = find_actionable (f->panel, "panel.start-session", NULL);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (evening)));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (fun)));
  g_assert_true (gtk_widget_has_css_class (start, "suggested-action"));

  for (int dark = 0; dark < 2; dark++)
    {
      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
      topout_test_wait_frames (f->window, 2);
      g_assert_cmpint (adw_style_manager_get_dark (style), ==, dark);

      /* Right from Afternoon: Evening, the slot chosen. */
      g_assert_true (gtk_widget_grab_focus (find_actionable (f->panel, "panel.set-time-slot", "AFTERNOON")));
      g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_RIGHT));
      g_assert_cmpint (focus_ring_contrast (f->window, evening, fun), >, 100);

      /* Left from Custom: Fun, the type chosen. */
      g_assert_true (gtk_widget_grab_focus (find_actionable (f->panel, "panel.set-session-type", "CUSTOM")));
      g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_LEFT));
      g_assert_cmpint (focus_ring_contrast (f->window, fun, evening), >, 100);

      /* Tab from the slots: Start, a suggested pill. */
      g_assert_true (gtk_widget_grab_focus (evening));
      press_tab_at_focus (f->window);
      g_assert_cmpint (focus_ring_contrast (f->window, start, evening), >, 100);
    }

  /* A running session's End (suggested) and Cancel (destructive). */
  tap (f, "panel.start-session", NULL);
  topout_test_wait_frames (f->window, 2);
  {
    GtkWidget *end = find_actionable (f->panel, "panel.end-session", NULL);
    GtkWidget *cancel = find_actionable (f->panel, "panel.cancel-session", NULL);

    gtk_window_set_focus_visible (GTK_WINDOW (f->window), TRUE);
    g_assert_true (gtk_widget_grab_focus (end));
    g_assert_cmpint (focus_ring_contrast (f->window, end, cancel), >, 100);
    g_assert_true (gtk_widget_grab_focus (cancel));
    g_assert_cmpint (focus_ring_contrast (f->window, cancel, end), >, 100);
  }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* A card reader at the desk: a code and Return, then the next. The exact
 * code wins over a longer one holding it; a code nobody has is said so at
 * the search, not made into a climber; nothing is started for whoever was
 * on screen. */
static void
test_card_reader (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *search = find_named (f->desk, "climber-search");
  GtkWidget *error_label = find_named (f->desk, "search-error");
  g_autoptr (TopoutClimber) abe = topout_test_add_climber (f->store, "Abe Able", "142");
  g_autoptr (TopoutClimber) zed = topout_test_add_climber (f->store, "Zed Zane", "42");
  int climbers_before;

  gtk_editable_set_text (GTK_EDITABLE (search), "M-0001");
  g_signal_emit_by_name (search, "activate");
  topout_test_pump ();
  g_assert_cmpstr (topout_session_panel_get_climber_id (TOPOUT_SESSION_PANEL (f->panel)), ==, ADA (f));

  /* The next card goes into the search (the focus stayed there). */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), search));
  gtk_editable_set_text (GTK_EDITABLE (search), "42");
  g_signal_emit_by_name (search, "activate");
  topout_test_pump ();
  g_assert_cmpstr (topout_session_panel_get_climber_id (TOPOUT_SESSION_PANEL (f->panel)), ==,
                   topout_climber_get_id (zed));
  g_assert_null (active_of (f, ADA (f)));

  /* One Return more, nothing typed (the search was emptied): Zed stays
   * chosen, the focus in the search, nothing started (it chose the first
   * climber listed, Abe). */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");
  g_signal_emit_by_name (search, "activate");
  topout_test_pump ();
  g_assert_cmpstr (topout_session_panel_get_climber_id (TOPOUT_SESSION_PANEL (f->panel)), ==,
                   topout_climber_get_id (zed));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), search));
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_null (active_of (f, topout_climber_get_id (zed)));

  /* A card nobody has. */
  climbers_before = topout_test_query_int (f->path, "SELECT count (*) FROM climbers");
  gtk_editable_set_text (GTK_EDITABLE (search), "M-0777");
  g_signal_emit_by_name (search, "activate");
  topout_test_pump ();
  /* The entry's own ::search-changed comes 150 ms after the typing, after
   * a reader's Return: the message about that same text stays. */
  topout_test_wait_ms (300);
  g_assert_true (gtk_widget_get_mapped (error_label));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "M-0777"));
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM climbers"), ==, climbers_before);
  g_assert_null (active_of (f, topout_climber_get_id (zed)));

  /* Choosing a climber takes the message away. */
  gtk_editable_set_text (GTK_EDITABLE (search), "M-0001");
  g_signal_emit_by_name (search, "activate");
  topout_test_pump ();
  g_assert_cmpstr (topout_session_panel_get_climber_id (TOPOUT_SESSION_PANEL (f->panel)), ==, ADA (f));
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (topout_climber_get_member_code (abe), ==, "142");

  /* The card of an archived climber: theirs, not "nobody has it" (whose
   * advice, to add one with that code, was then refused). */
  {
    g_autoptr (GError) error = NULL;

    g_assert_true (topout_store_set_climber_archived (f->store, topout_climber_get_id (abe), TRUE, &error));
    g_assert_no_error (error);
    gtk_editable_set_text (GTK_EDITABLE (search), "142");
    g_signal_emit_by_name (search, "activate");
    topout_test_pump ();
    topout_test_wait_ms (300);
    g_assert_true (gtk_widget_get_mapped (error_label));
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "archived"));
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "Abe"));
    g_assert_null (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "No climber"));
  }
}

/* At the day's cap a tap goes into the latest session, reopened; its Undo
 * takes the route away and ends that session again (it stayed on the wall). */
static void
test_undo_reopened_by_cap (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *latest_id = NULL;
  g_autoptr (TopoutSession) after = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (TopoutSession) s = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
      g_autoptr (GError) error = NULL;

      g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s), &error));
      g_free (latest_id);
      latest_id = g_strdup (topout_session_get_id (s));
      topout_test_advance (10 * MINUTE);  /* the latest is the last started */
    }
  tap (f, "desk.select-climber", ADA (f));
  tap (f, "picker.select-climb", "c-1");
  tap (f, "picker.log-sent", NULL);
  g_assert_true (topout_test_shows_text (f->overlay, "daily limit reached, reopened the latest session"));
  g_assert_cmpuint (n_completions (f, latest_id), ==, 1);
  g_assert_cmpuint (count_rows (find_named (f->desk, "wall-list")), ==, 1);

  tap_widget (f, toast_button (f));
  g_assert_cmpuint (n_completions (f, latest_id), ==, 0);
  after = reload (f, latest_id);
  g_assert_cmpint (topout_session_get_status (after), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_ended_at (after), >=, topout_session_get_started_at (after));
  g_assert_null (active_of (f, ADA (f)));
  g_assert_cmpuint (count_rows (find_named (f->desk, "wall-list")), ==, 0);
}

/* A refusal is about the climber it was said for: choosing another one, and
 * coming back, shows none. */
static void
test_errors_follow_climber (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *start_error;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (TopoutSession) s = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
      g_autoptr (GError) error = NULL;

      g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s), &error));
    }
  tap (f, "desk.select-climber", ADA (f));
  tap (f, "panel.start-session", NULL);
  start_error = find_named (f->panel, "start-error");
  g_assert_nonnull (start_error);
  g_assert_true (gtk_widget_get_mapped (start_error));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (start_error)), "3 sessions"));

  tap (f, "desk.select-climber", BO (f));
  g_assert_false (gtk_widget_get_visible (start_error));
  tap (f, "desk.select-climber", ADA (f));
  g_assert_false (gtk_widget_get_visible (start_error));

  /* At the cap a tap reopens her latest session (rule 3); once she ends it,
   * the start state comes back without the old refusal. */
  tap (f, "panel.start-session", NULL);
  g_assert_true (gtk_widget_get_visible (start_error));
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TopoutCompletion) c = topout_store_log_completion (f->store, ADA (f), "c-1", 1, TRUE, NULL, NULL, &error);

    g_assert_no_error (error);
  }
  topout_test_pump ();
  tap (f, "panel.end-session", NULL);
  g_assert_false (gtk_widget_get_visible (start_error));
}

/* Elapsed time and the colour search. */
static void
test_elapsed_and_colour (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr (TopoutSession) session = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_POWER);
  g_autoptr (TopoutClimb) red = topout_climb_new ("c-9", "Red Baron", "V3", TOPOUT_GRADE_SYSTEM_V_SCALE);
  g_autoptr (GError) error = NULL;
  GtkWidget *climb_search;

  tap (f, "desk.select-climber", ADA (f));
  topout_test_advance (12 * MINUTE);
  topout_session_panel_update_elapsed (TOPOUT_SESSION_PANEL (f->panel));
  g_assert_true (topout_test_shows_text (find_named (f->panel, "elapsed"), "12 min"));
  g_assert_true (topout_test_shows_text (f->panel, "Power"));

  /* "red" finds a climb whose colour is #e01b24. */
  topout_climb_set_id (red, "c-9");
  topout_climb_set_name (red, "Crux Line");
  topout_climb_set_color (red, "#e01b24");
  g_assert_true (topout_store_add_climb (f->store, red, &error));
  g_assert_no_error (error);
  topout_climb_picker_reload (TOPOUT_CLIMB_PICKER (f->picker));
  climb_search = find_named (f->panel, "climb-search");
  gtk_editable_set_text (GTK_EDITABLE (climb_search), "red");
  g_signal_emit_by_name (climb_search, "activate");
  topout_test_pump ();
  g_assert_nonnull (find_actionable (f->panel, "picker.select-climb", "c-9"));
  g_assert_null (find_actionable (f->panel, "picker.select-climb", "c-2"));
}

/* A climb's colour is named by its family, as the catalog, the picker's
 * rows, the swatch's tooltip and a screen reader say it, and as the
 * picker's colour search finds it. The nearest of the palette's colours by
 * RGB distance named the colour "green" of an imported catalog "Black" (it
 * is #008000), "brown" "Red", "navy" "Black", "skyblue" "Pink". */
static void
test_colour_names (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    const char *color;
    const char *name;
  } cases[] = {
    /* The palette the demo catalog and the climb editor use. */
    { "#e01b24", "Red" }, { "#ff7800", "Orange" }, { "#f6d32d", "Yellow" },
    { "#33d17a", "Green" }, { "#3584e4", "Blue" }, { "#9141ac", "Purple" },
    { "#dc8add", "Pink" }, { "#865e3c", "Brown" }, { "#241f31", "Black" },
    { "#9a9996", "Grey" }, { "#ffffff", "White" },
    /* Names as a catalog file writes them. */
    { "green", "Green" }, { "Green", "Green" }, { "brown", "Brown" }, { "gray", "Grey" },
    { "grey", "Grey" }, { "purple", "Purple" }, { "pink", "Pink" }, { "black", "Black" },
    { "navy", "Blue" }, { "darkblue", "Blue" }, { "skyblue", "Blue" }, { "lightblue", "Blue" },
    { "darkgreen", "Green" }, { "lime", "Green" }, { "lightgreen", "Green" },
    { "maroon", "Red" }, { "saddlebrown", "Brown" }, { "gold", "Yellow" },
    { "magenta", "Pink" }, { "violet", "Pink" }, { "hotpink", "Pink" }, { "indigo", "Purple" },
    { "silver", "Grey" }, { "orange", "Orange" }, { "#000", "Black" },
  };
  g_autoptr (TopoutClimb) green = topout_climb_new ("c-9", "Moss Wall", "V3", TOPOUT_GRADE_SYSTEM_V_SCALE);
  g_autoptr (GError) error = NULL;
  GtkWidget *climb_search;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (topout_color_name_for (cases[i].color), ==, cases[i].name);
  g_assert_null (topout_color_name_for ("rde"));
  g_assert_null (topout_color_name_for (NULL));

  /* "green" finds the climb coloured "green"; "black" does not. */
  topout_climb_set_color (green, "green");
  g_assert_true (topout_store_add_climb (f->store, green, &error));
  g_assert_no_error (error);
  tap (f, "desk.select-climber", ADA (f));
  climb_search = find_named (f->panel, "climb-search");
  gtk_editable_set_text (GTK_EDITABLE (climb_search), "blac");
  g_signal_emit_by_name (climb_search, "activate");
  topout_test_pump ();
  g_assert_null (find_actionable (f->panel, "picker.select-climb", "c-9"));
  gtk_editable_set_text (GTK_EDITABLE (climb_search), "gree");
  g_signal_emit_by_name (climb_search, "activate");
  topout_test_pump ();
  g_assert_nonnull (find_actionable (f->panel, "picker.select-climb", "c-9"));
}

static void
count_dismissed (GtkWidget *picker,
                 guint     *n)
{
  (*n)++;
}

/* Escape in the climb search clears what was typed; in the empty search
 * (no climb chosen) it is the picker's owner's (::dismissed: the editor
 * closes; GtkSearchEntry kept that Escape from everyone). */
static void
test_picker_escape (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (TopoutSession) session = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_POWER);
  GtkWidget *climb_search;
  guint dismissed = 0;

  tap (f, "desk.select-climber", ADA (f));
  climb_search = find_named (f->panel, "climb-search");
  g_signal_connect (f->picker, "dismissed", G_CALLBACK (count_dismissed), &dismissed);
  gtk_editable_set_text (GTK_EDITABLE (climb_search), "crimp");
  g_signal_emit_by_name (climb_search, "stop-search");
  topout_test_pump ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (climb_search)), ==, "");
  g_assert_cmpuint (dismissed, ==, 0);
  g_signal_emit_by_name (climb_search, "stop-search");
  topout_test_pump ();
  g_assert_cmpuint (dismissed, ==, 1);
}

/* A long name stays on one line, ellipsized: its row is as high as the
 * others (one height to scan and to hit), and the whole name is still the
 * row's label text and tooltip (GTK 4.8 has no getter for the accessible
 * name set beside it; `look --a11y` shows it whole). */
static void
test_long_name_one_line (Fixture       *f,
                         gconstpointer  data)
{
  const char *long_name = "Maximiliana Alexandrovna Konstantinopoulou-Wittgenstein von Hohenzollern-Sigmaringen";
  g_autoptr (TopoutClimber) max = topout_test_add_climber (f->store, long_name, "M-0099");
  GtkWidget *list = find_named (f->desk, "climber-list");
  GtkWidget *ada_row = NULL, *max_row = NULL;
  const char *tooltip;

  /* The list is read again on a search change (here: to the same, empty). */
  g_signal_emit_by_name (find_named (f->desk, "climber-search"), "search-changed");
  for (int i = 0; i < 100; i++)
    {
      topout_test_wait_ms (10);
      ada_row = find_actionable (list, "desk.select-climber", ADA (f));
      max_row = find_actionable (list, "desk.select-climber", topout_climber_get_id (max));
      if (ada_row != NULL && max_row != NULL && gtk_widget_get_height (max_row) > 0 &&
          gtk_widget_get_height (ada_row) > 0)
        break;
    }
  g_assert_nonnull (ada_row);
  g_assert_nonnull (max_row);
  g_assert_cmpint (gtk_widget_get_height (ada_row), >, 0);
  g_assert_cmpint (gtk_widget_get_height (max_row), ==, gtk_widget_get_height (ada_row));
  /* Narrower than the name needs: it really is cut, not merely short. */
  g_assert_cmpint (gtk_widget_get_width (max_row), <, 600);
  g_assert_true (topout_test_shows_text (max_row, long_name));
  tooltip = gtk_widget_get_tooltip_text (max_row);
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, long_name));
  g_assert_nonnull (strstr (tooltip, "M-0099"));
}

/* The panel builds a climber's page when a climber is first chosen: before
 * that it holds its empty state only (the first frame does not wait for the
 * rest), and the clock's tick does nothing to it. Once built, the page's
 * fields are connected: Enter in the label of a custom session starts it. */
static void
test_panel_page_when_needed (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr (GtkWidget) panel = g_object_ref_sink (topout_session_panel_new (f->store, NULL));
  GtkWidget *entry;

  g_assert_null (find_named (panel, "climber-name"));
  g_assert_null (find_named (panel, "custom-entry"));
  topout_session_panel_update_elapsed (TOPOUT_SESSION_PANEL (panel));
  g_assert_null (find_named (panel, "custom-entry"));

  topout_session_panel_set_climber_id (TOPOUT_SESSION_PANEL (panel), ADA (f));
  entry = find_named (panel, "custom-entry");
  g_assert_nonnull (entry);
  g_assert_nonnull (find_named (panel, "climber-name"));
  gtk_widget_activate_action (panel, "panel.set-session-type", "s", "CUSTOM");
  gtk_editable_set_text (GTK_EDITABLE (entry), "Board day");
  g_signal_emit_by_name (entry, "activate");
  assert_custom_started (f, ADA (f), "Board day");
}

/* A climb tapped on a short screen: the log controls it opens are
 * scrolled into view (Sent and Not sent opened below the fold), side by
 * side (1280 x 420) and folded, the panel alone under its Climbers bar
 * (400 x 420); where the card is higher than the view (400 x 290, as the
 * app's bars leave at 400 x 420), Sent and Not sent are, the card's top
 * scrolled out. */
typedef struct {
  int width;
  int height;
} WindowSize;

static const WindowSize wide_short = { 1280, 420 };
static const WindowSize narrow_short = { 400, 420 };
static const WindowSize narrow_shorter = { 400, 290 };

static gboolean
is_slot_squeezer (GtkWidget     *widget,
                  gconstpointer  data)
{
  GtkWidget *first = gtk_widget_get_first_child (widget);

  return ADW_IS_SQUEEZER (widget) && first != NULL && gtk_widget_has_css_class (first, "slot-picker");
}

/* The time slots when the window narrows from one row of them to two: the
 * slots take the two rows' height, above Start. AdwSqueezer chose the two
 * rows while being laid out in one row's height, and drew them over the
 * heading and Start until some other resize. */
static void
test_slots_after_narrowing (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *squeezer, *shown, *start;
  graphene_rect_t slots, start_bounds;

  resize_and_wait (f, 1280, 800);
  tap (f, "desk.select-climber", ADA (f));
  topout_test_wait_frames (f->window, 3);
  squeezer = topout_test_find (f->panel, is_slot_squeezer, NULL);
  g_assert_nonnull (squeezer);
  g_assert_true (adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer)) == gtk_widget_get_first_child (squeezer));

  resize_and_wait (f, 400, 800);
  shown = adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer));
  g_assert_true (shown == gtk_widget_get_last_child (squeezer));  /* two rows */
  g_test_message ("slots %d px high, their two rows %d px", gtk_widget_get_height (squeezer),
                  gtk_widget_get_height (shown));
  g_assert_cmpint (gtk_widget_get_height (squeezer), >=, gtk_widget_get_height (shown));
  start = find_actionable (f->panel, "panel.start-session", NULL);
  g_assert_nonnull (start);
  g_assert_true (gtk_widget_compute_bounds (squeezer, f->panel, &slots));
  g_assert_true (gtk_widget_compute_bounds (start, f->panel, &start_bounds));
  g_assert_cmpfloat (start_bounds.origin.y, >=, slots.origin.y + gtk_widget_get_height (shown));
}

static void
test_log_controls_in_view (Fixture       *f,
                           gconstpointer  data)
{
  const WindowSize *size = data;
  GtkWidget *card = GTK_WIDGET (gtk_widget_get_template_child (f->picker, TOPOUT_TYPE_CLIMB_PICKER, "log_revealer"));
  GtkWidget *shown[] = {
    GTK_WIDGET (gtk_widget_get_template_child (f->picker, TOPOUT_TYPE_CLIMB_PICKER, "sent_button")),
    NULL, /* Not sent, once shown */
  };
  const char *shown_names[] = { "Sent", "Not sent" };
  GtkWidget *scrolled = gtk_widget_get_ancestor (f->picker, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  double page;
  graphene_rect_t r;

  resize_and_wait (f, size->width, size->height);
  g_assert_cmpint (adw_leaflet_get_folded (ADW_LEAFLET (gtk_widget_get_ancestor (f->panel, ADW_TYPE_LEAFLET))), ==,
                   size->width < 600);
  tap (f, "desk.select-climber", ADA (f));
  topout_test_wait_frames (f->window, 3);
  gtk_adjustment_set_value (adj, 0);
  topout_test_wait_frames (f->window, 3);
  /* Below the fold before the tap. */
  g_assert_true (gtk_widget_compute_bounds (f->picker, scrolled, &r));
  g_assert_cmpfloat (r.origin.y + r.size.height, >, gtk_adjustment_get_page_size (adj));

  gtk_widget_activate_action (f->picker, "picker.select-climb", "s", "c-1");
  wait_log_revealed (f);
  page = gtk_adjustment_get_page_size (adj);
  shown[1] = find_actionable (f->picker, "picker.log-not-sent", NULL);
  g_assert_nonnull (shown[1]);
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      g_assert_true (gtk_widget_compute_bounds (shown[i], scrolled, &r));
      g_test_message ("%s: %.0f to %.0f of %.0f", shown_names[i], r.origin.y, r.origin.y + r.size.height, page);
      g_assert_cmpfloat (r.origin.y, >=, 0);
      g_assert_cmpfloat (r.origin.y + r.size.height, <=, page);
    }
  /* The whole card where it fits; else it fills the view from its top. */
  g_assert_true (gtk_widget_compute_bounds (card, scrolled, &r));
  g_test_message ("the card: %.0f to %.0f of %.0f", r.origin.y, r.origin.y + r.size.height, page);
  if (r.size.height <= page)
    {
      g_assert_cmpfloat (r.origin.y, >=, 0);
      g_assert_cmpfloat (r.origin.y + r.size.height, <=, page);
    }
  else
    g_assert_cmpfloat (r.origin.y, <=, 0);
  /* The short case is one. */
  if (size == &narrow_shorter)
    g_assert_cmpfloat (r.size.height, >, page);
}

/* Every control of the chosen climb's log card is big enough for a
 * chalky finger (44 px): "Choose another climb" was a 34 px circle in the
 * card's corner, and the note 34 px high. */
static void
test_log_card_touch_targets (Fixture       *f,
                             gconstpointer  data)
{
  GtkWidget *note = GTK_WIDGET (gtk_widget_get_template_child (f->picker, TOPOUT_TYPE_CLIMB_PICKER, "note_entry"));
  GtkWidget *unselect;
  graphene_rect_t r;

  tap (f, "desk.select-climber", ADA (f));
  gtk_widget_activate_action (f->picker, "picker.select-climb", "s", "c-1");
  wait_log_revealed (f);
  unselect = find_actionable (f->picker, "picker.unselect", NULL);
  g_assert_nonnull (unselect);

  g_assert_true (gtk_widget_compute_bounds (unselect, f->picker, &r));
  g_test_message ("Choose another climb: %.0f x %.0f", r.size.width, r.size.height);
  g_assert_cmpfloat (r.size.width, >=, 44);
  g_assert_cmpfloat (r.size.height, >=, 44);
  g_assert_true (gtk_widget_compute_bounds (note, f->picker, &r));
  g_test_message ("note: %.0f x %.0f", r.size.width, r.size.height);
  g_assert_cmpfloat (r.size.height, >=, 44);
}

/* A competition with a scorecard: @climber_id starts a COMPETITION session
 * for the pair, sends @climb_id in it and ends it, ten minutes after the
 * last. */
static void
add_competition (Fixture    *f,
                 const char *climber_id,
                 const char *type,
                 const char *id,
                 const char *climb_id)
{
  g_autoptr (TopoutSession) draft = topout_session_new ();
  g_autoptr (TopoutSession) started = NULL;
  g_autoptr (TopoutCompletion) sent = NULL;
  g_autoptr (GError) error = NULL;

  topout_test_advance (10 * MINUTE);
  topout_session_set_climber_id (draft, climber_id);
  topout_session_set_session_type (draft, TOPOUT_SESSION_TYPE_COMPETITION);
  topout_session_set_is_competition (draft, TRUE);
  topout_session_set_competition_type (draft, type);
  topout_session_set_competition_id (draft, id);
  started = topout_store_start_session (f->store, draft, &error);
  g_assert_no_error (error);
  topout_test_advance (MINUTE);
  sent = topout_store_log_completion (f->store, climber_id, climb_id, 1, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_completion_get_session_id (sent), ==, topout_session_get_id (started));
  topout_test_advance (MINUTE);
  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (started), &error));
  g_assert_no_error (error);
  topout_test_pump ();
}

/* Touch targets --------------------------------------------------------------------- */

static void
check_targets (Fixture    *f,
               const char *state,
               GString    *small)
{
  topout_test_wait_frames (f->window, 3);
  topout_test_append_small_targets (f->window, f->window, state, small);
}

/* Every control a climber taps at the front desk is at least 44 x 44 px, at
 * 1280 x 800 and at 360 x 640, at the desk and at a locked kiosk: the
 * climbers, Start and its choices, the recent competitions, Log route, the
 * climbs, Sent / Not sent and the attempts, End, and the toasts' Undo and
 * close. */
static void
test_touch_targets (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  g_autoptr (GString) small = g_string_new (NULL);
  const WindowSize sizes[] = { { 1280, 800 }, { 360, 640 } };

  add_competition (f, BO (f), "LEAGUE", "2026-r3", "c-2");
  /* Two sessions each (three a day at the most). */
  for (guint k = 0; k < 2; k++)
    {
      const char *climber = k == 0 ? ADA (f) : BO (f);

      if (k == 1)
        {
          g_assert_true (topout_kiosk_set_pin (kiosk, "8642", NULL));
          topout_kiosk_set_enabled (kiosk, TRUE);
          use_kiosk (f, kiosk);
        }
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          g_autofree char *at = g_strdup_printf ("%s %dx%d", k ? "kiosk" : "desk", sizes[s].width, sizes[s].height);
          g_autofree char *st = NULL;
          g_autoptr (TopoutSession) session = NULL;

          resize_and_wait (f, sizes[s].width, sizes[s].height);
          st = g_strconcat (at, " climbers", NULL);
          check_targets (f, st, small);

          tap (f, "desk.select-climber", climber);
          g_free (st), st = g_strconcat (at, " chosen", NULL);
          check_targets (f, st, small);
          tap (f, "panel.set-session-type", "COMPETITION");
          g_assert_nonnull (find_actionable (f->panel, "panel.use-competition", NULL));
          g_free (st), st = g_strconcat (at, " competition", NULL);
          check_targets (f, st, small);
          tap (f, "panel.set-session-type", "CUSTOM");
          g_free (st), st = g_strconcat (at, " custom", NULL);
          check_targets (f, st, small);
          tap (f, "panel.set-session-type", "FUN");
          tap (f, "panel.start-session", NULL);
          session = active_of (f, climber);
          g_assert_nonnull (session);
          g_free (st), st = g_strconcat (at, " on the wall", NULL);
          check_targets (f, st, small);
          gtk_widget_activate_action (f->picker, "picker.select-climb", "s", "c-1");
          wait_log_revealed (f);
          g_free (st), st = g_strconcat (at, " log card", NULL);
          check_targets (f, st, small);
          tap (f, "picker.log-sent", NULL);
          g_free (st), st = g_strconcat (at, " logged", NULL);
          check_targets (f, st, small);
          dismiss_toasts (f);
          tap (f, "panel.end-session", NULL);
          g_free (st), st = g_strconcat (at, " ended", NULL);
          check_targets (f, st, small);
          dismiss_toasts (f);
        }
    }
  g_settings_reset (settings, "kiosk-mode");
  g_settings_reset (settings, "kiosk-pin-hash");
  if (small->len > 0)
    g_error ("smaller than 44 x 44 px:\n%s", small->str);
}

/* The mapped buttons under @root, in order, as "label|tooltip" lines. */
static void
append_buttons_shown (GtkWidget *root,
                      GString   *shown)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_get_mapped (root))
    {
      g_string_append_printf (shown, "%s|%s\n",
                              gtk_label_get_text (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (root)))),
                              gtk_widget_get_tooltip_text (root));
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    append_buttons_shown (c, shown);
}

/* The recent competitions' buttons, in order. */
static char *
recent_competitions_shown (Fixture *f)
{
  GString *shown = g_string_new (NULL);

  append_buttons_shown (find_named (f->panel, "recent-competitions"), shown);
  return g_string_free (shown, FALSE);
}

#define LEAGUE_SHOWN "LEAGUE · 2026-r3|LEAGUE · 2026-r3\n"
#define YOUTH_SHOWN  "Youth Series · r1|Youth Series · r1\n"
#define CUP_SHOWN    "Bouldering Cup · spring-open-2026-final-round|Bouldering Cup · spring-open-2026-final-round\n"

/* Choosing Competition offers the most recent competitions (three at the
 * most, most recent first, none while there is none); a tap fills in the
 * pair exactly as stored, and Start uses it: a hurried "bouldering cup"
 * never splits a competition into two scorecards. */
static void
test_recent_competitions (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr (TopoutClimber) cy = topout_test_add_climber (f->store, "Cy Twombly", NULL);
  g_autoptr (TopoutSession) started = NULL;
  g_autofree char *shown = NULL;
  GtkWidget *row;
  GtkWidget *type_entry;
  GtkWidget *id_entry;
  GtkWidget *league;
  GtkWidget *cup;
  GtkWidget *start;
  graphene_rect_t bounds;

  /* No competition yet: the entries, and no row of buttons. */
  tap (f, "desk.select-climber", BO (f));
  tap (f, "panel.set-session-type", "COMPETITION");
  row = find_named (f->panel, "recent-competitions");
  g_assert_nonnull (row);
  g_assert_false (gtk_widget_get_mapped (row));
  g_assert_null (find_actionable (f->panel, "panel.use-competition", NULL));
  type_entry = find_by_accessible_label (f->panel, "Competition type");
  id_entry = find_by_accessible_label (f->panel, "Competition id");
  g_assert_true (gtk_widget_get_mapped (type_entry));
  g_assert_true (gtk_widget_get_mapped (id_entry));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), type_entry));

  /* Competitions at other climbers' sessions, oldest first, while the
   * entries are on screen: the row follows the store. */
  add_competition (f, ADA (f), "OLD", "2025", "c-1");
  add_competition (f, ADA (f), "LEAGUE", "2026-r3", "c-1");
  add_competition (f, topout_climber_get_id (cy), "Youth Series", "r1", "c-1");
  g_assert_true (gtk_widget_get_mapped (row));
  shown = recent_competitions_shown (f);
  g_assert_cmpstr (shown, ==, YOUTH_SHOWN LEAGUE_SHOWN "OLD · 2025|OLD · 2025\n");

  /* One more while another type is chosen: three at the most, the newest
   * first, when Competition is chosen again, and the keyboard on the newest
   * (Enter takes it). Its long id is cut short on the button and whole in
   * the tooltip. */
  tap (f, "panel.set-session-type", "FUN");
  add_competition (f, topout_climber_get_id (cy), "Bouldering Cup", "spring-open-2026-final-round", "c-1");
  tap (f, "panel.set-session-type", "COMPETITION");
  topout_test_wait_frames (f->window, 3);  /* laid out */
  g_clear_pointer (&shown, g_free);
  shown = recent_competitions_shown (f);
  g_assert_cmpstr (shown, ==, CUP_SHOWN YOUTH_SHOWN LEAGUE_SHOWN);
  cup = find_by_accessible_label (f->panel, "Use competition Bouldering Cup · spring-open-2026-final-round");
  g_assert_nonnull (cup);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == cup);
  g_assert_true (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (cup))))));

  /* LEAGUE logged again while the row is on screen: the same three keep
   * their places (nothing moves under a finger about to tap)... */
  add_competition (f, ADA (f), "LEAGUE", "2026-r3", "c-2");
  g_clear_pointer (&shown, g_free);
  shown = recent_competitions_shown (f);
  g_assert_cmpstr (shown, ==, CUP_SHOWN YOUTH_SHOWN LEAGUE_SHOWN);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == cup);
  /* ...and it comes first when Competition is chosen again. */
  tap (f, "panel.set-session-type", "FUN");
  tap (f, "panel.set-session-type", "COMPETITION");
  topout_test_wait_frames (f->window, 3);  /* laid out */
  g_clear_pointer (&shown, g_free);
  shown = recent_competitions_shown (f);
  g_assert_cmpstr (shown, ==, LEAGUE_SHOWN CUP_SHOWN YOUTH_SHOWN);
  league = find_by_accessible_label (f->panel, "Use competition LEAGUE · 2026-r3");
  cup = find_by_accessible_label (f->panel, "Use competition Bouldering Cup · spring-open-2026-final-round");
  g_assert_nonnull (league);
  g_assert_true (gtk_widget_get_next_sibling (league) == cup);
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (league))))));
  /* Big enough for a finger: the whole button, its padding included. */
  g_assert_true (gtk_widget_compute_bounds (cup, f->panel, &bounds));
  g_test_message ("recent competition button: %.0f x %.0f", bounds.size.width, bounds.size.height);
  g_assert_cmpfloat (bounds.size.height, >=, 44);
  g_assert_true (gtk_widget_has_css_class (cup, "pill"));

  /* "bouldering cup" half typed, then a tap on the second button: the pair
   * as stored, and Start is next. */
  gtk_editable_set_text (GTK_EDITABLE (type_entry), "bouldering cup");
  tap_widget (f, cup);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (type_entry)), ==, "Bouldering Cup");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (id_entry)), ==, "spring-open-2026-final-round");
  start = find_actionable (f->panel, "panel.start-session", NULL);
  g_assert_nonnull (start);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == start);

  press (start);
  started = active_of (f, BO (f));
  g_assert_nonnull (started);
  g_assert_cmpint (topout_session_get_session_type (started), ==, TOPOUT_SESSION_TYPE_COMPETITION);
  g_assert_true (topout_session_get_is_competition (started));
  g_assert_cmpstr (topout_session_get_competition_type (started), ==, "Bouldering Cup");
  g_assert_cmpstr (topout_session_get_competition_id (started), ==, "spring-open-2026-final-round");
  /* Still four competitions, not five. */
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM (SELECT DISTINCT competition_type, competition_id"
                                                   " FROM sessions WHERE is_competition)"), ==, 4);
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM sessions WHERE competition_type = 'Bouldering Cup'"
                                                   " AND competition_id = 'spring-open-2026-final-round'"), ==, 2);
}

/* A pair typed at Start in other case than a competition of the store
 * ("boulder league" · "2026-r1" for "Boulder League" · "2026-R1", spaces
 * around it) joins that competition as stored: one scorecard, not two. A
 * pair differing otherwise ("2026-r2") is a competition of its own, and the
 * pair as stored is never changed (rule 5: pairs stay exact). */
static void
test_competition_case_joins (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr (TopoutClimber) cy = topout_test_add_climber (f->store, "Cy Twombly", NULL);
  g_autoptr (TopoutSession) bo = NULL;
  g_autoptr (TopoutSession) cys = NULL;
  g_autoptr (GPtrArray) ranking = NULL;
  GtkWidget *type_entry;
  GtkWidget *id_entry;

  add_competition (f, ADA (f), "Boulder League", "2026-R1", "c-1");

  tap (f, "desk.select-climber", BO (f));
  tap (f, "panel.set-session-type", "COMPETITION");
  type_entry = find_by_accessible_label (f->panel, "Competition type");
  id_entry = find_by_accessible_label (f->panel, "Competition id");
  gtk_editable_set_text (GTK_EDITABLE (type_entry), " boulder league");
  gtk_editable_set_text (GTK_EDITABLE (id_entry), "2026-r1 ");
  tap (f, "panel.start-session", NULL);
  bo = active_of (f, BO (f));
  g_assert_nonnull (bo);
  g_assert_cmpstr (topout_session_get_competition_type (bo), ==, "Boulder League");
  g_assert_cmpstr (topout_session_get_competition_id (bo), ==, "2026-R1");
  /* The panel shows the competition as stored. */
  g_assert_true (topout_test_shows_text (f->panel, "Boulder League · 2026-R1"));
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TopoutCompletion) c = topout_store_log_completion (f->store, BO (f), "c-1", 2, TRUE, NULL, NULL, &error);

    g_assert_no_error (error);
  }
  ranking = topout_store_rank_competition (f->store, "Boulder League", "2026-R1");
  g_assert_cmpuint (ranking->len, ==, 2);
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM (SELECT DISTINCT competition_type, competition_id"
                                                   " FROM sessions WHERE is_competition)"), ==, 1);

  /* Another round: its own competition, as typed. */
  tap (f, "desk.select-climber", topout_climber_get_id (cy));
  tap (f, "panel.set-session-type", "COMPETITION");
  gtk_editable_set_text (GTK_EDITABLE (type_entry), "boulder league");
  gtk_editable_set_text (GTK_EDITABLE (id_entry), "2026-r2");
  tap (f, "panel.start-session", NULL);
  cys = active_of (f, topout_climber_get_id (cy));
  g_assert_nonnull (cys);
  g_assert_cmpstr (topout_session_get_competition_type (cys), ==, "boulder league");
  g_assert_cmpstr (topout_session_get_competition_id (cys), ==, "2026-r2");
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM sessions WHERE competition_type = 'Boulder League'"
                                                   " AND competition_id = '2026-R1'"), ==, 2);
}

/* A competition refused for half its pair: the keyboard goes to the half
 * missing, so the next keys fill it in rather than replace the half typed
 * (the focus selects an entry's text). */
static void
test_pair_refusal_focus (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *type_entry;
  GtkWidget *id_entry;

  tap (f, "desk.select-climber", BO (f));
  tap (f, "panel.set-session-type", "COMPETITION");
  type_entry = find_by_accessible_label (f->panel, "Competition type");
  id_entry = find_by_accessible_label (f->panel, "Competition id");

  /* The type typed, no id: refused, the keyboard in the id. */
  gtk_editable_set_text (GTK_EDITABLE (type_entry), "Boulder League");
  tap (f, "panel.start-session", NULL);
  g_assert_null (active_of (f, BO (f)));
  g_assert_true (gtk_widget_get_mapped (find_named (f->panel, "competition-error")));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), id_entry));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (type_entry)), ==, "Boulder League");

  /* The id typed, the type blanked with spaces: the keyboard in the type. */
  gtk_editable_set_text (GTK_EDITABLE (id_entry), "2026-r1");
  gtk_editable_set_text (GTK_EDITABLE (type_entry), "  ");
  tap (f, "panel.start-session", NULL);
  g_assert_null (active_of (f, BO (f)));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), type_entry));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (id_entry)), ==, "2026-r1");

  /* Neither: the type first. */
  gtk_editable_set_text (GTK_EDITABLE (id_entry), "");
  gtk_widget_grab_focus (id_entry);
  tap (f, "panel.start-session", NULL);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), type_entry));

  /* Both: started, as typed. */
  gtk_editable_set_text (GTK_EDITABLE (type_entry), "Boulder League");
  gtk_editable_set_text (GTK_EDITABLE (id_entry), "2026-r1");
  tap (f, "panel.start-session", NULL);
  {
    g_autoptr (TopoutSession) started = active_of (f, BO (f));

    g_assert_nonnull (started);
    g_assert_cmpstr (topout_session_get_competition_type (started), ==, "Boulder League");
    g_assert_cmpstr (topout_session_get_competition_id (started), ==, "2026-r1");
  }
}

/* An active competition session says which competition it is in, and
 * follows an edit of its pair; another session says none. */
static void
test_competition_shown_in_panel (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr (TopoutSession) fun = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) started = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *label;

  /* A Fun session: no competition line. */
  tap (f, "desk.select-climber", ADA (f));
  label = find_named (f->panel, "session-competition");
  g_assert_nonnull (label);
  g_assert_false (gtk_widget_get_mapped (label));

  /* Bo started in a competition at the desk: its pair under the type. */
  tap (f, "desk.select-climber", BO (f));
  tap (f, "panel.set-session-type", "COMPETITION");
  gtk_editable_set_text (GTK_EDITABLE (find_by_accessible_label (f->panel, "Competition type")), "Boulder League");
  gtk_editable_set_text (GTK_EDITABLE (find_by_accessible_label (f->panel, "Competition id")), "2026-r1");
  g_assert_false (gtk_widget_get_mapped (label));
  tap (f, "panel.start-session", NULL);
  started = active_of (f, BO (f));
  g_assert_nonnull (started);
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Boulder League · 2026-r1");

  /* The coach corrects the round in the editor: the line follows. */
  topout_session_set_competition_id (started, "2026-r2");
  g_assert_true (topout_store_update_session (f->store, started, &error));
  g_assert_no_error (error);
  topout_test_pump ();
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Boulder League · 2026-r2");

  /* Moved out of the competition: the line goes. */
  g_clear_object (&started);
  started = active_of (f, BO (f));
  topout_session_set_session_type (started, TOPOUT_SESSION_TYPE_POWER);
  g_assert_true (topout_store_update_session (f->store, started, &error));
  g_assert_no_error (error);
  topout_test_pump ();
  g_assert_false (gtk_widget_get_mapped (label));

  /* Back to Ada: none. */
  tap (f, "desk.select-climber", ADA (f));
  g_assert_false (gtk_widget_get_mapped (label));
}

/* A coach chooses Competition and types the pair, then logs the first
 * route without pressing Start: the route starts that competition session
 * (it counts in the ranking), not rule 3's Fun one; Undo takes both back.
 * A pair half typed is refused at the pair, nothing logged, the climb kept
 * for the next tap. With nothing chosen a tap still starts a Fun session. */
static void
test_log_starts_chosen_session (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr (TopoutSession) session = NULL;
  g_autoptr (TopoutSession) gone = NULL;
  g_autoptr (TopoutSession) fun = NULL;
  GtkWidget *type_entry;
  GtkWidget *id_entry;

  tap (f, "desk.select-climber", BO (f));
  tap (f, "panel.set-session-type", "COMPETITION");
  type_entry = find_by_accessible_label (f->panel, "Competition type");
  id_entry = find_by_accessible_label (f->panel, "Competition id");
  g_assert_true (topout_test_shows_text (f->panel, "starts the session chosen above"));

  /* Half the pair: refused where it was typed, nothing written. */
  gtk_editable_set_text (GTK_EDITABLE (type_entry), "Boulder League");
  tap (f, "picker.select-climb", "c-1");
  tap (f, "picker.log-sent", NULL);
  g_assert_null (active_of (f, BO (f)));
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM completions"), ==, 0);
  g_assert_true (gtk_widget_get_mapped (find_named (f->panel, "competition-error")));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), id_entry));

  /* The id typed: the same climb, one tap, into the competition. */
  gtk_editable_set_text (GTK_EDITABLE (id_entry), "2026-r1");
  g_assert_false (gtk_widget_get_mapped (find_named (f->panel, "competition-error")));
  tap (f, "picker.log-sent", NULL);
  session = active_of (f, BO (f));
  g_assert_nonnull (session);
  g_assert_cmpint (topout_session_get_session_type (session), ==, TOPOUT_SESSION_TYPE_COMPETITION);
  g_assert_cmpstr (topout_session_get_competition_type (session), ==, "Boulder League");
  g_assert_cmpstr (topout_session_get_competition_id (session), ==, "2026-r1");
  g_assert_cmpuint (n_completions (f, topout_session_get_id (session)), ==, 1);
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM completions WHERE is_competition"
                                                   " AND competition_type = 'Boulder League'"
                                                   " AND competition_id = '2026-r1'"), ==, 1);
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM scorecards WHERE topped"
                                                   " AND competition_type = 'Boulder League'"), ==, 1);
  g_assert_true (topout_test_shows_text (f->overlay, "Bo Kim: started a Competition session"));
  g_assert_true (topout_test_shows_text (f->overlay, "Logged Crimp Cathedral (Sent)"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_named (f->panel, "session-competition"))), ==,
                   "Boulder League · 2026-r1");

  /* Undo: the route, the session it started and its scorecard row go. */
  tap_widget (f, toast_button (f));
  g_assert_cmpuint (n_completions (f, topout_session_get_id (session)), ==, 0);
  g_assert_null (active_of (f, BO (f)));
  gone = reload (f, topout_session_get_id (session));
  g_assert_cmpint (topout_session_get_status (gone), ==, TOPOUT_SESSION_STATUS_CANCELLED);
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM scorecards"), ==, 0);
  /* The start state again, from the defaults: a Fun session by rule 3. */
  g_assert_true (topout_test_shows_text (f->panel, "starts a Fun session"));

  /* Competition chosen, then Fun again: nothing but the defaults chosen,
   * rule 3's Fun session. */
  tap (f, "desk.select-climber", ADA (f));
  tap (f, "panel.set-session-type", "COMPETITION");
  tap (f, "panel.set-session-type", "FUN");
  tap (f, "picker.select-climb", "c-2");
  tap (f, "picker.log-sent", NULL);
  fun = active_of (f, ADA (f));
  g_assert_nonnull (fun);
  g_assert_cmpint (topout_session_get_session_type (fun), ==, TOPOUT_SESSION_TYPE_FUN);
  g_assert_false (topout_session_get_is_competition (fun));
  g_assert_true (topout_test_shows_text (f->overlay, "Ada Lovelace: started a Fun session"));
}

/* The label under a wall row's name (its subtitle). */
static GtkLabel *
wall_subtitle (GtkWidget *row)
{
  GtkWidget *found = NULL;

  for (GtkWidget *w = gtk_widget_get_first_child (gtk_widget_get_first_child (gtk_widget_get_first_child (row)));
       w != NULL; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, "subtitle"))
      found = w;
  g_assert_nonnull (found);
  return GTK_LABEL (found);
}

/* Two competitions on the wall at once: each climber's row says which
 * (the pair and the time, cut in the middle where it does not fit, so the
 * id's end and the time stay), heard and in the tooltip with the type
 * before it; a Fun session says its type as before. */
static void
test_wall_shows_competition (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr (TopoutClimber) cy = topout_test_add_climber (f->store, "Cy Twombly", NULL);
  g_autoptr (TopoutSession) league = topout_test_start_competition (f->store, ADA (f), "Boulder League", "2026-r1");
  g_autoptr (TopoutSession) youth = topout_test_start_competition (f->store, BO (f), "Youth Series",
                                                                   "spring-open-2026-final-round");
  g_autoptr (TopoutSession) fun = topout_test_start (f->store, topout_climber_get_id (cy), TOPOUT_SESSION_TYPE_FUN);
  GtkWidget *wall;
  GtkWidget *row;
  GtkLabel *label;
  g_autofree char *wrong = NULL;

  topout_test_pump ();
  wall = find_named (f->desk, "wall-list");
  g_assert_cmpuint (count_rows (wall), ==, 3);

  row = find_actionable (wall, "desk.select-climber", ADA (f));
  label = wall_subtitle (row);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (label), "Boulder League · 2026-r1 · "));
  g_assert_cmpint (gtk_label_get_ellipsize (label), ==, PANGO_ELLIPSIZE_MIDDLE);
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (row), "Ada Lovelace, Competition · Boulder League · 2026-r1 · "));
  {
    g_autofree char *heard = g_strdup_printf ("Ada Lovelace, Competition · %s", gtk_label_get_label (label));

    wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, heard);
    g_assert_null (wrong);
  }

  row = find_actionable (wall, "desk.select-climber", BO (f));
  label = wall_subtitle (row);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (label), "Youth Series · spring-open-2026-final-round · "));
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (row),
                                   "Bo Kim, Competition · Youth Series · spring-open-2026-final-round · "));

  row = find_actionable (wall, "desk.select-climber", topout_climber_get_id (cy));
  label = wall_subtitle (row);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (label), "Fun · "));
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (row), "Cy Twombly, Fun · "));

  /* The round corrected: the row follows. */
  {
    g_autoptr (GError) error = NULL;

    topout_session_set_competition_id (league, "2026-r2");
    g_assert_true (topout_store_update_session (f->store, league, &error));
    g_assert_no_error (error);
    topout_test_pump ();
    row = find_actionable (wall, "desk.select-climber", ADA (f));
    g_assert_true (g_str_has_prefix (gtk_label_get_label (wall_subtitle (row)), "Boulder League · 2026-r2 · "));
  }

  /* A phone: the long one is cut inside, its start and its time shown. */
  resize_and_wait (f, 360, 640);
  row = find_actionable (wall, "desk.select-climber", BO (f));
  label = wall_subtitle (row);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (label)));
  g_assert_cmpint (gtk_widget_get_width (row), <=, 360);
  g_assert_true (pango_layout_is_ellipsized (gtk_label_get_layout (label)));
  g_assert_cmpint (gtk_label_get_ellipsize (label), ==, PANGO_ELLIPSIZE_MIDDLE);
}

/* The label a list shows when it is empty, heard only then: GTK 4.8 kept a
 * list box's placeholder in the accessibility tree beside its rows, so a
 * screen reader read "Nobody is on the wall right now." after the climbers
 * on the wall, and "No routes yet." after the routes. */
static gboolean
is_placeholder (GtkWidget     *widget,
                gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && GTK_IS_LIST_BOX (gtk_widget_get_parent (widget)) &&
         g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), text);
}

static GtkWidget *
placeholder_of (GtkWidget  *root,
                const char *text)
{
  GtkWidget *found = find_first (root, is_placeholder, text);

  if (found == NULL)
    g_error ("no placeholder \"%s\"", text);
  return found;
}

static void
assert_heard (GtkWidget *widget,
              gboolean   heard)
{
  g_autofree char *wrong = gtk_test_accessible_check_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, !heard);

  if (wrong != NULL)
    g_error ("\"%s\" hidden from screen readers: %s, not %s", gtk_label_get_text (GTK_LABEL (widget)), wrong,
             heard ? "false" : "true");
}

static void
test_placeholders_heard_when_shown (Fixture       *f,
                                    gconstpointer  data)
{
  GtkWidget *wall = GTK_WIDGET (gtk_widget_get_template_child (f->desk, TOPOUT_TYPE_DESK_VIEW, "wall_list"));
  GtkWidget *nobody = placeholder_of (wall, "Nobody is on the wall");
  GtkWidget *no_routes = NULL;
  g_autoptr (TopoutSession) session = NULL;

  /* Nobody on the wall: said. */
  g_assert_true (gtk_widget_get_mapped (nobody));
  assert_heard (nobody, TRUE);

  /* Ada on the wall: her row alone. */
  tap (f, "desk.select-climber", ADA (f));
  tap (f, "panel.start-session", NULL);
  session = active_of (f, ADA (f));
  g_assert_nonnull (session);
  g_assert_false (gtk_widget_get_mapped (nobody));
  assert_heard (nobody, FALSE);

  /* Her session with no route yet: said; a route logged: the route alone. */
  no_routes = placeholder_of (f->panel, "No routes yet");
  g_assert_true (gtk_widget_get_mapped (no_routes));
  assert_heard (no_routes, TRUE);
  tap (f, "picker.select-climb", "c-2");
  tap (f, "picker.log-sent", NULL);
  g_assert_cmpuint (n_completions (f, topout_session_get_id (session)), ==, 1);
  assert_heard (no_routes, FALSE);

  /* Undo, and her session cancelled: said again. */
  tap_widget (f, toast_button (f));
  g_assert_cmpuint (n_completions (f, topout_session_get_id (session)), ==, 0);
  assert_heard (no_routes, TRUE);
  dismiss_toasts (f);
  tap (f, "panel.cancel-session", NULL);
  g_assert_null (active_of (f, ADA (f)));
  assert_heard (nobody, TRUE);
}

/* The climber shown on the right is heard as selected in the Climbers list
 * and on the wall, as the check mark shows: a row is named as a whole
 * ("Ada Lovelace, member M-0001"), so the check's name was never read,
 * and Tab into the list landed on a row that sounded like any other. */
static gboolean
heard_selected (GtkWidget *row)
{
  g_autofree char *wrong = NULL;

  if (!gtk_test_accessible_has_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_SELECTED))
    return FALSE;
  wrong = gtk_test_accessible_check_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_SELECTED, TRUE);
  return wrong == NULL;
}

static GtkWidget *
desk_row_of (GtkWidget  *list,
             const char *climber_id)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && GTK_IS_ACTIONABLE (row) &&
        g_strcmp0 (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (row)), NULL),
                   climber_id) == 0)
      return row;
  g_error ("no row of %s", climber_id);
  return NULL;
}

static void
test_chosen_heard_selected (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *climbers = find_named (f->desk, "climber-list");
  GtkWidget *wall = GTK_WIDGET (gtk_widget_get_template_child (f->desk, TOPOUT_TYPE_DESK_VIEW, "wall_list"));

  g_assert_false (heard_selected (desk_row_of (climbers, ADA (f))));
  g_assert_false (heard_selected (desk_row_of (climbers, BO (f))));

  tap (f, "desk.select-climber", ADA (f));
  g_assert_true (heard_selected (desk_row_of (climbers, ADA (f))));
  g_assert_false (heard_selected (desk_row_of (climbers, BO (f))));

  /* On the wall too, while she is the one shown. */
  tap (f, "panel.start-session", NULL);
  g_assert_true (heard_selected (desk_row_of (wall, ADA (f))));
  g_assert_true (heard_selected (desk_row_of (climbers, ADA (f))));

  /* Bo chosen: Bo is, Ada no longer (in both lists). */
  tap (f, "desk.select-climber", BO (f));
  g_assert_true (heard_selected (desk_row_of (climbers, BO (f))));
  g_assert_false (heard_selected (desk_row_of (climbers, ADA (f))));
  g_assert_false (heard_selected (desk_row_of (wall, ADA (f))));
}

/* The flow boxes that lay out the desk's buttons (session type, End and
 * Cancel, Sent and Not sent) are named groups, their children plain
 * groups: GTK 4.8 makes a flow box a table and its children cells, and a
 * screen reader said "table" with no name, and "cell" around each button. */
static guint
assert_flow_boxes_grouped (GtkWidget *root)
{
  guint n = 0;

  if (GTK_IS_FLOW_BOX (root) && gtk_widget_get_mapped (root))
    {
      g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (root)), ==, GTK_ACCESSIBLE_ROLE_GROUP);
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL));
      g_assert_false (has_accessible_label (root, ""));
      for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (c)), ==, GTK_ACCESSIBLE_ROLE_GROUP);
      n++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += assert_flow_boxes_grouped (c);
  return n;
}

static void
test_flow_boxes_named_groups (Fixture       *f,
                              gconstpointer  data)
{
  /* The session types. */
  tap (f, "desk.select-climber", ADA (f));
  g_assert_cmpuint (assert_flow_boxes_grouped (f->panel), ==, 1);
  g_assert_true (has_accessible_label (gtk_widget_get_ancestor (find_actionable (f->panel, "panel.set-session-type",
                                                                                 "FUN"), GTK_TYPE_FLOW_BOX),
                                       "Session type"));

  /* End and Cancel; Sent and Not sent, once a climb is chosen. */
  tap (f, "panel.start-session", NULL);
  g_assert_cmpuint (assert_flow_boxes_grouped (f->panel), ==, 1);
  g_assert_true (has_accessible_label (gtk_widget_get_ancestor (find_actionable (f->panel, "panel.end-session", NULL),
                                                                GTK_TYPE_FLOW_BOX),
                                       "End or cancel the session"));
  tap (f, "picker.select-climb", "c-1");
  wait_log_revealed (f);
  g_assert_cmpuint (assert_flow_boxes_grouped (f->panel), ==, 2);
  g_assert_true (has_accessible_label (gtk_widget_get_ancestor (find_actionable (f->panel, "picker.log-sent", NULL),
                                                                GTK_TYPE_FLOW_BOX),
                                       "Log this climb"));
}

/* Tab from End Session through the rest of the panel: no stop on the
 * routes' scrolled window, with no route logged (a screen reader said
 * "scroll pane", nothing in it to reach); with a route, Tab reaches its
 * row. TRUE when a route's row took the focus. */
static gboolean
tab_through_panel (Fixture *f)
{
  GtkWidget *list = find_named (f->panel, "completion-list");
  gboolean row_reached = FALSE;

  g_assert_true (gtk_widget_grab_focus (find_actionable (f->panel, "panel.end-session", NULL)));
  for (guint tabs = 0; tabs < 30; tabs++)
    {
      GtkWidget *focus;

      press_tab_at_focus (f->window);
      focus = gtk_root_get_focus (GTK_ROOT (f->window));
      if (focus == NULL || !gtk_widget_is_ancestor (focus, f->panel))
        break;
      g_assert_false (GTK_IS_SCROLLED_WINDOW (focus));
      row_reached |= GTK_IS_LIST_BOX_ROW (focus) && gtk_widget_get_parent (focus) == list;
    }
  return row_reached;
}

static void
test_no_empty_routes_tab_stop (Fixture       *f,
                               gconstpointer  data)
{
  tap (f, "desk.select-climber", ADA (f));
  tap (f, "panel.start-session", NULL);
  g_assert_false (tab_through_panel (f));

  tap (f, "picker.select-climb", "c-1");
  tap (f, "picker.log-sent", NULL);
  dismiss_toasts (f);
  g_assert_true (tab_through_panel (f));
}

/* Sent and Not sent name the climb they log: Enter in the climb search
 * chose the first climb and put the focus on Sent, and a screen reader
 * said "Sent" alone, never which climb was chosen. Another climb chosen:
 * its name. */
static void
test_log_buttons_name_climb (Fixture       *f,
                             gconstpointer  data)
{
  GtkWidget *climb_search;
  GtkWidget *focus;

  tap (f, "desk.select-climber", ADA (f));
  tap (f, "panel.start-session", NULL);
  climb_search = find_named (f->panel, "climb-search");
  gtk_editable_set_text (GTK_EDITABLE (climb_search), "crimp");
  g_signal_emit_by_name (climb_search, "activate");
  topout_test_pump ();
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == find_actionable (f->panel, "picker.log-sent", NULL));
  g_assert_true (has_accessible_label (focus, "Sent: Crimp Cathedral, V4"));
  g_assert_true (has_accessible_label (find_actionable (f->panel, "picker.log-not-sent", NULL),
                                       "Not sent: Crimp Cathedral, V4"));

  g_assert_true (gtk_widget_activate_action (f->picker, "picker.select-climb", "s", "c-2"));
  topout_test_pump ();
  g_assert_true (has_accessible_label (find_actionable (f->panel, "picker.log-sent", NULL), "Sent: Slab Happy, V2"));
  g_assert_true (has_accessible_label (find_actionable (f->panel, "picker.log-not-sent", NULL),
                                       "Not sent: Slab Happy, V2"));
}

/* Undo pressed in the toast from the keyboard: the focus goes back to the
 * panel, where the climber was, not to the climbers' search at the top of
 * the window (the toast went with the focus, and GTK gave it to the first
 * field). The log undone: the climb search; the log that had started the
 * session undone (the session gone): Start; the end undone: the climb
 * search of the session running again. */
static void
undo_from_toast_button (Fixture *f)
{
  GtkWidget *undo = toast_button (f);

  g_assert_true (gtk_widget_grab_focus (undo));
  press (undo);
  topout_test_wait_ms (300);
  g_assert_cmpuint (count_toasts (f), ==, 0);
}

static gboolean
focus_in_climb_search (Fixture *f)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return focus != NULL && gtk_widget_is_ancestor (focus, find_named (f->panel, "climb-search"));
}

static void
test_undo_button_focus (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (TopoutSession) session = NULL;
  g_autoptr (TopoutSession) reopened = NULL;
  g_autoptr (TopoutSession) bo_session = NULL;
  g_autoptr (TopoutSession) bo_after = NULL;

  /* A log into the session started: undone, the climb search. */
  tap (f, "desk.select-climber", ADA (f));
  tap (f, "panel.start-session", NULL);
  session = active_of (f, ADA (f));
  tap (f, "picker.select-climb", "c-1");
  tap (f, "picker.log-sent", NULL);
  undo_from_toast_button (f);
  g_assert_cmpuint (n_completions (f, topout_session_get_id (session)), ==, 0);
  g_assert_true (focus_in_climb_search (f));

  /* The end undone: the session runs again, the climb search. */
  tap (f, "panel.end-session", NULL);
  undo_from_toast_button (f);
  reopened = active_of (f, ADA (f));
  g_assert_nonnull (reopened);
  g_assert_cmpstr (topout_session_get_id (reopened), ==, topout_session_get_id (session));
  g_assert_true (focus_in_climb_search (f));

  /* Bo's first log started his session: undone, the session is gone, and
   * the focus on Start. */
  tap (f, "desk.select-climber", BO (f));
  tap (f, "picker.select-climb", "c-2");
  tap (f, "picker.log-sent", NULL);
  bo_session = active_of (f, BO (f));
  g_assert_nonnull (bo_session);
  undo_from_toast_button (f);
  bo_after = active_of (f, BO (f));
  g_assert_null (bo_after);
  g_assert_true (focus_on (f, "panel.start-session", NULL));
}

/* The time slots' buttons are heard once ("Night, 20:00 to 05:00, toggle
 * button"), their tooltip, the same words, not read again as their
 * description (GTK 4.8 makes a tooltip the description). */
static void
test_slot_buttons_heard_once (Fixture       *f,
                              gconstpointer  data)
{
  guint n = 0;

  tap (f, "desk.select-climber", ADA (f));
  for (TopoutTimeSlot slot = TOPOUT_TIME_SLOT_EARLY_MORNING; slot <= TOPOUT_TIME_SLOT_NIGHT; slot++)
    {
      GtkWidget *button = find_actionable (f->panel, "panel.set-time-slot", topout_time_slot_to_key (slot));
      const char *tooltip;

      if (button == NULL)
        continue;  /* in the layout not shown */
      tooltip = gtk_widget_get_tooltip_text (button);
      g_assert_nonnull (tooltip);
      g_assert_true (has_accessible_label (button, tooltip));
      if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION))
        {
          g_autofree char *other = gtk_test_accessible_check_property (GTK_ACCESSIBLE (button),
                                                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip);
          if (other == NULL)
            g_error ("\"%s\" is heard twice (its description)", tooltip);
        }
      n++;
    }
  g_assert_cmpuint (n, ==, 6);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  g_assert_nonnull (topout_get_resource ());
  topout_ui_load_style ();
  /* As the app does at start-up. */
  topout_accessible_names_install ();
  /* Toasts and revealers settle at once. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/desk/session-flow", test_session_flow);
  ADD ("/desk/undo-is-per-toast", test_undo_per_toast);
  ADD ("/desk/kiosk-lock-shortens-names", test_kiosk_lock_shortens_names);
  ADD ("/desk/kiosk-panel-names-told-apart", test_kiosk_panel_names_told_apart);
  ADD ("/desk/kiosk-names-told-apart-across-lists", test_kiosk_names_told_apart_across_lists);
  ADD ("/desk/kiosk-lock-shortens-queued-toasts", test_kiosk_lock_shortens_queued_toasts);
  ADD ("/desk/one-toast-for-many-taps", test_one_toast_for_many_taps);
  ADD ("/desk/undo-by-keyboard", test_undo_by_keyboard);
  ADD ("/desk/toast-close-named", test_toast_close_named);
  ADD ("/desk/picker-order-between-taps", test_picker_order_between_taps);
  ADD ("/desk/refusal-shown", test_refusal_shown);
  ADD ("/desk/panel-page-when-needed", test_panel_page_when_needed);
  ADD ("/desk/tap-counts", test_tap_counts);
  ADD ("/desk/log-starts-session", test_log_starts_session);
  ADD ("/desk/log-starts-chosen-session", test_log_starts_chosen_session);
  ADD ("/desk/find-and-add", test_find_and_add);
  ADD ("/desk/code-of-unfinished-import", test_code_of_unfinished_import);
  ADD ("/desk/card-reader", test_card_reader);
  ADD ("/desk/sidebar-keyboard", test_sidebar_keyboard);
  ADD ("/desk/tab-into-chosen", test_tab_into_chosen);
  ADD ("/desk/tab-out-keeps-sidebar", test_tab_out_keeps_sidebar);
  ADD ("/desk/focus-ring-on-chosen", test_focus_ring_on_chosen);
  ADD ("/desk/errors-follow-climber", test_errors_follow_climber);
  ADD ("/desk/undo-reopened-by-cap", test_undo_reopened_by_cap);
  ADD ("/desk/elapsed-and-colour", test_elapsed_and_colour);
  ADD ("/desk/colour-names", test_colour_names);
  ADD ("/desk/picker-escape", test_picker_escape);
  ADD ("/desk/long-name-one-line", test_long_name_one_line);
  g_test_add ("/desk/slots-after-narrowing", Fixture, NULL, fixture_set_up, test_slots_after_narrowing,
              fixture_tear_down);
  g_test_add ("/desk/log-controls-in-view", Fixture, &wide_short, fixture_set_up,
              test_log_controls_in_view, fixture_tear_down);
  g_test_add ("/desk/log-controls-in-view/folded", Fixture, &narrow_short, fixture_set_up,
              test_log_controls_in_view, fixture_tear_down);
  g_test_add ("/desk/log-controls-in-view/card-higher-than-view", Fixture, &narrow_shorter, fixture_set_up,
              test_log_controls_in_view, fixture_tear_down);
  ADD ("/desk/log-card-touch-targets", test_log_card_touch_targets);
  ADD ("/desk/touch-targets", test_touch_targets);
  ADD ("/desk/recent-competitions", test_recent_competitions);
  ADD ("/desk/competition-case-joins", test_competition_case_joins);
  ADD ("/desk/pair-refusal-focus", test_pair_refusal_focus);
  ADD ("/desk/competition-shown-in-panel", test_competition_shown_in_panel);
  ADD ("/desk/wall-shows-competition", test_wall_shows_competition);
  ADD ("/desk/add-climb-from-log", test_add_climb_from_log);
  ADD ("/desk/empty-catalog-search", test_empty_catalog_search);
  ADD ("/desk/few-climbs-card", test_few_climbs_card);
  ADD ("/desk/placeholders-heard-when-shown", test_placeholders_heard_when_shown);
  ADD ("/desk/chosen-heard-selected", test_chosen_heard_selected);
  ADD ("/desk/flow-boxes-named-groups", test_flow_boxes_named_groups);
  ADD ("/desk/no-empty-routes-tab-stop", test_no_empty_routes_tab_stop);
  ADD ("/desk/log-buttons-name-climb", test_log_buttons_name_climb);
  ADD ("/desk/undo-button-focus", test_undo_button_focus);
  ADD ("/desk/slot-buttons-heard-once", test_slot_buttons_heard_once);
#undef ADD
  g_test_add_func ("/desk/only-climber-shown", test_only_climber_shown);

  return g_test_run ();
}
