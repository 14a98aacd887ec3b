#define G_LOG_DOMAIN "topout-climber"

#include "config.h"

#include "topout-climber.h"
#include "topout-enum-types.h"

struct _TopoutClimber
{
  GObject parent_instance;

  char    *id;
  char    *member_code;
  char    *display_name;
  gint64   created_at;
  gint64   updated_at;
  gboolean archived;
  char    *merged_into;
};

G_DEFINE_FINAL_TYPE (TopoutClimber, topout_climber, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_MEMBER_CODE,
  PROP_DISPLAY_NAME,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_ARCHIVED,
  PROP_MERGED_INTO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
topout_climber_finalize (GObject *object)
{
  TopoutClimber *self = TOPOUT_CLIMBER (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->member_code, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->merged_into, g_free);

  G_OBJECT_CLASS (topout_climber_parent_class)->finalize (object);
}

static void
topout_climber_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TopoutClimber *self = TOPOUT_CLIMBER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_MEMBER_CODE:
      g_value_set_string (value, self->member_code);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;

    case PROP_ARCHIVED:
      g_value_set_boolean (value, self->archived);
      break;

    case PROP_MERGED_INTO:
      g_value_set_string (value, self->merged_into);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_climber_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TopoutClimber *self = TOPOUT_CLIMBER (object);

  switch (prop_id)
    {
    case PROP_ID:
      topout_climber_set_id (self, g_value_get_string (value));
      break;

    case PROP_MEMBER_CODE:
      topout_climber_set_member_code (self, g_value_get_string (value));
      break;

    case PROP_DISPLAY_NAME:
      topout_climber_set_display_name (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      topout_climber_set_created_at (self, g_value_get_int64 (value));
      break;

    case PROP_UPDATED_AT:
      topout_climber_set_updated_at (self, g_value_get_int64 (value));
      break;

    case PROP_ARCHIVED:
      topout_climber_set_archived (self, g_value_get_boolean (value));
      break;

    case PROP_MERGED_INTO:
      topout_climber_set_merged_into (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_climber_class_init (TopoutClimberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = topout_climber_finalize;
  object_class->get_property = topout_climber_get_property;
  object_class->set_property = topout_climber_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, "Identifier",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MEMBER_CODE] =
    g_param_spec_string ("member-code", NULL, "The gym's member number",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, "Name shown in the interface",
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

  properties[PROP_ARCHIVED] =
    g_param_spec_boolean ("archived", NULL, "Hidden from the pickers",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MERGED_INTO] =
    g_param_spec_string ("merged-into", NULL, "The climber this duplicate was merged into",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
topout_climber_init (TopoutClimber *self)
{
}

TopoutClimber *
topout_climber_new (void)
{
  return g_object_new (TOPOUT_TYPE_CLIMBER, NULL);
}

/* A new object with every property of @self. Fields are copied directly:
 * nobody can be connected to the new object yet, so there is nothing to
 * notify. */
TopoutClimber *
topout_climber_copy (TopoutClimber *self)
{
  TopoutClimber *copy;

  g_return_val_if_fail (TOPOUT_IS_CLIMBER (self), NULL);

  copy = g_object_new (TOPOUT_TYPE_CLIMBER, NULL);
  copy->id = g_strdup (self->id);
  copy->member_code = g_strdup (self->member_code);
  copy->display_name = g_strdup (self->display_name);
  copy->created_at = self->created_at;
  copy->updated_at = self->updated_at;
  copy->archived = self->archived;
  copy->merged_into = g_strdup (self->merged_into);

  return copy;
}

const char *
topout_climber_get_id (TopoutClimber *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMBER (self), NULL);

  return self->id;
}

void
topout_climber_set_id (TopoutClimber *self,
                       const char    *id)
{
  g_return_if_fail (TOPOUT_IS_CLIMBER (self));

  if (g_strcmp0 (self->id, id) == 0)
    return;

  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
topout_climber_get_member_code (TopoutClimber *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMBER (self), NULL);

  return self->member_code;
}

void
topout_climber_set_member_code (TopoutClimber *self,
                                const char    *member_code)
{
  g_return_if_fail (TOPOUT_IS_CLIMBER (self));

  if (g_strcmp0 (self->member_code, member_code) == 0)
    return;

  g_free (self->member_code);
  self->member_code = g_strdup (member_code);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER_CODE]);
}

const char *
topout_climber_get_display_name (TopoutClimber *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMBER (self), NULL);

  return self->display_name;
}

void
topout_climber_set_display_name (TopoutClimber *self,
                                 const char    *display_name)
{
  g_return_if_fail (TOPOUT_IS_CLIMBER (self));

  if (g_strcmp0 (self->display_name, display_name) == 0)
    return;

  g_free (self->display_name);
  self->display_name = g_strdup (display_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

gint64
topout_climber_get_created_at (TopoutClimber *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMBER (self), 0);

  return self->created_at;
}

void
topout_climber_set_created_at (TopoutClimber *self,
                               gint64         created_at)
{
  g_return_if_fail (TOPOUT_IS_CLIMBER (self));

  if (self->created_at == created_at)
    return;

  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

gint64
topout_climber_get_updated_at (TopoutClimber *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMBER (self), 0);

  return self->updated_at;
}

void
topout_climber_set_updated_at (TopoutClimber *self,
                               gint64         updated_at)
{
  g_return_if_fail (TOPOUT_IS_CLIMBER (self));

  if (self->updated_at == updated_at)
    return;

  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

gboolean
topout_climber_get_archived (TopoutClimber *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMBER (self), FALSE);

  return self->archived;
}

void
topout_climber_set_archived (TopoutClimber *self,
                             gboolean       archived)
{
  g_return_if_fail (TOPOUT_IS_CLIMBER (self));

  archived = !!archived;

  if (self->archived == archived)
    return;

  self->archived = archived;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARCHIVED]);
}

const char *
topout_climber_get_merged_into (TopoutClimber *self)
{
  g_return_val_if_fail (TOPOUT_IS_CLIMBER (self), NULL);

  return self->merged_into;
}

void
topout_climber_set_merged_into (TopoutClimber *self,
                                const char    *merged_into)
{
  g_return_if_fail (TOPOUT_IS_CLIMBER (self));

  if (g_strcmp0 (self->merged_into, merged_into) == 0)
    return;

  g_free (self->merged_into);
  self->merged_into = g_strdup (merged_into);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MERGED_INTO]);
}
