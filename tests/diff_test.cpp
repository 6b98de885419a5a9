// dlanalyze diff on real series of captures (testdata/series/, ground truth in each truth.txt):
// a Go server leaking goroutines captured at 10, 60 and 110 requests; a Go mutex deadlock
// captured early, after one and after two minutes; a JVM deadlock captured 20 s apart; two
// kill -3 dumps in one log; idle pools captured twice; a runtime.Stack dump followed by a SIGQUIT
// dump in one log. Also the split of one Go input into several snapshots.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "graph/diff.h"
#include "render/diff_text.h"
#include "test_util.h"

using dla::test::testdata;

namespace {

// Every dump of the given files, analysed, and their diff. The snapshots live as long as this.
struct DiffRun {
  std::vector<std::vector<dla::AnalyzedSnapshot>> analyzed;
  dla::Diff diff;

  const dla::Snapshot& snap(size_t position) const { return *diff.snapshots[position].snapshot; }
  std::string id(const dla::TaskAt& at) const {
    return std::string(snap(at.snapshot).str(snap(at.snapshot).tasks[at.task].id));
  }
  // The application frame of a group's stack, as "function:line".
  std::string top(const dla::GroupTrend& g) const {
    const dla::Snapshot& s = snap(g.representative.snapshot);
    const dla::Task& t = s.tasks[g.representative.task];
    REQUIRE(t.app_frame != dla::kNone);
    return dla::test::frame_at(s, t.first_frame + t.app_frame);
  }
  std::string state(const dla::GroupTrend& g) const {
    const dla::Snapshot& s = snap(g.representative.snapshot);
    return std::string(s.str(s.tasks[g.representative.task].state));
  }
  // Ids of the tasks new (or gone) at `position`, sorted as numbers where they are numbers.
  std::vector<std::string> changed(const std::vector<dla::TaskChange>& list,
                                   uint32_t position) const {
    std::vector<std::string> ids;
    for (const dla::TaskChange& c : list) {
      if (c.position == position) ids.push_back(id(c.task));
    }
    std::sort(ids.begin(), ids.end(), [](const std::string& a, const std::string& b) {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    return ids;
  }
};

std::unique_ptr<DiffRun> diff_files(const std::vector<std::string>& relative,
                                    std::vector<std::optional<int64_t>> mtimes = {}) {
  auto run = std::make_unique<DiffRun>();
  for (const std::string& r : relative) {
    std::string path = testdata(r);
    dla::InputFile file(path);
    run->analyzed.push_back(dla::analyze_all_dumps({path, file.bytes()}));
  }
  std::vector<dla::DiffInput> inputs;
  for (size_t i = 0; i < run->analyzed.size(); ++i) {
    for (const dla::AnalyzedSnapshot& a : run->analyzed[i]) {
      inputs.push_back({&a.snapshot, &a.findings, i < mtimes.size() ? mtimes[i] : std::nullopt});
    }
  }
  run->diff = dla::diff_snapshots(inputs);
  return run;
}

std::vector<std::string> sources(const DiffRun& run) {
  std::vector<std::string> out;
  for (const dla::DiffInput& in : run.diff.snapshots) {
    std::string path = in.snapshot->source;
    out.push_back(path.substr(path.rfind('/') + 1));
  }
  return out;
}

const dla::GroupTrend* leak_at(const DiffRun& run, const std::string& top) {
  for (const dla::GroupTrend& g : run.diff.grown) {
    if (run.diff.is_leak(g) && run.top(g) == top) return &g;
  }
  return nullptr;
}

std::vector<std::string> parked_ids(const DiffRun& run) {
  std::vector<std::string> ids;
  for (const dla::ParkedThroughout& p : run.diff.parked) {
    ids.push_back(run.id({static_cast<uint32_t>(run.diff.snapshots.size() - 1), p.tasks.back()}));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

struct CliRun {
  int code;
  std::string out, err;
};

CliRun cli(std::vector<std::string> args) {
  args.insert(args.begin(), "dlanalyze");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = dla::run_cli(static_cast<int>(argv.size()), argv.data(), out, err, false);
  return {code, out.str(), err.str()};
}

const std::vector<std::string> kLeakedBy60 = {
    "61",  "63",  "66",  "69",  "72",  "75",  "79",  "82",  "85",  "88",  "91",  "94",  "98",
    "100", "102", "105", "108", "111", "115", "118", "121", "124", "127", "130", "133", "136",
    "140", "143", "146", "149", "152", "155", "158", "161", "164", "166", "169", "172", "175",
    "178", "181", "184", "187", "194", "197", "200", "203", "205", "208", "211"};

}  // namespace

TEST_CASE("GoLeakGroupGrowsTenSixtyHundredTenInChanSend") {
  // Given out of order: the leaked senders' ", 1 minutes" in the last capture orders them.
  auto run = diff_files({"series/go_leak/leak.110.debug2.txt", "series/go_leak/leak.10.debug2.txt",
                         "series/go_leak/leak.60.debug2.txt"});
  const dla::Diff& d = run->diff;
  CHECK(d.order_by == dla::OrderBasis::kParkedMinutes);
  CHECK(sources(*run) == std::vector<std::string>{"leak.10.debug2.txt", "leak.60.debug2.txt",
                                                  "leak.110.debug2.txt"});
  CHECK(d.verdict() == dla::Diff::Verdict::kLeak);

  // `ch <- result` is line 139 of programs/go_leak/main.go, as every dump prints it (truth.txt's
  // "at=main.go:138" comes from a lineBelow()+1 that counts one line short).
  const dla::GroupTrend* leak = leak_at(*run, "main.fetchQuote:139");
  REQUIRE(leak != nullptr);
  CHECK(&d.grown.front() == leak);  // the biggest growth comes first
  CHECK(leak->counts == std::vector<uint32_t>{10, 60, 110});
  CHECK(leak->growth == 100);
  CHECK(run->state(*leak) == "chan send");
  CHECK_FALSE(leak->per_minute);  // debug=2 dumps print no time
  // The eight idle pool workers (select) are steady: neither grown nor a finding.
  for (const dla::GroupTrend& g : d.grown) CHECK(run->top(g) != "main.(*Pool).worker:89");
  CHECK(d.parked.empty());

  // The 50 senders leaked between the captures at 10 and 60 requests, by id (truth.txt).
  std::vector<std::string> fresh;
  for (const dla::TaskChange& c : d.appeared) {
    const dla::Snapshot& s = run->snap(c.task.snapshot);
    const dla::Task& t = s.tasks[c.task.task];
    if (c.position == 1 && t.app_frame != dla::kNone &&
        dla::test::frame_at(s, t.first_frame + t.app_frame) == "main.fetchQuote:139") {
      fresh.push_back(run->id(c.task));
    }
  }
  std::sort(fresh.begin(), fresh.end(),
            [](const std::string& a, const std::string& b) { return std::stoi(a) < std::stoi(b); });
  CHECK(fresh == kLeakedBy60);
  // No leaked sender ever goes away.
  for (const dla::TaskChange& c : d.vanished) {
    const dla::Snapshot& s = run->snap(c.task.snapshot);
    CHECK(s.str(s.tasks[c.task.task].state) != "chan send");
  }
}

TEST_CASE("GoLeakDiffsInDebug1ProfilesWithoutIds") {
  auto run = diff_files({"series/go_leak/leak.10.debug1.txt", "series/go_leak/leak.60.debug1.txt",
                         "series/go_leak/leak.110.debug1.txt"});
  const dla::Diff& d = run->diff;
  CHECK_FALSE(d.tasks_have_identity);
  CHECK(d.appeared.empty());
  CHECK(d.vanished.empty());
  CHECK(d.order_by == dla::OrderBasis::kArgumentOrder);
  const dla::GroupTrend* leak = leak_at(*run, "main.fetchQuote:139");
  REQUIRE(leak != nullptr);
  CHECK(leak->counts == std::vector<uint32_t>{10, 60, 110});
  CHECK(d.verdict() == dla::Diff::Verdict::kLeak);
  size_t leaks = 0;
  for (const dla::GroupTrend& g : d.grown) leaks += d.is_leak(g);
  CHECK(leaks == 1);
}

TEST_CASE("GoMutexCycleParkedThroughoutWithGrowingMinutes") {
  auto run = diff_files({"series/go_mutex_parked/mutex.later.debug2.txt",
                         "series/go_mutex_parked/mutex.early.debug2.txt",
                         "series/go_mutex_parked/mutex.late.debug2.txt"});
  const dla::Diff& d = run->diff;
  CHECK(d.order_by == dla::OrderBasis::kParkedMinutes);
  CHECK(sources(*run) == std::vector<std::string>{"mutex.early.debug2.txt", "mutex.late.debug2.txt",
                                                  "mutex.later.debug2.txt"});
  CHECK(d.verdict() == dla::Diff::Verdict::kDeadlock);
  REQUIRE(parked_ids(*run) == std::vector<std::string>{"19", "20"});
  for (const dla::ParkedThroughout& p : d.parked) {
    std::vector<std::optional<double>> minutes;
    for (size_t i = 0; i < 3; ++i) minutes.push_back(run->snap(i).tasks[p.tasks[i]].parked_minutes);
    CHECK(minutes == std::vector<std::optional<double>>{std::nullopt, 1.0, 2.0});
    CHECK(p.in_cycle_throughout);
    REQUIRE(p.at_least_seconds);
    CHECK(*p.at_least_seconds == 120);
    const dla::Snapshot& last = run->snap(2);
    const dla::WaitEdge& w = last.waits[p.waits.back()];
    CHECK(last.resources[w.resource].kind == dla::ResourceKind::kMutex);
  }
  const dla::Snapshot& last = run->snap(2);
  std::set<std::string> waits_at;
  for (const dla::ParkedThroughout& p : d.parked) {
    const dla::WaitEdge& w = last.waits[p.waits.back()];
    waits_at.insert(std::string(last.str(last.resources[w.resource].address)));
  }
  CHECK(waits_at == std::set<std::string>{"0xc0000c84a0", "0xc000090f10"});  // ledger, accounts

  REQUIRE(d.cycles.size() == 1);
  CHECK(d.cycle_throughout(d.cycles[0]));
  CHECK(d.cycles[0].seen_in == 3);
  for (const dla::GroupTrend& g : d.grown) CHECK_FALSE(d.is_leak(g));
}

TEST_CASE("GoMutexCycleMatchesAcrossDebug2AndSigquitDumps") {
  // The SIGQUIT dump prints runtime frames and go-statement wrappers that debug=2 hides.
  auto run = diff_files({"series/go_mutex_parked/mutex.early.debug2.txt",
                         "series/go_mutex_parked/mutex.later.sigquit.txt"});
  CHECK(parked_ids(*run) == std::vector<std::string>{"19", "20"});
  REQUIRE(run->diff.cycles.size() == 1);
  CHECK(run->diff.cycle_throughout(run->diff.cycles[0]));
}

TEST_CASE("JvmDeadlockTwentySecondsApartIsPermanent") {
  auto run = diff_files({"series/jvm_deadlock_twice/jvm.t20.jstack-l.txt",
                         "series/jvm_deadlock_twice/jvm.t0.jstack-l.txt"});
  const dla::Diff& d = run->diff;
  CHECK(d.order_by == dla::OrderBasis::kDumpTime);
  CHECK(sources(*run) == std::vector<std::string>{"jvm.t0.jstack-l.txt", "jvm.t20.jstack-l.txt"});
  REQUIRE(d.minutes[1]);
  CHECK(*d.minutes[1] * 60 == Approx(20).margin(1));
  CHECK(d.verdict() == dla::Diff::Verdict::kDeadlock);
  REQUIRE(d.cycles.size() == 2);
  for (const dla::CycleTrend& c : d.cycles) CHECK(d.cycle_throughout(c));
  CHECK(parked_ids(*run) ==
        std::vector<std::string>{"audit-writer", "cache-evictor", "cache-loader", "ledger-writer"});
  for (const dla::ParkedThroughout& p : d.parked) {
    CHECK(p.in_cycle_throughout);
    REQUIRE(p.at_least_seconds);
    CHECK(*p.at_least_seconds == Approx(*d.minutes[1] * 60));
  }
  CHECK(d.appeared.empty());
  CHECK(d.vanished.empty());
}

TEST_CASE("JvmKill3TwiceInOneLogDiffs") {
  auto run = diff_files({"series/jvm_kill3_twice/kill3-twice.stdout.txt"});
  const dla::Diff& d = run->diff;
  REQUIRE(d.snapshots.size() == 2);
  CHECK(d.order_by == dla::OrderBasis::kDumpTime);
  CHECK(run->snap(0).taken_at_text == "2026-12-01 01:24:07");
  CHECK(run->snap(1).taken_at_text == "2026-12-01 01:24:27");
  CHECK(run->snap(1).first_line == 292);
  REQUIRE(d.cycles.size() == 1);
  CHECK(d.cycle_throughout(d.cycles[0]));
  CHECK(parked_ids(*run) == std::vector<std::string>{"order-writer", "stock-writer"});
  // The ingest pool grows by five threads every ten seconds, all parked in
  // LinkedBlockingQueue.take().
  REQUIRE_FALSE(d.grown.empty());
  const dla::GroupTrend& pool = d.grown.front();
  CHECK(d.is_leak(pool));
  CHECK(pool.counts == std::vector<uint32_t>{10, 20});
  REQUIRE(pool.per_minute);
  CHECK(*pool.per_minute == Approx(30));
  CHECK(run->changed(d.appeared, 1) ==
        std::vector<std::string>{"ingest-11", "ingest-12", "ingest-13", "ingest-14", "ingest-15",
                                 "ingest-16", "ingest-17", "ingest-18", "ingest-19", "ingest-20"});
}

TEST_CASE("SteadyIdlePoolsShowNoLeak") {
  SECTION("Go, 50 idle goroutines in select") {
    auto run = diff_files(
        {"series/idle_pool_twice/go.t0.debug2.txt", "series/idle_pool_twice/go.t10.debug2.txt"});
    const dla::Diff& d = run->diff;
    CHECK(d.verdict() == dla::Diff::Verdict::kClean);
    for (const dla::GroupTrend& g : d.grown) CHECK_FALSE(d.is_leak(g));
    CHECK(d.parked.empty());
    CHECK(d.idle_throughout >= 50);
  }
  SECTION("Go debug=1") {
    auto run = diff_files(
        {"series/idle_pool_twice/go.t0.debug1.txt", "series/idle_pool_twice/go.t10.debug1.txt"});
    CHECK(run->diff.verdict() == dla::Diff::Verdict::kClean);
  }
  SECTION("JVM, 20 parked pool threads") {
    auto run = diff_files({"series/idle_pool_twice/jvm.t0.jstack-l.txt",
                           "series/idle_pool_twice/jvm.t10.jstack-l.txt"});
    const dla::Diff& d = run->diff;
    CHECK(d.order_by == dla::OrderBasis::kDumpTime);
    CHECK(d.verdict() == dla::Diff::Verdict::kClean);
    for (const dla::GroupTrend& g : d.grown) CHECK_FALSE(d.is_leak(g));
    CHECK(d.parked.empty());
    CHECK(d.idle_throughout >= 20);
  }
}

TEST_CASE("GoRuntimeStackThenSigquitInOneLogSplitsAndDiffs") {
  std::string path = testdata("series/go_sigquit_in_log/stack-then-sigquit.log");
  dla::InputFile file(path);
  std::vector<dla::Snapshot> dumps = dla::read_snapshots({path, file.bytes()});
  REQUIRE(dumps.size() == 2);
  CHECK(dumps[0].tasks.size() == 8);
  CHECK(dumps[1].first_line == 77);  // "SIGQUIT: quit"
  CHECK(dla::test::id_of(dumps[1], 0) == "1");

  auto run = diff_files({"series/go_sigquit_in_log/stack-then-sigquit.log"});
  const dla::Diff& d = run->diff;
  CHECK(d.order_by == dla::OrderBasis::kArgumentOrder);
  REQUIRE(d.cycles.size() == 1);
  CHECK(d.cycle_throughout(d.cycles[0]));
  // The cycle's two, and the three webhook deliveries already leaked in the first dump: each
  // snapshot's analysis calls them stuck (no code left can send on their channel), and they
  // are still there in the second.
  CHECK(parked_ids(*run) == std::vector<std::string>{"19", "20", "5", "6", "7"});
  // Three webhook deliveries leaked before the first dump, six by the second (truth.txt).
  const dla::GroupTrend* leak = leak_at(*run, "main.(*Webhooks).deliver:123");
  REQUIRE(leak != nullptr);
  CHECK(leak->counts == std::vector<uint32_t>{3, 6});
  CHECK(run->state(*leak) == "chan receive");
  std::vector<std::string> webhooks;
  for (const std::string& id : run->changed(d.appeared, 1)) {
    if (id == "8" || id == "9" || id == "23") webhooks.push_back(id);
  }
  CHECK(webhooks == std::vector<std::string>{"8", "9", "23"});
}

TEST_CASE("GoSplitsWhereAGoroutineIdRepeats") {
  std::string one = dla::test::read_file(testdata("go/server_cycle2.debug2.txt"));
  std::string two = dla::test::read_file(testdata("go/server_cycle2.debug2-late.txt"));
  std::vector<dla::Snapshot> dumps = dla::read_snapshots({"two.txt", one + "\n" + two});
  REQUIRE(dumps.size() == 2);
  size_t lines_of_one = static_cast<size_t>(std::count(one.begin(), one.end(), '\n'));
  CHECK(dumps[1].first_line == lines_of_one + 2);
  CHECK(dumps[0].tasks.size() == dla::test::parse_text(one).tasks.size());
  CHECK(dumps[1].tasks.size() == dla::test::parse_text(two).tasks.size());
  // A plain run analyses the last and says so.
  dla::Snapshot last = dla::read_snapshot({"two.txt", one + "\n" + two});
  REQUIRE_FALSE(last.warnings.empty());
  CHECK(last.warnings[0].message.find("holds 2 dumps") != std::string::npos);
}

TEST_CASE("GoFatalMessageAfterGoroutinesOpensTheNextDump") {
  // A debug=2 dump in a log, then the same process's "all goroutines are asleep" crash: the
  // message belongs to the second dump, and only the second dump's waiters are declared dead.
  std::string one = dla::test::read_file(testdata("go/leak.debug2.txt"));
  std::string two = dla::test::read_file(testdata("go/cycle2_fatal.txt"));
  std::vector<dla::Snapshot> dumps = dla::read_snapshots({"log.txt", one + two});
  REQUIRE(dumps.size() == 2);
  CHECK(dumps[1].first_line == std::count(one.begin(), one.end(), '\n') + 1);
  for (const dla::WaitEdge& w : dumps[0].waits) CHECK(w.never_wakes == dla::kNoString);
  REQUIRE_FALSE(dumps[1].waits.empty());
  for (const dla::WaitEdge& w : dumps[1].waits) {
    CHECK(dumps[1].str(w.never_wakes) == "runtime-declared-deadlock");
  }
}

TEST_CASE("DiffRefusesSnapshotsOfDifferentRuntimes") {
  CliRun r = cli({"diff", testdata("series/go_leak/leak.10.debug2.txt"),
                  testdata("series/jvm_deadlock_twice/jvm.t0.jstack-l.txt")});
  CHECK(r.code == dla::kExitError);
  CHECK(r.out.empty());
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.find("jvm.t0.jstack-l.txt: a JVM dump, but") != std::string::npos);
  CHECK(r.err.find("leak.10.debug2.txt is a Go dump") != std::string::npos);
}

TEST_CASE("DiffNeedsTwoSnapshots") {
  CliRun r = cli({"diff", testdata("series/go_leak/leak.10.debug2.txt")});
  CHECK(r.code == dla::kExitError);
  CHECK(r.err.find("leak.10.debug2.txt: diff needs at least two snapshots") != std::string::npos);
}

TEST_CASE("DiffCliTextAndExitCodes") {
  CliRun leak = cli({"diff", testdata("series/go_leak/leak.10.debug2.txt"),
                     testdata("series/go_leak/leak.60.debug2.txt"),
                     testdata("series/go_leak/leak.110.debug2.txt")});
  CHECK(leak.code == dla::kExitFound);
  CHECK(leak.out.find("leak: main.fetchQuote (/tmp/dlanalyze-series/go_leak/main.go:139) "
                      "[chan send]: 10 → 60 → 110 goroutines (+100; e.g. goroutine ") !=
        std::string::npos);

  CliRun idle = cli({"diff", testdata("series/idle_pool_twice/jvm.t0.jstack-l.txt"),
                     testdata("series/idle_pool_twice/jvm.t10.jstack-l.txt")});
  CHECK(idle.code == dla::kExitClean);
  CHECK(idle.out.rfind("nothing stuck over time: 2 thread snapshots", 0) == 0);
}

TEST_CASE("DiffJsonFollowsTheContract") {
  CliRun r = cli({"diff", "--output-format", "json",
                  testdata("series/go_mutex_parked/mutex.early.debug2.txt"),
                  testdata("series/go_mutex_parked/mutex.later.debug2.txt")});
  CHECK(r.code == dla::kExitFound);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["schema"] == "dlanalyze-diff/1");
  CHECK(j["verdict"] == "deadlock");
  CHECK(j["order"]["by"] == "parked-minutes");
  REQUIRE(j["inputs"].size() == 2);
  CHECK(j["inputs"][0]["tasks"] == 5);
  CHECK(j["inputs"][0]["path"].get<std::string>().ends_with("mutex.early.debug2.txt"));
  CHECK(j["inputs"][0]["format"] == "go-debug2");
  CHECK(j["inputs"][0]["bytes"] ==
        dla::test::read_file(testdata("series/go_mutex_parked/mutex.early.debug2.txt")).size());
  REQUIRE(j["parked_longer"].size() == 2);
  for (const auto& p : j["parked_longer"]) {
    CHECK((p["task"] == "19" || p["task"] == "20"));
    CHECK(p["waits_for"]["kind"] == "mutex");
    CHECK(p["parked_minutes"] == nlohmann::json::array({nullptr, 2.0}));
    CHECK(p["in_cycle"] == true);
  }
  REQUIRE(j["cycles"].size() == 1);
  CHECK(j["cycles"][0]["throughout"] == true);
  CHECK(j["cycles"][0]["seen_in"] == nlohmann::json::array({0, 1}));
  for (const char* key : {"grown", "shrunk", "new", "gone", "warnings"}) {
    CHECK(j[key].is_array());
  }
}
