/* test-codec.c — the sync codec and the strict pre-scan, pure (no I/O). */
#include "config.h"

#include <string.h>

#include "topout-json-strict.h"
#include "topout-limits.h"
#include "topout-sync-codec.h"
#include "topout-test-util.h"

static TopoutClimber *
make_climber (void)
{
  TopoutClimber *c = topout_climber_new ();

  topout_climber_set_id (c, "climber-1");
  topout_climber_set_member_code (c, "M-0042");
  topout_climber_set_display_name (c, "Ada L.");
  return c;
}

static TopoutSession *
make_session (void)
{
  TopoutSession *s = topout_session_new ();
  GPtrArray *routes = g_ptr_array_new_with_free_func (g_object_unref);
  TopoutCompletion *c = topout_completion_new ();

  topout_session_set_id (s, "8d0c-session");
  topout_session_set_climber_id (s, "climber-1");
  topout_session_set_climber_name (s, "Ada L.");
  topout_session_set_session_type (s, TOPOUT_SESSION_TYPE_POWER);
  topout_session_set_custom_label (s, "ignored for POWER");
  topout_session_set_name (s, "Power · 2026-11-21");
  topout_session_set_status (s, TOPOUT_SESSION_STATUS_COMPLETED);
  topout_session_set_started_at (s, topout_test_parse_time ("2026-11-21T17:02:11Z") + 123456);
  topout_session_set_ended_at (s, topout_test_parse_time ("2026-11-21T18:40:00Z"));
  topout_session_set_session_date (s, "2026-11-21");
  topout_session_set_time_slot (s, TOPOUT_TIME_SLOT_EVENING);
  topout_session_set_at_gym (s, 1);
  topout_session_set_notes (s, "");
  topout_session_set_revision (s, 3);

  topout_completion_set_id (c, "41f2-route");
  topout_completion_set_session_id (c, "8d0c-session");
  topout_completion_set_climb_id (c, "c-117");
  topout_completion_set_grade (c, "V4");
  topout_completion_set_is_success (c, TRUE);
  topout_completion_set_attempts (c, 2);
  topout_completion_set_logged_at (c, topout_test_parse_time ("2026-11-21T17:20:05Z"));
  g_ptr_array_add (routes, c);
  topout_session_set_completions (s, routes);
  return s;
}

/* Encoding ---------------------------------------------------------------- */

static void
assert_string (JsonObject *o, const char *key, const char *expected)
{
  JsonNode *n = json_object_get_member (o, key);

  g_assert_nonnull (n);
  if (expected == NULL)
    g_assert_true (JSON_NODE_HOLDS_NULL (n));
  else
    {
      g_assert_cmpint (json_node_get_value_type (n), ==, G_TYPE_STRING);
      g_assert_cmpstr (json_node_get_string (n), ==, expected);
    }
}

static void
assert_bool (JsonObject *o, const char *key, gboolean expected)
{
  JsonNode *n = json_object_get_member (o, key);

  g_assert_nonnull (n);
  g_assert_cmpint (json_node_get_value_type (n), ==, G_TYPE_BOOLEAN);
  g_assert_cmpint (json_node_get_boolean (n), ==, expected);
}

static void
assert_int (JsonObject *o, const char *key, gint64 expected)
{
  JsonNode *n = json_object_get_member (o, key);

  g_assert_nonnull (n);
  g_assert_cmpint (json_node_get_value_type (n), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (n), ==, expected);
}

static void
test_encode_session (void)
{
  g_autoptr (TopoutSession) s = make_session ();
  g_autoptr (TopoutClimber) c = make_climber ();
  g_autoptr (JsonNode) node = topout_sync_encode_session (s, c, "kiosk-1");
  JsonObject *o, *climber, *route;
  JsonArray *routes;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  o = json_node_get_object (node);
  assert_string (o, "clientId", "8d0c-session");
  assert_string (o, "deviceId", "kiosk-1");
  assert_string (o, "userId", "climber-1");
  climber = json_object_get_object_member (o, "climber");
  assert_string (climber, "id", "climber-1");
  assert_string (climber, "memberCode", "M-0042");
  assert_string (climber, "displayName", "Ada L.");
  assert_string (o, "type", "POWER");
  assert_string (o, "customLabel", NULL);
  assert_string (o, "name", "Power · 2026-11-21");
  assert_string (o, "status", "COMPLETED");
  assert_string (o, "startTime", "2026-11-21T17:02:11Z");
  assert_string (o, "endTime", "2026-11-21T18:40:00Z");
  assert_string (o, "sessionDate", "2026-11-21");
  assert_string (o, "timeSlot", "EVENING");
  assert_bool (o, "isRetroactive", FALSE);
  assert_bool (o, "isAtGym", TRUE);
  assert_bool (o, "isCompetition", FALSE);
  assert_string (o, "competitionType", NULL);
  assert_string (o, "competitionId", NULL);
  assert_string (o, "notes", "");
  assert_int (o, "revision", 3);
  routes = json_object_get_array_member (o, "routes");
  g_assert_cmpuint (json_array_get_length (routes), ==, 1);
  route = json_array_get_object_element (routes, 0);
  assert_string (route, "clientId", "41f2-route");
  assert_string (route, "climbId", "c-117");
  assert_string (route, "grade", "V4");
  assert_bool (route, "isSuccess", TRUE);
  assert_int (route, "attempts", 2);
  assert_string (route, "notes", "");
  assert_string (route, "loggedAt", "2026-11-21T17:20:05Z");
  assert_bool (route, "isCompetition", FALSE);
  assert_string (route, "competitionType", NULL);
  assert_string (route, "competitionId", NULL);
  g_assert_cmpuint (json_object_get_size (o), ==, 20);
  g_assert_cmpuint (json_object_get_size (route), ==, 10);

  /* Unknown at-gym and no climber object: null and the session's own names. */
  topout_session_set_at_gym (s, -1);
  topout_session_set_time_slot (s, TOPOUT_TIME_SLOT_UNSET);
  {
    g_autoptr (JsonNode) n2 = topout_sync_encode_session (s, NULL, NULL);
    JsonObject *o2 = json_node_get_object (n2);

    assert_string (o2, "isAtGym", NULL);
    assert_string (o2, "timeSlot", NULL);
    assert_string (o2, "deviceId", NULL);
    climber = json_object_get_object_member (o2, "climber");
    assert_string (climber, "id", "climber-1");
    assert_string (climber, "memberCode", NULL);
    assert_string (climber, "displayName", "Ada L.");
  }
}

static void
test_encode_request_roundtrip (void)
{
  g_autoptr (TopoutSession) s1 = make_session ();
  g_autoptr (TopoutSession) s2 = make_session ();
  g_autoptr (TopoutClimber) c = make_climber ();
  g_autoptr (GPtrArray) sessions = g_ptr_array_new ();
  g_autoptr (GHashTable) climbers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *h1 = NULL;
  gsize len;
  const char *data;

  topout_session_set_id (s2, "second");
  topout_session_set_session_type (s2, TOPOUT_SESSION_TYPE_CUSTOM);
  topout_session_set_custom_label (s2, "Campus board");
  /* Every control character is written escaped (json-glib alone leaves
   * U+001F raw, and a strict reader refuses the whole request). */
  topout_session_set_notes (s2, "tab\tunit\x1f" "bell\x07");
  g_ptr_array_add (sessions, s1);
  g_ptr_array_add (sessions, s2);
  g_hash_table_insert (climbers, (gpointer) "climber-1", c);

  body = topout_sync_encode_request (sessions, climbers, "kiosk-1");
  data = g_bytes_get_data (body, &len);
  g_assert_true (g_str_has_prefix (data, "{\"sessions\":[{"));
  g_assert_true (topout_json_strict_check (data, len, 64, NULL));

  items = topout_sync_decode_request (data, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      TopoutWireItem *item = g_ptr_array_index (items, i);
      g_autofree char *a = NULL, *b = NULL;

      g_assert_false (item->rejected);
      g_assert_cmpstr (item->device_id, ==, "kiosk-1");
      g_assert_cmpint (item->revision, ==, 3);
      a = topout_sync_content_hash_item (item);
      b = topout_sync_content_hash (g_ptr_array_index (sessions, i), c);
      g_assert_cmpstr (a, ==, b);
    }
  {
    TopoutWireItem *item = g_ptr_array_index (items, 1);
    g_assert_cmpstr (item->client_id, ==, "second");
    g_assert_cmpstr (topout_session_get_custom_label (item->session), ==, "Campus board");
    g_assert_cmpstr (topout_session_get_notes (item->session), ==, "tab\tunit\x1f" "bell\x07");
    g_assert_cmpint (topout_session_get_session_type (item->session), ==, TOPOUT_SESSION_TYPE_CUSTOM);
  }
  h1 = topout_sync_content_hash (s1, c);
  g_assert_true (g_str_has_prefix (h1, TOPOUT_SYNC_CONTENT_HASH_PREFIX));
  g_assert_cmpuint (strlen (h1), ==, strlen (TOPOUT_SYNC_CONTENT_HASH_PREFIX) + 64);
}

/* A route for the encoder test; each differs from the one before. */
static TopoutCompletion *
varied_route (guint i)
{
  TopoutCompletion *c = topout_completion_new ();
  g_autofree char *id = g_strdup_printf ("route-%u", i);

  topout_completion_set_id (c, id);
  topout_completion_set_climb_id (c, i % 2 ? "c-117" : "c-9");
  topout_completion_set_grade (c, i % 3 ? "V4" : "");             /* "" goes as null */
  topout_completion_set_is_success (c, i % 2);
  topout_completion_set_attempts (c, 1 + (int) i);
  topout_completion_set_notes (c, i % 4 ? "" : "crimpy \"top\"\n");
  topout_completion_set_logged_at (c, (gint64) (1700000000 + 61 * i) * G_USEC_PER_SEC);
  topout_completion_set_is_competition (c, i % 5 == 0);
  topout_completion_set_competition_type (c, i % 5 == 0 ? "BOULDER" : NULL);
  topout_completion_set_competition_id (c, i % 5 == 0 ? "cup-1" : NULL);
  return c;
}

/* The encoder reuses the previous session's tree: whatever the sessions
 * before, each text is the one topout_sync_encode_session_text() gives,
 * byte for byte: members flipping between null and a value, more routes
 * than before, fewer, none, no climber object. */
static void
test_encoder_reuse (void)
{
  static const guint n_routes[] = { 1, 4, 2, 0, 7, 3, 3, 1 };
  g_autoptr (TopoutSessionEncoder) encoder = topout_session_encoder_new ("kiosk-1");
  g_autoptr (TopoutClimber) climber = make_climber ();
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint k = 0; k < G_N_ELEMENTS (n_routes); k++)
    {
      g_autoptr (TopoutSession) s = make_session ();
      GPtrArray *routes = g_ptr_array_new_with_free_func (g_object_unref);
      TopoutClimber *c = k % 3 == 1 ? NULL : climber;
      g_autofree char *text = NULL;

      topout_climber_set_member_code (climber, k % 2 ? "" : "M-0042");
      topout_session_set_session_type (s, k % 2 ? TOPOUT_SESSION_TYPE_CUSTOM : TOPOUT_SESSION_TYPE_POWER);
      topout_session_set_custom_label (s, k % 4 == 1 ? "Campus" : "");
      topout_session_set_ended_at (s, k % 3 ? (gint64) (1700003600 + k) * G_USEC_PER_SEC : 0);
      topout_session_set_at_gym (s, (int) (k % 3) - 1);
      topout_session_set_is_competition (s, k % 2);
      topout_session_set_competition_type (s, k % 2 ? "LEAD" : NULL);
      topout_session_set_competition_id (s, k % 2 ? "cup-2" : NULL);
      topout_session_set_revision (s, k + 1);
      for (guint i = 0; i < n_routes[k]; i++)
        g_ptr_array_add (routes, varied_route (i + k));
      topout_session_set_completions (s, routes);

      text = topout_sync_encode_session_text (s, c, "kiosk-1");
      g_string_truncate (out, 0);
      topout_session_encoder_append (encoder, s, c, out);
      g_assert_cmpstr (out->str, ==, text);
    }
  /* And the times as GDateTime formats them, before 1970 too. */
  {
    g_autoptr (TopoutSession) s = make_session ();
    g_autofree char *text = NULL;

    topout_session_set_started_at (s, -1);  /* 1969-12-31T23:59:59.999999 */
    topout_session_set_ended_at (s, (gint64) 253402300799 * G_USEC_PER_SEC);
    text = topout_sync_encode_session_text (s, NULL, NULL);
    g_assert_nonnull (strstr (text, "\"startTime\":\"1969-12-31T23:59:59Z\""));
    g_assert_nonnull (strstr (text, "\"endTime\":\"9999-12-31T23:59:59Z\""));
  }
}

/* Decoding ------------------------------------------------------------------ */

static const char spec_example[] =
  "{ \"sessions\": [ {\n"
  "    \"clientId\": \"8d0c…\", \"deviceId\": \"kiosk-1 uuid\", \"userId\": \"climber id\",\n"
  "    \"climber\": { \"id\": \"climber id\", \"memberCode\": \"M-0042\", \"displayName\": \"Ada L.\" },\n"
  "    \"type\": \"POWER\", \"customLabel\": null,\n"
  "    \"name\": \"Power · 2026-11-21\", \"status\": \"COMPLETED\",\n"
  "    \"startTime\": \"2026-11-21T17:02:11Z\", \"endTime\": \"2026-11-21T18:40:00Z\",\n"
  "    \"sessionDate\": \"2026-11-21\", \"timeSlot\": \"EVENING\",\n"
  "    \"isRetroactive\": false, \"isAtGym\": true,\n"
  "    \"isCompetition\": false, \"competitionType\": null, \"competitionId\": null,\n"
  "    \"notes\": \"\", \"revision\": 3,\n"
  "    \"routes\": [ { \"clientId\": \"41f2…\", \"climbId\": \"c-117\", \"grade\": \"V4\", \"isSuccess\": true, \"attempts\": 2,\n"
  "                  \"notes\": \"\", \"loggedAt\": \"2026-11-21T17:20:05Z\",\n"
  "                  \"isCompetition\": false, \"competitionType\": null, \"competitionId\": null } ]\n"
  "} ] }\n";

static void
test_decode_spec_example (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = topout_sync_decode_request (spec_example, strlen (spec_example), &error);
  TopoutWireItem *item;
  TopoutCompletion *c;

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  item = g_ptr_array_index (items, 0);
  g_assert_false (item->rejected);
  g_assert_cmpstr (item->client_id, ==, "8d0c…");
  g_assert_cmpstr (item->device_id, ==, "kiosk-1 uuid");
  g_assert_cmpint (item->revision, ==, 3);
  g_assert_cmpstr (topout_climber_get_id (item->climber), ==, "climber id");
  g_assert_cmpstr (topout_climber_get_member_code (item->climber), ==, "M-0042");
  g_assert_cmpstr (topout_session_get_climber_id (item->session), ==, "climber id");
  g_assert_cmpint (topout_session_get_session_type (item->session), ==, TOPOUT_SESSION_TYPE_POWER);
  g_assert_cmpint (topout_session_get_status (item->session), ==, TOPOUT_SESSION_STATUS_COMPLETED);
  g_assert_cmpint (topout_session_get_started_at (item->session), ==, topout_test_parse_time ("2026-11-21T17:02:11Z"));
  g_assert_cmpint (topout_session_get_ended_at (item->session), ==, topout_test_parse_time ("2026-11-21T18:40:00Z"));
  g_assert_cmpstr (topout_session_get_session_date (item->session), ==, "2026-11-21");
  g_assert_cmpint (topout_session_get_time_slot (item->session), ==, TOPOUT_TIME_SLOT_EVENING);
  g_assert_cmpint (topout_session_get_at_gym (item->session), ==, 1);
  g_assert_cmpint (topout_session_get_revision (item->session), ==, 3);
  g_assert_cmpuint (topout_session_get_completions (item->session)->len, ==, 1);
  c = g_ptr_array_index (topout_session_get_completions (item->session), 0);
  g_assert_cmpstr (topout_completion_get_id (c), ==, "41f2…");
  g_assert_cmpstr (topout_completion_get_climb_id (c), ==, "c-117");
  g_assert_cmpuint (topout_completion_get_attempts (c), ==, 2);
  g_assert_true (topout_completion_get_is_success (c));
  g_assert_cmpint (topout_completion_get_logged_at (c), ==, topout_test_parse_time ("2026-11-21T17:20:05Z"));
}

static void
test_whole_request_errors (void)
{
  static const struct { const char *body; TopoutWireError code; } cases[] = {
    { "", TOPOUT_WIRE_ERROR_INVALID_JSON },
    { "{\"sessions\": [] /* c */}", TOPOUT_WIRE_ERROR_INVALID_JSON },
    { "{\"sessions\": []} {}", TOPOUT_WIRE_ERROR_INVALID_JSON },
    { "[]", TOPOUT_WIRE_ERROR_INVALID_SHAPE },
    { "{}", TOPOUT_WIRE_ERROR_INVALID_SHAPE },
    { "{\"sessions\": {}}", TOPOUT_WIRE_ERROR_INVALID_SHAPE },
    { "{\"sessions\": [1]}", TOPOUT_WIRE_ERROR_INVALID_SHAPE },
    { "{\"sessions\": [{}, null]}", TOPOUT_WIRE_ERROR_INVALID_SHAPE },
    { "{\"sessions\": [[{}]]}", TOPOUT_WIRE_ERROR_INVALID_SHAPE },
    { "{\"other\": [{}], \"sessions\": {\"a\": [{}]}}", TOPOUT_WIRE_ERROR_INVALID_SHAPE },
    { "{\"x\": {\"sessions\": [{}]}}", TOPOUT_WIRE_ERROR_INVALID_SHAPE },
    { "[{\"sessions\": [{}]}]", TOPOUT_WIRE_ERROR_INVALID_SHAPE },
    { "{\"sessions\": [{}, {\"a\": 1, \"a\": 2}]}", TOPOUT_WIRE_ERROR_INVALID_JSON },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) items = topout_sync_decode_request (cases[i].body, strlen (cases[i].body), &error);

      g_assert_null (items);
      g_assert_error (error, TOPOUT_WIRE_ERROR, (int) cases[i].code);
    }

  /* More sessions than the limit: too_large (the server's 413). */
  {
    g_autoptr (GString) body = g_string_new ("{\"sessions\":[");
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) items = NULL;

    for (int i = 0; i <= TOPOUT_LIMIT_SESSIONS_PER_REQUEST; i++)
      g_string_append (body, i ? ",{}" : "{}");
    g_string_append (body, "]}");
    items = topout_sync_decode_request (body->str, body->len, &error);
    g_assert_null (items);
    g_assert_error (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_TOO_LARGE);
  }

  /* Exactly the limit of empty objects: one rejected item each. */
  {
    g_autoptr (GString) body = g_string_new ("{\"sessions\":[");
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) items = NULL;

    for (int i = 0; i < TOPOUT_LIMIT_SESSIONS_PER_REQUEST; i++)
      g_string_append (body, i ? ",{}" : "{}");
    g_string_append (body, "]}");
    items = topout_sync_decode_request (body->str, body->len, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (items->len, ==, TOPOUT_LIMIT_SESSIONS_PER_REQUEST);
    g_assert_true (((TopoutWireItem *) g_ptr_array_index (items, 0))->rejected);
    g_assert_cmpint (((TopoutWireItem *) g_ptr_array_index (items, 0))->error, ==, TOPOUT_WIRE_ERROR_MISSING_FIELD);
  }
}

/* One validation rule: a change to the encoded session and the code it gives. */
typedef void (*Mutate) (JsonObject *session, JsonObject *route);

static char *
repeat (const char *unit, guint n)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static void m_no_name (JsonObject *s, JsonObject *r) { json_object_remove_member (s, "name"); }
static void m_no_client_id (JsonObject *s, JsonObject *r) { json_object_remove_member (s, "clientId"); }
static void m_no_routes (JsonObject *s, JsonObject *r) { json_object_remove_member (s, "routes"); }
static void m_route_no_climb (JsonObject *s, JsonObject *r) { json_object_remove_member (r, "climbId"); }
static void m_empty_name (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "name", ""); }
static void m_type_unknown (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "type", "BOULDERING"); }
static void m_type_number (JsonObject *s, JsonObject *r) { json_object_set_int_member (s, "type", 2); }
static void m_revision_string (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "revision", "3"); }
static void m_revision_zero (JsonObject *s, JsonObject *r) { json_object_set_int_member (s, "revision", 0); }
static void m_at_gym_string (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "isAtGym", "yes"); }
static void m_start_not_rfc3339 (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "startTime", "2026-11-21 17:02:11"); }
static void m_start_no_zone (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "startTime", "2026-11-21T17:02:11"); }
static void m_bad_date (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "sessionDate", "2026-02-30"); }
static void m_status_unknown (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "status", "DONE"); }
static void m_status_active (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "status", "ACTIVE"); }
static void m_slot_unknown (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "timeSlot", "DUSK"); }
static void m_attempts_zero (JsonObject *s, JsonObject *r) { json_object_set_int_member (r, "attempts", TOPOUT_LIMIT_ATTEMPTS_MIN - 1); }
static void m_attempts_big (JsonObject *s, JsonObject *r) { json_object_set_int_member (r, "attempts", TOPOUT_LIMIT_ATTEMPTS_MAX + 1); }
static void m_attempts_fraction (JsonObject *s, JsonObject *r) { json_object_set_double_member (r, "attempts", 2.5); }
static void m_name_long (JsonObject *s, JsonObject *r) { g_autofree char *t = repeat ("é", TOPOUT_LIMIT_NAME_MAX + 1); json_object_set_string_member (s, "name", t); }
static void m_notes_long (JsonObject *s, JsonObject *r) { g_autofree char *t = repeat ("x", TOPOUT_LIMIT_NOTES_MAX + 1); json_object_set_string_member (s, "notes", t); }
static void m_route_notes_long (JsonObject *s, JsonObject *r) { g_autofree char *t = repeat ("x", TOPOUT_LIMIT_NOTES_MAX + 1); json_object_set_string_member (r, "notes", t); }
static void m_climb_long (JsonObject *s, JsonObject *r) { g_autofree char *t = repeat ("c", TOPOUT_LIMIT_KEY_MAX + 1); json_object_set_string_member (r, "climbId", t); }
static void m_member_long (JsonObject *s, JsonObject *r) { g_autofree char *t = repeat ("m", TOPOUT_LIMIT_KEY_MAX + 1); json_object_set_string_member (json_object_get_object_member (s, "climber"), "memberCode", t); }
static void m_end_before (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "endTime", "2026-11-21T17:02:10Z"); }
static void m_custom_label_null (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "type", "CUSTOM"); json_object_set_null_member (s, "customLabel"); }
static void m_custom_label_absent (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "type", "CUSTOM"); json_object_remove_member (s, "customLabel"); }
static void m_custom_label_empty (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "type", "CUSTOM"); json_object_set_string_member (s, "customLabel", ""); }
static void m_start_epoch (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "startTime", "1970-01-01T00:00:00Z"); }
static void m_end_epoch (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "endTime", "1970-01-01T00:00:00Z"); }
static void m_end_epoch_offset (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "endTime", "1970-01-01T01:00:00.000+01:00"); }
static void m_end_epoch_cancelled (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "status", "CANCELLED"); json_object_set_string_member (s, "endTime", "1970-01-01T00:00:00Z"); }
static void m_logged_epoch (JsonObject *s, JsonObject *r) { json_object_set_string_member (r, "loggedAt", "1970-01-01T00:00:00Z"); }
static void m_competition_no_pair (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "type", "COMPETITION"); }
static void m_competition_half (JsonObject *s, JsonObject *r) { json_object_set_boolean_member (s, "isCompetition", TRUE); json_object_set_string_member (s, "competitionType", "bouldering"); }
static void m_route_competition_no_pair (JsonObject *s, JsonObject *r) { json_object_set_boolean_member (r, "isCompetition", TRUE); }
static void
m_too_many_routes (JsonObject *s, JsonObject *r)
{
  JsonArray *a = json_array_new ();
  for (int i = 0; i <= TOPOUT_LIMIT_ROUTES_PER_SESSION; i++)
    json_array_add_object_element (a, json_object_ref (r));
  json_object_set_array_member (s, "routes", a);
}

static const struct { const char *name; Mutate mutate; TopoutWireError code; } rules[] = {
  { "missing-name", m_no_name, TOPOUT_WIRE_ERROR_MISSING_FIELD },
  { "missing-client-id", m_no_client_id, TOPOUT_WIRE_ERROR_MISSING_FIELD },
  { "missing-routes", m_no_routes, TOPOUT_WIRE_ERROR_MISSING_FIELD },
  { "missing-climb-id", m_route_no_climb, TOPOUT_WIRE_ERROR_MISSING_FIELD },
  { "empty-name", m_empty_name, TOPOUT_WIRE_ERROR_MISSING_FIELD },
  { "unknown-type", m_type_unknown, TOPOUT_WIRE_ERROR_INVALID_TYPE },
  { "type-number", m_type_number, TOPOUT_WIRE_ERROR_INVALID_TYPE },
  { "revision-string", m_revision_string, TOPOUT_WIRE_ERROR_INVALID_TYPE },
  { "revision-zero", m_revision_zero, TOPOUT_WIRE_ERROR_INVALID_TYPE },
  { "at-gym-string", m_at_gym_string, TOPOUT_WIRE_ERROR_INVALID_TYPE },
  { "start-not-rfc3339", m_start_not_rfc3339, TOPOUT_WIRE_ERROR_INVALID_TYPE },
  { "start-no-zone", m_start_no_zone, TOPOUT_WIRE_ERROR_INVALID_TYPE },
  { "bad-date", m_bad_date, TOPOUT_WIRE_ERROR_INVALID_TYPE },
  { "unknown-status", m_status_unknown, TOPOUT_WIRE_ERROR_INVALID_STATUS },
  { "active-status", m_status_active, TOPOUT_WIRE_ERROR_INVALID_STATUS },
  { "unknown-slot", m_slot_unknown, TOPOUT_WIRE_ERROR_INVALID_TIME_SLOT },
  { "attempts-zero", m_attempts_zero, TOPOUT_WIRE_ERROR_INVALID_ATTEMPTS },
  { "attempts-1000", m_attempts_big, TOPOUT_WIRE_ERROR_INVALID_ATTEMPTS },
  { "attempts-fraction", m_attempts_fraction, TOPOUT_WIRE_ERROR_INVALID_ATTEMPTS },
  { "name-121-chars", m_name_long, TOPOUT_WIRE_ERROR_TOO_LONG },
  { "notes-4001", m_notes_long, TOPOUT_WIRE_ERROR_TOO_LONG },
  { "route-notes-4001", m_route_notes_long, TOPOUT_WIRE_ERROR_TOO_LONG },
  { "climb-id-65", m_climb_long, TOPOUT_WIRE_ERROR_TOO_LONG },
  { "member-code-65", m_member_long, TOPOUT_WIRE_ERROR_TOO_LONG },
  { "end-before-start", m_end_before, TOPOUT_WIRE_ERROR_END_BEFORE_START },
  { "custom-label-null", m_custom_label_null, TOPOUT_WIRE_ERROR_MISSING_FIELD },
  { "custom-label-absent", m_custom_label_absent, TOPOUT_WIRE_ERROR_MISSING_FIELD },
  { "custom-label-empty", m_custom_label_empty, TOPOUT_WIRE_ERROR_MISSING_FIELD },
  { "start-at-epoch", m_start_epoch, TOPOUT_WIRE_ERROR_INVALID_TYPE },
  { "end-at-epoch", m_end_epoch, TOPOUT_WIRE_ERROR_INVALID_TYPE },
  { "end-at-epoch-offset", m_end_epoch_offset, TOPOUT_WIRE_ERROR_INVALID_TYPE },
  { "end-at-epoch-cancelled", m_end_epoch_cancelled, TOPOUT_WIRE_ERROR_INVALID_TYPE },
  { "logged-at-epoch", m_logged_epoch, TOPOUT_WIRE_ERROR_INVALID_TYPE },
  { "competition-no-pair", m_competition_no_pair, TOPOUT_WIRE_ERROR_COMPETITION_PAIR_MISSING },
  { "competition-half-pair", m_competition_half, TOPOUT_WIRE_ERROR_COMPETITION_PAIR_MISSING },
  { "route-competition-no-pair", m_route_competition_no_pair, TOPOUT_WIRE_ERROR_COMPETITION_PAIR_MISSING },
  { "too-many-routes", m_too_many_routes, TOPOUT_WIRE_ERROR_TOO_MANY_ROUTES },
};

static void
test_rule (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autoptr (TopoutSession) s = make_session ();
  g_autoptr (TopoutClimber) c = make_climber ();
  g_autoptr (JsonNode) node = topout_sync_encode_session (s, c, "kiosk-1");
  g_autoptr (JsonNode) good = topout_sync_encode_session (s, c, "kiosk-1");
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *o = json_node_get_object (node);
  JsonObject *route = json_array_get_object_element (json_object_get_array_member (o, "routes"), 0);
  TopoutWireItem *bad, *ok;
  gsize len;

  json_object_set_string_member (json_node_get_object (good), "clientId", "the-good-one");
  rules[i].mutate (o, route);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sessions");
  json_builder_begin_array (b);
  json_builder_add_value (b, json_node_ref (node));
  json_builder_add_value (b, json_node_ref (good));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);

  items = topout_sync_decode_request (text, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  bad = g_ptr_array_index (items, 0);
  ok = g_ptr_array_index (items, 1);
  g_assert_true (bad->rejected);
  g_assert_null (bad->session);
  g_assert_nonnull (bad->error_detail);
  g_assert_cmpstr (topout_wire_error_to_code (bad->error), ==, topout_wire_error_to_code (rules[i].code));
  if (rules[i].mutate != m_no_client_id)
    g_assert_cmpstr (bad->client_id, ==, "8d0c-session");
  g_assert_false (ok->rejected);
  g_assert_cmpstr (ok->client_id, ==, "the-good-one");
}

/* One session of make_session() with @mutate applied, decoded alone. */
static TopoutWireItem *
decode_mutated (Mutate mutate)
{
  g_autoptr (TopoutSession) s = make_session ();
  g_autoptr (TopoutClimber) c = make_climber ();
  g_autoptr (JsonNode) node = topout_sync_encode_session (s, c, "kiosk-1");
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *one = NULL;
  g_autofree char *text = NULL;
  JsonObject *o = json_node_get_object (node);

  mutate (o, json_array_get_object_element (json_object_get_array_member (o, "routes"), 0));
  json_generator_set_root (gen, node);
  one = json_generator_to_data (gen, NULL);
  text = g_strdup_printf ("{\"sessions\":[%s]}", one);
  items = topout_sync_decode_request (text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  return g_ptr_array_steal_index (items, 0);
}

static void m_end_after_epoch (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "startTime", "1969-12-31T23:59:59Z"); json_object_set_string_member (s, "endTime", "1970-01-01T00:00:01Z"); json_object_set_string_member (r, "loggedAt", "1970-01-01T00:00:00.000001Z"); }
static void m_cancelled_no_end (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "status", "CANCELLED"); json_object_set_null_member (s, "endTime"); }
static void m_custom_labelled (JsonObject *s, JsonObject *r) { json_object_set_string_member (s, "type", "CUSTOM"); json_object_set_string_member (s, "customLabel", "Campus board"); }

/* The Unix epoch itself is refused, naming the field (0 µs is "no time"
 * to the session decoded into: an endTime of the epoch was stored as none
 * and never compared with the start); the times beside it are times, and a
 * time not given is none. */
static void
test_decode_epoch (void)
{
  {
    g_autoptr (TopoutWireItem) item = decode_mutated (m_end_epoch);

    g_assert_true (item->rejected);
    g_assert_cmpint (item->error, ==, TOPOUT_WIRE_ERROR_INVALID_TYPE);
    g_assert_true (g_str_has_prefix (item->error_detail, "endTime: out of range"));
    g_assert_nonnull (strstr (item->error_detail, "1970-01-01T00:00:00Z"));
  }
  {
    g_autoptr (TopoutWireItem) item = decode_mutated (m_logged_epoch);

    g_assert_true (item->rejected);
    g_assert_true (g_str_has_prefix (item->error_detail, "routes[0].loggedAt: out of range"));
  }
  {
    g_autoptr (TopoutWireItem) item = decode_mutated (m_end_after_epoch);
    TopoutCompletion *route;

    g_assert_false (item->rejected);
    g_assert_cmpint (topout_session_get_started_at (item->session), ==, -G_USEC_PER_SEC);
    g_assert_cmpint (topout_session_get_ended_at (item->session), ==, G_USEC_PER_SEC);
    route = g_ptr_array_index (topout_session_get_completions (item->session), 0);
    g_assert_cmpint (topout_completion_get_logged_at (route), ==, 1);
  }
  {
    g_autoptr (TopoutWireItem) item = decode_mutated (m_cancelled_no_end);

    g_assert_false (item->rejected);
    g_assert_cmpint (topout_session_get_ended_at (item->session), ==, 0);
  }
}

/* A CUSTOM session needs its label, as the store says (SPEC section 2:
 * "CUSTOM (with a user label)"); one with it is taken. */
static void
test_decode_custom_label (void)
{
  {
    g_autoptr (TopoutWireItem) item = decode_mutated (m_custom_label_null);

    g_assert_true (item->rejected);
    g_assert_cmpint (item->error, ==, TOPOUT_WIRE_ERROR_MISSING_FIELD);
    g_assert_true (g_str_has_prefix (item->error_detail, "customLabel: missing"));
  }
  {
    g_autoptr (TopoutWireItem) item = decode_mutated (m_custom_labelled);

    g_assert_false (item->rejected);
    g_assert_cmpstr (topout_session_get_custom_label (item->session), ==, "Campus board");
  }
}

static void
test_lengths_count_characters (void)
{
  /* 120 two-byte characters are 240 bytes and still fit. */
  g_autoptr (TopoutSession) s = make_session ();
  g_autoptr (GPtrArray) sessions = g_ptr_array_new ();
  g_autofree char *name = repeat ("é", TOPOUT_LIMIT_NAME_MAX);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GPtrArray) items = NULL;
  gsize len;
  const char *data;

  topout_session_set_name (s, name);
  g_ptr_array_add (sessions, s);
  body = topout_sync_encode_request (sessions, NULL, NULL);
  data = g_bytes_get_data (body, &len);
  items = topout_sync_decode_request (data, len, NULL);
  g_assert_false (((TopoutWireItem *) g_ptr_array_index (items, 0))->rejected);
}

static void
test_offline_bare (void)
{
  const char *bare = "{\"startTime\":\"2026-11-21T17:02:11Z\",\"endTime\":\"2026-11-21T18:00:00Z\","
                     "\"notes\":\"hi\",\"routes\":[{\"climbId\":\"c1\",\"isSuccess\":true,\"attempts\":3}]}";
  const char *bad = "{\"startTime\":\"2026-11-21T17:02:11Z\",\"endTime\":\"2026-11-21T18:00:00Z\","
                    "\"routes\":[{\"climbId\":\"c1\",\"isSuccess\":true,\"attempts\":0}]}";
  g_autoptr (TopoutWireItem) item = topout_sync_decode_offline (bare, strlen (bare), NULL);
  g_autoptr (TopoutWireItem) item2 = topout_sync_decode_offline (bad, strlen (bad), NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutWireItem) none = topout_sync_decode_offline ("[]", 2, &error);

  g_assert_nonnull (item);
  g_assert_false (item->rejected);
  g_assert_null (item->client_id);
  g_assert_cmpstr (topout_session_get_session_date (item->session), ==, "2026-11-21");
  g_assert_cmpuint (topout_session_get_completions (item->session)->len, ==, 1);
  g_assert_true (item2->rejected);
  g_assert_cmpint (item2->error, ==, TOPOUT_WIRE_ERROR_INVALID_ATTEMPTS);
  g_assert_null (none);
  g_assert_error (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_INVALID_SHAPE);
}

/* Strict pre-scan ------------------------------------------------------------- */

static void
test_strict_refuses (void)
{
  static const struct { const char *text; gsize len; int code; } bad[] = {
    { "{\"a\": 1 /* comment */}", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "{\"a\": 1} // comment", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "{'a': 1}", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "{\"a\": 'x'}", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "{\"a\": 0x10}", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "{\"a\": 1,}", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[1, 2,]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "{} {}", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[] []", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "{\"a\": 1, \"a\": 2}", 0, TOPOUT_JSON_STRICT_ERROR_DUPLICATE_KEY },
    { "{\"a\": 1, \"\\u0061\": 2}", 0, TOPOUT_JSON_STRICT_ERROR_DUPLICATE_KEY },
    { "{\"a\": {\"b\": 1}, \"a\": 2}", 0, TOPOUT_JSON_STRICT_ERROR_DUPLICATE_KEY },
    { "{\"a\": [{\"a\": 1}], \"b\": {}, \"a\": 2}", 0, TOPOUT_JSON_STRICT_ERROR_DUPLICATE_KEY },
    { "{\"a\\u0000\": 1, \"a\\u0000\": 2}", 0, TOPOUT_JSON_STRICT_ERROR_DUPLICATE_KEY },
    { "[\"\xff\"]", 0, TOPOUT_JSON_STRICT_ERROR_UTF8 },
    { "[\"\xc3\"]", 0, TOPOUT_JSON_STRICT_ERROR_UTF8 },
    { "[\"\xed\xa0\x80\"]", 0, TOPOUT_JSON_STRICT_ERROR_UTF8 },
    { "[\"\\ud800\\u12\"]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[\"\\ud800\\uzzzz\"]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[\"\\x41\"]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[\"\\u12\"]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[\"a\tb\"]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[01]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[1.]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[.5]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[1e]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[+1]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[-]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[NaN]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[Infinity]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[True]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[nul]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "{a: 1}", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "{\"a\" 1}", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[1 2]", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[\"abc", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[}", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "   ", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "\xef\xbb\xbf{}", 0, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[1]\0", 4, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
    { "[\"a\0b\"]", 7, TOPOUT_JSON_STRICT_ERROR_SYNTAX },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      gsize len = bad[i].len ? bad[i].len : strlen (bad[i].text);

      if (topout_json_strict_check (bad[i].text, len, 64, &error))
        g_error ("accepted case %u: %s", i, bad[i].text);
      g_assert_error (error, TOPOUT_JSON_STRICT_ERROR, bad[i].code);
    }
}

static void
test_strict_accepts (void)
{
  static const char *const good[] = {
    "{}", "[]", "0", "-0", "1.5e+10", "-12.25E-3", "\"x\"", "true", "false", "null",
    " { \"a\" : [ 1 , 2 , { \"b\" : null } ] , \"c\" : \"d\" } \n",
    "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"]",
    "[\"é€😀\"]",
    "{\"a\": {\"a\": 1}, \"b\": [{\"a\": 1}, {\"a\": 2}]}",
    "{\"a\\u0000b\": 1, \"a\": 2, \"a\\u0000\": 3}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;

      if (!topout_json_strict_check (good[i], strlen (good[i]), 64, &error))
        g_error ("refused %s: %s", good[i], error->message);
    }
  g_assert_true (topout_json_strict_check (spec_example, strlen (spec_example), TOPOUT_SYNC_MAX_JSON_DEPTH, NULL));
}

/* Objects with many keys: repeats are found whether they come early or
 * late, before and after the check moves from its list to a hash set. */
static void
test_strict_many_keys (void)
{
  static const guint repeat_at[] = { 1, 23, 24, 25, 90 };

  for (guint n = 1; n <= 100; n += 33)
    {
      g_autoptr (GString) text = g_string_new ("{");

      for (guint i = 0; i < n; i++)
        g_string_append_printf (text, "%s\"k%u\": {\"k%u\": %u}", i ? ", " : "", i, i, i);
      g_string_append_c (text, '}');
      g_assert_true (topout_json_strict_check (text->str, text->len, 64, NULL));
    }
  for (guint r = 0; r < G_N_ELEMENTS (repeat_at); r++)
    {
      g_autoptr (GString) text = g_string_new ("{");
      g_autoptr (GError) error = NULL;

      for (guint i = 0; i < 100; i++)
        g_string_append_printf (text, "%s\"k%u\": [%u]", i ? ", " : "",
                                i == repeat_at[r] ? 0 : i, i);
      g_string_append_c (text, '}');
      g_assert_false (topout_json_strict_check (text->str, text->len, 64, &error));
      g_assert_error (error, TOPOUT_JSON_STRICT_ERROR, TOPOUT_JSON_STRICT_ERROR_DUPLICATE_KEY);
    }
}

/* The spans of one array's elements, noted by the same pass: each is the
 * exact text of its element, whatever it holds and wherever the member sits
 * among the root's. */
static void
test_strict_array_spans (void)
{
  static const struct {
    const char *text;
    gboolean    found;
    const char *elements[7];
  } cases[] = {
    { "{\"sessions\":[]}", TRUE, { NULL } },
    { " { \"a\" : [9], \"sessions\" : [ {\"x\": [1, {\"y\": \"]}\"}]} , 7,\"s\" ,\n[ [] ], null, -1.5e3 ] , \"b\": {} } ",
      TRUE, { "{\"x\": [1, {\"y\": \"]}\"}]}", "7", "\"s\"", "[ [] ]", "null", "-1.5e3" } },
    { "{\"sessions\": [true, {}, \"\\\"\"], \"z\": [1, 2]}", TRUE, { "true", "{}", "\"\\\"\"" } },
    { "{\"session\": [1], \"sessionsX\": [2]}", FALSE, { NULL } },
    { "{\"sessions\": {\"sessions\": [1]}}", FALSE, { NULL } },
    { "{\"a\": {\"sessions\": [1]}}", FALSE, { NULL } },
    { "[{\"sessions\": [1]}]", FALSE, { NULL } },
    { "{\"sessions\": \"[1]\"}", FALSE, { NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (TopoutJsonSpan));
      gboolean found = !cases[i].found;
      guint n = 0;

      g_assert_true (topout_json_strict_check_array (cases[i].text, strlen (cases[i].text), 64,
                                                     "sessions", spans, &found, NULL, NULL));
      g_assert_cmpint (found, ==, cases[i].found);
      while (n < G_N_ELEMENTS (cases[i].elements) && cases[i].elements[n] != NULL)
        n++;
      g_assert_cmpuint (spans->len, ==, n);
      for (guint k = 0; k < spans->len; k++)
        {
          const TopoutJsonSpan *span = &g_array_index (spans, TopoutJsonSpan, k);
          g_autofree char *element = g_strndup (cases[i].text + span->start, span->end - span->start);

          g_assert_cmpstr (element, ==, cases[i].elements[k]);
        }
    }

  /* Not strict: FALSE, as topout_json_strict_check() says. */
  {
    static const char trailing_comma[] = "{\"sessions\": [{}, {},]}";
    g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (TopoutJsonSpan));
    g_autoptr (GError) error = NULL;
    gboolean found;

    g_assert_false (topout_json_strict_check_array (trailing_comma, strlen (trailing_comma), 64, "sessions",
                                                    spans, &found, NULL, &error));
    g_assert_error (error, TOPOUT_JSON_STRICT_ERROR, TOPOUT_JSON_STRICT_ERROR_SYNTAX);
  }
}

/* Valid JSON that json-glib 1.6 reads other than written is noted, for the
 * whole text and for each element of the array, and nothing else is. */
static void
test_strict_misreads (void)
{
  static const struct { const char *text; TopoutJsonMisread what; gsize first; } cases[] = {
    { "[9223372036854775807, -9223372036854775808, 0, -0, 10]", TOPOUT_JSON_MISREAD_NONE, 0 },
    { "[9223372036854775808]", TOPOUT_JSON_MISREAD_BIG_INTEGER, 1 },
    { "[-9223372036854775809]", TOPOUT_JSON_MISREAD_BIG_INTEGER, 1 },
    { "[1, 123456789012345678901234567890]", TOPOUT_JSON_MISREAD_BIG_INTEGER, 4 },
    /* Not whole: json-glib reads a double, as written. */
    { "[1e400, 12345678901234567890.5, 1E19, 99999999999999999999e0]", TOPOUT_JSON_MISREAD_NONE, 0 },
    { "[\"a\\u0000b\"]", TOPOUT_JSON_MISREAD_NUL, 3 },
    { "{\"k\\u0000\": 1}", TOPOUT_JSON_MISREAD_NUL, 3 },
    { "[\"\\\\u0000\", \"\\u0001\"]", TOPOUT_JSON_MISREAD_NONE, 0 },  /* a backslash, then "u0000" */
    { "[\"\\u0000\", 99999999999999999999]", TOPOUT_JSON_MISREAD_NUL | TOPOUT_JSON_MISREAD_BIG_INTEGER, 2 },
    /* Half a pair: alone, before something else, or the wrong half. */
    { "[\"a\\ud800\"]", TOPOUT_JSON_MISREAD_LONE_SURROGATE, 3 },
    { "[\"a\\udc00b\"]", TOPOUT_JSON_MISREAD_LONE_SURROGATE, 3 },
    { "[\"ab\\ud800\\u0041\"]", TOPOUT_JSON_MISREAD_LONE_SURROGATE, 4 },
    { "[\"\\ud800\\ud800\\udc00\"]", TOPOUT_JSON_MISREAD_LONE_SURROGATE, 2 },
    { "[\"\\udc00\\ud800\"]", TOPOUT_JSON_MISREAD_LONE_SURROGATE, 2 },
    { "{\"k\\ud800\": 1}", TOPOUT_JSON_MISREAD_LONE_SURROGATE, 3 },
    { "[\"\\ud83d\\ude00\\uD83D\\uDE00\"]", TOPOUT_JSON_MISREAD_NONE, 0 },
    { "[\"\\u0000\\ud800\"]", TOPOUT_JSON_MISREAD_NUL | TOPOUT_JSON_MISREAD_LONE_SURROGATE, 2 },
  };
  static const char sessions[] =
    "{\"sessions\": [{\"a\": 1}, {\"n\": \"x\\u0000\"}, {\"r\": [18446744073709551616]}, 7]}";
  g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (TopoutJsonSpan));
  TopoutJsonMisreads all = { 0, 0, 0 };
  gboolean found = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TopoutJsonMisreads m = { 99, 99, 99 };

      if (!topout_json_strict_check_array (cases[i].text, strlen (cases[i].text), 64, NULL, NULL, NULL, &m, NULL))
        g_error ("refused case %u: %s", i, cases[i].text);
      if (m.what != cases[i].what || (m.what != TOPOUT_JSON_MISREAD_NONE && m.first != cases[i].first))
        g_error ("case %u (%s): noted %d at %" G_GSIZE_FORMAT, i, cases[i].text, m.what, m.first);
    }

  /* A key with a lone half differs from every other key, the same key
   * twice is still one key twice, and a pair after a lone half is read. */
  {
    static const char apart[] = "{\"k\\ud800\": 1, \"k\\udc00\": 2, \"k\\uFFFD\": 3, \"k\": 4, \"k\\\\ud800\": 5}";
    static const char same[] = "{\"k\\ud800\": 1, \"k\\uD800\": 2}";
    static const char pair_after[] = "{\"\\ud800\\ud83d\\ude00\": 1, \"\\ud800\\ud83d\": 2}";
    g_autoptr (GError) error = NULL;

    g_assert_true (topout_json_strict_check (apart, strlen (apart), 64, NULL));
    g_assert_true (topout_json_strict_check (pair_after, strlen (pair_after), 64, NULL));
    g_assert_false (topout_json_strict_check (same, strlen (same), 64, &error));
    g_assert_error (error, TOPOUT_JSON_STRICT_ERROR, TOPOUT_JSON_STRICT_ERROR_DUPLICATE_KEY);
  }

  /* Mended for json-glib: each lone half and each NUL becomes U+FFFD in as many bytes;
   * pairs, other escapes and an escaped backslash before "ud800" stay. */
  {
    static const struct { const char *in, *out; } mend[] = {
      { "[\"a\\ud800b\"]", "[\"a\\ufffdb\"]" },
      { "[\"\\udc00\\ud800\\u0041\"]", "[\"\\ufffd\\ufffd\\u0041\"]" },
      { "[\"\\ud800\\ud83d\\ude00\\\\ud800\\n\"]", "[\"\\ufffd\\ud83d\\ude00\\\\ud800\\n\"]" },
      { "{\"k\\uDBFF\": \"x\\uDBFF\"}", "{\"k\\ufffd\": \"x\\ufffd\"}" },
      /* An escaped NUL too (json-glib would end the string there). */
      { "[\"nul\\u0000x\", \"\\\\u0000\"]", "[\"nul\\ufffdx\", \"\\\\u0000\"]" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (mend); i++)
      {
        g_autofree char *out = topout_json_strict_mend_escapes (mend[i].in, strlen (mend[i].in));

        g_assert_cmpstr (out, ==, mend[i].out);
      }
  }

  /* The first NUL is noted apart from the first of any kind. */
  {
    static const char both[] = "[99999999999999999999, \"x\\u0000\"]";
    TopoutJsonMisreads m = { 0, 0, 0 };

    g_assert_true (topout_json_strict_check_array (both, strlen (both), 64, NULL, NULL, NULL, &m, NULL));
    g_assert_cmpint (m.what, ==, TOPOUT_JSON_MISREAD_NUL | TOPOUT_JSON_MISREAD_BIG_INTEGER);
    g_assert_cmpuint (m.first, ==, 1);
    g_assert_cmpuint (m.first_nul, ==, strstr (both, "\\u0000") - both);
  }

  g_assert_true (topout_json_strict_check_array (sessions, strlen (sessions), 64, "sessions", spans, &found, &all, NULL));
  g_assert_true (found);
  g_assert_cmpuint (spans->len, ==, 4);
  g_assert_cmpint (g_array_index (spans, TopoutJsonSpan, 0).misreads.what, ==, TOPOUT_JSON_MISREAD_NONE);
  g_assert_cmpint (g_array_index (spans, TopoutJsonSpan, 1).misreads.what, ==, TOPOUT_JSON_MISREAD_NUL);
  g_assert_cmpuint (g_array_index (spans, TopoutJsonSpan, 1).misreads.first, ==, strstr (sessions, "\\u0000") - sessions);
  g_assert_cmpint (g_array_index (spans, TopoutJsonSpan, 2).misreads.what, ==, TOPOUT_JSON_MISREAD_BIG_INTEGER);
  g_assert_cmpuint (g_array_index (spans, TopoutJsonSpan, 2).misreads.first, ==, strstr (sessions, "1844") - sessions);
  g_assert_cmpint (g_array_index (spans, TopoutJsonSpan, 3).misreads.what, ==, TOPOUT_JSON_MISREAD_NONE);
  g_assert_cmpint (all.what, ==, TOPOUT_JSON_MISREAD_NUL | TOPOUT_JSON_MISREAD_BIG_INTEGER);
  g_assert_cmpuint (all.first, ==, strstr (sessions, "\\u0000") - sessions);
}

/* The session object of the spec example, with @from replaced by @to and
 * another clientId when not NULL. */
static char *
spec_example_session (const char *client_id,
                      const char *from,
                      const char *to)
{
  const char *start = strchr (spec_example, '[') + 1;
  g_autofree char *session = g_strndup (start, strrchr (spec_example, ']') - start);
  g_autofree char *changed = from != NULL ? topout_test_replace_once (session, from, to) : g_strdup (session);
  g_autofree char *quoted = client_id != NULL ? g_strdup_printf ("\"%s\"", client_id) : NULL;

  return client_id != NULL ? topout_test_replace_once (changed, "\"8d0c…\"", quoted) : g_steal_pointer (&changed);
}

/* A session holding what json-glib would misread is refused (invalid_json)
 * rather than decoded wrong: a revision below -2^63 reads as 2^63 - 1, and
 * notes "beta\u0000secret" as "beta". The others of the request go on, and
 * the refused one keeps its clientId for its result. */
static void
test_decode_misreads (void)
{
  g_autofree char *fine = spec_example_session (NULL, NULL, NULL);
  g_autofree char *big_session = spec_example_session ("bd0c…", "\"revision\": 3", "\"revision\": -9223372036854775809");
  g_autofree char *nul_session = spec_example_session ("nd0c…", "\"notes\": \"\", \"revision\"",
                                                      "\"notes\": \"beta\\u0000secret\", \"revision\"");
  /* Three sessions: fine, the big revision, the NUL. */
  g_autofree char *body = g_strdup_printf ("{\"sessions\": [%s, %s, %s]}", fine, big_session, nul_session);
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GError) error = NULL;

  items = topout_sync_decode_request (body, strlen (body), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_false (((TopoutWireItem *) g_ptr_array_index (items, 0))->rejected);
  for (guint i = 1; i < 3; i++)
    {
      TopoutWireItem *item = g_ptr_array_index (items, i);

      g_assert_true (item->rejected);
      g_assert_cmpint (item->error, ==, TOPOUT_WIRE_ERROR_INVALID_JSON);
      g_assert_nonnull (strstr (item->error_detail, i == 1 ? "beyond 64 bits" : "NUL"));
      g_assert_nonnull (strstr (item->error_detail, i == 1 ? "sessions[1]" : "sessions[2]"));
      g_assert_cmpstr (item->client_id, ==, i == 1 ? "bd0c…" : "nd0c…");
    }

  /* One session alone (the offline endpoint, an import line). */
  {
    TopoutWireItem *item = topout_sync_decode_session (nul_session, strlen (nul_session), &error);

    g_assert_no_error (error);
    g_assert_true (item->rejected);
    g_assert_cmpint (item->error, ==, TOPOUT_WIRE_ERROR_INVALID_JSON);
    topout_wire_item_free (item);
    item = topout_sync_decode_session (fine, strlen (fine), &error);
    g_assert_no_error (error);
    g_assert_false (item->rejected);
    topout_wire_item_free (item);
  }

  /* An answer with a revision json-glib would misread is not read at all. */
  {
    static const char answer[] =
      "{\"results\": [{\"clientId\": \"a\", \"status\": \"created\", \"sessionId\": \"s\","
      " \"revision\": 9223372036854775808}]}";
    g_autoptr (GPtrArray) results = topout_sync_decode_results (answer, strlen (answer), &error);

    g_assert_null (results);
    g_assert_error (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_INVALID_JSON);
  }
}

static void
test_strict_depth (void)
{
  g_autofree char *deep = g_malloc (20000);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = NULL;

  memset (deep, '[', 10000);
  memset (deep + 10000, ']', 10000);
  g_assert_false (topout_json_strict_check (deep, 20000, 64, &error));
  g_assert_error (error, TOPOUT_JSON_STRICT_ERROR, TOPOUT_JSON_STRICT_ERROR_DEPTH);
  g_clear_error (&error);
  /* Balanced and only 10,000 deep: fine with a limit that allows it, no recursion. */
  g_assert_true (topout_json_strict_check (deep, 20000, 10000, NULL));
  g_assert_false (topout_json_strict_check (deep, 20000, 9999, NULL));

  items = topout_sync_decode_request (deep, 20000, &error);
  g_assert_null (items);
  g_assert_error (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_INVALID_JSON);
}

/* Results --------------------------------------------------------------------- */

static void
test_results_roundtrip (void)
{
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) topout_wire_result_free);
  g_autoptr (GPtrArray) back = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  TopoutWireResult *r;
  const char *data;
  gsize len;

  for (TopoutWireStatus st = TOPOUT_WIRE_STATUS_CREATED; st <= TOPOUT_WIRE_STATUS_ERROR; st++)
    {
      r = topout_wire_result_new ();
      r->client_id = g_strdup_printf ("c%d", st);
      r->status = st;
      if (st == TOPOUT_WIRE_STATUS_REJECTED || st == TOPOUT_WIRE_STATUS_ERROR)
        {
          r->error_code = g_strdup ("invalid_attempts");
          r->error_message = g_strdup ("Nope");
        }
      else
        {
          r->session_id = g_strdup ("srv-1");
          r->revision = 7;
        }
      g_ptr_array_add (results, r);
    }
  body = topout_sync_encode_results (results);
  data = g_bytes_get_data (body, &len);
  back = topout_sync_decode_results (data, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, results->len);
  for (guint i = 0; i < back->len; i++)
    {
      TopoutWireResult *a = g_ptr_array_index (results, i);
      TopoutWireResult *b = g_ptr_array_index (back, i);

      g_assert_cmpstr (a->client_id, ==, b->client_id);
      g_assert_cmpint (a->status, ==, b->status);
      g_assert_cmpstr (a->session_id, ==, b->session_id);
      g_assert_cmpint (a->revision, ==, b->revision);
      g_assert_cmpstr (a->error_code, ==, b->error_code);
      g_assert_cmpstr (a->error_message, ==, b->error_message);
    }
  /* Rejected and error results carry no sessionId / revision. */
  g_assert_null (strstr (data, "\"status\":\"rejected\",\"sessionId\""));
}

static void
test_results_unknown_and_malformed (void)
{
  const char *body =
    "{\"results\": [ {\"clientId\": \"a\", \"status\": \"teleported\", \"sessionId\": \"s\", \"revision\": 2},"
    " 17, {\"status\": \"created\"}, {\"clientId\": \"b\", \"status\": \"created\", \"sessionId\": \"s2\", \"revision\": 1} ]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) results = topout_sync_decode_results (body, strlen (body), &error);

  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpint (((TopoutWireResult *) g_ptr_array_index (results, 0))->status, ==, TOPOUT_WIRE_STATUS_UNKNOWN);
  g_assert_cmpint (((TopoutWireResult *) g_ptr_array_index (results, 1))->status, ==, TOPOUT_WIRE_STATUS_CREATED);
  g_assert_cmpint (topout_wire_status_from_string (NULL), ==, TOPOUT_WIRE_STATUS_UNKNOWN);

  g_assert_null (topout_sync_decode_results ("<html>", 6, &error));
  g_assert_error (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_INVALID_JSON);
  g_clear_error (&error);
  g_assert_null (topout_sync_decode_results ("{\"sessions\": []}", 16, &error));
  g_assert_error (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_INVALID_SHAPE);
}

static void
test_error_codes (void)
{
  static const char *const codes[] = {
    "invalid_json", "invalid_shape", "missing_field", "invalid_type", "invalid_status",
    "invalid_time_slot", "invalid_attempts", "too_long", "end_before_start",
    "competition_pair_missing", "too_many_routes", "foreign_client_id", "too_large",
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      TopoutWireError e;

      g_assert_true (topout_wire_error_from_code (codes[i], &e));
      g_assert_cmpint (e, ==, (TopoutWireError) i);
      g_assert_cmpstr (topout_wire_error_to_code (e), ==, codes[i]);
      g_assert_cmpuint (strlen (topout_wire_error_get_message (e)), >, 10);
    }
  g_assert_false (topout_wire_error_from_code ("nope", NULL));
  g_assert_false (topout_wire_error_from_code (NULL, NULL));
}

static void
test_content_hash (void)
{
  g_autoptr (TopoutSession) s = make_session ();
  g_autoptr (TopoutClimber) c = make_climber ();
  g_autofree char *h1 = topout_sync_content_hash (s, c);
  g_autofree char *h2 = topout_sync_content_hash (s, c);
  g_autofree char *h3 = NULL, *h4 = NULL, *h5 = NULL;

  g_assert_cmpstr (h1, ==, h2);
  topout_session_set_revision (s, 9);
  h3 = topout_sync_content_hash (s, c);
  g_assert_cmpstr (h1, ==, h3);           /* revision-independent */
  topout_session_set_notes (s, "other");
  h4 = topout_sync_content_hash (s, c);
  g_assert_cmpstr (h1, !=, h4);           /* content-dependent */
  topout_session_set_notes (s, "");
  topout_completion_set_attempts (g_ptr_array_index (topout_session_get_completions (s), 0), 5);
  h5 = topout_sync_content_hash (s, c);
  g_assert_cmpstr (h1, !=, h5);           /* routes count */
  topout_completion_set_attempts (g_ptr_array_index (topout_session_get_completions (s), 0), 2);
  {
    GPtrArray *routes = topout_session_get_completions (s);
    TopoutCompletion *first = g_ptr_array_index (routes, 0);
    gint64 logged = topout_completion_get_logged_at (first);
    g_autofree char *back = NULL, *subsecond = NULL, *later = NULL;

    back = topout_sync_content_hash (s, c);
    g_assert_cmpstr (h1, ==, back);       /* the same content again */
    /* The wire carries whole seconds: less than that is not a change. */
    topout_completion_set_logged_at (first, logged - logged % G_USEC_PER_SEC + 500000);
    subsecond = topout_sync_content_hash (s, c);
    g_assert_cmpstr (h1, ==, subsecond);
    topout_completion_set_logged_at (first, logged + G_USEC_PER_SEC);
    later = topout_sync_content_hash (s, c);
    g_assert_cmpstr (h1, !=, later);
    topout_completion_set_logged_at (first, logged);
  }
  {
    /* The climber travels with the session: a new name is new content. */
    g_autoptr (TopoutClimber) c2 = make_climber ();
    g_autofree char *name = g_strconcat (topout_climber_get_display_name (c), "x", NULL);
    g_autofree char *h6 = NULL;

    topout_climber_set_display_name (c2, name);
    h6 = topout_sync_content_hash (s, c2);
    g_assert_cmpstr (h1, !=, h6);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/encode/session", test_encode_session);
  g_test_add_func ("/codec/encode/request-roundtrip", test_encode_request_roundtrip);
  g_test_add_func ("/codec/encode/encoder-reuse", test_encoder_reuse);
  g_test_add_func ("/codec/decode/spec-example", test_decode_spec_example);
  g_test_add_func ("/codec/decode/whole-request", test_whole_request_errors);
  g_test_add_func ("/codec/decode/lengths-in-characters", test_lengths_count_characters);
  g_test_add_func ("/codec/decode/offline-bare", test_offline_bare);
  g_test_add_func ("/codec/decode/epoch", test_decode_epoch);
  g_test_add_func ("/codec/decode/custom-label", test_decode_custom_label);
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autofree char *path = g_strdup_printf ("/codec/rule/%s", rules[i].name);
      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_rule);
    }
  g_test_add_func ("/codec/strict/refuses", test_strict_refuses);
  g_test_add_func ("/codec/strict/accepts", test_strict_accepts);
  g_test_add_func ("/codec/strict/many-keys", test_strict_many_keys);
  g_test_add_func ("/codec/strict/depth", test_strict_depth);
  g_test_add_func ("/codec/strict/array-spans", test_strict_array_spans);
  g_test_add_func ("/codec/strict/misreads", test_strict_misreads);
  g_test_add_func ("/codec/decode/misreads", test_decode_misreads);
  g_test_add_func ("/codec/results/roundtrip", test_results_roundtrip);
  g_test_add_func ("/codec/results/unknown-and-malformed", test_results_unknown_and_malformed);
  g_test_add_func ("/codec/error-codes", test_error_codes);
  g_test_add_func ("/codec/content-hash", test_content_hash);

  return g_test_run ();
}
