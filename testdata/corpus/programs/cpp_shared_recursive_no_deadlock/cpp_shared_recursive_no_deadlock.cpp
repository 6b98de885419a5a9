// A feature-flag store: evaluate() holds a shared_lock and calls flag(),
// which takes another shared_lock on the same shared_mutex while an update
// waits for the unique lock. With Go's RWMutex this would deadlock; libstdc++'s
// shared_mutex is a default glibc rwlock that prefers readers, so the nested
// shared lock succeeds. evaluate then sleeps 45 s; the update will get in.
#include <map>
#include <mutex>
#include <pthread.h>
#include <shared_mutex>
#include <string>
#include <thread>
#include "truth.h"

class FlagStore {
public:
    bool evaluate(const std::string& user)
    {
        std::shared_lock<std::shared_mutex> outer(mu_);
        TRUTH_HOLD(&mu_, "read");
        pthread_barrier_wait(&entered_);
        pthread_barrier_wait(&writer_queued_);
        bool on = flag("new-checkout") && user.size() % 2 == 0;
        return on;
    }

    void set(const std::string& name, bool on)
    {
        TRUTH_NOTSTUCK("the evaluation releases its shared locks after 45 s; readers are preferred");
        TRUTH_WAIT(&mu_, "write");
        std::unique_lock<std::shared_mutex> w(mu_);
        flags_[name] = on;
    }

    std::shared_mutex mu_;
    pthread_barrier_t entered_, writer_queued_;

private:
    bool flag(const std::string& name)
    {
        std::shared_lock<std::shared_mutex> inner(mu_);
        TRUTH_HOLD(&mu_, "read");
        std::this_thread::sleep_for(std::chrono::seconds(45));
        return flags_[name];
    }

    std::map<std::string, bool> flags_;
};

int main()
{
    TRUTH_IDIOM("C++ std::shared_mutex: nested shared_lock while a writer waits does not deadlock (glibc prefers readers)");
    static FlagStore store;
    TRUTH_LOCK(&store.mu_, "store.mu_", "rwlock");
    pthread_barrier_init(&store.entered_, nullptr, 2);
    pthread_barrier_init(&store.writer_queued_, nullptr, 2);
    std::thread eval([] { store.evaluate("dana"); });
    pthread_barrier_wait(&store.entered_);
    std::thread writer([] { store.set("new-checkout", true); });
    usleep(300 * 1000);
    pthread_barrier_wait(&store.writer_queued_);
    TRUTH_DEADLOCK(0);
    truth_ready();
    TRUTH_NOTSTUCK("joins the evaluation, which returns after 45 s");
    eval.join();
    writer.join();
}
