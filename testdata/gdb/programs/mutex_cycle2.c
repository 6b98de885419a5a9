/* mutex_cycle2: worker-a locks m_alpha then m_beta, worker-b locks m_beta
 * then m_alpha.  A barrier makes sure both hold their first mutex before
 * either asks for its second one, so the 2-cycle is reached every run:
 *   worker-a waits for m_beta  (held by worker-b)
 *   worker-b waits for m_alpha (held by worker-a)
 * The main thread then blocks in pthread_join(worker-a) forever. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

pthread_mutex_t m_alpha = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t m_beta = PTHREAD_MUTEX_INITIALIZER;
pthread_barrier_t b_start;
long balance_alpha = 100, balance_beta = 100;

void transfer_alpha_beta(long amount)
{
    pthread_mutex_lock(&m_alpha); /* HOLD worker-a m_alpha */
    pthread_barrier_wait(&b_start);
    pthread_mutex_lock(&m_beta); /* WAIT worker-a m_beta */
    balance_alpha -= amount;
    balance_beta += amount;
    pthread_mutex_unlock(&m_beta);
    pthread_mutex_unlock(&m_alpha);
}

void transfer_beta_alpha(long amount)
{
    pthread_mutex_lock(&m_beta); /* HOLD worker-b m_beta */
    pthread_barrier_wait(&b_start);
    pthread_mutex_lock(&m_alpha); /* WAIT worker-b m_alpha */
    balance_beta -= amount;
    balance_alpha += amount;
    pthread_mutex_unlock(&m_alpha);
    pthread_mutex_unlock(&m_beta);
}

void *worker_a_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "worker-a");
    transfer_alpha_beta(10);
    return NULL;
}

void *worker_b_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "worker-b");
    transfer_beta_alpha(20);
    return NULL;
}

int main(void)
{
    pthread_t ta, tb;
    pthread_barrier_init(&b_start, NULL, 3);
    pthread_create(&ta, NULL, worker_a_main, NULL);
    pthread_create(&tb, NULL, worker_b_main, NULL);
    pthread_barrier_wait(&b_start);
    usleep(300 * 1000);
    printf("DEADLOCKED pid=%d\n", (int)getpid());
    fflush(stdout);
    pthread_join(ta, NULL); /* WAIT main join worker-a */
    pthread_join(tb, NULL);
    return 0;
}
