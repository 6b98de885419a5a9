// IBM/OpenJ9 javacores from testdata/wild (published, transcribed; SOURCES.md names each): the
// OpenJ9 documentation's deadlock and hang examples, IBM's javacore-analyser test javacores (a
// 36-thread JRE 8 dump, a 201-thread Liberty server with a real deadlock), an issue's extract.
#include <catch2/catch.hpp>

#include <set>

#include "test_util.h"

using namespace dla;
using dla::test::id_of;
using dla::test::load;

namespace {

TaskIndex task_named(const Snapshot& s, std::string_view id) {
  for (TaskIndex t = 0; t < s.tasks.size(); ++t) {
    if (s.str(s.tasks[t].id) == id) return t;
  }
  FAIL("no task " << id);
  return kNone;
}

const std::string kJazz =
    "wild/openj9/javacore-jazz-deadlock-rrwl-monitor.javacore-analyser-trimmed.txt";
const std::string kJazzMember =
    "Default Executor-thread-51 @@ 11:44 <lemapojocuhevom> <PozoVisaPazala@127.0.0.1> "
    "/dcc/service/com.ibm.team.repository.service.internal.ZAlodedIgugabecebibaSuhaCabuver/"
    "tikazejeruzedIdukodo";

}  // namespace

TEST_CASE("OpenJ9DocsDeadlockIsAThreeCycleOfMonitorsFromTheThreadsBlockers") {
  AnalyzedSnapshot a =
      dla::test::analyze_file("wild/openj9/docs-deadlock-scenario-3-cycle.openj9-docs.md.txt");
  const Snapshot& s = a.snapshot;
  CHECK(s.format == "openj9");
  REQUIRE(s.tasks.size() == 3);
  TaskIndex w1 = task_named(s, "Worker Thread 1"), w2 = task_named(s, "Worker Thread 2"),
            w3 = task_named(s, "Worker Thread 3");
  CHECK(s.tasks[w1].lwp == 0x52CF);
  CHECK(s.str(s.tasks[w1].state) == "B");
  auto frames = s.frames_of(s.tasks[w1]);
  REQUIRE(frames.size() == 1);
  CHECK(s.str(frames[0].function) == "WorkerThread.run");
  CHECK(s.str(frames[0].file) == "DeadLockTest.java");
  CHECK(frames[0].line == 35);
  REQUIRE(a.findings.cycles.size() == 1);
  const Cycle& c = a.findings.cycles[0];
  REQUIRE(c.members.size() == 3);
  // Worker 1 is blocked on 0xB5666688, entered by worker 2; 2 on 0xB5666698 (3's); 3 on
  // 0xB5666678 (1's).
  for (const CycleMember& m : c.members) {
    const Resource& r = s.resources[m.resource];
    CHECK(r.kind == ResourceKind::kMonitor);
    CHECK(s.str(r.type) == "java/lang/Object");
    TaskIndex holder = s.holds[m.hold].task;
    if (m.task == w1) {
      CHECK(s.str(r.address) == "0xB5666688");
      CHECK(holder == w2);
    } else if (m.task == w2) {
      CHECK(s.str(r.address) == "0xB5666698");
      CHECK(holder == w3);
    } else {
      CHECK(m.task == w3);
      CHECK(s.str(r.address) == "0xB5666678");
      CHECK(holder == w1);
    }
  }
  // The docs' extract has no LOCKS header, but its deadlock report: the runtime agrees.
  CHECK(c.declared_by_runtime);
}

TEST_CASE("OpenJ9LibertyDeadlockOfAReadWriteLockAndAMonitor") {
  AnalyzedSnapshot a = dla::test::analyze_file(kJazz);
  const Snapshot& s = a.snapshot;
  CHECK(s.format == "openj9");
  // The current thread (kernel-command-listener, which wrote the dump) and 200 under Thread
  // Details.
  CHECK(s.tasks.size() == 201);
  CHECK(id_of(s, 0) == "kernel-command-listener");
  CHECK(s.runtime.starts_with("JRE "));
  TaskIndex member = task_named(s, kJazzMember), zet = task_named(s, "ZET Status check");
  REQUIRE(a.findings.cycles.size() == 1);
  const Cycle& c = a.findings.cycles[0];
  REQUIRE(c.members.size() == 2);
  CHECK(c.declared_by_runtime);
  for (const CycleMember& m : c.members) {
    const Resource& r = s.resources[m.resource];
    if (m.task == member) {
      CHECK(s.str(r.address) == "0x000000010ACF5158");
      CHECK(s.str(r.type) == "java/util/concurrent/locks/ReentrantReadWriteLock$NonfairSync");
      CHECK(r.kind != ResourceKind::kMonitor);
      CHECK(s.holds[m.hold].task == zet);
    } else {
      CHECK(m.task == zet);
      CHECK(s.str(r.address) == "0x0000000116CBCC20");
      CHECK(r.kind == ResourceKind::kMonitor);
      CHECK(s.holds[m.hold].task == member);
    }
  }
  CHECK(s.tasks[zet].lwp == 0x7044);
  CHECK(s.str(s.frames_of(s.tasks[zet])[1].file) == "BinefutIjujut.java");
  CHECK(s.frames_of(s.tasks[zet])[1].line == 425);  // "425(Compiled Code)"
}

TEST_CASE("OpenJ9ObjectWaitIsNoLockWaitAndAnonymousThreadsAreToldApart") {
  Snapshot s = load(
      "wild/openj9/javacore-ibm-jre8-windows-35-threads.javacore-analyser-quotationMarks-0001.txt");
  CHECK(s.format == "openj9");
  REQUIRE(s.tasks.size() == 36);
  // The current thread, whose name holds a quote, and 35 under Thread Details.
  CHECK(id_of(s, 0) == "thread name with \" quotation");
  CHECK(s.tasks[0].lwp == 0x379C);
  std::set<std::string> ids;
  for (TaskIndex t = 0; t < s.tasks.size(); ++t) ids.insert(id_of(s, t));
  CHECK(ids.size() == s.tasks.size());
  // "Waiting on: … Owned by: <unowned>" (Object.wait) is no lock wait; the monitor its
  // "entered lock" line names is released while waiting.
  Findings f = analyze(s);
  CHECK(f.cycles.empty());
  CHECK(f.blocked.empty());
}

TEST_CASE("OpenJ9ExtractsWithoutThreadsAreReadAsFarAsTheyGo") {
  Snapshot hang = load("wild/openj9/docs-hang-locks-19-waiters.openj9-docs.md.txt");
  CHECK(hang.format == "openj9");
  CHECK(hang.tasks.size() == 1);
  Snapshot title = load("wild/openj9/javacore-zos-title-only-padded-80-cols.hyperion-317.txt");
  CHECK(title.format == "openj9");
  CHECK(title.tasks.empty());
  CHECK(title.damaged);
  REQUIRE(title.warnings.size() == 1);
  CHECK(title.warnings[0].message.find("THREADS") != std::string::npos);
  Snapshot bold = load("wild/openj9/javacore-thread-markdown-bold-unowned.openj9-284.txt");
  REQUIRE(bold.tasks.size() == 1);
  CHECK(bold.waits.empty());  // waiting on a class initialisation lock: Object.wait, unowned
}
