/* topout-fit-title.c — one line of text that shows the longest of its texts
 * that fits.
 *
 * A toast's title at 360 px: "Session ended for Maximiliane
 * Oberhauser-Wittgenstein" where it fits, "Session ended" where it does
 * not. An AdwSqueezer did this, but it switches its child from inside its
 * own allocation with gtk_widget_queue_allocate(), which left the toast
 * overlay now and then to be drawn without an allocation (GTK warned).
 * Here the choice is made in the allocation and only changes which label
 * is a visible child: nothing is queued. */
#define G_LOG_DOMAIN "topout-fit-title"

#include "config.h"

#include "topout-fit-title.h"

struct _TopoutFitTitle
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (TopoutFitTitle, topout_fit_title, GTK_TYPE_WIDGET)

static void
topout_fit_title_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  gboolean first = TRUE;

  *minimum = *natural = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      int child_min, child_nat;

      gtk_widget_measure (c, orientation, -1, &child_min, &child_nat, NULL, NULL);
      /* As wide as the shortest text (the last, ellipsized) at least, as
       * the longest at best; as tall as the tallest. */
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        *minimum = first ? child_min : MIN (*minimum, child_min);
      else
        *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
      first = FALSE;
    }
}

static void
topout_fit_title_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  GtkWidget *chosen = gtk_widget_get_last_child (widget);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      int child_min;

      gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, NULL, NULL, NULL);
      if (child_min <= width)
        {
          chosen = c;
          break;
        }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_child_visible (c) != (c == chosen))
      {
        gtk_widget_set_child_visible (c, c == chosen);
        /* A screen reader hears the text shown. */
        gtk_accessible_update_state (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_STATE_HIDDEN, c != chosen, -1);
      }
  if (chosen != NULL)
    gtk_widget_size_allocate (chosen, &(GtkAllocation) { 0, 0, width, height }, baseline);
}

static void
topout_fit_title_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (topout_fit_title_parent_class)->dispose (object);
}

static void
topout_fit_title_class_init (TopoutFitTitleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = topout_fit_title_dispose;
  widget_class->measure = topout_fit_title_measure;
  widget_class->size_allocate = topout_fit_title_size_allocate;
}

static void
topout_fit_title_init (TopoutFitTitle *self)
{
}

GtkWidget *
topout_fit_title_new (void)
{
  return g_object_new (TOPOUT_TYPE_FIT_TITLE, NULL);
}

void
topout_fit_title_set_texts (TopoutFitTitle     *self,
                            const char *const  *texts)
{
  GtkWidget *child;
  GtkWidget *last = NULL;

  g_return_if_fail (TOPOUT_IS_FIT_TITLE (self));
  g_return_if_fail (texts != NULL && texts[0] != NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  for (guint i = 0; texts[i] != NULL; i++)
    {
      last = gtk_label_new (texts[i]);
      gtk_label_set_xalign (GTK_LABEL (last), 0.0);
      gtk_label_set_single_line_mode (GTK_LABEL (last), TRUE);
      gtk_widget_add_css_class (last, "heading");
      /* The whole text until an allocation tells which fits. */
      gtk_widget_set_child_visible (last, i == 0);
      gtk_accessible_update_state (GTK_ACCESSIBLE (last), GTK_ACCESSIBLE_STATE_HIDDEN, i != 0, -1);
      gtk_widget_set_parent (last, GTK_WIDGET (self));
    }
  /* The shortest is cut rather than out of the toast (and a test sees it). */
  gtk_label_set_ellipsize (GTK_LABEL (last), PANGO_ELLIPSIZE_END);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
