// The analysis on small hand-built snapshots: what makes a cycle (only evidenced wait and hold
// edges), its order, blocked-behind, and that nothing recurses on a 100k-task graph.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "graph/analysis.h"
#include "graph/snapshot_builder.h"

using namespace dla;

namespace {

struct GraphBuilder {
  Snapshot s;
  SnapshotBuilder b{s};
  GraphBuilder() { s.task_noun = "task"; }
  TaskIndex task(const std::string& id) {
    TaskIndex t = b.begin_task(id, 1);
    b.add_frame({b.intern("f_" + id), kNoString, kNoString, kNoString, 1, 0, false});
    return t;
  }
  ResourceIndex lock(const std::string& address) {
    return b.resource(ResourceKind::kMutex, address);
  }
  ResourceIndex rwlock(const std::string& address, bool writers_first) {
    ResourceIndex r = b.resource(ResourceKind::kRwlock, address);
    s.resources[r].writers_first = writers_first;
    return r;
  }
  void waits(TaskIndex t, ResourceIndex r, Evidence e = Evidence::kLockRecord) {
    b.add_wait({t, r, e, s.tasks[t].first_frame, kNone, kNoString});
  }
  void waits_to_read(TaskIndex t, ResourceIndex r, Evidence e = Evidence::kLockRecord) {
    b.add_wait({t, r, e, s.tasks[t].first_frame, kNone, kNoString, /*shared=*/true});
  }
  void holds(TaskIndex t, ResourceIndex r, Evidence e = Evidence::kLockRecord) {
    b.add_hold({r, t, e, kNone});
  }
  void reads(TaskIndex t, ResourceIndex r, Evidence e = Evidence::kLockRecord) {
    b.add_hold({r, t, e, kNone, 0, /*shared=*/true});
  }
};

std::vector<std::string> members(const Snapshot& s, const Cycle& c) {
  std::vector<std::string> out;
  for (const CycleMember& m : c.members) out.emplace_back(s.str(s.tasks[m.task].id));
  return out;
}

}  // namespace

TEST_CASE("AnalysisFindsTwoCycleInWaitForOrderStartingAtFirstTask") {
  GraphBuilder g;
  TaskIndex a = g.task("a"), b = g.task("b");
  ResourceIndex x = g.lock("0x10"), y = g.lock("0x20");
  g.holds(a, x);
  g.holds(b, y);
  g.waits(b, x);  // b waits for x, held by a
  g.waits(a, y);  // a waits for y, held by b
  Findings f = analyze(g.s);
  REQUIRE(f.cycles.size() == 1);
  CHECK(members(g.s, f.cycles[0]) == std::vector<std::string>{"a", "b"});
  CHECK(f.cycles[0].members[0].resource == y);
  CHECK(f.cycles[0].members[1].resource == x);
  CHECK(f.verdict() == Findings::Verdict::kDeadlock);
}

TEST_CASE("AnalysisNeverInventsACycleFromAWaitWithoutHolder") {
  GraphBuilder g;
  TaskIndex a = g.task("a"), b = g.task("b");
  ResourceIndex x = g.lock("0x10"), y = g.lock("0x20");
  g.holds(a, x);
  g.waits(b, x);
  g.waits(a, y);  // nobody is known to hold y
  Findings f = analyze(g.s);
  CHECK(f.cycles.empty());
  CHECK(f.blocked.empty());
  CHECK(f.verdict() == Findings::Verdict::kUnproven);  // not clean either: y's holder is unknown
  CHECK(f.unproven == Findings::Unproven::kHoldersUnknown);
}

TEST_CASE("AnalysisCycleIsAsCertainAsItsWeakestEdge") {
  GraphBuilder g;
  TaskIndex a = g.task("a"), b = g.task("b");
  ResourceIndex x = g.lock("0x10"), y = g.lock("0x20");
  g.holds(a, x, Evidence::kSource);
  g.holds(b, y);
  g.waits(b, x);
  g.waits(a, y);
  Findings f = analyze(g.s);
  REQUIRE(f.cycles.size() == 1);
  CHECK(f.cycles[0].weakest == Evidence::kSource);
  CHECK(f.cycles[0].confidence == Confidence::kLikely);
}

TEST_CASE("AnalysisReportsSelfDeadlockAsACycleOfOne") {
  GraphBuilder g;
  TaskIndex a = g.task("a");
  ResourceIndex x = g.lock("0x10");
  g.holds(a, x);
  g.waits(a, x);
  Findings f = analyze(g.s);
  REQUIRE(f.cycles.size() == 1);
  CHECK(members(g.s, f.cycles[0]) == std::vector<std::string>{"a"});
}

TEST_CASE("AnalysisListsTransitiveWaitersBehindACycleButNotAsMembers") {
  GraphBuilder g;
  TaskIndex a = g.task("a"), b = g.task("b"), c = g.task("c"), d = g.task("d");
  ResourceIndex x = g.lock("0x10"), y = g.lock("0x20"), z = g.lock("0x30");
  g.holds(a, x);
  g.holds(b, y);
  g.waits(a, y);
  g.waits(b, x);
  g.waits(c, x);  // c waits on cycle member a
  g.holds(c, z);
  g.waits(d, z);  // d waits on c, which waits on the cycle
  Findings f = analyze(g.s);
  REQUIRE(f.cycles.size() == 1);
  CHECK(f.cycles[0].members.size() == 2);
  REQUIRE(f.blocked.size() == 2);
  CHECK(f.blocked[0].task == c);
  CHECK(f.blocked[0].holder == a);
  CHECK(f.blocked[1].task == d);
  CHECK(f.blocked[1].holder == c);
  CHECK(f.blocked[1].cycle == 0);
}

TEST_CASE("AnalysisSeparatesTwoCyclesSharingAMember") {
  // a ⇄ b and a ⇄ c (a waits for a read lock that b and c both hold).
  GraphBuilder g;
  TaskIndex a = g.task("a"), b = g.task("b"), c = g.task("c");
  ResourceIndex shared = g.lock("0x10"), x = g.lock("0x20");
  g.holds(b, shared);
  g.holds(c, shared);
  g.waits(a, shared);
  g.holds(a, x);
  g.waits(b, x);
  g.waits(c, x);
  Findings f = analyze(g.s);
  REQUIRE(f.cycles.size() == 2);
  CHECK(members(g.s, f.cycles[0]) == std::vector<std::string>{"a", "b"});
  CHECK(members(g.s, f.cycles[1]) == std::vector<std::string>{"a", "c"});
}

TEST_CASE("AnalysisHandlesAHundredThousandTaskChainWithoutRecursion") {
  // t0 → t1 → … → t99999 → t0: one long cycle; a recursive Tarjan would overflow the stack.
  GraphBuilder g;
  constexpr int kTasks = 100000;
  std::vector<TaskIndex> tasks;
  std::vector<ResourceIndex> locks;
  for (int i = 0; i < kTasks; ++i) {
    tasks.push_back(g.task(std::to_string(i)));
    locks.push_back(g.lock("0x" + std::to_string(1000 + i)));
    g.holds(tasks.back(), locks.back());
  }
  for (int i = 0; i < kTasks; ++i) g.waits(tasks[i], locks[(i + 1) % kTasks]);
  Findings f = analyze(g.s);
  REQUIRE(f.cycles.size() == 1);
  CHECK(f.cycles[0].members.size() == kTasks);
  CHECK(f.cycles[0].members[0].task == tasks[0]);
  CHECK(f.cycles[0].members[1].task == tasks[1]);
}

TEST_CASE("AnalysisWarnsWhenTheRuntimeDeclaresACycleItCannotConfirm") {
  GraphBuilder g;
  TaskIndex a = g.task("a"), b = g.task("b");
  g.s.declared_cycles.push_back({{a, b}, "dump.txt:40"});
  g.s.runtime_checked_deadlocks = true;
  Findings f = analyze(g.s);
  CHECK(f.cycles.empty());
  REQUIRE(f.warnings.size() == 1);
  CHECK(f.warnings[0].where == "dump.txt:40");
  CHECK(f.warnings[0].message.find("\"a\", \"b\"") != std::string::npos);
}

TEST_CASE("AnalysisGroupsIdenticalStacksLargestFirst") {
  GraphBuilder g;
  for (int i = 0; i < 3; ++i) {
    TaskIndex t = g.b.begin_task(fmt::format("w{}", i), 1);  // "w" + …: GCC 12 -O3 -Wrestrict
    g.s.tasks[t].state = g.b.intern("WAITING");
    g.b.add_frame({g.b.intern("park"), kNoString, kNoString, kNoString, 0, 0, true});
  }
  g.task("solo");
  Findings f = analyze(g.s);
  REQUIRE(f.groups.groups.size() == 2);
  CHECK(f.groups.groups[0].count == 3);
  CHECK(f.groups.groups[0].id == 1);
  CHECK(f.groups.groups[1].count == 1);
  CHECK(f.groups.group_of[3] == 1);
}

// --- reader/writer locks ------------------------------------------------------------------------

TEST_CASE("AnalysisRecursiveReadBehindAWaitingWriterIsATwoMemberCycle") {
  // r holds a read lock and asks for it again while w waits to write: Go's RWMutex queues r's
  // second RLock behind w, and w waits for r's first. q came after w and only waits behind it.
  GraphBuilder g;
  TaskIndex r = g.task("r"), w = g.task("w"), q = g.task("q");
  ResourceIndex rw = g.rwlock("0x30", /*writers_first=*/true);
  g.reads(r, rw, Evidence::kSource);
  g.waits_to_read(r, rw);
  g.waits(w, rw);
  g.waits_to_read(q, rw);
  Findings f = analyze(g.s);
  REQUIRE(f.cycles.size() == 1);
  CHECK(members(g.s, f.cycles[0]) == std::vector<std::string>{"r", "w"});
  const CycleMember& reader = f.cycles[0].members[0];
  CHECK(reader.hold == kNone);  // queued behind the writer, which holds nothing
  REQUIRE(reader.queued_behind != kNone);
  CHECK(g.s.waits[reader.queued_behind].task == w);
  CHECK(f.cycles[0].members[1].hold != kNone);  // the writer waits for r's read hold
  CHECK(f.cycles[0].weakest == Evidence::kSource);
  REQUIRE(f.blocked.size() == 1);
  CHECK(f.blocked[0].task == q);
  CHECK(f.blocked[0].holder == w);
}

TEST_CASE("AnalysisReadersNeverWaitForReaders") {
  // Without a waiting writer, or on a lock that lets readers pass writers (glibc's default), a
  // reader waits only for a writer that holds the lock: never a self-cycle through a read lock.
  for (bool writers_first : {false, true}) {
    GraphBuilder g;
    TaskIndex r = g.task("r"), s2 = g.task("s");
    ResourceIndex rw = g.rwlock("0x30", writers_first);
    g.reads(r, rw, Evidence::kSource);
    g.reads(s2, rw, Evidence::kSource);
    g.waits_to_read(r, rw);
    Findings f = analyze(g.s);
    CHECK(f.cycles.empty());
  }
  // A reader-preferring lock: the waiting writer does not hold back the reader.
  GraphBuilder g;
  TaskIndex r = g.task("r"), w = g.task("w");
  ResourceIndex rw = g.rwlock("0x30", /*writers_first=*/false);
  g.reads(r, rw, Evidence::kSource);
  g.waits_to_read(r, rw);
  g.waits(w, rw);
  CHECK(analyze(g.s).cycles.empty());
}

TEST_CASE("AnalysisUpgradingAReadLockToWriteIsASelfDeadlock") {
  // A writer waits for every holder, its own read hold included: holding the read side and
  // asking for the write side never returns (Go RWMutex, ReentrantReadWriteLock, glibc).
  GraphBuilder g;
  TaskIndex u = g.task("u");
  ResourceIndex rw = g.rwlock("0x30", /*writers_first=*/true);
  g.reads(u, rw, Evidence::kSource);
  g.waits(u, rw);
  Findings f = analyze(g.s);
  REQUIRE(f.cycles.size() == 1);
  CHECK(members(g.s, f.cycles[0]) == std::vector<std::string>{"u"});
}

TEST_CASE("AnalysisIsCleanOnlyWhenEveryLockWasExamined") {
  GraphBuilder g;
  TaskIndex a = g.task("a"), b = g.task("b");
  ResourceIndex x = g.lock("0x10");
  g.holds(a, x);
  g.waits(b, x);  // b waits for a, which waits for nothing
  CHECK(analyze(g.s).verdict() == Findings::Verdict::kClean);
  g.s.damaged = true;
  CHECK(analyze(g.s).unproven == Findings::Unproven::kDamagedInput);
  g.s.damaged = false;
  g.s.records_locks = false;
  CHECK(analyze(g.s).unproven == Findings::Unproven::kNoLockRecords);
  CHECK(analyze(g.s).verdict() == Findings::Verdict::kUnproven);
}
