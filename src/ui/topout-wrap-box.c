#define G_LOG_DOMAIN "topout-wrap-box"

#include "config.h"

#include "topout-wrap-box.h"

struct _TopoutWrapBox
{
  GtkWidget parent_instance;

  int       spacing;
  int       line_spacing;
  guint     n_lines;
};

static void topout_wrap_box_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TopoutWrapBox, topout_wrap_box, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, topout_wrap_box_buildable_init))

enum {
  PROP_0,
  PROP_SPACING,
  PROP_LINE_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkBuildableIface *parent_buildable_iface;

/* Where each child goes at @width: its x, width and line (children not
 * shown are skipped). Returns the number of lines; the height of each line
 * (the tallest natural height of its children, or the minimum ones) is
 * added up in @min_height and @nat_height. */
typedef struct {
  GtkWidget *child;
  int        x, width, line, min_height, nat_height;
} Place;

static guint
lay_out (TopoutWrapBox *self,
         int            width,
         GArray        *places,
         int           *min_height,
         int           *nat_height)
{
  int x = 0;
  int line = -1;
  int line_min = 0, line_nat = 0;
  int total_min = 0, total_nat = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      Place place = { child, 0, 0, 0, 0, 0 };
      int min, nat;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      place.width = MAX (MIN (nat, width), min);
      /* A child that expands across makes do with the rest of the line,
       * down to its minimum, rather than start another. */
      if (line >= 0 && x + self->spacing + place.width > width &&
          x + self->spacing + min <= width &&
          gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL))
        place.width = width - x - self->spacing;
      if (line < 0 || x + self->spacing + place.width > width)
        {
          if (line >= 0)
            {
              total_min += line_min + self->line_spacing;
              total_nat += line_nat + self->line_spacing;
            }
          line++;
          x = 0;
          line_min = line_nat = 0;
        }
      else
        x += self->spacing;
      place.x = x;
      place.line = line;
      x += place.width;
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, place.width,
                          &place.min_height, &place.nat_height, NULL, NULL);
      line_min = MAX (line_min, place.min_height);
      line_nat = MAX (line_nat, place.nat_height);
      if (places != NULL)
        g_array_append_val (places, place);
    }
  if (line >= 0)
    {
      total_min += line_min;
      total_nat += line_nat;
    }
  if (min_height != NULL)
    *min_height = total_min;
  if (nat_height != NULL)
    *nat_height = total_nat;
  return (guint) (line + 1);
}

static void
topout_wrap_box_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  TopoutWrapBox *self = TOPOUT_WRAP_BOX (widget);
  int widest_min = 0, sum_nat = 0;
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min, nat;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      widest_min = MAX (widest_min, min);
      sum_nat += nat + (n > 0 ? self->spacing : 0);
      n++;
    }

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* One child a line at the narrowest, all on one line at ease. */
      *minimum = widest_min;
      *natural = MAX (widest_min, sum_nat);
      return;
    }

  /* Height for a width; with none given, the tallest: at the minimum width.
   * Both grow as the width shrinks, never the other way. */
  lay_out (self, for_size < 0 ? widest_min : MAX (for_size, widest_min), NULL, minimum, natural);
  if (for_size < 0)
    *natural = *minimum = MAX (*minimum, *natural);
}

static void
topout_wrap_box_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  TopoutWrapBox *self = TOPOUT_WRAP_BOX (widget);
  g_autoptr (GArray) places = g_array_new (FALSE, FALSE, sizeof (Place));
  int y = 0;
  guint first = 0;

  self->n_lines = lay_out (self, width, places, NULL, NULL);
  while (first < places->len)
    {
      Place *start = &g_array_index (places, Place, first);
      guint end = first;
      int line_height = 0, spare, n_expand = 0, shift = 0;

      while (end < places->len && g_array_index (places, Place, end).line == start->line)
        {
          Place *p = &g_array_index (places, Place, end);

          line_height = MAX (line_height, p->nat_height);
          n_expand += gtk_widget_compute_expand (p->child, GTK_ORIENTATION_HORIZONTAL);
          end++;
        }
      {
        Place *last = &g_array_index (places, Place, end - 1);

        spare = MAX (0, width - (last->x + last->width));
      }
      for (guint i = first; i < end; i++)
        {
          Place *p = &g_array_index (places, Place, i);
          int extra = 0;

          if (n_expand > 0 && gtk_widget_compute_expand (p->child, GTK_ORIENTATION_HORIZONTAL))
            {
              extra = spare / n_expand;
              spare -= extra;
              n_expand--;
            }
          gtk_widget_size_allocate (p->child,
                                    &(GtkAllocation) { p->x + shift, y, p->width + extra, line_height },
                                    -1);
          shift += extra;
        }
      y += line_height + self->line_spacing;
      first = end;
    }
}

static GtkSizeRequestMode
topout_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
topout_wrap_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (topout_wrap_box_parent_class)->dispose (object);
}

static void
topout_wrap_box_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TopoutWrapBox *self = TOPOUT_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;

    case PROP_LINE_SPACING:
      g_value_set_int (value, self->line_spacing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_wrap_box_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TopoutWrapBox *self = TOPOUT_WRAP_BOX (object);
  int *field;

  switch (prop_id)
    {
    case PROP_SPACING:
      field = &self->spacing;
      break;

    case PROP_LINE_SPACING:
      field = &self->line_spacing;
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (*field == g_value_get_int (value))
    return;
  *field = g_value_get_int (value);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (object, pspec);
}

static void
topout_wrap_box_buildable_add_child (GtkBuildable *buildable,
                                     GtkBuilder   *builder,
                                     GObject      *child,
                                     const char   *type)
{
  if (GTK_IS_WIDGET (child) && type == NULL)
    topout_wrap_box_append (TOPOUT_WRAP_BOX (buildable), GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
topout_wrap_box_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = topout_wrap_box_buildable_add_child;
}

static void
topout_wrap_box_class_init (TopoutWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = topout_wrap_box_dispose;
  object_class->get_property = topout_wrap_box_get_property;
  object_class->set_property = topout_wrap_box_set_property;
  widget_class->measure = topout_wrap_box_measure;
  widget_class->size_allocate = topout_wrap_box_size_allocate;
  widget_class->get_request_mode = topout_wrap_box_get_request_mode;

  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE_SPACING] =
    g_param_spec_int ("line-spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
topout_wrap_box_init (TopoutWrapBox *self)
{
}

GtkWidget *
topout_wrap_box_new (void)
{
  return g_object_new (TOPOUT_TYPE_WRAP_BOX, NULL);
}

void
topout_wrap_box_append (TopoutWrapBox *self,
                        GtkWidget     *child)
{
  g_return_if_fail (TOPOUT_IS_WRAP_BOX (self));
  g_return_if_fail (GTK_IS_WIDGET (child));
  g_return_if_fail (gtk_widget_get_parent (child) == NULL);

  gtk_widget_set_parent (child, GTK_WIDGET (self));
}

guint
topout_wrap_box_get_n_lines (TopoutWrapBox *self)
{
  g_return_val_if_fail (TOPOUT_IS_WRAP_BOX (self), 0);

  return self->n_lines;
}
