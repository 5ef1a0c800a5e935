/* See beside.h. */
#include "beside.h"

static bool halves = true;

void js_beside_halves(bool on) { halves = on; }
bool js_beside_halves_on(void) { return halves; }

void js_beside_start(js_beside *b, void *(*fn)(void *), void *arg, bool thread)
{
    b->fn = fn;
    b->arg = arg;
    b->started = thread && pthread_create(&b->thread, NULL, fn, arg) == 0;
}

void js_beside_finish(js_beside *b)
{
    if (b->started)
        pthread_join(b->thread, NULL);
    else
        b->fn(b->arg);
}
