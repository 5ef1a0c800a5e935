/* gen: a deterministic synthetic region for benchmarks and batch tests.
 *
 *   gen -o DIR [-n DEPARTMENTS] [-l LINES] [-s SEED] [-d DATADIR] [--no-departments] [--no-region]
 *       [--order grouped|interleaved|by-code|shuffled] [--units UNITS] [--projects PROJECTS] [--year YEAR]
 *
 * writes DIR/departments/<NNNNN>/ (one CSV workbook per department) and
 * DIR/region/ (one workbook holding every unit and every line of the
 * region: the combined line file, DIR/region/expenditure.csv). LINES is the
 * number of expenditure lines of the whole region (default 1000 per
 * department), spread over the departments with a skewed distribution.
 *
 * Everything is drawn from the 2024 dictionaries (--year sets another 年度
 * and names the 2024 edition in 分类科目版本) and the default profile's
 * checks (fund 款, basic-spending economic 类, operating 项 names), so the
 * workbook checks and rules find no error in a department: revenue equals
 * spending plus the closing carry-over minus the opening one for every
 * unit, 项 and fund. Each workbook also holds what the document needs
 * besides the lines, so that no absent input is an error (N-002): the
 * department sheet's 公开日期, 咨询电话, 主要职责 and 机构设置; last year's
 * figures (prior_year.csv: each fund's basic and project spending 85% to
 * 115% of this year's, revenue balancing it); 三公 with last year's
 * amounts and counts; 政府采购; vehicles and equipment (assets.csv);
 * 机关运行经费 and its budget (figures.csv). The region's are the sums of
 * its departments'. Left out: text.csv, keywork.csv and perf_*.csv, whose
 * absence is a 提示 or 核实, and surplus.csv, with nothing to hold.
 *
 * --order sets the order of the region's line sheets (expenditure, revenue,
 * carry-over, budget), as other systems export them: grouped (department
 * by department, the default), interleaved (round robin: consecutive lines
 * belong to different departments), by-code (sorted by 功能分类 code, then
 * 经济分类 code) or shuffled (a random permutation drawn from the seed).
 * The lines are the same whatever the order. --units gives the region's
 * number of units (spread over the departments, skewed; default 1 to 8
 * per department); --projects the number of project names per department,
 * each name the department's own (default: 30 names, 项目01…项目30, shared
 * by every department).
 *
 * 三公: each item's 决算数 is at least the 财政拨款 lines on its economic
 * codes (the profile's checks.sangong_econ), so that W-011 and X-037…X-040
 * find nothing. Same arguments, same bytes. */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "juesuan/dict.h"

static uint64_t g_rng;

static uint64_t next(void)
{
    /* xorshift64* */
    g_rng ^= g_rng >> 12;
    g_rng ^= g_rng << 25;
    g_rng ^= g_rng >> 27;
    return g_rng * 2685821657736338717ULL;
}

static uint32_t below(uint32_t n) { return n ? (uint32_t)((next() >> 32) % n) : 0; }

/* A skewed pick in [0, n): small indexes are much more frequent. */
static uint32_t skewed(uint32_t n)
{
    uint32_t a = below(n), b = below(n);
    return a < b ? a : b;
}

/* An amount in 分, roughly log-uniform between 100 元 and 256 000 元. */
static int64_t amount(void)
{
    int64_t v = 10000 + (int64_t)below(90000);
    for (uint32_t k = below(5); k; k--)
        v *= 4;
    return v;
}

static void die(const char *what, const char *arg)
{
    fprintf(stderr, "gen: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

static FILE *create(const char *dir, const char *name, const char *heading)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        die(strerror(errno), path);
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    fprintf(f, "%s\n", heading);
    return f;
}

static void finish(FILE *f)
{
    if (ferror(f) || fclose(f) != 0)
        die("write failed", NULL);
}

static void mkdir_p(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        die(strerror(errno), path);
}

static void yuan(FILE *f, int64_t fen) { fprintf(f, "%" PRId64 ".%02d", fen / 100, (int)(fen % 100)); }

/* ---- what the dictionaries and the profile allow ----------------------- */

typedef struct {
    uint32_t code;
    bool operating; /* 行政运行 / 机构运行 / 事业运行 */
    bool fund;      /* under a government-fund 款 */
} item;

static item *g_items;          /* every 7-digit 项 */
static size_t g_nitems;
static uint32_t *g_lei;        /* 类 that have an operating 项 (department focus) */
static size_t g_nlei;
static uint32_t g_basic[64], g_other[64]; /* economic 款 for basic / project spending */
static size_t g_nbasic, g_nother;
static const uint32_t k_common[] = {2080505, 2101101, 2210201}; /* pensions, medical, housing */
static uint32_t g_sg_code[6][4];  /* economic codes of each 三公 item (checks.sangong_econ), 0-ended */
static long g_projects;           /* project names per department; 0: the shared 项目01…项目30 */
static long g_year = 2024;        /* the workbooks' 年度 (--year); the dictionary stays 2024's */
static uint32_t *g_nunits;        /* units per department (--units); NULL: drawn per department */

static bool in_list(json_t *arr, const char *s, size_t n)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (json_is_string(v) && !strncmp(json_string_value(v), s, n) &&
                                      strlen(json_string_value(v)) == n) return true;
    return false;
}

static const char *const k_sangong[] = {"因公出国(境)费", "公务用车购置费", "公务用车运行维护费",
                                        "公务接待费", "会议费", "培训费"};

/* The 三公 items' economic codes from the profile's "项目=款" strings. */
static void load_sangong(json_t *arr)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        const char *t = json_string_value(v), *eq = t ? strchr(t, '=') : NULL;
        for (size_t k = 0; eq && k < sizeof k_sangong / sizeof k_sangong[0]; k++) {
            size_t n = 0;
            while (n < 3 && g_sg_code[k][n])
                n++;
            if (strlen(k_sangong[k]) == (size_t)(eq - t) && !strncmp(t, k_sangong[k], (size_t)(eq - t)) && n < 3)
                g_sg_code[k][n] = (uint32_t)strtoul(eq + 1, NULL, 10);
        }
    }
}

static void load_rules(const char *datadir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/profiles/default/profile.json", datadir);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    json_t *checks = root ? json_object_get(root, "checks") : NULL;
    if (!checks)
        die("cannot read the profile's checks", path);
    json_t *fund_kuan = json_object_get(checks, "fund_kuan");
    json_t *basic = json_object_get(checks, "basic_econ");
    json_t *operating = json_object_get(checks, "operating_names");
    load_sangong(json_object_get(checks, "sangong_econ"));
    js_diag d;
    js_diag_clear(&d);
    js_dict *dict = js_dict_load(datadir, 2024, &d);
    if (!dict)
        die("cannot load the 2024 dictionary", datadir);
    size_t n;
    const js_code *c = js_dict_codes(dict, JS_DICT_FUNC, &n);
    g_items = calloc(n, sizeof *g_items);
    g_lei = calloc(n, sizeof *g_lei);
    for (size_t i = 0; i < n; i++) {
        if (c[i].digits != 7)
            continue;
        char s[8];
        js_code_str(c[i].code, 7, s);
        item it = {c[i].code, in_list(operating, c[i].name, strlen(c[i].name)), in_list(fund_kuan, s, 5)};
        g_items[g_nitems++] = it;
        uint32_t lei = c[i].code / 10000;
        if (it.operating && !it.fund && (!g_nlei || g_lei[g_nlei - 1] != lei))
            g_lei[g_nlei++] = lei;
    }
    const js_code *e = js_dict_codes(dict, JS_DICT_ECON, &n);
    for (size_t i = 0; i < n; i++) {
        if (e[i].digits != 5 || e[i].code % 100 == 99)
            continue;
        char s[8];
        js_code_str(e[i].code, 5, s);
        if (in_list(basic, s, 3) && !strncmp(s, "31", 2))
            continue; /* capital spending: projects only */
        if (in_list(basic, s, 3) && g_nbasic < 64)
            g_basic[g_nbasic++] = e[i].code;
        else if (!in_list(basic, s, 3) && g_nother < 64)
            g_other[g_nother++] = e[i].code;
    }
    if (!g_nitems || !g_nlei || !g_nbasic || !g_nother)
        die("the dictionary or profile lacks what the generator needs", datadir);
    js_dict_free(dict);
    json_decref(root);
}

/* ---- one department --------------------------------------------------- */

static const char *const k_funds[] = {"一般公共预算财政拨款", "政府性基金预算财政拨款", "事业收入", "其他收入"};
static const char *const k_kinds[] = {"行政", "参公", "事业"};
enum { SG_ABROAD, SG_CAR_BUY, SG_CAR_RUN, SG_RECEPTION, SG_N = 6 };
/* lib/read/workbook_schema.c: k_prior_keys, k_proc_kinds, k_asset_keys, k_figure_keys. */
static const char *const k_prior[] = {
    "收支总计", "收入合计", "支出合计", "基本支出", "项目支出", "财政拨款收支总计",
    "一般公共预算财政拨款支出", "政府性基金预算财政拨款支出", "国有资本经营预算财政拨款支出",
    "一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入",
    "三公经费", "机关运行经费",
};
enum { PY_TOTAL, PY_REV, PY_EXP, PY_BASIC, PY_PROJECT, PY_FISCAL_TOTAL, PY_EXP_GENERAL, PY_EXP_FUND, PY_EXP_SOE,
       PY_REV_GENERAL, PY_REV_FUND, PY_REV_SOE, PY_SANGONG, PY_RUNNING, PY_N };
static const char *const k_proc[] = {"货物", "工程", "服务"};
static const char *const k_assets[] = {
    "车辆合计", "副部(省)级及以上领导用车", "主要负责人用车", "机要通信用车", "应急保障用车",
    "执法执勤用车", "特种专业技术用车", "离退休干部服务用车", "其他用车",
    "单价100万元(含)以上设备",
};
enum { AS_VEHICLES, AS_LAW = 5, AS_EQUIPMENT = 9, AS_N }; /* 车辆合计, 执法执勤用车, 设备 */

/* Sums per (unit, 项, fund): what revenue and carry-over must balance. */
typedef struct {
    uint32_t unit, func;
    int fund;
    int64_t spent;
} cell;

typedef struct {
    FILE *exp, *rev, *carry, *budget, *units, *sangong, *dept, *prior, *figures, *proc, *assets;
} sheets;

/* What a workbook holds besides its lines: a department's, or the region's
 * sums of them. Amounts in 分. */
typedef struct {
    int64_t sangong[SG_N][3]; /* budget, actual, last year's */
    int64_t sangong_n[SG_N];  /* 数量: groups, cars bought, cars held, receptions, meetings, trainings */
    int64_t prior[PY_N];
    int64_t proc[3][3]; /* 货物/工程/服务: 采购金额, 中小企业, 小微企业 */
    int64_t assets[AS_N];
    int64_t running, running_budget; /* 机关运行经费 and its budget */
    int64_t units;
} extras;

typedef struct {
    cell *cells;
    size_t n, cap;
} cells;

static void add_cell(cells *cs, uint32_t unit, uint32_t func, int fund, int64_t v)
{
    for (size_t i = cs->n; i-- > 0 && i + 16 >= cs->n;)
        if (cs->cells[i].unit == unit && cs->cells[i].func == func && cs->cells[i].fund == fund) {
            cs->cells[i].spent += v;
            return;
        }
    for (size_t i = 0; i < cs->n; i++)
        if (cs->cells[i].unit == unit && cs->cells[i].func == func && cs->cells[i].fund == fund) {
            cs->cells[i].spent += v;
            return;
        }
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? 2 * cs->cap : 256;
        cs->cells = realloc(cs->cells, cs->cap * sizeof *cs->cells);
        if (!cs->cells)
            die("out of memory", NULL);
    }
    cs->cells[cs->n++] = (cell){unit, func, fund, v};
}

static extras g_region; /* the departments' sums */

/* v within ±pct percent, drawn; whole 元. */
static int64_t near(int64_t v, uint32_t pct)
{
    return v * (int64_t)(100 - pct + below(2 * pct + 1)) / 10000 * 100;
}

static void write_extras(const sheets *out, const extras *x, const char *setup)
{
    fprintf(out->dept, "机构设置,%s\n", setup);
    for (int k = 0; k < SG_N; k++) {
        fprintf(out->sangong, "%s", k_sangong[k]);
        for (int c = 0; c < 3; c++) {
            fputc(',', out->sangong);
            yuan(out->sangong, x->sangong[k][c]);
        }
        fprintf(out->sangong, ",%" PRId64 "\n", x->sangong_n[k]);
    }
    for (int k = 0; k < PY_N; k++) {
        fprintf(out->prior, "%s,", k_prior[k]);
        yuan(out->prior, x->prior[k]);
        fputc('\n', out->prior);
    }
    fputs("机关运行经费,", out->figures);
    yuan(out->figures, x->running);
    fputs("\n机关运行经费预算数,", out->figures);
    yuan(out->figures, x->running_budget);
    fputc('\n', out->figures);
    for (int k = 0; k < 3; k++) {
        fprintf(out->proc, "%s", k_proc[k]);
        for (int c = 0; c < 3; c++) {
            fputc(',', out->proc);
            yuan(out->proc, x->proc[k][c]);
        }
        fputc('\n', out->proc);
    }
    for (int k = 0; k < AS_N; k++)
        fprintf(out->assets, "%s,%" PRId64 "\n", k_assets[k], x->assets[k]);
}

static void add_extras(extras *sum, const extras *x)
{
    _Static_assert(sizeof(extras) % sizeof(int64_t) == 0, "extras holds int64_t fields only");
    int64_t *a = (int64_t *)sum;
    const int64_t *b = (const int64_t *)x;
    for (size_t i = 0; i < sizeof *x / sizeof *b; i++)
        a[i] += b[i];
}

/* Writes department dept's lines to out (its own workbook, or the region's). */
static void department(int dept, long lines, const sheets *out, bool own)
{
    char name[64];
    snprintf(name, sizeof name, "生成部门%05d", dept + 1);
    uint32_t nunits = 1 + skewed(8);
    if (g_nunits)
        nunits = g_nunits[dept]; /* the draw above kept, so that the others stay what they were */
    int *kind = calloc(nunits, sizeof *kind);
    if (!kind)
        die("out of memory", NULL);
    for (uint32_t u = 0; u < nunits; u++) {
        if (u == 0)
            fprintf(out->units, "%s(本级),行政\n", name);
        else {
            kind[u] = 1 + (int)below(2);
            fprintf(out->units, "%s第%u中心,%s\n", name, u + 1, k_kinds[kind[u]]);
        }
    }
    /* The department's 项: those of its focus 类, then the common ones. */
    uint32_t lei = g_lei[below((uint32_t)g_nlei)];
    item pool[48];
    size_t npool = 0;
    for (size_t i = 0; i < g_nitems && npool < 40; i++)
        if (g_items[i].code / 10000 == lei && !g_items[i].fund && (g_items[i].operating || below(3) == 0))
            pool[npool++] = g_items[i];
    for (size_t i = 0; i < sizeof k_common / sizeof k_common[0]; i++)
        pool[npool++] = (item){k_common[i], false, false};
    for (size_t tries = 0; tries < 20 && below(4) == 0; tries++) {
        item it = g_items[below((uint32_t)g_nitems)];
        if (it.fund) {
            pool[npool++] = it;
            break;
        }
    }
    cells cs = {NULL, 0, 0};
    char unit_name[96];
    extras x = {.units = nunits};
    int64_t spent[4][2] = {{0}}; /* by fund: basic, project */
    int64_t sg_lines[SG_N] = {0};  /* 财政拨款 lines on each 三公 item's economic codes */
    for (long l = 0; l < lines; l++) {
        uint32_t u = skewed(nunits);
        item it = pool[skewed((uint32_t)npool)];
        bool basic = it.operating || (!it.fund && below(10) < 4);
        int fund = it.fund ? 1 : below(100) < 90 ? 0 : (u > 0 && below(2)) ? 2 : 3;
        uint32_t econ = basic ? g_basic[skewed((uint32_t)g_nbasic)]
                              : below(2) ? g_basic[below((uint32_t)g_nbasic)] : g_other[below((uint32_t)g_nother)];
        int64_t v = amount();
        if (u == 0)
            snprintf(unit_name, sizeof unit_name, "%s(本级)", name);
        else
            snprintf(unit_name, sizeof unit_name, "%s第%u中心", name, u + 1);
        fprintf(out->exp, "%s,%07" PRIu32 ",%05" PRIu32 ",%s,%s,", unit_name, it.code, econ, k_funds[fund],
                basic ? "基本支出" : "项目支出");
        if (!basic && !g_projects)
            fprintf(out->exp, "项目%02u", below(30) + 1);
        else if (!basic)
            fprintf(out->exp, "%s项目%04" PRIu32, name, below((uint32_t)g_projects) + 1);
        fputc(',', out->exp);
        yuan(out->exp, v);
        fputc('\n', out->exp);
        add_cell(&cs, u, it.code, fund, v);
        spent[fund][!basic] += v;
        for (int k = 0; fund <= 1 && k < SG_N; k++)
            for (int c = 0; c < 4 && g_sg_code[k][c]; c++)
                sg_lines[k] += g_sg_code[k][c] == econ ? v : 0;
        if (basic && fund == 0 && kind[u] < 2 && econ / 100 == 302)
            x.running += v; /* 行政 and 参公 units' general-budget 公用经费 */
    }
    /* Revenue and carry-over balance every (unit, 项, fund); budget per 项. */
    int64_t opening[4] = {0};
    for (size_t i = 0; i < cs.n; i++) {
        const cell *c = &cs.cells[i];
        if (c->unit == 0)
            snprintf(unit_name, sizeof unit_name, "%s(本级)", name);
        else
            snprintf(unit_name, sizeof unit_name, "%s第%u中心", name, c->unit + 1);
        int64_t open = 0, close = 0;
        if (below(5) == 0) {
            open = c->spent / 100 * (int64_t)below(30);
            close = c->spent / 100 * (int64_t)below(30);
            fprintf(out->carry, "%s,%07" PRIu32 ",%s,", unit_name, c->func, k_funds[c->fund]);
            yuan(out->carry, open);
            fputc(',', out->carry);
            yuan(out->carry, close);
            fputc('\n', out->carry);
        }
        fprintf(out->rev, "%s,%07" PRIu32 ",%s,", unit_name, c->func, k_funds[c->fund]);
        yuan(out->rev, c->spent + close - open);
        fputc('\n', out->rev);
        opening[c->fund] += open;
        if (c->fund == 0) {
            int64_t budget = c->spent * (int64_t)(80 + below(41)) / 100 / 10000 * 10000;
            fprintf(out->budget, "%s,%07" PRIu32 ",%s,", unit_name, c->func, k_funds[0]);
            yuan(out->budget, budget);
            fprintf(out->budget, ",%s\n", budget == c->spent ? "" : "年中追加或调减预算");
        }
    }
    free(cs.cells);
    free(kind);
    for (int k = 0; k < SG_N; k++) {
        int64_t b = below(3) ? (int64_t)below(200) * 100000 : 0;
        x.sangong[k][0] = b;
        x.sangong[k][1] = b / 100 * (int64_t)below(100);
        if (x.sangong[k][1] < sg_lines[k]) /* never below its lines (W-011, X-037…X-040) */
            x.sangong[k][1] = sg_lines[k];
    }
    /* What follows is drawn after everything else, so that the lines, revenue,
     * carry-overs, budgets and 三公 amounts stay what they were without it. */
    for (int k = 0; k < SG_N; k++) {
        int64_t a = x.sangong[k][1];
        x.sangong[k][2] = near(a ? a : x.sangong[k][0], 30);
        x.sangong_n[k] = !a                ? 0
                         : k == SG_ABROAD    ? 1 + below(3)
                         : k == SG_RECEPTION ? 1 + a / 150000 /* one reception per 1 500 元 */
                                             : 1 + below(10);
    }
    /* Vehicles: held when cars are run or bought; the cars bought are some
     * of them, and those run are all of them. */
    if (x.sangong[SG_CAR_RUN][1] || x.sangong[SG_CAR_BUY][1]) {
        for (int k = 2; k < AS_EQUIPMENT; k++)
            x.assets[AS_VEHICLES] += x.assets[k] = below(3) ? 0 : 1 + below(k == AS_LAW ? 4 : 2);
        if (!x.assets[AS_VEHICLES])
            x.assets[AS_VEHICLES] = x.assets[AS_EQUIPMENT - 1] = 1;
    }
    if (x.sangong[SG_CAR_RUN][1])
        x.sangong_n[SG_CAR_RUN] = x.assets[AS_VEHICLES];
    if (x.sangong[SG_CAR_BUY][1])
        x.sangong_n[SG_CAR_BUY] = 1 + below((uint32_t)x.assets[AS_VEHICLES]);
    x.assets[AS_EQUIPMENT] = below(4) ? 0 : 1 + below(3);
    x.running_budget = near(x.running, 10) / 10000 * 10000;
    /* 政府采购: a few percent of the spending, part of it to SMEs. */
    int64_t total = 0;
    for (int k = 0; k < 4; k++)
        total += spent[k][0] + spent[k][1];
    for (int k = 0; k < 3; k++) {
        int64_t p = k == 1 && below(3) ? 0 : total / 100 * (int64_t)below(k == 1 ? 10 : 6);
        int64_t sme = p / 100 * (int64_t)(60 + below(41));
        x.proc[k][0] = p;
        x.proc[k][1] = sme;
        x.proc[k][2] = sme / 100 * (int64_t)(30 + below(71));
    }
    /* Last year: per fund, basic and project spending 85% to 115% of this
     * year's and the opening carry-over too; its closing carry-over is this
     * year's opening one, and revenue balances: 收入 + 年初 = 支出 + 年末. */
    int64_t *py = x.prior;
    for (int k = 0; k < 4; k++) {
        int64_t basic = spent[k][0] * (int64_t)(85 + below(31)) / 100;
        int64_t project = spent[k][1] * (int64_t)(85 + below(31)) / 100;
        int64_t open = opening[k] * (int64_t)(85 + below(31)) / 100;
        int64_t rev = basic + project + opening[k] - open;
        py[PY_BASIC] += basic;
        py[PY_PROJECT] += project;
        py[PY_REV] += rev;
        py[PY_TOTAL] += rev + open;
        if (k < 2) { /* 一般公共预算, 政府性基金 */
            py[k ? PY_EXP_FUND : PY_EXP_GENERAL] = basic + project;
            py[k ? PY_REV_FUND : PY_REV_GENERAL] = rev;
            py[PY_FISCAL_TOTAL] += rev + open;
        }
    }
    py[PY_EXP] = py[PY_BASIC] + py[PY_PROJECT];
    for (int k = SG_ABROAD; k <= SG_RECEPTION; k++)
        py[PY_SANGONG] += x.sangong[k][2];
    py[PY_RUNNING] = near(x.running, 15);
    if (own) {
        char setup[256];
        if (nunits > 1)
            snprintf(setup, sizeof setup, "%s部门决算由%s(本级)决算和%u个下属单位决算组成。", name, name,
                     nunits - 1);
        else
            snprintf(setup, sizeof setup, "%s部门决算仅含%s(本级)决算，无下属单位。", name, name);
        write_extras(out, &x, setup);
    } else {
        add_extras(&g_region, &x);
    }
}

static const char *const k_headings[] = {
    "单位,功能分类科目编码,经济分类科目编码,资金来源,支出类型,项目名称,金额(元)",
    "单位,功能分类科目编码,收入类型,金额(元)",
    "单位,功能分类科目编码,资金来源,年初结转和结余(元),年末结转和结余(元)",
    "单位,功能分类科目编码,资金来源,年初预算数(元),差异原因",
    "单位名称,单位性质",
    "项目,预算数(元),决算数(元),上年决算数(元),数量",
    "项目,金额(元)",
    "项目,金额(元)",
    "类别,采购金额(元),授予中小企业合同金额(元),授予小微企业合同金额(元)",
    "项目,数量",
};

static void open_sheets(const char *dir, const char *title, long number, sheets *s)
{
    mkdir_p(dir);
    s->dept = create(dir, "department.csv", "项目,内容");
    fprintf(s->dept,
            "部门名称,%s\n年度,%ld\n%s配置,default\n公开日期,%ld-09-10\n咨询电话,027-8%07ld\n主要职责,%s\n",
            title, g_year, g_year == 2024 ? "" : "分类科目版本,2024\n", g_year + 1, number,
            number ? "负责本部门职责范围内的各项工作（生成的模拟数据）。"
                   : "本地区各部门的职责见各部门决算（生成的模拟数据）。");
    s->exp = create(dir, "expenditure.csv", k_headings[0]);
    s->rev = create(dir, "revenue.csv", k_headings[1]);
    s->carry = create(dir, "carryover.csv", k_headings[2]);
    s->budget = create(dir, "budget.csv", k_headings[3]);
    s->units = create(dir, "units.csv", k_headings[4]);
    s->sangong = create(dir, "sangong.csv", k_headings[5]);
    s->prior = create(dir, "prior_year.csv", k_headings[6]);
    s->figures = create(dir, "figures.csv", k_headings[7]);
    s->proc = create(dir, "procurement.csv", k_headings[8]);
    s->assets = create(dir, "assets.csv", k_headings[9]);
}

static void close_sheets(sheets *s)
{
    FILE **all[] = {&s->exp, &s->rev,   &s->carry,   &s->budget, &s->units, &s->sangong,
                    &s->dept, &s->prior, &s->figures, &s->proc,   &s->assets};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        finish(*all[i]);
}

/* ---- the order of the region's lines ---------------------------------- */

typedef enum { ORDER_GROUPED, ORDER_INTERLEAVED, ORDER_BY_CODE, ORDER_SHUFFLED } line_order;
static const char *const k_orders[] = {"grouped", "interleaved", "by-code", "shuffled"};

typedef struct {
    uint64_t key;
    size_t at, len; /* the line (with its newline) in the file */
} line_ref;

static int by_key(const void *a, const void *b)
{
    const line_ref *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* The number after 生成部门 in a line's unit (its department), the
 * n-th field's leading digits (a code). */
static uint64_t line_number(const char *p, const char *end, int field)
{
    for (; field > 0 && p < end; p++)
        if (*p == ',')
            field--;
    if (field == 0 && end - p > 12 && !memcmp(p, "生成部门", 12))
        p += 12;
    uint64_t v = 0;
    for (; p < end && *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (uint64_t)(*p - '0');
    return v;
}

/* Rewrites the region's sheet dir/name (heading, then lines grouped by
 * department) in the given order. */
static void reorder(const char *dir, const char *name, line_order order, uint64_t seed)
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.order", path);
    FILE *in = fopen(path, "rb");
    if (!in || fseek(in, 0, SEEK_END) != 0)
        die(strerror(errno), path);
    long size = ftell(in);
    char *text = size >= 0 ? malloc((size_t)size + 1) : NULL;
    rewind(in);
    if (!text || fread(text, 1, (size_t)size, in) != (size_t)size)
        die("cannot read", path);
    fclose(in);
    const char *end = text + size, *first = memchr(text, '\n', (size_t)size);
    first = first ? first + 1 : end;
    size_t n = 0, cap = 1024;
    line_ref *lines = malloc(cap * sizeof *lines);
    if (!lines)
        die("out of memory", NULL);
    uint64_t dept = UINT64_MAX, within = 0;
    bool exp = !strcmp(name, "expenditure.csv");
    for (const char *p = first; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl + 1 : end;
        if (n == cap) {
            line_ref *more = realloc(lines, (cap *= 2) * sizeof *lines);
            if (!more)
                die("out of memory", NULL);
            lines = more;
        }
        line_ref *l = &lines[n++];
        l->at = (size_t)(p - text);
        l->len = (size_t)(e - p);
        uint64_t d = line_number(p, e, 0);
        within = d == dept ? within + 1 : 0;
        dept = d;
        if (order == ORDER_INTERLEAVED) /* the k-th line of every department, then the next */
            l->key = within << 32 | d;
        else if (order == ORDER_BY_CODE)
            l->key = line_number(p, e, 1) << 24 | (exp ? line_number(p, e, 2) : 0);
        else
            l->key = 0;
        p = e;
    }
    if (order == ORDER_SHUFFLED) { /* Fisher-Yates, from the seed */
        g_rng = seed * 0xD1B54A32D192ED03ULL + 11;
        for (size_t i = n; i > 1; i--) {
            size_t j = (size_t)(next() % i);
            line_ref t = lines[i - 1];
            lines[i - 1] = lines[j];
            lines[j] = t;
        }
    } else {
        qsort(lines, n, sizeof *lines, by_key);
    }
    FILE *out = fopen(tmp, "wb");
    if (!out)
        die(strerror(errno), tmp);
    setvbuf(out, NULL, _IOFBF, 1 << 20);
    fwrite(text, 1, (size_t)(first - text), out);
    for (size_t i = 0; i < n; i++) {
        fwrite(text + lines[i].at, 1, lines[i].len, out);
        if (text[lines[i].at + lines[i].len - 1] != '\n')
            fputc('\n', out);
    }
    finish(out);
    if (rename(tmp, path) != 0)
        die(strerror(errno), tmp);
    free(lines);
    free(text);
}

static void usage(void)
{
    puts("用法: gen -o 目录 [-n 部门数] [-l 支出行数] [-s 种子] [-d 数据目录] [--no-departments] [--no-region]\n"
         "         [--order grouped|interleaved|by-code|shuffled] [--units 单位数] [--projects 每部门项目数] [--year 年度]\n"
         "生成一个确定的模拟地区：目录/departments/ 每个部门一个工作簿，目录/region/ 全地区合并的一个工作簿。\n"
         "--order 为全地区工作簿各明细表的行序：按部门（默认）、各部门交错、按科目编码、随机打乱。");
}

int main(int argc, char **argv)
{
    const char *out = NULL, *datadir = "data";
    long ndept = 10, lines = -1, units = 0;
    line_order order = ORDER_GROUPED;
    uint64_t seed = 2024;
    bool departments = true, region = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage();
            return 0;
        } else if (!strcmp(a, "--no-departments")) {
            departments = false;
        } else if (!strcmp(a, "--no-region")) {
            region = false;
        } else if (v && !strcmp(a, "--order")) {
            size_t k = 0;
            while (k < 4 && strcmp(v, k_orders[k]))
                k++;
            if (k == 4)
                die("--order: grouped, interleaved, by-code or shuffled", v);
            order = (line_order)k;
            i++;
        } else if (v && (!strcmp(a, "--units") || !strcmp(a, "--projects"))) {
            char *end;
            errno = 0;
            long n = strtol(v, &end, 10);
            if (*end || errno || n < 1 || n > 100000000)
                die("not a positive number", v);
            *(a[2] == 'u' ? &units : &g_projects) = n;
            i++;
        } else if (v && !strcmp(a, "--year")) {
            char *end;
            errno = 0;
            g_year = strtol(v, &end, 10);
            if (*end || errno || g_year < 2000 || g_year > 2100)
                die("--year: a year from 2000 to 2100", v);
            i++;
        } else if (v && (!strcmp(a, "-o") || !strcmp(a, "-d"))) {
            *(a[1] == 'o' ? &out : &datadir) = v;
            i++;
        } else if (v && (!strcmp(a, "-n") || !strcmp(a, "-l") || !strcmp(a, "-s"))) {
            char *end;
            errno = 0;
            long long n = strtoll(v, &end, 10);
            if (*end || errno || n < (a[1] == 's' ? 0 : 1))
                die("not a positive number", v);
            if (a[1] == 'n')
                ndept = (long)n;
            else if (a[1] == 'l')
                lines = (long)n;
            else
                seed = (uint64_t)n;
            i++;
        } else {
            usage();
            return 2;
        }
    }
    if (!out) {
        usage();
        return 2;
    }
    if (lines < 0)
        lines = ndept * 1000;
    load_rules(datadir);
    mkdir_p(out);
    char path[4096];
    snprintf(path, sizeof path, "%s/departments", out);
    if (departments)
        mkdir_p(path);
    sheets all;
    if (region) {
        char title[128];
        snprintf(title, sizeof title, "生成地区（%ld个部门）", ndept);
        snprintf(path, sizeof path, "%s/region", out);
        open_sheets(path, title, 0, &all);
    }
    /* Line counts: a skewed share per department, summing to lines. */
    g_rng = seed * 0x9E3779B97F4A7C15ULL + 1;
    long *share = calloc((size_t)ndept, sizeof *share);
    uint64_t total = 0;
    for (long d = 0; d < ndept; d++)
        total += (share[d] = 1 + below(4) + (below(10) == 0 ? 8 : 0));
    long given = 0;
    for (long d = 0; d < ndept; d++)
        given += (share[d] = (long)((uint64_t)share[d] * (uint64_t)lines / total));
    for (long d = 0; given < lines; d = (d + 1) % ndept, given++)
        share[d]++;
    if (units) { /* at least one a department, the rest shared out skewed */
        if (units < ndept)
            die("--units: fewer units than departments", NULL);
        g_nunits = calloc((size_t)ndept, sizeof *g_nunits);
        uint64_t *w = calloc((size_t)ndept, sizeof *w), sum = 0;
        if (!g_nunits || !w)
            die("out of memory", NULL);
        for (long d = 0; d < ndept; d++)
            sum += w[d] = 1 + skewed(16);
        long spread = 0;
        for (long d = 0; d < ndept; d++)
            spread += g_nunits[d] = (uint32_t)(1 + w[d] * (uint64_t)(units - ndept) / sum);
        for (long d = 0; spread < units; d = (d + 1) % ndept, spread++)
            g_nunits[d]++;
        free(w);
    }
    for (long d = 0; d < ndept; d++) {
        uint64_t state = seed * 0x9E3779B97F4A7C15ULL + (uint64_t)d * 0xBF58476D1CE4E5B9ULL + 7;
        if (departments) {
            char dir[4200], title[64];
            snprintf(dir, sizeof dir, "%s/departments/%05ld", out, d + 1);
            snprintf(title, sizeof title, "生成部门%05ld", d + 1);
            sheets one;
            open_sheets(dir, title, d + 1, &one);
            g_rng = state;
            department((int)d, share[d], &one, true);
            close_sheets(&one);
        }
        if (region) {
            g_rng = state; /* the same draws: the region is the sum of its departments */
            department((int)d, share[d], &all, false);
        }
    }
    if (region) {
        char setup[256];
        snprintf(setup, sizeof setup, "生成地区汇总%ld个部门、%" PRId64 "个单位的决算。", ndept, g_region.units);
        write_extras(&all, &g_region, setup);
        close_sheets(&all);
        static const char *const line_sheets[] = {"expenditure.csv", "revenue.csv", "carryover.csv", "budget.csv"};
        for (size_t k = 0; order != ORDER_GROUPED && k < sizeof line_sheets / sizeof line_sheets[0]; k++)
            reorder(path, line_sheets[k], order, seed + k);
    }
    free(g_nunits);
    free(share);
    free(g_items);
    free(g_lei);
    return 0;
}
