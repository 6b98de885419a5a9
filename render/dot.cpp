#include "render/dot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

#include "render/describe.h"
#include "render/escape.h"
#include "render/palette.h"

namespace dla {

namespace {

class DotWriter {
 public:
  DotWriter(const Snapshot& s, const Findings& f, const DotOptions& o) : s_(s), f_(f), o_(o) {
    for (uint32_t h = 0; h < s.holds.size(); ++h) {
      hold_of_.emplace(pair_key(s.holds[h].resource, s.holds[h].task), h);
    }
  }

  std::string run() {
    cycles();
    blocked();
    stuck();
    unresolved();
    suspects();
    rest();
    std::string source(s_.source);
    if (size_t slash = source.find_last_of('/'); slash != std::string::npos) {
      source = source.substr(slash + 1);
    }
    std::string title = fmt::format("{} · {} · {}", verdict_words(s_, f_).words,
                                    count_of(task_total(s_), s_.task_noun), source);
    std::string out = "digraph dlanalyze {\n";
    out += fmt::format(
        "  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=12, labelloc=t, label={}, "
        "nodesep=0.25, ranksep=0.5];\n",
        o_.legend ? heading(title) : dot_quote(title));
    out += "  node [fontname=\"Helvetica\", fontsize=10, margin=\"0.12,0.06\"];\n";
    out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";
    return out + nodes_ + edges_ + "}\n";
  }

 private:
  static uint64_t pair_key(ResourceIndex r, TaskIndex t) { return (uint64_t{r} << 32) | t; }

  std::string noun(size_t n) const { return count_of(n, s_.task_noun); }

  // Node attributes in the role's look.
  static std::string look_attrs(Role role) {
    const Look& l = look(role);
    std::string style = l.style.empty() ? "filled" : fmt::format("filled,{}", l.style);
    return fmt::format("shape={}, style=\"{}\", color=\"{}\", fillcolor=\"{}\"", l.shape, style,
                       l.line, l.fill);
  }

  // The picture's title over its key: the roles drawn, in their looks, and what the shapes
  // and arrows mean. An HTML-like label, so that the key is part of the picture wherever it goes.
  std::string heading(const std::string& title) const {
    std::string cells;
    for (const Look& l : all_looks()) {
      if (!used_.count(l.role)) continue;
      cells += fmt::format(
          "<TD BGCOLOR=\"{}\" COLOR=\"{}\"><FONT POINT-SIZE=\"9\" COLOR=\"{}\">{}</FONT></TD>",
          l.fill, l.line, l.line, html_escape(l.legend));
    }
    size_t span = std::max<size_t>(1, used_.size());
    return fmt::format(
        "<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"3\" CELLPADDING=\"3\">"
        "<TR><TD COLSPAN=\"{}\" BORDER=\"0\">{}</TD></TR><TR>{}</TR>"
        "<TR><TD COLSPAN=\"{}\" BORDER=\"0\"><FONT POINT-SIZE=\"9\">box: task · ellipse: lock · "
        "dashed arrow: waits for · solid arrow: held by</FONT></TD></TR></TABLE>>",
        span, html_escape(valid_utf8(title)), cells, span);
  }

  void node(const std::string& id, Role role, const std::string& label,
            const std::string& extra = "") {
    used_.insert(role);
    nodes_ +=
        fmt::format("  {} [{}, label={}{}];\n", id, look_attrs(role), dot_quote(label), extra);
  }

  void edge(const std::string& from, const std::string& to, Role role, bool wait,
            const std::string& label) {
    const Look& l = look(role);
    bool cycle = role == Role::kCycle || role == Role::kCycleLock;
    edges_ += fmt::format("  {} -> {} [style={}, color=\"{}\", fontcolor=\"{}\"{}, label={}];\n",
                          from, to, wait ? "dashed" : "solid", l.line, l.line,
                          cycle ? ", penwidth=2" : "", dot_quote(label));
  }

  // A resource's node, drawn once; the first role it is drawn in decides its look.
  std::string resource_node(ResourceIndex r, Role role, const std::string& note = "") {
    auto [it, fresh] = resource_node_.emplace(r, fmt::format("r{}", r));
    if (!fresh) return it->second;
    // Its name (symbol, or type without its package) over its kind and address.
    const Resource& res = s_.resources[r];
    std::string kind = to_string(res.kind);
    std::replace(kind.begin(), kind.end(), '_', ' ');
    std::string second =
        res.address == kNoString ? kind : fmt::format("{} {}", kind, s_.str(res.address));
    std::string label = second;
    if (res.symbol != kNoString) {
      label = fmt::format("{}\n{}", s_.str(res.symbol), second);
    } else if (res.type != kNoString) {
      label = fmt::format("{}\n{}", type_without_package(s_.str(res.type)), second);
    }
    if (!note.empty()) label += "\n" + note;
    node(it->second, role, label, fmt::format(", tooltip={}", dot_quote(resource_label(s_, r))));
    return it->second;
  }

  // Whether a resource is worth a node of its own: a lock with a name or an address. A channel
  // the dump does not identify is named inside its waiter's box instead.
  bool drawable(ResourceIndex r) const {
    const Resource& res = s_.resources[r];
    return res.address != kNoString || res.symbol != kNoString;
  }

  // "goroutine 21\nsemacquire\nmain.reserveThenBill main.go:48".
  std::string task_text(TaskIndex t, const WaitEdge* w) const {
    const Task& task = s_.tasks[t];
    std::string label = task_label(s_, t);
    if (task.state != kNoString) label += fmt::format("\n{}", s_.str(task.state));
    if (w != nullptr) {
      uint32_t at = w->app_frame != kNone ? w->app_frame : w->frame;
      label += "\n" + short_frame_label(s_, at);
    }
    return label;
  }

  // Waiters at one place: a node each up to DotOptions::one_by_one, one node with their count
  // beyond. Records the node of every task; returns the nodes drawn.
  std::vector<std::string> waiters(Role role, const std::vector<TaskIndex>& tasks,
                                   const WaitEdge& w, const std::string& note) {
    std::vector<std::string> drawn;
    if (tasks.size() <= o_.one_by_one) {
      for (TaskIndex t : tasks) {
        std::string id = fmt::format("t{}", t);
        task_node_[t] = id;
        std::string label = task_text(t, &w);
        node(id, role, note.empty() ? label : label + "\n" + note,
             fmt::format(", tooltip={}",
                         dot_quote(frame_label(s_, w.app_frame != kNone ? w.app_frame : w.frame))));
        drawn.push_back(id);
      }
      return drawn;
    }
    std::string id = fmt::format("b{}", bunches_++);
    for (TaskIndex t : tasks) task_node_[t] = id;
    size_t count = 0;
    for (TaskIndex t : tasks) count += s_.tasks[t].count;
    std::string label = fmt::format("{}\n{}", noun(count), abbreviated_ids(s_, tasks));
    const Task& first = s_.tasks[tasks[0]];
    if (first.state != kNoString) label += fmt::format("\n{}", s_.str(first.state));
    label += "\n" + short_frame_label(s_, w.app_frame != kNone ? w.app_frame : w.frame);
    if (!note.empty()) label += "\n" + note;
    node(id, role, label, ", peripheries=2");
    drawn.push_back(id);
    return drawn;
  }

  void cycles() {
    for (size_t c = 0; c < f_.cycles.size(); ++c) {
      for (const CycleMember& m : f_.cycles[c].members) {
        std::string id = fmt::format("t{}", m.task);
        if (task_node_.emplace(m.task, id).second) {
          node(id, Role::kCycle, task_text(m.task, &s_.waits[m.wait]),
               fmt::format(", tooltip={}",
                           dot_quote(fmt::format("cycle {}: {}", c + 1,
                                                 info(f_.patterns.cycles[c]).name))));
        }
      }
      for (const CycleMember& m : f_.cycles[c].members) {
        const WaitEdge& w = s_.waits[m.wait];
        std::string r = resource_node(m.resource, Role::kCycleLock);
        edge(task_node_[m.task], r, Role::kCycle, true,
             fmt::format("waits{} · {}", w.shared ? " to read" : "", evidence_words(w.evidence)));
        if (m.hold != kNone) {
          hold_edge(m.hold, Role::kCycle);
        } else {
          // A reader queued behind a writer that waits for the lock (writers first): it waits
          // for that writer.
          const WaitEdge& writer = s_.waits[m.queued_behind];
          edge(
              task_node_[m.task], task_node_[writer.task], Role::kCycle, true,
              fmt::format("queued behind its wait to write · {}", evidence_words(writer.evidence)));
        }
      }
    }
  }

  // resource → holder, once per hold.
  void hold_edge(uint32_t hold, Role role) {
    if (!held_drawn_.insert(hold).second) return;
    const HoldEdge& h = s_.holds[hold];
    auto holder = task_node_.find(h.task);
    if (holder == task_node_.end()) return;
    std::string label =
        fmt::format("held{} · {}", h.shared ? " to read" : "", evidence_words(h.evidence));
    // The acquiring line where the evidence names it; else the holding frame, as it is now.
    if (h.frame != kNone) {
      std::string place = short_place(s_, h.frame, h.line);
      if (place.empty()) place = short_frame_label(s_, h.frame, h.line);
      label += (h.line != 0 ? "\ntaken at " : "\nin ") + place;
    }
    edge(resource_node_[h.resource], holder->second, role, false, label);
  }

  // Behind a cycle: waiters bunched by (lock, holder, place), then their edges (a holder may
  // itself be a waiter drawn later in the list).
  void blocked() {
    std::vector<size_t> all(f_.blocked.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    auto bunches = bunch_by(all, [&](size_t i) {
      const BlockedWaiter& b = f_.blocked[i];
      return std::tuple(b.resource, b.holder, place_key(s_, s_.waits[b.wait]));
    });
    for (const auto& members : bunches) {
      std::vector<TaskIndex> tasks;
      for (size_t i : members) tasks.push_back(f_.blocked[i].task);
      waiters(Role::kBlocked, tasks, s_.waits[f_.blocked[members[0]].wait], "");
    }
    std::set<std::pair<std::string, ResourceIndex>> waits_drawn;
    for (const auto& members : bunches) {
      const BlockedWaiter& b = f_.blocked[members[0]];
      std::string r = resource_node(b.resource, Role::kLock);
      for (size_t i : members) {
        const BlockedWaiter& each = f_.blocked[i];
        if (!waits_drawn.emplace(task_node_[each.task], each.resource).second) continue;
        edge(task_node_[each.task], r, Role::kBlocked, true,
             fmt::format("waits · {}", evidence_words(s_.waits[each.wait].evidence)));
      }
      auto hold = hold_of_.find(pair_key(b.resource, b.holder));
      if (hold != hold_of_.end()) hold_edge(hold->second, Role::kBlocked);
    }
  }

  void stuck() {
    auto bunches = stuck_bunches(s_, f_);
    for (const auto& members : bunches) {
      const StuckWaiter& w = f_.stuck[members[0]];
      std::optional<Pattern> p = f_.patterns.stuck[members[0]];
      std::vector<TaskIndex> tasks;
      for (size_t i : members) tasks.push_back(f_.stuck[i].task);
      bool inferred = w.evidence == Evidence::kInferred;
      std::string note = fmt::format("waits forever: {}{}", p ? info(*p).name : w.reason,
                                     inferred ? "\n(inferred from the source)" : "");
      waits_for(Role::kStuck, tasks, members.size() == 1 || same_resource(members, f_.stuck),
                w.resource, s_.waits[w.wait], note,
                inferred ? w.reason + " · " + evidence_words(w.evidence) : w.reason);
    }
  }

  template <typename Waiter>
  bool same_resource(const std::vector<size_t>& members, const std::vector<Waiter>& list) const {
    for (size_t i : members) {
      if (list[i].resource != list[members[0]].resource) return false;
    }
    return true;
  }

  // Waiters and, when the resource has a name and they share it, its node and their edges.
  void waits_for(Role role, const std::vector<TaskIndex>& tasks, bool shared, ResourceIndex r,
                 const WaitEdge& w, std::string note, const std::string& edge_label) {
    bool own_node = shared && drawable(r);
    if (!own_node) note = fmt::format("{}\non {}", note, lock_name(s_, r));
    std::vector<std::string> drawn = waiters(role, tasks, w, note);
    if (!own_node) return;
    std::string rid = resource_node(r, role == Role::kUncertain ? Role::kUncertain : Role::kLock,
                                    role == Role::kUncertain ? "holder unknown" : "");
    for (const std::string& id : drawn) edge(id, rid, role, true, edge_label);
  }

  void unresolved() {
    std::vector<size_t> all(f_.unresolved.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    auto bunches = bunch_by(all, [&](size_t i) {
      const UnresolvedWaiter& u = f_.unresolved[i];
      return std::tuple(u.resource, place_key(s_, s_.waits[u.wait]));
    });
    for (const auto& members : bunches) {
      const UnresolvedWaiter& u = f_.unresolved[members[0]];
      std::vector<TaskIndex> tasks;
      for (size_t i : members) tasks.push_back(f_.unresolved[i].task);
      // A lock is always worth a node here: it is the one fact these waiters share.
      std::vector<std::string> drawn = waiters(Role::kUncertain, tasks, s_.waits[u.wait], "");
      std::string rid = resource_node(u.resource, Role::kUncertain, "holder unknown");
      for (const std::string& id : drawn) {
        edge(id, rid, Role::kUncertain, true,
             fmt::format("waits · {}", evidence_words(s_.waits[u.wait].evidence)));
      }
    }
  }

  void suspects() {
    std::vector<size_t> all(f_.long_parked.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    auto bunches = bunch_by(all, [&](size_t i) {
      const WaitEdge& w = s_.waits[f_.long_parked[i].wait];
      return std::tuple(s_.resources[w.resource].kind, place_key(s_, w));
    });
    for (const auto& members : bunches) {
      const LongParked& l = f_.long_parked[members[0]];
      std::optional<Pattern> p = f_.patterns.suspects[members[0]];
      double high = 0;
      std::vector<TaskIndex> tasks;
      for (size_t i : members) {
        tasks.push_back(f_.long_parked[i].task);
        high = std::max(high, f_.long_parked[i].minutes);
      }
      std::string note = fmt::format("parked up to {} min{}", high,
                                     p ? fmt::format("\nsuspect: {}", info(*p).name) : "");
      waits_for(Role::kUncertain, tasks, same_resource(members, f_.long_parked), l.resource,
                s_.waits[l.wait], note, "waits");
    }
  }

  // Every task no finding names, one node per group of identical stacks.
  void rest() {
    std::vector<std::pair<const Group*, size_t>> shown;
    size_t hidden_groups = 0, hidden_tasks = 0, total = 0;
    for (const Group& g : f_.groups.groups) {
      size_t count = 0;
      for (TaskIndex t : g.tasks) {
        if (!task_node_.count(t)) count += s_.tasks[t].count;
      }
      if (count == 0) continue;
      total += count;
      if (shown.size() < o_.max_groups || o_.max_groups == 0) {
        shown.emplace_back(&g, count);
      } else {
        ++hidden_groups;
        hidden_tasks += count;
      }
    }
    if (shown.empty()) return;
    nodes_ += fmt::format(
        "  subgraph cluster_rest {{\n    label={}; style=dashed; color=\"{}\"; fontsize=10;\n",
        dot_quote(fmt::format("other {}, by identical stack", noun(total))),
        look(Role::kGroup).line);
    std::string previous;
    // Under the findings, not beside them: the picture stays narrow enough for a phone.
    for (const auto& [task, id] : task_node_) {
      (void)task;
      if (below_.insert(id).second)
        edges_ += fmt::format("  {} -> g{} [style=invis];\n", id, shown[0].first->id);
    }
    for (const auto& [g, count] : shown) {
      const Task& t = s_.tasks[g->first];
      std::string label = noun(count);
      if (g->state != kNoString) label += fmt::format(" · {}", s_.str(g->state));
      if (t.frame_count > 0) {
        uint32_t top = t.first_frame + (t.app_frame == kNone ? 0 : t.app_frame);
        label += "\n" + short_frame_label(s_, top);
      }
      nodes_ += "  ";
      std::string id = fmt::format("g{}", g->id);
      node(id, Role::kGroup, label);
      // Stacked in one column, largest first: a picture that stays narrow enough for a phone.
      if (!previous.empty()) nodes_ += fmt::format("    {} -> {} [style=invis];\n", previous, id);
      previous = id;
    }
    if (hidden_groups > 0) {
      nodes_ += "  ";
      node("g_more", Role::kGroup,
           fmt::format("… {} more {} ({})", hidden_groups, hidden_groups == 1 ? "group" : "groups",
                       noun(hidden_tasks)));
      nodes_ += fmt::format("    {} -> g_more [style=invis];\n", previous);
    }
    nodes_ += "  }\n";
  }

  const Snapshot& s_;
  const Findings& f_;
  const DotOptions& o_;
  std::unordered_map<uint64_t, uint32_t> hold_of_;  // (resource, task) → index in holds
  std::unordered_map<TaskIndex, std::string> task_node_;
  std::unordered_map<ResourceIndex, std::string> resource_node_;
  std::set<uint32_t> held_drawn_;
  std::set<Role> used_;
  std::set<std::string> below_;  // finding nodes already tied above the groups
  size_t bunches_ = 0;
  std::string nodes_, edges_;
};

}  // namespace

std::string render_dot(const Snapshot& s, const Findings& f, const DotOptions& options) {
  return DotWriter(s, f, options).run();
}

}  // namespace dla
