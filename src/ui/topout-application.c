#define G_LOG_DOMAIN "topout-application"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "topout-application.h"
#include "topout-export.h"
#include "topout-preferences-window.h"
#include "topout-sync-engine.h"
#include "topout-ui-util.h"
#include "topout-window.h"

/* Rule 3a: forgotten sessions are ended this often (and at start-up). */
#define FORGOTTEN_CHECK_S 60

struct _TopoutApplication
{
  AdwApplication  parent_instance;

  /* From the command line (handle-local-options). */
  char           *db_path;
  gboolean        demo;
  gboolean        kiosk_option;
  char           *start_view;

  /* Opened at startup. */
  GSettings      *settings;
  TopoutKiosk    *kiosk;
  TopoutStore    *store;
  GError         *store_error;
  char           *demo_error;
  guint           forgotten_id;
  TopoutSyncEngine *sync_engine;   /* made after the first frame */
  gboolean        shutting_down;
  char           *shown_sync_error;  /* the failure toasted; kept through the retries */
  AdwToast       *failure_toast;     /* the toast saying a sync failed, while shown (weak) */
  guint           shown_attention;  /* sessions needing attention, toasted */
  AdwToast       *attention_toast;  /* the toast about them, while shown (weak) */
};

G_DEFINE_FINAL_TYPE (TopoutApplication, topout_application, ADW_TYPE_APPLICATION)

/* The options that take a value are arrays, so that one given twice is
 * seen and refused (see single_value) instead of GOption keeping the last:
 * `--import climbers.csv --import catalog.csv` imported the catalog alone
 * and exited 0. */
static const GOptionEntry option_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    N_("Use the database at PATH instead of the default one"), N_("PATH") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Fill an empty database with demo data, which is never synced"), NULL },
  { "kiosk", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run as the front-desk kiosk"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { "sync-now", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Send every finished session to the sync server and exit (no window)"), NULL },
  { "server", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("With --sync-now: use the sync server at URL instead of the configured one"), N_("URL") },
  { "export", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Write the finished sessions to a file as csv or json and exit (no window)"), N_("FORMAT") },
  { "output", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    N_("With --export: the file to write"), N_("FILE") },
  { "climber", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("With --export: only the sessions of the climber with this id"), N_("ID") },
  { "from", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("With --export: only sessions on or after this date"), N_("YYYY-MM-DD") },
  { "to", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("With --export: only sessions on or before this date"), N_("YYYY-MM-DD") },
  { "import", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    N_("Read a session export, a catalog or a climber list into the database and exit (no window)"),
    N_("FILE") },
  { "retire-missing", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --import of a catalog: retire the climbs the file does not list"), NULL },
  /* Anything else on the command line: refused with a word on what to use
   * (it reached GTK, which said only that no display could be opened). */
  { G_OPTION_REMAINING, 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
  /* For screenshots and tests: the page to start on. */
  { "view", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, NULL,
    N_("Start on the page NAME (desk, history, climbers, catalog, scores)"), N_("NAME") },
  { NULL }
};

/* The value of the option @name (a string or a file name array in
 * @options): NULL when it was not given. Given more than once, it is said
 * on stderr and FALSE returned. */
static gboolean
single_value (GVariantDict  *options,
              const char    *name,
              char         **value)
{
  g_autoptr (GVariant) v = g_variant_dict_lookup_value (options, name, NULL);
  g_autofree const char **strings = NULL;
  g_autofree const char **files = NULL;
  gsize n = 0;

  *value = NULL;
  if (v == NULL)
    return TRUE;
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_STRING_ARRAY))
    strings = g_variant_get_strv (v, &n);
  else
    files = g_variant_get_bytestring_array (v, &n);
  if (n > 1)
    {
      g_autofree char *option = g_strconcat ("--", name, NULL);

      /* Translators: %s is an option of the command line, such as --import */
      g_printerr (_("%s was given more than once; give it once.\n"), option);
      return FALSE;
    }
  if (n == 1)
    *value = g_strdup (strings != NULL ? strings[0] : files[0]);
  return TRUE;
}

static int
topout_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  TopoutApplication *self = TOPOUT_APPLICATION (app);
  static const char *const valued[] = { "db", "server", "export", "output", "climber", "from", "to", "import" };
  g_autofree char *db_path = NULL, *server = NULL, *format = NULL, *output = NULL;
  g_autofree char *climber = NULL, *from = NULL, *to = NULL, *import_file = NULL;
  char **values[] = { &db_path, &server, &format, &output, &climber, &from, &to, &import_file };

  G_STATIC_ASSERT (G_N_ELEMENTS (valued) == G_N_ELEMENTS (values));

  /* Runs in the process that was started, before any display is opened. */
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("topout %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* What was asked for, checked before anything runs: one command at a
   * time, each option once and with the command it belongs to (an option
   * left over was silently ignored, and a cron line believed it done). */
  {
    gboolean sync_now = g_variant_dict_contains (options, "sync-now");
    gboolean export = g_variant_dict_contains (options, "export");
    gboolean import = g_variant_dict_contains (options, "import");
    /* --sync-now's exit code for a command line that cannot run: 3. */
    int refused = sync_now ? 3 : 1;
    g_autofree char **rest = NULL;

    if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &rest) && rest != NULL && rest[0] != NULL)
      {
        /* Translators: %s is what was typed on the command line */
        g_printerr (_("Unexpected “%s”: files are read with --import FILE; see topout --help.\n"), rest[0]);
        return refused;
      }

    if (sync_now + export + import > 1)
      {
        g_printerr ("%s\n", _("Give one of --sync-now, --export and --import at a time."));
        return refused;
      }
    for (guint i = 0; i < G_N_ELEMENTS (valued); i++)
      if (!single_value (options, valued[i], values[i]))
        return refused;
    if (!import && g_variant_dict_contains (options, "retire-missing"))
      {
        g_printerr ("%s\n", _("--retire-missing goes with --import of a catalog file."));
        return refused;
      }
    if (!export && (output != NULL || climber != NULL || from != NULL || to != NULL))
      {
        g_printerr ("%s\n", _("--output, --climber, --from and --to go with --export."));
        return refused;
      }
    /* Not silently ignored either: a command opens no window, fills no
     * database with demo data and locks no kiosk. */
    if ((sync_now || export || import) &&
        (g_variant_dict_contains (options, "demo") || g_variant_dict_contains (options, "kiosk")))
      {
        g_printerr ("%s\n", _("--demo and --kiosk go with the window, not with --sync-now, --export or --import."));
        return refused;
      }
    if (!sync_now && server != NULL)
      {
        /* Not silently ignored: the window takes its server from Preferences. */
        g_printerr ("%s\n", _("--server goes with --sync-now; the window’s server is set in Preferences."));
        return 1;
      }
    /* An empty --server (a script's unset variable) is no server: it was
     * taken for "none set up", whatever Preferences say. */
    if (server != NULL && server[0] == '\0')
      {
        g_printerr ("%s\n", _("--server needs the address of a sync server, such as https://sync.example.org."));
        return refused;
      }
    /* An empty --db (a script's unset variable) is no database: it went to
     * the default one, a kiosk's real records. */
    if (db_path != NULL && db_path[0] == '\0')
      {
        g_printerr ("%s\n", _("--db needs the path of a database file."));
        return refused;
      }
  }

  if (db_path != NULL)
    {
      g_free (self->db_path);
      self->db_path = g_canonicalize_filename (db_path, NULL);
    }
  /* topout --sync-now: one full sync here, no display, never forwarded to a
   * running window (SPEC section 5 gives the exit codes). */
  if (g_variant_dict_contains (options, "sync-now"))
    {
      g_autofree char *path = self->db_path ? g_strdup (self->db_path) : topout_store_default_path ();

      return topout_sync_run_cli (path, server);
    }

  /* topout --export / --import: no display either (SPEC section 5). */
  if (format != NULL)
    return topout_export_run_cli (self->db_path, format, output, climber, from, to);
  if (import_file != NULL)
    return topout_import_run_cli (self->db_path, import_file, g_variant_dict_contains (options, "retire-missing"));
  self->demo = g_variant_dict_contains (options, "demo");
  self->kiosk_option = g_variant_dict_contains (options, "kiosk");
  g_clear_pointer (&self->start_view, g_free);
  g_variant_dict_lookup (options, "view", "s", &self->start_view);

  return G_APPLICATION_CLASS (topout_application_parent_class)->handle_local_options (app, options);
}

static void
open_store (TopoutApplication *self)
{
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  path = self->db_path != NULL ? g_strdup (self->db_path) : topout_store_default_path ();
  self->store = topout_store_new (path, &self->store_error);
  if (self->store == NULL)
    {
      /* The window shows it too; this is for whoever started us from a shell. */
      g_printerr ("topout: %s\n", self->store_error->message);
      return;
    }

  topout_store_bind_settings (self->store, self->settings);
  /* A tap never pays for copying the log into the database. */
  topout_store_checkpoint_when_idle (self->store);

  if (self->demo && !topout_store_fill_demo (self->store, &error))
    {
      g_printerr ("topout: %s\n", error->message);
      self->demo_error = g_strdup_printf (_("No demo data was added: %s"), error->message);
    }
}

static gpointer
ref_window (gconstpointer window,
            gpointer      user_data)
{
  return g_object_ref ((gpointer) window);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = g_list_copy_deep (gtk_application_get_windows (app),
                                     ref_window, NULL);

  /* Closing each window lets it save its state first. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free_full (windows, g_object_unref);

  g_application_quit (G_APPLICATION (app));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  TopoutApplication *self = TOPOUT_APPLICATION (user_data);
  const char *developers[] = { _("The Topout contributors"), NULL };
  GtkWidget *about;
  /* A locked kiosk opens nothing outside itself: no web links (website,
   * issues, the licence's page) for whoever stands at the desk. */
  gboolean locked = self->kiosk != NULL && topout_kiosk_get_enabled (self->kiosk) &&
                    !topout_kiosk_get_unlocked (self->kiosk);

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "application-name", _("Topout"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Topout contributors"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Log climbing sessions, at the gym or at home. "
                                      "Every session is kept on this device first and, "
                                      "when a sync server is set up, sent to it when the network allows."),
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  if (locked)
    adw_about_window_set_license (ADW_ABOUT_WINDOW (about),
                                  _("GNU General Public License, version 3 or later"));
  else
    g_object_set (about,
                  "website", "https://github.com/topout/topout",
                  "issue-url", "https://github.com/topout/topout/issues",
                  "license-type", GTK_LICENSE_GPL_3_0,
                  NULL);
  gtk_widget_set_name (about, "about");
  gtk_window_present (GTK_WINDOW (about));
}

static void
toast (TopoutApplication *self,
       const char        *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (TOPOUT_IS_WINDOW (window))
    topout_window_add_toast (TOPOUT_WINDOW (window), message);
}

static void ensure_sync_engine (TopoutApplication *self);

static void
sync_now_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  TopoutApplication *self = TOPOUT_APPLICATION (user_data);
  g_autofree char *server = g_settings_get_string (self->settings, "server-url");

  if (self->store != NULL && topout_store_is_demo (self->store))
    {
      toast (self, _("Demo data is never synced"));
      return;
    }
  if (server[0] == '\0')
    {
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
      AdwToast *t;

      if (!TOPOUT_IS_WINDOW (window))
        return;
      /* The way there on the toast (at a kiosk, Preferences asks for the
       * staff PIN, as from the menu). */
      /* Translators: a toast, one line at 360 px beside its button
       * (Set Up): about 14 characters */
      t = topout_toast_new_plain (_("No sync server"));
      /* Translators: the button of the toast saying no sync server is set
       * up (it opens Preferences): short, the toast is one line at 360 px */
      adw_toast_set_button_label (t, C_("sync toast", "_Set Up"));
      adw_toast_set_action_name (t, "win.set-up-sync");
      topout_window_show_toast (TOPOUT_WINDOW (window), t);
      return;
    }
  /* Pressed: its failure is told, also when it is the one told before. */
  g_clear_pointer (&self->shown_sync_error, g_free);
  /* Pressed before the first frame was painted: the engine starts now. */
  ensure_sync_engine (self);
  /* The server asked to wait: nothing is sent, and the one who tapped is
   * told at the button until when, and that nothing is lost. */
  if (self->sync_engine != NULL && topout_sync_engine_sync_now (self->sync_engine) != 0)
    {
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

      if (TOPOUT_IS_WINDOW (window))
        topout_sync_status_tell_wait (topout_window_get_sync_status (TOPOUT_WINDOW (window)));
    }
}

/* A toast of the sync's (failure, attention) gone: not dismissed again. */
static void
sync_toast_dismissed_cb (TopoutApplication *self,
                         AdwToast          *toast)
{
  if (self->attention_toast == toast)
    g_clear_weak_pointer (&self->attention_toast);
  if (self->failure_toast == toast)
    g_clear_weak_pointer (&self->failure_toast);
}

/* The Preferences window open now, or NULL. */
static GtkWindow *
open_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (TOPOUT_IS_PREFERENCES_WINDOW (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

/* The header follows the engine; a failure is a toast, never a dialog. */
static void
sync_engine_changed_cb (TopoutApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  TopoutSyncEngineState state = topout_sync_engine_get_state (self->sync_engine);
  const char *error = topout_sync_engine_get_last_error (self->sync_engine);
  g_autofree char *server = g_settings_get_string (self->settings, "server-url");
  /* Not configured is a failure once a server is set up (its token is
   * missing, or its address refused); with no server at all, syncing is
   * simply not in use (a climber at home). */
  gboolean failed = state == TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY ||
                    state == TOPOUT_SYNC_ENGINE_STATE_UNAUTHORIZED ||
                    state == TOPOUT_SYNC_ENGINE_STATE_STORE_FAILED ||
                    (state == TOPOUT_SYNC_ENGINE_STATE_NOT_CONFIGURED && server[0] != '\0');

  if (TOPOUT_IS_WINDOW (window))
    {
      TopoutSyncStatus *status = topout_window_get_sync_status (TOPOUT_WINDOW (window));

      topout_sync_status_set_syncing (status, state == TOPOUT_SYNC_ENGINE_STATE_SYNCING);
      topout_sync_status_set_error (status, failed ? error : NULL);
    }
  /* Sync half set up while Preferences is open (the address saved, the
   * token still being typed) is no failure to toast: Preferences says what
   * is missing. Closed so, it is toasted then. */
  if (failed && state == TOPOUT_SYNC_ENGINE_STATE_NOT_CONFIGURED && error != NULL)
    {
      GtkWindow *preferences = open_preferences ();

      if (preferences != NULL)
        {
          if (g_object_get_data (G_OBJECT (preferences), "topout-sync-toast-deferred") == NULL)
            {
              g_object_set_data (G_OBJECT (preferences), "topout-sync-toast-deferred", GINT_TO_POINTER (TRUE));
              g_signal_connect_object (preferences, "unmap", G_CALLBACK (sync_engine_changed_cb), self,
                                       G_CONNECT_SWAPPED | G_CONNECT_AFTER);
            }
          return;
        }
    }
  if (failed && error != NULL && g_strcmp0 (error, self->shown_sync_error) != 0 && TOPOUT_IS_WINDOW (window))
    {
      /* One line (a toast at 360 px cut the reason at "No device token for
       * the sync s…"): the reason is a tap away, in full. */
      /* Translators: a toast, one line at 360 px beside its button
       * (Details): about 14 characters ("Sync failed" elsewhere has room
       * for more) */
      AdwToast *t = topout_toast_new_plain (C_("sync toast", "Sync failed"));

      topout_toast_add_details (t, "app.sync-error-details", g_variant_new_string (error));
      if (self->failure_toast != NULL)
        topout_toast_dismiss_later (self->failure_toast);
      g_set_weak_pointer (&self->failure_toast, t);
      g_signal_connect_object (t, "dismissed", G_CALLBACK (sync_toast_dismissed_cb), self, G_CONNECT_SWAPPED);
      topout_window_show_toast (TOPOUT_WINDOW (window), t);
    }
  /* The retries of a failure (a server down for the evening) run between
   * its failures, each clearing the reason as it starts: the same reason
   * again is no news, and was toasted at every retry. A sync that ends
   * without failing forgets it, and takes its toast away ("Sync failed"
   * beside "All synced"). */
  if (state == TOPOUT_SYNC_ENGINE_STATE_SYNCING || (failed && error == NULL))
    return;
  if (!failed && self->failure_toast != NULL)
    topout_toast_dismiss_later (self->failure_toast);
  g_free (self->shown_sync_error);
  self->shown_sync_error = failed ? g_strdup (error) : NULL;
}

/* New REJECTED or CONFLICT sessions: a toast that leads to them (SPEC §4:
 * a toast and a badge; the header keeps the count), saying how many wait. */
static void
sync_attention_cb (TopoutApplication *self)
{
  guint attention = topout_sync_engine_get_attention (self->sync_engine);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (attention > self->shown_attention && TOPOUT_IS_WINDOW (window))
    {
      /* Rejected ones and conflicts alike (a conflict was toasted "1
       * session rejected": the server refused nothing). */
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               /* Translators: a toast, one line at
                                                                * 360 px beside its button (Show):
                                                                * about 18 characters. Sessions the
                                                                * server refused or holds another
                                                                * version of, for a coach to check */
                                                               "Check %u session",
                                                               "Check %u sessions",
                                                               attention),
                                                  attention);
      AdwToast *toast = topout_toast_new_plain (message);

      /* Translators: the button of a toast about sessions the server
       * rejected or holds another version of (it shows them in History): short, the toast is one line
       * at 360 px */
      adw_toast_set_button_label (toast, C_("sync toast", "Show"));
      adw_toast_set_action_name (toast, "win.show-view");
      adw_toast_set_action_target_value (toast, g_variant_new_string ("history"));
      adw_toast_set_timeout (toast, 10);
      /* The count so far replaces the toast of fewer (which may still be
       * sliding in: topout_toast_dismiss_later()). */
      if (self->attention_toast != NULL)
        topout_toast_dismiss_later (self->attention_toast);
      g_set_weak_pointer (&self->attention_toast, toast);
      g_signal_connect_object (toast, "dismissed", G_CALLBACK (sync_toast_dismissed_cb), self,
                               G_CONNECT_SWAPPED);
      topout_window_show_toast (TOPOUT_WINDOW (window), toast);
    }
  else if (attention == 0 && self->attention_toast != NULL)
    /* All sent again or edited: nothing left to show. */
    topout_toast_dismiss_later (self->attention_toast);
  self->shown_attention = attention;
}

/* "Set Up Sync…" while no sync server is set up, else "Sync Now". */
static void
show_local_only (TopoutApplication *self,
                 TopoutWindow      *window)
{
  g_autofree char *server = g_settings_get_string (self->settings, "server-url");

  topout_sync_status_set_local_only (topout_window_get_sync_status (window), server[0] == '\0');
}

static void
show_engine_in_window (TopoutApplication *self,
                       GtkWindow         *window)
{
  if (!TOPOUT_IS_WINDOW (window))
    return;
  topout_sync_status_set_engine (topout_window_get_sync_status (TOPOUT_WINDOW (window)), self->sync_engine);
  show_local_only (self, TOPOUT_WINDOW (window));
}

/* A server set up or removed in Preferences. */
static void
server_url_changed_cb (TopoutApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    show_engine_in_window (self, l->data);
}

/* Sync: at start-up, on "Sync now", after a session ends, when the network
 * comes back and when a retry is due (the engine's triggers). The engine
 * counts the sessions waiting and asks for the network monitor: both wait
 * until the first frame is on screen (a count of 100,000 sessions waiting
 * takes 10 ms and more). */
static void
ensure_sync_engine (TopoutApplication *self)
{
  if (self->sync_engine != NULL || self->store == NULL || self->shutting_down)
    return;

  self->sync_engine = topout_sync_engine_new (self->store, self->settings);
  g_signal_connect_object (self->sync_engine, "notify::state",
                           G_CALLBACK (sync_engine_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync_engine, "notify::last-error",
                           G_CALLBACK (sync_engine_changed_cb), self, G_CONNECT_SWAPPED);
  /* Those already waiting at start-up are in the header's count. */
  self->shown_attention = topout_sync_engine_get_attention (self->sync_engine);
  g_signal_connect_object (self->sync_engine, "notify::attention",
                           G_CALLBACK (sync_attention_cb), self, G_CONNECT_SWAPPED);
  /* Whether "not configured" is a failure depends on the address. */
  g_signal_connect_object (self->settings, "changed::server-url",
                           G_CALLBACK (sync_engine_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::server-url",
                           G_CALLBACK (server_url_changed_cb), self, G_CONNECT_SWAPPED);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    show_engine_in_window (self, l->data);
  /* A database the engine could not count (damaged) is an error from the
   * start, never "All synced" until the first sync says otherwise. */
  sync_engine_changed_cb (self);
  topout_sync_engine_start (self->sync_engine);
}

static gboolean
first_frame_cb (gpointer data)
{
  TopoutApplication *self = TOPOUT_APPLICATION (data);

  /* Another program's writes (topout --import, --sync-now) show within a
   * second; the timer of forgotten sessions is the fallback. */
  if (self->store != NULL)
    topout_store_watch_external_changes (self->store);
  ensure_sync_engine (self);
  return G_SOURCE_REMOVE;
}

static void
sync_error_open_preferences (GtkWidget *window)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "set-up-sync", NULL);
}

/* "app.sync-error-details" ("why"): the reason of a failed sync in full,
 * from its toast's Details. */
static void
sync_error_details_activated (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  TopoutApplication *self = TOPOUT_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  TopoutSyncEngineState state = self->sync_engine != NULL ? topout_sync_engine_get_state (self->sync_engine)
                                                          : TOPOUT_SYNC_ENGINE_STATE_IDLE;
  /* What happened, then the way out: the engine's reason is also the
   * command line's (cron's), which has no Preferences. */
  gboolean settings = state == TOPOUT_SYNC_ENGINE_STATE_UNAUTHORIZED ||
                      state == TOPOUT_SYNC_ENGINE_STATE_NOT_CONFIGURED;
  const char *way_out = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (settings)
    way_out = _("The sessions wait on this device until the server address and the device token "
                "in Preferences are right.");
  else if (state == TOPOUT_SYNC_ENGINE_STATE_WAITING_RETRY || state == TOPOUT_SYNC_ENGINE_STATE_OFFLINE)
    way_out = _("The sessions wait on this device, and Topout tries again by itself.");
  body = way_out != NULL ? g_strconcat (g_variant_get_string (parameter, NULL), "\n\n", way_out, NULL)
                         : g_variant_dup_string (parameter, NULL);
  dialog = topout_details_dialog_new (window, "sync-error-details", _("Sync Failed"), body);
  if (settings && TOPOUT_IS_WINDOW (window))
    {
      /* Preferences at the sync server's address (behind the staff PIN at
       * a kiosk), as "Set Up Sync…". */
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "preferences", _("_Open Preferences"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "preferences",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "preferences");
      g_signal_connect_object (dialog, "response::preferences", G_CALLBACK (sync_error_open_preferences),
                               window, G_CONNECT_SWAPPED);
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

/* "app.show-details" ((name, heading, body)): what a toast's Details show,
 * whole (topout_toast_add_details()), over the active window. */
static void
show_details_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  const char *name, *heading, *body;

  g_variant_get (parameter, "(&s&s&s)", &name, &heading, &body);
  gtk_window_present (GTK_WINDOW (topout_details_dialog_new (window, name, heading, body)));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "sync-now", sync_now_activated },
  { "sync-error-details", sync_error_details_activated, "s" },
  { "show-details", show_details_activated, "(sss)" },
};

static void
end_forgotten_sessions (TopoutApplication *self)
{
  g_autoptr (GError) error = NULL;

  if (self->store == NULL)
    return;
  /* Writes made by another process, if the log's monitor missed them. */
  topout_store_check_external_changes (self->store);
  if (topout_store_end_forgotten_sessions (self->store, &error) < 0)
    g_warning ("Forgotten sessions were not ended: %s", error->message);
}

static gboolean
forgotten_timeout_cb (gpointer data)
{
  end_forgotten_sessions (TOPOUT_APPLICATION (data));
  return G_SOURCE_CONTINUE;
}

static void
apply_color_scheme (TopoutApplication *self)
{
  g_autofree char *scheme = g_settings_get_string (self->settings, "color-scheme");
  AdwColorScheme color_scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_strcmp0 (scheme, "light") == 0)
    color_scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (scheme, "dark") == 0)
    color_scheme = ADW_COLOR_SCHEME_FORCE_DARK;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), color_scheme);
}

/* Kiosk mode: nobody quits the front desk. */
static void
kiosk_enabled_cb (TopoutApplication *self)
{
  gboolean kiosk = topout_kiosk_get_enabled (self->kiosk);
  GAction *quit = g_action_map_lookup_action (G_ACTION_MAP (self), "quit");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (quit), !kiosk);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         kiosk ? (const char *[]) { NULL }
                                               : (const char *[]) { "<Control>q", NULL });
}

static void
set_accels (TopoutApplication *self)
{
  static const struct {
    const char *action;
    const char *accel;
  } accels[] = {
    { "win.preferences", "<Control>comma" },
    { "win.new", "<Control>n" },
    { "win.find", "<Control>f" },
    { "win.show-view::desk", "<Alt>1" },
    { "win.show-view::history", "<Alt>2" },
    { "win.show-view::climbers", "<Alt>3" },
    { "win.show-view::catalog", "<Alt>4" },
    { "win.show-view::scores", "<Alt>5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           (const char *[]) { accels[i].accel, NULL });
  /* What GtkApplication sets for a gtk/help-overlay.ui resource; ours is
   * elsewhere, and the window builds it when it is first asked for. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         (const char *[]) { "<Control>F1", "<Control>question", NULL });
}

static void
topout_application_startup (GApplication *app)
{
  TopoutApplication *self = TOPOUT_APPLICATION (app);

  G_APPLICATION_CLASS (topout_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  set_accels (self);
  gtk_window_set_default_icon_name (APPLICATION_ID);
  topout_accessible_names_install ();

  self->settings = g_settings_new (BASE_APPLICATION_ID);
  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (apply_color_scheme), self, G_CONNECT_SWAPPED);
  apply_color_scheme (self);

  /* One kiosk for the whole application: the setting, or --kiosk as well. */
  self->kiosk = topout_kiosk_new (self->settings);
  if (self->kiosk_option)
    topout_kiosk_force_enabled (self->kiosk);
  g_signal_connect_object (self->kiosk, "notify::enabled",
                           G_CALLBACK (kiosk_enabled_cb), self, G_CONNECT_SWAPPED);
  kiosk_enabled_cb (self);

  open_store (self);

  if (self->store != NULL)
    {
      end_forgotten_sessions (self);
      self->forgotten_id = g_timeout_add_seconds (FORGOTTEN_CHECK_S, forgotten_timeout_cb, self);
      /* The sync engine starts after the window's first frame (activate). */
    }
}

static void
topout_application_shutdown (GApplication *app)
{
  TopoutApplication *self = TOPOUT_APPLICATION (app);

  self->shutting_down = TRUE;
  g_clear_handle_id (&self->forgotten_id, g_source_remove);
  if (self->sync_engine != NULL)
    topout_sync_engine_stop (self->sync_engine);
  g_clear_object (&self->sync_engine);
  g_clear_pointer (&self->shown_sync_error, g_free);

  G_APPLICATION_CLASS (topout_application_parent_class)->shutdown (app);
}

static void
topout_application_activate (GApplication *app)
{
  TopoutApplication *self = TOPOUT_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      TopoutWindow *main_window = topout_window_new (ADW_APPLICATION (self), self->store, self->kiosk);

      if (self->store_error != NULL)
        topout_window_show_store_error (main_window, self->store_error);
      else if (self->demo_error != NULL)
        topout_window_add_toast (main_window, self->demo_error);
      if (self->start_view != NULL && self->store != NULL)
        g_action_group_activate_action (G_ACTION_GROUP (main_window), "show-view",
                                        g_variant_new_string (self->start_view));
      window = GTK_WINDOW (main_window);
      /* From the first frame on (the engine comes after it). */
      show_local_only (self, main_window);
      if (self->sync_engine != NULL)
        show_engine_in_window (self, window);
      else if (self->store != NULL)
        topout_after_first_frame (GTK_WIDGET (window), first_frame_cb,
                                  g_object_ref (self), g_object_unref);
    }

  gtk_window_present (window);
}

static void
topout_application_dispose (GObject *object)
{
  TopoutApplication *self = TOPOUT_APPLICATION (object);

  g_clear_handle_id (&self->forgotten_id, g_source_remove);
  if (self->sync_engine != NULL)
    topout_sync_engine_stop (self->sync_engine);
  g_clear_object (&self->sync_engine);
  g_clear_pointer (&self->shown_sync_error, g_free);
  g_clear_weak_pointer (&self->attention_toast);
  g_clear_weak_pointer (&self->failure_toast);
  g_clear_object (&self->store);
  g_clear_object (&self->kiosk);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (topout_application_parent_class)->dispose (object);
}

static void
topout_application_finalize (GObject *object)
{
  TopoutApplication *self = TOPOUT_APPLICATION (object);

  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->start_view, g_free);
  g_clear_pointer (&self->demo_error, g_free);
  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (topout_application_parent_class)->finalize (object);
}

static void
topout_application_class_init (TopoutApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = topout_application_dispose;
  object_class->finalize = topout_application_finalize;

  app_class->handle_local_options = topout_application_handle_local_options;
  app_class->startup = topout_application_startup;
  app_class->activate = topout_application_activate;
  app_class->shutdown = topout_application_shutdown;
}

static void
topout_application_init (TopoutApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Log climbing sessions, at the gym or at home."));
  /* What a script or cron job reads from the exit status (SPEC section 5). */
  g_application_set_option_context_description (G_APPLICATION (self),
                                                _("Exit status:\n"
                                                  "  0  done\n"
                                                  "  1  an error; with --sync-now: sessions left to sync, to be retried\n"
                                                  "  2  --sync-now: sessions the server rejected or holds in conflict, "
                                                  "waiting for a coach\n"
                                                  "  3  --sync-now: not authorised, or not set up (server address, "
                                                  "device token, database)"));
}

TopoutApplication *
topout_application_new (void)
{
  GApplicationFlags flags = G_APPLICATION_DEFAULT_FLAGS;

  if (g_strcmp0 (g_getenv ("TOPOUT_NON_UNIQUE"), "1") == 0)
    flags |= G_APPLICATION_NON_UNIQUE;

  return g_object_new (TOPOUT_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", flags,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

TopoutStore *
topout_application_get_store (TopoutApplication *self)
{
  g_return_val_if_fail (TOPOUT_IS_APPLICATION (self), NULL);

  return self->store;
}

const GError *
topout_application_get_store_error (TopoutApplication *self)
{
  g_return_val_if_fail (TOPOUT_IS_APPLICATION (self), NULL);

  return self->store_error;
}

TopoutKiosk *
topout_application_get_kiosk (TopoutApplication *self)
{
  g_return_val_if_fail (TOPOUT_IS_APPLICATION (self), NULL);

  return self->kiosk;
}

GSettings *
topout_application_get_settings (TopoutApplication *self)
{
  g_return_val_if_fail (TOPOUT_IS_APPLICATION (self), NULL);

  return self->settings;
}
