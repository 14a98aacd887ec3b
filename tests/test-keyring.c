/* test-keyring.c — the device token in a real Secret Service.
 *
 * Each test runs in a child of its own (g_test_trap_subprocess), under a
 * time limit: a lookup that waits for a prompt fails the test instead of
 * hanging it. The child starts its own session bus (a dbus-daemon with no
 * service directories, so nothing is activated behind the test's back: not
 * the system's gnome-keyring on the developer's own keyring files, not a
 * prompter) and, where the test needs one, a real gnome-keyring-daemon on
 * it (--components=secrets, --unlock reading the password on stdin), with
 * HOME, XDG_DATA_HOME (the keyring files), XDG_CONFIG_HOME (the token file)
 * and XDG_RUNTIME_DIR in the child's temporary folder. The bus that
 * dbus-run-session gives the suite is never used: other test programs share
 * it, and it would activate the system's gnome-keyring with the real HOME.
 *
 * A monitor on the bus (BecomeMonitor) counts every Unlock and every
 * Prompt sent to the keyring: the kiosk promise is that there are none.
 * secret-tool (libsecret-tools) checks what the keyring holds on its own.
 */
#define G_LOG_DOMAIN "test-keyring"

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <sys/stat.h>

#include "topout-store.h"
#include "topout-sync-token.h"
#include "topout-test-util.h"

/* One test's limit: every step takes well under a second, a prompt waits
 * for ever. */
#define TEST_TIMEOUT_USEC (120 * G_USEC_PER_SEC)
#define KEYRING_PASSWORD "kiosk-login-password"
#define SECRETS_NAME "org.freedesktop.secrets"
#define SECRETS_PATH "/org/freedesktop/secrets"
#define FLUSH_INTERFACE "io.github.topout.Test.Monitor"

#define GYM_A "https://gym-a.example.org"
#define GYM_A_KEY "https://gym-a.example.org:443" /* its "server" attribute */
#define GYM_B "http://gym-b.example.org:8080"

/* The session bus, the keyring and the monitor -------------------------- */

static GSubprocess *bus;
static char *bus_address;
static GDBusConnection *helper;  /* the test's own calls, not libsecret's */
static GDBusConnection *monitor;
static GSubprocess *keyring;
static int prompts;              /* Unlock and Prompt calls seen */
static int flushes;              /* the monitor's own markers seen */

/* HOME, the XDG folders, no TOPOUT_SYNC_TOKEN: in the temporary folder.
 * First thing in each test's child: GLib keeps the folders it was first
 * asked for, and the token file must never be the developer's. */
static void
private_home (void)
{
  const char *dirs[][2] = {
    { "HOME", "home" },
    { "XDG_DATA_HOME", "home/data" },
    { "XDG_CONFIG_HOME", "home/config" },
    { "XDG_CACHE_HOME", "home/cache" },
    { "XDG_RUNTIME_DIR", "run" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = topout_test_path (dirs[i][1]);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      g_setenv (dirs[i][0], path, TRUE);
    }
  g_unsetenv ("TOPOUT_SYNC_TOKEN");
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_assert_true (g_str_has_prefix (g_get_user_config_dir (), topout_test_tmpdir ()));
  g_assert_true (g_str_has_prefix (g_get_home_dir (), topout_test_tmpdir ()));
}

static GDBusMessage *
count_prompts (GDBusConnection *connection,
               GDBusMessage    *message,
               gboolean         incoming,
               gpointer         user_data)
{
  const char *interface = g_dbus_message_get_interface (message);
  const char *member = g_dbus_message_get_member (message);
  GDBusMessageType type = g_dbus_message_get_message_type (message);

  if (!incoming)
    return message;
  if (type == G_DBUS_MESSAGE_TYPE_SIGNAL && g_strcmp0 (interface, FLUSH_INTERFACE) == 0)
    {
      g_atomic_int_inc (&flushes);
      g_object_unref (message);
      return NULL;
    }
  if (type != G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    return message;
  if (g_strcmp0 (interface, "org.freedesktop.Secret.Prompt") == 0 ||
      (g_strcmp0 (interface, "org.freedesktop.Secret.Service") == 0 && g_strcmp0 (member, "Unlock") == 0))
    {
      g_test_message ("A prompt: %s.%s on %s", interface, member, g_dbus_message_get_path (message));
      g_atomic_int_inc (&prompts);
    }
  /* A monitor answers nothing: the calls it sees are others'. A filter
   * owns the message it drops. */
  g_object_unref (message);
  return NULL;
}

static GDBusConnection *
connect_bus (void)
{
  g_autoptr (GError) error = NULL;
  GDBusConnection *connection;

  connection = g_dbus_connection_new_for_address_sync (bus_address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

/* A session bus of this test's own, with a monitor on it. It listens where
 * systemd's user bus would, $XDG_RUNTIME_DIR/bus. */
static void
bus_start (void)
{
  /* Its stderr only says it cannot raise its file limit as a user. */
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *config = topout_test_path ("bus.conf");
  g_autofree char *config_arg = NULL;
  g_autofree char *contents = NULL;
  const char *rules[] = {
    "type='method_call',interface='org.freedesktop.Secret.Prompt'",
    "type='method_call',interface='org.freedesktop.Secret.Service',member='Unlock'",
    "type='signal',interface='" FLUSH_INTERFACE "'",
    NULL
  };

  contents = g_strdup_printf ("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                              " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                              "<busconfig>\n"
                              "  <type>session</type>\n"
                              "  <listen>unix:path=%s/bus</listen>\n"
                              "  <auth>EXTERNAL</auth>\n"
                              "  <policy context=\"default\">\n"
                              "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                              "    <allow eavesdrop=\"true\"/>\n"
                              "    <allow own=\"*\"/>\n"
                              "  </policy>\n"
                              "</busconfig>\n", g_getenv ("XDG_RUNTIME_DIR"));
  g_file_set_contents (config, contents, -1, &error);
  g_assert_no_error (error);

  config_arg = g_strconcat ("--config-file=", config, NULL);
  g_subprocess_launcher_set_child_setup (launcher, topout_test_die_with_parent, NULL, NULL);
  bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", config_arg,
                                     "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus));
  bus_address = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bus_address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus_address, TRUE);

  helper = connect_bus ();
  monitor = connect_bus ();
  g_dbus_connection_add_filter (monitor, count_prompts, NULL, NULL);
  reply = g_dbus_connection_call_sync (monitor, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus.Monitoring", "BecomeMonitor",
                                       g_variant_new ("(^asu)", rules, 0), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

/* How many prompts the keyring was asked for until now: a marker signal
 * sent after the calls that came before it reaches the monitor after them. */
static int
prompts_so_far (void)
{
  g_autoptr (GError) error = NULL;
  int before = g_atomic_int_get (&flushes);
  /* A guard against a hang, not a speed asked for (as the two below). */
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  g_dbus_connection_emit_signal (helper, NULL, "/", FLUSH_INTERFACE, "Flush", NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_flush_sync (helper, NULL, &error);
  g_assert_no_error (error);
  while (g_atomic_int_get (&flushes) == before)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10000);
    }
  return g_atomic_int_get (&prompts);
}

static gboolean
secrets_on_bus (void)
{
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  gboolean has_owner;

  reply = g_dbus_connection_call_sync (helper, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", SECRETS_NAME), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

/* A real gnome-keyring-daemon on the test's bus. With @unlock it reads the
 * login password on stdin and unlocks (or first creates) the login keyring,
 * as a desktop login does; without, the keyring files stay locked, as on a
 * kiosk's autologin. */
static void
keyring_start (gboolean unlock)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr (GError) error = NULL;
  GOutputStream *in;
  gint64 deadline;

  g_assert_null (keyring);
  g_assert_false (secrets_on_bus ());
  g_subprocess_launcher_set_child_setup (launcher, topout_test_die_with_parent, NULL, NULL);
  keyring = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground",
                                         "--components=secrets", unlock ? "--unlock" : NULL, NULL);
  g_assert_no_error (error);
  in = g_subprocess_get_stdin_pipe (keyring);
  if (unlock)
    {
      g_output_stream_write_all (in, KEYRING_PASSWORD, strlen (KEYRING_PASSWORD), NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_output_stream_close (in, NULL, &error);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!secrets_on_bus ())
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_assert_nonnull (g_subprocess_get_identifier (keyring)); /* still running */
      g_usleep (20000);
    }
}

static void
keyring_stop (void)
{
  g_autoptr (GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  /* libsecret keeps one SecretService (and its session with the daemon)
   * per process: a new daemon needs a new one. */
  secret_service_disconnect ();
  g_subprocess_send_signal (keyring, SIGTERM);
  g_subprocess_wait (keyring, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&keyring);
  while (secrets_on_bus ())
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
}

/* The object path of the default collection ("/" when there is none). */
static char *
default_collection (void)
{
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  char *path;

  reply = g_dbus_connection_call_sync (helper, SECRETS_NAME, SECRETS_PATH,
                                       "org.freedesktop.Secret.Service", "ReadAlias",
                                       g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(o)", &path);
  return path;
}

static gboolean
default_collection_locked (void)
{
  g_autofree char *path = default_collection ();
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) value = NULL;
  g_autoptr (GError) error = NULL;

  reply = g_dbus_connection_call_sync (helper, SECRETS_NAME, path, "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Locked"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return g_variant_get_boolean (value);
}

/* Locks the default collection through the Secret Service API, as a screen
 * lock or "Lock keyring" in Passwords and Keys does (no prompt needed). */
static void
keyring_lock (void)
{
  g_autofree char *path = default_collection ();
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  const char *paths[] = { path, NULL };

  g_assert_cmpstr (path, !=, "/");
  reply = g_dbus_connection_call_sync (helper, SECRETS_NAME, SECRETS_PATH,
                                       "org.freedesktop.Secret.Service", "Lock",
                                       g_variant_new ("(^ao)", paths), G_VARIANT_TYPE ("(aoo)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (default_collection_locked ());
}

static void
bus_stop (void)
{
  g_autoptr (GError) error = NULL;

  if (keyring != NULL)
    keyring_stop ();
  g_assert_cmpint (prompts_so_far (), ==, 0);
  g_dbus_connection_close_sync (monitor, NULL, NULL);
  g_dbus_connection_close_sync (helper, NULL, NULL);
  g_clear_object (&monitor);
  g_clear_object (&helper);
  g_subprocess_send_signal (bus, SIGTERM);
  g_subprocess_wait (bus, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&bus);
  g_clear_pointer (&bus_address, g_free);
}

/* Asserts what secret-tool finds under "server" = @key in the unlocked
 * keyring (NULL: nothing): the keyring's own answer, not Topout's. */
static void
assert_keyring_holds (const char *key,
                      const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) tool = NULL;
  g_autofree char *out = NULL;

  tool = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                           "secret-tool", "lookup", "xdg:schema", "io.github.topout.Topout.Token",
                           "server", key, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (tool, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (tool) || out == NULL || *out == '\0')
    g_clear_pointer (&out, g_free);
  g_assert_cmpstr (out, ==, expected);
}

/* Topout's API, asserted ------------------------------------------------- */

/* Asserts the token file's contents (NULL: there is none) and its mode. */
static void
assert_token_file (const char *expected)
{
  g_autofree char *path = topout_sync_token_file_path ();
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
      g_file_get_contents (path, &contents, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpstr (contents, ==, expected);
}

static void
write_token_file (const char *contents)
{
  g_autofree char *path = topout_sync_token_file_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
  g_assert_no_error (error);
}

/* Asserts that Topout said @found for where a token is: @where, a
 * TOPOUT_SYNC_TOKEN_WHERE_*, or for NULL the token file's path. */
static void
assert_where (const char *found,
              const char *where)
{
  g_autofree char *file = topout_sync_token_file_path ();

  g_assert_cmpstr (found, ==, where != NULL ? where : file);
}

/* Looks up @server's token and asserts it is @expected (NULL: none, and no
 * error) and came from @where (as for assert_where()). */
static void
assert_lookup (const char *server,
               const char *expected,
               const char *where)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *found_where = NULL;
  g_autofree char *token = topout_sync_token_lookup (server, &found_where, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, expected);
  if (expected == NULL)
    g_assert_null (found_where);
  else
    assert_where (found_where, where);
}

/* Looks up @server's token while the keyring that holds it is locked: none,
 * and an error that says so and names the token file. */
static void
assert_lookup_locked (const char *server)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *file = topout_sync_token_file_path ();

  g_assert_null (topout_sync_token_lookup (server, NULL, &error));
  g_assert_error (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED);
  g_assert_nonnull (strstr (error->message, file));
}

static void
assert_store (const char *server,
              const char *token,
              const char *where)
{
  g_autofree char *found_where = NULL;
  g_autoptr (GError) error = NULL;
  gboolean stored = topout_sync_token_store (server, token, &found_where, &error);

  g_assert_no_error (error);
  g_assert_true (stored);
  assert_where (found_where, where);
}

static void
assert_clear (const char *server)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (topout_sync_token_clear (server, &error));
  g_assert_no_error (error);
}

/* The tests ------------------------------------------------------------- */

/* An unlocked login keyring: the token goes there, under the server's key,
 * is found for that server only, and is cleared. */
static void
test_store_lookup_clear (void)
{
  bus_start ();
  keyring_start (TRUE);
  g_assert_false (default_collection_locked ());

  assert_lookup (GYM_A, NULL, NULL);
  assert_store (GYM_A, "token-a", TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  assert_token_file (NULL);
  assert_keyring_holds (GYM_A_KEY, "token-a");

  /* The same server however its address is typed; never another server. */
  assert_lookup (GYM_A, "token-a", TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  assert_lookup ("HTTPS://Gym-A.example.org:443/", "token-a", TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  assert_lookup (GYM_B, NULL, NULL);
  assert_lookup ("http://gym-a.example.org", NULL, NULL);

  /* A second server's token beside it; a new token replaces the old. */
  assert_store (GYM_B, "token-b", TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  assert_store (GYM_A, "token-a2", TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  assert_lookup (GYM_A, "token-a2", TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  assert_lookup (GYM_B, "token-b", TOPOUT_SYNC_TOKEN_WHERE_SECRET);

  /* Clearing one server's token leaves the other's. */
  assert_clear (GYM_A);
  assert_lookup (GYM_A, NULL, NULL);
  assert_keyring_holds (GYM_A_KEY, NULL);
  assert_lookup (GYM_B, "token-b", TOPOUT_SYNC_TOKEN_WHERE_SECRET);

  bus_stop ();
}

/* Before the secret store: TOPOUT_SYNC_TOKEN (when not empty). After it:
 * the token file, for the server it names or, naming none, any. */
static void
test_precedence (void)
{
  bus_start ();
  keyring_start (TRUE);

  write_token_file ("file-token\nserver=" GYM_A_KEY "\n");
  assert_lookup (GYM_A, "file-token", NULL);
  assert_lookup (GYM_B, NULL, NULL);

  /* The keyring's token wins over the file, and storing it there removes
   * the file a process without the keyring would read (cron). */
  assert_store (GYM_A, "keyring-token", TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  assert_token_file (NULL);
  write_token_file ("file-token\n");
  assert_lookup (GYM_A, "keyring-token", TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  assert_lookup (GYM_B, "file-token", NULL);

  g_setenv ("TOPOUT_SYNC_TOKEN", "env-token", TRUE);
  assert_lookup (GYM_A, "env-token", TOPOUT_SYNC_TOKEN_WHERE_ENV);
  assert_lookup (GYM_B, "env-token", TOPOUT_SYNC_TOKEN_WHERE_ENV);
  g_setenv ("TOPOUT_SYNC_TOKEN", "", TRUE);
  assert_lookup (GYM_A, "keyring-token", TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  g_unsetenv ("TOPOUT_SYNC_TOKEN");

  /* Clearing removes the keyring's token and the file. */
  assert_clear (GYM_A);
  assert_lookup (GYM_A, NULL, NULL);
  assert_token_file (NULL);

  /* Another server's file stays when this server's token is cleared. */
  write_token_file ("file-token\nserver=" GYM_A_KEY "\n");
  assert_store (GYM_B, "token-b", TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  assert_token_file ("file-token\nserver=" GYM_A_KEY "\n");
  assert_clear (GYM_B);
  assert_token_file ("file-token\nserver=" GYM_A_KEY "\n");
  assert_lookup (GYM_A, "file-token", NULL);

  bus_stop ();
}

/* The kiosk: the keyring holding the token is locked. Nothing prompts;
 * lookups fall back to the token file, stores go there. */
static void
test_locked (void)
{
  bus_start ();
  keyring_start (TRUE);
  assert_store (GYM_A, "keyring-token", TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  keyring_lock ();

  assert_lookup_locked (GYM_A);
  assert_lookup (GYM_B, NULL, NULL);
  write_token_file ("file-token\n");
  assert_lookup (GYM_A, "file-token", NULL);

  assert_store (GYM_A, "new-token", NULL);
  assert_token_file ("new-token\nserver=" GYM_A_KEY "\n");
  assert_lookup (GYM_A, "new-token", NULL);
  assert_lookup (GYM_B, NULL, NULL);

  assert_clear (GYM_A);
  assert_token_file (NULL);
  g_assert_cmpint (prompts_so_far (), ==, 0);
  g_assert_true (default_collection_locked ());

  bus_stop ();
}

/* The kiosk's autologin: the login keyring on disk is never unlocked. */
static void
test_locked_at_login (void)
{
  bus_start ();
  keyring_start (TRUE);
  assert_store (GYM_A, "keyring-token", TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  keyring_stop ();

  keyring_start (FALSE);
  g_assert_true (default_collection_locked ());
  assert_lookup_locked (GYM_A);
  assert_lookup (GYM_B, NULL, NULL);
  assert_store (GYM_A, "file-token", NULL);
  assert_lookup (GYM_A, "file-token", NULL);
  assert_clear (GYM_A);
  assert_lookup_locked (GYM_A);
  g_assert_cmpint (prompts_so_far (), ==, 0);

  bus_stop ();
}

/* A session bus with no Secret Service on it (none can be activated). */
static void
test_no_service (void)
{
  bus_start ();

  assert_lookup (GYM_A, NULL, NULL);
  assert_store (GYM_A, "file-token", NULL);
  assert_lookup (GYM_A, "file-token", NULL);
  assert_lookup (GYM_B, NULL, NULL);
  assert_clear (GYM_A);
  assert_lookup (GYM_A, NULL, NULL);
  assert_token_file (NULL);

  bus_stop ();
}

/* The user bus of dbus-user-session: no DBUS_SESSION_BUS_ADDRESS, a socket
 * $XDG_RUNTIME_DIR/bus. */
static void
test_runtime_dir_bus (void)
{
  bus_start ();
  keyring_start (TRUE);
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");

  assert_store (GYM_A, "keyring-token", TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  assert_lookup (GYM_A, "keyring-token", TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  assert_token_file (NULL);
  assert_clear (GYM_A);
  assert_lookup (GYM_A, NULL, NULL);

  bus_stop ();
}

/* No session bus at all (cron, ssh). */
static void
test_no_bus (void)
{
  g_autofree char *dbus_dir = NULL;

  g_unsetenv ("XDG_RUNTIME_DIR");
  assert_lookup (GYM_A, NULL, NULL);
  assert_store (GYM_A, "file-token", NULL);
  assert_lookup (GYM_A, "file-token", NULL);

  /* A runtime folder with no bus in it: GDBus would start one with
   * dbus-launch (on the X display, when there is one), which leaves a bus
   * and whatever it activates running, and notes its address in ~/.dbus. */
  private_home ();  /* XDG_RUNTIME_DIR again */
  assert_lookup (GYM_A, "file-token", NULL);
  dbus_dir = g_build_filename (g_get_home_dir (), ".dbus", NULL);
  g_assert_false (g_file_test (dbus_dir, G_FILE_TEST_EXISTS));
}

/* topout --sync-now ---------------------------------------------------- */

#define N_SESSIONS 3

/* A topout-server on a loopback port, and in @token_out a device token
 * made for it as an administrator does, `topout-server token add`. */
static GSubprocess *
server_start (const char  *db,
              char       **url_out,
              char       **token_out)
{
  const char *exe = g_getenv ("TOPOUT_SERVER");
  g_autoptr (GSubprocess) add = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (exe);
  add = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, exe, "token", "add", "kiosk-1", "--db", db, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (add, NULL, NULL, token_out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (add));
  g_strstrip (*token_out);

  return topout_test_server_spawn (db, NULL, url_out);
}

/* A client database with N_SESSIONS finished sessions due for sync. */
static char *
client_db (guint seed)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutStore) store = NULL;
  char *path = NULL;

  store = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  g_assert_true (topout_store_generate (store, N_SESSIONS, 2, seed, &error));
  g_assert_no_error (error);
  return path;
}

/* Runs `topout --db DB --sync-now --server URL` (the real binary, with
 * this test's bus and home, no TOPOUT_SYNC_TOKEN), asserts it exits with
 * @status, and returns what it wrote on stderr. */
static char *
sync_now (const char *db,
          const char *url,
          int         status)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) app = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                  &error, g_getenv ("TOPOUT_APP"), "--db", db,
                                                  "--sync-now", "--server", url, NULL);
  char *errors = NULL;

  g_assert_no_error (error);
  g_assert_null (g_getenv ("TOPOUT_SYNC_TOKEN"));
  g_assert_true (g_subprocess_communicate_utf8 (app, NULL, NULL, NULL, &errors, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (app) || g_subprocess_get_exit_status (app) != status)
    g_error ("topout --sync-now did not exit with %d; it said: %s", status, errors);
  return errors;
}

/* The command line syncs with the token in the keyring; with the keyring
 * locked it says so and then uses the token file. */
static void
test_cli_sync_now (void)
{
  g_autofree char *server_db = topout_test_path ("server.db");
  g_autofree char *first = client_db (7);
  g_autofree char *second = client_db (8);
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *errors = NULL;
  g_autofree char *file = topout_sync_token_file_path ();
  g_autoptr (GSubprocess) server = NULL;
  g_autoptr (GError) error = NULL;

  bus_start ();
  keyring_start (TRUE);
  server = server_start (server_db, &url, &token);

  /* The keyring is the one place the token is. */
  assert_store (url, token, TOPOUT_SYNC_TOKEN_WHERE_SECRET);
  assert_token_file (NULL);
  g_free (sync_now (first, url, 0));
  g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM sessions"), ==, N_SESSIONS);

  /* Locked: not set up, and why (exit 3); nothing sent. */
  keyring_lock ();
  errors = sync_now (second, url, 3);
  g_assert_nonnull (strstr (errors, "locked keyring"));
  g_assert_nonnull (strstr (errors, file));
  /* The last line too (it said "No device token … is set up"). */
  g_assert_nonnull (strstr (errors, "Sync is not set up: The device token for"));
  g_assert_null (strstr (errors, "No device token"));
  g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM sessions"), ==, N_SESSIONS);

  /* The kiosk's way: the token file. */
  assert_store (url, token, NULL);
  g_free (sync_now (second, url, 0));
  g_assert_cmpint (topout_test_query_int (server_db, "SELECT count (*) FROM sessions"), ==, 2 * N_SESSIONS);

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);
  bus_stop ();
}

/* Each test in a child of its own (a bus, a keyring and libsecret's
 * connection to them of its own), under a time limit. */
static void
guarded (gconstpointer data)
{
  if (g_test_subprocess ())
    {
      private_home ();
      ((GTestFunc) data) ();
      return;
    }
  g_test_trap_subprocess (NULL, TEST_TIMEOUT_USEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (g_test_trap_reached_timeout ())
    g_test_fail_printf ("%s took over %d s: a call waited, for a prompt or a service that never answers",
                        g_test_get_path (), (int) (TEST_TIMEOUT_USEC / G_USEC_PER_SEC));
  else
    g_test_trap_assert_passed ();
}

static void
add_guarded (const char *path,
             GTestFunc   test)
{
  g_test_add_data_func (path, (gconstpointer) test, guarded);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* One test failing does not stop the others (each child still stops at
   * its first failure). */
  if (!g_test_subprocess ())
    g_test_set_nonfatal_assertions ();

  add_guarded ("/keyring/store-lookup-clear", test_store_lookup_clear);
  add_guarded ("/keyring/precedence", test_precedence);
  add_guarded ("/keyring/locked", test_locked);
  add_guarded ("/keyring/locked-at-login", test_locked_at_login);
  add_guarded ("/keyring/no-service", test_no_service);
  add_guarded ("/keyring/runtime-dir-bus", test_runtime_dir_bus);
  add_guarded ("/keyring/no-bus", test_no_bus);
  add_guarded ("/keyring/cli-sync-now", test_cli_sync_now);
  return g_test_run ();
}
