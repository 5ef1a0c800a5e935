/* The portal's commands (serve, user, dept, log) run from the portal
 * plugin, juesuan-portal.so: lib/store and lib/serve with their libraries
 * (SQLite, libpq, libsodium, libmicrohttpd and what those load: gnutls,
 * gssapi, ldap …) and the commands' own files (cmd_serve.c, cmd_user.c,
 * cmd_dept.c, cmd_log.c, store_args.c). The program itself links only
 * the core libraries, so that tables, check and build do not pay for
 * loading them. These stubs load the plugin on first use and call the
 * command in it ($JUESUAN_PORTAL names the plugin; include/juesuan/plugin.h). */
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "juesuan/plugin.h"

#define PLUGIN "juesuan-portal.so"

static int run(const char *cmd, const char *symbol, int argc, char **argv)
{
    js_diag d = {0};
    void *h = js_plugin_open(PLUGIN, "JUESUAN_PORTAL", "门户模块", &d);
    int (*fn)(int, char **) = h ? (int (*)(int, char **))(uintptr_t)js_plugin_symbol(h, PLUGIN, symbol, &d) : NULL;
    if (!fn) {
        fprintf(stderr, "juesuan %s: %s\n", cmd, d.message);
        return EXIT_IO;
    }
    return fn(argc, argv);
}

int cli_portal_serve(int argc, char **argv)
{
    return run("serve", "cmd_serve", argc, argv);
}

int cli_portal_user(int argc, char **argv)
{
    return run("user", "cmd_user", argc, argv);
}

int cli_portal_dept(int argc, char **argv)
{
    return run("dept", "cmd_dept", argc, argv);
}

int cli_portal_log(int argc, char **argv)
{
    return run("log", "cmd_log", argc, argv);
}
