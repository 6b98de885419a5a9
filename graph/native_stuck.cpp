#include "graph/native_stuck.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>
#include <vector>

#include "graph/analysis.h"
#include "graph/resolve_glibc.h"
#include "graph/snapshot_builder.h"

namespace dla {

namespace {

// Frames that prove a condition wait without a timeout (glibc 2.17–2.36, libstdc++, libc++,
// C11 threads). __pthread_cond_wait_common is not one: the timed waits run it too.
constexpr std::array<std::string_view, 7> kUntimedConditionWaits = {
    "pthread_cond_wait",
    "__pthread_cond_wait",
    "___pthread_cond_wait",
    "std::condition_variable::wait",
    "std::__1::condition_variable::wait",
    "__gthread_cond_wait",
    "cnd_wait",
};

// Parts of a frame's function that make a wait or a lock a timed one: it ends by itself, and the
// thread runs on. (Not "timed" alone: glibc's __futex_abstimed_wait_common serves every wait.)
constexpr std::array<std::string_view, 12> kTimedWords = {
    "timedwait",   "clockwait",   "timedlock",  "clocklock", "timedrdlock",  "timedwrlock",
    "clockrdlock", "clockwrlock", "wait_until", "wait_for",  "try_lock_for", "__do_timed_wait",
};

// The join's resource (graph/native_waits): a condition of this type, held by the joined thread.
constexpr std::string_view kJoinType = "pthread_t";

class ConditionWaits {
 public:
  explicit ConditionWaits(Snapshot& s) : s_(s), b_(s) {}

  void run() {
    if (s_.damaged || !lists_every_thread()) return;
    std::vector<uint32_t> candidates;
    for (uint32_t i = 0; i < s_.waits.size(); ++i) {
      if (untimed_condition_wait(s_.waits[i])) candidates.push_back(i);
    }
    if (candidates.empty()) return;
    index();
    Findings f = analyze(s_);
    std::vector<bool> in_cycle(s_.tasks.size(), false);
    for (const Cycle& c : f.cycles) {
      for (const CycleMember& m : c.members) in_cycle[m.task] = true;
    }
    for (uint32_t i : candidates) {
      WaitEdge& w = s_.waits[i];
      std::vector<bool> cannot_run = in_cycle;
      cannot_run[w.task] = true;
      if (!nobody_else_can_run(cannot_run)) continue;
      w.never_wakes = b_.intern("condition-never-signalled");
      w.never_wakes_evidence = weakest_hold(in_cycle, w.task);
    }
  }

 private:
  // A core holds every thread; gdb numbers a process's threads 1..N, so a gap (or a text that
  // does not number them) may be a fragment, in which the signaller may be missing.
  bool lists_every_thread() const {
    if (s_.format == "core") return true;
    std::vector<bool> seen(s_.tasks.size() + 1, false);
    for (const Task& t : s_.tasks) {
      std::string_view id = s_.str(t.id);
      size_t n = 0;
      auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
      if (ec != std::errc() || end != id.data() + id.size() || n == 0 || n >= seen.size() ||
          seen[n]) {
        return false;
      }
      seen[n] = true;
    }
    return true;
  }

  bool frame_says(uint32_t first, uint32_t end, auto&& words) const {
    for (uint32_t k = first; k < end; ++k) {
      std::string_view fn = glibc::normalize_function(s_.str(s_.frames[k].function));
      for (std::string_view word : words) {
        if (fn == word) return true;
      }
    }
    return false;
  }

  bool timed(const Task& t) const {
    for (uint32_t k = t.first_frame; k < t.first_frame + t.frame_count; ++k) {
      std::string_view fn = s_.str(s_.frames[k].function);
      for (std::string_view word : kTimedWords) {
        if (fn.find(word) != std::string_view::npos) return true;
      }
    }
    return false;
  }

  bool untimed_condition_wait(const WaitEdge& w) const {
    const Resource& r = s_.resources[w.resource];
    if (r.kind != ResourceKind::kCondition || s_.str(r.type) == kJoinType) return false;
    if (w.never_wakes != kNoString) return false;
    const Task& t = s_.tasks[w.task];
    if (timed(t)) return false;
    return frame_says(t.first_frame, t.first_frame + t.frame_count, kUntimedConditionWaits);
  }

  void index() {
    holders_.assign(s_.resources.size(), {});
    for (const HoldEdge& h : s_.holds) holders_[h.resource].push_back(h.task);
    wait_of_.assign(s_.tasks.size(), kNone);
    waits_of_.assign(s_.tasks.size(), 0);
    for (uint32_t i = 0; i < s_.waits.size(); ++i) {
      TaskIndex t = s_.waits[i].task;
      if (waits_of_[t]++ == 0) wait_of_[t] = i;
    }
  }

  // A task that waits for a mutex or a join whose every holder cannot run, cannot run either: the
  // holders alone end those waits. (Not a read/write lock: its readers are not always known.)
  bool waits_behind(TaskIndex t, const std::vector<bool>& cannot_run) const {
    if (waits_of_[t] != 1 || timed(s_.tasks[t])) return false;
    const WaitEdge& w = s_.waits[wait_of_[t]];
    const Resource& r = s_.resources[w.resource];
    bool join = r.kind == ResourceKind::kCondition && s_.str(r.type) == kJoinType;
    if (r.kind != ResourceKind::kMutex && !join) return false;
    const std::vector<TaskIndex>& holders = holders_[w.resource];
    if (holders.empty()) return false;
    for (TaskIndex h : holders) {
      if (!cannot_run[h]) return false;
    }
    return true;
  }

  // Grows `cannot_run` to its fixpoint; true when it then holds every task.
  bool nobody_else_can_run(std::vector<bool>& cannot_run) const {
    for (bool grew = true; grew;) {
      grew = false;
      for (TaskIndex t = 0; t < s_.tasks.size(); ++t) {
        if (!cannot_run[t] && waits_behind(t, cannot_run)) cannot_run[t] = grew = true;
      }
    }
    for (bool c : cannot_run) {
      if (!c) return false;
    }
    return true;
  }

  // As certain as the holds that keep the others waiting: exact where every holder was read from
  // memory or from a join's argument, inferred where one came from the program's source.
  Evidence weakest_hold(const std::vector<bool>& in_cycle, TaskIndex waiter) const {
    Evidence weakest = Evidence::kMemory;
    for (TaskIndex t = 0; t < s_.tasks.size(); ++t) {
      if (t == waiter || in_cycle[t]) continue;
      for (const HoldEdge& h : s_.holds) {
        if (h.resource != s_.waits[wait_of_[t]].resource) continue;
        Evidence e = h.evidence == Evidence::kSource ? Evidence::kInferred : h.evidence;
        weakest = std::max(weakest, e);
      }
    }
    return weakest;
  }

  Snapshot& s_;
  SnapshotBuilder b_;
  std::vector<std::vector<TaskIndex>> holders_;
  std::vector<uint32_t> wait_of_;
  std::vector<uint32_t> waits_of_;
};

}  // namespace

void infer_native_stuck_waiters(Snapshot& s) {
  if (s.family != RuntimeFamily::kNative) return;
  ConditionWaits(s).run();
}

}  // namespace dla
