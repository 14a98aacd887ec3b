/* topout-store-demo.c — demo data (`topout --demo`) and synthetic databases
 * (`topout-generate`).
 *
 * Both make finished sessions the way the product rules would have left them
 * (at most the daily cap per climber and date, never two at once, the slot of
 * the start hour, names auto-filled, grades copied from the catalog, the
 * competition pair copied into completions and the scorecards recomputed),
 * and insert them with the store's raw row inserts. Both are deterministic:
 * a GRand with a fixed seed (demo) or the caller's seed (generator) decides
 * everything, and the generator derives its ids from the seed as well, so the
 * same seed on the same day gives the same database.
 *
 * Demo sessions are LOCAL and is_demo: never due for sync. Generated ones are
 * PENDING: every one of them is due.
 */
#define G_LOG_DOMAIN "topout-store-demo"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "topout-limits.h"
#include "topout-store-private.h"

/* Made by gnome.compile_resources (data/topout.gresource.xml). Calling it
 * also makes sure the linker keeps the resource in programs that link
 * libtopout.a. */
GResource *topout_get_resource (void);

#define DEMO_SEED         20261121
#define DEMO_DAYS         60
#define GENERATE_CLIMBS   300
/* Sessions per transaction: a chunk of 2,000 × 10 routes commits in well
 * under a second, and the file is consistent after every chunk. */
#define GENERATE_CHUNK    2000

static const char *const hold_colors[] = {
  "#e01b24", "#3584e4", "#f6d32d", "#33d17a", "#9141ac",
  "#241f31", "#ffffff", "#ff7800", "#dc8add",
};

static const char *const custom_labels[] = {
  "Projecting", "Technique drills", "Easy laps", "Youth coaching", "Hangboard and core",
};

/* Small helpers -------------------------------------------------------------- */

static gboolean
database_has_rows (TopoutStore  *self,
                   const char   *sql,
                   gboolean     *has_rows,
                   GError      **error)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _topout_store_set_error (self, error, "demo: count rows");
      return FALSE;
    }
  *has_rows = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

static GDate *
parse_date (const char *date)
{
  int y, m, d;

  if (date == NULL || sscanf (date, "%4d-%2d-%2d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return NULL;
  return g_date_new_dmy (d, m, y);
}

static char *
format_date (const GDate *date)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* Local @hour:@minute of @date in the gym's time zone, µs since the epoch. */
static gint64
local_time (TopoutStore *self,
            const GDate *date,
            int          hour,
            int          minute)
{
  g_autoptr (GDateTime) dt = g_date_time_new (topout_store_get_time_zone (self),
                                              g_date_get_year (date), g_date_get_month (date),
                                              g_date_get_day (date), hour, minute, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

/* "{type label} · {date}", as the rules fill a blank name. */
static char *
auto_name (TopoutSessionType  type,
           const char        *custom_label,
           const char        *date)
{
  const char *label = (type == TOPOUT_SESSION_TYPE_CUSTOM && custom_label != NULL)
                        ? custom_label : topout_session_type_get_label (type);

  /* Translators: an automatic session name, "Power · 2026-11-21" */
  return g_strdup_printf (_("%s · %s"), label, date);
}

/* A version 4 UUID made of the generator's random bits: the kind the app
 * makes (g_uuid_string_random()), so a generated database has its keys
 * spread over the id indices as a real one does, and the benchmarks pay
 * what a gym's own data costs; but reproducible from the seed. */
static void
rand_uuid (GRand *rand,
           char   out[37])
{
  guint32 a = g_rand_int (rand);
  guint32 b = g_rand_int (rand);
  guint32 c = g_rand_int (rand);
  guint32 d = g_rand_int (rand);

  g_snprintf (out, 37, "%08x-%04x-4%03x-%04x-%04x%08x",
              a, b >> 16, b & 0x0fff, ((c >> 16) & 0x3fff) | 0x8000, c & 0xffff, d);
}

/* How hard a grade is, roughly on the V scale + 1 (VB = 0, V4 = 5, 6A = 3,
 * 7A = 6, 5.10a = 3): enough to give climbers plausible send rates. */
static int
grade_level (const char *grade)
{
  size_t len;

  if (grade == NULL || (len = strlen (grade)) == 0)
    return 3;
  if (grade[0] == 'V' || grade[0] == 'v')
    return g_ascii_isdigit (grade[1]) ? (int) g_ascii_strtoll (grade + 1, NULL, 10) + 1 : 0;
  if (g_str_has_prefix (grade, "5."))
    {
      int n = (int) g_ascii_strtoll (grade + 2, NULL, 10);
      int sub = g_ascii_isalpha (grade[len - 1]) ? g_ascii_tolower (grade[len - 1]) - 'a' : 0;
      return n < 10 ? MAX (0, n - 7) : 3 + (n - 10) * 2 + (sub >= 2);
    }
  if (g_ascii_isdigit (grade[0]))
    {
      int n = grade[0] - '0';
      int letter = len > 1 && g_ascii_isalpha (grade[1]) ? g_ascii_toupper (grade[1]) - 'A' : 0;

      if (n <= 5)
        return MAX (0, n - 4) + (strchr (grade, '+') != NULL);
      return 3 + (n - 6) * 3 + letter;
    }
  return 3;
}

/* The chance to send a climb @gap levels above one's usual limit. */
static double
send_chance (int gap)
{
  if (gap <= -3)
    return 0.85;
  switch (gap)
    {
    case -2: return 0.75;
    case -1: return 0.62;
    case 0:  return 0.45;
    case 1:  return 0.27;
    case 2:  return 0.12;
    default: return 0.05;
    }
}

/* Attempts, the send included: 1–6, most sends early, failures after a few goes. */
static guint
pick_attempts (GRand    *rand,
               gboolean  sent)
{
  static const guint sent_attempts[] = { 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6 };
  static const guint failed_attempts[] = { 1, 2, 2, 3, 3, 3, 4, 4, 5, 6 };

  if (sent)
    return sent_attempts[g_rand_int_range (rand, 0, G_N_ELEMENTS (sent_attempts))];
  return failed_attempts[g_rand_int_range (rand, 0, G_N_ELEMENTS (failed_attempts))];
}

/* Everyday session types, weighted; COMPETITION only on competition days. */
static TopoutSessionType
pick_everyday_type (GRand *rand)
{
  static const struct { TopoutSessionType type; int weight; } types[] = {
    { TOPOUT_SESSION_TYPE_FUN, 32 },
    { TOPOUT_SESSION_TYPE_POWER, 12 },
    { TOPOUT_SESSION_TYPE_POWER_ENDURANCE, 10 },
    { TOPOUT_SESSION_TYPE_TENSION_BOARD, 10 },
    { TOPOUT_SESSION_TYPE_ENDURANCE, 10 },
    { TOPOUT_SESSION_TYPE_WORKOUT, 14 },
    { TOPOUT_SESSION_TYPE_CUSTOM, 12 },
  };
  int total = 0, roll;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    total += types[i].weight;
  roll = g_rand_int_range (rand, 0, total);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      if (roll < types[i].weight)
        return types[i].type;
      roll -= types[i].weight;
    }
  return TOPOUT_SESSION_TYPE_FUN;
}

/* Scorecards of the competition (pair, climber)s a batch touched. */
static void
note_competitor (GHashTable *competitors,
                 const char *competition_type,
                 const char *competition_id,
                 const char *climber_id)
{
  g_hash_table_add (competitors, g_strjoin ("\x1f", competition_type, competition_id, climber_id, NULL));
}

static gboolean
recompute_competitors (TopoutStore  *self,
                       GHashTable   *competitors,
                       GError      **error)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, competitors);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_auto (GStrv) parts = g_strsplit (key, "\x1f", 3);

      if (!_topout_store_recompute_scorecard (self, parts[0], parts[1], parts[2], error))
        return FALSE;
    }
  g_hash_table_remove_all (competitors);
  return TRUE;
}

/* Catalog rows the session makers pick from. */
typedef struct {
  char *id;
  char *grade;
  char *wall;
  int   level;
} CatalogClimb;

static void
catalog_climb_clear (gpointer data)
{
  CatalogClimb *climb = data;

  g_free (climb->id);
  g_free (climb->grade);
  g_free (climb->wall);
}

static GArray *
load_catalog (TopoutStore  *self,
              GError      **error)
{
  g_autoptr (GArray) catalog = g_array_new (FALSE, TRUE, sizeof (CatalogClimb));
  g_autoptr (TopoutStmt) stmt = NULL;
  int rc;

  g_array_set_clear_func (catalog, catalog_climb_clear);
  stmt = _topout_store_stmt (self, "SELECT id, grade, wall FROM climbs WHERE retired = 0 ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CatalogClimb climb = {
        g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
        g_strdup ((const char *) sqlite3_column_text (stmt, 1)),
        g_strdup ((const char *) sqlite3_column_text (stmt, 2)),
        0,
      };
      climb.level = grade_level (climb.grade);
      g_array_append_val (catalog, climb);
    }
  if (rc != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "demo: load catalog");
      return NULL;
    }
  return g_steal_pointer (&catalog);
}

/* A climb for someone of @skill: mostly near their level, sometimes a project;
 * on a board session, a board problem when there is one. */
static const CatalogClimb *
pick_climb (GRand             *rand,
            GArray            *catalog,
            int                skill,
            TopoutSessionType  type)
{
  const CatalogClimb *climb = NULL;

  for (int attempt = 0; attempt < 12; attempt++)
    {
      climb = &g_array_index (catalog, CatalogClimb, g_rand_int_range (rand, 0, catalog->len));
      if (type == TOPOUT_SESSION_TYPE_TENSION_BOARD && attempt < 8 && g_strcmp0 (climb->wall, "Board") != 0)
        continue;
      if (climb->level <= skill + 1 && climb->level >= skill - 4)
        break;
      if (climb->level == skill + 2 && g_rand_double (rand) < 0.25)
        break;
    }
  return climb;
}

/* Demo data ---------------------------------------------------------------- */

typedef struct {
  char *id;
  int   skill;        /* usual limit, on grade_level()'s scale */
  double frequency;   /* chance of climbing on a given day */
  int   window;       /* preferred time of day: 0 early, 1 lunch, 2 evening */
} DemoClimber;

static void
demo_climber_clear (gpointer data)
{
  DemoClimber *climber = data;
  g_free (climber->id);
}

static GBytes *
demo_resource (const char  *name,
               GError     **error)
{
  g_autofree char *path = g_strconcat (RESOURCE_PREFIX "/", name, NULL);

  return g_resource_lookup_data (topout_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

static gboolean
demo_import (TopoutStore  *self,
             const char   *name,
             GError      **error)
{
  g_autoptr (GBytes) bytes = demo_resource (name, error);
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) problems = NULL;

  if (bytes == NULL)
    return FALSE;
  report = topout_store_import_bytes (self, bytes, FALSE, &problems, error);
  if (report == NULL && problems != NULL)
    for (guint i = 0; i < problems->problems->len; i++)
      {
        TopoutImportProblem *problem = g_ptr_array_index (problems->problems, i);
        g_critical ("%s, entry %u: %s", name, problem->line, problem->message);
      }
  return report != NULL;
}

/* Start hours of the preferred windows. */
static int
demo_start_minute (GRand *rand,
                   int    window)
{
  switch (window)
    {
    case 0:  return g_rand_int_range (rand, 6 * 60 + 30, 9 * 60 + 30);
    case 1:  return g_rand_int_range (rand, 11 * 60, 13 * 60 + 30);
    default: return g_rand_int_range (rand, 17 * 60, 20 * 60 + 30);
    }
}

typedef struct {
  TopoutStore       *store;
  GRand             *rand;
  GArray            *catalog;
  GHashTable        *competitors;
  const GDate       *date;
  const char        *date_text;
} DemoDay;

/* One finished demo session and its completions. A competition session
 * climbs the round's problems. */
static gboolean
demo_session (DemoDay           *day,
              DemoClimber       *climber,
              TopoutSessionType  type,
              int                start_minute,
              const char        *competition_id,
              GArray            *round_problems,
              GError           **error)
{
  GRand *rand = day->rand;
  g_autoptr (TopoutSession) s = topout_session_new ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *name = NULL;
  const char *custom_label = NULL;
  const char *competition_type = competition_id != NULL ? "Boulder League" : NULL;
  guint n_routes;
  gint64 started_at, duration;

  switch (type)
    {
    case TOPOUT_SESSION_TYPE_POWER:        n_routes = g_rand_int_range (rand, 3, 9); break;
    case TOPOUT_SESSION_TYPE_ENDURANCE:    n_routes = g_rand_int_range (rand, 10, 16); break;
    case TOPOUT_SESSION_TYPE_COMPETITION:  n_routes = round_problems->len; break;
    default:                               n_routes = g_rand_int_range (rand, 4, 14); break;
    }
  if (type == TOPOUT_SESSION_TYPE_CUSTOM)
    custom_label = custom_labels[g_rand_int_range (rand, 0, G_N_ELEMENTS (custom_labels))];

  started_at = local_time (day->store, day->date, 0, 0) + (gint64) start_minute * 60 * G_USEC_PER_SEC;
  /* 45–150 minutes: ends before the evening, and before closing time. */
  duration = (gint64) g_rand_int_range (rand, 45, 151) * 60 * G_USEC_PER_SEC;
  name = auto_name (type, custom_label, day->date_text);

  topout_session_set_id (s, id);
  topout_session_set_climber_id (s, climber->id);
  topout_session_set_session_type (s, type);
  topout_session_set_custom_label (s, custom_label);
  topout_session_set_name (s, name);
  topout_session_set_status (s, TOPOUT_SESSION_STATUS_COMPLETED);
  topout_session_set_started_at (s, started_at);
  topout_session_set_ended_at (s, started_at + duration);
  topout_session_set_session_date (s, day->date_text);
  topout_session_set_time_slot (s, _topout_store_slot_of (day->store, started_at));
  topout_session_set_is_retroactive (s, FALSE);
  topout_session_set_at_gym (s, 1);
  topout_session_set_is_competition (s, competition_id != NULL);
  topout_session_set_competition_type (s, competition_type);
  topout_session_set_competition_id (s, competition_id);
  if (g_rand_double (rand) < 0.12)
    {
      static const char *const notes[] = {
        "Felt strong on crimps today.", "Skin was thin, stopped early.",
        "Worked the heel hook beta on the overhang.", "Great session with the Tuesday crew.",
        "Shoulder a bit tight; warmed up longer.",
      };
      topout_session_set_notes (s, notes[g_rand_int_range (rand, 0, G_N_ELEMENTS (notes))]);
    }
  topout_session_set_created_at (s, started_at);
  topout_session_set_updated_at (s, started_at + duration);
  topout_session_set_revision (s, 1);
  topout_session_set_is_demo (s, TRUE);
  topout_session_set_sync_state (s, TOPOUT_SYNC_STATE_LOCAL);
  if (!_topout_store_insert_session_row (day->store, s, error))
    return FALSE;

  for (guint i = 0; i < n_routes; i++)
    {
      g_autoptr (TopoutCompletion) c = topout_completion_new ();
      g_autofree char *completion_id = g_uuid_string_random ();
      const CatalogClimb *climb = round_problems != NULL
                                  ? g_array_index (round_problems, const CatalogClimb *, i)
                                  : pick_climb (rand, day->catalog, climber->skill, type);
      gboolean sent = g_rand_double (rand) < send_chance (climb->level - climber->skill);
      /* Spread through the session, in order. */
      gint64 logged_at = started_at + (gint64) ((i + 0.2 + 0.6 * g_rand_double (rand)) * duration / n_routes);

      topout_completion_set_id (c, completion_id);
      topout_completion_set_session_id (c, id);
      topout_completion_set_climb_id (c, climb->id);
      topout_completion_set_grade (c, climb->grade);
      topout_completion_set_is_success (c, sent);
      topout_completion_set_attempts (c, pick_attempts (rand, sent));
      if (g_rand_double (rand) < 0.04)
        topout_completion_set_notes (c, sent ? "Flowed once I trusted the smear." : "Can't stick the last move yet.");
      topout_completion_set_logged_at (c, logged_at);
      topout_completion_set_updated_at (c, logged_at);
      topout_completion_set_is_competition (c, competition_id != NULL);
      topout_completion_set_competition_type (c, competition_type);
      topout_completion_set_competition_id (c, competition_id);
      if (!_topout_store_insert_completion_row (day->store, c, error))
        return FALSE;
    }

  if (competition_id != NULL)
    note_competitor (day->competitors, competition_type, competition_id, climber->id);
  return TRUE;
}

static GArray *
load_demo_climbers (TopoutStore  *self,
                    GRand        *rand,
                    GError      **error)
{
  g_autoptr (GArray) climbers = g_array_new (FALSE, TRUE, sizeof (DemoClimber));
  g_autoptr (TopoutStmt) stmt = NULL;
  int rc;

  g_array_set_clear_func (climbers, demo_climber_clear);
  stmt = _topout_store_stmt (self, "SELECT id FROM climbers WHERE archived = 0 ORDER BY member_code, id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DemoClimber climber = {
        g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
        g_rand_int_range (rand, 2, 9),
        0.2 + 0.25 * g_rand_double (rand),
        g_rand_int_range (rand, 0, 3),
      };
      g_array_append_val (climbers, climber);
    }
  if (rc != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "demo: load climbers");
      return NULL;
    }
  return g_steal_pointer (&climbers);
}

/* One day of the demo gym: most climbers rest, some climb once, a few twice
 * (morning and evening). On a league day, many come for the round instead. */
static gboolean
demo_day (DemoDay  *day,
          GArray   *climbers,
          guint     round,
          GError  **error)
{
  GRand *rand = day->rand;
  g_autoptr (GArray) problems = NULL;
  g_autofree char *competition_id = NULL;
  guint n_sessions = 0;

  if (round > 0)
    {
      /* Eight problems of the round, the same for everyone. */
      problems = g_array_new (FALSE, FALSE, sizeof (const CatalogClimb *));
      while (problems->len < 8)
        {
          const CatalogClimb *climb = &g_array_index (day->catalog, CatalogClimb,
                                                      g_rand_int_range (rand, 0, day->catalog->len));
          gboolean seen = FALSE;

          for (guint i = 0; i < problems->len; i++)
            seen |= g_array_index (problems, const CatalogClimb *, i) == climb;
          if (!seen && climb->level >= 1 && climb->level <= 8)
            g_array_append_val (problems, climb);
        }
      competition_id = g_strdup_printf ("%04d-round-%u", g_date_get_year (day->date), round);
    }

  for (guint i = 0; i < climbers->len; i++)
    {
      DemoClimber *climber = &g_array_index (climbers, DemoClimber, i);
      double roll = g_rand_double (rand);

      if (round > 0 && g_rand_double (rand) < 0.6)
        {
          if (!demo_session (day, climber, TOPOUT_SESSION_TYPE_COMPETITION, 18 * 60 + g_rand_int_range (rand, 0, 60),
                             competition_id, problems, error))
            return FALSE;
          n_sessions++;
          continue;
        }
      if (roll >= climber->frequency)
        continue;
      if (roll < climber->frequency * 0.12)
        {
          /* Twice: a morning or lunch session, then the evening. */
          if (!demo_session (day, climber, pick_everyday_type (rand), demo_start_minute (rand, g_rand_int_range (rand, 0, 2)),
                             NULL, NULL, error) ||
              !demo_session (day, climber, pick_everyday_type (rand), demo_start_minute (rand, 2), NULL, NULL, error))
            return FALSE;
          n_sessions += 2;
          continue;
        }
      if (!demo_session (day, climber, pick_everyday_type (rand),
                         demo_start_minute (rand, g_rand_double (rand) < 0.75 ? climber->window
                                                                              : g_rand_int_range (rand, 0, 3)),
                         NULL, NULL, error))
        return FALSE;
      n_sessions++;
    }

  /* No empty day in the demo history. */
  if (n_sessions == 0 && climbers->len > 0)
    {
      DemoClimber *climber = &g_array_index (climbers, DemoClimber, g_rand_int_range (rand, 0, climbers->len));
      if (!demo_session (day, climber, pick_everyday_type (rand), demo_start_minute (rand, climber->window),
                         NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
topout_store_fill_demo (TopoutStore  *self,
                        GError      **error)
{
  g_autoptr (GRand) rand = NULL;
  g_autoptr (GArray) catalog = NULL;
  g_autoptr (GArray) climbers = NULL;
  g_autoptr (GHashTable) competitors = NULL;
  g_autofree char *today_text = NULL;
  g_autoptr (GDate) today = NULL;
  gboolean has_climbers = FALSE;
  /* League rounds, in days before today (three weeks apart). */
  static const int round_days[] = { 46, 25, 4 };

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);

  if (!database_has_rows (self, "SELECT EXISTS (SELECT 1 FROM climbers)", &has_climbers, error))
    return FALSE;
  if (has_climbers)
    return TRUE;

  today_text = topout_store_today (self);
  today = parse_date (today_text);
  g_return_val_if_fail (today != NULL, FALSE);

  /* One transaction: a demo database is filled completely or not at all.
   * About 400 sessions; it commits in a few tens of milliseconds. */
  if (!_topout_store_begin (self, error))
    return FALSE;

  if (!demo_import (self, "demo-catalog.json", error) ||
      !demo_import (self, "demo-climbers.json", error))
    goto fail;

  rand = g_rand_new_with_seed (DEMO_SEED);
  competitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!(catalog = load_catalog (self, error)) ||
      !(climbers = load_demo_climbers (self, rand, error)))
    goto fail;
  if (catalog->len == 0)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_FAILED, _("The demo catalog is empty."));
      goto fail;
    }

  for (int back = DEMO_DAYS; back >= 1; back--)
    {
      g_autoptr (GDate) date = g_date_copy (today);
      g_autofree char *date_text = NULL;
      DemoDay day = { self, rand, catalog, competitors, NULL, NULL };
      guint round = 0;

      g_date_subtract_days (date, back);
      date_text = format_date (date);
      day.date = date;
      day.date_text = date_text;
      for (guint r = 0; r < G_N_ELEMENTS (round_days); r++)
        if (round_days[r] == back)
          round = r + 1;
      if (!demo_day (&day, climbers, round, error))
        goto fail;
    }

  if (!recompute_competitors (self, competitors, error) ||
      !_topout_store_set_meta (self, "demo", "1", error))
    goto fail;
  _topout_store_note_reset (self);
  return _topout_store_commit (self, error);

fail:
  _topout_store_rollback (self);
  return FALSE;
}

/* Generator ----------------------------------------------------------------- */

static const char *const first_names[] = {
  "Ada", "Kenji", "Amara", "Lucía", "Mateus", "Priya", "Jonas", "Fatima", "Liam", "Mei-Ling",
  "Oskar", "Aroha", "Sven", "Chiara", "Tomás", "Yuki", "Nadia", "Kwame", "Ingrid", "Rafael",
  "Leila", "Dmitri", "Sofia", "Arjun", "Elif", "Mateo", "Hana", "Olu", "Freya", "Diego",
};

static const char *const last_names[] = {
  "Lindqvist", "Watanabe", "Okafor", "Fernández", "Oliveira", "Raman", "Becker", "El Idrissi",
  "O'Connor", "Chen", "Nowak", "Ngata", "Haugen", "Russo", "Silva", "Tanaka", "Haddad",
  "Mensah", "Johansson", "Costa", "Karimi", "Volkov", "Papadopoulos", "Iyer", "Yilmaz",
  "García", "Kim", "Adeyemi", "Murphy", "Moreau",
};

static const char *const climb_adjectives[] = {
  "Crimson", "Silent", "Electric", "Hidden", "Rusty", "Golden", "Crooked", "Velvet", "Savage",
  "Lazy", "Frozen", "Burning", "Tiny", "Endless", "Wobbly", "Secret", "Brutal", "Gentle",
  "Midnight", "Sticky",
};

static const char *const climb_nouns[] = {
  "Crimp", "Arête", "Dyno", "Sloper", "Pinch", "Traverse", "Roof", "Mantle", "Flake", "Corner",
  "Crack", "Jug", "Gaston", "Undercling", "Heel Hook", "Pocket", "Tufa", "Volume", "Dihedral",
  "Highball",
};

static const char *const walls[] = { "Cave", "Slab", "Overhang", "Board", "Lead Wall", "Comp Wall" };

static const char *const v_grades[] = {
  "VB", "V0", "V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "V10",
};
static const char *const font_grades[] = {
  "4", "5", "5+", "6A", "6A+", "6B", "6B+", "6C", "6C+", "7A", "7A+", "7B",
};
static const char *const yds_grades[] = {
  "5.8", "5.9", "5.10a", "5.10b", "5.10c", "5.10d", "5.11a", "5.11b", "5.11c", "5.12a", "5.12b", "5.13a",
};

typedef struct {
  char id[37];
  int  skill;
} GenClimber;

static gboolean
generate_catalog (TopoutStore  *self,
                  GRand        *rand,
                  guint         n_climbs,
                  const GDate  *first_day,
                  gint64        created_at,
                  GError      **error)
{
  for (guint i = 0; i < n_climbs; i++)
    {
      g_autoptr (TopoutClimb) climb = NULL;
      g_autoptr (GDate) set_on = g_date_copy (first_day);
      g_autofree char *set_on_text = NULL;
      char id[16];
      char name[64];
      double roll = g_rand_double (rand);
      TopoutGradeSystem system = roll < 0.8 ? TOPOUT_GRADE_SYSTEM_V_SCALE
                                 : roll < 0.92 ? TOPOUT_GRADE_SYSTEM_FONT : TOPOUT_GRADE_SYSTEM_YDS;
      const char *const *grades = system == TOPOUT_GRADE_SYSTEM_V_SCALE ? v_grades
                                  : system == TOPOUT_GRADE_SYSTEM_FONT ? font_grades : yds_grades;
      /* Gyms set more easy problems than hard ones. */
      guint grade = MIN (g_rand_int_range (rand, 0, 12), g_rand_int_range (rand, 0, 12) + 2);

      g_snprintf (id, sizeof id, "g-%04u", i + 1);
      g_snprintf (name, sizeof name, "%s %s",
                  climb_adjectives[g_rand_int_range (rand, 0, G_N_ELEMENTS (climb_adjectives))],
                  climb_nouns[g_rand_int_range (rand, 0, G_N_ELEMENTS (climb_nouns))]);
      g_date_subtract_days (set_on, g_rand_int_range (rand, 1, 90));
      set_on_text = format_date (set_on);

      climb = topout_climb_new (id, name, grades[MIN (grade, 11u)], system);
      topout_climb_set_color (climb, hold_colors[g_rand_int_range (rand, 0, G_N_ELEMENTS (hold_colors))]);
      topout_climb_set_wall (climb, walls[g_rand_int_range (rand, 0, G_N_ELEMENTS (walls))]);
      topout_climb_set_set_on (climb, set_on_text);
      /* Some problems have been stripped since; nobody logs them any more. */
      topout_climb_set_retired (climb, g_rand_double (rand) < 0.1);
      topout_climb_set_created_at (climb, created_at);
      topout_climb_set_updated_at (climb, created_at);
      if (!_topout_store_insert_climb_row (self, climb, error))
        return FALSE;
    }
  return TRUE;
}

static GArray *
generate_climbers (TopoutStore  *self,
                   GRand        *rand,
                   guint         n_climbers,
                   gint64        created_at,
                   GError      **error)
{
  g_autoptr (GArray) climbers = g_array_sized_new (FALSE, TRUE, sizeof (GenClimber), n_climbers);
  g_autoptr (TopoutClimber) climber = topout_climber_new ();

  topout_climber_set_created_at (climber, created_at);
  topout_climber_set_updated_at (climber, created_at);
  for (guint i = 0; i < n_climbers; i++)
    {
      GenClimber gen = { "", g_rand_int_range (rand, 2, 10) };
      char code[16];
      char name[96];

      rand_uuid (rand, gen.id);
      g_snprintf (code, sizeof code, "G-%06u", i + 1);
      g_snprintf (name, sizeof name, "%s %s",
                  first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))],
                  last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))]);
      topout_climber_set_id (climber, gen.id);
      topout_climber_set_member_code (climber, code);
      topout_climber_set_display_name (climber, name);
      if (!_topout_store_insert_climber_row (self, climber, error))
        return NULL;
      g_array_append_val (climbers, gen);
    }
  return g_steal_pointer (&climbers);
}

/* Three windows of a day that never overlap, so a climber's sessions of one
 * date follow each other: start range in minutes after midnight, and the
 * longest session that still ends before the next window. */
static const struct {
  int from, to, max_minutes;
} day_windows[3] = {
  { 6 * 60, 9 * 60, 110 },
  { 11 * 60, 14 * 60 + 30, 110 },
  { 16 * 60 + 30, 20 * 60 + 30, 140 },
};

typedef struct {
  TopoutStore      *store;
  GRand            *rand;
  GArray           *catalog;
  guint             routes_per_session;
  TopoutSession    *session;     /* reused for every row */
  TopoutCompletion *completion;  /* reused for every row */
  GHashTable       *competitors;
} Generator;

static gboolean
generate_session (Generator         *gen,
                  const GenClimber  *climber,
                  const char        *date_text,
                  gint64             midnight,
                  int                window,
                  const char        *competition_id,
                  GError           **error)
{
  GRand *rand = gen->rand;
  TopoutSession *s = gen->session;
  TopoutCompletion *c = gen->completion;
  TopoutSessionType type = competition_id != NULL ? TOPOUT_SESSION_TYPE_COMPETITION : pick_everyday_type (rand);
  const char *competition_type = competition_id != NULL ? "Boulder League" : NULL;
  const char *custom_label = NULL;
  g_autofree char *name = NULL;
  char id[37];
  gint64 started_at, duration;

  if (type == TOPOUT_SESSION_TYPE_CUSTOM)
    custom_label = custom_labels[g_rand_int_range (rand, 0, G_N_ELEMENTS (custom_labels))];
  name = auto_name (type, custom_label, date_text);
  started_at = midnight + (gint64) g_rand_int_range (rand, day_windows[window].from, day_windows[window].to)
                          * 60 * G_USEC_PER_SEC;
  duration = (gint64) g_rand_int_range (rand, 40, day_windows[window].max_minutes + 1) * 60 * G_USEC_PER_SEC;
  rand_uuid (rand, id);

  topout_session_set_id (s, id);
  topout_session_set_climber_id (s, climber->id);
  topout_session_set_session_type (s, type);
  topout_session_set_custom_label (s, custom_label);
  topout_session_set_name (s, name);
  topout_session_set_status (s, TOPOUT_SESSION_STATUS_COMPLETED);
  topout_session_set_started_at (s, started_at);
  topout_session_set_ended_at (s, started_at + duration);
  topout_session_set_session_date (s, date_text);
  topout_session_set_time_slot (s, _topout_store_slot_of (gen->store, started_at));
  topout_session_set_is_retroactive (s, FALSE);
  topout_session_set_at_gym (s, 1);
  topout_session_set_is_competition (s, competition_id != NULL);
  topout_session_set_competition_type (s, competition_type);
  topout_session_set_competition_id (s, competition_id);
  topout_session_set_notes (s, "");
  topout_session_set_created_at (s, started_at);
  topout_session_set_updated_at (s, started_at + duration);
  topout_session_set_revision (s, 1);
  topout_session_set_is_demo (s, FALSE);
  topout_session_set_sync_state (s, TOPOUT_SYNC_STATE_PENDING);
  if (!_topout_store_insert_session_row (gen->store, s, error))
    return FALSE;

  topout_completion_set_session_id (c, id);
  topout_completion_set_is_competition (c, competition_id != NULL);
  topout_completion_set_competition_type (c, competition_type);
  topout_completion_set_competition_id (c, competition_id);
  for (guint i = 0; i < gen->routes_per_session; i++)
    {
      const CatalogClimb *climb = pick_climb (rand, gen->catalog, climber->skill, type);
      gboolean sent = g_rand_double (rand) < send_chance (climb->level - climber->skill);
      gint64 logged_at = started_at + (gint64) ((i + g_rand_double (rand)) * duration / gen->routes_per_session);
      char completion_id[37];

      rand_uuid (rand, completion_id);
      topout_completion_set_id (c, completion_id);
      topout_completion_set_climb_id (c, climb->id);
      topout_completion_set_grade (c, climb->grade);
      topout_completion_set_is_success (c, sent);
      topout_completion_set_attempts (c, pick_attempts (rand, sent));
      topout_completion_set_logged_at (c, logged_at);
      topout_completion_set_updated_at (c, logged_at);
      if (!_topout_store_insert_completion_row (gen->store, c, error))
        return FALSE;
    }

  if (competition_id != NULL)
    note_competitor (gen->competitors, competition_type, competition_id, climber->id);
  return TRUE;
}

gboolean
topout_store_generate (TopoutStore  *self,
                       guint         n_sessions,
                       guint         routes_per_session,
                       guint32       seed,
                       GError      **error)
{
  return topout_store_generate_full (self, n_sessions, routes_per_session, 0, 0, seed, error);
}

gboolean
topout_store_generate_full (TopoutStore  *self,
                            guint         n_sessions,
                            guint         routes_per_session,
                            guint         n_climbers,
                            guint         n_climbs,
                            guint32       seed,
                            GError      **error)
{
  g_autoptr (GRand) rand = NULL;
  g_autoptr (GArray) catalog = NULL;
  g_autoptr (GArray) climbers = NULL;
  g_autoptr (GHashTable) competitors = NULL;
  g_autoptr (TopoutSession) session = NULL;
  g_autoptr (TopoutCompletion) completion = NULL;
  g_autofree guint8 *per_day = NULL;
  g_autofree char *today_text = NULL;
  g_autoptr (GDate) today = NULL;
  g_autoptr (GDate) first_day = NULL;
  Generator gen;
  gboolean has_rows = FALSE;
  guint per_climber, n_days, cap, in_chunk = 0;
  gint64 created_at;

  g_return_val_if_fail (TOPOUT_IS_STORE (self), FALSE);

  if (routes_per_session > TOPOUT_LIMIT_ROUTES_PER_SESSION)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_FAILED,
                   _("A session holds at most %d routes (the sync contract’s limit)."),
                   TOPOUT_LIMIT_ROUTES_PER_SESSION);
      return FALSE;
    }
  if (!database_has_rows (self,
                          "SELECT EXISTS (SELECT 1 FROM climbers) OR EXISTS (SELECT 1 FROM climbs)"
                          " OR EXISTS (SELECT 1 FROM sessions)",
                          &has_rows, error))
    return FALSE;
  if (has_rows)
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_STATE,
                   _("The database “%s” already holds climbers, climbs or sessions; "
                     "synthetic data goes into an empty one."),
                   topout_store_get_path (self));
      return FALSE;
    }

  /* Everything below comes from @seed and today's date. */
  rand = g_rand_new_with_seed (seed);
  cap = CLAMP (topout_store_get_max_sessions_per_day (self), TOPOUT_MAX_SESSIONS_PER_DAY_MIN,
               TOPOUT_MAX_SESSIONS_PER_DAY_MAX);
  if (n_climbers == 0)
    n_climbers = MAX (20, n_sessions / 200);
  if (n_climbs == 0)
    n_climbs = GENERATE_CLIMBS;
  per_climber = (n_sessions + n_climbers - 1) / n_climbers;
  /* About two sessions every three days for the busiest climber, within
   * the daily cap. */
  n_days = MAX (60, per_climber * 3 / 2 + 1);

  today_text = topout_store_today (self);
  today = parse_date (today_text);
  g_return_val_if_fail (today != NULL, FALSE);
  first_day = g_date_copy (today);
  g_date_subtract_days (first_day, n_days);
  created_at = local_time (self, first_day, 7, 0) - (gint64) 24 * 3600 * G_USEC_PER_SEC;

  if (!_topout_store_begin (self, error))
    return FALSE;
  if (!generate_catalog (self, rand, n_climbs, first_day, created_at, error) ||
      !(climbers = generate_climbers (self, rand, n_climbers, created_at, error)) ||
      !(catalog = load_catalog (self, error)))
    goto fail;

  /* How many sessions each climber has on each day: n_sessions in all, as
   * even as possible between climbers, on random days, never over the cap. */
  per_day = g_new0 (guint8, (gsize) n_climbers * n_days);
  for (guint c = 0; c < n_climbers; c++)
    {
      guint count = n_sessions / n_climbers + (c < n_sessions % n_climbers ? 1 : 0);

      for (guint k = 0; k < count; k++)
        {
          guint day = g_rand_int_range (rand, 0, n_days);

          while (per_day[(gsize) c * n_days + day] >= cap)
            day = (day + 1) % n_days;
          per_day[(gsize) c * n_days + day]++;
        }
    }

  session = topout_session_new ();
  completion = topout_completion_new ();
  competitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gen = (Generator) { self, rand, catalog, routes_per_session, session, completion, competitors };

  for (guint d = 0; d < n_days; d++)
    {
      g_autoptr (GDate) date = g_date_copy (first_day);
      g_autofree char *date_text = NULL;
      g_autofree char *competition_id = NULL;
      gint64 midnight;

      g_date_add_days (date, d);
      date_text = format_date (date);
      midnight = local_time (self, date, 0, 0);
      /* A league round every second Thursday evening. */
      if (g_date_get_weekday (date) == G_DATE_THURSDAY && (g_date_get_julian (date) / 7) % 2 == 0)
        competition_id = g_strdup_printf ("%04d-round-%u", g_date_get_year (date),
                                          (g_date_get_day_of_year (date) - 1) / 14 + 1);

      for (guint c = 0; c < n_climbers; c++)
        {
          const GenClimber *climber = &g_array_index (climbers, GenClimber, c);
          guint count = per_day[(gsize) c * n_days + d];
          int skip = -1;

          if (count == 0)
            continue;
          /* Which windows: one (mostly the evening), two of three, or all. */
          if (count == 1)
            {
              double roll = g_rand_double (rand);
              skip = roll < 0.2 ? 0 : roll < 0.5 ? 1 : 2;
            }
          else if (count == 2)
            skip = g_rand_int_range (rand, 0, 3);

          for (int w = 0; w < 3; w++)
            {
              gboolean take = count == 1 ? w == skip : count == 2 ? w != skip : TRUE;
              const char *pair_id = NULL;

              if (!take)
                continue;
              if (competition_id != NULL && w == 2 && g_rand_double (rand) < 0.5)
                pair_id = competition_id;
              if (!generate_session (&gen, climber, date_text, midnight, w, pair_id, error))
                goto fail;

              if (++in_chunk == GENERATE_CHUNK)
                {
                  in_chunk = 0;
                  if (!recompute_competitors (self, competitors, error))
                    goto fail;
                  _topout_store_note_reset (self);
                  if (!_topout_store_commit (self, error) ||
                      !_topout_store_begin (self, error))
                    goto fail;
                }
            }
        }
    }

  if (!recompute_competitors (self, competitors, error))
    goto fail;
  _topout_store_note_reset (self);
  return _topout_store_commit (self, error);

fail:
  _topout_store_rollback (self);
  return FALSE;
}
