/* Every size limit of the library, in one place. Inputs beyond a limit are
 * rejected with JS_E_LIMIT and a message naming the limit. */
#ifndef JUESUAN_LIMITS_H
#define JUESUAN_LIMITS_H

#define JS_MAX_FILE_BYTES    (256L * 1024 * 1024) /* one .xlsx part, dictionary or template file */
#define JS_MAX_SHEET_BYTES   (1L << 40)           /* one CSV sheet: memory is the real limit */
#define JS_MAX_JSON_BYTES    (4L * 1024 * 1024)   /* one profile/table file */
#define JS_MAX_CELL_BYTES    (256 * 1024)         /* one CSV field */
#define JS_MAX_COLUMNS       64                   /* fields in one CSV record */
#define JS_MAX_ROWS          4000000000L          /* records in one sheet (lines are uint32_t) */
#define JS_MAX_UNITS         100000               /* units in a workbook */
#define JS_MAX_DICT_CODES    20000                /* codes in a dictionary */
#define JS_MAX_TABLES        64                   /* tables in a profile */
#define JS_MAX_BLOCKS        4                    /* side-by-side blocks */
#define JS_MAX_TABLE_COLUMNS 32                   /* columns in one block */
#define JS_MAX_FILTER_VALUES 64                   /* values in one filter */
#define JS_MAX_HEADING_DEPTH 4                    /* levels of a heading */
#define JS_MAX_PROFILE_DEPTH 4                    /* profile inheritance */
#define JS_MAX_OUTPUT_BYTES  (1L << 30)           /* one rendered output */
#define JS_MAX_RULE_TEXT     4096                 /* one rule's message or check */
#define JS_MAX_RULES         4096                 /* rules in a rule set */
#define JS_MAX_RULE_NAMES    16                   /* names after `named` */
#define JS_MAX_RULE_DEPTH    64                   /* nesting in a check */
#define JS_MAX_RULE_FILES    256                  /* .rules files in a directory */
#define JS_MAX_ADDENDS       256                  /* cells listed in one finding */
#define JS_MAX_REPORT_BYTES  (256L * 1024 * 1024) /* one published report (PDF or text) read back */
#define JS_MAX_REPORT_TEXT   (256L * 1024 * 1024) /* the word list pdftotext gives for it */
#define JS_MAX_REPORT_CELLS  256                  /* cells on one line of a report */

#endif
