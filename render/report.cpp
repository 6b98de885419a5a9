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
#include "version.h"

namespace dla {

namespace {

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

// Why a waiter can never wake, in words, and how that is known, by the reason the parser's
// tables (or graph/go_stuck) gave it.
struct ReasonWords {
  std::string_view reason, words, known_by;
  std::string_view format = "";  // the row holds for this input format only ("" for any)
};
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

class ReportWriter {
 public:
  ReportWriter(const Snapshot& s, const Findings& f, const ReportOptions& o) : s_(s), f_(f), o_(o) {
    for (uint32_t h = 0; h < s.holds.size(); ++h) holds_of_[s.holds[h].task].push_back(h);
    wait_of_.assign(s.tasks.size(), kNone);
    for (uint32_t w = 0; w < s.waits.size(); ++w) {
      if (wait_of_[s.waits[w].task] == kNone) wait_of_[s.waits[w].task] = w;
    }
  }

  std::string run() {
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

 private:
  // --- names -------------------------------------------------------------------------------------

  std::string noun() const { return s_.task_noun; }
  // Ends a paragraph made of sentences that each end with a space.
  void end_paragraph() {
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    out_ += "\n";
  }
  // "Goroutine", for a table's header.
  std::string Noun() const {
    std::string n = s_.task_noun;
    if (!n.empty()) n[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(n[0])));
    return n;
  }
  std::string task(TaskIndex t) const { return md_text(task_label(s_, t)); }
  std::string code(std::string_view text) const { return md_code(text); }
  std::string cell_code(std::string_view text) const { return md_code(text, true); }
  // `billing.mu` `0x8fda80`: the name, and the address when the name is not it.
  std::string lock(ResourceIndex r, bool in_table = false) const {
    const Resource& res = s_.resources[r];
    std::string name = lock_name(s_, r);
    std::string out = md_code(name, in_table);
    if (res.address != kNoString && name.find(s_.str(res.address)) == std::string::npos) {
      out += " " + md_code(s_.str(res.address), in_table);
    }
    return out;
  }
  // `main.reserveThenBill` main.go:48
  std::string frame(uint32_t f, int32_t line = 0, bool in_table = false) const {
    if (f == kNone) return "(no frame)";
    std::string place = short_place(s_, f, line);
    std::string out = md_code(s_.str(s_.frames[f].function), in_table);
    return place.empty() ? out : out + " " + md_text(place);
  }
  uint32_t where_waits(const WaitEdge& w) const {
    return w.app_frame != kNone ? w.app_frame : w.frame;
  }
  std::string tasks_words(const std::vector<TaskIndex>& tasks) const {
    if (tasks.size() == 1) return task(tasks[0]);
    return fmt::format("{} ({})", count_of(tasks.size(), noun()),
                       md_text(abbreviated_ids(s_, tasks)));
  }
  // The hold by which member `i` of cycle `c` holds what the previous member waits for; nullptr
  // when member `i` holds nothing of it but waits to write a writers-first rwlock, ahead of the
  // previous member's read (that reader is queued behind it).
  const HoldEdge* held_by_member(const Cycle& c, size_t i) const {
    uint32_t h = c.members[(i + c.members.size() - 1) % c.members.size()].hold;
    return h == kNone ? nullptr : &s_.holds[h];
  }
  // The member before `i`: the one that waits for what member `i` holds (or is queued behind).
  TaskIndex previous_member(const Cycle& c, size_t i) const {
    return c.members[(i + c.members.size() - 1) % c.members.size()].task;
  }
  Language language_at(uint32_t f) const {
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

  // --- title and summary
  // --------------------------------------------------------------------------

  std::vector<std::string> cycle_lock_names() const {
    std::vector<std::string> names;
    for (const Cycle& c : f_.cycles) {
      for (const CycleMember& m : c.members) {
        std::string n = code(lock_name(s_, m.resource));
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      }
    }
    return names;
  }

  static std::string joined(const std::vector<std::string>& items, size_t limit = 4) {
    std::string out;
    for (size_t i = 0; i < items.size() && i < limit; ++i) {
      out += i == 0 ? "" : (i + 1 == items.size() ? " and " : ", ");
      out += items[i];
    }
    if (items.size() > limit) out += fmt::format(" and {} more", items.size() - limit);
    return out;
  }

  std::string source_name() const {
    size_t slash = s_.source.find_last_of('/');
    return slash == std::string::npos ? s_.source : s_.source.substr(slash + 1);
  }

  void title() {
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

  void summary() {
    size_t total = task_total(s_);
    if (!f_.cycles.empty()) {
      size_t members = 0;
      for (const Cycle& c : f_.cycles) members += c.members.size();
      out_ += fmt::format("**Deadlock.** {} of the dump's {} {} deadlocked in {}. ",
                          count_of(members, noun()), with_commas(total),
                          members == 1 ? "is" : "are", count_of(f_.cycles.size(), "cycle"));
      for (size_t c = 0; c < f_.cycles.size() && c < 3; ++c) cycle_sentence(c);
      since_when();
      if (!f_.blocked.empty()) {
        out_ += fmt::format("{} more {} {} blocked behind {}. ", f_.blocked.size(),
                            count_of(f_.blocked.size(), noun())
                                .substr(std::to_string(f_.blocked.size()).size() + 1),
                            f_.blocked.size() == 1 ? "is" : "are",
                            f_.cycles.size() == 1 ? "it" : "them");
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
  void cycle_sentence(size_t index) {
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
  std::string taken(const HoldEdge& h) const {
    if (h.frame == kNone) return "";
    if (h.line != 0) return "taken at " + md_text(short_place(s_, h.frame, h.line));
    std::string place = short_place(s_, h.frame);
    return fmt::format("taken in {}{}", code(s_.str(s_.frames[h.frame].function)),
                       place.empty() ? "" : ", now at " + md_text(place));
  }

  void since_when() {
    std::optional<double> minutes, elapsed;
    for (const CycleMember& m : f_.cycles[0].members) {
      const Task& t = s_.tasks[m.task];
      if (t.parked_minutes) minutes = std::max(minutes.value_or(0), *t.parked_minutes);
      if (t.elapsed_seconds)
        elapsed = std::min(elapsed.value_or(*t.elapsed_seconds), *t.elapsed_seconds);
    }
    std::string at =
        s_.taken_at_text.empty() ? "" : fmt::format(" ({})", md_text(s_.taken_at_text));
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
  void diff_since_when() {
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
        out_ +=
            fmt::format("It was already there in snapshot #{} of {}{}{}{}. ", c.first_position + 1,
                        d.snapshots.size(), snapshot_when(c.first_position), gap,
                        d.cycle_throughout(c) ? ", and in every snapshot since" : "");
      }
      return;
    }
  }

  // How long the waiters that can never wake had been parked, where the dump says.
  void stuck_since_when() {
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
      out_ += fmt::format("They had been parked for {} when the dump was taken. ",
                          minutes_words(*high));
    } else {
      out_ += fmt::format("They had been parked for {} to {} when the dump was taken. ",
                          minutes_words(*low), minutes_words(*high));
    }
  }

  void clean_summary(size_t total) {
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

  void unresolved_list() {
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

  // --- 2. trigger
  // ---------------------------------------------------------------------------------

  void trigger() {
    out_ += fmt::format("- **File:** {}\n", code(s_.source));
    out_ +=
        fmt::format("- **Format:** {}{}\n", code(s_.format),
                    o_.input_description.empty() ? "" : " (" + md_text(o_.input_description) + ")");
    out_ += fmt::format("- **Runtime:** {}\n",
                        s_.runtime.empty() ? "not printed in the dump" : md_text(s_.runtime));
    out_ +=
        fmt::format("- **Taken at:** {}\n", s_.taken_at_text.empty() ? "not printed in the dump"
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

  // --- 2. trigger: the timeline across snapshots ------------------------------------------------

  const Snapshot& snap(size_t p) const { return *o_.diff->snapshots[p].snapshot; }

  std::string snapshot_when(size_t p) const {
    const Diff& d = *o_.diff;
    std::string when;
    if (!snap(p).taken_at_text.empty()) when = " at " + md_text(snap(p).taken_at_text);
    if (p > 0 && d.minutes[p]) when += fmt::format(" (+{})", duration_words(*d.minutes[p]));
    return when;
  }

  // A group of the diff as a line of text: its frame and state ("main.fetchQuote main.go:139
  // [chan send]"); plain text, for the timeline block.
  std::string group_words(const GroupTrend& g) const {
    const Snapshot& s = snap(g.representative.snapshot);
    const Task& t = s.tasks[g.representative.task];
    uint32_t f = t.frame_count == 0     ? kNone
                 : t.app_frame != kNone ? t.first_frame + t.app_frame
                                        : t.first_frame;
    std::string words = f == kNone ? "(no stack)" : short_frame_label(s, f);
    if (t.state != kNoString) words += fmt::format(" [{}]", s.str(t.state));
    return words;
  }

  void timeline() {
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
      std::string where =
          s.first_line > 1 ? fmt::format("{}:{}", s.source, s.first_line) : s.source;
      out_ += fmt::format("- **#{}** {}{}: {}; {}, {} stuck\n", p + 1, code(where),
                          snapshot_when(p), count_of(task_total(s), s.task_noun),
                          count_of(f.cycles.size(), "cycle"), f.stuck.size());
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
      const Cycle& cycle =
          d.snapshots[c.first_position].findings->cycles[c.cycles[c.first_position]];
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
  void parked_throughout() {
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
                                           : md_code(last.str(last.frames[at].function), true) +
                                                 " " + md_text(short_place(last, at));
      out_ +=
          fmt::format("| {} | {} | {} | {} | {} |\n", md_text(task_label(last, p.tasks.back())),
                      md_code(lock_name(last, w.resource), true), frame_text,
                      p.at_least_seconds ? duration_words(*p.at_least_seconds / 60) : "not known",
                      p.in_cycle_throughout ? "yes, throughout" : "no");
    }
    if (longest.size() > o_.max_listed) out_ += "\n… (`dlanalyze diff` lists them all).\n";
  }

  // --- 3. cycle
  // -----------------------------------------------------------------------------------

  void cycle() {
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

  void cycle_table(size_t index) {
    const Cycle& c = f_.cycles[index];
    out_ += fmt::format("\n### Cycle {}: {}, {}, {}\n\n", index + 1,
                        info(f_.patterns.cycles[index]).name, count_of(c.members.size(), noun()),
                        to_string(c.confidence));
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

  void stuck_table() {
    if (f_.stuck.empty()) return;
    out_ += fmt::format("\n### Waiting forever: {}\n\n", count_of(f_.stuck.size(), noun()));
    out_ += fmt::format(
        "| {} | Waits for | Blocking frame | Why it can never wake | Evidence | Pattern |\n",
        Noun());
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
  const std::vector<std::vector<size_t>>& stuck_bunches() const {
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
  std::string stuck_evidence(const StuckWaiter& w) const {
    if (w.evidence == Evidence::kInferred) return "inferred from the program's source";
    const ReasonWords* r = reason_row(w.reason, s_.format);
    return r ? std::string(r->known_by) : evidence_words(w.evidence);
  }

  // Suspects bunched by (kind of wait, place): a leak of 500 senders is one row.
  std::vector<std::vector<size_t>> suspect_bunches() const {
    std::vector<size_t> all(f_.long_parked.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    return bunch_by(all, [&](size_t i) {
      const WaitEdge& w = s_.waits[f_.long_parked[i].wait];
      return std::tuple(s_.resources[w.resource].kind, place_key(s_, w));
    });
  }

  void suspects_table() {
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

  // --- 4. detection
  // -------------------------------------------------------------------------------

  void detection() {
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

  void parked() {
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

  void warnings() {
    if (s_.warnings.empty() && f_.warnings.empty()) return;
    out_ += "\n**Warnings.**\n\n";
    size_t n = 0;
    for (const auto* list : {&s_.warnings, &f_.warnings}) {
      for (const Warning& w : *list) {
        if (n++ == o_.max_listed) break;
        out_ += fmt::format("- {}{}\n", w.where.empty() ? "" : code(w.where) + ": ",
                            md_text(w.message));
      }
    }
  }

  // --- 5. diagnosis
  // -------------------------------------------------------------------------------

  void diagnosis() {
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

  void diagnose(TaskIndex t) {
    out_ += fmt::format("\n### {}\n\n", task(t));
    std::vector<uint32_t> holds;
    if (auto it = holds_of_.find(t); it != holds_of_.end()) holds = it->second;
    out_ += diagnose_task(s_, t, wait_of_[t], holds, o_.sources);
  }

  // --- 6–9. root cause, patch, prevention, tests
  // ---------------------------------------------------

  struct Finding {
    enum class Of : uint8_t { kCycle, kStuck, kSuspects } of = Of::kCycle;
    std::string heading;  // "Cycle 1", "goroutine 19", "500 goroutines (19, 20, 21, …)"
    AdviceInput advice;
    std::string never_wakes;  // why a stuck waiter can never wake, in words
  };

  // Every cycle, stuck waiter and bunch of suspects, with the names its advice needs.
  std::vector<Finding> named_findings() const {
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

  AdviceInput wait_advice(Pattern p, const std::vector<TaskIndex>& tasks, uint32_t wait) const {
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

  void root_cause() {
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

  void patch() {
    out_ += "*Suggested from the pattern and the names in the dump; check it against the code.*\n";
    for (const Finding& finding : named_findings()) {
      out_ += fmt::format("\n**{}: {}.** ", finding.heading, info(finding.advice.pattern).name);
      out_ += patch_markdown(finding.advice);
    }
  }

  void prevention() {
    std::set<std::pair<Pattern, Language>> done;
    for (const Finding& finding : named_findings()) {
      auto key = std::pair(finding.advice.pattern, finding.advice.language);
      if (!done.insert(key).second) continue;
      out_ += fmt::format("**Against {} ({}):**\n\n", info(key.first).name, to_string(key.second));
      out_ += guard_markdown(key.first, key.second) + "\n";
    }
  }

  void tests() {
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

  // --- short report
  // -------------------------------------------------------------------------------

  void doing() {
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

  mutable std::optional<std::vector<std::vector<size_t>>> stuck_bunches_;
  const Snapshot& s_;
  const Findings& f_;
  const ReportOptions& o_;
  std::unordered_map<TaskIndex, std::vector<uint32_t>> holds_of_;
  std::vector<uint32_t> wait_of_;  // per task: its first wait edge, or kNone
  std::string out_;
};

}  // namespace

std::string render_report(const Snapshot& s, const Findings& f, const ReportOptions& options) {
  return ReportWriter(s, f, options).run();
}

}  // namespace dla
