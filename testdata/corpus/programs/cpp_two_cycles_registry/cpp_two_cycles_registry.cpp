// Two unrelated deadlocks in one process: a plugin registry against its
// plugins (register vs. unload), and a connection pool against its metrics
// (checkout vs. scrape). Four threads, two cycles of two.
#include <atomic>
#include <map>
#include <mutex>
#include <pthread.h>
#include <string>
#include <thread>
#include "truth.h"

struct Plugin {
    std::mutex mu;
    bool loaded = true;
};

class Registry {
public:
    std::mutex mu_;
    std::map<std::string, Plugin*> plugins_;

    void add(const std::string& name, Plugin& p, pthread_barrier_t* gate)
    {
        std::lock_guard<std::mutex> g(mu_);
        TRUTH_HOLD(&mu_, "write");
        pthread_barrier_wait(gate);
        TRUTH_WAIT(&p.mu, "write");
        std::lock_guard<std::mutex> pg(p.mu);
        plugins_[name] = &p;
    }

    void unload(const std::string& name, Plugin& p, pthread_barrier_t* gate)
    {
        std::lock_guard<std::mutex> pg(p.mu);
        TRUTH_HOLD(&p.mu, "write");
        p.loaded = false;
        pthread_barrier_wait(gate);
        TRUTH_WAIT(&mu_, "write");
        std::lock_guard<std::mutex> g(mu_);
        plugins_.erase(name);
    }
};

struct Pool {
    std::mutex mu;
    int idle = 4;
};
struct Metrics {
    std::mutex mu;
    std::map<std::string, int> gauges;
};

static void checkout(Pool& pool, Metrics& m, pthread_barrier_t* gate)
{
    std::unique_lock<std::mutex> lk(pool.mu);
    TRUTH_HOLD(&pool.mu, "write");
    pool.idle--;
    pthread_barrier_wait(gate);
    TRUTH_WAIT(&m.mu, "write");
    std::lock_guard<std::mutex> g(m.mu);
    m.gauges["idle"] = pool.idle;
}

static void scrape(Pool& pool, Metrics& m, pthread_barrier_t* gate)
{
    std::lock_guard<std::mutex> g(m.mu);
    TRUTH_HOLD(&m.mu, "write");
    pthread_barrier_wait(gate);
    TRUTH_WAIT(&pool.mu, "write");
    std::lock_guard<std::mutex> lk(pool.mu);
    m.gauges["idle"] = pool.idle;
}

int main()
{
    TRUTH_IDIOM("C++: two independent 2-cycles in one process (registry/plugin and pool/metrics)");
    static Registry reg;
    static Plugin auth;
    static Pool pool;
    static Metrics metrics;
    TRUTH_LOCK(&reg.mu_, "reg.mu_", "mutex");
    TRUTH_LOCK(&auth.mu, "auth.mu", "mutex");
    TRUTH_LOCK(&pool.mu, "pool.mu", "mutex");
    TRUTH_LOCK(&metrics.mu, "metrics.mu", "mutex");
    static pthread_barrier_t g1, g2;
    pthread_barrier_init(&g1, nullptr, 2);
    pthread_barrier_init(&g2, nullptr, 2);
    std::atomic<long> t[4] = {{0}, {0}, {0}, {0}};
    std::thread a([&] { t[0] = truth_tid(); reg.add("auth", auth, &g1); });
    std::thread b([&] { t[1] = truth_tid(); reg.unload("auth", auth, &g1); });
    std::thread c([&] { t[2] = truth_tid(); checkout(pool, metrics, &g2); });
    std::thread d([&] { t[3] = truth_tid(); scrape(pool, metrics, &g2); });
    for (auto& x : t)
        while (!x)
            usleep(1000);
    TRUTH_CYCLE2(t[0].load(), t[1].load());
    TRUTH_CYCLE2(t[2].load(), t[3].load());
    TRUTH_DEADLOCK(1);
    truth_ready();
    for (;;)
        pause();
}
