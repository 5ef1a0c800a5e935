/* The store's schema for SQLite, one script per version (see db.h). The
 * PostgreSQL schema (schema_pg.c) holds the same tables and columns; the
 * domain layer's SQL runs unchanged on both. */
#include <stddef.h>

const char db_sqlite_bootstrap[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY,"
    " applied_at INTEGER NOT NULL) STRICT;";

const char *const db_sqlite_migrations[] = {
    /* 1: departments, accounts, sessions, versions, the audit log */
    "CREATE TABLE dept ("
    " id INTEGER PRIMARY KEY,"
    " code TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL,"
    " profile TEXT NOT NULL) STRICT;"
    "CREATE TABLE account ("
    " id INTEGER PRIMARY KEY,"
    " login TEXT NOT NULL UNIQUE,"
    " display TEXT NOT NULL,"
    " pwhash TEXT NOT NULL,"
    " roles INTEGER NOT NULL,"
    " dept_id INTEGER REFERENCES dept(id),"
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " created INTEGER NOT NULL) STRICT;"
    "CREATE TABLE login_failure ("
    " id INTEGER PRIMARY KEY,"
    " scope TEXT NOT NULL CHECK (scope IN ('login', 'addr')),"
    " key TEXT NOT NULL,"
    " at INTEGER NOT NULL) STRICT;"
    "CREATE INDEX login_failure_key ON login_failure (scope, key, at);"
    "CREATE TABLE session ("
    " id INTEGER PRIMARY KEY,"
    " token_hash TEXT NOT NULL UNIQUE,"
    " csrf TEXT NOT NULL,"
    " account_id INTEGER NOT NULL REFERENCES account(id),"
    " addr TEXT NOT NULL,"
    " created INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL,"
    " revoked INTEGER NOT NULL DEFAULT 0) STRICT;"
    "CREATE INDEX session_account ON session (account_id);"
    "CREATE TABLE version ("
    " id INTEGER PRIMARY KEY,"
    " dept_id INTEGER NOT NULL REFERENCES dept(id),"
    " year INTEGER NOT NULL,"
    " number INTEGER NOT NULL,"
    " state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 6),"
    " filename TEXT NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " size INTEGER NOT NULL,"
    " errors INTEGER NOT NULL,"
    " verifies INTEGER NOT NULL,"
    " infos INTEGER NOT NULL,"
    " uploaded_by INTEGER REFERENCES account(id),"
    " uploaded_at INTEGER NOT NULL,"
    " submitted_at INTEGER,"
    " reviewed_by INTEGER REFERENCES account(id),"
    " reviewed_at INTEGER,"
    " published_by INTEGER REFERENCES account(id),"
    " published_at INTEGER,"
    " corrects INTEGER REFERENCES version(id),"
    " corrected_by INTEGER REFERENCES version(id),"
    " reason TEXT,"
    " UNIQUE (dept_id, year, number)) STRICT;"
    "CREATE INDEX version_state ON version (state, year);"
    /* The upload and its findings apart from the version's row, so that
     * reading versions never reads through the files. */
    "CREATE TABLE version_file ("
    " version_id INTEGER PRIMARY KEY REFERENCES version(id),"
    " findings TEXT NOT NULL,"
    " file BLOB NOT NULL) STRICT;"
    "CREATE TABLE explanation ("
    " version_id INTEGER NOT NULL REFERENCES version(id),"
    " key TEXT NOT NULL,"
    " text TEXT NOT NULL,"
    " author INTEGER REFERENCES account(id),"
    " PRIMARY KEY (version_id, key)) STRICT;"
    "CREATE TABLE comment ("
    " id INTEGER PRIMARY KEY,"
    " version_id INTEGER NOT NULL REFERENCES version(id),"
    " author INTEGER REFERENCES account(id),"
    " at INTEGER NOT NULL,"
    " text TEXT NOT NULL) STRICT;"
    "CREATE INDEX comment_version ON comment (version_id, id);"
    "CREATE TABLE output ("
    " version_id INTEGER NOT NULL REFERENCES version(id),"
    " name TEXT NOT NULL,"
    " content_type TEXT NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " size INTEGER NOT NULL,"
    " data BLOB NOT NULL,"
    " PRIMARY KEY (version_id, name)) STRICT;"
    /* actor is not a reference: 0 is the command line, and the log outlives
     * what it names. */
    "CREATE TABLE audit_log ("
    " seq INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " actor INTEGER NOT NULL,"
    " action TEXT NOT NULL,"
    " entity TEXT NOT NULL,"
    " detail TEXT NOT NULL,"
    " addr TEXT NOT NULL,"
    " prev TEXT NOT NULL,"
    " hash TEXT NOT NULL) STRICT;"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
    "CREATE TABLE log_head ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " seq INTEGER NOT NULL,"
    " hash TEXT NOT NULL) STRICT;"
    "INSERT INTO log_head VALUES (1, 0,"
    " '0000000000000000000000000000000000000000000000000000000000000000');",
    /* 2: the bundle of each year (all published open data as one zip,
     * built at publication) */
    "CREATE TABLE bundle ("
    " year INTEGER PRIMARY KEY,"
    " contents TEXT NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " size INTEGER NOT NULL,"
    " built_at INTEGER NOT NULL,"
    " data BLOB NOT NULL) STRICT;",
    /* 3: the generation of what anonymous visitors see, counted up by every
     * publication, withdrawal and new department (portal caches compare it) */
    "CREATE TABLE public_generation ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " n INTEGER NOT NULL) STRICT;"
    "INSERT INTO public_generation VALUES (1, 0);",
    /* 4: the phase of each version (决算 'final', 预算 'budget'; every row
     * before it is a 决算) and a budget's approval date (批复, YYYY-MM-DD,
     * from its workbook; NULL when not given) */
    "ALTER TABLE version ADD COLUMN phase TEXT NOT NULL DEFAULT 'final'"
    " CHECK (phase IN ('final', 'budget'));"
    "ALTER TABLE version ADD COLUMN approval_date TEXT;"
    "CREATE INDEX version_phase ON version (dept_id, year, phase, state);",
    NULL,
};
