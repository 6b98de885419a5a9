/* Two tellers call swap_balances(a, b), which locks a->lock, then b->lock,
 * with the wallets in opposite order: each holds its first wallet and waits
 * for the other's. */
#include <pthread.h>
#include <stdio.h>
#include "truth.h"

struct wallet {
    char owner[16];
    pthread_mutex_t lock;
    long cents;
};

static struct wallet wallets[2] = {
    {"carol", PTHREAD_MUTEX_INITIALIZER, 1000},
    {"dave", PTHREAD_MUTEX_INITIALIZER, 2500},
};
static pthread_barrier_t both_locked;
static long teller_tid[2];

static void swap_balances(struct wallet *a, struct wallet *b)
{
    pthread_mutex_lock(&a->lock);
    TRUTH_HOLD(&a->lock, "write");
    pthread_barrier_wait(&both_locked);
    TRUTH_WAIT(&b->lock, "write");
    pthread_mutex_lock(&b->lock);
    long t = a->cents;
    a->cents = b->cents;
    b->cents = t;
    pthread_mutex_unlock(&b->lock);
    pthread_mutex_unlock(&a->lock);
}

static void *teller(void *arg)
{
    int i = (int)(long)arg;
    __atomic_store_n(&teller_tid[i], truth_tid(), __ATOMIC_SEQ_CST);
    swap_balances(&wallets[i], &wallets[1 - i]);
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    TRUTH_IDIOM("same C function, different objects: swap_balances(a, b) and swap_balances(b, a)");
    TRUTH_LOCK(&wallets[0].lock, "wallets[0].lock", "mutex");
    TRUTH_LOCK(&wallets[1].lock, "wallets[1].lock", "mutex");
    pthread_barrier_init(&both_locked, NULL, 2);
    for (long i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, teller, (void *)i);
    while (!__atomic_load_n(&teller_tid[0], __ATOMIC_SEQ_CST) ||
           !__atomic_load_n(&teller_tid[1], __ATOMIC_SEQ_CST))
        usleep(1000);
    TRUTH_CYCLE2(teller_tid[0], teller_tid[1]);
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("pthread_join of a deadlocked teller");
    pthread_join(t[0], NULL);
    printf("%ld %ld\n", wallets[0].cents, wallets[1].cents);
    return 0;
}
