/* A helper of tests/mutation.t, not a unit test: audits many printed
 * reports in one process. Reads stdin, one tables.json document per line;
 * writes one line per document: the count of error findings, then the
 * rule ids that raised them ("2 T01-003 K-001"), or "bad MESSAGE" when the
 * document cannot be read. Usage: audit_lines DATADIR [PROFILE]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/audit.h"
#include "juesuan/profile.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: audit_lines DATADIR [PROFILE]\n");
        return 2;
    }
    js_diag d;
    memset(&d, 0, sizeof d);
    js_profile *p = js_profile_load(argv[1], argc > 2 ? argv[2] : "default", &d);
    js_ruleset *rs = p ? js_rules_load(argv[1], p, &d) : NULL;
    if (!rs) {
        fprintf(stderr, "audit_lines: %s\n", d.message);
        js_profile_free(p);
        return 3;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int status = 0;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        js_view *v = js_view_from_json("stdin", line, (size_t)n, &d);
        if (!v) {
            printf("bad %s\n", d.message);
            continue;
        }
        js_findings *f = js_findings_new();
        if (!f || js_rules_run(rs, v, f, &d) != JS_OK) {
            status = 4;
            printf("bad %s\n", f ? d.message : "out of memory");
        } else {
            printf("%zu", js_findings_by_severity(f, JS_SEV_ERROR));
            for (size_t i = 0; i < js_findings_count(f); i++)
                if (js_findings_at(f, i)->severity == JS_SEV_ERROR)
                    printf(" %s", js_findings_at(f, i)->rule);
            printf("\n");
        }
        fflush(stdout);
        js_findings_free(f);
        js_view_free(v);
    }
    free(line);
    js_rules_free(rs);
    js_profile_free(p);
    return status;
}
