/* topout-form.c — the small editing forms of the coach's views. */
#define G_LOG_DOMAIN "topout-form"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "topout-form.h"
#include "topout-ui-util.h"

gboolean
topout_form_text_fails (const char *value,
                        guint       min_chars,
                        guint       max_chars)
{
  g_autofree char *copy = g_strstrip (g_strdup (value ? value : ""));
  glong n;

  if (!g_utf8_validate (copy, -1, NULL))
    return TRUE;
  n = g_utf8_strlen (copy, -1);
  return n < (glong) min_chars || n > (glong) max_chars;
}

GtkWidget *
topout_form_window_new (GtkWindow  *parent,
                        const char *title,
                        const char *accept_label,
                        const char *accept_action,
                        GtkWidget  *content,
                        GtkWidget **accept_out)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *cancel_icon = gtk_button_new_from_icon_name ("window-close-symbolic");
  GtkWidget *cancel_squeezer = adw_squeezer_new ();
  GtkWidget *accept = NULL;
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 460, -1);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, NULL));
  /* Cancel labelled, or its icon alone where the title would not be whole
   * beside it and the suggested button (a phone's 360 px in German: "Route
   * …" between Abbrechen and Hinzufügen), as in the session editor. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel_icon), "window.close");
  gtk_widget_set_tooltip_text (cancel_icon, C_("button", "Cancel"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (cancel_icon), GTK_ACCESSIBLE_PROPERTY_LABEL, C_("button", "Cancel"), -1);
  adw_squeezer_set_homogeneous (ADW_SQUEEZER (cancel_squeezer), FALSE);
  adw_squeezer_set_transition_type (ADW_SQUEEZER (cancel_squeezer), ADW_SQUEEZER_TRANSITION_TYPE_NONE);
  adw_squeezer_set_switch_threshold_policy (ADW_SQUEEZER (cancel_squeezer), ADW_FOLD_THRESHOLD_POLICY_NATURAL);
  adw_squeezer_set_xalign (ADW_SQUEEZER (cancel_squeezer), 0);
  adw_squeezer_add (ADW_SQUEEZER (cancel_squeezer), cancel);
  adw_squeezer_add (ADW_SQUEEZER (cancel_squeezer), cancel_icon);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel_squeezer);
  if (accept_action != NULL)
    {
      accept = gtk_button_new_with_mnemonic (accept_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (accept), accept_action);
      gtk_widget_add_css_class (accept, "suggested-action");
      adw_header_bar_pack_end (ADW_HEADER_BAR (header), accept);
      gtk_window_set_default_widget (GTK_WINDOW (window), accept);
      /* A form of a few rows follows its content's size: a message shown
       * under the fields grows the window instead of being cut off below
       * (a resizable window keeps the size it opened with). */
      gtk_window_set_resizable (GTK_WINDOW (window), FALSE);
    }
  gtk_box_append (GTK_BOX (box), header);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (window), box);

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, shortcuts);

  /* No larger than the window it opens over: on a phone or a half screen
   * (360 px) its 460 px went past the screen's edge with Add, and a form
   * taller than the screen had its message below it. It scrolls instead. */
  if (parent != NULL && gtk_widget_get_width (GTK_WIDGET (parent)) > 0)
    {
      int parent_width = gtk_widget_get_width (GTK_WIDGET (parent));
      int parent_height = gtk_widget_get_height (GTK_WIDGET (parent));
      int header_height = 0;

      if (parent_width < 460)
        gtk_window_set_default_size (GTK_WINDOW (window), parent_width, -1);
      gtk_widget_measure (header, GTK_ORIENTATION_VERTICAL, -1, NULL, &header_height, NULL, NULL);
      if (parent_height > header_height)
        gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), parent_height - header_height);
    }

  if (accept_out != NULL)
    *accept_out = accept;
  return window;
}

void
topout_form_show_error (GtkWidget  *label,
                        const char *message)
{
  gtk_label_set_text (GTK_LABEL (label), message);
  gtk_widget_set_visible (label, TRUE);
  /* Under the fields: in a window as short as a phone's it was below the
   * fold, and nothing in view changed. */
  topout_scroll_into_view_when_shown (label);
}

GtkWidget *
topout_form_error_label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_set_name (label, "error-label");
  gtk_widget_set_visible (label, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Error"), -1);
  return label;
}

GtkWidget *
topout_form_entry_row_new (const char *title,
                           const char *name,
                           const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
  gtk_widget_set_name (row, name);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  return row;
}
