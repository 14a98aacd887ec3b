/* bench-export.c — scenario 6 of BENCHMARKS.md: `topout --export csv` and
 * `--export json` of 100,000 sessions / 1,000,000 completions, then
 * `topout --import` of that JSON into an empty database.
 *
 *   bench-export TOPOUT SQLITE3 [--sessions N] [--trials T]
 *
 * Every run is the real binary, spawned with no display. Budgets: export
 * >= 200,000 completions/s and streamed (its peak RSS at most 30 MB above the
 * same export of 1,000 sessions), import >= 100,000 completions/s. The floor,
 * measured in the same run: `sqlite3 -csv` dumping the same rows. For the
 * JSON export and the import, json-glib's own floor too: every line of the
 * exported file parsed into a tree (what the import must do), and every
 * tree written back to text (what the JSON export must do), in one thread.
 *
 * Every step writes its file anew on a quiet disk (the previous trial's file
 * removed, then sync): no step pays for the writeback of another's 300 MB,
 * which swung the figures by 3x. An export over an existing file also
 * flushes the new file to disk before renaming it over the old one (GLib's
 * g_file_replace() does, so after a crash one of the two is whole); that
 * case is measured too, as export-csv-replace-rate, with no budget.
 *
 * The import's budget is of an import into an empty database, none there
 * yet (a backup onto a new machine: topout_import_sessions_to_new()). An
 * import into a database that is there already, empty here, takes the way
 * an import into a desk's database in use takes (chunks of 20 ms, an
 * import journal): measured once, as import-rate-existing-db, with no
 * budget.
 */
#include "config.h"

#include <glib.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <json-glib/json-glib.h>

#include "topout-bench-util.h"
#include "topout-store.h"

typedef struct {
  double ms;
  double peak_mib;
} Run;

/* Runs @argv (stdout to @stdout_path when not NULL), returns wall time and peak RSS. */
static Run
run (char       **argv,
     const char  *stdout_path)
{
  g_autoptr (GError) error = NULL;
  struct rusage usage;
  GPid pid;
  int status, out_fd = -1;
  double t0;
  Run r = { 0 };
  g_auto (GStrv) env = g_get_environ ();

  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  if (stdout_path != NULL)
    out_fd = g_open (stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  t0 = topout_bench_now_ms ();
  if (!g_spawn_async_with_fds (NULL, argv, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                               -1, out_fd, -1, &error))
    g_error ("spawn %s: %s", argv[0], error->message);
  if (wait4 (pid, &status, 0, &usage) < 0)
    g_error ("wait4 failed");
  r.ms = topout_bench_now_ms () - t0;
  r.peak_mib = usage.ru_maxrss / 1024.0;
  if (out_fd >= 0)
    close (out_fd);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("%s failed (status %d)", argv[0], status);
  return r;
}

/* json-glib alone over the exported file, one line after the other: ms to
 * parse every line into a tree and free it (the import's share), and ms to
 * generate every tree's text again (the JSON export's share). */
static void
json_glib_floor (const char *path,
                 double     *parse_ms,
                 double     *generate_ms)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, &error);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  const char *p, *end;
  guint lines = 0;
  gsize bytes = 0;

  if (file == NULL)
    g_error ("%s", error->message);
  p = g_mapped_file_get_contents (file);
  end = p + g_mapped_file_get_length (file);
  *parse_ms = *generate_ms = 0;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      const char *line_end = nl ? nl : end;
      g_autoptr (JsonParser) parser = json_parser_new_immutable ();
      g_autofree char *text = NULL;
      JsonNode *root;
      double t0 = topout_bench_now_ms (), t1, t2;
      gsize len;

      if (!json_parser_load_from_data (parser, p, line_end - p, &error))
        g_error ("line %u does not parse: %s", lines + 1, error->message);
      root = json_parser_steal_root (parser);
      t1 = topout_bench_now_ms ();
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, &len);
      t2 = topout_bench_now_ms ();
      json_generator_set_root (gen, NULL);
      json_node_unref (root);
      *parse_ms += (t1 - t0) + (topout_bench_now_ms () - t2);
      *generate_ms += t2 - t1;
      bytes += len;
      lines++;
      p = line_end + 1;
    }
  g_print ("# json-glib floor: %u lines, parsed and freed in %.0f ms, %" G_GSIZE_FORMAT
           " bytes generated in %.0f ms\n", lines, *parse_ms, bytes, *generate_ms);
}

/* Before a step: its output file gone, the disk quiet. */
static void
quiet_disk (const char *output)
{
  if (output != NULL)
    g_unlink (output);
  sync ();
}

static void
remove_db (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutBenchSamples) csv_ms = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) csv_replace_ms = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) json_ms = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) import_ms = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) floor_ms = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) csv_peak = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) json_peak = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) small_peak = topout_bench_samples_new ();
  g_autoptr (TopoutBenchSamples) import_peak = topout_bench_samples_new ();
  Run existing;
  g_autofree char *big = NULL, *small = NULL;
  g_autofree char *csv = NULL, *json = NULL, *small_csv = NULL, *floor_csv = NULL, *target = NULL;
  gint64 n_sessions = 100000, trials = 3;
  double completions, csv_rate, json_rate, import_rate, floor_rate, growth, parse_ms = 0, generate_ms = 0;
  const char *topout, *sqlite;
  GOptionEntry entries[] = {
    { "sessions", 0, 0, G_OPTION_ARG_INT64, &n_sessions, "Sessions in the big database (default 100000)", "N" },
    { "trials", 0, 0, G_OPTION_ARG_INT64, &trials, "Runs of each step (default 3)", "T" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("TOPOUT SQLITE3");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 3)
    {
      g_printerr ("usage: bench-export TOPOUT SQLITE3 [--sessions N] [--trials T]\n");
      return 2;
    }
  topout = argv[1];
  sqlite = argv[2];
  completions = n_sessions * 10.0;

  topout_bench_print_header ("6", "export and import of sessions (the real topout, no display)");
  big = topout_bench_cached_db ((guint) n_sessions, 10, 1, &error);
  small = topout_bench_cached_db (1000, 10, 1, &error);
  if (big == NULL || small == NULL)
    g_error ("generate: %s", error->message);

  csv = g_build_filename (topout_bench_data_dir (), "bench-export.csv", NULL);
  json = g_build_filename (topout_bench_data_dir (), "bench-export.jsonl", NULL);
  small_csv = g_build_filename (topout_bench_data_dir (), "bench-export-small.csv", NULL);
  floor_csv = g_build_filename (topout_bench_data_dir (), "bench-export-floor.csv", NULL);
  target = g_build_filename (topout_bench_data_dir (), "bench-import.db", NULL);

  for (gint64 t = 0; t < trials; t++)
    {
      char *small_argv[] = { (char *) topout, "--db", small, "--export", "csv", "--output", small_csv, NULL };
      char *csv_argv[] = { (char *) topout, "--db", big, "--export", "csv", "--output", csv, NULL };
      char *json_argv[] = { (char *) topout, "--db", big, "--export", "json", "--output", json, NULL };
      char *import_argv[] = { (char *) topout, "--db", target, "--import", json, NULL };
      /* The same rows as the CSV export: sessions joined with completions. */
      char *floor_argv[] = { (char *) sqlite, "-csv", "-readonly", big,
                             "SELECT s.id, s.climber_id, s.type, s.name, s.status, s.started_at, s.ended_at,"
                             " s.session_date, s.time_slot, s.notes, s.revision, p.id, p.climb_id, p.grade,"
                             " p.is_success, p.attempts, p.notes, p.logged_at"
                             " FROM sessions s LEFT JOIN completions p ON p.session_id = s.id"
                             " ORDER BY s.session_date, s.started_at, s.id, p.logged_at", NULL };
      Run r;

      quiet_disk (small_csv);
      r = run (small_argv, NULL);
      topout_bench_samples_add (small_peak, r.peak_mib);
      quiet_disk (floor_csv);
      r = run (floor_argv, floor_csv);
      topout_bench_samples_add (floor_ms, r.ms);
      quiet_disk (csv);
      r = run (csv_argv, NULL);
      topout_bench_samples_add (csv_ms, r.ms);
      topout_bench_samples_add (csv_peak, r.peak_mib);
      quiet_disk (NULL);
      r = run (csv_argv, NULL);  /* over the file just written */
      topout_bench_samples_add (csv_replace_ms, r.ms);
      quiet_disk (json);
      r = run (json_argv, NULL);
      topout_bench_samples_add (json_ms, r.ms);
      topout_bench_samples_add (json_peak, r.peak_mib);
      remove_db (target);
      quiet_disk (NULL);
      r = run (import_argv, NULL);
      topout_bench_samples_add (import_ms, r.ms);
      topout_bench_samples_add (import_peak, r.peak_mib);
      g_print ("# trial %" G_GINT64_FORMAT ": floor %.0f ms, csv %.0f ms (over the old file %.0f ms),"
               " json %.0f ms, import %.0f ms\n",
               t + 1, g_array_index (floor_ms->values, double, t), g_array_index (csv_ms->values, double, t),
               g_array_index (csv_replace_ms->values, double, t), g_array_index (json_ms->values, double, t), r.ms);
    }

  /* Into a database that is there, empty. */
  {
    char *import_argv[] = { (char *) topout, "--db", target, "--import", json, NULL };
    g_autoptr (TopoutStore) store = NULL;

    remove_db (target);
    store = topout_store_new (target, &error);
    if (store == NULL)
      g_error ("%s: %s", target, error->message);
    g_clear_object (&store);
    quiet_disk (NULL);
    existing = run (import_argv, NULL);
    g_print ("# into an existing empty database: import %.0f ms\n", existing.ms);
  }

  json_glib_floor (json, &parse_ms, &generate_ms);
  floor_rate = completions / (topout_bench_quantile (floor_ms, 0.5) / 1000);
  csv_rate = completions / (topout_bench_quantile (csv_ms, 0.5) / 1000);
  json_rate = completions / (topout_bench_quantile (json_ms, 0.5) / 1000);
  import_rate = completions / (topout_bench_quantile (import_ms, 0.5) / 1000);
  growth = MAX (topout_bench_quantile (csv_peak, 0.5), topout_bench_quantile (json_peak, 0.5)) -
           topout_bench_quantile (small_peak, 0.5);

  topout_bench_report ("6", "floor-sqlite3-csv-rate", floor_rate, "completions/s", NULL, TRUE);
  topout_bench_report ("6", "export-csv-rate", csv_rate, "completions/s", ">= 200000", csv_rate >= 200000);
  topout_bench_report ("6", "export-json-rate", json_rate, "completions/s", ">= 200000", json_rate >= 200000);
  topout_bench_report ("6", "export-csv-vs-floor", csv_rate / floor_rate, "x", NULL, TRUE);
  topout_bench_report ("6", "export-csv-replace-rate", completions / (topout_bench_quantile (csv_replace_ms, 0.5) / 1000),
                       "completions/s", NULL, TRUE);
  topout_bench_report ("6", "export-peak-rss-small", topout_bench_quantile (small_peak, 0.5), "MiB", NULL, TRUE);
  topout_bench_report ("6", "export-peak-rss-csv", topout_bench_quantile (csv_peak, 0.5), "MiB", NULL, TRUE);
  topout_bench_report ("6", "export-peak-rss-json", topout_bench_quantile (json_peak, 0.5), "MiB", NULL, TRUE);
  topout_bench_report ("6", "export-rss-growth", growth, "MiB", "<= 30 over 1,000 sessions", growth <= 30);
  topout_bench_report ("6", "import-rate", import_rate, "completions/s", ">= 100000", import_rate >= 100000);
  topout_bench_report ("6", "import-peak-rss", topout_bench_quantile (import_peak, 0.5), "MiB", NULL, TRUE);
  topout_bench_report ("6", "import-rate-existing-db", completions / (existing.ms / 1000), "completions/s", NULL, TRUE);
  topout_bench_report ("6", "floor-json-glib-parse-rate", completions / (parse_ms / 1000), "completions/s", NULL, TRUE);
  topout_bench_report ("6", "floor-json-glib-generate-rate", completions / (generate_ms / 1000), "completions/s", NULL, TRUE);
  return topout_bench_exit_code ();
}
