// cpp_shared_mutex: std::shared_mutex (a pthread_rwlock_t on glibc) + std::mutex.
//   writer: std::unique_lock on sm_table (exclusive), then std::lock_guard on m_index
//   reader: std::lock_guard on m_index, then std::shared_lock on sm_table (shared)
// A barrier makes both hold their first lock before asking for the second.
// A third thread, writer-2, is not in the cycle: 100 ms after the barrier it
// asks for sm_table exclusively (std::lock_guard<std::shared_mutex>) and
// blocks behind writer (it shows a blocked std::shared_mutex::lock()).
// The main thread blocks in std::thread::join() of writer.
#include <pthread.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <shared_mutex>
#include <thread>

std::shared_mutex sm_table;
std::mutex m_index;
pthread_barrier_t b_start;
int table_rows, index_entries;

void rebuild_table()
{
    std::unique_lock<std::shared_mutex> excl(sm_table); // HOLD writer sm_table(exclusive)
    pthread_barrier_wait(&b_start);
    std::lock_guard<std::mutex> idx(m_index); // WAIT writer m_index
    table_rows = index_entries = 0;
}

int lookup_row()
{
    std::lock_guard<std::mutex> idx(m_index); // HOLD reader m_index
    pthread_barrier_wait(&b_start);
    std::shared_lock<std::shared_mutex> shared(sm_table); // WAIT reader sm_table(shared)
    return table_rows + index_entries;
}

void compact_table()
{
    pthread_barrier_wait(&b_start);
    usleep(100 * 1000);
    std::lock_guard<std::shared_mutex> excl(sm_table); // WAIT writer-2 sm_table(exclusive)
    table_rows = 0;
}

int main()
{
    pthread_barrier_init(&b_start, nullptr, 4);
    std::thread tw([] {
        pthread_setname_np(pthread_self(), "writer");
        rebuild_table();
    });
    std::thread tr([] {
        pthread_setname_np(pthread_self(), "reader");
        lookup_row();
    });
    std::thread tw2([] {
        pthread_setname_np(pthread_self(), "writer-2");
        compact_table();
    });
    pthread_barrier_wait(&b_start);
    usleep(300 * 1000);
    std::printf("DEADLOCKED pid=%d\n", (int)getpid());
    std::fflush(stdout);
    tw.join(); // WAIT main join writer
    tr.join();
    tw2.join();
    return 0;
}
