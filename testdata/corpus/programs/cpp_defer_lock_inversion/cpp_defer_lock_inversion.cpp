// A warehouse with an inventory mutex and one mutex per shelf. restock()
// builds both unique_locks with std::defer_lock and calls lock() on them one
// at a time, shelf first; audit() takes the inventory in the constructor,
// then locks the shelf with a deferred lock: opposite orders.
#include <atomic>
#include <map>
#include <mutex>
#include <pthread.h>
#include <string>
#include <thread>
#include "truth.h"

struct Shelf {
    std::mutex mu;
    std::map<std::string, int> items;
};

static pthread_barrier_t both_started;

class Warehouse {
public:
    std::mutex inventory_mu_;
    Shelf shelves_[3];

    void restock(Shelf& s, const std::string& sku, int n)
    {
        std::unique_lock<std::mutex> inv(inventory_mu_, std::defer_lock);
        std::unique_lock<std::mutex> shelf(s.mu, std::defer_lock);
        shelf.lock();
        TRUTH_HOLD(&s.mu, "write");
        s.items[sku] += n;
        pthread_barrier_wait(&both_started);
        TRUTH_WAIT(&inventory_mu_, "write");
        inv.lock();
        total_ += n;
    }

    int audit(Shelf& s)
    {
        std::unique_lock<std::mutex> inv(inventory_mu_);
        TRUTH_HOLD(&inventory_mu_, "write");
        pthread_barrier_wait(&both_started);
        std::unique_lock<std::mutex> shelf(s.mu, std::defer_lock);
        TRUTH_WAIT(&s.mu, "write");
        shelf.lock();
        int n = 0;
        for (auto& kv : s.items)
            n += kv.second;
        return n - total_;
    }

private:
    int total_ = 0;
};

int main()
{
    TRUTH_IDIOM("C++ std::unique_lock<std::mutex> l(m, std::defer_lock); ... l.lock(); in opposite orders");
    static Warehouse w;
    TRUTH_LOCK(&w.inventory_mu_, "w.inventory_mu_", "mutex");
    for (int i = 0; i < 3; i++) {
        std::string name = "w.shelves_[" + std::to_string(i) + "].mu";
        TRUTH_LOCK(&w.shelves_[i].mu, name.c_str(), "mutex");
    }
    pthread_barrier_init(&both_started, nullptr, 2);
    std::atomic<long> r{0}, a{0};
    std::thread restocker([&] { r = truth_tid(); w.restock(w.shelves_[1], "bolt-m6", 40); });
    std::thread auditor([&] { a = truth_tid(); w.audit(w.shelves_[1]); });
    while (!r || !a)
        usleep(1000);
    TRUTH_CYCLE2(r.load(), a.load());
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("std::thread::join of the deadlocked restocker");
    restocker.join();
}
