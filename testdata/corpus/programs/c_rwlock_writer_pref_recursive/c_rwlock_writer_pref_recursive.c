/* A routing table behind a writer-preferring rwlock
 * (PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP): lookup_path read-locks it
 * and calls next_hop, which read-locks it again. A route update waits for
 * the write lock in between, so the nested rdlock queues behind it: a cycle
 * (reader, writer). A later reader is only queued. */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include "truth.h"

struct route { char prefix[20]; int hop; };

static pthread_rwlock_t routes_lock;
static struct route routes[8] = {{"10.0.0.0/8", 1}, {"192.168.0.0/16", 2}};
static pthread_barrier_t holding, writer_queued;
static long reader_tid, writer_tid, late_tid;

static int next_hop(const char *prefix)
{
    int hop = -1;
    TRUTH_WAIT(&routes_lock, "read");
    pthread_rwlock_rdlock(&routes_lock);
    for (int i = 0; i < 8; i++)
        if (strcmp(routes[i].prefix, prefix) == 0)
            hop = routes[i].hop;
    pthread_rwlock_unlock(&routes_lock);
    return hop;
}

static void *lookup_path(void *arg)
{
    (void)arg;
    reader_tid = truth_tid();
    pthread_rwlock_rdlock(&routes_lock);
    TRUTH_HOLD(&routes_lock, "read");
    pthread_barrier_wait(&holding);
    pthread_barrier_wait(&writer_queued);
    int a = next_hop("10.0.0.0/8");
    int b = next_hop("192.168.0.0/16");
    pthread_rwlock_unlock(&routes_lock);
    return (void *)(long)(a + b);
}

static void *update_route(void *arg)
{
    (void)arg;
    writer_tid = truth_tid();
    TRUTH_WAIT(&routes_lock, "write");
    pthread_rwlock_wrlock(&routes_lock);
    routes[0].hop = 3;
    pthread_rwlock_unlock(&routes_lock);
    return NULL;
}

static void *late_lookup(void *arg)
{
    (void)arg;
    late_tid = truth_tid();
    return (void *)(long)next_hop("192.168.0.0/16");
}

int main(void)
{
    pthread_t r, w, l;
    pthread_rwlockattr_t attr;
    TRUTH_IDIOM("glibc rwlock with writer preference: recursive rdlock while a writer waits (cycle), plus a queued reader");
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&routes_lock, &attr);
    TRUTH_LOCK(&routes_lock, "routes_lock", "rwlock");
    pthread_barrier_init(&holding, NULL, 2);
    pthread_barrier_init(&writer_queued, NULL, 2);
    pthread_create(&r, NULL, lookup_path, NULL);
    pthread_barrier_wait(&holding);
    pthread_create(&w, NULL, update_route, NULL);
    usleep(300 * 1000);
    pthread_barrier_wait(&writer_queued);
    usleep(100 * 1000);
    pthread_create(&l, NULL, late_lookup, NULL);
    usleep(100 * 1000);
    TRUTH_CYCLE2(reader_tid, writer_tid);
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("pthread_join of the deadlocked reader");
    pthread_join(r, NULL);
    return 0;
}
