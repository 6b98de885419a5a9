// transfer(Wallet& src, Wallet& dst) guards src with a lock_guard and credits
// dst, which guards dst. Two threads transfer between the same two wallets in
// opposite directions.
#include <atomic>
#include <mutex>
#include <pthread.h>
#include <string>
#include <thread>
#include "truth.h"

struct Wallet {
    std::string owner;
    std::mutex mu;
    long cents = 0;
};

static pthread_barrier_t debited;
static std::atomic<long> tids[2];

static void credit(Wallet& w, long cents)
{
    TRUTH_WAIT(&w.mu, "write");
    std::lock_guard<std::mutex> g(w.mu);
    w.cents += cents;
}

static void transfer(Wallet& src, Wallet& dst, long cents)
{
    std::lock_guard<std::mutex> g(src.mu);
    TRUTH_HOLD(&src.mu, "write");
    src.cents -= cents;
    pthread_barrier_wait(&debited);
    credit(dst, cents);
}

int main()
{
    TRUTH_IDIOM("C++: transfer(Wallet& src, Wallet& dst) with references, called both ways");
    Wallet erin{"erin", {}, 4000}, frank{"frank", {}, 900};
    TRUTH_LOCK(&erin.mu, "erin.mu", "mutex");
    TRUTH_LOCK(&frank.mu, "frank.mu", "mutex");
    pthread_barrier_init(&debited, nullptr, 2);
    std::thread a([&] { tids[0] = truth_tid(); transfer(erin, frank, 250); });
    std::thread b([&] { tids[1] = truth_tid(); transfer(frank, erin, 100); });
    while (!tids[0] || !tids[1])
        usleep(1000);
    TRUTH_CYCLE2(tids[0].load(), tids[1].load());
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("std::thread::join of a deadlocked transfer");
    a.join();
    b.join();
}
