// Go goroutine dumps captured with Go 1.19.8 (testdata/go/README.md has the ground truth), and
// the transcribed variants of other Go versions (testdata/go/transcribed/README.md). Holders come
// from the programs' source, found through --source-root as a user would pass it.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "parsers/go_traceback.h"
#include "test_util.h"

using namespace dla;
using dla::test::id_of;
using dla::test::load;

namespace {

struct Analyzed {
  Snapshot s;
  Findings f;
};

Analyzed from(AnalyzedSnapshot a) {
  return {std::move(a.snapshot), std::move(a.findings)};
}

// The programs were built in /tmp/dlanalyze-go/<case>/; their source is in testdata/go/programs.
Analyzed analyze_go(const std::string& file, bool with_source = true) {
  // Without source: the tree is said to be somewhere it is not, so that a copy left in /tmp by a
  // capture run on this machine is not read either.
  return from(dla::test::analyze_file(
      "go/" + file, {"/tmp/dlanalyze-go=" + (with_source ? dla::test::testdata("go/programs")
                                                         : std::string("/nonexistent"))}));
}

// "21 waits 0x8fda80 billing.mu held by 22 [source] at main.go:54" for each member.
std::vector<std::string> describe(const Analyzed& a, const Cycle& c) {
  std::vector<std::string> out;
  const Snapshot& s = a.s;
  for (const CycleMember& m : c.members) {
    const Resource& r = s.resources[m.resource];
    const HoldEdge& h = s.holds[m.hold];
    std::string address = r.address == kNoString ? "?" : std::string(s.str(r.address));
    out.push_back(id_of(s, m.task) + " waits " + address + " " + std::string(s.str(r.symbol)) +
                  " held by " + id_of(s, h.task) + " [" + to_string(h.evidence) + "] at line " +
                  std::to_string(h.line));
  }
  return out;
}

}  // namespace

TEST_CASE("GoTokenizerReadsHeadersOfEveryVersion") {
  GoLine plain = tokenize_go_line("goroutine 21 [semacquire]:");
  REQUIRE(plain.kind == GoLine::Kind::kHeader);
  CHECK(plain.text == "21");
  CHECK(plain.state == "semacquire");
  CHECK_FALSE(plain.minutes);

  // server_cycle2.sigquit-late.txt: "minutes" is plural even for one.
  GoLine late = tokenize_go_line("goroutine 22 [semacquire, 1 minutes]:");
  CHECK(late.state == "semacquire");
  CHECK(late.minutes == 1);

  GoLine locked = tokenize_go_line("goroutine 17 [syscall, 10175 minutes, locked to thread]:");
  CHECK(locked.state == "syscall");
  CHECK(locked.minutes == 10175);
  CHECK(locked.locked_to_thread);

  // transcribed/go122_sigquit_gp_header.txt
  GoLine gp = tokenize_go_line("goroutine 21 gp=0xc000006a60 m=nil [sync.Mutex.Lock, 1 minutes]:");
  REQUIRE(gp.kind == GoLine::Kind::kHeader);
  CHECK(gp.text == "21");
  CHECK(gp.state == "sync.Mutex.Lock");
  CHECK(gp.minutes == 1);

  // transcribed/go125_synctest_durable.txt
  GoLine bubble = tokenize_go_line("goroutine 20 [chan send (durable), synctest bubble 1]:");
  CHECK(bubble.state == "chan send (durable)");
}

TEST_CASE("GoTokenizerReadsCallsLocationsAndMarkers") {
  GoLine call = tokenize_go_line("sync.(*Mutex).lockSlow(0x8fda80)");
  REQUIRE(call.kind == GoLine::Kind::kCall);
  CHECK(call.text == "sync.(*Mutex).lockSlow");
  CHECK(call.detail == "0x8fda80");

  GoLine aggregate = tokenize_go_line(
      "main.(*SessionStore).ExpireOlderThan(0x8fda50, {0xfffffe5ce7b1b53c?, 0x8feee0?, "
      "0x8feee0?})");
  REQUIRE(aggregate.kind == GoLine::Kind::kCall);
  CHECK(aggregate.text == "main.(*SessionStore).ExpireOlderThan");
  CHECK(aggregate.detail == "0x8fda50, {0xfffffe5ce7b1b53c?, 0x8feee0?, 0x8feee0?}");

  GoLine location = tokenize_go_line(
      "\t/usr/lib/go-1.19/src/sync/mutex.go:171 +0x165 fp=0xc000048b28 "
      "sp=0xc000048b08 pc=0x43b256");
  REQUIRE(location.kind == GoLine::Kind::kLocation);
  CHECK(location.text == "/usr/lib/go-1.19/src/sync/mutex.go");
  CHECK(location.number == 171);

  GoLine created = tokenize_go_line("created by main.main in goroutine 1");
  REQUIRE(created.kind == GoLine::Kind::kCreatedBy);
  CHECK(created.text == "main.main");

  CHECK(tokenize_go_line("...additional frames elided...").kind == GoLine::Kind::kElided);
  CHECK(tokenize_go_line("...55 frames elided...").kind == GoLine::Kind::kElided);
  GoLine fatal = tokenize_go_line("fatal error: all goroutines are asleep - deadlock!");
  CHECK(fatal.kind == GoLine::Kind::kFatal);
  CHECK(tokenize_go_line("rax    0xca").kind == GoLine::Kind::kOther);
  CHECK(tokenize_go_line("goroutine profile: total 5").kind == GoLine::Kind::kOther);
}

TEST_CASE("GoTwoCycleInAServerFromEveryCaptureMethod") {
  // Goroutine 21 holds inventory.mu (line 42) and waits for billing.mu (0x8fda80, line 48);
  // 22 holds billing.mu (54) and waits for inventory.mu (0x8fda70, 60).
  const std::vector<std::string> expected = {
      "21 waits 0x8fda80 billing.mu held by 22 [source] at line 54",
      "22 waits 0x8fda70 inventory.mu held by 21 [source] at line 42"};
  for (std::string file : {"server_cycle2.debug2.txt", "server_cycle2.sigquit.txt",
                           "server_cycle2.debug2-late.txt", "server_cycle2.sigquit-late.txt"}) {
    INFO(file);
    Analyzed a = analyze_go(file);
    CHECK(a.s.format == "go-debug2");
    REQUIRE(a.f.cycles.size() == 1);
    CHECK(describe(a, a.f.cycles[0]) == expected);
    CHECK(a.f.cycles[0].confidence == Confidence::kLikely);
    CHECK(a.s.warnings.empty());
  }
  // The GOTRACEBACK=system process numbered them 19 and 20.
  for (std::string file : {"server_cycle2.debug2-system.txt", "server_cycle2.sigquit-system.txt"}) {
    INFO(file);
    Analyzed a = analyze_go(file);
    REQUIRE(a.f.cycles.size() == 1);
    CHECK(
        describe(a, a.f.cycles[0]) ==
        std::vector<std::string>{"19 waits 0x8fda80 billing.mu held by 20 [source] at line 54",
                                 "20 waits 0x8fda70 inventory.mu held by 19 [source] at line 42"});
  }
}

TEST_CASE("GoParkedMinutesComeFromTheHeader") {
  Analyzed a = analyze_go("server_cycle2.sigquit-late.txt");
  for (const CycleMember& m : a.f.cycles.at(0).members) {
    CHECK(a.s.tasks[m.task].parked_minutes == 1.0);
  }
}

TEST_CASE("GoThreeCycleOfReceiverFields") {
  // s.billing.mu etc. of one *OrderService: the receiver's printed value ties them.
  Analyzed a = analyze_go("server_cycle3.debug2.txt");
  REQUIRE(a.f.cycles.size() == 1);
  CHECK(describe(a, a.f.cycles[0]) ==
        std::vector<std::string>{
            "19 waits 0xc000092f10 s.billing.mu held by 20 [source] at line 59",
            "20 waits 0xc000092f20 s.shipping.mu held by 21 [source] at line 70",
            "21 waits 0xc000092f00 s.inventory.mu held by 19 [source] at line 48"});
}

TEST_CASE("GoFatalDeadlockCyclesAndTheRestStuck") {
  Analyzed two = analyze_go("cycle2_fatal.txt");
  REQUIRE(two.f.cycles.size() == 1);
  CHECK(describe(two, two.f.cycles[0]) ==
        std::vector<std::string>{"6 waits 0x52a2e0 billing.mu held by 7 [source] at line 50",
                                 "7 waits 0x52a2f0 inventory.mu held by 6 [source] at line 38"});
  // main waits on a WaitGroup the deadlocked workers never finish: the runtime said so.
  REQUIRE(two.f.stuck.size() == 1);
  CHECK(id_of(two.s, two.f.stuck[0].task) == "1");
  CHECK(two.f.stuck[0].reason == "runtime-declared-deadlock");

  Analyzed three = analyze_go("cycle3_fatal.txt");
  REQUIRE(three.f.cycles.size() == 1);
  CHECK(describe(three, three.f.cycles[0]) ==
        std::vector<std::string>{"6 waits 0x52a2f0 billing.mu held by 7 [source] at line 56",
                                 "7 waits 0x52a300 shipping.mu held by 8 [source] at line 68",
                                 "8 waits 0x52a2e0 inventory.mu held by 6 [source] at line 44"});
}

TEST_CASE("GoRwMutexCycleAndTheReaderBehindIt") {
  // 19 holds catalog.mu for reading (44) and wants pricing.mu (0x8fe940); 20 holds pricing.mu
  // (61) and wants catalog.mu for writing; 21's RLock waits behind the pending writer.
  // debug=2 never prints catalog's address; SIGQUIT does (semacquire1's 0x8fe928 - 8).
  for (auto [file, catalog] :
       {std::pair{"rwmutex.debug2.txt", "?"}, std::pair{"rwmutex.sigquit.txt", "0x8fe920"}}) {
    INFO(file);
    Analyzed a = analyze_go(file);
    REQUIRE(a.f.cycles.size() == 1);
    CHECK(describe(a, a.f.cycles[0]) ==
          std::vector<std::string>{
              "19 waits 0x8fe940 pricing.mu held by 20 [source] at line 61",
              "20 waits " + std::string(catalog) + " catalog.mu held by 19 [source] at line 44"});
    // 21 is blocked behind the cycle through the writer it queues behind (a pending writer
    // blocks new readers), not through 19's read hold, which it could share.
    REQUIRE(a.f.blocked.size() == 1);
    CHECK(id_of(a.s, a.f.blocked[0].task) == "21");
    CHECK(id_of(a.s, a.f.blocked[0].holder) == "20");
    CHECK(a.s.waits[a.f.blocked[0].wait].shared);
  }
}

TEST_CASE("GoSelfDeadlockThroughTheCallersReceiver") {
  // ExpireOlderThan locks s.mu (line 34) and calls s.Len() (43), which locks s.mu again (28).
  // Len's own receiver prints as "0xc000036718?" (unreliable); the caller's s.Len() ties it.
  for (std::string file : {"self_deadlock.debug2.txt", "self_deadlock.sigquit.txt"}) {
    INFO(file);
    Analyzed a = analyze_go(file);
    REQUIRE(a.f.cycles.size() == 1);
    CHECK(describe(a, a.f.cycles[0]) ==
          std::vector<std::string>{"19 waits 0x8fda50 s.mu held by 19 [source] at line 34"});
  }
}

TEST_CASE("GoChannelHangsCertainFromTheDumpAlone") {
  Analyzed a = analyze_go("channels.debug2.txt", false);
  CHECK(a.f.cycles.empty());
  std::vector<std::string> stuck;
  for (const StuckWaiter& w : a.f.stuck) stuck.push_back(id_of(a.s, w.task) + " " + w.reason);
  CHECK(stuck == std::vector<std::string>{"19 nil-channel", "20 no-cases"});
  CHECK(a.f.verdict() == Findings::Verdict::kStuck);
  // The send with no receiver, the range over an unclosed channel and the WaitGroup never done
  // are waits, not certainties.
  for (const std::string id : {"21", "23", "24"}) {
    bool waits = false;
    for (const WaitEdge& w : a.s.waits) waits |= id_of(a.s, w.task) == id;
    CHECK(waits);
  }
}

TEST_CASE("GoLeakIsAGroupNotACycle") {
  Analyzed a = analyze_go("leak.debug2.txt");
  CHECK(a.f.cycles.empty());
  // The 500 senders on n.queue: the only receive is the range in (*Notifier).dispatch, which no
  // goroutine runs and no code calls (or takes as a value): stuck, as inferred from the source.
  REQUIRE(a.f.stuck.size() == 500);
  for (const StuckWaiter& w : a.f.stuck) {
    CHECK(w.reason == "chan-send-no-receiver");
    CHECK(w.evidence == Evidence::kInferred);
  }
  // Without the source nothing is claimed.
  CHECK(analyze_go("leak.debug2.txt", false).f.stuck.empty());
  REQUIRE_FALSE(a.f.groups.groups.empty());
  const Group& g = a.f.groups.groups[0];
  CHECK(g.count == 500);
  CHECK(a.s.str(g.state) == "chan send");
  CHECK(id_of(a.s, g.tasks.front()) == "19");
  CHECK(id_of(a.s, g.tasks.back()) == "518");
}

TEST_CASE("GoDeepStackWaiterIsBlockedBehindTheCycle") {
  // Goroutine 20, 150 calls deep in walkCategory, waits for inventory.mu; the Lock inside
  // walkCategory's returning if-block is not held by the recursive frames above it.
  Analyzed a = analyze_go("deep_stack_fatal.txt");
  REQUIRE(a.f.cycles.size() == 1);
  CHECK(describe(a, a.f.cycles[0]) ==
        std::vector<std::string>{"18 waits 0x52b2e0 billing.mu held by 19 [source] at line 54",
                                 "19 waits 0x52b2f0 inventory.mu held by 18 [source] at line 42"});
  REQUIRE(a.f.blocked.size() == 1);
  CHECK(id_of(a.s, a.f.blocked[0].task) == "20");
  CHECK(a.s.warnings.empty());
}

TEST_CASE("GoWithoutSourceNoCycleIsInventedAndTheWarningSaysWhatWouldHelp") {
  Analyzed a = analyze_go("server_cycle2.debug2.txt", false);
  CHECK(a.f.cycles.empty());
  CHECK(a.f.verdict() == Findings::Verdict::kUnproven);  // a claim of "clean" it cannot make
  CHECK(a.f.unproven == Findings::Unproven::kHoldersUnknown);
  // The waiters keep their lock addresses.
  std::vector<std::string> waits;
  for (const WaitEdge& w : a.s.waits) {
    if (a.s.resources[w.resource].kind == ResourceKind::kMutex) {
      waits.push_back(id_of(a.s, w.task) + " " +
                      std::string(a.s.str(a.s.resources[w.resource].address)));
    }
  }
  CHECK(waits == std::vector<std::string>{"21 0x8fda80", "22 0x8fda70"});
  REQUIRE(a.s.warnings.size() == 1);
  CHECK(
      a.s.warnings[0].message ==
      "2 goroutines wait for a lock whose holder is unknown: a Go mutex records no owner, and "
      "holders are inferred from the source of each frame; not readable: "
      "/tmp/dlanalyze-go/server_cycle2/main.go (--source-root /tmp/dlanalyze-go/server_cycle2=DIR "
      "rewrites that path)");
}

// --- other Go versions (testdata/go/transcribed/README.md) ---------------------------------------

TEST_CASE("GoOtherVersionsFindTheSameCycles") {
  struct Case {
    std::string file;
    std::vector<std::string> cycle;
    std::vector<std::string> stuck;
  };
  const std::vector<Case> cases = {
      // Go 1.16: raw words; SemacquireMutex's first word is exact (mutex+4).
      {"transcribed/go116_raw_args.txt",
       {"6 waits 0x5a6c90 billing.mu held by 7 [source] at line 50",
        "7 waits 0x5a6ca0 inventory.mu held by 6 [source] at line 38"},
       {"1 runtime-declared-deadlock"}},
      // Go 1.21: [sync.Mutex.Lock], "created by … in goroutine 1", "...55 frames elided...".
      {"transcribed/go121_mutex_cycle.txt",
       {"18 waits 0x52b2e0 billing.mu held by 19 [source] at line 54",
        "19 waits 0x52b2f0 inventory.mu held by 18 [source] at line 42"},
       {"1 runtime-declared-deadlock"}},
      // Go 1.22 SIGQUIT: "goroutine 21 gp=0x… m=nil [sync.Mutex.Lock, 1 minutes]:".
      {"transcribed/go122_sigquit_gp_header.txt",
       {"21 waits 0x8fda80 billing.mu held by 22 [source] at line 54",
        "22 waits 0x8fda70 inventory.mu held by 21 [source] at line 42"},
       {}},
      // Go 1.3: C runtime frames (sema.goc), raw words, main is goroutine 16.
      {"transcribed/go13_old_runtime.txt",
       {"20 waits 0x5b5c90 billing.mu held by 21 [source] at line 50",
        "21 waits 0x5b5ca0 inventory.mu held by 20 [source] at line 38"},
       {"16 runtime-declared-deadlock"}},
  };
  for (const Case& c : cases) {
    INFO(c.file);
    Analyzed a = analyze_go(c.file);
    REQUIRE(a.f.cycles.size() == 1);
    CHECK(describe(a, a.f.cycles[0]) == c.cycle);
    std::vector<std::string> stuck;
    for (const StuckWaiter& w : a.f.stuck) stuck.push_back(id_of(a.s, w.task) + " " + w.reason);
    CHECK(stuck == c.stuck);
  }
}

TEST_CASE("GoSynctestBubbleDeadlockIsDeclaredByTheRuntime") {
  // Go 1.25: "panic: deadlock: main bubble goroutine has exited but blocked goroutines remain";
  // 20 and 21 are durably blocked on channel tokens whose holders no dump can show.
  Analyzed a = analyze_go("transcribed/go125_synctest_durable.txt", false);
  CHECK(a.f.cycles.empty());
  std::vector<std::string> stuck;
  for (const StuckWaiter& w : a.f.stuck) stuck.push_back(id_of(a.s, w.task) + " " + w.reason);
  CHECK(stuck ==
        std::vector<std::string>{"20 runtime-declared-deadlock", "21 runtime-declared-deadlock"});
}

// --- pprof debug=1 -------------------------------------------------------------------------------

TEST_CASE("GoProfileRecordsBecomeCountedTasks") {
  Analyzed a = analyze_go("leak.debug1.txt");
  CHECK(a.s.format == "go-debug1");
  REQUIRE(a.s.tasks.size() == 4);  // 500 + three singletons: "total 503"
  CHECK(id_of(a.s, 0) == "@1");
  CHECK(a.s.tasks[0].count == 500);
  CHECK(a.s.str(a.s.tasks[0].name) == "main.(*Notifier).notify");
  auto frames = a.s.frames_of(a.s.tasks[0]);
  REQUIRE(frames.size() == 1);
  CHECK(a.s.str(frames[0].file) == "/tmp/dlanalyze-go/leak/main.go");
  CHECK(frames[0].line == 30);
  CHECK(a.f.cycles.empty());
  CHECK(a.f.groups.groups[0].count == 500);
}

TEST_CASE("GoProfileCycleNamesItsMemberFunctions") {
  // Records have no ids and no arguments: the cycle is found through the package variables'
  // expressions, its members named by their first application function.
  auto members = [](const Analyzed& a) {
    std::vector<std::string> out;
    for (const CycleMember& m : a.f.cycles.at(0).members) {
      out.emplace_back(a.s.str(a.s.tasks[m.task].name));
    }
    return out;
  };
  Analyzed two = analyze_go("server_cycle2.debug1.txt");
  REQUIRE(two.f.cycles.size() == 1);
  CHECK(members(two) == std::vector<std::string>{"main.reserveThenBill", "main.billThenReserve"});
  Analyzed rw = analyze_go("rwmutex.debug1.txt");
  REQUIRE(rw.f.cycles.size() == 1);
  CHECK(members(rw) == std::vector<std::string>{"main.refreshPrices", "main.repriceCatalog"});
  Analyzed self = analyze_go("self_deadlock.debug1.txt");
  REQUIRE(self.f.cycles.size() == 1);
  CHECK(members(self) == std::vector<std::string>{"main.(*SessionStore).Len"});
  // Receiver fields of one *OrderService cannot be told apart without argument values.
  Analyzed three = analyze_go("server_cycle3.debug1.txt");
  CHECK(three.f.cycles.empty());
  REQUIRE(three.s.warnings.size() == 1);
  CHECK(three.s.warnings[0].message.rfind("3 goroutines wait for a lock whose holder is unknown",
                                          0) == 0);
}

TEST_CASE("GoLeakProfileRecordsAreStuckByTheRuntimesProof") {
  // Go 1.26 /debug/pprof/goroutineleak?debug=1 (transcribed).
  Analyzed a = analyze_go("transcribed/go126_goroutineleak.debug1.txt", false);
  REQUIRE(a.f.stuck.size() == 1);
  CHECK(a.f.stuck[0].reason == "leaked");
  CHECK(a.s.tasks[a.f.stuck[0].task].count == 500);
  CHECK(a.f.verdict() == Findings::Verdict::kStuck);
}

TEST_CASE("GoHundredThousandGoroutineProfileHasOneCycle") {
  Analyzed a = analyze_go("big_100k.debug1.txt");
  size_t goroutines = 0;
  for (const Task& t : a.s.tasks) goroutines += t.count;
  CHECK(goroutines == 100004);
  REQUIRE(a.f.cycles.size() == 1);
  CHECK(a.f.cycles[0].members.size() == 2);
}

TEST_CASE("GoDumpInsideAContainerLogWithCrlfReadsTheSame") {
  // Kubernetes' CRI log format puts "<RFC 3339 time> <stream> <F|P> " before every line; the
  // times differ from line to line (and so does the width of their fraction). Windows tools add
  // CR. The captured dump, wrapped that way, must give the same cycle.
  dla::InputFile file(dla::test::testdata("go/server_cycle2.debug2.txt"));
  std::string wrapped;
  int n = 0;
  std::string_view rest = file.bytes();
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    ++n;
    wrapped +=
        fmt::format("2026-11-24T01:{:02}:{:02}.{}Z stderr F {}\r\n", n % 60, n % 60, n * 7, line);
    rest = end == std::string_view::npos ? "" : rest.substr(end + 1);
  }
  Analyzed a = from(dla::test::analyze_text(
      wrapped, {"/tmp/dlanalyze-go=" + dla::test::testdata("go/programs")}));
  CHECK(a.s.format == "go-debug2");
  REQUIRE(a.f.cycles.size() == 1);
  CHECK(describe(a, a.f.cycles[0]) ==
        std::vector<std::string>{"21 waits 0x8fda80 billing.mu held by 22 [source] at line 54",
                                 "22 waits 0x8fda70 inventory.mu held by 21 [source] at line 42"});
}

TEST_CASE("GoDeadlockMessagesEachRowOnTheLineTheRuntimePrints") {
  // runtime/proc.go checkdead.
  CHECK(declares_every_waiter_stuck(
      tokenize_go_line("fatal error: all goroutines are asleep - deadlock!")));
  // Go 1.25 testing/synctest, both of its messages.
  CHECK(declares_every_waiter_stuck(tokenize_go_line(
      "panic: deadlock: main bubble goroutine has exited but blocked goroutines remain")));
  CHECK(declares_every_waiter_stuck(
      tokenize_go_line("panic: deadlock: all goroutines in bubble are blocked")));
  // Other fatal errors and panics say nothing of the waiters.
  CHECK_FALSE(declares_every_waiter_stuck(tokenize_go_line("fatal error: concurrent map writes")));
  CHECK_FALSE(declares_every_waiter_stuck(
      tokenize_go_line("panic: all goroutines are asleep - deadlock!")));
  CHECK_FALSE(declares_every_waiter_stuck(tokenize_go_line("fatal error: deadlock: x")));
}

TEST_CASE("GoDumpWhoseOnlyStackIsGoroutineZeroIsADump") {
  // A SIGQUIT dump cut after its first stack (go issue 63277): goroutine 0, the M's own stack,
  // is all there is. It is the dump's one task, not "no goroutine found".
  Snapshot s = load("wild/go/sigquit-only-goroutine-0-idle-after-registers.go-63277.txt");
  REQUIRE(s.tasks.size() == 1);
  CHECK(id_of(s, 0) == "0");
  CHECK(s.str(s.tasks[0].state) == "idle");
  auto frames = s.frames_of(s.tasks[0]);
  REQUIRE(frames.size() == 7);
  CHECK(s.str(frames[0].function) == "runtime.futex");
  CHECK(s.str(frames[6].function) == "runtime.mstart0");
  // A cgo program aborting in C (occamy issue 15): "runtime: unknown pc", no frame at all.
  Snapshot c = load("wild/go/cgo-sigabrt-goroutine-0-unknown-pc-compose-prefix.occamy-15.txt");
  REQUIRE(c.tasks.size() == 1);
  CHECK(id_of(c, 0) == "0");
  CHECK(c.tasks[0].frame_count == 0);
}

TEST_CASE("GoGoroutineZeroGivesWayToTheGoroutinesAfterIt") {
  // GOTRACEBACK=crash after SIGQUIT: goroutine 0 first, then the program's goroutines.
  Snapshot s = load("gocore/mutex_cycle.crash.txt", "go-debug2");
  CHECK(s.tasks.size() == 11);
  for (const Task& t : s.tasks) CHECK(s.str(t.id) != "0");
}

TEST_CASE("GoTracebackAncestorsAreKeptApartFromTheLiveStack") {
  // GODEBUG=tracebackancestors (gostackparse's fixture): goroutine 25's live stack is two frames;
  // the six "[originating from goroutine N]:" blocks after it are its ancestors' go statements.
  Snapshot s = load("wild/go/tracebackancestors.gostackparse-ancestors.txt");
  REQUIRE(s.tasks.size() == 3);
  const Task& g25 = s.tasks[1];
  CHECK(s.str(g25.id) == "25");
  auto frames = s.frames_of(g25);
  REQUIRE(frames.size() == 2);
  CHECK(s.str(frames[0].function) == "main.bar");
  CHECK(s.str(frames[1].function) == "main.foo.func2");
  CHECK(s.str(g25.created_by) == "main.d1");
  CHECK(g25.created_line == 69);
  std::vector<std::string> ids;
  for (const Ancestor& a : s.ancestors) {
    if (a.task == 1) ids.push_back(std::string(s.str(a.id)));
  }
  CHECK(ids == std::vector<std::string>{"24", "23", "22", "21", "20", "1"});
  const Ancestor& first = s.ancestors[0];
  auto af = s.frames_of(first);
  REQUIRE(af.size() == 8);
  CHECK(s.str(af[0].function) == "main.d1");
  CHECK(af[0].line == 70);
  CHECK(s.str(af[7].function) == "main.bar.func1");
  CHECK(s.str(first.created_by) == "main.d1");
  const Ancestor& root = s.ancestors[5];
  CHECK(s.str(root.created_by).empty());
  REQUIRE(root.frame_count == 1);
  CHECK(s.str(s.frames_of(root)[0].function) == "main.main");
  CHECK(s.frames_of(root)[0].line == 20);
  // Goroutine 29's ancestors are its own.
  size_t of_29 = 0;
  for (const Ancestor& a : s.ancestors) of_29 += a.task == 2;
  CHECK(of_29 == 4);
}
