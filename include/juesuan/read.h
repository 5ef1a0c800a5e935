/* Reading a published report back (docs/reading.md): a PDF (through
 * poppler's pdftotext, run as a child process) or text already extracted,
 * into the printed tables.json that `check` audits, plus the narrative's
 * text by section with page numbers.
 *
 * The tables are recognised from the profile's data (titles and aliases,
 * column sets, 栏次 numbers, row labels and 行次), not from code; a profile
 * is chosen by how many of its tables the report holds when none is named. */
#ifndef JUESUAN_READ_H
#define JUESUAN_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "juesuan/buf.h"
#include "juesuan/diag.h"

typedef struct js_printed js_printed;

/* A section of the narrative: its heading, the page it starts on, and its
 * text (the lines joined). line_page(i) of a byte offset is
 * js_printed_page_at. */
typedef struct {
    const char *heading;
    const char *text;
    int page;
} js_psection;

/* Reads the report at path with the profiles of datadir (profile NULL:
 * the best match). NULL and d filled on error: JS_E_INPUT with a Chinese
 * message for a document that is not a readable report (scanned images
 * only, encrypted, not a report, a layout no profile knows), JS_E_IO when
 * it cannot be opened, JS_E_USAGE for a profile that does not exist. The
 * result is owned by the caller (js_printed_free). */
js_printed *js_printed_read(const char *datadir, const char *path, const char *profile, js_diag *d);
void js_printed_free(js_printed *r);

/* The name of the profile the report was read with. */
const char *js_printed_profile(const js_printed *r);
/* The report's file name (as given). */
const char *js_printed_path(const js_printed *r);
/* The year of the report (its titles), 0 when none was read. */
int js_printed_report_year(const js_printed *r);
/* Pages of the document. */
int js_printed_pages(const js_printed *r);

/* The tables.json text (docs/formats.md: the form `tables --format json`
 * writes, every amount as printed in "wan"; no "fen"), with each table's
 * and row's page; with narrative, the sections of the text too. */
js_status js_printed_json(const js_printed *r, bool narrative, js_buf *out);

/* The narrative's sections, and the page of byte offset off of section i. */
size_t js_printed_sections(const js_printed *r);
const js_psection *js_printed_section(const js_printed *r, size_t i);
int js_printed_page_at(const js_printed *r, size_t i, size_t off);

#endif
