// The native wait/owner model both native readers share (graph/native_waits): its owner-value
// table, row by row, and what it writes for a join, a lock, an owner that is not a thread and a
// wait whose lock is unknown. The readers' own tests (gdb_backtrace_test, elf_core_test) check the
// same through real dumps and cores.
#include <catch2/catch.hpp>

#include "graph/native_waits.h"
#include "test_util.h"

using namespace dla;
using dla::test::holders_of;

namespace {

// Three threads: "1" (LWP 100, pthread_t 0x7f0000001000), "2" (LWP 101, 0x7f0000002000), "3"
// (LWP 102, pthread_t unknown).
struct Process {
  Snapshot s;
  SnapshotBuilder out{s};
  native::NativeWaits waits{out, "dump"};
  Process() {
    const std::optional<uint64_t> handles[] = {0x7f0000001000, 0x7f0000002000, std::nullopt};
    for (int i = 0; i < 3; ++i) {
      TaskIndex t = out.begin_task(std::to_string(i + 1), 0);
      s.tasks[t].lwp = 100 + i;
      waits.add_thread(t, 100 + i, handles[i]);
    }
  }
};

native::NativeWait join_of(TaskIndex waiter, TaskIndex joinee, std::string address) {
  native::NativeWait w;
  w.task = waiter;
  w.join = true;
  w.address = std::move(address);
  w.joinee = joinee;
  w.joinee_evidence = Evidence::kMemory;
  w.evidence = Evidence::kMemory;
  w.where = "t:1";
  return w;
}

native::NativeWait mutex_wait(TaskIndex waiter, std::string address, std::optional<int64_t> owner) {
  native::NativeWait w;
  w.task = waiter;
  w.kind = ResourceKind::kMutex;
  w.address = std::move(address);
  w.owner = owner;
  w.evidence = Evidence::kMemory;
  w.where = "t:2";
  return w;
}

}  // namespace

TEST_CASE("NativeOwnerValuesTableEveryRow") {
  // One check per kOwnerValues row, and an LWP.
  CHECK(native::kOwnerValues.size() == 3);
  CHECK_FALSE(native::names_owner(0));           // unlocked
  CHECK_FALSE(native::names_owner(-1));          // no LWP is negative
  CHECK_FALSE(native::names_owner(0x7fffffff));  // PTHREAD_MUTEX_INCONSISTENT
  CHECK_FALSE(native::names_owner(0x7ffffffe));  // PTHREAD_MUTEX_NOTRECOVERABLE
  CHECK(native::names_owner(1));
  CHECK(native::names_owner(4012));
  CHECK(native::names_owner(0x7ffffffd));
}

TEST_CASE("NativeJoinIsAConditionOnThePthreadHeldByTheJoinee") {
  Process p;
  ResourceIndex r = p.waits.add_wait(join_of(0, 1, "0x7f0000002000"));
  ResourceIndex back = p.waits.add_wait(join_of(1, 0, "0x7f0000001000"));
  const Resource& res = p.s.resources[r];
  CHECK(res.kind == ResourceKind::kCondition);
  CHECK(p.s.str(res.type) == "pthread_t");
  CHECK(p.s.str(res.address) == "0x7f0000002000");
  CHECK(p.waits.is_join(r));
  CHECK_FALSE(p.waits.is_unknown(r));
  CHECK(holders_of(p.s, r) == std::vector<std::string>{"2/memory"});
  CHECK(holders_of(p.s, back) == std::vector<std::string>{"1/memory"});
  REQUIRE(p.s.waits.size() == 2);
  CHECK(p.s.waits[0].task == 0);
  CHECK(p.s.waits[0].resource == r);
  CHECK(p.s.warnings.empty());
}

TEST_CASE("NativeJoinOfItselfIsNoHoldAndAJoineeOutsideTheProcessIsOneWarning") {
  Process p;
  // glibc's pthread_join of the calling thread returns EDEADLK: never a wait on itself.
  ResourceIndex self = p.waits.add_wait(join_of(0, 0, "0x7f0000001000"));
  CHECK(holders_of(p.s, self).empty());
  native::NativeWait gone = join_of(1, kNone, "0x7f0000009000");
  gone.missing_joinee = "LWP 555";
  ResourceIndex r = p.waits.add_wait(gone);
  CHECK(holders_of(p.s, r).empty());
  REQUIRE(p.s.warnings.size() == 1);
  CHECK(p.s.warnings[0].where == "t:1");
  CHECK(p.s.warnings[0].message == "thread 2 joins LWP 555, which is not a thread in this dump");
  // Nothing names the joinee: a resource of its own, and no warning.
  ResourceIndex unknown = p.waits.add_wait(join_of(2, kNone, ""));
  CHECK(p.waits.is_unknown(unknown));
  CHECK(p.waits.is_join(unknown));
  CHECK(p.s.warnings.size() == 1);
}

TEST_CASE("NativeLockOwnerIsAHoldAndAnOwnerOutsideTheProcessOneWarningPerLwp") {
  Process p;
  ResourceIndex a = p.waits.add_wait(mutex_wait(0, "0x5000", 101));
  CHECK(holders_of(p.s, a) == std::vector<std::string>{"2/memory"});
  ResourceIndex b = p.waits.add_wait(mutex_wait(1, "0x6000", 999));
  ResourceIndex c = p.waits.add_wait(mutex_wait(2, "0x7000", 999));
  CHECK(holders_of(p.s, b).empty());
  CHECK(holders_of(p.s, c).empty());
  REQUIRE(p.s.warnings.size() == 1);  // one per LWP, not per lock
  CHECK(p.s.warnings[0].message ==
        "mutex 0x6000 is held by LWP 999, which is not a thread in this dump (it exited without "
        "unlocking?)");
  // Values that name no thread: no hold, no warning.
  for (int64_t none : {int64_t{0}, int64_t{-3}, glibc::kOwnerInconsistent}) {
    ResourceIndex r = p.waits.add_wait(mutex_wait(0, "0x8000", none));
    CHECK(holders_of(p.s, r).empty());
  }
  CHECK(p.s.warnings.size() == 1);
}

TEST_CASE("NativeOwnerFactsAndWaitsMeetOnOneLockWhoseSymbolIsTheFirstNamed") {
  Process p;
  native::NativeWait w = mutex_wait(0, "0x5592675d80a0", std::nullopt);
  w.symbol = "m_alpha";
  ResourceIndex r = p.waits.add_wait(w);
  p.waits.add_owner(ResourceKind::kMutex, "0x5592675d80a0", "other", 102, Evidence::kMemory, "t:9");
  CHECK(p.s.resources.size() == 1);
  CHECK(p.s.str(p.s.resources[r].symbol) == "m_alpha");
  CHECK(holders_of(p.s, r) == std::vector<std::string>{"3/memory"});
  // An owner of a lock nobody waits for is still a lock with its holder.
  p.waits.add_owner(ResourceKind::kRwlock, "0x9000", {}, 100, Evidence::kMemory, "t:9");
  REQUIRE(p.s.resources.size() == 2);
  CHECK(holders_of(p.s, 1) == std::vector<std::string>{"1/memory"});
  // An unlocked owner field creates nothing.
  p.waits.add_owner(ResourceKind::kMutex, "0xa000", {}, 0, Evidence::kMemory, "t:9");
  CHECK(p.s.resources.size() == 2);
}

TEST_CASE("NativeWaitWithoutALockAddressGetsAResourceOfItsOwn") {
  Process p;
  ResourceIndex a = p.waits.add_wait(mutex_wait(0, "", std::nullopt));
  ResourceIndex b = p.waits.add_wait(mutex_wait(1, "", std::nullopt));
  CHECK(a != b);
  CHECK(p.waits.is_unknown(a));
  CHECK(p.waits.is_unknown(b));
  CHECK(p.s.resources[a].kind == ResourceKind::kMutex);
}

TEST_CASE("NativeJoineeByTidWordIsTheThreadWhoseDescriptorHoldsTheWord") {
  Process p;
  // Layout known (a core): exactly pthread_t + offset of tid.
  CHECK(p.waits.joinee_by_tid_word(0x7f00000022d0, 101, 0x2d0) == 1);
  CHECK(p.waits.joinee_by_tid_word(0x7f00000022d4, 101, 0x2d0) == kNone);
  // The word must be that thread's LWP.
  CHECK(p.waits.joinee_by_tid_word(0x7f00000022d0, 100, 0x2d0) == kNone);
  // Layout unknown (owners.gdb): anywhere inside the descriptor.
  CHECK(p.waits.joinee_by_tid_word(0x7f00000012d0, 100, std::nullopt) == 0);
  CHECK(p.waits.joinee_by_tid_word(0x7f0000001000 + glibc::kThreadDescriptorSpan, 100,
                                   std::nullopt) == kNone);
  // A thread without a known pthread_t, or no LWP.
  CHECK(p.waits.joinee_by_tid_word(0x7f00000032d0, 102, std::nullopt) == kNone);
  CHECK(p.waits.joinee_by_tid_word(0x7f00000012d0, 0, std::nullopt) == kNone);
}
