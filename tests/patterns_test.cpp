// The pattern table of graph/patterns, row by row, on the captured dumps of testdata/ (and, for
// the shapes no capture shows, on a real record given minutes or a small hand-built graph).
#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>

#include "graph/patterns.h"
#include "graph/snapshot_builder.h"
#include "test_util.h"

using namespace dla;
using dla::test::analyze_file;
using dla::test::analyze_text;
using dla::test::id_of;
using dla::test::read_file;
using dla::test::testdata;

namespace {

const std::string kGoRoot = "/tmp/dlanalyze-go=" + testdata("go/programs");
const std::string kNativeRoot = testdata("gdb/programs");

std::vector<std::string> cycle_patterns(const AnalyzedSnapshot& a) {
  std::vector<std::string> out;
  for (Pattern p : a.findings.patterns.cycles) out.emplace_back(info(p).id);
  return out;
}

// "task-id:pattern-id" for every stuck waiter.
std::vector<std::string> stuck_patterns(const AnalyzedSnapshot& a) {
  std::vector<std::string> out;
  for (size_t i = 0; i < a.findings.stuck.size(); ++i) {
    auto p = a.findings.patterns.stuck[i];
    out.push_back(id_of(a.snapshot, a.findings.stuck[i].task) + ":" +
                  (p ? std::string(info(*p).id) : "none"));
  }
  return out;
}

std::map<std::string, std::string> suspect_patterns(const AnalyzedSnapshot& a) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < a.findings.long_parked.size(); ++i) {
    auto p = a.findings.patterns.suspects[i];
    out[id_of(a.snapshot, a.findings.long_parked[i].task)] = p ? info(*p).id : "none";
  }
  return out;
}

// The dump as if taken `minutes` later: every goroutine header gets Go's ", N minutes".
std::string parked_for(const std::string& dump, int minutes) {
  static const std::regex header(R"(^(goroutine \d+ \[[^\]]*)\]:)", std::regex::multiline);
  return std::regex_replace(dump, header, "$1, " + std::to_string(minutes) + " minutes]:");
}

}  // namespace

TEST_CASE("PatternTableIsIndexedByPatternAndNamesEachOnce") {
  std::set<std::string_view> ids;
  for (const PatternInfo& p : all_patterns()) {
    CHECK(&info(p.pattern) == &p);
    CHECK(ids.insert(p.id).second);
    CHECK(!p.why.empty());
  }
  CHECK(ids.size() == 11);
}

TEST_CASE("PatternLockOrderInversionInEveryFormat") {
  CHECK(cycle_patterns(analyze_file("jvm/monitor_cycle.jstack-l.txt")) ==
        std::vector<std::string>{"lock-order-inversion"});
  CHECK(cycle_patterns(analyze_file("jvm/mixed_cycle.jstack-l.txt")) ==
        std::vector<std::string>{"lock-order-inversion"});
  CHECK(cycle_patterns(analyze_file("jvm/two_cycles_same_name.jstack-l.txt")) ==
        std::vector<std::string>{"lock-order-inversion", "lock-order-inversion"});
  CHECK(cycle_patterns(analyze_file("go/server_cycle3.debug2.txt", {kGoRoot})) ==
        std::vector<std::string>{"lock-order-inversion"});
  CHECK(cycle_patterns(analyze_file("gdb/mutex_cycle3.gdb-owners.txt")) ==
        std::vector<std::string>{"lock-order-inversion"});
  CHECK(cycle_patterns(analyze_file("gdb/cpp_mutex.gdb-full.txt", {kNativeRoot})) ==
        std::vector<std::string>{"lock-order-inversion"});
}

TEST_CASE("PatternReadWriteInversionWhenARwlockIsInTheCycle") {
  // Go: a reader of catalog.mu against the writer of pricing.mu (testdata/go/README.md).
  CHECK(cycle_patterns(analyze_file("go/rwmutex.debug2.txt", {kGoRoot})) ==
        std::vector<std::string>{"read-write-lock-order-inversion"});
  CHECK(cycle_patterns(analyze_file("jvm/rwlock_cycle.jstack-l.txt")) ==
        std::vector<std::string>{"read-write-lock-order-inversion"});
  CHECK(cycle_patterns(analyze_file("gdb/rwlock.gdb-full.txt", {kNativeRoot})) ==
        std::vector<std::string>{"read-write-lock-order-inversion"});
  CHECK(cycle_patterns(analyze_file("gdb/cpp_shared_mutex.gdb-full.txt", {kNativeRoot})) ==
        std::vector<std::string>{"read-write-lock-order-inversion"});
}

TEST_CASE("PatternSelfDeadlockIsACycleOfOneExclusiveHold") {
  CHECK(cycle_patterns(analyze_file("go/self_deadlock.debug2.txt", {kGoRoot})) ==
        std::vector<std::string>{"self-deadlock"});
  CHECK(cycle_patterns(analyze_file("gdb/self_deadlock.gdb-full.txt", {kNativeRoot})) ==
        std::vector<std::string>{"self-deadlock"});
}

TEST_CASE("PatternRecursiveReadWhenATaskWaitsForAReadLockItHoldsShared") {
  // Corpus programs: a reader asks again for the read lock it holds while a writer waits in
  // between (Go's sync.RWMutex; a writer-preferring pthread rwlock).
  const std::string root = "/tmp/dlanalyze-corpus=" + testdata("corpus/programs");
  for (const char* capture :
       {"go_rlock_recursive_writer/debug2.txt", "c_rwlock_writer_pref_recursive/gdb-full.txt"}) {
    INFO(capture);
    AnalyzedSnapshot a = analyze_file(std::string("corpus/captures/") + capture, {root});
    CHECK(cycle_patterns(a) == std::vector<std::string>{"rwmutex-recursive-read"});
  }
}

TEST_CASE("PatternReadLockUpgradeWhenATaskWaitsToWriteWhatItReads") {
  // The red team's go_rwmutex_upgrade_pair: goroutines 19 and 20 each hold c.mu for reading
  // (main.go:23) and ask for c.mu.Lock() (main.go:34). Each is a cycle of its own.
  const std::string root = "/tmp/dlanalyze-corpus=" + testdata("corpus/programs");
  for (const char* capture : {"debug2.txt", "sigquit.txt"}) {
    AnalyzedSnapshot a =
        analyze_file(std::string("corpus/captures/go_rwmutex_upgrade_pair/") + capture, {root});
    CHECK(cycle_patterns(a) == std::vector<std::string>{"read-lock-upgrade", "read-lock-upgrade"});
  }
}

TEST_CASE("PatternJoinCycleWhenThreadsJoinEachOther") {
  CHECK(cycle_patterns(analyze_file("gdb/join_cycle.gdb-full.txt")) ==
        std::vector<std::string>{"join-cycle"});
}

TEST_CASE("PatternChannelAndSelectWaitsThatCanNeverEnd") {
  // goroutine 19: receive from a nil channel; 20: select {} (testdata/go/README.md, channels);
  // from the source (graph/go_stuck), 21 sends and 23 ranges on channels no goroutine can still
  // reach, and 24 waits on a WaitGroup whose Done no goroutine can reach.
  auto a = analyze_file("go/channels.debug2.txt", {kGoRoot});
  CHECK(stuck_patterns(a) == std::vector<std::string>{"19:channel-no-partner", "20:empty-select",
                                                      "21:channel-no-partner",
                                                      "23:channel-no-partner",
                                                      "24:waitgroup-never-done"});
}

TEST_CASE("PatternWaitGroupNeverDoneWhenTheRuntimeDeclaredEveryoneAsleep") {
  // cycle2_fatal: main waits in workers.Wait() (main.go:67) for the two deadlocked workers.
  auto a = analyze_file("go/cycle2_fatal.txt", {kGoRoot});
  CHECK(cycle_patterns(a) == std::vector<std::string>{"lock-order-inversion"});
  CHECK(stuck_patterns(a) == std::vector<std::string>{"1:waitgroup-never-done"});
}

TEST_CASE("PatternSuspectsParkedForMinutesByWhatTheyWaitFor") {
  // The channels dump as if taken five minutes later, its source not at hand: the hangs that the
  // dump alone cannot prove become suspects, each named by what it waits on.
  auto a = analyze_text(parked_for(read_file(testdata("go/channels.debug2.txt")), 5));
  auto suspects = suspect_patterns(a);
  CHECK(suspects["21"] == "channel-no-partner");    // send_no_receiver, main.go:50
  CHECK(suspects["23"] == "channel-no-partner");    // range_unclosed, main.go:63
  CHECK(suspects["24"] == "waitgroup-never-done");  // awaitShards, main.go:84
}

TEST_CASE("PatternLostWakeupForAConditionWaitParkedForMinutes") {
  // Goroutine 50009 of gen_big's debug=2 dump (testdata/go/README.md), three minutes later.
  std::string dump =
      "goroutine 50009 [sync.Cond.Wait, 3 minutes]:\n"
      "sync.runtime_notifyListWait(0xc0000da210, 0x1)\n"
      "\t/usr/lib/go-1.19/src/runtime/sema.go:517 +0x14c\n"
      "sync.(*Cond).Wait(0x0?)\n"
      "\t/usr/lib/go-1.19/src/sync/cond.go:70 +0x8c\n"
      "main.(*Batcher).waitForBatch(0xc000094810, 0x0?)\n"
      "\t/tmp/dlanalyze-go/gen_big/main.go:90 +0x90\n"
      "created by main.main\n"
      "\t/tmp/dlanalyze-go/gen_big/main.go:227 +0x43a\n";
  auto a = analyze_text(dump);
  CHECK(suspect_patterns(a) == std::map<std::string, std::string>{{"50009", "lost-wakeup"}});
}

TEST_CASE("PatternLeakWhenManyWaitAtOnePlaceOrTheRuntimeProvedIt") {
  // leak: 500 senders at main.go:30, as if taken five minutes later.
  auto a = analyze_text(parked_for(read_file(testdata("go/leak.debug2.txt")), 5));
  auto suspects = suspect_patterns(a);
  REQUIRE(suspects.size() == 500);
  CHECK(suspects["19"] == "leak");
  CHECK(suspects["518"] == "leak");
  // Go 1.26's goroutineleak profile: the runtime's own proof.
  auto leaked = analyze_file("go/transcribed/go126_goroutineleak.debug1.txt");
  REQUIRE(!leaked.findings.stuck.empty());
  for (const std::string& s : stuck_patterns(leaked)) CHECK(s.substr(s.find(':')) == ":leak");
}
