/* A config snapshot behind a default rwlock: reload() write-locks it for 45 s
 * (fetching from a slow remote); two readers (rdlock) and a second reloader
 * (wrlock) wait. Everybody will run: no cycle. */
#include <pthread.h>
#include "truth.h"

struct config {
    pthread_rwlock_t rw;
    int version;
    char dsn[64];
};

static struct config cfg = {PTHREAD_RWLOCK_INITIALIZER, 1, "db://primary"};

static void *reload(void *arg)
{
    long slow = (long)arg;
    if (!slow)
        TRUTH_NOTSTUCK("the first reload unlocks after 45 s");
    TRUTH_WAIT_IF(!slow, &cfg.rw, "write");
    pthread_rwlock_wrlock(&cfg.rw);
    TRUTH_HOLD_IF(slow, &cfg.rw, "write");
    if (slow)
        sleep(45);
    cfg.version++;
    pthread_rwlock_unlock(&cfg.rw);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    TRUTH_NOTSTUCK("the reload unlocks after 45 s");
    TRUTH_WAIT(&cfg.rw, "read");
    pthread_rwlock_rdlock(&cfg.rw);
    int v = cfg.version;
    pthread_rwlock_unlock(&cfg.rw);
    return (void *)(long)v;
}

int main(void)
{
    pthread_t t[4];
    TRUTH_IDIOM("rwlock in a core: a writer holds it for 45 s, rdlock and wrlock waiters queued; no cycle");
    TRUTH_LOCK(&cfg.rw, "cfg.rw", "rwlock");
    pthread_create(&t[0], NULL, reload, (void *)1L);
    usleep(200 * 1000);
    pthread_create(&t[1], NULL, reader, NULL);
    pthread_create(&t[2], NULL, reload, (void *)0L);
    pthread_create(&t[3], NULL, reader, NULL);
    TRUTH_DEADLOCK(0);
    truth_ready();
    for (;;)
        pause();
}
