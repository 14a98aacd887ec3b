/* topout-fit-title.h — one line of text that shows the longest of its texts that fits */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TOPOUT_TYPE_FIT_TITLE (topout_fit_title_get_type ())
G_DECLARE_FINAL_TYPE (TopoutFitTitle, topout_fit_title, TOPOUT, FIT_TITLE, GtkWidget)

GtkWidget *topout_fit_title_new       (void);
/* Replaces the texts: the longest first, the shortest last (ellipsized if
 * even it does not fit). */
void       topout_fit_title_set_texts (TopoutFitTitle     *self,
                                       const char *const  *texts);

G_END_DECLS
