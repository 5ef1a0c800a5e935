/* A profile's column aliases applied to parsed rules (see rules_ast.h):
 * rules written with an ancestor's column names read this layout's
 * columns, so a layout that only renames columns inherits its ancestor's
 * rules and narrative figures instead of holding copies of them. */
#include <string.h>

#include "rules_ast.h"

bool js_rules_alias_node(js_arena *a, node *n, const char *table, const js_profile *p)
{
    if (!n)
        return true;
    if (n->kind == N_CELL || n->kind == N_SUM)
        table = n->table;
    if (n->col && table && (n->kind == N_CELL || n->kind == N_SUM || n->kind == N_BARE)) {
        const char *alias = js_profile_column_alias(p, table, n->col);
        if (alias && !(n->col = js_arena_strdup(a, alias)))
            return false;
    }
    return js_rules_alias_node(a, n->l, table, p) && js_rules_alias_node(a, n->r, table, p);
}

bool js_rules_apply_aliases(js_ruleset *rs, const js_profile *p)
{
    for (size_t i = 0; i < rs->n; i++) {
        rule *r = &rs->rules[i];
        const char *table = r->form == FORM_PLAIN ? NULL : r->table;
        if (!js_rules_alias_node(&rs->arena, r->lhs, table, p) || !js_rules_alias_node(&rs->arena, r->rhs, table, p))
            return false;
        if (r->form == FORM_REQUIRE && r->src_col) {
            const char *alias = js_profile_column_alias(p, r->src, r->src_col);
            if (alias && !(r->src_col = js_arena_strdup(&rs->arena, alias)))
                return false;
        }
    }
    return true;
}
