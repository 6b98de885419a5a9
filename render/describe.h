// Wording shared by every renderer: how a task, a resource, a frame and an edge's evidence read.
// Format-neutral: a renderer learns what a task is called from Snapshot::task_noun.
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "graph/analysis.h"
#include "graph/model.h"
#include "render/palette.h"

namespace dla {

// `thread "worker-a"`, `goroutine 19`, `thread 3 "worker-a"`.
std::string task_label(const Snapshot& s, TaskIndex t);
// `monitor 0x000000062a81bf28 (java.lang.Object)`, `mutex 0x4c9540 inventory.mu (sync.Mutex)`.
std::string resource_label(const Snapshot& s, ResourceIndex r);
// `MonitorCycle.transfer (MonitorCycle.java:31)`, `Thread.sleep (native)`, `f` (no location).
// `line` (when non-zero) replaces the frame's own line: where a lock was taken earlier in it.
std::string frame_label(const Snapshot& s, uint32_t frame, int32_t line = 0);
// "lock record", "the runtime's deadlock report", …: how we know, in words.
const char* evidence_words(Evidence e);
// "1 thread", "3 threads".
std::string count_of(size_t n, const std::string& noun);

// `MonitorCycle.transfer MonitorCycle.java:31`: the file without its directory, for pictures
// and tables where the full path does not fit.
std::string short_frame_label(const Snapshot& s, uint32_t frame, int32_t line = 0);
// `main.go:48`, `MonitorCycle.java:31`; "" when the frame has no file or line.
std::string short_place(const Snapshot& s, uint32_t frame, int32_t line = 0);
// What a lock is called in a sentence: its symbol (`inventory.mu`, `m_alpha`), else its type
// without package and its address (`ReentrantLock$NonfairSync 0x00000000ffd1a828`), else its kind
// and address (`mutex 0x4c9540`); the address is left out only where the dump does not print one.
std::string lock_name(const Snapshot& s, ResourceIndex r);
// "java.util.concurrent.locks.ReentrantLock$NonfairSync" → "ReentrantLock$NonfairSync": the
// lower-case dotted prefix of a type name is its package.
std::string type_without_package(std::string_view type);
// The tasks a snapshot holds, counting each aggregated record's count.
size_t task_total(const Snapshot& s);

// "19, 20, 21, …": the ids of the first `shown` tasks, and an ellipsis for the rest.
std::string abbreviated_ids(const Snapshot& s, const std::vector<TaskIndex>& tasks,
                            size_t shown = 3);

// Where a wait shows, as a key for bunching waiters: the application frame's function, file and
// line (the wait's own frame when no application frame is known).
using PlaceKey = std::tuple<StrId, StrId, int32_t>;
PlaceKey place_key(const Snapshot& s, const WaitEdge& w);

// `items` in bunches of equal key_of(item), in order of first appearance: a thousand waiters at
// one place become one bunch, drawn or printed once.
template <typename Item, typename KeyOf>
std::vector<std::vector<Item>> bunch_by(const std::vector<Item>& items, KeyOf key_of) {
  std::vector<std::vector<Item>> out;
  std::map<decltype(key_of(items.front())), size_t> index;
  for (const Item& item : items) {
    auto [it, fresh] = index.emplace(key_of(item), out.size());
    if (fresh) out.emplace_back();
    out[it->second].push_back(item);
  }
  return out;
}

// The stuck waiters (indexes into Findings::stuck) in bunches of the same kind of wait, reason,
// evidence and place: how the text and the picture list them, one line or node per bunch.
std::vector<std::vector<size_t>> stuck_bunches(const Snapshot& s, const Findings& f);

// The verdict in words, and how it looks: "DEADLOCK", "STUCK", "no deadlock", or the weaker
// "no deadlock proven (lock holders unknown)" and "no deadlock visible (this dump records no
// locks)" when the analysis could not look everywhere.
struct VerdictWords {
  Role role;
  std::string words;
};
VerdictWords verdict_words(const Snapshot& s, const Findings& f);

}  // namespace dla
