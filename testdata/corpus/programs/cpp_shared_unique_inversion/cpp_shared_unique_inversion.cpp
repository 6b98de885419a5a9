// A directory service: lookup() holds a shared_lock on the directory and
// then wants the journal mutex; rename() holds the journal and wants a
// unique_lock on the directory, which waits for lookup's shared lock: a
// cycle. A slow listing also holds a shared lock (libstdc++'s shared_mutex is
// a glibc rwlock that prefers readers, so it got in past the waiting writer);
// it will finish, but the writer still waits for lookup.
#include <atomic>
#include <map>
#include <mutex>
#include <pthread.h>
#include <shared_mutex>
#include <string>
#include <thread>
#include "truth.h"

struct Directory {
    std::shared_mutex rw;
    std::map<std::string, std::string> entries{{"/home", "inode-2"}, {"/etc", "inode-3"}};
};

static Directory dir;
static std::mutex journal_mu;
static std::string journal;
static pthread_barrier_t both;

static std::string lookup(const std::string& path)
{
    std::shared_lock<std::shared_mutex> r(dir.rw);
    TRUTH_HOLD(&dir.rw, "read");
    std::string inode = dir.entries[path];
    pthread_barrier_wait(&both);
    TRUTH_WAIT(&journal_mu, "write");
    std::lock_guard<std::mutex> j(journal_mu);
    journal += "lookup " + path + "\n";
    return inode;
}

static void rename_entry(const std::string& from, const std::string& to)
{
    std::lock_guard<std::mutex> j(journal_mu);
    TRUTH_HOLD(&journal_mu, "write");
    journal += "rename " + from + " " + to + "\n";
    pthread_barrier_wait(&both);
    TRUTH_WAIT(&dir.rw, "write");
    std::unique_lock<std::shared_mutex> w(dir.rw);
    dir.entries[to] = dir.entries[from];
    dir.entries.erase(from);
}

static size_t slow_listing()
{
    std::shared_lock<std::shared_mutex> r(dir.rw);
    TRUTH_HOLD(&dir.rw, "read");
    std::this_thread::sleep_for(std::chrono::seconds(45));
    return dir.entries.size();
}

int main()
{
    TRUTH_IDIOM("C++ std::shared_mutex: shared_lock then mutex against mutex then unique_lock (cycle); a reader admitted past the waiting writer");
    TRUTH_LOCK(&dir.rw, "dir.rw", "rwlock");
    TRUTH_LOCK(&journal_mu, "journal_mu", "mutex");
    pthread_barrier_init(&both, nullptr, 2);
    std::atomic<long> l{0}, r{0};
    std::thread looker([&] { l = truth_tid(); lookup("/home"); });
    std::thread renamer([&] { r = truth_tid(); rename_entry("/etc", "/etc.old"); });
    while (!l || !r)
        usleep(1000);
    usleep(200 * 1000);
    std::thread lister(slow_listing);
    TRUTH_CYCLE2(l.load(), r.load());
    TRUTH_DEADLOCK(1);
    truth_ready();
    TRUTH_BEHIND("std::thread::join of the deadlocked lookup");
    looker.join();
}
