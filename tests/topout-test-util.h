/* topout-test-util.h — what the tests share: real SQLite files in a fresh
 * temporary folder, a clock the test moves, and a dump of a database file read
 * through its own SQLite connection (to prove a refusal left it unchanged). */
#pragma once

#include <adwaita.h>

#include "topout-store.h"

G_BEGIN_DECLS

/* A new temporary folder, removed with its files when the test program exits. */
const char  *topout_test_tmpdir        (void);
/* A path in that folder: tmpdir/@name. */
char        *topout_test_path          (const char *name);

/* A store on a new file with the clock at @now_rfc3339 ("2026-11-21T17:00:00Z"),
 * the gym in UTC and the default rules. @path_out receives the file's path. */
TopoutStore *topout_test_store_new     (const char  *now_rfc3339,
                                        char       **path_out);
/* Moves the test clock of every store made by topout_test_store_new(). */
void         topout_test_set_now       (const char  *rfc3339);
void         topout_test_advance       (gint64       usec);
gint64       topout_test_parse_time    (const char  *rfc3339);

/* A GSpawnChildSetupFunc: the child is killed when the test dies, so a
 * server outlives no failed test (nor holds its output pipe open). */
void         topout_test_die_with_parent (gpointer user_data);

/* The real topout-server ($TOPOUT_SERVER) on a loopback port of its own
 * choosing, on the database @db, with the tokens of @token_file when it is
 * not NULL; its address in @url_out. It dies with the test. */
GSubprocess *topout_test_server_spawn  (const char  *db,
                                        const char  *token_file,
                                        char       **url_out);
/* The same with its test mode (--test-faults) when @faults. */
GSubprocess *topout_test_server_spawn_full (const char  *db,
                                            const char  *token_file,
                                            gboolean     faults,
                                            char       **url_out);
/* Through the test mode of the server at @url: after @after more requests
 * answered as usual, the next @count ones fail as @mode says ("503",
 * "429" and "500" answers, "drop", "hang", …; see topout-server), 503 and
 * 429 with Retry-After: @retry_after. */
void         topout_test_server_set_fault (const char *url,
                                           guint       after,
                                           const char *mode,
                                           guint       count,
                                           guint       retry_after);

/* The first column of the first row of @sql, read from the database file at
 * @path through a new read-only connection (beside whoever writes it). */
gint64       topout_test_query_int     (const char *path,
                                        const char *sql);

/* The counts of sessions by sync state that the store's triggers keep
 * (sync_counts) are those of the sessions table of @path. */
void         topout_test_assert_sync_counts (const char *path);

/* Every table of @path, every row, as text (through a new connection). */
char        *topout_test_dump_db       (const char  *path);

/* Runs the default main context until nothing is pending. */
void         topout_test_pump          (void);
/* Runs it for @ms, then until nothing is pending (a button pressed with
 * Enter clicks after its short press animation). */
void         topout_test_wait_ms       (guint        ms);
/* Runs the main loop until @widget has been through @n frames (laid out
 * and drawn), 60 s at most (a hang guard), then until nothing is pending. GTK 4.8 orders
 * Tab stops by where widgets are laid out, and iterating returns before a
 * frame the clock has not yet started. */
void         topout_test_wait_frames   (GtkWidget   *widget,
                                        guint        n);

/* TRUE when a mapped label under @root holds @text. */
gboolean     topout_test_shows_text    (GtkWidget   *root,
                                        const char  *text);
/* Down pressed in @entry, through its topout_entry_down_to_list()
 * controller: TRUE when the key was taken. */
gboolean     topout_test_press_down    (GtkWidget   *entry);
/* Opens @drop_down's list (of GtkStringObject) and closes it again: how
 * many of its items a screen reader hears by their text. */
guint        topout_test_drop_down_named_items (GtkDropDown *drop_down);
/* Tab (Shift+Tab with @backward) pressed in a row of @list, through its
 * topout_list_box_one_tab_stop() or topout_list_view_one_tab_stop()
 * controller and then the window. */
void         topout_test_press_tab     (GtkWidget   *list,
                                        gboolean     backward);
/* Appends to @small, as "@state: type action "label" WxH" lines, the touch
 * targets under @root (buttons, check buttons, switches, entries, drop
 * downs, activatable rows) a finger can reach that are less than 44 px
 * wide or high, in @window's coordinates. */
void         topout_test_append_small_targets (GtkWidget  *root,
                                               GtkWidget  *window,
                                               const char *state,
                                               GString    *small);
typedef gboolean (*TopoutTestMatchFunc) (GtkWidget     *widget,
                                         gconstpointer  data);
/* The first widget under @root (depth first, @root included) @match takes. */
GtkWidget   *topout_test_find          (GtkWidget           *root,
                                        TopoutTestMatchFunc  match,
                                        gconstpointer        data);
/* @widget's template child @name (of its class @type), asserted there
 * (gtk_widget_get_template_child()). */
gpointer     topout_test_template_child (gpointer     widget,
                                         GType        type,
                                         const char  *name);
/* Runs the main loop until the export or import of @history (a
 * TopoutHistoryView) is done (60 s at most, a hang guard). */
void         topout_test_wait_transfer (GtkWidget   *history);
/* The first widget of @type under @root (depth first, @root included). */
GtkWidget   *topout_test_find_by_type  (GtkWidget   *root,
                                        GType        type);

/* The competition scorecards of @path (SPEC §2), one line a row sorted,
 * "type|id|climber|climb attempts topped attempts-to-top first-top-at":
 * recomputed here from the routes, or as stored. */
char        *topout_test_scorecards_recomputed (const char *path);
char        *topout_test_scorecards_stored     (const char *path);
/* The two agree, and every route carries its session's competition pair. */
void         topout_test_assert_scorecards_agree (const char *path);

/* @text with its first @from replaced by @to; asserts @from is there. */
char        *topout_test_replace_once  (const char  *text,
                                        const char  *from,
                                        const char  *to);

/* Shorthands that assert success. */
TopoutClimber *topout_test_add_climber (TopoutStore *store,
                                        const char  *name,
                                        const char  *member_code);
TopoutClimb   *topout_test_add_climb   (TopoutStore *store,
                                        const char  *id,
                                        const char  *name,
                                        const char  *grade);
TopoutSession *topout_test_start       (TopoutStore       *store,
                                        const char        *climber_id,
                                        TopoutSessionType  type);
/* A COMPETITION session of (@competition_type, @competition_id) started. */
TopoutSession *topout_test_start_competition (TopoutStore *store,
                                              const char  *climber_id,
                                              const char  *competition_type,
                                              const char  *competition_id);

/* After the pending main-loop work: the one message dialog on screen (a
 * prompt), asserting there is at most one, so that an old, answered prompt
 * can never stand in for a new one; NULL when there is none. */
AdwMessageDialog *topout_test_find_prompt (void);

/* The size of @path in bytes; 0 when it does not exist. */
goffset      topout_test_file_size     (const char  *path);
/* @n_pages rows of about a page each ("test-%05u" keys in meta, from @first),
 * 100 to a transaction, through @store's connection and its begin/commit. */
void         topout_test_write_pages   (TopoutStore *store,
                                        guint        first,
                                        guint        n_pages);

G_END_DECLS
