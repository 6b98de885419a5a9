// Node::link(Node& other) locks this node's mu_ and then other.mu_ to record
// the edge on both sides. Linking a to b and b to a at the same time
// deadlocks: the same member function on swapped objects.
#include <atomic>
#include <mutex>
#include <pthread.h>
#include <string>
#include <thread>
#include <vector>
#include "truth.h"

static pthread_barrier_t handshake;

class Node {
public:
    explicit Node(std::string name) : name_(std::move(name)) {}

    void link(Node& other)
    {
        std::lock_guard<std::mutex> mine(mu_);
        TRUTH_HOLD(&mu_, "write");
        peers_.push_back(&other);
        pthread_barrier_wait(&handshake);
        TRUTH_WAIT(&other.mu_, "write");
        std::lock_guard<std::mutex> theirs(other.mu_);
        other.peers_.push_back(this);
    }

    std::mutex mu_;

private:
    std::string name_;
    std::vector<Node*> peers_;
};

int main()
{
    TRUTH_IDIOM("C++ member function Node::link(Node& other) locks mu_ then other.mu_, called on swapped nodes");
    Node a("eu-west"), b("us-east");
    TRUTH_LOCK(&a.mu_, "a.mu_", "mutex");
    TRUTH_LOCK(&b.mu_, "b.mu_", "mutex");
    pthread_barrier_init(&handshake, nullptr, 2);
    std::atomic<long> ta{0}, tb{0};
    std::thread t1([&] { ta = truth_tid(); a.link(b); });
    std::thread t2([&] { tb = truth_tid(); b.link(a); });
    while (!ta || !tb)
        usleep(1000);
    TRUTH_CYCLE2(ta.load(), tb.load());
    TRUTH_DEADLOCK(1);
    truth_ready();
    for (;;)
        pause();
}
