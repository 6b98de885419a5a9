#include "render/text.h"

#include <fmt/color.h>
#include <fmt/format.h>

#include "render/describe.h"

namespace dla {

namespace {

// Colours, used only when TextOptions::color is set (a terminal, or --color=always).
class Palette {
 public:
  explicit Palette(bool on) : on_(on) {}
  std::string bad(std::string_view s) const {
    return paint(s, fmt::emphasis::bold | fg(fmt::terminal_color::red));
  }
  std::string warn(std::string_view s) const {
    return paint(s, fmt::emphasis::bold | fg(fmt::terminal_color::yellow));
  }
  std::string good(std::string_view s) const {
    return paint(s, fmt::emphasis::bold | fg(fmt::terminal_color::green));
  }
  std::string task(std::string_view s) const { return paint(s, fmt::emphasis::bold); }
  std::string lock(std::string_view s) const { return paint(s, fg(fmt::terminal_color::cyan)); }
  std::string dim(std::string_view s) const { return paint(s, fmt::emphasis::faint); }

 private:
  std::string paint(std::string_view s, fmt::text_style style) const {
    return on_ ? fmt::format(style, "{}", s) : std::string(s);
  }
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
    if (f_.verdict() == Findings::Verdict::kClean) groups();
    return std::move(out_);
  }

 private:
  std::string noun() const { return s_.task_noun; }

  void summary() {
    std::string verdict;
    switch (f_.verdict()) {
      case Findings::Verdict::kDeadlock:
        verdict = p_.bad("DEADLOCK");
        break;
      case Findings::Verdict::kStuck:
        verdict = p_.warn("STUCK");
        break;
      case Findings::Verdict::kClean:
        if (!s_.records_locks) {
          verdict = p_.warn("no deadlock visible (this dump records no locks)");
        } else if (!f_.unresolved.empty()) {
          verdict = p_.warn("no deadlock proven (lock holders unknown)");
        } else {
          verdict = p_.good("no deadlock");
        }
        break;
    }
    size_t tasks = 0;
    for (const Task& t : s_.tasks) tasks += t.count;
    std::string source = s_.format;
    if (!s_.runtime.empty()) source += ", " + s_.runtime;
    out_ += fmt::format("{}: {}, {}, {} stuck, {} blocked behind a cycle  [{}: {}]{}\n", verdict,
                        count_of(tasks, noun()), count_of(f_.cycles.size(), "cycle"),
                        f_.stuck.size(), f_.blocked.size(), s_.source, source,
                        s_.damaged ? p_.warn("  (partial: input damaged)") : "");
  }

  std::string task_with_state(TaskIndex t) const {
    const Task& task = s_.tasks[t];
    std::string details;
    if (task.lwp) details = fmt::format("lwp {}", *task.lwp);
    if (task.state != kNoString) {
      details += fmt::format("{}{}", details.empty() ? "" : ", ", s_.str(task.state));
    }
    return details.empty() ? p_.task(task_label(s_, t))
                           : fmt::format("{} ({})", p_.task(task_label(s_, t)), details);
  }

  // Where a wait shows: the application frame, and the runtime frame it is parked in.
  std::string wait_place(const WaitEdge& w) const {
    if (w.app_frame == kNone || w.app_frame == w.frame) return frame_label(s_, w.frame);
    return fmt::format("{}, in {}", frame_label(s_, w.app_frame),
                       s_.str(s_.frames[w.frame].function));
  }

  void cycle(size_t index) {
    const Cycle& c = f_.cycles[index];
    std::string agreement;
    if (c.declared_by_runtime) agreement = "; the runtime's own deadlock report agrees";
    out_ += fmt::format("\n{} {}: {}, {} ({}){}\n", p_.bad("Cycle"), index + 1,
                        count_of(c.members.size(), noun()), to_string(c.confidence),
                        evidence_words(c.weakest), agreement);
    for (size_t i = 0; i < c.members.size(); ++i) {
      const CycleMember& m = c.members[i];
      const WaitEdge& w = s_.waits[m.wait];
      out_ += fmt::format("  {}\n", task_with_state(m.task));
      out_ += fmt::format("      waits for   {}{}\n", p_.lock(resource_label(s_, m.resource)),
                          w.shared ? " (to read)" : "");
      out_ += fmt::format("      blocked at  {}\n", wait_place(w));
      if (m.hold == kNone) {
        // A reader queued behind a waiting writer of a writers-first rwlock.
        const WaitEdge& writer = s_.waits[m.queued_behind];
        out_ += fmt::format("      queued behind {}, which waits to write it  {}\n",
                            p_.task(task_label(s_, writer.task)),
                            p_.dim(fmt::format("[{}; new readers wait for waiting writers]",
                                               evidence_words(writer.evidence))));
        continue;
      }
      const HoldEdge& h = s_.holds[m.hold];
      std::string taken = h.frame == kNone
                              ? "the dump does not record where it was taken"
                              : fmt::format("taken at {}", frame_label(s_, h.frame, h.line));
      out_ += fmt::format("      held by     {}{}, {}  {}\n", p_.task(task_label(s_, h.task)),
                          h.shared ? " (reading)" : "", taken,
                          p_.dim(fmt::format("[{}]", evidence_words(h.evidence))));
    }
  }

  void stuck() {
    if (f_.stuck.empty()) return;
    out_ += fmt::format("\n{}: {} that can never wake\n", p_.warn("Stuck"),
                        count_of(f_.stuck.size(), "waiter"));
    size_t shown = 0;
    for (const StuckWaiter& w : f_.stuck) {
      if (o_.max_listed && shown++ == o_.max_listed) {
        out_ += fmt::format("  … and {} more (--output-format json lists them all)\n",
                            f_.stuck.size() - o_.max_listed);
        break;
      }
      std::string how = w.evidence == Evidence::kInferred
                            ? "  " + p_.dim("[inferred from the program's source]")
                            : "";
      out_ += fmt::format("  {} waits for {} ({}) at {}{}\n", p_.task(task_label(s_, w.task)),
                          p_.lock(resource_label(s_, w.resource)), w.reason,
                          wait_place(s_.waits[w.wait]), how);
    }
  }

  void blocked() {
    for (size_t c = 0; c < f_.cycles.size(); ++c) {
      size_t total = 0;
      for (const BlockedWaiter& b : f_.blocked) total += b.cycle == c;
      if (total == 0) continue;
      out_ += fmt::format("\nBlocked behind cycle {}: {}\n", c + 1, count_of(total, noun()));
      size_t shown = 0;
      for (const BlockedWaiter& b : f_.blocked) {
        if (b.cycle != c) continue;
        if (o_.max_listed && shown++ == o_.max_listed) {
          out_ += fmt::format("  … and {} more (--output-format json lists them all)\n",
                              total - o_.max_listed);
          break;
        }
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
        out_ +=
            fmt::format("  {} waits for {} held by {}, at {}{}\n", p_.task(task_label(s_, b.task)),
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
      if (o_.max_listed && shown++ == o_.max_listed) {
        out_ += "  … (--output-format json lists them all)\n";
        break;
      }
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

  void long_parked() {
    if (f_.long_parked.empty()) return;
    out_ += fmt::format("\nParked for minutes (suspects, not certain): {}\n",
                        count_of(f_.long_parked.size(), noun()));
    size_t shown = 0;
    for (const LongParked& l : f_.long_parked) {
      if (o_.max_listed && shown++ == o_.max_listed) {
        out_ += fmt::format("  … and {} more (--output-format json lists them all)\n",
                            f_.long_parked.size() - o_.max_listed);
        break;
      }
      out_ +=
          fmt::format("  {} for {} min on {}, at {}\n", p_.task(task_label(s_, l.task)), l.minutes,
                      p_.lock(resource_label(s_, l.resource)), wait_place(s_.waits[l.wait]));
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
