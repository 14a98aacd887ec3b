#define G_LOG_DOMAIN "topout-completion"

#include "config.h"

#include "topout-completion.h"
#include "topout-enum-types.h"

struct _TopoutCompletion
{
  GObject parent_instance;

  char    *id;
  char    *session_id;
  char    *climb_id;
  char    *climb_name;
  char    *climb_color;
  char    *grade;
  gboolean is_success;
  guint    attempts;
  char    *notes;
  gint64   logged_at;
  gboolean is_competition;
  char    *competition_type;
  char    *competition_id;
  gint64   updated_at;
};

G_DEFINE_FINAL_TYPE (TopoutCompletion, topout_completion, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SESSION_ID,
  PROP_CLIMB_ID,
  PROP_CLIMB_NAME,
  PROP_CLIMB_COLOR,
  PROP_GRADE,
  PROP_IS_SUCCESS,
  PROP_ATTEMPTS,
  PROP_NOTES,
  PROP_LOGGED_AT,
  PROP_IS_COMPETITION,
  PROP_COMPETITION_TYPE,
  PROP_COMPETITION_ID,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
topout_completion_finalize (GObject *object)
{
  TopoutCompletion *self = TOPOUT_COMPLETION (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->climb_id, g_free);
  g_clear_pointer (&self->climb_name, g_free);
  g_clear_pointer (&self->climb_color, g_free);
  g_clear_pointer (&self->grade, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->competition_type, g_free);
  g_clear_pointer (&self->competition_id, g_free);

  G_OBJECT_CLASS (topout_completion_parent_class)->finalize (object);
}

static void
topout_completion_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TopoutCompletion *self = TOPOUT_COMPLETION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_SESSION_ID:
      g_value_set_string (value, self->session_id);
      break;

    case PROP_CLIMB_ID:
      g_value_set_string (value, self->climb_id);
      break;

    case PROP_CLIMB_NAME:
      g_value_set_string (value, self->climb_name);
      break;

    case PROP_CLIMB_COLOR:
      g_value_set_string (value, self->climb_color);
      break;

    case PROP_GRADE:
      g_value_set_string (value, self->grade);
      break;

    case PROP_IS_SUCCESS:
      g_value_set_boolean (value, self->is_success);
      break;

    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;

    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;

    case PROP_LOGGED_AT:
      g_value_set_int64 (value, self->logged_at);
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

    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_completion_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TopoutCompletion *self = TOPOUT_COMPLETION (object);

  switch (prop_id)
    {
    case PROP_ID:
      topout_completion_set_id (self, g_value_get_string (value));
      break;

    case PROP_SESSION_ID:
      topout_completion_set_session_id (self, g_value_get_string (value));
      break;

    case PROP_CLIMB_ID:
      topout_completion_set_climb_id (self, g_value_get_string (value));
      break;

    case PROP_CLIMB_NAME:
      topout_completion_set_climb_name (self, g_value_get_string (value));
      break;

    case PROP_CLIMB_COLOR:
      topout_completion_set_climb_color (self, g_value_get_string (value));
      break;

    case PROP_GRADE:
      topout_completion_set_grade (self, g_value_get_string (value));
      break;

    case PROP_IS_SUCCESS:
      topout_completion_set_is_success (self, g_value_get_boolean (value));
      break;

    case PROP_ATTEMPTS:
      topout_completion_set_attempts (self, g_value_get_uint (value));
      break;

    case PROP_NOTES:
      topout_completion_set_notes (self, g_value_get_string (value));
      break;

    case PROP_LOGGED_AT:
      topout_completion_set_logged_at (self, g_value_get_int64 (value));
      break;

    case PROP_IS_COMPETITION:
      topout_completion_set_is_competition (self, g_value_get_boolean (value));
      break;

    case PROP_COMPETITION_TYPE:
      topout_completion_set_competition_type (self, g_value_get_string (value));
      break;

    case PROP_COMPETITION_ID:
      topout_completion_set_competition_id (self, g_value_get_string (value));
      break;

    case PROP_UPDATED_AT:
      topout_completion_set_updated_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_completion_class_init (TopoutCompletionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = topout_completion_finalize;
  object_class->get_property = topout_completion_get_property;
  object_class->set_property = topout_completion_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, "Identifier",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SESSION_ID] =
    g_param_spec_string ("session-id", NULL, "Id of the session",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CLIMB_ID] =
    g_param_spec_string ("climb-id", NULL, "Catalog id of the climb",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CLIMB_NAME] =
    g_param_spec_string ("climb-name", NULL, "Name of the climb",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CLIMB_COLOR] =
    g_param_spec_string ("climb-color", NULL, "Colour of the climb",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_GRADE] =
    g_param_spec_string ("grade", NULL, "Grade",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_IS_SUCCESS] =
    g_param_spec_boolean ("is-success", NULL, "Sent (topped)",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ATTEMPTS] =
    g_param_spec_uint ("attempts", NULL, "Attempts, the send included",
                       0, G_MAXUINT, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, "Notes",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LOGGED_AT] =
    g_param_spec_int64 ("logged-at", NULL, "Wall clock of the tap, µs since the epoch (UTC)",
                        G_MININT64, G_MAXINT64, 0,
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

  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, "Last change, µs since the epoch (UTC)",
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
topout_completion_init (TopoutCompletion *self)
{
  self->attempts = 1;
}

TopoutCompletion *
topout_completion_new (void)
{
  return g_object_new (TOPOUT_TYPE_COMPLETION, NULL);
}

/* A new object with every property of @self. Fields are copied directly:
 * nobody can be connected to the new object yet, so there is nothing to
 * notify. */
TopoutCompletion *
topout_completion_copy (TopoutCompletion *self)
{
  TopoutCompletion *copy;

  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), NULL);

  copy = g_object_new (TOPOUT_TYPE_COMPLETION, NULL);
  copy->id = g_strdup (self->id);
  copy->session_id = g_strdup (self->session_id);
  copy->climb_id = g_strdup (self->climb_id);
  copy->climb_name = g_strdup (self->climb_name);
  copy->climb_color = g_strdup (self->climb_color);
  copy->grade = g_strdup (self->grade);
  copy->is_success = self->is_success;
  copy->attempts = self->attempts;
  copy->notes = g_strdup (self->notes);
  copy->logged_at = self->logged_at;
  copy->is_competition = self->is_competition;
  copy->competition_type = g_strdup (self->competition_type);
  copy->competition_id = g_strdup (self->competition_id);
  copy->updated_at = self->updated_at;

  return copy;
}

const char *
topout_completion_get_id (TopoutCompletion *self)
{
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), NULL);

  return self->id;
}

void
topout_completion_set_id (TopoutCompletion *self,
                          const char       *id)
{
  g_return_if_fail (TOPOUT_IS_COMPLETION (self));

  if (g_strcmp0 (self->id, id) == 0)
    return;

  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
topout_completion_get_session_id (TopoutCompletion *self)
{
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), NULL);

  return self->session_id;
}

void
topout_completion_set_session_id (TopoutCompletion *self,
                                  const char       *session_id)
{
  g_return_if_fail (TOPOUT_IS_COMPLETION (self));

  if (g_strcmp0 (self->session_id, session_id) == 0)
    return;

  g_free (self->session_id);
  self->session_id = g_strdup (session_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_ID]);
}

const char *
topout_completion_get_climb_id (TopoutCompletion *self)
{
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), NULL);

  return self->climb_id;
}

void
topout_completion_set_climb_id (TopoutCompletion *self,
                                const char       *climb_id)
{
  g_return_if_fail (TOPOUT_IS_COMPLETION (self));

  if (g_strcmp0 (self->climb_id, climb_id) == 0)
    return;

  g_free (self->climb_id);
  self->climb_id = g_strdup (climb_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIMB_ID]);
}

const char *
topout_completion_get_climb_name (TopoutCompletion *self)
{
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), NULL);

  return self->climb_name;
}

void
topout_completion_set_climb_name (TopoutCompletion *self,
                                  const char       *climb_name)
{
  g_return_if_fail (TOPOUT_IS_COMPLETION (self));

  if (g_strcmp0 (self->climb_name, climb_name) == 0)
    return;

  g_free (self->climb_name);
  self->climb_name = g_strdup (climb_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIMB_NAME]);
}

const char *
topout_completion_get_climb_color (TopoutCompletion *self)
{
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), NULL);

  return self->climb_color;
}

void
topout_completion_set_climb_color (TopoutCompletion *self,
                                   const char       *climb_color)
{
  g_return_if_fail (TOPOUT_IS_COMPLETION (self));

  if (g_strcmp0 (self->climb_color, climb_color) == 0)
    return;

  g_free (self->climb_color);
  self->climb_color = g_strdup (climb_color);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIMB_COLOR]);
}

const char *
topout_completion_get_grade (TopoutCompletion *self)
{
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), NULL);

  return self->grade;
}

void
topout_completion_set_grade (TopoutCompletion *self,
                             const char       *grade)
{
  g_return_if_fail (TOPOUT_IS_COMPLETION (self));

  if (g_strcmp0 (self->grade, grade) == 0)
    return;

  g_free (self->grade);
  self->grade = g_strdup (grade);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRADE]);
}

gboolean
topout_completion_get_is_success (TopoutCompletion *self)
{
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), FALSE);

  return self->is_success;
}

void
topout_completion_set_is_success (TopoutCompletion *self,
                                  gboolean          is_success)
{
  g_return_if_fail (TOPOUT_IS_COMPLETION (self));

  is_success = !!is_success;

  if (self->is_success == is_success)
    return;

  self->is_success = is_success;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_SUCCESS]);
}

guint
topout_completion_get_attempts (TopoutCompletion *self)
{
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), 0);

  return self->attempts;
}

void
topout_completion_set_attempts (TopoutCompletion *self,
                                guint             attempts)
{
  g_return_if_fail (TOPOUT_IS_COMPLETION (self));

  if (self->attempts == attempts)
    return;

  self->attempts = attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPTS]);
}

const char *
topout_completion_get_notes (TopoutCompletion *self)
{
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), NULL);

  return self->notes;
}

void
topout_completion_set_notes (TopoutCompletion *self,
                             const char       *notes)
{
  g_return_if_fail (TOPOUT_IS_COMPLETION (self));

  if (g_strcmp0 (self->notes, notes) == 0)
    return;

  g_free (self->notes);
  self->notes = g_strdup (notes);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES]);
}

gint64
topout_completion_get_logged_at (TopoutCompletion *self)
{
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), 0);

  return self->logged_at;
}

void
topout_completion_set_logged_at (TopoutCompletion *self,
                                 gint64            logged_at)
{
  g_return_if_fail (TOPOUT_IS_COMPLETION (self));

  if (self->logged_at == logged_at)
    return;

  self->logged_at = logged_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGGED_AT]);
}

gboolean
topout_completion_get_is_competition (TopoutCompletion *self)
{
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), FALSE);

  return self->is_competition;
}

void
topout_completion_set_is_competition (TopoutCompletion *self,
                                      gboolean          is_competition)
{
  g_return_if_fail (TOPOUT_IS_COMPLETION (self));

  is_competition = !!is_competition;

  if (self->is_competition == is_competition)
    return;

  self->is_competition = is_competition;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_COMPETITION]);
}

const char *
topout_completion_get_competition_type (TopoutCompletion *self)
{
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), NULL);

  return self->competition_type;
}

void
topout_completion_set_competition_type (TopoutCompletion *self,
                                        const char       *competition_type)
{
  g_return_if_fail (TOPOUT_IS_COMPLETION (self));

  if (g_strcmp0 (self->competition_type, competition_type) == 0)
    return;

  g_free (self->competition_type);
  self->competition_type = g_strdup (competition_type);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPETITION_TYPE]);
}

const char *
topout_completion_get_competition_id (TopoutCompletion *self)
{
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), NULL);

  return self->competition_id;
}

void
topout_completion_set_competition_id (TopoutCompletion *self,
                                      const char       *competition_id)
{
  g_return_if_fail (TOPOUT_IS_COMPLETION (self));

  if (g_strcmp0 (self->competition_id, competition_id) == 0)
    return;

  g_free (self->competition_id);
  self->competition_id = g_strdup (competition_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPETITION_ID]);
}

gint64
topout_completion_get_updated_at (TopoutCompletion *self)
{
  g_return_val_if_fail (TOPOUT_IS_COMPLETION (self), 0);

  return self->updated_at;
}

void
topout_completion_set_updated_at (TopoutCompletion *self,
                                  gint64            updated_at)
{
  g_return_if_fail (TOPOUT_IS_COMPLETION (self));

  if (self->updated_at == updated_at)
    return;

  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}
