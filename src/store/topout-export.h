/* topout-export.h — sessions out and back in (SPEC section 5).
 *
 * Export, CSV: one row per completion (a session without completions is one
 * row with empty completion columns), a header row of column names.
 * Export, JSON: newline-delimited. Line 1 is a header object
 *   {"topoutExport":1, "app":…, "exportedAt":…, "deviceId":…, "sessions":N,
 *    "climbers":[…], "climbs":[…]}
 * holding the climbers and climbs the sessions refer to; every further line is
 * one session in the sync contract's shape (topout-sync-codec.h). Both are
 * written and read line by line, so neither needs the whole file in memory:
 * the import holds one line at most, as long as the longest session the
 * limits allow (topout-limits.h; longer than a sync request body, so such a
 * line is decoded in parts), and skips a longer one as a bad line.
 *
 * Import reads that JSON back. Every line is checked; a session whose clientId
 * is already in the database is left as it is (so importing twice adds
 * nothing). All or nothing: at the first bad line writing stops, the rest of
 * the file is still checked so the report names every bad line, and what this
 * import had written is taken out again. A climber of the header whose id
 * is not here but whose member code a climber here has (codes compared
 * without case) is that climber (SPEC §2: the code is the person across
 * devices): the file's sessions of them are stored under the id here, their
 * name here is kept, and the report's n_matched counts such climbers.
 * Writes commit in chunks of about
 * 20 ms so a running window never waits on them; if the process dies midway,
 * running the import again completes it without duplicates.
 *
 * Imported sessions are not queued for sync, nor when edited or moved by a
 * merge here: they belong to the device that recorded them (the server
 * would refuse them from another device's token as foreign_client_id, or
 * give their clientIds to this one's). That device is kept with them
 * (sessions.device_id, schema version 5) and is their deviceId when they
 * are exported again, from any device. While an import is under way its
 * sessions stay out of History and of exports (its journal names them), its
 * new climbers and climbs out of every list and search (the desk's too), and
 * what its sessions add out of the competitions and their rankings.
 */
#pragma once

#include <gio/gio.h>

#include "topout-store.h"

G_BEGIN_DECLS

typedef enum {
  TOPOUT_EXPORT_CSV,
  TOPOUT_EXPORT_JSON,
} TopoutExportFormat;

/* Which sessions: every field nullable; dates are "YYYY-MM-DD", inclusive, on
 * the session date; session_type and sync_state are keys ("COMPETITION",
 * "PENDING"), as History filters by them. Active sessions are never
 * exported. */
typedef struct {
  const char *climber_id;
  const char *from;
  const char *to;
  const char *session_type;
  const char *sync_state;
} TopoutExportFilter;

/* @fraction from 0 to 1, called at most about 200 times in a run, from the
 * thread that runs the export or import. */
typedef void (*TopoutProgressFunc) (double   fraction,
                                    gpointer user_data);

/* "csv" / "json"; FALSE for anything else. */
gboolean topout_export_format_from_string (const char         *text,
                                           TopoutExportFormat *out);

/* Writes the sessions @filter selects to @out (not closed), from one read
 * snapshot. Counts are optional. */
gboolean topout_store_export (TopoutStore              *self,
                              TopoutExportFormat        format,
                              const TopoutExportFilter *filter,
                              GOutputStream            *out,
                              TopoutProgressFunc        progress,
                              gpointer                  user_data,
                              GCancellable             *cancellable,
                              guint                    *n_sessions,
                              guint                    *n_completions,
                              GError                  **error);

/* The same into @file, replaced only once the whole export is written (an
 * interrupted export leaves the old file as it was). */
gboolean topout_store_export_to_file (TopoutStore              *self,
                                      TopoutExportFormat        format,
                                      const TopoutExportFilter *filter,
                                      GFile                    *file,
                                      TopoutProgressFunc        progress,
                                      gpointer                  user_data,
                                      GCancellable             *cancellable,
                                      guint                    *n_sessions,
                                      guint                    *n_completions,
                                      GError                  **error);

/* The ranking of one competition, as the Scorecard shows it
 * (topout_store_rank_competition()), as CSV for a league's spreadsheet: a
 * header row (place, climberName, memberCode, tops, attemptsToTop,
 * attempts, competitionType, competitionId), then a row per climber in
 * order; the place as the Scorecard writes it ("2=" where shared),
 * attemptsToTop empty for a climber without a top. Cells quoted as the
 * session CSV's, a name a spreadsheet would run as a formula ("=cmd")
 * behind an apostrophe. */
gboolean topout_store_export_ranking (TopoutStore    *self,
                                      const char     *competition_type,
                                      const char     *competition_id,
                                      GOutputStream  *out,
                                      GCancellable   *cancellable,
                                      guint          *n_climbers,
                                      GError        **error);
/* The same into @file, replaced only once whole, as
 * topout_store_export_to_file() writes. */
gboolean topout_store_export_ranking_to_file (TopoutStore    *self,
                                              const char     *competition_type,
                                              const char     *competition_id,
                                              GFile          *file,
                                              GCancellable   *cancellable,
                                              guint          *n_climbers,
                                              GError        **error);

/* The active (running) sessions @filter selects, which an export leaves
 * out: what History lists and its file does not hold. */
guint topout_store_count_active_left_out (TopoutStore              *self,
                                          const TopoutExportFilter *filter);

/* TRUE when @file starts like a session export (its header line). */
gboolean topout_file_is_session_export (GFile *file);

/* Reads a JSON session export. The report counts sessions: n_added new,
 * n_unchanged already here. On bad lines: NULL, a TOPOUT_STORE_ERROR_IMPORT
 * error and *report_out names every bad line (numbered from 1, the header
 * being line 1); nothing stays written. The import commits in chunks
 * (SPEC §7) and notes every row it adds in an import journal, emptied in
 * its last commit: a refused import takes those rows out again, and so does
 * topout_store_recover_import() after a crash. One import at a time per
 * database (a lock file beside it). */
TopoutImportReport *topout_store_import_sessions (TopoutStore         *self,
                                                  GFile               *file,
                                                  TopoutProgressFunc   progress,
                                                  gpointer             user_data,
                                                  GCancellable        *cancellable,
                                                  TopoutImportReport **report_out,
                                                  GError             **error);

/* The same into a new database at @db_path (none is there): the database is
 * made beside it (@db_path.importing) and gets its name only once the
 * import is whole, so nobody opens it half made and it is all or nothing by
 * itself. It is written in one transaction, without an import journal, and
 * builds History's and the sync queue's indexes once at the end rather than
 * row by row. Should a database appear at @db_path meanwhile, the file goes
 * into that one as topout_store_import_sessions() does. */
TopoutImportReport *topout_import_sessions_to_new (const char          *db_path,
                                                   GFile               *file,
                                                   TopoutProgressFunc   progress,
                                                   gpointer             user_data,
                                                   GCancellable        *cancellable,
                                                   TopoutImportReport **report_out,
                                                   GError             **error);

/* The command line (no display): `topout --export` and `topout --import`.
 * They print a percentage on a terminal and a summary, and return the exit
 * code (0, or 1 on any error). */
int topout_export_run_cli (const char *db_path,
                           const char *format,
                           const char *output,
                           const char *climber_id,
                           const char *from,
                           const char *to);
int topout_import_run_cli (const char *db_path,
                           const char *path,
                           gboolean    retire_missing);

/* Takes out what an import that did not finish (killed, or its undo failed
 * on a full disk) left: the rows its journal names. Nothing when another
 * process's import is under way. The number of sessions taken out, or -1
 * with @error. topout_store_open() calls it. */
int                 topout_store_recover_import  (TopoutStore  *self,
                                                  GError      **error);

G_END_DECLS
