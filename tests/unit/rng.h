/* The unit tests' random numbers: xorshift64 (Marsaglia), the same
 * sequence on every run and machine, so that a failing case comes back. */
#ifndef JS_TEST_RNG_H
#define JS_TEST_RNG_H

#include <stdint.h>

static uint64_t rng = 88172645463325252ULL; /* a test may seed it otherwise */
static inline uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

#endif
