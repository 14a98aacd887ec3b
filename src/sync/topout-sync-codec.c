/* topout-sync-codec.c — the JSON codec of the sync contract v1.
 *
 * No I/O. Bodies go through topout_json_strict_check() before json-glib.
 */
#define G_LOG_DOMAIN "topout-sync-codec"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "topout-json-strict.h"
#include "topout-limits.h"
#include "topout-sync-codec.h"

G_DEFINE_QUARK (topout-wire-error-quark, topout_wire_error)

/* Error codes ------------------------------------------------------------ */

static const char *const error_codes[] = {
  [TOPOUT_WIRE_ERROR_INVALID_JSON] = "invalid_json",
  [TOPOUT_WIRE_ERROR_INVALID_SHAPE] = "invalid_shape",
  [TOPOUT_WIRE_ERROR_MISSING_FIELD] = "missing_field",
  [TOPOUT_WIRE_ERROR_INVALID_TYPE] = "invalid_type",
  [TOPOUT_WIRE_ERROR_INVALID_STATUS] = "invalid_status",
  [TOPOUT_WIRE_ERROR_INVALID_TIME_SLOT] = "invalid_time_slot",
  [TOPOUT_WIRE_ERROR_INVALID_ATTEMPTS] = "invalid_attempts",
  [TOPOUT_WIRE_ERROR_TOO_LONG] = "too_long",
  [TOPOUT_WIRE_ERROR_END_BEFORE_START] = "end_before_start",
  [TOPOUT_WIRE_ERROR_COMPETITION_PAIR_MISSING] = "competition_pair_missing",
  [TOPOUT_WIRE_ERROR_TOO_MANY_ROUTES] = "too_many_routes",
  [TOPOUT_WIRE_ERROR_FOREIGN_CLIENT_ID] = "foreign_client_id",
  [TOPOUT_WIRE_ERROR_TOO_LARGE] = "too_large",
};

const char *
topout_wire_error_to_code (TopoutWireError error)
{
  if ((guint) error >= G_N_ELEMENTS (error_codes))
    return NULL;
  return error_codes[error];
}

gboolean
topout_wire_error_from_code (const char      *code,
                             TopoutWireError *out)
{
  if (code == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (error_codes); i++)
    if (g_strcmp0 (code, error_codes[i]) == 0)
      {
        if (out)
          *out = (TopoutWireError) i;
        return TRUE;
      }
  return FALSE;
}

const char *
topout_wire_error_get_message (TopoutWireError error)
{
  switch (error)
    {
    case TOPOUT_WIRE_ERROR_INVALID_JSON:
      return _("The server could not read the data that was sent.");
    case TOPOUT_WIRE_ERROR_INVALID_SHAPE:
      return _("The session was not in the form the server expects.");
    case TOPOUT_WIRE_ERROR_MISSING_FIELD:
      return _("A required field of the session is missing.");
    case TOPOUT_WIRE_ERROR_INVALID_TYPE:
      return _("A field of the session has a value of the wrong kind.");
    case TOPOUT_WIRE_ERROR_INVALID_STATUS:
      return _("The session's status is not one the server accepts.");
    case TOPOUT_WIRE_ERROR_INVALID_TIME_SLOT:
      return _("The session's time slot is not a known time slot.");
    case TOPOUT_WIRE_ERROR_INVALID_ATTEMPTS:
      return _("The number of attempts must be a whole number from 1 to 999.");
    case TOPOUT_WIRE_ERROR_TOO_LONG:
      return _("A text of the session is longer than allowed.");
    case TOPOUT_WIRE_ERROR_END_BEFORE_START:
      return _("The session ends before it starts.");
    case TOPOUT_WIRE_ERROR_COMPETITION_PAIR_MISSING:
      return _("A competition needs both the competition type and the competition id.");
    case TOPOUT_WIRE_ERROR_TOO_MANY_ROUTES:
      return _("The session has more routes than the server accepts.");
    case TOPOUT_WIRE_ERROR_FOREIGN_CLIENT_ID:
      return _("This session belongs to another device.");
    case TOPOUT_WIRE_ERROR_TOO_LARGE:
      return _("What was sent is too large for the server.");
    default:
      return _("The server refused the session.");
    }
}

/* Statuses ---------------------------------------------------------------- */

static const char *const status_strings[] = {
  [TOPOUT_WIRE_STATUS_CREATED] = "created",
  [TOPOUT_WIRE_STATUS_UPDATED] = "updated",
  [TOPOUT_WIRE_STATUS_UNCHANGED] = "unchanged",
  [TOPOUT_WIRE_STATUS_CONFLICT] = "conflict",
  [TOPOUT_WIRE_STATUS_REJECTED] = "rejected",
  [TOPOUT_WIRE_STATUS_ERROR] = "error",
};

const char *
topout_wire_status_to_string (TopoutWireStatus status)
{
  if ((guint) status >= G_N_ELEMENTS (status_strings))
    return NULL;
  return status_strings[status];
}

TopoutWireStatus
topout_wire_status_from_string (const char *string)
{
  if (string == NULL)
    return TOPOUT_WIRE_STATUS_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (status_strings); i++)
    if (strcmp (string, status_strings[i]) == 0)
      return (TopoutWireStatus) i;
  return TOPOUT_WIRE_STATUS_UNKNOWN;
}

/* Times ------------------------------------------------------------------- */

static char *
put_digits (char *p,
            int   value,
            int   width)
{
  for (int i = width - 1; i >= 0; i--, value /= 10)
    p[i] = (char) ('0' + value % 10);
  return p + width;
}

/* µs since the epoch → "2026-11-21T17:02:11Z" (whole seconds, UTC) in
 * @text; FALSE when GDateTime cannot hold it. GDateTime splits the time;
 * the digits are put in place directly, as g_date_time_format() (and
 * printf) parse their format on every call, and an export writes a
 * million of these. */
gboolean
topout_sync_format_time (gint64 usec,
                         char   text[TOPOUT_SYNC_TIME_TEXT_SIZE])
{
  g_autoptr (GDateTime) dt = NULL;
  gint64 secs = usec / G_USEC_PER_SEC;
  int y, m, d;
  char *p = text;

  if (usec % G_USEC_PER_SEC < 0)
    secs--;
  dt = g_date_time_new_from_unix_utc (secs);
  if (dt == NULL)
    return FALSE;
  g_date_time_get_ymd (dt, &y, &m, &d);  /* year 1 to 9999 */
  p = put_digits (p, y, 4);
  *p++ = '-';
  p = put_digits (p, m, 2);
  *p++ = '-';
  p = put_digits (p, d, 2);
  *p++ = 'T';
  p = put_digits (p, g_date_time_get_hour (dt), 2);
  *p++ = ':';
  p = put_digits (p, g_date_time_get_minute (dt), 2);
  *p++ = ':';
  p = put_digits (p, g_date_time_get_second (dt), 2);
  *p++ = 'Z';
  *p = '\0';
  g_assert (p - text == TOPOUT_SYNC_TIME_TEXT_SIZE - 1);
  return TRUE;
}

static char *
format_time (gint64 usec)
{
  char text[TOPOUT_SYNC_TIME_TEXT_SIZE];

  return topout_sync_format_time (usec, text) ? g_strdup (text) : NULL;
}

static gboolean
is_digits (const char *s,
           guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* RFC 3339 date-time → µs since the epoch. */
static gboolean
parse_time (const char *s,
            gint64     *out)
{
  g_autoptr (GDateTime) dt = NULL;
  g_autofree char *upper = NULL;
  const char *p, *zone;
  gsize len = strlen (s);

  /* YYYY-MM-DDTHH:MM:SS */
  if (len < 20 || !is_digits (s, 4) || s[4] != '-' || !is_digits (s + 5, 2) || s[7] != '-' ||
      !is_digits (s + 8, 2) || (s[10] != 'T' && s[10] != 't') || !is_digits (s + 11, 2) ||
      s[13] != ':' || !is_digits (s + 14, 2) || s[16] != ':' || !is_digits (s + 17, 2))
    return FALSE;
  p = s + 19;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  zone = p;
  if (*p == 'Z' || *p == 'z')
    p++;
  else if ((*p == '+' || *p == '-') && is_digits (p + 1, 2) && p[3] == ':' && is_digits (p + 4, 2) &&
           /* time-hour 00–23, time-minute 00–59 (GLib takes +24:00) */
           (p[1] - '0') * 10 + (p[2] - '0') <= 23 && p[4] <= '5')
    p += 6;
  else
    return FALSE;
  if (*p != '\0')
    return FALSE;

  /* RFC 3339 allows a lower-case 'z'; GLib's ISO 8601 reader does not
   * (it takes a lower-case 't'). */
  if (*zone == 'z')
    {
      upper = g_strdup (s);
      upper[zone - s] = 'Z';
      s = upper;
    }
  dt = g_date_time_new_from_iso8601 (s, NULL);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

static gboolean
valid_date (const char *s)
{
  guint y, m, d;

  if (strlen (s) != 10 || !is_digits (s, 4) || s[4] != '-' || !is_digits (s + 5, 2) ||
      s[7] != '-' || !is_digits (s + 8, 2))
    return FALSE;
  y = (guint) g_ascii_strtoull (s, NULL, 10);
  m = (guint) g_ascii_strtoull (s + 5, NULL, 10);
  d = (guint) g_ascii_strtoull (s + 8, NULL, 10);
  return y >= 1 && g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

/* Encoding ------------------------------------------------------------------ */

static void
add_string_or_null (JsonBuilder *b,
                    const char  *key,
                    const char  *value)
{
  json_builder_set_member_name (b, key);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* Members are set on JsonObjects directly (no JsonBuilder: its state machine
 * cost more than the objects themselves); json-glib keeps them in the order
 * set, so the text is the same as before, byte for byte. */
static void
set_string_or_null (JsonObject *o,
                    const char *key,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (o, key, value);
  else
    json_object_set_null_member (o, key);
}

static void
set_time_or_null (JsonObject *o,
                  const char *key,
                  gint64      usec)
{
  g_autofree char *text = usec != 0 ? format_time (usec) : NULL;

  set_string_or_null (o, key, text);
}

static const char *
empty_to_null (const char *s)
{
  return (s != NULL && *s != '\0') ? s : NULL;
}

/* The session's wire fields, in wire order, are walked once by
 * emit_session() into a FieldSink: one sink builds the JSON tree that is
 * sent, another feeds the content hash straight from the values (no tree,
 * no text). So the hash can never miss a field the wire carries. */
typedef struct _FieldSink FieldSink;
struct _FieldSink {
  void (*string)  (FieldSink *sink, const char *key, const char *value);  /* NULL: null */
  void (*boolean) (FieldSink *sink, const char *key, gboolean value);
  void (*integer) (FieldSink *sink, const char *key, gint64 value);
  void (*time)    (FieldSink *sink, const char *key, gint64 usec);        /* 0: null */
  void (*open)    (FieldSink *sink, const char *key, gboolean array);     /* key NULL: array element */
  void (*close)   (FieldSink *sink);
};

/* @canonical leaves out revision and deviceId (the content hash) and never
 * differs otherwise. */
static void
emit_session (TopoutSession *session,
              TopoutClimber *climber,
              const char    *device_id,
              gboolean       canonical,
              FieldSink     *k)
{
  TopoutSessionType type = topout_session_get_session_type (session);
  const char *user_id = climber ? topout_climber_get_id (climber) : topout_session_get_climber_id (session);
  const char *display_name = climber ? topout_climber_get_display_name (climber)
                                     : topout_session_get_climber_name (session);
  const char *member_code = climber ? empty_to_null (topout_climber_get_member_code (climber)) : NULL;
  GPtrArray *completions = topout_session_get_completions (session);
  int at_gym = topout_session_get_at_gym (session);
  const char *notes;

  k->open (k, NULL, FALSE);
  k->string (k, "clientId", topout_session_get_id (session));
  if (!canonical)
    k->string (k, "deviceId", device_id);
  k->string (k, "userId", user_id);

  k->open (k, "climber", FALSE);
  k->string (k, "id", user_id);
  k->string (k, "memberCode", member_code);
  k->string (k, "displayName", display_name);
  k->close (k);

  k->string (k, "type", topout_session_type_to_key (type));
  k->string (k, "customLabel",
             type == TOPOUT_SESSION_TYPE_CUSTOM
               ? empty_to_null (topout_session_get_custom_label (session)) : NULL);
  k->string (k, "name", topout_session_get_name (session));
  k->string (k, "status", topout_session_status_to_key (topout_session_get_status (session)));
  k->time (k, "startTime", topout_session_get_started_at (session));
  k->time (k, "endTime", topout_session_get_ended_at (session));
  k->string (k, "sessionDate", topout_session_get_session_date (session));
  k->string (k, "timeSlot", topout_time_slot_to_key (topout_session_get_time_slot (session)));
  k->boolean (k, "isRetroactive", topout_session_get_is_retroactive (session));
  if (at_gym < 0)
    k->string (k, "isAtGym", NULL);
  else
    k->boolean (k, "isAtGym", at_gym != 0);
  k->boolean (k, "isCompetition", topout_session_get_is_competition (session));
  k->string (k, "competitionType", topout_session_get_competition_type (session));
  k->string (k, "competitionId", topout_session_get_competition_id (session));
  notes = topout_session_get_notes (session);
  k->string (k, "notes", notes ? notes : "");
  if (!canonical)
    k->integer (k, "revision", topout_session_get_revision (session));

  k->open (k, "routes", TRUE);
  for (guint i = 0; completions != NULL && i < completions->len; i++)
    {
      TopoutCompletion *c = g_ptr_array_index (completions, i);

      notes = topout_completion_get_notes (c);
      k->open (k, NULL, FALSE);
      k->string (k, "clientId", topout_completion_get_id (c));
      k->string (k, "climbId", topout_completion_get_climb_id (c));
      k->string (k, "grade", empty_to_null (topout_completion_get_grade (c)));
      k->boolean (k, "isSuccess", topout_completion_get_is_success (c));
      k->integer (k, "attempts", topout_completion_get_attempts (c));
      k->string (k, "notes", notes ? notes : "");
      k->time (k, "loggedAt", topout_completion_get_logged_at (c));
      k->boolean (k, "isCompetition", topout_completion_get_is_competition (c));
      k->string (k, "competitionType", topout_completion_get_competition_type (c));
      k->string (k, "competitionId", topout_completion_get_competition_id (c));
      k->close (k);
    }
  k->close (k);
  k->close (k);
}

/* The tree sink: JsonObjects and JsonArrays, members in the order emitted
 * (json-glib keeps it, so the text is stable byte for byte). */
typedef struct {
  FieldSink   base;
  JsonObject *root;
  JsonObject *objects[4];  /* the open containers: an object, */
  JsonArray  *arrays[4];   /* or an array, at each depth */
  int         depth;
} TreeSink;

static void
tree_string (FieldSink  *sink,
             const char *key,
             const char *value)
{
  TreeSink *t = (TreeSink *) sink;

  set_string_or_null (t->objects[t->depth - 1], key, value);
}

static void
tree_boolean (FieldSink  *sink,
              const char *key,
              gboolean    value)
{
  TreeSink *t = (TreeSink *) sink;

  json_object_set_boolean_member (t->objects[t->depth - 1], key, value);
}

static void
tree_integer (FieldSink  *sink,
              const char *key,
              gint64      value)
{
  TreeSink *t = (TreeSink *) sink;

  json_object_set_int_member (t->objects[t->depth - 1], key, value);
}

static void
tree_time (FieldSink  *sink,
           const char *key,
           gint64      usec)
{
  TreeSink *t = (TreeSink *) sink;

  set_time_or_null (t->objects[t->depth - 1], key, usec);
}

static void
tree_open (FieldSink  *sink,
           const char *key,
           gboolean    array)
{
  TreeSink *t = (TreeSink *) sink;
  JsonObject *parent = t->depth > 0 ? t->objects[t->depth - 1] : NULL;
  JsonArray *parent_array = t->depth > 0 ? t->arrays[t->depth - 1] : NULL;

  g_assert (t->depth < (int) G_N_ELEMENTS (t->objects));
  t->objects[t->depth] = NULL;
  t->arrays[t->depth] = NULL;
  if (array)
    {
      t->arrays[t->depth] = json_array_new ();
      json_object_set_array_member (parent, key, t->arrays[t->depth]);
    }
  else
    {
      JsonObject *o = json_object_new ();

      t->objects[t->depth] = o;
      if (parent_array != NULL)
        json_array_add_object_element (parent_array, o);
      else if (parent != NULL)
        json_object_set_object_member (parent, key, o);
      else
        t->root = o;
    }
  t->depth++;
}

static void
tree_close (FieldSink *sink)
{
  TreeSink *t = (TreeSink *) sink;

  t->depth--;
}

static JsonObject *
build_session (TopoutSession *session,
               TopoutClimber *climber,
               const char    *device_id,
               gboolean       canonical)
{
  TreeSink t = { { tree_string, tree_boolean, tree_integer, tree_time, tree_open, tree_close }, NULL, { NULL }, { NULL }, 0 };

  emit_session (session, climber, device_id, canonical, &t.base);
  g_assert (t.depth == 0);
  return t.root;
}

static JsonNode *
session_node (TopoutSession *session,
              TopoutClimber *climber,
              const char    *device_id,
              gboolean       canonical)
{
  JsonNode *node = json_node_alloc ();

  json_node_init_object (node, NULL);
  json_node_take_object (node, build_session (session, climber, device_id, canonical));
  return node;
}

JsonNode *
topout_sync_encode_session (TopoutSession *session,
                            TopoutClimber *climber,
                            const char    *device_id)
{
  g_return_val_if_fail (TOPOUT_IS_SESSION (session), NULL);

  return session_node (session, climber, device_id, FALSE);
}

static char *
node_to_string (JsonNode *node)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  GString *out = g_string_new (NULL);

  json_generator_set_root (gen, node);
  json_generator_to_gstring (gen, out);
  topout_json_mend_generated (out, 0);
  return g_string_free (out, FALSE);
}

char *
topout_sync_encode_session_text (TopoutSession *session,
                                 TopoutClimber *climber,
                                 const char    *device_id)
{
  g_autoptr (JsonNode) node = topout_sync_encode_session (session, climber, device_id);

  return node_to_string (node);
}

/* The reusing sink: the tree of the previous session is kept and its values
 * are set in place (the same members in the same order every time, so only
 * the values change), which saves building and freeing a tree of ~150 nodes
 * per session. Route objects past the previous session's count are added,
 * the surplus dropped. The text is the tree sink's, byte for byte. */
typedef struct {
  const char *key;   /* emit_session's literal */
  JsonNode   *node;  /* that member of the object */
} Slot;

struct _TopoutSessionEncoder {
  FieldSink      base;
  char          *device_id;
  JsonNode      *root;
  JsonGenerator *generator;
  GHashTable    *slots;         /* JsonObject* → GArray of Slot, in emit order */
  JsonObject    *objects[4];    /* the open containers, as in TreeSink */
  JsonArray     *arrays[4];
  GArray        *open_slots[4]; /* objects: their slots */
  guint          n_members[4];  /* objects: members set so far */
  guint          n_elements[4]; /* arrays: elements used so far */
  int            depth;
};

/* The member to set in place, or NULL when it is new (the first session)
 * or changes type: then it is set anew, which keeps its place, and
 * reuse_remember() notes the new node. (json-glib 1.6 cannot change a
 * node's type in place: json_node_init_null() after a string leaves a
 * dangling value behind.) Members are found by their place in the emit
 * order, so a hash lookup is made only when that changes. */
static JsonNode *
reuse_member (TopoutSessionEncoder *e,
              const char           *key,
              JsonNodeType          node_type,
              GType                 value_type)
{
  GArray *slots = e->open_slots[e->depth - 1];
  guint i = e->n_members[e->depth - 1]++;
  JsonNode *n = NULL;

  if (i < slots->len && g_array_index (slots, Slot, i).key == key)
    n = g_array_index (slots, Slot, i).node;
  if (n == NULL || JSON_NODE_TYPE (n) != node_type ||
      (node_type == JSON_NODE_VALUE && json_node_get_value_type (n) != value_type))
    return NULL;
  return n;
}

/* After the member last passed to reuse_member() was set anew. */
static void
reuse_remember (TopoutSessionEncoder *e,
                const char           *key)
{
  GArray *slots = e->open_slots[e->depth - 1];
  guint i = e->n_members[e->depth - 1] - 1;
  Slot slot = { key, json_object_get_member (e->objects[e->depth - 1], key) };

  if (i >= slots->len)
    g_array_set_size (slots, i + 1);
  g_array_index (slots, Slot, i) = slot;
}

static void
reuse_string (FieldSink  *sink,
              const char *key,
              const char *value)
{
  TopoutSessionEncoder *e = (TopoutSessionEncoder *) sink;
  JsonNode *n = reuse_member (e, key, value ? JSON_NODE_VALUE : JSON_NODE_NULL, G_TYPE_STRING);

  if (n == NULL)
    {
      set_string_or_null (e->objects[e->depth - 1], key, value);
      reuse_remember (e, key);
    }
  else if (value != NULL && g_strcmp0 (json_node_get_string (n), value) != 0)
    /* Many values repeat from one session to the next (the device, the
     * type, grades): the node keeps its copy then. */
    json_node_set_string (n, value);
}

/* Booleans and integers: a value node of @type. */
static void
reuse_scalar (TopoutSessionEncoder *e,
              const char           *key,
              GType                 type,
              gint64                value)
{
  JsonNode *n = reuse_member (e, key, JSON_NODE_VALUE, type);

  if (n == NULL)
    {
      if (type == G_TYPE_BOOLEAN)
        json_object_set_boolean_member (e->objects[e->depth - 1], key, value != 0);
      else
        json_object_set_int_member (e->objects[e->depth - 1], key, value);
      reuse_remember (e, key);
    }
  else if (type == G_TYPE_BOOLEAN)
    json_node_set_boolean (n, value != 0);
  else
    json_node_set_int (n, value);
}

static void
reuse_boolean (FieldSink  *sink,
               const char *key,
               gboolean    value)
{
  reuse_scalar ((TopoutSessionEncoder *) sink, key, G_TYPE_BOOLEAN, value);
}

static void
reuse_integer (FieldSink  *sink,
               const char *key,
               gint64      value)
{
  reuse_scalar ((TopoutSessionEncoder *) sink, key, G_TYPE_INT64, value);
}

static void
reuse_time (FieldSink  *sink,
            const char *key,
            gint64      usec)
{
  char text[TOPOUT_SYNC_TIME_TEXT_SIZE];

  reuse_string (sink, key, usec != 0 && topout_sync_format_time (usec, text) ? text : NULL);
}

static void
reuse_open (FieldSink  *sink,
            const char *key,
            gboolean    array)
{
  TopoutSessionEncoder *e = (TopoutSessionEncoder *) sink;
  int d = e->depth;
  JsonObject *parent = d > 0 ? e->objects[d - 1] : NULL;
  JsonArray *parent_array = d > 0 ? e->arrays[d - 1] : NULL;
  JsonObject *o = NULL;

  g_assert (d < (int) G_N_ELEMENTS (e->objects));
  e->arrays[d] = NULL;
  e->n_members[d] = 0;
  e->n_elements[d] = 0;

  if (parent_array != NULL)
    {
      guint i = e->n_elements[d - 1]++;

      if (i >= json_array_get_length (parent_array))
        json_array_add_object_element (parent_array, json_object_new ());
      o = json_array_get_object_element (parent_array, i);
    }
  else if (parent != NULL)
    {
      JsonNode *n = reuse_member (e, key, array ? JSON_NODE_ARRAY : JSON_NODE_OBJECT, G_TYPE_INVALID);

      if (n == NULL)
        {
          /* Only ever new: a container replaced would leave its
           * objects' slots behind. */
          g_assert (json_object_get_member (parent, key) == NULL);
          if (array)
            json_object_set_array_member (parent, key, json_array_new ());
          else
            json_object_set_object_member (parent, key, json_object_new ());
          reuse_remember (e, key);
          n = json_object_get_member (parent, key);
        }
      if (array)
        e->arrays[d] = json_node_get_array (n);
      else
        o = json_node_get_object (n);
    }
  else
    {
      if (e->root == NULL)
        {
          e->root = json_node_alloc ();
          json_node_init_object (e->root, NULL);
          json_node_take_object (e->root, json_object_new ());
        }
      o = json_node_get_object (e->root);
    }

  e->objects[d] = o;
  e->open_slots[d] = NULL;
  if (o != NULL)
    {
      e->open_slots[d] = g_hash_table_lookup (e->slots, o);
      if (e->open_slots[d] == NULL)
        {
          e->open_slots[d] = g_array_new (FALSE, TRUE, sizeof (Slot));
          g_hash_table_insert (e->slots, o, e->open_slots[d]);
        }
    }
  e->depth++;
}

static void
reuse_close (FieldSink *sink)
{
  TopoutSessionEncoder *e = (TopoutSessionEncoder *) sink;
  int d = --e->depth;

  if (e->arrays[d] != NULL)
    {
      /* Drop the routes the previous session had past this one's, and
       * what was known of their members. */
      JsonArray *a = e->arrays[d];

      while (json_array_get_length (a) > e->n_elements[d])
        {
          guint last = json_array_get_length (a) - 1;

          g_hash_table_remove (e->slots, json_array_get_object_element (a, last));
          json_array_remove_element (a, last);
        }
    }
  else
    {
      /* emit_session sets the same members every time: nothing is left
       * over from the previous session. */
      g_assert (json_object_get_size (e->objects[d]) == e->n_members[d]);
    }
}

TopoutSessionEncoder *
topout_session_encoder_new (const char *device_id)
{
  TopoutSessionEncoder *e = g_new0 (TopoutSessionEncoder, 1);

  e->base = (FieldSink) { reuse_string, reuse_boolean, reuse_integer, reuse_time, reuse_open, reuse_close };
  e->device_id = g_strdup (device_id);
  e->generator = json_generator_new ();
  e->slots = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  return e;
}

void
topout_session_encoder_free (TopoutSessionEncoder *e)
{
  if (e == NULL)
    return;
  g_free (e->device_id);
  g_clear_pointer (&e->slots, g_hash_table_unref);
  g_clear_pointer (&e->root, json_node_unref);
  g_object_unref (e->generator);
  g_free (e);
}

void
topout_session_encoder_append (TopoutSessionEncoder *e,
                               TopoutSession        *session,
                               TopoutClimber        *climber,
                               GString              *out)
{
  gsize from;

  g_return_if_fail (e != NULL);
  g_return_if_fail (TOPOUT_IS_SESSION (session));

  emit_session (session, climber, e->device_id, FALSE, &e->base);
  g_assert (e->depth == 0);
  from = out->len;
  json_generator_set_root (e->generator, e->root);
  json_generator_to_gstring (e->generator, out);
  topout_json_mend_generated (out, from);
}

GBytes *
topout_sync_encode_request (GPtrArray  *sessions,
                            GHashTable *climbers,
                            const char *device_id)
{
  GString *out = g_string_sized_new (sessions != NULL ? 4096 * sessions->len : 64);
  g_autoptr (TopoutSessionEncoder) encoder = topout_session_encoder_new (device_id);

  g_string_append (out, "{\"sessions\":[");
  for (guint i = 0; sessions != NULL && i < sessions->len; i++)
    {
      TopoutSession *s = g_ptr_array_index (sessions, i);
      TopoutClimber *climber = NULL;

      if (climbers != NULL && topout_session_get_climber_id (s) != NULL)
        climber = g_hash_table_lookup (climbers, topout_session_get_climber_id (s));
      if (i > 0)
        g_string_append_c (out, ',');
      /* Written straight into the body. */
      topout_session_encoder_append (encoder, s, climber, out);
    }
  g_string_append (out, "]}");
  return g_string_free_to_bytes (out);
}

/* Content hash ----------------------------------------------------------- */

/* The hash sink: each field as a tag byte and its value with an explicit
 * length (the order of the fields is emit_session's, so names are not
 * needed), so no two different sessions feed the same bytes. Times count
 * in the whole seconds the wire carries. The bytes are gathered and hashed
 * once. */
typedef struct {
  FieldSink  base;
  GString   *bytes;
} HashSink;

static void
hash_field (HashSink   *h,
            char        tag,
            const char *key,
            const void *value,
            gsize       len)
{
  guint32 n = (guint32) len;

  g_string_append_c (h->bytes, tag);
  g_string_append_len (h->bytes, (const char *) &n, sizeof n);
  if (len > 0)
    g_string_append_len (h->bytes, value, (gssize) len);
}

static void
hash_string (FieldSink  *sink,
             const char *key,
             const char *value)
{
  if (value == NULL)
    hash_field ((HashSink *) sink, 'n', key, NULL, 0);
  else
    hash_field ((HashSink *) sink, 's', key, value, strlen (value));
}

static void
hash_boolean (FieldSink  *sink,
              const char *key,
              gboolean    value)
{
  guchar b = value ? 1 : 0;

  hash_field ((HashSink *) sink, 'b', key, &b, 1);
}

static void
hash_integer (FieldSink  *sink,
              const char *key,
              gint64      value)
{
  hash_field ((HashSink *) sink, 'i', key, &value, sizeof value);
}

static void
hash_time (FieldSink  *sink,
           const char *key,
           gint64      usec)
{
  gint64 secs = usec / G_USEC_PER_SEC;

  if (usec == 0)
    {
      hash_field ((HashSink *) sink, 'n', key, NULL, 0);
      return;
    }
  if (usec % G_USEC_PER_SEC < 0)
    secs--;
  hash_field ((HashSink *) sink, 't', key, &secs, sizeof secs);
}

static void
hash_open (FieldSink  *sink,
           const char *key,
           gboolean    array)
{
  hash_field ((HashSink *) sink, array ? '[' : '{', key ? key : "", NULL, 0);
}

static void
hash_close (FieldSink *sink)
{
  hash_field ((HashSink *) sink, '}', "", NULL, 0);
}

char *
topout_sync_content_hash (TopoutSession *session,
                          TopoutClimber *climber)
{
  HashSink h = { { hash_string, hash_boolean, hash_integer, hash_time, hash_open, hash_close }, NULL };
  g_autofree char *sum = NULL;
  guint n_routes;

  g_return_val_if_fail (TOPOUT_IS_SESSION (session), NULL);

  n_routes = topout_session_get_completions (session) ? topout_session_get_completions (session)->len : 0;
  h.bytes = g_string_sized_new (512 + 256 * n_routes);
  emit_session (session, climber, NULL, TRUE, &h.base);
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) h.bytes->str, h.bytes->len);
  g_string_free (h.bytes, TRUE);
  return g_strconcat (TOPOUT_SYNC_CONTENT_HASH_PREFIX, sum, NULL);
}

gboolean
topout_sync_content_hash_matches (TopoutWireItem *item,
                                  const char     *stored)
{
  g_autofree char *current = NULL;

  g_return_val_if_fail (item != NULL && item->session != NULL, FALSE);

  if (stored == NULL)
    return FALSE;
  if (g_str_has_prefix (stored, TOPOUT_SYNC_CONTENT_HASH_PREFIX))
    current = topout_sync_content_hash (item->session, item->climber);
  else
    {
      /* Written by a server before 0.2: the SHA-256 of the canonical text. */
      g_autoptr (JsonNode) root = session_node (item->session, item->climber, NULL, TRUE);
      g_autofree char *text = node_to_string (root);

      current = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
    }
  return g_strcmp0 (current, stored) == 0;
}

char *
topout_sync_content_hash_item (TopoutWireItem *item)
{
  g_return_val_if_fail (item != NULL && item->session != NULL, NULL);
  return topout_sync_content_hash (item->session, item->climber);
}

/* Decoding: whole bodies --------------------------------------------------- */

void
topout_wire_item_free (TopoutWireItem *item)
{
  if (item == NULL)
    return;
  g_free (item->client_id);
  g_clear_object (&item->session);
  g_clear_object (&item->climber);
  g_free (item->device_id);
  g_free (item->error_detail);
  g_free (item);
}

/* The checks every body passes before json-glib sees it: its size, then
 * strict JSON (topout_json_strict_check_array(); @array_key NULL: no spans). */
static gboolean
check_body (const char         *body,
            gsize               len,
            const char         *array_key,
            GArray             *spans,
            gboolean           *found,
            TopoutJsonMisreads *misreads,
            GError            **error)
{
  g_autoptr (GError) local_error = NULL;

  if (len > TOPOUT_LIMIT_BODY_BYTES)
    {
      g_set_error (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_TOO_LARGE,
                   "The body is larger than %d bytes", TOPOUT_LIMIT_BODY_BYTES);
      return FALSE;
    }
  if (!topout_json_strict_check_array (body, len, TOPOUT_SYNC_MAX_JSON_DEPTH, array_key, spans, found,
                                       misreads, &local_error))
    {
      g_set_error (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_INVALID_JSON,
                   "Not strict JSON: %s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* What json-glib would misread (TopoutJsonMisread), said for a detail:
 * @at, the first of them, counts from the start of what was parsed. */
static char *
describe_misread (const TopoutJsonMisreads *misreads,
                  gsize                     at)
{
  static const struct { TopoutJsonMisread what; const char *text; } kinds[] = {
    { TOPOUT_JSON_MISREAD_NUL, "an escaped NUL (\\u0000)" },
    { TOPOUT_JSON_MISREAD_BIG_INTEGER, "a whole number beyond 64 bits" },
    { TOPOUT_JSON_MISREAD_LONE_SURROGATE, "an escaped lone surrogate (half of a \\u pair)" },
  };
  g_autoptr (GString) what = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (misreads->what & kinds[i].what)
      g_string_append_printf (what, "%s%s", n++ > 0 ? " and " : "", kinds[i].text);
  return g_strdup_printf ("%s%s at byte %" G_GSIZE_FORMAT ", which json-glib cannot read as written",
                          what->str, n > 1 ? ", the first" : "", at);
}

/* A session holding what json-glib would misread is refused as invalid_json,
 * whatever else it holds: nothing is stored from a value read wrong (its
 * clientId is as json-glib read it). Takes @item; @prefix: "" or
 * "sessions[3]: ". */
static TopoutWireItem *
refuse_misread (TopoutWireItem           *item,
                const TopoutJsonMisreads *misreads,
                gsize                     base,
                const char               *prefix)
{
  g_autofree char *what = describe_misread (misreads, misreads->first - base);

  item->rejected = TRUE;
  item->error = TOPOUT_WIRE_ERROR_INVALID_JSON;
  g_free (item->error_detail);
  item->error_detail = g_strconcat (prefix, what, NULL);
  return item;
}

/* @misreads: what json-glib has just misread in it (see TopoutJsonMisread). */
static JsonNode *
parse_strict (const char         *body,
              gsize               len,
              TopoutJsonMisreads *misreads,
              GError            **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *mended = NULL;

  if (!check_body (body, len, NULL, NULL, NULL, misreads, error))
    return NULL;
  /* json-glib fails on some lone surrogates and misreads the others: it
   * reads the text with them mended, for a caller that refuses it anyway. */
  if (misreads != NULL && (misreads->what & (TOPOUT_JSON_MISREAD_LONE_SURROGATE | TOPOUT_JSON_MISREAD_NUL)))
    body = mended = topout_json_strict_mend_escapes (body, len);
  /* Not json_parser_new_immutable(): sealing every node of a 1 MB request
   * costs 6 % more instructions and the decoders never change the tree. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, body, (gssize) len, &local_error))
    {
      g_set_error (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_INVALID_JSON,
                   "Not JSON: %s", local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_INVALID_JSON, "Empty body");
      return NULL;
    }
  return json_parser_steal_root (parser);
}

/* Decoding: one session ------------------------------------------------------ */

typedef struct {
  TopoutWireItem *item;
  const char     *prefix;  /* "" or "routes[3]." */
  guint           index;
} Ctx;

static gboolean
reject (Ctx             *ctx,
        TopoutWireError  code,
        const char      *field,
        const char      *what)
{
  ctx->item->rejected = TRUE;
  ctx->item->error = code;
  g_free (ctx->item->error_detail);
  if (ctx->prefix[0] != '\0')
    ctx->item->error_detail = g_strdup_printf ("routes[%u].%s: %s", ctx->index, field, what);
  else
    ctx->item->error_detail = g_strdup_printf ("%s: %s", field, what);
  return FALSE;
}

/* A string member. Absent or null: missing_field when @required, else NULL.
 * Counted in characters: below @min is missing_field, above @max too_long. */
static gboolean
read_string (Ctx         *ctx,
             JsonObject  *o,
             const char  *key,
             gboolean     required,
             guint        min,
             guint        max,
             const char **out)
{
  JsonNode *n = json_object_get_member (o, key);
  const char *s;
  glong chars;

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return required ? reject (ctx, TOPOUT_WIRE_ERROR_MISSING_FIELD, key, "missing") : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return reject (ctx, TOPOUT_WIRE_ERROR_INVALID_TYPE, key, "not a string");
  s = json_node_get_string (n);
  /* Its characters are counted only when its bytes cannot tell: a
   * character is at least one byte, so a text of no more bytes than @max
   * is within it, and a text that is not empty has at least one (most
   * of a route's strings: counting them was a sixteenth of its decoding). */
  if (min > 1 || strlen (s) > max)
    {
      chars = g_utf8_strlen (s, -1);
      if (chars < (glong) min)
        return reject (ctx, TOPOUT_WIRE_ERROR_MISSING_FIELD, key, "empty");
      if (chars > (glong) max)
        return reject (ctx, TOPOUT_WIRE_ERROR_TOO_LONG, key, "too long");
    }
  else if (min == 1 && *s == '\0')
    return reject (ctx, TOPOUT_WIRE_ERROR_MISSING_FIELD, key, "empty");
  *out = s;
  return TRUE;
}

/* A boolean member; absent or null gives @default_value unless @required.
 * *is_null tells null/absent apart when not NULL. */
static gboolean
read_bool (Ctx        *ctx,
           JsonObject *o,
           const char *key,
           gboolean    required,
           gboolean    default_value,
           gboolean   *out,
           gboolean   *is_null)
{
  JsonNode *n = json_object_get_member (o, key);

  *out = default_value;
  if (is_null)
    *is_null = FALSE;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    {
      if (required)
        return reject (ctx, TOPOUT_WIRE_ERROR_MISSING_FIELD, key, "missing");
      if (is_null)
        *is_null = TRUE;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return reject (ctx, TOPOUT_WIRE_ERROR_INVALID_TYPE, key, "not a boolean");
  *out = json_node_get_boolean (n);
  return TRUE;
}

/* A whole number. FALSE in *ok when present but not a number (type) or not
 * whole (value); callers pick the error code. */
typedef enum { NUM_ABSENT, NUM_NOT_NUMBER, NUM_NOT_WHOLE, NUM_OK } NumKind;

static NumKind
read_whole (JsonObject *o,
            const char *key,
            gint64     *out)
{
  JsonNode *n = json_object_get_member (o, key);
  GType t;

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NUM_ABSENT;
  if (!JSON_NODE_HOLDS_VALUE (n))
    return NUM_NOT_NUMBER;
  t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64)
    {
      *out = json_node_get_int (n);
      return NUM_OK;
    }
  if (t == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (n);
      if (d != d || d < -1e15 || d > 1e15 || (double) (gint64) d != d)
        return NUM_NOT_WHOLE;
      *out = (gint64) d;
      return NUM_OK;
    }
  return NUM_NOT_NUMBER;
}

static gboolean
read_time (Ctx        *ctx,
           JsonObject *o,
           const char *key,
           gboolean    required,
           gint64     *out)
{
  const char *s;

  *out = 0;
  if (!read_string (ctx, o, key, required, 1, G_MAXUINT, &s))
    return FALSE;
  if (s == NULL)
    return TRUE;
  if (!parse_time (s, out))
    return reject (ctx, TOPOUT_WIRE_ERROR_INVALID_TYPE, key, "not an RFC 3339 time");
  /* 0 µs is "no time" to the sessions and routes decoded into (and to
   * the store and the server's database): the epoch itself would be read
   * as a time never given (an endTime "given" but stored as none, passing
   * the end-before-start check). No session is climbed then; an epoch on
   * the wire is a zero written for "unknown", refused here where it can
   * still be told from an absent time. */
  if (*out == 0)
    return reject (ctx, TOPOUT_WIRE_ERROR_INVALID_TYPE, key,
                   "out of range: 1970-01-01T00:00:00Z (the Unix epoch) is taken for no time");
  return TRUE;
}

/* The competition pair: needed when @needed, and never one without the other. */
static gboolean
read_competition (Ctx         *ctx,
                  JsonObject  *o,
                  gboolean     needed,
                  const char **ctype,
                  const char **cid)
{
  if (!read_string (ctx, o, "competitionType", FALSE, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, ctype) ||
      !read_string (ctx, o, "competitionId", FALSE, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, cid))
    return FALSE;
  if ((needed && (*ctype == NULL || *cid == NULL)) || ((*ctype == NULL) != (*cid == NULL)))
    return reject (ctx, TOPOUT_WIRE_ERROR_COMPETITION_PAIR_MISSING, "competitionId", "pair incomplete");
  return TRUE;
}

static gboolean
check_attempts (Ctx        *ctx,
                JsonObject *o,
                gint64     *attempts)
{
  switch (read_whole (o, "attempts", attempts))
    {
    case NUM_ABSENT:
      return reject (ctx, TOPOUT_WIRE_ERROR_MISSING_FIELD, "attempts", "missing");
    case NUM_NOT_NUMBER:
      return reject (ctx, TOPOUT_WIRE_ERROR_INVALID_TYPE, "attempts", "not a number");
    case NUM_NOT_WHOLE:
      return reject (ctx, TOPOUT_WIRE_ERROR_INVALID_ATTEMPTS, "attempts", "not a whole number");
    case NUM_OK:
    default:
      break;
    }
  if (*attempts < TOPOUT_LIMIT_ATTEMPTS_MIN || *attempts > TOPOUT_LIMIT_ATTEMPTS_MAX)
    return reject (ctx, TOPOUT_WIRE_ERROR_INVALID_ATTEMPTS, "attempts", "out of range");
  return TRUE;
}

static TopoutCompletion *
decode_route (Ctx        *ctx,
              JsonObject *o,
              const char *session_client_id,
              gboolean    bare,
              GHashTable *seen_ids)
{
  g_autoptr (TopoutCompletion) c = topout_completion_new ();
  const char *client_id = NULL, *climb_id, *grade = NULL, *notes = NULL, *ctype = NULL, *cid = NULL;
  gboolean is_success, is_competition = FALSE;
  gint64 attempts = 0, logged_at = 0;

  if (!bare)
    {
      if (!read_string (ctx, o, "clientId", TRUE, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, &client_id))
        return NULL;
      if (!g_hash_table_add (seen_ids, (gpointer) client_id))
        {
          reject (ctx, TOPOUT_WIRE_ERROR_INVALID_SHAPE, "clientId", "repeated in this session");
          return NULL;
        }
    }
  if (!read_string (ctx, o, "climbId", TRUE, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, &climb_id) ||
      !read_bool (ctx, o, "isSuccess", TRUE, FALSE, &is_success, NULL) ||
      !check_attempts (ctx, o, &attempts))
    return NULL;
  if (!bare)
    {
      if (!read_string (ctx, o, "grade", FALSE, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, &grade) ||
          !read_string (ctx, o, "notes", FALSE, 0, TOPOUT_LIMIT_NOTES_MAX, &notes) ||
          !read_time (ctx, o, "loggedAt", FALSE, &logged_at) ||
          !read_bool (ctx, o, "isCompetition", FALSE, FALSE, &is_competition, NULL) ||
          !read_competition (ctx, o, is_competition, &ctype, &cid))
        return NULL;
    }

  topout_completion_set_id (c, client_id);
  topout_completion_set_session_id (c, session_client_id);
  topout_completion_set_climb_id (c, climb_id);
  topout_completion_set_grade (c, grade);
  topout_completion_set_is_success (c, is_success);
  topout_completion_set_attempts (c, (guint) attempts);
  topout_completion_set_notes (c, notes ? notes : "");
  topout_completion_set_logged_at (c, logged_at);
  topout_completion_set_is_competition (c, is_competition);
  topout_completion_set_competition_type (c, ctype);
  topout_completion_set_competition_id (c, cid);
  return g_steal_pointer (&c);
}

static gboolean
decode_routes (Ctx           *ctx,
               JsonObject    *o,
               TopoutSession *session,
               gboolean       bare)
{
  JsonNode *n = json_object_get_member (o, "routes");
  g_autoptr (GPtrArray) completions = g_ptr_array_new_with_free_func (g_object_unref);
  /* The route ids seen, as the tree holds them (it outlives this). */
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *a;
  guint len;

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    {
      if (!bare)
        return reject (ctx, TOPOUT_WIRE_ERROR_MISSING_FIELD, "routes", "missing");
      topout_session_set_completions (session, g_steal_pointer (&completions));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (n))
    return reject (ctx, TOPOUT_WIRE_ERROR_INVALID_TYPE, "routes", "not an array");
  a = json_node_get_array (n);
  len = json_array_get_length (a);
  if (len > TOPOUT_LIMIT_ROUTES_PER_SESSION)
    return reject (ctx, TOPOUT_WIRE_ERROR_TOO_MANY_ROUTES, "routes", "too many");

  for (guint i = 0; i < len; i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      TopoutCompletion *c;

      ctx->prefix = "routes";
      ctx->index = i;
      if (!JSON_NODE_HOLDS_OBJECT (e))
        return reject (ctx, TOPOUT_WIRE_ERROR_INVALID_SHAPE, "", "not an object");
      c = decode_route (ctx, json_node_get_object (e), topout_session_get_id (session), bare, seen);
      if (c == NULL)
        return FALSE;
      g_ptr_array_add (completions, c);
    }
  ctx->prefix = "";
  topout_session_set_n_routes (session, completions->len);
  topout_session_set_completions (session, g_steal_pointer (&completions));
  return TRUE;
}

/* Validates and builds the contract's session. FALSE when rejected (the item
 * says why); the item's client_id is read first so even a rejection carries it. */
static gboolean
decode_session (TopoutWireItem *item,
                JsonObject     *o)
{
  Ctx ctx = { item, "", 0 };
  g_autoptr (TopoutSession) s = topout_session_new ();
  g_autoptr (TopoutClimber) climber = topout_climber_new ();
  const char *client_id, *device_id, *user_id, *type_key, *custom_label, *name, *status_key;
  const char *session_date, *slot_key, *notes, *ctype, *cid;
  const char *climber_id, *member_code, *display_name;
  JsonNode *climber_node;
  JsonObject *co;
  TopoutSessionType type;
  TopoutSessionStatus status;
  TopoutTimeSlot slot = TOPOUT_TIME_SLOT_UNSET;
  gint64 start, end, revision = 0;
  gboolean is_retroactive, at_gym, at_gym_null, is_competition;

  {
    JsonNode *n = json_object_get_member (o, "clientId");
    if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
      item->client_id = g_strdup (json_node_get_string (n));
  }
  if (!read_string (&ctx, o, "clientId", TRUE, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, &client_id))
    return FALSE;

  switch (read_whole (o, "revision", &revision))
    {
    case NUM_ABSENT:
      return reject (&ctx, TOPOUT_WIRE_ERROR_MISSING_FIELD, "revision", "missing");
    case NUM_NOT_NUMBER:
    case NUM_NOT_WHOLE:
      return reject (&ctx, TOPOUT_WIRE_ERROR_INVALID_TYPE, "revision", "not a whole number");
    case NUM_OK:
    default:
      break;
    }
  if (revision < TOPOUT_LIMIT_REVISION_MIN)
    return reject (&ctx, TOPOUT_WIRE_ERROR_INVALID_TYPE, "revision", "below the minimum");
  item->revision = revision;

  if (!read_string (&ctx, o, "deviceId", FALSE, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_NAME_MAX, &device_id) ||
      !read_string (&ctx, o, "userId", TRUE, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, &user_id))
    return FALSE;

  climber_node = json_object_get_member (o, "climber");
  if (climber_node == NULL || JSON_NODE_HOLDS_NULL (climber_node))
    return reject (&ctx, TOPOUT_WIRE_ERROR_MISSING_FIELD, "climber", "missing");
  if (!JSON_NODE_HOLDS_OBJECT (climber_node))
    return reject (&ctx, TOPOUT_WIRE_ERROR_INVALID_TYPE, "climber", "not an object");
  co = json_node_get_object (climber_node);
  if (!read_string (&ctx, co, "id", FALSE, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, &climber_id) ||
      !read_string (&ctx, co, "memberCode", FALSE, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, &member_code) ||
      !read_string (&ctx, co, "displayName", TRUE, TOPOUT_LIMIT_NAME_MIN, TOPOUT_LIMIT_NAME_MAX, &display_name))
    return FALSE;
  if (climber_id != NULL && strcmp (climber_id, user_id) != 0)
    return reject (&ctx, TOPOUT_WIRE_ERROR_INVALID_SHAPE, "climber.id", "differs from userId");

  if (!read_string (&ctx, o, "type", TRUE, 1, G_MAXUINT, &type_key))
    return FALSE;
  if (!topout_session_type_from_key (type_key, &type))
    return reject (&ctx, TOPOUT_WIRE_ERROR_INVALID_TYPE, "type", "unknown session type");

  if (!read_string (&ctx, o, "customLabel", FALSE, TOPOUT_LIMIT_NAME_MIN, TOPOUT_LIMIT_NAME_MAX, &custom_label))
    return FALSE;
  if (custom_label != NULL && type != TOPOUT_SESSION_TYPE_CUSTOM)
    return reject (&ctx, TOPOUT_WIRE_ERROR_INVALID_SHAPE, "customLabel", "only for CUSTOM");
  /* SPEC section 2: CUSTOM is "with a user label"; the store refuses one
   * without, so the server and an import do too. */
  if (custom_label == NULL && type == TOPOUT_SESSION_TYPE_CUSTOM)
    return reject (&ctx, TOPOUT_WIRE_ERROR_MISSING_FIELD, "customLabel", "missing: a CUSTOM session needs its label");

  if (!read_string (&ctx, o, "name", TRUE, TOPOUT_LIMIT_NAME_MIN, TOPOUT_LIMIT_NAME_MAX, &name))
    return FALSE;

  {
    JsonNode *n = json_object_get_member (o, "status");
    if (n == NULL || JSON_NODE_HOLDS_NULL (n))
      return reject (&ctx, TOPOUT_WIRE_ERROR_MISSING_FIELD, "status", "missing");
    if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
      return reject (&ctx, TOPOUT_WIRE_ERROR_INVALID_STATUS, "status", "not a string");
    status_key = json_node_get_string (n);
    if (!topout_session_status_from_key (status_key, &status) || status == TOPOUT_SESSION_STATUS_ACTIVE)
      return reject (&ctx, TOPOUT_WIRE_ERROR_INVALID_STATUS, "status", "not COMPLETED or CANCELLED");
  }

  if (!read_time (&ctx, o, "startTime", TRUE, &start) ||
      !read_time (&ctx, o, "endTime", status != TOPOUT_SESSION_STATUS_CANCELLED, &end))
    return FALSE;
  if (end != 0 && end < start)
    return reject (&ctx, TOPOUT_WIRE_ERROR_END_BEFORE_START, "endTime", "before startTime");

  if (!read_string (&ctx, o, "sessionDate", TRUE, 1, G_MAXUINT, &session_date))
    return FALSE;
  if (!valid_date (session_date))
    return reject (&ctx, TOPOUT_WIRE_ERROR_INVALID_TYPE, "sessionDate", "not a YYYY-MM-DD date");

  {
    JsonNode *n = json_object_get_member (o, "timeSlot");
    if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
      {
        if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
          return reject (&ctx, TOPOUT_WIRE_ERROR_INVALID_TIME_SLOT, "timeSlot", "not a string");
        slot_key = json_node_get_string (n);
        if (!topout_time_slot_from_key (slot_key, &slot) || slot == TOPOUT_TIME_SLOT_UNSET)
          return reject (&ctx, TOPOUT_WIRE_ERROR_INVALID_TIME_SLOT, "timeSlot", "unknown time slot");
      }
  }

  if (!read_bool (&ctx, o, "isRetroactive", FALSE, FALSE, &is_retroactive, NULL) ||
      !read_bool (&ctx, o, "isAtGym", FALSE, FALSE, &at_gym, &at_gym_null) ||
      !read_bool (&ctx, o, "isCompetition", FALSE, FALSE, &is_competition, NULL) ||
      !read_competition (&ctx, o, is_competition || type == TOPOUT_SESSION_TYPE_COMPETITION, &ctype, &cid) ||
      !read_string (&ctx, o, "notes", FALSE, 0, TOPOUT_LIMIT_NOTES_MAX, &notes))
    return FALSE;

  topout_session_set_id (s, client_id);
  topout_session_set_climber_id (s, user_id);
  topout_session_set_climber_name (s, display_name);
  topout_session_set_session_type (s, type);
  topout_session_set_custom_label (s, custom_label);
  topout_session_set_name (s, name);
  topout_session_set_status (s, status);
  topout_session_set_started_at (s, start);
  topout_session_set_ended_at (s, end);
  topout_session_set_session_date (s, session_date);
  topout_session_set_time_slot (s, slot);
  topout_session_set_is_retroactive (s, is_retroactive);
  topout_session_set_at_gym (s, at_gym_null ? -1 : at_gym ? 1 : 0);
  topout_session_set_is_competition (s, is_competition);
  topout_session_set_competition_type (s, ctype);
  topout_session_set_competition_id (s, cid);
  topout_session_set_notes (s, notes ? notes : "");
  topout_session_set_revision (s, revision);

  if (!decode_routes (&ctx, o, s, FALSE))
    return FALSE;

  topout_climber_set_id (climber, user_id);
  topout_climber_set_member_code (climber, member_code);
  topout_climber_set_display_name (climber, display_name);

  item->device_id = g_strdup (device_id);
  item->session = g_steal_pointer (&s);
  item->climber = g_steal_pointer (&climber);
  return TRUE;
}

/* The seeds' bare shape {startTime, endTime, notes, routes}. */
static gboolean
decode_bare_session (TopoutWireItem *item,
                     JsonObject     *o)
{
  Ctx ctx = { item, "", 0 };
  g_autoptr (TopoutSession) s = topout_session_new ();
  g_autoptr (GDateTime) dt = NULL;
  g_autofree char *date = NULL;
  g_autofree char *name = NULL;
  const char *notes;
  gint64 start, end;

  if (!read_time (&ctx, o, "startTime", TRUE, &start) ||
      !read_time (&ctx, o, "endTime", TRUE, &end))
    return FALSE;
  if (end < start)
    return reject (&ctx, TOPOUT_WIRE_ERROR_END_BEFORE_START, "endTime", "before startTime");
  if (!read_string (&ctx, o, "notes", FALSE, 0, TOPOUT_LIMIT_NOTES_MAX, &notes))
    return FALSE;

  /* The shape has no date or slot: they are those of the start in the
   * local time of whoever decodes it (the gym's own server runs in the
   * gym's zone), and the name is the automatic one, "Fun · 2026-11-21". */
  dt = g_date_time_new_from_unix_local (start / G_USEC_PER_SEC);
  if (dt == NULL)
    return reject (&ctx, TOPOUT_WIRE_ERROR_INVALID_TYPE, "startTime", "out of range");
  date = g_date_time_format (dt, "%Y-%m-%d");
  name = g_strdup_printf ("%s · %s", topout_session_type_get_label (TOPOUT_SESSION_TYPE_FUN), date);

  topout_session_set_session_type (s, TOPOUT_SESSION_TYPE_FUN);
  topout_session_set_name (s, name);
  topout_session_set_status (s, TOPOUT_SESSION_STATUS_COMPLETED);
  topout_session_set_started_at (s, start);
  topout_session_set_ended_at (s, end);
  topout_session_set_session_date (s, date);
  topout_session_set_time_slot (s, topout_time_slot_for_time (dt));
  topout_session_set_at_gym (s, -1);
  topout_session_set_notes (s, notes ? notes : "");
  topout_session_set_revision (s, TOPOUT_LIMIT_REVISION_MIN);

  if (!decode_routes (&ctx, o, s, TRUE))
    return FALSE;

  item->revision = TOPOUT_LIMIT_REVISION_MIN;
  item->session = g_steal_pointer (&s);
  return TRUE;
}

static TopoutWireItem *
decode_item (JsonObject *o,
             gboolean    allow_bare)
{
  TopoutWireItem *item = g_new0 (TopoutWireItem, 1);

  if (allow_bare && !json_object_has_member (o, "clientId"))
    decode_bare_session (item, o);
  else
    decode_session (item, o);
  g_assert (item->rejected == (item->session == NULL));
  return item;
}

/* A request is checked whole (strict JSON, its shape, its size) before
 * anything is decoded, but json-glib parses one session at a time, from the
 * spans the strict check noted: the first session can be stored while the
 * next is parsed, and no tree of a whole megabyte ever exists. */
struct _TopoutWireRequest {
  GBytes *body;
  GArray *spans;  /* TopoutJsonSpan, one per session */
};

TopoutWireRequest *
topout_sync_request_parse (const char  *body,
                           gsize        len,
                           GError     **error)
{
  g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (TopoutJsonSpan));
  TopoutWireRequest *request;
  gboolean found = FALSE;

  if (!check_body (body, len, "sessions", spans, &found, NULL, error))
    return NULL;
  if (!found)
    {
      g_set_error_literal (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_INVALID_SHAPE,
                           "The top level is not {\"sessions\": [objects]}");
      return NULL;
    }
  if (spans->len > TOPOUT_LIMIT_SESSIONS_PER_REQUEST)
    {
      g_set_error (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_TOO_LARGE,
                   "More than %d sessions in one request", TOPOUT_LIMIT_SESSIONS_PER_REQUEST);
      return NULL;
    }
  for (guint i = 0; i < spans->len; i++)
    if (body[g_array_index (spans, TopoutJsonSpan, i).start] != '{')
      {
        g_set_error (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_INVALID_SHAPE,
                     "sessions[%u] is not an object", i);
        return NULL;
      }

  request = g_new0 (TopoutWireRequest, 1);
  request->body = g_bytes_new (body, len);
  request->spans = g_steal_pointer (&spans);
  return request;
}

guint
topout_sync_request_get_n_items (TopoutWireRequest *request)
{
  g_return_val_if_fail (request != NULL, 0);
  return request->spans->len;
}

TopoutWireItem *
topout_sync_request_decode_item (TopoutWireRequest *request,
                                 guint              i)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autofree char *mended = NULL;
  const TopoutJsonSpan *span;
  const char *body;
  JsonNode *root;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (i < request->spans->len, NULL);

  span = &g_array_index (request->spans, TopoutJsonSpan, i);
  body = g_bytes_get_data (request->body, NULL) + span->start;
  /* As parse_strict() does: the session is refused, but by its clientId. */
  if (span->misreads.what & (TOPOUT_JSON_MISREAD_LONE_SURROGATE | TOPOUT_JSON_MISREAD_NUL))
    body = mended = topout_json_strict_mend_escapes (body, span->end - span->start);
  parser = json_parser_new ();
  /* The strict check has passed the whole body, so json-glib refusing one
   * session of it is json-glib's own limit: that session is refused, the
   * others go on. */
  if (!json_parser_load_from_data (parser, body, (gssize) (span->end - span->start), NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      TopoutWireItem *item = g_new0 (TopoutWireItem, 1);

      item->rejected = TRUE;
      item->error = TOPOUT_WIRE_ERROR_INVALID_JSON;
      item->error_detail = g_strdup_printf ("sessions[%u]: not JSON json-glib can read", i);
      return item;
    }
  if (span->misreads.what != TOPOUT_JSON_MISREAD_NONE)
    {
      g_autofree char *prefix = g_strdup_printf ("sessions[%u]: ", i);

      return refuse_misread (decode_item (json_node_get_object (root), FALSE), &span->misreads, span->start, prefix);
    }
  return decode_item (json_node_get_object (root), FALSE);
}

void
topout_wire_request_free (TopoutWireRequest *request)
{
  if (request == NULL)
    return;
  g_bytes_unref (request->body);
  g_array_unref (request->spans);
  g_free (request);
}

GPtrArray *
topout_sync_decode_request (const char  *body,
                            gsize        len,
                            GError     **error)
{
  g_autoptr (TopoutWireRequest) request = topout_sync_request_parse (body, len, error);
  GPtrArray *items;
  guint n;

  if (request == NULL)
    return NULL;
  n = topout_sync_request_get_n_items (request);
  items = g_ptr_array_new_full (n, (GDestroyNotify) topout_wire_item_free);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, topout_sync_request_decode_item (request, i));
  return items;
}

/* One session object: the contract's, or with @allow_bare also the seeds'
 * bare shape. */
static TopoutWireItem *
decode_one (const char  *body,
            gsize        len,
            gboolean     allow_bare,
            GError     **error)
{
  TopoutJsonMisreads misreads = { TOPOUT_JSON_MISREAD_NONE, 0, 0 };
  g_autoptr (JsonNode) root = parse_strict (body, len, &misreads, error);

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_INVALID_SHAPE,
                           "The body is not a session object");
      return NULL;
    }
  if (misreads.what != TOPOUT_JSON_MISREAD_NONE)
    return refuse_misread (decode_item (json_node_get_object (root), allow_bare), &misreads, 0, "");
  return decode_item (json_node_get_object (root), allow_bare);
}

TopoutWireItem *
topout_sync_decode_session (const char  *body,
                            gsize        len,
                            GError     **error)
{
  return decode_one (body, len, FALSE, error);
}

TopoutWireItem *
topout_sync_decode_offline (const char  *body,
                            gsize        len,
                            GError     **error)
{
  return decode_one (body, len, TRUE, error);
}

/* Results ------------------------------------------------------------------ */

TopoutWireResult *
topout_wire_result_new (void)
{
  TopoutWireResult *r = g_new0 (TopoutWireResult, 1);
  r->status = TOPOUT_WIRE_STATUS_UNKNOWN;
  return r;
}

void
topout_wire_result_free (TopoutWireResult *result)
{
  if (result == NULL)
    return;
  g_free (result->client_id);
  g_free (result->session_id);
  g_free (result->error_code);
  g_free (result->error_message);
  g_free (result);
}

GBytes *
topout_sync_encode_results (GPtrArray *results)
{
  GString *out = g_string_new ("{\"results\":[");

  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      TopoutWireResult *r = g_ptr_array_index (results, i);
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;
      g_autofree char *text = NULL;
      gboolean failed = r->status == TOPOUT_WIRE_STATUS_REJECTED || r->status == TOPOUT_WIRE_STATUS_ERROR;

      json_builder_begin_object (b);
      add_string_or_null (b, "clientId", r->client_id);
      add_string_or_null (b, "status", topout_wire_status_to_string (r->status));
      if (failed)
        {
          json_builder_set_member_name (b, "error");
          json_builder_begin_object (b);
          /* A code only from the contract's closed list (SPEC section 4):
           * an "error" item (the server failed on it) has none, and says
           * so by leaving it out ("code": null was no code a client knew). */
          if (r->error_code != NULL)
            add_string_or_null (b, "code", r->error_code);
          add_string_or_null (b, "message", r->error_message ? r->error_message : "");
          json_builder_end_object (b);
        }
      else
        {
          add_string_or_null (b, "sessionId", r->session_id);
          json_builder_set_member_name (b, "revision");
          json_builder_add_int_value (b, r->revision);
        }
      json_builder_end_object (b);

      node = json_builder_get_root (b);
      text = node_to_string (node);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, text);
    }
  g_string_append (out, "]}");
  return g_string_free_to_bytes (out);
}

static const char *
member_string (JsonObject *o,
               const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

/* A server's own words, as a person will read them in a badge or a cron
 * mail: control characters and text-direction overrides out (a message
 * could hide or reorder what follows it), 300 characters at most. */
#define SERVER_TEXT_MAX 300

static char *
server_text (const char *text)
{
  GString *out;
  const char *p;
  guint n = 0;

  if (text == NULL)
    return NULL;
  if (!g_utf8_validate (text, -1, NULL))
    return NULL;
  out = g_string_new (NULL);
  for (p = text; *p != '\0' && n < SERVER_TEXT_MAX; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
          c == 0x200E || c == 0x200F)
        c = ' ';
      g_string_append_unichar (out, c);
      n++;
    }
  if (*p != '\0')
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

GPtrArray *
topout_sync_decode_results (const char  *body,
                            gsize        len,
                            GError     **error)
{
  TopoutJsonMisreads misreads = { TOPOUT_JSON_MISREAD_NONE, 0, 0 };
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) out = NULL;
  JsonNode *results;
  JsonArray *a;
  guint n;

  root = parse_strict (body, len, &misreads, error);
  if (root == NULL)
    {
      /* A response too large is unreadable as far as the client goes. */
      if (error != NULL && *error != NULL && (*error)->code == TOPOUT_WIRE_ERROR_TOO_LARGE)
        (*error)->code = TOPOUT_WIRE_ERROR_INVALID_JSON;
      return NULL;
    }
  /* A revision or clientId read wrong must not be applied: the whole
   * answer is unreadable, and the batch is sent again later. */
  if (misreads.what != TOPOUT_JSON_MISREAD_NONE)
    {
      g_autofree char *what = describe_misread (&misreads, misreads.first);

      g_set_error (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_INVALID_JSON, "The answer holds %s", what);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (results = json_object_get_member (json_node_get_object (root), "results")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (results))
    {
      g_set_error_literal (error, TOPOUT_WIRE_ERROR, TOPOUT_WIRE_ERROR_INVALID_SHAPE,
                           "The top level is not {\"results\": […]}");
      return NULL;
    }

  a = json_node_get_array (results);
  n = json_array_get_length (a);
  out = g_ptr_array_new_full (n, (GDestroyNotify) topout_wire_result_free);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      JsonObject *o, *err = NULL;
      JsonNode *err_node, *rev;
      TopoutWireResult *r;
      const char *client_id;

      if (!JSON_NODE_HOLDS_OBJECT (e))
        {
          g_debug ("results[%u] is not an object: skipped", i);
          continue;
        }
      o = json_node_get_object (e);
      client_id = member_string (o, "clientId");
      if (client_id == NULL)
        {
          g_debug ("results[%u] has no clientId: skipped", i);
          continue;
        }

      r = topout_wire_result_new ();
      r->client_id = g_strdup (client_id);
      r->status = topout_wire_status_from_string (member_string (o, "status"));
      r->session_id = g_strdup (member_string (o, "sessionId"));
      rev = json_object_get_member (o, "revision");
      if (rev != NULL && JSON_NODE_HOLDS_VALUE (rev) && json_node_get_value_type (rev) == G_TYPE_INT64)
        r->revision = json_node_get_int (rev);
      err_node = json_object_get_member (o, "error");
      if (err_node != NULL && JSON_NODE_HOLDS_OBJECT (err_node))
        err = json_node_get_object (err_node);
      r->error_code = g_strdup (member_string (err, "code"));
      r->error_message = server_text (member_string (err, "message"));
      g_ptr_array_add (out, r);
    }
  return g_steal_pointer (&out);
}

gboolean
topout_sync_decode_error (const char       *body,
                          gsize             len,
                          TopoutWireError  *code)
{
  TopoutJsonMisreads misreads = { TOPOUT_JSON_MISREAD_NONE, 0, 0 };
  g_autoptr (JsonNode) root = NULL;
  JsonNode *err_node;

  if (body == NULL || len == 0)
    return FALSE;
  root = parse_strict (body, len, &misreads, NULL);
  if (root == NULL || misreads.what != TOPOUT_JSON_MISREAD_NONE || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  err_node = json_object_get_member (json_node_get_object (root), "error");
  if (err_node == NULL || !JSON_NODE_HOLDS_OBJECT (err_node))
    return FALSE;
  return topout_wire_error_from_code (member_string (json_node_get_object (err_node), "code"), code);
}
