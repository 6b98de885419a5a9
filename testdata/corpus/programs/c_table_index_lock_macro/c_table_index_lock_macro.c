/* A table of slots, each with its own mutex, reached by index: the link
 * functions take plain ints and lock &tbl[i].lock through the LOCK() macro,
 * which checks pthread_mutex_lock's result. Two threads link slots 2 and 5
 * in opposite directions. No pointer to a slot is ever a parameter. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "truth.h"

#define LOCK(m) do { if (pthread_mutex_lock(m) != 0) abort(); } while (0)
#define UNLOCK(m) pthread_mutex_unlock(m)

struct slot {
    int id;
    int next;
    pthread_mutex_t lock;
};

static struct slot tbl[8];
static pthread_barrier_t crossing;
static long tids[2];

static void set_prev(int to, int from)
{
    TRUTH_WAIT(&tbl[to].lock, "write");
    LOCK(&tbl[to].lock);
    tbl[to].next = -from;
    UNLOCK(&tbl[to].lock);
}

static void link_slots(int from, int to)
{
    LOCK(&tbl[from].lock);
    TRUTH_HOLD(&tbl[from].lock, "write");
    tbl[from].next = to;
    pthread_barrier_wait(&crossing);
    set_prev(to, from);
    UNLOCK(&tbl[from].lock);
}

static void *linker(void *arg)
{
    int which = (int)(long)arg;
    tids[which] = truth_tid();
    if (which == 0)
        link_slots(2, 5);
    else
        link_slots(5, 2);
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    char name[32];
    TRUTH_IDIOM("C: mutexes inside an array of structs reached by index (&tbl[i].lock) through a LOCK() macro; int parameters only");
    for (int i = 0; i < 8; i++) {
        tbl[i].id = i;
        pthread_mutex_init(&tbl[i].lock, NULL);
        snprintf(name, sizeof name, "tbl[%d].lock", i);
        if (i == 2 || i == 5)
            TRUTH_LOCK(&tbl[i].lock, name, "mutex");
    }
    pthread_barrier_init(&crossing, NULL, 2);
    for (long i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, linker, (void *)i);
    usleep(200 * 1000);
    TRUTH_CYCLE2(tids[0], tids[1]);
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("pthread_join of a deadlocked linker");
    pthread_join(t[0], NULL);
    return 0;
}
