/* Reading and validating a workbook (see workbook.h, workbook_schema.h). */
#include "juesuan/workbook.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "beside.h"
#include "csv.h"
#include "fact_sum.h"
#include "fileio.h"
#include "huge.h"
#include "nearest.h"
#include "sheet_cell.h"
#include "sheetbook.h"
#include "juesuan/limits.h"
#include "strmap.h"
#include "vec.h"
#include "workbook_schema.h"

#define MAX_SPEC_COLS 32
#define PARALLEL_BYTES ((size_t)8 << 20) /* a fact sheet this big is read by two threads */
#define MAP_BYTES ((size_t)1 << 20)       /* a sheet this big is mapped, not copied */

/* One record of a keyed sheet: the key and the raw text of every column of
 * the schema, in schema order ("" where absent). */
typedef struct {
    const char *key;
    const char **cells;
    js_fen *money;  /* parsed money and count cells, by schema column */
    long line;
    int valcol; /* CSV column of the value (the schema's second column) */
} keyed_row;

typedef struct {
    keyed_row *rows;
    size_t n, cap;
    uint32_t columns; /* bit k: the sheet has the schema's column k */
} keyed_sheet;

struct js_workbook {
    js_arena arena;
    js_dict *dict;
    bool own_dict;
    const char *department;
    int year;
    const char *profile;
    js_unit *units;
    size_t nunits, capunits;
    js_fact *facts;
    size_t nfacts, capfacts;
    keyed_sheet keyed[JS_MAX_SHEETS];
    const char *source_file[JS_SRC_COUNT]; /* display name of each fact source's sheet */
    const char *sheet_file[JS_MAX_SHEETS]; /* display name of each sheet read */
    uint8_t money_unit[JS_MAX_SHEETS][MAX_SPEC_COLS]; /* declared unit of a money column + 1, 0 none */
    js_budget_note *notes;                 /* budget.csv reason texts */
    const char **projects;                 /* distinct 项目名称 */
    size_t nprojects, capprojects;
    js_strmap unit_index, project_index;   /* names -> indexes */
    size_t nnotes, capnotes;
    js_unit_variant *variants;             /* units written as variants of listed ones */
    size_t nvariants, capvariants;
    /* Read summed (js_workbook_open_summed): no facts, but sets of sums. */
    bool summed;
    uint32_t sources; /* those the tables add up (not_summed); 0: not asked yet */
    const js_sum_plan *plan;           /* while reading */
    js_sum_depth depth[JS_MAX_TABLES]; /* of the sets: those no other covers */
    size_t ndepth;                     /* 0: not planned yet */
    bool feed_ready;                   /* feed initialised (once every unit is read) */
    js_fact_feed feed;                 /* while reading */
    bool overflowed;                   /* a sum left the range of js_fen: */
    js_fact over;                      /* the fact that made it so (its line in the sheet) */
    js_fact *sets[JS_MAX_TABLES];      /* after reading: the sums at each depth */
    size_t nset[JS_MAX_TABLES], capset[JS_MAX_TABLES];
};

/* A parsed record: raw text and typed value of each schema column. */
typedef struct {
    const char *text[MAX_SPEC_COLS];
    js_fen money[MAX_SPEC_COLS];
    long count[MAX_SPEC_COLS];
    int vocab[MAX_SPEC_COLS];
    uint32_t code[MAX_SPEC_COLS];
    int col[MAX_SPEC_COLS]; /* 1-based CSV column, 0 when absent */
    long line;
} record;

/* Column mapping of one sheet. */
typedef struct {
    int field[MAX_SPEC_COLS];          /* CSV field index of each spec column, -1 */
    js_money_unit unit[MAX_SPEC_COLS]; /* for money columns */
    const char *heading[JS_MAX_COLUMNS]; /* the header line, by CSV field */
    size_t nheading;
    int present[MAX_SPEC_COLS];        /* the spec columns the sheet has, in spec order */
    int npresent;
    bool absent_required;              /* a column it lacks would be an error on every line */
} colmap;

/* Cells seen in a column whose value is looked up (parse_record), with
 * their values: a few per column, placed by a hash of the text, since
 * lines repeat a department's few units, codes and vocabularies. */
#define MEMO_WAYS 16
#define MEMO_COLS 8    /* the looked-up columns are among a sheet's first */
#define CODE_BITS 12   /* 2^CODE_BITS codes known to be in the dictionary, per kind */
#define CODE_WAYS (1u << CODE_BITS)

/* A looked-up column past MEMO_COLS would be looked up on every line, and
 * fast_record would give every line to parse_record: in the sheets of line
 * items none is. */
#define PAST_MEMO(id, name, type, ...) \
    +((type == JS_COL_FUNC || type == JS_COL_ECON || type == JS_COL_VOCAB || type == JS_COL_UNIT) && id >= MEMO_COLS)
_Static_assert(0 JS_EXPENDITURE_COLUMNS(PAST_MEMO) JS_REVENUE_COLUMNS(PAST_MEMO) JS_CARRYOVER_COLUMNS(PAST_MEMO)
                   JS_SURPLUS_COLUMNS(PAST_MEMO) JS_BUDGET_COLUMNS(PAST_MEMO) == 0,
               "a looked-up column of a line sheet is past MEMO_COLS");

typedef struct {
    char text[64]; /* NUL-terminated */
    size_t len;
    uint32_t gen;  /* the sheet's (reader.gen); another: none */
    uint32_t code;
    int vocab;
} memo;

/* The hashes of a plain line's unit and project cells (the cells at
 * unit_at and project_at of the input), computed when the line was read
 * ahead of its turn, to prefetch their slots of the name indexes: a
 * lookup of the line's names then needs no hash of its own. */
typedef struct {
    const char *unit_at, *project_at; /* NULL: not hashed */
    uint64_t unit, project;
} line_hashes;

/* The last 项目名称 seen and its number (record_facts). */
typedef struct {
    char text[128];
    size_t len; /* 0: none */
    uint32_t number;
} project_memo;

typedef struct {
    js_workbook *wb;
    memo memo[MEMO_COLS][MEMO_WAYS]; /* of the sheet being read */
    uint32_t gen;                      /* counts the sheets read */
    uint32_t known_code[2][CODE_WAYS]; /* 项 (7 digits) and 款 (5) codes in the dictionary, + 1 */
    project_memo project;
    bool looked_up; /* a unit or project name of the last line was not in its memo */
    line_hashes hashed; /* of the line being read, if it was hashed ahead */
    char scratch[4096]; /* text cells of a line read by fast_record */
    const char *datadir;
    js_dict_cache *dicts; /* NULL: the workbook loads its own dictionary */
    const js_sheet_source *src;
    js_diag *d;
    js_input_errors *all; /* NULL: stop at the first error; else collect them */
} reader;

static js_status nomem(js_diag *d) { return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足"); }

/* Collecting every input error (js_workbook_input_errors): keeps the
 * error in r->d and clears it; false (stop) when not collecting, when it
 * is no input error, or when the list cannot grow. */
static bool keep_going(reader *r)
{
    js_input_errors *e = r->all;
    if (!e || !r->d || r->d->status != JS_E_INPUT)
        return false;
    if (e->n < JS_MAX_INPUT_ERRORS) {
        js_diag *grown = realloc(e->items, sizeof *e->items * (e->n + 1));
        if (!grown)
            return false;
        e->items = grown;
        e->items[e->n++] = *r->d;
    }
    e->total++;
    js_diag_clear(r->d);
    return true;
}

/* A copy of a record's text that lives as long as the workbook; NULL when
 * out of memory. */
static const char *keep(js_workbook *wb, const char *text) { return js_arena_strdup(&wb->arena, text); }

/* A 科目名称 as a line writes it, kept for the workbook's checks (NULL
 * when empty, or when read summed: the tables take names from the
 * dictionary). */
static const char *sheet_name(const reader *r, const char *text)
{
    return text[0] && !r->wb->summed ? keep(r->wb, text) : NULL;
}

/* Room for need facts. A region's facts take tens of MB: on huge pages
 * (where the system gives them) they are written with a page fault per
 * 2 MiB instead of one per 4 KiB. */
static bool reserve_facts(js_workbook *wb, size_t need)
{
    size_t cap = wb->capfacts;
    if (!js_vec_reserve(&wb->facts, &wb->capfacts, need, sizeof *wb->facts))
        return false;
    if (wb->capfacts != cap)
        js_huge_hint(wb->facts, wb->capfacts * sizeof *wb->facts);
    return true;
}

/* Room for the facts of bytes more of a sheet of kind: made at
 * once, since an array grown by copies is written twice (and its pages
 * faulted in twice). A line of line items has at least FACT_LINE_BYTES
 * bytes (its codes, vocabulary words and amount); one gives at most two
 * facts. Where the guess is short, the array grows as before; pages
 * reserved and never written cost no memory. */
#define FACT_LINE_BYTES 32
static bool reserve_sheet_facts(js_workbook *wb, size_t bytes, int kind);

static bool add_fact(js_workbook *wb, const js_fact *f)
{
    if (wb->nfacts == wb->capfacts && !reserve_facts(wb, wb->nfacts + 1))
        return false;
    wb->facts[wb->nfacts++] = *f;
    return true;
}

/* The depths a workbook read summed sums at, from its plan and the
 * profile department.csv names (read before any line): those no other
 * covers; every digit when the plan cannot tell. */
static void plan_depths(js_workbook *wb)
{
    js_sum_depth all[JS_MAX_TABLES];
    const char *profile = wb->profile ? wb->profile : "default";
    size_t k = wb->plan && wb->plan->depths ? wb->plan->depths(wb->plan->ctx, profile, all) : 0;
    if (k == 0 || k > JS_MAX_TABLES) {
        all[0] = (js_sum_depth){7, 5};
        k = 1;
    }
    wb->ndepth = js_fact_depths_deepest(all, k, wb->depth);
}

/* Notes the first sum that left the range of js_fen (bad, its line in the
 * part read); summing stops there. It is an error once the whole workbook
 * is read, as js_fact_sum's would be after an error-free read. */
static void note_overflow(js_workbook *wb, const js_fact *bad, long lines)
{
    if (wb->overflowed)
        return;
    wb->overflowed = true;
    wb->over = *bad;
    wb->over.sheet_line += (uint32_t)lines;
}

/* A fact of a line: kept, or summed when the workbook is read summed. */
static js_status give_fact(reader *r, const js_fact *f)
{
    js_workbook *wb = r->wb;
    if (!wb->summed)
        return add_fact(wb, f) ? JS_OK : nomem(r->d);
    if (!wb->feed_ready) {
        plan_depths(wb);
        if (!js_fact_feed_init(&wb->feed, wb->units, wb->nunits, wb->depth, wb->ndepth))
            return nomem(r->d);
        wb->feed_ready = true;
    }
    js_fact bad;
    bool overflow;
    if (wb->overflowed || js_fact_feed_add(&wb->feed, f, &bad, &overflow))
        return JS_OK;
    if (!overflow)
        return nomem(r->d);
    note_overflow(wb, &bad, 0);
    return JS_OK;
}

/* Splits a heading into its name and unit: "金额(元)" -> "金额", 元. */
static int heading_unit(const char *h, char *name, size_t n)
{
    static const struct { const char *suffix; int unit; } k[] = {
        {"(元)", JS_UNIT_YUAN}, {"（元）", JS_UNIT_YUAN},
        {"(万元)", JS_UNIT_WAN}, {"（万元）", JS_UNIT_WAN},
    };
    size_t len = strlen(h);
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        size_t sl = strlen(k[i].suffix);
        if (len > sl && strcmp(h + len - sl, k[i].suffix) == 0) {
            snprintf(name, n, "%.*s", (int)(len - sl), h);
            return k[i].unit;
        }
    }
    snprintf(name, n, "%s", h);
    return -1;
}

/* Up to eight bytes of p as a number (a fixed-size load when there are
 * eight: a variable-size copy through memory stalls the load after it). */
static inline uint64_t load_upto8(const char *p, size_t n)
{
    uint64_t v = 0;
    if (n >= 8) {
        memcpy(&v, p, 8);
        return v;
    }
    if (n >= 4) { /* the first four and the last four, overlapping */
        uint32_t lo, hi;
        memcpy(&lo, p, 4);
        memcpy(&hi, p + n - 4, 4);
        return (uint64_t)lo | (uint64_t)hi << (8 * (n - 4));
    }
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)(unsigned char)p[i] << (8 * i);
    return v;
}

/* Whether a[0..n) equals b[0..n): the memo compares, inline, since the
 * cells are short and a call to memcmp costs more than the compare. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    if (n < 8)
        return load_upto8(a, n) == load_upto8(b, n);
    for (size_t i = 0; i + 8 < n; i += 8)
        if (load_upto8(a + i, 8) != load_upto8(b + i, 8))
            return false;
    return load_upto8(a + n - 8, 8) == load_upto8(b + n - 8, 8); /* the last eight, overlapping */
}

/* The memo entry for text (len > 0) among MEMO_WAYS: from its length and
 * its first and last (up to) eight bytes. */
static inline size_t memo_way(const char *text, size_t len)
{
    uint64_t a = load_upto8(text, len), b = len > 8 ? load_upto8(text + len - 8, 8) : 0;
    uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15ULL) ^ len) * 0xff51afd7ed558ccdULL;
    return (size_t)(h >> 60) & (MEMO_WAYS - 1);
}

/* The known_code entry of a code. */
static inline size_t code_way(uint32_t code)
{
    return (size_t)((code * 0x9E3779B1u) >> (32 - CODE_BITS));
}

/* The code of a cell of exactly n ASCII digits, or UINT32_MAX. */
static inline uint32_t digits_code(const char *t, size_t len, size_t n)
{
    if (len != n)
        return UINT32_MAX;
    if (n >= 4 && n <= 8) { /* eight bytes at a time (SWAR): the digits high, '0' below them */
        uint64_t v = load_upto8(t, n) << (8 * (8 - n));
        if (n < 8)
            v |= 0x3030303030303030ULL >> (8 * n);
        if (((v & 0xF0F0F0F0F0F0F0F0ULL) | (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) !=
            0x3333333333333333ULL)
            return UINT32_MAX;
        v = (v & 0x0F0F0F0F0F0F0F0FULL) * 2561 >> 8;
        v = (v & 0x00FF00FF00FF00FFULL) * 6553601 >> 16;
        return (uint32_t)((v & 0x0000FFFF0000FFFFULL) * 42949672960001ULL >> 32);
    }
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned char)t[i] - '0';
        if (d > 9)
            return UINT32_MAX;
        v = v * 10 + d;
    }
    return v;
}

/* The memo entry for a looked-up cell of column k, or NULL where the memo
 * keeps nothing (an empty cell, one too long, a column past MEMO_COLS). */
static memo *memo_slot(reader *r, int k, const char *text, size_t len)
{
    return len > 0 && len < sizeof r->memo[0][0].text && k < MEMO_COLS ? &r->memo[k][memo_way(text, len)] : NULL;
}

/* Whether mo holds text, seen in this sheet. */
static bool memo_holds(const reader *r, const memo *mo, const char *text, size_t len)
{
    return mo && mo->gen == r->gen && len == mo->len && same_bytes(text, mo->text, len);
}

static void memo_keep(const reader *r, memo *mo, const char *text, size_t len, uint32_t code, int vocab)
{
    mo->len = len; /* field by field: the rest of text is not cleared */
    mo->gen = r->gen;
    mo->code = code;
    mo->vocab = vocab;
    memcpy(mo->text, text, len);
    mo->text[len] = '\0';
}

/* The index of a vocabulary value or a unit (text NUL-terminated, len
 * bytes), -1 when there is none. */
static long value_index(const reader *r, const js_colspec *cs, const char *text, size_t len)
{
    return cs->type == JS_COL_UNIT ? js_strmap_get(&r->wb->unit_index, text, len)
                                   : js_vocab_find(cs->vocab, cs->nvocab, text);
}

static const char *unit_name_at(const void *ctx, size_t i) { return ((const js_workbook *)ctx)->units[i].name; }

/* Finds s without surrounding ASCII and ideographic spaces. */
static void trim(const char *s, size_t len, const char **out, size_t *outlen)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
        s += 3, len -= 3;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    while (len >= 3 && memcmp(s + len - 3, "\xe3\x80\x80", 3) == 0)
        len -= 3;
    *out = s;
    *outlen = len;
}

static js_status map_header(js_workbook *wb, const js_sheetspec *sp, js_csv *c, const char *fname,
                            colmap *m, js_diag *d)
{
    for (int k = 0; k < sp->ncols; k++)
        m->field[k] = -1;
    size_t nf = js_csv_nfields(c);
    m->nheading = nf;
    for (size_t i = 0; i < nf; i++) {
        const char *h;
        size_t hl;
        trim(js_csv_field(c, i), js_csv_field_len(c, i), &h, &hl);
        char raw[256], name[256];
        snprintf(raw, sizeof raw, "%.*s", (int)hl, h);
        m->heading[i] = js_arena_strdup(&wb->arena, raw);
        if (!m->heading[i])
            return nomem(d);
        int unit = heading_unit(raw, name, sizeof name);
        for (int k = 0; k < sp->ncols; k++) {
            bool money = sp->cols[k].type == JS_COL_MONEY;
            if (strcmp(sp->cols[k].name, money ? name : raw) != 0)
                continue;
            if (m->field[k] >= 0)
                return js_diag_set(d, JS_E_INPUT, fname, 1, (int)i + 1, raw,
                                   "表头重复：第%d列和第%zu列都是「%s」", m->field[k] + 1, i + 1,
                                   sp->cols[k].name);
            if (sp->cols[k].type == JS_COL_MONEY) {
                if (unit < 0)
                    return js_diag_set(d, JS_E_INPUT, fname, 1, (int)i + 1, raw,
                                       "金额列的表头须注明单位，如「%s(元)」或「%s(万元)」",
                                       sp->cols[k].name, sp->cols[k].name);
                m->unit[k] = (js_money_unit)unit;
            }
            m->field[k] = (int)i;
        }
    }
    for (int k = 0; k < sp->ncols; k++)
        if (sp->cols[k].required && m->field[k] < 0)
            return js_diag_set(d, JS_E_INPUT, fname, 1, 0, NULL, "缺少列「%s」%s", sp->cols[k].name,
                               sp->cols[k].type == JS_COL_MONEY ? "（如「金额(元)」）" : "");
    m->npresent = 0;
    for (int k = 0; k < sp->ncols; k++)
        if (m->field[k] >= 0)
            m->present[m->npresent++] = k;
        else if (sp->cols[k].cell_required)
            m->absent_required = true;
    return JS_OK;
}

/* Copies text with full-width parentheses made half-width into out
 * (NUL-terminated); false when it does not fit. */
static bool fold_parens(const char *text, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = text; *p; o++) {
        if (o + 1 >= n)
            return false;
        if (!strncmp(p, "\xef\xbc\x88", 3) || !strncmp(p, "\xef\xbc\x89", 3)) {
            out[o] = p[2] == '\x88' ? '(' : ')';
            p += 3;
        } else {
            out[o] = *p++;
        }
    }
    out[o] = '\0';
    return true;
}

/* The one listed unit text names up to the width of its parentheses; -1
 * when none or more than one does. */
static long unit_by_parens(const js_workbook *wb, const char *text)
{
    char want[512], name[512];
    if (!strchr(text, '(') && !strchr(text, ')') && !strstr(text, "\xef\xbc\x88") && !strstr(text, "\xef\xbc\x89"))
        return -1;
    if (!fold_parens(text, want, sizeof want))
        return -1;
    long found = -1;
    for (size_t i = 0; i < wb->nunits; i++) {
        if (!fold_parens(wb->units[i].name, name, sizeof name) || strcmp(name, want))
            continue;
        if (found >= 0)
            return -1;
        found = (long)i;
    }
    return found;
}

/* The variant of wb like v (same unit, way, text and sheet), or NULL. */
static js_unit_variant *same_variant(js_workbook *wb, const js_unit_variant *v)
{
    for (size_t i = 0; i < wb->nvariants; i++) {
        js_unit_variant *w = &wb->variants[i];
        if (w->unit == v->unit && w->spaces == v->spaces && w->parens == v->parens && !strcmp(w->text, v->text) &&
            !strcmp(w->file, v->file))
            return w;
    }
    return NULL;
}

/* Counts v's lines to the same variant of wb, else adds v (its text and
 * file already in wb's arena); past the limit, counted no further (the
 * first ones are reported). */
static bool add_variant(js_workbook *wb, const js_unit_variant *v)
{
    js_unit_variant *same = same_variant(wb, v);
    if (same)
        same->lines += v->lines;
    else if (wb->nvariants < JS_MAX_UNIT_VARIANTS) {
        if (!js_vec_reserve(&wb->variants, &wb->capvariants, wb->nvariants + 1, sizeof *wb->variants))
            return false;
        wb->variants[wb->nvariants++] = *v;
    }
    return true;
}

/* Records that a unit cell was written as a variant of unit u. */
static js_status note_variant(reader *r, const char *fname, long line, int col, const char *text, long u,
                              bool spaces, bool parens)
{
    js_workbook *wb = r->wb;
    js_unit_variant v = {text, (int)u, spaces, parens, fname, line, col, 1};
    if (!same_variant(wb, &v) && wb->nvariants < JS_MAX_UNIT_VARIANTS &&
        (!(v.text = keep(wb, text)) || !(v.file = keep(wb, fname))))
        return nomem(r->d);
    return add_variant(wb, &v) ? JS_OK : nomem(r->d);
}

const js_unit_variant *js_workbook_unit_variants(const js_workbook *wb, size_t *n)
{
    *n = wb->nvariants;
    return wb->variants;
}

static js_status parse_record(reader *r, const js_sheetspec *sp, const colmap *m, js_csv *c,
                              const char *fname, record *rec)
{
    js_workbook *wb = r->wb;
    rec->line = js_csv_line(c);
    for (size_t i = m->nheading; i < js_csv_nfields(c); i++)
        if (js_csv_field_len(c, i) && strspn(js_csv_field(c, i), " \t") != js_csv_field_len(c, i))
            return js_diag_set(r->d, JS_E_INPUT, fname, rec->line, (int)i + 1, NULL,
                               "这一行有 %zu 列，比表头多（表头 %zu 列）；含逗号的内容须加英文双引号，如 \"1,234.00\"",
                               js_csv_nfields(c), m->nheading);
    for (int k = 0; k < sp->ncols; k++) {
        const js_colspec *cs = &sp->cols[k];
        /* The trimmed text, in the reader's buffer (valid for this record
         * only: what the workbook keeps is copied by keep()). */
        char *text = NULL;
        size_t len = 0, raw_len = 0;
        char *field = m->field[k] >= 0 ? js_csv_field_edit(c, (size_t)m->field[k]) : NULL;
        if (field) {
            const char *start;
            raw_len = js_csv_field_len(c, (size_t)m->field[k]);
            trim(field, raw_len, &start, &len);
            text = field + (start - field);
            text[len] = '\0';
        }
        /* Codes and counts by the rule of amounts: full-width digits and a
         * number stored as text ("30101.0") read as their digits. */
        if ((cs->type == JS_COL_FUNC || cs->type == JS_COL_ECON || cs->type == JS_COL_COUNT) && len &&
            strspn(text, "0123456789") != len) {
            char digits_text[64];
            if (js_cell_code_digits(text, len, digits_text, sizeof digits_text)) {
                len = strlen(digits_text); /* never longer than the text */
                memcpy(text, digits_text, len + 1);
            }
        }
        rec->text[k] = text ? text : "";
        rec->money[k] = 0;
        rec->count[k] = 0;
        rec->vocab[k] = -1;
        rec->code[k] = 0;
        int col = m->field[k] + 1;
        rec->col[k] = col;
        if (len == 0) {
            if (cs->cell_required && cs->type != JS_COL_MONEY)
                return js_diag_set(r->d, JS_E_INPUT, fname, rec->line, col, cs->name, "不能为空");
            if (cs->type != JS_COL_MONEY)
                continue;
        }
        char msg[256];
        int digits;
        /* Lines repeat a few units, codes and vocabulary values: a cell
         * found in its column's memo has the value kept there. */
        bool lookup = cs->type == JS_COL_FUNC || cs->type == JS_COL_ECON || cs->type == JS_COL_VOCAB ||
                      cs->type == JS_COL_UNIT;
        memo *mo = lookup ? memo_slot(r, k, text, len) : NULL;
        /* A listed unit with spaces around it: that unit, reported. */
        bool spaced = cs->type == JS_COL_UNIT && len != raw_len;
        if (memo_holds(r, mo, text, len)) {
            rec->code[k] = mo->code;
            rec->vocab[k] = mo->vocab;
            if (spaced && note_variant(r, fname, rec->line, col, text, mo->vocab, true, false) != JS_OK)
                return r->d->status;
            continue;
        }
        switch (cs->type) {
        case JS_COL_TEXT:
            break;
        case JS_COL_MONEY: {
            const char *why;
            if (!js_money_parse(text, len, m->unit[k], cs->cell_required ? 0 : JS_MONEY_BLANK_ZERO,
                                &rec->money[k], &why))
                return js_diag_set(r->d, JS_E_INPUT, fname, rec->line, col, cs->name,
                                   "'%s'：%s", text, why);
            break;
        }
        case JS_COL_FUNC:
        case JS_COL_ECON: {
            js_dict_kind kind = cs->type == JS_COL_FUNC ? JS_DICT_FUNC : JS_DICT_ECON;
            const char *e = js_dict_check(wb->dict, kind, text, kind == JS_DICT_FUNC ? 7 : 5,
                                          &rec->code[k], &digits, msg, sizeof msg);
            if (e)
                return js_diag_set(r->d, JS_E_INPUT, fname, rec->line, col, cs->name, "%s", e);
            r->known_code[kind == JS_DICT_ECON][code_way(rec->code[k])] = rec->code[k] + 1;
            break;
        }
        case JS_COL_VOCAB:
            rec->vocab[k] = (int)value_index(r, cs, text, len);
            if (rec->vocab[k] < 0) {
                char list[512] = "";
                for (int v = 0; v < cs->nvocab && strlen(list) < 400; v++) {
                    strcat(list, v ? "、" : "");
                    strcat(list, cs->vocab[v]);
                }
                return js_diag_set(r->d, JS_E_INPUT, fname, rec->line, col, cs->name,
                                   "'%s' 不是允许的值（可用：%s）", text, list);
            }
            break;
        case JS_COL_UNIT: {
            long u = value_index(r, cs, text, len);
            bool parens = false;
            if (u < 0 && (u = unit_by_parens(wb, text)) >= 0) {
                parens = true;
                mo = NULL; /* each line written so is counted */
            }
            if (u >= 0 && (spaced || parens) &&
                note_variant(r, fname, rec->line, col, text, u, spaced, parens) != JS_OK)
                return r->d->status;
            if (u < 0) {
                const char *near = js_nearest_name(text, unit_name_at, wb, wb->nunits);
                return js_diag_set(r->d, JS_E_INPUT, fname, rec->line, col, cs->name,
                                   "单位 '%s' 不在单位表（units.csv）中%s%s%s", text, near ? "；是否应为 '" : "",
                                   near ? near : "", near ? "'？" : "");
            }
            rec->vocab[k] = u;
            break;
        }
        case JS_COL_NUMBER: {
            const char *why;
            if (!js_money_parse(text, len, JS_UNIT_WAN, JS_MONEY_BLANK_ZERO, &rec->money[k], &why))
                return js_diag_set(r->d, JS_E_INPUT, fname, rec->line, col, cs->name,
                                   "'%s' 不是数字（%s）", text, why);
            break;
        }
        case JS_COL_DATE: {
            char date[16];
            if (!js_cell_date(text, len, date, sizeof date))
                return js_diag_set(r->d, JS_E_INPUT, fname, rec->line, col, cs->name,
                                   "'%s' 不是有效的日期（如 2025-11-05）", text);
            if (!(rec->text[k] = keep(wb, date)))
                return nomem(r->d);
            break;
        }
        case JS_COL_COUNT: {
            char *end;
            long v = strtol(text, &end, 10);
            if (*end || v < 0 || v > 100000000 || text[0] == '-' || text[0] == '+')
                return js_diag_set(r->d, JS_E_INPUT, fname, rec->line, col, cs->name,
                                   "'%s' 不是非负整数", text);
            rec->count[k] = v;
            break;
        }
        }
        if (mo)
            memo_keep(r, mo, text, len, rec->code[k], rec->vocab[k]);
    }
    return JS_OK;
}

static js_status keep_keyed(reader *r, int sheet, const js_sheetspec *sp, const record *rec,
                            const char *fname)
{
    keyed_sheet *ks = &r->wb->keyed[sheet];
    for (size_t i = 0; sp->keyed && i < ks->n; i++)
        if (strcmp(ks->rows[i].key, rec->text[JS_KEY_COL]) == 0)
            return js_diag_set(r->d, JS_E_INPUT, fname, rec->line, 1, sp->cols[JS_KEY_COL].name,
                               "'%s' 重复（第%ld行已有）", rec->text[JS_KEY_COL], ks->rows[i].line);
    if (!js_vec_reserve(&ks->rows, &ks->cap, ks->n + 1, sizeof *ks->rows))
        return nomem(r->d);
    const char **cells = js_arena_alloc(&r->wb->arena, sizeof *cells * (size_t)sp->ncols);
    js_fen *money = js_arena_alloc(&r->wb->arena, sizeof *money * (size_t)sp->ncols);
    if (!cells || !money)
        return nomem(r->d);
    for (int k = 0; k < sp->ncols; k++) {
        if (!(cells[k] = keep(r->wb, rec->text[k])))
            return nomem(r->d);
        money[k] = sp->cols[k].type == JS_COL_COUNT ? rec->count[k] : rec->money[k];
        if (sp->cols[k].type == JS_COL_VOCAB)
            money[k] = rec->vocab[k];
    }
    for (int k = 0; k < sp->ncols && k < 32; k++)
        if (rec->col[k])
            ks->columns |= 1u << k;
    ks->rows[ks->n++] = (keyed_row){cells[JS_KEY_COL], cells, money, rec->line, rec->col[JS_VALUE_COL]};
    return JS_OK;
}

static js_status add_unit(reader *r, const js_sheetspec *sp, const record *rec, const char *fname)
{
    js_workbook *wb = r->wb;
    const char *unit = rec->text[JS_UNITS_NAME];
    if (js_strmap_get(&wb->unit_index, unit, strlen(unit)) >= 0)
        return js_diag_set(r->d, JS_E_INPUT, fname, rec->line, 1, sp->cols[JS_UNITS_NAME].name,
                           "单位 '%s' 重复", unit);
    if (wb->nunits == JS_MAX_UNITS)
        return js_diag_set(r->d, JS_E_LIMIT, fname, rec->line, 0, NULL, "单位超过 %d 个",
                           JS_MAX_UNITS);
    const char *name = keep(wb, unit);
    if (!name || !js_vec_reserve(&wb->units, &wb->capunits, wb->nunits + 1, sizeof *wb->units) ||
        !js_strmap_put(&wb->unit_index, name, (uint32_t)wb->nunits))
        return nomem(r->d);
    wb->units[wb->nunits++] = (js_unit){name, (js_unit_kind)rec->vocab[JS_UNITS_KIND]};
    return JS_OK;
}

/* The number of 项目名称 name (len bytes, hash h: js_strmap_hash), given
 * the next one when new (js_fact.project); copy: name is a record's text,
 * to be kept. -1 when out of memory. */
static long project_number(js_workbook *wb, const char *name, size_t len, uint64_t h, bool copy)
{
    long known = js_strmap_get_hashed(&wb->project_index, name, len, h);
    if (known >= 0)
        return known;
    const char *kept = copy ? keep(wb, name) : name;
    if (!kept || !js_vec_reserve(&wb->projects, &wb->capprojects, wb->nprojects + 1, sizeof *wb->projects) ||
        !js_strmap_put(&wb->project_index, kept, (uint32_t)wb->nprojects))
        return -1;
    wb->projects[wb->nprojects] = kept;
    return (long)wb->nprojects++;
}

/* The sheets whose records become facts. */
typedef enum {
    FS_NONE, FS_EXP, FS_REV, FS_CARRY, FS_SURPLUS, FS_BUDGET, FS_SANGONG,
    FS_B_EXP, FS_B_REV, FS_B_CARRY, FS_B_SANGONG, FS_B_FIGURES
} fact_sheet;

/* budget_expenditure.csv is read by expenditure.csv's code up to the
 * project name (record_line). */
_Static_assert((int)JS_BEXP_UNIT == (int)JS_EXP_UNIT && (int)JS_BEXP_FUNC == (int)JS_EXP_FUNC &&
                   (int)JS_BEXP_ECON == (int)JS_EXP_ECON && (int)JS_BEXP_FUND == (int)JS_EXP_FUND &&
                   (int)JS_BEXP_SPEND == (int)JS_EXP_SPEND && (int)JS_BEXP_PROJECT == (int)JS_EXP_PROJECT,
               "budget_expenditure.csv's first columns are expenditure.csv's");
_Static_assert(0 JS_BUDGET_EXPENDITURE_COLUMNS(PAST_MEMO) JS_BUDGET_REVENUE_COLUMNS(PAST_MEMO)
                   JS_BUDGET_CARRYOVER_COLUMNS(PAST_MEMO) == 0,
               "a looked-up column of a budget line sheet is past MEMO_COLS");

static fact_sheet fact_sheet_of(const char *file)
{
    static const char *const files[] = {"expenditure.csv", "revenue.csv", "carryover.csv", "surplus.csv",
                                        "budget.csv", "sangong.csv", "budget_expenditure.csv",
                                        "budget_revenue.csv", "budget_carryover.csv", "budget_sangong.csv",
                                        "budget_figures.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (!strcmp(file, files[i]))
            return (fact_sheet)(i + 1);
    return FS_NONE;
}

/* The sources of the facts each sheet of line items gives. */
static const struct {
    const char *file;
    js_source src;
} k_sheet_sources[] = {
    {"expenditure.csv", JS_SRC_EXP}, {"revenue.csv", JS_SRC_REV},
    {"carryover.csv", JS_SRC_CARRY_OPEN}, {"carryover.csv", JS_SRC_CARRY_CLOSE},
    {"surplus.csv", JS_SRC_SURPLUS_USE}, {"surplus.csv", JS_SRC_SURPLUS_ALLOC},
    {"budget.csv", JS_SRC_BUDGET}, {"budget.csv", JS_SRC_BUDGET_GIVEN}, {"sangong.csv", JS_SRC_SG_BUDGET},
    {"sangong.csv", JS_SRC_SG_ACTUAL}, {"budget_expenditure.csv", JS_SRC_B_EXP},
    {"budget_expenditure.csv", JS_SRC_B_EXP_PRIOR}, {"budget_revenue.csv", JS_SRC_B_REV},
    {"budget_revenue.csv", JS_SRC_B_REV_PRIOR}, {"budget_carryover.csv", JS_SRC_B_CARRY},
    {"budget_sangong.csv", JS_SRC_B_SG}, {"budget_sangong.csv", JS_SRC_B_SG_PRIOR},
    {"budget_figures.csv", JS_SRC_B_OPS}, {"budget_figures.csv", JS_SRC_B_OPS_PRIOR},
};

/* Whether a summed read leaves sp unread: an optional 决算 sheet of line
 * items (not the budget phase's, whose presence decides the phase) none
 * of whose facts the tables add up (js_sum_plan's sources). */
static bool not_summed(reader *r, const js_sheetspec *sp)
{
    fact_sheet kind = fact_sheet_of(sp->file);
    js_workbook *wb = r->wb;
    if (!wb->summed || sp->required || sp->keyed || kind == FS_NONE || kind >= FS_B_EXP || !wb->plan ||
        !wb->plan->sources)
        return false;
    if (!wb->sources)
        wb->sources = wb->plan->sources(wb->plan->ctx, wb->profile ? wb->profile : "default");
    for (size_t i = 0; i < sizeof k_sheet_sources / sizeof k_sheet_sources[0]; i++)
        if (!strcmp(k_sheet_sources[i].file, sp->file) && (!wb->sources || (wb->sources >> k_sheet_sources[i].src & 1)))
            return false;
    return true;
}

/* Turns one record of a fact sheet (sp) into facts, reading its cells by
 * column id (workbook_schema.h). */
static js_status record_facts(reader *r, const js_sheetspec *sp, fact_sheet kind, const record *rec,
                               const char *fname)
{
    js_fact f = {.fund = JS_NONE, .spend = JS_NONE, .item = JS_NONE, .project = UINT32_MAX,
                 .sheet_line = (uint32_t)rec->line};
    js_fact g;
    bool two = false;
    if (kind == FS_EXP || kind == FS_B_EXP) {
        f.source = kind == FS_EXP ? JS_SRC_EXP : JS_SRC_B_EXP;
        f.unit = (uint32_t)rec->vocab[JS_EXP_UNIT];
        f.func = rec->code[JS_EXP_FUNC];
        f.econ = rec->code[JS_EXP_ECON];
        f.fund = (uint8_t)rec->vocab[JS_EXP_FUND];
        f.spend = (uint8_t)rec->vocab[JS_EXP_SPEND];
        f.amount = rec->money[kind == FS_EXP ? JS_EXP_AMOUNT : JS_BEXP_AMOUNT];
        if (rec->text[JS_EXP_PROJECT][0] && !r->wb->summed) { /* the tables need no project */
            project_memo *pm = &r->project;
            size_t len = strlen(rec->text[JS_EXP_PROJECT]);
            if (len == pm->len && same_bytes(rec->text[JS_EXP_PROJECT], pm->text, len)) {
                f.project = pm->number;
            } else {
                r->looked_up = true;
                /* a plain line's cell hashed ahead holds the same bytes */
                const line_hashes *ah = &r->hashed;
                uint64_t h = ah->project_at ? ah->project : js_strmap_hash(rec->text[JS_EXP_PROJECT], len);
                long k = project_number(r->wb, rec->text[JS_EXP_PROJECT], len, h, true);
                if (k < 0)
                    return nomem(r->d);
                f.project = (uint32_t)k;
                if (len < sizeof pm->text) {
                    memcpy(pm->text, rec->text[JS_EXP_PROJECT], len);
                    pm->len = len;
                    pm->number = f.project;
                }
            }
        }
        int fname_col = kind == FS_EXP ? JS_EXP_FUNC_NAME : JS_BEXP_FUNC_NAME;
        int ename_col = kind == FS_EXP ? JS_EXP_ECON_NAME : JS_BEXP_ECON_NAME;
        f.func_name = sheet_name(r, rec->text[fname_col]);
        f.econ_name = sheet_name(r, rec->text[ename_col]);
        if ((rec->text[fname_col][0] && !f.func_name) || (rec->text[ename_col][0] && !f.econ_name))
            return nomem(r->d);
        if (kind == FS_B_EXP) {
            g = f;
            g.source = JS_SRC_B_EXP_PRIOR;
            g.amount = rec->money[JS_BEXP_PRIOR];
            two = rec->col[JS_BEXP_PRIOR] > 0; /* the optional column is given */
        }
        if (f.spend == JS_SPEND_BASIC && f.econ == 0)
            return js_diag_set(r->d, JS_E_INPUT, fname, rec->line, rec->col[JS_EXP_ECON],
                               sp->cols[JS_EXP_ECON].name, "基本支出须填写经济分类科目编码");
    } else if (kind == FS_B_REV) {
        f.source = JS_SRC_B_REV;
        f.unit = (uint32_t)rec->vocab[JS_BREV_UNIT];
        f.func = rec->code[JS_BREV_FUNC];
        f.fund = (uint8_t)rec->vocab[JS_BREV_FUND];
        f.amount = rec->money[JS_BREV_AMOUNT];
        f.func_name = sheet_name(r, rec->text[JS_BREV_FUNC_NAME]);
        g = f;
        g.source = JS_SRC_B_REV_PRIOR;
        g.amount = rec->money[JS_BREV_PRIOR];
        two = rec->col[JS_BREV_PRIOR] > 0; /* the optional column is given */
    } else if (kind == FS_B_CARRY) {
        f.source = JS_SRC_B_CARRY;
        f.unit = (uint32_t)rec->vocab[JS_BCARRY_UNIT];
        f.func = rec->code[JS_BCARRY_FUNC];
        f.fund = (uint8_t)rec->vocab[JS_BCARRY_FUND];
        f.amount = rec->money[JS_BCARRY_AMOUNT];
        f.func_name = sheet_name(r, rec->text[JS_BCARRY_FUNC_NAME]);
    } else if (kind == FS_B_SANGONG) {
        f.source = JS_SRC_B_SG;
        f.unit = UINT32_MAX;
        f.item = (uint8_t)rec->vocab[JS_BSG_ITEM];
        f.amount = rec->money[JS_BSG_AMOUNT];
        g = f;
        g.source = JS_SRC_B_SG_PRIOR;
        g.amount = rec->money[JS_BSG_PRIOR];
        two = rec->col[JS_BSG_PRIOR] > 0; /* the optional column is given */
    } else if (kind == FS_B_FIGURES) {
        /* 机关运行经费, the sheet's only key */
        f.source = JS_SRC_B_OPS;
        f.unit = UINT32_MAX;
        f.amount = rec->money[JS_BFIG_AMOUNT];
        g = f;
        g.source = JS_SRC_B_OPS_PRIOR;
        g.amount = rec->money[JS_BFIG_PRIOR];
        two = rec->col[JS_BFIG_PRIOR] > 0; /* the optional column is given */
    } else if (kind == FS_REV) {
        f.source = JS_SRC_REV;
        f.unit = (uint32_t)rec->vocab[JS_REV_UNIT];
        f.func = rec->code[JS_REV_FUNC];
        f.fund = (uint8_t)rec->vocab[JS_REV_FUND];
        f.amount = rec->money[JS_REV_AMOUNT];
        f.func_name = sheet_name(r, rec->text[JS_REV_FUNC_NAME]);
    } else if (kind == FS_CARRY) {
        f.source = JS_SRC_CARRY_OPEN;
        f.unit = (uint32_t)rec->vocab[JS_CARRY_UNIT];
        f.func = rec->code[JS_CARRY_FUNC];
        f.fund = (uint8_t)rec->vocab[JS_CARRY_FUND];
        f.amount = rec->money[JS_CARRY_OPEN];
        f.func_name = sheet_name(r, rec->text[JS_CARRY_FUNC_NAME]);
        g = f;
        g.source = JS_SRC_CARRY_CLOSE;
        g.amount = rec->money[JS_CARRY_CLOSE];
        two = true;
    } else if (kind == FS_SURPLUS) {
        f.source = rec->vocab[JS_SURPLUS_ITEM] == 0 ? JS_SRC_SURPLUS_USE : JS_SRC_SURPLUS_ALLOC;
        f.unit = (uint32_t)rec->vocab[JS_SURPLUS_UNIT];
        f.amount = rec->money[JS_SURPLUS_AMOUNT];
    } else if (kind == FS_BUDGET) {
        js_workbook *wb = r->wb;
        if (!wb->summed) { /* the reasons are the narrative's and the checks', not the tables' */
            if (!js_vec_reserve(&wb->notes, &wb->capnotes, wb->nnotes + 1, sizeof *wb->notes))
                return nomem(r->d);
            const char *reason = keep(wb, rec->text[JS_BUDGET_REASON]);
            if (!reason)
                return nomem(r->d);
            wb->notes[wb->nnotes++] = (js_budget_note){rec->code[JS_BUDGET_FUNC],
                                                       (uint8_t)rec->vocab[JS_BUDGET_FUND], reason,
                                                       (uint32_t)rec->line};
        }
        f.source = JS_SRC_BUDGET;
        f.func_name = sheet_name(r, rec->text[JS_BUDGET_FUNC_NAME]);
        f.unit = rec->vocab[JS_BUDGET_UNIT] >= 0 ? (uint32_t)rec->vocab[JS_BUDGET_UNIT] : UINT32_MAX;
        f.func = rec->code[JS_BUDGET_FUNC];
        f.fund = (uint8_t)rec->vocab[JS_BUDGET_FUND];
        f.amount = rec->money[JS_BUDGET_AMOUNT];
    } else if (kind == FS_SANGONG) {
        f.source = JS_SRC_SG_BUDGET;
        f.unit = UINT32_MAX;
        f.item = (uint8_t)rec->vocab[JS_SANGONG_ITEM];
        f.amount = rec->money[JS_SANGONG_BUDGET];
        g = f;
        g.source = JS_SRC_SG_ACTUAL;
        g.amount = rec->money[JS_SANGONG_ACTUAL];
        two = true;
    } else {
        return JS_OK;
    }
    js_status st = give_fact(r, &f);
    return st == JS_OK && two ? give_fact(r, &g) : st;
}

static bool reserve_sheet_facts(js_workbook *wb, size_t bytes, int kind)
{
    size_t per_line = kind == FS_CARRY || kind == FS_SANGONG ? 2 : 1;
    return kind == FS_NONE || wb->summed || reserve_facts(wb, wb->nfacts + bytes / FACT_LINE_BYTES * per_line);
}

static const keyed_row *keyed_find(const js_workbook *wb, const char *sheet, const char *key)
{
    int s = js_sheet_index(sheet);
    if (s < 0 || !js_sheets[s].keyed)
        return NULL;
    const keyed_sheet *ks = &wb->keyed[s];
    for (size_t i = 0; i < ks->n; i++)
        if (strcmp(ks->rows[i].key, key) == 0)
            return &ks->rows[i];
    return NULL;
}

/* Fills d for a bad value of key in department.csv, at its cell. */
static js_status bad_key(reader *r, const char *fname, const char *key, const char *fmt,
                         const char *value)
{
    const keyed_row *row = keyed_find(r->wb, "department.csv", key);
    return js_diag_set(r->d, JS_E_INPUT, fname, row ? row->line : 0, row ? row->valcol : 0, key,
                       fmt, value);
}

static js_status department_done(reader *r, const char *fname)
{
    js_workbook *wb = r->wb;
    wb->department = js_workbook_text(wb, "department.csv", "部门名称");
    const char *year = js_workbook_text(wb, "department.csv", "年度");
    if (!wb->department || !*wb->department)
        return js_diag_set(r->d, JS_E_INPUT, fname, 0, 0, NULL, "缺少「部门名称」");
    if (!year || !*year)
        return js_diag_set(r->d, JS_E_INPUT, fname, 0, 0, NULL, "缺少「年度」");
    char *end;
    long y = strtol(year, &end, 10);
    if (*end || y < 1990 || y > 2200 || strlen(year) != 4)
        return bad_key(r, fname, "年度", "'%s' 不是有效的年度（如 2024）", year);
    wb->year = (int)y;
    static const char *const date_keys[] = {"公开日期", "预算公开日期", "预算批复日期"};
    for (size_t k = 0; k < sizeof date_keys / sizeof date_keys[0]; k++) {
        keyed_row *dated = (keyed_row *)keyed_find(wb, "department.csv", date_keys[k]);
        if (dated && dated->cells[JS_VALUE_COL][0]) {
            char date[16];
            const char *v = dated->cells[JS_VALUE_COL];
            if (!js_cell_date(v, strlen(v), date, sizeof date))
                return bad_key(r, fname, date_keys[k], "'%s' 不是有效的日期（如 2025-11-05）", v);
            if (!(dated->cells[JS_VALUE_COL] = keep(wb, date)))
                return nomem(r->d);
        }
    }
    const char *prof = js_workbook_text(wb, "department.csv", "配置");
    wb->profile = prof && *prof ? prof : "default";
    if (wb->dict)
        return JS_OK;
    const char *ed = js_workbook_text(wb, "department.csv", "分类科目版本");
    long edition = y;
    if (ed && *ed) {
        edition = strtol(ed, &end, 10);
        if (*end || edition < 1990 || edition > 2200)
            return bad_key(r, fname, "分类科目版本", "'%s' 不是有效的年份", ed);
    }
    wb->dict = r->dicts ? js_dict_cache_get(r->dicts, (int)edition, r->d)
                        : js_dict_load(r->datadir, (int)edition, r->d);
    if (!wb->dict) {
        if (r->d && r->d->status == JS_E_IO) {
            const keyed_row *row = keyed_find(wb, "department.csv", ed && *ed ? "分类科目版本" : "年度");
            return js_diag_set(r->d, JS_E_INPUT, fname, row ? row->line : 0, row ? row->valcol : 0,
                               ed && *ed ? "分类科目版本" : "年度",
                               "没有 %ld 年版的科目表（%s/dict/%ld/）", edition, r->datadir, edition);
        }
        return r->d ? r->d->status : JS_E_INPUT;
    }
    wb->own_dict = !r->dicts;
    return JS_OK;
}

/* Whether a cell would change when trimmed (see trim). */
static inline bool needs_trim(const char *t, size_t len)
{
    /* first and last bytes of what trim removes: ASCII space and tab, the
     * ideographic space E3 80 80 */
    static const bool first[256] = {[' '] = true, ['\t'] = true, [0xe3] = true};
    static const bool last[256] = {[' '] = true, ['\t'] = true, [0x80] = true};
    if (!len || !(first[(unsigned char)t[0]] | last[(unsigned char)t[len - 1]]))
        return false;
    return t[0] == ' ' || t[0] == '\t' || (unsigned char)t[0] == 0xe3 || t[len - 1] == ' ' || t[len - 1] == '\t' ||
           (len >= 3 && !memcmp(t + len - 3, "\xe3\x80\x80", 3));
}

/* The cells of rec a sheet lacks (m), as parse_record and fast_record
 * leave them: set once before the sheet's lines, since fast_record only
 * fills the columns the sheet has. */
static void absent_cells(const js_sheetspec *sp, const colmap *m, record *rec)
{
    for (int k = 0; k < sp->ncols; k++)
        if (m->field[k] < 0) {
            rec->text[k] = "";
            rec->money[k] = 0;
            rec->count[k] = 0;
            rec->vocab[k] = -1;
            rec->code[k] = 0;
            rec->col[k] = 0;
        }
}

/* What fast_record does with one column a fact sheet has: worked out
 * once a sheet (fast_plan), so that a line's loop reads one small entry a
 * cell instead of the schema and the column map. */
typedef struct {
    uint8_t k;        /* schema column */
    uint8_t fi;       /* CSV field */
    uint8_t type;     /* js_coltype */
    bool required;    /* cell_required */
    bool keep;        /* a text cell's text is needed (not by a summed read: project names, 科目名称, reasons) */
    js_money_unit unit; /* a money column's */
    const js_colspec *cs;
} fast_col;

typedef struct {
    fast_col col[MAX_SPEC_COLS];
    int n;
    bool ok; /* false: no line of the sheet is read fast */
} fast_plan;

/* The plan of a fact sheet sp whose header mapped to m. */
static void fast_plan_of(const reader *r, const js_sheetspec *sp, const colmap *m, fast_plan *p)
{
    p->n = 0;
    p->ok = !m->absent_required && m->nheading <= 255;
    for (int i = 0; p->ok && i < m->npresent; i++) {
        int k = m->present[i];
        const js_colspec *cs = &sp->cols[k];
        bool looked_up = cs->type == JS_COL_VOCAB || cs->type == JS_COL_UNIT;
        if ((looked_up && k >= MEMO_COLS) ||
            !(cs->type == JS_COL_FUNC || cs->type == JS_COL_ECON || looked_up || cs->type == JS_COL_MONEY ||
              cs->type == JS_COL_TEXT)) {
            p->ok = false; /* every line goes to parse_record */
            break;
        }
        p->col[p->n++] = (fast_col){(uint8_t)k, (uint8_t)m->field[k], (uint8_t)cs->type, cs->cell_required,
                                    !r->wb->summed, m->unit[k], cs};
    }
}

/* Copies the len bytes at t to the scratch buffer, NUL-terminated (a
 * short cell by one eight-byte store); NULL when it is full. */
static inline char *to_scratch(reader *r, size_t *used, const char *t, size_t len)
{
    if (*used + (len < 8 ? 8 : len) + 1 > sizeof r->scratch)
        return NULL;
    char *text = r->scratch + *used;
    if (len <= 8) {
        uint64_t v = load_upto8(t, len);
        memcpy(text, &v, 8); /* room checked above */
    } else {
        memcpy(text, t, len);
    }
    text[len] = '\0';
    *used += len + 1;
    return text;
}

/* A line of a fact sheet read straight from its cells (spans of the
 * input): when it has the heading's columns, no cell needs trimming, every
 * looked-up cell is known and every amount parses, fills the columns of
 * rec the sheet has as parse_record would (the others: absent_cells; a
 * summed read's project names are left empty: no one reads them).
 * false otherwise: parse_record then reads the line, with its lookups and
 * messages. Text cells are copied to r->scratch. */
static bool fast_record(reader *r, const fast_plan *p, const colmap *m, const char *const *field,
                        const size_t *flen, size_t nf, long line, record *rec)
{
    if (nf != m->nheading || !p->ok)
        return false;
    rec->line = line;
    size_t used = 0;
    for (int i = 0; i < p->n; i++) {
        const fast_col *fc = &p->col[i];
        int k = fc->k;
        const char *t = field[fc->fi];
        size_t len = flen[fc->fi];
        if (needs_trim(t, len))
            return false;
        rec->col[k] = fc->fi + 1;
        if (len == 0 && fc->type != JS_COL_MONEY) {
            if (fc->required)
                return false;
            rec->text[k] = "";
            rec->vocab[k] = -1;
            rec->code[k] = 0;
            rec->money[k] = 0;
            continue;
        }
        switch (fc->type) {
        case JS_COL_FUNC:
        case JS_COL_ECON: {
            bool econ = fc->type == JS_COL_ECON;
            int digits = econ ? 5 : 7;
            uint32_t code = digits_code(t, len, (size_t)digits), *known;
            if (code == UINT32_MAX)
                return false;
            known = &r->known_code[econ][code_way(code)];
            if (*known != code + 1) {
                if (!js_dict_find(r->wb->dict, econ ? JS_DICT_ECON : JS_DICT_FUNC, code, digits))
                    return false;
                *known = code + 1;
            }
            if (!(rec->text[k] = to_scratch(r, &used, t, len)))
                return false;
            rec->code[k] = code;
            rec->vocab[k] = -1;
            rec->money[k] = 0;
            break;
        }
        case JS_COL_UNIT:
            if (r->hashed.unit_at == t) {
                /* hashed ahead, since the line before missed its memos:
                 * lines in an order that defeats them, looked up straight
                 * away (the text copied: the unit's own name would be
                 * another load from memory) */
                long u = js_strmap_get_hashed(&r->wb->unit_index, t, len, r->hashed.unit);
                if (u < 0 || !(rec->text[k] = to_scratch(r, &used, t, len)))
                    return false;
                r->looked_up = true;
                rec->vocab[k] = (int)u;
                rec->code[k] = 0;
                rec->money[k] = 0;
                break;
            }
            /* fall through */
        case JS_COL_VOCAB: {
            memo *mo = memo_slot(r, k, t, len);
            rec->code[k] = 0;
            rec->money[k] = 0;
            if (memo_holds(r, mo, t, len)) {
                rec->text[k] = mo->text;
                rec->vocab[k] = mo->vocab;
                break;
            }
            /* not seen lately: looked up here, unless it is not found (then
             * parse_record says why); a unit by the hash computed ahead */
            r->looked_up = true;
            char *text = to_scratch(r, &used, t, len);
            if (!text)
                return false;
            const line_hashes *ah = &r->hashed;
            long v = fc->type == JS_COL_UNIT
                         ? js_strmap_get_hashed(&r->wb->unit_index, t, len,
                                                ah->unit_at == t ? ah->unit : js_strmap_hash(t, len))
                         : value_index(r, fc->cs, text, len);
            if (v < 0)
                return false;
            if (mo)
                memo_keep(r, mo, text, len, 0, (int)v);
            rec->text[k] = text;
            rec->vocab[k] = (int)v;
            break;
        }
        case JS_COL_MONEY: {
            const char *why;
            rec->text[k] = "";
            rec->vocab[k] = -1;
            rec->code[k] = 0;
            if (!js_money_parse(t, len, fc->unit, fc->required ? 0 : JS_MONEY_BLANK_ZERO, &rec->money[k], &why))
                return false;
            break;
        }
        default: /* JS_COL_TEXT */
            rec->vocab[k] = -1;
            rec->code[k] = 0;
            rec->money[k] = 0;
            if (!fc->keep)
                rec->text[k] = "";
            else if (!(rec->text[k] = to_scratch(r, &used, t, len)))
                return false;
            break;
        }
    }
    return true;
}

/* A plain line of a fact sheet, read a line ahead of its turn: its cells
 * as spans of the input, where it starts and its number. */
typedef struct {
    const char *field[JS_MAX_COLUMNS];
    size_t flen[JS_MAX_COLUMNS];
    size_t nf; /* 0: none (not plain, or the end) */
    long line;
    js_csv_mark at;
    line_hashes hashed;
} plain_line;

/* Reads the next line into l if it is plain (l->nf 0 otherwise, c
 * unchanged). */
static void read_plain(js_csv *c, plain_line *l, bool ahead)
{
    l->at = js_csv_tell(c);
    l->nf = (ahead ? js_csv_plain_ahead : js_csv_plain)(c, l->field, l->flen, JS_MAX_COLUMNS);
    l->line = js_csv_line(c);
    l->hashed = (line_hashes){NULL, NULL, 0, 0};
}

/* Hashes l's unit and project cells (fields unit_field and project_field,
 * -1: none) and starts loading the slots they will be looked up in: in a
 * region whose consecutive lines belong to different departments, a
 * lookup misses the caches, and the line read meanwhile hides the wait.
 * Called only after a line whose cells missed the memos (in lines grouped
 * by department they seldom do). */
static void prefetch_names(const reader *r, plain_line *l, int unit_field, int project_field)
{
    if (unit_field >= 0 && (size_t)unit_field < l->nf && l->flen[unit_field]) {
        l->hashed.unit_at = l->field[unit_field];
        l->hashed.unit = js_strmap_hash(l->hashed.unit_at, l->flen[unit_field]);
        js_strmap_prefetch(&r->wb->unit_index, l->hashed.unit);
    }
    if (project_field >= 0 && (size_t)project_field < l->nf && l->flen[project_field]) {
        l->hashed.project_at = l->field[project_field];
        l->hashed.project = js_strmap_hash(l->hashed.project_at, l->flen[project_field]);
        js_strmap_prefetch(&r->wb->project_index, l->hashed.project);
    }
}

/* Reads the records of c (after the heading) into r's workbook. */
static js_status read_records(reader *r, int sheet, const colmap *m, js_csv *c, const char *fname)
{
    const js_sheetspec *sp = &js_sheets[sheet];
    record rec;
    long rows = 0;
    int got = 0;
    js_status st = JS_OK;
    bool units = !strcmp(sp->file, "units.csv");
    fact_sheet kind = fact_sheet_of(sp->file);
    /* Lines of a fact sheet are first tried straight from their bytes. */
    bool fast = kind != FS_NONE && !sp->keyed && !sp->rows;
    plain_line lines[2], *cur = &lines[0], *ahead = &lines[1];
    bool have_ahead = false;
    int unit_field = -1,
        project_field = (kind == FS_EXP || kind == FS_B_EXP) && !r->wb->summed ? m->field[JS_EXP_PROJECT] : -1;
    for (int k = 0; k < sp->ncols; k++)
        if (sp->cols[k].type == JS_COL_UNIT)
            unit_field = m->field[k];
    if (!reserve_sheet_facts(r->wb, js_csv_left(c), (int)kind))
        return nomem(r->d);
    absent_cells(sp, m, &rec);
    fast_plan plan;
    fast_plan_of(r, sp, m, &plan);
    while (st == JS_OK) {
        /* the line read ahead, else the next one if plain */
        if (have_ahead) {
            plain_line *t = cur;
            cur = ahead;
            ahead = t;
            have_ahead = false;
        } else if (fast) {
            read_plain(c, cur, false);
        } else {
            cur->nf = 0;
        }
        if (cur->nf) { /* and the one after it */
            read_plain(c, ahead, true); /* cur's spans stay valid */
            have_ahead = ahead->nf != 0;
            if (have_ahead && r->looked_up) /* lines in an order that defeats the memos */
                prefetch_names(r, ahead, unit_field, project_field);
        }
        r->looked_up = false;
        r->hashed = cur->hashed;
        bool plain = cur->nf && fast_record(r, &plan, m, cur->field, cur->flen, cur->nf, cur->line, &rec);
        if (cur->nf && !plain) { /* read again as a record, with its messages */
            js_csv_seek(c, cur->at);
            have_ahead = false;
            r->hashed = (line_hashes){NULL, NULL, 0, 0};
        }
        if (!plain && (got = js_csv_next(c, r->d)) <= 0)
            break;
        if (++rows > JS_MAX_ROWS) {
            st = js_diag_set(r->d, JS_E_LIMIT, fname, plain ? cur->line : js_csv_line(c), 0, NULL,
                             "超过 %ld 行的上限", (long)JS_MAX_ROWS);
            break;
        }
        if (!plain && (st = parse_record(r, sp, m, c, fname, &rec)) != JS_OK) {
            if (keep_going(r)) {
                st = JS_OK;
                continue;
            }
            break;
        }
        if (sp->keyed || sp->rows)
            st = keep_keyed(r, sheet, sp, &rec, fname);
        else if (units)
            st = add_unit(r, sp, &rec, fname);
        if (st == JS_OK && kind != FS_NONE)
            st = record_facts(r, sp, kind, &rec, fname);
        if (st != JS_OK && keep_going(r))
            st = JS_OK;
    }
    if (st == JS_OK && got < 0) {
        st = r->d ? r->d->status : JS_E_INPUT;
        /* Name the column as other messages do: the schema's name. */
        if (r->d && r->d->col > 0 && (size_t)r->d->col <= m->nheading && !r->d->colname[0]) {
            const char *name = m->heading[r->d->col - 1];
            for (int k = 0; k < sp->ncols; k++)
                if (m->field[k] == r->d->col - 1)
                    name = sp->cols[k].name;
            snprintf(r->d->colname, sizeof r->d->colname, "%s", name);
        }
    }
    return st;
}

/* The second half of a sheet read on its own thread: into a workbook of its
 * own that shares the dictionary and units (read only) and collects facts,
 * project names and kept text, merged afterwards in file order. */
typedef struct {
    reader r;
    js_workbook part;
    js_diag d;
    int sheet;
    const colmap *m;
    js_csv *c;
    const char *fname;
    js_status st;
} half;

static void *read_half(void *arg)
{
    half *h = arg;
    h->st = read_records(&h->r, h->sheet, h->m, h->c, h->fname);
    return NULL;
}

/* Appends the second half's facts to wb, numbering its projects as a
 * single reader would have (after those of the first half) and its lines
 * after the lines lines of the first half. */
static js_status merge_half(js_workbook *wb, js_workbook *part, long lines, js_diag *d)
{
    js_arena_adopt(&wb->arena, &part->arena);
    for (size_t i = 0; i < part->nvariants; i++) { /* after the first half's, as one reader counts them */
        js_unit_variant v = part->variants[i];
        v.line += lines;
        if (!add_variant(wb, &v))
            return nomem(d);
    }
    if (wb->summed) { /* the half's sums, in their order, after the first half's */
        js_fact *sums[JS_MAX_TABLES] = {NULL}, bad;
        size_t n[JS_MAX_TABLES] = {0};
        bool overflow = false, ok = true;
        if (part->overflowed) /* the half counts its lines from 1 */
            note_overflow(wb, &part->over, lines);
        else if (!(ok = js_fact_feed_finish(&part->feed, sums, n, &bad, &overflow)) && overflow)
            note_overflow(wb, &bad, lines);
        if (ok && !wb->feed_ready)
            ok = wb->feed_ready = js_fact_feed_init(&wb->feed, wb->units, wb->nunits, wb->depth, wb->ndepth);
        for (size_t j = 0; j < wb->ndepth; j++) {
            for (size_t i = 0; ok && !wb->overflowed && i < n[j]; i++)
                if (!(ok = js_fact_feed_add_sum(&wb->feed, j, &sums[j][i], (uint32_t)lines, &bad, &overflow)) &&
                    overflow)
                    note_overflow(wb, &bad, 0); /* its line already moved */
            free(sums[j]);
        }
        return ok || overflow ? JS_OK : nomem(d);
    }
    uint32_t *map = malloc((part->nprojects + 1) * sizeof *map);
    if (!map || !reserve_facts(wb, wb->nfacts + part->nfacts)) {
        free(map);
        return nomem(d);
    }
    for (size_t k = 0; k < part->nprojects; k++) {
        const char *name = part->projects[k];
        size_t len = strlen(name);
        long number = project_number(wb, name, len, js_strmap_hash(name, len), false); /* text already in wb's arena */
        if (number < 0) {
            free(map);
            return nomem(d);
        }
        map[k] = (uint32_t)number;
    }
    for (size_t f = 0; f < part->nfacts; f++) {
        js_fact x = part->facts[f];
        if (x.project != UINT32_MAX)
            x.project = map[x.project];
        x.sheet_line += (uint32_t)lines;
        wb->facts[wb->nfacts++] = x;
    }
    free(map);
    return JS_OK;
}

static js_status read_halves(reader *r, int sheet, const colmap *m, js_csv *first, js_csv *second,
                             const char *fname)
{
    half *h = calloc(1, sizeof *h);
    if (!h)
        return nomem(r->d);
    js_workbook *wb = r->wb;
    h->sheet = sheet;
    h->m = m;
    h->c = second;
    h->fname = fname;
    h->part.dict = wb->dict;
    h->part.unit_index = wb->unit_index; /* shared, read only */
    h->part.units = wb->units;           /* also: a unit written with other parentheses is found in the list */
    h->part.nunits = wb->nunits;
    if (wb->summed && !wb->ndepth)
        plan_depths(wb);
    if (wb->summed && !(h->part.summed = h->part.feed_ready =
                            js_fact_feed_init(&h->part.feed, wb->units, wb->nunits, wb->depth, wb->ndepth))) {
        free(h);
        return nomem(r->d);
    }
    js_arena_init(&h->part.arena);
    js_diag_clear(&h->d);
    h->r = (reader){.wb = &h->part, .datadir = r->datadir, .src = r->src, .d = &h->d, .gen = 1};
    fact_sheet kind = fact_sheet_of(js_sheets[sheet].file);
    if (!reserve_sheet_facts(wb, js_csv_left(first) + js_csv_left(second), (int)kind)) { /* both halves' */
        free(h);
        return nomem(r->d);
    }
    js_beside b;
    js_beside_start(&b, read_half, h, true);
    js_status st = read_records(r, sheet, m, first, fname);
    js_beside_finish(&b);
    /* a split given up (js_csv_split_voided): the first half read on to
     * the end, the second's lines are dropped */
    bool voided = js_csv_split_voided(first);
    long lines = js_csv_next_line(first) - 1; /* the second half counted from 1 */
    if (st == JS_OK && !voided && h->st != JS_OK) {
        st = h->st; /* the first error in file order */
        if (r->d) {
            *r->d = h->d;
            if (r->d->line > 0)
                r->d->line += lines;
        }
    }
    if (st == JS_OK && !voided)
        st = merge_half(wb, &h->part, lines, r->d);
    js_arena_release(&h->part.arena); /* empty once merged; the kept text of a failed half */
    free(h->part.facts);
    js_fact_feed_free(&h->part.feed);
    free(h->part.projects);
    js_strmap_free(&h->part.project_index);
    free(h->part.variants);
    free(h);
    return st;
}

/* Gives back a sheet's buffer to its source. */
static void release(const js_sheet_source *src, char *data, size_t len)
{
    if (src->release)
        src->release(src->ctx, data, len);
    else
        free(data);
}

/* Whether the source holds sheet_file. */
static bool source_has(reader *r, const char *sheet_file)
{
    char name[1024], *data = NULL;
    size_t len = 0;
    js_diag quiet = {0};
    if (r->src->get(r->src->ctx, sheet_file, &data, &len, name, sizeof name, &quiet) != JS_OK || !data)
        return false;
    release(r->src, data, len);
    return true;
}

/* Whether sheet_file, a 决算 sheet the schema requires, may be missing
 * because the workbook holds the budget phase only (docs/budget.md): the
 * budget phase is there and neither of the 决算's two line sheets is. */
static bool budget_only(reader *r, const char *sheet_file)
{
    bool exp = !strcmp(sheet_file, "expenditure.csv"), rev = !strcmp(sheet_file, "revenue.csv");
    return (exp || rev) && !source_has(r, exp ? "revenue.csv" : "expenditure.csv") &&
           source_has(r, "budget_expenditure.csv");
}

static js_status read_sheet(reader *r, int sheet)
{
    r->gen++; /* empties the memo */
    const js_sheetspec *sp = &js_sheets[sheet];
    if (not_summed(r, sp))
        return JS_OK;
    char fname[1024];
    char *data = NULL;
    size_t len = 0;
    int fd = -1;
    js_csv *c = NULL;
    if (r->src->stream) /* a big sheet read a window at a time */
        r->src->stream(r->src->ctx, sp->file, &fd, &len, fname, sizeof fname);
    if (fd >= 0 && !(c = js_csv_open_stream(fname, fd, len)))
        close(fd), fd = -1; /* read whole: get says what is wrong with it */
    js_status st = c ? JS_OK : r->src->get(r->src->ctx, sp->file, &data, &len, fname, sizeof fname, r->d);
    if (st == JS_OK && !data && !c) {
        if (!sp->required || budget_only(r, sp->file))
            return JS_OK;
        char found[1024] = "";
        if (r->src->found)
            r->src->found(r->src->ctx, found, sizeof found);
        return js_diag_set(r->d, JS_E_INPUT, fname, 0, 0, NULL, "缺少工作表「%s」（CSV 目录中为 %s 或 %s.csv）；找到的工作表：%s",
                           sp->title, sp->file, sp->title, found[0] ? found : "无");
    }
    if (st != JS_OK)
        return st;
    if (!c && !(c = js_csv_open(fname, data, len, r->d))) {
        release(r->src, data, len);
        return r->d ? r->d->status : JS_E_INPUT;
    }
    colmap m = {.nheading = 0};
    int got = js_csv_next(c, r->d);
    if (got == 0)
        st = js_diag_set(r->d, JS_E_INPUT, fname, 0, 0, NULL, "文件为空（缺少表头行）");
    else if (got < 0)
        st = r->d ? r->d->status : JS_E_INPUT;
    else
        st = map_header(r->wb, sp, c, fname, &m, r->d);
    /* A big sheet of line items is read by two threads, one half each. */
    js_csv *second = NULL;
    fact_sheet fs = fact_sheet_of(sp->file); /* only line items: budget.csv also keeps notes */
    bool lines_only = fs == FS_EXP || fs == FS_REV || fs == FS_CARRY || fs == FS_SURPLUS;
    if (st == JS_OK && lines_only && !r->all && js_beside_halves_on() && js_csv_split(c, PARALLEL_BYTES, &second))
        st = read_halves(r, sheet, &m, c, second, fname);
    else if (st == JS_OK)
        st = read_records(r, sheet, &m, c, fname);
    js_csv_free(second);
    /* A cell of an .xlsx merge away from its top left reads as empty: say
     * so, and where the value is. */
    char merge[320];
    if (st == JS_E_INPUT && r->d && r->d->line > 0 && r->d->col > 0 && r->src->merged &&
        r->src->merged(r->src->ctx, sp->file, r->d->line, r->d->col, merge, sizeof merge)) {
        size_t used = strlen(r->d->message);
        snprintf(r->d->message + used, sizeof r->d->message - used, "（%s）", merge);
    }
    if (st == JS_OK) {
        char *keep = js_arena_strdup(&r->wb->arena, fname);
        r->wb->sheet_file[sheet] = keep;
        for (int k = 0; k < sp->ncols; k++)
            if (sp->cols[k].type == JS_COL_MONEY && m.field[k] >= 0)
                r->wb->money_unit[sheet][k] = (uint8_t)(m.unit[k] + 1);
        for (size_t i = 0; i < sizeof k_sheet_sources / sizeof k_sheet_sources[0]; i++)
            if (!strcmp(k_sheet_sources[i].file, sp->file) && k_sheet_sources[i].src != JS_SRC_BUDGET_GIVEN)
                r->wb->source_file[k_sheet_sources[i].src] = keep;
    }
    if (st == JS_OK && !strcmp(sp->file, "department.csv"))
        st = department_done(r, fname);
    if (st == JS_OK && !strcmp(sp->file, "units.csv") && r->wb->nunits == 0)
        st = js_diag_set(r->d, JS_E_INPUT, fname, 0, 0, NULL, "单位表中没有单位");
    js_csv_free(c);
    if (fd >= 0)
        close(fd);
    else
        release(r->src, data, len);
    return st;
}

/* The 年初预算 facts of the budget phase (budget_phase_done) appended to
 * facts[0..*n): one department-level fact per 预算支出 fact, budget.csv's
 * own relabelled. false when out of memory. */
static bool derive_budget(js_fact **facts, size_t *n, size_t *cap)
{
    size_t given = *n;
    for (size_t i = 0; i < given; i++)
        if ((*facts)[i].source == JS_SRC_BUDGET)
            (*facts)[i].source = JS_SRC_BUDGET_GIVEN;
    for (size_t i = 0; i < given; i++) {
        const js_fact *x = &(*facts)[i];
        if (x->source != JS_SRC_B_EXP)
            continue;
        js_fact f = {.source = JS_SRC_BUDGET, .fund = x->fund, .spend = JS_NONE, .item = JS_NONE,
                     .unit = UINT32_MAX, .func = x->func, .sheet_line = x->sheet_line,
                     .project = UINT32_MAX, .amount = x->amount};
        if (!js_vec_reserve(facts, cap, *n + 1, sizeof **facts))
            return false;
        (*facts)[(*n)++] = f;
    }
    return true;
}

/* After every sheet: the budget phase is whole (budget_revenue.csv goes
 * with budget_expenditure.csv), and when it is there the 决算's 年初预算
 * facts are derived from its 预算支出 lines — one department-level fact
 * per line, its 项, fund and amount — while budget.csv's own amounts, if
 * any, are kept apart as 年初预算填报 for the audit to compare
 * (docs/budget.md). Without the budget phase budget.csv needs its
 * 年初预算数 column. */
static js_status budget_phase_done(reader *r)
{
    js_workbook *wb = r->wb;
    int bexp = js_sheet_index("budget_expenditure.csv"), budget = js_sheet_index("budget.csv");
    if (!wb->sheet_file[bexp]) {
        static const char *const phase_sheets[] = {"budget_revenue.csv", "budget_carryover.csv"};
        for (size_t i = 0; i < sizeof phase_sheets / sizeof phase_sheets[0]; i++)
            if (js_workbook_has_sheet(wb, phase_sheets[i]))
                return js_diag_set(r->d, JS_E_INPUT, js_workbook_sheet_file(wb, phase_sheets[i]), 0, 0, NULL,
                                   "有预算阶段的「%s」表，缺少「预算支出」表（budget_expenditure.csv）",
                                   js_sheet_title(phase_sheets[i]));
        if (wb->sheet_file[budget] && js_workbook_money_unit(wb, "budget.csv", "年初预算数") < 0)
            return js_diag_set(r->d, JS_E_INPUT, wb->sheet_file[budget], 1, 0, NULL,
                               "缺少「年初预算数」列（工作簿有预算阶段的「预算支出」表时，年初预算取自预算支出，才可不要此列）");
        return JS_OK;
    }
    if (!js_workbook_has_sheet(wb, "budget_revenue.csv"))
        return js_diag_set(r->d, JS_E_INPUT, wb->sheet_file[bexp], 0, 0, NULL,
                           "有「预算支出」表，缺少「预算收入」表（budget_revenue.csv）");
    bool ok = derive_budget(&wb->facts, &wb->nfacts, &wb->capfacts);
    for (size_t j = 0; ok && wb->summed && j < wb->ndepth; j++) /* sums of B_EXP give sums of BUDGET */
        ok = derive_budget(&wb->sets[j], &wb->nset[j], &wb->capset[j]);
    if (!ok)
        return nomem(r->d);
    wb->source_file[JS_SRC_BUDGET_GIVEN] = wb->source_file[JS_SRC_BUDGET];
    wb->source_file[JS_SRC_BUDGET] = wb->sheet_file[bexp];
    return JS_OK;
}

static js_workbook *read_book(const char *datadir, js_dict_cache *dicts, const js_sheet_source *src,
                              js_diag *d, js_input_errors *all, const js_sum_plan *plan)
{
    for (int s = 0; s < js_nsheets; s++)
        if (js_sheets[s].ncols > MAX_SPEC_COLS) {
            js_diag_set(d, JS_E_INTERNAL, js_sheets[s].file, 0, 0, NULL, "schema has too many columns");
            return NULL;
        }
    js_workbook *wb = calloc(1, sizeof *wb);
    if (!wb) {
        nomem(d);
        return NULL;
    }
    js_arena_init(&wb->arena);
    wb->summed = plan != NULL;
    wb->plan = plan;
    reader r = {.wb = wb, .datadir = datadir, .dicts = dicts, .src = src, .d = d, .all = all};
    for (int s = 0; s < js_nsheets; s++) {
        /* The other sheets need the department's dictionary and every
         * unit: after an error there, reading on would only report its
         * consequences (lines of a unit its bad row would have listed). */
        bool needed = !strcmp(js_sheets[s].file, "department.csv") || !strcmp(js_sheets[s].file, "units.csv");
        if (read_sheet(&r, s) != JS_OK) {
            if (!needed && keep_going(&r))
                continue;
            if (all && d && d->status == JS_E_INPUT)
                keep_going(&r);
            js_workbook_free(wb);
            return NULL;
        }
        if (needed && all && all->total)
            break;
    }
    if (wb->summed && !wb->ndepth)
        plan_depths(wb); /* no line at all */
    if (wb->summed && wb->feed_ready && !wb->overflowed) { /* the sums stand for the facts from here on */
        js_fact bad;
        bool overflow;
        bool ok = js_fact_feed_finish(&wb->feed, wb->sets, wb->nset, &bad, &overflow);
        for (size_t j = 0; j < wb->ndepth; j++)
            wb->capset[j] = wb->nset[j];
        if (!ok && overflow) {
            note_overflow(wb, &bad, 0);
        } else if (!ok) {
            nomem(d);
            js_workbook_free(wb);
            return NULL;
        }
    }
    wb->plan = NULL; /* the caller's */
    if (!(all && all->total)) {
        js_status st = budget_phase_done(&r);
        if (st != JS_OK && !(st == JS_E_INPUT && keep_going(&r))) {
            js_workbook_free(wb);
            return NULL;
        }
    }
    if (all && all->total) {
        js_workbook_free(wb);
        return NULL;
    }
    if (wb->overflowed) { /* after every input error, as compiling would find it */
        js_diag_set(d, JS_E_INPUT, js_workbook_source_file(wb, wb->over.source), (long)wb->over.sheet_line, 0, NULL,
                    "金额合计超出范围");
        js_workbook_free(wb);
        return NULL;
    }
    return wb;
}

bool js_workbook_has_budget_phase(const js_workbook *wb)
{
    return js_workbook_has_sheet(wb, "budget_expenditure.csv");
}

bool js_workbook_has_initial_budget(const js_workbook *wb)
{
    return js_workbook_has_budget_phase(wb) || js_workbook_money_unit(wb, "budget.csv", "年初预算数") >= 0;
}

js_workbook *js_workbook_read(const char *datadir, js_dict_cache *dicts, const js_sheet_source *src,
                              js_diag *d)
{
    return read_book(datadir, dicts, src, d, NULL, NULL);
}

typedef struct {
    const char *folder;
    char *mapped; /* the sheet mapped into memory, if any */
    /* the last sheet whose path was looked up (folder_stream, then
     * folder_get ask for the same one): its path and what stat said */
    char resolved[64];
    char path[1024];
    struct stat st;
    bool found;
} folder_ctx;

/* The path of a sheet: its file name, or its Chinese title (支出.csv),
 * looked up once for the stream and the get of the same sheet (a batch of
 * 10 000 departments asked the file system twice for each). */
static const char *sheet_path(folder_ctx *fc, const char *sheet_file)
{
    if (strcmp(fc->resolved, sheet_file)) {
        snprintf(fc->resolved, sizeof fc->resolved, "%s", sheet_file);
        snprintf(fc->path, sizeof fc->path, "%s/%s", fc->folder, sheet_file);
        fc->found = stat(fc->path, &fc->st) == 0;
        int s = js_sheet_index(sheet_file);
        char title[sizeof fc->path];
        struct stat st;
        if (!fc->found && s >= 0 &&
            snprintf(title, sizeof title, "%s/%s.csv", fc->folder, js_sheets[s].title) < (int)sizeof title &&
            stat(title, &st) == 0 && S_ISREG(st.st_mode)) {
            memcpy(fc->path, title, sizeof title);
            fc->st = st;
            fc->found = true;
        }
    }
    return fc->path;
}

/* A sheet of MAP_BYTES or more, read a window at a time: mapped whole,
 * its pages cost more on first touch (in a virtual machine) than a copy
 * a window at a time, and the window stays in the caches between the
 * UTF-8 check and the scan. */
static bool big_sheet(const struct stat *st)
{
    return S_ISREG(st->st_mode) && (size_t)st->st_size >= MAP_BYTES && st->st_size <= JS_MAX_SHEET_BYTES;
}

static void folder_stream(void *ctx, const char *sheet_file, int *fd, size_t *size, char *display, size_t display_len)
{
    folder_ctx *fc = ctx;
    snprintf(display, display_len, "%s", sheet_path(fc, sheet_file));
    struct stat st;
    *fd = fc->found && big_sheet(&fc->st) ? open(display, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY) : -1;
    if (*fd >= 0 && (fstat(*fd, &st) != 0 || !big_sheet(&st))) { /* changed since: read by get */
        close(*fd);
        *fd = -1;
    }
    *size = *fd >= 0 ? (size_t)st.st_size : 0;
}

static js_status folder_get(void *ctx, const char *sheet_file, char **data, size_t *len,
                            char *display, size_t display_len, js_diag *d)
{
    folder_ctx *fc = ctx;
    snprintf(display, display_len, "%s", sheet_path(fc, sheet_file));
    *data = NULL;
    /* A sheet that does not exist is absent; one that exists but cannot be
     * read is an error (never taken for absent). */
    js_load_opts o = {.max = JS_MAX_SHEET_BYTES, .map_from = MAP_BYTES, .populate = true, .missing_ok = true};
    bool mapped;
    js_status st = js_load_file(display, &o, data, len, &mapped, d);
    fc->mapped = st == JS_OK && mapped ? *data : NULL;
    return st;
}

/* The .csv files of the folder, by name. */
static int by_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void folder_found(void *ctx, char *buf, size_t n)
{
    folder_ctx *fc = ctx;
    DIR *dp = opendir(fc->folder);
    char *names[256];
    size_t k = 0, used = 0;
    for (struct dirent *e; dp && k < 256 && (e = readdir(dp));) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] != '.' && l > 4 && !strcmp(e->d_name + l - 4, ".csv") && (names[k] = strdup(e->d_name)))
            k++;
    }
    if (dp)
        closedir(dp);
    qsort(names, k, sizeof *names, by_text);
    buf[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        int w = used + 1 < n ? snprintf(buf + used, n - used, "%s%s", i ? "、" : "", names[i]) : -1;
        if (w > 0 && (size_t)w < n - used)
            used += (size_t)w;
        else if (used < n)
            buf[used] = '\0';
        free(names[i]);
    }
}

static void folder_release(void *ctx, char *data, size_t len)
{
    folder_ctx *fc = ctx;
    js_release_file(data, len, data && data == fc->mapped);
    if (data == fc->mapped)
        fc->mapped = NULL;
}

js_workbook *js_workbook_load(const char *datadir, const char *folder, js_diag *d)
{
    return js_workbook_open(datadir, NULL, folder, d);
}

static js_workbook *open_book(const char *datadir, js_dict_cache *dicts, const char *folder, js_diag *d,
                              js_input_errors *all, const js_sum_plan *plan)
{
    js_book_kind kind = js_workbook_kind(folder);
    if (kind != JS_BOOK_FOLDER && kind != JS_BOOK_MISSING) {
        js_sheetbook *b = js_sheetbook_open(folder, d);
        if (!b)
            return NULL;
        js_sheet_source src = js_sheetbook_source(b);
        js_workbook *wb = read_book(datadir, dicts, &src, d, all, plan);
        js_sheetbook_close(b);
        if (!wb && d)
            d->a1 = true; /* name cells as 支出!F14 */
        for (size_t i = 0; !wb && all && i < all->n; i++)
            all->items[i].a1 = true;
        return wb;
    }
    DIR *dp = opendir(folder);
    if (!dp) { /* missing: the user's mistake; there but unreadable: an IO error */
        int err = errno;
        if (err == ENOENT || err == ENOTDIR)
            js_diag_set(d, JS_E_INPUT, folder, 0, 0, NULL, "工作簿目录不存在");
        else
            js_diag_set(d, JS_E_IO, folder, 0, 0, NULL, "无法读取工作簿目录：%s（errno %d）", js_errno_text(err), err);
        return NULL;
    }
    closedir(dp);
    folder_ctx fc = {.folder = folder};
    js_sheet_source src = {&fc, folder_get, folder_release, folder_found, NULL, folder_stream};
    return read_book(datadir, dicts, &src, d, all, plan);
}

js_workbook *js_workbook_open(const char *datadir, js_dict_cache *dicts, const char *folder, js_diag *d)
{
    return open_book(datadir, dicts, folder, d, NULL, NULL);
}

static const js_sum_plan every_digit = {NULL, NULL, NULL}; /* no plan: every digit kept */

js_workbook *js_workbook_open_summed(const char *datadir, js_dict_cache *dicts, const char *path,
                                     const js_sum_plan *plan, js_diag *d)
{
    return open_book(datadir, dicts, path, d, NULL, plan ? plan : &every_digit);
}

js_workbook *js_workbook_read_summed(const char *datadir, js_dict_cache *dicts, const js_sheet_source *src,
                                     const js_sum_plan *plan, js_diag *d)
{
    return read_book(datadir, dicts, src, d, NULL, plan ? plan : &every_digit);
}

bool js_workbook_summed(const js_workbook *wb) { return wb->summed; }
size_t js_workbook_sum_sets(const js_workbook *wb) { return wb->summed ? wb->ndepth : 0; }

const js_fact *js_workbook_sum_set(const js_workbook *wb, size_t i, js_sum_depth *depth, size_t *n)
{
    *depth = wb->depth[i];
    *n = wb->nset[i];
    return wb->sets[i];
}

size_t js_workbook_input_errors(const char *datadir, js_dict_cache *dicts, const char *path,
                                js_input_errors *e)
{
    memset(e, 0, sizeof *e);
    js_book_kind kind = js_workbook_kind(path);
    if (kind != JS_BOOK_FOLDER && kind != JS_BOOK_XLSX && kind != JS_BOOK_XLS)
        return 0;
    js_diag d;
    js_diag_clear(&d);
    js_workbook *wb = open_book(datadir, dicts, path, &d, e, NULL);
    js_workbook_free(wb);
    if (wb || d.status == JS_E_NOMEM || d.status == JS_E_IO) {
        js_input_errors_release(e);
        return 0;
    }
    return e->total;
}

void js_input_errors_release(js_input_errors *e)
{
    free(e->items);
    memset(e, 0, sizeof *e);
}

js_workbook *js_workbook_assemble(const char *department, int year, const char *profile, js_dict *dict,
                                  const js_unit *units, size_t nunits, js_fact *facts, size_t nfacts,
                                  js_diag *d)
{
    js_workbook *wb = calloc(1, sizeof *wb);
    if (!wb) {
        free(facts);
        nomem(d);
        return NULL;
    }
    js_arena_init(&wb->arena);
    wb->dict = dict;
    wb->year = year;
    wb->facts = facts;
    wb->nfacts = wb->capfacts = nfacts;
    wb->department = keep(wb, department);
    wb->profile = keep(wb, profile);
    bool ok = wb->department && wb->profile &&
              js_vec_reserve(&wb->units, &wb->capunits, nunits, sizeof *wb->units);
    for (size_t i = 0; ok && i < nunits; i++) {
        const char *name = keep(wb, units[i].name);
        ok = name && js_strmap_put(&wb->unit_index, name, (uint32_t)i);
        wb->units[wb->nunits++] = (js_unit){name, units[i].kind};
    }
    if (!ok) {
        js_workbook_free(wb);
        nomem(d);
        return NULL;
    }
    return wb;
}

void js_workbook_free(js_workbook *wb)
{
    if (!wb)
        return;
    if (wb->own_dict)
        js_dict_free(wb->dict);
    for (size_t i = 0; i < sizeof wb->keyed / sizeof wb->keyed[0]; i++)
        free(wb->keyed[i].rows);
    free(wb->units);
    free(wb->facts);
    if (wb->feed_ready)
        js_fact_feed_free(&wb->feed);
    for (size_t j = 0; j < wb->ndepth; j++)
        free(wb->sets[j]);
    free(wb->notes);
    free(wb->projects);
    free(wb->variants);
    js_strmap_free(&wb->unit_index);
    js_strmap_free(&wb->project_index);
    js_arena_release(&wb->arena);
    free(wb);
}

const char *js_workbook_department(const js_workbook *wb) { return wb->department; }
int js_workbook_year(const js_workbook *wb) { return wb->year; }
const char *js_workbook_profile(const js_workbook *wb) { return wb->profile; }
const js_dict *js_workbook_dict(const js_workbook *wb) { return wb->dict; }

const js_unit *js_workbook_units(const js_workbook *wb, size_t *n)
{
    *n = wb->nunits;
    return wb->units;
}

int js_workbook_find_unit(const js_workbook *wb, const char *name)
{
    long found = js_strmap_get(&wb->unit_index, name, strlen(name));
    if (found >= 0)
        return (int)found;
    char *end;
    long k = strtol(name, &end, 10);
    if (*name && !*end && k >= 1 && (size_t)k <= wb->nunits)
        return (int)k - 1;
    return -1;
}

const js_fact *js_workbook_facts(const js_workbook *wb, size_t *n)
{
    *n = wb->nfacts;
    return wb->facts;
}

const char *js_workbook_text(const js_workbook *wb, const char *sheet, const char *key)
{
    const keyed_row *row = keyed_find(wb, sheet, key);
    return row ? row->cells[JS_VALUE_COL] : NULL;
}

size_t js_workbook_sheet_size(const js_workbook *wb, const char *sheet, int *ncols)
{
    int s = js_sheet_index(sheet);
    *ncols = s >= 0 ? js_sheets[s].ncols : 0;
    return s >= 0 && (js_sheets[s].keyed || js_sheets[s].rows) ? wb->keyed[s].n : 0;
}

const char *js_workbook_sheet_heading(const char *sheet, int col)
{
    int s = js_sheet_index(sheet);
    return s >= 0 && col >= 0 && col < js_sheets[s].ncols ? js_sheets[s].cols[col].name : "";
}

const char *js_workbook_sheet_cell(const js_workbook *wb, const char *sheet, size_t row, int col)
{
    int s = js_sheet_index(sheet);
    if (s < 0 || !(js_sheets[s].keyed || js_sheets[s].rows) || row >= wb->keyed[s].n || col < 0 ||
        col >= js_sheets[s].ncols)
        return "";
    return wb->keyed[s].rows[row].cells[col];
}

js_fen js_workbook_sheet_number(const js_workbook *wb, const char *sheet, size_t row, int col)
{
    int s = js_sheet_index(sheet);
    if (s < 0 || !(js_sheets[s].keyed || js_sheets[s].rows) || row >= wb->keyed[s].n || col < 0 ||
        col >= js_sheets[s].ncols)
        return 0;
    return wb->keyed[s].rows[row].money[col];
}

/* The schema column of a keyed sheet's value called column (NULL: the
 * first value column); -1 when the sheet has no such column. */
static int value_column(const js_sheetspec *sp, const char *column)
{
    int k = JS_VALUE_COL;
    while (column && k < sp->ncols && strcmp(sp->cols[k].name, column))
        k++;
    return k < sp->ncols ? k : -1;
}

int js_workbook_value_given(const js_workbook *wb, const char *sheet, const char *key, const char *column,
                            const char **text, js_fen *number, bool *given)
{
    const char *file = js_sheet_file(sheet);
    int s = file ? js_sheet_index(file) : -1;
    const js_sheetspec *sp = s >= 0 ? &js_sheets[s] : NULL;
    int k = sp && sp->keyed ? value_column(sp, column) : -1;
    *given = false;
    if (k < 0)
        return -1;
    const keyed_row *row = keyed_find(wb, sp->file, key);
    *text = row ? row->cells[k] : "";
    *number = row ? row->money[k] : 0;
    *given = wb->sheet_file[s] && (wb->keyed[s].columns >> k & 1) && row;
    return sp->cols[k].type == JS_COL_MONEY ? 1 : sp->cols[k].type == JS_COL_COUNT ? 2 : 0;
}

int js_workbook_value(const js_workbook *wb, const char *sheet, const char *key, const char *column,
                      const char **text, js_fen *number)
{
    bool given;
    return js_workbook_value_given(wb, sheet, key, column, text, number, &given);
}

bool js_workbook_given(const js_workbook *wb, const char *sheet, const char *key, const char *column)
{
    int s = js_sheet_index(sheet);
    if (s < 0 || !wb->sheet_file[s])
        return false;
    const js_sheetspec *sp = &js_sheets[s];
    int k = value_column(sp, column);
    if (k < 0)
        return false;
    if (!sp->keyed)
        return true;
    return (wb->keyed[s].columns >> k & 1) && (!key || keyed_find(wb, sheet, key));
}

const char *const *js_workbook_fact_projects(const js_workbook *wb, size_t *n)
{
    *n = wb->nprojects;
    return wb->projects;
}

int js_workbook_money_unit(const js_workbook *wb, const char *sheet, const char *column)
{
    int s = js_sheet_index(sheet);
    if (s < 0 || !wb->sheet_file[s])
        return -1;
    const js_sheetspec *sp = &js_sheets[s];
    for (int k = 0; k < sp->ncols; k++)
        if (sp->cols[k].type == JS_COL_MONEY && (!column || !strcmp(sp->cols[k].name, column)))
            return wb->money_unit[s][k] ? wb->money_unit[s][k] - 1 : -1;
    return -1;
}

const js_budget_note *js_workbook_budget_notes(const js_workbook *wb, size_t *n)
{
    *n = wb->nnotes;
    return wb->notes;
}

const char *js_workbook_sheet_file(const js_workbook *wb, const char *sheet)
{
    int s = js_sheet_index(sheet);
    return s >= 0 && wb->sheet_file[s] ? wb->sheet_file[s] : sheet;
}

bool js_workbook_has_sheet(const js_workbook *wb, const char *sheet)
{
    int s = js_sheet_index(sheet);
    return s >= 0 && wb->sheet_file[s];
}

bool js_workbook_locate(const js_workbook *wb, const char *sheet, const char *key, js_diag *d)
{
    const keyed_row *row = keyed_find(wb, sheet, key);
    int s = js_sheet_index(sheet);
    if (!row || s < 0 || !wb->sheet_file[s])
        return false;
    snprintf(d->file, sizeof d->file, "%s", wb->sheet_file[s]);
    d->line = row->line;
    d->col = row->valcol;
    snprintf(d->colname, sizeof d->colname, "%s", key);
    return true;
}

const char *js_workbook_source_file(const js_workbook *wb, int source)
{
    const char *f = source >= 0 && source < JS_SRC_COUNT ? wb->source_file[source] : NULL;
    return f ? f : "";
}
