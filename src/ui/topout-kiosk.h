/* topout-kiosk.h — kiosk mode and the staff PIN.
 *
 * One TopoutKiosk per application. In kiosk mode (--kiosk or the
 * "kiosk-mode" setting) staff-only actions (History, export, Preferences,
 * climber and catalog management, editing finished sessions) ask for the
 * staff PIN first; names are shown as first name and initial while locked.
 * The PIN is stored as a salted, iterated hash (GSettings "kiosk-pin-hash"),
 * never in plain text; wrong PINs are answered more slowly each time, and
 * the wait outlasts a restart (GSettings "kiosk-pin-failures",
 * "kiosk-pin-retry-at").
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TOPOUT_TYPE_KIOSK (topout_kiosk_get_type ())
G_DECLARE_FINAL_TYPE (TopoutKiosk, topout_kiosk, TOPOUT, KIOSK, GObject)

typedef void (*TopoutKioskAllowed) (gpointer user_data);

/* @settings: the app's GSettings (kiosk-mode, kiosk-pin-hash). */
TopoutKiosk *topout_kiosk_new            (GSettings   *settings);
/* Properties "enabled" (kiosk mode on), "unlocked" (staff PIN entered),
 * "short-names" (enabled && !unlocked): bind widgets to them. */
gboolean     topout_kiosk_get_enabled    (TopoutKiosk *self);
void         topout_kiosk_set_enabled    (TopoutKiosk *self,
                                          gboolean     enabled);
/* `topout --kiosk`: on for this run whatever the kiosk-mode setting says
 * (no longer bound to it), so Preferences cannot turn it off. */
void         topout_kiosk_force_enabled  (TopoutKiosk *self);
gboolean     topout_kiosk_get_forced     (TopoutKiosk *self);
gboolean     topout_kiosk_get_unlocked   (TopoutKiosk *self);
gboolean     topout_kiosk_get_short_names (TopoutKiosk *self);
/* Locks again (menu "Lock", idle timeout). */
void         topout_kiosk_lock           (TopoutKiosk *self);
/* Staff work (a key, a click, a scroll on a staff page or in a staff
 * window): while unlocked, staff access ends only 2 minutes after the
 * last of it. The window calls this; cheap enough for every event. */
void         topout_kiosk_staff_active   (TopoutKiosk *self);
/* That time, in ms (0: the default, 2 minutes); for tests. */
void         topout_kiosk_set_idle_timeout (TopoutKiosk *self,
                                            guint        idle_ms);
/* Runs @allowed now when kiosk mode is off or staff unlocked; otherwise asks
 * for the PIN in a dialog over @parent and runs it only after a right PIN.
 * @user_data must stay valid until then (pass a ref'd widget and unref in
 * @allowed, or use topout_kiosk_run_as_staff). */
void         topout_kiosk_require_staff  (TopoutKiosk        *self,
                                          GtkWidget          *parent,
                                          TopoutKioskAllowed  allowed,
                                          gpointer            user_data,
                                          GDestroyNotify      destroy);
/* A staff-only action of @widget, run with @param. */
typedef void (*TopoutKioskStaffFunc) (GtkWidget *widget,
                                      GVariant  *param);
/* Runs @func (@widget, @param) as topout_kiosk_require_staff() runs
 * @allowed (@self may be NULL: no kiosk, run now); keeps @widget and @param
 * (sunk if floating) until then. */
void         topout_kiosk_run_as_staff   (TopoutKiosk          *self,
                                          GtkWidget            *widget,
                                          TopoutKioskStaffFunc  func,
                                          GVariant             *param);

/* What staff typed and did not save when the kiosk locked (a session
 * editor's draft, under its session's id): kept in memory only, never
 * written, for staff to take back when they open it again. A NULL @draft
 * forgets @key's. */
void         topout_kiosk_keep_draft     (TopoutKiosk *self,
                                          const char  *key,
                                          GVariant    *draft);
/* @key's draft (full), forgotten here; NULL when there is none. */
GVariant    *topout_kiosk_take_draft     (TopoutKiosk *self,
                                          const char  *key);

/* The short names (SPEC §5: first name and initial, "Ada L.") of climbers
 * shown together, @n of them (a NULL name is ""): where two would read the
 * same ("Bo K." for Bo Kim and Bo Karlsson, told apart without case) each
 * shows the letters of the last name that tell them apart ("Bo Ki.",
 * "Bo Ka."), at most three: still no full name on the kiosk screen. Names
 * alike beyond that stay alike. A GStrv of @n names, in order. */
char       **topout_kiosk_short_names   (const char *const *display_names,
                                         guint              n);

/* PIN hashing (exposed for tests): "pbkdf2-sha256$iterations$salt$hash". */
char        *topout_kiosk_hash_pin       (const char  *pin,
                                          const char  *salt_hex,   /* NULL: random */
                                          guint        iterations);
gboolean     topout_kiosk_check_pin      (const char  *pin,
                                          const char  *stored_hash);
/* Sets the PIN (4–12 digits) in settings; FALSE with @error otherwise. */
gboolean     topout_kiosk_set_pin        (TopoutKiosk *self,
                                          const char  *pin,
                                          GError     **error);
/* Tries @pin; on a wrong one returns FALSE and sets *retry_after_ms to the
 * wait before the next try is accepted. */
gboolean     topout_kiosk_try_unlock     (TopoutKiosk *self,
                                          const char  *pin,
                                          guint       *retry_after_ms);

G_END_DECLS
