/* topout-file-import.c — a catalog or climber file imported from a view. */
#define G_LOG_DOMAIN "topout-file-import"

#include "config.h"

#include "topout-file-import.h"

typedef struct {
  TopoutStore        *app_store;  /* opened again in the thread */
  GFile              *file;
  gboolean            retire_missing;
  TopoutImportReport *report;    /* imported */
  TopoutImportReport *problems;  /* refused for bad lines */
} ImportJob;

static void
import_job_free (gpointer data)
{
  ImportJob *job = data;

  g_clear_object (&job->app_store);
  g_clear_object (&job->file);
  g_clear_pointer (&job->report, topout_import_report_free);
  g_clear_pointer (&job->problems, topout_import_report_free);
  g_free (job);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autoptr (TopoutStore) store = NULL;
  g_autoptr (GError) error = NULL;

  if (!(store = topout_store_open_another (job->app_store, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job->report = topout_store_import_file (store, job->file, job->retire_missing, &job->problems, &error);
  if (job->report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
topout_file_import_start (GtkWidget           *widget,
                          TopoutStore         *store,
                          GFile               *file,
                          gboolean             retire_missing,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  ImportJob *job;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (TOPOUT_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  job = g_new0 (ImportJob, 1);
  job->app_store = g_object_ref (store);
  job->file = g_object_ref (file);
  job->retire_missing = retire_missing;
  task = g_task_new (widget, cancellable, callback, user_data);
  g_task_set_source_tag (task, topout_file_import_start);
  g_task_set_task_data (task, job, import_job_free);
  g_task_run_in_thread (task, import_thread);
}

TopoutImportReport *
topout_file_import_finish (GAsyncResult        *result,
                           char               **file_name,
                           TopoutImportReport **problems,
                           GError             **error)
{
  ImportJob *job;

  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == topout_file_import_start, NULL);

  job = g_task_get_task_data (G_TASK (result));
  if (file_name != NULL)
    *file_name = g_file_get_basename (job->file);
  if (problems != NULL)
    *problems = g_steal_pointer (&job->problems);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_steal_pointer (&job->report);
}
