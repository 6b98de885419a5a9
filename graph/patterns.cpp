#include "graph/patterns.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>
#include <unordered_set>

#include "graph/analysis.h"

namespace dla {

const char* to_string(Coffman condition) {
  switch (condition) {
    case Coffman::kMutualExclusion:
      return "mutual exclusion";
    case Coffman::kHoldAndWait:
      return "hold and wait";
    case Coffman::kNoPreemption:
      return "no preemption";
    case Coffman::kCircularWait:
      return "circular wait";
  }
  return "circular wait";
}

namespace {

// What a pattern is, one row each. The condition to break is the one the usual fix breaks
// (render/report_advice says how, with the finding's real names).
constexpr std::array kPatterns = {
    PatternInfo{
        Pattern::kLockOrderInversion, "lock-order-inversion", "lock-order inversion",
        Coffman::kCircularWait,
        "each task holds one lock and waits for a lock the next one holds, because they take the "
        "same locks in different orders"},
    PatternInfo{
        Pattern::kReadWriteInversion, "read-write-lock-order-inversion",
        "lock-order inversion through a read/write lock", Coffman::kCircularWait,
        "the tasks take the same locks in different orders; a read lock is no exception: a writer "
        "waits for every reader, and readers queue behind a waiting writer"},
    PatternInfo{
        Pattern::kSelfDeadlock, "self-deadlock", "self-deadlock", Coffman::kHoldAndWait,
        "the task asks again for a non-reentrant lock that it already holds, usually through a "
        "call made while holding it"},
    PatternInfo{
        Pattern::kRecursiveRead, "rwmutex-recursive-read", "RWMutex recursive read",
        Coffman::kHoldAndWait,
        "the task holds a read lock and asks for it again; a writer waiting in between blocks the "
        "second read lock, and the writer itself waits for the first"},
    PatternInfo{
        Pattern::kReadUpgrade, "read-lock-upgrade", "read lock upgrade", Coffman::kHoldAndWait,
        "the task holds a read lock and asks for the write lock of the same lock: the write lock "
        "waits until every reader has left, the task itself included"},
    PatternInfo{Pattern::kJoinCycle, "join-cycle", "circular join", Coffman::kCircularWait,
                "each thread waits for the next one to end, and the last waits for the first"},
    PatternInfo{
        Pattern::kLostWakeup, "lost-wakeup", "lost wakeup", Coffman::kNoPreemption,
        "the task waits on a condition whose signal was sent before it waited, or is never sent"},
    PatternInfo{
        Pattern::kChannelNoPartner, "channel-no-partner", "channel with no partner",
        Coffman::kNoPreemption,
        "a channel send or receive waits for a partner that will never come (nobody receives, "
        "nobody sends or closes, or the channel is nil)"},
    PatternInfo{Pattern::kEmptySelect, "empty-select", "select {} (blocks forever)",
                Coffman::kNoPreemption, "a select statement with no cases never returns"},
    PatternInfo{
        Pattern::kWaitGroupNeverDone, "waitgroup-never-done", "WaitGroup never done",
        Coffman::kNoPreemption,
        "WaitGroup.Wait waits for Done() calls that will not come: a worker returned early without "
        "Done, Add counted too many, or the workers are blocked themselves"},
    PatternInfo{
        Pattern::kLeak, "leak", "goroutine leak", Coffman::kNoPreemption,
        "tasks started for a job stay parked after the job is over, each holding its stack and "
        "whatever it references"},
};
// info() indexes the table by the enum.
static_assert([] {
  for (size_t i = 0; i < kPatterns.size(); ++i) {
    if (static_cast<size_t>(kPatterns[i].pattern) != i) return false;
  }
  return true;
}());

// --- cycles ------------------------------------------------------------------------------------

bool is_lock(ResourceKind k) {
  return k == ResourceKind::kMutex || k == ResourceKind::kRwlock || k == ResourceKind::kMonitor ||
         k == ResourceKind::kOwnableSynchronizer;
}

// What the cycle rows look at.
struct CycleShape {
  size_t members = 0;
  bool all_locks = true;        // every resource waited for is a lock
  bool read_write = false;      // a read/write lock, or a shared hold, is among them
  bool rereads_own = false;     // a member waits to read a read/write lock it reads itself
  bool upgrades_own = false;    // a member waits to write a read/write lock it reads itself
  bool exclusive_self = false;  // one member that holds, exclusively, the lock it waits for
};

struct CycleRow {
  Pattern pattern;
  bool (*matches)(const CycleShape&);
};

// First match wins: the specific shapes before the general one.
constexpr std::array kCycleRows = {
    CycleRow{Pattern::kRecursiveRead, [](const CycleShape& c) { return c.rereads_own; }},
    CycleRow{Pattern::kReadUpgrade, [](const CycleShape& c) { return c.upgrades_own; }},
    CycleRow{Pattern::kSelfDeadlock, [](const CycleShape& c) { return c.exclusive_self; }},
    // A cycle through something other than a lock: threads joining each other (the "holder" of
    // a join is the thread to end).
    CycleRow{Pattern::kJoinCycle, [](const CycleShape& c) { return !c.all_locks; }},
    CycleRow{Pattern::kReadWriteInversion, [](const CycleShape& c) { return c.read_write; }},
    CycleRow{Pattern::kLockOrderInversion, [](const CycleShape&) { return true; }},
};

uint64_t pair_key(ResourceIndex r, TaskIndex t) {
  return (uint64_t{r} << 32) | t;
}

CycleShape shape_of(const Snapshot& s, const Cycle& c,
                    const std::unordered_set<uint64_t>& shared_holds) {
  CycleShape shape;
  shape.members = c.members.size();
  for (const CycleMember& m : c.members) {
    ResourceKind kind = s.resources[m.resource].kind;
    // A reader queued behind a waiting writer has no hold edge (hold is kNone).
    bool shared_hold = m.hold != kNone && s.holds[m.hold].shared;
    shape.all_locks &= is_lock(kind);
    shape.read_write |= kind == ResourceKind::kRwlock || shared_hold;
    if (kind == ResourceKind::kRwlock && shared_holds.count(pair_key(m.resource, m.task))) {
      (s.waits[m.wait].shared ? shape.rereads_own : shape.upgrades_own) = true;
    }
  }
  if (c.members.size() == 1 && c.members[0].hold != kNone) {
    const HoldEdge& h = s.holds[c.members[0].hold];
    shape.exclusive_self = h.task == c.members[0].task && !h.shared;
  }
  return shape;
}

// --- waits that can never end, or have not for minutes ------------------------------------------

struct WaitShape {
  ResourceKind kind = ResourceKind::kUnknown;
  std::string_view reason;   // StuckWaiter::reason; "" for a suspect
  size_t at_same_place = 1;  // suspects parked at the same frame on the same kind of wait
};

struct WaitRow {
  Pattern pattern;
  bool (*matches)(const WaitShape&);
};

constexpr std::array kWaitRows = {
    // The runtime itself proved these leaked (Go 1.26 goroutineleak profile).
    WaitRow{Pattern::kLeak, [](const WaitShape& w) { return w.reason == "leaked"; }},
    WaitRow{Pattern::kLeak, [](const WaitShape& w) { return w.at_same_place >= kLeakAtOnePlace; }},
    WaitRow{Pattern::kEmptySelect, [](const WaitShape& w) { return w.reason == "no-cases"; }},
    WaitRow{Pattern::kChannelNoPartner,
            [](const WaitShape& w) {
              return w.kind == ResourceKind::kChannel || w.kind == ResourceKind::kSelect;
            }},
    WaitRow{Pattern::kWaitGroupNeverDone,
            [](const WaitShape& w) { return w.kind == ResourceKind::kWaitgroup; }},
    WaitRow{Pattern::kLostWakeup,
            [](const WaitShape& w) { return w.kind == ResourceKind::kCondition; }},
};

std::optional<Pattern> wait_pattern(const WaitShape& shape) {
  for (const WaitRow& row : kWaitRows) {
    if (row.matches(shape)) return row.pattern;
  }
  return std::nullopt;
}

// Where a wait shows to a user: the application frame's function, file and line (frames with
// the same text are the same place in two goroutines), and the kind of wait.
using Place = std::tuple<StrId, StrId, int32_t, ResourceKind>;
Place place_of(const Snapshot& s, const WaitEdge& w) {
  uint32_t f = w.app_frame != kNone ? w.app_frame : w.frame;
  ResourceKind kind = s.resources[w.resource].kind;
  if (f == kNone) return {kNoString, kNoString, 0, kind};
  const Frame& frame = s.frames[f];
  return {frame.function, frame.file, frame.line, kind};
}

}  // namespace

const PatternInfo& info(Pattern pattern) {
  return kPatterns[static_cast<size_t>(pattern)];
}

std::span<const PatternInfo> all_patterns() {
  return kPatterns;
}

NamedPatterns name_patterns(const Snapshot& s, const Findings& f) {
  NamedPatterns out;
  std::unordered_set<uint64_t> shared_holds;
  for (const HoldEdge& h : s.holds) {
    if (h.shared) shared_holds.insert(pair_key(h.resource, h.task));
  }
  for (const Cycle& c : f.cycles) {
    CycleShape shape = shape_of(s, c, shared_holds);
    auto row = std::find_if(kCycleRows.begin(), kCycleRows.end(),
                            [&](const CycleRow& r) { return r.matches(shape); });
    out.cycles.push_back(row->pattern);
  }
  for (const StuckWaiter& w : f.stuck) {
    out.stuck.push_back(wait_pattern({s.resources[w.resource].kind, w.reason, 1}));
  }
  std::map<Place, size_t> suspects_at;
  for (const LongParked& l : f.long_parked) ++suspects_at[place_of(s, s.waits[l.wait])];
  for (const LongParked& l : f.long_parked) {
    const WaitEdge& w = s.waits[l.wait];
    out.suspects.push_back(
        wait_pattern({s.resources[w.resource].kind, "", suspects_at[place_of(s, w)]}));
  }
  return out;
}

}  // namespace dla
