/* topout-store-import.c — catalog and climber files, JSON or CSV, all or nothing.
 *
 * The import runs in three steps:
 *
 *  1. read: the bytes become records (one per CSV line or JSON item, each with
 *     its line or item number), whatever the format;
 *  2. check: every record is checked against the limits and the rest of the
 *     file, and, inside the write transaction, against the database;
 *  3. write: only when no record has a problem, in that same transaction.
 *
 * A problem never stops the check: the report names every bad line, so a coach
 * fixes the file once. Problem line 0 means the file as a whole (not JSON, not
 * a catalog, too large…).
 *
 * json-glib 1.6 recurses once per nesting level and crashes on very deep
 * input, so a small scan refuses deep nesting before the parser sees it.
 */
#define G_LOG_DOMAIN "topout-store-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "topout-color.h"
#include "topout-json-strict.h"
#include "topout-limits.h"
#include "topout-store-private.h"

/* Larger files are refused before they are read. */
#define IMPORT_MAX_BYTES  (64 * 1024 * 1024)
/* A catalog needs 3 levels ({"climbs": [{…}]}); anything deeper than this
 * is not one of our files. */
#define IMPORT_MAX_DEPTH  8

typedef enum {
  KIND_UNKNOWN,
  KIND_CLIMBS,
  KIND_CLIMBERS,
} ImportKind;

typedef enum {
  FIELD_ID,
  FIELD_NAME,
  FIELD_GRADE,
  FIELD_GRADE_SYSTEM,
  FIELD_COLOR,
  FIELD_WALL,
  FIELD_SET_ON,
  FIELD_MEMBER_CODE,
  FIELD_DISPLAY_NAME,
  FIELD_FIRST_NAME,
  FIELD_LAST_NAME,
  N_FIELDS,
  /* A catalog's number or reference: its climbs' id, unless it has an
   * "id" too; not read in a climber list (field_read()). */
  FIELD_CLIMB_ID,
  FIELD_NONE = -1,
} ImportField;

/* Names as the contract spells them; headers and keys are matched after
 * folding case and dropping '_', '-' and spaces ("display_name", "Set on"). */
static const char *const field_names[N_FIELDS] = {
  "id", "name", "grade", "gradeSystem", "color", "wall", "setOn", "memberCode", "displayName",
  "firstName", "lastName",
};

/* What a gym's membership system calls its columns, folded as above. */
static const struct {
  const char  *folded;
  ImportField  field;
} field_synonyms[] = {
  { "colour", FIELD_COLOR },
  { "membernumber", FIELD_MEMBER_CODE },
  { "membershipnumber", FIELD_MEMBER_CODE },
  { "memberno", FIELD_MEMBER_CODE },
  { "memberid", FIELD_MEMBER_CODE },
  { "membershipid", FIELD_MEMBER_CODE },
  { "fullname", FIELD_DISPLAY_NAME },
  { "membername", FIELD_DISPLAY_NAME },
  { "climbername", FIELD_DISPLAY_NAME },
  { "givenname", FIELD_FIRST_NAME },
  { "forename", FIELD_FIRST_NAME },
  { "surname", FIELD_LAST_NAME },
  { "familyname", FIELD_LAST_NAME },
  /* A German or French gym's membership system ("Vorname", "Nachname",
   * "Mitgliedsnummer"; "Prénom", "Nom", "N° adhérent"): a file travels, so
   * whatever the language of the UI. "Nom" is "name", which a climb has
   * too, and is told apart as "Name" is; beside a first name, "Name" or
   * "Nom" is the family name (read_csv()). */
  { "vorname", FIELD_FIRST_NAME },
  { "nachname", FIELD_LAST_NAME },
  { "familienname", FIELD_LAST_NAME },
  { "mitgliedsnummer", FIELD_MEMBER_CODE },
  { "mitgliednummer", FIELD_MEMBER_CODE },
  { "mitgliedsnr", FIELD_MEMBER_CODE },
  { "mitgliedsid", FIELD_MEMBER_CODE },
  { "prenom", FIELD_FIRST_NAME },
  { "nom", FIELD_NAME },
  { "nomdefamille", FIELD_LAST_NAME },
  { "numerodemembre", FIELD_MEMBER_CODE },
  { "numeromembre", FIELD_MEMBER_CODE },
  { "numerodadherent", FIELD_MEMBER_CODE },
  { "numeroadherent", FIELD_MEMBER_CODE },
  { "noadherent", FIELD_MEMBER_CODE },
  { "nodadherent", FIELD_MEMBER_CODE },
  { "nodemembre", FIELD_MEMBER_CODE },
  { "nomembre", FIELD_MEMBER_CODE },
  /* An identifier in any language is an id, as "id" is. A number or a
   * reference ("Nr.", "Nummer", "N°", "No.", "Numéro", "Réf.",
   * "Référence", "Referenz") is a route's in a catalog; in a member list it
   * may be the member number, which Topout does not guess (a climber's id
   * is no member number): there it is noted as not read. */
  { "kennung", FIELD_ID },
  { "identifiant", FIELD_ID },
  { "identifier", FIELD_ID },
  { "nr", FIELD_CLIMB_ID },
  { "nummer", FIELD_CLIMB_ID },
  { "no", FIELD_CLIMB_ID },
  { "numero", FIELD_CLIMB_ID },
  { "ref", FIELD_CLIMB_ID },
  { "reference", FIELD_CLIMB_ID },
  { "referenz", FIELD_CLIMB_ID },
  /* A route-setting sheet: its grade, colour (written in the sheet's
   * language: color_words in topout-color.c) and wall. Not its sector ("Sektor",
   * "Secteur"), a part of the gym a sheet lists beside the wall. */
  { "grad", FIELD_GRADE },
  { "schwierigkeitsgrad", FIELD_GRADE },
  { "cotation", FIELD_GRADE },
  { "farbe", FIELD_COLOR },
  { "couleur", FIELD_COLOR },
  { "wand", FIELD_WALL },
};


typedef struct {
  guint      line;            /* CSV line, JSON item number; 1-based */
  char      *values[N_FIELDS]; /* trimmed; NULL when absent or blank */
  guint      bad_type;        /* bit per field: given, but not as text */
  guint      given;           /* bit per field: a column or key of the file,
                               * blank or not (an absent one keeps the
                               * catalog's value on a re-import) */
  gboolean   unreadable;      /* not an object, broken quoting: no field checks */
  GPtrArray *messages;        /* of char*, translated */
  char     **keys;            /* NULL, or a JSON item's key of each field where it
                               * is spelled otherwise than in the file's first
                               * item to have it ("member_code", "Mitgliedsnummer") */
} Record;

typedef struct {
  gboolean   is_json;
  ImportKind kind;
  GPtrArray *records;         /* of Record* */
  GPtrArray *file_problems;   /* of TopoutImportProblem*: the file as a whole */
  GPtrArray *notes;           /* of char*, translated: for the report, done or not */
  GPtrArray *ignored;         /* of char*: the file's columns or keys not read, once each */
  char      *columns[N_FIELDS]; /* each field's column as the header spells it (trimmed), or
                                 * its JSON key as the first item to have it spells it; NULL
                                 * when none: a line's message names it ("“Vorname” is empty.") */
} ImportData;

/* Reports --------------------------------------------------------------- */

static void
problem_free (TopoutImportProblem *problem)
{
  g_free (problem->message);
  g_free (problem);
}

TopoutImportProblem *
_topout_import_problem_new (guint       line,
                            const char *message)
{
  TopoutImportProblem *problem = g_new0 (TopoutImportProblem, 1);

  problem->line = line;
  problem->message = g_strdup (message);
  return problem;
}

TopoutImportReport *
_topout_import_report_new (void)
{
  TopoutImportReport *report = g_new0 (TopoutImportReport, 1);

  report->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  report->notes = g_ptr_array_new_with_free_func (g_free);
  return report;
}

void
topout_import_report_free (TopoutImportReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_clear_pointer (&report->notes, g_ptr_array_unref);
  g_free (report);
}

/* Records --------------------------------------------------------------- */

static Record *
record_new (guint line)
{
  Record *record = g_new0 (Record, 1);

  record->line = line;
  record->messages = g_ptr_array_new_with_free_func (g_free);
  return record;
}

static void
record_free (Record *record)
{
  for (guint i = 0; i < N_FIELDS; i++)
    g_free (record->values[i]);
  if (record->keys != NULL)
    for (guint i = 0; i < N_FIELDS; i++)
      g_free (record->keys[i]);
  g_free (record->keys);
  g_ptr_array_unref (record->messages);
  g_free (record);
}

static void
record_problem (Record     *record,
                const char *message)
{
  g_ptr_array_add (record->messages, g_strdup (message));
}

/* Stores a copy of @value, trimmed, or NULL when it is blank. */
static void
record_set (Record      *record,
            ImportField  field,
            const char  *value,
            gssize       length)
{
  char *copy;

  g_clear_pointer (&record->values[field], g_free);
  if (value == NULL)
    return;
  copy = g_strstrip (length < 0 ? g_strdup (value) : g_strndup (value, length));
  if (*copy == '\0')
    g_free (copy);
  else
    record->values[field] = copy;
}

static void
import_data_clear (ImportData *data)
{
  g_clear_pointer (&data->records, g_ptr_array_unref);
  g_clear_pointer (&data->file_problems, g_ptr_array_unref);
  g_clear_pointer (&data->notes, g_ptr_array_unref);
  g_clear_pointer (&data->ignored, g_ptr_array_unref);
  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_pointer (&data->columns[i], g_free);
}

static void
import_data_init (ImportData *data)
{
  memset (data, 0, sizeof *data);
  data->records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  data->file_problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  data->notes = g_ptr_array_new_with_free_func (g_free);
  data->ignored = g_ptr_array_new_with_free_func (g_free);
}

static void
file_problem (ImportData *data,
              guint       line,
              const char *message)
{
  g_ptr_array_add (data->file_problems, _topout_import_problem_new (line, message));
}

/* The field @name is, folded (_topout_fold_word()); then the synonyms ("colour" is
 * "color", "Surname" is "lastName"). */
static ImportField
field_from_name (const char *name,
                 gssize      length)
{
  g_autoptr (GString) folded = _topout_fold_word (name, length);

  for (guint i = 0; i < G_N_ELEMENTS (field_synonyms); i++)
    if (strcmp (folded->str, field_synonyms[i].folded) == 0)
      return field_synonyms[i].field;
  for (guint i = 0; i < N_FIELDS; i++)
    if (g_ascii_strcasecmp (folded->str, field_names[i]) == 0)
      return i;
  return FIELD_NONE;
}

/* Whether a file of @kind reads @field ("memberCode" is no column of a
 * catalog). */
static gboolean
field_is_read (ImportKind  kind,
               ImportField field)
{
  switch (field)
    {
    case FIELD_ID:
      return TRUE;
    case FIELD_NAME:
      /* A climber list's "Name" is the display name. */
      return TRUE;
    case FIELD_GRADE:
    case FIELD_GRADE_SYSTEM:
    case FIELD_COLOR:
    case FIELD_WALL:
    case FIELD_SET_ON:
      return kind == KIND_CLIMBS;
    case FIELD_MEMBER_CODE:
    case FIELD_DISPLAY_NAME:
    case FIELD_FIRST_NAME:
    case FIELD_LAST_NAME:
      return kind == KIND_CLIMBERS;
    case N_FIELDS:
    case FIELD_CLIMB_ID:
    case FIELD_NONE:
    default:
      return FALSE;
    }
}

/* The field a column (or key) named as @field is read as in a file of
 * @kind, FIELD_NONE when it is not read; @has_id when the file (or item)
 * has an "id" besides. */
static ImportField
field_read (ImportKind  kind,
            ImportField field,
            gboolean    has_id)
{
  if (field == FIELD_CLIMB_ID)
    return kind == KIND_CLIMBS && !has_id ? FIELD_ID : FIELD_NONE;
  return field_is_read (kind, field) ? field : FIELD_NONE;
}

/* Marks in @seen the fields @names (@n of them) name, a number or
 * reference (FIELD_CLIMB_ID) in @numbered; returns the first name of a
 * field named before, NULL when none is. */
static const char *
fields_of_names (const char *const *names,
                 guint              n,
                 gboolean           seen[N_FIELDS],
                 gboolean          *numbered)
{
  const char *twice = NULL;

  memset (seen, 0, sizeof (gboolean) * N_FIELDS);
  *numbered = FALSE;
  for (guint i = 0; i < n; i++)
    {
      ImportField field = field_from_name (names[i], -1);
      gboolean *slot = field == FIELD_CLIMB_ID ? numbered : field != FIELD_NONE ? &seen[field] : NULL;

      if (slot == NULL)
        continue;
      if (*slot && twice == NULL)
        twice = names[i];
      *slot = TRUE;
    }
  return twice;
}

/* Remembers @name, a column or key the import does not read, for the note
 * saying so (a membership export's "Phone" was dropped without a word). */
static void
ignore_column (ImportData *data,
               const char *name)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name));

  if (*trimmed == '\0' || !g_utf8_validate (trimmed, -1, NULL) ||
      g_ptr_array_find_with_equal_func (data->ignored, trimmed, g_str_equal, NULL))
    return;
  g_ptr_array_add (data->ignored, g_steal_pointer (&trimmed));
}

/* The note naming the columns (or JSON keys) that were not read. */
static void
note_ignored (ImportData *data)
{
  g_autoptr (GString) names = NULL;
  guint n = data->ignored->len;

  if (n == 0)
    return;
  names = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        /* Translators: between two names in the list of columns (or keys)
         * of a file that were not imported: “Phone”, “Notes” */
        g_string_append (names, C_("list of columns", ", "));
      /* Translators: one name in the list of columns (or keys) of a file
       * that were not imported, quoted; %s is the name as the file spells
       * it, such as Phone */
      g_string_append_printf (names, C_("list of columns", "“%s”"),
                              (const char *) g_ptr_array_index (data->ignored, i));
    }
  if (data->is_json)
    /* Translators: %s is a list of keys of the file, such as “phone”, “notes” */
    g_ptr_array_add (data->notes,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "The key %s was not imported: Topout does not read it.",
                                                   "The keys %s were not imported: Topout does not read them.", n),
                                      names->str));
  else
    /* Translators: %s is a list of columns of the file, such as “Phone”, “Membership expiry” */
    g_ptr_array_add (data->notes,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "The column %s was not imported: Topout does not read it.",
                                                   "The columns %s were not imported: Topout does not read them.", n),
                                      names->str));
}

/* Nesting scan ------------------------------------------------------------ */

/* Counts [ and { outside strings. FALSE, with the line, when deeper than
 * IMPORT_MAX_DEPTH: json-glib is never handed such input. */
static gboolean
json_depth_ok (const char *text,
               gsize       length,
               guint      *bad_line)
{
  guint depth = 0;
  guint line = 1;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '\n')
        line++;
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > IMPORT_MAX_DEPTH)
            {
              *bad_line = line;
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

/* JSON -------------------------------------------------------------------- */

/* What a file with the columns (or keys) @seen is. A gym's membership
 * export names its people "Name", or "First name" and "Last name", beside a
 * member number. "Name" is a climb's too: a file with an "id" and a "Name"
 * and nothing else of a climber list might be a catalog without its
 * grades, and is neither. */
static ImportKind
kind_of_fields (const gboolean seen[N_FIELDS],
                gboolean       numbered)
{
  if (seen[FIELD_GRADE])
    return KIND_CLIMBS;
  if (seen[FIELD_DISPLAY_NAME] || seen[FIELD_FIRST_NAME] || seen[FIELD_LAST_NAME] ||
      (seen[FIELD_NAME] && seen[FIELD_MEMBER_CODE]) ||
      (seen[FIELD_NAME] && !seen[FIELD_ID] && !numbered && !seen[FIELD_GRADE_SYSTEM] && !seen[FIELD_COLOR] &&
       !seen[FIELD_WALL] && !seen[FIELD_SET_ON]))
    return KIND_CLIMBERS;
  return KIND_UNKNOWN;
}

/* @object's keys, in its order (owned by @object). */
static GPtrArray *
object_keys (JsonObject *object)
{
  g_autoptr (GList) members = json_object_get_members (object);
  GPtrArray *keys = g_ptr_array_new ();

  for (GList *l = members; l != NULL; l = l->next)
    g_ptr_array_add (keys, l->data);
  return keys;
}

/* An item's kind by its keys, told as a CSV header's columns are:
 * {"name": …, "memberCode": …} is a climber. */
static ImportKind
kind_of_object (JsonObject *object)
{
  g_autoptr (GPtrArray) keys = object_keys (object);
  gboolean seen[N_FIELDS], numbered;

  fields_of_names ((const char *const *) keys->pdata, keys->len, seen, &numbered);
  return kind_of_fields (seen, numbered);
}

/* What @item is for sure: a climb when it has a key only climbs have
 * (a "grade", a "wall"…), a climber when it has one only climbers have
 * (a "memberCode", a "displayName"…), with @key that key; else
 * KIND_UNKNOWN ({"name": …} may be either; so is what is no object). */
static ImportKind
kind_of_item (JsonNode    *item,
              const char **key)
{
  g_autoptr (GPtrArray) keys = NULL;
  ImportKind kind, other;

  if (!JSON_NODE_HOLDS_OBJECT (item))
    return KIND_UNKNOWN;
  kind = kind_of_object (json_node_get_object (item));
  other = kind == KIND_CLIMBS ? KIND_CLIMBERS : KIND_CLIMBS;
  if (kind == KIND_UNKNOWN)
    return KIND_UNKNOWN;
  keys = object_keys (json_node_get_object (item));
  for (guint i = 0; i < keys->len; i++)
    {
      ImportField field = field_from_name (g_ptr_array_index (keys, i), -1);

      if (field_is_read (kind, field) && !field_is_read (other, field))
        {
          *key = g_ptr_array_index (keys, i);
          return kind;
        }
    }
  return KIND_UNKNOWN;
}

/* A bare list's kind: its first item that is a climb or a climber for
 * sure, else its first item's, told as a CSV header's columns are. The
 * first item alone decided: [{"name": …}, {"id": …, "grade": …}] was a
 * climber list with a climber named as the climb. */
static ImportKind
kind_of_items (JsonArray *items)
{
  JsonNode *first = json_array_get_element (items, 0);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *key = NULL;
      ImportKind kind = kind_of_item (json_array_get_element (items, i), &key);

      if (kind != KIND_UNKNOWN)
        return kind;
    }
  return JSON_NODE_HOLDS_OBJECT (first) ? kind_of_object (json_node_get_object (first)) : KIND_UNKNOWN;
}

static void
read_json_item (ImportData *data,
                JsonNode   *node,
                guint       number)
{
  Record *record = record_new (number);
  g_autoptr (GPtrArray) keys = NULL;
  gboolean seen[N_FIELDS], numbered;
  JsonObject *object;

  g_ptr_array_add (data->records, record);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      record_problem (record, _("This entry is not an object with fields."));
      record->unreadable = TRUE;
      return;
    }

  object = json_node_get_object (node);
  keys = object_keys (object);
  fields_of_names ((const char *const *) keys->pdata, keys->len, seen, &numbered);

  /* One field under two of its spellings ("memberCode" and "member_code",
   * "name" and "Nom"): one value was silently lost. */
  {
    const char *spelled[N_FIELDS] = { NULL, };

    for (guint i = 0; i < keys->len; i++)
      {
        const char *key = g_ptr_array_index (keys, i);
        ImportField field = field_read (data->kind, field_from_name (key, -1), seen[FIELD_ID]);

        if (field == FIELD_NONE)
          continue;
        if (spelled[field] != NULL)
          {
            /* Translators: two keys of one entry of the file, such as “memberCode” and “member_code” */
            g_autofree char *message = g_strdup_printf (_("“%s” and “%s” are the same field: keep one of them."),
                                                        spelled[field], key);
            record_problem (record, message);
            record->unreadable = TRUE;
            return;
          }
        spelled[field] = key;
      }
  }

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      ImportField field = field_read (data->kind, field_from_name (key, -1), seen[FIELD_ID]);
      JsonNode *value = json_object_get_member (object, key);

      if (field == FIELD_NONE)
        {
          ignore_column (data, key);
          continue;
        }
      record->given |= 1u << field;
      if (data->columns[field] == NULL)
        data->columns[field] = g_strdup (key);
      else if (strcmp (data->columns[field], key) != 0)
        {
          if (record->keys == NULL)
            record->keys = g_new0 (char *, N_FIELDS);
          record->keys[field] = g_strdup (key);
        }
      if (JSON_NODE_HOLDS_NULL (value))
        continue;
      if (json_node_get_value_type (value) != G_TYPE_STRING)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” must be text in quotes."), key);
          record_problem (record, message);
          record->bad_type |= 1u << field;
          continue;
        }
      record_set (record, field, json_node_get_string (value), -1);
    }
}

static void
read_json (ImportData *data,
           const char *text,
           gsize       length)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  TopoutJsonMisreads misreads = { TOPOUT_JSON_MISREAD_NONE, 0, 0 };
  JsonNode *root;
  JsonArray *items = NULL;
  guint bad_line = 0;

  data->is_json = TRUE;

  if (!json_depth_ok (text, length, &bad_line))
    {
      g_autofree char *message =
        g_strdup_printf (_("Line %u nests lists and objects more than %d levels deep: "
                           "this is not a catalog or climber file."),
                         bad_line, IMPORT_MAX_DEPTH);
      file_problem (data, 0, message);
      return;
    }

  /* A file in strict JSON (what our export and JSON tools write) is also
   * checked for text json-glib reads other than written: it ends a string
   * at an escaped NUL, so a name would be imported cut short. (Every field
   * here is text: a number is refused as such, or its field ignored.) A
   * file json-glib reads leniently (comments, trailing commas) is read as
   * it always was. */
  if (topout_json_strict_check_array (text, length, IMPORT_MAX_DEPTH, NULL, NULL, NULL, &misreads, NULL) &&
      (misreads.what & TOPOUT_JSON_MISREAD_NUL))
    {
      g_autofree char *message = NULL;
      guint line = 1;

      for (gsize i = 0; i < misreads.first_nul; i++)
        line += text[i] == '\n';
      message = g_strdup_printf (_("Line %u holds an escaped NUL character (\\u0000), which cannot be imported."), line);
      file_problem (data, 0, message);
      return;
    }

  if (!json_parser_load_from_data (parser, text, length, &error))
    {
      /* json-glib's message names the line and column. */
      g_autofree char *message = g_strdup_printf (_("The file is not valid JSON: %s"), error->message);
      file_problem (data, 0, message);
      return;
    }

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *climbs = json_object_get_member (object, "climbs");
      JsonNode *climbers = json_object_get_member (object, "climbers");

      if (climbs != NULL && climbers != NULL)
        {
          file_problem (data, 0, _("The file lists both climbs and climbers; import them as two files."));
          return;
        }
      if (climbs != NULL || climbers != NULL)
        {
          JsonNode *list = climbs != NULL ? climbs : climbers;

          data->kind = climbs != NULL ? KIND_CLIMBS : KIND_CLIMBERS;
          if (!JSON_NODE_HOLDS_ARRAY (list))
            {
              file_problem (data, 0, climbs != NULL ? _("“climbs” must be a list in [ ].")
                                                    : _("“climbers” must be a list in [ ]."));
              return;
            }
          items = json_node_get_array (list);
        }
    }
  else if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      items = json_node_get_array (root);
      if (json_array_get_length (items) > 0)
        data->kind = kind_of_items (items);
      else
        data->kind = KIND_CLIMBS; /* reported as empty below */
    }

  if (items == NULL || data->kind == KIND_UNKNOWN)
    {
      file_problem (data, 0,
                    _("This is neither a catalog nor a climber list: expected {\"climbs\": [...]}, "
                      "{\"climbers\": [...]}, or a list of climbs (with a “grade”) or climbers "
                      "(with a “displayName”, or a “name” and a “memberCode”)."));
      return;
    }

  /* All or nothing: a climber among climbs (or a climb among climbers)
   * was read as one with the wrong fields, or refused for fields it never
   * had. */
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *key = NULL;
      ImportKind kind = kind_of_item (json_array_get_element (items, i), &key);
      g_autofree char *message = NULL;

      if (kind == KIND_UNKNOWN || kind == data->kind)
        continue;
      if (kind == KIND_CLIMBERS)
        /* Translators: "Entry 3 is a climber (it has “memberCode”), but…" */
        message = g_strdup_printf (_("Entry %u is a climber (it has “%s”), but the file lists climbs: "
                                     "import climbs and climbers as two files."), i + 1, key);
      else
        /* Translators: "Entry 3 is a climb (it has “grade”), but…" */
        message = g_strdup_printf (_("Entry %u is a climb (it has “%s”), but the file lists climbers: "
                                     "import climbs and climbers as two files."), i + 1, key);
      file_problem (data, 0, message);
      return;
    }

  for (guint i = 0; i < json_array_get_length (items); i++)
    read_json_item (data, json_array_get_element (items, i), i + 1);
}

/* CSV (RFC 4180) ------------------------------------------------------------ */

typedef struct {
  guint      line;     /* where the record starts */
  GPtrArray *fields;   /* of char* */
  char      *error;    /* a quoting problem, translated */
  gboolean   blank;    /* one empty, unquoted field: an empty line */
} CsvRecord;

static void
csv_record_free (CsvRecord *record)
{
  g_ptr_array_unref (record->fields);
  g_free (record->error);
  g_free (record);
}

static void
csv_record_error (CsvRecord  *record,
                  const char *message)
{
  if (record->error == NULL)
    record->error = g_strdup (message);
}

/* The character between the fields: a comma, unless the first line that
 * is not blank (the header) has none outside quotes and has semicolons, or
 * else tabs. A spreadsheet in German or French saves "CSV" with ';' (the
 * comma is their decimal point), and a list copied out of one has tabs; the
 * header "id;name;grade" was read as one column, and refused as naming
 * none. */
static char
csv_separator (const char *text,
               gsize       length)
{
  const char *p = text;
  const char *end = text + length;
  gboolean quoted = FALSE;
  gboolean any = FALSE;
  guint n_semicolons = 0, n_tabs = 0;

  for (; p < end; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (*p == '\r' || *p == '\n')
        {
          if (any)
            break;
        }
      else if (*p == ',')
        return ',';
      else if (*p == ';')
        n_semicolons++;
      else if (*p == '\t')
        n_tabs++;
      if (!g_ascii_isspace (*p))
        any = TRUE;
    }
  return n_semicolons > 0 ? ';' : n_tabs > 0 ? '\t' : ',';
}

/* Splits @text into records of fields between @sep. Quoted fields may hold
 * @sep, doubled quotes and line breaks; lines end with LF, CRLF or CR. Line
 * breaks inside quotes become LF. A quote inside an unquoted field is kept
 * as it is. */
static GPtrArray *
csv_split (const char *text,
           gsize       length,
           char        sep)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) csv_record_free);
  const char *p = text;
  const char *end = text + length;
  guint line = 1;

  while (p < end)
    {
      CsvRecord *record = g_new0 (CsvRecord, 1);
      gboolean any_quoted = FALSE;
      gboolean record_done = FALSE;

      record->line = line;
      record->fields = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (records, record);

      while (!record_done)
        {
          g_autoptr (GString) field = g_string_new (NULL);

          if (p < end && *p == '"')
            {
              gboolean closed = FALSE;

              any_quoted = TRUE;
              p++;
              while (p < end)
                {
                  if (*p == '"')
                    {
                      if (p + 1 < end && p[1] == '"')
                        {
                          g_string_append_c (field, '"');
                          p += 2;
                          continue;
                        }
                      p++;
                      closed = TRUE;
                      break;
                    }
                  if (*p == '\r' || *p == '\n')
                    {
                      if (*p == '\r' && p + 1 < end && p[1] == '\n')
                        p++;
                      g_string_append_c (field, '\n');
                      line++;
                      p++;
                      continue;
                    }
                  g_string_append_c (field, *p++);
                }
              if (!closed)
                csv_record_error (record, _("A quoted field is never closed: a \" is missing."));
              else if (p < end && *p != sep && *p != '\r' && *p != '\n')
                {
                  csv_record_error (record,
                                    _("Text follows a closing quote; quotes inside a quoted field "
                                      "must be doubled (\"\")."));
                  while (p < end && *p != sep && *p != '\r' && *p != '\n')
                    g_string_append_c (field, *p++);
                }
            }
          else
            {
              while (p < end && *p != sep && *p != '\r' && *p != '\n')
                g_string_append_c (field, *p++);
            }

          g_ptr_array_add (record->fields, g_strndup (field->str, field->len));

          if (p >= end)
            record_done = TRUE;
          else if (*p == sep)
            {
              p++;
              /* "a,b," ends with an empty field. */
              if (p >= end)
                {
                  g_ptr_array_add (record->fields, g_strdup (""));
                  record_done = TRUE;
                }
            }
          else
            {
              if (*p == '\r' && p + 1 < end && p[1] == '\n')
                p++;
              p++;
              line++;
              record_done = TRUE;
            }
        }

      record->blank = !any_quoted && record->fields->len == 1 &&
                      *(const char *) g_ptr_array_index (record->fields, 0) == '\0';
    }
  return records;
}

static void
read_csv (ImportData *data,
          const char *text,
          gsize       length)
{
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GArray) columns = g_array_new (FALSE, FALSE, sizeof (int));
  CsvRecord *header = NULL;
  guint i;

  data->is_json = FALSE;

  if (memchr (text, '\0', length) != NULL)
    {
      file_problem (data, 0, _("The file is not text: it contains NUL bytes."));
      return;
    }

  records = csv_split (text, length, csv_separator (text, length));
  for (i = 0; i < records->len; i++)
    {
      header = g_ptr_array_index (records, i);
      if (!header->blank)
        break;
    }
  if (i == records->len)
    {
      file_problem (data, 0, _("The file is empty."));
      return;
    }
  if (header->error != NULL)
    {
      file_problem (data, header->line, header->error);
      return;
    }

  {
    gboolean seen[N_FIELDS], numbered;
    const char *twice;

    /* Topout's own CSV export (its first column): made for a spreadsheet,
     * it was read as a catalog (it has a "grade") with no "id", to be
     * fixed line by line. */
    for (guint c = 0; c < header->fields->len; c++)
      if (g_ascii_strcasecmp (g_ptr_array_index (header->fields, c), "sessionClientId") == 0)
        {
          file_problem (data, 0, _("This is a CSV export of sessions, made for a spreadsheet. "
                                   "Sessions are imported from an export made with Export as JSON."));
          return;
        }

    twice = fields_of_names ((const char *const *) header->fields->pdata, header->fields->len, seen, &numbered);
    if (twice != NULL)
      {
        g_autofree char *message = g_strdup_printf (_("The column “%s” appears twice in the header."), twice);
        file_problem (data, header->line, message);
        return;
      }

    data->kind = kind_of_fields (seen, numbered);
    if (data->kind == KIND_UNKNOWN)
      {
        file_problem (data, header->line,
                      _("The first line must name the columns: a catalog has “id”, “name” and “grade”; "
                        "a climber list has “displayName” (or “name”, or “First name” and “Last name”), "
                        "and “memberCode” for the gym’s member numbers."));
        return;
      }

    if (data->kind == KIND_CLIMBS)
      {
        static const ImportField required[] = { FIELD_ID, FIELD_NAME, FIELD_GRADE };

        for (guint r = 0; r < G_N_ELEMENTS (required); r++)
          if (!seen[required[r]] && !(required[r] == FIELD_ID && numbered))
            {
              g_autofree char *message = g_strdup_printf (_("The header has no “%s” column."),
                                                          field_names[required[r]]);
              file_problem (data, header->line, message);
            }
        if (data->file_problems->len > 0)
          return;
      }

    for (guint c = 0; c < header->fields->len; c++)
      {
        const char *name = g_ptr_array_index (header->fields, c);
        int field = field_read (data->kind, field_from_name (name, -1), seen[FIELD_ID]);

        g_array_append_val (columns, field);
        if (field == FIELD_NONE)
          ignore_column (data, name);
        else
          data->columns[field] = g_strstrip (g_strdup (name));
      }
  }

  for (i++; i < records->len; i++)
    {
      CsvRecord *csv = g_ptr_array_index (records, i);
      Record *record;
      guint extra = 0;

      if (csv->blank)
        continue;
      record = record_new (csv->line);
      g_ptr_array_add (data->records, record);
      for (guint c = 0; c < columns->len; c++)
        if (g_array_index (columns, int, c) != FIELD_NONE)
          record->given |= 1u << g_array_index (columns, int, c);
      if (csv->error != NULL)
        {
          record_problem (record, csv->error);
          record->unreadable = TRUE;
        }

      for (guint c = 0; c < csv->fields->len; c++)
        {
          const char *value = g_ptr_array_index (csv->fields, c);

          if (c >= columns->len)
            {
              if (*value != '\0')
                extra++;
              continue;
            }
          if (g_array_index (columns, int, c) != FIELD_NONE)
            record_set (record, g_array_index (columns, int, c), value, -1);
        }
      if (extra > 0)
        {
          g_autofree char *message =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "This line has %u field more than the header.",
                                          "This line has %u fields more than the header.", extra),
                             extra);
          record_problem (record, message);
        }
    }
}

/* Reading ------------------------------------------------------------------- */

/* The file's text in UTF-8: FALSE with a problem of the file, or TRUE with
 * @converted the text converted, NULL when it is UTF-8 already. A
 * spreadsheet on Windows saves "CSV" in the Windows code page (1252 in
 * Western Europe and the Americas): "Müller" has a byte that is not UTF-8,
 * and every such line was refused on its own. Text that is not UTF-8 is
 * read as Windows-1252, and the report says so, for a coach to look at the
 * names when the file was of another code page (what cannot be Windows-1252
 * is refused as a whole). Excel's "Unicode Text" is UTF-16 with its byte
 * order mark. A file with NUL bytes otherwise is left to the readers. */
static gboolean
decode_text (ImportData  *data,
             const char  *text,
             gsize        length,
             char       **converted,
             gsize       *converted_length)
{
  g_autoptr (GError) error = NULL;
  const char *from = NULL;

  if (length >= 2 && (memcmp (text, "\xFF\xFE", 2) == 0 || memcmp (text, "\xFE\xFF", 2) == 0))
    {
      from = text[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
      text += 2;
      length -= 2;
    }
  else if (memchr (text, '\0', length) != NULL || g_utf8_validate_len (text, length, NULL))
    {
      *converted = NULL;
      return TRUE;
    }
  else
    from = "WINDOWS-1252";

  *converted = g_convert (text, length, "UTF-8", from, NULL, converted_length, &error);
  if (*converted == NULL && strcmp (from, "WINDOWS-1252") == 0)
    {
      file_problem (data, 0, _("The file is not saved as UTF-8, and it is not Windows-1252 text either. "
                               "Save it from the spreadsheet as “CSV UTF-8” and import it again."));
      return FALSE;
    }
  if (*converted == NULL)
    {
      file_problem (data, 0, _("The file begins as UTF-16 text but is not: save it from the spreadsheet "
                               "as “CSV UTF-8” and import it again."));
      return FALSE;
    }
  if (strcmp (from, "WINDOWS-1252") == 0)
    g_ptr_array_add (data->notes,
                     g_strdup (_("The file is not saved as UTF-8; it was read as Windows-1252 (Western European). "
                                 "If accented names look wrong, save it as “CSV UTF-8” and import it again.")));
  return TRUE;
}

static void
read_data (ImportData *data,
           const char *text,
           gsize       length)
{
  g_autofree char *converted = NULL;
  gsize converted_length = 0;
  gsize i;

  if (!decode_text (data, text, length, &converted, &converted_length))
    return;
  if (converted != NULL)
    {
      text = converted;
      length = converted_length;
    }

  /* A UTF-8 byte order mark, as spreadsheets write it. */
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    {
      text += 3;
      length -= 3;
    }

  for (i = 0; i < length && g_ascii_isspace (text[i]); i++)
    ;
  if (i < length && (text[i] == '[' || text[i] == '{'))
    read_json (data, text, length);
  else
    read_csv (data, text, length);

  if (data->file_problems->len == 0 && data->records->len == 0)
    file_problem (data, 0, data->kind == KIND_CLIMBERS ? _("The file lists no climbers.")
                                                       : _("The file lists no climbs."));
  if (data->file_problems->len == 0)
    note_ignored (data);
}

/* Checking ------------------------------------------------------------------ */

/* Checks @value as _topout_check_text() does. An empty value, or one too
 * long, is said with the file's own column (or key), as the file spells it,
 * when @columns names one or two: "“Vorname” is empty." tells the coach the
 * cell to fill, where "The name must not be empty." left the column to
 * guess in a file of another language. */
static gboolean
check_named (Record            *record,
             const char        *value,
             const char *const *columns,
             guint              n_columns,
             guint              min_chars,
             guint              max_chars,
             const char        *label)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  glong n;

  if (_topout_check_text (value, min_chars, max_chars, label, &error))
    return TRUE;
  if (value == NULL)
    n = 0;
  else
    n = g_utf8_validate (value, -1, NULL) ? g_utf8_strlen (value, -1) : -1;
  if (n >= 0 && n < (glong) min_chars && n_columns == 1)
    /* Translators: %s is a column of the file as it spells it, such as “Vorname” */
    message = g_strdup_printf (_("“%s” is empty."), columns[0]);
  else if (n >= 0 && n < (glong) min_chars && n_columns == 2)
    /* Translators: two columns of the file, such as “Vorname” and “Nachname” */
    message = g_strdup_printf (_("“%s” and “%s” are empty."), columns[0], columns[1]);
  else if (n > (glong) max_chars && n_columns == 1)
    /* Translators: %s is a column of the file as it spells it, such as “Vorname” */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "“%s” is too long: at most %u character.",
                                            "“%s” is too long: at most %u characters.", max_chars),
                               columns[0], max_chars);
  record_problem (record, message != NULL ? message : error->message);
  return FALSE;
}

/* @field's column (or key) as the file spells it (a JSON item, as that
 * item does), or NULL when @record has none. */
static const char *
record_column (ImportData  *data,
               Record      *record,
               ImportField  field)
{
  if (!(record->given & (1u << field)))
    return NULL;
  if (record->keys != NULL && record->keys[field] != NULL)
    return record->keys[field];
  return data->columns[field];
}

static gboolean
check_field (ImportData  *data,
             Record      *record,
             ImportField  field,
             guint        min_chars,
             guint        max_chars,
             const char  *label)
{
  const char *column = record_column (data, record, field);

  /* Already reported as given in the wrong type. */
  if (record->bad_type & (1u << field))
    return FALSE;
  return check_named (record, record->values[field], &column, column != NULL ? 1 : 0,
                      min_chars, max_chars, label);
}

/* Remembers @value's line in @seen; a problem when an earlier line had it. */
static void
check_unique (ImportData  *data,
              Record      *record,
              GHashTable  *seen,
              const char  *value,
              const char  *what)
{
  gpointer first;

  if (value == NULL)
    return;
  first = g_hash_table_lookup (seen, value);
  if (first == NULL)
    {
      g_hash_table_insert (seen, (gpointer) value, GUINT_TO_POINTER (record->line));
      return;
    }

  {
    g_autofree char *message = NULL;

    if (data->is_json)
      /* Translators: "The climb id “c-101” is already used by entry 3." */
      message = g_strdup_printf (_("%s “%s” is already used by entry %u."), what, value, GPOINTER_TO_UINT (first));
    else
      /* Translators: "The climb id “c-101” is already used on line 3." */
      message = g_strdup_printf (_("%s “%s” is already used on line %u."), what, value, GPOINTER_TO_UINT (first));
    record_problem (record, message);
  }
}

static gboolean
parse_grade_system (const char        *value,
                    TopoutGradeSystem *system)
{
  g_autofree char *upper = NULL;

  *system = TOPOUT_GRADE_SYSTEM_V_SCALE;
  if (value == NULL)
    return TRUE;
  upper = g_ascii_strup (value, -1);
  return topout_grade_system_from_key (upper, system);
}

/* A German or French colour ("rot", "Rouge", "WEISS") becomes the colour
 * the English word gives, whatever the UI's language; the column's own
 * language ("Farbe", "Couleur") is read first, so that a French "violet"
 * is purple (topout_color_read()). A CSS colour ("red", "#e01b24") stays
 * as typed; anything else is left for _topout_check_color() to refuse, as
 * in an English column. */
static void
read_color_word (ImportData *data,
                 Record     *r)
{
  const char *value = r->values[FIELD_COLOR];
  const char *column = record_column (data, r, FIELD_COLOR);
  TopoutColorWords words = TOPOUT_COLOR_WORDS_ANY;
  g_autofree char *color = NULL;

  if (value == NULL)
    return;
  if (column != NULL)
    {
      g_autoptr (GString) folded_column = _topout_fold_word (column, -1);

      if (strcmp (folded_column->str, "farbe") == 0)
        words = TOPOUT_COLOR_WORDS_GERMAN;
      else if (strcmp (folded_column->str, "couleur") == 0)
        words = TOPOUT_COLOR_WORDS_FRENCH;
    }
  if (topout_color_read (value, words, &color, NULL) && color != NULL)
    record_set (r, FIELD_COLOR, color, -1);
}

static void
check_climbs (ImportData *data)
{
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < data->records->len; i++)
    {
      Record *r = g_ptr_array_index (data->records, i);
      TopoutGradeSystem system;
      g_autoptr (GError) error = NULL;
      gboolean grade_ok;

      if (r->unreadable)
        continue;
      if (check_field (data, r, FIELD_ID, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, _("The climb id")))
        check_unique (data, r, ids, r->values[FIELD_ID], _("The climb id"));
      check_field (data, r, FIELD_NAME, TOPOUT_LIMIT_NAME_MIN, TOPOUT_LIMIT_NAME_MAX, _("The climb name"));
      grade_ok = check_field (data, r, FIELD_GRADE, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, _("The grade"));
      if (parse_grade_system (r->values[FIELD_GRADE_SYSTEM], &system))
        {
          /* A grade of another system ("6a+" on the V scale): the front
           * desk would show and copy a grade nobody climbs by. */
          if (grade_ok && !_topout_check_grade (r->values[FIELD_GRADE], system, &error))
            {
              record_problem (r, error->message);
              g_clear_error (&error);
            }
        }
      else
        {
          g_autofree char *message = NULL;

          if (g_utf8_validate (r->values[FIELD_GRADE_SYSTEM], -1, NULL))
            message = g_strdup_printf (_("“%s” is not a grade system; use V, FONT or YDS."),
                                       r->values[FIELD_GRADE_SYSTEM]);
          else
            message = g_strdup (_("The grade system must be V, FONT or YDS."));
          record_problem (r, message);
        }
      read_color_word (data, r);
      if (check_field (data, r, FIELD_COLOR, 0, TOPOUT_LIMIT_KEY_MAX, _("The colour")) &&
          !_topout_check_color (r->values[FIELD_COLOR], &error))
        {
          record_problem (r, error->message);
          g_clear_error (&error);
        }
      check_field (data, r, FIELD_WALL, 0, TOPOUT_LIMIT_NAME_MAX, _("The wall"));
      if (r->values[FIELD_SET_ON] != NULL && !_topout_check_date (r->values[FIELD_SET_ON], &error))
        {
          if (g_utf8_validate (r->values[FIELD_SET_ON], -1, NULL))
            record_problem (r, error->message);
          else
            record_problem (r, _("The set-on date must look like 2026-11-21."));
        }
    }
}

/* Member codes are one whatever their case (the store looks them up with
 * COLLATE NOCASE): "m-0100" on a later line is M-0100 again. */
static guint
code_hash (gconstpointer key)
{
  guint h = 5381;

  for (const char *p = key; *p != '\0'; p++)
    h = h * 33 + (guchar) g_ascii_tolower (*p);
  return h;
}

static gboolean
code_equal (gconstpointer a,
            gconstpointer b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

static void
check_climbers (ImportData *data)
{
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) codes = g_hash_table_new (code_hash, code_equal);
  /* In the order a sentence names them: "“Vorname” and “Name” are empty." */
  static const ImportField name_fields[] = { FIELD_DISPLAY_NAME, FIELD_FIRST_NAME, FIELD_LAST_NAME, FIELD_NAME };

  for (guint i = 0; i < data->records->len; i++)
    {
      Record *r = g_ptr_array_index (data->records, i);
      const char *name_columns[4];
      guint n_name_columns = 0;

      /* The columns the name is made of, for its message. */
      for (guint f = 0; f < G_N_ELEMENTS (name_fields); f++)
        if (record_column (data, r, name_fields[f]) != NULL)
          name_columns[n_name_columns++] = record_column (data, r, name_fields[f]);

      if (r->unreadable)
        continue;

      /* "Vorname;Name", "Prénom;Nom": beside a first name, the name is
       * the family name. */
      if ((r->given & (1u << FIELD_FIRST_NAME)) && (r->given & (1u << FIELD_NAME)) &&
          !(r->given & ((1u << FIELD_LAST_NAME) | (1u << FIELD_DISPLAY_NAME))))
        r->values[FIELD_LAST_NAME] = g_steal_pointer (&r->values[FIELD_NAME]);
      /* The name: displayName, else "Name", else first and last names. */
      if (r->values[FIELD_DISPLAY_NAME] == NULL && r->values[FIELD_NAME] != NULL)
        r->values[FIELD_DISPLAY_NAME] = g_steal_pointer (&r->values[FIELD_NAME]);
      else if (r->values[FIELD_DISPLAY_NAME] == NULL &&
               (r->values[FIELD_FIRST_NAME] != NULL || r->values[FIELD_LAST_NAME] != NULL))
        r->values[FIELD_DISPLAY_NAME] = g_strjoin (r->values[FIELD_FIRST_NAME] && r->values[FIELD_LAST_NAME] ? " " : "",
                                                   r->values[FIELD_FIRST_NAME] ? r->values[FIELD_FIRST_NAME] : "",
                                                   r->values[FIELD_LAST_NAME] ? r->values[FIELD_LAST_NAME] : "",
                                                   NULL);
      if (r->values[FIELD_ID] != NULL &&
          check_field (data, r, FIELD_ID, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, _("The climber id")))
        check_unique (data, r, ids, r->values[FIELD_ID], _("The climber id"));
      if (r->values[FIELD_MEMBER_CODE] != NULL &&
          check_field (data, r, FIELD_MEMBER_CODE, TOPOUT_LIMIT_KEY_MIN, TOPOUT_LIMIT_KEY_MAX, _("The member code")))
        check_unique (data, r, codes, r->values[FIELD_MEMBER_CODE], _("The member code"));
      if (!(r->bad_type & (1u << FIELD_DISPLAY_NAME)))
        check_named (r, r->values[FIELD_DISPLAY_NAME], name_columns, n_name_columns,
                     TOPOUT_LIMIT_NAME_MIN, TOPOUT_LIMIT_NAME_MAX, _("The name"));
    }
}

/* Database ------------------------------------------------------------------ */

static TopoutClimb *
find_climb (TopoutStore  *self,
            const char   *id,
            GError      **error)
{
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                    "SELECT " TOPOUT_CLIMB_COLUMNS " FROM climbs WHERE id = ?1",
                                                    error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _topout_store_read_climb (stmt);
  if (rc != SQLITE_DONE)
    _topout_store_set_error (self, error, "import: find climb");
  return NULL;
}

/* Every member code of the database and its climber's id, codes matched
 * whatever their case (as member_code = ?1 COLLATE NOCASE): the column has
 * no index of that collation, and a list of 10,000 members looked each one
 * up through the whole table (3 s to re-import it, the write lock held). */
static GHashTable *
load_member_codes (TopoutStore  *self,
                   GError      **error)
{
  g_autoptr (GHashTable) codes = g_hash_table_new_full (code_hash, code_equal, g_free, g_free);
  g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                    "SELECT member_code, id FROM climbers WHERE member_code IS NOT NULL",
                                                    error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (codes, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  if (rc != SQLITE_DONE)
    {
      _topout_store_set_error (self, error, "import: member codes");
      return NULL;
    }
  return g_steal_pointer (&codes);
}

/* By id when @by_id, else by member code, through @codes (from
 * load_member_codes()). NULL when none (or on error, set). */
static TopoutClimber *
find_climber (TopoutStore  *self,
              const char   *key,
              gboolean      by_id,
              GHashTable   *codes,
              GError      **error)
{
  g_autoptr (TopoutStmt) stmt = NULL;
  int rc;

  if (!by_id)
    {
      key = g_hash_table_lookup (codes, key);
      if (key == NULL)
        return NULL;
    }
  stmt = _topout_store_stmt (self, "SELECT " TOPOUT_CLIMBER_COLUMNS " FROM climbers WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _topout_store_read_climber (stmt);
  if (rc != SQLITE_DONE)
    _topout_store_set_error (self, error, "import: find climber");
  return NULL;
}

/* @r's value of an optional @field, or, when the file has no such column
 * or key, @existing's (NULL for a new climb): a file without "wall" (a
 * quick sheet of grades, a column's name mistyped) leaves the walls as they
 * are; an empty cell clears one. */
static const char *
climb_value (Record      *r,
             ImportField  field,
             const char  *existing)
{
  return (r->given & (1u << field)) ? r->values[field] : existing;
}

static gboolean
climb_differs (TopoutClimb       *existing,
               Record            *r,
               TopoutGradeSystem  system,
               const char        *color,
               const char        *wall,
               const char        *set_on)
{
  return g_strcmp0 (topout_climb_get_name (existing), r->values[FIELD_NAME]) != 0 ||
         g_strcmp0 (topout_climb_get_grade (existing), r->values[FIELD_GRADE]) != 0 ||
         topout_climb_get_grade_system (existing) != system ||
         g_strcmp0 (topout_climb_get_color (existing), color) != 0 ||
         g_strcmp0 (topout_climb_get_wall (existing), wall) != 0 ||
         g_strcmp0 (topout_climb_get_set_on (existing), set_on) != 0 ||
         topout_climb_get_retired (existing);
}

/* Upserts every climb by id; a climb in the file is in the gym, so a retired
 * one comes back. With @retire_missing, the catalog's climbs that the file
 * does not list are retired. */
static gboolean
write_climbs (TopoutStore         *self,
              ImportData          *data,
              gboolean             retire_missing,
              TopoutImportReport  *report,
              GError             **error)
{
  gint64 now = topout_store_now (self);
  g_autoptr (GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < data->records->len; i++)
    {
      Record *r = g_ptr_array_index (data->records, i);
      g_autoptr (TopoutClimb) existing = NULL;
      g_autoptr (GError) local_error = NULL;
      TopoutGradeSystem system;
      const char *color, *wall, *set_on;

      parse_grade_system (r->values[FIELD_GRADE_SYSTEM], &system);
      g_hash_table_add (listed, r->values[FIELD_ID]);

      existing = find_climb (self, r->values[FIELD_ID], &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      color = climb_value (r, FIELD_COLOR, existing ? topout_climb_get_color (existing) : NULL);
      wall = climb_value (r, FIELD_WALL, existing ? topout_climb_get_wall (existing) : NULL);
      set_on = climb_value (r, FIELD_SET_ON, existing ? topout_climb_get_set_on (existing) : NULL);

      if (existing == NULL)
        {
          g_autoptr (TopoutClimb) climb = topout_climb_new (r->values[FIELD_ID], r->values[FIELD_NAME],
                                                            r->values[FIELD_GRADE], system);

          topout_climb_set_color (climb, color);
          topout_climb_set_wall (climb, wall);
          topout_climb_set_set_on (climb, set_on);
          topout_climb_set_created_at (climb, now);
          topout_climb_set_updated_at (climb, now);
          if (!_topout_store_insert_climb_row (self, climb, error))
            return FALSE;
          report->n_added++;
        }
      else if (climb_differs (existing, r, system, color, wall, set_on))
        {
          g_autoptr (TopoutStmt) stmt = NULL;

          /* The grade of logged completions stays as it was when logged. */
          stmt = _topout_store_stmt (self,
                                     "UPDATE climbs SET name = ?2, grade = ?3, grade_system = ?4, color = ?5,"
                                     " wall = ?6, set_on = ?7, retired = 0, updated_at = ?8 WHERE id = ?1",
                                     error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, r->values[FIELD_ID], -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, r->values[FIELD_NAME], -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 3, r->values[FIELD_GRADE], -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 4, topout_grade_system_to_key (system), -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 5, color, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 6, wall, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 7, set_on, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 8, now);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            {
              _topout_store_set_error (self, error, "import: update climb");
              return FALSE;
            }
          report->n_updated++;
        }
      else
        report->n_unchanged++;
    }

  if (retire_missing)
    {
      g_autoptr (GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (TopoutStmt) active = _topout_store_stmt (self, "SELECT id FROM climbs WHERE retired = 0", error);
      int rc;

      if (active == NULL)
        return FALSE;
      while ((rc = sqlite3_step (active)) == SQLITE_ROW)
        {
          const char *id = (const char *) sqlite3_column_text (active, 0);
          if (!g_hash_table_contains (listed, id))
            g_ptr_array_add (missing, g_strdup (id));
        }
      if (rc != SQLITE_DONE)
        {
          _topout_store_set_error (self, error, "import: list climbs");
          return FALSE;
        }
      sqlite3_reset (active);

      for (guint i = 0; i < missing->len; i++)
        {
          g_autoptr (TopoutStmt) stmt = _topout_store_stmt (self,
                                                            "UPDATE climbs SET retired = 1, updated_at = ?2 WHERE id = ?1",
                                                            error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, g_ptr_array_index (missing, i), -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 2, now);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            {
              _topout_store_set_error (self, error, "import: retire climb");
              return FALSE;
            }
          report->n_retired++;
        }
    }
  return TRUE;
}

/* What the import does with one climber line. */
typedef struct {
  Record        *record;
  TopoutClimber *match;  /* NULL: a new climber */
} ClimberPlan;

static void
climber_plan_clear (gpointer data)
{
  ClimberPlan *plan = data;
  g_clear_object (&plan->match);
}

/* Matches every line with a stored climber: by id, else by member code.
 * Problems (two lines for one climber, a member code of someone else) are
 * added to the records. FALSE only on a database error. */
static gboolean
plan_climbers (TopoutStore  *self,
               ImportData   *data,
               GArray       *plans,
               GError      **error)
{
  g_autoptr (GHashTable) matched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) codes = load_member_codes (self, error);

  if (codes == NULL)
    return FALSE;
  for (guint i = 0; i < data->records->len; i++)
    {
      Record *r = g_ptr_array_index (data->records, i);
      const char *id = r->values[FIELD_ID];
      const char *code = r->values[FIELD_MEMBER_CODE];
      g_autoptr (GError) local_error = NULL;
      ClimberPlan plan = { r, NULL };

      if (r->messages->len > 0)
        continue;

      if (id != NULL)
        plan.match = find_climber (self, id, TRUE, codes, &local_error);
      if (plan.match == NULL && local_error == NULL && code != NULL)
        plan.match = find_climber (self, code, FALSE, codes, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (plan.match != NULL)
        {
          const char *match_id = topout_climber_get_id (plan.match);
          gpointer first = g_hash_table_lookup (matched, match_id);

          if (first != NULL)
            {
              g_autofree char *message = NULL;

              if (data->is_json)
                message = g_strdup_printf (_("This is %s again, already updated by entry %u."),
                                           topout_climber_get_display_name (plan.match), GPOINTER_TO_UINT (first));
              else
                message = g_strdup_printf (_("This is %s again, already updated on line %u."),
                                           topout_climber_get_display_name (plan.match), GPOINTER_TO_UINT (first));
              record_problem (r, message);
              g_clear_object (&plan.match);
              continue;
            }
          g_hash_table_insert (matched, g_strdup (match_id), GUINT_TO_POINTER (r->line));

          /* Matched by id with a new member code: it must be free. */
          if (code != NULL && g_strcmp0 (code, topout_climber_get_member_code (plan.match)) != 0)
            {
              g_autoptr (TopoutClimber) owner = find_climber (self, code, FALSE, codes, &local_error);

              if (local_error != NULL)
                {
                  g_clear_object (&plan.match);
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              /* (Itself, when only the code's case changes.) */
              if (owner != NULL &&
                  g_strcmp0 (topout_climber_get_id (owner), topout_climber_get_id (plan.match)) != 0)
                {
                  g_autofree char *message = g_strdup_printf (_("The member code %s already belongs to %s."),
                                                              code, topout_climber_get_display_name (owner));
                  record_problem (r, message);
                  g_clear_object (&plan.match);
                  continue;
                }
            }
        }
      g_array_append_val (plans, plan);
    }
  return TRUE;
}

static gboolean
write_climbers (TopoutStore         *self,
                GArray              *plans,
                TopoutImportReport  *report,
                GError             **error)
{
  gint64 now = topout_store_now (self);

  for (guint i = 0; i < plans->len; i++)
    {
      ClimberPlan *plan = &g_array_index (plans, ClimberPlan, i);
      Record *r = plan->record;
      const char *code = r->values[FIELD_MEMBER_CODE];

      if (plan->match == NULL)
        {
          g_autoptr (TopoutClimber) climber = topout_climber_new ();
          g_autofree char *id = r->values[FIELD_ID] ? g_strdup (r->values[FIELD_ID]) : g_uuid_string_random ();

          topout_climber_set_id (climber, id);
          topout_climber_set_member_code (climber, code);
          topout_climber_set_display_name (climber, r->values[FIELD_DISPLAY_NAME]);
          topout_climber_set_created_at (climber, now);
          topout_climber_set_updated_at (climber, now);
          if (!_topout_store_insert_climber_row (self, climber, error))
            return FALSE;
          report->n_added++;
        }
      else
        {
          /* A line without a member code keeps the stored one. */
          const char *new_code = code != NULL ? code : topout_climber_get_member_code (plan->match);
          g_autoptr (TopoutStmt) stmt = NULL;

          if (g_strcmp0 (r->values[FIELD_DISPLAY_NAME], topout_climber_get_display_name (plan->match)) == 0 &&
              g_strcmp0 (new_code, topout_climber_get_member_code (plan->match)) == 0)
            {
              report->n_unchanged++;
              continue;
            }
          stmt = _topout_store_stmt (self,
                                     "UPDATE climbers SET display_name = ?2, member_code = ?3, updated_at = ?4"
                                     " WHERE id = ?1",
                                     error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, topout_climber_get_id (plan->match), -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, r->values[FIELD_DISPLAY_NAME], -1, SQLITE_TRANSIENT);
          if (new_code != NULL)
            sqlite3_bind_text (stmt, 3, new_code, -1, SQLITE_TRANSIENT);
          else
            sqlite3_bind_null (stmt, 3);
          sqlite3_bind_int64 (stmt, 4, now);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            {
              _topout_store_set_error (self, error, "import: update climber");
              return FALSE;
            }
          /* As topout_store_update_climber(): their sessions go again. */
          if (!_topout_store_bump_climber_sessions (self, topout_climber_get_id (plan->match), NULL, now, error))
            return FALSE;
          report->n_updated++;
        }
    }
  return TRUE;
}

/* The import --------------------------------------------------------------- */

/* Moves every problem into a report, in line order (the file first). */
static TopoutImportReport *
collect_problems (ImportData *data)
{
  TopoutImportReport *report = _topout_import_report_new ();
  gsize n_file = 0;
  g_autofree gpointer *file_problems = g_ptr_array_steal (data->file_problems, &n_file);

  for (gsize i = 0; i < n_file; i++)
    g_ptr_array_add (report->problems, file_problems[i]);
  g_ptr_array_extend_and_steal (report->notes, g_steal_pointer (&data->notes));
  data->notes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < data->records->len; i++)
    {
      Record *r = g_ptr_array_index (data->records, i);
      g_autofree char *joined = NULL;

      if (r->messages->len == 0)
        continue;
      g_ptr_array_add (r->messages, NULL);
      joined = g_strjoinv (" ", (char **) r->messages->pdata);
      g_ptr_array_remove_index (r->messages, r->messages->len - 1);
      g_ptr_array_add (report->problems, _topout_import_problem_new (r->line, joined));
    }
  return report;
}

static void
set_import_error (TopoutImportReport  *report,
                  const char          *label,
                  GError             **error)
{
  TopoutImportProblem *first = g_ptr_array_index (report->problems, 0);
  guint n = report->problems->len;

  if (first->line == 0)
    {
      if (label != NULL)
        g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT,
                     _("“%s” cannot be imported: %s"), label, first->message);
      else
        g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT,
                     _("The file cannot be imported: %s"), first->message);
    }
  else if (label != NULL)
    g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT,
                 g_dngettext (GETTEXT_PACKAGE,
                              "%u line of “%s” has problems; nothing was imported.",
                              "%u lines of “%s” have problems; nothing was imported.", n),
                 n, label);
  else
    g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT,
                 g_dngettext (GETTEXT_PACKAGE,
                              "%u line of the file has problems; nothing was imported.",
                              "%u lines of the file have problems; nothing was imported.", n),
                 n);
}

/* Hands @report to the caller through @report_out (or frees it) with an
 * IMPORT error; returns NULL for the caller to return. */
TopoutImportReport *
_topout_import_refuse (TopoutImportReport   *report,
                       const char           *label,
                       TopoutImportReport  **report_out,
                       GError              **error)
{
  set_import_error (report, label, error);
  if (report_out != NULL)
    *report_out = report;
  else
    topout_import_report_free (report);
  return NULL;
}

static TopoutImportReport *
refuse_too_large (guint64               size,
                  const char           *label,
                  TopoutImportReport  **report_out,
                  GError              **error)
{
  TopoutImportReport *report = _topout_import_report_new ();
  g_autofree char *size_text = g_format_size (size);
  g_autofree char *limit_text = g_format_size (IMPORT_MAX_BYTES);
  g_autofree char *message = g_strdup_printf (_("The file is too large (%s; at most %s)."),
                                              size_text, limit_text);

  g_ptr_array_add (report->problems, _topout_import_problem_new (0, message));
  return _topout_import_refuse (report, label, report_out, error);
}

static TopoutImportReport *
import_text (TopoutStore         *self,
             const char          *text,
             gsize                length,
             const char          *label,   /* nullable: the file's name */
             gboolean             retire_missing,
             TopoutImportReport **report_out,
             GError             **error)
{
  g_autoptr (GArray) plans = g_array_new (FALSE, FALSE, sizeof (ClimberPlan));
  g_autoptr (TopoutImportReport) report = NULL;
  ImportData data;
  gboolean ok;

  g_array_set_clear_func (plans, climber_plan_clear);

  if (length > IMPORT_MAX_BYTES)
    return refuse_too_large (length, label, report_out, error);

  import_data_init (&data);
  read_data (&data, text, length);
  if (data.file_problems->len == 0)
    {
      if (data.kind == KIND_CLIMBS)
        check_climbs (&data);
      else if (retire_missing)
        /* Asked of a catalog: nothing of a climber list is retired, and
         * an import that silently did less than asked is refused. */
        file_problem (&data, 0, _("This file is a climber list: retiring what a file leaves out is done with a "
                                  "catalog file."));
      else
        check_climbers (&data);
    }

  if (!_topout_store_begin (self, error))
    {
      import_data_clear (&data);
      return NULL;
    }

  /* Checks against the database see what the transaction will write over. */
  if (data.file_problems->len == 0 && data.kind == KIND_CLIMBERS &&
      !plan_climbers (self, &data, plans, error))
    goto fail;

  report = collect_problems (&data);
  if (report->problems->len > 0)
    {
      _topout_store_rollback (self);
      g_array_set_size (plans, 0);
      import_data_clear (&data);
      return _topout_import_refuse (g_steal_pointer (&report), label, report_out, error);
    }

  report->kind = data.kind == KIND_CLIMBS ? TOPOUT_IMPORT_KIND_CATALOG : TOPOUT_IMPORT_KIND_CLIMBERS;
  if (data.kind == KIND_CLIMBS)
    ok = write_climbs (self, &data, retire_missing, report, error);
  else
    {
      ok = write_climbers (self, plans, report, error);
      /* The history shows climber names. */
      if (ok && report->n_updated > 0)
        _topout_store_note_reset (self);
    }
  if (!ok || !_topout_store_commit (self, error))
    goto fail;

  g_debug ("Imported %u added, %u updated, %u unchanged, %u retired",
           report->n_added, report->n_updated, report->n_unchanged, report->n_retired);
  g_array_set_size (plans, 0);
  import_data_clear (&data);
  return g_steal_pointer (&report);

fail:
  _topout_store_rollback (self);
  g_array_set_size (plans, 0);
  import_data_clear (&data);
  return NULL;
}

TopoutImportReport *
topout_store_import_bytes (TopoutStore         *self,
                           GBytes              *bytes,
                           gboolean             retire_missing,
                           TopoutImportReport **report_out,
                           GError             **error)
{
  gsize length = 0;
  const char *text;

  if (report_out != NULL)
    *report_out = NULL;
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  text = g_bytes_get_data (bytes, &length);
  return import_text (self, text ? text : "", length, NULL, retire_missing, report_out, error);
}

TopoutImportReport *
topout_store_import_file (TopoutStore         *self,
                          GFile               *file,
                          gboolean             retire_missing,
                          TopoutImportReport **report_out,
                          GError             **error)
{
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (report_out != NULL)
    *report_out = NULL;
  g_return_val_if_fail (TOPOUT_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  label = g_file_get_basename (file);
  if (label == NULL || !g_utf8_validate (label, -1, NULL))
    {
      g_free (label);
      label = g_file_get_parse_name (file);
    }

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info != NULL)
    {
      g_free (label);
      label = g_strdup (g_file_info_get_display_name (info));
      /* Refused before it is read. */
      if (g_file_info_get_size (info) > IMPORT_MAX_BYTES)
        return refuse_too_large (g_file_info_get_size (info), label, report_out, error);
    }
  g_clear_error (&local_error);

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local_error))
    {
      g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT,
                   _("“%s” could not be read: %s"), label, local_error->message);
      return NULL;
    }
  return import_text (self, contents, length, label, retire_missing, report_out, error);
}
