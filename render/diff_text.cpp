#include "render/diff_text.h"

#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "render/describe.h"

namespace dla {

namespace {

std::string paint(bool on, fmt::text_style style, std::string_view s) {
  return on ? fmt::format(style, "{}", s) : std::string(s);
}

// "3 → 5 → 9"
template <typename T, typename F>
std::string arrows(const std::vector<T>& values, F&& show) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) out += (i ? " → " : "") + show(values[i]);
  return out;
}

std::string minutes_text(double minutes) {
  if (minutes < 1) return fmt::format("{:.0f} s", minutes * 60);
  if (minutes < 120) return fmt::format("{:.1f} min", minutes);
  return fmt::format("{:.1f} h", minutes / 60);
}

class DiffTextWriter {
 public:
  DiffTextWriter(const Diff& d, const DiffTextOptions& o) : d_(d), o_(o) {}

  std::string run() {
    header();
    cycles();
    leaks();
    parked();
    other_trends();
    changes();
    if (d_.idle_throughout > 0) {
      out_ += fmt::format(
          "idle: {} in the same select, channel, condition, sleep or I/O wait in every snapshot "
          "(how idle workers wait; not listed one by one)\n",
          count_of(d_.idle_throughout, noun()));
    }
    return std::move(out_);
  }

 private:
  const Snapshot& snap(size_t p) const { return *d_.snapshots[p].snapshot; }
  const Findings& findings(size_t p) const { return *d_.snapshots[p].findings; }
  std::string noun() const { return snap(0).task_noun; }
  size_t n() const { return d_.snapshots.size(); }
  std::string bad(std::string_view s) const {
    return paint(o_.color, fmt::emphasis::bold | fg(fmt::terminal_color::red), s);
  }
  std::string warn(std::string_view s) const {
    return paint(o_.color, fmt::emphasis::bold | fg(fmt::terminal_color::yellow), s);
  }
  std::string good(std::string_view s) const {
    return paint(o_.color, fmt::emphasis::bold | fg(fmt::terminal_color::green), s);
  }
  std::string throughout() const {
    return n() == 2 ? "in both snapshots" : fmt::format("in all {} snapshots", n());
  }

  void header() {
    static constexpr const char* kBasis[] = {
        "in the order of the times the dumps printed",
        "ordered by how long goroutines had been parked (a hint: no dump printed its time)",
        "ordered by the files' modification times (no dump printed its time)",
        "in argument order (no dump printed its time)"};
    std::string verdict;
    switch (d_.verdict()) {
      case Diff::Verdict::kDeadlock:
        verdict = bad("DEADLOCK THROUGHOUT");
        break;
      case Diff::Verdict::kLeak:
        verdict = bad("LEAK");
        break;
      case Diff::Verdict::kParked:
        verdict = warn("PARKED THROUGHOUT");
        break;
      case Diff::Verdict::kClean:
        verdict = good("nothing stuck over time");
        break;
    }
    out_ += fmt::format("{}: {} {} snapshots, {}\n", verdict, n(), noun(),
                        kBasis[static_cast<int>(d_.order_by)]);
    for (size_t p = 0; p < n(); ++p) {
      const Snapshot& s = snap(p);
      size_t tasks = 0;
      for (const Task& t : s.tasks) tasks += t.count;
      std::string where =
          s.first_line > 1 ? fmt::format("{}:{}", s.source, s.first_line) : s.source;
      std::string when;
      if (!s.taken_at_text.empty()) when = " at " + s.taken_at_text;
      if (d_.minutes[p] && p > 0) when += fmt::format(" (+{})", minutes_text(*d_.minutes[p]));
      out_ += fmt::format("  #{} {}{}: {}{}\n", p + 1, where, when, count_of(tasks, noun()),
                          s.damaged ? warn("  (partial: input damaged)") : "");
    }
  }

  std::string cycle_text(const CycleTrend& c) const {
    const Snapshot& s = snap(c.first_position);
    const Cycle& cycle = findings(c.first_position).cycles[c.cycles[c.first_position]];
    std::string members;
    for (const CycleMember& m : cycle.members) members += task_label(s, m.task) + " → ";
    return members + task_label(s, cycle.members.front().task);
  }

  void cycles() {
    for (const CycleTrend& c : d_.cycles) {
      if (d_.cycle_throughout(c)) {
        out_ += fmt::format("{}: {} {}\n", bad("deadlock"), cycle_text(c), throughout());
        continue;
      }
      std::string where;
      for (size_t p = 0; p < n(); ++p) {
        if (c.cycles[p] != kNone) where += fmt::format("{}#{}", where.empty() ? "" : ", ", p + 1);
      }
      out_ += fmt::format(
          "{}: {} only in {} of {} snapshots ({}): a cycle that passes is contention, not a "
          "deadlock\n",
          warn("contention"), cycle_text(c), c.seen_in, n(), where);
    }
  }

  std::string group_text(const GroupTrend& g) const {
    const Snapshot& s = snap(g.representative.snapshot);
    const Task& t = s.tasks[g.representative.task];
    uint32_t frame = t.frame_count == 0     ? kNone
                     : t.app_frame != kNone ? t.first_frame + t.app_frame
                                            : t.first_frame;
    std::string state = t.state == kNoString ? "" : fmt::format(" [{}]", s.str(t.state));
    std::string rate = g.per_minute ? fmt::format(", {:+.1f}/min", *g.per_minute) : "";
    return fmt::format("{}{}: {} {} ({:+}{}; e.g. {})", frame_label(s, frame), state,
                       arrows(g.counts, [](uint32_t c) { return std::to_string(c); }), noun() + "s",
                       g.growth, rate, task_label(s, g.representative.task));
  }

  void leaks() {
    size_t shown = 0;
    for (const GroupTrend& g : d_.grown) {
      if (!d_.is_leak(g)) continue;
      if (o_.max_listed && shown++ == o_.max_listed) {
        out_ += "  … (--output-format json lists them all)\n";
        break;
      }
      out_ += fmt::format("{}: {}\n", bad("leak"), group_text(g));
    }
  }

  void parked() {
    size_t shown = 0;
    for (const ParkedThroughout& p : d_.parked) {
      if (o_.max_listed && shown++ == o_.max_listed) {
        out_ += fmt::format("  … and {} more (--output-format json lists them all)\n",
                            d_.parked.size() - o_.max_listed);
        break;
      }
      const Snapshot& s = snap(n() - 1);
      const WaitEdge& w = s.waits[p.waits.back()];
      uint32_t frame = w.app_frame != kNone ? w.app_frame : w.frame;
      out_ += fmt::format("{}: {} waits for {} at {} {}{}{}\n", warn("parked"),
                          task_label(s, p.tasks.back()), resource_label(s, w.resource),
                          frame_label(s, frame), throughout(), how_long(p),
                          p.in_cycle_throughout ? "; in a cycle throughout" : "");
    }
  }

  // ", parked <1 → 1 → 2 min (at least 2.0 min)" from the runtime's counts where it prints them.
  std::string how_long(const ParkedThroughout& p) const {
    std::vector<const Task*> tasks;
    bool minutes = false, elapsed = false;
    for (size_t i = 0; i < n(); ++i) {
      tasks.push_back(&snap(i).tasks[p.tasks[i]]);
      minutes = minutes || tasks.back()->parked_minutes;
      elapsed = elapsed || tasks.back()->elapsed_seconds;
    }
    std::string out;
    if (minutes) {
      out = ", parked " +
            arrows(tasks,
                   [](const Task* t) {
                     return t->parked_minutes ? fmt::format("{:g}", *t->parked_minutes) : "<1";
                   }) +
            " min";
    } else if (elapsed) {
      out = ", thread alive " +
            arrows(tasks,
                   [](const Task* t) {
                     return t->elapsed_seconds ? fmt::format("{:g}", *t->elapsed_seconds) : "?";
                   }) +
            " s";
    }
    if (p.at_least_seconds)
      out += fmt::format(" (at least {})", minutes_text(*p.at_least_seconds / 60));
    return out;
  }

  // Groups of running tasks that rose, and groups that fell, one line each; a change by one
  // task is not yet a trend (a request in flight, a runtime goroutine one dump level shows).
  void other_trends() {
    for (const GroupTrend& g : d_.grown) {
      if (!d_.is_leak(g) && g.growth >= Diff::kLeakMinGrowth) {
        out_ += fmt::format("grown: {}\n", group_text(g));
      }
    }
    for (const GroupTrend& g : d_.shrunk) {
      if (-g.growth >= Diff::kLeakMinGrowth) out_ += fmt::format("shrunk: {}\n", group_text(g));
    }
  }

  // One line per step and direction, with the biggest stacks among the tasks that changed.
  void changes() {
    if (!d_.tasks_have_identity) return;
    for (size_t p = 1; p < n(); ++p) {
      change_line("new", p, d_.appeared);
      change_line("gone", p, d_.vanished);
    }
  }

  void change_line(std::string_view word, size_t position, const std::vector<TaskChange>& list) {
    std::map<std::string, size_t> by_function;  // where the changed tasks stand → how many
    size_t total = 0;
    for (const TaskChange& c : list) {
      if (c.position != position) continue;
      ++total;
      const Snapshot& s = snap(c.task.snapshot);
      const Task& t = s.tasks[c.task.task];
      uint32_t frame = t.app_frame != kNone ? t.app_frame : 0;
      ++by_function[t.frame_count == 0
                        ? std::string("(no stack)")
                        : std::string(s.str(s.frames[t.first_frame + frame].function))];
    }
    if (total == 0) return;
    std::vector<std::pair<size_t, std::string>> biggest;
    for (const auto& [function, count] : by_function) biggest.push_back({count, function});
    std::stable_sort(biggest.begin(), biggest.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::string top;
    for (size_t i = 0; i < biggest.size() && i < 3; ++i) {
      top += fmt::format("{}{} in {}", i ? ", " : "", biggest[i].first, biggest[i].second);
    }
    if (biggest.size() > 3) top += ", …";
    out_ += fmt::format("{} #{}→#{}: {} ({})\n", word, position, position + 1,
                        count_of(total, noun()), top);
  }

  const Diff& d_;
  const DiffTextOptions& o_;
  std::string out_;
};

}  // namespace

std::string render_diff_text(const Diff& d, const DiffTextOptions& options) {
  return DiffTextWriter(d, options).run();
}

}  // namespace dla
