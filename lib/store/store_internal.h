/* What the store's domain files (store_*.c) share: the store object, its
 * transactions, hashing and the audit log's append. */
#ifndef JS_STORE_INTERNAL_H
#define JS_STORE_INTERNAL_H

#include "db.h"
#include "juesuan/store.h"

struct js_store {
    db *c;
    int schema;
};

/* A write transaction (SQLite BEGIN IMMEDIATE). store_tx_end commits when
 * rc is JS_OK (returning the commit's failure, if any) and rolls back
 * otherwise; it returns the outcome. */
int store_tx_begin(js_store *s, js_diag *d);
int store_tx_end(js_store *s, int rc, js_diag *d);

/* The SHA-256 of data as 64 lowercase hex digits and a NUL. */
void store_sha256_hex(const void *data, size_t n, char out[65]);

/* Appends one entry to the audit log inside the caller's transaction. */
int store_log_append(js_store *s, int64_t actor, const char *action, const char *entity,
                     const char *detail, const char *addr, int64_t now, js_diag *d);

/* Fills d with st and a message, returns st (for the JS_STORE_* codes,
 * which are not js_status values). */
int store_fail(js_diag *d, int st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Passwords (store_user.c): the argon2id string of a password that meets
 * the length rules, and its check (*rehash: the parameters are old). */
#define STORE_PWHASH_BYTES 128
int store_password_hash(const char *password, char out[STORE_PWHASH_BYTES], js_diag *d);
bool store_password_verify(const char *hash, const char *password, bool *rehash);

/* JS_OK when s is given (or may be empty) and within JS_MAX_STORE_TEXT
 * bytes of valid UTF-8; else JS_E_INPUT naming what. */
int store_check_text(js_diag *d, const char *what, const char *s, bool required);

/* The time now, Unix seconds (for the few writes that take no `now`). */
int64_t store_now(void);

/* An entity name for the log: "<kind>:<id>". */
void store_entity(char out[48], const char *kind, int64_t id);

/* Runs sql and makes each row an element of elem bytes with fill (false:
 * out of memory), into a malloc'd array (*out; never NULL on success) of
 * *n elements. On failure nothing is returned: what was filled is
 * released with release. */
typedef bool (*store_fill_fn)(db_res *r, size_t row, void *elem);
typedef void (*store_release_fn)(void *elem);
int store_list(js_store *s, const char *sql, const db_arg *args, size_t nargs, size_t elem,
               store_fill_fn fill, store_release_fn release, void **out, size_t *n, js_diag *d);
/* store_list for one row: its element copied to out (elem bytes), or
 * JS_STORE_NOT_FOUND without a message (the caller names what is missing). */
int store_get(js_store *s, const char *sql, const db_arg *args, size_t nargs, size_t elem,
              store_fill_fn fill, store_release_fn release, void *out, js_diag *d);
/* Releases each of n elements and frees the array. */
void store_list_free(void *v, size_t n, size_t elem, store_release_fn release);

/* Locks the department's row until the transaction ends (PostgreSQL; on
 * SQLite the transaction already excludes other writers): what depends on
 * all of a department's versions (numbering, one published version per
 * year) is decided by one store at a time. JS_STORE_NOT_FOUND when there
 * is no such department. */
int store_lock_dept(js_store *s, int64_t dept_id, js_diag *d);

/* Counts the public generation up inside the caller's transaction: what
 * anonymous visitors see has changed (a publication, a withdrawal, a new
 * department). Call it last in the transaction, so that its row lock is
 * always taken after every other. */
int store_public_changed(js_store *s, js_diag *d);

/* A row of ids read back: the first cell of the first row, or 0. */
int64_t store_first_id(const db_res *r);

#endif
