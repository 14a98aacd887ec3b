/* test-export.c — sessions out (CSV, JSON lines) and back in, through the
 * store and through the real `topout --export/--import` with no display. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "topout-export.h"
#include "topout-limits.h"
#include "topout-history-model.h"
#include "topout-store.h"
#include "topout-store-private.h"
#include "topout-test-util.h"

#define NOW "2026-11-21T17:00:00Z"

/* How the store's own connection commits now (2: FULL, every commit synced,
 * as the store opens it; 1: NORMAL, an import's chunks). */
static int
commit_safety (TopoutStore *store)
{
  sqlite3_stmt *stmt = NULL;
  int level;

  g_assert_cmpint (sqlite3_prepare_v2 (_topout_store_get_db (store), "PRAGMA synchronous", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  level = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return level;
}

/* The content an export carries, as text, through a separate connection:
 * everything but local bookkeeping (times of the rows, sync state). */
static char *
content_of (const char *path)
{
  static const char *const queries[] = {
    "SELECT id, climber_id, type, custom_label, name, status, started_at, ended_at, session_date,"
    " time_slot, is_retroactive, is_at_gym, is_competition, competition_type, competition_id, notes,"
    " revision, n_routes, n_sends FROM sessions WHERE status != 'ACTIVE' ORDER BY id",
    "SELECT id, session_id, climb_id, grade, is_success, attempts, notes, logged_at, is_competition,"
    " competition_type, competition_id FROM completions p"
    " WHERE (SELECT status FROM sessions s WHERE s.id = p.session_id) != 'ACTIVE' ORDER BY id",
    "SELECT id, member_code, display_name, archived FROM climbers"
    " WHERE id IN (SELECT climber_id FROM sessions WHERE status != 'ACTIVE') ORDER BY id",
    "SELECT id, name, grade, grade_system, color, wall, set_on, retired FROM climbs"
    " WHERE id IN (SELECT climb_id FROM completions p JOIN sessions s ON s.id = p.session_id"
    "              WHERE s.status != 'ACTIVE') ORDER BY id",
    "SELECT * FROM scorecards ORDER BY 1, 2, 3, 4",
  };
  sqlite3 *db = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int i = 0; i < sqlite3_column_count (stmt); i++)
            {
              const char *v = (const char *) sqlite3_column_text (stmt, i);
              g_string_append_printf (out, "%s|", v ? v : "NULL");
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
      g_string_append (out, "--\n");
    }
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

/* A small gym: two climbers, three climbs, a session with tricky text, one
 * without routes, a competition session and an active one (never exported). */
typedef struct {
  TopoutStore *store;
  char        *path;
  char        *ada, *bo;
  char        *plain_session, *empty_session, *comp_session;
} Gym;

static void
log_route (TopoutStore *store,
           const char  *climber,
           const char  *climb,
           guint        attempts,
           gboolean     sent,
           const char  *notes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutCompletion) c = topout_store_log_completion (store, climber, climb, attempts, sent, notes,
                                                                NULL, &error);
  g_assert_no_error (error);
  topout_test_advance (60 * G_USEC_PER_SEC);
}

static void
end (TopoutStore   *store,
     TopoutSession *session)
{
  g_autoptr (GError) error = NULL;

  gboolean ok = topout_store_end_session (store, topout_session_get_id (session), &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
gym_init (Gym *g)
{
  g_autoptr (TopoutClimber) ada = NULL, bo = NULL, cy = NULL;
  g_autoptr (TopoutClimb) c1 = NULL, c2 = NULL, c3 = NULL;
  g_autoptr (TopoutSession) s1 = NULL, s2 = NULL, s3 = NULL, active = NULL;
  g_autoptr (TopoutSession) draft = topout_session_new ();
  g_autoptr (GError) error = NULL;

  g->store = topout_test_store_new ("2026-11-10T17:00:00Z", &g->path);
  ada = topout_test_add_climber (g->store, "Ada Lovelace", "M-0001");
  bo = topout_test_add_climber (g->store, "Bo, \"the\" Climber", "M-0002");
  cy = topout_test_add_climber (g->store, "Cy", NULL);
  c1 = topout_test_add_climb (g->store, "c-1", "Roof Monster", "V5");
  c2 = topout_test_add_climb (g->store, "c-2", "=cmd|' /C calc'!A0", "V2");
  c3 = topout_test_add_climb (g->store, "c-3", "Never climbed", "V9");
  g->ada = g_strdup (topout_climber_get_id (ada));
  g->bo = g_strdup (topout_climber_get_id (bo));

  s1 = topout_test_start (g->store, g->ada, TOPOUT_SESSION_TYPE_POWER);
  log_route (g->store, g->ada, "c-1", 3, TRUE, "crux, then \"jug\"\nand top");
  log_route (g->store, g->ada, "c-2", 1, FALSE, NULL);
  end (g->store, s1);
  g->plain_session = g_strdup (topout_session_get_id (s1));

  topout_test_set_now ("2026-11-15T10:00:00Z");
  s2 = topout_test_start (g->store, g->bo, TOPOUT_SESSION_TYPE_FUN);
  end (g->store, s2);
  g->empty_session = g_strdup (topout_session_get_id (s2));

  topout_test_set_now ("2026-11-20T18:00:00Z");
  topout_session_set_climber_id (draft, g->bo);
  topout_session_set_session_type (draft, TOPOUT_SESSION_TYPE_COMPETITION);
  topout_session_set_competition_type (draft, "LEAGUE");
  topout_session_set_competition_id (draft, "2026-r3");
  s3 = topout_store_start_session (g->store, draft, &error);
  g_assert_no_error (error);
  log_route (g->store, g->bo, "c-1", 2, FALSE, NULL);
  log_route (g->store, g->bo, "c-1", 1, TRUE, NULL);
  end (g->store, s3);
  g->comp_session = g_strdup (topout_session_get_id (s3));

  topout_test_set_now (NOW);
  active = topout_test_start (g->store, topout_climber_get_id (cy), TOPOUT_SESSION_TYPE_FUN);
  log_route (g->store, topout_climber_get_id (cy), "c-3", 1, TRUE, NULL);
}

static void
gym_clear (Gym *g)
{
  g_clear_object (&g->store);
  g_free (g->path);
  g_free (g->ada);
  g_free (g->bo);
  g_free (g->plain_session);
  g_free (g->empty_session);
  g_free (g->comp_session);
}

static char *
export_to_string (TopoutStore              *store,
                  TopoutExportFormat        format,
                  const TopoutExportFilter *filter,
                  guint                    *n_sessions,
                  guint                    *n_completions)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  char *text;

  g_assert_true (topout_store_export (store, format, filter, out, NULL, NULL, NULL,
                                      n_sessions, n_completions, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_output_stream_close (out, NULL, NULL);
  text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
  return text;
}

static char *
write_temp (const char *name,
            const char *contents)
{
  char *path = topout_test_path (name);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

/* Imports @text (written to the temporary file @name) into @target, whose
 * file is @target_path: refused whole, for one problem on @line, and the
 * file as it was. Returns that problem's message. */
static char *
assert_refused_on_line (TopoutStore *target,
                        const char  *target_path,
                        const char  *name,
                        const char  *text,
                        guint        line)
{
  g_autofree char *path = write_temp (name, text);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *before = topout_test_dump_db (target_path);
  g_autofree char *after = NULL;
  g_autoptr (TopoutImportReport) problems = NULL;
  g_autoptr (GError) error = NULL;
  TopoutImportProblem *p;

  g_assert_null (topout_store_import_sessions (target, file, NULL, NULL, NULL, &problems, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->problems->len, ==, 1);
  p = g_ptr_array_index (problems->problems, 0);
  g_assert_cmpuint (p->line, ==, line);
  after = topout_test_dump_db (target_path);
  g_assert_cmpstr (after, ==, before);
  return g_strdup (p->message);
}

static void
test_csv_shape (void)
{
  Gym g = { 0 };
  guint n_sessions = 0, n_completions = 0;
  g_autofree char *csv = NULL;
  g_auto (GStrv) lines = NULL;
  guint empty_rows = 0;

  gym_init (&g);
  csv = export_to_string (g.store, TOPOUT_EXPORT_CSV, NULL, &n_sessions, &n_completions);
  g_assert_cmpuint (n_sessions, ==, 3);   /* the active session stays out */
  g_assert_cmpuint (n_completions, ==, 4);

  /* Header + 2 + 1 (no routes) + 2 rows; the note's line break is quoted. */
  g_assert_true (g_str_has_prefix (csv, "sessionClientId,climberId,memberCode,climberName,type,"));
  g_assert_nonnull (strstr (csv, "\"crux, then \"\"jug\"\"\nand top\""));
  g_assert_nonnull (strstr (csv, ",\"Bo, \"\"the\"\" Climber\","));
  /* A cell a spreadsheet would run as a formula is defused. */
  g_assert_nonnull (strstr (csv, ",\"'=cmd|' /C calc'!A0\","));
  g_assert_null (strstr (csv, "Never climbed"));
  /* Each route row names its climb (from the catalog: the wire has no names). */
  g_assert_nonnull (strstr (csv, ",c-1,Roof Monster,V5,"));

  lines = g_strsplit (csv, "\r\n", -1);
  /* 6 records and the empty string after the last CRLF. */
  g_assert_cmpuint (g_strv_length (lines), ==, 7);
  for (guint i = 1; lines[i] && *lines[i]; i++)
    if (strstr (lines[i], g.empty_session) != NULL)
      {
        /* The session without routes: one row (revision 2 once ended), its
         * 11 completion cells empty. */
        g_assert_true (g_str_has_suffix (lines[i], ",2,,,,,,,,,,,"));
        empty_rows++;
      }
  g_assert_cmpuint (empty_rows, ==, 1);
  gym_clear (&g);
}

static void
test_json_round_trip (void)
{
  Gym g = { 0 };
  g_autoptr (TopoutStore) empty = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) again = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL, *json_path = NULL, *empty_path = NULL;
  g_autofree char *before = NULL, *after = NULL, *dump_once = NULL, *dump_twice = NULL;
  g_auto (GStrv) lines = NULL;

  gym_init (&g);
  topout_test_set_now ("2026-11-21T18:30:00Z");
  json = export_to_string (g.store, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  lines = g_strsplit (json, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);  /* header, 3 sessions, "" */
  g_assert_true (g_str_has_prefix (lines[0], "{\"topoutExport\":1,"));
  /* The store's clock, not the machine's. */
  g_assert_nonnull (strstr (lines[0], "\"exportedAt\":\"2026-11-21T18:30:00Z\""));
  g_assert_nonnull (strstr (lines[0], "\"memberCode\":\"M-0002\""));
  g_assert_null (strstr (lines[0], "Never climbed"));   /* only climbs it refers to */
  for (guint i = 1; i < 4; i++)
    g_assert_true (g_str_has_prefix (lines[i], "{\"clientId\":"));

  json_path = write_temp ("round-trip.json", json);
  file = g_file_new_for_path (json_path);
  g_assert_true (topout_file_is_session_export (file));

  empty = topout_test_store_new (NOW, &empty_path);
  report = topout_store_import_sessions (empty, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->n_added, ==, 3);
  g_assert_cmpuint (report->n_unchanged, ==, 0);
  /* The desk's taps after an import are synced again, as before it. */
  g_assert_cmpint (commit_safety (empty), ==, 2);

  before = content_of (g.path);
  after = content_of (empty_path);
  g_assert_cmpstr (after, ==, before);
  /* The competition's scorecard came back with it. */
  g_assert_cmpuint ((guint) topout_test_query_int (empty_path, "SELECT count (*) FROM scorecards"), ==, 1);
  /* Imported sessions are not this device's to sync. */
  g_assert_cmpuint (topout_store_count_due_sessions (empty, topout_store_now (empty)), ==, 0);

  /* Twice: nothing added, nothing changed. */
  dump_once = topout_test_dump_db (empty_path);
  again = topout_store_import_sessions (empty, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->n_added, ==, 0);
  g_assert_cmpuint (again->n_unchanged, ==, 3);
  dump_twice = topout_test_dump_db (empty_path);
  g_assert_cmpstr (dump_twice, ==, dump_once);
  gym_clear (&g);
}

/* A file from elsewhere whose routes disagree with their session's
 * competition (another pair, none, or a pair in a session that is no
 * competition): imported, each route takes its session's pair (rule 6),
 * so the scorecards agree with the routes now and after every later edit. */
static void
test_import_routes_take_session_pair (void)
{
  Gym g = { 0 };
  g_autoptr (TopoutStore) into = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pairs = NULL;
  g_autofree char *json = NULL, *json_path = NULL, *into_path = NULL;
  g_auto (GStrv) lines = NULL;

  gym_init (&g);
  json = export_to_string (g.store, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  lines = g_strsplit (json, "\n", -1);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      char *line = lines[i];

      if (strstr (line, g.comp_session) != NULL)
        {
          /* The first route of another round, the second of none. */
          char *edited = topout_test_replace_once (line, "\"competitionId\":\"2026-r3\"}",
                                                   "\"competitionId\":\"2026-r9\"}");
          g_free (line);
          line = topout_test_replace_once (edited, "\"isCompetition\":true,\"competitionType\":\"LEAGUE\","
                                                   "\"competitionId\":\"2026-r3\"}",
                                           "\"isCompetition\":false,\"competitionType\":null,"
                                           "\"competitionId\":null}");
          g_free (edited);
        }
      else if (strstr (line, g.plain_session) != NULL)
        {
          /* A POWER session whose first route claims a competition. */
          char *edited = topout_test_replace_once (line, "\"isCompetition\":false,\"competitionType\":null,"
                                                         "\"competitionId\":null}",
                                                   "\"isCompetition\":true,\"competitionType\":\"LEAGUE\","
                                                   "\"competitionId\":\"ghost\"}");
          g_free (line);
          line = edited;
        }
      lines[i] = line;
    }
  g_free (json);
  json = g_strjoinv ("\n", lines);
  json_path = write_temp ("mixed-pairs.json", json);
  file = g_file_new_for_path (json_path);

  into = topout_test_store_new (NOW, &into_path);
  report = topout_store_import_sessions (into, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_added, ==, 3);
  topout_test_assert_scorecards_agree (into_path);
  /* One competition, with both of Bo's routes in it; no ghost round. */
  pairs = topout_store_list_competitions (into);
  g_assert_cmpuint (pairs->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (pairs, 1), ==, "2026-r3");
  {
    guint attempts = 0;

    g_assert_true (topout_store_get_scorecard_row (into, "LEAGUE", "2026-r3", g.bo, "c-1",
                                                   &attempts, NULL, NULL, NULL));
    g_assert_cmpuint (attempts, ==, 3);
  }

  /* A coach's edit of each afterwards keeps them agreeing. */
  {
    const char *ids[] = { g.comp_session, g.plain_session };

    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        g_autoptr (TopoutSession) s = topout_store_get_session (into, ids[i], &error);

        g_assert_no_error (error);
        topout_session_set_notes (s, "checked");
        g_assert_true (topout_store_update_session (into, s, &error));
        g_assert_no_error (error);
        topout_test_assert_scorecards_agree (into_path);
      }
  }
  gym_clear (&g);
}

static void
test_filters (void)
{
  Gym g = { 0 };
  TopoutExportFilter by_climber = { NULL, NULL, NULL };
  TopoutExportFilter by_dates = { NULL, "2026-11-12", "2026-11-19" };
  TopoutExportFilter bad_date = { NULL, "2026-13-01", NULL };
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  g_autofree char *bo_json = NULL, *dates_csv = NULL;
  guint n = 0;

  gym_init (&g);
  by_climber.climber_id = g.bo;
  bo_json = export_to_string (g.store, TOPOUT_EXPORT_JSON, &by_climber, &n, NULL);
  g_assert_cmpuint (n, ==, 2);
  g_assert_nonnull (strstr (bo_json, g.empty_session));
  g_assert_nonnull (strstr (bo_json, g.comp_session));
  g_assert_null (strstr (bo_json, g.plain_session));
  g_assert_null (strstr (bo_json, "M-0001"));  /* Ada is not in the header */

  dates_csv = export_to_string (g.store, TOPOUT_EXPORT_CSV, &by_dates, &n, NULL);
  g_assert_cmpuint (n, ==, 1);
  g_assert_nonnull (strstr (dates_csv, g.empty_session));

  g_assert_false (topout_store_export (g.store, TOPOUT_EXPORT_CSV, &bad_date, out, NULL, NULL, NULL,
                                       NULL, NULL, &error));
  g_assert_nonnull (error);
  gym_clear (&g);
}

/* Every bad line is named; nothing stays written, even sessions from good
 * lines before the first bad one that were already committed in chunks. */
static void
test_bad_lines_import_nothing (void)
{
  g_autoptr (TopoutStore) big = NULL, target = NULL;
  g_autoptr (TopoutClimber) here = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) problems = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *big_path = NULL, *target_path = NULL, *json = NULL, *path = NULL;
  g_autofree char *before = NULL, *after = NULL, *bad_attempts = NULL;
  g_autoptr (GString) text = NULL;
  g_auto (GStrv) lines = NULL;
  TopoutImportProblem *p;
  guint n_lines;

  big = topout_test_store_new (NOW, &big_path);
  g_assert_true (topout_store_generate (big, 3000, 4, 7, &error));
  g_assert_no_error (error);
  json = export_to_string (big, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  lines = g_strsplit (json, "\n", -1);
  n_lines = g_strv_length (lines) - 1;
  g_assert_cmpuint (n_lines, ==, 3001);

  /* Good lines, then: attempts 0, not JSON, an unknown climb, a repeated session. */
  text = g_string_new (json);
  bad_attempts = g_strdup (lines[5]);
  {
    char *at = strstr (bad_attempts, "\"attempts\":");
    g_assert_nonnull (at);
    at += strlen ("\"attempts\":");
    memmove (at + 1, at + strspn (at, "0123456789"), strlen (at + strspn (at, "0123456789")) + 1);
    *at = '0';
  }
  g_string_append_printf (text, "%s\n", bad_attempts);
  g_string_append (text, "this is not json\n");
  {
    g_autofree char *unknown = g_strdup (lines[6]);
    char *climb = strstr (unknown, "\"climbId\":\"");
    g_assert_nonnull (climb);
    memcpy (climb + strlen ("\"climbId\":\""), "zz", 2);
    /* A new clientId so it is not a repeat. */
    memcpy (unknown + strlen ("{\"clientId\":\""), "ffffffff", 8);
    g_string_append_printf (text, "%s\n", unknown);
  }
  g_string_append_printf (text, "%s\n", lines[7]);
  path = write_temp ("bad-lines.json", text->str);
  file = g_file_new_for_path (path);

  target = topout_test_store_new (NOW, &target_path);
  here = topout_test_add_climber (target, "Already Here", "M-9999");
  before = topout_test_dump_db (target_path);
  report = topout_store_import_sessions (target, file, NULL, NULL, NULL, &problems, &error);
  g_assert_null (report);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_assert_nonnull (problems);
  g_assert_cmpint (commit_safety (target), ==, 2);
  /* The four lines, and the header's count they go beyond. */
  g_assert_cmpuint (problems->problems->len, ==, 5);
  p = g_ptr_array_index (problems->problems, 4);
  g_assert_cmpuint (p->line, ==, 1);
  g_assert_nonnull (strstr (p->message, "announces 3000 sessions and the file holds 3004"));
  p = g_ptr_array_index (problems->problems, 0);
  g_assert_cmpuint (p->line, ==, n_lines + 1);
  g_assert_nonnull (strstr (p->message, "attempts"));
  p = g_ptr_array_index (problems->problems, 1);
  g_assert_cmpuint (p->line, ==, n_lines + 2);
  p = g_ptr_array_index (problems->problems, 2);
  g_assert_cmpuint (p->line, ==, n_lines + 3);
  g_assert_nonnull (strstr (p->message, "“zz"));
  p = g_ptr_array_index (problems->problems, 3);
  g_assert_cmpuint (p->line, ==, n_lines + 4);

  after = topout_test_dump_db (target_path);
  g_assert_cmpstr (after, ==, before);
}

/* Lines of nothing but blanks (spaces, tabs, a CR) are skipped; any other
 * text on a line of its own is a problem of that line, even one letter. */
static void
test_blank_lines (void)
{
  Gym g = { 0 };
  g_autoptr (TopoutStore) empty = NULL, target = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL, *path = NULL, *empty_path = NULL, *target_path = NULL, *message = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GString) text = NULL, bad = NULL;

  gym_init (&g);
  json = export_to_string (g.store, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  lines = g_strsplit (json, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);  /* header, 3 sessions, "" */

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s\n\t \n%s\r\n\n \r\n%s\n\t\n%s\n   \n",
                          lines[0], lines[1], lines[2], lines[3]);
  path = write_temp ("blank-lines.json", text->str);
  file = g_file_new_for_path (path);
  empty = topout_test_store_new (NOW, &empty_path);
  report = topout_store_import_sessions (empty, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->n_added, ==, 3);

  /* "t" is not blank: it is the line's problem, and nothing is written. */
  bad = g_string_new (NULL);
  g_string_append_printf (bad, "%s\n%s\nt\n%s\n", lines[0], lines[1], lines[2]);
  target = topout_test_store_new (NOW, &target_path);
  message = assert_refused_on_line (target, target_path, "letter-line.json", bad->str, 3);
  gym_clear (&g);
}

/* A session line with a value json-glib would misread (here notes with an
 * escaped NUL, which it reads as ending there) is that line's problem, not
 * a session imported with its notes cut short; nothing is written. */
static void
test_misread_line (void)
{
  Gym g = { 0 };
  g_autoptr (TopoutStore) target = NULL;
  g_autofree char *json = NULL, *target_path = NULL, *message = NULL, *header_message = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GString) text = NULL, header = NULL;
  const char *notes, *name;

  gym_init (&g);
  json = export_to_string (g.store, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  lines = g_strsplit (json, "\n", -1);
  notes = strstr (lines[2], "\"notes\":\"");
  g_assert_nonnull (notes);
  notes += strlen ("\"notes\":\"");
  text = g_string_new (NULL);
  g_string_append_printf (text, "%s\n%s\n%.*s\\u0000%s\n%s\n", lines[0], lines[1],
                          (int) (notes - lines[2]), lines[2], notes, lines[3]);
  target = topout_test_store_new (NOW, &target_path);
  message = assert_refused_on_line (target, target_path, "misread-line.json", text->str, 3);
  g_assert_nonnull (strstr (message, "NUL"));

  /* The same in the header, in a climber's name: line 1's problem. */
  name = strstr (lines[0], "\"displayName\":\"");
  g_assert_nonnull (name);
  name += strlen ("\"displayName\":\"") + 1;  /* read as its first letter alone */
  header = g_string_new (NULL);
  g_string_append_printf (header, "%.*s\\u0000%s\n%s\n", (int) (name - lines[0]), lines[0], name, lines[1]);
  header_message = assert_refused_on_line (target, target_path, "misread-header.json", header->str, 1);
  gym_clear (&g);
}

static void
test_not_an_export (void)
{
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (TopoutImportReport) problems = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL, empty = NULL;
  g_autofree char *path = write_temp ("catalog.json", "{\"climbs\": []}\n");
  g_autofree char *empty_path = write_temp ("empty.json", "");
  g_autofree char *db = NULL;

  store = topout_test_store_new (NOW, &db);
  file = g_file_new_for_path (path);
  g_assert_false (topout_file_is_session_export (file));
  g_assert_null (topout_store_import_sessions (store, file, NULL, NULL, NULL, &problems, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_assert_cmpuint (problems->problems->len, ==, 1);
  g_clear_error (&error);
  g_clear_pointer (&problems, topout_import_report_free);

  empty = g_file_new_for_path (empty_path);
  g_assert_null (topout_store_import_sessions (store, empty, NULL, NULL, NULL, &problems, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
}

/* An export cancelled halfway leaves the file that was there before. */
static void
cancel_at_half (double   fraction,
                gpointer user_data)
{
  if (fraction >= 0.5)
    g_cancellable_cancel (user_data);
}

static void
test_interrupted_export_keeps_old_file (void)
{
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *db = NULL, *contents = NULL;
  g_autofree char *path = write_temp ("old-export.csv", "the old export\n");

  store = topout_test_store_new (NOW, &db);
  g_assert_true (topout_store_generate (store, 2000, 3, 1, &error));
  file = g_file_new_for_path (path);
  g_assert_false (topout_store_export_to_file (store, TOPOUT_EXPORT_CSV, NULL, file, cancel_at_half, cancellable,
                                               cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the old export\n");

  /* A new name: nothing at it afterwards, nor a part file beside it (GIO's
   * replacement wrote a new file in place, and a killed export left a file
   * that read as a shorter, complete one). */
  {
    g_autofree char *fresh = topout_test_path ("fresh-export.csv");
    g_autoptr (GFile) fresh_file = g_file_new_for_path (fresh);
    g_autoptr (GCancellable) again = g_cancellable_new ();
    g_autoptr (GDir) dir = NULL;
    const char *name;

    g_clear_error (&error);
    g_assert_false (topout_store_export_to_file (store, TOPOUT_EXPORT_CSV, NULL, fresh_file, cancel_at_half, again,
                                                 again, NULL, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
    dir = g_dir_open (topout_test_tmpdir (), 0, NULL);
    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_suffix (name, ".part"));
  }
}

/* Whatever is at the output name is written as a person means it: through
 * a symbolic link (the link stays, its file gets the export), into a pipe
 * (a reader gets it all, no file beside it), and a file's mode is kept
 * (an export holds names and member codes). */
static gpointer
read_fifo (gpointer data)
{
  char *contents = NULL;

  g_file_get_contents (data, &contents, NULL, NULL);
  return contents;
}

static void
test_export_targets (void)
{
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *real = write_temp ("real-export.csv", "old\n");
  g_autofree char *link = topout_test_path ("link-export.csv");
  g_autofree char *dangling = topout_test_path ("dangling-export.csv");
  g_autofree char *later = topout_test_path ("later-export.csv");
  g_autofree char *fifo = topout_test_path ("export.fifo");
  g_autofree char *contents = NULL;
  GStatBuf st;
  guint n = 0;

  store = topout_test_store_new (NOW, &db);
  g_assert_true (topout_store_generate (store, 20, 3, 1, &error));
  g_assert_no_error (error);

  /* A private file through a link: the link stays a link, the file gets
   * the export and stays 0600. */
  g_assert_cmpint (g_chmod (real, 0600), ==, 0);
  g_assert_cmpint (symlink (real, link), ==, 0);
  {
    g_autoptr (GFile) file = g_file_new_for_path (link);

    g_assert_true (topout_store_export_to_file (store, TOPOUT_EXPORT_CSV, NULL, file, NULL, NULL, NULL,
                                                &n, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (n, ==, 20);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_stat (real, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (real, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "sessionClientId,"));
  g_clear_pointer (&contents, g_free);

  /* A link to a name not there yet: the file is made where it points. */
  g_assert_cmpint (symlink (later, dangling), ==, 0);
  {
    g_autoptr (GFile) file = g_file_new_for_path (dangling);

    g_assert_true (topout_store_export_to_file (store, TOPOUT_EXPORT_CSV, NULL, file, NULL, NULL, NULL,
                                                NULL, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (g_lstat (dangling, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_true (g_file_test (later, G_FILE_TEST_IS_REGULAR));

  /* A pipe: read to its end by another thread, still a pipe after. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  {
    g_autoptr (GFile) file = g_file_new_for_path (fifo);
    GThread *reader = g_thread_new ("fifo-reader", read_fifo, fifo);

    g_assert_true (topout_store_export_to_file (store, TOPOUT_EXPORT_JSON, NULL, file, NULL, NULL, NULL,
                                                &n, NULL, &error));
    g_assert_no_error (error);
    contents = g_thread_join (reader);
  }
  g_assert_nonnull (contents);
  g_assert_cmpuint (n, ==, 20);
  /* A header line and one line per session. */
  {
    guint lines = 0;

    for (const char *p = contents; *p != '\0'; p++)
      lines += *p == '\n';
    g_assert_cmpuint (lines, ==, 21);
  }
  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
}

/* Rule 11 in a file: demo data exported says so, and is never imported
 * among real records; into another demo database it comes, still demo. */
static void
test_demo_stays_demo (void)
{
  g_autoptr (TopoutStore) demo = NULL;
  g_autoptr (TopoutStore) real = NULL;
  g_autoptr (TopoutStore) other_demo = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *demo_db = NULL, *real_db = NULL, *other_db = NULL;
  g_autofree char *out = topout_test_path ("demo-export.jsonl");
  g_autofree char *first_line = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (out);
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) problems = NULL;
  guint n = 0;

  demo = topout_test_store_new (NOW, &demo_db);
  g_assert_true (topout_store_fill_demo (demo, &error));
  g_assert_no_error (error);
  g_assert_true (topout_store_export_to_file (demo, TOPOUT_EXPORT_JSON, NULL, file, NULL, NULL, NULL,
                                              &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, >, 0);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
    first_line = g_strndup (contents, strcspn (contents, "\n"));
    g_assert_nonnull (strstr (first_line, "\"demo\":true"));
  }

  /* A real database: refused at line 1, nothing written. */
  real = topout_test_store_new (NOW, &real_db);
  before = topout_test_dump_db (real_db);
  g_assert_null (topout_store_import_sessions (real, file, NULL, NULL, NULL, &problems, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_clear_error (&error);
  g_assert_cmpuint (problems->problems->len, ==, 1);
  g_assert_cmpuint (((TopoutImportProblem *) g_ptr_array_index (problems->problems, 0))->line, ==, 1);
  g_assert_nonnull (strstr (((TopoutImportProblem *) g_ptr_array_index (problems->problems, 0))->message,
                            "demo data"));
  after = topout_test_dump_db (real_db);
  g_assert_cmpstr (after, ==, before);

  /* Another demo database: imported, all of it demo, nothing due. */
  other_demo = topout_test_store_new (NOW, &other_db);
  g_assert_true (topout_store_fill_demo (other_demo, &error));
  g_assert_no_error (error);
  {
    sqlite3 *db = NULL;
    gint64 had;

    /* Emptied by another connection: a demo database with nobody in it. */
    g_assert_cmpint (sqlite3_open (other_db, &db), ==, SQLITE_OK);
    sqlite3_busy_timeout (db, 5000);
    g_assert_cmpint (sqlite3_exec (db, "DELETE FROM completions; DELETE FROM scorecards; DELETE FROM sessions;"
                                       " DELETE FROM climbers;", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    had = topout_test_query_int (other_db, "SELECT count (*) FROM sessions");

    g_autoptr (TopoutImportReport) why = NULL;

    report = topout_store_import_sessions (other_demo, file, NULL, NULL, NULL, &why, &error);
    for (guint i = 0; why != NULL && i < why->problems->len; i++)
      g_test_message ("line %u: %s", ((TopoutImportProblem *) g_ptr_array_index (why->problems, i))->line,
                      ((TopoutImportProblem *) g_ptr_array_index (why->problems, i))->message);
    g_assert_no_error (error);
    g_assert_nonnull (report);
    g_assert_cmpint (topout_test_query_int (other_db, "SELECT count (*) FROM sessions"), ==, had + n);
  }
  g_assert_cmpint (topout_test_query_int (other_db, "SELECT count (*) FROM sessions WHERE is_demo = 0"), ==, 0);
}

/* `topout --export` stopped by SIGTERM (a cron job's timeout) or SIGINT
 * (Ctrl+C): no part file left beside the output (one of 120 MB was left at
 * each killed run), the file there before untouched, exit 1. */
static void
test_cli_export_stopped (void)
{
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *out = write_temp ("stopped-export.csv", "the old export\n");
  const int signals[] = { SIGTERM, SIGINT };

  store = topout_test_store_new (NOW, &db);
  g_assert_true (topout_store_generate (store, 8000, 5, 3, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autoptr (GSubprocess) child = NULL;
      g_autofree char *err = NULL;
      g_autofree char *contents = NULL;
      g_autoptr (GDir) dir = NULL;
      const char *name;
      gboolean part_seen = FALSE;

      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
      g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
      child = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TOPOUT_APP"), "--db", db,
                                           "--export", "csv", "--output", out, NULL);
      g_assert_no_error (error);
      /* Until its part file is there: it is writing. */
      for (guint tries = 0; tries < 20000 && !part_seen; tries++)
        {
          g_autoptr (GDir) d = g_dir_open (topout_test_tmpdir (), 0, NULL);

          while (d != NULL && (name = g_dir_read_name (d)) != NULL)
            part_seen |= g_str_has_prefix (name, "stopped-export.csv.") && g_str_has_suffix (name, ".part");
          if (!part_seen)
            g_usleep (200);
        }
      g_assert_true (part_seen);
      g_subprocess_send_signal (child, signals[i]);
      g_subprocess_communicate_utf8 (child, NULL, NULL, NULL, &err, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (child));
      g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 1);
      g_assert_nonnull (strstr (err, "stopped"));
      g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "the old export\n");
      dir = g_dir_open (topout_test_tmpdir (), 0, NULL);
      while ((name = g_dir_read_name (dir)) != NULL)
        g_assert_false (g_str_has_suffix (name, ".part"));
    }
}

/* Sessions an import has written and not finished (its journal names
 * them: another process importing, or one left half done that the opening
 * could not take out, on a full disk) are not exported: an import is all
 * or nothing for an export too. */
static void
test_export_skips_unfinished_import (void)
{
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *out = topout_test_path ("unfinished.csv");
  g_autoptr (GFile) file = g_file_new_for_path (out);
  guint n = 0;
  sqlite3 *other = NULL;

  store = topout_test_store_new (NOW, &db);
  g_assert_true (topout_store_generate (store, 10, 2, 4, &error));
  g_assert_no_error (error);

  /* Another connection: three of them written by an import under way. */
  g_assert_cmpint (sqlite3_open (db, &other), ==, SQLITE_OK);
  sqlite3_busy_timeout (other, 5000);
  g_assert_cmpint (sqlite3_exec (other, "INSERT INTO import_journal (kind, id)"
                                        " SELECT 'session', id FROM sessions ORDER BY id LIMIT 3",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (topout_store_export_to_file (store, TOPOUT_EXPORT_CSV, NULL, file, NULL, NULL, NULL,
                                              &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 7);

  /* Once the import is whole (its journal emptied), all ten. */
  g_assert_cmpint (sqlite3_exec (other, "DELETE FROM import_journal", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  g_assert_true (topout_store_export_to_file (store, TOPOUT_EXPORT_CSV, NULL, file, NULL, NULL, NULL,
                                              &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 10);
}

/* A session an import under way has written (its journal names it: here
 * from another connection, as another process importing does) is found by
 * id no more than in the lists: not by the editor, the panel or undo
 * (topout_store_get_session), nor changed by id; the others are; once the
 * import is whole, it is there. */
static void
test_get_session_hides_unfinished_import (void)
{
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (TopoutSession) hidden = NULL;
  g_autoptr (TopoutSession) other = NULL;
  g_autoptr (TopoutSession) whole = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *importing = NULL;
  g_autofree char *kept = NULL;
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;

  store = topout_test_store_new (NOW, &db);
  g_assert_true (topout_store_generate (store, 4, 2, 4, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (db, &conn), ==, SQLITE_OK);
  sqlite3_busy_timeout (conn, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, "SELECT id FROM sessions ORDER BY id LIMIT 2", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  importing = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  kept = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (conn, "INSERT INTO import_journal (kind, id)"
                                       " SELECT 'session', id FROM sessions ORDER BY id LIMIT 1",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  hidden = topout_store_get_session (store, importing, &error);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_NOT_FOUND);
  g_assert_null (hidden);
  g_clear_error (&error);
  g_assert_false (topout_store_cancel_session (store, importing, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (topout_test_query_int (db, "SELECT count (*) FROM sessions WHERE status = 'CANCELLED'"), ==, 0);
  other = topout_store_get_session (store, kept, &error);
  g_assert_no_error (error);
  g_assert_nonnull (other);

  /* The import is whole: its last commit empties the journal. */
  g_assert_cmpint (sqlite3_exec (conn, "DELETE FROM import_journal", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (conn);
  whole = topout_store_get_session (store, importing, &error);
  g_assert_no_error (error);
  g_assert_nonnull (whole);
  g_assert_cmpstr (topout_session_get_id (whole), ==, importing);
}

/* History while an import commits in chunks: the sessions of the chunks
 * already committed stay out of the list until the import is whole, so a
 * refused import shows nothing that then vanishes. */
typedef struct {
  TopoutStore *app;
  GListModel  *history;
  const char  *app_path;
  guint        chunks_seen;   /* calls with committed rows of the import */
  guint        most_shown;
} WatchImport;

static void
watch_import_progress (double   fraction,
                       gpointer user_data)
{
  WatchImport *w = user_data;

  if (topout_test_query_int (w->app_path, "SELECT count (*) FROM import_journal") > 0)
    w->chunks_seen++;
  topout_store_check_external_changes (w->app);
  w->most_shown = MAX (w->most_shown, g_list_model_get_n_items (w->history));
}

static void
test_history_hides_unfinished_import (void)
{
  g_autoptr (TopoutStore) big = NULL, app = NULL, worker = NULL;
  g_autoptr (TopoutHistoryModel) history = NULL;
  g_autoptr (TopoutImportReport) problems = NULL, report = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) bad_file = NULL, good_file = NULL;
  g_autofree char *big_path = NULL, *app_path = NULL, *json = NULL, *bad = NULL;
  g_autofree char *bad_path = NULL, *good_path = NULL;
  WatchImport w = { 0 };

  big = topout_test_store_new (NOW, &big_path);
  g_assert_true (topout_store_generate (big, 5000, 2, 7, &error));
  g_assert_no_error (error);
  json = export_to_string (big, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  good_path = write_temp ("history-good.json", json);
  /* The last line bad: every chunk before it is committed, then taken out. */
  bad = g_strconcat (json, "not a session\n", NULL);
  bad_path = write_temp ("history-bad.json", bad);
  bad_file = g_file_new_for_path (bad_path);
  good_file = g_file_new_for_path (good_path);

  app = topout_test_store_new (NOW, &app_path);
  history = topout_history_model_new (app);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  worker = topout_store_open_another (app, &error);
  g_assert_no_error (error);
  w.app = app;
  w.history = G_LIST_MODEL (history);
  w.app_path = app_path;

  g_assert_null (topout_store_import_sessions (worker, bad_file, watch_import_progress, &w, NULL,
                                               &problems, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_clear_error (&error);
  g_test_message ("progress calls with committed chunks: %u", w.chunks_seen);
  g_assert_cmpuint (w.chunks_seen, >, 0);
  g_assert_cmpuint (w.most_shown, ==, 0);
  topout_store_check_external_changes (app);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

  /* A good import: hidden while it runs, all there once it is whole. */
  w.chunks_seen = 0;
  report = topout_store_import_sessions (worker, good_file, watch_import_progress, &w, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_added, ==, 5000);
  g_assert_cmpuint (w.chunks_seen, >, 0);
  g_assert_cmpuint (w.most_shown, ==, 0);
  topout_store_check_external_changes (app);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 5000);
}

/* Sessions keep who recorded them across devices: A's sessions imported on
 * B and exported again from B still say A's device, and that file imported
 * back on A adds nothing and changes nothing. */
static void
test_reexport_keeps_device (void)
{
  Gym g = { 0 };
  g_autoptr (TopoutStore) b = NULL;
  g_autoptr (TopoutImportReport) on_b = NULL, back = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) a_file = NULL, b_file = NULL;
  g_autofree char *a_json = NULL, *b_json = NULL, *a_path = NULL, *b_path = NULL, *b_db = NULL;
  g_autofree char *a_device = NULL, *b_device = NULL, *before = NULL, *after = NULL;
  g_autoptr (TopoutSession) mine = NULL;
  g_auto (GStrv) lines = NULL;

  gym_init (&g);
  a_json = export_to_string (g.store, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  a_path = write_temp ("device-a.json", a_json);
  a_file = g_file_new_for_path (a_path);
  a_device = g_strdup_printf ("\"deviceId\":\"%s\"", topout_store_get_device_id (g.store));

  b = topout_test_store_new (NOW, &b_db);
  b_device = g_strdup_printf ("\"deviceId\":\"%s\"", topout_store_get_device_id (b));
  g_assert_cmpstr (a_device, !=, b_device);
  on_b = topout_store_import_sessions (b, a_file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (on_b->n_added, ==, 3);
  /* B's own session, made there. */
  mine = topout_test_start (b, g.ada, TOPOUT_SESSION_TYPE_FUN);
  end (b, mine);

  b_json = export_to_string (b, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  lines = g_strsplit (b_json, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);  /* header, 4 sessions, "" */
  g_assert_nonnull (strstr (lines[0], b_device));    /* the file is B's */
  for (guint i = 1; i < 5; i++)
    {
      gboolean is_mine = strstr (lines[i], topout_session_get_id (mine)) != NULL;

      g_assert_nonnull (strstr (lines[i], is_mine ? b_device : a_device));
    }

  /* A coach on B fixes a note of A's session: still not B's to sync (the
   * server would give its clientId to B's token, or refuse it as foreign),
   * and its re-export still says A. */
  {
    g_autoptr (TopoutSession) edited = topout_store_get_session (b, g.plain_session, &error);

    g_assert_no_error (error);
    topout_session_set_notes (edited, "fixed on B");
    g_assert_true (topout_store_update_session (b, edited, &error));
    g_assert_no_error (error);
    g_clear_object (&edited);
    edited = topout_store_get_session (b, g.plain_session, &error);
    g_assert_cmpint (topout_session_get_sync_state (edited), ==, TOPOUT_SYNC_STATE_LOCAL);
    g_assert_cmpuint (topout_store_count_due_sessions (b, topout_store_now (b)), ==, 1);  /* B's own */
  }
  /* Nor when B merges A's climber into another: still A's sessions. */
  {
    g_autoptr (TopoutClimber) twin = topout_test_add_climber (b, "Ada L.", NULL);

    g_assert_true (topout_store_merge_climbers (b, topout_climber_get_id (twin), g.bo, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (topout_store_count_due_sessions (b, topout_store_now (b)), ==, 1);
  }

  /* Back on A: the same sessions, nothing added, nothing changed. */
  b_path = write_temp ("device-b.json", b_json);
  b_file = g_file_new_for_path (b_path);
  before = content_of (g.path);
  back = topout_store_import_sessions (g.store, b_file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_added, ==, 1);      /* B's own session */
  g_assert_cmpuint (back->n_unchanged, ==, 3);
  after = content_of (g.path);
  g_assert_cmpuint (strlen (after), >, strlen (before));
  gym_clear (&g);
}

/* A field of a CSV export (RFC 4180) from *p on; *p moves past its comma
 * or its row's CRLF. */
static char *
csv_next_field (const char **p)
{
  GString *field = g_string_new (NULL);
  const char *q = *p;

  if (*q == '"')
    {
      for (q++; *q != '\0'; q++)
        {
          if (*q == '"' && q[1] == '"')
            g_string_append_c (field, *q++);
          else if (*q == '"')
            {
              q++;
              break;
            }
          else
            g_string_append_c (field, *q);
        }
    }
  else
    for (; *q != '\0' && *q != ',' && *q != '\r'; q++)
      g_string_append_c (field, *q);
  if (*q == ',')
    q++;
  else if (*q == '\r')
    q += 2;
  *p = q;
  return g_string_free (field, FALSE);
}

static void
end_noted (TopoutStore *store,
           const char  *session_id,
           const char  *note)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) s = topout_store_get_session (store, session_id, &error);

  g_assert_no_error (error);
  topout_session_set_notes (s, note);
  g_assert_true (topout_store_update_session (store, s, &error));
  g_assert_no_error (error);
  end (store, s);
}

/* Whatever a coach may have typed, and sessions of every kind, come back
 * from a JSON export as they were, and read back from the CSV cell for
 * cell: notes with line breaks, commas, quotes, tabs, emoji, right-to-left
 * text, notes at the length limit; a competition, a cancelled session, a
 * retroactive one, one past midnight; a climber renamed and one merged
 * after their sessions were made. */
static void
test_round_trip_fidelity (void)
{
  const char *notes[] = {
    "line one\nline two\r\nline three",
    "commas, \"quotes\", and \"\"doubled\"\"",
    "\ttabbed\tcells\t",
    "\xF0\x9F\xA7\x97\xE2\x80\x8D\xE2\x99\x80\xEF\xB8\x8F crux \xF0\x9F\x94\xA5",  /* emoji, a ZWJ sequence */
    "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xD8\xB3\xD9\x84\xD8\xA7\xD9\x85 V5",       /* Hebrew, Arabic */
    NULL,                                                                       /* at the limit */
  };
  g_autoptr (TopoutStore) store = NULL, copy = NULL;
  g_autoptr (TopoutClimber) ada = NULL, bo = NULL, dup = NULL;
  g_autoptr (TopoutClimb) c1 = NULL;
  g_autoptr (TopoutSession) comp = NULL, cancelled = NULL, late = NULL, twin = NULL, past = NULL;
  g_autoptr (TopoutSession) draft = topout_session_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GHashTable) csv_notes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *path = NULL, *copy_path = NULL, *json = NULL, *json_path = NULL, *csv = NULL;
  g_autofree char *before = NULL, *after = NULL, *long_note = NULL;
  GString *text = g_string_new (NULL);
  const char *p;

  for (guint i = 0; i < TOPOUT_LIMIT_NOTES_MAX; i++)
    g_string_append (text, i % 2 ? "\xF0\x9F\xA7\x97" : "\xD7\xA9");  /* 4 and 2 bytes */
  long_note = g_string_free (text, FALSE);
  notes[G_N_ELEMENTS (notes) - 1] = long_note;

  store = topout_test_store_new ("2026-11-10T17:00:00Z", &path);
  ada = topout_test_add_climber (store, "Ada Lovelace", "M-0001");
  bo = topout_test_add_climber (store, "Bo", "M-0002");
  dup = topout_test_add_climber (store, "Bo (twice)", NULL);
  c1 = topout_test_add_climb (store, "c-1", "Roof Monster", "V5");

  /* A session per note, and a route with the same note. */
  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    {
      g_autoptr (TopoutSession) s = topout_test_start (store, topout_climber_get_id (ada), TOPOUT_SESSION_TYPE_POWER);

      log_route (store, topout_climber_get_id (ada), "c-1", 2, TRUE, notes[i]);
      end_noted (store, topout_session_get_id (s), notes[i]);
      topout_test_advance (G_TIME_SPAN_DAY);  /* three sessions a day at most */
    }

  comp = topout_test_start_competition (store, topout_climber_get_id (bo), "LEAGUE", "2026-r3");
  log_route (store, topout_climber_get_id (bo), "c-1", 1, TRUE, NULL);
  end (store, comp);
  cancelled = topout_test_start (store, topout_climber_get_id (bo), TOPOUT_SESSION_TYPE_FUN);
  log_route (store, topout_climber_get_id (bo), "c-1", 3, FALSE, NULL);
  g_assert_true (topout_store_cancel_session (store, topout_session_get_id (cancelled), &error));
  g_assert_no_error (error);

  topout_session_set_climber_id (draft, topout_climber_get_id (bo));
  topout_session_set_session_type (draft, TOPOUT_SESSION_TYPE_ENDURANCE);
  topout_session_set_session_date (draft, "2026-11-02");
  topout_session_set_time_slot (draft, TOPOUT_TIME_SLOT_MORNING);
  past = topout_store_create_past_session (store, draft, &error);
  g_assert_no_error (error);

  /* Past midnight in a gym open until 02:00: started on the 17th, ended on
   * the 18th, the 17th's session. */
  topout_store_set_closing_time (store, "02:00");
  topout_test_set_now ("2026-11-17T23:30:00Z");
  late = topout_test_start (store, topout_climber_get_id (ada), TOPOUT_SESSION_TYPE_FUN);
  topout_test_set_now ("2026-11-18T00:10:00Z");
  log_route (store, topout_climber_get_id (ada), "c-1", 1, TRUE, NULL);
  end (store, late);

  twin = topout_test_start (store, topout_climber_get_id (dup), TOPOUT_SESSION_TYPE_FUN);
  log_route (store, topout_climber_get_id (dup), "c-1", 1, TRUE, NULL);
  end (store, twin);

  /* Afterwards: Ada renamed, the twin merged into Bo. */
  topout_climber_set_display_name (ada, "Ada King");
  g_assert_true (topout_store_update_climber (store, ada, &error));
  g_assert_no_error (error);
  g_assert_true (topout_store_merge_climbers (store, topout_climber_get_id (bo), topout_climber_get_id (dup), &error));
  g_assert_no_error (error);
  topout_test_set_now (NOW);

  json = export_to_string (store, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  g_assert_nonnull (strstr (json, "\"displayName\":\"Ada King\""));
  g_assert_null (strstr (json, "Bo (twice)"));
  json_path = write_temp ("fidelity.json", json);
  file = g_file_new_for_path (json_path);
  copy = topout_test_store_new (NOW, &copy_path);
  report = topout_store_import_sessions (copy, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_added, ==, G_N_ELEMENTS (notes) + 5);
  before = content_of (path);
  after = content_of (copy_path);
  g_assert_cmpstr (after, ==, before);

  /* The CSV: every note cell as typed, and the renamed climber's new name. */
  csv = export_to_string (store, TOPOUT_EXPORT_CSV, NULL, NULL, NULL);
  p = strstr (csv, "\r\n") + 2;  /* past the column names */
  while (*p != '\0')
    for (guint col = 0; col < 30; col++)
      {
        char *cell = csv_next_field (&p);

        if (col == 3)
          g_assert_true (g_str_equal (cell, "Ada King") || g_str_equal (cell, "Bo"));
        if ((col == 17 || col == 25) && *cell != '\0')
          g_hash_table_add (csv_notes, cell);
        else
          g_free (cell);
      }
  g_assert_cmpuint (g_hash_table_size (csv_notes), ==, G_N_ELEMENTS (notes));
  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    {
      /* A note a spreadsheet would run (a Tab first) behind an apostrophe. */
      g_autofree char *cell = notes[i][0] == '\t' ? g_strconcat ("'", notes[i], NULL) : g_strdup (notes[i]);

      g_assert_true (g_hash_table_contains (csv_notes, cell));
    }
}

/* A header of a newer format version asks for a newer Topout; one no
 * Topout writes (0, text, a fraction) says so, and not "update". */
static void
test_format_version (void)
{
  static const char *const invalid[] = { "0", "-1", "\"1\"", "1.5", "null", "[1]" };
  g_autoptr (TopoutStore) target = NULL;
  g_autofree char *target_path = NULL, *newer = NULL;

  target = topout_test_store_new (NOW, &target_path);
  newer = assert_refused_on_line (target, target_path, "v2.json", "{\"topoutExport\":2,\"sessions\":0}\n", 1);
  g_assert_cmpstr (newer, ==, "This export was made by a newer version of Topout; update Topout to read it.");
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"topoutExport\":%s,\"sessions\":0}\n", invalid[i]);
      g_autofree char *message = assert_refused_on_line (target, target_path, "v-bad.json", text, 1);

      g_test_message ("topoutExport %s: %s", invalid[i], message);
      g_assert_cmpstr (message, ==, "The export header’s format version (“topoutExport”) is not one any Topout writes.");
    }
}

/* An export cut short at the end of a line is refused, not imported as a
 * smaller export: its header says how many sessions it holds. */
static void
test_truncated_export_refused (void)
{
  g_autoptr (TopoutStore) big = NULL, target = NULL;
  g_autoptr (TopoutImportReport) problems = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *big_path = NULL, *target_path = NULL, *json = NULL, *path = NULL;
  char *cut;
  TopoutImportProblem *p;

  big = topout_test_store_new (NOW, &big_path);
  g_assert_true (topout_store_generate (big, 50, 2, 3, &error));
  json = export_to_string (big, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  /* After the header and 20 session lines. */
  cut = json;
  for (guint i = 0; i < 21; i++)
    cut = strchr (cut, '\n') + 1;
  *cut = '\0';
  path = write_temp ("cut-short.json", json);
  file = g_file_new_for_path (path);
  target = topout_test_store_new (NOW, &target_path);
  g_assert_null (topout_store_import_sessions (target, file, NULL, NULL, NULL, &problems, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_assert_cmpuint (problems->problems->len, ==, 1);
  p = g_ptr_array_index (problems->problems, 0);
  g_assert_nonnull (strstr (p->message, "announces 50 sessions and it holds 20"));
  g_assert_cmpint (topout_test_query_int (target_path, "SELECT count (*) FROM sessions"), ==, 0);
}

/* More session lines than the header announces (lines added, or two
 * exports joined without the second's header) is refused too, whole. */
static void
test_longer_export_refused (void)
{
  g_autoptr (TopoutStore) a = NULL, b = NULL, target = NULL;
  g_autoptr (TopoutImportReport) problems = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *a_path = NULL, *b_path = NULL, *target_path = NULL, *path = NULL;
  g_autofree char *json_a = NULL, *json_b = NULL, *joined = NULL;
  TopoutImportProblem *p;

  a = topout_test_store_new (NOW, &a_path);
  g_assert_true (topout_store_generate (a, 10, 2, 3, &error));
  b = topout_test_store_new (NOW, &b_path);
  g_assert_true (topout_store_generate (b, 10, 2, 4, &error));
  json_a = export_to_string (a, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  json_b = export_to_string (b, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  /* A's file, then B's first two session lines (no header). */
  {
    char *cut = strchr (json_b, '\n') + 1;

    cut = strchr (strchr (cut, '\n') + 1, '\n') + 1;
    *cut = '\0';
    joined = g_strconcat (json_a, strchr (json_b, '\n') + 1, NULL);
  }
  path = write_temp ("joined.json", joined);
  file = g_file_new_for_path (path);
  target = topout_test_store_new (NOW, &target_path);
  g_assert_null (topout_store_import_sessions (target, file, NULL, NULL, NULL, &problems, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_assert_cmpuint (problems->problems->len, >=, 1);
  p = g_ptr_array_index (problems->problems, problems->problems->len - 1);
  g_assert_cmpuint (p->line, ==, 1);
  g_assert_nonnull (strstr (p->message, "announces 10 sessions and the file holds 12"));
  g_assert_cmpint (topout_test_query_int (target_path, "SELECT count (*) FROM sessions"), ==, 0);
}

/* The real binary, with no display at all: its exit status (-1 when it
 * did not exit). */
static int
run_topout_status (const char * const *args,
                   char              **out,
                   char              **err)
{
  const char *exe = g_getenv ("TOPOUT_APP");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) env = g_get_environ ();
  g_autoptr (GError) error = NULL;
  int status = -1;

  g_assert_nonnull (exe);
  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  env = g_environ_setenv (env, "TOPOUT_NON_UNIQUE", "1", TRUE);
  g_ptr_array_add (argv, (char *) exe);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  if (g_spawn_check_wait_status (status, &error))
    return 0;
  return g_error_matches (error, G_SPAWN_EXIT_ERROR, error->code) ? error->code : -1;
}

/* The same: whether it exited 0. */
static gboolean
run_topout (const char * const *args,
            char              **out,
            char              **err)
{
  return run_topout_status (args, out, err) == 0;
}

/* One text from @sql's rows (columns joined by "|", rows by "\n"), read
 * through a new read-only connection. */
static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *v = (const char *) sqlite3_column_text (stmt, i);
          g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", v ? v : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

/* Climbers of the file whose member codes other climbers here hold (also
 * in another case: codes are compared without case) are those climbers:
 * two desks that each registered the same members. The import goes
 * through, every session under the climber here with its code (the
 * climbers here as they were, no second person), and the report counts
 * the climbers matched. Twice: nothing more. */
static void
test_member_codes_match_climbers (void)
{
  g_autoptr (TopoutStore) from = NULL;
  g_autoptr (TopoutStore) into = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutImportReport) report = NULL, again = NULL;
  g_autofree char *from_db = NULL, *into_db = NULL;
  g_autofree char *out = topout_test_path ("clash-export.jsonl");
  g_autoptr (GFile) file = g_file_new_for_path (out);
  g_autofree char *climbers_before = NULL, *climbers_after = NULL, *before = NULL, *after = NULL;
  g_autofree char *expected = NULL, *got = NULL;
  gint64 people;
  sqlite3 *db = NULL;
  const char *by_code =
    "SELECT s.id, lower (c.member_code) FROM sessions s JOIN climbers c ON c.id = s.climber_id"
    " ORDER BY s.id";

  from = topout_test_store_new (NOW, &from_db);
  g_assert_true (topout_store_generate (from, 20, 2, 1, &error));
  g_assert_no_error (error);
  g_assert_true (topout_store_export_to_file (from, TOPOUT_EXPORT_JSON, NULL, file, NULL, NULL, NULL,
                                              NULL, NULL, &error));
  g_assert_no_error (error);
  people = topout_test_query_int (from_db, "SELECT count (DISTINCT climber_id) FROM sessions");
  g_assert_cmpint (people, >, 1);

  /* The same codes, other ids and names, written in small letters. */
  into = topout_test_store_new (NOW, &into_db);
  g_assert_true (topout_store_generate (into, 20, 2, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (into_db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE climbers SET member_code = lower (member_code),"
                                     " display_name = 'Here ' || display_name", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (topout_test_query_int (into_db, "SELECT count (*) FROM climbers c"
                                                   " WHERE c.id IN (SELECT climber_id FROM sessions)"), >, 0);
  climbers_before = query_text (into_db, "SELECT * FROM climbers ORDER BY id");

  report = topout_store_import_sessions (into, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->n_added, ==, 20);
  g_assert_cmpuint (report->n_matched, ==, people);
  /* No climber added or changed: names stay as they are here. */
  climbers_after = query_text (into_db, "SELECT * FROM climbers ORDER BY id");
  g_assert_cmpstr (climbers_after, ==, climbers_before);
  /* Each session under the climber here with its member code. */
  expected = query_text (from_db, by_code);
  got = query_text (into_db,
                    "SELECT s.id, lower (c.member_code) FROM sessions s JOIN climbers c ON c.id = s.climber_id"
                    " WHERE s.device_id IS NOT NULL ORDER BY s.id");
  g_assert_cmpstr (got, ==, expected);
  topout_test_assert_scorecards_agree (into_db);

  /* Again: nothing added, nothing changed. */
  before = topout_test_dump_db (into_db);
  again = topout_store_import_sessions (into, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->n_added, ==, 0);
  g_assert_cmpuint (again->n_unchanged, ==, 20);
  after = topout_test_dump_db (into_db);
  g_assert_cmpstr (after, ==, before);
}

/* Member 0002 registered on two devices: the coach's export of the first
 * imported on the second. Bo's sessions land on the Bo here (by member
 * code), with his name here, in History's climber filter, and his
 * competition routes in the ranking under him; Ada, new here, comes with
 * her own id. `topout --import` says how many were matched. */
static void
test_member_code_session_owner (void)
{
  g_autoptr (TopoutStore) desk = NULL;
  g_autoptr (TopoutClimber) bo_here = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutHistoryModel) history = NULL;
  g_autoptr (GPtrArray) ranking = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *desk_db = NULL, *json = NULL, *path = NULL, *sql = NULL;
  g_autofree char *out = NULL, *err = NULL, *before = NULL, *after = NULL;
  TopoutScorecardRank *rank;
  Gym g;

  gym_init (&g);
  json = export_to_string (g.store, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  path = write_temp ("member-code-owner.json", json);
  file = g_file_new_for_path (path);

  desk = topout_test_store_new (NOW, &desk_db);
  bo_here = topout_test_add_climber (desk, "Bo Karlsson", "m-0002");
  g_assert_cmpstr (topout_climber_get_id (bo_here), !=, g.bo);

  report = topout_store_import_sessions (desk, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_added, ==, 3);
  g_assert_cmpuint (report->n_matched, ==, 1);

  /* Bo's two sessions under the Bo here; the file's id for him nowhere. */
  sql = g_strdup_printf ("SELECT count (*) FROM sessions WHERE climber_id = '%s'", topout_climber_get_id (bo_here));
  g_assert_cmpint (topout_test_query_int (desk_db, sql), ==, 2);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT (SELECT count (*) FROM climbers WHERE id = '%s')"
                         " + (SELECT count (*) FROM sessions WHERE climber_id = '%s')"
                         " + (SELECT count (*) FROM scorecards WHERE climber_id = '%s')", g.bo, g.bo, g.bo);
  g_assert_cmpint (topout_test_query_int (desk_db, sql), ==, 0);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count (*) FROM scorecards WHERE climber_id = '%s'", topout_climber_get_id (bo_here));
  g_assert_cmpint (topout_test_query_int (desk_db, sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count (*) FROM climbers WHERE id = '%s' AND display_name = 'Ada Lovelace'", g.ada);
  g_assert_cmpint (topout_test_query_int (desk_db, sql), ==, 1);
  g_assert_cmpint (topout_test_query_int (desk_db, "SELECT count (*) FROM climbers"), ==, 2);
  topout_test_assert_scorecards_agree (desk_db);

  /* His name here, in History's filter and in the ranking. */
  {
    g_autoptr (TopoutClimber) reread = topout_store_get_climber (desk, topout_climber_get_id (bo_here), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (topout_climber_get_display_name (reread), ==, "Bo Karlsson");
    g_assert_cmpstr (topout_climber_get_member_code (reread), ==, "m-0002");
  }
  history = topout_history_model_new (desk);
  topout_history_model_set_climber_id (history, topout_climber_get_id (bo_here));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
  ranking = topout_store_rank_competition (desk, "LEAGUE", "2026-r3");
  g_assert_cmpuint (ranking->len, ==, 1);
  rank = g_ptr_array_index (ranking, 0);
  g_assert_cmpstr (rank->climber_name, ==, "Bo Karlsson");
  g_assert_cmpuint (rank->tops, ==, 1);

  /* The command line, into a copy made the same way: the summary says it. */
  g_clear_object (&desk);
  g_clear_pointer (&desk_db, g_free);
  desk = topout_test_store_new (NOW, &desk_db);
  g_clear_object (&bo_here);
  bo_here = topout_test_add_climber (desk, "Bo Karlsson", "M-0002");
  g_clear_object (&desk);
  {
    const char *args[] = { "--db", desk_db, "--import", path, NULL };

    g_assert_true (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (out, "Imported 3 new sessions; 0 were here already."));
    g_assert_nonnull (strstr (out, "1 climber of the file was matched by member code to a climber here"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  /* And again: nothing added. */
  before = topout_test_dump_db (desk_db);
  {
    const char *args[] = { "--db", desk_db, "--import", path, NULL };

    g_assert_true (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (out, "Imported 0 new sessions; 3 were here already."));
  }
  after = topout_test_dump_db (desk_db);
  g_assert_cmpstr (after, ==, before);
  gym_clear (&g);
}

/* A route without a grade (a file written by hand) takes its climb's
 * grade, also when the climb is one this same import brings: the import
 * finds its own climbs by id while the rest of the app does not yet. */
static void
test_import_route_without_grade (void)
{
  g_autoptr (TopoutStore) into = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *json = NULL, *edited = NULL, *path = NULL, *into_db = NULL;
  g_auto (GStrv) parts = NULL;
  Gym g;

  gym_init (&g);
  json = export_to_string (g.store, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  /* In the routes only: the header's climbs have "gradeSystem" next. */
  parts = g_strsplit (json, "\"grade\":\"V5\",\"isSuccess\"", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 4);
  edited = g_strjoinv ("\"isSuccess\"", parts);
  path = write_temp ("route-without-grade.json", edited);
  file = g_file_new_for_path (path);

  into = topout_test_store_new (NOW, &into_db);
  report = topout_store_import_sessions (into, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_added, ==, 3);
  g_assert_cmpint (topout_test_query_int (into_db, "SELECT count (*) FROM completions WHERE climb_id = 'c-1'"), ==, 3);
  g_assert_cmpint (topout_test_query_int (into_db, "SELECT count (*) FROM completions"
                                                   " WHERE climb_id = 'c-1' AND grade = 'V5'"), ==, 3);
  gym_clear (&g);
}

/* @n_chars copies of @c. */
static char *
repeat_char (const char *c,
             guint       n_chars)
{
  GString *out = g_string_sized_new (strlen (c) * n_chars);

  for (guint i = 0; i < n_chars; i++)
    g_string_append (out, c);
  return g_string_free (out, FALSE);
}

/* The longest line of the file at @path, in bytes. */
static gsize
longest_line (const char *path)
{
  g_autofree char *text = NULL;
  gsize len = 0, longest = 0;
  const char *p;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  for (p = text; p < text + len;)
    {
      const char *nl = memchr (p, '\n', text + len - p);
      gsize n = nl ? (gsize) (nl - p) : (gsize) (text + len - p);

      longest = MAX (longest, n);
      p += n + 1;
    }
  return longest;
}

/* One session at the model's limits: TOPOUT_LIMIT_ROUTES_PER_SESSION routes,
 * each with TOPOUT_LIMIT_NOTES_MAX characters of notes, the session's own
 * notes and name at their limits, a competition pair, a climb id and grade
 * at the key limit, every character @c. Exported, it is one line of the file; imported into
 * an empty database, it is all there, as it was. */
static char *
assert_biggest_session_round_trip (const char *c,
                                   gsize       at_least_bytes)
{
  char *text = NULL;
  g_autoptr (TopoutStore) from = NULL, into = NULL;
  g_autoptr (TopoutClimber) climber = NULL;
  g_autoptr (TopoutClimb) climb = NULL;
  g_autoptr (TopoutSession) session = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *from_db = NULL, *into_db = NULL, *out = topout_test_path ("biggest-session.json");
  g_autofree char *notes = repeat_char (c, TOPOUT_LIMIT_NOTES_MAX);
  g_autofree char *key = repeat_char (c, TOPOUT_LIMIT_KEY_MAX);
  g_autofree char *name = repeat_char (c, TOPOUT_LIMIT_NAME_MAX);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (out);
  gsize longest;

  from = topout_test_store_new (NOW, &from_db);
  climber = topout_test_add_climber (from, "Ada Lovelace", "M-0001");
  climb = topout_test_add_climb (from, key, "Roof", "V4");
  /* The longest grade the contract carries: a catalog of before grades
   * were checked against their grade system kept any text. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open (from_db, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE climbs SET grade = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  session = topout_test_start_competition (from, topout_climber_get_id (climber), key, key);
  for (guint i = 0; i < TOPOUT_LIMIT_ROUTES_PER_SESSION; i++)
    {
      g_autoptr (TopoutCompletion) done = topout_store_log_completion (from, topout_climber_get_id (climber), key,
                                                                       TOPOUT_LIMIT_ATTEMPTS_MAX, FALSE, notes,
                                                                       NULL, &error);
      g_assert_no_error (error);
    }
  g_clear_object (&session);
  session = topout_store_get_active_session (from, topout_climber_get_id (climber));
  topout_session_set_notes (session, notes);
  topout_session_set_name (session, name);
  g_assert_true (topout_store_update_session (from, session, &error));
  g_assert_no_error (error);
  end (from, session);

  g_assert_true (topout_store_export_to_file (from, TOPOUT_EXPORT_JSON, NULL, file, NULL, NULL, NULL,
                                              NULL, NULL, &error));
  g_assert_no_error (error);
  longest = longest_line (out);
  g_test_message ("the session's line: %" G_GSIZE_FORMAT " bytes", longest);
  g_assert_cmpuint (longest, >=, at_least_bytes);

  into = topout_test_store_new (NOW, &into_db);
  report = topout_store_import_sessions (into, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->n_added, ==, 1);
  before = content_of (from_db);
  after = content_of (into_db);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (topout_test_query_int (into_db, "SELECT n_routes FROM sessions"), ==, TOPOUT_LIMIT_ROUTES_PER_SESSION);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  return text;
}

/* @text imported into a new database: refused, with one problem on line 2,
 * which holds @expected. */
static void
assert_long_line_refused (const char *text,
                          const char *expected)
{
  g_autoptr (TopoutStore) into = NULL;
  g_autofree char *into_db = NULL;
  g_autofree char *message = NULL;

  into = topout_test_store_new (NOW, &into_db);
  message = assert_refused_on_line (into, into_db, "long-line-refused.json", text, 2);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, expected));
}

/* Every session the export writes is read back by the import: 4-byte
 * characters (an emoji for every character, about 8.6 MB on the line) and
 * control characters (escaped in six bytes each, over 12 MB): both beyond
 * the sync contract's body limit, the import's line limit until now. */
static void
test_biggest_session_line (void)
{
  g_autofree char *emoji = assert_biggest_session_round_trip ("\xF0\x9F\xA7\x97", TOPOUT_LIMIT_BODY_BYTES + 1024);
  g_autofree char *text = assert_biggest_session_round_trip ("\x01", TOPOUT_LIMIT_BODY_BYTES + 1024);
  g_autofree char *bad_route = NULL, *more_routes = NULL, *too_long = NULL, *filler = NULL;
  const char *last_route, *end;

  /* Read in parts, a long line is still checked whole: a bad last route
   * is named by its place in the line, */
  bad_route = g_strdup (text);
  last_route = g_strrstr (bad_route, "{\"clientId\"");
  g_assert_nonnull (last_route);
  memcpy (strstr (last_route, "\"attempts\":999"), "\"attempts\":  0", strlen ("\"attempts\":999"));
  assert_long_line_refused (bad_route, "routes[499].attempts");
  /* one route more than a session may have is refused, */
  end = g_strrstr (text, "]}\n");
  g_assert_nonnull (end);
  last_route = g_strrstr (text, "{\"clientId\"");
  more_routes = g_strdup_printf ("%.*s,%.*s%s", (int) (end - text), text, (int) (end - last_route), last_route, end);
  assert_long_line_refused (more_routes, "more routes than");
  /* and a line longer than any session is skipped, not read into memory. */
  filler = g_strnfill (3 * TOPOUT_LIMIT_BODY_BYTES, 'x');
  too_long = g_strconcat (text, "\"", filler, "\"\n", NULL);
  {
    g_auto (GStrv) lines = g_strsplit (too_long, "\n", -1);
    g_autofree char *joined = g_strconcat (lines[0], "\n", lines[2], "\n", NULL);

    assert_long_line_refused (joined, "too long");
  }
}

/* 6,000 generated sessions (seed 7) in a database of their own (its path
 * returned), exported to @json by the real topout. */
static char *
export_generated (const char *json)
{
  g_autofree char *src = NULL, *out = NULL, *err = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new (NOW, &src);
  g_autoptr (GError) error = NULL;
  const char *args[] = { "--db", NULL, "--export", "json", "--output", json, NULL };

  g_assert_true (topout_store_generate (store, 6000, 2, 7, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  args[1] = src;
  g_assert_true (run_topout (args, &out, &err));
  return g_steal_pointer (&src);
}

/* A launcher of the real topout with no display, its output dropped. */
static GSubprocessLauncher *
headless_launcher_new (void)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                             G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_auto (GStrv) env = g_environ_unsetenv (g_get_environ (), "DISPLAY");

  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  env = g_environ_setenv (env, "TOPOUT_NON_UNIQUE", "1", TRUE);
  g_subprocess_launcher_set_environ (launcher, env);
  return launcher;
}

/* An import killed half-way (SIGKILL, after some of its chunks were
 * committed) leaves a partial import in the file; the next opening takes
 * it out, whole, from the import journal, and the same import run again
 * then gives what an uninterrupted one gives. And a second import while one
 * runs is refused (the lock beside the database). */
static void
test_import_killed (void)
{
  g_autofree char *src = NULL;
  g_autofree char *dst = topout_test_path ("killed-import.db");
  g_autofree char *json = topout_test_path ("killed-import.json");
  g_autofree char *lock_path = g_strconcat (dst, ".import-lock", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (TopoutStore) reopened = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = headless_launcher_new ();
  gint64 partial = 0, deadline;
  int lock_fd;

  src = export_generated (json);
  store = topout_store_new (dst, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TOPOUT_APP"), "--db", dst, "--import", json, NULL);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (partial == 0 && g_get_monotonic_time () < deadline)
    {
      g_usleep (2000);
      partial = topout_test_query_int (dst, "SELECT count (*) FROM sessions");
    }
  g_subprocess_force_exit (proc);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (proc));  /* killed before it finished */
  partial = topout_test_query_int (dst, "SELECT count (*) FROM sessions");
  g_assert_cmpint (partial, >, 0);
  g_assert_cmpint (partial, <, 6000);
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM import_journal WHERE kind = 'session'"), ==, partial);

  /* Opening takes it out. */
  reopened = topout_store_new (dst, &error);
  g_assert_no_error (error);
  g_clear_object (&reopened);
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM sessions"), ==, 0);
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM completions"), ==, 0);
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM climbers"), ==, 0);
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM climbs"), ==, 0);
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM scorecards"), ==, 0);
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM import_journal"), ==, 0);
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), ==, 1);

  /* While another import holds the lock, an import is refused. */
  lock_fd = g_open (lock_path, O_RDWR | O_CLOEXEC, 0);
  g_assert_cmpint (lock_fd, >=, 0);
  g_assert_cmpint (flock (lock_fd, LOCK_EX | LOCK_NB), ==, 0);
  {
    const char *args[] = { "--db", dst, "--import", json, NULL };
    g_assert_false (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (err, "Another import into this database is under way"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  flock (lock_fd, LOCK_UN);
  close (lock_fd);

  /* Again, to the end: all of it, as from an uninterrupted import. */
  {
    const char *args[] = { "--db", dst, "--import", json, NULL };
    g_assert_true (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (out, "Imported 6000 new sessions; 0 were here already."));
  }
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM completions"), ==,
                   topout_test_query_int (src, "SELECT count (*) FROM completions"));
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM import_journal"), ==, 0);
}

/* The same, killed while it stores sessions under climbers here matched
 * by member code: the opening takes out its sessions and the climbers it
 * added, and leaves the climbers that were here (and their own sessions)
 * as they were; run again, it ends as an uninterrupted one. */
static void
test_import_killed_mapped (void)
{
  g_autofree char *src = NULL;
  g_autofree char *dst = NULL;
  g_autofree char *json = topout_test_path ("killed-mapped.json");
  g_autofree char *out = NULL, *err = NULL, *before = NULL, *after = NULL;
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (TopoutStore) reopened = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = headless_launcher_new ();
  const char *dump_sql = "SELECT 'climber', * FROM climbers UNION ALL"
                         " SELECT 'session', id, climber_id, revision, n_routes, 0, 0, 0 FROM sessions"
                         " UNION ALL SELECT 'card', *, 0, 0, 0 FROM (SELECT competition_type, competition_id,"
                         " climber_id, climb_id FROM scorecards) ORDER BY 1, 2, 3";
  gint64 partial = 0, here, deadline;

  /* 6000 sessions of 30 climbers, G-000001 to G-000030; here 20 of them
   * with their codes under other ids, with sessions of their own. */
  src = export_generated (json);
  store = topout_test_store_new (NOW, &dst);
  g_assert_true (topout_store_generate (store, 20, 2, 8, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  here = topout_test_query_int (dst, "SELECT count (*) FROM sessions");
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM climbers"), ==, 20);
  before = query_text (dst, dump_sql);

  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TOPOUT_APP"), "--db", dst, "--import", json, NULL);
  g_assert_no_error (error);
  /* Killed once some of what it wrote is under a climber that was here. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (partial == 0 && g_get_monotonic_time () < deadline)
    {
      g_usleep (2000);
      partial = topout_test_query_int (dst, "SELECT count (*) FROM sessions s JOIN climbers c"
                                            " ON c.id = s.climber_id WHERE s.device_id IS NOT NULL"
                                            " AND c.id NOT IN (SELECT id FROM import_journal)");
    }
  g_subprocess_force_exit (proc);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (proc));  /* killed before it finished */
  partial = topout_test_query_int (dst, "SELECT count (*) FROM sessions") - here;
  g_assert_cmpint (partial, >, 0);
  g_assert_cmpint (partial, <, 6000);
  /* Some of what it wrote is under the climbers that were here. */
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM sessions s JOIN climbers c"
                                               " ON c.id = s.climber_id WHERE s.device_id IS NOT NULL"
                                               " AND c.id NOT IN (SELECT id FROM import_journal)"), >, 0);

  /* Opening takes it out: the climbers here and their sessions stay. */
  reopened = topout_store_new (dst, &error);
  g_assert_no_error (error);
  g_clear_object (&reopened);
  after = query_text (dst, dump_sql);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM import_journal"), ==, 0);
  topout_test_assert_scorecards_agree (dst);

  /* Again, to the end: 20 matched, 10 added, every session here. */
  {
    const char *args[] = { "--db", dst, "--import", json, NULL };
    g_assert_true (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (out, "Imported 6000 new sessions; 0 were here already."));
    g_assert_nonnull (strstr (out, "20 climbers of the file were matched by member code"));
  }
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM climbers"), ==, 30);
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM sessions"), ==, here + 6000);
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM completions p JOIN sessions s"
                                               " ON s.id = p.session_id WHERE s.device_id IS NOT NULL"), ==,
                   topout_test_query_int (src, "SELECT count (*) FROM completions"));
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM import_journal"), ==, 0);
  topout_test_assert_scorecards_agree (dst);
}


/* The tables and indexes of the database at @path, by name. */
static char *
schema_of (const char *path)
{
  return query_text (path, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name");
}

/* Nothing of a database made for an import but not named: the file, its
 * log, its lock. */
static void
assert_no_staging (const char *db_path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal", ".import-lock" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (db_path, ".importing", suffixes[i], NULL);

      g_assert_false (g_file_test (name, G_FILE_TEST_EXISTS));
    }
}

/* A backup onto a new machine: the import makes the database beside its
 * name, in one transaction with History's indexes built at the end, and
 * names it once whole. The result is the database an import into an empty
 * one makes: the same rows, the same schema with every index, the
 * scorecards. A refused file leaves no database; a database that appears
 * at the name meanwhile gets the file as any other; what a killed one left
 * beside the name is cleared by the next. */
static void
test_import_to_new_database (void)
{
  Gym g = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL, bad_file = NULL;
  g_autoptr (TopoutImportReport) report = NULL, problems = NULL, into_existing = NULL;
  g_autoptr (TopoutStore) reference = NULL, existing = NULL, reopened = NULL;
  g_autoptr (TopoutClimber) here = NULL;
  g_autofree char *json = NULL, *json_path = NULL, *bad_path = NULL, *reference_path = NULL;
  g_autofree char *new_path = topout_test_path ("restored/new.db");
  g_autofree char *refused_path = topout_test_path ("refused.db");
  g_autofree char *existing_path = NULL, *stale = NULL, *folder = g_path_get_dirname (new_path), *bad = NULL;
  g_autofree char *unknown_climb = NULL;
  char *climb;
  g_autofree char *before = NULL, *after = NULL, *schema = NULL, *reference_schema = NULL, *mode = NULL;
  g_auto (GStrv) lines = NULL;

  gym_init (&g);
  json = export_to_string (g.store, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  json_path = write_temp ("to-new.json", json);
  file = g_file_new_for_path (json_path);

  /* A killed earlier try left a half-made file beside the name. */
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  stale = g_strconcat (new_path, ".importing", NULL);
  g_assert_true (g_file_set_contents (stale, "half a database", -1, NULL));

  report = topout_import_sessions_to_new (new_path, file, NULL, NULL, NULL, &problems, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_null (problems);
  g_assert_cmpuint (report->n_added, ==, 3);
  assert_no_staging (new_path);
  /* A database in WAL mode, as the store keeps every database. */
  mode = query_text (new_path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal\n");

  before = content_of (g.path);
  after = content_of (new_path);
  g_assert_cmpstr (after, ==, before);
  topout_test_assert_scorecards_agree (new_path);
  g_assert_cmpint (topout_test_query_int (new_path, "SELECT count (*) FROM scorecards"), ==, 1);
  g_assert_cmpint (topout_test_query_int (new_path, "SELECT count (*) FROM import_journal"), ==, 0);
  topout_test_assert_sync_counts (new_path);
  g_assert_cmpint (topout_test_query_int (new_path, "SELECT n FROM sync_counts WHERE state = 'LOCAL'"), ==, 3);
  g_assert_cmpint (topout_test_query_int (new_path, "SELECT count (*) FROM pragma_integrity_check"
                                                    " WHERE integrity_check = 'ok'"), ==, 1);
  g_assert_cmpint (topout_test_query_int (new_path, "SELECT count (*) FROM pragma_foreign_key_check"), ==, 0);
  /* Every index is there again, as a database made by the store has it. */
  reference = topout_test_store_new (NOW, &reference_path);
  schema = schema_of (new_path);
  reference_schema = schema_of (reference_path);
  g_assert_cmpstr (schema, ==, reference_schema);
  g_assert_nonnull (strstr (schema, "sessions_history"));
  g_assert_nonnull (strstr (schema, "completions_climb"));
  /* It opens as any database does, with the imported sessions not due. */
  reopened = topout_store_new (new_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (topout_store_count_due_sessions (reopened, topout_store_now (reopened)), ==, 0);
  g_assert_cmpint (commit_safety (reopened), ==, 2);
  g_clear_object (&reopened);

  /* Refused: no database at the name, nothing beside it. */
  lines = g_strsplit (json, "\n", -1);
  /* A line that is no JSON, and a route on a climb nobody knows. */
  unknown_climb = g_strdup (lines[3]);
  climb = strstr (unknown_climb, "\"climbId\":\"c-1\"");
  g_assert_nonnull (climb);
  memcpy (climb + strlen ("\"climbId\":\""), "zz9", 3);
  bad = g_strjoin ("\n", lines[0], lines[1], "not json", unknown_climb, "", NULL);
  bad_path = write_temp ("to-new-bad.json", bad);
  bad_file = g_file_new_for_path (bad_path);
  g_clear_pointer (&problems, topout_import_report_free);
  g_assert_null (topout_import_sessions_to_new (refused_path, bad_file, NULL, NULL, NULL, &problems, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_clear_error (&error);
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->problems->len, ==, 2);
  g_assert_cmpuint (((TopoutImportProblem *) g_ptr_array_index (problems->problems, 0))->line, ==, 3);
  g_assert_cmpuint (((TopoutImportProblem *) g_ptr_array_index (problems->problems, 1))->line, ==, 4);
  g_assert_nonnull (strstr (((TopoutImportProblem *) g_ptr_array_index (problems->problems, 1))->message, "zz9"));
  g_assert_false (g_file_test (refused_path, G_FILE_TEST_EXISTS));
  assert_no_staging (refused_path);

  /* A database made at the name meanwhile (the window opened on it) keeps
   * what it holds and gets the file's sessions too. */
  existing = topout_test_store_new (NOW, &existing_path);
  here = topout_test_add_climber (existing, "Already Here", "M-9999");
  g_clear_object (&existing);
  into_existing = topout_import_sessions_to_new (existing_path, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (into_existing);
  g_assert_cmpuint (into_existing->n_added, ==, 3);
  assert_no_staging (existing_path);
  g_assert_cmpint (topout_test_query_int (existing_path, "SELECT count (*) FROM sessions"), ==, 3);
  g_assert_cmpint (topout_test_query_int (existing_path, "SELECT count (*) FROM climbers WHERE member_code = 'M-9999'"),
                   ==, 1);
  gym_clear (&g);
}

/* An import into a new database killed half way (kill -9): nothing at the
 * database's name, so nothing half made is ever opened; the next import
 * clears what it left beside the name and makes the database whole. */
static void
test_import_to_new_killed (void)
{
  g_autofree char *src = NULL;
  g_autofree char *dst = topout_test_path ("killed-new.db");
  g_autofree char *staging = g_strconcat (dst, ".importing", NULL);
  g_autofree char *json = topout_test_path ("killed-new.json");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = headless_launcher_new ();
  gboolean killed = FALSE;

  src = export_generated (json);

  /* Killed as soon as the database beside the name is there; should the
   * import have finished first on a fast machine, it is tried again. */
  for (guint attempt = 0; attempt < 20 && !killed; attempt++)
    {
      g_autoptr (GSubprocess) proc = NULL;
      gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

      g_unlink (dst);
      proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TOPOUT_APP"), "--db", dst, "--import", json,
                                          NULL);
      g_assert_no_error (error);
      while (!g_file_test (staging, G_FILE_TEST_EXISTS) && !g_file_test (dst, G_FILE_TEST_EXISTS) &&
             g_get_monotonic_time () < deadline)
        g_usleep (500);
      g_subprocess_force_exit (proc);
      g_assert_true (g_subprocess_wait (proc, NULL, &error));
      killed = g_subprocess_get_if_signaled (proc);
    }
  g_assert_true (killed);
  g_assert_false (g_file_test (dst, G_FILE_TEST_EXISTS));

  {
    const char *args[] = { "--db", dst, "--import", json, NULL };
    g_assert_true (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (out, "Imported 6000 new sessions"));
  }
  assert_no_staging (dst);
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM sessions"), ==, 6000);
  g_assert_cmpint (topout_test_query_int (dst, "SELECT count (*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), ==, 1);
}

/* The command line says on stderr how many running sessions its filters
 * select and the export left out (History's Export says it too): Cy's and
 * Ada's sessions on the wall, 2; Ada's alone, 1; none before today's date,
 * nothing said. The file holds the finished sessions only, as before. */
static void
test_cli_says_running_left_out (void)
{
  Gym g = { 0 };
  g_autoptr (TopoutSession) ada_again = NULL;
  g_autofree char *out = NULL, *err = NULL, *text = NULL;
  g_autofree char *csv = topout_test_path ("cli-running.csv");

  gym_init (&g);
  ada_again = topout_test_start (g.store, g.ada, TOPOUT_SESSION_TYPE_POWER);
  g_clear_object (&g.store);

  {
    const char *args[] = { "--db", g.path, "--export", "csv", "--output", csv, NULL };
    g_assert_true (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (out, "Exported 3 sessions"));
    g_assert_nonnull (strstr (err, "2 sessions still running were left out.\n"));
    g_assert_null (strstr (out, "still running"));
    g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
    g_assert_null (strstr (text, topout_session_get_id (ada_again)));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "--db", g.path, "--export", "json", "--output", csv, "--climber", g.ada, NULL };
    g_assert_true (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (out, "Exported 1 session "));
    g_assert_nonnull (strstr (err, "1 session still running was left out.\n"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "--db", g.path, "--export", "csv", "--output", csv, "--from", "2026-11-15",
                           "--to", "2026-11-20", NULL };
    g_assert_true (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (out, "Exported 2 sessions"));
    g_assert_null (strstr (err, "still running"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  gym_clear (&g);
}

static void
test_cli (void)
{
  Gym g = { 0 };
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *json = topout_test_path ("cli.json");
  g_autofree char *csv = topout_test_path ("cli.csv");
  g_autofree char *copy = topout_test_path ("cli-copy.db");
  g_autofree char *missing = topout_test_path ("no-such.db");
  g_autofree char *catalog = write_temp ("cli-catalog.csv", "id,name,grade\nk-1,Slab Dance,V1\n");
  g_autofree char *next_catalog = write_temp ("cli-catalog-2.csv", "id,name,grade\nk-2,Crimp Line,V3\n");
  g_autofree char *before = NULL, *after = NULL, *csv_text = NULL;

  gym_init (&g);
  g_clear_object (&g.store);

  {
    const char *args[] = { "--db", g.path, "--export", "json", "--output", json, NULL };
    g_assert_true (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (out, "3 sessions (4 completions)"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "--db", g.path, "--export", "csv", "--output", csv, "--from", "2026-11-15", NULL };
    g_assert_true (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (out, "2 sessions"));
    g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
    g_assert_null (strstr (csv_text, g.plain_session));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "--db", copy, "--import", json, NULL };
    g_assert_true (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (out, "Imported 3 new sessions; 0 were here already."));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_true (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (out, "Imported 0 new sessions; 3 were here already."));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  before = content_of (g.path);
  after = content_of (copy);
  g_assert_cmpstr (after, ==, before);

  /* A catalog goes through the same option, told apart by its header. */
  {
    const char *args[] = { "--db", copy, "--import", catalog, NULL };
    g_assert_true (run_topout (args, &out, &err));
    g_assert_cmpuint ((guint) topout_test_query_int (copy, "SELECT count (*) FROM climbs WHERE id = 'k-1'"), ==, 1);
    g_assert_cmpstr (err, ==, "");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  /* Saved by Excel on Windows (Windows-1252): read so, and said on stderr. */
  {
    g_autofree char *excel = write_temp ("cli-excel.csv", "id,name,grade\r\nk-3,Caf\xE9 wall,V2\r\n");
    const char *args[] = { "--db", copy, "--import", excel, NULL };
    g_autofree char *name = NULL;

    g_assert_true (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (out, "1 added"));
    g_assert_nonnull (strstr (err, "read as Windows-1252"));
    name = query_text (copy, "SELECT name FROM climbs WHERE id = 'k-3'");
    g_assert_cmpstr (name, ==, "Café wall\n");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* A route setter's new catalog, with the climbs it leaves out retired
   * when asked (as the Catalog view's import can): said in the summary. */
  {
    const char *args[] = { "--db", copy, "--import", next_catalog, "--retire-missing", NULL };
    g_assert_true (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (out, "1 added, 0 updated, 0 unchanged, "));
    g_assert_cmpuint ((guint) topout_test_query_int (copy, "SELECT retired FROM climbs WHERE id = 'k-1'"), ==, 1);
    g_assert_cmpuint ((guint) topout_test_query_int (copy, "SELECT retired FROM climbs WHERE id = 'k-2'"), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  /* Not with anything else: refused, nothing done. */
  {
    g_autofree char *dump_before = topout_test_dump_db (copy);
    g_autofree char *dump_after = NULL;
    const char *alone[] = { "--db", copy, "--export", "csv", "--output", csv, "--retire-missing", NULL };
    const char *sessions[] = { "--db", copy, "--import", json, "--retire-missing", NULL };

    g_assert_cmpint (run_topout_status (alone, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "--retire-missing goes with --import of a catalog file"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_topout_status (sessions, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "is a session export: --retire-missing goes with a catalog file"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    dump_after = topout_test_dump_db (copy);
    g_assert_cmpstr (dump_after, ==, dump_before);
  }

  /* Bad input: a clear message and exit 1, nothing created. */
  {
    const char *args[] = { "--db", g.path, "--export", "xml", "--output", json, NULL };
    g_assert_false (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (err, "csv or json"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "--db", g.path, "--export", "csv", "--output", csv, "--to", "21/11/2026", NULL };
    g_assert_false (run_topout (args, &out, &err));
    g_assert_cmpstr (err, !=, "");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "--db", missing, "--export", "csv", "--output", csv, NULL };
    g_assert_false (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (err, "no database"));
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "--db", g.path, "--export", "csv", "--output", csv, "--climber", "nobody", NULL };
    g_assert_false (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (err, "nobody"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    /* A file refused as a whole into a database that was not there: no
     * empty database is left behind; into one that was, it stays as it was. */
    g_autofree char *bad = write_temp ("cli-bad.csv", "id,name,grade\nk-2,,V1\n");
    g_autofree char *fresh = topout_test_path ("cli-fresh.db");
    g_autofree char *wal = g_strconcat (fresh, "-wal", NULL);
    g_autofree char *kept = content_of (copy);
    g_autofree char *kept_after = NULL;
    int climbs = topout_test_query_int (copy, "SELECT count (*) FROM climbs");
    const char *into_new[] = { "--db", fresh, "--import", bad, NULL };
    const char *into_old[] = { "--db", copy, "--import", bad, NULL };

    g_assert_false (run_topout (into_new, &out, &err));
    g_assert_nonnull (strstr (err, "line 2"));
    g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);

    g_assert_false (run_topout (into_old, &out, &err));
    g_assert_true (g_file_test (copy, G_FILE_TEST_EXISTS));
    kept_after = content_of (copy);
    g_assert_cmpstr (kept_after, ==, kept);
    g_assert_cmpint (topout_test_query_int (copy, "SELECT count (*) FROM climbs"), ==, climbs);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *alone[] = { "--db", g.path, "--server", "http://127.0.0.1:1", NULL };

    /* --server without --sync-now is refused, not quietly dropped for a window. */
    g_assert_false (run_topout (alone, &out, &err));
    g_assert_nonnull (strstr (err, "--server goes with --sync-now"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    /* Two commands, or an option of another command: refused, nothing
     * done (the second was silently dropped, exit 0); an empty --db (an
     * unset variable in a script) is no database (it went to the default). */
    g_autofree char *two_csv = topout_test_path ("cli-two.csv");
    g_autofree char *db_before = content_of (copy);
    g_autofree char *db_after = NULL;
    const char *two[] = { "--db", copy, "--export", "csv", "--output", two_csv, "--import", "/tmp/x.jsonl", NULL };
    const char *dates[] = { "--db", copy, "--import", "/tmp/x.jsonl", "--from", "2026-01-01", NULL };
    const char *empty[] = { "--db", "", "--import", "/tmp/x.jsonl", NULL };
    const char *stray[] = { "--db", copy, "sessions.jsonl", NULL };
    const char **refused[] = { two, dates, empty, stray };
    const char *said[] = { "one of --sync-now, --export and --import", "go with --export", "--db needs",
                           "Unexpected “sessions.jsonl”" };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_assert_false (run_topout (refused[i], &out, &err));
        g_assert_nonnull (strstr (err, said[i]));
        g_clear_pointer (&out, g_free);
        g_clear_pointer (&err, g_free);
      }
    g_assert_false (g_file_test (two_csv, G_FILE_TEST_EXISTS));
    db_after = content_of (copy);
    g_assert_cmpstr (db_after, ==, db_before);
  }
  {
    const char *args[] = { "--db", copy, "--import", "/nonexistent/file.json", NULL };
    g_assert_false (run_topout (args, &out, &err));
    g_assert_nonnull (strstr (err, "/nonexistent/file.json"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  gym_clear (&g);
}

/* An export onto the database it reads (a slip on the command line, or the
 * file chooser): refused, the database as it was. The export was renamed
 * over it and every session lost ("file is not a database" after). The
 * same for SQLite's files beside it, a link to it, a hard link to it, and
 * the name through a folder link; in the library too (the window's export
 * goes there). */
static void
test_export_not_onto_database (void)
{
  Gym g = { 0 };
  g_autofree char *before = NULL, *dir = NULL, *sym = NULL, *hard = NULL, *dir_link = NULL;
  g_autofree char *through_dir = NULL, *wal = NULL, *shm = NULL, *base = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;

  gym_init (&g);
  before = content_of (g.path);
  dir = g_path_get_dirname (g.path);
  base = g_path_get_basename (g.path);
  sym = topout_test_path ("onto-db-link.csv");
  hard = topout_test_path ("onto-db-hard.csv");
  dir_link = topout_test_path ("onto-db-dir");
  through_dir = g_build_filename (dir_link, base, NULL);
  wal = g_strconcat (g.path, "-wal", NULL);
  shm = g_strconcat (g.path, "-shm", NULL);
  g_assert_cmpint (symlink (g.path, sym), ==, 0);
  g_assert_cmpint (link (g.path, hard), ==, 0);
  g_assert_cmpint (symlink (dir, dir_link), ==, 0);

  /* The library: the store that has it open. */
  file = g_file_new_for_path (g.path);
  g_assert_false (topout_store_export_to_file (g.store, TOPOUT_EXPORT_CSV, NULL, file, NULL, NULL, NULL,
                                               NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
  g_assert_nonnull (strstr (error->message, "write the export to another file"));
  g_clear_error (&error);
  g_clear_object (&g.store);

  /* The command line, with each name. */
  {
    const char *targets[] = { g.path, wal, shm, sym, hard, through_dir };

    for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
      for (guint f = 0; f < 2; f++)
        {
          const char *args[] = { "--db", g.path, "--export", f ? "json" : "csv", "--output", targets[i], NULL };
          g_autofree char *out = NULL, *err = NULL, *after = NULL;

          g_assert_false (run_topout (args, &out, &err));
          g_assert_cmpstr (out, ==, "");
          g_assert_nonnull (strstr (err, "is the database the sessions are read from"));
          after = content_of (g.path);
          g_assert_cmpstr (after, ==, before);
        }
  }
  g_assert_true (g_file_test (sym, G_FILE_TEST_IS_SYMLINK));
  g_unlink (sym);
  g_unlink (hard);
  g_unlink (dir_link);
  gym_clear (&g);
}

/* An option given twice: refused, nothing done, with the command's exit
 * code for a command line that cannot run (3 for --sync-now). GOption kept
 * the last one: `--import climbers.csv --import catalog.csv` imported the
 * catalog alone and exited 0, `--export csv --export json` wrote json. */
static void
test_cli_option_twice (void)
{
  Gym g = { 0 };
  g_autofree char *climbers = write_temp ("twice-climbers.csv", "id,displayName,memberCode\nx-1,Xu,M-0900\n");
  g_autofree char *catalog = write_temp ("twice-catalog.csv", "id,name,grade\nk-9,Twice,V1\n");
  g_autofree char *csv = topout_test_path ("twice.csv");
  g_autofree char *other_db = topout_test_path ("twice-other.db");
  g_autofree char *before = NULL, *dump_before = NULL;
  const char *imports[] = { "--db", NULL, "--import", climbers, "--import", catalog, NULL };
  const char *exports[] = { "--db", NULL, "--export", "csv", "--export", "json", "--output", csv, NULL };
  const char *outputs[] = { "--db", NULL, "--export", "csv", "--output", csv, "--output", csv, NULL };
  const char *dates[] = { "--db", NULL, "--export", "csv", "--output", csv, "--from", "2026-11-01",
                          "--from", "2026-11-15", NULL };
  const char *dbs[] = { "--db", NULL, "--db", NULL, "--import", catalog, NULL };
  const char *servers[] = { "--db", NULL, "--sync-now", "--server", "http://127.0.0.1:1",
                            "--server", "http://127.0.0.1:2", NULL };
  const char **cases[] = { imports, exports, outputs, dates, dbs, servers };
  const char *named[] = { "--import", "--export", "--output", "--from", "--db", "--server" };
  int expected[] = { 1, 1, 1, 1, 1, 3 };

  gym_init (&g);
  g_clear_object (&g.store);
  imports[1] = exports[1] = outputs[1] = dates[1] = dbs[1] = servers[1] = g.path;
  dbs[3] = other_db;
  before = content_of (g.path);
  dump_before = topout_test_dump_db (g.path);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL, *said = g_strconcat (named[i], " was given more than once", NULL);
      g_autofree char *dump_after = NULL;

      g_assert_cmpint (run_topout_status (cases[i], &out, &err), ==, expected[i]);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, said));
      dump_after = topout_test_dump_db (g.path);
      g_assert_cmpstr (dump_after, ==, dump_before);
    }
  g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (other_db, G_FILE_TEST_EXISTS));
  g_assert_cmpint (topout_test_query_int (g.path, "SELECT count (*) FROM climbs WHERE id = 'k-9'"), ==, 0);
  g_assert_cmpint (topout_test_query_int (g.path, "SELECT count (*) FROM climbers WHERE id = 'x-1'"), ==, 0);

  /* Each once: done. */
  {
    const char *one[] = { "--db", g.path, "--import", catalog, NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_topout_status (one, &out, &err), ==, 0);
    g_assert_cmpint (topout_test_query_int (g.path, "SELECT count (*) FROM climbs WHERE id = 'k-9'"), ==, 1);
  }
  gym_clear (&g);
}

/* --demo and --kiosk with a command that opens no window: refused, not
 * silently dropped (an import into a new database with --demo got no demo
 * data, an export with --demo wrote the real sessions); an empty --server
 * (an unset variable) is refused as empty, not taken for "no server set
 * up". Nothing done, the command's exit code for a command line that
 * cannot run. */
static void
test_cli_window_options_refused (void)
{
  Gym g = { 0 };
  g_autofree char *catalog = write_temp ("window-opts-catalog.csv", "id,name,grade\nk-8,Kiosk,V1\n");
  g_autofree char *csv = topout_test_path ("window-opts.csv");
  g_autofree char *fresh = topout_test_path ("window-opts-fresh.db");
  g_autofree char *dump_before = NULL;
  const char *demo_import[] = { "--db", fresh, "--demo", "--import", catalog, NULL };
  const char *demo_export[] = { "--db", NULL, "--demo", "--export", "csv", "--output", csv, NULL };
  const char *kiosk_import[] = { "--db", NULL, "--kiosk", "--import", catalog, NULL };
  const char *kiosk_sync[] = { "--db", NULL, "--kiosk", "--sync-now", "--server", "http://127.0.0.1:1", NULL };
  const char *empty_server[] = { "--db", NULL, "--sync-now", "--server", "", NULL };
  const char **cases[] = { demo_import, demo_export, kiosk_import, kiosk_sync, empty_server };
  const char *said[] = { "--demo and --kiosk go with the window", "--demo and --kiosk go with the window",
                         "--demo and --kiosk go with the window", "--demo and --kiosk go with the window",
                         "--server needs the address of a sync server" };
  int expected[] = { 1, 1, 1, 3, 3 };

  gym_init (&g);
  g_clear_object (&g.store);
  demo_export[1] = kiosk_import[1] = kiosk_sync[1] = empty_server[1] = g.path;
  dump_before = topout_test_dump_db (g.path);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL, *dump_after = NULL;

      g_assert_cmpint (run_topout_status (cases[i], &out, &err), ==, expected[i]);
      g_assert_cmpstr (out, ==, "");
      g_assert_true (g_str_has_prefix (err, said[i]));
      dump_after = topout_test_dump_db (g.path);
      g_assert_cmpstr (dump_after, ==, dump_before);
    }
  g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
  gym_clear (&g);
}

/* topout --db in a folder that is not there --import FILE (a typo in a
 * cron line): refused, exit 1, no folder and no database made (both were
 * made, the import said it was done, and nobody read that database). In an
 * existing folder a new database is made as before. */
static void
test_cli_import_db_folder_missing (void)
{
  g_autofree char *catalog = write_temp ("folder-catalog.csv", "id,name,grade\nk-9,Folder,V1\n");
  g_autofree char *missing = topout_test_path ("no-such-folder");
  g_autofree char *typo = g_build_filename (missing, "deeper", "topout.db", NULL);
  g_autofree char *fresh = topout_test_path ("folder-fresh.db");
  g_autofree char *out = NULL, *err = NULL;
  const char *into_typo[] = { "--db", typo, "--import", catalog, NULL };
  const char *into_fresh[] = { "--db", fresh, "--import", catalog, NULL };

  g_assert_cmpint (run_topout_status (into_typo, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "There is no folder "));
  g_assert_nonnull (strstr (err, "deeper"));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_topout_status (into_fresh, &out, &err), ==, 0);
  g_assert_cmpint (topout_test_query_int (fresh, "SELECT count (*) FROM climbs WHERE id = 'k-9'"), ==, 1);
}

/* --help, with no display, says what each exit status means (SPEC
 * section 5's table), on stdout, exit 0. */
static void
test_cli_help_exit_status (void)
{
  const char *args[] = { "--help", NULL };
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_topout_status (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "--sync-now"));
  g_assert_nonnull (strstr (out, "Exit status:\n  0  done\n  1  an error; with --sync-now: sessions left to sync"));
  g_assert_nonnull (strstr (out, "\n  2  --sync-now: sessions the server rejected or holds in conflict"));
  g_assert_nonnull (strstr (out, "\n  3  --sync-now: not authorised, or not set up"));
}

/* An imported file whose competition pair has spaces at its ends ("LEAGUE ",
 * " 2026-r3") is the same competition as the one without: trimmed as the
 * desk trims what is typed, one competition with both climbers ranked; a
 * pair of nothing but spaces is refused as the desk refuses it. */
static void
test_import_trims_competition_pair (void)
{
  Gym g = { 0 };
  g_autoptr (TopoutStore) into = NULL;
  g_autoptr (TopoutSession) ada_comp = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pairs = NULL;
  g_autoptr (GPtrArray) ranking = NULL;
  g_autofree char *json = NULL, *json_path = NULL, *into_path = NULL, *blank = NULL, *message = NULL;
  g_auto (GStrv) lines = NULL;
  guint edited = 0;

  gym_init (&g);
  topout_test_set_now ("2026-11-20T20:00:00Z");
  ada_comp = topout_test_start_competition (g.store, g.ada, "LEAGUE", "2026-r3");
  log_route (g.store, g.ada, "c-1", 4, TRUE, NULL);
  end (g.store, ada_comp);
  topout_test_set_now (NOW);

  json = export_to_string (g.store, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  lines = g_strsplit (json, "\n", -1);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    if (strstr (lines[i], topout_session_get_id (ada_comp)) != NULL)
      {
        /* Ada's session and its route, as a spreadsheet may leave them. */
        g_auto (GStrv) parts = g_strsplit (lines[i], "\"competitionType\":\"LEAGUE\",\"competitionId\":\"2026-r3\"", -1);

        g_assert_cmpuint (g_strv_length (parts), ==, 3);
        g_free (lines[i]);
        lines[i] = g_strjoinv ("\"competitionType\":\"LEAGUE \",\"competitionId\":\" 2026-r3\\u00a0\"", parts);
        edited++;
      }
  g_assert_cmpuint (edited, ==, 1);
  g_free (json);
  json = g_strjoinv ("\n", lines);
  g_assert_nonnull (strstr (json, "\"LEAGUE \""));
  json_path = write_temp ("spaced-pair.json", json);
  file = g_file_new_for_path (json_path);

  into = topout_test_store_new (NOW, &into_path);
  report = topout_store_import_sessions (into, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_added, ==, 4);
  topout_test_assert_scorecards_agree (into_path);
  /* One competition, Bo (1 top) and Ada (1 top) both in its ranking. */
  pairs = topout_store_list_competitions (into);
  g_assert_cmpuint (pairs->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (pairs, 0), ==, "LEAGUE");
  g_assert_cmpstr (g_ptr_array_index (pairs, 1), ==, "2026-r3");
  ranking = topout_store_rank_competition (into, "LEAGUE", "2026-r3");
  g_assert_cmpuint (ranking->len, ==, 2);
  {
    g_autoptr (TopoutSession) s = topout_store_get_session (into, topout_session_get_id (ada_comp), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (topout_session_get_competition_type (s), ==, "LEAGUE");
    g_assert_cmpstr (topout_session_get_competition_id (s), ==, "2026-r3");
  }

  /* Nothing but spaces: refused on its line, as at the desk. */
  {
    g_autoptr (TopoutStore) fresh = NULL;
    g_autofree char *fresh_path = NULL;
    g_autofree char *spaced = g_strjoinv ("\n", lines);
    g_auto (GStrv) parts = NULL;

    parts = g_strsplit (spaced, "\"competitionType\":\"LEAGUE \"", -1);
    blank = g_strjoinv ("\"competitionType\":\"   \"", parts);
    fresh = topout_test_store_new (NOW, &fresh_path);
    for (guint i = 1; lines[i] != NULL; i++)
      if (strstr (lines[i], topout_session_get_id (ada_comp)) != NULL)
        {
          message = assert_refused_on_line (fresh, fresh_path, "blank-pair.json", blank, i + 1);
          break;
        }
    g_assert_nonnull (message);
    g_assert_nonnull (strstr (message, "competition type"));
  }
  gym_clear (&g);
}

/* OWASP's CSV injection list: a cell starting with =, +, -, @, a Tab or a
 * carriage return gets a leading apostrophe in the CSV, a cell with them
 * elsewhere does not; the JSON export, the one read back, keeps every note
 * as typed. */
/* Export Ranking: the Scorecard's ranking of one competition as CSV for a
 * league's spreadsheet: the places as the Scorecard writes them ("1=" where
 * shared), tops, attempts to top (empty without a top), attempts, the
 * member code and the pair; a climber without a route at the bottom; a
 * name a spreadsheet would run ("=cmd") defused and one with a comma
 * quoted as the session CSV does; an existing file replaced whole, and the
 * database itself refused. */
static void
test_ranking_csv (void)
{
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (TopoutClimber) ada = NULL, kim = NULL, cmd = NULL, ed = NULL, other = NULL;
  g_autoptr (TopoutSession) s1 = NULL, s2 = NULL, s3 = NULL, s4 = NULL, s5 = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFile) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL, *csv_path = NULL, *csv = NULL;
  guint n = 0;

  store = topout_test_store_new ("2026-11-10T17:00:00Z", &path);
  ada = topout_test_add_climber (store, "Ada Lovelace", NULL);
  kim = topout_test_add_climber (store, "Kim, Bo", "M-7");
  cmd = topout_test_add_climber (store, "=cmd", NULL);
  ed = topout_test_add_climber (store, "Ed Nash", NULL);
  other = topout_test_add_climber (store, "Flo Other", NULL);
  g_object_unref (topout_test_add_climb (store, "c-1", "One", "V1"));
  s1 = topout_test_start_competition (store, topout_climber_get_id (ada), "LEAGUE", "2026-r3");
  s2 = topout_test_start_competition (store, topout_climber_get_id (kim), "LEAGUE", "2026-r3");
  s3 = topout_test_start_competition (store, topout_climber_get_id (cmd), "LEAGUE", "2026-r3");
  s4 = topout_test_start_competition (store, topout_climber_get_id (ed), "LEAGUE", "2026-r3");
  s5 = topout_test_start_competition (store, topout_climber_get_id (other), "LEAGUE", "2026-r4");
  log_route (store, topout_climber_get_id (ada), "c-1", 2, TRUE, NULL);
  log_route (store, topout_climber_get_id (kim), "c-1", 1, FALSE, NULL);
  log_route (store, topout_climber_get_id (kim), "c-1", 1, TRUE, NULL);
  log_route (store, topout_climber_get_id (cmd), "c-1", 3, FALSE, NULL);
  log_route (store, topout_climber_get_id (other), "c-1", 1, TRUE, NULL);

  csv_path = topout_test_path ("ranking.csv");
  g_assert_true (g_file_set_contents (csv_path, "an older file", -1, NULL));
  file = g_file_new_for_path (csv_path);
  g_assert_true (topout_store_export_ranking_to_file (store, "LEAGUE", "2026-r3", file, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_cmpstr (csv, ==,
                   "place,climberName,memberCode,tops,attemptsToTop,attempts,competitionType,competitionId\r\n"
                   "1=,Ada Lovelace,,1,2,2,LEAGUE,2026-r3\r\n"
                   "1=,\"Kim, Bo\",M-7,1,2,2,LEAGUE,2026-r3\r\n"
                   "3=,\"'=cmd\",,0,,3,LEAGUE,2026-r3\r\n"
                   "3=,Ed Nash,,0,,0,LEAGUE,2026-r3\r\n");

  /* A place alone is written without "=". */
  g_clear_pointer (&csv, g_free);
  g_assert_true (topout_store_export_ranking_to_file (store, "LEAGUE", "2026-r4", file, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_cmpstr (csv, ==,
                   "place,climberName,memberCode,tops,attemptsToTop,attempts,competitionType,competitionId\r\n"
                   "1,Flo Other,,1,1,1,LEAGUE,2026-r4\r\n");

  /* Never over the database. */
  db = g_file_new_for_path (path);
  g_assert_false (topout_store_export_ranking_to_file (store, "LEAGUE", "2026-r3", db, NULL, &n, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
  {
    g_autoptr (GPtrArray) ranking = topout_store_rank_competition (store, "LEAGUE", "2026-r3");

    g_assert_cmpuint (ranking->len, ==, 4);
  }
}

static void
test_csv_formula_guard (void)
{
  const char *guarded[] = { "=1+1", "+1", "-1", "@SUM(A1)", "\t=HYPERLINK(\"x\")", "\r=cmd", "\t", "\r\n-2" };
  const char *plain[] = { "a=1", "crux\t-2", "top\r\n=3", "'quoted", " =spaced" };
  g_autoptr (TopoutStore) store = NULL, copy = NULL;
  g_autoptr (TopoutClimber) ada = NULL;
  g_autoptr (TopoutClimb) c1 = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *path = NULL, *copy_path = NULL, *csv = NULL, *json = NULL, *json_path = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr (TopoutSession) s = NULL;
  const char *p;

  store = topout_test_store_new ("2026-11-10T17:00:00Z", &path);
  ada = topout_test_add_climber (store, "Ada Lovelace", "M-0001");
  c1 = topout_test_add_climb (store, "c-1", "Roof Monster", "V5");
  s = topout_test_start (store, topout_climber_get_id (ada), TOPOUT_SESSION_TYPE_POWER);
  for (guint i = 0; i < G_N_ELEMENTS (guarded); i++)
    log_route (store, topout_climber_get_id (ada), "c-1", 1, TRUE, guarded[i]);
  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    log_route (store, topout_climber_get_id (ada), "c-1", 1, TRUE, plain[i]);
  end_noted (store, topout_session_get_id (s), "\tsession note");
  topout_test_set_now (NOW);

  csv = export_to_string (store, TOPOUT_EXPORT_CSV, NULL, NULL, NULL);
  p = strstr (csv, "\r\n") + 2;  /* past the column names */
  while (*p != '\0')
    for (guint col = 0; col < 30; col++)
      {
        char *cell = csv_next_field (&p);

        if ((col == 17 || col == 25) && *cell != '\0')
          g_hash_table_add (cells, cell);
        else
          g_free (cell);
      }
  g_assert_true (g_hash_table_contains (cells, "'\tsession note"));
  for (guint i = 0; i < G_N_ELEMENTS (guarded); i++)
    {
      g_autofree char *defused = g_strconcat ("'", guarded[i], NULL);

      g_assert_true (g_hash_table_contains (cells, defused));
    }
  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    g_assert_true (g_hash_table_contains (cells, plain[i]));
  g_assert_cmpuint (g_hash_table_size (cells), ==, 1 + G_N_ELEMENTS (guarded) + G_N_ELEMENTS (plain));

  /* The JSON export and its import: every note as typed. */
  json = export_to_string (store, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  json_path = write_temp ("guarded.json", json);
  file = g_file_new_for_path (json_path);
  copy = topout_test_store_new (NOW, &copy_path);
  report = topout_store_import_sessions (copy, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_added, ==, 1);
  before = content_of (path);
  after = content_of (copy_path);
  g_assert_cmpstr (after, ==, before);
  g_assert_nonnull (strstr (after, "|\tsession note|"));
  g_assert_nonnull (strstr (after, "|\r=cmd|"));
}

/* The Climbers view, the desk's search, the Catalog, the climb picker and
 * the Scorecard while an import commits in chunks on another connection:
 * none of them shows what the import has not finished (its new climbers,
 * climbs and competitions, nor what its sessions add to the scorecard of a
 * climber who was already here), so a refused import shows nothing that
 * then vanishes; once it is whole, all of it. */
static char *
lists_of (TopoutStore *store,
          const char  *climber_id)
{
  g_autoptr (GPtrArray) climbers = topout_store_find_climbers (store, NULL, TRUE, 0);
  g_autoptr (GPtrArray) desk = topout_store_find_climbers (store, "G-0", FALSE, 0);
  g_autoptr (GPtrArray) climbs = topout_store_find_climbs_full (store, NULL, NULL, TRUE, 0);
  g_autoptr (GPtrArray) picker = topout_store_find_climbs (store, NULL, climber_id, 0);
  g_autoptr (GPtrArray) pairs = topout_store_list_competitions (store);
  GString *out = g_string_new ("climbers:");

  for (guint i = 0; i < climbers->len; i++)
    g_string_append_printf (out, " %s", topout_climber_get_display_name (g_ptr_array_index (climbers, i)));
  g_string_append_printf (out, "\ndesk: %u\nclimbs:", desk->len);
  for (guint i = 0; i < climbs->len; i++)
    g_string_append_printf (out, " %s", topout_climb_get_id (g_ptr_array_index (climbs, i)));
  g_string_append (out, "\npicker:");
  for (guint i = 0; i < picker->len; i++)
    g_string_append_printf (out, " %s", topout_climb_get_id (g_ptr_array_index (picker, i)));
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      g_autoptr (GPtrArray) ranking = topout_store_rank_competition (store, g_ptr_array_index (pairs, i),
                                                                     g_ptr_array_index (pairs, i + 1));

      g_string_append_printf (out, "\n%s/%s:", (char *) g_ptr_array_index (pairs, i),
                              (char *) g_ptr_array_index (pairs, i + 1));
      for (guint r = 0; r < ranking->len; r++)
        {
          TopoutScorecardRank *rank = g_ptr_array_index (ranking, r);

          g_string_append_printf (out, " %u.%s %u/%u/%u", rank->place, rank->climber_name, rank->tops,
                                  rank->attempts_to_top, rank->attempts);
        }
    }
  return g_string_free (out, FALSE);
}

typedef struct {
  TopoutStore *app;
  const char  *app_path;
  const char  *bo;
  const char  *before;
  guint        chunks_seen;    /* calls with committed rows of the import */
  guint        counted_early;  /* calls where the stored scorecards count the import */
  guint        shown;          /* calls where a list showed some of it */
} WatchLists;

static void
watch_lists_progress (double   fraction,
                      gpointer user_data)
{
  WatchLists *w = user_data;
  g_autofree char *now = NULL;

  if (topout_test_query_int (w->app_path, "SELECT count (*) FROM import_journal WHERE kind = 'climber'") > 0)
    w->chunks_seen++;
  if (topout_test_query_int (w->app_path, "SELECT count (*) FROM scorecards WHERE climb_id = 'c-3'") > 0)
    w->counted_early++;
  topout_store_check_external_changes (w->app);
  now = lists_of (w->app, w->bo);
  if (g_strcmp0 (now, w->before) != 0)
    {
      if (w->shown++ == 0)
        g_test_message ("shown while importing:\n%s\nbefore:\n%s", now, w->before);
    }
}

static void
test_lists_hide_unfinished_import (void)
{
  g_autoptr (TopoutStore) big = NULL, app = NULL, worker = NULL;
  g_autoptr (TopoutSession) comp = NULL;
  g_autoptr (TopoutImportReport) first = NULL, filler = NULL, problems = NULL, report = NULL;
  g_autoptr (GPtrArray) active = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL, bad_file = NULL, good_file = NULL;
  g_autofree char *big_path = NULL, *app_path = NULL, *path = NULL, *json = NULL;
  g_autofree char *bad = NULL, *bad_path = NULL, *good_path = NULL, *before = NULL, *after = NULL;
  g_autofree char *expected = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GString) reordered = g_string_new (NULL);
  WatchLists w = { 0 };
  Gym g;

  /* Here already: the small gym, Bo with one top in LEAGUE 2026-r3. */
  gym_init (&g);
  app = topout_test_store_new (NOW, &app_path);
  json = export_to_string (g.store, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  path = write_temp ("lists-first.json", json);
  file = g_file_new_for_path (path);
  first = topout_store_import_sessions (app, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&json, g_free);
  g_clear_pointer (&path, g_free);
  g_clear_object (&file);

  /* The file: a generated gym's sessions (new climbers, climbs and
   * climbs) and one more LEAGUE 2026-r3 session of Bo's, topping the climb
   * c-3, new here (Cy's session ended, so that c-3 comes with it), and Ada's
   * in LEAGUE 2026-r4, a competition new here. */
  big = topout_test_store_new (NOW, &big_path);
  g_assert_true (topout_store_generate (big, 5000, 2, 7, &error));
  g_assert_no_error (error);
  json = export_to_string (big, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  path = write_temp ("lists-filler.json", json);
  file = g_file_new_for_path (path);
  filler = topout_store_import_sessions (g.store, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&json, g_free);
  active = topout_store_list_active_sessions (g.store);
  for (guint i = 0; i < active->len; i++)
    end (g.store, g_ptr_array_index (active, i));
  topout_test_set_now ("2026-11-21T18:00:00Z");
  comp = topout_test_start_competition (g.store, g.bo, "LEAGUE", "2026-r3");
  log_route (g.store, g.bo, "c-3", 2, TRUE, NULL);
  end (g.store, comp);
  g_clear_object (&comp);
  comp = topout_test_start_competition (g.store, g.ada, "LEAGUE", "2026-r4");
  log_route (g.store, g.ada, "c-1", 1, TRUE, NULL);
  end (g.store, comp);

  /* The LEAGUE sessions first, so that they are committed early and the
   * rest of the file takes many chunks more. */
  json = export_to_string (g.store, TOPOUT_EXPORT_JSON, NULL, NULL, NULL);
  lines = g_strsplit (json, "\n", -1);
  g_string_append_printf (reordered, "%s\n", lines[0]);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 1; lines[i] != NULL; i++)
      if (lines[i][0] != '\0' && (strstr (lines[i], "\"LEAGUE\"") != NULL) == (pass == 0))
        g_string_append_printf (reordered, "%s\n", lines[i]);
  good_path = write_temp ("lists-good.json", reordered->str);
  bad = g_strconcat (reordered->str, "not a session\n", NULL);
  bad_path = write_temp ("lists-bad.json", bad);
  good_file = g_file_new_for_path (good_path);
  bad_file = g_file_new_for_path (bad_path);

  before = lists_of (app, g.bo);
  g_assert_null (strstr (before, "c-3"));
  g_assert_null (strstr (before, "2026-r4"));
  worker = topout_store_open_another (app, &error);
  g_assert_no_error (error);
  w.app = app;
  w.app_path = app_path;
  w.bo = g.bo;
  w.before = before;

  /* Refused at its last line: every chunk committed, then taken out. */
  g_assert_null (topout_store_import_sessions (worker, bad_file, watch_lists_progress, &w, NULL,
                                               &problems, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_clear_error (&error);
  g_test_message ("progress calls with committed chunks: %u, scorecards counting it: %u",
                  w.chunks_seen, w.counted_early);
  g_assert_cmpuint (w.chunks_seen, >, 0);
  g_assert_cmpuint (w.counted_early, >, 0);
  g_assert_cmpuint (w.shown, ==, 0);
  topout_store_check_external_changes (app);
  after = lists_of (app, g.bo);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  /* A good import: hidden while it runs, all there once it is whole. */
  w.chunks_seen = w.counted_early = 0;
  report = topout_store_import_sessions (worker, good_file, watch_lists_progress, &w, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (w.chunks_seen, >, 0);
  g_assert_cmpuint (w.counted_early, >, 0);
  g_assert_cmpuint (w.shown, ==, 0);
  topout_store_check_external_changes (app);
  after = lists_of (app, g.bo);
  expected = lists_of (g.store, g.bo);
  g_assert_cmpstr (after, ==, expected);
  g_assert_nonnull (strstr (after, "c-3"));
  g_assert_nonnull (strstr (after, "LEAGUE/2026-r4: 1.Ada Lovelace 1/1/1"));
  g_assert_nonnull (strstr (after, "LEAGUE/2026-r3: 1.Bo, \"the\" Climber 2/5/5"));
  topout_test_assert_scorecards_agree (app_path);
  gym_clear (&g);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/csv/shape", test_csv_shape);
  g_test_add_func ("/export/json/round-trip-and-twice", test_json_round_trip);
  g_test_add_func ("/export/filters", test_filters);
  g_test_add_func ("/export/import-routes-take-session-pair", test_import_routes_take_session_pair);
  g_test_add_func ("/export/interrupted-keeps-old-file", test_interrupted_export_keeps_old_file);
  g_test_add_func ("/export/links-pipes-and-modes", test_export_targets);
  g_test_add_func ("/export/demo-stays-demo", test_demo_stays_demo);
  g_test_add_func ("/export/cli-stopped-by-a-signal", test_cli_export_stopped);
  g_test_add_func ("/export/skips-unfinished-import", test_export_skips_unfinished_import);
  g_test_add_func ("/import/history-hides-unfinished-import", test_history_hides_unfinished_import);
  g_test_add_func ("/import/get-session-hides-unfinished-import", test_get_session_hides_unfinished_import);
  g_test_add_func ("/import/reexport-keeps-device", test_reexport_keeps_device);
  g_test_add_func ("/export/round-trip-fidelity", test_round_trip_fidelity);
  g_test_add_func ("/import/format-version", test_format_version);
  g_test_add_func ("/import/member-codes-match-climbers", test_member_codes_match_climbers);
  g_test_add_func ("/import/member-code-session-owner", test_member_code_session_owner);
  g_test_add_func ("/import/route-without-grade", test_import_route_without_grade);
  g_test_add_func ("/import/biggest-session-line", test_biggest_session_line);
  g_test_add_func ("/import/bad-lines-import-nothing", test_bad_lines_import_nothing);
  g_test_add_func ("/import/blank-lines", test_blank_lines);
  g_test_add_func ("/import/cut-short", test_truncated_export_refused);
  g_test_add_func ("/import/longer-than-announced", test_longer_export_refused);
  g_test_add_func ("/import/misread-line", test_misread_line);
  g_test_add_func ("/import/not-an-export", test_not_an_export);
  g_test_add_func ("/import/to-new-database", test_import_to_new_database);
  g_test_add_func ("/import/to-new-database-killed", test_import_to_new_killed);
  g_test_add_func ("/export/cli-no-display", test_cli);
  g_test_add_func ("/export/cli-says-running-left-out", test_cli_says_running_left_out);
  g_test_add_func ("/export/not-onto-its-database", test_export_not_onto_database);
  g_test_add_func ("/export/cli-option-twice", test_cli_option_twice);
  g_test_add_func ("/export/cli-window-options-refused", test_cli_window_options_refused);
  g_test_add_func ("/export/cli-import-db-folder-missing", test_cli_import_db_folder_missing);
  g_test_add_func ("/export/cli-help-exit-status", test_cli_help_exit_status);
  g_test_add_func ("/import/killed-then-reopened", test_import_killed);
  g_test_add_func ("/import/killed-then-reopened-matched", test_import_killed_mapped);
  g_test_add_func ("/import/trims-competition-pair", test_import_trims_competition_pair);
  g_test_add_func ("/export/csv/formula-guard", test_csv_formula_guard);
  g_test_add_func ("/export/ranking-csv", test_ranking_csv);
  g_test_add_func ("/import/lists-hide-unfinished-import", test_lists_hide_unfinished_import);
  return g_test_run ();
}
