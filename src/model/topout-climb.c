#define G_LOG_DOMAIN "topout-climb"

#include "config.h"

#include "topout-climb.h"
#include "topout-enum-types.h"

struct _TopoutClimb
{
  GObject parent_instance;

  char             *id;
  char             *name;
  char             *grade;
  TopoutGradeSystem grade_system;
  char             *color;
  char             *wall;
  char             *set_on;
  gboolean          retired;
  gint64            created_at;
  gint64            updated_at;
};

G_DEFINE_FINAL_TYPE (TopoutClimb, topout_climb, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_GRADE,
  PROP_GRADE_SYSTEM,
  PROP_COLOR,
  PROP_WALL,
  PROP_SET_ON,
  PROP_RETIRED,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
topout_climb_finalize (GObject *object)
{
  TopoutClimb *self = TOPOUT_CLIMB (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->grade, g_free);
  g_clear_pointer (&self->color, g_free);
  g_clear_pointer (&self->wall, g_free);
  g_clear_pointer (&self->set_on, g_free);

  G_OBJECT_CLASS (topout_climb_parent_class)->finalize (object);
}

static void
topout_climb_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TopoutClimb *self = TOPOUT_CLIMB (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_GRADE:
      g_value_set_string (value, self->grade);
      break;

    case PROP_GRADE_SYSTEM:
      g_value_set_enum (value, self->grade_system);
      break;

    case PROP_COLOR:
      g_value_set_string (value, self->color);
      break;

    case PROP_WALL:
      g_value_set_string (value, self->wall);
      break;

    case PROP_SET_ON:
      g_value_set_string (value, self->set_on);
      break;

    case PROP_RETIRED:
      g_value_set_boolean (value, self->retired);
      break;

    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_climb_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TopoutClimb *self = TOPOUT_CLIMB (object);

  switch (prop_id)
    {
    case PROP_ID:
      topout_climb_set_id (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      topout_climb_set_name (self, g_value_get_string (value));
      break;

    case PROP_GRADE:
      topout_climb_set_grade (self, g_value_get_string (value));
      break;

    case PROP_GRADE_SYSTEM:
      topout_climb_set_grade_system (self, g_value_get_enum (value));
      break;

    case PROP_COLOR:
      topout_climb_set_color (self, g_value_get_string (value));
      break;

    case PROP_WALL:
      topout_climb_set_wall (self, g_value_get_string (value));
      break;

    case PROP_SET_ON:
      topout_climb_set_set_on (self, g_value_get_string (value));
      break;

    case PROP_RETIRED:
      topout_climb_set_retired (self, g_value_get_boolean (value));
      break;

    case PROP_CREATED_AT:
      topout_climb_set_created_at (self, g_value_get_int64 (value));
      break;

    case PROP_UPDATED_AT:
      topout_climb_set_updated_at (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_climb_class_init (TopoutClimbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = topout_climb_finalize;
  object_class->get_property = topout_climb_get_property;
  object_class->set_property = topout_climb_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, "Identifier",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, "Name",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_GRADE] =
    g_param_spec_string ("grade", NULL, "Grade",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_GRADE_SYSTEM] =
    g_param_spec_enum ("grade-system", NULL, "Grade system",
                       TOPOUT_TYPE_GRADE_SYSTEM, TOPOUT_GRADE_SYSTEM_V_SCALE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_COLOR] =
    g_param_spec_string ("color", NULL, "Hold colour",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_WALL] =
    g_param_spec_string ("wall", NULL, "Wall or board layout",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SET_ON] =
    g_param_spec_string ("set-on", NULL, "Date the climb was set, YYYY-MM-DD",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_RETIRED] =
    g_param_spec_boolean ("retired", NULL, "No longer on the wall",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, "Creation time, µs since the epoch (UTC)",
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, "Last change, µs since the epoch (UTC)",
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
topout_climb_init (TopoutClimb *self)
{
  self->grade_system = TOPOUT_GRADE_SYSTEM_V_SCALE;
}

TopoutClimb *
topout_climb_new (const char        *id,
                  const char        *name,
                  const char        *grade,
                  TopoutGradeSystem  grade_system)
{
  TopoutClimb *self = g_object_new (TOPOUT_TYPE_CLIMB, NULL);

  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->grade = g_strdup (grade);
  self->grade_system = grade_system;

  return self;
}

/* A new object with every property of @self. Fields are copied directly:
 * nobody can be connected to the new object yet, so there is nothing to
 * notify. */
TopoutClimb *
topout_climb_copy (TopoutClimb *self)
{
  TopoutClimb *copy;

  g_return_val_if_fail (TOPOUT_IS_CLIMB (self), NULL);

  copy = g_object_new (TOPOUT_TYPE_CLIMB, NULL);
  copy->id = g_strdup (self->id);
  copy->name = g_strdup (self->name);
  copy->grade = g_strdup (self->grade);
  copy->grade_system = self->grade_system;
  copy->color = g_strdup (self->color);
  copy->wall = g_strdup (self->wall);
  copy->set_on = g_strdup (self->set_on);
  copy->retired = self->retired;
  copy->created_at = self->created_at;
  copy->updated_at = self->updated_at;

  return copy;
}

const char *
topout_climb_get_id (TopoutClimb *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMB (self), NULL);

  return self->id;
}

void
topout_climb_set_id (TopoutClimb *self,
                     const char  *id)
{
  g_return_if_fail (TOPOUT_IS_CLIMB (self));

  if (g_strcmp0 (self->id, id) == 0)
    return;

  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
topout_climb_get_name (TopoutClimb *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMB (self), NULL);

  return self->name;
}

void
topout_climb_set_name (TopoutClimb *self,
                       const char  *name)
{
  g_return_if_fail (TOPOUT_IS_CLIMB (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
topout_climb_get_grade (TopoutClimb *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMB (self), NULL);

  return self->grade;
}

void
topout_climb_set_grade (TopoutClimb *self,
                        const char  *grade)
{
  g_return_if_fail (TOPOUT_IS_CLIMB (self));

  if (g_strcmp0 (self->grade, grade) == 0)
    return;

  g_free (self->grade);
  self->grade = g_strdup (grade);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRADE]);
}

TopoutGradeSystem
topout_climb_get_grade_system (TopoutClimb *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMB (self), TOPOUT_GRADE_SYSTEM_V_SCALE);

  return self->grade_system;
}

void
topout_climb_set_grade_system (TopoutClimb       *self,
                               TopoutGradeSystem  grade_system)
{
  g_return_if_fail (TOPOUT_IS_CLIMB (self));
  g_return_if_fail ((guint) grade_system <= TOPOUT_GRADE_SYSTEM_YDS);

  if (self->grade_system == grade_system)
    return;

  self->grade_system = grade_system;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRADE_SYSTEM]);
}

const char *
topout_climb_get_color (TopoutClimb *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMB (self), NULL);

  return self->color;
}

void
topout_climb_set_color (TopoutClimb *self,
                        const char  *color)
{
  g_return_if_fail (TOPOUT_IS_CLIMB (self));

  if (g_strcmp0 (self->color, color) == 0)
    return;

  g_free (self->color);
  self->color = g_strdup (color);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

const char *
topout_climb_get_wall (TopoutClimb *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMB (self), NULL);

  return self->wall;
}

void
topout_climb_set_wall (TopoutClimb *self,
                       const char  *wall)
{
  g_return_if_fail (TOPOUT_IS_CLIMB (self));

  if (g_strcmp0 (self->wall, wall) == 0)
    return;

  g_free (self->wall);
  self->wall = g_strdup (wall);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WALL]);
}

const char *
topout_climb_get_set_on (TopoutClimb *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMB (self), NULL);

  return self->set_on;
}

void
topout_climb_set_set_on (TopoutClimb *self,
                         const char  *set_on)
{
  g_return_if_fail (TOPOUT_IS_CLIMB (self));

  if (g_strcmp0 (self->set_on, set_on) == 0)
    return;

  g_free (self->set_on);
  self->set_on = g_strdup (set_on);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SET_ON]);
}

gboolean
topout_climb_get_retired (TopoutClimb *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMB (self), FALSE);

  return self->retired;
}

void
topout_climb_set_retired (TopoutClimb *self,
                          gboolean     retired)
{
  g_return_if_fail (TOPOUT_IS_CLIMB (self));

  retired = !!retired;

  if (self->retired == retired)
    return;

  self->retired = retired;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETIRED]);
}

gint64
topout_climb_get_created_at (TopoutClimb *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMB (self), 0);

  return self->created_at;
}

void
topout_climb_set_created_at (TopoutClimb *self,
                             gint64       created_at)
{
  g_return_if_fail (TOPOUT_IS_CLIMB (self));

  if (self->created_at == created_at)
    return;

  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

gint64
topout_climb_get_updated_at (TopoutClimb *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMB (self), 0);

  return self->updated_at;
}

void
topout_climb_set_updated_at (TopoutClimb *self,
                             gint64       updated_at)
{
  g_return_if_fail (TOPOUT_IS_CLIMB (self));

  if (self->updated_at == updated_at)
    return;

  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}
