#define G_LOG_DOMAIN "topout-history-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "topout-history-row.h"
#include "topout-store.h"
#include "topout-ui-util.h"

struct _TopoutHistoryRow
{
  AdwBin         parent_instance;

  TopoutSession *session;
  gulong         notify_id;
  gboolean       short_names;
  gboolean       local_only;   /* no sync server is set up */
  const char    *badge_class;  /* static string of topout_sync_state_css_class() */
  char          *badge_tooltip; /* why it did not sync, or NULL */
  gboolean       compact;      /* the badge is its icon alone (a narrow row) */

  /* Template children */
  GtkInscription *name_label;  /* inscriptions: no text layout to measure them */
  GtkLabel      *status_label;
  GtkInscription *meta_label;
  GtkInscription *counts_label;
  GtkLabel      *detail_label;
  GtkWidget     *badge;
  GtkSpinner    *badge_spinner;
  GtkImage      *badge_icon;
  GtkLabel      *badge_label;
  GtkButton     *action_button;

  GtkWidget     *keys_parent;  /* weak: the list's item that has our keys */
};

G_DEFINE_FINAL_TYPE (TopoutHistoryRow, topout_history_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SHORT_NAMES,
  PROP_LOCAL_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_badge_class (TopoutHistoryRow *self,
                 const char       *css_class)
{
  if (self->badge_class == css_class)
    return;
  if (self->badge_class != NULL)
    gtk_widget_remove_css_class (self->badge, self->badge_class);
  self->badge_class = css_class;
  if (css_class != NULL)
    gtk_widget_add_css_class (self->badge, css_class);
}

/* The badge's tooltip is asked for when the pointer rests on it
 * (query-tooltip), never set while binding: GTK 4.8 asks the X server where
 * the pointer is on every gtk_widget_set_tooltip_text(), and a round trip per
 * bound row made a jump through History take 100 ms and more. */
static gboolean
badge_query_tooltip_cb (TopoutHistoryRow *self,
                        int               x,
                        int               y,
                        gboolean          keyboard_mode,
                        GtkTooltip       *tooltip)
{
  const char *state = gtk_label_get_label (self->badge_label);

  if (self->compact && self->badge_tooltip != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s\n%s", state, self->badge_tooltip);

      gtk_tooltip_set_text (tooltip, text);
      return TRUE;
    }
  if (self->compact)
    {
      gtk_tooltip_set_text (tooltip, state);
      return TRUE;
    }
  if (self->badge_tooltip == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->badge_tooltip);
  return TRUE;
}

/* The climber's name, whole, where the row cut it (asked for only when
 * the pointer rests on it: nothing is measured while rows are bound). */
static gboolean
name_query_tooltip_cb (TopoutHistoryRow *self,
                       int               x,
                       int               y,
                       gboolean          keyboard_mode,
                       GtkTooltip       *tooltip)
{
  const char *name = gtk_inscription_get_text (self->name_label);
  g_autoptr (PangoLayout) layout = NULL;
  int width;

  if (name == NULL || *name == '\0')
    return FALSE;
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->name_label), name);
  pango_layout_get_pixel_size (layout, &width, NULL);
  if (width <= gtk_widget_get_width (GTK_WIDGET (self->name_label)))
    return FALSE;
  gtk_tooltip_set_text (tooltip, name);
  return TRUE;
}

/* A jump through History binds some 30 rows at once, mostly of a few
 * dates and of small counts: the texts that cost a locale lookup each are
 * made once (the UI's language does not change while it runs). */
static char *
format_date_cached (const char *date,
                    gboolean    short_form)
{
  /* [short_form]: a narrow row's date, without its weekday */
  static char *key[2], *text[2];

  if (g_strcmp0 (date, key[short_form]) != 0)
    {
      g_free (key[short_form]);
      g_free (text[short_form]);
      key[short_form] = g_strdup (date);
      text[short_form] = short_form ? topout_format_date_short (date) : topout_format_date (date);
    }
  return g_strdup (text[short_form]);
}

#define N_CACHED_COUNTS 128

static const char *
count_text (guint        n,
            gboolean     sends,
            char       **cache)
{
  char *text;

  if (n < N_CACHED_COUNTS && cache[n] != NULL)
    return cache[n];
  text = sends ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u send", "%u sends", n), n)
               : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u route", "%u routes", n), n);
  if (n < N_CACHED_COUNTS)
    return cache[n] = text;
  {
    /* Rare: kept for the process, like the cached ones. */
    const char *interned = g_intern_string (text);

    g_free (text);
    return interned;
  }
}

/* With no sync server set up, a finished session is not waiting for
 * anything: "Pending sync" on every row contradicted the header's "Kept on
 * this device". It looks like a session that never syncs until a server is
 * set up (it is still queued, and sent then). */
static TopoutSyncState
shown_sync_state (TopoutHistoryRow *self)
{
  TopoutSyncState state = topout_session_get_sync_state (self->session);

  return state == TOPOUT_SYNC_STATE_PENDING && self->local_only ? TOPOUT_SYNC_STATE_LOCAL : state;
}

/* The line under the climber: type · date · slot (after the session's
 * name when someone typed one). A narrow row's date (@short_date) has no
 * weekday, nor its year in this year, so that the slot at its end stays in
 * sight (German at 360 px: "Tension Board · Mo, 23. Nov 2026 · Vorm…");
 * screen readers hear the whole date. */
static char *
make_meta (TopoutHistoryRow *self,
           gboolean          short_date)
{
  TopoutSession *s = self->session;
  TopoutTimeSlot slot = topout_session_get_time_slot (s);
  const char *name = topout_session_get_name (s);
  g_autofree char *date = format_date_cached (topout_session_get_session_date (s), short_date);
  g_autofree char *when = slot != TOPOUT_TIME_SLOT_UNSET
    /* Translators: a history row: type · date · time slot */
    ? g_strdup_printf (_("%s · %s · %s"), topout_session_get_type_label (s), date, topout_time_slot_get_label (slot))
    /* Translators: a history row without a time slot: type · date */
    : g_strdup_printf (_("%s · %s"), topout_session_get_type_label (s), date);

  if (topout_session_name_is_automatic (s))
    return g_steal_pointer (&when);
  /* Translators: a history row: “session name” · type · date · slot */
  return g_strdup_printf (_("“%s” · %s"), name != NULL ? name : "", when);
}

static void
update_meta (TopoutHistoryRow *self)
{
  g_autofree char *meta = make_meta (self, self->compact);

  gtk_inscription_set_text (self->meta_label, meta);
}

static void
update (TopoutHistoryRow *self)
{
  TopoutSession *s = self->session;
  TopoutSyncState state;
  TopoutSessionStatus status;
  const char *state_label;
  g_autofree char *climber = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *a11y = NULL;
  g_autofree char *detail = NULL;
  gboolean has_reason;
  gboolean edit_helps = TRUE;
  gboolean whole;

  if (s == NULL)
    {
      gtk_inscription_set_text (self->name_label, NULL);
      gtk_inscription_set_text (self->meta_label, NULL);
      gtk_inscription_set_text (self->counts_label, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->detail_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->action_button), FALSE);
      gtk_spinner_stop (self->badge_spinner);
      set_badge_class (self, NULL);
      g_clear_pointer (&self->badge_tooltip, g_free);
      return;
    }

  state = shown_sync_state (self);
  status = topout_session_get_status (s);

  /* Who climbed is what a coach scans for; the session's own name is shown
   * only when someone typed one (the automatic one repeats type and date). */
  climber = topout_format_climber_name (topout_session_get_climber_name (s), self->short_names);
  gtk_inscription_set_text (self->name_label, climber);
  meta = make_meta (self, FALSE);
  if (self->compact)
    update_meta (self);
  else
    gtk_inscription_set_text (self->meta_label, meta);

  {
    static char *route_texts[N_CACHED_COUNTS], *send_texts[N_CACHED_COUNTS];

    /* Translators: "10 routes · 7 sends" */
    counts = g_strdup_printf (_("%s · %s"),
                              count_text (topout_session_get_n_routes (s), FALSE, route_texts),
                              count_text (topout_session_get_n_sends (s), TRUE, send_texts));
  }
  /* A competition's pair after them, from the row the page read: two
   * competitions of one evening read "Competition · Sat 21 Nov 2026 ·
   * Evening" alike. The line is cut in its middle (the .ui), so the counts
   * and the id's end, where rounds differ, stay in sight. */
  {
    g_autofree char *pair = topout_format_session_competition (s);

    if (pair != NULL)
      {
        /* Translators: a competition's history row: its counts, then its
         * competition: "10 routes · 7 sends · LEAGUE · 2026-r3" */
        g_autofree char *with_pair = g_strdup_printf (_("%s · %s"), counts, pair);

        g_free (counts);
        counts = g_steal_pointer (&with_pair);
      }
  }
  gtk_inscription_set_text (self->counts_label, counts);

  if (status == TOPOUT_SESSION_STATUS_COMPLETED)
    gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
  else
    {
      topout_label_set_text_if_changed (self->status_label, topout_session_status_get_label (status));
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
      if (status == TOPOUT_SESSION_STATUS_CANCELLED)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "cancelled");
          gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "active");
        }
      else
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "active");
          gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "cancelled");
        }
    }

  /* The sync badge */
  /* Most rows a jump re-binds keep their badge: set only what changes
   * (GTK 4.8 lays a label out again even for the same text). */
  state_label = topout_sync_state_get_label (state);
  if (g_strcmp0 (gtk_label_get_label (self->badge_label), state_label) != 0)
    {
      gtk_label_set_label (self->badge_label, state_label);
      /* Its name also where the badge is its icon alone. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->badge),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, state_label,
                                      -1);
    }
  if (g_strcmp0 (gtk_image_get_icon_name (self->badge_icon), topout_sync_state_icon_name (state)) != 0)
    gtk_image_set_from_icon_name (self->badge_icon, topout_sync_state_icon_name (state));
  set_badge_class (self, topout_sync_state_css_class (state));
  if (state == TOPOUT_SYNC_STATE_SYNCING)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->badge_icon), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->badge_spinner), TRUE);
      gtk_spinner_start (self->badge_spinner);
    }
  else
    {
      gtk_spinner_stop (self->badge_spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->badge_spinner), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->badge_icon), TRUE);
    }

  /* What went wrong, and what to do, for every state that waits: a failure
   * (retried by itself, or now), a rejection (waits for an edit: sent again
   * as it is, it is refused again) and a conflict (waits for a choice). */
  detail = topout_sync_detail (s, state, &edit_helps);
  has_reason = detail != NULL;
  if (has_reason)
    {
      gtk_label_set_label (self->detail_label, detail);
      /* A refusal and a conflict wait for the coach, and say what to do:
       * whole, however many lines that takes (at 360 px, beside the badge
       * and Edit…, the advice was cut after two: "… Edit the attempts of
       * its r…"). A failure is retried by itself, and its reason (the
       * network's, the server's: any length) keeps to two lines, whole in
       * the badge's tooltip. */
      whole = state != TOPOUT_SYNC_STATE_FAILED;
      gtk_label_set_lines (self->detail_label, whole ? -1 : 2);
      gtk_label_set_ellipsize (self->detail_label, whole ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
      g_free (self->badge_tooltip);
      self->badge_tooltip = g_strdup (detail);
      gtk_widget_set_visible (GTK_WIDGET (self->detail_label), TRUE);
    }
  else
    {
      g_free (self->badge_tooltip);
      self->badge_tooltip = state != topout_session_get_sync_state (s)
                            ? g_strdup (_("No sync server is set up. The session is sent when one is set up in Preferences."))
                            : NULL;
      gtk_widget_set_visible (GTK_WIDGET (self->detail_label), FALSE);
    }

  /* A refusal no edit can mend offers no Edit button. */
  if (has_reason && edit_helps)
    {
      g_autofree char *button_a11y = NULL;
      const char *action;

      /* The accessible names tell the rows apart: the climber, then type,
       * date and slot (three climbers' "Fun · 2026-11-22" sounded alike). */
      if (state == TOPOUT_SYNC_STATE_FAILED)
        {
          gtk_button_set_label (self->action_button, _("Retry"));
          action = "history.retry";
          /* Translators: accessible label of a row's Retry button: the
           * climber, then "Power · Sat 21 Nov 2026 · Evening" */
          button_a11y = g_strdup_printf (_("Retry sync of %s, %s"), climber, meta);
        }
      else if (state == TOPOUT_SYNC_STATE_REJECTED)
        {
          gtk_button_set_label (self->action_button, _("Edit…"));
          action = "history.open-session";
          /* Translators: accessible label of a refused row's Edit button: the
           * climber, then "Power · Sat 21 Nov 2026 · Evening" */
          button_a11y = g_strdup_printf (_("Edit refused session of %s, %s"), climber, meta);
        }
      else
        {
          gtk_button_set_label (self->action_button, _("Keep This Device’s Version"));
          action = "history.keep-local";
          /* Translators: accessible label of a row's conflict button: the
           * climber, then "Power · Sat 21 Nov 2026 · Evening" */
          button_a11y = g_strdup_printf (_("Keep this device’s version of %s, %s"), climber, meta);
        }
      /* The target first: an action name without its target would warn. */
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->action_button),
                                              g_variant_new_string (topout_session_get_id (s)));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->action_button), action);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->action_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, button_a11y,
                                      -1);
      gtk_widget_set_visible (GTK_WIDGET (self->action_button), TRUE);
    }
  else
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->action_button), NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->action_button), FALSE);
    }

  /* What the row shows, in its order: the climber; type, date and slot (or
   * the typed name); routes and sends; the sync state, and the session's
   * state when it is not completed. */
  if (status == TOPOUT_SESSION_STATUS_COMPLETED)
    /* Translators: what a screen reader says for a history row:
     * "Ada L., Power · Sat 21 Nov 2026 · Evening, 3 routes · 2 sends, Pending sync" */
    a11y = g_strdup_printf (_("%s, %s, %s, %s"), climber, meta, counts, state_label);
  else
    /* Translators: the same for a session not completed; the last is
     * "Active" or "Cancelled" */
    a11y = g_strdup_printf (_("%s, %s, %s, %s, %s"), climber, meta, counts, state_label,
                            topout_session_status_get_label (status));
  if (detail != NULL)
    {
      /* Translators: a history row's accessible name, then why it did not
       * sync (heard with the row, as it is seen under it) */
      g_autofree char *with_reason = g_strdup_printf (_("%s. %s"), a11y, detail);

      g_free (a11y);
      a11y = g_steal_pointer (&with_reason);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                  -1);
  /* The list's own item around the row is what takes the focus and what a
   * screen reader announces (GTK 4.8 names it "GtkListItemWidget"). */
  if (gtk_widget_get_parent (GTK_WIDGET (self)) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self))),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                    -1);
}

/* Keyboard -----------------------------------------------------------------
 *
 * GTK 4.8's list item gives the focus to the first child that takes it,
 * never to itself when one does: with a focusable Retry, "Edit…" or "Keep
 * This Device's Version", the arrows landed on the button and Enter ran it
 * (a failed or conflicting session could not be opened by keyboard). So
 * the button takes no focus of its own: the arrows and Enter reach the
 * list's item (Enter opens the session, as a tap does), Tab goes from it to
 * its button and on out of the list (the list's own Tab), Shift+Tab from
 * the button back to the item. Set up once per row, when the list gives it
 * its item; nothing of it runs while rows are bound. */
static gboolean
item_key_pressed_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     TopoutHistoryRow      *self)
{
  GtkWidget *item = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *button = GTK_WIDGET (self->action_button);
  GtkRoot *root = gtk_widget_get_root (item);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gboolean backward = keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) != 0;

  if (keyval != GDK_KEY_Tab && keyval != GDK_KEY_KP_Tab && keyval != GDK_KEY_ISO_Left_Tab)
    return FALSE;
  if (item != gtk_widget_get_parent (GTK_WIDGET (self)) || focus == NULL)
    return FALSE;
  if (!backward && focus == item &&
      gtk_widget_get_visible (button) && gtk_widget_is_sensitive (button))
    {
      gtk_widget_set_focusable (button, TRUE);
      return gtk_widget_grab_focus (button);
    }
  if (backward && focus == button)
    {
      gtk_widget_set_focusable (button, FALSE);
      return gtk_widget_grab_focus (item);
    }
  return FALSE;
}

/* Once the focus has left the button, the arrows must pass it by again. */
static void
button_focus_changed_cb (GtkWidget *button)
{
  if (!gtk_widget_has_focus (button))
    gtk_widget_set_focusable (button, FALSE);
}

static void
parent_changed_cb (TopoutHistoryRow *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  GtkEventController *keys;

  if (parent == NULL || parent == self->keys_parent)
    return;
  g_set_weak_pointer (&self->keys_parent, parent);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (keys, "topout-history-row-keys");
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (item_key_pressed_cb), self, 0);
  gtk_widget_add_controller (parent, keys);
}

/* Measuring ---------------------------------------------------------------
 *
 * GTK 4.8's list view keeps about 200 rows and, after a jump, binds and
 * measures every one of them (across, then along) before it allocates them,
 * which measures their labels again: text layout three times over for rows
 * mostly off screen. A plain row (no reason, no button: all but failed and
 * conflicting sessions) has one height whatever its text (its labels are
 * single lines) and a width that depends only on what it shows besides
 * ellipsized text; so the first plain row of each kind measured answers for
 * the others (the row measures and allocates its child itself: AdwBin's
 * layout manager would bypass measure()). The cache is dropped when fonts, their scale or the contrast
 * change (watch_size_changes()) and when a row's scale factor changes. */
#define N_SYNC_STATES (TOPOUT_SYNC_STATE_CONFLICT + 1)

typedef struct {
  gboolean valid;
  int      min, nat;
} SizeCache;

/* [sync state][status label shown][orientation] */
static SizeCache size_cache[N_SYNC_STATES][2][2];

static SizeCache *
cache_slot (TopoutHistoryRow *self,
            GtkOrientation    orientation)
{
  int state;

  if (self->session == NULL ||
      gtk_widget_get_visible (GTK_WIDGET (self->detail_label)) ||
      gtk_widget_get_visible (GTK_WIDGET (self->action_button)))
    return NULL;
  state = (int) shown_sync_state (self);
  if (state < 0 || state >= N_SYNC_STATES)
    return NULL;
  return &size_cache[state][gtk_widget_get_visible (GTK_WIDGET (self->status_label)) ? 1 : 0][orientation];
}

/* A narrow row: the sync badge is its icon alone (its text is its tooltip
 * and its accessible name), so that the climber's name, the "Active" tag and
 * the line under them keep their room. The row is narrow when, beside the
 * widest badge text, the text beside it would have fewer than
 * NAME_ROOM_CHARS characters: every plain row of a list decides alike. Its
 * minimum width is the one with the icon alone; its natural width, the one
 * with the text. Decided in size_allocate() from the width alone (the same
 * width, the same choice: it is made again only when the width crosses the
 * line); no widget is added to the row. */
#define NAME_ROOM_CHARS 28

static int widest_badge_text = -1;  /* px: the widest sync state's label, and the badge's spacing */
static int name_room = -1;          /* px: NAME_ROOM_CHARS characters of the name's font */
static gboolean last_compact;       /* what the latest row chose: where a new row starts */

static void
measure_badge_texts (TopoutHistoryRow *self)
{
  PangoContext *context;
  PangoFontMetrics *metrics;

  if (widest_badge_text >= 0)
    return;
  widest_badge_text = 0;
  for (int state = 0; state < N_SYNC_STATES; state++)
    {
      const char *label = topout_sync_state_get_label ((TopoutSyncState) state);
      g_autoptr (PangoLayout) layout = NULL;
      int width;

      if (label == NULL)
        continue;
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->badge_label), label);
      pango_layout_get_pixel_size (layout, &width, NULL);
      widest_badge_text = MAX (widest_badge_text, width);
    }
  widest_badge_text += gtk_box_get_spacing (GTK_BOX (self->badge));
  context = gtk_widget_get_pango_context (GTK_WIDGET (self->name_label));
  metrics = pango_context_get_metrics (context, NULL, NULL);
  name_room = NAME_ROOM_CHARS * pango_font_metrics_get_approximate_char_width (metrics) / PANGO_SCALE;
  pango_font_metrics_unref (metrics);
}

/* The badge's text with its spacing, as the row's child counts it now. */
static int
badge_text_width (TopoutHistoryRow *self)
{
  int min;

  if (!gtk_widget_get_visible (GTK_WIDGET (self->badge_label)))
    return 0;
  gtk_widget_measure (GTK_WIDGET (self->badge_label), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min + gtk_box_get_spacing (GTK_BOX (self->badge));
}

static void
set_compact (TopoutHistoryRow *self,
             gboolean          compact)
{
  last_compact = compact;
  if (self->compact == compact)
    return;
  self->compact = compact;
  gtk_widget_set_visible (GTK_WIDGET (self->badge_label), !compact);
  if (self->session != NULL)
    update_meta (self);
}

static void
topout_history_row_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  TopoutHistoryRow *self = TOPOUT_HISTORY_ROW (widget);
  SizeCache *slot = cache_slot (self, orientation);

  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (slot != NULL && slot->valid)
    {
      *minimum = slot->min;
      *natural = slot->nat;
      return;
    }
  *minimum = *natural = 0;
  if (child != NULL && gtk_widget_should_layout (child))
    {
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          int text = badge_text_width (self);

          gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
          /* At least the icon alone, at ease the text too. */
          *minimum -= text;
          if (text == 0)
            {
              int min;

              gtk_widget_measure (GTK_WIDGET (self->badge_label), orientation, -1, &min, NULL, NULL, NULL);
              *natural += min + gtk_box_get_spacing (GTK_BOX (self->badge));
            }
        }
      else
        {
          int child_min = 0;

          /* Not narrower than the child as it is now (its badge's text is
           * hidden only once the row is allocated that narrow): the height
           * does not depend on it. */
          if (for_size >= 0)
            gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, NULL, NULL, NULL);
          gtk_widget_measure (child, orientation, for_size >= 0 ? MAX (for_size, child_min) : for_size,
                              minimum, natural, minimum_baseline, natural_baseline);
        }
    }
  /* Baselines are not cached: a row measured for one is measured for real. */
  if (slot != NULL && *minimum_baseline == -1 && *natural_baseline == -1)
    {
      slot->valid = TRUE;
      slot->min = *minimum;
      slot->nat = *natural;
    }
}

static void
topout_history_row_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  TopoutHistoryRow *self = TOPOUT_HISTORY_ROW (widget);
  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (child == NULL || !gtk_widget_should_layout (child))
    return;
  if (self->session != NULL)
    {
      int min, base;

      measure_badge_texts (self);
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      /* What a plain row has besides its text: margins, spacing, the icon. */
      base = min - badge_text_width (self);
      if (gtk_widget_get_visible (GTK_WIDGET (self->status_label)))
        {
          int status;

          gtk_widget_measure (GTK_WIDGET (self->status_label), GTK_ORIENTATION_HORIZONTAL, -1,
                              &status, NULL, NULL, NULL);
          base -= status + 8;
        }
      if (gtk_widget_get_visible (GTK_WIDGET (self->action_button)))
        {
          int button;

          gtk_widget_measure (GTK_WIDGET (self->action_button), GTK_ORIENTATION_HORIZONTAL, -1,
                              &button, NULL, NULL, NULL);
          base -= button + 12;
        }
      set_compact (self, width - base - widest_badge_text < name_room);
    }
  gtk_widget_allocate (child, width, height, baseline, NULL);
}

static GtkSizeRequestMode
topout_history_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
clear_size_cache (void)
{
  memset (size_cache, 0, sizeof size_cache);
  widest_badge_text = name_room = -1;
}

/* What changes the size of text and borders: fonts, their scale, high
 * contrast. (Not every style change: positional ones come with every
 * scroll.) */
static void
watch_size_changes (void)
{
  static gboolean watching;
  GtkSettings *settings = gtk_settings_get_default ();

  if (watching || settings == NULL)
    return;
  watching = TRUE;
  g_signal_connect (settings, "notify::gtk-font-name", G_CALLBACK (clear_size_cache), NULL);
  g_signal_connect (settings, "notify::gtk-xft-dpi", G_CALLBACK (clear_size_cache), NULL);
  g_signal_connect (adw_style_manager_get_default (), "notify::high-contrast",
                    G_CALLBACK (clear_size_cache), NULL);
}

static void
session_notify_cb (TopoutHistoryRow *self)
{
  update (self);
}

static void
topout_history_row_dispose (GObject *object)
{
  TopoutHistoryRow *self = TOPOUT_HISTORY_ROW (object);

  if (self->session != NULL)
    g_clear_signal_handler (&self->notify_id, self->session);
  g_clear_object (&self->session);
  g_clear_pointer (&self->badge_tooltip, g_free);
  g_clear_weak_pointer (&self->keys_parent);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOPOUT_TYPE_HISTORY_ROW);

  G_OBJECT_CLASS (topout_history_row_parent_class)->dispose (object);
}

static void
topout_history_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TopoutHistoryRow *self = TOPOUT_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_SHORT_NAMES:
      g_value_set_boolean (value, self->short_names);
      break;

    case PROP_LOCAL_ONLY:
      g_value_set_boolean (value, self->local_only);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_history_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TopoutHistoryRow *self = TOPOUT_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      topout_history_row_set_session (self, g_value_get_object (value));
      break;

    case PROP_SHORT_NAMES:
      topout_history_row_set_short_names (self, g_value_get_boolean (value));
      break;

    case PROP_LOCAL_ONLY:
      topout_history_row_set_local_only (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_history_row_class_init (TopoutHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = topout_history_row_dispose;
  object_class->get_property = topout_history_row_get_property;
  object_class->set_property = topout_history_row_set_property;
  widget_class->measure = topout_history_row_measure;
  widget_class->size_allocate = topout_history_row_size_allocate;
  widget_class->get_request_mode = topout_history_row_get_request_mode;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TOPOUT_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHORT_NAMES] =
    g_param_spec_boolean ("short-names", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCAL_ONLY] =
    g_param_spec_boolean ("local-only", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/topout-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryRow, counts_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryRow, badge);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryRow, badge_spinner);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryRow, badge_icon);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryRow, badge_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutHistoryRow, action_button);
}

static void
topout_history_row_init (TopoutHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_has_tooltip (self->badge, TRUE);
  g_signal_connect_swapped (self->badge, "query-tooltip", G_CALLBACK (badge_query_tooltip_cb), self);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->name_label), TRUE);
  g_signal_connect_swapped (self->name_label, "query-tooltip", G_CALLBACK (name_query_tooltip_cb), self);
  /* As the rows before it, until it is allocated. */
  self->compact = last_compact;
  gtk_widget_set_visible (GTK_WIDGET (self->badge_label), !self->compact);
  /* AdwBin measures through a GtkBinLayout, which would bypass measure(). */
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  watch_size_changes ();
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (clear_size_cache), NULL);
  g_signal_connect (self, "notify::parent", G_CALLBACK (parent_changed_cb), NULL);
  g_signal_connect (self->action_button, "notify::has-focus", G_CALLBACK (button_focus_changed_cb), NULL);
  update (self);
}

GtkWidget *
topout_history_row_new (void)
{
  return g_object_new (TOPOUT_TYPE_HISTORY_ROW, NULL);
}

TopoutSession *
topout_history_row_get_session (TopoutHistoryRow *self)
{
  g_return_val_if_fail (TOPOUT_IS_HISTORY_ROW (self), NULL);

  return self->session;
}

void
topout_history_row_set_session (TopoutHistoryRow *self,
                                TopoutSession    *session)
{
  g_return_if_fail (TOPOUT_IS_HISTORY_ROW (self));
  g_return_if_fail (session == NULL || TOPOUT_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_clear_signal_handler (&self->notify_id, self->session);
  g_set_object (&self->session, session);
  /* Snapshots are normally replaced, not changed; follow a change anyway. */
  if (session != NULL)
    self->notify_id = g_signal_connect_swapped (session, "notify",
                                                G_CALLBACK (session_notify_cb), self);
  update (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

gboolean
topout_history_row_get_short_names (TopoutHistoryRow *self)
{
  g_return_val_if_fail (TOPOUT_IS_HISTORY_ROW (self), FALSE);

  return self->short_names;
}

void
topout_history_row_set_short_names (TopoutHistoryRow *self,
                                    gboolean          short_names)
{
  g_return_if_fail (TOPOUT_IS_HISTORY_ROW (self));

  short_names = !!short_names;
  if (self->short_names == short_names)
    return;
  self->short_names = short_names;
  update (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHORT_NAMES]);
}

gboolean
topout_history_row_get_local_only (TopoutHistoryRow *self)
{
  g_return_val_if_fail (TOPOUT_IS_HISTORY_ROW (self), FALSE);

  return self->local_only;
}

void
topout_history_row_set_local_only (TopoutHistoryRow *self,
                                   gboolean          local_only)
{
  g_return_if_fail (TOPOUT_IS_HISTORY_ROW (self));

  local_only = !!local_only;
  if (self->local_only == local_only)
    return;
  self->local_only = local_only;
  update (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_ONLY]);
}

const char *
topout_history_row_get_badge_tooltip (TopoutHistoryRow *self)
{
  g_return_val_if_fail (TOPOUT_IS_HISTORY_ROW (self), NULL);

  return self->badge_tooltip;
}

gboolean
topout_history_row_get_compact (TopoutHistoryRow *self)
{
  g_return_val_if_fail (TOPOUT_IS_HISTORY_ROW (self), FALSE);

  return self->compact;
}
