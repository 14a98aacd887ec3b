#define G_LOG_DOMAIN "topout-window"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "topout-window.h"
#include "topout-catalog-view.h"
#include "topout-climbers-view.h"
#include "topout-desk-view.h"
#include "topout-history-view.h"
#include "topout-preferences-window.h"
#include "topout-scorecard-view.h"
#include "topout-session-editor.h"
#include "topout-ui-util.h"

struct _TopoutWindow
{
  AdwApplicationWindow  parent_instance;

  TopoutStore          *store;
  TopoutKiosk          *kiosk;
  GSettings            *settings;

  gboolean              constructed;
  gboolean              views_built;
  /* The first frame is on screen: what it does not show may be built now. */
  gboolean              first_frame_done;
  /* Set while the window itself changes the page (not the switcher). */
  gboolean              switching;
  /* The window's width less its header's centre box's, -1 until laid out. */
  int                   header_inset;
  /* The last page shown that needed no PIN, or that the PIN opened. */
  char                 *last_view;
  GtkWindow            *preferences;   /* weak */

  /* Template children */
  AdwHeaderBar         *header_bar;
  AdwClamp             *title_clamp;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  TopoutSyncStatus     *sync_status;
  GtkMenuButton        *primary_menu_button;
  GtkWidget            *kiosk_box;
  GtkLabel             *kiosk_label;
  GtkButton            *kiosk_lock_button;
  GtkWidget            *demo_notice;
  GtkWidget            *pin_notice;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwViewStack         *view_stack;
  AdwStatusPage        *placeholder_page;
  AdwStatusPage        *error_page;
};

G_DEFINE_FINAL_TYPE (TopoutWindow, topout_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_KIOSK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef GtkWidget *(*ViewNew) (TopoutStore *store,
                               TopoutKiosk *kiosk);

static const struct {
  const char *name;
  const char *title;
  const char *icon_name;
  gboolean    staff_only;
  ViewNew     view_new;
} pages[] = {
  { "desk",     N_("Front desk"), "system-users-symbolic",       FALSE, topout_desk_view_new },
  { "history",  N_("History"),    "x-office-calendar-symbolic",  TRUE,  topout_history_view_new },
  { "climbers", N_("Climbers"),   "avatar-default-symbolic",     TRUE,  topout_climbers_view_new },
  { "catalog",  N_("Catalog"),    "view-list-bullet-symbolic",   TRUE,  topout_catalog_view_new },
  { "scores",   N_("Scorecard"),  "starred-symbolic",            FALSE, topout_scorecard_view_new },
};

static int
find_page (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    if (g_strcmp0 (pages[i].name, name) == 0)
      return (int) i;
  return -1;
}

/* Kiosk state ------------------------------------------------------------ */

static gboolean
kiosk_enabled (TopoutWindow *self)
{
  return self->kiosk != NULL && topout_kiosk_get_enabled (self->kiosk);
}

static gboolean
pin_is_set (TopoutWindow *self)
{
  g_autofree char *hash = g_settings_get_string (self->settings, "kiosk-pin-hash");

  return hash != NULL && hash[0] != '\0';
}

/* Staff pages need the PIN now (a kiosk, locked, with a PIN chosen; without
 * a PIN everything stays open and the notice says so). */
static gboolean
staff_locked (TopoutWindow *self)
{
  return kiosk_enabled (self) && !topout_kiosk_get_unlocked (self->kiosk) && pin_is_set (self);
}

static void
set_action_enabled (TopoutWindow *self,
                    const char   *name,
                    gboolean      enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update_lock_state (TopoutWindow *self)
{
  gboolean enabled = kiosk_enabled (self);
  gboolean unlocked = enabled && topout_kiosk_get_unlocked (self->kiosk);
  const char *label = unlocked ? _("Lock staff access") : _("Staff access");

  set_action_enabled (self, "lock", unlocked);
  set_action_enabled (self, "unlock", enabled && !unlocked);

  gtk_button_set_icon_name (self->kiosk_lock_button,
                            unlocked ? "changes-allow-symbolic" : "changes-prevent-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->kiosk_lock_button),
                                  unlocked ? "win.lock" : "win.unlock");
  /* Its name, and the tooltip of its icon: heard once (GTK 4.8 would
   * make the tooltip its description too). */
  topout_widget_set_tooltip_unheard (GTK_WIDGET (self->kiosk_lock_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->kiosk_lock_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_label_set_label (self->kiosk_label, unlocked ? _("Kiosk · Staff") : _("Kiosk"));
  if (unlocked)
    gtk_widget_add_css_class (GTK_WIDGET (self->kiosk_label), "unlocked");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->kiosk_label), "unlocked");
}

static void
update_pin_notice (TopoutWindow *self)
{
  gtk_widget_set_visible (self->pin_notice, kiosk_enabled (self) && !pin_is_set (self));
}

static void
update_demo_notice (TopoutWindow *self)
{
  gboolean demo = self->store != NULL && topout_store_is_demo (self->store);

  gtk_widget_set_visible (self->demo_notice, demo);
  /* The header too, from the first frame (the engine comes after it). */
  topout_sync_status_set_demo (self->sync_status, demo);
}

/* Pages ------------------------------------------------------------------- */

/* Every page but the desk starts as an empty AdwBin and gets its view the
 * first time it is shown: building and measuring the Climbers and Catalog
 * lists (hundreds of rows) and counting the History at start-up cost seconds
 * on a big database before the first frame. */
/* Returns the page's view (NULL before the views are built). */
static GtkWidget *
ensure_view (TopoutWindow *self,
             const char   *name)
{
  int i = find_page (name);
  GtkWidget *slot;

  if (i < 0 || !self->views_built || self->store == NULL)
    return NULL;
  slot = adw_view_stack_get_child_by_name (self->view_stack, name);
  if (!ADW_IS_BIN (slot) || !g_object_get_data (G_OBJECT (slot), "topout-lazy-page"))
    return slot;
  if (adw_bin_get_child (ADW_BIN (slot)) == NULL)
    adw_bin_set_child (ADW_BIN (slot), pages[i].view_new (self->store, self->kiosk));
  return adw_bin_get_child (ADW_BIN (slot));
}

static void
switch_to (TopoutWindow *self,
           const char   *name)
{
  /* @name may be self->last_view itself: copy before freeing. */
  g_autofree char *copy = g_strdup (name);

  ensure_view (self, copy);
  self->switching = TRUE;
  adw_view_stack_set_visible_child_name (self->view_stack, copy);
  self->switching = FALSE;
  g_free (self->last_view);
  self->last_view = g_steal_pointer (&copy);
}

typedef struct {
  TopoutWindow *window;
  char         *name;
} ViewRequest;

static void
view_request_free (gpointer data)
{
  ViewRequest *request = data;

  g_object_unref (request->window);
  g_free (request->name);
  g_free (request);
}

static void
view_allowed_cb (gpointer data)
{
  ViewRequest *request = data;

  if (request->window->views_built)
    switch_to (request->window, request->name);
}

/* Shows @name, through the staff PIN when it is a staff page. */
static void
request_view (TopoutWindow *self,
              const char   *name)
{
  int i = find_page (name);
  ViewRequest *request;

  if (i < 0 || !self->views_built)
    return;
  if (!pages[i].staff_only || !staff_locked (self))
    {
      switch_to (self, name);
      return;
    }

  request = g_new0 (ViewRequest, 1);
  request->window = g_object_ref (self);
  request->name = g_strdup (name);
  topout_kiosk_require_staff (self->kiosk, GTK_WIDGET (self), view_allowed_cb, request, view_request_free);
}

/* The switcher (or the switcher bar) changed the page. */
static void
visible_view_changed_cb (TopoutWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);
  g_autofree char *wanted = NULL;
  int i;

  if (self->switching || !self->views_built || name == NULL)
    return;

  i = find_page (name);
  if (i < 0 || !pages[i].staff_only || !staff_locked (self))
    {
      ensure_view (self, name);
      g_free (self->last_view);
      self->last_view = g_strdup (name);
      return;
    }

  /* Back to where we were until the PIN is right. */
  wanted = g_strdup (name);
  switch_to (self, self->last_view != NULL ? self->last_view : "desk");
  request_view (self, wanted);
}

/* The view switchers rebuild all their buttons on every change of the pages:
 * they follow the stack only while no page is added or removed. The bar (at
 * the bottom, shown only on a narrow window) waits for the first frame. */
static void
attach_switchers (TopoutWindow *self)
{
  adw_view_switcher_title_set_stack (self->switcher_title, self->view_stack);
  if (self->first_frame_done)
    adw_view_switcher_bar_set_stack (self->switcher_bar, self->view_stack);
}

static void
detach_switchers (TopoutWindow *self)
{
  adw_view_switcher_title_set_stack (self->switcher_title, NULL);
  adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
}

static void
remove_views (TopoutWindow *self)
{
  GtkSelectionModel *model = adw_view_stack_get_pages (self->view_stack);

  self->switching = TRUE;
  while (g_list_model_get_n_items (G_LIST_MODEL (model)) > 0)
    {
      g_autoptr (AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (model), 0);

      adw_view_stack_remove (self->view_stack, adw_view_stack_page_get_child (page));
    }
  g_object_unref (model);
  self->switching = FALSE;
  self->views_built = FALSE;
  g_clear_pointer (&self->last_view, g_free);
}

static void
build_views (TopoutWindow *self)
{
  if (!self->constructed)
    return;

  detach_switchers (self);
  remove_views (self);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_status), self->store != NULL);
  if (self->store == NULL)
    {
      topout_stack_show_page (self->main_stack, "placeholder");
      return;
    }

  self->switching = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *view;
      AdwViewStackPage *page;

      if (i == 0)
        view = pages[i].view_new (self->store, self->kiosk);
      else
        {
          /* Built by ensure_view() when first shown. */
          view = adw_bin_new ();
          g_object_set_data (G_OBJECT (view), "topout-lazy-page", GINT_TO_POINTER (1));
        }

      if (pages[i].staff_only)
        topout_mark_staff_page (view);
      page = adw_view_stack_add_titled (self->view_stack, view, pages[i].name, _(pages[i].title));
      adw_view_stack_page_set_icon_name (page, pages[i].icon_name);
      /* The first thing at the desk is finding a climber: start there
       * (a climber at home, alone in the database, is shown already). */
      if (i == 0)
        gtk_widget_activate_action (view, "desk.focus-start", NULL);
    }
  adw_view_stack_set_visible_child_name (self->view_stack, "desk");
  attach_switchers (self);
  self->switching = FALSE;
  self->views_built = TRUE;
  self->last_view = g_strdup ("desk");
  gtk_stack_set_visible_child_name (self->main_stack, "views");
}

/* Kiosk mode --------------------------------------------------------------- */

/* Locked: back to the desk, and the staff pages' toasts go (they name
 * climbers in full; an Undo in one, of an archive or a retirement, would
 * act without the PIN). */
static void
leave_staff_page (TopoutWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);
  int i = find_page (name);

  if (!staff_locked (self))
    return;
  topout_dismiss_staff_toasts (self->toast_overlay);
  if (self->views_built && i >= 0 && pages[i].staff_only)
    switch_to (self, "desk");
}

/* Whether @window was opened over @self (directly or over another of its
 * windows). */
static gboolean
opened_over (GtkWindow    *window,
             TopoutWindow *self)
{
  for (GtkWindow *parent = gtk_window_get_transient_for (window); parent != NULL;
       parent = gtk_window_get_transient_for (parent))
    if (parent == GTK_WINDOW (self))
      return TRUE;
  return FALSE;
}

/* What staff typed in a session's editor and did not save stays in memory
 * (not written: nobody confirmed it) until staff open that session again:
 * the lock closed the editor and lost a coach's edits. */
static void
keep_editor_draft (TopoutWindow        *self,
                   TopoutSessionEditor *editor)
{
  const char *id = topout_session_editor_get_session_id (editor);
  g_autoptr (GVariant) draft = NULL;

  if (id == NULL)
    return;
  draft = topout_session_editor_get_draft (editor);
  if (draft != NULL)
    topout_kiosk_keep_draft (self->kiosk, id, draft);
}

/* Locked again: every window opened over this one goes (Preferences, a
 * climber's or climb's editor, a merge, a session editor…). They write to
 * the store, and were opened with the staff PIN: left open, the next person
 * at the kiosk could save in them without it. */
static void
close_staff_windows_if_locked (TopoutWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  gboolean found = TRUE;
  guint n_destroyed = 0;

  if (!staff_locked (self))
    return;
  if (self->preferences != NULL)
    gtk_window_destroy (self->preferences);
  /* One at a time, looking again each time: a window may take the ones
   * opened over it along. */
  while (found && n_destroyed < 64)
    {
      found = FALSE;
      for (guint i = g_list_model_get_n_items (toplevels); i > 0 && !found; i--)
        {
          g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

          if (window != GTK_WINDOW (self) && opened_over (window, self))
            {
              if (TOPOUT_IS_SESSION_EDITOR (window))
                keep_editor_draft (self, TOPOUT_SESSION_EDITOR (window));
              gtk_window_destroy (window);
              n_destroyed++;
              found = TRUE;
            }
        }
    }
}

/* Staff work keeps staff access open (topout_kiosk_staff_active()): a key,
 * a click or a touch, a scroll on a staff page of this window or in a window
 * opened over it (an editor, Preferences). The desk's and the scorecard's
 * don't: climbers tapping there after the staff left keep nothing open. */
static void
note_activity (TopoutWindow *self,
               GtkWidget    *widget)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (widget));

  if (self->kiosk == NULL || !topout_kiosk_get_unlocked (self->kiosk))
    return;
  if (window == GTK_WINDOW (self))
    {
      int i = find_page (adw_view_stack_get_visible_child_name (self->view_stack));

      if (!self->views_built || i < 0 || !pages[i].staff_only)
        return;
    }
  else if (window == NULL || !opened_over (window, self))
    return;
  topout_kiosk_staff_active (self->kiosk);
}

/* GTK's Inspector (Control+Shift+I or D; GTK 4 turns the keys on by
 * default, org.gtk.gtk4.Settings.Debug) can show any page and change any
 * widget: on a kiosk it would open every staff page without the PIN. Its
 * keys are the window's own bindings (bubble phase): taken here first, in
 * every window of a kiosk, locked or not. */
static gboolean
is_inspector_key (guint           keyval,
                  GdkModifierType state)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  guint key = gdk_keyval_to_lower (keyval);

  return mods == (GDK_CONTROL_MASK | GDK_SHIFT_MASK) && (key == GDK_KEY_i || key == GDK_KEY_d);
}

static gboolean
activity_key_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 TopoutWindow          *self)
{
  if (kiosk_enabled (self) && is_inspector_key (keyval, state))
    return GDK_EVENT_STOP;
  note_activity (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
  return GDK_EVENT_PROPAGATE;
}

static void
activity_click_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   TopoutWindow    *self)
{
  note_activity (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)));
  /* Seen; the press is the widgets' below. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

static gboolean
activity_scroll_cb (GtkEventControllerScroll *controller,
                    double                    dx,
                    double                    dy,
                    TopoutWindow             *self)
{
  note_activity (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
  return GDK_EVENT_PROPAGATE;
}

static void
watch_activity (TopoutWindow *self,
                GtkWidget    *window)
{
  GtkEventController *keys;
  GtkGesture *click;
  GtkEventController *scroll;

  if (g_object_get_data (G_OBJECT (window), "topout-staff-activity") != NULL)
    return;
  g_object_set_data (G_OBJECT (window), "topout-staff-activity", GINT_TO_POINTER (1));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (keys, "topout-staff-activity");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (activity_key_cb), self, 0);
  gtk_widget_add_controller (window, keys);

  click = gtk_gesture_click_new ();
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (click), "topout-staff-activity");
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "pressed", G_CALLBACK (activity_click_cb), self, 0);
  gtk_widget_add_controller (window, GTK_EVENT_CONTROLLER (click));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_name (scroll, "topout-staff-activity");
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect_object (scroll, "scroll", G_CALLBACK (activity_scroll_cb), self, 0);
  gtk_widget_add_controller (window, scroll);
}

/* Every new window may be opened over this one (its transient parent is
 * set after it is made): watched, and told apart when it is used. */
static void
toplevels_changed_cb (GListModel   *toplevels,
                      guint         position,
                      guint         removed,
                      guint         added,
                      TopoutWindow *self)
{
  if (self->kiosk == NULL)
    return;
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr (GtkWidget) window = g_list_model_get_item (toplevels, i);

      watch_activity (self, window);
    }
}

static void
kiosk_enabled_cb (TopoutWindow *self)
{
  gboolean enabled = kiosk_enabled (self);

  gtk_widget_set_visible (self->kiosk_box, enabled);
  /* Its header's controls as big as the desk's, for fingers (style.css). */
  if (enabled)
    gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "kiosk");
  /* No close, minimize or maximize buttons at the front desk. */
  adw_header_bar_set_show_start_title_buttons (self->header_bar, !enabled);
  adw_header_bar_set_show_end_title_buttons (self->header_bar, !enabled);
  if (enabled)
    gtk_window_fullscreen (GTK_WINDOW (self));
  else if (gtk_window_is_fullscreen (GTK_WINDOW (self)))
    gtk_window_unfullscreen (GTK_WINDOW (self));

  update_lock_state (self);
  update_pin_notice (self);
  leave_staff_page (self);
}

/* A kiosk that leaves fullscreen (a window manager's key, a monitor
 * change, the compositor) goes back to it at once: windowed, a climber
 * could move or resize it and reach the desktop. Kiosk mode turned off
 * (kiosk_enabled_cb) leaves it windowed. */
static void
fullscreened_cb (TopoutWindow *self)
{
  if (kiosk_enabled (self) && !gtk_window_is_fullscreen (GTK_WINDOW (self)))
    gtk_window_fullscreen (GTK_WINDOW (self));
}

static void
kiosk_unlocked_cb (TopoutWindow *self)
{
  update_lock_state (self);
  /* Locked again (by hand or by the staff timeout): no staff page stays open. */
  leave_staff_page (self);
  close_staff_windows_if_locked (self);
}

static void
pin_changed_cb (TopoutWindow *self)
{
  update_pin_notice (self);
  leave_staff_page (self);
}

/* Actions ------------------------------------------------------------------ */

static void
show_view_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  TopoutWindow *self = TOPOUT_WINDOW (user_data);
  const char *name = g_variant_get_string (parameter, NULL);

  if (find_page (name) < 0)
    {
      g_warning ("No page called “%s”", name);
      return;
    }
  request_view (self, name);
}

/* History with one climber's sessions (the Climbers page's "Sessions"). */
static void
show_climber_sessions_activated (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  TopoutWindow *self = TOPOUT_WINDOW (user_data);
  GtkWidget *history = ensure_view (self, "history");

  if (history == NULL)
    return;
  gtk_widget_activate_action_variant (history, "history.show-climber", parameter);
  request_view (self, "history");
}

static void
open_preferences (gpointer data)
{
  TopoutWindow *self = TOPOUT_WINDOW (data);

  if (self->preferences == NULL)
    {
      self->preferences = GTK_WINDOW (topout_preferences_window_new (GTK_WINDOW (self),
                                                                     self->settings,
                                                                     self->kiosk));
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
    }
  /* The engine comes after the first frame: given each time. */
  topout_preferences_window_set_sync_engine (TOPOUT_PREFERENCES_WINDOW (self->preferences),
                                             topout_sync_status_get_engine (topout_window_get_sync_status (self)));
  gtk_window_present (self->preferences);
}

/* Runs @then (self) at once, or once the staff PIN is given while the
 * kiosk is locked (Preferences, whichever way they are opened). */
static void
as_staff (TopoutWindow       *self,
          TopoutKioskAllowed  then)
{
  if (staff_locked (self))
    topout_kiosk_require_staff (self->kiosk, GTK_WIDGET (self), then, g_object_ref (self), g_object_unref);
  else
    then (self);
}

static void
open_sync_preferences (gpointer data)
{
  TopoutWindow *self = TOPOUT_WINDOW (data);

  open_preferences (self);
  topout_preferences_window_show_sync (TOPOUT_PREFERENCES_WINDOW (self->preferences));
}

/* "Set Up Sync…" and the toast saying no server is set up: Preferences at
 * the sync server's address. */
static void
set_up_sync_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  as_staff (TOPOUT_WINDOW (user_data), open_sync_preferences);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  as_staff (TOPOUT_WINDOW (user_data), open_preferences);
}

static void
lock_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  TopoutWindow *self = TOPOUT_WINDOW (user_data);

  if (self->kiosk == NULL)
    return;
  topout_kiosk_lock (self->kiosk);
  if (self->views_built)
    switch_to (self, "desk");
}

static void
unlocked_cb (gpointer data)
{
}

static void
unlock_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  TopoutWindow *self = TOPOUT_WINDOW (user_data);

  if (!kiosk_enabled (self))
    return;
  if (pin_is_set (self))
    topout_kiosk_require_staff (self->kiosk, GTK_WIDGET (self), unlocked_cb, NULL, NULL);
  else
    /* No PIN chosen yet: staff access is open anyway. */
    topout_kiosk_try_unlock (self->kiosk, "", NULL);
}

/* The shortcuts section's lines a column holds (help-overlay.ui): every
 * group on one page, or (narrow) each group on a page of its own. */
#define SHORTCUTS_COLUMN_LINES 10
#define SHORTCUTS_PAGE_PER_GROUP 1
/* In a narrow window: the search entry's width (GTK's asks 40 characters,
 * hidden or not: 394 px), the titles' before they wrap (GTK gave a wrapped
 * title the width it needs on one line, over the window's edge), and the
 * one key shown for the shortcuts window (Ctrl+F1 / Ctrl+? was 226 px). */
#define SHORTCUTS_NARROW_SEARCH_CHARS 20
#define SHORTCUTS_NARROW_TITLE_CHARS 20
#define SHORTCUTS_HELP_ACTION "win.show-help-overlay"
#define SHORTCUTS_NARROW_HELP_ACCEL "<Control>question"

/* The Keyboard Shortcuts window's titles (of the shortcuts and their
 * groups, not the keys') wrap, its search entry is narrower and each group
 * has a page of its own, when @narrow; else they are as GTK made them, all
 * groups on one page. */
static void
shortcuts_set_narrow (GtkWidget *widget,
                      gboolean   narrow)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_SHORTCUT_LABEL (child))
        continue;
      if (GTK_IS_SEARCH_ENTRY (child))
        {
          if (g_object_get_data (G_OBJECT (child), "topout-width-chars") == NULL)
            g_object_set_data (G_OBJECT (child), "topout-width-chars",
                               GINT_TO_POINTER (gtk_editable_get_width_chars (GTK_EDITABLE (child))));
          gtk_editable_set_width_chars (GTK_EDITABLE (child),
                                        narrow ? SHORTCUTS_NARROW_SEARCH_CHARS
                                               : GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child),
                                                                                     "topout-width-chars")));
        }
      else if (GTK_IS_LABEL (child) && gtk_widget_get_ancestor (child, GTK_TYPE_SHORTCUTS_GROUP) != NULL)
        {
          gtk_label_set_wrap (GTK_LABEL (child), narrow);
          gtk_label_set_wrap_mode (GTK_LABEL (child), PANGO_WRAP_WORD_CHAR);
          gtk_label_set_max_width_chars (GTK_LABEL (child), narrow ? SHORTCUTS_NARROW_TITLE_CHARS : -1);
        }
      else if (GTK_IS_SHORTCUTS_SHORTCUT (child) &&
               g_object_get_data (G_OBJECT (child), "topout-help-shortcut") != NULL)
        g_object_set (child, "action-name", narrow ? NULL : SHORTCUTS_HELP_ACTION,
                      "accelerator", narrow ? SHORTCUTS_NARROW_HELP_ACCEL : NULL, NULL);
      else if (GTK_IS_SHORTCUTS_SHORTCUT (child))
        {
          g_autofree char *action_name = NULL;

          g_object_get (child, "action-name", &action_name, NULL);
          if (g_strcmp0 (action_name, SHORTCUTS_HELP_ACTION) == 0)
            g_object_set_data (G_OBJECT (child), "topout-help-shortcut", GINT_TO_POINTER (TRUE));
        }
      shortcuts_set_narrow (child, narrow);
    }
  if (GTK_IS_SHORTCUTS_SECTION (widget))
    g_object_set (widget, "max-height", narrow ? SHORTCUTS_PAGE_PER_GROUP : SHORTCUTS_COLUMN_LINES, NULL);
}

static void
shortcuts_leave_title_groups (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_SHORTCUTS_SHORTCUT (child))
      g_object_set (child, "title-size-group", NULL, NULL);
    else
      shortcuts_leave_title_groups (child);
}

/* The shortcuts window is built the first time it is asked for (GtkApplication
 * would build it for every window before the first frame). Each time, it
 * shows all its groups on one page if that fits in @window's width, else
 * narrow, a group a page: on a phone-sized screen (360 px) the one page
 * was 771 px wide, cut off. */
static void
show_help_overlay_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (user_data);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int natural = 0;

  if (overlay == NULL)
    {
      g_autoptr (GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/ui/topout-help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      /* Transient for the window, hidden (not destroyed) on close. */
      gtk_application_window_set_help_overlay (window, overlay);
    }
  shortcuts_set_narrow (GTK_WIDGET (overlay), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (overlay), -1, -1);
  gtk_widget_measure (GTK_WIDGET (overlay), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  if (natural > width)
    {
      /* As wide as the window, the titles wrapped: a window takes its
       * natural width, even wider than the screen. */
      shortcuts_set_narrow (GTK_WIDGET (overlay), TRUE);
      /* The section puts its groups in columns as it is measured; then
       * each title leaves its column's size group: a one-line title was
       * as wide as the group's widest on one line (GTK 4.8's size groups
       * measure a width for a height). */
      gtk_widget_measure (GTK_WIDGET (overlay), GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
      shortcuts_leave_title_groups (GTK_WIDGET (overlay));
      gtk_window_set_default_size (GTK_WINDOW (overlay), width, -1);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

/* Ctrl+N and Ctrl+F, wherever the focus is (the view switcher after a
 * click, the main menu): the visible page's own "new" (find or add a
 * climber at the desk, a past session in History, a climber, a climb) and
 * its search (History's climber filter). The pages' own Ctrl+F reached
 * only a focus inside them. The pages' actions check the kiosk. */
static const struct {
  const char *window_action;
  const char *page;
  const char *page_action;
} page_actions[] = {
  { "new", "desk", "desk.focus-search" },
  { "new", "history", "history.new-past-session" },
  { "new", "climbers", "climbers.add" },
  { "new", "catalog", "catalog.add" },
  { "find", "desk", "desk.focus-search" },
  { "find", "history", "history.find-climber" },
  { "find", "climbers", "climbers.focus-search" },
  { "find", "catalog", "catalog.focus-search" },
};

static void
page_action_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  TopoutWindow *self = TOPOUT_WINDOW (user_data);
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);
  GtkWidget *view = ensure_view (self, name);

  for (guint i = 0; i < G_N_ELEMENTS (page_actions); i++)
    if (view != NULL && g_strcmp0 (name, page_actions[i].page) == 0 &&
        g_str_equal (g_action_get_name (G_ACTION (action)), page_actions[i].window_action))
      gtk_widget_activate_action (view, page_actions[i].page_action, NULL);
}

static const GActionEntry win_actions[] = {
  { "new", page_action_activated },
  { "find", page_action_activated },
  { "show-view", show_view_activated, "s" },
  { "show-climber-sessions", show_climber_sessions_activated, "s" },
  { "show-help-overlay", show_help_overlay_activated },
  { "preferences", preferences_activated },
  { "set-up-sync", set_up_sync_activated },
  { "lock", lock_activated },
  { "unlock", unlock_activated },
};

/* Window state -------------------------------------------------------------- */

static void
restore_window_state (TopoutWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (TopoutWindow *self)
{
  int width = 0;
  int height = 0;

  /* The default size follows the window's size while it is not maximized,
   * so this is the size to come back to. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
topout_window_close_request (GtkWindow *window)
{
  TopoutWindow *self = TOPOUT_WINDOW (window);

  /* A kiosk stays open: nobody at the front desk closes it by accident. */
  if (kiosk_enabled (self))
    return TRUE;

  save_window_state (self);

  return GTK_WINDOW_CLASS (topout_window_parent_class)->close_request (window);
}

/* Start-up benchmark ----------------------------------------------------------- */

/* With TOPOUT_BENCH_FIRST_FRAME set (by bench/ui/bench-startup), the first
 * frame painted prints "first-frame <monotonic µs> <VmRSS KiB> <the main
 * thread's /proc/thread-self/schedstat>" on stdout and ends the application:
 * what start-up costs, measured by the benchmark from before it started the
 * process. */
static gint64
bench_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *at;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (at = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return g_ascii_strtoll (at + strlen ("VmRSS:"), NULL, 10);
}

static void
bench_first_frame_cb (GdkFrameClock *clock,
                      TopoutWindow  *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *schedstat = NULL;

  g_signal_handlers_disconnect_by_func (clock, bench_first_frame_cb, self);
  /* The main thread's time on a CPU and waiting for one, in ns. */
  g_file_get_contents ("/proc/thread-self/schedstat", &schedstat, NULL, NULL);
  g_print ("first-frame %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %s\n", g_get_monotonic_time (), bench_rss_kib (),
           schedstat != NULL ? g_strstrip (schedstat) : "-1 -1");
  fflush (stdout);
  if (application != NULL)
    g_application_quit (G_APPLICATION (application));
}

static void
bench_realize_cb (TopoutWindow *self)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (bench_first_frame_cb), self, 0);
}

/* After the first frame ---------------------------------------------------------- */

static gboolean
first_frame_done_cb (gpointer data)
{
  TopoutWindow *self = TOPOUT_WINDOW (data);

  self->first_frame_done = TRUE;
  if (self->views_built)
    adw_view_switcher_bar_set_stack (self->switcher_bar, self->view_stack);
  return G_SOURCE_REMOVE;
}

/* GObject ------------------------------------------------------------------- */

static void
topout_window_constructed (GObject *object)
{
  TopoutWindow *self = TOPOUT_WINDOW (object);

  G_OBJECT_CLASS (topout_window_parent_class)->constructed (object);

  self->constructed = TRUE;
  if (self->kiosk != NULL)
    {
      g_signal_connect_object (self->kiosk, "notify::enabled",
                               G_CALLBACK (kiosk_enabled_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->kiosk, "notify::unlocked",
                               G_CALLBACK (kiosk_unlocked_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect (self, "notify::fullscreened", G_CALLBACK (fullscreened_cb), NULL);
      watch_activity (self, GTK_WIDGET (self));
      g_signal_connect_object (gtk_window_get_toplevels (), "items-changed",
                               G_CALLBACK (toplevels_changed_cb), self, 0);
    }
  build_views (self);
  kiosk_enabled_cb (self);
}

static void
topout_window_dispose (GObject *object)
{
  TopoutWindow *self = TOPOUT_WINDOW (object);

  if (self->preferences != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
      gtk_window_destroy (self->preferences);
      self->preferences = NULL;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), TOPOUT_TYPE_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->kiosk);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->last_view, g_free);

  G_OBJECT_CLASS (topout_window_parent_class)->dispose (object);
}

static void
topout_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TopoutWindow *self = TOPOUT_WINDOW (object);

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
topout_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TopoutWindow *self = TOPOUT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      topout_window_set_store (self, g_value_get_object (value));
      break;

    case PROP_KIOSK:
      self->kiosk = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The header ------------------------------------------------------------------ */

/* The view switcher of @policy inside the switcher title, or NULL. */
static GtkWidget *
find_switcher (GtkWidget             *widget,
               AdwViewSwitcherPolicy  policy)
{
  if (ADW_IS_VIEW_SWITCHER (widget))
    return adw_view_switcher_get_policy (ADW_VIEW_SWITCHER (widget)) == policy ? widget : NULL;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_switcher (c, policy);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static int
minimum_width (GtkWidget *widget)
{
  int minimum = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  return minimum;
}

static int
natural_width (GtkWidget *widget)
{
  int natural = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return natural;
}

/* The header bar centres its title and gives it up to its natural width
 * first: the switcher title's is that of its wide switcher (icons beside
 * the labels), so the sync status had only half of what was left and
 * showed its labelled "Sync Now" from about 1,250 px on. Between that and
 * the width where the labelled sync status, the narrow switcher (icons
 * above the labels) and the end buttons fit side by side, the title is held
 * to the narrow switcher and the sync status asks for its labelled width:
 * the title then sits a little right of the middle, whole. Narrower, the
 * same with the sync status's icon and its count at full width, where they
 * fit (the header bar would otherwise give the title its natural width and
 * the status its phone-sized set). Wider, and narrower, the header bar lays
 * out as it always did. */
static gboolean
fit_header (TopoutWindow *self,
            int           size)
{
  GtkWidget *status = GTK_WIDGET (self->sync_status);
  GtkWidget *title = GTK_WIDGET (self->switcher_title);
  GtkWidget *clamp = GTK_WIDGET (self->title_clamp);
  GtkWidget *box = gtk_widget_get_ancestor (clamp, GTK_TYPE_CENTER_BOX);
  GtkWidget *wide = find_switcher (title, ADW_VIEW_SWITCHER_POLICY_WIDE);
  GtkWidget *narrow = find_switcher (title, ADW_VIEW_SWITCHER_POLICY_NARROW);
  GtkWidget *squeezer = gtk_widget_get_first_child (status);
  GtkWidget *compact = squeezer != NULL ? gtk_widget_get_first_child (squeezer) : NULL;
  GtkWidget *start, *end;
  int title_natural, narrow_title, status_natural, compact_natural, start_natural, end_natural, spacing;
  gboolean held = FALSE;
  int request = -1;  /* the width the sync status asks for */

  if (box == NULL || wide == NULL || narrow == NULL)
    return FALSE;
  start = gtk_center_box_get_start_widget (GTK_CENTER_BOX (box));
  end = gtk_center_box_get_end_widget (GTK_CENTER_BOX (box));
  title_natural = natural_width (title);
  /* The title's own margins around either switcher. */
  narrow_title = title_natural - natural_width (wide) + natural_width (narrow);
  /* Its squeezer's: the status's own would count the width asked for
   * below (a status that became narrower, "Set Up Sync…" giving way to
   * "Sync Now", kept asking for the wider one). */
  status_natural = natural_width (squeezer != NULL ? squeezer : status);
  /* The second of the sync status's sets: the button's icon and the count
   * at full width (the third, for a phone, says it with an icon). */
  if (compact != NULL)
    compact = gtk_widget_get_next_sibling (compact);
  compact_natural = compact != NULL ? natural_width (compact) : status_natural;
  start_natural = start != NULL ? natural_width (start) : 0;
  end_natural = end != NULL ? natural_width (end) : 0;
  /* The centre box's spacing, twice: what its natural width has beyond
   * its three children's. */
  spacing = natural_width (box) - natural_width (clamp) - 2 * MAX (start_natural, end_natural);

  if (gtk_widget_get_visible (status) && !adw_view_switcher_title_get_title_visible (self->switcher_title) &&
      size < title_natural + 2 * MAX (start_natural, end_natural) + spacing &&
      size >= start_natural + narrow_title + end_natural + spacing)
    {
      held = TRUE;
      request = status_natural;
    }
  else if (gtk_widget_get_visible (status) && size < title_natural + 2 * MAX (start_natural, end_natural) + spacing &&
           size >= start_natural - status_natural + compact_natural + minimum_width (title) + end_natural + spacing)
    /* The icon and the count at full width wherever they fit beside the
     * title (as before the phone-sized set, which is only for narrower
     * windows: a phone, a narrow tile). */
    request = compact_natural;

  {
    int maximum = held ? narrow_title : title_natural;
    int old_request = 0;

    gtk_widget_get_size_request (status, &old_request, NULL);
    if (adw_clamp_get_maximum_size (self->title_clamp) == maximum && old_request == request)
      return FALSE;
    adw_clamp_set_maximum_size (self->title_clamp, maximum);
    adw_clamp_set_tightening_threshold (self->title_clamp, maximum);
    gtk_widget_set_size_request (status, request, -1);
    return TRUE;
  }
}

/* The hold above is for the width the window has, not a minimum: the
 * window's minimum width is the one it has without it (a window manager
 * tiling it narrower from a wide window kept it at the held width). */
static void
topout_window_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  TopoutWindow *self = TOPOUT_WINDOW (widget);
  GtkWidget *header = GTK_WIDGET (self->header_bar);
  GtkWidget *status = GTK_WIDGET (self->sync_status);
  GtkWidget *content = gtk_widget_get_parent (header);
  int request = -1;

  GTK_WIDGET_CLASS (topout_window_parent_class)->measure (widget, orientation, for_size, minimum, natural,
                                                          minimum_baseline, natural_baseline);
  gtk_widget_get_size_request (status, &request, NULL);
  if (orientation != GTK_ORIENTATION_HORIZONTAL || request < 0 || content == NULL)
    return;

  {
    int content_min = 0;
    int header_min = 0;
    int status_min = 0;
    int others_min = 0;

    gtk_widget_measure (content, orientation, for_size, &content_min, NULL, NULL, NULL);
    gtk_widget_measure (header, orientation, for_size, &header_min, NULL, NULL, NULL);
    gtk_widget_measure (gtk_widget_get_first_child (status), orientation, -1, &status_min, NULL, NULL, NULL);
    for (GtkWidget *c = gtk_widget_get_first_child (content); c != NULL; c = gtk_widget_get_next_sibling (c))
      if (c != header)
        {
          int min = 0;

          gtk_widget_measure (c, orientation, for_size, &min, NULL, NULL, NULL);
          others_min = MAX (others_min, min);
        }
    /* The window's own frame, then its content without the hold. */
    *minimum = *minimum - content_min + MAX (others_min, header_min - MAX (0, request - status_min));
  }
}

static void
topout_window_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  TopoutWindow *self = TOPOUT_WINDOW (widget);
  GtkWidget *box = gtk_widget_get_ancestor (GTK_WIDGET (self->title_clamp), GTK_TYPE_CENTER_BOX);

  /* Decided before the header is laid out, from the room its centre box
   * had last time beside the window's width (a header laid out first
   * with the sizes of before showed the window title and the switcher
   * bar for a frame, crossing the threshold). */
  if (self->header_inset >= 0)
    fit_header (self, width - self->header_inset);
  GTK_WIDGET_CLASS (topout_window_parent_class)->size_allocate (widget, width, height, baseline);
  if (box == NULL)
    return;
  self->header_inset = width - gtk_widget_get_width (box);
  /* The first time, or if the estimate was wrong: laid out again at once
   * (the header's allocations are only good for the sizes they were
   * measured with). */
  if (fit_header (self, gtk_widget_get_width (box)))
    GTK_WIDGET_CLASS (topout_window_parent_class)->size_allocate (widget, width, height, baseline);
}

static void
topout_window_class_init (TopoutWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = topout_window_constructed;
  object_class->dispose = topout_window_dispose;
  object_class->get_property = topout_window_get_property;
  object_class->set_property = topout_window_set_property;

  widget_class->measure = topout_window_measure;
  widget_class->size_allocate = topout_window_size_allocate;

  window_class->close_request = topout_window_close_request;

  /* Construct: the views are built once, in constructed(), with the store
   * (not without it first, which shows the placeholder page). */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         TOPOUT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIOSK] =
    g_param_spec_object ("kiosk", NULL, NULL,
                         TOPOUT_TYPE_KIOSK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TOPOUT_TYPE_SYNC_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/topout-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, title_clamp);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, sync_status);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, kiosk_box);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, kiosk_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, kiosk_lock_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, demo_notice);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, pin_notice);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, placeholder_page);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, error_page);
}

static void
topout_window_init (TopoutWindow *self)
{
  self->header_inset = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  topout_menu_button_name (self->primary_menu_button, _("Main menu"));
  /* The tooltip of the icon, the words its inner button is named with:
   * not heard again as a description. */
  topout_widget_set_tooltip_unheard (GTK_WIDGET (self->primary_menu_button), _("Main menu"));

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);

  self->settings = g_settings_new (BASE_APPLICATION_ID);
  g_signal_connect_object (self->settings, "changed::kiosk-pin-hash",
                           G_CALLBACK (pin_changed_cb), self, G_CONNECT_SWAPPED);
  restore_window_state (self);

  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (visible_view_changed_cb), self, G_CONNECT_SWAPPED);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  if (g_getenv ("TOPOUT_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect_after (self, "realize", G_CALLBACK (bench_realize_cb), NULL);
  topout_after_first_frame (GTK_WIDGET (self), first_frame_done_cb, self, NULL);
}

TopoutWindow *
topout_window_new (AdwApplication *application,
                   TopoutStore    *store,
                   TopoutKiosk    *kiosk)
{
  g_return_val_if_fail (ADW_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (store == NULL || TOPOUT_IS_STORE (store), NULL);
  g_return_val_if_fail (kiosk == NULL || TOPOUT_IS_KIOSK (kiosk), NULL);

  return g_object_new (TOPOUT_TYPE_WINDOW,
                       "application", application,
                       "kiosk", kiosk,
                       "store", store,
                       NULL);
}

TopoutStore *
topout_window_get_store (TopoutWindow *self)
{
  g_return_val_if_fail (TOPOUT_IS_WINDOW (self), NULL);

  return self->store;
}

void
topout_window_set_store (TopoutWindow *self,
                         TopoutStore  *store)
{
  g_return_if_fail (TOPOUT_IS_WINDOW (self));
  g_return_if_fail (store == NULL || TOPOUT_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  build_views (self);
  update_demo_notice (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

TopoutKiosk *
topout_window_get_kiosk (TopoutWindow *self)
{
  g_return_val_if_fail (TOPOUT_IS_WINDOW (self), NULL);

  return self->kiosk;
}

TopoutSyncStatus *
topout_window_get_sync_status (TopoutWindow *self)
{
  g_return_val_if_fail (TOPOUT_IS_WINDOW (self), NULL);

  return self->sync_status;
}

const char *
topout_window_get_visible_view (TopoutWindow *self)
{
  g_return_val_if_fail (TOPOUT_IS_WINDOW (self), NULL);

  if (!self->views_built)
    return NULL;
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

void
topout_window_show_store_error (TopoutWindow *self,
                                const GError *error)
{
  g_autofree char *markup = NULL;

  g_return_if_fail (TOPOUT_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  /* The description is Pango markup; a path may hold "&" or "<". */
  markup = g_markup_escape_text (error->message, -1);
  topout_window_set_store (self, NULL);
  adw_status_page_set_description (self->error_page, markup);
  topout_stack_show_page (self->main_stack, "error");
}

void
topout_window_show_toast (TopoutWindow *self,
                          AdwToast     *toast)
{
  g_return_if_fail (TOPOUT_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
topout_window_add_toast (TopoutWindow *self,
                         const char   *message)
{
  g_return_if_fail (TOPOUT_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, topout_toast_new_plain (message));
}
