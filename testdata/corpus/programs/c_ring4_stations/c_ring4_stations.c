/* A conveyor of four stations (structs with their own mutex, in an array):
 * each station's thread locks its station and hands its part to the next;
 * the last hands to the first. A cycle of four threads. */
#include <pthread.h>
#include <stdio.h>
#include "truth.h"

#define NSTATIONS 4

struct station {
    char name[12];
    pthread_mutex_t mu;
    int parts;
    long tid;
};

static struct station line[NSTATIONS] = {
    {"cut", PTHREAD_MUTEX_INITIALIZER, 1, 0}, {"drill", PTHREAD_MUTEX_INITIALIZER, 1, 0},
    {"paint", PTHREAD_MUTEX_INITIALIZER, 1, 0}, {"pack", PTHREAD_MUTEX_INITIALIZER, 1, 0},
};
static pthread_barrier_t shift_start;

static void receive(struct station *s)
{
    TRUTH_WAIT(&s->mu, "write");
    pthread_mutex_lock(&s->mu);
    s->parts++;
    pthread_mutex_unlock(&s->mu);
}

static void *operate(void *arg)
{
    struct station *s = arg;
    struct station *next = &line[(s - line + 1) % NSTATIONS];
    __atomic_store_n(&s->tid, truth_tid(), __ATOMIC_SEQ_CST);
    pthread_mutex_lock(&s->mu);
    TRUTH_HOLD(&s->mu, "write");
    pthread_barrier_wait(&shift_start);
    s->parts--;
    receive(next);
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int main(void)
{
    pthread_t t[NSTATIONS];
    char name[32];
    TRUTH_IDIOM("C: four threads, each locks line[i].mu then line[i+1].mu (a cycle of four)");
    pthread_barrier_init(&shift_start, NULL, NSTATIONS);
    for (int i = 0; i < NSTATIONS; i++) {
        snprintf(name, sizeof name, "line[%d].mu", i);
        TRUTH_LOCK(&line[i].mu, name, "mutex");
    }
    for (int i = 0; i < NSTATIONS; i++)
        pthread_create(&t[i], NULL, operate, &line[i]);
    for (int i = 0; i < NSTATIONS; i++)
        while (!__atomic_load_n(&line[i].tid, __ATOMIC_SEQ_CST))
            usleep(1000);
    /* station i's thread waits for station i+1, held by the next thread */
    TRUTH_CYCLE4(line[0].tid, line[1].tid, line[2].tid, line[3].tid);
    TRUTH_DEADLOCK(1);
    truth_ready();
    for (;;)
        sleep(3600);
}
