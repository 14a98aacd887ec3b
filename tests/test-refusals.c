/* test-refusals.c — every refusal of the store is a TOPOUT_STORE_ERROR with a
 * message, and leaves the database exactly as it was (rule 8). */
#include "topout-limits.h"
#include "topout-store-private.h"
#include "topout-test-util.h"

typedef struct {
  TopoutStore   *store;
  char          *path;
  TopoutClimber *ada;
  TopoutClimb   *crimp;
  TopoutSession *ended;      /* a finished session of Ada's */
  TopoutCompletion *logged;  /* a completion in it */
  char          *before;     /* dump taken by expect_refused() */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) s = NULL;

  f->store = topout_test_store_new ("2026-11-21T17:00:00Z", &f->path);
  f->ada = topout_test_add_climber (f->store, "Ada Lovelace", "M-0001");
  f->crimp = topout_test_add_climb (f->store, "c-1", "Crimp Cathedral", "V4");
  f->logged = topout_store_log_completion (f->store, topout_climber_get_id (f->ada), "c-1", 2, TRUE, "",
                                           NULL, &error);
  g_assert_no_error (error);
  g_assert_true (topout_store_end_session (f->store, topout_completion_get_session_id (f->logged), &error));
  f->ended = topout_store_get_session (f->store, topout_completion_get_session_id (f->logged), &error);
  g_assert_no_error (error);
  f->before = topout_test_dump_db (f->path);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->ada);
  g_clear_object (&f->crimp);
  g_clear_object (&f->ended);
  g_clear_object (&f->logged);
  g_clear_object (&f->store);
  g_clear_pointer (&f->path, g_free);
  g_clear_pointer (&f->before, g_free);
}

/* The refusal carried @code and a message, and nothing changed on disk. */
static void
assert_refused (Fixture    *f,
                GError     *error,
                int         code)
{
  g_autofree char *after = NULL;

  g_assert_error (error, TOPOUT_STORE_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 10);
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (f->before, ==, after);
}

static char *
repeat (const char *unit, guint n)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

#define ADA(f) topout_climber_get_id ((f)->ada)

static TopoutSession *
draft_for (Fixture *f)
{
  TopoutSession *draft = topout_session_new ();
  topout_session_set_climber_id (draft, ADA (f));
  return draft;
}

static void
test_second_active_session (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) first = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) draft = draft_for (f);
  g_autoptr (TopoutSession) second = NULL;
  g_autoptr (GError) error = NULL;

  g_free (f->before);
  f->before = topout_test_dump_db (f->path);
  second = topout_store_start_session (f->store, draft, &error);
  g_assert_null (second);
  assert_refused (f, error, TOPOUT_STORE_ERROR_ACTIVE_EXISTS);
}

static void
test_fourth_session (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutSession) draft = draft_for (f);
  g_autoptr (TopoutSession) fourth = NULL;
  g_autoptr (GError) error = NULL;

  for (int i = 0; i < 2; i++)
    {
      g_autoptr (TopoutSession) s = topout_test_start (f->store, ADA (f), TOPOUT_SESSION_TYPE_FUN);
      g_assert_true (topout_store_end_session (f->store, topout_session_get_id (s), NULL));
    }
  g_free (f->before);
  f->before = topout_test_dump_db (f->path);
  fourth = topout_store_start_session (f->store, draft, &error);
  g_assert_null (fourth);
  assert_refused (f, error, TOPOUT_STORE_ERROR_DAILY_CAP);
  g_assert_nonnull (strstr (error->message, "3"));
}

static void
test_attempts_out_of_range (Fixture *f, gconstpointer data)
{
  guint bad[] = { 0, TOPOUT_LIMIT_ATTEMPTS_MAX + 1, 100000 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TopoutCompletion) c = topout_store_log_completion (f->store, ADA (f), "c-1", bad[i], TRUE,
                                                                    NULL, NULL, &error);
      g_assert_null (c);
      assert_refused (f, error, TOPOUT_STORE_ERROR_INVALID_ATTEMPTS);
    }

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TopoutCompletion) edit = topout_completion_copy (f->logged);
    topout_completion_set_attempts (edit, 0);
    g_assert_false (topout_store_update_completion (f->store, edit, &error));
    assert_refused (f, error, TOPOUT_STORE_ERROR_INVALID_ATTEMPTS);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TopoutCompletion) draft = topout_completion_new ();
    g_autoptr (TopoutCompletion) c = NULL;
    topout_completion_set_climb_id (draft, "c-1");
    topout_completion_set_attempts (draft, 1000);
    c = topout_store_add_completion (f->store, topout_session_get_id (f->ended), draft, &error);
    g_assert_null (c);
    assert_refused (f, error, TOPOUT_STORE_ERROR_INVALID_ATTEMPTS);
  }
}

static void
test_bad_names (Fixture *f, gconstpointer data)
{
  g_autofree char *long_name = repeat ("é", TOPOUT_LIMIT_NAME_MAX + 1);
  g_autofree char *max_name = repeat ("é", TOPOUT_LIMIT_NAME_MAX);
  const char *bad[] = { "", "   ", long_name };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TopoutClimber) c = topout_store_add_climber (f->store, bad[i], NULL, &error);
      g_assert_null (c);
      assert_refused (f, error, TOPOUT_STORE_ERROR_INVALID_TEXT);
    }

  /* Session name: too long (blank means the automatic name, not an error). */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TopoutSession) edit = topout_session_copy (f->ended);
    topout_session_set_name (edit, long_name);
    g_assert_false (topout_store_update_session (f->store, edit, &error));
    assert_refused (f, error, TOPOUT_STORE_ERROR_INVALID_TEXT);
  }
  /* A custom session without its label, or with one too long. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TopoutSession) draft = draft_for (f);
      g_autoptr (TopoutSession) s = NULL;
      topout_session_set_session_type (draft, TOPOUT_SESSION_TYPE_CUSTOM);
      topout_session_set_custom_label (draft, i == 0 ? "" : long_name);
      s = topout_store_start_session (f->store, draft, &error);
      g_assert_null (s);
      assert_refused (f, error, TOPOUT_STORE_ERROR_INVALID_TEXT);
    }
  /* Not valid UTF-8. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TopoutClimber) c = topout_store_add_climber (f->store, "Ada \xff\xfe", NULL, &error);
    g_assert_null (c);
    assert_refused (f, error, TOPOUT_STORE_ERROR_INVALID_TEXT);
  }
  /* 120 characters (240 bytes) is fine: the limit counts characters. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TopoutClimber) c = topout_store_add_climber (f->store, max_name, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (c);
  }
}

static void
test_notes_too_long (Fixture *f, gconstpointer data)
{
  g_autofree char *notes = repeat ("x", TOPOUT_LIMIT_NOTES_MAX + 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutCompletion) c = NULL;
  g_autoptr (TopoutSession) edit = topout_session_copy (f->ended);

  c = topout_store_log_completion (f->store, ADA (f), "c-1", 1, TRUE, notes, NULL, &error);
  g_assert_null (c);
  assert_refused (f, error, TOPOUT_STORE_ERROR_INVALID_TEXT);
  /* A sentence ("The notes is too long" was not). */
  g_assert_cmpstr (error->message, ==, "The note is too long: at most 4000 characters.");
  g_clear_error (&error);

  topout_session_set_notes (edit, notes);
  g_assert_false (topout_store_update_session (f->store, edit, &error));
  assert_refused (f, error, TOPOUT_STORE_ERROR_INVALID_TEXT);
}

static void
test_unknown_climb_and_climber (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutCompletion) c = NULL;
  g_autoptr (TopoutSession) draft = topout_session_new ();
  g_autoptr (TopoutSession) s = NULL;

  c = topout_store_log_completion (f->store, ADA (f), "no-such-climb", 1, TRUE, NULL, NULL, &error);
  g_assert_null (c);
  assert_refused (f, error, TOPOUT_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-climb"));
  g_clear_error (&error);

  c = topout_store_log_completion (f->store, "no-such-climber", "c-1", 1, TRUE, NULL, NULL, &error);
  g_assert_null (c);
  assert_refused (f, error, TOPOUT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  topout_session_set_climber_id (draft, "nobody");
  s = topout_store_start_session (f->store, draft, &error);
  g_assert_null (s);
  assert_refused (f, error, TOPOUT_STORE_ERROR_NOT_FOUND);
}

static void
test_competition_without_pair (Fixture *f, gconstpointer data)
{
  const char *types[] = { NULL, "LEAGUE", "" };
  const char *ids[] = { NULL, NULL, "r3" };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TopoutSession) draft = draft_for (f);
      g_autoptr (TopoutSession) s = NULL;

      topout_session_set_session_type (draft, TOPOUT_SESSION_TYPE_COMPETITION);
      topout_session_set_competition_type (draft, types[i]);
      topout_session_set_competition_id (draft, ids[i]);
      s = topout_store_start_session (f->store, draft, &error);
      g_assert_null (s);
      assert_refused (f, error, TOPOUT_STORE_ERROR_COMPETITION_PAIR);
    }

  /* Nor by editing a finished session into a competition. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TopoutSession) edit = topout_session_copy (f->ended);
    topout_session_set_session_type (edit, TOPOUT_SESSION_TYPE_COMPETITION);
    g_assert_false (topout_store_update_session (f->store, edit, &error));
    assert_refused (f, error, TOPOUT_STORE_ERROR_COMPETITION_PAIR);
  }
}

static void
test_end_before_start (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) edit = topout_session_copy (f->ended);
  g_autoptr (TopoutSession) draft = draft_for (f);
  g_autoptr (TopoutSession) past = NULL;

  topout_session_set_ended_at (edit, topout_session_get_started_at (edit) - 1);
  g_assert_false (topout_store_update_session (f->store, edit, &error));
  assert_refused (f, error, TOPOUT_STORE_ERROR_END_BEFORE_START);
  g_clear_error (&error);
  /* No end at all, for a completed session (the server would refuse it
   * for ever: endTime is required but for a cancelled one). */
  topout_session_set_ended_at (edit, 0);
  g_assert_false (topout_store_update_session (f->store, edit, &error));
  assert_refused (f, error, TOPOUT_STORE_ERROR_END_BEFORE_START);
  g_clear_error (&error);

  topout_session_set_session_date (draft, "2026-11-10");
  topout_session_set_started_at (draft, topout_test_parse_time ("2026-11-10T18:00:00Z"));
  topout_session_set_ended_at (draft, topout_test_parse_time ("2026-11-10T17:00:00Z"));
  past = topout_store_create_past_session (f->store, draft, &error);
  g_assert_null (past);
  assert_refused (f, error, TOPOUT_STORE_ERROR_END_BEFORE_START);
}

static void
test_future_date (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) draft = draft_for (f);
  g_autoptr (TopoutSession) past = NULL;
  g_autoptr (TopoutSession) tomorrow = NULL;
  g_autoptr (TopoutSession) edit = topout_session_copy (f->ended);

  /* Today is 2026-11-21: tomorrow is tolerated, the day after is not. */
  topout_session_set_session_date (draft, "2026-11-23");
  topout_session_set_time_slot (draft, TOPOUT_TIME_SLOT_MORNING);
  past = topout_store_create_past_session (f->store, draft, &error);
  g_assert_null (past);
  assert_refused (f, error, TOPOUT_STORE_ERROR_FUTURE_DATE);
  g_clear_error (&error);

  topout_session_set_session_date (edit, "2027-01-01");
  g_assert_false (topout_store_update_session (f->store, edit, &error));
  assert_refused (f, error, TOPOUT_STORE_ERROR_FUTURE_DATE);
  g_clear_error (&error);

  /* The gym's zone decides what "today" is: in Auckland it is already the
   * 22nd, so the 23rd is tomorrow there. */
  topout_store_set_gym_timezone (f->store, "Pacific/Auckland");
  tomorrow = topout_store_create_past_session (f->store, draft, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tomorrow);
}

static void
test_bad_date (Fixture *f, gconstpointer data)
{
  const char *bad[] = { "21.11.2026", "2026-13-01", "2026-02-30", "", "2026-11-21x" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TopoutSession) edit = topout_session_copy (f->ended);
      topout_session_set_session_date (edit, bad[i]);
      g_assert_false (topout_store_update_session (f->store, edit, &error));
      assert_refused (f, error, TOPOUT_STORE_ERROR_INVALID_DATE);
    }
}

static void
test_duplicate_member_code_and_climb (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutClimber) c = topout_store_add_climber (f->store, "Someone Else", "M-0001", &error);
  g_autoptr (TopoutClimb) twin = topout_climb_new ("c-1", "Another", "V1", TOPOUT_GRADE_SYSTEM_V_SCALE);

  g_assert_null (c);
  assert_refused (f, error, TOPOUT_STORE_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "Ada Lovelace"));
  g_clear_error (&error);

  g_assert_false (topout_store_add_climb (f->store, twin, &error));
  assert_refused (f, error, TOPOUT_STORE_ERROR_DUPLICATE);
}

static void
test_stale_edit (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) mine = topout_session_copy (f->ended);
  g_autoptr (TopoutSession) theirs = topout_session_copy (f->ended);

  topout_session_set_notes (theirs, "the coach's edit");
  g_assert_true (topout_store_update_session (f->store, theirs, &error));
  g_free (f->before);
  f->before = topout_test_dump_db (f->path);

  topout_session_set_notes (mine, "an edit of the old version");
  g_assert_false (topout_store_update_session (f->store, mine, &error));
  assert_refused (f, error, TOPOUT_STORE_ERROR_STALE);
}

static void
test_invalid_state (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (topout_store_end_session (f->store, topout_session_get_id (f->ended), &error));
  assert_refused (f, error, TOPOUT_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (topout_store_retry_session (f->store, topout_session_get_id (f->ended), &error));
  assert_refused (f, error, TOPOUT_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (topout_store_merge_climbers (f->store, ADA (f), ADA (f), &error));
  assert_refused (f, error, TOPOUT_STORE_ERROR_INVALID_STATE);
}

static void
merge_refused_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  GError **error = data;

  g_assert_false (topout_store_merge_climbers_finish (TOPOUT_STORE (source), result, error));
}

/* The merge chooser offers only climbers on the list; the store refuses an
 * archived survivor (and a merged record, archived too) for every caller:
 * the sessions would move to a climber nobody can log for or find. */
static void
test_merge_into_archived (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) bo = topout_test_add_climber (f->store, "Bo Kim", NULL);
  g_autoptr (TopoutClimber) twin = topout_test_add_climber (f->store, "Ada L.", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) async_error = NULL;

  g_assert_true (topout_store_set_climber_archived (f->store, topout_climber_get_id (bo), TRUE, &error));
  g_assert_no_error (error);
  g_free (f->before);
  f->before = topout_test_dump_db (f->path);

  g_assert_false (topout_store_merge_climbers (f->store, topout_climber_get_id (bo), ADA (f), &error));
  assert_refused (f, error, TOPOUT_STORE_ERROR_ARCHIVED);
  g_assert_nonnull (strstr (error->message, "Bo Kim"));

  topout_store_merge_climbers_async (f->store, topout_climber_get_id (bo), ADA (f), merge_refused_cb, &async_error);
  while (async_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  assert_refused (f, async_error, TOPOUT_STORE_ERROR_ARCHIVED);

  /* A merged record is archived too: nothing merges into it. */
  g_clear_error (&error);
  g_assert_true (topout_store_merge_climbers (f->store, ADA (f), topout_climber_get_id (twin), &error));
  g_assert_no_error (error);
  {
    g_autoptr (TopoutClimber) cy = topout_test_add_climber (f->store, "Cy", NULL);

    g_free (f->before);
    f->before = topout_test_dump_db (f->path);
    g_assert_false (topout_store_merge_climbers (f->store, topout_climber_get_id (twin),
                                                 topout_climber_get_id (cy), &error));
    assert_refused (f, error, TOPOUT_STORE_ERROR_ARCHIVED);
  }
}

/* A merged record is an empty one, its sessions and member code with its
 * survivor: the Climbers page offers no Restore, and the store refuses it
 * for every caller (restored, it would be the person's second record on
 * the desk, with none of their sessions). */
static void
test_restore_merged (Fixture *f, gconstpointer data)
{
  g_autoptr (TopoutClimber) twin = topout_test_add_climber (f->store, "Ada L.", NULL);
  g_autoptr (TopoutClimber) gone = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (topout_store_merge_climbers (f->store, ADA (f), topout_climber_get_id (twin), &error));
  g_assert_no_error (error);
  g_free (f->before);
  f->before = topout_test_dump_db (f->path);

  g_assert_false (topout_store_set_climber_archived (f->store, topout_climber_get_id (twin), FALSE, &error));
  assert_refused (f, error, TOPOUT_STORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (error->message, ==, "Ada L. was merged into Ada Lovelace and cannot be restored.");
  g_clear_error (&error);

  gone = topout_store_get_climber (f->store, topout_climber_get_id (twin), &error);
  g_assert_no_error (error);
  g_assert_true (topout_climber_get_archived (gone));
  g_assert_cmpstr (topout_climber_get_merged_into (gone), ==, ADA (f));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/refusals/second-active-session", test_second_active_session);
  ADD ("/refusals/fourth-session-of-the-day", test_fourth_session);
  ADD ("/refusals/attempts-out-of-range", test_attempts_out_of_range);
  ADD ("/refusals/names-empty-long-or-not-text", test_bad_names);
  ADD ("/refusals/notes-too-long", test_notes_too_long);
  ADD ("/refusals/unknown-climb-and-climber", test_unknown_climb_and_climber);
  ADD ("/refusals/competition-without-pair", test_competition_without_pair);
  ADD ("/refusals/end-before-start", test_end_before_start);
  ADD ("/refusals/date-after-tomorrow", test_future_date);
  ADD ("/refusals/merge-into-archived", test_merge_into_archived);
  ADD ("/refusals/restore-merged", test_restore_merged);
  ADD ("/refusals/not-a-date", test_bad_date);
  ADD ("/refusals/duplicate-member-code-and-climb", test_duplicate_member_code_and_climb);
  ADD ("/refusals/stale-edit", test_stale_edit);
  ADD ("/refusals/invalid-state", test_invalid_state);
#undef ADD

  return g_test_run ();
}
