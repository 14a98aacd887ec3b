#define G_LOG_DOMAIN "topout-climb-picker"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "topout-climb-picker.h"
#include "topout-catalog-view.h"
#include "topout-color-swatch.h"
#include "topout-limits.h"
#include "topout-ui-util.h"

#define PICKER_LIMIT 50
/* GtkRevealer's own duration. (Transition type "none" would keep the
 * hidden controls' space in GTK 4.8: the duration goes to 0 instead.) */
#define REVEAL_DURATION_MS 250

struct _TopoutClimbPicker
{
  AdwBin              parent_instance;

  TopoutStore        *store;
  char               *climber_id;
  GPtrArray          *climbs;          /* of TopoutClimb*, as listed */
  TopoutClimb        *selected;
  gboolean            order_stale;     /* a log happened since the list was read */
  gboolean            can_add_climbs;  /* not on a locked kiosk */

  /* Template children */
  GtkSearchEntry     *search_entry;
  GtkRevealer        *log_revealer;
  TopoutColorSwatch  *selected_swatch;
  GtkLabel           *selected_name;
  GtkLabel           *selected_detail;
  GtkSpinButton      *attempts_spin;
  GtkLabel           *attempts_error;
  GtkEntry           *note_entry;
  GtkWidget          *sent_button;
  GtkWidget          *not_sent_button;
  GtkStack           *list_stack;
  GtkListBox         *climb_list;
  AdwStatusPage      *empty_page;
  GtkWidget          *empty_add_button;
  GtkWidget          *no_match_add_button;
};

G_DEFINE_FINAL_TYPE (TopoutClimbPicker, topout_climb_picker, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIMBER_ID,
  N_PROPS
};

enum {
  PICKED,
  DISMISSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
climb_detail (TopoutClimb *climb)
{
  const char *grade = topout_climb_get_grade (climb);
  const char *wall = topout_climb_get_wall (climb);
  const char *color = topout_color_name_for (topout_climb_get_color (climb));
  GString *s = g_string_new (grade ? grade : "");

  /* The parts are joined by a middle dot: "V4 · Red · Cave". */
  if (color != NULL)
    g_string_append_printf (s, "%s%s", s->len ? " · " : "", color);
  if (wall != NULL && *wall != '\0')
    g_string_append_printf (s, "%s%s", s->len ? " · " : "", wall);
  return g_string_free (s, FALSE);
}

static GtkWidget *
make_climb_row (TopoutClimb *climb)
{
  g_autofree char *detail = climb_detail (climb);
  g_autofree char *a11y = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *swatch = topout_color_swatch_new (topout_climb_get_color (climb));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), topout_climb_get_name (climb));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), detail);
  topout_color_swatch_set_size (TOPOUT_COLOR_SWATCH (swatch), 32);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), swatch);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "picker.select-climb");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", topout_climb_get_id (climb));
  gtk_widget_add_css_class (row, "big-row");

  /* Translators: accessible name of a climb row: "Crimp Cathedral, V4 · Red · Cave" */
  a11y = g_strdup_printf (_("%s, %s"), topout_climb_get_name (climb), detail);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  return row;
}

static gboolean
color_matches (TopoutClimb *climb,
               const char  *folded_query)
{
  const char *name = topout_color_name_for (topout_climb_get_color (climb));
  g_autofree char *folded = NULL;

  if (name == NULL)
    return FALSE;
  folded = g_utf8_casefold (name, -1);
  return g_str_has_prefix (folded, folded_query);
}

/* The store matches the colour column as text ("#e01b24"); people type
 * "red". Climbs whose colour is nearest to a named colour that starts with
 * the query are added, in the store's order (recent first). */
static GPtrArray *
find_climbs (TopoutClimbPicker *self,
             const char        *query)
{
  g_autoptr (GPtrArray) found = topout_store_find_climbs (self->store, query, self->climber_id, PICKER_LIMIT);
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GHashTable) ids = NULL;
  g_autofree char *folded = NULL;
  GPtrArray *result;

  if (query == NULL || g_utf8_strlen (query, -1) < 3)
    return g_steal_pointer (&found);

  folded = g_utf8_casefold (query, -1);
  all = topout_store_find_climbs (self->store, NULL, self->climber_id, 0);
  ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < found->len; i++)
    g_hash_table_add (ids, (gpointer) topout_climb_get_id (g_ptr_array_index (found, i)));

  result = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < all->len && result->len < PICKER_LIMIT; i++)
    {
      TopoutClimb *climb = g_ptr_array_index (all, i);

      if (g_hash_table_contains (ids, topout_climb_get_id (climb)) || color_matches (climb, folded))
        g_ptr_array_add (result, g_object_ref (climb));
    }
  return result;
}

/* Sent and Not sent say which climb they log ("Sent: Crimp Cathedral, V4"):
 * the focus goes to Sent once a climb is chosen, and a screen reader said
 * "Sent" alone, the climb chosen never heard. Their names start with what
 * they show, for voice control. */
static void
name_log_buttons (TopoutClimbPicker *self,
                  TopoutClimb       *climb)
{
  const char *grade = topout_climb_get_grade (climb);
  g_autofree char *climb_text = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *not_sent = NULL;

  if (grade != NULL && *grade != '\0')
    /* Translators: a climb and its grade, in the Sent and Not sent
     * buttons' accessible names: "Crimp Cathedral, V4" */
    climb_text = g_strdup_printf (_("%s, %s"), topout_climb_get_name (climb), grade);
  else
    climb_text = g_strdup (topout_climb_get_name (climb));
  /* Translators: accessible name of the Sent button, with the climb it
   * logs: "Sent: Crimp Cathedral, V4" */
  sent = g_strdup_printf (_("Sent: %s"), climb_text);
  /* Translators: accessible name of the Not sent button, with the climb it
   * logs: "Not sent: Crimp Cathedral, V4" */
  not_sent = g_strdup_printf (_("Not sent: %s"), climb_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sent_button), GTK_ACCESSIBLE_PROPERTY_LABEL, sent, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->not_sent_button), GTK_ACCESSIBLE_PROPERTY_LABEL, not_sent, -1);
}

static void
set_selected (TopoutClimbPicker *self,
              TopoutClimb       *climb)
{
  g_set_object (&self->selected, climb);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "picker.log-sent", climb != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "picker.log-not-sent", climb != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "picker.unselect", climb != NULL);

  if (climb != NULL)
    {
      g_autofree char *detail = climb_detail (climb);

      topout_label_set_text_if_changed (self->selected_name, topout_climb_get_name (climb));
      topout_label_set_text_if_changed (self->selected_detail, detail);
      topout_color_swatch_set_color (self->selected_swatch, topout_climb_get_color (climb));
      name_log_buttons (self, climb);
    }
  /* The log controls slide in when a climb is chosen, and go at once when
   * the route is logged (or the choice dropped): a closing slide moves the
   * list under them, and everything below it, at every frame for a quarter
   * of a second, just when the next tap comes. */
  gtk_revealer_set_transition_duration (self->log_revealer, climb != NULL ? REVEAL_DURATION_MS : 0);
  gtk_revealer_set_reveal_child (self->log_revealer, climb != NULL);
}

/* Once the log controls are shown, they are scrolled into view: on a short
 * screen a climb tapped low in the list opened them below the fold, and
 * nothing said so (Sent and Not sent were out of reach of the finger).
 * Where they are is read once they are laid out open: reckoned before,
 * the scrolled window's old height held the scroll short, and whatever
 * the same layout moved above them (a narrow window's time slots taking
 * two rows) pushed them down again, out of sight. Where the card is
 * higher than the view (a short, narrow window: 224 px under the bars at
 * 400 x 420), Sent and Not sent are in it, the climb's name scrolled out. */
static void
log_revealed_cb (TopoutClimbPicker *self)
{
  if (gtk_revealer_get_child_revealed (self->log_revealer))
    topout_scroll_into_view_when_shown_full (GTK_WIDGET (self->log_revealer),
                                             gtk_widget_get_ancestor (self->sent_button, GTK_TYPE_FLOW_BOX));
}

/* What a climb's row shows: a row whose key is unchanged is kept. */
static char *
climb_key (TopoutClimb *climb)
{
  g_autofree char *detail = climb_detail (climb);

  return g_strdup_printf ("%s\x1f%s\x1f%s\x1f%s", topout_climb_get_id (climb), topout_climb_get_name (climb),
                          detail, topout_climb_get_color (climb) ? topout_climb_get_color (climb) : "");
}

/* Whether the catalog holds a climb to log at all: a search in an empty
 * catalog (a gym's first day) says so and how to fill it, not "try a
 * grade such as V4". Asked only when a search found nothing. */
static gboolean
catalog_has_climbs (TopoutClimbPicker *self)
{
  g_autoptr (GPtrArray) any = topout_store_find_climbs (self->store, NULL, NULL, 1);

  return any->len > 0;
}

/* The rows keep the order of self->climbs: each holds its rank there. */
static int
sort_by_rank (GtkListBoxRow *a,
              GtkListBoxRow *b,
              gpointer       user_data)
{
  guint ra = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (a), "topout-rank"));
  guint rb = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (b), "topout-rank"));

  return (ra > rb) - (ra < rb);
}

/* Lists the climbs again. Rows of climbs still listed, unchanged, stay and
 * only move: a log reorders the recent climbs, and building every row again
 * (text layout, accessibility) each time made a tap slow. */
static void
reload (TopoutClimbPicker *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr (GHashTable) old_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkListBoxRow *row;
  gboolean moved = FALSE;

  g_clear_pointer (&self->climbs, g_ptr_array_unref);
  self->order_stale = FALSE;
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->climb_list, i)) != NULL; i++)
    g_hash_table_insert (old_rows, g_strdup (g_object_get_data (G_OBJECT (row), "topout-climb-key")), row);

  if (self->store != NULL)
    self->climbs = find_climbs (self, query);

  for (guint i = 0; self->climbs != NULL && i < self->climbs->len; i++)
    {
      TopoutClimb *climb = g_ptr_array_index (self->climbs, i);
      g_autofree char *key = climb_key (climb);
      GtkWidget *kept = g_hash_table_lookup (old_rows, key);

      if (kept != NULL)
        {
          if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (kept), "topout-rank")) != i + 1)
            moved = TRUE;
          g_object_set_data (G_OBJECT (kept), "topout-rank", GUINT_TO_POINTER (i + 1));
          g_hash_table_remove (old_rows, key);
        }
      else
        {
          GtkWidget *fresh = make_climb_row (climb);

          g_object_set_data (G_OBJECT (fresh), "topout-rank", GUINT_TO_POINTER (i + 1));
          g_object_set_data_full (G_OBJECT (fresh), "topout-climb-key", g_steal_pointer (&key), g_free);
          gtk_list_box_append (self->climb_list, fresh);
        }
    }

  /* The climbs no longer listed. */
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, old_rows);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      gtk_list_box_remove (self->climb_list, GTK_WIDGET (value));
  }
  if (moved)
    gtk_list_box_invalidate_sort (self->climb_list);

  if (self->store == NULL)
    return;

  if (self->climbs->len > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (query != NULL && *query != '\0' && catalog_has_climbs (self))
    gtk_stack_set_visible_child_name (self->list_stack, "no-match");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

static void
search_changed_cb (TopoutClimbPicker *self)
{
  reload (self);
}

/* Enter in the search field: the first climb listed, and the focus on
 * Sent, so that Enter again logs a send. */
static void
search_activate_cb (TopoutClimbPicker *self)
{
  reload (self);
  if (self->climbs != NULL && self->climbs->len > 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "picker.select-climb", "s",
                                  topout_climb_get_id (g_ptr_array_index (self->climbs, 0)));
      if (self->selected != NULL)
        gtk_widget_grab_focus (self->sent_button);
    }
}

/* The window shows focus rings once a key moved the focus and hides them at
 * the next click or touch: the person uses the keyboard. */
static gboolean
keyboard_in_use (TopoutClimbPicker *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) && gtk_window_get_focus_visible (GTK_WINDOW (root));
}

static void
select_climb_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TopoutClimbPicker *self = TOPOUT_CLIMB_PICKER (widget);
  const char *climb_id = g_variant_get_string (param, NULL);
  g_autoptr (TopoutClimb) climb = NULL;

  for (guint i = 0; self->climbs != NULL && i < self->climbs->len && climb == NULL; i++)
    if (g_strcmp0 (topout_climb_get_id (g_ptr_array_index (self->climbs, i)), climb_id) == 0)
      climb = g_object_ref (g_ptr_array_index (self->climbs, i));
  if (climb == NULL && self->store != NULL)
    climb = topout_store_get_climb (self->store, climb_id, NULL);
  if (climb == NULL)
    {
      g_debug ("Unknown climb %s", climb_id);
      return;
    }

  set_selected (self, climb);
  /* Keyboard flow: Enter on a climb's row, then Enter again logs a send. A
   * tap leaves the focus where it is: a finger does not need it, and moving
   * it into the log controls and out again when they close cost about 4 ms
   * of restyling and layout at every tap (scenario 2 of BENCHMARKS.md). */
  if (keyboard_in_use (self))
    gtk_widget_grab_focus (self->sent_button);
}

/* The climb just added from the picker is the one chosen: log it now. */
static void
climb_added_cb (GtkWidget   *owner,
                TopoutClimb *climb)
{
  TopoutClimbPicker *self = TOPOUT_CLIMB_PICKER (owner);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  reload (self);
  set_selected (self, climb);
  gtk_widget_grab_focus (self->sent_button);
}

/* No climb to log (a climber at home has no gym catalog): add one here,
 * named as searched, rather than in the Catalog view. */
static void
add_climb_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TopoutClimbPicker *self = TOPOUT_CLIMB_PICKER (widget);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  if (self->can_add_climbs && self->store != NULL)
    topout_climb_form_present (widget, self->store, *name != '\0' ? name : NULL, climb_added_cb);
}

/* Escape in the search: it clears what was typed; in an empty search it
 * is the owner's (::dismissed). */
static void
search_stopped_cb (TopoutClimbPicker *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  else if (self->selected == NULL)
    g_signal_emit (self, signals[DISMISSED], 0);
}

static void
unselect_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TopoutClimbPicker *self = TOPOUT_CLIMB_PICKER (widget);

  set_selected (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
clear_attempts_error (TopoutClimbPicker *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->attempts_error), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->attempts_spin), "error");
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->attempts_spin), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_reset_state (GTK_ACCESSIBLE (self->attempts_spin), GTK_ACCESSIBLE_STATE_INVALID);
}

static void
emit_picked (TopoutClimbPicker *self,
             gboolean           is_success)
{
  g_autofree char *note = NULL;
  g_autofree char *climb_id = NULL;
  guint attempts;

  if (self->selected == NULL)
    return;

  /* What was typed, before the spin button clamps it: 1500 is not 999. */
  {
    g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->attempts_spin))));
    guint64 value = 0;

    if (!g_ascii_string_to_unsigned (typed, 10, TOPOUT_LIMIT_ATTEMPTS_MIN, TOPOUT_LIMIT_ATTEMPTS_MAX, &value, NULL))
      {
        /* Translators: %d and %d are the fewest and most attempts, 1 and 999 */
        g_autofree char *message = g_strdup_printf (_("Attempts are a whole number from %d to %d."),
                                                    TOPOUT_LIMIT_ATTEMPTS_MIN, TOPOUT_LIMIT_ATTEMPTS_MAX);

        gtk_label_set_label (self->attempts_error, message);
        gtk_widget_set_visible (GTK_WIDGET (self->attempts_error), TRUE);
        gtk_widget_add_css_class (GTK_WIDGET (self->attempts_spin), "error");
        gtk_accessible_update_property (GTK_ACCESSIBLE (self->attempts_spin), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                        message, -1);
        gtk_accessible_update_state (GTK_ACCESSIBLE (self->attempts_spin), GTK_ACCESSIBLE_STATE_INVALID,
                                     GTK_ACCESSIBLE_INVALID_TRUE, -1);
        gtk_widget_grab_focus (GTK_WIDGET (self->attempts_spin));
        return;
      }
  }
  clear_attempts_error (self);
  gtk_spin_button_update (self->attempts_spin);
  attempts = (guint) gtk_spin_button_get_value_as_int (self->attempts_spin);
  note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));
  if (*note == '\0')
    g_clear_pointer (&note, g_free);
  /* A handler may reset the picker, which drops the selection. */
  climb_id = g_strdup (topout_climb_get_id (self->selected));

  g_signal_emit (self, signals[PICKED], 0, climb_id, attempts, is_success, note);
}

static void
log_sent_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  emit_picked (TOPOUT_CLIMB_PICKER (widget), TRUE);
}

static void
log_not_sent_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  emit_picked (TOPOUT_CLIMB_PICKER (widget), FALSE);
}

static void
attempts_up_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  gtk_spin_button_spin (TOPOUT_CLIMB_PICKER (widget)->attempts_spin, GTK_SPIN_STEP_FORWARD, 1);
}

static void
attempts_down_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  gtk_spin_button_spin (TOPOUT_CLIMB_PICKER (widget)->attempts_spin, GTK_SPIN_STEP_BACKWARD, 1);
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  gtk_widget_grab_focus (GTK_WIDGET (TOPOUT_CLIMB_PICKER (widget)->search_entry));
}

static void
topout_climb_picker_dispose (GObject *object)
{
  TopoutClimbPicker *self = TOPOUT_CLIMB_PICKER (object);

  g_clear_object (&self->selected);
  g_clear_pointer (&self->climbs, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (topout_climb_picker_parent_class)->dispose (object);
}

static void
topout_climb_picker_finalize (GObject *object)
{
  TopoutClimbPicker *self = TOPOUT_CLIMB_PICKER (object);

  g_clear_pointer (&self->climber_id, g_free);

  G_OBJECT_CLASS (topout_climb_picker_parent_class)->finalize (object);
}

static void
topout_climb_picker_constructed (GObject *object)
{
  G_OBJECT_CLASS (topout_climb_picker_parent_class)->constructed (object);
  /* The list is read when the picker is first shown (or a climber is set):
   * the front desk builds its picker long before anyone is chosen. */
}

static void
topout_climb_picker_map (GtkWidget *widget)
{
  TopoutClimbPicker *self = TOPOUT_CLIMB_PICKER (widget);

  GTK_WIDGET_CLASS (topout_climb_picker_parent_class)->map (widget);
  /* First shown, or shown again after a log (or a visit to the catalog):
   * the recent climbs come first again. */
  if (self->climbs == NULL || self->order_stale)
    reload (self);
}

static void
topout_climb_picker_unmap (GtkWidget *widget)
{
  /* The catalog may change while the picker is hidden. */
  TOPOUT_CLIMB_PICKER (widget)->order_stale = TRUE;

  GTK_WIDGET_CLASS (topout_climb_picker_parent_class)->unmap (widget);
}

static void
topout_climb_picker_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TopoutClimbPicker *self = TOPOUT_CLIMB_PICKER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CLIMBER_ID:
      g_value_set_string (value, self->climber_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_climb_picker_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TopoutClimbPicker *self = TOPOUT_CLIMB_PICKER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CLIMBER_ID:
      topout_climb_picker_set_climber_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_climb_picker_class_init (TopoutClimbPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = topout_climb_picker_dispose;
  object_class->finalize = topout_climb_picker_finalize;
  object_class->constructed = topout_climb_picker_constructed;
  object_class->get_property = topout_climb_picker_get_property;
  object_class->set_property = topout_climb_picker_set_property;
  widget_class->map = topout_climb_picker_map;
  widget_class->unmap = topout_climb_picker_unmap;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TOPOUT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIMBER_ID] =
    g_param_spec_string ("climber-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TopoutClimbPicker::picked:
   * @climb_id: the chosen climb
   * @attempts: 1–999
   * @is_success: Sent or Not sent
   * @notes: (nullable): the note, NULL when empty
   */
  signals[PICKED] =
    g_signal_new ("picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_UINT, G_TYPE_BOOLEAN, G_TYPE_STRING);

  /**
   * TopoutClimbPicker::dismissed:
   *
   * Escape in the empty search with no climb chosen: nothing left for the
   * picker to undo (GtkSearchEntry keeps that Escape from the window, whose
   * own Escape the owner may want to run: the editor closes).
   */
  signals[DISMISSED] =
    g_signal_new ("dismissed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (TOPOUT_TYPE_COLOR_SWATCH);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/topout-climb-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, log_revealer);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, selected_swatch);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, selected_name);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, selected_detail);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, attempts_spin);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, attempts_error);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, note_entry);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, sent_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, not_sent_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, climb_list);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, empty_add_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutClimbPicker, no_match_add_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stopped_cb);

  gtk_widget_class_install_action (widget_class, "picker.select-climb", "s", select_climb_action);
  gtk_widget_class_install_action (widget_class, "picker.unselect", NULL, unselect_action);
  gtk_widget_class_install_action (widget_class, "picker.log-sent", NULL, log_sent_action);
  gtk_widget_class_install_action (widget_class, "picker.log-not-sent", NULL, log_not_sent_action);
  gtk_widget_class_install_action (widget_class, "picker.attempts-up", NULL, attempts_up_action);
  gtk_widget_class_install_action (widget_class, "picker.attempts-down", NULL, attempts_down_action);
  gtk_widget_class_install_action (widget_class, "picker.focus-search", NULL, focus_search_action);
  gtk_widget_class_install_action (widget_class, "picker.add-climb", NULL, add_climb_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "picker.unselect", NULL);
}

static void
topout_climb_picker_init (TopoutClimbPicker *self)
{
  GtkWidget *child;

  gtk_widget_init_template (GTK_WIDGET (self));
  topout_climb_picker_set_can_add_climbs (self, FALSE);
  topout_entry_down_to_list (GTK_WIDGET (self->search_entry), self->climb_list);
  /* One Tab stop, the arrows within it (Tab went through every climb). */
  topout_list_box_one_tab_stop (self->climb_list);
  g_signal_connect_swapped (self->log_revealer, "notify::child-revealed", G_CALLBACK (log_revealed_cb), self);
  set_selected (self, NULL);
  gtk_list_box_set_sort_func (self->climb_list, sort_by_rank, NULL, NULL);

  /* GTK 4.8's spin button brings small − and + buttons of its own; the big
   * ones around it replace them (GTK has no property to turn them off). */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->attempts_spin));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      gtk_widget_set_visible (child, FALSE);
}

GtkWidget *
topout_climb_picker_new (TopoutStore *store)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (store), NULL);

  return g_object_new (TOPOUT_TYPE_CLIMB_PICKER, "store", store, NULL);
}

const char *
topout_climb_picker_get_climber_id (TopoutClimbPicker *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMB_PICKER (self), NULL);
  return self->climber_id;
}

void
topout_climb_picker_set_climber_id (TopoutClimbPicker *self,
                                    const char        *climber_id)
{
  g_return_if_fail (TOPOUT_IS_CLIMB_PICKER (self));

  if (g_strcmp0 (self->climber_id, climber_id) == 0)
    return;

  g_free (self->climber_id);
  self->climber_id = g_strdup (climber_id);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  topout_climb_picker_reset (self);
  /* This climber's recent climbs first. */
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIMBER_ID]);
}

void
topout_climb_picker_reset (TopoutClimbPicker *self)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_if_fail (TOPOUT_IS_CLIMB_PICKER (self));

  /* The log controls are about to hide: keep the keyboard in the picker,
   * with the search selected: typing the next climb replaces it, Enter
   * logs the same climb again. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->log_revealer)))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
      gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
    }

  gtk_spin_button_set_value (self->attempts_spin, 1);
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  clear_attempts_error (self);
  set_selected (self, NULL);
  /* The list keeps its order while someone logs route after route: the
   * next climb to tap stays where the finger expects it, and the frame
   * after a tap repaints only what the tap changed. The climb just logged
   * moves up among the recent ones at the next search, climber or showing
   * of the picker. */
  self->order_stale = TRUE;
}

void
topout_climb_picker_set_can_add_climbs (TopoutClimbPicker *self,
                                        gboolean           can_add_climbs)
{
  g_return_if_fail (TOPOUT_IS_CLIMB_PICKER (self));

  self->can_add_climbs = !!can_add_climbs;
  gtk_widget_set_visible (self->empty_add_button, self->can_add_climbs);
  gtk_widget_set_visible (self->no_match_add_button, self->can_add_climbs);
  adw_status_page_set_description (self->empty_page,
                                   self->can_add_climbs
                                   ? _("Add the climbs you log here, or import a catalog file in the Catalog view.")
                                   : _("Staff can add climbs or import a catalog file in the Catalog view."));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "picker.add-climb", self->can_add_climbs);
}

void
topout_climb_picker_reload (TopoutClimbPicker *self)
{
  g_return_if_fail (TOPOUT_IS_CLIMB_PICKER (self));

  reload (self);
  if (self->selected != NULL)
    {
      g_autoptr (TopoutClimb) fresh = topout_store_get_climb (self->store, topout_climb_get_id (self->selected), NULL);

      set_selected (self, fresh != NULL && !topout_climb_get_retired (fresh) ? fresh : NULL);
    }
}
