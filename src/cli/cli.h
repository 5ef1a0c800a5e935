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
    bool force;        /* --force */
    bool draft;        /* --draft */
} cli_opts;

/* Parses argv[1..] into o; returns false after printing a usage error.
 * `allowed` lists the option letters the command takes ("pufodFD"; F is
 * --force and D --draft, the options without a value). */
bool cli_parse(int argc, char **argv, const char *cmd, const char *allowed, cli_opts *o);

/* The data directory: --data, $JUESUAN_DATA, next to the executable
 * (../data, ../share/juesuan), or the build-time default. */
const char *cli_datadir(const cli_opts *o);

/* Prints a diagnostic as "juesuan: message" and returns its exit code. */
int cli_fail(const js_diag *d);
int cli_exit_code(js_status st);
/* Prints a usage error for cmd and returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Loads the workbook and profile and compiles the tables named by o (a
 * usage error for cmd when o names no workbook). Returns an exit code; on
 * success *wb, *p and *ts are set. */
int cli_compile(const char *cmd, const cli_opts *o, js_workbook **wb, js_profile **p,
                js_tableset **ts);
void cli_compile_free(js_workbook *wb, js_profile *p, js_tableset *ts);

/* Runs the workbook checks and the rules over compiled tables into f.
 * Returns an exit code (EXIT_OK when the audit ran, whatever it found).
 * When report is not NULL it receives the report the audit built (to find
 * the narrative's gaps), for the outputs to use; the caller frees it. */
int cli_audit(const js_workbook *wb, const js_profile *p, const js_tableset *ts, const cli_opts *o,
              js_findings *f, js_report **report);

/* The same with a loaded rule set: a status, d filled on failure. */
js_status cli_audit_with(const js_workbook *wb, const js_profile *p, const js_ruleset *rs, const js_tableset *ts,
                         const char *datadir, js_findings *f, js_report **report, js_diag *d);
/* Writes every output o asks for (--only) of compiled tables into dir, all
 * or nothing (cmd_build.c). report: the audit's report, used unless a
 * draft is asked for (NULL: built here); it is not freed. */
js_status cli_write_outputs(const cli_opts *o, const char *dir, const js_workbook *wb, const js_profile *p,
                            js_tableset *ts, const js_findings *f, js_report *report, js_diag *d);

/* Batch mode (batch.c): is path a folder of workbooks (no department.csv
 * of its own)? */
bool cli_is_batch(const char *path);
/* Checks (cmd "check") or builds (cmd "build", into o->output) every
 * workbook of the folder o->workbook; returns the exit code. */
int cli_batch(const char *cmd, const cli_opts *o);

int cmd_check(int argc, char **argv);
int cmd_convert(int argc, char **argv);
/* Writes a workbook folder (NULL: the template) as .xlsx at path, atomically. */
int cli_write_xlsx(const char *folder, const char *path);
int cmd_tables(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_help(int argc, char **argv);

#endif
