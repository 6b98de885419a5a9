/* A hash table with one mutex per bucket. resize_all() locks every bucket in
 * a loop; move_entry() has an early return that unlocks and an if-branch that
 * unlocks, trims the bucket and relocks it, then wants bucket 0. The resizer
 * holds buckets 0 and 1 (same source line) and waits for bucket 2. */
#include <pthread.h>
#include <stdio.h>
#include "truth.h"

#define NBUCKETS 4
#define LIMIT 3

struct bucket {
    pthread_mutex_t lock;
    int count;
    int keys[8];
};

static struct bucket buckets[NBUCKETS];
static long resizer_tid, mover_tid;
static volatile int go_move;

static void trim(struct bucket *b) { b->count = LIMIT; }

static int move_entry(int from, int to)
{
    struct bucket *b = &buckets[from];
    pthread_mutex_lock(&b->lock);
    if (b->count == 0) {
        pthread_mutex_unlock(&b->lock);
        return 0;
    }
    if (b->count > LIMIT) {
        pthread_mutex_unlock(&b->lock);
        trim(b);
        pthread_mutex_lock(&b->lock);
        TRUTH_HOLD(&b->lock, "write");
    }
    while (!go_move)
        usleep(1000);
    int key = b->keys[--b->count];
    TRUTH_WAIT(&buckets[to].lock, "write");
    pthread_mutex_lock(&buckets[to].lock);
    buckets[to].keys[buckets[to].count++] = key;
    pthread_mutex_unlock(&buckets[to].lock);
    pthread_mutex_unlock(&b->lock);
    return 1;
}

static void *mover(void *arg)
{
    (void)arg;
    mover_tid = truth_tid();
    return (void *)(long)move_entry(2, 0);
}

static void *resize_all(void *arg)
{
    (void)arg;
    resizer_tid = truth_tid();
    for (int i = 0; i < NBUCKETS; i++) {
        TRUTH_WAIT_IF(i == 2, &buckets[i].lock, "write");
        pthread_mutex_lock(&buckets[i].lock);
        TRUTH_HOLD(&buckets[i].lock, "write");
    }
    for (int i = NBUCKETS - 1; i >= 0; i--)
        pthread_mutex_unlock(&buckets[i].lock);
    return NULL;
}

int main(void)
{
    pthread_t m, r;
    char name[32];
    TRUTH_IDIOM("C: bucket locks taken in a loop; early return that unlocks and an if-branch that unlocks then relocks");
    for (int i = 0; i < NBUCKETS; i++) {
        pthread_mutex_init(&buckets[i].lock, NULL);
        buckets[i].count = 5;
        snprintf(name, sizeof name, "buckets[%d].lock", i);
        TRUTH_LOCK(&buckets[i].lock, name, "mutex");
    }
    pthread_create(&m, NULL, mover, NULL);
    usleep(200 * 1000); /* the mover has relocked bucket 2 */
    pthread_create(&r, NULL, resize_all, NULL);
    usleep(200 * 1000); /* the resizer holds 0 and 1, waits for 2 */
    go_move = 1;
    TRUTH_CYCLE2(resizer_tid, mover_tid);
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("pthread_join of the deadlocked resizer");
    pthread_join(r, NULL);
    return 0;
}
