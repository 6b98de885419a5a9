/* A print spooler: the flusher locks every slot in a loop and holds them
 * through a 45 s write to the printer; a submitter waits for slot 1 and the
 * status poller waits for slot 3 through a lock helper. Both will run. */
#include <pthread.h>
#include <stdio.h>
#include "truth.h"

#define NSLOTS 4

struct slot {
    pthread_mutex_t lock;
    char doc[32];
};

static struct slot spool[NSLOTS];

static void lock_slot(struct slot *s) { pthread_mutex_lock(&s->lock); }
enum { LOCK_SLOT_LINE = __LINE__ - 1 };

static void *flusher(void *arg)
{
    (void)arg;
    for (int i = 0; i < NSLOTS; i++) {
        pthread_mutex_lock(&spool[i].lock);
        TRUTH_HOLD(&spool[i].lock, "write");
    }
    sleep(45); /* the printer is slow */
    for (int i = 0; i < NSLOTS; i++)
        pthread_mutex_unlock(&spool[i].lock);
    return NULL;
}

static void *submitter(void *arg)
{
    (void)arg;
    TRUTH_NOTSTUCK("the flusher unlocks every slot after 45 s");
    TRUTH_WAIT(&spool[1].lock, "write");
    pthread_mutex_lock(&spool[1].lock);
    snprintf(spool[1].doc, sizeof spool[1].doc, "invoice.pdf");
    pthread_mutex_unlock(&spool[1].lock);
    return NULL;
}

static void *poller(void *arg)
{
    (void)arg;
    TRUTH_NOTSTUCK("the flusher unlocks every slot after 45 s");
    TRUTH_WAIT_AT(&spool[3].lock, "write", LOCK_SLOT_LINE);
    lock_slot(&spool[3]);
    int busy = spool[3].doc[0] != 0;
    pthread_mutex_unlock(&spool[3].lock);
    return (void *)(long)busy;
}

int main(void)
{
    pthread_t f, s, p;
    char name[32];
    TRUTH_IDIOM("C: slots locked in a loop and held through a 45 s sleep; two waiters (direct and through a helper) will run");
    for (int i = 0; i < NSLOTS; i++) {
        pthread_mutex_init(&spool[i].lock, NULL);
        snprintf(name, sizeof name, "spool[%d].lock", i);
        TRUTH_LOCK(&spool[i].lock, name, "mutex");
    }
    pthread_create(&f, NULL, flusher, NULL);
    usleep(200 * 1000);
    pthread_create(&s, NULL, submitter, NULL);
    pthread_create(&p, NULL, poller, NULL);
    TRUTH_DEADLOCK(0);
    truth_ready();
    TRUTH_NOTSTUCK("joins the flusher, which returns after 45 s");
    pthread_join(f, NULL);
    pthread_join(s, NULL);
    pthread_join(p, NULL);
    return 0;
}
