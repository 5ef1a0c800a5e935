/* The project's one .xlsx writer: the published tables (tables.xlsx),
 * the blank template and `convert`'s workbooks. Text and number cells,
 * cell formats, merged ranges, column widths, frozen heading rows, print
 * setup and print titles, cell comments, drop-down lists and hidden
 * sheets. The workbook is built in memory and zipped in one pass
 * (zip_write.c, zlib), so writing one costs a few milliseconds and no
 * temporary files; with fixed dates the bytes depend only on the content.
 *
 * Why our own writer rather than Debian's libxlsxwriter (1.1.4, which we
 * used before for the template and `convert`): both give the same bytes
 * for the same input (libxlsxwriter dates its zip members 1980-01-01 and
 * takes a fixed creation date), but libxlsxwriter 1.1.4 writes every part
 * through a temporary file in TMPDIR and can only write to a path (so
 * `-o -` needed one more temporary file), its write errors reach us as
 * one generic code after the fact (not naming the file, not going through
 * the output layer that fault-injection tests and the device/FIFO rules
 * cover), it formats dates with the process-wide gmtime() (workbooks had
 * to be closed one at a time under a lock) and it took 21 ms of a build
 * where this takes 15 (bench/README.md). The XML needed is small and
 * fixed; the zip and deflate are zlib's.
 *
 * Errors are sticky, like js_buf: calls after a failed allocation do
 * nothing and js_xbook_save reports it. Rows and columns count from 0. */
#ifndef JS_XLSX_BOOK_H
#define JS_XLSX_BOOK_H

#include <stdbool.h>
#include <stdint.h>

#include "juesuan/buf.h"
#include "juesuan/diag.h"

typedef struct js_xbook js_xbook;
typedef struct js_xsheet js_xsheet;

typedef enum { JS_XALIGN_GENERAL, JS_XALIGN_LEFT, JS_XALIGN_CENTER, JS_XALIGN_RIGHT } js_xalign;

/* A cell format. Zero is Excel's default (Calibri 11, General). */
typedef struct {
    bool bold;
    int size;           /* font size in points; 0 is 11 */
    js_xalign align;
    bool vcenter;       /* centred vertically */
    bool wrap;          /* text wraps */
    bool border;        /* thin border all round */
    uint32_t fill;      /* solid background 0xRRGGBB; 0 is none */
    const char *numfmt; /* number format ("#,##0.00"); NULL is General */
} js_xstyle;

/* Excel's length of the len bytes of UTF-8 at s: UTF-16 code units (a
 * character beyond the BMP counts two), as JS_MAX_XLSX_CELL_CHARS counts. */
size_t js_xlsx_text_length(const char *s, size_t len);

js_xbook *js_xbook_new(void);
void js_xbook_free(js_xbook *b);

/* The index of format s in b (equal formats share one), for the cell
 * calls below; 0 is the default format. */
int js_xbook_style(js_xbook *b, const js_xstyle *s);

/* Appends a sheet. name must be a valid sheet name: 1 to 31 characters,
 * none of []:*?/\, no apostrophe first or last, unique. NULL when it is
 * not (js_xbook_save then fails, naming it) or out of memory. */
js_xsheet *js_xbook_sheet(js_xbook *b, const char *name);

/* Writing a cell twice keeps the last value. An empty text is a blank
 * cell that keeps its format. A cell Excel cannot hold (past row
 * JS_MAX_XLSX_ROW or column JS_MAX_XLSX_COLUMNS, a text longer than
 * JS_MAX_XLSX_CELL_CHARS) is refused: js_xbook_bytes then fails with
 * JS_E_LIMIT naming the sheet and cell, never writes it cut. */
void js_xsheet_text(js_xsheet *s, uint32_t row, uint32_t col, const char *text, int style);
/* A number given as its decimal text ("-1234.50"), stored exactly as
 * written; any other text is written as text. */
void js_xsheet_number(js_xsheet *s, uint32_t row, uint32_t col, const char *decimal, int style);
/* Merges the range, writes text in its first cell and blanks with the
 * same format in the others (so borders show all round). */
void js_xsheet_merge(js_xsheet *s, uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2, const char *text, int style);
/* Width of columns c1..c2 in characters of the default font, and their
 * default format (style 0 for none). */
void js_xsheet_width(js_xsheet *s, uint32_t c1, uint32_t c2, double chars, int style);
/* Rows above row stay in view when scrolling. */
void js_xsheet_freeze(js_xsheet *s, uint32_t row);
/* Sets a row's height in points (for wrapped headings, which Excel does not
 * grow by itself in merged cells). */
void js_xsheet_height(js_xsheet *s, uint32_t row, double points);
/* Printing: paper (9 is A4), orientation, one page wide; one_page: one
 * page high too (else as many as it takes). */
void js_xsheet_page(js_xsheet *s, int paper, bool landscape, bool one_page);
/* Rows r1..r2 repeat at the top of every printed page. */
void js_xsheet_repeat_rows(js_xsheet *s, uint32_t r1, uint32_t r2);
/* A comment (note) on a cell, shown when the pointer rests on it. */
void js_xsheet_comment(js_xsheet *s, uint32_t row, uint32_t col, const char *text);
/* Cells r1..r2 x c1..c2 offer the values of range (a reference without
 * '=', such as "选项!$A$1:$A$5") as a drop-down list and take no other. */
void js_xsheet_list(js_xsheet *s, uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2, const char *range);
/* The sheet is hidden (a sheet of lists for js_xsheet_list). */
void js_xsheet_hide(js_xsheet *s);

/* The workbook as .xlsx bytes into *out (initialised here; the caller
 * releases it, also on failure) with the document title and a fixed
 * creation date (a date outside the years 1900-9999, or no date, is
 * written as 2000-01-01). Messages name shown. */
js_status js_xbook_bytes(js_xbook *b, const char *title, int year, int month, int day, js_buf *out,
                         const char *shown, js_diag *d);
/* The same written to path (js_write_file_atomic). */
js_status js_xbook_save(js_xbook *b, const char *path, const char *title, int year, int month, int day,
                        js_diag *d);

#endif
