/* join_cycle: three threads that join each other in a ring.
 *   joiner-a: pthread_join(joiner-b)
 *   joiner-b: pthread_join(joiner-c)
 *   joiner-c: pthread_join(joiner-a)
 * glibc's pthread_join only has a "may" EDEADLK check for a 2-cycle (the
 * thread being joined is already joining the caller: self->joinid == pd).
 * glibc 2.36 never records joinid (its compare-and-exchange only clears it;
 * the truth file prints joinid = 0x0, and a 2-ring hangs here too), while
 * 2.17-era glibc records it, so a 2-ring can get EDEADLK there.  A ring of
 * three hangs under every glibc, in any call order.  Each thread's
 * pthread_t is published in
 * t_joiner_a/b/c before the barrier.  The main thread (which must not join
 * any of them: each already has a joiner) waits in pause(). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

pthread_t t_joiner_a, t_joiner_b, t_joiner_c;
pthread_barrier_t b_start;

void wait_for(pthread_t target, const char *who)
{
    int rc = pthread_join(target, NULL); /* WAIT join */
    fprintf(stderr, "%s: pthread_join returned %d (%s)\n", who, rc, strerror(rc));
    exit(1);
}

void *joiner_a_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "joiner-a");
    pthread_barrier_wait(&b_start);
    wait_for(t_joiner_b, "joiner-a"); /* WAIT joiner-a joins joiner-b */
    return NULL;
}

void *joiner_b_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "joiner-b");
    pthread_barrier_wait(&b_start);
    wait_for(t_joiner_c, "joiner-b"); /* WAIT joiner-b joins joiner-c */
    return NULL;
}

void *joiner_c_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "joiner-c");
    pthread_barrier_wait(&b_start);
    wait_for(t_joiner_a, "joiner-c"); /* WAIT joiner-c joins joiner-a */
    return NULL;
}

void wait_forever(void)
{
    for (;;)
        pause(); /* WAIT main pause */
}

int main(void)
{
    pthread_barrier_init(&b_start, NULL, 4);
    pthread_create(&t_joiner_a, NULL, joiner_a_main, NULL);
    pthread_create(&t_joiner_b, NULL, joiner_b_main, NULL);
    pthread_create(&t_joiner_c, NULL, joiner_c_main, NULL);
    pthread_barrier_wait(&b_start);
    usleep(300 * 1000);
    printf("DEADLOCKED pid=%d\n", (int)getpid());
    fflush(stdout);
    wait_forever();
    return 0;
}
