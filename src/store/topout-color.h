/* topout-color.h — a climb's colour as people type, read and search it.
 *
 * A climb stores a CSS colour: a name ("red", "darkred") or a code
 * ("#e01b24"). People name it by its family ("Red", "Rot", "Rouge"), type
 * it in their own words ("rot", "bleu clair", "Weiß") and search by the
 * name a row shows. This is the one place that turns what is typed into
 * what is stored: the catalog's form, its import and its search use it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whose words a typed colour is read in first. */
typedef enum {
  TOPOUT_COLOR_WORDS_ANY,     /* CSS, then German and French words */
  TOPOUT_COLOR_WORDS_GERMAN,  /* a German column ("Farbe") first */
  TOPOUT_COLOR_WORDS_FRENCH,  /* a French column ("Couleur") first: "violet" is purple */
  TOPOUT_COLOR_WORDS_UI,      /* the names the UI shows, in its language, first */
} TopoutColorWords;

/* The translated name of the colour family of @color ("Red", "Yellow",
 * …), as a row or a swatch names it, or NULL when @color is NULL or does
 * not parse. */
const char *topout_color_name_for (const char       *color);

/* The colour to store for @typed (trimmed): one of the palette's names in
 * the UI's language ("Rot" is "red", with TOPOUT_COLOR_WORDS_UI), a German
 * or French word ("hellblau" is "lightblue"), or a CSS colour, kept as
 * typed ("#e01b24", "darkred"). A blank @typed is no colour (*@color
 * NULL). FALSE, with the refusal the store gives, when @typed is none of
 * them. */
gboolean    topout_color_read     (const char       *typed,
                                   TopoutColorWords  words,
                                   char            **color,
                                   GError          **error);

/* Whether a search for @query finds a climb of @color by its colour: the
 * name its row shows holds @query ("ro" finds "Rot"), or @query is a colour
 * word of that family ("rosa" and "pink" find "violet", which rows name
 * "Pink"). Any case, accents as typed. */
gboolean    topout_color_matches  (const char       *color,
                                   const char       *query);

G_END_DECLS
