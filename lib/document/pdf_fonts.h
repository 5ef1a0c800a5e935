/* pdf_fonts: the fonts report.pdf is laid out and embedded with (part of the
 * PDF plugin, juesuan-pdf.so; docs/output.md).
 *
 * cairo 1.16 embeds a CFF font's glyphs used by a document as a subset, but
 * it cannot subset Noto Serif CJK's subroutines and embeds all of them with
 * every PDF. The build derives copies of the fonts without subroutines
 * (scripts/derive-font.py) into a folder fonts/ beside the plugin; the
 * renderer uses them in place of the installed faces they were derived from.
 * The PDF then differs only in its embedded font programs (smaller, the same
 * outlines): the same text, glyphs, positions and layout. */
#ifndef JS_PDF_FONTS_H
#define JS_PDF_FONTS_H

#include <pango/pango.h>

/* This thread's pango font map for the PDF (pango_cairo_font_map_get_default,
 * owned by pango), using the derived fonts when they are there and each
 * matches the installed face it replaces (same PostScript name, font version
 * and characters); otherwise the system's fonts as they are. The
 * configuration is made once per process, shared by every thread's map and
 * made fontconfig's current one. */
PangoFontMap *pdf_fonts_map(void);

#endif
