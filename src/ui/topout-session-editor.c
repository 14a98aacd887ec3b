#define G_LOG_DOMAIN "topout-session-editor"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "topout-climb-picker.h"
#include "topout-limits.h"
#include "topout-session-editor.h"
#include "topout-ui-util.h"

/* Climbers listed at once in "New past session" (the search narrows it). */
#define CLIMBER_RESULTS_LIMIT 20

typedef enum {
  FIELD_CLIMBER,
  FIELD_STATUS,
  FIELD_CUSTOM_LABEL,
  FIELD_COMPETITION,
  FIELD_NAME,
  FIELD_DATE,
  FIELD_STARTED,
  FIELD_ENDED,
  FIELD_NOTES,
  N_FIELDS
} Field;

struct _TopoutSessionEditor
{
  AdwWindow           parent_instance;

  TopoutStore        *store;
  char               *session_id;   /* NULL while a new past session is not created */
  char               *climber_id;   /* new past session: the chosen climber */
  TopoutSession      *session;      /* the stored snapshot being edited */
  char               *date;         /* the date chosen in the form, "YYYY-MM-DD" */
  GPtrArray          *completions;  /* of TopoutCompletion*, as listed */
  GHashTable         *removed;      /* completion id → TopoutCompletion copy, for Undo */
  AdwToast           *remove_toast; /* the Undo toast on screen, or NULL */
  /* What the latest Reopen ended (for its Undo): the status it had, and
   * its end (0: nothing to undo). */
  TopoutSessionStatus reopened_from;
  gint64              reopened_end;
  char               *remove_ids;   /* its removals, "id\nid…" */
  GtkWidget          *picker;
  gboolean            loading;      /* while the form is filled from code */
  GStrv               shown;        /* the form as filled from the snapshot
                                     * (form_values()): what differs is typed */
  gboolean            discard;      /* closing: the coach chose to lose what was typed */
  guint               changed_idle; /* the session changed in the store: shown when idle */
  guint               sync_idle;    /* a sync's batch changed sync states: the status line read again */
  GSettings          *settings;     /* its server-url: "On this device only" or "Pending sync" */

  /* Template children */
  AdwWindowTitle     *window_title;
  GtkWidget          *draft_notice;
  GtkButton          *save_button;
  AdwToastOverlay    *toast_overlay;
  AdwPreferencesGroup *climber_group;
  AdwEntryRow        *climber_search_row;
  GtkWidget          *climber_error_row;
  GtkLabel           *climber_error_label;
  GtkListBox         *climber_list;
  GtkLabel           *climber_placeholder;
  AdwActionRow       *status_row;
  AdwActionRow       *sync_row;
  GtkButton          *reopen_button;
  GtkButton          *restore_button;
  GtkButton          *delete_button;
  GtkWidget          *status_error_row;
  GtkLabel           *status_error_label;
  AdwComboRow        *type_row;
  AdwEntryRow        *custom_label_row;
  GtkWidget          *custom_label_error_row;
  GtkLabel           *custom_label_error_label;
  AdwEntryRow        *competition_type_row;
  AdwEntryRow        *competition_id_row;
  GtkWidget          *competition_error_row;
  GtkLabel           *competition_error_label;
  AdwEntryRow        *name_row;
  GtkWidget          *name_error_row;
  GtkLabel           *name_error_label;
  AdwActionRow       *date_row;
  GtkMenuButton      *date_button;
  GtkPopover         *date_popover;
  GtkCalendar        *calendar;
  GtkWidget          *date_error_row;
  GtkLabel           *date_error_label;
  AdwComboRow        *slot_row;
  AdwEntryRow        *started_row;
  GtkWidget          *started_error_row;
  GtkLabel           *started_error_label;
  AdwEntryRow        *ended_row;
  GtkWidget          *ended_error_row;
  GtkLabel           *ended_error_label;
  AdwComboRow        *at_gym_row;
  GtkFrame           *notes_frame;
  GtkTextView        *notes_view;
  GtkLabel           *notes_error_label;
  AdwPreferencesGroup *routes_group;
  GtkButton          *add_route_button;
  GtkRevealer        *picker_revealer;
  GtkBox             *picker_box;
  GtkListBox         *completions_list;
};

G_DEFINE_FINAL_TYPE (TopoutSessionEditor, topout_session_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SESSION_ID,
  PROP_CLIMBER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload_completions (TopoutSessionEditor *self);
static void focus_first_field (TopoutSessionEditor *self);
static GtkWidget *route_header (GtkWidget *route);

/* Helpers ------------------------------------------------------------------ */

static gboolean
text_equal (const char *a,
            const char *b)
{
  return g_strcmp0 (a ? a : "", b ? b : "") == 0;
}

static gboolean
text_ok (const char *value,
         glong       min_chars,
         glong       max_chars)
{
  glong n;

  if (value == NULL)
    value = "";
  if (!g_utf8_validate (value, -1, NULL))
    return FALSE;
  n = g_utf8_strlen (value, -1);
  return n >= min_chars && n <= max_chars;
}

static void
show_toast_brief (TopoutSessionEditor *self,
                  const char          *message,
                  const char          *brief)
{
  adw_toast_overlay_add_toast (self->toast_overlay, topout_toast_new_fitting (message, brief, NULL));
}

static void
show_toast (TopoutSessionEditor *self,
            const char          *message)
{
  show_toast_brief (self, message, NULL);
}

static AdwToastOverlay *
find_toast_overlay (GtkWidget *widget,
                    int        depth)
{
  if (ADW_IS_TOAST_OVERLAY (widget))
    return ADW_TOAST_OVERLAY (widget);
  if (depth == 0)
    return NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwToastOverlay *found = find_toast_overlay (child, depth - 1);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A toast in the window the editor was opened over. */
static void
toast_in_parent (TopoutSessionEditor *self,
                 const char          *message)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  AdwToastOverlay *overlay = parent ? find_toast_overlay (GTK_WIDGET (parent), 6) : NULL;

  if (overlay != NULL)
    adw_toast_overlay_add_toast (overlay, topout_toast_new_plain (message));
}

/* Errors at the fields ------------------------------------------------------- */

/* The Status row is no Tab stop: a refusal there is told on the button
 * that was pressed (it keeps the focus), else on the one shown. */
static GtkWidget *
status_focus (TopoutSessionEditor *self)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));
  GtkWidget *buttons[] = { GTK_WIDGET (self->reopen_button), GTK_WIDGET (self->restore_button),
                           GTK_WIDGET (self->delete_button) };

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    if (focus != NULL && (focus == buttons[i] || gtk_widget_is_ancestor (focus, buttons[i])))
      return buttons[i];
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    if (gtk_widget_get_visible (buttons[i]))
      return buttons[i];
  return GTK_WIDGET (self->status_row);
}

static gboolean
pair_half_ok (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return !topout_text_is_blank (text) && text_ok (text, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX);
}

/* The row of the pair to fix: the id when the type is good and the id is
 * not (the focus selects a row's text, and the next key typed over the
 * type would lose it), else the type. */
static GtkWidget *
pair_row_to_fix (TopoutSessionEditor *self)
{
  if (pair_half_ok (self->competition_type_row) && !pair_half_ok (self->competition_id_row))
    return GTK_WIDGET (self->competition_id_row);
  return GTK_WIDGET (self->competition_type_row);
}

static void
field_widgets (TopoutSessionEditor  *self,
               Field                 field,
               GtkWidget           **row,
               GtkWidget           **row2,
               GtkWidget           **error_row,
               GtkLabel            **label,
               GtkWidget           **focus)
{
  *row2 = NULL;
  switch (field)
    {
    case FIELD_CLIMBER:
      *row = GTK_WIDGET (self->climber_search_row);
      *error_row = self->climber_error_row;
      *label = self->climber_error_label;
      break;
    case FIELD_STATUS:
      *row = GTK_WIDGET (self->status_row);
      *error_row = self->status_error_row;
      *label = self->status_error_label;
      break;
    case FIELD_CUSTOM_LABEL:
      *row = GTK_WIDGET (self->custom_label_row);
      *error_row = self->custom_label_error_row;
      *label = self->custom_label_error_label;
      break;
    case FIELD_COMPETITION:
      *row = GTK_WIDGET (self->competition_type_row);
      *row2 = GTK_WIDGET (self->competition_id_row);
      *error_row = self->competition_error_row;
      *label = self->competition_error_label;
      break;
    case FIELD_NAME:
      *row = GTK_WIDGET (self->name_row);
      *error_row = self->name_error_row;
      *label = self->name_error_label;
      break;
    case FIELD_DATE:
      *row = GTK_WIDGET (self->date_row);
      *error_row = self->date_error_row;
      *label = self->date_error_label;
      break;
    case FIELD_STARTED:
      *row = GTK_WIDGET (self->started_row);
      *error_row = self->started_error_row;
      *label = self->started_error_label;
      break;
    case FIELD_ENDED:
      *row = GTK_WIDGET (self->ended_row);
      *error_row = self->ended_error_row;
      *label = self->ended_error_label;
      break;
    case FIELD_NOTES:
    case N_FIELDS:
    default:
      *row = GTK_WIDGET (self->notes_frame);
      *error_row = GTK_WIDGET (self->notes_error_label);
      *label = self->notes_error_label;
      break;
    }
  /* Where the keyboard fixes it, and so where a screen reader must hear
   * the message: the date's button (the toggle inside the menu button
   * takes the focus), the notes' text, the status's button; else the row. */
  *focus = field == FIELD_DATE ? gtk_widget_get_first_child (GTK_WIDGET (self->date_button))  /* its toggle */
         : field == FIELD_NOTES || field >= N_FIELDS ? GTK_WIDGET (self->notes_view)
         : field == FIELD_STATUS ? status_focus (self)
         : field == FIELD_COMPETITION ? pair_row_to_fix (self)
         : *row;
}

/* What a screen reader says of @widget: invalid, and why (@message), or
 * (NULL) neither. */
static void
describe_error (GtkWidget  *widget,
                const char *message)
{
  if (message == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID);
      return;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
}

/* The message under @field goes, and what a screen reader was told of it. */
static void
clear_field_error (TopoutSessionEditor *self,
                   Field                field)
{
  GtkWidget *row, *row2, *error_row, *focus;
  GtkLabel *label;

  field_widgets (self, field, &row, &row2, &error_row, &label, &focus);
  gtk_widget_remove_css_class (row, "error");
  if (row2 != NULL)
    gtk_widget_remove_css_class (row2, "error");
  gtk_widget_set_visible (error_row, FALSE);
  gtk_label_set_label (label, "");
  describe_error (row, NULL);
  if (row2 != NULL)
    describe_error (row2, NULL);
  if (focus != row && focus != row2)
    describe_error (focus, NULL);
  /* A status button's description is the status (update_status_rows()). */
  if (field == FIELD_STATUS && focus != row && adw_action_row_get_subtitle (self->status_row) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (focus),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, adw_action_row_get_subtitle (self->status_row),
                                    -1);
}

static void
clear_errors (TopoutSessionEditor *self)
{
  for (Field f = 0; f < N_FIELDS; f++)
    clear_field_error (self, f);
}

static void
show_field_error (TopoutSessionEditor *self,
                  Field                field,
                  const char          *message)
{
  GtkWidget *row, *row2, *error_row, *focus;
  GtkLabel *label;

  field_widgets (self, field, &row, &row2, &error_row, &label, &focus);
  gtk_widget_add_css_class (row, "error");
  if (row2 != NULL)
    gtk_widget_add_css_class (row2, "error");
  gtk_label_set_label (label, message);
  gtk_widget_set_visible (error_row, TRUE);
  describe_error (row, message);
  if (focus != row)
    describe_error (focus, message);

  /* Bring the field into view, where the keyboard can fix it. */
  if (gtk_widget_get_visible (row))
    gtk_widget_grab_focus (focus);
}

/* The store refused @edited: which field does its message concern? */
static Field
field_of_error (TopoutSessionEditor *self,
                TopoutSession       *edited,
                const GError        *error)
{
  TopoutSessionType type = topout_session_get_session_type (edited);

  if (error->domain != TOPOUT_STORE_ERROR)
    return FIELD_STATUS;

  switch (error->code)
    {
    case TOPOUT_STORE_ERROR_INVALID_TEXT:
      /* The store checks in this order: label, pair, name, notes. */
      if (type == TOPOUT_SESSION_TYPE_CUSTOM &&
          !text_ok (topout_session_get_custom_label (edited), TOPOUT_LIMIT_NAME_MIN, TOPOUT_LIMIT_NAME_MAX))
        return FIELD_CUSTOM_LABEL;
      if (type == TOPOUT_SESSION_TYPE_COMPETITION &&
          (!text_ok (topout_session_get_competition_type (edited), TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX) ||
           !text_ok (topout_session_get_competition_id (edited), TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX)))
        return FIELD_COMPETITION;
      if (!text_ok (topout_session_get_notes (edited), 0, TOPOUT_LIMIT_NOTES_MAX) &&
          text_ok (topout_session_get_name (edited), 0, TOPOUT_LIMIT_NAME_MAX))
        return FIELD_NOTES;
      return FIELD_NAME;

    case TOPOUT_STORE_ERROR_COMPETITION_PAIR:
      return FIELD_COMPETITION;

    case TOPOUT_STORE_ERROR_FUTURE_DATE:
    case TOPOUT_STORE_ERROR_INVALID_DATE:
    case TOPOUT_STORE_ERROR_DAILY_CAP:
      return FIELD_DATE;

    case TOPOUT_STORE_ERROR_END_BEFORE_START:
      return FIELD_ENDED;

    case TOPOUT_STORE_ERROR_INVALID_START:
      return FIELD_STARTED;

    case TOPOUT_STORE_ERROR_ARCHIVED:
    case TOPOUT_STORE_ERROR_NOT_FOUND:
      return self->session == NULL ? FIELD_CLIMBER : FIELD_STATUS;

    default:
      return FIELD_STATUS;
    }
}

/* Showing the session ------------------------------------------------------- */

static void
update_type_rows (TopoutSessionEditor *self)
{
  guint type = adw_combo_row_get_selected (self->type_row);

  gtk_widget_set_visible (GTK_WIDGET (self->custom_label_row), type == TOPOUT_SESSION_TYPE_CUSTOM);
  gtk_widget_set_visible (GTK_WIDGET (self->competition_type_row), type == TOPOUT_SESSION_TYPE_COMPETITION);
  gtk_widget_set_visible (GTK_WIDGET (self->competition_id_row), type == TOPOUT_SESSION_TYPE_COMPETITION);
}

static void
type_changed_cb (TopoutSessionEditor *self)
{
  update_type_rows (self);
}

static void
set_date (TopoutSessionEditor *self,
          const char          *date)
{
  g_autofree char *label = topout_format_date (date);
  GDate parsed;

  if (g_strcmp0 (self->date, date) != 0)
    {
      g_free (self->date);
      self->date = g_strdup (date);
    }
  adw_action_row_set_subtitle (self->date_row, label);

  if (topout_date_parse (date, &parsed))
    {
      g_autoptr (GDateTime) dt = g_date_time_new_local (g_date_get_year (&parsed),
                                                        g_date_get_month (&parsed),
                                                        g_date_get_day (&parsed), 12, 0, 0);
      gboolean was_loading = self->loading;

      self->loading = TRUE;
      if (dt != NULL)
        gtk_calendar_select_day (self->calendar, dt);
      self->loading = was_loading;
    }
}

static void
calendar_day_selected_cb (TopoutSessionEditor *self)
{
  g_autoptr (GDateTime) dt = NULL;
  g_autofree char *date = NULL;

  if (self->loading)
    return;
  dt = gtk_calendar_get_date (self->calendar);
  date = g_date_time_format (dt, "%Y-%m-%d");
  set_date (self, date);
  /* Another date: the last one's refusal (a future day, a full one) no
   * longer stands; Save checks the new one. */
  clear_field_error (self, FIELD_DATE);
  gtk_popover_popdown (self->date_popover);
}

/* The date picker by keyboard. GTK 4.8's calendar keeps a focused day of
 * its own, apart from the chosen one (the arrows started from the month's
 * first cell) and only Space chooses it; Return did nothing. Here the
 * arrows move the chosen day itself (the popover stays open, nothing is
 * taken yet), Return or Space takes it and closes the popover, as a click
 * on a day does; Escape closes it with the date as it was (date_closed_cb). */
static gboolean
calendar_key_pressed_cb (GtkEventControllerKey *controller,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         TopoutSessionEditor   *self)
{
  g_autoptr (GDateTime) moved = NULL;
  GDateTime *chosen;
  int days = 0;

  if ((state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      days = gtk_widget_get_direction (GTK_WIDGET (self->calendar)) == GTK_TEXT_DIR_RTL ? 1 : -1;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      days = gtk_widget_get_direction (GTK_WIDGET (self->calendar)) == GTK_TEXT_DIR_RTL ? -1 : 1;
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      days = -7;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      days = 7;
      break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_space:
    case GDK_KEY_KP_Space:
      calendar_day_selected_cb (self);
      return TRUE;
    default:
      return FALSE;
    }

  chosen = gtk_calendar_get_date (self->calendar);
  moved = g_date_time_add_days (chosen, days);
  g_date_time_unref (chosen);
  if (moved != NULL)
    {
      gboolean was_loading = self->loading;

      self->loading = TRUE;
      gtk_calendar_select_day (self->calendar, moved);
      self->loading = was_loading;
    }
  return TRUE;
}

/* However the popover closed, the calendar shows the date taken. */
static void
date_closed_cb (TopoutSessionEditor *self)
{
  if (self->date != NULL)
    set_date (self, self->date);
}

static guint
at_gym_to_position (int at_gym)
{
  return at_gym < 0 ? 0 : at_gym > 0 ? 1 : 2;
}

static int
position_to_at_gym (guint position)
{
  return position == 1 ? 1 : position == 2 ? 0 : -1;
}

/* Save's label, and its name for screen readers without the underline
 * (gtk_button_set_label() names it "_Save" again, after the mending that
 * ran when it was mapped). */
static void
set_save_label (TopoutSessionEditor *self,
                const char          *label)
{
  if (g_strcmp0 (gtk_button_get_label (self->save_button), label) == 0)
    return;
  gtk_button_set_label (self->save_button, label);
  topout_accessible_name_mend (GTK_WIDGET (self->save_button));
}

static void
update_status_rows (TopoutSessionEditor *self)
{
  TopoutSession *s = self->session;
  TopoutSessionStatus status;
  TopoutSyncState sync_state;
  g_autofree char *status_text = NULL;
  g_autofree char *climber = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->status_row), s != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_row), FALSE);
  /* A new past session takes its slot's start and end unless they are
   * typed (SPEC section 2). */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->slot_row),
                               s == NULL ? _("Gives the start and end times unless they are typed below") : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->routes_group), s != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->climber_group), s == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-route", s != NULL);

  if (s == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Past Session"));
      adw_window_title_set_title (self->window_title, _("New Past Session"));
      set_save_label (self, _("C_reate"));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.reopen", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.restore", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete", FALSE);
      return;
    }

  gtk_window_set_title (GTK_WINDOW (self), _("Edit Session"));
  adw_window_title_set_title (self->window_title, _("Edit Session"));
  climber = topout_format_climber_name (topout_session_get_climber_name (s), FALSE);
  adw_window_title_set_subtitle (self->window_title, climber);
  set_save_label (self, _("_Save"));

  status = topout_session_get_status (s);
  /* As History shows it: with no sync server set up, nothing is pending. */
  sync_state = topout_session_get_sync_state (s);
  if (sync_state == TOPOUT_SYNC_STATE_PENDING && !topout_sync_server_is_set_up ())
    sync_state = TOPOUT_SYNC_STATE_LOCAL;
  if (topout_session_get_is_retroactive (s))
    /* Translators: session status, sync state, "logged afterwards" tag */
    status_text = g_strdup_printf (_("%s · %s · Logged afterwards"),
                                   topout_session_status_get_label (status),
                                   topout_sync_state_get_label (sync_state));
  else
    /* Translators: session status · sync state */
    status_text = g_strdup_printf (_("%s · %s"),
                                   topout_session_status_get_label (status),
                                   topout_sync_state_get_label (sync_state));
  adw_action_row_set_subtitle (self->status_row, status_text);
  /* Why the server did not take it and what to do, as History's row says
   * it: a rejected session waits for the edit that mends it. */
  {
    g_autofree char *detail = topout_sync_detail (s, sync_state, NULL);

    if (detail != NULL)
      {
        const char *title = topout_sync_state_get_label (sync_state);

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->sync_row), title);
        adw_action_row_set_subtitle (self->sync_row, detail);
        gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_row),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail,
                                        -1);
      }
    gtk_widget_set_visible (GTK_WIDGET (self->sync_row), detail != NULL);
  }
  /* The row is no Tab stop: its buttons say the status too. */
  {
    GtkWidget *buttons[] = { GTK_WIDGET (self->reopen_button), GTK_WIDGET (self->restore_button),
                             GTK_WIDGET (self->delete_button) };

    for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
      gtk_accessible_update_property (GTK_ACCESSIBLE (buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status_text,
                                      -1);
  }
  /* An ended session of today can be reopened, unless rule 3a would end it
   * again at once (its day over: its times are edited instead). A finished
   * session can be deleted, and a deleted one restored. */
  {
    gboolean reopen = status == TOPOUT_SESSION_STATUS_COMPLETED &&
                      topout_store_session_can_reopen (self->store, s, NULL);
    gboolean restore = status == TOPOUT_SESSION_STATUS_CANCELLED;
    gboolean delete = status == TOPOUT_SESSION_STATUS_COMPLETED;

    gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.reopen", reopen);
    gtk_widget_set_visible (GTK_WIDGET (self->reopen_button), reopen);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.restore", restore);
    gtk_widget_set_visible (GTK_WIDGET (self->restore_button), restore);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete", delete);
    gtk_widget_set_visible (GTK_WIDGET (self->delete_button), delete);
  }

  /* A session still on the wall has no end yet. */
  gtk_widget_set_visible (GTK_WIDGET (self->ended_row), status != TOPOUT_SESSION_STATUS_ACTIVE);
  if (status == TOPOUT_SESSION_STATUS_ACTIVE)
    clear_field_error (self, FIELD_ENDED);
}

/* The form's fields, each as text: what differs from what the form was
 * filled with (self->shown) is an edit of the coach's, not yet saved. */
typedef enum {
  FORM_CLIMBER,
  FORM_TYPE,
  FORM_CUSTOM_LABEL,
  FORM_NAME,
  FORM_COMPETITION_TYPE,
  FORM_COMPETITION_ID,
  FORM_DATE,
  FORM_SLOT,
  FORM_STARTED,
  FORM_ENDED,
  FORM_AT_GYM,
  FORM_NOTES,
  N_FORM_VALUES
} FormValue;

static GStrv
form_values (TopoutSessionEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;
  char **values = g_new0 (char *, N_FORM_VALUES + 1);

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  values[FORM_CLIMBER] = g_strdup (self->climber_id ? self->climber_id : "");
  values[FORM_TYPE] = g_strdup_printf ("%u", adw_combo_row_get_selected (self->type_row));
  values[FORM_CUSTOM_LABEL] = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->custom_label_row)));
  values[FORM_NAME] = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  values[FORM_COMPETITION_TYPE] = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->competition_type_row)));
  values[FORM_COMPETITION_ID] = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->competition_id_row)));
  values[FORM_DATE] = g_strdup (self->date ? self->date : "");
  values[FORM_SLOT] = g_strdup_printf ("%u", adw_combo_row_get_selected (self->slot_row));
  values[FORM_STARTED] = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->started_row)));
  values[FORM_ENDED] = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ended_row)));
  values[FORM_AT_GYM] = g_strdup_printf ("%u", adw_combo_row_get_selected (self->at_gym_row));
  values[FORM_NOTES] = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return values;
}

/* The form as it is now is what was filled in (nothing typed since). */
static void
remember_shown (TopoutSessionEditor *self)
{
  g_strfreev (self->shown);
  self->shown = form_values (self);
}

static gboolean routes_unsaved (TopoutSessionEditor *self);

/* Something typed and not saved: a field of the session, a route's
 * attempts or note not yet applied. */
static gboolean
has_unsaved_edits (TopoutSessionEditor *self)
{
  g_auto (GStrv) now = NULL;

  if (self->shown == NULL)
    return FALSE;  /* a session that could not be read: nothing to edit */
  now = form_values (self);
  return !g_strv_equal ((const char * const *) now, (const char * const *) self->shown) ||
         routes_unsaved (self);
}

/* The form's start and end, as shown: the stored times of day. */
static void
show_times (TopoutSessionEditor *self)
{
  TopoutSession *s = self->session;
  GTimeZone *tz = topout_store_get_time_zone (self->store);
  g_autofree char *started = topout_format_time (topout_session_get_started_at (s), tz);
  g_autofree char *ended = topout_session_get_ended_at (s) != 0
                           ? topout_format_time (topout_session_get_ended_at (s), tz) : g_strdup ("");

  gtk_editable_set_text (GTK_EDITABLE (self->started_row), started);
  gtk_editable_set_text (GTK_EDITABLE (self->ended_row), ended);
}

static void
fill_form (TopoutSessionEditor *self)
{
  TopoutSession *s = self->session;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);

  self->loading = TRUE;
  adw_combo_row_set_selected (self->type_row, topout_session_get_session_type (s));
  gtk_editable_set_text (GTK_EDITABLE (self->custom_label_row),
                         topout_session_get_custom_label (s) ? topout_session_get_custom_label (s) : "");
  /* An automatic name is the blank field ("blank: automatic"), in any
   * language it was made in; saved as it is unless type or date change. */
  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         topout_session_name_is_automatic (s) ? "" : topout_session_get_name (s));
  gtk_editable_set_text (GTK_EDITABLE (self->competition_type_row),
                         topout_session_get_competition_type (s) ? topout_session_get_competition_type (s) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->competition_id_row),
                         topout_session_get_competition_id (s) ? topout_session_get_competition_id (s) : "");
  adw_combo_row_set_selected (self->slot_row, topout_session_get_time_slot (s));
  adw_combo_row_set_selected (self->at_gym_row, at_gym_to_position (topout_session_get_at_gym (s)));
  gtk_text_buffer_set_text (buffer, topout_session_get_notes (s) ? topout_session_get_notes (s) : "", -1);
  set_date (self, topout_session_get_session_date (s));
  show_times (self);
  self->loading = FALSE;
  remember_shown (self);

  update_type_rows (self);
  update_status_rows (self);
}

/* What fill_form() shows of @s, in form_values()'s order. */
static GStrv
session_values (TopoutSessionEditor *self,
                TopoutSession       *s)
{
  GTimeZone *tz = topout_store_get_time_zone (self->store);
  char **values = g_new0 (char *, N_FORM_VALUES + 1);

#define TEXT_OR_EMPTY(x) g_strdup ((x) != NULL ? (x) : "")
  values[FORM_CLIMBER] = TEXT_OR_EMPTY (self->climber_id);
  values[FORM_TYPE] = g_strdup_printf ("%u", (guint) topout_session_get_session_type (s));
  values[FORM_CUSTOM_LABEL] = TEXT_OR_EMPTY (topout_session_get_custom_label (s));
  values[FORM_NAME] = topout_session_name_is_automatic (s) ? g_strdup ("") : TEXT_OR_EMPTY (topout_session_get_name (s));
  values[FORM_COMPETITION_TYPE] = TEXT_OR_EMPTY (topout_session_get_competition_type (s));
  values[FORM_COMPETITION_ID] = TEXT_OR_EMPTY (topout_session_get_competition_id (s));
  values[FORM_DATE] = TEXT_OR_EMPTY (topout_session_get_session_date (s));
  values[FORM_SLOT] = g_strdup_printf ("%u", (guint) topout_session_get_time_slot (s));
  values[FORM_STARTED] = topout_format_time (topout_session_get_started_at (s), tz);
  values[FORM_ENDED] = topout_session_get_ended_at (s) != 0 ? topout_format_time (topout_session_get_ended_at (s), tz)
                                                            : g_strdup ("");
  values[FORM_AT_GYM] = g_strdup_printf ("%u", at_gym_to_position (topout_session_get_at_gym (s)));
  values[FORM_NOTES] = TEXT_OR_EMPTY (topout_session_get_notes (s));
#undef TEXT_OR_EMPTY
  return values;
}

static void
set_form_value (TopoutSessionEditor *self,
                FormValue            field,
                const char          *value)
{
  switch (field)
    {
    case FORM_TYPE:
      adw_combo_row_set_selected (self->type_row, (guint) g_ascii_strtoull (value, NULL, 10));
      break;
    case FORM_SLOT:
      adw_combo_row_set_selected (self->slot_row, (guint) g_ascii_strtoull (value, NULL, 10));
      break;
    case FORM_AT_GYM:
      adw_combo_row_set_selected (self->at_gym_row, (guint) g_ascii_strtoull (value, NULL, 10));
      break;
    case FORM_CUSTOM_LABEL:
      gtk_editable_set_text (GTK_EDITABLE (self->custom_label_row), value);
      break;
    case FORM_NAME:
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), value);
      break;
    case FORM_COMPETITION_TYPE:
      gtk_editable_set_text (GTK_EDITABLE (self->competition_type_row), value);
      break;
    case FORM_COMPETITION_ID:
      gtk_editable_set_text (GTK_EDITABLE (self->competition_id_row), value);
      break;
    case FORM_DATE:
      set_date (self, value);
      break;
    case FORM_STARTED:
      gtk_editable_set_text (GTK_EDITABLE (self->started_row), value);
      break;
    case FORM_ENDED:
      gtk_editable_set_text (GTK_EDITABLE (self->ended_row), value);
      break;
    case FORM_NOTES:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), value, -1);
      break;
    case FORM_CLIMBER:
    case N_FORM_VALUES:
    default:
      break;
    }
}

/* @fresh (the session as stored now) becomes the snapshot being edited,
 * so Save is not refused as changed elsewhere: a field the coach has not
 * touched shows what is stored now; one typed keeps what was typed (and
 * Save writes it). TRUE when a field shown changed. */
static gboolean
merge_snapshot (TopoutSessionEditor *self,
                TopoutSession       *fresh)
{
  g_auto (GStrv) typed = form_values (self);
  GStrv now = session_values (self, fresh);
  gboolean changed = FALSE;

  self->loading = TRUE;
  for (FormValue i = 0; i < N_FORM_VALUES; i++)
    if (g_strcmp0 (typed[i], self->shown[i]) == 0 && g_strcmp0 (now[i], typed[i]) != 0)
      {
        set_form_value (self, i, now[i]);
        changed = TRUE;
      }
  self->loading = FALSE;
  g_strfreev (self->shown);
  self->shown = now;
  g_set_object (&self->session, fresh);
  update_type_rows (self);
  return changed;
}

/* Reads the snapshot again: after a write of our own (completions, reopen
 * bump the revision), or another's (the front desk logging into it, the
 * forgotten-session rule ending it, another window); the form keeps what
 * the user typed. TRUE when a field shown changed. */
static gboolean
refresh_snapshot (TopoutSessionEditor *self)
{
  g_autoptr (TopoutSession) fresh = NULL;
  gboolean changed = FALSE;

  if (self->session_id == NULL)
    return FALSE;
  fresh = topout_store_get_session (self->store, self->session_id, NULL);
  if (fresh != NULL && self->shown != NULL)
    changed = merge_snapshot (self, fresh);
  else if (fresh != NULL)
    g_set_object (&self->session, fresh);
  update_status_rows (self);
  return changed;
}

/* The form into @s (a copy of the snapshot, or a new draft). */
static void
read_form (TopoutSessionEditor *self,
           TopoutSession       *s)
{
  guint type = adw_combo_row_get_selected (self->type_row);
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;
  g_autofree char *notes = NULL;

  topout_session_set_session_type (s, type);
  topout_session_set_custom_label (s, type == TOPOUT_SESSION_TYPE_CUSTOM
                                      ? gtk_editable_get_text (GTK_EDITABLE (self->custom_label_row)) : NULL);
  if (!topout_text_is_blank (name))
    topout_session_set_name (s, name);
  else if (self->session != NULL && topout_session_name_is_automatic (self->session))
    topout_session_set_name (s, topout_session_get_name (self->session));  /* left as it was */
  else
    topout_session_set_name (s, NULL);
  if (type == TOPOUT_SESSION_TYPE_COMPETITION)
    {
      const char *ctype = gtk_editable_get_text (GTK_EDITABLE (self->competition_type_row));
      const char *cid = gtk_editable_get_text (GTK_EDITABLE (self->competition_id_row));
      g_autofree char *stored_type = NULL;
      g_autofree char *stored_id = NULL;

      /* A new past session joins the competition written otherwise in
       * case, as the desk's Start does. An edit keeps the pair as typed:
       * a coach correcting a competition's spelling session by session
       * would otherwise be sent back to the old one at every Save. */
      if (self->session == NULL &&
          topout_store_find_competition_spelling (self->store, ctype, cid, &stored_type, &stored_id))
        {
          ctype = stored_type;
          cid = stored_id;
        }
      topout_session_set_competition_type (s, ctype);
      topout_session_set_competition_id (s, cid);
    }
  else
    {
      topout_session_set_competition_type (s, NULL);
      topout_session_set_competition_id (s, NULL);
    }
  topout_session_set_time_slot (s, adw_combo_row_get_selected (self->slot_row));
  topout_session_set_at_gym (s, position_to_at_gym (adw_combo_row_get_selected (self->at_gym_row)));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  topout_session_set_notes (s, notes);

  topout_session_set_session_date (s, self->date);
}

/* "HH:MM" (or "H:MM"), a time of day, into minutes since midnight; with
 * @end_of_day, "24:00" too (1440: the midnight a day ends with). */
static gboolean
parse_time_of_day (const char *text,
                   gboolean    end_of_day,
                   int        *minutes)
{
  g_autofree char *t = g_strstrip (g_strdup (text ? text : ""));
  const char *colon = strchr (t, ':');
  guint64 h, m;

  if (colon == NULL || colon == t || colon - t > 2 || strlen (colon + 1) != 2)
    return FALSE;
  t[colon - t] = '\0';
  if (!g_ascii_string_to_unsigned (t, 10, 0, end_of_day ? 24 : 23, &h, NULL) ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, 59, &m, NULL) ||
      (h == 24 && m != 0))
    return FALSE;
  *minutes = (int) (h * 60 + m);
  return TRUE;
}

/* Minutes past midnight before which an end earlier than the start is on
 * the next day: the end of the night slot (SPEC §2, Night 20–05). */
static int
night_end_minutes (void)
{
  int end_hour = 5;

  topout_time_slot_get_hours (TOPOUT_TIME_SLOT_NIGHT, NULL, &end_hour);
  return end_hour * 60;
}

/* The day @days after @date (1440 @minutes: midnight at its end), and the
 * minutes into it. FALSE when @date is not a date. */
static gboolean
wall_clock_day (const char *date,
                int         days,
                int        *minutes,
                GDate      *day)
{
  if (!topout_date_parse (date, day))
    return FALSE;
  days += *minutes / (24 * 60);
  *minutes %= 24 * 60;
  if (days > 0)
    g_date_add_days (day, (guint) days);
  else if (days < 0)
    g_date_subtract_days (day, (guint) -days);
  return g_date_valid (day);
}

/* The instants (µs) at which the gym's clocks read @minutes past midnight
 * on @day, earliest first: none when they skip that time, two when they
 * read it twice, else one (the store's, which moves dates the same way). */
static guint
wall_clock_instants (GTimeZone   *tz,
                     const GDate *day,
                     int          minutes,
                     gint64       out[2])
{
  return topout_wall_clock_instants (tz, day, minutes, out);
}

/* "There is no 02:30 on Sun 29 Mar 2026": the clocks go forward over
 * @minutes of @day (from 02:00 to 03:00 in Berlin in March), at @field. */
static void
show_missing_time (TopoutSessionEditor *self,
                   Field                field,
                   const GDate         *day,
                   int                  minutes)
{
  g_autofree char *date = NULL;
  g_autofree char *message = NULL;
  char iso[11];

  g_snprintf (iso, sizeof iso, "%04d-%02d-%02d", g_date_get_year (day), g_date_get_month (day), g_date_get_day (day));
  date = topout_format_date (iso);
  message = topout_missing_time_message (topout_store_get_time_zone (self->store), day, minutes, date);
  show_field_error (self, field, message);
}

/* The instant the gym's clocks read @minutes past midnight on @date +
 * @days (24:00: the midnight after), @extra µs added. Read twice (the
 * clocks go back over it), the first time, as a coach reads the clock
 * (iCalendar does the same) — unless only the second is after @after (an
 * end typed that runs over the change). Skipped (the clocks go forward
 * over it), FALSE with the message at @field: nothing is saved. */
static gboolean
wall_clock_time (TopoutSessionEditor *self,
                 Field                field,
                 const char          *date,
                 int                  days,
                 int                  minutes,
                 gint64               extra,
                 gint64               after,
                 gint64              *usec)
{
  GDate day;
  gint64 at[2];
  guint n;

  if (!wall_clock_day (date, days, &minutes, &day))
    {
      *usec = 0;
      return TRUE;  /* no date: the store refuses it, at the date */
    }
  n = wall_clock_instants (topout_store_get_time_zone (self->store), &day, minutes, at);
  if (n == 0)
    {
      show_missing_time (self, field, &day, minutes);
      return FALSE;
    }
  *usec = (n == 2 && at[0] + extra <= after && at[1] + extra > after ? at[1] : at[0]) + extra;
  return TRUE;
}

/* @usec in the gym's time zone: its date, minutes past midnight, and the
 * µs past that minute. */
static void
split_time (TopoutSessionEditor  *self,
            gint64                usec,
            char                **date,
            int                  *minutes,
            gint64               *extra)
{
  gint64 secs = usec / G_USEC_PER_SEC, frac = usec % G_USEC_PER_SEC;
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (frac < 0)
    {
      secs--;
      frac += G_USEC_PER_SEC;
    }
  utc = g_date_time_new_from_unix_utc (secs);
  local = g_date_time_to_timezone (utc, topout_store_get_time_zone (self->store));
  *date = g_date_time_format (local, "%Y-%m-%d");
  *minutes = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  *extra = g_date_time_get_second (local) * G_USEC_PER_SEC + frac;
}

typedef enum {
  TIME_KEPT,   /* the time shown: the stored one */
  TIME_TYPED,  /* another time of day */
  TIME_BAD,    /* not a time of day (refused at the field) */
} TimeInput;

/* What @field's row holds: the time shown for @stored, another time of day
 * (*@minutes past midnight), or no time (its message at the field). */
static TimeInput
read_time_row (TopoutSessionEditor *self,
               Field                field,
               gint64               stored,
               int                 *minutes)
{
  AdwEntryRow *row = field == FIELD_STARTED ? self->started_row : self->ended_row;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autofree char *shown = stored != 0 ? topout_format_time (stored, topout_store_get_time_zone (self->store))
                                       : g_strdup ("");

  if (g_strcmp0 (text, shown) == 0)
    return TIME_KEPT;
  /* An end may be 24:00, the midnight its day ends with. */
  if (!parse_time_of_day (text, field == FIELD_ENDED, minutes))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is what was typed as a session's start or end time */
      message = g_strdup_printf (_("“%s” is not a time of day. Type hours and minutes, such as 18:40."), text);
      show_field_error (self, field, message);
      return TIME_BAD;
    }
  return TIME_TYPED;
}

/* A time left as it was, moved @days whole days with the date: the same
 * reading of the clocks (seconds and all), which must exist that day. */
static gboolean
move_kept_time (TopoutSessionEditor *self,
                Field                field,
                gint64               stored,
                int                  days,
                gint64              *usec)
{
  g_autofree char *date = NULL;
  int minutes;
  gint64 extra;

  *usec = stored;
  if (stored == 0 || days == 0)
    return TRUE;
  split_time (self, stored, &date, &minutes, &extra);
  return wall_clock_time (self, field, date, days, minutes, extra, 0, usec);
}

/* The start and end typed into @s. The start is a time of the session's
 * date; the end the first time after the start that the clocks read it
 * that day, else the next day when it is before the night slot ends. A
 * new past session takes its slot's times for those left empty (the
 * store gives the end, SPEC §2); its end alone starts when its slot does.
 * FALSE, with the message at the field typed, for what is not a time,
 * a time the clocks skip, an end not after the start, or a new past
 * session with neither times nor slot: nothing is saved. */
static gboolean
read_times (TopoutSessionEditor *self,
            TopoutSession       *s)
{
  TopoutSession *old = self->session;
  TopoutTimeSlot slot = adw_combo_row_get_selected (self->slot_row);
  GDate old_date, new_date;
  int days = 0, minutes = 0, slot_start = 0;
  gint64 stored_start = old != NULL ? topout_session_get_started_at (old) : 0;
  gint64 stored_end = old != NULL ? topout_session_get_ended_at (old) : 0;
  gint64 started = 0, ended = 0;
  gboolean has_slot = topout_time_slot_get_hours (slot, &slot_start, NULL);
  gboolean start_from_slot = FALSE;
  TimeInput start_input, end_input;

  if (old != NULL && topout_date_parse (topout_session_get_session_date (old), &old_date) &&
      topout_date_parse (self->date, &new_date))
    days = g_date_days_between (&old_date, &new_date);

  /* The start. */
  start_input = read_time_row (self, FIELD_STARTED, stored_start, &minutes);
  if (start_input == TIME_BAD)
    return FALSE;
  if (start_input == TIME_TYPED
      ? !wall_clock_time (self, FIELD_STARTED, self->date, 0, minutes, 0, 0, &started)
      : !move_kept_time (self, FIELD_STARTED, stored_start, days, &started))
    return FALSE;
  topout_session_set_started_at (s, started);

  /* The end: none while the session is on the wall. */
  if (old != NULL && topout_session_get_status (old) == TOPOUT_SESSION_STATUS_ACTIVE)
    {
      topout_session_set_ended_at (s, 0);
      return TRUE;
    }
  end_input = read_time_row (self, FIELD_ENDED, stored_end, &minutes);
  if (end_input == TIME_BAD)
    return FALSE;
  if (old == NULL && !has_slot && (started == 0 || (end_input != TIME_TYPED && stored_end == 0)))
    {
      /* A new past session without a slot: no times to take from it. */
      show_field_error (self, started == 0 ? FIELD_STARTED : FIELD_ENDED,
                        _("Type the start and end times, or choose a time slot to take them from."));
      return FALSE;
    }
  if (end_input == TIME_TYPED)
    {
      g_autofree char *start_day = NULL;
      int start_minutes;
      gint64 extra, at[2];
      GDate day;
      guint n = 0;

      if (started == 0)
        {
          /* A new past session's end alone: it starts when its slot does. */
          if (!wall_clock_time (self, FIELD_STARTED, self->date, 0, slot_start * 60, 0, 0, &started))
            return FALSE;
          start_from_slot = TRUE;
          topout_session_set_started_at (s, started);
        }
      split_time (self, started, &start_day, &start_minutes, &extra);
      /* The first time after the start the clocks read it that day; else
       * in the night's early hours, the next day. */
      {
        int m = minutes;

        if (wall_clock_day (start_day, 0, &m, &day))
          n = wall_clock_instants (topout_store_get_time_zone (self->store), &day, m, at);
      }
      if (n > 0 && at[n - 1] > started)
        ended = at[0] > started ? at[0] : at[1];
      else if (minutes < start_minutes && minutes < night_end_minutes ())
        {
          if (!wall_clock_time (self, FIELD_ENDED, start_day, 1, minutes, 0, 0, &ended))
            return FALSE;
        }
      else if (n == 0)
        {
          show_missing_time (self, FIELD_ENDED, &day, minutes % (24 * 60));
          return FALSE;
        }
      else
        ended = at[0];  /* not after the start: refused below */
    }
  else if (!move_kept_time (self, FIELD_ENDED, stored_end, days, &ended))
    return FALSE;

  if (ended != 0 && ended <= started && (start_input == TIME_TYPED || end_input == TIME_TYPED))
    {
      g_autofree char *message = NULL;
      GTimeZone *tz = topout_store_get_time_zone (self->store);

      if (end_input == TIME_TYPED && start_from_slot)
        {
          g_autofree char *from = topout_format_time (started, tz);

          /* Translators: "The Evening slot starts at 17:00: …"; the slot, its start */
          message = g_strdup_printf (_("The %s slot starts at %s: type an end time after it, or type the start time too."),
                                     topout_time_slot_get_label (slot), from);
          show_field_error (self, FIELD_ENDED, message);
        }
      else if (end_input == TIME_TYPED && ended == started)
        show_field_error (self, FIELD_ENDED, _("A session cannot end at the time it starts. Type a later end time."));
      else if (end_input == TIME_TYPED)
        {
          g_autofree char *night_end = g_strdup_printf ("%02d:%02d", night_end_minutes () / 60, night_end_minutes () % 60);

          /* Translators: %s is the end of the night slot, "05:00" */
          message = g_strdup_printf (_("A session cannot end before it starts. It may run past midnight until %s."),
                                     night_end);
          show_field_error (self, FIELD_ENDED, message);
        }
      else
        {
          g_autofree char *end = topout_format_time (ended, tz);

          /* Translators: %s is the session's end time, "17:15" */
          message = g_strdup_printf (_("A session must start before it ends (%s). Type an earlier start time, or change the end time too."),
                                     end);
          show_field_error (self, FIELD_STARTED, message);
        }
      return FALSE;
    }
  topout_session_set_ended_at (s, ended);
  return TRUE;
}

/* Whether the clocks read @end minutes past midnight again after they
 * first read @start, on the form's date: they go back in between. */
static gboolean
read_again_after (TopoutSessionEditor *self,
                  int                  start,
                  int                  end)
{
  GTimeZone *tz = topout_store_get_time_zone (self->store);
  int minutes = start;
  gint64 s[2], e[2];
  guint n_start, n_end;
  GDate day;

  if (!wall_clock_day (self->date, 0, &minutes, &day))
    return FALSE;
  n_start = wall_clock_instants (tz, &day, start, s);
  n_end = wall_clock_instants (tz, &day, end, e);
  return n_start > 0 && n_end > 0 && e[n_end - 1] > s[0];
}

/* The end's title says "next day" when it is earlier than the start, in
 * the night's early hours (read_times() puts it on the next day), and
 * the clocks do not read it again that day. */
static void
update_next_day (TopoutSessionEditor *self)
{
  int start, end;
  gboolean next_day = parse_time_of_day (gtk_editable_get_text (GTK_EDITABLE (self->started_row)), FALSE, &start) &&
                      parse_time_of_day (gtk_editable_get_text (GTK_EDITABLE (self->ended_row)), TRUE, &end) &&
                      end < start && end < night_end_minutes () &&
                      !read_again_after (self, start, end);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->ended_row),
                                 /* Translators: a session's end time, after midnight */
                                 next_day ? _("End time (next day)") : _("End time"));
}

/* Typing a time again: the last refusal no longer stands (Save checks the
 * new one). */
static void
started_changed_cb (TopoutSessionEditor *self)
{
  update_next_day (self);
  if (!self->loading)
    clear_field_error (self, FIELD_STARTED);
}

static void
ended_changed_cb (TopoutSessionEditor *self)
{
  update_next_day (self);
  if (!self->loading)
    clear_field_error (self, FIELD_ENDED);
}

static gboolean
form_unchanged (TopoutSession *before,
                TopoutSession *after)
{
  return topout_session_get_session_type (before) == topout_session_get_session_type (after) &&
         text_equal (topout_session_get_custom_label (before), topout_session_get_custom_label (after)) &&
         text_equal (topout_session_get_name (before), topout_session_get_name (after)) &&
         text_equal (topout_session_get_session_date (before), topout_session_get_session_date (after)) &&
         topout_session_get_started_at (before) == topout_session_get_started_at (after) &&
         topout_session_get_ended_at (before) == topout_session_get_ended_at (after) &&
         topout_session_get_time_slot (before) == topout_session_get_time_slot (after) &&
         topout_session_get_at_gym (before) == topout_session_get_at_gym (after) &&
         text_equal (topout_session_get_notes (before), topout_session_get_notes (after)) &&
         text_equal (topout_session_get_competition_type (before), topout_session_get_competition_type (after)) &&
         text_equal (topout_session_get_competition_id (before), topout_session_get_competition_id (after));
}

/* New past session: the climber ----------------------------------------------- */

static void
mark_chosen_climber (TopoutSessionEditor *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->climber_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      const char *id = g_object_get_data (G_OBJECT (row), "climber-id");
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "check");
      gboolean chosen = id != NULL && g_strcmp0 (id, self->climber_id) == 0;

      if (check != NULL)
        gtk_widget_set_visible (check, chosen);
      if (chosen && gtk_list_box_get_selected_row (self->climber_list) != GTK_LIST_BOX_ROW (row))
        gtk_list_box_select_row (self->climber_list, GTK_LIST_BOX_ROW (row));
    }
}

static void
fill_climber_list (TopoutSessionEditor *self)
{
  g_autoptr (GPtrArray) climbers = NULL;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->climber_search_row));
  gboolean chosen_listed = FALSE;

  self->loading = TRUE;
  topout_list_box_remove_rows (self->climber_list);

  climbers = topout_store_find_climbers (self->store, query, FALSE, CLIMBER_RESULTS_LIMIT);
  /* The chosen climber stays on top while the search shows others. */
  if (self->climber_id != NULL)
    {
      for (guint i = 0; climbers != NULL && i < climbers->len; i++)
        if (g_strcmp0 (topout_climber_get_id (g_ptr_array_index (climbers, i)), self->climber_id) == 0)
          chosen_listed = TRUE;
      if (!chosen_listed)
        {
          TopoutClimber *chosen = topout_store_get_climber (self->store, self->climber_id, NULL);

          if (chosen != NULL)
            g_ptr_array_insert (climbers, 0, chosen);
        }
    }

  for (guint i = 0; climbers != NULL && i < climbers->len; i++)
    {
      TopoutClimber *c = g_ptr_array_index (climbers, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), topout_climber_get_display_name (c));
      if (topout_climber_get_member_code (c) != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), topout_climber_get_member_code (c));
      gtk_widget_set_visible (check, FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chosen"),
                                      -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "climber-id", g_strdup (topout_climber_get_id (c)), g_free);
      g_object_set_data (G_OBJECT (row), "check", check);
      gtk_list_box_append (self->climber_list, row);
    }
  /* The list's placeholder, when nobody is listed. */
  if (*query == '\0')
    gtk_label_set_label (self->climber_placeholder,
                         _("No climbers yet. Add one at the Front desk, or on the Climbers page."));
  else
    {
      /* Translators: %s is what was typed in the climber search */
      g_autofree char *text = g_strdup_printf (_("No climber matches “%s”."), query);

      gtk_label_set_label (self->climber_placeholder, text);
    }
  mark_chosen_climber (self);
  self->loading = FALSE;
}

static void
climber_search_changed_cb (TopoutSessionEditor *self)
{
  if (self->store != NULL && self->session == NULL)
    fill_climber_list (self);
}

static void
climber_row_selected_cb (TopoutSessionEditor *self,
                         GtkListBoxRow       *row)
{
  const char *id;
  g_autofree char *subtitle = NULL;

  if (self->loading || row == NULL)
    return;
  id = g_object_get_data (G_OBJECT (row), "climber-id");
  g_free (self->climber_id);
  self->climber_id = g_strdup (id);
  mark_chosen_climber (self);

  /* Translators: subtitle of "New Past Session": the chosen climber */
  subtitle = g_strdup_printf (_("For %s"), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_widget_remove_css_class (GTK_WIDGET (self->climber_search_row), "error");
  gtk_widget_set_visible (self->climber_error_row, FALSE);
}

/* Completions ------------------------------------------------------------------ */

static TopoutCompletion *
find_completion (TopoutSessionEditor *self,
                 const char          *id,
                 guint               *index)
{
  for (guint i = 0; self->completions != NULL && i < self->completions->len; i++)
    {
      TopoutCompletion *c = g_ptr_array_index (self->completions, i);

      if (g_strcmp0 (topout_completion_get_id (c), id) == 0)
        {
          if (index != NULL)
            *index = i;
          return c;
        }
    }
  return NULL;
}

static char *
completion_title (TopoutCompletion *c)
{
  const char *name = topout_completion_get_climb_name (c);

  return g_strdup (name != NULL && *name != '\0' ? name : topout_completion_get_climb_id (c));
}

static char *
completion_summary (TopoutCompletion *c)
{
  g_autofree char *attempts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attempt", "%u attempts",
                                                            topout_completion_get_attempts (c)),
                                               topout_completion_get_attempts (c));
  const char *sent = topout_completion_get_is_success (c) ? _("Sent") : _("Not sent");
  const char *grade = topout_completion_get_grade (c);

  if (grade != NULL && *grade != '\0')
    /* Translators: a logged route: grade · attempts · sent or not */
    return g_strdup_printf (_("%s · %s · %s"), grade, attempts, sent);
  /* Translators: a logged route without grade: attempts · sent or not */
  return g_strdup_printf (_("%s · %s"), attempts, sent);
}

/* What a route shows under its climb (grade, attempts, sent), seen and
 * heard: a screen reader named its header by the climb alone. */
static void
set_route_summary (GtkWidget  *expander,
                   const char *summary)
{
  GtkWidget *header = route_header (expander);

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), summary);
  if (header != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (header), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary, -1);
}

/* A route's field refused (@field: its attempts or its note): the message
 * under it, what was typed left as it is, the route opened to show it. */
static void
show_route_error (GtkWidget  *field,
                  const char *message)
{
  GtkWidget *error_row = g_object_get_data (G_OBJECT (field), "error-row");
  GtkWidget *expander = g_object_get_data (G_OBJECT (field), "expander");

  gtk_widget_add_css_class (field, "error");
  gtk_label_set_label (GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (error_row))), message);
  gtk_widget_set_visible (error_row, TRUE);
  describe_error (field, message);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  /* It was laid out below the fold, under the focused field. */
  topout_scroll_into_view_when_shown (error_row);
}

static void
clear_route_error (GtkWidget *field)
{
  GtkWidget *error_row = g_object_get_data (G_OBJECT (field), "error-row");

  if (error_row == NULL || !gtk_widget_get_visible (error_row))
    return;
  gtk_widget_remove_css_class (field, "error");
  gtk_widget_set_visible (error_row, FALSE);
  gtk_label_set_label (GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (error_row))), "");
  describe_error (field, NULL);
}

/* The hidden row under a route's @field where its refusal is shown. */
static GtkWidget *
route_error_row_new (GtkWidget *field)
{
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "field-error");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  /* Its text reaches a screen reader as the field's description. */
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_visible (row, FALSE);
  g_object_set_data (G_OBJECT (field), "error-row", row);
  return row;
}

/* Saves @edited (a changed copy of a listed completion). */
static gboolean
save_completion (TopoutSessionEditor *self,
                 TopoutCompletion    *edited,
                 GtkWidget           *expander,
                 GError             **error)
{
  g_autofree char *summary = NULL;
  guint index;

  if (!topout_store_update_completion (self->store, edited, error))
    return FALSE;
  if (find_completion (self, topout_completion_get_id (edited), &index))
    {
      g_object_unref (g_ptr_array_index (self->completions, index));
      g_ptr_array_index (self->completions, index) = g_object_ref (edited);
    }
  summary = completion_summary (edited);
  set_route_summary (expander, summary);
  refresh_snapshot (self);
  return TRUE;
}

static gboolean
route_error_shown (GtkWidget *field)
{
  GtkWidget *error_row = g_object_get_data (G_OBJECT (field), "error-row");

  return error_row != NULL && gtk_widget_get_visible (error_row);
}

/* What is typed in a route's attempts, read before GtkSpinButton would clamp
 * it into its range ("0" became 1 and "1000" 999, saved at once): out of
 * range it is refused at the field, and the last good value stays (the
 * spin button's update policy is "if valid"). */
static int
attempts_input_cb (GtkSpinButton *spin,
                   double        *new_value,
                   gpointer       user_data)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));
  guint64 attempts;

  if (!g_ascii_string_to_unsigned (text, 10, TOPOUT_LIMIT_ATTEMPTS_MIN, TOPOUT_LIMIT_ATTEMPTS_MAX,
                                   &attempts, NULL))
    {
      /* The store's own message, for the same limits. */
      g_autofree char *message = g_strdup_printf (_("Attempts must be a whole number from %d to %d (the send included)."),
                                                  TOPOUT_LIMIT_ATTEMPTS_MIN, TOPOUT_LIMIT_ATTEMPTS_MAX);

      show_route_error (GTK_WIDGET (spin), message);
      return GTK_INPUT_ERROR;
    }
  clear_route_error (GTK_WIDGET (spin));
  *new_value = (double) attempts;
  return TRUE;
}

static void
attempts_changed_cb (GtkSpinButton       *spin,
                     TopoutSessionEditor *self)
{
  const char *id = g_object_get_data (G_OBJECT (spin), "completion-id");
  TopoutCompletion *c = find_completion (self, id, NULL);
  g_autoptr (TopoutCompletion) edited = NULL;
  g_autoptr (GError) error = NULL;
  guint attempts = (guint) gtk_spin_button_get_value_as_int (spin);

  if (self->loading || c == NULL || topout_completion_get_attempts (c) == attempts)
    return;
  edited = topout_completion_copy (c);
  topout_completion_set_attempts (edited, attempts);
  if (!save_completion (self, edited, g_object_get_data (G_OBJECT (spin), "expander"), &error))
    {
      show_route_error (GTK_WIDGET (spin), error->message);
      self->loading = TRUE;
      gtk_spin_button_set_value (spin, topout_completion_get_attempts (c));
      self->loading = FALSE;
      return;
    }
  clear_route_error (GTK_WIDGET (spin));
}

static void
sent_changed_cb (GtkSwitch           *sw,
                 GParamSpec          *pspec,
                 TopoutSessionEditor *self)
{
  const char *id = g_object_get_data (G_OBJECT (sw), "completion-id");
  TopoutCompletion *c = find_completion (self, id, NULL);
  g_autoptr (TopoutCompletion) edited = NULL;
  g_autoptr (GError) error = NULL;
  gboolean sent = gtk_switch_get_active (sw);

  if (self->loading || c == NULL || topout_completion_get_is_success (c) == sent)
    return;
  edited = topout_completion_copy (c);
  topout_completion_set_is_success (edited, sent);
  if (!save_completion (self, edited, g_object_get_data (G_OBJECT (sw), "expander"), &error))
    {
      show_toast (self, error->message);
      self->loading = TRUE;
      gtk_switch_set_active (sw, topout_completion_get_is_success (c));
      self->loading = FALSE;
    }
}

/* Saves the note typed in @entry. FALSE when the store refused it: the
 * message is under the note, and what was typed stays there to be fixed. */
static gboolean
apply_note (TopoutSessionEditor *self,
            AdwEntryRow         *entry)
{
  const char *id = g_object_get_data (G_OBJECT (entry), "completion-id");
  TopoutCompletion *c = find_completion (self, id, NULL);
  g_autoptr (TopoutCompletion) edited = NULL;
  g_autoptr (GError) error = NULL;
  const char *note = gtk_editable_get_text (GTK_EDITABLE (entry));

  if (c == NULL || text_equal (topout_completion_get_notes (c), note))
    return TRUE;
  edited = topout_completion_copy (c);
  topout_completion_set_notes (edited, note);
  if (!save_completion (self, edited, g_object_get_data (G_OBJECT (entry), "expander"), &error))
    {
      show_route_error (GTK_WIDGET (entry), error->message);
      return FALSE;
    }
  clear_route_error (GTK_WIDGET (entry));
  return TRUE;
}

static void
note_applied_cb (AdwEntryRow         *entry,
                 TopoutSessionEditor *self)
{
  apply_note (self, entry);
}

/* Typing again: the last refusal no longer stands (the next apply or Save
 * checks the new text). */
static void
note_changed_cb (GtkEditable *entry)
{
  clear_route_error (GTK_WIDGET (entry));
}

static GtkWidget *
completion_row_new (TopoutSessionEditor *self,
                    TopoutCompletion    *c)
{
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *attempts_row = adw_action_row_new ();
  GtkWidget *sent_row = adw_action_row_new ();
  GtkWidget *note_row = adw_entry_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (TOPOUT_LIMIT_ATTEMPTS_MIN, TOPOUT_LIMIT_ATTEMPTS_MAX, 1);
  GtkWidget *sw = gtk_switch_new ();
  const char *id = topout_completion_get_id (c);
  g_autofree char *title = completion_title (c);
  g_autofree char *summary = completion_summary (c);
  g_autofree char *remove_a11y = NULL;
  g_autofree char *attempts_a11y = NULL;
  g_autofree char *sent_a11y = NULL;
  g_autofree char *note_a11y = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  set_route_summary (expander, summary);
  /* The list's item around the header: by the climb too, not unnamed. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (expander), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  /* Remove */
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove this route"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "editor.remove-completion");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (remove), g_variant_new_string (id));
  /* Translators: accessible label of a route's remove button; %s is the climb */
  remove_a11y = g_strdup_printf (_("Remove %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_a11y, -1);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), remove);

  /* Attempts */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (attempts_row), _("Attempts"));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_update_policy (GTK_SPIN_BUTTON (spin), GTK_UPDATE_IF_VALID);
  g_signal_connect (spin, "input", G_CALLBACK (attempts_input_cb), NULL);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), topout_completion_get_attempts (c));
  /* Translators: accessible label; %s is the climb */
  attempts_a11y = g_strdup_printf (_("Attempts on %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, attempts_a11y, -1);
  g_object_set_data_full (G_OBJECT (spin), "completion-id", g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (spin), "expander", expander);
  g_signal_connect (spin, "value-changed", G_CALLBACK (attempts_changed_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (attempts_row), spin);
  /* Tab goes straight to the number: the row itself does nothing. */
  gtk_widget_set_focusable (attempts_row, FALSE);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), attempts_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), route_error_row_new (spin));

  /* Sent */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (sent_row), _("Sent"));
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (sw), topout_completion_get_is_success (c));
  /* Translators: accessible label; %s is the climb */
  sent_a11y = g_strdup_printf (_("Sent %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, sent_a11y, -1);
  g_object_set_data_full (G_OBJECT (sw), "completion-id", g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (sw), "expander", expander);
  g_signal_connect (sw, "notify::active", G_CALLBACK (sent_changed_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (sent_row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (sent_row), sw);
  /* Tab goes straight to the switch (a second stop for the same thing). */
  gtk_widget_set_focusable (sent_row, FALSE);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), sent_row);

  /* Note */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (note_row), _("Note"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (note_row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (note_row),
                         topout_completion_get_notes (c) ? topout_completion_get_notes (c) : "");
  /* Translators: accessible label; %s is the climb */
  note_a11y = g_strdup_printf (_("Note on %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (note_row), GTK_ACCESSIBLE_PROPERTY_LABEL, note_a11y, -1);
  g_object_set_data_full (G_OBJECT (note_row), "completion-id", g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (note_row), "expander", expander);
  g_signal_connect (note_row, "apply", G_CALLBACK (note_applied_cb), self);
  g_signal_connect (note_row, "changed", G_CALLBACK (note_changed_cb), NULL);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), note_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), route_error_row_new (note_row));

  /* Named once, not by the rows' titles too ("Sent Crimp Cathedral
   * Sent"): they are named before they are first mapped, and a screen
   * reader may read a collapsed route's controls. */
  topout_accessible_name_mend (remove);
  topout_accessible_name_mend (spin);
  topout_accessible_name_mend (sw);
  topout_accessible_name_mend (note_row);
  /* Its header says whether the route's controls are shown; its arrow is
   * not heard ("GtkImage"). */
  topout_expander_row_mend (ADW_EXPANDER_ROW (expander));

  g_object_set_data_full (G_OBJECT (expander), "completion-id", g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (expander), "attempts-spin", spin);
  g_object_set_data (G_OBJECT (expander), "note-row", note_row);
  return expander;
}

/* Saves what was typed in the routes and not yet applied (attempts typed
 * without Enter, a note without its apply button): Save means all of it.
 * FALSE when one of them was refused: its message is under it, and the
 * focus goes there. */
static gboolean
flush_route_edits (TopoutSessionEditor *self)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->completions_list, i)) != NULL; i++)
    {
      GtkSpinButton *spin = g_object_get_data (G_OBJECT (row), "attempts-spin");
      GtkWidget *note = g_object_get_data (G_OBJECT (row), "note-row");
      const char *id = g_object_get_data (G_OBJECT (row), "completion-id");
      TopoutCompletion *c;

      if (spin != NULL)
        gtk_spin_button_update (spin);  /* value-changed saves it */
      c = find_completion (self, id, NULL);
      if (c == NULL)
        continue;
      if (spin != NULL &&
          (route_error_shown (GTK_WIDGET (spin)) ||
           (guint) gtk_spin_button_get_value_as_int (spin) != topout_completion_get_attempts (c)))
        {
          gtk_widget_grab_focus (GTK_WIDGET (spin));
          return FALSE;
        }
      if (note != NULL && !apply_note (self, ADW_ENTRY_ROW (note)))
        {
          gtk_widget_grab_focus (note);
          return FALSE;
        }
    }
  return TRUE;
}

/* What is typed in @row's route and not yet applied (Enter, its apply
 * button or Save applies it; closing would not): its attempts' text and
 * its note, each NULL when it is as stored. FALSE when neither is. */
static gboolean
route_typed (TopoutSessionEditor  *self,
             GtkListBoxRow        *row,
             char                **attempts_out,
             char                **note_out)
{
  GtkWidget *spin = g_object_get_data (G_OBJECT (row), "attempts-spin");
  GtkWidget *note = g_object_get_data (G_OBJECT (row), "note-row");
  TopoutCompletion *c = find_completion (self, g_object_get_data (G_OBJECT (row), "completion-id"), NULL);
  g_autofree char *attempts = NULL;
  g_autofree char *typed = NULL;

  *attempts_out = NULL;
  *note_out = NULL;
  if (c == NULL)
    return FALSE;
  attempts = g_strdup_printf ("%u", topout_completion_get_attempts (c));
  typed = spin != NULL ? g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin)))) : NULL;
  if (typed != NULL && g_strcmp0 (typed, attempts) != 0)
    *attempts_out = g_steal_pointer (&typed);
  if (note != NULL && !text_equal (gtk_editable_get_text (GTK_EDITABLE (note)), topout_completion_get_notes (c)))
    *note_out = g_strdup (gtk_editable_get_text (GTK_EDITABLE (note)));
  return *attempts_out != NULL || *note_out != NULL;
}

/* A route's attempts or note typed and not yet applied. */
static gboolean
routes_unsaved (TopoutSessionEditor *self)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->completions_list, i)) != NULL; i++)
    {
      g_autofree char *attempts = NULL;
      g_autofree char *note = NULL;

      if (route_typed (self, row, &attempts, &note))
        return TRUE;
    }
  return FALSE;
}

static void
reload_completions (TopoutSessionEditor *self)
{

  topout_list_box_remove_rows (self->completions_list);
  g_clear_pointer (&self->completions, g_ptr_array_unref);
  if (self->session_id == NULL)
    return;

  self->completions = topout_store_list_completions (self->store, self->session_id);
  if (self->completions == NULL)
    self->completions = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->completions->len; i++)
    gtk_list_box_append (self->completions_list,
                         completion_row_new (self, g_ptr_array_index (self->completions, i)));
}

static void
picker_dismissed_cb (TopoutSessionEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "window.close", NULL);
}

static void
climb_picked_cb (GtkWidget           *picker,
                 const char          *climb_id,
                 guint                attempts,
                 gboolean             is_success,
                 const char          *notes,
                 TopoutSessionEditor *self)
{
  g_autoptr (TopoutCompletion) draft = topout_completion_new ();
  g_autoptr (TopoutCompletion) added = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  if (self->session_id == NULL)
    return;
  topout_completion_set_climb_id (draft, climb_id);
  topout_completion_set_attempts (draft, attempts);
  topout_completion_set_is_success (draft, is_success);
  topout_completion_set_notes (draft, notes);
  added = topout_store_add_completion (self->store, self->session_id, draft, &error);
  if (added == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  topout_climb_picker_reset (TOPOUT_CLIMB_PICKER (picker));
  reload_completions (self);
  refresh_snapshot (self);
  {
    g_autofree char *title = completion_title (added);

    /* Translators: a toast; %s is the climb */
    message = g_strdup_printf (_("Added “%s”"), title);
  }
  /* Translators: the same toast, one line at 360 px, where the climb's
   * name does not fit */
  show_toast_brief (self, message, _("Route added"));
}

/* Actions ------------------------------------------------------------------------ */

static void
create_past_session (TopoutSessionEditor *self)
{
  g_autoptr (TopoutSession) draft = topout_session_new ();
  g_autoptr (TopoutSession) created = NULL;
  g_autoptr (GError) error = NULL;

  if (self->climber_id == NULL)
    {
      show_field_error (self, FIELD_CLIMBER, _("Choose the climber of this session."));
      return;
    }
  topout_session_set_climber_id (draft, self->climber_id);
  read_form (self, draft);
  /* Times typed are kept; left empty, the store takes the slot's. */
  if (!read_times (self, draft))
    return;
  created = topout_store_create_past_session (self->store, draft, &error);
  if (created == NULL)
    {
      show_field_error (self, field_of_error (self, draft, error), error->message);
      return;
    }

  /* Now edit it, so its routes can be added. */
  self->session_id = g_strdup (topout_session_get_id (created));
  g_set_object (&self->session, created);
  fill_form (self);
  reload_completions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_ID]);
  /* Translators: a toast, one line at 360 px, where "Past session created —
   * add its routes" does not fit */
  show_toast_brief (self, _("Past session created — add its routes"), _("Past session created"));
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.add-route", NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TopoutSessionEditor *self = TOPOUT_SESSION_EDITOR (widget);
  g_autoptr (TopoutSession) edited = NULL;
  g_autoptr (GError) error = NULL;

  clear_errors (self);
  if (self->session == NULL)
    {
      if (self->session_id == NULL)
        create_past_session (self);
      return;
    }

  if (!flush_route_edits (self))
    return;
  /* Changed elsewhere since it was read (not yet shown): what was typed
   * goes over it, field by field, instead of a refusal. */
  refresh_snapshot (self);
  edited = topout_session_copy (self->session);
  read_form (self, edited);
  if (!read_times (self, edited))
    return;
  if (form_unchanged (self->session, edited))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (!topout_store_update_session (self->store, edited, &error))
    {
      /* Nothing was saved; the message goes where it can be fixed. */
      show_field_error (self, field_of_error (self, edited, error), error->message);
      return;
    }
  /* Only a session the sync will send waits for it: not one still on the
   * wall, nor demo data (both stay "On this device only"). */
  {
    g_autoptr (TopoutSession) saved = topout_store_get_session (self->store, self->session_id, NULL);
    gboolean waits = saved != NULL && topout_session_get_sync_state (saved) != TOPOUT_SYNC_STATE_LOCAL;

    toast_in_parent (self, waits ? _("Saved — waiting to sync") : _("Saved"));
  }
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
discard_idle_cb (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static gboolean
save_idle_cb (gpointer data)
{
  /* Closes when saved; a refusal stays, said at its field. */
  gtk_widget_activate_action (GTK_WIDGET (data), "editor.save", NULL);
  return G_SOURCE_REMOVE;
}

/* The answer is carried out once the prompt has gone: closing the editor
 * under it would take the prompt with it while it still answers. */
static void
unsaved_response_cb (AdwMessageDialog    *dialog,
                     const char          *response,
                     TopoutSessionEditor *self)
{
  if (g_strcmp0 (response, "discard") == 0)
    {
      self->discard = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, discard_idle_cb, g_object_ref (self), g_object_unref);
    }
  else if (g_strcmp0 (response, "save") == 0)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, save_idle_cb, g_object_ref (self), g_object_unref);
}

/* Closing (Escape, Cancel, the picker's Escape) with something typed and
 * not saved asks first: a stray Escape lost a coach's notes without a word. */
static gboolean
close_request_cb (TopoutSessionEditor *self)
{
  GtkWidget *dialog;

  if (self->discard || !has_unsaved_edits (self))
    return FALSE;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"),
                                   _("What was typed in this session is not saved yet. "
                                     "Closing without saving loses it."));
  gtk_widget_set_name (dialog, "editor-unsaved");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (unsaved_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* The routes listed are not the ones stored (logged, removed or edited
 * elsewhere). */
static gboolean
routes_differ (TopoutSessionEditor *self)
{
  g_autoptr (GPtrArray) stored = topout_store_list_completions (self->store, self->session_id);
  guint n = self->completions != NULL ? self->completions->len : 0;

  if (stored == NULL || stored->len != n)
    return TRUE;
  for (guint i = 0; i < n; i++)
    {
      TopoutCompletion *a = g_ptr_array_index (stored, i);
      TopoutCompletion *b = g_ptr_array_index (self->completions, i);

      if (g_strcmp0 (topout_completion_get_id (a), topout_completion_get_id (b)) != 0 ||
          topout_completion_get_attempts (a) != topout_completion_get_attempts (b) ||
          topout_completion_get_is_success (a) != topout_completion_get_is_success (b) ||
          !text_equal (topout_completion_get_notes (a), topout_completion_get_notes (b)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
session_changed_idle_cb (gpointer data)
{
  TopoutSessionEditor *self = data;
  gboolean changed;

  self->changed_idle = 0;
  changed = refresh_snapshot (self);
  /* A route typed and not yet applied is not swept away by a reload. */
  if (!routes_unsaved (self) && routes_differ (self))
    {
      reload_completions (self);
      changed = TRUE;
    }
  if (changed)
    /* Translators: a toast, one line at 360 px, where the sentence before
     * does not fit */
    show_toast_brief (self, _("This session was changed elsewhere: the changes are shown, and what you typed is kept."),
                      _("Session changed elsewhere"));
  return G_SOURCE_REMOVE;
}

/* Another window, the front desk or the forgotten-session rule changed the
 * session being edited (or a sync its state): shown once idle, after any
 * write of the editor's own has finished. */
static void
store_session_changed_cb (TopoutSessionEditor *self,
                          TopoutSession       *before,
                          TopoutSession       *after)
{
  TopoutSession *s = after != NULL ? after : before;

  if (self->session_id == NULL || self->changed_idle != 0 ||
      (s != NULL && g_strcmp0 (topout_session_get_id (s), self->session_id) != 0))
    return;
  self->changed_idle = g_idle_add (session_changed_idle_cb, self);
}

/* Another program wrote to the database (an import, the command line). */
static void
store_sessions_reset_cb (TopoutSessionEditor *self)
{
  if (self->session_id != NULL && self->changed_idle == 0)
    self->changed_idle = g_idle_add (session_changed_idle_cb, self);
}

static gboolean
sync_changed_idle_cb (gpointer data)
{
  TopoutSessionEditor *self = data;

  self->sync_idle = 0;
  /* Only the sync bookkeeping changed: nothing typed or listed is touched,
   * the snapshot and its status line are read again. */
  if (self->changed_idle == 0)
    refresh_snapshot (self);
  return G_SOURCE_REMOVE;
}

/* A sync's batch (more sessions than the store names one by one) changed
 * sync states: the status line ("Completed · Synced") follows. */
static void
store_sessions_sync_changed_cb (TopoutSessionEditor *self)
{
  if (self->session_id != NULL && self->sync_idle == 0)
    self->sync_idle = g_idle_add (sync_changed_idle_cb, self);
}

/* Enter in a one-line field of the session saves, as a dialog's default
 * action would. Not a default widget: Return anywhere else (a route's
 * expander, a list) would save and close too. */
static void
entry_activated_cb (TopoutSessionEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

/* Reopen, Restore and Delete: one status change of the stored session, its
 * refusal shown at the status, then a toast (with Undo when @undo_action). */
static void
change_status_from_editor (TopoutSessionEditor *self,
                           gboolean           (*change) (TopoutStore *, const char *, GError **),
                           const char          *message,
                           const char          *undo_action)
{
  g_autoptr (GError) error = NULL;
  AdwToast *toast;

  if (self->session_id == NULL)
    return;
  clear_errors (self);
  if (!change (self->store, self->session_id, &error))
    {
      show_field_error (self, FIELD_STATUS, error->message);
      return;
    }
  refresh_snapshot (self);
  toast = topout_toast_new_plain (message);
  if (undo_action != NULL)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, undo_action);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
reopen_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TopoutSessionEditor *self = TOPOUT_SESSION_EDITOR (widget);

  /* A Reopen by mistake must not lose the recorded end: its Undo ends the
   * session again where it ended (and deletes it again if it was). */
  if (self->session != NULL)
    {
      self->reopened_from = topout_session_get_status (self->session);
      self->reopened_end = topout_session_get_ended_at (self->session);
    }
  change_status_from_editor (self, topout_store_reopen_session, _("Session reopened"),
                             self->reopened_end != 0 ? "editor.undo-reopen" : NULL);
}

static void
undo_reopen_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TopoutSessionEditor *self = TOPOUT_SESSION_EDITOR (widget);
  g_autoptr (GError) error = NULL;
  gint64 ended = self->reopened_end;

  self->reopened_end = 0;
  if (self->session_id == NULL || ended == 0 ||
      self->session == NULL || topout_session_get_status (self->session) != TOPOUT_SESSION_STATUS_ACTIVE)
    return;
  if (!topout_store_end_session_at (self->store, self->session_id, ended, &error) ||
      (self->reopened_from == TOPOUT_SESSION_STATUS_CANCELLED &&
       !topout_store_cancel_session (self->store, self->session_id, &error)))
    show_field_error (self, FIELD_STATUS, error->message);
  refresh_snapshot (self);
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  change_status_from_editor (TOPOUT_SESSION_EDITOR (widget), topout_store_restore_session,
                             _("Session restored"), NULL);
}

/* "Delete" is a cancellation (SPEC rule 7), undone from the toast. */
static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  change_status_from_editor (TOPOUT_SESSION_EDITOR (widget), topout_store_cancel_session,
                             _("Session deleted"), "editor.restore");
}

/* The changes given back after the kiosk locked are not wanted: the form
 * and the routes show the session as it is stored. */
static void
discard_draft_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TopoutSessionEditor *self = TOPOUT_SESSION_EDITOR (widget);

  if (self->session == NULL)
    return;
  clear_errors (self);
  refresh_snapshot (self);
  fill_form (self);
  reload_completions (self);
  gtk_widget_set_visible (self->draft_notice, FALSE);
  gtk_widget_action_set_enabled (widget, "editor.discard-draft", FALSE);
  focus_first_field (self);
}

static void
picker_revealed_cb (TopoutSessionEditor *self)
{
  if (!gtk_revealer_get_child_revealed (self->picker_revealer))
    return;
  g_signal_handlers_disconnect_by_func (self->picker_revealer, picker_revealed_cb, self);
  if (self->picker != NULL)
    gtk_widget_child_focus (self->picker, GTK_DIR_TAB_FORWARD);
}

static void
add_route_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TopoutSessionEditor *self = TOPOUT_SESSION_EDITOR (widget);
  gboolean reveal = !gtk_revealer_get_reveal_child (self->picker_revealer);

  if (self->session == NULL)
    return;
  if (self->picker == NULL)
    {
      self->picker = topout_climb_picker_new (self->store);
      topout_climb_picker_set_climber_id (TOPOUT_CLIMB_PICKER (self->picker),
                                          topout_session_get_climber_id (self->session));
      g_signal_connect (self->picker, "picked", G_CALLBACK (climb_picked_cb), self);
      /* Escape in its empty search closes the editor, as anywhere else in it. */
      g_signal_connect_swapped (self->picker, "dismissed", G_CALLBACK (picker_dismissed_cb), self);
      gtk_box_append (self->picker_box, self->picker);
    }
  g_signal_handlers_disconnect_by_func (self->picker_revealer, picker_revealed_cb, self);
  gtk_revealer_set_reveal_child (self->picker_revealer, reveal);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->add_route_button),
                               GTK_ACCESSIBLE_STATE_EXPANDED, reveal,
                               -1);
  if (!reveal)
    return;
  /* Nothing in it takes the focus until it is shown (after "Create" the
   * focus was left on the scrolled page): its search once it is. */
  if (gtk_revealer_get_child_revealed (self->picker_revealer))
    gtk_widget_child_focus (self->picker, GTK_DIR_TAB_FORWARD);
  else
    g_signal_connect_swapped (self->picker_revealer, "notify::child-revealed",
                              G_CALLBACK (picker_revealed_cb), self);
}

/* Where the keyboard goes once the routes are listed again: the header of
 * the route at @index (or the last one), else Add Route. The rows the focus
 * was in are gone: it was dropped, and the next Tab began at the top. */
static void
focus_route_at (TopoutSessionEditor *self,
                int                  index)
{
  GtkListBoxRow *row = NULL;

  for (int i = MAX (index, 0); i >= 0 && row == NULL; i--)
    row = gtk_list_box_get_row_at_index (self->completions_list, i);
  if (row != NULL && route_header (GTK_WIDGET (row)) != NULL &&
      gtk_widget_grab_focus (route_header (GTK_WIDGET (row))))
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self->add_route_button));
}

/* Whether the keyboard is in the routes, or nowhere (a toast's button,
 * gone with it). */
static gboolean
focus_in_routes_or_lost (TopoutSessionEditor *self)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));

  return focus == NULL || !gtk_widget_get_mapped (focus) ||
         gtk_widget_is_ancestor (focus, GTK_WIDGET (self->completions_list)) ||
         (GTK_IS_ACTIONABLE (focus) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (focus)), "editor.undo-remove") == 0);
}

/* The Undo toast is gone (or replaced): a new removal starts a new one. */
static void
old_toast_forget (TopoutSessionEditor *self)
{
  if (self->remove_toast != NULL)
    g_signal_handlers_disconnect_by_data (self->remove_toast, self);
  g_clear_object (&self->remove_toast);
  g_clear_pointer (&self->remove_ids, g_free);
}

static void
remove_toast_dismissed (TopoutSessionEditor *self,
                        AdwToast            *toast)
{
  if (toast == self->remove_toast)
    old_toast_forget (self);
}

static void
remove_completion_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  TopoutSessionEditor *self = TOPOUT_SESSION_EDITOR (widget);
  const char *id = g_variant_get_string (param, NULL);
  guint index = 0;
  TopoutCompletion *c = find_completion (self, id, &index);
  g_autoptr (TopoutCompletion) copy = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *message = NULL;
  const char *brief = NULL;
  AdwToast *toast;
  gboolean refocus;

  if (c == NULL)
    return;
  refocus = focus_in_routes_or_lost (self);
  copy = topout_completion_copy (c);
  if (!topout_store_remove_completion (self->store, id, &error))
    {
      show_toast (self, error->message);
      return;
    }
  g_hash_table_replace (self->removed, g_strdup (id), g_object_ref (copy));
  reload_completions (self);
  refresh_snapshot (self);
  if (refocus)
    focus_route_at (self, (int) index);

  /* Removals in a row share one toast, whose Undo brings them all back
   * (a second toast would hide the first one's Undo for good). */
  if (self->remove_toast != NULL)
    {
      g_autofree char *ids = g_strconcat (self->remove_ids, "\n", id, NULL);
      g_autoptr (AdwToast) old = g_object_ref (self->remove_toast);
      guint n = 1;

      for (const char *p = ids; *p != '\0'; p++)
        n += *p == '\n';
      old_toast_forget (self);
      /* Not at once: it may still be sliding in (topout_toast_dismiss_later()). */
      topout_toast_dismiss_later (old);
      /* Translators: a toast with Undo after several removals */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Removed %u route", "Removed %u routes", n), n);
      self->remove_ids = g_steal_pointer (&ids);
    }
  else
    {
      title = completion_title (copy);
      /* Translators: a toast with Undo; %s is the climb */
      message = g_strdup_printf (_("Removed “%s”"), title);
      /* Translators: the same toast, one line at 360 px, where the climb's
       * name does not fit (its Undo is described with the whole text) */
      brief = _("Route removed");
      self->remove_ids = g_strdup (id);
    }
  toast = topout_toast_new_fitting (message, brief, NULL);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_action_name (toast, "editor.undo-remove");
  adw_toast_set_action_target_value (toast, g_variant_new_string (self->remove_ids));
  self->remove_toast = g_object_ref (toast);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (remove_toast_dismissed), self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TopoutSessionEditor *self = TOPOUT_SESSION_EDITOR (widget);
  g_auto (GStrv) ids = g_strsplit (g_variant_get_string (param, NULL), "\n", -1);
  g_autofree char *first_back = NULL;
  gboolean refocus = focus_in_routes_or_lost (self);

  if (self->session_id == NULL)
    return;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      TopoutCompletion *removed = g_hash_table_lookup (self->removed, ids[i]);
      g_autoptr (TopoutCompletion) draft = NULL;
      g_autoptr (TopoutCompletion) added = NULL;
      g_autoptr (GError) error = NULL;

      if (removed == NULL)
        continue;
      /* Logged again as it was (a new id, the same climb, grade, attempts,
       * send, note and time of logging). */
      draft = topout_completion_new ();
      topout_completion_set_climb_id (draft, topout_completion_get_climb_id (removed));
      topout_completion_set_grade (draft, topout_completion_get_grade (removed));
      topout_completion_set_attempts (draft, topout_completion_get_attempts (removed));
      topout_completion_set_is_success (draft, topout_completion_get_is_success (removed));
      topout_completion_set_notes (draft, topout_completion_get_notes (removed));
      topout_completion_set_logged_at (draft, topout_completion_get_logged_at (removed));
      added = topout_store_add_completion (self->store, self->session_id, draft, &error);
      if (added == NULL)
        {
          show_toast (self, error->message);
          break;
        }
      if (first_back == NULL)
        first_back = g_strdup (topout_completion_get_id (added));
      g_hash_table_remove (self->removed, ids[i]);
    }
  /* Its toast is used up, however the undo came (its button, or the
   * action): the next removal starts a new one. */
  if (self->remove_toast != NULL)
    {
      g_autoptr (AdwToast) used = g_object_ref (self->remove_toast);

      old_toast_forget (self);
      topout_toast_dismiss_later (used);
    }
  reload_completions (self);
  refresh_snapshot (self);
  /* The keyboard on the route brought back. */
  if (refocus && first_back != NULL)
    {
      guint index = 0;

      if (find_completion (self, first_back, &index) != NULL)
        focus_route_at (self, (int) index);
    }
}

/* The routes by keyboard ------------------------------------------------------- */

/* The header of @route (an expander row): the row that shows the climb,
 * with its Remove button, above the route's own controls. */
static GtkWidget *
route_header (GtkWidget *route)
{
  for (GtkWidget *w = gtk_widget_get_first_child (route); w != NULL;)
    {
      if (ADW_IS_ACTION_ROW (w))
        return w;
      /* Depth first. */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != route && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          if (w == route)
            return NULL;
          w = gtk_widget_get_next_sibling (w);
        }
    }
  return NULL;
}

/* Up and Down on a route's header (or its Remove button) go to the route
 * above or below, as in any list: each route's header sits in a list of
 * its own inside the expander, whose Up and Down went through the window's
 * Tab order instead (to the Remove button, into the route's controls).
 * Within a route's controls they stay theirs (the attempts' number). */
static gboolean
routes_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       TopoutSessionEditor   *self)
{
  GtkWidget *list = GTK_WIDGET (self->completions_list);
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));
  GtkWidget *route = focus;
  GtkWidget *header;
  gboolean up = keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up;

  if (!up && keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;
  if ((state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  while (route != NULL && gtk_widget_get_parent (route) != list)
    route = gtk_widget_get_parent (route);
  if (route == NULL || !ADW_IS_EXPANDER_ROW (route))
    return FALSE;
  header = route_header (route);
  if (header == NULL || (focus != header && !gtk_widget_is_ancestor (focus, header)))
    return FALSE;
  for (GtkWidget *next = up ? gtk_widget_get_prev_sibling (route) : gtk_widget_get_next_sibling (route);
       next != NULL;
       next = up ? gtk_widget_get_prev_sibling (next) : gtk_widget_get_next_sibling (next))
    {
      GtkWidget *next_header = ADW_IS_EXPANDER_ROW (next) && gtk_widget_get_visible (next) ? route_header (next) : NULL;

      if (next_header != NULL && gtk_widget_grab_focus (next_header))
        return TRUE;
    }
  /* The first or the last: the focus stays. */
  return TRUE;
}

/* Construction --------------------------------------------------------------------- */

static GListModel *
labels_model (int          first,
              int          last,
              const char *(*label) (int))
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (int i = first; i <= last; i++)
    gtk_string_list_append (list, label (i));
  return G_LIST_MODEL (list);
}

static const char *
type_label (int type)
{
  return topout_session_type_get_label (type);
}

static const char *
slot_label (int slot)
{
  if (slot == TOPOUT_TIME_SLOT_UNSET)
    return _("Not set");
  return topout_time_slot_get_label (slot);
}

/* The window opens on the first field a coach edits: GTK's first Tab stop
 * was Cancel, where Enter or Space closed the editor unsaved; for a new
 * session with nobody chosen, the climber search. Escape still closes. */
static void
focus_first_field (TopoutSessionEditor *self)
{
  GtkWidget *first = GTK_WIDGET (self->type_row);

  if (self->session == NULL && self->climber_id == NULL)
    first = GTK_WIDGET (self->climber_search_row);
  gtk_window_set_focus (GTK_WINDOW (self), first);
}

static void
topout_session_editor_constructed (GObject *object)
{
  TopoutSessionEditor *self = TOPOUT_SESSION_EDITOR (object);
  g_autoptr (GError) error = NULL;

  G_OBJECT_CLASS (topout_session_editor_parent_class)->constructed (object);

  g_return_if_fail (TOPOUT_IS_STORE (self->store));

  g_signal_connect_object (self->store, "session-changed", G_CALLBACK (store_session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "sessions-reset", G_CALLBACK (store_sessions_reset_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "sessions-sync-changed", G_CALLBACK (store_sessions_sync_changed_cb), self,
                           G_CONNECT_SWAPPED);

  if (self->session_id != NULL)
    {
      self->session = topout_store_get_session (self->store, self->session_id, &error);
      if (self->session == NULL)
        {
          update_status_rows (self);
          gtk_widget_set_visible (GTK_WIDGET (self->climber_group), FALSE);
          show_field_error (self, FIELD_STATUS, error->message);
          gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", FALSE);
          return;
        }
      fill_form (self);
      reload_completions (self);
      focus_first_field (self);
      return;
    }

  /* A new past session: yesterday, the slot of the hour now, climber preset. */
  {
    gint64 now = topout_store_now (self->store);
    /* The day before on the gym's calendar: 23 or 25 hours back when summer time began or ended. */
    g_autofree char *yesterday = topout_store_date_of (self->store, topout_store_add_days (self->store, now, -1));
    g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
    g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, topout_store_get_time_zone (self->store));

    self->loading = TRUE;
    adw_combo_row_set_selected (self->type_row, TOPOUT_SESSION_TYPE_FUN);
    adw_combo_row_set_selected (self->slot_row, topout_time_slot_for_time (local));
    adw_combo_row_set_selected (self->at_gym_row, at_gym_to_position (1));
    set_date (self, yesterday);
    self->loading = FALSE;
  }
  /* The climber at home, alone in the database, is chosen already (as at
   * the desk); among several, whoever History shows, or nobody. */
  if (self->climber_id == NULL)
    {
      g_autoptr (GPtrArray) climbers = topout_store_find_climbers (self->store, "", FALSE, 2);

      if (climbers != NULL && climbers->len == 1)
        self->climber_id = g_strdup (topout_climber_get_id (g_ptr_array_index (climbers, 0)));
    }
  if (self->climber_id != NULL)
    {
      g_autoptr (TopoutClimber) climber = topout_store_get_climber (self->store, self->climber_id, NULL);

      if (climber == NULL)
        g_clear_pointer (&self->climber_id, g_free);
      else
        {
          /* Translators: subtitle of "New Past Session": the chosen climber */
          g_autofree char *subtitle = g_strdup_printf (_("For %s"), topout_climber_get_display_name (climber));
          adw_window_title_set_subtitle (self->window_title, subtitle);
        }
    }
  update_type_rows (self);
  update_status_rows (self);
  fill_climber_list (self);
  remember_shown (self);
  focus_first_field (self);
}

static void
topout_session_editor_dispose (GObject *object)
{
  TopoutSessionEditor *self = TOPOUT_SESSION_EDITOR (object);

  if (self->picker != NULL)
    g_signal_handlers_disconnect_by_data (self->picker, self);
  self->picker = NULL;
  old_toast_forget (self);
  g_clear_handle_id (&self->changed_idle, g_source_remove);
  g_clear_handle_id (&self->sync_idle, g_source_remove);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOPOUT_TYPE_SESSION_EDITOR);
  g_clear_pointer (&self->completions, g_ptr_array_unref);
  g_clear_pointer (&self->removed, g_hash_table_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (topout_session_editor_parent_class)->dispose (object);
}

static void
topout_session_editor_finalize (GObject *object)
{
  TopoutSessionEditor *self = TOPOUT_SESSION_EDITOR (object);

  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->climber_id, g_free);
  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->shown, g_strfreev);

  G_OBJECT_CLASS (topout_session_editor_parent_class)->finalize (object);
}

static void
topout_session_editor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TopoutSessionEditor *self = TOPOUT_SESSION_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SESSION_ID:
      g_value_set_string (value, self->session_id);
      break;

    case PROP_CLIMBER_ID:
      g_value_set_string (value, self->climber_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_session_editor_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TopoutSessionEditor *self = TOPOUT_SESSION_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SESSION_ID:
      self->session_id = g_value_dup_string (value);
      break;

    case PROP_CLIMBER_ID:
      self->climber_id = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_session_editor_class_init (TopoutSessionEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = topout_session_editor_constructed;
  object_class->dispose = topout_session_editor_dispose;
  object_class->finalize = topout_session_editor_finalize;
  object_class->get_property = topout_session_editor_get_property;
  object_class->set_property = topout_session_editor_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         TOPOUT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION_ID] =
    g_param_spec_string ("session-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIMBER_ID] =
    g_param_spec_string ("climber-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/topout-session-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, draft_notice);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, climber_group);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, climber_search_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, climber_error_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, climber_error_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, climber_list);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, climber_placeholder);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, status_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, sync_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, reopen_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, restore_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, delete_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, status_error_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, status_error_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, type_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, custom_label_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, custom_label_error_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, custom_label_error_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, competition_type_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, competition_id_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, competition_error_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, competition_error_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, name_error_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, name_error_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, date_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, date_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, date_popover);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, calendar);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, date_error_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, date_error_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, slot_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, started_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, started_error_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, started_error_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, ended_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, ended_error_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, ended_error_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, at_gym_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, notes_frame);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, notes_error_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, routes_group);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, add_route_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, picker_revealer);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, picker_box);
  gtk_widget_class_bind_template_child (widget_class, TopoutSessionEditor, completions_list);
  gtk_widget_class_bind_template_callback (widget_class, type_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, calendar_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, started_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, ended_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, climber_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, climber_row_selected_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.reopen", NULL, reopen_action);
  gtk_widget_class_install_action (widget_class, "editor.restore", NULL, restore_action);
  gtk_widget_class_install_action (widget_class, "editor.undo-reopen", NULL, undo_reopen_action);
  gtk_widget_class_install_action (widget_class, "editor.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "editor.add-route", NULL, add_route_action);
  gtk_widget_class_install_action (widget_class, "editor.discard-draft", NULL, discard_draft_action);
  gtk_widget_class_install_action (widget_class, "editor.remove-completion", "s", remove_completion_action);
  gtk_widget_class_install_action (widget_class, "editor.undo-remove", "s", undo_remove_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
topout_session_editor_init (TopoutSessionEditor *self)
{
  g_autoptr (GListModel) types = NULL;
  g_autoptr (GListModel) slots = NULL;
  g_autoptr (GtkStringList) at_gym = NULL;
  const char *at_gym_labels[] = { NULL, NULL, NULL, NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.discard-draft", FALSE);
  topout_list_box_set_placeholder (self->climber_list, GTK_WIDGET (self->climber_placeholder));
  topout_menu_button_name (self->date_button, _("Choose the session date"));

  self->removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);
  /* A sync server set up or taken away in Preferences while the editor is
   * open: the status line says so ("On this device only" / "Pending sync"),
   * as History's rows do. */
  self->settings = g_settings_new (BASE_APPLICATION_ID);
  g_signal_connect_object (self->settings, "changed::server-url",
                           G_CALLBACK (update_status_rows), self, G_CONNECT_SWAPPED);

  types = labels_model (TOPOUT_SESSION_TYPE_FUN, TOPOUT_SESSION_TYPE_WORKOUT, type_label);
  slots = labels_model (TOPOUT_TIME_SLOT_UNSET, TOPOUT_TIME_SLOT_NIGHT, slot_label);
  at_gym_labels[0] = _("Unknown");
  at_gym_labels[1] = _("Yes");
  at_gym_labels[2] = _("No");
  at_gym = gtk_string_list_new (at_gym_labels);

  self->loading = TRUE;
  adw_combo_row_set_model (self->type_row, types);
  adw_combo_row_set_model (self->slot_row, slots);
  adw_combo_row_set_model (self->at_gym_row, G_LIST_MODEL (at_gym));
  self->loading = FALSE;

  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    /* Before the calendar's own keys. */
    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    gtk_event_controller_set_name (keys, "topout-calendar-keys");
    g_signal_connect_object (keys, "key-pressed", G_CALLBACK (calendar_key_pressed_cb), self, 0);
    gtk_widget_add_controller (GTK_WIDGET (self->calendar), keys);
    g_signal_connect_object (self->date_popover, "closed", G_CALLBACK (date_closed_cb), self, G_CONNECT_SWAPPED);
  }

  /* Each list one Tab stop, the arrows within it (Tab went through every
   * climber, and through every route and each of its controls): Down
   * from the climber search goes to the climbers; Tab from a route goes
   * through its own controls and then out of the list. */
  topout_entry_down_to_list (GTK_WIDGET (self->climber_search_row), self->climber_list);
  topout_list_box_one_tab_stop (self->climber_list);
  topout_list_box_row_tab_stops (self->completions_list);
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    /* Before the lists inside each route take Up and Down. */
    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    gtk_event_controller_set_name (keys, "topout-routes-keys");
    g_signal_connect_object (keys, "key-pressed", G_CALLBACK (routes_key_pressed_cb), self, 0);
    gtk_widget_add_controller (GTK_WIDGET (self->completions_list), keys);
  }
}

TopoutSessionEditor *
topout_session_editor_new_for_session (GtkWindow   *parent,
                                       TopoutStore *store,
                                       const char  *session_id)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TOPOUT_IS_STORE (store), NULL);
  g_return_val_if_fail (session_id != NULL, NULL);

  return g_object_new (TOPOUT_TYPE_SESSION_EDITOR,
                       "store", store,
                       "session-id", session_id,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}

TopoutSessionEditor *
topout_session_editor_new_past (GtkWindow   *parent,
                                TopoutStore *store,
                                const char  *climber_id)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TOPOUT_IS_STORE (store), NULL);

  return g_object_new (TOPOUT_TYPE_SESSION_EDITOR,
                       "store", store,
                       "climber-id", climber_id,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}

const char *
topout_session_editor_get_session_id (TopoutSessionEditor *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION_EDITOR (self), NULL);

  return self->session_id;
}

/* A draft: the form as it was filled and as it was typed (form_values()'s
 * order), and each route's text typed and not applied (its completion id,
 * its attempts' text, its note; NULL: as stored). */
#define DRAFT_TYPE "(asasa(smsms))"

GVariant *
topout_session_editor_get_draft (TopoutSessionEditor *self)
{
  g_auto (GStrv) typed = NULL;
  GVariantBuilder routes;
  GtkListBoxRow *row;

  g_return_val_if_fail (TOPOUT_IS_SESSION_EDITOR (self), NULL);

  if (self->session == NULL || !has_unsaved_edits (self))
    return NULL;
  typed = form_values (self);
  g_variant_builder_init (&routes, G_VARIANT_TYPE ("a(smsms)"));
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->completions_list, i)) != NULL; i++)
    {
      g_autofree char *attempts = NULL;
      g_autofree char *note = NULL;

      if (route_typed (self, row, &attempts, &note))
        g_variant_builder_add (&routes, "(smsms)", g_object_get_data (G_OBJECT (row), "completion-id"),
                               attempts, note);
    }
  return g_variant_ref_sink (g_variant_new ("(^as^as@a(smsms))", self->shown, typed,
                                            g_variant_builder_end (&routes)));
}

/* The route row of completion @id, NULL when it is not listed (removed
 * meanwhile). */
static GtkListBoxRow *
route_row (TopoutSessionEditor *self,
           const char          *id)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->completions_list, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "completion-id"), id) == 0)
      return row;
  return NULL;
}

/* A spin button shows its value again when it is realized (GTK 4.8's
 * numeric spin button): attempts given back before then are put back. */
static void
typed_attempts_realized_cb (GtkWidget *spin)
{
  const char *typed = g_object_get_data (G_OBJECT (spin), "typed-attempts");

  if (typed != NULL)
    gtk_editable_set_text (GTK_EDITABLE (spin), typed);
  g_object_set_data (G_OBJECT (spin), "typed-attempts", NULL);
  g_signal_handlers_disconnect_by_func (spin, typed_attempts_realized_cb, NULL);
}

void
topout_session_editor_restore_draft (TopoutSessionEditor *self,
                                     GVariant            *draft)
{
  g_autofree const char **shown = NULL;
  g_autofree const char **typed = NULL;
  g_autoptr (GVariant) routes = NULL;
  GVariantIter iter;
  const char *id, *attempts, *note;

  g_return_if_fail (TOPOUT_IS_SESSION_EDITOR (self));
  g_return_if_fail (draft != NULL);

  if (self->session == NULL || self->shown == NULL || !g_variant_is_of_type (draft, G_VARIANT_TYPE (DRAFT_TYPE)))
    return;
  g_variant_get (draft, "(^a&s^a&s@a(smsms))", &shown, &typed, &routes);
  if (g_strv_length ((char **) shown) != N_FORM_VALUES || g_strv_length ((char **) typed) != N_FORM_VALUES)
    return;

  /* What the coach typed then goes over the session as it is stored now;
   * a field left as it was shows what is stored (as merge_snapshot()). */
  self->loading = TRUE;
  for (FormValue i = 0; i < N_FORM_VALUES; i++)
    if (g_strcmp0 (typed[i], shown[i]) != 0)
      set_form_value (self, i, typed[i]);
  self->loading = FALSE;
  update_type_rows (self);

  /* A route's attempts or note typed then: back in its fields, the route
   * open to show them (Save applies them, as before the lock). */
  g_variant_iter_init (&iter, routes);
  while (g_variant_iter_next (&iter, "(&sm&sm&s)", &id, &attempts, &note))
    {
      GtkListBoxRow *row = route_row (self, id);

      if (row == NULL)
        continue;
      if (attempts != NULL)
        {
          GtkWidget *spin = g_object_get_data (G_OBJECT (row), "attempts-spin");

          gtk_editable_set_text (GTK_EDITABLE (spin), attempts);
          if (!gtk_widget_get_realized (spin))
            {
              g_object_set_data_full (G_OBJECT (spin), "typed-attempts", g_strdup (attempts), g_free);
              g_signal_connect_after (spin, "realize", G_CALLBACK (typed_attempts_realized_cb), NULL);
            }
        }
      if (note != NULL)
        gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (row), "note-row")), note);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
    }

  /* Said plainly, with the way to drop them; nothing is saved until Save. */
  if (has_unsaved_edits (self))
    {
      gtk_widget_set_visible (self->draft_notice, TRUE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.discard-draft", TRUE);
    }
}
