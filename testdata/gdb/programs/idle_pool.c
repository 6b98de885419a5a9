/* idle_pool: 16 pool threads ("pool-0" .. "pool-15") wait on q_cond for
 * work that never comes; the queue is empty.  No deadlock: every thread is
 * an idle consumer and q_mutex is free (owner 0) while they wait.
 * The main thread blocks in pthread_join(pool-0). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define POOL_SIZE 16

pthread_mutex_t q_mutex = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t q_cond = PTHREAD_COND_INITIALIZER;
int q_len;         /* number of queued jobs: always 0 */
int q_idle;        /* workers currently waiting */
int q_shutdown;    /* never set */

void run_job(int job) { (void)job; }

void *pool_worker(void *arg)
{
    char name[16];
    snprintf(name, sizeof name, "pool-%ld", (long)arg);
    pthread_setname_np(pthread_self(), name);
    for (;;) {
        int job;
        pthread_mutex_lock(&q_mutex);
        q_idle++;
        while (q_len == 0 && !q_shutdown)
            pthread_cond_wait(&q_cond, &q_mutex); /* WAIT pool q_cond */
        q_idle--;
        if (q_shutdown) {
            pthread_mutex_unlock(&q_mutex);
            return NULL;
        }
        job = --q_len;
        pthread_mutex_unlock(&q_mutex);
        run_job(job);
    }
}

int main(void)
{
    pthread_t pool[POOL_SIZE];
    long i;
    for (i = 0; i < POOL_SIZE; i++)
        pthread_create(&pool[i], NULL, pool_worker, (void *)i);
    for (;;) {
        int idle;
        pthread_mutex_lock(&q_mutex);
        idle = q_idle;
        pthread_mutex_unlock(&q_mutex);
        if (idle == POOL_SIZE)
            break;
        usleep(10 * 1000);
    }
    usleep(300 * 1000);
    printf("IDLE pid=%d\n", (int)getpid());
    fflush(stdout);
    pthread_join(pool[0], NULL); /* WAIT main join pool-0 */
    return 0;
}
