// Two unique_locks made with std::defer_lock and taken together by
// std::lock(l1, l2). The compactor holds only the index (45 s rebuild);
// std::lock takes the free data mutex, fails try_lock on the index, lets the
// data mutex go again and blocks on the index: it holds nothing while it
// waits. A reader of the data mutex is not blocked at all. No cycle.
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>
#include "truth.h"

struct Segment {
    std::mutex data_mu;
    std::mutex index_mu;
    std::vector<int> rows;
};

static void rebuild_index(Segment& s)
{
    std::lock_guard<std::mutex> g(s.index_mu);
    TRUTH_HOLD(&s.index_mu, "write");
    std::this_thread::sleep_for(std::chrono::seconds(45));
}

static void append(Segment& s, int row)
{
    std::unique_lock<std::mutex> data(s.data_mu, std::defer_lock);
    std::unique_lock<std::mutex> index(s.index_mu, std::defer_lock);
    TRUTH_NOTSTUCK("the index rebuild unlocks after 45 s");
    TRUTH_WAIT(&s.index_mu, "write"); /* data_mu is tried, released, then index_mu blocks */
    std::lock(data, index);
    s.rows.push_back(row);
}

int main()
{
    TRUTH_IDIOM("C++ unique_lock(std::defer_lock) + std::lock(l1, l2): the waiter backs off its first lock; no cycle");
    Segment seg;
    TRUTH_LOCK(&seg.data_mu, "seg.data_mu", "mutex");
    TRUTH_LOCK(&seg.index_mu, "seg.index_mu", "mutex");
    std::thread compactor(rebuild_index, std::ref(seg));
    usleep(200 * 1000);
    std::thread writer(append, std::ref(seg), 7);
    TRUTH_DEADLOCK(0);
    truth_ready();
    for (;;)
        pause();
}
