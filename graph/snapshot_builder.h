// SnapshotBuilder: the one way parsers write the model. It interns strings, keeps each task's
// frames contiguous, merges resources that are the same lock (same kind and address, however the
// dump padded it) and keeps one hold edge per (resource, task), the strongest evidence winning.
#pragma once

#include <string_view>
#include <unordered_map>

#include "graph/model.h"

namespace dla {

class SnapshotBuilder {
 public:
  // Writes into one snapshot (holder inference adds edges to a parsed snapshot this way).
  explicit SnapshotBuilder(Snapshot& snapshot) : s_(&snapshot) {}
  // Writes into the last of `snapshots` (which must not be empty); next_snapshot() appends.
  explicit SnapshotBuilder(std::vector<Snapshot>& snapshots)
      : s_(&snapshots.back()), all_(&snapshots) {}

  // The input holds another dump from here on (two kill -3 dumps in one log): ends the current
  // snapshot and starts an empty one, with the same source and format and the same string ids.
  // `first_line` is where the new dump starts in the input. Throws std::logic_error on a builder
  // of one snapshot.
  void next_snapshot(uint32_t first_line);

  // Appends `part`, a snapshot of the text that follows this one's (a piece of one dump parsed on
  // its own thread), as if its parser had gone on writing here: strings, tasks, frames and edges
  // renumbered, resources of the same kind and address made one, input lines moved down by
  // `line_offset`. Resources with an address must have been made by resource().
  void append(Snapshot&& part, uint32_t line_offset);

  StrId intern(std::string_view text) { return s_->strings.intern(text); }
  // For text that rarely repeats (argument values): stored, not looked up.
  StrId store(std::string_view text) { return s_->strings.add(text); }

  // Starts a task; frames added next belong to it until the next begin_task.
  TaskIndex begin_task(std::string_view id, uint32_t input_line);
  Task& task(TaskIndex index) { return s_->tasks[index]; }
  // Takes back the last task begun, with its frames and edges (a Go dump's goroutine 0, kept
  // only while it is the dump's one stack).
  void drop_last_task();
  // Appends a frame to the current task and returns its absolute index.
  uint32_t add_frame(const Frame& frame);

  // The resource of this kind at this address, created on first use. `address` is kept as first
  // printed; hex spellings with different zero padding name the same resource.
  ResourceIndex resource(ResourceKind kind, std::string_view address, std::string_view type = {});
  // The same for an address read as a number (spelled "0x…" when first created): no text to
  // format and parse again for each of a big dump's waiters.
  ResourceIndex resource(ResourceKind kind, uint64_t address, std::string_view type = {});

  // A resource whose address the dump does not show (a channel in a debug=2 dump): a fresh one
  // for each call, so that two unknown channels are never taken for one.
  ResourceIndex unknown_resource(ResourceKind kind, std::string_view type = {});

  void add_wait(const WaitEdge& edge) { s_->waits.push_back(edge); }
  void add_hold(const HoldEdge& edge);

  // The task whose id is exactly `id`, or kNone.
  TaskIndex find_task(std::string_view id) const;

  void warn(std::string where, std::string message);
  void set_damaged() { s_->damaged = true; }

  Snapshot& snapshot() { return *s_; }

 private:
  struct ResourceKey {
    ResourceKind kind;
    bool numeric;
    uint64_t value;  // address value, or the StrId of a non-numeric address
    bool operator==(const ResourceKey&) const = default;
  };
  struct ResourceKeyHash {
    size_t operator()(const ResourceKey& k) const {
      return std::hash<uint64_t>()(k.value) * 31 + static_cast<size_t>(k.kind) * 2 + k.numeric;
    }
  };

  ResourceKey key_of(const Resource& r);  // as resource() made it; r.address must be set

  Snapshot* s_;
  std::vector<Snapshot>* all_ = nullptr;
  std::unordered_map<ResourceKey, ResourceIndex, ResourceKeyHash> resources_;
  mutable std::unordered_map<std::string_view, TaskIndex> task_by_id_;
  mutable size_t indexed_tasks_ = 0;
  std::unordered_map<uint64_t, size_t> hold_by_pair_;  // (resource << 32 | task) → index in holds
  size_t indexed_holds_ = 0;                           // holds[0, indexed_holds_) are in it
};

// Parses "0x…" (or bare hex digits) into a value; nullopt if it is not hex or does not fit.
std::optional<uint64_t> parse_hex(std::string_view text);

}  // namespace dla
