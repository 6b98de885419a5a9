#include "render/json.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "version.h"

namespace dla {

namespace {

using Json = nlohmann::ordered_json;

// "r1", "r2", …: formatted, not `"r" + std::to_string(n)`, on which GCC 12 at -O3 raises a false
// -Wrestrict (a libstdc++ inlining bug) that broke Release builds with -Werror.
std::string resource_key(uint32_t n) {
  return fmt::format("r{}", n);
}

Json str_or_null(const Snapshot& s, StrId id) {
  return id == kNoString ? Json(nullptr) : Json(std::string(s.str(id)));
}

template <typename T>
Json opt(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

class JsonWriter {
 public:
  JsonWriter(const Snapshot& s, const Findings& f, const JsonOptions& o) : s_(s), f_(f), o_(o) {
    resource_id_.assign(s.resources.size(), 0);
    named_.assign(s.tasks.size(), o.all_tasks);
  }

  std::string run() {
    Json j;
    j["schema"] = "dlanalyze/1";
    j["tool"] = {{"name", "dlanalyze"}, {"version", kVersion}};
    size_t tasks = 0;
    for (const Task& t : s_.tasks) tasks += t.count;
    j["inputs"] = Json::array({{{"path", s_.source},
                                {"format", s_.format},
                                {"runtime", s_.runtime.empty() ? Json(nullptr) : Json(s_.runtime)},
                                {"tasks", tasks},
                                {"bytes", s_.bytes}}});
    j["verdict"] = to_string(f_.verdict());
    if (f_.verdict() == Findings::Verdict::kUnproven)
      j["unproven_because"] = to_string(f_.unproven);
    j["cycles"] = cycles();
    j["stuck"] = stuck();
    j["blocked"] = blocked();
    j["unresolved"] = unresolved();
    j["suspects"] = suspects();
    j["resources"] = resources();  // after the findings: they decide which resources are named
    j["tasks"] = task_list();
    j["groups"] = groups();
    j["warnings"] = warnings();
    // Dumps are not always UTF-8 (a thread named in Latin-1): such bytes become U+FFFD rather
    // than an invalid document.
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  }

 private:
  // "r1", "r2", … in order of first mention by a finding.
  std::string rid(ResourceIndex r) {
    if (resource_id_[r] == 0) {
      mentioned_.push_back(r);
      resource_id_[r] = static_cast<uint32_t>(mentioned_.size());
    }
    return resource_key(resource_id_[r]);
  }
  std::string tid(TaskIndex t) {
    named_[t] = true;
    return std::string(s_.str(s_.tasks[t].id));
  }

  Json cycles() {
    Json out = Json::array();
    for (size_t index = 0; index < f_.cycles.size(); ++index) {
      const Cycle& c = f_.cycles[index];
      Json members = Json::array();
      std::string summary;
      for (size_t i = 0; i < c.members.size(); ++i) {
        const CycleMember& m = c.members[i];
        const CycleMember& prev = c.members[(i + c.members.size() - 1) % c.members.size()];
        Json member = {{"task", tid(m.task)}, {"waits_for", rid(m.resource)}};
        if (s_.waits[m.wait].shared) member["mode"] = "read";
        if (m.hold != kNone) {
          tid(s_.holds[m.hold].task);
        } else {
          // A reader queued behind the next member, a writer waiting for the lock.
          member["queued_behind_writer"] = tid(s_.waits[m.queued_behind].task);
        }
        members.push_back(std::move(member));
        if (!summary.empty()) summary += "; ";
        summary += fmt_member(m, prev);
      }
      out.push_back({{"members", members},
                     {"confidence", to_string(c.confidence)},
                     {"summary", summary},
                     {"evidence", to_string(c.weakest)},
                     {"declared_by_runtime", c.declared_by_runtime},
                     {"pattern", info(f_.patterns.cycles[index]).id}});
    }
    return out;
  }

  // "thread "a" holds monitor 0x… and waits for monitor 0x…"
  std::string fmt_member(const CycleMember& m, const CycleMember& prev) {
    std::string out = std::string(s_.task_noun) + " " + std::string(s_.str(s_.tasks[m.task].id));
    out += " holds " + lock_name(prev.resource) + " and waits for " + lock_name(m.resource);
    return out;
  }
  std::string lock_name(ResourceIndex r) {
    const Resource& res = s_.resources[r];
    if (res.symbol != kNoString) return std::string(s_.str(res.symbol));
    return std::string(to_string(res.kind)) + " " + std::string(s_.str(res.address));
  }

  // The pattern graph/patterns named, or null where it named none.
  static Json pattern(const std::optional<Pattern>& p) {
    return p ? Json(std::string(info(*p).id)) : Json(nullptr);
  }

  Json stuck() {
    Json out = Json::array();
    for (size_t i = 0; i < f_.stuck.size(); ++i) {
      const StuckWaiter& w = f_.stuck[i];
      out.push_back({{"task", tid(w.task)},
                     {"waits_for", rid(w.resource)},
                     {"reason", w.reason},
                     {"evidence", to_string(w.evidence)},
                     {"pattern", pattern(f_.patterns.stuck[i])}});
    }
    return out;
  }

  Json blocked() {
    Json out = Json::array();
    for (const BlockedWaiter& b : f_.blocked) {
      tid(b.holder);
      out.push_back(
          {{"task", tid(b.task)}, {"waits_for", rid(b.resource)}, {"behind_cycle", b.cycle}});
    }
    return out;
  }

  Json unresolved() {
    Json out = Json::array();
    for (const UnresolvedWaiter& u : f_.unresolved) {
      out.push_back({{"task", tid(u.task)}, {"waits_for", rid(u.resource)}});
    }
    return out;
  }

  Json suspects() {
    Json out = Json::array();
    for (size_t i = 0; i < f_.long_parked.size(); ++i) {
      const LongParked& l = f_.long_parked[i];
      out.push_back({{"task", tid(l.task)},
                     {"waits_for", rid(l.resource)},
                     {"parked_minutes", l.minutes},
                     {"reason", "long-parked"},
                     {"pattern", pattern(f_.patterns.suspects[i])}});
    }
    return out;
  }

  Json resources() {
    if (o_.all_tasks) {
      for (ResourceIndex r = 0; r < s_.resources.size(); ++r) rid(r);
    }
    std::vector<Json> holders(s_.resources.size()), waiters(s_.resources.size());
    for (ResourceIndex r : mentioned_) {
      holders[r] = Json::array();
      waiters[r] = Json::array();
    }
    for (const HoldEdge& h : s_.holds) {
      if (resource_id_[h.resource] == 0) continue;
      Json holder = {{"task", tid(h.task)}, {"evidence", to_string(h.evidence)}};
      if (h.frame != kNone) holder["frame"] = h.frame - s_.tasks[h.task].first_frame;
      if (h.line != 0) holder["line"] = h.line;  // where in that frame's function it was taken
      if (h.shared) holder["mode"] = "read";
      holders[h.resource].push_back(holder);
    }
    for (const WaitEdge& w : s_.waits) {
      if (resource_id_[w.resource] == 0) continue;
      // Waiters are listed by id only: a channel with 100k waiters must not pull 100k stacks in.
      waiters[w.resource].push_back(std::string(s_.str(s_.tasks[w.task].id)));
    }
    Json out = Json::object();
    // Appended, not looked up: the keys are distinct, and an ordered_json object finds a key by
    // a linear search (100,000 leaked channels took minutes).
    auto& members = out.get_ref<Json::object_t&>();
    members.reserve(mentioned_.size());
    for (ResourceIndex r : mentioned_) {
      const Resource& res = s_.resources[r];
      members.emplace_back(resource_key(resource_id_[r]),
                           Json{{"kind", to_string(res.kind)},
                                {"address", str_or_null(s_, res.address)},
                                {"symbol", str_or_null(s_, res.symbol)},
                                {"type", str_or_null(s_, res.type)},
                                {"holders", std::move(holders[r])},
                                {"waiters", std::move(waiters[r])}});
    }
    return out;
  }

  Json frame_list(std::span<const Frame> list) {
    Json frames = Json::array();
    for (const Frame& fr : list) {
      frames.push_back({{"function", std::string(s_.str(fr.function))},
                        {"file", str_or_null(s_, fr.file)},
                        {"line", fr.line > 0 ? Json(fr.line) : Json(nullptr)}});
    }
    return frames;
  }

  Json task_list() {
    // Ancestors' creation stacks (Go tracebackancestors), by task.
    std::vector<Json> ancestors(s_.tasks.size());
    for (const Ancestor& a : s_.ancestors) {
      if (a.task >= s_.tasks.size() || !named_[a.task]) continue;
      if (ancestors[a.task].is_null()) ancestors[a.task] = Json::array();
      ancestors[a.task].push_back({{"id", std::string(s_.str(a.id))},
                                   {"created_by", str_or_null(s_, a.created_by)},
                                   {"frames", frame_list(s_.frames_of(a))}});
    }
    Json out = Json::array();
    for (TaskIndex i = 0; i < s_.tasks.size(); ++i) {
      if (!named_[i]) continue;
      const Task& t = s_.tasks[i];
      Json frames = frame_list(s_.frames_of(t));
      out.push_back({{"id", std::string(s_.str(t.id))},
                     {"lwp", opt(t.lwp)},
                     {"name", str_or_null(s_, t.name)},
                     {"state", str_or_null(s_, t.state)},
                     {"parked_minutes", opt(t.parked_minutes)},
                     {"count", t.count},
                     {"frames", frames},
                     {"group", f_.groups.groups[f_.groups.group_of[i]].id},
                     {"elapsed_seconds", opt(t.elapsed_seconds)}});
      if (!ancestors[i].is_null()) out.back()["ancestors"] = std::move(ancestors[i]);
    }
    return out;
  }

  Json groups() {
    Json out = Json::array();
    for (const Group& g : f_.groups.groups) {
      const Task& t = s_.tasks[g.first];
      Json top = nullptr;
      if (t.frame_count > 0) {
        uint32_t f = t.first_frame + (t.app_frame == kNone ? 0 : t.app_frame);
        top = std::string(s_.str(s_.frames[f].function));
      }
      out.push_back({{"id", g.id},
                     {"count", g.count},
                     {"state", str_or_null(s_, g.state)},
                     {"top", top},
                     {"min_parked_minutes", opt(g.min_parked_minutes)},
                     {"max_parked_minutes", opt(g.max_parked_minutes)}});
    }
    return out;
  }

  Json warnings() {
    Json out = Json::array();
    for (const auto* list : {&s_.warnings, &f_.warnings}) {
      for (const Warning& w : *list) out.push_back({{"where", w.where}, {"message", w.message}});
    }
    return out;
  }

  const Snapshot& s_;
  const Findings& f_;
  const JsonOptions& o_;
  std::vector<uint32_t> resource_id_;  // 0 = not mentioned
  std::vector<ResourceIndex> mentioned_;
  std::vector<bool> named_;
};

}  // namespace

std::string render_json(const Snapshot& s, const Findings& f, const JsonOptions& options) {
  return JsonWriter(s, f, options).run();
}

}  // namespace dla
