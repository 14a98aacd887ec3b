/* topout-form.h — the small editing forms of the coach's views (a climber,
 * a climb): their window, rows and the line that says what was refused. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A modal window over @parent with Cancel and, when @accept_action is set, a
 * suggested button (@accept_label, activating @accept_action, the default
 * widget) in its header bar, and @content below, scrolled. Escape closes it.
 * libadwaita 1.2 has no AdwDialog, and an AdwMessageDialog closes on every
 * response, so it cannot keep a refused form open. No wider or higher than
 * @parent (its content scrolls). */
GtkWidget *topout_form_window_new      (GtkWindow   *parent,
                                        const char  *title,
                                        const char  *accept_label,
                                        const char  *accept_action,
                                        GtkWidget   *content,
                                        GtkWidget  **accept_out);
/* An entry row titled @title (with a mnemonic) holding @text, named @name
 * (for tests); Enter activates the window's default button. */
GtkWidget *topout_form_entry_row_new   (const char  *title,
                                        const char  *name,
                                        const char  *text);
/* The hidden "error-label": a wrapping label in the error style. */
GtkWidget *topout_form_error_label_new (void);
/* Shows @message in the error @label and scrolls it into view. */
void       topout_form_show_error      (GtkWidget   *label,
                                        const char  *message);
/* Whether @value, stripped, is not valid UTF-8 or has fewer than @min_chars
 * or more than @max_chars characters: the check the store makes, to tell
 * which field its refusal is about. */
gboolean   topout_form_text_fails      (const char  *value,
                                        guint        min_chars,
                                        guint        max_chars);

G_END_DECLS
