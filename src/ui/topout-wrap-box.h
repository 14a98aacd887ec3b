/* topout-wrap-box.h — children side by side, wrapping onto more lines.
 *
 * Each child takes its natural width where it fits on the line (its whole
 * text, for a drop-down); a child that does not fit starts the next line,
 * and one wider than a line takes the line. A child that expands across
 * (hexpand) takes the rest of its line instead, down to its minimum width,
 * before it starts another (a button that can shrink to its icon). A
 * line's spare width goes to its children that expand across. GTK 4.8 has
 * no such box: a GtkFlowBox lines its children up in columns, so at a
 * phone's width one wide child squeezed the others of its column.
 * Children are added in a .ui as to a GtkBox; "spacing" is between children
 * on a line, "line-spacing" between lines. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TOPOUT_TYPE_WRAP_BOX (topout_wrap_box_get_type ())
G_DECLARE_FINAL_TYPE (TopoutWrapBox, topout_wrap_box, TOPOUT, WRAP_BOX, GtkWidget)

GtkWidget *topout_wrap_box_new    (void);
void       topout_wrap_box_append (TopoutWrapBox *self,
                                   GtkWidget     *child);
/* The number of lines of the latest allocation (0 before one). */
guint      topout_wrap_box_get_n_lines (TopoutWrapBox *self);

G_END_DECLS
