/* Reading .xlsx workbooks (see xlsx_read.h). */
#include "xlsx_read.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/limits.h"
#include "sheet_cell.h"
#include "vec.h"
#include "workbook_schema.h"
#include "zip_read.h"

#define NS_SEP '|'
#define MAX_XLSX_RATIO 200 /* uncompressed / compressed, against zip bombs */
#define MAX_XLSX_SHEETS 256

/* A merged range: rows r1..r2, columns c1..c2 (1-based); its value is in
 * the top left cell, the others read as empty. */
typedef struct {
    long r1, r2;
    int c1, c2;
} xlsx_merge;

struct js_xlsx {
    char *path;
    js_zipr *zip;
    char **names, **targets; /* sheet names and their part paths */
    size_t nsheets;
    char **shared;     /* into pool */
    size_t nshared, capshared;
    bool *date_style; /* cellXfs index -> shows a date */
    size_t nstyles, capstyles;
    bool date1904;
    /* styles.xml: the custom number formats that show dates */
    int *date_fmt;
    size_t ndate_fmt, capdate_fmt;
    int in_cellxfs;
    js_buf pool;       /* the shared strings' text, NUL after each */
    size_t *offsets;   /* where each starts in pool, while it grows */
    char *dup_sheet;   /* a sheet name given twice */
    /* the merged ranges of the sheet read last (xlsx_get), for messages */
    char *merge_sheet; /* its sheet file, NULL before any */
    xlsx_merge *merges;
    size_t nmerges, capmerges;
};

/* The local name of an expat "uri|local" name. */
static const char *local(const char *name)
{
    const char *p = strrchr(name, NS_SEP);
    return p ? p + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (!strcmp(local(atts[i]), name))
            return atts[i + 1];
    return NULL;
}

/* Reads a part of the zip, capped in size and ratio. */
static js_status read_part(js_xlsx *x, const char *name, char **data, size_t *len, js_diag *d)
{
    uint64_t size, packed;
    *data = NULL;
    if (!js_zipr_stat(x->zip, name, &size, &packed))
        return JS_E_IO;
    if (size > (uint64_t)JS_MAX_FILE_BYTES || (packed > 0 && size / packed > MAX_XLSX_RATIO && size > 1000000))
        return js_diag_set(d, JS_E_LIMIT, x->path, 0, 0, NULL, "工作簿中的 %s 过大（或压缩比异常）", name);
    int got = js_zipr_read(x->zip, name, data, len);
    if (got < 0)
        return js_diag_set(d, JS_E_INPUT, x->path, 0, 0, NULL, "工作簿中的 %s 已损坏", name);
    return got ? JS_OK : JS_E_IO;
}

/* ---- text escapes --------------------------------------------------- */

static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char ch = p[i];
        int h = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* The UTF-16 unit of an escape _xHHHH_ at p, or -1. */
static int escape_at(const char *p)
{
    return p[0] == '_' && p[1] == 'x' && p[6] == '_' ? hex4(p + 2) : -1;
}

/* Decodes in place, within len bytes, the escapes by which Excel and
 * our writer (xlsx_book.c) write characters XML cannot hold (_x000D_ for a carriage
 * return, _x0001_, _x005F_ for a "_" that starts one); returns the new
 * length. A lone surrogate is left as written. */
static size_t unescape(char *s, size_t len)
{
    size_t out = 0;
    for (size_t i = 0; i < len;) {
        int u = i + 7 <= len ? escape_at(s + i) : -1;
        size_t used = 7;
        if (u >= 0xD800 && u <= 0xDBFF && i + 14 <= len) {
            int lo = escape_at(s + i + 7);
            u = lo >= 0xDC00 && lo <= 0xDFFF ? 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00) : -1;
            used = 14;
        }
        if (u < 0 || (u >= 0xD800 && u <= 0xDFFF) || u == 0) {
            s[out++] = s[i++];
            continue;
        }
        unsigned char enc[4];
        size_t n = u < 0x80 ? 1 : u < 0x800 ? 2 : u < 0x10000 ? 3 : 4;
        if (n == 1)
            enc[0] = (unsigned char)u;
        else {
            for (size_t k = n - 1; k > 0; k--, u >>= 6)
                enc[k] = (unsigned char)(0x80 | (u & 0x3f));
            enc[0] = (unsigned char)((0xF00 >> n) | u); /* 110xxxxx, 1110xxxx, 11110xxx */
        }
        memcpy(s + out, enc, n); /* n <= used: never overtakes the input */
        out += n;
        i += used;
    }
    s[out] = '\0';
    return out;
}

/* ---- a tiny expat driver -------------------------------------------- */

typedef struct {
    js_xlsx *x;
    js_buf text;     /* character data being collected */
    bool collect;
    int depth_si;    /* inside <si> */
    bool failed;
    /* workbook.xml / rels */
    char *rid;
    /* sheet */
    js_buf *out;
    long row, next_row;
    int col;
    char type[16];
    bool in_v, in_is;
    bool has_formula;
    const char *bad; /* the first cell that cannot be read as data, and why */
    long bad_row;
    int bad_col;
    bool skip;       /* the cell lies beyond JS_MAX_COLUMNS */
    int skip_col;
    const char *const *shared;
    size_t nshared;
    const js_xlsx_dates *dates;
    bool date; /* the cell's style shows a date */
    js_buf cell;
    XML_Parser parser;
    bool doctype;    /* a DTD: refused (entities, external or not) */
    bool too_many;   /* more shared strings than JS_MAX_SHARED_STRINGS */
    /* the sheet's merged ranges (NULL: not kept) */
    xlsx_merge **merges;
    size_t *nmerges, *capmerges;
} xctx;

/* No part of an .xlsx has a DTD; one would bring entities (external
 * files, or expansions that cost far more than their size). */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal)
{
    xctx *c = ud;
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    c->doctype = true;
    XML_StopParser(c->parser, XML_FALSE);
}

/* A parser for one part, with the handlers every part has. */
static XML_Parser new_parser(xctx *c, XML_StartElementHandler s, XML_EndElementHandler e)
{
    XML_Parser p = XML_ParserCreateNS(NULL, NS_SEP);
    if (!p)
        return NULL;
    c->parser = p;
    c->doctype = false;
    XML_SetUserData(p, c);
    XML_SetElementHandler(p, s, e);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    return p;
}

#define DOCTYPE_MESSAGE "不支持外部实体（XML 文档类型声明 DOCTYPE；.xlsx 文件中不应有，文件可能被篡改）"

static js_status parse_xml(const char *name, const char *xml, size_t len, XML_StartElementHandler s,
                           XML_EndElementHandler e, xctx *c, js_diag *d)
{
    XML_Parser p = new_parser(c, s, e);
    if (!p)
        return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    js_status st = JS_OK;
    enum XML_Status xs = XML_Parse(p, xml, (int)len, 1);
    if (c->doctype)
        st = js_diag_set(d, JS_E_INPUT, c->x->path, 0, 0, NULL, "工作簿中的 %s：%s", name, DOCTYPE_MESSAGE);
    else if (xs == XML_STATUS_ERROR)
        st = js_diag_set(d, JS_E_INPUT, c->x->path, 0, 0, NULL, "工作簿中的 %s 已损坏（第%lu行 XML 格式错误，expat 报告“%s”）",
                         name, (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
    else if (c->failed)
        st = js_diag_set(d, JS_E_NOMEM, c->x->path, 0, 0, NULL, "内存不足");
    XML_ParserFree(p);
    return st;
}

/* Remembers the first cell that cannot be read as data. */
static void bad_cell(xctx *c, long row, int col, const char *why)
{
    if (c->bad)
        return;
    c->bad = why;
    c->bad_row = row;
    c->bad_col = col;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    xctx *c = ud;
    if (c->collect && !js_buf_append(&c->text, s, (size_t)len)) {
        if (c->out) /* a worksheet: name the cell */
            bad_cell(c, c->row, c->col, "单元格文字过长（超过上限）");
        else
            c->failed = true;
    }
}

/* workbook.xml: <sheet name="支出" r:id="rId3"/> */
static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xctx *c = ud;
    js_xlsx *x = c->x;
    if (!strcmp(local(name), "workbookPr")) {
        const char *v = attr(atts, "date1904");
        x->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
        return;
    }
    if (strcmp(local(name), "sheet") || x->nsheets == MAX_XLSX_SHEETS)
        return;
    const char *n = attr(atts, "name"), *id = attr(atts, "id");
    for (size_t i = 0; n && i < x->nsheets && !x->dup_sheet; i++)
        if (!strcmp(x->names[i], n))
            x->dup_sheet = strdup(n); /* which one would be read? refused */
    char **names = realloc(x->names, sizeof *names * (x->nsheets + 1));
    char **targets = names ? realloc(x->targets, sizeof *targets * (x->nsheets + 1)) : NULL;
    if (names)
        x->names = names;
    if (!targets) {
        c->failed = true;
        return;
    }
    x->targets = targets;
    x->names[x->nsheets] = strdup(n ? n : "");
    x->targets[x->nsheets] = strdup(id ? id : ""); /* resolved through the rels */
    x->nsheets++;
}

/* rels: <Relationship Id="rId3" Target="worksheets/sheet3.xml"/> */
static void XMLCALL rel_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xctx *c = ud;
    if (strcmp(local(name), "Relationship"))
        return;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    for (size_t i = 0; id && target && i < c->x->nsheets; i++) {
        if (strcmp(c->x->targets[i], id))
            continue;
        char path[1024];
        if (target[0] == '/')
            snprintf(path, sizeof path, "%s", target + 1);
        else
            snprintf(path, sizeof path, "xl/%s", target);
        free(c->x->targets[i]);
        c->x->targets[i] = strdup(path);
    }
}

static void XMLCALL ignore_end(void *ud, const XML_Char *name)
{
    (void)ud;
    (void)name;
}

/* sharedStrings.xml: <si><t>…</t></si> or <si><r><t>…</t></r>…</si> */
static void XMLCALL ss_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xctx *c = ud;
    (void)atts;
    const char *l = local(name);
    if (!strcmp(l, "si")) {
        c->depth_si = 1;
        js_buf_reset(&c->text);
    } else if (!strcmp(l, "t") && c->depth_si == 1) { /* not phonetic runs (depth 2) */
        c->collect = true;
    } else if (!strcmp(l, "rPh")) {
        c->depth_si = c->depth_si ? 2 : 0; /* phonetic runs are not text */
    }
}

static void XMLCALL ss_end(void *ud, const XML_Char *name)
{
    xctx *c = ud;
    const char *l = local(name);
    js_xlsx *x = c->x;
    if (!strcmp(l, "t")) {
        c->collect = false;
    } else if (!strcmp(l, "rPh")) {
        c->depth_si = 1;
    } else if (!strcmp(l, "si")) {
        c->depth_si = 0;
        if (x->nshared == JS_MAX_SHARED_STRINGS) { /* checked before it costs */
            c->too_many = true;
            XML_StopParser(c->parser, XML_FALSE);
            return;
        }
        size_t at = x->pool.len;
        size_t n = c->text.data ? unescape(c->text.data, c->text.len) : 0;
        if (!js_vec_reserve(&x->offsets, &x->capshared, x->nshared + 1, sizeof *x->offsets) ||
            !js_buf_append(&x->pool, c->text.data ? c->text.data : "", n) || !js_buf_putc(&x->pool, '\0')) {
            c->failed = true;
            XML_StopParser(c->parser, XML_FALSE);
            return;
        }
        x->offsets[x->nshared++] = at;
    }
}

/* styles.xml: <numFmt numFmtId="176" formatCode="yyyy/m/d"/> and the
 * <xf numFmtId="14"/> of <cellXfs>, whose index a cell's s="" names. */
static void XMLCALL st_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xctx *c = ud;
    js_xlsx *x = c->x;
    const char *l = local(name), *id = attr(atts, "numFmtId");
    if (!strcmp(l, "cellXfs")) {
        x->in_cellxfs = 1;
    } else if (!strcmp(l, "numFmt") && id) {
        const char *code = attr(atts, "formatCode");
        if (js_cell_format_is_date(-1, code ? code : "")) {
            if (!js_vec_reserve(&x->date_fmt, &x->capdate_fmt, x->ndate_fmt + 1, sizeof *x->date_fmt)) {
                c->failed = true;
                return;
            }
            x->date_fmt[x->ndate_fmt++] = atoi(id);
        }
    } else if (!strcmp(l, "xf") && x->in_cellxfs) {
        int fmt = id ? atoi(id) : 0;
        bool date = js_cell_format_is_date(fmt, NULL);
        for (size_t i = 0; !date && i < x->ndate_fmt; i++)
            date = x->date_fmt[i] == fmt;
        if (x->nstyles >= 65536 || !js_vec_reserve(&x->date_style, &x->capstyles, x->nstyles + 1, sizeof *x->date_style)) {
            c->failed = x->nstyles < 65536;
            return;
        }
        x->date_style[x->nstyles++] = date;
    }
}

static void XMLCALL st_end(void *ud, const XML_Char *name)
{
    xctx *c = ud;
    if (!strcmp(local(name), "cellXfs"))
        c->x->in_cellxfs = 0;
}

/* ---- sheets to CSV ------------------------------------------------- */

/* "AB12" -> column 28 (1-based), row 12 */
static int cell_ref(const char *r, long *row)
{
    int col = 0;
    while (*r >= 'A' && *r <= 'Z' && col < 100000)
        col = col * 26 + (*r++ - 'A' + 1);
    *row = strtol(r, NULL, 10);
    return col;
}

static void csv_cell(js_buf *out, const char *s)
{
    js_buf_csv_field(out, s);
}

static void XMLCALL sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xctx *c = ud;
    const char *l = local(name);
    if (!strcmp(l, "row")) {
        const char *r = attr(atts, "r");
        char *end = NULL;
        long row = r ? strtol(r, &end, 10) : c->next_row;
        /* Checked before the empty lines up to it are written: a gap costs
         * at most JS_MAX_XLSX_ROW lines. */
        if (r && (end == r || *end || row < 1)) {
            bad_cell(c, c->next_row, 0, "行号不是正整数（文件损坏）");
            return;
        }
        if (row > JS_MAX_XLSX_ROW) {
            bad_cell(c, c->next_row, 0, "行号超过 Excel 的上限 1048576（文件损坏）");
            return;
        }
        if (row < c->next_row) {
            bad_cell(c, row, 0, "行号重复或顺序颠倒（文件损坏）");
            return;
        }
        while (c->next_row < row) { /* empty rows keep the numbering */
            js_buf_putc(c->out, '\n');
            c->next_row++;
        }
        c->row = row;
        c->col = 0;
    } else if (!strcmp(l, "c")) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        long row;
        int col = r ? cell_ref(r, &row) : c->col + 1;
        c->skip = false;
        if (col <= c->col) {
            bad_cell(c, c->row, col, "单元格重复或顺序颠倒（文件损坏）");
            col = c->col + 1;
        }
        if (col > JS_MAX_COLUMNS) { /* only an empty (e.g. styled) cell may lie there */
            c->skip = true;
            c->skip_col = col;
            js_buf_reset(&c->cell);
            return;
        }
        /* commas so far: one fewer than the columns written */
        for (int k = c->col > 0 ? c->col - 1 : 0; k < col - 1; k++)
            js_buf_putc(c->out, ',');
        c->col = col;
        snprintf(c->type, sizeof c->type, "%s", t ? t : "n");
        const char *style = attr(atts, "s");
        unsigned long si = style ? strtoul(style, NULL, 10) : 0;
        c->date = style && c->dates && si < c->dates->nstyles && c->dates->date_style[si];
        js_buf_reset(&c->cell);
        c->has_formula = false;
    } else if (!strcmp(l, "f")) {
        c->has_formula = true;
    } else if (!strcmp(l, "v") || (!strcmp(l, "t") && c->in_is)) {
        c->collect = true;
        js_buf_reset(&c->text);
    } else if (!strcmp(l, "is")) {
        c->in_is = true;
    } else if (!strcmp(l, "mergeCell") && c->merges && *c->nmerges < JS_MAX_XLSX_MERGES) {
        /* ref="B3:B6"; kept only to explain a message about a cell */
        const char *ref = attr(atts, "ref"), *colon = ref ? strchr(ref, ':') : NULL;
        xlsx_merge m;
        if (!colon)
            return;
        m.c1 = cell_ref(ref, &m.r1);
        m.c2 = cell_ref(colon + 1, &m.r2);
        if (m.c1 < 1 || m.c2 < m.c1 || m.r1 < 1 || m.r2 < m.r1 ||
            !js_vec_reserve(c->merges, c->capmerges, *c->nmerges + 1, sizeof **c->merges))
            return;
        (*c->merges)[(*c->nmerges)++] = m;
    }
}

static void XMLCALL sh_end(void *ud, const XML_Char *name)
{
    xctx *c = ud;
    const char *l = local(name);
    if (!strcmp(l, "v") || (!strcmp(l, "t") && c->in_is)) {
        c->collect = false;
        if (c->text.data && (!strcmp(c->type, "str") || !strcmp(c->type, "inlineStr")))
            c->text.len = unescape(c->text.data, c->text.len);
        js_buf_puts(&c->cell, c->text.data ? c->text.data : "");
    } else if (!strcmp(l, "is")) {
        c->in_is = false;
    } else if (!strcmp(l, "c")) {
        const char *v = c->cell.data ? c->cell.data : "";
        if (c->skip) {
            if (*v)
                bad_cell(c, c->row, c->skip_col, "单元格超出列数上限");
            return;
        }
        if (!strcmp(c->type, "e"))
            bad_cell(c, c->row, c->col, "单元格是 Excel 错误值，请改正公式或直接填写数值");
        else if (c->has_formula && !*v)
            bad_cell(c, c->row, c->col, "单元格是公式但文件中没有计算结果，请在 Excel 中打开并保存，"
                                        "或直接填写数值（以“=”开头的文字请改为文本格式）");
        if (!strcmp(c->type, "s")) {
            char *end;
            unsigned long k = strtoul(v, &end, 10);
            if (*v && (*end || k >= c->nshared)) /* no value at all: an empty cell */
                bad_cell(c, c->row, c->col, "单元格引用的共享字符串不存在（文件损坏）");
            csv_cell(c->out, *v && !*end && k < c->nshared ? c->shared[k] : "");
        } else if (!strcmp(c->type, "n") && c->date && *v) {
            char date[16];
            if (!js_cell_serial_date(strtod(v, NULL), c->dates->date1904, date, sizeof date))
                bad_cell(c, c->row, c->col, "日期单元格的值不是有效日期（超出 1900-01-01 至 9999-12-31）");
            else
                csv_cell(c->out, date);
        } else if (!strcmp(c->type, "n")) {
            char num[64];
            js_cell_number_text(v, num, sizeof num);
            csv_cell(c->out, num);
        } else if (!strcmp(c->type, "d")) { /* an ISO 8601 date (Strict OOXML) */
            char date[16];
            if (!js_cell_date(v, strlen(v) > 10 ? 10 : strlen(v), date, sizeof date))
                bad_cell(c, c->row, c->col, "日期单元格的值不是有效日期");
            else
                csv_cell(c->out, date);
        } else if (!strcmp(c->type, "b")) {
            csv_cell(c->out, !strcmp(v, "1") ? "是" : "否");
        } else if (strcmp(c->type, "e")) { /* str, inlineStr; errors stay empty */
            csv_cell(c->out, v);
        }
    } else if (!strcmp(l, "row")) {
        js_buf_putc(c->out, '\n');
        c->next_row = c->row + 1;
    }
}

/* js_xlsx_sheet_csv, keeping the sheet's merged ranges in x (NULL: not). */
static js_status sheet_csv(js_xlsx *x, const char *xml, size_t len, const char *const *shared, size_t nshared,
                           const js_xlsx_dates *dates, js_buf *out, js_diag *d)
{
    xctx c = {.out = out, .shared = shared, .nshared = nshared, .dates = dates, .next_row = 1};
    if (x) {
        x->nmerges = 0;
        c.merges = &x->merges;
        c.nmerges = &x->nmerges;
        c.capmerges = &x->capmerges;
    }
    js_buf_init(&c.text, JS_MAX_CELL_BYTES);
    js_buf_init(&c.cell, JS_MAX_CELL_BYTES);
    XML_Parser p = new_parser(&c, sh_start, sh_end);
    js_status st = JS_OK;
    if (!p) {
        st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    } else {
        XML_SetCharacterDataHandler(p, on_text);
        enum XML_Status xs = XML_Parse(p, xml, (int)len, 1);
        if (c.doctype)
            st = js_diag_set(d, JS_E_INPUT, NULL, 0, 0, NULL, "%s", DOCTYPE_MESSAGE);
        else if (xs == XML_STATUS_ERROR)
            st = js_diag_set(d, JS_E_INPUT, NULL, (long)XML_GetCurrentLineNumber(p), 0, NULL, "XML 格式错误（expat 报告“%s”）",
                             XML_ErrorString(XML_GetErrorCode(p)));
        else if (c.bad)
            st = js_diag_set(d, JS_E_INPUT, NULL, c.bad_row, c.bad_col, NULL, "%s", c.bad);
        else if (c.failed || !js_buf_ok(out))
            st = js_diag_set(d, JS_E_LIMIT, NULL, 0, 0, NULL, "工作表的行、列或单元格超过上限");
        XML_ParserFree(p);
    }
    js_buf_release(&c.text);
    js_buf_release(&c.cell);
    return st;
}

js_status js_xlsx_sheet_csv(const char *xml, size_t len, const char *const *shared, size_t nshared,
                            const js_xlsx_dates *dates, js_buf *out, js_diag *d)
{
    return sheet_csv(NULL, xml, len, shared, nshared, dates, out, d);
}

/* Feeds a chunk of sharedStrings.xml to the parser. */
static bool ss_chunk(void *ctx, const char *chunk, size_t len, bool last)
{
    xctx *c = ctx;
    return XML_Parse(c->parser, chunk, (int)len, last) != XML_STATUS_ERROR;
}

/* sharedStrings.xml (absent: no shared strings), unpacked and parsed a
 * chunk at a time, the count checked before each string is kept. */
static js_status read_shared(js_xlsx *x, xctx *c, js_diag *d)
{
    static const char part[] = "xl/sharedStrings.xml";
    uint64_t size, packed;
    if (!js_zipr_stat(x->zip, part, &size, &packed))
        return JS_OK;
    if (size > (uint64_t)JS_MAX_FILE_BYTES)
        return js_diag_set(d, JS_E_LIMIT, x->path, 0, 0, NULL, "工作簿中的 %s 过大（超过 %ld 字节）", part,
                           (long)JS_MAX_FILE_BYTES);
    XML_Parser p = new_parser(c, ss_start, ss_end);
    if (!p)
        return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    XML_SetCharacterDataHandler(p, on_text);
    js_buf_init(&x->pool, JS_MAX_FILE_BYTES);
    int got = js_zipr_stream(x->zip, part, ss_chunk, c);
    js_status st = JS_OK;
    if (c->doctype)
        st = js_diag_set(d, JS_E_INPUT, x->path, 0, 0, NULL, "工作簿中的 %s：%s", part, DOCTYPE_MESSAGE);
    else if (c->too_many)
        st = js_diag_set(d, JS_E_LIMIT, x->path, 0, 0, NULL, "工作簿中的共享字符串超过 %ld 个的上限",
                         (long)JS_MAX_SHARED_STRINGS);
    else if (c->failed)
        st = js_diag_set(d, JS_E_LIMIT, x->path, 0, 0, NULL, "工作簿中的 %s 过大（单元格文字超过上限）", part);
    else if (got == -2)
        st = js_diag_set(d, JS_E_INPUT, x->path, 0, 0, NULL, "工作簿中的 %s 已损坏（第%lu行：%s）", part,
                         (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
    else if (got < 0)
        st = js_diag_set(d, JS_E_INPUT, x->path, 0, 0, NULL, "工作簿中的 %s 已损坏", part);
    XML_ParserFree(p);
    /* pointers into the pool, now that it no longer moves */
    if (st == JS_OK && x->nshared && !(x->shared = malloc(x->nshared * sizeof *x->shared)))
        st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    for (size_t i = 0; st == JS_OK && i < x->nshared; i++)
        x->shared[i] = x->pool.data + x->offsets[i];
    free(x->offsets);
    x->offsets = NULL;
    return st;
}

js_xlsx *js_xlsx_open(const char *path, js_diag *d)
{
    js_xlsx *x = calloc(1, sizeof *x);
    if (!x) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    x->path = strdup(path);
    x->zip = js_zipr_open(path, d);
    if (!x->zip) {
        js_xlsx_close(x);
        return NULL;
    }
    xctx c = {.x = x};
    js_buf_init(&c.text, JS_MAX_CELL_BYTES);
    char *data;
    size_t len;
    js_status st = read_part(x, "xl/workbook.xml", &data, &len, d);
    if (st == JS_E_IO)
        st = js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "不是 Excel 工作簿（缺少 xl/workbook.xml）");
    if (st == JS_OK) {
        st = parse_xml("xl/workbook.xml", data, len, wb_start, ignore_end, &c, d);
        free(data);
    }
    if (st == JS_OK && (st = read_part(x, "xl/_rels/workbook.xml.rels", &data, &len, d)) == JS_OK) {
        st = parse_xml("xl/_rels/workbook.xml.rels", data, len, rel_start, ignore_end, &c, d);
        free(data);
    } else if (st == JS_E_IO) {
        st = js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "工作簿已损坏（缺少 xl/_rels/workbook.xml.rels）");
    }
    if (st == JS_OK && x->dup_sheet)
        st = js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "工作簿中有两个名为“%s”的工作表", x->dup_sheet);
    if (st == JS_OK)
        st = read_shared(x, &c, d);
    if (st == JS_OK) {
        js_status s3 = read_part(x, "xl/styles.xml", &data, &len, d);
        if (s3 == JS_OK) {
            st = parse_xml("xl/styles.xml", data, len, st_start, st_end, &c, d);
            free(data);
        } else if (s3 != JS_E_IO) {
            st = s3;
        }
    }
    js_buf_release(&c.text);
    if (st != JS_OK) {
        js_xlsx_close(x);
        return NULL;
    }
    return x;
}

void js_xlsx_close(js_xlsx *x)
{
    if (!x)
        return;
    js_zipr_close(x->zip);
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->names[i]);
        free(x->targets[i]);
    }
    js_buf_release(&x->pool);
    free(x->offsets);
    free(x->dup_sheet);
    free(x->merge_sheet);
    free(x->merges);
    free(x->names);
    free(x->targets);
    free(x->shared);
    free(x->date_style);
    free(x->date_fmt);
    free(x->path);
    free(x);
}

static js_status xlsx_get(void *ctx, const char *sheet_file, char **data, size_t *len, char *display,
                          size_t display_len, js_diag *d)
{
    js_xlsx *x = ctx;
    long i = js_sheet_in_book(x->path, sheet_file, (const char *const *)x->names, x->nsheets, display, display_len);
    *data = NULL;
    if (i < 0)
        return JS_OK; /* no such sheet: absent */
    char *xml;
    size_t xl;
    js_status st = read_part(x, x->targets[i], &xml, &xl, d);
    if (st != JS_OK)
        return st == JS_E_IO ? js_diag_set(d, JS_E_INPUT, display, 0, 0, NULL, "工作表的内容缺失") : st;
    js_buf csv;
    js_buf_init(&csv, JS_MAX_FILE_BYTES);
    js_xlsx_dates dates = {x->date_style, x->nstyles, x->date1904};
    free(x->merge_sheet);
    x->merge_sheet = strdup(sheet_file);
    st = sheet_csv(x, xml, xl, (const char *const *)x->shared, x->nshared, &dates, &csv, d);
    free(xml);
    if (st != JS_OK) {
        snprintf(d->file, sizeof d->file, "%s", display);
        js_buf_release(&csv);
        return st;
    }
    *data = csv.data ? csv.data : strdup("");
    *len = csv.len;
    return *data ? JS_OK : JS_E_NOMEM;
}

/* "B3" for row 3, column 2. */
static void a1(long row, int col, char *buf, size_t n)
{
    char letters[8];
    int k = (int)sizeof letters - 1;
    letters[k] = '\0';
    for (int c = col; c > 0 && k > 0; c = (c - 1) / 26)
        letters[--k] = (char)('A' + (c - 1) % 26);
    snprintf(buf, n, "%s%ld", letters + k, row);
}

bool js_xlsx_merged(void *ctx, const char *sheet_file, long line, int col, char *buf, size_t n)
{
    js_xlsx *x = ctx;
    if (!x->merge_sheet || strcmp(x->merge_sheet, sheet_file) || line < 1 || col < 1)
        return false;
    for (size_t i = 0; i < x->nmerges; i++) {
        const xlsx_merge *m = &x->merges[i];
        if (line < m->r1 || line > m->r2 || col < m->c1 || col > m->c2 || (line == m->r1 && col == m->c1))
            continue;
        char cell[24], from[24], to[24];
        a1(line, col, cell, sizeof cell);
        a1(m->r1, m->c1, from, sizeof from);
        a1(m->r2, m->c2, to, sizeof to);
        snprintf(buf, n,
                 "单元格 %s 属于合并单元格 %s:%s，合并后的值只在左上角的 %s 中，%s 读作空白；"
                 "请取消合并，并在每一行填上各自的值",
                 cell, from, to, from, cell);
        return true;
    }
    return false;
}

js_sheet_source js_xlsx_source(js_xlsx *x)
{
    js_sheet_source s = {x, xlsx_get, NULL, NULL, js_xlsx_merged, NULL};
    return s;
}

const char *const *js_xlsx_sheet_names(const js_xlsx *x, size_t *n)
{
    *n = x->nsheets;
    return (const char *const *)x->names;
}
