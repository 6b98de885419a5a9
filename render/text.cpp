#include "render/text.h"

#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "render/describe.h"
#include "render/palette.h"

namespace dla {

namespace {

// Colours, used only when TextOptions::color is set (a terminal, or --color=always): each role
// looks as render/palette says, the same as in the DOT picture and the HTML report.
class Palette {
 public:
  explicit Palette(bool on) : on_(on) {}
  std::string operator()(Role role, std::string_view s) const { return paint(role, s, on_); }
  std::string task(std::string_view s) const {
    return on_ ? fmt::format(fmt::emphasis::bold, "{}", s) : std::string(s);
  }
  std::string lock(std::string_view s) const { return paint(Role::kLock, s, on_); }
  std::string dim(std::string_view s) const {
    return on_ ? fmt::format(fmt::emphasis::faint, "{}", s) : std::string(s);
  }

 private:
  bool on_;
};

class TextWriter {
 public:
  TextWriter(const Snapshot& s, const Findings& f, const TextOptions& o)
      : s_(s), f_(f), o_(o), p_(o.color) {}

  std::string run() {
    summary();
    for (size_t c = 0; c < f_.cycles.size(); ++c) cycle(c);
    stuck();
    blocked();
    unresolved();
    long_parked();
    // Nothing found (whether or not that is proven): the groups are the picture of the process.
    Findings::Verdict v = f_.verdict();
    if (v == Findings::Verdict::kClean || v == Findings::Verdict::kUnproven) groups();
    return std::move(out_);
  }

 private:
  std::string noun() const { return s_.task_noun; }

  void summary() {
    VerdictWords v = verdict_words(s_, f_);
    std::string verdict = p_(v.role, v.words);
    size_t tasks = task_total(s_);
    std::string source = s_.format;
    if (!s_.runtime.empty()) source += ", " + s_.runtime;
    out_ += fmt::format("{}: {}, {}, {} stuck, {} blocked behind a cycle  [{}: {}]{}\n", verdict,
                        count_of(tasks, noun()), count_of(f_.cycles.size(), "cycle"),
                        f_.stuck.size(), f_.blocked.size(), s_.source, source,
                        s_.damaged ? p_(Role::kUncertain, "  (partial: input damaged)") : "");
  }

  // A cycle member with its LWP and state.
  std::string task_with_state(TaskIndex t) const {
    const Task& task = s_.tasks[t];
    std::string details;
    if (task.lwp) details = fmt::format("lwp {}", *task.lwp);
    if (task.state != kNoString) {
      details += fmt::format("{}{}", details.empty() ? "" : ", ", s_.str(task.state));
    }
    std::string label = p_(Role::kCycle, task_label(s_, t));
    return details.empty() ? label : fmt::format("{} ({})", label, details);
  }

  // Where a wait shows: the application frame, and the runtime frame it is parked in.
  std::string wait_place(const WaitEdge& w) const {
    if (w.app_frame == kNone || w.app_frame == w.frame) return frame_label(s_, w.frame);
    return fmt::format("{}, in {}", frame_label(s_, w.app_frame),
                       s_.str(s_.frames[w.frame].function));
  }

  // The pattern graph/patterns named, as " — lock-order inversion"; "" when it named none.
  static std::string pattern_suffix(std::optional<Pattern> p) {
    return p ? fmt::format(" — {}", info(*p).name) : "";
  }

  // "thread \"a\"" for one task, "5 threads (a, b, c, …)" for several.
  std::string who(Role role, const std::vector<TaskIndex>& tasks) const {
    if (tasks.size() == 1) return p_(role, task_label(s_, tasks[0]));
    return fmt::format("{} ({})", p_(role, count_of(tasks.size(), noun())),
                       abbreviated_ids(s_, tasks));
  }

  void cycle(size_t index) {
    const Cycle& c = f_.cycles[index];
    std::string agreement;
    if (c.declared_by_runtime) agreement = "; the runtime's own deadlock report agrees";
    out_ += fmt::format("\n{} {}: {}, {} ({}){}{}\n", p_(Role::kCycle, "Cycle"), index + 1,
                        count_of(c.members.size(), noun()), to_string(c.confidence),
                        evidence_words(c.weakest), agreement,
                        pattern_suffix(f_.patterns.cycles[index]));
    for (size_t i = 0; i < c.members.size(); ++i) {
      const CycleMember& m = c.members[i];
      const WaitEdge& w = s_.waits[m.wait];
      out_ += fmt::format("  {}\n", task_with_state(m.task));
      out_ += fmt::format("      waits for   {}{}\n",
                          p_(Role::kCycleLock, resource_label(s_, m.resource)),
                          w.shared ? " (to read)" : "");
      out_ += fmt::format("      blocked at  {}\n", wait_place(w));
      if (m.hold == kNone) {
        // A reader queued behind a waiting writer of a writers-first rwlock.
        const WaitEdge& writer = s_.waits[m.queued_behind];
        out_ += fmt::format("      queued behind {}, which waits to write it  {}\n",
                            p_(Role::kCycle, task_label(s_, writer.task)),
                            p_.dim(fmt::format("[{}; new readers wait for waiting writers]",
                                               evidence_words(writer.evidence))));
        continue;
      }
      const HoldEdge& h = s_.holds[m.hold];
      std::string taken = h.frame == kNone
                              ? "the dump does not record where it was taken"
                              : fmt::format("taken at {}", frame_label(s_, h.frame, h.line));
      out_ += fmt::format("      held by     {}{}, {}  {}\n",
                          p_(Role::kCycle, task_label(s_, h.task)), h.shared ? " (reading)" : "",
                          taken, p_.dim(fmt::format("[{}]", evidence_words(h.evidence))));
    }
  }

  // Counts one more listed line of a section; once --max-listed lines are out, says where the
  // rest is and returns true (the caller stops listing).
  bool listed_enough(size_t& shown) {
    if (!o_.max_listed || shown++ != o_.max_listed) return false;
    out_ += "  … (--output-format json lists them all)\n";
    return true;
  }

  // Waiters that can never wake, one line per (kind of wait, reason, frame): a runtime that
  // declared 10,000 goroutines asleep on one channel makes one line.
  void stuck() {
    if (f_.stuck.empty()) return;
    out_ += fmt::format("\n{}: {} that can never wake\n", p_(Role::kStuck, "Stuck"),
                        count_of(f_.stuck.size(), "waiter"));
    auto bunches = stuck_bunches(s_, f_);
    size_t shown = 0;
    for (const std::vector<size_t>& members : bunches) {
      if (listed_enough(shown)) break;
      const StuckWaiter& w = f_.stuck[members[0]];
      std::vector<TaskIndex> tasks;
      for (size_t i : members) tasks.push_back(f_.stuck[i].task);
      auto p = f_.patterns.stuck[members[0]];
      std::string on = tasks.size() == 1 ? resource_label(s_, w.resource)
                                         : std::string(to_string(s_.resources[w.resource].kind));
      std::string how = w.evidence == Evidence::kInferred
                            ? "  " + p_.dim("[inferred from the program's source]")
                            : "";
      out_ += fmt::format("  {} {} for {} ({}{}) at {}{}\n", who(Role::kStuck, tasks),
                          tasks.size() == 1 ? "waits" : "wait", p_.lock(on), w.reason,
                          p ? "; " + std::string(info(*p).name) : "", wait_place(s_.waits[w.wait]),
                          how);
    }
  }

  // Waiters behind a cycle, one line per (lock, holder, frame): a thousand waiters at one place
  // make one line, their ids abbreviated.
  void blocked() {
    for (size_t c = 0; c < f_.cycles.size(); ++c) {
      std::vector<size_t> of_cycle;
      for (size_t i = 0; i < f_.blocked.size(); ++i) {
        if (f_.blocked[i].cycle == c) of_cycle.push_back(i);
      }
      if (of_cycle.empty()) continue;
      out_ +=
          fmt::format("\nBlocked behind cycle {}: {}\n", c + 1, count_of(of_cycle.size(), noun()));
      auto bunches = bunch_by(of_cycle, [&](size_t i) {
        const BlockedWaiter& b = f_.blocked[i];
        return std::tuple(b.resource, b.holder, place_key(s_, s_.waits[b.wait]));
      });
      size_t shown = 0;
      for (const std::vector<size_t>& members : bunches) {
        if (listed_enough(shown)) break;
        const BlockedWaiter& b = f_.blocked[members[0]];
        std::vector<TaskIndex> tasks;
        for (size_t i : members) tasks.push_back(f_.blocked[i].task);
        // A holder inferred as the only thread that could still release the waiter (a Java
        // latch's countDown(), a Condition's signal()): say so, with the line of that call.
        std::string inferred;
        for (const HoldEdge& h : s_.holds) {
          if (h.resource != b.resource || h.task != b.holder || h.evidence != Evidence::kInferred ||
              h.frame == kNone) {
            continue;
          }
          const Frame& fr = s_.frames[h.frame];
          inferred = fmt::format(
              "  [inferred: the only thread whose code still reaches its "
              "release, at {}:{}]",
              s_.str(fr.file), h.line != 0 ? h.line : fr.line);
        }
        out_ += fmt::format("  {} {} for {} held by {}, at {}{}\n", who(Role::kBlocked, tasks),
                            tasks.size() == 1 ? "waits" : "wait",
                            p_.lock(resource_label(s_, b.resource)), task_label(s_, b.holder),
                            wait_place(s_.waits[b.wait]), inferred);
      }
    }
  }

  // Lock waiters whose holder is unknown, one line per lock.
  void unresolved() {
    if (f_.unresolved.empty()) return;
    out_ += fmt::format("\nWaiting for a lock whose holder is unknown: {}\n",
                        count_of(f_.unresolved.size(), noun()));
    size_t shown = 0;
    for (size_t i = 0; i < f_.unresolved.size();) {
      ResourceIndex r = f_.unresolved[i].resource;
      size_t end = i;
      while (end < f_.unresolved.size() && f_.unresolved[end].resource == r) ++end;
      if (listed_enough(shown)) break;
      std::string who;
      for (size_t k = i; k < end && k < i + 3; ++k) {
        who += fmt::format("{}{}", k == i ? "" : ", ", s_.str(s_.tasks[f_.unresolved[k].task].id));
      }
      if (end - i > 3) who += ", …";
      out_ +=
          fmt::format("  {}: {} ({}), at {}\n", p_.lock(resource_label(s_, r)),
                      count_of(end - i, noun()), who, wait_place(s_.waits[f_.unresolved[i].wait]));
      i = end;
    }
  }

  // Suspects, one line per place (frame and kind of wait): 500 leaked senders make one line.
  void long_parked() {
    if (f_.long_parked.empty()) return;
    out_ += fmt::format("\nParked for minutes (suspects, not certain): {}\n",
                        count_of(f_.long_parked.size(), noun()));
    std::vector<size_t> all(f_.long_parked.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    auto bunches = bunch_by(all, [&](size_t i) {
      const WaitEdge& w = s_.waits[f_.long_parked[i].wait];
      return std::tuple(s_.resources[w.resource].kind, place_key(s_, w));
    });
    size_t shown = 0;
    for (const std::vector<size_t>& members : bunches) {
      if (listed_enough(shown)) break;
      std::vector<TaskIndex> tasks;
      double low = f_.long_parked[members[0]].minutes, high = low;
      for (size_t i : members) {
        tasks.push_back(f_.long_parked[i].task);
        low = std::min(low, f_.long_parked[i].minutes);
        high = std::max(high, f_.long_parked[i].minutes);
      }
      const LongParked& l = f_.long_parked[members[0]];
      std::string minutes = low == high ? fmt::format("{}", low) : fmt::format("{}-{}", low, high);
      std::string on = tasks.size() == 1 ? resource_label(s_, l.resource)
                                         : std::string(to_string(s_.resources[l.resource].kind));
      out_ += fmt::format("  {} for {} min on {}, at {}{}\n", who(Role::kUncertain, tasks), minutes,
                          p_.lock(on), wait_place(s_.waits[l.wait]),
                          pattern_suffix(f_.patterns.suspects[members[0]]));
    }
  }

  void groups() {
    const auto& groups = f_.groups.groups;
    out_ += fmt::format("\n{} in {} of identical stacks:\n", count_of(s_.tasks.size(), noun()),
                        count_of(groups.size(), "group"));
    size_t limit = o_.max_groups == 0 ? groups.size() : std::min(o_.max_groups, groups.size());
    for (size_t g = 0; g < limit; ++g) group(groups[g]);
    if (limit < groups.size()) {
      size_t more = groups.size() - limit;
      out_ += fmt::format("  … and {} more {} (--max-groups 0 shows all)\n", more,
                          more == 1 ? "group" : "groups");
    }
  }

  void group(const Group& g) {
    std::string state(s_.str(g.state));
    if (g.min_parked_minutes) {
      state += *g.min_parked_minutes == *g.max_parked_minutes
                   ? fmt::format(", {} min", *g.min_parked_minutes)
                   : fmt::format(", {}-{} min", *g.min_parked_minutes, *g.max_parked_minutes);
    }
    if (!state.empty()) state += "  ";
    // Named tasks (threads) by name; numbered ones (goroutines) as "goroutines 19, 20, …".
    std::string members;
    const Task& first = s_.tasks[g.tasks[0]];
    if (first.name == kNoString || s_.str(first.name) != s_.str(first.id)) {
      members = noun() + (g.tasks.size() > 1 ? "s " : " ");
    }
    for (size_t i = 0; i < g.tasks.size() && i < 3; ++i) {
      members += fmt::format("{}{}", i ? ", " : "", s_.str(s_.tasks[g.tasks[i]].id));
    }
    if (g.tasks.size() > 3) members += ", …";
    out_ +=
        fmt::format("\n  {:>5}  {}{}\n", p_.task(std::to_string(g.count)), state, p_.dim(members));
    const Task& t = s_.tasks[g.first];
    constexpr uint32_t kTopFrames = 5;
    for (uint32_t i = 0; i < t.frame_count && i < kTopFrames; ++i) {
      out_ += fmt::format("         {}\n", frame_label(s_, t.first_frame + i));
    }
    if (t.frame_count > kTopFrames) {
      uint32_t more = t.frame_count - kTopFrames;
      out_ +=
          fmt::format("         {}\n",
                      p_.dim(fmt::format("… {} more {}", more, more == 1 ? "frame" : "frames")));
    }
    if (t.frame_count == 0) out_ += fmt::format("         {}\n", p_.dim("(no stack)"));
  }

  const Snapshot& s_;
  const Findings& f_;
  const TextOptions& o_;
  Palette p_;
  std::string out_;
};

}  // namespace

std::string render_text(const Snapshot& s, const Findings& f, const TextOptions& options) {
  return TextWriter(s, f, options).run();
}

}  // namespace dla
