/* The auditor locks the global log_lock directly and then the database
 * through lock_it(); the committer takes the database through lock_it() and
 * then logs, locking log_lock. A helper that locks its parameter hides which
 * lock each thread waits for. */
#include <pthread.h>
#include <stdio.h>
#include "truth.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t db_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t crossing;
static long auditor_tid, committer_tid;
static char log_buf[256];
static int db_rows;

static void lock_it(pthread_mutex_t *l) { pthread_mutex_lock(l); }
enum { LOCK_IT_LINE = __LINE__ - 1 };

static void write_record(int row)
{
    TRUTH_WAIT_AT(&db_lock, "write", LOCK_IT_LINE);
    lock_it(&db_lock);
    db_rows += row;
    pthread_mutex_unlock(&db_lock);
}

static void log_line(const char *msg)
{
    TRUTH_WAIT(&log_lock, "write");
    pthread_mutex_lock(&log_lock);
    snprintf(log_buf, sizeof log_buf, "%s", msg);
    pthread_mutex_unlock(&log_lock);
}

static void *auditor(void *arg)
{
    (void)arg;
    auditor_tid = truth_tid();
    pthread_mutex_lock(&log_lock);
    TRUTH_HOLD(&log_lock, "write");
    pthread_barrier_wait(&crossing);
    write_record(1);
    pthread_mutex_unlock(&log_lock);
    return NULL;
}

static void *committer(void *arg)
{
    (void)arg;
    committer_tid = truth_tid();
    lock_it(&db_lock);
    TRUTH_HOLD(&db_lock, "write");
    pthread_barrier_wait(&crossing);
    log_line("commit 42");
    pthread_mutex_unlock(&db_lock);
    return NULL;
}

int main(void)
{
    pthread_t a, c;
    TRUTH_IDIOM("C: a global locked directly in one function, lock_it(&db_lock) helper in the other");
    TRUTH_LOCK(&log_lock, "log_lock", "mutex");
    TRUTH_LOCK(&db_lock, "db_lock", "mutex");
    pthread_barrier_init(&crossing, NULL, 2);
    pthread_create(&a, NULL, auditor, NULL);
    pthread_create(&c, NULL, committer, NULL);
    usleep(200 * 1000);
    TRUTH_CYCLE2(auditor_tid, committer_tid);
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("pthread_join of the deadlocked committer");
    pthread_join(c, NULL);
    return 0;
}
