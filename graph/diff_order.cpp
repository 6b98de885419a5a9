// Putting snapshots in time order. The strongest clock every snapshot has wins: the time the
// dump printed; else the runtime's own count of how long goroutines have been parked; else the
// files' modification times; else the order the user gave. Dumps within one file keep their
// order whatever the basis: a log is written front to back.
#include <algorithm>
#include <functional>
#include <numeric>

#include "graph/diff.h"

namespace dla {

namespace {

// The longest a task had been parked, by the dump's own count (Go's "N minutes"); -1 if the
// dump counts none. Within one process it only grows, as long as that task stays parked, so it
// is a hint, not a clock: taken only when the dumps disagree on it.
double longest_parked_minutes(const Snapshot& s) {
  double longest = -1;
  for (const Task& t : s.tasks) {
    if (t.parked_minutes) longest = std::max(longest, *t.parked_minutes);
  }
  return longest;
}

// A later dump of the same file never sorts before an earlier one: its key is raised to the
// earlier's where the clock says otherwise (a long-parked task woke between two kill -3 dumps).
template <typename Key>
void keep_file_order(std::span<const DiffInput> inputs, std::vector<Key>& keys) {
  for (size_t i = 1; i < keys.size(); ++i) {
    if (inputs[i].snapshot->source == inputs[i - 1].snapshot->source) {
      keys[i] = std::max(keys[i], keys[i - 1]);
    }
  }
}

template <typename Key>
bool all_equal(const std::vector<Key>& keys) {
  return std::adjacent_find(keys.begin(), keys.end(), std::not_equal_to<>()) == keys.end();
}

}  // namespace

std::vector<uint32_t> order_in_time(std::span<const DiffInput> inputs, OrderBasis& basis) {
  std::vector<uint32_t> order(inputs.size());
  std::iota(order.begin(), order.end(), 0u);
  auto sort_by = [&](auto keys) {
    keep_file_order(inputs, keys);
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
  };

  if (std::all_of(inputs.begin(), inputs.end(),
                  [](const DiffInput& in) { return in.snapshot->taken_at.has_value(); })) {
    std::vector<int64_t> at;
    for (const DiffInput& in : inputs) at.push_back(*in.snapshot->taken_at);
    sort_by(at);
    basis = OrderBasis::kDumpTime;
    return order;
  }
  std::vector<double> parked;
  for (const DiffInput& in : inputs) parked.push_back(longest_parked_minutes(*in.snapshot));
  if (!all_equal(parked)) {
    sort_by(parked);
    basis = OrderBasis::kParkedMinutes;
    return order;
  }
  if (std::all_of(inputs.begin(), inputs.end(),
                  [](const DiffInput& in) { return in.file_mtime.has_value(); })) {
    std::vector<int64_t> mtime;
    for (const DiffInput& in : inputs) mtime.push_back(*in.file_mtime);
    if (!all_equal(mtime)) {
      sort_by(mtime);
      basis = OrderBasis::kFileTime;
      return order;
    }
  }
  basis = OrderBasis::kArgumentOrder;
  return order;
}

}  // namespace dla
