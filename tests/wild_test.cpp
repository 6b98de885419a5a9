// testdata/wild: 103 dumps other people produced and published (issue threads, other dump tools'
// test fixtures), transcribed as SOURCES.md describes, and what each one holds (expect.tsv:
// format, task count, the cycle where the dump proves one). Every file is read as a user would
// read it, and compared:
//   - never a cycle the file does not prove (the worst bug);
//   - the format, the task count of the last dump, the proven cycle's members; "refuse" rows
//     (formats the README names as unsupported) end in one line naming the file;
//   - "snapshots=N" in a row's notes: the file holds N dumps.
// A file that differs must be listed in known_gaps.tsv with the reason; a listed file that
// matches now must come off that list.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "graph/diagnostics.h"
#include "test_util.h"

using namespace dla;

namespace {

const std::string kWild = dla::test::testdata("wild");

// "\"a\",\"b, c\"" → {a, "b, c"}; "none" → {}.
std::vector<std::string> cycle_members(const std::string& cell) {
  std::vector<std::string> out;
  if (cell == "none") return out;
  size_t i = 0;
  while (i < cell.size()) {
    if (cell[i] != '"') {
      ++i;
      continue;
    }
    size_t end = cell.find("\",", i + 1);
    if (end == std::string::npos) end = cell.size() - 1;
    out.push_back(cell.substr(i + 1, end - i - 1));
    i = end + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Outcome {
  std::vector<std::string> differences;  // each a way the file differs from its row
  std::vector<std::string> false_cycles;
};

Outcome check(const std::vector<std::string>& row) {
  const std::string& file = row[0];
  const std::string& format = row[1];
  const std::string& tasks = row[2];
  std::vector<std::string> expected = cycle_members(row[3]);
  std::string notes = row.size() > 4 ? row[4] : "";
  std::string path = kWild + "/" + file;
  Outcome o;
  InputFile input(path);
  std::vector<AnalyzedSnapshot> dumps;
  try {
    dumps = analyze_all_dumps({path, input.bytes()});
  } catch (const Error& e) {
    std::string message = e.what();
    if (format != "refuse") {
      o.differences.push_back(fmt::format("refused: {}", message));
    } else if (message.find('\n') != std::string::npos || message.find(path) == std::string::npos) {
      o.differences.push_back("refusal is not one line naming the file");
    }
    return o;
  }
  const AnalyzedSnapshot& last = dumps.back();
  const Snapshot& s = last.snapshot;
  if (format == "refuse") {
    o.differences.push_back(fmt::format("read as {} instead of refused", s.format));
    return o;
  }
  if (s.format != format) o.differences.push_back(fmt::format("format {}", s.format));
  // Tasks as the JSON "tasks" count them: a Go debug=1 record stands for `count` goroutines.
  size_t count = 0;
  for (const Task& t : s.tasks) count += t.count;
  if (std::to_string(count) != tasks) o.differences.push_back(fmt::format("{} tasks", count));
  size_t at = notes.find("snapshots=");
  if (at != std::string::npos && std::stoul(notes.substr(at + 10)) != dumps.size()) {
    o.differences.push_back(fmt::format("{} snapshots", dumps.size()));
  }
  bool found_expected = expected.empty();
  for (const Cycle& c : last.findings.cycles) {
    std::vector<std::string> members;
    for (const CycleMember& m : c.members) members.push_back(dla::test::id_of(s, m.task));
    std::sort(members.begin(), members.end());
    if (members == expected) {
      found_expected = true;
    } else {
      o.false_cycles.push_back(
          fmt::format("{}: cycle [{}] the file does not prove", file, test::joined(members)));
    }
  }
  if (!found_expected)
    o.differences.push_back(fmt::format("cycle [{}] missed", test::joined(expected)));
  return o;
}

}  // namespace

TEST_CASE("WildDumpsParseWithTheirTaskCountsAndProvenCycles") {
  std::map<std::string, std::string> gaps;  // file → why it differs
  for (const auto& row : test::read_tsv(kWild + "/known_gaps.tsv")) {
    REQUIRE(row.size() >= 2);
    gaps[row[0]] = row[1];
  }
  size_t files = 0, matched = 0;
  std::vector<std::string> false_cycles, unlisted, fixed;
  for (const auto& row : test::read_tsv(kWild + "/expect.tsv")) {
    REQUIRE(row.size() >= 4);
    Outcome o = check(row);
    ++files;
    false_cycles.insert(false_cycles.end(), o.false_cycles.begin(), o.false_cycles.end());
    bool listed = gaps.count(row[0]) > 0;
    if (o.differences.empty()) {
      ++matched;
      if (listed) fixed.push_back(row[0] + " matches now: take it off known_gaps.tsv");
      continue;
    }
    std::string what;
    for (const std::string& d : o.differences) what += (what.empty() ? "" : "; ") + d;
    if (!listed) unlisted.push_back(fmt::format("{}: {}", row[0], what));
  }
  INFO(fmt::format("{} of {} wild files match expect.tsv", matched, files));
  for (const std::string& f : false_cycles) UNSCOPED_INFO(f);
  CHECK(false_cycles.empty());
  for (const std::string& u : unlisted) UNSCOPED_INFO(u);
  CHECK(unlisted.empty());
  for (const std::string& f : fixed) UNSCOPED_INFO(f);
  CHECK(fixed.empty());
  CHECK(files == 103);
}
