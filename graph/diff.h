// Snapshots of one process over time (`dlanalyze diff`): what a single dump cannot show. A wait
// that lasts through every snapshot, a group of identical stacks that grows at every step (a
// leak), tasks that came and went, cycles that stay (a deadlock) or pass (contention). A pure
// function of const snapshots and their findings; nothing here names an input format or prints.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "graph/analysis.h"
#include "graph/model.h"

namespace dla {

// One snapshot as the diff receives it: the parsed dump, its findings, and what the file system
// says about the file it came from (cli/ reads that; graph/ never touches files).
struct DiffInput {
  const Snapshot* snapshot = nullptr;
  const Findings* findings = nullptr;
  std::optional<int64_t> file_mtime;  // seconds since the epoch; nullopt for standard input
};

// How the snapshots were put in time order, strongest first. The names are part of the JSON
// contract ("order": {"by": …}).
enum class OrderBasis : uint8_t {
  kDumpTime,       // every dump printed its time (jstack's timestamp line)
  kParkedMinutes,  // goroutines matched by id were parked longer in one dump than in the other
  kFileTime,       // the input files' modification times
  kArgumentOrder,  // nothing better: the order of the arguments, then of dumps within a file
};
const char* to_string(OrderBasis basis);

// Positions in Diff::snapshots; `snapshot` indexes DiffInput, `task` that snapshot's tasks.
struct TaskAt {
  uint32_t snapshot = kNone;
  TaskIndex task = kNone;
};

// A task waiting in the same wait (same stack, same kind of resource) in every snapshot.
struct ParkedThroughout {
  std::vector<TaskIndex> tasks;      // per position: the task in that snapshot
  std::vector<uint32_t> waits;       // per position: index into that snapshot's waits
  bool in_cycle_throughout = false;  // a member of a cycle in every snapshot
  // Lower bound of how long it has waited: the time between the first and the last snapshot
  // when the dumps print their times, or the runtime's own count (Go's "N minutes") in the last
  // snapshot, whichever is larger; nullopt when neither is known.
  std::optional<double> at_least_seconds;
};

// A group of identical stacks (state, functions, files, lines; no argument values, addresses
// or times), followed through the snapshots.
struct GroupTrend {
  std::vector<uint32_t> counts;      // per position; 0 where the group is absent
  TaskAt representative;             // a task whose stack stands for the group (the latest one)
  int64_t growth = 0;                // last count minus first
  std::optional<double> per_minute;  // growth per minute, when the dumps print their times
  // Its tasks wait for something, or the dump does not say what they do (a debug=1 record has
  // neither state nor runtime frames); false for running tasks, whose numbers follow the load.
  bool waiting = false;
};

// A task present at one position and absent at the previous (new), or the reverse (gone).
struct TaskChange {
  uint32_t position = 0;  // the later of the two positions
  TaskAt task;            // new: the task at `position`; gone: the task at `position - 1`
};

// A cycle, recognised across snapshots by the identities of its members.
struct CycleTrend {
  std::vector<uint32_t> cycles;  // per position: index into that snapshot's Findings::cycles
  uint32_t first_position = 0;   // where it is first seen (its members are taken from there)
  size_t seen_in = 0;            // in how many snapshots
};

struct Diff {
  std::vector<DiffInput> snapshots;  // in time order
  OrderBasis order_by = OrderBasis::kArgumentOrder;
  // Minutes since the first snapshot, per position, when every dump printed its time.
  std::vector<std::optional<double>> minutes;
  bool tasks_have_identity = true;       // false for aggregated records (Go debug=1): no new/gone
  std::vector<ParkedThroughout> parked;  // lock-like waits, and waits a finding names throughout
  size_t idle_throughout = 0;     // tasks in the same idle wait (select, receive, sleep) throughout
  std::vector<GroupTrend> grown;  // groups whose count rose at every step, biggest growth first
  std::vector<GroupTrend> shrunk;  // groups whose count fell at every step
  std::vector<TaskChange> appeared, vanished;
  std::vector<CycleTrend> cycles;  // every cycle seen; `seen_in == snapshots.size()`: throughout
  std::vector<Warning> warnings;

  // A leak: a waiting group that rose at every step and by at least kLeakMinGrowth in all.
  static constexpr int64_t kLeakMinGrowth = 2;
  bool is_leak(const GroupTrend& g) const { return g.waiting && g.growth >= kLeakMinGrowth; }
  bool cycle_throughout(const CycleTrend& c) const { return c.seen_in == snapshots.size(); }

  enum class Verdict : uint8_t { kClean, kParked, kLeak, kDeadlock };
  Verdict verdict() const;
};
const char* to_string(Diff::Verdict verdict);

// Puts `inputs` in time order (returned as indices into `inputs`) and says on what basis.
std::vector<uint32_t> order_in_time(std::span<const DiffInput> inputs, OrderBasis& basis);

// The diff of two or more snapshots, in any order (they are put in time order first). Throws
// dla::Error, naming the files, when they are fewer than two or of different runtimes.
Diff diff_snapshots(std::span<const DiffInput> inputs);

}  // namespace dla
