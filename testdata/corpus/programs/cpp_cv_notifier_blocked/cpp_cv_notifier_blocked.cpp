// The consumer guards the shared state with state_mu and, still holding it,
// waits on a condition variable (cv.wait releases only queue_mu). The only
// producer locks queue_mu and then wants state_mu before it notifies: it
// blocks on the mutex the waiter holds, so the notification never comes.
// The process is stuck for good, but there is no cycle of lock waits: one
// edge is a condition-variable wait. In the corpus protocol the consumer is
// `stuck` and the producer `waits` for state_mu; `cycles` is empty.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include "truth.h"

static std::mutex state_mu;
static std::mutex queue_mu;
static std::condition_variable ready;
static std::deque<int> queue;
static int processed;
static std::atomic<bool> consumer_waiting{false};

static void consume()
{
    std::lock_guard<std::mutex> state(state_mu);
    TRUTH_HOLD(&state_mu, "write");
    std::unique_lock<std::mutex> lk(queue_mu);
    consumer_waiting = true;
    TRUTH_STUCK("cv.wait: the only notifier waits for state_mu, held here");
    ready.wait(lk, [] { return !queue.empty(); });
    processed += queue.front();
    queue.pop_front();
}

static void produce(int item)
{
    std::lock_guard<std::mutex> q(queue_mu);
    TRUTH_HOLD(&queue_mu, "write");
    queue.push_back(item);
    TRUTH_WAIT(&state_mu, "write");
    std::lock_guard<std::mutex> s(state_mu);
    processed = -1;
    ready.notify_one();
}

int main()
{
    TRUTH_IDIOM("C++: condition_variable wait while holding state_mu; the notifier blocks on state_mu (stuck, no lock cycle)");
    TRUTH_LOCK(&state_mu, "state_mu", "mutex");
    TRUTH_LOCK(&queue_mu, "queue_mu", "mutex");
    std::thread c(consume);
    while (!consumer_waiting)
        usleep(1000);
    usleep(100 * 1000);
    std::thread p(produce, 7);
    TRUTH_DEADLOCK(0);
    truth_ready();
    TRUTH_BEHIND("std::thread::join of the stuck consumer");
    c.join();
    p.join();
}
