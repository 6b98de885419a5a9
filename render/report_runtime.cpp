#include "render/report_runtime.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "render/describe.h"
#include "render/escape.h"

namespace dla {

namespace {

// Go: checkdead (runtime/proc.go) reports only when no goroutine can run; a goroutine in the
// network poller, a timer, a system call or cgo counts as one that can.
std::string go_silence(const Snapshot& s, const Findings& f) {
  for (const StuckWaiter& w : f.stuck) {
    if (w.reason == "runtime-declared-deadlock") {
      return "It did not: the Go runtime detected this hang itself and printed `fatal error: all "
             "goroutines are asleep - deadlock!`, which it does only when no goroutine at all "
             "can run.\n";
    }
  }
  std::string out =
      "Go's detector (`checkdead`) fires only when no goroutine at all can run. A goroutine "
      "waiting on the network poller, a timer, a system call or cgo counts as able to run, so "
      "one listener is enough to keep it quiet.";
  // The goroutines that kept the process "alive": no wait, or a wait on I/O or a timer.
  std::vector<uint32_t> wait_of(s.tasks.size(), kNone);
  for (uint32_t w = 0; w < s.waits.size(); ++w) wait_of[s.waits[w].task] = w;
  std::vector<TaskIndex> alive;
  for (TaskIndex t = 0; t < s.tasks.size(); ++t) {
    ResourceKind k =
        wait_of[t] == kNone ? ResourceKind::kIo : s.resources[s.waits[wait_of[t]].resource].kind;
    if (k == ResourceKind::kIo || k == ResourceKind::kSleep) alive.push_back(t);
  }
  if (alive.empty()) return out + "\n";
  out += " In this dump:\n\n";
  auto bunches = bunch_by(alive, [&](TaskIndex t) { return f.groups.group_of[t]; });
  for (size_t i = 0; i < bunches.size() && i < 5; ++i) {
    const std::vector<TaskIndex>& tasks = bunches[i];
    const Task& first = s.tasks[tasks[0]];
    std::string who = tasks.size() == 1
                          ? md_text(task_label(s, tasks[0]))
                          : fmt::format("{} ({})", count_of(tasks.size(), s.task_noun),
                                        md_text(abbreviated_ids(s, tasks)));
    std::string where = "(no stack)";
    if (first.frame_count > 0) {
      uint32_t top = first.first_frame + (first.app_frame == kNone ? 0 : first.app_frame);
      std::string place = short_place(s, top);
      where = md_code(s.str(s.frames[top].function)) + (place.empty() ? "" : " " + md_text(place));
    }
    out += fmt::format("- {}{} at {}\n", who,
                       first.state == kNoString ? "" : " " + md_code(s.str(first.state)), where);
  }
  if (bunches.size() > 5) out += fmt::format("- … {} more groups\n", bunches.size() - 5);
  return out;
}

// HotSpot: the deadlock section of a complete dump lists monitor and ownable-synchronizer cycles.
std::string jvm_silence(const Snapshot& s, const Findings& f) {
  bool declared = std::any_of(f.cycles.begin(), f.cycles.end(),
                              [](const Cycle& c) { return c.declared_by_runtime; });
  if (declared) {
    return "It did not: HotSpot's own detection found the cycle too (the dump's `Found one "
           "Java-level deadlock` section). It reports only cycles of monitors and ownable "
           "synchronizers (ReentrantLock and the like), which is what this one is made of, and "
           "nothing in the JVM acts on the report.\n";
  }
  if (s.runtime_checked_deadlocks) {
    return "HotSpot's own detection printed no deadlock: it reports only cycles of monitors and "
           "ownable synchronizers, and a thread waiting on anything else (a condition, a queue, "
           "a future) is invisible to it.\n";
  }
  return "This dump carries no result of HotSpot's own detection (it is cut short, or made "
         "without it).\n";
}

std::string native_silence(const Snapshot&, const Findings&) {
  return "glibc has no deadlock detection: a default pthread mutex waits forever. Only an "
         "error-checking mutex (`PTHREAD_MUTEX_ERRORCHECK`) returns `EDEADLK`, and only when a "
         "thread relocks its own mutex; `pthread_join` returns it only for a thread that joins "
         "itself.\n";
}

std::string unknown_silence(const Snapshot&, const Findings&) {
  return "The dump does not say which runtime made it.\n";
}

struct RuntimeRow {
  RuntimeFamily family;
  std::string_view no_wait_times;
  std::string (*silence)(const Snapshot&, const Findings&);
};

constexpr std::array kRuntimes = {
    RuntimeRow{RuntimeFamily::kUnknown, "The dump records no wait times.\n", unknown_silence},
    RuntimeRow{RuntimeFamily::kJvm,
               "The dump records no wait times (`elapsed=` is a thread's age).\n", jvm_silence},
    RuntimeRow{RuntimeFamily::kGo,
               "The dump prints no `N minutes` for these goroutines: Go prints a wait's length "
               "only from one minute on, and only once a garbage collection has stamped it. They "
               "had waited less than that, or no collection had run.\n",
               go_silence},
    RuntimeRow{RuntimeFamily::kNative, "Native thread dumps and cores record no wait times.\n",
               native_silence},
};
// The table is indexed by the family.
static_assert([] {
  for (size_t i = 0; i < kRuntimes.size(); ++i) {
    if (static_cast<size_t>(kRuntimes[i].family) != i) return false;
  }
  return true;
}());

}  // namespace

std::string missing_wait_times(RuntimeFamily family) {
  return std::string(kRuntimes[static_cast<size_t>(family)].no_wait_times);
}

std::string runtime_silence(const Snapshot& s, const Findings& f) {
  return kRuntimes[static_cast<size_t>(s.family)].silence(s, f);
}

}  // namespace dla
