/* topout-store.h — the one write path of Topout: SQLite behind GObjects.
 *
 * Every write of the app goes through a function of this header; each is one
 * short transaction that enforces the product rules of SPEC section 3 and, after
 * it commits, emits ::session-changed with the row before and after (the future
 * audit trail hooks in there). Reads return new snapshot objects owned by the
 * caller. Refusals are GErrors in TOPOUT_STORE_ERROR with translated messages,
 * and leave the database as it was.
 */
#pragma once

#include <gio/gio.h>

#include "topout-enums.h"
#include "topout-climber.h"
#include "topout-climb.h"
#include "topout-session.h"
#include "topout-completion.h"

G_BEGIN_DECLS

#define TOPOUT_STORE_ERROR (topout_store_error_quark ())

typedef enum {
  TOPOUT_STORE_ERROR_FAILED,            /* SQLite said no; message names why */
  TOPOUT_STORE_ERROR_CANNOT_OPEN,       /* file unreadable, not a database, corrupt
                                         * (also when damage is found later, by any
                                         * read or write) */
  TOPOUT_STORE_ERROR_TOO_NEW,           /* written by a newer Topout */
  TOPOUT_STORE_ERROR_NOT_FOUND,         /* unknown climber, climb, session, completion */
  TOPOUT_STORE_ERROR_ACTIVE_EXISTS,     /* rule 1 */
  TOPOUT_STORE_ERROR_DAILY_CAP,         /* rule 2 */
  TOPOUT_STORE_ERROR_INVALID_ATTEMPTS,  /* 1–999 */
  TOPOUT_STORE_ERROR_INVALID_TEXT,      /* empty, too long or not UTF-8 */
  TOPOUT_STORE_ERROR_COMPETITION_PAIR,  /* rule 6 */
  TOPOUT_STORE_ERROR_END_BEFORE_START,
  TOPOUT_STORE_ERROR_FUTURE_DATE,       /* rule 9 */
  TOPOUT_STORE_ERROR_INVALID_DATE,      /* not YYYY-MM-DD */
  TOPOUT_STORE_ERROR_DUPLICATE,         /* member code or climb id already used */
  TOPOUT_STORE_ERROR_INVALID_STATE,     /* e.g. ending a session that is not active */
  TOPOUT_STORE_ERROR_STALE,             /* edited elsewhere since it was read */
  TOPOUT_STORE_ERROR_ARCHIVED,          /* archived climber or retired climb */
  TOPOUT_STORE_ERROR_IMPORT,            /* a file with bad lines: nothing imported */
  TOPOUT_STORE_ERROR_INVALID_START,     /* a live session starting later than now, or a
                                         * start moved off the session's date */
  TOPOUT_STORE_ERROR_INVALID_GRADE,     /* not a grade of the climb's grade system */
  TOPOUT_STORE_ERROR_INVALID_COLOR,     /* not a colour name or code */
} TopoutStoreError;

GQuark topout_store_error_quark (void);

/* What topout_store_log_completion() did, for the toast that tells the user. */
typedef enum {
  TOPOUT_LOG_INTO_ACTIVE,        /* logged into the climber's active session */
  TOPOUT_LOG_STARTED_SESSION,    /* rule 3: no active session, a FUN one (or the one chosen) was started */
  TOPOUT_LOG_ENDED_STALE,        /* rule 3a: yesterday's session ended, a FUN one (or the one chosen) started */
  TOPOUT_LOG_REOPENED_LATEST,    /* rule 3: cap reached, logged into the day's latest session */
} TopoutLogOutcome;

/* One result of a sync response, as the sync engine hands it to the store. */
typedef enum {
  TOPOUT_SYNC_RESULT_SYNCED,     /* created, updated or unchanged */
  TOPOUT_SYNC_RESULT_CONFLICT,
  TOPOUT_SYNC_RESULT_REJECTED,
  TOPOUT_SYNC_RESULT_FAILED,     /* error result, missing result, transport failure */
} TopoutSyncResultKind;

typedef struct {
  const char           *session_id;
  gint64                sent_revision;    /* the revision that was sent */
  TopoutSyncResultKind  kind;
  const char           *server_id;        /* SYNCED, CONFLICT (may be NULL) */
  gint64                server_revision;  /* SYNCED, CONFLICT */
  const char           *error_code;       /* REJECTED, FAILED: contract code or NULL */
  const char           *error_message;    /* REJECTED, FAILED */
  gint64                next_attempt_at;  /* FAILED: wall clock, µs since the epoch */
} TopoutSyncResult;

typedef struct {
  guint  line;     /* 1-based line (CSV) or item number (JSON) */
  char  *message;  /* translated */
} TopoutImportProblem;

/* What an import read. */
typedef enum {
  TOPOUT_IMPORT_KIND_SESSIONS,  /* a session export (topout_store_import_sessions()) */
  TOPOUT_IMPORT_KIND_CATALOG,
  TOPOUT_IMPORT_KIND_CLIMBERS,
} TopoutImportKind;

typedef struct {
  TopoutImportKind kind;
  guint      n_added;
  guint      n_updated;
  guint      n_retired;
  guint      n_unchanged;
  guint      n_matched;   /* session import: climbers of the file matched by member code to
                           * a climber here (another id), their sessions stored under that one */
  GPtrArray *problems;  /* of TopoutImportProblem*; empty when the import succeeded */
  GPtrArray *notes;     /* of char*, translated: what a coach should know of an import done or
                         * refused that is no problem (the file read as Windows-1252, columns
                         * it has that Topout does not read) */
} TopoutImportReport;

void topout_import_report_free (TopoutImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TopoutImportReport, topout_import_report_free)

/* Wall clock, µs since the epoch, UTC. Tests set their own to walk through days. */
typedef gint64 (*TopoutClockFunc) (gpointer user_data);

#define TOPOUT_TYPE_STORE (topout_store_get_type ())
G_DECLARE_FINAL_TYPE (TopoutStore, topout_store, TOPOUT, STORE, GObject)

/* Opening ---------------------------------------------------------------- */

/* The default file: $TOPOUT_DB, else $XDG_DATA_HOME/topout/topout.db. */
char        *topout_store_default_path (void);
/* Opens or creates @path (and its folder), migrates it to the current schema.
 * A file that is not a Topout database is never overwritten. */
TopoutStore *topout_store_new          (const char  *path,
                                        GError     **error);
/* Another connection to @self's database, for a thread (one at a time) that
 * reads while @self's thread goes on. Fails, creating nothing, if the file
 * is gone or is no longer the same database (another device id). */
TopoutStore *topout_store_open_another (TopoutStore *self,
                                        GError     **error);
/* WAL checkpoints on a thread of their own when commits pause, instead of
 * inside the commit that fills the log (SPEC section 7). For the store of
 * a main loop's thread (the app's): the timer runs in the thread-default
 * main context of the caller. */
void         topout_store_checkpoint_when_idle (TopoutStore *self);
const char  *topout_store_get_path     (TopoutStore *self);
/* This device's id (a UUID made when the database was created). */
const char  *topout_store_get_device_id (TopoutStore *self);
int          topout_store_get_schema_version (TopoutStore *self);
#define TOPOUT_STORE_SCHEMA_VERSION 9

/* Settings. The app binds them to GSettings with topout_store_bind_settings();
 * tests may set the properties directly. */
void      topout_store_bind_settings           (TopoutStore *self,
                                                GSettings   *settings);
guint     topout_store_get_max_sessions_per_day (TopoutStore *self);
void      topout_store_set_max_sessions_per_day (TopoutStore *self,
                                                 guint        max);
guint     topout_store_get_auto_end_idle_hours (TopoutStore *self);
void      topout_store_set_auto_end_idle_hours (TopoutStore *self,
                                                guint        hours);
/* "HH:MM", local time in the gym's time zone. */
const char *topout_store_get_closing_time      (TopoutStore *self);
void      topout_store_set_closing_time        (TopoutStore *self,
                                                const char  *hh_mm);
/* An IANA id ("Europe/Berlin"); NULL or "" means the system's zone. */
const char *topout_store_get_gym_timezone      (TopoutStore *self);
void      topout_store_set_gym_timezone        (TopoutStore *self,
                                                const char  *tz_id);
/* The zone named @tz_id in the time zone database ("Europe/Berlin", "UTC"),
 * or NULL: also for a POSIX rule such as "UTC+3", which GLib would read as
 * three hours *west* of UTC. */
GTimeZone *topout_time_zone_new_named            (const char  *tz_id);
GTimeZone *topout_store_get_time_zone          (TopoutStore *self);
void      topout_store_set_clock               (TopoutStore     *self,
                                                TopoutClockFunc  func,
                                                gpointer         user_data);
gint64    topout_store_now                     (TopoutStore *self);
/* Today's date in the gym's time zone, "YYYY-MM-DD". */
char     *topout_store_today                   (TopoutStore *self);
/* The local date (gym time zone) of @usec, "YYYY-MM-DD". */
char     *topout_store_date_of                 (TopoutStore *self,
                                                gint64       usec);
/* The time of day (gym time zone) of @usec, "HH:MM". */
char     *topout_store_time_of                 (TopoutStore *self,
                                                gint64       usec);
/* A session date, "YYYY-MM-DD", into @out; FALSE (and @out cleared) when it
 * is no such date. */
gboolean  topout_date_parse                    (const char  *date,
                                                GDate       *out);
/* @usec moved by whole days of the gym's calendar, at the same wall-clock
 * time: the first when the clocks read it twice that day; one they skip,
 * as far past the jump as it was past the hour skipped. */
gint64    topout_store_add_days                (TopoutStore *self,
                                                gint64       usec,
                                                int          days);
/* The same into *@moved, for a time that is kept (a session moved to
 * another date): one the clocks skip on the new day is refused (FALSE,
 * @error says so, *@moved is @usec), not moved. */
gboolean  topout_store_move_days               (TopoutStore *self,
                                                gint64       usec,
                                                int          days,
                                                gint64      *moved,
                                                GError     **error);
/* The instants (µs) at which clocks in @tz read @minutes (0–1439) past
 * midnight on @day, earliest first: none when they skip that time (they
 * go forward over it), two when they read it twice (they go back), else
 * one. */
guint     topout_wall_clock_instants           (GTimeZone   *tz,
                                                const GDate *day,
                                                int          minutes,
                                                gint64       out[2]);
/* "There is no 02:30 on @date_text: the clocks go forward from 02:00 to
 * 03:00 that day.": @minutes of @day, which clocks in @tz skip. */
char     *topout_missing_time_message          (GTimeZone   *tz,
                                                const GDate *day,
                                                int          minutes,
                                                const char  *date_text);

gboolean  topout_store_is_demo                 (TopoutStore *self);

/* Notices writes made through another connection (another process, or an
 * import running on its own TopoutStore) with PRAGMA data_version, and emits
 * ::sessions-reset when there were any. Cheap: call it from a timer and after
 * background work. Returns TRUE when something changed. */
gboolean  topout_store_check_external_changes  (TopoutStore *self);
/* Looks (with topout_store_check_external_changes()) shortly after the
 * database's write-ahead log changes, so that another process's writes show
 * within a second; the log changes with our own commits too, which cost one
 * cheap look. Uses the thread-default main context of the call. */
void      topout_store_watch_external_changes  (TopoutStore *self);

/* Climbers --------------------------------------------------------------- */

TopoutClimber *topout_store_add_climber      (TopoutStore   *self,
                                              const char    *display_name,
                                              const char    *member_code,  /* nullable */
                                              GError       **error);
/* Saves display name and member code of @climber (by id). */
gboolean       topout_store_update_climber   (TopoutStore   *self,
                                              TopoutClimber *climber,
                                              GError       **error);
/* Refused when archiving a climber with an active session, or restoring a
 * record merged into another (its sessions are the survivor's). */
gboolean       topout_store_set_climber_archived (TopoutStore *self,
                                                  const char  *climber_id,
                                                  gboolean     archived,
                                                  GError     **error);
/* Moves every session of @duplicate_id to @survivor_id (each revision bumped,
 * queued for sync), takes over its member code if the survivor has none, and
 * archives the duplicate, pointing at the survivor (as do the records merged
 * into the duplicate before). Refused when both have an active session, the
 * survivor is archived, or the duplicate is merged already; should the
 * survivor start one while the sessions move, the duplicate's running one
 * moves ended at its last route. The
 * sessions move in chunks of TOPOUT_STORE_MOVE_CHUNK, each its own short
 * transaction (with the scorecards of what it moved); ::sessions-reset comes
 * once, with the last. */
gboolean       topout_store_merge_climbers   (TopoutStore   *self,
                                              const char    *survivor_id,
                                              const char    *duplicate_id,
                                              GError       **error);
/* The same, the sessions moving in chunks of their own transactions, one
 * per turn of the caller's main loop (a window stays responsive). The
 * refusals come at once; every chunk commits, and what a crash leaves is
 * finished by the next opening of the database. */
void           topout_store_merge_climbers_async  (TopoutStore         *self,
                                                   const char          *survivor_id,
                                                   const char          *duplicate_id,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean       topout_store_merge_climbers_finish (TopoutStore         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
/* NOT_FOUND also for a climber an import under way has added (as the
 * lists leave them out, topout-export.h), until it is whole. */
TopoutClimber *topout_store_get_climber      (TopoutStore   *self,
                                              const char    *climber_id,
                                              GError       **error);
/* By name or member code, case-insensitive substring; archived ones excluded
 * unless asked. Ordered by name. @query may be NULL or "" for all. */
GPtrArray     *topout_store_find_climbers    (TopoutStore   *self,
                                              const char    *query,
                                              gboolean       include_archived,
                                              guint          limit);

/* Climbs (the catalog) --------------------------------------------------- */

/* Adds @climb (its id, name, grade, grade system, colour, wall, set-on). */
gboolean     topout_store_add_climb          (TopoutStore  *self,
                                              TopoutClimb  *climb,
                                              GError      **error);
gboolean     topout_store_update_climb       (TopoutStore  *self,
                                              TopoutClimb  *climb,
                                              GError      **error);
gboolean     topout_store_set_climb_retired  (TopoutStore  *self,
                                              const char   *climb_id,
                                              gboolean      retired,
                                              GError      **error);
/* NOT_FOUND also for a climb an import under way has added, until it is whole. */
TopoutClimb *topout_store_get_climb          (TopoutStore  *self,
                                              const char   *climb_id,
                                              GError      **error);
/* By name, grade or colour; retired ones excluded. Climbs @climber_id logged
 * recently come first when given. */
GPtrArray   *topout_store_find_climbs        (TopoutStore  *self,
                                              const char   *query,
                                              const char   *climber_id,
                                              guint         limit);
/* The same, with retired climbs too when @include_retired (the catalog view). */
GPtrArray   *topout_store_find_climbs_full   (TopoutStore  *self,
                                              const char   *query,
                                              const char   *climber_id,
                                              gboolean      include_retired,
                                              guint         limit);

/* Sessions --------------------------------------------------------------- */

/* Whether @text is empty, NULL or only spaces of any kind (a non-breaking
 * space too): a blank name is filled in, a blank pair is no pair. */
gboolean       topout_text_is_blank          (const char        *text);

/* The automatic name of a session ("Power · 2026-11-21"; the custom label
 * for CUSTOM): what a blank name becomes. */
char          *topout_session_auto_name      (TopoutSessionType  type,
                                              const char        *custom_label,
                                              const char        *date);
/* TRUE when @session's name is an automatic one: blank, this language's
 * (topout_session_auto_name()), or one made in another language, "… · DATE"
 * with the session's own date (a kiosk in German, a coach's desk in
 * English: it was shown as a name someone typed). */
gboolean       topout_session_name_is_automatic (TopoutSession *session);

/* Starts a live session from @draft's climber-id, session-type, custom-label,
 * name, time-slot (UNSET: the slot of now), at-gym and competition pair.
 * Rules 1, 2, 6. Returns the stored session. */
TopoutSession *topout_store_start_session    (TopoutStore    *self,
                                              TopoutSession  *draft,
                                              GError        **error);
/* A retroactive, finished session for a past date ("New past session"): @draft
 * carries climber-id, type, session-date, time-slot and optionally
 * started-at/ended-at (else the slot's start and end on that date). */
TopoutSession *topout_store_create_past_session (TopoutStore   *self,
                                                 TopoutSession *draft,
                                                 GError       **error);
/* Saves every editable field of @session (by id): type, custom label, name,
 * session date, time slot, started/ended at, at gym, notes, competition pair.
 * Bumps the revision and queues it for sync. Refused with STALE when the
 * stored revision is not @session's revision. */
gboolean       topout_store_update_session   (TopoutStore    *self,
                                              TopoutSession  *session,
                                              GError        **error);
gboolean       topout_store_end_session      (TopoutStore    *self,
                                              const char     *session_id,
                                              GError        **error);
/* The same, its end recorded at @ended_at (not before its start): the Undo
 * of a tap that reopened a session ends it again at its last route. */
gboolean       topout_store_end_session_at   (TopoutStore    *self,
                                              const char     *session_id,
                                              gint64          ended_at,
                                              GError        **error);
/* "Delete": a session is never hard-deleted; a never-synced one becomes
 * CANCELLED and is never sent, a synced one syncs its cancellation. */
gboolean       topout_store_cancel_session   (TopoutStore    *self,
                                              const char     *session_id,
                                              GError        **error);
/* An ended or cancelled session becomes ACTIVE again (undo, or the editor's
 * "Reopen"). Rules 1 and 2 apply; refused when rule 3a would end it again
 * at once, or its climber is archived (topout_store_session_can_reopen()). */
gboolean       topout_store_reopen_session   (TopoutStore    *self,
                                              const char     *session_id,
                                              GError        **error);
/* A cancelled ("deleted") session becomes COMPLETED again, its times kept
 * (the editor's "Restore", the undo of its "Delete"). Rule 2 applies. */
gboolean       topout_store_restore_session  (TopoutStore    *self,
                                              const char     *session_id,
                                              GError        **error);
/* Whether @s may become ACTIVE again: not once rule 3a would end it at
 * once (the closing time after its start has passed, or no route for the
 * idle hours); @error says which. */
gboolean       topout_store_session_can_reopen (TopoutStore    *self,
                                                TopoutSession  *s,
                                                GError        **error);
TopoutSession *topout_store_get_session      (TopoutStore    *self,
                                              const char     *session_id,
                                              GError        **error);
/* NULL when @climber_id has no active session. */
TopoutSession *topout_store_get_active_session (TopoutStore  *self,
                                                const char   *climber_id);
/* "On the wall now": every active session, longest-running first (those
 * started at the same moment by their climber's name, then id). */
GPtrArray     *topout_store_list_active_sessions (TopoutStore *self);
/* Rule 3a: ends every active session idle for auto-end-idle-hours or open past
 * the closing time. Returns how many it ended, or -1 with @error set. */
int            topout_store_end_forgotten_sessions (TopoutStore *self,
                                                    GError     **error);

/* Completions ------------------------------------------------------------ */

/* The front-desk tap: logs @climb_id for @climber_id into their active session,
 * starting one by rules 3 and 3a when needed. */
TopoutCompletion *topout_store_log_completion (TopoutStore      *self,
                                               const char       *climber_id,
                                               const char       *climb_id,
                                               guint             attempts,
                                               gboolean          is_success,
                                               const char       *notes,      /* nullable */
                                               TopoutLogOutcome *outcome,    /* nullable */
                                               GError          **error);
/* The same tap with a session chosen at the desk but not started yet (the
 * climber picked Competition and typed the pair, then logged): with no
 * active session the route goes into a new one made from @start as
 * topout_store_start_session() makes it (its climber-id, session-type,
 * custom-label, time-slot, competition pair; refused as Start refuses them,
 * nothing written), in the same transaction. An active session, or the
 * day's cap, take the route as in topout_store_log_completion(). */
TopoutCompletion *topout_store_log_completion_starting (TopoutStore      *self,
                                                        TopoutSession    *start,
                                                        const char       *climb_id,
                                                        guint             attempts,
                                                        gboolean          is_success,
                                                        const char       *notes,      /* nullable */
                                                        TopoutLogOutcome *outcome,    /* nullable */
                                                        GError          **error);
/* The coach editor: adds a completion to any session (its climb-id, attempts,
 * is-success, notes, logged-at; 0 logged-at means as the session's last, or
 * now in a live one). Its grade is the climb's, unless @draft has one: a
 * removal undone comes back with the grade it was logged with (SPEC §2:
 * re-grading the catalog never rewrites history). */
TopoutCompletion *topout_store_add_completion (TopoutStore      *self,
                                               const char       *session_id,
                                               TopoutCompletion *draft,
                                               GError          **error);
/* Saves climb, attempts, is-success and notes of @completion (by id). */
gboolean          topout_store_update_completion (TopoutStore      *self,
                                                  TopoutCompletion *completion,
                                                  GError          **error);
gboolean          topout_store_remove_completion (TopoutStore      *self,
                                                  const char       *completion_id,
                                                  GError          **error);
TopoutCompletion *topout_store_get_completion   (TopoutStore      *self,
                                                 const char       *completion_id,
                                                 GError          **error);
/* In logging order. */
GPtrArray        *topout_store_list_completions (TopoutStore      *self,
                                                 const char       *session_id);

/* Competition scorecards ------------------------------------------------- */

typedef struct {
  char     *climber_id;
  char     *climber_name;
  guint     tops;
  guint     attempts_to_top;  /* summed over topped climbs */
  guint     attempts;         /* all attempts */
  guint     place;            /* 1-based; climbers tied share it (1, 1, 3) */
  gboolean  tied;             /* the place is shared with another climber */
} TopoutScorecardRank;

void       topout_scorecard_rank_free (TopoutScorecardRank *rank);
/* Ranking of one competition (SPEC §2): tops (more first), then attempts to
 * top (fewer first). Climbers equal in both are tied: they share a place and
 * are listed by name; the next place skips as many as are tied. Every
 * climber with a session of the pair not cancelled is ranked, routes
 * logged or not: one without a route has 0 tops and 0 attempts, and shares
 * the place of those who have not topped. */
GPtrArray *topout_store_rank_competition (TopoutStore *self,
                                          const char  *competition_type,
                                          const char  *competition_id);
/* Every competition pair of a session not cancelled, routes logged or not
 * yet, as a flat array of strings (type, id, type, id, …), the one climbed
 * in most recently first (by the day of its latest session, then its
 * latest route or, a session without routes, its start; tops or not). */
GPtrArray *topout_store_list_competitions (TopoutStore *self);
/* The competition a pair typed for a new session means: when no session
 * holds the pair as typed (spaces at its ends aside) but one holds it
 * written otherwise in case ("boulder league" · "2026-R1" for "Boulder
 * League" · "2026-r1"), that pair as stored (the most recent, should
 * there be several), into @type_out and @id_out; else FALSE. Pairs stay
 * exact everywhere (rule 5): this only lets a new session join the
 * competition its typist meant. */
gboolean   topout_store_find_competition_spelling (TopoutStore *self,
                                                   const char  *competition_type,
                                                   const char  *competition_id,
                                                   char       **type_out,
                                                   char       **id_out);
/* One scorecard row, or FALSE when there is none. */
gboolean   topout_store_get_scorecard_row (TopoutStore *self,
                                           const char  *competition_type,
                                           const char  *competition_id,
                                           const char  *climber_id,
                                           const char  *climb_id,
                                           guint       *attempts,
                                           gboolean    *topped,
                                           guint       *attempts_to_top,
                                           gint64      *first_top_at);

/* Sync bookkeeping (used by the sync engine) ------------------------------- */

/* PENDING sessions and FAILED ones whose next attempt is at or before @now,
 * oldest first, with their completions loaded (topout_session_get_completions)
 * as the wire carries them: without the climb's name and colour. */
GPtrArray *topout_store_list_due_sessions (TopoutStore *self,
                                           gint64       now,
                                           guint        limit);
/* The same, skipping the sessions whose id is in @except (nullable) before
 * their completions are loaded: a sync taking batch after batch reads each
 * session once, not the whole queue again for every batch. NULL, with
 * @error set, when the database cannot be read (a damaged file): never a
 * short or empty queue for sessions that could not be read. */
GPtrArray *topout_store_list_due_sessions_except (TopoutStore *self,
                                                  gint64       now,
                                                  guint        limit,
                                                  GHashTable  *except,
                                                  GError     **error);
guint      topout_store_count_due_sessions (TopoutStore *self,
                                            gint64       now);
/* Sessions waiting to reach the server: PENDING, SYNCING, FAILED. FALSE,
 * with @error set, when the database cannot be read (a damaged file): never
 * a count of 0 for sessions that could not be counted. */
gboolean   topout_store_count_pending_full (TopoutStore *self,
                                            guint       *n_pending,
                                            GError     **error);
/* Both counts at once: @n_pending as above, and @n_attention the sessions
 * that wait for a person (REJECTED: an edit; CONFLICT: a choice). Either
 * may be NULL. */
gboolean   topout_store_count_sync_backlog (TopoutStore *self,
                                            guint       *n_pending,
                                            guint       *n_attention,
                                            GError     **error);
/* The same, 0 when the database cannot be read: only for callers that show
 * no count to anyone (tests, benchmarks); the sync engine uses _full. */
guint      topout_store_count_pending     (TopoutStore *self);
/* The earliest next attempt of a FAILED session, or 0 when none waits. */
gint64     topout_store_get_next_attempt_at (TopoutStore *self);
gboolean   topout_store_mark_syncing      (TopoutStore        *self,
                                           const char * const *session_ids,
                                           GError            **error);
/* Applies every result of one response in one transaction; each only if the
 * session's revision still equals the one sent. */
gboolean   topout_store_apply_sync_results (TopoutStore            *self,
                                            const TopoutSyncResult *results,
                                            guint                   n_results,
                                            GError                **error);
/* Sessions left in SYNCING by a crash become due again. Only the holder of
 * the sync lock may call it. Returns how many. */
int        topout_store_reset_syncing     (TopoutStore *self,
                                           GError     **error);
/* "Retry" on a FAILED or REJECTED row: due now. */
gboolean   topout_store_retry_session     (TopoutStore *self,
                                           const char  *session_id,
                                           GError     **error);
/* "Keep this device's version" on a CONFLICT row: re-sent with the server's
 * revision + 1. */
gboolean   topout_store_keep_local_version (TopoutStore *self,
                                            const char  *session_id,
                                            GError     **error);
/* When this database last synced with the server (µs since the epoch,
 * UTC), 0 when it never did or cannot be read. Each database keeps its own
 * (a coach's desk, a file opened with --db): it is stored in the database,
 * and written by the sync engine after each successful sync. */
gint64     topout_store_get_last_sync     (TopoutStore *self);
/* Records @usec (0 forgets it) in its own short transaction. */
gboolean   topout_store_set_last_sync     (TopoutStore *self,
                                           gint64       usec,
                                           GError     **error);
/* Until when the sync server asked this device to wait (a Retry-After:
 * wall clock, µs since the epoch, UTC), and which server asked (its
 * address as the sync engine normalises it) in *@server (nullable); 0 when
 * none asked or it cannot be read. Kept in the database, so that
 * `topout --sync-now` and the app after a restart honour it too. */
gint64     topout_store_get_sync_wait     (TopoutStore *self,
                                           char       **server);
/* Records it in its own short transaction; @usec 0 (or @server NULL)
 * forgets it. */
gboolean   topout_store_set_sync_wait     (TopoutStore *self,
                                           const char  *server,
                                           gint64       usec,
                                           GError     **error);

/* The sync server (its address, normalised by the sync engine) this
 * database's sync bookkeeping belongs to: the server ids, the SYNCED,
 * FAILED, REJECTED and CONFLICT states, the last sync. NULL when none is
 * recorded (never synced, or synced before the record was kept). */
char      *topout_store_get_sync_server   (TopoutStore *self);
/* Records @server as the one this database syncs with. When another one was
 * recorded, the database starts over for @server first (a gym moving to a
 * new server): every session that was synced, failed, rejected or in
 * conflict is due again, its server id, server revision and retries
 * forgotten (a cancelled one that was ever sent goes too, as its
 * cancellation), and the last sync is forgotten. In chunks of short
 * transactions; only the holder of the sync lock may call it. *@moved
 * (nullable) says whether the database started over. */
gboolean   topout_store_set_sync_server   (TopoutStore *self,
                                           const char  *server,
                                           gboolean    *moved,
                                           GError     **error);

/* Import and demo data ----------------------------------------------------- */

/* Catalog or climber file, JSON or CSV, told apart by content. All or nothing:
 * on a bad line nothing is written and the report names every bad line (the
 * function then returns NULL with an IMPORT error and fills @report_out).
 * @retire_missing retires catalog climbs absent from the file. A climb's
 * colour, wall or set-on date keeps its stored value when the file has no
 * such column (or key); an empty cell clears it. */
TopoutImportReport *topout_store_import_file (TopoutStore         *self,
                                              GFile               *file,
                                              gboolean             retire_missing,
                                              TopoutImportReport **report_out,
                                              GError             **error);
TopoutImportReport *topout_store_import_bytes (TopoutStore         *self,
                                               GBytes              *bytes,
                                               gboolean             retire_missing,
                                               TopoutImportReport **report_out,
                                               GError             **error);
/* On an empty database: the demo catalog and climbers of data/ and 60 days of
 * finished sessions, marked as demo data, never due for sync. Does nothing on
 * a database that already has climbers. */
gboolean topout_store_fill_demo (TopoutStore *self,
                                 GError     **error);

/* topout-generate: reproducible synthetic data, eligible for sync. */
gboolean topout_store_generate  (TopoutStore *self,
                                 guint        n_sessions,
                                 guint        routes_per_session,
                                 guint32      seed,
                                 GError     **error);
/* The same with @n_climbers climbers and a catalog of @n_climbs climbs (0:
 * the defaults, one climber per 200 sessions but at least 20, and 300 climbs):
 * a gym chain's front desk and catalog. */
gboolean topout_store_generate_full (TopoutStore *self,
                                     guint        n_sessions,
                                     guint        routes_per_session,
                                     guint        n_climbers,
                                     guint        n_climbs,
                                     guint32      seed,
                                     GError     **error);

G_END_DECLS
