/* bench-ui-common.h — what the window benchmarks (scenarios 1-3) share:
 * running the main loop, finding widgets, waiting for a painted frame and
 * printing the renderer and toolkit versions really used. */
#pragma once

#include <adwaita.h>

#include "topout-bench-util.h"

G_BEGIN_DECLS

/* Runs every pending main-loop source, @rounds times over. */
void        bench_ui_spin        (guint rounds);

/* Runs the main loop for @ms milliseconds (sleeping in poll when idle). */
void        bench_ui_run_for     (guint ms);

/* The first widget of @type at or under @root, depth first. */
GtkWidget  *bench_ui_find_by_type (GtkWidget *root,
                                   GType      type);

/* Returns TRUE once what a benchmark waits for is on screen. */
typedef gboolean (*BenchUiPainted) (gpointer data);

/* Runs the main loop until the first after-paint of @widget's frame clock at
 * which @painted (NULL: always) returns TRUE, and returns the monotonic time
 * of that after-paint in µs; -1 after @timeout_ms. */
gint64      bench_ui_wait_painted (GtkWidget      *widget,
                                   BenchUiPainted  painted,
                                   gpointer        data,
                                   guint           timeout_ms);

/* "BENCH <scenario> renderer <type>" and the GTK and libadwaita versions. */
void        bench_ui_print_toolkit (const char *scenario,
                                    GtkWidget  *window);

/* Frames of a frame clock, while started: each paint's time (before-paint to
 * after-paint) into @paints and the time between painted frames into
 * @intervals, in ms; either may be set to NULL (or back) at any time to stop
 * (or resume) keeping it. */
typedef struct {
  TopoutBenchSamples *paints;
  TopoutBenchSamples *intervals;
  gint64              last_paint;  /* 0: the next paint starts the intervals */
  gint64              frame_start;
  GdkFrameClock      *clock;
  gulong              before_id;
  gulong              after_id;
} BenchUiFrameLog;

void        bench_ui_frame_log_start (BenchUiFrameLog *log,
                                      GdkFrameClock   *clock);
void        bench_ui_frame_log_stop  (BenchUiFrameLog *log);

/* A registered, non-unique AdwApplication (nothing is activated). */
AdwApplication *bench_ui_app_new (const char *id);

G_END_DECLS
