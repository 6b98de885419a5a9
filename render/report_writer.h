// The post-mortem report's writer (render/report.h), shared by its parts: render/report.cpp (the
// section order, names, title and summary, the short report), render/report_findings.cpp
// (sections 2-4: trigger, cycle, detection) and render/report_remedy.cpp (sections 5-9:
// diagnosis, root cause, patch, prevention, tests). Internal to them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/analysis.h"
#include "graph/model.h"
#include "render/describe.h"
#include "render/escape.h"
#include "render/report.h"
#include "render/report_advice.h"

namespace dla::report {

// 1234567 → "1,234,567".
std::string with_commas(uint64_t n);
// 1 → "1 minute", 2.5 → "2.5 minutes".
std::string minutes_words(double m);
// A span of time measured between dumps: seconds under a minute, else minutes to a tenth.
std::string duration_words(double minutes);

// Why a waiter can never wake, in words, and how that is known, by the reason the parser's
// tables (or graph/go_stuck) gave it.
struct ReasonWords {
  std::string_view reason, words, known_by;
  std::string_view format = "";  // the row holds for this input format only ("" for any)
};
// The row of kReasons for a stuck waiter's reason, or nullptr.
const ReasonWords* reason_row(std::string_view reason, std::string_view format);
// The row's words, or the reason itself as code when no row has it.
std::string reason_words(std::string_view reason, std::string_view format);

class ReportWriter {
 public:
  ReportWriter(const Snapshot& s, const Findings& f, const ReportOptions& o);

  std::string run();

 private:
  // --- names -------------------------------------------------------------------------------------

  std::string noun() const { return s_.task_noun; }
  void end_paragraph();
  std::string Noun() const;
  std::string task(TaskIndex t) const { return md_text(task_label(s_, t)); }
  std::string code(std::string_view text) const { return md_code(text); }
  std::string cell_code(std::string_view text) const { return md_code(text, true); }
  std::string lock(ResourceIndex r, bool in_table = false) const;
  std::string frame(uint32_t f, int32_t line = 0, bool in_table = false) const;
  uint32_t where_waits(const WaitEdge& w) const;
  std::string tasks_words(const std::vector<TaskIndex>& tasks) const;
  const HoldEdge* held_by_member(const Cycle& c, size_t i) const;
  TaskIndex previous_member(const Cycle& c, size_t i) const;
  Language language_at(uint32_t f) const;

  // --- title and summary
  // --------------------------------------------------------------------------

  std::vector<std::string> cycle_lock_names() const;

  static std::string joined(const std::vector<std::string>& items, size_t limit = 4);

  std::string source_name() const;

  void title();

  void summary();

  void cycle_sentence(size_t index);

  std::string taken(const HoldEdge& h) const;

  void since_when();

  void diff_since_when();

  void stuck_since_when();

  void clean_summary(size_t total);

  void unresolved_list();

  // --- 2. trigger
  // ---------------------------------------------------------------------------------

  void trigger();

  // --- 2. trigger: the timeline across snapshots ------------------------------------------------

  const Snapshot& snap(size_t p) const { return *o_.diff->snapshots[p].snapshot; }

  std::string snapshot_when(size_t p) const;

  std::string group_words(const GroupTrend& g) const;

  void timeline();

  void parked_throughout();

  // --- 3. cycle
  // -----------------------------------------------------------------------------------

  void cycle();

  void cycle_table(size_t index);

  void stuck_table();

  const std::vector<std::vector<size_t>>& stuck_bunches() const;

  std::string stuck_evidence(const StuckWaiter& w) const;

  std::vector<std::vector<size_t>> suspect_bunches() const;

  void suspects_table();

  // --- 4. detection
  // -------------------------------------------------------------------------------

  void detection();

  void parked();

  void warnings();

  // --- 5. diagnosis
  // -------------------------------------------------------------------------------

  void diagnosis();

  void diagnose(TaskIndex t);

  // --- 6–9. root cause, patch, prevention, tests
  // ---------------------------------------------------

  struct Finding {
    enum class Of : uint8_t { kCycle, kStuck, kSuspects } of = Of::kCycle;
    std::string heading;  // "Cycle 1", "goroutine 19", "500 goroutines (19, 20, 21, …)"
    AdviceInput advice;
    std::string never_wakes;  // why a stuck waiter can never wake, in words
  };

  std::vector<Finding> named_findings() const;

  AdviceInput wait_advice(Pattern p, const std::vector<TaskIndex>& tasks, uint32_t wait) const;

  void root_cause();

  void patch();

  void prevention();

  void tests();

  // --- short report
  // -------------------------------------------------------------------------------

  void doing();

  mutable std::optional<std::vector<std::vector<size_t>>> stuck_bunches_;
  const Snapshot& s_;
  const Findings& f_;
  const ReportOptions& o_;
  std::unordered_map<TaskIndex, std::vector<uint32_t>> holds_of_;
  std::vector<uint32_t> wait_of_;  // per task: its first wait edge, or kNone
  std::string out_;
};

}  // namespace dla::report
