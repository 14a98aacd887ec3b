/* test-window.c — the real application and window under Xvfb: started on a
 * temporary database as `topout --db PATH [--demo]`, waited for until its
 * first frame is painted, inspected, and quit through app.quit. */
#define G_LOG_DOMAIN "topout-test-window"

#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "topout-application.h"
#include "topout-window.h"
#include "topout-test-util.h"

typedef void (*WindowCheck) (TopoutApplication *app,
                             TopoutWindow      *window,
                             gpointer           user_data);

typedef struct {
  TopoutApplication *app;
  WindowCheck        check;
  gpointer           user_data;
  gulong             paint_handler;
  guint              timeout_id;
  gboolean           checked;
} Run;

static gboolean
check_and_quit (gpointer data)
{
  Run *run = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));

  g_assert_nonnull (window);
  g_assert_true (TOPOUT_IS_WINDOW (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));

  run->check (run->app, TOPOUT_WINDOW (window), run->user_data);
  run->checked = TRUE;

  /* The same entry the menu and Ctrl+Q use. */
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  Run *run = data;

  g_clear_signal_handler (&run->paint_handler, clock);
  /* Not from inside the paint: look once the frame is done. */
  g_idle_add (check_and_quit, run);
}

static void
window_mapped_cb (GtkWidget *widget,
                  gpointer   data)
{
  Run *run = data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_assert_nonnull (clock);
  if (run->paint_handler == 0 && !run->checked)
    run->paint_handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), run);
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *window,
                 gpointer        data)
{
  if (TOPOUT_IS_WINDOW (window))
    g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), data);
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("the window was not painted within 60 seconds");
  return G_SOURCE_REMOVE;
}

/* Runs `topout ARGS…` in this process; returns its exit status. */
static int
run_app (const char * const *args,
         WindowCheck          check,
         gpointer             user_data)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  Run run = { 0 };
  int status;

  g_setenv ("TOPOUT_NON_UNIQUE", "1", TRUE);
  run.app = topout_application_new ();
  run.check = check;
  run.user_data = user_data;
  g_assert_true (g_application_get_flags (G_APPLICATION (run.app)) & G_APPLICATION_NON_UNIQUE);

  g_ptr_array_add (argv, (gpointer) "topout");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_signal_connect (run.app, "window-added", G_CALLBACK (window_added_cb), &run);
  run.timeout_id = g_timeout_add_seconds (60, timeout_cb, NULL);

  status = g_application_run (G_APPLICATION (run.app), argv->len - 1, (char **) argv->pdata);

  g_clear_handle_id (&run.timeout_id, g_source_remove);
  g_assert_true (run.checked);
  /* app.quit closed every window. */
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (run.app)));
  g_clear_object (&run.app);

  return status;
}

static gpointer
template_child (TopoutWindow *window,
                const char   *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), TOPOUT_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      GMenuModel *section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL)
        {
          gboolean found = menu_has_action (section, action);

          g_object_unref (section);
          if (found)
            return TRUE;
        }
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_strcmp0 (name, action) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
check_shell (TopoutWindow *window)
{
  GtkMenuButton *menu_button = template_child (window, "primary_menu_button");
  char *wrong;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Topout");

  /* The primary menu: reachable, named for screen readers, with About and Quit. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (menu_button)));
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (menu_button),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, "Main menu");
  if (wrong != NULL)
    g_error ("the main menu button's accessible label is %s, not \"Main menu\"", wrong);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (menu_button)), ==, "Main Menu");
  g_assert_nonnull (gtk_menu_button_get_menu_model (menu_button));
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (menu_button), "app.about"));
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (menu_button), "app.quit"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (gtk_window_get_application (GTK_WINDOW (window))), "about"));
}

static void
check_demo (TopoutApplication *app,
            TopoutWindow      *window,
            gpointer           user_data)
{
  GtkWidget *notice = template_child (window, "demo_notice");
  GtkStack *stack = template_child (window, "main_stack");
  int width = 0;
  int height = 0;

  check_shell (window);

  g_assert_nonnull (topout_window_get_store (window));
  g_assert_true (topout_window_get_store (window) == topout_application_get_store (app));
  g_assert_true (topout_store_is_demo (topout_window_get_store (window)));
  g_assert_null (topout_application_get_store_error (app));

  /* The notice is on screen, not only in the widget tree. */
  g_assert_true (gtk_widget_get_mapped (notice));
  g_assert_cmpint (gtk_widget_get_height (notice), >, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "placeholder");

  /* The size came from GSettings (set by the test before the run)... */
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 800);
  g_assert_cmpint (height, ==, 600);
  /* ...and a new one is saved when the window closes. */
  gtk_window_set_default_size (GTK_WINDOW (window), 820, 640);
}

static void
test_window_demo (void)
{
  g_autofree char *path = topout_test_path ("window.db");
  const char *args[] = { "--db", path, "--demo", NULL };
  g_autoptr (GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GError) error = NULL;

  g_settings_set_int (settings, "window-width", 800);
  g_settings_set_int (settings, "window-height", 600);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  g_assert_cmpint (run_app (args, check_demo, NULL), ==, 0);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* The demo data reached the file. */
  store = topout_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (topout_store_is_demo (store));
}

static void
check_plain (TopoutApplication *app,
             TopoutWindow      *window,
             gpointer           user_data)
{
  GtkWidget *notice = template_child (window, "demo_notice");

  check_shell (window);
  g_assert_nonnull (topout_window_get_store (window));
  g_assert_false (topout_store_is_demo (topout_window_get_store (window)));
  g_assert_false (gtk_widget_get_visible (notice));
  g_assert_false (topout_application_get_kiosk (app));
}

static void
test_window_plain (void)
{
  g_autofree char *path = topout_test_path ("plain.db");
  const char *args[] = { "--db", path, NULL };

  g_assert_cmpint (run_app (args, check_plain, NULL), ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
check_corrupt (TopoutApplication *app,
               TopoutWindow      *window,
               gpointer           user_data)
{
  const char *path = user_data;
  GtkStack *stack = template_child (window, "main_stack");
  AdwStatusPage *error_page = template_child (window, "error_page");
  GtkWidget *notice = template_child (window, "demo_notice");
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *shown = NULL;
  g_autoptr (GError) error = NULL;

  check_shell (window);

  g_assert_null (topout_window_get_store (window));
  g_assert_null (topout_application_get_store (app));
  g_assert_error (topout_application_get_store_error (app),
                  TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_CANNOT_OPEN);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "error");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (error_page)));
  g_assert_false (gtk_widget_get_visible (notice));
  /* The message names the file, as the user reads it (the description is
   * markup, and this file name has an "&" in it). */
  pango_parse_markup (adw_status_page_get_description (error_page), -1, 0,
                      NULL, &shown, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (shown, basename));
}

static void
test_window_corrupt_database (void)
{
  g_autofree char *path = topout_test_path ("corrupt & broken.db");
  const char *args[] = { "--db", path, "--demo", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len = 0;
  gsize after_len = 0;
  GString *junk = g_string_new (NULL);

  /* Longer than an SQLite header, so SQLite reads it as a page. */
  for (int i = 0; i < 400; i++)
    g_string_append (junk, "not a database\n");
  g_file_set_contents (path, junk->str, junk->len, &error);
  g_assert_no_error (error);
  g_string_free (junk, TRUE);
  g_file_get_contents (path, &before, &before_len, &error);
  g_assert_no_error (error);

  g_assert_cmpint (run_app (args, check_corrupt, path), ==, 0);

  g_file_get_contents (path, &after, &after_len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (before, before_len, after, after_len);
}

static void
test_window_version (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (TopoutApplication) app = NULL;
      char *argv[] = { (char *) "topout", (char *) "--version", NULL };

      /* No display needed: it never gets as far as opening one. */
      g_unsetenv ("DISPLAY");
      g_unsetenv ("WAYLAND_DISPLAY");
      g_setenv ("TOPOUT_NON_UNIQUE", "1", TRUE);
      app = topout_application_new ();
      g_assert_cmpint (g_application_run (G_APPLICATION (app), 2, argv), ==, 0);
      g_assert_null (topout_application_get_store (app));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("topout " PACKAGE_VERSION "\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/window/version", test_window_version);
  g_test_add_func ("/window/demo", test_window_demo);
  g_test_add_func ("/window/plain", test_window_plain);
  g_test_add_func ("/window/corrupt-database", test_window_corrupt_database);

  return g_test_run ();
}
