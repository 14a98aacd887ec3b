/* topout-color.c — a climb's colour as people type, read and search it
 * (topout-color.h). */
#define G_LOG_DOMAIN "topout-color"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gdk/gdk.h>
#include <math.h>
#include <string.h>

#include "topout-color.h"
#include "topout-store-private.h"

/* Named colours of climbing holds, to name a swatch for people who cannot
 * tell the colours apart and for screen readers; a row shows its climb's
 * colour by one of them. Each, in lower case, is also a CSS colour: the
 * one stored for the name typed in the UI's language ("Rot" is "red"). */
static const char *const named_colors[] = {
  N_("Red"), N_("Orange"), N_("Yellow"), N_("Green"), N_("Blue"), N_("Purple"),
  N_("Pink"), N_("Brown"), N_("Black"), N_("Grey"), N_("White"),
};

/* A German or French gym's colours, folded as headers are ("Weiß" and
 * "WEISS" are "weiss", "bleu clair" is "bleuclair"), and the colour the
 * English word gives, which is what is stored: the front desk shows it,
 * and names it in the UI's language. The import reads them, and so do the
 * catalog's form and search, in any UI language. The words that are colours in CSS
 * already ("orange", "beige", "magenta", "turquoise") are not here;
 * "violet" is, for a French column, where it is purple (CSS "violet" is
 * a light pink that the front desk calls "Pink"). */
static const struct {
  const char       *folded;
  const char       *color;
  TopoutColorWords  words;
} color_words[] = {
  { "rot", "red", TOPOUT_COLOR_WORDS_GERMAN },
  { "dunkelrot", "darkred", TOPOUT_COLOR_WORDS_GERMAN },
  { "gelb", "yellow", TOPOUT_COLOR_WORDS_GERMAN },
  { "grun", "green", TOPOUT_COLOR_WORDS_GERMAN },
  { "gruen", "green", TOPOUT_COLOR_WORDS_GERMAN },
  { "hellgrun", "lightgreen", TOPOUT_COLOR_WORDS_GERMAN },
  { "hellgruen", "lightgreen", TOPOUT_COLOR_WORDS_GERMAN },
  { "dunkelgrun", "darkgreen", TOPOUT_COLOR_WORDS_GERMAN },
  { "dunkelgruen", "darkgreen", TOPOUT_COLOR_WORDS_GERMAN },
  { "blau", "blue", TOPOUT_COLOR_WORDS_GERMAN },
  { "hellblau", "lightblue", TOPOUT_COLOR_WORDS_GERMAN },
  { "dunkelblau", "darkblue", TOPOUT_COLOR_WORDS_GERMAN },
  { "turkis", "turquoise", TOPOUT_COLOR_WORDS_GERMAN },
  { "tuerkis", "turquoise", TOPOUT_COLOR_WORDS_GERMAN },
  { "lila", "purple", TOPOUT_COLOR_WORDS_GERMAN },
  { "violett", "purple", TOPOUT_COLOR_WORDS_GERMAN },
  { "rosa", "pink", TOPOUT_COLOR_WORDS_GERMAN },
  { "braun", "brown", TOPOUT_COLOR_WORDS_GERMAN },
  { "schwarz", "black", TOPOUT_COLOR_WORDS_GERMAN },
  { "grau", "grey", TOPOUT_COLOR_WORDS_GERMAN },
  { "hellgrau", "lightgrey", TOPOUT_COLOR_WORDS_GERMAN },
  { "dunkelgrau", "darkgrey", TOPOUT_COLOR_WORDS_GERMAN },
  { "weiss", "white", TOPOUT_COLOR_WORDS_GERMAN },
  { "silber", "silver", TOPOUT_COLOR_WORDS_GERMAN },
  { "rouge", "red", TOPOUT_COLOR_WORDS_FRENCH },
  { "rougefonce", "darkred", TOPOUT_COLOR_WORDS_FRENCH },
  { "jaune", "yellow", TOPOUT_COLOR_WORDS_FRENCH },
  { "vert", "green", TOPOUT_COLOR_WORDS_FRENCH },
  { "verte", "green", TOPOUT_COLOR_WORDS_FRENCH },
  { "vertclair", "lightgreen", TOPOUT_COLOR_WORDS_FRENCH },
  { "vertfonce", "darkgreen", TOPOUT_COLOR_WORDS_FRENCH },
  { "bleu", "blue", TOPOUT_COLOR_WORDS_FRENCH },
  { "bleue", "blue", TOPOUT_COLOR_WORDS_FRENCH },
  { "bleuclair", "lightblue", TOPOUT_COLOR_WORDS_FRENCH },
  { "bleufonce", "darkblue", TOPOUT_COLOR_WORDS_FRENCH },
  { "violet", "purple", TOPOUT_COLOR_WORDS_FRENCH },
  { "violette", "purple", TOPOUT_COLOR_WORDS_FRENCH },
  { "mauve", "purple", TOPOUT_COLOR_WORDS_FRENCH },
  { "rose", "pink", TOPOUT_COLOR_WORDS_FRENCH },
  { "marron", "brown", TOPOUT_COLOR_WORDS_FRENCH },
  { "brun", "brown", TOPOUT_COLOR_WORDS_FRENCH },
  { "brune", "brown", TOPOUT_COLOR_WORDS_FRENCH },
  { "noir", "black", TOPOUT_COLOR_WORDS_FRENCH },
  { "noire", "black", TOPOUT_COLOR_WORDS_FRENCH },
  { "gris", "grey", TOPOUT_COLOR_WORDS_FRENCH },
  { "grise", "grey", TOPOUT_COLOR_WORDS_FRENCH },
  { "grisclair", "lightgrey", TOPOUT_COLOR_WORDS_FRENCH },
  { "grisfonce", "darkgrey", TOPOUT_COLOR_WORDS_FRENCH },
  { "blanc", "white", TOPOUT_COLOR_WORDS_FRENCH },
  { "blanche", "white", TOPOUT_COLOR_WORDS_FRENCH },
  { "argent", "silver", TOPOUT_COLOR_WORDS_FRENCH },
  { "dore", "gold", TOPOUT_COLOR_WORDS_FRENCH },
  { "doree", "gold", TOPOUT_COLOR_WORDS_FRENCH },
};

/* "Display_Name" → "displayname", "Member No." → "memberno", "Member #" →
 * "membernumber", "N° adhérent" → "noadherent", "Weiß" → "weiss" (accents
 * dropped): a header, a key or a colour word as a gym may type it. */
GString *
_topout_fold_word (const char *name,
                   gssize      length)
{
  GString *folded = g_string_new (NULL);
  const char *end;

  if (length < 0)
    length = strlen (name);
  end = name + length;
  for (const char *p = name; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      gunichar base[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      /* "Prénom" → "prenom", "N° adhérent" and "Nº" → "noadherent". */
      if (c == 0x00B0 || c == 0x00BA)
        c = 'o';
      else if (c == 0x00DF || c == 0x1E9E)  /* ß, ẞ */
        {
          g_string_append (folded, "ss");
          continue;
        }
      else if (c >= 0x80 && g_unichar_fully_decompose (c, FALSE, base, G_N_ELEMENTS (base)) > 0)
        c = base[0];
      if (c == '#')
        g_string_append (folded, "number");
      else if (c < 0x80 && g_ascii_isalnum (c))
        g_string_append_c (folded, g_ascii_tolower (c));
    }
  return folded;
}

/* The name of the colour's family, told by its hue, how dark and how
 * colourful it is, as people name holds. The nearest of the palette's
 * colours by RGB distance named CSS "green" (#008000) "Black", "navy"
 * "Black", "skyblue" "Pink" and "lightblue" "White". */
static const char *
color_family (const GdkRGBA *rgba)
{
  double r = rgba->red, g = rgba->green, b = rgba->blue;
  double max = MAX (r, MAX (g, b)), min = MIN (r, MIN (g, b));
  double chroma = max - min;
  double light = (max + min) / 2;
  double hue;

  /* Nearly no colour: black, grey or white by how light. */
  if (chroma < 0.12)
    return light < 0.25 ? "Black" : light > 0.85 ? "White" : "Grey";
  if (max < 0.2)
    return "Black";

  if (max == r)
    hue = 60 * fmod ((g - b) / chroma + 6, 6);
  else if (max == g)
    hue = 60 * ((b - r) / chroma + 2);
  else
    hue = 60 * ((r - g) / chroma + 4);

  if (hue < 15 || hue >= 345)
    return light > 0.7 ? "Pink" : "Red";
  if (hue < 45)
    return max < 0.65 ? "Brown" : "Orange";
  if (hue < 70)
    return "Yellow";
  if (hue < 180)
    return "Green";
  if (hue < 260)
    return "Blue";
  if (hue < 290)
    return "Purple";
  return light >= 0.5 ? "Pink" : "Purple";
}

/* The palette's name (untranslated) of @color's family, or NULL when
 * @color does not parse. A colour written as one of the names (any case,
 * "gray" too) is that name. */
static const char *
family_of (const char *color)
{
  GdkRGBA rgba;

  if (color == NULL || !gdk_rgba_parse (&rgba, color))
    return NULL;
  if (g_ascii_strcasecmp (color, "gray") == 0)
    return "Grey";
  for (guint i = 0; i < G_N_ELEMENTS (named_colors); i++)
    if (g_ascii_strcasecmp (color, named_colors[i]) == 0)
      return named_colors[i];
  return color_family (&rgba);
}

const char *
topout_color_name_for (const char *color)
{
  const char *family = family_of (color);

  return family != NULL ? g_dgettext (GETTEXT_PACKAGE, family) : NULL;
}

/* The palette's name (untranslated) that @folded (_topout_fold_word()) is
 * in the UI's language, or in English with @english too; NULL when none. */
static const char *
palette_name_of_word (const char *folded,
                      gboolean    english)
{
  for (guint i = 0; i < G_N_ELEMENTS (named_colors); i++)
    {
      g_autoptr (GString) shown = _topout_fold_word (g_dgettext (GETTEXT_PACKAGE, named_colors[i]), -1);

      if (strcmp (folded, shown->str) == 0 || (english && g_ascii_strcasecmp (folded, named_colors[i]) == 0))
        return named_colors[i];
    }
  return english && strcmp (folded, "gray") == 0 ? "Grey" : NULL;
}

/* The CSS colour of the German or French word @folded, in @words' language
 * (any when TOPOUT_COLOR_WORDS_ANY); NULL when none. */
static const char *
color_of_word (const char       *folded,
               TopoutColorWords  words)
{
  for (guint i = 0; i < G_N_ELEMENTS (color_words); i++)
    if ((words == TOPOUT_COLOR_WORDS_ANY || color_words[i].words == words) &&
        strcmp (folded, color_words[i].folded) == 0)
      return color_words[i].color;
  return NULL;
}

static void
refuse_color (const char  *typed,
              GError     **error)
{
  g_set_error (error, TOPOUT_STORE_ERROR, TOPOUT_STORE_ERROR_INVALID_COLOR,
               /* Translators: “red” must be a colour word of your language
                * that Topout reads: the name it shows for a colour (the
                * translation of “Red”), or for German and French one of the
                * colour words an import reads (“rot”, “rouge”). Keep the code
                * “#e01b24”. */
               _("“%s” is not a colour: give a colour name such as “red”, or a code such as “#e01b24”."),
               typed);
}

gboolean
topout_color_read (const char        *typed,
                   TopoutColorWords   words,
                   char             **color,
                   GError           **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr (GString) folded = NULL;
  const char *found = NULL;
  GdkRGBA rgba;

  g_return_val_if_fail (color != NULL, FALSE);

  *color = NULL;
  if (typed == NULL)
    return TRUE;
  if (!g_utf8_validate (typed, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (typed, -1);

      refuse_color (valid, error);
      return FALSE;
    }
  trimmed = g_strstrip (g_strdup (typed));
  if (*trimmed == '\0')
    return TRUE;

  folded = _topout_fold_word (trimmed, -1);
  if (words == TOPOUT_COLOR_WORDS_UI)
    {
      const char *name = palette_name_of_word (folded->str, FALSE);

      if (name != NULL)
        {
          *color = g_ascii_strdown (name, -1);
          return TRUE;
        }
    }
  else if (words != TOPOUT_COLOR_WORDS_ANY)
    found = color_of_word (folded->str, words);
  if (found == NULL && gdk_rgba_parse (&rgba, trimmed))
    {
      *color = g_steal_pointer (&trimmed);
      return TRUE;
    }
  if (found == NULL)
    found = color_of_word (folded->str, TOPOUT_COLOR_WORDS_ANY);
  if (found == NULL)
    {
      refuse_color (trimmed, error);
      return FALSE;
    }
  *color = g_strdup (found);
  return TRUE;
}

/* GDK's parser (CSS colour names and codes) is the swatch's, so a colour
 * accepted here is one the front desk shows. */
gboolean
_topout_check_color (const char  *color,
                     GError     **error)
{
  GdkRGBA rgba;

  if (color == NULL || *color == '\0' || !g_utf8_validate (color, -1, NULL) || gdk_rgba_parse (&rgba, color))
    return TRUE;
  refuse_color (color, error);
  return FALSE;
}

/* Searching --------------------------------------------------------------- */

struct _TopoutColorSearch {
  gboolean    any;                              /* a blank search */
  gboolean    none;                             /* names no colour: no row's colour is read */
  gboolean    named[G_N_ELEMENTS (named_colors)]; /* the shown name holds it */
  const char *family;  /* the family the search names as a word, or NULL */
};

TopoutColorSearch *
_topout_color_search_new (const char *query)
{
  TopoutColorSearch *search = g_new0 (TopoutColorSearch, 1);
  g_autofree char *stripped = NULL;
  g_autofree char *norm = NULL;
  g_autofree char *needle = NULL;
  g_autoptr (GString) folded = NULL;

  if (query == NULL || !g_utf8_validate (query, -1, NULL))
    query = "";
  stripped = g_strstrip (g_strdup (query));
  search->any = *stripped == '\0';
  /* Which names a row may show hold the search ("ro" is in "Rot"),
   * folded as the store's search folds: once, not a row at a time. */
  norm = g_utf8_normalize (stripped, -1, G_NORMALIZE_DEFAULT);
  needle = g_utf8_casefold (norm, -1);
  for (guint i = 0; i < G_N_ELEMENTS (named_colors); i++)
    {
      g_autofree char *shown_norm = g_utf8_normalize (g_dgettext (GETTEXT_PACKAGE, named_colors[i]), -1,
                                                      G_NORMALIZE_DEFAULT);
      g_autofree char *shown = g_utf8_casefold (shown_norm, -1);

      search->named[i] = strstr (shown, needle) != NULL;
    }
  /* A word of the palette (in the UI's language or English) or a German
   * or French colour word: its family. Not any CSS name: a search for
   * "gold" or "tan" looks for a climb or a wall of that name. */
  folded = _topout_fold_word (stripped, -1);
  if (folded->len > 0)
    {
      const char *word_color = color_of_word (folded->str, TOPOUT_COLOR_WORDS_ANY);

      search->family = palette_name_of_word (folded->str, TRUE);
      if (search->family == NULL && word_color != NULL)
        search->family = family_of (word_color);
    }
  search->none = !search->any && search->family == NULL;
  for (guint i = 0; i < G_N_ELEMENTS (named_colors); i++)
    search->none = search->none && !search->named[i];
  return search;
}

void
_topout_color_search_free (TopoutColorSearch *search)
{
  g_free (search);
}

gboolean
_topout_color_search_matches (const TopoutColorSearch *search,
                              const char              *color)
{
  const char *family;

  if (search->any)
    return TRUE;
  /* "crimp": no row's colour is parsed for it. */
  if (search->none)
    return FALSE;
  family = family_of (color);
  if (family == NULL)
    return FALSE;
  if (search->family != NULL && strcmp (search->family, family) == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (named_colors); i++)
    if (strcmp (family, named_colors[i]) == 0)
      return search->named[i];
  return FALSE;
}

gboolean
topout_color_matches (const char *color,
                      const char *query)
{
  TopoutColorSearch *search = _topout_color_search_new (query);
  gboolean found = _topout_color_search_matches (search, color);

  _topout_color_search_free (search);
  return found;
}
