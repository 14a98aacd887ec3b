/* topout-color-swatch.h — a small round swatch of a climb's colour.
 *
 * Draws the CSS colour string of a climb ("#e01b24", "red") as a filled
 * circle; its tooltip and accessible label name the colour ("Red"), so the
 * colour is never the only way to tell climbs apart. */
#pragma once

#include <gtk/gtk.h>

/* topout_color_name_for(): the colour's name a swatch is heard by. */
#include "topout-color.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_COLOR_SWATCH (topout_color_swatch_get_type ())
G_DECLARE_FINAL_TYPE (TopoutColorSwatch, topout_color_swatch, TOPOUT, COLOR_SWATCH, GtkWidget)

/* Properties "color" (a CSS colour string, nullable) and "size" (diameter in
 * pixels, default 24). */
GtkWidget  *topout_color_swatch_new       (const char        *color);
const char *topout_color_swatch_get_color (TopoutColorSwatch *self);
void        topout_color_swatch_set_color (TopoutColorSwatch *self,
                                           const char        *color);
int         topout_color_swatch_get_size  (TopoutColorSwatch *self);
void        topout_color_swatch_set_size  (TopoutColorSwatch *self,
                                           int                size);

G_END_DECLS
