/* topout-scorecard-view.c — Competition scorecard: the ranking of one
 * competition (tops, then attempts to top), live as completions are logged.
 *
 * Reads only. It follows the store's ::session-changed and ::sessions-reset,
 * coalesced in an idle, so a burst of logs refreshes the ranking once.
 */
#define G_LOG_DOMAIN "topout-scorecard-view"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "topout-export.h"
#include "topout-scorecard-view.h"
#include "topout-ui-util.h"

/* Separates type and id in the target of "scorecard.select". */
#define PAIR_SEPARATOR "\x1f"

struct _TopoutScorecardView
{
  AdwBin          parent_instance;

  TopoutStore    *store;
  TopoutKiosk    *kiosk;
  guint           refresh_idle_id;
  /* Flat (type, id, type, id, …) as the dropdown lists them. */
  GPtrArray      *pairs;
  GtkStringList  *labels;
  gboolean        filling;
  gboolean        stale;       /* changed while out of sight */
  gboolean        stacked;     /* numbers below the names (a narrow view) */
  gboolean        exporting;   /* a ranking export under way */

  GtkSizeGroup   *rank_group;
  GtkSizeGroup   *tops_group;
  GtkSizeGroup   *to_top_group;
  GtkSizeGroup   *attempts_group;

  /* Template children */
  GtkStack       *stack;
  GtkDropDown    *competition_dropdown;
  GtkListBox     *ranking_list;
  GtkWidget      *no_routes_label;
  GtkScrolledWindow *ranking_scroller;
  GtkWidget      *rank_header;
  GtkWidget      *name_header;
  GtkWidget      *tops_header;
  GtkWidget      *to_top_header;
  GtkWidget      *attempts_header;
  AdwStatusPage  *empty_page;
};

G_DEFINE_FINAL_TYPE (TopoutScorecardView, topout_scorecard_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_KIOSK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
number_label_new (const char   *css_class,
                  const char   *name,
                  GtkSizeGroup *group)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, css_class);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_set_name (label, name);
  gtk_size_group_add_widget (group, label);
  return label;
}

/* The labels of a ranking row, found again by rank_row_fill(). */
#define ROW_RANK "topout-rank"
#define ROW_NAME "topout-name"
#define ROW_TOPS "topout-tops"
#define ROW_TO_TOP "topout-to-top"
#define ROW_ATTEMPTS "topout-attempts"
/* The box of the name and the numbers: side by side, or stacked. */
#define ROW_LINES "topout-lines"

static void
lines_set_stacked (GtkWidget *lines,
                   gboolean   stacked)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (lines), stacked ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (lines), stacked ? 2 : 12);
}

/* An empty ranking row; rank_row_fill() gives it a climber. */
static GtkWidget *
rank_row_new (TopoutScorecardView *self)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *lines = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *numbers = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *rank_label = gtk_label_new (NULL);
  GtkWidget *name_label = gtk_label_new (NULL);
  GtkWidget *tops = number_label_new ("scorecard-tops", "tops", self->tops_group);
  GtkWidget *to_top = number_label_new ("scorecard-number", "attempts-to-top", self->to_top_group);
  GtkWidget *attempts = number_label_new ("scorecard-number", "attempts", self->attempts_group);

  gtk_widget_add_css_class (box, "scorecard-row");

  gtk_label_set_xalign (GTK_LABEL (rank_label), 0.5);
  gtk_widget_add_css_class (rank_label, "scorecard-rank");
  gtk_widget_add_css_class (rank_label, "numeric");
  gtk_widget_set_name (rank_label, "rank");
  gtk_size_group_add_widget (self->rank_group, rank_label);
  gtk_box_append (GTK_BOX (box), rank_label);

  /* Side by side, the name takes what the numbers leave; stacked (a
   * narrow view), the whole line above them. */
  gtk_widget_set_hexpand (lines, TRUE);
  lines_set_stacked (lines, self->stacked);
  gtk_box_append (GTK_BOX (box), lines);

  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name_label, TRUE);
  gtk_widget_add_css_class (name_label, "scorecard-name");
  gtk_widget_set_name (name_label, "climber");
  gtk_box_append (GTK_BOX (lines), name_label);

  /* At the end of the row either way, under the column headers. */
  gtk_widget_set_halign (numbers, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (numbers), tops);
  gtk_box_append (GTK_BOX (numbers), to_top);
  gtk_box_append (GTK_BOX (numbers), attempts);
  gtk_box_append (GTK_BOX (lines), numbers);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data (G_OBJECT (row), ROW_RANK, rank_label);
  g_object_set_data (G_OBJECT (row), ROW_NAME, name_label);
  g_object_set_data (G_OBJECT (row), ROW_TOPS, tops);
  g_object_set_data (G_OBJECT (row), ROW_TO_TOP, to_top);
  g_object_set_data (G_OBJECT (row), ROW_ATTEMPTS, attempts);
  g_object_set_data (G_OBJECT (row), ROW_LINES, lines);
  return row;
}

static void
set_number (GtkWidget  *row,
            const char *key,
            guint       value)
{
  g_autofree char *text = g_strdup_printf ("%u", value);

  gtk_label_set_text (g_object_get_data (G_OBJECT (row), key), text);
}

/* Shows @rank in @row. A live change fills the rows already there, so the
 * ranking keeps its scroll position and the keyboard focus its place. */
static void
rank_row_fill (TopoutScorecardView *self,
               GtkWidget           *row,
               TopoutScorecardRank *rank,
               const char          *name)
{
  guint position = rank->place;
  /* Translators: a place shared by climbers tied on tops and attempts to
   * top, as a results list writes it ("2=", or "=2", "T2"). */
  g_autofree char *position_text = g_strdup_printf (rank->tied ? C_("scorecard place", "%u=") : "%u", position);
  g_autofree char *accessible = NULL;

  /* On the podium with a top at least: where nobody has topped yet (the
   * first minutes of a round, a hard one), everyone shares "1=" and none
   * is shown as winning. */
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *podium = g_strdup_printf ("scorecard-podium-%u", i);

      if (i == position && rank->tops > 0)
        gtk_widget_add_css_class (row, podium);
      else
        gtk_widget_remove_css_class (row, podium);
    }

  gtk_label_set_text (g_object_get_data (G_OBJECT (row), ROW_RANK), position_text);
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), ROW_NAME), name);
  set_number (row, ROW_TOPS, rank->tops);
  set_number (row, ROW_ATTEMPTS, rank->attempts);
  gtk_widget_set_name (row, rank->climber_id);
  {
    g_autofree char *tops = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u top", "%u tops", rank->tops),
                                             rank->tops);
    g_autofree char *to_top = NULL;
    g_autofree char *attempts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attempt", "%u attempts",
                                                              rank->attempts),
                                                 rank->attempts);
    GtkWidget *to_top_label = g_object_get_data (G_OBJECT (row), ROW_TO_TOP);

    if (rank->tops == 0)
      {
        /* No top, so nothing to count: an en dash, not a "0" that reads as
         * topped without an attempt. */
        /* Translators: what a screen reader says for the attempts to top of
         * a climber who has not topped a climb, in place of "5 attempts to top". */
        to_top = g_strdup (_("attempts to top: none"));
        gtk_label_set_text (GTK_LABEL (to_top_label), "\u2013");
        gtk_accessible_update_property (GTK_ACCESSIBLE (to_top_label), GTK_ACCESSIBLE_PROPERTY_LABEL, to_top, -1);
      }
    else
      {
        to_top = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attempt to top", "%u attempts to top",
                                               rank->attempts_to_top),
                                  rank->attempts_to_top);
        set_number (row, ROW_TO_TOP, rank->attempts_to_top);
        /* Named by its number again. Not reset: GTK 4.8 then keeps an
         * undefined label that hides the text, and a screen reader heard
         * "GtkLabel" for every climber who had topped. */
        gtk_accessible_update_property (GTK_ACCESSIBLE (to_top_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        gtk_label_get_text (GTK_LABEL (to_top_label)), -1);
      }

    if (rank->tied)
      /* Translators: what a screen reader says for a ranking row whose place
       * is shared with another climber: the place, the climber, then
       * "3 tops", "5 attempts to top", "9 attempts". */
      accessible = g_strdup_printf (_("%u. (tied) %s: %s, %s, %s"), position, name, tops, to_top, attempts);
    else
      /* Translators: what a screen reader says for a ranking row: the place,
       * the climber, then "3 tops", "5 attempts to top", "9 attempts". */
      accessible = g_strdup_printf (_("%u. %s: %s, %s, %s"), position, name, tops, to_top, attempts);
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

/* The ranking of the chosen competition, in the rows already there (more
 * added, the rest taken away). */
static void
load_ranking (TopoutScorecardView *self)
{
  guint selected = gtk_drop_down_get_selected (self->competition_dropdown);
  g_autoptr (GPtrArray) ranking = NULL;
  g_auto (GStrv) names = NULL;
  GtkListBoxRow *extra;

  if (self->store != NULL && selected != GTK_INVALID_LIST_POSITION && 2 * selected + 1 < self->pairs->len)
    ranking = topout_store_rank_competition (self->store,
                                             g_ptr_array_index (self->pairs, 2 * selected),
                                             g_ptr_array_index (self->pairs, 2 * selected + 1));
  /* On the kiosk, first names and initials, told apart where two would
   * read alike ("Bo Ki.", "Bo Kl."): the ranking is on the front desk's
   * screen, where a climber looks for their own row. */
  if (ranking != NULL && self->kiosk != NULL && topout_kiosk_get_short_names (self->kiosk))
    {
      g_autofree const char **full = g_new0 (const char *, ranking->len + 1);

      for (guint i = 0; i < ranking->len; i++)
        full[i] = ((TopoutScorecardRank *) g_ptr_array_index (ranking, i))->climber_name;
      names = topout_kiosk_short_names (full, ranking->len);
    }
  for (guint i = 0; ranking != NULL && i < ranking->len; i++)
    {
      GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->ranking_list, (int) i));
      TopoutScorecardRank *rank = g_ptr_array_index (ranking, i);
      g_autofree char *name = names != NULL ? g_strdup (names[i])
                                            : topout_format_climber_name (rank->climber_name, FALSE);

      if (row == NULL)
        {
          row = rank_row_new (self);
          gtk_list_box_append (self->ranking_list, row);
        }
      rank_row_fill (self, row, rank, name);
    }
  while ((extra = gtk_list_box_get_row_at_index (self->ranking_list, ranking != NULL ? (int) ranking->len : 0)))
    gtk_list_box_remove (self->ranking_list, GTK_WIDGET (extra));
  /* A competition whose sessions have no route yet (a round just
   * started) lists its climbers, and says so below them. Every route has
   * an attempt at least. */
  gtk_widget_set_visible (GTK_WIDGET (self->ranking_list), ranking != NULL && ranking->len > 0);
  {
    gboolean no_routes = ranking != NULL;

    for (guint i = 0; no_routes && i < ranking->len; i++)
      no_routes = ((TopoutScorecardRank *) g_ptr_array_index (ranking, i))->attempts == 0;
    gtk_widget_set_visible (self->no_routes_label, no_routes);
  }
}

static gboolean
same_pairs (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

static guint
find_pair (GPtrArray  *pairs,
           const char *type,
           const char *id)
{
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    if (g_strcmp0 (g_ptr_array_index (pairs, i), type) == 0 &&
        g_strcmp0 (g_ptr_array_index (pairs, i + 1), id) == 0)
      return i / 2;
  return GTK_INVALID_LIST_POSITION;
}

/* Reloads the competitions (keeping the chosen one) and the ranking. */
static void
refresh (TopoutScorecardView *self)
{
  g_autoptr (GPtrArray) pairs = NULL;

  g_clear_handle_id (&self->refresh_idle_id, g_source_remove);
  self->stale = FALSE;
  if (self->store == NULL)
    return;

  pairs = topout_store_list_competitions (self->store);
  if (!same_pairs (pairs, self->pairs))
    {
      guint selected = gtk_drop_down_get_selected (self->competition_dropdown);
      g_autofree char *type = NULL;
      g_autofree char *id = NULL;
      g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
      guint position;

      if (selected != GTK_INVALID_LIST_POSITION && 2 * selected + 1 < self->pairs->len)
        {
          type = g_strdup (g_ptr_array_index (self->pairs, 2 * selected));
          id = g_strdup (g_ptr_array_index (self->pairs, 2 * selected + 1));
        }

      for (guint i = 0; i + 1 < pairs->len; i += 2)
        g_ptr_array_add (labels, topout_format_competition (g_ptr_array_index (pairs, i),
                                                            g_ptr_array_index (pairs, i + 1)));
      g_ptr_array_add (labels, NULL);

      g_ptr_array_unref (self->pairs);
      self->pairs = g_ptr_array_ref (pairs);

      self->filling = TRUE;
      gtk_string_list_splice (self->labels, 0, g_list_model_get_n_items (G_LIST_MODEL (self->labels)),
                              (const char * const *) labels->pdata);
      position = type ? find_pair (self->pairs, type, id) : GTK_INVALID_LIST_POSITION;
      if (position == GTK_INVALID_LIST_POSITION && self->pairs->len > 0)
        position = 0;  /* the most recent competition */
      gtk_drop_down_set_selected (self->competition_dropdown, position);
      self->filling = FALSE;
    }

  gtk_stack_set_visible_child_name (self->stack, self->pairs->len > 0 ? "ranking" : "empty");
  load_ranking (self);
}

static gboolean
refresh_idle_cb (gpointer data)
{
  TopoutScorecardView *self = data;

  self->refresh_idle_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* A burst of store changes refreshes once; out of sight, not until the
 * view is shown again. */
static void
queue_refresh (TopoutScorecardView *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->stale = TRUE;
  else if (self->refresh_idle_id == 0)
    self->refresh_idle_id = g_idle_add (refresh_idle_cb, self);
}

static void
mapped_cb (TopoutScorecardView *self)
{
  if (self->stale)
    refresh (self);
}

static void
selected_changed_cb (TopoutScorecardView *self)
{
  if (self->filling)
    return;
  load_ranking (self);
  /* Another competition is read from its first place. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->ranking_scroller), 0);
}

/* "scorecard.select": "TYPE\x1fid", or a ("TYPE", "id") tuple. */
static void
select_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TopoutScorecardView *self = TOPOUT_SCORECARD_VIEW (widget);
  g_auto (GStrv) parts = NULL;
  const char *type = NULL;
  const char *id = NULL;
  guint position;

  if (g_variant_is_of_type (param, G_VARIANT_TYPE_STRING))
    {
      parts = g_strsplit (g_variant_get_string (param, NULL), PAIR_SEPARATOR, 2);
      if (g_strv_length (parts) != 2)
        {
          g_warning ("scorecard.select needs “type\\x1fid”");
          return;
        }
      type = parts[0];
      id = parts[1];
    }
  else if (g_variant_is_of_type (param, G_VARIANT_TYPE ("(ss)")))
    g_variant_get (param, "(&s&s)", &type, &id);
  else
    return;

  refresh (self);
  position = find_pair (self->pairs, type, id);
  if (position == GTK_INVALID_LIST_POSITION)
    {
      /* Translators: a toast when a competition has no scorecard */
      g_autofree char *message = g_strdup_printf (_("No scorecard for %s · %s yet"), type, id);

      /* Translators: the same toast, one line at 360 px, where the
       * competition's name does not fit */
      topout_show_toast (widget, topout_toast_new_fitting (message, _("No scorecard yet"), NULL));
      return;
    }
  gtk_drop_down_set_selected (self->competition_dropdown, position);
}

/* Export Ranking ---------------------------------------------------------------
 * The chosen competition's ranking as CSV for the league's spreadsheet
 * (topout_store_export_ranking_to_file()), behind the staff PIN on the
 * kiosk as History's export is: the Scorecard itself is the climbers'. The
 * pair is the one chosen when Export was pressed; the file is written in a
 * thread on a connection of its own. */

typedef struct {
  TopoutStore  *app_store;
  char         *type;
  char         *id;
  GFile        *file;
  guint         n_climbers;
} RankingExport;

static void
ranking_export_free (gpointer data)
{
  RankingExport *e = data;

  g_clear_object (&e->app_store);
  g_free (e->type);
  g_free (e->id);
  g_clear_object (&e->file);
  g_free (e);
}

static void
ranking_export_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  RankingExport *e = task_data;
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GError) error = NULL;

  if ((store = topout_store_open_another (e->app_store, &error)) != NULL &&
      topout_store_export_ranking_to_file (store, e->type, e->id, e->file, NULL, &e->n_climbers, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
ranking_export_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  TopoutScorecardView *self = TOPOUT_SCORECARD_VIEW (source);
  RankingExport *e = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_file_get_basename (e->file);
  g_autofree char *message = NULL;

  self->exporting = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scorecard.export", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scorecard.export-to", TRUE);
  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      topout_show_toast (GTK_WIDGET (self), topout_toast_new_export_failed (name, error));
      return;
    }
  /* Translators: how many climbers the exported ranking lists, then
   * the file's name. */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported the ranking of %u climber to %s",
                                          "Exported the ranking of %u climbers to %s", e->n_climbers),
                             e->n_climbers, name);
  topout_show_toast (GTK_WIDGET (self),
                     topout_toast_new_fitting (message,
                                               /* Translators: the same toast, one line at 360 px,
                                                * where the file's name does not fit */
                                               _("Ranking exported"), NULL));
}

static void
export_ranking (TopoutScorecardView *self,
                const char          *type,
                const char          *id,
                GFile               *file)
{
  g_autoptr (GTask) task = NULL;
  RankingExport *e;

  if (self->exporting || self->store == NULL)
    return;
  e = g_new0 (RankingExport, 1);
  e->app_store = g_object_ref (self->store);
  e->type = g_strdup (type);
  e->id = g_strdup (id);
  e->file = g_object_ref (file);
  self->exporting = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scorecard.export", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scorecard.export-to", FALSE);

  task = g_task_new (self, NULL, ranking_export_done_cb, NULL);
  g_task_set_source_tag (task, export_ranking);
  g_task_set_task_data (task, e, ranking_export_free);
  g_task_run_in_thread (task, ranking_export_thread);
}

/* ("TYPE", "id", uri), as staff. */
static void
export_ranking_uri (GtkWidget *widget,
                    GVariant  *param)
{
  const char *type, *id, *uri;
  g_autoptr (GFile) file = NULL;

  g_variant_get (param, "(&s&s&s)", &type, &id, &uri);
  file = g_file_new_for_uri (uri);
  export_ranking (TOPOUT_SCORECARD_VIEW (widget), type, id, file);
}

/* The chooser's answer, through the PIN again: the chooser may have stayed
 * open after the kiosk locked. */
static void
ranking_chooser_response_cb (GtkNativeDialog     *chooser,
                             int                  response,
                             TopoutScorecardView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      const char *type = g_object_get_data (G_OBJECT (chooser), "type");
      const char *id = g_object_get_data (G_OBJECT (chooser), "id");

      if (file != NULL)
        {
          g_autofree char *uri = g_file_get_uri (file);

          topout_kiosk_run_as_staff (self->kiosk, GTK_WIDGET (self), export_ranking_uri,
                                     g_variant_new ("(sss)", type, id, uri));
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/* ("TYPE", "id"), as staff: the file chooser. */
static void
show_ranking_chooser (GtkWidget *widget,
                      GVariant  *param)
{
  TopoutScorecardView *self = TOPOUT_SCORECARD_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  const char *type, *id;
  g_autofree char *name = NULL;

  g_variant_get (param, "(&s&s)", &type, &id);
  /* Through the file chooser portal inside a sandbox. */
  chooser = gtk_file_chooser_native_new (_("Export Ranking"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* The pair names the file ("Boulder League 2026-round-3.csv"), no '/'. */
  name = g_strdup_printf ("%s %s.csv", type, id);
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "type", g_strdup (type), g_free);
  g_object_set_data_full (G_OBJECT (chooser), "id", g_strdup (id), g_free);
  g_signal_connect_object (chooser, "response", G_CALLBACK (ranking_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The pair chosen now, or FALSE. */
static gboolean
chosen_pair (TopoutScorecardView  *self,
             const char          **type,
             const char          **id)
{
  guint selected = gtk_drop_down_get_selected (self->competition_dropdown);

  if (selected == GTK_INVALID_LIST_POSITION || 2 * selected + 1 >= self->pairs->len)
    return FALSE;
  *type = g_ptr_array_index (self->pairs, 2 * selected);
  *id = g_ptr_array_index (self->pairs, 2 * selected + 1);
  return TRUE;
}

/* "scorecard.export": Export Ranking…, the PIN on the kiosk, then the file
 * chooser. */
static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TopoutScorecardView *self = TOPOUT_SCORECARD_VIEW (widget);
  const char *type, *id;

  if (chosen_pair (self, &type, &id))
    topout_kiosk_run_as_staff (self->kiosk, widget, show_ranking_chooser, g_variant_new ("(ss)", type, id));
}

/* "scorecard.export-to": without the file chooser (tests, scripts), the
 * chosen competition into a path. */
static void
export_to_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TopoutScorecardView *self = TOPOUT_SCORECARD_VIEW (widget);
  g_autoptr (GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));
  const char *type, *id;

  if (chosen_pair (self, &type, &id))
    export_ranking (self, type, id, file);
}

/* A narrow view ---------------------------------------------------------------
 * The number columns keep their width (their headers do not wrap in GTK
 * 4.8's box) and the name had the rest: a few letters at the window's
 * minimum width. Where the name column would be narrower than about 16
 * characters of a name, each row puts its numbers on a line of their own
 * below the name, under the same column headers (one of them shorter),
 * and the name has the whole width. The choice is made on the width the
 * name column has, or would have, beside the long headers, so it does not
 * go back and forth. */

#define NAME_CHARS 16

/* The long column header never counts towards the view's minimum width
 * (it may ellipsize): side by side the name column is wide, so it has its
 * natural width there; stacked, the short one does, whole. The full name
 * stays in the header's tooltip, and in each row's accessible label. */
static void
header_set_stacked (TopoutScorecardView *self,
                    gboolean             stacked)
{
  GtkLabel *label = GTK_LABEL (self->to_top_header);

  gtk_label_set_label (label,
                       /* Translators: the column "Attempts to top" of the
                        * scorecard where the window is narrow: as short as
                        * it can be read. */
                       stacked ? C_("scorecard column", "To top") : _("Attempts to top"));
  gtk_label_set_ellipsize (label, stacked ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
}

static gboolean
name_column_too_narrow (TopoutScorecardView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->ranking_list, 0);
  GtkWidget *name;
  PangoFontMetrics *metrics;
  int name_width;
  int wanted;

  if (row == NULL)
    return self->stacked;
  name_width = gtk_widget_get_width (self->name_header);
  if (self->stacked)
    {
      /* The width it would have beside the long column header. */
      g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (self->to_top_header, _("Attempts to top"));
      int long_width = 0;

      pango_layout_get_pixel_size (layout, &long_width, NULL);
      name_width -= MAX (0, long_width - gtk_widget_get_width (self->to_top_header));
    }
  name = g_object_get_data (G_OBJECT (row), ROW_NAME);
  /* The names' own font (the theme's, and the text scaling). */
  metrics = pango_context_get_metrics (gtk_widget_get_pango_context (name), NULL, NULL);
  wanted = NAME_CHARS * pango_font_metrics_get_approximate_char_width (metrics) / PANGO_SCALE;
  pango_font_metrics_unref (metrics);
  return name_width < wanted;
}

/* The view lays out its child itself (AdwBin's layout manager would not
 * tell it its width). */
static void
topout_scorecard_view_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
allocate_child (GtkWidget *widget,
                int        width,
                int        height,
                int        baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
topout_scorecard_view_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline)
{
  TopoutScorecardView *self = TOPOUT_SCORECARD_VIEW (widget);
  gboolean stacked;

  allocate_child (widget, width, height, baseline);
  if (!gtk_widget_get_mapped (self->name_header))
    return;
  stacked = name_column_too_narrow (self);
  if (stacked == self->stacked)
    return;

  self->stacked = stacked;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->ranking_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_object_get_data (G_OBJECT (row), ROW_LINES) != NULL)
      lines_set_stacked (g_object_get_data (G_OBJECT (row), ROW_LINES), stacked);
  header_set_stacked (self, stacked);
  if (stacked)
    gtk_widget_add_css_class (widget, "stacked");
  else
    gtk_widget_remove_css_class (widget, "stacked");
  /* Laid out again at once: the rows' allocations are only good for the
   * layout they were measured with. */
  allocate_child (widget, width, height, baseline);
}

/* Finding a competition ----------------------------------------------------------
 * A season holds dozens: the picker's list has a search field at its top,
 * GtkDropDown's own (its filter over the labels). GTK 4.8 matches only
 * the start of a label ("LEAGUE · 2026-r3"), so "r3" found nothing: the
 * filter matches anywhere in it, the type or the id, in any case. Typing
 * in the open list goes to the field, Enter there picks the first match. */

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The list the picker's popover shows (the competitions that match). */
static GListModel *
shown_competitions (TopoutScorecardView *self)
{
  GtkWidget *list = find_descendant (GTK_WIDGET (self->competition_dropdown), GTK_TYPE_LIST_VIEW);

  return list != NULL ? G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list))) : NULL;
}

/* Enter in the search field: the first competition that matches. */
static void
search_activate_cb (TopoutScorecardView *self)
{
  GListModel *shown = shown_competitions (self);
  g_autoptr (GObject) first = shown != NULL ? g_list_model_get_item (shown, 0) : NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->labels));

  if (first == NULL)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (G_LIST_MODEL (self->labels), i);

      if (item == first)
        {
          GtkWidget *popover = find_descendant (GTK_WIDGET (self->competition_dropdown), GTK_TYPE_POPOVER);

          gtk_drop_down_set_selected (self->competition_dropdown, i);
          if (popover != NULL)
            gtk_popover_popdown (GTK_POPOVER (popover));
          return;
        }
    }
}

static void
picker_enable_search (TopoutScorecardView *self)
{
  GtkWidget *dropdown = GTK_WIDGET (self->competition_dropdown);
  GtkWidget *search, *list;
  GListModel *shown;
  g_autoptr (GtkExpression) expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

  gtk_drop_down_set_expression (self->competition_dropdown, expression);
  gtk_drop_down_set_enable_search (self->competition_dropdown, TRUE);

  shown = shown_competitions (self);
  if (shown != NULL && GTK_IS_SINGLE_SELECTION (shown))
    {
      GListModel *filtered = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (shown));

      if (GTK_IS_FILTER_LIST_MODEL (filtered) &&
          GTK_IS_STRING_FILTER (gtk_filter_list_model_get_filter (GTK_FILTER_LIST_MODEL (filtered))))
        {
          GtkStringFilter *filter = GTK_STRING_FILTER (gtk_filter_list_model_get_filter (GTK_FILTER_LIST_MODEL (filtered)));

          gtk_string_filter_set_match_mode (filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
          gtk_string_filter_set_ignore_case (filter, TRUE);
        }
    }

  search = find_descendant (dropdown, GTK_TYPE_SEARCH_ENTRY);
  list = find_descendant (dropdown, GTK_TYPE_LIST_VIEW);
  if (search == NULL)
    return;
  gtk_widget_set_name (search, "competition-search");
  /* Translators: the search field at the top of the list of competitions */
  g_object_set (search, "placeholder-text", _("Search by type or id"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Find a competition"), -1);
  if (list != NULL)
    gtk_search_entry_set_key_capture_widget (GTK_SEARCH_ENTRY (search), list);
  g_signal_connect_object (search, "activate", G_CALLBACK (search_activate_cb), self, G_CONNECT_SWAPPED);
}

/* GObject ---------------------------------------------------------------------- */

static void
topout_scorecard_view_constructed (GObject *object)
{
  TopoutScorecardView *self = TOPOUT_SCORECARD_VIEW (object);

  G_OBJECT_CLASS (topout_scorecard_view_parent_class)->constructed (object);

  if (self->store != NULL)
    {
      g_signal_connect_object (self->store, "session-changed", G_CALLBACK (queue_refresh), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "sessions-reset", G_CALLBACK (queue_refresh), self, G_CONNECT_SWAPPED);
    }
  if (self->kiosk != NULL)
    g_signal_connect_object (self->kiosk, "notify::short-names", G_CALLBACK (queue_refresh), self, G_CONNECT_SWAPPED);
  refresh (self);
}

static void
topout_scorecard_view_dispose (GObject *object)
{
  TopoutScorecardView *self = TOPOUT_SCORECARD_VIEW (object);

  g_clear_handle_id (&self->refresh_idle_id, g_source_remove);

  G_OBJECT_CLASS (topout_scorecard_view_parent_class)->dispose (object);
}

static void
topout_scorecard_view_finalize (GObject *object)
{
  TopoutScorecardView *self = TOPOUT_SCORECARD_VIEW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->kiosk);
  g_clear_pointer (&self->pairs, g_ptr_array_unref);
  g_clear_object (&self->labels);
  g_clear_object (&self->rank_group);
  g_clear_object (&self->tops_group);
  g_clear_object (&self->to_top_group);
  g_clear_object (&self->attempts_group);

  G_OBJECT_CLASS (topout_scorecard_view_parent_class)->finalize (object);
}

static void
topout_scorecard_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TopoutScorecardView *self = TOPOUT_SCORECARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_KIOSK:
      g_value_set_object (value, self->kiosk);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_scorecard_view_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TopoutScorecardView *self = TOPOUT_SCORECARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_KIOSK:
      self->kiosk = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_scorecard_view_class_init (TopoutScorecardViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = topout_scorecard_view_constructed;
  object_class->dispose = topout_scorecard_view_dispose;
  object_class->finalize = topout_scorecard_view_finalize;
  object_class->get_property = topout_scorecard_view_get_property;
  object_class->set_property = topout_scorecard_view_set_property;

  widget_class->measure = topout_scorecard_view_measure;
  widget_class->size_allocate = topout_scorecard_view_size_allocate;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TOPOUT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIOSK] =
    g_param_spec_object ("kiosk", NULL, NULL, TOPOUT_TYPE_KIOSK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/topout-scorecard-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TopoutScorecardView, stack);
  gtk_widget_class_bind_template_child (widget_class, TopoutScorecardView, competition_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TopoutScorecardView, ranking_list);
  gtk_widget_class_bind_template_child (widget_class, TopoutScorecardView, no_routes_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutScorecardView, ranking_scroller);
  gtk_widget_class_bind_template_child (widget_class, TopoutScorecardView, rank_header);
  gtk_widget_class_bind_template_child (widget_class, TopoutScorecardView, name_header);
  gtk_widget_class_bind_template_child (widget_class, TopoutScorecardView, tops_header);
  gtk_widget_class_bind_template_child (widget_class, TopoutScorecardView, to_top_header);
  gtk_widget_class_bind_template_child (widget_class, TopoutScorecardView, attempts_header);
  gtk_widget_class_bind_template_child (widget_class, TopoutScorecardView, empty_page);

  /* "TYPE\x1fid"; "scorecard.select-pair" takes ("TYPE", "id"). */
  gtk_widget_class_install_action (widget_class, "scorecard.select", "s", select_action);
  gtk_widget_class_install_action (widget_class, "scorecard.select-pair", "(ss)", select_action);
  gtk_widget_class_install_action (widget_class, "scorecard.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "scorecard.export-to", "s", export_to_action);

  gtk_widget_class_set_css_name (widget_class, "scorecardview");
}

static void
topout_scorecard_view_init (TopoutScorecardView *self)
{
  /* topout_scorecard_view_size_allocate() lays out the child. */
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  topout_drop_down_name_button (self->competition_dropdown, _("Competition"));
  topout_drop_down_set_string_factories (self->competition_dropdown, 40);
  /* "Boulder League · 2026-round-3" at 420 px read "Boulder League ·
   * 2026-round…": the id's end, the round, is what tells two apart. */
  topout_drop_down_ellipsize_middle (self->competition_dropdown);
  topout_list_box_one_tab_stop (self->ranking_list);
  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);

  self->pairs = g_ptr_array_new_with_free_func (g_free);
  self->labels = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->competition_dropdown, G_LIST_MODEL (self->labels));
  picker_enable_search (self);
  g_signal_connect_object (self->competition_dropdown, "notify::selected",
                           G_CALLBACK (selected_changed_cb), self, G_CONNECT_SWAPPED);

  self->rank_group = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  self->tops_group = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  self->to_top_group = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  self->attempts_group = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  gtk_size_group_add_widget (self->rank_group, self->rank_header);
  gtk_size_group_add_widget (self->tops_group, self->tops_header);
  gtk_size_group_add_widget (self->to_top_group, self->to_top_header);
  gtk_size_group_add_widget (self->attempts_group, self->attempts_header);
  header_set_stacked (self, FALSE);
}

GtkWidget *
topout_scorecard_view_new (TopoutStore *store,
                           TopoutKiosk *kiosk)
{
  return g_object_new (TOPOUT_TYPE_SCORECARD_VIEW, "store", store, "kiosk", kiosk, NULL);
}
