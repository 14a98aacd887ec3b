/* topout-catalog-view.h — The catalog: find, add, retire and restore climbs; import a catalog file with its report. */
#pragma once

#include <adwaita.h>

#include "topout-kiosk.h"
#include "topout-store.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_CATALOG_VIEW (topout_catalog_view_get_type ())
G_DECLARE_FINAL_TYPE (TopoutCatalogView, topout_catalog_view, TOPOUT, CATALOG_VIEW, AdwBin)

/* Properties "store" and "kiosk" (construct-only). */
GtkWidget *topout_catalog_view_new (TopoutStore *store,
                                    TopoutKiosk *kiosk);

/* Called after the form added @climb (a toast said so). */
typedef void (*TopoutClimbAdded) (GtkWidget   *owner,
                                  TopoutClimb *climb);

/* The Add Climb form, modal over @owner's window: @name (nullable) fills
 * in the name; the catalog id may be left blank (a climb of one's own). */
void       topout_climb_form_present (GtkWidget        *owner,
                                      TopoutStore      *store,
                                      const char       *name,
                                      TopoutClimbAdded  added);

G_END_DECLS
