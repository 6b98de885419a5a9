/* big_1000: a process with exactly 1,000 threads (main + 999 created, 64 KiB
 * stacks) and exactly one deadlock, a 2-cycle in the middle of the list:
 *   creation index 600 "worker-a": holds m_alpha, waits for m_beta
 *   creation index 601 "worker-b": holds m_beta,  waits for m_alpha
 * The other 997 created threads are idle: even indexes ("idle-N", 499 of
 * them) wait on c_idle with m_idle (never signalled), odd indexes
 * ("sleep-N", 498) sleep in a loop.  The main thread blocks in
 * pthread_join(worker-a). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define N_CREATED 999
#define IDX_A 600
#define IDX_B 601

pthread_mutex_t m_alpha = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t m_beta = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t m_idle = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t c_idle = PTHREAD_COND_INITIALIZER;
pthread_barrier_t b_start;
int n_idle_waiting, n_sleeping;
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

void idle_wait(void)
{
    pthread_mutex_lock(&m_idle);
    n_idle_waiting++;
    for (;;)
        pthread_cond_wait(&c_idle, &m_idle); /* WAIT idle c_idle */
}

void sleep_forever(void)
{
    __atomic_add_fetch(&n_sleeping, 1, __ATOMIC_SEQ_CST);
    for (;;)
        sleep(1000); /* WAIT sleep */
}

void *thread_main(void *arg)
{
    long idx = (long)arg;
    char name[16];
    if (idx == IDX_A) {
        pthread_setname_np(pthread_self(), "worker-a");
        transfer_alpha_beta(10);
    } else if (idx == IDX_B) {
        pthread_setname_np(pthread_self(), "worker-b");
        transfer_beta_alpha(20);
    } else if (idx % 2 == 0) {
        snprintf(name, sizeof name, "idle-%ld", idx);
        pthread_setname_np(pthread_self(), name);
        idle_wait();
    } else {
        snprintf(name, sizeof name, "sleep-%ld", idx);
        pthread_setname_np(pthread_self(), name);
        sleep_forever();
    }
    return NULL;
}

int main(void)
{
    pthread_t threads[N_CREATED];
    pthread_attr_t attr;
    long i;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    pthread_barrier_init(&b_start, NULL, 3);
    for (i = 0; i < N_CREATED; i++) {
        if (pthread_create(&threads[i], &attr, thread_main, (void *)i) != 0) {
            perror("pthread_create");
            return 1;
        }
    }
    pthread_barrier_wait(&b_start);
    for (;;) {
        int idle, sleeping;
        pthread_mutex_lock(&m_idle);
        idle = n_idle_waiting;
        pthread_mutex_unlock(&m_idle);
        sleeping = __atomic_load_n(&n_sleeping, __ATOMIC_SEQ_CST);
        if (idle == 499 && sleeping == 498)
            break;
        usleep(10 * 1000);
    }
    usleep(500 * 1000);
    printf("DEADLOCKED pid=%d\n", (int)getpid());
    fflush(stdout);
    pthread_join(threads[IDX_A], NULL); /* WAIT main join worker-a */
    return 0;
}
