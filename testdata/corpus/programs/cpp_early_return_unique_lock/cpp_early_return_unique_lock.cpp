// Order books in a std::array, one mutex each. match() locks its book with a
// unique_lock, has early returns (the unique_lock unlocks them), and in one
// branch unlock()s to price outside the lock and lock()s again; then it wants
// the hedge book. settle_all() locks the books in a loop, keeping the
// unique_locks in a vector, and waits for the book match() relocked.
#include <array>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include "truth.h"

struct Book {
    std::mutex mu;
    std::vector<int> bids{101, 102}, asks{103};
    bool halted = false;
};

static std::array<Book, 3> books;
static std::atomic<bool> relocked{false}, loop_waiting{false};

static int reprice(const Book& b) { return b.bids.empty() ? 0 : b.bids.back(); }

static bool match(Book& book, Book& hedge)
{
    std::unique_lock<std::mutex> lk(book.mu);
    if (book.halted)
        return false;
    if (book.asks.empty())
        return false;
    if (book.bids.size() > 1) {
        lk.unlock();
        int px = reprice(book);
        lk.lock();
        TRUTH_HOLD(&book.mu, "write");
        book.bids.push_back(px);
    }
    relocked = true;
    while (!loop_waiting)
        usleep(1000);
    usleep(100 * 1000);
    TRUTH_WAIT(&hedge.mu, "write");
    std::lock_guard<std::mutex> h(hedge.mu);
    hedge.asks.push_back(book.asks.back());
    return true;
}

static void settle_all()
{
    std::vector<std::unique_lock<std::mutex>> held;
    for (size_t i = 0; i < books.size(); i++) {
        if (i == 1)
            loop_waiting = true;
        TRUTH_WAIT_IF(i == 1, &books[i].mu, "write");
        held.push_back(std::unique_lock<std::mutex>(books[i].mu));
        TRUTH_HOLD(&books[i].mu, "write");
    }
}

int main()
{
    TRUTH_IDIOM("C++ unique_lock with early returns and unlock()/lock() in a branch; locks taken in a loop into a vector");
    for (size_t i = 0; i < books.size(); i++) {
        std::string name = "books[" + std::to_string(i) + "].mu";
        TRUTH_LOCK(&books[i].mu, name.c_str(), "mutex");
    }
    std::atomic<long> m{0}, s{0};
    std::thread matcher([&] { m = truth_tid(); match(books[1], books[0]); });
    while (!relocked)
        usleep(1000);
    std::thread settler([&] { s = truth_tid(); settle_all(); });
    while (!m || !s)
        usleep(1000);
    TRUTH_CYCLE2(m.load(), s.load());
    TRUTH_DEADLOCK(1);
    truth_ready();
    for (;;)
        pause();
}
