#define G_LOG_DOMAIN "topout-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "topout-window.h"

struct _TopoutWindow
{
  AdwApplicationWindow  parent_instance;

  TopoutStore          *store;
  GSettings            *settings;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  GtkMenuButton        *primary_menu_button;
  GtkWidget            *demo_notice;
  GtkStack             *main_stack;
  AdwStatusPage        *placeholder_page;
  AdwStatusPage        *error_page;
};

G_DEFINE_FINAL_TYPE (TopoutWindow, topout_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_demo_notice (TopoutWindow *self)
{
  gtk_widget_set_visible (self->demo_notice,
                          self->store != NULL && topout_store_is_demo (self->store));
}

static void
restore_window_state (TopoutWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (TopoutWindow *self)
{
  int width = 0;
  int height = 0;

  /* The default size follows the window's size while it is not maximized,
   * so this is the size to come back to. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
topout_window_close_request (GtkWindow *window)
{
  save_window_state (TOPOUT_WINDOW (window));

  return GTK_WINDOW_CLASS (topout_window_parent_class)->close_request (window);
}

static void
topout_window_dispose (GObject *object)
{
  TopoutWindow *self = TOPOUT_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TOPOUT_TYPE_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (topout_window_parent_class)->dispose (object);
}

static void
topout_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TopoutWindow *self = TOPOUT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TopoutWindow *self = TOPOUT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      topout_window_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_window_class_init (TopoutWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = topout_window_dispose;
  object_class->get_property = topout_window_get_property;
  object_class->set_property = topout_window_set_property;

  window_class->close_request = topout_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         TOPOUT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/topout-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, demo_notice);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, placeholder_page);
  gtk_widget_class_bind_template_child (widget_class, TopoutWindow, error_page);
}

static void
topout_window_init (TopoutWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_APPLICATION_ID);
  restore_window_state (self);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

TopoutWindow *
topout_window_new (AdwApplication *application,
                   TopoutStore    *store)
{
  g_return_val_if_fail (ADW_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (store == NULL || TOPOUT_IS_STORE (store), NULL);

  return g_object_new (TOPOUT_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       NULL);
}

TopoutStore *
topout_window_get_store (TopoutWindow *self)
{
  g_return_val_if_fail (TOPOUT_IS_WINDOW (self), NULL);

  return self->store;
}

void
topout_window_set_store (TopoutWindow *self,
                         TopoutStore  *store)
{
  g_return_if_fail (TOPOUT_IS_WINDOW (self));
  g_return_if_fail (store == NULL || TOPOUT_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  if (store != NULL)
    gtk_stack_set_visible_child_name (self->main_stack, "placeholder");
  update_demo_notice (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
topout_window_show_store_error (TopoutWindow *self,
                                const GError *error)
{
  g_autofree char *markup = NULL;

  g_return_if_fail (TOPOUT_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  /* The description is Pango markup; a path may hold "&" or "<". */
  markup = g_markup_escape_text (error->message, -1);
  topout_window_set_store (self, NULL);
  adw_status_page_set_description (self->error_page, markup);
  gtk_stack_set_visible_child_name (self->main_stack, "error");
}

void
topout_window_add_toast (TopoutWindow *self,
                         const char   *message)
{
  g_return_if_fail (TOPOUT_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}
