// jcmd Thread.dump_to_file -format=json: a JDK 21 dump published in TDA's test resources
// (testdata/wild, transcribed) and a JDK 25 layout of this repository's MonitorCycle
// (testdata/jvm/transcribed/README.md says how it was laid out from ThreadDumper.java).
#include <catch2/catch.hpp>

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

}  // namespace

TEST_CASE("JvmJsonJdk21DumpHasEveryContainersThreadsAndNoLocks") {
  Snapshot s = load("wild/jvm/jdk21-dump-to-file-json.tda-intellij_dump.json");
  CHECK(s.format == "jvm-json");
  CHECK(s.runtime == "Java 21.0.10+7-LTS");
  CHECK(s.taken_at_text == "2026-01-25T15:46:04.439828Z");
  CHECK_FALSE(s.records_locks);
  REQUIRE(s.tasks.size() == 8);
  CHECK(id_of(s, 0) == "Reference Handler");
  auto frames = s.frames_of(s.tasks[0]);
  REQUIRE(frames.size() == 3);
  CHECK(s.str(frames[0].function) == "java.lang.ref.Reference.waitForReferencePendingList");
  CHECK(s.str(frames[0].module) == "java.base");
  CHECK(frames[0].native);
  CHECK(s.str(frames[1].file) == "Reference.java");
  CHECK(frames[1].line == 246);
  CHECK(s.tasks[task_named(s, "Signal Dispatcher")].frame_count == 0);
  CHECK(s.waits.empty());
  CHECK(s.holds.empty());
  REQUIRE(s.warnings.size() == 1);
  CHECK(s.warnings[0].message.find("records no locks") != std::string::npos);
  Findings f = analyze(s);
  CHECK(f.cycles.empty());
}

TEST_CASE("JvmJsonJdk25MonitorsGiveTheCycle") {
  AnalyzedSnapshot a =
      dla::test::analyze_file("jvm/transcribed/jdk25_dump_to_file_monitor_cycle.json");
  const Snapshot& s = a.snapshot;
  CHECK(s.format == "jvm-json");
  CHECK(s.records_locks);
  REQUIRE(s.tasks.size() == 3);
  TaskIndex wa = task_named(s, "worker-a"), wb = task_named(s, "worker-b");
  CHECK(s.str(s.tasks[wa].state) == "BLOCKED");
  REQUIRE(a.findings.cycles.size() == 1);
  const Cycle& c = a.findings.cycles[0];
  REQUIRE(c.members.size() == 2);
  for (const CycleMember& m : c.members) {
    const Resource& r = s.resources[m.resource];
    CHECK(r.kind == ResourceKind::kMonitor);
    if (m.task == wa) {
      CHECK(s.str(r.address) == "MonitorCycle$Ledger@1d81eb93");
      CHECK(s.holds[m.hold].task == wb);
      CHECK(s.holds[m.hold].evidence == Evidence::kLockRecord);
      // worker-b took Ledger in its frame 0 (monitorsOwned depth 0).
      CHECK(s.holds[m.hold].frame == s.tasks[wb].first_frame);
    } else {
      CHECK(m.task == wb);
      CHECK(s.str(r.address) == "MonitorCycle$Inventory@7291c18f");
      CHECK(s.holds[m.hold].task == wa);
    }
  }
  // main waits in Thread.join (Object.wait): released, not a lock wait.
  CHECK(dla::test::wait_of_task(s, task_named(s, "main")) == nullptr);
}

TEST_CASE("JvmJsonCutDumpGivesTheThreadsBeforeTheCut") {
  std::string text = dla::test::read_file(
      dla::test::testdata("jvm/transcribed/jdk25_dump_to_file_monitor_cycle.json"));
  std::string cut = text.substr(0, text.find("\"worker-b\""));
  Snapshot s = dla::test::parse_text(cut);
  CHECK(s.format == "jvm-json");
  CHECK(s.tasks.size() == 2);
  CHECK(s.damaged);
  REQUIRE_FALSE(s.warnings.empty());
  CHECK(s.warnings[0].where.starts_with("test.txt:"));
  CHECK_THROWS_AS(dla::test::parse_text("{\"threadDump\": {\"processId\": "), Error);
}
