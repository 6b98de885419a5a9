/* A PTHREAD_MUTEX_RECURSIVE mutex taken again by the thread that holds it
 * does not block: compact() locks the index and calls rebuild(), which locks
 * the same index again and then sleeps 45 s with it held twice. A reader
 * waits for the index (it will get it). A second thread does the same with a
 * recursive journal mutex, taken three times through recursion, while a
 * writer waits. No cycle: nothing here deadlocks. */
#include <pthread.h>
#include <stdio.h>
#include "truth.h"

static pthread_mutex_t index_lock;
static pthread_mutex_t journal_lock;
static int index_pages, journal_depth;
static long compactor_tid, replayer_tid;

static void rebuild(void)
{
    pthread_mutex_lock(&index_lock);
    TRUTH_HOLD(&index_lock, "write");
    index_pages = 0;
    sleep(45);
    pthread_mutex_unlock(&index_lock);
}

static void *compact(void *arg)
{
    (void)arg;
    compactor_tid = truth_tid();
    pthread_mutex_lock(&index_lock);
    TRUTH_HOLD(&index_lock, "write");
    rebuild();
    pthread_mutex_unlock(&index_lock);
    return NULL;
}

static void replay(int depth)
{
    pthread_mutex_lock(&journal_lock);
    TRUTH_HOLD(&journal_lock, "write");
    journal_depth = depth;
    if (depth < 3)
        replay(depth + 1);
    else
        sleep(45);
    pthread_mutex_unlock(&journal_lock);
}

static void *replayer(void *arg)
{
    (void)arg;
    replayer_tid = truth_tid();
    replay(1);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    TRUTH_NOTSTUCK("the compactor releases the recursive index lock after 45 s");
    TRUTH_WAIT(&index_lock, "write");
    pthread_mutex_lock(&index_lock);
    pthread_mutex_unlock(&index_lock);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    TRUTH_NOTSTUCK("the replayer releases the recursive journal lock after 45 s");
    TRUTH_WAIT(&journal_lock, "write");
    pthread_mutex_lock(&journal_lock);
    journal_depth = 0;
    pthread_mutex_unlock(&journal_lock);
    return NULL;
}

int main(void)
{
    pthread_t c, rp, rd, wr;
    pthread_mutexattr_t attr;
    TRUTH_IDIOM("C: PTHREAD_MUTEX_RECURSIVE re-taken by its holder (nested call, recursion): waiters, no cycle");
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&index_lock, &attr);
    pthread_mutex_init(&journal_lock, &attr);
    TRUTH_LOCK(&index_lock, "index_lock", "mutex");
    TRUTH_LOCK(&journal_lock, "journal_lock", "mutex");
    pthread_create(&c, NULL, compact, NULL);
    pthread_create(&rp, NULL, replayer, NULL);
    usleep(200 * 1000);
    pthread_create(&rd, NULL, reader, NULL);
    pthread_create(&wr, NULL, writer, NULL);
    TRUTH_DEADLOCK(0);
    truth_ready();
    pause();
    return 0;
}
