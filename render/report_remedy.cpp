// Sections 5-9 of the post-mortem report (render/report_writer.h): each stuck task's diagnosis,
// then the root cause, a suggested patch, prevention and tests, from the advice table
// (render/report_advice).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "render/report_diagnosis.h"
#include "render/report_writer.h"

namespace dla::report {

namespace {

// How the fix breaks each Coffman condition, in one clause.
constexpr std::array<std::string_view, 4> kBreaks = {
    "make the resource shareable, so that no task has to wait for it (an immutable snapshot, "
    "copy-on-write)",
    "never ask for a lock while holding one that the holder of the first may want: take what is "
    "needed at once, or release before calling out",
    "let a wait be given up: a timeout, a cancelled context, a closed channel, so that the task "
    "can release what it holds and return",
    "take the locks in one order everywhere, so that no cycle can form",
};

}  // namespace

void ReportWriter::diagnosis() {
  // Every cycle member, and one task for each bunch of stuck waiters or suspects (the others
  // of a bunch wait at the same frame: the same stack).
  std::vector<TaskIndex> tasks;
  std::set<TaskIndex> seen;
  auto add = [&](TaskIndex t) {
    if (seen.insert(t).second) tasks.push_back(t);
  };
  for (const Cycle& c : f_.cycles) {
    for (const CycleMember& m : c.members) add(m.task);
  }
  for (const auto& b : stuck_bunches()) add(f_.stuck[b[0]].task);
  for (const auto& b : suspect_bunches()) add(f_.long_parked[b[0]].task);
  if (o_.sources != nullptr) {
    out_ +=
        "In the source excerpts, `>` marks the line where the task waits and `*` the line "
        "where it took a lock it still holds.\n";
  }
  for (size_t i = 0; i < tasks.size() && i < o_.max_diagnosed; ++i) diagnose(tasks[i]);
  if (tasks.size() > o_.max_diagnosed) {
    out_ += fmt::format("\n… and {} more (`--output-format json` has every stack).\n",
                        tasks.size() - o_.max_diagnosed);
  }
}

void ReportWriter::diagnose(TaskIndex t) {
  out_ += fmt::format("\n### {}\n\n", task(t));
  std::vector<uint32_t> holds;
  if (auto it = holds_of_.find(t); it != holds_of_.end()) holds = it->second;
  out_ += diagnose_task(s_, t, wait_of_[t], holds, o_.sources);
}

// Every cycle, stuck waiter and bunch of suspects, with the names its advice needs.
std::vector<ReportWriter::Finding> ReportWriter::named_findings() const {
  std::vector<Finding> out;
  for (size_t c = 0; c < f_.cycles.size(); ++c) {
    const Cycle& cycle = f_.cycles[c];
    Finding finding;
    finding.of = Finding::Of::kCycle;
    finding.heading = fmt::format("Cycle {}", c + 1);
    finding.advice.pattern = f_.patterns.cycles[c];
    for (size_t i = 0; i < cycle.members.size(); ++i) {
      const CycleMember& m = cycle.members[i];
      const WaitEdge& w = s_.waits[m.wait];
      const HoldEdge* h = held_by_member(cycle, i);
      CycleStep step;
      step.task = task(m.task);
      uint32_t at = where_waits(w);
      if (i == 0) finding.advice.language = language_at(at);
      step.function = at == kNone ? "" : std::string(s_.str(s_.frames[at].function));
      step.wanted = lock_name(s_, m.resource);
      step.wanted_at = md_text(short_place(s_, at));
      step.wanted_is_symbol = s_.resources[m.resource].symbol != kNoString;
      if (h != nullptr) {  // else it holds nothing: a writer a reader is queued behind
        step.held = lock_name(s_, h->resource);
        step.held_is_symbol = s_.resources[h->resource].symbol != kNoString;
        if (h->frame != kNone) {
          step.held_where = taken(*h);
          step.held_in = s_.str(s_.frames[h->frame].function);
        }
      }
      const Task& t = s_.tasks[m.task];
      for (uint32_t f = at + 1;
           at != kNone && f < t.first_frame + t.frame_count && step.callers.size() < 2; ++f) {
        step.callers.emplace_back(s_.str(s_.frames[f].function));
      }
      finding.advice.cycle.push_back(std::move(step));
    }
    out.push_back(std::move(finding));
  }
  const auto& stuck = stuck_bunches();
  for (size_t b = 0; b < stuck.size() && b < o_.max_listed; ++b) {
    auto p = f_.patterns.stuck[stuck[b][0]];
    if (!p) continue;
    const StuckWaiter& w = f_.stuck[stuck[b][0]];
    std::vector<TaskIndex> tasks;
    for (size_t i : stuck[b]) tasks.push_back(f_.stuck[i].task);
    std::string why = reason_words(w.reason, s_.format);
    if (w.evidence == Evidence::kInferred) why += " (inferred from the program's source)";
    out.push_back({Finding::Of::kStuck, tasks_words(tasks), wait_advice(*p, tasks, w.wait), why});
  }
  for (const auto& b : suspect_bunches()) {
    auto p = f_.patterns.suspects[b[0]];
    if (!p) continue;
    std::vector<TaskIndex> tasks;
    for (size_t i : b) tasks.push_back(f_.long_parked[i].task);
    out.push_back({Finding::Of::kSuspects, tasks_words(tasks),
                   wait_advice(*p, tasks, f_.long_parked[b[0]].wait), ""});
  }
  return out;
}

AdviceInput ReportWriter::wait_advice(Pattern p, const std::vector<TaskIndex>& tasks,
                                      uint32_t wait) const {
  const WaitEdge& w = s_.waits[wait];
  uint32_t at = where_waits(w);
  AdviceInput in;
  in.pattern = p;
  in.language = language_at(at);
  in.wait.who = tasks_words(tasks);
  in.wait.function = at == kNone ? "" : std::string(s_.str(s_.frames[at].function));
  in.wait.place = md_text(short_place(s_, at));
  in.wait.waits_on = lock_name(s_, w.resource);
  const Task& t = s_.tasks[tasks[0]];
  if (t.created_by != kNoString) in.wait.created_by = s_.str(t.created_by);
  return in;
}

void ReportWriter::root_cause() {
  for (const Finding& finding : named_findings()) {
    const PatternInfo& p = info(finding.advice.pattern);
    bool suspect = finding.of == Finding::Of::kSuspects;
    std::string why(p.why);
    why[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(why[0])));
    out_ += fmt::format("**{}: {}{}.** {}. ", finding.heading, p.name,
                        suspect ? " (suspected)" : "", why);
    for (const CycleStep& s : finding.advice.cycle) {
      // A pasted deadlock report may name no frame: then no function is named.
      out_ += fmt::format("{} holds {}{} and waits for {}{}{}. ", s.task, code(s.held),
                          s.held_where.empty() ? "" : " (" + s.held_where + ")", code(s.wanted),
                          s.wanted_at.empty() ? "" : " at " + s.wanted_at,
                          s.function.empty() ? "" : " in " + code(s.function));
    }
    if (finding.advice.cycle.empty()) {
      out_ += fmt::format(
          "{} waits{} in {}{}. ", finding.advice.wait.who,
          finding.advice.wait.waits_on.empty() ? "" : " on " + code(finding.advice.wait.waits_on),
          code(finding.advice.wait.function),
          finding.advice.wait.place.empty() ? "" : " (" + finding.advice.wait.place + ")");
      if (!finding.never_wakes.empty()) {
        out_ += fmt::format("It can never wake: {}. ", finding.never_wakes);
      }
    }
    end_paragraph();
    out_ += fmt::format(
        "\nOf the four Coffman conditions (mutual exclusion, hold and wait, no preemption, "
        "circular wait), the fix should break **{}**: {}.\n\n",
        to_string(p.breaks), kBreaks[static_cast<size_t>(p.breaks)]);
  }
  if (f_.cycles.empty() && f_.stuck.empty() && f_.long_parked.empty()) {
    out_ += "Nothing to name: no finding.\n";
  }
}

void ReportWriter::patch() {
  out_ += "*Suggested from the pattern and the names in the dump; check it against the code.*\n";
  for (const Finding& finding : named_findings()) {
    out_ += fmt::format("\n**{}: {}.** ", finding.heading, info(finding.advice.pattern).name);
    out_ += patch_markdown(finding.advice);
  }
}

void ReportWriter::prevention() {
  std::set<std::pair<Pattern, Language>> done;
  for (const Finding& finding : named_findings()) {
    auto key = std::pair(finding.advice.pattern, finding.advice.language);
    if (!done.insert(key).second) continue;
    out_ += fmt::format("**Against {} ({}):**\n\n", info(key.first).name, to_string(key.second));
    out_ += guard_markdown(key.first, key.second) + "\n";
  }
}

void ReportWriter::tests() {
  std::vector<Finding> findings = named_findings();
  if (findings.empty()) {
    out_ += "No finding to reproduce.\n";
    return;
  }
  const Finding& first = findings.front();
  out_ += fmt::format(
      "A reproducer in {} for {} ({}): it runs the same code concurrently and fails, with the "
      "stacks, instead of hanging. Fill in the calls.\n\n",
      to_string(first.advice.language), first.heading, info(first.advice.pattern).name);
  out_ += test_markdown(first.advice);
}

}  // namespace dla::report
