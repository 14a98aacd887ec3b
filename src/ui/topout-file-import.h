/* topout-file-import.h — a catalog or climber file imported from a view.
 *
 * The import runs on a worker thread with a connection of its own to the
 * database, so the UI's connection stays free; it is all or nothing
 * (topout_store_import_file()).
 */
#pragma once

#include <adwaita.h>

#include "topout-store.h"

G_BEGIN_DECLS

/* Imports @file into the database @store has open; @callback then runs on
 * this thread with @widget as the source object. */
void                topout_file_import_start  (GtkWidget           *widget,
                                               TopoutStore         *store,
                                               GFile               *file,
                                               gboolean             retire_missing,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* The report, or NULL when nothing was imported: then @problems holds the
 * file's bad lines (NULL when the whole file was refused) and @error says
 * why. @file_name: the file's name, for the report. */
TopoutImportReport *topout_file_import_finish (GAsyncResult        *result,
                                               char               **file_name,
                                               TopoutImportReport **problems,
                                               GError             **error);

G_END_DECLS
