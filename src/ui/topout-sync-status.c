#define G_LOG_DOMAIN "topout-sync-status"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "topout-store.h"
#include "topout-sync-status.h"
#include "topout-ui-util.h"

struct _TopoutSyncStatus
{
  AdwBin            parent_instance;

  TopoutSyncEngine *engine;
  GBinding         *pending_binding;
  GBinding         *attention_binding;
  gulong            last_success_id;
  gulong            wait_until_id;
  guint             pending;
  guint             attention;  /* sessions REJECTED or in CONFLICT */
  gboolean          pending_known;
  gboolean          syncing;
  gboolean          demo;     /* the engine's database holds demo data */
  gboolean          local_only; /* no sync server is set up */
  char         *error;
  char         *text;

  /* Template children: [0] the wide set, [1] the narrow one, [2] the
   * narrowest (see the .ui), which has no label: its status is an icon. */
  GtkButton    *sync_button[3];
  GtkLabel     *button_label;   /* the wide set's */
  GtkImage     *small_status_icon; /* the narrowest set's status */
  GtkLabel     *small_count_label; /* and the count it says */
  GtkStack     *icon_stack[3];
  GtkSpinner   *spinner[3];
  GtkWidget    *error_icon[2];
  GtkLabel     *status_label[2];

  /* "Sync now" tapped while the server asks to wait: said at the button. */
  GtkPopover   *wait_popover;
  GtkLabel     *wait_label;
};

G_DEFINE_FINAL_TYPE (TopoutSyncStatus, topout_sync_status, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_PENDING,
  PROP_ATTENTION,
  PROP_SYNCING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The last successful sync of the engine's database (µs), 0 = never. */
static gint64
last_sync (TopoutSyncStatus *self)
{
  return self->engine != NULL ? topout_sync_engine_get_last_success (self->engine) : 0;
}

/* "Last synced today at 17:02", "Last synced on Sat 21 Nov 2026 at 17:02":
 * on the gym's clock and calendar, as the desk's "Started 17:02" (it was
 * the system's time zone and clock). */
static char *
format_last_sync (TopoutSyncStatus *self)
{
  gint64 last = last_sync (self);
  TopoutStore *store;
  GTimeZone *zone;
  g_autofree char *time = NULL;
  g_autofree char *date = NULL;
  g_autofree char *today = NULL;

  if (last <= 0)
    return g_strdup (_("Not synced yet"));

  store = topout_sync_engine_get_store (self->engine);
  zone = topout_store_get_time_zone (store);
  time = topout_format_time (last, zone);
  date = topout_store_date_of (store, last);
  today = topout_store_date_of (store, topout_store_now (store));
  if (g_strcmp0 (date, today) == 0)
    /* Translators: %s is a time of day, "17:02" */
    return g_strdup_printf (_("Last synced today at %s"), time);
  else
    {
      g_autofree char *day = topout_format_date (date);

      /* Translators: "Last synced on Sat 21 Nov 2026 at 17:02" */
      return g_strdup_printf (_("Last synced on %s at %s"), day, time);
    }
}

/* Until when the server asks to wait (µs), while it does and the status
 * shows it; else 0. */
static gint64
wait_until (TopoutSyncStatus *self)
{
  if (self->engine == NULL || self->syncing || self->demo || self->local_only)
    return 0;
  return topout_sync_engine_get_wait_until (self->engine);
}

/* @usec as a time of day on the gym's clock, "17:10". */
static char *
time_of (TopoutSyncStatus *self,
         gint64            usec)
{
  return topout_store_time_of (topout_sync_engine_get_store (self->engine), usec);
}

/* "Next try at 17:10. Nothing is lost: 3 sessions wait on this device." */
static char *
wait_sentence (TopoutSyncStatus *self,
               gint64            until)
{
  g_autofree char *time = time_of (self, until);
  g_autofree char *kept = topout_sync_wait_kept (self->pending_known ? self->pending : 0);
  /* Translators: %s is a time of day on the gym's clock, "17:10" */
  g_autofree char *next = g_strdup_printf (_("Next try at %s."), time);

  return kept != NULL ? g_strdup_printf ("%s %s", next, kept) : g_steal_pointer (&next);
}

/* The message at "Sync now": the wait's sentence, heard with its heading. */
static void
set_wait_message (TopoutSyncStatus *self,
                  gint64            until)
{
  g_autofree char *sentence = wait_sentence (self, until);

  gtk_label_set_label (self->wait_label, sentence);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->wait_popover),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("The sync server asked to wait"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, sentence, -1);
}

static void
set_css_class (GtkWidget  *widget,
               const char *css_class,
               gboolean    on)
{
  if (on)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

/* The status's colours: an error's, a warning's, or dimmed. */
static void
set_tone (GtkWidget *widget,
          gboolean   failed,
          gboolean   warned)
{
  set_css_class (widget, "error", failed);
  set_css_class (widget, "warning", warned);
  set_css_class (widget, "dim-label", !failed && !warned);
}

/* "Sync Now", or with no sync server set up "Set Up Sync…": an action
 * that could only say that no server is set up gives way to the way to set
 * one up, flat (a labelled button in a header bar is raised, and draws the
 * eye to what a climber at home may never need). The same mnemonic, Alt+S,
 * and each button named for what it does. */
static void
update_buttons (TopoutSyncStatus *self)
{
  const char *name = self->local_only ? _("Set up sync") : _("Sync now");
  /* Nothing of a demo database is ever sent, to any server (SPEC rule 11):
   * no way to set up sync for sample data, nor to sync it. */
  gboolean shown = !self->demo;

  gtk_label_set_text_with_mnemonic (self->button_label,
                                    self->local_only ? _("Set Up _Sync…") : _("_Sync Now"));
  /* Its words alone, as a header bar's text buttons: quieter, and no wider
   * than "Sync Now" with its icon moves the view switcher. */
  gtk_widget_set_visible (GTK_WIDGET (self->icon_stack[0]), !self->local_only);
  for (guint i = 0; i < G_N_ELEMENTS (self->sync_button); i++)
    {
      GtkWidget *button = GTK_WIDGET (self->sync_button[i]);

      gtk_widget_set_visible (button, shown);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), self->local_only ? "win.set-up-sync" : "app.sync-now");
      set_css_class (button, "flat", self->local_only);
      gtk_widget_set_sensitive (button, self->local_only || !self->syncing);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      /* The wide one says it in its label. */
      if (i > 0)
        gtk_widget_set_tooltip_text (button, name);
    }
  /* Alone at the header's edge (no button before it), the status keeps a
   * button's inset from it, where a button's words would start. */
  for (guint i = 0; i < G_N_ELEMENTS (self->status_label); i++)
    gtk_widget_set_margin_start (GTK_WIDGET (self->status_label[i]), shown ? 0 : 10);
}

static void
update (TopoutSyncStatus *self)
{
  g_autofree char *last = format_last_sync (self);
  g_autofree char *tooltip = NULL;
  /* The narrowest set's icon: History's badge of the state the status
   * says (the warning for a failure or sessions needing attention, as the
   * wider sets show). */
  TopoutSyncState badge = TOPOUT_SYNC_STATE_PENDING;
  /* The count the status says, shown beside the narrowest set's icon. */
  guint count = 0;
  /* The server asked to wait (maintenance): when the next try is, rather
   * than "Sync failed", in a warning's colours (nothing is lost). */
  gint64 wait = wait_until (self);
  gboolean failed = self->error != NULL && !self->syncing && wait == 0;
  gboolean attention = !failed && !self->syncing && !self->demo && self->pending_known && self->attention > 0;
  gboolean warned = attention || wait != 0;

  g_clear_pointer (&self->text, g_free);
  if (self->syncing)
    {
      self->text = g_strdup (_("Syncing…"));
      badge = TOPOUT_SYNC_STATE_SYNCING;
    }
  else if (wait != 0)
    {
      g_autofree char *time = time_of (self, wait);

      if (self->pending_known && self->pending > 0)
        {
          /* Translators: the header's sync status, two short lines at
           * most; %s is a time of day on the gym's clock, "17:10" */
          self->text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "Next try at %s, %u waiting",
                                                     "Next try at %s, %u waiting",
                                                     self->pending),
                                        time, self->pending);
          count = self->pending;
        }
      else
        /* Translators: the header's sync status; %s is a time of day on
         * the gym's clock, "17:10" */
        self->text = g_strdup_printf (_("Next try at %s"), time);
    }
  else if (self->error != NULL && self->pending_known && self->pending > 0)
    /* The count stays in sight: what still waits is what the coach needs. */
    {
      self->text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Sync failed, %u waiting",
                                                 "Sync failed, %u waiting",
                                                 self->pending),
                                    self->pending);
      count = self->pending;
    }
  else if (self->error != NULL)
    self->text = g_strdup (_("Sync failed"));
  else if (self->demo)
    {
      /* SPEC rule 11: no "All synced" from another database's last sync. */
      self->text = g_strdup (C_("sync status", "Demo data"));
      badge = TOPOUT_SYNC_STATE_LOCAL;
    }
  else if (!self->pending_known)
    /* Counted after the first frame: nothing rather than a wrong "0". */
    self->text = g_strdup ("");
  else if (self->local_only && self->attention == 0)
    {
      /* A climber at home may never sync: no count that only grows. */
      self->text = g_strdup (_("Kept on this device"));
      badge = TOPOUT_SYNC_STATE_LOCAL;
    }
  else if (self->attention > 0)
    /* Never "All synced" while the server refused some: they wait for the
     * coach, not for a retry. */
    {
      self->text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u needs attention",
                                                 "%u need attention",
                                                 self->attention),
                                    self->attention);
      count = self->attention;
    }
  else if (self->pending == 0 && last_sync (self) > 0)
    {
      self->text = g_strdup (_("All synced"));
      badge = TOPOUT_SYNC_STATE_SYNCED;
    }
  else if (self->pending == 0)
    {
      /* Nothing waits, and nothing was ever sent (demo data, a new device). */
      self->text = g_strdup (_("Nothing to sync"));
      badge = TOPOUT_SYNC_STATE_SYNCED;
    }
  else
    {
      self->text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u waiting to sync",
                                                 "%u waiting to sync",
                                                 self->pending),
                                    self->pending);
      count = self->pending;
    }
  for (guint i = 0; i < G_N_ELEMENTS (self->status_label); i++)
    {
      GtkWidget *label = GTK_WIDGET (self->status_label[i]);

      gtk_label_set_label (self->status_label[i], self->text);
      gtk_widget_set_visible (self->error_icon[i], failed || warned);
      set_css_class (self->error_icon[i], "error", failed);
      set_css_class (self->error_icon[i], "warning", warned);
      set_tone (label, failed, warned);
    }
  for (guint i = 0; i < G_N_ELEMENTS (self->icon_stack); i++)
    {
      gtk_stack_set_visible_child_name (self->icon_stack[i], self->syncing ? "spinner" : "icon");
      gtk_spinner_set_spinning (self->spinner[i], self->syncing);
    }
  {
    GtkWidget *icon = GTK_WIDGET (self->small_status_icon);

    gtk_image_set_from_icon_name (self->small_status_icon,
                                  failed || warned ? "dialog-warning-symbolic" : topout_sync_state_icon_name (badge));
    /* Counted after the first frame: nothing rather than a wrong icon.
     * Syncing, the button's spinner says it (the icon beside it was the
     * button's own sync icon again). */
    gtk_widget_set_visible (icon, self->text[0] != '\0' && !self->syncing);
    set_tone (icon, failed, warned);
  }
  {
    GtkWidget *label = GTK_WIDGET (self->small_count_label);
    g_autofree char *number = g_strdup_printf ("%u", count);

    gtk_label_set_label (self->small_count_label, number);
    gtk_widget_set_visible (label, count > 0);
    set_tone (label, failed, warned);
  }

  if (self->demo)
    tooltip = g_strdup (_("Demo data is never synced"));
  else if (self->local_only && self->error == NULL && self->attention == 0)
    tooltip = g_strdup (_("No sync server is set up: every session is kept on this device. "
                          "A gym’s sync server can be added in Preferences."));
  else if (wait != 0)
    {
      g_autofree char *sentence = wait_sentence (self, wait);

      tooltip = g_strdup_printf ("%s\n%s\n%s", _("The sync server asked to wait"), sentence, last);
    }
  else if (self->error != NULL)
    tooltip = g_strdup_printf ("%s\n%s", self->error, last);
  else if (self->pending_known && self->attention > 0)
    {
      g_autofree char *why = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "%u session waits for you: the server refused it, or holds another version of it. History shows it with what to do.",
                                                           "%u sessions wait for you: the server refused them, or holds other versions of them. History shows them with what to do.",
                                                           self->attention),
                                              self->attention);

      if (self->pending > 0)
        {
          g_autofree char *waiting = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "%u waiting to sync",
                                                                   "%u waiting to sync",
                                                                   self->pending),
                                                      self->pending);

          tooltip = g_strdup_printf ("%s\n%s\n%s", why, waiting, last);
        }
      else
        tooltip = g_strdup_printf ("%s\n%s", why, last);
    }
  else
    tooltip = g_steal_pointer (&last);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
  /* The label is what a screen reader reads after the button (its name is
   * its whole text, ellipsized or not). Its tooltip starts with that text:
   * the narrowest header shows it as an icon, and the wider ones may cut
   * it after two lines. */
  {
    g_autofree char *label_tooltip = self->text[0] != '\0' ? g_strdup_printf ("%s\n%s", self->text, tooltip)
                                                             : g_strdup (tooltip);

    for (guint i = 0; i < G_N_ELEMENTS (self->status_label); i++)
      {
        gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_label[i]),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip, -1);
        gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label[i]), label_tooltip);
      }
    /* The narrowest: an icon in the label's place, which says it all in
     * its name and tooltip. */
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->small_status_icon), label_tooltip);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->small_count_label), label_tooltip);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->small_status_icon),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, self->text,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip, -1);
    /* Syncing, the spinner in the icon's place says it. */
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->spinner[2]), label_tooltip);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner[2]),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, self->text,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip, -1);
  }
  /* The message at the button follows the wait, and goes with it. */
  if (self->wait_popover != NULL && gtk_widget_get_visible (GTK_WIDGET (self->wait_popover)))
    {
      if (wait != 0)
        set_wait_message (self, wait);
      else
        gtk_popover_popdown (self->wait_popover);
    }
}

/* The visible "Sync now" (of the set the header has room for), or NULL. */
static GtkWidget *
shown_sync_button (TopoutSyncStatus *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->sync_button); i++)
    if (gtk_widget_get_mapped (GTK_WIDGET (self->sync_button[i])))
      return GTK_WIDGET (self->sync_button[i]);
  return NULL;
}

void
topout_sync_status_tell_wait (TopoutSyncStatus *self)
{
  gint64 wait;
  GtkWidget *button;
  graphene_rect_t bounds;

  g_return_if_fail (TOPOUT_IS_SYNC_STATUS (self));

  wait = wait_until (self);
  button = shown_sync_button (self);
  if (wait == 0 || button == NULL)
    return;
  set_wait_message (self, wait);
  if (gtk_widget_compute_bounds (button, GTK_WIDGET (self), &bounds))
    {
      GdkRectangle rect = { (int) floorf (bounds.origin.x), (int) floorf (bounds.origin.y),
                            (int) ceilf (bounds.size.width), (int) ceilf (bounds.size.height) };

      gtk_popover_set_pointing_to (self->wait_popover, &rect);
    }
  gtk_popover_popup (self->wait_popover);
}

const char *
topout_sync_status_get_notice (TopoutSyncStatus *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_STATUS (self), NULL);

  if (self->wait_popover == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->wait_popover)))
    return NULL;
  return gtk_label_get_label (self->wait_label);
}

void
topout_sync_status_set_pending (TopoutSyncStatus *self,
                                guint             pending)
{
  g_return_if_fail (TOPOUT_IS_SYNC_STATUS (self));

  if (self->pending_known && self->pending == pending)
    return;
  self->pending = pending;
  self->pending_known = TRUE;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void last_sync_changed_cb (TopoutSyncStatus *self);

void
topout_sync_status_set_engine (TopoutSyncStatus *self,
                               TopoutSyncEngine *engine)
{
  g_return_if_fail (TOPOUT_IS_SYNC_STATUS (self));
  g_return_if_fail (engine == NULL || TOPOUT_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;

  g_clear_pointer (&self->pending_binding, g_binding_unbind);
  g_clear_pointer (&self->attention_binding, g_binding_unbind);
  g_clear_signal_handler (&self->last_success_id, self->engine);
  g_clear_signal_handler (&self->wait_until_id, self->engine);
  g_set_object (&self->engine, engine);
  /* The engine counts the sessions waiting (once, and again after each
   * change of the store): the status shows its count and counts nothing.
   * The last sync is its database's own. */
  if (engine != NULL)
    {
      self->attention_binding = g_object_bind_property (engine, "attention", self, "attention",
                                                        G_BINDING_SYNC_CREATE);
      self->pending_binding = g_object_bind_property (engine, "pending", self, "pending", G_BINDING_SYNC_CREATE);
      self->last_success_id = g_signal_connect_swapped (engine, "notify::last-success",
                                                        G_CALLBACK (last_sync_changed_cb), self);
      self->wait_until_id = g_signal_connect_swapped (engine, "notify::wait-until", G_CALLBACK (update), self);
    }
  if (engine != NULL)
    self->demo = topout_store_is_demo (topout_sync_engine_get_store (engine));
  update_buttons (self);
  update (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

TopoutSyncEngine *
topout_sync_status_get_engine (TopoutSyncStatus *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_STATUS (self), NULL);

  return self->engine;
}

void
topout_sync_status_set_syncing (TopoutSyncStatus *self,
                                gboolean          syncing)
{
  g_return_if_fail (TOPOUT_IS_SYNC_STATUS (self));

  syncing = !!syncing;
  if (self->syncing == syncing)
    return;
  self->syncing = syncing;
  update_buttons (self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
}

gboolean
topout_sync_status_get_syncing (TopoutSyncStatus *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_STATUS (self), FALSE);

  return self->syncing;
}

void
topout_sync_status_set_error (TopoutSyncStatus *self,
                              const char       *message)
{
  g_return_if_fail (TOPOUT_IS_SYNC_STATUS (self));

  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  update (self);
}

void
topout_sync_status_set_local_only (TopoutSyncStatus *self,
                                   gboolean          local_only)
{
  g_return_if_fail (TOPOUT_IS_SYNC_STATUS (self));

  local_only = !!local_only;
  if (self->local_only == local_only)
    return;
  self->local_only = local_only;
  update_buttons (self);
  update (self);
}

void
topout_sync_status_set_demo (TopoutSyncStatus *self,
                             gboolean          demo)
{
  g_return_if_fail (TOPOUT_IS_SYNC_STATUS (self));

  demo = !!demo;
  if (self->demo == demo)
    return;
  self->demo = demo;
  update_buttons (self);
  update (self);
}

const char *
topout_sync_status_get_text (TopoutSyncStatus *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_STATUS (self), NULL);

  return self->text;
}

guint
topout_sync_status_get_pending (TopoutSyncStatus *self)
{
  g_return_val_if_fail (TOPOUT_IS_SYNC_STATUS (self), 0);

  return self->pending;
}

static void
last_sync_changed_cb (TopoutSyncStatus *self)
{
  /* A successful sync ends the error state. */
  g_clear_pointer (&self->error, g_free);
  update (self);
}

static void
topout_sync_status_dispose (GObject *object)
{
  TopoutSyncStatus *self = TOPOUT_SYNC_STATUS (object);

  g_clear_pointer (&self->pending_binding, g_binding_unbind);
  g_clear_pointer (&self->attention_binding, g_binding_unbind);
  g_clear_signal_handler (&self->last_success_id, self->engine);
  g_clear_signal_handler (&self->wait_until_id, self->engine);
  g_clear_object (&self->engine);
  if (self->wait_popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->wait_popover));
  self->wait_popover = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), TOPOUT_TYPE_SYNC_STATUS);

  G_OBJECT_CLASS (topout_sync_status_parent_class)->dispose (object);
}

static void
topout_sync_status_finalize (GObject *object)
{
  TopoutSyncStatus *self = TOPOUT_SYNC_STATUS (object);

  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (topout_sync_status_parent_class)->finalize (object);
}

static void
topout_sync_status_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TopoutSyncStatus *self = TOPOUT_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;

    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;

    case PROP_ATTENTION:
      g_value_set_uint (value, self->attention);
      break;

    case PROP_SYNCING:
      g_value_set_boolean (value, self->syncing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_sync_status_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TopoutSyncStatus *self = TOPOUT_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      topout_sync_status_set_engine (self, g_value_get_object (value));
      break;

    case PROP_PENDING:
      topout_sync_status_set_pending (self, g_value_get_uint (value));
      break;

    case PROP_ATTENTION:
      if (self->attention != g_value_get_uint (value))
        {
          self->attention = g_value_get_uint (value);
          update (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_SYNCING:
      topout_sync_status_set_syncing (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* "name" into name[0], "compact_name" into name[1], "small_name" into name[2]. */
#define BIND_SET(widget_class, name) G_STMT_START {                                       \
  gtk_widget_class_bind_template_child_full (widget_class, #name, FALSE,                 \
                                             G_STRUCT_OFFSET (TopoutSyncStatus, name[0])); \
  gtk_widget_class_bind_template_child_full (widget_class, "compact_" #name, FALSE,      \
                                             G_STRUCT_OFFSET (TopoutSyncStatus, name[1])); \
  gtk_widget_class_bind_template_child_full (widget_class, "small_" #name, FALSE,        \
                                             G_STRUCT_OFFSET (TopoutSyncStatus, name[2])); \
} G_STMT_END

static void
topout_sync_status_class_init (TopoutSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = topout_sync_status_dispose;
  object_class->finalize = topout_sync_status_finalize;
  object_class->get_property = topout_sync_status_get_property;
  object_class->set_property = topout_sync_status_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL,
                         TOPOUT_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ATTENTION] =
    g_param_spec_uint ("attention", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNCING] =
    g_param_spec_boolean ("syncing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/topout-sync-status.ui");
  BIND_SET (widget_class, sync_button);
  BIND_SET (widget_class, icon_stack);
  BIND_SET (widget_class, spinner);
  /* The narrowest set has neither: its status is an icon. */
  gtk_widget_class_bind_template_child_full (widget_class, "error_icon", FALSE,
                                             G_STRUCT_OFFSET (TopoutSyncStatus, error_icon[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "compact_error_icon", FALSE,
                                             G_STRUCT_OFFSET (TopoutSyncStatus, error_icon[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "status_label", FALSE,
                                             G_STRUCT_OFFSET (TopoutSyncStatus, status_label[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "compact_status_label", FALSE,
                                             G_STRUCT_OFFSET (TopoutSyncStatus, status_label[1]));
  gtk_widget_class_bind_template_child (widget_class, TopoutSyncStatus, button_label);
  gtk_widget_class_bind_template_child (widget_class, TopoutSyncStatus, small_status_icon);
  gtk_widget_class_bind_template_child (widget_class, TopoutSyncStatus, small_count_label);
  gtk_widget_class_set_css_name (widget_class, "syncstatus");
}

/* A label of the wait's popover, wrapped, appended to @box. */
static GtkWidget *
wait_popover_label (GtkWidget  *box,
                    const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static void
topout_sync_status_init (TopoutSyncStatus *self)
{
  GtkWidget *box;
  GtkWidget *heading;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Said where "Sync now" was tapped, at any width (the narrowest header
   * shows no words); gone with a tap elsewhere or Escape. */
  self->wait_popover = GTK_POPOVER (gtk_popover_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->wait_popover), "sync-wait");
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  heading = wait_popover_label (box, _("The sync server asked to wait"));
  gtk_widget_add_css_class (heading, "heading");
  self->wait_label = GTK_LABEL (wait_popover_label (box, NULL));
  gtk_popover_set_child (self->wait_popover, box);
  gtk_widget_set_parent (GTK_WIDGET (self->wait_popover), GTK_WIDGET (self));

  update_buttons (self);
  update (self);
}

GtkWidget *
topout_sync_status_new (void)
{
  return g_object_new (TOPOUT_TYPE_SYNC_STATUS, NULL);
}
