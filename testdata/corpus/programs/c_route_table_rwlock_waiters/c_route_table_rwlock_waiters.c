/* rebuild() write-locks the route table and then wants the stats mutex;
 * collect() holds the stats mutex and read-locks the table: a cycle. Two
 * lookups (rdlock) and a compaction (wrlock) wait on the same rwlock without
 * being part of it. The core holds the owners: __cur_writer, __owner. */
#include <pthread.h>
#include "truth.h"

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static int table[32], hits[32];
static pthread_barrier_t both;
static long tids[5];

static void bump_stats(int slot)
{
    TRUTH_WAIT(&stats_lock, "write");
    pthread_mutex_lock(&stats_lock);
    hits[slot]++;
    pthread_mutex_unlock(&stats_lock);
}

static void *rebuild(void *arg)
{
    (void)arg;
    tids[0] = truth_tid();
    pthread_rwlock_wrlock(&table_lock);
    TRUTH_HOLD(&table_lock, "write");
    pthread_barrier_wait(&both);
    for (int i = 0; i < 32; i++)
        table[i] = i * 2;
    bump_stats(0);
    pthread_rwlock_unlock(&table_lock);
    return NULL;
}

static void *collect(void *arg)
{
    (void)arg;
    tids[1] = truth_tid();
    pthread_mutex_lock(&stats_lock);
    TRUTH_HOLD(&stats_lock, "write");
    pthread_barrier_wait(&both);
    usleep(100 * 1000);
    TRUTH_WAIT(&table_lock, "read");
    pthread_rwlock_rdlock(&table_lock);
    int sum = 0;
    for (int i = 0; i < 32; i++)
        sum += table[i] * hits[i];
    pthread_rwlock_unlock(&table_lock);
    pthread_mutex_unlock(&stats_lock);
    return (void *)(long)sum;
}

static void *lookup(void *arg)
{
    long slot = (long)arg;
    TRUTH_WAIT(&table_lock, "read");
    pthread_rwlock_rdlock(&table_lock);
    int v = table[slot];
    pthread_rwlock_unlock(&table_lock);
    return (void *)(long)v;
}

static void *compact(void *arg)
{
    (void)arg;
    TRUTH_WAIT(&table_lock, "write");
    pthread_rwlock_wrlock(&table_lock);
    table[31] = 0;
    pthread_rwlock_unlock(&table_lock);
    return NULL;
}

int main(void)
{
    pthread_t t[5];
    TRUTH_IDIOM("rwlock in a core: a writer holding it waits for a mutex whose owner waits to read; more rdlock and wrlock waiters");
    TRUTH_LOCK(&table_lock, "table_lock", "rwlock");
    TRUTH_LOCK(&stats_lock, "stats_lock", "mutex");
    pthread_barrier_init(&both, NULL, 2);
    pthread_create(&t[0], NULL, rebuild, NULL);
    pthread_create(&t[1], NULL, collect, NULL);
    usleep(300 * 1000);
    pthread_create(&t[2], NULL, lookup, (void *)3L);
    pthread_create(&t[3], NULL, compact, NULL);
    pthread_create(&t[4], NULL, lookup, (void *)9L);
    TRUTH_CYCLE2(tids[0], tids[1]);
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("pthread_join of the deadlocked rebuild");
    pthread_join(t[0], NULL);
    return 0;
}
