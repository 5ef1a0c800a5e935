/* pdf_fonts: report.pdf's fontconfig configuration (pdf_fonts.h): the
 * system's, with the faces that the derived fonts beside the plugin replace
 * rejected and the derived fonts added as application fonts. */
#define _GNU_SOURCE /* dladdr */
#include "pdf_fonts.h"

#include <dlfcn.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define FONT_DIR "fonts" /* beside the plugin: build/fonts, PREFIX/lib/juesuan/fonts */

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static FcConfig *g_config; /* NULL: the system's fonts as they are */
static const char g_anchor; /* an address inside the plugin, for dladdr */

/* The folder of derived fonts beside this plugin, in buf; false when there
 * is none. */
static bool font_dir(char *buf, size_t n)
{
    Dl_info info;
    if (!dladdr(&g_anchor, &info) || !info.dli_fname)
        return false;
    const char *slash = strrchr(info.dli_fname, '/');
    int len = slash ? (int)(slash - info.dli_fname) : 1;
    const char *dir = slash ? info.dli_fname : ".";
    struct stat st;
    return snprintf(buf, n, "%.*s/%s", len, dir, FONT_DIR) < (int)n && stat(buf, &st) == 0 &&
           S_ISDIR(st.st_mode);
}

/* Appends to xml a rule rejecting every system face that the application
 * font app replaces: the faces with its PostScript name, each of which must
 * have its version and characters. False when one differs (a derived font
 * left from another version of the system's) or none is there. */
static bool reject_replaced(FcConfig *cfg, FcPattern *app, GString *xml)
{
    FcChar8 *ps, *file;
    int version, index;
    FcCharSet *chars;
    if (FcPatternGetString(app, FC_POSTSCRIPT_NAME, 0, &ps) != FcResultMatch ||
        FcPatternGetInteger(app, FC_FONTVERSION, 0, &version) != FcResultMatch ||
        FcPatternGetCharSet(app, FC_CHARSET, 0, &chars) != FcResultMatch)
        return false;
    FcFontSet *sys = FcConfigGetFonts(cfg, FcSetSystem);
    int replaced = 0;
    for (int i = 0; sys && i < sys->nfont; i++) {
        FcPattern *s = sys->fonts[i];
        FcChar8 *sps;
        int sversion;
        FcCharSet *schars;
        if (FcPatternGetString(s, FC_POSTSCRIPT_NAME, 0, &sps) != FcResultMatch || strcmp((char *)sps, (char *)ps))
            continue;
        if (FcPatternGetInteger(s, FC_FONTVERSION, 0, &sversion) != FcResultMatch || sversion != version ||
            FcPatternGetCharSet(s, FC_CHARSET, 0, &schars) != FcResultMatch || !FcCharSetEqual(schars, chars) ||
            FcPatternGetString(s, FC_FILE, 0, &file) != FcResultMatch ||
            FcPatternGetInteger(s, FC_INDEX, 0, &index) != FcResultMatch)
            return false;
        char *rule = g_markup_printf_escaped("<rejectfont><pattern><patelt name=\"file\"><string>%s</string></patelt>"
                                             "<patelt name=\"index\"><int>%d</int></patelt></pattern></rejectfont>",
                                             (const char *)file, index);
        g_string_append(xml, rule);
        g_free(rule);
        replaced++;
    }
    return replaced > 0;
}

/* The configuration with the derived fonts, or NULL (no such fonts, or one
 * that does not match what is installed: then none is used). */
static FcConfig *derived_config(void)
{
    char dir[4096];
    if (!font_dir(dir, sizeof dir))
        return NULL;
    FcConfig *cfg = FcInitLoadConfigAndFonts(); /* the system's, from fontconfig's caches */
    if (!cfg)
        return NULL;
    /* fontconfig keeps a cache of the folder too (about 6 ms to scan it) */
    bool ok = FcConfigAppFontAddDir(cfg, (const FcChar8 *)dir);
    FcFontSet *app = ok ? FcConfigGetFonts(cfg, FcSetApplication) : NULL;
    GString *xml = g_string_new("<fontconfig><selectfont>");
    ok = app && app->nfont > 0;
    for (int i = 0; ok && i < app->nfont; i++)
        ok = reject_replaced(cfg, app->fonts[i], xml);
    g_string_append(xml, "</selectfont></fontconfig>");
    /* the system's fonts again, without the rejected faces (the
     * application fonts stay) */
    ok = ok && FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)xml->str, FcFalse) &&
         FcConfigBuildFonts(cfg);
    g_string_free(xml, TRUE);
    if (!ok) {
        FcConfigDestroy(cfg);
        return NULL;
    }
    return cfg;
}

/* Made before the first pango font map: pango starts fontconfig's default
 * initialisation (FcInit) when a map is created, which loads the system's
 * configuration a second time unless a current one is set. */
static void make_config(void)
{
    if ((g_config = derived_config()))
        FcConfigSetCurrent(g_config); /* the plugin is this process's only user of fontconfig */
}

PangoFontMap *pdf_fonts_map(void)
{
    pthread_once(&g_once, make_config);
    PangoFontMap *font_map = pango_cairo_font_map_get_default();
    if (g_config && PANGO_IS_FC_FONT_MAP(font_map))
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(font_map), g_config); /* takes a reference */
    return font_map;
}
