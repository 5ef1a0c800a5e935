/* What a spreadsheet cell holds, as the text of a CSV cell: numbers as
 * written, Excel date serials (1900 and 1904 systems) as ISO dates, and the
 * one rule by which typed dates and codes are read from text. Shared by the
 * .xlsx and .xls readers and the workbook reader. */
#ifndef JS_SHEET_CELL_H
#define JS_SHEET_CELL_H

#include <stdbool.h>
#include <stddef.h>

/* A number as the sheet shows it: at most 15 significant digits (Excel
 * computes with 15, so longer forms are binary noise), never an exponent.
 * v is the number's text as stored ("814900.00000000012", "1E-3"). */
void js_cell_number_text(const char *v, char *buf, size_t n);

/* The date of an Excel serial number as "YYYY-MM-DD" (buf of 11 bytes or
 * more): in the 1900 system serial 1 is 1900-01-01 and 60 the 1900-02-29
 * Excel keeps from Lotus (read as 1900-02-28); in the 1904 system 0 is
 * 1904-01-01. A time of day is dropped. false for a serial outside
 * 1900-01-01 .. 9999-12-31. */
bool js_cell_serial_date(double serial, bool date1904, char *buf, size_t n);

/* Whether an Excel number format shows a date: built-in formats 14-22,
 * 27-36, 45-47 and 50-58, or a format code with a date or time part (d, m,
 * y, h, s, 年, 月, 日 outside quotes, escapes and [..] sections). code may
 * be NULL for a built-in id. */
bool js_cell_format_is_date(int id, const char *code);

/* A date typed as text — 2025-11-05, 2025/11/5, 2025.11.5, 2025年11月5日,
 * full-width digits — as "YYYY-MM-DD" in buf (11 bytes or more); false
 * when it is not a real calendar date between 1900 and 9999. */
bool js_cell_date(const char *text, size_t len, char *buf, size_t n);

/* The digits of a code cell by the rule amounts follow (money.c): full-width
 * digits read as ASCII, surrounding spaces dropped, and a number stored as
 * text with a zero fraction ("30101.0", "３０１０１．００") read as its whole
 * part. Writes the digits to buf (NUL-terminated) and returns true; false
 * when the text is not such a number (then buf holds the text as given). */
bool js_cell_code_digits(const char *text, size_t len, char *buf, size_t n);

#endif
