/* What several handlers need about a version: whether the user may see
 * it, and its department's statutory period of publication. */
#include <stdio.h>
#include <string.h>

#include "juesuan/profile.h"
#include "serve_internal.h"

bool version_for(js_req *r, int i, js_store_version *v, js_store_dept *dept)
{
    int64_t id;
    js_diag d = {0};
    memset(v, 0, sizeof *v);
    memset(dept, 0, sizeof *dept);
    if (i >= r->nparam || !parse_id(r->param[i], &id) || js_store_version_get(r->store, id, v, &d) != JS_OK) {
        page_fail_text(r, 404, T_ERR_NO_VERSION);
        return false;
    }
    char code[32];
    snprintf(code, sizeof code, "%lld", (long long)v->dept_id);
    bool staff = r->user.roles & (JS_ROLE_REVIEWER | JS_ROLE_PUBLISHER);
    if ((!staff && r->user.dept_id != v->dept_id) || js_store_dept_get(r->store, code, dept, &d) != JS_OK) {
        js_store_version_free(v);
        memset(v, 0, sizeof *v);
        page_fail_text(r, 404, T_ERR_NO_VERSION);
        return false;
    }
    return true;
}

int publication_days(js_server *s, const char *profile)
{
    int days = 20;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->nperiods; i++)
        if (!strcmp(s->periods[i].name, profile)) {
            days = s->periods[i].days;
            pthread_mutex_unlock(&s->lock);
            return days;
        }
    pthread_mutex_unlock(&s->lock);
    js_profile *p = js_profile_load(s->datadir, profile, NULL);
    if (p) {
        days = js_profile_publication_days(p);
        js_profile_free(p);
    }
    pthread_mutex_lock(&s->lock);
    if (s->nperiods < sizeof s->periods / sizeof s->periods[0] && strlen(profile) < sizeof s->periods[0].name) {
        snprintf(s->periods[s->nperiods].name, sizeof s->periods[0].name, "%s", profile);
        s->periods[s->nperiods++].days = days;
    }
    pthread_mutex_unlock(&s->lock);
    return days;
}
