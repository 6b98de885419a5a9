// Sections 2-4 of the post-mortem report (render/report_writer.h): the trigger (and the timeline
// across snapshots), the cycle with its tables of members, stuck waiters and suspects, and how
// the deadlock was detected.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "render/chart.h"
#include "render/dot.h"
#include "render/report_runtime.h"
#include "render/report_writer.h"

namespace dla::report {

void ReportWriter::trigger() {
  out_ += fmt::format("- **File:** {}\n", code(s_.source));
  out_ +=
      fmt::format("- **Format:** {}{}\n", code(s_.format),
                  o_.input_description.empty() ? "" : " (" + md_text(o_.input_description) + ")");
  out_ += fmt::format("- **Runtime:** {}\n",
                      s_.runtime.empty() ? "not printed in the dump" : md_text(s_.runtime));
  out_ += fmt::format("- **Taken at:** {}\n", s_.taken_at_text.empty() ? "not printed in the dump"
                                                                       : md_text(s_.taken_at_text));
  out_ += fmt::format("- **{}s:** {}, in {} of identical stacks\n", Noun(),
                      with_commas(task_total(s_)), count_of(f_.groups.groups.size(), "group"));
  out_ += fmt::format("- **Size:** {} bytes\n", with_commas(s_.bytes));
  if (o_.dumps_in_input > 1) {
    out_ += fmt::format("- **Dumps:** {} in the input; this report is about the last{}\n",
                        o_.dumps_in_input, o_.diff ? " in time" : "");
  }
  if (s_.damaged) out_ += "- **Damage:** the input is damaged: results are partial\n";
  if (o_.diff) timeline();
}

std::string ReportWriter::snapshot_when(size_t p) const {
  const Diff& d = *o_.diff;
  std::string when;
  if (!snap(p).taken_at_text.empty()) when = " at " + md_text(snap(p).taken_at_text);
  if (p > 0 && d.minutes[p]) when += fmt::format(" (+{})", duration_words(*d.minutes[p]));
  return when;
}

// A group of the diff as a line of text: its frame and state ("main.fetchQuote main.go:139
// [chan send]"); plain text, for the timeline block.
std::string ReportWriter::group_words(const GroupTrend& g) const {
  const Snapshot& s = snap(g.representative.snapshot);
  const Task& t = s.tasks[g.representative.task];
  uint32_t f = t.frame_count == 0     ? kNone
               : t.app_frame != kNone ? t.first_frame + t.app_frame
                                      : t.first_frame;
  std::string words = f == kNone ? "(no stack)" : short_frame_label(s, f);
  if (t.state != kNoString) words += fmt::format(" [{}]", s.str(t.state));
  return words;
}

void ReportWriter::timeline() {
  const Diff& d = *o_.diff;
  static constexpr const char* kBasis[] = {
      "in the order of the times the dumps printed",
      "ordered by how long goroutines had been parked (a hint: no dump printed its time)",
      "ordered by the files' modification times (no dump printed its time)",
      "in argument order (no dump printed its time)"};
  out_ += fmt::format("\n### Timeline: {} snapshots\n\n", d.snapshots.size());
  out_ += fmt::format("The snapshots of one process, {}; this report is about #{}.\n\n",
                      kBasis[static_cast<int>(d.order_by)], d.snapshots.size());
  for (size_t p = 0; p < d.snapshots.size(); ++p) {
    const Snapshot& s = snap(p);
    const Findings& f = *d.snapshots[p].findings;
    std::string where = s.first_line > 1 ? fmt::format("{}:{}", s.source, s.first_line) : s.source;
    out_ += fmt::format("- **#{}** {}{}: {}; {}, {} stuck\n", p + 1, code(where), snapshot_when(p),
                        count_of(task_total(s), s.task_noun), count_of(f.cycles.size(), "cycle"),
                        f.stuck.size());
  }
  // The chart: the groups that changed at every step, leaks first, and every task.
  std::vector<TimelineSeries> series;
  constexpr size_t kSeries = 6;
  for (const GroupTrend& g : d.grown) {
    if (series.size() == kSeries || g.growth < Diff::kLeakMinGrowth) continue;
    series.push_back({d.is_leak(g) ? "leak" : "grown", group_words(g), {}});
    series.back().counts.assign(g.counts.begin(), g.counts.end());
  }
  for (const GroupTrend& g : d.shrunk) {
    if (series.size() == kSeries || -g.growth < Diff::kLeakMinGrowth) continue;
    series.push_back({"shrunk", group_words(g), {}});
    series.back().counts.assign(g.counts.begin(), g.counts.end());
  }
  if (series.empty()) {
    out_ += fmt::format("\nNo group of identical stacks grew or shrank at every step.\n");
  } else {
    TimelineSeries all{"all", fmt::format("every {}", snap(0).task_noun), {}};
    for (size_t p = 0; p < d.snapshots.size(); ++p) all.counts.push_back(task_total(snap(p)));
    series.push_back(std::move(all));
    out_ += fmt::format(
        "\nCounts per group of identical stacks, per snapshot (groups that changed at every "
        "step):\n\n```timeline\n{}```\n",
        timeline_block(series, d.snapshots.size()));
  }
  for (const CycleTrend& c : d.cycles) {
    const Cycle& cycle = d.snapshots[c.first_position].findings->cycles[c.cycles[c.first_position]];
    std::vector<std::string> members;
    for (const CycleMember& m : cycle.members) {
      members.push_back(md_text(task_label(snap(c.first_position), m.task)));
    }
    out_ += fmt::format("\n**{}:** the cycle of {} is in {} of {} snapshots, since #{}{}.\n",
                        d.cycle_throughout(c) ? "Deadlock throughout" : "Contention",
                        joined(members), c.seen_in, d.snapshots.size(), c.first_position + 1,
                        snapshot_when(c.first_position));
  }
  parked_throughout();
}

// The waits that lasted through every snapshot, longest first.
void ReportWriter::parked_throughout() {
  const Diff& d = *o_.diff;
  if (d.parked.empty()) return;
  std::vector<const ParkedThroughout*> longest;
  for (const ParkedThroughout& p : d.parked) longest.push_back(&p);
  std::stable_sort(longest.begin(), longest.end(), [](const auto* a, const auto* b) {
    return a->at_least_seconds.value_or(-1) > b->at_least_seconds.value_or(-1);
  });
  const Snapshot& last = snap(d.snapshots.size() - 1);
  out_ += fmt::format(
      "\n**Parked throughout:** {} in the same wait in every snapshot, longest first.\n\n",
      count_of(d.parked.size(), last.task_noun));
  out_ +=
      fmt::format("| {} | Waits for | Blocking frame | Parked at least | In a cycle |\n", Noun());
  out_ += "|---|---|---|---|---|\n";
  for (size_t i = 0; i < longest.size() && i < o_.max_listed; ++i) {
    const ParkedThroughout& p = *longest[i];
    const WaitEdge& w = last.waits[p.waits.back()];
    uint32_t at = w.app_frame != kNone ? w.app_frame : w.frame;
    std::string frame_text = at == kNone ? ""
                                         : md_code(last.str(last.frames[at].function), true) + " " +
                                               md_text(short_place(last, at));
    out_ += fmt::format("| {} | {} | {} | {} | {} |\n", md_text(task_label(last, p.tasks.back())),
                        md_code(lock_name(last, w.resource), true), frame_text,
                        p.at_least_seconds ? duration_words(*p.at_least_seconds / 60) : "not known",
                        p.in_cycle_throughout ? "yes, throughout" : "no");
  }
  if (longest.size() > o_.max_listed) out_ += "\n… (`dlanalyze diff` lists them all).\n";
}

void ReportWriter::cycle() {
  DotOptions dot;
  dot.max_groups = 6;
  out_ += md_fence(render_dot(s_, f_, dot), "dot");
  if (f_.cycles.empty()) out_ += "\nNo cycle: nothing waits in a circle.\n";
  for (size_t c = 0; c < f_.cycles.size(); ++c) cycle_table(c);
  stuck_table();
  suspects_table();
  if (!f_.unresolved.empty()) {
    out_ += fmt::format("\nWaiting for locks whose holder is unknown ({}):\n",
                        count_of(f_.unresolved.size(), noun()));
    unresolved_list();
  }
}

void ReportWriter::cycle_table(size_t index) {
  const Cycle& c = f_.cycles[index];
  out_ +=
      fmt::format("\n### Cycle {}: {}, {}, {}\n\n", index + 1, info(f_.patterns.cycles[index]).name,
                  count_of(c.members.size(), noun()), to_string(c.confidence));
  out_ += fmt::format("| {} | Holds | Waits for | Blocking frame | Evidence |\n", Noun());
  out_ += "|---|---|---|---|---|\n";
  for (size_t i = 0; i < c.members.size(); ++i) {
    const CycleMember& m = c.members[i];
    const WaitEdge& w = s_.waits[m.wait];
    const HoldEdge* h = held_by_member(c, i);
    std::string wants = lock(m.resource, true) + (w.shared ? " (to read)" : "");
    if (h == nullptr) {
      out_ += fmt::format(
          "| {} | nothing: {} is queued behind its wait to write | {} | {} | wait: {} |\n",
          task(m.task), task(previous_member(c, i)), wants, frame(where_waits(w), 0, true),
          evidence_words(w.evidence));
      continue;
    }
    std::string taken = h->frame == kNone ? "" : ", " + this->taken(*h);
    out_ += fmt::format("| {} | {}{}{} | {} | {} | hold: {}; wait: {} |\n", task(m.task),
                        lock(h->resource, true), h->shared ? " (reading)" : "", taken, wants,
                        frame(where_waits(w), 0, true), evidence_words(h->evidence),
                        evidence_words(w.evidence));
  }
  // Waiters behind the cycle, one line per (lock, holder, frame).
  std::vector<BlockedWaiter> behind;
  for (const BlockedWaiter& b : f_.blocked) {
    if (b.cycle == index) behind.push_back(b);
  }
  if (behind.empty()) return;
  out_ += fmt::format("\nBlocked behind cycle {} ({}, not members):\n\n", index + 1,
                      count_of(behind.size(), noun()));
  auto bunches = bunch_by(behind, [&](const BlockedWaiter& b) {
    return std::tuple(b.resource, b.holder, place_key(s_, s_.waits[b.wait]));
  });
  for (size_t i = 0; i < bunches.size() && i < o_.max_listed; ++i) {
    std::vector<TaskIndex> tasks;
    for (const BlockedWaiter& b : bunches[i]) tasks.push_back(b.task);
    const BlockedWaiter& b = bunches[i][0];
    out_ += fmt::format("- {} {} for {} held by {}, at {}\n", tasks_words(tasks),
                        tasks.size() == 1 ? "waits" : "wait", lock(b.resource), task(b.holder),
                        frame(where_waits(s_.waits[b.wait])));
  }
  if (bunches.size() > o_.max_listed) out_ += "- … (`--output-format json` lists them all)\n";
}

void ReportWriter::stuck_table() {
  if (f_.stuck.empty()) return;
  out_ += fmt::format("\n### Waiting forever: {}\n\n", count_of(f_.stuck.size(), noun()));
  out_ += fmt::format(
      "| {} | Waits for | Blocking frame | Why it can never wake | Evidence | Pattern |\n", Noun());
  out_ += "|---|---|---|---|---|---|\n";
  // One row per (lock, reason, evidence, frame): 500 senders leaked at one line are one row.
  const auto& bunches = stuck_bunches();
  for (size_t b = 0; b < bunches.size() && b < o_.max_listed; ++b) {
    const StuckWaiter& w = f_.stuck[bunches[b][0]];
    auto p = f_.patterns.stuck[bunches[b][0]];
    std::vector<TaskIndex> tasks;
    for (size_t i : bunches[b]) tasks.push_back(f_.stuck[i].task);
    out_ += fmt::format("| {} | {} | {} | {} | {} | {} |\n", tasks_words(tasks),
                        lock(w.resource, true), frame(where_waits(s_.waits[w.wait]), 0, true),
                        reason_words(w.reason, s_.format), stuck_evidence(w),
                        p ? std::string(info(*p).name) : "");
  }
  if (bunches.size() > o_.max_listed) {
    out_ += "\n… (`--output-format json` lists them all).\n";
  }
}

// Computed once: 100,000 leaked senders are one bunch, asked for by several sections.
const std::vector<std::vector<size_t>>& ReportWriter::stuck_bunches() const {
  if (!stuck_bunches_) {
    std::vector<size_t> all(f_.stuck.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    stuck_bunches_ = bunch_by(all, [&](size_t i) {
      const StuckWaiter& w = f_.stuck[i];
      return std::tuple(w.resource, std::string_view(w.reason), w.evidence,
                        place_key(s_, s_.waits[w.wait]));
    });
  }
  return *stuck_bunches_;
}

// How a never-wake is known: the runtime's own word, its memory, or the program's source.
std::string ReportWriter::stuck_evidence(const StuckWaiter& w) const {
  if (w.evidence == Evidence::kInferred) return "inferred from the program's source";
  const ReasonWords* r = reason_row(w.reason, s_.format);
  return r ? std::string(r->known_by) : evidence_words(w.evidence);
}

// Suspects bunched by (kind of wait, place): a leak of 500 senders is one row.
std::vector<std::vector<size_t>> ReportWriter::suspect_bunches() const {
  std::vector<size_t> all(f_.long_parked.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  return bunch_by(all, [&](size_t i) {
    const WaitEdge& w = s_.waits[f_.long_parked[i].wait];
    return std::tuple(s_.resources[w.resource].kind, place_key(s_, w));
  });
}

void ReportWriter::suspects_table() {
  if (f_.long_parked.empty()) return;
  out_ += fmt::format("\n### Parked for minutes (suspects): {}\n\n",
                      count_of(f_.long_parked.size(), noun()));
  out_ += fmt::format("| {}s | Parked | Waits on | Frame | Suspected pattern |\n", Noun());
  out_ += "|---|---|---|---|---|\n";
  auto bunches = suspect_bunches();
  for (size_t b = 0; b < bunches.size() && b < o_.max_listed; ++b) {
    std::vector<TaskIndex> tasks;
    double high = 0;
    for (size_t i : bunches[b]) {
      tasks.push_back(f_.long_parked[i].task);
      high = std::max(high, f_.long_parked[i].minutes);
    }
    const LongParked& l = f_.long_parked[bunches[b][0]];
    auto p = f_.patterns.suspects[bunches[b][0]];
    out_ +=
        fmt::format("| {} | up to {} | {} | {} | {} |\n", tasks_words(tasks), minutes_words(high),
                    lock(l.resource, true), frame(where_waits(s_.waits[l.wait]), 0, true),
                    p ? std::string(info(*p).name) : "");
  }
}

void ReportWriter::detection() {
  out_ += fmt::format(
      "**How it was found.** dlanalyze read the dump as {} and built its wait-for graph ({} "
      "waits, {} holds, each with its evidence); ",
      code(s_.format), with_commas(s_.waits.size()), with_commas(s_.holds.size()));
  if (!f_.cycles.empty()) {
    out_ +=
        "a cycle is a strongly connected part of that graph in which every wait and every "
        "hold has evidence. ";
    std::map<std::string, size_t> evidence;
    for (const Cycle& c : f_.cycles) {
      for (const CycleMember& m : c.members) {
        ++evidence[fmt::format("wait: {}", evidence_words(s_.waits[m.wait].evidence))];
        if (m.hold != kNone) {
          ++evidence[fmt::format("hold: {}", evidence_words(s_.holds[m.hold].evidence))];
        } else {
          ++evidence["queued behind a waiting writer"];
        }
      }
    }
    std::vector<std::string> parts;
    for (const auto& [words, n] : evidence) parts.push_back(fmt::format("{} × {}", n, words));
    out_ += fmt::format("The cycle edges rest on: {}.", joined(parts, 8));
    for (const Cycle& c : f_.cycles) {
      if (c.weakest == Evidence::kSource) {
        out_ +=
            " A hold *inferred from source* is the lock call earlier in the holder's "
            "function that nothing released before the frame's line, read from the source "
            "file: likely, not certain.";
        break;
      }
    }
    out_ += "\n";
  } else {
    out_ +=
        "waits that no task can ever end are stuck; waits of a minute or more on a "
        "channel, a condition or a WaitGroup are suspects.\n";
  }
  for (const StuckWaiter& w : f_.stuck) {
    if (w.evidence != Evidence::kInferred) continue;
    out_ +=
        "\nA waiter *inferred from source* never wakes because of what the program's source "
        "says: from the waiter's channel or WaitGroup expression the value was followed "
        "through the package's functions to every place that could send, receive, close or "
        "call `Done`, and no goroutine of the dump stands before one of them (nor can call "
        "the function it is in). A value passed to another package, stored or returned, or a "
        "source file not readable here, and nothing is claimed.\n";
    break;
  }
  parked();
  out_ += "\n**Why the runtime stayed silent.** " + runtime_silence(s_, f_);
  warnings();
}

void ReportWriter::parked() {
  std::vector<TaskIndex> shown;
  for (const Cycle& c : f_.cycles) {
    for (const CycleMember& m : c.members) shown.push_back(m.task);
  }
  for (const auto& b : stuck_bunches()) shown.push_back(f_.stuck[b[0]].task);
  for (const auto& b : suspect_bunches()) shown.push_back(f_.long_parked[b[0]].task);
  if (shown.size() > o_.max_listed) shown.resize(o_.max_listed);
  bool any = false;
  for (TaskIndex t : shown) {
    any |= s_.tasks[t].parked_minutes.has_value() || s_.tasks[t].elapsed_seconds.has_value();
  }
  out_ += "\n**How long.** ";
  if (!any) {
    out_ += missing_wait_times(s_.family);
    return;
  }
  out_ += "As the dump prints it:\n\n";
  out_ += fmt::format("| {} | State | Parked |\n|---|---|---|\n", Noun());
  for (TaskIndex t : shown) {
    const Task& task_ = s_.tasks[t];
    std::string parked = "not printed";
    if (task_.parked_minutes) {
      parked = minutes_words(*task_.parked_minutes);
    } else if (task_.elapsed_seconds) {
      parked = fmt::format("at most {} s (the thread's age, `elapsed=`)", *task_.elapsed_seconds);
    }
    out_ += fmt::format("| {} | {} | {} |\n", task(t),
                        task_.state == kNoString ? "" : cell_code(s_.str(task_.state)), parked);
  }
}

void ReportWriter::warnings() {
  if (s_.warnings.empty() && f_.warnings.empty()) return;
  out_ += "\n**Warnings.**\n\n";
  size_t n = 0;
  for (const auto* list : {&s_.warnings, &f_.warnings}) {
    for (const Warning& w : *list) {
      if (n++ == o_.max_listed) break;
      out_ +=
          fmt::format("- {}{}\n", w.where.empty() ? "" : code(w.where) + ": ", md_text(w.message));
    }
  }
}

}  // namespace dla::report
