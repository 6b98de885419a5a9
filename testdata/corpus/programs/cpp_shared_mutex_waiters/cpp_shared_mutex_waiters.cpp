// A search index behind a std::shared_mutex. The merger holds it exclusively
// and wants the flush mutex; the flusher holds the flush mutex and wants a
// shared lock, which waits for the writer: a cycle. Two queries
// (shared_lock) and a second merger (unique_lock) wait on the same
// shared_mutex without being part of the cycle. In the core, __cur_writer
// names the merger.
#include <atomic>
#include <mutex>
#include <pthread.h>
#include <shared_mutex>
#include <thread>
#include <vector>
#include "truth.h"

class SearchIndex {
public:
    std::shared_mutex rw_;
    std::mutex flush_mu_;
    std::vector<int> postings_;
    pthread_barrier_t both_;

    void merge()
    {
        std::unique_lock<std::shared_mutex> w(rw_);
        TRUTH_HOLD(&rw_, "write");
        pthread_barrier_wait(&both_);
        postings_.push_back(1);
        TRUTH_WAIT(&flush_mu_, "write");
        std::lock_guard<std::mutex> f(flush_mu_);
    }

    void flush()
    {
        std::lock_guard<std::mutex> f(flush_mu_);
        TRUTH_HOLD(&flush_mu_, "write");
        pthread_barrier_wait(&both_);
        TRUTH_WAIT(&rw_, "read");
        std::shared_lock<std::shared_mutex> r(rw_);
    }

    size_t query(int term)
    {
        TRUTH_WAIT(&rw_, "read");
        std::shared_lock<std::shared_mutex> r(rw_);
        return postings_.size() + term;
    }

    void compact()
    {
        TRUTH_WAIT(&rw_, "write");
        std::unique_lock<std::shared_mutex> w(rw_);
        postings_.clear();
    }
};

int main()
{
    TRUTH_IDIOM("std::shared_mutex in a core: exclusive holder waits for a mutex whose owner wants a shared lock; shared and exclusive waiters");
    static SearchIndex idx;
    TRUTH_LOCK(&idx.rw_, "idx.rw_", "rwlock");
    TRUTH_LOCK(&idx.flush_mu_, "idx.flush_mu_", "mutex");
    pthread_barrier_init(&idx.both_, nullptr, 2);
    std::atomic<long> m{0}, f{0};
    std::thread merger([&] { m = truth_tid(); idx.merge(); });
    std::thread flusher([&] { f = truth_tid(); idx.flush(); });
    while (!m || !f)
        usleep(1000);
    usleep(200 * 1000);
    std::thread q1([] { idx.query(1); });
    std::thread c([] { idx.compact(); });
    std::thread q2([] { idx.query(2); });
    TRUTH_CYCLE2(m.load(), f.load());
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("std::thread::join of the deadlocked merger");
    merger.join();
}
