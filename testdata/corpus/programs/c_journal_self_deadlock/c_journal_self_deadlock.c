/* append_entry() holds the journal's (default, non-recursive, no error
 * check) mutex and every eighth entry checkpoints; rotate(), two calls down,
 * locks the same mutex again: the thread waits for itself. */
#include <pthread.h>
#include <string.h>
#include "truth.h"

struct journal {
    pthread_mutex_t lock;
    int entries;
    int segment;
    char last[64];
};

static struct journal jnl = {PTHREAD_MUTEX_INITIALIZER, 0, 0, ""};
static long writer_tid;

static void rotate(struct journal *j)
{
    TRUTH_WAIT(&j->lock, "write");
    pthread_mutex_lock(&j->lock);
    j->segment++;
    pthread_mutex_unlock(&j->lock);
}

static void checkpoint(struct journal *j)
{
    if (j->entries > 0)
        rotate(j);
}

static void append_entry(struct journal *j, const char *text)
{
    pthread_mutex_lock(&j->lock);
    TRUTH_HOLD_IF(j->entries == 7, &j->lock, "write"); /* the earlier ones were released */
    strncpy(j->last, text, sizeof j->last - 1);
    if (++j->entries % 8 == 0)
        checkpoint(j);
    pthread_mutex_unlock(&j->lock);
}

static void *writer(void *arg)
{
    (void)arg;
    writer_tid = truth_tid();
    for (int i = 0; i < 8; i++)
        append_entry(&jnl, "order shipped");
    return NULL;
}

int main(void)
{
    pthread_t w;
    TRUTH_IDIOM("C self-deadlock: a default pthread mutex locked again two calls down (no error checking)");
    TRUTH_LOCK(&jnl.lock, "jnl.lock", "mutex");
    pthread_create(&w, NULL, writer, NULL);
    usleep(200 * 1000);
    TRUTH_CYCLE1(writer_tid);
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("pthread_join of the self-deadlocked writer");
    pthread_join(w, NULL);
    return 0;
}
