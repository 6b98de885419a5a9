// Accounts live behind std::shared_ptr. pay() guards this->mu_ with a
// lock_guard and calls peer->receive(), which guards the peer's mu_. The
// member function is reached through the shared_ptr (alice->pay(bob)); the
// peer is a shared_ptr passed by value. Two threads pay in opposite
// directions.
#include <atomic>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <string>
#include <thread>
#include "truth.h"

static pthread_barrier_t debited;

class Account {
public:
    explicit Account(std::string name, long cents) : name_(std::move(name)), cents_(cents) {}

    void pay(std::shared_ptr<Account> peer, long cents)
    {
        std::lock_guard<std::mutex> g(this->mu_);
        TRUTH_HOLD(&mu_, "write");
        cents_ -= cents;
        pthread_barrier_wait(&debited);
        peer->receive(cents);
    }

    void receive(long cents)
    {
        TRUTH_WAIT(&mu_, "write");
        std::lock_guard<std::mutex> g(mu_);
        cents_ += cents;
    }

    const std::mutex* lock_address() const { return &mu_; }

private:
    std::string name_;
    std::mutex mu_;
    long cents_;
};

static std::atomic<long> tids[2];

int main()
{
    TRUTH_IDIOM("C++: lock_guard on this->mu_ in a member function called through std::shared_ptr; peer is a shared_ptr by value");
    auto alice = std::make_shared<Account>("alice", 5000);
    auto bob = std::make_shared<Account>("bob", 700);
    TRUTH_LOCK(alice->lock_address(), "alice->mu_", "mutex");
    TRUTH_LOCK(bob->lock_address(), "bob->mu_", "mutex");
    pthread_barrier_init(&debited, nullptr, 2);
    std::thread a([alice, bob] { tids[0] = truth_tid(); alice->pay(bob, 300); });
    std::thread b([alice, bob] { tids[1] = truth_tid(); bob->pay(alice, 40); });
    while (!tids[0] || !tids[1])
        usleep(1000);
    TRUTH_CYCLE2(tids[0].load(), tids[1].load());
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("std::thread::join of a deadlocked payment");
    a.join();
    b.join();
}
