/* Work run on a thread of its own beside the caller's (the second half of
 * a big input), or by the caller itself when no thread can be started. */
#ifndef JS_BESIDE_H
#define JS_BESIDE_H

#include <pthread.h>
#include <stdbool.h>

typedef struct {
    void *(*fn)(void *);
    void *arg;
    pthread_t thread;
    bool started;
} js_beside;

/* Whether big inputs are split in halves for a second thread (the
 * default). Off, they are read and summed in one piece on the caller's
 * thread: what one core does, for measuring it. Set before work starts. */
void js_beside_halves(bool on);
bool js_beside_halves_on(void);

/* Starts fn(arg) on a thread; thread false (too little work to be worth
 * one) leaves it to js_beside_finish. */
void js_beside_start(js_beside *b, void *(*fn)(void *), void *arg, bool thread);
/* Waits for it, or runs it now if it could not be started. */
void js_beside_finish(js_beside *b);

#endif
