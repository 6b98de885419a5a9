// Every captured native dump, end to end through parser and analysis: which thread waits for which
// lock (address and symbol as gdb printed them), who holds it and how we know, and the cycles
// where the dump proves them. Ground truth: testdata/gdb/README.md and <case>.gdb-truth.txt, read
// off the same processes with gdb; transcribed/README.md for the glibc 2.17, pstack and lldb dumps.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "graph/resolve_glibc.h"
#include "parsers/gdb_backtrace.h"
#include "test_util.h"

using namespace dla;
using dla::test::frame_at;
using dla::test::holders_of;
using dla::test::id_of;
using dla::test::load;
using dla::test::parse_text;

namespace {

TaskIndex task_by_id(const Snapshot& s, const std::string& id) {
  for (TaskIndex t = 0; t < s.tasks.size(); ++t) {
    if (id_of(s, t) == id) return t;
  }
  FAIL("no thread " << id);
  return kNone;
}

// The one wait of thread `id`, or nullptr.
const WaitEdge* wait_of(const Snapshot& s, const std::string& id) {
  return dla::test::wait_of_task(s, task_by_id(s, id));
}

std::string address_of(const Snapshot& s, ResourceIndex r) {
  return std::string(s.str(s.resources[r].address));
}
std::string symbol_of(const Snapshot& s, ResourceIndex r) {
  return std::string(s.str(s.resources[r].symbol));
}

std::vector<std::string> members(const Snapshot& s, const Cycle& c) {
  std::vector<std::string> out;
  for (const CycleMember& m : c.members) out.push_back(id_of(s, m.task));
  return out;
}

std::vector<std::string> blocked_ids(const Snapshot& s, const Findings& f) {
  std::vector<std::string> out;
  for (const BlockedWaiter& b : f.blocked) out.push_back(id_of(s, b.task));
  return out;
}

bool warned_about_holders(const Snapshot& s) {
  return std::count_if(s.warnings.begin(), s.warnings.end(), [](const Warning& w) {
           return w.message.find("holder this dump does not show") != std::string::npos &&
                  w.message.find("dlanalyze gdb-commands") != std::string::npos;
         }) == 1;
}

std::string read_file(const std::string& relative) {
  return dla::test::read_file(dla::test::testdata(relative));
}

struct Expected {
  std::string thread;
  int64_t lwp;
  std::string name;
  std::string address;  // waited lock as printed
  std::string symbol;
  std::string blocked_at;  // application frame, "function:line"
};

// Thread, LWP, name and lock of each waiter (testdata/gdb/README.md).
void check_waiters(const Snapshot& s, const std::vector<Expected>& want,
                   ResourceKind kind = ResourceKind::kMutex) {
  for (const Expected& e : want) {
    INFO("thread " << e.thread);
    TaskIndex t = task_by_id(s, e.thread);
    CHECK(s.tasks[t].lwp == e.lwp);
    CHECK(s.str(s.tasks[t].name) == e.name);
    const WaitEdge* w = wait_of(s, e.thread);
    REQUIRE(w != nullptr);
    CHECK(s.resources[w->resource].kind == kind);
    CHECK(address_of(s, w->resource) == e.address);
    CHECK(symbol_of(s, w->resource) == e.symbol);
    CHECK(frame_at(s, w->app_frame) == e.blocked_at);
  }
}

// A cycle in wait-for order: each member waits for the lock the next one holds, by memory.
void check_memory_cycle(const Snapshot& s, const Findings& f, const std::vector<Expected>& want) {
  REQUIRE(f.cycles.size() == 1);
  const Cycle& c = f.cycles[0];
  REQUIRE(c.members.size() == want.size());
  CHECK(c.confidence == Confidence::kCertain);
  for (size_t i = 0; i < want.size(); ++i) {
    INFO("member " << i);
    const CycleMember& m = c.members[i];
    CHECK(id_of(s, m.task) == want[i].thread);
    CHECK(s.tasks[m.task].lwp == want[i].lwp);
    CHECK(address_of(s, m.resource) == want[i].address);
    CHECK(symbol_of(s, m.resource) == want[i].symbol);
    const HoldEdge& h = s.holds[m.hold];
    CHECK(id_of(s, h.task) == want[(i + 1) % want.size()].thread);
    CHECK(h.evidence == Evidence::kMemory);
  }
  CHECK(f.verdict() == Findings::Verdict::kDeadlock);
}

const std::vector<Expected> kMutexCycle2 = {
    {"2", 4012, "worker-a", "0x5592675d80e0", "m_beta", "transfer_alpha_beta:21"},
    {"3", 4013, "worker-b", "0x5592675d80a0", "m_alpha", "transfer_beta_alpha:32"},
};
const std::vector<Expected> kMutexCycle3 = {
    {"2", 4168, "worker-a", "0x56087995e0e0", "m_beta", "move_alpha_beta:22"},
    {"3", 4169, "worker-b", "0x56087995e120", "m_gamma", "move_beta_gamma:32"},
    {"4", 4170, "worker-c", "0x56087995e0a0", "m_alpha", "move_gamma_alpha:42"},
};
const std::vector<Expected> kCppMutex = {
    {"2", 4833, "worker-a", "0x559ebddad120", "m_beta", "transfer_alpha_beta:22"},
    {"3", 4834, "worker-b", "0x559ebddad0e0", "m_alpha", "transfer_beta_alpha:31"},
};

}  // namespace

// --- mutex cycles
// ----------------------------------------------------------------------------------

TEST_CASE("GdbFullLevelNamesWaitersAndLocksButProvesNoCycleWithoutOwners") {
  // The full level prints every waited address, but no owner: the cycle needs owners or source.
  for (std::string level : {"gdb-full", "gdb-btfull", "gdb-frameargs-all"}) {
    INFO(level);
    Snapshot s = load("gdb/mutex_cycle2." + level + ".txt");
    Findings f = analyze(s);
    CHECK(s.format == "gdb");
    CHECK(s.task_noun == "thread");
    CHECK_FALSE(s.damaged);
    REQUIRE(s.tasks.size() == 3);
    CHECK(id_of(s, 0) == "1");  // ascending gdb numbers, although gdb prints 3, 2, 1
    CHECK(s.tasks[0].lwp == 4010);
    CHECK(s.str(s.tasks[0].name) == "mutex_cycle2");
    CHECK(s.tasks[1].frame_count == 8);
    CHECK(frame_at(s, s.tasks[1].first_frame + s.tasks[1].app_frame) == "transfer_alpha_beta:21");
    check_waiters(s, kMutexCycle2);
    // The wait shows at the call the program made.
    CHECK(frame_at(s, wait_of(s, "2")->frame) == "___pthread_mutex_lock:93");
    CHECK(wait_of(s, "2")->evidence == Evidence::kArgument);
    CHECK(f.cycles.empty());
    CHECK(f.verdict() == Findings::Verdict::kUnproven);
    CHECK(f.unproven == Findings::Unproven::kHoldersUnknown);
    CHECK(warned_about_holders(s));
    CHECK(s.warnings.size() == 1);
  }
}

TEST_CASE("GdbJoinIsAWaitForTheJoinedThreadNamedByItsPthread") {
  Snapshot s = load("gdb/mutex_cycle2.gdb-full.txt");
  const WaitEdge* join = wait_of(s, "1");
  REQUIRE(join != nullptr);
  const Resource& r = s.resources[join->resource];
  CHECK(r.kind == ResourceKind::kCondition);
  CHECK(s.str(r.type) == "pthread_t");
  // threadid=140649867704000 is thread 2's pthread_t 0x7feb9966f6c0.
  CHECK(address_of(s, join->resource) == "0x7feb9966f6c0");
  CHECK(holders_of(s, join->resource) == std::vector<std::string>{"2/argument"});
  CHECK(frame_at(s, join->app_frame) == "main:65");
}

TEST_CASE("GdbOwnersOutputProvesTheTwoCycleFromMemory") {
  for (std::string file : {"mutex_cycle2.gdb-owners.txt", "mutex_cycle2.gdb-owners-nodebug.txt"}) {
    INFO(file);
    Snapshot s = load("gdb/" + file);
    Findings f = analyze(s);
    CHECK(s.warnings.empty());
    check_memory_cycle(s, f, kMutexCycle2);
    // Main joins worker-a, a cycle member: blocked behind it, not in it.
    CHECK(blocked_ids(s, f) == std::vector<std::string>{"1"});
  }
  // Without libc debug info the lock address comes from the futex syscall's register.
  Snapshot nodebug = load("gdb/mutex_cycle2.gdb-owners-nodebug.txt");
  CHECK(wait_of(nodebug, "2")->evidence == Evidence::kMemory);
  // …and the joined thread from the futex word: the tid field inside thread 2's descriptor.
  const WaitEdge* join = wait_of(nodebug, "1");
  REQUIRE(join != nullptr);
  CHECK(holders_of(nodebug, join->resource) == std::vector<std::string>{"2/memory"});
}

TEST_CASE("GdbThreeCycleFromOwnersAndWaitersOnlyWithoutThem") {
  Snapshot full = load("gdb/mutex_cycle3.gdb-full.txt");
  check_waiters(full, kMutexCycle3);
  CHECK(analyze(full).cycles.empty());
  CHECK(warned_about_holders(full));
  for (std::string file : {"mutex_cycle3.gdb-owners.txt", "mutex_cycle3.gdb-owners-nodebug.txt"}) {
    INFO(file);
    Snapshot s = load("gdb/" + file);
    Findings f = analyze(s);
    check_memory_cycle(s, f, kMutexCycle3);
    CHECK(blocked_ids(s, f) == std::vector<std::string>{"1"});
  }
}

TEST_CASE("GdbNodebugLevelKnowsTheWaitButNotTheLock") {
  for (std::string level : {"gdb-nodebug", "gdb-stripped", "gdb-stripped-exe"}) {
    INFO(level);
    Snapshot s = load("gdb/mutex_cycle2." + level + ".txt");
    Findings f = analyze(s);
    REQUIRE(s.tasks.size() == 3);
    for (std::string id : {"2", "3"}) {
      const WaitEdge* w = wait_of(s, id);
      REQUIRE(w != nullptr);
      CHECK(s.resources[w->resource].kind == ResourceKind::kMutex);
      CHECK(address_of(s, w->resource).empty());  // not printed: no address is guessed
      CHECK(holders_of(s, w->resource).empty());
      CHECK(std::string(s.str(s.frames[w->frame].function)) == "pthread_mutex_lock");
    }
    // The join is two unnamed libc frames: nothing to read.
    CHECK(wait_of(s, "1") == nullptr);
    CHECK(f.cycles.empty());
    CHECK_FALSE(s.records_locks);
    REQUIRE(s.warnings.size() == 1);
    CHECK(warned_about_holders(s));
    CHECK(s.warnings[0].message.find("without a lock address") != std::string::npos);
  }
  // Stripped program: its frames are "?? ()" and main is followed by libc's start code.
  Snapshot exe = load("gdb/mutex_cycle2.gdb-stripped-exe.txt");
  CHECK(exe.tasks[0].frame_count == 6);
  CHECK(exe.tasks[1].app_frame == 2);
  CHECK(frame_at(exe, wait_of(exe, "2")->app_frame) == "??:0");
}

TEST_CASE("GdbSelfDeadlockNeedsTheOwnerAndThenIsACycleOfOne") {
  Snapshot full = load("gdb/self_deadlock.gdb-full.txt");
  check_waiters(full, {{"2", 4313, "worker-a", "0x55951d1d2080", "m_alpha", "audit_ledger:16"}});
  CHECK(analyze(full).cycles.empty());
  CHECK(warned_about_holders(full));
  // With owners.gdb's line (the truth file: m_alpha.__data.__owner = 4313, itself).
  std::string text = read_file("gdb/self_deadlock.gdb-full.txt");
  const std::string after =
      "#8  0x00007fe0418818ec in clone3 () at "
      "../sysdeps/unix/sysv/linux/x86_64/clone3.S:81\n";
  size_t at = text.find(after);
  REQUIRE(at != std::string::npos);
  text.insert(at + after.size(),
              "owner: #2 lll_mutex_lock_optimized mutex=0x55951d1d2080 <m_alpha> __owner=4313 "
              "__lock=2\n");
  Snapshot s = parse_text(text);
  Findings f = analyze(s);
  REQUIRE(f.cycles.size() == 1);
  CHECK(members(s, f.cycles[0]) == std::vector<std::string>{"2"});
  CHECK(s.holds[f.cycles[0].members[0].hold].evidence == Evidence::kMemory);
  CHECK(blocked_ids(s, f) == std::vector<std::string>{"1"});
  CHECK(s.warnings.empty());
}

// --- rwlocks, joins, conditions ----------------------------------------------------------------

TEST_CASE("GdbRwlockWaitersOfBothSidesWaitOnTheLockNotItsFutexWord") {
  Snapshot s = load("gdb/rwlock.gdb-full.txt");
  check_waiters(s, {{"2", 4434, "writer", "0x55ea46dd1100", "m_index", "rebuild_table:23"}});
  check_waiters(s,
                {{"3", 4435, "reader", "0x55ea46dd10c0", "rw_table", "lookup_row:34"},
                 {"4", 4436, "writer-2", "0x55ea46dd10c0", "rw_table", "compact_table:45"}},
                ResourceKind::kRwlock);
  CHECK(frame_at(s, wait_of(s, "3")->frame) == "___pthread_rwlock_rdlock:26");
  CHECK(frame_at(s, wait_of(s, "4")->frame) == "___pthread_rwlock_wrlock:26");
  CHECK(analyze(s).cycles.empty());  // the write holder is in memory only (__cur_writer)
  CHECK(warned_about_holders(s));
}

TEST_CASE("GdbRwlockFutexWordMapsBackToTheLockByItsFieldOffset") {
  // Frames of rwlock.gdb-full.txt with the API frames' arguments gone: readers sleep on rw+8,
  // writers on rw+12.
  Snapshot s = parse_text(
      "Thread 3 (Thread 0x7f1ca2d3d6c0 (LWP 4435) \"reader\"):\n"
      "#0  __futex_abstimed_wait_common (futex_word=futex_word@entry=0x55ea46dd10c8 "
      "<rw_table+8>, expected=expected@entry=3, clockid=clockid@entry=0, abstime=abstime@entry=0x0,"
      " private=<optimized out>, cancel=cancel@entry=false) at ./nptl/futex-internal.c:103\n"
      "#1  0x00007f1ca35d0956 in pthread_rwlock_rdlock () from /lib/x86_64-linux-gnu/libc.so.6\n"
      "#2  0x000055ea46dce2b6 in lookup_row () at rwlock.c:34\n"
      "\n"
      "Thread 4 (Thread 0x7f1ca253c6c0 (LWP 4436) \"writer-2\"):\n"
      "#0  __futex_abstimed_wait_common (futex_word=futex_word@entry=0x55ea46dd10cc "
      "<rw_table+12>, expected=expected@entry=3) at ./nptl/futex-internal.c:103\n"
      "#1  0x00007f1ca35d138c in pthread_rwlock_wrlock () from /lib/x86_64-linux-gnu/libc.so.6\n"
      "#2  0x000055ea46dce316 in compact_table () at rwlock.c:45\n");
  check_waiters(s,
                {{"3", 4435, "reader", "0x55ea46dd10c0", "rw_table", "lookup_row:34"},
                 {"4", 4436, "writer-2", "0x55ea46dd10c0", "rw_table", "compact_table:45"}},
                ResourceKind::kRwlock);
}

TEST_CASE("GdbJoinRingIsAThreeCycleFromThreadidArguments") {
  Snapshot s = load("gdb/join_cycle.gdb-full.txt");
  Findings f = analyze(s);
  REQUIRE(f.cycles.size() == 1);
  const Cycle& c = f.cycles[0];
  CHECK(members(s, c) == std::vector<std::string>{"2", "3", "4"});
  CHECK(c.confidence == Confidence::kCertain);
  // Each waits for the next one's pthread_t (join_cycle README table), held by it.
  const std::vector<std::string> joinee = {"0x7f6ca73a46c0", "0x7f6ca6ba36c0", "0x7f6ca7ba56c0"};
  const std::vector<int64_t> lwp = {4565, 4566, 4567};
  for (size_t i = 0; i < 3; ++i) {
    CHECK(s.tasks[c.members[i].task].lwp == lwp[i]);
    CHECK(address_of(s, c.members[i].resource) == joinee[i]);
    CHECK(s.holds[c.members[i].hold].evidence == Evidence::kArgument);
    CHECK(s.waits[c.members[i].wait].evidence == Evidence::kArgument);
    CHECK(frame_at(s, s.waits[c.members[i].wait].app_frame) == "wait_for:26");
  }
  CHECK(wait_of(s, "1") == nullptr);  // main is in pause()
  CHECK(s.warnings.empty());
}

TEST_CASE("GdbJoinRingWithoutLibcSymbolsIsOnlyAPossibleCycle") {
  // The libc frames are "?? ()": that the threads join is a guess from wait_for(target=<pthread_t
  // of another thread>); the cycle says so.
  Snapshot s = load("gdb/join_cycle.gdb-nodebug.txt");
  Findings f = analyze(s);
  REQUIRE(f.cycles.size() == 1);
  CHECK(members(s, f.cycles[0]) == std::vector<std::string>{"2", "3", "4"});
  CHECK(f.cycles[0].weakest == Evidence::kInferred);
  CHECK(f.cycles[0].confidence == Confidence::kPossible);
  // A stripped program prints no target at all: nothing to say.
  Snapshot exe = load("gdb/join_cycle.gdb-stripped-exe.txt");
  CHECK(exe.waits.empty());
  CHECK(analyze(exe).cycles.empty());
}

TEST_CASE("GdbConditionWaitIsOnTheConditionNotItsReleasedMutex") {
  Snapshot s = load("gdb/cond_nobody.gdb-full.txt");
  Findings f = analyze(s);
  check_waiters(s, {{"2", 4696, "waiter", "0x55ed412a20e0", "c_ready", "wait_until_ready:18"}},
                ResourceKind::kCondition);
  // A condition has no holder: a hang, no cycle, and no warning about holders.
  CHECK(f.cycles.empty());
  CHECK(s.warnings.empty());
  CHECK(holders_of(s, wait_of(s, "1")->resource) == std::vector<std::string>{"2/argument"});
}

TEST_CASE("GdbIdlePoolHasNoCycle") {
  for (std::string level : {"gdb-full", "gdb-nodebug"}) {
    INFO(level);
    Snapshot s = load("gdb/idle_pool." + level + ".txt");
    Findings f = analyze(s);
    REQUIRE(s.tasks.size() == 17);
    CHECK(id_of(s, 1) == "2");
    CHECK(s.tasks[1].lwp == 5282);
    CHECK(s.str(s.tasks[16].name) == "pool-15");
    size_t conditions = 0;
    for (const WaitEdge& w : s.waits)
      conditions += s.resources[w.resource].kind == ResourceKind::kCondition;
    CHECK(conditions >= 16);
    CHECK(f.cycles.empty());
    CHECK(f.verdict() == Findings::Verdict::kClean);
    CHECK(s.warnings.empty());
  }
  Snapshot full = load("gdb/idle_pool.gdb-full.txt");
  CHECK(address_of(full, wait_of(full, "2")->resource) ==
        address_of(full, wait_of(full, "17")->resource));
}

// --- C++ ----------------------------------------------------------------------------------------

TEST_CASE("GdbCppMutexWaitersAtEveryLevelWithLibstdcxxArguments") {
  for (std::string level : {"gdb-full", "gdb-nodebug"}) {
    INFO(level);
    Snapshot s = load("gdb/cpp_mutex." + level + ".txt");
    check_waiters(s, kCppMutex);
    CHECK(frame_at(s, wait_of(s, "2")->frame).rfind("std::mutex::lock:", 0) == 0);
    CHECK(wait_of(s, "2")->evidence == Evidence::kArgument);
    CHECK(analyze(s).cycles.empty());
    CHECK(warned_about_holders(s));
  }
  // std::thread::join: at full level __pthread_clockjoin_ex names the thread; without libc debug
  // info only the join itself is known.
  Snapshot full = load("gdb/cpp_mutex.gdb-full.txt");
  CHECK(holders_of(full, wait_of(full, "1")->resource) == std::vector<std::string>{"2/argument"});
  Snapshot nodebug = load("gdb/cpp_mutex.gdb-nodebug.txt");
  CHECK(holders_of(nodebug, wait_of(nodebug, "1")->resource).empty());
  CHECK(frame_at(nodebug, wait_of(nodebug, "1")->frame) == "std::thread::join():0");
}

TEST_CASE("GdbCppMutexCycleFromOwnersOrFromFrameArgumentsAll") {
  // -frame-arguments all prints the guard's mutex with its __owner: memory, no script needed.
  for (std::string file : {"cpp_mutex.gdb-owners.txt", "cpp_mutex.gdb-owners-nodebug.txt",
                           "cpp_mutex.gdb-frameargs-all.txt"}) {
    INFO(file);
    Snapshot s = load("gdb/" + file);
    Findings f = analyze(s);
    check_memory_cycle(s, f, kCppMutex);
    CHECK(blocked_ids(s, f) == std::vector<std::string>{"1"});
    CHECK(s.warnings.empty());
  }
}

TEST_CASE("GdbCppSharedMutexCycleWithWriterBlockedBehind") {
  Snapshot full = load("gdb/cpp_shared_mutex.gdb-full.txt");
  check_waiters(full, {{"2", 5063, "writer", "0x55d4f4ebf120", "m_index", "rebuild_table:26"}});
  check_waiters(full,
                {{"3", 5064, "reader", "0x55d4f4ebf0e0", "sm_table", "lookup_row:34"},
                 {"4", 5065, "writer-2", "0x55d4f4ebf0e0", "sm_table", "compact_table:42"}},
                ResourceKind::kRwlock);
  CHECK(analyze(full).cycles.empty());
  // __cur_writer = 5063 and m_index's __owner = 5064, printed with -frame-arguments all.
  Snapshot s = load("gdb/cpp_shared_mutex.gdb-frameargs-all.txt");
  Findings f = analyze(s);
  REQUIRE(f.cycles.size() == 1);
  CHECK(members(s, f.cycles[0]) == std::vector<std::string>{"2", "3"});
  CHECK(holders_of(s, wait_of(s, "3")->resource) == std::vector<std::string>{"2/memory"});
  CHECK(blocked_ids(s, f) == std::vector<std::string>{"1", "4"});
}

// --- big, eu-stack, transcribed ----------------------------------------------------------------

TEST_CASE("GdbBig1000ThreadsAtEveryLevel") {
  for (std::string level :
       {"gdb-full", "gdb-btfull", "gdb-nodebug", "gdb-stripped-exe", "eu-stack"}) {
    INFO(level);
    Snapshot s = load("gdb/big_1000." + level + ".txt");
    REQUIRE(s.tasks.size() == 1000);
    CHECK_FALSE(s.damaged);
    CHECK(s.warnings.size() == 1);
  }
  Snapshot s = load("gdb/big_1000.gdb-full.txt");
  CHECK(id_of(s, 1) == "2");
  CHECK(s.str(s.tasks[1].name) == "idle-0");
  CHECK(s.tasks[1].lwp == 5478);
  CHECK(id_of(s, 999) == "1000");
  CHECK(s.str(s.tasks[999].name) == "idle-998");
  CHECK(s.tasks[999].lwp == 6477);
  check_waiters(s,
                {{"602", 6079, "worker-a", "0x56491ca4e120", "m_beta", "transfer_alpha_beta:30"},
                 {"603", 6080, "worker-b", "0x56491ca4e0e0", "m_alpha", "transfer_beta_alpha:41"}});
  CHECK(holders_of(s, wait_of(s, "1")->resource) == std::vector<std::string>{"602/argument"});
  CHECK(analyze(s).cycles.empty());
}

TEST_CASE("EuStackThreadsAreTidsWithWaitsButNoLocks") {
  Snapshot s = load("gdb/mutex_cycle2.eu-stack.txt");
  CHECK(s.format == "gdb");
  REQUIRE(s.tasks.size() == 3);
  CHECK(id_of(s, 0) == "4010");
  CHECK(s.tasks[0].lwp == 4010);
  for (const Task& t : s.tasks) CHECK(t.frame_count == 6);
  CHECK(s.resources[wait_of(s, "4012")->resource].kind == ResourceKind::kMutex);
  CHECK(s.resources[wait_of(s, "4013")->resource].kind == ResourceKind::kMutex);
  CHECK(s.resources[wait_of(s, "4010")->resource].kind == ResourceKind::kCondition);  // join
  CHECK(frame_at(s, wait_of(s, "4012")->app_frame) == "transfer_alpha_beta:0");
  CHECK_FALSE(s.records_locks);
  CHECK(warned_about_holders(s));
}

TEST_CASE("Glibc217PstackAndCoreReadWithLibpthreadFrames") {
  for (std::string file : {"glibc217.pstack.txt", "glibc217-core.gdb.txt"}) {
    INFO(file);
    Snapshot s = load("gdb/transcribed/" + file);
    Findings f = analyze(s);
    REQUIRE(s.tasks.size() == 5);
    std::vector<uint32_t> frames;
    for (const Task& t : s.tasks) frames.push_back(t.frame_count);
    bool pstack = file == "glibc217.pstack.txt";
    // Threads 1-5: the join, and in the live process two sleepers then the two lockers.
    CHECK(frames ==
          (pstack ? std::vector<uint32_t>{2, 5, 5, 7, 7} : std::vector<uint32_t>{2, 5, 7, 7, 5}));
    CHECK(id_of(s, 0) == "1");
    // The mutex waiters: __lll_lock_wait ← _L_lock_791 ← pthread_mutex_lock ← func1/func2.
    std::vector<std::string> mutex_waiters;
    for (const WaitEdge& w : s.waits) {
      if (s.resources[w.resource].kind == ResourceKind::kMutex) {
        mutex_waiters.push_back(id_of(s, w.task) + " " + frame_at(s, w.app_frame));
      }
    }
    CHECK(mutex_waiters == (pstack ? std::vector<std::string>{"4 func2:31", "5 func1:18"}
                                   : std::vector<std::string>{"3 func2:31", "4 func1:18"}));
    CHECK(s.resources[wait_of(s, "1")->resource].kind == ResourceKind::kCondition);  // join
    CHECK(f.cycles.empty());
    CHECK(warned_about_holders(s));
  }
  Snapshot core = load("gdb/transcribed/glibc217-core.gdb.txt");
  CHECK(core.runtime == "glibc-2.17-157.el7_3.2.x86_64");
  CHECK(core.tasks[4].lwp == 30815);
}

TEST_CASE("Glibc217GdbSessionReadsInfoThreadsAndWhere") {
  // Only "info thread": each thread with its frame 0 and name.
  Snapshot info = load("gdb/transcribed/glibc217-attach.gdb.txt");
  REQUIRE(info.tasks.size() == 5);
  for (const Task& t : info.tasks) {
    CHECK(t.frame_count == 1);
    CHECK(info.str(t.name) == "deadlock");
  }
  CHECK(info.tasks[4].lwp == 20496);
  // "thread 5", "where", "frame 3": the repeated frames are one stack.
  Snapshot session = load("gdb/transcribed/glibc217-attach-owners.gdb.txt");
  REQUIRE(session.tasks.size() == 2);
  CHECK(id_of(session, 0) == "4");
  CHECK(session.tasks[0].frame_count == 7);
  CHECK(session.tasks[1].lwp == 20496);
  CHECK(frame_at(session, wait_of(session, "5")->app_frame) == "func1:18");
}

TEST_CASE("LldbBtAllReadsThreadsFramesAndTheCallersMutexArgument") {
  Snapshot s = load("gdb/transcribed/node-openssl.lldb-btall.txt");
  Findings f = analyze(s);
  CHECK(s.format == "gdb");
  REQUIRE(s.tasks.size() == 4);
  const std::vector<std::string> locks = {"0x0000000005d556d0", "0x0000000005d59700",
                                          "0x0000000005d4f100", "0x0000000005d5f550"};
  for (size_t i = 0; i < 4; ++i) {
    std::string id = std::to_string(8 + i);
    INFO("thread " << id);
    CHECK(s.str(s.tasks[i].name) == "node");
    CHECK(s.tasks[i].frame_count == 16);
    const WaitEdge* w = wait_of(s, id);
    REQUIRE(w != nullptr);
    CHECK(s.resources[w->resource].kind == ResourceKind::kMutex);
    // libpthread has no arguments; uv_mutex_lock's only pointer is the lock: a heuristic.
    CHECK(address_of(s, w->resource) == locks[i]);
    CHECK(w->evidence == Evidence::kInferred);
    CHECK(frame_at(s, w->app_frame) == "uv_mutex_lock:331");
  }
  CHECK(f.cycles.empty());  // four self-deadlocks, but the dump records no owner
  CHECK(warned_about_holders(s));
}

// --- detection and damage -----------------------------------------------------------------------

TEST_CASE("GdbProbeRefusesJvmAndGoDumpsAndJvmStillWins") {
  const Parser* gdb = find_parser("gdb");
  REQUIRE(gdb != nullptr);
  auto prefix_of = [](const std::string& relative) {
    return read_file(relative).substr(0, kProbeBytes);
  };
  for (std::string file : {"jvm/monitor_cycle.jstack-l.txt", "jvm/monitor_cycle.jcmd.txt",
                           "jvm/monitor_cycle.kill3.txt", "jvm/transcribed/jdk21_dump_to_file.txt",
                           "jvm/transcribed/jdk8_monitor_cycle.txt", "go/cycle2_fatal.txt",
                           "go/channels.debug1.txt", "go/server_cycle2.sigquit.txt",
                           "go/server_cycle2.debug2.txt", "go/transcribed/go13_old_runtime.txt"}) {
    INFO(file);
    CHECK(gdb->probe(prefix_of(file)) == 0);
  }
  CHECK(load("jvm/transcribed/jdk21_dump_to_file.txt").format == "jvm");
  for (std::string file :
       {"gdb/mutex_cycle2.gdb-full.txt", "gdb/mutex_cycle2.eu-stack.txt",
        "gdb/transcribed/glibc217.pstack.txt", "gdb/transcribed/node-openssl.lldb-btall.txt"}) {
    INFO(file);
    CHECK(gdb->probe(prefix_of(file)) >= 90);
  }
}

TEST_CASE("GdbTruncatedDumpGivesPartialResultsAndAWarningWithItsLine") {
  std::string text = read_file("gdb/mutex_cycle2.gdb-full.txt");
  // Cut inside thread 2's frame #2 argument list.
  size_t cut = text.find("lll_mutex_lock_optimized (mutex=0x5592675d80e0");
  REQUIRE(cut != std::string::npos);
  Snapshot s = parse_text(text.substr(0, cut + 40));
  CHECK(s.damaged);
  REQUIRE_FALSE(s.warnings.empty());
  CHECK(s.warnings[0].where == "test.txt:21");
  CHECK(s.tasks.size() == 2);  // thread 3 whole, thread 2 partial
  // Cut right after a header.
  Snapshot header = parse_text(text.substr(0, text.find("#0", text.find("Thread 2 ("))));
  CHECK(header.damaged);
}

TEST_CASE("GdbDamagedLinesBecomeWarningsNeverACrash") {
  Snapshot s = parse_text(
      "Thread 2 (Thread 0x7feb9966f6c0 (LWP 4012) \"worker-a\"):\n"
      "#0  futex_wait (private=0, expected=2, futex_word=0x5592675d80e0 <m_beta>) at x.h:146\n"
      "#1x garbage\n"
      "#4  0x00005592675d5222 in transfer_alpha_beta (amount=10) at mutex_cycle2.c:21\n"
      "owner: #2 lll_mutex_lock_optimized mutex=<error: Cannot access memory>\n"
      "Thread 1 (Thread 0x7feb99670740 (LWP 4010) \"mutex_cycle2\"):\n"
      "#0  0x00007feb996f8f16 in ?? () from /lib/x86_64-linux-gnu/libc.so.6\n");
  CHECK(s.tasks.size() == 2);
  CHECK(s.damaged);  // "#1x garbage" could not be read
  bool unreadable = false, missing = false;
  for (const Warning& w : s.warnings) {
    unreadable |= w.where == "test.txt:3" && w.message.find("unreadable") != std::string::npos;
    missing |= w.where == "test.txt:4" && w.message.find("missing") != std::string::npos;
  }
  CHECK(unreadable);
  CHECK(missing);
  CHECK_THROWS_AS(parse_text("Thread debugging is not a dump\n", "gdb"), Error);
}

TEST_CASE("GdbWrappedFramesAreJoinedAndASecondDumpIsASnapshotOfItsOwn") {
  // gdb at a terminal width wraps " at file:line" onto an indented line; a second
  // "thread apply all bt" pasted below the first repeats every thread: another dump.
  std::string one =
      "Thread 2 (Thread 0x7feb9966f6c0 (LWP 4012) \"worker-a\"):\n"
      "#0  0x00007ffff7bc8f3b in __pthread_mutex_lock (mutex=0x555555558040 <m_beta>)\n"
      "    at ../nptl/pthread_mutex_lock.c:80\n"
      "#1  0x0000555555555222 in transfer_alpha_beta (amount=10,\n"
      "    extra=1) at mutex_cycle2.c:21\n"
      "\n";
  Snapshot s = parse_text(one + one);
  REQUIRE(s.tasks.size() == 1);
  REQUIRE(s.tasks[0].frame_count == 2);
  CHECK(frame_at(s, 0) == "__pthread_mutex_lock:80");
  CHECK(frame_at(s, 1) == "transfer_alpha_beta:21");
  CHECK(s.str(s.frames[1].args) == "amount=10, extra=1");
  CHECK(address_of(s, wait_of(s, "2")->resource) == "0x555555558040");
  REQUIRE(s.warnings.size() == 2);  // the second dump, and the holders
  CHECK(s.warnings[0].where == "test.txt:7");
  CHECK(s.warnings[0].message.find("the input holds 2 dumps") != std::string::npos);
  std::vector<Snapshot> both = read_snapshots({"test.txt", one + one});
  REQUIRE(both.size() == 2);
  CHECK(both[0].first_line == 1);
  CHECK(both[1].first_line == 7);
  for (const Snapshot& dump : both) CHECK(dump.tasks.size() == 1);
}

TEST_CASE("GdbPlainBacktraceIsOneThread") {
  Snapshot s = parse_text(
      "#0  0x00007f0d2396f1bd in __lll_lock_wait () from /lib64/libpthread.so.0\n"
      "#1  0x00007f0d2396ad02 in _L_lock_791 () from /lib64/libpthread.so.0\n"
      "#2  0x00007f0d2396ac08 in pthread_mutex_lock () from /lib64/libpthread.so.0\n"
      "#3  0x0000000000400917 in func1 () at deadlock.c:18\n");
  CHECK(s.format == "gdb");
  REQUIRE(s.tasks.size() == 1);
  CHECK(s.tasks[0].frame_count == 4);
  CHECK(s.resources[wait_of(s, "?")->resource].kind == ResourceKind::kMutex);
}

// --- holders from the programs' source (testdata/gdb/programs, HOLD/WAIT comments) ------------

namespace {

// "2 (lwp 4012) waits 0x5592675d80e0 m_beta held by 3 [source] at line 30" per member.
std::vector<std::string> cycle_from_source(const std::string& file) {
  auto [s, f] = dla::test::analyze_file(file, {dla::test::testdata("gdb/programs")});
  REQUIRE(f.cycles.size() == 1);
  std::vector<std::string> out;
  for (const CycleMember& m : f.cycles[0].members) {
    const Resource& r = s.resources[m.resource];
    const HoldEdge& h = s.holds[m.hold];
    std::string address = r.address == kNoString ? "?" : std::string(s.str(r.address));
    out.push_back(fmt::format("{} (lwp {}) waits {} {} held by {} [{}] at line {}",
                              id_of(s, m.task), *s.tasks[m.task].lwp, address, s.str(r.symbol),
                              id_of(s, h.task), to_string(h.evidence), h.line));
  }
  return out;
}

// The printed address at full debug level, "?" below it (libc prints no arguments).
std::string at(const std::string& level, const std::string& address) {
  return level == "gdb-full" ? address : "?";
}

}  // namespace

TEST_CASE("GdbSourceGivesTheCycleAtEverySymbolLevel") {
  for (std::string level : {"gdb-full", "gdb-nodebug", "gdb-stripped"}) {
    INFO(level);
    CHECK(cycle_from_source("gdb/mutex_cycle2." + level + ".txt") ==
          std::vector<std::string>{"2 (lwp 4012) waits " + at(level, "0x5592675d80e0") +
                                       " m_beta held by 3 [source] at line 30",
                                   "3 (lwp 4013) waits " + at(level, "0x5592675d80a0") +
                                       " m_alpha held by 2 [source] at line 19"});
    CHECK(cycle_from_source("gdb/mutex_cycle3." + level + ".txt") ==
          std::vector<std::string>{"2 (lwp 4168) waits " + at(level, "0x56087995e0e0") +
                                       " m_beta held by 3 [source] at line 30",
                                   "3 (lwp 4169) waits " + at(level, "0x56087995e120") +
                                       " m_gamma held by 4 [source] at line 40",
                                   "4 (lwp 4170) waits " + at(level, "0x56087995e0a0") +
                                       " m_alpha held by 2 [source] at line 20"});
    // The writer holds rw_table for writing and waits for m_index; the reader holds m_index and
    // waits for rw_table for reading.
    CHECK(cycle_from_source("gdb/rwlock." + level + ".txt") ==
          std::vector<std::string>{"2 (lwp 4434) waits " + at(level, "0x55ea46dd1100") +
                                       " m_index held by 3 [source] at line 32",
                                   "3 (lwp 4435) waits " + at(level, "0x55ea46dd10c0") +
                                       " rw_table held by 2 [source] at line 21"});
    CHECK(cycle_from_source("gdb/self_deadlock." + level + ".txt") ==
          std::vector<std::string>{"2 (lwp 4313) waits " + at(level, "0x55951d1d2080") +
                                   " m_alpha held by 2 [source] at line 23"});
    // C++: libstdc++'s inlined frames keep the mutex's address at every level.
    CHECK(cycle_from_source("gdb/cpp_mutex." + level + ".txt") ==
          std::vector<std::string>{
              "2 (lwp 4833) waits 0x559ebddad120 m_beta held by 3 [source] at line 29",
              "3 (lwp 4834) waits 0x559ebddad0e0 m_alpha held by 2 [source] at line 20"});
    CHECK(cycle_from_source("gdb/cpp_shared_mutex." + level + ".txt") ==
          std::vector<std::string>{
              "2 (lwp 5063) waits 0x55d4f4ebf120 m_index held by 3 [source] at line 32",
              "3 (lwp 5064) waits 0x55d4f4ebf0e0 sm_table held by 2 [source] at line 24"});
  }
}

TEST_CASE("GdbOwnersFromMemoryOutrankSource") {
  // Both say thread 3 holds m_beta; the memory read is the stronger evidence and is kept, and
  // the source adds where the lock was taken.
  std::vector<std::string> cycle = cycle_from_source("gdb/mutex_cycle2.gdb-owners.txt");
  CHECK(cycle == std::vector<std::string>{
                     "2 (lwp 4012) waits 0x5592675d80e0 m_beta held by 3 [memory] at line 30",
                     "3 (lwp 4013) waits 0x5592675d80a0 m_alpha held by 2 [memory] at line 19"});
}
