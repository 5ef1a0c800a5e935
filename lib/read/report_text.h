/* The text of a published report as pages of lines of cells, whatever it
 * came from: a PDF (words with their boxes from poppler's pdftotext, run as
 * a child process) or plain text already extracted (tab-separated cells).
 *
 * A cell is a run of words close enough to belong together; its box is in
 * PDF points for a PDF, and the cell's index (x0 = i, x1 = i + 0.5) for a
 * text line, so the table recogniser works on either. Cell text is
 * normalised (printed_normalise.h): radicals folded, spaces between CJK
 * characters removed, numbers split by spacing joined. Everything lives in
 * the document's arena, freed by js_rdoc_free. */
#ifndef JS_REPORT_TEXT_H
#define JS_REPORT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "juesuan/diag.h"

typedef struct {
    const char *text;
    double x0, x1;
} js_rcell;

typedef struct {
    int page;          /* 1-based page; for text, counted by form feeds */
    double y;          /* top of the line (PDF points; the line number for text) */
    double mid;        /* mean of its words' vertical centres (y for text) */
    js_rcell *cells;
    int ncells;
    const char *joined; /* the cells joined by nothing (a sentence's text) */
} js_rline;

typedef struct {
    js_arena arena;
    js_rline *lines;
    size_t nlines;
    int npages;
    size_t nwords;      /* words the PDF held (0 for text) */
    bool pdf;
} js_rdoc;

/* Reads path: a PDF (by its %PDF- signature) through `pdftotext -tsv`, the
 * saved output of `pdftotext -tsv` (by its header line), else UTF-8 text. NULL and d filled: JS_E_INPUT for a document that cannot be
 * read as a report (encrypted, scanned images without text, not UTF-8),
 * JS_E_IO when it cannot be opened or pdftotext is missing. */
js_rdoc *js_rdoc_load(const char *path, js_diag *d);
/* The document of text in memory (tab-separated cells, one line a line). */
js_rdoc *js_rdoc_from_text(const char *name, const char *text, size_t len, js_diag *d);
/* The document of pdftotext -tsv output in memory (for tests and fuzzing). */
js_rdoc *js_rdoc_from_tsv(const char *name, const char *tsv, size_t len, js_diag *d);
void js_rdoc_free(js_rdoc *doc);

#endif
