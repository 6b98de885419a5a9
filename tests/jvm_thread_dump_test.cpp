// Every captured JVM dump, end to end through parser and analysis: the exact cycle in wait-for
// order, each member's lock (id and class), its holder, how we know, and where the lock was taken.
// Ground truth: testdata/jvm/README.md, read off the dumps and the programs that made them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "test_util.h"

using namespace dla;
using dla::test::frame_at;
using dla::test::id_of;
using dla::test::load;

namespace {

struct ExpectedMember {
  std::string task;
  std::string address;  // as printed in the stack's lock line
  std::string type;
  std::string holder;
  std::string blocked_at;  // application frame, "function:line"
  std::string taken_at;    // the holder's frame that took the lock, "" when not recorded
};

struct CaptureCase {
  std::string name;
  std::vector<ExpectedMember> cycle;
};

// The holder's evidence depends on the capture: jstack -l and jcmd -l print the ownable
// synchronizers; kill -3 does not, and there the JVM's deadlock section is the only witness.
Evidence expected_evidence(const std::string& capture, const ExpectedMember& m) {
  bool monitor = m.type.find("java.util.concurrent") == std::string::npos;
  if (monitor) return Evidence::kLockRecord;
  return capture == "kill3" ? Evidence::kDeclared : Evidence::kLockRecord;
}

const std::vector<CaptureCase>& cycle_cases() {
  static const std::vector<CaptureCase> cases = {
      {"monitor_cycle",
       {{"worker-a", "0x00000000ffd1b078", "MonitorCycle$Ledger", "worker-b",
         "MonitorCycle.transferAtoB:30", "MonitorCycle.transferBtoA:39"},
        {"worker-b", "0x00000000ffd1a580", "MonitorCycle$Inventory", "worker-a",
         "MonitorCycle.transferBtoA:39", "MonitorCycle.transferAtoB:30"}}},
      {"reentrant_lock_cycle",
       {{"worker-a", "0x00000000ffd19d10", "java.util.concurrent.locks.ReentrantLock$NonfairSync",
         "worker-b", "ReentrantLockCycle.lockBoth:28", ""},
        {"worker-b", "0x00000000ffd19ce0", "java.util.concurrent.locks.ReentrantLock$NonfairSync",
         "worker-a", "ReentrantLockCycle.lockBoth:28", ""}}},
      {"mixed_cycle",
       {{"stage-1", "0x00000000ffd1a828", "java.util.concurrent.locks.ReentrantLock$NonfairSync",
         "stage-2", "MixedCycle.stage1:32", ""},
        {"stage-2", "0x00000000ffd1b2e8", "MixedCycle$Gamma", "stage-3", "MixedCycle.stage2:46",
         "MixedCycle.stage3:57"},
        {"stage-3", "0x00000000ffd1a6c0", "MixedCycle$Alpha", "stage-1", "MixedCycle.stage3:57",
         "MixedCycle.stage1:32"}}},
      {"rwlock_cycle",
       {{"writer-1", "0x00000000ffd1a228",
         "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync", "writer-2",
         "RwLockCycle.writeThenRead:28", ""},
        {"writer-2", "0x00000000ffd19fe8",
         "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync", "writer-1",
         "RwLockCycle.writeThenRead:28", ""}}},
      {"big_cycle_3000",
       {{"cycle-a", "0x00000000ff108328", "BigCycle3000$Ledger", "cycle-b",
         "BigCycle3000.cycleA:53", "BigCycle3000.cycleB:62"},
        {"cycle-b", "0x00000000ff108338", "BigCycle3000$Inventory", "cycle-a",
         "BigCycle3000.cycleB:62", "BigCycle3000.cycleA:53"}}},
  };
  return cases;
}

constexpr const char* kJdk17 = "OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1";

Snapshot check_cycle(const std::string& file, const std::string& capture, const CaptureCase& c,
                     const std::string& runtime = kJdk17) {
  INFO(file);
  Snapshot s = load(file);
  Findings f = analyze(s);
  CHECK(s.format == "jvm");
  CHECK(s.runtime == runtime);
  CHECK_FALSE(s.damaged);
  CHECK(f.warnings.empty());
  CHECK(s.warnings.empty());
  REQUIRE(f.cycles.size() == 1);
  const Cycle& cycle = f.cycles[0];
  CHECK(cycle.confidence == Confidence::kCertain);
  CHECK(cycle.declared_by_runtime);
  REQUIRE(cycle.members.size() == c.cycle.size());
  for (size_t i = 0; i < c.cycle.size(); ++i) {
    const ExpectedMember& want = c.cycle[i];
    const CycleMember& m = cycle.members[i];
    INFO("member " << i << ": " << want.task);
    CHECK(id_of(s, m.task) == want.task);
    const Resource& r = s.resources[m.resource];
    CHECK(s.str(r.address) == want.address);
    CHECK(s.str(r.type) == want.type);
    const HoldEdge& h = s.holds[m.hold];
    CHECK(id_of(s, h.task) == want.holder);
    CHECK(h.evidence == expected_evidence(capture, want));
    CHECK(frame_at(s, h.frame) == want.taken_at);
    const WaitEdge& w = s.waits[m.wait];
    CHECK(frame_at(s, w.app_frame) == want.blocked_at);
  }
  CHECK(f.verdict() == Findings::Verdict::kDeadlock);
  return s;
}

}  // namespace

TEST_CASE("JvmCapturedCyclesAreFoundExactlyInEveryCaptureMethod") {
  for (const CaptureCase& c : cycle_cases()) {
    for (std::string capture : {"jstack-l", "jcmd", "kill3"}) {
      check_cycle("jvm/" + c.name + "." + capture + ".txt", capture, c);
    }
  }
}

TEST_CASE("JvmPlainJstackWithoutOwnableListsStillFindsTheMonitorCycle") {
  check_cycle("jvm/monitor_cycle.jstack.txt", "jstack", cycle_cases()[0]);
}

TEST_CASE("JvmThreeCaptureMethodsOfOneProcessGiveTheSameFindings") {
  // Findings as plain text: cycle members with their locks and holders, then blocked waiters.
  auto findings_of = [](const std::string& file) {
    Snapshot s = load(file);
    Findings f = analyze(s);
    std::vector<std::string> out;
    for (const Cycle& c : f.cycles) {
      for (const CycleMember& m : c.members) {
        out.push_back(id_of(s, m.task) + " waits " +
                      std::string(s.str(s.resources[m.resource].address)) + " held by " +
                      id_of(s, s.holds[m.hold].task));
      }
    }
    for (const BlockedWaiter& b : f.blocked) {
      out.push_back(id_of(s, b.task) + " behind " + std::to_string(b.cycle) + " via " +
                    id_of(s, b.holder));
    }
    out.push_back("tasks " + std::to_string(s.tasks.size()));
    return out;
  };
  for (const std::string name : {"monitor_cycle", "reentrant_lock_cycle", "mixed_cycle",
                                 "rwlock_cycle", "big_cycle_3000", "idle_pool", "lost_notify"}) {
    INFO(name);
    auto jstack = findings_of("jvm/" + name + ".jstack-l.txt");
    CHECK(findings_of("jvm/" + name + ".jcmd.txt") == jstack);
    CHECK(findings_of("jvm/" + name + ".kill3.txt") == jstack);
  }
}

TEST_CASE("JvmBigDumpListsTheThreadsBlockedBehindTheCycleApart") {
  Snapshot s = load("jvm/big_cycle_3000.jstack-l.txt");
  Findings f = analyze(s);
  REQUIRE(f.cycles.size() == 1);
  CHECK(s.tasks.size() == 3020);
  std::set<std::string> blocked;
  for (const BlockedWaiter& b : f.blocked) {
    blocked.insert(id_of(s, b.task));
    CHECK(b.cycle == 0);
    CHECK(id_of(s, b.holder) == "cycle-a");
    CHECK(s.str(s.resources[b.resource].address) == "0x00000000ff108338");
  }
  CHECK(blocked == std::set<std::string>{"blocked-behind-0", "blocked-behind-1", "blocked-behind-2",
                                         "blocked-behind-3", "blocked-behind-4"});
  for (const CycleMember& m : f.cycles[0].members) CHECK(blocked.count(id_of(s, m.task)) == 0);
}

TEST_CASE("JvmIdlePoolHasNoCycleAndOneGroupOfTwoHundred") {
  for (std::string capture : {"jstack-l", "jcmd", "kill3"}) {
    Snapshot s = load("jvm/idle_pool." + capture + ".txt");
    Findings f = analyze(s);
    CHECK(f.cycles.empty());
    CHECK(f.stuck.empty());
    CHECK(f.verdict() == Findings::Verdict::kClean);
    REQUIRE_FALSE(f.groups.groups.empty());
    const Group& biggest = f.groups.groups[0];
    CHECK(biggest.count == 200);
    CHECK(s.str(biggest.state) == "WAITING (parking)");
    CHECK(id_of(s, biggest.tasks[0]) == "pool-worker-0");
  }
}

TEST_CASE("JvmObjectWaitReleasesTheMonitorAndIsNoDeadlock") {
  Snapshot s = load("jvm/lost_notify.jstack-l.txt");
  Findings f = analyze(s);
  CHECK(f.cycles.empty());
  CHECK(f.stuck.empty());
  // No thread holds a monitor that a thread in Object.wait() waits on: wait() released it, even
  // where HotSpot still prints "- locked" under the frame that entered it (main's Thread.join).
  for (const WaitEdge& w : s.waits) {
    if (s.resources[w.resource].kind != ResourceKind::kCondition) continue;
    for (const HoldEdge& h : s.holds) {
      CHECK(s.resources[h.resource].address_value != s.resources[w.resource].address_value);
    }
  }
}

// Transcribed from HotSpot's printing code of JDK 8, 11 and 21
// (testdata/jvm/transcribed/README.md).
TEST_CASE("JvmJdk8DumpNewestThreadFirstAndOldJniLine") {
  check_cycle("jvm/transcribed/jdk8_monitor_cycle.txt", "jstack-l",
              {"jdk8",
               {{"worker-b", "0x000000076b3a8c10", "MonitorCycle$Inventory", "worker-a",
                 "MonitorCycle.transferBtoA:39", "MonitorCycle.transferAtoB:30"},
                {"worker-a", "0x000000076b3a9b48", "MonitorCycle$Ledger", "worker-b",
                 "MonitorCycle.transferAtoB:30", "MonitorCycle.transferBtoA:39"}}},
              "OpenJDK 64-Bit Server VM 25.202-b08");
}

TEST_CASE("JvmJdk11ReentrantLockCycleFromOwnableSynchronizers") {
  check_cycle(
      "jvm/transcribed/jdk11_reentrant_cycle.txt", "jstack-l",
      {"jdk11",
       {{"worker-a", "0x000000062a21c2d8", "java.util.concurrent.locks.ReentrantLock$NonfairSync",
         "worker-b", "ReentrantLockCycle.lockBoth:28", ""},
        {"worker-b", "0x000000062a21c2a8", "java.util.concurrent.locks.ReentrantLock$NonfairSync",
         "worker-a", "ReentrantLockCycle.lockBoth:28", ""}}},
      "OpenJDK 64-Bit Server VM 11.0.22+7");
  // JDK 11 prints "- waiting to re-lock in wait()" for the monitor a WAITING thread released in
  // Object.wait() (main in Thread.join, Finalizer, Common-Cleaner): neither a hold nor a monitor
  // wait.
  Snapshot s = load("jvm/transcribed/jdk11_reentrant_cycle.txt");
  for (const std::string name : {"main", "Finalizer", "Common-Cleaner"}) {
    INFO(name);
    for (const HoldEdge& h : s.holds) CHECK(id_of(s, h.task) != name);
    for (const WaitEdge& w : s.waits) {
      if (id_of(s, w.task) == name) CHECK(s.resources[w.resource].kind == ResourceKind::kCondition);
    }
  }
}

TEST_CASE("JvmJdk21DecimalNidAndOsThreadIdInBrackets") {
  Snapshot s =
      check_cycle("jvm/transcribed/jdk21_monitor_cycle.txt", "jstack",
                  {"jdk21",
                   {{"worker-a", "0x00000006a2c1c0a0", "MonitorCycle$Ledger", "worker-b",
                     "MonitorCycle.transferAtoB:30", "MonitorCycle.transferBtoA:39"},
                    {"worker-b", "0x00000006a2c1b3d8", "MonitorCycle$Inventory", "worker-a",
                     "MonitorCycle.transferBtoA:39", "MonitorCycle.transferAtoB:30"}}},
                  "OpenJDK 64-Bit Server VM 21.0.9+10-LTS");
  TaskIndex a = s.tasks.size();
  for (TaskIndex t = 0; t < s.tasks.size(); ++t) {
    if (id_of(s, t) == "worker-a") a = t;
  }
  REQUIRE(a < s.tasks.size());
  CHECK(s.tasks[a].lwp == 9101);
}

TEST_CASE("JvmJdk21DumpToFileHasStacksButNoLocks") {
  Snapshot s = load("jvm/transcribed/jdk21_dump_to_file.txt");
  Findings f = analyze(s);
  CHECK(s.format == "jvm");
  CHECK(s.runtime == "Java 21.0.9+10-LTS");
  CHECK_FALSE(s.records_locks);
  CHECK(f.cycles.empty());
  CHECK(s.holds.empty());
  REQUIRE(s.warnings.size() == 1);
  CHECK(s.warnings[0].message.find("records no locks") != std::string::npos);
  std::vector<std::string> ids;
  for (TaskIndex t = 0; t < s.tasks.size(); ++t) ids.push_back(id_of(s, t));
  CHECK(ids[0] == "main");
  // worker-a's frames, innermost first, with the module split off.
  for (TaskIndex t = 0; t < s.tasks.size(); ++t) {
    if (id_of(s, t) != "worker-a") continue;
    auto frames = s.frames_of(s.tasks[t]);
    REQUIRE(frames.size() >= 2);
    CHECK(s.str(frames[0].function) == "MonitorCycle.transferAtoB");
    CHECK(frames[0].line == 30);
    CHECK(s.str(frames[1].module) == "java.base");
  }
}

TEST_CASE("JvmTwoCyclesAmongThreadsOfOneNameAreToldApartByTheirLocks") {
  // Four threads all named "worker" (ids get their thread numbers); HotSpot's report names every
  // member "worker", so members are matched by the lock they wait for and holders by position.
  for (std::string capture : {"jstack-l", "jcmd", "kill3"}) {
    std::string file = "jvm/two_cycles_same_name." + capture + ".txt";
    INFO(file);
    Snapshot s = load(file);
    Findings f = analyze(s);
    CHECK(s.warnings.empty());
    CHECK(f.warnings.empty());
    REQUIRE(f.cycles.size() == 2);
    auto describe = [&](const Cycle& c) {
      std::vector<std::string> out;
      for (const CycleMember& m : c.members) {
        out.push_back(id_of(s, m.task) + " waits " +
                      std::string(s.str(s.resources[m.resource].address)) + " held by " +
                      id_of(s, s.holds[m.hold].task) + " [" + to_string(s.holds[m.hold].evidence) +
                      "]");
      }
      return out;
    };
    CHECK(describe(f.cycles[0]) ==
          std::vector<std::string>{
              "worker (#12) waits 0x00000000ffd1c348 held by worker (#13) [lock_record]",
              "worker (#13) waits 0x00000000ffd1b7c0 held by worker (#12) [lock_record]"});
    std::string evidence = capture == "kill3" ? "declared" : "lock_record";
    CHECK(describe(f.cycles[1]) ==
          std::vector<std::string>{
              "worker (#14) waits 0x00000000ffd1c4e0 held by worker (#15) [" + evidence + "]",
              "worker (#15) waits 0x00000000ffd1c4b0 held by worker (#14) [" + evidence + "]"});
    CHECK(f.cycles[0].declared_by_runtime);
    CHECK(f.cycles[1].declared_by_runtime);
  }
}

TEST_CASE("JvmBigDumpJitCompiledWaitsHoldNothing") {
  // 868 pollers print "waiting on <no object reference available>" and then "- locked <Signal>"
  // for the monitor that wait() released: none of them may hold it.
  Snapshot s = load("jvm/big_cycle_3000.jstack-l.txt");
  size_t pollers_holding = 0;
  for (const HoldEdge& h : s.holds) {
    if (id_of(s, h.task).rfind("poller-", 0) == 0) ++pollers_holding;
  }
  CHECK(pollers_holding == 0);
}

TEST_CASE("JvmCrlfLineEndingsReadTheSame") {
  std::string path = dla::test::testdata("jvm/monitor_cycle.jstack-l.txt");
  dla::InputFile file(path);
  std::string crlf;
  for (char c : file.bytes()) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  Snapshot s = dla::test::parse_text(crlf);
  Findings f = analyze(s);
  REQUIRE(f.cycles.size() == 1);
  CHECK(id_of(s, f.cycles[0].members[0].task) == "worker-a");
  CHECK(s.str(s.resources[f.cycles[0].members[0].resource].type) == "MonitorCycle$Ledger");
  CHECK(s.str(s.frames[s.waits[f.cycles[0].members[0].wait].frame].file) == "MonitorCycle.java");
}

TEST_CASE("JvmTwoDumpsInOneFileAreTwoSnapshots") {
  // kill -3 sent twice: the JVM's stdout holds two dumps one after the other. Each is a snapshot
  // of its own, with its own time; a plain run analyses the last and says so.
  std::string path = dla::test::testdata("jvm/monitor_cycle.kill3.txt");
  dla::InputFile file(path);
  std::string once(file.bytes());
  std::string twice = once + once;
  std::vector<Snapshot> all = read_snapshots({"test.txt", twice});
  REQUIRE(all.size() == 2);
  uint32_t lines_in_one = static_cast<uint32_t>(std::count(once.begin(), once.end(), '\n'));
  for (const Snapshot& s : all) {
    CHECK(s.tasks.size() == 21);
    CHECK(analyze(s).cycles.size() == 1);
    CHECK(s.warnings.empty());
    CHECK_FALSE(s.damaged);
  }
  // The second dump starts at its timestamp line, right after the first dump's last line.
  CHECK(all[0].first_line == 1);
  CHECK(all[1].first_line == lines_in_one + 1);
  CHECK(all[1].taken_at_text == all[0].taken_at_text);
  CHECK(all[1].taken_at.has_value());

  Snapshot last = dla::test::parse_text(twice);
  CHECK(last.tasks.size() == 21);
  REQUIRE(last.warnings.size() == 1);
  CHECK(last.warnings[0].where == "test.txt:" + std::to_string(lines_in_one + 1));
  CHECK(last.warnings[0].message.find("the input holds 2 dumps; the last") != std::string::npos);
}
