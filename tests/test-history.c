/* test-history.c — TopoutHistoryModel against plain SQL on a real SQLite file.
 *
 * Every check compares the model with "SELECT id … ORDER BY" of the same
 * filter, position by position. Changes are followed by a recorder that
 * applies each ::items-changed to its own copy of the list, the way a list
 * view does (reading the added rows while the signal runs), so a wrong or
 * missing emission shows up as a copy that differs from the table.
 */
#include <sqlite3.h>

#include "topout-history-model.h"
#include "topout-store-private.h"
#include "topout-test-util.h"

#define N_SESSIONS   3000
#define N_CLIMBERS   12
#define CACHE_ROWS   TOPOUT_HISTORY_CACHE_ROWS
#define SPACING      TOPOUT_HISTORY_ANCHOR_SPACING
#define BLOCK        TOPOUT_HISTORY_BLOCK_SIZE
#define DAY          ((gint64) 24 * 3600 * G_USEC_PER_SEC)
#define HOUR         ((gint64) 3600 * G_USEC_PER_SEC)

/* Every type but COMPETITION, which needs a competition pair to be edited. */
static const TopoutSessionType raw_types[] = {
  TOPOUT_SESSION_TYPE_FUN, TOPOUT_SESSION_TYPE_CUSTOM, TOPOUT_SESSION_TYPE_POWER,
  TOPOUT_SESSION_TYPE_POWER_ENDURANCE, TOPOUT_SESSION_TYPE_TENSION_BOARD,
  TOPOUT_SESSION_TYPE_ENDURANCE, TOPOUT_SESSION_TYPE_WORKOUT,
};

typedef struct {
  TopoutStore *store;
  char        *path;
  GPtrArray   *climber_ids;
} Fixture;

/* Fixture: N_SESSIONS finished sessions written raw --------------------- */

static void
insert_raw_sessions (Fixture *f,
                     guint    n,
                     guint32  seed,
                     int      first_day_offset)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (GDateTime) base = g_date_time_new_utc (2026, 11, 20, 0, 0, 0);
  static const int hours[] = { 9, 14, 18 };

  g_assert_true (_topout_store_begin (f->store, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TopoutSession) s = topout_session_new ();
      g_autoptr (GDateTime) day = NULL;
      g_autofree char *id = g_strdup_printf ("%08x-%05u", g_rand_int (rand), i);
      g_autofree char *date = NULL;
      TopoutSessionType type = raw_types[g_rand_int_range (rand, 0, G_N_ELEMENTS (raw_types))];
      gint64 started;
      double roll;

      /* About 6 sessions a day over 500 days, on three start times: many
       * rows share (date, started_at) and are ordered by id alone. */
      day = g_date_time_add_days (base, -first_day_offset - g_rand_int_range (rand, 0, 500));
      date = g_date_time_format (day, "%Y-%m-%d");
      started = g_date_time_to_unix (day) * G_USEC_PER_SEC +
                hours[g_rand_int_range (rand, 0, G_N_ELEMENTS (hours))] * HOUR;

      topout_session_set_id (s, id);
      topout_session_set_climber_id (s, g_ptr_array_index (f->climber_ids,
                                                           g_rand_int_range (rand, 0, N_CLIMBERS)));
      topout_session_set_session_type (s, type);
      topout_session_set_custom_label (s, type == TOPOUT_SESSION_TYPE_CUSTOM ? "Hangboard" : NULL);
      topout_session_set_name (s, "Raw session");
      topout_session_set_status (s, TOPOUT_SESSION_STATUS_COMPLETED);
      topout_session_set_started_at (s, started);
      topout_session_set_ended_at (s, started + 2 * HOUR);
      topout_session_set_session_date (s, date);
      topout_session_set_time_slot (s, TOPOUT_TIME_SLOT_MORNING);
      topout_session_set_at_gym (s, 1);
      topout_session_set_notes (s, "");
      topout_session_set_created_at (s, started);
      topout_session_set_updated_at (s, started + 2 * HOUR);
      topout_session_set_revision (s, 1);
      /* Skewed like a real device: mostly SYNCED, many PENDING, a few of
       * each other state. */
      roll = g_rand_double (rand);
      topout_session_set_sync_state (s, roll < 0.4 ? TOPOUT_SYNC_STATE_SYNCED
                                        : roll < 0.6 ? TOPOUT_SYNC_STATE_PENDING
                                        : g_rand_int_range (rand, 0, TOPOUT_SYNC_STATE_CONFLICT + 1));
      g_assert_true (_topout_store_insert_session_row (f->store, s, &error));
      g_assert_no_error (error);
    }
  g_assert_true (_topout_store_commit (f->store, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = topout_test_store_new ("2026-11-21T17:00:00Z", &f->path);
  f->climber_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < N_CLIMBERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Climber %02u", i);
      g_autoptr (TopoutClimber) climber = topout_test_add_climber (f->store, name, NULL);

      g_ptr_array_add (f->climber_ids, g_strdup (topout_climber_get_id (climber)));
    }
  insert_raw_sessions (f, N_SESSIONS, 20261121, 1);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->climber_ids, g_ptr_array_unref);
  g_clear_object (&f->store);
  g_clear_pointer (&f->path, g_free);
}

#define CLIMBER(f, i) ((const char *) g_ptr_array_index ((f)->climber_ids, (i)))

/* The reference: plain SQL --------------------------------------------- */

static GPtrArray *
reference_ids (TopoutStore *store,
               const char  *climber_id,
               int          session_type,
               int          sync_state)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_topout_store_get_db (store),
                                       "SELECT id FROM sessions"
                                       " WHERE (?1 IS NULL OR climber_id = ?1)"
                                       " AND (?2 IS NULL OR type = ?2)"
                                       " AND (?3 IS NULL OR sync_state = ?3)"
                                       " ORDER BY session_date DESC, started_at DESC, id DESC",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  if (climber_id != NULL)
    sqlite3_bind_text (stmt, 1, climber_id, -1, SQLITE_TRANSIENT);
  if (session_type >= 0)
    sqlite3_bind_text (stmt, 2, topout_session_type_to_key (session_type), -1, SQLITE_STATIC);
  if (sync_state >= 0)
    sqlite3_bind_text (stmt, 3, topout_sync_state_to_key (sync_state), -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return ids;
}

static GPtrArray *
reference_for (TopoutHistoryModel *model)
{
  return reference_ids (topout_history_model_get_store (model),
                        topout_history_model_get_climber_id (model),
                        topout_history_model_get_session_type (model),
                        topout_history_model_get_sync_state (model));
}

static char *
id_at (GListModel *model,
       guint       position)
{
  g_autoptr (TopoutSession) s = g_list_model_get_item (model, position);

  g_assert_nonnull (s);
  return g_strdup (topout_session_get_id (s));
}

static gint
index_of (GPtrArray  *ids,
          const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_str_equal (g_ptr_array_index (ids, i), id))
      return (gint) i;
  return -1;
}

static guint
position_in (GPtrArray  *ids,
             const char *id)
{
  gint i = index_of (ids, id);

  g_assert_cmpint (i, >=, 0);
  return (guint) i;
}

static void
assert_same_ids (GPtrArray  *expected,
                 GPtrArray  *actual,
                 const char *what)
{
  if (expected->len != actual->len)
    g_error ("%s: %u rows, expected %u", what, actual->len, expected->len);
  for (guint i = 0; i < expected->len; i++)
    if (!g_str_equal (g_ptr_array_index (expected, i), g_ptr_array_index (actual, i)))
      g_error ("%s: position %u is %s, expected %s", what, i,
               (char *) g_ptr_array_index (actual, i), (char *) g_ptr_array_index (expected, i));
}

/* Reads every position in order, checking the cache bound after each. */
static GPtrArray *
model_ids (TopoutHistoryModel *model)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (ids, id_at (G_LIST_MODEL (model), i));
      g_assert_cmpuint (topout_history_model_get_cache_size (model), <=, CACHE_ROWS);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n));
  return ids;
}

/* The model, read in a random order and then in order, equals the SQL. */
static void
assert_model_matches_sql (TopoutHistoryModel *model,
                          guint32             seed)
{
  g_autoptr (GPtrArray) expected = reference_for (model);
  g_autoptr (GPtrArray) walked = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
  guint n_items_prop = 0;

  g_assert_cmpuint (n, ==, expected->len);
  g_object_get (model, "n-items", &n_items_prop, NULL);
  g_assert_cmpuint (n_items_prop, ==, expected->len);

  if (n > 0)
    {
      /* The end first: every anchor at once. */
      g_autofree char *last = id_at (G_LIST_MODEL (model), n - 1);
      g_assert_cmpstr (last, ==, g_ptr_array_index (expected, n - 1));

      for (guint k = 0; k < 300; k++)
        {
          guint i = g_rand_int_range (rand, 0, n);
          g_autofree char *id = id_at (G_LIST_MODEL (model), i);

          g_assert_cmpstr (id, ==, g_ptr_array_index (expected, i));
          g_assert_cmpuint (topout_history_model_get_cache_size (model), <=, CACHE_ROWS);
        }
    }

  walked = model_ids (model);
  assert_same_ids (expected, walked, "model");
  /* Anchors stay few: about one every SPACING rows. */
  g_assert_cmpuint (topout_history_model_get_n_anchors (model), <=, 2 * (n / SPACING) + 2);
}

/* A recorder of ::items-changed ------------------------------------------ */

typedef struct {
  guint position;
  guint removed;
  guint added;
} Change;

typedef struct {
  TopoutHistoryModel *model;
  GPtrArray          *shadow;   /* the list as a view following the signals has it */
  GArray             *changes;  /* of Change */
  guint               n_notify;
  gulong              items_id;
  gulong              notify_id;
} Recorder;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Recorder   *r)
{
  Change change = { position, removed, added };

  g_assert_cmpuint (position + removed, <=, r->shadow->len);
  g_ptr_array_remove_range (r->shadow, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (r->shadow, position + i, id_at (model, position + i));
  g_assert_cmpuint (r->shadow->len, ==, g_list_model_get_n_items (model));
  g_array_append_val (r->changes, change);
}

static void
on_notify_n_items (GObject    *object,
                   GParamSpec *pspec,
                   Recorder   *r)
{
  r->n_notify++;
}

static void
recorder_init (Recorder           *r,
               TopoutHistoryModel *model)
{
  r->model = g_object_ref (model);
  r->shadow = model_ids (model);
  r->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  r->n_notify = 0;
  r->items_id = g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), r);
  r->notify_id = g_signal_connect (model, "notify::n-items", G_CALLBACK (on_notify_n_items), r);
}

static void
recorder_clear (Recorder *r)
{
  g_clear_signal_handler (&r->items_id, r->model);
  g_clear_signal_handler (&r->notify_id, r->model);
  g_clear_pointer (&r->shadow, g_ptr_array_unref);
  g_clear_pointer (&r->changes, g_array_unref);
  g_clear_object (&r->model);
}

/* The copy kept by the signals, the model itself and a fresh model on the
 * same filter all equal the SQL. Forgets the recorded changes. */
static void
recorder_check (Recorder *r)
{
  g_autoptr (GPtrArray) expected = reference_for (r->model);
  g_autoptr (GPtrArray) walked = NULL;
  g_autoptr (TopoutHistoryModel) fresh = topout_history_model_new (topout_history_model_get_store (r->model));
  g_autoptr (GPtrArray) fresh_ids = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (expected->len);

  /* Random positions first: they go through the anchors the model kept
   * (and moved) across the changes; reading in order mostly does not. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (r->model)), ==, expected->len);
  for (guint k = 0; k < 100 && expected->len > 0; k++)
    {
      guint i = k == 0 ? expected->len - 1 : (guint) g_rand_int_range (rand, 0, expected->len);
      g_autofree char *id = id_at (G_LIST_MODEL (r->model), i);

      if (!g_str_equal (id, g_ptr_array_index (expected, i)))
        g_error ("model at random position %u: %s, expected %s", i, id,
                 (char *) g_ptr_array_index (expected, i));
    }
  walked = model_ids (r->model);

  topout_history_model_set_filter (fresh,
                                   topout_history_model_get_climber_id (r->model),
                                   topout_history_model_get_session_type (r->model),
                                   topout_history_model_get_sync_state (r->model));
  fresh_ids = model_ids (fresh);
  assert_same_ids (expected, r->shadow, "list following the signals");
  assert_same_ids (expected, walked, "model");
  assert_same_ids (expected, fresh_ids, "fresh model");

  g_array_set_size (r->changes, 0);
  r->n_notify = 0;
}

static void
assert_changes (Recorder *r,
                guint     n_changes,
                ...)
{
  va_list args;

  if (r->changes->len != n_changes)
    {
      for (guint i = 0; i < r->changes->len; i++)
        {
          Change *c = &g_array_index (r->changes, Change, i);
          g_test_message ("change %u: (%u, %u, %u)", i, c->position, c->removed, c->added);
        }
      g_error ("%u ::items-changed, expected %u", r->changes->len, n_changes);
    }
  va_start (args, n_changes);
  for (guint i = 0; i < n_changes; i++)
    {
      Change *c = &g_array_index (r->changes, Change, i);
      guint position = va_arg (args, guint);
      guint removed = va_arg (args, guint);
      guint added = va_arg (args, guint);

      g_assert_cmpuint (c->position, ==, position);
      g_assert_cmpuint (c->removed, ==, removed);
      g_assert_cmpuint (c->added, ==, added);
    }
  va_end (args);
}

/* Only the changes, for a model nobody has read through (few anchors). */
static void
on_light_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
assert_same_changes (GArray   *changes,
                     Recorder *r)
{
  g_assert_cmpuint (changes->len, ==, r->changes->len);
  for (guint i = 0; i < changes->len; i++)
    {
      Change *a = &g_array_index (changes, Change, i);
      Change *b = &g_array_index (r->changes, Change, i);

      g_assert_cmpuint (a->position, ==, b->position);
      g_assert_cmpuint (a->removed, ==, b->removed);
      g_assert_cmpuint (a->added, ==, b->added);
    }
  g_array_set_size (changes, 0);
}

/* Store shorthands ------------------------------------------------------- */

static TopoutSession *
load (Fixture    *f,
      const char *id)
{
  g_autoptr (GError) error = NULL;
  TopoutSession *s = topout_store_get_session (f->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  return s;
}

static void
save (Fixture       *f,
      TopoutSession *s)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (topout_store_update_session (f->store, s, &error));
  g_assert_no_error (error);
}

static void
mark_syncing (Fixture            *f,
              const char * const *ids)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (topout_store_mark_syncing (f->store, ids, &error));
  g_assert_no_error (error);
}

/* Tests -------------------------------------------------------------------- */

static void
test_order (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr (TopoutHistoryModel) model = topout_history_model_new (f->store);
  g_autoptr (GPtrArray) expected = reference_for (model);
  TopoutSession *a, *b;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == TOPOUT_TYPE_SESSION);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_SESSIONS);
  g_assert_cmpuint (topout_history_model_get_cache_size (model), ==, 0);

  assert_model_matches_sql (model, 1);
  /* The jump to the end left an anchor every SPACING rows; walking all rows
   * kept only the bounded cache: the last blocks, the very last one partial. */
  g_assert_cmpuint (topout_history_model_get_n_anchors (model), ==, (N_SESSIONS + SPACING - 1) / SPACING);
  g_assert_cmpuint (topout_history_model_get_cache_size (model), ==, CACHE_ROWS - BLOCK + N_SESSIONS % BLOCK);

  /* The same object for the same position while its page is cached. */
  a = g_list_model_get_item (G_LIST_MODEL (model), N_SESSIONS - 5);
  b = g_list_model_get_item (G_LIST_MODEL (model), N_SESSIONS - 5);
  g_assert_true (a == b);
  g_object_unref (a);
  g_object_unref (b);

  /* Ties on (date, started_at) exist and are ordered by id, descending. */
  {
    guint ties = 0;

    for (guint i = 1; i < N_SESSIONS; i++)
      {
        g_autoptr (TopoutSession) prev = g_list_model_get_item (G_LIST_MODEL (model), i - 1);
        g_autoptr (TopoutSession) cur = g_list_model_get_item (G_LIST_MODEL (model), i);

        if (g_str_equal (topout_session_get_session_date (prev), topout_session_get_session_date (cur)) &&
            topout_session_get_started_at (prev) == topout_session_get_started_at (cur))
          {
            ties++;
            g_assert_cmpstr (topout_session_get_id (prev), >, topout_session_get_id (cur));
          }
      }
    g_assert_cmpuint (ties, >, 100);
  }

  /* Full rows, not just ids. */
  {
    g_autoptr (TopoutSession) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_autoptr (TopoutSession) stored = load (f, topout_session_get_id (first));

    g_assert_cmpstr (topout_session_get_climber_name (first), ==, topout_session_get_climber_name (stored));
    g_assert_cmpstr (topout_session_get_climber_name (first), !=, NULL);
    g_assert_cmpint (topout_session_get_started_at (first), ==, topout_session_get_started_at (stored));
    g_assert_cmpint (topout_session_get_sync_state (first), ==, topout_session_get_sync_state (stored));
    g_assert_cmpstr (topout_session_get_id (first), ==, g_ptr_array_index (expected, 0));
  }
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr (TopoutHistoryModel) model = topout_history_model_new (f->store);
  g_autoptr (TopoutClimber) newcomer = topout_test_add_climber (f->store, "Newcomer", NULL);
  const char *climbers[] = { NULL, CLIMBER (f, 3) };
  const int types[] = { -1, TOPOUT_SESSION_TYPE_POWER };
  /* With a type, PENDING is read through the type index and CONFLICT (rarer
   * than any type) through the sync-state one. */
  const int states[] = { -1, TOPOUT_SYNC_STATE_PENDING, TOPOUT_SYNC_STATE_CONFLICT };
  Recorder r;
  guint32 seed = 10;

  recorder_init (&r, model);

  /* Each filter alone and every combination. */
  for (guint c = 0; c < G_N_ELEMENTS (climbers); c++)
    for (guint t = 0; t < G_N_ELEMENTS (types); t++)
      for (guint s = 0; s < G_N_ELEMENTS (states); s++)
        {
          guint old_n = g_list_model_get_n_items (G_LIST_MODEL (model));
          g_autoptr (GPtrArray) expected = reference_ids (f->store, climbers[c], types[t], states[s]);
          gboolean same = g_strcmp0 (climbers[c], topout_history_model_get_climber_id (model)) == 0 &&
                          types[t] == topout_history_model_get_session_type (model) &&
                          states[s] == topout_history_model_get_sync_state (model);

          topout_history_model_set_filter (model, climbers[c], types[t], states[s]);
          g_test_message ("filter climber=%s type=%d state=%d: %u rows",
                          climbers[c], types[t], states[s], expected->len);
          /* Every filter narrows the list; all three may leave nothing. */
          if ((c > 0) + (t > 0) + (s > 0) < 3)
            g_assert_cmpuint (expected->len, >, 0);
          if (c + t + s > 0)
            g_assert_cmpuint (expected->len, <, N_SESSIONS);
          if (same)
            assert_changes (&r, 0);
          else
            assert_changes (&r, 1, 0, old_n, expected->len);
          g_assert_cmpuint (r.n_notify, ==, !same && old_n != expected->len ? 1 : 0);
          assert_model_matches_sql (model, seed++);
          recorder_check (&r);
        }

  /* The rows of one climber really are theirs. */
  topout_history_model_set_filter (model, CLIMBER (f, 5), TOPOUT_SESSION_TYPE_CUSTOM, -1);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr (TopoutSession) s = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpstr (topout_session_get_climber_id (s), ==, CLIMBER (f, 5));
      g_assert_cmpint (topout_session_get_session_type (s), ==, TOPOUT_SESSION_TYPE_CUSTOM);
    }
  recorder_check (&r);

  /* Through the properties, one at a time. */
  g_object_set (model, "climber-id", NULL, "session-type", -1, "sync-state", -1, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_SESSIONS);
  g_object_set (model, "sync-state", TOPOUT_SYNC_STATE_CONFLICT, NULL);
  assert_model_matches_sql (model, seed++);
  g_object_set (model, "session-type", TOPOUT_SESSION_TYPE_WORKOUT, NULL);
  assert_model_matches_sql (model, seed++);
  g_object_set (model, "climber-id", CLIMBER (f, 0), NULL);
  assert_model_matches_sql (model, seed++);
  recorder_check (&r);

  /* "" means every climber. */
  topout_history_model_set_climber_id (model, "");
  g_assert_null (topout_history_model_get_climber_id (model));

  /* A filter nobody matches. */
  topout_history_model_set_filter (model, topout_climber_get_id (newcomer), -1, -1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 0));
  g_assert_cmpuint (topout_history_model_get_n_items (model), ==, 0);
  recorder_check (&r);
  recorder_clear (&r);
}

static void
test_live_changes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (TopoutHistoryModel) model = topout_history_model_new (f->store);
  g_autoptr (TopoutHistoryModel) light_none = NULL;
  g_autoptr (TopoutHistoryModel) light_one = NULL;
  g_autoptr (GArray) light_none_changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr (GArray) light_one_changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr (TopoutSession) started = NULL;
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GError) error = NULL;
  guint n_anchors;
  Recorder r;

  recorder_init (&r, model);
  /* Jump to the end once: an anchor every SPACING rows. */
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), N_SESSIONS - 1));

  /* A new live session goes to the top. */
  n_anchors = topout_history_model_get_n_anchors (model);
  g_assert_cmpuint (n_anchors, >=, N_SESSIONS / SPACING);
  started = topout_test_start (f->store, CLIMBER (f, 0), TOPOUT_SESSION_TYPE_POWER);
  assert_changes (&r, 1, 0, 0, 1);
  g_assert_cmpuint (r.n_notify, ==, 1);
  /* The anchors moved down one row instead of being thrown away. */
  g_assert_cmpuint (topout_history_model_get_n_anchors (model), ==, n_anchors);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_SESSIONS + 1);
  recorder_check (&r);

  /* Its notes change in place. */
  {
    g_autoptr (TopoutSession) s = load (f, topout_session_get_id (started));
    g_autoptr (TopoutSession) row = NULL;

    topout_session_set_notes (s, "Warm-up on the slab");
    save (f, s);
    assert_changes (&r, 1, 0, 1, 1);
    g_assert_cmpuint (r.n_notify, ==, 0);
    row = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_cmpstr (topout_session_get_notes (row), ==, "Warm-up on the slab");
    recorder_check (&r);
  }

  /* Notes of rows deep in the list. The recorder's model knows every
   * anchor; a second one has only counted its rows (no anchor), a third has
   * read its first page (one anchor): all three say the same. */
  for (guint k = 0; k < 2; k++)
    {
      guint target = k == 0 ? 2222 : 1029;
      g_autoptr (TopoutSession) s = NULL;
      g_autoptr (TopoutSession) row = NULL;
      g_autofree char *id = NULL;

      light_none = topout_history_model_new (f->store);
      light_one = topout_history_model_new (f->store);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (light_none)), ==, N_SESSIONS + 1);
      g_clear_object (&row);
      row = g_list_model_get_item (G_LIST_MODEL (light_one), 3);
      g_assert_cmpuint (topout_history_model_get_n_anchors (light_none), ==, 0);
      g_assert_cmpuint (topout_history_model_get_n_anchors (light_one), ==, 1);
      g_signal_connect (light_none, "items-changed", G_CALLBACK (on_light_changed), light_none_changes);
      g_signal_connect (light_one, "items-changed", G_CALLBACK (on_light_changed), light_one_changes);
      g_clear_object (&row);

      before = reference_for (model);
      id = g_strdup (g_ptr_array_index (before, target));
      s = load (f, id);
      topout_session_set_notes (s, "Edited by the coach");
      save (f, s);
      assert_changes (&r, 1, target, 1, 1);
      assert_same_changes (light_none_changes, &r);
      assert_same_changes (light_one_changes, &r);
      g_clear_object (&light_none);
      g_clear_object (&light_one);
      row = g_list_model_get_item (G_LIST_MODEL (model), target);
      g_assert_cmpstr (topout_session_get_id (row), ==, id);
      g_assert_cmpstr (topout_session_get_notes (row), ==, "Edited by the coach");
      recorder_check (&r);
      g_clear_pointer (&before, g_ptr_array_unref);
    }

  /* A new session date moves a row: removed where it was, added where it goes. */
  {
    const char *dates[] = { "2026-11-19", "2024-01-01", "2025-12-24", "2026-03-03" };
    guint sources[] = { 2900, 17, 1500, 256 };

    for (guint k = 0; k < G_N_ELEMENTS (dates); k++)
      {
        g_autoptr (TopoutSession) s = NULL;
        g_autofree char *id = NULL;
        guint old_pos, new_pos;

        before = reference_for (model);
        id = g_strdup (g_ptr_array_index (before, sources[k]));
        light_none = topout_history_model_new (f->store);
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (light_none)), ==, before->len);
        g_signal_connect (light_none, "items-changed", G_CALLBACK (on_light_changed), light_none_changes);
        s = load (f, id);
        topout_session_set_session_date (s, dates[k]);
        save (f, s);
        after = reference_for (model);
        old_pos = position_in (before, id);
        new_pos = position_in (after, id);
        g_test_message ("moved %s from %u to %u", id, old_pos, new_pos);
        g_assert_cmpuint (old_pos, !=, new_pos);
        assert_changes (&r, 2, old_pos, 1, 0, new_pos, 0, 1);
        assert_same_changes (light_none_changes, &r);
        g_clear_object (&light_none);
        g_assert_cmpuint (r.n_notify, ==, 0);
        recorder_check (&r);
        g_clear_pointer (&before, g_ptr_array_unref);
        g_clear_pointer (&after, g_ptr_array_unref);
      }
  }

  /* Ending the live session changes its row in place. */
  g_assert_true (topout_store_end_session (f->store, topout_session_get_id (started), &error));
  g_assert_no_error (error);
  assert_changes (&r, 1, 0, 1, 1);
  recorder_check (&r);

  /* Cancelling a session keeps it in History (all statuses). */
  g_assert_true (topout_store_cancel_session (f->store, topout_session_get_id (started), &error));
  g_assert_no_error (error);
  assert_changes (&r, 1, 0, 1, 1);
  recorder_check (&r);
  recorder_clear (&r);
}

static void
test_filtered_changes (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (TopoutHistoryModel) model = topout_history_model_new (f->store);
  g_autoptr (GPtrArray) all = reference_ids (f->store, NULL, -1, -1);
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  const char *synced_id = NULL;
  guint pos;
  Recorder r;

  topout_history_model_set_sync_state (model, TOPOUT_SYNC_STATE_PENDING);
  recorder_init (&r, model);

  /* An edit queues a SYNCED session for sync: it joins the PENDING list. */
  for (guint i = 1500; i < all->len && synced_id == NULL; i++)
    {
      g_autoptr (TopoutSession) s = load (f, g_ptr_array_index (all, i));

      if (topout_session_get_sync_state (s) == TOPOUT_SYNC_STATE_SYNCED)
        synced_id = g_ptr_array_index (all, i);
    }
  g_assert_nonnull (synced_id);
  {
    g_autoptr (TopoutSession) s = load (f, synced_id);

    topout_session_set_notes (s, "Now pending");
    save (f, s);
  }
  {
    g_autoptr (TopoutSession) s = load (f, synced_id);

    g_assert_cmpint (topout_session_get_sync_state (s), ==, TOPOUT_SYNC_STATE_PENDING);
  }
  after = reference_for (model);
  assert_changes (&r, 1, position_in (after, synced_id), 0, 1);
  g_assert_cmpuint (r.n_notify, ==, 1);
  recorder_check (&r);

  /* Handing it to the sync engine takes it out of the PENDING list. */
  before = g_steal_pointer (&after);
  pos = position_in (before, synced_id);
  {
    const char *ids[] = { synced_id, NULL };
    mark_syncing (f, ids);
  }
  assert_changes (&r, 1, pos, 1, 0);
  g_assert_cmpuint (r.n_notify, ==, 1);
  recorder_check (&r);
  g_clear_pointer (&before, g_ptr_array_unref);

  /* A change to a session outside the filter says nothing. */
  topout_history_model_set_filter (model, CLIMBER (f, 1), -1, -1);
  recorder_check (&r);
  {
    g_autoptr (GPtrArray) others = reference_ids (f->store, CLIMBER (f, 2), -1, -1);
    g_autoptr (TopoutSession) s = load (f, g_ptr_array_index (others, 40));

    topout_session_set_notes (s, "Someone else's session");
    save (f, s);
    assert_changes (&r, 0);
    g_assert_cmpuint (r.n_notify, ==, 0);
    recorder_check (&r);
  }

  /* A type filter: a row whose type changes leaves it. */
  topout_history_model_set_filter (model, NULL, TOPOUT_SESSION_TYPE_WORKOUT, -1);
  recorder_check (&r);
  before = reference_for (model);
  {
    g_autoptr (TopoutSession) s = load (f, g_ptr_array_index (before, 100));

    pos = 100;
    topout_session_set_session_type (s, TOPOUT_SESSION_TYPE_FUN);
    save (f, s);
  }
  assert_changes (&r, 1, pos, 1, 0);
  recorder_check (&r);
  recorder_clear (&r);
}

/* Several sessions in one commit: ::session-changed once each, back to back,
 * with the table already holding all of them. */
static void
test_batch_changes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (TopoutHistoryModel) pending = topout_history_model_new (f->store);
  g_autoptr (TopoutHistoryModel) all = topout_history_model_new (f->store);
  g_autoptr (GPtrArray) pending_ids = NULL;
  Recorder rp, ra;

  topout_history_model_set_sync_state (pending, TOPOUT_SYNC_STATE_PENDING);
  recorder_init (&rp, pending);
  recorder_init (&ra, all);
  pending_ids = reference_for (pending);
  g_assert_cmpuint (pending_ids->len, >, 300);

  /* Deepest first, so the first removal's position, counted on a table
   * without the later ones, is wrong until the model reads itself again. */
  {
    const char *ids[] = {
      g_ptr_array_index (pending_ids, 300), g_ptr_array_index (pending_ids, 3),
      g_ptr_array_index (pending_ids, 150), g_ptr_array_index (pending_ids, 0),
      g_ptr_array_index (pending_ids, 299), NULL
    };

    mark_syncing (f, ids);
  }
  g_assert_cmpuint (rp.changes->len, >=, 1);
  g_assert_cmpuint (ra.changes->len, >=, 1);
  recorder_check (&rp);
  recorder_check (&ra);

  /* Sync results for a few of them: several sessions leave SYNCING. */
  {
    g_autoptr (TopoutHistoryModel) syncing = topout_history_model_new (f->store);
    g_autoptr (GPtrArray) syncing_ids = NULL;
    g_autoptr (GError) error = NULL;
    TopoutSyncResult results[3];
    Recorder rs;

    topout_history_model_set_sync_state (syncing, TOPOUT_SYNC_STATE_SYNCING);
    recorder_init (&rs, syncing);
    syncing_ids = reference_for (syncing);
    g_assert_cmpuint (syncing_ids->len, >=, 3);
    for (guint i = 0; i < 3; i++)
      {
        g_autoptr (TopoutSession) s = load (f, g_ptr_array_index (syncing_ids, syncing_ids->len - 1 - i * 2));

        results[i] = (TopoutSyncResult) {
          .session_id = g_ptr_array_index (syncing_ids, syncing_ids->len - 1 - i * 2),
          .sent_revision = topout_session_get_revision (s),
          .kind = i == 1 ? TOPOUT_SYNC_RESULT_FAILED : TOPOUT_SYNC_RESULT_SYNCED,
          .server_id = i == 1 ? NULL : "srv",
          .server_revision = 1,
          .error_message = i == 1 ? "Timeout" : NULL,
          .next_attempt_at = topout_store_now (f->store) + HOUR,
        };
      }
    g_assert_true (topout_store_apply_sync_results (f->store, results, 3, &error));
    g_assert_no_error (error);
    recorder_check (&rs);
    recorder_check (&rp);
    recorder_check (&ra);
    recorder_clear (&rs);
  }

  /* Ending forgotten sessions: two active sessions, ended in one commit. */
  {
    g_autoptr (TopoutSession) a = topout_test_start (f->store, CLIMBER (f, 0), TOPOUT_SESSION_TYPE_FUN);
    g_autoptr (TopoutSession) b = NULL;
    g_autoptr (GError) error = NULL;

    topout_test_advance (60 * G_USEC_PER_SEC);
    b = topout_test_start (f->store, CLIMBER (f, 1), TOPOUT_SESSION_TYPE_FUN);

    assert_changes (&ra, 2, 0, 0, 1, 0, 0, 1);
    recorder_check (&ra);
    recorder_check (&rp);
    topout_test_advance (30 * HOUR);
    g_assert_cmpint (topout_store_end_forgotten_sessions (f->store, &error), ==, 2);
    g_assert_no_error (error);
    recorder_check (&ra);
    recorder_check (&rp);
  }

  recorder_clear (&rp);
  recorder_clear (&ra);
}

/* A view reacting to ::items-changed writes to the store again. */
typedef struct {
  Fixture    *f;
  const char *id;
  gboolean    done;
} Reentry;

static void
write_again (GListModel *model,
             guint       position,
             guint       removed,
             guint       added,
             Reentry    *re)
{
  g_autoptr (TopoutSession) s = NULL;

  if (re->done)
    return;
  re->done = TRUE;
  s = load (re->f, re->id);
  topout_session_set_session_date (s, "2025-02-02");
  save (re->f, s);
}

static void
test_reentrant_write (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (TopoutHistoryModel) model = topout_history_model_new (f->store);
  g_autoptr (GPtrArray) ids = reference_for (model);
  Reentry re = { f, g_ptr_array_index (ids, 2500), FALSE };
  Recorder r;
  gulong id;

  id = g_signal_connect (model, "items-changed", G_CALLBACK (write_again), &re);
  recorder_init (&r, model);
  {
    g_autoptr (TopoutSession) s = load (f, g_ptr_array_index (ids, 10));

    topout_session_set_session_date (s, "2026-01-05");
    save (f, s);
  }
  g_assert_true (re.done);
  recorder_check (&r);
  g_signal_handler_disconnect (model, id);
  recorder_clear (&r);
}

static void
test_reset (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr (TopoutHistoryModel) model = topout_history_model_new (f->store);
  g_autoptr (GPtrArray) expected = NULL;
  g_autoptr (GError) error = NULL;
  guint old_n;
  Recorder r;

  topout_history_model_set_climber_id (model, CLIMBER (f, 2));
  recorder_init (&r, model);

  /* A bulk write (an import, the generator) says ::sessions-reset. */
  old_n = g_list_model_get_n_items (G_LIST_MODEL (model));
  insert_raw_sessions (f, 400, 77, 0);
  assert_changes (&r, 0);
  g_assert_true (_topout_store_begin (f->store, &error));
  _topout_store_note_reset (f->store);
  g_assert_true (_topout_store_commit (f->store, &error));
  g_assert_no_error (error);
  expected = reference_for (model);
  g_assert_cmpuint (expected->len, >, old_n);
  assert_changes (&r, 1, 0, old_n, expected->len);
  g_assert_cmpuint (r.n_notify, ==, 1);
  recorder_check (&r);
  assert_model_matches_sql (model, 99);
  recorder_clear (&r);
}

static void
count_signal (gpointer  instance,
              guint    *count)
{
  (*count)++;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
exec_sql (Fixture    *f,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (_topout_store_get_db (f->store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Where a row at @position before the recorded changes is after them, or
 * G_MAXUINT if one of them removed it. */
static guint
follow (Recorder *r,
        guint     position)
{
  for (guint i = 0; i < r->changes->len; i++)
    {
      Change *c = &g_array_index (r->changes, Change, i);

      if (position >= c->position + c->removed)
        position = position + c->added - c->removed;
      else if (position >= c->position)
        return G_MAXUINT;
    }
  return position;
}

/* A bulk write while a view holds rows (40 on screen, one focused far
 * below): the model tells the change around the rows it still has in the
 * same order, so none of them is removed (GTK 4.8 would otherwise read every
 * row to find them again), and brings them up to date in place. A held row
 * deleted or moved by the write goes like any other. Unfiltered and by
 * climber. */
static void
test_reset_keeps_held (Fixture       *f,
                       gconstpointer  data)
{
  const char *climber = data != NULL ? CLIMBER (f, 3) : NULL;
  g_autoptr (TopoutHistoryModel) model = topout_history_model_new (f->store);
  g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GArray) old_positions = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GPtrArray) expected = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *renamed_climber = NULL;
  TopoutSession *deleted, *moved;
  guint old_n, first, n_kept = 0, n_renamed = 0, renames = 0;
  Recorder r;

  topout_history_model_set_climber_id (model, climber);
  old_n = g_list_model_get_n_items (G_LIST_MODEL (model));
  first = old_n / 3;
  g_assert_cmpuint (first + 40, <, old_n - 20);
  for (guint i = 0; i <= 40; i++)
    {
      guint position = i < 40 ? first + i : old_n - 20;

      g_ptr_array_add (held, g_list_model_get_item (G_LIST_MODEL (model), position));
      g_array_append_val (old_positions, position);
    }
  deleted = g_ptr_array_index (held, 20);
  moved = g_ptr_array_index (held, 30);
  renamed_climber = g_strdup (topout_session_get_climber_id (g_ptr_array_index (held, 5)));
  for (guint i = 0; i < held->len; i++)
    if (g_str_equal (topout_session_get_climber_id (g_ptr_array_index (held, i)), renamed_climber))
      g_signal_connect (g_ptr_array_index (held, i), "notify::climber-name", G_CALLBACK (count_notify), &renames);
  recorder_init (&r, model);

  /* One transaction: 400 sessions all over the list, a held row deleted,
   * another moved to the end, a climber renamed. */
  g_assert_true (_topout_store_begin (f->store, &error));
  g_assert_no_error (error);
  insert_raw_sessions (f, 400, 77, 0);
  sql = g_strdup_printf ("DELETE FROM sessions WHERE id = '%s';"
                         "UPDATE sessions SET session_date = '2020-01-01' WHERE id = '%s';"
                         "UPDATE climbers SET display_name = 'Renamed Climber' WHERE id = '%s';",
                         topout_session_get_id (deleted), topout_session_get_id (moved), renamed_climber);
  exec_sql (f, sql);
  _topout_store_note_reset (f->store);
  g_assert_true (_topout_store_commit (f->store, &error));
  g_assert_no_error (error);

  expected = reference_for (model);
  g_assert_cmpuint (expected->len, >, old_n);
  /* Told in pieces around the held runs, not as one (0, old n, new n). */
  g_assert_cmpuint (r.changes->len, >, 1);
  for (guint i = 0; i < held->len; i++)
    {
      TopoutSession *row = g_ptr_array_index (held, i);
      guint old_position = g_array_index (old_positions, guint, i);
      guint now = follow (&r, old_position);

      if (row == deleted || row == moved)
        {
          g_assert_cmpuint (now, ==, G_MAXUINT);
          continue;
        }
      /* Not removed by any signal, and where the table has it now. */
      g_assert_cmpuint (now, !=, G_MAXUINT);
      g_assert_cmpuint (now, ==, position_in (expected, topout_session_get_id (row)));
      n_kept++;
      if (g_str_equal (topout_session_get_climber_id (row), renamed_climber))
        {
          g_assert_cmpstr (topout_session_get_climber_name (row), ==, "Renamed Climber");
          n_renamed++;
        }
    }
  g_assert_cmpuint (n_kept, ==, held->len - 2);
  g_assert_cmpuint (n_renamed, >, 0);
  g_assert_cmpuint (renames, ==, n_renamed);
  g_assert_cmpuint (r.n_notify, ==, 1);
  recorder_check (&r);
  assert_model_matches_sql (model, 5);
  recorder_clear (&r);
}

/* A sync's batch (many sessions' sync bookkeeping, nothing else) says
 * ::sessions-sync-changed: the rows keep their places, so the model emits no
 * ::items-changed (GTK 4.8 would read every row); the rows a view holds
 * change in place (their ::notify says so), rows read afterwards are new.
 * Filtered by sync state, rows come and go as for any bulk write. */
static void
test_sync_changes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (TopoutHistoryModel) model = topout_history_model_new (f->store);
  g_autoptr (TopoutHistoryModel) pending = topout_history_model_new (f->store);
  g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) due = g_ptr_array_new ();
  g_autoptr (GHashTable) marked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GError) error = NULL;
  guint resets = 0, sync_changes = 0, notified = 0, n_held_due = 0, n_held_syncing = 0, old_pending;
  Recorder r, rp;

  g_signal_connect (f->store, "sessions-reset", G_CALLBACK (count_signal), &resets);
  g_signal_connect (f->store, "sessions-sync-changed", G_CALLBACK (count_signal), &sync_changes);

  /* A view showing the first 40 rows holds them. */
  for (guint i = 0; i < 40; i++)
    {
      TopoutSession *row = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_ptr_array_add (held, row);
      g_signal_connect (row, "notify::sync-state", G_CALLBACK (count_notify), &notified);
    }
  /* Every PENDING session of the first 400 rows: a batch. */
  for (guint i = 0; i < 400; i++)
    {
      g_autoptr (TopoutSession) s = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (topout_session_get_sync_state (s) == TOPOUT_SYNC_STATE_PENDING)
        {
          g_hash_table_add (marked, g_strdup (topout_session_get_id (s)));
          /* The set's own copy (a set's value is its key). */
          g_ptr_array_add (due, g_hash_table_lookup (marked, topout_session_get_id (s)));
        }
    }
  for (guint i = 0; i < held->len; i++)
    if (g_hash_table_contains (marked, topout_session_get_id (g_ptr_array_index (held, i))))
      n_held_due++;
  g_assert_cmpuint (due->len, >, 16);  /* past the detailed changes */
  g_assert_cmpuint (n_held_due, >, 0);
  g_ptr_array_add (due, NULL);

  topout_history_model_set_sync_state (pending, TOPOUT_SYNC_STATE_PENDING);
  old_pending = g_list_model_get_n_items (G_LIST_MODEL (pending));
  recorder_init (&r, model);
  recorder_init (&rp, pending);

  mark_syncing (f, (const char * const *) due->pdata);
  g_assert_cmpuint (sync_changes, ==, 1);
  g_assert_cmpuint (resets, ==, 0);
  assert_changes (&r, 0);
  g_assert_cmpuint (notified, ==, n_held_due);
  for (guint i = 0; i < held->len; i++)
    {
      TopoutSession *row = g_ptr_array_index (held, i);
      g_autoptr (TopoutSession) now = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpstr (topout_session_get_id (now), ==, topout_session_get_id (row));
      g_assert_cmpint (topout_session_get_sync_state (row), ==, topout_session_get_sync_state (now));
      if (g_hash_table_contains (marked, topout_session_get_id (row)))
        g_assert_cmpint (topout_session_get_sync_state (row), ==, TOPOUT_SYNC_STATE_SYNCING);
    }
  recorder_check (&r);
  assert_model_matches_sql (model, 7);
  /* The PENDING filter lost the batch's rows. */
  assert_changes (&rp, 1, 0, old_pending, old_pending - (due->len - 1));
  recorder_check (&rp);

  /* Back to due (a sync stopped; the fixture has SYNCING rows of its own):
   * the same again. */
  for (guint i = 0; i < held->len; i++)
    if (topout_session_get_sync_state (g_ptr_array_index (held, i)) == TOPOUT_SYNC_STATE_SYNCING)
      n_held_syncing++;
  notified = 0;
  g_assert_cmpint (topout_store_reset_syncing (f->store, &error), >=, (int) due->len - 1);
  g_assert_no_error (error);
  g_assert_cmpuint (sync_changes, ==, 2);
  g_assert_cmpuint (resets, ==, 0);
  assert_changes (&r, 0);
  g_assert_cmpuint (notified, ==, n_held_syncing);
  for (guint i = 0; i < held->len; i++)
    g_assert_cmpint (topout_session_get_sync_state (g_ptr_array_index (held, i)), !=, TOPOUT_SYNC_STATE_SYNCING);
  recorder_check (&r);

  /* One transaction with sync bookkeeping and anything else: a reset. */
  g_assert_true (_topout_store_begin (f->store, &error));
  _topout_store_note_sync_reset (f->store);
  _topout_store_note_reset (f->store);
  g_assert_true (_topout_store_commit (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (resets, ==, 1);
  g_assert_cmpuint (sync_changes, ==, 2);

  g_signal_handlers_disconnect_by_func (f->store, count_signal, &resets);
  g_signal_handlers_disconnect_by_func (f->store, count_signal, &sync_changes);
  recorder_clear (&r);
  recorder_clear (&rp);
}

/* Whether the table still has @row's session under the same key. */
static gboolean
same_key_in_table (Fixture       *f,
                   TopoutSession *row)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutSession) now = _topout_store_load_session (f->store, topout_session_get_id (row), &error);

  return now != NULL &&
         g_strcmp0 (topout_session_get_session_date (now), topout_session_get_session_date (row)) == 0 &&
         topout_session_get_started_at (now) == topout_session_get_started_at (row);
}

/* After a reset: every held row still in the list under the same key was
 * removed by no signal and is where the table has it; every other one was
 * removed (and is let go, as a list view would). */
static guint
check_held_after_reset (Fixture   *f,
                        Recorder  *r,
                        GPtrArray *held,
                        GArray    *old_positions)
{
  g_autoptr (GPtrArray) expected = reference_for (r->model);
  guint kept = 0;

  for (guint i = held->len; i > 0; i--)
    {
      TopoutSession *row = g_ptr_array_index (held, i - 1);
      guint now = follow (r, g_array_index (old_positions, guint, i - 1));
      gint in_list = index_of (expected, topout_session_get_id (row));

      if (in_list >= 0 && same_key_in_table (f, row))
        {
          g_assert_cmpuint (now, ==, (guint) in_list);
          kept++;
        }
      else
        {
          g_assert_cmpuint (now, ==, G_MAXUINT);
          g_ptr_array_remove_index (held, i - 1);
        }
    }
  return kept;
}

static void
hold (GPtrArray          *held,
      TopoutHistoryModel *model,
      guint               position)
{
  TopoutSession *row = g_list_model_get_item (G_LIST_MODEL (model), position);

  if (row == NULL)
    g_error ("no row at %u of %u (cache %u, anchors %u)", position, g_list_model_get_n_items (G_LIST_MODEL (model)), topout_history_model_get_cache_size (model), topout_history_model_get_n_anchors (model));
  g_ptr_array_add (held, row);
}

static void
note_positions (Recorder  *r,
                GPtrArray *held,
                GArray    *old_positions)
{
  g_array_set_size (old_positions, 0);
  for (guint i = 0; i < held->len; i++)
    {
      gint at = index_of (r->shadow, topout_session_get_id (g_ptr_array_index (held, i)));
      guint position;

      g_assert_cmpint (at, >=, 0);
      position = (guint) at;
      g_array_append_val (old_positions, position);
    }
}

/* Random bulk writes (sessions added, deleted, moved to another day, synced)
 * and filter changes, with random rows held as a list view would: after
 * each, the list following the signals equals the table, and the held rows
 * are kept exactly when the table still has them under the same key. */
static void
test_reset_random (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (TopoutHistoryModel) model = topout_history_model_new (f->store);
  g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GArray) old_positions = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GRand) rand = g_rand_new_with_seed (4242);
  guint n_kept = 0, n_dropped = 0, n_pieces = 0;
  Recorder r;

  recorder_init (&r, model);
  for (guint round = 0; round < 24; round++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *sql = NULL;
      guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
      guint start, len, modulo = 5 + g_rand_int_range (rand, 0, 40);

      /* Let some rows go, hold others: a run and a few single rows. */
      for (guint i = held->len; i > 0; i--)
        if (g_rand_boolean (rand))
          g_ptr_array_remove_index (held, i - 1);
      if (n > 0)
        {
          start = g_rand_int_range (rand, 0, n);
          len = g_rand_int_range (rand, 1, 50);
          len = MIN (n - start, len);
          for (guint i = 0; i < len; i++)
            hold (held, model, start + i);
          for (guint i = 0; i < 3; i++)
            hold (held, model, g_rand_int_range (rand, 0, n));
        }

      /* Sometimes another filter (itself a reset that keeps rows). */
      if (round % 3 == 2)
        {
          int which = g_rand_int_range (rand, 0, 4);

          note_positions (&r, held, old_positions);
          topout_history_model_set_filter (model,
                                           which == 1 ? CLIMBER (f, g_rand_int_range (rand, 0, N_CLIMBERS)) : NULL,
                                           which == 2 ? (int) raw_types[g_rand_int_range (rand, 0, G_N_ELEMENTS (raw_types))] : -1,
                                           which == 3 ? TOPOUT_SYNC_STATE_PENDING : -1);
          n_kept += check_held_after_reset (f, &r, held, old_positions);
          recorder_check (&r);
        }

      note_positions (&r, held, old_positions);
      g_assert_true (_topout_store_begin (f->store, &error));
      g_assert_no_error (error);
      insert_raw_sessions (f, g_rand_int_range (rand, 0, 60), 1000 + round, g_rand_int_range (rand, 0, 3));
      sql = g_strdup_printf ("DELETE FROM sessions WHERE (rowid * 2654435761 + %u) %% %u = 0;"
                             "UPDATE sessions SET session_date = date (session_date, '-3 days')"
                             "  WHERE (rowid * 2654435761 + %u) %% %u = 1;"
                             "UPDATE sessions SET sync_state = CASE sync_state WHEN 'PENDING' THEN 'SYNCED' ELSE 'PENDING' END"
                             "  WHERE (rowid * 2654435761 + %u) %% %u = 2;",
                             round, modulo, round, modulo, round, modulo);
      exec_sql (f, sql);
      _topout_store_note_reset (f->store);
      g_assert_true (_topout_store_commit (f->store, &error));
      g_assert_no_error (error);
      n_dropped += old_positions->len;
      n_kept += check_held_after_reset (f, &r, held, old_positions);
      n_dropped -= held->len;
      n_pieces += r.changes->len > 1;
      recorder_check (&r);
    }
  /* The runs did exercise both outcomes, told in pieces. */
  g_test_message ("held rows kept %u, dropped %u; resets told in pieces %u", n_kept, n_dropped, n_pieces);
  g_assert_cmpuint (n_kept, >, 200);
  g_assert_cmpuint (n_dropped, >, 10);
  g_assert_cmpuint (n_pieces, >, 12);
  recorder_clear (&r);
}

/* After a reset that kept rows deep in the list (the model then knows
 * their place and nothing above it), the idle work finds the anchors above
 * them too, not only after the last one. */
static void
test_reset_prefill (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (TopoutHistoryModel) model = topout_history_model_new (f->store);
  g_autoptr (GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  g_signal_connect (model, "items-changed", G_CALLBACK (on_light_changed), changes);
  for (guint i = 0; i < 20; i++)
    g_ptr_array_add (held, g_list_model_get_item (G_LIST_MODEL (model), n - 100 + i));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* A bulk write that changes no place: the rows stay, nothing is told. */
  g_assert_true (_topout_store_begin (f->store, &error));
  exec_sql (f, "UPDATE sessions SET notes = 'Bulk' WHERE rowid % 5 = 0");
  _topout_store_note_reset (f->store);
  g_assert_true (_topout_store_commit (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpuint (topout_history_model_get_n_anchors (model), <=, 2);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (topout_history_model_get_n_anchors (model), >=, n / SPACING);
  assert_model_matches_sql (model, 3);
  g_signal_handlers_disconnect_by_func (model, on_light_changed, changes);
}

/* Anchors are found while the main loop is idle. */
static void
test_prefill (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr (TopoutHistoryModel) model = topout_history_model_new (f->store);
  g_autoptr (TopoutHistoryModel) dropped = topout_history_model_new (f->store);
  g_autoptr (TopoutSession) started = NULL;
  Recorder r;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_SESSIONS);
  g_assert_cmpuint (topout_history_model_get_n_anchors (model), ==, 0);
  /* A model that goes away with its idle work pending leaves nothing behind. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (dropped)), ==, N_SESSIONS);
  g_clear_object (&dropped);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (topout_history_model_get_n_anchors (model), ==, (N_SESSIONS + SPACING - 1) / SPACING);
  g_assert_cmpuint (topout_history_model_get_cache_size (model), ==, 0);
  assert_model_matches_sql (model, 42);

  recorder_init (&r, model);
  started = topout_test_start (f->store, CLIMBER (f, 4), TOPOUT_SESSION_TYPE_FUN);
  assert_changes (&r, 1, 0, 0, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  recorder_check (&r);
  recorder_clear (&r);
}

/* Until someone reads it, the model has nothing to say. */
static void
test_unobserved (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (TopoutHistoryModel) model = topout_history_model_new (f->store);
  g_autoptr (TopoutSession) started = NULL;
  g_autoptr (GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  gulong id;

  id = g_signal_connect (model, "items-changed", G_CALLBACK (on_light_changed), changes);
  started = topout_test_start (f->store, CLIMBER (f, 4), TOPOUT_SESSION_TYPE_FUN);
  g_assert_cmpuint (changes->len, ==, 0);
  assert_model_matches_sql (model, 5);
  g_signal_handler_disconnect (model, id);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/history/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("order", test_order);
  ADD ("filters", test_filters);
  ADD ("changes/live", test_live_changes);
  ADD ("changes/filtered", test_filtered_changes);
  ADD ("changes/batch", test_batch_changes);
  ADD ("changes/reentrant", test_reentrant_write);
  ADD ("reset", test_reset);
  ADD ("reset/keeps-held", test_reset_keeps_held);
  ADD ("reset/prefill", test_reset_prefill);
  ADD ("reset/random", test_reset_random);
  g_test_add ("/history/reset/keeps-held-filtered", Fixture, "climber", fixture_set_up,
              test_reset_keeps_held, fixture_tear_down);
  ADD ("sync-changes", test_sync_changes);
  ADD ("unobserved", test_unobserved);
  ADD ("prefill", test_prefill);

  return g_test_run ();
}
