// Buckets of identical stacks, as panicparse aggregates goroutines: same state, same functions
// at the same files and lines. Kept apart from parsing and rendering; reads a const Snapshot.
#pragma once

#include <optional>
#include <vector>

#include "graph/model.h"

namespace dla {

struct Group {
  uint32_t id = 0;     // 1-based, in order of decreasing size, ties by first appearance
  uint32_t count = 0;  // tasks in the group, counting each aggregated record's `count`
  StrId state = kNoString;
  TaskIndex first = kNone;  // the task whose stack stands for the group
  std::vector<TaskIndex> tasks;
  std::optional<double> min_parked_minutes, max_parked_minutes;
};

struct Grouping {
  std::vector<Group> groups;       // ordered by id
  std::vector<uint32_t> group_of;  // per task: index into groups
};

Grouping group_identical_stacks(const Snapshot& snapshot);

}  // namespace dla
