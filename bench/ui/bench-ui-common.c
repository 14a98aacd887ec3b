/* bench-ui-common.c — see bench-ui-common.h. */
#include "config.h"

#include "bench-ui-common.h"

void
bench_ui_spin (guint rounds)
{
  for (guint i = 0; i < rounds; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
bench_ui_run_for (guint ms)
{
  gboolean done = FALSE;
  guint id = g_timeout_add (ms, set_true, &done);

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  (void) id;
}

GtkWidget *
bench_ui_find_by_type (GtkWidget *root,
                       GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = bench_ui_find_by_type (c, type);

      if (found)
        return found;
    }
  return NULL;
}

typedef struct {
  BenchUiPainted painted;
  gpointer       data;
  gint64         at;
  gboolean       timed_out;
} PaintWait;

static void
after_paint_cb (GdkFrameClock *clock,
                PaintWait     *wait)
{
  if (wait->at < 0 && (wait->painted == NULL || wait->painted (wait->data)))
    wait->at = g_get_monotonic_time ();
}

static gboolean
paint_timeout_cb (gpointer data)
{
  ((PaintWait *) data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gint64
bench_ui_wait_painted (GtkWidget      *widget,
                       BenchUiPainted  painted,
                       gpointer        data,
                       guint           timeout_ms)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  PaintWait wait = { painted, data, -1, FALSE };
  gulong handler;
  guint timeout;

  g_return_val_if_fail (clock != NULL, -1);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &wait);
  timeout = g_timeout_add (timeout_ms, paint_timeout_cb, &wait);
  /* Something changed on screen asks for a frame itself; this makes sure one
   * comes even when the change needed only a redraw nobody queued yet. */
  gtk_widget_queue_draw (widget);
  while (wait.at < 0 && !wait.timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
  if (!wait.timed_out)
    g_source_remove (timeout);
  return wait.at;
}

void
bench_ui_print_toolkit (const char *scenario,
                        GtkWidget  *window)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  g_print ("BENCH %s renderer %s\n", scenario, renderer ? G_OBJECT_TYPE_NAME (renderer) : "none");
  g_print ("BENCH %s gtk-version %u.%u.%u\n", scenario,
           gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version ());
  g_print ("BENCH %s adw-version %u.%u.%u\n", scenario,
           adw_get_major_version (), adw_get_minor_version (), adw_get_micro_version ());
  g_print ("BENCH %s display %s\n", scenario,
           G_OBJECT_TYPE_NAME (gtk_widget_get_display (window)));
}

AdwApplication *
bench_ui_app_new (const char *id)
{
  g_autoptr (GError) error = NULL;
  AdwApplication *app = adw_application_new (id, G_APPLICATION_NON_UNIQUE);

  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("register %s: %s", id, error->message);
  return app;
}

/* Frame logs --------------------------------------------------------------- */

static void
frame_log_before_paint (GdkFrameClock   *clock,
                        BenchUiFrameLog *log)
{
  log->frame_start = g_get_monotonic_time ();
}

static void
frame_log_after_paint (GdkFrameClock   *clock,
                       BenchUiFrameLog *log)
{
  gint64 now = g_get_monotonic_time ();

  if (log->paints != NULL && log->frame_start > 0)
    topout_bench_samples_add (log->paints, (now - log->frame_start) / 1000.0);
  if (log->intervals != NULL && log->last_paint > 0)
    topout_bench_samples_add (log->intervals, (now - log->last_paint) / 1000.0);
  log->last_paint = now;
  log->frame_start = 0;
}

void
bench_ui_frame_log_start (BenchUiFrameLog *log,
                          GdkFrameClock   *clock)
{
  g_return_if_fail (log->clock == NULL);

  log->clock = g_object_ref (clock);
  log->before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (frame_log_before_paint), log);
  log->after_id = g_signal_connect (clock, "after-paint", G_CALLBACK (frame_log_after_paint), log);
}

void
bench_ui_frame_log_stop (BenchUiFrameLog *log)
{
  if (log->clock == NULL)
    return;
  g_clear_signal_handler (&log->before_id, log->clock);
  g_clear_signal_handler (&log->after_id, log->clock);
  g_clear_object (&log->clock);
}
