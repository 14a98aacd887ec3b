#define G_LOG_DOMAIN "topout-session-panel"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "topout-climb-picker.h"
#include "topout-color-swatch.h"
#include "topout-session-panel.h"
#include "topout-ui-util.h"

/* The undo actions of the toasts live on the toast overlay: a toast's button
 * is a child of the overlay, not of this panel, so only an action group on
 * the overlay (or above it) is reachable from it. Each toast carries its own
 * target, so it undoes exactly what it was shown for. */
#define UNDO_GROUP            "desk-undo"
#define UNDO_REMOVE_LOG       UNDO_GROUP ".remove-completion"   /* (ssb): completion, session the tap started
                                                                   * or reopened ("" none), reopened */
#define UNDO_REOPEN_SESSION   UNDO_GROUP ".reopen-session"      /* s: session */

#define N_SESSION_TYPES (TOPOUT_SESSION_TYPE_WORKOUT + 1)
#define N_TIME_SLOTS    (TOPOUT_TIME_SLOT_NIGHT + 1)

/* The recent competitions offered above the pair's entries, and how much of
 * each a button shows (the whole pair is in its tooltip). */
#define N_RECENT_COMPETITIONS    3
#define RECENT_COMPETITION_CHARS 28

struct _TopoutSessionPanel
{
  AdwBin              parent_instance;

  TopoutStore        *store;
  TopoutKiosk        *kiosk;
  char               *climber_id;
  TopoutClimber      *climber;
  char               *shown_name;       /* the climber's name as the desk's rows show it
                                         * (kiosk short names told apart), or NULL */
  TopoutSession      *session;          /* the climber's active session, or NULL */

  /* The session to start */
  TopoutSessionType   draft_type;
  TopoutTimeSlot      draft_slot;       /* UNSET: the slot of the clock */

  gboolean            constructed;      /* refresh() may run */

  GtkWidget          *type_buttons[N_SESSION_TYPES];
  GtkWidget          *slot_buttons[2][N_TIME_SLOTS];  /* in one row; in two */
  GStrv               recent_pairs;     /* what the recent competitions' buttons show:
                                         * type, id, type, id, … */
  TopoutClimbPicker  *picker;           /* built when first needed: ensure_picker() */

  /* The toast of the latest tap, with its undo (see show_undo_toast()). */
  AdwToast           *toast;
  GtkWidget          *toast_title;  /* topout_toast_title_new() */
  /* Every toast of the panel not dismissed yet, the latest too: an older
   * one may still wait in the overlay's queue. Each knows its climber
   * (toast_set_climber()), so locking shortens them all. */
  GPtrArray          *toasts;

  /* Template children */
  GtkStack           *stack;

  /* The climber's page: built when first needed (ensure_climber_page()) */
  GtkWidget          *climber_page;
  GtkLabel           *climber_label;
  GtkWidget          *session_info_box;
  GtkLabel           *session_label;
  GtkLabel           *competition_label;
  GtkWidget          *offline_tag;
  GtkLabel           *elapsed_label;
  GtkWidget          *end_box;
  GtkLabel           *session_error;
  GtkWidget          *start_type_box;
  GtkFlowBox         *type_flow;
  GtkRevealer        *custom_revealer;
  GtkEntry           *custom_entry;
  GtkLabel           *custom_error;
  GtkRevealer        *competition_revealer;
  GtkWidget          *competition_recent_box;
  GtkBox             *competition_recent_buttons;
  GtkEntry           *competition_type_entry;
  GtkEntry           *competition_id_entry;
  GtkLabel           *competition_error;
  GtkBox             *slot_box;
  GtkBox             *slot_row_early;
  GtkBox             *slot_row_late;
  GtkLabel           *slot_error;
  GtkWidget          *start_box;
  GtkWidget          *start_button;
  GtkLabel           *start_error;
  GtkWidget          *log_hint;
  GtkBox             *picker_box;
  GtkLabel           *log_error;
  GtkWidget          *routes_box;
  GtkScrolledWindow  *routes_scroller;
  /* The routes list is at its end (or fits): it stays there as routes
   * are logged, the newest in sight; scrolled back by hand, it stays. */
  gboolean            routes_at_end;
  guint               routes_follow_id;
  GtkListBox         *completion_list;
};

G_DEFINE_FINAL_TYPE (TopoutSessionPanel, topout_session_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_KIOSK,
  PROP_CLIMBER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh (TopoutSessionPanel *self);
static void picked_cb (TopoutSessionPanel *self,
                       const char         *climb_id,
                       guint               attempts,
                       gboolean            is_success,
                       const char         *notes,
                       TopoutClimbPicker  *picker);

/* Helpers ------------------------------------------------------------------- */

static gboolean
short_names (TopoutSessionPanel *self)
{
  return self->kiosk != NULL && topout_kiosk_get_short_names (self->kiosk);
}

/* As the desk's rows name the climber ("Bo Ki." beside Bo Kline) when it
 * said so, otherwise "Bo K." (or the full name, unlocked). */
static char *
climber_name (TopoutSessionPanel *self)
{
  if (short_names (self) && self->shown_name != NULL)
    return g_strdup (self->shown_name);
  return topout_format_climber_name (self->climber ? topout_climber_get_display_name (self->climber) : NULL,
                                     short_names (self));
}

static void entry_changed_cb  (TopoutSessionPanel *self,
                               GtkEditable        *editable);
static void entry_activate_cb (TopoutSessionPanel *self,
                               GtkEntry           *entry);
static void build_type_buttons (TopoutSessionPanel *self);
static void build_slot_buttons (TopoutSessionPanel *self);

/* At the next frame, once laid out: set during the list's allocation, the
 * value moved the adjustment but not the rows. */
static gboolean
routes_follow_end (GtkWidget     *scroller,
                   GdkFrameClock *clock,
                   gpointer       user_data)
{
  TopoutSessionPanel *self = user_data;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  self->routes_follow_id = 0;
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  return G_SOURCE_REMOVE;
}

/* Scrolled (by hand, or here to the end, or held within a list grown
 * shorter): whether it is at its end now, for the next time it grows. */
static void
routes_moved_cb (TopoutSessionPanel *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->routes_scroller);

  self->routes_at_end = self->routes_follow_id != 0 ||
                        gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
                        gtk_adjustment_get_upper (adj) - 1;
}

/* Grown (a route logged), or its view shorter, while at its end: it goes
 * on to the new end. Whether it is at its end is kept from where it was
 * last scrolled (by hand, or to its end here): the list's height and its
 * view's change in steps, one told before the other. */
static void
routes_grew_cb (TopoutSessionPanel *self)
{
  if (self->routes_at_end && self->routes_follow_id == 0)
    self->routes_follow_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->routes_scroller), routes_follow_end,
                                                           self, NULL);
}

static void slot_layout_switched_cb (GtkWidget *squeezer);

/* The page of a chosen climber, from its own .ui: nobody sees it before a
 * climber is chosen, and building it with the panel cost the main thread
 * 13.7 M instructions before the first frame (callgrind, 100k sessions). */
static void
ensure_climber_page (TopoutSessionPanel *self)
{
  g_autoptr (GtkBuilder) builder = NULL;
  g_autoptr (GtkBuilderScope) scope = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *placeholder;
  const struct {
    const char *id;
    gpointer   *field;
  } objects[] = {
    { "climber_page", (gpointer *) &self->climber_page },
    { "climber_label", (gpointer *) &self->climber_label },
    { "session_info_box", (gpointer *) &self->session_info_box },
    { "session_label", (gpointer *) &self->session_label },
    { "competition_label", (gpointer *) &self->competition_label },
    { "offline_tag", (gpointer *) &self->offline_tag },
    { "elapsed_label", (gpointer *) &self->elapsed_label },
    { "end_box", (gpointer *) &self->end_box },
    { "session_error", (gpointer *) &self->session_error },
    { "start_type_box", (gpointer *) &self->start_type_box },
    { "type_flow", (gpointer *) &self->type_flow },
    { "custom_revealer", (gpointer *) &self->custom_revealer },
    { "custom_entry", (gpointer *) &self->custom_entry },
    { "custom_error", (gpointer *) &self->custom_error },
    { "competition_revealer", (gpointer *) &self->competition_revealer },
    { "competition_recent_box", (gpointer *) &self->competition_recent_box },
    { "competition_recent_buttons", (gpointer *) &self->competition_recent_buttons },
    { "competition_type_entry", (gpointer *) &self->competition_type_entry },
    { "competition_id_entry", (gpointer *) &self->competition_id_entry },
    { "competition_error", (gpointer *) &self->competition_error },
    { "slot_box", (gpointer *) &self->slot_box },
    { "slot_row_early", (gpointer *) &self->slot_row_early },
    { "slot_row_late", (gpointer *) &self->slot_row_late },
    { "slot_error", (gpointer *) &self->slot_error },
    { "start_box", (gpointer *) &self->start_box },
    { "start_button", (gpointer *) &self->start_button },
    { "start_error", (gpointer *) &self->start_error },
    { "log_hint", (gpointer *) &self->log_hint },
    { "picker_box", (gpointer *) &self->picker_box },
    { "log_error", (gpointer *) &self->log_error },
    { "routes_box", (gpointer *) &self->routes_box },
    { "completion_list", (gpointer *) &self->completion_list },
    { "routes_scroller", (gpointer *) &self->routes_scroller },
  };
  GtkAdjustment *routes_adj;

  if (self->climber_page != NULL)
    return;

  builder = gtk_builder_new ();
  scope = gtk_builder_cscope_new ();
  gtk_builder_cscope_add_callback_symbols (GTK_BUILDER_CSCOPE (scope),
                                           "entry_changed_cb", G_CALLBACK (entry_changed_cb),
                                           "entry_activate_cb", G_CALLBACK (entry_activate_cb),
                                           NULL);
  gtk_builder_set_scope (builder, scope);
  gtk_builder_expose_object (builder, "panel", G_OBJECT (self));
  if (!gtk_builder_add_from_resource (builder, RESOURCE_PREFIX "/ui/topout-session-panel-climber.ui", &error))
    g_error ("The climber page: %s", error->message);  /* a resource of this build */
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      *objects[i].field = gtk_builder_get_object (builder, objects[i].id);
      g_assert (*objects[i].field != NULL);
    }
  gtk_stack_add_named (self->stack, self->climber_page, "climber");

  build_type_buttons (self);
  build_slot_buttons (self);
  /* Each choice is one Tab stop, its buttons a step of the arrows apart:
   * Start is two Tab presses from the session type, not fourteen. The slots'
   * squeezer holds both of their layouts. */
  topout_button_group_one_tab_stop (GTK_WIDGET (self->type_flow));
  topout_button_group_one_tab_stop (gtk_widget_get_parent (GTK_WIDGET (self->slot_box)));
  g_signal_connect (gtk_widget_get_parent (GTK_WIDGET (self->slot_box)), "notify::visible-child",
                    G_CALLBACK (slot_layout_switched_cb), NULL);
  placeholder = gtk_label_new (_("No routes yet. Log the first one above."));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  topout_list_box_set_placeholder (self->completion_list, placeholder);

  /* The newest route, logged at the end of the list, in sight: the list
   * follows its end while it is there (scrolled back by hand, it stays). */
  self->routes_at_end = TRUE;
  routes_adj = gtk_scrolled_window_get_vadjustment (self->routes_scroller);
  g_signal_connect_object (routes_adj, "notify::upper", G_CALLBACK (routes_grew_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (routes_adj, "notify::page-size", G_CALLBACK (routes_grew_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (routes_adj, "value-changed", G_CALLBACK (routes_moved_cb), self, G_CONNECT_SWAPPED);
}

/* The climb picker is on the climber's page only: nobody sees it before a
 * climber is chosen, and building it (and styling it) held up the first
 * frame. */
static TopoutClimbPicker *
ensure_picker (TopoutSessionPanel *self)
{
  ensure_climber_page (self);
  if (self->picker == NULL)
    {
      self->picker = TOPOUT_CLIMB_PICKER (topout_climb_picker_new (self->store));
      g_signal_connect_object (self->picker, "picked", G_CALLBACK (picked_cb), self, G_CONNECT_SWAPPED);
      gtk_box_append (self->picker_box, GTK_WIDGET (self->picker));
      /* A climb added from the log flow: not by whoever stands at a locked kiosk. */
      topout_climb_picker_set_can_add_climbs (self->picker, !short_names (self));
    }
  return self->picker;
}

static void
show_error (GtkLabel   *label,
            const char *message)
{
  topout_label_set_text_if_changed (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
clear_errors (TopoutSessionPanel *self)
{
  show_error (self->session_error, NULL);
  show_error (self->custom_error, NULL);
  show_error (self->competition_error, NULL);
  show_error (self->slot_error, NULL);
  show_error (self->start_error, NULL);
  show_error (self->log_error, NULL);
}

static TopoutTimeSlot
clock_slot (TopoutSessionPanel *self)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (topout_store_now (self->store) / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = NULL;

  if (utc == NULL)
    return TOPOUT_TIME_SLOT_UNSET;
  local = g_date_time_to_timezone (utc, topout_store_get_time_zone (self->store));
  return topout_time_slot_for_time (local);
}

/* Undo group on the toast overlay ------------------------------------------- */

typedef struct {
  TopoutStore *store;
  GtkWidget   *overlay;  /* owns the group */
} UndoData;

static void
undo_data_free (gpointer data)
{
  UndoData *undo = data;

  g_clear_object (&undo->store);
  g_free (undo);
}

static void
undo_failed (UndoData *undo,
             GError   *error)
{
  g_warning ("Undo failed: %s", error->message);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (undo->overlay), topout_toast_new_plain (error->message));
}

static void
undo_remove_completion_cb (GSimpleAction *action,
                           GVariant      *param,
                           gpointer       user_data)
{
  UndoData *undo = user_data;
  g_autoptr (GError) error = NULL;
  const char *completion_id;
  const char *started_id;
  gboolean reopened;

  g_variant_get (param, "(&s&sb)", &completion_id, &started_id, &reopened);
  if (!topout_store_remove_completion (undo->store, completion_id, &error))
    {
      undo_failed (undo, error);
      return;
    }

  /* The tap reopened the day's latest session (the cap): it is ended again,
   * at its last route as rule 3a would (the end it had is not kept). */
  if (reopened)
    {
      g_autoptr (TopoutSession) again = topout_store_get_session (undo->store, started_id, NULL);

      if (again != NULL && topout_session_get_status (again) == TOPOUT_SESSION_STATUS_ACTIVE &&
          !topout_store_end_session_at (undo->store, started_id,
                                        MAX (topout_session_get_last_logged_at (again),
                                             topout_session_get_started_at (again)), &error))
        undo_failed (undo, error);
      return;
    }

  /* The tap started this session just for that route: with the route gone,
   * the session goes too (a never-synced cancelled session is never sent). */
  if (*started_id != '\0')
    {
      g_autoptr (TopoutSession) started = topout_store_get_session (undo->store, started_id, NULL);
      g_autoptr (GPtrArray) left = NULL;

      if (started == NULL || topout_session_get_status (started) != TOPOUT_SESSION_STATUS_ACTIVE)
        return;
      left = topout_store_list_completions (undo->store, started_id);
      if (left->len == 0 && !topout_store_cancel_session (undo->store, started_id, &error))
        undo_failed (undo, error);
    }
}

static void
undo_reopen_session_cb (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  UndoData *undo = user_data;
  g_autoptr (GError) error = NULL;

  if (!topout_store_reopen_session (undo->store, g_variant_get_string (param, NULL), &error))
    undo_failed (undo, error);
}

static void
ensure_undo_group (TopoutSessionPanel *self)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autoptr (GSimpleActionGroup) group = NULL;
  g_autoptr (GSimpleAction) remove = NULL;
  g_autoptr (GSimpleAction) reopen = NULL;
  UndoData *undo;

  if (overlay == NULL || g_object_get_data (G_OBJECT (overlay), "topout-undo-store") == self->store)
    return;

  undo = g_new0 (UndoData, 1);
  undo->store = g_object_ref (self->store);
  undo->overlay = overlay;
  group = g_simple_action_group_new ();
  g_object_set_data_full (G_OBJECT (group), "topout-undo-data", undo, undo_data_free);

  remove = g_simple_action_new ("remove-completion", G_VARIANT_TYPE ("(ssb)"));
  g_signal_connect (remove, "activate", G_CALLBACK (undo_remove_completion_cb), undo);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (remove));

  reopen = g_simple_action_new ("reopen-session", G_VARIANT_TYPE_STRING);
  g_signal_connect (reopen, "activate", G_CALLBACK (undo_reopen_session_cb), undo);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (reopen));

  gtk_widget_insert_action_group (overlay, UNDO_GROUP, G_ACTION_GROUP (group));
  /* Only compared, never dereferenced: the group holds its own reference. */
  g_object_set_data (G_OBJECT (overlay), "topout-undo-store", self->store);
}

/* The keyboard focus is in @toast's widget on screen (its Undo, its close
 * button). */
static gboolean
focus_in_toast (TopoutSessionPanel *self,
                AdwToast           *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  GtkWidget *label = g_object_get_data (G_OBJECT (toast), "topout-title");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *w;

  if (overlay == NULL || label == NULL || focus == NULL)
    return FALSE;
  /* The toast's widget: the overlay's child that holds its title. */
  for (w = label; w != NULL && gtk_widget_get_parent (w) != overlay; w = gtk_widget_get_parent (w))
    ;
  return w != NULL && (focus == w || gtk_widget_is_ancestor (focus, w));
}

static void
toast_dismissed_cb (TopoutSessionPanel *self,
                    AdwToast           *toast)
{
  /* Undo (or the close button) pressed from the keyboard: the toast goes
   * with the focus, which GTK handed to the first field of the window, the
   * climbers' search. It goes back to the panel instead, where the
   * climber was: the climb search of the session on the wall (the log
   * undone, or the end), or Start (the session that log started, gone).
   * The overlay's own handler, which takes the focus from the toast, runs
   * after this one. */
  if (focus_in_toast (self, toast) && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_activate_action (GTK_WIDGET (self), "panel.focus-default", NULL);

  g_signal_handlers_disconnect_by_func (toast, toast_dismissed_cb, self);
  if (toast == self->toast)
    {
      self->toast = NULL;
      self->toast_title = NULL;
    }
  g_ptr_array_remove (self->toasts, toast);
}

/* What a toast says about its climber: who (their id and display name) and
 * the name its full title shows (@shown, in the title as it is); @brief is
 * its title where the full one does not fit (no name in it). */
static void
toast_set_climber (AdwToast   *toast,
                   GtkWidget  *title,
                   const char *brief,
                   const char *briefest,
                   const char *climber_id,
                   const char *display_name,
                   const char *shown)
{
  g_object_set_data (G_OBJECT (toast), "topout-title", title);
  g_object_set_data_full (G_OBJECT (toast), "topout-brief", g_strdup (brief), g_free);
  g_object_set_data_full (G_OBJECT (toast), "topout-briefest", g_strdup (briefest), g_free);
  g_object_set_data_full (G_OBJECT (toast), "topout-climber-id", g_strdup (climber_id), g_free);
  g_object_set_data_full (G_OBJECT (toast), "topout-climber", g_strdup (display_name), g_free);
  g_object_set_data_full (G_OBJECT (toast), "topout-shown", g_strdup (shown), g_free);
}

/* At a locked kiosk no toast of the panel names its climber in full, on
 * screen or still queued: a tap made while staff were in said "Ada
 * Lovelace: Logged …"; now "Ada L.", as everything at a locked kiosk, its
 * Undo unchanged. The climber on the panel is named as the desk's rows
 * name them ("Bo Ki."), whenever the toast was made. */
static void
shorten_toast_names (TopoutSessionPanel *self)
{
  if (!short_names (self))
    return;
  for (guint i = 0; i < self->toasts->len; i++)
    {
      AdwToast *toast = g_ptr_array_index (self->toasts, i);
      GtkWidget *label = g_object_get_data (G_OBJECT (toast), "topout-title");
      const char *brief = g_object_get_data (G_OBJECT (toast), "topout-brief");
      const char *briefest = g_object_get_data (G_OBJECT (toast), "topout-briefest");
      const char *display_name = g_object_get_data (G_OBJECT (toast), "topout-climber");
      const char *shown = g_object_get_data (G_OBJECT (toast), "topout-shown");
      g_autofree char *full = topout_format_climber_name (display_name, FALSE);
      g_autofree char *name = NULL;
      GString *title;

      if (label == NULL || display_name == NULL || shown == NULL || *shown == '\0')
        continue;
      if (self->shown_name != NULL && self->climber != NULL &&
          g_strcmp0 (g_object_get_data (G_OBJECT (toast), "topout-climber-id"), self->climber_id) == 0 &&
          g_strcmp0 (display_name, topout_climber_get_display_name (self->climber)) == 0)
        name = g_strdup (self->shown_name);
      else if (g_strcmp0 (shown, full) == 0)
        name = topout_format_climber_name (display_name, TRUE);
      else
        continue;  /* already short */
      if (g_strcmp0 (name, shown) == 0)
        continue;
      title = g_string_new (topout_toast_title_get_full (label));
      if (g_string_replace (title, shown, name, 0) > 0)
        topout_toast_title_set (label, title->str, brief, briefest, NULL);
      g_string_free (title, TRUE);
      g_object_set_data_full (G_OBJECT (toast), "topout-shown", g_steal_pointer (&name), g_free);
    }
}

/* The latest toast is no longer updated in place (it waits in the queue,
 * or goes); it is still shortened on lock until dismissed. */
static void
forget_toast (TopoutSessionPanel *self)
{
  self->toast = NULL;
  self->toast_title = NULL;
}

/* The panel's toast is the one on screen: not dismissed (that forgets it),
 * not waiting in the queue behind another view's toast, not fading out. */
static gboolean
toast_on_screen (TopoutSessionPanel *self)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  GtkWidget *w;

  if (self->toast == NULL || overlay == NULL || !gtk_widget_get_mapped (self->toast_title))
    return FALSE;
  /* A toast that makes way for another stops taking input as it fades. */
  for (w = self->toast_title; w != NULL && w != overlay; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_can_target (w))
      return FALSE;
  return w == overlay;
}

/* Says what a tap did, with its undo: "Logged Crimp Cathedral (Sent)",
 * "Session ended". The panel has one toast, not one per tap: while it is on
 * screen the next tap updates it (its title, its undo and the time it stays
 * all start over). A climber logging route after route sees the latest,
 * and no queue of toasts builds up behind it (libadwaita 1.2 would show
 * each queued one later, for its full time, and keep them all in memory
 * meanwhile). The title and the undo's target change together, so the
 * toast always undoes exactly what it names. @name is the climber as
 * @title names them (for shorten_toast_names()). @brief (no name in it, or
 * NULL) is the title where @title does not fit on one line (a phone's
 * 360 px, a long name), and @briefest (or NULL) where @brief does not
 * either (a long climb's name); the Undo's description is then @title,
 * whose. */
static void
show_undo_toast (TopoutSessionPanel *self,
                 const char         *title,
                 const char         *brief,
                 const char         *briefest,
                 const char         *name,
                 const char         *action_name,
                 GVariant           *target)
{
  g_autoptr (GVariant) owned = g_variant_ref_sink (target);
  const char *display_name = self->climber != NULL ? topout_climber_get_display_name (self->climber) : NULL;

  ensure_undo_group (self);
  if (toast_on_screen (self))
    {
      toast_set_climber (self->toast, self->toast_title, brief, briefest, self->climber_id, display_name, name);
      topout_toast_title_set (self->toast_title, title, brief, briefest, NULL);
      if (g_strcmp0 (adw_toast_get_action_name (self->toast), action_name) != 0)
        {
          /* No moment where the button's action and target disagree. */
          adw_toast_set_action_name (self->toast, NULL);
          adw_toast_set_action_target_value (self->toast, owned);
          adw_toast_set_action_name (self->toast, action_name);
        }
      else
        adw_toast_set_action_target_value (self->toast, owned);
      /* Added again while shown, its timeout starts over. */
      topout_show_toast (GTK_WIDGET (self), g_object_ref (self->toast));
      return;
    }

  /* A toast of the panel that waits behind another view's toast keeps its
   * own undo (dismissing it could crash libadwaita 1.2). */
  forget_toast (self);

  self->toast = topout_toast_new_fitting (title, brief, briefest, NULL);
  self->toast_title = adw_toast_get_custom_title (self->toast);
  toast_set_climber (self->toast, self->toast_title, brief, briefest, self->climber_id, display_name, name);
  g_ptr_array_add (self->toasts, g_object_ref (self->toast));
  adw_toast_set_button_label (self->toast, _("_Undo"));
  adw_toast_set_action_name (self->toast, action_name);
  adw_toast_set_action_target_value (self->toast, owned);
  /* What the person at the desk just did goes before anything else. */
  adw_toast_set_priority (self->toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_swapped (self->toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self);
  topout_show_toast (GTK_WIDGET (self), g_object_ref (self->toast));
}

/* Ctrl+Z at the desk: what the Undo of the panel's toast on screen does
 * (it names what it undoes), and the toast goes. With many climbers
 * listed, Tab reached that button only after the toast had timed out.
 * FALSE when no toast of the panel is on screen. */
gboolean
topout_session_panel_undo (TopoutSessionPanel *self)
{
  g_autoptr (AdwToast) toast = NULL;
  g_autofree char *action_name = NULL;
  GVariant *target;

  g_return_val_if_fail (TOPOUT_IS_SESSION_PANEL (self), FALSE);

  if (!toast_on_screen (self) || adw_toast_get_action_name (self->toast) == NULL)
    return FALSE;
  toast = g_object_ref (self->toast);
  action_name = g_strdup (adw_toast_get_action_name (toast));
  target = adw_toast_get_action_target_value (toast);
  if (!gtk_widget_activate_action_variant (GTK_WIDGET (self), action_name, target))
    return FALSE;
  adw_toast_dismiss (toast);
  return TRUE;
}

/* Building the widgets ------------------------------------------------------- */

static void
build_type_buttons (TopoutSessionPanel *self)
{
  GtkToggleButton *first = NULL;

  for (TopoutSessionType type = 0; type < N_SESSION_TYPES; type++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (topout_session_type_get_label (type));
      GtkWidget *child;

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "panel.set-session-type");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", topout_session_type_to_key (type));
      gtk_widget_add_css_class (button, "big-toggle");
      /* "Power endurance" on two lines rather than two buttons a line
       * wider than a phone (360 px). */
      {
        GtkLabel *label = GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button)));

        gtk_label_set_wrap (label, TRUE);
        gtk_label_set_justify (label, GTK_JUSTIFY_CENTER);
      }
      if (first == NULL)
        first = GTK_TOGGLE_BUTTON (button);
      else
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), first);
      /* Only the button takes focus, not its flow box child too; the
       * child is a group, not a table's cell (as the flow box is). */
      child = g_object_new (GTK_TYPE_FLOW_BOX_CHILD,
                            "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP,
                            "focusable", FALSE,
                            "child", button,
                            NULL);
      gtk_flow_box_append (self->type_flow, child);
      self->type_buttons[type] = button;
    }
}

static GtkWidget *
slot_button_new (TopoutTimeSlot slot)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (topout_time_slot_get_label (slot));
  GtkWidget *hours_label;
  g_autofree char *hours = NULL;
  g_autofree char *a11y = NULL;
  int start = 0, end = 0;

  topout_time_slot_get_hours (slot, &start, &end);
  /* Translators: the local hours of a time slot, "05–08" */
  hours = g_strdup_printf (_("%02d–%02d"), start, end);
  /* Translators: accessible name of a time slot button, "Early morning, 05:00 to 08:00" */
  a11y = g_strdup_printf (_("%s, %02d:00 to %02d:00"), topout_time_slot_get_label (slot), start, end);

  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_justify (GTK_LABEL (name), GTK_JUSTIFY_CENTER);
  hours_label = gtk_label_new (hours);
  gtk_widget_add_css_class (hours_label, "caption");
  gtk_widget_add_css_class (hours_label, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), hours_label);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_button_set_child (GTK_BUTTON (button), box);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "panel.set-time-slot");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", topout_time_slot_to_key (slot));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  /* Its name again: shown, not read twice. */
  topout_widget_set_tooltip_unheard (button, a11y);
  gtk_widget_add_css_class (button, "slot-button");
  return button;
}

/* AdwSqueezer (libadwaita 1.2) chooses the layout that fits while it is
 * being laid out, at the height of the one it showed before, and the new
 * one's height is not asked for: two rows of slots were drawn in one row's
 * height, over the heading and Start, until some other resize. Asked for
 * at the next frame. */
static gboolean
resize_once_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  gtk_widget_queue_resize (widget);
  return G_SOURCE_REMOVE;
}

static void
slot_layout_switched_cb (GtkWidget *squeezer)
{
  gtk_widget_add_tick_callback (squeezer, resize_once_cb, NULL, NULL);
}

/* The slots twice: six in a row, and three and three, for the squeezer to
 * show whichever fits; both act alike and show the same choice. */
static void
build_slot_buttons (TopoutSessionPanel *self)
{
  for (guint set = 0; set < 2; set++)
    {
      GtkToggleButton *first = NULL;

      for (TopoutTimeSlot slot = TOPOUT_TIME_SLOT_EARLY_MORNING; slot < N_TIME_SLOTS; slot++)
        {
          GtkWidget *button = slot_button_new (slot);
          GtkBox *box = set == 0 ? self->slot_box
                                 : slot <= TOPOUT_TIME_SLOT_MIDDAY ? self->slot_row_early : self->slot_row_late;

          if (first == NULL)
            first = GTK_TOGGLE_BUTTON (button);
          else
            gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), first);
          gtk_box_append (box, button);
          self->slot_buttons[set][slot] = button;
        }
    }
}

static GtkWidget *
make_label (const char *text,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  /* One line each: a label that does not wrap is measured once, whatever
   * width the panel asks about, and the panel asks about many after a log. */
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

/* A logged route: its colour, name, grade and attempts, and Sent or Not
 * sent. Built like an AdwActionRow (the same style classes, so it looks
 * the same in the boxed list) from fewer widgets, and measured more cheaply:
 * one is added at every tap. */
static GtkWidget *
make_completion_row (TopoutCompletion *completion)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *swatch;
  GtkWidget *result;
  GtkWidget *icon;
  gboolean sent = topout_completion_get_is_success (completion);
  guint attempts = topout_completion_get_attempts (completion);
  const char *grade = topout_completion_get_grade (completion);
  const char *name = topout_completion_get_climb_name (completion);
  g_autofree char *tries = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *a11y = NULL;

  if (name == NULL)
    name = topout_completion_get_climb_id (completion);
  tries = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attempt", "%u attempts", attempts), attempts);
  subtitle = grade != NULL ? g_strdup_printf ("%s · %s", grade, tries) : g_strdup (tries);

  gtk_widget_add_css_class (header, "header");
  gtk_widget_set_valign (header, GTK_ALIGN_CENTER);

  swatch = topout_color_swatch_new (topout_completion_get_climb_color (completion));
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (swatch, "prefixes");
  gtk_box_append (GTK_BOX (header), swatch);

  gtk_widget_add_css_class (titles, "title");
  gtk_widget_set_valign (titles, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (titles, TRUE);
  gtk_box_append (GTK_BOX (titles), make_label (name, "title"));
  gtk_box_append (GTK_BOX (titles), make_label (subtitle, "subtitle"));
  gtk_box_append (GTK_BOX (header), titles);

  result = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  icon = gtk_image_new_from_icon_name (sent ? "object-select-symbolic" : "window-close-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_box_append (GTK_BOX (result), icon);
  gtk_box_append (GTK_BOX (result), gtk_label_new (sent ? _("Sent") : _("Not sent")));
  gtk_widget_set_valign (result, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (result, "suffixes");
  gtk_widget_add_css_class (result, sent ? "completion-sent" : "completion-not-sent");
  gtk_box_append (GTK_BOX (header), result);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), header);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "completion-row");

  /* Translators: accessible name of a logged route: "Crimp Cathedral, V4 · 3 attempts, Sent" */
  a11y = g_strdup_printf (_("%s, %s, %s"), name, subtitle, sent ? _("Sent") : _("Not sent"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  return row;
}

/* A recent competition: one tap fills in its pair as stored ("LEAGUE",
 * "2026-r3"), so a hurried "league" never splits one competition into two
 * scorecards. */
static GtkWidget *
make_recent_competition_button (const char *type,
                                const char *id)
{
  g_autofree char *text = topout_format_competition (type, id);
  /* Translators: accessible name of a front desk button that fills in a
   * recent competition: "Use competition LEAGUE · 2026-r3" */
  g_autofree char *a11y = g_strdup_printf (_("Use competition %s"), text);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *label = gtk_label_new (text);

  /* Cut in the middle: the rounds of one league differ at the end of the
   * id ("Boulder Le…2026-round-3"), and the end must stay in sight. */
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), RECENT_COMPETITION_CHARS);
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "panel.use-competition");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", type, id);
  gtk_widget_set_tooltip_text (button, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "recent-competition");
  return button;
}

/* The pair's entries are on screen: a COMPETITION session to start. */
static gboolean
competition_shown (TopoutSessionPanel *self)
{
  return self->climber_page != NULL && self->climber != NULL && self->session == NULL &&
         self->draft_type == TOPOUT_SESSION_TYPE_COMPETITION;
}

/* @pairs (type, id, …, NULL) shows the same competitions as the buttons,
 * in any order. */
static gboolean
same_recent_competitions (TopoutSessionPanel *self,
                          char              **pairs)
{
  guint n = g_strv_length (pairs);

  if (self->recent_pairs == NULL || n != g_strv_length (self->recent_pairs))
    return FALSE;
  for (guint i = 0; i < n; i += 2)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < n && !found; j += 2)
        found = g_str_equal (pairs[i], self->recent_pairs[j]) && g_str_equal (pairs[i + 1], self->recent_pairs[j + 1]);
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* Brings the recent competitions' buttons to the store's most recent
 * competitions, most recent first. Only while the pair's entries are on
 * screen: one query then, none while another type is chosen or a session
 * runs. The buttons are built again only when what they show changed; with
 * @keep_order (a change in the store, not a tap of the desk worker) not
 * when the same competitions only changed places: two competitions logged
 * at once would swap their buttons under the finger at every log. */
static void
update_recent_competitions (TopoutSessionPanel *self,
                            gboolean            keep_order)
{
  g_autoptr (GPtrArray) pairs = NULL;
  GtkWidget *buttons = GTK_WIDGET (self->competition_recent_buttons);
  GtkWidget *child;
  gboolean had_focus;
  guint n;

  if (!competition_shown (self))
    return;

  pairs = topout_store_list_competitions (self->store);
  n = MIN (pairs->len / 2, N_RECENT_COMPETITIONS);
  g_ptr_array_set_size (pairs, 2 * n);
  g_ptr_array_add (pairs, NULL);
  if (keep_order ? same_recent_competitions (self, (char **) pairs->pdata)
                 : self->recent_pairs != NULL && g_strv_equal ((const char * const *) self->recent_pairs,
                                                               (const char * const *) pairs->pdata))
    return;

  g_strfreev (self->recent_pairs);
  self->recent_pairs = g_strdupv ((char **) pairs->pdata);
  /* The keyboard stays in the row (or goes on to the entries). */
  had_focus = gtk_widget_get_focus_child (buttons) != NULL;
  while ((child = gtk_widget_get_first_child (buttons)) != NULL)
    gtk_box_remove (self->competition_recent_buttons, child);
  for (guint i = 0; i < n; i++)
    gtk_box_append (self->competition_recent_buttons,
                    make_recent_competition_button (self->recent_pairs[2 * i], self->recent_pairs[2 * i + 1]));
  gtk_widget_set_visible (self->competition_recent_box, n > 0);
  if (had_focus)
    gtk_widget_grab_focus (n > 0 ? gtk_widget_get_first_child (buttons) : GTK_WIDGET (self->competition_type_entry));
}

/* Showing the state ------------------------------------------------------------ */

static void
update_type_controls (TopoutSessionPanel *self)
{
  for (TopoutSessionType type = 0; type < N_SESSION_TYPES; type++)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->type_buttons[type]), type == self->draft_type);
  gtk_revealer_set_reveal_child (self->custom_revealer, self->draft_type == TOPOUT_SESSION_TYPE_CUSTOM);
  gtk_revealer_set_reveal_child (self->competition_revealer, self->draft_type == TOPOUT_SESSION_TYPE_COMPETITION);
  /* What a route logged before Start goes into (picked_cb()). */
  topout_label_set_text_if_changed (GTK_LABEL (self->log_hint),
                                    self->draft_type == TOPOUT_SESSION_TYPE_FUN
                                    ? _("Logging a route without starting a session first starts a Fun session.")
                                    : _("Logging a route without starting a session first starts the session chosen above."));
  update_recent_competitions (self, FALSE);
}

static void
update_slot_controls (TopoutSessionPanel *self)
{
  TopoutTimeSlot shown;

  if (self->session != NULL)
    shown = topout_session_get_time_slot (self->session);
  else if (self->draft_slot != TOPOUT_TIME_SLOT_UNSET)
    shown = self->draft_slot;
  else
    shown = clock_slot (self);

  for (guint set = 0; set < 2; set++)
    for (TopoutTimeSlot slot = TOPOUT_TIME_SLOT_EARLY_MORNING; slot < N_TIME_SLOTS; slot++)
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->slot_buttons[set][slot]), slot == shown);
}

static void
update_elapsed (TopoutSessionPanel *self)
{
  g_autofree char *elapsed = NULL;
  g_autofree char *started_text = NULL;
  g_autofree char *text = NULL;
  gint64 started;

  if (self->session == NULL)
    return;

  started = topout_session_get_started_at (self->session);
  elapsed = topout_format_elapsed (MAX (0, topout_store_now (self->store) - started));
  started_text = topout_format_time (started, topout_store_get_time_zone (self->store));
  /* Translators: "Started 17:02 · 1 h 05 min" */
  text = g_strdup_printf (_("Started %s · %s"), started_text, elapsed);
  topout_label_set_text_if_changed (self->elapsed_label, text);
}

/* What a completion's row shows, with its id: a row whose key is unchanged
 * stays as it is. */
static char *
completion_key (TopoutCompletion *completion)
{
  return g_strdup_printf ("%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%u\x1f%d",
                          topout_completion_get_id (completion),
                          topout_completion_get_climb_id (completion),
                          topout_completion_get_climb_name (completion) ? topout_completion_get_climb_name (completion) : "",
                          topout_completion_get_climb_color (completion) ? topout_completion_get_climb_color (completion) : "",
                          topout_completion_get_grade (completion) ? topout_completion_get_grade (completion) : "",
                          topout_completion_get_attempts (completion),
                          topout_completion_get_is_success (completion));
}

static char *
completion_row_key (guint    i,
                    gpointer completions)
{
  return completion_key (g_ptr_array_index ((GPtrArray *) completions, i));
}

static GtkWidget *
completion_row_make (guint    i,
                     gpointer completions)
{
  return make_completion_row (g_ptr_array_index ((GPtrArray *) completions, i));
}

/* Brings the list to the session's completions, in the order they were
 * logged (as the session editor and the exports list them), touching only
 * the rows that changed: a log adds one row at the end instead of building
 * them all again (a session may hold hundreds, and every row costs text
 * layout). The newest goes last, not first: a row put in front of the
 * others moves every one of them, and GTK then restyles, reallocates and
 * repaints the whole list at every tap. */
static void
update_completions (TopoutSessionPanel *self)
{
  g_autoptr (GPtrArray) completions = NULL;

  if (self->session != NULL)
    completions = topout_store_list_completions (self->store, topout_session_get_id (self->session));
  topout_list_box_sync_rows (self->completion_list, completions != NULL ? completions->len : 0,
                             completion_row_key, completion_row_make, completions);
}

static void
refresh (TopoutSessionPanel *self)
{
  g_autofree char *name = NULL;
  gboolean active;

  g_clear_object (&self->climber);
  g_clear_object (&self->session);

  if (self->store != NULL && self->climber_id != NULL)
    self->climber = topout_store_get_climber (self->store, self->climber_id, NULL);
  if (self->climber == NULL)
    {
      topout_stack_show_page (self->stack, "empty");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.start-session", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.end-session", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.cancel-session", FALSE);
      return;
    }

  ensure_climber_page (self);
  self->session = topout_store_get_active_session (self->store, self->climber_id);
  active = self->session != NULL;

  name = climber_name (self);
  topout_label_set_text_if_changed (self->climber_label, name);

  gtk_widget_set_visible (self->session_info_box, active);
  if (!active)
    gtk_widget_set_visible (GTK_WIDGET (self->competition_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->elapsed_label), active);
  gtk_widget_set_visible (self->end_box, active);
  gtk_widget_set_visible (self->routes_box, active);
  gtk_widget_set_visible (self->start_type_box, !active);
  gtk_widget_set_visible (self->start_box, !active);
  gtk_widget_set_visible (self->log_hint, !active);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.start-session", !active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.end-session", active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.cancel-session", active);

  if (active)
    {
      const char *type_label = topout_session_get_type_label (self->session);
      const char *session_name = topout_session_get_name (self->session);
      g_autofree char *info = NULL;

      /* The automatic name already says the type, in the language shown
       * now (it may have been made in another), and its date as History
       * shows one ("Fun · Sat 21 Nov 2026", "Loisir · sam. 21 nov. 2026"),
       * not as stored ("Fun · 2026-11-21"). */
      if (topout_session_name_is_automatic (self->session))
        {
          g_autofree char *date = topout_format_date (topout_session_get_session_date (self->session));

          info = topout_session_auto_name (topout_session_get_session_type (self->session),
                                           topout_session_get_custom_label (self->session), date);
        }
      else if (strstr (session_name, type_label) != NULL)
        info = g_strdup (session_name);
      else
        /* Translators: session type and a session name of its own: "Power · Finger day" */
        info = g_strdup_printf (_("%s · %s"), type_label, session_name);
      topout_label_set_text_if_changed (self->session_label, info);
      /* Which competition its routes are ranked in: a coach running two
       * at once (a youth round beside the open one) sees it was started
       * in the right one. */
      {
        g_autofree char *pair = topout_format_session_competition (self->session);

        if (pair != NULL)
          topout_label_set_text_if_changed (self->competition_label, pair);
        gtk_widget_set_visible (GTK_WIDGET (self->competition_label), pair != NULL);
      }
      gtk_widget_set_visible (self->offline_tag, topout_session_get_server_id (self->session) == NULL);
      update_elapsed (self);
    }
  else
    update_type_controls (self);

  update_slot_controls (self);
  update_completions (self);
  topout_climb_picker_set_climber_id (ensure_picker (self), self->climber_id);
  topout_stack_show_page (self->stack, "climber");
}

static void
reset_draft (TopoutSessionPanel *self)
{
  self->draft_type = TOPOUT_SESSION_TYPE_FUN;
  self->draft_slot = TOPOUT_TIME_SLOT_UNSET;
  if (self->climber_page == NULL)
    return;  /* nothing typed yet */
  gtk_editable_set_text (GTK_EDITABLE (self->custom_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->competition_type_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->competition_id_entry), "");
  clear_errors (self);
}

/* Store signals ---------------------------------------------------------------- */

static gboolean
concerns_climber (TopoutSessionPanel *self,
                  TopoutSession      *session)
{
  return session != NULL && g_strcmp0 (topout_session_get_climber_id (session), self->climber_id) == 0;
}

static gboolean
is_competition (TopoutSession *session)
{
  return session != NULL && topout_session_get_is_competition (session);
}

static void
session_changed_cb (TopoutSessionPanel *self,
                    TopoutSession      *before,
                    TopoutSession      *after,
                    TopoutStore        *store)
{
  if (self->climber_id != NULL && (concerns_climber (self, before) || concerns_climber (self, after)))
    refresh (self);
  /* Another climber's competition: the recent ones may have changed
   * (refresh() above looks at them too). */
  else if (is_competition (before) || is_competition (after))
    update_recent_competitions (self, TRUE);
}

static void
sessions_reset_cb (TopoutSessionPanel *self,
                   TopoutStore        *store)
{
  refresh (self);
}

static void
short_names_changed_cb (TopoutSessionPanel *self)
{
  if (self->picker != NULL)
    topout_climb_picker_set_can_add_climbs (self->picker, !short_names (self));
  refresh (self);
  shorten_toast_names (self);
}

/* Actions ---------------------------------------------------------------------- */

static void
set_session_type_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  TopoutSessionPanel *self = TOPOUT_SESSION_PANEL (widget);
  TopoutSessionType type;

  if (!topout_session_type_from_key (g_variant_get_string (param, NULL), &type))
    return;
  ensure_climber_page (self);
  self->draft_type = type;
  clear_errors (self);
  update_type_controls (self);
  if (type == TOPOUT_SESSION_TYPE_CUSTOM)
    gtk_widget_grab_focus (GTK_WIDGET (self->custom_entry));
  else if (type == TOPOUT_SESSION_TYPE_COMPETITION)
    {
      GtkWidget *recent = gtk_widget_get_first_child (GTK_WIDGET (self->competition_recent_buttons));

      /* The most recent competition, when there is one: Enter takes it, and
       * a touch screen's keyboard, called up by a focused entry, does not
       * cover the buttons. A new competition is typed one Tab further. */
      if (recent != NULL && gtk_widget_get_visible (self->competition_recent_box))
        gtk_widget_grab_focus (recent);
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->competition_type_entry));
    }
}

/* "panel.use-competition" ("TYPE", "id"): a recent competition's button
 * fills in the pair exactly as stored; Start is next. */
static void
use_competition_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  TopoutSessionPanel *self = TOPOUT_SESSION_PANEL (widget);
  g_autofree char *type = NULL;
  g_autofree char *id = NULL;

  if (self->climber == NULL || self->session != NULL)
    return;
  g_variant_get (param, "(ss)", &type, &id);
  if (self->draft_type != TOPOUT_SESSION_TYPE_COMPETITION)
    {
      self->draft_type = TOPOUT_SESSION_TYPE_COMPETITION;
      update_type_controls (self);
    }
  /* Their ::changed takes any refusal of the pair away. */
  gtk_editable_set_text (GTK_EDITABLE (self->competition_type_entry), type);
  gtk_editable_set_text (GTK_EDITABLE (self->competition_id_entry), id);
  gtk_widget_grab_focus (self->start_button);
}

static void
set_time_slot_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TopoutSessionPanel *self = TOPOUT_SESSION_PANEL (widget);
  g_autoptr (TopoutSession) edit = NULL;
  g_autoptr (GError) error = NULL;
  TopoutTimeSlot slot;

  if (!topout_time_slot_from_key (g_variant_get_string (param, NULL), &slot))
    return;
  ensure_climber_page (self);
  show_error (self->slot_error, NULL);

  if (self->session == NULL)
    {
      self->draft_slot = slot;
      update_slot_controls (self);
      return;
    }
  if (topout_session_get_time_slot (self->session) == slot)
    {
      update_slot_controls (self);
      return;
    }

  /* One slot per session: the completions follow it, nobody is asked. */
  edit = topout_session_copy (self->session);
  topout_session_set_time_slot (edit, slot);
  if (!topout_store_update_session (self->store, edit, &error))
    {
      show_error (self->slot_error, error->message);
      update_slot_controls (self);
    }
  /* On success ::session-changed refreshes the panel. */
}

/* The entry of the pair to fix: the id when the type is there and the id
 * is not (the focus selects an entry's text, and the next key typed over
 * the type would lose it), else the type. */
static GtkWidget *
pair_entry_to_fix (TopoutSessionPanel *self)
{
  if (!topout_text_is_blank (gtk_editable_get_text (GTK_EDITABLE (self->competition_type_entry))) &&
      topout_text_is_blank (gtk_editable_get_text (GTK_EDITABLE (self->competition_id_entry))))
    return GTK_WIDGET (self->competition_id_entry);
  return GTK_WIDGET (self->competition_type_entry);
}

/* The session the panel would start: its type, slot, custom label and
 * competition pair as chosen and typed. */
static TopoutSession *
make_session_draft (TopoutSessionPanel *self)
{
  TopoutSession *draft = topout_session_new ();

  topout_session_set_climber_id (draft, self->climber_id);
  topout_session_set_session_type (draft, self->draft_type);
  topout_session_set_time_slot (draft, self->draft_slot);
  if (self->draft_type == TOPOUT_SESSION_TYPE_CUSTOM)
    topout_session_set_custom_label (draft, gtk_editable_get_text (GTK_EDITABLE (self->custom_entry)));
  if (self->draft_type == TOPOUT_SESSION_TYPE_COMPETITION)
    {
      const char *type = gtk_editable_get_text (GTK_EDITABLE (self->competition_type_entry));
      const char *id = gtk_editable_get_text (GTK_EDITABLE (self->competition_id_entry));
      g_autofree char *stored_type = NULL;
      g_autofree char *stored_id = NULL;

      /* "boulder league" typed in a hurry joins "Boulder League" rather
       * than start a second scorecard; the panel then shows the pair as
       * stored. */
      if (topout_store_find_competition_spelling (self->store, type, id, &stored_type, &stored_id))
        {
          type = stored_type;
          id = stored_id;
        }
      topout_session_set_is_competition (draft, TRUE);
      topout_session_set_competition_type (draft, type);
      topout_session_set_competition_id (draft, id);
    }
  return draft;
}

/* Something other than the defaults is chosen for the session to start
 * (its type, or its slot): a route logged now starts that session, not
 * rule 3's Fun one. */
static gboolean
session_chosen (TopoutSessionPanel *self)
{
  return self->climber_page != NULL && self->session == NULL &&
         (self->draft_type != TOPOUT_SESSION_TYPE_FUN || self->draft_slot != TOPOUT_TIME_SLOT_UNSET);
}

/* A refusal of the session to start, at the field it is about (the custom
 * label, the pair's half missing) with the keyboard there, or under Start.
 * TRUE when it was about a field. */
static gboolean
show_start_refusal (TopoutSessionPanel *self,
                    const GError       *error)
{
  /* The message goes where the bad input was typed. */
  if (self->draft_type == TOPOUT_SESSION_TYPE_CUSTOM &&
      g_error_matches (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_TEXT))
    {
      show_error (self->custom_error, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->custom_entry));
      return TRUE;
    }
  if (self->draft_type == TOPOUT_SESSION_TYPE_COMPETITION &&
      (g_error_matches (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_COMPETITION_PAIR) ||
       g_error_matches (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_TEXT)))
    {
      show_error (self->competition_error, error->message);
      gtk_widget_grab_focus (pair_entry_to_fix (self));
      return TRUE;
    }
  return FALSE;
}

static void
start_session_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TopoutSessionPanel *self = TOPOUT_SESSION_PANEL (widget);
  g_autoptr (TopoutSession) draft = NULL;
  g_autoptr (TopoutSession) started = NULL;
  g_autoptr (GError) error = NULL;

  if (self->climber_id == NULL)
    return;
  clear_errors (self);

  draft = make_session_draft (self);
  started = topout_store_start_session (self->store, draft, &error);
  if (started == NULL)
    {
      if (!show_start_refusal (self, error))
        show_error (self->start_error, error->message);
      return;
    }

  reset_draft (self);
  refresh (self);
  topout_climb_picker_reset (ensure_picker (self));
  gtk_widget_activate_action (GTK_WIDGET (self->picker), "picker.focus-search", NULL);
}

static void
finish_session (TopoutSessionPanel *self,
                gboolean            cancel)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *session_id = NULL;
  gboolean ok;

  if (self->session == NULL)
    return;
  show_error (self->session_error, NULL);

  session_id = g_strdup (topout_session_get_id (self->session));
  ok = cancel ? topout_store_cancel_session (self->store, session_id, &error)
              : topout_store_end_session (self->store, session_id, &error);
  if (!ok)
    {
      show_error (self->session_error, error->message);
      return;
    }
  /* The start state comes back without an old refusal (the day's cap said
   * before this session was reopened by a tap). */
  clear_errors (self);
  {
    g_autofree char *name = climber_name (self);
    /* Translators: %s is the climber ("Session ended for Ada L."). */
    g_autofree char *title = g_strdup_printf (cancel ? _("Session cancelled for %s") : _("Session ended for %s"), name);

    /* Translators: a toast with Undo, one line at 360 px, where "Session
     * cancelled for Ada L." does not fit (a long name): the panel names her. */
    show_undo_toast (self, title, cancel ? _("Session cancelled") : _("Session ended"), NULL, name,
                     UNDO_REOPEN_SESSION, g_variant_new_string (session_id));
  }
  /* The button pressed is gone: the focus goes to what comes next, the
   * next climber (the desk's search), not to Start, where one more Return
   * would start an empty session and spoil the Undo. Alone (no desk around
   * it), to what comes next here. */
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "desk.focus-search", NULL))
    gtk_widget_activate_action (GTK_WIDGET (self), "panel.focus-default", NULL);
}

static void
end_session_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  finish_session (TOPOUT_SESSION_PANEL (widget), FALSE);
}

static void
cancel_session_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  finish_session (TOPOUT_SESSION_PANEL (widget), TRUE);
}

/* Keyboard: after choosing a climber, the next thing to do has the focus. */
static void
focus_default_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TopoutSessionPanel *self = TOPOUT_SESSION_PANEL (widget);

  if (self->climber == NULL)
    return;
  if (self->session == NULL)
    gtk_widget_grab_focus (self->start_button);
  else
    gtk_widget_activate_action (GTK_WIDGET (ensure_picker (self)), "picker.focus-search", NULL);
}

/* Logging ------------------------------------------------------------------------ */

static void
picked_cb (TopoutSessionPanel *self,
           const char         *climb_id,
           guint               attempts,
           gboolean            is_success,
           const char         *notes,
           TopoutClimbPicker  *picker)
{
  g_autoptr (TopoutCompletion) completion = NULL;
  g_autoptr (TopoutClimb) climb = NULL;
  g_autoptr (TopoutSession) chosen = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *logged = NULL;
  const char *briefest;
  g_autofree char *title = NULL;
  g_autofree char *started_type = NULL;
  const char *climb_name;
  const char *started_id = "";
  gboolean reopened = FALSE;
  TopoutLogOutcome outcome = TOPOUT_LOG_INTO_ACTIVE;

  if (self->climber_id == NULL)
    return;
  show_error (self->log_error, NULL);

  /* A session chosen above and not started yet (Competition and its pair,
   * typed by a coach who then logged the first route): the route starts
   * that session, in the same transaction, as Start and then the log would.
   * Rule 3's Fun session is for a tap with nothing chosen. */
  if (session_chosen (self))
    {
      chosen = make_session_draft (self);
      clear_errors (self);
      completion = topout_store_log_completion_starting (self->store, chosen, climb_id, attempts,
                                                         is_success, notes, &outcome, &error);
    }
  else
    completion = topout_store_log_completion (self->store, self->climber_id, climb_id, attempts,
                                              is_success, notes, &outcome, &error);
  if (completion == NULL)
    {
      /* The choice half made (a pair without its id): said there, the
       * climb and attempts kept for the next tap. */
      if (chosen == NULL || !show_start_refusal (self, error))
        show_error (self->log_error, error->message);
      return;
    }
  started_type = g_strdup (chosen != NULL && (outcome == TOPOUT_LOG_STARTED_SESSION ||
                                              outcome == TOPOUT_LOG_ENDED_STALE)
                           ? topout_session_get_type_label (chosen)
                           : topout_session_type_get_label (TOPOUT_SESSION_TYPE_FUN));
  /* The session is started: the next one starts from the defaults, as
   * after Start. */
  if (chosen != NULL && outcome != TOPOUT_LOG_INTO_ACTIVE && outcome != TOPOUT_LOG_REOPENED_LATEST)
    reset_draft (self);

  climb_name = topout_completion_get_climb_name (completion);
  if (climb_name == NULL)
    {
      climb = topout_store_get_climb (self->store, climb_id, NULL);
      climb_name = climb != NULL ? topout_climb_get_name (climb) : climb_id;
    }
  logged = is_success ? g_strdup_printf (_("Logged %s (Sent)"), climb_name)
                      : g_strdup_printf (_("Logged %s (Not sent)"), climb_name);
  name = climber_name (self);

  switch (outcome)
    {
    case TOPOUT_LOG_STARTED_SESSION:
      /* Translators: "Ada L.: started a Fun session. Logged Crimp Cathedral (Sent)". The name
       * comes first: a kiosk's short name ends with a full stop of its own. */
      title = g_strdup_printf (_("%s: started a %s session. %s"), name, started_type, logged);
      started_id = topout_completion_get_session_id (completion);
      break;
    case TOPOUT_LOG_ENDED_STALE:
      /* Translators: "Ended an earlier day's session of Ada L. and started a Fun one. Logged …" */
      title = g_strdup_printf (_("Ended an earlier day’s session of %s and started a %s one. %s"),
                               name, started_type, logged);
      started_id = topout_completion_get_session_id (completion);
      break;
    case TOPOUT_LOG_REOPENED_LATEST:
      /* Translators: "Ada L.: daily limit reached, reopened the latest session. Logged …" */
      title = g_strdup_printf (_("%s: daily limit reached, reopened the latest session. %s"), name, logged);
      /* Undone, the session is ended again. */
      started_id = topout_completion_get_session_id (completion);
      reopened = TRUE;
      break;
    case TOPOUT_LOG_INTO_ACTIVE:
    default:
      /* Several climbers at the desk: the toast (and its Undo) says whose.
       * Translators: a climber, then what was logged:
       * "Ada L.: Logged Crimp Cathedral (Sent)" */
      title = g_strdup_printf (_("%s: %s"), name, logged);
      break;
    }

  topout_climb_picker_reset (self->picker);
  /* At 360 px, or with a long climb's name, the same toast says less:
   * "Logged Crimp Cathedral (Sent)", then "Logged (Sent)"; its Undo is
   * described with the whole text.
   * Translators: a toast beside Undo, one line at 360 px, where "Logged
   * Crimp Cathedral (Sent)" does not fit: about 16 characters */
  briefest = is_success ? C_("log toast", "Logged (Sent)") : C_("log toast", "Logged (Not sent)");
  show_undo_toast (self, title, logged, briefest, name, UNDO_REMOVE_LOG,
                   g_variant_new ("(ssb)", topout_completion_get_id (completion), started_id, reopened));
}

static void
entry_changed_cb (TopoutSessionPanel *self,
                  GtkEditable        *editable)
{
  if (GTK_ENTRY (editable) == self->custom_entry)
    show_error (self->custom_error, NULL);
  else
    show_error (self->competition_error, NULL);
  show_error (self->start_error, NULL);
}

/* Enter in a field of the session to start starts it. */
static void
entry_activate_cb (TopoutSessionPanel *self,
                   GtkEntry           *entry)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "panel.start-session", NULL);
}

/* GObject ------------------------------------------------------------------------- */

static void
topout_session_panel_constructed (GObject *object)
{
  TopoutSessionPanel *self = TOPOUT_SESSION_PANEL (object);

  G_OBJECT_CLASS (topout_session_panel_parent_class)->constructed (object);

  g_return_if_fail (TOPOUT_IS_STORE (self->store));

  self->constructed = TRUE;
  g_signal_connect_object (self->store, "session-changed", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "sessions-reset", G_CALLBACK (sessions_reset_cb), self, G_CONNECT_SWAPPED);
  if (self->kiosk != NULL)
    g_signal_connect_object (self->kiosk, "notify::short-names", G_CALLBACK (short_names_changed_cb), self, G_CONNECT_SWAPPED);

  refresh (self);
}

static void
topout_session_panel_dispose (GObject *object)
{
  TopoutSessionPanel *self = TOPOUT_SESSION_PANEL (object);

  forget_toast (self);
  if (self->toasts != NULL)
    for (guint i = 0; i < self->toasts->len; i++)
      g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->toasts, i), toast_dismissed_cb, self);
  g_clear_pointer (&self->toasts, g_ptr_array_unref);
  g_clear_object (&self->climber);
  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_object (&self->kiosk);

  G_OBJECT_CLASS (topout_session_panel_parent_class)->dispose (object);
}

static void
topout_session_panel_finalize (GObject *object)
{
  TopoutSessionPanel *self = TOPOUT_SESSION_PANEL (object);

  g_clear_pointer (&self->climber_id, g_free);
  g_clear_pointer (&self->shown_name, g_free);
  g_clear_pointer (&self->recent_pairs, g_strfreev);

  G_OBJECT_CLASS (topout_session_panel_parent_class)->finalize (object);
}

static void
topout_session_panel_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TopoutSessionPanel *self = TOPOUT_SESSION_PANEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_KIOSK:
      g_value_set_object (value, self->kiosk);
      break;
    case PROP_CLIMBER_ID:
      g_value_set_string (value, self->climber_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_session_panel_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TopoutSessionPanel *self = TOPOUT_SESSION_PANEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_KIOSK:
      self->kiosk = g_value_dup_object (value);
      break;
    case PROP_CLIMBER_ID:
      topout_session_panel_set_climber_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_session_panel_class_init (TopoutSessionPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = topout_session_panel_constructed;
  object_class->dispose = topout_session_panel_dispose;
  object_class->finalize = topout_session_panel_finalize;
  object_class->get_property = topout_session_panel_get_property;
  object_class->set_property = topout_session_panel_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TOPOUT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIOSK] =
    g_param_spec_object ("kiosk", NULL, NULL, TOPOUT_TYPE_KIOSK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIMBER_ID] =
    g_param_spec_string ("climber-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/topout-session-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionPanel, stack);

  gtk_widget_class_install_action (widget_class, "panel.set-session-type", "s", set_session_type_action);
  gtk_widget_class_install_action (widget_class, "panel.set-time-slot", "s", set_time_slot_action);
  gtk_widget_class_install_action (widget_class, "panel.use-competition", "(ss)", use_competition_action);
  gtk_widget_class_install_action (widget_class, "panel.start-session", NULL, start_session_action);
  gtk_widget_class_install_action (widget_class, "panel.end-session", NULL, end_session_action);
  gtk_widget_class_install_action (widget_class, "panel.cancel-session", NULL, cancel_session_action);
  gtk_widget_class_install_action (widget_class, "panel.focus-default", NULL, focus_default_action);
}

static void
topout_session_panel_init (TopoutSessionPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->draft_type = TOPOUT_SESSION_TYPE_FUN;
  self->draft_slot = TOPOUT_TIME_SLOT_UNSET;
  self->toasts = g_ptr_array_new_with_free_func (g_object_unref);
}

GtkWidget *
topout_session_panel_new (TopoutStore *store,
                          TopoutKiosk *kiosk)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (store), NULL);
  g_return_val_if_fail (kiosk == NULL || TOPOUT_IS_KIOSK (kiosk), NULL);

  return g_object_new (TOPOUT_TYPE_SESSION_PANEL, "store", store, "kiosk", kiosk, NULL);
}

const char *
topout_session_panel_get_climber_id (TopoutSessionPanel *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION_PANEL (self), NULL);
  return self->climber_id;
}

const char *
topout_session_panel_get_climber_name (TopoutSessionPanel *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION_PANEL (self), NULL);
  return self->climber != NULL ? topout_climber_get_display_name (self->climber) : NULL;
}

void
topout_session_panel_set_climber_id (TopoutSessionPanel *self,
                                     const char         *climber_id)
{
  g_return_if_fail (TOPOUT_IS_SESSION_PANEL (self));

  if (g_strcmp0 (self->climber_id, climber_id) == 0)
    return;

  g_free (self->climber_id);
  self->climber_id = g_strdup (climber_id);
  g_clear_pointer (&self->shown_name, g_free);  /* the desk says it again */
  /* A new climber starts from the defaults, never from someone else's draft,
   * errors or scroll position: the name at the top is in sight. */
  reset_draft (self);
  if (self->climber_page != NULL)
    {
      clear_errors (self);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->climber_page)), 0);
    }
  if (self->constructed)
    refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIMBER_ID]);
}

void
topout_session_panel_update_elapsed (TopoutSessionPanel *self)
{
  g_return_if_fail (TOPOUT_IS_SESSION_PANEL (self));

  update_elapsed (self);
  /* Before a session starts the clock decides the slot shown. */
  if (self->session == NULL && self->climber != NULL)
    update_slot_controls (self);
}

TopoutClimbPicker *
topout_session_panel_get_climb_picker (TopoutSessionPanel *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION_PANEL (self), NULL);
  return ensure_picker (self);
}

void
topout_session_panel_set_shown_name (TopoutSessionPanel *self,
                                     const char         *climber_id,
                                     const char         *name)
{
  g_autofree char *label = NULL;

  g_return_if_fail (TOPOUT_IS_SESSION_PANEL (self));

  if (g_strcmp0 (climber_id, self->climber_id) != 0 || g_strcmp0 (name, self->shown_name) == 0)
    return;
  g_free (self->shown_name);
  self->shown_name = g_strdup (name);
  if (self->climber != NULL && self->climber_label != NULL)
    {
      label = climber_name (self);
      topout_label_set_text_if_changed (self->climber_label, label);
    }
  shorten_toast_names (self);
}
