/* test-time.c — dates, times, time zones and the clock (SPEC rules 3a and 9,
 * the time slots of section 2) in a gym whose zone is not the system's (the
 * tests run with TZ=UTC), across changes to and from summer time; on real
 * SQLite files with the test clock. */
#include "topout-export.h"
#include "topout-limits.h"
#include "topout-store-private.h"
#include "topout-test-util.h"

typedef struct {
  TopoutStore   *store;
  char          *path;
  TopoutClimber *ada;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = topout_test_store_new ("2026-11-21T17:00:00Z", &f->path);
  f->ada = topout_test_add_climber (f->store, "Ada Lovelace", "M-0001");
  topout_store_set_gym_timezone (f->store, "Europe/Berlin");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->ada);
  g_clear_object (&f->store);
  g_clear_pointer (&f->path, g_free);
}

/* A past session of Ada on @date in @slot, started at @started (0: the
 * slot's start); NULL and @error when refused. */
static TopoutSession *
past_session (Fixture        *f,
              const char     *date,
              TopoutTimeSlot  slot,
              gint64          started,
              GError        **error)
{
  g_autoptr (TopoutSession) draft = topout_session_new ();

  topout_session_set_climber_id (draft, topout_climber_get_id (f->ada));
  topout_session_set_session_type (draft, TOPOUT_SESSION_TYPE_FUN);
  topout_session_set_session_date (draft, date);
  topout_session_set_time_slot (draft, slot);
  topout_session_set_started_at (draft, started);
  return topout_store_create_past_session (f->store, draft, error);
}

/* The same with an end too (0: none given). */
static TopoutSession *
past_session_until (Fixture        *f,
                    const char     *date,
                    TopoutTimeSlot  slot,
                    gint64          started,
                    gint64          ended,
                    GError        **error)
{
  g_autoptr (TopoutSession) draft = topout_session_new ();

  topout_session_set_climber_id (draft, topout_climber_get_id (f->ada));
  topout_session_set_session_type (draft, TOPOUT_SESSION_TYPE_FUN);
  topout_session_set_session_date (draft, date);
  topout_session_set_time_slot (draft, slot);
  topout_session_set_started_at (draft, started);
  topout_session_set_ended_at (draft, ended);
  return topout_store_create_past_session (f->store, draft, error);
}

static void
assert_date_allowed (Fixture    *f,
                     const char *date,
                     gboolean    allowed)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) s = past_session (f, date, TOPOUT_TIME_SLOT_MORNING, 0, &error);

  if (allowed)
    {
      g_assert_no_error (error);
      g_assert_nonnull (s);
      g_assert_true (topout_store_cancel_session (f->store, topout_session_get_id (s), NULL));
    }
  else
    {
      g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_FUTURE_DATE);
      g_assert_null (s);
    }
}

/* Rule 9's one day of tolerance is the next date on the gym's calendar, also
 * on the days summer time starts (23 hours) and ends (25 hours): not the date
 * 24 hours from now, which was the day after tomorrow late on 28 March and
 * today early on 25 October in Berlin. */
static void
test_future_tolerance_across_dst (Fixture       *f,
                                  gconstpointer  data)
{
  /* Saturday 28 March 2026, 23:30 in Berlin (CET); the night is an hour short. */
  topout_test_set_now ("2026-03-28T22:30:00Z");
  assert_date_allowed (f, "2026-03-29", TRUE);
  assert_date_allowed (f, "2026-03-30", FALSE);

  /* Sunday 25 October 2026, 00:30 in Berlin (CEST); the day is an hour long. */
  topout_test_set_now ("2026-10-24T22:30:00Z");
  assert_date_allowed (f, "2026-10-26", TRUE);
  assert_date_allowed (f, "2026-10-27", FALSE);

  /* A zone half an hour off the hour, a day's tolerance all the same. */
  topout_store_set_gym_timezone (f->store, "Asia/Kolkata");
  topout_test_set_now ("2026-11-21T18:29:00Z");  /* 23:59 on the 21st */
  assert_date_allowed (f, "2026-11-22", TRUE);
  assert_date_allowed (f, "2026-11-23", FALSE);
}

/* A past night session whose start is given in the early hours of its date
 * (SPEC §2: Night is 20–05) ends with that night, at 05:00 the same
 * morning; it ran 27 hours, to 05:00 the next day. A start in the evening
 * ends the next morning. */
static void
test_past_night_session_from_its_start (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) early = NULL;
  g_autoptr (TopoutSession) late = NULL;
  g_autoptr (TopoutSession) slot = NULL;

  /* 02:00 on 10 November in Berlin is 01:00 UTC. */
  early = past_session (f, "2026-11-10", TOPOUT_TIME_SLOT_NIGHT,
                        topout_test_parse_time ("2026-11-10T01:00:00Z"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_session_get_session_date (early), ==, "2026-11-10");
  g_assert_cmpint (topout_session_get_ended_at (early), ==, topout_test_parse_time ("2026-11-10T04:00:00Z"));

  late = past_session (f, "2026-11-11", TOPOUT_TIME_SLOT_NIGHT,
                       topout_test_parse_time ("2026-11-11T20:30:00Z"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_session_get_ended_at (late), ==, topout_test_parse_time ("2026-11-12T04:00:00Z"));

  /* No start given: the slot's, 20:00 to 05:00 the next morning, also
   * across the end of summer time (a night of ten hours). */
  slot = past_session (f, "2026-10-24", TOPOUT_TIME_SLOT_NIGHT, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_session_get_started_at (slot), ==, topout_test_parse_time ("2026-10-24T18:00:00Z"));
  g_assert_cmpint (topout_session_get_ended_at (slot), ==, topout_test_parse_time ("2026-10-25T04:00:00Z"));
}

/* Rule 3a after a clock that was ahead is set right (a kiosk without a
 * battery-backed clock, a wrong NTP answer): the session started then is
 * dated after today, and neither its idle time nor its closing time would
 * come for days, so it stayed on the wall and took every log of the
 * climber. It now ends (at its last log, or its start) and the next log
 * starts a session of today; it cannot be reopened until its date is put
 * right. A clock set back within the day ends nothing. */
static void
test_clock_set_back_ends_future_session (Fixture       *f,
                                         gconstpointer  data)
{
  const char *ada = topout_climber_get_id (f->ada);
  g_autoptr (TopoutSession) ahead = NULL;
  g_autoptr (TopoutSession) ended = NULL;
  g_autoptr (TopoutSession) same_day = NULL;
  g_autoptr (TopoutCompletion) c = NULL;
  g_autoptr (TopoutClimb) climb = topout_test_add_climb (f->store, "c-1", "Crimp Cathedral", "V4");
  g_autoptr (GError) error = NULL;
  TopoutLogOutcome outcome = TOPOUT_LOG_INTO_ACTIVE;

  /* The clock four days ahead: 18:00 on the 25th in Berlin. */
  topout_test_set_now ("2026-11-25T17:00:00Z");
  ahead = topout_test_start (f->store, ada, TOPOUT_SESSION_TYPE_FUN);
  g_assert_cmpstr (topout_session_get_session_date (ahead), ==, "2026-11-25");

  /* Set right: 18:10 on the 21st. The periodic check ends it. */
  topout_test_set_now ("2026-11-21T17:10:00Z");
  g_assert_cmpint (topout_store_end_forgotten_sessions (f->store, &error), ==, 1);
  g_assert_no_error (error);
  ended = topout_store_get_session (f->store, topout_session_get_id (ahead), &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_session_get_status (ended), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_ended_at (ended), ==, topout_session_get_started_at (ahead));
  g_assert_false (topout_store_reopen_session (f->store, topout_session_get_id (ended), &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* The next log is in a session of today. */
  c = topout_store_log_completion (f->store, ada, "c-1", 1, TRUE, NULL, &outcome, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, TOPOUT_LOG_STARTED_SESSION);
  g_assert_cmpstr (topout_completion_get_session_id (c), !=, topout_session_get_id (ahead));
  same_day = topout_store_get_active_session (f->store, ada);
  g_assert_cmpstr (topout_session_get_session_date (same_day), ==, "2026-11-21");

  /* Set back twenty minutes within the day: the session goes on. */
  topout_test_set_now ("2026-11-21T16:50:00Z");
  g_assert_cmpint (topout_store_end_forgotten_sessions (f->store, &error), ==, 0);
  g_assert_no_error (error);
}

/* Rule 3a with the gym closing after midnight, across the night summer time
 * begins (Berlin, 29 March 2026: 02:00 is 03:00) and a machine asleep over
 * the closing time: the session stays on its date and takes the logs after
 * midnight, the closing time that does not exist that night (02:30) ends it
 * at 03:00 all the same, at its last log; the next morning's log starts a
 * session of that date in its slot. */
static void
test_closing_after_midnight_across_dst (Fixture       *f,
                                        gconstpointer  data)
{
  const char *ada = topout_climber_get_id (f->ada);
  g_autoptr (TopoutClimb) climb = topout_test_add_climb (f->store, "c-1", "Crimp Cathedral", "V4");
  g_autoptr (TopoutSession) night = NULL;
  g_autoptr (TopoutSession) ended = NULL;
  g_autoptr (TopoutSession) morning = NULL;
  g_autoptr (TopoutCompletion) late = NULL;
  g_autoptr (TopoutCompletion) next = NULL;
  g_autoptr (GError) error = NULL;
  TopoutLogOutcome outcome = TOPOUT_LOG_INTO_ACTIVE;

  topout_store_set_closing_time (f->store, "02:30");
  topout_store_set_auto_end_idle_hours (f->store, 12);

  topout_test_set_now ("2026-03-28T21:00:00Z");  /* 22:00 CET on the 28th */
  night = topout_test_start (f->store, ada, TOPOUT_SESSION_TYPE_FUN);
  g_assert_cmpstr (topout_session_get_session_date (night), ==, "2026-03-28");
  g_assert_cmpint (topout_session_get_time_slot (night), ==, TOPOUT_TIME_SLOT_NIGHT);

  topout_test_set_now ("2026-03-28T23:45:00Z");  /* 00:45 CET on the 29th */
  late = topout_store_log_completion (f->store, ada, "c-1", 2, TRUE, NULL, &outcome, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, TOPOUT_LOG_INTO_ACTIVE);
  g_assert_cmpstr (topout_completion_get_session_id (late), ==, topout_session_get_id (night));

  /* 00:59 UTC is 01:59 CET, 01:00 UTC is 03:00 CEST: 02:30 did not exist. */
  topout_test_set_now ("2026-03-29T00:59:00Z");
  g_assert_cmpint (topout_store_end_forgotten_sessions (f->store, &error), ==, 0);
  topout_test_set_now ("2026-03-29T01:00:00Z");
  g_assert_cmpint (topout_store_end_forgotten_sessions (f->store, &error), ==, 1);
  g_assert_no_error (error);
  ended = topout_store_get_session (f->store, topout_session_get_id (night), &error);
  g_assert_cmpint (topout_session_get_status (ended), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_ended_at (ended), ==, topout_test_parse_time ("2026-03-28T23:45:00Z"));
  g_assert_cmpstr (topout_session_get_session_date (ended), ==, "2026-03-28");

  /* Asleep until 09:10 CEST: the first log starts the day's session. */
  topout_test_set_now ("2026-03-29T07:10:00Z");
  next = topout_store_log_completion (f->store, ada, "c-1", 1, TRUE, NULL, &outcome, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, TOPOUT_LOG_STARTED_SESSION);
  morning = topout_store_get_active_session (f->store, ada);
  g_assert_cmpstr (topout_session_get_session_date (morning), ==, "2026-03-29");
  g_assert_cmpint (topout_session_get_time_slot (morning), ==, TOPOUT_TIME_SLOT_MORNING);
}

/* Rule 9 holds for an imported session too: an export from a kiosk whose
 * clock was ahead brought a session dated four days ahead into History (on
 * top of it, its note not editable while dated in the future). The import
 * is now refused on that line, nothing written; the same file is taken
 * once the date has come (and a date of tomorrow always: a gym east of
 * this one is a day ahead before midnight here). */
static void
test_import_refuses_future_date (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *target_path = NULL;
  g_autoptr (TopoutStore) target = NULL;
  g_autofree char *export_path = topout_test_path ("future.jsonl");
  g_autoptr (GFile) file = g_file_new_for_path (export_path);
  g_autoptr (TopoutSession) ahead = NULL;
  g_autoptr (TopoutImportReport) problems = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  TopoutImportProblem *p;

  /* Logged while the clock was four days ahead, ended, exported. */
  topout_test_set_now ("2026-11-25T17:00:00Z");
  ahead = topout_test_start (f->store, topout_climber_get_id (f->ada), TOPOUT_SESSION_TYPE_FUN);
  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (ahead), &error));
  g_assert_no_error (error);
  g_assert_true (topout_store_export_to_file (f->store, TOPOUT_EXPORT_JSON, NULL, file,
                                              NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Imported on the 21st: refused on its line (the header is line 1). */
  topout_test_set_now ("2026-11-21T17:00:00Z");
  target = topout_test_store_new ("2026-11-21T17:00:00Z", &target_path);
  topout_store_set_gym_timezone (target, "Europe/Berlin");
  before = topout_test_dump_db (target_path);
  g_assert_null (topout_store_import_sessions (target, file, NULL, NULL, NULL, &problems, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_clear_error (&error);
  g_assert_cmpuint (problems->problems->len, ==, 1);
  p = g_ptr_array_index (problems->problems, 0);
  g_assert_cmpuint (p->line, ==, 2);
  g_assert_cmpstr (p->message, ==, "The session date 2026-11-25 is in the future.");
  after = topout_test_dump_db (target_path);
  g_assert_cmpstr (after, ==, before);

  /* On the 24th (Berlin), the 25th is tomorrow: taken. */
  topout_test_set_now ("2026-11-24T08:00:00Z");
  report = topout_store_import_sessions (target, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_added, ==, 1);
}

/* A past session's start given alone ends with its slot (SPEC §2): a start
 * typed at or after the slot's end (14:00 in the Morning slot, 08–11) was
 * saved ending when it started, no time at all. It is refused, saying why
 * and what to do, nothing written; so are a start and end given equal,
 * and a session without a slot given no times to take from it. A start
 * before the slot's end still ends with the slot. */
static void
test_past_session_start_after_its_slot (Fixture       *f,
                                        gconstpointer  data)
{
  g_autofree char *before = topout_test_dump_db (f->path);
  g_autofree char *after = NULL;
  g_autoptr (TopoutSession) ok = NULL;
  g_autoptr (TopoutSession) unset = NULL;
  g_autoptr (GError) error = NULL;
  TopoutSession *s;

  /* 14:00 and 11:00 in Berlin on 10 November are 13:00 and 10:00 UTC. */
  s = past_session (f, "2026-11-10", TOPOUT_TIME_SLOT_MORNING, topout_test_parse_time ("2026-11-10T13:00:00Z"), &error);
  g_assert_null (s);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_START);
  g_assert_cmpstr (error->message, ==,
                   "The Morning slot ends at 11:00, which is not after the start (14:00). "
                   "Type the end time, or choose the slot the session was in.");
  g_clear_error (&error);
  s = past_session (f, "2026-11-10", TOPOUT_TIME_SLOT_MORNING, topout_test_parse_time ("2026-11-10T10:00:00Z"), &error);
  g_assert_null (s);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_START);
  g_clear_error (&error);

  /* Given the same start and end: no time at all. */
  s = past_session_until (f, "2026-11-10", TOPOUT_TIME_SLOT_MORNING, topout_test_parse_time ("2026-11-10T09:00:00Z"),
                          topout_test_parse_time ("2026-11-10T09:00:00Z"), &error);
  g_assert_null (s);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_END_BEFORE_START);
  g_clear_error (&error);

  /* No slot: nothing to take a start or an end from. */
  s = past_session (f, "2026-11-10", TOPOUT_TIME_SLOT_UNSET, 0, &error);
  g_assert_null (s);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_START);
  g_clear_error (&error);
  s = past_session (f, "2026-11-10", TOPOUT_TIME_SLOT_UNSET, topout_test_parse_time ("2026-11-10T09:00:00Z"), &error);
  g_assert_null (s);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_START);
  g_clear_error (&error);

  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (after, ==, before);

  /* 10:30 in the Morning slot ends at 11:00; no slot, both times given. */
  ok = past_session (f, "2026-11-10", TOPOUT_TIME_SLOT_MORNING, topout_test_parse_time ("2026-11-10T09:30:00Z"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_session_get_ended_at (ok), ==, topout_test_parse_time ("2026-11-10T10:00:00Z"));
  unset = past_session_until (f, "2026-11-10", TOPOUT_TIME_SLOT_UNSET, topout_test_parse_time ("2026-11-10T13:00:00Z"),
                              topout_test_parse_time ("2026-11-10T14:00:00Z"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_session_get_time_slot (unset), ==, TOPOUT_TIME_SLOT_UNSET);
}

/* Dates typed (a session's, a climb's set-on, an import's): what is not a
 * calendar date is refused, also with a sign or a space where a digit
 * goes, which sscanf() read as numbers: "2026-+1-01" was stored as it
 * was typed, sorted apart from every other date (and never "after today"
 * for rule 9). Nothing is written. */
static void
test_nonsense_dates_refused (Fixture       *f,
                             gconstpointer  data)
{
  const char *bad[] = { "2026-02-31", "2026-13-01", "2026-00-10", "2026-+1-01", "+026-11-01", " 026-11-01",
                        "2026- 1-01", "2026-11-+1", "２０２６-11-01" };
  g_autofree char *before = topout_test_dump_db (f->path);
  g_autofree char *after = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TopoutSession) s = past_session (f, bad[i], TOPOUT_TIME_SLOT_MORNING, 0, &error);
      g_autoptr (TopoutClimb) climb = topout_climb_new ("c-9", "Slab", "V1", TOPOUT_GRADE_SYSTEM_V_SCALE);
      GDate parsed;

      g_test_message ("%s", bad[i]);
      g_assert_false (topout_date_parse (bad[i], &parsed));
      g_assert_null (s);
      g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_DATE);
      g_clear_error (&error);
      topout_climb_set_set_on (climb, bad[i]);
      g_assert_false (topout_store_add_climb (f->store, climb, &error));
      g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_DATE);
    }
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (after, ==, before);
}

/* Ada's past session from @from to @to (RFC 3339) on @date, moved to
 * @new_date with its times left as they were; the stored row after, NULL
 * and @error when refused. */
static TopoutSession *
move_session (Fixture     *f,
              const char  *date,
              const char  *from,
              const char  *to,
              const char  *new_date,
              GError     **error)
{
  g_autoptr (GError) created_error = NULL;
  g_autoptr (TopoutSession) s = past_session_until (f, date, TOPOUT_TIME_SLOT_NIGHT, topout_test_parse_time (from),
                                                    topout_test_parse_time (to), &created_error);
  g_autoptr (TopoutSession) edit = NULL;

  g_assert_no_error (created_error);
  edit = topout_session_copy (s);
  topout_session_set_session_date (edit, new_date);
  if (!topout_store_update_session (f->store, edit, error))
    return NULL;
  return topout_store_get_session (f->store, topout_session_get_id (s), error);
}

/* A session moved to another date keeps its times on the clock (the store
 * moves them when only the date is changed), and the store now does what
 * the editor does across a change of summer time: a time the clocks skip
 * on the new date is refused with the editor's message, nothing written
 * (GLib put 02:30 at 03:30 unasked); a time they read twice is the first
 * (a session from a night of winter time took the second, an hour late). */
static void
test_session_moved_across_dst (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) moved = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GDate day;
  gint64 at[2];

  /* 02:30–04:00 CET on Saturday 28 March; there is no 02:30 on the 29th. */
  before = topout_test_dump_db (f->path);
  moved = move_session (f, "2026-03-28", "2026-03-28T01:30:00Z", "2026-03-28T03:00:00Z", "2026-03-29", &error);
  g_assert_null (moved);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_START);
  g_assert_cmpstr (error->message, ==,
                   "There is no 02:30 on 2026-03-29: the clocks go forward from 02:00 to 03:00 that day.");
  g_clear_error (&error);
  /* The same for an end the clocks skip (00:30–02:15 on the 27th). */
  moved = move_session (f, "2026-03-27", "2026-03-26T23:30:00Z", "2026-03-27T01:15:00Z", "2026-03-29", &error);
  g_assert_null (moved);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_START);
  g_assert_cmpstr (error->message, ==,
                   "There is no 02:15 on 2026-03-29: the clocks go forward from 02:00 to 03:00 that day.");
  g_clear_error (&error);
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (strstr (after, "2026-03-29"), ==, NULL);
  g_assert_cmpstr (strstr (before, "2026-03-29"), ==, NULL);

  /* 02:30–04:00 CEST on 24 October to the 25th, which reads 02:30 twice:
   * the first, 00:30 UTC; 04:00 is CET by then. */
  moved = move_session (f, "2026-10-24", "2026-10-24T00:30:00Z", "2026-10-24T02:00:00Z", "2026-10-25", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_session_get_session_date (moved), ==, "2026-10-25");
  g_assert_cmpint (topout_session_get_started_at (moved), ==, topout_test_parse_time ("2026-10-25T00:30:00Z"));
  g_assert_cmpint (topout_session_get_ended_at (moved), ==, topout_test_parse_time ("2026-10-25T03:00:00Z"));
  g_clear_object (&moved);

  /* 02:30–04:00 CET on 26 October back to the 25th: the first 02:30 too. */
  moved = move_session (f, "2026-10-26", "2026-10-26T01:30:00Z", "2026-10-26T03:00:00Z", "2026-10-25", &error);
  g_assert_no_error (error);
  g_assert_cmpint (topout_session_get_started_at (moved), ==, topout_test_parse_time ("2026-10-25T00:30:00Z"));
  g_assert_cmpint (topout_session_get_ended_at (moved), ==, topout_test_parse_time ("2026-10-25T03:00:00Z"));

  /* The instants a reading of the clocks has, which the editor shares:
   * also where the time read twice is summer time first and winter time
   * second in tzdata's terms (Dublin), and where both are standard time
   * (Moscow went from +04 to +03 on 26 October 2014). */
  g_date_set_dmy (&day, 25, G_DATE_OCTOBER, 2026);
  {
    g_autoptr (GTimeZone) dublin = g_time_zone_new_identifier ("Europe/Dublin");
    g_autoptr (GTimeZone) moscow = g_time_zone_new_identifier ("Europe/Moscow");

    g_assert_nonnull (dublin);
    g_assert_nonnull (moscow);
    g_assert_cmpuint (topout_wall_clock_instants (dublin, &day, 90, at), ==, 2);
    g_assert_cmpint (at[0], ==, topout_test_parse_time ("2026-10-25T00:30:00Z"));
    g_assert_cmpint (at[1], ==, topout_test_parse_time ("2026-10-25T01:30:00Z"));
    g_date_set_dmy (&day, 26, G_DATE_OCTOBER, 2014);
    g_assert_cmpuint (topout_wall_clock_instants (moscow, &day, 90, at), ==, 2);
    g_assert_cmpint (at[0], ==, topout_test_parse_time ("2014-10-25T21:30:00Z"));
    g_assert_cmpint (at[1], ==, topout_test_parse_time ("2014-10-25T22:30:00Z"));
    g_assert_cmpuint (topout_wall_clock_instants (moscow, &day, 3 * 60, at), ==, 1);
    g_assert_cmpint (at[0], ==, topout_test_parse_time ("2014-10-26T00:00:00Z"));
    g_date_set_dmy (&day, 29, G_DATE_MARCH, 2026);
    g_assert_cmpuint (topout_wall_clock_instants (topout_store_get_time_zone (f->store), &day, 150, at), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/time/future-tolerance-across-dst", test_future_tolerance_across_dst);
  ADD ("/time/past-night-session-from-its-start", test_past_night_session_from_its_start);
  ADD ("/time/clock-set-back-ends-future-session", test_clock_set_back_ends_future_session);
  ADD ("/time/closing-after-midnight-across-dst", test_closing_after_midnight_across_dst);
  ADD ("/time/import-refuses-future-date", test_import_refuses_future_date);
  ADD ("/time/past-session-start-after-its-slot", test_past_session_start_after_its_slot);
  ADD ("/time/nonsense-dates-refused", test_nonsense_dates_refused);
  ADD ("/time/session-moved-across-dst", test_session_moved_across_dst);
#undef ADD

  return g_test_run ();
}
