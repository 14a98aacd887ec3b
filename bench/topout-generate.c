/* topout-generate — reproducible synthetic Topout databases for tests and
 * benchmarks (SPEC section 5):
 *
 *   topout-generate --db PATH --sessions N [--routes-per-session M] [--climbers C]
 *                   [--climbs K] [--seed S] [--replace]
 *
 * Climbers (C, default one per 200 sessions but at least 20), a catalog of K
 * climbs (default 300) and N finished sessions of M routes each, all
 * eligible for sync. The same seed on the same day gives the same rows.
 * Without --replace an existing database must be empty; with it, the file and
 * its -wal/-shm companions are deleted first.
 */
#define G_LOG_DOMAIN "topout-generate"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>

#include "topout-store.h"
#include "topout-store-private.h"

static guint
count_rows (TopoutStore *store,
            const char  *sql)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (store, sql, NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return (guint) sqlite3_column_int64 (stmt, 0);
}

static gboolean
remove_database (const char  *path,
                 GError     **error)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_remove (file) != 0 && errno != ENOENT)
        {
          int saved = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("Could not delete “%s”: %s"), file, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutStore) store = NULL;
  g_autofree char *db_path = NULL;
  gint64 n_sessions = G_MININT64;  /* not given */
  gint64 routes_per_session = 10;
  gint64 seed = 1;
  gint64 n_climbers = 0;
  gint64 n_climbs = 0;
  gboolean replace = FALSE;
  gint64 started, elapsed;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The database file to make"), N_("PATH") },
    { "sessions", 0, 0, G_OPTION_ARG_INT64, &n_sessions, N_("How many finished sessions"), "N" },
    { "routes-per-session", 0, 0, G_OPTION_ARG_INT64, &routes_per_session,
      N_("Completions in each session (default 10)"), "M" },
    { "climbers", 0, 0, G_OPTION_ARG_INT64, &n_climbers,
      N_("How many climbers (default one per 200 sessions, at least 20)"), "C" },
    { "climbs", 0, 0, G_OPTION_ARG_INT64, &n_climbs, N_("How many climbs in the catalog (default 300)"), "K" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the random choices (default 1)"), "S" },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_("Delete an existing database (and its -wal and -shm files) first"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Makes a reproducible synthetic Topout database, "
                                           "every session eligible for sync."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("topout-generate: %s\n", error->message);
      return 1;
    }
  if (db_path == NULL || n_sessions == G_MININT64)
    {
      g_printerr ("topout-generate: %s\n", _("--db and --sessions are required."));
      return 1;
    }
  if (n_sessions < 0 || n_sessions > G_MAXUINT32 || routes_per_session < 0 || routes_per_session > G_MAXUINT32 ||
      seed < 0 || seed > G_MAXUINT32 || n_climbers < 0 || n_climbers > 1000000 || n_climbs < 0 ||
      n_climbs > 9999)
    {
      g_printerr ("topout-generate: %s\n",
                  _("--sessions, --routes-per-session and --seed must be whole numbers from 0 to 4294967295, "
                    "--climbers from 0 to 1000000, --climbs from 0 to 9999."));
      return 1;
    }

  if (replace && !remove_database (db_path, &error))
    {
      g_printerr ("topout-generate: %s\n", error->message);
      return 1;
    }

  started = g_get_monotonic_time ();
  store = topout_store_new (db_path, &error);
  if (store == NULL)
    {
      g_printerr ("topout-generate: %s\n", error->message);
      return 1;
    }
  if (!topout_store_generate_full (store, (guint) n_sessions, (guint) routes_per_session, (guint) n_climbers,
                                   (guint) n_climbs, (guint32) seed, &error))
    {
      if (g_error_matches (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE))
        g_printerr ("topout-generate: %s %s\n", error->message,
                    _("Use --replace to start from an empty file."));
      else
        g_printerr ("topout-generate: %s\n", error->message);
      return 1;
    }
  elapsed = g_get_monotonic_time () - started;

  /* Translators: the database path, then what it holds and how long it took. */
  g_print (_("%s: %u climbers, %u climbs, %u sessions (%u due for sync), %u completions, "
             "seed %u, in %.2f s\n"),
           db_path,
           count_rows (store, "SELECT count (*) FROM climbers"),
           count_rows (store, "SELECT count (*) FROM climbs"),
           count_rows (store, "SELECT count (*) FROM sessions"),
           topout_store_count_due_sessions (store, topout_store_now (store)),
           count_rows (store, "SELECT count (*) FROM completions"),
           (guint) seed,
           elapsed / (double) G_USEC_PER_SEC);
  return 0;
}
