#define G_LOG_DOMAIN "topout-test"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>

#include "topout-history-view.h"
#include "topout-store-private.h"
#include "topout-test-util.h"

static char *tmpdir;
static gint64 test_now;

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
cleanup_tmpdir (void)
{
  if (tmpdir != NULL && g_getenv ("TOPOUT_TEST_KEEP") == NULL)
    remove_tree (tmpdir);
}

const char *
topout_test_tmpdir (void)
{
  if (tmpdir == NULL)
    {
      g_autoptr (GError) error = NULL;
      tmpdir = g_dir_make_tmp ("topout-test-XXXXXX", &error);
      g_assert_no_error (error);
      atexit (cleanup_tmpdir);
    }
  return tmpdir;
}

char *
topout_test_path (const char *name)
{
  return g_build_filename (topout_test_tmpdir (), name, NULL);
}

gint64
topout_test_parse_time (const char *rfc3339)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (rfc3339, NULL);
  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

void
topout_test_set_now (const char *rfc3339)
{
  test_now = topout_test_parse_time (rfc3339);
}

void
topout_test_advance (gint64 usec)
{
  test_now += usec;
}

static gint64
test_clock (gpointer user_data)
{
  return test_now;
}

TopoutStore *
topout_test_store_new (const char  *now_rfc3339,
                       char       **path_out)
{
  static guint counter;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("store-%u.db", ++counter);
  g_autofree char *path = topout_test_path (name);
  TopoutStore *store;

  topout_test_set_now (now_rfc3339);
  store = topout_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  topout_store_set_clock (store, test_clock, NULL);
  topout_store_set_gym_timezone (store, "UTC");

  if (path_out != NULL)
    *path_out = g_steal_pointer (&path);
  return store;
}

char *
topout_test_dump_db (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *tables = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%' ORDER BY name",
                                       -1, &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (tables, 0);
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY 1", table);
      sqlite3_stmt *rows = NULL;

      g_string_append_printf (out, "[%s]\n", table);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &rows, NULL), ==, SQLITE_OK);
      while (sqlite3_step (rows) == SQLITE_ROW)
        {
          for (int i = 0; i < sqlite3_column_count (rows); i++)
            {
              const unsigned char *v = sqlite3_column_text (rows, i);
              g_string_append_printf (out, "%s%s", i ? "|" : "", v ? (const char *) v : "NULL");
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (rows);
    }
  sqlite3_finalize (tables);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

TopoutClimber *
topout_test_add_climber (TopoutStore *store,
                         const char  *name,
                         const char  *member_code)
{
  g_autoptr (GError) error = NULL;
  TopoutClimber *climber = topout_store_add_climber (store, name, member_code, &error);
  g_assert_no_error (error);
  g_assert_nonnull (climber);
  return climber;
}

TopoutClimb *
topout_test_add_climb (TopoutStore *store,
                       const char  *id,
                       const char  *name,
                       const char  *grade)
{
  g_autoptr (GError) error = NULL;
  TopoutClimb *climb = topout_climb_new (id, name, grade, TOPOUT_GRADE_SYSTEM_V_SCALE);
  g_assert_true (topout_store_add_climb (store, climb, &error));
  g_assert_no_error (error);
  return climb;
}

static TopoutSession *
start_draft (TopoutStore   *store,
             const char    *climber_id,
             TopoutSession *draft)
{
  g_autoptr (GError) error = NULL;
  TopoutSession *session;

  topout_session_set_climber_id (draft, climber_id);
  session = topout_store_start_session (store, draft, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

TopoutSession *
topout_test_start (TopoutStore       *store,
                   const char        *climber_id,
                   TopoutSessionType  type)
{
  g_autoptr (TopoutSession) draft = topout_session_new ();

  topout_session_set_session_type (draft, type);
  return start_draft (store, climber_id, draft);
}

TopoutSession *
topout_test_start_competition (TopoutStore *store,
                               const char  *climber_id,
                               const char  *competition_type,
                               const char  *competition_id)
{
  g_autoptr (TopoutSession) draft = topout_session_new ();

  topout_session_set_session_type (draft, TOPOUT_SESSION_TYPE_COMPETITION);
  topout_session_set_competition_type (draft, competition_type);
  topout_session_set_competition_id (draft, competition_id);
  return start_draft (store, climber_id, draft);
}


void
topout_test_die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

GSubprocess *
topout_test_server_spawn (const char  *db,
                          const char  *token_file,
                          char       **url_out)
{
  return topout_test_server_spawn_full (db, token_file, FALSE, url_out);
}

GSubprocess *
topout_test_server_spawn_full (const char  *db,
                               const char  *token_file,
                               gboolean     faults,
                               char       **url_out)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *exe = g_getenv ("TOPOUT_SERVER");
  GSubprocess *server;

  g_assert_nonnull (exe);
  g_subprocess_launcher_set_child_setup (launcher, topout_test_die_with_parent, NULL, NULL);
  g_ptr_array_add (argv, (char *) exe);
  g_ptr_array_add (argv, "--listen");
  g_ptr_array_add (argv, "127.0.0.1:0");
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, (char *) db);
  if (token_file != NULL)
    {
      g_ptr_array_add (argv, "--token-file");
      g_ptr_array_add (argv, (char *) token_file);
    }
  if (faults)
    g_ptr_array_add (argv, "--test-faults");
  g_ptr_array_add (argv, NULL);
  server = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  *url_out = g_strstrip (g_strdup (line + strlen ("listening on ")));
  return server;
}

void
topout_test_server_set_fault (const char *url,
                              guint       after,
                              const char *mode,
                              guint       count,
                              guint       retry_after)
{
  g_autoptr (SoupSession) soup = soup_session_new ();
  g_autofree char *faults = g_strconcat (url, "/__test/faults", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", faults);
  g_autofree char *body = g_strdup_printf ("{\"mode\": \"%s\", \"count\": %u, \"retryAfter\": %u, \"after\": %u}",
                                           mode, count, retry_after, after);
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  answer = soup_session_send_and_read (soup, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

gint64
topout_test_query_int (const char *path,
                       const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

void
topout_test_assert_sync_counts (const char *path)
{
  g_assert_cmpint (topout_test_query_int (path,
                                          "SELECT (SELECT count (*) FROM"
                                          "  (SELECT sync_state, count (*) FROM sessions GROUP BY sync_state"
                                          "   EXCEPT SELECT state, n FROM sync_counts WHERE n != 0))"
                                          " + (SELECT count (*) FROM"
                                          "  (SELECT state, n FROM sync_counts WHERE n != 0"
                                          "   EXCEPT SELECT sync_state, count (*) FROM sessions GROUP BY sync_state))"),
                   ==, 0);
}

/* One scorecard line: "type|id|climber|climb attempts topped to_top first_top". */
typedef struct {
  guint  attempts;
  guint  to_top;        /* attempts up to and including the first top */
  gint64 first_top_at;  /* 0: not topped */
} ScoreLine;

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

char *
topout_test_scorecards_recomputed (const char *path)
{
  g_autoptr (GHashTable) lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GPtrArray) keys = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  /* Every competition route of a session not cancelled, in logging order. */
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT p.competition_type, p.competition_id, s.climber_id, p.climb_id,"
                                       " p.attempts, p.is_success, p.logged_at"
                                       " FROM completions p JOIN sessions s ON s.id = p.session_id"
                                       " WHERE p.is_competition AND s.status != 'CANCELLED'"
                                       " ORDER BY p.logged_at, p.rowid",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *key = g_strdup_printf ("%s|%s|%s|%s", sqlite3_column_text (stmt, 0),
                                              sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2),
                                              sqlite3_column_text (stmt, 3));
      ScoreLine *line = g_hash_table_lookup (lines, key);

      if (line == NULL)
        {
          line = g_new0 (ScoreLine, 1);
          g_hash_table_insert (lines, g_strdup (key), line);
        }
      line->attempts += sqlite3_column_int (stmt, 4);
      if (line->first_top_at == 0)
        {
          line->to_top += sqlite3_column_int (stmt, 4);
          if (sqlite3_column_int (stmt, 5))
            line->first_top_at = sqlite3_column_int64 (stmt, 6);
        }
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  keys = g_ptr_array_new ();
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, lines);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_ptr_array_add (keys, key);
  }
  g_ptr_array_sort (keys, compare_strings);
  for (guint i = 0; i < keys->len; i++)
    {
      ScoreLine *line = g_hash_table_lookup (lines, keys->pdata[i]);

      g_string_append_printf (out, "%s %u %d %u %" G_GINT64_FORMAT "\n", (char *) keys->pdata[i], line->attempts,
                              line->first_top_at != 0, line->first_top_at != 0 ? line->to_top : 0,
                              line->first_top_at);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
topout_test_scorecards_stored (const char *path)
{
  g_autoptr (GString) out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT competition_type || '|' || competition_id || '|' || climber_id"
                                       " || '|' || climb_id, attempts, topped, coalesce (attempts_to_top, 0),"
                                       " coalesce (first_top_at, 0) FROM scorecards",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  {
    g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);

    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (rows, g_strdup_printf ("%s %d %d %d %" G_GINT64_FORMAT "\n", sqlite3_column_text (stmt, 0),
                                              sqlite3_column_int (stmt, 1), sqlite3_column_int (stmt, 2) != 0,
                                              sqlite3_column_int (stmt, 3), (gint64) sqlite3_column_int64 (stmt, 4)));
    g_ptr_array_sort (rows, compare_strings);
    for (guint i = 0; i < rows->len; i++)
      g_string_append (out, rows->pdata[i]);
  }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
topout_test_assert_scorecards_agree (const char *path)
{
  g_autofree char *recomputed = topout_test_scorecards_recomputed (path);
  g_autofree char *stored = topout_test_scorecards_stored (path);

  g_assert_cmpstr (stored, ==, recomputed);
  /* Rule 6: a competition session's routes carry its pair, and no other
   * session's routes carry one. */
  g_assert_cmpint (topout_test_query_int (path,
                                          "SELECT count (*) FROM completions p JOIN sessions s ON s.id = p.session_id"
                                          " WHERE p.is_competition IS NOT s.is_competition"
                                          " OR p.competition_type IS NOT s.competition_type"
                                          " OR p.competition_id IS NOT s.competition_id"),
                   ==, 0);
}

char *
topout_test_replace_once (const char *text,
                          const char *from,
                          const char *to)
{
  const char *at = strstr (text, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

void
topout_test_pump (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
wait_done_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
topout_test_wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, wait_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  topout_test_pump ();
}

/* TRUE when a mapped label under @root holds @text. */
gboolean
topout_test_shows_text (GtkWidget  *root,
                        const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      strstr (gtk_label_get_label (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (topout_test_shows_text (c, text))
      return TRUE;
  return FALSE;
}

gboolean
topout_test_press_down (GtkWidget *entry)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (entry);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (c), "topout-down-to-list") == 0)
        g_signal_emit_by_name (c, "key-pressed", GDK_KEY_Down, 0, (GdkModifierType) 0, &handled);
    }
  return handled;
}

/* Tab (Shift+Tab with @backward) pressed in a row of @list, as the list's
 * topout_list_box_one_tab_stop() or topout_list_view_one_tab_stop()
 * controller then the window see it. */
void
topout_test_press_tab (GtkWidget *list,
                       gboolean   backward)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (list);
  gboolean handled = FALSE;
  guint found = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (c), "topout-one-tab-stop") == 0)
        {
          g_signal_emit_by_name (c, "key-pressed", backward ? GDK_KEY_ISO_Left_Tab : GDK_KEY_Tab, 0,
                                 backward ? GDK_SHIFT_MASK : (GdkModifierType) 0, &handled);
          found++;
        }
    }
  g_assert_cmpuint (found, ==, 1);
  /* Then what the window does with a Tab the list left to it. */
  if (!handled)
    gtk_widget_child_focus (gtk_widget_get_ancestor (list, GTK_TYPE_WINDOW),
                          backward ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD);
}

/* TRUE for what a finger taps: buttons (toggles, a menu button's button, a
 * stepper's + and -), check buttons, activatable rows, entries. */
static gboolean
is_touch_target (GtkWidget *widget)
{
  if (GTK_IS_LIST_BOX_ROW (widget))
    return gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget));
  return GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_SWITCH (widget) ||
         GTK_IS_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_SPIN_BUTTON (widget) ||
         GTK_IS_DROP_DOWN (widget);
}

/* Appends to @small, as "what WxH" lines, the touch targets under @root a
 * finger can reach (mapped, sensitive, targetable) that are less than 44 px
 * wide or high; the widgets inside one (a spin button's text) are not
 * looked at, its + and - are. */
void
topout_test_append_small_targets (GtkWidget  *root,
                                  GtkWidget  *window,
                                  const char *state,
                                  GString    *small)
{
  graphene_rect_t r;

  if (!gtk_widget_get_mapped (root) || !gtk_widget_get_can_target (root) || !gtk_widget_is_sensitive (root))
    return;
  if (is_touch_target (root) && gtk_widget_compute_bounds (root, window, &r) &&
      (r.size.width < 44 || r.size.height < 44))
    {
      const char *label = gtk_widget_get_tooltip_text (root);
      const char *action = GTK_IS_ACTIONABLE (root) ? gtk_actionable_get_action_name (GTK_ACTIONABLE (root)) : NULL;

      if (GTK_IS_BUTTON (root) && gtk_button_get_label (GTK_BUTTON (root)) != NULL)
        label = gtk_button_get_label (GTK_BUTTON (root));
      g_string_append_printf (small, "%s: %s %s \"%s\" %.0fx%.0f\n", state, G_OBJECT_TYPE_NAME (root),
                              action ? action : "", label ? label : "", r.size.width, r.size.height);
    }
  if (GTK_IS_SPIN_BUTTON (root) || GTK_IS_ENTRY (root) || GTK_IS_SEARCH_ENTRY (root))
    {
      /* Only its buttons. */
      for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
        if (GTK_IS_BUTTON (c))
          topout_test_append_small_targets (c, window, state, small);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    topout_test_append_small_targets (c, window, state, small);
}

gpointer
topout_test_template_child (gpointer    widget,
                            GType       type,
                            const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

/* The first widget under @root (depth first, @root included) that @match
 * takes. */
GtkWidget *
topout_test_find (GtkWidget           *root,
                  TopoutTestMatchFunc  match,
                  gconstpointer        data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = topout_test_find (c, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

/* The first widget of @type under @root (depth first, @root included). */
GtkWidget *
topout_test_find_by_type (GtkWidget *root,
                          GType      type)
{
  return topout_test_find (root, is_of_type, GSIZE_TO_POINTER (type));
}

void
topout_test_wait_transfer (GtkWidget *history)
{
  GtkRevealer *revealer = GTK_REVEALER (gtk_widget_get_template_child (history, TOPOUT_TYPE_HISTORY_VIEW,
                                                                       "transfer_revealer"));
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (gtk_revealer_get_reveal_child (revealer) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
}

AdwMessageDialog *
topout_test_find_prompt (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *found = NULL;
  guint n = 0;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        {
          found = ADW_MESSAGE_DIALOG (w);
          n++;
        }
    }
  g_assert_cmpuint (n, <=, 1);
  return found;
}

goffset
topout_test_file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : 0;
}

void
topout_test_write_pages (TopoutStore *store,
                         guint        first,
                         guint        n_pages)
{
  g_autofree char *blob = g_strnfill (3000, 'x');

  for (guint i = first; i < first + n_pages; i += 100)
    {
      g_autoptr (GError) error = NULL;

      g_assert_true (_topout_store_begin (store, &error));
      g_assert_no_error (error);
      for (guint j = i; j < i + 100 && j < first + n_pages; j++)
        {
          sqlite3_stmt *stmt = NULL;

          g_assert_cmpint (sqlite3_prepare_v2 (_topout_store_get_db (store),
                                               "INSERT INTO meta (key, value) VALUES (?1, ?2)", -1, &stmt, NULL),
                           ==, SQLITE_OK);
          sqlite3_bind_text (stmt, 1, g_strdup_printf ("test-%05u", j), -1, g_free);
          sqlite3_bind_text (stmt, 2, blob, -1, SQLITE_STATIC);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
          sqlite3_finalize (stmt);
        }
      g_assert_true (_topout_store_commit (store, &error));
      g_assert_no_error (error);
    }
}

static gboolean
is_label_of (GtkWidget     *widget,
             gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  return topout_test_find (root, is_label_of, text);
}

guint
topout_test_drop_down_named_items (GtkDropDown *drop_down)
{
  GtkWidget *toggle = gtk_widget_get_first_child (GTK_WIDGET (drop_down));
  GListModel *model = gtk_drop_down_get_model (drop_down);
  GtkWidget *popover;
  guint named = 0;

  g_assert_true (GTK_IS_TOGGLE_BUTTON (toggle));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  popover = topout_test_find_by_type (GTK_WIDGET (drop_down), GTK_TYPE_POPOVER);
  g_assert_nonnull (popover);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GtkStringObject) item = g_list_model_get_item (model, i);
      const char *text = gtk_string_object_get_string (item);
      GtkWidget *label = find_label (popover, text);
      g_autofree char *wrong = NULL;

      /* The label, the box of the item's child, the list's item widget. */
      if (label == NULL)
        continue;
      wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (gtk_widget_get_parent (gtk_widget_get_parent (label))),
                                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text);
      if (wrong == NULL)
        named++;
    }
  gtk_popover_popdown (GTK_POPOVER (popover));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return named;
}

static gboolean
count_tick (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

void
topout_test_wait_frames (GtkWidget *widget,
                         guint      n)
{
  guint ticks = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_tick, &ticks, NULL);
  /* A guard against a clock that never ticks, not a speed asked for: a
   * loaded machine under ASan takes seconds a frame. */
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (ticks < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (widget, id);
  topout_test_pump ();
}
