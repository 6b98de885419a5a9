/* rwlock: a writer/reader deadlock between a pthread rwlock and a mutex.
 *   writer holds rw_table for writing (pthread_rwlock_wrlock), waits for m_index
 *   reader holds m_index, waits for rw_table for reading (pthread_rwlock_rdlock)
 * A barrier makes both hold their first lock before asking for the second.
 * A third thread, writer-2, is not in the cycle: 100 ms after the barrier it
 * asks for rw_table for writing too and blocks behind writer (it shows what a
 * blocked pthread_rwlock_wrlock looks like).
 * The main thread blocks in pthread_join(writer). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

pthread_rwlock_t rw_table = PTHREAD_RWLOCK_INITIALIZER;
pthread_mutex_t m_index = PTHREAD_MUTEX_INITIALIZER;
pthread_barrier_t b_start;
int table_rows, index_entries;

void rebuild_table(void)
{
    pthread_rwlock_wrlock(&rw_table); /* HOLD writer rw_table(write) */
    pthread_barrier_wait(&b_start);
    pthread_mutex_lock(&m_index); /* WAIT writer m_index */
    table_rows = index_entries = 0;
    pthread_mutex_unlock(&m_index);
    pthread_rwlock_unlock(&rw_table);
}

int lookup_row(void)
{
    int rows;
    pthread_mutex_lock(&m_index); /* HOLD reader m_index */
    pthread_barrier_wait(&b_start);
    pthread_rwlock_rdlock(&rw_table); /* WAIT reader rw_table(read) */
    rows = table_rows + index_entries;
    pthread_rwlock_unlock(&rw_table);
    pthread_mutex_unlock(&m_index);
    return rows;
}

void compact_table(void)
{
    pthread_barrier_wait(&b_start);
    usleep(100 * 1000);
    pthread_rwlock_wrlock(&rw_table); /* WAIT writer-2 rw_table(write) */
    table_rows = 0;
    pthread_rwlock_unlock(&rw_table);
}

void *writer_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "writer");
    rebuild_table();
    return NULL;
}

void *reader_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "reader");
    lookup_row();
    return NULL;
}

void *writer2_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "writer-2");
    compact_table();
    return NULL;
}

int main(void)
{
    pthread_t tw, tr, tw2;
    pthread_barrier_init(&b_start, NULL, 4);
    pthread_create(&tw, NULL, writer_main, NULL);
    pthread_create(&tr, NULL, reader_main, NULL);
    pthread_create(&tw2, NULL, writer2_main, NULL);
    pthread_barrier_wait(&b_start);
    usleep(300 * 1000);
    printf("DEADLOCKED pid=%d\n", (int)getpid());
    fflush(stdout);
    pthread_join(tw, NULL); /* WAIT main join writer */
    pthread_join(tr, NULL);
    pthread_join(tw2, NULL);
    return 0;
}
