/* Plugins: parts of the program kept in shared objects and loaded only by
 * what needs them, so that every other process is spared loading their
 * libraries (docs/architecture.md). juesuan has two: the PDF renderer
 * (juesuan-pdf.so: pango, cairo, fontconfig; lib/document/pdf_plugin.c)
 * and the portal (juesuan-portal.so: the store and the server with SQLite,
 * libpq, libsodium and libmicrohttpd; the commands serve, user, dept and
 * log, src/cli/portal.c). A plugin calls back into the program that loads
 * it, which therefore exports its symbols (-rdynamic).
 *
 * The libraries libjuesuan.a and libjuesuan.so hold the whole engine,
 * store and server included: a program linking them never needs the
 * portal plugin (only the PDF one, for report.pdf). */
#ifndef JUESUAN_PLUGIN_H
#define JUESUAN_PLUGIN_H

#include "juesuan/diag.h"

/* Opens the plugin file (a file name such as "juesuan-pdf.so"): the path
 * in the environment variable env when it is set and not empty, else next
 * to the executable (a build tree), in ../lib/juesuan/ beside it (an
 * installed tree), then in the build-time library directory. what names
 * the plugin for the user ("PDF 模块", "门户模块"). Returns the handle
 * (never closed: the plugin stays for the life of the process), or NULL
 * with d filled (JS_E_IO: the places looked in, or the loader's reason
 * when the file is there but cannot be loaded). */
void *js_plugin_open(const char *file, const char *env, const char *what, js_diag *d);

/* The address of symbol in plugin h (opened from file), or NULL with d
 * filled (JS_E_IO). */
void *js_plugin_symbol(void *h, const char *file, const char *symbol, js_diag *d);

#endif
