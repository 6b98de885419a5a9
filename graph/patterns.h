// Which deadlock pattern each finding is: a lock-order inversion, a self-deadlock, a WaitGroup
// never done… Named from the model alone (how many members a cycle has, what kinds of resources
// it goes through, whether a hold is shared, why a waiter can never wake), by a table of rows,
// first match wins, so that the postmortem can say what went wrong and which of the four Coffman
// conditions a fix should break. A pure function of a const Snapshot and its Findings; nothing
// here names an input format, and nothing is printed.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "graph/model.h"

namespace dla {

struct Findings;

// The names (`id`) are part of the JSON contract.
enum class Pattern : uint8_t {
  kLockOrderInversion,  // two or more tasks take the same locks in opposite orders
  kReadWriteInversion,  // the same, with a read/write lock among them
  kSelfDeadlock,        // a task waits for a lock it holds itself
  kRecursiveRead,       // a task holds a read lock and asks for it again behind a writer
  kReadUpgrade,         // a task holds a read lock and asks for the write lock of the same lock
  kJoinCycle,           // tasks wait for each other to end (pthread_join in a ring)
  kLostWakeup,          // a condition wait that no signal will end
  kChannelNoPartner,    // a channel send/receive (or a select) that no partner will complete
  kEmptySelect,         // select {}: blocks forever by construction
  kWaitGroupNeverDone,  // WaitGroup.Wait whose Done() calls will not come
  kLeak,                // many tasks parked at one place, or tasks the runtime proved leaked
};

// The four conditions that together make a deadlock (Coffman, 1971); a fix breaks one of them.
enum class Coffman : uint8_t { kMutualExclusion, kHoldAndWait, kNoPreemption, kCircularWait };
const char* to_string(Coffman condition);  // "circular wait"

struct PatternInfo {
  Pattern pattern;
  std::string_view id;    // "lock-order-inversion": JSON
  std::string_view name;  // "lock-order inversion": prose
  Coffman breaks;         // the condition the usual fix breaks
  std::string_view why;   // one sentence: why this pattern hangs
};
const PatternInfo& info(Pattern pattern);
std::span<const PatternInfo> all_patterns();

// The pattern of each finding, index for index. A wait the table has no row for (a waiter on an
// unknown kind of resource) has no pattern: nothing is guessed.
struct NamedPatterns {
  std::vector<Pattern> cycles;                   // per Findings::cycles
  std::vector<std::optional<Pattern>> stuck;     // per Findings::stuck
  std::vector<std::optional<Pattern>> suspects;  // per Findings::long_parked
};

// How many suspects parked at one place (same frame, same kind of wait) make a leak rather than
// a single hang.
inline constexpr size_t kLeakAtOnePlace = 10;

NamedPatterns name_patterns(const Snapshot& s, const Findings& f);

}  // namespace dla
