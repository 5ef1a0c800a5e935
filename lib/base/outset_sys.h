/* The system calls by which outset.c changes the file system, as one table
 * of function pointers: the seam a test uses to make any of them fail
 * (fuzz/fuzz_outset.c fails the write, fsync, rename or mkdir of an
 * input-chosen step and checks that the folder then holds the previous set
 * or the new one, whole). By default they are the real calls; nothing but
 * a test changes the table, and only while no output is being written.
 * Calls that only read or clean up (stat, opendir, the removal of a
 * temporary) are not in it. */
#ifndef JS_OUTSET_SYS_H
#define JS_OUTSET_SYS_H

#include <sys/types.h>

typedef struct {
    int (*open)(const char *path, int flags, mode_t mode);
    ssize_t (*write)(int fd, const void *data, size_t len);
    int (*close)(int fd); /* a failing close must still close fd, as the real one does */
    int (*fsync)(int fd);
    int (*syncfs)(int fd);
    int (*mkdir)(const char *path, mode_t mode);
    int (*rename)(const char *from, const char *to);
    /* renameat2 with AT_FDCWD for both folders */
    int (*rename2)(const char *from, const char *to, unsigned flags);
} js_outset_sys;

/* The table outset.c calls through. */
extern js_outset_sys js_outset_calls;
/* The real calls, to restore the table or call through from a test's own. */
extern const js_outset_sys js_outset_real_calls;

#endif
