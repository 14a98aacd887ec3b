#define G_LOG_DOMAIN "topout-desk-view"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "topout-desk-view.h"
#include "topout-session-panel.h"
#include "topout-ui-util.h"

#define CLIMBER_LIMIT 50
#define TICK_SECONDS  30
/* Climber rows built at once: as many as a window of the default size
 * (1100 × 760) shows, the ninth in part. The rest (below the fold of the
 * list) come after the next frame is painted, so a long list does not delay
 * it: each row costs about 2 M instructions before the first frame, most of
 * it GTK 4.8 measuring and styling its widgets (see desk_row_new()). */
#define CLIMBERS_AT_ONCE 9

struct _TopoutDeskView
{
  AdwBin              parent_instance;

  TopoutStore        *store;
  TopoutKiosk        *kiosk;
  TopoutSessionPanel *panel;
  char               *selected_id;
  GPtrArray          *matches;       /* of TopoutClimber*, as listed */
  char              **match_names;   /* their kiosk short names, or NULL (full names) */
  GPtrArray          *active;        /* of TopoutSession*: On the wall now, as listed */
  char              **wall_names;    /* their climbers' names as shown */
  char               *panel_name;    /* the panel's climber's short name, or NULL */
  guint               tick_id;
  guint               rows_built;    /* of matches; the rest come later */
  gulong              after_paint_id;
  GdkFrameClock      *after_paint_clock;
  guint               more_rows_id;

  /* Template children */
  AdwLeaflet         *leaflet;
  GtkSearchEntry     *search_entry;
  GtkLabel           *search_error;
  char               *error_text;   /* the search's text when the error was said */
  GtkStack           *sidebar_stack;
  GtkBox             *lists_box;
  GtkWidget          *wall_section;
  GtkWidget          *climbers_section;
  GtkLabel           *climbers_heading;
  GtkListBox         *climber_list;
  GtkWidget          *more_hint;
  GtkListBox         *wall_list;
  GtkBox             *panel_box;
  GtkWidget          *back_bar;
};

G_DEFINE_FINAL_TYPE (TopoutDeskView, topout_desk_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_KIOSK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
short_names (TopoutDeskView *self)
{
  return self->kiosk != NULL && topout_kiosk_get_short_names (self->kiosk);
}

/* "Ada Lovelace, M-0001" → name "Ada Lovelace", member code "M-0001". */
static void
parse_search (TopoutDeskView  *self,
              char           **name_out,
              char           **code_out)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *comma = strchr (text, ',');
  char *name = comma ? g_strndup (text, comma - text) : g_strdup (text);
  char *code = comma ? g_strdup (comma + 1) : NULL;

  g_strstrip (name);
  if (code != NULL && *g_strstrip (code) == '\0')
    g_clear_pointer (&code, g_free);
  *name_out = name;
  *code_out = code;
}

/* A row is named by one text for everything it shows. An action row is
 * named by its title and described by its subtitle: it drops both, or
 * screen readers say everything twice. */
static void
set_row_name (GtkWidget  *row,
              const char *name)
{
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static GtkWidget *
one_line_label (const char *text,
                const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

/* A row of the desk's lists: a name and a line under it, each on one line,
 * ellipsized (the caller makes the whole text the row's tooltip and
 * accessible name), so every row has one height, easy to scan and to hit;
 * a check at its end when @selected. Activating it runs @action with
 * @target. It has the nodes and style classes of libadwaita's action row
 * (row > box.header > box.title > label.title, label.subtitle), so it looks
 * the same, but it is not one: in libadwaita 1.2 an action row's labels
 * always wrap, at any character, and GTK 4.8 finds a wrapping label's
 * minimum width by laying it out broken at every place it may break. Nine
 * climber rows as action rows cost the main thread 24 M instructions more
 * before the first frame (callgrind, 100k sessions: 766.9 against 742.5 M),
 * about 8 ms here. */
static GtkWidget *
desk_row_new (const char *title,
              const char *subtitle,
              const char *action,
              const char *target,
              gboolean    selected)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *title_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *subtitle_label = one_line_label (subtitle, "subtitle");

  gtk_widget_add_css_class (header, "header");
  gtk_widget_set_valign (header, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (title_box, "title");
  gtk_widget_set_valign (title_box, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (title_box, TRUE);
  gtk_box_append (GTK_BOX (title_box), one_line_label (title, "title"));
  gtk_widget_set_visible (subtitle_label, subtitle != NULL && *subtitle != '\0');
  gtk_box_append (GTK_BOX (title_box), subtitle_label);
  gtk_box_append (GTK_BOX (header), title_box);
  g_object_set_data (G_OBJECT (row), "topout-subtitle", subtitle_label);
  g_object_set_data (G_OBJECT (row), "topout-title-label", gtk_widget_get_first_child (title_box));
  g_object_set_data_full (G_OBJECT (row), "topout-title", g_strdup (title), g_free);

  if (selected)
    {
      GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

      gtk_widget_set_tooltip_text (check, _("Shown on the right"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Selected"), -1);
      gtk_box_append (GTK_BOX (header), check);
      gtk_widget_add_css_class (row, "desk-selected");
      /* Tab into the list lands on it. */
      topout_list_box_row_set_chosen (GTK_LIST_BOX_ROW (row));
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), header);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", target);
  gtk_widget_add_css_class (row, "big-row");
  return row;
}

static void
desk_row_set_subtitle (GtkWidget  *row,
                       const char *subtitle)
{
  GtkWidget *label = g_object_get_data (G_OBJECT (row), "topout-subtitle");

  gtk_label_set_label (GTK_LABEL (label), subtitle);
  gtk_widget_set_visible (label, subtitle != NULL && *subtitle != '\0');
}

static void
desk_row_set_title (GtkWidget  *row,
                    const char *title)
{
  GtkWidget *label = g_object_get_data (G_OBJECT (row), "topout-title-label");

  gtk_label_set_label (GTK_LABEL (label), title);
  g_object_set_data_full (G_OBJECT (row), "topout-title", g_strdup (title), g_free);
}

/* The index in @names of the climber @climber_id named @name, added when
 * new: a climber the desk shows twice (listed and on the wall) is one. */
static guint
name_index (GHashTable *seen,
            GPtrArray  *names,
            const char *climber_id,
            const char *name)
{
  gpointer at = climber_id != NULL ? g_hash_table_lookup (seen, climber_id) : NULL;

  if (at != NULL)
    return GPOINTER_TO_UINT (at) - 1;
  g_ptr_array_add (names, (gpointer) name);
  if (climber_id != NULL)
    g_hash_table_insert (seen, (gpointer) climber_id, GUINT_TO_POINTER (names->len));
  return names->len - 1;
}

static gboolean
same_names (char **a,
            char **b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strv_equal ((const char *const *) a, (const char *const *) b);
}

/* The kiosk's short names of everyone the desk shows, worked out together
 * (the Climbers list, On the wall now and the panel's climber) and told
 * apart where two would read alike: Bo Kim alone on the wall beside Bo
 * Kline in the list reads "Bo Ki." on the wall, in the list and in the
 * panel, one name for a climber on the whole screen. At most the listed
 * climbers and the wall's rows, from what the lists hold: no store query.
 * Sets match_names (NULL when full names are shown), wall_names and
 * panel_name; TRUE when wall_names changed. */
static gboolean
work_out_names (TopoutDeskView *self)
{
  g_auto (GStrv) old_wall = g_steal_pointer (&self->wall_names);
  guint n_matches = self->matches != NULL ? self->matches->len : 0;
  guint n_wall = self->active != NULL ? self->active->len : 0;

  g_clear_pointer (&self->match_names, g_strfreev);
  g_clear_pointer (&self->panel_name, g_free);
  if (!short_names (self))
    {
      self->wall_names = g_new0 (char *, n_wall + 1);
      for (guint i = 0; i < n_wall; i++)
        self->wall_names[i] = topout_format_climber_name (
            topout_session_get_climber_name (g_ptr_array_index (self->active, i)), FALSE);
    }
  else
    {
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);  /* climber id → 1 + index */
      g_autoptr (GPtrArray) names = g_ptr_array_new ();                            /* of const char* */
      g_autofree guint *match_at = g_new (guint, n_matches + 1);
      g_autofree guint *wall_at = g_new (guint, n_wall + 1);
      const char *panel_name = NULL;
      guint panel_at = 0;
      g_auto (GStrv) shown = NULL;

      for (guint i = 0; i < n_matches; i++)
        {
          TopoutClimber *climber = g_ptr_array_index (self->matches, i);

          match_at[i] = name_index (seen, names, topout_climber_get_id (climber),
                                    topout_climber_get_display_name (climber));
        }
      for (guint i = 0; i < n_wall; i++)
        {
          TopoutSession *session = g_ptr_array_index (self->active, i);

          wall_at[i] = name_index (seen, names, topout_session_get_climber_id (session),
                                   topout_session_get_climber_name (session));
        }
      if (self->panel != NULL && self->selected_id != NULL &&
          g_strcmp0 (topout_session_panel_get_climber_id (self->panel), self->selected_id) == 0)
        panel_name = topout_session_panel_get_climber_name (self->panel);
      if (panel_name != NULL)
        panel_at = name_index (seen, names, self->selected_id, panel_name);

      shown = topout_kiosk_short_names ((const char *const *) names->pdata, names->len);
      self->match_names = g_new0 (char *, n_matches + 1);
      for (guint i = 0; i < n_matches; i++)
        self->match_names[i] = g_strdup (shown[match_at[i]]);
      self->wall_names = g_new0 (char *, n_wall + 1);
      for (guint i = 0; i < n_wall; i++)
        self->wall_names[i] = g_strdup (shown[wall_at[i]]);
      if (panel_name != NULL)
        self->panel_name = g_strdup (shown[panel_at]);
    }
  return !same_names (old_wall, self->wall_names);
}

static char *
climber_row_title (TopoutDeskView *self,
                   guint           i)
{
  return self->match_names != NULL
           ? g_strdup (self->match_names[i])
           : topout_format_climber_name (topout_climber_get_display_name (g_ptr_array_index (self->matches, i)),
                                         FALSE);
}

static void
set_climber_row_name (GtkWidget     *row,
                      TopoutClimber *climber,
                      const char    *name)
{
  const char *code = topout_climber_get_member_code (climber);
  g_autofree char *a11y = NULL;

  /* Translators: accessible name of a climber row: "Ada Lovelace, member M-0001" */
  a11y = code != NULL ? g_strdup_printf (_("%s, member %s"), name, code) : g_strdup (name);
  set_row_name (row, a11y);
  /* For a name cut short; heard once, as the row's name. */
  topout_widget_set_tooltip_unheard (row, a11y);
}

static GtkWidget *
make_climber_row (TopoutDeskView *self,
                  guint           i)
{
  TopoutClimber *climber = g_ptr_array_index (self->matches, i);
  const char *id = topout_climber_get_id (climber);
  g_autofree char *name = climber_row_title (self, i);
  GtkWidget *row = desk_row_new (name, topout_climber_get_member_code (climber), "desk.select-climber", id,
                                 g_strcmp0 (self->selected_id, id) == 0);

  set_climber_row_name (row, climber, name);
  return row;
}

/* The climber rows built so far, named anew where the wall changed their
 * name ("Bo K." is "Bo Kl." once Bo Kim is on the wall); the rest stay. */
static void
retitle_climber_rows (TopoutDeskView *self)
{
  for (guint i = 0; self->matches != NULL && i < self->rows_built; i++)
    {
      GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->climber_list, (int) i));
      g_autofree char *name = climber_row_title (self, i);

      if (row == NULL || g_strcmp0 (g_object_get_data (G_OBJECT (row), "topout-title"), name) == 0)
        continue;
      desk_row_set_title (row, name);
      set_climber_row_name (row, g_ptr_array_index (self->matches, i), name);
    }
}

static GtkWidget *
make_add_row (const char *name,
              const char *code)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("list-add-symbolic");
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  /* Translators: the row that adds what was typed as a new climber */
  title = g_strdup_printf (_("Add “%s” as a new climber"), name);
  if (code != NULL)
    subtitle = g_strdup_printf (_("Member code %s"), code);
  else
    subtitle = g_strdup (_("Type a comma and the member code to add one: “Ada Lovelace, 1234”"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "desk.add-climber");
  gtk_widget_add_css_class (row, "big-row");
  gtk_widget_add_css_class (row, "desk-add-row");
  set_row_name (row, title);
  return row;
}

static void
cancel_more_rows (TopoutDeskView *self)
{
  if (self->after_paint_clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->after_paint_clock);
  g_clear_object (&self->after_paint_clock);
  g_clear_handle_id (&self->more_rows_id, g_source_remove);
}

/* The rows of the matches not built yet, ahead of the "Add …" row. */
static gboolean
more_rows_cb (gpointer data)
{
  TopoutDeskView *self = data;
  GtkListBoxRow *add_row;

  self->more_rows_id = 0;
  if (self->matches == NULL)
    return G_SOURCE_REMOVE;
  add_row = gtk_list_box_get_row_at_index (self->climber_list, (int) self->rows_built);
  for (; self->rows_built < self->matches->len; self->rows_built++)
    {
      GtkWidget *row = make_climber_row (self, self->rows_built);

      gtk_list_box_insert (self->climber_list, row, add_row != NULL ? (int) self->rows_built : -1);
    }
  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock  *clock,
                TopoutDeskView *self)
{
  g_clear_signal_handler (&self->after_paint_id, self->after_paint_clock);
  g_clear_object (&self->after_paint_clock);
  if (self->more_rows_id == 0)
    {
      self->more_rows_id = g_idle_add (more_rows_cb, self);
      g_source_set_name_by_id (self->more_rows_id, "[topout] desk climber rows");
    }
}

/* Builds the remaining rows once the next frame is on screen (at once when
 * the view is not shown: nothing waits for a frame then). */
static void
queue_more_rows (TopoutDeskView *self)
{
  GdkFrameClock *clock;

  if (self->matches == NULL || self->rows_built >= self->matches->len ||
      self->after_paint_id != 0 || self->more_rows_id != 0)
    return;
  clock = gtk_widget_get_mapped (GTK_WIDGET (self)) ? gtk_widget_get_frame_clock (GTK_WIDGET (self)) : NULL;
  if (clock == NULL)
    return;  /* map() asks again */
  self->after_paint_clock = g_object_ref (clock);
  self->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), self);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

/* The panel names the selected climber as the rows do ("Bo Ki."), in its
 * title and toasts too (work_out_names()). */
static void
update_panel_name (TopoutDeskView *self)
{
  if (self->panel == NULL || self->selected_id == NULL)
    return;
  topout_session_panel_set_shown_name (self->panel, self->selected_id, self->panel_name);
}

static void sync_wall_rows (TopoutDeskView *self);

static void
update_climbers (TopoutDeskView *self)
{
  g_autofree char *name = NULL;
  g_autofree char *code = NULL;
  gboolean typed;
  gboolean truncated;
  gboolean wall_renamed;

  cancel_more_rows (self);
  topout_list_box_remove_rows (self->climber_list);
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  g_clear_pointer (&self->match_names, g_strfreev);
  self->rows_built = 0;
  if (self->store == NULL)
    return;

  parse_search (self, &name, &code);
  typed = *name != '\0' || code != NULL;

  /* Nothing typed: the first climbers by name, one tap away. Typed: the
   * matches by name (or by member code when only a code was typed). */
  self->matches = topout_store_find_climbers (self->store, *name != '\0' ? name : code, FALSE, CLIMBER_LIMIT + 1);
  truncated = self->matches->len > CLIMBER_LIMIT;
  if (truncated)
    g_ptr_array_set_size (self->matches, CLIMBER_LIMIT);
  wall_renamed = work_out_names (self);

  for (; self->rows_built < MIN (self->matches->len, CLIMBERS_AT_ONCE); self->rows_built++)
    gtk_list_box_append (self->climber_list, make_climber_row (self, self->rows_built));
  queue_more_rows (self);
  if (*name != '\0')
    gtk_list_box_append (self->climber_list, make_add_row (name, code));

  gtk_label_set_label (self->climbers_heading, typed ? _("Matching Climbers") : _("Climbers"));
  /* Typing: the matches come first; otherwise who is on the wall does. */
  if (typed)
    gtk_box_reorder_child_after (self->lists_box, self->climbers_section, NULL);
  else
    gtk_box_reorder_child_after (self->lists_box, self->wall_section, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->climber_list), self->matches->len > 0 || *name != '\0');
  gtk_widget_set_visible (self->more_hint, truncated);
  topout_stack_show_page (self->sidebar_stack,
                          !typed && self->matches->len == 0 ? "no-climbers" : "lists");
  /* Who is listed may tell apart a name on the wall. */
  if (wall_renamed)
    sync_wall_rows (self);
  update_panel_name (self);
}

static void
update_wall_row (GtkWidget *row,
                 gint64     now)
{
  TopoutSession *session = g_object_get_data (G_OBJECT (row), "session");
  g_autofree char *elapsed = topout_format_elapsed (MAX (0, now - topout_session_get_started_at (session)));
  g_autofree char *subtitle = NULL;
  g_autofree char *pair = topout_format_session_competition (session);
  g_autofree char *heard = NULL;
  g_autofree char *a11y = NULL;

  /* A competition says which one, in the type's place: a coach running two
   * at once tells them apart on the wall. Its line is cut in the middle
   * (make_wall_row()): the id's end and the time stay. Heard and in the
   * tooltip with the type before it. */
  /* Translators: a climber on the wall: session type (or its competition,
   * "LEAGUE · 2026-r3") and time on the wall, "Fun · 12 min" */
  subtitle = g_strdup_printf (_("%s · %s"), pair != NULL ? pair : topout_session_get_type_label (session), elapsed);
  if (pair != NULL)
    /* Translators: a climber on the wall: session type and time on the wall, "Fun · 12 min" */
    heard = g_strdup_printf (_("%s · %s"), topout_session_get_type_label (session), subtitle);
  desk_row_set_subtitle (row, subtitle);
  /* Translators: accessible name of a row of On the wall now: "Ada Lovelace, Fun · 12 min" */
  a11y = g_strdup_printf (_("%s, %s"), (const char *) g_object_get_data (G_OBJECT (row), "topout-title"),
                          heard != NULL ? heard : subtitle);
  set_row_name (row, a11y);
  topout_widget_set_tooltip_unheard (row, a11y);
}

/* What a row of the wall shows besides the elapsed time: a row whose key
 * is unchanged stays. */
static char *
wall_key (TopoutDeskView *self,
          TopoutSession  *session,
          const char     *name)
{
  return g_strdup_printf ("%s\x1f%s\x1f%s\x1f%d", topout_session_get_id (session), name,
                          topout_session_get_climber_id (session),
                          g_strcmp0 (self->selected_id, topout_session_get_climber_id (session)) == 0);
}

static GtkWidget *
make_wall_row (TopoutDeskView *self,
               TopoutSession  *session,
               const char     *name)
{
  const char *climber_id = topout_session_get_climber_id (session);

  GtkWidget *row = desk_row_new (name, NULL, "desk.select-climber", climber_id,
                                 g_strcmp0 (self->selected_id, climber_id) == 0);

  /* The subtitle and names: update_wall_row(). A competition's pair is cut
   * in its middle, as on the recent competitions' buttons: the rounds of
   * one league differ at the end of the id, and the time follows it. */
  gtk_label_set_ellipsize (GTK_LABEL (g_object_get_data (G_OBJECT (row), "topout-subtitle")),
                           PANGO_ELLIPSIZE_MIDDLE);
  return row;
}

typedef struct {
  TopoutDeskView *self;
  GPtrArray      *active;
  char          **names;   /* as shown */
} WallRows;

static char *
wall_row_key (guint    i,
              gpointer data)
{
  WallRows *w = data;

  return wall_key (w->self, g_ptr_array_index (w->active, i), w->names[i]);
}

static GtkWidget *
wall_row_make (guint    i,
               gpointer data)
{
  WallRows *w = data;

  return make_wall_row (w->self, g_ptr_array_index (w->active, i), w->names[i]);
}

/* Brings the wall's rows to self->active, named self->wall_names,
 * touching only the rows that changed: a tap elsewhere in the list must not
 * rebuild it (nor move the keyboard focus out of it). */
static void
sync_wall_rows (TopoutDeskView *self)
{
  WallRows rows = { self, self->active, self->wall_names };
  gint64 now;

  if (self->store == NULL || self->active == NULL)
    return;
  now = topout_store_now (self->store);
  topout_list_box_sync_rows (self->wall_list, self->active->len, wall_row_key, wall_row_make, &rows);
  for (guint i = 0; i < self->active->len; i++)
    {
      GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->wall_list, (int) i));

      g_object_set_data_full (G_OBJECT (row), "session", g_object_ref (g_ptr_array_index (self->active, i)),
                              g_object_unref);
      update_wall_row (row, now);
    }
}

static void
update_wall (TopoutDeskView *self)
{
  g_clear_pointer (&self->active, g_ptr_array_unref);
  if (self->store == NULL)
    {
      topout_list_box_remove_rows (self->wall_list);
      return;
    }

  self->active = topout_store_list_active_sessions (self->store);
  work_out_names (self);
  /* Who is on the wall may tell apart a name in the Climbers list. */
  retitle_climber_rows (self);
  sync_wall_rows (self);
  update_panel_name (self);
}

/* The timer only changes the elapsed times: the rows stay, and so does the
 * keyboard focus. */
static void
update_wall_elapsed (TopoutDeskView *self)
{
  GtkListBoxRow *row;
  gint64 now = topout_store_now (self->store);

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->wall_list, i)) != NULL; i++)
    update_wall_row (GTK_WIDGET (row), now);
}

static void
refresh (TopoutDeskView *self)
{
  update_climbers (self);
  update_wall (self);
}

/* The one timer of the view: elapsed times, while it is on screen. */
static gboolean
tick_cb (gpointer user_data)
{
  TopoutDeskView *self = user_data;

  update_wall_elapsed (self);
  topout_session_panel_update_elapsed (self->panel);
  return G_SOURCE_CONTINUE;
}

static void
topout_desk_view_map (GtkWidget *widget)
{
  TopoutDeskView *self = TOPOUT_DESK_VIEW (widget);

  GTK_WIDGET_CLASS (topout_desk_view_parent_class)->map (widget);

  if (self->tick_id == 0)
    {
      self->tick_id = g_timeout_add_seconds (TICK_SECONDS, tick_cb, self);
      g_source_set_name_by_id (self->tick_id, "[topout] desk elapsed time");
    }
  /* Catch up with the time spent hidden. */
  tick_cb (self);
  queue_more_rows (self);
}

static void
topout_desk_view_unmap (GtkWidget *widget)
{
  TopoutDeskView *self = TOPOUT_DESK_VIEW (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  /* Hidden: nothing waits for a frame, build what is left now. */
  if (self->after_paint_id != 0)
    {
      cancel_more_rows (self);
      more_rows_cb (self);
    }

  GTK_WIDGET_CLASS (topout_desk_view_parent_class)->unmap (widget);
}

/* Signals ---------------------------------------------------------------------- */

static void
session_changed_cb (TopoutDeskView *self,
                    TopoutSession  *before,
                    TopoutSession  *after,
                    TopoutStore    *store)
{
  gboolean was_active = before != NULL && topout_session_get_status (before) == TOPOUT_SESSION_STATUS_ACTIVE;
  gboolean is_active = after != NULL && topout_session_get_status (after) == TOPOUT_SESSION_STATUS_ACTIVE;

  /* A log into a session on the wall changes nothing the wall shows (its
   * competition's pair neither: only an edit does). */
  if (was_active && is_active &&
      g_strcmp0 (topout_session_get_id (before), topout_session_get_id (after)) == 0 &&
      topout_session_get_started_at (before) == topout_session_get_started_at (after) &&
      g_strcmp0 (topout_session_get_type_label (before), topout_session_get_type_label (after)) == 0 &&
      g_strcmp0 (topout_session_get_competition_type (before), topout_session_get_competition_type (after)) == 0 &&
      g_strcmp0 (topout_session_get_competition_id (before), topout_session_get_competition_id (after)) == 0 &&
      g_strcmp0 (topout_session_get_climber_name (before), topout_session_get_climber_name (after)) == 0)
    return;
  if (was_active || is_active)
    update_wall (self);
}

static void
sessions_reset_cb (TopoutDeskView *self,
                   TopoutStore    *store)
{
  /* Also sent when climbers were renamed or merged. */
  refresh (self);
}

static void
short_names_changed_cb (TopoutDeskView *self)
{
  /* Locked: a message said while staff were in may name a climber in full
   * ("… is Ada Lovelace’s, who is archived"). */
  if (short_names (self))
    gtk_widget_set_visible (GTK_WIDGET (self->search_error), FALSE);
  refresh (self);
}

static void
search_changed_cb (TopoutDeskView *self)
{
  /* The entry says "changed" 150 ms after the typing: a card reader's code
   * and Return come sooner, so the message about that very text stays. */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), self->error_text) != 0)
    gtk_widget_set_visible (GTK_WIDGET (self->search_error), FALSE);
  update_climbers (self);
}

static void select_climber (TopoutDeskView *self,
                            const char     *climber_id,
                            gboolean        from_search);

static void
show_search_error (TopoutDeskView *self,
                   const char     *message)
{
  gtk_label_set_label (self->search_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->search_error), TRUE);
  g_free (self->error_text);
  self->error_text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* What a card reader types: one word with a digit in it ("M-0042"), no
 * comma. A name has none. */
static gboolean
looks_like_code (const char *text)
{
  gboolean digit = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == ',')
        return FALSE;
      digit |= g_unichar_isdigit (c);
    }
  return digit;
}

/* The archived climber whose member code is @code (any case), or NULL: a
 * returning climber's card is theirs, not a code nobody has. */
static TopoutClimber *
archived_owner (TopoutDeskView *self,
                const char     *code)
{
  g_autoptr (GPtrArray) all = topout_store_find_climbers (self->store, code, TRUE, 8);

  for (guint i = 0; i < all->len; i++)
    {
      TopoutClimber *c = g_ptr_array_index (all, i);

      if (topout_climber_get_archived (c) && topout_climber_get_member_code (c) != NULL &&
          g_ascii_strcasecmp (topout_climber_get_member_code (c), code) == 0)
        return g_object_ref (c);
    }
  return NULL;
}

/* Enter (a card reader's too), in a search with something typed: the first match (an exact member code comes
 * first); when nobody matches, what was typed is added as a climber, unless
 * it is a code: a card nobody has is said so, not made into a climber
 * named "M-0099". */
static void
search_activate_cb (TopoutDeskView *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  /* Nothing typed, nobody asked for: one Return more after choosing a
   * climber (or a card reader's stray one) chose the first listed instead. */
  if (*text == '\0')
    return;
  update_climbers (self);
  if (self->matches != NULL && self->matches->len > 0)
    select_climber (self, topout_climber_get_id (g_ptr_array_index (self->matches, 0)), TRUE);
  else if (looks_like_code (text))
    {
      g_autoptr (TopoutClimber) archived = archived_owner (self, text);
      g_autofree char *message = NULL;

      if (archived != NULL)
        {
          g_autofree char *name = topout_format_climber_name (topout_climber_get_display_name (archived),
                                                              short_names (self));

          /* Translators: a scanned member code of an archived climber; the
           * second %s is their name */
          message = g_strdup_printf (_("The member code %s is %s’s, who is archived. Staff can restore them "
                                       "in Climbers (Show Archived)."), text, name);
        }
      else
        /* Translators: a scanned member code that no climber has */
        message = g_strdup_printf (_("No climber has the member code %s. To add one, type the name, "
                                     "a comma and the code."), text);
      show_search_error (self, message);
      gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
    }
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "desk.add-climber", NULL);
}

/* Folded with a climber's panel shown (the only climber, shown at start,
 * on a phone), the keyboard goes with the eyes: the climbers' search is out
 * of sight, the panel's next thing to do takes the focus. */
static void
folded_changed_cb (TopoutDeskView *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  gtk_widget_set_visible (self->back_bar, folded);
  if (folded && self->selected_id != NULL && focus != NULL &&
      g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "panel") == 0 &&
      (focus == GTK_WIDGET (self->search_entry) || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->search_entry))))
    gtk_widget_activate_action (GTK_WIDGET (self->panel), "panel.focus-default", NULL);
}

/* Actions ------------------------------------------------------------------------ */

/* The keyboard focus stays in the search, emptied when the climber came
 * from it: a card reader's next code is a search again, never typed into
 * the panel (where its Return would start a session for the climber on
 * screen). Side by side only; folded, the panel takes the whole window. */
static void
select_climber (TopoutDeskView *self,
                const char     *climber_id,
                gboolean        from_search)
{
  g_free (self->selected_id);
  self->selected_id = g_strdup (climber_id);
  gtk_widget_set_visible (GTK_WIDGET (self->search_error), FALSE);
  topout_session_panel_set_climber_id (self->panel, climber_id);
  if (from_search)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  refresh (self);
  adw_leaflet_set_visible_child_name (self->leaflet, "panel");
  if (adw_leaflet_get_folded (self->leaflet))
    gtk_widget_activate_action (GTK_WIDGET (self->panel), "panel.focus-default", NULL);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
select_climber_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  select_climber (TOPOUT_DESK_VIEW (widget), g_variant_get_string (param, NULL), FALSE);
}

static void
add_climber_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TopoutDeskView *self = TOPOUT_DESK_VIEW (widget);
  g_autoptr (TopoutClimber) climber = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *code = NULL;

  parse_search (self, &name, &code);
  climber = topout_store_add_climber (self->store, name, code, &error);
  if (climber == NULL)
    {
      /* The kiosk screen shows no one's full name to whoever stands there. */
      if (short_names (self) && g_error_matches (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_DUPLICATE))
        show_search_error (self, _("This member code already belongs to another climber."));
      else
        show_search_error (self, error->message);
      return;
    }

  /* Show the new climber among the others, selected. */
  select_climber (self, topout_climber_get_id (climber), TRUE);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TopoutDeskView *self = TOPOUT_DESK_VIEW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Ctrl+Z: the Undo of the toast on screen (a log, an end, a cancel).
 * Before the focused field sees it (after a log the focus is back in the
 * climb search, whose own Ctrl+Z undid the typing instead); with no toast
 * on screen the key goes on to the field. */
static gboolean
undo_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   data)
{
  return topout_session_panel_undo (TOPOUT_DESK_VIEW (widget)->panel);
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TopoutDeskView *self = TOPOUT_DESK_VIEW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Start-up: the keyboard in the search, and the leaflet left as it is:
 * the only climber's panel, shown at once (desk.focus-search goes back to
 * the climbers, which on a phone hid the panel chosen for them). */
static void
focus_start_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TopoutDeskView *self = TOPOUT_DESK_VIEW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* A climber at home is the only one in their database: they are shown at
 * once, rather than chosen again at every start. Never on a kiosk, where
 * the next person at the screen is someone else. */
static void
select_only_climber (TopoutDeskView *self)
{
  if (self->kiosk != NULL && topout_kiosk_get_enabled (self->kiosk))
    return;
  if (self->matches != NULL && self->matches->len == 1)
    select_climber (self, topout_climber_get_id (g_ptr_array_index (self->matches, 0)), FALSE);
}

/* GObject -------------------------------------------------------------------------- */

static void
topout_desk_view_constructed (GObject *object)
{
  TopoutDeskView *self = TOPOUT_DESK_VIEW (object);
  GtkWidget *placeholder;

  G_OBJECT_CLASS (topout_desk_view_parent_class)->constructed (object);

  g_return_if_fail (TOPOUT_IS_STORE (self->store));

  self->panel = TOPOUT_SESSION_PANEL (topout_session_panel_new (self->store, self->kiosk));
  gtk_widget_set_vexpand (GTK_WIDGET (self->panel), TRUE);
  gtk_box_append (self->panel_box, GTK_WIDGET (self->panel));

  placeholder = gtk_label_new (_("Nobody is on the wall right now."));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  topout_list_box_set_placeholder (self->wall_list, placeholder);

  g_signal_connect_object (self->store, "session-changed", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "sessions-reset", G_CALLBACK (sessions_reset_cb), self, G_CONNECT_SWAPPED);
  if (self->kiosk != NULL)
    g_signal_connect_object (self->kiosk, "notify::short-names", G_CALLBACK (short_names_changed_cb), self, G_CONNECT_SWAPPED);

  folded_changed_cb (self);
  refresh (self);
  select_only_climber (self);
}

static void
topout_desk_view_dispose (GObject *object)
{
  TopoutDeskView *self = TOPOUT_DESK_VIEW (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  cancel_more_rows (self);
  self->panel = NULL;
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  g_clear_pointer (&self->match_names, g_strfreev);
  g_clear_pointer (&self->active, g_ptr_array_unref);
  g_clear_pointer (&self->wall_names, g_strfreev);
  g_clear_pointer (&self->panel_name, g_free);
  g_clear_object (&self->store);
  g_clear_object (&self->kiosk);

  G_OBJECT_CLASS (topout_desk_view_parent_class)->dispose (object);
}

static void
topout_desk_view_finalize (GObject *object)
{
  TopoutDeskView *self = TOPOUT_DESK_VIEW (object);

  g_clear_pointer (&self->selected_id, g_free);
  g_clear_pointer (&self->error_text, g_free);

  G_OBJECT_CLASS (topout_desk_view_parent_class)->finalize (object);
}

static void
topout_desk_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TopoutDeskView *self = TOPOUT_DESK_VIEW (object);

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
topout_desk_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TopoutDeskView *self = TOPOUT_DESK_VIEW (object);

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
topout_desk_view_class_init (TopoutDeskViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = topout_desk_view_constructed;
  object_class->dispose = topout_desk_view_dispose;
  object_class->finalize = topout_desk_view_finalize;
  object_class->get_property = topout_desk_view_get_property;
  object_class->set_property = topout_desk_view_set_property;

  widget_class->map = topout_desk_view_map;
  widget_class->unmap = topout_desk_view_unmap;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TOPOUT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIOSK] =
    g_param_spec_object ("kiosk", NULL, NULL, TOPOUT_TYPE_KIOSK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/topout-desk-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TopoutDeskView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TopoutDeskView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TopoutDeskView, search_error);
  gtk_widget_class_bind_template_child (widget_class, TopoutDeskView, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, TopoutDeskView, lists_box);
  gtk_widget_class_bind_template_child (widget_class, TopoutDeskView, wall_section);
  gtk_widget_class_bind_template_child (widget_class, TopoutDeskView, climbers_section);
  gtk_widget_class_bind_template_child (widget_class, TopoutDeskView, climbers_heading);
  gtk_widget_class_bind_template_child (widget_class, TopoutDeskView, climber_list);
  gtk_widget_class_bind_template_child (widget_class, TopoutDeskView, more_hint);
  gtk_widget_class_bind_template_child (widget_class, TopoutDeskView, wall_list);
  gtk_widget_class_bind_template_child (widget_class, TopoutDeskView, panel_box);
  gtk_widget_class_bind_template_child (widget_class, TopoutDeskView, back_bar);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, folded_changed_cb);

  gtk_widget_class_install_action (widget_class, "desk.select-climber", "s", select_climber_action);
  gtk_widget_class_install_action (widget_class, "desk.add-climber", NULL, add_climber_action);
  gtk_widget_class_install_action (widget_class, "desk.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "desk.focus-search", NULL, focus_search_action);
  gtk_widget_class_install_action (widget_class, "desk.focus-start", NULL, focus_start_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "desk.focus-search", NULL);
}

static void
topout_desk_view_init (TopoutDeskView *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Each list is one Tab stop (the arrows move in it): with 50 climbers
   * listed, Tab took 50 presses to reach the session panel. Down in the
   * search goes to the climbers it found. */
  topout_list_box_one_tab_stop (self->wall_list);
  topout_list_box_one_tab_stop (self->climber_list);
  topout_entry_down_to_list (GTK_WIDGET (self->search_entry), self->climber_list);

  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_z, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (undo_shortcut_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

GtkWidget *
topout_desk_view_new (TopoutStore *store,
                      TopoutKiosk *kiosk)
{
  g_return_val_if_fail (TOPOUT_IS_STORE (store), NULL);
  g_return_val_if_fail (kiosk == NULL || TOPOUT_IS_KIOSK (kiosk), NULL);

  return g_object_new (TOPOUT_TYPE_DESK_VIEW, "store", store, "kiosk", kiosk, NULL);
}

TopoutSessionPanel *
topout_desk_view_get_session_panel (TopoutDeskView *self)
{
  g_return_val_if_fail (TOPOUT_IS_DESK_VIEW (self), NULL);
  return self->panel;
}
