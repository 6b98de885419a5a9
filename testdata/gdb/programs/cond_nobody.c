/* cond_nobody: waiter waits on c_ready (with m_alpha) for a flag that no
 * thread ever sets or signals.  Not a lock cycle: a lost/missing wake-up.
 * While waiting, pthread_cond_wait has released m_alpha (owner 0).
 * The main thread blocks in pthread_join(waiter). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

pthread_mutex_t m_alpha = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t c_ready = PTHREAD_COND_INITIALIZER;
int ready; /* nobody ever sets this */

void wait_until_ready(void)
{
    pthread_mutex_lock(&m_alpha);
    while (!ready)
        pthread_cond_wait(&c_ready, &m_alpha); /* WAIT waiter c_ready */
    pthread_mutex_unlock(&m_alpha);
}

void *waiter_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "waiter");
    wait_until_ready();
    return NULL;
}

int main(void)
{
    pthread_t tw;
    pthread_create(&tw, NULL, waiter_main, NULL);
    usleep(300 * 1000);
    printf("DEADLOCKED pid=%d\n", (int)getpid());
    fflush(stdout);
    pthread_join(tw, NULL); /* WAIT main join waiter */
    return 0;
}
