#include "graph/diff.h"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include <fmt/format.h>

#include "graph/diff_match.h"

namespace dla {

const char* to_string(OrderBasis basis) {
  switch (basis) {
    case OrderBasis::kDumpTime:
      return "dump-time";
    case OrderBasis::kParkedMinutes:
      return "parked-minutes";
    case OrderBasis::kFileTime:
      return "file-time";
    case OrderBasis::kArgumentOrder:
      return "argument-order";
  }
  return "argument-order";
}

const char* to_string(Diff::Verdict verdict) {
  switch (verdict) {
    case Diff::Verdict::kClean:
      return "clean";
    case Diff::Verdict::kParked:
      return "parked";
    case Diff::Verdict::kLeak:
      return "leak";
    case Diff::Verdict::kDeadlock:
      return "deadlock";
  }
  return "clean";
}

Diff::Verdict Diff::verdict() const {
  for (const CycleTrend& c : cycles) {
    if (cycle_throughout(c)) return Verdict::kDeadlock;
  }
  for (const GroupTrend& g : grown) {
    if (is_leak(g)) return Verdict::kLeak;
  }
  return parked.empty() ? Verdict::kClean : Verdict::kParked;
}

namespace {

const char* runtime_name(RuntimeFamily family) {
  switch (family) {
    case RuntimeFamily::kGo:
      return "Go";
    case RuntimeFamily::kJvm:
      return "JVM";
    case RuntimeFamily::kNative:
      return "native";
    case RuntimeFamily::kUnknown:
      break;
  }
  return "unknown";
}

// Snapshots of different runtimes are different processes: nothing in them can be matched.
void check_one_runtime(std::span<const DiffInput> inputs) {
  const Snapshot& first = *inputs[0].snapshot;
  for (const DiffInput& in : inputs) {
    const Snapshot& s = *in.snapshot;
    if (s.family != first.family) {
      throw Error(
          fmt::format("{}: a {} dump, but {} is a {} dump: diff compares snapshots of one "
                      "process",
                      s.source, runtime_name(s.family), first.source, runtime_name(first.family)));
    }
  }
}

// Every wait a finding names: a cycle member, a waiter that can never wake, one blocked behind
// a cycle, one waiting for a lock nobody is known to hold.
std::vector<bool> named_by_findings(const Snapshot& s, const Findings& f) {
  std::vector<bool> named(s.tasks.size(), false);
  for (const Cycle& c : f.cycles) {
    for (const CycleMember& m : c.members) named[m.task] = true;
  }
  for (const StuckWaiter& w : f.stuck) named[w.task] = true;
  for (const BlockedWaiter& w : f.blocked) named[w.task] = true;
  for (const UnresolvedWaiter& w : f.unresolved) named[w.task] = true;
  return named;
}

std::vector<bool> in_a_cycle(const Snapshot& s, const Findings& f) {
  std::vector<bool> in(s.tasks.size(), false);
  for (const Cycle& c : f.cycles) {
    for (const CycleMember& m : c.members) in[m.task] = true;
  }
  return in;
}

// Waits that a healthy task sits in for as long as it has nothing to do: a worker's select or
// condition wait, a sleep, a socket read. A lock wait, a semaphore or a WaitGroup is never idle
// for long in a healthy program. Channels are both (a worker ranging over its jobs, a sender
// nobody receives from): a channel wait is reported when a finding names it, and a channel leak
// shows as a growing group.
bool is_lock_like(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kMutex:
    case ResourceKind::kRwlock:
    case ResourceKind::kMonitor:
    case ResourceKind::kOwnableSynchronizer:
    case ResourceKind::kSemaphore:
    case ResourceKind::kWaitgroup:
      return true;
    default:
      return false;
  }
}

// Per snapshot: each task's wait (index into waits), kNone when it waits for nothing.
std::vector<uint32_t> wait_of_tasks(const Snapshot& s) {
  std::vector<uint32_t> wait(s.tasks.size(), kNone);
  for (uint32_t w = 0; w < s.waits.size(); ++w) {
    if (wait[s.waits[w].task] == kNone) wait[s.waits[w].task] = w;
  }
  return wait;
}

class Differ {
 public:
  explicit Differ(Diff& d) : d_(d), n_(d.snapshots.size()) {
    for (const DiffInput& in : d_.snapshots) {
      waits_.push_back(wait_of_tasks(*in.snapshot));
    }
  }

  void run() {
    d_.tasks_have_identity =
        std::all_of(d_.snapshots.begin(), d_.snapshots.end(),
                    [](const DiffInput& in) { return has_identities(*in.snapshot); });
    if (d_.tasks_have_identity) {
      for (const DiffInput& in : d_.snapshots) by_identity_.emplace_back(*in.snapshot);
      parked();
      changes();
      cycles();
    }
    groups();
  }

 private:
  const Snapshot& snap(size_t p) const { return *d_.snapshots[p].snapshot; }
  const Findings& findings(size_t p) const { return *d_.snapshots[p].findings; }

  void parked() {
    std::vector<std::vector<bool>> named, cycle;
    for (size_t p = 0; p < n_; ++p) {
      named.push_back(named_by_findings(snap(p), findings(p)));
      cycle.push_back(in_a_cycle(snap(p), findings(p)));
    }
    const Snapshot& first = snap(0);
    for (const WaitEdge& w0 : first.waits) {
      TaskIndex t0 = w0.task;
      if (waits_[0][t0] != static_cast<uint32_t>(&w0 - first.waits.data())) continue;
      ParkedThroughout found;
      found.tasks.push_back(t0);
      found.waits.push_back(waits_[0][t0]);
      ResourceKind kind = first.resources[w0.resource].kind;
      bool all_named = named[0][t0], all_cycle = cycle[0][t0];
      for (size_t p = 1; p < n_; ++p) {
        TaskIndex t = by_identity_[p].find(first, first.tasks[t0]);
        if (t == kNone || waits_[p][t] == kNone) break;
        const Snapshot& s = snap(p);
        if (s.resources[s.waits[waits_[p][t]].resource].kind != kind ||
            !same_stack(first, first.tasks[t0], s, s.tasks[t])) {
          break;
        }
        found.tasks.push_back(t);
        found.waits.push_back(waits_[p][t]);
        all_named = all_named && named[p][t];
        all_cycle = all_cycle && cycle[p][t];
      }
      if (found.tasks.size() != n_) continue;
      if (!is_lock_like(kind) && !all_named) {
        ++d_.idle_throughout;
        continue;
      }
      found.in_cycle_throughout = all_cycle;
      found.at_least_seconds = at_least_seconds(found);
      d_.parked.push_back(std::move(found));
    }
    // Longest first; the dump's order among equals.
    std::stable_sort(d_.parked.begin(), d_.parked.end(),
                     [](const ParkedThroughout& a, const ParkedThroughout& b) {
                       return a.at_least_seconds.value_or(-1) > b.at_least_seconds.value_or(-1);
                     });
  }

  std::optional<double> at_least_seconds(const ParkedThroughout& p) const {
    std::optional<double> seconds;
    if (d_.minutes.back()) seconds = *d_.minutes.back() * 60;
    const Task& last = snap(n_ - 1).tasks[p.tasks.back()];
    if (last.parked_minutes) {
      seconds = std::max(seconds.value_or(0), *last.parked_minutes * 60);
    }
    return seconds;
  }

  void changes() {
    for (size_t p = 1; p < n_; ++p) {
      const Snapshot& before = snap(p - 1);
      const Snapshot& after = snap(p);
      for (TaskIndex t = 0; t < after.tasks.size(); ++t) {
        if (by_identity_[p - 1].find(after, after.tasks[t]) == kNone) {
          d_.appeared.push_back({static_cast<uint32_t>(p), {static_cast<uint32_t>(p), t}});
        }
      }
      for (TaskIndex t = 0; t < before.tasks.size(); ++t) {
        if (by_identity_[p].find(before, before.tasks[t]) == kNone) {
          d_.vanished.push_back({static_cast<uint32_t>(p), {static_cast<uint32_t>(p - 1), t}});
        }
      }
    }
  }

  // A cycle is the same cycle in two snapshots when its members are the same tasks.
  void cycles() {
    std::unordered_map<std::string, size_t> trend_of;
    for (size_t p = 0; p < n_; ++p) {
      const Snapshot& s = snap(p);
      for (uint32_t c = 0; c < findings(p).cycles.size(); ++c) {
        std::vector<std::string> members;
        for (const CycleMember& m : findings(p).cycles[c].members) {
          members.push_back(identity_text(s, s.tasks[m.task]));
        }
        std::sort(members.begin(), members.end());
        std::string key;
        for (const std::string& m : members) key += m + '\n';
        auto [it, inserted] = trend_of.try_emplace(key, d_.cycles.size());
        if (inserted) {
          CycleTrend& fresh = d_.cycles.emplace_back();
          fresh.cycles.assign(n_, kNone);
          fresh.first_position = static_cast<uint32_t>(p);
        }
        CycleTrend& trend = d_.cycles[it->second];
        if (trend.cycles[p] == kNone) ++trend.seen_in;
        trend.cycles[p] = c;
      }
    }
    // Those present throughout first.
    std::stable_sort(
        d_.cycles.begin(), d_.cycles.end(),
        [](const CycleTrend& a, const CycleTrend& b) { return a.seen_in > b.seen_in; });
  }

  void groups() {
    StackTable table;
    std::vector<GroupTrend> trends;
    for (size_t p = 0; p < n_; ++p) {
      const Snapshot& s = snap(p);
      for (const Group& g : findings(p).groups.groups) {
        uint32_t id = table.find_or_add(s, g.first, static_cast<uint32_t>(p));
        if (id == trends.size()) trends.emplace_back().counts.assign(n_, 0);
        GroupTrend& trend = trends[id];
        trend.counts[p] += g.count;
        trend.representative = {static_cast<uint32_t>(p), g.first};
        const Task& t = s.tasks[g.first];
        trend.waiting = waits_[p][g.first] != kNone || t.state == kNoString;
      }
    }
    for (GroupTrend& g : trends) {
      bool rising = true, falling = true;
      for (size_t p = 1; p < n_; ++p) {
        rising = rising && g.counts[p] > g.counts[p - 1];
        falling = falling && g.counts[p] < g.counts[p - 1];
      }
      g.growth = static_cast<int64_t>(g.counts.back()) - static_cast<int64_t>(g.counts.front());
      if (d_.minutes.back() && *d_.minutes.back() > 0) {
        g.per_minute = static_cast<double>(g.growth) / *d_.minutes.back();
      }
      if (rising) d_.grown.push_back(g);
      if (falling) d_.shrunk.push_back(g);
    }
    auto by_change = [](const GroupTrend& a, const GroupTrend& b) {
      if (a.growth != b.growth) return std::abs(a.growth) > std::abs(b.growth);
      return a.counts.back() > b.counts.back();
    };
    std::stable_sort(d_.grown.begin(), d_.grown.end(), by_change);
    std::stable_sort(d_.shrunk.begin(), d_.shrunk.end(), by_change);
  }

  Diff& d_;
  size_t n_;
  std::vector<std::vector<uint32_t>> waits_;
  std::vector<IdentityIndex> by_identity_;
};

}  // namespace

Diff diff_snapshots(std::span<const DiffInput> inputs) {
  if (inputs.size() < 2) {
    throw Error(
        fmt::format("{}: diff needs at least two snapshots (files, or a file holding "
                    "several dumps); found {}",
                    inputs.empty() ? std::string("-") : inputs[0].snapshot->source, inputs.size()));
  }
  check_one_runtime(inputs);
  Diff d;
  for (uint32_t i : order_in_time(inputs, d.order_by)) d.snapshots.push_back(inputs[i]);
  const Snapshot& first = *d.snapshots.front().snapshot;
  for (const DiffInput& in : d.snapshots) {
    const Snapshot& s = *in.snapshot;
    d.minutes.push_back(d.order_by == OrderBasis::kDumpTime
                            ? std::optional<double>((*s.taken_at - *first.taken_at) / 60.0)
                            : std::nullopt);
    if (s.format != first.format) {
      d.warnings.push_back(
          {s.source, fmt::format("a {} dump among {} dumps: stacks printed differently rarely "
                                 "match, so groups and waits may not be followed",
                                 s.format, first.format)});
    }
  }
  Differ(d).run();
  if (!d.tasks_have_identity) {
    d.warnings.push_back({"",
                          "these dumps name no individual tasks (aggregated records): only "
                          "groups of identical stacks are compared"});
  }
  return d;
}

}  // namespace dla
