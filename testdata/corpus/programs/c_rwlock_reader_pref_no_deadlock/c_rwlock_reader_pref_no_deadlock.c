/* The same nested read lock as a writer-preferring table, but on a default
 * glibc rwlock (readers preferred): the nested rdlock and a later reader get
 * in past the waiting writer. The report then sleeps 45 s holding its reads;
 * the writer waits and will get the lock. No cycle. */
#include <pthread.h>
#include "truth.h"

static pthread_rwlock_t prices_lock = PTHREAD_RWLOCK_INITIALIZER;
static int prices[16];
static pthread_barrier_t holding, writer_queued;

static int price_of(int sku)
{
    pthread_rwlock_rdlock(&prices_lock);
    TRUTH_HOLD(&prices_lock, "read");
    int p = prices[sku % 16];
    if (sku == 7)
        sleep(45); /* a slow currency conversion, lock held */
    pthread_rwlock_unlock(&prices_lock);
    return p;
}

static void *report(void *arg)
{
    (void)arg;
    pthread_rwlock_rdlock(&prices_lock);
    TRUTH_HOLD(&prices_lock, "read");
    pthread_barrier_wait(&holding);
    pthread_barrier_wait(&writer_queued);
    int total = price_of(7);
    pthread_rwlock_unlock(&prices_lock);
    return (void *)(long)total;
}

static void *reprice(void *arg)
{
    (void)arg;
    TRUTH_NOTSTUCK("the readers release within 45 s; readers are preferred, no cycle");
    TRUTH_WAIT(&prices_lock, "write");
    pthread_rwlock_wrlock(&prices_lock);
    for (int i = 0; i < 16; i++)
        prices[i] += 1;
    pthread_rwlock_unlock(&prices_lock);
    return NULL;
}

static void *browse(void *arg)
{
    (void)arg;
    return (void *)(long)price_of(7);
}

int main(void)
{
    pthread_t r, w, b;
    TRUTH_IDIOM("default glibc rwlock (reader preference): recursive rdlock with a writer waiting succeeds; no cycle");
    TRUTH_LOCK(&prices_lock, "prices_lock", "rwlock");
    pthread_barrier_init(&holding, NULL, 2);
    pthread_barrier_init(&writer_queued, NULL, 2);
    pthread_create(&r, NULL, report, NULL);
    pthread_barrier_wait(&holding);
    pthread_create(&w, NULL, reprice, NULL);
    usleep(300 * 1000);
    pthread_barrier_wait(&writer_queued);
    pthread_create(&b, NULL, browse, NULL);
    TRUTH_DEADLOCK(0);
    truth_ready();
    TRUTH_NOTSTUCK("joins the report, which returns after 45 s");
    pthread_join(r, NULL);
    pthread_join(w, NULL);
    pthread_join(b, NULL);
    return 0;
}
