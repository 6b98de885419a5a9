// cpp_mutex: std::mutex 2-cycle.
//   worker-a: std::lock_guard on m_alpha, then std::lock_guard on m_beta
//   worker-b: std::unique_lock on m_beta, then std::unique_lock on m_alpha
// A barrier makes both hold their first mutex before asking for the second.
// The main thread blocks in std::thread::join() of worker-a.
#include <pthread.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <thread>

std::mutex m_alpha;
std::mutex m_beta;
pthread_barrier_t b_start;
long balance_alpha = 100, balance_beta = 100;

void transfer_alpha_beta(long amount)
{
    std::lock_guard<std::mutex> hold_alpha(m_alpha); // HOLD worker-a m_alpha
    pthread_barrier_wait(&b_start);
    std::lock_guard<std::mutex> hold_beta(m_beta); // WAIT worker-a m_beta
    balance_alpha -= amount;
    balance_beta += amount;
}

void transfer_beta_alpha(long amount)
{
    std::unique_lock<std::mutex> hold_beta(m_beta); // HOLD worker-b m_beta
    pthread_barrier_wait(&b_start);
    std::unique_lock<std::mutex> hold_alpha(m_alpha); // WAIT worker-b m_alpha
    balance_beta -= amount;
    balance_alpha += amount;
}

int main()
{
    pthread_barrier_init(&b_start, nullptr, 3);
    std::thread ta([] {
        pthread_setname_np(pthread_self(), "worker-a");
        transfer_alpha_beta(10);
    });
    std::thread tb([] {
        pthread_setname_np(pthread_self(), "worker-b");
        transfer_beta_alpha(20);
    });
    pthread_barrier_wait(&b_start);
    usleep(300 * 1000);
    std::printf("DEADLOCKED pid=%d\n", (int)getpid());
    std::fflush(stdout);
    ta.join(); // WAIT main join worker-a
    tb.join();
    return 0;
}
