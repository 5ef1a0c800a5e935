/* The collection of findings and its renderings (text, JSON, CSV). */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "findings.h"
#include "jsonout.h"
#include "juesuan/limits.h"
#include "strmap.h"
#include "vec.h"

const char *const js_severity_names[JS_SEV_COUNT] = {"error", "verify", "info"};
const char *const js_severity_labels[JS_SEV_COUNT] = {"错误", "核实", "提示"};

/* How many findings of one rule are kept, and the finding (an index into
 * items, SIZE_MAX before the cap is reached) that counts the others. */
typedef struct {
    size_t kept;
    size_t summary;
    size_t msgsize; /* bytes for the summary's message, rewritten in place */
} rule_tally;

struct js_findings {
    js_arena arena;
    js_finding *items;
    size_t n, cap;
    size_t rules_run, rules_passed, rules_na;
    const char *version;
    js_strmap rule_index; /* rule id -> index into tally */
    rule_tally *tally;
    size_t ntally, tallycap;
    /* Handed out for a finding past the cap, so that callers can fill it
     * and add its addends as for any other; reused each time. */
    js_finding discard;
};

js_findings *js_findings_new(void)
{
    js_findings *f = calloc(1, sizeof *f);
    if (f)
        js_arena_init(&f->arena);
    return f;
}

void js_findings_free(js_findings *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        free(f->items[i].addends);
    free(f->items);
    free(f->discard.addends);
    free(f->tally);
    js_strmap_free(&f->rule_index);
    js_arena_release(&f->arena);
    free(f);
}

size_t js_findings_count(const js_findings *f) { return f->n; }
const js_finding *js_findings_at(const js_findings *f, size_t i) { return &f->items[i]; }

size_t js_findings_by_severity(const js_findings *f, js_severity s)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->items[i].severity == s)
            n += f->items[i].omitted ? f->items[i].omitted : 1;
    return n;
}

void js_findings_stats(const js_findings *f, size_t *run, size_t *passed)
{
    *run = f->rules_run;
    *passed = f->rules_passed;
}

const char *js_findings_version(const js_findings *f) { return f->version ? f->version : ""; }

void js_findings_count_rule(js_findings *f, bool passed)
{
    f->rules_run++;
    f->rules_passed += passed;
}

void js_findings_count_rule_na(js_findings *f)
{
    f->rules_run++;
    f->rules_na++;
}

size_t js_findings_not_applicable(const js_findings *f) { return f->rules_na; }

void js_findings_set_version(js_findings *f, const char *version)
{
    f->version = js_arena_strdup(&f->arena, version);
}

void js_vrow_key(const js_vrow *row, char *buf, size_t n)
{
    if (row->rowno > 0)
        snprintf(buf, n, "#%d", row->rowno);
    else if (row->code[0])
        snprintf(buf, n, "%s", row->code);
    else
        snprintf(buf, n, "%s", row->name);
}

void js_addend_of(const js_vtable *t, const js_vrow *row, int c, const char *col, char side,
                  js_addend *a)
{
    memset(a, 0, sizeof *a);
    snprintf(a->table, sizeof a->table, "%s", t->id);
    js_vrow_key(row, a->row, sizeof a->row);
    snprintf(a->row_name, sizeof a->row_name, "%s", row->name);
    snprintf(a->column, sizeof a->column, "%s", col);
    if (!row->blank[c])
        js_money_format_wan(row->val[c], false, a->value, sizeof a->value);
    a->fen = row->val[c];
    a->side = side;
}

/* A finding of message msg (its first len bytes). */
static js_finding *append_n(js_findings *f, const char *rule, js_severity sev, const char *msg, size_t len)
{
    if (!js_vec_reserve(&f->items, &f->cap, f->n + 1, sizeof *f->items))
        return NULL;
    js_finding *x = &f->items[f->n];
    memset(x, 0, sizeof *x);
    x->rule = js_arena_strdup(&f->arena, rule);
    x->message = js_arena_strndup(&f->arena, msg, len);
    x->severity = sev;
    if (!x->rule || !x->message)
        return NULL;
    f->n++;
    return x;
}

static js_finding *append(js_findings *f, const char *rule, js_severity sev, const char *msg)
{
    return append_n(f, rule, sev, msg, strlen(msg));
}

/* The tally of rule, created at its first finding; NULL when out of memory. */
static rule_tally *tally_of(js_findings *f, const char *rule)
{
    long i = js_strmap_get(&f->rule_index, rule, strlen(rule));
    if (i >= 0)
        return &f->tally[i];
    const char *key = js_arena_strdup(&f->arena, rule);
    if (!key || !js_vec_reserve(&f->tally, &f->tallycap, f->ntally + 1, sizeof *f->tally) ||
        !js_strmap_put(&f->rule_index, key, (uint32_t)f->ntally))
        return NULL;
    f->tally[f->ntally] = (rule_tally){0, SIZE_MAX, 0};
    return &f->tally[f->ntally++];
}

/* Counts `more` findings of rule past the cap on the rule's summary
 * finding, which it adds at the first; NULL when out of memory. */
static js_finding *omit(js_findings *f, rule_tally *t, const char *rule, js_severity sev, size_t more)
{
    if (t->summary == SIZE_MAX) {
        /* room for the longest count, written again at every omission */
        if (!append(f, rule, sev, "另有 18446744073709551615 条本规则的结果未列出（每条规则最多列出 1000000000 条）"))
            return NULL;
        t->summary = f->n - 1;
        t->msgsize = strlen(f->items[t->summary].message) + 1;
    }
    js_finding *s = &f->items[t->summary];
    s->omitted += more;
    snprintf(s->message, t->msgsize, "另有 %zu 条本规则的结果未列出（每条规则最多列出 %d 条）",
             s->omitted, JS_MAX_FINDINGS_PER_RULE);
    js_finding *d = &f->discard;
    js_addend *keep = d->addends;
    size_t cap = d->addcap;
    memset(d, 0, sizeof *d);
    d->addends = keep;
    d->addcap = cap;
    d->rule = s->rule;
    d->message = s->message;
    d->severity = sev;
    return d;
}

/* js_findings_add(f, rule, sev, "%s", msg) without formatting: the
 * message cut where that 2048-byte buffer would cut it. */
static js_finding *add_message(js_findings *f, const char *rule, js_severity sev, const char *msg)
{
    rule_tally *t = tally_of(f, rule);
    if (!t)
        return NULL;
    if (t->kept >= JS_MAX_FINDINGS_PER_RULE)
        return omit(f, t, rule, sev, 1);
    js_finding *x = append_n(f, rule, sev, msg, strnlen(msg, 2047));
    if (x)
        t->kept++;
    return x;
}

js_finding *js_findings_add(js_findings *f, const char *rule, js_severity sev, const char *fmt, ...)
{
    rule_tally *t = tally_of(f, rule);
    if (!t)
        return NULL;
    if (t->kept >= JS_MAX_FINDINGS_PER_RULE)
        return omit(f, t, rule, sev, 1);
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    js_finding *x = append(f, rule, sev, msg);
    if (x)
        t->kept++;
    return x;
}

bool js_findings_merge(js_findings *f, const js_findings *src)
{
    for (size_t i = 0; i < src->n; i++) {
        const js_finding *g = &src->items[i];
        if (g->omitted) {
            /* a summary: its count joins this collection's summary */
            rule_tally *t = tally_of(f, g->rule);
            if (!t || !omit(f, t, g->rule, g->severity, g->omitted))
                return false;
            continue;
        }
        js_finding *x = add_message(f, g->rule, g->severity, g->message);
        if (!x)
            return false;
        if (x == &f->discard)
            continue;
        js_finding copy = *g;
        copy.rule = x->rule;
        copy.message = x->message;
        copy.addends = NULL;
        copy.naddends = copy.addcap = 0;
        copy.section = copy.quote = NULL;
        *x = copy;
        if (g->quote && !js_finding_quote(f, x, g->page, g->section, g->quote, g->mark, g->marklen))
            return false;
        for (size_t k = 0; k < g->naddends; k++)
            if (!js_finding_addend(f, x, &g->addends[k]))
                return false;
    }
    f->rules_run += src->rules_run;
    f->rules_passed += src->rules_passed;
    f->rules_na += src->rules_na;
    return true;
}

bool js_finding_addend(js_findings *f, js_finding *x, const js_addend *a)
{
    (void)f;
    if (!js_vec_reserve(&x->addends, &x->addcap, x->naddends + 1, sizeof *x->addends))
        return false;
    x->addends[x->naddends++] = *a;
    return true;
}

bool js_finding_quote(js_findings *f, js_finding *x, int page, const char *section, const char *quote, size_t mark,
                      size_t marklen)
{
    if (x == &f->discard)
        return true;
    x->page = page;
    x->section = js_arena_strdup(&f->arena, section ? section : "");
    x->quote = js_arena_strdup(&f->arena, quote);
    x->mark = mark;
    x->marklen = marklen;
    return x->section && x->quote;
}

static void wan(js_fen v, char *buf, size_t n) { js_money_format_wan(v, false, buf, n); }

/* "表05 行2060101 列本年支出/小计" or "expenditure.csv:14". */
static void location(const js_finding *x, char *buf, size_t n)
{
    if (x->file[0] && x->line)
        snprintf(buf, n, "%s:%ld", x->file, x->line);
    else if (x->file[0])
        snprintf(buf, n, "%s", x->file);
    else if (x->table[0])
        snprintf(buf, n, "表%s %s%s%s", x->table, x->row, x->column[0] ? " " : "", x->column);
    else
        buf[0] = '\0';
}

static int cmp_findings(const void *a, const void *b)
{
    const js_finding *x = *(const js_finding *const *)a, *y = *(const js_finding *const *)b;
    if (x->severity != y->severity)
        return (int)x->severity - (int)y->severity;
    int t = strcmp(x->table, y->table);
    if (t)
        return t;
    t = strcmp(x->file, y->file);
    if (t)
        return t;
    return x < y ? -1 : x > y;
}

const js_finding **js_findings_ordered(const js_findings *f)
{
    const js_finding **order = malloc(sizeof *order * (f->n + 1));
    if (!order)
        return NULL;
    for (size_t i = 0; i < f->n; i++)
        order[i] = &f->items[i];
    qsort(order, f->n, sizeof *order, cmp_findings);
    return order;
}

js_status js_findings_text(const js_findings *f, bool colour, js_buf *out)
{
    static const char *const k_colour[JS_SEV_COUNT] = {"\033[1;31m", "\033[1;33m", "\033[36m"};
    const js_finding **order = js_findings_ordered(f);
    if (!order)
        return JS_E_NOMEM;
    int last_sev = -1;
    char last_group[512] = "";
    for (size_t i = 0; i < f->n; i++) {
        const js_finding *x = order[i];
        char group[512];
        snprintf(group, sizeof group, "%s", x->table[0] ? x->table : x->file);
        if ((int)x->severity != last_sev) {
            js_buf_printf(out, "%s%s%s（%zu）%s\n", i ? "\n" : "", colour ? k_colour[x->severity] : "",
                          js_severity_labels[x->severity], js_findings_by_severity(f, x->severity),
                          colour ? "\033[0m" : "");
            last_sev = (int)x->severity;
            last_group[0] = '\0';
        }
        if (strcmp(group, last_group)) {
            js_buf_printf(out, "  %s%s\n", x->table[0] ? "表" : "", group);
            snprintf(last_group, sizeof last_group, "%s", group);
        }
        char loc[768];
        location(x, loc, sizeof loc);
        js_buf_printf(out, "    [%s] %s%s%s\n", x->rule, loc, loc[0] ? "：" : "", x->message);
        if (x->has_values) {
            char e[32], a[32], d[32];
            if (x->yuan) {
                js_money_format_yuan(x->expected, e, sizeof e);
                js_money_format_yuan(x->actual, a, sizeof a);
                js_money_format_yuan(x->difference, d, sizeof d);
                js_buf_printf(out, "      左边 %s 元，右边 %s 元，相差 %s 元\n", a, e, d);
            } else {
                wan(x->expected, e, sizeof e);
                wan(x->actual, a, sizeof a);
                wan(x->difference, d, sizeof d);
                js_buf_printf(out, "      左边 %s，右边 %s，相差 %s\n", a, e, d);
            }
        }
        size_t blanks = 0;
        for (size_t k = 0; k < x->naddends; k++) {
            const js_addend *ad = &x->addends[k];
            if (!ad->value[0]) { /* blank cells add nothing: count them only */
                blanks++;
                continue;
            }
            char yuan[32] = "";
            if (x->yuan)
                js_money_format_yuan(ad->fen, yuan, sizeof yuan);
            js_buf_printf(out, "      %s 表%s %s%s%s %s = %s%s\n", ad->side == 'L' ? "左" : "右", ad->table,
                          ad->row, strcmp(ad->row, ad->row_name) ? " " : "",
                          strcmp(ad->row, ad->row_name) ? ad->row_name : "", ad->column, x->yuan ? yuan : ad->value,
                          x->yuan ? " 元" : "");
        }
        if (blanks)
            js_buf_printf(out, "      （另有 %zu 个空单元格）\n", blanks);
    }
    free(order);
    size_t run, passed;
    js_findings_stats(f, &run, &passed);
    char na[64] = "";
    if (f->rules_na)
        snprintf(na, sizeof na, "，无可核对的行 %zu 条", f->rules_na);
    js_buf_printf(out, "%s审核：规则 %zu 条，通过 %zu 条%s；错误 %zu，核实 %zu，提示 %zu%s%s\n", f->n ? "\n" : "",
                  run, passed, na, js_findings_by_severity(f, JS_SEV_ERROR),
                  js_findings_by_severity(f, JS_SEV_VERIFY), js_findings_by_severity(f, JS_SEV_INFO),
                  f->version ? "；规则集版本 " : "", f->version ? f->version : "");
    return js_buf_ok(out) ? JS_OK : JS_E_LIMIT;
}

json_t *js_finding_json(const js_finding *x)
{
    json_t *o = json_pack("{s:s, s:s, s:s}", "rule", x->rule, "severity",
                          js_severity_names[x->severity], "message", x->message);
    json_t *loc = json_object();
    if (x->table[0]) {
        json_object_set_new(loc, "table", json_string(x->table));
        json_object_set_new(loc, "row", json_string(x->row));
        json_object_set_new(loc, "row_name", json_string(x->row_name));
        json_object_set_new(loc, "column", json_string(x->column));
    }
    if (x->file[0]) {
        json_object_set_new(loc, "file", json_string(x->file));
        json_object_set_new(loc, "line", x->line ? json_integer(x->line) : json_null());
    }
    if (x->quote) {
        json_object_set_new(loc, "page", json_integer(x->page));
        json_object_set_new(loc, "section", json_string(x->section));
        json_object_set_new(loc, "quote", json_string(x->quote));
    }
    json_object_set_new(o, "location", loc);
    if (x->omitted)
        json_object_set_new(o, "omitted", json_integer((json_int_t)x->omitted));
    if (x->has_values) {
        char e[32], a[32], d[32];
        wan(x->expected, e, sizeof e);
        wan(x->actual, a, sizeof a);
        wan(x->difference, d, sizeof d);
        json_object_set_new(o, "expected", json_string(e));
        json_object_set_new(o, "actual", json_string(a));
        json_object_set_new(o, "difference", json_string(d));
        json_object_set_new(o, "expected_fen", json_integer(x->expected));
        json_object_set_new(o, "actual_fen", json_integer(x->actual));
        json_object_set_new(o, "difference_fen", json_integer(x->difference));
    } else {
        json_object_set_new(o, "expected", json_null());
        json_object_set_new(o, "actual", json_null());
        json_object_set_new(o, "difference", json_null());
    }
    json_t *adds = json_array();
    for (size_t k = 0; k < x->naddends; k++) {
        const js_addend *a = &x->addends[k];
        json_array_append_new(adds, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:I}", "side",
                                              a->side == 'L' ? "left" : "right", "table", a->table, "row",
                                              a->row, "row_name", a->row_name, "column", a->column, "value",
                                              a->value[0] ? json_string(a->value) : json_null(), "fen",
                                              (json_int_t)a->fen));
    }
    json_object_set_new(o, "addends", adds);
    return o;
}

json_t *js_findings_json_object(const js_findings *f)
{
    json_t *items = json_array();
    for (size_t i = 0; i < f->n; i++)
        json_array_append_new(items, js_finding_json(&f->items[i]));
    size_t run, passed;
    js_findings_stats(f, &run, &passed);
    return json_pack("{s:s, s:i, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:s}, s:o}", "format", "juesuan-findings", "version",
                     1, "summary", "rules_run", (json_int_t)run, "rules_passed", (json_int_t)passed,
                     "rules_not_applicable", (json_int_t)f->rules_na, "error",
                     (json_int_t)js_findings_by_severity(f, JS_SEV_ERROR), "verify",
                     (json_int_t)js_findings_by_severity(f, JS_SEV_VERIFY), "info",
                     (json_int_t)js_findings_by_severity(f, JS_SEV_INFO), "ruleset_version", js_findings_version(f),
                     "findings", items);
}

js_status js_findings_json(const js_findings *f, js_buf *out) { return js_json_out(js_findings_json_object(f), out); }

js_status js_findings_csv(const js_findings *f, js_buf *out)
{
    js_buf_puts(out, "rule,severity,table,row,column,file,line,expected,actual,difference,message,addends\n");
    for (size_t i = 0; i < f->n; i++) {
        const js_finding *x = &f->items[i];
        char e[32] = "", a[32] = "", d[32] = "", line[24] = "";
        if (x->has_values) {
            wan(x->expected, e, sizeof e);
            wan(x->actual, a, sizeof a);
            wan(x->difference, d, sizeof d);
        }
        if (x->line)
            snprintf(line, sizeof line, "%ld", x->line);
        js_buf adds;
        js_buf_init(&adds, 1 << 20);
        for (size_t k = 0; k < x->naddends; k++)
            js_buf_printf(&adds, "%s%c:表%s %s %s=%s", k ? "; " : "", x->addends[k].side,
                          x->addends[k].table, x->addends[k].row, x->addends[k].column,
                          x->addends[k].value);
        const char *fields[] = {x->rule, js_severity_names[x->severity], x->table, x->row, x->column,
                                x->file, line, e, a, d, x->message, adds.data ? adds.data : ""};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
            if (k)
                js_buf_putc(out, ',');
            js_buf_csv_field(out, fields[k]);
        }
        js_buf_putc(out, '\n');
        js_buf_release(&adds);
    }
    return js_buf_ok(out) ? JS_OK : JS_E_LIMIT;
}
