#define G_LOG_DOMAIN "topout-color-swatch"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "topout-color-swatch.h"

struct _TopoutColorSwatch
{
  GtkWidget  parent_instance;

  char      *color;
  GdkRGBA    rgba;
  gboolean   valid;
  int        size;
};

G_DEFINE_FINAL_TYPE (TopoutColorSwatch, topout_color_swatch, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_COLOR,
  PROP_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_description (TopoutColorSwatch *self)
{
  const char *name = self->valid ? topout_color_name_for (self->color) : NULL;
  const char *label = name != NULL ? name : _("No colour");

  gtk_widget_set_tooltip_text (GTK_WIDGET (self), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
topout_color_swatch_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  TopoutColorSwatch *self = TOPOUT_COLOR_SWATCH (widget);

  *minimum = *natural = self->size;
}

/* Relative luminance (sRGB, WCAG), 0 black to 1 white. */
static float
luminance (const GdkRGBA *c)
{
  const float rgb[3] = { c->red, c->green, c->blue };
  const float weights[3] = { 0.2126f, 0.7152f, 0.0722f };
  float y = 0.f;

  for (guint i = 0; i < 3; i++)
    y += weights[i] * (rgb[i] <= 0.04045f ? rgb[i] / 12.92f : powf ((rgb[i] + 0.055f) / 1.055f, 2.4f));
  return y;
}

static void
topout_color_swatch_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  TopoutColorSwatch *self = TOPOUT_COLOR_SWATCH (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  float d = MIN (width, height);
  GskRoundedRect circle;
  GdkRGBA outline;
  float widths[4];
  GdkRGBA outlines[4];

  if (d <= 0)
    return;

  gsk_rounded_rect_init_from_rect (&circle,
                                   &GRAPHENE_RECT_INIT ((width - d) / 2.f, (height - d) / 2.f, d, d),
                                   d / 2.f);

  if (self->valid)
    {
      gtk_snapshot_push_rounded_clip (snapshot, &circle);
      gtk_snapshot_append_color (snapshot, &self->rgba, &circle.bounds);
      gtk_snapshot_pop (snapshot);
    }

  /* A thin ring in the text colour keeps white and black holds visible on
   * either theme; a missing colour is just the ring. A hold as dark as the
   * dark style's rows (or as light as the light style's) gets a stronger
   * ring: at a quarter it stood 1.3:1 against the row. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &outline);
  if (!self->valid)
    outline.alpha *= 0.5f;
  else if (fabsf (luminance (&self->rgba) - (1.f - luminance (&outline))) < 0.25f)
    outline.alpha *= 0.7f;
  else
    outline.alpha *= 0.25f;
  for (guint i = 0; i < 4; i++)
    {
      widths[i] = 1.f;
      outlines[i] = outline;
    }
  gtk_snapshot_append_border (snapshot, &circle, widths, outlines);
}

static void
topout_color_swatch_finalize (GObject *object)
{
  TopoutColorSwatch *self = TOPOUT_COLOR_SWATCH (object);

  g_clear_pointer (&self->color, g_free);

  G_OBJECT_CLASS (topout_color_swatch_parent_class)->finalize (object);
}

static void
topout_color_swatch_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TopoutColorSwatch *self = TOPOUT_COLOR_SWATCH (object);

  switch (prop_id)
    {
    case PROP_COLOR:
      g_value_set_string (value, self->color);
      break;
    case PROP_SIZE:
      g_value_set_int (value, self->size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_color_swatch_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TopoutColorSwatch *self = TOPOUT_COLOR_SWATCH (object);

  switch (prop_id)
    {
    case PROP_COLOR:
      topout_color_swatch_set_color (self, g_value_get_string (value));
      break;
    case PROP_SIZE:
      topout_color_swatch_set_size (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_color_swatch_class_init (TopoutColorSwatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = topout_color_swatch_finalize;
  object_class->get_property = topout_color_swatch_get_property;
  object_class->set_property = topout_color_swatch_set_property;

  widget_class->measure = topout_color_swatch_measure;
  widget_class->snapshot = topout_color_swatch_snapshot;

  properties[PROP_COLOR] =
    g_param_spec_string ("color", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIZE] =
    g_param_spec_int ("size", NULL, NULL, 8, 256, 24,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "colorswatch");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
topout_color_swatch_init (TopoutColorSwatch *self)
{
  self->size = 24;
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  update_description (self);
}

GtkWidget *
topout_color_swatch_new (const char *color)
{
  return g_object_new (TOPOUT_TYPE_COLOR_SWATCH, "color", color, NULL);
}

const char *
topout_color_swatch_get_color (TopoutColorSwatch *self)
{
  g_return_val_if_fail (TOPOUT_IS_COLOR_SWATCH (self), NULL);
  return self->color;
}

void
topout_color_swatch_set_color (TopoutColorSwatch *self,
                               const char        *color)
{
  g_return_if_fail (TOPOUT_IS_COLOR_SWATCH (self));

  if (g_strcmp0 (self->color, color) == 0)
    return;

  g_free (self->color);
  self->color = g_strdup (color);
  self->valid = color != NULL && gdk_rgba_parse (&self->rgba, color);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

int
topout_color_swatch_get_size (TopoutColorSwatch *self)
{
  g_return_val_if_fail (TOPOUT_IS_COLOR_SWATCH (self), 0);
  return self->size;
}

void
topout_color_swatch_set_size (TopoutColorSwatch *self,
                              int                size)
{
  g_return_if_fail (TOPOUT_IS_COLOR_SWATCH (self));

  if (self->size == size)
    return;

  self->size = size;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}
