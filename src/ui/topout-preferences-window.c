#define G_LOG_DOMAIN "topout-preferences-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "topout-preferences-window.h"
#include "topout-sync-engine.h"
#include "topout-sync-token.h"
#include "topout-ui-util.h"

struct _TopoutPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  TopoutKiosk          *kiosk;
  TopoutSyncEngine     *engine;         /* nullable: the app's, once made */
  /* The server refused the saved token at the last sync (401 or 403): said
   * at the token row until a sync goes through or another token is saved. */
  char                 *token_refused;
  gboolean              token_saved;
  GCancellable         *cancellable;
  /* What a close kept the window open for: closing again with it unchanged
   * lets it go (so nobody is held in the window by a typo). */
  GtkWidget            *close_refused_field;
  char                 *close_refused_text;

  /* Template children */
  AdwActionRow         *sessions_per_day_row;
  GtkSpinButton        *sessions_per_day_spin;
  AdwActionRow         *idle_hours_row;
  GtkSpinButton        *idle_hours_spin;
  AdwActionRow         *closing_time_row;
  GtkEntry             *closing_time_entry;
  AdwActionRow         *timezone_row;
  GtkEntry             *timezone_entry;
  AdwPreferencesGroup  *kiosk_group;
  AdwActionRow         *kiosk_row;
  GtkSwitch            *kiosk_switch;
  AdwExpanderRow       *pin_row;
  AdwActionRow         *pin_new_row;
  AdwActionRow         *pin_repeat_row;
  GtkEntry             *pin_entry;
  GtkEntry             *pin_repeat_entry;
  AdwPreferencesGroup  *sync_group;
  AdwEntryRow          *server_row;
  AdwPasswordEntryRow  *token_row;
  AdwEntryRow          *certificate_row;
  AdwActionRow         *insecure_row;
  GtkSwitch            *insecure_switch;
  GtkLabel             *sync_message;
  AdwComboRow          *style_row;
};

G_DEFINE_FINAL_TYPE (TopoutPreferencesWindow, topout_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char * const color_schemes[] = { "default", "light", "dark" };

/* Showing a problem at its row -------------------------------------------- */

/* @message NULL: the row's usual subtitle @hint again. */
static void
set_row_problem (AdwActionRow *row,
                 GtkWidget    *entry,
                 const char   *hint,
                 const char   *message)
{
  adw_action_row_set_subtitle (row, message != NULL ? message : hint);
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "row-error");
      gtk_widget_add_css_class (entry, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "row-error");
      gtk_widget_remove_css_class (entry, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID);
    }
  /* The description follows the subtitle (control_row()). */
}

static void
row_subtitle_cb (AdwActionRow *row,
                 GParamSpec   *pspec,
                 GtkWidget    *control)
{
  const char *subtitle = adw_action_row_get_subtitle (row);

  if (subtitle != NULL && subtitle[0] != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* A row whose control (a spin button, entry or switch) is its one Tab stop:
 * the row took one of its own before it, for the same setting. A click on
 * the row still goes to the control; the control has the row's title as
 * its name (in the .ui) and the row's subtitle, a hint or a problem, as
 * its description, which a screen reader read on the row. */
static void
control_row (AdwActionRow *row,
             GtkWidget    *control)
{
  gtk_widget_set_focusable (GTK_WIDGET (row), FALSE);
  g_signal_connect_object (row, "notify::subtitle", G_CALLBACK (row_subtitle_cb), control, 0);
  row_subtitle_cb (row, NULL, control);
}

static void
set_sync_message (TopoutPreferencesWindow *self,
                  const char              *message,
                  gboolean                 is_error)
{
  gtk_label_set_label (self->sync_message, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sync_message), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->sync_message), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->sync_message), "error");
}

/* A sync row's own state (the server, token or certificate row): red with
 * @problem as what a screen reader says of it, or clear with NULL; the
 * shared message under the rows says it too. */
static void
set_sync_problem (TopoutPreferencesWindow *self,
                  GtkWidget               *row,
                  const char              *problem)
{
  if (problem != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, problem, -1);
      set_sync_message (self, problem, TRUE);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

/* The token row's title: whether a token is saved, and whether the server
 * refused it (said on the row itself: the message under the group can be
 * out of sight). */
static void
update_token_title (TopoutPreferencesWindow *self)
{
  const char *title = self->token_refused != NULL ? _("Device token (refused)")
                      : self->token_saved ? _("Device token (saved)")
                      : _("Device token");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_row), title);
}

/* The engine stopped for the token (401 or 403), or went on: the token row
 * says the server's refusal while it holds. */
static void
engine_state_cb (TopoutPreferencesWindow *self)
{
  const char *why = topout_sync_engine_get_state (self->engine) == TOPOUT_SYNC_ENGINE_STATE_UNAUTHORIZED
                    ? topout_sync_engine_get_last_error (self->engine) : NULL;

  if (why != NULL && g_strcmp0 (why, self->token_refused) == 0)
    return;
  if (why == NULL && self->token_refused == NULL)
    return;
  if (why != NULL)
    {
      /* Translators: the sync engine's reason (such as "The sync server
       * does not accept this device’s token"), then what to do */
      g_autofree char *problem = g_strdup_printf (_("%s. Enter the token whoever runs the server gave this device."),
                                                  why);

      g_free (self->token_refused);
      self->token_refused = g_strdup (why);
      set_sync_problem (self, GTK_WIDGET (self->token_row), problem);
    }
  else
    {
      g_clear_pointer (&self->token_refused, g_free);
      set_sync_problem (self, GTK_WIDGET (self->token_row), NULL);
      set_sync_message (self, NULL, FALSE);
    }
  update_token_title (self);
}

/* Sessions ------------------------------------------------------------------ */

static gboolean
int_to_double (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_int32 (variant));
  return TRUE;
}

static GVariant *
double_to_int (const GValue       *value,
               const GVariantType *expected_type,
               gpointer            user_data)
{
  return g_variant_new_int32 ((gint32) (g_value_get_double (value) + 0.5));
}

/* "H:MM" or "HH:MM", 00:00–23:59, written back as "HH:MM". */
static char *
parse_closing_time (const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  guint64 hours = 0;
  guint64 minutes = 0;
  g_auto (GStrv) parts = g_strsplit (trimmed, ":", -1);

  if (g_strv_length (parts) != 2 ||
      strlen (parts[0]) < 1 || strlen (parts[0]) > 2 || strlen (parts[1]) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, 23, &hours, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, 59, &minutes, NULL))
    return NULL;
  return g_strdup_printf ("%02u:%02u", (guint) hours, (guint) minutes);
}

static void
show_closing_time (TopoutPreferencesWindow *self)
{
  g_autofree char *value = g_settings_get_string (self->settings, "closing-time");

  gtk_editable_set_text (GTK_EDITABLE (self->closing_time_entry), value);
  set_row_problem (self->closing_time_row, GTK_WIDGET (self->closing_time_entry),
                   _("Sessions still open at this time end by themselves"), NULL);
}

static gboolean
apply_closing_time (TopoutPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->closing_time_entry));
  g_autofree char *value = parse_closing_time (text);
  g_autofree char *current = g_settings_get_string (self->settings, "closing-time");

  if (value == NULL)
    {
      set_row_problem (self->closing_time_row, GTK_WIDGET (self->closing_time_entry), NULL,
                       _("Enter the time as hours and minutes, such as 22:30."));
      return FALSE;
    }
  if (g_strcmp0 (value, current) != 0 &&
      !g_settings_set_string (self->settings, "closing-time", value))
    {
      set_row_problem (self->closing_time_row, GTK_WIDGET (self->closing_time_entry), NULL,
                       _("The closing time is locked on this computer."));
      return FALSE;
    }
  show_closing_time (self);
  return TRUE;
}

static void
show_timezone (TopoutPreferencesWindow *self)
{
  g_autofree char *value = g_settings_get_string (self->settings, "gym-timezone");

  gtk_editable_set_text (GTK_EDITABLE (self->timezone_entry), value);
  if (gtk_entry_get_placeholder_text (self->timezone_entry) == NULL)
    {
      g_autoptr (GTimeZone) local = g_time_zone_new_local ();

      gtk_entry_set_placeholder_text (self->timezone_entry, g_time_zone_get_identifier (local));
    }
  set_row_problem (self->timezone_row, GTK_WIDGET (self->timezone_entry),
                   _("Session dates are days in this zone. Empty: this computer’s zone"), NULL);
}

static gboolean
apply_timezone (TopoutPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->timezone_entry))));
  g_autofree char *current = g_settings_get_string (self->settings, "gym-timezone");

  if (text[0] != '\0')
    {
      GTimeZone *zone = topout_time_zone_new_named (text);

      if (zone == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("“%s” is not a time zone this computer knows. "
                               "Use a name such as Europe/Berlin."), text);

          set_row_problem (self->timezone_row, GTK_WIDGET (self->timezone_entry), NULL, message);
          return FALSE;
        }
      g_time_zone_unref (zone);
    }
  if (g_strcmp0 (text, current) != 0 &&
      !g_settings_set_string (self->settings, "gym-timezone", text))
    {
      set_row_problem (self->timezone_row, GTK_WIDGET (self->timezone_entry), NULL,
                       _("The time zone is locked on this computer."));
      return FALSE;
    }
  show_timezone (self);
  return TRUE;
}

static void
entry_focus_leave_cb (GtkEventControllerFocus *controller,
                      TopoutPreferencesWindow *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  if (entry == GTK_WIDGET (self->closing_time_entry))
    apply_closing_time (self);
  else if (entry == GTK_WIDGET (self->timezone_entry))
    apply_timezone (self);
}

static void
watch_focus (TopoutPreferencesWindow *self,
             GtkWidget               *entry)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (focus, "leave", G_CALLBACK (entry_focus_leave_cb), self);
  gtk_widget_add_controller (entry, focus);
}

/* Kiosk ----------------------------------------------------------------------- */

static void
update_pin_row (TopoutPreferencesWindow *self)
{
  g_autofree char *hash = g_settings_get_string (self->settings, "kiosk-pin-hash");

  adw_expander_row_set_subtitle (self->pin_row,
                                 hash[0] != '\0'
                                 ? _("Set. Enter a new one here to change it")
                                 : _("Not set: staff pages are open to everyone"));
}

static void
save_pin (TopoutPreferencesWindow *self)
{
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_entry));
  const char *again = gtk_editable_get_text (GTK_EDITABLE (self->pin_repeat_entry));
  g_autoptr (GError) error = NULL;

  if (g_strcmp0 (pin, again) != 0)
    {
      set_row_problem (self->pin_repeat_row, GTK_WIDGET (self->pin_repeat_entry), NULL,
                       _("The two PINs are not the same."));
      return;
    }
  if (self->kiosk == NULL || !topout_kiosk_set_pin (self->kiosk, pin, &error))
    {
      /* What is wrong with the PIN itself is said at the PIN. */
      set_row_problem (self->pin_new_row, GTK_WIDGET (self->pin_entry), _("4 to 12 digits"),
                       error != NULL ? error->message : _("Kiosk mode is not available."));
      set_row_problem (self->pin_repeat_row, GTK_WIDGET (self->pin_repeat_entry), NULL, NULL);
      gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
      return;
    }
  set_row_problem (self->pin_new_row, GTK_WIDGET (self->pin_entry), _("4 to 12 digits"), NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->pin_repeat_entry), "");
  set_row_problem (self->pin_repeat_row, GTK_WIDGET (self->pin_repeat_entry),
                   _("The new staff PIN is saved."), NULL);
  update_pin_row (self);
}

static void
kiosk_switch_cb (TopoutPreferencesWindow *self)
{
  gboolean on = gtk_switch_get_active (self->kiosk_switch);
  g_autofree char *hash = NULL;

  if (on == g_settings_get_boolean (self->settings, "kiosk-mode"))
    return;  /* the setting's own change, shown */
  hash = g_settings_get_string (self->settings, "kiosk-pin-hash");
  if (on && hash[0] == '\0')
    {
      /* Turned on with no PIN: nothing would keep climbers out of the
       * staff pages. Off again, and the PIN row says what to do. */
      gtk_switch_set_active (self->kiosk_switch, FALSE);
      adw_expander_row_set_expanded (self->pin_row, TRUE);
      set_row_problem (self->pin_repeat_row, GTK_WIDGET (self->pin_repeat_entry), NULL,
                       _("Set a staff PIN first: kiosk mode keeps the staff pages behind it."));
      gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
      return;
    }
  if (!g_settings_set_boolean (self->settings, "kiosk-mode", on))
    gtk_switch_set_active (self->kiosk_switch, !on);
}

/* Return in "New PIN" goes on to "Repeat the PIN" (Tab stops at its row). */
static void
pin_entry_activated (TopoutPreferencesWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_repeat_entry));
}

static void
save_pin_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  save_pin (TOPOUT_PREFERENCES_WINDOW (widget));
}

/* Sync ------------------------------------------------------------------------ */

/* The token is stored by the sync engine's own token store (the keyring when
 * one runs unlocked, never prompting; else a 0600 file), in a worker thread:
 * a D-Bus round trip must not hold up the window. */
typedef struct {
  char     *server;
  char     *token;       /* to save; wiped when done */
  char     *where;       /* looked up: NULL when none is saved for this server */
  gboolean  other_file;  /* looked up: none, but the file holds another server's */
} TokenTask;

static void
token_task_free (gpointer data)
{
  TokenTask *task = data;

  if (task->token != NULL)
    memset (task->token, 0, strlen (task->token));
  g_free (task->token);
  g_free (task->server);
  g_free (task->where);
  g_free (task);
}

static void
token_store_thread (GTask        *task,
                    gpointer      source,
                    gpointer      data,
                    GCancellable *cancellable)
{
  TokenTask *save = data;
  g_autoptr (GError) error = NULL;
  char *where = NULL;

  if (topout_sync_token_store (save->server, save->token, &where, &error))
    g_task_return_pointer (task, where, g_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
token_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  TopoutPreferencesWindow *self = TOPOUT_PREFERENCES_WINDOW (source);
  g_autoptr (GError) error = NULL;
  g_autofree char *where = g_task_propagate_pointer (G_TASK (result), &error);

  if (where == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_sync_problem (self, GTK_WIDGET (self->token_row), error->message);
      return;
    }
  set_sync_problem (self, GTK_WIDGET (self->token_row), NULL);
  /* A new token is what a refused one (401) waits for: sync goes again at
   * once, failed sessions included, as with Sync Now. */
  {
    g_autofree char *server = g_settings_get_string (self->settings, "server-url");
    GApplication *app = g_application_get_default ();

    if (server[0] != '\0' && app != NULL && g_action_group_has_action (G_ACTION_GROUP (app), "sync-now"))
      g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
  }
  /* Said on the row itself too: the message under the group can be out of
   * sight. A new token is not the refused one. */
  self->token_saved = TRUE;
  g_clear_pointer (&self->token_refused, g_free);
  update_token_title (self);
  if (g_strcmp0 (where, TOPOUT_SYNC_TOKEN_WHERE_SECRET) == 0)
    set_sync_message (self, _("Saved in the keyring"), FALSE);
  else
    {
      const char *home = g_get_home_dir ();
      g_autofree char *shown = (home != NULL && g_str_has_prefix (where, home))
                                 ? g_strconcat ("~", where + strlen (home), NULL) : g_strdup (where);
      /* Translators: %s is a file name such as ~/.config/topout/token */
      g_autofree char *message = g_strdup_printf (_("Saved in %s (no unlocked keyring)"), shown);

      set_sync_message (self, message, FALSE);
    }
}

/* FALSE when the token typed cannot be saved (the message is at its row). */
static gboolean
apply_token (TopoutPreferencesWindow *self)
{
  g_autofree char *token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));
  g_autoptr (GTask) task = NULL;
  TokenTask *save;

  if (token[0] == '\0')
    return TRUE;
  /* A token is kept for one server (the keyring files it under the
   * server's address): one saved before the address was never found. */
  {
    g_autofree char *server = g_settings_get_string (self->settings, "server-url");

    if (server[0] == '\0')
      {
        set_sync_problem (self, GTK_WIDGET (self->token_row),
                          _("Enter the server address first: the token is kept for that server."));
        return FALSE;
      }
  }

  save = g_new0 (TokenTask, 1);
  save->token = g_steal_pointer (&token);
  save->server = g_settings_get_string (self->settings, "server-url");
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  /* Emptied by us, not typed: no apply button as if something were left. */
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->token_row), FALSE);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->token_row), TRUE);

  task = g_task_new (self, self->cancellable, token_stored_cb, NULL);
  g_task_set_task_data (task, save, token_task_free);
  g_task_run_in_thread (task, token_store_thread);
  return TRUE;
}

/* Whether a token is saved for the server set now, looked up in a worker
 * thread (the keyring is a D-Bus round trip): the token row's title says
 * so, and where, or that the token file holds another server's token. */
static void
token_lookup_thread (GTask        *task,
                     gpointer      source,
                     gpointer      data,
                     GCancellable *cancellable)
{
  TokenTask *lookup = data;
  g_autofree char *token = topout_sync_token_lookup (lookup->server, &lookup->where, NULL);
  g_autofree char *path = topout_sync_token_file_path ();

  if (token != NULL)
    memset (token, 0, strlen (token));
  else
    lookup->other_file = g_file_test (path, G_FILE_TEST_IS_REGULAR);
  g_task_return_boolean (task, TRUE);
}

static void
token_looked_up_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  TopoutPreferencesWindow *self = TOPOUT_PREFERENCES_WINDOW (source);
  TokenTask *lookup = g_task_get_task_data (G_TASK (result));
  g_autofree char *server = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;  /* cancelled: the window is gone */
  /* The address changed again meanwhile: its own lookup says. */
  server = g_settings_get_string (self->settings, "server-url");
  if (g_strcmp0 (server, lookup->server) != 0)
    return;

  self->token_saved = lookup->where != NULL;
  update_token_title (self);
  if (self->token_refused != NULL)
    return;  /* where it is saved matters less than that it was refused */
  if (lookup->where != NULL && g_path_is_absolute (lookup->where))
    {
      /* Translators: %s is a file name such as /home/desk/.config/topout/token */
      g_autofree char *message = g_strdup_printf (_("A token is saved in %s (no unlocked keyring)"), lookup->where);

      set_sync_message (self, message, FALSE);
    }
  else if (lookup->other_file)
    set_sync_message (self, _("The saved token is another server’s. Enter this server’s device token."), FALSE);
}

static void
refresh_token_status (TopoutPreferencesWindow *self)
{
  g_autoptr (GTask) task = NULL;
  TokenTask *lookup = g_new0 (TokenTask, 1);

  lookup->server = g_settings_get_string (self->settings, "server-url");
  task = g_task_new (self, self->cancellable, token_looked_up_cb, NULL);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, lookup, token_task_free);
  g_task_run_in_thread (task, token_lookup_thread);
}

/* A pinned certificate: 64 hex digits (colons and spaces allowed, as tools
 * print them), or empty for none. Stored as lower-case hex. */
static gboolean
apply_certificate (TopoutPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->certificate_row));
  GString *hex = g_string_new (NULL);
  g_autofree char *pin = NULL;
  gboolean valid = TRUE;

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (hex, g_ascii_tolower (*p));
    else if (*p != ':' && *p != ' ')
      valid = FALSE;
  pin = g_string_free (hex, FALSE);
  if (!valid || (pin[0] != '\0' && strlen (pin) != 64))
    {
      set_sync_problem (self, GTK_WIDGET (self->certificate_row),
                        _("A certificate fingerprint is 64 hexadecimal digits (SHA-256)."));
      return FALSE;
    }
  if (!g_settings_set_string (self->settings, "pinned-certificate-sha256", pin))
    {
      set_sync_problem (self, GTK_WIDGET (self->certificate_row),
                        _("The pinned certificate is locked on this computer."));
      return FALSE;
    }
  set_sync_problem (self, GTK_WIDGET (self->certificate_row), NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->certificate_row), pin);
  /* Rewritten by us, not typed: no apply button as if something were left. */
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->certificate_row), FALSE);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->certificate_row), TRUE);
  set_sync_message (self, pin[0] ? _("Only a server with this certificate is accepted.") : NULL, FALSE);
  return TRUE;
}

static gboolean
has_space (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      return TRUE;
  return FALSE;
}

/* NULL when @text is a server address sync will use (as it is set now:
 * plain http to another machine only when allowed), else why not. */
static char *
check_server_url (TopoutPreferencesWindow *self,
                  const char              *text)
{
  g_autoptr (GUri) uri = NULL;
  g_autofree char *endpoint = NULL;
  char *why = NULL;
  const char *scheme;

  if (text[0] == '\0')
    return NULL;
  /* Host and port alone, as topout-server's "listening on" line reads
   * without its scheme: what to add, with the address to type. */
  if (strstr (text, "://") == NULL && !has_space (text))
    /* Translators: %s is the address as typed, such as 127.0.0.1:8080 */
    return g_strdup_printf (_("The address must start with https://, or http:// for a server on this "
                              "computer, such as https://%s."), text);
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return g_strdup (_("This is not a web address. Enter one such as https://topout.example.org."));
  scheme = g_uri_get_scheme (uri);
  if ((g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return g_strdup (_("The address must start with https:// (or http://) and name a server."));
  endpoint = topout_sync_bulk_url (text, g_settings_get_boolean (self->settings, "allow-insecure-http"), &why);
  if (endpoint == NULL)
    return why;
  return NULL;
}

static gboolean
apply_server (TopoutPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  g_autofree char *problem = check_server_url (self, text);

  if (problem != NULL)
    {
      set_sync_problem (self, GTK_WIDGET (self->server_row), problem);
      return FALSE;
    }
  if (!g_settings_set_string (self->settings, "server-url", text))
    {
      set_sync_problem (self, GTK_WIDGET (self->server_row), _("The server address is locked on this computer."));
      return FALSE;
    }
  set_sync_problem (self, GTK_WIDGET (self->server_row), NULL);
  set_sync_message (self, NULL, FALSE);
  return TRUE;
}

static void
forget_close_refused (TopoutPreferencesWindow *self)
{
  /* It may be a device token. */
  if (self->close_refused_text != NULL)
    memset (self->close_refused_text, 0, strlen (self->close_refused_text));
  g_clear_pointer (&self->close_refused_text, g_free);
  self->close_refused_field = NULL;
}

/* Closing the window (Escape, the close button) keeps what was typed and
 * not yet applied, as leaving the field or its apply button does: a closing
 * time, a time zone, a server address, a pinned certificate, a device token
 * (each was lost). One that cannot be taken keeps the window open with its
 * message at the field; closing it again unchanged drops it. The server
 * goes before the token: a token is kept for the server set. */
static gboolean
close_request_cb (TopoutPreferencesWindow *self)
{
  struct {
    GtkWidget  *field;
    const char *key;      /* NULL: nothing stored to compare (the token) */
    gboolean  (*apply) (TopoutPreferencesWindow *self);
  } fields[] = {
    { GTK_WIDGET (self->closing_time_entry), "closing-time", apply_closing_time },
    { GTK_WIDGET (self->timezone_entry), "gym-timezone", apply_timezone },
    { GTK_WIDGET (self->server_row), "server-url", apply_server },
    { GTK_WIDGET (self->certificate_row), "pinned-certificate-sha256", apply_certificate },
    { GTK_WIDGET (self->token_row), NULL, apply_token },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (fields[i].field))));
      g_autofree char *stored = fields[i].key != NULL ? g_settings_get_string (self->settings, fields[i].key)
                                                      : g_strdup ("");

      if (g_strcmp0 (typed, stored) == 0)
        continue;
      if (fields[i].field == self->close_refused_field && g_strcmp0 (typed, self->close_refused_text) == 0)
        continue;  /* closed again as it was: let go */
      if (!fields[i].apply (self))
        {
          forget_close_refused (self);
          self->close_refused_field = fields[i].field;
          self->close_refused_text = g_steal_pointer (&typed);
          gtk_widget_grab_focus (fields[i].field);
          return TRUE;  /* stays open: the message is at the field */
        }
    }
  return FALSE;
}

static void
show_server (TopoutPreferencesWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");

  /* Only when it differs: setting the same text again would show the row's
   * apply button as if something were left to save. */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->server_row)), url) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), url);
}

/* Appearance ------------------------------------------------------------------ */

static void
show_style (TopoutPreferencesWindow *self)
{
  g_autofree char *scheme = g_settings_get_string (self->settings, "color-scheme");

  for (guint i = 0; i < G_N_ELEMENTS (color_schemes); i++)
    if (g_strcmp0 (scheme, color_schemes[i]) == 0)
      adw_combo_row_set_selected (self->style_row, i);
}

static void
style_selected_cb (TopoutPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->style_row);

  if (selected < G_N_ELEMENTS (color_schemes) &&
      !g_settings_set_string (self->settings, "color-scheme", color_schemes[selected]))
    show_style (self);  /* locked: back to what holds */
}

/* A setting locked by the administrator (dconf locks, as on a kiosk) is
 * shown as locked before anyone types into it: its row is insensitive and
 * says why. The switches and spin buttons bound with g_settings_bind() are
 * made insensitive by GSettings itself. */
static void
show_locks (TopoutPreferencesWindow *self)
{
  const struct {
    const char *key;
    GtkWidget  *row;
  } rows[] = {
    { "closing-time", GTK_WIDGET (self->closing_time_row) },
    { "gym-timezone", GTK_WIDGET (self->timezone_row) },
    { "kiosk-pin-hash", GTK_WIDGET (self->pin_row) },
    { "server-url", GTK_WIDGET (self->server_row) },
    { "pinned-certificate-sha256", GTK_WIDGET (self->certificate_row) },
    { "color-scheme", GTK_WIDGET (self->style_row) },
  };

  const char *locked = _("Locked on this computer by its administrator");

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      gboolean writable = g_settings_is_writable (self->settings, rows[i].key);

      gtk_widget_set_sensitive (rows[i].row, writable);
      if (!writable)
        {
          gtk_widget_set_tooltip_text (rows[i].row, locked);
          gtk_accessible_update_property (GTK_ACCESSIBLE (rows[i].row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                          locked, -1);
        }
    }
}

/* libadwaita 1.2's password row has a button that shows the text, with an
 * icon and no name: a screen reader said "button". Named here. */
static gboolean
name_reveal_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (child))))
        {
          const char *icon = gtk_image_get_icon_name (GTK_IMAGE (gtk_button_get_child (GTK_BUTTON (child))));

          if (icon != NULL && g_str_has_prefix (icon, "view-"))
            {
              gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              _("Show the token"), -1);
              return TRUE;
            }
        }
      if (name_reveal_button (child))
        return TRUE;
    }
  return FALSE;
}

/* GObject ----------------------------------------------------------------------- */

static void
settings_changed_cb (GSettings               *settings,
                     const char              *key,
                     TopoutPreferencesWindow *self)
{
  if (g_strcmp0 (key, "closing-time") == 0)
    show_closing_time (self);
  else if (g_strcmp0 (key, "gym-timezone") == 0)
    show_timezone (self);
  else if (g_strcmp0 (key, "kiosk-pin-hash") == 0)
    update_pin_row (self);
  else if (g_strcmp0 (key, "server-url") == 0)
    {
      show_server (self);
      refresh_token_status (self);
    }
  else if (g_strcmp0 (key, "color-scheme") == 0)
    show_style (self);
}

static void
topout_preferences_window_dispose (GObject *object)
{
  TopoutPreferencesWindow *self = TOPOUT_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  forget_close_refused (self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOPOUT_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->kiosk);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->token_refused, g_free);

  G_OBJECT_CLASS (topout_preferences_window_parent_class)->dispose (object);
}

static void
topout_preferences_window_class_init (TopoutPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = topout_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/topout-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, sessions_per_day_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, sessions_per_day_spin);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, idle_hours_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, idle_hours_spin);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, closing_time_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, closing_time_entry);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, timezone_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, timezone_entry);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, kiosk_group);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, kiosk_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, kiosk_switch);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, pin_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, pin_new_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, pin_repeat_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, pin_repeat_entry);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, sync_group);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, certificate_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, insecure_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, insecure_switch);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, sync_message);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, style_row);

  gtk_widget_class_install_action (widget_class, "prefs.save-pin", NULL, save_pin_activated);
}

static void
topout_preferences_window_init (TopoutPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  g_signal_connect_swapped (self, "close-request", G_CALLBACK (close_request_cb), self);
  g_signal_connect_swapped (self->closing_time_entry, "activate", G_CALLBACK (apply_closing_time), self);
  g_signal_connect_swapped (self->timezone_entry, "activate", G_CALLBACK (apply_timezone), self);
  watch_focus (self, GTK_WIDGET (self->closing_time_entry));
  watch_focus (self, GTK_WIDGET (self->timezone_entry));
  g_signal_connect_swapped (self->pin_entry, "activate", G_CALLBACK (pin_entry_activated), self);
  g_signal_connect_swapped (self->pin_repeat_entry, "activate", G_CALLBACK (save_pin), self);
  g_signal_connect_swapped (self->server_row, "apply", G_CALLBACK (apply_server), self);
  g_signal_connect_swapped (self->certificate_row, "apply", G_CALLBACK (apply_certificate), self);
  g_signal_connect_swapped (self->token_row, "apply", G_CALLBACK (apply_token), self);

  control_row (self->sessions_per_day_row, GTK_WIDGET (self->sessions_per_day_spin));
  control_row (self->idle_hours_row, GTK_WIDGET (self->idle_hours_spin));
  control_row (self->closing_time_row, GTK_WIDGET (self->closing_time_entry));
  control_row (self->timezone_row, GTK_WIDGET (self->timezone_entry));
  control_row (self->kiosk_row, GTK_WIDGET (self->kiosk_switch));
  control_row (self->pin_new_row, GTK_WIDGET (self->pin_entry));
  control_row (self->pin_repeat_row, GTK_WIDGET (self->pin_repeat_entry));
  control_row (self->insecure_row, GTK_WIDGET (self->insecure_switch));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->server_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Server address"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->token_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Device token"), -1);
  name_reveal_button (GTK_WIDGET (self->token_row));
  topout_expander_row_mend (self->pin_row);
}

/**
 * topout_preferences_window_set_sync_engine:
 * @engine: (nullable): the app's sync engine
 *
 * The token row then says when the server refused the token at the last
 * sync, until a sync goes through or another token is saved.
 */
void
topout_preferences_window_set_sync_engine (TopoutPreferencesWindow *self,
                                           TopoutSyncEngine        *engine)
{
  g_return_if_fail (TOPOUT_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (engine == NULL || TOPOUT_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine == NULL)
    return;
  g_signal_connect_object (engine, "notify::state", G_CALLBACK (engine_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::last-error", G_CALLBACK (engine_state_cb), self, G_CONNECT_SWAPPED);
  engine_state_cb (self);
}

TopoutPreferencesWindow *
topout_preferences_window_new (GtkWindow   *parent,
                               GSettings   *settings,
                               TopoutKiosk *kiosk)
{
  TopoutPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (kiosk == NULL || TOPOUT_IS_KIOSK (kiosk), NULL);

  self = g_object_new (TOPOUT_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->settings = g_object_ref (settings);
  self->kiosk = kiosk != NULL ? g_object_ref (kiosk) : NULL;

  g_settings_bind_with_mapping (settings, "max-sessions-per-day",
                                self->sessions_per_day_spin, "value", G_SETTINGS_BIND_DEFAULT,
                                int_to_double, double_to_int, NULL, NULL);
  g_settings_bind_with_mapping (settings, "auto-end-idle-hours",
                                self->idle_hours_spin, "value", G_SETTINGS_BIND_DEFAULT,
                                int_to_double, double_to_int, NULL, NULL);
  if (kiosk != NULL && topout_kiosk_get_forced (kiosk))
    {
      /* Started with --kiosk: on for this run, whatever the setting. */
      gtk_switch_set_active (self->kiosk_switch, TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->kiosk_switch), FALSE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->kiosk_switch),
                                   _("On for this run: Topout was started with --kiosk"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->kiosk_switch), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("On for this run: Topout was started with --kiosk"), -1);
    }
  else
    {
      /* Read through the binding, written by kiosk_switch_cb(): kiosk mode
       * goes on only with a staff PIN to keep its staff pages behind. */
      g_settings_bind (settings, "kiosk-mode", self->kiosk_switch, "active", G_SETTINGS_BIND_GET);
      g_signal_connect_swapped (self->kiosk_switch, "notify::active", G_CALLBACK (kiosk_switch_cb), self);
    }
  g_settings_bind (settings, "allow-insecure-http", self->insecure_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect (settings, "changed", G_CALLBACK (settings_changed_cb), self);

  show_closing_time (self);
  show_timezone (self);
  show_server (self);
  show_locks (self);
  /* An address saved before (by hand, or with settings changed since)
   * that sync cannot use is said at once, not only in the header. */
  {
    g_autofree char *url = g_settings_get_string (settings, "server-url");
    g_autofree char *problem = check_server_url (self, url);

    if (problem != NULL)
      set_sync_problem (self, GTK_WIDGET (self->server_row), problem);
  }
  show_style (self);
  g_signal_connect_swapped (self->style_row, "notify::selected", G_CALLBACK (style_selected_cb), self);
  update_pin_row (self);
  gtk_widget_set_visible (GTK_WIDGET (self->pin_row), kiosk != NULL);

  {
    g_autofree char *pin = g_settings_get_string (settings, "pinned-certificate-sha256");
    gtk_editable_set_text (GTK_EDITABLE (self->certificate_row), pin);
  }
  refresh_token_status (self);

  return self;
}

/* "Set Up Sync…": the keyboard in the server's address, which comes into
 * view. Preferences open on their first group, the daily cap, with Sync
 * below it out of sight (at 360 px wholly), and a number typed went into
 * the cap. A locked address: the token. */
void
topout_preferences_window_show_sync (TopoutPreferencesWindow *self)
{
  g_return_if_fail (TOPOUT_IS_PREFERENCES_WINDOW (self));

  if (!gtk_widget_grab_focus (GTK_WIDGET (self->server_row)))
    gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
  /* The whole group, its title and what it says first, once laid out. */
  topout_scroll_into_view_when_shown (GTK_WIDGET (self->sync_group));
}
