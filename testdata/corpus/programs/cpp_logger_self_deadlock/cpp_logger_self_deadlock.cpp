// Logger::log() guards its buffer with mu_ and, when the buffer is full,
// calls rotate(), which calls flush(), which takes mu_ again through this:
// the logging thread waits for itself.
#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include "truth.h"

class Logger {
public:
    explicit Logger(size_t cap) : cap_(cap) {}

    void log(const std::string& line)
    {
        std::lock_guard<std::mutex> g(mu_);
        TRUTH_HOLD_IF(buf_.size() + 1 >= cap_, &mu_, "write"); /* earlier calls released it */
        buf_.push_back(line);
        if (buf_.size() >= cap_)
            rotate();
    }

    std::mutex mu_;

private:
    void rotate()
    {
        ++generation_;
        flush();
    }

    void flush()
    {
        TRUTH_WAIT(&mu_, "write");
        std::lock_guard<std::mutex> g(mu_);
        for (auto& l : buf_)
            std::fwrite(l.data(), 1, 0, stderr);
        buf_.clear();
    }

    size_t cap_;
    int generation_ = 0;
    std::vector<std::string> buf_;
};

int main()
{
    TRUTH_IDIOM("C++ self-deadlock: log() holds mu_, rotate() -> flush() locks this->mu_ again");
    static Logger logger(4);
    TRUTH_LOCK(&logger.mu_, "logger.mu_", "mutex");
    std::atomic<long> tid{0};
    std::thread app([&] {
        tid = truth_tid();
        for (int i = 0; i < 10; i++)
            logger.log("request " + std::to_string(i));
    });
    while (!tid)
        usleep(1000);
    usleep(100 * 1000);
    TRUTH_CYCLE1(tid.load());
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("std::thread::join of the self-deadlocked logger thread");
    app.join();
}
