// The post-mortem report (render/report.h): the sections in order, how tasks, locks and frames
// are named, the title and summary (section 1), the short report of a snapshot where nothing is
// stuck; with the tables of words the sections share. Sections 2-4 are in
// render/report_findings.cpp, 5-9 in render/report_remedy.cpp.
#include "render/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "render/chart.h"
#include "render/describe.h"
#include "render/dot.h"
#include "render/escape.h"
#include "render/report_advice.h"
#include "render/report_diagnosis.h"
#include "render/report_runtime.h"
#include "render/report_writer.h"
#include "version.h"

namespace dla {

namespace report {

std::string with_commas(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string minutes_words(double m) {
  return fmt::format("{} minute{}", m, m == 1 ? "" : "s");
}

// A span of time measured between dumps: seconds under a minute, else minutes to a tenth.
std::string duration_words(double minutes) {
  if (minutes < 1) return fmt::format("{:.0f} s", minutes * 60);
  if (minutes == static_cast<double>(static_cast<int64_t>(minutes))) return minutes_words(minutes);
  return fmt::format("{:.1f} minutes", minutes);
}

constexpr std::array kReasons = {
    ReasonWords{"nil-channel", "the channel is nil: no send, receive or close can ever reach it",
                "the dump alone (the wait's own text)"},
    ReasonWords{"no-cases", "a select with no cases never returns",
                "the dump alone (the wait's own text)"},
    ReasonWords{"runtime-declared-deadlock",
                "the runtime itself declared every goroutine asleep (`fatal error: all goroutines "
                "are asleep - deadlock!`), so nothing is left to wake it",
                "the runtime's deadlock report"},
    // A Go core: dlanalyze's own conservative scan of the heap (parsers/go_core_leaks).
    ReasonWords{"leaked",
                "a scan of the core's memory found nothing that can still run able to reach it "
                "(no global, no runnable goroutine)",
                "the core's memory", "core"},
    ReasonWords{"leaked", "the runtime's leak detector proved that nothing can reach it",
                "the runtime's leak profile"},
    // Inferred from the program's source (graph/go_stuck): every place that could do the
    // partner operation was followed, and no goroutine can still reach one.
    ReasonWords{"chan-send-no-receiver",
                "no goroutine can still reach a receive from this channel (every receive in the "
                "program's source was followed: none is before a goroutine that can run)",
                "inferred from the program's source"},
    ReasonWords{"chan-receive-no-sender",
                "no goroutine can still reach a send on or a close of this channel (every send "
                "and close in the program's source was followed: none is before a goroutine that "
                "can run)",
                "inferred from the program's source"},
    // graph/native_stuck: every other thread waits, through locks and joins, for this one.
    ReasonWords{"condition-never-signalled",
                "every other thread of the process waits, through locks and joins, for this "
                "thread or for a deadlock, so none is left to signal the condition",
                "inferred from the lock holders"},
    ReasonWords{"waitgroup-never-done",
                "no goroutine can still reach a `Done` of this WaitGroup (every `Done` in the "
                "program's source was followed: none is before a goroutine that can run)",
                "inferred from the program's source"},
};
const ReasonWords* reason_row(std::string_view reason, std::string_view format) {
  for (const ReasonWords& r : kReasons) {
    if (r.reason == reason && (r.format.empty() || r.format == format)) return &r;
  }
  return nullptr;
}
std::string reason_words(std::string_view reason, std::string_view format) {
  const ReasonWords* r = reason_row(reason, format);
  return r ? std::string(r->words) : md_code(reason);
}

ReportWriter::ReportWriter(const Snapshot& s, const Findings& f, const ReportOptions& o)
    : s_(s), f_(f), o_(o) {
  for (uint32_t h = 0; h < s.holds.size(); ++h) holds_of_[s.holds[h].task].push_back(h);
  wait_of_.assign(s.tasks.size(), kNone);
  for (uint32_t w = 0; w < s.waits.size(); ++w) {
    if (wait_of_[s.waits[w].task] == kNone) wait_of_[s.waits[w].task] = w;
  }
}

std::string ReportWriter::run() {
  bool full = !f_.cycles.empty() || !f_.stuck.empty() || !f_.long_parked.empty();
  // The sections in order; a timeline across several snapshots (diff) goes after Trigger.
  using Write = void (ReportWriter::*)();
  struct Section {
    const char* title;
    Write write;
  };
  std::vector<Section> sections{{"Summary", &ReportWriter::summary},
                                {"Trigger", &ReportWriter::trigger}};
  if (full) {
    sections.insert(sections.end(), {{"Cycle", &ReportWriter::cycle},
                                     {"Detection", &ReportWriter::detection},
                                     {"Diagnosis", &ReportWriter::diagnosis},
                                     {"Root cause", &ReportWriter::root_cause},
                                     {"Patch (a suggestion)", &ReportWriter::patch},
                                     {"Prevention", &ReportWriter::prevention},
                                     {"Tests", &ReportWriter::tests}});
  } else {
    sections.push_back({"What the tasks were doing", &ReportWriter::doing});
  }
  title();
  for (size_t i = 0; i < sections.size(); ++i) {
    while (!out_.empty() && out_.back() == '\n') out_.pop_back();
    out_ += fmt::format("\n\n## {}. {}\n\n", i + 1, sections[i].title);
    (this->*sections[i].write)();
  }
  while (!out_.empty() && out_.back() == '\n') out_.pop_back();
  return std::move(out_) + "\n";
}

// Ends a paragraph made of sentences that each end with a space.
void ReportWriter::end_paragraph() {
  while (!out_.empty() && out_.back() == ' ') out_.pop_back();
  out_ += "\n";
}

// "Goroutine", for a table's header.
std::string ReportWriter::Noun() const {
  std::string n = s_.task_noun;
  if (!n.empty()) n[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(n[0])));
  return n;
}

// `billing.mu` `0x8fda80`: the name, and the address when the name is not it.
std::string ReportWriter::lock(ResourceIndex r, bool in_table) const {
  const Resource& res = s_.resources[r];
  std::string name = lock_name(s_, r);
  std::string out = md_code(name, in_table);
  if (res.address != kNoString && name.find(s_.str(res.address)) == std::string::npos) {
    out += " " + md_code(s_.str(res.address), in_table);
  }
  return out;
}

// `main.reserveThenBill` main.go:48
std::string ReportWriter::frame(uint32_t f, int32_t line, bool in_table) const {
  if (f == kNone) return "(no frame)";
  std::string place = short_place(s_, f, line);
  std::string out = md_code(s_.str(s_.frames[f].function), in_table);
  return place.empty() ? out : out + " " + md_text(place);
}

uint32_t ReportWriter::where_waits(const WaitEdge& w) const {
  return w.app_frame != kNone ? w.app_frame : w.frame;
}

std::string ReportWriter::tasks_words(const std::vector<TaskIndex>& tasks) const {
  if (tasks.size() == 1) return task(tasks[0]);
  return fmt::format("{} ({})", count_of(tasks.size(), noun()),
                     md_text(abbreviated_ids(s_, tasks)));
}

// The hold by which member `i` of cycle `c` holds what the previous member waits for; nullptr
// when member `i` holds nothing of it but waits to write a writers-first rwlock, ahead of the
// previous member's read (that reader is queued behind it).
const HoldEdge* ReportWriter::held_by_member(const Cycle& c, size_t i) const {
  uint32_t h = c.members[(i + c.members.size() - 1) % c.members.size()].hold;
  return h == kNone ? nullptr : &s_.holds[h];
}

// The member before `i`: the one that waits for what member `i` holds (or is queued behind).
TaskIndex ReportWriter::previous_member(const Cycle& c, size_t i) const {
  return c.members[(i + c.members.size() - 1) % c.members.size()].task;
}

Language ReportWriter::language_at(uint32_t f) const {
  if (f != kNone && s_.frames[f].file != kNoString) {
    Language l = language_of_file(s_.str(s_.frames[f].file));
    if (l != Language::kUnknown) return l;
  }
  switch (s_.family) {
    case RuntimeFamily::kGo:
      return Language::kGo;
    case RuntimeFamily::kJvm:
      return Language::kJava;
    case RuntimeFamily::kNative:
      return Language::kC;
    case RuntimeFamily::kUnknown:
      break;
  }
  return Language::kUnknown;
}

std::vector<std::string> ReportWriter::cycle_lock_names() const {
  std::vector<std::string> names;
  for (const Cycle& c : f_.cycles) {
    for (const CycleMember& m : c.members) {
      std::string n = code(lock_name(s_, m.resource));
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    }
  }
  return names;
}

std::string ReportWriter::joined(const std::vector<std::string>& items, size_t limit) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < limit; ++i) {
    out += i == 0 ? "" : (i + 1 == items.size() ? " and " : ", ");
    out += items[i];
  }
  if (items.size() > limit) out += fmt::format(" and {} more", items.size() - limit);
  return out;
}

std::string ReportWriter::source_name() const {
  size_t slash = s_.source.find_last_of('/');
  return slash == std::string::npos ? s_.source : s_.source.substr(slash + 1);
}

void ReportWriter::title() {
  std::string what;
  if (!f_.cycles.empty()) {
    std::vector<std::string> members;
    for (const CycleMember& m : f_.cycles[0].members) members.push_back(task(m.task));
    what = fmt::format("deadlock of {} on {}", joined(members), joined(cycle_lock_names()));
  } else if (!f_.stuck.empty()) {
    std::vector<std::string> who;
    for (const StuckWaiter& w : f_.stuck) who.push_back(task(w.task));
    what = fmt::format("{} can never wake", joined(who, 3));
  } else if (!f_.long_parked.empty()) {
    what = fmt::format("{} parked for minutes in {}", count_of(f_.long_parked.size(), noun()),
                       code(source_name()));
  } else {
    what = fmt::format("{} in {}", verdict_words(s_, f_).words, code(source_name()));
  }
  out_ += fmt::format("# Postmortem: {}\n\n", what);
  out_ += fmt::format(
      "*A first draft by dlanalyze {} from the dump alone. Facts come from the dump and its "
      "analysis, each with its evidence; the patch, the guards and the test are suggestions "
      "to check against the code.*\n",
      kVersion);
}

void ReportWriter::summary() {
  size_t total = task_total(s_);
  if (!f_.cycles.empty()) {
    size_t members = 0;
    for (const Cycle& c : f_.cycles) members += c.members.size();
    out_ += fmt::format("**Deadlock.** {} of the dump's {} {} deadlocked in {}. ",
                        count_of(members, noun()), with_commas(total), members == 1 ? "is" : "are",
                        count_of(f_.cycles.size(), "cycle"));
    for (size_t c = 0; c < f_.cycles.size() && c < 3; ++c) cycle_sentence(c);
    since_when();
    if (!f_.blocked.empty()) {
      out_ += fmt::format(
          "{} more {} {} blocked behind {}. ", f_.blocked.size(),
          count_of(f_.blocked.size(), noun()).substr(std::to_string(f_.blocked.size()).size() + 1),
          f_.blocked.size() == 1 ? "is" : "are", f_.cycles.size() == 1 ? "it" : "them");
    }
  }
  if (!f_.stuck.empty()) {
    out_ += fmt::format("{}{} can never wake: ", f_.cycles.empty() ? "**Stuck.** " : "",
                        count_of(f_.stuck.size(), noun()));
    std::vector<std::string> parts;
    bool inferred = false;
    for (const std::vector<size_t>& bunch : stuck_bunches()) {
      const StuckWaiter& w = f_.stuck[bunch[0]];
      auto p = f_.patterns.stuck[bunch[0]];
      std::vector<TaskIndex> tasks;
      for (size_t i : bunch) tasks.push_back(f_.stuck[i].task);
      inferred |= w.evidence == Evidence::kInferred;
      parts.push_back(fmt::format(
          "{} at {}{}", tasks_words(tasks), frame(where_waits(s_.waits[w.wait])),
          p ? fmt::format(" ({}{})", info(*p).name,
                          w.evidence == Evidence::kInferred ? ", inferred from source" : "")
            : ""));
    }
    out_ += joined(parts, 3) + ". ";
    if (inferred) {
      out_ +=
          "Those *inferred from source* are likely, not certain: the dump does not record "
          "who could still reach a channel or a WaitGroup; the program's source does. ";
    }
    if (f_.cycles.empty()) stuck_since_when();
  }
  if (!f_.long_parked.empty()) {
    out_ += fmt::format(
        "{}{} had been parked for a minute or more on a channel, a condition "
        "or a WaitGroup: suspects, not certain. ",
        f_.cycles.empty() && f_.stuck.empty() ? "**Suspects.** " : "",
        count_of(f_.long_parked.size(), noun()));
  }
  if (f_.cycles.empty() && f_.stuck.empty() && f_.long_parked.empty()) clean_summary(total);
  if (!f_.unresolved.empty() && (!f_.cycles.empty() || !f_.stuck.empty())) {
    out_ += fmt::format("{} wait for locks whose holders the dump does not show. ",
                        count_of(f_.unresolved.size(), noun()));
  }
  if (s_.damaged) {
    out_ += "The input is damaged (see the warnings in section 4): the results are partial. ";
  }
  end_paragraph();
}

// "goroutine 21 holds `inventory.mu` (taken at main.go:42) and waits for `billing.mu` at
// main.go:48; …: a lock-order inversion, likely (inferred from source)."
void ReportWriter::cycle_sentence(size_t index) {
  const Cycle& c = f_.cycles[index];
  std::vector<std::string> parts;
  for (size_t i = 0; i < c.members.size() && i < 6; ++i) {
    const CycleMember& m = c.members[i];
    const HoldEdge* h = held_by_member(c, i);
    std::string at = md_text(short_place(s_, where_waits(s_.waits[m.wait])));
    if (h == nullptr) {
      parts.push_back(fmt::format("{} waits to write {} at {}, and {} is queued behind it",
                                  task(m.task), code(lock_name(s_, m.resource)), at,
                                  task(previous_member(c, i))));
      continue;
    }
    std::string taken = h->frame == kNone ? "" : fmt::format(" ({})", this->taken(*h));
    parts.push_back(fmt::format("{} holds {}{}{} and waits for {}{} at {}", task(m.task),
                                code(lock_name(s_, h->resource)), h->shared ? " to read" : "",
                                taken, code(lock_name(s_, m.resource)),
                                s_.waits[m.wait].shared ? " to read" : "", at));
  }
  if (c.members.size() > 6) parts.push_back(fmt::format("{} more", c.members.size() - 6));
  std::string confidence =
      fmt::format("{} ({})", to_string(c.confidence), evidence_words(c.weakest));
  out_ += fmt::format(
      "{}{}: a {}, {}{}. ", f_.cycles.size() > 1 ? fmt::format("Cycle {}: ", index + 1) : "",
      fmt::format("{}", fmt::join(parts, "; ")), info(f_.patterns.cycles[index]).name, confidence,
      c.declared_by_runtime ? "; the runtime's own deadlock report agrees" : "");
}

// Where a hold was taken: "taken at main.go:42" when the acquiring line is known (source
// evidence names it), "taken in `F`, now at F.java:39" when only the holding frame is (a lock
// record belongs to a frame, whose line is where it is now); "" when the dump says neither.
std::string ReportWriter::taken(const HoldEdge& h) const {
  if (h.frame == kNone) return "";
  if (h.line != 0) return "taken at " + md_text(short_place(s_, h.frame, h.line));
  std::string place = short_place(s_, h.frame);
  return fmt::format("taken in {}{}", code(s_.str(s_.frames[h.frame].function)),
                     place.empty() ? "" : ", now at " + md_text(place));
}

void ReportWriter::since_when() {
  std::optional<double> minutes, elapsed;
  for (const CycleMember& m : f_.cycles[0].members) {
    const Task& t = s_.tasks[m.task];
    if (t.parked_minutes) minutes = std::max(minutes.value_or(0), *t.parked_minutes);
    if (t.elapsed_seconds)
      elapsed = std::min(elapsed.value_or(*t.elapsed_seconds), *t.elapsed_seconds);
  }
  std::string at = s_.taken_at_text.empty() ? "" : fmt::format(" ({})", md_text(s_.taken_at_text));
  if (minutes) {
    out_ += fmt::format("They had been parked for {} when the dump was taken{}. ",
                        minutes_words(*minutes), at);
  } else if (elapsed) {
    out_ += fmt::format(
        "It formed at most {} s before the dump was taken{}: its youngest member "
        "had been running that long (`elapsed=`). ",
        *elapsed, at);
  } else if (!o_.diff) {
    out_ += fmt::format("The dump does not say since when{}. ",
                        at.empty() ? "" : "; it was taken" + at);
  }
  diff_since_when();
}

// Since when, from the earlier snapshots: the first in which the first cycle was seen.
void ReportWriter::diff_since_when() {
  if (!o_.diff) return;
  const Diff& d = *o_.diff;
  size_t last = d.snapshots.size() - 1;
  for (const CycleTrend& c : d.cycles) {
    if (c.cycles[last] != 0) continue;  // the reported snapshot's first cycle
    if (c.first_position == last) {
      out_ += fmt::format("It formed after snapshot #{}{}, which does not show it. ", last,
                          snapshot_when(last - 1));
    } else {
      std::string gap;
      if (d.minutes[c.first_position] && d.minutes[last]) {
        gap = fmt::format(", {} before this one",
                          duration_words(*d.minutes[last] - *d.minutes[c.first_position]));
      }
      out_ += fmt::format("It was already there in snapshot #{} of {}{}{}{}. ",
                          c.first_position + 1, d.snapshots.size(), snapshot_when(c.first_position),
                          gap, d.cycle_throughout(c) ? ", and in every snapshot since" : "");
    }
    return;
  }
}

// How long the waiters that can never wake had been parked, where the dump says.
void ReportWriter::stuck_since_when() {
  std::optional<double> low, high;
  for (const StuckWaiter& w : f_.stuck) {
    const Task& t = s_.tasks[w.task];
    if (!t.parked_minutes) continue;
    low = std::min(low.value_or(*t.parked_minutes), *t.parked_minutes);
    high = std::max(high.value_or(0), *t.parked_minutes);
  }
  if (!high) {
    out_ += "The dump does not say since when. ";
  } else if (*low == *high) {
    out_ +=
        fmt::format("They had been parked for {} when the dump was taken. ", minutes_words(*high));
  } else {
    out_ += fmt::format("They had been parked for {} to {} when the dump was taken. ",
                        minutes_words(*low), minutes_words(*high));
  }
}

void ReportWriter::clean_summary(size_t total) {
  if (s_.damaged) {
    out_ += fmt::format(
        "**No deadlock found, but the input is damaged**: the analysis saw only "
        "part of the dump's {} {}s, so this is not a clean verdict. ",
        with_commas(total), noun());
  } else if (!s_.records_locks) {
    out_ += fmt::format(
        "**No deadlock visible.** This dump records no locks, so a cycle "
        "cannot be seen in it: capture the {}s again with their lock "
        "information. ",
        noun());
  } else if (!f_.unresolved.empty()) {
    out_ += fmt::format(
        "**No deadlock proven.** {} wait for locks whose holders the dump does "
        "not show, so a cycle among them can be neither seen nor ruled out. ",
        count_of(f_.unresolved.size(), noun()));
    unresolved_list();
  } else {
    out_ += fmt::format(
        "**No deadlock.** dlanalyze examined all {} {}s of the dump: no cycle "
        "in the wait-for graph, no waiter that can never wake, and none parked "
        "for minutes on a channel, a condition or a WaitGroup. ",
        with_commas(total), noun());
  }
}

void ReportWriter::unresolved_list() {
  out_ += "\n\n";
  auto bunches = bunch_by(f_.unresolved, [&](const UnresolvedWaiter& u) { return u.resource; });
  for (size_t i = 0; i < bunches.size() && i < o_.max_listed; ++i) {
    std::vector<TaskIndex> tasks;
    for (const UnresolvedWaiter& u : bunches[i]) tasks.push_back(u.task);
    out_ += fmt::format("- {}: {} at {}\n", lock(bunches[i][0].resource), tasks_words(tasks),
                        frame(where_waits(s_.waits[bunches[i][0].wait])));
  }
  for (const Warning& w : s_.warnings) {
    if (w.message.find("--source-root") != std::string::npos) {
      out_ += fmt::format("\n{}\n", md_text(w.message));
      break;
    }
  }
}

void ReportWriter::doing() {
  const auto& groups = f_.groups.groups;
  out_ += fmt::format("{} in {} of identical stacks, largest first:\n\n",
                      count_of(task_total(s_), noun()), count_of(groups.size(), "group"));
  out_ += fmt::format("| {}s | State | Where |\n|---|---|---|\n", Noun());
  for (size_t g = 0; g < groups.size() && g < 8; ++g) {
    const Task& t = s_.tasks[groups[g].first];
    uint32_t top =
        t.frame_count == 0 ? kNone : t.first_frame + (t.app_frame == kNone ? 0 : t.app_frame);
    out_ += fmt::format("| {} | {} | {} |\n", groups[g].count,
                        groups[g].state == kNoString ? "" : cell_code(s_.str(groups[g].state)),
                        top == kNone ? "(no stack)" : frame(top, 0, true));
  }
  if (groups.size() > 8) out_ += fmt::format("\n… and {} more groups.\n", groups.size() - 8);
  warnings();
}

}  // namespace report

std::string render_report(const Snapshot& s, const Findings& f, const ReportOptions& options) {
  return report::ReportWriter(s, f, options).run();
}

}  // namespace dla
