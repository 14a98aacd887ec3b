/* test-kiosk.c — the staff PIN: hashing (PBKDF2-HMAC-SHA256 test vectors),
 * what may be a PIN, the growing wait after wrong PINs, and the prompt. */
#include <adwaita.h>

#include "topout-desk-view.h"
#include "topout-kiosk.h"
#include "topout-preferences-window.h"
#include "topout-test-util.h"
#include "topout-ui-util.h"

/* Made by gnome.compile_resources; calling it keeps the resource (and its
 * registering constructor) in the test binary. */
GResource *topout_get_resource (void);

static void
test_pbkdf2_vectors (void)
{
  /* PBKDF2-HMAC-SHA256 test vectors (P = "password", S = "salt", dkLen = 32). */
  g_autofree char *one = topout_kiosk_hash_pin ("password", "73616c74", 1);
  g_autofree char *two = topout_kiosk_hash_pin ("password", "73616c74", 2);
  g_autofree char *many = topout_kiosk_hash_pin ("password", "73616c74", 4096);

  g_assert_cmpstr (one, ==, "pbkdf2-sha256$1$73616c74$"
                            "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
  g_assert_cmpstr (two, ==, "pbkdf2-sha256$2$73616c74$"
                            "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43");
  g_assert_cmpstr (many, ==, "pbkdf2-sha256$4096$73616c74$"
                             "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
}

static void
test_check_pin (void)
{
  g_autofree char *a = topout_kiosk_hash_pin ("2468", NULL, 0);
  g_autofree char *b = topout_kiosk_hash_pin ("2468", NULL, 0);

  /* Salted: the same PIN hashes differently each time, and checks either way. */
  g_assert_cmpstr (a, !=, b);
  g_assert_null (strstr (a, "2468"));
  g_assert_true (topout_kiosk_check_pin ("2468", a));
  g_assert_true (topout_kiosk_check_pin ("2468", b));
  g_assert_false (topout_kiosk_check_pin ("2469", a));
  g_assert_false (topout_kiosk_check_pin ("", a));
  g_assert_false (topout_kiosk_check_pin ("2468", "plain-2468"));
  g_assert_false (topout_kiosk_check_pin ("2468", "pbkdf2-sha256$x$00$00"));
}

static void
test_set_pin_rules (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  const char *bad[] = { "", "123", "12a4", "1234567890123", "12 34" };
  g_autofree char *stored = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (topout_kiosk_set_pin (kiosk, bad[i], &error));
      g_assert_nonnull (error);
    }
  g_assert_true (topout_kiosk_set_pin (kiosk, "97531", NULL));
  stored = g_settings_get_string (settings, "kiosk-pin-hash");
  g_assert_true (g_str_has_prefix (stored, "pbkdf2-sha256$"));
  g_assert_null (strstr (stored, "97531"));
  g_assert_true (topout_kiosk_check_pin ("97531", stored));
  g_settings_reset (settings, "kiosk-pin-hash");
}

/* `topout --kiosk` keeps the kiosk on whatever the setting does, and the
 * Preferences switch shows it on, not to be turned off. */
static void
test_forced_by_command_line (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  TopoutPreferencesWindow *prefs;
  GtkWidget *sw;

  g_assert_false (topout_kiosk_get_enabled (kiosk));
  topout_kiosk_force_enabled (kiosk);
  g_assert_true (topout_kiosk_get_forced (kiosk));
  g_assert_true (topout_kiosk_get_enabled (kiosk));
  g_settings_set_boolean (settings, "kiosk-mode", TRUE);
  g_settings_set_boolean (settings, "kiosk-mode", FALSE);
  g_assert_true (topout_kiosk_get_enabled (kiosk));

  prefs = topout_preferences_window_new (NULL, settings, kiosk);
  sw = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (prefs), TOPOUT_TYPE_PREFERENCES_WINDOW, "kiosk_switch"));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));
  g_assert_false (gtk_widget_get_sensitive (sw));

  /* Return in "New PIN" goes on to "Repeat the PIN". */
  {
    GtkWidget *pin = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (prefs), TOPOUT_TYPE_PREFERENCES_WINDOW, "pin_entry"));
    GtkWidget *again = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (prefs), TOPOUT_TYPE_PREFERENCES_WINDOW, "pin_repeat_entry"));
    GtkWidget *focus;

    gtk_window_present (GTK_WINDOW (prefs));
    gtk_widget_grab_focus (pin);
    g_signal_emit_by_name (pin, "activate");
    focus = gtk_root_get_focus (GTK_ROOT (prefs));
    g_assert_nonnull (focus);
    g_assert_true (focus == again || gtk_widget_is_ancestor (focus, again));
  }
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_reset (settings, "kiosk-mode");
}

/* Kiosk mode switched on in Preferences with no staff PIN: refused (the
 * staff pages would be open to everyone), said at the PIN row; with a PIN
 * set it goes on. */
static void
test_switch_needs_pin (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  TopoutPreferencesWindow *prefs;
  GtkSwitch *sw;
  AdwActionRow *repeat_row;

  g_settings_reset (settings, "kiosk-pin-hash");
  g_settings_reset (settings, "kiosk-mode");
  prefs = topout_preferences_window_new (NULL, settings, kiosk);
  sw = GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (prefs), TOPOUT_TYPE_PREFERENCES_WINDOW, "kiosk_switch"));
  repeat_row = ADW_ACTION_ROW (gtk_widget_get_template_child (GTK_WIDGET (prefs), TOPOUT_TYPE_PREFERENCES_WINDOW,
                                                              "pin_repeat_row"));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (sw)));

  gtk_switch_set_active (sw, TRUE);
  g_assert_false (gtk_switch_get_active (sw));
  g_assert_false (g_settings_get_boolean (settings, "kiosk-mode"));
  g_assert_false (topout_kiosk_get_enabled (kiosk));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (repeat_row), "staff PIN first"));

  /* A PIN too short is refused at the PIN, not at its repetition. */
  {
    GtkWidget *pin = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (prefs), TOPOUT_TYPE_PREFERENCES_WINDOW,
                                                                "pin_entry"));
    GtkWidget *again = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (prefs), TOPOUT_TYPE_PREFERENCES_WINDOW,
                                                                  "pin_repeat_entry"));
    AdwActionRow *new_row = ADW_ACTION_ROW (gtk_widget_get_template_child (GTK_WIDGET (prefs),
                                                                           TOPOUT_TYPE_PREFERENCES_WINDOW,
                                                                           "pin_new_row"));

    gtk_editable_set_text (GTK_EDITABLE (pin), "12");
    gtk_editable_set_text (GTK_EDITABLE (again), "12");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.save-pin", NULL));
    g_assert_true (gtk_widget_has_css_class (pin, "error"));
    g_assert_false (gtk_widget_has_css_class (again, "error"));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (new_row), "digits"));
    {
      g_autofree char *hash = g_settings_get_string (settings, "kiosk-pin-hash");

      g_assert_cmpstr (hash, ==, "");
    }
  }

  g_assert_true (topout_kiosk_set_pin (kiosk, "2468", NULL));
  gtk_switch_set_active (sw, TRUE);
  g_assert_true (g_settings_get_boolean (settings, "kiosk-mode"));
  g_assert_true (topout_kiosk_get_enabled (kiosk));
  /* And off again from the switch. */
  gtk_switch_set_active (sw, FALSE);
  g_assert_false (g_settings_get_boolean (settings, "kiosk-mode"));

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_reset (settings, "kiosk-mode");
  g_settings_reset (settings, "kiosk-pin-hash");
}

static void
test_wrong_pins_slow_down (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  guint wait_ms = 0;

  g_assert_true (topout_kiosk_set_pin (kiosk, "1357", NULL));
  topout_kiosk_set_enabled (kiosk, TRUE);
  g_assert_true (topout_kiosk_get_short_names (kiosk));

  g_assert_false (topout_kiosk_try_unlock (kiosk, "0000", &wait_ms));
  g_assert_cmpuint (wait_ms, ==, 1000);
  /* During the wait even the right PIN is not accepted. */
  g_assert_false (topout_kiosk_try_unlock (kiosk, "1357", &wait_ms));
  g_assert_cmpuint (wait_ms, >, 0);
  g_assert_false (topout_kiosk_get_unlocked (kiosk));

  g_usleep (1100 * 1000);
  g_assert_false (topout_kiosk_try_unlock (kiosk, "1111", &wait_ms));
  g_assert_cmpuint (wait_ms, ==, 2000);  /* doubled */
  g_usleep (2100 * 1000);

  g_assert_true (topout_kiosk_try_unlock (kiosk, "1357", &wait_ms));
  g_assert_true (topout_kiosk_get_unlocked (kiosk));
  g_assert_false (topout_kiosk_get_short_names (kiosk));
  topout_kiosk_lock (kiosk);
  g_assert_false (topout_kiosk_get_unlocked (kiosk));
  g_assert_true (topout_kiosk_get_short_names (kiosk));
  g_settings_reset (settings, "kiosk-pin-hash");
}

/* The wait after wrong PINs outlasts the kiosk: a new TopoutKiosk on the
 * same settings (the app started again after a crash, a power cut, a
 * kill) still waits, and goes on doubling; a right PIN clears it for the
 * next start too. A next-try time far ahead (the clock set back since) is
 * no more than the wait. */
static void
test_wrong_pins_outlast_restart (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) first = topout_kiosk_new (settings);
  g_autoptr (TopoutKiosk) again = NULL;
  g_autoptr (TopoutKiosk) third = NULL;
  guint wait_ms = 0;

  g_assert_true (topout_kiosk_set_pin (first, "1357", NULL));
  topout_kiosk_set_enabled (first, TRUE);
  g_assert_false (topout_kiosk_try_unlock (first, "0000", &wait_ms));
  g_assert_cmpuint (wait_ms, ==, 1000);
  g_clear_object (&first);

  /* Started again: the right PIN is not even checked during the wait. */
  again = topout_kiosk_new (settings);
  topout_kiosk_set_enabled (again, TRUE);
  g_assert_false (topout_kiosk_try_unlock (again, "1357", &wait_ms));
  g_assert_cmpuint (wait_ms, >, 0);
  g_assert_cmpuint (wait_ms, <=, 1000);
  g_assert_false (topout_kiosk_get_unlocked (again));
  g_usleep ((wait_ms + 100) * 1000);
  /* The second wrong PIN in a row, whatever restarts came between. */
  g_assert_false (topout_kiosk_try_unlock (again, "2222", &wait_ms));
  g_assert_cmpuint (wait_ms, ==, 2000);
  g_assert_cmpuint (g_settings_get_uint (settings, "kiosk-pin-failures"), ==, 2);

  /* The clock set back a day since: a minute at most, not a day. */
  {
    gint64 retry_at = g_settings_get_int64 (settings, "kiosk-pin-retry-at");
    g_autoptr (TopoutKiosk) clock_back = NULL;

    g_settings_set_int64 (settings, "kiosk-pin-retry-at", retry_at + G_TIME_SPAN_DAY);
    clock_back = topout_kiosk_new (settings);
    g_assert_false (topout_kiosk_try_unlock (clock_back, "1357", &wait_ms));
    g_assert_cmpuint (wait_ms, >, 0);
    g_assert_cmpuint (wait_ms, <=, 60000);
    g_settings_set_int64 (settings, "kiosk-pin-retry-at", retry_at);
  }

  /* After the wait, the right PIN; the next start has no wait left and
   * starts counting again. */
  third = topout_kiosk_new (settings);
  topout_kiosk_set_enabled (third, TRUE);
  g_assert_false (topout_kiosk_try_unlock (third, "1357", &wait_ms));
  g_assert_cmpuint (wait_ms, >, 0);
  g_usleep ((wait_ms + 100) * 1000);
  g_assert_true (topout_kiosk_try_unlock (third, "1357", &wait_ms));
  g_assert_true (topout_kiosk_get_unlocked (third));
  g_assert_cmpuint (g_settings_get_uint (settings, "kiosk-pin-failures"), ==, 0);
  g_assert_cmpint (g_settings_get_int64 (settings, "kiosk-pin-retry-at"), ==, 0);
  {
    g_autoptr (TopoutKiosk) cleared = topout_kiosk_new (settings);

    topout_kiosk_set_enabled (cleared, TRUE);
    g_assert_false (topout_kiosk_try_unlock (cleared, "0000", &wait_ms));
    g_assert_cmpuint (wait_ms, ==, 1000);
  }

  g_settings_reset (settings, "kiosk-pin-failures");
  g_settings_reset (settings, "kiosk-pin-retry-at");
  g_settings_reset (settings, "kiosk-pin-hash");
}

static void
count_run (gpointer data)
{
  (*(guint *) data)++;
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);
      if (found)
        return found;
    }
  return NULL;
}

static void
test_require_staff_prompt (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  GtkWidget *window = gtk_window_new ();
  AdwMessageDialog *prompt;
  GtkWidget *entry;
  guint runs = 0;

  gtk_window_present (GTK_WINDOW (window));

  /* Not a kiosk: runs at once. */
  topout_kiosk_require_staff (kiosk, window, count_run, &runs, NULL);
  g_assert_cmpuint (runs, ==, 1);

  /* A kiosk with a PIN: only after the right PIN in the prompt. */
  g_assert_true (topout_kiosk_set_pin (kiosk, "8642", NULL));
  topout_kiosk_set_enabled (kiosk, TRUE);
  topout_kiosk_require_staff (kiosk, window, count_run, &runs, NULL);
  g_assert_cmpuint (runs, ==, 1);
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  entry = find_named (GTK_WIDGET (prompt), "staff-pin-entry");
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "8642");
  adw_message_dialog_response (prompt, "unlock");
  g_assert_cmpuint (runs, ==, 2);
  g_assert_true (topout_kiosk_get_unlocked (kiosk));

  /* Unlocked: no prompt. Cancel after locking: never runs. */
  topout_kiosk_require_staff (kiosk, window, count_run, &runs, NULL);
  g_assert_cmpuint (runs, ==, 3);
  topout_kiosk_lock (kiosk);
  topout_kiosk_require_staff (kiosk, window, count_run, &runs, NULL);
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  adw_message_dialog_response (prompt, "cancel");
  g_assert_cmpuint (runs, ==, 3);
  g_assert_null (topout_test_find_prompt ());

  /* A wrong PIN: the prompt again, its field closed for the wait (digits
   * typed meanwhile were kept, and the right PIN after them was wrong). */
  topout_kiosk_require_staff (kiosk, window, count_run, &runs, NULL);
  prompt = topout_test_find_prompt ();
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (prompt), "staff-pin-entry")), "1111");
  adw_message_dialog_response (prompt, "unlock");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  entry = find_named (GTK_WIDGET (prompt), "staff-pin-entry");
  g_assert_false (gtk_widget_get_sensitive (entry));
  g_assert_false (adw_message_dialog_get_response_enabled (prompt, "unlock"));
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (!gtk_widget_get_sensitive (entry) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_true (gtk_widget_get_sensitive (entry));
  /* Open again; Unlock once something is typed. */
  g_assert_false (adw_message_dialog_get_response_enabled (prompt, "unlock"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "8642");
  g_assert_true (adw_message_dialog_get_response_enabled (prompt, "unlock"));
  adw_message_dialog_response (prompt, "unlock");
  g_assert_cmpuint (runs, ==, 4);
  g_assert_null (topout_test_find_prompt ());

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "kiosk-pin-hash");
}

/* Every mapped button and entry under @widget is at least 48 px in both
 * directions (a finger's target): @n counts them. */
static void
assert_finger_targets (GtkWidget *widget,
                       guint     *n)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_BUTTON (widget) || GTK_IS_ENTRY (widget))
    {
      graphene_rect_t bounds;

      /* What a finger can hit: the border box (gtk_widget_get_height()
       * is the content's, inside the padding). */
      g_assert_true (gtk_widget_compute_bounds (widget, widget, &bounds));
      g_test_message ("%s \"%s\": %g x %g", G_OBJECT_TYPE_NAME (widget),
                      GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL
                        ? gtk_button_get_label (GTK_BUTTON (widget)) : gtk_widget_get_name (widget),
                      bounds.size.width, bounds.size.height);
      g_assert_cmpfloat (bounds.size.width, >=, 48);
      g_assert_cmpfloat (bounds.size.height, >=, 48);
      (*n)++;
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    assert_finger_targets (c, n);
}

/* The staff PIN prompt over a kiosk's window (1280 x 800, a kiosk's
 * touch screen): its field, Cancel and Unlock are each at least 48 px
 * high and wide, big targets for chalky fingers (its buttons were 44 px
 * high, the field 34). */
static void
test_prompt_finger_targets (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  GtkWidget *window = gtk_window_new ();
  AdwMessageDialog *prompt;
  guint runs = 0;
  guint n = 0;

  topout_ui_load_style ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  topout_test_wait_frames (window, 2);
  g_assert_true (topout_kiosk_set_pin (kiosk, "8642", NULL));
  topout_kiosk_set_enabled (kiosk, TRUE);
  topout_kiosk_require_staff (kiosk, window, count_run, &runs, NULL);
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  topout_test_wait_frames (GTK_WIDGET (prompt), 2);
  assert_finger_targets (GTK_WIDGET (prompt), &n);
  /* The field, Cancel and Unlock. */
  g_assert_cmpuint (n, ==, 3);

  adw_message_dialog_response (prompt, "cancel");
  /* Closed (in an idle) before its window goes. */
  g_assert_null (topout_test_find_prompt ());
  g_assert_cmpuint (runs, ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
  topout_test_pump ();
  g_settings_reset (settings, "kiosk-pin-hash");
  g_settings_reset (settings, "kiosk-mode");
}

/* The prompt's text (its body). */
static const char *
prompt_body (AdwMessageDialog *prompt)
{
  return adw_message_dialog_get_body (prompt);
}

/* The PIN field's accessible description is @text (any, when NULL). */
static gboolean
entry_described_by (GtkWidget  *entry,
                    const char *text)
{
  g_autofree char *wrong = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION))
    return FALSE;
  if (text == NULL)
    return TRUE;
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text);
  return wrong == NULL;
}

/* An empty PIN is no try: Unlock waits for something typed, and a tap on
 * it anyway (Enter, a response) neither says "Wrong PIN" nor makes the
 * staff wait (it counted as a wrong PIN: a climber tapping Unlock a few
 * times kept the staff out for up to a minute). A prompt opened during the
 * wait after a wrong PIN says why its field is closed, and its field is
 * described by that (a screen reader heard it only as the dialog opened);
 * once the wait is over, both say the PIN can be entered again. */
static void
test_prompt_empty_and_waiting (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  GtkWidget *window = gtk_window_new ();
  AdwMessageDialog *prompt;
  GtkWidget *entry;
  guint runs = 0;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (topout_kiosk_set_pin (kiosk, "8642", NULL));
  topout_kiosk_set_enabled (kiosk, TRUE);

  topout_kiosk_require_staff (kiosk, window, count_run, &runs, NULL);
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  entry = find_named (GTK_WIDGET (prompt), "staff-pin-entry");
  g_assert_false (adw_message_dialog_get_response_enabled (prompt, "unlock"));
  for (guint i = 0; i < 3; i++)
    {
      adw_message_dialog_response (prompt, "unlock");
      while (g_main_context_iteration (NULL, FALSE))
        ;
      prompt = topout_test_find_prompt ();
      g_assert_nonnull (prompt);
      g_assert_cmpstr (prompt_body (prompt), ==, "Enter the staff PIN to continue.");
      entry = find_named (GTK_WIDGET (prompt), "staff-pin-entry");
      g_assert_false (entry_described_by (entry, NULL));
      g_assert_true (gtk_widget_get_sensitive (entry));
    }
  g_assert_cmpuint (runs, ==, 0);
  /* No wait: the right PIN at once. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "8642");
  adw_message_dialog_response (prompt, "unlock");
  g_assert_cmpuint (runs, ==, 1);
  g_assert_true (topout_kiosk_get_unlocked (kiosk));
  topout_kiosk_lock (kiosk);

  /* A wrong PIN, cancelled, and the prompt opened again during the wait. */
  topout_kiosk_require_staff (kiosk, window, count_run, &runs, NULL);
  prompt = topout_test_find_prompt ();
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (prompt), "staff-pin-entry")), "1111");
  adw_message_dialog_response (prompt, "unlock");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  prompt = topout_test_find_prompt ();
  g_assert_true (g_str_has_prefix (prompt_body (prompt), "Wrong PIN. Try again in "));
  g_assert_true (entry_described_by (find_named (GTK_WIDGET (prompt), "staff-pin-entry"), prompt_body (prompt)));
  adw_message_dialog_response (prompt, "cancel");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  topout_kiosk_require_staff (kiosk, window, count_run, &runs, NULL);
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  entry = find_named (GTK_WIDGET (prompt), "staff-pin-entry");
  g_assert_false (gtk_widget_get_sensitive (entry));
  g_assert_true (g_str_has_prefix (prompt_body (prompt), "Wrong PIN. Try again in "));
  /* The field is described by it: heard when it takes the focus again. */
  g_assert_true (entry_described_by (entry, prompt_body (prompt)));
  /* The wait over, the field open again: the prompt says so, no longer
   * "Try again in 1 second" (it did, for as long as it stayed open). */
  while (!gtk_widget_get_sensitive (entry))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (prompt_body (prompt), ==, "Wrong PIN. Enter the staff PIN again.");
  g_assert_true (entry_described_by (entry, "Wrong PIN. Enter the staff PIN again."));
  /* The field's text (GtkEntry gives the focus to it) has the focus back. */
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (prompt)), entry));
  adw_message_dialog_response (prompt, "cancel");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (runs, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  /* The wrong PIN's wait is kept in the settings: not for the next test. */
  g_settings_reset (settings, "kiosk-pin-failures");
  g_settings_reset (settings, "kiosk-pin-retry-at");
  g_settings_reset (settings, "kiosk-pin-hash");
}

/* What a staff action saw: the widget and the parameter it was run with. */
typedef struct {
  guint      runs;
  GtkWidget *widget;
  char      *param;
} StaffRuns;

static StaffRuns staff_runs;

static void
record_staff_run (GtkWidget *widget,
                  GVariant  *param)
{
  staff_runs.runs++;
  staff_runs.widget = widget;
  g_free (staff_runs.param);
  staff_runs.param = param ? g_variant_dup_string (param, NULL) : NULL;
}

static void
test_run_as_staff (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *button = gtk_button_new ();
  AdwMessageDialog *prompt;
  GWeakRef button_ref;

  gtk_window_set_child (GTK_WINDOW (window), button);
  gtk_window_present (GTK_WINDOW (window));
  g_weak_ref_init (&button_ref, button);

  /* No kiosk at all, or kiosk mode off: at once, with the parameter. */
  topout_kiosk_run_as_staff (NULL, button, record_staff_run, g_variant_new_string ("a"));
  g_assert_cmpuint (staff_runs.runs, ==, 1);
  g_assert_true (staff_runs.widget == button);
  g_assert_cmpstr (staff_runs.param, ==, "a");
  topout_kiosk_run_as_staff (kiosk, button, record_staff_run, NULL);
  g_assert_cmpuint (staff_runs.runs, ==, 2);
  g_assert_null (staff_runs.param);

  /* Kiosk mode with a PIN: waits for it, and the widget and parameter
   * outlive the window they were in until then. */
  g_assert_true (topout_kiosk_set_pin (kiosk, "8642", NULL));
  topout_kiosk_set_enabled (kiosk, TRUE);
  topout_kiosk_run_as_staff (kiosk, button, record_staff_run, g_variant_new_string ("b"));
  g_assert_cmpuint (staff_runs.runs, ==, 2);
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  gtk_window_set_child (GTK_WINDOW (window), NULL);
  {
    g_autoptr (GtkWidget) kept = g_weak_ref_get (&button_ref);
    g_assert_true (kept == button);
  }
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (prompt), "staff-pin-entry")), "8642");
  adw_message_dialog_response (prompt, "unlock");
  g_assert_cmpuint (staff_runs.runs, ==, 3);
  g_assert_true (staff_runs.widget == button);
  g_assert_cmpstr (staff_runs.param, ==, "b");

  /* Then released: nothing else held the button. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  {
    g_autoptr (GtkWidget) gone = g_weak_ref_get (&button_ref);
    g_assert_null (gone);
  }
  g_weak_ref_clear (&button_ref);
  g_clear_pointer (&staff_runs.param, g_free);
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "kiosk-pin-hash");
}

/* What a guarded action saw: how often it ran, and was let go. */
typedef struct {
  guint runs;
  guint freed;
} Guarded;

static void
guarded_run (gpointer data)
{
  ((Guarded *) data)->runs++;
}

static void
guarded_free (gpointer data)
{
  ((Guarded *) data)->freed++;
}

/* The kiosk's window destroyed while its staff PIN prompt is up (the app
 * quitting, a staff window closed by the lock): the prompt goes with it,
 * as Cancel, never runs what it guarded, and lets it go; so does a prompt
 * destroyed itself (it kept its request). Answered just before its window
 * went, the prompt's close (in an idle) comes after the window is gone:
 * GTK 4.8 keeps a prompt's transient parent as a plain pointer, and the
 * prompt freed then read the freed window ("instance with invalid (NULL)
 * class pointer", a warning g_test_init() makes fatal). */
static void
test_prompt_outlived_by_window (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *button = gtk_button_new ();
  AdwMessageDialog *prompt;
  GWeakRef window_ref;
  Guarded guarded = { 0, 0 };

  g_assert_true (topout_kiosk_set_pin (kiosk, "8642", NULL));
  topout_kiosk_set_enabled (kiosk, TRUE);

  /* Open, over a widget of the window, when the window is destroyed. */
  gtk_window_set_child (GTK_WINDOW (window), button);
  gtk_window_present (GTK_WINDOW (window));
  g_weak_ref_init (&window_ref, window);
  topout_kiosk_require_staff (kiosk, button, guarded_run, &guarded, guarded_free);
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  gtk_window_destroy (GTK_WINDOW (window));
  topout_test_wait_ms (100);
  g_assert_null (topout_test_find_prompt ());
  g_assert_cmpuint (guarded.runs, ==, 0);
  g_assert_cmpuint (guarded.freed, ==, 1);
  {
    g_autoptr (GtkWidget) gone = g_weak_ref_get (&window_ref);
    g_assert_null (gone);
  }
  g_weak_ref_clear (&window_ref);

  /* The prompt destroyed itself, its window left open (the lock closes
   * every window opened over the kiosk's): let go, as Cancel. */
  window = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (window));
  topout_kiosk_require_staff (kiosk, window, guarded_run, &guarded, guarded_free);
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  gtk_window_destroy (GTK_WINDOW (prompt));
  topout_test_wait_ms (100);
  g_assert_null (topout_test_find_prompt ());
  g_assert_cmpuint (guarded.runs, ==, 0);
  g_assert_cmpuint (guarded.freed, ==, 2);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Cancelled, and the window destroyed before the prompt's close. */
  window = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (window));
  topout_kiosk_require_staff (kiosk, window, guarded_run, &guarded, guarded_free);
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  adw_message_dialog_response (prompt, "cancel");
  gtk_window_destroy (GTK_WINDOW (window));
  topout_test_wait_ms (100);
  g_assert_null (topout_test_find_prompt ());
  g_assert_cmpuint (guarded.runs, ==, 0);
  g_assert_cmpuint (guarded.freed, ==, 3);

  /* The right PIN, and the window destroyed before the prompt's close. */
  window = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (window));
  topout_kiosk_require_staff (kiosk, window, guarded_run, &guarded, guarded_free);
  prompt = topout_test_find_prompt ();
  g_assert_nonnull (prompt);
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (prompt), "staff-pin-entry")), "8642");
  adw_message_dialog_response (prompt, "unlock");
  gtk_window_destroy (GTK_WINDOW (window));
  topout_test_wait_ms (100);
  g_assert_null (topout_test_find_prompt ());
  g_assert_cmpuint (guarded.runs, ==, 1);
  g_assert_cmpuint (guarded.freed, ==, 4);

  g_settings_reset (settings, "kiosk-pin-hash");
  g_settings_reset (settings, "kiosk-mode");
}

/* Short names shown together are told apart by the fewest letters of the
 * last name, three at most, without case; alone they stay "Bo K.". */
static void
assert_short_names (const char *const *names,
                    guint              n,
                    const char        *expected)
{
  g_auto (GStrv) shown = topout_kiosk_short_names (names, n);
  g_autofree char *joined = g_strjoinv ("|", shown);

  g_assert_cmpuint (g_strv_length (shown), ==, n);
  g_assert_cmpstr (joined, ==, expected);
}

static void
test_short_names_told_apart (void)
{
  const char *gym[] = { "Bo Kim", "Bo Karlsson", "Ada Lovelace", "Cher", NULL, "Al  Kim" };
  const char *stem[] = { "Bo Kim", "Bo Kimball" };
  const char *cased[] = { "Bo Kim", "bo karlsson" };
  const char *middle[] = { "Bo Kim Lee", "Bo Larsen" };
  const char *alone[] = { "Bo Kim" };

  assert_short_names (gym, G_N_ELEMENTS (gym), "Bo Ki.|Bo Ka.|Ada L.|Cher||Al K.");
  assert_short_names (stem, G_N_ELEMENTS (stem), "Bo Kim.|Bo Kim.");
  assert_short_names (cased, G_N_ELEMENTS (cased), "Bo Ki.|bo Ka.");
  assert_short_names (middle, G_N_ELEMENTS (middle), "Bo Le.|Bo La.");
  assert_short_names (alone, G_N_ELEMENTS (alone), "Bo K.");
}

static gboolean
has_name (GtkWidget     *widget,
          gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The titles of the rows of the desk's list named @name, sorted, "|" between. */
static char *
row_titles (GtkWidget  *desk,
            const char *name)
{
  GtkWidget *list = topout_test_find (desk, has_name, name);
  g_autoptr (GPtrArray) titles = g_ptr_array_new ();

  g_assert_nonnull (list);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      const char *title = g_object_get_data (G_OBJECT (row), "topout-title");

      if (title != NULL)
        g_ptr_array_add (titles, (gpointer) title);
    }
  g_ptr_array_sort (titles, compare_strings);
  g_ptr_array_add (titles, NULL);
  return g_strjoinv ("|", (char **) titles->pdata);
}

static void
search (GtkWidget  *desk,
        const char *text)
{
  GtkWidget *entry = topout_test_find (desk, has_name, "climber-search");

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "search-changed");
  topout_test_wait_ms (300);
}

/* At a locked kiosk, Bo Kim and Bo Karlsson (no member codes, nothing else
 * on their rows) found by "Bo" read "Bo Ki." and "Bo Ka.", not twice
 * "Bo K."; so on the wall; with the kiosk off, their full names. */
static void
test_desk_short_names_told_apart (void)
{
  g_autofree char *path = NULL;
  g_autoptr (TopoutStore) store = topout_test_store_new ("2026-11-21T17:00:00Z", &path);
  g_autoptr (GSettings) settings = g_settings_new ("io.github.topout.Topout");
  g_autoptr (TopoutKiosk) kiosk = topout_kiosk_new (settings);
  g_autoptr (TopoutClimber) kim = topout_test_add_climber (store, "Bo Kim", NULL);
  g_autoptr (TopoutClimber) karlsson = topout_test_add_climber (store, "Bo Karlsson", NULL);
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (store, "Ada Lovelace", NULL);
  g_autoptr (TopoutSession) one = NULL, two = NULL;
  g_autofree char *titles = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *desk;

  topout_kiosk_set_enabled (kiosk, TRUE);
  g_assert_true (topout_kiosk_get_short_names (kiosk));
  desk = topout_desk_view_new (store, kiosk);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_set_child (GTK_WINDOW (window), desk);
  gtk_window_present (GTK_WINDOW (window));
  topout_test_pump ();

  search (desk, "Bo");
  titles = row_titles (desk, "climber-list");
  g_assert_cmpstr (titles, ==, "Bo Ka.|Bo Ki.");
  g_clear_pointer (&titles, g_free);
  search (desk, "");
  titles = row_titles (desk, "climber-list");
  g_assert_cmpstr (titles, ==, "Ada L.|Bo Ka.|Bo Ki.");
  g_clear_pointer (&titles, g_free);

  one = topout_test_start (store, topout_climber_get_id (kim), TOPOUT_SESSION_TYPE_FUN);
  two = topout_test_start (store, topout_climber_get_id (karlsson), TOPOUT_SESSION_TYPE_FUN);
  topout_test_pump ();
  titles = row_titles (desk, "wall-list");
  g_assert_cmpstr (titles, ==, "Bo Ka.|Bo Ki.");
  g_clear_pointer (&titles, g_free);

  topout_kiosk_set_enabled (kiosk, FALSE);
  topout_test_pump ();
  titles = row_titles (desk, "wall-list");
  g_assert_cmpstr (titles, ==, "Bo Karlsson|Bo Kim");
  g_clear_pointer (&titles, g_free);

  gtk_window_destroy (GTK_WINDOW (window));
  topout_test_pump ();
  g_settings_reset (settings, "kiosk-mode");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_nonnull (topout_get_resource ());

  g_test_add_func ("/kiosk/pbkdf2-vectors", test_pbkdf2_vectors);
  g_test_add_func ("/kiosk/check-pin", test_check_pin);
  g_test_add_func ("/kiosk/set-pin-rules", test_set_pin_rules);
  g_test_add_func ("/kiosk/forced-by-command-line", test_forced_by_command_line);
  g_test_add_func ("/kiosk/switch-needs-pin", test_switch_needs_pin);
  g_test_add_func ("/kiosk/wrong-pins-slow-down", test_wrong_pins_slow_down);
  g_test_add_func ("/kiosk/wrong-pins-outlast-restart", test_wrong_pins_outlast_restart);
  g_test_add_func ("/kiosk/require-staff-prompt", test_require_staff_prompt);
  g_test_add_func ("/kiosk/prompt-empty-and-waiting", test_prompt_empty_and_waiting);
  g_test_add_func ("/kiosk/prompt-finger-targets", test_prompt_finger_targets);
  g_test_add_func ("/kiosk/run-as-staff", test_run_as_staff);
  g_test_add_func ("/kiosk/prompt-outlived-by-window", test_prompt_outlived_by_window);
  g_test_add_func ("/kiosk/short-names-told-apart", test_short_names_told_apart);
  g_test_add_func ("/kiosk/desk-short-names-told-apart", test_desk_short_names_told_apart);

  return g_test_run ();
}
