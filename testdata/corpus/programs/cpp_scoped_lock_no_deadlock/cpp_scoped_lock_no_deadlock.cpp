// Transfers take both accounts with std::scoped_lock(src.mu, dst.mu), which
// locks them without deadlock whatever the order. The audit holds both for
// 45 s; the reverse transfer waits (std::lock blocks on its first mutex) and
// a balance check waits with a lock_guard. No cycle.
#include <mutex>
#include <thread>
#include "truth.h"

struct Account {
    std::mutex mu;
    long balance = 0;
};

static void audit(Account& a, Account& b)
{
    std::scoped_lock both(a.mu, b.mu);
    TRUTH_HOLD(&a.mu, "write");
    TRUTH_HOLD_AT(&b.mu, "write", __LINE__ - 2); /* the same scoped_lock */
    std::this_thread::sleep_for(std::chrono::seconds(45));
}

static void transfer(Account& src, Account& dst, long amount)
{
    TRUTH_NOTSTUCK("the audit releases both accounts after 45 s");
    TRUTH_WAIT(&src.mu, "write"); /* std::lock locks its first argument first */
    std::scoped_lock both(src.mu, dst.mu);
    src.balance -= amount;
    dst.balance += amount;
}

static long balance(Account& a)
{
    TRUTH_NOTSTUCK("the audit releases both accounts after 45 s");
    TRUTH_WAIT(&a.mu, "write");
    std::lock_guard<std::mutex> g(a.mu);
    return a.balance;
}

int main()
{
    TRUTH_IDIOM("C++ std::scoped_lock(a, b) against scoped_lock(b, a): deadlock-free; waiters while the holder sleeps");
    Account checking, savings;
    TRUTH_LOCK(&checking.mu, "checking.mu", "mutex");
    TRUTH_LOCK(&savings.mu, "savings.mu", "mutex");
    std::thread auditor(audit, std::ref(checking), std::ref(savings));
    usleep(200 * 1000);
    std::thread mover(transfer, std::ref(savings), std::ref(checking), 70L);
    std::thread checker([&] { balance(checking); });
    TRUTH_DEADLOCK(0);
    truth_ready();
    TRUTH_NOTSTUCK("joins the auditor, which returns after 45 s");
    auditor.join();
    mover.join();
    checker.join();
}
