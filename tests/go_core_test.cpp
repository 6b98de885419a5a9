// Cores of Go programs (testdata/gocore): goroutines read from memory, checked three ways against
// the same process. (1) Delve's goroutine list of the same core (<case>.dlv.txt): the same
// goroutine ids, states and top user frames. (2) The process's own traceback of every goroutine,
// written by the process just before the core was taken (<case>.stack.txt, the text of
// /debug/pprof/goroutine?debug=2), parsed by dlanalyze's go-debug2 parser: the same frames,
// function, file and line, the same created-by. (3) The ground truth the programs print
// (<case>.truth.txt): goroutine ids by role, lock and channel addresses, which goroutines leak.
// Nothing here needs Go or Delve: the cores and the executable are committed, xz-compressed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "cli/app.h"
#include "cli/input_file.h"
#include "graph/go_runtime_layout.h"
#include "graph/resolve_go.h"
#include "parsers/go_core.h"
#include "parsers/go_core_binary.h"
#include "test_util.h"

using namespace dla;
using dla::test::frame_at;
using dla::test::holders_of;
using dla::test::id_of;
using dla::test::read_file;
using dla::test::testdata;
using dla::test::unpack_xz;

namespace {

const std::vector<std::string> kCases = {"mutex_cycle", "rwmutex",    "chan_leak",
                                         "waitgroup",   "server_10k", "idle_pool"};

std::string exe() {
  return unpack_xz("gocore/stuck.exe");
}

std::string core(const std::string& name) {
  return unpack_xz("gocore/" + name + ".core");
}

// The programs' frames read /tmp/dlanalyze-gocore/stuck/<file>.go (where capture.sh built them).
std::vector<std::string> source_roots() {
  return {"/tmp/dlanalyze-gocore/stuck=" + testdata("gocore/programs/stuck")};
}

AnalyzedSnapshot analyze_core(const std::string& path, CoreOptions options = {},
                              std::vector<std::string> roots = source_roots()) {
  if (options.exe.empty()) options.exe = exe();
  InputFile file(path);
  return analyze_input({path, file.bytes()}, {ParseOptions{"", options}, std::move(roots)});
}

const AnalyzedSnapshot& analyzed(const std::string& name) {
  static std::map<std::string, AnalyzedSnapshot> done;
  auto it = done.find(name);
  if (it == done.end()) it = done.emplace(name, analyze_core(core(name))).first;
  return it->second;
}

bool warned(const Snapshot& s, const std::string& text) {
  return std::any_of(s.warnings.begin(), s.warnings.end(),
                     [&](const Warning& w) { return w.message.find(text) != std::string::npos; });
}

// --- Ground truth: <case>.truth.txt --------------------------------------------------------------

struct Truth {
  std::map<std::string, std::string> address;               // "inventory.mu" → "0x5bac90"
  std::map<std::string, std::vector<std::string>> by_role;  // "reserveThenBill" → {"6"}
  std::map<std::string, std::string> role;                  // "6" → the whole role text
};

const Truth& truth(const std::string& name) {
  static std::map<std::string, Truth> done;
  if (auto it = done.find(name); it != done.end()) return it->second;
  Truth t;
  std::istringstream lines(read_file(testdata("gocore/" + name + ".truth.txt")));
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string kind, a, b, c;
    words >> kind >> a >> b;
    if (kind == "goroutine") {
      t.by_role[b].push_back(a);
      t.role[a] = line.substr(line.find(b));
    } else if (words >> c) {
      t.address[a + " " + b] = c;  // "channel quotes AAPL 0x…"
    } else {
      t.address[a] = b;  // "lock inventory.mu 0x…", "waitgroup shards 0x…"
    }
  }
  return done.emplace(name, std::move(t)).first->second;
}

std::string one(const Truth& t, const std::string& role) {
  auto it = t.by_role.find(role);
  REQUIRE(it != t.by_role.end());
  REQUIRE(it->second.size() == 1);
  return it->second[0];
}

TaskIndex task(const Snapshot& s, const std::string& id) {
  for (TaskIndex t = 0; t < s.tasks.size(); ++t) {
    if (id_of(s, t) == id) return t;
  }
  FAIL("no goroutine " << id);
  return kNone;
}

const WaitEdge& wait_of(const Snapshot& s, const std::string& id) {
  const WaitEdge* w = dla::test::wait_of_task(s, task(s, id));
  REQUIRE(w != nullptr);
  return *w;
}

std::string address_of_wait(const Snapshot& s, const std::string& id) {
  return std::string(s.str(s.resources[wait_of(s, id).resource].address));
}

std::set<std::string> stuck_ids(const AnalyzedSnapshot& a, const std::string& reason) {
  std::set<std::string> out;
  for (const StuckWaiter& w : a.findings.stuck) {
    if (w.reason == reason) out.insert(id_of(a.snapshot, w.task));
  }
  return out;
}

// The cycle's members, each "goroutine→lock address", in wait-for order from the lowest id.
std::vector<std::string> cycle_of(const AnalyzedSnapshot& a, size_t index = 0) {
  const Snapshot& s = a.snapshot;
  REQUIRE(index < a.findings.cycles.size());
  std::vector<std::string> out;
  for (const CycleMember& m : a.findings.cycles[index].members) {
    out.push_back(id_of(s, m.task) + "→" + std::string(s.str(s.resources[m.resource].address)));
  }
  auto lowest = std::min_element(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::stoll(x) < std::stoll(y);
  });
  std::rotate(out.begin(), lowest, out.end());
  return out;
}

// --- Delve: <case>.dlv.txt -----------------------------------------------------------------------

struct DelveGoroutine {
  std::string id, file, function, state;
  int line = 0;
  std::optional<int64_t> thread;  // a goroutine on a thread: Delve prints the thread, no state
};

// "  Goroutine 18 - User: /tmp/…/mutex_cycle.go:80 main.publishOrder (0x4ca352) [chan send 19…]"
// (Delve prints the wait's start time after the reason), or "… (0x4cbaa6) (thread 17602)"; the
// goroutine Delve selects (the first thread's) starts with "* " instead.
std::vector<DelveGoroutine> delve(const std::string& name) {
  static const std::regex kLine(
      R"(^[ *] Goroutine (\d+) - User: (\S+):(\d+) (\S+) \(0x[0-9a-f]+\)(?: \(thread (\d+)\))?(?: \[(.*?)(?: \d+)?\])?)");
  std::vector<DelveGoroutine> out;
  std::istringstream lines(read_file(testdata("gocore/" + name + ".dlv.txt")));
  std::string line;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (!std::regex_search(line, m, kLine)) continue;
    DelveGoroutine d{m[1], m[2], m[4], m[6], std::stoi(m[3]), std::nullopt};
    if (m[5].matched) d.thread = std::stoll(m[5]);
    out.push_back(d);
  }
  return out;
}

bool in_runtime_package(std::string_view function) {
  return go::package_of(function) == "runtime";
}

}  // namespace

// --- Every goroutine, as Delve and the process itself list them ----------------------------------

TEST_CASE("GoCoreListsTheGoroutinesDelveListsWithTheSameIdsStatesAndTopUserFrames") {
  for (const std::string& name : kCases) {
    INFO("case " << name);
    const Snapshot& s = analyzed(name).snapshot;
    std::vector<DelveGoroutine> want = delve(name);
    REQUIRE(!want.empty());
    CHECK(s.tasks.size() == want.size());
    CHECK(s.task_noun == "goroutine");
    CHECK(s.family == RuntimeFamily::kGo);
    CHECK(s.runtime == "go1.19.8");
    for (const DelveGoroutine& d : want) {
      INFO("goroutine " << d.id << " " << d.function);
      const Task& t = s.tasks[task(s, d.id)];
      if (d.thread) {
        // Running or in a system call: on that thread (m.procid). Delve starts such a stack at
        // the thread's registers, inside the system call; a traceback, and dlanalyze, at the
        // call into it (syscallpc).
        CHECK(t.lwp == d.thread);
        CHECK((s.str(t.state) == "running" || s.str(t.state) == "syscall"));
        if (s.str(t.state) == "syscall") continue;
      } else {
        CHECK(s.str(t.state) == d.state);
      }
      // Delve's "User" frame: the first frame outside the runtime package (its last frame when
      // there is none). Its line is the return address's for a frame the goroutine is parked in
      // (runtime.gopark: proc.go:364, where the runtime's own traceback says 363), and that of
      // the inlined callee for a call inlined into it; elsewhere file and line are the same.
      auto frames = s.frames_of(t);
      auto same_function = std::find_if(frames.begin(), frames.end(), [&](const Frame& f) {
        return s.str(f.function) == d.function;
      });
      REQUIRE(same_function != frames.end());
      if (!in_runtime_package(d.function) && d.file.find("/src/runtime/") == std::string::npos) {
        CHECK(s.str(same_function->file) == d.file);
        CHECK(same_function->line == d.line);
      }
    }
  }
}

TEST_CASE("GoCoreFramesAreTheFramesTheProcessOwnTracebackPrints") {
  for (const std::string& name : kCases) {
    INFO("case " << name);
    const Snapshot& s = analyzed(name).snapshot;
    Snapshot text = dla::test::load("gocore/" + name + ".stack.txt", "go-debug2");
    size_t compared = 0;
    for (const Task& want : text.tasks) {
      std::string id(text.str(want.id));
      INFO("goroutine " << id);
      // The goroutine that wrote the text was running then and has exited since; one that runs
      // (server_10k's spin) was stopped elsewhere when the core was taken.
      if (text.str(want.state) == "running") continue;
      if (name == "server_10k" && id == one(truth(name), "spin")) continue;
      const Task& got = s.tasks[task(s, id)];
      CHECK(s.str(got.state) == text.str(want.state));
      CHECK(s.str(got.created_by) == text.str(want.created_by));
      CHECK(got.parked_minutes == want.parked_minutes);
      auto a = text.frames_of(want);
      auto b = s.frames_of(got);
      REQUIRE(a.size() == b.size());
      for (size_t i = 0; i < a.size(); ++i) {
        INFO("frame " << i << " " << text.str(a[i].function));
        CHECK(s.str(b[i].function) == text.str(a[i].function));
        CHECK(s.str(b[i].file) == text.str(a[i].file));
        CHECK(b[i].line == a[i].line);
      }
      ++compared;
    }
    // Every goroutine the traceback prints (the runtime's own are hidden there) was compared.
    CHECK(compared + 1 + (name == "server_10k" ? 1 : 0) == text.tasks.size());
  }
}

TEST_CASE("GoKernelCoreOfACrashShowsWhatTheRuntimePrintedAsItCrashed") {
  // mutex_cycle run again with GOTRACEBACK=crash and sent SIGQUIT: the runtime printed every
  // goroutine at "system" level (runtime frames, wrappers and arguments included) and aborted;
  // the kernel wrote the core, without the executable's unmodified pages (read from the file).
  AnalyzedSnapshot a = analyze_core(unpack_xz("gocore/mutex_cycle.kernel"));
  const Snapshot& s = a.snapshot;
  Snapshot text = dla::test::load("gocore/mutex_cycle.crash.txt", "go-debug2");
  REQUIRE(text.tasks.size() == 11);
  CHECK(s.tasks.size() == text.tasks.size());
  CHECK_FALSE(s.damaged);
  for (const Task& want : text.tasks) {
    std::string id(text.str(want.id));
    INFO("goroutine " << id);
    const Task& got = s.tasks[task(s, id)];
    CHECK(s.str(got.state) == text.str(want.state));
    if (!go::package_of(text.str(want.created_by)).starts_with("runtime")) {
      CHECK(s.str(got.created_by) == text.str(want.created_by));
    }
    // dlanalyze keeps the frames a debug=2 traceback shows: the text's, less the runtime's own
    // and the go statement's wrapper (all of them for a goroutine of the runtime's own).
    auto a_frames = text.frames_of(want);
    auto b_frames = s.frames_of(got);
    size_t j = 0;
    for (size_t i = 0; i < a_frames.size(); ++i) {
      std::string_view fn = text.str(a_frames[i].function);
      if (j < b_frames.size() && s.str(b_frames[j].function) == fn) {
        CHECK(s.str(b_frames[j].file) == text.str(a_frames[i].file));
        CHECK(b_frames[j].line == a_frames[i].line);
        std::string_view args = text.str(a_frames[i].args);
        // Arguments the runtime vouched for ("?" marks a possibly stale one); the runtime's own
        // goroutines (the scavenger) may have run on between the dump and the core.
        if (args.find('?') == std::string_view::npos && !in_runtime_package(fn)) {
          CHECK(s.str(b_frames[j].args) == args);
        }
        ++j;
        continue;
      }
      bool wrapper = i + 2 == a_frames.size() &&
                     fn.starts_with(std::string(text.str(want.created_by)) + ".func");
      INFO("frame " << fn << " is not in the core's goroutine");
      CHECK((fn == "runtime.goexit" || wrapper || !go::traceback_shows(fn, "", false)));
    }
    CHECK(j == b_frames.size());
  }
  const Truth& t = truth("mutex_cycle.crash");
  REQUIRE(a.findings.cycles.size() == 1);
  CHECK(address_of_wait(s, one(t, "reserveThenBill")) == t.address.at("billing.mu"));
  CHECK(address_of_wait(s, one(t, "billThenReserve")) == t.address.at("inventory.mu"));
  CHECK(stuck_ids(a, "leaked") == std::set<std::string>{one(t, "publishOrder")});
}

TEST_CASE("GoCoreFramesCarryTheArgumentsTheirSpillSlotsHold") {
  const Snapshot& s = analyzed("mutex_cycle").snapshot;
  const Truth& t = truth("mutex_cycle");
  // main.publishOrder(o Order, confirmed chan Order): {ID: 7} and the channel itself.
  const Task& pub = s.tasks[task(s, one(t, "publishOrder"))];
  REQUIRE(pub.frame_count >= 1);
  CHECK(s.str(s.frames[pub.first_frame].args) == "{0x7}, " + t.address.at("confirmed"));
  // The argument of sync.(*Mutex).lockSlow is the mutex, as in a debug=2 dump; inlined frames
  // print "...", arguments left in registers "_".
  const Task& w = s.tasks[task(s, one(t, "reserveThenBill"))];
  auto frames = s.frames_of(w);
  REQUIRE(frames.size() == 4);
  CHECK(s.str(frames[0].args) == "_, _, _");
  CHECK(s.str(frames[1].args) == t.address.at("billing.mu"));
  CHECK(s.str(frames[2].args) == "...");
}

// --- Waits, cycles and leaks from memory ---------------------------------------------------------

TEST_CASE("GoCoreMutexInversionIsACycleOnTheExactLocksAndTheDroppedSenderIsStuck") {
  const AnalyzedSnapshot& a = analyzed("mutex_cycle");
  const Snapshot& s = a.snapshot;
  const Truth& t = truth("mutex_cycle");
  std::string reserve = one(t, "reserveThenBill"), bill = one(t, "billThenReserve");
  REQUIRE(a.findings.cycles.size() == 1);
  std::vector<std::string> want = {reserve + "→" + t.address.at("billing.mu"),
                                   bill + "→" + t.address.at("inventory.mu")};
  if (std::stoll(bill) < std::stoll(reserve))
    std::rotate(want.begin(), want.begin() + 1, want.end());
  CHECK(cycle_of(a) == want);
  for (const CycleMember& m : a.findings.cycles[0].members) {
    CHECK(s.waits[m.wait].evidence == Evidence::kMemory);
    CHECK(s.holds[m.hold].evidence == Evidence::kSource);
    CHECK(s.str(s.resources[m.resource].type) == "sync.Mutex");
  }
  CHECK(frame_at(s, wait_of(s, reserve).app_frame) == "main.reserveThenBill:38");
  CHECK(holders_of(s, wait_of(s, reserve).resource) == std::vector<std::string>{bill + "/source"});
  // auditInventory waits behind the cycle, on inventory.mu.
  std::string audit = one(t, "auditInventory");
  REQUIRE(a.findings.blocked.size() == 1);
  CHECK(id_of(s, a.findings.blocked[0].task) == audit);
  CHECK(address_of_wait(s, audit) == t.address.at("inventory.mu"));
  // publishOrder sends on a channel nothing that can run reaches: stuck, from memory.
  std::string pub = one(t, "publishOrder");
  CHECK(stuck_ids(a, "leaked") == std::set<std::string>{pub});
  CHECK(address_of_wait(s, pub) == t.address.at("confirmed"));
  CHECK(wait_of(s, pub).evidence == Evidence::kMemory);
  CHECK(a.findings.verdict() == Findings::Verdict::kDeadlock);
}

TEST_CASE("GoCoreRWMutexCycleHasTheAddressesNoTextDumpShows") {
  const AnalyzedSnapshot& a = analyzed("rwmutex");
  const Snapshot& s = a.snapshot;
  const Truth& t = truth("rwmutex");
  std::string reader = one(t, "refreshPrices"), writer = one(t, "repriceCatalog");
  // In the debug=2 text the writer's frame is sync.(*RWMutex).Lock(0x0?) and the late reader's
  // RLock is inlined: catalog.mu's address shows nowhere. The semaphore table has it.
  REQUIRE(a.findings.cycles.size() == 1);
  std::vector<std::string> want = {reader + "→" + t.address.at("pricing.mu"),
                                   writer + "→" + t.address.at("catalog.mu")};
  if (std::stoll(writer) < std::stoll(reader))
    std::rotate(want.begin(), want.begin() + 1, want.end());
  CHECK(cycle_of(a) == want);
  for (const CycleMember& m : a.findings.cycles[0].members) {
    CHECK(s.resources[m.resource].kind == ResourceKind::kRwlock);
    CHECK(s.waits[m.wait].evidence == Evidence::kMemory);
  }
  std::string late = one(t, "listProducts");
  CHECK(address_of_wait(s, late) == t.address.at("catalog.mu"));
  REQUIRE(a.findings.blocked.size() == 1);
  CHECK(id_of(s, a.findings.blocked[0].task) == late);
  CHECK(a.findings.stuck.empty());
}

TEST_CASE("GoCoreChannelWaitsNothingCanReachAreStuckAndReachableOnesAreNot") {
  const AnalyzedSnapshot& a = analyzed("chan_leak");
  const Snapshot& s = a.snapshot;
  const Truth& t = truth("chan_leak");
  CHECK(a.findings.cycles.empty());
  // Every sender waits on exactly its own channel (from g.waiting → sudog.c).
  std::set<std::string> leaked_by_truth;
  for (const auto& [id, role] : t.role) {
    if (role.starts_with("lookupQuote")) {
      std::string symbol = role.substr(role.find("quotes ") + 7);
      symbol = symbol.substr(0, symbol.find(' '));
      INFO("goroutine " << id << " " << symbol);
      CHECK(address_of_wait(s, id) == t.address.at("quotes " + symbol));
      CHECK(wait_of(s, id).evidence == Evidence::kMemory);
    }
    if (role.find("(leaked)") != std::string::npos) leaked_by_truth.insert(id);
  }
  REQUIRE(leaked_by_truth.size() == 22);
  CHECK(address_of_wait(s, one(t, "sumResults")) == t.address.at("results"));
  CHECK(address_of_wait(s, one(t, "flushBatch")) == t.address.at("batch"));
  // Each channel's state, from its hchan: buffer, queue, closed.
  auto type_of = [&](const std::string& role) {
    return std::string(s.str(s.resources[wait_of(s, one(t, role)).resource].type));
  };
  CHECK(type_of("flushBatch") == "chan, 4 of 4 buffered");
  CHECK(type_of("sumResults") == "chan, unbuffered");
  CHECK(address_of_wait(s, one(t, "awaitShutdown")) == t.address.at("shutdown"));
  CHECK(address_of_wait(s, one(t, "awaitTick")) == t.address.at("tick"));
  // Only unreachability is claimed: every claim is a goroutine the program leaked. The scan is
  // conservative (stale words in live stacks keep a few leaked channels reachable), so not every
  // leaked goroutine is claimed; these are, in this core.
  std::set<std::string> claimed = stuck_ids(a, "leaked");
  CHECK(std::includes(leaked_by_truth.begin(), leaked_by_truth.end(), claimed.begin(),
                      claimed.end()));
  CHECK(claimed.size() >= 18);
  for (const char* live : {"awaitShutdown", "awaitTick", "awaitEither", "sleepThenTick"}) {
    INFO(live);
    CHECK_FALSE(claimed.count(one(t, live)));
  }
  CHECK(a.findings.verdict() == Findings::Verdict::kStuck);
}

TEST_CASE("GoCoreSyncWaitsOnDroppedObjectsAreLeakedThoseOnGlobalsAreNot") {
  const AnalyzedSnapshot& a = analyzed("waitgroup");
  const Snapshot& s = a.snapshot;
  const Truth& t = truth("waitgroup");
  std::string shards = one(t, "awaitShards");
  std::vector<std::string> dropped = t.by_role.at("lockDropped");
  REQUIRE(dropped.size() == 2);
  CHECK(address_of_wait(s, shards) == t.address.at("shards"));
  CHECK(s.resources[wait_of(s, shards).resource].kind == ResourceKind::kWaitgroup);
  CHECK(address_of_wait(s, one(t, "awaitWorkers")) == t.address.at("pending"));
  CHECK(address_of_wait(s, one(t, "lockOrphan")) == t.address.at("cacheMu"));
  for (const std::string& id : dropped) CHECK(address_of_wait(s, id) == t.address.at("session.mu"));
  CHECK(stuck_ids(a, "leaked") == std::set<std::string>{shards, dropped[0], dropped[1]});
  CHECK(a.findings.cycles.empty());
  // Parked 65 s before the core: the runtime's own traceback says "1 minutes", so does the core.
  CHECK(s.tasks[task(s, shards)].parked_minutes == 1.0);
  CHECK(s.tasks[task(s, one(t, "awaitReady"))].parked_minutes == 1.0);
}

TEST_CASE("GoCoreServerOf10000GoroutinesFindsTheHeapLockCycleLeaksRunningAndSyscall") {
  const AnalyzedSnapshot& a = analyzed("server_10k");
  const Snapshot& s = a.snapshot;
  const Truth& t = truth("server_10k");
  // A cycle on two mutexes of a heap-allocated Bank: only the receiver's value (the method's
  // argument, read from its spill slot) ties holder to waiter.
  std::string debit = one(t, "debit"), credit = one(t, "credit");
  REQUIRE(a.findings.cycles.size() == 1);
  std::vector<std::string> want = {debit + "→" + t.address.at("bank.ledger.mu"),
                                   credit + "→" + t.address.at("bank.accounts.mu")};
  if (std::stoll(credit) < std::stoll(debit))
    std::rotate(want.begin(), want.begin() + 1, want.end());
  CHECK(cycle_of(a) == want);
  // 2,000 handlers wait for cache.mu, which refreshCache holds (from source) while it waits on a
  // channel a global holds: neither a cycle nor stuck.
  std::string refresh = one(t, "refreshCache");
  size_t handlers = 0;
  for (const WaitEdge& w : s.waits) {
    const Resource& r = s.resources[w.resource];
    if (s.str(r.address) != t.address.at("cache.mu")) continue;
    ++handlers;
    CHECK(holders_of(s, w.resource) == std::vector<std::string>{refresh + "/source"});
  }
  CHECK(handlers == 2000);
  // Leaked: only deliver goroutines (1,992 of them); the conservative scan claims most.
  std::set<std::string> claimed = stuck_ids(a, "leaked");
  for (const std::string& id : claimed) {
    CHECK(frame_at(s, s.tasks[task(s, id)].first_frame).starts_with("main.deliver:"));
  }
  CHECK(claimed.size() >= 1800);
  CHECK(claimed.size() <= 1992);
  // The running goroutine is unwound from its thread's registers (m.procid = the LWP), the one
  // in read(2) from its syscall pc/sp.
  const Task& spin = s.tasks[task(s, one(t, "spin"))];
  CHECK(s.str(spin.state) == "running");
  CHECK(spin.lwp.has_value());
  // Its pc is the instruction the thread was stopped at (gdb gives it the same line, 1).
  CHECK(s.str(s.frames[spin.first_frame].function) == "main.spin");
  CHECK(s.tasks[task(s, one(t, "spin"))].frame_count == 1);
  const Task& reader = s.tasks[task(s, one(t, "readControl"))];
  CHECK(s.str(reader.state) == "syscall");
  auto frames = s.frames_of(reader);
  CHECK(std::any_of(frames.begin(), frames.end(), [&](const Frame& f) {
    return s.str(f.function) == "main.readControl" && f.line == 126;
  }));
}

TEST_CASE("GoCoreOfAHealthyServerAtRestIsCleanAndClaimsNothing") {
  const AnalyzedSnapshot& a = analyzed("idle_pool");
  const Snapshot& s = a.snapshot;
  CHECK(a.findings.verdict() == Findings::Verdict::kClean);
  CHECK(a.findings.cycles.empty());
  CHECK(a.findings.stuck.empty());
  CHECK(a.findings.unresolved.empty());
  CHECK(s.warnings.empty());
  CHECK_FALSE(s.damaged);
  // The 16 workers wait on one channel, the pool's queue, named from memory.
  std::map<std::string, size_t> workers_by_channel;
  for (const WaitEdge& w : s.waits) {
    if (frame_at(s, w.app_frame).starts_with("main.(*Pool).work:")) {
      CHECK(w.evidence == Evidence::kMemory);
      ++workers_by_channel[std::string(s.str(s.resources[w.resource].address))];
    }
  }
  const Truth& t = truth("idle_pool");
  CHECK(workers_by_channel == std::map<std::string, size_t>{{t.address.at("jobs"), 16}});
  CHECK(address_of_wait(s, one(t, "dispatch")) == t.address.at("requests"));
  CHECK(s.str(s.resources[wait_of(s, one(t, "dispatch")).resource].type) == "chan, unbuffered");
  std::string path = core("idle_pool"), program = exe();
  const char* argv[] = {"dlanalyze", path.c_str(), "-e", program.c_str()};
  std::ostringstream out, err;
  CHECK(run_cli(4, argv, out, err, false) == 0);
  CHECK(out.str().starts_with("no deadlock: "));
}

// --- What cannot be read is said, and never called clean -----------------------------------------

TEST_CASE("GoCoreWithoutItsExecutableSaysSoAndIsNeverClean") {
  // The executable is neither given nor at the path the core records (under this sysroot).
  CoreOptions options{"", "/nonexistent-sysroot", "/nonexistent-debug"};
  InputFile file(core("mutex_cycle"));
  Snapshot s = read_snapshot({"m.core", file.bytes()}, ParseOptions{"", options});
  CHECK(s.damaged);
  CHECK(warned(s,
               "a Go program, but its goroutines cannot be read: its executable "
               "/tmp/dlanalyze-gocore/stuck/stuck is not found; give it with -e/--exe"));
  CHECK(s.task_noun == "thread");  // the threads, for what they are worth
  std::ostringstream out, err;
  std::string path = core("mutex_cycle");
  const char* argv[] = {"dlanalyze", path.c_str(), "--sysroot", "/nonexistent-sysroot"};
  CHECK(run_cli(4, argv, out, err, false) == 2);
  CHECK(err.str().find("goroutines cannot be read") != std::string::npos);
}

TEST_CASE("GoCoreWithAnExecutableWithoutDwarfSaysSoAndIsNeverClean") {
  // The same executable with its .debug_* sections renamed (what `strip --strip-debug` leaves,
  // without binutils): libdw finds no DWARF.
  std::string bytes = read_file(exe());
  REQUIRE(bytes.size() > 64);
  uint64_t shoff = 0;
  uint16_t shentsize = 0, shstrndx = 0;
  std::memcpy(&shoff, bytes.data() + 40, 8);
  std::memcpy(&shentsize, bytes.data() + 58, 2);
  std::memcpy(&shstrndx, bytes.data() + 62, 2);
  uint64_t names = 0, names_size = 0;
  std::memcpy(&names, bytes.data() + shoff + shstrndx * shentsize + 24, 8);
  std::memcpy(&names_size, bytes.data() + shoff + shstrndx * shentsize + 32, 8);
  size_t renamed = 0;
  for (size_t at = bytes.find(".debug_", names); at != std::string::npos && at < names + names_size;
       at = bytes.find(".debug_", at + 1)) {
    bytes[at + 1] = 'x';
    ++renamed;
  }
  REQUIRE(renamed >= 4);
  std::string nodwarf = std::filesystem::path(exe()).parent_path().string() + "/stuck-nodwarf";
  std::ofstream(nodwarf, std::ios::binary) << bytes;
  InputFile file(core("mutex_cycle"));
  Snapshot s = read_snapshot({"m.core", file.bytes()}, ParseOptions{"", {nodwarf, "", ""}});
  CHECK(s.damaged);
  CHECK(warned(s, "goroutines cannot be read: the executable has no DWARF"));
  Findings f = analyze(s);
  // The threads show nothing, and the goroutines were not read: never a clean verdict (exit 2).
  CHECK(f.verdict() == Findings::Verdict::kUnproven);
  CHECK(f.unproven == Findings::Unproven::kDamagedInput);
}

TEST_CASE("GoCoreWithAnotherGoExecutableSaysItIsNotTheCoresOwn") {
  std::string bytes = read_file(exe());
  // Another build of the program: its Go build ID (the note) differs in one character.
  size_t note = bytes.find(std::string("Go\0\0", 4));
  REQUIRE(note != std::string::npos);
  bytes[note + 4] ^= 1;
  std::string other = std::filesystem::path(exe()).parent_path().string() + "/stuck-other";
  std::ofstream(other, std::ios::binary) << bytes;
  InputFile file(core("mutex_cycle"));
  Snapshot s = read_snapshot({"m.core", file.bytes()}, ParseOptions{"", {other, "", ""}});
  CHECK(s.damaged);
  CHECK(warned(s, "is not this core's (Go build ID"));
}

// gdb writes the notes (the threads) last, so a gcore cut short is only "no threads". The kernel
// writes them first: the same core rearranged that way (header, notes, then the segments; the
// read-only reservations gcore writes as zeros left out), to cut it inside the goroutines' memory.
std::string kernel_layout(std::string_view gcore) {
  auto u16 = [&](size_t at) {
    uint16_t v;
    std::memcpy(&v, gcore.data() + at, 2);
    return v;
  };
  auto u64 = [&](size_t at) {
    uint64_t v;
    std::memcpy(&v, gcore.data() + at, 8);
    return v;
  };
  uint64_t phoff = u64(32);
  uint16_t phnum = u16(56);
  std::vector<std::string> kept;  // program headers, notes first
  for (int pass = 0; pass < 2; ++pass) {
    for (uint16_t i = 0; i < phnum; ++i) {
      std::string ph(gcore.substr(phoff + i * 56, 56));
      uint32_t type, flags;
      std::memcpy(&type, ph.data(), 4);
      std::memcpy(&flags, ph.data() + 4, 4);
      if ((pass == 0) != (type == 4 /* PT_NOTE */)) continue;
      if (type == 1 /* PT_LOAD */ && flags == 4 /* PF_R only */) continue;
      kept.push_back(ph);
    }
  }
  std::string out(gcore.substr(0, 64));
  uint16_t n = static_cast<uint16_t>(kept.size());
  std::memcpy(out.data() + 56, &n, 2);
  uint64_t zero = 0, at = 64 + 56 * kept.size();
  std::memcpy(out.data() + 40, &zero, 8);  // no section headers
  std::memset(out.data() + 60, 0, 4);
  std::string data;
  for (std::string& ph : kept) {
    uint64_t offset, filesz;
    std::memcpy(&offset, ph.data() + 8, 8);
    std::memcpy(&filesz, ph.data() + 32, 8);
    uint64_t moved = at + data.size();
    std::memcpy(ph.data() + 8, &moved, 8);
    data.append(gcore.substr(offset, filesz));
    out += ph;
  }
  return out + data;
}

TEST_CASE("GoCoreCutAnywhereNeverCrashesAndIsNeverClean") {
  InputFile file(core("mutex_cycle"));
  std::string bytes = kernel_layout(file.bytes());
  ParseOptions options{"core", {exe(), "", ""}};
  // Rearranged, the core still reads whole.
  AnalyzedSnapshot whole = analyze_input({"k.core", bytes}, {options, {}});
  CHECK_FALSE(whole.snapshot.damaged);
  CHECK(whole.snapshot.tasks.size() == 11);
  CHECK(whole.findings.cycles.size() == 1);
  // Cut in the headers, the notes, the executable's text and data, the heap arena (goroutines,
  // their stacks, channels), the threads' stacks.
  std::vector<size_t> cuts = {0, 63, 64, 0x200, 0x1000, 0x8000, 0x20000, 0x100000};
  for (size_t step = bytes.size() / 97, cut = step; cut < bytes.size(); cut += step) {
    cuts.push_back(cut);
  }
  cuts.push_back(bytes.size() - 1);
  size_t partial = 0, goroutines_read = 0;
  for (size_t cut : cuts) {
    INFO("cut at " << cut);
    try {
      AnalyzedSnapshot a =
          analyze_input({"cut.core", std::string_view(bytes).substr(0, cut)}, {options, {}});
      CHECK(a.snapshot.damaged);
      CHECK(warned(a.snapshot, "truncated core"));
      ++partial;
      if (a.snapshot.task_noun == "goroutine") ++goroutines_read;
      // Otherwise the threads are listed, and the warning says the goroutines were not read.
      if (a.snapshot.task_noun == "thread") CHECK(warned(a.snapshot, "goroutines cannot be read"));
    } catch (const Error& e) {
      std::string message = e.what();
      CHECK(message.starts_with("cut.core"));
      CHECK(message.find('\n') == std::string::npos);
    }
  }
  CHECK(partial > 90);
  CHECK(goroutines_read > 30);  // the cut left the goroutines readable, in part or in whole
}

// --- The tables, row by row, on this binary ------------------------------------------------------

TEST_CASE("GoCoreDetectsAGoExecutableFromTheCoresMemoryAlone") {
  InputFile file(core("mutex_cycle"));
  CoreFile c = read_core_file("m.core", file.bytes());
  std::string id;
  CHECK(is_go_image_in_memory(c, 0x400000, &id));
  CHECK(id.size() > 40);
  CHECK(read_file(exe()).find(id) != std::string::npos);
  CHECK_FALSE(is_go_image_in_memory(c, 0x400000 + 0x1000));
  CHECK_FALSE(is_go_image_in_memory(c, 0));
}

TEST_CASE("GoRuntimeTablesMatchTheWaitReasonsAndStatusesOfGo119") {
  // The waits the cores show print through the binary's own runtime.waitReasonStrings; the
  // table for binaries without it must say the same for Go 1.19.
  const go::WaitReasonTable* t = go::find_wait_reasons("go1.19.8");
  REQUIRE(t != nullptr);
  CHECK(t->reasons.size() == 27);
  for (const char* reason : {"semacquire", "chan send", "chan receive", "select", "sleep",
                             "IO wait", "sync.Cond.Wait", "force gc (idle)", "GC worker (idle)"}) {
    CHECK(std::find(t->reasons.begin(), t->reasons.end(), reason) != t->reasons.end());
  }
  CHECK(go::find_wait_reasons("go1.22.1") == nullptr);
  // Every status row is a constant of this binary's DWARF with the row's value (checked through
  // the states the cores show: idle/dead aside, Delve agrees on each).
  go::StatusValues v;
  for (size_t i = 0; i < go::status_rows().size(); ++i) v.values[i] = go::status_rows()[i].value;
  CHECK(go::status_word(v, 4) == "waiting");
  CHECK(go::status_word(v, 2) == "running");
  CHECK(go::status_word(v, 3) == "syscall");
  CHECK(go::is_dead(v, 6));
  CHECK_FALSE(go::status_word(v, 77).has_value());
}

TEST_CASE("GoTracebackFrameRulesHideWhatDebug2Hides") {
  CHECK(go::traceback_shows("main.main", "/src/main.go", false));
  CHECK(go::traceback_shows("sync.(*Mutex).Lock", "mutex.go", false));
  CHECK(go::traceback_shows("runtime.Goexit", "panic.go", false));       // exported
  CHECK(go::traceback_shows("runtime.gopanic", "panic.go", false));      // always
  CHECK_FALSE(go::traceback_shows("runtime.gopark", "proc.go", false));  // unexported
  CHECK_FALSE(go::traceback_shows("runtime.(*scavengerState).park", "mgcscavenge.go", false));
  CHECK_FALSE(go::traceback_shows("main.mutexCycle.func1", "mutex_cycle.go", true));  // go wrapper
  CHECK_FALSE(go::traceback_shows("main.(*T).M-fm", "<autogenerated>", false));
  CHECK(go::is_stack_bottom("runtime.goexit"));
  CHECK_FALSE(go::is_stack_bottom("runtime.main"));
}

TEST_CASE("GoSemaphoreRowsNameTheSyncFieldEachCallerSleepsOn") {
  // Exercised on the cores: Mutex (mutex_cycle), RWMutex writer, reader and its writer mutex w
  // (rwmutex), WaitGroup in Go 1.19's state2 (waitgroup). Here, that every row is reachable.
  for (const char* caller : {"sync.(*Mutex).lockSlow", "sync.(*RWMutex).Lock",
                             "sync.(*RWMutex).RLock", "sync.(*WaitGroup).Wait"}) {
    CHECK(go::find_sema_field(caller) != nullptr);
  }
  CHECK(go::find_sema_field("sync.(*Cond).Wait") == nullptr);  // a notify list, not a semaphore
  REQUIRE(go::embedded_lock_rows().size() == 1);
  CHECK(go::embedded_lock_rows()[0].field == "w");
}

TEST_CASE("GoRuntimeLayoutEveryRowResolvesOnGo119") {
  static const Dwfl_Callbacks kCallbacks = {dwfl_build_id_find_elf, dwfl_standard_find_debuginfo,
                                            dwfl_offline_section_address, nullptr};
  Dwfl* dwfl = dwfl_begin(&kCallbacks);
  REQUIRE(dwfl != nullptr);
  Dwfl_Module* mod = dwfl_report_offline(dwfl, "stuck", exe().c_str(), -1);
  dwfl_report_end(dwfl, nullptr, nullptr);
  REQUIRE(mod != nullptr);
  std::string why;
  std::unique_ptr<GoBinary> b = GoBinary::open(mod, why);
  REQUIRE(b != nullptr);
  CHECK(b->version() == "go1.19.8");
  const go::RuntimeLayout& L = b->layout();
  // Go 1.19 has the older spelling of each field a newer release wrapped.
  const std::map<go::FieldId, std::string_view> older = {
      {go::FieldId::kGStatus, "atomicstatus"},
      {go::FieldId::kSudogElem, "elem"},
      {go::FieldId::kSudogC, "c"},
      {go::FieldId::kMspanState, "state.s"},
      {go::FieldId::kSchedLastPoll, "lastpoll"},
  };
  for (const go::FieldRow& row : go::field_rows()) {
    INFO(row.type << " " << row.paths);
    REQUIRE(L.at(row.id).has_value());
    CHECK(L.width(row.id) > 0);
    if (auto it = older.find(row.id); it != older.end()) {
      CHECK(L.found_path[static_cast<size_t>(row.id)] == it->second);
    } else {
      CHECK(L.found_path[static_cast<size_t>(row.id)] == row.paths);
    }
  }
  CHECK(L.at(go::FieldId::kGGoid) == 152u);  // readelf --debug-dump=info: runtime.g.goid
  CHECK(L.width(go::FieldId::kGWaitReason) == 1);
  for (const go::TypeRow& row : go::type_rows()) CHECK(L.size(row.id).has_value());
  CHECK(L.size(go::TypeId::kG) == 392u);
  for (const go::GlobalRow& row : go::global_rows()) {
    INFO(row.symbol);
    CHECK(b->global(row.id).has_value());
  }
  CHECK(L.semtable_count == 251);  // sema.go semTabSize
  for (const go::StatusRow& row : go::status_rows()) {
    INFO(row.constant);
    CHECK(b->constant(row.constant) == static_cast<int64_t>(row.value));
  }
  CHECK(b->constant(go::kScanBitConstant) == static_cast<int64_t>(go::kScanBitValue));
  // runtime.waitReasonStrings: 27 strings of 16 bytes, the table's count for Go 1.19.
  CHECK(b->global_size(go::GlobalId::kWaitReasonStrings) ==
        16 * go::find_wait_reasons("go1.19")->reasons.size());
  CHECK(b->offset_of("sync.Mutex", "sema") == 4u);
  CHECK(b->offset_of("sync.RWMutex", "readerSem") == 12u);
  CHECK(b->offset_of("sync.WaitGroup", "sema|state2") == 8u);
  CHECK(b.get() != nullptr);
  b.reset();
  dwfl_end(dwfl);
}

TEST_CASE("GoCoreCommandLineSaysDeadlockAndExitsOne") {
  std::string path = core("mutex_cycle"), program = exe();
  std::string root = source_roots()[0];
  const char* argv[] = {"dlanalyze",     path.c_str(),    "-e",
                        program.c_str(), "--source-root", root.c_str()};
  std::ostringstream out, err;
  CHECK(run_cli(6, argv, out, err, false) == 1);
  CHECK(
      out.str().starts_with("DEADLOCK: 11 goroutines, 1 cycle, 1 stuck, 1 blocked behind a "
                            "cycle"));
  CHECK(out.str().find("go1.19.8") != std::string::npos);
  CHECK(err.str().empty());
}
