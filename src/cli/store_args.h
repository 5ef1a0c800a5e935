/* The store's commands (cmd_user.c, cmd_dept.c, cmd_log.c): options,
 * opening the store of --db, reading passwords. */
#ifndef JS_CLI_STORE_ARGS_H
#define JS_CLI_STORE_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "juesuan/limits.h"
#include "juesuan/store.h"

#define CLI_DEFAULT_DB "juesuan.db"
/* A password line: the limit, its line end and the NUL. */
#define CLI_PASSWORD_MAX (JS_MAX_PASSWORD_BYTES + 2)

/* One option: "--name VALUE" / "--name=VALUE" into *value, or a flag. */
typedef struct {
    const char *name;
    const char **value;
    bool *flag;
} cli_store_opt;

/* Parses argv[1..] against opts (ended by a zero entry); arguments that are
 * not options go to pos (at most maxpos). Returns EXIT_OK or prints a usage
 * error for cmd and returns EXIT_USAGE. */
int cli_store_args(const char *cmd, int argc, char **argv, const cli_store_opt *opts,
                   const char **pos, int maxpos, int *npos);

/* The store at url (NULL: CLI_DEFAULT_DB); NULL with *exit_code set and
 * the reason printed when it cannot be opened. */
js_store *cli_store_open(const char *url, int *exit_code);

/* Prints a store failure; returns its exit code (the store's refusals,
 * conflicts and unknown names are bad input, 3). */
int cli_store_fail(const js_diag *d);

/* Reads a password into buf (n bytes, at least CLI_PASSWORD_MAX): one line
 * of standard input, or typed at the terminal without echo (twice when
 * confirm). Never from the command line. Returns an exit code. */
int cli_read_password(const char *cmd, bool from_stdin, bool confirm, char *buf, size_t n);

#endif
