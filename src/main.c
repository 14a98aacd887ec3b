/* main.c — the only file of the app outside libtopout.a. */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "topout-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (TopoutApplication) app = NULL;
  int status;

  const char *localedir = g_getenv ("TOPOUT_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* TOPOUT_LOCALEDIR: the build tree's po/ (./dev and the tests), so a
   * build shows its translations before it is installed. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = topout_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);

  /* The window showed why the database could not be opened; a script that
   * started us learns it from the exit status. */
  if (status == 0 && topout_application_get_store_error (app) != NULL)
    status = 1;

  return status;
}
