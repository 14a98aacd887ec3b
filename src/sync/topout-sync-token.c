/* topout-sync-token.c — the device token: environment, secret store, file.
 *
 * The secret store is used only when it can answer without a prompt: the
 * service is reached with SECRET_SERVICE_NONE, searched without
 * SECRET_SEARCH_UNLOCK, and written only into an already unlocked default
 * collection. Everything else falls back to the token file.
 *
 * Inside a Flatpak sandbox there is no access to the host's secret service
 * (the manifest does not grant org.freedesktop.secrets: that would expose
 * every secret of every app). There libsecret's simple password API keeps the
 * token in the app's own encrypted keyring file, whose key comes from the
 * Secret portal, so that path is used instead.
 */
#define G_LOG_DOMAIN "topout-sync-token"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <sys/stat.h>

#include "topout-sync-token.h"

#define TOKEN_SCHEMA_NAME "io.github.topout.Topout.Token"

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    TOKEN_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

/* The same, searched by the "server" attribute alone. A keyring that
 * gnome-keyring loaded from disk and never unlocked (a kiosk's autologin)
 * does not match the schema's name (xdg:schema), so only this search finds
 * the token there, to say where it is. */
static const SecretSchema *
token_schema_any_name (void)
{
  static const SecretSchema schema = {
    TOKEN_SCHEMA_NAME, SECRET_SCHEMA_DONT_MATCH_NAME,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

char *
topout_sync_token_file_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "topout", "token", NULL);
}

/* The secret service when it runs; NULL (quietly) when it does not. Never
 * starts a prompt: SECRET_SERVICE_NONE opens nothing and unlocks nothing. */
static SecretService *
get_service (void)
{
  g_autoptr (GError) error = NULL;
  SecretService *service;

  /* No session bus at all (ssh, cron, a bare kiosk): do not let GDBus try to
   * autolaunch one. With no address GDBus takes $XDG_RUNTIME_DIR/bus, and
   * when that is not there runs dbus-launch, which on an X display starts a
   * bus that outlives us (and activates a keyring daemon on it). */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      const char *runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
      g_autofree char *socket = NULL;

      if (runtime_dir == NULL)
        return NULL;
      socket = g_build_filename (runtime_dir, "bus", NULL);
      if (!g_file_test (socket, G_FILE_TEST_EXISTS))
        return NULL;
    }

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  if (service == NULL)
    g_debug ("No secret service: %s", error->message);
  return service;
}

static gboolean
in_sandbox (void)
{
  static int sandboxed = -1;

  if (sandboxed < 0)
    sandboxed = g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
  return sandboxed;
}

/* The server a token is kept for, as one key whatever way its address was
 * typed: scheme and host in lower case, the port always, no trailing "/"
 * ("HTTPS://Gym.example.org/" and "https://gym.example.org:443" are one
 * server). An address GUri cannot read is its own key. */
char *
topout_sync_server_key (const char *server_url)
{
  g_autoptr (GUri) uri = NULL;
  g_autofree char *scheme = NULL, *host = NULL, *path = NULL;
  int port;

  if (server_url == NULL)
    return g_strdup ("");
  uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (server_url);
  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  port = g_uri_get_port (uri);
  if (port < 0)
    port = g_str_equal (scheme, "https") ? 443 : g_str_equal (scheme, "http") ? 80 : 0;
  path = g_strdup (g_uri_get_path (uri));
  while (path[0] != '\0' && path[strlen (path) - 1] == '/')
    path[strlen (path) - 1] = '\0';
  return g_strdup_printf ("%s://%s:%d%s", scheme, host, port, path);
}

static GHashTable *
token_attributes (const char *key)
{
  return secret_attributes_build (token_schema (), "server", key, NULL);
}

/* The token kept under @key ("server" attribute). @locked is set when a
 * locked item may hold it (its secret is not read: that could prompt). */
static char *
lookup_secret_key (const char *key,
                   gboolean   *locked)
{
  g_autoptr (SecretService) service = get_service ();
  g_autoptr (GHashTable) attributes = NULL;
  g_autoptr (GError) error = NULL;
  GList *items;
  char *token = NULL;

  if (in_sandbox ())
    {
      token = secret_password_lookup_sync (token_schema (), NULL, &error, "server", key, NULL);
      if (error != NULL)
        g_debug ("Secret portal lookup failed: %s", error->message);
      if (token != NULL)
        g_strstrip (token);
      if (token != NULL && *token == '\0')
        g_clear_pointer (&token, g_free);
      return token;
    }
  if (service == NULL)
    return NULL;

  attributes = token_attributes (key);
  /* No SECRET_SEARCH_UNLOCK: locked items come back without their secret. */
  items = secret_service_search_sync (service, token_schema_any_name (), attributes,
                                      SECRET_SEARCH_ALL, NULL, &error);
  if (error != NULL)
    {
      g_debug ("Secret service search failed: %s", error->message);
      return NULL;
    }
  for (GList *l = items; l != NULL && token == NULL; l = l->next)
    {
      SecretItem *item = l->data;
      g_autoptr (SecretValue) value = NULL;
      g_autofree char *schema = NULL;
      g_autoptr (GError) load_error = NULL;

      if (secret_item_get_locked (item))
        {
          g_debug ("The keyring holding the sync token is locked; not unlocking it");
          *locked = TRUE;
          continue;
        }
      /* Unlocked, the item shows its schema: another program's item with a
       * "server" attribute is not a token. */
      schema = secret_item_get_schema_name (item);
      if (g_strcmp0 (schema, TOKEN_SCHEMA_NAME) != 0)
        continue;
      if (!secret_item_load_secret_sync (item, NULL, &load_error))
        {
          g_debug ("Reading the sync token from the keyring failed: %s", load_error->message);
          continue;
        }
      value = secret_item_get_secret (item);
      if (value != NULL && secret_value_get_text (value) != NULL)
        {
          token = g_strstrip (g_strdup (secret_value_get_text (value)));
          if (*token == '\0')
            g_clear_pointer (&token, g_free);
        }
    }
  g_list_free_full (items, g_object_unref);
  return token;
}

/* Under the server's key; else under the address exactly as typed (how
 * tokens were kept before the key). @locked as for lookup_secret_key(). */
static char *
lookup_secret (const char *server_url,
               gboolean   *locked)
{
  g_autofree char *key = topout_sync_server_key (server_url);
  char *token = lookup_secret_key (key, locked);

  if (token == NULL && server_url != NULL && g_strcmp0 (key, server_url) != 0)
    token = lookup_secret_key (server_url, locked);
  return token;
}

/* The file's line "server=ADDRESS" (after the token), which Preferences
 * writes: a token is one server's, and another address must not get it. A
 * file written by hand with the token alone serves any address. */
#define FILE_SERVER_PREFIX "server="

/* The token of the file at @path, and in @server_out (nullable) the key of
 * the server it names, NULL when it names none. */
static char *
read_file (const char  *path,
           char       **server_out,
           GError     **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *token = NULL;
  GStatBuf st;

  if (server_out != NULL)
    *server_out = NULL;
  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (g_stat (path, &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    g_message ("The token file %s can be read by other users; make it mode 0600", path);

  /* The first line that is not blank is the token. */
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (token == NULL)
        {
          if (*lines[i] != '\0')
            token = g_strdup (lines[i]);
        }
      else if (g_str_has_prefix (lines[i], FILE_SERVER_PREFIX) && server_out != NULL && *server_out == NULL)
        *server_out = topout_sync_server_key (lines[i] + strlen (FILE_SERVER_PREFIX));
    }
  return g_steal_pointer (&token);
}

/* FALSE when the token file at @path holds another server's token, which
 * is left alone; TRUE when it is for the server of @key, names none (then
 * it serves any), holds no token or is not there. */
static gboolean
file_is_for (const char *path,
             const char *key)
{
  g_autofree char *server = NULL;
  g_autofree char *token = read_file (path, &server, NULL);

  return token == NULL || server == NULL || g_str_equal (server, key);
}

/* The file's token when it is @server_url's (or names no server). */
static char *
lookup_file (const char  *path,
             const char  *server_url,
             GError     **error)
{
  g_autofree char *server = NULL;
  g_autofree char *token = read_file (path, &server, error);
  g_autofree char *key = NULL;

  if (token == NULL || server == NULL)
    return g_steal_pointer (&token);
  key = topout_sync_server_key (server_url);
  if (!g_str_equal (key, server))
    {
      g_debug ("The token file %s is for %s, not %s", path, server, key);
      return NULL;
    }
  return g_steal_pointer (&token);
}

char *
topout_sync_token_lookup (const char  *server_url,
                          char       **where_out,
                          GError     **error)
{
  const char *env = g_getenv ("TOPOUT_SYNC_TOKEN");
  g_autoptr (GError) local_error = NULL;
  g_autofree char *path = NULL;
  gboolean locked = FALSE;
  char *token;

  if (where_out != NULL)
    *where_out = NULL;

  if (env != NULL && *env != '\0')
    {
      if (where_out != NULL)
        *where_out = g_strdup (TOPOUT_SYNC_TOKEN_WHERE_ENV);
      return g_strdup (env);
    }

  token = lookup_secret (server_url, &locked);
  if (token != NULL)
    {
      if (where_out != NULL)
        *where_out = g_strdup (TOPOUT_SYNC_TOKEN_WHERE_SECRET);
      return token;
    }

  path = topout_sync_token_file_path ();
  token = lookup_file (path, server_url, &local_error);
  if (token == NULL && local_error == NULL && locked)
    /* Translators: the first %s is the sync server's address, the second
     * the token file's path. */
    g_set_error (&local_error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                 _("The device token for %s is in a locked keyring, which Topout never unlocks: "
                   "keep the token in the file %s (mode 0600) instead"),
                 server_url, path);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  if (token != NULL && where_out != NULL)
    *where_out = g_steal_pointer (&path);
  return token;
}

/* TRUE when the token went into the secret store. */
static gboolean
store_secret (const char *server_url,
              const char *token)
{
  g_autoptr (SecretService) service = get_service ();
  g_autoptr (SecretCollection) collection = NULL;
  g_autoptr (GHashTable) attributes = NULL;
  g_autoptr (SecretValue) value = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *key = topout_sync_server_key (server_url);

  if (in_sandbox ())
    {
      label = g_strdup_printf ("Topout sync token for %s", key);
      if (!secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, NULL, &error,
                                       "server", key, NULL))
        {
          g_debug ("Storing the token through the secret portal failed: %s", error->message);
          return FALSE;
        }
      return TRUE;
    }
  if (service == NULL)
    return FALSE;
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  if (collection == NULL)
    {
      g_debug ("No default keyring: %s", error != NULL ? error->message : "none");
      return FALSE;
    }
  if (secret_collection_get_locked (collection))
    {
      g_debug ("The default keyring is locked; using the token file");
      return FALSE;
    }

  attributes = token_attributes (key);
  value = secret_value_new (token, -1, "text/plain");
  label = g_strdup_printf ("Topout sync token for %s", key);
  if (!secret_service_store_sync (service, token_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                                  label, value, NULL, &error))
    {
      g_debug ("Storing the token in the keyring failed: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
topout_sync_token_store (const char  *server_url,
                         const char  *token,
                         char       **where_out,
                         GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *contents = NULL;

  g_return_val_if_fail (token != NULL && *token != '\0', FALSE);

  if (where_out != NULL)
    *where_out = NULL;

  if (store_secret (server_url, token))
    {
      /* A stale file would be read by a process that cannot reach the
       * keyring (cron): remove it, the keyring is the one place now. Not
       * another server's: that token is still good there. */
      g_autofree char *file = topout_sync_token_file_path ();
      g_autofree char *key = topout_sync_server_key (server_url);

      if (file_is_for (file, key))
        g_unlink (file);
      if (where_out != NULL)
        *where_out = g_strdup (TOPOUT_SYNC_TOKEN_WHERE_SECRET);
      return TRUE;
    }

  path = topout_sync_token_file_path ();
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  {
    g_autofree char *key = topout_sync_server_key (server_url);

    contents = g_strconcat (token, "\n", FILE_SERVER_PREFIX, key, "\n", NULL);
  }
  if (!g_file_set_contents_full (path, contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  if (where_out != NULL)
    *where_out = g_steal_pointer (&path);
  return TRUE;
}

gboolean
topout_sync_token_clear (const char  *server_url,
                         GError     **error)
{
  g_autoptr (SecretService) service = get_service ();
  g_autofree char *path = topout_sync_token_file_path ();
  g_autofree char *key = topout_sync_server_key (server_url);

  if (in_sandbox ())
    {
      g_autoptr (GError) local_error = NULL;

      if (!secret_password_clear_sync (token_schema (), NULL, &local_error, "server", key, NULL) &&
          local_error != NULL)
        g_debug ("Removing the token through the secret portal failed: %s", local_error->message);
    }
  else if (service != NULL)
    {
      g_autoptr (GHashTable) attributes = token_attributes (key);
      g_autoptr (GError) local_error = NULL;
      GList *items;

      /* Only unlocked items: deleting a locked one could prompt. */
      items = secret_service_search_sync (service, token_schema (), attributes,
                                          SECRET_SEARCH_ALL, NULL, &local_error);
      for (GList *l = items; l != NULL; l = l->next)
        if (!secret_item_get_locked (l->data))
          {
            g_autoptr (GError) delete_error = NULL;
            if (!secret_item_delete_sync (l->data, NULL, &delete_error))
              g_debug ("Removing the token from the keyring failed: %s", delete_error->message);
          }
      g_list_free_full (items, g_object_unref);
    }

  /* The file only when it holds this server's token (or any server's). */
  if (!file_is_for (path, key))
    return TRUE;
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot remove %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
