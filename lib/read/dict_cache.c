/* Dictionaries shared by many workbooks, loaded once per edition. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/dict.h"

#define MAX_EDITIONS 16

struct js_dict_cache {
    pthread_mutex_t lock;
    char *datadir;
    int editions[MAX_EDITIONS];
    js_dict *dicts[MAX_EDITIONS];
    int n;
};

js_dict_cache *js_dict_cache_new(const char *datadir)
{
    js_dict_cache *c = calloc(1, sizeof *c);
    if (!c || !(c->datadir = strdup(datadir))) {
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

js_dict *js_dict_cache_get(js_dict_cache *c, int edition, js_diag *d)
{
    pthread_mutex_lock(&c->lock);
    js_dict *found = NULL;
    for (int i = 0; i < c->n && !found; i++)
        if (c->editions[i] == edition)
            found = c->dicts[i];
    if (!found && c->n == MAX_EDITIONS)
        js_diag_set(d, JS_E_LIMIT, NULL, 0, 0, NULL, "科目表版本超过 %d 个", MAX_EDITIONS);
    else if (!found && (found = js_dict_load(c->datadir, edition, d))) {
        c->editions[c->n] = edition;
        c->dicts[c->n++] = found;
    }
    pthread_mutex_unlock(&c->lock);
    return found;
}

void js_dict_cache_free(js_dict_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n; i++)
        js_dict_free(c->dicts[i]);
    pthread_mutex_destroy(&c->lock);
    free(c->datadir);
    free(c);
}
