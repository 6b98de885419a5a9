// dlanalyze report: for every deadlock dump of every format the postmortem names the members,
// the locks, the lines and the pattern (tests/deadlock_dumps.h); a clean dump gets a short report
// that says so; nothing is claimed beyond the findings; the HTML is one self-contained page.
#include <array>
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <regex>

#include "cli_run.h"
#include "deadlock_dumps.h"
#include "graph/patterns.h"

using namespace dla;
using namespace dla::test;

namespace {

const std::string kGoRoot = "/tmp/dlanalyze-go=" + testdata("go/programs");

CliRun report(std::vector<std::string> args) {
  args.insert(args.begin(), "report");
  return cli_run(args);
}

// The body of section `number` ("## 3. Cycle" …) up to the next section.
std::string section(const std::string& md, int number) {
  size_t start = md.find("\n## " + std::to_string(number) + ". ");
  if (start == std::string::npos) return "";
  size_t end = md.find("\n## ", start + 1);
  return md.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The cells of every table row of `text` whose first cell is `first` (separators excluded).
std::vector<std::vector<std::string>> rows_starting(const std::string& text,
                                                    const std::string& first) {
  std::vector<std::vector<std::string>> out;
  size_t at = 0;
  while ((at = text.find("\n| " + first + " |", at)) != std::string::npos) {
    size_t end = text.find('\n', at + 1);
    std::string line = text.substr(at + 1, end - at - 1);
    std::vector<std::string> cells;
    std::string cell;
    for (size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
        cell += "\\|";
        ++i;
      } else if (line[i] == '|') {
        cells.push_back(cell.substr(1, cell.size() - 2));  // the spaces around
        cell.clear();
      } else {
        cell += line[i];
      }
    }
    out.push_back(cells);
    at = end;
  }
  return out;
}

size_t lines_of(const std::string& text) {
  return std::count(text.begin(), text.end(), '\n');
}

}  // namespace

TEST_CASE("ReportOfEveryDeadlockDumpNamesMembersLocksLinesAndPattern") {
  for (const DeadlockDump& dump : deadlock_dumps()) {
    DYNAMIC_SECTION(dump.file) {
      CliRun r = report(dump_arguments(dump));
      CHECK(r.code == 1);
      const std::string& md = r.out;
      CHECK(md.rfind("# Postmortem: deadlock of " + dump.members[0].task, 0) == 0);
      // 1. The summary names each member and the pattern.
      std::string summary = section(md, 1);
      CHECK(summary.find("**Deadlock.**") != std::string::npos);
      CHECK(summary.find(": a " + dump.pattern + ", ") != std::string::npos);
      // 3. One row per member, in wait-for order: what it holds, what it waits for, where.
      std::string cycle = section(md, 3);
      CHECK(cycle.find("### Cycle 1: " + dump.pattern + ", ") != std::string::npos);
      size_t previous = 0;
      for (const Member& m : dump.members) {
        INFO(m.task);
        CHECK(summary.find(m.task) != std::string::npos);
        auto rows = rows_starting(cycle, m.task);
        REQUIRE(rows.size() >= 1);
        REQUIRE(rows[0].size() == 5);
        CHECK(rows[0][1].find(m.holds) != std::string::npos);
        CHECK(rows[0][2].find(m.waits) != std::string::npos);
        CHECK(rows[0][3].find(m.at) != std::string::npos);
        size_t here = cycle.find("\n| " + m.task + " |");
        CHECK(here > previous);
        previous = here;
        // 5. Its stack.
        CHECK(section(md, 5).find("\n### " + m.task + "\n") != std::string::npos);
      }
      // 6. The pattern named, with the Coffman condition its fix breaks.
      std::string cause = section(md, 6);
      CHECK(cause.find("**Cycle 1: " + dump.pattern + ".**") != std::string::npos);
      for (const PatternInfo& p : all_patterns()) {
        if (p.name == dump.pattern) {
          CHECK(cause.find(fmt::format("break **{}**", to_string(p.breaks))) != std::string::npos);
        }
      }
      // 7–9 are there, and marked as suggestions.
      CHECK(section(md, 7).find("*Suggested from the pattern") != std::string::npos);
      CHECK(!section(md, 8).empty());
      CHECK(!section(md, 9).empty());
      CHECK(section(md, 10).empty());
    }
  }
}

TEST_CASE("ReportQuotesTheSourceAroundTheLockLines") {
  // server_cycle2: goroutine 21 took inventory.mu at main.go:42 and waits at main.go:48.
  CliRun r = report({testdata("go/server_cycle2.debug2.txt"), "--source-root", kGoRoot});
  std::string diagnosis = section(r.out, 5);
  CHECK(diagnosis.find("main.reserveThenBill  main.go:48\n"
                       "    ← waits for billing.mu (in sync.(*Mutex).Lock)\n"
                       "    ← holds inventory.mu (taken at line 42)\n") != std::string::npos);
  CHECK(diagnosis.find("*   42  \tinventory.mu.Lock()\n") != std::string::npos);
  CHECK(diagnosis.find(">   48  \tbilling.mu.Lock()\n") != std::string::npos);
  CHECK(diagnosis.find(">   60  \tinventory.mu.Lock()\n") != std::string::npos);
  // C, through --source-root DIR: mutex_cycle3's worker-b took m_beta at :30, waits at :32.
  CliRun c = report(
      {testdata("gdb/mutex_cycle3.gdb-full.txt"), "--source-root", testdata("gdb/programs")});
  CHECK(section(c.out, 5).find("*   30  ") != std::string::npos);
  CHECK(section(c.out, 5).find(">   32  ") != std::string::npos);
  // Java, by file name under --source-root DIR.
  CliRun java = report(
      {testdata("jvm/monitor_cycle.jstack-l.txt"), "--source-root", testdata("jvm/programs")});
  CHECK(section(java.out, 5).find(">   39                  System.out.print(\"\");\n") !=
        std::string::npos);
  // Without the source it says which option supplies it, and quotes nothing.
  CliRun none =
      report({testdata("jvm/monitor_cycle.jstack-l.txt"), "--source-root", "/nonexistent"});
  CHECK(section(none.out, 5)
            .find("Source of `MonitorCycle.java` not readable here "
                  "(`--source-root` says where it is).") != std::string::npos);
  CHECK(section(none.out, 5).find("```java") == std::string::npos);
}

TEST_CASE("ReportSaysHowItKnowsAndClaimsNoMore") {
  // A holder inferred from source says so in the summary, the table and the detection section.
  CliRun go = report({testdata("go/server_cycle2.debug2.txt"), "--source-root", kGoRoot});
  CHECK(section(go.out, 1).find("likely (inferred from source)") != std::string::npos);
  CHECK(section(go.out, 3).find("hold: inferred from source") != std::string::npos);
  CHECK(section(go.out, 4).find("likely, not certain") != std::string::npos);
  // HotSpot's lock records are certain, and HotSpot's own report agreed.
  CliRun jvm = report({testdata("jvm/monitor_cycle.jstack-l.txt")});
  CHECK(
      section(jvm.out, 1).find("certain (lock record); the runtime's own deadlock report agrees") !=
      std::string::npos);
  CHECK(section(jvm.out, 4).find("HotSpot's own detection found the cycle too") !=
        std::string::npos);
  // A lock record is held by a frame; the line printed is where that frame is now.
  CHECK(section(jvm.out, 3)
            .find("taken in `MonitorCycle.transferAtoB`, now at MonitorCycle.java:30") !=
        std::string::npos);
  // Go's detector stayed quiet because goroutine 1 sat in the network poller.
  CHECK(section(go.out, 4).find("- goroutine 1 `IO wait` at `main.main` main.go:104") !=
        std::string::npos);
  // The runtime that did detect it is credited.
  CliRun fatal = report({testdata("go/cycle2_fatal.txt"), "--source-root", kGoRoot});
  CHECK(section(fatal.out, 4).find("the Go runtime detected this hang itself") !=
        std::string::npos);
  // Parked minutes where the dump prints them.
  CliRun late = report({testdata("go/server_cycle2.debug2-late.txt"), "--source-root", kGoRoot});
  CHECK(section(late.out, 1).find("They had been parked for 1 minute when the dump was taken") !=
        std::string::npos);
}

TEST_CASE("ReportOfWaitersThatCanNeverWakeNamesTheirPatterns") {
  // channels: goroutine 19 receives from a nil channel, 20 sits in select {}.
  CliRun r = report({testdata("go/channels.debug2.txt"), "--source-root", kGoRoot});
  CHECK(r.code == 1);
  // With the source, 21 (send, main.go:50), 23 (range, main.go:63) and 24 (wg.Wait,
  // main.go:84) can never wake either: no goroutine can still reach their partners
  // (graph/go_stuck).
  CHECK(r.out.rfind(
            "# Postmortem: goroutine 19, goroutine 20, goroutine 21 and 2 more can never wake\n",
            0) == 0);
  auto nil = rows_starting(section(r.out, 3), "goroutine 19");
  REQUIRE(nil.size() == 1);
  CHECK(nil[0][2] == "`main.(*Watcher).run` main.go:33");
  CHECK(nil[0][3].find("the channel is nil") != std::string::npos);
  CHECK(nil[0][4] == "the dump alone (the wait's own text)");
  CHECK(nil[0][5] == "channel with no partner");
  auto select = rows_starting(section(r.out, 3), "goroutine 20");
  REQUIRE(select.size() == 1);
  CHECK(select[0][4] == "the dump alone (the wait's own text)");
  CHECK(select[0][5] == "select {} (blocks forever)");
  // One row per reason inferred from source, each with its evidence and pattern.
  const std::vector<std::array<std::string, 4>> inferred = {
      {"goroutine 21", "`main.(*Publisher).publish` main.go:50",
       "reach a receive from this channel", "channel with no partner"},
      {"goroutine 23", "`main.consumeJobs` main.go:63",
       "reach a send on or a close of this channel", "channel with no partner"},
      {"goroutine 24", "`main.awaitShards` main.go:84", "reach a `Done` of this WaitGroup",
       "WaitGroup never done"},
  };
  for (const auto& [who, frame, why, pattern] : inferred) {
    INFO(who);
    auto rows = rows_starting(section(r.out, 3), who);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][2] == frame);
    CHECK(rows[0][3].find(why) != std::string::npos);
    CHECK(rows[0][4] == "inferred from the program's source");
    CHECK(rows[0][5] == pattern);
  }
  CHECK(section(r.out, 1).find("goroutine 21 at `main.(*Publisher).publish` main.go:50 (channel "
                               "with no partner, inferred from source)") != std::string::npos);
  CHECK(section(r.out, 4).find("A waiter *inferred from source*") != std::string::npos);
  CHECK(section(r.out, 6).find("**goroutine 24: WaitGroup never done.**") != std::string::npos);
  CHECK(section(r.out, 6).find("**goroutine 19: channel with no partner.**") != std::string::npos);
  CHECK(section(r.out, 7).find("case <-ctx.Done():") != std::string::npos);
  CHECK(section(r.out, 7).find("signal.NotifyContext") != std::string::npos);
  // cycle2_fatal: main waits on workers.Wait() for two deadlocked workers.
  CliRun fatal = report({testdata("go/cycle2_fatal.txt"), "--source-root", kGoRoot});
  CHECK(section(fatal.out, 6).find("**goroutine 1: WaitGroup never done.**") != std::string::npos);
  CHECK(section(fatal.out, 7).find("defer wg.Done()") != std::string::npos);
}

TEST_CASE("ReportOfSuspectsParkedForMinutesSaysSuspected") {
  // leak, as if taken five minutes later: 500 senders at main.go:30 are one suspected leak.
  static const std::regex header(R"(^(goroutine \d+ \[[^\]]*)\]:)", std::regex::multiline);
  std::string dump =
      std::regex_replace(read_file(testdata("go/leak.debug2.txt")), header, "$1, 5 minutes]:");
  CliRun r = report({write_scratch("leak5.txt", dump)});
  CHECK(r.code == 0);  // suspects are not a verdict
  CHECK(section(r.out, 1).find("**Suspects.** 500 goroutines had been parked") !=
        std::string::npos);
  auto rows = rows_starting(section(r.out, 3), "500 goroutines (19, 20, 21, …)");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0][1] == "up to 5 minutes");
  CHECK(rows[0][4] == "goroutine leak");
  CHECK(section(r.out, 6).find("goroutine leak (suspected).**") != std::string::npos);
  CHECK(section(r.out, 7).find("started by `main.handleSignups`") != std::string::npos);
}

TEST_CASE("ReportOfACleanDumpIsShortAndSaysSo") {
  std::vector<std::pair<std::string, std::string>> clean = {
      {testdata("jvm/idle_pool.jstack-l.txt"), "all 220 threads"},
      {testdata("gdb/idle_pool.gdb-full.txt"), "all 17 threads"},
      {testdata("go/leak.debug2.txt"), "all 503 goroutines"}};
  for (const auto& [file, all] : clean) {
    DYNAMIC_SECTION(file) {
      CliRun r = report({file});
      CHECK(r.code == 0);
      CHECK(r.out.rfind("# Postmortem: no deadlock in `", 0) == 0);
      CHECK(section(r.out, 1).find("**No deadlock.** dlanalyze examined " + all) !=
            std::string::npos);
      CHECK(section(r.out, 3).find("## 3. What the tasks were doing") != std::string::npos);
      CHECK(section(r.out, 4).empty());
      CHECK(r.out.find("```dot") == std::string::npos);
      CHECK(lines_of(r.out) < 40);
    }
  }
}

TEST_CASE("ReportNeverCallsCleanWhatTheAnalysisCouldNotSee") {
  // Go without its source: the holders are unknown, so no cycle is proven, and none is ruled out.
  CliRun unknown = report({testdata("go/server_cycle3.debug1.txt")});
  CHECK(unknown.code == 0);
  CHECK(unknown.out.rfind("# Postmortem: no deadlock proven (lock holders unknown) in", 0) == 0);
  CHECK(section(unknown.out, 1).find("**No deadlock proven.** 3 goroutines wait for locks") !=
        std::string::npos);
  CHECK(unknown.out.find("**No deadlock.**") == std::string::npos);
  // A dump cut before the second lock record: damaged, partial, not clean.
  std::string full = read_file(testdata("jvm/monitor_cycle.jstack-l.txt"));
  size_t cut = 0;
  for (int line = 0; line < 115; ++line) cut = full.find('\n', cut) + 1;
  CliRun damaged = report({write_scratch("cut.txt", full.substr(0, cut))});
  CHECK(damaged.code == 2);
  CHECK(section(damaged.out, 1).find("this is not a clean verdict") != std::string::npos);
  CHECK(damaged.out.find("**No deadlock.**") == std::string::npos);
}

TEST_CASE("ReportOfSeveralDumpsIsAboutTheLastAndSaysHowMany") {
  CliRun r = report({testdata("go/server_cycle2.debug2.txt"),
                     testdata("go/server_cycle2.debug2-late.txt"), "--source-root", kGoRoot});
  CHECK(r.code == 1);
  CHECK(section(r.out, 2).find("- **Dumps:** 2 in the input; this report is about the last") !=
        std::string::npos);
  CHECK(section(r.out, 2).find("server_cycle2.debug2-late.txt") != std::string::npos);
}

TEST_CASE("ReportWritesTheFileItIsGivenAndFailsLoudly") {
  std::string md = scratch_dir() + "/postmortem.md";
  CliRun r = report({testdata("jvm/monitor_cycle.jstack-l.txt"), "-o", md});
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  CHECK(read_file(md).rfind("# Postmortem: deadlock of thread \"worker-a\"", 0) == 0);
  CliRun bad = report({testdata("jvm/monitor_cycle.jstack-l.txt"), "-o", "/nonexistent/x.md"});
  CHECK(bad.code == 2);
  CHECK(bad.err == "dlanalyze: /nonexistent/x.md: cannot write the report\n");
  CliRun missing = report({"/nonexistent/dump.txt"});
  CHECK(missing.code == 2);
  CHECK(missing.err == "dlanalyze: /nonexistent/dump.txt: No such file or directory\n");
  CHECK(report({}).code == 2);
}

TEST_CASE("ReportOfSeveralSnapshotsHasATimelineAndSaysSinceWhen") {
  // Two kill -3 dumps of a deadlocked JVM in one stdout log, 20 s apart
  // (testdata/series/jvm_kill3_twice/truth.txt): the ingest pool grew from 10 to 20 threads.
  CliRun r = report({testdata("series/jvm_kill3_twice/kill3-twice.stdout.txt")});
  CHECK(r.code == 1);
  std::string trigger = section(r.out, 2);
  CHECK(trigger.find("### Timeline: 2 snapshots") != std::string::npos);
  CHECK(trigger.find("in the order of the times the dumps printed; this report is about #2") !=
        std::string::npos);
  CHECK(trigger.find("- **#1** ") != std::string::npos);
  CHECK(trigger.find(" at 2026-12-01 01:24:27 (+20 s): 40 threads; 1 cycle, 0 stuck") !=
        std::string::npos);
  // The chart's data: the leaking pool and every thread, per snapshot.
  CHECK(trigger.find("```timeline\n  #1  #2  group\n  10  20  leak: "
                     "jdk.internal.misc.Unsafe.park [WAITING (parking)]\n  30  40  all: "
                     "every thread\n```") != std::string::npos);
  CHECK(trigger.find("**Deadlock throughout:** the cycle of thread \"order-writer\" and thread "
                     "\"stock-writer\" is in 2 of 2 snapshots, since #1 at 2026-12-01 01:24:07.") !=
        std::string::npos);
  auto order = rows_starting(trigger, "thread \"order-writer\"");
  REQUIRE(order.size() == 1);
  CHECK(order[0][1] == "`Kill3Twice$Stock 0x00000000ffd1f6a0`");
  CHECK(order[0][2] == "`Kill3Twice.recordOrder` Kill3Twice.java:81");
  CHECK(order[0][3] == "20 s");
  CHECK(order[0][4] == "yes, throughout");
  // Since when, in the summary.
  CHECK(section(r.out, 1).find("It was already there in snapshot #1 of 2 at 2026-12-01 "
                               "01:24:07, 20 s before this one, and in every snapshot since.") !=
        std::string::npos);
  // One snapshot: no timeline.
  CliRun one = report({testdata("series/jvm_deadlock_twice/jvm.t20.jstack-l.txt")});
  CHECK(one.out.find("### Timeline") == std::string::npos);
}

TEST_CASE("ReportOfAGoLeakOverTimeChartsTheLeakingGroup") {
  // leak.{10,60,110}: a server leaking senders at main.fetchQuote, captured after 10, 60 and 110
  // requests (testdata/series/go_leak/truth.txt), given out of order.
  CliRun r = report({testdata("series/go_leak/leak.110.debug2.txt"),
                     testdata("series/go_leak/leak.10.debug2.txt"),
                     testdata("series/go_leak/leak.60.debug2.txt")});
  std::string trigger = section(r.out, 2);
  CHECK(trigger.find("ordered by how long goroutines had been parked") != std::string::npos);
  CHECK(trigger.find("leak.110.debug2.txt`: 121 goroutines") != std::string::npos);
  CHECK(trigger.find("   10   60  110  leak: main.fetchQuote main.go:139 [chan send]\n") !=
        std::string::npos);
  // The report is about the last in time, whichever argument it was.
  CHECK(section(r.out, 2).find("- **File:** `" + testdata("series/go_leak/leak.110.debug2.txt")) !=
        std::string::npos);
}

TEST_CASE("ReportOfADeadlockSectionWithoutStacksDoesNotCrash") {
  // A HotSpot deadlock report pasted alone (testdata/wild/SOURCES.md, aprof issue 3): the members'
  // waits have no frame. The report still names both members and says their stacks are missing.
  CliRun r = report({testdata("wild/jvm/hotspot-deadlock-section-32bit-no-stacks.aprof-3.txt")});
  CHECK(r.code == 1);
  CHECK(r.out.rfind("# Postmortem: deadlock of thread \"FesAvivOsege Dispose\" and thread "
                    "\"AWT-EventQueue-0\"",
                    0) == 0);
  std::string diagnosis = section(r.out, 5);
  size_t first = diagnosis.find("(no stack in the dump)");
  REQUIRE(first != std::string::npos);
  CHECK(diagnosis.find("(no stack in the dump)", first + 1) != std::string::npos);
  // Without frames, the steps are named by their threads, never by an empty function.
  CHECK(section(r.out, 7).find("Change thread \"AWT-EventQueue-0\": it holds") !=
        std::string::npos);
  CHECK(r.out.find(" in ``") == std::string::npos);
}
