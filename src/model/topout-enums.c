#define G_LOG_DOMAIN "topout-enums"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "topout-enums.h"
#include "topout-enum-types.h"

/* Keys ------------------------------------------------------------------- */

/* The class of @type, referenced once and kept for the life of the process. */
static GEnumClass *
enum_class (GType         type,
            GEnumClass  **cache)
{
  GEnumClass *klass = g_atomic_pointer_get (cache);

  if (G_UNLIKELY (klass == NULL))
    {
      klass = g_type_class_ref (type);
      /* Another thread may have won: the class is a singleton either way, so
       * its extra reference is simply never dropped. */
      g_atomic_pointer_set (cache, klass);
    }

  return klass;
}

static const char *
enum_to_key (GType        type,
             GEnumClass **cache,
             int          value)
{
  GEnumValue *ev = g_enum_get_value (enum_class (type, cache), value);

  return ev != NULL ? ev->value_nick : NULL;
}

static gboolean
enum_from_key (GType        type,
               GEnumClass **cache,
               const char  *key,
               int         *value)
{
  GEnumValue *ev;

  if (key == NULL)
    return FALSE;

  ev = g_enum_get_value_by_nick (enum_class (type, cache), key);
  if (ev == NULL)
    return FALSE;

  *value = ev->value;
  return TRUE;
}

static GEnumClass *session_type_class;
static GEnumClass *session_status_class;
static GEnumClass *time_slot_class;
static GEnumClass *sync_state_class;
static GEnumClass *grade_system_class;

const char *
topout_session_type_to_key (TopoutSessionType type)
{
  return enum_to_key (TOPOUT_TYPE_SESSION_TYPE, &session_type_class, type);
}

gboolean
topout_session_type_from_key (const char        *key,
                              TopoutSessionType *out)
{
  int value;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!enum_from_key (TOPOUT_TYPE_SESSION_TYPE, &session_type_class, key, &value))
    return FALSE;

  *out = value;
  return TRUE;
}

const char *
topout_session_status_to_key (TopoutSessionStatus status)
{
  return enum_to_key (TOPOUT_TYPE_SESSION_STATUS, &session_status_class, status);
}

gboolean
topout_session_status_from_key (const char          *key,
                                TopoutSessionStatus *out)
{
  int value;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!enum_from_key (TOPOUT_TYPE_SESSION_STATUS, &session_status_class, key, &value))
    return FALSE;

  *out = value;
  return TRUE;
}

/* UNSET is no key at all: SQL NULL, JSON null. The nick "UNSET" only names
 * the GEnum value and is never accepted as a key. */
const char *
topout_time_slot_to_key (TopoutTimeSlot slot)
{
  if (slot == TOPOUT_TIME_SLOT_UNSET)
    return NULL;

  return enum_to_key (TOPOUT_TYPE_TIME_SLOT, &time_slot_class, slot);
}

gboolean
topout_time_slot_from_key (const char     *key,
                           TopoutTimeSlot *out)
{
  int value;

  g_return_val_if_fail (out != NULL, FALSE);

  if (key == NULL)
    {
      *out = TOPOUT_TIME_SLOT_UNSET;
      return TRUE;
    }

  if (!enum_from_key (TOPOUT_TYPE_TIME_SLOT, &time_slot_class, key, &value) ||
      value == TOPOUT_TIME_SLOT_UNSET)
    return FALSE;

  *out = value;
  return TRUE;
}

const char *
topout_sync_state_to_key (TopoutSyncState state)
{
  return enum_to_key (TOPOUT_TYPE_SYNC_STATE, &sync_state_class, state);
}

gboolean
topout_sync_state_from_key (const char      *key,
                            TopoutSyncState *out)
{
  int value;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!enum_from_key (TOPOUT_TYPE_SYNC_STATE, &sync_state_class, key, &value))
    return FALSE;

  *out = value;
  return TRUE;
}

const char *
topout_grade_system_to_key (TopoutGradeSystem system)
{
  return enum_to_key (TOPOUT_TYPE_GRADE_SYSTEM, &grade_system_class, system);
}

gboolean
topout_grade_system_from_key (const char        *key,
                              TopoutGradeSystem *out)
{
  int value;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!enum_from_key (TOPOUT_TYPE_GRADE_SYSTEM, &grade_system_class, key, &value))
    return FALSE;

  *out = value;
  return TRUE;
}

/* Labels ----------------------------------------------------------------- */

const char *
topout_session_type_get_label (TopoutSessionType type)
{
  switch (type)
    {
    case TOPOUT_SESSION_TYPE_FUN:
      return C_("session type", "Fun");
    case TOPOUT_SESSION_TYPE_CUSTOM:
      return C_("session type", "Custom");
    case TOPOUT_SESSION_TYPE_POWER:
      return C_("session type", "Power");
    case TOPOUT_SESSION_TYPE_POWER_ENDURANCE:
      return C_("session type", "Power endurance");
    case TOPOUT_SESSION_TYPE_TENSION_BOARD:
      return C_("session type", "Tension board");
    case TOPOUT_SESSION_TYPE_COMPETITION:
      return C_("session type", "Competition");
    case TOPOUT_SESSION_TYPE_ENDURANCE:
      return C_("session type", "Endurance");
    case TOPOUT_SESSION_TYPE_WORKOUT:
      return C_("session type", "Workout");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
topout_session_status_get_label (TopoutSessionStatus status)
{
  switch (status)
    {
    case TOPOUT_SESSION_STATUS_ACTIVE:
      return C_("session status", "Active");
    case TOPOUT_SESSION_STATUS_COMPLETED:
      return C_("session status", "Completed");
    case TOPOUT_SESSION_STATUS_CANCELLED:
      return C_("session status", "Cancelled");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
topout_time_slot_get_label (TopoutTimeSlot slot)
{
  switch (slot)
    {
    case TOPOUT_TIME_SLOT_UNSET:
      return C_("time slot", "No time slot");
    case TOPOUT_TIME_SLOT_EARLY_MORNING:
      return C_("time slot", "Early morning");
    case TOPOUT_TIME_SLOT_MORNING:
      return C_("time slot", "Morning");
    case TOPOUT_TIME_SLOT_MIDDAY:
      return C_("time slot", "Midday");
    case TOPOUT_TIME_SLOT_AFTERNOON:
      return C_("time slot", "Afternoon");
    case TOPOUT_TIME_SLOT_EVENING:
      return C_("time slot", "Evening");
    case TOPOUT_TIME_SLOT_NIGHT:
      return C_("time slot", "Night");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
topout_sync_state_get_label (TopoutSyncState state)
{
  switch (state)
    {
    case TOPOUT_SYNC_STATE_LOCAL:
      return C_("sync state", "On this device only");
    case TOPOUT_SYNC_STATE_PENDING:
      return C_("sync state", "Pending sync");
    case TOPOUT_SYNC_STATE_SYNCING:
      return C_("sync state", "Syncing");
    case TOPOUT_SYNC_STATE_SYNCED:
      return C_("sync state", "Synced");
    case TOPOUT_SYNC_STATE_FAILED:
      return C_("sync state", "Sync failed");
    case TOPOUT_SYNC_STATE_REJECTED:
      return C_("sync state", "Rejected");
    case TOPOUT_SYNC_STATE_CONFLICT:
      return C_("sync state", "Conflict");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
topout_grade_system_get_label (TopoutGradeSystem system)
{
  switch (system)
    {
    case TOPOUT_GRADE_SYSTEM_V_SCALE:
      return C_("grade system", "V-scale");
    case TOPOUT_GRADE_SYSTEM_FONT:
      return C_("grade system", "Font");
    case TOPOUT_GRADE_SYSTEM_YDS:
      return C_("grade system", "YDS");
    default:
      g_return_val_if_reached ("");
    }
}

/* Time slots (SPEC section 2) ---------------------------------------------- */

static const struct {
  TopoutTimeSlot slot;
  int            start_hour;
  int            end_hour;   /* exclusive; NIGHT wraps past midnight */
} slot_hours[] = {
  { TOPOUT_TIME_SLOT_EARLY_MORNING,  5,  8 },
  { TOPOUT_TIME_SLOT_MORNING,        8, 11 },
  { TOPOUT_TIME_SLOT_MIDDAY,        11, 14 },
  { TOPOUT_TIME_SLOT_AFTERNOON,     14, 17 },
  { TOPOUT_TIME_SLOT_EVENING,       17, 20 },
  { TOPOUT_TIME_SLOT_NIGHT,         20,  5 },
};

gboolean
topout_time_slot_get_hours (TopoutTimeSlot  slot,
                            int            *start_hour,
                            int            *end_hour)
{
  for (guint i = 0; i < G_N_ELEMENTS (slot_hours); i++)
    {
      if (slot_hours[i].slot != slot)
        continue;

      if (start_hour != NULL)
        *start_hour = slot_hours[i].start_hour;
      if (end_hour != NULL)
        *end_hour = slot_hours[i].end_hour;
      return TRUE;
    }

  return FALSE;
}

TopoutTimeSlot
topout_time_slot_for_hour (int hour)
{
  if (hour < 0 || hour > 23)
    return TOPOUT_TIME_SLOT_UNSET;

  for (guint i = 0; i < G_N_ELEMENTS (slot_hours); i++)
    {
      int start = slot_hours[i].start_hour;
      int end = slot_hours[i].end_hour;

      if (start < end ? (hour >= start && hour < end)
                      : (hour >= start || hour < end))
        return slot_hours[i].slot;
    }

  g_return_val_if_reached (TOPOUT_TIME_SLOT_UNSET);
}

TopoutTimeSlot
topout_time_slot_for_time (GDateTime *time)
{
  g_return_val_if_fail (time != NULL, TOPOUT_TIME_SLOT_UNSET);

  return topout_time_slot_for_hour (g_date_time_get_hour (time));
}
