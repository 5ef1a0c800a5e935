/* Every size limit of the library, in one place, each with the reason for
 * its number. Inputs beyond a limit are rejected with JS_E_LIMIT and a
 * message naming the limit, checked before the work it bounds (a file's
 * size before reading it, a row number before filling the gap to it).
 * docs/limits.md lists them for users. */
#ifndef JUESUAN_LIMITS_H
#define JUESUAN_LIMITS_H

/* ---- files -------------------------------------------------------------- */
/* One .xlsx part once unpacked, a dictionary or a template file: a
 * department's biggest sheet of 1 million line items is about 150 MB of
 * sheet XML. */
#define JS_MAX_FILE_BYTES    (256L * 1024 * 1024)
/* One CSV sheet. Sheets are mapped, not copied, so the machine's memory is
 * the practical bound; this only keeps sizes within long and line numbers
 * within uint32_t. */
#define JS_MAX_SHEET_BYTES   (1L << 40)
/* One .xlsx file, refused from its size before it is mapped: a workbook of
 * 1 million line items is about 40 MB; 1 GiB leaves room for any real one
 * and keeps a sparse multi-gigabyte file from being touched. */
#define JS_MAX_XLSX_BYTES    (1L << 30)
/* One profile file, or printed tables (tables.json) given to `check`: the
 * nine tables of a region are a few hundred KB. */
#define JS_MAX_JSON_BYTES    (4L * 1024 * 1024)
/* One rendered output held in memory (report.pdf of a large region). */
#define JS_MAX_OUTPUT_BYTES  (1L << 30)

/* ---- sheets ------------------------------------------------------------- */
/* One cell (CSV field or .xlsx cell text), checked while the field is
 * scanned, before it is copied: the longest real text (a 情况说明) is a
 * few thousand characters. */
#define JS_MAX_CELL_BYTES    (256 * 1024)
/* Fields in one record: the widest sheet has 12 columns. */
#define JS_MAX_COLUMNS       64
/* Records in one CSV sheet: line numbers are uint32_t. */
#define JS_MAX_ROWS          4000000000L
/* Row number in an .xlsx sheet: Excel's own maximum (1,048,576). A sheet's
 * skipped rows are kept as empty lines so that messages name the row
 * Excel shows; this bounds the cost of a row gap to one megabyte. */
#define JS_MAX_XLSX_ROW      1048576L
/* Characters (UTF-16 units) in one cell of an .xlsx we write: Excel's
 * own maximum; a longer cell is refused, never cut. */
#define JS_MAX_XLSX_CELL_CHARS 32767
/* Columns of a sheet we write: Excel's own maximum (XFD). */
#define JS_MAX_XLSX_COLUMNS  16384
/* Distinct shared strings of one .xlsx: one per distinct text cell, so a
 * workbook within the row limit on every sheet has far fewer. Each costs
 * two pointers even when empty; 4 million is 64 MB. */
#define JS_MAX_SHARED_STRINGS 4000000L
/* Units in a workbook: a province's consolidated 决算 lists several
 * hundred thousand (every 预算单位 of every level). Memory: about 200
 * bytes a unit besides its lines -- the unit record (16), its name (about
 * 40), and its slot in the name index (64 bytes, at a load of 1/4 to 1/2:
 * 128 to 256): 500 000 units take about 100 MiB, 64 MiB of it the index. */
#define JS_MAX_UNITS         500000
/* Input errors of one workbook reported in one run (js_workbook_input_errors);
 * past it only their number is. */
#define JS_MAX_INPUT_ERRORS 100
/* Merged ranges of an .xlsx sheet kept to explain a message about a cell
 * (more are not described). */
#define JS_MAX_XLSX_MERGES 10000
/* Distinct unit-name variants of a workbook kept for W-014 (more are read
 * as their units, not reported one by one). */
#define JS_MAX_UNIT_VARIANTS 100
/* Codes in a dictionary: the 功能分类 has about 5000. */
#define JS_MAX_DICT_CODES    20000

/* ---- profiles and tables ------------------------------------------------ */
#define JS_MAX_TABLES        64                   /* tables in a profile (the template has 9) */
#define JS_MAX_BLOCKS        4                    /* side-by-side blocks (the widest table has 2) */
#define JS_MAX_TABLE_COLUMNS 32                   /* columns in one block (the widest has 12) */
#define JS_MAX_FILTER_VALUES 64                   /* values in one filter */
#define JS_MAX_HEADING_DEPTH 4                    /* levels of a heading (the template uses 3) */
#define JS_MAX_PROFILE_DEPTH 4                    /* profile inheritance (region → province → default) */

/* ---- rules -------------------------------------------------------------- */
#define JS_MAX_RULE_TEXT     4096                 /* one rule's message or check */
#define JS_MAX_RULES         4096                 /* rules in a rule set (the default has ~100) */
/* One .rules file, refused from its size before it is read: the default's
 * largest is 12 KB; JS_MAX_RULES rules of a few hundred bytes each fit in
 * 2 MiB. Every rule's id is compared with the ones before it, so a file
 * may not bring more than JS_MAX_RULES (counted before that comparison). */
#define JS_MAX_RULES_FILE_BYTES (2L * 1024 * 1024)
#define JS_MAX_RULE_NAMES    16                   /* names after `named` */
#define JS_MAX_RULE_DEPTH    64                   /* nesting in a check */
#define JS_MAX_RULE_FILES    256                  /* .rules files in a directory */
#define JS_MAX_ADDENDS       256                  /* cells listed in one finding */
/* Findings kept per rule: a rule that fires on every line of a sheet of a
 * million line items would otherwise keep a million findings (gigabytes,
 * and a report nobody reads); the first 1000 show the pattern, and one
 * more finding of the rule counts the rest. */
#define JS_MAX_FINDINGS_PER_RULE 1000
#define JS_MAX_CONSIST_STEPS 4000000              /* terms visited by the consistency pass */
#define JS_MAX_CONSIST_TERMS 1000000              /* terms of the identities it gathers */

/* ---- the score of a disclosure (score.h) -------------------------------- */
#define JS_SCORE_MAX_ITEMS   64                   /* items in score.json (the default has 13) */
#define JS_SCORE_MAX_INPUTS  64                   /* inputs one item names */
#define JS_SCORE_MAX_WEIGHT  1000                 /* points of one item */

/* ---- outputs ------------------------------------------------------------ */
/* Files in one output set (a department's outputs: about 20). */
#define JS_MAX_OUTPUT_FILES  256

/* The portal's store (store.h). */
#define JS_MAX_STORE_TEXT    (64 * 1024)          /* one name, login, comment, explanation, log field */
#define JS_MAX_STORE_FILE    (256L * 1024 * 1024) /* one stored upload or output */
#define JS_MAX_PASSWORD_BYTES 1024                /* one password */
#define JS_MIN_PASSWORD_CHARS 8                   /* the shortest password accepted */
#define JS_LOGIN_MAX_FAILURES 5                   /* failed logins per login or address … */
#define JS_LOGIN_WINDOW      (15 * 60)            /* … within this many seconds */

#define JS_MAX_REPORT_BYTES  (256L * 1024 * 1024) /* one published report (PDF or text) read back */
#define JS_MAX_REPORT_TEXT   (256L * 1024 * 1024) /* the word list pdftotext gives for it */
#define JS_MAX_REPORT_CELLS  256                  /* cells on one line of a report */

#endif
