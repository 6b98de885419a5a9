#include "parsers/jvm_deadlock_report.h"

#include <algorithm>
#include <map>

namespace dla {

std::vector<size_t> proven_cycle(const std::vector<DeadlockEntry>& entries) {
  std::map<std::string, size_t> entry_of;  // thread name → its (first) entry
  std::map<std::string, std::string> holder_of_object;
  for (size_t i = 0; i < entries.size(); ++i) {
    entry_of.try_emplace(entries[i].name, i);
    if (!entries[i].address.empty() && !entries[i].holder.empty()) {
      holder_of_object.try_emplace(entries[i].address, entries[i].holder);
    }
  }
  auto next = [&](size_t i) -> size_t {
    std::string holder = entries[i].holder;
    if (holder.empty() && !entries[i].address.empty()) {
      if (auto it = holder_of_object.find(entries[i].address); it != holder_of_object.end()) {
        holder = it->second;
      }
    }
    if (holder.empty()) return entries.size();
    // HotSpot prints the holder right after its waiter, and names need not be unique: the next
    // entry first, then any entry of that name.
    if (size_t after = (i + 1) % entries.size(); entries[after].name == holder) return after;
    auto it = entry_of.find(holder);
    return it == entry_of.end() ? entries.size() : it->second;
  };
  // Walk from each entry, as HotSpot did, until an entry repeats: the repeated part is the cycle.
  for (size_t start = 0; start < entries.size(); ++start) {
    std::vector<size_t> walk;
    std::vector<size_t> position(entries.size(), entries.size());
    for (size_t i = start; i < entries.size(); i = next(i)) {
      if (position[i] != entries.size()) {
        std::vector<size_t> cycle(walk.begin() + static_cast<std::ptrdiff_t>(position[i]),
                                  walk.end());
        std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
        return cycle;
      }
      position[i] = walk.size();
      walk.push_back(i);
    }
  }
  return {};
}

}  // namespace dla
