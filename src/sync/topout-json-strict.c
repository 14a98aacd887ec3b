/* topout-json-strict.c — the strict RFC 8259 pre-scan.
 *
 * One iterative pass with an explicit stack of open containers (heap, bounded
 * by max_depth), so a body of 10,000 '[' costs nothing but an error.
 */
#define G_LOG_DOMAIN "topout-json-strict"

#include "config.h"

#include <string.h>

#include "topout-json-strict.h"

G_DEFINE_QUARK (topout-json-strict-error-quark, topout_json_strict_error)

/* An object's keys are checked for repeats against a list while it has
 * few (every object of the contract), so no table is made per object; past
 * LINEAR_KEYS they move into a hash set, so a hostile object of 100,000 keys
 * is not quadratic. */
#define LINEAR_KEYS 24

typedef struct {
  gsize offset;  /* into Keys.text */
  gsize len;
} KeySpan;

typedef struct {
  GString *text;   /* the decoded keys of the open objects, back to back */
  GArray  *spans;  /* KeySpan, one per key in @text */
} Keys;

typedef struct {
  gboolean    is_object;
  guint       first_key;  /* objects: index of its first key in Keys.spans */
  GHashTable *keys;       /* objects past LINEAR_KEYS keys: GBytes of them all */
} Frame;

typedef enum {
  EXPECT_VALUE,             /* root, after ':' or after ',' in an array */
  EXPECT_VALUE_OR_CLOSE,    /* just after '[' */
  EXPECT_KEY,               /* after ',' in an object */
  EXPECT_KEY_OR_CLOSE,      /* just after '{' */
  EXPECT_COLON,
  EXPECT_COMMA_OR_CLOSE,    /* after a value inside a container */
  EXPECT_END,               /* after the root value */
} State;

typedef struct {
  const guchar       *p;
  gsize               len;
  gsize               pos;
  TopoutJsonMisreads  all;      /* of the whole text */
  TopoutJsonMisreads  element;  /* of the array element being read */
} Scanner;

static void
note_in (TopoutJsonMisreads *m,
         TopoutJsonMisread   what,
         gsize               at)
{
  if (m->what == TOPOUT_JSON_MISREAD_NONE)
    m->first = at;
  if (what == TOPOUT_JSON_MISREAD_NUL && !(m->what & TOPOUT_JSON_MISREAD_NUL))
    m->first_nul = at;
  m->what |= what;
}

static void
note_misread (Scanner           *s,
              TopoutJsonMisread  what,
              gsize              at)
{
  note_in (&s->all, what, at);
  note_in (&s->element, what, at);
}

static gboolean
fail (GError     **error,
      int          code,
      gsize        pos,
      const char  *what)
{
  g_set_error (error, TOPOUT_JSON_STRICT_ERROR, code,
               "%s at byte %" G_GSIZE_FORMAT, what, pos);
  return FALSE;
}

static void
skip_ws (Scanner *s)
{
  while (s->pos < s->len)
    {
      guchar c = s->p[s->pos];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      s->pos++;
    }
}

static int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Scanner  *s,
           gunichar *out)
{
  gunichar v = 0;

  if (s->len - s->pos < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (s->p[s->pos + i]);
      if (h < 0)
        return FALSE;
      v = (v << 4) | (gunichar) h;
    }
  s->pos += 4;
  *out = v;
  return TRUE;
}

/* Just after "\u": its four hex digits, and when they are the high half of
 * a surrogate pair followed by the escape of a low half, that one too: the
 * character in *@out, or a lone half (0xD800–0xDFFF) with the text after it
 * left to read as usual (another escape, perhaps). FALSE: not four hex
 * digits. */
static gboolean
read_escaped_char (Scanner  *s,
                   gunichar *out)
{
  gunichar u, lo;
  gsize after;

  if (!read_hex4 (s, &u))
    return FALSE;
  after = s->pos;
  if (u >= 0xD800 && u <= 0xDBFF && s->len - s->pos >= 6 && s->p[s->pos] == '\\' && s->p[s->pos + 1] == 'u')
    {
      s->pos += 2;
      if (read_hex4 (s, &lo) && lo >= 0xDC00 && lo <= 0xDFFF)
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
      else
        s->pos = after;
    }
  *out = u;
  return TRUE;
}

/* At the opening quote. Decodes into @decoded when not NULL (keys). */
static gboolean
scan_string (Scanner  *s,
             GString  *decoded,
             GError  **error)
{
  s->pos++;  /* the quote */

  while (TRUE)
    {
      guchar c;

      if (s->pos >= s->len)
        return fail (error, TOPOUT_JSON_STRICT_ERROR_SYNTAX, s->pos, "Unterminated string");

      c = s->p[s->pos];
      if (c == '"')
        break;
      if (c < 0x20)
        return fail (error, TOPOUT_JSON_STRICT_ERROR_SYNTAX, s->pos, "Control character in string");

      if (c == '\\')
        {
          guchar e;

          if (s->pos + 1 >= s->len)
            return fail (error, TOPOUT_JSON_STRICT_ERROR_SYNTAX, s->pos, "Unterminated escape");
          e = s->p[s->pos + 1];
          s->pos += 2;
          switch (e)
            {
            case '"': case '\\': case '/':
              if (decoded) g_string_append_c (decoded, (char) e);
              break;
            case 'b': if (decoded) g_string_append_c (decoded, '\b'); break;
            case 'f': if (decoded) g_string_append_c (decoded, '\f'); break;
            case 'n': if (decoded) g_string_append_c (decoded, '\n'); break;
            case 'r': if (decoded) g_string_append_c (decoded, '\r'); break;
            case 't': if (decoded) g_string_append_c (decoded, '\t'); break;
            case 'u':
              {
                gunichar u;
                gsize at = s->pos - 2;

                if (!read_escaped_char (s, &u))
                  return fail (error, TOPOUT_JSON_STRICT_ERROR_SYNTAX, s->pos, "Invalid \\u escape");
                if (u >= 0xD800 && u <= 0xDFFF)
                  {
                    /* Valid JSON, but no character: json-glib writes it as
                     * bytes that are not UTF-8, and eats the character after
                     * it. In a key, a mark no UTF-8 text holds keeps the key
                     * apart from every other. */
                    note_misread (s, TOPOUT_JSON_MISREAD_LONE_SURROGATE, at);
                    if (decoded)
                      g_string_append_printf (decoded, "\xff%04x", (guint) u);
                    break;
                  }
                if (u == 0)
                  note_misread (s, TOPOUT_JSON_MISREAD_NUL, at);
                if (decoded)
                  g_string_append_unichar (decoded, u);
              }
              break;
            default:
              return fail (error, TOPOUT_JSON_STRICT_ERROR_SYNTAX, s->pos - 1, "Invalid escape");
            }
          continue;
        }

      if (c < 0x80)
        {
          if (decoded)
            g_string_append_c (decoded, (char) c);
          s->pos++;
          continue;
        }

      /* A multi-byte sequence: validate exactly one character. */
      {
        gsize n = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : 2;
        const char *end = NULL;

        if (s->len - s->pos < n ||
            !g_utf8_validate_len ((const char *) s->p + s->pos, n, &end))
          return fail (error, TOPOUT_JSON_STRICT_ERROR_UTF8, s->pos, "Invalid UTF-8");
        if (decoded)
          g_string_append_len (decoded, (const char *) s->p + s->pos, (gssize) n);
        s->pos += n;
      }
    }

  s->pos++;  /* the closing quote */
  return TRUE;
}

/* The digits of an integer beyond 64 bits, in grammar-checked JSON (no
 * leading zeros): more than 19, or 19 above the limit of the sign. */
static gboolean
integer_too_big (const guchar *digits,
                 gsize         n,
                 gboolean      negative)
{
  if (n != 19)
    return n > 19;
  return memcmp (digits, negative ? "9223372036854775808" : "9223372036854775807", 19) > 0;
}

static gboolean
scan_number (Scanner  *s,
             GError  **error)
{
  gsize start = s->pos, digits;
  gboolean whole = TRUE;

#define DIGIT(i) ((i) < s->len && s->p[(i)] >= '0' && s->p[(i)] <= '9')
  if (s->p[s->pos] == '-')
    s->pos++;
  if (s->pos < s->len && s->p[s->pos] == '0')
    s->pos++;
  else if (DIGIT (s->pos))
    {
      while (DIGIT (s->pos))
        s->pos++;
    }
  else
    return fail (error, TOPOUT_JSON_STRICT_ERROR_SYNTAX, start, "Invalid number");
  digits = s->p[start] == '-' ? start + 1 : start;

  if (s->pos < s->len && s->p[s->pos] == '.')
    {
      whole = FALSE;
      s->pos++;
      if (!DIGIT (s->pos))
        return fail (error, TOPOUT_JSON_STRICT_ERROR_SYNTAX, s->pos, "Invalid number");
      while (DIGIT (s->pos))
        s->pos++;
    }
  if (s->pos < s->len && (s->p[s->pos] == 'e' || s->p[s->pos] == 'E'))
    {
      whole = FALSE;
      s->pos++;
      if (s->pos < s->len && (s->p[s->pos] == '+' || s->p[s->pos] == '-'))
        s->pos++;
      if (!DIGIT (s->pos))
        return fail (error, TOPOUT_JSON_STRICT_ERROR_SYNTAX, s->pos, "Invalid number");
      while (DIGIT (s->pos))
        s->pos++;
    }
#undef DIGIT
  /* Only integers: json-glib reads the others as doubles, as written. */
  if (whole && integer_too_big (s->p + digits, s->pos - digits, digits != start))
    note_misread (s, TOPOUT_JSON_MISREAD_BIG_INTEGER, start);
  return TRUE;
}

static gboolean
scan_literal (Scanner  *s,
              GError  **error)
{
  static const char *const literals[] = { "true", "false", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      gsize n = strlen (literals[i]);
      if (s->len - s->pos >= n && memcmp (s->p + s->pos, literals[i], n) == 0)
        {
          s->pos += n;
          return TRUE;
        }
    }
  return fail (error, TOPOUT_JSON_STRICT_ERROR_SYNTAX, s->pos, "Unexpected character");
}

static void
frame_clear (gpointer data)
{
  Frame *f = data;
  g_clear_pointer (&f->keys, g_hash_table_unref);
}

/* Compared as bytes: a key may hold an escaped NUL. FALSE: a repeat. */
static gboolean
add_key (Keys          *keys,
         Frame         *top,
         const GString *key)
{
  guint n = keys->spans->len - top->first_key;

  if (top->keys == NULL && n < LINEAR_KEYS)
    {
      KeySpan span = { keys->text->len, key->len };

      for (guint i = top->first_key; i < keys->spans->len; i++)
        {
          const KeySpan *k = &g_array_index (keys->spans, KeySpan, i);

          if (k->len == key->len && memcmp (keys->text->str + k->offset, key->str, key->len) == 0)
            return FALSE;
        }
      g_string_append_len (keys->text, key->str, (gssize) key->len);
      g_array_append_val (keys->spans, span);
      return TRUE;
    }
  if (top->keys == NULL)
    {
      top->keys = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
      for (guint i = top->first_key; i < keys->spans->len; i++)
        {
          const KeySpan *k = &g_array_index (keys->spans, KeySpan, i);

          g_hash_table_add (top->keys, g_bytes_new (keys->text->str + k->offset, k->len));
        }
    }
  return g_hash_table_add (top->keys, g_bytes_new (key->str, key->len));
}

/* A closed object's keys leave the list. */
static void
drop_keys (Keys  *keys,
           Frame *closed)
{
  if (!closed->is_object || closed->first_key >= keys->spans->len)
    return;
  g_string_truncate (keys->text, g_array_index (keys->spans, KeySpan, closed->first_key).offset);
  g_array_set_size (keys->spans, closed->first_key);
}

gboolean
topout_json_strict_check (const char  *data,
                          gsize        len,
                          guint        max_depth,
                          GError     **error)
{
  return topout_json_strict_check_array (data, len, max_depth, NULL, NULL, NULL, NULL, error);
}

gboolean
topout_json_strict_check_array (const char         *data,
                                gsize               len,
                                guint               max_depth,
                                const char         *array_key,
                                GArray             *elements,
                                gboolean           *found,
                                TopoutJsonMisreads *misreads,
                                GError            **error)
{
  g_autoptr (GArray) stack = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_autoptr (GString) key = g_string_new (NULL);
  g_autoptr (GString) key_text = g_string_new (NULL);
  g_autoptr (GArray) key_spans = g_array_new (FALSE, FALSE, sizeof (KeySpan));
  Keys keys = { key_text, key_spans };
  Scanner s = { (const guchar *) data, len, 0, { 0, 0, 0 }, { 0, 0, 0 } };
  State state = EXPECT_VALUE;
  gsize array_key_len = array_key != NULL ? strlen (array_key) : 0;
  gboolean key_matches = FALSE;  /* the root's last key was @array_key */
  gboolean in_array = FALSE;     /* inside that member's array (depth 2) */
  gsize element_start = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (array_key == NULL || (elements != NULL && found != NULL), FALSE);
  g_array_set_clear_func (stack, frame_clear);
  if (found != NULL)
    *found = FALSE;

  while (TRUE)
    {
      guchar c;

      skip_ws (&s);

      if (state == EXPECT_END)
        {
          if (s.pos != s.len)
            return fail (error, TOPOUT_JSON_STRICT_ERROR_SYNTAX, s.pos, "Data after the root value");
          if (misreads != NULL)
            *misreads = s.all;
          return TRUE;
        }

      if (s.pos >= s.len)
        return fail (error, TOPOUT_JSON_STRICT_ERROR_SYNTAX, s.pos, "Unexpected end of data");

      c = s.p[s.pos];

      switch (state)
        {
        case EXPECT_KEY_OR_CLOSE:
        case EXPECT_KEY:
          if (c == '}' && state == EXPECT_KEY_OR_CLOSE)
            goto close_container;
          if (c != '"')
            return fail (error, TOPOUT_JSON_STRICT_ERROR_SYNTAX, s.pos, "Expected a string key");
          {
            Frame *top = &g_array_index (stack, Frame, stack->len - 1);
            gsize at = s.pos;

            g_string_truncate (key, 0);
            if (!scan_string (&s, key, error))
              return FALSE;
            if (!add_key (&keys, top, key))
              return fail (error, TOPOUT_JSON_STRICT_ERROR_DUPLICATE_KEY, at, "Duplicate key");
            if (stack->len == 1 && array_key != NULL)
              key_matches = key->len == array_key_len && memcmp (key->str, array_key, array_key_len) == 0;
          }
          state = EXPECT_COLON;
          continue;

        case EXPECT_COLON:
          if (c != ':')
            return fail (error, TOPOUT_JSON_STRICT_ERROR_SYNTAX, s.pos, "Expected ':'");
          s.pos++;
          state = EXPECT_VALUE;
          continue;

        case EXPECT_COMMA_OR_CLOSE:
          {
            Frame *top = &g_array_index (stack, Frame, stack->len - 1);

            if (c == ',')
              {
                s.pos++;
                state = top->is_object ? EXPECT_KEY : EXPECT_VALUE;
                continue;
              }
            if ((c == '}' && top->is_object) || (c == ']' && !top->is_object))
              goto close_container;
            return fail (error, TOPOUT_JSON_STRICT_ERROR_SYNTAX, s.pos, "Expected ',' or the end of the container");
          }

        case EXPECT_VALUE_OR_CLOSE:
          if (c == ']')
            goto close_container;
          G_GNUC_FALLTHROUGH;
        case EXPECT_VALUE:
          if (in_array && stack->len == 2)
            {
              element_start = s.pos;
              s.element = (TopoutJsonMisreads) { TOPOUT_JSON_MISREAD_NONE, 0, 0 };
            }
          if (c == '{' || c == '[')
            {
              Frame f = { c == '{', keys.spans->len, NULL };

              if (stack->len >= max_depth)
                return fail (error, TOPOUT_JSON_STRICT_ERROR_DEPTH, s.pos, "Nested too deep");
              if (key_matches && stack->len == 1 && c == '[')
                {
                  in_array = TRUE;
                  *found = TRUE;
                }
              g_array_append_val (stack, f);
              s.pos++;
              state = f.is_object ? EXPECT_KEY_OR_CLOSE : EXPECT_VALUE_OR_CLOSE;
              continue;
            }
          if (c == '"')
            {
              if (!scan_string (&s, NULL, error))
                return FALSE;
            }
          else if (c == '-' || (c >= '0' && c <= '9'))
            {
              if (!scan_number (&s, error))
                return FALSE;
            }
          else if (!scan_literal (&s, error))
            return FALSE;
          if (in_array && stack->len == 2)
            {
              TopoutJsonSpan span = { element_start, s.pos, s.element };
              g_array_append_val (elements, span);
            }
          state = stack->len == 0 ? EXPECT_END : EXPECT_COMMA_OR_CLOSE;
          continue;

        case EXPECT_END:
        default:
          g_assert_not_reached ();
        }

    close_container:
      s.pos++;
      drop_keys (&keys, &g_array_index (stack, Frame, stack->len - 1));
      g_array_set_size (stack, stack->len - 1);
      if (in_array && stack->len == 2)
        {
          TopoutJsonSpan span = { element_start, s.pos, s.element };
          g_array_append_val (elements, span);
        }
      else if (in_array && stack->len == 1)
        in_array = key_matches = FALSE;  /* the array has closed */
      state = stack->len == 0 ? EXPECT_END : EXPECT_COMMA_OR_CLOSE;
    }
}

/* Valid JSON has backslashes in strings only, so no state is needed: each
 * escape is stepped over whole, a pair as one (read_escaped_char(), as the
 * check reads them). */
char *
topout_json_strict_mend_escapes (const char *data,
                                 gsize       len)
{
  char *copy = g_malloc (len + 1);
  Scanner s = { .p = (const guchar *) copy, .len = len };

  memcpy (copy, data, len);
  copy[len] = '\0';
  while (s.pos < len)
    {
      gsize at = s.pos;
      gunichar u;

      if (copy[at] != '\\')
        {
          s.pos++;
          continue;
        }
      if (at + 1 >= len || copy[at + 1] != 'u')
        {
          s.pos += 2;
          continue;
        }
      s.pos += 2;
      if (read_escaped_char (&s, &u) && (u == 0 || (u >= 0xD800 && u <= 0xDFFF)))
        memcpy (copy + at, "\\ufffd", 6);
    }
  return copy;
}

void
topout_json_mend_generated (GString *text,
                            gsize    from)
{
  const char *hit;

  g_return_if_fail (text != NULL);
  while (from < text->len && (hit = memchr (text->str + from, 0x1f, text->len - from)) != NULL)
    {
      gsize at = (gsize) (hit - text->str);

      g_string_erase (text, (gssize) at, 1);
      g_string_insert (text, (gssize) at, "\\u001f");
      from = at + 6;
    }
}
