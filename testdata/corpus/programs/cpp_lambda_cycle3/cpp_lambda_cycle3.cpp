// Three replica caches; each replica's sync thread is a lambda handed to
// std::thread that calls merge_from() on its neighbour: it locks its own
// mu_ (this) and then the neighbour's through snapshot(). Replica i waits for
// replica i+1, the last for the first: a cycle of three.
#include <atomic>
#include <map>
#include <mutex>
#include <pthread.h>
#include <string>
#include <thread>
#include <vector>
#include "truth.h"

static pthread_barrier_t round_start;

class ReplicaCache {
public:
    void merge_from(ReplicaCache& peer)
    {
        std::unique_lock<std::mutex> lk(mu_);
        TRUTH_HOLD(&mu_, "write");
        pthread_barrier_wait(&round_start);
        for (auto& kv : peer.snapshot())
            data_.emplace(kv.first, kv.second);
    }

    std::map<std::string, int> snapshot()
    {
        TRUTH_WAIT(&mu_, "write");
        std::lock_guard<std::mutex> g(mu_);
        return data_;
    }

    std::mutex mu_;
    std::map<std::string, int> data_;
};

int main()
{
    TRUTH_IDIOM("C++ lambdas passed to std::thread: each locks this->mu_ then the neighbour's mu_ (cycle of three)");
    std::vector<ReplicaCache> replicas(3);
    for (int i = 0; i < 3; i++) {
        replicas[i].data_["k" + std::to_string(i)] = i;
        std::string name = "replicas[" + std::to_string(i) + "].mu_";
        TRUTH_LOCK(&replicas[i].mu_, name.c_str(), "mutex");
    }
    pthread_barrier_init(&round_start, nullptr, 3);
    std::atomic<long> tids[3] = {{0}, {0}, {0}};
    std::vector<std::thread> syncers;
    for (int i = 0; i < 3; i++)
        syncers.emplace_back([&replicas, &tids, i] {
            tids[i] = truth_tid();
            replicas[i].merge_from(replicas[(i + 1) % 3]);
        });
    for (auto& t : tids)
        while (!t)
            usleep(1000);
    // syncer i waits for replica i+1, held by syncer i+1
    TRUTH_CYCLE3(tids[0].load(), tids[1].load(), tids[2].load());
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("std::thread::join of a deadlocked syncer");
    syncers[0].join();
    syncers[1].join();
    syncers[2].join();
}
