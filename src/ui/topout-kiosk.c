/* topout-kiosk.c — kiosk mode and the staff PIN.
 *
 * The PIN is kept as "pbkdf2-sha256$ITERATIONS$SALT$HASH" (PBKDF2 with
 * HMAC-SHA256, GLib's GHmac, a 16-byte random salt): a copied settings file
 * does not give the PIN away for free. Wrong PINs are answered with a growing
 * wait (1 s, 2 s, 4 s … up to a minute) on the monotonic clock; the count
 * and the wall-clock time of the next try are kept in the settings too
 * ("kiosk-pin-failures", "kiosk-pin-retry-at"), so that a crash, a power
 * cut or a kill does not give whoever restarts the app fresh fast tries
 * (read back at start, a time further ahead than the wait is that wait: a
 * clock set back does not lock the staff out for longer). Staff access
 * ends by itself STAFF_IDLE_S after the staff last did something (the PIN,
 * topout_kiosk_staff_active()), or with topout_kiosk_lock().
 */
#define G_LOG_DOMAIN "topout-kiosk"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "topout-kiosk.h"

#define PIN_ITERATIONS    50000
#define PIN_MIN_DIGITS    4
#define PIN_MAX_DIGITS    12
#define BACKOFF_MAX_MS    60000
/* Staff who walk away without locking leave the kiosk open this long: long
 * enough to read a page or think over an edit, short enough that the next
 * climber at the desk rarely finds it open. Work on the staff pages keeps
 * it open, however long. */
#define STAFF_IDLE_S      (2 * 60)

struct _TopoutKiosk
{
  GObject    parent_instance;

  GSettings *settings;
  gboolean   enabled;
  gboolean   forced;     /* by the command line */
  gboolean   unlocked;
  guint      failures;
  gint64     retry_not_before;  /* monotonic µs */
  guint      relock_id;
  guint      idle_ms;           /* staff access ends after this without work */
  gint64     staff_active_at;   /* monotonic µs */
  GHashTable *drafts;           /* key → GVariant: what staff typed and did not save */
};

G_DEFINE_FINAL_TYPE (TopoutKiosk, topout_kiosk, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENABLED,
  PROP_UNLOCKED,
  PROP_SHORT_NAMES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* PIN hashing ------------------------------------------------------------ */

static void
hmac_sha256 (const guint8 *key,
             gsize         key_len,
             const guint8 *data,
             gsize         data_len,
             const guint8 *data2,
             gsize         data2_len,
             guint8        out[32])
{
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  gsize len = 32;

  g_hmac_update (hmac, data, data_len);
  if (data2 != NULL)
    g_hmac_update (hmac, data2, data2_len);
  g_hmac_get_digest (hmac, out, &len);
}

/* PBKDF2-HMAC-SHA256, one 32-byte block (RFC 8018 section 5.2). */
static void
pbkdf2_sha256 (const char   *password,
               const guint8 *salt,
               gsize         salt_len,
               guint         iterations,
               guint8        out[32])
{
  static const guint8 block_index[4] = { 0, 0, 0, 1 };
  guint8 u[32];

  hmac_sha256 ((const guint8 *) password, strlen (password), salt, salt_len, block_index, 4, u);
  memcpy (out, u, 32);
  for (guint i = 1; i < iterations; i++)
    {
      hmac_sha256 ((const guint8 *) password, strlen (password), u, 32, NULL, 0, u);
      for (guint j = 0; j < 32; j++)
        out[j] ^= u[j];
    }
}

static char *
to_hex (const guint8 *data,
        gsize         len)
{
  GString *s = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (s, "%02x", data[i]);
  return g_string_free (s, FALSE);
}

/* Reads exactly @len bytes of hex. */
static gboolean
from_hex (const char *hex,
          guint8     *out,
          gsize       len)
{
  if (hex == NULL || strlen (hex) != len * 2)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);
      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8) (hi * 16 + lo);
    }
  return TRUE;
}

char *
topout_kiosk_hash_pin (const char *pin,
                       const char *salt_hex,
                       guint       iterations)
{
  guint8 salt[64];
  gsize salt_len = salt_hex ? strlen (salt_hex) / 2 : 0;
  guint8 hash[32];
  g_autofree char *salt_text = NULL;
  g_autofree char *hash_text = NULL;

  g_return_val_if_fail (pin != NULL, NULL);

  if (salt_len == 0 || salt_len > sizeof salt || !from_hex (salt_hex, salt, salt_len))
    {
      salt_len = 16;
      for (guint i = 0; i < salt_len; i += 4)
        {
          guint32 r = g_random_int ();
          memcpy (salt + i, &r, 4);
        }
    }
  if (iterations == 0)
    iterations = PIN_ITERATIONS;

  pbkdf2_sha256 (pin, salt, salt_len, iterations, hash);
  salt_text = to_hex (salt, salt_len);
  hash_text = to_hex (hash, sizeof hash);
  return g_strdup_printf ("pbkdf2-sha256$%u$%s$%s", iterations, salt_text, hash_text);
}

gboolean
topout_kiosk_check_pin (const char *pin,
                        const char *stored_hash)
{
  g_auto (GStrv) parts = NULL;
  g_autofree char *again = NULL;
  guint64 iterations;
  guint8 a[32], b[32];
  guint diff = 0;

  if (pin == NULL || stored_hash == NULL)
    return FALSE;
  parts = g_strsplit (stored_hash, "$", -1);
  if (g_strv_length (parts) != 4 || g_strcmp0 (parts[0], "pbkdf2-sha256") != 0 ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, 10000000, &iterations, NULL))
    return FALSE;

  again = topout_kiosk_hash_pin (pin, parts[2], (guint) iterations);
  {
    g_auto (GStrv) mine = g_strsplit (again, "$", -1);
    if (!from_hex (mine[3], a, sizeof a) || !from_hex (parts[3], b, sizeof b))
      return FALSE;
  }
  /* Compare in constant time. */
  for (guint i = 0; i < sizeof a; i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

/* The wait after @failures wrong PINs in a row, in ms. */
static guint
backoff_ms (guint failures)
{
  if (failures == 0)
    return 0;
  return MIN ((guint) BACKOFF_MAX_MS, 1000u << MIN (failures - 1, 16u));
}

/* The wait left by an earlier run (or another kiosk on these settings). */
static void
load_backoff (TopoutKiosk *self)
{
  gint64 retry_at;
  gint64 left;

  self->failures = g_settings_get_uint (self->settings, "kiosk-pin-failures");
  retry_at = g_settings_get_int64 (self->settings, "kiosk-pin-retry-at");
  if (self->failures == 0 || retry_at <= 0)
    return;
  left = retry_at - g_get_real_time ();
  /* Further ahead than the wait itself: the clock was set back. */
  left = CLAMP (left, 0, (gint64) backoff_ms (self->failures) * 1000);
  if (left > 0)
    self->retry_not_before = g_get_monotonic_time () + left;
}

/* Kept at once (g_settings_sync): the next start may follow a crash. */
static void
save_backoff (TopoutKiosk *self,
              gint64       retry_at)
{
  if (self->settings == NULL)
    return;
  if (!g_settings_set_uint (self->settings, "kiosk-pin-failures", self->failures) ||
      !g_settings_set_int64 (self->settings, "kiosk-pin-retry-at", retry_at))
    g_message ("The wait after wrong staff PINs is not kept: its settings are locked");
  g_settings_sync ();
}

/* State ------------------------------------------------------------------- */

static char *
stored_hash (TopoutKiosk *self)
{
  char *hash;

  if (self->settings == NULL)
    return NULL;
  hash = g_settings_get_string (self->settings, "kiosk-pin-hash");
  if (hash != NULL && *hash == '\0')
    g_clear_pointer (&hash, g_free);
  return hash;
}

static void
set_unlocked (TopoutKiosk *self,
              gboolean     unlocked)
{
  gboolean old_short = topout_kiosk_get_short_names (self);

  if (self->unlocked == unlocked)
    return;
  self->unlocked = unlocked;
  g_clear_handle_id (&self->relock_id, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNLOCKED]);
  if (old_short != topout_kiosk_get_short_names (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHORT_NAMES]);
}

static gboolean relock_cb (gpointer data);

/* The relock, due @idle_ms after the staff's last work. */
static void
schedule_relock (TopoutKiosk *self)
{
  gint64 due = self->staff_active_at + (gint64) self->idle_ms * 1000;
  gint64 now = g_get_monotonic_time ();
  guint wait_ms = due > now ? (guint) ((due - now + 999) / 1000) : 0;

  g_clear_handle_id (&self->relock_id, g_source_remove);
  self->relock_id = g_timeout_add (wait_ms, relock_cb, self);
}

static gboolean
relock_cb (gpointer data)
{
  TopoutKiosk *self = data;

  self->relock_id = 0;
  /* Worked on since it was scheduled: later. */
  if (g_get_monotonic_time () < self->staff_active_at + (gint64) self->idle_ms * 1000)
    schedule_relock (self);
  else
    set_unlocked (self, FALSE);
  return G_SOURCE_REMOVE;
}

void
topout_kiosk_staff_active (TopoutKiosk *self)
{
  g_return_if_fail (TOPOUT_IS_KIOSK (self));
  /* A time stamp only: called for every key and click on the staff pages. */
  if (self->unlocked)
    self->staff_active_at = g_get_monotonic_time ();
}

void
topout_kiosk_set_idle_timeout (TopoutKiosk *self,
                               guint        idle_ms)
{
  g_return_if_fail (TOPOUT_IS_KIOSK (self));
  self->idle_ms = idle_ms > 0 ? idle_ms : STAFF_IDLE_S * 1000;
  if (self->relock_id != 0)
    schedule_relock (self);
}

TopoutKiosk *
topout_kiosk_new (GSettings *settings)
{
  TopoutKiosk *self = g_object_new (TOPOUT_TYPE_KIOSK, NULL);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_settings_bind (settings, "kiosk-mode", self, "enabled", G_SETTINGS_BIND_GET);
      load_backoff (self);
    }
  return self;
}

gboolean
topout_kiosk_get_enabled (TopoutKiosk *self)
{
  g_return_val_if_fail (TOPOUT_IS_KIOSK (self), FALSE);
  return self->enabled;
}

void
topout_kiosk_set_enabled (TopoutKiosk *self,
                          gboolean     enabled)
{
  gboolean old_short;

  g_return_if_fail (TOPOUT_IS_KIOSK (self));
  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  old_short = topout_kiosk_get_short_names (self);
  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
  if (enabled)
    set_unlocked (self, FALSE);
  if (old_short != topout_kiosk_get_short_names (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHORT_NAMES]);
}

void
topout_kiosk_force_enabled (TopoutKiosk *self)
{
  g_return_if_fail (TOPOUT_IS_KIOSK (self));
  if (self->settings != NULL)
    g_settings_unbind (self, "enabled");
  self->forced = TRUE;
  topout_kiosk_set_enabled (self, TRUE);
}

gboolean
topout_kiosk_get_forced (TopoutKiosk *self)
{
  g_return_val_if_fail (TOPOUT_IS_KIOSK (self), FALSE);
  return self->forced;
}

gboolean
topout_kiosk_get_unlocked (TopoutKiosk *self)
{
  g_return_val_if_fail (TOPOUT_IS_KIOSK (self), FALSE);
  return self->unlocked;
}

gboolean
topout_kiosk_get_short_names (TopoutKiosk *self)
{
  if (self == NULL)
    return FALSE;
  g_return_val_if_fail (TOPOUT_IS_KIOSK (self), FALSE);
  return self->enabled && !self->unlocked;
}

/* Short names ------------------------------------------------------------- */

/* Letters of the last name a short name shows at most ("Bo Kar."). */
#define SHORT_NAME_MAX_LETTERS 3

typedef struct {
  char  *whole;    /* one word (or no valid text): shown as it is */
  char  *first;
  char  *last;
  glong  last_chars;
  glong  letters;  /* of @last shown */
} ShortName;

static char *
short_name_text (const ShortName *n)
{
  g_autofree char *stem = NULL;
  char initial[8] = { 0 };
  const char *rest;

  if (n->whole != NULL)
    return g_strdup (n->whole);
  g_unichar_to_utf8 (g_unichar_toupper (g_utf8_get_char (n->last)), initial);
  rest = g_utf8_next_char (n->last);
  stem = g_strconcat (initial, NULL);
  if (n->letters > 1)
    {
      g_autofree char *more = g_utf8_substring (rest, 0, n->letters - 1);
      g_free (stem);
      stem = g_strconcat (initial, more, NULL);
    }
  /* Translators: a climber's first name and initial, "Ada L." */
  return g_strdup_printf (_("%s %s."), n->first, stem);
}

char **
topout_kiosk_short_names (const char *const *display_names,
                          guint              n)
{
  g_autofree ShortName *names = g_new0 (ShortName, n);
  char **shown = g_new0 (char *, n + 1);
  gboolean longer = TRUE;

  for (guint i = 0; i < n; i++)
    {
      const char *name = display_names[i] != NULL ? display_names[i] : "";
      g_auto (GStrv) words = NULL;
      const char *first = NULL, *last = NULL;

      if (g_utf8_validate (name, -1, NULL))
        {
          /* As topout_format_climber_name() splits a name. */
          words = g_strsplit_set (name, " \t", -1);
          for (guint w = 0; words[w] != NULL; w++)
            if (*words[w] != '\0')
              {
                if (first == NULL)
                  first = words[w];
                else
                  last = words[w];
              }
        }
      if (last == NULL)
        names[i].whole = g_strdup (name);
      else
        {
          names[i].first = g_strdup (first);
          names[i].last = g_strdup (last);
          names[i].last_chars = g_utf8_strlen (last, -1);
          names[i].letters = 1;
        }
    }

  /* Names that read alike take one more letter each, until none does. */
  while (longer)
    {
      g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autofree char **keys = g_new0 (char *, n);

      longer = FALSE;
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *text = short_name_text (&names[i]);

          keys[i] = g_utf8_casefold (text, -1);
          g_hash_table_replace (seen, g_strdup (keys[i]),
                                GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (seen, keys[i])) + 1));
        }
      for (guint i = 0; i < n; i++)
        {
          if (GPOINTER_TO_UINT (g_hash_table_lookup (seen, keys[i])) > 1 && names[i].whole == NULL &&
              names[i].letters < MIN (names[i].last_chars, SHORT_NAME_MAX_LETTERS))
            {
              names[i].letters++;
              longer = TRUE;
            }
          g_free (keys[i]);
        }
    }

  for (guint i = 0; i < n; i++)
    {
      shown[i] = short_name_text (&names[i]);
      g_free (names[i].whole);
      g_free (names[i].first);
      g_free (names[i].last);
    }
  return shown;
}

void
topout_kiosk_lock (TopoutKiosk *self)
{
  g_return_if_fail (TOPOUT_IS_KIOSK (self));
  set_unlocked (self, FALSE);
}

gboolean
topout_kiosk_set_pin (TopoutKiosk *self,
                      const char  *pin,
                      GError     **error)
{
  g_autofree char *hash = NULL;
  gsize len = pin ? strlen (pin) : 0;

  g_return_val_if_fail (TOPOUT_IS_KIOSK (self), FALSE);

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (pin[i]))
      len = 0;
  if (len < PIN_MIN_DIGITS || len > PIN_MAX_DIGITS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The staff PIN must be %d to %d digits."), PIN_MIN_DIGITS, PIN_MAX_DIGITS);
      return FALSE;
    }
  if (self->settings == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Settings are not available."));
      return FALSE;
    }
  hash = topout_kiosk_hash_pin (pin, NULL, 0);
  if (!g_settings_set_string (self->settings, "kiosk-pin-hash", hash))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           _("The staff PIN cannot be changed here: the setting is locked."));
      return FALSE;
    }
  return TRUE;
}

gboolean
topout_kiosk_try_unlock (TopoutKiosk *self,
                         const char  *pin,
                         guint       *retry_after_ms)
{
  g_autofree char *hash = NULL;
  gint64 now = g_get_monotonic_time ();
  guint wait_ms;

  g_return_val_if_fail (TOPOUT_IS_KIOSK (self), FALSE);

  if (retry_after_ms != NULL)
    *retry_after_ms = 0;

  /* Still waiting after a wrong PIN: not even checked. */
  if (now < self->retry_not_before)
    {
      if (retry_after_ms != NULL)
        *retry_after_ms = (guint) ((self->retry_not_before - now + 999) / 1000);
      return FALSE;
    }

  hash = stored_hash (self);
  if (hash == NULL || topout_kiosk_check_pin (pin, hash))
    {
      if (self->failures > 0)
        {
          self->failures = 0;
          save_backoff (self, 0);
        }
      self->retry_not_before = 0;
      set_unlocked (self, TRUE);
      self->staff_active_at = g_get_monotonic_time ();
      if (self->enabled)
        schedule_relock (self);
      return TRUE;
    }

  self->failures++;
  wait_ms = backoff_ms (self->failures);
  /* The wait starts when the answer is given, not when the (deliberately
   * slow) check began. */
  self->retry_not_before = g_get_monotonic_time () + (gint64) wait_ms * 1000;
  save_backoff (self, g_get_real_time () + (gint64) wait_ms * 1000);
  if (retry_after_ms != NULL)
    *retry_after_ms = wait_ms;
  g_message ("Wrong staff PIN (%u in a row); next try in %u ms", self->failures, wait_ms);
  return FALSE;
}

/* Drafts --------------------------------------------------------------------- */

void
topout_kiosk_keep_draft (TopoutKiosk *self,
                         const char  *key,
                         GVariant    *draft)
{
  g_return_if_fail (TOPOUT_IS_KIOSK (self));
  g_return_if_fail (key != NULL);

  if (draft == NULL)
    {
      if (self->drafts != NULL)
        g_hash_table_remove (self->drafts, key);
      return;
    }
  if (self->drafts == NULL)
    self->drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  g_hash_table_replace (self->drafts, g_strdup (key), g_variant_ref_sink (draft));
}

GVariant *
topout_kiosk_take_draft (TopoutKiosk *self,
                         const char  *key)
{
  gpointer stolen_key = NULL;
  gpointer draft = NULL;

  g_return_val_if_fail (TOPOUT_IS_KIOSK (self), NULL);

  if (self->drafts == NULL || key == NULL ||
      !g_hash_table_steal_extended (self->drafts, key, &stolen_key, &draft))
    return NULL;
  g_free (stolen_key);
  return draft;
}

/* The PIN prompt ------------------------------------------------------------ */

typedef struct {
  TopoutKiosk        *kiosk;
  GtkWidget          *parent;
  TopoutKioskAllowed  allowed;
  gpointer            user_data;
  GDestroyNotify      destroy;
} Request;

static void
request_free (Request *req)
{
  if (req->destroy != NULL)
    req->destroy (req->user_data);
  g_clear_object (&req->kiosk);
  g_clear_object (&req->parent);
  g_free (req);
}

static void show_prompt (Request *req, const char *problem);

static gboolean
destroy_window_cb (gpointer window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  return G_SOURCE_REMOVE;
}

/* The prompt, or the window it is over, was destroyed (gtk_window_destroy()
 * takes a window out of GTK's toplevels): the app quitting, the lock
 * closing the windows opened over the kiosk's. As Cancel: the request is
 * let go, and a prompt over no window goes. */
static void
toplevels_changed_cb (GListModel       *toplevels,
                      guint             position,
                      guint             removed,
                      guint             added,
                      AdwMessageDialog *dialog)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));
  gboolean parent_there = FALSE;
  gboolean dialog_there = FALSE;

  if (removed == 0)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      parent_there = parent_there || window == parent;
      dialog_there = dialog_there || window == GTK_WINDOW (dialog);
    }
  if (!dialog_there || (parent != NULL && !parent_there))
    adw_message_dialog_response (dialog, "cancel");
}

static void
on_prompt_response (AdwMessageDialog *dialog,
                    const char       *response,
                    Request          *req)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  g_autofree char *pin = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  guint wait_ms = 0;

  /* One answer per prompt. A button closes the dialog after this signal,
   * but Enter in the entry (adw_message_dialog_response) does not: close it
   * here, once the emission is over. */
  g_signal_handlers_disconnect_by_data (dialog, req);
  g_signal_handlers_disconnect_by_func (gtk_window_get_toplevels (), toplevels_changed_cb, dialog);
  g_idle_add_full (G_PRIORITY_HIGH, destroy_window_cb, g_object_ref (dialog), g_object_unref);

  if (g_strcmp0 (response, "unlock") != 0)
    {
      request_free (req);
      return;
    }
  /* Nothing typed is no try: neither "Wrong PIN" nor a longer wait for the
   * staff behind whoever tapped Unlock. */
  if (*pin == '\0')
    {
      show_prompt (req, NULL);
      return;
    }
  if (topout_kiosk_try_unlock (req->kiosk, pin, &wait_ms))
    {
      req->allowed (req->user_data);
      request_free (req);
      return;
    }
  {
    g_autofree char *problem =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                    "Wrong PIN. Try again in %u second.",
                                    "Wrong PIN. Try again in %u seconds.",
                                    (wait_ms + 999) / 1000),
                       (wait_ms + 999) / 1000);
    show_prompt (req, problem);
  }
}

/* Unlock only with something typed, and the field open (not during the
 * wait after a wrong PIN). */
static void
update_unlock_enabled (GtkWidget        *entry,
                       AdwMessageDialog *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "unlock",
                                           gtk_widget_get_sensitive (entry) &&
                                           *gtk_editable_get_text (GTK_EDITABLE (entry)) != '\0');
}

static gboolean
enable_unlock_cb (gpointer data)
{
  GtkWidget *entry = data;
  GtkWidget *dialog = gtk_widget_get_ancestor (entry, ADW_TYPE_MESSAGE_DIALOG);

  /* Gone with its dialog meanwhile: nothing to do. */
  if (dialog == NULL)
    return G_SOURCE_REMOVE;
  {
    /* The wait is over: "Try again in 2 seconds" no longer, for the eyes
     * and for a screen reader (the field's description) alike. */
    const char *again = _("Wrong PIN. Enter the staff PIN again.");

    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), again);
    gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, again, -1);
  }
  gtk_widget_set_sensitive (entry, TRUE);
  update_unlock_enabled (entry, ADW_MESSAGE_DIALOG (dialog));
  gtk_widget_grab_focus (entry);
  return G_SOURCE_REMOVE;
}

static void
on_entry_activate (GtkEntry         *entry,
                   AdwMessageDialog *dialog)
{
  if (adw_message_dialog_get_response_enabled (dialog, "unlock"))
    adw_message_dialog_response (dialog, "unlock");
}

static void
show_prompt (Request    *req,
             const char *problem)
{
  GtkRoot *root = gtk_widget_get_root (req->parent);
  GtkWidget *dialog;
  GtkWidget *entry;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *waiting = NULL;

  /* Opened again during the wait after a wrong PIN: its field is closed,
   * and says why (the staff may not have seen the wrong try). */
  if (problem == NULL && now < req->kiosk->retry_not_before)
    {
      guint seconds = (guint) ((req->kiosk->retry_not_before - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

      waiting = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Wrong PIN. Try again in %u second.",
                                              "Wrong PIN. Try again in %u seconds.",
                                              seconds),
                                 seconds);
      problem = waiting;
    }

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Staff PIN"),
                                   problem ? problem : _("Enter the staff PIN to continue."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "unlock", _("_Unlock"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "unlock", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "unlock");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* Its field and buttons big enough for a finger (style.css). */
  gtk_widget_add_css_class (dialog, "staff-pin-prompt");

  /* A hidden GtkEntry with the PIN input purpose: on-screen keyboards show
   * digits. (GtkPasswordEntry of GTK 4.8 leaves a caps-lock handler behind
   * when its dialog is destroyed.) */
  entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PIN);
  gtk_entry_set_max_length (GTK_ENTRY (entry), PIN_MAX_DIGITS);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Staff PIN"), -1);
  /* A wrong PIN's message (the dialog's body) describes the field: heard
   * with it, also when the field takes the focus back after the wait, not
   * only when the dialog opens. As the app's other fields say their errors. */
  if (problem != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, problem, -1);
  gtk_widget_set_name (entry, "staff-pin-entry");
  g_signal_connect (entry, "activate", G_CALLBACK (on_entry_activate), dialog);
  g_signal_connect (entry, "changed", G_CALLBACK (update_unlock_enabled), dialog);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  update_unlock_enabled (entry, ADW_MESSAGE_DIALOG (dialog));

  if (now < req->kiosk->retry_not_before)
    {
      /* Nothing typed during the wait is kept (it was, and the PIN typed
       * after it came out wrong, with a longer wait). */
      gtk_widget_set_sensitive (entry, FALSE);
      update_unlock_enabled (entry, ADW_MESSAGE_DIALOG (dialog));
      g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) ((req->kiosk->retry_not_before - now) / 1000) + 1,
                          enable_unlock_cb, g_object_ref (entry), g_object_unref);
    }

  g_signal_connect (dialog, "response", G_CALLBACK (on_prompt_response), req);
  g_signal_connect_object (gtk_window_get_toplevels (), "items-changed", G_CALLBACK (toplevels_changed_cb), dialog, 0);
  /* GTK 4.8 keeps the transient parent as a plain pointer, which the
   * prompt reads again when it is freed: its window lives as long as it
   * does (its close comes in an idle, maybe after the window went). */
  if (GTK_IS_WINDOW (root))
    g_object_set_data_full (G_OBJECT (dialog), "topout-prompt-parent", g_object_ref (root), g_object_unref);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

void
topout_kiosk_require_staff (TopoutKiosk        *self,
                            GtkWidget          *parent,
                            TopoutKioskAllowed  allowed,
                            gpointer            user_data,
                            GDestroyNotify      destroy)
{
  g_autofree char *hash = NULL;
  Request *req;

  g_return_if_fail (allowed != NULL);

  /* Not a kiosk, staff already in, or no PIN chosen yet (the header says so). */
  if (self == NULL || !self->enabled || self->unlocked || (hash = stored_hash (self)) == NULL)
    {
      allowed (user_data);
      if (destroy != NULL)
        destroy (user_data);
      return;
    }

  req = g_new0 (Request, 1);
  req->kiosk = g_object_ref (self);
  req->parent = g_object_ref (parent);
  req->allowed = allowed;
  req->user_data = user_data;
  req->destroy = destroy;
  show_prompt (req, NULL);
}

typedef struct {
  GtkWidget            *widget;
  TopoutKioskStaffFunc  func;
  GVariant             *param;
} StaffCall;

static void
staff_call_run (gpointer data)
{
  StaffCall *call = data;

  call->func (call->widget, call->param);
}

static void
staff_call_free (gpointer data)
{
  StaffCall *call = data;

  g_clear_object (&call->widget);
  g_clear_pointer (&call->param, g_variant_unref);
  g_free (call);
}

void
topout_kiosk_run_as_staff (TopoutKiosk          *self,
                           GtkWidget            *widget,
                           TopoutKioskStaffFunc  func,
                           GVariant             *param)
{
  StaffCall *call;

  g_return_if_fail (self == NULL || TOPOUT_IS_KIOSK (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (func != NULL);

  call = g_new0 (StaffCall, 1);
  call->widget = g_object_ref (widget);
  call->func = func;
  call->param = param ? g_variant_ref_sink (param) : NULL;
  topout_kiosk_require_staff (self, widget, staff_call_run, call, staff_call_free);
}

/* GObject ------------------------------------------------------------------- */

static void
topout_kiosk_dispose (GObject *object)
{
  TopoutKiosk *self = TOPOUT_KIOSK (object);

  g_clear_handle_id (&self->relock_id, g_source_remove);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->drafts, g_hash_table_unref);
  G_OBJECT_CLASS (topout_kiosk_parent_class)->dispose (object);
}

static void
topout_kiosk_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TopoutKiosk *self = TOPOUT_KIOSK (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_UNLOCKED:
      g_value_set_boolean (value, self->unlocked);
      break;
    case PROP_SHORT_NAMES:
      g_value_set_boolean (value, topout_kiosk_get_short_names (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_kiosk_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TopoutKiosk *self = TOPOUT_KIOSK (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      topout_kiosk_set_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
topout_kiosk_class_init (TopoutKioskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = topout_kiosk_dispose;
  object_class->get_property = topout_kiosk_get_property;
  object_class->set_property = topout_kiosk_set_property;

  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNLOCKED] =
    g_param_spec_boolean ("unlocked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHORT_NAMES] =
    g_param_spec_boolean ("short-names", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
topout_kiosk_init (TopoutKiosk *self)
{
  self->idle_ms = STAFF_IDLE_S * 1000;
}
