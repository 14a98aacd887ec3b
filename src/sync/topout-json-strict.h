/* topout-json-strict.h — a strict RFC 8259 pre-scan (SPEC section 4).
 *
 * json-glib 1.6 accepts comments, single quotes, hex numbers, trailing commas,
 * a second root and duplicate keys, and overflows its stack on deep nesting.
 * Every body goes through this check before json-glib sees it. It builds
 * nothing: it only says whether @data is exactly one strict JSON value, with
 * valid UTF-8 and escapes, numbers per the grammar, no duplicate keys in an
 * object, and no more than @max_depth nested arrays/objects (and notes the
 * values json-glib would misread, below). Iterative: the depth costs heap,
 * never stack. No I/O.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TOPOUT_JSON_STRICT_ERROR_SYNTAX,         /* anything the grammar refuses */
  TOPOUT_JSON_STRICT_ERROR_UTF8,           /* invalid UTF-8 */
  TOPOUT_JSON_STRICT_ERROR_DEPTH,          /* nested deeper than max_depth */
  TOPOUT_JSON_STRICT_ERROR_DUPLICATE_KEY,  /* one key twice in one object */
} TopoutJsonStrictError;

#define TOPOUT_JSON_STRICT_ERROR (topout_json_strict_error_quark ())
GQuark   topout_json_strict_error_quark (void);

/* TRUE when @data (@len bytes, need not be NUL-terminated; an embedded NUL is
 * an error) is one strict JSON value. The error message names the byte offset. */
gboolean topout_json_strict_check (const char  *data,
                                   gsize        len,
                                   guint        max_depth,
                                   GError     **error);

/* What json-glib 1.6 reads other than it is written, in strict JSON:
 *
 * - an integer outside 64 bits: it wraps or saturates
 *   (9223372036854775808 reads as -9223372036854775808,
 *   -9223372036854775809 as 9223372036854775807);
 * - an escaped NUL in a string or a key: the text ends there ("a\u0000b"
 *   reads as "a", and two different keys can become one);
 * - an escaped lone surrogate ("\ud800" without its low half, or a low half
 *   alone): not a character; json-glib writes bytes that are not UTF-8 and
 *   drops the character after it ("a\ud800b" reads as "a" and 3 bytes).
 *
 * The check notes them (it refuses nothing for them: they are valid JSON);
 * a caller refuses what holds one rather than act on a misread value. */
typedef enum {
  TOPOUT_JSON_MISREAD_NONE           = 0,
  TOPOUT_JSON_MISREAD_BIG_INTEGER    = 1 << 0,
  TOPOUT_JSON_MISREAD_NUL            = 1 << 1,
  TOPOUT_JSON_MISREAD_LONE_SURROGATE = 1 << 2,
} TopoutJsonMisread;

typedef struct {
  TopoutJsonMisread what;       /* all that was seen */
  gsize             first;      /* byte offset of the first one, when @what */
  gsize             first_nul;  /* of the first escaped NUL, when in @what */
} TopoutJsonMisreads;

/* Where one element of an array sits in the text: bytes [start, end), and
 * what in it json-glib would misread. */
typedef struct {
  gsize              start;
  gsize              end;
  TopoutJsonMisreads misreads;
} TopoutJsonSpan;

/* The same check, and the same pass also notes where each element of one
 * array sits, so that a parser can take the elements one at a time: when the
 * root is an object whose member @key holds an array, the span of each
 * element of that array is appended to @elements (of TopoutJsonSpan) and
 * *@found is set to TRUE; otherwise *@found is FALSE and @elements is left
 * as it was. On FALSE (not strict JSON), @elements holds nothing useful.
 * @misreads, when not NULL, is set to what the whole text holds that
 * json-glib would misread. */
gboolean topout_json_strict_check_array (const char         *data,
                                         gsize               len,
                                         guint               max_depth,
                                         const char         *key,
                                         GArray             *elements,
                                         gboolean           *found,
                                         TopoutJsonMisreads *misreads,
                                         GError            **error);

/* A copy of @data (@len bytes that passed the check) with every escaped
 * lone surrogate and every escaped NUL written as \ufffd instead (as many
 * bytes), NUL-terminated: what json-glib then reads is the rest of the text
 * as written (it fails on some lone surrogates and cuts a string at a NUL),
 * so a caller that refuses the value can still tell which one it was (a
 * session by its clientId), and "a\u0000b" is not read as "a". */
char    *topout_json_strict_mend_escapes         (const char *data,
                                                  gsize       len);

/* json-glib 1.6's generator writes U+001F as the raw byte (the other
 * control characters it escapes), which is not JSON: a strict reader, ours
 * included, refuses the whole document. Writes each such byte of @text
 * from @from on as \u001f; in a generator's output it can only be inside a
 * string. Call it on everything a JsonGenerator writes. */
void     topout_json_mend_generated              (GString    *text,
                                                  gsize       from);

G_END_DECLS
