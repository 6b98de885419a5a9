/* truth.h: shared by every C and C++ program of the corpus (each program's
 * directory holds a symlink to it). Prints the program's own ground truth as
 * TRUTH lines on stdout, one write(2) per line. Task ids are LWPs (gettid).
 * TRUTH_HOLD goes on the line just below the call that took the lock,
 * TRUTH_WAIT (and STUCK/NOTSTUCK/BEHIND) on the line just above the call
 * that blocks. */
#ifndef CORPUS_TRUTH_H
#define CORPUS_TRUTH_H
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static inline long truth_tid(void) { return (long)syscall(SYS_gettid); }

static inline void truth_printf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1) n = (int)sizeof buf - 1;
    if (write(1, buf, (size_t)n) < 0) { /* nothing to do */ }
}

static inline const char *truth_base(const char *f)
{
    const char *s = strrchr(f, '/');
    return s ? s + 1 : f;
}

static inline void truth_note(const char *what, const void *lock, const char *mode,
                              const char *file, int line)
{
    truth_printf("TRUTH %s task=%ld addr=%p mode=%s file=%s line=%d\n", what, truth_tid(),
                 lock, mode, truth_base(file), line);
}

static inline void truth_task(const char *what, const char *reason, const char *file, int line)
{
    truth_printf("TRUTH %s task=%ld file=%s line=%d reason=%s\n", what, truth_tid(),
                 truth_base(file), line, reason);
}

#define TRUTH_IDIOM(s) truth_printf("TRUTH idiom %s\n", (s))
#define TRUTH_DEADLOCK(d) truth_printf("TRUTH deadlock %s\n", (d) ? "true" : "false")
#define TRUTH_LOCK(p, name, kind) \
    truth_printf("TRUTH lock addr=%p kind=%s name=%s\n", (const void *)(p), (kind), (name))
#define TRUTH_HOLD(p, mode) truth_note("hold", (const void *)(p), (mode), __FILE__, __LINE__ - 1)
#define TRUTH_WAIT(p, mode) truth_note("wait", (const void *)(p), (mode), __FILE__, __LINE__ + 1)
/* A wait in a helper shared with non-blocking callers: line given. */
#define TRUTH_WAIT_AT(p, mode, line) truth_note("wait", (const void *)(p), (mode), __FILE__, (line))
/* Only when cond holds (code shared by a task that blocks and one that does not). */
#define TRUTH_WAIT_IF(cond, p, mode) \
    do { if (cond) truth_note("wait", (const void *)(p), (mode), __FILE__, __LINE__ + 1); } while (0)
#define TRUTH_HOLD_IF(cond, p, mode) \
    do { if (cond) truth_note("hold", (const void *)(p), (mode), __FILE__, __LINE__ - 1); } while (0)
#define TRUTH_HOLD_AT(p, mode, line) truth_note("hold", (const void *)(p), (mode), __FILE__, (line))
#define TRUTH_STUCK(reason) truth_task("stuck", (reason), __FILE__, __LINE__ + 1)
#define TRUTH_NOTSTUCK(reason) truth_task("notstuck", (reason), __FILE__, __LINE__ + 1)
#define TRUTH_BEHIND(reason) truth_task("behind", (reason), __FILE__, __LINE__ + 1)
#define TRUTH_CYCLE2(a, b) truth_printf("TRUTH cycle %ld %ld\n", (long)(a), (long)(b))
#define TRUTH_CYCLE3(a, b, c) truth_printf("TRUTH cycle %ld %ld %ld\n", (long)(a), (long)(b), (long)(c))
#define TRUTH_CYCLE4(a, b, c, d) \
    truth_printf("TRUTH cycle %ld %ld %ld %ld\n", (long)(a), (long)(b), (long)(c), (long)(d))
#define TRUTH_CYCLE1(a) truth_printf("TRUTH cycle %ld\n", (long)(a))

/* Let the threads that announced a wait reach it, then say so. */
static inline void truth_ready(void)
{
    usleep(500 * 1000);
    truth_printf("READY\n");
}
#endif
