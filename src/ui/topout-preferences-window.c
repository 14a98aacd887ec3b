#define G_LOG_DOMAIN "topout-preferences-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "topout-preferences-window.h"

struct _TopoutPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  TopoutKiosk          *kiosk;
  GCancellable         *cancellable;

  /* Template children */
  GtkSpinButton        *sessions_per_day_spin;
  GtkSpinButton        *idle_hours_spin;
  AdwActionRow         *closing_time_row;
  GtkEntry             *closing_time_entry;
  AdwActionRow         *timezone_row;
  GtkEntry             *timezone_entry;
  AdwPreferencesGroup  *kiosk_group;
  GtkSwitch            *kiosk_switch;
  AdwExpanderRow       *pin_row;
  AdwActionRow         *pin_repeat_row;
  GtkEntry             *pin_entry;
  GtkEntry             *pin_repeat_entry;
  AdwEntryRow          *server_row;
  AdwPasswordEntryRow  *token_row;
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
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "row-error");
      gtk_widget_remove_css_class (entry, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
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

static void
apply_closing_time (TopoutPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->closing_time_entry));
  g_autofree char *value = parse_closing_time (text);
  g_autofree char *current = g_settings_get_string (self->settings, "closing-time");

  if (value == NULL)
    {
      set_row_problem (self->closing_time_row, GTK_WIDGET (self->closing_time_entry), NULL,
                       _("Enter the time as hours and minutes, such as 22:30."));
      return;
    }
  if (g_strcmp0 (value, current) != 0 &&
      !g_settings_set_string (self->settings, "closing-time", value))
    {
      set_row_problem (self->closing_time_row, GTK_WIDGET (self->closing_time_entry), NULL,
                       _("The closing time is locked on this computer."));
      return;
    }
  show_closing_time (self);
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

static void
apply_timezone (TopoutPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->timezone_entry))));
  g_autofree char *current = g_settings_get_string (self->settings, "gym-timezone");

  if (text[0] != '\0')
    {
      GTimeZone *zone = g_time_zone_new_identifier (text);

      if (zone == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("“%s” is not a time zone this computer knows. "
                               "Use a name such as Europe/Berlin."), text);

          set_row_problem (self->timezone_row, GTK_WIDGET (self->timezone_entry), NULL, message);
          return;
        }
      g_time_zone_unref (zone);
    }
  if (g_strcmp0 (text, current) != 0 &&
      !g_settings_set_string (self->settings, "gym-timezone", text))
    {
      set_row_problem (self->timezone_row, GTK_WIDGET (self->timezone_entry), NULL,
                       _("The time zone is locked on this computer."));
      return;
    }
  show_timezone (self);
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
      set_row_problem (self->pin_repeat_row, GTK_WIDGET (self->pin_repeat_entry), NULL,
                       error != NULL ? error->message : _("Kiosk mode is not available."));
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->pin_repeat_entry), "");
  set_row_problem (self->pin_repeat_row, GTK_WIDGET (self->pin_repeat_entry),
                   _("The new staff PIN is saved."), NULL);
  update_pin_row (self);
}

static void
save_pin_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  save_pin (TOPOUT_PREFERENCES_WINDOW (widget));
}

/* Sync ------------------------------------------------------------------------ */

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "io.github.topout.Topout.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static char *
token_file_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "topout", "token", NULL);
}

/* "~/.config/topout/token" when under the home folder. */
static char *
token_file_display (void)
{
  g_autofree char *path = token_file_path ();
  const char *home = g_get_home_dir ();

  if (home != NULL && g_str_has_prefix (path, home) && path[strlen (home)] == G_DIR_SEPARATOR)
    return g_strconcat ("~", path + strlen (home), NULL);
  return g_steal_pointer (&path);
}

static gboolean
write_token_file (const char  *token,
                  GError     **error)
{
  g_autofree char *path = token_file_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *contents = g_strconcat (token, "\n", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot make the folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  /* Only this user may read it. */
  return g_file_set_contents_full (path, contents, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static void
save_token_in_file (TopoutPreferencesWindow *self,
                    const char              *token)
{
  g_autoptr (GError) error = NULL;

  if (!write_token_file (token, &error))
    {
      set_sync_message (self, error->message, TRUE);
      return;
    }
  {
    g_autofree char *where = token_file_display ();
    /* Translators: %s is a file name such as ~/.config/topout/token */
    g_autofree char *message = g_strdup_printf (_("Saved in %s (no keyring running)"), where);

    set_sync_message (self, message, FALSE);
  }
}

typedef struct {
  TopoutPreferencesWindow *self;
  char                    *token;
  char                    *server;
} TokenSave;

static void
token_save_free (TokenSave *save)
{
  g_object_unref (save->self);
  if (save->token != NULL)
    memset (save->token, 0, strlen (save->token));
  g_free (save->token);
  g_free (save->server);
  g_free (save);
}

static void
secret_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  TokenSave *save = data;
  g_autoptr (GError) error = NULL;

  if (secret_password_store_finish (result, &error))
    set_sync_message (save->self, _("Saved in the keyring"), FALSE);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_message ("The keyring did not take the token: %s", error->message);
      save_token_in_file (save->self, save->token);
    }
  token_save_free (save);
}

static void
secret_service_checked_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      data)
{
  TokenSave *save = data;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  gboolean running = FALSE;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      token_save_free (save);
      return;
    }
  if (reply != NULL)
    g_variant_get (reply, "(b)", &running);

  if (!running)
    {
      save_token_in_file (save->self, save->token);
      token_save_free (save);
      return;
    }

  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT,
                         _("Topout sync token"), save->token,
                         save->self->cancellable, secret_stored_cb, save,
                         "server", save->server,
                         NULL);
}

static void
token_applied_cb (TopoutPreferencesWindow *self)
{
  g_autofree char *token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));
  g_autoptr (GDBusConnection) bus = NULL;
  TokenSave *save;

  if (token[0] == '\0')
    return;

  save = g_new0 (TokenSave, 1);
  save->self = g_object_ref (self);
  save->token = g_steal_pointer (&token);
  save->server = g_settings_get_string (self->settings, "server-url");
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");

  /* Only a keyring that is already running: asking D-Bus to start one could
   * put a password prompt on a kiosk screen. */
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    {
      save_token_in_file (self, save->token);
      token_save_free (save);
      return;
    }
  g_dbus_connection_call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "NameHasOwner",
                          g_variant_new ("(s)", "org.freedesktop.secrets"),
                          G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 5000,
                          self->cancellable, secret_service_checked_cb, save);
}

/* NULL when @text is a usable server address. */
static const char *
check_server_url (const char *text)
{
  g_autoptr (GUri) uri = NULL;
  const char *scheme;

  if (text[0] == '\0')
    return NULL;
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return _("This is not a web address. Enter one such as https://topout.example.org.");
  scheme = g_uri_get_scheme (uri);
  if ((g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return _("The address must start with https:// (or http://) and name a server.");
  return NULL;
}

static void
server_applied_cb (TopoutPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  const char *problem = check_server_url (text);

  if (problem != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->server_row), "error");
      set_sync_message (self, problem, TRUE);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->server_row), "error");
  if (!g_settings_set_string (self->settings, "server-url", text))
    set_sync_message (self, _("The server address is locked on this computer."), TRUE);
  else
    set_sync_message (self, NULL, FALSE);
}

static void
show_server (TopoutPreferencesWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");

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

  if (selected < G_N_ELEMENTS (color_schemes))
    g_settings_set_string (self->settings, "color-scheme", color_schemes[selected]);
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
    show_server (self);
  else if (g_strcmp0 (key, "color-scheme") == 0)
    show_style (self);
}

static void
topout_preferences_window_dispose (GObject *object)
{
  TopoutPreferencesWindow *self = TOPOUT_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOPOUT_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->kiosk);

  G_OBJECT_CLASS (topout_preferences_window_parent_class)->dispose (object);
}

static void
topout_preferences_window_class_init (TopoutPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = topout_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/topout-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, sessions_per_day_spin);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, idle_hours_spin);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, closing_time_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, closing_time_entry);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, timezone_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, timezone_entry);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, kiosk_group);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, kiosk_switch);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, pin_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, pin_repeat_row);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, pin_repeat_entry);
  gtk_widget_class_bind_template_child (widget_class, TopoutPreferencesWindow, server_row);
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

  g_signal_connect_swapped (self->closing_time_entry, "activate", G_CALLBACK (apply_closing_time), self);
  g_signal_connect_swapped (self->timezone_entry, "activate", G_CALLBACK (apply_timezone), self);
  watch_focus (self, GTK_WIDGET (self->closing_time_entry));
  watch_focus (self, GTK_WIDGET (self->timezone_entry));
  g_signal_connect_swapped (self->pin_repeat_entry, "activate", G_CALLBACK (save_pin), self);
  g_signal_connect_swapped (self->server_row, "apply", G_CALLBACK (server_applied_cb), self);
  g_signal_connect_swapped (self->token_row, "apply", G_CALLBACK (token_applied_cb), self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->server_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Server address"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->token_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Device token"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->style_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Style"), -1);
}

TopoutPreferencesWindow *
topout_preferences_window_new (GtkWindow   *parent,
                               GSettings   *settings,
                               TopoutKiosk *kiosk)
{
  TopoutPreferencesWindow *self;
  g_autofree char *token_path = token_file_path ();

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
  g_settings_bind (settings, "kiosk-mode", self->kiosk_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect (settings, "changed", G_CALLBACK (settings_changed_cb), self);

  show_closing_time (self);
  show_timezone (self);
  show_server (self);
  show_style (self);
  g_signal_connect_swapped (self->style_row, "notify::selected", G_CALLBACK (style_selected_cb), self);
  update_pin_row (self);
  gtk_widget_set_visible (GTK_WIDGET (self->pin_row), kiosk != NULL);

  if (g_file_test (token_path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *where = token_file_display ();
      /* Translators: %s is a file name such as ~/.config/topout/token */
      g_autofree char *message = g_strdup_printf (_("A token is saved in %s (no keyring running)"), where);

      set_sync_message (self, message, FALSE);
    }

  return self;
}
