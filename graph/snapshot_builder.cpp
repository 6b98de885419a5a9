#include "graph/snapshot_builder.h"

#include <stdexcept>

#include <fmt/format.h>

namespace dla {

std::optional<uint64_t> parse_hex(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    text.remove_prefix(2);
  if (text.empty()) return std::nullopt;
  while (text.size() > 1 && text[0] == '0') text.remove_prefix(1);
  if (text.size() > 16) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    value = value * 16 + static_cast<uint64_t>(digit);
  }
  return value;
}

void SnapshotBuilder::next_snapshot(uint32_t first_line) {
  if (all_ == nullptr) throw std::logic_error("next_snapshot on a builder of one snapshot");
  Snapshot next;
  next.source = s_->source;
  next.format = s_->format;
  next.bytes = s_->bytes;
  next.family = s_->family;
  next.task_noun = s_->task_noun;
  next.decode_arguments = s_->decode_arguments;
  next.strings = s_->strings.clone();
  next.first_line = first_line;
  all_->push_back(std::move(next));
  s_ = &all_->back();
  resources_.clear();
  task_by_id_.clear();
  indexed_tasks_ = 0;
  hold_by_pair_.clear();
  indexed_holds_ = 0;
}

SnapshotBuilder::ResourceKey SnapshotBuilder::key_of(const Resource& r) {
  if (auto value = parse_hex(s_->str(r.address))) return {r.kind, true, *value};
  return {r.kind, false, r.address};
}

void SnapshotBuilder::append(Snapshot&& part, uint32_t line_offset) {
  Snapshot& s = *s_;
  if (line_offset == 0 && s.strings.size() == 1 && s.tasks.empty() && s.frames.empty() &&
      s.resources.empty() && s.waits.empty() && s.holds.empty() && s.declared_cycles.empty() &&
      s.warnings.empty() && s.ancestors.empty() && s.ancestor_frames.empty()) {
    // The first piece: taken as it is, not copied; its resources indexed for the next pieces.
    s.strings = std::move(part.strings);
    s.tasks = std::move(part.tasks);
    s.frames = std::move(part.frames);
    s.resources = std::move(part.resources);
    s.waits = std::move(part.waits);
    s.holds = std::move(part.holds);
    s.declared_cycles = std::move(part.declared_cycles);
    s.warnings = std::move(part.warnings);
    s.ancestors = std::move(part.ancestors);
    s.ancestor_frames = std::move(part.ancestor_frames);
    s.damaged = s.damaged || part.damaged;
    for (size_t i = 0; i < s.resources.size(); ++i) {
      if (s.resources[i].address != kNoString) {
        resources_.try_emplace(key_of(s.resources[i]), static_cast<ResourceIndex>(i));
      }
    }
    hold_by_pair_.clear();
    indexed_holds_ = 0;
    task_by_id_.clear();
    indexed_tasks_ = 0;
    return;
  }
  std::vector<StrId> ids = s.strings.merge(std::move(part.strings));
  auto id = [&ids](StrId from) { return ids[from]; };
  auto task_base = static_cast<TaskIndex>(s.tasks.size());
  auto frame_base = static_cast<uint32_t>(s.frames.size());
  auto ancestor_frame_base = static_cast<uint32_t>(s.ancestor_frames.size());
  auto frame = [frame_base](uint32_t f) { return f == kNone ? kNone : f + frame_base; };

  s.tasks.reserve(s.tasks.size() + part.tasks.size());
  for (Task t : part.tasks) {
    t.id = id(t.id);
    t.name = id(t.name);
    t.state = id(t.state);
    t.created_by = id(t.created_by);
    t.created_file = id(t.created_file);
    t.first_frame += frame_base;
    t.input_line += line_offset;
    s.tasks.push_back(t);
  }
  s.frames.reserve(s.frames.size() + part.frames.size());
  for (Frame f : part.frames) {
    f.function = id(f.function);
    f.file = id(f.file);
    f.module = id(f.module);
    f.args = id(f.args);
    s.frames.push_back(f);
  }
  std::vector<ResourceIndex> resources(part.resources.size());
  for (size_t i = 0; i < part.resources.size(); ++i) {
    Resource r = part.resources[i];
    r.address = id(r.address);
    r.symbol = id(r.symbol);
    r.type = id(r.type);
    auto index = static_cast<ResourceIndex>(s.resources.size());
    if (r.address == kNoString) {  // unknown_resource(): never one with another
      s.resources.push_back(r);
      resources[i] = index;
      continue;
    }
    auto [it, inserted] = resources_.try_emplace(key_of(r), index);
    if (inserted) {
      s.resources.push_back(r);
    } else {
      Resource& kept = s.resources[it->second];
      if (kept.type == kNoString) kept.type = r.type;
      kept.writers_first = kept.writers_first || r.writers_first;
    }
    resources[i] = it->second;
  }
  for (WaitEdge w : part.waits) {
    w.task += task_base;
    w.resource = resources[w.resource];
    w.frame = frame(w.frame);
    w.app_frame = frame(w.app_frame);
    w.never_wakes = id(w.never_wakes);
    s.waits.push_back(w);
  }
  for (HoldEdge h : part.holds) {
    h.task += task_base;
    h.resource = resources[h.resource];
    h.frame = frame(h.frame);
    add_hold(h);
  }
  for (DeclaredCycle& c : part.declared_cycles) {
    for (TaskIndex& m : c.members) m += task_base;
    s.declared_cycles.push_back(std::move(c));
  }
  for (Warning& w : part.warnings) s.warnings.push_back(std::move(w));
  for (Ancestor a : part.ancestors) {
    a.task += task_base;
    a.id = id(a.id);
    a.first_frame += ancestor_frame_base;
    a.created_by = id(a.created_by);
    s.ancestors.push_back(a);
  }
  for (Frame f : part.ancestor_frames) {
    f.function = id(f.function);
    f.file = id(f.file);
    f.module = id(f.module);
    f.args = id(f.args);
    s.ancestor_frames.push_back(f);
  }
  s.damaged = s.damaged || part.damaged;
  task_by_id_.clear();
  indexed_tasks_ = 0;
}

TaskIndex SnapshotBuilder::begin_task(std::string_view id, uint32_t input_line) {
  auto index = static_cast<TaskIndex>(s_->tasks.size());
  Task& t = s_->tasks.emplace_back();
  t.id = store(id);  // ids are unique: nothing to look up
  t.input_line = input_line;
  t.first_frame = static_cast<uint32_t>(s_->frames.size());
  return index;
}

void SnapshotBuilder::drop_last_task() {
  if (s_->tasks.empty()) return;
  auto last = static_cast<TaskIndex>(s_->tasks.size() - 1);
  s_->frames.resize(s_->tasks.back().first_frame);
  s_->tasks.pop_back();
  std::erase_if(s_->waits, [last](const WaitEdge& w) { return w.task == last; });
  std::erase_if(s_->holds, [last](const HoldEdge& h) { return h.task == last; });
  while (!s_->ancestors.empty() && s_->ancestors.back().task == last) {
    s_->ancestor_frames.resize(s_->ancestors.back().first_frame);
    s_->ancestors.pop_back();
  }
  hold_by_pair_.clear();
  indexed_holds_ = 0;
  indexed_tasks_ = 0;
  task_by_id_.clear();
}

uint32_t SnapshotBuilder::add_frame(const Frame& frame) {
  auto index = static_cast<uint32_t>(s_->frames.size());
  s_->frames.push_back(frame);
  s_->tasks.back().frame_count++;
  return index;
}

ResourceIndex SnapshotBuilder::resource(ResourceKind kind, std::string_view address,
                                        std::string_view type) {
  ResourceKey key{kind, false, 0};
  StrId address_id = intern(address);
  if (auto value = parse_hex(address)) {
    key.numeric = true;
    key.value = *value;
  } else {
    key.value = address_id;
  }
  auto [it, inserted] =
      resources_.try_emplace(key, static_cast<ResourceIndex>(s_->resources.size()));
  if (inserted) {
    Resource& r = s_->resources.emplace_back();
    r.kind = kind;
    r.address = address_id;
    r.address_value = key.numeric ? key.value : 0;
  }
  Resource& r = s_->resources[it->second];
  if (r.type == kNoString && !type.empty()) r.type = intern(type);
  return it->second;
}

ResourceIndex SnapshotBuilder::resource(ResourceKind kind, uint64_t address,
                                        std::string_view type) {
  auto [it, inserted] = resources_.try_emplace(ResourceKey{kind, true, address},
                                               static_cast<ResourceIndex>(s_->resources.size()));
  if (inserted) {
    Resource& r = s_->resources.emplace_back();
    r.kind = kind;
    r.address = intern(fmt::format("{:#x}", address));
    r.address_value = address;
  }
  Resource& r = s_->resources[it->second];
  if (r.type == kNoString && !type.empty()) r.type = intern(type);
  return it->second;
}

namespace {
// Which evidence to report for a holder seen twice. The runtime's declaration is derived from the
// same lock records, so the record itself (which names the frame) is the more direct witness.
int holder_preference(Evidence e) {
  switch (e) {
    case Evidence::kLockRecord:
      return 0;
    case Evidence::kMemory:
      return 1;
    case Evidence::kDeclared:
      return 2;
    case Evidence::kArgument:
      return 3;
    case Evidence::kSource:
      return 4;
    case Evidence::kInferred:
      return 5;
  }
  return 5;
}
}  // namespace

ResourceIndex SnapshotBuilder::unknown_resource(ResourceKind kind, std::string_view type) {
  auto index = static_cast<ResourceIndex>(s_->resources.size());
  Resource& r = s_->resources.emplace_back();
  r.kind = kind;
  r.type = intern(type);
  return index;
}

void SnapshotBuilder::add_hold(const HoldEdge& edge) {
  // Holds written by another builder of the same snapshot (a parser's, before holder
  // inference) are indexed on first sight, so that one pair never gets two edges.
  for (; indexed_holds_ < s_->holds.size(); ++indexed_holds_) {
    const HoldEdge& h = s_->holds[indexed_holds_];
    hold_by_pair_.try_emplace((static_cast<uint64_t>(h.resource) << 32) | h.task, indexed_holds_);
  }
  uint64_t pair = (static_cast<uint64_t>(edge.resource) << 32) | edge.task;
  auto [it, inserted] = hold_by_pair_.try_emplace(pair, s_->holds.size());
  if (inserted) {
    s_->holds.push_back(edge);
    ++indexed_holds_;
    return;
  }
  HoldEdge& kept = s_->holds[it->second];
  // Keep the more direct evidence, but never lose a known acquiring frame: a lock record names
  // one, a declaration does not.
  const HoldEdge& located = kept.frame != kNone ? kept : edge;
  uint32_t frame = located.frame;
  int32_t line = located.line;
  if (holder_preference(edge.evidence) < holder_preference(kept.evidence)) kept = edge;
  kept.frame = frame;
  kept.line = line;
}

TaskIndex SnapshotBuilder::find_task(std::string_view id) const {
  // Built on first use: most formats never look a task up by id.
  if (indexed_tasks_ != s_->tasks.size()) {
    indexed_tasks_ = s_->tasks.size();
    task_by_id_.clear();
    for (TaskIndex t = static_cast<TaskIndex>(s_->tasks.size()); t-- > 0;) {
      task_by_id_[s_->str(s_->tasks[t].id)] = t;  // the first task with an id wins
    }
  }
  auto it = task_by_id_.find(id);
  return it == task_by_id_.end() ? kNone : it->second;
}

void SnapshotBuilder::warn(std::string where, std::string message) {
  s_->warnings.push_back({std::move(where), std::move(message)});
}

}  // namespace dla
