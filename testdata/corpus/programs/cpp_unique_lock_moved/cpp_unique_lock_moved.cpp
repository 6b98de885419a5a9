// post() locks its book with a std::unique_lock and moves the lock into
// settle(std::unique_lock<std::mutex> held, Book* other), which then locks
// the other book. The lock is owned by a parameter of the callee, but it was
// taken in post(), still on the stack. Two threads post in opposite
// directions. A third book is locked, moved into a function and released
// there (no hold at capture time).
#include <atomic>
#include <mutex>
#include <pthread.h>
#include <thread>
#include <utility>
#include "truth.h"

struct Book {
    int id;
    std::mutex mu;
    long total = 0;
};

static pthread_barrier_t posted;
static std::atomic<long> tids[2];

static void close_out(std::unique_lock<std::mutex> held, Book* b)
{
    b->total = 0;
    held.unlock();
}

static void settle(std::unique_lock<std::mutex> held, Book* other, long amount)
{
    pthread_barrier_wait(&posted);
    TRUTH_WAIT(&other->mu, "write");
    std::unique_lock<std::mutex> theirs(other->mu);
    other->total += amount;
}

static void post(Book* mine, Book* other, long amount)
{
    std::unique_lock<std::mutex> l(mine->mu);
    TRUTH_HOLD(&mine->mu, "write");
    mine->total -= amount;
    settle(std::move(l), other, amount);
}

int main()
{
    TRUTH_IDIOM("C++: std::unique_lock moved into a function parameter, which then locks a second mutex");
    static Book ledger{1, {}, 0}, journal{2, {}, 0}, archive{3, {}, 0};
    TRUTH_LOCK(&ledger.mu, "ledger.mu", "mutex");
    TRUTH_LOCK(&journal.mu, "journal.mu", "mutex");
    TRUTH_LOCK(&archive.mu, "archive.mu", "mutex");
    close_out(std::unique_lock<std::mutex>(archive.mu), &archive);
    pthread_barrier_init(&posted, nullptr, 2);
    std::thread a([] { tids[0] = truth_tid(); post(&ledger, &journal, 70); });
    std::thread b([] { tids[1] = truth_tid(); post(&journal, &ledger, 20); });
    while (!tids[0] || !tids[1])
        usleep(1000);
    TRUTH_CYCLE2(tids[0].load(), tids[1].load());
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("std::thread::join of a deadlocked posting");
    a.join();
    b.join();
}
