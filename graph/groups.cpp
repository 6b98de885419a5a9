#include "graph/groups.h"

#include <algorithm>
#include <unordered_map>

namespace dla {

namespace {

uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

uint64_t stack_hash(const Snapshot& s, const Task& t) {
  uint64_t h = mix(0, t.state);
  for (const Frame& f : s.frames_of(t)) {
    h = mix(h, f.function);
    h = mix(h, f.file);
    h = mix(h, static_cast<uint64_t>(f.line));
  }
  return h;
}

bool same_stack(const Snapshot& s, const Task& a, const Task& b) {
  if (a.state != b.state || a.frame_count != b.frame_count) return false;
  auto fa = s.frames_of(a);
  auto fb = s.frames_of(b);
  return std::equal(fa.begin(), fa.end(), fb.begin(), [](const Frame& x, const Frame& y) {
    return x.function == y.function && x.file == y.file && x.line == y.line;
  });
}

}  // namespace

Grouping group_identical_stacks(const Snapshot& s) {
  Grouping out;
  out.group_of.assign(s.tasks.size(), kNone);
  // hash → groups with that hash (almost always one)
  std::unordered_map<uint64_t, std::vector<uint32_t>> by_hash;
  by_hash.reserve(s.tasks.size() / 4 + 16);
  for (TaskIndex i = 0; i < s.tasks.size(); ++i) {
    const Task& t = s.tasks[i];
    auto& candidates = by_hash[stack_hash(s, t)];
    uint32_t g = kNone;
    for (uint32_t c : candidates) {
      if (same_stack(s, s.tasks[out.groups[c].first], t)) {
        g = c;
        break;
      }
    }
    if (g == kNone) {
      g = static_cast<uint32_t>(out.groups.size());
      candidates.push_back(g);
      Group& fresh = out.groups.emplace_back();
      fresh.state = t.state;
      fresh.first = i;
    }
    Group& group = out.groups[g];
    group.count += t.count;
    group.tasks.push_back(i);
    if (t.parked_minutes) {
      double m = *t.parked_minutes;
      group.min_parked_minutes = std::min(group.min_parked_minutes.value_or(m), m);
      group.max_parked_minutes = std::max(group.max_parked_minutes.value_or(m), m);
    }
    out.group_of[i] = g;
  }

  // Largest first, but stacks that say nothing (VM-internal threads print none) after all the
  // others; among equals, stacks with application code before the runtime's own; then dump
  // order. Then renumber.
  std::vector<uint32_t> order(out.groups.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  auto empty = [&](uint32_t g) { return s.tasks[out.groups[g].first].frame_count == 0; };
  auto runtime_only = [&](uint32_t g) { return s.tasks[out.groups[g].first].app_frame == kNone; };
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (empty(a) != empty(b)) return empty(b);
    if (out.groups[a].count != out.groups[b].count) {
      return out.groups[a].count > out.groups[b].count;
    }
    return runtime_only(a) < runtime_only(b);
  });
  std::vector<uint32_t> new_index(order.size());
  std::vector<Group> sorted;
  sorted.reserve(order.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    new_index[order[i]] = i;
    sorted.push_back(std::move(out.groups[order[i]]));
    sorted.back().id = i + 1;
  }
  out.groups = std::move(sorted);
  for (uint32_t& g : out.group_of) g = new_index[g];
  return out;
}

}  // namespace dla
