/* The portal's store: departments, accounts and roles, sessions, the
 * versions of each department-year's workbook on their way from upload to
 * publication, and the append-only audit log. One interface, two backends
 * chosen by the URL given to js_store_open:
 *
 *   "juesuan.db", "file:…"          SQLite (embedded; WAL, foreign keys,
 *                                     STRICT tables, writes BEGIN IMMEDIATE)
 *   "postgresql://…", "postgres://…" PostgreSQL through libpq
 *
 * Both hold the same schema, created and migrated on open (a database whose
 * schema is newer than this program is refused). Every statement is
 * prepared with parameters; no SQL is built from user text.
 *
 * Money stays in the stored workbook and its outputs; the store keeps files
 * byte for byte with their SHA-256.
 *
 * Threads: a js_store is one connection, used by one thread at a time;
 * open one per worker thread. Several stores (threads, processes, portal
 * instances on one PostgreSQL) may work on one database at once: every
 * state change is one transaction that checks the state it changes, so two
 * reviewers approving at once yields one approval and one JS_STORE_CONFLICT.
 *
 * Ownership: strings and blobs passed in are copied; what a function hands
 * back in a struct is owned by the caller and released by the matching
 * _free (or, for lists, by js_store_list_free). */
#ifndef JUESUAN_STORE_H
#define JUESUAN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "juesuan/diag.h"

typedef struct js_store js_store;

/* Results beyond js_status: a state change refused because the object is
 * not (any more) in the state it needs, or a name already taken. d holds a
 * Chinese message either way. */
enum { JS_STORE_CONFLICT = 100, JS_STORE_NOT_FOUND = 101, JS_STORE_DENIED = 102 };

/* Opens (creating and migrating) the database at url. NULL and d filled on
 * error (JS_E_IO: cannot connect or open; JS_E_USAGE: a newer schema or an
 * unknown URL scheme). */
js_store *js_store_open(const char *url, js_diag *d);
void js_store_close(js_store *s);
/* "sqlite" or "postgresql". */
const char *js_store_backend(const js_store *s);
/* The schema version the database holds. */
int js_store_schema_version(js_store *s);
/* The public generation: a number that grows with every change anonymous
 * visitors can see (a publication, correction or withdrawal, a new
 * department), in this store or any other on the same database. A cache of
 * public pages stays valid while it is unchanged. */
int js_store_public_generation(js_store *s, int64_t *gen, js_diag *d);

/* ---- departments ------------------------------------------------------ */

typedef struct {
    int64_t id;
    char *code;    /* short stable name for addresses, e.g. "qingshan-slj" */
    char *name;    /* 部门名称 as the workbook states it */
    char *profile; /* profile used for its reports ("default") */
} js_store_dept;

int js_store_dept_add(js_store *s, const char *code, const char *name,
                      const char *profile, int64_t *id, js_diag *d);
/* The same, recording actor (the user adding it; 0: the command line) in
 * the audit log. js_store_dept_add is js_store_dept_add_as with actor 0. */
int js_store_dept_add_as(js_store *s, int64_t actor, const char *code, const char *name,
                         const char *profile, int64_t *id, js_diag *d);
/* By code or, when code looks like a number, by id. */
int js_store_dept_get(js_store *s, const char *code, js_store_dept *out, js_diag *d);
int js_store_dept_list(js_store *s, js_store_dept **out, size_t *n, js_diag *d);
void js_store_dept_free(js_store_dept *x);
void js_store_dept_list_free(js_store_dept *v, size_t n);

/* ---- accounts and roles ----------------------------------------------- */

typedef enum {
    JS_ROLE_PREPARER = 1, /* 填报: its own department only */
    JS_ROLE_REVIEWER = 2, /* 审核 */
    JS_ROLE_PUBLISHER = 4,/* 发布 */
    JS_ROLE_ADMIN = 8     /* 管理 */
} js_role;

/* "填报" … "管理"; NULL for an unknown bit. */
const char *js_role_name(js_role r);
/* From "填报"/"preparer" etc.; 0 when unknown. */
js_role js_role_parse(const char *s);

typedef struct {
    int64_t id;
    char *login;
    char *display;
    unsigned roles;  /* js_role bits */
    int64_t dept_id; /* the department of a 填报 user; 0 when none */
    bool disabled;
    int64_t created; /* Unix seconds */
} js_store_user;

/* Passwords are hashed with argon2id (libsodium crypto_pwhash_str, at least
 * 19 MiB and 2 passes) and never stored or logged in clear. A 填报 user
 * needs dept_id. actor is the user making the change (0: the command line),
 * recorded in the audit log. */
int js_store_user_add(js_store *s, int64_t actor, const char *login, const char *display,
                      const char *password, unsigned roles, int64_t dept_id,
                      int64_t *id, js_diag *d);
int js_store_user_passwd(js_store *s, int64_t actor, const char *login,
                         const char *password, js_diag *d);
int js_store_user_disable(js_store *s, int64_t actor, const char *login, bool disabled,
                          js_diag *d);
/* Replaces the user's roles (and department); revokes the user's sessions. */
int js_store_user_grant(js_store *s, int64_t actor, const char *login, unsigned roles,
                        int64_t dept_id, js_diag *d);
int js_store_user_get(js_store *s, int64_t id, js_store_user *out, js_diag *d);
int js_store_user_list(js_store *s, js_store_user **out, size_t *n, js_diag *d);
void js_store_user_free(js_store_user *u);
void js_store_user_list_free(js_store_user *v, size_t n);

/* Login: checks the password of an enabled user, throttled per login and
 * per address (after 5 failures in 15 minutes, refused with
 * JS_STORE_DENIED until the window passes, whatever the password). Every
 * outcome is logged (without the password). On success fills *user_id.
 * Failure is one generic message, whether the login exists or not. */
int js_store_login(js_store *s, const char *login, const char *password,
                   const char *addr, int64_t now, int64_t *user_id, js_diag *d);

/* ---- sessions ---------------------------------------------------------- */

/* A new session for user_id: token and csrf are 256-bit random values,
 * base64url (43 characters + NUL); only a hash of the token is stored. */
typedef struct {
    char token[48];
    char csrf[48];
} js_store_session_new;

int js_store_session_create(js_store *s, int64_t user_id, const char *addr, int64_t now,
                            js_store_session_new *out, js_diag *d);
/* The session of a token, if it exists, is not revoked, was seen within
 * idle seconds and created within absolute seconds; touches its last-seen
 * time when that is JS_STORE_SESSION_TOUCH seconds old or more (so a busy
 * session is written once a minute, and an idle one expires at most that
 * much before idle seconds after its last use, never after).
 * JS_STORE_NOT_FOUND otherwise. The user must still be enabled. */
#define JS_STORE_SESSION_TOUCH 60

int js_store_session_check(js_store *s, const char *token, int64_t now, int64_t idle,
                           int64_t absolute, int64_t *user_id, char csrf[48], js_diag *d);
int js_store_session_revoke(js_store *s, const char *token, js_diag *d);
/* Deletes the sessions last seen before `before` (expired ones; revoked
 * ones too), so that the table does not grow for ever; *n: how many. */
int js_store_session_prune(js_store *s, int64_t before, int64_t *n, js_diag *d);

/* ---- versions: upload → submit → review → publish ----------------------- */

typedef enum {
    JS_V_DRAFT = 0,      /* uploaded, not submitted */
    JS_V_SUBMITTED,      /* waiting for review */
    JS_V_RETURNED,       /* returned by the reviewer with comments */
    JS_V_APPROVED,       /* approved, waiting for publication */
    JS_V_PUBLISHED,      /* online */
    JS_V_CORRECTED,      /* was published; a later version corrects it (已更正) */
    JS_V_WITHDRAWN       /* was published; withdrawn with a reason */
} js_vstate;

/* "草稿", "待审核", "已退回", "已审核", "已发布", "已更正", "已撤回". */
const char *js_vstate_name(js_vstate st);

/* The phase a version discloses: the 决算 (final accounts, after the year)
 * or the 预算 (the approved budget, at its start). Each phase of a
 * department-year is its own line of versions, with at most one published
 * version each; version numbers are shared by both lines, so that a
 * number names one version of the department-year. */
typedef enum { JS_PHASE_FINAL = 0, JS_PHASE_BUDGET = 1 } js_phase;
#define JS_PHASE_COUNT 2

/* "final" or "budget" (as stored and in the API); NULL for another value. */
const char *js_phase_id(js_phase p);
/* From "final"/"budget"; -1 when neither. */
int js_phase_parse(const char *s);

typedef struct {
    int64_t id;
    int64_t dept_id;
    int year;
    int number;           /* 1, 2, … within the department-year (both phases) */
    js_phase phase;
    char approval_date[11]; /* a budget's 批复 date, YYYY-MM-DD; "" when not given */
    js_vstate state;
    char *filename;       /* as uploaded */
    char sha256[65];      /* of the uploaded file, hex */
    int64_t size;
    int64_t uploaded_by, uploaded_at;
    int errors, verifies, infos; /* the audit's counts at upload */
    int64_t submitted_at, reviewed_by, reviewed_at;
    int64_t published_by, published_at;
    int64_t corrects;     /* the version this one corrects; 0 when none */
    int64_t corrected_by; /* the version correcting this one; 0 when none */
    char *reason;         /* of a correction or withdrawal; NULL when none */
} js_store_version;

/* Stores an uploaded file as received, with the audit's findings (JSON, as
 * js_findings renders it) and their counts, as a new draft of the
 * department-year. corrects: 0, or the published version it will correct
 * (then reason is required). */
int js_store_version_add(js_store *s, int64_t actor, int64_t dept_id, int year,
                         const char *filename, const void *file, size_t size,
                         const char *findings_json, int errors, int verifies, int infos,
                         int64_t corrects, const char *reason, int64_t now,
                         int64_t *id, js_diag *d);
/* js_store_version_add for a phase: phase and, for a budget, its approval
 * date (YYYY-MM-DD, or NULL/"" when the workbook gives none; refused for
 * a 决算, whose period starts at the portal's approval). corrects must be
 * the published version of the same phase. js_store_version_add is this
 * with JS_PHASE_FINAL. */
int js_store_version_add_phase(js_store *s, int64_t actor, int64_t dept_id, int year, js_phase phase,
                               const char *approval_date, const char *filename, const void *file,
                               size_t size, const char *findings_json, int errors, int verifies,
                               int infos, int64_t corrects, const char *reason, int64_t now,
                               int64_t *id, js_diag *d);
int js_store_version_get(js_store *s, int64_t id, js_store_version *out, js_diag *d);
/* Versions of one department (year 0: every year), newest first. */
int js_store_version_list(js_store *s, int64_t dept_id, int year,
                          js_store_version **out, size_t *n, js_diag *d);
/* Versions in one state across departments (e.g. the review queue, or every
 * published version of a year when year is not 0). */
int js_store_version_list_state(js_store *s, js_vstate st, int year,
                                js_store_version **out, size_t *n, js_diag *d);
void js_store_version_free(js_store_version *v);
void js_store_version_list_free(js_store_version *v, size_t n);

/* The uploaded file and the findings JSON (malloc'd; the caller frees). */
int js_store_version_file(js_store *s, int64_t id, void **data, size_t *size, js_diag *d);
int js_store_version_findings(js_store *s, int64_t id, char **json, js_diag *d);

/* The preparer's written explanation of one 核实 finding (key: the
 * finding's rule id and location as the server names it). Replaces an
 * earlier one. Only while the version is a draft or returned. */
int js_store_explain(js_store *s, int64_t actor, int64_t version, const char *key,
                     const char *text, js_diag *d);
typedef struct { char *key; char *text; } js_store_note;
int js_store_explanations(js_store *s, int64_t version, js_store_note **out, size_t *n,
                          js_diag *d);
void js_store_note_list_free(js_store_note *v, size_t n);

/* State changes, each one transaction that checks the current state and
 * the four-eyes rule, and writes the audit log:
 *   submit:   draft|returned → submitted
 *   return:   submitted → returned, with a comment (required)
 *   approve:  submitted → approved; refused when actor uploaded it
 *   publish:  approved → published; outputs stored with it (all at once);
 *             a correction marks the version it corrects 已更正; one
 *             published version per department-year and phase
 *   withdraw: published → withdrawn, with a reason (required)
 * JS_STORE_CONFLICT (message in d) when the state does not allow it. */
int js_store_submit(js_store *s, int64_t actor, int64_t version, int64_t now, js_diag *d);
int js_store_return(js_store *s, int64_t actor, int64_t version, const char *comment,
                    int64_t now, js_diag *d);
int js_store_approve(js_store *s, int64_t actor, int64_t version, int64_t now, js_diag *d);

typedef struct {
    const char *name;         /* "report.html", "tables.xlsx", … */
    const char *content_type; /* what it is served as */
    const void *data;
    size_t size;
} js_store_output_in;

int js_store_publish(js_store *s, int64_t actor, int64_t version,
                     const js_store_output_in *outputs, size_t n, int64_t now, js_diag *d);
int js_store_withdraw(js_store *s, int64_t actor, int64_t version, const char *reason,
                      int64_t now, js_diag *d);

/* Review comments, oldest first. */
typedef struct {
    int64_t author, at;
    char *text;
} js_store_comment;
int js_store_comments(js_store *s, int64_t version, js_store_comment **out, size_t *n,
                      js_diag *d);
void js_store_comment_list_free(js_store_comment *v, size_t n);

/* One stored output of a published version. */
typedef struct {
    char *name, *content_type;
    char sha256[65];
    void *data;
    size_t size;
} js_store_output;
int js_store_output_get(js_store *s, int64_t version, const char *name,
                        js_store_output *out, js_diag *d);
/* Names, types, sizes and hashes only (data NULL). */
int js_store_output_list(js_store *s, int64_t version, js_store_output **out, size_t *n,
                         js_diag *d);
void js_store_output_free(js_store_output *o);
void js_store_output_list_free(js_store_output *v, size_t n);

/* ---- region-year bundles ------------------------------------------------ */

/* The download of a whole year (a zip of every published department's
 * open data), built once per publication and kept here, one per year.
 * contents names what it was built from (the portal's fingerprint of the
 * published versions), so that a reader can tell whether it is current. */
typedef struct {
    int year;
    char *contents;
    char sha256[65]; /* of data, hex */
    size_t size;
    int64_t built_at;
    void *data;      /* NULL when not asked for */
} js_store_bundle;

/* Replaces the bundle of year (data copied; its SHA-256 computed here). */
int js_store_bundle_put(js_store *s, int year, const char *contents, const void *data, size_t size,
                        int64_t now, js_diag *d);
/* The bundle of year, with its bytes when with_data; JS_STORE_NOT_FOUND
 * when none was built. */
int js_store_bundle_get(js_store *s, int year, bool with_data, js_store_bundle *out, js_diag *d);
void js_store_bundle_free(js_store_bundle *b);

/* ---- the audit log ---------------------------------------------------- */

/* Appends an event (login, logout, …; the state changes above append
 * their own). Each entry carries the SHA-256 of the previous one. */
int js_store_log(js_store *s, int64_t actor, const char *action, const char *entity,
                 const char *detail, const char *addr, int64_t now, js_diag *d);

typedef struct {
    int64_t seq, at, actor;
    char *action, *entity, *detail, *addr;
    char prev[65], hash[65];
} js_store_event;
/* Events after seq `after`, at most limit, oldest first. */
int js_store_log_list(js_store *s, int64_t after, size_t limit, js_store_event **out,
                      size_t *n, js_diag *d);
void js_store_event_list_free(js_store_event *v, size_t n);
/* Walks the chain: JS_OK when every entry's hash matches its content and
 * the previous entry's hash; else JS_E_INPUT with the first bad seq in d
 * (a changed, deleted or inserted entry). *count: entries checked. */
int js_store_log_verify(js_store *s, int64_t *count, js_diag *d);

#endif
