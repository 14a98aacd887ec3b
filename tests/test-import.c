/* test-import.c — catalog and climber import: JSON and CSV, all or nothing,
 * a report naming every bad line, re-imports by id, climbers by member code. */
#include "config.h"

#include <fcntl.h>
#include <libintl.h>
#include <locale.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <sqlite3.h>
#include <string.h>

#include "topout-limits.h"
#include "topout-test-util.h"

#define NOW "2026-11-21T17:00:00Z"

typedef struct {
  TopoutStore *store;
  char        *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = topout_test_store_new (NOW, &f->path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* Whatever the test wrote, the counts the header reads agree. */
  if (f->path != NULL && g_file_test (f->path, G_FILE_TEST_EXISTS))
    topout_test_assert_sync_counts (f->path);
  g_clear_object (&f->store);
  g_clear_pointer (&f->path, g_free);
}

/* Imports @text and asserts success. */
static TopoutImportReport *
import_ok (TopoutStore *store,
           const char  *text,
           gboolean     retire_missing)
{
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr (GError) error = NULL;
  TopoutImportReport *problems = NULL;
  TopoutImportReport *report = topout_store_import_bytes (store, bytes, retire_missing, &problems, &error);

  if (problems != NULL)
    for (guint i = 0; i < problems->problems->len; i++)
      {
        TopoutImportProblem *p = g_ptr_array_index (problems->problems, i);
        g_printerr ("line %u: %s\n", p->line, p->message);
      }
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_null (problems);
  g_assert_nonnull (report->problems);
  g_assert_cmpuint (report->problems->len, ==, 0);
  return report;
}

/* Imports @text, asserts it is refused with an IMPORT error and that the
 * database did not change; returns the report. */
static TopoutImportReport *
import_refused (Fixture    *f,
                const char *text,
                gboolean    retire_missing)
{
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr (GError) error = NULL;
  g_autofree char *before = topout_test_dump_db (f->path);
  g_autofree char *after = NULL;
  TopoutImportReport *problems = NULL;
  TopoutImportReport *report = topout_store_import_bytes (f->store, bytes, retire_missing, &problems, &error);

  g_assert_null (report);
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->problems->len, >, 0);
  g_test_message ("%s", error->message);
  for (guint i = 0; i < problems->problems->len; i++)
    {
      TopoutImportProblem *p = g_ptr_array_index (problems->problems, i);
      g_test_message ("  line %u: %s", p->line, p->message);
    }
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);
  return problems;
}

static guint
problem_line (TopoutImportReport *report,
              guint               i)
{
  return ((TopoutImportProblem *) g_ptr_array_index (report->problems, i))->line;
}

static const char *
problem_message (TopoutImportReport *report,
                 guint               i)
{
  return ((TopoutImportProblem *) g_ptr_array_index (report->problems, i))->message;
}

/* Imports @text and asserts it is refused for one problem, on @line,
 * saying @message (any, when NULL). */
static void
assert_refused_once (Fixture    *f,
                     const char *text,
                     guint       line,
                     const char *message)
{
  g_autoptr (TopoutImportReport) report = import_refused (f, text, FALSE);

  g_assert_cmpuint (report->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (report, 0), ==, line);
  if (message != NULL)
    g_assert_cmpstr (problem_message (report, 0), ==, message);
}

static void
assert_climb (TopoutStore       *store,
              const char        *id,
              const char        *name,
              const char        *grade,
              TopoutGradeSystem  system,
              const char        *color,
              const char        *wall,
              const char        *set_on,
              gboolean           retired)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutClimb) climb = topout_store_get_climb (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (climb);
  g_assert_cmpstr (topout_climb_get_id (climb), ==, id);
  g_assert_cmpstr (topout_climb_get_name (climb), ==, name);
  g_assert_cmpstr (topout_climb_get_grade (climb), ==, grade);
  g_assert_cmpint (topout_climb_get_grade_system (climb), ==, system);
  g_assert_cmpstr (topout_climb_get_color (climb), ==, color);
  g_assert_cmpstr (topout_climb_get_wall (climb), ==, wall);
  g_assert_cmpstr (topout_climb_get_set_on (climb), ==, set_on);
  g_assert_cmpint (topout_climb_get_retired (climb), ==, retired);
  g_assert_cmpint (topout_climb_get_created_at (climb), >=, topout_test_parse_time (NOW));
}

/* Catalogs ------------------------------------------------------------------ */

static void
test_json_catalog (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (TopoutImportReport) report = NULL;

  report = import_ok (f->store,
                      "{\"climbs\": [\n"
                      "  {\"id\": \"c-101\", \"name\": \"Crimp Cathedral\", \"grade\": \"V5\", \"gradeSystem\": \"V\",\n"
                      "   \"color\": \"#e01b24\", \"wall\": \"Cave\", \"setOn\": \"2026-09-02\"},\n"
                      "  {\"id\": \"c-131\", \"name\": \"Arête You Sure\", \"grade\": \"6B+\", \"gradeSystem\": \"FONT\",\n"
                      "   \"color\": \"#33d17a\", \"wall\": \"Slab\", \"setOn\": \"2026-10-21\"},\n"
                      "  {\"id\": \"c-201\", \"name\": \"Long Haul Lane\", \"grade\": \"5.10a\", \"gradeSystem\": \"yds\"},\n"
                      "  {\"id\": \"c-300\", \"name\": \"No System\", \"grade\": \"V0\", \"color\": null, \"extra\": [1, 2]}\n"
                      "]}\n",
                      FALSE);
  g_assert_cmpuint (report->n_added, ==, 4);
  g_assert_cmpuint (report->n_updated, ==, 0);
  g_assert_cmpuint (report->n_unchanged, ==, 0);
  g_assert_cmpuint (report->n_retired, ==, 0);

  assert_climb (f->store, "c-101", "Crimp Cathedral", "V5", TOPOUT_GRADE_SYSTEM_V_SCALE,
                "#e01b24", "Cave", "2026-09-02", FALSE);
  assert_climb (f->store, "c-131", "Arête You Sure", "6B+", TOPOUT_GRADE_SYSTEM_FONT,
                "#33d17a", "Slab", "2026-10-21", FALSE);
  assert_climb (f->store, "c-201", "Long Haul Lane", "5.10a", TOPOUT_GRADE_SYSTEM_YDS,
                NULL, NULL, NULL, FALSE);
  assert_climb (f->store, "c-300", "No System", "V0", TOPOUT_GRADE_SYSTEM_V_SCALE,
                NULL, NULL, NULL, FALSE);
}

static void
test_json_bare_array (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (TopoutImportReport) climbs = NULL;
  g_autoptr (TopoutImportReport) climbers = NULL;
  g_autoptr (TopoutImportReport) by_name = NULL;
  g_autoptr (TopoutImportReport) french = NULL;
  g_autoptr (TopoutImportReport) neither = NULL;

  climbs = import_ok (f->store, "  [{\"id\": \"a\", \"name\": \"A\", \"grade\": \"V1\"}]", FALSE);
  g_assert_cmpuint (climbs->n_added, ==, 1);
  climbers = import_ok (f->store, "[{\"displayName\": \"Ada L.\", \"memberCode\": \"M-1\"}]", FALSE);
  g_assert_cmpuint (climbers->n_added, ==, 1);
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM climbers WHERE member_code = 'M-1'"), ==, 1);

  /* A membership system's JSON: "name" and "memberCode" (or its own
   * spelling) only, as a CSV header "name,memberCode" is a climber list. */
  by_name = import_ok (f->store, "[{\"name\": \"Bo Kim\", \"memberCode\": \"M-2\"},"
                                 " {\"name\": \"Ada Lovelace\", \"memberCode\": \"m-1\"}]", FALSE);
  g_assert_cmpuint (by_name->n_added, ==, 1);
  g_assert_cmpuint (by_name->n_updated, ==, 1);
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM climbers WHERE display_name = 'Bo Kim'"
                                                   " AND member_code = 'M-2'"), ==, 1);
  french = import_ok (f->store, "[{\"Nom\": \"Zo\u00e9 Brand\", \"N\u00b0 adh\u00e9rent\": \"A-1\"}]", FALSE);
  g_assert_cmpuint (french->n_added, ==, 1);
  /* "id" and "name" might be climbs without grades: still neither. */
  neither = import_refused (f, "[{\"id\": \"c-1\", \"name\": \"Arete\"}]", FALSE);
  g_assert_cmpuint (problem_line (neither, 0), ==, 0);
  g_assert_nonnull (strstr (problem_message (neither, 0), "a “name” and a “memberCode”"));
}

static void
test_csv_catalog (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (TopoutImportReport) report = NULL;

  report = import_ok (f->store,
                      "id,name,grade,grade_system,color,wall,set_on\r\n"
                      "c-101,Crimp Cathedral,V5,V,#e01b24,Cave,2026-09-02\r\n"
                      "c-131,Arête You Sure,6B+,FONT,#33d17a,Slab,2026-10-21\r\n"
                      "c-201,Long Haul Lane,5.10a,YDS,,,\r\n"
                      "\r\n"
                      "c-300, Padded Name ,V0,,#ffffff,Board,\r\n",
                      FALSE);
  g_assert_cmpuint (report->n_added, ==, 4);

  assert_climb (f->store, "c-101", "Crimp Cathedral", "V5", TOPOUT_GRADE_SYSTEM_V_SCALE,
                "#e01b24", "Cave", "2026-09-02", FALSE);
  assert_climb (f->store, "c-131", "Arête You Sure", "6B+", TOPOUT_GRADE_SYSTEM_FONT,
                "#33d17a", "Slab", "2026-10-21", FALSE);
  assert_climb (f->store, "c-201", "Long Haul Lane", "5.10a", TOPOUT_GRADE_SYSTEM_YDS,
                NULL, NULL, NULL, FALSE);
  assert_climb (f->store, "c-300", "Padded Name", "V0", TOPOUT_GRADE_SYSTEM_V_SCALE,
                "#ffffff", "Board", NULL, FALSE);
}

static void
test_csv_quoting_ok (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (TopoutImportReport) report = NULL;

  report = import_ok (f->store,
                      "grade,\"name\",id,notes,setOn\n"
                      "V3,\"Sloper, Symphony\",q-1,\"a, b\",2026-09-01\n"
                      "V4,\"The \"\"Pinch\"\" Parlour\",q-2,,\n"
                      "V5,\"Two\r\nLines\",q-3,\"x\ny\",\n",
                      FALSE);
  g_assert_cmpuint (report->n_added, ==, 3);
  assert_climb (f->store, "q-1", "Sloper, Symphony", "V3", TOPOUT_GRADE_SYSTEM_V_SCALE, NULL, NULL,
                "2026-09-01", FALSE);
  assert_climb (f->store, "q-2", "The \"Pinch\" Parlour", "V4", TOPOUT_GRADE_SYSTEM_V_SCALE, NULL, NULL,
                NULL, FALSE);
  assert_climb (f->store, "q-3", "Two\nLines", "V5", TOPOUT_GRADE_SYSTEM_V_SCALE, NULL, NULL, NULL, FALSE);
}

/* A spreadsheet in German or French saves CSV with semicolons (the comma
 * is its decimal point), and a list copied out of one has tabs: the header
 * tells the separator. A comma in the header keeps the comma, whatever
 * the lines hold. The header "id;name;grade" was refused as naming no
 * column. */
static void
test_csv_semicolons_and_tabs (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr (TopoutImportReport) semicolons = NULL;
  g_autoptr (TopoutImportReport) tabs = NULL;
  g_autoptr (TopoutImportReport) climbers = NULL;
  g_autoptr (TopoutImportReport) commas = NULL;
  g_autoptr (TopoutImportReport) refused = NULL;
  g_autoptr (GPtrArray) found = NULL;

  semicolons = import_ok (f->store,
                          "\xEF\xBB\xBF\r\n"
                          "id;name;grade;gradeSystem;colour;wall;setOn\r\n"
                          "B-101;Gelbe Kante, links;V2;V;yellow;Höhle;2026-11-20\r\n"
                          "B-102;\"Blaue; Leisten\";6b+;FONT;blue;;\r\n",
                          FALSE);
  g_assert_cmpuint (semicolons->n_added, ==, 2);
  assert_climb (f->store, "B-101", "Gelbe Kante, links", "V2", TOPOUT_GRADE_SYSTEM_V_SCALE,
                "yellow", "Höhle", "2026-11-20", FALSE);
  assert_climb (f->store, "B-102", "Blaue; Leisten", "6b+", TOPOUT_GRADE_SYSTEM_FONT, "blue", NULL, NULL, FALSE);

  tabs = import_ok (f->store,
                    "id\tname\tgrade\n"
                    "B-103\tToit rouge\tV5\n",
                    FALSE);
  g_assert_cmpuint (tabs->n_added, ==, 1);
  assert_climb (f->store, "B-103", "Toit rouge", "V5", TOPOUT_GRADE_SYSTEM_V_SCALE, NULL, NULL, NULL, FALSE);

  climbers = import_ok (f->store,
                        "memberCode;displayName\n"
                        "1002;Müller, Anna\n"
                        "1003;Chloé Martin\n",
                        FALSE);
  g_assert_cmpuint (climbers->n_added, ==, 2);
  found = topout_store_find_climbers (f->store, "1002", FALSE, 10);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (topout_climber_get_display_name (g_ptr_array_index (found, 0)), ==, "Müller, Anna");

  /* A comma in the header: semicolons in the lines are text. */
  commas = import_ok (f->store,
                      "id,name,grade\n"
                      "B-104,Links; rechts,V1\n",
                      FALSE);
  assert_climb (f->store, "B-104", "Links; rechts", "V1", TOPOUT_GRADE_SYSTEM_V_SCALE, NULL, NULL, NULL, FALSE);

  /* A line of commas under a header of semicolons is one field: named. */
  refused = import_refused (f,
                            "id;name;grade\n"
                            "B-105,Wrong,V1\n",
                            FALSE);
  g_assert_cmpuint (refused->problems->len, >=, 1);
  g_assert_cmpuint (problem_line (refused, 0), ==, 2);
}

/* A record spread over several lines by quoted line breaks: the problems
 * name the line where each record starts, as an editor shows it. */
static void
test_csv_line_numbers (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (TopoutImportReport) report = NULL;

  report = import_refused (f,
                           "id,name,grade\n"              /* 1 */
                           "a,\"One\nTwo\nThree\",V1\n"   /* 2–4 */
                           "b,,V2\n"                      /* 5: no name */
                           "c,\"Unclosed,V3\n"            /* 6: never closed */
                           "d,Fine,V4\n",
                           FALSE);
  g_assert_cmpuint (report->problems->len, ==, 2);
  g_assert_cmpuint (problem_line (report, 0), ==, 5);
  g_assert_cmpuint (problem_line (report, 1), ==, 6);
}

static void
test_bom (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr (TopoutImportReport) csv = NULL;
  g_autoptr (TopoutImportReport) json = NULL;

  csv = import_ok (f->store, "\xEF\xBB\xBFid,name,grade\r\nb-1,Bommed,V2\r\n", FALSE);
  g_assert_cmpuint (csv->n_added, ==, 1);
  assert_climb (f->store, "b-1", "Bommed", "V2", TOPOUT_GRADE_SYSTEM_V_SCALE, NULL, NULL, NULL, FALSE);

  json = import_ok (f->store, "\xEF\xBB\xBF\n {\"climbs\": [{\"id\": \"b-2\", \"name\": \"Also\", \"grade\": \"V3\"}]}",
                    FALSE);
  g_assert_cmpuint (json->n_added, ==, 1);
  assert_climb (f->store, "b-2", "Also", "V3", TOPOUT_GRADE_SYSTEM_V_SCALE, NULL, NULL, NULL, FALSE);
}

/* A spreadsheet on Windows saves "CSV" in Windows-1252: read as such, the
 * report saying so, where every line with "ü" was refused on its own.
 * Excel's "Unicode Text" (UTF-16, tabs) is read too; a file that can be
 * neither is refused with one message for the whole file. */
static void
test_windows_1252 (Fixture       *f,
                   gconstpointer  data)
{
  /* "Café wall" / "Überhang", "Zoë's line", in Windows-1252. */
  static const char catalog[] = "id,name,grade,wall\r\n"
                                "c-1,Caf\xE9 wall,V3,\xDC" "berhang\r\n"
                                "c-2,Zo\xEB\x92s line,V4,Main\r\n"
                                "c-3,Plain,V2,Main\r\n";
  static const char climbers[] = "displayName,memberCode\r\nAnna M\xFCller,M-1\r\n";
  static const char bad_line[] = "id,name,grade\r\nc-9,Caf\xE9,V3\r\nc-10,,V4\r\n";
  static const char utf16[] = "\xFF\xFEi\0d\0\t\0n\0a\0m\0e\0\t\0g\0r\0a\0d\0e\0\r\0\n\0"
                              "u\0-\0\x31\0\t\0\xE9\0t\0\xE9\0\t\0V\0\x31\0\r\0\n\0";
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) people = NULL;
  g_autoptr (TopoutImportReport) plain = NULL;
  g_autoptr (TopoutImportReport) refused = NULL;
  g_autoptr (TopoutImportReport) undefined = NULL;
  g_autoptr (TopoutImportReport) unicode = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;

  report = import_ok (f->store, catalog, FALSE);
  g_assert_cmpuint (report->n_added, ==, 3);
  assert_climb (f->store, "c-1", "Café wall", "V3", TOPOUT_GRADE_SYSTEM_V_SCALE, NULL, "Überhang", NULL, FALSE);
  assert_climb (f->store, "c-2", "Zoë’s line", "V4", TOPOUT_GRADE_SYSTEM_V_SCALE, NULL, "Main", NULL, FALSE);
  g_assert_cmpuint (report->notes->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (report->notes, 0), "read as Windows-1252"));

  people = import_ok (f->store, climbers, FALSE);
  g_assert_cmpuint (people->n_added, ==, 1);
  found = topout_store_find_climbers (f->store, "M-1", FALSE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (topout_climber_get_display_name (g_ptr_array_index (found, 0)), ==, "Anna Müller");
  g_assert_cmpuint (people->notes->len, ==, 1);

  /* A file in UTF-8 says nothing of it. */
  plain = import_ok (f->store, "id,name,grade\nc-4,Café,V1\n", FALSE);
  g_assert_cmpuint (plain->notes->len, ==, 0);

  /* Refused for a line of its own: that line, and the note with it. */
  refused = import_refused (f, bad_line, FALSE);
  g_assert_cmpuint (refused->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (refused, 0), ==, 3);
  g_assert_cmpuint (refused->notes->len, ==, 1);

  /* 0x81 is no character of Windows-1252: one message, the whole file. */
  undefined = import_refused (f, "id,name,grade\r\nc-5,A\x81,V1\r\nc-6,B\x81,V2\r\n", FALSE);
  g_assert_cmpuint (undefined->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (undefined, 0), ==, 0);
  g_assert_nonnull (strstr (problem_message (undefined, 0), "UTF-8"));

  bytes = g_bytes_new (utf16, sizeof utf16 - 1);
  unicode = topout_store_import_bytes (f->store, bytes, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (unicode);
  g_assert_cmpuint (unicode->n_added, ==, 1);
  g_assert_cmpuint (unicode->notes->len, ==, 0);
  assert_climb (f->store, "u-1", "été", "V1", TOPOUT_GRADE_SYSTEM_V_SCALE, NULL, NULL, NULL, FALSE);
}

/* Columns Topout does not read (a membership export's "Phone", a catalog's
 * "Setter", a member code in a catalog) are named in a note, once each;
 * the import goes on. A column without a name is no column to name. */
static void
test_ignored_columns (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (TopoutImportReport) catalog = NULL;
  g_autoptr (TopoutImportReport) climbers = NULL;
  g_autoptr (TopoutImportReport) json = NULL;
  g_autoptr (TopoutImportReport) known = NULL;
  g_autoptr (TopoutImportReport) refused = NULL;

  catalog = import_ok (f->store, "id,name,grade, Setter ,memberCode,\nk-1,Arete,V2,Bo,M-1,\n", FALSE);
  g_assert_cmpuint (catalog->n_added, ==, 1);
  g_assert_cmpuint (catalog->notes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (catalog->notes, 0), ==,
                   "The columns “Setter”, “memberCode” were not imported: Topout does not read them.");

  climbers = import_ok (f->store,
                        "displayName;memberCode;Phone;Membership expiry\n"
                        "Anna Müller;M-1;0123;2027-01-01\n"
                        "Zoë Brand;M-2;;2026-12-31\n",
                        FALSE);
  g_assert_cmpuint (climbers->n_added, ==, 2);
  g_assert_cmpuint (climbers->notes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (climbers->notes, 0), ==,
                   "The columns “Phone”, “Membership expiry” were not imported: Topout does not read them.");

  json = import_ok (f->store,
                    "[{\"id\": \"k-2\", \"name\": \"B\", \"grade\": \"V1\", \"setter\": \"Bo\"},"
                    " {\"id\": \"k-3\", \"name\": \"C\", \"grade\": \"V1\", \"setter\": \"Al\"}]",
                    FALSE);
  g_assert_cmpuint (json->notes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (json->notes, 0), ==, "The key “setter” was not imported: Topout does not read it.");

  known = import_ok (f->store, "id,name,grade,gradeSystem,colour,wall,setOn\nk-4,D,V1,V,red,Main,2026-11-01\n", FALSE);
  g_assert_cmpuint (known->notes->len, ==, 0);

  refused = import_refused (f, "id,name,grade,Setter\nk-5,,V1,Bo\n", FALSE);
  g_assert_cmpuint (problem_line (refused, 0), ==, 2);
  g_assert_cmpuint (refused->notes->len, ==, 1);
}

typedef struct {
  const char *msgid;   /* "context\004text" for C_() */
  const char *msgstr;
} MoEntry;

static int
mo_entry_compare (gconstpointer a,
                  gconstpointer b)
{
  return strcmp (((const MoEntry *) a)->msgid, ((const MoEntry *) b)->msgid);
}

/* Writes @entries as a GNU message catalog at @path: the header, then the
 * tables of (length, offset) of the msgids, sorted, and of the msgstrs,
 * no hash table (gettext searches the sorted msgids). */
static void
write_mo (const char *path,
          MoEntry    *entries,
          guint       n)
{
  g_autoptr (GByteArray) mo = g_byte_array_new ();
  g_autoptr (GError) error = NULL;
  guint32 header[7] = { 0x950412de, 0, n, 28, 28 + 8 * n, 0, 28 + 16 * n };
  guint32 offset = 28 + 16 * n;

  qsort (entries, n, sizeof *entries, mo_entry_compare);
  g_byte_array_append (mo, (const guint8 *) header, sizeof header);
  for (guint table = 0; table < 2; table++)
    for (guint i = 0; i < n; i++)
      {
        const char *text = table == 0 ? entries[i].msgid : entries[i].msgstr;
        guint32 pair[2] = { strlen (text), 0 };

        pair[1] = offset;
        offset += pair[0] + 1;
        g_byte_array_append (mo, (const guint8 *) pair, sizeof pair);
      }
  for (guint table = 0; table < 2; table++)
    for (guint i = 0; i < n; i++)
      {
        const char *text = table == 0 ? entries[i].msgid : entries[i].msgstr;
        g_byte_array_append (mo, (const guint8 *) text, strlen (text) + 1);
      }
  g_file_set_contents (path, (const char *) mo->data, mo->len, &error);
  g_assert_no_error (error);
}

/* The note's list is made of translated pieces, the quotes around each
 * name and what goes between two: French puts « » and a space before
 * ";". Translated by a catalog of those two pieces only, the rest of the
 * note stays English. In C (test_ignored_columns()) the note is as it was. */
static void
test_ignored_columns_translated (Fixture       *f,
                                 gconstpointer  data)
{
  MoEntry entries[] = {
    { "", "Content-Type: text/plain; charset=UTF-8\n" },
    { "list of columns\004, ", " ; " },
    { "list of columns\004“%s”", "«\u00a0%s\u00a0»" },
  };
  g_autofree char *dir = g_dir_make_tmp ("topout-test-mo-XXXXXX", NULL);
  g_autofree char *messages = g_build_filename (dir, "fr", "LC_MESSAGES", NULL);
  g_autofree char *mo = g_build_filename (messages, GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *old_dir = g_strdup (bindtextdomain (GETTEXT_PACKAGE, NULL));
  g_autofree char *old_locale = g_strdup (setlocale (LC_ALL, NULL));
  g_autoptr (TopoutImportReport) catalog = NULL;

  g_assert_cmpint (g_mkdir_with_parents (messages, 0700), ==, 0);
  write_mo (mo, entries, G_N_ELEMENTS (entries));
  if (setlocale (LC_ALL, "fr_FR.UTF-8") == NULL)
    {
      g_test_skip ("the locale fr_FR.UTF-8 is not installed");
      return;
    }
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  catalog = import_ok (f->store, "id,name,grade,Setter,memberCode\nk-1,Arete,V2,Bo,M-1\n", FALSE);

  bindtextdomain (GETTEXT_PACKAGE, old_dir);
  setlocale (LC_ALL, old_locale);
  g_remove (mo);
  g_rmdir (messages);
  g_clear_pointer (&messages, g_free);
  messages = g_build_filename (dir, "fr", NULL);
  g_rmdir (messages);
  g_rmdir (dir);

  g_assert_cmpuint (catalog->notes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (catalog->notes, 0), ==,
                   "The columns «\u00a0Setter\u00a0» ; «\u00a0memberCode\u00a0» were not imported: "
                   "Topout does not read them.");
}

static void
test_reimport (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (TopoutImportReport) first = NULL;
  g_autoptr (TopoutImportReport) second = NULL;
  g_autoptr (TopoutImportReport) third = NULL;
  g_autoptr (TopoutImportReport) fourth = NULL;

  first = import_ok (f->store,
                     "id,name,grade,color\n"
                     "r-1,One,V1,#e01b24\n"
                     "r-2,Two,V2,#3584e4\n"
                     "r-3,Three,V3,#f6d32d\n",
                     FALSE);
  g_assert_cmpuint (first->n_added, ==, 3);

  /* r-1 re-graded, r-2 as it was, r-3 not listed, r-4 new: r-3 stays. */
  topout_test_advance (G_USEC_PER_SEC);
  second = import_ok (f->store,
                      "id,name,grade,color\n"
                      "r-1,One,V2,#e01b24\n"
                      "r-2,Two,V2,#3584e4\n"
                      "r-4,Four,V4,#33d17a\n",
                      FALSE);
  g_assert_cmpuint (second->n_added, ==, 1);
  g_assert_cmpuint (second->n_updated, ==, 1);
  g_assert_cmpuint (second->n_unchanged, ==, 1);
  g_assert_cmpuint (second->n_retired, ==, 0);
  assert_climb (f->store, "r-1", "One", "V2", TOPOUT_GRADE_SYSTEM_V_SCALE, "#e01b24", NULL, NULL, FALSE);
  assert_climb (f->store, "r-3", "Three", "V3", TOPOUT_GRADE_SYSTEM_V_SCALE, "#f6d32d", NULL, NULL, FALSE);
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT updated_at FROM climbs WHERE id = 'r-1'"), ==,
                   topout_test_parse_time (NOW) + G_USEC_PER_SEC);
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT updated_at FROM climbs WHERE id = 'r-2'"), ==,
                   topout_test_parse_time (NOW));

  /* Asked to retire what is missing: r-3 and r-4 go. */
  third = import_ok (f->store,
                     "[{\"id\": \"r-1\", \"name\": \"One\", \"grade\": \"V2\", \"color\": \"#e01b24\"},"
                     " {\"id\": \"r-2\", \"name\": \"Two\", \"grade\": \"V2\", \"color\": \"#3584e4\"}]",
                     TRUE);
  g_assert_cmpuint (third->n_added, ==, 0);
  g_assert_cmpuint (third->n_updated, ==, 0);
  g_assert_cmpuint (third->n_unchanged, ==, 2);
  g_assert_cmpuint (third->n_retired, ==, 2);
  assert_climb (f->store, "r-3", "Three", "V3", TOPOUT_GRADE_SYSTEM_V_SCALE, "#f6d32d", NULL, NULL, TRUE);
  assert_climb (f->store, "r-4", "Four", "V4", TOPOUT_GRADE_SYSTEM_V_SCALE, "#33d17a", NULL, NULL, TRUE);
  assert_climb (f->store, "r-1", "One", "V2", TOPOUT_GRADE_SYSTEM_V_SCALE, "#e01b24", NULL, NULL, FALSE);

  /* A retired climb listed again is back on the wall (an update). */
  fourth = import_ok (f->store, "id,name,grade,color\nr-3,Three,V3,#f6d32d\n", FALSE);
  g_assert_cmpuint (fourth->n_updated, ==, 1);
  g_assert_cmpuint (fourth->n_retired, ==, 0);
  assert_climb (f->store, "r-3", "Three", "V3", TOPOUT_GRADE_SYSTEM_V_SCALE, "#f6d32d", NULL, NULL, FALSE);
  assert_climb (f->store, "r-4", "Four", "V4", TOPOUT_GRADE_SYSTEM_V_SCALE, "#33d17a", NULL, NULL, TRUE);
}

/* Retiring what a file leaves out is asked of a catalog: a climber list
 * imported so is refused, not imported as if nothing had been asked. */
static void
test_retire_missing_climbers_refused (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr (TopoutImportReport) report = import_refused (f, "id,displayName,memberCode\nx-1,Xu,M-0900\n", TRUE);
  TopoutImportProblem *p = g_ptr_array_index (report->problems, 0);

  g_assert_nonnull (strstr (p->message, "climber list"));
  g_assert_nonnull (strstr (p->message, "catalog file"));
}

/* A re-import from a file without a column (a quick sheet of new grades, a
 * column's name mistyped) keeps what the catalog has for it; an empty cell,
 * or null in JSON, clears it. */
static void
test_reimport_keeps_absent_columns (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr (TopoutImportReport) first = NULL;
  g_autoptr (TopoutImportReport) grades = NULL;
  g_autoptr (TopoutImportReport) typo = NULL;
  g_autoptr (TopoutImportReport) cleared = NULL;
  g_autoptr (TopoutImportReport) json = NULL;

  first = import_ok (f->store,
                     "id,name,grade,gradeSystem,colour,wall,setOn\n"
                     "a-1,One,V1,V,#e01b24,Cave,2026-10-01\n"
                     "a-2,Two,6a,FONT,#3584e4,Slab,2026-10-02\n",
                     FALSE);
  g_assert_cmpuint (first->n_added, ==, 2);

  grades = import_ok (f->store, "id,name,grade,gradeSystem\na-1,One,V2,V\na-2,Two,6a,FONT\nn-3,New,V0,V\n", FALSE);
  g_assert_cmpuint (grades->n_added, ==, 1);
  g_assert_cmpuint (grades->n_updated, ==, 1);
  g_assert_cmpuint (grades->n_unchanged, ==, 1);
  assert_climb (f->store, "a-1", "One", "V2", TOPOUT_GRADE_SYSTEM_V_SCALE, "#e01b24", "Cave", "2026-10-01", FALSE);
  assert_climb (f->store, "a-2", "Two", "6a", TOPOUT_GRADE_SYSTEM_FONT, "#3584e4", "Slab", "2026-10-02", FALSE);
  assert_climb (f->store, "n-3", "New", "V0", TOPOUT_GRADE_SYSTEM_V_SCALE, NULL, NULL, NULL, FALSE);

  /* "colr" is no column of ours: the colours stay. */
  typo = import_ok (f->store, "id,name,grade,colr,wall\na-1,One,V2,#ffffff,Cave\n", FALSE);
  g_assert_cmpuint (typo->n_unchanged, ==, 1);
  assert_climb (f->store, "a-1", "One", "V2", TOPOUT_GRADE_SYSTEM_V_SCALE, "#e01b24", "Cave", "2026-10-01", FALSE);

  /* An empty cell is no colour. */
  cleared = import_ok (f->store, "id,name,grade,colour\na-1,One,V2,\n", FALSE);
  g_assert_cmpuint (cleared->n_updated, ==, 1);
  assert_climb (f->store, "a-1", "One", "V2", TOPOUT_GRADE_SYSTEM_V_SCALE, NULL, "Cave", "2026-10-01", FALSE);

  /* JSON: a key left out keeps, null clears. */
  json = import_ok (f->store,
                    "[{\"id\": \"a-2\", \"name\": \"Two\", \"grade\": \"6a+\", \"gradeSystem\": \"FONT\","
                    " \"wall\": null}]",
                    FALSE);
  g_assert_cmpuint (json->n_updated, ==, 1);
  assert_climb (f->store, "a-2", "Two", "6a+", TOPOUT_GRADE_SYSTEM_FONT, "#3584e4", NULL, "2026-10-02", FALSE);
}

static void
test_bad_lines_csv (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (TopoutImportReport) existing = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autofree char *long_grade = g_strnfill (TOPOUT_LIMIT_KEY_MAX + 1, '7');
  g_autofree char *text = NULL;

  existing = import_ok (f->store, "id,name,grade\nold,Old One,V1\n", FALSE);

  text = g_strdup_printf ("id,name,grade,gradeSystem,setOn\n"  /* 1 */
                          "k-1,Good,V1,V,2026-01-02\n"         /* 2 */
                          "k-2,,V2,V,\n"                       /* 3: empty name */
                          "k-3,Fine,6a+,FONT,\n"               /* 4 */
                          "k-4,Long grade,%s,V,\n"             /* 5: grade too long */
                          "k-5,Also fine,V5,,\n"               /* 6 */
                          "k-6,Bad system,V6,EU,2026-13-40\n"  /* 7: grade system and date */
                          "k-7,Last,5.11a,YDS,\n",             /* 8 */
                          long_grade);
  /* With retire_missing too: nothing may be retired either. */
  report = import_refused (f, text, TRUE);
  g_assert_cmpuint (report->problems->len, ==, 3);
  g_assert_cmpuint (problem_line (report, 0), ==, 3);
  g_assert_cmpuint (problem_line (report, 1), ==, 5);
  g_assert_cmpuint (problem_line (report, 2), ==, 7);
  g_assert_nonnull (strstr (problem_message (report, 1), "64"));
  g_assert_nonnull (strstr (problem_message (report, 2), "EU"));
  g_assert_nonnull (strstr (problem_message (report, 2), "2026-13-40"));
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM climbs"), ==, 1);
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT retired FROM climbs WHERE id = 'old'"), ==, 0);
}

/* A grade of another grade system, and a colour no one can show: each line
 * named, nothing written. What route setters write passes: any case, a
 * "+" or "-", a range. */
static void
test_bad_grade_and_colour (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr (TopoutImportReport) ok = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) json = NULL;

  ok = import_ok (f->store,
                  "id,name,grade,gradeSystem,colour\n"
                  "g-1,Vee,v4,,red\n"
                  "g-2,Vee range,V3-V5,V,#e01b24\n"
                  "g-3,Vee bee,VB,V,\"rgb(255,120,0)\"\n"
                  "g-4,Font,6a+,FONT,Blue\n"
                  "g-5,Font caps,7B+,font,\n"
                  "g-6,Font range,6a/6a+,FONT,\n"
                  "g-7,Yds,5.10a,YDS,white\n"
                  "g-8,Yds plus,5.9+,yds,\n",
                  FALSE);
  g_assert_cmpuint (ok->n_added, ==, 8);
  assert_climb (f->store, "g-1", "Vee", "v4", TOPOUT_GRADE_SYSTEM_V_SCALE, "red", NULL, NULL, FALSE);

  report = import_refused (f,
                           "id,name,grade,gradeSystem,colour\n"  /* 1 */
                           "b-1,Good,V4,V,red\n"                 /* 2 */
                           "b-2,Font on V,6a+,V,blue\n"          /* 3: a Font grade, no system */
                           "b-3,V on Font,V4,FONT,blue\n"        /* 4 */
                           "b-4,Font on YDS,6b,YDS,\n"           /* 5 */
                           "b-5,Typo,V4,V,rde\n"                 /* 6: colour */
                           "b-6,German typo,V4,V,rott\n"         /* 7: colour */
                           "b-7,Both,5.10a,V,#zz0000\n",         /* 8: grade and colour */
                           TRUE);
  g_assert_cmpuint (report->problems->len, ==, 6);
  g_assert_cmpuint (problem_line (report, 0), ==, 3);
  g_assert_cmpstr (problem_message (report, 0), ==,
                   "“6a+” is not a V-scale grade (VB, V0 to V17); a Font or YDS grade needs its grade system.");
  g_assert_cmpuint (problem_line (report, 1), ==, 4);
  g_assert_cmpstr (problem_message (report, 1), ==, "“V4” is not a Font grade (such as 5+, 6a or 7B+).");
  g_assert_cmpuint (problem_line (report, 2), ==, 5);
  g_assert_cmpstr (problem_message (report, 2), ==, "“6b” is not a YDS grade (such as 5.9, 5.10a or 5.12d).");
  g_assert_cmpuint (problem_line (report, 3), ==, 6);
  g_assert_cmpstr (problem_message (report, 3), ==,
                   "“rde” is not a colour: give a colour name such as “red”, or a code such as “#e01b24”.");
  g_assert_cmpuint (problem_line (report, 4), ==, 7);
  g_assert_nonnull (strstr (problem_message (report, 4), "“rott”"));
  g_assert_cmpuint (problem_line (report, 5), ==, 8);
  g_assert_nonnull (strstr (problem_message (report, 5), "“5.10a”"));
  g_assert_nonnull (strstr (problem_message (report, 5), "“#zz0000”"));
  /* Nothing retired either, though the file lists none of them. */
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM climbs WHERE retired = 0"), ==, 8);

  /* JSON names the entry. */
  json = import_refused (f, "[{\"id\": \"j-1\", \"name\": \"A\", \"grade\": \"V4\"},\n"
                            " {\"id\": \"j-2\", \"name\": \"B\", \"grade\": \"5.11c\", \"gradeSystem\": \"FONT\"}]",
                         FALSE);
  g_assert_cmpuint (json->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (json, 0), ==, 2);
  g_assert_nonnull (strstr (problem_message (json, 0), "Font"));
}

static void
test_bad_items_json (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  TopoutImportReport *problems = NULL;
  const char *text =
    "{\"climbs\": [\n"
    "  {\"id\": \"j-1\", \"name\": \"Good\", \"grade\": \"V1\"},\n"
    "  {\"id\": \"j-2\", \"name\": 42, \"grade\": \"V2\"},\n"         /* 2: wrong type */
    "  \"not an object\",\n"                                           /* 3 */
    "  {\"id\": \"j-1\", \"name\": \"Again\", \"grade\": \"V4\"},\n"  /* 4: duplicate id */
    "  {\"id\": \"j-5\", \"name\": \"Fine\", \"grade\": \"V5\"}\n"
    "]}";

  report = import_refused (f, text, FALSE);
  g_assert_cmpuint (report->problems->len, ==, 3);
  g_assert_cmpuint (problem_line (report, 0), ==, 2);
  g_assert_cmpuint (problem_line (report, 1), ==, 3);
  g_assert_cmpuint (problem_line (report, 2), ==, 4);
  g_assert_nonnull (strstr (problem_message (report, 0), "name"));
  g_assert_nonnull (strstr (problem_message (report, 2), "j-1"));
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM climbs"), ==, 0);

  /* Without report_out the error still says how many lines are bad. */
  bytes = g_bytes_new_static (text, strlen (text));
  g_assert_null (topout_store_import_bytes (f->store, bytes, FALSE, NULL, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_assert_nonnull (strstr (error->message, "3"));
  g_assert_null (problems);
}

static void
test_duplicate_ids_csv (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (TopoutImportReport) report = NULL;

  report = import_refused (f, "id,name,grade\nd-1,One,V1\nd-2,Two,V2\nd-1,Three,V3\n", FALSE);
  g_assert_cmpuint (report->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (report, 0), ==, 4);
  /* It names the line that used the id first. */
  g_assert_nonnull (strstr (problem_message (report, 0), "2"));
}

static void
test_too_long_name (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (GString) at_limit = g_string_new (NULL);
  g_autoptr (GString) over = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *ok_text = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) ok = NULL;

  /* Characters, not bytes: "é" is two bytes. */
  for (guint i = 0; i < TOPOUT_LIMIT_NAME_MAX; i++)
    g_string_append (at_limit, "é");
  g_string_append (over, at_limit->str);
  g_string_append (over, "x");

  text = g_strdup_printf ("id,name,grade\nn-1,Short,V1\nn-2,%s,V2\nn-3,%s,V3\n", at_limit->str, over->str);
  report = import_refused (f, text, FALSE);
  g_assert_cmpuint (report->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (report, 0), ==, 4);
  g_assert_nonnull (strstr (problem_message (report, 0), "120"));

  /* Climber names too, in JSON. */
  g_clear_pointer (&report, topout_import_report_free);
  g_free (text);
  text = g_strdup_printf ("{\"climbers\": [{\"displayName\": \"Ada\"}, {\"displayName\": \"%s\"}]}", over->str);
  report = import_refused (f, text, FALSE);
  g_assert_cmpuint (report->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (report, 0), ==, 2);

  ok_text = g_strdup_printf ("id,name,grade\nn-2,%s,V2\n", at_limit->str);
  ok = import_ok (f->store, ok_text, FALSE);
  g_assert_cmpuint (ok->n_added, ==, 1);
}

static void
test_deep_nesting (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) inside = NULL;
  gsize depth = 200000;
  char *text = g_malloc (depth + 1);

  memset (text, '[', depth);
  text[depth] = '\0';
  report = import_refused (f, text, FALSE);
  g_assert_cmpuint (report->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (report, 0), ==, 0);
  g_free (text);

  /* Deep inside an otherwise good item; brackets inside strings do not count. */
  inside = import_refused (f,
                           "{\"climbs\": [{\"id\": \"[[[[[[[[[[[[\", \"name\": \"n\", \"grade\": \"V1\","
                           " \"x\": [[[[[[[[[[[[1]]]]]]]]]]]]}]}",
                           FALSE);
  g_assert_cmpuint (inside->problems->len, ==, 1);
}

static void
test_bad_json (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) shape = NULL;
  g_autoptr (TopoutImportReport) empty = NULL;

  report = import_refused (f, "{\"climbs\": [\n  {\"id\": \"x\",\n   \"name\" \"missing colon\"}\n]}", FALSE);
  g_assert_cmpuint (report->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (report, 0), ==, 0);
  /* json-glib's message names the line (3). */
  g_assert_nonnull (strstr (problem_message (report, 0), "3"));

  shape = import_refused (f, "{\"routes\": []}", FALSE);
  g_assert_cmpuint (problem_line (shape, 0), ==, 0);

  empty = import_refused (f, "{\"climbs\": []}", TRUE);
  g_assert_cmpuint (empty->problems->len, ==, 1);
}

/* A strict JSON file with a name json-glib would cut short at an escaped
 * NUL is refused whole, naming the line, rather than imported cut short.
 * A number beyond 64 bits in a field the import ignores stays harmless. */
static void
test_misread_values (Fixture       *f,
                     gconstpointer  data)
{
  static const char ignored_big[] =
    "[{\"id\": \"c-9\", \"name\": \"Slab\", \"grade\": \"V2\", \"rank\": 99999999999999999999}]";
  g_autoptr (TopoutImportReport) nul = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutClimb) slab = NULL;
  g_autoptr (GBytes) big = NULL;
  g_autoptr (GError) error = NULL;

  nul = import_refused (f, "[\n {\"id\": \"c-9\", \"name\": \"Slab\", \"grade\": \"V2\", \"rank\": 99999999999999999999},\n"
                           " {\"id\": \"c-1\", \"name\": \"Crux\\u0000 Left\", \"grade\": \"V4\"}\n]", FALSE);
  g_assert_cmpuint (nul->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (nul, 0), ==, 0);
  g_assert_nonnull (strstr (problem_message (nul, 0), "Line 3 "));

  big = g_bytes_new_static (ignored_big, strlen (ignored_big));
  report = topout_store_import_bytes (f->store, big, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  slab = topout_store_get_climb (f->store, "c-9", NULL);
  g_assert_nonnull (slab);
  g_assert_cmpstr (topout_climb_get_name (slab), ==, "Slab");
}

static void
test_unknown_csv (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) missing = NULL;
  g_autoptr (TopoutImportReport) header_only = NULL;
  g_autoptr (TopoutImportReport) extra = NULL;

  report = import_refused (f, "foo;bar\n1;2\n", FALSE);
  g_assert_cmpuint (problem_line (report, 0), ==, 1);
  missing = import_refused (f, "name,grade\nA,V1\n", FALSE);
  g_assert_cmpuint (problem_line (missing, 0), ==, 1);
  g_assert_nonnull (strstr (problem_message (missing, 0), "id"));
  header_only = import_refused (f, "id,name,grade\n", TRUE);
  g_assert_cmpuint (header_only->problems->len, ==, 1);
  extra = import_refused (f, "id,name,grade\ne-1,A,V1,surplus\ne-2,B,V2,\n", FALSE);
  g_assert_cmpuint (extra->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (extra, 0), ==, 2);
}

/* Climbers ------------------------------------------------------------------ */

static void
test_climbers_by_member_code (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada L.", "M-0001");
  g_autoptr (TopoutClimber) kenji = topout_test_add_climber (f->store, "Kenji", NULL);
  g_autoptr (TopoutClimber) reread = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  text = g_strdup_printf ("member_code,display_name,id\n"
                          "M-0001,Ada Lovelace,\n"                /* by member code */
                          ",Kenji Watanabe,%s\n"                  /* by id, member code kept (none) */
                          "M-0002,Amara Okafor,\n"                /* new, id made here */
                          ",Lucía Fernández,climber-given-id\n",  /* new with its own id */
                          topout_climber_get_id (kenji));
  report = import_ok (f->store, text, FALSE);
  g_assert_cmpuint (report->n_updated, ==, 2);
  g_assert_cmpuint (report->n_added, ==, 2);
  g_assert_cmpuint (report->n_unchanged, ==, 0);

  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM climbers"), ==, 4);
  reread = topout_store_get_climber (f->store, topout_climber_get_id (ada), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_climber_get_display_name (reread), ==, "Ada Lovelace");
  g_assert_cmpstr (topout_climber_get_member_code (reread), ==, "M-0001");
  g_clear_object (&reread);
  reread = topout_store_get_climber (f->store, topout_climber_get_id (kenji), &error);
  g_assert_cmpstr (topout_climber_get_display_name (reread), ==, "Kenji Watanabe");
  g_assert_null (topout_climber_get_member_code (reread));
  g_clear_object (&reread);
  reread = topout_store_get_climber (f->store, "climber-given-id", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_climber_get_display_name (reread), ==, "Lucía Fernández");
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT length (id) FROM climbers WHERE member_code = 'M-0002'"), ==, 36);

  /* The same file again changes nothing. */
  again = import_ok (f->store, text, FALSE);
  g_assert_cmpuint (again->n_unchanged, ==, 4);
  g_assert_cmpuint (again->n_added, ==, 0);
  g_assert_cmpuint (again->n_updated, ==, 0);

  /* A code in another case is the same climber, not a new one. */
  {
    g_autoptr (TopoutImportReport) lower = import_ok (f->store, "member_code,display_name\nm-0001,Ada King\n", FALSE);

    g_assert_cmpuint (lower->n_added, ==, 0);
    g_assert_cmpuint (lower->n_updated, ==, 1);
    g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM climbers"), ==, 4);
  }
}

/* A climber list from another device: its id for member M-0001 is not the
 * one here. The code is the person (SPEC §2): the line updates the climber
 * here (a climber list is a roster, its names are meant to be applied), no
 * second climber, no refusal; as the session import matches its climbers. */
/* A gym's membership export: "First name" and "Last name" (any case and
 * spacing) make the name, "Member #" or "Member number" the member code;
 * a list with "Name" alone is a climber list. "id" and "Name" with nothing
 * else might be a catalog without grades: refused, the message naming the
 * headers a climber list has. */
static void
test_membership_headers (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr (TopoutImportReport) first_last = NULL;
  g_autoptr (TopoutImportReport) name_code = NULL;
  g_autoptr (TopoutImportReport) name_only = NULL;
  g_autoptr (TopoutImportReport) json = NULL;
  g_autoptr (TopoutImportReport) ambiguous = NULL;
  g_autoptr (TopoutImportReport) no_name = NULL;
  g_autoptr (TopoutImportReport) empty = NULL;
  g_autoptr (GPtrArray) found = NULL;

  first_last = import_ok (f->store,
                          "FIRST_NAME, last name ,Member #,Email\r\n"
                          "Anna,Müller,M-1,a@example.org\r\n"
                          ",Solo,M-2,\r\n",
                          FALSE);
  g_assert_cmpuint (first_last->n_added, ==, 2);
  found = topout_store_find_climbers (f->store, "M-1", FALSE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (topout_climber_get_display_name (g_ptr_array_index (found, 0)), ==, "Anna Müller");
  g_clear_pointer (&found, g_ptr_array_unref);
  found = topout_store_find_climbers (f->store, "M-2", FALSE, 0);
  g_assert_cmpstr (topout_climber_get_display_name (g_ptr_array_index (found, 0)), ==, "Solo");
  g_clear_pointer (&found, g_ptr_array_unref);
  g_assert_cmpuint (first_last->notes->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (first_last->notes, 0), "“Email”"));

  /* "Name" with a member number: the same climber, renamed. */
  name_code = import_ok (f->store, "Name;Member number\nAnna Müller-Berg;M-1\nZoë Brand;M-3\n", FALSE);
  g_assert_cmpuint (name_code->n_added, ==, 1);
  g_assert_cmpuint (name_code->n_updated, ==, 1);
  g_assert_cmpuint (name_code->notes->len, ==, 0);
  found = topout_store_find_climbers (f->store, "M-1", FALSE, 0);
  g_assert_cmpstr (topout_climber_get_display_name (g_ptr_array_index (found, 0)), ==, "Anna Müller-Berg");
  g_clear_pointer (&found, g_ptr_array_unref);

  name_only = import_ok (f->store, "Name\nBo Kim\n", FALSE);
  g_assert_cmpuint (name_only->n_added, ==, 1);

  json = import_ok (f->store, "{\"climbers\": [{\"firstName\": \"Ada\", \"surname\": \"Lovelace\", \"memberNo\": \"M-4\"}]}",
                    FALSE);
  g_assert_cmpuint (json->n_added, ==, 1);
  found = topout_store_find_climbers (f->store, "M-4", FALSE, 0);
  g_assert_cmpstr (topout_climber_get_display_name (g_ptr_array_index (found, 0)), ==, "Ada Lovelace");

  ambiguous = import_refused (f, "id,name\nc-1,Arete\n", FALSE);
  g_assert_cmpuint (ambiguous->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (ambiguous, 0), ==, 1);
  g_assert_nonnull (strstr (problem_message (ambiguous, 0), "“First name” and “Last name”"));
  no_name = import_refused (f, "Member #,Phone\nM-9,0123\n", FALSE);
  g_assert_cmpuint (problem_line (no_name, 0), ==, 1);

  /* An empty name cell: that line, whatever the columns. */
  empty = import_refused (f, "First name,Last name,Member #\nCy,,M-5\n,,M-6\n", FALSE);
  g_assert_cmpuint (empty->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (empty, 0), ==, 3);
}

/* A German or French gym's membership export and route-setting sheet,
 * read whatever the UI's language: "Vorname;Nachname;Mitgliedsnummer" in
 * Windows-1252 (as Excel saves it in Germany), "Prénom;Nom;N° adhérent"
 * in UTF-8 with a BOM ("Nom" beside "Prénom" the family name), a sheet's
 * "Grad", "Farbe" and "Wand" ("Sektor" noted as not read). "id;Nom"
 * alone stays refused, as "id,name". */
static void
test_german_french_headers (Fixture       *f,
                            gconstpointer  data)
{
  static const char german[] = "Vorname;Nachname;Mitgliedsnummer;Geburtsdatum\r\n"
                               "J\xFCrgen;Wei\xDF;10042;01.02.1990\r\n"
                               "Anna;M\xFCller;10043;\r\n";
  static const char french[] = "\xEF\xBB\xBFPr\xC3\xA9nom;Nom;N\xC2\xB0 adh\xC3\xA9rent;T\xC3\xA9l\xC3\xA9phone\r\n"
                               "Am\xC3\xA9lie;Poulain;A-77;06 12 34 56 78\r\n"
                               "J\xC3\xBCrgen;Wei\xC3\x9F-Durand;10042;\r\n";
  static const char french_codes[] = "Nom;Num\xC3\xA9ro de membre\nZo\xC3\xA9 Brand;A-78\n";
  static const char sheet[] = "ID;Name;Grad;Farbe;Wand;Sektor\r\n"
                              "w-1;Plattenkante;V3;rot;\xDC" "berhang;Nord\r\n";
  static const char fiche[] = "id;Nom;Cotation;Secteur\nf-1;La Dalle;V2;Sud\n";
  g_autoptr (TopoutImportReport) de = NULL;
  g_autoptr (TopoutImportReport) fr = NULL;
  g_autoptr (TopoutImportReport) codes = NULL;
  g_autoptr (TopoutImportReport) de_sheet = NULL;
  g_autoptr (TopoutImportReport) fr_sheet = NULL;
  g_autoptr (TopoutImportReport) ambiguous = NULL;
  g_autoptr (GPtrArray) found = NULL;

  de = import_ok (f->store, german, FALSE);
  g_assert_cmpuint (de->n_added, ==, 2);
  found = topout_store_find_climbers (f->store, "10042", FALSE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (topout_climber_get_display_name (g_ptr_array_index (found, 0)), ==, "Jürgen Weiß");
  g_clear_pointer (&found, g_ptr_array_unref);
  /* Windows-1252, and the birth date not read. */
  g_assert_cmpuint (de->notes->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (de->notes, 1), "“Geburtsdatum”"));

  fr = import_ok (f->store, french, FALSE);
  g_assert_cmpuint (fr->n_added, ==, 1);
  g_assert_cmpuint (fr->n_updated, ==, 1);
  found = topout_store_find_climbers (f->store, "A-77", FALSE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (topout_climber_get_display_name (g_ptr_array_index (found, 0)), ==, "Amélie Poulain");
  g_clear_pointer (&found, g_ptr_array_unref);
  found = topout_store_find_climbers (f->store, "10042", FALSE, 0);
  g_assert_cmpstr (topout_climber_get_display_name (g_ptr_array_index (found, 0)), ==, "Jürgen Weiß-Durand");
  g_clear_pointer (&found, g_ptr_array_unref);
  g_assert_cmpuint (fr->notes->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (fr->notes, 0), "“Téléphone”"));

  codes = import_ok (f->store, french_codes, FALSE);
  g_assert_cmpuint (codes->n_added, ==, 1);
  found = topout_store_find_climbers (f->store, "A-78", FALSE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (topout_climber_get_display_name (g_ptr_array_index (found, 0)), ==, "Zoé Brand");

  de_sheet = import_ok (f->store, sheet, FALSE);
  g_assert_cmpuint (de_sheet->n_added, ==, 1);
  assert_climb (f->store, "w-1", "Plattenkante", "V3", TOPOUT_GRADE_SYSTEM_V_SCALE, "red", "Überhang", NULL, FALSE);
  g_assert_cmpuint (de_sheet->notes->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (de_sheet->notes, 1), "column “Sektor” was"));

  fr_sheet = import_ok (f->store, fiche, FALSE);
  g_assert_cmpuint (fr_sheet->n_added, ==, 1);
  assert_climb (f->store, "f-1", "La Dalle", "V2", TOPOUT_GRADE_SYSTEM_V_SCALE, NULL, NULL, NULL, FALSE);

  ambiguous = import_refused (f, "id;Nom\nc-1;Arete\n", FALSE);
  g_assert_cmpuint (problem_line (ambiguous, 0), ==, 1);
  g_assert_nonnull (strstr (problem_message (ambiguous, 0), "“First name” and “Last name”"));
}

/* A catalog's id under the names German and French sheets give it: an
 * identifier ("Kennung", "Identifiant") as "id" is; a number or reference
 * ("Nr.", "Nummer", "N°", "Numéro", "Réf.", "Référence") only in a
 * catalog without an "id" column. In a member list such a number may be the
 * member number: it is noted as not read, never taken as the climber's id
 * (an "Identifiant" is). "Nr.;Name" alone is neither file. */
static void
test_german_french_ids (Fixture       *f,
                        gconstpointer  data)
{
  static const struct {
    const char *text;
    const char *id;
  } catalogs[] = {
    { "Nr.;Name;Grad;Farbe\r\n1;Kante;V3;rot\r\n", "1" },
    { "Nummer;Name;Grad\r\nN-2;Riss;V4\r\n", "N-2" },
    { "Kennung;Name;Grad\r\nK-3;Dach;V5\r\n", "K-3" },
    { "N\xC2\xB0;Nom;Cotation\n4;Dalle;V1\n", "4" },
    { "Num\xC3\xA9ro;Nom;Cotation\n5;Toit;V2\n", "5" },
    { "R\xC3\xA9" "f.;Nom;Cotation;Couleur\nR-6;Bac;VB;bleu\n", "R-6" },
    { "R\xC3\xA9" "f\xC3\xA9rence;Nom;Cotation\nR-7;Plat;V6\n", "R-7" },
    { "Identifiant;Nom;Cotation\nI-8;Mono;V7\n", "I-8" },
    { "[{\"Nr.\": \"J-9\", \"Name\": \"Leiste\", \"Grad\": \"V2\"}]", "J-9" },
  };
  g_autoptr (TopoutImportReport) both = NULL;
  g_autoptr (TopoutImportReport) members = NULL;
  g_autoptr (TopoutImportReport) adherents = NULL;
  g_autoptr (TopoutImportReport) identified = NULL;
  g_autoptr (GPtrArray) found = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (catalogs); i++)
    {
      g_autoptr (TopoutImportReport) report = import_ok (f->store, catalogs[i].text, FALSE);
      g_autoptr (TopoutClimb) climb = topout_store_get_climb (f->store, catalogs[i].id, NULL);

      g_test_message ("%s", catalogs[i].text);
      g_assert_cmpuint (report->n_added, ==, 1);
      g_assert_cmpuint (report->notes->len, ==, 0);
      g_assert_nonnull (climb);
    }
  assert_climb (f->store, "R-6", "Bac", "VB", TOPOUT_GRADE_SYSTEM_V_SCALE, "blue", NULL, NULL, FALSE);

  /* With an "id", the number is another column, not read. */
  both = import_ok (f->store, "ID;Nr.;Name;Grad\r\nw-10;17;Verschneidung;V3\r\n", FALSE);
  g_assert_cmpuint (both->n_added, ==, 1);
  g_assert_cmpuint (both->notes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (both->notes, 0), ==, "The column “Nr.” was not imported: Topout does not read it.");
  g_assert_null (topout_store_get_climb (f->store, "17", NULL));

  /* A member list's number is not its climbers' id. */
  members = import_ok (f->store, "Nr.;Vorname;Nachname;Mitgliedsnummer\r\n1;Anna;M\xC3\xBCller;10042\r\n", FALSE);
  g_assert_cmpuint (members->n_added, ==, 1);
  g_assert_cmpuint (members->notes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (members->notes, 0), ==, "The column “Nr.” was not imported: Topout does not read it.");
  found = topout_store_find_climbers (f->store, "10042", FALSE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (topout_climber_get_id (g_ptr_array_index (found, 0)), !=, "1");
  g_clear_pointer (&found, g_ptr_array_unref);

  adherents = import_ok (f->store, "N\xC2\xB0;Pr\xC3\xA9nom;Nom;N\xC2\xB0 adh\xC3\xA9rent\n2;Zo\xC3\xA9;Brand;A-1\n", FALSE);
  g_assert_cmpuint (adherents->n_added, ==, 1);
  g_assert_cmpuint (adherents->notes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (adherents->notes, 0), ==, "The column “N°” was not imported: Topout does not read it.");

  identified = import_ok (f->store, "Identifiant;Pr\xC3\xA9nom;Nom;N\xC2\xB0 adh\xC3\xA9rent\nu-3;Am\xC3\xA9lie;Poulain;A-2\n", FALSE);
  g_assert_cmpuint (identified->n_added, ==, 1);
  found = topout_store_find_climbers (f->store, "A-2", FALSE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (topout_climber_get_id (g_ptr_array_index (found, 0)), ==, "u-3");

  /* An empty number is named as the sheet spells it. */
  assert_refused_once (f, "Nr.;Name;Grad\r\n;Kante;V3\r\n", 2, "“Nr.” is empty.");
  assert_refused_once (f, "Nr.;Name\r\n1;Kante\r\n", 1, NULL);
}

/* A JSON list is read item by item: each item's keys in any accepted
 * spelling, its messages naming its own key. All or nothing: a climb in a
 * climber list (or a climber in a catalog) refuses the whole file, naming
 * the entry and the key that tells; one field under two spellings in one
 * item is that item's problem. The kind is told by the first item that is
 * a climb or a climber for sure, not by the first item alone. */
static void
test_json_mixed_items (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (TopoutImportReport) spellings = NULL;
  g_autoptr (GPtrArray) found = NULL;

  spellings = import_ok (f->store,
                         "[{\"displayName\": \"Bo Berg\", \"memberCode\": \"M-1\"},\n"
                         " {\"display_name\": \"Al Alp\", \"member_code\": \"M-2\"},\n"
                         " {\"Vorname\": \"Jo\", \"Nachname\": \"Wei\xC3\x9F\", \"Mitgliedsnummer\": \"M-3\"}]",
                         FALSE);
  g_assert_cmpuint (spellings->n_added, ==, 3);
  g_assert_cmpuint (spellings->notes->len, ==, 0);
  found = topout_store_find_climbers (f->store, "M-2", FALSE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (topout_climber_get_display_name (g_ptr_array_index (found, 0)), ==, "Al Alp");
  g_clear_pointer (&found, g_ptr_array_unref);
  found = topout_store_find_climbers (f->store, "M-3", FALSE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (topout_climber_get_display_name (g_ptr_array_index (found, 0)), ==, "Jo Weiß");

  assert_refused_once (f,
                       "[{\"name\": \"Cy Crag\", \"memberCode\": \"M-4\"},\n"
                       " {\"id\": \"c-1\", \"name\": \"Arete\", \"grade\": \"V3\"}]",
                       0,
                       "Entry 2 is a climb (it has “grade”), but the file lists climbers: "
                       "import climbs and climbers as two files.");
  assert_refused_once (f,
                       "{\"climbs\": [{\"id\": \"c-1\", \"name\": \"Arete\", \"grade\": \"V3\"},\n"
                       "            {\"id\": \"c-2\", \"name\": \"Roof\", \"grade\": \"V5\"},\n"
                       "            {\"member_code\": \"M-5\", \"name\": \"Di Dyno\"}]}",
                       0,
                       "Entry 3 is a climber (it has “member_code”), but the file lists climbs: "
                       "import climbs and climbers as two files.");
  assert_refused_once (f,
                       "[{\"name\": \"Ed Edge\", \"memberCode\": \"M-6\"},\n"
                       " {\"name\": \"Flo Flake\", \"memberCode\": \"M-7\", \"member_code\": \"M-8\"}]",
                       2, "“memberCode” and “member_code” are the same field: keep one of them.");
  assert_refused_once (f,
                       "[{\"displayName\": \"Gus Gully\", \"memberCode\": \"M-9\"},\n"
                       " {\"display_name\": \" \", \"member_code\": \"M-10\"}]",
                       2, "“display_name” is empty.");
  /* The first item has no grade: the second tells a catalog, and the
   * first is refused on its own line (it was "neither a catalog nor…"). */
  assert_refused_once (f,
                       "[{\"id\": \"k-1\", \"name\": \"Kante\"},\n"
                       " {\"id\": \"k-2\", \"name\": \"Riss\", \"grade\": \"V2\"}]",
                       1, NULL);
}

/* A German or French sheet's colours ("Farbe", "Couleur") are the colours
 * the English words give, as gyms type them: any case, with or without
 * accents, "ß" or "ss"; a French "violet" is purple, an English one stays
 * CSS violet. A German word in an English column is read too. A value that
 * is no colour gets the message an English column gives, on its line. */
static void
test_german_french_colours (Fixture       *f,
                            gconstpointer  data)
{
  static const struct {
    const char *id;
    const char *color;
  } expected[] = {
    { "d-1", "red" }, { "d-2", "yellow" }, { "d-3", "black" }, { "d-4", "white" }, { "d-5", "white" },
    { "d-6", "green" }, { "d-7", "purple" }, { "d-8", "pink" }, { "d-9", "grey" }, { "d-10", "brown" },
    { "d-11", "Orange" }, { "d-12", "blue" }, { "d-13", "#e01b24" }, { "d-14", NULL },
    { "f-1", "red" }, { "f-2", "yellow" }, { "f-3", "black" }, { "f-4", "blue" }, { "f-5", "green" },
    { "f-6", "white" }, { "f-7", "purple" }, { "f-8", "orange" }, { "f-9", "pink" }, { "f-10", "grey" },
    { "f-11", "brown" }, { "f-12", "lightblue" }, { "f-13", "white" },
    { "e-1", "violet" }, { "e-2", "red" }, { "e-3", "Blue" }, { "j-1", "yellow" }, { "j-2", "green" },
  };
  static const char german[] = "ID;Name;Grad;Farbe;Wand\r\n"
                               "d-1;Kante;V3;rot;Nord\r\n"
                               "d-2;Riss;V4;Gelb;Nord\r\n"
                               "d-3;Dach;V5;SCHWARZ;Nord\r\n"
                               "d-4;Platte;V1;Wei\xC3\x9F;Nord\r\n"
                               "d-5;Platte 2;V1;weiss;Nord\r\n"
                               "d-6;Leiste;V2;Gr\xC3\xBCn;Nord\r\n"
                               "d-7;Sloper;V6;lila;Nord\r\n"
                               "d-8;Henkel;VB;Rosa;Nord\r\n"
                               "d-9;Grat;V2;grau;Nord\r\n"
                               "d-10;Verschneidung;V3;braun;Nord\r\n"
                               "d-11;Orange;V3;Orange;Nord\r\n"
                               "d-12;Blau;V3;blau;Nord\r\n"
                               "d-13;Code;V3;#e01b24;Nord\r\n"
                               "d-14;Keine;V3;;Nord\r\n";
  static const char french[] = "id;Nom;Cotation;Couleur\n"
                               "f-1;Dalle;V1;rouge\n"
                               "f-2;Fissure;V2;Jaune\n"
                               "f-3;Toit;V5;NOIR\n"
                               "f-4;Arête;V3;bleu\n"
                               "f-5;Réglette;V2;vert\n"
                               "f-6;Bac;VB;blanc\n"
                               "f-7;Plat;V6;violet\n"
                               "f-8;Dièdre;V3;orange\n"
                               "f-9;Pince;V4;rose\n"
                               "f-10;Mono;V7;gris\n"
                               "f-11;Dévers;V4;marron\n"
                               "f-12;Ciel;V2;Bleu clair\n"
                               "f-13;Neige;V0;Blanche\n";
  g_autoptr (TopoutImportReport) de = NULL;
  g_autoptr (TopoutImportReport) fr = NULL;
  g_autoptr (TopoutImportReport) en = NULL;
  g_autoptr (TopoutImportReport) json = NULL;

  de = import_ok (f->store, german, FALSE);
  g_assert_cmpuint (de->n_added, ==, 14);
  g_assert_cmpuint (de->notes->len, ==, 0);
  fr = import_ok (f->store, french, FALSE);
  g_assert_cmpuint (fr->n_added, ==, 13);
  g_assert_cmpuint (fr->notes->len, ==, 0);
  en = import_ok (f->store, "id,name,grade,colour\ne-1,Violet,V1,violet\ne-2,Rot,V1,rot\ne-3,Blue,V1,Blue\n", FALSE);
  g_assert_cmpuint (en->n_added, ==, 3);
  json = import_ok (f->store,
                    "[{\"id\": \"j-1\", \"name\": \"A\", \"grade\": \"V1\", \"farbe\": \"GELB\"},"
                    " {\"id\": \"j-2\", \"name\": \"B\", \"grade\": \"V1\", \"couleur\": \"verte\"}]",
                    FALSE);
  g_assert_cmpuint (json->n_added, ==, 2);
  g_assert_cmpuint (json->notes->len, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TopoutClimb) climb = topout_store_get_climb (f->store, expected[i].id, &error);

      g_assert_no_error (error);
      g_assert_nonnull (climb);
      g_test_message ("%s: %s", expected[i].id, topout_climb_get_color (climb));
      g_assert_cmpstr (topout_climb_get_color (climb), ==, expected[i].color);
    }

  assert_refused_once (f, "ID;Name;Grad;Farbe\nb-1;Gut;V1;rot\nb-2;Schlecht;V1;rotgelb\n", 3,
                       "“rotgelb” is not a colour: give a colour name such as “red”, or a code such as “#e01b24”.");
  assert_refused_once (f, "id;Nom;Cotation;Couleur\nb-3;Bien;V1;rouge\nb-4;Mal;V1;rougeâtre\n", 3,
                       "“rougeâtre” is not a colour: give a colour name such as “red”, or a code such as “#e01b24”.");
}

/* A line's message names the column as the file spells it, in whatever
 * language: "“Vorname” and “Nachname” are empty.", "“Grad” is empty.",
 * "“Mitgliedsnummer” is too long…"; a JSON key likewise. */
static void
test_messages_name_columns (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr (GString) long_name = g_string_new ("Nom;N\xC2\xB0 adh\xC3\xA9rent\n");
  g_autoptr (TopoutImportReport) both = NULL;
  g_autoptr (TopoutImportReport) first = NULL;
  g_autoptr (TopoutImportReport) grade = NULL;
  g_autoptr (TopoutImportReport) too_long = NULL;
  g_autoptr (TopoutImportReport) code = NULL;
  g_autoptr (TopoutImportReport) json = NULL;
  g_autoptr (GString) long_code = g_string_new ("Vorname;Name;Mitgliedsnummer\r\nAnna;M\xC3\xBCller;");

  both = import_refused (f, "Vorname;Nachname;Mitgliedsnummer\r\nAnna;M\xFCller;1\r\n;;2\r\n", FALSE);
  g_assert_cmpuint (both->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (both, 0), ==, 3);
  g_assert_cmpstr (problem_message (both, 0), ==, "“Vorname” and “Nachname” are empty.");

  first = import_refused (f, "Vorname;Mitgliedsnummer\n;2\n", FALSE);
  g_assert_cmpstr (problem_message (first, 0), ==, "“Vorname” is empty.");

  grade = import_refused (f, "ID;Name;Grad;Wand\nw-1;Kante;;Nord\n", FALSE);
  g_assert_cmpuint (problem_line (grade, 0), ==, 2);
  g_assert_cmpstr (problem_message (grade, 0), ==, "“Grad” is empty.");

  for (guint i = 0; i <= TOPOUT_LIMIT_NAME_MAX; i++)
    g_string_append (long_name, "\xC3\xA9");
  g_string_append (long_name, ";A-1\n");
  too_long = import_refused (f, long_name->str, FALSE);
  g_assert_cmpstr (problem_message (too_long, 0), ==, "“Nom” is too long: at most 120 characters.");

  for (guint i = 0; i <= TOPOUT_LIMIT_KEY_MAX; i++)
    g_string_append_c (long_code, '7');
  g_string_append (long_code, "\r\n");
  code = import_refused (f, long_code->str, FALSE);
  g_assert_cmpstr (problem_message (code, 0), ==, "“Mitgliedsnummer” is too long: at most 64 characters.");

  json = import_refused (f, "[{\"name\": \"Bo\", \"memberCode\": \"M-1\"}, {\"name\": \" \", \"memberCode\": \"M-2\"}]", FALSE);
  g_assert_cmpuint (problem_line (json, 0), ==, 2);
  g_assert_cmpstr (problem_message (json, 0), ==, "“name” is empty.");
}

/* A gym's whole member list, 10,000 lines, imported and imported again
 * (as each month): matched by member code whatever its case, one renamed,
 * one new, the rest unchanged. */
static void
test_large_member_list (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (GString) list = g_string_new ("First name;Last name;Member #\r\n");
  g_autoptr (GString) again = g_string_new ("name,memberCode\n");
  g_autoptr (TopoutImportReport) first = NULL;
  g_autoptr (TopoutImportReport) second = NULL;
  g_autoptr (GPtrArray) found = NULL;

  for (guint i = 0; i < 10000; i++)
    {
      g_string_append_printf (list, "Zoë %u;Müller;M-%05u\r\n", i, i);
      if (i == 17)
        g_string_append_printf (again, "Zoë Brand,m-%05u\n", i);
      else
        g_string_append_printf (again, "Zoë %u Müller,M-%05u\n", i, i);
    }
  g_string_append (again, "New Member,M-10000\n");

  first = import_ok (f->store, list->str, FALSE);
  g_assert_cmpuint (first->n_added, ==, 10000);
  second = import_ok (f->store, again->str, FALSE);
  g_assert_cmpuint (second->n_added, ==, 1);
  g_assert_cmpuint (second->n_updated, ==, 1);
  g_assert_cmpuint (second->n_unchanged, ==, 9999);
  found = topout_store_find_climbers (f->store, "M-00017", FALSE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (topout_climber_get_display_name (g_ptr_array_index (found, 0)), ==, "Zoë Brand");
  g_assert_cmpstr (topout_climber_get_member_code (g_ptr_array_index (found, 0)), ==, "m-00017");
}

static void
test_climbers_other_device_id (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada L.", "M-0001");
  g_autoptr (TopoutClimber) reread = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (GError) error = NULL;

  report = import_ok (f->store, "id,member_code,display_name\n"
                                "5f0c2b7e-0000-4000-8000-000000000001,m-0001,Ada Lovelace\n", FALSE);
  g_assert_cmpuint (report->n_added, ==, 0);
  g_assert_cmpuint (report->n_updated, ==, 1);
  g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM climbers"), ==, 1);
  reread = topout_store_get_climber (f->store, topout_climber_get_id (ada), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (topout_climber_get_display_name (reread), ==, "Ada Lovelace");
}

static void
test_climber_conflicts (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada", "M-0001");
  g_autoptr (TopoutClimber) ben = topout_test_add_climber (f->store, "Ben", "M-0002");
  g_autoptr (TopoutClimber) cleo = topout_test_add_climber (f->store, "Cleo", "M-0003");
  g_autoptr (TopoutImportReport) report = NULL;
  g_autofree char *text = NULL;

  text = g_strdup_printf ("[{\"id\": \"%s\", \"memberCode\": \"M-0003\", \"displayName\": \"Ada\"},\n"  /* Cleo's code */
                          " {\"memberCode\": \"M-0009\", \"displayName\": \"Dora\"},\n"
                          " {\"memberCode\": \"M-0009\", \"displayName\": \"Dora again\"},\n"          /* twice */
                          " {\"id\": \"%s\", \"displayName\": \"Ben B.\"},\n"
                          " {\"memberCode\": \"M-0002\", \"displayName\": \"Ben again\"}]",            /* Ben twice */
                          topout_climber_get_id (ada), topout_climber_get_id (ben));
  report = import_refused (f, text, FALSE);
  g_assert_cmpuint (report->problems->len, ==, 3);
  g_assert_cmpuint (problem_line (report, 0), ==, 1);
  g_assert_cmpuint (problem_line (report, 1), ==, 3);
  g_assert_cmpuint (problem_line (report, 2), ==, 5);
  g_assert_nonnull (strstr (problem_message (report, 0), "Cleo"));
  g_assert_nonnull (strstr (problem_message (report, 2), "4"));
  (void) cleo;

  /* One code in two cases on two lines is one card twice, not two climbers
   * (they could not be edited afterwards: each code "belonged" to the other). */
  {
    g_autoptr (TopoutImportReport) cases = import_refused (f, "member_code,display_name\n"
                                                              "M-0100,Ana New\n"
                                                              "m-0100,Bob New\n", FALSE);

    g_assert_cmpuint (cases->problems->len, ==, 1);
    g_assert_cmpuint (problem_line (cases, 0), ==, 3);
    g_assert_nonnull (strstr (problem_message (cases, 0), "line 2"));
    g_assert_cmpint (topout_test_query_int (f->path, "SELECT count (*) FROM climbers"), ==, 3);
  }
}

static void
count_reset (guint *resets)
{
  (*resets)++;
}

/* The history shows climber names: renaming climbers resets it. */
static void
test_history_reset (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (TopoutClimber) ada = topout_test_add_climber (f->store, "Ada", "M-0001");
  g_autoptr (TopoutImportReport) same = NULL;
  g_autoptr (TopoutImportReport) renamed = NULL;
  g_autoptr (TopoutSession) s = topout_test_start (f->store, topout_climber_get_id (ada), TOPOUT_SESSION_TYPE_FUN);
  g_autoptr (TopoutSession) after = NULL;
  guint resets = 0;

  g_autofree char *id = g_strdup (topout_session_get_id (s));

  g_assert_true (topout_store_end_session (f->store, id, NULL));
  g_clear_object (&s);
  s = topout_store_get_session (f->store, id, NULL);
  g_signal_connect_swapped (f->store, "sessions-reset", G_CALLBACK (count_reset), &resets);
  same = import_ok (f->store, "memberCode,displayName\nM-0001,Ada\n", FALSE);
  g_assert_cmpuint (same->n_unchanged, ==, 1);
  g_assert_cmpuint (resets, ==, 0);
  renamed = import_ok (f->store, "memberCode,displayName\nM-0001,Ada Lovelace\n", FALSE);
  g_assert_cmpuint (renamed->n_updated, ==, 1);
  g_assert_cmpuint (resets, ==, 1);
  /* Her session carries her name to the server: it goes again. */
  after = topout_store_get_session (f->store, topout_session_get_id (s), NULL);
  g_assert_cmpint (topout_session_get_revision (after), ==, topout_session_get_revision (s) + 1);
  g_assert_cmpint (topout_session_get_sync_state (after), ==, TOPOUT_SYNC_STATE_PENDING);
  g_signal_handlers_disconnect_by_data (f->store, &resets);
}

/* Files ----------------------------------------------------------------------- */

static void
test_file (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *path = topout_test_path ("catalog.csv");
  g_autofree char *big_path = topout_test_path ("huge.json");
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFile) big = NULL;
  g_autoptr (GFile) missing = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TopoutImportReport) report = NULL;
  g_autoptr (TopoutImportReport) problems = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  int fd;

  g_assert_true (g_file_set_contents (path, "id,name,grade\nf-1,From a file,V2\nf-2,,V3\n", -1, NULL));
  file = g_file_new_for_path (path);
  g_assert_null (topout_store_import_file (f->store, file, FALSE, &problems, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_assert_nonnull (strstr (error->message, "catalog.csv"));
  g_assert_cmpuint (problems->problems->len, ==, 1);
  g_assert_cmpuint (problem_line (problems, 0), ==, 3);
  g_clear_error (&error);
  g_clear_pointer (&problems, topout_import_report_free);

  g_assert_true (g_file_set_contents (path, "id,name,grade\nf-1,From a file,V2\n", -1, NULL));
  report = topout_store_import_file (f->store, file, FALSE, &problems, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_null (problems);
  g_assert_cmpuint (report->n_added, ==, 1);

  /* Over 64 MiB: refused before it is read (a sparse file, so it is quick). */
  fd = g_open (big_path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 65 * 1024 * 1024), ==, 0);
  g_close (fd, NULL);
  big = g_file_new_for_path (big_path);
  before = topout_test_dump_db (f->path);
  g_assert_null (topout_store_import_file (f->store, big, FALSE, &problems, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_assert_nonnull (strstr (error->message, "huge.json"));
  g_assert_nonnull (problems);
  g_assert_cmpuint (problem_line (problems, 0), ==, 0);
  after = topout_test_dump_db (f->path);
  g_assert_cmpstr (before, ==, after);
  g_clear_error (&error);
  g_clear_pointer (&problems, topout_import_report_free);

  missing = g_file_new_for_path ("/nonexistent/topout/catalog.json");
  g_assert_null (topout_store_import_file (f->store, missing, FALSE, &problems, &error));
  g_assert_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_IMPORT);
  g_assert_null (problems);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/import/catalog/json", test_json_catalog);
  ADD ("/import/catalog/json-bare-array", test_json_bare_array);
  ADD ("/import/catalog/csv", test_csv_catalog);
  ADD ("/import/catalog/csv-quoting", test_csv_quoting_ok);
  ADD ("/import/catalog/csv-semicolons-and-tabs", test_csv_semicolons_and_tabs);
  ADD ("/import/catalog/csv-line-numbers", test_csv_line_numbers);
  ADD ("/import/catalog/bom", test_bom);
  ADD ("/import/catalog/windows-1252", test_windows_1252);
  ADD ("/import/catalog/ignored-columns", test_ignored_columns);
  ADD ("/import/catalog/ignored-columns-translated", test_ignored_columns_translated);
  ADD ("/import/catalog/reimport-and-retire", test_reimport);
  ADD ("/import/catalog/reimport-keeps-absent-columns", test_reimport_keeps_absent_columns);
  ADD ("/import/refused/bad-csv-lines", test_bad_lines_csv);
  ADD ("/import/refused/bad-json-items", test_bad_items_json);
  ADD ("/import/refused/bad-grade-and-colour", test_bad_grade_and_colour);
  ADD ("/import/refused/retire-missing-climbers", test_retire_missing_climbers_refused);
  ADD ("/import/refused/duplicate-ids", test_duplicate_ids_csv);
  ADD ("/import/refused/too-long-name", test_too_long_name);
  ADD ("/import/refused/deep-nesting", test_deep_nesting);
  ADD ("/import/refused/bad-json", test_bad_json);
  ADD ("/import/refused/unknown-csv", test_unknown_csv);
  ADD ("/import/refused/misread-values", test_misread_values);
  ADD ("/import/climbers/by-member-code", test_climbers_by_member_code);
  ADD ("/import/climbers/other-device-id", test_climbers_other_device_id);
  ADD ("/import/climbers/membership-headers", test_membership_headers);
  ADD ("/import/climbers/german-french-headers", test_german_french_headers);
  ADD ("/import/catalog/german-french-colours", test_german_french_colours);
  ADD ("/import/catalog/german-french-ids", test_german_french_ids);
  ADD ("/import/refused/json-mixed-items", test_json_mixed_items);
  ADD ("/import/refused/messages-name-columns", test_messages_name_columns);
  ADD ("/import/climbers/large-member-list", test_large_member_list);
  ADD ("/import/refused/climber-conflicts", test_climber_conflicts);
  ADD ("/import/climbers/history-reset", test_history_reset);
  ADD ("/import/file", test_file);
#undef ADD

  return g_test_run ();
}
