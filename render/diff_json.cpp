#include "render/diff_json.h"

#include <nlohmann/json.hpp>

#include "version.h"

namespace dla {

namespace {

using Json = nlohmann::ordered_json;

Json str_or_null(const Snapshot& s, StrId id) {
  return id == kNoString ? Json(nullptr) : Json(std::string(s.str(id)));
}

template <typename T>
Json opt(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

class DiffJsonWriter {
 public:
  explicit DiffJsonWriter(const Diff& d) : d_(d) {}

  std::string run() {
    Json j;
    j["schema"] = "dlanalyze-diff/1";
    j["tool"] = {{"name", "dlanalyze"}, {"version", kVersion}};
    j["verdict"] = to_string(d_.verdict());
    j["order"] = {{"by", to_string(d_.order_by)}};
    j["inputs"] = inputs();
    j["parked_longer"] = parked();
    j["grown"] = trends(d_.grown);
    j["shrunk"] = trends(d_.shrunk);
    j["new"] = changes(d_.appeared);
    j["gone"] = changes(d_.vanished);
    j["cycles"] = cycles();
    j["idle_throughout"] = d_.idle_throughout;
    j["warnings"] = warnings();
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  }

 private:
  const Snapshot& snap(size_t p) const { return *d_.snapshots[p].snapshot; }
  size_t n() const { return d_.snapshots.size(); }
  std::string id(const TaskAt& at) const {
    const Snapshot& s = snap(at.snapshot);
    return std::string(s.str(s.tasks[at.task].id));
  }

  Json frame(const Snapshot& s, uint32_t index) const {
    if (index == kNone) return nullptr;
    const Frame& f = s.frames[index];
    return {{"function", std::string(s.str(f.function))},
            {"file", str_or_null(s, f.file)},
            {"line", f.line == 0 ? Json(nullptr) : Json(f.line)}};
  }

  Json inputs() const {
    Json out = Json::array();
    for (size_t p = 0; p < n(); ++p) {
      const Snapshot& s = snap(p);
      size_t tasks = 0;
      for (const Task& t : s.tasks) tasks += t.count;
      out.push_back({{"path", s.source},
                     {"first_line", s.first_line},
                     {"format", s.format},
                     {"runtime", s.runtime.empty() ? Json(nullptr) : Json(s.runtime)},
                     {"taken_at", s.taken_at_text.empty() ? Json(nullptr) : Json(s.taken_at_text)},
                     {"minutes", opt(d_.minutes[p])},
                     {"tasks", tasks},
                     {"bytes", s.bytes},
                     {"verdict", to_string(d_.snapshots[p].findings->verdict())},
                     {"damaged", s.damaged}});
    }
    return out;
  }

  Json parked() const {
    Json out = Json::array();
    for (const ParkedThroughout& p : d_.parked) {
      const Snapshot& last = snap(n() - 1);
      const Task& t = last.tasks[p.tasks.back()];
      const WaitEdge& w = last.waits[p.waits.back()];
      const Resource& r = last.resources[w.resource];
      Json minutes = Json::array(), elapsed = Json::array();
      for (size_t i = 0; i < n(); ++i) {
        const Task& at = snap(i).tasks[p.tasks[i]];
        minutes.push_back(opt(at.parked_minutes));
        elapsed.push_back(opt(at.elapsed_seconds));
      }
      out.push_back({{"task", std::string(last.str(t.id))},
                     {"lwp", opt(t.lwp)},
                     {"name", str_or_null(last, t.name)},
                     {"state", str_or_null(last, t.state)},
                     {"waits_for",
                      {{"kind", to_string(r.kind)},
                       {"address", str_or_null(last, r.address)},
                       {"symbol", str_or_null(last, r.symbol)},
                       {"type", str_or_null(last, r.type)}}},
                     {"frame", frame(last, w.app_frame != kNone ? w.app_frame : w.frame)},
                     {"parked_minutes", minutes},
                     {"elapsed_seconds", elapsed},
                     {"at_least_seconds", opt(p.at_least_seconds)},
                     {"in_cycle", p.in_cycle_throughout}});
    }
    return out;
  }

  Json trends(const std::vector<GroupTrend>& list) const {
    Json out = Json::array();
    for (const GroupTrend& g : list) {
      const Snapshot& s = snap(g.representative.snapshot);
      const Task& t = s.tasks[g.representative.task];
      Json frames = Json::array();
      for (uint32_t f = 0; f < t.frame_count; ++f) frames.push_back(frame(s, t.first_frame + f));
      uint32_t top = t.frame_count == 0     ? kNone
                     : t.app_frame != kNone ? t.first_frame + t.app_frame
                                            : t.first_frame;
      out.push_back({{"top", top == kNone ? Json(nullptr) : frame(s, top)},
                     {"state", str_or_null(s, t.state)},
                     {"counts", g.counts},
                     {"growth", g.growth},
                     {"per_minute", opt(g.per_minute)},
                     {"leak", d_.is_leak(g)},
                     {"example", id(g.representative)},
                     {"frames", frames}});
    }
    return out;
  }

  Json changes(const std::vector<TaskChange>& list) const {
    Json out = Json::array();
    for (const TaskChange& c : list) {
      out.push_back({{"snapshot", c.position}, {"task", id(c.task)}});
    }
    return out;
  }

  Json cycles() const {
    Json out = Json::array();
    for (const CycleTrend& c : d_.cycles) {
      const Snapshot& s = snap(c.first_position);
      const Cycle& cycle =
          d_.snapshots[c.first_position].findings->cycles[c.cycles[c.first_position]];
      Json members = Json::array(), seen = Json::array();
      for (const CycleMember& m : cycle.members)
        members.push_back(std::string(s.str(s.tasks[m.task].id)));
      for (size_t p = 0; p < n(); ++p) {
        if (c.cycles[p] != kNone) seen.push_back(p);
      }
      out.push_back(
          {{"members", members}, {"seen_in", seen}, {"throughout", d_.cycle_throughout(c)}});
    }
    return out;
  }

  Json warnings() const {
    Json out = Json::array();
    for (const Warning& w : d_.warnings)
      out.push_back({{"where", w.where}, {"message", w.message}});
    return out;
  }

  const Diff& d_;
};

}  // namespace

std::string render_diff_json(const Diff& d) {
  return DiffJsonWriter(d).run();
}

}  // namespace dla
