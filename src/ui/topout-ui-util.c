#define G_LOG_DOMAIN "topout-ui-util"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "topout-fit-title.h"
#include "topout-sync-codec.h"
#include "topout-ui-util.h"

char *
topout_format_climber_name (const char *display_name,
                            gboolean    short_form)
{
  g_auto (GStrv) words = NULL;
  const char *first = NULL;
  const char *last = NULL;
  gunichar initial;
  char buf[8] = { 0 };

  if (display_name == NULL)
    return g_strdup ("");
  if (!short_form || !g_utf8_validate (display_name, -1, NULL))
    return g_strdup (display_name);

  words = g_strsplit_set (display_name, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        if (first == NULL)
          first = words[i];
        else
          last = words[i];
      }
  if (first == NULL || last == NULL)
    return g_strdup (display_name);

  initial = g_unichar_toupper (g_utf8_get_char (last));
  g_unichar_to_utf8 (initial, buf);
  /* Translators: a climber's first name and initial, "Ada L." */
  return g_strdup_printf (_("%s %s."), first, buf);
}

char *
topout_format_competition (const char *type,
                           const char *id)
{
  /* Translators: a competition in the picker: "LEAGUE · 2026-r3" */
  return g_strdup_printf (_("%s · %s"), type, id);
}

char *
topout_format_session_competition (TopoutSession *session)
{
  const char *type = topout_session_get_competition_type (session);
  const char *id = topout_session_get_competition_id (session);

  if (!topout_session_get_is_competition (session) || type == NULL || id == NULL)
    return NULL;
  return topout_format_competition (type, id);
}

char *
topout_format_elapsed (gint64 usec)
{
  gint64 minutes = usec / (60 * G_USEC_PER_SEC);

  if (minutes < 1)
    return g_strdup (_("less than a minute"));
  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min", "%d min", minutes), (int) minutes);
  /* Translators: elapsed time, hours and minutes, "1 h 05 min" */
  return g_strdup_printf (_("%d h %02d min"), (int) (minutes / 60), (int) (minutes % 60));
}

char *
topout_format_time (gint64     usec,
                    GTimeZone *zone)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr (GTimeZone) local = zone ? g_time_zone_ref (zone) : g_time_zone_new_local ();
  g_autoptr (GDateTime) dt = NULL;

  if (utc == NULL)
    return g_strdup ("");
  dt = g_date_time_to_timezone (utc, local);
  return g_date_time_format (dt, "%H:%M");
}

/* A session date ("2026-11-21") at noon UTC, or NULL when it is none. */
static GDateTime *
session_date_new (const char *date)
{
  int y, m, d;

  if (date == NULL || sscanf (date, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return NULL;
  return g_date_time_new_utc (y, m, d, 12, 0, 0);
}

char *
topout_format_date (const char *date)
{
  g_autoptr (GDateTime) dt = session_date_new (date);

  if (dt == NULL)
    return g_strdup (date ? date : "");
  /* Translators: a session date, see g_date_time_format(): "Sat 21 Nov 2026" */
  return g_date_time_format (dt, _("%a %-d %b %Y"));
}

char *
topout_format_date_short (const char *date)
{
  g_autoptr (GDateTime) dt = session_date_new (date);

  if (dt == NULL)
    return g_strdup (date ? date : "");
  {
    g_autoptr (GDateTime) now = g_date_time_new_now_local ();

    if (g_date_time_get_year (now) == g_date_time_get_year (dt))
      /* Translators: a session date of this year in a narrow History row
       * (360 px), short, without weekday and year, see
       * g_date_time_format(): "21 Nov" */
      return g_date_time_format (dt, _("%-d %b"));
  }
  /* Translators: a session date of another year in a narrow History row
   * (360 px), short, without the weekday, see g_date_time_format():
   * "21 Nov 2025" */
  return g_date_time_format (dt, _("%-d %b %Y"));
}

const char *
topout_sync_state_icon_name (TopoutSyncState state)
{
  switch (state)
    {
    case TOPOUT_SYNC_STATE_LOCAL:    return "computer-symbolic";
    case TOPOUT_SYNC_STATE_PENDING:  return "content-loading-symbolic";
    case TOPOUT_SYNC_STATE_SYNCING:  return "emblem-synchronizing-symbolic";
    case TOPOUT_SYNC_STATE_SYNCED:   return "emblem-ok-symbolic";
    case TOPOUT_SYNC_STATE_FAILED:   return "network-error-symbolic";
    case TOPOUT_SYNC_STATE_REJECTED: return "action-unavailable-symbolic";
    case TOPOUT_SYNC_STATE_CONFLICT: return "dialog-warning-symbolic";
    default:                         return "dialog-question-symbolic";
    }
}

const char *
topout_sync_state_css_class (TopoutSyncState state)
{
  switch (state)
    {
    case TOPOUT_SYNC_STATE_LOCAL:    return "sync-local";
    case TOPOUT_SYNC_STATE_PENDING:  return "sync-pending";
    case TOPOUT_SYNC_STATE_SYNCING:  return "sync-syncing";
    case TOPOUT_SYNC_STATE_SYNCED:   return "sync-synced";
    case TOPOUT_SYNC_STATE_FAILED:   return "sync-failed";
    case TOPOUT_SYNC_STATE_REJECTED: return "sync-rejected";
    case TOPOUT_SYNC_STATE_CONFLICT: return "sync-conflict";
    default:                         return "sync-local";
    }
}

gboolean
topout_sync_server_is_set_up (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  g_autofree char *server = g_settings_get_string (settings, "server-url");

  return server != NULL && server[0] != '\0';
}

const char *
topout_rejection_advice (const char *code,
                         gboolean   *edit_helps)
{
  TopoutWireError error;
  gboolean helps = TRUE;
  const char *advice;

  if (!topout_wire_error_from_code (code, &error))
    error = (TopoutWireError) -1;
  switch ((int) error)
    {
    case TOPOUT_WIRE_ERROR_INVALID_ATTEMPTS:
      advice = _("Edit the attempts of its routes to send it again.");
      break;
    case TOPOUT_WIRE_ERROR_TOO_LONG:
      advice = _("Shorten its name or notes to send it again.");
      break;
    case TOPOUT_WIRE_ERROR_END_BEFORE_START:
      advice = _("Edit its start or end time to send it again.");
      break;
    case TOPOUT_WIRE_ERROR_COMPETITION_PAIR_MISSING:
      advice = _("Give it both competition fields to send it again.");
      break;
    case TOPOUT_WIRE_ERROR_TOO_MANY_ROUTES:
      advice = _("Remove some of its routes to send it again.");
      break;
    case TOPOUT_WIRE_ERROR_TOO_LARGE:
      advice = _("Remove some of its routes or shorten its notes to send it again.");
      break;
    case TOPOUT_WIRE_ERROR_FOREIGN_CLIENT_ID:
      /* The server holds it under another device token: this device's
       * token of its first name takes it again (a token re-issued under
       * the same name is still the same device). */
      helps = FALSE;
      advice = _("Editing will not help: ask whoever runs the sync server for this device’s own token.");
      break;
    case TOPOUT_WIRE_ERROR_INVALID_JSON:
    case TOPOUT_WIRE_ERROR_INVALID_SHAPE:
    case TOPOUT_WIRE_ERROR_MISSING_FIELD:
    case TOPOUT_WIRE_ERROR_INVALID_TYPE:
    case TOPOUT_WIRE_ERROR_INVALID_STATUS:
    case TOPOUT_WIRE_ERROR_INVALID_TIME_SLOT:
      /* What this app writes by itself: the server reads the contract
       * otherwise (another version), which no field of the editor changes. */
      helps = FALSE;
      advice = _("Editing will not help: ask whoever runs the sync server, it may need updating.");
      break;
    default:
      advice = _("Edit the session to send it again.");
      break;
    }
  if (edit_helps != NULL)
    *edit_helps = helps;
  return advice;
}

char *
topout_sync_detail (TopoutSession   *session,
                    TopoutSyncState  state,
                    gboolean        *edit_helps)
{
  const char *last_error = topout_session_get_last_error (session);
  const char *reason;

  if (edit_helps != NULL)
    *edit_helps = TRUE;
  if (state != TOPOUT_SYNC_STATE_FAILED && state != TOPOUT_SYNC_STATE_REJECTED &&
      state != TOPOUT_SYNC_STATE_CONFLICT)
    return NULL;
  reason = (last_error != NULL && *last_error != '\0')
           ? last_error
           : state == TOPOUT_SYNC_STATE_CONFLICT
           ? _("The server holds another version of this session.")
           : _("No reason was given.");
  if (state == TOPOUT_SYNC_STATE_REJECTED)
    {
      /* The server's messages may end without a full stop. */
      g_autofree char *sentence = g_str_has_suffix (reason, ".") ? g_strdup (reason)
                                                                  : g_strconcat (reason, ".", NULL);
      /* What helps depends on why: a field to edit, or nobody here. */
      const char *advice = topout_rejection_advice (topout_session_get_last_error_code (session), edit_helps);

      /* Translators: a refused session's reason (a sentence), then what
       * to do about it (a sentence, such as "Edit its start or end time
       * to send it again.") */
      return g_strdup_printf (C_("refused session", "%s %s"), sentence, advice);
    }
  return g_strdup (reason);
}

void
topout_label_set_text_if_changed (GtkLabel   *label,
                                  const char *text)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  if (g_strcmp0 (gtk_label_get_label (label), text ? text : "") != 0)
    gtk_label_set_label (label, text ? text : "");
}

static const char *
row_key (GtkListBoxRow *row)
{
  return row != NULL ? g_object_get_data (G_OBJECT (row), "topout-row-key") : NULL;
}

void
topout_list_box_sync_rows (GtkListBox        *list,
                           guint              n,
                           TopoutRowKeyFunc   key_func,
                           TopoutRowMakeFunc  make,
                           gpointer           user_data)
{
  GtkListBoxRow *row;

  g_return_if_fail (GTK_IS_LIST_BOX (list));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = key_func (i, user_data);
      GtkWidget *fresh;

      row = gtk_list_box_get_row_at_index (list, (int) i);
      if (g_strcmp0 (row_key (row), key) == 0)
        continue;
      if (row != NULL)
        {
          const char *sep = strchr (key, '\x1f');
          gsize id_len = sep != NULL ? (gsize) (sep - key) + 1 : strlen (key);

          if (g_strcmp0 (row_key (gtk_list_box_get_row_at_index (list, (int) i + 1)), key) == 0)
            {
              /* This row's item went away. */
              gtk_list_box_remove (list, GTK_WIDGET (row));
              continue;
            }
          if (strncmp (row_key (row) ? row_key (row) : "", key, id_len) == 0)
            /* The same item, changed: a new row replaces it. */
            gtk_list_box_remove (list, GTK_WIDGET (row));
        }
      /* A new item (the rows after it are kept). */
      fresh = make (i, user_data);
      g_object_set_data_full (G_OBJECT (fresh), "topout-row-key", g_steal_pointer (&key), g_free);
      gtk_list_box_insert (list, fresh, (int) i);
    }

  /* The rows left over, not the placeholder. */
  while ((row = gtk_list_box_get_row_at_index (list, (int) n)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

void
topout_list_box_remove_rows (GtkListBox *list)
{
  GtkListBoxRow *row;

  g_return_if_fail (GTK_IS_LIST_BOX (list));
  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

struct _TopoutListFocus {
  char *row_name;
  char *action;
  int   index;
};

TopoutListFocus *
topout_list_box_save_focus (GtkListBox *list)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (list));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row;
  TopoutListFocus *saved;

  g_return_val_if_fail (GTK_IS_LIST_BOX (list), NULL);
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (list)))
    return NULL;
  row = GTK_IS_LIST_BOX_ROW (focus) && gtk_widget_get_parent (focus) == GTK_WIDGET (list)
          ? focus : gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW);
  while (row != NULL && gtk_widget_get_parent (row) != GTK_WIDGET (list))
    row = gtk_widget_get_ancestor (gtk_widget_get_parent (row), GTK_TYPE_LIST_BOX_ROW);
  if (row == NULL)
    return NULL;
  saved = g_new0 (TopoutListFocus, 1);
  saved->row_name = g_strdup (gtk_widget_get_name (row));
  if (focus != row && GTK_IS_ACTIONABLE (focus))
    saved->action = g_strdup (gtk_actionable_get_action_name (GTK_ACTIONABLE (focus)));
  saved->index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  return saved;
}

/* The button of @action in @root that is on screen (a squeezer holds two). */
static GtkWidget *
shown_actionable (GtkWidget  *root,
                  const char *action)
{
  if (!gtk_widget_get_visible (root) || !gtk_widget_get_child_visible (root))
    return NULL;
  if (GTK_IS_ACTIONABLE (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = shown_actionable (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
topout_list_box_refocus (GtkListBox      *list,
                         TopoutListFocus *saved)
{
  GtkListBoxRow *row = NULL;
  GtkListBoxRow *last = NULL;

  g_return_if_fail (GTK_IS_LIST_BOX (list));
  if (saved == NULL)
    return;
  for (int i = 0; (last = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (last)), saved->row_name) == 0)
      {
        GtkWidget *button = saved->action != NULL ? shown_actionable (GTK_WIDGET (last), saved->action) : NULL;

        if (button == NULL || !gtk_widget_grab_focus (button))
          gtk_widget_grab_focus (GTK_WIDGET (last));
        goto out;
      }
  /* Gone: its neighbour. */
  for (int i = saved->index; i >= 0 && row == NULL; i--)
    row = gtk_list_box_get_row_at_index (list, i);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
out:
  g_free (saved->row_name);
  g_free (saved->action);
  g_free (saved);
}

void
topout_ui_load_style (void)
{
  static gsize loaded;

  if (g_once_init_enter (&loaded))
    {
      g_autoptr (GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&loaded, 1);
    }
}

/* topout_after_first_frame() ---------------------------------------------- */

/* Lives until the idle ran or @widget went away ("unrealize" and "destroy",
 * which dispose emits while @widget is still whole): @widget is valid as
 * long as this is. */
typedef struct {
  GtkWidget     *widget;
  GSourceFunc    func;
  gpointer       data;
  GDestroyNotify destroy;
  GdkFrameClock *clock;
  gulong         paint_id;
  guint          idle_id;
} FirstFrame;

static void first_frame_realized_cb   (GtkWidget  *widget,
                                       FirstFrame *first);
static void first_frame_cancelled_cb  (GtkWidget  *widget,
                                       FirstFrame *first);

/* Disconnects everything, runs @func when @run (nothing can free @first
 * while it runs), frees @first. */
static void
first_frame_done (FirstFrame *first,
                  gboolean    run)
{
  g_signal_handlers_disconnect_by_func (first->widget, first_frame_realized_cb, first);
  g_signal_handlers_disconnect_by_func (first->widget, first_frame_cancelled_cb, first);
  if (first->clock != NULL)
    g_clear_signal_handler (&first->paint_id, first->clock);
  g_clear_object (&first->clock);
  g_clear_handle_id (&first->idle_id, g_source_remove);
  if (run)
    first->func (first->data);
  if (first->destroy != NULL)
    first->destroy (first->data);
  g_free (first);
}

static gboolean
first_frame_idle_cb (gpointer data)
{
  FirstFrame *first = data;

  first->idle_id = 0;
  first_frame_done (first, TRUE);
  return G_SOURCE_REMOVE;
}

static void
first_frame_painted_cb (GdkFrameClock *clock,
                        FirstFrame    *first)
{
  g_clear_signal_handler (&first->paint_id, first->clock);
  /* Not from inside the paint, and after what the paint queued. */
  if (first->idle_id == 0)
    first->idle_id = g_idle_add (first_frame_idle_cb, first);
}

static void
first_frame_realized_cb (GtkWidget  *widget,
                         FirstFrame *first)
{
  if (first->clock != NULL)
    return;
  first->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  first->paint_id = g_signal_connect (first->clock, "after-paint",
                                      G_CALLBACK (first_frame_painted_cb), first);
}

/* Unrealized or destroyed before the idle ran: nothing to do any more. */
static void
first_frame_cancelled_cb (GtkWidget  *widget,
                          FirstFrame *first)
{
  first_frame_done (first, FALSE);
}

void
topout_after_first_frame (GtkWidget      *widget,
                          GSourceFunc     func,
                          gpointer        data,
                          GDestroyNotify  destroy)
{
  FirstFrame *first;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (func != NULL);

  first = g_new0 (FirstFrame, 1);
  first->widget = widget;
  first->func = func;
  first->data = data;
  first->destroy = destroy;
  g_signal_connect (widget, "unrealize", G_CALLBACK (first_frame_cancelled_cb), first);
  g_signal_connect (widget, "destroy", G_CALLBACK (first_frame_cancelled_cb), first);
  if (gtk_widget_get_realized (widget))
    first_frame_realized_cb (widget, first);
  else
    g_signal_connect_after (widget, "realize", G_CALLBACK (first_frame_realized_cb), first);
}

void
topout_stack_show_page (GtkStack   *stack,
                        const char *name)
{
  GtkWidget *page;

  g_return_if_fail (GTK_IS_STACK (stack));
  g_return_if_fail (name != NULL);

  page = gtk_stack_get_child_by_name (stack, name);
  g_return_if_fail (page != NULL);
  gtk_widget_set_visible (page, TRUE);
  gtk_stack_set_visible_child (stack, page);
}

/* Toasts shown from a staff page (topout_mark_staff_page()), kept on their
 * overlay until dismissed: they name climbers in full and may carry a staff
 * action's Undo, so the kiosk dismisses them when it locks. */
#define STAFF_PAGE   "topout-staff-page"
#define STAFF_TOASTS "topout-staff-toasts"

static gboolean
from_staff_page (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (g_object_get_data (G_OBJECT (w), STAFF_PAGE) != NULL)
      return TRUE;
  return FALSE;
}

static void
staff_toast_dismissed_cb (AdwToast *toast,
                          GObject  *overlay)
{
  GPtrArray *staff = g_object_get_data (overlay, STAFF_TOASTS);

  g_signal_handlers_disconnect_by_func (toast, staff_toast_dismissed_cb, overlay);
  if (staff != NULL)
    g_ptr_array_remove (staff, toast);
}

void
topout_show_toast (GtkWidget *widget,
                   AdwToast  *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL)
    {
      g_warning ("No toast overlay above %s for “%s”", G_OBJECT_TYPE_NAME (widget), adw_toast_get_title (toast));
      g_object_unref (toast);
      return;
    }
  if (from_staff_page (widget))
    {
      GPtrArray *staff = g_object_get_data (G_OBJECT (overlay), STAFF_TOASTS);

      if (staff == NULL)
        {
          staff = g_ptr_array_new_with_free_func (g_object_unref);
          g_object_set_data_full (G_OBJECT (overlay), STAFF_TOASTS, staff, (GDestroyNotify) g_ptr_array_unref);
        }
      g_ptr_array_add (staff, g_object_ref (toast));
      g_signal_connect_object (toast, "dismissed", G_CALLBACK (staff_toast_dismissed_cb), overlay, 0);
    }
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

void
topout_mark_staff_page (GtkWidget *page)
{
  g_return_if_fail (GTK_IS_WIDGET (page));
  g_object_set_data (G_OBJECT (page), STAFF_PAGE, GINT_TO_POINTER (1));
}

void
topout_dismiss_staff_toasts (AdwToastOverlay *overlay)
{
  GPtrArray *staff;

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  staff = g_object_get_data (G_OBJECT (overlay), STAFF_TOASTS);
  if (staff == NULL)
    return;
  /* Not at once: one may still slide in (topout_toast_dismiss_later()). */
  for (guint i = 0; i < staff->len; i++)
    topout_toast_dismiss_later (g_ptr_array_index (staff, i));
}

AdwToast *
topout_toast_new_plain (const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  return adw_toast_new (escaped);
}

#define TOAST_FULL "topout-toast-full"

/* The toast's button (an Undo, Details…: the one with a label, not the
 * close button) is described with the full text, which the title may not
 * show. 1.2's toast widget holds the title in a bin, beside its buttons. */
static void
describe_toast_button (GtkWidget *title)
{
  GtkWidget *bin = gtk_widget_get_parent (title);
  GtkWidget *toast = bin != NULL ? gtk_widget_get_parent (bin) : NULL;

  if (toast == NULL)
    return;
  for (GtkWidget *c = gtk_widget_get_first_child (toast); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_BUTTON (c) && gtk_button_get_label (GTK_BUTTON (c)) != NULL)
      gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      topout_toast_title_get_full (title), -1);
}

static void
toast_title_set_valist (GtkWidget  *title,
                        const char *full,
                        va_list     args)
{
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();

  g_object_set_data_full (G_OBJECT (title), TOAST_FULL, g_strdup (full), g_free);
  for (const char *text = full; text != NULL; text = va_arg (args, const char *))
    g_ptr_array_add (texts, (gpointer) text);
  g_ptr_array_add (texts, NULL);
  topout_fit_title_set_texts (TOPOUT_FIT_TITLE (title), (const char *const *) texts->pdata);
  if (gtk_widget_get_mapped (title))
    describe_toast_button (title);
}

static GtkWidget *
toast_title_new_empty (void)
{
  GtkWidget *title = topout_fit_title_new ();

  g_signal_connect (title, "map", G_CALLBACK (describe_toast_button), NULL);
  return title;
}

GtkWidget *
topout_toast_title_new (const char *full,
                        ...)
{
  GtkWidget *title = toast_title_new_empty ();
  va_list args;

  va_start (args, full);
  toast_title_set_valist (title, full, args);
  va_end (args);
  return title;
}

void
topout_toast_title_set (GtkWidget  *title,
                        const char *full,
                        ...)
{
  va_list args;

  g_return_if_fail (TOPOUT_IS_FIT_TITLE (title));
  va_start (args, full);
  toast_title_set_valist (title, full, args);
  va_end (args);
}

const char *
topout_toast_title_get_full (GtkWidget *title)
{
  return g_object_get_data (G_OBJECT (title), TOAST_FULL);
}

AdwToast *
topout_toast_new_fitting (const char *full,
                          ...)
{
  AdwToast *toast = adw_toast_new ("");
  GtkWidget *title = toast_title_new_empty ();
  va_list args;

  va_start (args, full);
  toast_title_set_valist (title, full, args);
  va_end (args);
  adw_toast_set_custom_title (toast, title);
  return toast;
}

void
topout_toast_add_details (AdwToast   *toast,
                          const char *action_name,
                          GVariant   *target)
{
  g_return_if_fail (ADW_IS_TOAST (toast));
  g_return_if_fail (action_name != NULL);

  /* Translators: the button of a toast saying something failed (a sync,
   * an export): shows why, in full */
  adw_toast_set_button_label (toast, _("_Details"));
  adw_toast_set_action_name (toast, action_name);
  adw_toast_set_action_target_value (toast, target);
}

GtkWidget *
topout_details_dialog_new (GtkWindow  *parent,
                           const char *name,
                           const char *heading,
                           const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);

  gtk_widget_set_name (dialog, name);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  return dialog;
}

AdwToast *
topout_toast_new_export_failed (const char   *name,
                                const GError *error)
{
  /* Translators: a toast, one line at 360 px beside its button (Details),
   * where it fits; %s is the file's name */
  g_autofree char *full = g_strdup_printf (_("Could not export to %s"), name);
  /* Translators: the file's name, then why it failed. */
  g_autofree char *body = g_strdup_printf (_("Could not export to %s: %s"), name, error->message);
  /* Translators: a toast, one line at 360 px beside its button (Details),
   * where "Could not export to FILE" does not fit: about 14 characters */
  AdwToast *toast = topout_toast_new_fitting (full, C_("export toast", "Export failed"), NULL);

  /* Why (a full disk, no permission, a folder of that name), whole: the
   * toast cut it ("Could not export to topout-sessions-2026.csv: Cann…"). */
  topout_toast_add_details (toast, "app.show-details",
                            /* Translators: the title of the dialog a failed export's Details open */
                            g_variant_new ("(sss)", "export-error-details", _("Export Failed"), body));
  return toast;
}

#define TOAST_DISMISSED "topout-toast-dismissed"

static void
toast_dismissed_cb (AdwToast *toast)
{
  g_object_set_data (G_OBJECT (toast), TOAST_DISMISSED, GINT_TO_POINTER (1));
}

static gboolean
dismiss_later_cb (gpointer data)
{
  /* Not twice: libadwaita 1.2 takes a second dismissal of a toast for the
   * one on screen's, and shows the next one twice (an assertion fails). */
  if (g_object_get_data (G_OBJECT (data), TOAST_DISMISSED) == NULL)
    adw_toast_dismiss (ADW_TOAST (data));
  return G_SOURCE_REMOVE;
}

void
topout_toast_dismiss_later (AdwToast *toast)
{
  g_return_if_fail (ADW_IS_TOAST (toast));
  if (g_object_get_data (G_OBJECT (toast), "topout-toast-watched") == NULL)
    {
      g_object_set_data (G_OBJECT (toast), "topout-toast-watched", GINT_TO_POINTER (1));
      g_signal_connect (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), NULL);
    }
  /* Longer than the overlay's longest slide-in (500 ms). */
  g_timeout_add_full (G_PRIORITY_DEFAULT, 600, dismiss_later_cb, g_object_ref (toast), g_object_unref);
}

/* @body, then @report's notes, a paragraph each. */
static char *
body_with_notes (const char         *body,
                 TopoutImportReport *report)
{
  GString *text = g_string_new (body);

  for (guint i = 0; report != NULL && report->notes != NULL && i < report->notes->len; i++)
    {
      g_string_append (text, "\n\n");
      g_string_append (text, g_ptr_array_index (report->notes, i));
    }
  return g_string_free (text, FALSE);
}

void
topout_show_import_report (GtkWindow          *parent,
                           const char         *heading,
                           const char         *body,
                           TopoutImportReport *report)
{
  g_autofree char *text = body_with_notes (body, report);
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, text);
  TopoutImportReport *problems = report;

  gtk_widget_set_name (dialog, "import-report");
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));

  if (problems != NULL && problems->problems->len > 0)
    {
      GtkWidget *scrolled = gtk_scrolled_window_new ();
      GtkWidget *list = gtk_list_box_new ();

      gtk_widget_set_name (list, "import-problems");
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Problems"), -1);
      for (guint i = 0; i < problems->problems->len; i++)
        {
          TopoutImportProblem *problem = g_ptr_array_index (problems->problems, i);
          GtkWidget *row = adw_action_row_new ();
          /* Translators: a line of an imported file */
          g_autofree char *title = problem->line > 0 ? g_strdup_printf (_("Line %u"), problem->line)
                                                     : g_strdup (_("The whole file"));

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), problem->message);
          g_object_set_data (G_OBJECT (row), "line", GUINT_TO_POINTER (problem->line));
          gtk_list_box_append (GTK_LIST_BOX (list), row);
        }
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

void
topout_show_file_import_report (GtkWindow          *parent,
                                const char         *file_name,
                                TopoutImportReport *report)
{
  g_autofree char *body = NULL;

  if (report->kind == TOPOUT_IMPORT_KIND_CATALOG)
    {
      /* Translators: the report of a catalog import */
      body = g_strdup_printf (_("%s: %u added, %u updated, %u unchanged, %u retired."),
                              file_name, report->n_added, report->n_updated, report->n_unchanged, report->n_retired);
      topout_show_import_report (parent, _("Catalog Imported"), body, report);
      return;
    }
  /* Translators: the report of a climber import */
  body = g_strdup_printf (_("%s: %u added, %u updated, %u unchanged."),
                          file_name, report->n_added, report->n_updated, report->n_unchanged);
  topout_show_import_report (parent, _("Climbers Imported"), body, report);
}

void
topout_show_import_refused (GtkWindow          *parent,
                            const char         *file_name,
                            TopoutImportReport *problems,
                            const GError       *error)
{
  g_autofree char *body = NULL;
  guint n_lines = 0;

  if (problems != NULL)
    for (guint i = 0; i < problems->problems->len; i++)
      if (((TopoutImportProblem *) g_ptr_array_index (problems->problems, i))->line > 0)
        n_lines++;

  /* The file as a whole (empty, too large, of another kind): said with the
   * file's name, as the command line says it; no line to fix, and no list
   * that repeats it. */
  if (n_lines == 0 && problems != NULL && problems->problems->len == 1)
    {
      TopoutImportProblem *problem = g_ptr_array_index (problems->problems, 0);

      g_autofree char *said = g_strdup_printf (_("“%s” cannot be imported: %s"), file_name, problem->message);

      body = body_with_notes (said, problems);
      topout_show_import_report (parent, _("Nothing Was Imported"), body, NULL);
      return;
    }
  if (problems != NULL && problems->problems->len > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s has %u line that cannot be imported. Fix it and import the file again.",
                                         "%s has %u lines that cannot be imported. Fix them and import the file again.",
                                         problems->problems->len),
                            file_name, problems->problems->len);
  else
    body = g_strdup (error != NULL ? error->message : "");
  topout_show_import_report (parent, _("Nothing Was Imported"), body, problems);
}

/* Scrolling -------------------------------------------------------------------- */

void
topout_scroll_area_into_view (GtkScrolledWindow     *scrolled,
                              const graphene_rect_t *area)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scrolled);
  double top = area->origin.y;
  double bottom = area->origin.y + area->size.height;
  double page = gtk_adjustment_get_page_size (adj);
  double shift;

  /* Its bottom into view, never its top out of it. */
  if (top < 0)
    shift = top;
  else
    shift = bottom > page ? MIN (bottom - page, top) : 0;
  if (shift != 0)
    gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + shift);
}

static gboolean
scroll_when_shown_tick (GtkWidget     *widget,
                        GdkFrameClock *clock,
                        gpointer       data)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *bottom = data;
  graphene_rect_t r, b;
  double page;

  if (scrolled == NULL || !gtk_widget_get_mapped (widget))
    return G_SOURCE_REMOVE;
  for (GtkWidget *w = widget; w != scrolled; w = gtk_widget_get_parent (w))
    {
      GtkRevealer *revealer = GTK_IS_REVEALER (w) ? GTK_REVEALER (w) : NULL;
      GtkWidget *child = revealer != NULL ? gtk_revealer_get_child (revealer) : NULL;
      int height = 0;

      if (revealer == NULL)
        continue;
      /* Closed again before it was seen: nothing to show. */
      if (!gtk_revealer_get_reveal_child (revealer) && !gtk_revealer_get_child_revealed (revealer))
        return G_SOURCE_REMOVE;
      /* Still sliding open: the next frame. */
      if (gtk_revealer_get_reveal_child (revealer) != gtk_revealer_get_child_revealed (revealer))
        return G_SOURCE_CONTINUE;
      /* Open, but not laid out open yet (this runs before the frame's
       * layout): the next frame, once the scrolled window's height has
       * grown by it too (scrolled now, its old height held the scroll
       * short) and whatever the layout moved above it has moved. */
      if (child != NULL && gtk_widget_get_visible (child))
        gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, MAX (gtk_widget_get_width (w), 1),
                            &height, NULL, NULL, NULL);
      if (gtk_widget_get_height (w) < height)
        return G_SOURCE_CONTINUE;
    }
  /* Not laid out yet: the next frame. */
  if (gtk_widget_get_height (widget) == 0 || !gtk_widget_compute_bounds (widget, scrolled, &r))
    return G_SOURCE_CONTINUE;
  /* Higher than the view: what ends at @bottom's foot, its top out. */
  page = gtk_adjustment_get_page_size (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)));
  if (bottom != NULL && r.size.height > page && gtk_widget_compute_bounds (bottom, scrolled, &b))
    {
      double foot = MIN (b.origin.y + b.size.height, r.origin.y + r.size.height);

      r.origin.y = MAX (r.origin.y, foot - page);
      r.size.height = foot - r.origin.y;
    }
  topout_scroll_area_into_view (GTK_SCROLLED_WINDOW (scrolled), &r);
  return G_SOURCE_REMOVE;
}

void
topout_scroll_into_view_when_shown (GtkWidget *widget)
{
  topout_scroll_into_view_when_shown_full (widget, NULL);
}

void
topout_scroll_into_view_when_shown_full (GtkWidget *widget,
                                         GtkWidget *bottom)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (bottom == NULL || gtk_widget_is_ancestor (bottom, widget));

  gtk_widget_add_tick_callback (widget, scroll_when_shown_tick, bottom, NULL);
}

/* Accessible names (GTK 4.8) --------------------------------------------------- */

/* The controls that carry a name of their own. Asking any other widget
 * (boxes, labels, images: most of a window) would make it an accessibility
 * context it otherwise never gets, at every start-up. */
static gboolean
is_named_control (GtkWidget *widget)
{
  switch ((int) gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
      return TRUE;
    default:
      return FALSE;
    }
}

/* The name of an icon-only button that GTK 4.8 and libadwaita 1.2 leave
 * unnamed (a toast's close button, the shortcuts window's search, an
 * entry row's apply button): a
 * screen reader said "GtkImage". NULL for any other button. */
static const char *
icon_button_name (GtkWidget *widget)
{
  static const struct {
    const char *icon_name;
    const char *name;
  } icons[] = {
    { "window-close-symbolic", N_("Close") },
    { "edit-find-symbolic", N_("Search") },
    /* An AdwEntryRow's apply button (Preferences' server address). */
    { "adw-entry-apply-symbolic", N_("Apply") },
  };
  GtkWidget *child;

  /* (GTK labels a button by its child: here an image, named by its type.) */
  if (!GTK_IS_BUTTON (widget) || gtk_button_get_label (GTK_BUTTON (widget)) != NULL ||
      gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return NULL;
  child = gtk_button_get_child (GTK_BUTTON (widget));
  for (guint i = 0; GTK_IS_IMAGE (child) && i < G_N_ELEMENTS (icons); i++)
    if (g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (child)), icons[i].icon_name) == 0)
      return _(icons[i].name);
  return NULL;
}

static void
hide_from_screen_readers (GtkWidget *widget)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
}

static gboolean
hide_again_idle_cb (gpointer data)
{
  if (gtk_widget_get_visible (data))
    hide_from_screen_readers (data);
  return G_SOURCE_REMOVE;
}

/* Shown again: GTK makes a widget shown heard again, after ::notify. */
static void
hide_again_when_shown (GtkWidget *widget)
{
  if (gtk_widget_get_visible (widget))
    g_idle_add_full (G_PRIORITY_HIGH_IDLE, hide_again_idle_cb, g_object_ref (widget), g_object_unref);
}

/* libadwaita 1.2's AdwEntryRow is a text box named by its title
 * ("labelled-by" its title label, adw-entry-row.ui), and shows the title in
 * two labels of its own (over the empty entry, and above the text), both in
 * the accessibility tree under it, beside its pencil icon ("GtkImage"): a
 * screen reader read "Server address" three times. The two labels and the
 * icon are hidden from it; the row keeps its name (GTK 4.8 takes the text
 * of a "labelled-by" label, hidden or not). */
static void
hide_entry_row_title (GtkWidget *row,
                      GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_label_get_mnemonic_widget (GTK_LABEL (child)) == row)
        hide_from_screen_readers (child);
      else if (GTK_IS_IMAGE (child) &&
               g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (child)), "document-edit-symbolic") == 0)
        {
          /* The row hides the pencil while it has the keyboard, and GTK
           * makes a widget shown again heard again: it was "GtkImage"
           * beside every field the keyboard had been in. */
          hide_from_screen_readers (child);
          g_signal_connect (child, "notify::visible", G_CALLBACK (hide_again_when_shown), NULL);
        }
      else
        hide_entry_row_title (row, child);
    }
}

/* libadwaita 1.2's AdwComboRow is a combo box that shows its title, what
 * is chosen (in a list of its own, "GtkListView") and an arrow
 * ("GtkImage") as children of its own in the accessibility tree, and is
 * named by nothing (Preferences' Style was heard as "Style" and three
 * unnamed items). The three are hidden from screen readers, its popup
 * list is not, and the row is named by its title and what is chosen
 * ("Style: Follow system"), kept up to date. */
static void
hide_combo_row_parts (GtkWidget *widget,
                      GtkWidget *row)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_POPOVER (child))
        continue;
      if (GTK_IS_LIST_VIEW (child) ||
          (GTK_IS_IMAGE (child) && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (child)), "pan-down-symbolic") == 0) ||
          (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "title")))
        gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      else
        hide_combo_row_parts (child, row);
    }
}

/* @row's title as shown: without the underline of its mnemonic ("Grade
 * _system" is "Grade system"), nor markup when it uses markup. */
static char *
row_title_text (AdwPreferencesRow *row)
{
  const char *title = adw_preferences_row_get_title (row);
  g_autofree char *markup = NULL;
  char *text = NULL;

  if (title == NULL || !adw_preferences_row_get_use_underline (row))
    return g_strdup (title);
  markup = adw_preferences_row_get_use_markup (row) ? g_strdup (title) : g_markup_escape_text (title, -1);
  if (!pango_parse_markup (markup, -1, '_', NULL, &text, NULL, NULL))
    return g_strdup (title);
  return text;
}

static void
combo_row_rename (AdwComboRow *row)
{
  GObject *item = adw_combo_row_get_selected_item (row);
  GtkExpression *expression = adw_combo_row_get_expression (row);
  g_autofree char *title = row_title_text (ADW_PREFERENCES_ROW (row));
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;

  if (GTK_IS_STRING_OBJECT (item))
    text = g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
  else if (item != NULL && expression != NULL)
    {
      g_auto (GValue) value = G_VALUE_INIT;

      if (gtk_expression_evaluate (expression, item, &value) && G_VALUE_HOLDS_STRING (&value))
        text = g_value_dup_string (&value);
    }
  name = text != NULL && *text != '\0' ? g_strdup_printf (C_("drop-down", "%s: %s"), title, text) : g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
mend_accessible_name (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);
  const char *icon_name;

  if (!is_named_control (widget))
    return;
  if (ADW_IS_ENTRY_ROW (widget) && g_object_get_data (G_OBJECT (widget), "topout-title-hidden") == NULL)
    {
      g_object_set_data (G_OBJECT (widget), "topout-title-hidden", GINT_TO_POINTER (1));
      hide_entry_row_title (widget, widget);
    }
  if (ADW_IS_COMBO_ROW (widget) && g_object_get_data (G_OBJECT (widget), "topout-combo-named") == NULL)
    {
      g_object_set_data (G_OBJECT (widget), "topout-combo-named", GINT_TO_POINTER (1));
      hide_combo_row_parts (widget, widget);
      g_signal_connect (widget, "notify::selected-item", G_CALLBACK (combo_row_rename), NULL);
      g_signal_connect (widget, "notify::title", G_CALLBACK (combo_row_rename), NULL);
      g_signal_connect (widget, "notify::use-underline", G_CALLBACK (combo_row_rename), NULL);
      combo_row_rename (ADW_COMBO_ROW (widget));
    }
  if ((icon_name = icon_button_name (widget)) != NULL)
    gtk_accessible_update_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, icon_name, -1);
  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget)) &&
      gtk_button_get_label (GTK_BUTTON (widget)) != NULL && GTK_IS_LABEL (gtk_button_get_child (GTK_BUTTON (widget))))
    {
      /* NULL: the label property is still the raw "_Import…". */
      g_autofree char *other = gtk_test_accessible_check_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                   gtk_button_get_label (GTK_BUTTON (widget)));

      if (other == NULL)
        gtk_accessible_update_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        gtk_label_get_text (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (widget)))),
                                        -1);
    }
  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL) &&
      gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    gtk_accessible_reset_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

void
topout_accessible_name_mend (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  mend_accessible_name (widget);
}

/* Every control under @widget, shown or not: a stack's other pages and a
 * revealer's hidden child are in the accessibility tree before they are
 * ever mapped. */
static void
mend_subtree (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      mend_accessible_name (child);
      mend_subtree (child);
    }
}

/* GTK 4.8 puts every child of an AdwSqueezer, a GtkStack, an AdwViewStack
 * and a folded AdwLeaflet in the accessibility tree, shown or not, and a
 * GtkRevealer's child hidden: a screen reader read a climber's row buttons
 * twice, "Sync now" three times, the Front desk's search and climbers on
 * every other page, History's empty state (its own New Past Session) under
 * the list of sessions, the session panel beside the climbers at a phone's
 * width, and History's Cancel of a transfer never started. The children
 * out of sight are hidden from it, and shown again when they come into
 * sight; before the container has chosen one, none is. */
static gboolean
is_out_of_sight (GtkWidget *container,
                 GtkWidget *child)
{
  GtkWidget *shown;

  if (GTK_IS_REVEALER (container))
    return !gtk_revealer_get_reveal_child (GTK_REVEALER (container));
  if (ADW_IS_LEAFLET (container))
    {
      if (!adw_leaflet_get_folded (ADW_LEAFLET (container)))
        return FALSE;
      shown = adw_leaflet_get_visible_child (ADW_LEAFLET (container));
    }
  else if (ADW_IS_SQUEEZER (container))
    shown = adw_squeezer_get_visible_child (ADW_SQUEEZER (container));
  else if (GTK_IS_STACK (container))
    shown = gtk_stack_get_visible_child (GTK_STACK (container));
  else
    shown = adw_view_stack_get_visible_child (ADW_VIEW_STACK (container));
  return shown != NULL && child != shown;
}

static void
hide_unseen (GtkWidget *container)
{
  for (GtkWidget *child = gtk_widget_get_first_child (container); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN,
                                 is_out_of_sight (container, child), -1);
}

static gboolean
shows_one_child (GObject *object)
{
  return GTK_IS_STACK (object) || ADW_IS_VIEW_STACK (object) || ADW_IS_SQUEEZER (object) || ADW_IS_LEAFLET (object) ||
         GTK_IS_REVEALER (object);
}

static void
watch_shown_child (GtkWidget *container)
{
  if (g_object_get_data (G_OBJECT (container), "topout-hides-unseen") != NULL)
    return;
  g_object_set_data (G_OBJECT (container), "topout-hides-unseen", GINT_TO_POINTER (1));
  if (GTK_IS_REVEALER (container))
    {
      g_signal_connect (container, "notify::reveal-child", G_CALLBACK (hide_unseen), NULL);
      g_signal_connect (container, "notify::child", G_CALLBACK (hide_unseen), NULL);
    }
  else
    g_signal_connect (container, "notify::visible-child", G_CALLBACK (hide_unseen), NULL);
  if (ADW_IS_LEAFLET (container))
    g_signal_connect (container, "notify::folded", G_CALLBACK (hide_unseen), NULL);
  hide_unseen (container);
}

static gboolean
mapped_hook (GSignalInvocationHint *hint,
             guint                  n_values,
             const GValue          *values,
             gpointer               data)
{
  GObject *object = g_value_get_object (&values[0]);

  /* Its parent too: a button's label, mapped after the button, is what
   * makes the relation (a GtkLabel with a mnemonic names its widget). */
  if (GTK_IS_WIDGET (object))
    {
      GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (object));

      mend_accessible_name (GTK_WIDGET (object));
      if (parent != NULL)
        mend_accessible_name (parent);
      /* (A squeezer's other children too: History's New Past Session
       * icon-only button, out of sight in a wide window.) */
      if (GTK_IS_WINDOW (object) || GTK_IS_STACK (object) || ADW_IS_VIEW_STACK (object) || GTK_IS_REVEALER (object) ||
          ADW_IS_SQUEEZER (object))
        mend_subtree (GTK_WIDGET (object));
      if (shows_one_child (object))
        watch_shown_child (GTK_WIDGET (object));
    }
  return TRUE;
}

static gboolean
entry_down_cb (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               GtkListBox            *list)
{
  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;
  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      if (row == NULL)
        return FALSE;
      if (gtk_widget_get_visible (GTK_WIDGET (row)) && gtk_widget_get_child_visible (GTK_WIDGET (row)) &&
          gtk_widget_get_mapped (GTK_WIDGET (row)))
        return gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

void
topout_entry_down_to_list (GtkWidget  *entry,
                           GtkListBox *list)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_name (keys, "topout-down-to-list");
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (entry_down_cb), list, 0);
  gtk_widget_add_controller (entry, keys);
}

/* GTK 4.8 makes a GtkMenuButton a button for screen readers, and the
 * toggle button inside it, the one that takes the focus, another one,
 * named by it (gtkmenubutton.c: the class's role is "button", and its init
 * makes the inner button "labelled-by" the menu button): a screen reader
 * met "Main menu" twice, the button in a button. The menu button is left a
 * plain container (accessible-role "generic" in its .ui: a role cannot
 * change once made), and its inner button carries the name, and says that
 * it opens a menu (GTK sets that on the menu button only). */
void
topout_menu_button_name (GtkMenuButton *menu_button,
                         const char    *name)
{
  GtkWidget *inner = gtk_widget_get_first_child (GTK_WIDGET (menu_button));

  g_return_if_fail (GTK_IS_TOGGLE_BUTTON (inner));
  gtk_accessible_update_property (GTK_ACCESSIBLE (inner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_HAS_POPUP, TRUE,
                                  -1);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (inner), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* GtkListBox shows its placeholder by making it child-visible, which maps
 * it, and hides it by unmapping it: it is heard while mapped. */
static void
placeholder_shown_cb (GtkWidget *placeholder)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (placeholder), GTK_ACCESSIBLE_STATE_HIDDEN,
                               !gtk_widget_get_mapped (placeholder), -1);
}

void
topout_list_box_set_placeholder (GtkListBox *list,
                                 GtkWidget  *placeholder)
{
  g_return_if_fail (GTK_IS_LIST_BOX (list));
  g_return_if_fail (GTK_IS_WIDGET (placeholder));

  g_signal_connect (placeholder, "map", G_CALLBACK (placeholder_shown_cb), NULL);
  g_signal_connect (placeholder, "unmap", G_CALLBACK (placeholder_shown_cb), NULL);
  placeholder_shown_cb (placeholder);
  /* (One set in a .ui is the list's child already.) */
  if (gtk_widget_get_parent (placeholder) != GTK_WIDGET (list))
    gtk_list_box_set_placeholder (list, placeholder);
}

/* The text the button shows for the chosen item (see
 * topout_drop_down_set_first_button_text()), NULL when none is. */
static const char *
chosen_button_text (GtkDropDown *drop_down)
{
  const char *first_text = g_object_get_data (G_OBJECT (drop_down), "topout-first-button-text");
  GObject *item = gtk_drop_down_get_selected_item (drop_down);

  if (!GTK_IS_STRING_OBJECT (item))
    return NULL;
  if (first_text != NULL && gtk_drop_down_get_selected (drop_down) == 0)
    return first_text;
  return gtk_string_object_get_string (GTK_STRING_OBJECT (item));
}

static void
drop_down_button_rename (GtkDropDown *drop_down)
{
  GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (drop_down));
  const char *name = g_object_get_data (G_OBJECT (drop_down), "topout-button-name");
  const char *text = chosen_button_text (drop_down);
  g_autofree char *label = NULL;

  if (name == NULL || !GTK_IS_TOGGLE_BUTTON (button))
    return;
  /* Translators: a drop-down's name and what is chosen in it, as a screen
   * reader says it ("Session type filter: All types") */
  label = text != NULL && *text != '\0' ? g_strdup_printf (C_("drop-down", "%s: %s"), name, text) : g_strdup (name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* libadwaita 1.2's AdwExpanderRow: its header row, the one the keyboard
 * reaches, says nothing of whether the rows under it are shown, and its
 * arrow is heard as "GtkImage". */
static GtkWidget *
find_expander_part (GtkWidget *widget,
                    gboolean   header)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (header ? (ADW_IS_ACTION_ROW (child) && gtk_widget_has_css_class (child, "header"))
                 : (GTK_IS_IMAGE (child) &&
                    g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (child)), "adw-expander-arrow-symbolic") == 0))
        return child;
      if ((found = find_expander_part (child, header)) != NULL)
        return found;
    }
  return NULL;
}

static void
expander_row_expanded_cb (AdwExpanderRow *row)
{
  GtkWidget *header = find_expander_part (GTK_WIDGET (row), TRUE);

  if (header != NULL)
    gtk_accessible_update_state (GTK_ACCESSIBLE (header), GTK_ACCESSIBLE_STATE_EXPANDED,
                                 adw_expander_row_get_expanded (row), -1);
}

/* Its two lists (the header's, and the rows it shows), unnamed, were
 * heard as "GtkListBox": named by the row's title. */
static void
name_expander_lists (GtkWidget  *widget,
                     const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      else
        name_expander_lists (child, title);
    }
}

static void
expander_row_title_cb (AdwExpanderRow *row)
{
  g_autofree char *title = row_title_text (ADW_PREFERENCES_ROW (row));

  name_expander_lists (GTK_WIDGET (row), title != NULL ? title : "");
}

void
topout_expander_row_mend (AdwExpanderRow *row)
{
  GtkWidget *arrow;

  g_return_if_fail (ADW_IS_EXPANDER_ROW (row));

  if ((arrow = find_expander_part (GTK_WIDGET (row), FALSE)) != NULL)
    gtk_accessible_update_state (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  g_signal_connect (row, "notify::expanded", G_CALLBACK (expander_row_expanded_cb), NULL);
  g_signal_connect (row, "notify::title", G_CALLBACK (expander_row_title_cb), NULL);
  expander_row_expanded_cb (row);
  expander_row_title_cb (row);
}

void
topout_drop_down_name_button (GtkDropDown *drop_down,
                              const char  *name)
{
  GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (drop_down));
  const char *tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (drop_down));

  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));
  g_return_if_fail (GTK_IS_TOGGLE_BUTTON (button));

  g_object_set_data_full (G_OBJECT (drop_down), "topout-button-name", g_strdup (name), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_HAS_POPUP, TRUE, -1);
  if (tooltip != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip, -1);
  g_signal_connect (drop_down, "notify::selected-item", G_CALLBACK (drop_down_button_rename), NULL);
  drop_down_button_rename (drop_down);
}

static const char *
string_item_text (GtkListItem *item)
{
  GObject *string = gtk_list_item_get_item (item);

  return GTK_IS_STRING_OBJECT (string) ? gtk_string_object_get_string (GTK_STRING_OBJECT (string)) : "";
}

static void
button_item_setup_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  max_chars)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), GPOINTER_TO_INT (max_chars));
  gtk_list_item_set_child (item, label);
}

static void
button_item_bind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     GtkDropDown              *drop_down)
{
  const char *first_text = g_object_get_data (G_OBJECT (drop_down), "topout-first-button-text");
  const char *text = string_item_text (item);

  if (first_text != NULL)
    {
      g_autoptr (GObject) first = g_list_model_get_item (gtk_drop_down_get_model (drop_down), 0);

      if (first != NULL && first == gtk_list_item_get_item (item))
        text = first_text;
    }
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
  drop_down_button_rename (drop_down);
  if (g_object_get_data (G_OBJECT (drop_down), "topout-ellipsize-middle") != NULL)
    gtk_label_set_ellipsize (GTK_LABEL (gtk_list_item_get_child (item)), PANGO_ELLIPSIZE_MIDDLE);
}

void
topout_drop_down_ellipsize_middle (GtkDropDown *drop_down)
{
  g_object_set_data (G_OBJECT (drop_down), "topout-ellipsize-middle", GINT_TO_POINTER (TRUE));
}

static void
list_item_show_check (GtkDropDown *drop_down,
                      GParamSpec  *pspec,
                      GtkListItem *item)
{
  GtkWidget *check = gtk_widget_get_last_child (gtk_list_item_get_child (item));

  /* The item, not its position: a search in the list leaves out some. */
  gtk_widget_set_opacity (check, gtk_drop_down_get_selected_item (drop_down) == gtk_list_item_get_item (item));
}

static void
list_item_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  max_chars)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (max_chars) > 0)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 2 * GPOINTER_TO_INT (max_chars));
    }
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

static void
list_item_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   GtkDropDown              *drop_down)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *cell = gtk_widget_get_parent (box);
  const char *text = string_item_text (item);

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), text);
  gtk_widget_set_tooltip_text (box, text);
  /* The list's own item widget is what a screen reader lands on. */
  if (cell != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  g_signal_connect_object (drop_down, "notify::selected", G_CALLBACK (list_item_show_check), item, 0);
  list_item_show_check (drop_down, NULL, item);
}

static void
list_item_unbind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     GtkDropDown              *drop_down)
{
  g_signal_handlers_disconnect_by_func (drop_down, list_item_show_check, item);
}

void
topout_drop_down_set_string_factories (GtkDropDown *drop_down,
                                       int          max_chars)
{
  g_autoptr (GtkListItemFactory) list = gtk_signal_list_item_factory_new ();

  /* The factories live no longer than the drop-down (it owns them). */
  g_signal_connect (list, "setup", G_CALLBACK (list_item_setup_cb), GINT_TO_POINTER (max_chars));
  g_signal_connect (list, "bind", G_CALLBACK (list_item_bind_cb), drop_down);
  g_signal_connect (list, "unbind", G_CALLBACK (list_item_unbind_cb), drop_down);
  gtk_drop_down_set_list_factory (drop_down, list);
  if (max_chars > 0)
    {
      g_autoptr (GtkListItemFactory) button = gtk_signal_list_item_factory_new ();

      g_signal_connect (button, "setup", G_CALLBACK (button_item_setup_cb), GINT_TO_POINTER (max_chars));
      g_signal_connect (button, "bind", G_CALLBACK (button_item_bind_cb), drop_down);
      gtk_drop_down_set_factory (drop_down, button);
    }
}

void
topout_drop_down_set_first_button_text (GtkDropDown *drop_down,
                                        const char  *text)
{
  g_object_set_data_full (G_OBJECT (drop_down), "topout-first-button-text", g_strdup (text), g_free);
}

/* Moves the focus out of @list to the window's next (or previous) stop:
 * GtkListBox's and GtkListBase's focus() step to their next row, so the
 * window looks with the list out of the chain (one that cannot focus is
 * passed over), then it is back. */
static gboolean
tab_out_of (GtkWidget *list,
            gboolean   backward)
{
  GtkRoot *root = gtk_widget_get_root (list);
  gboolean moved;

  if (root == NULL)
    return FALSE;
  gtk_widget_set_can_focus (list, FALSE);
  moved = gtk_widget_child_focus (GTK_WIDGET (root), backward ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD);
  gtk_widget_set_can_focus (list, TRUE);
  return moved;
}

static gboolean
one_tab_stop_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GtkListBox            *list)
{
  gboolean backward = keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) != 0;

  if (keyval != GDK_KEY_Tab && keyval != GDK_KEY_KP_Tab && keyval != GDK_KEY_ISO_Left_Tab)
    return FALSE;
  /* Straight to the next stop: through the list's first or last row, the
   * scrolled window it is in would scroll to that row on the way. */
  return tab_out_of (GTK_WIDGET (list), backward);
}

/* The key controller (named for the tests' Tab) that gives @list its Tab
 * stops: @key_pressed, with @list as its data. */
static void
add_tab_stops_controller (GtkWidget *list,
                          GCallback  key_pressed)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_name (keys, "topout-one-tab-stop");
  g_signal_connect_object (keys, "key-pressed", key_pressed, list, 0);
  gtk_widget_add_controller (list, keys);
}

/* While the focus is outside @list, its chosen row is its focus child:
 * GtkListBox's focus() enters a list at its focus child (else at its
 * selected row, which a list without selection has not, else at its first
 * or last row), in either direction. GTK unsets it whenever the focus
 * leaves the list. */
static void
aim_tab_at_chosen (GtkWidget *list)
{
  GtkRoot *root = gtk_widget_get_root (list);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *chosen = NULL;

  if (focus != NULL && (focus == list || gtk_widget_is_ancestor (focus, list)))
    return;
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL && chosen == NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_object_get_data (G_OBJECT (row), "topout-chosen-row") != NULL && gtk_widget_get_visible (row) &&
        gtk_widget_get_child_visible (row))
      chosen = row;
  if (gtk_widget_get_focus_child (list) != chosen)
    gtk_widget_set_focus_child (list, chosen);
}

/* The checked toggle button shown under @widget, if any. */
static GtkWidget *
shown_checked_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child) || !gtk_widget_get_child_visible (child))
        continue;
      if (GTK_IS_TOGGLE_BUTTON (child))
        {
          if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child)))
            return child;
          continue;
        }
      found = shown_checked_button (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* While the focus is outside @group, the focus children from it down lead
 * to its checked button, as in a group of radio buttons: GTK's focus()
 * enters a widget at its focus child (GtkFlowBox's too), in either
 * direction. With none checked, the group is entered at its first or last
 * button, as before. */
static void
aim_tab_at_checked (GtkWidget *group)
{
  GtkRoot *root = gtk_widget_get_root (group);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *checked;
  GtkWidget *next;

  if (focus != NULL && (focus == group || gtk_widget_is_ancestor (focus, group)))
    return;
  /* The way to the button checked before. */
  for (GtkWidget *w = group; w != NULL; w = next)
    {
      next = gtk_widget_get_focus_child (w);
      if (next != NULL)
        gtk_widget_set_focus_child (w, NULL);
    }
  checked = shown_checked_button (group);
  for (GtkWidget *w = checked; w != NULL && w != group; w = next)
    {
      next = gtk_widget_get_parent (w);
      gtk_widget_set_focus_child (next, w);
    }
}

/* Where Tab enters @widget, made one Tab stop: a list's chosen row, a
 * group's checked button. */
static void
aim_tab (GtkWidget *widget)
{
  if (g_object_get_data (G_OBJECT (widget), "topout-button-group") != NULL)
    aim_tab_at_checked (widget);
  else
    aim_tab_at_chosen (widget);
}

static void
focus_moved_cb (GtkRoot    *root,
                GParamSpec *pspec,
                GtkWidget  *list)
{
  aim_tab (list);
}

static void
one_tab_stop_map_cb (GtkWidget *list)
{
  GtkRoot *root = gtk_widget_get_root (list);
  gulong id = g_signal_connect_object (root, "notify::focus-widget", G_CALLBACK (focus_moved_cb), list, 0);

  g_object_set_data (G_OBJECT (list), "topout-focus-watch", GSIZE_TO_POINTER (id));
  g_object_set_data (G_OBJECT (list), "topout-focus-watched", root);
  aim_tab (list);
}

static void
one_tab_stop_unmap_cb (GtkWidget *list)
{
  gulong id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (list), "topout-focus-watch"));
  GtkRoot *root = g_object_get_data (G_OBJECT (list), "topout-focus-watched");

  if (id != 0 && root != NULL)
    g_signal_handler_disconnect (root, id);
  g_object_set_data (G_OBJECT (list), "topout-focus-watch", NULL);
  g_object_set_data (G_OBJECT (list), "topout-focus-watched", NULL);
}

void
topout_list_box_one_tab_stop (GtkListBox *list)
{
  add_tab_stops_controller (GTK_WIDGET (list), G_CALLBACK (one_tab_stop_cb));
  g_object_set_data (G_OBJECT (list), "topout-one-tab-stop", GINT_TO_POINTER (TRUE));
  g_signal_connect (list, "map", G_CALLBACK (one_tab_stop_map_cb), NULL);
  g_signal_connect (list, "unmap", G_CALLBACK (one_tab_stop_unmap_cb), NULL);
}

static void
chosen_row_map_cb (GtkWidget *row)
{
  GtkWidget *list = gtk_widget_get_parent (row);

  /* Heard as selected: the row is named as a whole, so its check mark's
   * name ("Selected") is not read. Set once it is in its list: GTK 4.8's
   * list box sets a row it takes in as not selected. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_SELECTED, TRUE, -1);
  if (list != NULL && g_object_get_data (G_OBJECT (list), "topout-one-tab-stop") != NULL)
    aim_tab_at_chosen (list);
}

void
topout_list_box_row_set_chosen (GtkListBoxRow *row)
{
  g_object_set_data (G_OBJECT (row), "topout-chosen-row", GINT_TO_POINTER (TRUE));
  g_signal_connect (row, "map", G_CALLBACK (chosen_row_map_cb), NULL);
}

static gboolean
list_view_tab_cb (GtkEventControllerKey *controller,
                  guint                  keyval,
                  guint                  keycode,
                  GdkModifierType        state,
                  GtkWidget             *list)
{
  gboolean backward = keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) != 0;

  if (keyval != GDK_KEY_Tab && keyval != GDK_KEY_KP_Tab && keyval != GDK_KEY_ISO_Left_Tab)
    return FALSE;
  return tab_out_of (list, backward);
}

void
topout_list_view_one_tab_stop (GtkWidget *list)
{
  g_return_if_fail (GTK_IS_LIST_VIEW (list) || GTK_IS_GRID_VIEW (list));
  add_tab_stops_controller (list, G_CALLBACK (list_view_tab_cb));
}

static gboolean
row_tab_stops_cb (GtkEventControllerKey *controller,
                  guint                  keyval,
                  guint                  keycode,
                  GdkModifierType        state,
                  GtkWidget             *list)
{
  gboolean backward = keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) != 0;
  GtkRoot *root = gtk_widget_get_root (list);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row = focus;

  if (keyval != GDK_KEY_Tab && keyval != GDK_KEY_KP_Tab && keyval != GDK_KEY_ISO_Left_Tab)
    return FALSE;
  while (row != NULL && gtk_widget_get_parent (row) != list)
    row = gtk_widget_get_parent (row);
  if (row == NULL || !GTK_IS_LIST_BOX_ROW (row))
    return FALSE;
  /* Within the row: from it into its buttons, between them, back to it. */
  if (gtk_widget_child_focus (row, backward ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD))
    return TRUE;
  return tab_out_of (list, backward);
}

void
topout_list_box_row_tab_stops (GtkListBox *list)
{
  add_tab_stops_controller (GTK_WIDGET (list), G_CALLBACK (row_tab_stops_cb));
}

/* A button of a group checked or unchecked, or shown (the slots' other
 * layout): Tab aims at the group's checked button again. */
static void
group_button_changed_cb (GtkWidget *button,
                         GtkWidget *group)
{
  if (gtk_widget_get_mapped (group))
    aim_tab_at_checked (group);
}

static void
watch_group_buttons (GtkWidget *widget,
                     GtkWidget *group)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      {
        g_signal_connect_object (child, "toggled", G_CALLBACK (group_button_changed_cb), group, 0);
        g_signal_connect_object (child, "map", G_CALLBACK (group_button_changed_cb), group, 0);
      }
    else
      watch_group_buttons (child, group);
}

void
topout_button_group_one_tab_stop (GtkWidget *group)
{
  g_return_if_fail (GTK_IS_WIDGET (group));
  add_tab_stops_controller (group, G_CALLBACK (list_view_tab_cb));
  g_object_set_data (G_OBJECT (group), "topout-button-group", GINT_TO_POINTER (TRUE));
  watch_group_buttons (group, group);
  g_signal_connect (group, "map", G_CALLBACK (one_tab_stop_map_cb), NULL);
  g_signal_connect (group, "unmap", G_CALLBACK (one_tab_stop_unmap_cb), NULL);
}

void
topout_accessible_names_install (void)
{
  static gsize installed;

  if (g_once_init_enter (&installed))
    {
      /* A class is made with its signals: GtkWidget's, through a class that
       * can be instantiated. */
      gpointer klass = g_type_class_ref (GTK_TYPE_BUTTON);

      g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, mapped_hook, NULL, NULL);
      g_type_class_unref (klass);
      g_once_init_leave (&installed, 1);
    }
}

void
topout_widget_set_tooltip_unheard (GtkWidget  *widget,
                                   const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_widget_set_tooltip_text (widget, text);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

GtkWidget *
topout_row_button_new (gboolean    compact,
                       const char *label,
                       const char *icon_name,
                       const char *accessible,
                       const char *action,
                       const char *id)
{
  GtkWidget *button = compact ? gtk_button_new_from_icon_name (icon_name) : gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  /* The icons alone need it, and it says which row a labelled one is in. */
  topout_widget_set_tooltip_unheard (button, accessible);
  return button;
}

/* A bin that asks no more than its child's minimum width: the row's
 * name, not the labels the buttons may drop, gets the row's room first. */
static void
asks_minimum_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  gtk_widget_measure (gtk_widget_get_first_child (widget), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = *minimum;
}

static void
asks_minimum_allocate (GtkWidget *widget,
                       int        width,
                       int        height,
                       int        baseline)
{
  gtk_widget_allocate (gtk_widget_get_first_child (widget), width, height, baseline, NULL);
}

GtkWidget *
topout_row_buttons_squeezer_new (GtkWidget *labelled,
                                 GtkWidget *compact)
{
  GtkWidget *squeezer = adw_squeezer_new ();
  GtkWidget *bin = adw_bin_new ();

  /* At the row's end whichever is shown: a squeezer gives its child all
   * its width (its xalign is for transitions only), and a narrow window
   * gives the squeezer more than the icons need, so they sat after the
   * name, each row's elsewhere. */
  gtk_widget_set_halign (labelled, GTK_ALIGN_END);
  gtk_widget_set_halign (compact, GTK_ALIGN_END);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), labelled);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), compact);
  adw_squeezer_set_switch_threshold_policy (ADW_SQUEEZER (squeezer), ADW_FOLD_THRESHOLD_POLICY_NATURAL);
  adw_squeezer_set_xalign (ADW_SQUEEZER (squeezer), 1);
  /* A row's box gives its children their natural widths as far as it can:
   * the squeezer's (the labels') took half the room a narrow row had, to
   * show the icons in it, and the name wrapped in what was left. Asking
   * only the icons' width, and sharing what the name leaves (it expands),
   * the labels show when they fit beside the whole name. */
  adw_bin_set_child (ADW_BIN (bin), squeezer);
  gtk_widget_set_layout_manager (bin, gtk_custom_layout_new (NULL, asks_minimum_measure, asks_minimum_allocate));
  gtk_widget_set_hexpand (bin, TRUE);
  gtk_widget_set_valign (bin, GTK_ALIGN_CENTER);
  return bin;
}
