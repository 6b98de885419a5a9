#include "graph/analysis.h"

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

namespace dla {

const char* to_string(Confidence confidence) {
  switch (confidence) {
    case Confidence::kCertain:
      return "certain";
    case Confidence::kLikely:
      return "likely";
    case Confidence::kPossible:
      return "possible";
  }
  return "possible";
}

Confidence confidence_of(Evidence evidence) {
  switch (evidence) {
    case Evidence::kDeclared:
    case Evidence::kLockRecord:
    case Evidence::kMemory:
    case Evidence::kArgument:
      return Confidence::kCertain;
    case Evidence::kSource:
      return Confidence::kLikely;
    case Evidence::kInferred:
      return Confidence::kPossible;
  }
  return Confidence::kPossible;
}

const char* to_string(Findings::Verdict verdict) {
  switch (verdict) {
    case Findings::Verdict::kClean:
      return "clean";
    case Findings::Verdict::kUnproven:
      return "unproven";
    case Findings::Verdict::kStuck:
      return "stuck";
    case Findings::Verdict::kDeadlock:
      return "deadlock";
  }
  return "clean";
}

const char* to_string(Findings::Unproven unproven) {
  switch (unproven) {
    case Findings::Unproven::kNo:
      return "";
    case Findings::Unproven::kDamagedInput:
      return "the input is damaged or truncated: results are partial";
    case Findings::Unproven::kNoLockRecords:
      return "this dump records no locks";
    case Findings::Unproven::kHoldersUnknown:
      return "lock holders unknown";
  }
  return "";
}

namespace {

// The wait-for graph in compressed form: task → tasks it waits on, each arc labelled with the
// wait edge and the hold edge it is made of. An arc exists only where both edges have evidence.
// Reader/writer locks: an exclusive waiter waits for every holder; a shared waiter (RLock,
// rdlock) waits for the exclusive holders only — and, on a lock that queues new readers behind a
// waiting writer (Go's RWMutex, a writer-preferring glibc rwlock), for the waiting writers too:
// such an arc carries the writer's wait edge instead of a hold.
struct Arc {
  TaskIndex to;
  uint32_t wait;
  uint32_t hold;            // kNone for an arc to a waiting writer
  uint32_t writer = kNone;  // the writer's wait edge, for an arc to a waiting writer
};

struct WaitForGraph {
  std::vector<uint32_t> first;  // arcs of task t are arcs[first[t], first[t+1])
  std::vector<Arc> arcs;
  std::span<const Arc> out(TaskIndex t) const {
    return {arcs.data() + first[t], first[t + 1] - first[t]};
  }
};

WaitForGraph build_graph(const Snapshot& s) {
  std::vector<std::vector<uint32_t>> holds_of(s.resources.size());
  for (uint32_t h = 0; h < s.holds.size(); ++h) holds_of[s.holds[h].resource].push_back(h);
  std::vector<std::vector<uint32_t>> writers_waiting(s.resources.size());
  for (uint32_t w = 0; w < s.waits.size(); ++w) {
    if (!s.waits[w].shared && s.resources[s.waits[w].resource].writers_first) {
      writers_waiting[s.waits[w].resource].push_back(w);
    }
  }
  // One pass to count, one to fill: the arcs of each wait, in a fixed order.
  auto for_each_arc = [&](uint32_t w, auto&& emit) {
    const WaitEdge& wait = s.waits[w];
    for (uint32_t h : holds_of[wait.resource]) {
      const HoldEdge& hold = s.holds[h];
      // Readers do not exclude readers: not even the waiter's own earlier read hold.
      if (wait.shared && hold.shared) continue;
      emit(Arc{hold.task, w, h});
    }
    if (!wait.shared) return;
    for (uint32_t writer : writers_waiting[wait.resource]) {
      if (s.waits[writer].task != wait.task) emit(Arc{s.waits[writer].task, w, kNone, writer});
    }
  };
  std::vector<uint32_t> degree(s.tasks.size() + 1, 0);
  for (uint32_t w = 0; w < s.waits.size(); ++w) {
    for_each_arc(w, [&](const Arc&) { ++degree[s.waits[w].task]; });
  }
  WaitForGraph g;
  g.first.assign(s.tasks.size() + 1, 0);
  for (size_t t = 0; t < s.tasks.size(); ++t) g.first[t + 1] = g.first[t] + degree[t];
  g.arcs.resize(g.first.back());
  std::vector<uint32_t> fill(g.first.begin(), g.first.end() - 1);
  for (uint32_t w = 0; w < s.waits.size(); ++w) {
    for_each_arc(w, [&](const Arc& a) { g.arcs[fill[s.waits[w].task]++] = a; });
  }
  return g;
}

// Tarjan's strongly connected components without recursion (a 100k-task chain would overflow the
// stack). Returns the component of each task; components are numbered in completion order.
std::vector<uint32_t> strongly_connected_components(const WaitForGraph& g, size_t n) {
  std::vector<uint32_t> index(n, kNone), low(n, 0), component(n, kNone);
  std::vector<bool> on_stack(n, false);
  std::vector<TaskIndex> stack;
  struct Visit {
    TaskIndex task;
    uint32_t next_arc;  // position within the task's arcs
  };
  std::vector<Visit> call;
  uint32_t counter = 0, components = 0;

  for (TaskIndex root = 0; root < n; ++root) {
    if (index[root] != kNone) continue;
    call.push_back({root, 0});
    index[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!call.empty()) {
      Visit& v = call.back();
      auto arcs = g.out(v.task);
      if (v.next_arc < arcs.size()) {
        TaskIndex to = arcs[v.next_arc++].to;
        if (index[to] == kNone) {
          index[to] = low[to] = counter++;
          stack.push_back(to);
          on_stack[to] = true;
          call.push_back({to, 0});  // invalidates v
        } else if (on_stack[to]) {
          low[v.task] = std::min(low[v.task], index[to]);
        }
        continue;
      }
      TaskIndex done = v.task;
      call.pop_back();
      if (!call.empty()) low[call.back().task] = std::min(low[call.back().task], low[done]);
      if (low[done] == index[done]) {
        TaskIndex member;
        do {
          member = stack.back();
          stack.pop_back();
          on_stack[member] = false;
          component[member] = components;
        } while (member != done);
        ++components;
      }
    }
  }
  return component;
}

// The shortest cycle through `start` that stays inside its component (breadth-first), as arcs.
std::vector<Arc> shortest_cycle_through(const WaitForGraph& g, const std::vector<uint32_t>& comp,
                                        TaskIndex start) {
  std::vector<std::pair<TaskIndex, Arc>> parent;  // visited task → (previous task, arc taken)
  std::unordered_map<TaskIndex, size_t> seen;
  std::deque<TaskIndex> queue{start};
  seen[start] = kNone;
  while (!queue.empty()) {
    TaskIndex t = queue.front();
    queue.pop_front();
    for (const Arc& a : g.out(t)) {
      if (comp[a.to] != comp[start]) continue;
      if (a.to == start) {
        std::vector<Arc> path{a};
        for (size_t p = seen[t]; p != kNone; p = seen[parent[p].first]) {
          path.push_back(parent[p].second);
        }
        std::reverse(path.begin(), path.end());
        return path;
      }
      if (seen.count(a.to) == 0) {
        parent.push_back({t, a});
        seen[a.to] = parent.size() - 1;
        queue.push_back(a.to);
      }
    }
  }
  return {};
}

Cycle make_cycle(const Snapshot& s, std::vector<Arc> path) {
  // path[i] leads from path[i-1].to (or the start) to path[i].to; recover the tasks.
  std::vector<TaskIndex> tasks;
  for (size_t i = 0; i < path.size(); ++i) tasks.push_back(s.waits[path[i].wait].task);
  // Start with the task first in the dump, keeping wait-for order.
  auto first = std::min_element(tasks.begin(), tasks.end()) - tasks.begin();
  std::rotate(path.begin(), path.begin() + first, path.end());
  Cycle c;
  c.weakest = Evidence::kMemory;  // the strongest; raised to each edge's
  for (const Arc& a : path) {
    const WaitEdge& w = s.waits[a.wait];
    c.members.push_back({w.task, w.resource, a.wait, a.hold, a.writer});
    Evidence ahead = a.hold != kNone ? s.holds[a.hold].evidence : s.waits[a.writer].evidence;
    c.weakest = std::max({c.weakest, w.evidence, ahead});
  }
  c.confidence = confidence_of(c.weakest);
  return c;
}

std::vector<Cycle> find_cycles(const Snapshot& s, const WaitForGraph& g) {
  std::vector<uint32_t> comp = strongly_connected_components(g, s.tasks.size());
  std::vector<uint32_t> size(s.tasks.size(), 0);
  for (uint32_t c : comp) ++size[c];

  std::vector<Cycle> cycles;
  std::set<std::vector<TaskIndex>> reported;  // member sets, to report each cycle once
  std::vector<bool> covered(s.tasks.size(), false);
  for (TaskIndex t = 0; t < s.tasks.size(); ++t) {
    if (covered[t]) continue;
    bool self_loop = false;
    for (const Arc& a : g.out(t)) self_loop |= a.to == t;
    if (size[comp[t]] < 2 && !self_loop) continue;
    // Every task of a non-trivial component lies on some cycle; report the shortest through it
    // unless it was already covered by an earlier one.
    std::vector<Arc> path = shortest_cycle_through(g, comp, t);
    if (path.empty()) continue;
    Cycle c = make_cycle(s, std::move(path));
    std::vector<TaskIndex> members;
    for (const CycleMember& m : c.members) {
      members.push_back(m.task);
      covered[m.task] = true;
    }
    std::sort(members.begin(), members.end());
    if (reported.insert(members).second) cycles.push_back(std::move(c));
  }
  return cycles;
}

// Every task that waits, directly or through other waiters, on a cycle member.
std::vector<BlockedWaiter> find_blocked(const Snapshot& s, const WaitForGraph& g,
                                        const std::vector<Cycle>& cycles) {
  std::vector<std::vector<Arc>> reverse(s.tasks.size());  // holder → arcs of its waiters
  for (TaskIndex t = 0; t < s.tasks.size(); ++t) {
    for (const Arc& a : g.out(t)) reverse[a.to].push_back({t, a.wait, a.hold, a.writer});
  }
  std::vector<uint32_t> behind(s.tasks.size(), kNone);
  std::deque<TaskIndex> queue;
  for (uint32_t c = 0; c < cycles.size(); ++c) {
    for (const CycleMember& m : cycles[c].members) {
      if (behind[m.task] == kNone) {
        behind[m.task] = c;
        queue.push_back(m.task);
      }
    }
  }
  std::vector<BlockedWaiter> blocked;
  while (!queue.empty()) {
    TaskIndex holder = queue.front();
    queue.pop_front();
    for (const Arc& a : reverse[holder]) {
      TaskIndex waiter = a.to;
      if (behind[waiter] != kNone) continue;
      behind[waiter] = behind[holder];
      const WaitEdge& w = s.waits[a.wait];
      blocked.push_back({waiter, w.resource, a.wait, behind[holder], holder});
      queue.push_back(waiter);
    }
  }
  std::sort(blocked.begin(), blocked.end(),
            [](const BlockedWaiter& a, const BlockedWaiter& b) { return a.task < b.task; });
  return blocked;
}

std::string names_of(const Snapshot& s, std::vector<TaskIndex> tasks) {
  std::string out;
  for (TaskIndex t : tasks) {
    if (!out.empty()) out += ", ";
    out += fmt::format("\"{}\"", s.str(s.tasks[t].id));
  }
  return out;
}

// The runtime's own report and ours must name the same cycles; a difference is worth a warning
// either way (a parse gap on our side, or a lock the runtime cannot see).
void cross_check(const Snapshot& s, std::vector<Cycle>& cycles, std::vector<Warning>& warnings) {
  if (s.declared_cycles.empty() && !s.runtime_checked_deadlocks) return;
  std::set<std::vector<TaskIndex>> declared;
  for (const DeclaredCycle& d : s.declared_cycles) {
    std::vector<TaskIndex> members = d.members;
    std::sort(members.begin(), members.end());
    declared.insert(members);
  }
  std::set<std::vector<TaskIndex>> ours;
  for (Cycle& c : cycles) {
    std::vector<TaskIndex> members;
    for (const CycleMember& m : c.members) members.push_back(m.task);
    std::sort(members.begin(), members.end());
    c.declared_by_runtime = declared.count(members) > 0;
    ours.insert(members);
    if (!c.declared_by_runtime) {
      warnings.push_back({s.source, fmt::format("dlanalyze found a cycle among {} that the "
                                                "runtime's own deadlock report does not list",
                                                names_of(s, members))});
    }
  }
  for (const DeclaredCycle& d : s.declared_cycles) {
    std::vector<TaskIndex> members = d.members;
    std::sort(members.begin(), members.end());
    if (!ours.count(members)) {
      warnings.push_back({d.where, fmt::format("the runtime reports a deadlock among {} that "
                                               "dlanalyze did not find from the lock records",
                                               names_of(s, d.members))});
    }
  }
}

bool is_lock(ResourceKind k) {
  return k == ResourceKind::kMutex || k == ResourceKind::kRwlock || k == ResourceKind::kMonitor ||
         k == ResourceKind::kOwnableSynchronizer;
}

// `explained`: tasks a cycle or a certain finding already accounts for.
void find_unresolved_and_long_parked(const Snapshot& s, Findings& f, std::vector<bool> explained) {
  for (const StuckWaiter& w : f.stuck) explained[w.task] = true;
  std::vector<bool> held(s.resources.size(), false);
  for (const HoldEdge& h : s.holds) held[h.resource] = true;
  for (uint32_t w = 0; w < s.waits.size(); ++w) {
    const WaitEdge& wait = s.waits[w];
    if (explained[wait.task]) continue;
    ResourceKind kind = s.resources[wait.resource].kind;
    if (is_lock(kind)) {
      if (!held[wait.resource]) f.unresolved.push_back({wait.task, wait.resource, w});
      continue;
    }
    const Task& t = s.tasks[wait.task];
    if (kind != ResourceKind::kSleep && kind != ResourceKind::kIo && t.parked_minutes &&
        *t.parked_minutes >= 1) {
      f.long_parked.push_back({wait.task, wait.resource, w, *t.parked_minutes});
    }
  }
  std::stable_sort(
      f.unresolved.begin(), f.unresolved.end(),
      [](const UnresolvedWaiter& a, const UnresolvedWaiter& b) { return a.resource < b.resource; });
  std::stable_sort(f.long_parked.begin(), f.long_parked.end(),
                   [](const LongParked& a, const LongParked& b) { return a.minutes > b.minutes; });
}

}  // namespace

Findings analyze(const Snapshot& s) {
  Findings f;
  WaitForGraph g = build_graph(s);
  f.cycles = find_cycles(s, g);
  f.blocked = find_blocked(s, g, f.cycles);
  // A cycle member, or a task blocked behind a cycle, can never wake either, but the cycle
  // already says why: stuck lists the rest.
  std::vector<bool> in_cycle(s.tasks.size(), false);
  for (const Cycle& c : f.cycles) {
    for (const CycleMember& m : c.members) in_cycle[m.task] = true;
  }
  for (const BlockedWaiter& b : f.blocked) in_cycle[b.task] = true;
  for (uint32_t w = 0; w < s.waits.size(); ++w) {
    const WaitEdge& wait = s.waits[w];
    if (wait.never_wakes != kNoString && !in_cycle[wait.task]) {
      f.stuck.push_back({wait.task, wait.resource, w, std::string(s.str(wait.never_wakes)),
                         wait.never_wakes_evidence});
    }
  }
  find_unresolved_and_long_parked(s, f, in_cycle);
  cross_check(s, f.cycles, f.warnings);
  f.groups = group_identical_stacks(s);
  f.patterns = name_patterns(s, f);
  if (s.damaged) {
    f.unproven = Findings::Unproven::kDamagedInput;
  } else if (!s.records_locks) {
    f.unproven = Findings::Unproven::kNoLockRecords;
  } else if (!f.unresolved.empty()) {
    f.unproven = Findings::Unproven::kHoldersUnknown;
  }
  return f;
}

}  // namespace dla
