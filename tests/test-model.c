/* test-model.c — the enums and GObject types of src/model: keys, labels,
 * time slots, properties, notifications, defaults and copies. */
#define G_LOG_DOMAIN "topout-test-model"

#include "config.h"

#include "topout-climber.h"
#include "topout-climb.h"
#include "topout-session.h"
#include "topout-completion.h"
#include "topout-enum-types.h"

/* Enum keys -------------------------------------------------------------- */

typedef const char *(*ToKeyFunc)   (int value);
typedef gboolean    (*FromKeyFunc) (const char *key, int *out);
typedef const char *(*LabelFunc)   (int value);

typedef struct {
  const char  *name;
  GType      (*get_type) (void);
  ToKeyFunc    to_key;
  FromKeyFunc  from_key;
  LabelFunc    get_label;
} EnumFuncs;

/* One signature for every enum, so one loop checks them all. */
#define ENUM_WRAPPERS(prefix, Type)                                   \
  static const char *                                                 \
  prefix##_to_key_int (int value)                                     \
  {                                                                   \
    return topout_##prefix##_to_key ((Type) value);                   \
  }                                                                   \
  static gboolean                                                     \
  prefix##_from_key_int (const char *key,                             \
                         int        *out)                             \
  {                                                                   \
    Type v = (Type) *out;                                             \
    gboolean ok = topout_##prefix##_from_key (key, &v);               \
    *out = (int) v;                                                   \
    return ok;                                                        \
  }                                                                   \
  static const char *                                                 \
  prefix##_get_label_int (int value)                                  \
  {                                                                   \
    return topout_##prefix##_get_label ((Type) value);                \
  }

ENUM_WRAPPERS (session_type, TopoutSessionType)
ENUM_WRAPPERS (session_status, TopoutSessionStatus)
ENUM_WRAPPERS (time_slot, TopoutTimeSlot)
ENUM_WRAPPERS (sync_state, TopoutSyncState)
ENUM_WRAPPERS (grade_system, TopoutGradeSystem)

#define ENUM_FUNCS(prefix) \
  { #prefix, topout_##prefix##_get_type, \
    prefix##_to_key_int, prefix##_from_key_int, prefix##_get_label_int }

static const EnumFuncs enum_funcs[] = {
  ENUM_FUNCS (session_type),
  ENUM_FUNCS (session_status),
  ENUM_FUNCS (time_slot),
  ENUM_FUNCS (sync_state),
  ENUM_FUNCS (grade_system),
};

static void
test_enum_keys_round_trip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (enum_funcs); i++)
    {
      const EnumFuncs *f = &enum_funcs[i];
      g_autoptr (GEnumClass) klass = g_type_class_ref (f->get_type ());

      g_assert_cmpuint (klass->n_values, >, 1);
      for (guint v = 0; v < klass->n_values; v++)
        {
          GEnumValue *ev = &klass->values[v];
          const char *key = f->to_key (ev->value);
          int out = -1;

          if (f->get_type () == TOPOUT_TYPE_TIME_SLOT && ev->value == TOPOUT_TIME_SLOT_UNSET)
            {
              g_assert_null (key);
            }
          else
            {
              g_assert_cmpstr (key, ==, ev->value_nick);
              /* Contract keys are upper case identifiers. */
              for (const char *p = key; *p; p++)
                g_assert_true (g_ascii_isupper (*p) || *p == '_');
            }

          g_assert_true (f->from_key (key, &out));
          g_assert_cmpint (out, ==, ev->value);
        }
    }
}

static void
test_enum_keys_contract (void)
{
  TopoutSessionType type = TOPOUT_SESSION_TYPE_FUN;
  TopoutSessionStatus status = TOPOUT_SESSION_STATUS_ACTIVE;
  TopoutTimeSlot slot = TOPOUT_TIME_SLOT_UNSET;
  TopoutSyncState state = TOPOUT_SYNC_STATE_LOCAL;
  TopoutGradeSystem system = TOPOUT_GRADE_SYSTEM_V_SCALE;

  /* The keys SPEC section 4 sends and SQLite stores, spelled out once. */
  g_assert_cmpstr (topout_session_type_to_key (TOPOUT_SESSION_TYPE_FUN), ==, "FUN");
  g_assert_cmpstr (topout_session_type_to_key (TOPOUT_SESSION_TYPE_CUSTOM), ==, "CUSTOM");
  g_assert_cmpstr (topout_session_type_to_key (TOPOUT_SESSION_TYPE_POWER), ==, "POWER");
  g_assert_cmpstr (topout_session_type_to_key (TOPOUT_SESSION_TYPE_POWER_ENDURANCE), ==, "POWER_ENDURANCE");
  g_assert_cmpstr (topout_session_type_to_key (TOPOUT_SESSION_TYPE_TENSION_BOARD), ==, "TENSION_BOARD");
  g_assert_cmpstr (topout_session_type_to_key (TOPOUT_SESSION_TYPE_COMPETITION), ==, "COMPETITION");
  g_assert_cmpstr (topout_session_type_to_key (TOPOUT_SESSION_TYPE_ENDURANCE), ==, "ENDURANCE");
  g_assert_cmpstr (topout_session_type_to_key (TOPOUT_SESSION_TYPE_WORKOUT), ==, "WORKOUT");
  g_assert_cmpstr (topout_session_status_to_key (TOPOUT_SESSION_STATUS_ACTIVE), ==, "ACTIVE");
  g_assert_cmpstr (topout_session_status_to_key (TOPOUT_SESSION_STATUS_COMPLETED), ==, "COMPLETED");
  g_assert_cmpstr (topout_session_status_to_key (TOPOUT_SESSION_STATUS_CANCELLED), ==, "CANCELLED");
  g_assert_null (topout_time_slot_to_key (TOPOUT_TIME_SLOT_UNSET));
  g_assert_cmpstr (topout_time_slot_to_key (TOPOUT_TIME_SLOT_EARLY_MORNING), ==, "EARLY_MORNING");
  g_assert_cmpstr (topout_time_slot_to_key (TOPOUT_TIME_SLOT_MORNING), ==, "MORNING");
  g_assert_cmpstr (topout_time_slot_to_key (TOPOUT_TIME_SLOT_MIDDAY), ==, "MIDDAY");
  g_assert_cmpstr (topout_time_slot_to_key (TOPOUT_TIME_SLOT_AFTERNOON), ==, "AFTERNOON");
  g_assert_cmpstr (topout_time_slot_to_key (TOPOUT_TIME_SLOT_EVENING), ==, "EVENING");
  g_assert_cmpstr (topout_time_slot_to_key (TOPOUT_TIME_SLOT_NIGHT), ==, "NIGHT");
  g_assert_cmpstr (topout_sync_state_to_key (TOPOUT_SYNC_STATE_LOCAL), ==, "LOCAL");
  g_assert_cmpstr (topout_sync_state_to_key (TOPOUT_SYNC_STATE_PENDING), ==, "PENDING");
  g_assert_cmpstr (topout_sync_state_to_key (TOPOUT_SYNC_STATE_SYNCING), ==, "SYNCING");
  g_assert_cmpstr (topout_sync_state_to_key (TOPOUT_SYNC_STATE_SYNCED), ==, "SYNCED");
  g_assert_cmpstr (topout_sync_state_to_key (TOPOUT_SYNC_STATE_FAILED), ==, "FAILED");
  g_assert_cmpstr (topout_sync_state_to_key (TOPOUT_SYNC_STATE_REJECTED), ==, "REJECTED");
  g_assert_cmpstr (topout_sync_state_to_key (TOPOUT_SYNC_STATE_CONFLICT), ==, "CONFLICT");
  g_assert_cmpstr (topout_grade_system_to_key (TOPOUT_GRADE_SYSTEM_V_SCALE), ==, "V");
  g_assert_cmpstr (topout_grade_system_to_key (TOPOUT_GRADE_SYSTEM_FONT), ==, "FONT");
  g_assert_cmpstr (topout_grade_system_to_key (TOPOUT_GRADE_SYSTEM_YDS), ==, "YDS");

  g_assert_true (topout_session_type_from_key ("POWER_ENDURANCE", &type));
  g_assert_cmpint (type, ==, TOPOUT_SESSION_TYPE_POWER_ENDURANCE);
  g_assert_true (topout_session_status_from_key ("CANCELLED", &status));
  g_assert_cmpint (status, ==, TOPOUT_SESSION_STATUS_CANCELLED);
  g_assert_true (topout_time_slot_from_key ("EVENING", &slot));
  g_assert_cmpint (slot, ==, TOPOUT_TIME_SLOT_EVENING);
  g_assert_true (topout_time_slot_from_key (NULL, &slot));
  g_assert_cmpint (slot, ==, TOPOUT_TIME_SLOT_UNSET);
  g_assert_true (topout_sync_state_from_key ("CONFLICT", &state));
  g_assert_cmpint (state, ==, TOPOUT_SYNC_STATE_CONFLICT);
  g_assert_true (topout_grade_system_from_key ("FONT", &system));
  g_assert_cmpint (system, ==, TOPOUT_GRADE_SYSTEM_FONT);
}

static void
test_enum_keys_unknown (void)
{
  static const char *const bad[] = {
    "", "BOGUS", "power", "Power", " POWER", "POWER ", "FUN\n", "0", "1", "V-scale",
    "ACTIVE_", "EVENING!", "Evening", "UNSET", "unset", "v",
  };

  for (guint i = 0; i < G_N_ELEMENTS (enum_funcs); i++)
    {
      const EnumFuncs *f = &enum_funcs[i];
      const int sentinel = 0x5eed;

      for (guint b = 0; b < G_N_ELEMENTS (bad); b++)
        {
          int out = sentinel;

          /* "UNSET" included: a nick of the time slot, but never a key. */
          g_assert_false (f->from_key (bad[b], &out));
          g_assert_cmpint (out, ==, sentinel);
        }

      /* NULL is a key only for the time slot (UNSET). */
      if (f->get_type () != TOPOUT_TYPE_TIME_SLOT)
        {
          int out = sentinel;

          g_assert_false (f->from_key (NULL, &out));
          g_assert_cmpint (out, ==, sentinel);
        }
    }
}

/* Labels ----------------------------------------------------------------- */

static void
test_enum_labels (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (enum_funcs); i++)
    {
      const EnumFuncs *f = &enum_funcs[i];
      g_autoptr (GEnumClass) klass = g_type_class_ref (f->get_type ());
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint v = 0; v < klass->n_values; v++)
        {
          const char *label = f->get_label (klass->values[v].value);

          g_assert_nonnull (label);
          g_assert_cmpstr (label, !=, "");
          g_assert_true (g_utf8_validate (label, -1, NULL));
          /* Distinct within one enum: no two values look alike. */
          g_assert_false (g_hash_table_contains (seen, label));
          g_hash_table_add (seen, (gpointer) label);
        }
    }

  /* The English labels (the tests run with LC_ALL=C.UTF-8). */
  g_assert_cmpstr (topout_session_type_get_label (TOPOUT_SESSION_TYPE_FUN), ==, "Fun");
  g_assert_cmpstr (topout_session_type_get_label (TOPOUT_SESSION_TYPE_CUSTOM), ==, "Custom");
  g_assert_cmpstr (topout_session_type_get_label (TOPOUT_SESSION_TYPE_POWER), ==, "Power");
  g_assert_cmpstr (topout_session_type_get_label (TOPOUT_SESSION_TYPE_POWER_ENDURANCE), ==, "Power endurance");
  g_assert_cmpstr (topout_session_type_get_label (TOPOUT_SESSION_TYPE_TENSION_BOARD), ==, "Tension board");
  g_assert_cmpstr (topout_session_type_get_label (TOPOUT_SESSION_TYPE_COMPETITION), ==, "Competition");
  g_assert_cmpstr (topout_session_type_get_label (TOPOUT_SESSION_TYPE_ENDURANCE), ==, "Endurance");
  g_assert_cmpstr (topout_session_type_get_label (TOPOUT_SESSION_TYPE_WORKOUT), ==, "Workout");
  g_assert_cmpstr (topout_session_status_get_label (TOPOUT_SESSION_STATUS_ACTIVE), ==, "Active");
  g_assert_cmpstr (topout_session_status_get_label (TOPOUT_SESSION_STATUS_COMPLETED), ==, "Completed");
  g_assert_cmpstr (topout_session_status_get_label (TOPOUT_SESSION_STATUS_CANCELLED), ==, "Cancelled");
  g_assert_cmpstr (topout_time_slot_get_label (TOPOUT_TIME_SLOT_UNSET), ==, "No time slot");
  g_assert_cmpstr (topout_time_slot_get_label (TOPOUT_TIME_SLOT_EARLY_MORNING), ==, "Early morning");
  g_assert_cmpstr (topout_time_slot_get_label (TOPOUT_TIME_SLOT_MORNING), ==, "Morning");
  g_assert_cmpstr (topout_time_slot_get_label (TOPOUT_TIME_SLOT_MIDDAY), ==, "Midday");
  g_assert_cmpstr (topout_time_slot_get_label (TOPOUT_TIME_SLOT_AFTERNOON), ==, "Afternoon");
  g_assert_cmpstr (topout_time_slot_get_label (TOPOUT_TIME_SLOT_EVENING), ==, "Evening");
  g_assert_cmpstr (topout_time_slot_get_label (TOPOUT_TIME_SLOT_NIGHT), ==, "Night");
  g_assert_cmpstr (topout_sync_state_get_label (TOPOUT_SYNC_STATE_LOCAL), ==, "On this device only");
  g_assert_cmpstr (topout_sync_state_get_label (TOPOUT_SYNC_STATE_PENDING), ==, "Pending sync");
  g_assert_cmpstr (topout_sync_state_get_label (TOPOUT_SYNC_STATE_SYNCING), ==, "Syncing");
  g_assert_cmpstr (topout_sync_state_get_label (TOPOUT_SYNC_STATE_SYNCED), ==, "Synced");
  g_assert_cmpstr (topout_sync_state_get_label (TOPOUT_SYNC_STATE_FAILED), ==, "Sync failed");
  g_assert_cmpstr (topout_sync_state_get_label (TOPOUT_SYNC_STATE_REJECTED), ==, "Rejected");
  g_assert_cmpstr (topout_sync_state_get_label (TOPOUT_SYNC_STATE_CONFLICT), ==, "Conflict");
  g_assert_cmpstr (topout_grade_system_get_label (TOPOUT_GRADE_SYSTEM_V_SCALE), ==, "V-scale");
  g_assert_cmpstr (topout_grade_system_get_label (TOPOUT_GRADE_SYSTEM_FONT), ==, "Font");
  g_assert_cmpstr (topout_grade_system_get_label (TOPOUT_GRADE_SYSTEM_YDS), ==, "YDS");
}

/* Time slots ------------------------------------------------------------- */

static void
test_time_slot_hours (void)
{
  /* SPEC section 2, the table of time slots. */
  static const struct {
    TopoutTimeSlot slot;
    int            start;
    int            end;
  } table[] = {
    { TOPOUT_TIME_SLOT_EARLY_MORNING,  5,  8 },
    { TOPOUT_TIME_SLOT_MORNING,        8, 11 },
    { TOPOUT_TIME_SLOT_MIDDAY,        11, 14 },
    { TOPOUT_TIME_SLOT_AFTERNOON,     14, 17 },
    { TOPOUT_TIME_SLOT_EVENING,       17, 20 },
    { TOPOUT_TIME_SLOT_NIGHT,         20,  5 },
  };
  int start = 99, end = 99;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_assert_true (topout_time_slot_get_hours (table[i].slot, &start, &end));
      g_assert_cmpint (start, ==, table[i].start);
      g_assert_cmpint (end, ==, table[i].end);
      /* The first hour of a slot is in that slot, the last one before its end too. */
      g_assert_cmpint (topout_time_slot_for_hour (start), ==, table[i].slot);
      g_assert_cmpint (topout_time_slot_for_hour ((end + 23) % 24), ==, table[i].slot);
    }

  start = end = 99;
  g_assert_false (topout_time_slot_get_hours (TOPOUT_TIME_SLOT_UNSET, &start, &end));
  g_assert_cmpint (start, ==, 99);
  g_assert_cmpint (end, ==, 99);

  /* Either output may be NULL. */
  g_assert_true (topout_time_slot_get_hours (TOPOUT_TIME_SLOT_NIGHT, NULL, &end));
  g_assert_cmpint (end, ==, 5);
  g_assert_true (topout_time_slot_get_hours (TOPOUT_TIME_SLOT_NIGHT, &start, NULL));
  g_assert_cmpint (start, ==, 20);
}

static void
test_time_slot_for_hour (void)
{
  static const TopoutTimeSlot expected[24] = {
    [0]  = TOPOUT_TIME_SLOT_NIGHT,
    [1]  = TOPOUT_TIME_SLOT_NIGHT,
    [2]  = TOPOUT_TIME_SLOT_NIGHT,
    [3]  = TOPOUT_TIME_SLOT_NIGHT,
    [4]  = TOPOUT_TIME_SLOT_NIGHT,
    [5]  = TOPOUT_TIME_SLOT_EARLY_MORNING,
    [6]  = TOPOUT_TIME_SLOT_EARLY_MORNING,
    [7]  = TOPOUT_TIME_SLOT_EARLY_MORNING,
    [8]  = TOPOUT_TIME_SLOT_MORNING,
    [9]  = TOPOUT_TIME_SLOT_MORNING,
    [10] = TOPOUT_TIME_SLOT_MORNING,
    [11] = TOPOUT_TIME_SLOT_MIDDAY,
    [12] = TOPOUT_TIME_SLOT_MIDDAY,
    [13] = TOPOUT_TIME_SLOT_MIDDAY,
    [14] = TOPOUT_TIME_SLOT_AFTERNOON,
    [15] = TOPOUT_TIME_SLOT_AFTERNOON,
    [16] = TOPOUT_TIME_SLOT_AFTERNOON,
    [17] = TOPOUT_TIME_SLOT_EVENING,
    [18] = TOPOUT_TIME_SLOT_EVENING,
    [19] = TOPOUT_TIME_SLOT_EVENING,
    [20] = TOPOUT_TIME_SLOT_NIGHT,
    [21] = TOPOUT_TIME_SLOT_NIGHT,
    [22] = TOPOUT_TIME_SLOT_NIGHT,
    [23] = TOPOUT_TIME_SLOT_NIGHT,
  };

  for (int h = 0; h < 24; h++)
    {
      TopoutTimeSlot slot = topout_time_slot_for_hour (h);
      int start, end;

      g_test_message ("hour %d", h);
      g_assert_cmpint (slot, ==, expected[h]);

      /* Consistent with get_hours(), wrap included. */
      g_assert_true (topout_time_slot_get_hours (slot, &start, &end));
      if (start < end)
        g_assert_true (h >= start && h < end);
      else
        g_assert_true (h >= start || h < end);
    }

  g_assert_cmpint (topout_time_slot_for_hour (-1), ==, TOPOUT_TIME_SLOT_UNSET);
  g_assert_cmpint (topout_time_slot_for_hour (24), ==, TOPOUT_TIME_SLOT_UNSET);
  g_assert_cmpint (topout_time_slot_for_hour (G_MININT), ==, TOPOUT_TIME_SLOT_UNSET);
  g_assert_cmpint (topout_time_slot_for_hour (G_MAXINT), ==, TOPOUT_TIME_SLOT_UNSET);
}

static TopoutTimeSlot
slot_at (const char *rfc3339,
         const char *zone_id)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_iso8601 (rfc3339, NULL);
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier (zone_id);
  g_autoptr (GDateTime) local = NULL;

  g_assert_nonnull (utc);
  g_assert_nonnull (zone);  /* needs tzdata */
  local = g_date_time_to_timezone (utc, zone);
  return topout_time_slot_for_time (local);
}

static void
test_time_slot_for_time (void)
{
  /* 16:30 UTC is 17:30 in Berlin (CET, +1 in November): the local hour counts. */
  g_assert_cmpint (slot_at ("2026-11-21T16:30:00Z", "UTC"), ==, TOPOUT_TIME_SLOT_AFTERNOON);
  g_assert_cmpint (slot_at ("2026-11-21T16:30:00Z", "Europe/Berlin"), ==, TOPOUT_TIME_SLOT_EVENING);
  /* Summer time: 15:30 UTC is 17:30 CEST. */
  g_assert_cmpint (slot_at ("2026-07-01T15:30:00Z", "Europe/Berlin"), ==, TOPOUT_TIME_SLOT_EVENING);
  g_assert_cmpint (slot_at ("2026-07-01T14:59:59Z", "Europe/Berlin"), ==, TOPOUT_TIME_SLOT_AFTERNOON);
  /* Across the date line: 16:30 UTC is 05:30 the next day in Auckland (NZDT, +13). */
  g_assert_cmpint (slot_at ("2026-11-21T16:30:00Z", "Pacific/Auckland"), ==, TOPOUT_TIME_SLOT_EARLY_MORNING);
  /* Behind UTC: 03:00 UTC is 22:00 the day before in New York (EST, -5). */
  g_assert_cmpint (slot_at ("2026-11-21T03:00:00Z", "America/New_York"), ==, TOPOUT_TIME_SLOT_NIGHT);
  /* Half-hour zone: 04:29 UTC is 09:59 in Kolkata (+5:30). */
  g_assert_cmpint (slot_at ("2026-11-21T04:29:00Z", "Asia/Kolkata"), ==, TOPOUT_TIME_SLOT_MORNING);
  g_assert_cmpint (slot_at ("2026-11-21T05:30:00Z", "Asia/Kolkata"), ==, TOPOUT_TIME_SLOT_MIDDAY);
}

/* Properties: generic checks over every pspec ------------------------------ */

typedef struct {
  const char *type_name;
  const char *const *names;  /* NULL-terminated, as listed in DEVELOPERS.md */
} ModelType;

static const char *const climber_props[] = {
  "id", "member-code", "display-name", "created-at", "updated-at", "archived",
  "merged-into", NULL,
};
static const char *const climb_props[] = {
  "id", "name", "grade", "grade-system", "color", "wall", "set-on", "retired",
  "created-at", "updated-at", NULL,
};
static const char *const session_props[] = {
  "id", "server-id", "climber-id", "climber-name", "session-type", "custom-label",
  "name", "status", "started-at", "ended-at", "session-date", "time-slot",
  "is-retroactive", "at-gym", "is-competition", "competition-type",
  "competition-id", "notes", "created-at", "updated-at", "revision", "is-demo",
  "sync-state", "sync-attempts", "next-attempt-at", "last-error",
  "last-error-code",
  "server-revision", "n-routes", "n-sends", "last-logged-at", NULL,
};
static const char *const completion_props[] = {
  "id", "session-id", "climb-id", "climb-name", "climb-color", "grade",
  "is-success", "attempts", "notes", "logged-at", "is-competition",
  "competition-type", "competition-id", "updated-at", NULL,
};

static GType
model_type (guint i)
{
  switch (i)
    {
    case 0: return TOPOUT_TYPE_CLIMBER;
    case 1: return TOPOUT_TYPE_CLIMB;
    case 2: return TOPOUT_TYPE_SESSION;
    case 3: return TOPOUT_TYPE_COMPLETION;
    default: g_assert_not_reached ();
    }
}

static const char *const *
model_props (guint i)
{
  switch (i)
    {
    case 0: return climber_props;
    case 1: return climb_props;
    case 2: return session_props;
    case 3: return completion_props;
    default: g_assert_not_reached ();
    }
}

#define N_MODEL_TYPES 4

/* A valid value of @pspec that is not its default, different for each @seed. */
static void
other_value (GParamSpec *pspec,
             guint       seed,
             GValue     *value)
{
  const GValue *dflt = g_param_spec_get_default_value (pspec);
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  g_value_init (value, type);

  if (type == G_TYPE_STRING)
    {
      g_autofree char *s = g_strdup_printf ("%s value %u, ünïcödé", pspec->name, seed);
      g_value_set_string (value, s);
    }
  else if (type == G_TYPE_BOOLEAN)
    {
      g_value_set_boolean (value, !g_value_get_boolean (dflt));
    }
  else if (type == G_TYPE_INT)
    {
      GParamSpecInt *p = G_PARAM_SPEC_INT (pspec);
      g_value_set_int (value, p->default_value == p->maximum ? p->minimum : p->maximum);
    }
  else if (type == G_TYPE_UINT)
    {
      g_value_set_uint (value, g_value_get_uint (dflt) + 7 + seed);
    }
  else if (type == G_TYPE_INT64)
    {
      g_value_set_int64 (value, g_value_get_int64 (dflt) + G_GINT64_CONSTANT (1795000000000000) + seed);
    }
  else if (G_TYPE_IS_ENUM (type))
    {
      GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
      int d = g_value_get_enum (dflt);
      int v = klass->values[(klass->n_values - 1 + seed) % klass->n_values].value;

      if (v == d)
        v = klass->values[(seed + 1) % klass->n_values].value;
      g_assert_cmpint (v, !=, d);
      g_value_set_enum (value, v);
    }
  else
    {
      g_error ("unexpected type %s of %s", g_type_name (type), pspec->name);
    }

  g_assert_false (g_param_value_defaults (pspec, value));
  g_assert_false (g_param_value_validate (pspec, value));
}

static void
test_properties_names (void)
{
  for (guint t = 0; t < N_MODEL_TYPES; t++)
    {
      g_autoptr (GTypeClass) type_class = g_type_class_ref (model_type (t));
      GObjectClass *klass = G_OBJECT_CLASS (type_class);
      const char *const *names = model_props (t);
      g_autofree GParamSpec **pspecs = NULL;
      guint n_pspecs;

      g_assert_true (G_TYPE_IS_FINAL (model_type (t)));
      g_assert_true (g_type_parent (model_type (t)) == G_TYPE_OBJECT);

      pspecs = g_object_class_list_properties (klass, &n_pspecs);
      g_assert_cmpuint (n_pspecs, ==, g_strv_length ((char **) names));

      for (guint i = 0; names[i] != NULL; i++)
        {
          GParamSpec *pspec = g_object_class_find_property (klass, names[i]);

          g_test_message ("%s:%s", g_type_name (model_type (t)), names[i]);
          g_assert_nonnull (pspec);
          g_assert_cmpint (pspec->flags & (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                           G_PARAM_CONSTRUCT | G_PARAM_CONSTRUCT_ONLY),
                           ==, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);
          g_assert_cmpint (pspec->flags & G_PARAM_STATIC_STRINGS, ==, G_PARAM_STATIC_STRINGS);
          g_assert_true (pspec->owner_type == model_type (t));
        }
    }
}

typedef struct {
  GHashTable *counts;  /* property name → count */
  guint       total;
} NotifyLog;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           NotifyLog  *log)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, pspec->name));

  g_hash_table_insert (log->counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
  log->total++;
}

static guint
notify_count (NotifyLog  *log,
              const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, name));
}

static void
test_properties_notify (void)
{
  for (guint t = 0; t < N_MODEL_TYPES; t++)
    {
      g_autoptr (GTypeClass) type_class = g_type_class_ref (model_type (t));
      GObjectClass *klass = G_OBJECT_CLASS (type_class);
      g_autofree GParamSpec **pspecs = NULL;
      guint n_pspecs;

      pspecs = g_object_class_list_properties (klass, &n_pspecs);
      for (guint i = 0; i < n_pspecs; i++)
        {
          GParamSpec *pspec = pspecs[i];
          g_autoptr (GObject) object = g_object_new (model_type (t), NULL);
          g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
          g_autofree char *detailed = g_strdup_printf ("notify::%s", pspec->name);
          NotifyLog log = { counts, 0 };
          NotifyLog detailed_log = { NULL, 0 };
          g_auto (GValue) value = G_VALUE_INIT;
          g_auto (GValue) again = G_VALUE_INIT;
          g_auto (GValue) back = G_VALUE_INIT;
          g_auto (GValue) read = G_VALUE_INIT;

          g_test_message ("%s:%s", G_OBJECT_TYPE_NAME (object), pspec->name);

          detailed_log.counts = g_hash_table_new (g_str_hash, g_str_equal);
          g_signal_connect (object, "notify", G_CALLBACK (on_notify), &log);
          g_signal_connect (object, detailed, G_CALLBACK (on_notify), &detailed_log);

          /* A change notifies once, that property only. */
          other_value (pspec, i, &value);
          g_object_set_property (object, pspec->name, &value);
          g_assert_cmpuint (notify_count (&log, pspec->name), ==, 1);
          g_assert_cmpuint (log.total, ==, 1);
          g_assert_cmpuint (detailed_log.total, ==, 1);

          g_value_init (&read, pspec->value_type);
          g_object_get_property (object, pspec->name, &read);
          g_assert_cmpint (g_param_values_cmp (pspec, &read, &value), ==, 0);

          /* The same value again (a string in a new buffer): no notification. */
          g_value_init (&again, pspec->value_type);
          g_value_copy (&value, &again);
          g_object_set_property (object, pspec->name, &again);
          g_assert_cmpuint (log.total, ==, 1);
          g_assert_cmpuint (detailed_log.total, ==, 1);

          /* Back to the default: one more. */
          g_value_init (&back, pspec->value_type);
          g_param_value_set_default (pspec, &back);
          g_object_set_property (object, pspec->name, &back);
          g_object_set_property (object, pspec->name, &back);
          g_assert_cmpuint (notify_count (&log, pspec->name), ==, 2);
          g_assert_cmpuint (log.total, ==, 2);
          g_assert_cmpuint (detailed_log.total, ==, 2);

          g_signal_handlers_disconnect_by_data (object, &log);
          g_signal_handlers_disconnect_by_data (object, &detailed_log);
          g_hash_table_unref (detailed_log.counts);
        }
    }
}

static void
test_properties_defaults (void)
{
  for (guint t = 0; t < N_MODEL_TYPES; t++)
    {
      g_autoptr (GObject) object = g_object_new (model_type (t), NULL);
      g_autofree GParamSpec **pspecs = NULL;
      guint n_pspecs;

      pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
      for (guint i = 0; i < n_pspecs; i++)
        {
          g_auto (GValue) value = G_VALUE_INIT;

          g_test_message ("%s:%s", G_OBJECT_TYPE_NAME (object), pspecs[i]->name);
          g_value_init (&value, pspecs[i]->value_type);
          g_object_get_property (object, pspecs[i]->name, &value);
          g_assert_true (g_param_value_defaults (pspecs[i], &value));
        }
    }

  {
    g_autoptr (TopoutSession) session = topout_session_new ();
    g_autoptr (TopoutCompletion) completion = topout_completion_new ();
    g_autoptr (TopoutClimber) climber = topout_climber_new ();

    g_assert_cmpint (topout_session_get_revision (session), ==, 1);
    g_assert_cmpint (topout_session_get_server_revision (session), ==, 0);
    g_assert_cmpint (topout_session_get_at_gym (session), ==, -1);
    g_assert_cmpint (topout_session_get_session_type (session), ==, TOPOUT_SESSION_TYPE_FUN);
    g_assert_cmpint (topout_session_get_status (session), ==, TOPOUT_SESSION_STATUS_ACTIVE);
    g_assert_cmpint (topout_session_get_time_slot (session), ==, TOPOUT_TIME_SLOT_UNSET);
    g_assert_cmpint (topout_session_get_sync_state (session), ==, TOPOUT_SYNC_STATE_LOCAL);
    g_assert_cmpuint (topout_session_get_sync_attempts (session), ==, 0);
    g_assert_cmpint (topout_session_get_started_at (session), ==, 0);
    g_assert_null (topout_session_get_id (session));
    g_assert_null (topout_session_get_server_id (session));
    g_assert_null (topout_session_get_completions (session));
    g_assert_false (topout_session_get_is_demo (session));
    g_assert_false (topout_session_is_synced_ever (session));

    g_assert_cmpuint (topout_completion_get_attempts (completion), ==, 1);
    g_assert_false (topout_completion_get_is_success (completion));
    g_assert_cmpint (topout_completion_get_logged_at (completion), ==, 0);

    g_assert_null (topout_climber_get_member_code (climber));
    g_assert_false (topout_climber_get_archived (climber));
  }
}

static void
assert_same_properties (GObject *a,
                        GObject *b)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  g_assert_true (G_OBJECT_TYPE (a) == G_OBJECT_TYPE (b));
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (a), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto (GValue) va = G_VALUE_INIT;
      g_auto (GValue) vb = G_VALUE_INIT;

      g_test_message ("%s:%s", G_OBJECT_TYPE_NAME (a), pspecs[i]->name);
      g_value_init (&va, pspecs[i]->value_type);
      g_value_init (&vb, pspecs[i]->value_type);
      g_object_get_property (a, pspecs[i]->name, &va);
      g_object_get_property (b, pspecs[i]->name, &vb);
      g_assert_cmpint (g_param_values_cmp (pspecs[i], &va, &vb), ==, 0);
    }
}

static GObject *
copy_object (GObject *object)
{
  if (TOPOUT_IS_CLIMBER (object))
    return G_OBJECT (topout_climber_copy (TOPOUT_CLIMBER (object)));
  if (TOPOUT_IS_CLIMB (object))
    return G_OBJECT (topout_climb_copy (TOPOUT_CLIMB (object)));
  if (TOPOUT_IS_SESSION (object))
    return G_OBJECT (topout_session_copy (TOPOUT_SESSION (object)));
  if (TOPOUT_IS_COMPLETION (object))
    return G_OBJECT (topout_completion_copy (TOPOUT_COMPLETION (object)));
  g_assert_not_reached ();
}

static void
test_properties_copy (void)
{
  for (guint t = 0; t < N_MODEL_TYPES; t++)
    {
      g_autoptr (GObject) object = g_object_new (model_type (t), NULL);
      g_autoptr (GObject) copy = NULL;
      g_autoptr (GObject) empty_copy = NULL;
      g_autofree GParamSpec **pspecs = NULL;
      guint n_pspecs;

      /* A fresh object copies to a fresh object. */
      empty_copy = copy_object (object);
      assert_same_properties (object, empty_copy);

      /* Every property away from its default, each one different. */
      pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
      for (guint i = 0; i < n_pspecs; i++)
        {
          g_auto (GValue) value = G_VALUE_INIT;

          other_value (pspecs[i], i, &value);
          g_object_set_property (object, pspecs[i]->name, &value);
        }

      copy = copy_object (object);
      g_assert_true (copy != object);
      assert_same_properties (object, copy);

      /* The copy owns its strings: changing the original leaves it alone. */
      for (guint i = 0; i < n_pspecs; i++)
        {
          g_auto (GValue) value = G_VALUE_INIT;
          g_auto (GValue) in_copy = G_VALUE_INIT;

          if (pspecs[i]->value_type != G_TYPE_STRING)
            continue;
          g_value_init (&value, G_TYPE_STRING);
          g_value_set_static_string (&value, "changed");
          g_object_set_property (object, pspecs[i]->name, &value);

          g_value_init (&in_copy, G_TYPE_STRING);
          g_object_get_property (copy, pspecs[i]->name, &in_copy);
          g_assert_cmpstr (g_value_get_string (&in_copy), !=, "changed");
          g_assert_true (g_str_has_prefix (g_value_get_string (&in_copy), pspecs[i]->name));
        }

      g_clear_object (&object);
      /* The copy outlives the original. */
      g_assert_true (G_IS_OBJECT (copy));
    }
}

static void
count_notifies (GObject    *object,
                 GParamSpec *pspec,
                 GHashTable *seen)
{
  g_hash_table_insert (seen, (gpointer) pspec->name,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (seen, pspec->name)) + 1));
}

/* A session shown somewhere takes every property of the same session read
 * again; only the properties that differ notify, once each. */
static void
test_session_update_from (void)
{
  g_autoptr (TopoutSession) shown = topout_session_new ();
  g_autoptr (TopoutSession) fresh = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_pspecs = 0;
  g_autofree GParamSpec **pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (shown), &n_pspecs);

  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto (GValue) value = G_VALUE_INIT;

      other_value (pspecs[i], i, &value);
      g_object_set_property (G_OBJECT (shown), pspecs[i]->name, &value);
    }
  fresh = topout_session_copy (shown);
  topout_session_set_climber_name (fresh, "Renamed");
  topout_session_set_n_routes (fresh, topout_session_get_n_routes (shown) + 1);
  topout_session_set_last_error (fresh, NULL);

  g_signal_connect (shown, "notify", G_CALLBACK (count_notifies), seen);
  topout_session_update_from (shown, fresh);
  assert_same_properties (G_OBJECT (shown), G_OBJECT (fresh));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 3);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (seen, "climber-name")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (seen, "n-routes")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (seen, "last-error")), ==, 1);

  /* The same again: nothing to tell. */
  g_hash_table_remove_all (seen);
  topout_session_update_from (shown, fresh);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 0);
  g_signal_handlers_disconnect_by_func (shown, count_notifies, seen);
}

/* Direct accessors ------------------------------------------------------- */

static void
test_climber_accessors (void)
{
  g_autoptr (TopoutClimber) climber = topout_climber_new ();
  g_autofree char *s = NULL;
  gint64 i64;
  gboolean b;

  topout_climber_set_id (climber, "c-1");
  topout_climber_set_member_code (climber, "M-0042");
  topout_climber_set_display_name (climber, "Ada L.");
  topout_climber_set_created_at (climber, 100);
  topout_climber_set_updated_at (climber, 200);
  topout_climber_set_archived (climber, TRUE);
  topout_climber_set_merged_into (climber, "c-2");

  g_assert_cmpstr (topout_climber_get_id (climber), ==, "c-1");
  g_assert_cmpstr (topout_climber_get_member_code (climber), ==, "M-0042");
  g_assert_cmpstr (topout_climber_get_display_name (climber), ==, "Ada L.");
  g_assert_cmpint (topout_climber_get_created_at (climber), ==, 100);
  g_assert_cmpint (topout_climber_get_updated_at (climber), ==, 200);
  g_assert_true (topout_climber_get_archived (climber));
  g_assert_cmpstr (topout_climber_get_merged_into (climber), ==, "c-2");

  g_object_get (climber, "display-name", &s, "updated-at", &i64, "archived", &b, NULL);
  g_assert_cmpstr (s, ==, "Ada L.");
  g_assert_cmpint (i64, ==, 200);
  g_assert_true (b);

  /* Nullable strings. */
  topout_climber_set_member_code (climber, NULL);
  g_assert_null (topout_climber_get_member_code (climber));
}

static void
test_climb_accessors (void)
{
  g_autoptr (TopoutClimb) climb = topout_climb_new ("c-117", "Crimpy corner", "V4",
                                                    TOPOUT_GRADE_SYSTEM_FONT);

  g_assert_cmpstr (topout_climb_get_id (climb), ==, "c-117");
  g_assert_cmpstr (topout_climb_get_name (climb), ==, "Crimpy corner");
  g_assert_cmpstr (topout_climb_get_grade (climb), ==, "V4");
  g_assert_cmpint (topout_climb_get_grade_system (climb), ==, TOPOUT_GRADE_SYSTEM_FONT);
  g_assert_null (topout_climb_get_color (climb));
  g_assert_false (topout_climb_get_retired (climb));

  topout_climb_set_grade_system (climb, TOPOUT_GRADE_SYSTEM_YDS);
  topout_climb_set_color (climb, "red");
  topout_climb_set_wall (climb, "Cave");
  topout_climb_set_set_on (climb, "2026-11-01");
  topout_climb_set_retired (climb, TRUE);
  topout_climb_set_created_at (climb, 1);
  topout_climb_set_updated_at (climb, 2);
  topout_climb_set_id (climb, "c-118");
  topout_climb_set_name (climb, "Slab");
  topout_climb_set_grade (climb, "5.10a");

  g_assert_cmpint (topout_climb_get_grade_system (climb), ==, TOPOUT_GRADE_SYSTEM_YDS);
  g_assert_cmpstr (topout_climb_get_color (climb), ==, "red");
  g_assert_cmpstr (topout_climb_get_wall (climb), ==, "Cave");
  g_assert_cmpstr (topout_climb_get_set_on (climb), ==, "2026-11-01");
  g_assert_true (topout_climb_get_retired (climb));
  g_assert_cmpint (topout_climb_get_created_at (climb), ==, 1);
  g_assert_cmpint (topout_climb_get_updated_at (climb), ==, 2);
  g_assert_cmpstr (topout_climb_get_id (climb), ==, "c-118");
  g_assert_cmpstr (topout_climb_get_name (climb), ==, "Slab");
  g_assert_cmpstr (topout_climb_get_grade (climb), ==, "5.10a");

  /* The constructor takes NULLs too. */
  {
    g_autoptr (TopoutClimb) bare = topout_climb_new (NULL, NULL, NULL, TOPOUT_GRADE_SYSTEM_V_SCALE);
    g_assert_null (topout_climb_get_id (bare));
    g_assert_cmpint (topout_climb_get_grade_system (bare), ==, TOPOUT_GRADE_SYSTEM_V_SCALE);
  }
}

static void
test_session_accessors (void)
{
  g_autoptr (TopoutSession) s = topout_session_new ();
  g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  NotifyLog log = { counts, 0 };

  g_signal_connect (s, "notify", G_CALLBACK (on_notify), &log);

  /* The store's bulk path: plain setters, one after the other. */
  topout_session_set_id (s, "s-1");
  topout_session_set_server_id (s, "srv-912");
  topout_session_set_climber_id (s, "c-1");
  topout_session_set_climber_name (s, "Ada L.");
  topout_session_set_session_type (s, TOPOUT_SESSION_TYPE_POWER);
  topout_session_set_custom_label (s, "Hangboard");
  topout_session_set_name (s, "Power · 2026-11-21");
  topout_session_set_status (s, TOPOUT_SESSION_STATUS_COMPLETED);
  topout_session_set_started_at (s, 10);
  topout_session_set_ended_at (s, 20);
  topout_session_set_session_date (s, "2026-11-21");
  topout_session_set_time_slot (s, TOPOUT_TIME_SLOT_EVENING);
  topout_session_set_is_retroactive (s, TRUE);
  topout_session_set_at_gym (s, 0);
  topout_session_set_is_competition (s, TRUE);
  topout_session_set_competition_type (s, "league");
  topout_session_set_competition_id (s, "2026-r3");
  topout_session_set_notes (s, "good day");
  topout_session_set_created_at (s, 5);
  topout_session_set_updated_at (s, 6);
  topout_session_set_revision (s, 3);
  topout_session_set_is_demo (s, TRUE);
  topout_session_set_sync_state (s, TOPOUT_SYNC_STATE_FAILED);
  topout_session_set_sync_attempts (s, 4);
  topout_session_set_next_attempt_at (s, 30);
  topout_session_set_last_error (s, "timeout");
  topout_session_set_last_error_code (s, "too_long");
  topout_session_set_server_revision (s, 2);
  topout_session_set_n_routes (s, 12);
  topout_session_set_n_sends (s, 9);
  topout_session_set_last_logged_at (s, 19);
  g_assert_cmpuint (log.total, ==, G_N_ELEMENTS (session_props) - 1);

  g_assert_cmpstr (topout_session_get_id (s), ==, "s-1");
  g_assert_cmpstr (topout_session_get_server_id (s), ==, "srv-912");
  g_assert_cmpstr (topout_session_get_climber_id (s), ==, "c-1");
  g_assert_cmpstr (topout_session_get_climber_name (s), ==, "Ada L.");
  g_assert_cmpint (topout_session_get_session_type (s), ==, TOPOUT_SESSION_TYPE_POWER);
  g_assert_cmpstr (topout_session_get_custom_label (s), ==, "Hangboard");
  g_assert_cmpstr (topout_session_get_name (s), ==, "Power · 2026-11-21");
  g_assert_cmpint (topout_session_get_status (s), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_started_at (s), ==, 10);
  g_assert_cmpint (topout_session_get_ended_at (s), ==, 20);
  g_assert_cmpstr (topout_session_get_session_date (s), ==, "2026-11-21");
  g_assert_cmpint (topout_session_get_time_slot (s), ==, TOPOUT_TIME_SLOT_EVENING);
  g_assert_true (topout_session_get_is_retroactive (s));
  g_assert_cmpint (topout_session_get_at_gym (s), ==, 0);
  g_assert_true (topout_session_get_is_competition (s));
  g_assert_cmpstr (topout_session_get_competition_type (s), ==, "league");
  g_assert_cmpstr (topout_session_get_competition_id (s), ==, "2026-r3");
  g_assert_cmpstr (topout_session_get_notes (s), ==, "good day");
  g_assert_cmpint (topout_session_get_created_at (s), ==, 5);
  g_assert_cmpint (topout_session_get_updated_at (s), ==, 6);
  g_assert_cmpint (topout_session_get_revision (s), ==, 3);
  g_assert_true (topout_session_get_is_demo (s));
  g_assert_cmpint (topout_session_get_sync_state (s), ==, TOPOUT_SYNC_STATE_FAILED);
  g_assert_cmpuint (topout_session_get_sync_attempts (s), ==, 4);
  g_assert_cmpint (topout_session_get_next_attempt_at (s), ==, 30);
  g_assert_cmpstr (topout_session_get_last_error (s), ==, "timeout");
  g_assert_cmpstr (topout_session_get_last_error_code (s), ==, "too_long");
  g_assert_cmpint (topout_session_get_server_revision (s), ==, 2);
  g_assert_cmpuint (topout_session_get_n_routes (s), ==, 12);
  g_assert_cmpuint (topout_session_get_n_sends (s), ==, 9);
  g_assert_cmpint (topout_session_get_last_logged_at (s), ==, 19);
  g_assert_true (topout_session_is_synced_ever (s));

  /* A boolean is a boolean: any true value is TRUE, and no change. */
  topout_session_set_is_demo (s, 2);
  g_assert_cmpint (topout_session_get_is_demo (s), ==, TRUE);
  g_assert_cmpuint (notify_count (&log, "is-demo"), ==, 1);

  g_signal_handlers_disconnect_by_data (s, &log);
}

static void
test_completion_accessors (void)
{
  g_autoptr (TopoutCompletion) c = topout_completion_new ();

  topout_completion_set_id (c, "r-1");
  topout_completion_set_session_id (c, "s-1");
  topout_completion_set_climb_id (c, "c-117");
  topout_completion_set_climb_name (c, "Crimpy corner");
  topout_completion_set_climb_color (c, "blue");
  topout_completion_set_grade (c, "V4");
  topout_completion_set_is_success (c, TRUE);
  topout_completion_set_attempts (c, 2);
  topout_completion_set_notes (c, "");
  topout_completion_set_logged_at (c, 77);
  topout_completion_set_is_competition (c, TRUE);
  topout_completion_set_competition_type (c, "league");
  topout_completion_set_competition_id (c, "2026-r3");
  topout_completion_set_updated_at (c, 78);

  g_assert_cmpstr (topout_completion_get_id (c), ==, "r-1");
  g_assert_cmpstr (topout_completion_get_session_id (c), ==, "s-1");
  g_assert_cmpstr (topout_completion_get_climb_id (c), ==, "c-117");
  g_assert_cmpstr (topout_completion_get_climb_name (c), ==, "Crimpy corner");
  g_assert_cmpstr (topout_completion_get_climb_color (c), ==, "blue");
  g_assert_cmpstr (topout_completion_get_grade (c), ==, "V4");
  g_assert_true (topout_completion_get_is_success (c));
  g_assert_cmpuint (topout_completion_get_attempts (c), ==, 2);
  /* "" and NULL are different notes. */
  g_assert_cmpstr (topout_completion_get_notes (c), ==, "");
  g_assert_cmpint (topout_completion_get_logged_at (c), ==, 77);
  g_assert_true (topout_completion_get_is_competition (c));
  g_assert_cmpstr (topout_completion_get_competition_type (c), ==, "league");
  g_assert_cmpstr (topout_completion_get_competition_id (c), ==, "2026-r3");
  g_assert_cmpint (topout_completion_get_updated_at (c), ==, 78);
}

/* Session extras --------------------------------------------------------- */

static void
test_session_type_label (void)
{
  g_autoptr (TopoutSession) s = topout_session_new ();

  g_assert_cmpstr (topout_session_get_type_label (s), ==, "Fun");

  topout_session_set_session_type (s, TOPOUT_SESSION_TYPE_CUSTOM);
  g_assert_cmpstr (topout_session_get_type_label (s), ==, "Custom");

  topout_session_set_custom_label (s, "Hangboard");
  g_assert_cmpstr (topout_session_get_type_label (s), ==, "Hangboard");

  topout_session_set_custom_label (s, "");
  g_assert_cmpstr (topout_session_get_type_label (s), ==, "Custom");

  topout_session_set_custom_label (s, NULL);
  g_assert_cmpstr (topout_session_get_type_label (s), ==, "Custom");

  /* A leftover custom label never shows on another type. */
  topout_session_set_custom_label (s, "Hangboard");
  topout_session_set_session_type (s, TOPOUT_SESSION_TYPE_POWER_ENDURANCE);
  g_assert_cmpstr (topout_session_get_type_label (s), ==, "Power endurance");
}

static void
test_session_synced_ever (void)
{
  g_autoptr (TopoutSession) s = topout_session_new ();

  g_assert_false (topout_session_is_synced_ever (s));
  topout_session_set_sync_state (s, TOPOUT_SYNC_STATE_SYNCED);
  g_assert_false (topout_session_is_synced_ever (s));
  topout_session_set_server_id (s, "srv-1");
  g_assert_true (topout_session_is_synced_ever (s));
  topout_session_set_sync_state (s, TOPOUT_SYNC_STATE_PENDING);
  g_assert_true (topout_session_is_synced_ever (s));
  topout_session_set_server_id (s, NULL);
  g_assert_false (topout_session_is_synced_ever (s));
}

static void
test_session_completions (void)
{
  g_autoptr (TopoutSession) s = topout_session_new ();
  g_autoptr (TopoutSession) copy = NULL;
  g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  NotifyLog log = { counts, 0 };
  GPtrArray *completions = g_ptr_array_new_with_free_func (g_object_unref);
  TopoutCompletion *c = topout_completion_new ();

  g_signal_connect (s, "notify", G_CALLBACK (on_notify), &log);

  topout_completion_set_id (c, "r-1");
  g_ptr_array_add (completions, c);
  g_object_add_weak_pointer (G_OBJECT (c), (gpointer *) &c);

  topout_session_set_completions (s, completions);  /* transfer full */
  g_assert_true (topout_session_get_completions (s) == completions);
  g_assert_cmpuint (completions->len, ==, 1);

  /* Handing over the same array again drops the extra reference. */
  g_ptr_array_ref (completions);
  topout_session_set_completions (s, completions);
  g_assert_true (topout_session_get_completions (s) == completions);

  /* A copy shares the array. */
  copy = topout_session_copy (s);
  g_assert_true (topout_session_get_completions (copy) == completions);

  /* Not a property: no notification. */
  g_assert_cmpuint (log.total, ==, 0);

  topout_session_set_completions (s, NULL);
  g_assert_null (topout_session_get_completions (s));
  g_assert_nonnull (c);
  g_clear_object (&copy);
  /* The last reference is gone with the copy, and so is the completion. */
  g_assert_null (c);

  /* An empty array is not NULL. */
  topout_session_set_completions (s, g_ptr_array_new_with_free_func (g_object_unref));
  g_assert_nonnull (topout_session_get_completions (s));
  g_assert_cmpuint (topout_session_get_completions (s)->len, ==, 0);

  g_signal_handlers_disconnect_by_data (s, &log);
}

static void
test_session_copy_is_detached (void)
{
  g_autoptr (TopoutSession) s = topout_session_new ();
  g_autoptr (TopoutSession) copy = NULL;
  g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  NotifyLog log = { counts, 0 };

  topout_session_set_name (s, "Evening");
  topout_session_set_revision (s, 9);

  g_signal_connect (s, "notify", G_CALLBACK (on_notify), &log);
  copy = topout_session_copy (s);
  /* Copying does not touch the original. */
  g_assert_cmpuint (log.total, ==, 0);

  topout_session_set_name (copy, "Morning");
  topout_session_set_revision (copy, 10);
  g_assert_cmpstr (topout_session_get_name (s), ==, "Evening");
  g_assert_cmpint (topout_session_get_revision (s), ==, 9);
  g_assert_cmpuint (log.total, ==, 0);

  g_signal_handlers_disconnect_by_data (s, &log);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/enums/keys-round-trip", test_enum_keys_round_trip);
  g_test_add_func ("/model/enums/keys-contract", test_enum_keys_contract);
  g_test_add_func ("/model/enums/keys-unknown", test_enum_keys_unknown);
  g_test_add_func ("/model/enums/labels", test_enum_labels);
  g_test_add_func ("/model/time-slot/hours", test_time_slot_hours);
  g_test_add_func ("/model/time-slot/for-hour", test_time_slot_for_hour);
  g_test_add_func ("/model/time-slot/for-time", test_time_slot_for_time);
  g_test_add_func ("/model/properties/names", test_properties_names);
  g_test_add_func ("/model/properties/notify", test_properties_notify);
  g_test_add_func ("/model/properties/defaults", test_properties_defaults);
  g_test_add_func ("/model/properties/copy", test_properties_copy);
  g_test_add_func ("/model/climber/accessors", test_climber_accessors);
  g_test_add_func ("/model/climb/accessors", test_climb_accessors);
  g_test_add_func ("/model/session/accessors", test_session_accessors);
  g_test_add_func ("/model/completion/accessors", test_completion_accessors);
  g_test_add_func ("/model/session/type-label", test_session_type_label);
  g_test_add_func ("/model/session/synced-ever", test_session_synced_ever);
  g_test_add_func ("/model/session/completions", test_session_completions);
  g_test_add_func ("/model/session/copy-is-detached", test_session_copy_is_detached);
  g_test_add_func ("/model/session/update-from", test_session_update_from);

  return g_test_run ();
}
