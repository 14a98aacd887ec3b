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

G_END_DECLS
