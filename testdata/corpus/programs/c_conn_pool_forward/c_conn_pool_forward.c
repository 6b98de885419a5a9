/* A proxy copies data between connections of a pool: it takes the source
 * connection into a local, locks it and passes it down to forward(), which
 * relays into the destination and locks that one. Proxies 0->2 and 2->0 run
 * at once. */
#include <pthread.h>
#include <string.h>
#include "truth.h"

struct conn {
    int fd;
    pthread_mutex_t lock;
    char buf[64];
    size_t len;
};

struct route { int from, to; long tid; };

static struct conn pool[4];
static pthread_barrier_t in_flight;

static void relay(struct conn *dst, const char *data, size_t n)
{
    TRUTH_WAIT(&dst->lock, "write");
    pthread_mutex_lock(&dst->lock);
    if (dst->len + n <= sizeof dst->buf) {
        memcpy(dst->buf + dst->len, data, n);
        dst->len += n;
    }
    pthread_mutex_unlock(&dst->lock);
}

static void forward(struct conn *src, struct conn *dst)
{
    if (src->len == 0)
        return;
    relay(dst, src->buf, src->len);
    src->len = 0;
}

static void *proxy(void *arg)
{
    struct route *r = arg;
    __atomic_store_n(&r->tid, truth_tid(), __ATOMIC_SEQ_CST);
    struct conn *c = &pool[r->from];
    pthread_mutex_lock(&c->lock);
    TRUTH_HOLD(&c->lock, "write");
    pthread_barrier_wait(&in_flight);
    forward(c, &pool[r->to]);
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

int main(void)
{
    static struct route routes[2] = {{0, 2, 0}, {2, 0, 0}};
    pthread_t t[2];
    char name[32];
    TRUTH_IDIOM("C: struct conn *c = &pool[i]; pthread_mutex_lock(&c->lock); forward(c, other), the other locked two calls down");
    for (int i = 0; i < 4; i++) {
        pool[i].fd = 10 + i;
        pthread_mutex_init(&pool[i].lock, NULL);
        memcpy(pool[i].buf, "hello", 5);
        pool[i].len = 5;
        snprintf(name, sizeof name, "pool[%d].lock", i);
        TRUTH_LOCK(&pool[i].lock, name, "mutex");
    }
    pthread_barrier_init(&in_flight, NULL, 2);
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, proxy, &routes[i]);
    while (!__atomic_load_n(&routes[0].tid, __ATOMIC_SEQ_CST) ||
           !__atomic_load_n(&routes[1].tid, __ATOMIC_SEQ_CST))
        usleep(1000);
    TRUTH_CYCLE2(routes[0].tid, routes[1].tid);
    TRUTH_DEADLOCK(1);
    truth_ready();
    for (;;)
        pause();
}
