/* The workbook: everything about one department-year, as read from a folder
 * of UTF-8 CSV sheets (docs/workbook.md documents every sheet and column).
 *
 * Money lines of every sheet become "facts": one amount in 分 with the
 * dimensions the table engine filters on. */
#ifndef JUESUAN_WORKBOOK_H
#define JUESUAN_WORKBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "juesuan/diag.h"
#include "juesuan/dict.h"
#include "juesuan/money.h"

/* 资金来源 / 收入类型. The first three are 财政拨款. */
typedef enum {
    JS_FUND_GENERAL, /* 一般公共预算财政拨款 */
    JS_FUND_GOVFUND, /* 政府性基金预算财政拨款 */
    JS_FUND_SOE,     /* 国有资本经营预算财政拨款 */
    JS_FUND_UPPER,   /* 上级补助收入 */
    JS_FUND_SHIYE,   /* 事业收入 */
    JS_FUND_BUSINESS,/* 经营收入 */
    JS_FUND_AFFIL,   /* 附属单位上缴收入 */
    JS_FUND_OTHER,   /* 其他收入 */
    JS_FUND_COUNT
} js_fund;

/* 支出类型 */
typedef enum {
    JS_SPEND_BASIC,    /* 基本支出 */
    JS_SPEND_PROJECT,  /* 项目支出 */
    JS_SPEND_UPPER,    /* 上缴上级支出 */
    JS_SPEND_BUSINESS, /* 经营支出 */
    JS_SPEND_AFFIL,    /* 对附属单位补助支出 */
    JS_SPEND_COUNT
} js_spend;

/* 单位性质 */
typedef enum { JS_UNIT_ADMIN, JS_UNIT_CANGONG, JS_UNIT_INSTITUTION, JS_UNIT_KIND_COUNT } js_unit_kind;

/* "三公" and related items. */
typedef enum {
    JS_SG_ABROAD,      /* 因公出国(境)费 */
    JS_SG_CAR_BUY,     /* 公务用车购置费 */
    JS_SG_CAR_RUN,     /* 公务用车运行维护费 */
    JS_SG_RECEPTION,   /* 公务接待费 */
    JS_SG_MEETING,     /* 会议费 */
    JS_SG_TRAINING,    /* 培训费 */
    JS_SG_COUNT
} js_sg_item;

/* Where a fact comes from (which sheet and which amount column). */
typedef enum {
    JS_SRC_EXP,           /* 支出 */
    JS_SRC_REV,           /* 收入 */
    JS_SRC_CARRY_OPEN,    /* 年初结转和结余 */
    JS_SRC_CARRY_CLOSE,   /* 年末结转和结余 */
    JS_SRC_SURPLUS_USE,   /* 使用非财政拨款结余 */
    JS_SRC_SURPLUS_ALLOC, /* 结余分配 */
    JS_SRC_BUDGET,        /* 年初预算 */
    JS_SRC_SG_BUDGET,     /* 三公预算 */
    JS_SRC_SG_ACTUAL,     /* 三公决算 */
    /* The budget phase (docs/budget.md): */
    JS_SRC_B_EXP,         /* 预算支出: budget_expenditure.csv 预算数 */
    JS_SRC_B_EXP_PRIOR,   /* 上年预算支出: its 上年预算数 */
    JS_SRC_B_REV,         /* 预算收入: budget_revenue.csv 预算数 */
    JS_SRC_B_REV_PRIOR,   /* 上年预算收入 */
    JS_SRC_B_CARRY,       /* 上年结转: budget_carryover.csv */
    JS_SRC_B_SG,          /* 预算三公: budget_sangong.csv 预算数 */
    JS_SRC_B_SG_PRIOR,    /* 上年预算三公 */
    JS_SRC_B_OPS,         /* 预算机关运行经费: budget_figures.csv */
    JS_SRC_B_OPS_PRIOR,   /* 上年预算机关运行经费 */
    JS_SRC_BUDGET_GIVEN,  /* 年初预算填报: budget.csv's amounts beside a budget phase */
    JS_SRC_COUNT
} js_source;

#define JS_NONE 0xff

typedef struct {
    uint8_t source;  /* js_source */
    uint8_t fund;    /* js_fund or JS_NONE */
    uint8_t spend;   /* js_spend or JS_NONE */
    uint8_t item;    /* js_sg_item or JS_NONE */
    uint32_t unit;   /* index into the workbook's units */
    uint32_t func;   /* 7-digit 项 code, 0 when none */
    uint32_t econ;   /* 5-digit 款 code, 0 when none */
    uint32_t sheet_line; /* line in its sheet, for messages */
    uint32_t project;    /* 支出: index of its 项目名称 (js_workbook_fact_projects), UINT32_MAX none */
    js_fen amount;
    const char *func_name; /* 科目名称 as written in the sheet, NULL when none */
    const char *econ_name;
} js_fact;

typedef struct {
    const char *name;
    js_unit_kind kind;
} js_unit;

typedef struct {
    const char *key;
    const char *value;
} js_kv;

/* A row of budget.csv: its 项, fund and the reason text for the difference
 * between 决算 and 年初预算 ("" when none). */
typedef struct {
    uint32_t func;
    uint8_t fund;
    const char *reason;
    uint32_t line;
} js_budget_note;

typedef struct js_workbook js_workbook;

/* Vocabulary names, as written in sheets. */
extern const char *const js_fund_names[JS_FUND_COUNT];
extern const char *const js_spend_names[JS_SPEND_COUNT];
extern const char *const js_unit_kind_names[JS_UNIT_KIND_COUNT];
extern const char *const js_sg_item_names[JS_SG_COUNT];
extern const char *const js_source_names[JS_SRC_COUNT];
/* Index of name in names[0..n), or -1. */
int js_vocab_find(const char *const *names, int n, const char *name);

/* Where the workbook's sheets come from: a folder, or memory (fuzzing,
 * tests). get returns JS_OK with a buffer (malloc'd unless the source
 * says how to release it; the buffer is only read), JS_OK with
 * *data == NULL when the sheet does not exist, or an error (JS_E_IO when
 * it exists but cannot be read: never taken for absent). */
typedef struct {
    void *ctx;
    js_status (*get)(void *ctx, const char *sheet_file, char **data, size_t *len,
                     char *display_name, size_t display_len, js_diag *d);
    /* Frees what get returned; NULL: free(). */
    void (*release)(void *ctx, char *data, size_t len);
    /* Writes the names of the sheets the source has, joined by "、", to
     * buf (n bytes), for the message about a missing sheet; NULL: none. */
    void (*found)(void *ctx, char *buf, size_t n);
    /* Whether cell (line, col) of the sheet got last lies in a merged
     * range away from its top left cell (where the value is); then a
     * sentence saying so in buf. NULL: the source has no merges. */
    bool (*merged)(void *ctx, const char *sheet_file, long line, int col, char *buf, size_t n);
    /* A big sheet to read a window at a time rather than whole: *fd open
     * on it (the reader closes it), *size its bytes, display_name as get
     * writes it; *fd -1 to read it by get (a small or absent sheet, or
     * one that cannot be opened: get says why). NULL: always by get. */
    void (*stream)(void *ctx, const char *sheet_file, int *fd, size_t *size, char *display_name,
                   size_t display_len);
} js_sheet_source;

/* What a path holds, by its content (and its name where the content is
 * ambiguous): a folder of CSV sheets, an .xlsx, an Excel 97-2003 .xls (or a
 * WPS .et, which is one), a tables.json, something else, or nothing. */
typedef enum {
    JS_BOOK_MISSING,
    JS_BOOK_FOLDER,
    JS_BOOK_XLSX,
    JS_BOOK_XLS,
    JS_BOOK_JSON,
    JS_BOOK_OTHER
} js_book_kind;
js_book_kind js_workbook_kind(const char *path);
/* Whether folder holds the sheet file (e.g. "department.csv") under its
 * file name or its Chinese title (部门信息.csv). */
bool js_workbook_folder_has(const char *folder, const char *sheet_file);

/* Reads a workbook folder, .xlsx or .xls (js_workbook_kind; other formats
 * are refused with a message naming the formats read). datadir locates the dictionaries. The
 * caller owns the result (js_workbook_free). NULL and d filled on error. */
js_workbook *js_workbook_load(const char *datadir, const char *folder, js_diag *d);
/* The same, taking the dictionary from dicts (shared by many workbooks)
 * when not NULL. */
js_workbook *js_workbook_open(const char *datadir, js_dict_cache *dicts, const char *path, js_diag *d);
/* An .xls (libfreexl) is read in a child process, so that a file libfreexl
 * cannot survive costs the child, never the program. By default the child
 * is a fork of the caller. A program can name an executable instead that
 * runs js_xls_reader_main(PATH) when started as `EXE __xls-read PATH`
 * (juesuan's main is its own): the child then starts afresh (posix_spawn)
 * and inherits no other thread's locks, which a fork of a threaded batch
 * can (the sanitizers' allocators have no fork handlers). */
void js_xls_reader_set(const char *exe);
/* The child's work: PATH's sheets as records on standard output; the exit
 * status of the process. */
int js_xls_reader_main(const char *path);
/* How deep a set of sums looks into the codes: the first func digits of
 * the 7-digit 项 and econ digits of the 5-digit 款 (0: the code is
 * dropped); the digits cut are replaced by zeros. */
typedef struct {
    int func, econ;
} js_sum_depth;

/* The depths a workbook read summed sums its lines at: depths() is called
 * once department.csv is read, with the profile it names ("default" when
 * none), and fills depths[0..k) (k at most JS_MAX_TABLES: those of
 * js_tables_depths); 0 when it cannot tell (every digit is then kept). */
typedef struct {
    size_t (*depths)(void *ctx, const char *profile, js_sum_depth *depths);
    void *ctx;
    /* The sources (a bit per js_source) the tables add up, for the same
     * profile (js_tables_sources); NULL or 0: every source. An optional
     * 决算 sheet of line items (carryover.csv, surplus.csv, budget.csv)
     * none of whose facts they add up is not read. */
    uint32_t (*sources)(void *ctx, const char *profile);
} js_sum_plan;

/* The same for a caller that only compiles the department's tables
 * (js_tables_compile with unit -1): the same checks and messages, but the
 * line items are summed as they are read, at the depths plan gives (those
 * no other covers), into small tables of running totals, and the workbook
 * keeps those sums (js_workbook_sum_set) instead of one fact per line:
 * js_workbook_facts gives none, no project is numbered, and no stage that
 * looks at single lines may use the workbook. */
js_workbook *js_workbook_open_summed(const char *datadir, js_dict_cache *dicts, const char *path,
                                     const js_sum_plan *plan, js_diag *d);
/* The same over any sheet source. */
js_workbook *js_workbook_read_summed(const char *datadir, js_dict_cache *dicts, const js_sheet_source *src,
                                     const js_sum_plan *plan, js_diag *d);
/* Whether wb was read by js_workbook_open_summed or _read_summed. */
bool js_workbook_summed(const js_workbook *wb);
/* Of a workbook read summed: how many sets of sums it holds, and set i:
 * the sums of its line items at *depth, in the order of their first line
 * (each keeps that line; zero sums too, which count for that order), every
 * unit's facts under the first unit of its kind; *n of them. */
size_t js_workbook_sum_sets(const js_workbook *wb);
const js_fact *js_workbook_sum_set(const js_workbook *wb, size_t i, js_sum_depth *depth, size_t *n);
/* The same over any sheet source. */
js_workbook *js_workbook_read(const char *datadir, js_dict_cache *dicts, const js_sheet_source *src,
                              js_diag *d);
/* Every input error of a workbook, for a user who fixes them all at once:
 * the first JS_MAX_INPUT_ERRORS in reading order (items, n) and how many
 * were found in all (total). */
typedef struct {
    js_diag *items;
    size_t n, total;
} js_input_errors;
/* Reads the workbook at path (as js_workbook_open, no output kept) going on
 * past each error of a line or cell to the next line, and past a sheet
 * that cannot be read to the next sheet (not past department.csv or
 * units.csv, which the others need: an error there stops the reading at
 * the end of that sheet); fills e (release with
 * js_input_errors_release). e->items[0], when any, is the error
 * js_workbook_open reports. Returns e->total: 0 when it reads, or when the
 * failure is not an input error (memory, I/O) or path is no workbook. */
size_t js_workbook_input_errors(const char *datadir, js_dict_cache *dicts, const char *path,
                                js_input_errors *e);
void js_input_errors_release(js_input_errors *e);
/* A workbook of units and facts only, without sheets (the consolidated
 * workbook of a region): names are copied, facts (malloc'd) are taken
 * over, dict is borrowed. NULL and d filled when out of memory. */
js_workbook *js_workbook_assemble(const char *department, int year, const char *profile, js_dict *dict,
                                  const js_unit *units, size_t nunits, js_fact *facts, size_t nfacts,
                                  js_diag *d);
void js_workbook_free(js_workbook *wb);

const char *js_workbook_department(const js_workbook *wb);
int js_workbook_year(const js_workbook *wb);
/* The profile named by the workbook (部门信息 配置), "default" if none. */
const char *js_workbook_profile(const js_workbook *wb);
const js_dict *js_workbook_dict(const js_workbook *wb);
const js_unit *js_workbook_units(const js_workbook *wb, size_t *n);
/* A unit written in a sheet as a variant of a listed unit: with spaces
 * around it, or with full-width parentheses where the list has half-width
 * ones or the reverse. It counts as that unit (never a new one); the audit
 * reports it for verification (W-014). One per distinct text and sheet. */
typedef struct {
    const char *text;  /* as written, without the spaces around it */
    int unit;          /* index into js_workbook_units */
    bool spaces;       /* written with spaces around it */
    bool parens;       /* parentheses of the other width */
    const char *file;  /* display name of the sheet */
    long line;         /* first line */
    int col;           /* 1-based column */
    size_t lines;      /* lines written so */
} js_unit_variant;
const js_unit_variant *js_workbook_unit_variants(const js_workbook *wb, size_t *n);
/* Index of the unit named name (or numbered, 1-based), -1 when none. */
int js_workbook_find_unit(const js_workbook *wb, const char *name);
const js_fact *js_workbook_facts(const js_workbook *wb, size_t *n);
/* A cell of a keyed sheet (by file name or Chinese title; column NULL for
 * the first value column): *text the cell as written ("" when the key is
 * absent) and *number its value. Returns 1 for a money column (*number in
 * 分), 2 for a count, 0 for text, -1 when the sheet or column is unknown. */
int js_workbook_value(const js_workbook *wb, const char *sheet, const char *key, const char *column,
                      const char **text, js_fen *number);
/* js_workbook_value, and in *given whether the workbook gives that cell (as
 * js_workbook_given(wb, file, key, column) says), from one lookup of key. */
int js_workbook_value_given(const js_workbook *wb, const char *sheet, const char *key, const char *column,
                            const char **text, js_fen *number, bool *given);
/* A keyed sheet, or a sheet kept as rows (perf_indicators.csv), as a
 * table: its rows (in order) and schema columns. */
size_t js_workbook_sheet_size(const js_workbook *wb, const char *sheet, int *ncols);
const char *js_workbook_sheet_heading(const char *sheet, int col);
const char *js_workbook_sheet_cell(const js_workbook *wb, const char *sheet, size_t row, int col);
/* The parsed value of a cell: money in 分, a count, a number ×10^6, or a
 * closed-list column's index (-1 when blank). */
js_fen js_workbook_sheet_number(const js_workbook *wb, const char *sheet, size_t row, int col);
/* The unit a money column's heading declares in the workbook read:
 * JS_UNIT_YUAN or JS_UNIT_WAN (a cell may still override it with a
 * trailing 元/万元). column is the schema name without the unit ("金额",
 * "决算数"), NULL for the sheet's first money column. -1 when the sheet was
 * not read (absent, or an assembled workbook), the column is absent or is
 * not money. */
int js_workbook_money_unit(const js_workbook *wb, const char *sheet, const char *column);
/* Whether the workbook holds the budget phase (budget_expenditure.csv;
 * docs/budget.md); its 年初预算 facts are then derived from it. */
bool js_workbook_has_budget_phase(const js_workbook *wb);
/* Whether the workbook gives a 年初预算 for the 决算: budget.csv with its
 * 年初预算数 column, or the budget phase. */
bool js_workbook_has_initial_budget(const js_workbook *wb);
/* The rows of budget.csv, in order. */
const js_budget_note *js_workbook_budget_notes(const js_workbook *wb, size_t *n);
/* The name messages use for a sheet (its path when read from a folder;
 * the bare file name when the workbook has no such sheet). */
const char *js_workbook_sheet_file(const js_workbook *wb, const char *sheet);
/* Whether the workbook gives a value: the sheet (a file name) was read and,
 * for a keyed sheet, has the column (NULL: its first value column) and the
 * key (NULL: any). A given cell may still be blank, which the schema gives
 * a meaning (an amount: zero). */
bool js_workbook_given(const js_workbook *wb, const char *sheet, const char *key, const char *column);
/* Whether the workbook has the sheet (optional sheets may be absent). */
bool js_workbook_has_sheet(const js_workbook *wb, const char *sheet);
/* Points d's file, line, column and column name at the value of key in a
 * keyed sheet (e.g. department.csv 配置); false when the key is absent. */
bool js_workbook_locate(const js_workbook *wb, const char *sheet, const char *key, js_diag *d);
/* The distinct 项目名称 of the expenditure lines (js_fact.project). */
const char *const *js_workbook_fact_projects(const js_workbook *wb, size_t *n);
/* The sheet file (as named in messages) that facts of a js_source came
 * from, "" when none. */
const char *js_workbook_source_file(const js_workbook *wb, int source);
/* Value of a key of a key-value sheet (部门信息, 文本 ...), NULL when
 * absent. sheet is the file name, e.g. "department.csv". */
const char *js_workbook_text(const js_workbook *wb, const char *sheet, const char *key);

#endif
