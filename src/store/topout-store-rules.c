/* topout-store-rules.c — sessions and completions: the rules of SPEC section 3.
 *
 * Each public function validates its input before it opens a transaction,
 * then does every write of the change (session row, completions, counts,
 * scorecards) in that one transaction, and records the session before and
 * after for ::session-changed.
 */
#define G_LOG_DOMAIN "topout-store-rules"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "topout-limits.h"
#include "topout-scorecard-sql.h"
#include "topout-store-private.h"

/* Helpers ---------------------------------------------------------------- */

gboolean
topout_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

/* "{type label} · {date}" (the custom label for CUSTOM). */
char *
topout_session_auto_name (TopoutSessionType  type,
                          const char        *custom_label,
                          const char        *date)
{
  const char *label = (type == TOPOUT_SESSION_TYPE_CUSTOM && !topout_text_is_blank (custom_label))
                        ? custom_label : topout_session_type_get_label (type);

  /* Translators: an automatic session name, "Power · 2026-11-21" */
  return g_strdup_printf (_("%s · %s"), label, date);
}

gboolean
topout_session_name_is_automatic (TopoutSession *session)
{
  const char *name = topout_session_get_name (session);
  const char *date = topout_session_get_session_date (session);
  g_autofree char *automatic = NULL;
  g_autofree char *suffix = NULL;

  g_return_val_if_fail (TOPOUT_IS_SESSION (session), FALSE);

  if (topout_text_is_blank (name))
    return TRUE;
  automatic = topout_session_auto_name (topout_session_get_session_type (session),
                                        topout_session_get_custom_label (session), date);
  if (g_str_equal (name, automatic))
    return TRUE;
  if (date == NULL)
    return FALSE;
  suffix = g_strconcat (" · ", date, NULL);
  return strlen (name) > strlen (suffix) && g_str_has_suffix (name, suffix);
}

/* Where a session stands with sync after a change of its content. */
static TopoutSyncState
sync_state_after_change (TopoutSessionStatus status,
                         gboolean            is_demo,
                         gboolean            ever_sent,
                         gboolean            foreign)
{
  /* Another device's session (imported from its export) is that device's
   * to sync: from here the server would refuse it, or give its clientId
   * to this device's token. */
  if (is_demo || foreign || status == TOPOUT_SESSION_STATUS_ACTIVE)
    return TOPOUT_SYNC_STATE_LOCAL;
  if (status == TOPOUT_SESSION_STATUS_CANCELLED && !ever_sent)
    return TOPOUT_SYNC_STATE_LOCAL;  /* rule 7: never sent, never due */
  return TOPOUT_SYNC_STATE_PENDING;
}

/* Whether the server may hold this session: it has a server id, or it was
 * sent at least once (the answer may have been lost); *foreign: another
 * device recorded it. */
static gboolean
ever_sent (TopoutStore *self,
           const char  *session_id,
           gboolean    *foreign)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                    "SELECT server_id IS NOT NULL OR sent_revision > 0,"
                                                    " device_id IS NOT NULL FROM sessions WHERE id = ?1",
                                                    NULL);
  *foreign = FALSE;
  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  *foreign = sqlite3_column_int (stmt, 1);
  return sqlite3_column_int (stmt, 0);
}

/* After a change of content: revision + 1, updated now, queued for sync as
 * the session's state allows, retry bookkeeping cleared. */
static void
touch_session (TopoutStore   *self,
               TopoutSession *session)
{
  gboolean foreign;
  gboolean sent = ever_sent (self, topout_session_get_id (session), &foreign);

  topout_session_set_revision (session, topout_session_get_revision (session) + 1);
  topout_session_set_updated_at (session, topout_store_now (self));
  topout_session_set_sync_state (session,
                                 sync_state_after_change (topout_session_get_status (session),
                                                          topout_session_get_is_demo (session),
                                                          sent, foreign));
  topout_session_set_sync_attempts (session, 0);
  topout_session_set_next_attempt_at (session, 0);
  topout_session_set_last_error (session, NULL);
  topout_session_set_last_error_code (session, NULL);
}

/* Writes every column of @s that an edit may change. */
static gboolean
write_session (TopoutStore   *self,
               TopoutSession *s,
               GError       **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  int at_gym = topout_session_get_at_gym (s);

  stmt = _topout_store_stmt (self,
                             "UPDATE sessions SET climber_id = ?2, type = ?3, custom_label = ?4, name = ?5,"
                             " status = ?6, started_at = ?7, ended_at = ?8, session_date = ?9, time_slot = ?10,"
                             " is_retroactive = ?11, is_at_gym = ?12, is_competition = ?13,"
                             " competition_type = ?14, competition_id = ?15, notes = ?16, updated_at = ?17,"
                             " revision = ?18, sync_state = ?19, sync_attempts = ?20, next_attempt_at = ?21,"
                             " last_error = ?22, last_error_code = CASE WHEN ?22 IS NULL THEN NULL"
                             " ELSE last_error_code END WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, topout_session_get_id (s), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, topout_session_get_climber_id (s), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, topout_session_type_to_key (topout_session_get_session_type (s)), -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 4, topout_session_get_custom_label (s));
  sqlite3_bind_text (stmt, 5, topout_session_get_name (s), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, topout_session_status_to_key (topout_session_get_status (s)), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, topout_session_get_started_at (s));
  if (topout_session_get_ended_at (s) != 0)
    sqlite3_bind_int64 (stmt, 8, topout_session_get_ended_at (s));
  sqlite3_bind_text (stmt, 9, topout_session_get_session_date (s), -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 10, topout_time_slot_to_key (topout_session_get_time_slot (s)));
  sqlite3_bind_int (stmt, 11, topout_session_get_is_retroactive (s));
  if (at_gym >= 0)
    sqlite3_bind_int (stmt, 12, at_gym ? 1 : 0);
  sqlite3_bind_int (stmt, 13, topout_session_get_is_competition (s));
  bind_text_or_null (stmt, 14, topout_session_get_competition_type (s));
  bind_text_or_null (stmt, 15, topout_session_get_competition_id (s));
  sqlite3_bind_text (stmt, 16, topout_session_get_notes (s) ? topout_session_get_notes (s) : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 17, topout_session_get_updated_at (s));
  sqlite3_bind_int64 (stmt, 18, topout_session_get_revision (s));
  sqlite3_bind_text (stmt, 19, topout_sync_state_to_key (topout_session_get_sync_state (s)), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 20, topout_session_get_sync_attempts (s));
  sqlite3_bind_int64 (stmt, 21, topout_session_get_next_attempt_at (s));
  bind_text_or_null (stmt, 22, topout_session_get_last_error (s));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (_topout_store_get_db (self)) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_ACTIVE_EXISTS,
                     _("This climber already has an active session. End it first."));
      else
        _topout_store_set_error (self, error, "write session");
      return FALSE;
    }
  return TRUE;
}

/* Re-reads @session_id and records the change from @before. */
static gboolean
note_session (TopoutStore   *self,
              TopoutSession *before,
              const char    *session_id,
              GError       **error)
{
  g_autoptr (TopoutSession) after = _topout_store_load_session (self, session_id, error);

  if (after == NULL)
    return FALSE;
  _topout_store_note_change (self, before, after);
  return TRUE;
}

static gboolean
recompute_for_session (TopoutStore   *self,
                       TopoutSession *session,
                       GError       **error)
{
  if (!topout_session_get_is_competition (session))
    return TRUE;
  return _topout_store_recompute_scorecard (self,
                                            topout_session_get_competition_type (session),
                                            topout_session_get_competition_id (session),
                                            topout_session_get_climber_id (session),
                                            error);
}

/* Sessions of @climber_id on @date that count towards the daily cap: not
 * those of an unfinished import, the climber's only once it is whole (rule
 * 3 never puts a tap into one: a refused import takes it out again). */
static int
count_sessions_on (TopoutStore *self,
                   const char  *climber_id,
                   const char  *date,
                   const char  *except_id)
{
  g_autoptr (TopoutStmt) stmt = NULL;

#define COUNT_ON \
  "SELECT count (*) FROM sessions s WHERE s.climber_id = ?1" \
  " AND s.session_date = ?2 AND s.status != 'CANCELLED' AND s.id IS NOT ?3 AND" TOPOUT_NOT_IN_IMPORT ("s.id", "session")
  stmt = _topout_store_stmt (self, COUNT_ON, NULL);
#undef COUNT_ON
  if (stmt == NULL)
    return G_MAXINT;
  sqlite3_bind_text (stmt, 1, climber_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, date, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, except_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return G_MAXINT;
  return sqlite3_column_int (stmt, 0);
}

static gboolean
check_daily_cap (TopoutStore *self,
                 const char  *climber_id,
                 const char  *date,
                 const char  *except_id,
                 GError     **error)
{
  guint cap = topout_store_get_max_sessions_per_day (self);

  if ((guint) count_sessions_on (self, climber_id, date, except_id) >= cap)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DAILY_CAP,
                   g_dngettext (GETTEXT_PACKAGE,
                                "This climber already has %u session on %s, the most allowed per day.",
                                "This climber already has %u sessions on %s, the most allowed per day.",
                                cap),
                   cap, date);
      return FALSE;
    }
  return TRUE;
}

/* A climber that sessions may be logged for: exists, not archived. */
static gboolean
check_climber (TopoutStore *self,
               const char  *climber_id,
               GError     **error)
{
  g_autoptr (TopoutClimber) climber = topout_store_get_climber (self, climber_id, error);

  if (climber == NULL)
    return FALSE;
  if (topout_climber_get_archived (climber))
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_ARCHIVED,
                   _("%s is archived. Restore the climber before logging sessions."),
                   topout_climber_get_display_name (climber));
      return FALSE;
    }
  return TRUE;
}

/* Rule 9: a session date after tomorrow (a wrong clock's tolerance) is refused.
 * Tomorrow on the gym's calendar: the day after a change to or from summer
 * time is 23 or 25 hours away, not 24. */
gboolean
_topout_store_check_not_future (TopoutStore *self,
                                const char  *date,
                                GError     **error)
{
  g_autofree char *latest = topout_store_date_of (self, topout_store_add_days (self, topout_store_now (self),
                                                                               TOPOUT_FUTURE_DATE_TOLERANCE_DAYS));

  if (!_topout_check_date (date, error))
    return FALSE;
  if (g_strcmp0 (date, latest) > 0)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_FUTURE_DATE,
                   _("The session date %s is in the future."), date);
      return FALSE;
    }
  return TRUE;
}

/* @text without the spaces of any kind (a non-breaking one too) at its ends. */
static char *
strip_spaces (const char *text)
{
  const char *start = text;
  const char *end;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, end - start);
}

/* The competition pair of a COMPETITION session, as the store keeps it:
 * without the spaces at its ends ("LEAGUE " is "LEAGUE": a space typed at
 * the desk or left in an imported file never splits a competition in two),
 * both present and within the limits. */
gboolean
_topout_store_normalize_competition_pair (TopoutSession *session,
                                          GError       **error)
{
  g_autofree char *ctype = strip_spaces (topout_session_get_competition_type (session));
  g_autofree char *cid = strip_spaces (topout_session_get_competition_id (session));

  topout_session_set_competition_type (session, ctype);
  topout_session_set_competition_id (session, cid);
  if (topout_text_is_blank (ctype) || topout_text_is_blank (cid))
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_COMPETITION_PAIR,
                   _("A competition session needs both the competition type and the competition id."));
      return FALSE;
    }
  return _topout_check_text (ctype, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, _("The competition type"), error) &&
         _topout_check_text (cid, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, _("The competition id"), error);
}

/* Checks the fields of a session a user can type, normalising them in
 * @session: blank custom label and pair cleared where they do not belong,
 * is-competition from the type, a blank name auto-filled. */
static gboolean
check_session_fields (TopoutStore   *self,
                      TopoutSession *session,
                      GError       **error)
{
  TopoutSessionType type = topout_session_get_session_type (session);
  const char *name = topout_session_get_name (session);
  gint64 started = topout_session_get_started_at (session);
  gint64 ended = topout_session_get_ended_at (session);

  if (type == TOPOUT_SESSION_TYPE_CUSTOM)
    {
      if (!_topout_check_text (topout_session_get_custom_label (session), TOPOUT_LIMIT_NAME_MIN,
                               TOPOUT_LIMIT_NAME_MAX, _("The label of a custom session"), error))
        return FALSE;
    }
  else
    topout_session_set_custom_label (session, NULL);

  if (type == TOPOUT_SESSION_TYPE_COMPETITION)
    {
      if (!_topout_store_normalize_competition_pair (session, error))
        return FALSE;
      topout_session_set_is_competition (session, TRUE);
    }
  else
    {
      topout_session_set_is_competition (session, FALSE);
      topout_session_set_competition_type (session, NULL);
      topout_session_set_competition_id (session, NULL);
    }

  if (!topout_text_is_blank (name) &&
      !_topout_check_text (name, TOPOUT_LIMIT_NAME_MIN, TOPOUT_LIMIT_NAME_MAX, _("The session name"), error))
    return FALSE;
  if (!_topout_check_text (topout_session_get_notes (session), 0, TOPOUT_LIMIT_NOTES_MAX, _("The note"), error))
    return FALSE;
  if (ended != 0 && ended < started)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_END_BEFORE_START,
                   _("A session cannot end before it starts."));
      return FALSE;
    }
  if (!_topout_store_check_not_future (self, topout_session_get_session_date (session), error))
    return FALSE;

  if (topout_text_is_blank (name))
    {
      g_autofree char *fill = topout_session_auto_name (type, topout_session_get_custom_label (session),
                                         topout_session_get_session_date (session));
      topout_session_set_name (session, fill);
    }
  return TRUE;
}

/* A session dated after today started while the clock was ahead: set right
 * again, its idle time and its closing time would not come for days, and
 * every log of the climber would go into it (rule 9: no date after today). */
static gboolean
dated_after_today (TopoutSession *s,
                   const char    *today)
{
  return g_strcmp0 (topout_session_get_session_date (s), today) > 0;
}

/* Rule 3a for one climber (or all, @climber_id NULL): ends active sessions idle
 * too long, open past the closing time or dated after today, inside the
 * caller's transaction. */
static int
end_forgotten (TopoutStore *self,
               const char  *climber_id,
               GError     **error)
{
  g_autoptr (GPtrArray) forgotten = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 now = topout_store_now (self);
  gint64 idle = (gint64) topout_store_get_auto_end_idle_hours (self) * 3600 * G_USEC_PER_SEC;
  g_autofree char *today = topout_store_date_of (self, now);

  {
    g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                      "SELECT " TOPOUT_SESSION_COLUMNS " FROM " TOPOUT_SESSION_FROM
                                                      " WHERE s.status = 'ACTIVE' AND (?1 IS NULL OR s.climber_id = ?1)",
                                                      error);
    if (stmt == NULL)
      return -1;
    bind_text_or_null (stmt, 1, climber_id);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_autoptr (TopoutSession) s = _topout_store_read_session (stmt);
        gint64 last = MAX (topout_session_get_last_logged_at (s), topout_session_get_started_at (s));

        if (now >= last + idle || now >= _topout_store_next_closing (self, topout_session_get_started_at (s)) ||
            dated_after_today (s, today))
          g_ptr_array_add (forgotten, g_steal_pointer (&s));
      }
  }

  for (guint i = 0; i < forgotten->len; i++)
    {
      TopoutSession *before = g_ptr_array_index (forgotten, i);
      g_autoptr (TopoutSession) s = topout_session_copy (before);

      topout_session_set_status (s, TOPOUT_SESSION_STATUS_COMPLETED);
      topout_session_set_ended_at (s, MAX (topout_session_get_last_logged_at (s), topout_session_get_started_at (s)));
      touch_session (self, s);
      if (!write_session (self, s, error) ||
          !note_session (self, before, topout_session_get_id (s), error))
        return -1;
      g_debug ("Ended forgotten session %s", topout_session_get_id (s));
    }
  return forgotten->len;
}

int
topout_store_end_forgotten_sessions (TopoutStore *self,
                                     GError     **error)
{
  int n;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), -1);

  if (!_topout_store_begin (self, error))
    return -1;
  n = end_forgotten (self, NULL, error);
  if (n < 0 || !_topout_store_commit (self, error))
    {
      _topout_store_rollback (self);
      return -1;
    }
  return n;
}

/* Ends @climber_id's active session when it belongs to an earlier day (a stale
 * session is never logged into). "Today" is the gym's business day: a session
 * that runs past midnight in a gym open until 02:00 stays the same session
 * (rule 9). TRUE and *ended when it did. */
static gboolean
end_stale (TopoutStore *self,
           const char  *climber_id,
           gboolean    *ended,
           GError     **error)
{
  g_autoptr (TopoutSession) active = topout_store_get_active_session (self, climber_id);
  g_autofree char *today = _topout_store_business_date (self, topout_store_now (self));
  g_autoptr (TopoutSession) s = NULL;

  *ended = FALSE;
  if (active == NULL || g_strcmp0 (topout_session_get_session_date (active), today) >= 0)
    return TRUE;

  s = topout_session_copy (active);
  topout_session_set_status (s, TOPOUT_SESSION_STATUS_COMPLETED);
  topout_session_set_ended_at (s, MAX (topout_session_get_last_logged_at (s), topout_session_get_started_at (s)));
  touch_session (self, s);
  if (!write_session (self, s, error) ||
      !note_session (self, active, topout_session_get_id (s), error))
    return FALSE;
  *ended = TRUE;
  return TRUE;
}

/* Inserts a new live session for @climber_id from @draft's fields;
 * @past_cap: even with the day's cap reached (a tap, rule 3). */
static TopoutSession *
insert_live_session (TopoutStore   *self,
                     TopoutSession *draft,
                     gboolean       past_cap,
                     GError       **error)
{
  g_autoptr (TopoutSession) s = topout_session_copy (draft);
  g_autofree char *id = g_uuid_string_random ();
  gint64 now = topout_store_now (self);
  g_autofree char *today = topout_store_date_of (self, now);

  topout_session_set_id (s, id);
  topout_session_set_server_id (s, NULL);
  topout_session_set_status (s, TOPOUT_SESSION_STATUS_ACTIVE);
  topout_session_set_started_at (s, now);
  topout_session_set_ended_at (s, 0);
  topout_session_set_session_date (s, today);
  if (topout_session_get_time_slot (s) == TOPOUT_TIME_SLOT_UNSET)
    topout_session_set_time_slot (s, _topout_store_slot_of (self, now));
  topout_session_set_is_retroactive (s, FALSE);
  topout_session_set_created_at (s, now);
  topout_session_set_updated_at (s, now);
  topout_session_set_revision (s, 1);
  /* SPEC rule 11: nothing in a demo database is synced, what is made
   * in it afterwards neither (a staff member trying the kiosk out). */
  topout_session_set_is_demo (s, topout_store_is_demo (self));
  topout_session_set_sync_state (s, TOPOUT_SYNC_STATE_LOCAL);
  topout_session_set_sync_attempts (s, 0);
  topout_session_set_next_attempt_at (s, 0);
  topout_session_set_last_error (s, NULL);
  topout_session_set_last_error_code (s, NULL);
  topout_session_set_server_revision (s, 0);

  if (!check_session_fields (self, s, error) ||
      (!past_cap && !check_daily_cap (self, topout_session_get_climber_id (s), today, NULL, error)) ||
      !_topout_store_insert_session_row (self, s, error))
    return NULL;
  if (!note_session (self, NULL, id, error))
    return NULL;
  return _topout_store_load_session (self, id, error);
}

/* Sessions ----------------------------------------------------------------- */

TopoutSession *
topout_store_start_session (TopoutStore    *self,
                            TopoutSession  *draft,
                            GError        **error)
{
  g_autoptr (TopoutSession) active = NULL;
  g_autoptr (TopoutSession) checked = NULL;
  g_autoptr (TopoutSession) result = NULL;
  const char *climber_id;
  gboolean ended;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  g_return_val_if_fail (TOPOUT_IS_SESSION (draft), NULL);

  climber_id = topout_session_get_climber_id (draft);
  if (!check_climber (self, climber_id, error))
    return NULL;

  /* Refuse bad input before touching anything. */
  checked = topout_session_copy (draft);
  {
    g_autofree char *today = topout_store_today (self);
    topout_session_set_session_date (checked, today);
    topout_session_set_started_at (checked, topout_store_now (self));
    topout_session_set_ended_at (checked, 0);
    if (!check_session_fields (self, checked, error))
      return NULL;
  }

  if (!_topout_store_begin (self, error))
    return NULL;
  if (end_forgotten (self, climber_id, error) < 0 ||
      !end_stale (self, climber_id, &ended, error))
    goto fail;

  active = topout_store_get_active_session (self, climber_id);
  if (active != NULL)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_ACTIVE_EXISTS,
                   _("%s already has an active session (%s). End it before starting another."),
                   topout_session_get_climber_name (active), topout_session_get_name (active));
      goto fail;
    }

  result = insert_live_session (self, draft, FALSE, error);
  if (result == NULL || !_topout_store_commit (self, error))
    goto fail;
  return g_steal_pointer (&result);

fail:
  _topout_store_rollback (self);
  return NULL;
}

/* A date changed with the start left as it was: the start and end move
 * with it by whole days, as the editor moves them: the same reading of the
 * clocks, the first when they read it twice. One the clocks skip on the
 * new date is refused with the editor's message, not moved past the jump:
 * the coach knows when the session ran, the store does not. */
static gboolean
follow_date (TopoutStore    *self,
             TopoutSession  *before,
             TopoutSession  *after,
             GError        **error)
{
  const char *dates[2] = { topout_session_get_session_date (before), topout_session_get_session_date (after) };
  GDate day[2];
  gint64 started, ended;
  int days;

  if (topout_session_get_started_at (after) != topout_session_get_started_at (before) ||
      g_strcmp0 (dates[0], dates[1]) == 0)
    return TRUE;
  /* A bad date is refused by check_session_fields() after this. */
  for (guint i = 0; i < 2; i++)
    if (!topout_date_parse (dates[i], &day[i]))
      return TRUE;
  days = g_date_days_between (&day[0], &day[1]);
  if (!topout_store_move_days (self, topout_session_get_started_at (after), days, &started, error))
    return FALSE;
  if (topout_session_get_ended_at (after) == topout_session_get_ended_at (before))
    {
      if (!topout_store_move_days (self, topout_session_get_ended_at (after), days, &ended, error))
        return FALSE;
      topout_session_set_ended_at (after, ended);
    }
  topout_session_set_started_at (after, started);
  return TRUE;
}

/* An edited start: a session still on the wall cannot start later than
 * now (its elapsed time and rule 3a count from it), and a start that was
 * moved, or a date that was changed, keeps the start on the session's date
 * (rule 9: the date is the day the session started). @before: the stored
 * row, NULL for a new one. Rows left as they are are not checked again, so
 * a change of the gym's time zone never blocks the edit of an old
 * session's note. */
#define START_CLOCK_TOLERANCE_USEC ((gint64) 60 * G_USEC_PER_SEC) /* the editor's minute rounding */

static gboolean
check_start (TopoutStore   *self,
             TopoutSession *before,
             TopoutSession *after,
             GError       **error)
{
  gint64 started = topout_session_get_started_at (after);
  g_autofree char *start_date = NULL;

  if (topout_session_get_status (after) == TOPOUT_SESSION_STATUS_ACTIVE &&
      started > topout_store_now (self) + START_CLOCK_TOLERANCE_USEC)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_START,
                   _("A session that is still going cannot start later than now."));
      return FALSE;
    }
  if (before != NULL && started == topout_session_get_started_at (before) &&
      g_strcmp0 (topout_session_get_session_date (after), topout_session_get_session_date (before)) == 0)
    return TRUE;
  start_date = topout_store_date_of (self, started);
  if (g_strcmp0 (start_date, topout_session_get_session_date (after)) != 0)
    {
      /* Translators: %s is the session's date, 2026-11-21 */
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_START,
                   _("The start is not on the session’s date (%s)."),
                   topout_session_get_session_date (after));
      return FALSE;
    }
  return TRUE;
}

/* A past session's start and end: each one given, or its slot's (SPEC §2).
 * A start given alone ends when its slot does, which must be after it (a
 * start typed after the slot's end was saved lasting no time at all); a
 * session without a slot takes no times from it; a past session ends
 * after it starts. @start, @end: the slot's bounds on the session's date. */
static gboolean
check_past_times (TopoutStore   *self,
                  TopoutSession *s,
                  gint64         start,
                  gint64         end,
                  GError       **error)
{
  TopoutTimeSlot slot = topout_session_get_time_slot (s);
  gint64 started = topout_session_get_started_at (s);
  gint64 ended = topout_session_get_ended_at (s);

  if (!topout_time_slot_get_hours (slot, NULL, NULL) && (started == 0 || ended == 0))
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_START,
                   _("Type the start and end times, or choose a time slot to take them from."));
      return FALSE;
    }
  if (started == 0)
    {
      started = start;
      topout_session_set_started_at (s, started);
    }
  else if (started < topout_store_add_days (self, end, -1))
    /* The night slot spans midnight: a start given in the date's early
     * hours is in the night that ends that morning, not the next one. */
    end = topout_store_add_days (self, end, -1);
  if (ended == 0)
    {
      if (end <= started)
        {
          g_autoptr (GDateTime) utc_end = g_date_time_new_from_unix_utc (end / G_USEC_PER_SEC);
          g_autoptr (GDateTime) utc_start = g_date_time_new_from_unix_utc (started / G_USEC_PER_SEC);
          g_autoptr (GDateTime) local_end = g_date_time_to_timezone (utc_end, topout_store_get_time_zone (self));
          g_autoptr (GDateTime) local_start = g_date_time_to_timezone (utc_start, topout_store_get_time_zone (self));
          g_autofree char *end_text = g_date_time_format (local_end, "%H:%M");
          g_autofree char *start_text = g_date_time_format (local_start, "%H:%M");

          g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_START,
                       /* Translators: "The Morning slot ends at 11:00, which is not after the
                        * start (14:00)…": the slot's name, its end, the session's start */
                       _("The %s slot ends at %s, which is not after the start (%s). "
                         "Type the end time, or choose the slot the session was in."),
                       topout_time_slot_get_label (slot), end_text, start_text);
          return FALSE;
        }
      ended = end;
      topout_session_set_ended_at (s, ended);
    }
  if (ended == started)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_END_BEFORE_START,
                   _("A session cannot end at the time it starts. Type a later end time."));
      return FALSE;
    }
  return TRUE;
}

TopoutSession *
topout_store_create_past_session (TopoutStore   *self,
                                  TopoutSession *draft,
                                  GError       **error)
{
  g_autoptr (TopoutSession) s = NULL;
  g_autofree char *id = NULL;
  gint64 start = 0, end = 0, now;
  const char *date;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  g_return_val_if_fail (TOPOUT_IS_SESSION (draft), NULL);

  if (!check_climber (self, topout_session_get_climber_id (draft), error))
    return NULL;

  s = topout_session_copy (draft);
  date = topout_session_get_session_date (s);
  if (!_topout_store_check_not_future (self, date, error))
    return NULL;
  if (!_topout_store_slot_bounds (self, date, topout_session_get_time_slot (s), &start, &end))
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_DATE,
                   _("“%s” is not a date; use the form 2026-11-21."), date ? date : "");
      return NULL;
    }
  if (!check_past_times (self, s, start, end, error))
    return NULL;

  now = topout_store_now (self);
  id = g_uuid_string_random ();
  topout_session_set_id (s, id);
  topout_session_set_server_id (s, NULL);
  topout_session_set_status (s, TOPOUT_SESSION_STATUS_COMPLETED);
  topout_session_set_is_retroactive (s, TRUE);
  topout_session_set_created_at (s, now);
  topout_session_set_updated_at (s, now);
  topout_session_set_revision (s, 1);
  /* SPEC rule 11: nothing in a demo database is synced, what is made
   * in it afterwards neither (a staff member trying the kiosk out). */
  topout_session_set_is_demo (s, topout_store_is_demo (self));
  topout_session_set_sync_state (s, topout_session_get_is_demo (s) ? TOPOUT_SYNC_STATE_LOCAL
                                                                   : TOPOUT_SYNC_STATE_PENDING);
  topout_session_set_sync_attempts (s, 0);
  topout_session_set_next_attempt_at (s, 0);
  topout_session_set_last_error (s, NULL);
  topout_session_set_last_error_code (s, NULL);
  topout_session_set_server_revision (s, 0);
  if (!check_session_fields (self, s, error) ||
      !check_start (self, NULL, s, error))
    return NULL;

  if (!_topout_store_begin (self, error))
    return NULL;
  if (!check_daily_cap (self, topout_session_get_climber_id (s), date, NULL, error) ||
      !_topout_store_insert_session_row (self, s, error) ||
      !note_session (self, NULL, id, error) ||
      !_topout_store_commit (self, error))
    {
      _topout_store_rollback (self);
      return NULL;
    }
  return _topout_store_load_session (self, id, error);
}

/* Copies the session's competition pair onto its completions. */
static gboolean
copy_pair_to_completions (TopoutStore   *self,
                          TopoutSession *s,
                          GError       **error)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                    "UPDATE completions SET is_competition = ?2,"
                                                    " competition_type = ?3, competition_id = ?4"
                                                    " WHERE session_id = ?1",
                                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, topout_session_get_id (s), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, topout_session_get_is_competition (s));
  bind_text_or_null (stmt, 3, topout_session_get_competition_type (s));
  bind_text_or_null (stmt, 4, topout_session_get_competition_id (s));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "copy competition pair");
      return FALSE;
    }
  return TRUE;
}

static gboolean recount_session (TopoutStore *self,
                                 const char  *session_id,
                                 GError     **error);

/* A session moved to another day takes its routes with it: their log
 * times move by as much as its start (whole days, as the editor moves it),
 * so the session's last log, and every end computed from it, stays inside
 * the session. Within one day the log times stay as they were logged. */
static gboolean
shift_log_times (TopoutStore   *self,
                 TopoutSession *before,
                 TopoutSession *after,
                 GError       **error)
{
  gint64 delta = topout_session_get_started_at (after) - topout_session_get_started_at (before);
  g_autoptr (TopoutStmt) stmt = NULL;

  if (g_strcmp0 (topout_session_get_session_date (after), topout_session_get_session_date (before)) == 0 ||
      delta == 0)
    return TRUE;
  stmt = _topout_store_stmt (self,
                             "UPDATE completions SET logged_at = logged_at + ?2, updated_at = ?3"
                             " WHERE session_id = ?1 AND logged_at != 0",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, topout_session_get_id (after), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, delta);
  sqlite3_bind_int64 (stmt, 3, topout_session_get_updated_at (after));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "shift log times");
      return FALSE;
    }
  return recount_session (self, topout_session_get_id (after), error);
}

gboolean
topout_store_update_session (TopoutStore    *self,
                             TopoutSession  *session,
                             GError        **error)
{
  g_autoptr (TopoutSession) before = NULL;
  g_autoptr (TopoutSession) s = NULL;
  const char *id;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (TOPOUT_IS_SESSION (session), FALSE);

  id = topout_session_get_id (session);
  /* Read, checked and written in one transaction: the desk or a sync in
   * another process may change the session in between otherwise, and the
   * copy read would be written back over it. */
  if (!_topout_store_begin (self, error))
    return FALSE;
  if (!(before = _topout_store_load_session (self, id, error)))
    goto fail;
  if (topout_session_get_revision (before) != topout_session_get_revision (session))
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_STALE,
                   _("This session was changed elsewhere since it was opened. Open it again to edit it."));
      goto fail;
    }

  /* Start from the stored row; take only what an editor may change. */
  s = topout_session_copy (before);
  topout_session_set_session_type (s, topout_session_get_session_type (session));
  topout_session_set_custom_label (s, topout_session_get_custom_label (session));
  topout_session_set_name (s, topout_session_get_name (session));
  topout_session_set_session_date (s, topout_session_get_session_date (session));
  topout_session_set_time_slot (s, topout_session_get_time_slot (session));
  topout_session_set_started_at (s, topout_session_get_started_at (session));
  topout_session_set_ended_at (s, topout_session_get_status (before) == TOPOUT_SESSION_STATUS_ACTIVE
                                    ? 0 : topout_session_get_ended_at (session));
  topout_session_set_at_gym (s, topout_session_get_at_gym (session));
  topout_session_set_notes (s, topout_session_get_notes (session));
  topout_session_set_competition_type (s, topout_session_get_competition_type (session));
  topout_session_set_competition_id (s, topout_session_get_competition_id (session));

  /* An automatic name follows the type and date it was made from. */
  if (topout_session_name_is_automatic (before) &&
      g_strcmp0 (topout_session_get_name (s), topout_session_get_name (before)) == 0)
    topout_session_set_name (s, NULL);

  if (!follow_date (self, before, s, error) ||
      !check_session_fields (self, s, error) ||
      !check_start (self, before, s, error))
    goto fail;
  /* A completed session has an end (the contract's endTime: a server
   * refuses one without it, and it would stay REJECTED); only a cancelled
   * one may have none. */
  if (topout_session_get_status (before) == TOPOUT_SESSION_STATUS_COMPLETED && topout_session_get_ended_at (s) == 0)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_END_BEFORE_START,
                   _("A finished session needs an end time. Type when it ended."));
      goto fail;
    }

  /* Rule 2 holds for a session moved to another day too. */
  if (g_strcmp0 (topout_session_get_session_date (s), topout_session_get_session_date (before)) != 0 &&
      topout_session_get_status (s) != TOPOUT_SESSION_STATUS_CANCELLED &&
      !check_daily_cap (self, topout_session_get_climber_id (s), topout_session_get_session_date (s), id, error))
    goto fail;
  touch_session (self, s);
  if (!write_session (self, s, error) ||
      !shift_log_times (self, before, s, error) ||
      !copy_pair_to_completions (self, s, error) ||
      !recompute_for_session (self, before, error) ||
      !recompute_for_session (self, s, error) ||
      !note_session (self, before, id, error) ||
      !_topout_store_commit (self, error))
    goto fail;
  topout_session_set_revision (session, topout_session_get_revision (s));
  return TRUE;

fail:
  _topout_store_rollback (self);
  return FALSE;
}

/* Rule 3a's tests of end_forgotten(), for a session ended or not; and the
 * climber's, as for a log: an archived climber is never on the wall
 * (archiving is refused while they are). */
gboolean
topout_store_session_can_reopen (TopoutStore   *self,
                                 TopoutSession *s,
                                 GError       **error)
{
  guint hours;
  gint64 now, last;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (TOPOUT_IS_SESSION (s), FALSE);

  if (!check_climber (self, topout_session_get_climber_id (s), error))
    return FALSE;
  now = topout_store_now (self);
  {
    g_autofree char *today = topout_store_date_of (self, now);

    if (dated_after_today (s, today))
      {
        g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                     _("This session is dated after today, so it cannot be reopened. Correct its date first."));
        return FALSE;
      }
  }
  if (now >= _topout_store_next_closing (self, topout_session_get_started_at (s)))
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                   _("This session’s day is over, so it cannot be reopened. Change its times instead."));
      return FALSE;
    }
  hours = topout_store_get_auto_end_idle_hours (self);
  last = MAX (topout_session_get_last_logged_at (s), topout_session_get_started_at (s));
  if (now >= last + (gint64) hours * 3600 * G_USEC_PER_SEC)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Nothing was logged in this session for over an hour, so it would end again at once. Start a new session instead.",
                                "Nothing was logged in this session for over %u hours, so it would end again at once. Start a new session instead.",
                                hours),
                   hours);
      return FALSE;
    }
  return TRUE;
}

/* @restore: COMPLETED from CANCELLED (topout_store_restore_session).
 * @ended_at: when ending, the end to record (0: now). */
static gboolean
change_status (TopoutStore         *self,
               const char          *session_id,
               TopoutSessionStatus  status,
               gboolean             restore,
               gint64               ended_at,
               GError             **error)
{
  g_autoptr (TopoutSession) before = NULL;
  g_autoptr (TopoutSession) s = NULL;
  TopoutSessionStatus old;

  /* Read and checked inside the transaction that writes (the desk or the
   * editor in another process may have ended or deleted it meanwhile). */
  if (!_topout_store_begin (self, error))
    return FALSE;
  if (!(before = _topout_store_load_session (self, session_id, error)))
    goto fail;
  old = topout_session_get_status (before);

  if (restore && old != TOPOUT_SESSION_STATUS_CANCELLED)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                   _("Only a deleted session can be restored."));
      goto fail;
    }
  /* Rule 3a would end it at once, its end moved to its last route. */
  if (status == TOPOUT_SESSION_STATUS_ACTIVE && old != TOPOUT_SESSION_STATUS_ACTIVE &&
      !topout_store_session_can_reopen (self, before, error))
    goto fail;
  if (status == TOPOUT_SESSION_STATUS_COMPLETED && old != TOPOUT_SESSION_STATUS_ACTIVE && !restore)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                   _("Only an active session can be ended."));
      goto fail;
    }
  if (status == TOPOUT_SESSION_STATUS_CANCELLED && old == TOPOUT_SESSION_STATUS_CANCELLED)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                   _("This session is already cancelled."));
      goto fail;
    }
  if (status == TOPOUT_SESSION_STATUS_ACTIVE && old == TOPOUT_SESSION_STATUS_ACTIVE)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                   _("This session is already active."));
      goto fail;
    }

  s = topout_session_copy (before);
  topout_session_set_status (s, status);
  if (status == TOPOUT_SESSION_STATUS_ACTIVE)
    topout_session_set_ended_at (s, 0);
  else if (topout_session_get_ended_at (s) == 0)
    topout_session_set_ended_at (s, MAX (ended_at != 0 ? ended_at : topout_store_now (self),
                                         topout_session_get_started_at (s)));

  if (old == TOPOUT_SESSION_STATUS_CANCELLED &&
      !check_daily_cap (self, topout_session_get_climber_id (s), topout_session_get_session_date (s),
                        session_id, error))
    goto fail;
  touch_session (self, s);
  if (!write_session (self, s, error) ||
      !recompute_for_session (self, s, error) ||
      !note_session (self, before, session_id, error) ||
      !_topout_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  _topout_store_rollback (self);
  return FALSE;
}

gboolean
topout_store_end_session (TopoutStore  *self,
                          const char   *session_id,
                          GError      **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  return change_status (self, session_id, TOPOUT_SESSION_STATUS_COMPLETED, FALSE, 0, error);
}

gboolean
topout_store_cancel_session (TopoutStore  *self,
                             const char   *session_id,
                             GError      **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  return change_status (self, session_id, TOPOUT_SESSION_STATUS_CANCELLED, FALSE, 0, error);
}

gboolean
topout_store_reopen_session (TopoutStore  *self,
                             const char   *session_id,
                             GError      **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  return change_status (self, session_id, TOPOUT_SESSION_STATUS_ACTIVE, FALSE, 0, error);
}

gboolean
topout_store_end_session_at (TopoutStore  *self,
                             const char   *session_id,
                             gint64        ended_at,
                             GError      **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  return change_status (self, session_id, TOPOUT_SESSION_STATUS_COMPLETED, FALSE, ended_at, error);
}

gboolean
topout_store_restore_session (TopoutStore  *self,
                              const char   *session_id,
                              GError      **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  return change_status (self, session_id, TOPOUT_SESSION_STATUS_COMPLETED, TRUE, 0, error);
}

TopoutSession *
topout_store_get_session (TopoutStore  *self,
                          const char   *session_id,
                          GError      **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  if (session_id == NULL)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_NOT_FOUND, _("This session no longer exists."));
      return NULL;
    }
  return _topout_store_load_session (self, session_id, error);
}

TopoutSession *
topout_store_get_active_session (TopoutStore *self,
                                 const char  *climber_id)
{
  g_autoptr (TopoutStmt) stmt = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  stmt = _topout_store_stmt (self,
                             "SELECT " TOPOUT_SESSION_COLUMNS " FROM " TOPOUT_SESSION_FROM
                             " WHERE s.climber_id = ?1 AND s.status = 'ACTIVE'",
                             NULL);
  if (stmt == NULL)
    return NULL;
  bind_text_or_null (stmt, 1, climber_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return _topout_store_read_session (stmt);
  return NULL;
}

GPtrArray *
topout_store_list_active_sessions (TopoutStore *self)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (TOPOUT_IS_STORE (self), result);
  /* Sessions started at the very same moment by their climber's name, not
   * by their random ids: the same order in every database. */
  stmt = _topout_store_stmt (self,
                             "SELECT " TOPOUT_SESSION_COLUMNS " FROM " TOPOUT_SESSION_FROM
                             " WHERE s.status = 'ACTIVE'"
                             " ORDER BY s.started_at, c.display_name COLLATE NOCASE, c.display_name, s.id",
                             NULL);
  if (stmt == NULL)
    return result;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (result, _topout_store_read_session (stmt));
  return result;
}

/* Completions -------------------------------------------------------------- */

static TopoutCompletion *
load_completion (TopoutStore  *self,
                 const char   *completion_id,
                 GError      **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  int rc;

  stmt = _topout_store_stmt (self,
                             "SELECT " TOPOUT_COMPLETION_COLUMNS " FROM " TOPOUT_COMPLETION_FROM " WHERE p.id = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  bind_text_or_null (stmt, 1, completion_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _topout_store_read_completion (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_NOT_FOUND,
                 _("This route completion no longer exists."));
  else
    _topout_store_set_error (self, error, "load completion");
  return NULL;
}

TopoutCompletion *
topout_store_get_completion (TopoutStore  *self,
                             const char   *completion_id,
                             GError      **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  return load_completion (self, completion_id, error);
}

GPtrArray *
_topout_store_read_completions (TopoutStore  *self,
                                const char   *session_id,
                                gboolean      with_climbs,
                                GError      **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  g_autoptr (GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  if (with_climbs)
    stmt = _topout_store_stmt (self,
                               "SELECT " TOPOUT_COMPLETION_COLUMNS " FROM " TOPOUT_COMPLETION_FROM
                               " WHERE p.session_id = ?1 ORDER BY p.logged_at, p.rowid",
                               error);
  else
    stmt = _topout_store_stmt (self,
                               "SELECT p.id, p.session_id, p.climb_id, NULL, p.grade, p.is_success, p.attempts,"
                               " p.notes, p.logged_at, p.is_competition, p.competition_type, p.competition_id,"
                               " p.updated_at, NULL FROM completions p"
                               " WHERE p.session_id = ?1 ORDER BY p.logged_at, p.rowid",
                               error);
  if (stmt == NULL)
    return NULL;
  bind_text_or_null (stmt, 1, session_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, _topout_store_read_completion (stmt));
  if (rc != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "list completions");
      return NULL;
    }
  return g_steal_pointer (&result);
}

GPtrArray *
topout_store_list_completions (TopoutStore *self,
                               const char  *session_id)
{
  GPtrArray *result;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), g_ptr_array_new_with_free_func (g_object_unref));
  result = _topout_store_read_completions (self, session_id, TRUE, NULL);
  return result ? result : g_ptr_array_new_with_free_func (g_object_unref);
}

/* A climb that may be logged: in the catalog and not retired. */
static TopoutClimb *
loggable_climb (TopoutStore  *self,
                const char   *climb_id,
                GError      **error)
{
  g_autoptr (TopoutClimb) climb = topout_store_get_climb (self, climb_id, error);

  if (climb == NULL)
    return NULL;
  if (topout_climb_get_retired (climb))
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_ARCHIVED,
                   _("%s was retired from the catalog."), topout_climb_get_name (climb));
      return NULL;
    }
  return g_steal_pointer (&climb);
}

/* When a route added now to @session counts as logged: now in a live
 * session; in one that is over (a route a coach adds in the editor), after
 * its last route but inside its times, so its order, its end, and the
 * scorecard's time of a first top stay those of the session, not of the day
 * it was corrected on. */
static gint64
log_time_in (TopoutSession *session,
             gint64         now)
{
  gint64 ended = topout_session_get_ended_at (session);
  gint64 t;

  if (topout_session_get_status (session) == TOPOUT_SESSION_STATUS_ACTIVE)
    return now;
  t = MAX (topout_session_get_last_logged_at (session), topout_session_get_started_at (session));
  if (ended != 0 && t > ended)
    t = ended;
  return MIN (t, now);
}

/* Inserts @c into @session (the grade of @climb copied, the pair of the
 * session copied), bumps the session and its scorecard. In a transaction. */
static TopoutCompletion *
insert_completion (TopoutStore      *self,
                   TopoutSession    *session,
                   TopoutClimb      *climb,
                   TopoutCompletion *draft,
                   GError          **error)
{
  g_autoptr (TopoutCompletion) c = topout_completion_copy (draft);
  g_autoptr (TopoutSession) s = topout_session_copy (session);
  g_autofree char *id = g_uuid_string_random ();
  gint64 now = topout_store_now (self);

  topout_completion_set_id (c, id);
  topout_completion_set_session_id (c, topout_session_get_id (session));
  if (topout_completion_get_grade (draft) == NULL)
    topout_completion_set_grade (c, topout_climb_get_grade (climb));
  if (topout_completion_get_logged_at (c) == 0)
    topout_completion_set_logged_at (c, log_time_in (session, now));
  topout_completion_set_updated_at (c, now);
  topout_completion_set_is_competition (c, topout_session_get_is_competition (session));
  topout_completion_set_competition_type (c, topout_session_get_competition_type (session));
  topout_completion_set_competition_id (c, topout_session_get_competition_id (session));

  touch_session (self, s);
  if (!_topout_store_insert_completion_row (self, c, error) ||
      !write_session (self, s, error) ||
      !recompute_for_session (self, s, error) ||
      !note_session (self, session, topout_session_get_id (s), error))
    return NULL;
  return load_completion (self, id, error);
}

static TopoutCompletion *
make_draft (const char *climb_id,
            guint       attempts,
            gboolean    is_success,
            const char *notes)
{
  TopoutCompletion *draft = topout_completion_new ();

  topout_completion_set_climb_id (draft, climb_id);
  topout_completion_set_attempts (draft, attempts);
  topout_completion_set_is_success (draft, is_success);
  topout_completion_set_notes (draft, notes ? notes : "");
  return draft;
}

static gboolean
check_completion_fields (TopoutCompletion  *c,
                         GError           **error)
{
  const char *grade = topout_completion_get_grade (c);

  return _topout_check_attempts (topout_completion_get_attempts (c), error) &&
         (grade == NULL || _topout_check_text (grade, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, _("The grade"), error)) &&
         _topout_check_text (topout_completion_get_notes (c), 0, TOPOUT_LIMIT_NOTES_MAX, _("The note"), error);
}

/* The tap: into @climber_id's active session; with none, into a new one,
 * @start's (the session chosen at the desk) or, with @start NULL, a FUN one
 * (rule 3); at the day's cap into the latest, reopened, either way. */
static TopoutCompletion *
log_completion (TopoutStore      *self,
                const char       *climber_id,
                TopoutSession    *start,
                const char       *climb_id,
                guint             attempts,
                gboolean          is_success,
                const char       *notes,
                TopoutLogOutcome *outcome,
                GError          **error)
{
  g_autoptr (TopoutCompletion) draft = NULL;
  g_autoptr (TopoutCompletion) result = NULL;
  g_autoptr (TopoutClimb) climb = NULL;
  g_autoptr (TopoutSession) session = NULL;
  TopoutLogOutcome what = TOPOUT_LOG_INTO_ACTIVE;
  gboolean ended_stale = FALSE;

  draft = make_draft (climb_id, attempts, is_success, notes);
  if (!check_completion_fields (draft, error) ||
      !check_climber (self, climber_id, error) ||
      !(climb = loggable_climb (self, climb_id, error)))
    return NULL;
  /* The session chosen is refused as Start refuses it (a pair half typed,
   * a blank label), before anything is written: its route is not put
   * anywhere else. */
  if (start != NULL)
    {
      g_autoptr (TopoutSession) checked = topout_session_copy (start);
      g_autofree char *today = topout_store_today (self);

      topout_session_set_session_date (checked, today);
      topout_session_set_started_at (checked, topout_store_now (self));
      topout_session_set_ended_at (checked, 0);
      if (!check_session_fields (self, checked, error))
        return NULL;
    }

  if (!_topout_store_begin (self, error))
    return NULL;

  /* Rule 3a: forgotten and stale sessions end before the tap lands. */
  if (end_forgotten (self, climber_id, error) < 0 ||
      !end_stale (self, climber_id, &ended_stale, error))
    goto fail;

  session = topout_store_get_active_session (self, climber_id);
  if (session == NULL)
    {
      g_autofree char *today = topout_store_today (self);
      g_autoptr (TopoutSession) latest = NULL;

      if ((guint) count_sessions_on (self, climber_id, today, NULL) >= topout_store_get_max_sessions_per_day (self))
        {
          /* Rule 3: the cap never refuses a tap; the day's latest session
           * recorded on this device takes it, reopened. Not one imported
           * from another device's export: that stays the other device's
           * and is never synced from here, so the tap would never reach
           * the gym's record. With only theirs that day, the tap starts a
           * session of this device's, past the cap: rule 2 refuses a
           * session started by hand, never a tap. */
#define LATEST_ON \
  "SELECT " TOPOUT_SESSION_COLUMNS " FROM " TOPOUT_SESSION_FROM \
  " WHERE s.climber_id = ?1 AND s.session_date = ?2 AND s.status != 'CANCELLED'" \
  " AND s.device_id IS NULL AND" TOPOUT_NOT_IN_IMPORT ("s.id", "session") \
  " ORDER BY s.started_at DESC, s.id DESC LIMIT 1"
          g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self, LATEST_ON, error);
#undef LATEST_ON
          int rc;

          if (stmt == NULL)
            goto fail;
          sqlite3_bind_text (stmt, 1, climber_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, today, -1, SQLITE_TRANSIENT);
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            latest = _topout_store_read_session (stmt);
          else if (rc != SQLITE_DONE)
            {
              _topout_store_set_error (self, error, "latest session");
              goto fail;
            }
          sqlite3_reset (stmt);
        }

      if (latest != NULL)
        {
          g_autoptr (TopoutSession) reopened = topout_session_copy (latest);

          topout_session_set_status (reopened, TOPOUT_SESSION_STATUS_ACTIVE);
          topout_session_set_ended_at (reopened, 0);
          touch_session (self, reopened);
          if (!write_session (self, reopened, error) ||
              !note_session (self, latest, topout_session_get_id (latest), error))
            goto fail;
          session = _topout_store_load_session (self, topout_session_get_id (latest), error);
          what = TOPOUT_LOG_REOPENED_LATEST;
        }
      else if (start != NULL)
        {
          /* The session chosen at the desk, in this same transaction; past
           * the cap only as rule 3's FUN one would be (the day's sessions
           * all another device's): a tap is never refused for the cap. */
          session = insert_live_session (self, start, TRUE, error);
          what = ended_stale ? TOPOUT_LOG_ENDED_STALE : TOPOUT_LOG_STARTED_SESSION;
        }
      else
        {
          g_autoptr (TopoutSession) fun = topout_session_new ();

          /* Rule 3: a FUN session, in this same transaction. */
          topout_session_set_climber_id (fun, climber_id);
          topout_session_set_session_type (fun, TOPOUT_SESSION_TYPE_FUN);
          session = insert_live_session (self, fun, TRUE, error);
          what = ended_stale ? TOPOUT_LOG_ENDED_STALE : TOPOUT_LOG_STARTED_SESSION;
        }
      if (session == NULL)
        goto fail;
    }

  result = insert_completion (self, session, climb, draft, error);
  if (result == NULL || !_topout_store_commit (self, error))
    goto fail;
  if (outcome != NULL)
    *outcome = what;
  return g_steal_pointer (&result);

fail:
  _topout_store_rollback (self);
  return NULL;
}

TopoutCompletion *
topout_store_log_completion (TopoutStore      *self,
                             const char       *climber_id,
                             const char       *climb_id,
                             guint             attempts,
                             gboolean          is_success,
                             const char       *notes,
                             TopoutLogOutcome *outcome,
                             GError          **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  return log_completion (self, climber_id, NULL, climb_id, attempts, is_success, notes, outcome, error);
}

TopoutCompletion *
topout_store_log_completion_starting (TopoutStore      *self,
                                      TopoutSession    *start,
                                      const char       *climb_id,
                                      guint             attempts,
                                      gboolean          is_success,
                                      const char       *notes,
                                      TopoutLogOutcome *outcome,
                                      GError          **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  g_return_val_if_fail (TOPOUT_IS_SESSION (start), NULL);
  return log_completion (self, topout_session_get_climber_id (start), start, climb_id, attempts, is_success,
                         notes, outcome, error);
}

TopoutCompletion *
topout_store_add_completion (TopoutStore      *self,
                             const char       *session_id,
                             TopoutCompletion *draft,
                             GError          **error)
{
  g_autoptr (TopoutSession) session = NULL;
  g_autoptr (TopoutClimb) climb = NULL;
  g_autoptr (TopoutCompletion) result = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (draft), NULL);

  if (!check_completion_fields (draft, error))
    return NULL;
  /* The session read inside the transaction that writes it back (the
   * desk in another process may have ended it meanwhile). */
  if (!_topout_store_begin (self, error))
    return NULL;
  if (!(session = topout_store_get_session (self, session_id, error)) ||
      !(climb = topout_store_get_climb (self, topout_completion_get_climb_id (draft), error)))
    {
      _topout_store_rollback (self);
      return NULL;
    }
  result = insert_completion (self, session, climb, draft, error);
  if (result == NULL || !_topout_store_commit (self, error))
    {
      _topout_store_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&result);
}

/* Recounts routes and sends of a session after a completion changed or went. */
static gboolean
recount_session (TopoutStore  *self,
                 const char   *session_id,
                 GError      **error)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                    "UPDATE sessions SET"
                                                    " n_routes = (SELECT count (*) FROM completions WHERE session_id = ?1),"
                                                    " n_sends = (SELECT count (*) FROM completions WHERE session_id = ?1 AND is_success),"
                                                    " last_logged_at = coalesce ((SELECT max (logged_at) FROM completions"
                                                    "                             WHERE session_id = ?1), 0)"
                                                    " WHERE id = ?1",
                                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "recount");
      return FALSE;
    }
  return TRUE;
}

/* The session of a changed completion: bumped, recounted, scorecard redone. */
static gboolean
completion_changed (TopoutStore   *self,
                    TopoutSession *before,
                    GError       **error)
{
  g_autoptr (TopoutSession) s = topout_session_copy (before);

  touch_session (self, s);
  return write_session (self, s, error) &&
         recount_session (self, topout_session_get_id (s), error) &&
         recompute_for_session (self, s, error) &&
         note_session (self, before, topout_session_get_id (s), error);
}

gboolean
topout_store_update_completion (TopoutStore      *self,
                                TopoutCompletion *completion,
                                GError          **error)
{
  g_autoptr (TopoutCompletion) stored = NULL;
  g_autoptr (TopoutSession) session = NULL;
  g_autoptr (TopoutClimb) climb = NULL;
  g_autoptr (TopoutStmt) stmt = NULL;
  const char *grade;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (completion), FALSE);

  if (!check_completion_fields (completion, error))
    return FALSE;
  /* The route and its session read inside the transaction that writes
   * them back (the desk in another process may have ended it meanwhile). */
  if (!_topout_store_begin (self, error))
    return FALSE;
  if (!(stored = load_completion (self, topout_completion_get_id (completion), error)) ||
      !(session = topout_store_get_session (self, topout_completion_get_session_id (stored), error)))
    goto fail;

  /* Another climb brings its grade; the same climb keeps the grade it was
   * logged with. */
  if (g_strcmp0 (topout_completion_get_climb_id (completion), topout_completion_get_climb_id (stored)) != 0)
    {
      if (!(climb = topout_store_get_climb (self, topout_completion_get_climb_id (completion), error)))
        goto fail;
      grade = topout_climb_get_grade (climb);
    }
  else
    grade = topout_completion_get_grade (stored);

  stmt = _topout_store_stmt (self,
                             "UPDATE completions SET climb_id = ?2, grade = ?3, attempts = ?4, is_success = ?5,"
                             " notes = ?6, updated_at = ?7 WHERE id = ?1",
                             error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, topout_completion_get_id (stored), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, topout_completion_get_climb_id (completion), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, grade, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, topout_completion_get_attempts (completion));
  sqlite3_bind_int (stmt, 5, topout_completion_get_is_success (completion) ? 1 : 0);
  sqlite3_bind_text (stmt, 6, topout_completion_get_notes (completion) ? topout_completion_get_notes (completion) : "",
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, topout_store_now (self));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "update completion");
      goto fail;
    }
  sqlite3_reset (stmt);
  if (!completion_changed (self, session, error) ||
      !_topout_store_commit (self, error))
    goto fail;
  topout_completion_set_grade (completion, grade);
  return TRUE;

fail:
  _topout_store_rollback (self);
  return FALSE;
}

gboolean
topout_store_remove_completion (TopoutStore  *self,
                                const char   *completion_id,
                                GError      **error)
{
  g_autoptr (TopoutCompletion) stored = NULL;
  g_autoptr (TopoutSession) session = NULL;
  g_autoptr (TopoutStmt) stmt = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);

  /* Read inside the transaction that writes (see update_completion). */
  if (!_topout_store_begin (self, error))
    return FALSE;
  if (!(stored = load_completion (self, completion_id, error)) ||
      !(session = topout_store_get_session (self, topout_completion_get_session_id (stored), error)))
    goto fail;
  /* A completion is part of its session's content: the session itself is
   * never deleted, and the next sync replaces the server's routes. */
  stmt = _topout_store_stmt (self, "DELETE FROM completions WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, completion_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "remove completion");
      goto fail;
    }
  sqlite3_reset (stmt);
  if (!completion_changed (self, session, error) ||
      !_topout_store_commit (self, error))
    goto fail;
  return TRUE;

fail:
  _topout_store_rollback (self);
  return FALSE;
}

/* Climber merge --------------------------------------------------------------- */

/* The states of sync_state_after_change(), in SQL. */
#define BUMP_SESSION_SQL(WHERE) \
  "UPDATE sessions SET climber_id = coalesce (?2, climber_id)," \
  " revision = revision + 1," \
  " updated_at = ?3, sync_attempts = 0, next_attempt_at = 0," \
  " last_error = NULL, last_error_code = NULL," \
  " sync_state = CASE" \
  "   WHEN is_demo OR device_id IS NOT NULL OR status = 'ACTIVE' THEN 'LOCAL'" \
  "   WHEN status = 'CANCELLED' AND server_id IS NULL" \
  "        AND sent_revision = 0 THEN 'LOCAL'" \
  "   ELSE 'PENDING' END" \
  " WHERE " WHERE

gboolean
_topout_store_bump_climber_sessions (TopoutStore *self,
                                     const char  *climber_id,
                                     const char  *new_climber_id,
                                     gint64       now,
                                     GError     **error)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self, BUMP_SESSION_SQL ("climber_id = ?1"), error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, climber_id, -1, SQLITE_TRANSIENT);
  if (new_climber_id != NULL)
    sqlite3_bind_text (stmt, 2, new_climber_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "bump sessions");
      return FALSE;
    }
  if (sqlite3_changes (_topout_store_get_db (self)) > 0)
    _topout_store_note_reset (self);
  return TRUE;
}

/* Sessions moved or bumped in chunks (SPEC §7: no transaction holds the
 * write lock for more than about 20 ms; 5,000 sessions in one took 190 ms).
 * The work is journalled in meta under "session-move:" + the climber's id,
 * as "TARGET\x1fNOW\x1fLAST" (TARGET empty for a bump in place, LAST the
 * last session id done, in id order), written in the transaction that
 * decides it and advanced by every chunk, so a crash half-way is finished
 * by the next opening. Every chunk recomputes the scorecards of the
 * competitions its sessions took part in, so they never disagree with
 * the routes. */
#define SESSION_MOVE_PREFIX "session-move:"

gboolean
_topout_store_queue_session_move (TopoutStore *self,
                                  const char  *climber_id,
                                  const char  *new_climber_id,
                                  gint64       now,
                                  GError     **error)
{
  g_autofree char *key = g_strconcat (SESSION_MOVE_PREFIX, climber_id, NULL);
  g_autofree char *value = g_strdup_printf ("%s\x1f%" G_GINT64_FORMAT "\x1f", new_climber_id ? new_climber_id : "", now);

  return _topout_store_set_meta (self, key, value, error);
}

/* The next queued move, or FALSE when none is left. */
static gboolean
next_session_move (TopoutStore  *self,
                   char        **climber_id,
                   char        **value)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                    "SELECT substr (key, length ('" SESSION_MOVE_PREFIX "') + 1), value"
                                                    " FROM meta WHERE key GLOB '" SESSION_MOVE_PREFIX "*'"
                                                    /* Bumps in place first: a survivor's own
                                                     * sessions, before those moved in join them. */
                                                    " ORDER BY substr (value, 1, 1) != char (31), key LIMIT 1",
                                                    NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  *climber_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *value = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  return TRUE;
}

/* Adds the competition pairs of @session_id's routes to @pairs ("type\x1fid"). */
static gboolean
collect_pairs (TopoutStore  *self,
               const char   *session_id,
               GHashTable   *pairs,
               GError      **error)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                    "SELECT DISTINCT competition_type, competition_id FROM completions"
                                                    " WHERE session_id = ?1 AND is_competition = 1"
                                                    " AND competition_type IS NOT NULL AND competition_id IS NOT NULL",
                                                    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (pairs, g_strjoin ("\x1f", (const char *) sqlite3_column_text (stmt, 0),
                                        (const char *) sqlite3_column_text (stmt, 1), NULL));
  if (rc != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "competition pairs");
      return FALSE;
    }
  return TRUE;
}

/* Rule 1 while sessions move: the survivor started a session after the
 * merge was decided (at the desk, between chunks; the decision refuses two
 * running ones). The duplicate's, if still running, moves ended at its last
 * route, as rule 3a ends a forgotten one: the one at the desk now is the
 * survivor's, and the merge finishes instead of failing at every chunk
 * and every opening until one ends. The bump that follows counts it. */
static gboolean
end_if_target_active (TopoutStore  *self,
                      const char   *climber_id,
                      const char   *target,
                      const char   *after_id,
                      const char   *last_id,
                      GError      **error)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                    "UPDATE sessions SET status = 'COMPLETED',"
                                                    " ended_at = max (started_at, last_logged_at)"
                                                    " WHERE climber_id = ?1 AND status = 'ACTIVE'"
                                                    " AND id > ?3 AND id <= ?4 AND EXISTS"
                                                    " (SELECT 1 FROM sessions WHERE climber_id = ?2"
                                                    "  AND status = 'ACTIVE')",
                                                    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, climber_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, target, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, after_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, last_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "end moved session");
      return FALSE;
    }
  if (sqlite3_changes (_topout_store_get_db (self)) > 0)
    g_debug ("Ended %s's running session, moved to %s who has one running", climber_id, target);
  return TRUE;
}

gboolean
_topout_store_session_move_step (TopoutStore  *self,
                                 gboolean     *done,
                                 GError      **error)
{
  g_autofree char *climber_id = NULL;
  g_autofree char *value = NULL;
  g_autofree char *key = NULL;
  g_auto (GStrv) parts = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *target;
  gint64 now;

  *done = FALSE;
  if (!_topout_store_begin (self, error))
    return FALSE;
  if (!next_session_move (self, &climber_id, &value))
    {
      *done = TRUE;
      return _topout_store_commit (self, error);
    }
  key = g_strconcat (SESSION_MOVE_PREFIX, climber_id, NULL);
  parts = g_strsplit (value, "\x1f", 3);
  if (g_strv_length (parts) != 3)
    {
      g_warning ("Dropping a malformed journal entry %s", key);
      if (!_topout_store_set_meta (self, key, NULL, error))
        goto fail;
      return _topout_store_commit (self, error);
    }
  target = *parts[0] != '\0' ? parts[0] : NULL;
  now = g_ascii_strtoll (parts[1], NULL, 10);

  {
    g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                      "SELECT id FROM sessions WHERE climber_id = ?1 AND id > ?2"
                                                      " ORDER BY id LIMIT " G_STRINGIFY (TOPOUT_STORE_MOVE_CHUNK),
                                                      error);
    int rc;

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_text (stmt, 1, climber_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, parts[2], -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    if (rc != SQLITE_DONE)
      {
        _topout_store_set_error (self, error, "sessions to move");
        goto fail;
      }
  }

  if (target != NULL && ids->len > 0 &&
      !end_if_target_active (self, climber_id, target, parts[2], g_ptr_array_index (ids, ids->len - 1), error))
    goto fail;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (TopoutStmt) stmt = NULL;

      if (target != NULL && !collect_pairs (self, ids->pdata[i], pairs, error))
        goto fail;
      stmt = _topout_store_stmt (self, BUMP_SESSION_SQL ("id = ?1"), error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, ids->pdata[i], -1, SQLITE_TRANSIENT);
      bind_text_or_null (stmt, 2, target);
      sqlite3_bind_int64 (stmt, 3, now);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _topout_store_set_error (self, error, "bump sessions");
          goto fail;
        }
    }

  /* The scorecards of what moved, on both sides. */
  {
    GHashTableIter iter;
    gpointer pair;

    g_hash_table_iter_init (&iter, pairs);
    while (g_hash_table_iter_next (&iter, &pair, NULL))
      {
        g_auto (GStrv) p = g_strsplit (pair, "\x1f", 2);

        if (!_topout_store_recompute_scorecard (self, p[0], p[1], climber_id, error) ||
            !_topout_store_recompute_scorecard (self, p[0], p[1], target, error))
          goto fail;
      }
  }

  if (ids->len < TOPOUT_STORE_MOVE_CHUNK)
    {
      /* The last chunk: everyone sees the result at once. */
      if (!_topout_store_set_meta (self, key, NULL, error))
        goto fail;
      _topout_store_note_reset (self);
    }
  else
    {
      g_autofree char *next = g_strdup_printf ("%s\x1f%s\x1f%s", parts[0], parts[1],
                                               (const char *) g_ptr_array_index (ids, ids->len - 1));

      if (!_topout_store_set_meta (self, key, next, error))
        goto fail;
    }
  return _topout_store_commit (self, error);

fail:
  _topout_store_rollback (self);
  return FALSE;
}

gboolean
_topout_store_finish_session_moves (TopoutStore  *self,
                                    GError      **error)
{
  gboolean done = FALSE;

  /* Read first: nearly always nothing is queued, and a step takes the
   * write lock (every opening of the database and every climber edit
   * waited for it, behind another process's writes). */
  {
    g_autofree char *climber_id = NULL;
    g_autofree char *value = NULL;

    if (!next_session_move (self, &climber_id, &value))
      return TRUE;
  }
  while (!done)
    if (!_topout_store_session_move_step (self, &done, error))
      return FALSE;
  return TRUE;
}

/* A merge's UPDATE of climbers: ?1 the duplicate, ?2 the survivor, ?3 now. */
static gboolean
update_merged (TopoutStore  *self,
               const char   *sql,
               const char   *duplicate_id,
               const char   *survivor_id,
               gint64        now,
               const char   *what,
               GError      **error)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, duplicate_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, survivor_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, what);
      return FALSE;
    }
  return TRUE;
}

/* The merge's one decision, in one short transaction: the duplicate is
 * archived and points at the survivor, the member code moves, and its
 * sessions (and the survivor's, when a member code comes with them) are
 * queued to move in chunks. The climbers are read inside it, so the checks
 * and the write see one state (the desk may archive or start a session
 * from another process). */
static gboolean
merge_climbers_begin (TopoutStore  *self,
                      const char   *survivor_id,
                      const char   *duplicate_id,
                      GError      **error)
{
  g_autoptr (TopoutClimber) survivor = NULL;
  g_autoptr (TopoutClimber) duplicate = NULL;
  g_autoptr (TopoutSession) active_a = NULL;
  g_autoptr (TopoutSession) active_b = NULL;
  gboolean takes_code;
  gint64 now;

  if (g_strcmp0 (survivor_id, duplicate_id) == 0)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                   _("A climber cannot be merged with themselves."));
      return FALSE;
    }
  if (!_topout_store_begin (self, error))
    return FALSE;
  if (!(survivor = topout_store_get_climber (self, survivor_id, error)) ||
      !(duplicate = topout_store_get_climber (self, duplicate_id, error)))
    goto fail;
  /* The chooser offers none: the sessions would go to a climber nobody
   * logs for or finds at the desk (a merged record is archived too). */
  if (topout_climber_get_archived (survivor))
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_ARCHIVED,
                   _("%s is archived. Restore the climber before merging a duplicate into them."),
                   topout_climber_get_display_name (survivor));
      goto fail;
    }
  /* A record already merged is empty, its sessions with its survivor:
   * merged again it would only say they went elsewhere. */
  if (topout_climber_get_archived (duplicate) && topout_climber_get_merged_into (duplicate) != NULL)
    {
      g_autoptr (TopoutClimber) into = topout_store_get_climber (self, topout_climber_get_merged_into (duplicate),
                                                                 error);

      if (into == NULL)
        goto fail;
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                   /* Translators: "Bo K. was already merged into Bo Kim." */
                   _("%s was already merged into %s."),
                   topout_climber_get_display_name (duplicate), topout_climber_get_display_name (into));
      goto fail;
    }
  active_a = topout_store_get_active_session (self, survivor_id);
  active_b = topout_store_get_active_session (self, duplicate_id);
  if (active_a != NULL && active_b != NULL)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_ACTIVE_EXISTS,
                   _("%s and %s both have an active session. End one of them before merging."),
                   topout_climber_get_display_name (survivor), topout_climber_get_display_name (duplicate));
      goto fail;
    }
  takes_code = topout_climber_get_member_code (survivor) == NULL && topout_climber_get_member_code (duplicate) != NULL;
  now = topout_store_now (self);

  /* A survivor taking the duplicate's member code (below): every session
   * carries its climber's, so the survivor's own go again too. */
  if (takes_code && !_topout_store_queue_session_move (self, survivor_id, NULL, now, error))
    goto fail;
  /* Every session moves, each bumped and queued for sync again. */
  if (!_topout_store_queue_session_move (self, duplicate_id, survivor_id, now, error))
    goto fail;

  /* The duplicate's member code goes to a survivor that has none. */
  if (!update_merged (self, "UPDATE climbers SET archived = 1, merged_into = ?2,"
                            " member_code = NULL, updated_at = ?3 WHERE id = ?1",
                      duplicate_id, survivor_id, now, "archive duplicate", error))
    goto fail;
  /* The records merged into the duplicate before: their sessions went to
   * it and now go on to the survivor, so they say so ("Merged into" the
   * survivor, not into a record that is merged itself). A survivor that
   * was merged into the duplicate once and restored since points at
   * nobody. */
  if (!update_merged (self, "UPDATE climbers SET merged_into = nullif (?2, id), updated_at = ?3"
                            " WHERE merged_into = ?1",
                      duplicate_id, survivor_id, now, "redirect merged records", error))
    goto fail;
  if (takes_code)
    {
      g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                        "UPDATE climbers SET member_code = ?2, updated_at = ?3 WHERE id = ?1",
                                                        error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, survivor_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, topout_climber_get_member_code (duplicate), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, now);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _topout_store_set_error (self, error, "member code");
          goto fail;
        }
    }

  return _topout_store_commit (self, error);

fail:
  _topout_store_rollback (self);
  return FALSE;
}

gboolean
topout_store_merge_climbers (TopoutStore  *self,
                             const char   *survivor_id,
                             const char   *duplicate_id,
                             GError      **error)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);

  return merge_climbers_begin (self, survivor_id, duplicate_id, error) &&
         _topout_store_finish_session_moves (self, error);
}

static gboolean
merge_step_cb (gpointer data)
{
  GTask *task = data;
  TopoutStore *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  gboolean done = FALSE;

  if (!_topout_store_session_move_step (self, &done, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return G_SOURCE_REMOVE;
    }
  if (!done)
    return G_SOURCE_CONTINUE;
  g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

void
topout_store_merge_climbers_async (TopoutStore         *self,
                                   const char          *survivor_id,
                                   const char          *duplicate_id,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GSource) source = NULL;
  GError *error = NULL;

  g_return_if_fail (TOPOUT_IS_STORE (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, topout_store_merge_climbers_async);
  if (!merge_climbers_begin (self, survivor_id, duplicate_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* One chunk per turn of the main loop, after what is waiting (frames,
   * input): the window stays responsive while the sessions move. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, merge_step_cb, g_object_ref (task), g_object_unref);
  g_source_set_static_name (source, "[topout] merge climbers");
  g_source_attach (source, g_main_context_get_thread_default ());
}

gboolean
topout_store_merge_climbers_finish (TopoutStore   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Scorecards -------------------------------------------------------------------- */

void
topout_scorecard_rank_free (TopoutScorecardRank *rank)
{
  if (rank == NULL)
    return;
  g_free (rank->climber_id);
  g_free (rank->climber_name);
  g_free (rank);
}

static gboolean
tied (const TopoutScorecardRank *a,
      const TopoutScorecardRank *b)
{
  return a->tops == b->tops && a->attempts_to_top == b->attempts_to_top;
}

GPtrArray *
topout_store_rank_competition (TopoutStore *self,
                               const char  *competition_type,
                               const char  *competition_id)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) topout_scorecard_rank_free);

  g_return_val_if_fail (TOPOUT_IS_STORE (self), result);
  /* Everyone who started a session of the competition is in it: a climber
   * whose session has no route yet (a round just started, a climber who
   * gave up before logging) has 0 tops and no attempt, and so shares the
   * place of those who have not topped, at the bottom (SPEC §2's order
   * unchanged). The sessions of the pair: a row each, of zeros. */
#define RANK(ROWS, HIDE) \
  "SELECT r.climber_id, c.display_name, sum (r.topped)," \
  " coalesce (sum (CASE WHEN r.topped THEN r.attempts_to_top END), 0)," \
  " sum (r.attempts)" \
  " FROM (SELECT climber_id, topped, attempts_to_top, attempts FROM " ROWS \
  "        WHERE competition_type = ?1 AND competition_id = ?2" \
  "       UNION ALL" \
  "       SELECT s.climber_id, 0, NULL, 0 FROM sessions s" \
  "        WHERE s.type = 'COMPETITION' AND s.status != 'CANCELLED' AND s.climber_id IS NOT NULL" \
  "        AND s.competition_type = ?1 AND s.competition_id = ?2" HIDE ") r" \
  " JOIN climbers c ON c.id = r.climber_id" \
  " GROUP BY r.climber_id" \
  " ORDER BY 3 DESC, 4 ASC, c.display_name COLLATE NOCASE, c.display_name, r.climber_id"
  /* While an import is under way the stored rows count its sessions
   * already: the rows of the pair are derived again without them (the
   * cost of one competition, and only then). */
  if (_topout_store_import_under_way (self))
    stmt = _topout_store_stmt (self,
                               RANK ("(" TOPOUT_SCORECARD_ROWS_SQL ("completions", "p.logged_at", "climber_id",
                                                                    "s.climber_id", "",
                                                                    "AND p.competition_type = ?1"
                                                                    " AND p.competition_id = ?2"
                                                                    " AND" TOPOUT_NOT_IN_IMPORT ("s.id", "session"))
                                     ")",
                                     " AND" TOPOUT_NOT_IN_IMPORT ("s.id", "session")),
                               NULL);
  else
    /* The stored rows grouped in their key's order, and the climbers with
     * a session and no row yet beside them (a probe of that key each):
     * grouping the sessions' rows of zeros with the stored ones sorted
     * every row of the competition first (22 ms, not 9, at 500 climbers
     * and 40 climbs). */
    stmt = _topout_store_stmt (self,
                               "SELECT climber_id, display_name, tops, to_top, attempts FROM ("
                               " SELECT r.climber_id AS climber_id, c.display_name AS display_name,"
                               "  sum (r.topped) AS tops,"
                               "  coalesce (sum (CASE WHEN r.topped THEN r.attempts_to_top END), 0) AS to_top,"
                               "  sum (r.attempts) AS attempts"
                               " FROM scorecards r JOIN climbers c ON c.id = r.climber_id"
                               " WHERE r.competition_type = ?1 AND r.competition_id = ?2"
                               " GROUP BY r.climber_id"
                               " UNION ALL"
                               " SELECT s.climber_id, c.display_name, 0, 0, 0"
                               " FROM sessions s JOIN climbers c ON c.id = s.climber_id"
                               " WHERE s.type = 'COMPETITION' AND s.status != 'CANCELLED'"
                               "  AND s.competition_type = ?1 AND s.competition_id = ?2"
                               "  AND NOT EXISTS (SELECT 1 FROM scorecards x WHERE x.competition_type = ?1"
                               "                  AND x.competition_id = ?2 AND x.climber_id = s.climber_id)"
                               " GROUP BY s.climber_id)"
                               " ORDER BY 3 DESC, 4 ASC, 2 COLLATE NOCASE, 2, 1",
                               NULL);
#undef RANK
  if (stmt == NULL)
    return result;
  bind_text_or_null (stmt, 1, competition_type);
  bind_text_or_null (stmt, 2, competition_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TopoutScorecardRank *rank = g_new0 (TopoutScorecardRank, 1);

      rank->climber_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      rank->climber_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      rank->tops = sqlite3_column_int (stmt, 2);
      rank->attempts_to_top = sqlite3_column_int (stmt, 3);
      rank->attempts = sqlite3_column_int (stmt, 4);
      if (result->len > 0 && tied (g_ptr_array_index (result, result->len - 1), rank))
        {
          TopoutScorecardRank *previous = g_ptr_array_index (result, result->len - 1);

          rank->place = previous->place;
          rank->tied = previous->tied = TRUE;
        }
      else
        rank->place = result->len + 1;
      g_ptr_array_add (result, rank);
    }
  return result;
}

gboolean
topout_store_get_scorecard_row (TopoutStore *self,
                                const char  *competition_type,
                                const char  *competition_id,
                                const char  *climber_id,
                                const char  *climb_id,
                                guint       *attempts,
                                gboolean    *topped,
                                guint       *attempts_to_top,
                                gint64      *first_top_at)
{
  g_autoptr (TopoutStmt) stmt = NULL;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  stmt = _topout_store_stmt (self,
                             "SELECT attempts, topped, coalesce (attempts_to_top, 0), coalesce (first_top_at, 0)"
                             " FROM scorecards WHERE competition_type = ?1 AND competition_id = ?2"
                             " AND climber_id = ?3 AND climb_id = ?4",
                             NULL);
  if (stmt == NULL)
    return FALSE;
  bind_text_or_null (stmt, 1, competition_type);
  bind_text_or_null (stmt, 2, competition_id);
  bind_text_or_null (stmt, 3, climber_id);
  bind_text_or_null (stmt, 4, climb_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  if (attempts)
    *attempts = sqlite3_column_int (stmt, 0);
  if (topped)
    *topped = sqlite3_column_int (stmt, 1);
  if (attempts_to_top)
    *attempts_to_top = sqlite3_column_int (stmt, 2);
  if (first_top_at)
    *first_top_at = sqlite3_column_int64 (stmt, 3);
  return TRUE;
}

/* @text compared without case: folded, in one normal form. */
static char *
fold_case (const char *text)
{
  g_autofree char *normal = g_utf8_normalize (text, -1, G_NORMALIZE_DEFAULT);

  return normal != NULL ? g_utf8_casefold (normal, -1) : NULL;
}

gboolean
topout_store_find_competition_spelling (TopoutStore *self,
                                        const char  *competition_type,
                                        const char  *competition_id,
                                        char       **type_out,
                                        char       **id_out)
{
  g_autofree char *type = strip_spaces (competition_type);
  g_autofree char *id = strip_spaces (competition_id);
  g_autofree char *type_folded = NULL;
  g_autofree char *id_folded = NULL;
  g_autoptr (GPtrArray) pairs = NULL;
  int found = -1;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);
  if (topout_text_is_blank (type) || topout_text_is_blank (id) ||
      (type_folded = fold_case (type)) == NULL || (id_folded = fold_case (id)) == NULL)
    return FALSE;
  /* A few hundred competitions at most: compared here, where case is
   * Unicode's (SQLite's NOCASE folds ASCII alone). */
  pairs = topout_store_list_competitions (self);
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      const char *t = g_ptr_array_index (pairs, i);
      const char *d = g_ptr_array_index (pairs, i + 1);
      g_autofree char *t_folded = NULL;
      g_autofree char *d_folded = NULL;

      if (g_str_equal (t, type) && g_str_equal (d, id))
        return FALSE;  /* the competition as typed */
      if (found < 0 &&
          g_strcmp0 ((d_folded = fold_case (d)), id_folded) == 0 &&
          g_strcmp0 ((t_folded = fold_case (t)), type_folded) == 0)
        found = (int) i;
    }
  if (found < 0)
    return FALSE;
  *type_out = g_strdup (g_ptr_array_index (pairs, found));
  *id_out = g_strdup (g_ptr_array_index (pairs, found + 1));
  return TRUE;
}

GPtrArray *
topout_store_list_competitions (TopoutStore *self)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  GPtrArray *result = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (TOPOUT_IS_STORE (self), result);
  /* From the sessions (the type's index), not their routes: a round just
   * started, nobody's route logged yet, is the one the desk starts the
   * next climbers in. A competition session's routes carry its pair (rule
   * 6), and last_logged_at is its latest route; a session without one
   * counts from its start. */
#define COMPETITIONS(HIDE) \
  "SELECT s.competition_type, s.competition_id" \
  " FROM sessions s" \
  " WHERE s.type = 'COMPETITION' AND s.status != 'CANCELLED'" \
  " AND s.competition_type IS NOT NULL AND s.competition_id IS NOT NULL" HIDE \
  " GROUP BY s.competition_type, s.competition_id" \
  " ORDER BY max (s.session_date) DESC, max (max (s.last_logged_at, s.started_at)) DESC," \
  " s.competition_type, s.competition_id"
  stmt = _topout_store_stmt_hiding_import (self, TOPOUT_HIDING_IMPORT (COMPETITIONS, "s.id", "session"), NULL);
#undef COMPETITIONS
  if (stmt == NULL)
    return result;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_ptr_array_add (result, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (result, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  return result;
}
