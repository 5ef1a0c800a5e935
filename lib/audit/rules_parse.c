/* The rule language: parsing .rules files into rules_ast.h's form
 * (docs/rules.md describes the language). */

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "juesuan/limits.h"
#include "rules_ast.h"
#include "vec.h"

js_ruleset *js_rules_new(void)
{
    js_ruleset *rs = calloc(1, sizeof *rs);
    if (rs)
        js_arena_init(&rs->arena);
    return rs;
}

void js_rules_free(js_ruleset *rs)
{
    if (!rs)
        return;
    free(rs->rules);
    js_arena_release(&rs->arena);
    free(rs);
}

size_t js_rules_count(const js_ruleset *rs) { return rs->n; }
const char *js_rules_version(const js_ruleset *rs) { return rs->version ? rs->version : ""; }
const char *js_rules_id(const js_ruleset *rs, size_t i) { return rs->rules[i].id; }

/* ---- the expression parser ------------------------------------------ */

typedef struct {
    js_ruleset *rs;
    const char *p;      /* cursor in the check text */
    const char *file;
    long line;
    js_diag *d;
    int depth;
    bool failed;
} parser;

static void perr(parser *ps, const char *fmt, const char *what)
{
    if (!ps->failed)
        js_diag_set(ps->d, JS_E_INPUT, ps->file, ps->line, 0, NULL, fmt, what);
    ps->failed = true;
}

static void skip_ws(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
        ps->p++;
}

static bool word(parser *ps, const char *w)
{
    skip_ws(ps);
    size_t n = strlen(w);
    if (strncmp(ps->p, w, n) != 0)
        return false;
    char next = ps->p[n];
    if (isalnum((unsigned char)w[n - 1]) && (isalnum((unsigned char)next) || next == '_'))
        return false;
    ps->p += n;
    return true;
}

static bool is_stop(const char *p)
{
    return !*p || strchr(" \t\r\n+-=<>:,]|", *p);
}

/* A column or row name: up to a space, an operator, ':' ',' ']' or an
 * unbalanced ')'. Parentheses inside a name (因公出国(境)费) are kept. */
static const char *name_token(parser *ps)
{
    skip_ws(ps);
    const char *s = ps->p;
    int depth = 0;
    while (*ps->p && !is_stop(ps->p)) {
        if (*ps->p == '(')
            depth++;
        else if (*ps->p == ')' && depth-- == 0) {
            depth = 0;
            break;
        }
        ps->p++;
    }
    if (ps->p == s) {
        perr(ps, "这里应有名称：%.20s", s);
        return NULL;
    }
    char *n = js_arena_strndup(&ps->rs->arena, s, (size_t)(ps->p - s));
    if (!n)
        perr(ps, "%s", "内存不足");
    return n;
}

static bool table_token(parser *ps, char *out)
{
    skip_ws(ps);
    if (ps->p[0] == 'T' && isdigit((unsigned char)ps->p[1]) && isdigit((unsigned char)ps->p[2]) &&
        !isalnum((unsigned char)ps->p[3])) {
        out[0] = ps->p[1];
        out[1] = ps->p[2];
        out[2] = '\0';
        ps->p += 3;
        return true;
    }
    return false;
}

static int level_word(const char *s)
{
    if (!strcmp(s, "类"))
        return 3;
    if (!strcmp(s, "款"))
        return 5;
    if (!strcmp(s, "项"))
        return 7;
    return 0;
}

/* Parses the inside of [...] into sel. */
static void parse_sel(parser *ps, const char *text, rowsel *sel, bool set_allowed)
{
    memset(sel, 0, sizeof *sel);
    size_t len = strlen(text);
    if (text[0] == '#') {
        const char *dots = strstr(text, "..");
        char *end;
        sel->a = (int)strtol(text + 1, &end, 10);
        if (dots && set_allowed && end == dots && dots[2] == '#') {
            sel->kind = SEL_RANGE;
            sel->b = (int)strtol(dots + 3, &end, 10);
        } else {
            sel->kind = SEL_ROWNO;
        }
        if (*end || sel->a <= 0 || (sel->kind == SEL_RANGE && sel->b < sel->a))
            perr(ps, "行次写法不对：[%s]", text);
    } else if (!strcmp(text, "$") || !strcmp(text, "$*")) {
        sel->kind = text[1] ? SEL_CURRENT_CHILDREN : SEL_CURRENT;
        if (sel->kind == SEL_CURRENT_CHILDREN && !set_allowed)
            perr(ps, "[%s] 只能用在 sum() 中", text);
    } else if (level_word(text)) {
        sel->kind = SEL_LEVEL;
        sel->a = level_word(text);
        if (!set_allowed)
            perr(ps, "[%s] 只能用在 sum() 中", text);
    } else if (len && strspn(text, "0123456789") == len - (text[len - 1] == '*')) {
        bool star = text[len - 1] == '*';
        size_t digits = len - star;
        if (!(digits == 3 || digits == 5 || digits == 7))
            perr(ps, "编码应为 3、5 或 7 位：[%s]", text);
        sel->kind = star ? SEL_CHILDREN : SEL_CODE;
        memcpy(sel->code, text, digits < 8 ? digits : 7);
        if (star && !set_allowed)
            perr(ps, "[%s] 只能用在 sum() 中", text);
    } else {
        sel->kind = SEL_LABEL;
        sel->label = js_arena_strdup(&ps->rs->arena, text);
    }
}

/* TABLE "[" sel "]" [ "." name ] */
static node *parse_ref(parser *ps, node_kind kind, const char *table)
{
    node *n = js_arena_alloc(&ps->rs->arena, sizeof *n);
    if (!n) {
        perr(ps, "%s", "内存不足");
        return NULL;
    }
    n->kind = kind;
    memcpy(n->table, table, 3);
    skip_ws(ps);
    if (*ps->p != '[') {
        perr(ps, "表 T%s 后面应有 [行]", table);
        return NULL;
    }
    const char *close = strchr(ps->p, ']');
    if (!close || close - ps->p > 200) {
        perr(ps, "%s", "缺少 ]");
        return NULL;
    }
    char text[256];
    snprintf(text, sizeof text, "%.*s", (int)(close - ps->p - 1), ps->p + 1);
    ps->p = close + 1;
    parse_sel(ps, text, &n->sel, kind == N_SUM);
    if (*ps->p == '.') {
        ps->p++;
        n->col = name_token(ps);
    }
    return n;
}

static node *parse_expr(parser *ps);

static node *parse_term(parser *ps)
{
    if (++ps->depth > JS_MAX_RULE_DEPTH) {
        perr(ps, "%s", "表达式嵌套过深");
        return NULL;
    }
    skip_ws(ps);
    node *n = NULL;
    char table[4];
    if (word(ps, "sum")) {
        skip_ws(ps);
        if (*ps->p != '(') {
            perr(ps, "%s", "sum 后面应有 (");
            return NULL;
        }
        ps->p++;
        if (!table_token(ps, table)) {
            perr(ps, "sum( 后面应是表，如 T03：%.20s", ps->p);
            return NULL;
        }
        n = parse_ref(ps, N_SUM, table);
        skip_ws(ps);
        if (*ps->p != ')')
            perr(ps, "sum(...) 缺少 )：%.20s", ps->p);
        else
            ps->p++;
    } else if (table_token(ps, table)) {
        n = parse_ref(ps, N_CELL, table);
    } else if (*ps->p == '(') {
        ps->p++;
        n = parse_expr(ps);
        skip_ws(ps);
        if (*ps->p != ')')
            perr(ps, "缺少 )：%.20s", ps->p);
        else
            ps->p++;
    } else if (isdigit((unsigned char)*ps->p)) {
        const char *s = ps->p;
        while (isdigit((unsigned char)*ps->p) || *ps->p == '.')
            ps->p++;
        n = js_arena_alloc(&ps->rs->arena, sizeof *n);
        const char *why;
        if (!n || !js_money_parse(s, (size_t)(ps->p - s), JS_UNIT_WAN, 0, &n->num, &why)) {
            perr(ps, "数字写法不对：%.20s", s);
            return NULL;
        }
        n->kind = N_NUM;
    } else {
        n = js_arena_alloc(&ps->rs->arena, sizeof *n);
        if (!n) {
            perr(ps, "%s", "内存不足");
            return NULL;
        }
        n->kind = N_BARE;
        n->col = name_token(ps);
    }
    ps->depth--;
    return ps->failed ? NULL : n;
}

static node *parse_expr(parser *ps)
{
    node *l = parse_term(ps);
    for (;;) {
        skip_ws(ps);
        char c = *ps->p;
        if (!l || (c != '+' && c != '-'))
            return l;
        ps->p++;
        node *r = parse_term(ps);
        node *n = js_arena_alloc(&ps->rs->arena, sizeof *n);
        if (!r || !n) {
            perr(ps, "%s", "表达式不完整");
            return NULL;
        }
        n->kind = c == '+' ? N_ADD : N_SUB;
        n->l = l;
        n->r = r;
        l = n;
    }
}

static bool parse_cmp(parser *ps, rule *r)
{
    r->lhs = parse_expr(ps);
    skip_ws(ps);
    static const struct { const char *t; cmp_op op; } ops[] = {
        {"<=", OP_LE}, {">=", OP_GE}, {"=", OP_EQ}, {"<", OP_LT}, {">", OP_GT},
    };
    bool found = false;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0] && !found; i++) {
        if (!strncmp(ps->p, ops[i].t, strlen(ops[i].t))) {
            r->op = ops[i].op;
            ps->p += strlen(ops[i].t);
            found = true;
        }
    }
    if (!found && !ps->failed)
        perr(ps, "缺少比较符（= <= >= < >）：%.20s", ps->p);
    r->rhs = parse_expr(ps);
    skip_ws(ps);
    if (*ps->p && !ps->failed)
        perr(ps, "多余的内容：%.30s", ps->p);
    return !ps->failed && r->lhs && r->rhs;
}

/* each [类|款|项|code|parent] row of TABLE [and column] [named A|B] : cmp
 * each column of TABLE : cmp
 * require TABLE 类|款|项 for TABLE[.COLUMN]
 * cmp */
/* require TABLE 类|款|项 for TABLE[.COLUMN] */
static bool parse_require(parser *ps, rule *r)
{
    r->form = FORM_REQUIRE;
    if (!table_token(ps, r->table)) {
        perr(ps, "require 后面应为 T表号：%.20s", ps->p);
        return false;
    }
    skip_ws(ps);
    for (const char *lw = "类"; lw; lw = !strcmp(lw, "类") ? "款" : !strcmp(lw, "款") ? "项" : NULL)
        if (!strncmp(ps->p, lw, strlen(lw))) {
            r->level = level_word(lw);
            ps->p += strlen(lw);
            break;
        }
    if (!r->level) {
        perr(ps, "require 的表号后面应为 类、款 或 项：%.20s", ps->p);
        return false;
    }
    if (!word(ps, "for") || !table_token(ps, r->src)) {
        perr(ps, "应为 for T表号：%.20s", ps->p);
        return false;
    }
    if (*ps->p == '.') {
        ps->p++;
        r->src_col = name_token(ps);
        if (!r->src_col)
            return false;
    }
    skip_ws(ps);
    if (*ps->p)
        perr(ps, "多余的内容：%.30s", ps->p);
    return !ps->failed;
}

static bool parse_check(parser *ps, rule *r)
{
    if (word(ps, "require"))
        return parse_require(ps, r);
    if (!word(ps, "each")) {
        r->form = FORM_PLAIN;
        return parse_cmp(ps, r);
    }
    skip_ws(ps);
    if (word(ps, "column")) {
        r->form = FORM_EACH_COLUMN;
    } else {
        r->form = FORM_EACH_ROW;
        if (word(ps, "code"))
            r->level = LEVEL_CODE;
        else if (word(ps, "parent"))
            r->level = LEVEL_PARENT;
        else
            for (const char *lw = "类"; lw; lw = !strcmp(lw, "类") ? "款" : !strcmp(lw, "款") ? "项" : NULL)
                if (!strncmp(ps->p, lw, strlen(lw))) {
                    r->level = level_word(lw);
                    ps->p += strlen(lw);
                    break;
                }
        if (!word(ps, "row")) {
            perr(ps, "each 后面应是 row 或 column：%.20s", ps->p);
            return false;
        }
    }
    if (!word(ps, "of") || !table_token(ps, r->table)) {
        perr(ps, "应为 of T表号：%.20s", ps->p);
        return false;
    }
    if (r->form == FORM_EACH_ROW && word(ps, "and")) {
        if (!word(ps, "column")) {
            perr(ps, "and 后面应是 column：%.20s", ps->p);
            return false;
        }
        r->and_column = true;
    }
    if (word(ps, "named")) {
        do {
            if (r->nnames == JS_MAX_RULE_NAMES) {
                perr(ps, "%s", "named 名称过多");
                return false;
            }
            const char *n = name_token(ps);
            if (!n)
                return false;
            r->names[r->nnames++] = n;
            skip_ws(ps);
        } while (*ps->p == '|' && ps->p++);
    }
    skip_ws(ps);
    if (*ps->p != ':') {
        perr(ps, "缺少冒号：%.20s", ps->p);
        return false;
    }
    ps->p++;
    return parse_cmp(ps, r);
}

/* ---- rule files ----------------------------------------------------- */

static js_status add_rule(js_ruleset *rs, const char *file, long line, const char *id,
                          js_severity sev, bool printed, const char *message, const char *check,
                          js_diag *d)
{
    if (!id)
        return JS_OK;
    if (!message || !check)
        return js_diag_set(d, JS_E_INPUT, file, line, 0, NULL, "规则 %s 缺少 %s", id,
                           !message ? "message" : "check");
    /* counted before the ids are compared (each with every one before it) */
    if (rs->n == JS_MAX_RULES)
        return js_diag_set(d, JS_E_LIMIT, file, line, 0, NULL, "规则超过 %d 条", JS_MAX_RULES);
    for (size_t i = 0; i < rs->n; i++)
        if (!strcmp(rs->rules[i].id, id))
            return js_diag_set(d, JS_E_INPUT, file, line, 0, NULL, "规则编号 %s 重复", id);
    if (!js_vec_reserve(&rs->rules, &rs->cap, rs->n + 1, sizeof *rs->rules))
        return js_diag_set(d, JS_E_NOMEM, file, line, 0, NULL, "内存不足");
    rule *r = &rs->rules[rs->n];
    memset(r, 0, sizeof *r);
    r->id = js_arena_strdup(&rs->arena, id);
    r->sev = sev;
    r->printed_only = printed;
    r->message = js_arena_strdup(&rs->arena, message);
    r->check = js_arena_strdup(&rs->arena, check);
    parser ps = {rs, r->check, file, line, d, 0, false};
    if (!r->id || !r->message || !r->check || !parse_check(&ps, r)) {
        if (!ps.failed)
            js_diag_set(d, JS_E_INPUT, file, line, 0, NULL, "规则 %s 无法解析", id);
        return d ? d->status : JS_E_INPUT;
    }
    rs->n++;
    return JS_OK;
}

js_status js_rules_parse(js_ruleset *rs, const char *name, const char *text, size_t len, js_diag *d)
{
    if (memchr(text, '\0', len))
        return js_diag_set(d, JS_E_INPUT, name, 0, 0, NULL, "规则文件含有空字符");
    char id[64] = "", message[JS_MAX_RULE_TEXT] = "", check[JS_MAX_RULE_TEXT] = "";
    bool have = false, have_msg = false, have_check = false;
    js_severity sev = JS_SEV_ERROR;
    bool printed = false;
    char *field = NULL; /* the field a continuation line extends */
    long line = 0, rule_line = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char buf[JS_MAX_RULE_TEXT];
        line++;
        if (n >= sizeof buf)
            return js_diag_set(d, JS_E_LIMIT, name, line, 0, NULL, "这一行太长");
        memcpy(buf, p, n);
        buf[n] = '\0';
        p += n + (nl ? 1 : 0);
        if (n && buf[n - 1] == '\r')
            buf[--n] = '\0';
        char *s = buf;
        bool indented = *s == ' ' || *s == '\t';
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#')
            continue;
        if (!indented) {
            js_status st = have ? add_rule(rs, name, rule_line, id, sev, printed, have_msg ? message : NULL,
                                           have_check ? check : NULL, d)
                                : JS_OK;
            if (st != JS_OK)
                return st;
            have = have_msg = have_check = false;
            field = NULL;
            char kw[32], a[64], b[32], mode[32];
            int k = sscanf(s, "%31s %63s %31s %31s", kw, a, b, mode);
            if (!strcmp(kw, "version") && k >= 2) {
                if (!rs->version_locked)
                    rs->version = js_arena_strdup(&rs->arena, a);
            } else if (!strcmp(kw, "inherit") && k == 1) {
                rs->inherit = true;
            } else if (!strcmp(kw, "rule") && (k == 3 || (k == 4 && !strcmp(mode, "printed")))) {
                printed = k == 4;
                int sv = -1;
                for (int i = 0; i < JS_SEV_COUNT; i++)
                    if (!strcmp(b, js_severity_names[i]))
                        sv = i;
                if (sv < 0)
                    return js_diag_set(d, JS_E_INPUT, name, line, 0, NULL,
                                       "严重程度应为 error、verify 或 info：%s", b);
                snprintf(id, sizeof id, "%s", a);
                sev = (js_severity)sv;
                have = true;
                rule_line = line;
            } else {
                return js_diag_set(d, JS_E_INPUT, name, line, 0, NULL,
                                   "应为“rule 编号 严重程度 [printed]”、“version 版本”或“inherit”：%s", s);
            }
            continue;
        }
        if (!have)
            return js_diag_set(d, JS_E_INPUT, name, line, 0, NULL, "缩进的行不属于任何规则");
        if (!strncmp(s, "message ", 8) || !strncmp(s, "check ", 6)) {
            bool msg = s[0] == 'm';
            field = msg ? message : check;
            if (msg ? have_msg : have_check)
                return js_diag_set(d, JS_E_INPUT, name, line, 0, NULL, "规则 %s 的 %s 重复", id,
                                   msg ? "message" : "check");
            *(msg ? &have_msg : &have_check) = true;
            snprintf(field, JS_MAX_RULE_TEXT, "%s", s + (msg ? 8 : 6));
        } else if (field) {
            size_t used = strlen(field);
            if (used + strlen(s) + 2 >= JS_MAX_RULE_TEXT)
                return js_diag_set(d, JS_E_LIMIT, name, line, 0, NULL, "规则太长");
            snprintf(field + used, JS_MAX_RULE_TEXT - used, " %s", s);
        } else {
            return js_diag_set(d, JS_E_INPUT, name, line, 0, NULL, "应为 message 或 check：%s", s);
        }
    }
    return have ? add_rule(rs, name, rule_line, id, sev, printed, have_msg ? message : NULL,
                           have_check ? check : NULL, d)
                : JS_OK;
}

node *js_rules_parse_expression(js_ruleset *rs, const char *text, const char *file, long line,
                                js_diag *d)
{
    char *copy = js_arena_strdup(&rs->arena, text);
    if (!copy) {
        js_diag_set(d, JS_E_NOMEM, file, line, 0, NULL, "内存不足");
        return NULL;
    }
    parser ps = {rs, copy, file, line, d, 0, false};
    node *n = parse_expr(&ps);
    skip_ws(&ps);
    if (!ps.failed && *ps.p)
        perr(&ps, "多余的内容：%.30s", ps.p);
    return ps.failed ? NULL : n;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Loads the .rules files of one directory, in name order. Missing: JS_E_IO. */
static js_status load_dir(js_ruleset *rs, const char *dir, js_diag *d)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return JS_E_IO;
    char *names[JS_MAX_RULE_FILES] = {0};
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dh)) && n < JS_MAX_RULE_FILES) {
        size_t len = strlen(e->d_name);
        if (len > 6 && !strcmp(e->d_name + len - 6, ".rules"))
            names[n++] = strdup(e->d_name);
    }
    closedir(dh);
    qsort(names, (size_t)n, sizeof *names, cmp_names);
    js_status st = JS_OK;
    for (int i = 0; i < n; i++) {
        char path[8192];
        if (snprintf(path, sizeof path, "%s/%s", dir, names[i] ? names[i] : "") >= (int)sizeof path)
            st = js_diag_set(d, JS_E_IO, dir, 0, 0, NULL, "路径过长");
        char *text;
        size_t len;
        if (st == JS_OK && names[i] && (st = js_read_file(path, JS_MAX_RULES_FILE_BYTES, &text, &len, d)) == JS_OK) {
            st = js_rules_parse(rs, path, text, len, d);
            free(text);
        }
        free(names[i]);
    }
    return st;
}

js_ruleset *js_rules_load(const char *datadir, const js_profile *p, js_diag *d)
{
    js_ruleset *rs = js_rules_new();
    if (!rs) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    /* The profile's own rules, else its ancestors' (first that exists). A
     * folder whose rules say `inherit` adds to its parent's, named in the
     * parent's columns through the profile's column aliases. */
    js_status st = JS_E_IO;
    for (size_t i = 0; st == JS_E_IO && i < js_profile_lineage_count(p); i++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/rules/%s", datadir, js_profile_lineage(p, i));
        st = load_dir(rs, dir, d);
        if (st == JS_OK && rs->inherit && i + 1 < js_profile_lineage_count(p)) {
            rs->inherit = false;
            rs->version_locked = rs->version != NULL;
            st = JS_E_IO; /* go on with the parent's */
        }
    }
    if (st == JS_OK && !js_rules_apply_aliases(rs, p))
        st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    if (st == JS_E_IO) {
        js_diag_set(d, JS_E_INPUT, NULL, 0, 0, NULL, "配置 %s 没有审核规则（%s/rules/%s/）",
                    js_profile_name(p), datadir, js_profile_name(p));
        st = JS_E_INPUT;
    }
    if (st != JS_OK) {
        js_rules_free(rs);
        return NULL;
    }
    return rs;
}
