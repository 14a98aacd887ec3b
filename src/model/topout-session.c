#define G_LOG_DOMAIN "topout-session"

#include "config.h"

#include "topout-session.h"
#include "topout-completion.h"
#include "topout-enum-types.h"

struct _TopoutSession
{
  GObject parent_instance;

  char               *id;
  char               *server_id;
  char               *climber_id;
  char               *climber_name;
  TopoutSessionType   session_type;
  char               *custom_label;
  char               *name;
  TopoutSessionStatus status;
  gint64              started_at;
  gint64              ended_at;
  char               *session_date;
  TopoutTimeSlot      time_slot;
  gboolean            is_retroactive;
  int                 at_gym;
  gboolean            is_competition;
  char               *competition_type;
  char               *competition_id;
  char               *notes;
  gint64              created_at;
  gint64              updated_at;
  gint64              revision;
  gboolean            is_demo;
  TopoutSyncState     sync_state;
  guint               sync_attempts;
  gint64              next_attempt_at;
  char               *last_error;
  char               *last_error_code;
  gint64              server_revision;
  guint               n_routes;
  guint               n_sends;
  gint64              last_logged_at;

  GPtrArray          *completions;  /* of TopoutCompletion*, nullable */
};

G_DEFINE_FINAL_TYPE (TopoutSession, topout_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SERVER_ID,
  PROP_CLIMBER_ID,
  PROP_CLIMBER_NAME,
  PROP_SESSION_TYPE,
  PROP_CUSTOM_LABEL,
  PROP_NAME,
  PROP_STATUS,
  PROP_STARTED_AT,
  PROP_ENDED_AT,
  PROP_SESSION_DATE,
  PROP_TIME_SLOT,
  PROP_IS_RETROACTIVE,
  PROP_AT_GYM,
  PROP_IS_COMPETITION,
  PROP_COMPETITION_TYPE,
  PROP_COMPETITION_ID,
  PROP_NOTES,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_REVISION,
  PROP_IS_DEMO,
  PROP_SYNC_STATE,
  PROP_SYNC_ATTEMPTS,
  PROP_NEXT_ATTEMPT_AT,
  PROP_LAST_ERROR,
  PROP_LAST_ERROR_CODE,
  PROP_SERVER_REVISION,
  PROP_N_ROUTES,
  PROP_N_SENDS,
  PROP_LAST_LOGGED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
topout_session_finalize (GObject *object)
{
  TopoutSession *self = TOPOUT_SESSION (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->server_id, g_free);
  g_clear_pointer (&self->climber_id, g_free);
  g_clear_pointer (&self->climber_name, g_free);
  g_clear_pointer (&self->custom_label, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->session_date, g_free);
  g_clear_pointer (&self->competition_type, g_free);
  g_clear_pointer (&self->competition_id, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->last_error_code, g_free);
  g_clear_pointer (&self->completions, g_ptr_array_unref);

  G_OBJECT_CLASS (topout_session_parent_class)->finalize (object);
}

static void
topout_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TopoutSession *self = TOPOUT_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_SERVER_ID:
      g_value_set_string (value, self->server_id);
      break;

    case PROP_CLIMBER_ID:
      g_value_set_string (value, self->climber_id);
      break;

    case PROP_CLIMBER_NAME:
      g_value_set_string (value, self->climber_name);
      break;

    case PROP_SESSION_TYPE:
      g_value_set_enum (value, self->session_type);
      break;

    case PROP_CUSTOM_LABEL:
      g_value_set_string (value, self->custom_label);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_STARTED_AT:
      g_value_set_int64 (value, self->started_at);
      break;

    case PROP_ENDED_AT:
      g_value_set_int64 (value, self->ended_at);
      break;

    case PROP_SESSION_DATE:
      g_value_set_string (value, self->session_date);
      break;

    case PROP_TIME_SLOT:
      g_value_set_enum (value, self->time_slot);
      break;

    case PROP_IS_RETROACTIVE:
      g_value_set_boolean (value, self->is_retroactive);
      break;

    case PROP_AT_GYM:
      g_value_set_int (value, self->at_gym);
      break;

    case PROP_IS_COMPETITION:
      g_value_set_boolean (value, self->is_competition);
      break;

    case PROP_COMPETITION_TYPE:
      g_value_set_string (value, self->competition_type);
      break;

    case PROP_COMPETITION_ID:
      g_value_set_string (value, self->competition_id);
      break;

    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;

    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;

    case PROP_REVISION:
      g_value_set_int64 (value, self->revision);
      break;

    case PROP_IS_DEMO:
      g_value_set_boolean (value, self->is_demo);
      break;

    case PROP_SYNC_STATE:
      g_value_set_enum (value, self->sync_state);
      break;

    case PROP_SYNC_ATTEMPTS:
      g_value_set_uint (value, self->sync_attempts);
      break;

    case PROP_NEXT_ATTEMPT_AT:
      g_value_set_int64 (value, self->next_attempt_at);
      break;

    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;

    case PROP_LAST_ERROR_CODE:
      g_value_set_string (value, self->last_error_code);
      break;

    case PROP_SERVER_REVISION:
      g_value_set_int64 (value, self->server_revision);
      break;

    case PROP_N_ROUTES:
      g_value_set_uint (value, self->n_routes);
      break;

    case PROP_N_SENDS:
      g_value_set_uint (value, self->n_sends);
      break;

    case PROP_LAST_LOGGED_AT:
      g_value_set_int64 (value, self->last_logged_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_session_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TopoutSession *self = TOPOUT_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      topout_session_set_id (self, g_value_get_string (value));
      break;

    case PROP_SERVER_ID:
      topout_session_set_server_id (self, g_value_get_string (value));
      break;

    case PROP_CLIMBER_ID:
      topout_session_set_climber_id (self, g_value_get_string (value));
      break;

    case PROP_CLIMBER_NAME:
      topout_session_set_climber_name (self, g_value_get_string (value));
      break;

    case PROP_SESSION_TYPE:
      topout_session_set_session_type (self, g_value_get_enum (value));
      break;

    case PROP_CUSTOM_LABEL:
      topout_session_set_custom_label (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      topout_session_set_name (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      topout_session_set_status (self, g_value_get_enum (value));
      break;

    case PROP_STARTED_AT:
      topout_session_set_started_at (self, g_value_get_int64 (value));
      break;

    case PROP_ENDED_AT:
      topout_session_set_ended_at (self, g_value_get_int64 (value));
      break;

    case PROP_SESSION_DATE:
      topout_session_set_session_date (self, g_value_get_string (value));
      break;

    case PROP_TIME_SLOT:
      topout_session_set_time_slot (self, g_value_get_enum (value));
      break;

    case PROP_IS_RETROACTIVE:
      topout_session_set_is_retroactive (self, g_value_get_boolean (value));
      break;

    case PROP_AT_GYM:
      topout_session_set_at_gym (self, g_value_get_int (value));
      break;

    case PROP_IS_COMPETITION:
      topout_session_set_is_competition (self, g_value_get_boolean (value));
      break;

    case PROP_COMPETITION_TYPE:
      topout_session_set_competition_type (self, g_value_get_string (value));
      break;

    case PROP_COMPETITION_ID:
      topout_session_set_competition_id (self, g_value_get_string (value));
      break;

    case PROP_NOTES:
      topout_session_set_notes (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      topout_session_set_created_at (self, g_value_get_int64 (value));
      break;

    case PROP_UPDATED_AT:
      topout_session_set_updated_at (self, g_value_get_int64 (value));
      break;

    case PROP_REVISION:
      topout_session_set_revision (self, g_value_get_int64 (value));
      break;

    case PROP_IS_DEMO:
      topout_session_set_is_demo (self, g_value_get_boolean (value));
      break;

    case PROP_SYNC_STATE:
      topout_session_set_sync_state (self, g_value_get_enum (value));
      break;

    case PROP_SYNC_ATTEMPTS:
      topout_session_set_sync_attempts (self, g_value_get_uint (value));
      break;

    case PROP_NEXT_ATTEMPT_AT:
      topout_session_set_next_attempt_at (self, g_value_get_int64 (value));
      break;

    case PROP_LAST_ERROR:
      topout_session_set_last_error (self, g_value_get_string (value));
      break;

    case PROP_LAST_ERROR_CODE:
      topout_session_set_last_error_code (self, g_value_get_string (value));
      break;

    case PROP_SERVER_REVISION:
      topout_session_set_server_revision (self, g_value_get_int64 (value));
      break;

    case PROP_N_ROUTES:
      topout_session_set_n_routes (self, g_value_get_uint (value));
      break;

    case PROP_N_SENDS:
      topout_session_set_n_sends (self, g_value_get_uint (value));
      break;

    case PROP_LAST_LOGGED_AT:
      topout_session_set_last_logged_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_session_class_init (TopoutSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = topout_session_finalize;
  object_class->get_property = topout_session_get_property;
  object_class->set_property = topout_session_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, "Identifier",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SERVER_ID] =
    g_param_spec_string ("server-id", NULL, "Id given by the sync server",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CLIMBER_ID] =
    g_param_spec_string ("climber-id", NULL, "Id of the climber",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CLIMBER_NAME] =
    g_param_spec_string ("climber-name", NULL, "Display name of the climber",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SESSION_TYPE] =
    g_param_spec_enum ("session-type", NULL, "Type of session",
                       TOPOUT_TYPE_SESSION_TYPE, TOPOUT_SESSION_TYPE_FUN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CUSTOM_LABEL] =
    g_param_spec_string ("custom-label", NULL, "Label of a CUSTOM session",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, "Name",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, "Active, completed or cancelled",
                       TOPOUT_TYPE_SESSION_STATUS, TOPOUT_SESSION_STATUS_ACTIVE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_STARTED_AT] =
    g_param_spec_int64 ("started-at", NULL, "Start, µs since the epoch (UTC)",
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ENDED_AT] =
    g_param_spec_int64 ("ended-at", NULL, "End, µs since the epoch (UTC)",
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SESSION_DATE] =
    g_param_spec_string ("session-date", NULL, "Local date the session is attributed to, YYYY-MM-DD",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TIME_SLOT] =
    g_param_spec_enum ("time-slot", NULL, "Time of day",
                       TOPOUT_TYPE_TIME_SLOT, TOPOUT_TIME_SLOT_UNSET,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_IS_RETROACTIVE] =
    g_param_spec_boolean ("is-retroactive", NULL, "Entered after the fact",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_AT_GYM] =
    g_param_spec_int ("at-gym", NULL, "At the gym: -1 unknown, 0 no, 1 yes",
                      -1, 1, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_IS_COMPETITION] =
    g_param_spec_boolean ("is-competition", NULL, "Part of a competition",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_COMPETITION_TYPE] =
    g_param_spec_string ("competition-type", NULL, "Competition type (first half of the pair)",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_COMPETITION_ID] =
    g_param_spec_string ("competition-id", NULL, "Competition id (second half of the pair)",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, "Notes",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, "Creation time, µs since the epoch (UTC)",
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, "Last change, µs since the epoch (UTC)",
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_REVISION] =
    g_param_spec_int64 ("revision", NULL, "Revision, +1 on every edit",
                        0, G_MAXINT64, 1,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_IS_DEMO] =
    g_param_spec_boolean ("is-demo", NULL, "Demo data, never synced",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SYNC_STATE] =
    g_param_spec_enum ("sync-state", NULL, "Local sync state",
                       TOPOUT_TYPE_SYNC_STATE, TOPOUT_SYNC_STATE_LOCAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SYNC_ATTEMPTS] =
    g_param_spec_uint ("sync-attempts", NULL, "Failed sync attempts so far",
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_NEXT_ATTEMPT_AT] =
    g_param_spec_int64 ("next-attempt-at", NULL, "Next sync attempt, µs since the epoch (UTC)",
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, "Last sync error",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LAST_ERROR_CODE] =
    g_param_spec_string ("last-error-code", NULL, "The contract's error code of the last refusal (\"too_long\")",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SERVER_REVISION] =
    g_param_spec_int64 ("server-revision", NULL, "Revision the server holds (0 = unknown)",
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_N_ROUTES] =
    g_param_spec_uint ("n-routes", NULL, "Number of completions",
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_N_SENDS] =
    g_param_spec_uint ("n-sends", NULL, "Number of successful completions",
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LAST_LOGGED_AT] =
    g_param_spec_int64 ("last-logged-at", NULL, "Time of the last completion, µs since the epoch (UTC)",
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
topout_session_init (TopoutSession *self)
{
  self->session_type = TOPOUT_SESSION_TYPE_FUN;
  self->status = TOPOUT_SESSION_STATUS_ACTIVE;
  self->time_slot = TOPOUT_TIME_SLOT_UNSET;
  self->at_gym = -1;
  self->revision = 1;
  self->sync_state = TOPOUT_SYNC_STATE_LOCAL;
}

TopoutSession *
topout_session_new (void)
{
  return g_object_new (TOPOUT_TYPE_SESSION, NULL);
}

/* A new object with every property of @self and the same completions
 * array (referenced). Fields are copied directly: nobody can be connected
 * to the new object yet, so there is nothing to notify. */
TopoutSession *
topout_session_copy (TopoutSession *self)
{
  TopoutSession *copy;

  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  copy = g_object_new (TOPOUT_TYPE_SESSION, NULL);
  copy->id = g_strdup (self->id);
  copy->server_id = g_strdup (self->server_id);
  copy->climber_id = g_strdup (self->climber_id);
  copy->climber_name = g_strdup (self->climber_name);
  copy->session_type = self->session_type;
  copy->custom_label = g_strdup (self->custom_label);
  copy->name = g_strdup (self->name);
  copy->status = self->status;
  copy->started_at = self->started_at;
  copy->ended_at = self->ended_at;
  copy->session_date = g_strdup (self->session_date);
  copy->time_slot = self->time_slot;
  copy->is_retroactive = self->is_retroactive;
  copy->at_gym = self->at_gym;
  copy->is_competition = self->is_competition;
  copy->competition_type = g_strdup (self->competition_type);
  copy->competition_id = g_strdup (self->competition_id);
  copy->notes = g_strdup (self->notes);
  copy->created_at = self->created_at;
  copy->updated_at = self->updated_at;
  copy->revision = self->revision;
  copy->is_demo = self->is_demo;
  copy->sync_state = self->sync_state;
  copy->sync_attempts = self->sync_attempts;
  copy->next_attempt_at = self->next_attempt_at;
  copy->last_error = g_strdup (self->last_error);
  copy->last_error_code = g_strdup (self->last_error_code);
  copy->server_revision = self->server_revision;
  copy->n_routes = self->n_routes;
  copy->n_sends = self->n_sends;
  copy->last_logged_at = self->last_logged_at;
  if (self->completions != NULL)
    copy->completions = g_ptr_array_ref (self->completions);

  return copy;
}

/**
 * topout_session_update_from:
 * @self: a session someone shows
 * @other: the same session read again
 *
 * Gives @self every property of @other, notifying only those that differ
 * (once each, after all are set), so that a row showing @self updates in
 * place. The completions stay as they are.
 */
void
topout_session_update_from (TopoutSession *self,
                            TopoutSession *other)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));
  g_return_if_fail (TOPOUT_IS_SESSION (other));

  if (self == other)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  /* The setters notify only a value that changes. */
  for (guint i = 1; i < N_PROPS; i++)
    {
      g_auto (GValue) value = G_VALUE_INIT;

      g_value_init (&value, properties[i]->value_type);
      g_object_get_property (G_OBJECT (other), properties[i]->name, &value);
      g_object_set_property (G_OBJECT (self), properties[i]->name, &value);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
topout_session_get_id (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  return self->id;
}

void
topout_session_set_id (TopoutSession *self,
                       const char    *id)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (g_strcmp0 (self->id, id) == 0)
    return;

  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
topout_session_get_server_id (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  return self->server_id;
}

void
topout_session_set_server_id (TopoutSession *self,
                              const char    *server_id)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (g_strcmp0 (self->server_id, server_id) == 0)
    return;

  g_free (self->server_id);
  self->server_id = g_strdup (server_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_ID]);
}

const char *
topout_session_get_climber_id (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  return self->climber_id;
}

void
topout_session_set_climber_id (TopoutSession *self,
                               const char    *climber_id)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (g_strcmp0 (self->climber_id, climber_id) == 0)
    return;

  g_free (self->climber_id);
  self->climber_id = g_strdup (climber_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIMBER_ID]);
}

const char *
topout_session_get_climber_name (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  return self->climber_name;
}

void
topout_session_set_climber_name (TopoutSession *self,
                                 const char    *climber_name)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (g_strcmp0 (self->climber_name, climber_name) == 0)
    return;

  g_free (self->climber_name);
  self->climber_name = g_strdup (climber_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIMBER_NAME]);
}

TopoutSessionType
topout_session_get_session_type (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), TOPOUT_SESSION_TYPE_FUN);

  return self->session_type;
}

void
topout_session_set_session_type (TopoutSession     *self,
                                 TopoutSessionType  session_type)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));
  g_return_if_fail ((guint) session_type <= TOPOUT_SESSION_TYPE_WORKOUT);

  if (self->session_type == session_type)
    return;

  self->session_type = session_type;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_TYPE]);
}

const char *
topout_session_get_custom_label (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  return self->custom_label;
}

void
topout_session_set_custom_label (TopoutSession *self,
                                 const char    *custom_label)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (g_strcmp0 (self->custom_label, custom_label) == 0)
    return;

  g_free (self->custom_label);
  self->custom_label = g_strdup (custom_label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOM_LABEL]);
}

const char *
topout_session_get_name (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  return self->name;
}

void
topout_session_set_name (TopoutSession *self,
                         const char    *name)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

TopoutSessionStatus
topout_session_get_status (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), TOPOUT_SESSION_STATUS_ACTIVE);

  return self->status;
}

void
topout_session_set_status (TopoutSession       *self,
                           TopoutSessionStatus  status)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));
  g_return_if_fail ((guint) status <= TOPOUT_SESSION_STATUS_CANCELLED);

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

gint64
topout_session_get_started_at (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), 0);

  return self->started_at;
}

void
topout_session_set_started_at (TopoutSession *self,
                               gint64         started_at)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (self->started_at == started_at)
    return;

  self->started_at = started_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED_AT]);
}

gint64
topout_session_get_ended_at (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), 0);

  return self->ended_at;
}

void
topout_session_set_ended_at (TopoutSession *self,
                             gint64         ended_at)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (self->ended_at == ended_at)
    return;

  self->ended_at = ended_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDED_AT]);
}

const char *
topout_session_get_session_date (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  return self->session_date;
}

void
topout_session_set_session_date (TopoutSession *self,
                                 const char    *session_date)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (g_strcmp0 (self->session_date, session_date) == 0)
    return;

  g_free (self->session_date);
  self->session_date = g_strdup (session_date);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_DATE]);
}

TopoutTimeSlot
topout_session_get_time_slot (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), TOPOUT_TIME_SLOT_UNSET);

  return self->time_slot;
}

void
topout_session_set_time_slot (TopoutSession  *self,
                              TopoutTimeSlot  time_slot)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));
  g_return_if_fail ((guint) time_slot <= TOPOUT_TIME_SLOT_NIGHT);

  if (self->time_slot == time_slot)
    return;

  self->time_slot = time_slot;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_SLOT]);
}

gboolean
topout_session_get_is_retroactive (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), FALSE);

  return self->is_retroactive;
}

void
topout_session_set_is_retroactive (TopoutSession *self,
                                   gboolean       is_retroactive)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  is_retroactive = !!is_retroactive;

  if (self->is_retroactive == is_retroactive)
    return;

  self->is_retroactive = is_retroactive;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_RETROACTIVE]);
}

int
topout_session_get_at_gym (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), -1);

  return self->at_gym;
}

void
topout_session_set_at_gym (TopoutSession *self,
                           int            at_gym)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));
  g_return_if_fail (at_gym >= -1 && at_gym <= 1);

  if (self->at_gym == at_gym)
    return;

  self->at_gym = at_gym;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AT_GYM]);
}

gboolean
topout_session_get_is_competition (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), FALSE);

  return self->is_competition;
}

void
topout_session_set_is_competition (TopoutSession *self,
                                   gboolean       is_competition)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  is_competition = !!is_competition;

  if (self->is_competition == is_competition)
    return;

  self->is_competition = is_competition;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_COMPETITION]);
}

const char *
topout_session_get_competition_type (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  return self->competition_type;
}

void
topout_session_set_competition_type (TopoutSession *self,
                                     const char    *competition_type)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (g_strcmp0 (self->competition_type, competition_type) == 0)
    return;

  g_free (self->competition_type);
  self->competition_type = g_strdup (competition_type);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPETITION_TYPE]);
}

const char *
topout_session_get_competition_id (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  return self->competition_id;
}

void
topout_session_set_competition_id (TopoutSession *self,
                                   const char    *competition_id)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (g_strcmp0 (self->competition_id, competition_id) == 0)
    return;

  g_free (self->competition_id);
  self->competition_id = g_strdup (competition_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPETITION_ID]);
}

const char *
topout_session_get_notes (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  return self->notes;
}

void
topout_session_set_notes (TopoutSession *self,
                          const char    *notes)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (g_strcmp0 (self->notes, notes) == 0)
    return;

  g_free (self->notes);
  self->notes = g_strdup (notes);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES]);
}

gint64
topout_session_get_created_at (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), 0);

  return self->created_at;
}

void
topout_session_set_created_at (TopoutSession *self,
                               gint64         created_at)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (self->created_at == created_at)
    return;

  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

gint64
topout_session_get_updated_at (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), 0);

  return self->updated_at;
}

void
topout_session_set_updated_at (TopoutSession *self,
                               gint64         updated_at)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (self->updated_at == updated_at)
    return;

  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

gint64
topout_session_get_revision (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), 0);

  return self->revision;
}

void
topout_session_set_revision (TopoutSession *self,
                             gint64         revision)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (self->revision == revision)
    return;

  self->revision = revision;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
}

gboolean
topout_session_get_is_demo (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), FALSE);

  return self->is_demo;
}

void
topout_session_set_is_demo (TopoutSession *self,
                            gboolean       is_demo)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  is_demo = !!is_demo;

  if (self->is_demo == is_demo)
    return;

  self->is_demo = is_demo;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DEMO]);
}

TopoutSyncState
topout_session_get_sync_state (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), TOPOUT_SYNC_STATE_LOCAL);

  return self->sync_state;
}

void
topout_session_set_sync_state (TopoutSession   *self,
                               TopoutSyncState  sync_state)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));
  g_return_if_fail ((guint) sync_state <= TOPOUT_SYNC_STATE_CONFLICT);

  if (self->sync_state == sync_state)
    return;

  self->sync_state = sync_state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_STATE]);
}

guint
topout_session_get_sync_attempts (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), 0);

  return self->sync_attempts;
}

void
topout_session_set_sync_attempts (TopoutSession *self,
                                  guint          sync_attempts)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (self->sync_attempts == sync_attempts)
    return;

  self->sync_attempts = sync_attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_ATTEMPTS]);
}

gint64
topout_session_get_next_attempt_at (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), 0);

  return self->next_attempt_at;
}

void
topout_session_set_next_attempt_at (TopoutSession *self,
                                    gint64         next_attempt_at)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (self->next_attempt_at == next_attempt_at)
    return;

  self->next_attempt_at = next_attempt_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_ATTEMPT_AT]);
}

const char *
topout_session_get_last_error (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  return self->last_error;
}

void
topout_session_set_last_error (TopoutSession *self,
                               const char    *last_error)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (g_strcmp0 (self->last_error, last_error) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (last_error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

const char *
topout_session_get_last_error_code (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  return self->last_error_code;
}

void
topout_session_set_last_error_code (TopoutSession *self,
                                    const char    *last_error_code)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (g_strcmp0 (self->last_error_code, last_error_code) == 0)
    return;

  g_free (self->last_error_code);
  self->last_error_code = g_strdup (last_error_code);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR_CODE]);
}

gint64
topout_session_get_server_revision (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), 0);

  return self->server_revision;
}

void
topout_session_set_server_revision (TopoutSession *self,
                                    gint64         server_revision)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (self->server_revision == server_revision)
    return;

  self->server_revision = server_revision;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_REVISION]);
}

guint
topout_session_get_n_routes (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), 0);

  return self->n_routes;
}

void
topout_session_set_n_routes (TopoutSession *self,
                             guint          n_routes)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (self->n_routes == n_routes)
    return;

  self->n_routes = n_routes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ROUTES]);
}

guint
topout_session_get_n_sends (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), 0);

  return self->n_sends;
}

void
topout_session_set_n_sends (TopoutSession *self,
                            guint          n_sends)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (self->n_sends == n_sends)
    return;

  self->n_sends = n_sends;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SENDS]);
}

gint64
topout_session_get_last_logged_at (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), 0);

  return self->last_logged_at;
}

void
topout_session_set_last_logged_at (TopoutSession *self,
                                   gint64         last_logged_at)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (self->last_logged_at == last_logged_at)
    return;

  self->last_logged_at = last_logged_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_LOGGED_AT]);
}

const char *
topout_session_get_type_label (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  if (self->session_type == TOPOUT_SESSION_TYPE_CUSTOM &&
      self->custom_label != NULL && self->custom_label[0] != '\0')
    return self->custom_label;

  return topout_session_type_get_label (self->session_type);
}

gboolean
topout_session_is_synced_ever (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), FALSE);

  return self->server_id != NULL;
}

GPtrArray *
topout_session_get_completions (TopoutSession *self)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (self), NULL);

  return self->completions;
}

void
topout_session_set_completions (TopoutSession *self,
                                GPtrArray     *completions)
{
  g_return_if_fail (TOPOUT_IS_SESSION (self));

  if (self->completions == completions)
    {
      /* We already hold a reference; drop the one handed over. */
      g_clear_pointer (&completions, g_ptr_array_unref);
      return;
    }

  g_clear_pointer (&self->completions, g_ptr_array_unref);
  self->completions = completions;
}
