/* pdf_fonts: report.pdf's fontconfig configuration (pdf_fonts.h): the
 * system's, with the faces that the derived fonts beside the plugin replace
 * rejected and the derived fonts added as application fonts. */
#define _GNU_SOURCE /* dladdr */
#include "pdf_fonts.h"

#include <dirent.h>
#include <dlfcn.h>
#include <fontconfig/fontconfig.h>
#include <malloc.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/* The size of the largest file in dir (0: none). */
static size_t largest_file(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t max = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char path[4096];
        struct stat st;
        if (e->d_name[0] != '.' && snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path &&
            stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > max)
            max = (size_t)st.st_size;
    }
    closedir(d);
    return max;
}

#define HUGE_PAGE ((uintptr_t)2 << 20)

/* cairo 1.16 copies a font's whole CFF table into a buffer of its own
 * (malloc, then FT_Load_Sfnt_Table) twice per PDF and face: to learn
 * whether the font is CID-keyed (_cairo_cff_scaled_font_is_cid_cff, when
 * the first glyph of the face is drawn) and again to subset it: 20 MB for
 * the derived Noto Serif CJK. glibc serves such a request by a fresh mmap,
 * which the kernel fills page by page (4 KB faults, each page zeroed), and
 * unmaps it at free: about half of a one-department build's time (with
 * 30 MB tables; bench/README.md). Instead, requests up to the largest font come from the heap and stay
 * there when freed (each later copy reuses the same memory), and the heap
 * they come from is advised to use huge pages (as glibc's tunable
 * glibc.malloc.hugetlb=1 would; a tunable cannot be set by a plugin once
 * the process runs). Process-wide malloc settings: the plugin is loaded
 * only by a process that writes a PDF. Nothing changes in the output. */
static void prepare_heap(size_t largest)
{
    /* glibc refuses a threshold above 32 MiB (64-bit): larger fonts keep
     * glibc's way */
    size_t room = largest + (1 << 20);
    if (largest == 0 || room > ((size_t)32 << 20) || !mallopt(M_MMAP_THRESHOLD, (int)room) ||
        !mallopt(M_TRIM_THRESHOLD, (int)(3 * room)))
        return;
    /* the heap grown once by two such copies (the copies land past what
     * is allocated in between), advised, and freed (kept: below the trim
     * threshold); its pages are made on first use */
    char *p = malloc(largest), *q = p ? malloc(largest) : NULL; /* below the threshold: from the heap */
    if (q && q > p) {
        uintptr_t start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
        uintptr_t end = ((uintptr_t)q + largest) & ~(HUGE_PAGE - 1);
        if (end > start)
            madvise((void *)start, end - start, MADV_HUGEPAGE); /* advice only: its failure changes nothing */
    }
    free(q);
    free(p);
}

/* The configuration with the derived fonts, or NULL (no such fonts, or one
 * that does not match what is installed: then none is used). */
static FcConfig *derived_config(void)
{
    char dir[4096];
    if (!font_dir(dir, sizeof dir))
        return NULL;
    prepare_heap(largest_file(dir));
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
