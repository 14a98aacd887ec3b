/* topout-ui-util.h — formatting and presentation shared by the views. */
#pragma once

#include <adwaita.h>

#include "topout-enums.h"
#include "topout-store.h"

G_BEGIN_DECLS

/* "Ada Lovelace" → "Ada L." when @short_form (kiosk mode: first name and
 * initial), else the name as stored. */
char       *topout_format_climber_name     (const char      *display_name,
                                            gboolean         short_form);
/* "1 h 05 min", "12 min", "less than a minute". */
char       *topout_format_elapsed          (gint64           usec);
/* "17:02" in @zone (NULL: local). */
char       *topout_format_time             (gint64           usec,
                                            GTimeZone       *zone);
/* "Sat 21 Nov 2026" from "2026-11-21" (localised). */
char       *topout_format_date             (const char      *date);
/* The same date short, without its weekday, and without its year in this
 * year ("21 Nov", "21 Nov 2025"): where room is scarce (a History row at
 * 360 px). */
char       *topout_format_date_short       (const char      *date);
/* A competition as the views name it: "LEAGUE · 2026-r3". */
char       *topout_format_competition      (const char      *type,
                                            const char      *id);
/* @session's competition so named; NULL when it is not a competition
 * with its whole pair. */
char       *topout_format_session_competition (TopoutSession *session);

/* Sync badge: a symbolic icon name and a CSS class ("sync-pending",
 * "sync-failed", …); the label is topout_sync_state_get_label(). */
const char *topout_sync_state_icon_name    (TopoutSyncState  state);
const char *topout_sync_state_css_class    (TopoutSyncState  state);
/* Whether a sync server is set up (the "server-url" setting); read once per
 * call, for what opens rarely (the session editor). */
gboolean    topout_sync_server_is_set_up   (void);
/* What a coach can do about a session the server refused with the
 * contract's error @code (SPEC section 4; NULL or unknown: edit it): a
 * sentence to follow the reason. @edit_helps (nullable) is set to whether
 * an edit on this device can make the server take it. */
const char *topout_rejection_advice        (const char      *code,
                                            gboolean        *edit_helps);

/* Why @session waits in sync @state (the state as shown: History's badge,
 * the editor's status) and what to do about it: the reason, and for a
 * rejection the advice by its error code (topout_rejection_advice()).
 * NULL for a state that waits for nothing (local, pending, syncing,
 * synced). @edit_helps (nullable): whether an edit can help. */
char       *topout_sync_detail             (TopoutSession   *session,
                                            TopoutSyncState  state,
                                            gboolean        *edit_helps);

/* Sets @label's text (plain, or markup if the label uses markup) only
 * when it differs: GTK 4.8 measures a label again on every set, even to the
 * same text, and that resizes everything around it. */
void        topout_label_set_text_if_changed (GtkLabel      *label,
                                              const char    *text);

/* Removes every row of @list; its placeholder stays (GTK 4.8's
 * gtk_list_box_remove() on the first child would take the placeholder too). */
void        topout_list_box_remove_rows    (GtkListBox         *list);

/* Where the keyboard focus is in @list before its rows are made again
 * (topout_list_box_refocus()), or NULL when it is elsewhere: the focused
 * row's widget name (an id), the action of its focused button, its place. */
typedef struct _TopoutListFocus TopoutListFocus;
TopoutListFocus *topout_list_box_save_focus (GtkListBox      *list);
/* Gives the focus back after the rows were made again: to the same row's
 * button of the same action, or that row; a row gone (archived), to the
 * row now in its place, or the one above; none left, where GTK put it.
 * Frees @saved; does nothing with NULL. */
void        topout_list_box_refocus        (GtkListBox         *list,
                                            TopoutListFocus    *saved);

/* Brings @list's rows to @n items, in order, touching only the rows that
 * changed: @key (i) says what item i's row shows, as "ID\x1f..." (a row
 * whose key is unchanged stays as it is; a row with the same ID and another
 * key is replaced); @make (i) builds a new row for item i. Rows past @n go;
 * the placeholder stays. */
typedef char      *(*TopoutRowKeyFunc)  (guint i, gpointer user_data);
typedef GtkWidget *(*TopoutRowMakeFunc) (guint i, gpointer user_data);
void        topout_list_box_sync_rows      (GtkListBox         *list,
                                            guint               n,
                                            TopoutRowKeyFunc    key,
                                            TopoutRowMakeFunc   make,
                                            gpointer            user_data);

/* Shows the page @name of @stack, making it visible first. GTK styles
 * every page of a stack, shown or not, and starts loading the icons of its
 * images; it skips hidden widgets. So a page that is not on screen at
 * start-up is hidden in its .ui (visible False) until it is first shown
 * here; it stays visible after that, so that transitions still crossfade. */
void        topout_stack_show_page         (GtkStack        *stack,
                                            const char      *name);

/* Shows @toast (transfer full) in the AdwToastOverlay that holds @widget. */
void        topout_show_toast              (GtkWidget       *widget,
                                            AdwToast        *toast);
/* @page is a staff page (kiosk mode): toasts shown from inside it are
 * dismissed by topout_dismiss_staff_toasts(). */
void        topout_mark_staff_page         (GtkWidget       *page);
/* Dismisses (in a moment) the toasts on @overlay shown from a staff page:
 * the kiosk locked, and they name climbers in full or offer a staff Undo. */
void        topout_dismiss_staff_toasts    (AdwToastOverlay *overlay);
/* A toast with @message (a plain string, not markup). */
AdwToast   *topout_toast_new_plain         (const char      *message);
/* A toast whose title is one line and whole at any width (a phone's 360 px,
 * a long name, a long file name): @full where it fits, else the first of
 * the shorter texts after it that fits (the last one cut if even it does
 * not). Plain strings, NULL-terminated. @full is also the description of
 * the toast's button: an Undo still says what it undoes. */
AdwToast   *topout_toast_new_fitting       (const char      *full,
                                            ...) G_GNUC_NULL_TERMINATED;
/* The title widget of such a toast (for adw_toast_set_custom_title()), and
 * its texts changed in place. */
GtkWidget  *topout_toast_title_new         (const char      *full,
                                            ...) G_GNUC_NULL_TERMINATED;
void        topout_toast_title_set         (GtkWidget       *title,
                                            const char      *full,
                                            ...) G_GNUC_NULL_TERMINATED;
/* The text @title shows in full (its first), with its name in it. */
const char *topout_toast_title_get_full    (GtkWidget       *title);
/* Gives @toast a Details button that runs @action_name with @target (for
 * a failure: a one-line toast cannot hold its reason, which the action
 * shows whole, in topout_details_dialog_new()'s dialog). */
void        topout_toast_add_details       (AdwToast        *toast,
                                            const char      *action_name,
                                            GVariant        *target);
/* The dialog over @parent that a toast's Details open: @heading, then
 * @body whole (wrapped), and a Close response; named @name (for tests).
 * Not presented: the caller may add a response first. */
GtkWidget  *topout_details_dialog_new      (GtkWindow       *parent,
                                            const char      *name,
                                            const char      *heading,
                                            const char      *body);
/* The toast of an export to the file @name that failed with @error:
 * "Could not export to NAME" (or "Export failed" where that does not fit),
 * its Details (app.show-details) showing why, whole. */
AdwToast   *topout_toast_new_export_failed (const char      *name,
                                            const GError    *error);
/* Dismisses @toast in a moment, once it has surely slid in: libadwaita 1.2
 * frees a toast dismissed while it still slides in, then reads it (a crash
 * seen in /window/sync-status). Its text cannot be changed instead (1.2's
 * toast widget keeps the title it was made with). */
void        topout_toast_dismiss_later     (AdwToast        *toast);

/* The report of an import: a dialog with @heading and @body, then the
 * notes of @report (the file read as Windows-1252, columns not read), and
 * when @report holds problems, a list of "Line N" rows with what is wrong
 * on each (named "import-report" and "import-problems" for tests). */
void        topout_show_import_report      (GtkWindow          *parent,
                                            const char         *heading,
                                            const char         *body,
                                            TopoutImportReport *report);
/* The report of a catalog or climber file imported from @file_name (by
 * @report's kind): "Catalog Imported" with the counts added, updated,
 * unchanged and retired, or "Climbers Imported", then the notes; from the
 * Catalog, the Climbers view or History alike. */
void        topout_show_file_import_report (GtkWindow          *parent,
                                            const char         *file_name,
                                            TopoutImportReport *report);
/* The report of an import that wrote nothing, "Nothing Was Imported": how
 * many lines of @file_name are wrong, and which (@problems), or when no line
 * is to blame (@problems NULL or empty), @error's message. */
void        topout_show_import_refused     (GtkWindow          *parent,
                                            const char         *file_name,
                                            TopoutImportReport *problems,
                                            const GError       *error);

/* Runs @func (@data) once, in an idle after the first frame of @widget's
 * window has been painted: for start-up work nobody sees in the first frame.
 * Nothing runs when @widget is destroyed first; @destroy frees @data in any
 * case. */
void        topout_after_first_frame       (GtkWidget       *widget,
                                            GSourceFunc      func,
                                            gpointer         data,
                                            GDestroyNotify   destroy);

/* GTK 4.8 names a widget with the labels it is "labelled by" followed by
 * its own label property, and a button with a mnemonic sets that property
 * to its raw text: screen readers heard "_Import… Import…" and "Edit Ada L.
 * Edit". Once installed (at start-up), every widget that has a name of its
 * own loses the "labelled by" relation when it is mapped, and a mnemonic
 * button is named by its text without the underscore. Later GTKs
 * prefer the label property anyway, so nothing changes there. */
void        topout_accessible_names_install (void);
/* The same mending for @widget at once: for a control named before it is
 * ever mapped (a screen reader may read it then: the rows of a collapsed
 * expander) or renamed after it was (gtk_button_set_label() gives a
 * mnemonic button its raw "_Save" again). */
void        topout_accessible_name_mend    (GtkWidget       *widget);

/* Down (or keypad Down) in @entry moves the focus to the first shown row of
 * @list, as a search field over a list is expected to (GTK moved it to
 * whatever came next in the window, or to the list's scrolled window). */
void        topout_entry_down_to_list      (GtkWidget       *entry,
                                            GtkListBox      *list);

/* Names @menu_button's inner button, the control the keyboard and screen
 * readers reach; the menu button has accessible-role "generic" (in its
 * .ui). */
void        topout_menu_button_name        (GtkMenuButton   *menu_button,
                                            const char      *name);

/* Says on @row's header row whether its rows are shown (expanded), and
 * hides its arrow from screen readers (libadwaita 1.2 does neither). */
void        topout_expander_row_mend       (AdwExpanderRow  *row);

/* GtkDropDown of GTK 4.8 is a combo box for screen readers with a toggle
 * button inside, the control the keyboard reaches, unnamed
 * ("GtkToggleButton"): a screen reader met two controls. The drop-down is
 * left a plain container (accessible-role "generic" in its .ui, as for a
 * menu button) and its button is the control: named "@name: what is
 * chosen" (kept up to date), opening a popup, described by the
 * drop-down's tooltip. */
void        topout_drop_down_name_button   (GtkDropDown     *drop_down,
                                            const char      *name);

/* For a drop-down over a GtkStringList: its list names each item for screen
 * readers (GTK 4.8's own items have no name), with a check mark by the
 * chosen one. With @max_chars > 0, its button shows the chosen string
 * ellipsized at @max_chars (a long competition once widened the window past
 * the screen) and the list each string up to twice that; with 0, both as
 * GTK does. */
void        topout_drop_down_set_string_factories (GtkDropDown *drop_down,
                                                   int          max_chars);
/* After topout_drop_down_set_string_factories() with @max_chars > 0: the
 * button's string is cut in the middle, not at its end (where its end tells
 * one choice from another: a competition's id). */
void        topout_drop_down_ellipsize_middle     (GtkDropDown *drop_down);

/* After topout_drop_down_set_string_factories() with @max_chars > 0: the
 * button shows @text when the model's first item is chosen (a filter's
 * short "All types"), the list that string itself. Set it before the model. */
void        topout_drop_down_set_first_button_text (GtkDropDown *drop_down,
                                                    const char  *text);

/* gtk_list_box_set_placeholder(), with the placeholder heard only while
 * the list shows it: GTK 4.8 keeps it in the accessibility tree beside
 * the rows ("Nobody is on the wall right now." read after the climbers on
 * the wall). A placeholder set in a .ui is left where it is. */
void        topout_list_box_set_placeholder (GtkListBox     *list,
                                             GtkWidget      *placeholder);

/* Makes the rows of @list, a read-only list, one Tab stop: Tab and Shift+Tab
 * leave it (GTK 4.8 steps through every row), the arrows move within it.
 * Tab and Shift+Tab into it land on its chosen row, if it has one (see
 * topout_list_box_row_set_chosen()), else on its first or last row. */
void        topout_list_box_one_tab_stop   (GtkListBox      *list);
/* Marks @row, built for a list made one Tab stop, as the chosen one (the
 * climber shown, the filter's climber): Tab into the list lands on it, and
 * screen readers hear it as selected. A row is marked when it is made; one
 * chosen no longer is made again. */
void        topout_list_box_row_set_chosen (GtkListBoxRow   *row);
/* The same for @list, a GtkListView or GtkGridView (GTK 4.8's go row by
 * row on Tab, through every item of the model): Tab and Shift+Tab go on
 * to what comes after or before it in the window; the arrows, Home, End,
 * Page Up and Page Down move within it, as GTK's own bindings do. */
void        topout_list_view_one_tab_stop  (GtkWidget       *list);
/* For @list, whose rows hold buttons (Edit, Archive…): Tab goes from a
 * row through its own buttons and then out of the list, Shift+Tab back to
 * the row and then out (GTK 4.8 went through every row and every button,
 * four stops a climber); Up and Down move from row to row. */
void        topout_list_box_row_tab_stops  (GtkListBox      *list);
/* For @group, a set of toggle buttons of which one is chosen (the session
 * types, the time slots): one Tab stop, Tab and Shift+Tab go on to what
 * comes after or before it, the arrows move between its buttons (eight
 * types and six slots were fourteen Tab presses from a climber to Start).
 * Tab and Shift+Tab into it land on its checked button, as in a group of
 * radio buttons (else on its first or last). Its buttons are in it already. */
void        topout_button_group_one_tab_stop (GtkWidget     *group);

/* Scrolls the scrolled window @widget is in so that @widget, just shown,
 * is in view (its bottom, never its top out of it), once it is laid out
 * and every revealer above it has finished opening. */
void        topout_scroll_into_view_when_shown (GtkWidget   *widget);
/* The same; where @widget is higher than the view, what of it ends at the
 * foot of @bottom (inside it: the controls that must be in reach) is in
 * view, its top scrolled out. */
void        topout_scroll_into_view_when_shown_full (GtkWidget *widget,
                                                     GtkWidget *bottom);
/* Scrolls @scrolled so that @area (in its coordinates: 0 is the top of what
 * shows) is in view: its bottom into view, never its top out of it. */
void        topout_scroll_area_into_view   (GtkScrolledWindow     *scrolled,
                                            const graphene_rect_t *area);

/* Gives @widget the tooltip @text that says what its accessible name says
 * (an icon's button, a row's "Edit Crimp Street"): shown to sighted users,
 * not read a second time by screen readers, as GTK 4.8 makes a tooltip
 * the accessible description too. */
void        topout_widget_set_tooltip_unheard (GtkWidget  *widget,
                                               const char *text);

/* A list row's flat button for @action with target @id: labelled with
 * @label (a mnemonic), or (@compact) its icon alone; named @accessible for
 * screen readers and as its tooltip either way (not heard twice). */
GtkWidget  *topout_row_button_new          (gboolean         compact,
                                            const char      *label,
                                            const char      *icon_name,
                                            const char      *accessible,
                                            const char      *action,
                                            const char      *id);
/* A list row's suffix showing @labelled (its buttons labelled), or
 * @compact (their icons alone) when the row is too narrow for the labels. */
GtkWidget  *topout_row_buttons_squeezer_new (GtkWidget      *labelled,
                                             GtkWidget      *compact);

/* Loads the app's style sheet once (resource style.css). */
void        topout_ui_load_style           (void);

G_END_DECLS
