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

/* Makes font_map (a fontconfig font map: this thread's default pangocairo
 * map) use the derived fonts when they are there and each matches the
 * installed face it replaces (same PostScript name, font version and
 * characters); otherwise leaves font_map as it is, with the system's fonts.
 * The configuration is made once per process and shared by every thread's
 * map (each map holds a reference). Call before the map is first used. */
void pdf_fonts_use(PangoFontMap *font_map);

#endif
