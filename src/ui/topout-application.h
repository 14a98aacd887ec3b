/* topout-application.h — the application: command line (--db, --demo,
 * --kiosk, --version, and the hidden --view NAME), the store, the kiosk,
 * app-wide actions (app.quit, app.about, app.sync-now), the style setting,
 * the timer that ends forgotten sessions, and the main window. */
#pragma once

#include <adwaita.h>

#include "topout-kiosk.h"
#include "topout-store.h"

G_BEGIN_DECLS

#define TOPOUT_TYPE_APPLICATION (topout_application_get_type ())
G_DECLARE_FINAL_TYPE (TopoutApplication, topout_application, TOPOUT, APPLICATION, AdwApplication)

/* A unique application, unless the environment has TOPOUT_NON_UNIQUE=1 (the
 * tests run their own instances side by side). */
TopoutApplication *topout_application_new             (void);
/* The store opened at startup, or NULL when it could not be opened. */
TopoutStore       *topout_application_get_store       (TopoutApplication *self);
/* Why the store could not be opened (names the file), or NULL. */
const GError      *topout_application_get_store_error (TopoutApplication *self);
/* The one kiosk of the application (made at startup; enabled by --kiosk or
 * the "kiosk-mode" setting), or NULL before startup. */
TopoutKiosk       *topout_application_get_kiosk       (TopoutApplication *self);
/* The application's settings (NULL before startup). */
GSettings         *topout_application_get_settings    (TopoutApplication *self);

G_END_DECLS
