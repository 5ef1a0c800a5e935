/* Whole-file reads with a size cap (declared in the public output.h). */
#ifndef JS_FILEIO_H
#define JS_FILEIO_H

#include "juesuan/output.h"

#endif
