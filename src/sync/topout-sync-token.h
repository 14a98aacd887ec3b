/* topout-sync-token.h — where the device token of the sync server lives.
 *
 * In order: the TOPOUT_SYNC_TOKEN environment variable (scripts, cron), the
 * secret store through libsecret (schema "io.github.topout.Topout.Token",
 * attribute "server" = the server URL), and a fallback file
 * $XDG_CONFIG_HOME/topout/token (mode 0600) for machines with no running or
 * no unlocked secret service, such as a kiosk on autologin whose login
 * keyring stays locked. The file's first line is the token; a line
 * "server=ADDRESS" after it (Preferences writes one) keeps it for that
 * server alone, so a changed address never sends it elsewhere.
 *
 * A lookup never unlocks anything, so it never puts a prompt on screen: a
 * locked keyring is treated like a missing one. These calls block on D-Bus
 * and the disk: call them from a worker thread or the command line, not from
 * the UI thread (the sync engine does so).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @where_out values besides a file path. */
#define TOPOUT_SYNC_TOKEN_WHERE_ENV     "environment"     /* TOPOUT_SYNC_TOKEN */
#define TOPOUT_SYNC_TOKEN_WHERE_SECRET  "secret-service"  /* the login keyring */

/* The token file's path: $XDG_CONFIG_HOME/topout/token. */
char     *topout_sync_token_file_path (void);
/* The server @server_url names, as one key whatever way it was typed:
 * scheme and host in lower case, the port always, no trailing "/"
 * ("HTTPS://Gym.example.org/" and "https://gym.example.org:443" are one). */
char     *topout_sync_server_key      (const char  *server_url);

/* The token for @server_url, or NULL when none is stored anywhere (no error
 * then). @where_out (nullable) receives TOPOUT_SYNC_TOKEN_WHERE_ENV,
 * TOPOUT_SYNC_TOKEN_WHERE_SECRET or the absolute path of the file it came
 * from. An error for a token file that exists but cannot be read, and
 * SECRET_ERROR_IS_LOCKED (naming the token file) when the only token for
 * @server_url is in a locked keyring. */
char     *topout_sync_token_lookup    (const char  *server_url,
                                       char       **where_out,
                                       GError     **error);

/* Stores @token for @server_url: in the secret store when one runs and its
 * default collection is unlocked (never prompting), else in the token file,
 * written atomically with mode 0600. @where_out as for lookup. */
gboolean  topout_sync_token_store     (const char  *server_url,
                                       const char  *token,
                                       char       **where_out,
                                       GError     **error);

/* Removes the token for @server_url from the secret store (when reachable
 * without unlocking) and removes the token file unless it is another
 * server's. */
gboolean  topout_sync_token_clear     (const char  *server_url,
                                       GError     **error);

G_END_DECLS
