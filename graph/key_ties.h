// Keys tied to locks, for the holder inferences that read the program's source
// (graph/resolve_holders.cpp, graph/resolve_java.cpp): a key (an expression's identity, "val:0x…",
// "static:C.f") names the one lock every waiter keyed by it waits for. A key that two locks claim
// is not an identity: it is dropped and never tied again.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "graph/model.h"

namespace dla {

// Ties `key` to lock `r` in `ties` (a map key → ResourceIndex), unless `conflicting` holds it.
// When the key already names a lock, `reconcile(known, r)` says which lock the key names now
// (the two are one), or nullopt when they are two locks: the key then moves to `conflicting`.
template <typename Ties, typename Reconcile>
void tie_key(Ties& ties, std::set<std::string>& conflicting, const std::string& key,
             ResourceIndex r, Reconcile reconcile) {
  if (conflicting.count(key)) return;
  auto [it, inserted] = ties.try_emplace(key, r);
  if (inserted) return;
  if (std::optional<ResourceIndex> one = reconcile(it->second, r)) {
    it->second = *one;
    return;
  }
  conflicting.insert(key);  // one key, two locks: the key is not an identity
  ties.erase(it);
}

}  // namespace dla
