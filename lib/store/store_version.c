/* Versions of a department-year's workbook: the uploaded file as received
 * with its SHA-256, the audit's findings, and the preparer's explanations
 * of 核实 findings. The state changes are in store_flow.c. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/limits.h"
#include "utf8.h"

static const char *const k_state_names[] = {"草稿", "待审核", "已退回", "已审核",
                                            "已发布", "已更正", "已撤回"};

const char *js_vstate_name(js_vstate st)
{
    if ((int)st < 0 || (size_t)st >= sizeof k_state_names / sizeof k_state_names[0])
        return NULL;
    return k_state_names[st];
}

static const char *const k_phase_ids[JS_PHASE_COUNT] = {"final", "budget"};

const char *js_phase_id(js_phase p)
{
    return (int)p >= 0 && (int)p < JS_PHASE_COUNT ? k_phase_ids[p] : NULL;
}

int js_phase_parse(const char *s)
{
    for (int i = 0; s && i < JS_PHASE_COUNT; i++)
        if (!strcmp(s, k_phase_ids[i]))
            return i;
    return -1;
}

/* YYYY-MM-DD with digits where they belong (the workbook reader has
 * already checked that it is a date of the calendar). */
static bool date_form(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

static const char k_next_number[] =
    "SELECT coalesce(max(number), 0) + 1 FROM version WHERE dept_id = ? AND year = ?";
static const char k_published_of[] =
    "SELECT id FROM version WHERE dept_id = ? AND year = ? AND phase = ? AND state = ?";
/* A locking read: a state change of the version waits for this transaction. */
static const char k_state_of[] =
    "UPDATE version SET state = state WHERE id = ? RETURNING dept_id, year, state";
static const char k_add[] =
    "INSERT INTO version (dept_id, year, number, state, filename, sha256, size,"
    " errors, verifies, infos, uploaded_by, uploaded_at, corrects, reason, phase, approval_date)"
    " VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char k_add_file[] =
    "INSERT INTO version_file (version_id, findings, file) VALUES (?, ?, ?)";

/* What a new version may correct: nothing while no version of the
 * department-year's phase is published; else exactly the published one. */
static int check_corrects(js_store *s, int64_t dept_id, int year, js_phase phase, int64_t corrects,
                          js_diag *d)
{
    db_res r;
    int rc = db_exec(s->c, k_published_of,
                     DB_ARGS(A_INT(dept_id), A_INT(year), A_TEXT(js_phase_id(phase)), A_INT(JS_V_PUBLISHED)),
                     &r, d);
    if (rc != JS_OK)
        return rc;
    int64_t published = r.rows ? db_int(&r, 0, 0) : 0;
    db_res_free(&r);
    if (!corrects && published)
        return store_fail(d, JS_STORE_CONFLICT,
                          "该部门 %d 年度%s已有已发布的版本，新版本须作为更正上传并说明原因", year,
                          phase == JS_PHASE_BUDGET ? "预算" : "决算");
    if (corrects && corrects != published)
        return store_fail(d, JS_STORE_CONFLICT, "只能更正该部门 %d 年度%s当前已发布的版本", year,
                          phase == JS_PHASE_BUDGET ? "预算" : "决算");
    return JS_OK;
}

int js_store_version_add(js_store *s, int64_t actor, int64_t dept_id, int year,
                         const char *filename, const void *file, size_t size,
                         const char *findings_json, int errors, int verifies, int infos,
                         int64_t corrects, const char *reason, int64_t now, int64_t *id,
                         js_diag *d)
{
    return js_store_version_add_phase(s, actor, dept_id, year, JS_PHASE_FINAL, NULL, filename, file, size,
                                      findings_json, errors, verifies, infos, corrects, reason, now, id, d);
}

int js_store_version_add_phase(js_store *s, int64_t actor, int64_t dept_id, int year, js_phase phase,
                               const char *approval_date, const char *filename, const void *file,
                               size_t size, const char *findings_json, int errors, int verifies,
                               int infos, int64_t corrects, const char *reason, int64_t now,
                               int64_t *id, js_diag *d)
{
    if (approval_date && !*approval_date)
        approval_date = NULL;
    if (!js_phase_id(phase))
        return store_fail(d, JS_E_USAGE, "阶段 %d 无效", (int)phase);
    if (approval_date && (phase != JS_PHASE_BUDGET || !date_form(approval_date)))
        return store_fail(d, JS_E_INPUT, "批复日期 '%s' 无效（预算版本的批复日期为 YYYY-MM-DD）",
                          approval_date);
    if (!findings_json)
        findings_json = "";
    size_t flen = strlen(findings_json);
    int rc = store_check_text(d, "文件名", filename, true);
    if (rc == JS_OK && (year < 1900 || year > 9999))
        rc = store_fail(d, JS_E_INPUT, "年度 %d 无效", year);
    if (rc == JS_OK && (size > (size_t)JS_MAX_STORE_FILE || flen > (size_t)JS_MAX_STORE_FILE))
        rc = store_fail(d, JS_E_LIMIT, "文件超过 %ld 字节", (long)JS_MAX_STORE_FILE);
    if (rc == JS_OK && js_utf8_invalid_at(findings_json, flen) != flen)
        rc = store_fail(d, JS_E_INPUT, "审核结果不是有效的 UTF-8 文本");
    if (rc == JS_OK && (errors < 0 || verifies < 0 || infos < 0))
        rc = store_fail(d, JS_E_INPUT, "审核问题数不能为负");
    if (rc == JS_OK && (file == NULL && size))
        rc = store_fail(d, JS_E_USAGE, "缺少文件内容");
    if (rc == JS_OK)
        rc = store_check_text(d, "更正原因", reason, corrects != 0);
    if (rc != JS_OK)
        return rc;
    char sha[65];
    store_sha256_hex(file ? file : "", size, sha);

    rc = store_tx_begin(s, d);
    if (rc != JS_OK)
        return rc;
    db_res r;
    rc = store_lock_dept(s, dept_id, d);
    if (rc == JS_OK)
        rc = check_corrects(s, dept_id, year, phase, corrects, d);
    int64_t number = 0, got = 0;
    if (rc == JS_OK)
        rc = db_exec(s->c, k_next_number, DB_ARGS(A_INT(dept_id), A_INT(year)), &r, d);
    if (rc == JS_OK) {
        number = db_int(&r, 0, 0);
        db_res_free(&r);
        rc = db_exec(s->c, k_add,
                     DB_ARGS(A_INT(dept_id), A_INT(year), A_INT(number), A_TEXT(filename),
                             A_TEXT(sha), A_INT(size), A_INT(errors), A_INT(verifies), A_INT(infos), A_REF(actor), A_INT(now),
                             A_REF(corrects), A_TEXT(corrects ? reason : NULL), A_TEXT(js_phase_id(phase)),
                             A_TEXT(approval_date)),
                     &r, d);
        if (rc == JS_E_INPUT)
            rc = store_fail(d, JS_STORE_NOT_FOUND, "上传者（用户 %lld）不存在", (long long)actor);
    }
    if (rc == JS_OK) {
        got = store_first_id(&r);
        db_res_free(&r);
        rc = db_exec(s->c, k_add_file, DB_ARGS(A_INT(got), A_TEXT(findings_json), A_BLOB(file, size)),
                     NULL, d);
    }
    if (rc == JS_OK) {
        char entity[48], detail[256];
        store_entity(entity, "version", got);
        snprintf(detail, sizeof detail, "dept:%lld year:%d number:%lld sha256:%s size:%zu%s",
                 (long long)dept_id, year, (long long)number, sha, size,
                 phase == JS_PHASE_BUDGET ? " phase:budget" : "");
        rc = store_log_append(s, actor, corrects ? "version.correct" : "version.upload", entity,
                              detail, NULL, now, d);
    }
    rc = store_tx_end(s, rc, d);
    if (rc == JS_OK && id)
        *id = got;
    return rc;
}

#define VERSION_COLS                                                                       \
    "id, dept_id, year, number, state, filename, sha256, size, uploaded_by, uploaded_at,"  \
    " errors, verifies, infos, submitted_at, reviewed_by, reviewed_at, published_by,"       \
    " published_at, corrects, corrected_by, reason, phase, approval_date"

static const char k_get[] = "SELECT " VERSION_COLS " FROM version WHERE id = ?";
static const char k_list_all[] =
    "SELECT " VERSION_COLS " FROM version WHERE dept_id = ? ORDER BY year DESC, number DESC";
static const char k_list_year[] = "SELECT " VERSION_COLS
                                  " FROM version WHERE dept_id = ? AND year = ? ORDER BY number DESC";
static const char k_state_all[] =
    "SELECT v.id, v.dept_id, v.year, v.number, v.state, v.filename, v.sha256, v.size,"
    " v.uploaded_by, v.uploaded_at, v.errors, v.verifies, v.infos, v.submitted_at,"
    " v.reviewed_by, v.reviewed_at, v.published_by, v.published_at, v.corrects,"
    " v.corrected_by, v.reason, v.phase, v.approval_date FROM version v JOIN dept d ON d.id = v.dept_id"
    " WHERE v.state = ? ORDER BY v.year DESC, d.code, v.number DESC";
static const char k_state_year[] =
    "SELECT v.id, v.dept_id, v.year, v.number, v.state, v.filename, v.sha256, v.size,"
    " v.uploaded_by, v.uploaded_at, v.errors, v.verifies, v.infos, v.submitted_at,"
    " v.reviewed_by, v.reviewed_at, v.published_by, v.published_at, v.corrects,"
    " v.corrected_by, v.reason, v.phase, v.approval_date FROM version v JOIN dept d ON d.id = v.dept_id"
    " WHERE v.state = ? AND v.year = ? ORDER BY d.code, v.number DESC";

static bool fill(db_res *r, size_t i, void *elem)
{
    js_store_version *v = elem;
    v->id = db_int(r, i, 0);
    v->dept_id = db_int(r, i, 1);
    v->year = (int)db_int(r, i, 2);
    v->number = (int)db_int(r, i, 3);
    v->state = (js_vstate)db_int(r, i, 4);
    v->filename = db_dup(r, i, 5);
    snprintf(v->sha256, sizeof v->sha256, "%s", db_text0(r, i, 6));
    v->size = db_int(r, i, 7);
    v->uploaded_by = db_int(r, i, 8);
    v->uploaded_at = db_int(r, i, 9);
    v->errors = (int)db_int(r, i, 10);
    v->verifies = (int)db_int(r, i, 11);
    v->infos = (int)db_int(r, i, 12);
    v->submitted_at = db_int(r, i, 13);
    v->reviewed_by = db_int(r, i, 14);
    v->reviewed_at = db_int(r, i, 15);
    v->published_by = db_int(r, i, 16);
    v->published_at = db_int(r, i, 17);
    v->corrects = db_int(r, i, 18);
    v->corrected_by = db_int(r, i, 19);
    v->reason = db_dup(r, i, 20);
    int phase = js_phase_parse(db_text0(r, i, 21));
    v->phase = phase < 0 ? JS_PHASE_FINAL : (js_phase)phase;
    snprintf(v->approval_date, sizeof v->approval_date, "%s", db_text0(r, i, 22));
    return v->filename && (v->reason || !db_text(r, i, 20));
}

static void release(void *elem)
{
    js_store_version_free(elem);
}

static int list(js_store *s, const char *sql, const db_arg *args, size_t nargs,
                js_store_version **out, size_t *n, js_diag *d)
{
    void *v;
    int rc = store_list(s, sql, args, nargs, sizeof **out, fill, release, &v, n, d);
    *out = v;
    return rc;
}

int js_store_version_get(js_store *s, int64_t id, js_store_version *out, js_diag *d)
{
    int rc = store_get(s, k_get, DB_ARGS(A_INT(id)), sizeof *out, fill, release, out, d);
    if (rc == JS_STORE_NOT_FOUND)
        store_fail(d, rc, "没有编号为 %lld 的版本", (long long)id);
    return rc;
}

int js_store_version_list(js_store *s, int64_t dept_id, int year, js_store_version **out,
                          size_t *n, js_diag *d)
{
    if (year)
        return list(s, k_list_year, DB_ARGS(A_INT(dept_id), A_INT(year)), out, n, d);
    return list(s, k_list_all, DB_ARGS(A_INT(dept_id)), out, n, d);
}

int js_store_version_list_state(js_store *s, js_vstate st, int year, js_store_version **out,
                                size_t *n, js_diag *d)
{
    if (year)
        return list(s, k_state_year, DB_ARGS(A_INT(st), A_INT(year)), out, n, d);
    return list(s, k_state_all, DB_ARGS(A_INT(st)), out, n, d);
}

void js_store_version_free(js_store_version *v)
{
    if (!v)
        return;
    free(v->filename);
    free(v->reason);
    memset(v, 0, sizeof *v);
}

void js_store_version_list_free(js_store_version *v, size_t n)
{
    store_list_free(v, n, sizeof *v, release);
}

static const char k_file[] = "SELECT file FROM version_file WHERE version_id = ?";
static const char k_findings[] = "SELECT findings FROM version_file WHERE version_id = ?";

/* One column of one version, taken out of the result. */
static int take(js_store *s, const char *sql, int64_t id, char **data, size_t *size, js_diag *d)
{
    *data = NULL;
    *size = 0;
    db_res r;
    int rc = db_exec(s->c, sql, DB_ARGS(A_INT(id)), &r, d);
    if (rc != JS_OK)
        return rc;
    if (r.rows == 0)
        rc = store_fail(d, JS_STORE_NOT_FOUND, "没有编号为 %lld 的版本", (long long)id);
    else
        *data = db_take(&r, 0, 0, size);
    if (rc == JS_OK && !*data)
        *data = calloc(1, 1);
    if (rc == JS_OK && !*data)
        rc = store_fail(d, JS_E_NOMEM, "内存不足");
    db_res_free(&r);
    return rc;
}

int js_store_version_file(js_store *s, int64_t id, void **data, size_t *size, js_diag *d)
{
    char *p;
    int rc = take(s, k_file, id, &p, size, d);
    *data = p;
    return rc;
}

int js_store_version_findings(js_store *s, int64_t id, char **json, js_diag *d)
{
    size_t n;
    return take(s, k_findings, id, json, &n, d);
}

static const char k_explain[] =
    "INSERT INTO explanation (version_id, key, text, author) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (version_id, key) DO UPDATE SET text = excluded.text, author = excluded.author";
static const char k_explanations[] =
    "SELECT key, text FROM explanation WHERE version_id = ? ORDER BY key";

int js_store_explain(js_store *s, int64_t actor, int64_t version, const char *key,
                     const char *text, js_diag *d)
{
    int rc = store_check_text(d, "问题标识", key, true);
    if (rc == JS_OK)
        rc = store_check_text(d, "说明", text, true);
    if (rc == JS_OK)
        rc = store_tx_begin(s, d);
    if (rc != JS_OK)
        return rc;
    db_res r;
    rc = db_exec(s->c, k_state_of, DB_ARGS(A_INT(version)), &r, d);
    if (rc == JS_OK && r.rows == 0)
        rc = store_fail(d, JS_STORE_NOT_FOUND, "没有编号为 %lld 的版本", (long long)version);
    if (rc == JS_OK) {
        js_vstate st = (js_vstate)db_int(&r, 0, 2);
        if (st != JS_V_DRAFT && st != JS_V_RETURNED)
            rc = store_fail(d, JS_STORE_CONFLICT, "版本%s，不能再修改说明", js_vstate_name(st));
    }
    db_res_free(&r);
    if (rc == JS_OK)
        rc = db_exec(s->c, k_explain, DB_ARGS(A_INT(version), A_TEXT(key), A_TEXT(text), A_REF(actor)),
                     NULL, d);
    if (rc == JS_OK) {
        char entity[48];
        store_entity(entity, "version", version);
        rc = store_log_append(s, actor, "version.explain", entity, key, NULL, store_now(), d);
    }
    return store_tx_end(s, rc, d);
}

static bool fill_note(db_res *r, size_t i, void *elem)
{
    js_store_note *x = elem;
    x->key = db_dup(r, i, 0);
    x->text = db_dup(r, i, 1);
    return x->key && x->text;
}

static void release_note(void *elem)
{
    js_store_note *x = elem;
    free(x->key);
    free(x->text);
}

int js_store_explanations(js_store *s, int64_t version, js_store_note **out, size_t *n,
                          js_diag *d)
{
    void *v;
    int rc = store_list(s, k_explanations, DB_ARGS(A_INT(version)), sizeof **out, fill_note,
                        release_note, &v, n, d);
    *out = v;
    return rc;
}

void js_store_note_list_free(js_store_note *v, size_t n)
{
    store_list_free(v, n, sizeof *v, release_note);
}
