/* self_deadlock: worker-a locks the default (non-recursive, no error
 * checking) mutex m_alpha in update_ledger() and then again in
 * audit_ledger(), which update_ledger() calls while still holding it.
 * glibc's default mutex simply blocks: the thread waits for itself.
 * The main thread blocks in pthread_join(worker-a). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

pthread_mutex_t m_alpha = PTHREAD_MUTEX_INITIALIZER; /* PTHREAD_MUTEX_DEFAULT */
long ledger_total;

void audit_ledger(void)
{
    pthread_mutex_lock(&m_alpha); /* WAIT worker-a m_alpha */
    ledger_total += 0;
    pthread_mutex_unlock(&m_alpha);
}

void update_ledger(long amount)
{
    pthread_mutex_lock(&m_alpha); /* HOLD worker-a m_alpha */
    ledger_total += amount;
    audit_ledger();
    pthread_mutex_unlock(&m_alpha);
}

void *worker_a_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "worker-a");
    update_ledger(42);
    return NULL;
}

int main(void)
{
    pthread_t ta;
    pthread_create(&ta, NULL, worker_a_main, NULL);
    usleep(300 * 1000);
    printf("DEADLOCKED pid=%d\n", (int)getpid());
    fflush(stdout);
    pthread_join(ta, NULL); /* WAIT main join worker-a */
    return 0;
}
