// Serviceability Agent dumps (format jvm-sa): the tokenizer line by line, then every captured
// dump end to end: jhsdb jstack --pid, --locks --pid and --locks --core of the same deadlocked
// JDK 17 processes, each checked against the exact cycle (members, lock ids and classes, holders,
// how we know) and against `jstack -l` of the same process. Ground truth:
// testdata/jvm-sa/README.md.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <set>

#include "parsers/jvm_sa_dump.h"
#include "test_util.h"

using namespace dla;
using dla::test::frame_at;
using dla::test::holders_of;
using dla::test::id_of;
using dla::test::load;
using Kind = SaLine::Kind;

// --- Tokenizer (every line copied from testdata/jvm-sa/)
// ------------------------------------------

TEST_CASE("SaTokenizerReadsThePreambleAndTheDeadlockReport") {
  CHECK(tokenize_sa_line("Attaching to process ID 9772, please wait...").kind == Kind::kAttaching);
  SaLine version = tokenize_sa_line("JVM version is 17.0.15+6-Debian-1deb12u1");
  REQUIRE(version.kind == Kind::kJvmVersion);
  CHECK(version.text == "17.0.15+6-Debian-1deb12u1");
  CHECK(tokenize_sa_line("Deadlock Detection:").kind == Kind::kDeadlockDetection);
  CHECK(tokenize_sa_line("Found one Java-level deadlock:").kind == Kind::kDeadlockStart);
  CHECK(tokenize_sa_line("Found a total of 2 deadlocks.").kind == Kind::kDeadlockTotal);
  CHECK(tokenize_sa_line("No deadlocks found.").kind == Kind::kDeadlockTotal);

  SaLine member = tokenize_sa_line("\"worker\":");
  REQUIRE(member.kind == Kind::kDeadlockThread);
  CHECK(member.text == "worker");

  SaLine monitor = tokenize_sa_line(
      "  waiting to lock Monitor@0x00007fd7d006ec00 (Object@0x00000000ffd1c418, a "
      "TwoCyclesSameName$Payments),");
  REQUIRE(monitor.kind == Kind::kDeadlockMonitor);
  CHECK(monitor.text == "0x00007fd7d006ec00");
  CHECK(monitor.address == "0x00000000ffd1c418");
  CHECK(monitor.detail == "TwoCyclesSameName$Payments");

  // DeadlockDetector.java: " (raw monitor),\n  which is held by" for a monitor without an object.
  SaLine raw = tokenize_sa_line("  waiting to lock Monitor@0x00007fd7d006ec00 (raw monitor),");
  REQUIRE(raw.kind == Kind::kDeadlockMonitor);
  CHECK(raw.address.empty());

  SaLine sync = tokenize_sa_line(
      " waiting for ownable synchronizer 0x00000000ffd1c580, (a "
      "java/util/concurrent/locks/ReentrantLock$NonfairSync),");
  REQUIRE(sync.kind == Kind::kDeadlockSynchronizer);
  CHECK(sync.address == "0x00000000ffd1c580");
  CHECK(sync.detail == "java/util/concurrent/locks/ReentrantLock$NonfairSync");

  for (std::string_view line : {" which is held by \"worker\"", "  which is held by \"worker\""}) {
    SaLine held = tokenize_sa_line(line);
    REQUIRE(held.kind == Kind::kDeadlockHeldBy);
    CHECK(held.text == "worker");
  }
}

TEST_CASE("SaTokenizerReadsThreadsFramesAndLocks") {
  SaLine header = tokenize_sa_line(
      "\"worker\" #12 prio=5 tid=0x00007fd85c0e3fc0 nid=0x3561 waiting for monitor entry "
      "[0x00007fd8447fc000]");
  REQUIRE(header.kind == Kind::kThreadHeader);
  CHECK(header.header.name == "worker");
  CHECK(header.header.number == "12");
  CHECK(header.header.nid == 0x3561);
  CHECK(header.header.os_state == "waiting for monitor entry");

  SaLine state = tokenize_sa_line("   java.lang.Thread.State: BLOCKED (on object monitor)");
  REQUIRE(state.kind == Kind::kThreadState);
  CHECK(state.text == "BLOCKED (on object monitor)");
  CHECK(tokenize_sa_line("   JavaThread state: _thread_blocked").kind == Kind::kOther);

  SaLine frame = tokenize_sa_line(
      " - TwoCyclesSameName.lockBoth(java.util.concurrent.locks.ReentrantLock, "
      "java.util.concurrent.locks.ReentrantLock) @bci=11, line=52 (Interpreted frame)");
  REQUIRE(frame.kind == Kind::kFrame);
  CHECK(frame.text == "TwoCyclesSameName.lockBoth");
  CHECK(frame.number == 52);
  CHECK(frame.interpreted);
  SaLine native = tokenize_sa_line(" - java.lang.Object.wait(long) @bci=0 (Interpreted frame)");
  REQUIRE(native.kind == Kind::kFrame);
  CHECK(native.text == "java.lang.Object.wait");
  CHECK(native.number == 0);
  SaLine compiled = tokenize_sa_line(
      " - java.lang.Thread.run() @bci=11, line=840 (Compiled frame [deoptimized]; information may "
      "be imprecise)");
  REQUIRE(compiled.kind == Kind::kFrame);
  CHECK_FALSE(compiled.interpreted);

  SaLine locked =
      tokenize_sa_line("\t- locked <0x00000000ffd1c418> (a TwoCyclesSameName$Payments)");
  REQUIRE(locked.kind == Kind::kLockLine);
  CHECK(locked.text == "locked");
  CHECK(locked.address == "0x00000000ffd1c418");
  CHECK(locked.detail == "TwoCyclesSameName$Payments");
  // One space after "for" (jstack prints two) and the class with '/'.
  SaLine park = tokenize_sa_line(
      "\t- parking to wait for <0x00000000ffd1c5b0> (a "
      "java/util/concurrent/locks/ReentrantLock$NonfairSync)");
  REQUIRE(park.kind == Kind::kLockLine);
  CHECK(park.text == "parking to wait for");
  CHECK(park.detail == "java/util/concurrent/locks/ReentrantLock$NonfairSync");

  CHECK(tokenize_sa_line("Locked ownable synchronizers:").kind == Kind::kOwnableHeader);
  SaLine owned = tokenize_sa_line(
      "    - <0x00000000ffd1c580>, (a java/util/concurrent/locks/ReentrantLock$NonfairSync)");
  REQUIRE(owned.kind == Kind::kOwnable);
  CHECK(owned.address == "0x00000000ffd1c580");
  CHECK(owned.detail == "java/util/concurrent/locks/ReentrantLock$NonfairSync");
  SaLine none = tokenize_sa_line("    - None");
  REQUIRE(none.kind == Kind::kOwnable);
  CHECK(none.address.empty());

  // JDK 8 (transcribed): the LWP and the VM's own state.
  SaLine jdk8 = tokenize_sa_line("Thread 23565: (state = BLOCKED)");
  REQUIRE(jdk8.kind == Kind::kJdk8ThreadHeader);
  CHECK(jdk8.number == 23565);
  CHECK(jdk8.text == "BLOCKED");
  // A Java exception's stack, printed after "Error occurred during stack walking:", is no frame.
  CHECK(tokenize_sa_line("Error occurred during stack walking:").kind == Kind::kStackWalkError);
  CHECK(tokenize_sa_line("\tat jdk.hotspot.agent/sun.jvm.hotspot.tools.StackTrace.run("
                         "StackTrace.java:81)")
            .kind == Kind::kOther);
}

// --- Captured dumps -----------------------------------------------------------------------------

namespace {

struct ExpectedMember {
  std::string task;
  std::string address;  // as printed in the stack's lock line
  std::string type;     // with '.', whatever the SA printed
  std::string holder;
  std::string blocked_at;  // application frame, "function:line"
  std::string taken_at;    // the holder's frame that took the lock, "" when not recorded
};

struct SaCase {
  std::string name;
  std::vector<std::vector<ExpectedMember>> cycles;
};

const std::string kNonfairSync = "java.util.concurrent.locks.ReentrantLock$NonfairSync";

const std::vector<SaCase>& sa_cases() {
  static const std::vector<SaCase> cases = {
      {"monitor_cycle",
       {{{"worker-a", "0x00000000ffd1b190", "MonitorCycle$Ledger", "worker-b",
          "MonitorCycle.transferAtoB:30", "MonitorCycle.transferBtoA:39"},
         {"worker-b", "0x00000000ffd1a660", "MonitorCycle$Inventory", "worker-a",
          "MonitorCycle.transferBtoA:39", "MonitorCycle.transferAtoB:30"}}}},
      {"reentrant_lock_cycle",
       {{{"worker-a", "0x00000000ffd19d90", kNonfairSync, "worker-b",
          "ReentrantLockCycle.lockBoth:28", ""},
         {"worker-b", "0x00000000ffd19d60", kNonfairSync, "worker-a",
          "ReentrantLockCycle.lockBoth:28", ""}}}},
      {"mixed_cycle",
       {{{"stage-1", "0x00000000ffd1a860", kNonfairSync, "stage-2", "MixedCycle.stage1:32", ""},
         {"stage-2", "0x00000000ffd1b338", "MixedCycle$Gamma", "stage-3", "MixedCycle.stage2:46",
          "MixedCycle.stage3:57"},
         {"stage-3", "0x00000000ffd1a6f8", "MixedCycle$Alpha", "stage-1", "MixedCycle.stage3:57",
          "MixedCycle.stage1:32"}}}},
      {"rwlock_cycle",
       {{{"writer-1", "0x00000000ffd1a288",
          "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync", "writer-2",
          "RwLockCycle.writeThenRead:28", ""},
         {"writer-2", "0x00000000ffd1a048",
          "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync", "writer-1",
          "RwLockCycle.writeThenRead:28", ""}}}},
      {"two_cycles_same_name",
       {{{"worker (#12)", "0x00000000ffd1c418", "TwoCyclesSameName$Payments", "worker (#13)",
          "TwoCyclesSameName.ordersThenPayments:34", "TwoCyclesSameName.paymentsThenOrders:43"},
         {"worker (#13)", "0x00000000ffd1b848", "TwoCyclesSameName$Orders", "worker (#12)",
          "TwoCyclesSameName.paymentsThenOrders:43", "TwoCyclesSameName.ordersThenPayments:34"}},
        {{"worker (#14)", "0x00000000ffd1c5b0", kNonfairSync, "worker (#15)",
          "TwoCyclesSameName.lockBoth:52", ""},
         {"worker (#15)", "0x00000000ffd1c580", kNonfairSync, "worker (#14)",
          "TwoCyclesSameName.lockBoth:52", ""}}}},
  };
  return cases;
}

// Without --locks the SA lists no ownable synchronizers: a java.util.concurrent lock's holder is
// then known only from the SA's deadlock report.
Evidence expected_evidence(const std::string& capture, const ExpectedMember& m) {
  bool monitor = m.type.find("java.util.concurrent") == std::string::npos;
  if (monitor || capture != "jhsdb") return Evidence::kLockRecord;
  return Evidence::kDeclared;
}

constexpr const char* kSaRuntime = "HotSpot JVM 17.0.15+6-Debian-1deb12u1";
const std::vector<std::string> kSaCaptures = {"jhsdb", "jhsdb-locks", "jhsdb-core"};

void check_cycles(const Snapshot& s, const Findings& f, const std::string& capture,
                  const SaCase& c) {
  REQUIRE(f.cycles.size() == c.cycles.size());
  for (size_t k = 0; k < c.cycles.size(); ++k) {
    const Cycle& cycle = f.cycles[k];
    CHECK(cycle.confidence == Confidence::kCertain);
    CHECK(cycle.declared_by_runtime);
    REQUIRE(cycle.members.size() == c.cycles[k].size());
    for (size_t i = 0; i < cycle.members.size(); ++i) {
      const ExpectedMember& want = c.cycles[k][i];
      const CycleMember& m = cycle.members[i];
      INFO("cycle " << k << " member " << i << ": " << want.task);
      CHECK(id_of(s, m.task) == want.task);
      const Resource& r = s.resources[m.resource];
      CHECK(s.str(r.address) == want.address);
      CHECK(s.str(r.type) == want.type);
      const HoldEdge& h = s.holds[m.hold];
      CHECK(id_of(s, h.task) == want.holder);
      CHECK(h.evidence == expected_evidence(capture, want));
      CHECK(frame_at(s, h.frame) == want.taken_at);
      CHECK(frame_at(s, s.waits[m.wait].app_frame) == want.blocked_at);
      // One holder: the waiter's own "- locked" line for a monitor it is entering is no hold.
      CHECK(holders_of(s, m.resource) ==
            std::vector<std::string>{want.holder + "/" + to_string(h.evidence)});
    }
  }
  CHECK(f.verdict() == Findings::Verdict::kDeadlock);
}

}  // namespace

TEST_CASE("SaCapturedCyclesAreExactInEveryCaptureMethod") {
  for (const SaCase& c : sa_cases()) {
    for (const std::string& capture : kSaCaptures) {
      std::string file = "jvm-sa/" + c.name + "." + capture + ".txt";
      INFO(file);
      Snapshot s = load(file);
      Findings f = analyze(s);
      CHECK(s.format == "jvm-sa");
      CHECK(s.runtime == kSaRuntime);
      CHECK(s.runtime_checked_deadlocks);
      CHECK_FALSE(s.damaged);
      // No "not in the dump" for the report printed before the threads, no "truncated" for the
      // SA's ending without a trailer, no disagreement with the SA's own report.
      CHECK(s.warnings.empty());
      CHECK(f.warnings.empty());
      check_cycles(s, f, capture, c);
    }
  }
}

TEST_CASE("SaAndJstackOfTheSameProcessGiveTheSameFindings") {
  // Everything but the frames' files (the SA prints none) and the threads jstack adds (VM
  // threads, the Attach Listener it starts).
  auto findings_of = [](const std::string& file) {
    Snapshot s = load(file);
    Findings f = analyze(s);
    std::vector<std::string> out;
    for (const Cycle& c : f.cycles) {
      for (const CycleMember& m : c.members) {
        const Task& t = s.tasks[m.task];
        out.push_back(id_of(s, m.task) + " lwp " + std::to_string(t.lwp.value_or(-1)) + " " +
                      std::string(s.str(t.state)) + " waits " +
                      std::string(s.str(s.resources[m.resource].address)) + " at " +
                      frame_at(s, s.waits[m.wait].app_frame) + " held by " +
                      id_of(s, s.holds[m.hold].task) + " since " +
                      frame_at(s, s.holds[m.hold].frame));
      }
    }
    for (const BlockedWaiter& b : f.blocked) out.push_back(id_of(s, b.task) + " behind");
    return out;
  };
  for (const SaCase& c : sa_cases()) {
    auto jstack = findings_of("jvm-sa/" + c.name + ".jstack-l.txt");
    REQUIRE_FALSE(jstack.empty());
    for (const std::string capture : {"jhsdb-locks", "jhsdb-core"}) {
      INFO(c.name << "." << capture);
      CHECK(findings_of("jvm-sa/" + c.name + "." + capture + ".txt") == jstack);
    }
  }
}

TEST_CASE("SaLockedLineOfTheMonitorBeingEnteredIsTheWaitNeverAHold") {
  // worker-a's interpreted top frame prints both monitors as "- locked", the one it entered
  // (Inventory) and, last, the one it is blocked on (Ledger), which worker-b holds.
  std::string text = dla::test::read_file(dla::test::testdata("jvm-sa/monitor_cycle.jhsdb.txt"));
  REQUIRE(text.find(" - MonitorCycle.transferAtoB() @bci=15, line=30 (Interpreted frame)\n"
                    "\t- locked <0x00000000ffd1a660> (a MonitorCycle$Inventory)\n"
                    "\t- locked <0x00000000ffd1b190> (a MonitorCycle$Ledger)\n") !=
          std::string::npos);
  Snapshot s = load("jvm-sa/monitor_cycle.jhsdb.txt");
  TaskIndex a = s.tasks.size();
  for (TaskIndex t = 0; t < s.tasks.size(); ++t) {
    if (id_of(s, t) == "worker-a") a = t;
  }
  REQUIRE(a < s.tasks.size());
  const WaitEdge* w = dla::test::wait_of_task(s, a);
  REQUIRE(w != nullptr);
  CHECK(s.str(s.resources[w->resource].address) == "0x00000000ffd1b190");
  CHECK(holders_of(s, w->resource) == std::vector<std::string>{"worker-b/lock_record"});
  std::vector<std::string> held;
  for (const HoldEdge& h : s.holds) {
    if (h.task == a) held.push_back(std::string(s.str(s.resources[h.resource].address)));
  }
  CHECK(held == std::vector<std::string>{"0x00000000ffd1a660"});
}

TEST_CASE("SaObjectWaitReleasesTheMonitorAndIsNoDeadlock") {
  for (const std::string& capture : kSaCaptures) {
    Snapshot s = load("jvm-sa/lost_notify." + capture + ".txt");
    Findings f = analyze(s);
    INFO(capture);
    CHECK(s.warnings.empty());
    CHECK(f.cycles.empty());
    CHECK(f.verdict() == Findings::Verdict::kClean);
    // waiter (and the Finalizer) wait on a monitor their wait() released: the "- locked"
    // line under the frame that entered it is no hold.
    CHECK(s.holds.empty());
    std::set<std::string> waiting;
    for (const WaitEdge& w : s.waits) {
      if (s.resources[w.resource].kind == ResourceKind::kCondition)
        waiting.insert(id_of(s, w.task));
    }
    CHECK(waiting.count("waiter") == 1);
    CHECK(waiting.count("Finalizer") == 1);
  }
}

// --- JDK 8 (transcribed from the SA's printing code: testdata/jvm-sa/transcribed/README.md) ------

TEST_CASE("SaJdk8JstackFNamesMembersOnlyInItsReportAndSaysSo") {
  Snapshot s = load("jvm-sa/transcribed/jdk8_jstack-F_monitor_cycle.txt");
  Findings f = analyze(s);
  CHECK(s.format == "jvm-sa");
  CHECK(s.runtime == "HotSpot JVM 25.202-b08");
  CHECK_FALSE(s.records_locks);
  CHECK_FALSE(s.damaged);
  // Six threads by LWP, and the two members by name, without stacks.
  std::vector<std::string> ids;
  for (TaskIndex t = 0; t < s.tasks.size(); ++t) ids.push_back(id_of(s, t));
  CHECK(ids == std::vector<std::string>{"23565", "23564", "23559", "23558", "23557", "23553",
                                        "worker-b", "worker-a"});
  CHECK(s.tasks[0].lwp == 23565);
  REQUIRE(s.warnings.size() == 1);
  CHECK(s.warnings[0].message.find("without stacks") != std::string::npos);
  REQUIRE(f.cycles.size() == 1);
  const Cycle& c = f.cycles[0];
  CHECK(c.declared_by_runtime);
  REQUIRE(c.members.size() == 2);
  CHECK(id_of(s, c.members[0].task) == "worker-b");
  CHECK(s.str(s.resources[c.members[0].resource].address) == "0x000000076b3a8c10");
  CHECK(s.str(s.resources[c.members[0].resource].type) == "MonitorCycle$Inventory");
  CHECK(id_of(s, s.holds[c.members[0].hold].task) == "worker-a");
  CHECK(id_of(s, c.members[1].task) == "worker-a");
  CHECK(s.str(s.resources[c.members[1].resource].address) == "0x000000076b3a9b48");
  CHECK(id_of(s, s.holds[c.members[1].hold].task) == "worker-b");
  for (const CycleMember& m : c.members) {
    CHECK(s.waits[m.wait].evidence == Evidence::kDeclared);
    CHECK(s.holds[m.hold].evidence == Evidence::kDeclared);
  }
}

TEST_CASE("SaJdk8JstackFWithLocksTiesMembersToTheirStacksThroughOwnableSynchronizers") {
  Snapshot s = load("jvm-sa/transcribed/jdk8_jstack-F-l_reentrant_lock_cycle.txt");
  Findings f = analyze(s);
  CHECK(s.warnings.empty());
  CHECK(f.warnings.empty());
  CHECK(s.tasks.size() == 6);
  REQUIRE(f.cycles.size() == 1);
  const Cycle& c = f.cycles[0];
  CHECK(c.declared_by_runtime);
  REQUIRE(c.members.size() == 2);
  // LWP 31014 lists <…0ee0> among its ownable synchronizers, which the report says "worker-a"
  // holds: 31014 is worker-a; 31015, holding <…0f10>, is worker-b.
  std::vector<std::string> got;
  for (const CycleMember& m : c.members) {
    const HoldEdge& h = s.holds[m.hold];
    got.push_back(id_of(s, m.task) + "=" + std::string(s.str(s.tasks[m.task].name)) + " waits " +
                  std::string(s.str(s.resources[m.resource].address)) + " [" +
                  to_string(s.waits[m.wait].evidence) + "] at " +
                  frame_at(s, s.waits[m.wait].app_frame) + " held by " + id_of(s, h.task) + " [" +
                  to_string(h.evidence) + "]");
  }
  CHECK(got ==
        std::vector<std::string>{"31015=worker-b waits 0x000000076b3b0ee0 [declared] at "
                                 "ReentrantLockCycle.lockBoth:28 held by 31014 [lock_record]",
                                 "31014=worker-a waits 0x000000076b3b0f10 [declared] at "
                                 "ReentrantLockCycle.lockBoth:28 held by 31015 [lock_record]"});
}

// --- Damage and detection -----------------------------------------------------------------------

TEST_CASE("SaCutInsideAThreadOrInsideTheReportIsPartialAndSaysWhere") {
  std::string text =
      dla::test::read_file(dla::test::testdata("jvm-sa/two_cycles_same_name.jhsdb-locks.txt"));
  // Inside worker #15's frames.
  size_t cut = text.find(" - TwoCyclesSameName.lambda$main$1()");
  REQUIRE(cut != std::string::npos);
  Snapshot s = dla::test::parse_text(text.substr(0, cut));
  CHECK(s.damaged);
  REQUIRE_FALSE(s.warnings.empty());
  CHECK(s.warnings.back().message.find("ends inside thread \"worker (#15)\"") != std::string::npos);
  CHECK(s.warnings.back().message.find("truncated") != std::string::npos);
  // Between worker #15's frames and its ownable synchronizers (--locks prints them for every
  // thread).
  cut = text.find("    - <0x00000000ffd1c5b0>");
  REQUIRE(cut != std::string::npos);
  cut = text.rfind("Locked ownable synchronizers:", cut);
  s = dla::test::parse_text(text.substr(0, cut));
  CHECK(s.damaged);
  // Inside the deadlock report: no thread at all is a one-line error.
  cut = text.find("Found a total of");
  REQUIRE_THROWS_WITH(
      dla::test::parse_text(text.substr(0, cut)),
      Catch::Contains("test.txt:") && Catch::Contains("inside its deadlock report"));
}

TEST_CASE("SaReportMembersSharingANameAndShowingNoWaitAreNeverGuessed") {
  // Two threads named "worker", each holding one monitor, their waits not shown (top frames
  // cut away); the report names both "worker". Which is which cannot be told: no edge of the
  // report is given to either, and no cycle is made up.
  std::string text =
      "Deadlock Detection:\n\n"
      "Found one Java-level deadlock:\n=============================\n\n"
      "\"worker\":\n"
      "  waiting to lock Monitor@0x00007f0000000010 (Object@0x00000000aa000020, a B),\n"
      "  which is held by \"worker\"\n"
      "\"worker\":\n"
      "  waiting to lock Monitor@0x00007f0000000030 (Object@0x00000000aa000010, a A),\n"
      "  which is held by \"worker\"\n\n"
      "Found a total of 1 deadlock.\n\n"
      "\"worker\" #12 prio=5 tid=0x00007f0000001000 nid=0x10 waiting for monitor entry "
      "[0x00007f0000002000]\n"
      "   java.lang.Thread.State: BLOCKED (on object monitor)\n"
      " - Demo.outer() @bci=3, line=10 (Interpreted frame)\n"
      "\t- locked <0x00000000aa000010> (a A)\n\n\n"
      "\"worker\" #13 prio=5 tid=0x00007f0000003000 nid=0x11 waiting for monitor entry "
      "[0x00007f0000004000]\n"
      "   java.lang.Thread.State: BLOCKED (on object monitor)\n"
      " - Demo.outer() @bci=3, line=20 (Interpreted frame)\n"
      "\t- locked <0x00000000aa000020> (a B)\n\n\n";
  Snapshot s = dla::test::parse_text(text);
  Findings f = analyze(s);
  CHECK(s.format == "jvm-sa");
  CHECK(f.cycles.empty());
  CHECK(s.waits.empty());
  bool said = false;
  for (const Warning& w : s.warnings)
    said |= w.message.find("2 threads share") != std::string::npos;
  CHECK(said);
}

TEST_CASE("SaProbeTellsSaDumpsFromJstackDumps") {
  for (const std::string name : {"monitor_cycle", "two_cycles_same_name", "lost_notify"}) {
    for (const std::string& capture : kSaCaptures) {
      CHECK(load("jvm-sa/" + name + "." + capture + ".txt").format == "jvm-sa");
    }
    CHECK(load("jvm-sa/" + name + ".jstack-l.txt").format == "jvm");
  }
  for (const std::string file :
       {"jvm/monitor_cycle.jstack-l.txt", "jvm/monitor_cycle.kill3.txt", "jvm/idle_pool.jcmd.txt",
        "jvm/transcribed/jdk8_monitor_cycle.txt", "jvm/transcribed/jdk21_dump_to_file.txt"}) {
    INFO(file);
    CHECK(load(file).format == "jvm");
  }
  // An SA dump cut from its preamble and report is still recognised by its frames.
  std::string text = dla::test::read_file(dla::test::testdata("jvm-sa/monitor_cycle.jhsdb.txt"));
  CHECK(dla::test::parse_text(text.substr(text.find("\"main\""))).format == "jvm-sa");
}

TEST_CASE("SaBigCoreDumpListsTheThreadsBlockedBehindTheCycleApart") {
  // jhsdb jstack --locks --core of BigCycle3000 (3,006 Java threads): the SA prints "waiting to
  // lock" for the blocked-behind threads (one monitor in their top frame), and 868 pollers print
  // "waiting on <no object reference available>" then "- locked <Signal>" for the monitor that
  // wait() released: none of them holds it.
  Snapshot s = load("jvm-sa/big_cycle_3000.jhsdb-core.txt");
  Findings f = analyze(s);
  CHECK(s.warnings.empty());
  CHECK(f.warnings.empty());
  CHECK(s.tasks.size() == 3006);
  REQUIRE(f.cycles.size() == 1);
  std::vector<std::string> members;
  for (const CycleMember& m : f.cycles[0].members) {
    members.push_back(id_of(s, m.task) + " waits " +
                      std::string(s.str(s.resources[m.resource].address)) + " held by " +
                      id_of(s, s.holds[m.hold].task));
  }
  CHECK(members == std::vector<std::string>{"cycle-a waits 0x00000000ff100dc8 held by cycle-b",
                                            "cycle-b waits 0x00000000ff100dd8 held by cycle-a"});
  std::set<std::string> blocked;
  for (const BlockedWaiter& b : f.blocked) {
    blocked.insert(id_of(s, b.task));
    CHECK(id_of(s, b.holder) == "cycle-a");
  }
  CHECK(blocked == std::set<std::string>{"blocked-behind-0", "blocked-behind-1", "blocked-behind-2",
                                         "blocked-behind-3", "blocked-behind-4"});
  size_t pollers_holding = 0;
  for (const HoldEdge& h : s.holds) {
    if (id_of(s, h.task).rfind("poller-", 0) == 0) ++pollers_holding;
  }
  CHECK(pollers_holding == 0);
}

TEST_CASE("SaBigCoreDumpAndJstackOfTheSameProcessAgreeOnEveryWaitAndHold") {
  // Every Java thread's waits and holds (lock ids), as jstack -l of the same process saw them.
  auto edges_of = [](const std::string& file) {
    Snapshot s = load(file);
    std::set<std::string> out;
    for (const WaitEdge& w : s.waits) {
      out.insert(id_of(s, w.task) + " waits " +
                 std::string(s.str(s.resources[w.resource].address)));
    }
    for (const HoldEdge& h : s.holds) {
      out.insert(id_of(s, h.task) + " holds " +
                 std::string(s.str(s.resources[h.resource].address)));
    }
    return out;
  };
  std::set<std::string> sa = edges_of("jvm-sa/big_cycle_3000.jhsdb-core.txt");
  std::set<std::string> jstack = edges_of("jvm-sa/big_cycle_3000.jstack-l.txt");
  CHECK(sa.size() == 1127);
  // One difference, the SA's own: where jstack printed Common-Cleaner's "waiting on <0x…d80>",
  // the SA (its wait() frame compiled by then) printed "waiting on <no object reference
  // available>", and an object not printed is not guessed.
  std::set<std::string> missing;
  std::set_difference(jstack.begin(), jstack.end(), sa.begin(), sa.end(),
                      std::inserter(missing, missing.end()));
  CHECK(missing == std::set<std::string>{"Common-Cleaner waits 0x00000000ff100d80"});
  CHECK(std::includes(jstack.begin(), jstack.end(), sa.begin(), sa.end()));
}

TEST_CASE("SaMixedModeGivesTheReportsCycleAndSaysItReadNoLocks") {
  // jhsdb jstack --mixed (tools/PStack.java): every LWP under a "----------------- N ---…" rule,
  // a Java thread's header, native frames, no lock lines, no blank lines between threads.
  Snapshot s = load("jvm-sa/mixed_mode.jhsdb-mixed.txt");
  Findings f = analyze(s);
  CHECK(s.format == "jvm-sa");
  CHECK_FALSE(s.damaged);  // no "truncated": a thread ends at the next rule
  CHECK_FALSE(s.records_locks);
  REQUIRE(s.warnings.size() == 1);
  CHECK(s.warnings[0].message.find("jhsdb jstack --mixed output") != std::string::npos);
  CHECK(s.tasks.size() == 14);
  REQUIRE(f.cycles.size() == 1);
  std::vector<std::string> got;
  for (const CycleMember& m : f.cycles[0].members) {
    got.push_back(id_of(s, m.task) + " lwp " + std::to_string(*s.tasks[m.task].lwp) + " waits " +
                  std::string(s.str(s.resources[m.resource].address)) + " held by " +
                  id_of(s, s.holds[m.hold].task) + " [" + to_string(s.holds[m.hold].evidence) +
                  "]");
  }
  CHECK(got == std::vector<std::string>{
                   "worker-b lwp 23570 waits 0x00000000ffd1a578 held by worker-a [declared]",
                   "worker-a lwp 23569 waits 0x00000000ffd1b048 held by worker-b [declared]"});
}

TEST_CASE("SaThatCouldNotAttachIsAOneLineErrorWithItsReason") {
  // jhsdb jstack --pid 2>&1 of a process it cannot attach to (tools/Tool.java prints the error on
  // stderr after the attaching line).
  std::string text =
      "Attaching to process ID 4242, please wait...\n"
      "Error attaching to process: sun.jvm.hotspot.debugger.DebuggerException: Can't attach to "
      "the process: ptrace(PTRACE_ATTACH, ..) failed for 4242: Operation not permitted\n"
      "sun.jvm.hotspot.debugger.DebuggerException: sun.jvm.hotspot.debugger.DebuggerException: "
      "Can't attach to the process\n"
      "\tat jdk.hotspot.agent/sun.jvm.hotspot.debugger.linux.LinuxDebuggerLocal$LinuxDebuggerLocal"
      "WorkerThread.execute(LinuxDebuggerLocal.java:176)\n\n";
  REQUIRE_THROWS_WITH(dla::test::parse_text(text, "jvm-sa"),
                      "test.txt: the Serviceability Agent could not attach: Error attaching to "
                      "process: sun.jvm.hotspot.debugger.DebuggerException: Can't attach to the "
                      "process: ptrace(PTRACE_ATTACH, ..) failed for 4242: Operation not "
                      "permitted");
}

TEST_CASE("SaBlockedThreadListingAMonitorAnotherHoldsIsEnteringIt") {
  // Made up: a BLOCKED thread whose compiled top frame prints the monitor another thread holds as
  // "- locked" (a listing the printing-order rule does not cover). A monitor has one owner, and a
  // thread blocked entering a monitor cannot be it: the listing is its wait, and it is said so.
  std::string text =
      "Deadlock Detection:\n\nNo deadlocks found.\n\n"
      "\"owner\" #12 prio=5 tid=0x00007f0000001000 nid=0x10 waiting on condition "
      "[0x00007f0000002000]\n"
      "   java.lang.Thread.State: TIMED_WAITING (sleeping)\n"
      " - java.lang.Thread.sleep(long) @bci=0 (Interpreted frame)\n"
      " - Demo.hold() @bci=9, line=10 (Interpreted frame)\n"
      "\t- locked <0x00000000aa000010> (a Demo$Lock)\n\n\n"
      "\"entering\" #13 prio=5 tid=0x00007f0000003000 nid=0x11 waiting for monitor entry "
      "[0x00007f0000004000]\n"
      "   java.lang.Thread.State: BLOCKED (on object monitor)\n"
      " - Demo.enter() @bci=3, line=20 (Compiled frame)\n"
      "\t- locked <0x00000000aa000010> (a Demo$Lock)\n\n\n";
  Snapshot s = dla::test::parse_text(text);
  REQUIRE(s.warnings.size() == 1);
  CHECK(s.warnings[0].message ==
        "thread \"entering\" is BLOCKED on a monitor and lists 0x00000000aa000010, which \"owner\" "
        "holds, as locked in its top frame: it is taken to be entering it");
  REQUIRE(s.resources.size() == 1);
  CHECK(dla::test::holders_of(s, 0) == std::vector<std::string>{"owner/lock_record"});
  REQUIRE(s.waits.size() == 1);
  CHECK(id_of(s, s.waits[0].task) == "entering");
  CHECK(frame_at(s, s.waits[0].app_frame) == "Demo.enter:20");
}

TEST_CASE("SaMonitorListedByTwoBlockedThreadsAndNoOtherHasNoGuessedHolder") {
  std::string entering =
      "   java.lang.Thread.State: BLOCKED (on object monitor)\n"
      " - Demo.enter() @bci=3, line=20 (Compiled frame)\n"
      "\t- locked <0x00000000aa000010> (a Demo$Lock)\n\n\n";
  std::string text =
      "Deadlock Detection:\n\nNo deadlocks found.\n\n"
      "\"a\" #12 prio=5 tid=0x00007f0000001000 nid=0x10 waiting for monitor entry "
      "[0x00007f0000002000]\n" +
      entering +
      "\"b\" #13 prio=5 tid=0x00007f0000003000 nid=0x11 waiting for monitor entry "
      "[0x00007f0000004000]\n" +
      entering;
  Snapshot s = dla::test::parse_text(text);
  CHECK(s.holds.empty());
  REQUIRE(s.warnings.size() == 1);
  CHECK(s.warnings[0].message ==
        "monitor 0x00000000aa000010 is listed as locked by 2 threads BLOCKED on monitors and by no "
        "other: its holder is unknown");
}
