// The inference corpus (testdata/corpus): 45 Go, C and C++ programs written apart from this code,
// each printing its own truth at run time (truth.json: who holds and waits for which lock, the
// cycles, the stuck waiters), captured as pprof debug=2, SIGQUIT, fatal deadlock, gdb at two
// symbol levels and gcore cores. Every capture is analysed as a user would run it (the programs'
// source through --source-root) and compared with its program's truth:
//   - no cycle that the truth does not have, ever;
//   - every cycle reported has the truth's members, each waiting for the truth's lock, held by
//     the truth's holder (or queued behind the truth's writer);
//   - every truth cycle is found, except in the captures testdata/corpus/expect.tsv lists as
//     unprovable, each with the reason (the dump does not show what would prove it).
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "test_util.h"

using namespace dla;
using Json = nlohmann::json;

namespace {

const std::string kCorpus = dla::test::testdata("corpus");

// xz -dc into a temporary file, once per path.
std::string unpack(const std::string& xz) {
  static std::map<std::string, std::string> done;
  if (auto it = done.find(xz); it != done.end()) return it->second;
  static const std::string dir = [] {
    char tmpl[] = "/tmp/dlanalyze-corpus-test-XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  std::string out = fmt::format("{}/{}", dir, done.size());
  std::string cmd = fmt::format("xz -dc '{}' > '{}'", xz, out);
  REQUIRE(std::system(cmd.c_str()) == 0);
  done.emplace(xz, out);
  return out;
}

// Cycles compared as member lists in wait-for order, rotated to start at the smallest id.
std::vector<std::string> rotated(std::vector<std::string> members) {
  auto smallest =
      std::min_element(members.begin(), members.end(),
                       [](const auto& a, const auto& b) { return std::stoll(a) < std::stoll(b); });
  std::rotate(members.begin(), smallest, members.end());
  return members;
}

struct Result {
  std::vector<std::string> problems;  // each a false cycle, a wrong member or a false stuck
  std::set<std::string> found, expected;
  size_t stuck_expected = 0, stuck_found = 0;
};

// A task as the truth names it: the goroutine id, or the thread's LWP.
std::string truth_id(const Snapshot& s, TaskIndex t) {
  if (s.family == RuntimeFamily::kGo) return std::string(s.str(s.tasks[t].id));
  return s.tasks[t].lwp ? std::to_string(*s.tasks[t].lwp) : std::string(s.str(s.tasks[t].id));
}

uint64_t address_of(const std::string& hex) {
  return std::stoull(hex, nullptr, 16);
}

Result check(const std::string& capture, const Json& truth) {
  std::string path = kCorpus + "/captures/" + capture;
  ParseOptions parse;
  if (capture.ends_with("core.xz")) {
    std::string dir = capture.substr(0, capture.rfind('/'));
    parse.core.exe = unpack(kCorpus + "/captures/" + dir + "/exe.xz");
    parse.core.sysroot = dla::test::cores_sysroot();  // the capturing machine's glibc
    path = unpack(path);
  }
  InputFile file(path);
  AnalyzedSnapshot a = analyze_input({path, file.bytes()},
                                     {parse, {"/tmp/dlanalyze-corpus=" + kCorpus + "/programs"}});
  const Snapshot& s = a.snapshot;

  std::map<std::string, uint64_t> waits_for;  // truth task → lock address
  for (const Json& w : truth["waits"]) waits_for[w["task"]] = address_of(w["lock"]);
  std::set<std::pair<std::string, uint64_t>> holds;
  for (const Json& h : truth["holds"]) holds.insert({h["task"], address_of(h["lock"])});

  Result r;
  for (const Json& c : truth["cycles"]) r.expected.insert(test::joined(rotated(c)));
  for (const Cycle& c : a.findings.cycles) {
    std::vector<std::string> members;
    for (const CycleMember& m : c.members) members.push_back(truth_id(s, m.task));
    std::string key = test::joined(rotated(members));
    r.found.insert(key);
    if (!r.expected.count(key)) {
      r.problems.push_back(fmt::format("{}: false cycle [{}]", capture, key));
      continue;
    }
    for (size_t i = 0; i < c.members.size(); ++i) {
      const CycleMember& m = c.members[i];
      std::string who = members[i];
      std::string next = members[(i + 1) % members.size()];
      const Resource& lock = s.resources[m.resource];
      // Where the dump shows no address (a Go debug=2 RWMutex, gdb without libc's symbols), the
      // member is exact without it; a wrong one never is.
      if (lock.address != kNoString && lock.address_value != waits_for[who]) {
        r.problems.push_back(fmt::format("{}: {} waits for {}, truth says {:#x}", capture, who,
                                         s.str(lock.address), waits_for[who]));
      }
      TaskIndex ahead = m.hold != kNone ? s.holds[m.hold].task : s.waits[m.queued_behind].task;
      if (truth_id(s, ahead) != next) {
        r.problems.push_back(fmt::format("{}: {}'s lock is held by {}, truth says {}", capture, who,
                                         truth_id(s, ahead), next));
      }
      if (m.hold != kNone && lock.address != kNoString &&
          !holds.count({next, lock.address_value})) {
        r.problems.push_back(fmt::format("{}: {} holding {} is not in the truth", capture, next,
                                         s.str(lock.address)));
      }
    }
  }
  // Stuck waiters: each one the program names is found, unless listed; none is claimed that the
  // program says will wake.
  std::set<std::string> stuck_truth, not_stuck;
  for (const Json& st : truth["stuck"]) stuck_truth.insert(st["task"]);
  for (const Json& n : truth["not_stuck"]) not_stuck.insert(n);
  std::set<std::string> stuck_found;
  for (const StuckWaiter& w : a.findings.stuck) stuck_found.insert(truth_id(s, w.task));
  for (const std::string& t : stuck_found) {
    if (not_stuck.count(t)) {
      r.problems.push_back(
          fmt::format("{}: {} called stuck, the program says it will wake", capture, t));
    }
  }
  r.stuck_expected = stuck_truth.size();
  for (const std::string& t : stuck_truth) r.stuck_found += stuck_found.count(t);
  // No hold from source may contradict what the program says it holds.
  for (const HoldEdge& h : s.holds) {
    if (h.evidence != Evidence::kSource) continue;
    const Resource& lock = s.resources[h.resource];
    if (lock.address_value == 0) continue;
    bool truth_knows_lock = false;
    for (const Json& l : truth["locks"])
      truth_knows_lock |= address_of(l["address"]) == lock.address_value;
    if (truth_knows_lock && !holds.count({truth_id(s, h.task), lock.address_value})) {
      r.problems.push_back(fmt::format("{}: source says {} holds {} ({}), the program does not",
                                       capture, truth_id(s, h.task), s.str(lock.address),
                                       s.str(lock.symbol)));
    }
  }
  return r;
}

}  // namespace

TEST_CASE("CorpusEveryCycleFoundExactlyAndNoneInvented") {
  std::map<std::string, std::string> unprovable, unprovable_stuck;  // capture → why
  for (const auto& row : test::read_tsv(kCorpus + "/expect.tsv")) {
    REQUIRE(row.size() >= 3);
    (row[1] == "stuck" ? unprovable_stuck : unprovable)[row[0]] = row[2];
  }
  size_t captures = 0, expected = 0, found = 0, stuck_expected = 0, stuck_found = 0;
  std::vector<std::string> problems, missed, newly_found;
  for (const auto& row : test::read_tsv(kCorpus + "/captures/INDEX.tsv")) {
    const std::string& capture = row[1];
    std::string truth_file = row[2];
    if (capture.ends_with("fatal.txt")) {
      truth_file = capture.substr(0, capture.rfind('/')) + "/fatal.truth.json";
    }
    Json truth = Json::parse(dla::test::read_file(kCorpus + "/captures/" + truth_file));
    Result r = check(capture, truth);
    ++captures;
    expected += r.expected.size();
    problems.insert(problems.end(), r.problems.begin(), r.problems.end());
    size_t hit = 0;
    for (const std::string& c : r.expected) hit += r.found.count(c);
    found += hit;
    bool listed = unprovable.count(capture) > 0;
    if (hit < r.expected.size() && !listed) {
      missed.push_back(fmt::format("{}: found {} of {} cycles", capture, hit, r.expected.size()));
    }
    if (hit == r.expected.size() && listed && !r.expected.empty()) {
      newly_found.push_back(capture + " is found now: take it off expect.tsv");
    }
    stuck_expected += r.stuck_expected;
    stuck_found += r.stuck_found;
    bool stuck_listed = unprovable_stuck.count(capture) > 0;
    if (r.stuck_found < r.stuck_expected && !stuck_listed) {
      missed.push_back(fmt::format("{}: found {} of {} stuck waiters", capture, r.stuck_found,
                                   r.stuck_expected));
    }
    if (r.stuck_found == r.stuck_expected && stuck_listed && r.stuck_expected > 0) {
      newly_found.push_back(capture + "'s stuck waiters are found now: take it off expect.tsv");
    }
  }
  INFO(fmt::format("{} captures, {} of {} cycles found, {} of {} stuck waiters", captures, found,
                   expected, stuck_found, stuck_expected));
  for (const std::string& p : problems) UNSCOPED_INFO(p);
  CHECK(problems.empty());
  for (const std::string& m : missed) UNSCOPED_INFO(m);
  CHECK(missed.empty());
  for (const std::string& n : newly_found) UNSCOPED_INFO(n);
  CHECK(newly_found.empty());
  CHECK(captures == 143);
}
