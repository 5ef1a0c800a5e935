/* Shared pieces of the juesuan command-line front end. */
#ifndef JS_CLI_H
#define JS_CLI_H

#include <stdbool.h>

#include "juesuan/juesuan.h"

/* Exit codes, declared once (see `juesuan help`). */
enum {
    EXIT_OK = 0,
    EXIT_FINDINGS = 1,
    EXIT_USAGE = 2,
    EXIT_BADINPUT = 3,
    EXIT_IO = 4
};

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *usage; /* full help text */
} cli_command;

extern const cli_command cli_commands[];

/* Options shared by the commands that read a workbook. */
typedef struct {
    const char *workbook;
    const char *profile;
    const char *unit;
    const char *format;
    const char *output;
    const char *datadir;
    const char *only;  /* --only: the outputs to write (build) */
    const char *jobs;  /* --jobs: worker threads of batch mode */
    const char *approved;  /* --approved: the date of the finance bureau's approval (score) */
    const char *published; /* --published: the publication date (score) */
    bool force;        /* --force */
    bool draft;        /* --draft */
    bool quiet;        /* --quiet, -q: no progress, no path printed on success */
    bool verbose;      /* --verbose, -v: what each step gave (batch: each department) */
} cli_opts;

/* Parses argv[1..] into o; returns false after printing a usage error.
 * `allowed` lists the option letters the command takes ("pufodFDqv"; F is
 * --force, D --draft, q --quiet and v --verbose, the options without a
 * value; -q and -v together are a usage error). */
bool cli_parse(int argc, char **argv, const char *cmd, const char *allowed, cli_opts *o);

/* The data directory: --data, $JUESUAN_DATA, next to the executable
 * (../data, ../share/juesuan), or the build-time default. */
const char *cli_datadir(const cli_opts *o);

/* Prints a diagnostic as "juesuan: message" and returns its exit code. */
int cli_fail(const js_diag *d);
int cli_exit_code(js_status st);
/* Prints a usage error for cmd and returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Opens the run of o's workbook (a usage error for cmd when o names none)
 * with what it may share; returns an exit code, *s and *r set on success. */
int cli_open(const char *cmd, const cli_opts *o, js_run_shared **s, js_run **r);
void cli_close(js_run_shared *s, js_run *r);
/* Writes out to path atomically, or to stdout when path is NULL or "-";
 * returns an exit code. */
int cli_emit(const char *path, const js_buf *out);
/* Whether an output path names standard output ("-"). */
bool cli_is_stdout(const char *path);
/* The usage error for "-o -" where the output is a folder. */
int cli_folder_not_stdout(const char *cmd);

/* Batch mode (batch.c): checks (cmd "check") or builds (cmd "build", into
 * o->output, the outputs kinds) every workbook of the folder o->workbook;
 * returns the exit code. */
int cli_batch(const char *cmd, const cli_opts *o, unsigned kinds);

int cmd_check(int argc, char **argv);
/* `check DIR` over a folder of published reports (reports.c); the exit code. */
int cli_reports(const cli_opts *o, bool json);
int cmd_convert(int argc, char **argv);
int cmd_read(int argc, char **argv);
/* Writes a workbook folder (NULL: the template) as .xlsx at path, atomically
 * ("-": to standard output). */
int cli_write_xlsx(const char *folder, const char *path);
int cmd_tables(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_help(int argc, char **argv);
/* The portal's commands, in the portal plugin (juesuan-portal.so, built
 * from lib/store, lib/serve and cmd_serve.c, cmd_user.c, cmd_dept.c,
 * cmd_log.c, store_args.c): the server, and the store's accounts,
 * departments and audit log. The program calls them through the stubs
 * cli_portal_* (portal.c), which load the plugin. */
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_dept(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cli_portal_serve(int argc, char **argv);
int cli_portal_user(int argc, char **argv);
int cli_portal_dept(int argc, char **argv);
int cli_portal_log(int argc, char **argv);

#endif
