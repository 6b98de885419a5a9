/* mutex_cycle3: three threads, three mutexes, one 3-cycle.
 *   worker-a holds m_alpha, waits for m_beta
 *   worker-b holds m_beta,  waits for m_gamma
 *   worker-c holds m_gamma, waits for m_alpha
 * A barrier makes every thread hold its first mutex before anyone asks for
 * a second one.  The main thread then blocks in pthread_join(worker-a). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

pthread_mutex_t m_alpha = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t m_beta = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t m_gamma = PTHREAD_MUTEX_INITIALIZER;
pthread_barrier_t b_start;
long stock_alpha, stock_beta, stock_gamma;

void move_alpha_beta(void)
{
    pthread_mutex_lock(&m_alpha); /* HOLD worker-a m_alpha */
    pthread_barrier_wait(&b_start);
    pthread_mutex_lock(&m_beta); /* WAIT worker-a m_beta */
    stock_alpha--, stock_beta++;
    pthread_mutex_unlock(&m_beta);
    pthread_mutex_unlock(&m_alpha);
}

void move_beta_gamma(void)
{
    pthread_mutex_lock(&m_beta); /* HOLD worker-b m_beta */
    pthread_barrier_wait(&b_start);
    pthread_mutex_lock(&m_gamma); /* WAIT worker-b m_gamma */
    stock_beta--, stock_gamma++;
    pthread_mutex_unlock(&m_gamma);
    pthread_mutex_unlock(&m_beta);
}

void move_gamma_alpha(void)
{
    pthread_mutex_lock(&m_gamma); /* HOLD worker-c m_gamma */
    pthread_barrier_wait(&b_start);
    pthread_mutex_lock(&m_alpha); /* WAIT worker-c m_alpha */
    stock_gamma--, stock_alpha++;
    pthread_mutex_unlock(&m_alpha);
    pthread_mutex_unlock(&m_gamma);
}

void *worker_a_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "worker-a");
    move_alpha_beta();
    return NULL;
}

void *worker_b_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "worker-b");
    move_beta_gamma();
    return NULL;
}

void *worker_c_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "worker-c");
    move_gamma_alpha();
    return NULL;
}

int main(void)
{
    pthread_t ta, tb, tc;
    pthread_barrier_init(&b_start, NULL, 4);
    pthread_create(&ta, NULL, worker_a_main, NULL);
    pthread_create(&tb, NULL, worker_b_main, NULL);
    pthread_create(&tc, NULL, worker_c_main, NULL);
    pthread_barrier_wait(&b_start);
    usleep(300 * 1000);
    printf("DEADLOCKED pid=%d\n", (int)getpid());
    fflush(stdout);
    pthread_join(ta, NULL); /* WAIT main join worker-a */
    pthread_join(tb, NULL);
    pthread_join(tc, NULL);
    return 0;
}
