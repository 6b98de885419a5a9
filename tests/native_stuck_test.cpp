// graph/native_stuck: a C/C++ condition waiter that every other thread waits behind can never be
// signalled. On the red team's cpp_cv_notifier_blocked (the consumer holds state_mu in
// cv.wait; the producer waits for state_mu before it would notify; main joins the consumer),
// captured by gdb and gcore from one process, and on that same text with one fact changed per
// rule: a fragment, a timed wait, a thread left that can run.
#include <catch2/catch.hpp>

#include "test_util.h"

using namespace dla;
using dla::test::analyze_file;
using dla::test::id_of;
using dla::test::read_file;
using dla::test::testdata;

namespace {

const std::string kCapture = "corpus/captures/cpp_cv_notifier_blocked/";
const std::string kRoot = "/tmp/dlanalyze-corpus=" + testdata("corpus/programs");

std::vector<std::string> stuck_ids(const AnalyzedSnapshot& a) {
  std::vector<std::string> out;
  for (const StuckWaiter& w : a.findings.stuck) out.push_back(id_of(a.snapshot, w.task));
  return out;
}

// The gdb-full capture with `from` replaced by `to` (each must occur once).
AnalyzedSnapshot changed(const std::string& from, const std::string& to) {
  std::string text = read_file(testdata(kCapture + "gdb-full.txt"));
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  text.replace(at, from.size(), to);
  return dla::test::analyze_text(text, {kRoot});
}

}  // namespace

TEST_CASE("NativeConditionWaiterEveryOtherThreadWaitsBehindIsStuck") {
  // gdb: state_mu's holder from the source (consume, line 24), the join's from its argument.
  AnalyzedSnapshot a = analyze_file(kCapture + "gdb-full.txt", {kRoot});
  CHECK(a.findings.cycles.empty());
  REQUIRE(stuck_ids(a) == std::vector<std::string>{"2"});
  const StuckWaiter& w = a.findings.stuck[0];
  CHECK(w.reason == "condition-never-signalled");
  CHECK(w.evidence == Evidence::kInferred);  // state_mu's holder came from the source
  CHECK(a.snapshot.str(a.snapshot.resources[w.resource].symbol) == "ready");
  CHECK(dla::test::frame_at(a.snapshot, a.snapshot.waits[w.wait].app_frame) == "consume:29");
  REQUIRE(a.findings.patterns.stuck.size() == 1);
  CHECK(a.findings.patterns.stuck[0] == Pattern::kLostWakeup);
}

TEST_CASE("NativeConditionWaiterInACoreIsStuckOnOwnersReadFromMemory") {
  ParseOptions parse;
  parse.core.exe = dla::test::unpack_xz(kCapture + "exe");
  parse.core.sysroot = dla::test::cores_sysroot();
  std::string path = dla::test::unpack_xz(kCapture + "core");
  InputFile file(path);
  AnalyzedSnapshot a = analyze_input({path, file.bytes()}, {parse, {}});
  REQUIRE(stuck_ids(a) == std::vector<std::string>{"9722"});
  CHECK(a.findings.stuck[0].evidence == Evidence::kMemory);  // no source needed
}

TEST_CASE("NativeConditionWaiterIsNotStuckWhenTheDumpMayBeAFragment") {
  // Without "Thread 1" the threads are 2 and 3: a paste may have left the signaller out.
  std::string text = read_file(testdata(kCapture + "gdb-full.txt"));
  text = text.substr(0, text.find("\nThread 1 (Thread"));
  AnalyzedSnapshot a = dla::test::analyze_text(text, {kRoot});
  CHECK(a.findings.stuck.empty());
}

TEST_CASE("NativeConditionWaiterIsNotStuckWhenItsWaitIsTimed") {
  // The same stack as pthread_cond_timedwait would show it: it ends by itself.
  AnalyzedSnapshot a =
      changed("#4  ___pthread_cond_wait (cond=", "#4  ___pthread_cond_timedwait64 (cond=");
  CHECK(a.findings.stuck.empty());
}

TEST_CASE("NativeConditionWaiterIsNotStuckWhileAnotherThreadCanRun") {
  // A fourth thread, asleep (big_1000's sleeper record): it may still signal.
  std::string sleeper = read_file(testdata("gdb/big_1000.gdb-full.txt"));
  size_t at = sleeper.find("Thread 999 (Thread");
  REQUIRE(at != std::string::npos);
  sleeper = sleeper.substr(at, sleeper.find("\n\n", at) - at);
  sleeper.replace(0, std::string("Thread 999").size(), "Thread 4");
  AnalyzedSnapshot a = changed("Thread 3 (Thread", sleeper + "\n\nThread 3 (Thread");
  REQUIRE(a.snapshot.tasks.size() == 4);
  CHECK(a.findings.stuck.empty());
  // The producer still waits for state_mu, held by the consumer: no claim, no cycle, not clean
  // of the wait either.
  CHECK(a.findings.cycles.empty());
}

TEST_CASE("NativeConditionWaiterIsNotStuckWithoutTheJoinsTarget") {
  // gdb without libstdc++'s debug info: main's std::thread::join() names no thread, so main
  // may be the one to signal.
  AnalyzedSnapshot a = analyze_file(kCapture + "gdb-nodebug.txt", {kRoot});
  CHECK(a.findings.stuck.empty());
}
