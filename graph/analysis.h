// The findings of one snapshot: cycles of the wait-for graph, waiters that can never wake, and
// the tasks blocked behind a cycle. A pure function of a const Snapshot; no input format is named
// here, and nothing is printed.
#pragma once

#include <string>
#include <vector>

#include "graph/groups.h"
#include "graph/model.h"
#include "graph/patterns.h"

namespace dla {

// One member of a cycle: `task` waits (through wait edge `wait`) for `resource`, which the next
// member holds (hold edge `hold`) — or, for a reader of a writers-first rwlock, in front of which
// the next member waits to write (`queued_behind`, its wait edge; `hold` is then kNone).
struct CycleMember {
  TaskIndex task = kNone;
  ResourceIndex resource = kNone;
  uint32_t wait = kNone;           // index into Snapshot::waits
  uint32_t hold = kNone;           // index into Snapshot::holds: the next member's hold
  uint32_t queued_behind = kNone;  // index into Snapshot::waits: the next member's writer wait
};

enum class Confidence : uint8_t { kCertain, kLikely, kPossible };
const char* to_string(Confidence confidence);
// How sure a finding resting on this evidence is: runtime records, memory and arguments are
// facts; source inference is likely; heuristics are possible.
Confidence confidence_of(Evidence evidence);

struct Cycle {
  std::vector<CycleMember> members;  // in wait-for order, starting with the task first in the dump
  Evidence weakest = Evidence::kMemory;
  Confidence confidence = Confidence::kCertain;
  bool declared_by_runtime = false;  // the runtime's own deadlock report lists the same members
};

struct StuckWaiter {
  TaskIndex task = kNone;
  ResourceIndex resource = kNone;
  uint32_t wait = kNone;
  std::string reason;  // "nil-channel", "no-cases", … as set by the parser's tables
  Evidence evidence = Evidence::kDeclared;
};

struct BlockedWaiter {
  TaskIndex task = kNone;
  ResourceIndex resource = kNone;
  uint32_t wait = kNone;
  uint32_t cycle = kNone;    // index into Findings::cycles
  TaskIndex holder = kNone;  // the task it waits on directly
};

// A task waiting for a lock that, as far as the dump and the inference can tell, nobody holds:
// the holder is unknown (a Go mutex without readable source, a lock taken by a thread that died).
struct UnresolvedWaiter {
  TaskIndex task = kNone;
  ResourceIndex resource = kNone;
  uint32_t wait = kNone;
};

// A task parked for minutes on something that may never come (a channel send with no receiver,
// a WaitGroup never done): a suspect, not a certainty.
struct LongParked {
  TaskIndex task = kNone;
  ResourceIndex resource = kNone;
  uint32_t wait = kNone;
  double minutes = 0;
};

struct Findings {
  std::vector<Cycle> cycles;
  std::vector<StuckWaiter> stuck;
  std::vector<BlockedWaiter> blocked;
  std::vector<UnresolvedWaiter> unresolved;  // by resource, then task
  std::vector<LongParked> long_parked;       // longest first
  Grouping groups;
  NamedPatterns patterns;         // the pattern of each cycle, stuck waiter and suspect
  std::vector<Warning> warnings;  // disagreements found by the analysis (runtime vs dlanalyze)

  // Why a run that found no cycle and no stuck waiter still cannot call the process clean: a
  // clean verdict is a claim that every task and every lock was examined (DESIGN.md).
  enum class Unproven : uint8_t { kNo, kDamagedInput, kNoLockRecords, kHoldersUnknown };
  Unproven unproven = Unproven::kNo;

  enum class Verdict : uint8_t { kClean, kUnproven, kStuck, kDeadlock };
  Verdict verdict() const {
    if (!cycles.empty()) return Verdict::kDeadlock;
    if (!stuck.empty()) return Verdict::kStuck;
    return unproven == Unproven::kNo ? Verdict::kClean : Verdict::kUnproven;
  }
};
const char* to_string(Findings::Verdict verdict);
// The reason in a few words ("lock holders unknown"); empty for kNo.
const char* to_string(Findings::Unproven unproven);

Findings analyze(const Snapshot& snapshot);

}  // namespace dla
